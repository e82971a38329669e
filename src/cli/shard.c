/*
 * --shard K/N: a stable partition of the inputs, so that N machines given
 * the same arguments scan disjoint parts whose union is the whole run.
 *
 * An input belongs to shard K when the 64-bit FNV-1a hash of its path (as
 * walked, relative to the arguments) is K-1 modulo N. The hash depends on
 * the path alone, never on the order, the number of files or the machine,
 * so a file stays in its shard as the corpus grows, and `syndlint merge`
 * can put the shards' reports back together in walk order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static uint64_t path_hash(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

int cli_shard_parse(const char *spec, unsigned *k, unsigned *n)
{
    char *end = NULL;
    unsigned long a = strtoul(spec, &end, 10);
    if (end == spec || *end != '/' || spec[0] == '-')
        return 0;
    const char *b = end + 1;
    unsigned long m = strtoul(b, &end, 10);
    if (end == b || *end != '\0' || b[0] == '-' || m < 1 || m > 1000000 || a < 1 || a > m)
        return 0;
    *k = (unsigned)a;
    *n = (unsigned)m;
    return 1;
}

void cli_shard_filter(cli_inputs *in, unsigned k, unsigned n)
{
    size_t w = 0;
    for (size_t i = 0; i < in->n; i++) {
        if (path_hash(in->items[i].path) % n == k - 1) {
            in->items[w++] = in->items[i];
        } else {
            free(in->items[i].path);
            free(in->items[i].error);
        }
    }
    in->n = w;
}
