/*
 * segment.c -- the segmenter of slant-segment: headline, paragraph, sentence
 * and quotation spans over a text (slant/segment.h, docs/segment.md).
 *
 * One record is split in three steps, each linear in the text: paragraphs
 * (blank lines), then one scan of each paragraph that feeds both the sentence
 * splitter and the quotation matcher, then a bounded look around each
 * quotation for its speaker. Nothing rescans the text from a position it has
 * passed except those bounded looks (a token before a full stop, a few words
 * next to a quotation), so the cost stays linear however long a paragraph is.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slant/lex.h"
#include "slant/rec.h"
#include "slant/segment.h"
#include "slant/text.h"
#include "slant/usage.h"
#include "slant/words.h"

#define NONE SIZE_MAX

enum {
	MAX_OPEN = 16,        /* quotations open at once; deeper marks are ignored */
	MAX_TOKEN = 40,       /* bytes looked back for the word before a full stop */
};

enum quote_kind { KIND_DIRECT, KIND_NESTED, KIND_PULL };
static const char *const kind_names[] = { "direct", "nested", "pull" };

/* Which marks pair: a closing mark closes the innermost open quotation of its family. */
enum family {
	FAM_CURLY,    /* “ ... ” */
	FAM_LOW,      /* „ ... “ or ” */
	FAM_STRAIGHT, /* " ... " */
	FAM_SINGLE,   /* ‘ ... ’ */
	FAM_APOS,     /* ' ... ' */
	FAM_GUILL,    /* « ... » */
	FAM_SGUILL,   /* ‹ ... › */
	FAM_PULL,     /* a paragraph opened by a dash */
};
#define FAMS_DOUBLE ((1u << FAM_CURLY) | (1u << FAM_LOW) | (1u << FAM_STRAIGHT))

struct span {
	size_t start, end;
};

struct sentence {
	size_t start, end, para;
};

struct quote {
	size_t start, end;            /* marks included */
	size_t cstart, cend;          /* inside the marks */
	size_t mark_len;              /* bytes of the opening mark at 'start' */
	size_t para_end;              /* end of the paragraph it closes in */
	enum quote_kind kind;
};

struct open_quote {
	size_t start, cstart, mark_len;
	enum family fam;
};

struct segmenter {
	size_t max_quote;             /* segment.max_quote: longer quotations are dropped */
	const struct lex *verbs;      /* [attrib] reporting_verbs, borrowed: what closes a pull quote */
	struct lex_matches vm;
	const char *s;                /* the record's text, and its length */
	size_t n;
	struct span *para;
	size_t npara, cpara;
	struct sentence *sent;
	size_t nsent, csent;
	struct quote *quote;
	size_t nquote, cquote;
	struct open_quote open[MAX_OPEN];
	size_t nopen;
	size_t pull_close;            /* offset of the dash closing a pull quote, or NONE */
	size_t skip_mark;             /* offset of a mark that continues a quotation, or NONE */
};

/* ====== Paragraphs ====== */

static void add_para(struct segmenter *sg, size_t start, size_t end)
{
	start = text_skip_space(sg->s, start, end);
	end = text_trim_end(sg->s, start, end);
	if (start >= end)
		return;
	xgrow(&sg->para, &sg->cpara, sg->npara + 1, sizeof(*sg->para));
	sg->para[sg->npara].start = start;
	sg->para[sg->npara].end = end;
	sg->npara++;
}

/* Paragraphs are separated by a blank line: white space holding two newlines or more. */
static void find_paragraphs(struct segmenter *sg)
{
	const char *s = sg->s;
	size_t n = sg->n, i = 0, start = 0, w;

	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t j, brk;
		bool blank = false;

		if (!nl)
			break;
		brk = (size_t)(nl - s);
		for (j = brk + 1; j < n; j += w) {
			uint32_t cp = text_char(s, n, j, &w);

			if (cp == '\n')
				blank = true;
			else if (!text_is_space(cp))
				break;
		}
		if (blank) {
			add_para(sg, start, brk);
			start = j;
		}
		i = j;
	}
	add_para(sg, start, n);
}

