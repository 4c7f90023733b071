/*
 * segment.c -- slant-segment: headline, paragraph, sentence and quotation
 * spans over a record's 'text' (docs/segment.md, docs/stream.md).
 *
 * The segmenter is lib/segment.c (slant/segment.h); this file is the
 * program around it: --max-quote, the reporting verbs it reads for pull
 * quotes, and the record.
 */
#include <stdlib.h>
#include <string.h>

#include "slant/conf.h"
#include "slant/lex.h"
#include "slant/rec.h"
#include "slant/segment.h"
#include "slant/stage.h"
#include "slant/usage.h"

enum { OPT_MAX_QUOTE = 0x2000 };

struct segment_stage {
	struct lex verbs;             /* [attrib] reporting_verbs: what closes a pull quote */
	struct segmenter *sg;
};

static int segment_record(struct stage_ctx *ctx, json_t *rec)
{
	struct segment_stage *seg = ctx->data;
	const char *s;
	size_t n = 0;

	/* Segmenting twice would append every span again: a second pass changes nothing. */
	if (rec_has_stage(rec, "segment"))
		return 0;
	s = rec_text(rec, &n);
	if (!s)
		return stage_reject(ctx, rec, "record has no 'text' string");
	segment_text(seg->sg, s, n);
	segment_emit(seg->sg, rec);
	return 0;
}

/* ====== Options and set-up ====== */

static const struct option segment_options[] = {
	{ "max-quote", required_argument, NULL, OPT_MAX_QUOTE },
	{ NULL, 0, NULL, 0 },
};

static int segment_option(struct stage_ctx *ctx, int opt, const char *arg)
{
	if (opt != OPT_MAX_QUOTE)
		return -1;
	return conf_set(ctx->conf, "segment", "max_quote", arg);
}

static int segment_setup(struct stage_ctx *ctx, int argc, char **argv)
{
	struct segment_stage *st;
	char *path;
	double max;
	int r;

	(void)argc;
	(void)argv;
	if (conf_double(ctx->conf, "segment", "max_quote", &max) < 0)
		return -1;
	if (!(max >= 1 && max <= 1e15) || max != (double)(size_t)max)
		return error("segment.max_quote must be a whole number of bytes >= 1, not '%s'",
			     conf_get(ctx->conf, "segment", "max_quote"));
	st = xcalloc(1, sizeof(*st));
	st->verbs = (struct lex)LEX_INIT;
	st->sg = segment_new((size_t)max, &st->verbs);
	ctx->data = st;
	/* attrib's reporting verbs: one list of them, read by the two stages that need it. */
	path = conf_data_path(ctx->conf, "attrib", "reporting_verbs");
	r = path ? lex_load(&st->verbs, path) : -1;
	if (r == 0)
		r = lex_compile(&st->verbs);
	if (r == 0)
		stage_note_lexicon(ctx, path);
	free(path);
	return r;
}

static void segment_teardown(struct stage_ctx *ctx)
{
	struct segment_stage *st = ctx->data;

	if (!st)
		return;
	segment_free(st->sg);
	lex_release(&st->verbs);
	free(st);
	ctx->data = NULL;
}

const struct stage stage_segment = {
	.name = "segment",
	.summary = "Add headline, paragraph, sentence and quotation spans (byte offsets\n"
		   "into 'text') to each record (docs/segment.md).",
	.help = "      --max-quote BYTES\n"
		"                      drop quotations longer than BYTES, marks included\n"
		"                      (default: segment.max_quote in pipeline.conf, 4000)\n",
	.options = segment_options,
	.option = segment_option,
	.setup = segment_setup,
	.record = segment_record,
	.rerun = true,
	.teardown = segment_teardown,
};
