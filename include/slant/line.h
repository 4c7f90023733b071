/*
 * line.h -- read lines of any length from a stream.
 *
 * Handles CRLF, a last line without a newline and NUL bytes inside a line
 * (the length, not strlen, is the truth). Lines longer than 'max' are
 * skipped without being held in memory and reported as over-long.
 */
#ifndef SLANT_LINE_H
#define SLANT_LINE_H

#include <stdbool.h>
#include <stdio.h>

struct line_reader {
	FILE *fp;
	const char *name;      /* input name for messages, e.g. "<stdin>" */
	char *buf;             /* the current line, NUL-terminated, without its newline */
	size_t len;            /* bytes in 'buf', may include NULs */
	size_t cap;
	size_t max;            /* longest line kept; 0 = no limit */
	size_t overlong;       /* length of the current line if it exceeded 'max', else 0 */
	unsigned long lineno;  /* 1-based number of the current line */
	char *block;           /* read-ahead buffer */
	size_t pos, end;       /* unread bytes are block[pos..end) */
};

#define LINE_READER_INIT { 0 }

void line_reader_init(struct line_reader *lr, FILE *fp, const char *name, size_t max);

/*
 * Read the next line. Returns 1 with a line in lr->buf (an over-long line
 * gives len 0 and lr->overlong set), 0 at end of input, -1 on a read error
 * (errno set).
 */
int line_read(struct line_reader *lr);

/*
 * Put 'n' bytes back in front of the unread input, e.g. what a caller read
 * to sniff the stream's type. The reader reads its descriptor with read(),
 * so bytes left in the FILE's own buffer (or pushed back with ungetc) would
 * be missed: sniff with an unbuffered FILE and hand the bytes back here.
 */
void line_reader_unread(struct line_reader *lr, const char *p, size_t n);

/* Whether the line holds a NUL byte. */
bool line_has_nul(const struct line_reader *lr);

void line_reader_release(struct line_reader *lr);

#endif
