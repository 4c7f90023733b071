/*
 * eval.c -- slant-eval: score slant's annotations against gold annotations
 * made by others, per label and per lexicon entry (docs/evaluation.md).
 *
 * Gold comes from a PTC folder or BRAT standoff files (lib/gold.c). The
 * texts go through the chain (slant-segment and the stages the mapping
 * names, found next to this program), or a stream made earlier is read with
 * --stream. Gold spans are carried into each record's text through an
 * alignment, so a stream made by slant-ingest (which normalises white space)
 * scores like one made from the raw files.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "slant/chain.h"
#include "slant/concord.h"
#include "slant/gold.h"
#include "slant/lex.h"
#include "slant/line.h"
#include "slant/rec.h"
#include "slant/registry.h"
#include "slant/stage.h"
#include "slant/text.h"
#include "slant/usage.h"

#define KWIC_WIDTH 40   /* bytes of context either side of a hit */
#define MISSED_WIDTH 60 /* bytes of a missed gold span shown */

enum {
	OPT_MAP = 0x2400, OPT_FORMAT, OPT_SPLIT, OPT_STREAM, OPT_INGEST, OPT_LEXICON, OPT_TSV,
	OPT_JSON, OPT_BASELINE, OPT_DECISIONS, OPT_TOP, OPT_EXAMPLES, OPT_STAGES,
};

static const struct option eval_options[] = {
	{ "map", required_argument, NULL, OPT_MAP },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "split", required_argument, NULL, OPT_SPLIT },
	{ "stream", required_argument, NULL, OPT_STREAM },
	{ "ingest", no_argument, NULL, OPT_INGEST },
	{ "lexicon", required_argument, NULL, OPT_LEXICON },
	{ "stages", required_argument, NULL, OPT_STAGES },
	{ "tsv", required_argument, NULL, OPT_TSV },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "decisions", required_argument, NULL, OPT_DECISIONS },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "examples", required_argument, NULL, OPT_EXAMPLES },
	{ 0 },
};

/* Used without --map: what slant's stages claim to find in each corpus. */
static const char ptc_map[] =
	"Loaded_Language\tframe/loaded\n"
	"Name_Calling,Labeling\tframe/loaded\n";
static const char brat_map[] =
	"Source\tattrib/attributed,vague,anonymous,speaker@source,speaker\n"
	"Cue\tattrib/attributed,vague,anonymous@cue\n"
	"Content\tattrib/attributed,vague,anonymous\n";

/* ====== State ====== */

struct span {
	size_t start, end;      /* bytes of the record's text */
	size_t unit;
	long entry;             /* index in entries, or -1 (preds) */
	const char *label;      /* gold label (gold spans) */
	bool hit;               /* pred: overlaps gold of its unit; gold: overlapped by a pred */
	bool exact;
};

struct doc {
	struct gold_doc *gd;
	char *text;             /* the record's text (NULL: no record came back) */
	size_t len;
	struct span *gold, *pred;
	size_t ngold, npred, capgold, cappred;
};

struct example {
	size_t doc, start, end;
};

struct entry {
	char *lexicon, *term;   /* "framing.tsv", "regime" */
	unsigned long line;
	size_t unit;
	unsigned long hits, tp, fp;
	struct example *ex;     /* false positives to show */
	size_t nex;
	long accepted, rejected; /* editors' decisions (-1: none read) */
};

struct count {
	char *text;
	unsigned long n;
};

struct prf {
	unsigned long tp_p, npred, tp_r, ngold; /* right preds, preds, found golds, golds */
};

struct unit_score {
	struct prf exact, overlap, token;
	unsigned long *gold_by_label, *found_by_label; /* per gold label of the unit */
	struct count *missed;
	size_t nmissed, capmissed;
};

struct eval {
	char *map_path, *split, *stream, *tsv, *json, *baseline, *decisions, *stages;
	char **lexicons;
	size_t nlex;
	enum gold_format format;
	bool ingest;
	long top, examples;
	struct gold_set gold;
	struct gold_map map;
	struct doc *docs;
	size_t ndocs;
	struct entry *entries;
	size_t nentries, capentries;
	struct unit_score *units;
	unsigned long unaligned_spans, unmatched_chars, no_record, error_records;
};

static struct eval *ev(struct stage_ctx *ctx)
{
	if (!ctx->data) {
		struct eval *e = xcalloc(1, sizeof(*e));

		e->top = 10;
		e->examples = 3;
		ctx->data = e;
	}
	return ctx->data;
}

static void set_str(char **p, const char *v)
{
	free(*p);
	*p = xstrdup(v);
}

static int parse_count(const char *arg, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 0 || v > 1000000)
		return error("'%s' is not a count", arg);
	*out = v;
	return 0;
}

static int eval_option(struct stage_ctx *ctx, int opt, const char *arg)
{
	struct eval *e = ev(ctx);

	switch (opt) {
	case OPT_MAP: set_str(&e->map_path, arg); return 0;
	case OPT_SPLIT:
		if (strcmp(arg, "all") && strcmp(arg, "odd") && strcmp(arg, "even"))
			return error("--split takes odd, even or all, not '%s'", arg);
		set_str(&e->split, arg);
		return 0;
	case OPT_FORMAT:
		if (!strcmp(arg, "ptc"))
			e->format = GOLD_PTC;
		else if (!strcmp(arg, "brat"))
			e->format = GOLD_BRAT;
		else
			return error("--format takes ptc or brat, not '%s'", arg);
		return 0;
	case OPT_STREAM: set_str(&e->stream, arg); return 0;
	case OPT_INGEST: e->ingest = true; return 0;
	case OPT_STAGES: set_str(&e->stages, arg); return 0;
	case OPT_LEXICON:
		e->lexicons = xrealloc(e->lexicons, (e->nlex + 1) * sizeof(*e->lexicons));
		e->lexicons[e->nlex++] = xstrdup(arg);
		return 0;
	case OPT_TSV: set_str(&e->tsv, arg); return 0;
	case OPT_JSON: set_str(&e->json, arg); return 0;
	case OPT_BASELINE: set_str(&e->baseline, arg); return 0;
	case OPT_DECISIONS: set_str(&e->decisions, arg); return 0;
	case OPT_TOP: return parse_count(arg, &e->top);
	case OPT_EXAMPLES: return parse_count(arg, &e->examples);
	}
	return -1;
}

