/*
 * input.h -- read a whole input (file or stream) into memory, plain or
 * gzip-compressed, with a cap on the bytes kept.
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
 * "'name': ..." for a read error or corrupt gzip data (also left in 'why').
 */
int input_read(struct input_buf *b, FILE *fp, const char *name, size_t max);

void input_release(struct input_buf *b);

/* Whether 'name' ends with 'ext' (".html"), ignoring case. */
bool input_has_ext(const char *name, const char *ext);

#endif
