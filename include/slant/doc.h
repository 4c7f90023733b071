/*
 * doc.h -- one reading of an article, shared by every stage.
 *
 * A stage does not decode segment's (or attrib's) annotations by hand: it asks
 * for the record's document view, a typed copy of the spans the stages before
 * it wrote, read once and checked once. Every offset field of every span is
 * validated here, under one policy: a span outside the text, reversed, out of
 * order or pointing at a span that does not exist rejects the record with a
 * message naming the annotation (docs/stream.md, "Offsets").
 *
 * The view grows with the record: doc_read() reads only the annotations added
 * since its last call on the same record, so in the fused chain, where all
 * stages share one view (stage_ctx.doc), each annotation is decoded once for
 * the whole chain; as separate programs each stage reads the record once.
 *
 *   struct doc *d = ctx->doc;
 *   if (doc_read(d, rec, why, sizeof(why)) < 0)
 *           return stage_reject(ctx, rec, "%s", why);
 *   for (i = 0; i < d->nsent; i++) ... d->sent[i].start ...
 *
 * Words: a word is what text_next_word() cuts (lib/text.c), everywhere a word
 * is counted or walked: the report's and the database's word counts, the
 * length of a quotation, the short-sentence rules. The lexicon matcher works
 * on a finer grain, lex_next_word(): a word split at hyphens and before a
 * possessive "'s", so that "so-called" matches "so called"; it never decides
 * how many words a text has.
 */
#ifndef SLANT_DOC_H
#define SLANT_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct doc_span {
	size_t start, end;
};

/* How slant-attrib labelled a sentence (docs/attrib.md); DOC_UNREAD before it ran. */
enum doc_attr {
	DOC_UNREAD = 0,
	DOC_NONE,
	DOC_UNATTRIBUTED,
	DOC_ATTRIBUTED,
	DOC_VAGUE,
	DOC_ANONYMOUS,
};

struct doc_sentence {
	struct doc_span span;       /* first, so a sentence is searched as a span */
	long para;                  /* its paragraph's index, or -1 */
	/* From slant-attrib: its label, and the source and cue when it has them. */
	enum doc_attr attr;
	struct doc_span source, cue; /* empty (start == end) when none */
	const char *source_text;    /* borrowed from the record, or NULL */
};

enum doc_quote_kind { DOC_DIRECT, DOC_NESTED, DOC_PULL };

struct doc_quote {
	size_t start, end;          /* the quotation with its marks */
	size_t cstart, cend;        /* its content, inside the marks */
	size_t words;               /* words of the content */
	enum doc_quote_kind kind;
	size_t ann;                 /* its annotation's index (attrib's speaker names it) */
	/* From slant-attrib: who says it. */
	const char *speaker;        /* borrowed from the record, or NULL */
	struct doc_span speaker_span;
};

struct doc {
	const json_t *rec;          /* the record read, and how many annotations of it */
	size_t seen;
	const char *text;
	size_t len;
	bool has_head;              /* segment's headline */
	struct doc_span head;
	struct doc_span *para;
	size_t npara, cappara;
	struct doc_sentence *sent;
	size_t nsent, capsent;
	struct doc_quote *quote;
	size_t nquote, capquote;
	size_t words;               /* doc_words(): (size_t)-1 until counted */
};

/*
 * Bring 'd' up to date with 'rec': a record other than the one 'd' last read
 * (or the same one after doc_forget()) is read from its first annotation,
 * else from the first one added since. Returns 0, or -1 with 'why' (at least
 * 160 bytes) naming the annotation that is wrong; the view is then empty.
 */
int doc_read(struct doc *d, const json_t *rec, char *why, size_t whylen);

/* Forget the record read, so the next doc_read() starts afresh (a new record may reuse its address). */
void doc_forget(struct doc *d);

/* Free what 'd' holds; it can be used again. */
void doc_release(struct doc *d);

/* Where the body starts: after segment's headline, else after the first paragraph when the record has a title, else 0. */
size_t doc_body_start(const struct doc *d);

/* Words of the body (text_next_word), counted once per record. */
size_t doc_words(struct doc *d);

/* Index of the sentence holding offset 'off', or -1. */
long doc_sentence_at(const struct doc *d, size_t off);

/* Index of the paragraph holding offset 'off', or -1. */
long doc_paragraph_at(const struct doc *d, size_t off);

/* The innermost quotation whose content holds [s, e), or NULL. */
const struct doc_quote *doc_quote_at(const struct doc *d, size_t s, size_t e);

/* Whether [s, e) lies in the headline. */
bool doc_in_headline(const struct doc *d, size_t s, size_t e);

#endif