/* ====== Running the chain ====== */

/*
 * The chain after the records are made: --stages, or segment and the
 * stages the mapping names, with what they need, in the order of
 * [pipeline] stages. With --ingest, slant-ingest first. Returns 0 or -1
 * (reported).
 */
static int build_chain(struct stage_ctx *ctx, struct eval *e, struct chain *ch)
{
	const char **want;
	char *list;
	size_t n = 0, i;
	int r;

	if (e->stages) {
		ch->from_stream = !e->ingest;
		list = xasprintf("%s%s", e->ingest ? "ingest " : "", e->stages);
		r = chain_build(ch, stage_registry, ctx->conf, list);
		free(list);
		return r;
	}
	if (chain_build(ch, stage_registry, ctx->conf, NULL) < 0)
		return -1;
	ch->from_stream = !e->ingest;
	want = xcalloc(e->map.n + 2, sizeof(*want));
	want[n++] = "segment";
	if (e->ingest)
		want[n++] = "ingest";
	for (i = 0; i < e->map.n; i++)
		want[n++] = e->map.v[i].stage;
	r = chain_keep(ch, want, n);
	free(want);
	return r;
}

/* Write the gold texts to 'in' as records, as if from slant-ingest. Returns 0 or -1. */
static int write_records(struct eval *e, FILE *in)
{
	size_t i;

	for (i = 0; i < e->ndocs; i++) {
		struct gold_doc *gd = e->docs[i].gd;
		char *id = xasprintf("gold-%zu", i), *nl = memchr(gd->text, '\n', gd->len);
		json_t *rec = rec_new(id);
		int r;

		json_object_set_new(rec, "source", json_pack("{s:s, s:s}", "path", gd->path,
							     "type", "text"));
		json_object_set_new(rec, "title", json_stringn(gd->text, nl ? (size_t)(nl -
							   gd->text) : gd->len));
		json_object_set_new(rec, "text", json_stringn(gd->text, gd->len));
		json_object_set_new(rec, "stages", json_pack("[s]", "ingest"));
		r = rec_write(in, rec);
		json_decref(rec);
		free(id);
		if (r < 0)
			return error("cannot write a temporary file: %s", strerror(errno));
	}
	if (fflush(in) || fseek(in, 0, SEEK_SET))
		return error("cannot write a temporary file: %s", strerror(errno));
	return 0;
}

/*
 * Make the records (or have slant-ingest make them), run the chain as
 * programs, and return the output stream as a temporary file positioned at
 * its start.
 */
static FILE *run_chain(struct stage_ctx *ctx, struct eval *e)
{
	struct chain ch = CHAIN_INIT;
	char **paths = xcalloc(e->ndocs, sizeof(*paths));
	FILE *in = tmpfile(), *out = tmpfile();
	size_t i;
	int rc = -1;

	for (i = 0; i < e->ndocs; i++)
		paths[i] = e->docs[i].gd->path;
	ch.config = ctx->conf->path;
	ch.paths = paths;
	ch.npaths = (int)e->ndocs;
	if (!in || !out)
		error("cannot make a temporary file: %s", strerror(errno));
	else if ((e->ingest || write_records(e, in) == 0) && build_chain(ctx, e, &ch) == 0 &&
		 chain_find_programs(&ch) == 0)
		rc = 0;
	for (i = 0; i < e->nlex; i++) {
		chain_add_arg(&ch, "frame", "--lexicon");
		chain_add_arg(&ch, "frame", e->lexicons[i]);
	}
	if (rc == 0 && verbose) {
		fprintf(stderr, "%s: chain:", progname);
		for (i = 0; i < ch.n; i++)
			fprintf(stderr, "%s %s%s", i ? " |" : "", ch.v[i].prog,
				ch.v[i].nargs || chain_is_source(ch.v[i].st) ? " ..." : "");
		fputc('\n', stderr);
	}
	if (rc == 0) {
		ch.in = e->ingest ? -1 : fileno(in);
		ch.out = fileno(out);
		rc = chain_run_pipes(&ch);
	}
	if (rc == 1)
		warning("the chain rejected some records (see above); they count as finding nothing");
	if (rc == 0 || rc == 1) {
		if (fseek(out, 0, SEEK_SET) == 0)
			rc = 0;
		else
			rc = error("cannot read a temporary file: %s", strerror(errno));
	}
	chain_release(&ch);
	free(paths);
	if (in)
		fclose(in);
	if (rc && out) {
		fclose(out);
		out = NULL;
	}
	return out;
}

/* ====== Reading the stream ====== */

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* The document a record stands for: by our id, else by its source file's name. */
static struct doc *doc_for(struct eval *e, const json_t *rec)
{
	const char *id = rec_str(rec, "id"), *path;
	const json_t *src = json_object_get(rec, "source");
	size_t i;

	if (id && !strncmp(id, "gold-", 5)) {
		char *end;
		unsigned long k = strtoul(id + 5, &end, 10);

		if (!*end && k < e->ndocs && !e->docs[k].text)
			return &e->docs[k];
	}
	path = src ? json_string_value(json_object_get(src, "path")) : NULL;
	if (!path)
		return NULL;
	for (i = 0; i < e->ndocs; i++)
		if (!e->docs[i].text && (!strcmp(e->docs[i].gd->path, path) ||
					  !strcmp(base_name(e->docs[i].gd->path), base_name(path))))
			return &e->docs[i];
	return NULL;
}

/* Whether 'rec' stands for a gold document left out by --split (by its source file name). */
static bool in_other_split(const struct eval *e, const json_t *rec)
{
	const json_t *src = json_object_get(rec, "source");
	const char *path = src ? json_string_value(json_object_get(src, "path")) : NULL;
	size_t i;

	for (i = 0; path && e->split && i < e->gold.n; i++)
		if (!gold_in_split(&e->gold.docs[i], i, e->split) &&
		    !strcmp(base_name(e->gold.docs[i].path), base_name(path)))
			return true;
	return false;
}

