/*
 * frame.c -- slant-frame: flag loaded and framing terms from lexicons, and
 * say whose words they are (docs/frame.md).
 *
 * One record in, the same record plus one "loaded" annotation per lexicon
 * match and one "scare_quote" annotation per short quoted phrase used at a
 * distance. The matching, extension and voice are lib/frame.c
 * (slant/frame.h); this file is the program around it: options, the
 * lexicons named by the config, --bench-text and the record.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "slant/conf.h"
#include "slant/frame.h"
#include "slant/lex.h"
#include "slant/stage.h"
#include "slant/usage.h"

enum { OPT_LEXICON = 0x2000, OPT_BENCH_TEXT, OPT_NO_EXTEND };

struct frame_stage {
	char **paths;                /* --lexicon FILE, in order */
	size_t npaths;
	const char *bench;           /* --bench-text FILE */
	bool no_extend;              /* --no-extend */
	struct frame f;
};

static struct frame_stage *frame_data(struct stage_ctx *ctx)
{
	if (!ctx->data) {
		struct frame_stage *st = xcalloc(1, sizeof(*st));

		st->f = (struct frame)FRAME_INIT;
		ctx->data = st;
	}
	return ctx->data;
}

static int frame_option(struct stage_ctx *ctx, int opt, const char *arg)
{
	struct frame_stage *f = frame_data(ctx);

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
static int load_conf_lexicons(struct frame_stage *f, const struct conf *conf)
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

		if (lex_load(&f->f.lex, path) < 0)
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
static int load_extend(struct frame_stage *f, const struct conf *conf)
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
		const struct lex_category *c = lex_category_find(&f->f.lex, tok);

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
		frame_extend(&f->f, c);
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
	struct frame_stage *f = ctx->data;
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->npaths; i++)
		free(f->paths[i]);
	free(f->paths);
	frame_release(&f->f);
	free(f);
	ctx->data = NULL;
}

static int frame_setup(struct stage_ctx *ctx, int argc, char **argv)
{
	struct frame_stage *st = frame_data(ctx);
	struct frame *f = &st->f;
	char *cues;
	size_t i;
	int ret = 0;

	(void)argc;
	(void)argv;
	if (st->npaths) {
		for (i = 0; i < st->npaths; i++)
			if (lex_load(&f->lex, st->paths[i]) < 0)
				ret = -1;
	} else {
		ret = load_conf_lexicons(st, ctx->conf);
	}
	if (ret < 0 || lex_compile(&f->lex) < 0 || load_extend(st, ctx->conf) < 0)
		return -1;
	cues = conf_data_path(ctx->conf, "frame", "quote_cues");
	ret = cues ? frame_load_quote_cues(f, cues) : -1;
	if (ret == 0)
		stage_note_lexicon(ctx, cues);
	free(cues);
	if (ret < 0)
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
	if (st->bench) {
		ret = bench_text(f, st->bench);
		frame_teardown(ctx);
		if (fflush(stdout))
			die("write error:");
		exit(ret < 0 ? SLANT_EXIT_RUNTIME : SLANT_EXIT_OK);
	}
	return 0;
}

static int frame_stage_record(struct stage_ctx *ctx, json_t *rec)
{
	struct frame_stage *st = ctx->data;
	char why[256];

	if (frame_record(&st->f, stage_doc(ctx), rec, why, sizeof(why)) < 0)
		return stage_reject(ctx, rec, "%s", why);
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
	.record = frame_stage_record,
	.teardown = frame_teardown,
};

