/*
 * report.c -- slant-report: editorial review reports from the database
 * (docs/report.md): terminal text, Markdown, or a static HTML site.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "slant/concord.h"
#include "slant/db.h"
#include "slant/db_views.h"
#include "slant/report.h"
#include "slant/score.h"
#include "slant/stage.h"
#include "slant/usage.h"

enum report_mode { MODE_TEXT, MODE_MARKDOWN, MODE_HTML };

struct report_opts {
	enum report_mode mode;
	char *db;             /* --db, else [pipeline] db */
	char *html_dir;
	bool mode_set;
	bool conflict;        /* two different modes given: reported by setup */
	char *kwic;           /* --kwic TERM: concordance instead of reports */
	bool by_outlet;       /* --sort outlet */
	bool bad_sort;
	bool compare;         /* --compare BEFORE.db AFTER.db */
	long jobs;            /* --jobs N: threads writing article pages (0: one per processor) */
	bool bad_jobs;
};

enum { OPT_TEXT = 0x2100, OPT_MARKDOWN, OPT_HTML, OPT_DB, OPT_KWIC, OPT_SORT, OPT_COMPARE, OPT_JOBS };

static const struct option report_options[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "text", no_argument, NULL, OPT_TEXT },
	{ "markdown", no_argument, NULL, OPT_MARKDOWN },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "kwic", required_argument, NULL, OPT_KWIC },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "compare", no_argument, NULL, OPT_COMPARE },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ 0 },
};

static struct report_opts *opts(struct stage_ctx *ctx)
{
	if (!ctx->data)
		ctx->data = xcalloc(1, sizeof(struct report_opts));
	return ctx->data;
}

static int report_option(struct stage_ctx *ctx, int opt, const char *arg)
{
	struct report_opts *o = opts(ctx);
	enum report_mode m;

	switch (opt) {
	case OPT_DB:
		free(o->db);
		o->db = xstrdup(arg);
		return 0;
	case OPT_KWIC:
		free(o->kwic);
		o->kwic = xstrdup(arg);
		return 0;
	case OPT_SORT:
		o->by_outlet = !strcmp(arg, "outlet");
		o->bad_sort = !o->by_outlet && strcmp(arg, "article");
		return 0;
	case OPT_COMPARE:
		o->compare = true;
		return 0;
	case OPT_JOBS: {
		char *end;

		errno = 0;
		o->jobs = strtol(arg, &end, 10);
		o->bad_jobs = errno || end == arg || *end || o->jobs < 1 || o->jobs > 64;
		return 0;
	}
	case OPT_TEXT:
		m = MODE_TEXT;
		break;
	case OPT_MARKDOWN:
		m = MODE_MARKDOWN;
		break;
	case OPT_HTML:
		free(o->html_dir);
		o->html_dir = xstrdup(arg);
		m = MODE_HTML;
		break;
	default:
		return -1;
	}
	/*
	 * Never fail here: stage_main does not tear down after an option error,
	 * so what was allocated would leak. setup() reports the problem.
	 */
	if (o->mode_set && o->mode != m)
		o->conflict = true;
	o->mode = m;
	o->mode_set = true;
	return 0;
}

static int report_setup(struct stage_ctx *ctx, int argc, char **argv)
{
	struct report_opts *o = opts(ctx);

	(void)argv;
	if (o->bad_sort)
		return error("--sort takes outlet or article");
	if (o->bad_jobs)
		return error("--jobs takes a number from 1 to 64");
	if (o->compare && argc != 2)
		return error("--compare wants two database files: BEFORE.db AFTER.db");
	if (o->compare && o->kwic)
		return error("--compare and --kwic exclude each other");
	if (o->conflict)
		return error("--text, --markdown and --html exclude each other");
	if (o->mode == MODE_HTML && !*o->html_dir)
		return error("--html wants a directory");
	return 0;
}

/*
 * Whether 'path' can be a database: a missing file or a directory is a
 * usage error (exit 2, nothing read), said plainly, not SQLite's "disk I/O
 * error" (exit 3, which means a failure mid-way). A file that is there but
 * not a database is a database failure: SQLite says so (exit 3).
 */
static int check_db_file(const char *path)
{
	struct stat st;

	if (!path || stat(path, &st) < 0)
		return error("no database '%s' (run slant-store first, or give --db PATH)",
			     path ? path : "");
	if (S_ISDIR(st.st_mode))
		return error("'%s' is a directory, not a database file", path);
	return 0;
}

