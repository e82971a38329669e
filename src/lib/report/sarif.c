/*
 * SARIF 2.1.0, in the shape GitHub code scanning accepts: one run whose
 * tool.driver lists every rule that ran, one result per finding with a
 * level, a relative URI against %SRCROOT%, a region with start and end and
 * the matched text as its snippet, and the content fingerprint as a partial
 * fingerprint so alerts keep their identity when lines move. Inputs that
 * could not be scanned are tool execution notifications, not results: they
 * are not findings about the content.
 *
 * Columns are counted in Unicode code points, as syndlint counts them; the
 * run says so (columnKind), since SARIF's default is UTF-16 code units.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/model.h"
#include "util/buf.h"
#include "util/xmllib.h"

#define SARIF_SCHEMA                                                                               \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

static const char *level_of(sl_severity s)
{
    return s == SL_SEV_ERROR ? "error" : s == SL_SEV_WARNING ? "warning" : "note";
}

static json_t *text_obj(const char *s)
{
    json_t *o = json_object();
    if (o && json_object_set_new(o, "text", json_string(s ? s : "")) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* "paywall.meter-message" -> "PaywallMeterMessage": SARIF wants a name
 * that reads as an identifier, beside the id. */
static char *rule_name(const char *id)
{
    sl_buf b = SL_BUF_INIT;
    int up = 1;
    for (const char *p = id; *p; p++) {
        if (isalnum((unsigned char)*p)) {
            sl_buf_putc(&b, up ? (char)toupper((unsigned char)*p) : *p);
            up = 0;
        } else {
            up = 1;
        }
    }
    return sl_buf_steal(&b);
}

typedef struct rule_ref {
    const char *id, *category, *message, *description, *check;
    sl_severity severity;
    /* Owned: the id and category, when they were copied from a finding
     * (which lives only until the spool's next document). */
    char *own;
} rule_ref;

typedef struct rule_list {
    rule_ref *items;
    size_t n, cap;
} rule_list;

static long rule_index(const rule_list *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].id, id) == 0)
            return (long)i;
    return -1;
}

static int rule_push(rule_list *l, rule_ref r)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 32;
        rule_ref *p = realloc(l->items, cap * sizeof *p);
        if (!p)
            return 0;
        l->items = p;
        l->cap = cap;
    }
    l->items[l->n++] = r;
    return 1;
}

static json_t *rule_json(const rule_ref *r, int *ok)
{
    json_t *o = json_object();
    json_t *cfg = json_object();
    json_t *props = json_object();
    json_t *tags = json_array();
    char *name = rule_name(r->id);
    if (!o || !cfg || !props || !tags || !name) {
        json_decref(o);
        json_decref(cfg);
        json_decref(props);
        json_decref(tags);
        free(name);
        *ok = 0;
        return NULL;
    }
    const char *shortd = r->message && *r->message ? r->message : r->id;
    const char *fulld = r->description && *r->description ? r->description : shortd;
    sl_buf help = SL_BUF_INIT;
    sl_buf_printf(&help,
                  "%s\n\nCategory: %s. Check: %s. Run `syndlint rules explain %s` for the "
                  "patterns, scopes and examples.",
                  fulld, r->category ? r->category : "", r->check ? r->check : "finding", r->id);
    rm_set(o, "id", json_string(r->id), ok);
    rm_set(o, "name", json_string(name), ok);
    rm_set(o, "shortDescription", text_obj(shortd), ok);
    rm_set(o, "fullDescription", text_obj(fulld), ok);
    rm_set(o, "help", text_obj(help.data), ok);
    rm_set(cfg, "level", json_string(level_of(r->severity)), ok);
    rm_set(o, "defaultConfiguration", cfg, ok);
    if (r->category && json_array_append_new(tags, json_string(r->category)) != 0)
        *ok = 0;
    rm_set(props, "tags", tags, ok);
    rm_set(o, "properties", props, ok);
    sl_buf_free(&help);
    free(name);
    return o;
}

/* A relative URI for `path`, percent-encoded by libxml2; *based is set when
 * it is relative to %SRCROOT% (the working directory). An absolute path
 * outside the working directory becomes a file: URI. */
static char *path_uri(const char *path, const char *cwd, int *based)
{
    const char *rel = path;
    *based = 1;
    if (path[0] == '/') {
        size_t n = cwd ? strlen(cwd) : 0;
        if (n > 1 && strncmp(path, cwd, n) == 0 && path[n] == '/')
            rel = path + n + 1;
        else
            *based = 0;
    }
    while (*based && strncmp(rel, "./", 2) == 0)
        rel += 2;
    xmlChar *esc = xmlURIEscapeStr(BAD_CAST rel, BAD_CAST "/");
    if (!esc)
        return NULL;
    sl_buf b = SL_BUF_INIT;
    sl_buf_printf(&b, "%s%s", *based ? "" : "file://", (const char *)esc);
    xmlFree(esc);
    return sl_buf_steal(&b);
}

