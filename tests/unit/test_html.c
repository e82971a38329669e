/* Unit tests: the HTML loader (field extraction, the source offset map,
 * meta tags, JSON-LD, broken markup) and the tree builder under it. */
#include <check.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field_text.h"
#include "input/html_tree.h"
#include "input/input.h"

#ifndef SL_TEST_FIXTURES
#define SL_TEST_FIXTURES "tests/fixtures"
#endif

/* ---------------------------------------------------------------- helpers */

typedef struct loaded {
    sl_source src;
    sl_doclist docs;
    sl_diag diag;
    const sl_document *d;
} loaded;

/* Loads `len` bytes of UTF-8 straight through sl_load_html. */
static void load_html_n(loaded *l, const char *html, size_t len)
{
    memset(l, 0, sizeof *l);
    char *copy = malloc(len + 1);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, html, len);
    copy[len] = '\0';
    ck_assert_int_eq(sl_source_init(&l->src, "t.html", copy, len), SL_OK);
    sl_status st = sl_load_html(&l->src, &l->docs, &l->diag);
    ck_assert_msg(st == SL_OK, "sl_load_html: %s", l->diag.message);
    ck_assert_uint_eq(l->docs.ndocs, 1);
    l->d = &l->docs.docs[0];
}

static void load_html(loaded *l, const char *html)
{
    load_html_n(l, html, strlen(html));
}

static void load_fixture(loaded *l, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/input/%s", SL_TEST_FIXTURES, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open fixture %s", path);
    char *buf = malloc(1 << 16);
    ck_assert_ptr_nonnull(buf);
    size_t len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    memset(l, 0, sizeof *l);
    sl_status st = sl_input_load(name, buf, len, SL_INPUT_AUTO, &l->src, &l->docs, &l->diag);
    free(buf);
    ck_assert_msg(st == SL_OK, "%s: %s", name, l->diag.message);
    ck_assert_uint_eq(l->docs.ndocs, 1);
    l->d = &l->docs.docs[0];
}

static void unload(loaded *l)
{
    sl_doclist_clear(&l->docs);
    sl_source_clear(&l->src);
}

static void assert_pos(const sl_source *src, const sl_field *f, size_t i, unsigned line,
                       unsigned col)
{
    unsigned l, c;
    ck_assert_uint_le(i, f->len);
    sl_source_position(src, sl_field_offset(f, i), &l, &c);
    ck_assert_msg(l == line && c == col, "byte %zu ('%c') of '%s' at %u:%u, expected %u:%u", i,
                  i < f->len ? f->text[i] : '$', text_of(f), l, c, line, col);
}

static const sl_field *meta(const sl_document *d, const char *name, size_t nth)
{
    for (size_t i = 0; i < d->nmeta; i++)
        if (strcmp(d->meta[i].name, name) == 0 && nth-- == 0)
            return &d->meta[i].value;
    return NULL;
}

static size_t meta_count(const sl_document *d, const char *name)
{
    size_t n = 0;
    for (size_t i = 0; i < d->nmeta; i++)
        n += strcmp(d->meta[i].name, name) == 0;
    return n;
}

/* Every byte of every field maps inside the source. */
static void assert_maps_in_range(const loaded *l)
{
    const sl_document *d = l->d;
    const sl_field *fs[] = {&d->title, &d->body, &d->code, &d->raw, &d->page};
    for (size_t k = 0; k < sizeof fs / sizeof fs[0]; k++)
        for (size_t i = 0; i < fs[k]->len; i++)
            ck_assert_uint_lt(sl_field_offset(fs[k], i), l->src.len + 1);
}

/* -------------------------------------------------------------- fixture */

START_TEST(article_fields)
{
    loaded l;
    load_fixture(&l, "article.html");
    const sl_document *d = l.d;
    ck_assert_str_eq(d->id, "article.html");
    ck_assert_str_eq(text_of(&d->title), "Rains lash Mumbai & suburbs");
    /* body is the article; the site navigation and the paywall box after
     * </article> are page chrome. The whitespace after </body> is not. */
    ck_assert_str_eq(text_of(&d->body),
                     "\nRains lash Mumbai\n\n"
                     "MUMBAI, July 5 (PTI) \xE2\x80\x94 Heavy rain lashed the city on Friday.\n\n\n"
                     "Residents of Andheri said the water was knee-deep.\n\n\n\n"
                     "Use  in the template.\n\n");
    ck_assert_str_eq(text_of(&d->chrome), "\n\n\nHome | News\n\n\n"
                                          "You have read {{free_limit}} free articles.\n\n");
    ck_assert_str_eq(text_of(&d->code), "curl -s https://example.com/{{api_key}}\n{0}\n");
    /* Script and style text is not visible. */
    ck_assert_ptr_null(strstr(text_of(&d->body), "document.write"));
    ck_assert_ptr_null(strstr(text_of(&d->body), "color"));
    ck_assert_ptr_null(strstr(text_of(&d->body), "@context"));
    assert_maps_in_range(&l);
    unload(&l);
}
END_TEST

START_TEST(article_raw_and_page)
{
    loaded l;
    load_fixture(&l, "article.html");
    const sl_document *d = l.d;
    /* raw is the <article> markup, comments included; the "</article>"
     * inside the script string does not end it. */
    const char *raw = text_of(&d->raw);
    ck_assert_int_eq(strncmp(raw, "<article class=\"story\">\n<h1>", 28), 0);
    static const char tail[] = "in the template.</p>\n</article>";
    ck_assert_uint_ge(d->raw.len, sizeof tail - 1);
    ck_assert_str_eq(raw + d->raw.len - (sizeof tail - 1), tail);
    ck_assert_ptr_nonnull(strstr(raw, "<!-- ad slot -->"));
    ck_assert_ptr_nonnull(strstr(raw, "document.write(\"</article>\"); }</script>"));
    ck_assert_ptr_null(strstr(raw, "paywall"));
    assert_pos(&l.src, &d->raw, 0, 21, 1);
    assert_pos(&l.src, &d->raw, d->raw.len - 1, 29, 10);
    /* page is the whole file, byte for byte (it has no "\r"), and like
     * raw is read in place. */
    ck_assert_int_eq(d->page.borrowed, 1);
    ck_assert_int_eq(d->raw.borrowed, 1);
    ck_assert_ptr_eq(d->page.text, l.src.data);
    ck_assert_uint_eq(d->page.len, l.src.len);
    ck_assert_str_eq(text_of(&d->page), l.src.data);
    assert_pos(&l.src, &d->page, index_of(&d->page, "paywall"), 30, 13);
    unload(&l);
}
END_TEST

START_TEST(article_positions)
{
    loaded l;
    load_fixture(&l, "article.html");
    const sl_document *d = l.d;
    /* Numeric references: each decoded byte maps to its own '&'. */
    size_t i = index_of(&d->chrome, "{{free_limit}}");
    assert_pos(&l.src, &d->chrome, i, 30, 36);
    assert_pos(&l.src, &d->chrome, i + 1, 30, 42);
    assert_pos(&l.src, &d->chrome, i + 2, 30, 48);
    assert_pos(&l.src, &d->chrome, i + 12, 30, 58);
    assert_pos(&l.src, &d->chrome, i + 13, 30, 64);
    assert_pos(&l.src, &d->chrome, i + 14, 30, 70);
    /* A named entity decoding to three bytes maps them all to its '&'. */
    i = index_of(&d->body, "\xE2\x80\x94");
    assert_pos(&l.src, &d->body, i, 23, 25);
    assert_pos(&l.src, &d->body, i + 2, 23, 25);
    assert_pos(&l.src, &d->body, i + 4, 23, 33);
    /* Text inside nested inline elements. */
    assert_pos(&l.src, &d->body, index_of(&d->body, "lash Mumbai"), 22, 15);
    assert_pos(&l.src, &d->body, index_of(&d->body, "knee"), 25, 47);
    assert_pos(&l.src, &d->code, index_of(&d->code, "{{api_key}}"), 27, 34);
    assert_pos(&l.src, &d->code, index_of(&d->code, "{0}"), 28, 14);
    assert_pos(&l.src, &d->title, 0, 5, 8);
    assert_pos(&l.src, &d->title, index_of(&d->title, "&"), 5, 26);
    unload(&l);
}
END_TEST