static long entry_find(struct eval *e, const char *lexicon, const char *term, unsigned long line,
		       size_t unit)
{
	size_t i;
	struct entry *en;

	for (i = e->nentries; i-- > 0;)
		if (e->entries[i].unit == unit && !strcmp(e->entries[i].term, term) &&
		    !strcmp(e->entries[i].lexicon, lexicon))
			return (long)i;
	xgrow(&e->entries, &e->capentries, e->nentries + 1, sizeof(*e->entries));
	en = &e->entries[e->nentries];
	memset(en, 0, sizeof(*en));
	en->lexicon = xstrdup(lexicon);
	en->term = xstrdup(term);
	en->line = line;
	en->unit = unit;
	en->accepted = en->rejected = -1;
	return (long)e->nentries++;
}

/* The span of annotation 'a' for target 't': 0, or -1 when it has none. */
static int target_span(const struct gold_target *t, const json_t *a, size_t len, size_t *s,
		       size_t *en)
{
	size_t i;

	if (!t->nfields) {
		*s = ann_offset(a, "start", SIZE_MAX);
		*en = ann_offset(a, "end", SIZE_MAX);
	} else {
		for (i = 0; i < t->nfields; i++) {
			char k1[80], k2[80];

			snprintf(k1, sizeof(k1), "%s_start", t->fields[i]);
			snprintf(k2, sizeof(k2), "%s_end", t->fields[i]);
			*s = ann_offset(a, k1, SIZE_MAX);
			*en = ann_offset(a, k2, SIZE_MAX);
			if (*s != SIZE_MAX && *en != SIZE_MAX)
				break;
		}
	}
	return *s == SIZE_MAX || *en == SIZE_MAX || *s >= *en || *en > len ? -1 : 0;
}

