#!/usr/bin/env python3
"""Deterministic corpus generator for the syndlint benchmark.

    bench/gen.py OUT_DIR --articles N [--seed S] [--mix text=60,html=30,rss=10]
                 [--violation-rate 0.05]

Writes OUT_DIR/{text,html,rss}/... and OUT_DIR/manifest.json. Articles are
news-like prose of realistic length (300 to 1,400 words, in paragraphs)
built from a fixed vocabulary; HTML pages carry real-looking markup (head,
meta tags, JSON-LD, navigation, scripts, an <article>, footer); RSS feeds
hold several items whose descriptions are escaped HTML. The same arguments
always give the same bytes.

A fraction of documents (--violation-rate) get one planted violation, a
sentence chosen from PLANTS; each plant is known to give exactly one finding
of one rule with the default packs, so the manifest's expected counts per
rule can be checked against a JSON report (bench/check_counts.py). The
clean prose avoids every phrase the default packs look for, but keeps the
words they are built from ("article", "limit", "press", "reading", "year"
...), so the prefilter finds candidates and regexes do run, as on real copy.
"""
import argparse
import html
import json
import os
import random

WORDS = """the of and to in a is that for on with as was by at it from be are has have
not this which or an they were but had their been will more its after who would about
over than new two year years people government minister said state police officials
city country first last week month day time told percent million billion market
company shares prices bank economy growth report reports article articles limit
limits press reading reader readers input inputs premium digital plan plans members
member election court judge ruling case cases health hospital doctors patients school
students teachers water power energy oil gas climate weather rain storm flood farmers
crops trade exports imports talks deal agreement leaders summit border security forces
army troops attack victims support quality service services local national global
district village town council mayor party vote votes voters campaign candidate policy
budget tax taxes spending debt interest rates inflation jobs workers union strike
factory industry technology phone internet data users online social media platform
team match season player players coach league cup final goal goals win won lost game
film music festival artist book author museum history culture science research study
scientists space mission launch satellite rocket nuclear plant project road rail
airport flight passengers train bus traffic accident fire rescue emergency relief aid
family families children women men young old community residents homes housing land
river coast island mountain region north south east west central capital province
morning evening night today yesterday tomorrow early late major minor senior junior
public private foreign domestic international official statement spokesperson agency
department ministry office committee board chief executive director president
chairman member analysts experts investors consumers customers sales revenue profit
loss quarter annual monthly weekly daily figures data survey poll results showed
expected announced added noted warned called asked rose fell climbed dropped gained
slipped jumped eased remained stood reached hit increased decreased""".split()

NAMES = """Amit Priya Rahul Sunita Vikram Anjali Rohan Kavita Arjun Meera David Sarah
Michael Laura James Elena Carlos Yuki Hiroshi Min-jun Seo-yeon Fatima Omar Chen Li""".split()
SURNAMES = """Sharma Patel Iyer Reddy Nair Gupta Singh Das Kumar Rao Smith Garcia
Muller Rossi Tanaka Kim Park Khan Wang Zhang Novak Silva""".split()
PLACES = """Mumbai Delhi Bengaluru Chennai Kolkata Hyderabad Pune Jaipur Lucknow Seoul
Tokyo Berlin Paris Madrid Lisbon Jakarta Nairobi Lagos Toronto Sydney""".split()

# (rule id, sentence): each gives exactly one finding of that rule.
PLANTS = [
    ("placeholder.mustache", "Dear {{ reader.first_name }}, thanks for staying with us."),
    ("placeholder.mustache", "The offer ends on {{offer_end_date}} for all households."),
    ("placeholder.template-tag", "Markets closed higher {% include 'ticker' %} on the day."),
    ("placeholder.lorem-ipsum", "The box still read Lorem ipsum dolor sit amet in the draft."),
    ("placeholder.object-object", "The caption read [object Object] under the photograph."),
    ("paywall.subscribe-prompt", "Subscribe now to continue reading."),
    ("paywall.meter-message", "You have read 3 of 5 free articles this month."),
    ("placeholder.dollar-brace", "Tickets cost ${ticket_price} at the gate."),
]
HTML_PLANTS = [
    ("paywall.vendor-piano", '<div class="tp-modal" style="display:none"></div>'),
    ("paywall.vendor-zephr", '<script src="/static/zephr-browser.min.js" async></script>'),
]


def sentence(r):
    n = r.randint(8, 28)
    ws = r.choices(WORDS, k=n)
    if r.random() < 0.5:
        ws.insert(r.randint(0, n - 1), r.choice(NAMES) + " " + r.choice(SURNAMES))
    if r.random() < 0.3:
        ws.insert(r.randint(0, n - 1), "in " + r.choice(PLACES))
    if r.random() < 0.3:
        ws.insert(r.randint(0, n - 1), str(r.randint(2, 9800)))
    s = " ".join(ws)
    s = s[0].upper() + s[1:]
    if r.random() < 0.15:
        s = "\u201c" + s + ",\u201d " + r.choice(NAMES) + " said."
    elif r.random() < 0.1:
        s = s + " \u2014 " + " ".join(r.choices(WORDS, k=5)) + "."
    else:
        s += "."
    return s


def paragraphs(r, words):
    out, count = [], 0
    while count < words:
        k = r.randint(2, 5)
        p = " ".join(sentence(r) for _ in range(k))
        count += p.count(" ") + 1
        out.append(p)
    return out


def title(r):
    t = " ".join(r.choices(WORDS, k=r.randint(5, 11)))
    return t[0].upper() + t[1:]


def plant(r, paras, plants):
    rule, text = r.choice(plants)
    i = r.randrange(len(paras))
    paras[i] = paras[i] + " " + text
    return rule


