/*
 * frame.c -- slant-frame: flag loaded and framing terms from lexicons, and
 * say whose words they are (docs/frame.md).
 *
 * One record in, the same record plus one "loaded" annotation per lexicon
 * match and one "scare_quote" annotation per short quoted phrase used at a
 * distance. The voice of a match comes from segment's annotations: inside the
 * headline, inside a quotation, in a clause a named source reports, or the
 * outlet's own.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "slant/conf.h"
#include "slant/doc.h"
#include "slant/lex.h"
#include "slant/rec.h"
#include "slant/stage.h"
#include "slant/text.h"
#include "slant/usage.h"

enum { OPT_LEXICON = 0x2000, OPT_BENCH_TEXT, OPT_NO_EXTEND };

/* Scare quotes: at most this many words, and their fixed weight. */
#define SCARE_MAX_WORDS 4
#define SCARE_WEIGHT 1.0
/*
 * Words a loaded modifier is not extended over ("a brutal dictator" grows,
 * "brutal to" does not; docs/frame.md, "Extension"): articles and
 * demonstratives, prepositions, conjunctions and wh-words, pronouns,
 * auxiliaries and modals with their negated contractions, negation, and
 * number words (a word starting with a digit is a number too). Sorted, for
 * text_in_table(); words are folded first, so "’" compares as "'".
 */