/* ====== Sentences ====== */

static void add_sentence(struct segmenter *sg, size_t start, size_t end, size_t para)
{
	start = text_skip_space(sg->s, start, end);
	end = text_trim_end(sg->s, start, end);
	if (start >= end)
		return;
	xgrow(&sg->sent, &sg->csent, sg->nsent + 1, sizeof(*sg->sent));
	sg->sent[sg->nsent].start = start;
	sg->sent[sg->nsent].end = end;
	sg->sent[sg->nsent].para = para;
	sg->nsent++;
}

static bool is_stop_mark(uint32_t cp)
{
	return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == 0x203c ||
	       (cp >= 0x2047 && cp <= 0x2049);
}

/* Marks and brackets that may follow a full stop and still belong to its sentence. */
static bool is_closer(uint32_t cp)
{
	switch (cp) {
	case '"': case '\'': case ')': case ']': case '}':
	case 0x201d: case 0x2019: case 0xbb: case 0x203a:
		return true;
	}
	return false;
}

static bool is_opener(uint32_t cp)
{
	switch (cp) {
	case '"': case '\'': case '(': case '[': case '{':
	case 0x201c: case 0x2018: case 0x201e: case 0xab: case 0x2039: case 0xbf: case 0xa1:
		return true;
	}
	return false;
}

/* Whether a sentence may start with 'cp': not a lower-case letter nor closing punctuation. */
static bool can_start(uint32_t cp)
{
	if (text_class(cp) & TEXT_LOWER)
		return false;
	switch (cp) {
	case ',': case ';': case ':': case '.': case '!': case '?': case '%':
	case ')': case ']': case '}': case 0x201d: case 0x2019: case 0xbb: case 0x203a: case 0x2026:
		return false;
	}
	return true;
}

/* What the word right before the full stop at 'dot' is (an abbreviation, an initial...). */
static enum text_abbrev token_before(const char *s, size_t ps, size_t dot)
{
	size_t t = dot, w;

	while (t > ps) {
		size_t p = text_prev(s, t);

		if (text_is_space(text_char(s, dot, p, &w)))
			break;
		t = p;
		if (dot - t > MAX_TOKEN)
			return TEXT_ABBREV_NONE;
	}
	while (t < dot && is_opener(text_char(s, dot, t, &w)))
		t += w;
	return text_abbrev(s + t, dot - t);
}

/* Whether the word at 'i' (after any opening marks) commonly starts a sentence. */
static bool starter_at(const char *s, size_t i, size_t pe)
{
	size_t w, ws, we;

	while (i < pe && is_opener(text_char(s, pe, i, &w)))
		i += w;
	if (!text_next_word(s, pe, &(size_t){ i }, &ws, &we) || ws != i)
		return false;
	/* "J. A. Smith": a capital followed by a stop is an initial, not the article. */
	if (we < pe && s[we] == '.')
		return false;
	return text_sentence_starter(s + ws, we - ws);
}

/*
 * The run of stop marks at 'i' in paragraph 'pi': decide whether a sentence
 * ends after it (and after the marks and brackets that close with it), and
 * record it. Returns the offset after the run, where scanning goes on, so
 * that closing quotation marks are still seen by the quotation matcher.
 */
