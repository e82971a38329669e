/*
 * Walking the inputs. Directories are read in byte order of their entry
 * names so that results come out the same on every machine, hidden entries
 * (".git", ".cache") are skipped as ripgrep skips them, and only files of a
 * kind syndlint reads are taken from a directory (a photo beside an article
 * is not an unscannable article). A path named on the command line is
 * always scanned, whatever its kind.
 *
 * Symbolic links met inside a directory are not followed unless --follow
 * (a link can lead out of the tree being audited); with --follow, a
 * directory that is its own ancestor (a symlink loop) becomes an ERROR
 * input rather than an endless walk. A path named on the command line is
 * resolved whatever it is. FIFOs, sockets and devices met in a walk are
 * skipped with a note: opening a FIFO could block the scan forever.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"

/* Notes a skipped entry, its path escaped like text output. */
static void note_skipped(const cli_walk_opts *o, const char *path, const char *why)
{
    FILE *out = o->notes ? o->notes : stderr;
    fputs("syndlint: ", out);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (*p < 0x20 || *p == 0x7f || *p >= 0x80)
            fprintf(out, "\\x%02x", *p);
        else
            fputc(*p, out);
    }
    fprintf(out, ": skipped: %s\n", why);
}

typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id;

typedef struct walker {
    const cli_walk_opts *o;
    cli_inputs *out;
    dir_id *stack;
    size_t depth, cap;
} walker;

static const char *const known_ext[] = {
    ".txt", ".text", ".md",  ".markdown", ".html",  ".htm",    ".xhtml", ".shtml", ".xml",
    ".rss", ".atom", ".rdf", ".json",     ".jsonl", ".ndjson", ".nitf",  ".newsml"};

static int known_kind(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return 0;
    for (size_t i = 0; i < sizeof known_ext / sizeof known_ext[0]; i++)
        if (strcasecmp(dot, known_ext[i]) == 0)
            return 1;
    return 0;
}

static int add_input(cli_inputs *in, const char *path, const char *error)
{
    if (in->n == in->cap) {
        size_t cap = in->cap ? 2 * in->cap : 64;
        cli_input *p = realloc(in->items, cap * sizeof *p);
        if (!p)
            return -1;
        in->items = p;
        in->cap = cap;
    }
    cli_input *it = &in->items[in->n];
    it->path = strdup(path);
    it->error = error ? strdup(error) : NULL;
    if (!it->path || (error && !it->error)) {
        free(it->path);
        free(it->error);
        return -1;
    }
    in->n++;
    return 0;
}

/* A glob matches the path below the walked root, or the file's name; `**`
 * and `*` both cross directory separators. */
static int glob_match(const char *glob, const char *rel)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    return fnmatch(glob, rel, 0) == 0 || fnmatch(glob, base, 0) == 0;
}

static int selected(const walker *w, const char *rel)
{
    for (size_t i = 0; i < w->o->nexclude; i++)
        if (glob_match(w->o->exclude[i], rel))
            return 0;
    if (w->o->ninclude == 0)
        return 1;
    for (size_t i = 0; i < w->o->ninclude; i++)
        if (glob_match(w->o->include[i], rel))
            return 1;
    return 0;
}

/* A directory entry: its name and the type readdir gave (DT_UNKNOWN when
 * the file system does not say). */
typedef struct entry {
    char *name;
    unsigned char type;
} entry;

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

static int walk_dir(walker *w, const char *path, size_t root_len, const struct stat *st);