static void add_span(struct span **v, size_t *n, size_t *cap, struct span sp)
{
	size_t i;

	/* The same span twice (an attribution carried over) counts once. */
	for (i = 0; i < *n; i++)
		if ((*v)[i].unit == sp.unit && (*v)[i].start == sp.start && (*v)[i].end == sp.end)
			return;
	xgrow(v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = sp;
}

/* Take the predictions and the aligned gold spans of one record. */
static int take_record(struct eval *e, struct doc *d, const json_t *rec)
{
	size_t len, i, k, *map = NULL, lost = 0;
	const char *text = rec_text(rec, &len);
	json_t *anns = json_object_get(rec, "annotations"), *a;

	if (!text)
		return -1;
	d->text = xstrndup(text, len);
	d->len = len;
	json_array_foreach(anns, i, a) {
		const char *stage = json_string_value(json_object_get(a, "stage"));
		const char *label = json_string_value(json_object_get(a, "label"));
		const char *cat = json_string_value(json_object_get(a, "category"));
		const char *term = json_string_value(json_object_get(a, "entry"));
		const char *lexicon = json_string_value(json_object_get(a, "lexicon"));

		for (k = 0; k < e->map.n; k++) {
			const struct gold_target *t = &e->map.v[k];
			struct span sp = { .unit = k, .entry = -1 };

			if (!gold_target_matches(t, stage, label, cat) ||
			    target_span(t, a, len, &sp.start, &sp.end) < 0)
				continue;
			if (term)
				sp.entry = entry_find(e, lexicon ? lexicon : stage, term,
						      (unsigned long)json_integer_value(
							      json_object_get(a, "lexicon_line")), k);
			add_span(&d->pred, &d->npred, &d->cappred, sp);
		}
	}
	if (len != d->gd->len || memcmp(text, d->gd->text, len)) {
		map = gold_align(d->gd->text, d->gd->len, text, len, &lost);
		e->unmatched_chars += lost;
	}
	for (i = 0; i < d->gd->n; i++) {
		const struct gold_span *g = &d->gd->spans[i];
		long u = gold_map_unit(&e->map, g->label);
		struct span sp = { .entry = -1, .label = g->label };

		if (u < 0)
			continue;
		sp.unit = (size_t)u;
		if (!map) {
			sp.start = g->start;
			sp.end = g->end;
		} else if (gold_map_span(map, d->gd->text, g->start, g->end, text, len, &sp.start,
					 &sp.end) < 0) {
			e->unaligned_spans++;
			continue;
		}
		if (sp.start == sp.end)
			continue;
		xgrow(&d->gold, &d->capgold, d->ngold + 1, sizeof(*d->gold));
		d->gold[d->ngold++] = sp;
	}
	free(map);
	return 0;
}

static int read_stream(struct eval *e, FILE *fp, const char *name)
{
	struct line_reader lr;
	int r;
	unsigned long strays = 0, outside = 0;

	line_reader_init(&lr, fp, name, REC_MAX_LINE);
	while ((r = line_read(&lr)) > 0) {
		char why[200];
		json_t *rec;
		struct doc *d;

		if (!lr.len)
			continue;
		rec = rec_parse(lr.buf, lr.len, why, sizeof(why));
		if (!rec) {
			error_at(name, lr.lineno, "%s", why);
			e->error_records++;
			continue;
		}
		if (rec_is_error(rec)) {
			e->error_records++;
			json_decref(rec);
			continue;
		}
		d = doc_for(e, rec);
		if (!d && in_other_split(e, rec))
			outside++;
		else if (!d)
			strays++;
		else if (take_record(e, d, rec) < 0)
			e->error_records++;
		json_decref(rec);
	}
	line_reader_release(&lr);
	if (r < 0)
		return error("cannot read '%s': %s", name, strerror(errno));
	if (strays)
		warning("%lu record%s of '%s' match no gold document (by id or source file name)",
			strays, strays == 1 ? "" : "s", name);
	if (outside && verbose)
		fprintf(stderr, "%s: %lu record%s of '%s' belong to documents outside split '%s'\n",
			progname, outside, outside == 1 ? "" : "s", name, e->split);
	return 0;
}

/* ====== Scoring ====== */

static bool overlap(const struct span *a, const struct span *b)
{
	return a->start < b->end && b->start < a->end;
}

static void count_missed(struct unit_score *us, const char *text, const struct span *g)
{
	char buf[MISSED_WIDTH + 8];
	size_t i, o = 0, end = g->end;
	bool space = false;

	if (end - g->start > MISSED_WIDTH)
		end = text_prev(text, g->start + MISSED_WIDTH + 1);
	for (i = g->start; i < end && o < MISSED_WIDTH; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			space = o > 0;
			continue;
		}
		if (space)
			buf[o++] = ' ';
		space = false;
		buf[o++] = (char)(c < 0x80 && c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	buf[o] = '\0';
	for (i = 0; i < us->nmissed; i++)
		if (!strcmp(us->missed[i].text, buf)) {
			us->missed[i].n++;
			return;
		}
	xgrow(&us->missed, &us->capmissed, us->nmissed + 1, sizeof(*us->missed));
	us->missed[us->nmissed].text = xstrdup(buf);
	us->missed[us->nmissed++].n = 1;
}

static void keep_example(struct eval *e, struct entry *en, size_t doc, const struct span *p)
{
	if ((long)en->nex >= e->examples)
		return;
	en->ex = xrealloc(en->ex, (en->nex + 1) * sizeof(*en->ex));
	en->ex[en->nex++] = (struct example){ doc, p->start, p->end };
}

/* Words of the record text covered by pred and gold spans of unit 'u'. */
static void score_tokens(struct doc *d, size_t u, struct prf *t)
{
	unsigned char *pm = xcalloc(d->len + 1, 1), *gm = xcalloc(d->len + 1, 1);
	size_t i, k, pos = 0, ws, we;

	for (i = 0; i < d->npred; i++)
		if (d->pred[i].unit == u)
			memset(pm + d->pred[i].start, 1, d->pred[i].end - d->pred[i].start);
	for (i = 0; i < d->ngold; i++)
		if (d->gold[i].unit == u)
			memset(gm + d->gold[i].start, 1, d->gold[i].end - d->gold[i].start);
	while (lex_next_word(d->text, d->len, &pos, &ws, &we)) {
		bool p = false, g = false;

		for (k = ws; k < we; k++) {
			p |= pm[k];
			g |= gm[k];
		}
		t->npred += p;
		t->ngold += g;
		t->tp_p += p && g;
		t->tp_r += p && g;
	}
	free(pm);
	free(gm);
}

static void score(struct eval *e)
{
	size_t di, i, k, u;

	e->units = xcalloc(e->map.n, sizeof(*e->units));
	for (u = 0; u < e->map.n; u++) {
		e->units[u].gold_by_label = xcalloc(e->map.v[u].ngold, sizeof(unsigned long));
		e->units[u].found_by_label = xcalloc(e->map.v[u].ngold, sizeof(unsigned long));
	}
	for (di = 0; di < e->ndocs; di++) {
		struct doc *d = &e->docs[di];

		if (!d->text)
			continue;
		for (i = 0; i < d->npred; i++) {
			struct span *p = &d->pred[i];
			struct unit_score *us = &e->units[p->unit];

			for (k = 0; k < d->ngold; k++) {
				struct span *g = &d->gold[k];

				if (g->unit != p->unit || !overlap(p, g))
					continue;
				p->hit = g->hit = true;
				if (p->start == g->start && p->end == g->end)
					p->exact = g->exact = true;
			}
			us->overlap.npred++;
			us->exact.npred++;
			us->overlap.tp_p += p->hit;
			us->exact.tp_p += p->exact;
			if (p->entry >= 0) {
				struct entry *en = &e->entries[p->entry];

				en->hits++;
				if (p->hit)
					en->tp++;
				else {
					en->fp++;
					keep_example(e, en, di, p);
				}
			}
		}
		for (k = 0; k < d->ngold; k++) {
			struct span *g = &d->gold[k];
			struct unit_score *us = &e->units[g->unit];
			const struct gold_target *t = &e->map.v[g->unit];

			us->overlap.ngold++;
			us->exact.ngold++;
			us->overlap.tp_r += g->hit;
			us->exact.tp_r += g->exact;
			for (i = 0; i < t->ngold; i++)
				if (!strcmp(t->gold[i], g->label)) {
					us->gold_by_label[i]++;
					us->found_by_label[i] += g->hit;
				}
			if (!g->hit)
				count_missed(us, d->text, g);
		}
		for (u = 0; u < e->map.n; u++)
			score_tokens(d, u, &e->units[u].token);
	}
}

static double ratio(unsigned long a, unsigned long b)
{
	return b ? (double)a / (double)b : 0.0;
}

static void prf_values(const struct prf *x, double *p, double *r, double *f)
{
	*p = ratio(x->tp_p, x->npred);
	*r = ratio(x->tp_r, x->ngold);
	*f = *p + *r > 0 ? 2 * *p * *r / (*p + *r) : 0.0;
}

/* ====== Editors' decisions ====== */

static int read_decisions(struct eval *e)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *uri = xasprintf("file:%s?mode=ro", e->decisions);
	int rc, ret = 0;
	unsigned long nrows = 0;

	if (access(e->decisions, R_OK) < 0) {
		free(uri);
		return error("cannot open database '%s': %s", e->decisions, strerror(errno));
	}
	rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		ret = error("cannot open database '%s': %s", e->decisions, sqlite3_errmsg(db));
		goto out;
	}
	rc = sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = "
				"'decisions'", -1, &st, NULL);
	if (rc != SQLITE_OK) {
		ret = error("'%s': %s", e->decisions, sqlite3_errmsg(db));
		goto out;
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_ROW) {
		fprintf(stderr, "%s: '%s' has no decisions table (no review decisions imported); "
			"editor figures skipped\n", progname, e->decisions);
		goto out;
	}
	rc = sqlite3_prepare_v2(db, "SELECT COALESCE(lexicon, stage), entry, "
				"sum(decision = 'accept'), sum(decision = 'reject') FROM decisions "
				"WHERE entry != '' GROUP BY 1, 2", -1, &st, NULL);
	if (rc != SQLITE_OK) {
		ret = error("'%s': %s", e->decisions, sqlite3_errmsg(db));
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *lx = (const char *)sqlite3_column_text(st, 0);
		const char *term = (const char *)sqlite3_column_text(st, 1);
		size_t i;
		bool found = false;

		nrows++;
		for (i = 0; lx && term && i < e->nentries; i++) {
			struct entry *en = &e->entries[i];

			if (strcmp(en->term, term) || strcmp(en->lexicon, lx))
				continue;
			en->accepted = sqlite3_column_int64(st, 2);
			en->rejected = sqlite3_column_int64(st, 3);
			found = true;
		}
		/* An entry editors judged but the gold texts never hit: list it too. */
		if (!found && lx && term && e->map.n) {
			long k = entry_find(e, lx, term, 0, 0);

			e->entries[k].accepted = sqlite3_column_int64(st, 2);
			e->entries[k].rejected = sqlite3_column_int64(st, 3);
		}
	}
	if (rc != SQLITE_DONE)
		ret = error("'%s': %s", e->decisions, sqlite3_errmsg(db));
	if (verbose)
		fprintf(stderr, "%s: %lu decided entries read from '%s'\n", progname, nrows,
			e->decisions);
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ret;
}