static size_t sentence_stop(struct segmenter *sg, size_t pi, size_t i, size_t *sstart)
{
	const char *s = sg->s;
	size_t ps = sg->para[pi].start, pe = sg->para[pi].end, j = i, e, nx, w, dots = 0;
	bool ellipsis = false, bang = false, brk;
	enum text_abbrev ab;
	uint32_t cp;

	for (; j < pe; j += w) {
		cp = text_char(s, pe, j, &w);
		if (cp == '.')
			dots++;
		else if (cp == 0x2026)
			ellipsis = true;
		else if (is_stop_mark(cp))
			bang = true;
		else
			break;
	}
	for (e = j; e < pe && is_closer(text_char(s, pe, e, &w)); e += w)
		;
	/* "3.5", "U.S.-based", "example.com", ".”He": no space, no boundary. */
	if (e >= pe || !text_is_space(text_char(s, pe, e, &w)))
		return j;
	nx = text_skip_space(s, e, pe);
	cp = text_char(s, pe, nx, &w);
	if (!can_start(cp)) {
		brk = false;
	} else if (bang || ellipsis || dots > 1) {
		brk = true;
	} else {
		ab = token_before(s, ps, i);
		if (text_class(cp) & TEXT_DIGIT)
			brk = ab == TEXT_ABBREV_NONE; /* "No. 5", "Jan. 5" */
		else if (ab == TEXT_ABBREV_NUMBER)
			brk = true; /* "The answer was no. Russia..." */
		else if (ab == TEXT_ABBREV_STRONG)
			brk = false;
		else if (ab == TEXT_ABBREV_WEAK)
			brk = starter_at(s, nx, pe); /* "the U.S. The" but not "the U.S. Office" */
		else
			brk = true;
	}
	if (brk) {
		add_sentence(sg, *sstart, e, pi);
		*sstart = nx;
	}
	return j;
}

/* ====== Quotations ====== */

static bool is_quote_mark(uint32_t cp)
{
	switch (cp) {
	case '"': case '\'': case 0x201c: case 0x201d: case 0x201e: case 0x2018: case 0x2019:
	case 0xab: case 0xbb: case 0x2039: case 0x203a:
		return true;
	}
	return false;
}

static bool is_dash(uint32_t cp)
{
	return cp == 0x2014 || cp == 0x2013 || cp == 0x2015 || cp == '-';
}

/* What may stand right before an opening straight quote: "(", a dash, a colon... */
static bool opens_after(uint32_t cp)
{
	return text_is_space(cp) || is_opener(cp) || is_dash(cp) || cp == '/' || cp == ':' ||
	       cp == 0x201c || cp == 0x2018;
}

/* Innermost open quotation of the families in 'mask', or -1. */
static int innermost(const struct segmenter *sg, unsigned mask)
{
	size_t k;

	for (k = sg->nopen; k-- > 0;)
		if (mask & (1u << sg->open[k].fam))
			return (int)k;
	return -1;
}

static void quote_open(struct segmenter *sg, size_t i, size_t w, enum family fam)
{
	struct open_quote *o;

	if (sg->nopen == MAX_OPEN)
		return;
	o = &sg->open[sg->nopen++];
	o->start = i;
	o->cstart = i + w;
	o->mark_len = w;
	o->fam = fam;
}

/*
 * Close open quotation 'k' with content ending at 'cend' and its span at
 * 'end', dropping the ones opened inside it. A quotation longer than
 * max_quote or with no word in it is dropped, not kept.
 */
static void quote_close(struct segmenter *sg, size_t k, size_t cend, size_t end, size_t pe)
{
	const struct open_quote *o = &sg->open[k];
	struct quote *q;

	sg->nopen = k;
	if (end - o->start > sg->max_quote || !text_count_words(sg->s, o->cstart, cend))
		return;
	xgrow(&sg->quote, &sg->cquote, sg->nquote + 1, sizeof(*sg->quote));
	q = &sg->quote[sg->nquote++];
	q->start = o->start;
	q->end = end;
	q->cstart = o->cstart;
	q->cend = cend;
	q->mark_len = o->mark_len;
	q->para_end = pe;
	q->kind = o->fam == FAM_PULL ? KIND_PULL : k ? KIND_NESTED : KIND_DIRECT;
}

