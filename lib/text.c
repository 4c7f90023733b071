/* text.c -- character classes, words and word tables for scanning UTF-8 text. */
#include <stdlib.h>
#include <string.h>

#include "slant/text.h"
#include "slant/usage.h"
#include "slant/utf8.h"
#include "slant/words.h"

/* ====== Character classes ====== */

/* Case by parity in the Latin and Cyrillic extension blocks: 'upper_even' says which parity is upper. */
static unsigned by_parity(uint32_t cp, int upper_even)
{
	return TEXT_ALPHA | ((cp % 2 == 0) == upper_even ? TEXT_UPPER : TEXT_LOWER);
}

static unsigned ascii_class(uint32_t c)
{
	if (c == ' ' || (c >= '\t' && c <= '\r'))
		return TEXT_SPACE;
	if (c >= 'A' && c <= 'Z')
		return TEXT_ALPHA | TEXT_UPPER;
	if (c >= 'a' && c <= 'z')
		return TEXT_ALPHA | TEXT_LOWER;
	if (c >= '0' && c <= '9')
		return TEXT_DIGIT;
	if (c > ' ' && c < 0x7f)
		return TEXT_PUNCT;
	return 0; /* control characters and NUL belong to no class */
}

unsigned text_class(uint32_t cp)
{
	if (cp < 0x80)
		return ascii_class(cp);
	if (cp < 0xa0)
		return cp == 0x85 ? TEXT_SPACE : 0;
	if (cp < 0xc0) {
		if (cp == 0xa0)
			return TEXT_SPACE;
		if (cp == 0xaa || cp == 0xb5 || cp == 0xba)
			return TEXT_ALPHA | TEXT_LOWER;
		return TEXT_PUNCT;
	}
	if (cp < 0x100) {
		if (cp == 0xd7 || cp == 0xf7)
			return TEXT_PUNCT;
		return TEXT_ALPHA | (cp < 0xdf ? TEXT_UPPER : TEXT_LOWER);
	}
	if (cp < 0x180) { /* Latin Extended-A */
		if (cp == 0x138 || cp == 0x149 || cp == 0x17f)
			return TEXT_ALPHA | TEXT_LOWER;
		if (cp == 0x178)
			return TEXT_ALPHA | TEXT_UPPER;
		if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e))
			return by_parity(cp, 0);
		return by_parity(cp, 1);
	}
	if (cp >= 0x200 && cp <= 0x233)
		return by_parity(cp, 1);
	if (cp < 0x370) /* rest of Latin Extended-B, IPA, modifiers, combining marks */
		return TEXT_ALPHA;
	if (cp < 0x400) { /* Greek */
		if (cp == 0x37e || cp == 0x387)
			return TEXT_PUNCT;
		if (cp == 0x386 || (cp >= 0x388 && cp <= 0x38f) || (cp >= 0x391 && cp <= 0x3ab))
			return TEXT_ALPHA | TEXT_UPPER;
		if (cp >= 0x3ac && cp <= 0x3ce)
			return TEXT_ALPHA | TEXT_LOWER;
		return TEXT_ALPHA;
	}
	if (cp < 0x530) { /* Cyrillic and its supplement */
		if (cp < 0x430)
			return TEXT_ALPHA | TEXT_UPPER;
		if (cp < 0x460)
			return TEXT_ALPHA | TEXT_LOWER;
		if (cp == 0x482 || (cp >= 0x483 && cp <= 0x489))
			return cp == 0x482 ? TEXT_PUNCT : TEXT_ALPHA;
		if (cp == 0x4c0)
			return TEXT_ALPHA | TEXT_UPPER;
		if (cp == 0x4cf)
			return TEXT_ALPHA | TEXT_LOWER;
		if (cp >= 0x4c1 && cp <= 0x4ce)
			return by_parity(cp, 0);
		return by_parity(cp, 1);
	}
	if (cp >= 0x531 && cp <= 0x556)
		return TEXT_ALPHA | TEXT_UPPER;
	if (cp >= 0x561 && cp <= 0x587)
		return TEXT_ALPHA | TEXT_LOWER;
	if (cp == 0x1680)
		return TEXT_SPACE;
	if (cp >= 0x1e00 && cp <= 0x1eff) /* Latin Extended Additional (Vietnamese) */
		return cp >= 0x1e96 && cp <= 0x1e9f ? TEXT_ALPHA | TEXT_LOWER : by_parity(cp, 1);
	if (cp >= 0x2000 && cp <= 0x206f) { /* General Punctuation */
		if (cp <= 0x200b || cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f)
			return TEXT_SPACE;
		if (cp == 0x200c || cp == 0x200d)
			return TEXT_ALPHA; /* joiners sit inside words */
		return TEXT_PUNCT;
	}
	if (cp >= 0x2070 && cp <= 0x2bff) /* super/subscripts, currency, symbols, arrows, shapes */
		return TEXT_PUNCT;
	if (cp >= 0x2e00 && cp <= 0x2e7f)
		return TEXT_PUNCT;
	if (cp == 0x3000 || cp == 0xfeff)
		return TEXT_SPACE;
	if (cp >= 0x3001 && cp <= 0x303f)
		return TEXT_PUNCT;
	if ((cp >= 0xe000 && cp <= 0xf8ff) || (cp >= 0xfe10 && cp <= 0xfe6f) ||
	    (cp >= 0xff01 && cp <= 0xff0f) || (cp >= 0xff1a && cp <= 0xff20) ||
	    (cp >= 0xff3b && cp <= 0xff40) || (cp >= 0xff5b && cp <= 0xff65) ||
	    (cp >= 0xfff0 && cp <= 0xffff) || (cp >= 0x1f000 && cp <= 0x1faff))
		return TEXT_PUNCT;
	return TEXT_ALPHA; /* the many scripts not listed: uncased letters */
}