/* ====== Output ====== */

static void kwic_line(FILE *out, const struct doc *d, size_t s, size_t en)
{
	fprintf(out, "      %-12s ", d->gd->name);
	kwic_put(out, d->text, d->len, s, en, KWIC_WIDTH);
	fputc('\n', out);
}

static int cmp_worst(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;

	if (x->fp != y->fp)
		return x->fp < y->fp ? 1 : -1;
	if (x->tp != y->tp)
		return x->tp < y->tp ? -1 : 1;
	return strcmp(x->term, y->term);
}

static int cmp_missed(const void *a, const void *b)
{
	const struct count *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->text, y->text);
}

static void print_prf(FILE *out, const struct prf *x)
{
	double p, r, f;

	prf_values(x, &p, &r, &f);
	fprintf(out, "  %.3f %.3f %.3f", p, r, f);
}

static void print_entry_row(FILE *out, const struct entry *en)
{
	fprintf(out, "    %-34.34s %-14.14s %5lu %5lu %5lu  %.2f", en->term, en->lexicon, en->hits,
		en->tp, en->fp, ratio(en->tp, en->hits));
	if (en->accepted >= 0)
		fprintf(out, "   editors %ld/%ld  %.2f", en->accepted, en->accepted + en->rejected,
			ratio((unsigned long)en->accepted,
			      (unsigned long)(en->accepted + en->rejected)));
	fputc('\n', out);
}

static void print_report(FILE *out, struct eval *e, const char *gold_path, size_t nall)
{
	size_t u, i, ndone = 0;
	struct entry **sorted = xmalloc((e->nentries + 1) * sizeof(*sorted));

	for (i = 0; i < e->ndocs; i++)
		ndone += e->docs[i].text != NULL;
	fprintf(out, "slant-eval: %s gold '%s': %zu of %zu documents (split %s), %zu scored\n",
		e->gold.format == GOLD_PTC ? "PTC" : "BRAT", gold_path, e->ndocs, nall,
		e->split ? e->split : "all", ndone);
	if (e->no_record || e->unaligned_spans || e->error_records)
		fprintf(out, "  %lu documents without a record, %lu error records, %lu gold spans "
			"that could not be aligned\n", e->no_record, e->error_records,
			e->unaligned_spans);
	fprintf(out, "\n  %-40s %6s %6s   %-17s   %-17s   %-17s\n", "unit (gold labels)", "gold",
		"pred", "exact P R F1", "overlap P R F1", "token P R F1");
	for (u = 0; u < e->map.n; u++) {
		struct unit_score *us = &e->units[u];

		fprintf(out, "  %-40s %6lu %6lu ", e->map.v[u].name, us->overlap.ngold,
			us->overlap.npred);
		print_prf(out, &us->exact);
		print_prf(out, &us->overlap);
		print_prf(out, &us->token);
		fputc('\n', out);
		for (i = 0; i < e->map.v[u].ngold; i++)
			fprintf(out, "    %-38s %6lu         found %.3f\n", e->map.v[u].gold[i],
				us->gold_by_label[i], ratio(us->found_by_label[i],
							    us->gold_by_label[i]));
	}
	for (u = 0; u < e->map.n; u++) {
		struct unit_score *us = &e->units[u];
		size_t n = 0, shown;

		for (i = 0; i < e->nentries; i++)
			if (e->entries[i].unit == u && e->entries[i].hits)
				sorted[n++] = &e->entries[i];
		if (n) {
			qsort(sorted, n, sizeof(*sorted), cmp_worst);
			fprintf(out, "\n%s: %zu entries hit; the worst %ld (most false positives "
				"first), with false positives in context:\n", e->map.v[u].name, n,
				e->top < (long)n ? e->top : (long)n);
			fprintf(out, "    %-34s %-14s %5s %5s %5s  %s\n", "entry", "lexicon", "hits",
				"tp", "fp", "prec");
			for (i = 0; i < n && (long)i < e->top; i++) {
				size_t k;

				print_entry_row(out, sorted[i]);
				for (k = 0; k < sorted[i]->nex; k++)
					kwic_line(out, &e->docs[sorted[i]->ex[k].doc],
						  sorted[i]->ex[k].start, sorted[i]->ex[k].end);
			}
		}
		if (us->nmissed)
			qsort(us->missed, us->nmissed, sizeof(*us->missed), cmp_missed);
		shown = us->nmissed < (size_t)e->top * 2 ? us->nmissed : (size_t)e->top * 2;
		if (shown)
			fprintf(out, "\n%s: gold spans nothing caught (%lu), most frequent first:\n",
				e->map.v[u].name, us->overlap.ngold - us->overlap.tp_r);
		for (i = 0; i < shown; i++)
			fprintf(out, "    %4lu  %s\n", us->missed[i].n, us->missed[i].text);
	}
	/* Editors' verdicts beside the gold figures. */
	{
		size_t n = 0;

		for (i = 0; i < e->nentries; i++)
			if (e->entries[i].accepted >= 0)
				sorted[n++] = &e->entries[i];
		if (n) {
			qsort(sorted, n, sizeof(*sorted), cmp_worst);
			fprintf(out, "\neditors' decisions (%s) beside the gold figures:\n",
				e->decisions);
			fprintf(out, "    %-34s %-14s %5s %5s %5s  %s\n", "entry", "lexicon", "hits",
				"tp", "fp", "prec");
			for (i = 0; i < n; i++)
				print_entry_row(out, sorted[i]);
		}
	}
	free(sorted);
}

