/*
 * doc.c -- the document view every stage reads (include/slant/doc.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "slant/doc.h"
#include "slant/rec.h"
#include "slant/text.h"
#include "slant/usage.h"

static const char *const attr_names[] = {
	[DOC_NONE] = "none",
	[DOC_UNATTRIBUTED] = "unattributed",
	[DOC_ATTRIBUTED] = "attributed",
	[DOC_VAGUE] = "vague",
	[DOC_ANONYMOUS] = "anonymous",
};

static void clear(struct doc *d)
{
	d->rec = NULL;
	d->seen = 0;
	d->text = NULL;
	d->len = 0;
	d->has_head = false;
	d->head.start = d->head.end = 0;
	d->npara = d->nsent = d->nquote = 0;
	d->words = (size_t)-1;
}

void doc_forget(struct doc *d)
{
	clear(d);
}

void doc_release(struct doc *d)
{
	free(d->para);
	free(d->sent);
	free(d->quote);
	memset(d, 0, sizeof(*d));
	clear(d);
}

/* Whether offset 'i' starts a character (or is the end): no span may cut one. */
static bool boundary(const struct doc *d, size_t i)
{
	return i >= d->len || ((unsigned char)d->text[i] & 0xC0) != 0x80;
}

/*
 * The offset field 'key' of annotation 'a' (number 'n') into '*v'. A missing
 * field is 'def' when def is not SIZE_MAX, else an error. Returns 0, or -1
 * with 'why' set.
 */
static int offset(const struct doc *d, const json_t *a, size_t n, const char *key, size_t def,
		  size_t *v, char *why, size_t whylen)
{
	const json_t *j = json_object_get(a, key);
	const char *st = rec_str(a, "stage"), *lb = rec_str(a, "label");

	if (!j || json_is_null(j)) {
		if (def != SIZE_MAX) {
			*v = def;
			return 0;
		}
		snprintf(why, whylen, "annotation %zu (%s/%s) has no '%s'", n, st ? st : "?",
			 lb ? lb : "?", key);
		return -1;
	}
	if (!json_is_integer(j) || json_integer_value(j) < 0 ||
	    (json_int_t)d->len < json_integer_value(j)) {
		snprintf(why, whylen,
			 "annotation %zu (%s/%s): '%s' is not an offset into the text (0 to %zu)", n,
			 st ? st : "?", lb ? lb : "?", key, d->len);
		return -1;
	}
	*v = (size_t)json_integer_value(j);
	if (!boundary(d, *v)) {
		snprintf(why, whylen, "annotation %zu (%s/%s): '%s' %zu cuts a UTF-8 character", n,
			 st ? st : "?", lb ? lb : "?", key, *v);
		return -1;
	}
	return 0;
}

/* Read the pair 'skey'/'ekey' into a span; both must be there unless 'optional'. */
static int pair(const struct doc *d, const json_t *a, size_t n, const char *skey, const char *ekey,
		bool optional, struct doc_span *sp, char *why, size_t whylen)
{
	size_t def = optional ? 0 : SIZE_MAX;

	sp->start = sp->end = 0;
	if (offset(d, a, n, skey, def, &sp->start, why, whylen) < 0 ||
	    offset(d, a, n, ekey, optional ? sp->start : def, &sp->end, why, whylen) < 0)
		return -1;
	if (sp->start > sp->end) {
		snprintf(why, whylen, "annotation %zu: '%s' %zu is after '%s' %zu", n, skey,
			 sp->start, ekey, sp->end);
		return -1;
	}
	return 0;
}

static int fail_order(size_t n, const char *what, char *why, size_t whylen)
{
	snprintf(why, whylen, "annotation %zu: segment %s out of order or overlapping the one before",
		 n, what);
	return -1;
}

