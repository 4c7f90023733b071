/*
 * frame.c -- the matcher of slant-frame: loaded terms from lexicons, grown
 * over the word they modify, with the voice that speaks them; and scare
 * quotes (slant/frame.h, docs/frame.md).
 *
 * The voice of a match comes from the document view: inside the headline,
 * inside a quotation, in a clause a named source reports (slant-attrib's
 * sentences and speakers), or the outlet's own.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "slant/doc.h"
#include "slant/frame.h"
#include "slant/lex.h"
#include "slant/rec.h"
#include "slant/text.h"
#include "slant/usage.h"
#include "slant/words.h"


/* Scare quotes: at most this many words, and their fixed weight. */
#define SCARE_MAX_WORDS 4
#define SCARE_WEIGHT 1.0
/* A quotation this long that ends with a full stop is a sentence someone says. */
#define UTTERANCE_MIN_WORDS 3
/*
 * Words looked at before and after a quotation for a naming word: as far as
 * "called it not a car crash, but “...”" and "“...,” as Reed dubbed".
 */
#define NAMING_BEFORE 6
#define NAMING_AFTER 3
/* Bytes looked back for them: six words of news prose with room to spare. */
#define NAMING_BACK_BYTES 160
/* ====== Voice: from slant-attrib's sentences and speakers ====== */

/*
 * Whether [a, b) holds a ';' or a spaced dash (" — ", " – "): either closes
 * the clause an attribution covers ("Schiff never expected that ... —
 * Democrats expected secrecy").
 */
static bool clause_break_in(const char *t, size_t a, size_t b)
{
	size_t i;

	if (a >= b)
		return false;
	if (memchr(t + a, ';', b - a))
		return true;
	for (i = a; i + 5 <= b; i++)
		if (t[i] == ' ' && (unsigned char)t[i + 1] == 0xE2 && (unsigned char)t[i + 2] == 0x80 &&
		    ((unsigned char)t[i + 3] == 0x94 || (unsigned char)t[i + 3] == 0x93) &&
		    t[i + 4] == ' ')
			return true;
	return false;
}

/*
 * Whether match [ms, me) lies in the reported clause of sentence 's', one
 * attrib labelled attributed (a named source): outside the source and cue,
 * and no ';' between it and the cue (or the source, when the cue is not in
 * the sentence) -- "the United States denounces the *mercenaries*", "a
 * *puppet* state, Kyiv said", "According to Zelensky, *mercenaries* fight".
 */
static bool reported(const char *text, const struct doc_sentence *s, size_t ms, size_t me)
{
	const struct doc_span *in = NULL;

	if (s->attr != DOC_ATTRIBUTED)
		return false;
	if (s->cue.end > s->cue.start && s->cue.start >= s->span.start && s->cue.end <= s->span.end)
		in = &s->cue;
	else if (s->source.end > s->source.start && s->source.start >= s->span.start &&
		 s->source.end <= s->span.end)
		in = &s->source;
	if (!in)
		return true; /* carried whole from the sentence before ("He also ...") */
	if ((ms < s->source.end && me > s->source.start) || (ms < in->end && me > in->start))
		return false;
	return me <= in->start ? !clause_break_in(text, me, in->start) : !clause_break_in(text, in->end, ms);
}

/* Who says quotation 'q': its own speaker, else that of the innermost quotation around it. */
static const char *quote_speaker(const struct doc *d, const struct doc_quote *q)
{
	const struct doc_quote *best = NULL;
	size_t i;

	if (q->speaker)
		return q->speaker;
	for (i = 0; i < d->nquote && d->quote[i].start <= q->start; i++) {
		const struct doc_quote *o = &d->quote[i];

		if (o != q && o->speaker && o->cstart <= q->start && q->end <= o->cend &&
		    (!best || o->cend - o->cstart < best->cend - best->cstart))
			best = o;
	}
	return best ? best->speaker : NULL;
}

/* Whether the word s[ws, we) is one of 'cues' (NULL-terminated; ASCII case ignored). */
static bool cue_word(const char *s, size_t ws, size_t we, const char *const *cues)
{
	for (; cues && *cues; cues++)
		if (strlen(*cues) == we - ws && !strncasecmp(s + ws, *cues, we - ws))
			return true;
	return false;
}

/*
 * Whether match [ms, me) lies in the that-clause of a claim noun in sentence
 * [s, ms): "Democratic criticism that he is *caving*" is the critics' charge.
 * The clause ends at a ';' or a spaced dash.
 */
