/* Shared by the fuzz harnesses: an input's bytes as a file the loaders can
 * open by path (rule packs and configs are read from files). */
#ifndef SL_FUZZ_COMMON_H
#define SL_FUZZ_COMMON_H


#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* Writes `data` to an anonymous in-memory file; returns its descriptor (or
 * -1) and its path in `path`. The caller closes it. */
static int fuzz_memfile(const uint8_t *data, size_t size, char *path, size_t cap)
{
    int fd = memfd_create("syndlint-fuzz", 0);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < size) {
        ssize_t n = write(fd, data + off, size - off);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)n;
    }
    snprintf(path, cap, "/proc/self/fd/%d", fd);
    return fd;
}

#endif