static int read_segment(struct doc *d, const json_t *a, size_t n, const char *label,
			struct doc_span sp, char *why, size_t whylen)
{
	if (!strcmp(label, "headline")) {
		d->has_head = true;
		d->head = sp;
	} else if (!strcmp(label, "paragraph")) {
		if (d->npara && sp.start < d->para[d->npara - 1].end)
			return fail_order(n, "paragraph", why, whylen);
		xgrow(&d->para, &d->cappara, d->npara + 1, sizeof(*d->para));
		d->para[d->npara++] = sp;
	} else if (!strcmp(label, "sentence")) {
		const json_t *p = json_object_get(a, "paragraph");
		struct doc_sentence *s;

		if (d->nsent && sp.start < d->sent[d->nsent - 1].span.end)
			return fail_order(n, "sentence", why, whylen);
		xgrow(&d->sent, &d->capsent, d->nsent + 1, sizeof(*d->sent));
		s = &d->sent[d->nsent++];
		memset(s, 0, sizeof(*s));
		s->span = sp;
		s->para = json_is_integer(p) ? (long)json_integer_value(p) : -1;
	} else if (!strcmp(label, "quote")) {
		const char *kind = rec_str(a, "kind");
		struct doc_quote *q;
		struct doc_span c;

		if (pair(d, a, n, "content_start", "content_end", true, &c, why, whylen) < 0)
			return -1;
		if (!json_object_get(a, "content_start"))
			c = sp;
		if (c.start < sp.start || c.end > sp.end) {
			snprintf(why, whylen, "annotation %zu: segment quote content outside its marks", n);
			return -1;
		}
		if (d->nquote && sp.start < d->quote[d->nquote - 1].start)
			return fail_order(n, "quote", why, whylen);
		xgrow(&d->quote, &d->capquote, d->nquote + 1, sizeof(*d->quote));
		q = &d->quote[d->nquote++];
		memset(q, 0, sizeof(*q));
		q->start = sp.start;
		q->end = sp.end;
		q->cstart = c.start;
		q->cend = c.end;
		q->words = text_count_words(d->text, c.start, c.end);
		q->kind = kind && !strcmp(kind, "nested") ? DOC_NESTED
			  : kind && !strcmp(kind, "pull") ? DOC_PULL
							  : DOC_DIRECT;
		q->ann = n;
	}
	return 0;
}

/* The quotation whose annotation is number 'ann' (quotes are read in annotation order). */
static struct doc_quote *quote_by_ann(struct doc *d, size_t ann)
{
	size_t lo = 0, hi = d->nquote;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->quote[mid].ann < ann)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->nquote && d->quote[lo].ann == ann ? &d->quote[lo] : NULL;
}

static int read_attrib(struct doc *d, const json_t *a, size_t n, const char *label, char *why,
		       size_t whylen)
{
	size_t k;

	if (!strcmp(label, "speaker")) {
		const json_t *qi = json_object_get(a, "quote");
		struct doc_quote *q = json_is_integer(qi) && json_integer_value(qi) >= 0
					      ? quote_by_ann(d, (size_t)json_integer_value(qi))
					      : NULL;

		if (!q) {
			snprintf(why, whylen, "annotation %zu: attrib speaker of no segment quote", n);
			return -1;
		}
		if (pair(d, a, n, "speaker_start", "speaker_end", true, &q->speaker_span, why,
			 whylen) < 0)
			return -1;
		q->speaker = rec_str(a, "speaker");
		return 0;
	}
	for (k = DOC_NONE; k <= DOC_ANONYMOUS; k++) {
		if (strcmp(label, attr_names[k]))
			continue;
		{
			const json_t *si = json_object_get(a, "sentence");
			struct doc_sentence *s;

			/* A label from a tool that names no sentence links to none; a wrong index is an error. */
			if (!si)
				return 0;
			if (!json_is_integer(si) || json_integer_value(si) < 0 ||
			    (size_t)json_integer_value(si) >= d->nsent) {
				snprintf(why, whylen, "annotation %zu: attrib %s of no segment sentence",
					 n, label);
				return -1;
			}
			s = &d->sent[json_integer_value(si)];
			s->attr = (enum doc_attr)k;
			if (pair(d, a, n, "source_start", "source_end", true, &s->source, why,
				 whylen) < 0 ||
			    pair(d, a, n, "cue_start", "cue_end", true, &s->cue, why, whylen) < 0)
				return -1;
			s->source_text = rec_str(a, "source");
		}
		return 0;
	}
	return 0;
}