START_TEST(article_meta)
{
    loaded l;
    load_fixture(&l, "article.html");
    const sl_document *d = l.d;
    /* <meta> tags: names lower-cased, values decoded and mapped. */
    ck_assert_str_eq(text_of(meta(d, "author", 0)), "Priya Sharma");
    assert_pos(&l.src, meta(d, "author", 0), 0, 6, 30);
    ck_assert_str_eq(text_of(meta(d, "og:title", 0)), "Rains lash Mumbai");
    ck_assert_str_eq(text_of(meta(d, "description", 0)), "Heavy rain & flooding in Mumbai");
    const sl_field *desc = meta(d, "description", 0);
    assert_pos(&l.src, desc, 0, 8, 35);
    assert_pos(&l.src, desc, index_of(desc, "&"), 8, 46);
    assert_pos(&l.src, desc, index_of(desc, "flooding"), 8, 52);
    /* JSON-LD: two more authors, publisher, credit, paywall flag, headline. */
    ck_assert_uint_eq(meta_count(d, "author"), 3);
    ck_assert_str_eq(text_of(meta(d, "author", 1)), "Priya Sharma");
    assert_pos(&l.src, meta(d, "author", 1), 0, 12, 42);
    ck_assert_str_eq(text_of(meta(d, "author", 2)), "Desk Staff");
    assert_pos(&l.src, meta(d, "author", 2), 0, 12, 59);
    ck_assert_str_eq(text_of(meta(d, "publisher", 0)), "Daily Example");
    assert_pos(&l.src, meta(d, "publisher", 0), 0, 13, 50);
    ck_assert_str_eq(text_of(meta(d, "credit", 0)), "PTI");
    assert_pos(&l.src, meta(d, "credit", 0), 0, 14, 25);
    ck_assert_str_eq(text_of(meta(d, "isaccessibleforfree", 0)), "false");
    assert_pos(&l.src, meta(d, "isaccessibleforfree", 0), 0, 15, 25);
    ck_assert_str_eq(text_of(meta(d, "headline", 0)), "Rains lash Mumbai and suburbs");
    assert_pos(&l.src, meta(d, "headline", 0), 0, 11, 15);
    ck_assert_uint_eq(d->nmeta, 9);
    unload(&l);
}
END_TEST

/* ------------------------------------------------------- body and chrome */

START_TEST(furniture_and_hidden_text)
{
    loaded l;
    load_html(&l, "<html><body>\n"
                  "<header><a>Subscribe</a> <a>Log in</a></header>\n"
                  "<div role=\"banner\">Banner</div>\n"
                  "<main><h2>Story</h2><p>Body one.</p>\n"
                  "<aside>Related <article>Teaser</article></aside>\n"
                  "<nav>Next</nav>\n"
                  "<p hidden>Hidden meter</p>\n"
                  "<div aria-hidden=\"true\">Aria hidden</div>\n"
                  "<div style=\"color:red; DISPLAY : None\">Styled away</div>\n"
                  "<span style=\"visibility:hidden\">Invisible</span>\n"
                  "<p>Body two.</p></main>\n"
                  "<footer>Footer text</footer></body></html>\n");
    const sl_document *d = l.d;
    ck_assert_str_eq(text_of(&d->body), "Story\nBody one.\n\n\n\n\n\n\n\nBody two.\n");
    ck_assert_str_eq(text_of(&d->chrome),
                     "\nSubscribe Log in\n\nBanner\n\nRelated \nTeaser\nNext\n\nFooter text\n");
    ck_assert_ptr_null(strstr(text_of(&d->chrome), "Hidden"));
    ck_assert_ptr_null(strstr(text_of(&d->chrome), "Styled"));
    ck_assert_ptr_null(strstr(text_of(&d->chrome), "Invisible"));
    /* Hidden text stays in the markup scopes. */
    ck_assert_ptr_nonnull(strstr(text_of(&d->page), "Hidden meter"));
    assert_maps_in_range(&l);
    unload(&l);
}
END_TEST

/* An <aside> named as a pull quote or a fact box holds the story's own
 * words; any other is the site's. */
START_TEST(story_asides)
{
    loaded l;
    load_html(&l, "<html><body><article><h1>Tram line</h1><p>Councillors voted.</p>"
                  "<aside class=\"pullquote right\">This will bring TKTK jobs</aside>"
                  "<aside id=\"factbox\">Cost: TKTK</aside><aside class=\"promo\">Subscribe now"
                  "</aside><p>It opens in 2030.</p></article></body></html>");
    ck_assert_str_eq(text_of(&l.d->body), "Tram line\nCouncillors voted.\nThis will bring TKTK "
                                          "jobs\nCost: TKTK\nIt opens in 2030.\n");
    ck_assert_str_eq(text_of(&l.d->chrome), "Subscribe now\n");
    unload(&l);
}
END_TEST

/* On a page of divs, a <header> placed where the site's would be but
 * holding the page's only <h1>, a headline of several words, and no menu,
 * heads the story: its byline credits the agency. A site's header, with
 * its name for a logo or its <nav>, stays chrome. */
START_TEST(story_header_on_div_page)
{
    loaded l;
    load_html(&l, "<html><body><div class=\"story\"><header><h1>Metro fares to rise from "
                  "April</h1><p>By PTI</p></header><div><p>New Delhi: Fares rise.</p></div>"
                  "</div></body></html>");
    ck_assert_str_eq(text_of(&l.d->body), "Metro fares to rise from April\nBy PTI\nNew Delhi: "
                                          "Fares rise.\n");
    ck_assert_uint_eq(l.d->chrome.len, 0);
    unload(&l);
    load_html(&l, "<html><body><header><h1>The Courier</h1><a>Subscribe</a></header><div><h2>"
                  "Fares rise</h2><p>Text.</p></div></body></html>");
    ck_assert_ptr_nonnull(strstr(text_of(&l.d->chrome), "Subscribe"));
    ck_assert_ptr_null(strstr(text_of(&l.d->body), "Subscribe"));
    unload(&l);
    load_html(&l, "<html><body><header><h1>News from all over the state</h1><nav><a>Subscribe"
                  "</a></nav></header><div><h2>Fares rise</h2><p>Text.</p></div></body></html>");
    ck_assert_ptr_nonnull(strstr(text_of(&l.d->chrome), "News from all over"));
    ck_assert_ptr_null(strstr(text_of(&l.d->body), "Subscribe"));
    unload(&l);
}
END_TEST

/* A page built of divs has no landmarks, but names its sidebar: its
 * promotions are the site's, not the story's. Inside an <article>, and
 * under other names (a page builder's wrapper around the story, Blogger's
 * "widget Blog" around the posts), the same words are the story's. */
START_TEST(sidebar_and_comments_by_name)
{
    loaded l;
    load_html(&l, "<html><body>\n"
                  "<div id=\"content\"><h1>Budget passes</h1><p>The council voted.</p></div>\n"
                  "<div id=\" Sidebar \"><p>Subscribe now for unlimited access.</p></div>\n"
                  "<div class=\"widget Blog\" id=\"Blog1\"><p>Post text.</p></div>\n"
                  "<div class=\"box widget-area\"><p>Newsletter</p></div>\n"
                  "<section class=\"SIDEBAR\"><p>Tags</p></section>\n"
                  "<table><tr><td class=\"sidebar\">Side cell</td><td>Main cell</td></tr></table>\n"
                  "<p><span class=\"sidebar\">Inline</span> words.</p>\n"
                  "<div class=\"elementor-widget-container\"><p>Story, part two.</p></div>\n"
                  "<div class=\"sidebar-crate\"><p>Crate.</p></div>\n"
                  "</body></html>\n");
    ck_assert_str_eq(text_of(&l.d->body),
                     "\nBudget passes\nThe council voted.\n\n\nPost text.\n\n\n\nMain cell\n\n"
                     "Inline words.\n\nStory, part two.\n\nCrate.\n\n");
    ck_assert_str_eq(text_of(&l.d->chrome),
                     "Subscribe now for unlimited access.\nNewsletter\nTags\nSide cell\n");
    assert_maps_in_range(&l);
    unload(&l);

    /* Headers, footers, menus and cookie banners of pages built of divs:
     * by their site-wide names, or "header", "footer", "menu" as an id
     * (one per page); "header" as a class may be the story's own. */
    load_html(&l, "<html><body><div id=\"header\"><p>Site</p></div>"
                  "<div class=\"masthead\"><p>Mast</p></div><ul id=\"menu\"><li>Home</li></ul>"
                  "<div class=\"story\"><div class=\"header\"><p>By Rahul Verma | PTI</p></div>"
                  "<p>Text.</p></div><div class=\"right-sidebar\"><p>Trending</p></div>"
                  "<div class=\"cookie-notice\"><p>Cookies</p></div><div id=\"footer\">"
                  "<p>Copyright</p></div></body></html>");
    ck_assert_str_eq(text_of(&l.d->body), "By Rahul Verma | PTI\nText.\n");
    ck_assert_str_eq(text_of(&l.d->chrome), "Site\nMast\nHome\nTrending\nCookies\nCopyright\n");
    unload(&l);

    load_html(&l, "<html><body><article><h1>Story</h1><p>Text.</p>"
                  "<div class=\"sidebar\"><p>An embedded chart.</p></div></article></body></html>");
    ck_assert_str_eq(text_of(&l.d->body), "Story\nText.\nAn embedded chart.\n");
    unload(&l);

    /* Readers' comments and related-story lists are never the story, in
     * the region or inside the article (WordPress, Drupal, Disqus, Jetpack);
     * a name that merely holds one of theirs is not one. */
    load_html(&l, "<html><body><main><h1>Story</h1><p>Text.</p>"
                  "<div class=\"wp-block-comments\"><p>Already a subscriber? Log in</p></div>"
                  "<article><p>Lead</p><section class=\"comments threaded\"><p>Nice.</p></section>"
                  "<div id=\"disqus_thread\">Disqus</div><ol class=\"comment-list\"><li>Me too"
                  "</li></ol><p class=\"comments-count\">3 comments</p>"
                  "<div id=\"jp-relatedposts\" class=\"jp-relatedposts\"><p>LONDON (Reuters) - "
                  "Other story.</p></div><section class=\"related-articles\"><p>More.</p>"
                  "</section><div class=\"unrelated-note\">Note.</div></article></main>"
                  "</body></html>");
    ck_assert_str_eq(text_of(&l.d->body), "Story\nText.\nLead\n3 comments\nNote.\n");
    ck_assert_str_eq(text_of(&l.d->chrome), "Already a subscriber? Log in\nNice.\nDisqus\nMe too\n"
                                            "LONDON (Reuters) - Other story.\nMore.\n");
    unload(&l);
}
END_TEST

