/*
 * attrib.c -- slant-attrib: which assertions stand on named sources.
 *
 * After slant-segment: one label per sentence (attributed, vague, anonymous,
 * unattributed, none), a 'hedge' annotation per hedge word and a 'speaker'
 * annotation per quotation whose speaker is found (docs/attrib.md). The
 * work is in lib/attrib.c; this file is the program around it.
 */
#include <stdlib.h>

#include "slant/attrib.h"
#include "slant/rec.h"
#include "slant/stage.h"
#include "slant/usage.h"

static const char *const attrib_requires[] = { "segment", NULL };
/* Before 0.2 frame ran first and decided voice without attrib's speakers. */
static const char *const attrib_precedes[] = { "frame", NULL };

static const struct option attrib_options[] = {
	{ "reporting-verbs", required_argument, NULL, 'r' },
	{ "weasel", required_argument, NULL, 'w' },
	{ "hedges", required_argument, NULL, 'H' },
	{ NULL, 0, NULL, 0 },
};

static int attrib_option(struct stage_ctx *ctx, int opt, const char *arg)
{
	switch (opt) {
	case 'r':
		return conf_set(ctx->conf, "attrib", "reporting_verbs", arg);
	case 'w':
		return conf_set(ctx->conf, "attrib", "weasel", arg);
	case 'H':
		return conf_set(ctx->conf, "attrib", "hedges", arg);
	}
	return -1;
}

/* A lexicon path from the config; a relative default not found here is looked for where data is installed. */
static int attrib_setup(struct stage_ctx *ctx, int argc, char **argv)
{
	struct attrib *a = xmalloc(sizeof(*a));
	char *verbs = conf_data_path(ctx->conf, "attrib", "reporting_verbs");
	char *weasel = conf_data_path(ctx->conf, "attrib", "weasel");
	char *hedges = conf_data_path(ctx->conf, "attrib", "hedges");
	char *boiler = conf_data_path(ctx->conf, "attrib", "boilerplate");
	int r;

	(void)argc;
	(void)argv;
	*a = (struct attrib)ATTRIB_INIT;
	ctx->data = a;
	r = attrib_load(a, verbs, weasel, hedges, boiler);
	if (r == 0) {
		stage_note_lexicon(ctx, verbs);
		stage_note_lexicon(ctx, weasel);
		stage_note_lexicon(ctx, hedges);
		stage_note_lexicon(ctx, boiler);
	}
	free(verbs);
	free(weasel);
	free(hedges);
	free(boiler);
	return r;
}

static int attrib_stage_record(struct stage_ctx *ctx, json_t *rec)
{
	char why[256];

	if (attrib_record(ctx->data, stage_doc(ctx), rec, why, sizeof(why)) < 0)
		return stage_reject(ctx, rec, "%s", why);
	return 0;
}

static void attrib_teardown(struct stage_ctx *ctx)
{
	if (ctx->data) {
		attrib_release(ctx->data);
		free(ctx->data);
		ctx->data = NULL;
	}
}

const struct stage stage_attrib = {
	.name = "attrib",
	.summary = "Label each sentence by how its claim is sourced; mark hedges and\n"
		   "quotation speakers.",
	.help = "  -r, --reporting-verbs FILE\n"
		"                      reporting verbs lexicon ([attrib] reporting_verbs)\n"
		"  -w, --weasel FILE   vague and anonymous sources lexicon ([attrib] weasel)\n"
		"  -H, --hedges FILE   hedges lexicon ([attrib] hedges)\n",
	.requires = attrib_requires,
	.precedes = attrib_precedes,
	.options = attrib_options,
	.shortopts = "r:w:H:",
	.option = attrib_option,
	.setup = attrib_setup,
	.record = attrib_stage_record,
	.teardown = attrib_teardown,
};