static bool claimed(const struct frame *f, const char *t, size_t s, size_t ms)
{
	size_t pos = s, ws, we, pw = 0, pe = 0;
	bool prev = false;

	while (text_next_word(t, ms, &pos, &ws, &we)) {
		if (prev && we - ws == 4 && !strncasecmp(t + ws, "that", 4) &&
		    cue_word(t, pw, pe, f->claims) && !clause_break_in(t, we, ms))
			return true;
		pw = ws;
		pe = we;
		prev = true;
	}
	return false;
}

/*
 * Whether the quotation is speech in its own right: it ends a sentence
 * ("“We got her!”", "“Enough already, just vote.”") or speaks in the first
 * or second person ("“Meth, we're on it”"). Nobody distances a word by quoting a whole utterance.
 */
static bool utterance(const struct doc *d, const struct doc_quote *q)
{
	const char *t = d->text;
	size_t e = text_trim_end(t, q->cstart, q->cend), pos = q->cstart, ws, we, w, k;

	if (e > q->cstart) {
		uint32_t last = text_char(t, e, text_prev(t, e), &w);

		/* A full stop closes a short phrase too, in American style: “... collusion.” */
		if (last == '!' || last == '?' || (last == '.' && q->words >= UTTERANCE_MIN_WORDS))
			return true;
	}
	while (text_next_word(t, q->cend, &pos, &ws, &we)) {
		/* "we're", "I’m": the pronoun before the apostrophe. */
		for (k = ws; k < we && t[k] != '\'' && (unsigned char)t[k] != 0xE2; k++)
			;
		if (words_has(&words_speech_pronouns, t + ws, k - ws))
			return true;
	}
	return false;
}

/* Whether an ASCII capital stands inside the word: "factcheckUK", "iPhone". */
static bool inner_capital(const char *t, size_t ws, size_t we)
{
	for (ws++; ws < we; ws++)
		if (t[ws] >= 'A' && t[ws] <= 'Z')
			return true;
	return false;
}

/*
 * Whether the quotation is a name or title: every word capitalised, short
 * function words after the first aside ("“Dancing with the Stars”",
 * "“Cleggmania”"). In a headline in title case every word is capitalised,
 * so none of its quotations is judged a scare quote: a headline's short
 * quotation is far more often someone's words or a title than the outlet's
 * distance.
 */
static bool name_like(const struct doc *d, const struct doc_quote *q)
{
	size_t pos = q->cstart, ws, we, n = 0;

	while (text_next_word(d->text, q->cend, &pos, &ws, &we)) {
		if (!text_word_capitalised(d->text, ws, we) && !inner_capital(d->text, ws, we) &&
		    !(n && words_has(&words_function_words, d->text + ws, we - ws)))
			return false;
		n++;
	}
	return n > 0;
}

/*
 * Whether the words around the quotation make it a name, a slogan, a term
 * mentioned or someone's claim: a 'naming' word of lexicons/quote_cues.tsv
 * among the NAMING_BEFORE words before it in its sentence ("dubbed", "the
 * slogan", "his claim that the pair were") or the NAMING_AFTER after it ("the
 * “...” campaign", "the “new Gannett,” as Reed dubbed it").
 */
static bool named_in_context(const struct frame *f, const struct doc *d, const struct doc_quote *q,
			     const struct doc_span *sent)
{
	size_t last[NAMING_BEFORE][2], n = 0, pos = sent->start, ws, we, k, w;

	/* Look back a bounded stretch, not from the sentence's start: a long one has many quotations. */
	if (q->start - pos > NAMING_BACK_BYTES) {
		pos = q->start - NAMING_BACK_BYTES;
		while (((unsigned char)d->text[pos] & 0xC0) == 0x80)
			pos++;
		/* Not a word cut in two: skip the one the stretch starts inside. */
		if (text_is_alnum(text_char(d->text, q->start, text_prev(d->text, pos), &w)))
			text_next_word(d->text, q->start, &pos, &ws, &we);
	}
	while (text_next_word(d->text, q->start, &pos, &ws, &we)) {
		last[n % NAMING_BEFORE][0] = ws;
		last[n % NAMING_BEFORE][1] = we;
		n++;
	}
	for (k = 0; k < n && k < NAMING_BEFORE; k++)
		if (cue_word(d->text, last[k][0], last[k][1], f->naming) ||
		    cue_word(d->text, last[k][0], last[k][1], f->claims))
			return true;
	/* A gloss: "swollen lymph nodes, or 'buboes'" gives the thing's other name. */
	if (n) {
		size_t os = last[(n - 1) % NAMING_BEFORE][0], oe = last[(n - 1) % NAMING_BEFORE][1];

		if (oe - os == 2 && os >= 2 && !memcmp(d->text + os - 2, ", or", 4))
			return true;
	}
	pos = q->end;
	for (k = 0; k < NAMING_AFTER && text_next_word(d->text, sent->end, &pos, &ws, &we); k++)
		if (cue_word(d->text, ws, we, f->naming) || cue_word(d->text, ws, we, f->claims))
			return true;
	return false;
}

