/*
 * Where a report keeps its documents between sl_report_add and the write:
 * encoded one after another, in memory while they are few and in an
 * unlinked temporary file once they pass RM_SPOOL_MEM bytes. A report of a
 * 200,000-item feed then costs a few MB of memory instead of one structure
 * per item, and the writers read the documents back in order, one at a
 * time, through rm_doc_iter.
 */
#ifndef SL_REPORT_SPOOL_H
#define SL_REPORT_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "syndlint/syndlint.h"

/* Bytes kept in memory before the spool moves to a file. */
#define RM_SPOOL_MEM ((size_t)1 << 20)

typedef struct rm_spool {
    char *mem; /* owned; the encoded documents while fd is -1 */
    size_t len, cap;
    int fd;        /* the temporary file, -1 until the spool moves there */
    uint64_t size; /* bytes encoded in all */
    char *wbuf;    /* owned; bytes not yet written to fd */
    size_t wlen;
    int err;     /* errno of a failed write, 0 when none */
    int no_file; /* a temporary file could not be made: stay in memory */
} rm_spool;

void rm_spool_init(rm_spool *sp);
void rm_spool_clear(rm_spool *sp);
/* Appends `n` bytes. SL_EIO (sp->err says why) when the temporary file
 * cannot take them; SL_ENOMEM when memory runs out. */
sl_status rm_spool_put(rm_spool *sp, const void *p, size_t n);
/* Writes out what is buffered, so readers see every byte. */
sl_status rm_spool_flush(rm_spool *sp);
/* pread until `n` bytes are read, the file ends or a read fails; the
 * bytes read. */
size_t rm_pread(int fd, void *dst, size_t n, uint64_t off);
/* Copies `n` bytes at `off` into `dst`; 0 when they cannot be read. */
int rm_spool_read(const rm_spool *sp, uint64_t off, void *dst, size_t n);

/* Document records. A record is its length (4 bytes) and then the
 * document: verdict, strings and findings, each string its length (4
 * bytes; 0xFFFFFFFF for NULL) and its bytes with a terminating NUL, so a
 * decoded record's strings are used where they lie. */
typedef struct rm_enc {
    char *data; /* owned scratch, reused from record to record */
    size_t len, cap;
    int ok;
} rm_enc;

void rm_enc_begin(rm_enc *e);
void rm_enc_u32(rm_enc *e, uint32_t v);
void rm_enc_str(rm_enc *e, const char *s);
/* Appends the finished record to the spool. */
sl_status rm_enc_end(rm_enc *e, rm_spool *sp);
void rm_enc_free(rm_enc *e);

#endif