/* One quotation mark 'cp' ('w' bytes) at 'i' in paragraph 'pi'. */
static void quote_mark(struct segmenter *sg, size_t pi, size_t i, uint32_t cp, size_t w)
{
	const char *s = sg->s;
	size_t ps = sg->para[pi].start, pe = sg->para[pi].end, nw = 0, pw;
	uint32_t prev = i > ps ? text_char(s, pe, text_prev(s, i), &pw) : 0;
	uint32_t next = i + w < pe ? text_char(s, pe, i + w, &nw) : 0;
	bool has_next = i + w < pe;
	/* Left-flanking (may open) and right-flanking (may close), as for straight marks. */
	bool left = (i == ps || opens_after(prev)) && has_next && !text_is_space(next);
	bool right = i > ps && !text_is_space(prev) && (!has_next || !text_is_alnum(next));
	int k;

	if (i == sg->skip_mark) { /* the mark that continues a quotation into this paragraph */
		sg->skip_mark = NONE;
		return;
	}
	/* A quotation open too long is a stray mark: forget it before it pairs with anything. */
	if (sg->nopen && i - sg->open[0].start > sg->max_quote)
		sg->nopen = 0;
	switch (cp) {
	case '"':
		k = innermost(sg, 1u << FAM_STRAIGHT);
		if (k >= 0 && right) {
			quote_close(sg, (size_t)k, i, i + w, pe);
		} else if (left) {
			if (k >= 0)
				sg->nopen = (size_t)k; /* the earlier one was never closed */
			quote_open(sg, i, w, FAM_STRAIGHT);
		}
		break;
	case '\'':
		/* An apostrophe ("don't", "Cubans'", "'90s") neither opens nor closes. */
		if (sg->nopen && sg->open[sg->nopen - 1].fam == FAM_APOS && right)
			quote_close(sg, sg->nopen - 1, i, i + w, pe);
		else if (left && (text_class(next) & TEXT_ALPHA))
			quote_open(sg, i, w, FAM_APOS);
		break;
	case 0x201c: /* “ opens, except that it closes „ */
		k = innermost(sg, 1u << FAM_LOW);
		if (k >= 0)
			quote_close(sg, (size_t)k, i, i + w, pe);
		else
			quote_open(sg, i, w, FAM_CURLY);
		break;
	case 0x201e:
		quote_open(sg, i, w, FAM_LOW);
		break;
	case 0x201d:
		k = innermost(sg, FAMS_DOUBLE);
		if (k >= 0)
			quote_close(sg, (size_t)k, i, i + w, pe);
		break;
	case 0x2018:
		if (has_next && !text_is_space(next) && !(text_class(next) & TEXT_DIGIT))
			quote_open(sg, i, w, FAM_SINGLE);
		break;
	case 0x2019: /* mostly an apostrophe; closes only an open ‘ or ' at a word's end */
		if (sg->nopen && right &&
		    (sg->open[sg->nopen - 1].fam == FAM_SINGLE || sg->open[sg->nopen - 1].fam == FAM_APOS))
			quote_close(sg, sg->nopen - 1, i, i + w, pe);
		break;
	case 0xab:
		quote_open(sg, i, w, FAM_GUILL);
		break;
	case 0x2039:
		quote_open(sg, i, w, FAM_SGUILL);
		break;
	case 0xbb:
	case 0x203a:
		k = innermost(sg, 1u << (cp == 0xbb ? FAM_GUILL : FAM_SGUILL));
		if (k >= 0)
			quote_close(sg, (size_t)k, i, i + w, pe);
		break;
	}
}

/* Bytes after a dash searched for the reporting verb that closes a pull quote. */
#define PULL_VERB_WINDOW 80

/*
 * Whether the dash at 'i' closes a pull quote: it follows a space or a comma
 * and a reporting verb (a neutral or loaded cue of the lexicon) starts within
 * the next three words: "— We will win — said the minister.", "— We will win,
 * —said he."
 */
