/*
 * report.c -- slant-report: editorial review reports from the database
 * (docs/report.md): terminal text, Markdown, or a static HTML site.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <sys/stat.h>

#include "slant/concord.h"
#include "slant/db.h"
#include "slant/db_views.h"
#include "slant/jsonio.h"
#include "slant/report.h"
#include "slant/score.h"
#include "slant/stage.h"
#include "slant/usage.h"

enum report_mode { MODE_TEXT, MODE_MARKDOWN, MODE_HTML, MODE_JSON };

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
	char *kinds;          /* --kind LIST */
	double min_weight;    /* --min-weight W */
	bool bad_weight;
	char **articles;      /* --article ID, each */
	size_t narticles, cap_articles;
	char *outlet;         /* --outlet NAME */
	bool no_pager;
	char *categories;     /* --categories tsv|csv */
	char *keyness, *reference; /* --keyness GROUP --reference GROUP */
	long window;          /* --window N: --kwic context either side, bytes (0: 40) */
	bool bad_window;
};

enum {
	OPT_TEXT = 0x2100, OPT_MARKDOWN, OPT_HTML, OPT_DB, OPT_KWIC, OPT_SORT, OPT_COMPARE, OPT_JOBS,
	OPT_JSON, OPT_KIND, OPT_MIN_WEIGHT, OPT_ARTICLE, OPT_OUTLET, OPT_NO_PAGER, OPT_CATEGORIES,
	OPT_KEYNESS, OPT_REFERENCE, OPT_WINDOW
};

static const struct option report_options[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "text", no_argument, NULL, OPT_TEXT },
	{ "markdown", no_argument, NULL, OPT_MARKDOWN },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "kwic", required_argument, NULL, OPT_KWIC },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "compare", no_argument, NULL, OPT_COMPARE },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "min-weight", required_argument, NULL, OPT_MIN_WEIGHT },
	{ "article", required_argument, NULL, OPT_ARTICLE },
	{ "outlet", required_argument, NULL, OPT_OUTLET },
	{ "no-pager", no_argument, NULL, OPT_NO_PAGER },
	{ "categories", required_argument, NULL, OPT_CATEGORIES },
	{ "keyness", required_argument, NULL, OPT_KEYNESS },
	{ "reference", required_argument, NULL, OPT_REFERENCE },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ 0 },
};

static struct report_opts *opts(struct stage_ctx *ctx)
{
	if (!ctx->data)
		ctx->data = xcalloc(1, sizeof(struct report_opts));
	return ctx->data;
}

/* A whole decimal number in [lo, hi] into *v; false when arg is not one. */
static bool parse_long(const char *arg, long lo, long hi, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(arg, &end, 10);
	return !errno && end != arg && !*end && *v >= lo && *v <= hi;
}

/* The last of a repeated option wins. */
static void set_str(char **dst, const char *arg)
{
	free(*dst);
	*dst = xstrdup(arg);
}