/*
 * Whether quotation 'q' is a scare quote (docs/frame.md): short, nobody says
 * it, not opening its sentence, no utterance, name, slogan or term mentioned.
 */
static bool scare_quote(const struct frame *f, const struct doc *d, const struct doc_quote *q)
{
	long si;
	size_t pos, s, e;

	if (quote_speaker(d, q) || q->kind == DOC_PULL || q->words < 1 || q->words > SCARE_MAX_WORDS)
		return false;
	si = doc_sentence_at(d, q->start);
	if (si < 0)
		return false;
	pos = d->sent[si].span.start;
	return text_next_word(d->text, q->start, &pos, &s, &e) && !utterance(d, q) &&
	       !name_like(d, q) && !named_in_context(f, d, q, &d->sent[si].span);
}

/* ====== Extension: a loaded modifier and the word it modifies ====== */

/* Width of the hyphen at text[i] ('-', U+2010, U+2011), or 0. */
static size_t hyphen_at(const char *text, size_t len, size_t i)
{
	if (i < len && text[i] == '-')
		return 1;
	if (i + 2 < len && (unsigned char)text[i] == 0xE2 && (unsigned char)text[i + 1] == 0x80 &&
	    ((unsigned char)text[i + 2] == 0x90 || (unsigned char)text[i + 2] == 0x91))
		return 3;
	return 0;
}

/*
 * Whether text[s, e) is a function word or a number (words_function_words);
 * it is folded first, so "’" compares as "'".
 */
static bool function_word(const char *text, size_t s, size_t e)
{
	char fold[32];

	if (text[s] >= '0' && text[s] <= '9')
		return true;
	if (e - s >= sizeof(fold))
		return false;
	return words_has(&words_function_words, fold, lex_fold(text + s, e - s, fold));
}

/*
 * Where the annotation of match 'i' ends (docs/frame.md, "Extension"): a
 * match of an extended category grows over the next word when exactly one
 * space stands between them, the word is no function word or number, no
 * other match starts in it, and it lies in the match's sentence. A
 * hyphenated word is taken whole ("left-wing", "al-Assad"). Punctuation, a
 * quote mark, a line break or a second space stop it.
 */
static size_t extended_end(const struct frame *f, const struct doc *d, size_t i)
{
	const struct lex_match *m = &f->m.v[i];
	const char *text = d->text;
	size_t len = d->len, pos = m->end + 1, s, e, k, h;
	long si;

	for (k = 0; k < f->next && f->ext[k] != m->entry->category; k++)
		;
	if (k == f->next || m->end >= len || text[m->end] != ' ')
		return m->end;
	if (!lex_next_word(text, len, &pos, &s, &e) || s != m->end + 1 || function_word(text, s, e))
		return m->end;
	while ((h = hyphen_at(text, len, e))) {
		size_t s2, e2;

		pos = e + h;
		if (!lex_next_word(text, len, &pos, &s2, &e2) || s2 != e + h)
			break;
		e = e2;
	}
	if (i + 1 < f->m.n && f->m.v[i + 1].start < e)
		return m->end;
	si = doc_sentence_at(d, m->start);
	if (si >= 0 && e > d->sent[si].span.end)
		return m->end;
	return e;
}

/* ====== Records ====== */

