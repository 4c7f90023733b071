/*
 * input.h -- inputs (files or streams) as they come: gzip is recognised by
 * its magic bytes, whatever the name, and decompressed as it is read, so an
 * endless or huge stream costs a fixed amount of memory; or a whole input
 * read into memory with a cap on the bytes kept (a gzip bomb stops there).
 *
 *   struct input_buf b = INPUT_BUF_INIT;
 *   if (input_read(&b, fp, "page.html.gz", 64 << 20) == 0)
 *           use(b.data, b.len);
 *   input_release(&b);
 */
#ifndef SLANT_INPUT_H
#define SLANT_INPUT_H

#include <stdbool.h>
#include <stdio.h>

#include <zlib.h>

/* A stream: the bytes given back by a sniffer, then the rest of a FILE, decompressed. */
struct input_src {
	FILE *fp;            /* read the (decompressed) bytes here: stdio or a line_reader */
	bool gzip;           /* the input is gzip-compressed */
	char why[128];       /* once 'fp' ends: empty, or why it ended early (bad gzip, read error) */
	/* private */
	FILE *raw;           /* the compressed (or plain) bytes; not owned */
	unsigned char *in;   /* read-ahead from 'raw' */
	z_stream zs;
	bool member_end;     /* a gzip member has ended: another may follow */
	bool done;
};

/*
 * Open 's' to read 'head' (the first 'nhead' bytes, already read by the
 * caller to sniff the input) and then the rest of 'raw', gzip-decompressed
 * (several members in a row included) when 'head' starts with the gzip magic
 * bytes 1f 8b. A failure ends s->fp like the end of input and leaves the
 * reason in s->why, after every good byte: check it at the end. 's' must not
 * move while open; input_close() closes s->fp, not 'raw'.
 */
void input_open(struct input_src *s, FILE *raw, const void *head, size_t nhead);
void input_close(struct input_src *s);

struct input_buf {
	char *data;       /* the bytes (decompressed), NUL-terminated; may hold NULs */
	size_t len;
	bool truncated;   /* there was more than 'max' bytes: the rest was not read */
	bool gzip;        /* the input was gzip-compressed */
	char why[128];    /* after an error: what went wrong, for the caller's records */
};

#define INPUT_BUF_INIT { 0 }

/*
 * Read 'fp' to its end, or until 'max' bytes are kept. Gzip data (by its
 * magic bytes) is decompressed, several members in a row included, with the
 * cap applied to the decompressed size. Returns 0, or -1 after reporting
 * "'name': ..." for a read error or corrupt gzip data (also left in 'why');
 * 'b' is to be released either way.
 */
int input_read(struct input_buf *b, FILE *fp, const char *name, size_t max);

/* The same from an open stream 's' (what is left of it). */
int input_read_src(struct input_buf *b, struct input_src *s, const char *name, size_t max);

void input_release(struct input_buf *b);

/* Whether 'name' ends with 'ext' (".html"), ignoring case. */
bool input_has_ext(const char *name, const char *ext);

#endif