def text_article(r, rate):
    t = title(r)
    paras = paragraphs(r, r.randint(300, 1400))
    rules = []
    if r.random() < rate:
        rules.append(plant(r, paras, PLANTS))
    byline = "By %s %s" % (r.choice(NAMES), r.choice(SURNAMES))
    return t + "\n\n" + byline + "\n\n" + "\n\n".join(paras) + "\n", rules


def html_page(r, rate):
    t = title(r)
    paras = paragraphs(r, r.randint(300, 1400))
    rules = []
    extra = ""
    if r.random() < rate:
        if r.random() < 0.3:
            rule, extra = r.choice(HTML_PLANTS)
            rules.append(rule)
        else:
            rules.append(plant(r, paras, PLANTS))
    author = "%s %s" % (r.choice(NAMES), r.choice(SURNAMES))
    slug = t.lower().replace(" ", "-")[:60]
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": t, "author": {"@type": "Person", "name": author},
                     "datePublished": "2024-%02d-%02dT%02d:00:00Z" % (
                         r.randint(1, 12), r.randint(1, 28), r.randint(0, 23))})
    nav = "".join('<li class="nav-item"><a href="/%s">%s</a></li>' % (w, w.title())
                  for w in r.sample(WORDS[40:200], 8))
    body = "\n".join("<p>%s</p>" % html.escape(p, quote=False) for p in paras)
    related = "".join('<li><a href="/news/%d">%s</a></li>' % (r.randint(1, 99999), html.escape(title(r)))
                      for _ in range(5))
    page = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>%(t)s | The Daily Courier</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="author" content="%(a)s">
<meta property="og:title" content="%(t)s">
<meta property="og:url" content="https://courier.example/news/%(slug)s">
<link rel="stylesheet" href="/static/site.css">
<script type="application/ld+json">%(ld)s</script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}gtag('js',new Date());</script>
</head>
<body class="article-page">
<header class="site-header"><a class="logo" href="/">The Daily Courier</a>
<nav><ul class="nav">%(nav)s</ul></nav></header>
<main id="content">
<article class="story">
<h1 class="headline">%(t)s</h1>
<div class="byline">By <a rel="author" href="/authors/%(aslug)s">%(a)s</a> <time datetime="2024-05-01">May 1, 2024</time></div>
<figure><img src="/img/%(n)d.jpg" alt="%(t)s" width="800" height="450"><figcaption>%(cap)s</figcaption></figure>
%(body)s
%(extra)s
</article>
<aside class="related"><h2>Related</h2><ul>%(related)s</ul></aside>
</main>
<footer class="site-footer"><p>Contact the newsroom. Terms of use. Privacy policy.</p></footer>
<script src="/static/app.js" defer></script>
</body>
</html>
""" % {"t": html.escape(t), "a": author, "slug": slug, "ld": ld, "nav": nav,
       "aslug": author.lower().replace(" ", "-"), "n": r.randint(1, 99999),
       "cap": html.escape(sentence(r)), "body": body, "extra": extra, "related": related}
    return page, rules


def rss_feed(r, rate):
    items, rules = [], []
    for k in range(r.randint(3, 8)):
        t = title(r)
        paras = paragraphs(r, r.randint(150, 500))
        if r.random() < rate:
            rules.append(plant(r, paras, PLANTS))
        desc = html.escape("".join("<p>%s</p>" % html.escape(p, quote=False) for p in paras), quote=False)
        items.append("""<item>
<title>%s</title>
<link>https://courier.example/news/%d</link>
<guid isPermaLink="false">courier-%d</guid>
<pubDate>Wed, 01 May 2024 %02d:00:00 GMT</pubDate>
<description>%s</description>
</item>""" % (html.escape(t), r.randint(1, 10**6), r.randint(1, 10**9), r.randint(0, 23), desc))
    feed = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>The Daily Courier</title><link>https://courier.example/</link>
<description>Latest news</description>
%s
</channel></rss>
""" % "\n".join(items)
    return feed, rules


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mix", default="text=60,html=30,rss=10")
    ap.add_argument("--violation-rate", type=float, default=0.05)
    a = ap.parse_args()
    mix = {k: int(v) for k, v in (p.split("=") for p in a.mix.split(","))}
    kinds = [k for k in ("text", "html", "rss") if mix.get(k)]
    weights = [mix[k] for k in kinds]
    r = random.Random(a.seed)
    manifest = {"seed": a.seed, "articles": a.articles, "mix": mix,
                "violation_rate": a.violation_rate, "files": {}, "bytes": {},
                "expected": {}}
    for k in kinds:
        os.makedirs(os.path.join(a.out, k), exist_ok=True)
        manifest["files"][k] = 0
        manifest["bytes"][k] = 0
        manifest["expected"][k] = {}
    for i in range(a.articles):
        kind = r.choices(kinds, weights)[0]
        if kind == "text":
            data, rules = text_article(r, a.violation_rate)
            name = "a%07d.txt" % i
        elif kind == "html":
            data, rules = html_page(r, a.violation_rate)
            name = "a%07d.html" % i
        else:
            data, rules = rss_feed(r, a.violation_rate)
            name = "a%07d.xml" % i
        # Directories of at most 1,000 files, as a CMS export would have.
        sub = os.path.join(a.out, kind, "%04d" % (i // 1000))
        os.makedirs(sub, exist_ok=True)
        b = data.encode("utf-8")
        with open(os.path.join(sub, name), "wb") as f:
            f.write(b)
        manifest["files"][kind] += 1
        manifest["bytes"][kind] += len(b)
        for rule in rules:
            e = manifest["expected"][kind]
            e[rule] = e.get(rule, 0) + 1
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