static int walk_entry(walker *w, const char *path, size_t root_len, unsigned char type)
{
    const char *rel = path + root_len;
    while (*rel == '/')
        rel++;
    /* A regular file, as readdir says: nothing to ask the file system, which
     * is most of a walk over an archive of articles. */
    if (type == DT_REG)
        return known_kind(path) && selected(w, rel) ? add_input(w->out, path, NULL) : 0;
    struct stat st;
    if (lstat(path, &st) != 0)
        return add_input(w->out, path, strerror(errno));
    if (S_ISLNK(st.st_mode)) {
        if (!w->o->follow)
            return 0;
        if (stat(path, &st) != 0) {
            const char *why = errno == ELOOP ? "symbolic link loop" : strerror(errno);
            return add_input(w->out, path, why);
        }
    }
    if (S_ISDIR(st.st_mode))
        return walk_dir(w, path, root_len, &st);
    if (!selected(w, rel))
        return 0;
    if (!S_ISREG(st.st_mode)) {
        note_skipped(w->o, path, "not a regular file");
        return 0;
    }
    if (!known_kind(path))
        return 0;
    return add_input(w->out, path, NULL);
}

static int walk_dir(walker *w, const char *path, size_t root_len, const struct stat *st)
{
    for (size_t i = 0; i < w->depth; i++) {
        if (w->stack[i].dev == st->st_dev && w->stack[i].ino == st->st_ino)
            return add_input(w->out, path, "directory symlink loop (not followed)");
    }
    if (w->depth == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 16;
        dir_id *p = realloc(w->stack, cap * sizeof *p);
        if (!p)
            return -1;
        w->stack = p;
        w->cap = cap;
    }
    DIR *d = opendir(path);
    if (!d)
        return add_input(w->out, path, strerror(errno));
    w->stack[w->depth].dev = st->st_dev;
    w->stack[w->depth].ino = st->st_ino;
    w->depth++;
    entry *names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            entry *p = realloc(names, cap * sizeof *p);
            if (!p) {
                rc = -1;
                break;
            }
            names = p;
        }
        if (!(names[n].name = strdup(e->d_name))) {
            rc = -1;
            break;
        }
        names[n].type = e->d_type;
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, entry_cmp);
    /* Each child's path is made in one buffer, the directory's part
     * written once: a formatted print and an allocation per file were a
     * fifth of the walk. */
    size_t plen = strlen(path), dlen = plen + (plen == 0 || path[plen - 1] != '/');
    char *child = NULL;
    size_t ccap = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t nlen = strlen(names[i].name);
        if (dlen + nlen + 1 > ccap) {
            size_t want = 2 * (dlen + nlen + 1);
            char *c = realloc(child, want);
            if (!c) {
                rc = -1;
                break;
            }
            if (!child) {
                memcpy(c, path, plen);
                c[dlen - 1] = '/';
            }
            child = c;
            ccap = want;
        }
        memcpy(child + dlen, names[i].name, nlen + 1);
        rc = walk_entry(w, child, root_len, names[i].type);
    }
    free(child);
    for (size_t i = 0; i < n; i++)
        free(names[i].name);
    free(names);
    w->depth--;
    return rc;
}

int cli_walk(const char *const *paths, size_t npaths, const cli_walk_opts *o, cli_inputs *out)
{
    walker w = {o, out, NULL, 0, 0};
    int rc = 0;
    for (size_t i = 0; i < npaths && rc == 0; i++) {
        const char *p = paths[i];
        struct stat st;
        if (strcmp(p, "-") == 0 || sl_is_url(p)) {
            rc = add_input(out, p, NULL);
        } else if (strstr(p, "://") && stat(p, &st) != 0) {
            rc = add_input(out, p, "unsupported URL scheme (only http:// and https://)");
        } else if (stat(p, &st) != 0) {
            rc = add_input(out, p, errno == ELOOP ? "symbolic link loop" : strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            rc = walk_dir(&w, p, strlen(p), &st);
        } else {
            rc = add_input(out, p, NULL);
        }
    }
    free(w.stack);
    return rc;
}

void cli_inputs_clear(cli_inputs *in)
{
    for (size_t i = 0; i < in->n; i++) {
        free(in->items[i].path);
        free(in->items[i].error);
    }
    free(in->items);
    memset(in, 0, sizeof *in);
}