static bool dash_reports(struct segmenter *sg, size_t i, size_t w, size_t pe)
{
	const char *s = sg->s;
	size_t j = i + w, ws, we, k, lim = pe - j > PULL_VERB_WINDOW ? j + PULL_VERB_WINDOW : pe;
	size_t third = j;
	uint32_t prev, next;
	long n;

	if (j >= pe)
		return false;
	prev = text_char(s, pe, text_prev(s, i), &k);
	next = text_char(s, pe, j, &k);
	/* "win, — said" and "win —said"; a hyphen only between spaces ("pro-Moscow" is a word). */
	if ((!text_is_space(prev) && prev != ',') ||
	    (!text_is_space(next) && (s[i] == '-' || !(text_class(next) & TEXT_ALPHA))))
		return false;
	for (k = 0; k < 3 && text_next_word(s, lim, &third, &ws, &we); k++)
		;
	while (lim < pe && (((unsigned char)s[lim] & 0xC0) == 0x80))
		lim--;
	n = lex_match(sg->verbs, s + j, lim - j, 0, &sg->vm);
	for (k = 0; n > 0 && k < sg->vm.n; k++)
		if (j + sg->vm.v[k].start < third &&
		    strcmp(sg->vm.v[k].entry->category->name, "according"))
			return true;
	return false;
}

/*
 * A paragraph opened by a dash and a space is a pull quote when it is speech:
 * a later dash introduces a reporting clause, or it speaks in the first or
 * second person. Anything else (a list item, an author's note) is not.
 */
static void pull_begin(struct segmenter *sg, size_t pi)
{
	const char *s = sg->s;
	size_t ps = sg->para[pi].start, pe = sg->para[pi].end, w, w2, cs, j, ws, we;
	bool speech = false;

	if (!is_dash(text_char(s, pe, ps, &w)) || ps + w >= pe ||
	    !text_is_space(text_char(s, pe, ps + w, &w2)))
		return;
	cs = text_skip_space(s, ps + w, pe);
	for (j = cs; j < pe; j += w2) {
		if (is_dash(text_char(s, pe, j, &w2)) && dash_reports(sg, j, w2, pe)) {
			sg->pull_close = j;
			break;
		}
	}
	if (sg->pull_close == NONE) {
		for (j = cs; !speech && text_next_word(s, pe, &j, &ws, &we);)
			speech = words_has(&words_speech_pronouns, s + ws, we - ws);
		if (!speech)
			return;
	}
	quote_open(sg, ps, w, FAM_PULL);
	sg->open[sg->nopen - 1].cstart = cs;
}

static void quote_begin(struct segmenter *sg, size_t pi)
{
	sg->pull_close = NONE;
	sg->skip_mark = NONE;
	if (sg->nopen) /* carried over: quote_end saw this paragraph open with a mark */
		sg->skip_mark = sg->para[pi].start;
	else
		pull_begin(sg, pi);
}

/* Whether paragraph 'pi' opens with a mark that continues a quotation of family 'fam'. */
static bool continues(const struct segmenter *sg, size_t pi, enum family fam)
{
	size_t w;
	uint32_t cp = text_char(sg->s, sg->para[pi].end, sg->para[pi].start, &w);

	switch (fam) {
	case FAM_STRAIGHT:
		return cp == '"';
	case FAM_CURLY:
	case FAM_LOW:
		return cp == 0x201c || cp == 0x201e || cp == '"';
	case FAM_GUILL:
		return cp == 0xab || cp == 0xbb;
	default:
		return false;
	}
}

/*
 * At the end of paragraph 'pi': a pull quote ends here; an open quotation
 * goes on only when the next paragraph opens with a mark of its kind (the
 * news convention for quotations over several paragraphs); anything else
 * still open was never closed and is dropped.
 */
static void quote_end(struct segmenter *sg, size_t pi)
{
	size_t pe = sg->para[pi].end;

	if (sg->nopen && sg->open[0].fam == FAM_PULL) {
		quote_close(sg, 0, pe, pe, pe);
		return;
	}
	if (sg->nopen && pi + 1 < sg->npara && continues(sg, pi + 1, sg->open[0].fam) &&
	    sg->para[pi + 1].start - sg->open[0].start <= sg->max_quote) {
		sg->nopen = 1;
		return;
	}
	sg->nopen = 0;
}