int doc_read(struct doc *d, const json_t *rec, char *why, size_t whylen)
{
	const json_t *anns = json_object_get(rec, "annotations"), *a;
	size_t n, len = 0;
	const char *text = rec_text(rec, &len);

	/* Another record, or its text or annotations replaced: read it afresh. */
	if (d->rec != rec || d->text != text || d->len != len || json_array_size(anns) < d->seen) {
		clear(d);
		d->text = rec_text(rec, &d->len);
		if (!d->text) {
			snprintf(why, whylen, "record has no 'text' string");
			return -1;
		}
		d->rec = rec;
	}
	for (n = d->seen; n < json_array_size(anns); n++) {
		const char *stage, *label;
		struct doc_span sp;

		a = json_array_get(anns, n);
		stage = rec_str(a, "stage");
		label = rec_str(a, "label");
		if (!json_is_object(a) || !stage || !label) {
			snprintf(why, whylen, "annotation %zu has no 'stage' or 'label'", n);
			goto bad;
		}
		if (pair(d, a, n, "start", "end", false, &sp, why, whylen) < 0)
			goto bad;
		if ((!strcmp(stage, "segment") && read_segment(d, a, n, label, sp, why, whylen) < 0) ||
		    (!strcmp(stage, "attrib") && read_attrib(d, a, n, label, why, whylen) < 0))
			goto bad;
	}
	d->seen = n;
	return 0;
bad:
	clear(d);
	return -1;
}

size_t doc_body_start(const struct doc *d)
{
	const char *title = rec_str(d->rec, "title");
	size_t tl;

	if (d->has_head)
		return d->head.end;
	if (!title || !*title)
		return 0;
	if (d->npara)
		return d->para[0].end;
	tl = strlen(title);
	return tl <= d->len && !memcmp(d->text, title, tl) ? tl : 0;
}

size_t doc_words(struct doc *d)
{
	if (d->words == (size_t)-1)
		d->words = d->text ? text_count_words(d->text, doc_body_start(d), d->len) : 0;
	return d->words;
}

/*
 * Index of the span holding 'off' among 'n' sorted, disjoint ones, each
 * 'size' bytes apart in 'v' and starting with its struct doc_span.
 */
static long span_at(const void *v, size_t n, size_t size, size_t off)
{
	const char *b = v;
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (((const struct doc_span *)(const void *)(b + mid * size))->end <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && ((const struct doc_span *)(const void *)(b + lo * size))->start <= off)
		return (long)lo;
	return -1;
}

long doc_sentence_at(const struct doc *d, size_t off)
{
	return span_at(d->sent, d->nsent, sizeof(*d->sent), off);
}

long doc_paragraph_at(const struct doc *d, size_t off)
{
	return span_at(d->para, d->npara, sizeof(*d->para), off);
}

const struct doc_quote *doc_quote_at(const struct doc *d, size_t s, size_t e)
{
	const struct doc_quote *best = NULL;
	size_t i;

	for (i = 0; i < d->nquote && d->quote[i].start <= s; i++) {
		const struct doc_quote *q = &d->quote[i];

		if (q->cstart <= s && e <= q->cend && (!best || q->cend - q->cstart < best->cend - best->cstart))
			best = q;
	}
	return best;
}

bool doc_in_headline(const struct doc *d, size_t s, size_t e)
{
	return d->has_head && d->head.end > d->head.start && d->head.start <= s && e <= d->head.end;
}
