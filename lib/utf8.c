/* utf8.c -- strict UTF-8 decoding; everything else in slant builds on it. */
#include <string.h>

#include "slant/usage.h"
#include "slant/utf8.h"

size_t utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	size_t n, i;

	if (!len)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		c &= 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

size_t utf8_valid_prefix(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n;

		/* Fast path over ASCII, which is most of any article. */
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (!n)
			return i;
		i += n;
	}
	return len;
}

size_t utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	} else if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

char *utf8_repair(const char *s, size_t len, size_t *outlen, size_t *repaired)
{
	/* Worst case: every byte becomes the 3-byte U+FFFD. */
	char *out = xmalloc(len * 3 + 1);
	size_t i = 0, o = 0, bad = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		if (n == 1 && cp == 0) {
			bad++;
			i++;
		} else if (n) {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		} else {
			o += utf8_encode(0xFFFD, out + o);
			bad++;
			i++;
		}
	}
	out[o] = '\0';
	*outlen = o;
	if (repaired)
		*repaired = bad;
	return out;
}

size_t utf8_count(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

bool utf8_is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t utf8_strip_bidi(char *s, size_t *len)
{
	size_t i = 0, o = 0, n = 0;

	while (i < *len) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, *len - i, &cp);

		if (!k)
			k = 1;
		else if (utf8_is_bidi_control(cp)) {
			i += k;
			n++;
			continue;
		}
		memmove(s + o, s + i, k);
		o += k;
		i += k;
	}
	if (o < *len)
		s[o] = '\0';
	*len = o;
	return n;
}

const char *utf8_clip(const char *s, char buf[UTF8_CLIP_BUF])
{
	size_t i = 0, o = 0, n = strlen(s), w;
	uint32_t cp;

	while (i < n && o < 60) {
		w = utf8_decode(s + i, n - i, &cp);
		if (w == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    utf8_is_bidi_control(cp)) {
			buf[o++] = '?';
			i += w ? w : 1;
			continue;
		}
		if (o + w > 60)
			break;
		memcpy(buf + o, s + i, w);
		o += w;
		i += w;
	}
	if (i < n) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}