START_TEST(article_region_choice)
{
    loaded l;
    /* Teaser cards come first; the story is the article with the <h1>. A
     * header inside an article is the story's own. */
    load_html(&l, "<html><body>\n"
                  "<article><h3>Teaser one</h3></article>\n"
                  "<article><header>By A. Writer</header><h1>Story</h1><p>Text.</p></article>\n"
                  "<article><h3>Teaser two</h3></article></body></html>\n");
    ck_assert_str_eq(text_of(&l.d->body), "By A. Writer\nStory\nText.\n");
    ck_assert_ptr_nonnull(strstr(text_of(&l.d->chrome), "Teaser one"));
    ck_assert_ptr_nonnull(strstr(text_of(&l.d->chrome), "Teaser two"));
    unload(&l);

    /* No <h1> in any article: <main> wins over a lone teaser article. */
    load_html(&l, "<html><body><article><p>Teaser</p></article>"
                  "<main><p>The story itself, much longer than a teaser.</p></main></body></html>");
    ck_assert_str_eq(text_of(&l.d->body), "The story itself, much longer than a teaser.\n");
    unload(&l);

    /* Only teaser cards are <article>s: the story is the element marked
     * itemprop="articleBody", not the largest card; <main> still comes
     * first, and a marked teaser in an <aside> is not the story. */
    load_html(&l, "<html><body><header><h1>Site</h1></header>"
                  "<aside><div itemprop=\"articleBody\"><p>Aside teaser.</p></div></aside>"
                  "<div><h2>Story</h2><div itemprop=\"articleBody\"><p>SEOUL (Yonhap) -- Text."
                  "</p></div></div><article><p>A related story card with a longer summary "
                  "than the story's text itself.</p></article></body></html>");
    ck_assert_str_eq(text_of(&l.d->body), "SEOUL (Yonhap) -- Text.\n");
    ck_assert_ptr_nonnull(strstr(text_of(&l.d->chrome), "A related story card"));
    unload(&l);
    /* The marked story starts at its headline when that is close above:
     * the byline and lead caption between are the story's; not when much
     * text stands between them. */
    load_html(&l, "<html><body><div class=\"sp-hd\"><h1>Clashes</h1><div class=\"pst-by\">"
                  "Press Trust of India | Updated: May 20</div></div><div>Police at the spot.</div>"
                  "<div itemprop=\"articleBody\"><p>Bhopal: Text.</p></div></body></html>");
    ck_assert_str_eq(text_of(&l.d->body), "Clashes\nPress Trust of India | Updated: May 20\n"
                                          "Police at the spot.\nBhopal: Text.\n");
    unload(&l);
    char far[4096] = "<html><body><h1>Page</h1><div>";
    for (int i = 0; i < 40; i++)
        strcat(far, "A long block of other text, far above the story. ");
    strcat(far, "</div><div itemprop=\"articleBody\"><p>Bhopal: Text.</p></div></body></html>");
    load_html(&l, far);
    ck_assert_str_eq(text_of(&l.d->body), "Bhopal: Text.\n");
    unload(&l);
    /* A live blog marks each update's text: the story runs from the first
     * to the last update that follows closely, with the times and update
     * headlines between; a marked block far below is not one of them. */
    char lb[8192] = "<html><body><div class=\"lb\"><h1>Final live</h1>"
                    "<div class=\"u\"><span>22:41</span><h2>Won</h2>"
                    "<div itemprop=\"articleBody\"><p>Update three.</p></div></div>"
                    "<div class=\"u\"><span>22:10</span>"
                    "<div itemprop=\"articleBody\"><p>Update two.</p></div></div>"
                    "<div class=\"u\"><span>19:30</span>"
                    "<div itemprop=\"articleBody\"><p>Update one.</p></div></div></div>"
                    "<div class=\"more\">";
    for (int i = 0; i < 40; i++)
        strcat(lb, "A long block of other text, below the story. ");
    strcat(lb, "</div><div itemprop=\"articleBody\"><p>Far below.</p></div></body></html>");
    load_html(&l, lb);
    ck_assert_str_eq(text_of(&l.d->body), "Final live\n22:41\nWon\nUpdate three.\n22:10\n"
                                          "Update two.\n19:30\nUpdate one.\n");
    ck_assert_ptr_nonnull(strstr(text_of(&l.d->chrome), "Far below."));
    unload(&l);
    load_html(&l, "<html><body><main><p>Main text.</p><div itemprop=\"articleBody\"><p>Marked."
                  "</p></div></main></body></html>");
    ck_assert_str_eq(text_of(&l.d->body), "Main text.\nMarked.\n");
    unload(&l);

    /* The page's one article, paragraphs under a heading, is the story
     * however long the teaser list beside it; a lone card (a link and a
     * line) is not. */
    char one[8192] = "<html><body><article><h2>Cabinet approves tariff</h2><p>ISLAMABAD: The "
                     "cabinet met.</p><p>Subscribe to continue reading.</p></article><div><ul>";
    char card[8192] = "<html><body><article><a href=\"/x\"><h3>Teaser</h3><p>A line.</p></a>"
                      "</article><div><ul>";
    for (int i = 0; i < 30; i++) {
        strcat(one, "<li><a href=\"/n\">Teaser headline about the budget this week</a></li>");
        strcat(card, "<li><a href=\"/n\">Teaser headline about the budget this week</a></li>");
    }
    strcat(one, "</ul></div></body></html>");
    strcat(card, "</ul></div></body></html>");
    load_html(&l, one);
    ck_assert_str_eq(text_of(&l.d->body), "Cabinet approves tariff\nISLAMABAD: The cabinet met.\n"
                                          "Subscribe to continue reading.\n");
    unload(&l);
    load_html(&l, card);
    ck_assert_ptr_nonnull(strstr(text_of(&l.d->chrome), "A line."));
    ck_assert_ptr_nonnull(strstr(text_of(&l.d->body), "Teaser headline"));
    unload(&l);

    /* Neither: the largest article. */
    load_html(&l, "<html><body><article><p>Short.</p></article>"
                  "<article><p>The longest article on the page.</p></article></body></html>");
    ck_assert_str_eq(text_of(&l.d->body), "The longest article on the page.\n");
    unload(&l);

    /* The largest article is only the story when it holds a fair share of
     * the page's text: a page builder that leaves the story in divs makes
     * its related-post cards articles. Then role="main", else <body>, and
     * the cards are chrome. */
    char page[2048] = "<html><body><div class=\"post\"><h2>Story</h2>";
    for (int i = 0; i < 6; i++)
        strcat(page, "<p>The story itself, told at length in several sentences, as a story "
                     "is, with quotes and figures, far longer than any card.</p>");
    strcat(page, "</div><article class=\"elementor-post\"><p>NEW DELHI (Reuters) - A card."
                 "</p></article></body></html>");
    load_html(&l, page);
    ck_assert_ptr_nonnull(strstr(text_of(&l.d->body), "The story itself"));
    ck_assert_ptr_null(strstr(text_of(&l.d->body), "A card."));
    ck_assert_str_eq(text_of(&l.d->chrome), "NEW DELHI (Reuters) - A card.\n");
    unload(&l);
    load_html(&l, "<html><body><div role=\"main\"><p>The story itself, told at length in "
                  "several sentences, as a story is, with quotes and figures; far longer than "
                  "any card, and then some more words about it.</p></div><article><p>Card."
                  "</p></article></body></html>");
    ck_assert_str_eq(text_of(&l.d->body), "The story itself, told at length in several "
                                          "sentences, as a story is, with quotes and figures; "
                                          "far longer than any card, and then some more words "
                                          "about it.\n");
    ck_assert_str_eq(text_of(&l.d->chrome), "Card.\n");
    unload(&l);
    /* A live blog without <main>: many updates, each an article too small
     * to be the story, together most of the page: the story in pieces,
     * not cards. */
    char live[4096] = "<html><body><div class=\"lb-head\"><h1>Live</h1></div>";
    for (int i = 0; i < 12; i++) {
        char u[160];
        snprintf(u, sizeof u,
                 "<article class=\"block\"><p>Update %d: talks went on in Cairo, "
                 "officials said.</p></article>",
                 i);
        strcat(live, u);
    }
    strcat(live, "</body></html>");
    load_html(&l, live);
    ck_assert_ptr_nonnull(strstr(text_of(&l.d->body), "Update 0:"));
    ck_assert_ptr_nonnull(strstr(text_of(&l.d->body), "Update 11:"));
    ck_assert_uint_eq(l.d->chrome.len, 0);
    unload(&l);

    /* A story-sized article comes before role="main" that holds it and a
     * list of links beside it (documentation sites). */
    load_html(&l, "<html><body><div role=\"main\"><ul><li>Install</li><li>Folders</li></ul>"
                  "<article><p>The page's own text, long enough to be the story.</p></article>"
                  "</div></body></html>");
    ck_assert_str_eq(text_of(&l.d->body), "The page's own text, long enough to be the story.\n");
    ck_assert_str_eq(text_of(&l.d->chrome), "Install\nFolders\n");
    unload(&l);

    /* No landmarks at all: everything visible in <body> is the body. */
    load_html(&l, "<p>Just a fragment.</p>");
    ck_assert_str_eq(text_of(&l.d->body), "Just a fragment.\n");
    ck_assert_uint_eq(l.d->chrome.len, 0);
    unload(&l);
}
END_TEST