/* ====== The scan of one paragraph ====== */

/* ASCII bytes that need a look: stop marks and straight quotation marks. */
static bool ascii_interesting(unsigned char c)
{
	return c == '.' || c == '!' || c == '?' || c == '"' || c == '\'';
}

static void scan_paragraph(struct segmenter *sg, size_t pi)
{
	const char *s = sg->s;
	size_t pe = sg->para[pi].end, i = sg->para[pi].start, sstart = i, w;

	quote_begin(sg, pi);
	while (i < pe) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;

		if (i == sg->pull_close) {
			cp = text_char(s, pe, i, &w);
			if (sg->nopen && sg->open[0].fam == FAM_PULL)
				quote_close(sg, 0, text_trim_end(s, sg->open[0].cstart, i), i + w, pe);
			i += w;
			continue;
		}
		if (c < 0x80 && !ascii_interesting(c)) {
			i++;
			continue;
		}
		cp = text_char(s, pe, i, &w);
		if (is_stop_mark(cp)) {
			i = sentence_stop(sg, pi, i, &sstart);
			continue;
		}
		if (is_quote_mark(cp))
			quote_mark(sg, pi, i, cp, w);
		i += w;
	}
	add_sentence(sg, sstart, pe, pi);
	quote_end(sg, pi);
}

/* ====== The record ====== */

static int cmp_quote(const void *a, const void *b)
{
	const struct quote *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end > y->end ? -1 : x->end < y->end;
}

struct segmenter *segment_new(size_t max_quote, const struct lex *verbs)
{
	struct segmenter *sg = xcalloc(1, sizeof(*sg));

	sg->max_quote = max_quote;
	sg->verbs = verbs;
	return sg;
}

void segment_free(struct segmenter *sg)
{
	if (!sg)
		return;
	free(sg->para);
	free(sg->sent);
	free(sg->quote);
	lex_matches_release(&sg->vm);
	free(sg);
}

void segment_text(struct segmenter *sg, const char *s, size_t n)
{
	size_t i;

	sg->s = s;
	sg->n = n;
	sg->npara = sg->nsent = sg->nquote = sg->nopen = 0;
	find_paragraphs(sg);
	for (i = 0; i < sg->npara; i++)
		scan_paragraph(sg, i);
	if (sg->nquote > 1)
		qsort(sg->quote, sg->nquote, sizeof(*sg->quote), cmp_quote);
}

static void set_int(json_t *ann, const char *key, size_t v)
{
	json_object_set_new(ann, key, json_integer((json_int_t)v));
}

void segment_emit(const struct segmenter *sg, json_t *rec)
{
	const char *s = sg->s;
	json_t *ann;
	size_t i;

	if (!sg->npara)
		return;
	rec_annotate(rec, "segment", "headline", sg->para[0].start, sg->para[0].end);
	for (i = 0; i < sg->npara; i++) {
		ann = rec_annotate(rec, "segment", "paragraph", sg->para[i].start, sg->para[i].end);
		set_int(ann, "index", i);
	}
	for (i = 0; i < sg->nsent; i++) {
		ann = rec_annotate(rec, "segment", "sentence", sg->sent[i].start, sg->sent[i].end);
		set_int(ann, "index", i);
		set_int(ann, "paragraph", sg->sent[i].para);
	}
	for (i = 0; i < sg->nquote; i++) {
		const struct quote *q = &sg->quote[i];

		ann = rec_annotate(rec, "segment", "quote", q->start, q->end);
		set_int(ann, "content_start", q->cstart);
		set_int(ann, "content_end", q->cend);
		json_object_set_new(ann, "mark", json_stringn(s + q->start, q->mark_len));
		json_object_set_new(ann, "kind", json_string(kind_names[q->kind]));
		set_int(ann, "words", text_count_words(s, q->cstart, q->cend));
	}
}
