/*
 * input.c -- inputs as streams, gzip decompressed as they are read (by the
 * magic bytes, whatever the name), and whole inputs into memory under a cap.
 */
#define _GNU_SOURCE /* fopencookie: a FILE that stdio and the line reader read alike */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "slant/input.h"
#include "slant/usage.h"

enum { CHUNK = 1 << 16 };

/* ====== Streams ====== */

/* End the stream, keeping the first reason. */
__attribute__((format(printf, 2, 3))) static void src_fail(struct input_src *s,
							   const char *fmt, ...)
{
	va_list ap;

	if (!s->why[0]) {
		va_start(ap, fmt);
		vsnprintf(s->why, sizeof(s->why), fmt, ap);
		va_end(ap);
	}
	s->done = true;
}

/* Refill the compressed bytes; false at the end of 'raw' (or an error, in 'why'). */
static bool src_fill(struct input_src *s)
{
	size_t n = fread(s->in, 1, CHUNK, s->raw);

	if (n == 0) {
		if (ferror(s->raw))
			src_fail(s, "read error: %s", strerror(errno));
		return false;
	}
	s->zs.next_in = s->in;
	s->zs.avail_in = (uInt)n;
	return true;
}

/*
 * The cookie's read: what it returns is always good data. A failure ends the
 * stream (0) with the reason in 'why', so that stdio hands on every byte
 * before it and the caller reports the failure once, after them.
 */
static ssize_t src_read(void *cookie, char *buf, size_t size)
{
	struct input_src *s = cookie;
	size_t n;
	int zr;

	if (s->done || size == 0)
		return 0;
	if (!s->gzip) {
		if (s->zs.avail_in) {
			n = size < s->zs.avail_in ? size : s->zs.avail_in;
			memcpy(buf, s->zs.next_in, n);
			s->zs.next_in += n;
			s->zs.avail_in -= (uInt)n;
			return (ssize_t)n;
		}
		n = fread(buf, 1, size, s->raw);
		if (n == 0 && ferror(s->raw))
			src_fail(s, "read error: %s", strerror(errno));
		return (ssize_t)n;
	}
	if (size > UINT_MAX)
		size = UINT_MAX;
	s->zs.next_out = (unsigned char *)buf;
	s->zs.avail_out = (uInt)size;
	while (s->zs.avail_out == size && !s->done) {
		if (s->zs.avail_in == 0 && !src_fill(s)) {
			if (!s->member_end)
				src_fail(s, "%s", "gzip data ends early");
			s->done = true;
			break;
		}
		if (s->member_end) {
			/* Another member follows (cat a.gz b.gz), or trailing bytes that are not gzip. */
			if (s->zs.next_in[0] != 0x1f) {
				s->done = true;
				break;
			}
			inflateReset(&s->zs);
			s->member_end = false;
		}
		zr = inflate(&s->zs, Z_NO_FLUSH);
		if (zr == Z_STREAM_END)
			s->member_end = true;
		else if (zr == Z_NEED_DICT || zr == Z_DATA_ERROR || zr == Z_MEM_ERROR ||
			 zr == Z_STREAM_ERROR)
			src_fail(s, "bad gzip data: %s", s->zs.msg ? s->zs.msg : "corrupt");
		else if (zr == Z_BUF_ERROR && s->zs.avail_in)
			src_fail(s, "%s", "bad gzip data");
	}
	return (ssize_t)(size - s->zs.avail_out);
}

static int src_close(void *cookie)
{
	(void)cookie;
	return 0;
}

void input_open(struct input_src *s, FILE *raw, const void *head, size_t nhead)
{
	static const cookie_io_functions_t io = { .read = src_read, .close = src_close };
	const unsigned char *h = head;

	memset(s, 0, sizeof(*s));
	s->raw = raw;
	s->in = xmalloc(nhead > CHUNK ? nhead : CHUNK);
	memcpy(s->in, head, nhead);
	s->zs.next_in = s->in;
	s->zs.avail_in = (uInt)nhead;
	s->gzip = nhead >= 2 && h[0] == 0x1f && h[1] == 0x8b;
	if (s->gzip && inflateInit2(&s->zs, 15 + 16) != Z_OK)
		src_fail(s, "%s", "cannot start gzip decompression");
	s->fp = fopencookie(s, "rb", io);
	if (!s->fp)
		die("out of memory opening a stream");
}

void input_close(struct input_src *s)
{
	if (s->fp)
		fclose(s->fp);
	if (s->gzip)
		inflateEnd(&s->zs);
	free(s->in);
	memset(s, 0, sizeof(*s));
}

/* ====== Whole inputs ====== */

/* Keep up to the cap; returns false once it is reached. */
static bool keep(struct input_buf *b, const char *p, size_t n, size_t max, size_t *cap)
{
	if (b->len + n > max) {
		n = max - b->len;
		b->truncated = true;
	}
	xgrow(&b->data, cap, b->len + n + 1, 1);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return !b->truncated;
}

int input_read_src(struct input_buf *b, struct input_src *s, const char *name, size_t max)
{
	char *chunk = xmalloc(CHUNK);
	size_t have, cap = 0;

	memset(b, 0, sizeof(*b));
	b->gzip = s->gzip;
	xgrow(&b->data, &cap, 1, 1);
	b->data[0] = '\0';
	while ((have = fread(chunk, 1, CHUNK, s->fp)) > 0 && keep(b, chunk, have, max, &cap))
		;
	free(chunk);
	/* Past the cap the rest is not read, so nothing after it can fail. */
	if (s->why[0] && !b->truncated) {
		snprintf(b->why, sizeof(b->why), "%s", s->why);
		return error("'%s': %s", name, b->why);
	}
	return 0;
}

int input_read(struct input_buf *b, FILE *fp, const char *name, size_t max)
{
	struct input_src s;
	unsigned char head[2];
	size_t n = fread(head, 1, sizeof(head), fp);
	int ret;

	if (n == 0 && ferror(fp)) {
		memset(b, 0, sizeof(*b));
		snprintf(b->why, sizeof(b->why), "read error: %s", strerror(errno));
		return error("'%s': %s", name, b->why);
	}
	input_open(&s, fp, head, n);
	ret = input_read_src(b, &s, name, max);
	input_close(&s);
	return ret;
}

void input_release(struct input_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

bool input_has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);

	return n > e && !strcasecmp(name + n - e, ext);
}