static json_t *location(const char *uri, int based, const rm_finding *f, int *ok)
{
    json_t *loc = json_object(), *phys = json_object(), *art = json_object();
    if (!loc || !phys || !art) {
        json_decref(loc);
        json_decref(phys);
        json_decref(art);
        *ok = 0;
        return NULL;
    }
    rm_set(art, "uri", json_string(uri), ok);
    if (based)
        rm_set(art, "uriBaseId", json_string("%SRCROOT%"), ok);
    rm_set(phys, "artifactLocation", art, ok);
    if (f) {
        json_t *reg = json_object();
        if (!reg) {
            *ok = 0;
        } else {
            unsigned line = f->line ? f->line : 1, col = f->column ? f->column : 1;
            /* The end is exclusive. A require rule's finding has no match:
             * it marks the one character where it is reported. */
            unsigned eline = line, ecol = col + 1;
            size_t mlen = strlen(f->match);
            if (mlen) {
                const char *last = f->match;
                for (const char *p = f->match; *p; p++)
                    if (*p == '\n') {
                        eline++;
                        last = p + 1;
                    }
                size_t chars = rm_utf8_chars(last, strlen(last));
                ecol = (eline == line ? col : 1) + (unsigned)chars;
                if (eline == line && ecol <= col)
                    ecol = col + 1;
            }
            rm_set(reg, "startLine", json_integer(line), ok);
            rm_set(reg, "startColumn", json_integer(col), ok);
            rm_set(reg, "endLine", json_integer(eline), ok);
            rm_set(reg, "endColumn", json_integer(ecol), ok);
            if (mlen)
                rm_set(reg, "snippet", text_obj(f->match), ok);
            rm_set(phys, "region", reg, ok);
        }
    }
    rm_set(loc, "physicalLocation", phys, ok);
    return loc;
}

/* Expired entries of the ignore file: not results (they are about the
 * configuration, not the content) but configuration notifications, each
 * placed at its entry in the ignore file. */
static json_t *expired_notes(const sl_report *rep, const char *cwd, int *ok)
{
    json_t *arr = json_array();
    if (!arr) {
        *ok = 0;
        return NULL;
    }
    for (size_t i = 0; i < rep->nexpired && *ok; i++) {
        const rm_expired *x = &rep->expired[i];
        int based = 0;
        char *uri = path_uri(x->file, cwd, &based);
        json_t *n = json_object(), *desc = json_object(), *locs = json_array();
        json_t *loc = json_object(), *phys = json_object(), *art = json_object();
        json_t *reg = json_object();
        if (!uri || !n || !desc || !locs || !loc || !phys || !art || !reg ||
            json_array_append_new(arr, n) != 0) {
            free(uri);
            json_decref(n);
            json_decref(desc);
            json_decref(locs);
            json_decref(loc);
            json_decref(phys);
            json_decref(art);
            json_decref(reg);
            *ok = 0;
            break;
        }
        rm_set(n, "level", json_string("warning"), ok);
        rm_set(n, "message", text_obj(x->message), ok);
        rm_set(desc, "id", json_string("syndlint.expired-ignore-entry"), ok);
        rm_set(n, "descriptor", desc, ok);
        rm_set(art, "uri", json_string(uri), ok);
        if (based)
            rm_set(art, "uriBaseId", json_string("%SRCROOT%"), ok);
        rm_set(phys, "artifactLocation", art, ok);
        rm_set(reg, "startLine", json_integer(x->line ? x->line : 1), ok);
        rm_set(phys, "region", reg, ok);
        rm_set(loc, "physicalLocation", phys, ok);
        if (json_array_append_new(locs, loc) != 0)
            *ok = 0;
        rm_set(n, "locations", locs, ok);
        free(uri);
    }
    return arr;
}