/* ------------------------------------------------------------ alignment */

/* Visible text and block breaks go to body or chrome by where they lie
 * against the region's edges, and by page furniture, though the region is
 * only chosen once the page is read: breaks in the region's own start and
 * end tags are the region's, the next one is not, and a break after a
 * break is dropped only when both go to the same field. */
START_TEST(visible_text_placement)
{
    static const struct {
        const char *html, *body, *chrome;
    } cases[] = {
        {"<body><p>before</p><main><p>story</p></main><p>after</p></body>", "story\n",
         "before\nafter\n"},
        {"<!DOCTYPE html></tr></figure><i> w1 <main>", "", " w1 \n"},
        {"<body><p>teaser</p><article><p>one</p></article><article><h1>Head</h1><p>two</p>"
         "</article><div>tail</div></body>",
         "Head\ntwo\n", "teaser\none\ntail\n"},
        {"<html><head><title>w1</title></head><body> w2  w3 <footer></dt></footer><ol>"
         "<custom-el> w4  w5  w6 ",
         " w2  w3 \n w4  w5  w6 \n", ""},
        {"<!DOCTYPE html> w1 <img><code><em></h1><nav><aside hidden><custom-el> w2 <tr></nav>"
         "<svg><g> w3 <p> w4 </svg>",
         "w1 \n", ""},
        {"<body><nav><p>menu</p></nav><main><p>a</p><aside><p>box</p></aside><p>b</p></main>"
         "</body>",
         "a\nb\n", "menu\nbox\n"},
        /* A header or footer is the site's only outside article, main,
         * section, aside and nav (HTML-AAM): inside <main> or a <section>
         * it is the story's standfirst, byline or credit line. */
        {"<body><header><p>site</p></header><main><header><p>by PTI</p></header><p>story</p>"
         "<section><footer><p>credit</p></footer></section><footer><p>notice</p></footer>"
         "</main><footer><p>copyright</p></footer></body>",
         "by PTI\nstory\ncredit\nnotice\n", "site\ncopyright\n"},
        /* A <dialog> is shown only when open. */
        {"<body><main><p>story</p><dialog><p>You have 2 free articles left</p></dialog>"
         "<dialog open><p>shown</p></dialog></main></body>",
         "story\nshown\n", ""},
        /* AMP's subscriptions: on an AMP page the section for readers
         * without access and the dialog are the declared paywall, the
         * article's own section stays; without the AMP runtime nothing
         * hides them. */
        {"<html amp><body><article><h1>H</h1><section subscriptions-section=\"content\"><p>story"
         "</p></section><section subscriptions-section=\"content-not-granted\"><p>This article "
         "is for subscribers only.</p></section><div subscriptions-dialog><p>Already a subscriber? "
         "Log in</p></div></article></body></html>",
         "H\nstory\n", ""},
        {"<html \xE2\x9A\xA1 lang=\"en\"><body><article><h1>H</h1><section "
         "subscriptions-section=\"content-not-granted\"><p>Subscribe</p></section><p>story</p>"
         "</article></body></html>",
         "H\nstory\n", ""},
        {"<html><body><article><h1>H</h1><section subscriptions-section=\"content-not-granted\">"
         "<p>Subscribe</p></section><p>story</p></article></body></html>",
         "H\nSubscribe\nstory\n", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        loaded l;
        load_html(&l, cases[i].html);
        ck_assert_msg(strcmp(text_of(&l.d->body), cases[i].body) == 0, "case %zu body: '%s'", i,
                      text_of(&l.d->body));
        ck_assert_msg(strcmp(text_of(&l.d->chrome), cases[i].chrome) == 0, "case %zu chrome: '%s'",
                      i, text_of(&l.d->chrome));
        assert_maps_in_range(&l);
        unload(&l);
    }
}
END_TEST

START_TEST(crlf_and_multibyte)
{
    loaded l;
    load_html(&l, "<html>\r\n<body>\r\n<p>Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D\r\n"
                  "second &amp; line</p>\r\n<p>\xE0\xA4\xA8\xE0\xA4\xAE\xE0\xA4\xB8\xE0\xA5"
                  "\x8D\xE0\xA4\xA4\xE0\xA5\x87 {{x}}</p>\r\n</body></html>\r\n");
    const sl_document *d = l.d;
    ck_assert_str_eq(
        text_of(&d->body),
        "\nCaf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D\nsecond & line\n\n"
        "\xE0\xA4\xA8\xE0\xA4\xAE\xE0\xA4\xB8\xE0\xA5\x8D\xE0\xA4\xA4\xE0\xA5\x87 {{x}}\n\n");
    ck_assert_ptr_null(strchr(text_of(&d->body), '\r'));
    ck_assert_ptr_null(strchr(text_of(&d->page), '\r'));
    ck_assert_int_eq(d->page.borrowed, 0); /* copied, line ends unified */
    assert_pos(&l.src, &d->page, index_of(&d->page, "second"), 4, 1);
    assert_pos(&l.src, &d->body, index_of(&d->body, "quoted"), 3, 10);
    /* The "\r\n" inside the paragraph became one "\n" mapped to the '\r'. */
    assert_pos(&l.src, &d->body, index_of(&d->body, "\nsecond"), 3, 17);
    assert_pos(&l.src, &d->body, index_of(&d->body, "second"), 4, 1);
    assert_pos(&l.src, &d->body, index_of(&d->body, "& line"), 4, 8);
    assert_pos(&l.src, &d->body, index_of(&d->body, "line"), 4, 14);
    /* Devanagari: six characters of three bytes each, then " {{x}}". */
    assert_pos(&l.src, &d->body, index_of(&d->body, "{{x}}"), 5, 11);
    unload(&l);
}
END_TEST

START_TEST(entities)
{
    loaded l;
    load_html(&l, "<p>a&nbsp;b &lt;tag&gt; &#x7B;&#X7d; &#65 &amp &foo; &#0; z</p>");
    const sl_document *d = l.d;
    /* "&amp" without ';' and unknown names stay, "&#65" without ';'
     * decodes, "&#0;" is dropped. */
    ck_assert_str_eq(text_of(&d->body), "a\xC2\xA0"
                                        "b <tag> {} A &amp &foo;  z\n");
    assert_pos(&l.src, &d->body, 1, 1, 5);
    assert_pos(&l.src, &d->body, 2, 1, 5);
    assert_pos(&l.src, &d->body, 3, 1, 11);
    assert_pos(&l.src, &d->body, index_of(&d->body, "tag"), 1, 17);
    assert_pos(&l.src, &d->body, index_of(&d->body, "{"), 1, 25);
    assert_pos(&l.src, &d->body, index_of(&d->body, "}"), 1, 31);
    assert_pos(&l.src, &d->body, index_of(&d->body, "A"), 1, 38);
    assert_pos(&l.src, &d->body, index_of(&d->body, "&amp"), 1, 43);
    assert_pos(&l.src, &d->body, index_of(&d->body, "&foo"), 1, 48);
    assert_pos(&l.src, &d->body, index_of(&d->body, "z"), 1, 59);
    unload(&l);

    /* Every name the HTML standard lists, not only HTML 4's: a placeholder
     * written with references is still one on the page. Names are case
     * sensitive; one may stand for two code points. */
    load_html(&l, "<p>&lcub;&lcub;name&rcub;&rcub; &dollar;&lcub;x&rcub; a&ZeroWidthSpace;b "
                  "&NotEqualTilde; &LCUB; &lcub</p>");
    ck_assert_str_eq(text_of(&l.d->body), "{{name}} ${x} a\xE2\x80\x8B"
                                          "b \xE2\x89\x82\xCC\xB8 &LCUB; &lcub\n");
    assert_pos(&l.src, &l.d->body, 1, 1, 10);
    assert_pos(&l.src, &l.d->body, index_of(&l.d->body, "name") + 5, 1, 26);
    unload(&l);
}
END_TEST

/* The text scan steps over eight bytes at a time but stops at every byte
 * it must handle: each control character and each reference, wherever it
 * falls in a step, is dropped, unified or decoded, and the bytes after it
 * keep their offsets. 0x20 stands for "&amp;" below. */
START_TEST(text_special_bytes)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwx";
    for (int c = 1; c <= 0x20; c++)
        for (int k = 0; k < 16; k++) {
            char one[2] = {(char)c, '\0'}, html[128], want[64];
            const char *sp = c == 0x20 ? "&amp;" : one;
            const char *kept = c == 0x20                ? "&"
                               : c == '\t' || c == '\n' ? one
                               : c == '\r'              ? "\n"
                                                        : "";
            snprintf(html, sizeof html, "<p>%.*s%s%s</p>", k, letters, sp, letters + k);
            snprintf(want, sizeof want, "%.*s%s%s\n", k, letters, kept, letters + k);
            loaded l;
            load_html(&l, html);
            ck_assert_msg(strcmp(text_of(&l.d->body), want) == 0, "byte %#x at %d: '%s'", c, k,
                          text_of(&l.d->body));
            size_t after = (size_t)k + strlen(kept);
            ck_assert_uint_eq(sl_field_offset(&l.d->body, after), 3 + (size_t)k + strlen(sp));
            ck_assert_uint_eq(sl_field_offset(&l.d->body, l.d->body.len - 2), 3 + 23 + strlen(sp));
            unload(&l);
        }
}
END_TEST

