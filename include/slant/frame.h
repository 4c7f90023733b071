/*
 * frame.h -- the matcher of slant-frame: loaded and framing terms, their
 * voice, and scare quotes (docs/frame.md).
 *
 * The terms are lexicons (lexicons/framing.tsv and others) that the caller
 * loads into 'lex' and compiles. A match of a category set with
 * frame_extend() grows over the word it modifies ("a brutal *dictator*").
 * The voice of each match (headline, quoted, reported, authorial) is read
 * from the record's document view, so segment and attrib must have run.
 *
 *   struct frame f = FRAME_INIT;
 *   if (lex_load(&f.lex, "lexicons/framing.tsv") < 0 || lex_compile(&f.lex) < 0)
 *           exit(2);                    (each bad line was reported)
 *   frame_extend(&f, lex_category_find(&f.lex, "loaded"));
 *   if (frame_record(&f, d, rec, why, sizeof(why)) < 0)  (d: slant/doc.h)
 *           ... reject the record with 'why' ...
 *   frame_release(&f);
 */
#ifndef SLANT_FRAME_H
#define SLANT_FRAME_H

#include <stddef.h>

#include <jansson.h>

#include "slant/doc.h"
#include "slant/lex.h"

struct frame {
	struct lex lex;                  /* the terms: loaded and compiled by the caller */
	const struct lex_category **ext; /* categories whose matches are extended */
	size_t next;
	struct lex_matches m;            /* the last record's matches */
	/* lexicons/quote_cues.tsv: what makes a quotation a name, not a scare quote. */
	struct lex cues;
	const char **naming;             /* its 'naming' words, NULL-terminated */
	const char **claims;             /* its 'claim' nouns ("criticism that ..."), NULL-terminated */
};

#define FRAME_INIT { LEX_INIT, NULL, 0, LEX_MATCHES_INIT, LEX_INIT, NULL, NULL }

/* Load the quotation cues 'path' ([frame] quote_cues). Returns 0, or -1 (reported with FILE:LINE). */
int frame_load_quote_cues(struct frame *f, const char *path);

/* Extend the matches of category 'c' (of f->lex) over the word they modify; once is enough. */
void frame_extend(struct frame *f, const struct lex_category *c);

/*
 * Annotate one record: a 'loaded' annotation per lexicon match and a
 * 'scare_quote' one per short quotation nobody says, in text order
 * (docs/frame.md), reading segment's and attrib's spans through 'd'.
 * Returns 0, or -1 with the reason in 'why' (at least 160 bytes).
 */
int frame_record(struct frame *f, struct doc *d, json_t *rec, char *why, size_t whylen);

/* Free what 'f' holds. */
void frame_release(struct frame *f);

#endif
