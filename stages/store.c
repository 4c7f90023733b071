/*
 * store.c -- slant-store: file the stream into SQLite (docs/schema.md).
 *
 * A sink: it sees every record, error records included, and writes none.
 * Records are written in batches of [store] batch articles, one transaction
 * each, so a killed load leaves whole articles only; the run's row is
 * committed first, so even an interrupted load is on record.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "slant/db.h"
#include "slant/db_views.h"
#include "slant/hash.h"
#include "slant/rec.h"
#include "slant/stage.h"
#include "slant/usage.h"

#ifndef SLANT_VERSION
#define SLANT_VERSION "0.0.0"
#endif

/* A batch is also committed once it is this old, so a slow chain never holds the lock long. */
#define STORE_MAX_TX_SECONDS 1.0

struct store {
	struct db db;
	struct db_run run;
	/*
	 * The lexicons the stream's records say they were annotated with
	 * (docs/stream.md), "KEY\tHASH" -> true; runs.lexicons is rewritten
	 * from them with the batch after one is first seen.
	 */
	json_t *lexicons;
	bool lexicons_changed;
	sqlite3_stmt *lexicons_st;
	unsigned long batch;         /* articles per transaction */
	unsigned long in_batch;
	struct timespec tx_started;
	const char *decisions;       /* --decisions FILE: import review decisions, read no stream */
	bool merge;                  /* --merge OUT SHARD...: merge databases, read no stream */
	char *skip;                  /* [store] skip */
};

static const struct option store_options[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "decisions", required_argument, NULL, 'D' },
	{ "merge", no_argument, NULL, 'M' },
	{ NULL, 0, NULL, 0 },
};

static int store_option(struct stage_ctx *ctx, int opt, const char *arg)
{
	if (opt == 'D') {
		if (!ctx->data)
			ctx->data = xcalloc(1, sizeof(struct store));
		((struct store *)ctx->data)->decisions = arg;
		return 0;
	}
	if (opt == 'M') {
		if (!ctx->data)
			ctx->data = xcalloc(1, sizeof(struct store));
		((struct store *)ctx->data)->merge = true;
		/* stage_main then calls store_merge() with the operands. */
		ctx->use_run = true;
		return 0;
	}
	if (opt != 'd')
		return -1;
	return conf_set(ctx->conf, "pipeline", "db", arg);
}

static int conf_count(const struct conf *c, const char *section, const char *key,
		      unsigned long min, unsigned long *out)
{
	double v;

	if (conf_double(c, section, key, &v) < 0)
		return -1;
	if (v < (double)min || v > 1e9 || v != (double)(unsigned long)v)
		return error("'%s.%s' must be a whole number of at least %lu, not '%s'", section,
			     key, min, conf_get(c, section, key));
	*out = (unsigned long)v;
	return 0;
}

/* Take note of the record's 'lexicons': {"STAGE:FILE": "HASH16", ...}. */
static void note_lexicons(struct store *s, const json_t *rec)
{
	const json_t *lex = json_object_get(rec, "lexicons"), *v;
	const char *key;

	if (!json_is_object(lex))
		return;
	json_object_foreach((json_t *)lex, key, v) {
		char *k;

		if (!json_is_string(v))
			continue;
		k = xasprintf("%s\t%s", key, json_string_value(v));
		if (!json_object_get(s->lexicons, k)) {
			json_object_set_new(s->lexicons, k, json_true());
			s->lexicons_changed = true;
		}
		free(k);
	}
}

static int strp_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * runs.lexicons: [{"key": "frame:loaded.tsv", "sha256": "0123456789abcdef"}, ...]
 * sorted, one element per file and content the stream named.
 */
static int store_lexicons(struct store *s)
{
	const char **keys = xcalloc(json_object_size(s->lexicons) + 1, sizeof(*keys));
	json_t *list = json_array(), *v;
	const char *key;
	size_t n = 0, i;
	char *text;
	int rc;

	json_object_foreach(s->lexicons, key, v)
		keys[n++] = key;
	qsort(keys, n, sizeof(*keys), strp_cmp);
	for (i = 0; i < n; i++) {
		const char *tab = strchr(keys[i], '\t');
		json_t *e = json_object();

		json_object_set_new(e, "key", json_stringn(keys[i], (size_t)(tab - keys[i])));
		json_object_set_new(e, "sha256", json_string(tab + 1));
		json_array_append_new(list, e);
	}
	free(keys);
	text = rec_dump(list);
	json_decref(list);
	if (!s->lexicons_st &&
	    sqlite3_prepare_v2(s->db.sql, "UPDATE runs SET lexicons = ?2 WHERE id = ?1", -1,
			       &s->lexicons_st, NULL) != SQLITE_OK) {
		free(text);
		return error("database '%s': cannot record the lexicons: %s", s->db.path,
			     sqlite3_errmsg(s->db.sql));
	}
	sqlite3_bind_text(s->lexicons_st, 1, s->run.id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->lexicons_st, 2, text, -1, free);
	rc = sqlite3_step(s->lexicons_st);
	sqlite3_reset(s->lexicons_st);
	sqlite3_clear_bindings(s->lexicons_st);
	if (rc != SQLITE_DONE)
		return error("database '%s': cannot record the lexicons: %s", s->db.path,
			     sqlite3_errmsg(s->db.sql));
	s->lexicons_changed = false;
	return 0;
}