START_TEST(blocks_and_inline)
{
    loaded l;
    load_html(&l, "<body><div>one<span>two</span><a href='#'>three</a></div><ul><li>four"
                  "<li>five</ul>six<br>seven<table><tr><td>a</td><td>b</td></tr></table>"
                  "<p>x<i>y<b>z</b></i></p></body>");
    ck_assert_str_eq(text_of(&l.d->body), "onetwothree\nfour\nfive\nsix\nseven\na\nb\nxyz\n");
    assert_pos(&l.src, &l.d->body, index_of(&l.d->body, "three"), 1, 43);
    assert_pos(&l.src, &l.d->body, index_of(&l.d->body, "xyz") + 2, 1, 150);
    unload(&l);
}
END_TEST

START_TEST(code_and_hidden)
{
    loaded l;
    load_html(&l, "<html><head><title>T</title><style>.a{}</style></head><body>"
                  "<p>Run <code>make {{target}}</code> now.</p>"
                  "<pre>line1\nline2 &lt;b&gt;</pre>"
                  "<noscript>Enable JS</noscript><template>tmpl</template>"
                  "<svg><text>svg text</text></svg>"
                  "<script>var s = '<p>not text</p>';</script>"
                  "<p>after</p></body></html>");
    const sl_document *d = l.d;
    ck_assert_str_eq(text_of(&d->body), "Run  now.\nafter\n");
    ck_assert_str_eq(text_of(&d->code), "make {{target}}\nline1\nline2 <b>\n");
    ck_assert_str_eq(text_of(&d->title), "T");
    assert_pos(&l.src, &d->body, index_of(&d->body, "after"), 2, 155);
    assert_pos(&l.src, &d->code, index_of(&d->code, "<b>"), 2, 7);
    unload(&l);

    /* A declarative shadow root is rendered where its host stands; any
     * other <template> is not. */
    load_html(&l, "<html><body><article><h1>Strike</h1><story-body><template "
                  "shadowrootmode=\"open\"><p>Dock workers struck.</p></template></story-body>"
                  "<x-el><template shadowroot=\"closed\"><p>Legacy root.</p></template></x-el>"
                  "<template><p>Not shown.</p></template></article></body></html>");
    ck_assert_str_eq(text_of(&l.d->body), "Strike\nDock workers struck.\nLegacy root.\n");
    unload(&l);
}
END_TEST

START_TEST(broken_markup)
{
    loaded l;
    load_html(&l, "<p>a</x>b <b>bold <i>both</b> italic?</i>\n<div><p>unclosed\n"
                  "<<<>>> & < 3 &#; <!-- never closed");
    const sl_document *d = l.d;
    assert_maps_in_range(&l);
    /* Stray markup inside a text run is skipped while aligning. */
    size_t i = index_of(&d->body, "ab");
    assert_pos(&l.src, &d->body, i + 1, 1, 9);
    assert_pos(&l.src, &d->body, index_of(&d->body, "unclosed"), 2, 9);
    ck_assert_ptr_nonnull(strstr(text_of(&d->body), "bold"));
    ck_assert_ptr_nonnull(strstr(text_of(&d->body), "italic?"));
    unload(&l);

    /* Garbage and truncation never crash. */
    static const char *const junk[] = {
        "<", "<html", "</",           "<!--",        "<![CDATA[",    "&#x",
        "&", "<p>&",  "<p \"\"=''>x", "<a href='>x", "\xEF\xBF\xBD<"};
    for (size_t k = 0; k < sizeof junk / sizeof junk[0]; k++) {
        load_html(&l, junk[k]);
        assert_maps_in_range(&l);
        ck_assert_uint_eq(l.d->page.len, strlen(junk[k]));
        unload(&l);
    }
}
END_TEST

START_TEST(deep_nesting)
{
    size_t depth = 5000, len = 0;
    char *html = malloc(depth * 11 + 64);
    ck_assert_ptr_nonnull(html);
    for (size_t i = 0; i < depth; i++)
        len += (size_t)sprintf(html + len, "<div><b>");
    len += (size_t)sprintf(html + len, "deep {{x}}");
    loaded l;
    load_html_n(&l, html, len);
    free(html);
    assert_maps_in_range(&l);
    ck_assert_uint_eq(l.d->page.len, len);
    unload(&l);
}
END_TEST

START_TEST(cdata_in_html_is_a_comment)
{
    /* In HTML (not svg or math) "<![CDATA[" opens a bogus comment that the
     * first '>' ends, as in browsers; the text after it keeps its place. */
    loaded l;
    load_html(&l, "<p>one</p>\n<p><![CDATA[x]]>y</p>\n<p>last</p>");
    const sl_document *d = l.d;
    size_t i = index_of(&d->body, "y");
    unsigned line, col;
    sl_source_position(&l.src, sl_field_offset(&d->body, i), &line, &col);
    ck_assert_uint_eq(line, 2);
    assert_pos(&l.src, &d->body, index_of(&d->body, "last"), 3, 4);
    unload(&l);
}
END_TEST

/* ---------------------------------------------------------------- title */