static json_t *prf_json(const struct prf *x)
{
	double p, r, f;

	prf_values(x, &p, &r, &f);
	return json_pack("{s:I, s:I, s:I, s:I, s:f, s:f, s:f}", "pred_right", (json_int_t)x->tp_p,
			 "pred", (json_int_t)x->npred, "gold_found", (json_int_t)x->tp_r, "gold",
			 (json_int_t)x->ngold, "precision", p, "recall", r, "f1", f);
}

static json_t *to_json(struct eval *e, const char *gold_path)
{
	json_t *root = json_object(), *units = json_array(), *entries = json_array();
	size_t u, i;

	json_object_set_new(root, "gold", json_string(gold_path));
	json_object_set_new(root, "format", json_string(e->gold.format == GOLD_PTC ? "ptc"
								: "brat"));
	json_object_set_new(root, "split", json_string(e->split ? e->split : "all"));
	json_object_set_new(root, "documents", json_integer((json_int_t)e->ndocs));
	for (u = 0; u < e->map.n; u++) {
		struct unit_score *us = &e->units[u];
		json_t *j = json_object(), *missed = json_array(), *labels = json_object();

		json_object_set_new(j, "name", json_string(e->map.v[u].name));
		json_object_set_new(j, "exact", prf_json(&us->exact));
		json_object_set_new(j, "overlap", prf_json(&us->overlap));
		json_object_set_new(j, "token", prf_json(&us->token));
		for (i = 0; i < e->map.v[u].ngold; i++)
			json_object_set_new(labels, e->map.v[u].gold[i],
					    json_pack("{s:I, s:I}", "gold",
						      (json_int_t)us->gold_by_label[i], "found",
						      (json_int_t)us->found_by_label[i]));
		json_object_set_new(j, "gold_labels", labels);
		for (i = 0; i < us->nmissed; i++)
			json_array_append_new(missed, json_pack("{s:s, s:I}", "text",
								us->missed[i].text, "count",
								(json_int_t)us->missed[i].n));
		json_object_set_new(j, "missed", missed);
		json_array_append_new(units, j);
	}
	for (i = 0; i < e->nentries; i++) {
		struct entry *en = &e->entries[i];
		json_t *j = json_pack("{s:s, s:s, s:I, s:s, s:I, s:I, s:I, s:f}", "entry", en->term,
				      "lexicon", en->lexicon, "line", (json_int_t)en->line, "unit",
				      e->map.v[en->unit].name, "hits", (json_int_t)en->hits, "tp",
				      (json_int_t)en->tp, "fp", (json_int_t)en->fp, "precision",
				      ratio(en->tp, en->hits));

		if (en->accepted >= 0) {
			json_object_set_new(j, "accepted", json_integer(en->accepted));
			json_object_set_new(j, "rejected", json_integer(en->rejected));
		}
		json_array_append_new(entries, j);
	}
	json_object_set_new(root, "units", units);
	json_object_set_new(root, "entries", entries);
	return root;
}

static int write_tsv(struct eval *e, const char *path)
{
	FILE *fp = fopen(path, "w");
	size_t u, i;
	static const char *const kinds[] = { "exact", "overlap", "token" };

	if (!fp)
		return error("cannot write '%s': %s", path, strerror(errno));
	fputs("kind\tunit\tentry\tlexicon\tline\tpred\ttp\tfp\tgold\tgold_found\tprecision\t"
	      "recall\tf1\taccepted\trejected\n", fp);
	for (u = 0; u < e->map.n; u++) {
		const struct prf *x[3] = { &e->units[u].exact, &e->units[u].overlap,
					   &e->units[u].token };

		for (i = 0; i < 3; i++) {
			double p, r, f;

			prf_values(x[i], &p, &r, &f);
			fprintf(fp, "%s\t%s\t-\t-\t-\t%lu\t%lu\t%lu\t%lu\t%lu\t%.4f\t%.4f\t%.4f\t-\t-\n",
				kinds[i], e->map.v[u].name, x[i]->npred, x[i]->tp_p,
				x[i]->npred - x[i]->tp_p, x[i]->ngold, x[i]->tp_r, p, r, f);
		}
	}
	for (i = 0; i < e->nentries; i++) {
		struct entry *en = &e->entries[i];

		fprintf(fp, "entry\t%s\t%s\t%s\t%lu\t%lu\t%lu\t%lu\t-\t-\t%.4f\t-\t-\t", e->map.v[en->unit].name,
			en->term, en->lexicon, en->line, en->hits, en->tp, en->fp,
			ratio(en->tp, en->hits));
		if (en->accepted >= 0)
			fprintf(fp, "%ld\t%ld\n", en->accepted, en->rejected);
		else
			fputs("-\t-\n", fp);
	}
	if (fclose(fp))
		return error("cannot write '%s': %s", path, strerror(errno));
	return 0;
}

/* ====== Against a baseline ====== */

static const char *jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static double jnum(const json_t *o, const char *k1, const char *k2)
{
	return json_number_value(json_object_get(json_object_get(o, k1), k2));
}

/* The entry of 'list' (a --json "entries" array) for entry 't' of unit 'u', or NULL. */
static json_t *same_entry(json_t *list, const char *t, const char *u)
{
	size_t k;
	json_t *y;

	json_array_foreach(list, k, y)
		if (!strcmp(t, jstr(y, "entry")) && !strcmp(u, jstr(y, "unit")))
			return y;
	return NULL;
}

/* An entry whose figures changed against the baseline. */
struct delta {
	double key;                   /* change in tp - fp, ties broken by the size of the change */
	const char *term, *lexicon;   /* borrowed from the JSON */
	json_int_t tp, fp, otp, ofp;  /* now, and in the baseline */
	bool gone;                    /* in the baseline only */
};