static void store_teardown(struct stage_ctx *ctx);

static int store_setup(struct stage_ctx *ctx, int argc, char **argv)
{
	struct store *s = ctx->data ? ctx->data : xcalloc(1, sizeof(*s));
	unsigned long busy;
	const char *bad;
	size_t badlen;
	char *path;

	(void)argc;
	(void)argv;
	ctx->data = s;
	if (s->merge)
		return 0;
	if (conf_count(ctx->conf, "store", "batch", 1, &s->batch) < 0 ||
	    conf_count(ctx->conf, "store", "busy_timeout_ms", 0, &busy) < 0)
		return -1;
	s->skip = xstrdup(conf_get(ctx->conf, "store", "skip"));
	if (!db_skip_valid(s->skip, &bad, &badlen))
		return conf_error(ctx->conf, "store", "skip", "'%.*s' is not STAGE/LABEL",
				  (int)badlen, bad);
	path = xstrdup(conf_get(ctx->conf, "pipeline", "db"));
	if (!path || !*path) {
		free(path);
		return error("no database: give --db PATH or set [pipeline] db");
	}
	/* A database that cannot be opened is an I/O failure (exit 3), as in slant-report. */
	if (db_open(&s->db, path, (int)(busy > 3600000 ? 3600000 : busy), 0) < 0) {
		free(path);
		return -SLANT_EXIT_RUNTIME;
	}
	free(path);
	s->db.skip = s->skip;
	/* Tables, then the score triggers and report views (lib/db_views.c). */
	if (db_schema(&s->db, db_views_sql) < 0)
		return -SLANT_EXIT_RUNTIME;
	if (s->decisions) {
		unsigned long n;
		FILE *f = fopen(s->decisions, "r");
		int r;

		/* A file that cannot be read is an I/O failure (3), as README.md says; bad content is 1. */
		if (!f) {
			error("cannot read decisions '%s':", s->decisions);
			store_teardown(ctx);
			conf_release(ctx->conf);
			exit(SLANT_EXIT_RUNTIME);
		}
		fclose(f);
		r = db_decisions_import(&s->db, s->decisions, &n);

		if (r == 0 && verbose)
			fprintf(stderr, "%s: %lu decisions imported from '%s'\n", progname, n,
				s->decisions);
		store_teardown(ctx);
		conf_release(ctx->conf);
		exit(r < 0 ? SLANT_EXIT_REJECTED : SLANT_EXIT_OK);
	}
	s->lexicons = json_object();
	s->run.program = "slant-store";
	s->run.version = SLANT_VERSION;
	s->run.config_path = ctx->conf->path;
	s->run.config_hash = ctx->conf->hash;
	/* Filled in from the records (note_lexicons), not from our config. */
	s->run.lexicons = "[]";
	return db_run_begin(&s->db, &s->run);
}

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void store_commit(struct stage_ctx *ctx, struct store *s)
{
	/* In the batch's transaction: what the run's row says is what it stored. */
	if (s->lexicons_changed && s->db.in_tx && store_lexicons(s) < 0)
		die("error (at %s:%lu): batch of %lu records not stored", ctx->input, ctx->line,
		    s->in_batch);
	if (db_commit(&s->db) < 0)
		die("error (at %s:%lu): batch of %lu records not stored", ctx->input, ctx->line,
		    s->in_batch);
	s->in_batch = 0;
}

