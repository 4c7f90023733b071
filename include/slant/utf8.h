/* utf8.h -- UTF-8 validation and repair (RFC 3629: no overlongs, no surrogates). */
#ifndef SLANT_UTF8_H
#define SLANT_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decode one code point from 's' (at most 'len' bytes) into '*cp'. Returns the
 * number of bytes used (1-4), or 0 if the bytes there are not valid UTF-8.
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Length of the longest valid UTF-8 prefix of 's'; equals 'len' when all is valid. */
size_t utf8_valid_prefix(const char *s, size_t len);

static inline bool utf8_valid(const char *s, size_t len)
{
	return utf8_valid_prefix(s, len) == len;
}

/*
 * Returns a malloc'd copy of 's' with each invalid byte replaced by U+FFFD and
 * each NUL byte dropped; '*outlen' gets its length. '*repaired' (if not NULL)
 * gets the number of bytes replaced or dropped. Caller frees.
 */
char *utf8_repair(const char *s, size_t len, size_t *outlen, size_t *repaired);

/* Encode 'cp' into 'out' (4 bytes of room); returns bytes written. */
size_t utf8_encode(uint32_t cp, char *out);

/* Number of code points in the valid UTF-8 string 's'. */
size_t utf8_count(const char *s, size_t len);

/*
 * Whether 'cp' is a bidirectional embedding, override or isolate control
 * (U+202A-202E, U+2066-2069): invisible, yet it reorders what is shown, so
 * a string can read differently from what it holds ("Trojan Source").
 */
bool utf8_is_bidi_control(uint32_t cp);

/*
 * Remove those controls from 's' in place ('*len' bytes, updated; a NUL is
 * written after the rest when it shrinks). Returns how many were removed.
 */
size_t utf8_strip_bidi(char *s, size_t *len);

/* Room utf8_clip() needs. */
#define UTF8_CLIP_BUF 80

/*
 * Data fit to quote in a message: at most 60 bytes (then "..."), control,
 * bidirectional and invalid bytes as '?', so a binary or very long value
 * gives one short line. Returns 'buf'.
 */
const char *utf8_clip(const char *s, char buf[UTF8_CLIP_BUF]);

#endif
