// Opens an HTML report in headless Chromium and checks it as a person
// would use it: it renders with no console errors, the summary numbers are
// those of the JSON report, filtering by verdict changes the visible rows,
// a failing file expands to its findings with the match highlighted, and a
// phone-sized screen gets no sideways scrolling. Optionally saves
// screenshots (desktop and phone) for the README.
//
// Drives Chromium over the DevTools protocol on a pipe (fd 3 and 4,
// --remote-debugging-pipe), so it needs nothing beyond node's built-ins.
//
// usage: node html_check.mjs CHROMIUM REPORT.html REPORT.json [SCREENSHOT_DIR]
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [chromium, htmlPath, jsonPath, shotDir] = process.argv.slice(2);
if (!chromium || !htmlPath || !jsonPath) {
  console.error("usage: node html_check.mjs CHROMIUM REPORT.html REPORT.json [SCREENSHOT_DIR]");
  process.exit(2);
}
const expected = JSON.parse(readFileSync(jsonPath, "utf8"));
const profile = mkdtempSync(join(tmpdir(), "sl-chromium-"));
const browser = spawn(chromium, [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage", "--hide-scrollbars", "--remote-debugging-pipe",
  `--user-data-dir=${profile}`, "about:blank",
], { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
let stderr = "";
browser.stderr.on("data", (d) => { stderr += d; });

let failures = 0, passes = 0;
function check(ok, what) {
  if (ok) { passes++; console.log(`ok: ${what}`); }
  else { failures++; console.log(`FAIL: ${what}`); }
}
const watchdog = setTimeout(() => {
  console.log("FAIL: timed out driving Chromium");
  console.log(stderr.slice(-2000));
  browser.kill("SIGKILL");
  process.exit(1);
}, 90000);

// ---- the protocol: NUL-terminated JSON messages
const toBrowser = browser.stdio[3], fromBrowser = browser.stdio[4];
let nextId = 1, buffered = "";
const pending = new Map(), listeners = [];
fromBrowser.on("data", (chunk) => {
  buffered += chunk.toString("utf8");
  let end;
  while ((end = buffered.indexOf("\0")) >= 0) {
    const msg = JSON.parse(buffered.slice(0, end));
    buffered = buffered.slice(end + 1);
    if (msg.id && pending.has(msg.id)) {
      const { resolve: res, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) reject(new Error(JSON.stringify(msg.error)));
      else res(msg.result);
    } else if (msg.method) {
      listeners.forEach((l) => l(msg));
    }
  }
});
function send(method, params = {}, sessionId) {
  const id = nextId++;
  const msg = { id, method, params };
  if (sessionId) msg.sessionId = sessionId;
  toBrowser.write(JSON.stringify(msg) + "\0");
  return new Promise((res, reject) => pending.set(id, { resolve: res, reject }));
}
function once(method, sessionId) {
  return new Promise((res) => {
    const l = (msg) => {
      if (msg.method === method && msg.sessionId === sessionId) {
        listeners.splice(listeners.indexOf(l), 1);
        res(msg.params);
      }
    };
    listeners.push(l);
  });
}

const consoleErrors = [];
listeners.push((msg) => {
  if (msg.method === "Runtime.exceptionThrown")
    consoleErrors.push(msg.params.exceptionDetails.exception?.description ||
                       msg.params.exceptionDetails.text);
  if (msg.method === "Runtime.consoleAPICalled" && ["error", "assert"].includes(msg.params.type))
    consoleErrors.push(msg.params.args.map((a) => a.value ?? a.description).join(" "));
  if (msg.method === "Log.entryAdded" && msg.params.entry.level === "error")
    consoleErrors.push(msg.params.entry.text);
});

async function open(url, width, height, mobile) {
  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  await send("Page.enable", {}, sessionId);
  await send("Runtime.enable", {}, sessionId);
  await send("Log.enable", {}, sessionId);
  await send("Emulation.setDeviceMetricsOverride",
             { width, height, deviceScaleFactor: mobile ? 2 : 1, mobile }, sessionId);
  const loaded = once("Page.loadEventFired", sessionId);
  await send("Page.navigate", { url }, sessionId);
  await loaded;
  const evaluate = async (expression) => {
    const r = await send("Runtime.evaluate", { expression, returnByValue: true }, sessionId);
    if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.text}`);
    return r.result.value;
  };
  const screenshot = async (file, fullPage) => {
    const h = fullPage ? await evaluate("document.documentElement.scrollHeight") : height;
    await send("Emulation.setDeviceMetricsOverride",
               { width, height: Math.min(h, 4000), deviceScaleFactor: mobile ? 2 : 1, mobile },
               sessionId);
    const { data } = await send("Page.captureScreenshot", { format: "png" }, sessionId);
    writeFileSync(file, Buffer.from(data, "base64"));
    console.log(`screenshot: ${file}`);
  };
  return { evaluate, screenshot };
}

const visibleRows = `Array.from(document.querySelectorAll("#file-table tbody tr.file"))
  .filter((r) => !r.hidden && r.offsetParent !== null).length`;
const setVerdict = (v) => `(() => { const s = document.getElementById("f-verdict");
  s.value = ${JSON.stringify(v)}; s.dispatchEvent(new Event("change")); return true; })()`;

try {
  const url = pathToFileURL(resolve(htmlPath)).href;
  const page = await open(url, 1280, 900, false);
  const S = expected.summary;
  const cards = await page.evaluate(`Object.fromEntries(Array.from(
    document.querySelectorAll("#summary [data-k]")).map((c) =>
    [c.getAttribute("data-k"), c.querySelector(".v").textContent]))`);
  for (const k of ["files", "documents", "passed", "failed", "errors", "findings"])
    check(cards[k] === String(S[k]), `summary ${k} is ${S[k]} (page shows ${cards[k]})`);
  const rate = S.documents ? Math.round((S.passed / S.documents) * 1000) / 10 : 100;
  check(cards["pass-rate"] === `${rate}%`, `pass rate ${rate}% (page shows ${cards["pass-rate"]})`);
  check(await page.evaluate(`document.querySelectorAll("#charts svg").length`) >= 1,
        "an inline SVG chart is drawn");

  const all = await page.evaluate(visibleRows);
  check(all === expected.files.length, `every file is a row (${all} of ${expected.files.length})`);
  for (const v of ["FAIL", "PASS", "ERROR"]) {
    await page.evaluate(setVerdict(v));
    const want = expected.files.filter((f) => f.verdict === v).length;
    const got = await page.evaluate(visibleRows);
    check(got === want, `filter verdict=${v} shows ${want} rows (got ${got})`);
  }
  await page.evaluate(setVerdict(""));
  check(await page.evaluate(visibleRows) === all, "clearing the filter shows every row again");

  // Sorting by findings, descending: the first row has the most.
  await page.evaluate(`document.querySelector('th[data-sort="findings"]').click()`);
  const most = Math.max(...expected.files.map((f) =>
    f.documents.reduce((n, d) => n + d.findings.length, 0)));
  const firstCount = await page.evaluate(
    `document.querySelector("#file-table tbody tr.file td.num:nth-of-type(4)").textContent`);
  check(firstCount === String(most), `sorting by findings puts ${most} first (got ${firstCount})`);

  // Expanding a failing file shows its findings, the match highlighted.
  const failing = expected.files.find((f) => f.verdict === "FAIL" &&
    f.documents.some((d) => d.findings.some((x) => x.match)));
  if (failing) {
    const marks = await page.evaluate(`(() => {
      const row = Array.from(document.querySelectorAll("#file-table tbody tr.file"))
        .find((r) => r.querySelector("td.path").firstChild.textContent === ${JSON.stringify(failing.path)});
      row.click();
      const detail = row.nextElementSibling;
      return { findings: detail.querySelectorAll(".finding").length,
               marks: Array.from(detail.querySelectorAll("mark")).map((m) => m.textContent) };
    })()`);
    const findings = failing.documents.reduce((n, d) => n + d.findings.length, 0);
    check(marks.findings === findings, `expanding ${failing.path} shows its ${findings} findings`);
    const firstMatch = failing.documents.flatMap((d) => d.findings).find((x) => x.match).match;
    check(marks.marks.includes(firstMatch), `the match ${JSON.stringify(firstMatch)} is highlighted`);
  }
  check(await page.evaluate(`document.querySelectorAll("script[src], link[href], img[src]").length`) === 0,
        "no external assets");
  if (shotDir) await page.screenshot(join(shotDir, "report-desktop.png"), true);

  // A link with the filter in its fragment opens filtered.
  const linked = await open(`${url}#verdict=FAIL`, 1280, 900, false);
  const wantFail = expected.files.filter((f) => f.verdict === "FAIL").length;
  check(await linked.evaluate(visibleRows) === wantFail, "#verdict=FAIL opens filtered");

  // A phone: no sideways scrolling, the table turned into cards.
  const phone = await open(url, 390, 844, true);
  const overflow = await phone.evaluate(
    `document.documentElement.scrollWidth - document.documentElement.clientWidth`);
  check(overflow <= 0, `no horizontal scrolling at 390px (overflow ${overflow}px)`);
  check(await phone.evaluate(`getComputedStyle(document.querySelector("#file-table thead")).display`) === "none",
        "the table becomes cards on a phone");
  if (shotDir) {
    await phone.evaluate(`document.querySelector("#file-table tbody tr.file.expandable").click()`);
    await phone.screenshot(join(shotDir, "report-phone.png"), false);
  }
} catch (e) {
  check(false, `driving the page: ${e.message}`);
}
check(consoleErrors.length === 0,
      `no console errors${consoleErrors.length ? ": " + consoleErrors.join(" | ") : ""}`);
clearTimeout(watchdog);
const exited = new Promise((res) => browser.once("exit", res));
send("Browser.close").catch(() => {});
await Promise.race([exited, new Promise((res) => setTimeout(res, 5000))]);
browser.kill("SIGKILL");
try { rmSync(profile, { recursive: true, force: true }); } catch { /* best effort */ }
console.log(`${passes} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
