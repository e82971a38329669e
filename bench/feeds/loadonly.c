/*
 * The feed loader alone: loads a feed file through sl_input_load_file with
 * a sink that drops every document, and prints the peak resident memory.
 * Built and run by run.sh against BUILD/libsyndlint_internal.a (the
 * internal API is not exported by the shared library).
 *
 * usage: loadonly FEED
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "input/input.h"

static sl_status drop(void *user, const sl_source *src, sl_document *doc)
{
    (void)src;
    (void)doc;
    (*(size_t *)user)++;
    return SL_OK;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: loadonly FEED\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    sl_input_file f;
    int over = 0;
    if (fd < 0 || sl_input_file_read(fd, (size_t)1 << 31, &f, &over) != SL_OK || over) {
        perror(argv[1]);
        return 2;
    }
    close(fd);
    sl_source src;
    sl_diag diag = {{0}};
    char note[256];
    size_t n = 0;
    sl_status st =
        sl_input_load_file(argv[1], &f, SL_INPUT_AUTO, &src, drop, &n, note, sizeof note, &diag);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    sl_source_clear(&src);
    sl_input_file_close(&f);
    if (st != SL_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], diag.message);
        return 1;
    }
    printf("%zu %.1f\n", n, (double)ru.ru_maxrss / 1024.0);
    return 0;
}
