#!/usr/bin/env python3
"""Benchmark harness: syndlint against ripgrep and YARA on generated corpora.

    bench/run.py [--syndlint PATH] [--rules-dir DIR] [--out DIR]
                 [--text-mb 200] [--html-mb 100] [--runs 5] [--smoke]

Generates (bench/gen.py) a text corpus at three sizes (--text-mb, half and a
quarter of it) and an HTML corpus, exports the default packs' patterns
(bench/export_patterns.py), and for 1 and 2 threads times, as the median of
--runs runs after one warm-up (page cache warm, output to /dev/null):

  syndlint   syndlint scan -q -jT (default packs)
  rg-floor   rg -jT -F <one absent literal>         (reading and one memchr)
  rg-f       rg -jT -P -f patterns.pcre             (the same patterns; ripgrep
             joins them into one PCRE2 regex, and past PCRE2's size limit
             they go in parts, one rg run each, the times added)
  yara       yara -r -p T rules.yar                 (the same patterns)

It prints MB/s, files/s and peak RSS for each, the ratio of syndlint's time
to each other tool's, the speed-up from 1 to 2 threads, MB/s across the
three text sizes (linearity), and checks that syndlint's findings equal the
planted violations. Results also go to OUT/results.json.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ABSENT = "zqxjkvwbpfmh"
RSS_FILE = "/tmp/syndlint-bench-rss.%d" % os.getpid()


def run_once(cmd, ok_codes):
    t0 = time.monotonic()
    with open(os.devnull, "wb") as null:
        # Peak RSS through GNU time: ru_maxrss survives exec, so a child
        # forked from Python would report Python's own size.
        p = subprocess.Popen(["/usr/bin/time", "-f", "%x %M", "-o", RSS_FILE] + cmd,
                             stdout=null, stderr=subprocess.PIPE)
        _, err = p.communicate()
    dt = time.monotonic() - t0
    code_s, kb = open(RSS_FILE).read().split()[-2:]
    code = int(code_s)
    if code not in ok_codes:
        raise RuntimeError("%s exited %d: %s" % (" ".join(cmd[:4]), code, err[:300]))
    return dt, int(kb) * 1024


def measure(cmd, runs, ok_codes):
    """cmd: one command, or a list of commands run one after the other
    (their times added) that together do the job."""
    cmds = cmd if isinstance(cmd[0], list) else [cmd]
    for c in cmds:
        run_once(c, ok_codes)  # warm-up: page cache, JIT, lazy loading
    times, rss = [], 0
    for _ in range(runs):
        dt = 0.0
        for c in cmds:
            d, r = run_once(c, ok_codes)
            dt += d
            rss = max(rss, r)
        times.append(dt)
    return {"median_s": statistics.median(times), "times": times, "peak_rss": rss}


def rg_pattern_parts(pats):
    """patterns.pcre in parts ripgrep accepts: it joins a -f file's lines
    into one PCRE2 regex, which PCRE2 refuses past its compiled size limit
    ("regular expression is too large"). A part that is refused is split
    in two until each compiles; a user would have to run rg once per part."""
    lines = [l for l in open(os.path.join(pats, "patterns.pcre")).read().splitlines() if l]

    def compiles(part):
        path = os.path.join(pats, "probe.pcre")
        with open(path, "w") as f:
            f.write("\n".join(part) + "\n")
        r = subprocess.run(["rg", "-P", "-f", path, os.devnull], capture_output=True)
        return r.returncode in (0, 1)

    todo, parts = [lines], []
    while todo:
        part = todo.pop(0)
        if len(part) <= 1 or compiles(part):
            parts.append(part)
        else:
            todo[:0] = [part[:len(part) // 2], part[len(part) // 2:]]
    paths = []
    for i, part in enumerate(parts):
        path = os.path.join(pats, "patterns-%d.pcre" % i)
        with open(path, "w") as f:
            f.write("\n".join(part) + "\n")
        paths.append(path)
    return paths


def corpus(out, kind, articles, seed):
    path = os.path.join(out, "%s-%d" % (kind, articles))
    if not os.path.exists(os.path.join(path, "manifest.json")):
        mix = "text=1" if kind == "text" else "html=1"
        subprocess.check_call([sys.executable, os.path.join(HERE, "gen.py"), path,
                               "--articles", str(articles), "--seed", str(seed), "--mix", mix])
    m = json.load(open(os.path.join(path, "manifest.json")))
    return path, m["bytes"][kind], m["files"][kind], m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--syndlint", default=os.path.join(HERE, "..", "build-perf", "src", "cli", "syndlint"))
    ap.add_argument("--rules-dir", default=os.path.join(HERE, "..", "rules"))
    ap.add_argument("--out", default="/tmp/syndlint-bench")
    ap.add_argument("--text-mb", type=float, default=200)
    ap.add_argument("--html-mb", type=float, default=100)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--smoke", action="store_true", help="tiny corpora, one run: checks the harness")
    a = ap.parse_args()
    if a.smoke:
        a.text_mb, a.html_mb, a.runs = 0.4, 0.4, 1
    os.makedirs(a.out, exist_ok=True)
    threads = [int(t) for t in a.threads.split(",")]
    have = {t: shutil.which(t) is not None for t in ("rg", "yara")}
    pats = os.path.join(a.out, "patterns")
    if have["yara"] or have["rg"]:
        subprocess.check_call([sys.executable, os.path.join(HERE, "export_patterns.py"),
                               a.rules_dir, pats], stdout=subprocess.DEVNULL if a.smoke else None)
    rg_parts = rg_pattern_parts(pats) if have["rg"] else []
    if len(rg_parts) > 1:
        print("rg -P -f: the patterns in %d parts (PCRE2's size limit)" % len(rg_parts))
    # Average sizes measured on the generator: ~6.1 KB per text article,
    # ~9.0 KB per HTML page.
    text_n = max(20, int(a.text_mb * 1e6 / 6100))
    sets = [("text", n) for n in (text_n // 4, text_n // 2, text_n)]
    sets.append(("html", max(20, int(a.html_mb * 1e6 / 9000))))
    results = []
    for kind, n in sets:
        path, nbytes, nfiles, manifest = corpus(a.out, kind, n, 1)
        # Findings must equal the planted violations.
        rep = os.path.join(a.out, "report-%s-%d.json" % (kind, n))
        with open(rep, "w") as f:
            subprocess.run([a.syndlint, "scan", "--rules-dir", a.rules_dir, "--format", "json", path],
                           stdout=f, check=False)
        chk = subprocess.run([sys.executable, os.path.join(HERE, "check_counts.py"),
                              os.path.join(path, "manifest.json"), kind, rep],
                             capture_output=True, text=True)
        print(chk.stdout.strip())
        counts_ok = chk.returncode == 0
        is_full = n == max(x[1] for x in sets if x[0] == kind)
        for t in threads:
            tools = [("syndlint", [a.syndlint, "scan", "--rules-dir", a.rules_dir, "-q", "-j%d" % t,
                                   "--color", "never", path], (0, 1))]
            if is_full and have["rg"]:
                tools.append(("rg-floor", ["rg", "-j%d" % t, "-F", ABSENT, path], (1,)))
                tools.append(("rg-f", [["rg", "-j%d" % t, "-P", "-f", part, path]
                                       for part in rg_parts], (0, 1)))
            if is_full and have["yara"]:
                tools.append(("yara", ["yara", "-r", "-p", str(t),
                                       os.path.join(pats, "rules.yar"), path], (0, 1)))
            row = {}
            for name, cmd, codes in tools:
                m = measure(cmd, a.runs, codes)
                m.update(tool=name, kind=kind, articles=n, bytes=nbytes, files=nfiles, threads=t,
                         mb_s=nbytes / 1e6 / m["median_s"], files_s=nfiles / m["median_s"],
                         counts_ok=counts_ok if name == "syndlint" else None)
                row[name] = m
                results.append(m)
            s = row["syndlint"]["median_s"]
            for name, m in row.items():
                ratio = "" if name == "syndlint" else "  syndlint/%s time %.2fx" % (name, s / m["median_s"])
                print("%-5s %6.1f MB %6d files  -j%d  %-9s %8.1f MB/s %9.0f files/s  RSS %6.1f MB%s"
                      % (kind, nbytes / 1e6, nfiles, t, name, m["mb_s"], m["files_s"],
                         m["peak_rss"] / 1e6, ratio))
            sys.stdout.flush()
    # Thread scaling and linearity.
    def get(kind, n, t, tool="syndlint"):
        for r in results:
            if (r["kind"], r["articles"], r["threads"], r["tool"]) == (kind, n, t, tool):
                return r
    if len(threads) > 1:
        for kind, n in sets:
            one, two = get(kind, n, threads[0]), get(kind, n, threads[1])
            print("scaling %s %d files: -j%d/-j%d speed-up %.2fx" % (kind, one["files"], threads[0], threads[1],
                                                                    one["median_s"] / two["median_s"]))
    lin = [get("text", n, threads[0]) for k, n in sets if k == "text"]
    print("linearity (text, -j%d): " % threads[0] +
          ", ".join("%.1f MB in %.2f s = %.1f MB/s" % (r["bytes"] / 1e6, r["median_s"], r["mb_s"]) for r in lin))
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    bad = [r for r in results if r["counts_ok"] is False]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
