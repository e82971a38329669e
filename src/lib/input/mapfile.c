/*
 * A file's bytes for the loaders: mapped when it is a regular file, read
 * into memory otherwise.
 *
 * Design note. Reading a 100 MB feed into a buffer makes memory follow the
 * feed, however small its items. A read-only private mapping costs only the
 * pages touched, and a page that is clean (never written: the mapping is
 * PROT_READ) can be released with MADV_DONTNEED and is read back from the
 * page cache or the file if touched again. So each pass over the whole file
 * (the nesting check, the UTF-8 check, the loader, the search for
 * suppression comments) releases the pages behind it, and resident memory
 * stays a window, whatever the file's size.
 *
 * The loaders want data[len] == '\0'. The file is mapped over a reserved
 * anonymous range one byte longer than the file, rounded up to pages: when
 * the file's size is a multiple of the page size, the page after it is that
 * range's zero page; otherwise the kernel fills the end of the last page
 * with zeros.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/input.h"
#include "input/loadutil.h"

/* Passes release the pages behind them every this many bytes. */
#define PASS_STEP ((size_t)1 << 20)

/* Files smaller than this are read, not mapped: for a page or two, two
 * mmap calls, an munmap (with its TLB shootdown on every core running a
 * scanner) and a fault per page cost more than one read into a buffer the
 * allocator reuses, and memory is not at stake. */
#define MAP_MIN ((size_t)64 << 10)

static size_t page_size(void)
{
    long n = sysconf(_SC_PAGESIZE);
    return n > 0 ? (size_t)n : 4096;
}

static sl_status map_file(int fd, size_t len, sl_input_file *f)
{
    size_t pg = page_size();
    if (len > SIZE_MAX - 2 * pg)
        return SL_ENOMEM;
    size_t total = (len / pg + 1) * pg;
    void *base = mmap(NULL, total, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        return SL_ENOMEM;
    if (mmap(base, len, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
        munmap(base, total);
        return SL_EIO;
    }
    f->map = base;
    f->map_len = total;
    f->data = base;
    f->len = len;
    return SL_OK;
}

/* Reads to the end of fd, giving up just past `limit` bytes; `hint` is the
 * size of a regular file read from its start (0: unknown). */
static sl_status read_all(int fd, size_t limit, size_t hint, sl_input_file *f, int *over)
{
    size_t cap = hint && hint < limit ? hint + 2 : 64 * 1024, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return SL_ENOMEM;
    for (;;) {
        if (len > limit) {
            *over = 1;
            break;
        }
        if (len + 1 >= cap) {
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                return SL_ENOMEM;
            }
            buf = p;
            cap *= 2;
        }
        size_t want = cap - len - 1;
        ssize_t n = read(fd, buf + len, want);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            errno = e;
            return SL_EIO;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        /* A read asks one byte past the expected size: stopping short at
         * exactly that size is the end of the file, and the read that
         * would return 0 to say so is saved (one call per small file). A
         * file that grew gives that byte, and is read on to its end. */
        if (hint && len == hint && (size_t)n < want)
            break;
    }
    buf[len] = '\0';
    f->buf = buf;
    f->data = buf;
    f->len = len;
    return SL_OK;
}

sl_status sl_input_file_read_opened(int fd, const struct stat *sb, size_t limit, sl_input_file *f,
                                    int *over)
{
    memset(f, 0, sizeof *f);
    *over = 0;
    if (sb && S_ISREG(sb->st_mode) && sb->st_size > 0) {
        if ((uintmax_t)sb->st_size > limit) {
            *over = 1;
            f->len = (size_t)sb->st_size;
            f->data = "";
            return SL_OK;
        }
        if ((size_t)sb->st_size < MAP_MIN)
            return read_all(fd, limit, (size_t)sb->st_size, f, over);
        /* A file system that cannot map (or a file that cannot be mapped)
         * is read instead. */
        if (map_file(fd, (size_t)sb->st_size, f) == SL_OK)
            return SL_OK;
        memset(f, 0, sizeof *f);
    }
    return read_all(fd, limit, 0, f, over);
}

sl_status sl_input_file_read(int fd, size_t limit, sl_input_file *f, int *over)
{
    struct stat sb;
    /* Standard input redirected from a file may have been read from
     * already: only a file read from its start is mapped or sized. */
    int whole =
        fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 && lseek(fd, 0, SEEK_CUR) == 0;
    return sl_input_file_read_opened(fd, whole ? &sb : NULL, limit, f, over);
}

void sl_input_file_release(const sl_input_file *f, size_t from, size_t to)
{
    if (!f || !f->map || from >= to)
        return;
    if (to > f->len)
        to = f->len;
    uintptr_t pg = page_size();
    /* The mapping starts on a page: rounding `from` down stays inside it. */
    const char *lo = (const char *)((uintptr_t)(f->data + from) & ~(pg - 1));
    sl_mapped_release(lo, f->data + to);
}

int sl_input_file_mentions(const sl_input_file *f, const char *lit)
{
    size_t m = strlen(lit);
    for (size_t i = 0; i < f->len; i += PASS_STEP) {
        size_t end = f->len - i > PASS_STEP + m ? i + PASS_STEP + m : f->len;
        if (sl_input_find(f->data + i, end - i, lit, m))
            return 1;
        sl_input_file_release(f, i, i + PASS_STEP);
    }
    return 0;
}

void sl_input_file_close(sl_input_file *f)
{
    if (!f)
        return;
    if (f->map)
        munmap(f->map, f->map_len);
    free(f->buf);
    memset(f, 0, sizeof *f);
}