START_TEST(title_fallbacks)
{
    loaded l;
    load_html(&l, "<head><title>  </title><meta property='og:title' content='OG &amp; T'>"
                  "</head><body><h1>H1</h1></body>");
    ck_assert_str_eq(text_of(&l.d->title), "OG & T");
    assert_pos(&l.src, &l.d->title, 3, 1, 62);
    unload(&l);

    load_html(&l, "<body><h2>no</h2>\n<h1>First <em>big</em> one</h1><h1>Second</h1></body>");
    ck_assert_str_eq(text_of(&l.d->title), "First big one");
    assert_pos(&l.src, &l.d->title, 6, 2, 15);
    /* The heading stays in the body too. */
    ck_assert_str_eq(text_of(&l.d->body), "no\n\nFirst big one\nSecond\n");
    unload(&l);

    load_html(&l, "<script type='application/ld+json'>{\"@type\":\"BlogPosting\","
                  "\"headline\":\"From JSON\"}</script><p>text</p>");
    ck_assert_str_eq(text_of(&l.d->title), "From JSON");
    assert_pos(&l.src, &l.d->title, 0, 1, 71);
    unload(&l);

    load_html(&l, "<p>no title anywhere</p>");
    ck_assert_uint_eq(l.d->title.len, 0);
    unload(&l);
}
END_TEST

/* --------------------------------------------------------------- region */

START_TEST(region_choice)
{
    loaded l;
    load_html(&l, "<body><div>nav</div><main id=m><p>in main</p></main>x</body>");
    ck_assert_str_eq(text_of(&l.d->raw), "<main id=m><p>in main</p></main>");
    assert_pos(&l.src, &l.d->raw, 0, 1, 21);
    unload(&l);

    load_html(&l, "<body><div></div><div role=\"Main\">\n<div>inner</div>\n</div><div>out</div>");
    ck_assert_str_eq(text_of(&l.d->raw), "<div role=\"Main\">\n<div>inner</div>\n</div>");
    unload(&l);

    load_html(&l,
              "<html><head><title>t</title></head>\n<body class=x>\n<p>b</p>\n</body>\n</html>");
    ck_assert_str_eq(text_of(&l.d->raw), "<body class=x>\n<p>b</p>\n</body>");
    assert_pos(&l.src, &l.d->raw, 0, 2, 1);
    unload(&l);

    /* No <body> in the source: from the first content to the end. */
    load_html(&l, "<title>t</title>\n<p>para</p>\n");
    ck_assert_str_eq(text_of(&l.d->raw), "<p>para</p>\n");
    unload(&l);

    /* Nested articles: the outer one, to its own end tag. */
    load_html(&l, "<article><article>in</article>tail</article><p>after</p>");
    ck_assert_str_eq(text_of(&l.d->raw), "<article><article>in</article>tail</article>");
    unload(&l);
}
END_TEST

/* ----------------------------------------------------------------- meta */

START_TEST(meta_tags)
{
    loaded l;
    load_html(&l, "<head>\n<meta name=\"Author\" content=\"A\">\n<meta name=\"x\" content=\"A\">\n"
                  "<meta property=\"article:author\" content='Smith &amp; Jones'>\n"
                  "<meta name=DC.Creator content=PTI>\n<meta name=\"empty\" content=\"\">\n"
                  "<meta itemprop=\"author\" content=\"Item Prop\">\n"
                  "<meta content=\"reversed\" name=\"Byline\">\n<meta charset=utf-8>\n</head>");
    const sl_document *d = l.d;
    ck_assert_uint_eq(d->nmeta, 6);
    ck_assert_str_eq(d->meta[0].name, "author");
    ck_assert_str_eq(text_of(&d->meta[0].value), "A");
    assert_pos(&l.src, &d->meta[0].value, 0, 2, 30);
    /* Same attribute names and value, next line: found by its own tag. */
    ck_assert_str_eq(d->meta[1].name, "x");
    assert_pos(&l.src, &d->meta[1].value, 0, 3, 25);
    ck_assert_str_eq(text_of(meta(d, "article:author", 0)), "Smith & Jones");
    assert_pos(&l.src, meta(d, "article:author", 0), 6, 4, 48);
    assert_pos(&l.src, meta(d, "article:author", 0), 8, 4, 54);
    ck_assert_str_eq(text_of(meta(d, "dc.creator", 0)), "PTI");
    assert_pos(&l.src, meta(d, "dc.creator", 0), 0, 5, 31);
    ck_assert_str_eq(text_of(meta(d, "author", 1)), "Item Prop");
    assert_pos(&l.src, meta(d, "author", 1), 0, 7, 34);
    ck_assert_str_eq(text_of(meta(d, "byline", 0)), "reversed");
    assert_pos(&l.src, meta(d, "byline", 0), 0, 8, 16);
    unload(&l);
}
END_TEST

START_TEST(jsonld_shapes)
{
    loaded l;
    load_html(
        &l, "<script type=\"application/ld+json\">\n"
            "{\"@graph\": [{\"@type\": \"WebPage\", \"author\": \"Not Me\"},\n"
            " {\"@type\": [\"Thing\", \"ReportageNewsArticle\"], \"author\": {\"name\": \"Ann\"},\n"
            "  \"publisher\": \"Pub\", \"copyrightHolder\": {\"name\": \"AFP\"},\n"
            "  \"creditText\": \"Reuters\", \"isAccessibleForFree\": \"True\"}]}\n"
            "</script>\n"
            "<script type=\"application/ld+json\">[{\"@type\": \"schema:AnalysisNewsArticle\","
            " \"author\": [\"B\\u00e9a\", {\"@type\": \"Person\"}]}]</script>\n"
            "<script type=\"application/ld+json\">{ not json </script>\n"
            "<script type=\"application/json\">{\"@type\": \"NewsArticle\", \"author\": \"X\"}"
            "</script>\n<p>body</p>");
    const sl_document *d = l.d;
    ck_assert_uint_eq(d->nmeta, 6);
    ck_assert_str_eq(text_of(meta(d, "author", 0)), "Ann");
    assert_pos(&l.src, meta(d, "author", 0), 0, 3, 67);
    ck_assert_str_eq(text_of(meta(d, "publisher", 0)), "Pub");
    ck_assert_str_eq(text_of(meta(d, "credit", 0)), "AFP");
    assert_pos(&l.src, meta(d, "credit", 0), 0, 4, 52);
    ck_assert_str_eq(text_of(meta(d, "credit", 1)), "Reuters");
    ck_assert_str_eq(text_of(meta(d, "isaccessibleforfree", 0)), "true");
    /* Written with a JSON escape: the value is exact, mapped to its key. */
    ck_assert_str_eq(text_of(meta(d, "author", 1)), "B\xC3\xA9"
                                                    "a");
    assert_pos(&l.src, meta(d, "author", 1), 0, 7, 77);
    ck_assert_ptr_null(meta(d, "author", 2));
    ck_assert_str_eq(text_of(&d->body), "body\n");
    unload(&l);
}
END_TEST

/* Article subtypes and live blogs count; a WebPage's mainEntity is read;
 * a raw line break inside a string (invalid JSON, common on real pages)
 * does not lose the block. A type merely containing "Article" does not
 * count. */
START_TEST(jsonld_subtypes_and_main_entity)
{
    loaded l;
    load_html(&l, "<script type=\"application/ld+json\">{\"@type\": \"LiveBlogPosting\","
                  " \"author\": \"Live Desk\"}</script>\n"
                  "<script type=\"application/ld+json\">{\"@type\": \"WebPage\", \"mainEntity\":"
                  " {\"@type\": \"BackgroundNewsArticle\", \"author\": {\"name\": \"Reuters\"}}}"
                  "</script>\n"
                  "<script type=\"application/ld+json\">{\"@type\": \"NewsArticle\",\n"
                  " \"articleBody\": \"First line.\nSecond\tline.\",\n"
                  " \"author\": \"Press Trust of India\"}</script>\n"
                  "<script type=\"application/ld+json\">{\"@type\": \"ArticleSeries\","
                  " \"author\": \"No One\"}</script>\n<p>body</p>");
    const sl_document *d = l.d;
    ck_assert_uint_eq(meta_count(d, "author"), 3);
    ck_assert_str_eq(text_of(meta(d, "author", 0)), "Live Desk");
    ck_assert_str_eq(text_of(meta(d, "author", 1)), "Reuters");
    ck_assert_str_eq(text_of(meta(d, "author", 2)), "Press Trust of India");
    assert_pos(&l.src, meta(d, "author", 2), 0, 6, 13);
    unload(&l);
}
END_TEST

/* A JSON-LD list of thousands of authors: each value is found after the
 * one before it, so each maps to its own place, equal names included, and
 * names written with escapes (found nowhere) map to the key. */
