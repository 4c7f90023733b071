/*
 * words.c -- the closed-class word sets the stages share (slant/words.h).
 *
 * Grammar, not vocabulary: determiners, pronouns, prepositions, auxiliaries,
 * abbreviations. Vocabulary (cues, labels, terms) lives in lexicons/. Each set
 * is sorted by strcmp() without duplicates, which words_has()'s binary search
 * needs; tests/unit/test_words.c checks it, so no program checks at start-up.
 *
 * Open-class cues the code reads as literal strings (a line starting "Filed
 * under", an opinion label) are lexicons, loaded by words_load_cues().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slant/lex.h"
#include "slant/usage.h"
#include "slant/words.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define WORDS(name, list) const struct words words_##name = { #name, list, COUNT(list) }

/* ====== Sources and cues (lib/attrib.c) ====== */

/* Determiners: a phrase opening with one is a common noun phrase, not a name. */
static const char *const determiners[] = {
	"a", "all", "an", "another", "any", "both", "each", "every", "her", "his", "its",
	"many", "most", "my", "no", "one", "our", "several", "some", "such", "that", "the",
	"their", "these", "this", "those", "your",
};
WORDS(determiners, determiners);

/* A phrase opening with one of these refers to someone definite ("the memo", "his aides"). */
static const char *const definite[] = {
	"both", "her", "his", "its", "that", "the", "their", "these", "this", "those",
};
WORDS(definite, definite);

/* Right before a cue word, these make it a noun: "these same reports", "its promises". */
static const char *const noun_context[] = {
	"brief", "earlier", "few", "final", "first", "initial", "joint", "latest", "more",
	"new", "numerous", "official", "other", "own", "previous", "recent", "same", "second",
	"several", "such", "three", "two",
};
WORDS(noun_context, noun_context);

/* Pronouns that stand for a source named before: "he said". */
static const char *const subject_pronouns[] = {
	"he", "it", "she", "they",
};
WORDS(subject_pronouns, subject_pronouns);

/* Not a source: the writer, the reader, or nothing in particular. */
static const char *const non_sources[] = {
	"here", "one", "that", "there", "these", "this", "those", "what", "which", "who", "you",
};
WORDS(non_sources, non_sources);

/* Between a subject and its verb: "has also said", "would later tell". */
static const char *const verb_skip[] = {
	"again", "already", "also", "can", "could", "did", "didn't", "do", "does", "doesn't",
	"don't", "earlier", "even", "first", "further", "had", "has", "hasn't", "have", "haven't",
	"just", "later", "may", "might", "must", "never", "not", "now", "once", "shall", "should",
	"still", "then", "today", "too", "twice", "will", "won't", "would", "wouldn't",
	"yesterday",
};
WORDS(verb_skip, verb_skip);

/* The forms of "be". */
static const char *const be_forms[] = {
	"am", "are", "aren't", "be", "been", "being", "is", "isn't", "was", "wasn't", "were",
	"weren't",
};
WORDS(be_forms, be_forms);

/* Words a subject phrase does not reach back across. */
static const char *const back_stops[] = {
	"about", "after", "against", "also", "although", "amid", "among", "are", "as", "at",
	"be", "because", "been", "before", "between", "but", "by", "can", "could", "despite",
	"during", "for", "from", "had", "has", "have", "here", "how", "however", "if", "in",
	"into", "is", "may", "might", "must", "not", "on", "once", "over", "said", "says",
	"should", "since", "so", "than", "that", "then", "there", "though", "through", "to",
	"told", "under", "unless", "until", "was", "were", "what", "when", "where", "whereas",
	"whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "without",
	"would",
};
WORDS(back_stops, back_stops);

/* Words a phrase after a cue does not run on across. */
static const char *const fwd_stops[] = {
	"after", "also", "although", "are", "as", "because", "before", "but", "during",
	"earlier", "had", "has", "have", "if", "is", "last", "later", "not", "on", "said",
	"says", "since", "than", "that", "this", "though", "today", "told", "was", "were",
	"when", "where", "whether", "which", "while", "who", "whom", "whose", "will", "would",
	"yesterday",
};
WORDS(fwd_stops, fwd_stops);

/* Openers of a clause that are not its subject. */
static const char *const connectives[] = {
	"according", "additionally", "after", "also", "and", "as", "at", "before", "but", "by",
	"despite", "during", "earlier", "finally", "first", "for", "from", "furthermore",
	"however", "in", "indeed", "instead", "last", "later", "meanwhile", "moreover",
	"nevertheless", "now", "on", "previously", "since", "so", "still", "then", "therefore",
	"thus", "to", "today", "under", "with", "yesterday", "yet",
};
WORDS(connectives, connectives);

/* Lower-case words that may sit inside a source's name ("Ministry of Emergencies", "Banco de la Nación"). */
static const char *const name_glue[] = {
	"'s", "al", "and", "at", "by", "da", "de", "del", "el", "for", "from", "in", "la", "of",
	"on", "or", "the", "to", "van", "von", "with", "y",
};
WORDS(name_glue, name_glue);

