/*
 * Files written whole or not at all (sl_write_file_atomic).
 *
 * A report is written to a temporary file beside its target, flushed to
 * disk and renamed over it, so an interrupted run never leaves a truncated
 * report and a failed one leaves the earlier file as it was. Renaming over
 * the path itself is only right for a regular file, though: a symbolic link
 * would be replaced by a file and its target never written (in a CI
 * container run as root, "--report sarif:/dev/stdout" would replace the
 * system's /dev/stdout link), and a FIFO or a device would be destroyed. So
 * a link is followed to its target first, and what is neither a regular
 * file nor absent is written in place.
 *
 * A process that must end at once (a second Ctrl-C) calls
 * sl_write_file_atomic_abandon from its signal handler: each temporary
 * file being written is noted in a slot that the handler can read without
 * locks, and unlinking it is all it does.
 */
#include <stdatomic.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "syndlint/syndlint.h"
#include "util/buf.h"
#include "util/diag.h"

/* The temporary files being written, for sl_write_file_atomic_abandon.
 * A writer claims a free slot, copies the name in, then marks it ready;
 * the handler only reads names marked ready. More writers at once than
 * slots, or a longer name, go unnoted: their file may be left. */
#define TMP_SLOTS 8
static struct {
    atomic_int state; /* 0 free, 1 claimed, 2 ready */
    char name[PATH_MAX];
} tmp_slots[TMP_SLOTS];

static int tmp_note(const char *name)
{
    size_t n = strlen(name);
    if (n >= PATH_MAX)
        return -1;
    for (int i = 0; i < TMP_SLOTS; i++) {
        int free_slot = 0;
        if (atomic_compare_exchange_strong(&tmp_slots[i].state, &free_slot, 1)) {
            memcpy(tmp_slots[i].name, name, n + 1);
            atomic_store(&tmp_slots[i].state, 2);
            return i;
        }
    }
    return -1;
}

static void tmp_forget(int slot)
{
    if (slot >= 0)
        atomic_store(&tmp_slots[slot].state, 0);
}

void sl_write_file_atomic_abandon(void)
{
    for (int i = 0; i < TMP_SLOTS; i++)
        if (atomic_load(&tmp_slots[i].state) == 2)
            unlink(tmp_slots[i].name);
}

/* Where a link at `path` finally points, malloc'd; NULL when `path` is no
 * link or the chain cannot be followed (then it is written as it is). A
 * link to a file that does not exist yet names the file to create. */
static char *link_target(const char *path)
{
    struct stat lst;
    if (lstat(path, &lst) != 0 || !S_ISLNK(lst.st_mode))
        return NULL;
    char *real = realpath(path, NULL);
    if (real)
        return real;
    /* Dangling: one step, relative to the link's directory. */
    char target[PATH_MAX];
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n <= 0)
        return NULL;
    target[n] = '\0';
    const char *slash = strrchr(path, '/');
    sl_buf b = SL_BUF_INIT;
    if (target[0] != '/' && slash)
        sl_buf_printf(&b, "%.*s/%s", (int)(slash - path), path, target);
    else
        sl_buf_puts(&b, target);
    return sl_buf_steal(&b);
}

/* Writes straight into what is at `path` (a FIFO, a device, a terminal):
 * there is no file to replace. */
static sl_status write_in_place(const char *path, const char *what, sl_file_writer write,
                                void *user, sl_diag *diag)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return sl_diag_set(diag, SL_EIO, path, 0, 0, NULL, "cannot write %s: %s", what,
                           strerror(errno));
    sl_status st = write(f, user, diag);
    int err = errno;
    if (fclose(f) != 0 && st == SL_OK) {
        err = errno;
        st = SL_EIO;
    }
    if (st == SL_EIO)
        sl_diag_set(diag, st, path, 0, 0, NULL, "cannot write %s: %s", what,
                    strerror(err ? err : EIO));
    return st;
}

sl_status sl_write_file_atomic(const char *path, const char *what, sl_file_writer write, void *user,
                               sl_diag *diag)
{
    sl_status st = SL_OK;
    sl_buf tmp = SL_BUF_INIT;
    char *target = link_target(path);
    const char *dest = target ? target : path;
    struct stat sb;
    if (stat(dest, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        st = S_ISDIR(sb.st_mode) ? sl_diag_set(diag, SL_EIO, path, 0, 0, NULL,
                                               "cannot write %s: %s", what, strerror(EISDIR))
                                 : write_in_place(dest, what, write, user, diag);
        goto cleanup;
    }
    if (sl_buf_printf(&tmp, "%s.tmp-XXXXXX", dest) != SL_OK) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    int fd = mkstemp(tmp.data);
    int slot = fd >= 0 ? tmp_note(tmp.data) : -1;
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        st = sl_diag_set(diag, SL_EIO, path, 0, 0, NULL, "cannot write %s: %s", what,
                         strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp.data);
        }
        tmp_forget(slot);
        goto cleanup;
    }
    st = write(f, user, diag);
    int err = errno;
    if (st == SL_OK && (fflush(f) != 0 || fsync(fileno(f)) != 0)) {
        err = errno;
        st = SL_EIO;
    }
    if (fclose(f) != 0 && st == SL_OK) {
        err = errno;
        st = SL_EIO;
    }
    if (st == SL_OK) {
        /* mkstemp creates 0600; a report is meant to be read by others. */
        mode_t mask = umask(0);
        umask(mask);
        chmod(tmp.data, 0666 & ~mask);
        if (rename(tmp.data, dest) != 0) {
            err = errno;
            st = SL_EIO;
        }
    }
    if (st != SL_OK)
        unlink(tmp.data);
    tmp_forget(slot);
    if (st != SL_OK) {
        if (st == SL_EIO)
            sl_diag_set(diag, st, path, 0, 0, NULL, "cannot write %s: %s", what,
                        strerror(err ? err : EIO));
    }
cleanup:
    sl_buf_free(&tmp);
    free(target);
    return st;
}
