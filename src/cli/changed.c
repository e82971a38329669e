/*
 * --changed-since REV: keep only the inputs git reports as changed. git is
 * run as a program (posix_spawnp, no shell, no libgit2): `git diff
 * --name-only -z --diff-filter=ACMR REV --` for what changed in commits and
 * in the work tree since REV, plus `git ls-files --others --exclude-standard
 * -z` for new files not yet added, since an article written for this pull
 * request may not be committed when a pre-commit hook runs. Deleted files
 * are left out: there is nothing to scan.
 *
 * Both lists are relative to the top of the work tree; each input is
 * resolved (realpath) to the same form before it is looked up. URLs and
 * stdin are not files of the repository and are kept.
 */
#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

extern char **environ;

/* Runs git with `argv` and returns its whole stdout (malloc'd) in *out,
 * *len bytes. Returns 0 when git could not run or exited non-zero (its
 * stderr goes to ours, so the reason is already printed). */
static int run_git(char *const argv[], char **out, size_t *len)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 0;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    pid_t pid;
    int rc = posix_spawnp(&pid, "git", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        fprintf(stderr, "syndlint: --changed-since: cannot run git: %s\n", strerror(rc));
        return 0;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    int ok = buf != NULL;
    for (;;) {
        if (ok && n + 1 >= cap) {
            char *p = realloc(buf, cap * 2);
            if (!p)
                ok = 0;
            else {
                buf = p;
                cap *= 2;
            }
        }
        char sink[4096];
        ssize_t r = ok ? read(fds[0], buf + n, cap - n - 1) : read(fds[0], sink, sizeof sink);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        if (ok)
            n += (size_t)r;
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        free(buf);
        return 0;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 1;
}

/* Nonzero when the NUL-separated list [list, list+len) holds `name`. */
static int listed(const char *list, size_t len, const char *name)
{
    for (const char *p = list; p < list + len; p += strlen(p) + 1)
        if (strcmp(p, name) == 0)
            return 1;
    return 0;
}

int cli_changed_filter(cli_inputs *in, const char *rev)
{
    if (rev[0] == '-' || !rev[0]) {
        fprintf(stderr, "syndlint: --changed-since: '%s' is not a revision\n", rev);
        return 0;
    }
    char *top = NULL, *diff = NULL, *fresh = NULL;
    size_t ntop = 0, ndiff = 0, nfresh = 0;
    int ok = 0;
    char *const top_argv[] = {"git", "rev-parse", "--show-toplevel", NULL};
    if (!run_git(top_argv, &top, &ntop))
        goto out;
    while (ntop && (top[ntop - 1] == '\n' || top[ntop - 1] == '\r'))
        top[--ntop] = '\0';
    char *const diff_argv[] = {
        "git",       "-C", top, "diff", "--name-only", "-z", "--diff-filter=ACMR",
        (char *)rev, "--", NULL};
    char *const new_argv[] = {"git", "-C", top, "ls-files", "--others", "--exclude-standard",
                              "-z",  NULL};
    if (!run_git(diff_argv, &diff, &ndiff) || !run_git(new_argv, &fresh, &nfresh))
        goto out;
    char *rtop = realpath(top, NULL);
    if (!rtop)
        goto out;
    size_t lt = strlen(rtop);
    size_t w = 0;
    for (size_t i = 0; i < in->n; i++) {
        cli_input *it = &in->items[i];
        int keep = strcmp(it->path, "-") == 0 || strstr(it->path, "://") != NULL;
        if (!keep) {
            char *real = realpath(it->path, NULL);
            if (real && strncmp(real, rtop, lt) == 0 && real[lt] == '/') {
                const char *rel = real + lt + 1;
                keep = listed(diff, ndiff, rel) || listed(fresh, nfresh, rel);
            }
            free(real);
        }
        if (keep) {
            in->items[w++] = *it;
        } else {
            free(it->path);
            free(it->error);
        }
    }
    in->n = w;
    free(rtop);
    ok = 1;
out:
    if (!ok)
        fprintf(stderr, "syndlint: --changed-since %s: cannot list the changed files\n", rev);
    free(top);
    free(diff);
    free(fresh);
    return ok;
}