/* One result: a finding of document `d` of the file at `uri`. */
static json_t *result_json(const sl_report *rep, const rule_list *rules, const char *uri, int based,
                           const rm_doc *d, const rm_finding *f, int *ok)
{
    json_t *r = json_object(), *locs = json_array(), *fp = json_object();
    if (!r || !locs || !fp) {
        json_decref(r);
        json_decref(locs);
        json_decref(fp);
        *ok = 0;
        return NULL;
    }
    rm_set(r, "ruleId", json_string(f->rule), ok);
    rm_set(r, "ruleIndex", json_integer(rule_index(rules, f->rule)), ok);
    rm_set(r, "level", json_string(level_of(f->severity)), ok);
    rm_set(r, "message", text_obj(f->message), ok);
    if (json_array_append_new(locs, location(uri, based, f, ok)) != 0)
        *ok = 0;
    rm_set(r, "locations", locs, ok);
    rm_set(fp, "syndlint/v1", json_string(f->fingerprint ? f->fingerprint : ""), ok);
    rm_set(r, "partialFingerprints", fp, ok);
    /* A feed's items share one file: the document id ("path#guid")
     * says which item a result belongs to. */
    json_t *props = json_object();
    rm_set(props, "documentId", json_string(d->id ? d->id : ""), ok);
    rm_set(r, "properties", props, ok);
    /* Only a run against a baseline knows what is new. */
    if (rep->n.baseline)
        rm_set(r, "baselineState", json_string(f->baseline ? "unchanged" : "new"), ok);
    /* An accepted finding stays a result, with its justification:
     * a comment in the source, or an entry of the ignore file. */
    if (f->suppressed) {
        json_t *sups = json_array(), *sup = json_object();
        rm_set(sup, "kind",
               json_string(f->suppressed == SL_SUPPRESSED_IGNORE ? "external" : "inSource"), ok);
        rm_set(sup, "status", json_string("accepted"), ok);
        rm_set(sup, "justification", rm_jstr(f->suppression_reason), ok);
        if (!sups || !sup || json_array_append_new(sups, sup) != 0)
            *ok = 0;
        rm_set(r, "suppressions", sups, ok);
    }
    return r;
}

/* Stands for the results in the dumped tree; JSON escapes the control
 * characters, so no text of a report can read the same. */
#define RESULTS_MARK "\001results\001"
#define RESULTS_MARK_JSON "\"\\u0001results\\u0001\""

/* The results array at the depth of run.results, as JSON_INDENT(2) would
 * put it, streamed from the spool. */
static sl_status put_results(const sl_report *rep, const rule_list *rules, const char *cwdp,
                             FILE *out)
{
    sl_status st = SL_OK;
    size_t n = 0;
    if (fputc('[', out) == EOF)
        return SL_EIO;
    for (size_t i = 0; i < rep->nfiles && st == SL_OK; i++) {
        const rm_file *file = &rep->files[i];
        if (!file->nfindings)
            continue;
        int based = 0, ok = 1;
        char *uri = path_uri(file->path, cwdp, &based);
        if (!uri)
            return SL_ENOMEM;
        rm_doc_iter it;
        rm_docs_begin(&it, rep, file);
        for (const rm_doc *d; st == SL_OK && (d = rm_docs_next(&it));)
            for (size_t k = 0; st == SL_OK && k < d->nfindings; k++) {
                json_t *r = result_json(rep, rules, uri, based, d, &d->findings[k], &ok);
                if (!r || !ok)
                    st = SL_ENOMEM;
                else if (!rm_dump_element(r, out, n++))
                    st = SL_EIO;
                json_decref(r);
            }
        if (it.failed && st == SL_OK)
            st = SL_EIO;
        rm_docs_end(&it);
        free(uri);
    }
    if (st == SL_OK && fputs(n ? "\n      ]" : "]", out) == EOF)
        st = SL_EIO;
    return st;
}

