/*
 * line.c -- a line reader over read() blocks and memchr(), so a line of any
 * length costs one copy and an over-long line is skipped without being held.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "slant/line.h"
#include "slant/usage.h"

enum { BLOCK = 1 << 16 };

void line_reader_init(struct line_reader *lr, FILE *fp, const char *name, size_t max)
{
	memset(lr, 0, sizeof(*lr));
	lr->fp = fp;
	lr->name = name;
	lr->max = max;
}

/* Append 'n' bytes to the line unless it is already over the limit. */
static void keep(struct line_reader *lr, const char *p, size_t n, size_t *total)
{
	*total += n;
	if (lr->max && *total > lr->max)
		return;
	xgrow(&lr->buf, &lr->cap, lr->len + n + 1, 1);
	memcpy(lr->buf + lr->len, p, n);
	lr->len += n;
}

/*
 * Refill the block. On a real descriptor read() returns what a pipe has now,
 * so a trickling stream is passed on line by line instead of waiting for a
 * full block (fread would); streams without one (fmemopen) use fread.
 */
static int fill(struct line_reader *lr)
{
	int fd = fileno(lr->fp);
	ssize_t n;

	if (fd < 0) {
		lr->end = fread(lr->block, 1, BLOCK, lr->fp);
		return ferror(lr->fp) ? -1 : 0;
	}
	do
		n = read(fd, lr->block, BLOCK);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	lr->end = (size_t)n;
	return 0;
}

int line_read(struct line_reader *lr)
{
	size_t total = 0;
	bool any = false;

	lr->len = 0;
	lr->overlong = 0;
	for (;;) {
		char *nl;
		size_t n;

		if (lr->pos == lr->end) {
			if (!lr->block)
				lr->block = xmalloc(BLOCK);
			lr->pos = 0;
			if (fill(lr) < 0)
				return -1;
			if (lr->end == 0)
				break;
		}
		any = true;
		n = lr->end - lr->pos;
		nl = memchr(lr->block + lr->pos, '\n', n);
		if (nl) {
			n = (size_t)(nl - (lr->block + lr->pos));
			keep(lr, lr->block + lr->pos, n, &total);
			lr->pos += n + 1;
			break;
		}
		keep(lr, lr->block + lr->pos, n, &total);
		lr->pos = lr->end;
	}
	if (!any)
		return 0;
	lr->lineno++;
	if (lr->max && total > lr->max) {
		lr->overlong = total;
		lr->len = 0;
	} else if (lr->len && lr->buf[lr->len - 1] == '\r') {
		lr->len--;
	}
	xgrow(&lr->buf, &lr->cap, lr->len + 1, 1);
	lr->buf[lr->len] = '\0';
	return 1;
}

void line_reader_unread(struct line_reader *lr, const char *p, size_t n)
{
	size_t left = lr->end - lr->pos;
	char *block = xmalloc(BLOCK > left + n ? BLOCK : left + n);

	memcpy(block, p, n);
	if (left)
		memcpy(block + n, lr->block + lr->pos, left);
	free(lr->block);
	lr->block = block;
	lr->pos = 0;
	lr->end = n + left;
}

bool line_has_nul(const struct line_reader *lr)
{
	return lr->len && memchr(lr->buf, '\0', lr->len) != NULL;
}

void line_reader_release(struct line_reader *lr)
{
	free(lr->buf);
	free(lr->block);
	memset(lr, 0, sizeof(*lr));
}
