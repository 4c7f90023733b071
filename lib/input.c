/* input.c -- whole inputs into memory, plain or gzip, never more than a cap. */
#include <stdlib.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "slant/input.h"
#include "slant/usage.h"

enum { CHUNK = 1 << 16 };

/* Report like error(), keeping the message (without the name) for the caller. */
__attribute__((format(printf, 3, 4))) static int fail(struct input_buf *b, const char *name,
						      const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vsnprintf(b->why, sizeof(b->why), fmt, ap);
	va_end(ap);
	if (saved && !strcmp(b->why, "read error"))
		snprintf(b->why, sizeof(b->why), "read error: %s", strerror(saved));
	return error("'%s': %s", name, b->why);
}

/* Keep up to the cap; returns false once it is reached. */
static bool keep(struct input_buf *b, const unsigned char *p, size_t n, size_t max, size_t *cap)
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

static int read_gzip(struct input_buf *b, FILE *fp, const char *name, size_t max,
		     unsigned char *in, size_t have, size_t *cap)
{
	unsigned char *out = xmalloc(CHUNK);
	z_stream zs;
	int zr = Z_OK, ret = 0;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 16) != Z_OK) {
		free(out);
		return fail(b, name, "cannot start gzip decompression");
	}
	zs.next_in = in;
	zs.avail_in = (uInt)have;
	for (;;) {
		if (zs.avail_in == 0) {
			have = fread(in, 1, CHUNK, fp);
			if (have == 0) {
				if (ferror(fp))
					ret = fail(b, name, "read error");
				else if (zr != Z_STREAM_END)
					ret = fail(b, name, "gzip data ends early");
				break;
			}
			zs.next_in = in;
			zs.avail_in = (uInt)have;
		}
		if (zr == Z_STREAM_END) {
			/* Another member follows, or trailing bytes that are not gzip. */
			if (zs.avail_in >= 2 && (zs.next_in[0] != 0x1f || zs.next_in[1] != 0x8b))
				break;
			inflateReset(&zs);
		}
		zs.next_out = out;
		zs.avail_out = CHUNK;
		zr = inflate(&zs, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
			ret = fail(b, name, "bad gzip data: %s", zs.msg ? zs.msg : "corrupt");
			break;
		}
		if (!keep(b, out, CHUNK - zs.avail_out, max, cap))
			break;
		if (zr == Z_BUF_ERROR && zs.avail_in) {
			ret = fail(b, name, "bad gzip data");
			break;
		}
	}
	inflateEnd(&zs);
	free(out);
	return ret;
}

int input_read(struct input_buf *b, FILE *fp, const char *name, size_t max)
{
	unsigned char *in = xmalloc(CHUNK);
	size_t have, cap = 0;
	int ret = 0;

	memset(b, 0, sizeof(*b));
	xgrow(&b->data, &cap, 1, 1);
	b->data[0] = '\0';
	have = fread(in, 1, CHUNK, fp);
	if (have >= 2 && in[0] == 0x1f && in[1] == 0x8b) {
		b->gzip = true;
		ret = read_gzip(b, fp, name, max, in, have, &cap);
	} else {
		while (have && keep(b, in, have, max, &cap))
			have = fread(in, 1, CHUNK, fp);
		if (ferror(fp))
			ret = fail(b, name, "read error");
	}
	free(in);
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
