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
 *
 * Open-class cues that the code compares as literal strings (boilerplate line
 * starters, opinion labels) are lexicon files instead, loaded and checked by
 * words_load_cues() and read by category with words_cues():
 *
 *   static const char *const cats[] = { "boilerplate", "boilerplate_label", NULL };
 *   struct lex lex = LEX_INIT;
 *   if (words_load_cues(&lex, "lexicons/boilerplate.tsv", cats, NULL) < 0)
 *           exit(2);                    (each bad line was reported)
 *   const char **starts = words_cues(&lex, "boilerplate");   (free(starts))
 */
#ifndef SLANT_WORDS_H
#define SLANT_WORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "slant/lex.h"

/* The longest word of any set, in bytes: a longer word is in none. */
#define WORDS_MAX 31

struct words {
	const char *name;            /* as below without "words_", for the unit test */
	const char *const *w;        /* sorted, lower-case ASCII, no duplicates */
	size_t n;
};

/* The sets, grouped by the module that first needed them; lib/words.c says what each is for. */
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
extern const struct words words_dates;
extern const struct words words_office_nouns;
extern const struct words words_document_nouns;

/* Every set above, NULL-terminated. */
extern const struct words *const words_all[];

/* Whether the word s[0, n) (any ASCII case) is in 'set'. Non-ASCII words are in none. */
bool words_has(const struct words *set, const char *s, size_t n);

/* Whether 'set' is as words_has() needs: sorted, unique, lower-case ASCII, 1 to WORDS_MAX bytes. */
bool words_sorted(const struct words *set);

/*
 * Check that every category 'lex' declares is among 'cats' (NULL-terminated):
 * the code gives each its meaning, so another would be silently unused.
 * Returns 0, or -1 after "FILE:LINE: category 'x' has no meaning here (a, b)"
 * for each.
 */
int words_check_categories(const struct lex *lex, const char *const *cats);

/*
 * Load the cue lexicon 'path' into 'lex' (docs/lexicons.md). Its categories
 * must be among 'cats' (NULL-terminated). The entries of the categories in
 * 'regex_cats' (NULL-terminated, or NULL for none) must be 're:' patterns,
 * for the caller to match with lex_match() after lex_compile(); all others
 * plain words or phrases, which the code compares as written. Returns 0, or
 * -1 after reporting each bad line as "FILE:LINE: message". Release 'lex'
 * either way.
 */
int words_load_cues(struct lex *lex, const char *path, const char *const *cats,
		    const char *const *regex_cats);

/*
 * The terms of category 'cat' in 'lex', in file order, as a malloc'd
 * NULL-terminated array; the strings stay 'lex''s. Free the array.
 */
const char **words_cues(const struct lex *lex, const char *cat);

#endif
