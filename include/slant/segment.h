/*
 * segment.h -- the segmenter of slant-segment: headline, paragraphs,
 * sentences and quotations of a text, as byte spans (docs/segment.md).
 *
 * One text is split in three steps, each linear in its length: paragraphs
 * (blank lines), one scan of each paragraph feeding both the sentence
 * splitter and the quotation matcher, and a bounded look around a dash for
 * the reporting verb that closes a pull quote. The reporting verbs are
 * attrib's lexicon, loaded and compiled by the caller and borrowed here.
 *
 *   struct lex verbs = LEX_INIT;          (lex_load + lex_compile it first)
 *   struct segmenter *sg = segment_new(4000, &verbs);
 *   segment_text(sg, text, len);          (text must outlive segment_emit)
 *   segment_emit(sg, rec);                (adds the 'segment' annotations)
 *   segment_free(sg);
 *   lex_release(&verbs);
 */
#ifndef SLANT_SEGMENT_H
#define SLANT_SEGMENT_H

#include <stddef.h>

#include <jansson.h>

#include "slant/lex.h"

struct segmenter;

/*
 * A segmenter dropping quotations longer than 'max_quote' bytes (marks
 * included). 'verbs' (compiled; its neutral and loaded cues close a pull
 * quote) is borrowed and must outlive it. Free it with segment_free().
 */
struct segmenter *segment_new(size_t max_quote, const struct lex *verbs);

/* Free 'sg' and what it holds; NULL is fine. */
void segment_free(struct segmenter *sg);

/*
 * Segment s[0, n), replacing what the last call found. 's' is borrowed
 * until the next call or segment_emit().
 */
void segment_text(struct segmenter *sg, const char *s, size_t n);

/*
 * Append what segment_text() found to 'rec' as 'segment' annotations: the
 * headline (first paragraph), paragraphs, sentences and quotations, in that
 * order (docs/segment.md). Nothing when the text had no paragraph.
 */
void segment_emit(const struct segmenter *sg, json_t *rec);

#endif