static int report_run(struct stage_ctx *ctx, int argc, char **argv)
{
	struct report_opts *o = opts(ctx);
	struct db db = DB_INIT;
	struct score_conf sc;
	char *path = o->db ? xstrdup(o->db) : xstrdup(conf_get(ctx->conf, "pipeline", "db"));
	char **ids = NULL;
	size_t nids = 0, i;
	int ret = SLANT_EXIT_OK;
	bool colour = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");

	if (o->compare) {
		free(path);
		if (check_db_file(argv[0]) < 0 || check_db_file(argv[1]) < 0)
			return SLANT_EXIT_USAGE;
		return concord_compare(argv[0], argv[1], 0, stdout) < 0 ? SLANT_EXIT_RUNTIME
									 : SLANT_EXIT_OK;
	}
	if (check_db_file(path) < 0) {
		free(path);
		return SLANT_EXIT_USAGE;
	}
	/* Scoring again after review uses [score] of this run's configuration. */
	score_conf_default(&sc);
	if (score_conf_load(&sc, ctx->conf) < 0) {
		free(path);
		return SLANT_EXIT_USAGE;
	}
	if (db_open(&db, path, DB_BUSY_TIMEOUT_MS, DB_READONLY) < 0 || db_views_attach(&db) < 0) {
		db_close(&db);
		free(path);
		return SLANT_EXIT_RUNTIME;
	}
	free(path);
	if (o->kwic) {
		long n = concord_kwic(db.sql, o->kwic, o->by_outlet, 40, stdout);

		if (n >= 0)
			fprintf(stderr, "%s: %ld hit%s of '%s'\n", progname, n, n == 1 ? "" : "s",
				o->kwic);
		db_close(&db);
		return n < 0 ? SLANT_EXIT_RUNTIME : SLANT_EXIT_OK;
	}
	if (o->mode == MODE_HTML) {
		long jobs = o->jobs ? o->jobs : sysconf(_SC_NPROCESSORS_ONLN);
		struct report_site site = { (int)(jobs < 1 ? 1 : jobs > 4 && !o->jobs ? 4 : jobs), &sc };
		long n = report_html_site(&db, o->html_dir, argv, (size_t)argc, &site);

		if (n < 0)
			ret = SLANT_EXIT_RUNTIME;
		else if ((size_t)n < (size_t)argc)
			ret = SLANT_EXIT_REJECTED;
		for (i = 0; n >= 0 && i < (size_t)argc; i++) {
			int err;
			json_t *rec = report_load(&db, argv[i], &err);

			if (!rec && !err)
				error("no article '%s' in the database", argv[i]);
			json_decref(rec);
		}
		/* Say where to start: a folder of 20,000 pages does not. */
		if (n >= 0)
			fprintf(stderr, "%s: wrote %ld article page%s; open %s/index.html\n", progname,
				n, n == 1 ? "" : "s", o->html_dir);
		db_close(&db);
		return ret;
	}
	if (argc) {
		ids = argv;
		nids = (size_t)argc;
	} else if (report_ids(&db, &ids, &nids) < 0) {
		db_close(&db);
		return SLANT_EXIT_RUNTIME;
	}
	for (i = 0; i < nids; i++) {
		int err;
		json_t *rec = report_load(&db, ids[i], &err);

		if (!rec) {
			if (err) {
				ret = SLANT_EXIT_RUNTIME;
				break;
			}
			error("no article '%s' in the database", ids[i]);
			ret = SLANT_EXIT_REJECTED;
			continue;
		}
		if (report_review(&db, rec, &sc) < 0) {
			json_decref(rec);
			ret = SLANT_EXIT_RUNTIME;
			break;
		}
		if (i)
			fputs(o->mode == MODE_MARKDOWN ? "\n---\n\n" : "\n", stdout);
		if (o->mode == MODE_MARKDOWN)
			report_markdown(stdout, rec);
		else
			report_text(stdout, rec, colour);
		json_decref(rec);
	}
	if (!argc)
		report_ids_free(ids, nids);
	db_close(&db);
	return ret;
}

static void report_teardown(struct stage_ctx *ctx)
{
	struct report_opts *o = ctx->data;

	if (!o)
		return;
	free(o->db);
	free(o->html_dir);
	free(o->kwic);
	free(o);
	ctx->data = NULL;
}

const struct stage stage_report = {
	.name = "report",
	.summary = "Print review reports from the database: terminal text (the default),\n"
		   "Markdown, or a static HTML site.",
	.args = "[--text | --markdown | --html DIR] [ARTICLE_ID...]\n"
		"       slant-report [--db PATH] --kwic TERM [--sort outlet|article]\n"
		"       slant-report --compare BEFORE.db AFTER.db",
	.help = "      --db PATH       the database (default: [pipeline] db)\n"
		"      --text          plain text, coloured on a terminal (the default)\n"
		"      --markdown      Markdown, for a review ticket\n"
		"      --html DIR      a static site in DIR: index.html, outlets/, articles/\n"
		"      --jobs N        with --html: N threads write the article pages\n"
		"                      (default: one per processor, at most 4)\n"
		"      --kwic TERM     every hit of a lexicon entry or term in context, with\n"
		"                      outlet, voice and article (docs/evaluation.md)\n"
		"      --sort outlet|article  order of --kwic lines (default article)\n"
		"      --compare BEFORE.db AFTER.db  annotations gone and new between two\n"
		"                      runs' databases, per entry, with their lexicon hashes\n",
	.options = report_options,
	.option = report_option,
	.setup = report_setup,
	.run = report_run,
	.teardown = report_teardown,
	.exit_note = "Exit status 1: an article named is not in the database (the others are shown).\n",
	.standalone = true,
};
