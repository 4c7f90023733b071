/*
 * affil.c -- slant-affil: who publishes the article, which outlets and
 * organisations it cites, and whom they belong to (docs/affil.md).
 *
 * The logic is lib/affil.c (slant/affil.h); this file is the program
 * around it: --register, the register files from the config, and the
 * record.
 */
#include <stdlib.h>
#include <string.h>

#include "slant/affil.h"
#include "slant/conf.h"
#include "slant/register.h"
#include "slant/stage.h"
#include "slant/usage.h"

enum { OPT_REGISTER = 0x2100 };

struct affil_stage {
	char **paths;                /* --register FILE, in order */
	size_t npaths;
	struct affil af;
};

static struct affil_stage *affil_data(struct stage_ctx *ctx)
{
	if (!ctx->data) {
		struct affil_stage *st = xcalloc(1, sizeof(*st));

		st->af = (struct affil)AFFIL_INIT;
		ctx->data = st;
	}
	return ctx->data;
}

static int affil_option(struct stage_ctx *ctx, int opt, const char *arg)
{
	struct affil_stage *a = affil_data(ctx);

	if (opt != OPT_REGISTER)
		return error("unknown option");
	a->paths = xrealloc(a->paths, (a->npaths + 1) * sizeof(*a->paths));
	a->paths[a->npaths++] = xstrdup(arg);
	return 0;
}

/* ====== Setup ====== */

/* The register files: --register FILE..., else [affil] register, space-separated paths relative to the config file. */
static int load_register(struct stage_ctx *ctx, struct affil_stage *a)
{
	const char *v;
	char *list, *tok, *save = NULL;
	int ret = 0, n = 0;
	size_t i;

	if (a->npaths) {
		for (i = 0; i < a->npaths; i++)
			if (reg_load(&a->af.reg, a->paths[i]) < 0)
				ret = -1;
			else
				stage_note_lexicon(ctx, a->paths[i]);
		return ret < 0 ? -1 : reg_compile(&a->af.reg);
	}
	v = conf_get(ctx->conf, "affil", "register");
	list = xstrdup(v ? v : "");
	for (tok = strtok_r(list, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		char *path = tok[0] == '/' || !ctx->conf->dir
				     ? xstrdup(tok)
				     : xasprintf("%s/%s", ctx->conf->dir, tok);

		if (reg_load(&a->af.reg, path) < 0)
			ret = -1;
		else
			stage_note_lexicon(ctx, path);
		free(path);
		n++;
	}
	free(list);
	if (!n)
		return error("no register: set [affil] register or give --register FILE");
	return ret < 0 ? -1 : reg_compile(&a->af.reg);
}

static int affil_setup(struct stage_ctx *ctx, int argc, char **argv)
{
	struct affil_stage *a = affil_data(ctx);
	char *cues;
	int ret;

	(void)argc;
	(void)argv;
	ret = load_register(ctx, a);
	/* The cues: opinion labels and paths, trailer and photo-credit lines. */
	cues = conf_data_path(ctx->conf, "affil", "cues");
	if (!cues || affil_load_cues(&a->af, cues) < 0)
		ret = -1;
	else
		stage_note_lexicon(ctx, cues);
	free(cues);
	return ret;
}

static void affil_teardown(struct stage_ctx *ctx)
{
	struct affil_stage *a = ctx->data;
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->npaths; i++)
		free(a->paths[i]);
	free(a->paths);
	affil_release(&a->af);
	free(a);
	ctx->data = NULL;
}

static int affil_stage_record(struct stage_ctx *ctx, json_t *rec)
{
	struct affil_stage *st = ctx->data;
	char why[256];

	if (affil_record(&st->af, stage_doc(ctx), rec, why, sizeof(why)) < 0)
		return stage_reject(ctx, rec, "%s", why);
	return 0;
}

static const struct option affil_options[] = {
	{ "register", required_argument, NULL, OPT_REGISTER },
	{ NULL, 0, NULL, 0 },
};

static const char *const affil_requires[] = { "segment", NULL };

const struct stage stage_affil = {
	.name = "affil",
	.summary = "Name the publishing outlet and every outlet or organisation the article\n"
		   "cites, with ownership and affiliation from the register, and whether the\n"
		   "article discloses it.",
	.help = "      --register FILE  use the register FILE (repeatable; replaces [affil]\n"
		"                      register of pipeline.conf)\n",
	.requires = affil_requires,
	.options = affil_options,
	.option = affil_option,
	.setup = affil_setup,
	.record = affil_stage_record,
	.teardown = affil_teardown,
};