static const char *const function_words[] = {
	"a", "about", "above", "across", "after", "against", "along", "although", "am", "among",
	"an", "and", "any", "are", "aren't", "around", "as", "at", "be", "because", "been",
	"before", "behind", "being", "below", "between", "beyond", "billion", "billions", "both",
	"but", "by", "can", "can't", "cannot", "could", "couldn't", "did", "didn't", "do", "does",
	"doesn't", "don't", "during", "each", "eight", "either", "every", "five", "for", "four",
	"from", "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "her",
	"hers", "herself", "him", "himself", "his", "how", "hundred", "hundreds", "i", "if", "in",
	"inside", "into", "is", "isn't", "it", "its", "itself", "may", "me", "might", "million",
	"millions", "mine", "must", "my", "myself", "near", "neither", "never", "nine", "no",
	"nor", "not", "of", "off", "on", "one", "onto", "or", "our", "ours", "ourselves", "out",
	"over", "per", "seven", "shall", "she", "should", "shouldn't", "since", "six", "so",
	"than", "that", "the", "their", "theirs", "them", "themselves", "these", "they", "this",
	"those", "though", "thousand", "thousands", "three", "through", "to", "toward", "towards",
	"two", "under", "unless", "until", "up", "upon", "us", "via", "was", "wasn't", "we",
	"were", "weren't", "what", "when", "where", "whether", "which", "while", "who", "whom",
	"whose", "why", "will", "with", "within", "without", "won't", "would", "wouldn't", "yet",
	"you", "your", "yours", "yourself", "zero",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct frame {
	char **paths;                /* --lexicon FILE, in order */
	size_t npaths;
	const char *bench;           /* --bench-text FILE */
	bool no_extend;              /* --no-extend */
	const struct lex_category **ext; /* [frame] extend_categories found in the lexicons */
	size_t next;
	struct lex lex;
	struct lex_matches m;
};

static struct frame *frame_data(struct stage_ctx *ctx)
{
	if (!ctx->data)
		ctx->data = xcalloc(1, sizeof(struct frame));
	return ctx->data;
}

static int frame_option(struct stage_ctx *ctx, int opt, const char *arg)
{
	struct frame *f = frame_data(ctx);

	switch (opt) {
	case OPT_LEXICON:
		f->paths = xrealloc(f->paths, (f->npaths + 1) * sizeof(*f->paths));
		f->paths[f->npaths++] = xstrdup(arg);
		return 0;
	case OPT_BENCH_TEXT:
		f->bench = arg;
		return 0;
	case OPT_NO_EXTEND:
		f->no_extend = true;
		return 0;
	}
	return error("unknown option");
}

/* ====== Setup ====== */

/* The [frame] lexicon value: space-separated paths, relative to the config file. */
static int load_conf_lexicons(struct frame *f, const struct conf *conf)
{
	const char *v = conf_get(conf, "frame", "lexicon");
	char *list, *tok, *save = NULL;
	int ret = 0, n = 0;

	if (!v || !*v)
		return error("no lexicon: set [frame] lexicon or give --lexicon FILE");
	list = xstrdup(v);
	for (tok = strtok_r(list, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		char *path = tok[0] == '/' || !conf->dir ? xstrdup(tok)
							 : xasprintf("%s/%s", conf->dir, tok);

		if (lex_load(&f->lex, path) < 0)
			ret = -1;
		free(path);
		n++;
	}
	free(list);
	if (!n)
		return error("no lexicon: set [frame] lexicon or give --lexicon FILE");
	return ret;
}

/*
 * The [frame] extend_categories value: the categories whose matches grow over
 * the word they modify. Checked against the loaded lexicons: a name none of
 * them declares is a configuration error when the value was set (in the file
 * or on the command line) for the lexicons of [frame] lexicon. When the key
 * is left at its default, or --lexicon replaces those lexicons, such names
 * are skipped: the set was written for other lexicons.
 */
static int load_extend(struct frame *f, const struct conf *conf)
{
	const char *v = conf_get(conf, "frame", "extend_categories");
	const struct conf_entry *set = NULL;
	char *list, *tok, *save = NULL;
	size_t i;
	int ret = 0;

	if (f->no_extend || !v)
		return 0;
	for (i = 0; i < conf->n; i++)
		if (!strcmp(conf->v[i].section, "frame") &&
		    !strcmp(conf->v[i].key, "extend_categories"))
			set = &conf->v[i];
	list = xstrdup(v);
	for (tok = strtok_r(list, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		const struct lex_category *c = lex_category_find(&f->lex, tok);

		if (!c) {
			if (!set || f->npaths)
				continue;
			if (set->line)
				ret = error("%s:%lu: [frame] extend_categories: no loaded lexicon "
					    "declares category '%s'",
					    conf->path ? conf->path : "config", set->line, tok);
			else
				ret = error("[frame] extend_categories: no loaded lexicon declares "
					    "category '%s'", tok);
			continue;
		}
		for (i = 0; i < f->next && f->ext[i] != c; i++)
			;
		if (i == f->next) {
			f->ext = xrealloc(f->ext, (f->next + 1) * sizeof(*f->ext));
			f->ext[f->next++] = c;
		}
	}
	free(list);
	return ret;
}

/* Matcher alone over raw text, in chunks cut at line ends: 'make bench' times it. */
static int bench_text(struct frame *f, const char *path)
{
	FILE *fp = fopen(path, "rb");
	size_t cap = 1 << 20, have = 0, total = 0, n;
	char *buf = xmalloc(cap);
	unsigned long matches = 0;
	struct timespec t0, t1;
	double sec;

	if (!fp) {
		free(buf);
		return error("cannot open '%s':", path);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		size_t cut;
		long r;

		n = fread(buf + have, 1, cap - have, fp);
		have += n;
		if (!have)
			break;
		cut = have;
		if (n) {
			while (cut > 0 && buf[cut - 1] != '\n')
				cut--;
			if (!cut)
				cut = have;
		}
		r = lex_match(&f->lex, buf, cut, 0, &f->m);
		if (r < 0) {
			fclose(fp);
			free(buf);
			return -1;
		}
		matches += (unsigned long)r;
		total += cut;
		memmove(buf, buf + cut, have - cut);
		have -= cut;
		if (!n && !have)
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (ferror(fp)) {
		fclose(fp);
		free(buf);
		return error("cannot read '%s':", path);
	}
	fclose(fp);
	free(buf);
	sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("bytes %zu matches %lu entries %zu seconds %.3f mb_per_s %.1f\n", total, matches,
	       f->lex.n, sec, sec > 0 ? (double)total / 1e6 / sec : 0.0);
	return 0;
}

static void frame_teardown(struct stage_ctx *ctx)
{
	struct frame *f = ctx->data;
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->npaths; i++)
		free(f->paths[i]);
	free(f->paths);
	free(f->ext);
	lex_release(&f->lex);
	lex_matches_release(&f->m);
	free(f);
	ctx->data = NULL;
}

static int frame_setup(struct stage_ctx *ctx, int argc, char **argv)
{
	struct frame *f = frame_data(ctx);
	size_t i;
	int ret = 0;

	(void)argc;
	(void)argv;
	if (f->npaths) {
		for (i = 0; i < f->npaths; i++)
			if (lex_load(&f->lex, f->paths[i]) < 0)
				ret = -1;
	} else {
		ret = load_conf_lexicons(f, ctx->conf);
	}
	if (!text_table_sorted(function_words, COUNT(function_words)))
		return error("function_words[] is not sorted (a bug)");
	if (ret < 0 || lex_compile(&f->lex) < 0 || load_extend(f, ctx->conf) < 0)
		return -1;
	/* The files, by content, the annotations come from. */
	for (i = 0; i < f->lex.nfiles; i++)
		stage_note_lexicon(ctx, f->lex.files[i].path);
	if (verbose) {
		for (i = 0; i < f->lex.nfiles; i++)
			fprintf(stderr, "%s: lexicon '%s': %zu entries, sha256 %s\n", progname,
				f->lex.files[i].path, f->lex.files[i].entries, f->lex.files[i].hash);
		fprintf(stderr, "%s: extending matches of:", progname);
		for (i = 0; i < f->next; i++)
			fprintf(stderr, " %s", f->ext[i]->name);
		fprintf(stderr, "%s\n", f->next ? "" : " (none)");
	}
	if (f->bench) {
		ret = bench_text(f, f->bench);
		frame_teardown(ctx);
		if (fflush(stdout))
			die("write error:");
		exit(ret < 0 ? SLANT_EXIT_RUNTIME : SLANT_EXIT_OK);
	}
	return 0;
}

/* ====== Voice: from slant-attrib's sentences and speakers ====== */

/* Whether [a, b) holds a ';': it closes the clause an attribution covers. */
static bool semicolon_in(const char *t, size_t a, size_t b)
{
	return a < b && memchr(t + a, ';', b - a) != NULL;
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
	return me <= in->start ? !semicolon_in(text, me, in->start) : !semicolon_in(text, in->end, ms);
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

/* Whether quotation 'q' is a scare quote: short, nobody says it, not opening its sentence. */
static bool scare_quote(const struct doc *d, const struct doc_quote *q)
{
	long si;
	size_t pos, s, e;

	if (quote_speaker(d, q) || q->kind == DOC_PULL || q->words < 1 || q->words > SCARE_MAX_WORDS)
		return false;
	si = doc_sentence_at(d, q->start);
	if (si < 0)
		return false;
	pos = d->sent[si].span.start;
	return text_next_word(d->text, q->start, &pos, &s, &e);
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

/* Whether text[s, e) is a function word or a number (function_words[]). */
static bool function_word(const char *text, size_t s, size_t e)
{
	char fold[32];

	if (text[s] >= '0' && text[s] <= '9')
		return true;
	if (e - s >= sizeof(fold))
		return false;
	return text_in_table(function_words, COUNT(function_words), fold,
			     lex_fold(text + s, e - s, fold));
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
static void add_loaded(json_t *rec, const struct doc *d, const struct lex_match *m, size_t end)
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
	}
	/* The voice is the lexicon term's: decided on the match, not on the word it modifies. */
	ann = rec_annotate(rec, "frame", "loaded", m->start, end);
	json_object_set_new(ann, "entry", json_string(e->term));
	json_object_set_new(ann, "category", json_string(e->category->name));
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

static int frame_record(struct stage_ctx *ctx, json_t *rec)
{
	struct frame *f = ctx->data;
	struct doc *d = stage_doc(ctx);
	size_t i = 0, k = 0, nq;
	char why[256];
	long n;

	if (doc_read(d, rec, why, sizeof(why)) < 0)
		return stage_reject(ctx, rec, "%s", why);
	nq = d->nquote;
	n = lex_match(&f->lex, d->text, d->len, 0, &f->m);
	if (n < 0)
		return stage_reject(ctx, rec, "lexicon matching failed (see above)");
	/*
	 * Append in text order: lexicon matches and scare quotes interleaved by
	 * start. The view is read first: what we append is ours, not attrib's.
	 */
	while (i < f->m.n || k < nq) {
		if (k < nq && !scare_quote(d, &d->quote[k])) {
			k++;
			continue;
		}
		if (i < f->m.n && (k >= nq || f->m.v[i].start <= d->quote[k].start)) {
			add_loaded(rec, d, &f->m.v[i], extended_end(f, d, i));
			i++;
		} else {
			add_scare(rec, &d->quote[k]);
			k++;
		}
	}
	return 0;
}

static const struct option frame_options[] = {
	{ "lexicon", required_argument, NULL, OPT_LEXICON },
	{ "bench-text", required_argument, NULL, OPT_BENCH_TEXT },
	{ "no-extend", no_argument, NULL, OPT_NO_EXTEND },
	{ NULL, 0, NULL, 0 },
};

static const char *const frame_requires[] = { "segment", "attrib", NULL };

const struct stage stage_frame = {
	.name = "frame",
	.summary = "Flag loaded and framing terms from lexicons, with their voice (headline,\n"
		   "quoted, reported, authorial), and short scare quotes.",
	.help = "      --lexicon FILE  match the lexicon FILE (repeatable; replaces [frame]\n"
		"                      lexicon of pipeline.conf)\n"
		"      --no-extend     annotate each match alone, not grown over the word it\n"
		"                      modifies ([frame] extend_categories)\n"
		"      --bench-text FILE  time the matcher alone over the raw text FILE, print\n"
		"                      bytes, matches and MB/s, and exit\n",
	.requires = frame_requires,
	.options = frame_options,
	.option = frame_option,
	.setup = frame_setup,
	.record = frame_record,
	.teardown = frame_teardown,
};
