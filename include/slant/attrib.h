/*
 * attrib.h -- who says what: attribution of sentences, hedges and quotation
 * speakers (slant-attrib, docs/attrib.md).
 *
 * The rules are structural and small; the words live in four lexicons:
 * reporting verbs and phrases (the cue and its stance), weasel words (vague
 * and anonymous sources, agentless phrases), hedges, and the boilerplate
 * lines (credits, site furniture) that carry no claim.
 *
 *   struct attrib a = ATTRIB_INIT;
 *   if (attrib_load(&a, "lexicons/reporting_verbs.tsv", "lexicons/weasel.tsv",
 *                   "lexicons/hedges.tsv", "lexicons/boilerplate.tsv") < 0)
 *           exit(2);                    (each bad line was reported)
 *   attrib_record(&a, rec, why, sizeof(why));   (after slant-segment)
 *   attrib_release(&a);
 */
#ifndef SLANT_ATTRIB_H
#define SLANT_ATTRIB_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "slant/doc.h"
#include "slant/lex.h"

struct attrib {
	struct lex verbs;   /* categories neutral, loaded (verbs), according (source follows) */
	struct lex weasel;  /* categories vague, weasel, anonymous */
	struct lex hedges;  /* any categories: every match is a hedge */
	struct lex boiler;  /* boilerplate line starters (words_load_cues) */
	const char **boiler_starts, **boiler_labels; /* its two categories' terms */
	/* Which lexicons a sentence's words can match at all (lib/attrib.c); NULL: all. */
	struct first_words *first_words;
};

#define ATTRIB_INIT { LEX_INIT, LEX_INIT, LEX_INIT, LEX_INIT, NULL, NULL, NULL }

/* How a source names who speaks. */
enum attrib_kind {
	ATTRIB_NOTHING = 0, /* no cue with a source */
	ATTRIB_NAMED,       /* a name, a titled person, a definite "the memo" */
	ATTRIB_VAGUE,       /* collective or unnamed ("analysts", "Russian media") */
	ATTRIB_ANONYMOUS,   /* anonymous on purpose ("a source close to") */
	ATTRIB_PRONOUN,     /* he/she/they/it: names someone said before */
};

/* A byte span of the text, half-open. */
struct attrib_span {
	size_t start, end;
};

/* The cue and source found in one sentence. */
struct attrib_hit {
	enum attrib_kind kind;
	struct attrib_span cue, source;
	/* For a pronoun source, the earlier mention it stands for; else empty. */
	struct attrib_span refers;
	const struct lex_entry *entry; /* the cue's lexicon entry; NULL for a colon cue */
};

/*
 * Load and compile the four lexicons. Returns 0, or -1 after reporting
 * every bad line as "FILE:LINE: message". Release with attrib_release()
 * either way.
 */
int attrib_load(struct attrib *a, const char *verbs, const char *weasel, const char *hedges,
		const char *boilerplate);

/*
 * Find the cue and source of the sentence text[start, end), ignoring what
 * lies inside the 'nq' quotation spans 'quotes' (sorted by start; may be
 * NULL). Returns 1 with '*hit' filled, 0 when no cue has a source, or -1
 * (reported) when a regex entry hit its limit.
 */
int attrib_find(const struct attrib *a, const char *text, size_t start, size_t end,
		const struct attrib_span *quotes, size_t nq, struct attrib_hit *hit);

/*
 * Annotate one record that slant-segment has been through: a label for each
 * sentence, 'hedge' and 'speaker' annotations (docs/attrib.md), reading
 * segment's spans through the view 'd' (slant/doc.h). Returns 0, or -1 with
 * the reason in 'why' when the record cannot be processed.
 */
int attrib_record(const struct attrib *a, struct doc *d, json_t *rec, char *why, size_t whylen);

void attrib_release(struct attrib *a);

#endif