START_TEST(jsonld_many_authors)
{
    enum { N = 3000 };
    size_t cap = (size_t)N * 48 + 256, len = 0;
    char *html = malloc(cap);
    ck_assert_ptr_nonnull(html);
    len += (size_t)snprintf(html + len, cap - len,
                            "<script type=\"application/ld+json\">\n"
                            "{\"@type\": \"NewsArticle\", \"author\": [\n");
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(html + len, cap - len, "{\"name\": \"%s\"},\n",
                                i % 3 == 0   ? "Staff"
                                : i % 3 == 1 ? "Desk \\u00e9"
                                             : "Named");
    len += (size_t)snprintf(html + len, cap - len, "{\"name\": \"Last\"}]}\n</script><p>x</p>");
    loaded l;
    load_html_n(&l, html, len);
    const sl_document *d = l.d;
    ck_assert_uint_eq(meta_count(d, "author"), N + 1);
    const int ks[] = {0, 1, 2, 3, 4, 5, N / 2, N - 3, N - 2, N - 1};
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        int k = ks[i];
        const sl_field *f = meta(d, "author", (size_t)k);
        if (k % 3 == 1) {
            ck_assert_str_eq(text_of(f), "Desk \xC3\xA9");
            assert_pos(&l.src, f, 0, 2, 26); /* its key, "author" */
        } else {
            ck_assert_str_eq(text_of(f), k % 3 == 0 ? "Staff" : "Named");
            assert_pos(&l.src, f, 0, 3 + (unsigned)k, 11);
        }
    }
    assert_pos(&l.src, meta(d, "author", N), 0, 3 + N, 11);
    unload(&l);
    free(html);
}
END_TEST

START_TEST(empty_and_comment_only)
{
    loaded l;
    load_html(&l, "<!-- only a comment -->");
    ck_assert_str_eq(text_of(&l.d->page), "<!-- only a comment -->");
    ck_assert_uint_eq(l.d->body.len, 0);
    unload(&l);

    load_html(&l, "plain words, no markup");
    ck_assert_str_eq(text_of(&l.d->body), "plain words, no markup\n");
    assert_pos(&l.src, &l.d->body, 6, 1, 7);
    unload(&l);
}
END_TEST

/* ------------------------------------------------------------ tree rules */

static int has(const sl_field *f, const char *s)
{
    return strstr(text_of(f), s) != NULL;
}

/* Each of shown[] is in the body, none of gone[]. */
static void assert_body_shows(const sl_document *d, const char *const *shown, size_t nshown,
                              const char *const *gone, size_t ngone)
{
    for (size_t i = 0; i < nshown; i++)
        ck_assert_msg(has(&d->body, shown[i]), "'%s' not in '%s'", shown[i], text_of(&d->body));
    for (size_t i = 0; i < ngone; i++)
        ck_assert_msg(!has(&d->body, gone[i]), "'%s' in '%s'", gone[i], text_of(&d->body));
}

START_TEST(implied_end_tags)
{
    /* Each hidden element is ended by the start tag after it, so the text
     * that follows is visible again. */
    loaded l;
    load_html(&l, "<body><p hidden>Meter<p>Shown one"
                  "<ul><li hidden>gone<li>Shown two</ul>"
                  "<table><tr><td hidden>cell<td>Shown three</table>"
                  "<dl><dt hidden>term<dd>Shown four</dl>"
                  "<h2 hidden>head<h3>Shown five</h3>"
                  "<select><option hidden>opt<option>Shown six</select>"
                  "<div hidden><p>para<div>inner</div></div>Shown seven</body>");
    const sl_document *d = l.d;
    static const char *const shown[] = {"Shown one",  "Shown two", "Shown three", "Shown four",
                                        "Shown five", "Shown six", "Shown seven"};
    static const char *const gone[] = {"Meter", "gone", "cell", "term",
                                       "head",  "opt",  "para", "inner"};
    assert_body_shows(d, shown, sizeof shown / sizeof *shown, gone, sizeof gone / sizeof *gone);
    unload(&l);
}
END_TEST

START_TEST(end_tags_in_scope)
{
    loaded l;
    /* A block end tag closes the inline elements left open inside it. */
    load_html(&l, "<div hidden><span>a</div>b");
    ck_assert_str_eq(text_of(&l.d->body), "b\n");
    unload(&l);

    /* An inline end tag never closes across a block: "</span>" inside the
     * div is ignored, and the span stays hidden until its own end. */
    load_html(&l, "<span hidden><div>c</span>d</div>e</span>f");
    ck_assert_str_eq(text_of(&l.d->body), "f\n");
    unload(&l);

    /* Misnested inline elements lose no text; a stray end tag none. */
    load_html(&l, "<p><b>bold <i>both</b> after</i> end</x> tail</p>");
    ck_assert_str_eq(text_of(&l.d->body), "bold both after end tail\n");
    unload(&l);

    /* "</p>" with no paragraph and "</br>" break the line, as in browsers. */
    load_html(&l, "<body>x</p>y</br>z");
    ck_assert_str_eq(text_of(&l.d->body), "x\ny\nz\n");
    unload(&l);

    /* An end tag with no open element of its name changes nothing. */
    load_html(&l, "<div hidden>h</article></main></td>still hidden</div>shown");
    ck_assert_str_eq(text_of(&l.d->body), "shown\n");
    unload(&l);
}
END_TEST

START_TEST(raw_text_and_rcdata)
{
    static const char html[] = "<title>A <b>bold</b> &amp; title</title><body>"
                               "<textarea>t &lt; <i>u</i></textarea>"
                               "<script>document.write('</div><p>no</p>')</script><p>yes</p>"
                               "<iframe src=x>fallback</iframe>"
                               "<xmp><b>as &amp; is</b></xmp>"
                               "<style>p::after{content:'</p>styled'}</style>"
                               "<plaintext></plaintext><p>all & the rest";
    loaded l;
    load_html(&l, html);
    const sl_document *d = l.d;
    /* Title and textarea: references decoded, tags are text. */
    ck_assert_str_eq(text_of(&d->title), "A <b>bold</b> & title");
    ck_assert(has(&d->body, "t < <i>u</i>\n"));
    /* Script, style and iframe: verbatim, up to their own end tag, never
     * visible. */
    ck_assert(has(&d->body, "yes"));
    ck_assert(!has(&d->body, "no"));
    ck_assert(!has(&d->body, "styled"));
    ck_assert(!has(&d->body, "fallback"));
    /* xmp is visible and verbatim; plaintext runs to the end of the file. */
    ck_assert(has(&d->body, "<b>as &amp; is</b>"));
    ck_assert(has(&d->body, "</plaintext><p>all & the rest"));
    assert_pos(&l.src, &d->body, index_of(&d->body, "</plaintext>"), 1,
               (unsigned)(strstr(html, "</plaintext>") - html) + 1);
    unload(&l);
}
END_TEST

START_TEST(foreign_content)
{
    loaded l;
    load_html(&l, "<title>Page</title><body>"
                  "<svg><title>Icon</title><circle r=1/><text>drawn</text></svg>after "
                  "<math><mi>x</mi><mo/></math>maths "
                  "<svg><![CDATA[<p>cdata</p>]]></svg>cdata done "
                  "<svg><path d=''/><p>breaks out</p>");
    const sl_document *d = l.d;
    /* An svg title is the drawing's, not the page's. */
    ck_assert_str_eq(text_of(&d->title), "Page");
    ck_assert_str_eq(text_of(&d->body), "after maths cdata done \nbreaks out\n");
    unload(&l);
}
END_TEST

START_TEST(element_names)
{
    /* Names match in any case; a longer name with a known one's first
     * eight letters is another element. */
    loaded l;
    load_html(&l, "<BODY><BlockQuote HIDDEN>q</BLOCKQUOTE>"
                  "<plaintexts>a</plaintexts><TextArea>&lt;b&gt;</textAREA>"
                  "<Scripts>c</Scripts><NOSCRIPT>d</noscript><figcaptions>e</figcaptions>");
    ck_assert_str_eq(text_of(&l.d->body), "a\n<b>\nce\n");
    unload(&l);
}
END_TEST

START_TEST(reference_after_tag)
{
    /* A reference right after a tag maps to its own '&', not to the tag. */
    loaded l;
    load_html(&l, "<pre><a href=#s>Simd</a>&lt;i16&gt;</pre>");
    ck_assert_str_eq(text_of(&l.d->code), "Simd<i16>\n");
    assert_pos(&l.src, &l.d->code, 4, 1, 25);
    assert_pos(&l.src, &l.d->code, 8, 1, 32);
    unload(&l);
}
END_TEST