sl_status rm_write_sarif(const sl_report *rep, FILE *out)
{
    /* Paths are percent-encoded by libxml2: without it the write fails. */
    if (sl_xml_load())
        return SL_EIO;
    int ok = 1;
    sl_status st = SL_OK;
    rule_list rules = {0};
    char cwd[4096];
    const char *cwdp = getcwd(cwd, sizeof cwd) ? cwd : NULL;
    json_t *root = json_object(), *runs = json_array(), *run = json_object();
    json_t *tool = json_object(), *driver = json_object(), *jrules = json_array();
    json_t *results = json_array(), *inv = json_object(), *invs = json_array();
    json_t *notes = json_array();
    if (!root || !runs || !run || !tool || !driver || !jrules || !results || !inv || !invs ||
        !notes) {
        json_decref(root);
        json_decref(runs);
        json_decref(run);
        json_decref(tool);
        json_decref(driver);
        json_decref(jrules);
        json_decref(results);
        json_decref(inv);
        json_decref(invs);
        json_decref(notes);
        return SL_ENOMEM;
    }
    rm_set(root, "$schema", json_string(SARIF_SCHEMA), &ok);
    rm_set(root, "version", json_string("2.1.0"), &ok);
    rm_set(root, "runs", runs, &ok);
    if (json_array_append_new(runs, run) != 0)
        ok = 0;
    rm_set(run, "tool", tool, &ok);
    rm_set(tool, "driver", driver, &ok);
    rm_set(driver, "name", json_string("syndlint"), &ok);
    rm_set(driver, "version", json_string(SL_VERSION), &ok);
    rm_set(driver, "semanticVersion", json_string(SL_VERSION), &ok);

    for (size_t i = 0; i < rep->nrules && ok; i++) {
        const rm_rule *r = &rep->rules[i];
        rule_ref ref = {r->id,    r->category, r->message, r->description,
                        r->check, r->severity, NULL};
        if (!rule_push(&rules, ref))
            ok = 0;
    }
    /* A finding of a rule the report was not told about (no ruleset set)
     * still needs a driver entry for its ruleIndex. */
    for (size_t i = 0; i < rep->nfiles && ok; i++) {
        if (!rep->files[i].nfindings)
            continue;
        rm_doc_iter it;
        rm_docs_begin(&it, rep, &rep->files[i]);
        for (const rm_doc *d; ok && (d = rm_docs_next(&it));)
            for (size_t k = 0; ok && k < d->nfindings; k++) {
                const rm_finding *f = &d->findings[k];
                if (rule_index(&rules, f->rule) < 0) {
                    size_t a = strlen(f->rule) + 1;
                    size_t b = f->category ? strlen(f->category) + 1 : 0;
                    char *own = malloc(a + b);
                    if (!own) {
                        ok = 0;
                        break;
                    }
                    memcpy(own, f->rule, a);
                    if (b)
                        memcpy(own + a, f->category, b);
                    rule_ref ref = {own, b ? own + a : NULL, NULL, NULL, NULL, f->severity, own};
                    if (!rule_push(&rules, ref)) {
                        free(own);
                        ok = 0;
                    }
                }
            }
        if (it.failed)
            ok = 0;
        rm_docs_end(&it);
    }
    for (size_t i = 0; i < rules.n && ok; i++)
        if (json_array_append_new(jrules, rule_json(&rules.items[i], &ok)) != 0)
            ok = 0;
    rm_set(driver, "rules", jrules, &ok);
    rm_set(run, "columnKind", json_string("unicodeCodePoints"), &ok);

    for (size_t i = 0; i < rep->nfiles && ok; i++) {
        const rm_file *file = &rep->files[i];
        int based = 0;
        char *uri = path_uri(file->path, cwdp, &based);
        if (!uri) {
            ok = 0;
            break;
        }
        rm_doc_iter it;
        rm_docs_begin(&it, rep, file);
        /* Only ERROR documents have notifications. */
        if (!file->nerrors)
            it.left = 0;
        for (const rm_doc *d; ok && (d = rm_docs_next(&it));) {
            if (d->verdict == SL_ERROR) {
                json_t *n = json_object(), *locs = json_array();
                if (!n || !locs) {
                    json_decref(n);
                    json_decref(locs);
                    ok = 0;
                    break;
                }
                sl_buf msg = SL_BUF_INIT;
                sl_buf_printf(&msg, "%s: %s", d->id, d->error ? d->error : "cannot be scanned");
                rm_set(n, "level", json_string("error"), &ok);
                rm_set(n, "message", text_obj(msg.data), &ok);
                if (json_array_append_new(locs, location(uri, based, NULL, &ok)) != 0)
                    ok = 0;
                rm_set(n, "locations", locs, &ok);
                if (json_array_append_new(notes, n) != 0)
                    ok = 0;
                sl_buf_free(&msg);
            }
        }
        if (it.failed)
            ok = 0;
        rm_docs_end(&it);
        free(uri);
    }
    /* The results are written in place of this string, one at a time from
     * the spool: a large feed's would otherwise all be one tree. */
    json_decref(results);
    rm_set(run, "results", json_string(RESULTS_MARK), &ok);
    rm_set(inv, "executionSuccessful", json_boolean(rep->n.errors == 0), &ok);
    rm_set(inv, "toolExecutionNotifications", notes, &ok);
    if (rep->nexpired && ok)
        rm_set(inv, "toolConfigurationNotifications", expired_notes(rep, cwdp, &ok), &ok);
    if (json_array_append_new(invs, inv) != 0)
        ok = 0;
    rm_set(run, "invocations", invs, &ok);
    char *text = ok ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(root);
    char *mark = text ? strstr(text, RESULTS_MARK_JSON) : NULL;
    if (!mark) {
        st = SL_ENOMEM;
    } else {
        size_t head = (size_t)(mark - text);
        if (fwrite(text, 1, head, out) != head)
            st = SL_EIO;
        if (st == SL_OK)
            st = put_results(rep, &rules, cwdp, out);
        const char *tail = mark + strlen(RESULTS_MARK_JSON);
        if (st == SL_OK && (fputs(tail, out) == EOF || fputc('\n', out) == EOF))
            st = SL_EIO;
    }
    free(text);
    for (size_t i = 0; i < rules.n; i++)
        free(rules.items[i].own);
    free(rules.items);
    return st;
}
