#!/usr/bin/env python3
"""Writes an RSS 2.0 feed of N items (default 50,000) to stdout, for the
feed memory benchmark (bench/feeds/run.sh). Items vary the way wire feeds
do: escaped HTML in description, CDATA content:encoded, dc:creator credits,
some without a guid, some with a syndication notice and no credit, and a
few with a placeholder left in. Deterministic: the same N gives the same
bytes.

usage: gen.py [N] [PAD]    PAD: bytes of XML comment added to every item
(default 0), to make items larger without making documents larger (the
memory test in tests/cli/feeds.sh)."""
import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
PAD = int(sys.argv[2]) if len(sys.argv) > 2 else 0
AGENCIES = ["PTI", "Reuters", "IANS", "AFP", "Press Trust of India", "ANI"]
NOTICE = ("(Only the headline and picture of this report may have been reworked by the "
          "Business Standard staff; the rest of the content is auto-generated from a "
          "syndicated feed.)")
out = sys.stdout
out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n'
          '<title>Benchmark wire</title><link>https://wire.example/</link>\n'
          '<description>Generated</description>\n')
for i in range(N):
    out.write("<item>\n")
    if PAD:
        out.write("  <!-- %s -->\n" % ("p" * PAD))
    out.write("  <title>Story %d: markets, monsoon and ministers</title>\n" % i)
    out.write("  <link>https://wire.example/story/%d</link>\n" % i)
    if i % 10:
        out.write("  <guid isPermaLink=\"false\">wire-%08d</guid>\n" % i)
    if i % 4:
        out.write("  <dc:creator>%s</dc:creator>\n" % AGENCIES[i % len(AGENCIES)])
    body = ("The state government on Monday announced a relief package for farmers hit "
            "by unseasonal rain, officials said in story %d." % i)
    if i % 1000 == 7:
        body += " Read {{free_limit}} more."
    if i % 3 == 0:
        out.write("  <description>&lt;p&gt;%s&lt;/p&gt;&lt;p&gt;%s&lt;/p&gt;</description>\n"
                  % (body, NOTICE))
    else:
        out.write("  <content:encoded><![CDATA[<p>%s</p><p>The minister said the money "
                  "would reach accounts within a week.</p>]]></content:encoded>\n" % body)
    out.write("  <pubDate>Mon, 04 Mar 2024 10:00:00 +0000</pubDate>\n</item>\n")
out.write("</channel>\n</rss>\n")