/* After a pronoun or "the memo": the sentence goes on with the same source. */
static const char *const carry_words[] = {
	"added", "additionally", "again", "also", "further", "noted", "went",
};
WORDS(carry_words, carry_words);

/* ====== Organisation names (lib/affil.c) ====== */

/*
 * Lower-case words inside an organisation's name. Narrower than name_glue on
 * purpose: no "and" or "or", so "X and Y" are two names, and no preposition of
 * place or agent ("in", "at", "by"), so "the Ministry in Moscow" is not one.
 */
static const char *const org_glue[] = {
	"de", "del", "for", "la", "of", "on", "the",
};
WORDS(org_glue, org_glue);

/* Capitalised, these start a sentence, not an organisation's name. */
static const char *const not_name_starts[] = {
	"a", "an", "at", "in", "on", "that", "the", "this",
};
WORDS(not_name_starts, not_name_starts);

/* ====== Extension (lib/frame.c) ====== */

/*
 * Words a loaded modifier is not extended over ("a brutal dictator" grows,
 * "brutal to" does not; docs/frame.md, "Extension"): articles and
 * demonstratives, prepositions, conjunctions and wh-words, pronouns,
 * auxiliaries and modals with their negated contractions, negation, and
 * number words (a word starting with a digit is a number too).
 */
static const char *const function_words[] = {
	"a", "about", "above", "across", "after", "against", "along", "although", "am", "among",
	"an", "and", "any", "are", "aren't", "around", "as", "at", "be", "because", "been",
	"before", "behind", "being", "below", "between", "beyond", "billion", "billions",
	"both", "but", "by", "can", "can't", "cannot", "could", "couldn't", "did", "didn't",
	"do", "does", "doesn't", "don't", "during", "each", "eight", "either", "every", "five",
	"for", "four", "from", "had", "hadn't", "has", "hasn't", "have", "haven't", "having",
	"he", "her", "hers", "herself", "him", "himself", "his", "how", "hundred", "hundreds",
	"i", "if", "in", "inside", "into", "is", "isn't", "it", "its", "itself", "may", "me",
	"might", "million", "millions", "mine", "must", "my", "myself", "near", "neither",
	"never", "nine", "no", "nor", "not", "of", "off", "on", "one", "onto", "or", "our",
	"ours", "ourselves", "out", "over", "per", "seven", "shall", "she", "should",
	"shouldn't", "since", "six", "so", "than", "that", "the", "their", "theirs", "them",
	"themselves", "these", "they", "this", "those", "though", "thousand", "thousands",
	"three", "through", "to", "toward", "towards", "two", "under", "unless", "until", "up",
	"upon", "us", "via", "was", "wasn't", "we", "were", "weren't", "what", "when", "where",
	"whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within",
	"without", "won't", "would", "wouldn't", "yet", "you", "your", "yours", "yourself",
	"zero",
};
WORDS(function_words, function_words);

/* ====== Pull quotes (lib/segment.c) ====== */

/* First and second person: a paragraph opened by a dash with one of these is speech. */
static const char *const speech_pronouns[] = {
	"i", "me", "my", "our", "us", "we", "you", "your",
};
WORDS(speech_pronouns, speech_pronouns);

/* ====== Sentence ends (lib/text.c) ====== */

/* Titles and words that come before a name or a number: a stop after them never ends a sentence. */
static const char *const strong_abbrevs[] = {
	"adm", "brig", "ca", "capt", "cf", "cmdr", "col", "cpl", "dr", "e.g", "fr", "gen",
	"gov", "hon", "i.e", "insp", "lt", "maj", "messrs", "mlle", "mme", "mr", "mrs", "ms",
	"msgr", "mt", "pres", "prof", "pvt", "rep", "rev", "sen", "sgt", "st", "supt", "viz",
	"vs",
};
WORDS(strong_abbrevs, strong_abbrevs);

/* Abbreviations that may also close a sentence ("... and Co. The company"). */
static const char *const weak_abbrevs[] = {
	"al", "approx", "apr", "aug", "ave", "blvd", "bros", "co", "corp", "dec", "dept", "feb",
	"inc", "jan", "jr", "jul", "jun", "ltd", "mar", "nov", "oct", "rd", "sep", "sept", "sr",
	"univ",
};
WORDS(weak_abbrevs, weak_abbrevs);

/* Abbreviations only before a number ("No. 5", "Art. 12"); else the ordinary word "no". */
static const char *const number_abbrevs[] = {
	"art", "fig", "no", "nos", "nr", "pp", "vol",
};
WORDS(number_abbrevs, number_abbrevs);

/* Capitalised, these commonly open a sentence; used only after an abbreviation. */
static const char *const sentence_starters[] = {
	"a", "about", "after", "all", "also", "although", "an", "and", "another", "as", "at",
	"because", "before", "both", "but", "by", "despite", "during", "each", "even", "every",
	"few", "for", "from", "he", "her", "his", "how", "however", "i", "if", "in", "instead",
	"it", "its", "last", "later", "many", "meanwhile", "more", "moreover", "most", "much",
	"my", "neither", "nor", "not", "now", "of", "on", "once", "one", "only", "other", "our",
	"over", "she", "since", "so", "some", "still", "such", "that", "the", "their", "then",
	"there", "these", "they", "this", "those", "though", "thus", "to", "today", "under",
	"unlike", "until", "we", "what", "when", "where", "whether", "which", "while", "who",
	"why", "with", "within", "without", "yesterday", "yet", "you", "your",
};
WORDS(sentence_starters, sentence_starters);