/* The annotation of match 'm', spanning [m->start, end): 'end' is past m->end when extended. */
static void add_loaded(const struct frame *f, json_t *rec, const struct doc *d,
		       const struct lex_match *m, size_t end)
{
	const struct lex_entry *e = m->entry;
	const struct doc_quote *q;
	const char *voice = "authorial", *speaker = NULL;
	json_t *ann;
	long si;

	if (doc_in_headline(d, m->start, m->end)) {
		voice = "headline";
	} else if ((q = doc_quote_at(d, m->start, m->end))) {
		voice = "quoted";
		speaker = quote_speaker(d, q);
	} else if ((si = doc_sentence_at(d, m->start)) >= 0 &&
		   reported(d->text, &d->sent[si], m->start, m->end)) {
		voice = "reported";
		speaker = d->sent[si].source_text;
	} else if (si >= 0 && claimed(f, d->text, d->sent[si].span.start, m->start)) {
		voice = "reported";
	}
	/* The voice is the lexicon term's: decided on the match, not on the word it modifies. */
	ann = rec_annotate(rec, "frame", "loaded", m->start, end);
	json_object_set_new(ann, "entry", json_string(e->term));
	json_object_set_new(ann, "category", json_string(e->category->name));
	/* Every category of a word in several (its first is 'category'). */
	if (e->nalso) {
		json_t *all = json_array();
		size_t k;

		json_array_append_new(all, json_string(e->category->name));
		for (k = 0; k < e->nalso; k++)
			json_array_append_new(all, json_string(e->also[k]->name));
		json_object_set_new(ann, "categories", all);
	}
	json_object_set_new(ann, "weight", json_real(e->weight));
	if (e->alternative)
		json_object_set_new(ann, "alternative", json_string(e->alternative));
	json_object_set_new(ann, "voice", json_string(voice));
	if (speaker)
		json_object_set_new(ann, "speaker", json_string(speaker));
	if (e->file_base)
		json_object_set_new(ann, "lexicon", json_string(e->file_base));
	json_object_set_new(ann, "lexicon_line", json_integer((json_int_t)e->line));
	if (end > m->end) {
		json_object_set_new(ann, "extended", json_true());
		json_object_set_new(ann, "match_end", json_integer((json_int_t)m->end));
	}
}

static void add_scare(json_t *rec, const struct doc_quote *q)
{
	json_t *ann = rec_annotate(rec, "frame", "scare_quote", q->start, q->end);

	json_object_set_new(ann, "category", json_string("scare_quote"));
	json_object_set_new(ann, "weight", json_real(SCARE_WEIGHT));
	json_object_set_new(ann, "voice", json_string("authorial"));
	json_object_set_new(ann, "quote", json_integer((json_int_t)q->ann));
}

void frame_extend(struct frame *f, const struct lex_category *c)
{
	size_t i;

	for (i = 0; i < f->next && f->ext[i] != c; i++)
		;
	if (i == f->next) {
		f->ext = xrealloc(f->ext, (f->next + 1) * sizeof(*f->ext));
		f->ext[f->next++] = c;
	}
}

int frame_record(struct frame *f, struct doc *d, json_t *rec, char *why, size_t whylen)
{
	size_t i = 0, k = 0, nq;
	long n;

	if (doc_read(d, rec, why, whylen) < 0)
		return -1;
	nq = d->nquote;
	n = lex_match(&f->lex, d->text, d->len, 0, &f->m);
	if (n < 0) {
		snprintf(why, whylen, "lexicon matching failed (see above)");
		return -1;
	}
	/*
	 * Append in text order: lexicon matches and scare quotes interleaved by
	 * start. The view is read first: what we append is ours, not attrib's.
	 */
	while (i < f->m.n || k < nq) {
		if (k < nq && !scare_quote(f, d, &d->quote[k])) {
			k++;
			continue;
		}
		if (i < f->m.n && (k >= nq || f->m.v[i].start <= d->quote[k].start)) {
			add_loaded(f, rec, d, &f->m.v[i], extended_end(f, d, i));
			i++;
		} else {
			add_scare(rec, &d->quote[k]);
			k++;
		}
	}
	return 0;
}

void frame_release(struct frame *f)
{
	free(f->ext);
	f->ext = NULL;
	f->next = 0;
	lex_release(&f->lex);
	lex_matches_release(&f->m);
	lex_release(&f->cues);
	free(f->naming);
	f->naming = NULL;
	free(f->claims);
	f->claims = NULL;
}

int frame_load_quote_cues(struct frame *f, const char *path)
{
	static const char *const cats[] = { "naming", "claim", NULL };

	if (words_load_cues(&f->cues, path, cats, NULL) < 0)
		return -1;
	f->naming = words_cues(&f->cues, "naming");
	f->claims = words_cues(&f->cues, "claim");
	return 0;
}