static int cmp_delta(const void *a, const void *b)
{
	const struct delta *x = a, *y = b;

	return fabs(x->key) < fabs(y->key) ? 1 : fabs(x->key) > fabs(y->key) ? -1 : 0;
}

static int print_baseline(FILE *out, struct eval *e, json_t *now)
{
	json_error_t jerr;
	json_t *old = json_load_file(e->baseline, 0, &jerr), *ou = NULL, *nu, *oe, *ne;
	size_t i, k, nd = 0;
	struct delta *deltas;
	static const char *const kinds[] = { "exact", "overlap", "token" };

	if (!old)
		return error("cannot read baseline '%s': %s (line %d)", e->baseline, jerr.text,
			     jerr.line);
	if (!json_is_array(json_object_get(old, "units"))) {
		json_decref(old);
		return error("'%s' is not a slant-eval --json file", e->baseline);
	}
	fprintf(out, "\nagainst the baseline '%s' (%lld documents, split %s):\n", e->baseline,
		(long long)json_integer_value(json_object_get(old, "documents")), jstr(old, "split"));
	if (strcmp(jstr(old, "split"), jstr(now, "split")) || strcmp(jstr(old, "gold"), jstr(now, "gold")) ||
	    json_integer_value(json_object_get(old, "documents")) !=
		    json_integer_value(json_object_get(now, "documents")))
		fprintf(out, "  note: the baseline scored other documents (gold '%s', split %s): the "
			"differences mix corpus and lexicon changes\n", jstr(old, "gold"),
			jstr(old, "split"));
	json_array_foreach(json_object_get(now, "units"), i, nu) {
		const char *name = json_string_value(json_object_get(nu, "name"));

		json_array_foreach(json_object_get(old, "units"), k, ou)
			if (!strcmp(name, jstr(ou, "name")))
				break;
		if (k == json_array_size(json_object_get(old, "units"))) {
			fprintf(out, "  %s: not in the baseline\n", name);
			continue;
		}
		for (k = 0; k < 3; k++)
			fprintf(out, "  %-32s %-8s P %.3f -> %.3f (%+.3f)  R %.3f -> %.3f (%+.3f)  "
				"F1 %.3f -> %.3f (%+.3f)\n", name, kinds[k],
				jnum(ou, kinds[k], "precision"), jnum(nu, kinds[k], "precision"),
				jnum(nu, kinds[k], "precision") - jnum(ou, kinds[k], "precision"),
				jnum(ou, kinds[k], "recall"), jnum(nu, kinds[k], "recall"),
				jnum(nu, kinds[k], "recall") - jnum(ou, kinds[k], "recall"),
				jnum(ou, kinds[k], "f1"), jnum(nu, kinds[k], "f1"),
				jnum(nu, kinds[k], "f1") - jnum(ou, kinds[k], "f1"));
	}
	/*
	 * Entries whose true or false positives changed, largest change first.
	 * An entry is known by its term and unit, not its file, so a renamed
	 * lexicon compares (terms are unique across loaded files).
	 */
	oe = json_object_get(old, "entries");
	ne = json_object_get(now, "entries");
	deltas = xmalloc((json_array_size(oe) + json_array_size(ne) + 1) * sizeof(*deltas));
	for (int pass = 0; pass < 2; pass++) {
		json_t *a = pass ? oe : ne, *b = pass ? ne : oe, *x, *y;

		json_array_foreach(a, i, x) {
			const char *t = json_string_value(json_object_get(x, "entry"));
			const char *l = json_string_value(json_object_get(x, "lexicon"));
			const char *u = json_string_value(json_object_get(x, "unit"));
			json_int_t tp = json_integer_value(json_object_get(x, "tp"));
			json_int_t fp = json_integer_value(json_object_get(x, "fp"));
			json_int_t otp = 0, ofp = 0;

			if (!t || !l || !u)
				continue;
			y = same_entry(b, t, u);
			if (y) {
				otp = json_integer_value(json_object_get(y, "tp"));
				ofp = json_integer_value(json_object_get(y, "fp"));
			}
			if (pass && y)
				continue;       /* seen from the new side */
			if (pass) {
				otp = tp;
				ofp = fp;
				tp = fp = 0;
			}
			if (tp == otp && fp == ofp)
				continue;
			deltas[nd++] = (struct delta){
				.key = (double)((tp - otp) - (fp - ofp)) +
				       (double)(labs((long)(tp - otp)) + labs((long)(fp - ofp))) * 1e-3,
				.term = t, .lexicon = l, .tp = tp, .fp = fp, .otp = otp, .ofp = ofp,
				.gone = pass,
			};
		}
	}
	if (nd)
		qsort(deltas, nd, sizeof(*deltas), cmp_delta);
	if (nd)
		fprintf(out, "  entries that changed (%zu), largest change first:\n", nd);
	for (i = 0; i < nd && (long)i < e->top * 2; i++) {
		const struct delta *d = &deltas[i];

		fprintf(out, "    %-34.34s %-14.14s tp %3lld -> %3lld  fp %3lld -> %3lld%s\n", d->term,
			d->lexicon, (long long)d->otp, (long long)d->tp, (long long)d->ofp,
			(long long)d->fp, d->gone ? "  (gone)" : (!d->otp && !d->ofp) ? "  (new)" : "");
	}
	free(deltas);
	json_decref(old);
	return 0;
}

/* ====== The program ====== */

static int eval_setup(struct stage_ctx *ctx, int argc, char **argv)
{
	struct eval *e = ev(ctx);

	(void)argv;
	/* Options may come after the gold set too (.permute): what is left are operands. */
	if (argc != 1)
		return error("give exactly one gold set (a PTC folder, a BRAT .ann file or folder)");
	if (e->stream && (e->ingest || e->nlex || e->stages))
		return error("--stream reads a finished stream: --ingest, --lexicon and --stages "
			     "do not apply");
	return 0;
}

