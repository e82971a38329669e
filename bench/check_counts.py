#!/usr/bin/env python3
"""Compares a syndlint JSON report with the planted violations.

    bench/check_counts.py MANIFEST KIND REPORT.json

Exits 0 when the findings per rule equal the manifest's expected counts for
KIND (text, html or rss) and no file is ERROR; prints the differences
otherwise.
"""
import json
import sys


def main():
    manifest, kind, report = sys.argv[1:4]
    want = json.load(open(manifest))["expected"].get(kind, {})
    rep = json.load(open(report))
    got, errors = {}, 0
    for f in rep["files"]:
        if f["verdict"] == "ERROR":
            errors += 1
        for d in f["documents"]:
            for x in d["findings"]:
                got[x["rule"]] = got.get(x["rule"], 0) + 1
    ok = got == want and errors == 0
    if not ok:
        for rule in sorted(set(want) | set(got)):
            if want.get(rule, 0) != got.get(rule, 0):
                print("%s: %s: planted %d, found %d" % (kind, rule, want.get(rule, 0), got.get(rule, 0)))
        if errors:
            print("%s: %d files ERROR" % (kind, errors))
    print("%s: findings %s planted (%d findings)" % (kind, "==" if ok else "!=", sum(got.values())))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
