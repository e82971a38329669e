/* syndlint HTML report: renders the results embedded as JSON in
   #syndlint-data. Only DOM calls that treat data as text (textContent,
   setAttribute) touch the results, so article text never becomes markup.
   Filters live in the URL fragment (#verdict=FAIL&category=paywall), so a
   filtered view can be bookmarked or linked from a CI job. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("syndlint-data").textContent);
  var S = data.summary;
  var SVGNS = "http://www.w3.org/2000/svg";
  var ORDER = { PASS: 0, FAIL: 1, ERROR: 2 };
  var SEV_COLORS = { error: "#cf222e", warning: "#9a6700", info: "#57606a" };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function badge(verdict) { return el("span", "badge " + verdict, verdict); }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  /* ---- summary */
  var rate = S.documents ? Math.round((S.passed / S.documents) * 1000) / 10 : 100;
  document.getElementById("meta").textContent = "syndlint " + data.version + " \u00b7 " +
    plural(S.files, "file") + ", " + plural(S.documents, "document") +
    (S.baseline ? " \u00b7 " + S.baseline + " baseline finding" + (S.baseline === 1 ? "" : "s") : "");
  var cards = document.getElementById("summary");
  [["files", "Files", S.files, ""], ["documents", "Documents", S.documents, ""],
   ["passed", "Passed", S.passed, "pass"], ["failed", "Failed", S.failed, "fail"],
   ["errors", "Errors", S.errors, "error"], ["findings", "Findings", S.findings, ""],
   ["pass-rate", "Pass rate", rate + "%", ""]].forEach(function (c) {
    var card = el("div", "card " + c[3]);
    card.setAttribute("data-k", c[0]);
    card.appendChild(el("span", "v", c[2]));
    card.appendChild(el("span", "k", c[1]));
    cards.appendChild(card);
  });

  /* ---- per-file facts used by the table, the filters and the charts */
  var byCategory = {}, bySeverity = { error: 0, warning: 0, info: 0 };
  var files = data.files.map(function (f, index) {
    var cats = {}, n = 0;
    f.documents.forEach(function (d) {
      d.findings.forEach(function (x) {
        n++;
        cats[x.category] = true;
        byCategory[x.category] = (byCategory[x.category] || 0) + 1;
        bySeverity[x.severity] = (bySeverity[x.severity] || 0) + 1;
      });
    });
    return { f: f, index: index, findings: n, categories: Object.keys(cats).sort(), row: null,
             detail: null };
  });

  /* ---- charts: horizontal bars, one SVG each */
  function barChart(title, entries) {
    var box = el("div", "chart");
    box.appendChild(el("h3", null, title));
    if (!entries.length) {
      box.appendChild(el("p", "empty", "No findings."));
      return box;
    }
    var max = Math.max.apply(null, entries.map(function (e) { return e.count; })) || 1;
    var rowH = 24, labelW = 110, width = 360;
    var s = svg("svg", { viewBox: "0 0 " + width + " " + (entries.length * rowH + 4),
                         role: "img", "aria-label": title });
    entries.forEach(function (e, i) {
      var y = i * rowH + 2;
      var label = svg("text", { x: 0, y: y + 16 });
      label.textContent = e.label;
      s.appendChild(label);
      var w = Math.max(2, Math.round(((width - labelW - 40) * e.count) / max));
      s.appendChild(svg("rect", { x: labelW, y: y + 3, width: w, height: rowH - 8, rx: 3,
                                  fill: e.color }));
      var n = svg("text", { x: labelW + w + 6, y: y + 16 });
      n.textContent = String(e.count);
      s.appendChild(n);
    });
    box.appendChild(s);
    return box;
  }
  var charts = document.getElementById("charts");
  charts.appendChild(barChart("Findings by category", Object.keys(byCategory).sort()
    .map(function (c) { return { label: c, count: byCategory[c], color: "#0969da" }; })));
  charts.appendChild(barChart("Findings by severity", ["error", "warning", "info"]
    .filter(function (k) { return bySeverity[k]; })
    .map(function (k) { return { label: k, count: bySeverity[k], color: SEV_COLORS[k] }; })));

  /* ---- trend against a compared report */
  if (data.trend) {
    var t = document.getElementById("trend");
    t.hidden = false;
    t.appendChild(el("h2", null, "Trend"));
    var p = el("p");
    var nNew = el("strong", null, data.trend["new"] + " new");
    nNew.setAttribute("data-k", "new");
    var nFixed = el("strong", null, data.trend.fixedCount + " fixed");
    nFixed.setAttribute("data-k", "fixed");
    p.appendChild(nNew);
    p.appendChild(document.createTextNode(", "));
    p.appendChild(nFixed);
    p.appendChild(document.createTextNode(" since the compared report. New findings are tagged \u201cnew\u201d below."));
    t.appendChild(p);
    if (data.trend.fixed.length) {
      var ul = el("ul");
      data.trend.fixed.slice(0, 50).forEach(function (x) {
        ul.appendChild(el("li", null, "fixed: " + (x.id || x.path) + " " + x.line + ":" + x.column +
                                      " " + x.rule + " \u2014 " + x.message));
      });
      if (data.trend.fixed.length > 50)
        ul.appendChild(el("li", null, "\u2026 and " + (data.trend.fixed.length - 50) + " more"));
      t.appendChild(ul);
    }
  }

  /* ---- filters */
  var fVerdict = document.getElementById("f-verdict");
  var fCategory = document.getElementById("f-category");
  var fText = document.getElementById("f-text");
  Object.keys(byCategory).sort().forEach(function (c) {
    var o = el("option", null, c);
    o.value = c;
    fCategory.appendChild(o);
  });

  /* ---- the table */
  var tbody = document.querySelector("#file-table tbody");
  function findingView(x) {
    var box = el("div", "finding " + x.severity);
    var head = el("div");
    head.appendChild(el("span", "sev " + x.severity, x.severity));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("span", "rule", x.rule));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("span", "where", "line " + x.line + ", column " + x.column + " \u00b7 " + x.scope));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("span", "tag", x.category));
    if (x.baseline) head.appendChild(el("span", "tag baseline", "baseline"));
    if (typeof x.suppressed === "string")
      head.appendChild(el("span", "tag baseline", "suppressed: " + x.suppressed));
    if (x["new"]) head.appendChild(el("span", "tag new", "new"));
    box.appendChild(head);
    box.appendChild(el("div", "msg", x.message));
    if (x.match || x.before || x.after) {
      var pre = el("pre", "ctx");
      if (x.before) pre.appendChild(document.createTextNode(x.before));
      if (x.match) pre.appendChild(el("mark", null, x.match));
      if (x.after) pre.appendChild(document.createTextNode(x.after));
      box.appendChild(pre);
    }
    return box;
  }
  function detailRow(item) {
    var tr = el("tr", "detail");
    var td = el("td");
    td.colSpan = 5;
    var f = item.f;
    var single = f.documents.length === 1 && f.documents[0].id === f.path;
    f.documents.forEach(function (d) {
      var box = el("div", "doc");
      if (!single || d.title) {
        var h = el("div", "doc-head");
        if (!single) { h.appendChild(badge(d.verdict)); h.appendChild(document.createTextNode(" " + d.id)); }
        if (d.title) h.appendChild(document.createTextNode((single ? "" : " \u2014 ") + d.title));
        box.appendChild(h);
      }
      if (d.error) box.appendChild(el("div", "doc-error", d.error));
      if (!d.findings.length && !d.error) box.appendChild(el("div", "empty", "No findings."));
      d.findings.forEach(function (x) { box.appendChild(findingView(x)); });
      td.appendChild(box);
    });
    tr.appendChild(td);
    return tr;
  }
  function toggle(item) {
    if (!item.detail) {
      item.detail = detailRow(item);
      item.row.parentNode.insertBefore(item.detail, item.row.nextSibling);
    } else {
      item.detail.hidden = !item.detail.hidden;
    }
    var open = !item.detail.hidden;
    item.row.classList.toggle("open", open);
    item.row.setAttribute("aria-expanded", open ? "true" : "false");
  }
  files.forEach(function (item) {
    var f = item.f;
    var tr = el("tr", "file");
    tr.setAttribute("data-verdict", f.verdict);
    var path = el("td", "path", f.path);
    if (f.error) {
      path.appendChild(el("div", "doc-error", f.error));
    }
    tr.appendChild(path);
    var v = el("td");
    v.setAttribute("data-label", "Verdict");
    v.appendChild(badge(f.verdict));
    tr.appendChild(v);
    var nd = el("td", "num", f.documents.length);
    nd.setAttribute("data-label", "Documents");
    tr.appendChild(nd);
    var nf = el("td", "num", item.findings);
    nf.setAttribute("data-label", "Findings");
    tr.appendChild(nf);
    var cats = el("td");
    item.categories.forEach(function (c) { cats.appendChild(el("span", "tag", c)); });
    tr.appendChild(cats);
    if (item.findings || f.verdict !== "PASS") {
      tr.classList.add("expandable");
      tr.tabIndex = 0;
      tr.setAttribute("aria-expanded", "false");
      tr.addEventListener("click", function () { toggle(item); });
      tr.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(item); }
      });
    }
    item.row = tr;
    tbody.appendChild(tr);
  });

  function apply() {
    var v = fVerdict.value, c = fCategory.value, q = fText.value.trim().toLowerCase();
    var shown = 0;
    files.forEach(function (item) {
      var f = item.f;
      var ok = (!v || f.verdict === v) && (!c || item.categories.indexOf(c) >= 0);
      if (ok && q) {
        ok = f.path.toLowerCase().indexOf(q) >= 0 || f.documents.some(function (d) {
          return d.findings.some(function (x) { return x.rule.toLowerCase().indexOf(q) >= 0; });
        });
      }
      item.row.hidden = !ok;
      if (item.detail) item.detail.hidden = !ok || !item.row.classList.contains("open");
      if (ok) shown++;
    });
    document.getElementById("f-count").textContent = shown + " of " + plural(files.length, "file");
    var state = [];
    if (v) state.push("verdict=" + encodeURIComponent(v));
    if (c) state.push("category=" + encodeURIComponent(c));
    if (q) state.push("q=" + encodeURIComponent(q));
    var hash = state.length ? "#" + state.join("&") : "";
    if (location.hash !== hash) {
      try { history.replaceState(null, "", hash || location.pathname + location.search); }
      catch (e) { /* some viewers forbid it; the filter still applies */ }
    }
  }
  function fromHash() {
    var h = location.hash.replace(/^#/, "");
    var st = {};
    h.split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) st[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
    });
    if (st.verdict !== undefined && ORDER[st.verdict] !== undefined) fVerdict.value = st.verdict;
    if (st.category !== undefined && byCategory[st.category]) fCategory.value = st.category;
    if (st.q !== undefined) fText.value = st.q;
  }
  [fVerdict, fCategory].forEach(function (s) { s.addEventListener("change", apply); });
  fText.addEventListener("input", apply);
  window.addEventListener("hashchange", function () { fromHash(); apply(); });

  /* ---- sorting */
  var sortKey = null, sortDir = 1;
  var keys = {
    path: function (a, b) { return a.f.path < b.f.path ? -1 : a.f.path > b.f.path ? 1 : 0; },
    verdict: function (a, b) { return ORDER[a.f.verdict] - ORDER[b.f.verdict]; },
    docs: function (a, b) { return a.f.documents.length - b.f.documents.length; },
    findings: function (a, b) { return a.findings - b.findings; }
  };
  Array.prototype.forEach.call(document.querySelectorAll("th[data-sort]"), function (th) {
    th.tabIndex = 0;
    function sort() {
      var k = th.getAttribute("data-sort");
      sortDir = sortKey === k ? -sortDir : (k === "path" ? 1 : -1);
      sortKey = k;
      Array.prototype.forEach.call(document.querySelectorAll("th[data-sort]"), function (o) {
        o.removeAttribute("aria-sort");
      });
      th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
      files.slice().sort(function (a, b) {
        return sortDir * keys[k](a, b) || a.index - b.index;
      }).forEach(function (item) {
        tbody.appendChild(item.row);
        if (item.detail) tbody.appendChild(item.detail);
      });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
  });

  if (!files.length) {
    var tr = el("tr");
    var td = el("td", "empty", "No files were scanned.");
    td.colSpan = 5;
    tr.appendChild(td);
    tbody.appendChild(tr);
  }
  fromHash();
  apply();
})();
