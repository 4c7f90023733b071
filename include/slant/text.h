/*
 * text.h -- scanning UTF-8 text: character classes, words, what a full stop
 * after a word may mean (abbreviations, sentence starters: their word sets
 * are in slant/words.h); and splitting a separated list (text_split).
 *
 * Everything works on byte offsets into a buffer that is not NUL-terminated
 * ('s' and its length 'n'), so callers can scan a span of a record's text in
 * place. Invalid UTF-8 never stops a scan: an undecodable byte reads as one
 * U+FFFD, so offsets stay inside the buffer and advance.
 *
 *   size_t i = 0, ws, we;
 *   while (text_next_word(s, n, &i, &ws, &we))
 *           printf("%.*s\n", (int)(we - ws), s + ws);
 */
#ifndef SLANT_TEXT_H
#define SLANT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Character classes (bit flags; a letter is TEXT_ALPHA and maybe UPPER or LOWER). */
enum text_class {
	TEXT_SPACE = 1 << 0,   /* ASCII white space, NBSP, the Unicode spaces, ZWSP, BOM */
	TEXT_ALPHA = 1 << 1,   /* a letter, or a combining mark, or a letter of an uncased script */
	TEXT_UPPER = 1 << 2,   /* an upper-case letter (Latin, Greek, Cyrillic, Armenian) */
	TEXT_LOWER = 1 << 3,   /* a lower-case letter (same scripts) */
	TEXT_DIGIT = 1 << 4,   /* ASCII 0-9 */
	TEXT_PUNCT = 1 << 5,   /* anything else that is printable: punctuation, symbols */
};

/* The classes of code point 'cp'. Scripts beyond the table count as uncased letters. */
unsigned text_class(uint32_t cp);

static inline bool text_is_space(uint32_t cp)
{
	return text_class(cp) & TEXT_SPACE;
}

static inline bool text_is_alnum(uint32_t cp)
{
	return text_class(cp) & (TEXT_ALPHA | TEXT_DIGIT);
}

/*
 * The code point at s[i] (i < n); '*w' gets its width in bytes (at least 1).
 * An invalid sequence reads as U+FFFD of width 1. Returns 0 with '*w' = 0
 * when i >= n.
 */
uint32_t text_char(const char *s, size_t n, size_t i, size_t *w);

/* The offset where the character ending just before 'i' starts (0 if i is 0). */
size_t text_prev(const char *s, size_t i);

/* First offset in [i, end) that is not white space, or 'end'. */
size_t text_skip_space(const char *s, size_t i, size_t end);
/* 'end' moved back over trailing white space, not below 'start'. */
size_t text_trim_end(const char *s, size_t start, size_t end);

/*
 * The next word at or after '*pos' and before 'end': a run of letters and
 * digits, kept whole across one joiner between two of them (' ’ - . _ @ &
 * and the Unicode hyphens; a comma only between digits), so "don't", "U.S",
 * "3.5", "1,076", "al-Assad" and "info@example.org" are one word each, and
 * "Moscow/The" or "Havana—Moscow" two. On success sets [*ws, *we), moves
 * '*pos' to '*we' and returns true; returns false at the end.
 */
bool text_next_word(const char *s, size_t end, size_t *pos, size_t *ws, size_t *we);

/* Number of words (as text_next_word) in s[start, end). */
size_t text_count_words(const char *s, size_t start, size_t end);

/* Whether s[ws, we) equals the ASCII word 'word', ignoring ASCII case. */
bool text_word_is(const char *s, size_t ws, size_t we, const char *word);

/* Whether the word s[ws, we) starts with an upper-case letter. */
bool text_word_capitalised(const char *s, size_t ws, size_t we);

/* What a full stop after a word may mean (text_abbrev). */
enum text_abbrev {
	TEXT_ABBREV_NONE,     /* an ordinary word: the stop may end a sentence */
	TEXT_ABBREV_NUMBER,   /* "No", "Art", "Vol": an abbreviation before a number, else a word */
	TEXT_ABBREV_WEAK,     /* "Jan", "Inc", "Jr", initials, "U.S": ends one only before a sentence starter */
	TEXT_ABBREV_STRONG,   /* a title before a name ("Dr", "Gen", "Col", "Mr", "St", "vs"): never ends one */
};

/*
 * Classify the token s[0, n) that a full stop follows (without the stop):
 * a known abbreviation (any case), a single upper-case letter (an initial),
 * or letters with inner stops of at most two letters each ("U.S", "e.g",
 * "a.m", "Ph.D").
 */
enum text_abbrev text_abbrev(const char *s, size_t n);

/*
 * Whether s[0, n) is a capitalised word that commonly starts a sentence
 * ("The", "He", "In", "But", ...), used to tell "the U.S. The" (two
 * sentences) from "the U.S. Office" (one).
 */
bool text_sentence_starter(const char *s, size_t n);

/*
 * Split s[0, n) at every 'sep' into a malloc'd array of malloc'd strings,
 * its length in '*count': k separators give k + 1 pieces, so "" gives one
 * empty string and "a,,b" three. Free it with text_list_free().
 *
 *   char **v = text_split("a,b", 3, ',', &n);   n == 2
 */
char **text_split(const char *s, size_t n, char sep, size_t *count);

/* Free the 'n' strings of 'v' and 'v' itself ('v' may be NULL when 'n' is 0). */
void text_list_free(char **v, size_t n);

#endif