uint32_t text_char(const char *s, size_t n, size_t i, size_t *w)
{
	uint32_t cp;

	if (i >= n) {
		*w = 0;
		return 0;
	}
	if ((unsigned char)s[i] < 0x80) {
		*w = 1;
		return (unsigned char)s[i];
	}
	*w = utf8_decode(s + i, n - i, &cp);
	if (!*w) {
		*w = 1;
		return 0xfffd;
	}
	return cp;
}

size_t text_prev(const char *s, size_t i)
{
	size_t j;

	if (i == 0)
		return 0;
	j = i - 1;
	while (j > 0 && i - j < 4 && ((unsigned char)s[j] & 0xc0) == 0x80)
		j--;
	return j;
}

size_t text_skip_space(const char *s, size_t i, size_t end)
{
	size_t w;

	while (i < end && text_is_space(text_char(s, end, i, &w)))
		i += w;
	return i;
}

size_t text_trim_end(const char *s, size_t start, size_t end)
{
	while (end > start) {
		size_t p = text_prev(s, end), w;

		if (p < start || !text_is_space(text_char(s, end, p, &w)))
			break;
		end = p;
	}
	return end;
}

/* ====== Words ====== */

static bool is_joiner(uint32_t cp)
{
	switch (cp) {
	case '\'': case '-': case '.': case '_': case '@': case '&':
	case 0x2019: case 0x2010: case 0x2011: /* ’ and the hyphens */
		return true;
	}
	return false;
}

bool text_next_word(const char *s, size_t end, size_t *pos, size_t *ws, size_t *we)
{
	size_t i = *pos, w, w2;
	uint32_t cp, prev = 0;

	for (;;) {
		if (i >= end)
			return false;
		cp = text_char(s, end, i, &w);
		if (text_is_alnum(cp))
			break;
		i += w;
	}
	*ws = i;
	while (i < end) {
		cp = text_char(s, end, i, &w);
		if (text_is_alnum(cp)) {
			prev = cp;
			i += w;
			continue;
		}
		if (i + w < end) {
			uint32_t next = text_char(s, end, i + w, &w2);
			bool digits = (text_class(prev) & TEXT_DIGIT) && (text_class(next) & TEXT_DIGIT);

			/* "1,076" is one number, "Cuba,Russia" two words. */
			if (text_is_alnum(next) && (is_joiner(cp) || (cp == ',' && digits))) {
				i += w;
				continue;
			}
		}
		break;
	}
	*we = i;
	*pos = i;
	return true;
}

size_t text_count_words(const char *s, size_t start, size_t end)
{
	size_t n = 0, ws, we;

	while (text_next_word(s, end, &start, &ws, &we))
		n++;
	return n;
}

bool text_word_is(const char *s, size_t ws, size_t we, const char *word)
{
	size_t i, len = strlen(word);

	if (we - ws != len)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[ws + i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != (unsigned char)word[i])
			return false;
	}
	return true;
}

bool text_word_capitalised(const char *s, size_t ws, size_t we)
{
	size_t w;

	return ws < we && (text_class(text_char(s, we, ws, &w)) & TEXT_UPPER);
}

/* ====== Abbreviations and sentence starters (their word sets: slant/words.h) ====== */

/* Letters with inner stops, each piece one or two letters: "U.S", "e.g", "Ph.D". */
static bool initialism(const char *s, size_t n)
{
	size_t i, piece = 0, dots = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (piece == 0)
				return false;
			dots++;
			piece = 0;
		} else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
			if (++piece > 2)
				return false;
		} else {
			return false;
		}
	}
	return dots > 0 && piece > 0;
}

enum text_abbrev text_abbrev(const char *s, size_t n)
{
	size_t w;

	if (n == 0)
		return TEXT_ABBREV_NONE;
	if (words_has(&words_strong_abbrevs, s, n))
		return TEXT_ABBREV_STRONG;
	if (words_has(&words_number_abbrevs, s, n))
		return TEXT_ABBREV_NUMBER;
	if (words_has(&words_weak_abbrevs, s, n) || initialism(s, n))
		return TEXT_ABBREV_WEAK;
	/* A single upper-case letter is an initial: "J. R. R. Tolkien", "Vladimir V. Putin". */
	if ((text_class(text_char(s, n, 0, &w)) & TEXT_UPPER) && w == n)
		return TEXT_ABBREV_WEAK;
	return TEXT_ABBREV_NONE;
}

bool text_sentence_starter(const char *s, size_t n)
{
	return text_word_capitalised(s, 0, n) && words_has(&words_sentence_starters, s, n);
}

/* ====== Lists ====== */

char **text_split(const char *s, size_t n, char sep, size_t *count)
{
	char **v = NULL;
	size_t cap = 0, k = 0;
	const char *p = s, *e = s + n;

	for (;;) {
		const char *q = memchr(p, sep, (size_t)(e - p));

		if (!q)
			q = e;
		xgrow(&v, &cap, k + 1, sizeof(*v));
		v[k++] = xstrndup(p, (size_t)(q - p));
		if (q == e)
			break;
		p = q + 1;
	}
	*count = k;
	return v;
}

void text_list_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