START_TEST(tables_and_forms)
{
    loaded l;
    /* A cell closes what its row holds; a table part outside any table is
     * ignored; "</tr>" finds the row a cell implied; a table in a table
     * but outside its cells ends the first. */
    load_html(&l, "<body><table><tr><td hidden>a</td><td>b<div hidden>c<td>d</table>"
                  "<table><div hidden>e<td>f</table>"
                  "<div hidden><td>g</div>h"
                  "<table><td><span hidden>i</tr>j</table>"
                  "<table><tr><td>k<div hidden><table><td>l</table></div></td></tr></table>"
                  "<table><div hidden><table><td>m</table>");
    const sl_document *d = l.d;
    static const char *const shown[] = {"b", "d", "f", "h", "j", "k", "m"};
    static const char *const gone[] = {"a", "c", "e", "g", "i", "l"};
    assert_body_shows(d, shown, sizeof shown / sizeof *shown, gone, sizeof gone / sizeof *gone);
    unload(&l);

    /* Forms do not nest; "</form>" ends the form alone, and it closes
     * once what it still holds has. */
    load_html(&l, "<body><form hidden>n<form>o</form>p"
                  "<div><form hidden><p>q</form>r</p>s</div>");
    ck_assert_str_eq(text_of(&l.d->body), "p\ns\n");
    unload(&l);
}
END_TEST

START_TEST(stray_body_end)
{
    /* An embed's "</body></html>" inside the article: the story goes on
     * in the article, as a browser shows it. */
    loaded l;
    load_html(&l, "<body><nav>Menu</nav><article><h1>T</h1><p>one</p>"
                  "<div class=embed></body></html></div><p>two</p></article>"
                  "<footer>Foot</footer></body></html>\n");
    ck_assert_str_eq(text_of(&l.d->body), "T\none\ntwo\n");
    ck_assert_str_eq(text_of(&l.d->chrome), "Menu\nFoot\n");
    ck_assert(has(&l.d->raw, "<p>two</p></article>"));
    unload(&l);
}
END_TEST

START_TEST(implied_body)
{
    loaded l;
    /* Text before <html> opens the body there, as in browsers; the
     * <body> tag after it adds nothing. */
    load_html(&l, "Stray text\n<html><head><title>t</title></head><body><p>x</p></body></html>");
    ck_assert_str_eq(text_of(&l.d->title), "t");
    ck_assert(has(&l.d->body, "Stray text"));
    ck_assert(has(&l.d->body, "x"));
    assert_pos(&l.src, &l.d->raw, 0, 1, 1);
    unload(&l);

    /* Whitespace and head elements do not open it. */
    load_html(&l, "\n  <meta name=a content=b>\n<link rel=x>\n<p>first</p>");
    ck_assert_str_eq(text_of(&l.d->raw), "<p>first</p>");
    ck_assert_uint_eq(l.d->nmeta, 1);
    unload(&l);
}
END_TEST

/* Records the builder's events as "<name@open" and ">name@end". */
typedef struct trace {
    const char *s;
    char out[512];
} trace;

static void trace_add(trace *t, char what, const sl_html_el *el, size_t at)
{
    size_t n = strlen(t->out);
    if (el->name_len)
        snprintf(t->out + n, sizeof t->out - n, "%c%.*s@%zu ", what, (int)el->name_len,
                 t->s + el->name, at);
    else
        snprintf(t->out + n, sizeof t->out - n, "%c*@%zu ", what, at);
}

static sl_status trace_open(void *ctx, sl_html_el *el, const sl_html_tag *tag)
{
    (void)tag;
    trace_add(ctx, '<', el, el->open);
    return SL_OK;
}

static sl_status trace_close(void *ctx, sl_html_el *el, size_t end)
{
    trace_add(ctx, '>', el, end);
    return SL_OK;
}

static sl_status trace_text(void *ctx, const sl_html_el *parent, size_t start, size_t end, int raw)
{
    (void)parent;
    trace *t = ctx;
    size_t n = strlen(t->out);
    snprintf(t->out + n, sizeof t->out - n, "'%.*s'%s ", (int)(end - start), t->s + start,
             raw ? "r" : "");
    return SL_OK;
}

static const char *trace_of(trace *t, const char *html)
{
    sl_html_visitor v = {t, trace_open, trace_close, trace_text};
    t->s = html;
    t->out[0] = '\0';
    ck_assert_int_eq(sl_html_parse(html, strlen(html), &v), SL_OK);
    return t->out;
}

START_TEST(builder_events)
{
    trace t;
    /* An implied end is where the tag that implies it begins; an explicit
     * one is past its end tag; what is left open closes at the end. */
    ck_assert_str_eq(trace_of(&t, "<div><p>a<p>b</div>"),
                     "<*@0 <div@0 <p@5 'a' >p@9 <p@9 'b' >p@13 >div@19 >*@19 ");
    ck_assert_str_eq(trace_of(&t, "<ul><li>x<li>y"),
                     "<*@0 <ul@0 <li@4 'x' >li@9 <li@9 'y' >li@14 >ul@14 >*@14 ");
    /* Void elements open and close at once; raw text is one run. */
    ck_assert_str_eq(trace_of(&t, "<br><script>a<b</script>"),
                     "<*@0 <br@0 >br@4 <script@4 'a<b'r >script@24 >*@24 ");
    /* Head elements and whitespace do not imply a body; text does. */
    ck_assert_str_eq(trace_of(&t, "<head><title>t</title></head> x"),
                     "<head@0 <title@6 't' >title@22 >head@29 <*@30 'x' >*@31 ");
    /* "</body>" and "</html>" close nothing, as in browsers; what stays
     * open closes at the end, where the body's end tag was written. */
    ck_assert_str_eq(trace_of(&t, "<body><p>a</body>b</html>"),
                     "<body@0 <p@6 'a' 'b' >p@17 >body@17 ");
    /* One before its element opened marks nothing. */
    ck_assert_str_eq(trace_of(&t, "</body></html>\n<html><body>x"),
                     "<html@15 <body@21 'x' >body@28 >html@28 ");
    /* An unterminated tag at the end is dropped; "<" before a non-letter
     * is text. */
    ck_assert_str_eq(trace_of(&t, "<p>1 < 2<a href='x"), "<*@0 <p@0 '1 < 2' >p@18 >*@18 ");
}
END_TEST

START_TEST(builder_depth_bound)
{
    /* Past the bound each element opens and closes at once: every open
     * is matched by a close and the stack never grows past it. */
    size_t depth = SL_HTML_MAX_DEPTH + 100, len = 0;
    char *html = malloc(depth * 5 + 16);
    ck_assert_ptr_nonnull(html);
    for (size_t i = 0; i < depth; i++)
        len += (size_t)sprintf(html + len, "<div>");
    len += (size_t)sprintf(html + len, "<b>x");
    loaded l;
    load_html_n(&l, html, len);
    ck_assert_str_eq(text_of(&l.d->body), "x\n");
    unload(&l);
    free(html);
}
END_TEST

static Suite *html_suite(void)
{
    Suite *s = suite_create("html");
    TCase *tc = tcase_create("fixture");
    tcase_add_test(tc, article_fields);
    tcase_add_test(tc, article_raw_and_page);
    tcase_add_test(tc, article_positions);
    tcase_add_test(tc, article_meta);
    suite_add_tcase(s, tc);

    tc = tcase_create("align");
    tcase_add_test(tc, furniture_and_hidden_text);
    tcase_add_test(tc, story_header_on_div_page);
    tcase_add_test(tc, story_asides);
    tcase_add_test(tc, sidebar_and_comments_by_name);
    tcase_add_test(tc, visible_text_placement);
    tcase_add_test(tc, article_region_choice);
    tcase_add_test(tc, crlf_and_multibyte);
    tcase_add_test(tc, entities);
    tcase_add_test(tc, text_special_bytes);
    tcase_add_test(tc, blocks_and_inline);
    tcase_add_test(tc, code_and_hidden);
    tcase_add_test(tc, broken_markup);
    tcase_add_test(tc, deep_nesting);
    tcase_add_test(tc, cdata_in_html_is_a_comment);
    suite_add_tcase(s, tc);

    tc = tcase_create("structure");
    tcase_add_test(tc, title_fallbacks);
    tcase_add_test(tc, region_choice);
    tcase_add_test(tc, meta_tags);
    tcase_add_test(tc, jsonld_shapes);
    tcase_add_test(tc, jsonld_many_authors);
    tcase_add_test(tc, jsonld_subtypes_and_main_entity);
    tcase_add_test(tc, empty_and_comment_only);
    suite_add_tcase(s, tc);

    tc = tcase_create("tree");
    tcase_add_test(tc, implied_end_tags);
    tcase_add_test(tc, end_tags_in_scope);
    tcase_add_test(tc, raw_text_and_rcdata);
    tcase_add_test(tc, foreign_content);
    tcase_add_test(tc, element_names);
    tcase_add_test(tc, reference_after_tag);
    tcase_add_test(tc, tables_and_forms);
    tcase_add_test(tc, stray_body_end);
    tcase_add_test(tc, implied_body);
    tcase_add_test(tc, builder_events);
    tcase_add_test(tc, builder_depth_bound);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    xmlInitParser();
    SRunner *sr = srunner_create(html_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    xmlCleanupParser();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