static int report_option(struct stage_ctx *ctx, int opt, const char *arg)
{
	struct report_opts *o = opts(ctx);
	enum report_mode m;

	switch (opt) {
	case OPT_DB:
		set_str(&o->db, arg);
		return 0;
	case OPT_KWIC:
		set_str(&o->kwic, arg);
		return 0;
	case OPT_SORT:
		o->by_outlet = !strcmp(arg, "outlet");
		o->bad_sort = !o->by_outlet && strcmp(arg, "article");
		return 0;
	case OPT_COMPARE:
		o->compare = true;
		return 0;
	case OPT_JOBS:
		o->bad_jobs = !parse_long(arg, 1, 64, &o->jobs);
		return 0;
	case OPT_KIND:
		set_str(&o->kinds, arg);
		return 0;
	case OPT_MIN_WEIGHT: {
		char *end;

		errno = 0;
		o->min_weight = strtod(arg, &end);
		o->bad_weight = errno || end == arg || *end || !(o->min_weight >= 0);
		return 0;
	}
	case OPT_ARTICLE:
		xgrow(&o->articles, &o->cap_articles, o->narticles + 1, sizeof(*o->articles));
		o->articles[o->narticles++] = xstrdup(arg);
		return 0;
	case OPT_OUTLET:
		set_str(&o->outlet, arg);
		return 0;
	case OPT_NO_PAGER:
		o->no_pager = true;
		return 0;
	case OPT_CATEGORIES:
		set_str(&o->categories, arg);
		return 0;
	case OPT_KEYNESS:
		set_str(&o->keyness, arg);
		return 0;
	case OPT_WINDOW:
		o->bad_window = !parse_long(arg, 1, 1000, &o->window);
		return 0;
	case OPT_REFERENCE:
		set_str(&o->reference, arg);
		return 0;
	case OPT_JSON:
		m = MODE_JSON;
		break;
	case OPT_TEXT:
		m = MODE_TEXT;
		break;
	case OPT_MARKDOWN:
		m = MODE_MARKDOWN;
		break;
	case OPT_HTML:
		set_str(&o->html_dir, arg);
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
	if (o->categories && strcmp(o->categories, "tsv") && strcmp(o->categories, "csv"))
		return error("--categories takes tsv or csv");
	if (!o->keyness != !o->reference)
		return error("--keyness GROUP goes with --reference GROUP");
	if ((o->categories || o->keyness) && (o->mode_set || o->kwic || o->compare || argc))
		return error("--categories and --keyness are tables of the whole database: no other mode, no ids");
	if (o->bad_window)
		return error("--window takes a number from 1 to 1000");
	if (o->bad_weight)
		return error("--min-weight takes a number, 0 or more");
	if (o->kinds) {
		const char *p = o->kinds;

		/* Each kind named must be one the reports know. */
		while (*p) {
			size_t w = strcspn(p, ","), k;

			for (k = 0; report_kinds[k]; k++)
				if (strlen(report_kinds[k]) == w && !strncmp(report_kinds[k], p, w))
					break;
			if (!report_kinds[k])
				return error("--kind: no kind '%.*s' (kinds: loaded, scare, verb, hedge, "
					     "attributed, vague, anonymous, unattributed, quote, outlet, "
					     "unknown, other)", (int)w, p);
			p += w + (p[w] == ',');
		}
	}
	if ((o->kinds || o->min_weight > 0) && o->mode != MODE_TEXT && o->mode != MODE_JSON)
		return error("--kind and --min-weight go with the text report or --json");
	if (o->compare && argc != 2)
		return error("--compare wants two database files: BEFORE.db AFTER.db");
	if (o->compare && o->kwic)
		return error("--compare and --kwic exclude each other");
	if (o->conflict)
		return error("--text, --markdown, --html and --json exclude each other");
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

/*
 * The articles to report: the ids given (operands and --article), else every
 * article lowest score first; with --outlet only that publisher's. A copy
 * the caller frees with report_ids_free(). Returns 0, 1 for an outlet the
 * database does not know, or -1 (both reported).
 */
static int select_ids(struct db *db, const struct report_opts *o, int argc, char **argv,
		      char ***ids, size_t *n)
{
	size_t i, k = 0, cap = 0;
	sqlite3_stmt *in_outlet;

	*ids = NULL;
	*n = 0;
	if (!argc && !o->narticles) {
		if (report_ids(db, ids, n) < 0)
			return -1;
	} else {
		for (i = 0; i < (size_t)argc + o->narticles; i++) {
			xgrow(ids, &cap, *n + 1, sizeof(**ids));
			(*ids)[(*n)++] = xstrdup(i < (size_t)argc ? argv[i] : o->articles[i - (size_t)argc]);
		}
	}
	if (!o->outlet)
		return 0;
	/* One statement for every article (all of them when none are named). */
	if (sqlite3_prepare_v2(db->sql, "SELECT 1 FROM article_publisher WHERE article_id = ?1"
			       " AND publisher = ?2", -1, &in_outlet, NULL) != SQLITE_OK)
		return error("database '%s': %s", db->path, sqlite3_errmsg(db->sql));
	sqlite3_bind_text(in_outlet, 2, o->outlet, -1, SQLITE_STATIC);
	for (i = 0; i < *n; i++) {
		bool in;

		sqlite3_bind_text(in_outlet, 1, (*ids)[i], -1, SQLITE_STATIC);
		in = sqlite3_step(in_outlet) == SQLITE_ROW;
		sqlite3_reset(in_outlet);
		if (in)
			(*ids)[k++] = (*ids)[i];
		else
			free((*ids)[i]);
	}
	sqlite3_finalize(in_outlet);
	*n = k;
	if (!k) {
		/* An outlet the database does not know is a mistake to say, not an empty report. */
		sqlite3_stmt *st;
		bool known;

		if (sqlite3_prepare_v2(db->sql, "SELECT 1 FROM article_publisher WHERE publisher = ?1"
				       " LIMIT 1", -1, &st, NULL) != SQLITE_OK)
			return error("database '%s': %s", db->path, sqlite3_errmsg(db->sql));
		sqlite3_bind_text(st, 1, o->outlet, -1, SQLITE_STATIC);
		known = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		if (!known) {
			error("no outlet '%s' in the database '%s'", o->outlet, db->path);
			return 1;
		}
	}
	return 0;
}

/* The terminal's width: the window's, else $COLUMNS, else 80. */
static size_t term_width(void)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	if (c && atoi(c) >= 20)
		return (size_t)atoi(c);
	return 80;
}

/*
 * On a terminal the text report goes through a pager, as git log's does:
 * $PAGER, else less (with LESS=FRX unless set: quit if one screen, keep
 * colours, leave the screen as it is). NULL: write to stdout.
 */
static FILE *open_pager(void)
{
	const char *pager = getenv("PAGER");
	FILE *p;

	if (!isatty(STDOUT_FILENO))
		return NULL;
	if (!pager)
		pager = "less";
	if (!*pager || !strcmp(pager, "cat"))
		return NULL;
	setenv("LESS", "FRX", 0);
	fflush(stdout);
	p = popen(pager, "w");
	if (p)
		signal(SIGPIPE, SIG_IGN);
	return p;
}

/* Text (summary first), Markdown or JSON Lines of the articles 'ids'. Returns an exit status. */
static int write_reports(struct db *db, const struct report_opts *o, const struct score_conf *sc,
			 char **ids, size_t nids)
{
	struct report_text_opts to = { false, term_width(), o->kinds, o->min_weight };
	struct report_summary sum = { 0 };
	FILE *pager = NULL, *out = stdout;
	size_t i, pass;
	int ret = SLANT_EXIT_OK, err;

	/* The summary needs every article first: a first pass when there is more than one. */
	for (pass = o->mode == MODE_TEXT && nids > 1 ? 0 : 1; pass < 2; pass++) {
		if (pass == 1 && o->mode == MODE_TEXT) {
			if (!o->no_pager && (pager = open_pager()))
				out = pager;
			to.colour = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
			if (sum.articles)
				report_summary_print(out, &sum, &to);
		}
		for (i = 0; i < nids; i++) {
			json_t *rec = report_load(db, ids[i], &err);

			if (!rec) {
				if (err) {
					ret = SLANT_EXIT_RUNTIME;
					break;
				}
				if (pass == 1) {
					error("no article '%s' in the database", ids[i]);
					ret = SLANT_EXIT_REJECTED;
				}
				continue;
			}
			if (report_review(db, rec, sc) < 0) {
				json_decref(rec);
				ret = SLANT_EXIT_RUNTIME;
				break;
			}
			if (pass == 0) {
				report_summary_add(&sum, rec, &to);
			} else if (o->mode == MODE_JSON) {
				json_t *j = report_json(rec, &to);

				json_dumpf(j, out, JSON_COMPACT | JSON_REAL_PRECISION(JSON_DIGITS));
				fputc('\n', out);
				json_decref(j);
			} else {
				if (i)
					fputs(o->mode == MODE_MARKDOWN ? "\n---\n\n" : "\n", out);
				if (o->mode == MODE_MARKDOWN)
					report_markdown(out, rec);
				else
					report_text(out, rec, &to);
			}
			json_decref(rec);
			if (ferror(out))
				break;
		}
		if (ret == SLANT_EXIT_RUNTIME)
			break;
	}
	report_summary_release(&sum);
	if (pager)
		pclose(pager);
	return ret;
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
	if (o->categories || o->keyness) {
		int r = o->categories ? report_categories(&db, stdout, !strcmp(o->categories, "csv") ? ',' : '\t')
				      : report_keyness(&db, stdout, o->keyness, o->reference);

		db_close(&db);
		return r < 0 ? SLANT_EXIT_RUNTIME : SLANT_EXIT_OK;
	}
	if (o->kwic) {
		long n = concord_kwic(db.sql, o->kwic, o->by_outlet, o->window ? (int)o->window : 40,
				      stdout);

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
		if (n >= 0) {
			size_t dl = strlen(o->html_dir);

			/* "report/" and "report" both name the folder: no "report//index.html". */
			while (dl > 1 && o->html_dir[dl - 1] == '/')
				dl--;
			fprintf(stderr, "%s: wrote %ld article page%s; open %.*s/index.html\n",
				progname, n, n == 1 ? "" : "s", (int)dl, o->html_dir);
		}
		db_close(&db);
		return ret;
	}
	if ((ret = select_ids(&db, o, argc, argv, &ids, &nids)) != 0) {
		if (ret > 0)
			report_ids_free(ids, nids); /* after -1 the list is half filtered */
		db_close(&db);
		return ret < 0 ? SLANT_EXIT_RUNTIME : SLANT_EXIT_REJECTED;
	}
	ret = write_reports(&db, o, &sc, ids, nids);
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
	free(o->kinds);
	free(o->outlet);
	free(o->categories);
	free(o->keyness);
	free(o->reference);
	for (size_t i = 0; i < o->narticles; i++)
		free(o->articles[i]);
	free(o->articles);
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
		"      --text          plain text (the default): a summary, then each article's\n"
		"                      score and its findings by kind and lexicon entry at\n"
		"                      line:column; coloured, wrapped and paged on a terminal\n"
		"      --json          the same as JSON Lines, an object per article\n"
		"      --kind LIST     list these kinds (loaded,scare,verb,hedge,attributed,\n"
		"                      vague,anonymous,unattributed,quote,outlet,unknown)\n"
		"      --min-weight W  only flags whose lexicon weight is W or more\n"
		"      --article ID    this article (again for more)\n"
		"      --outlet NAME   only this publisher's articles\n"
		"      --no-pager      never page the text on a terminal\n"
		"      --categories tsv|csv  a row per article, a column per lexicon category:\n"
		"                      hits, per 1,000 words, and per voice\n"
		"      --keyness GROUP --reference GROUP  lexicon entries key to one group of\n"
		"                      articles (publishers or run:ID, comma-separated) against\n"
		"                      another: hits, signed log-likelihood G2, log2 ratio\n"
		"      --markdown      Markdown, for a review ticket\n"
		"      --html DIR      a static site in DIR: index.html, outlets/, articles/\n"
		"      --jobs N        with --html: N threads write the article pages\n"
		"                      (default: one per processor, at most 4)\n"
		"      --kwic TERM     every hit of a lexicon entry or term in context, with\n"
		"                      outlet, voice and article (docs/evaluation.md)\n"
		"                      (a TERM with * ? or [ is also a glob)\n"
		"      --window N      --kwic context either side, in bytes (default 40)\n"
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
	.permute = true,
};