static int eval_run(struct stage_ctx *ctx, int argc, char **argv)
{
	struct eval *e = ev(ctx);
	const char *gold_path = argv[0];
	FILE *stream = NULL;
	json_t *j = NULL;
	size_t i;
	long n;
	int ret = SLANT_EXIT_OK;

	(void)argc;
	n = gold_read(&e->gold, gold_path, e->format);
	if (n < 0)
		return SLANT_EXIT_USAGE;
	if (!n) {
		error("'%s': no gold documents", gold_path);
		return SLANT_EXIT_USAGE;
	}
	if (e->map_path ? gold_map_load(&e->map, e->map_path) < 0
			: gold_map_parse(&e->map, e->gold.format == GOLD_PTC ? "(built-in PTC map)"
									      : "(built-in BRAT map)",
					 e->gold.format == GOLD_PTC ? ptc_map : brat_map,
					 strlen(e->gold.format == GOLD_PTC ? ptc_map : brat_map)) < 0)
		return SLANT_EXIT_USAGE;
	e->docs = xcalloc(e->gold.n, sizeof(*e->docs));
	for (i = 0; i < e->gold.n; i++)
		if (gold_in_split(&e->gold.docs[i], i, e->split))
			e->docs[e->ndocs++].gd = &e->gold.docs[i];
	if (!e->ndocs) {
		error("'%s': no documents in split '%s'", gold_path, e->split);
		return SLANT_EXIT_USAGE;
	}
	if (e->stream) {
		stream = strcmp(e->stream, "-") ? fopen(e->stream, "r") : stdin;
		if (!stream) {
			error("cannot open '%s': %s", e->stream, strerror(errno));
			return SLANT_EXIT_USAGE;
		}
	} else if (!(stream = run_chain(ctx, e))) {
		return SLANT_EXIT_RUNTIME;
	}
	if (read_stream(e, stream, e->stream ? e->stream : "(chain output)") < 0)
		ret = SLANT_EXIT_RUNTIME;
	if (stream != stdin)
		fclose(stream);
	if (ret)
		return ret;
	for (i = 0; i < e->ndocs; i++)
		e->no_record += !e->docs[i].text;
	if (e->no_record)
		warning("%lu gold document%s had no record in the stream; their gold spans are "
			"not scored", e->no_record, e->no_record == 1 ? "" : "s");
	if (e->unaligned_spans)
		warning("%lu gold span%s could not be aligned with the record text (%lu "
			"characters unmatched) and are not scored", e->unaligned_spans,
			e->unaligned_spans == 1 ? "" : "s", e->unmatched_chars);
	if (e->decisions && read_decisions(e) < 0)
		return SLANT_EXIT_USAGE;
	score(e);
	print_report(stdout, e, gold_path, e->gold.n);
	j = to_json(e, gold_path);
	if (e->baseline && print_baseline(stdout, e, j) < 0)
		ret = SLANT_EXIT_USAGE;
	if (e->json && json_dump_file(j, e->json, JSON_INDENT(1) | JSON_SORT_KEYS) < 0) {
		error("cannot write '%s': %s", e->json, strerror(errno));
		ret = SLANT_EXIT_RUNTIME;
	}
	if (e->tsv && write_tsv(e, e->tsv) < 0)
		ret = SLANT_EXIT_RUNTIME;
	json_decref(j);
	return ret;
}

static void eval_teardown(struct stage_ctx *ctx)
{
	struct eval *e = ctx->data;
	size_t i, u;

	if (!e)
		return;
	for (i = 0; i < e->ndocs; i++) {
		free(e->docs[i].text);
		free(e->docs[i].gold);
		free(e->docs[i].pred);
	}
	free(e->docs);
	for (i = 0; i < e->nentries; i++) {
		free(e->entries[i].lexicon);
		free(e->entries[i].term);
		free(e->entries[i].ex);
	}
	free(e->entries);
	for (u = 0; e->units && u < e->map.n; u++) {
		for (i = 0; i < e->units[u].nmissed; i++)
			free(e->units[u].missed[i].text);
		free(e->units[u].missed);
		free(e->units[u].gold_by_label);
		free(e->units[u].found_by_label);
	}
	free(e->units);
	gold_map_release(&e->map);
	gold_set_release(&e->gold);
	for (i = 0; i < e->nlex; i++)
		free(e->lexicons[i]);
	free(e->lexicons);
	free(e->map_path);
	free(e->split);
	free(e->stream);
	free(e->tsv);
	free(e->json);
	free(e->baseline);
	free(e->decisions);
	free(e->stages);
	free(e);
	ctx->data = NULL;
}

const struct stage stage_eval = {
	.name = "eval",
	.summary = "Score slant's annotations against gold annotations (PTC or BRAT): P/R/F1\n"
		   "per label, exact, overlap and token-overlap, and per lexicon entry.",
	.args = "GOLD",
	.help = "      --map FILE      gold label -> slant STAGE/LABEL[/CATEGORY][@FIELD] mapping\n"
		"                      (default: PTC loaded language -> frame/loaded; BRAT\n"
		"                      Source, Cue, Content -> attrib)\n"
		"      --format ptc|brat  the gold format (default: told from GOLD)\n"
		"      --split odd|even|all  PTC article ids (or BRAT files in order) to score\n"
		"      --stream FILE   score this stream ('-': stdin) instead of running the\n"
		"                      chain\n"
		"      --ingest        make the records with slant-ingest (default: the raw text)\n"
		"      --stages LIST   the chain after ingest (default: segment and the stages\n"
		"                      the mapping names)\n"
		"      --lexicon FILE  pass to slant-frame (repeatable)\n"
		"      --tsv FILE      write per-unit and per-entry figures as TSV\n"
		"      --json FILE     write everything as JSON (for --baseline)\n"
		"      --baseline FILE print the change against an earlier --json file\n"
		"      --decisions DB  editors' accept/reject decisions per entry from DB\n"
		"      --top N         worst entries and missed spans to list (default 10)\n"
		"      --examples N    false positives shown per entry (default 3)\n",
	.options = eval_options,
	.option = eval_option,
	.setup = eval_setup,
	.run = eval_run,
	.teardown = eval_teardown,
	.standalone = true,
	.permute = true,
};
