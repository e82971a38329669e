#!/usr/bin/env python3
"""Exports the patterns of the default packs for peer tools.

    bench/export_patterns.py RULES_DIR OUT_DIR

Writes OUT_DIR/patterns.pcre (one PCRE2 regex a line, (?i) where the rule
ignores case, for `rg -P -f`) and OUT_DIR/rules.yar (one YARA rule per
pattern: the regex itself where YARA's regex dialect accepts it, else the
alternatives of its required literals as `nocase` text strings, which is
what YARA would need anyway). Literals are turned into regexes as syndlint
does (punctuation escaped, spaces matching any run of whitespace); ${param}
takes the pack's default value. Only rules enabled by default are taken.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

import yaml


def literal_regex(text):
    out, i = [], 0
    text = text.strip()
    while i < len(text):
        c = text[i]
        if c.isspace():
            while i + 1 < len(text) and text[i + 1].isspace():
                i += 1
            out.append(r"\s+")
        elif ord(c) < 128 and not c.isalnum():
            out.append("\\" + c)
        else:
            out.append(c)
        i += 1
    return "".join(out)


def patterns(rules_dir):
    for path in sorted(glob.glob(os.path.join(rules_dir, "*.yaml"))):
        pack = yaml.safe_load(open(path))
        params = pack.get("params") or {}
        for rule in pack.get("rules", []):
            if rule.get("enabled", True) is False:
                continue
            rule_ic = rule.get("ignore_case", True)
            for key in ("forbid", "require", "detect"):
                items = rule.get(key)
                if items is None:
                    continue
                if not isinstance(items, list):
                    items = [items]
                for it in items:
                    if isinstance(it, str):
                        it = {"literal": it}
                    if "rule" in it:
                        continue
                    ic = it.get("ignore_case", rule_ic)
                    if "regex" in it:
                        rx = re.sub(r"\$\{(\w[\w-]*)\}",
                                    lambda m: re.escape(str(params.get(m.group(1), ""))), it["regex"])
                    else:
                        rx = literal_regex(re.sub(r"\$\{(\w[\w-]*)\}",
                                                  lambda m: str(params.get(m.group(1), "")),
                                                  it["literal"]))
                    yield rule["id"], rx, ic


def yara_ok(rule_text):
    with tempfile.NamedTemporaryFile("w", suffix=".yar", delete=False) as f:
        f.write(rule_text)
        name = f.name
    try:
        r = subprocess.run(["yara", name, "/dev/null"], capture_output=True)
        return r.returncode == 0
    finally:
        os.unlink(name)


def yara_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    rules_dir, out = sys.argv[1:3]
    os.makedirs(out, exist_ok=True)
    pats = list(patterns(rules_dir))
    with open(os.path.join(out, "patterns.pcre"), "w") as f:
        for _, rx, ic in pats:
            f.write(("(?i)" if ic else "") + rx + "\n")
    sys.path.insert(0, os.path.dirname(__file__))
    yrules, as_regex = [], 0
    for n, (rid, rx, ic) in enumerate(pats):
        name = "p%d_%s" % (n, re.sub(r"\W", "_", rid))
        # YARA has no non-capturing or option groups; plain groups mean
        # the same for matching.
        yrx = rx.replace("(?:", "(").replace("(?i:", "(").replace("/", "\\/")
        cand = "rule %s { strings: $a = /%s/%s condition: $a }\n" % (name, yrx, " nocase" if ic else "")
        if "(?" not in yrx and "\\p" not in rx and "\\K" not in rx and "\\x{" not in rx and yara_ok(cand):
            yrules.append(cand)
            as_regex += 1
            continue
        lits = literal_fallback(rx)
        if not lits:
            continue
        strs = " ".join("$s%d = %s nocase" % (i, yara_string(s)) for i, s in enumerate(lits))
        yrules.append("rule %s { strings: %s condition: any of them }\n" % (name, strs))
    with open(os.path.join(out, "rules.yar"), "w") as f:
        f.writelines(yrules)
    print("exported %d patterns: %d as YARA regexes, %d as YARA literal sets"
          % (len(pats), as_regex, len(yrules) - as_regex))


def literal_fallback(rx):
    """The longest plain-word run of a regex, for YARA when its dialect
    cannot take the regex (look-arounds, \\p, \\K)."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]{3,}", re.sub(r"\\[a-zA-Z]", " ", rx))
    return sorted(set(w.lower() for w in words), key=len, reverse=True)[:1]


if __name__ == "__main__":
    main()