/* Days and months: a source phrase that is only one of them names nobody ("October said"). */
static const char *const dates[] = {
	"april", "august", "december", "february", "friday", "january", "july", "june", "march",
	"may", "monday", "november", "october", "saturday", "september", "sunday", "thursday",
	"tuesday", "wednesday",
};
WORDS(dates, dates);

/*
 * Nouns that name an office rather than a crowd: "a company spokesperson",
 * "police" name who speaks for a body, though no person (attributed, not vague).
 */
static const char *const office_nouns[] = {
	"police", "spokesman", "spokespeople", "spokesperson", "spokespersons", "spokeswoman",
};
WORDS(office_nouns, office_nouns);

/* Documents and studies: named by the body that made them ("A new ABC News poll shows"). */
static const char *const document_nouns[] = {
	"analysis", "assessment", "audit", "census", "data", "document", "documents", "figures",
	"filing", "index", "investigation", "letter", "memo", "poll", "records", "report", "review",
	"statement", "study", "survey",
};
WORDS(document_nouns, document_nouns);

const struct words *const words_all[] = {
	&words_determiners,
	&words_definite,
	&words_noun_context,
	&words_subject_pronouns,
	&words_non_sources,
	&words_verb_skip,
	&words_be_forms,
	&words_back_stops,
	&words_fwd_stops,
	&words_connectives,
	&words_name_glue,
	&words_carry_words,
	&words_org_glue,
	&words_not_name_starts,
	&words_function_words,
	&words_speech_pronouns,
	&words_strong_abbrevs,
	&words_weak_abbrevs,
	&words_number_abbrevs,
	&words_sentence_starters,
	&words_dates,
	&words_office_nouns,
	&words_document_nouns,
	NULL,
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool words_has(const struct words *set, const char *s, size_t n)
{
	char buf[WORDS_MAX + 1];
	const char *key = buf;
	size_t i;

	if (n == 0 || n > WORDS_MAX)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80)
			return false;
		buf[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	buf[n] = '\0';
	return bsearch(&key, set->w, set->n, sizeof(*set->w), cmp_str) != NULL;
}

bool words_sorted(const struct words *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		const char *w = set->w[i];

		if (!*w || strlen(w) > WORDS_MAX || (i > 0 && strcmp(set->w[i - 1], w) >= 0))
			return false;
		for (; *w; w++)
			if ((unsigned char)*w >= 0x80 || (*w >= 'A' && *w <= 'Z'))
				return false;
	}
	return true;
}

/* ====== Cue lists from lexicons ====== */

/* Whether 'name' is one of the NULL-terminated 'names' (which may be NULL). */
static bool name_in(const char *name, const char *const *names)
{
	for (; names && *names; names++)
		if (!strcmp(name, *names))
			return true;
	return false;
}

int words_check_categories(const struct lex *lex, const char *const *cats)
{
	const char *const *c;
	char names[256];
	size_t i, n = 0;
	int r = 0;

	names[0] = '\0';
	/* "a, b, c" for the message; cut short rather than overflow. */
	for (c = cats; *c && n < sizeof(names); c++)
		n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", c == cats ? "" : ", ", *c);
	for (i = 0; i < lex->ncats; i++)
		if (!name_in(lex->cats[i]->name, cats))
			r = error("%s:%lu: category '%s' has no meaning here (%s)", lex->cats[i]->file,
				  lex->cats[i]->line, lex->cats[i]->name, names);
	return r;
}

int words_load_cues(struct lex *lex, const char *path, const char *const *cats,
		    const char *const *regex_cats)
{
	size_t i;
	int r;

	if (lex_load(lex, path) < 0)
		return -1;
	r = words_check_categories(lex, cats);
	/* The code compares word cues as written: a wildcard or a pattern would never match. */
	for (i = 0; i < lex->n; i++) {
		const struct lex_entry *e = lex->entries[i];

		if (name_in(e->category->name, regex_cats)) {
			if (e->kind != LEX_REGEX)
				r = error("%s:%lu: '%s': category '%s' takes 're:' patterns only", e->file,
					  e->line, e->term, e->category->name);
		} else if (e->kind != LEX_WORDS) {
			r = error("%s:%lu: '%s': category '%s' takes words and phrases only, no "
				  "wildcard or regex", e->file, e->line, e->term, e->category->name);
		}
	}
	return r;
}

const char **words_cues(const struct lex *lex, const char *cat)
{
	const char **v = xmalloc((lex->n + 1) * sizeof(*v));
	size_t i, n = 0;

	for (i = 0; i < lex->n; i++)
		if (!strcmp(lex->entries[i]->category->name, cat))
			v[n++] = lex->entries[i]->term;
	v[n] = NULL;
	return v;
}
