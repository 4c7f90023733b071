/*
 * affil.h -- the affiliation logic of slant-affil: who publishes an article,
 * which outlets and organisations it cites, whom they belong to, and whether
 * the article says so (docs/affil.md).
 *
 * The outlets and organisations are the register (lexicons/outlets.tsv,
 * docs/register.md), loaded and compiled by the caller into 'reg'. Roles
 * and disclosures are read around each mention in segment's sentences and
 * paragraphs, and attrib's sources when it has run, through the document
 * view (slant/doc.h).
 *
 *   struct affil a = AFFIL_INIT;
 *   if (reg_load(&a.reg, "lexicons/outlets.tsv") < 0 || reg_compile(&a.reg) < 0 ||
 *       affil_load_cues(&a, "lexicons/affil_cues.tsv") < 0)
 *           exit(2);                    (each bad line was reported)
 *   if (affil_record(&a, d, rec, why, sizeof(why)) < 0)
 *           ... reject the record with 'why' ...
 *   affil_release(&a);
 */
#ifndef SLANT_AFFIL_H
#define SLANT_AFFIL_H

#include <stddef.h>

#include <jansson.h>

#include "slant/doc.h"
#include "slant/lex.h"
#include "slant/register.h"

struct affil_work;

struct affil {
	struct reg reg;              /* the register: loaded and compiled by the caller */
	struct lex cues;             /* lexicons/affil_cues.tsv: affil_load_cues() */
	struct affil_work *w;        /* lib/affil.c's own: matches, mentions, word lists */
};

#define AFFIL_INIT { REG_INIT, LEX_INIT, NULL }

/*
 * Load the cues lexicon 'path' (lexicons/affil_cues.tsv, docs/affil.md):
 * opinion labels and URL paths, trailer and photo-credit cues. Without it
 * none of those is found. Returns 0, or -1 after reporting each bad line as
 * "FILE:LINE: message".
 */
int affil_load_cues(struct affil *a, const char *path);

/*
 * Annotate one record that slant-segment has been through: the top-level
 * 'publisher', 'byline_kind' and 'opinion', and the 'outlet' and 'unknown'
 * annotations (docs/affil.md), reading spans through 'd'. Returns 0, or -1
 * with the reason in 'why' (at least 160 bytes).
 */
int affil_record(struct affil *a, struct doc *d, json_t *rec, char *why, size_t whylen);

/* Free what 'a' holds, the register and cues included. */
void affil_release(struct affil *a);

#endif
