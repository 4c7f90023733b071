/*
 * words.h -- the closed-class word sets the stages share: determiners,
 * pronouns, prepositions, auxiliaries, abbreviations (lib/words.c).
 *
 * One set per use, each defined once and looked up one way: words_has(), a
 * binary search ignoring ASCII case. Open-class vocabulary does not belong
 * here: it lives in lexicons/ (docs/lexicons.md), where a researcher can
 * edit it and a run record hashes it.
 *
 *   if (words_has(&words_determiners, s + ws, we - ws))
 *           ... the word at [ws, we) is a determiner ...
 *
 * Every set is lower-case ASCII, sorted by strcmp() and without duplicates;
 * tests/unit/test_words.c holds them to it (words_sorted()).
 */
#ifndef SLANT_WORDS_H
#define SLANT_WORDS_H

#include <stdbool.h>
#include <stddef.h>

/* The longest word of any set, in bytes: a longer word is in none. */
#define WORDS_MAX 31

struct words {
	const char *name;            /* as below without "words_", for the unit test */
	const char *const *w;        /* sorted, lower-case ASCII, no duplicates */
	size_t n;
};

extern const struct words words_determiners;
extern const struct words words_definite;
extern const struct words words_noun_context;
extern const struct words words_subject_pronouns;
extern const struct words words_non_sources;
extern const struct words words_verb_skip;
extern const struct words words_be_forms;
extern const struct words words_back_stops;
extern const struct words words_fwd_stops;
extern const struct words words_connectives;
extern const struct words words_name_glue;
extern const struct words words_carry_words;
extern const struct words words_org_glue;
extern const struct words words_not_name_starts;
extern const struct words words_function_words;
extern const struct words words_speech_pronouns;
extern const struct words words_strong_abbrevs;
extern const struct words words_weak_abbrevs;
extern const struct words words_number_abbrevs;
extern const struct words words_sentence_starters;

/* Every set above, NULL-terminated. */
extern const struct words *const words_all[];

/* Whether the word s[0, n) (any ASCII case) is in 'set'. Non-ASCII words are in none. */
bool words_has(const struct words *set, const char *s, size_t n);

/* Whether 'set' is as words_has() needs: sorted, unique, lower-case ASCII, 1 to WORDS_MAX bytes. */
bool words_sorted(const struct words *set);

#endif
