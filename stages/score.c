/*
 * score.c -- slant-score: add the credibility report to each article
 * (docs/scoring.md). Needs slant-segment; uses what slant-frame,
 * slant-attrib and slant-affil added when they ran, and names the ones that
 * did not in the report's "missing" list instead of failing.
 */
#include <stdlib.h>
#include <string.h>

#include "slant/rec.h"
#include "slant/score.h"
#include "slant/stage.h"
#include "slant/usage.h"

enum { OPT_WEIGHT = 0x2000 };

static const struct option score_options[] = {
	{ "weight", required_argument, NULL, OPT_WEIGHT },
	{ 0 },
};

static int score_option(struct stage_ctx *ctx, int opt, const char *arg)
{
	const char *eq;
	char *key;
	size_t i;
	int r;

	if (opt != OPT_WEIGHT)
		return -1;
	/* --weight framing=30 is score.weight_framing = 30 for this run. */
	eq = strchr(arg, '=');
	if (!eq || eq == arg)
		return error("--weight wants COMPONENT=POINTS, got '%s'", arg);
	for (i = 0; i < SCORE_NCOMP; i++)
		if (strlen(score_component_names[i]) == (size_t)(eq - arg) &&
		    !strncmp(score_component_names[i], arg, (size_t)(eq - arg)))
			break;
	if (i == SCORE_NCOMP) {
		char names[256];
		size_t used = 0;

		names[0] = '\0';
		for (i = 0; i < SCORE_NCOMP && used < sizeof(names); i++)
			used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
						 i ? ", " : "", score_component_names[i]);
		return error("--weight: no component '%.*s' (components: %s)", (int)(eq - arg),
			     arg, names);
	}
	key = xasprintf("weight_%.*s", (int)(eq - arg), arg);
	r = conf_set(ctx->conf, "score", key, eq + 1);
	free(key);
	return r;
}

static int score_setup(struct stage_ctx *ctx, int argc, char **argv)
{
	struct score_conf *sc = xmalloc(sizeof(*sc));

	(void)argc;
	(void)argv;
	ctx->data = sc;
	return score_conf_load(sc, ctx->conf);
}

static int score_record(struct stage_ctx *ctx, json_t *rec)
{
	const json_t *missing;
	char why[256];
	json_t *report = score_article(ctx->data, stage_doc(ctx), rec, why, sizeof(why)), *m;
	size_t i;

	if (!report)
		return stage_reject(ctx, rec, "%s", why);
	missing = json_object_get(report, "missing");
	if (verbose > 1)
		json_array_foreach(missing, i, m)
			warning("%s: slant-%s did not run; its components are not applicable",
				rec_str(rec, "id") ? rec_str(rec, "id") : "?", json_string_value(m));
	json_object_set_new(rec, "report", report);
	return 0;
}

static void score_teardown(struct stage_ctx *ctx)
{
	free(ctx->data);
	ctx->data = NULL;
}

static const char *const score_requires[] = { "segment", NULL };

const struct stage stage_score = {
	.name = "score",
	.summary = "Add a credibility report (components, points, evidence, score, band)\n"
		   "to each article.",
	.help = "      --weight NAME=N points for component NAME (framing, headline,\n"
		"                      attribution, sources, transparency, verbs)\n",
	.requires = score_requires,
	.options = score_options,
	.option = score_option,
	.setup = score_setup,
	.record = score_record,
	.rerun = true,
	.teardown = score_teardown,
};