static int store_record(struct stage_ctx *ctx, json_t *rec)
{
	struct store *s = ctx->data;
	struct db_put put;
	int ret = 0;

	s->run.n_read++;
	note_lexicons(s, rec);
	/*
	 * Without an id there is nothing to upsert by: give it one from its
	 * content, as ingest does for error records, so a re-run replaces it.
	 */
	if (!json_is_string(json_object_get(rec, "id"))) {
		char *dump = rec_dump(rec), hex[65], id[32];

		sha256_hex_of(dump, strlen(dump), hex);
		free(dump);
		snprintf(id, sizeof(id), "error-%.16s", hex);
		json_object_set_new(rec, "id", json_string(id));
		if (!rec_is_error(rec))
			ret = stage_reject(ctx, rec, "record has no 'id' string");
	}
	if (!s->db.in_tx) {
		if (db_begin(&s->db) < 0)
			die("cannot store records");
		clock_gettime(CLOCK_MONOTONIC, &s->tx_started);
	}
	if (db_put_record(&s->db, s->run.id, rec, &put) < 0)
		die("error (at %s:%lu): record not stored", ctx->input, ctx->line);
	/* The article is stored, and an error row says what was left out. */
	if (put.bad_annotations)
		ret = stage_reject(ctx, NULL, "%zu of %zu annotations not stored: %s",
				   put.bad_annotations, put.annotations, put.why);
	s->run.n_stored += put.article;
	s->run.n_errors += put.errors;
	if (++s->in_batch >= s->batch || since(&s->tx_started) >= STORE_MAX_TX_SECONDS)
		store_commit(ctx, s);
	return ret;
}

static int store_finish(struct stage_ctx *ctx)
{
	struct store *s = ctx->data;

	store_commit(ctx, s);
	if (db_run_end(&s->db, &s->run) < 0)
		return -1;
	if (verbose)
		fprintf(stderr, "%s: run %s: %lu records, %lu articles, %lu errors stored in '%s'\n",
			progname, s->run.id, s->run.n_read, s->run.n_stored, s->run.n_errors,
			s->db.path);
	return 0;
}

/* ====== --merge OUT.db SHARD.db... ====== */

/*
 * Each shard in its own transaction (db_merge), so a bad shard is reported
 * and left out while the others land whole. Exit 1 if any was left out.
 */
static int store_merge(struct stage_ctx *ctx, int argc, char **argv)
{
	struct store *s = ctx->data;
	unsigned long busy;
	int i, bad = 0;

	if (argc < 2) {
		error("--merge needs the output database and at least one shard database");
		fprintf(stderr, "usage: %s --merge OUT.db SHARD.db...\n", progname);
		return SLANT_EXIT_USAGE;
	}
	if (conf_count(ctx->conf, "store", "busy_timeout_ms", 0, &busy) < 0)
		return SLANT_EXIT_USAGE;
	if (db_open(&s->db, argv[0], (int)(busy > 3600000 ? 3600000 : busy), 0) < 0 ||
	    db_schema(&s->db, db_views_sql) < 0)
		return SLANT_EXIT_RUNTIME;
	for (i = 1; i < argc; i++) {
		struct db_merge m;

		if (db_merge(&s->db, argv[i], &m) < 0) {
			bad++;
			continue;
		}
		if (verbose)
			fprintf(stderr,
				"%s: '%s': %lu runs, %lu articles, %lu errors, %lu other rows merged\n",
				progname, argv[i], m.runs, m.articles, m.errors, m.other);
	}
	if (bad)
		error("%d of %d shards not merged into '%s'", bad, argc - 1, argv[0]);
	return bad ? SLANT_EXIT_REJECTED : SLANT_EXIT_OK;
}

static void store_teardown(struct stage_ctx *ctx)
{
	struct store *s = ctx->data;

	if (!s)
		return;
	sqlite3_finalize(s->lexicons_st);
	db_close(&s->db);
	json_decref(s->lexicons);
	free(s->skip);
	free(s);
	ctx->data = NULL;
}

const struct stage stage_store = {
	.name = "store",
	.summary = "Store the stream's articles, annotations and errors in a SQLite database.",
	.args = "[--db PATH] < IN.jsonl\n   or: slant-store --merge OUT.db SHARD.db...",
	.help = "  -d, --db PATH       the database file (default: [pipeline] db)\n"
		"      --decisions FILE  import review decisions exported by slant-report's\n"
		"                      HTML pages, then exit (reads no stream)\n"
		"      --merge         merge the shard databases (from slant run -j, GNU\n"
		"                      parallel, ...) into OUT.db, creating it; idempotent\n",
	.options = store_options,
	.shortopts = "d:",
	.option = store_option,
	.setup = store_setup,
	.record = store_record,
	.finish = store_finish,
	.teardown = store_teardown,
	.run = store_merge,
	.sink = true,
};
