/* db.c -- the SQLite database: schema, migrations, transactions and the record upsert. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "slant/db.h"
#include "slant/usage.h"

/* ====== Schema ====== */

/*
 * migrations[i] takes a file from user_version i to i + 1. Never edit a
 * released step: add one, bump DB_SCHEMA_VERSION and document it in
 * docs/schema.md.
 */
static const char *const migrations[DB_SCHEMA_VERSION] = {
	/* 0 -> 1 */
	"CREATE TABLE runs ("
	"  id TEXT PRIMARY KEY,"
	"  started TEXT NOT NULL,"
	"  finished TEXT,"
	"  program TEXT,"
	"  version TEXT,"
	"  config_path TEXT,"
	"  config_hash TEXT,"
	"  lexicons TEXT,"
	"  n_read INTEGER NOT NULL DEFAULT 0,"
	"  n_stored INTEGER NOT NULL DEFAULT 0,"
	"  n_errors INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE articles ("
	"  id TEXT PRIMARY KEY,"
	"  run_id TEXT,"
	"  url TEXT,"
	"  title TEXT,"
	"  outlet_name TEXT,"
	"  outlet_domain TEXT,"
	"  byline TEXT,"
	"  published TEXT,"
	"  text TEXT,"
	"  source_path TEXT,"
	"  source_type TEXT,"
	"  source_line INTEGER,"
	"  status TEXT NOT NULL DEFAULT 'ok',"
	"  bytes INTEGER,"
	"  words INTEGER,"
	"  extra TEXT NOT NULL DEFAULT '{}'"
	");"
	"CREATE INDEX articles_outlet ON articles(outlet_name);"
	"CREATE INDEX articles_domain ON articles(outlet_domain);"
	"CREATE INDEX articles_run ON articles(run_id);"
	"CREATE TABLE annotations ("
	"  article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL,"
	"  stage TEXT,"
	"  label TEXT,"
	"  start INTEGER,"
	"  end INTEGER,"
	"  text TEXT,"
	"  fields TEXT NOT NULL DEFAULT '{}',"
	"  PRIMARY KEY (article_id, seq)"
	");"
	"CREATE INDEX annotations_stage_label ON annotations(stage, label);"
	"CREATE TABLE errors ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id TEXT,"
	"  record_id TEXT,"
	"  article_id TEXT,"
	"  stage TEXT,"
	"  message TEXT NOT NULL,"
	"  input TEXT,"
	"  line INTEGER,"
	"  raw TEXT"
	");"
	"CREATE INDEX errors_record ON errors(record_id);"
	"CREATE INDEX errors_run ON errors(run_id);",
};

static int sql_error(struct db *db, const char *what)
{
	return error("database '%s': %s: %s", db->path ? db->path : "?", what,
		     db->sql ? sqlite3_errmsg(db->sql) : "not open");
}

int db_open(struct db *db, const char *path, int busy_ms, unsigned flags)
{
	int oflags = (flags & DB_READONLY) ? SQLITE_OPEN_READONLY
					   : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	int rc;

	memset(db, 0, sizeof(*db));
	db->path = xstrdup(path);
	db->busy_ms = busy_ms > 0 ? busy_ms : 0;
	rc = sqlite3_open_v2(path, &db->sql, oflags, NULL);
	if (rc != SQLITE_OK) {
		error("cannot open database '%s': %s", path,
		      db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc));
		db_close(db);
		return -1;
	}
	sqlite3_extended_result_codes(db->sql, 1);
	sqlite3_busy_timeout(db->sql, db->busy_ms);
	/* Reading the schema fails here when the file is not a database at all. */
	if (db_exec(db, "PRAGMA foreign_keys = ON") < 0 || db_version(db) < 0) {
		db_close(db);
		return -1;
	}
	if (!(flags & DB_READONLY)) {
		sqlite3_stmt *st = NULL;
		const char *mode = NULL;

		/* WAL: readers never block the writer, and a commit is one append. */
		if (sqlite3_prepare_v2(db->sql, "PRAGMA journal_mode = WAL", -1, &st, NULL) ==
			    SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			mode = (const char *)sqlite3_column_text(st, 0);
		if (!mode || strcmp(mode, "wal")) {
			sql_error(db, "cannot switch to WAL mode");
			sqlite3_finalize(st);
			db_close(db);
			return -1;
		}
		sqlite3_finalize(st);
		/* In WAL, NORMAL loses no committed transaction on a crash of the program. */
		if (db_exec(db, "PRAGMA synchronous = NORMAL") < 0) {
			db_close(db);
			return -1;
		}
	}
	return 0;
}

int db_exec(struct db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK) {
		error("database '%s': %s", db->path, msg ? msg : sqlite3_errmsg(db->sql));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int db_version(struct db *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db->sql, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return sql_error(db, "cannot read the schema version");
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	else
		sql_error(db, "cannot read the schema version");
	sqlite3_finalize(st);
	return v;
}

int db_schema(struct db *db, const char *const *extra)
{
	char set[64];
	int v;

	if (db_begin(db) < 0)
		return -1;
	/* Read inside the write transaction, so two stores never migrate at once. */
	v = db_version(db);
	if (v < 0)
		goto fail;
	if (v > DB_SCHEMA_VERSION) {
		error("database '%s' has schema version %d; this slant knows up to %d", db->path,
		      v, DB_SCHEMA_VERSION);
		goto fail;
	}
	for (; v < DB_SCHEMA_VERSION; v++)
		if (db_exec(db, migrations[v]) < 0)
			goto fail;
	snprintf(set, sizeof(set), "PRAGMA user_version = %d", DB_SCHEMA_VERSION);
	if (db_exec(db, set) < 0)
		goto fail;
	for (; extra && *extra; extra++)
		if (db_exec(db, *extra) < 0)
			goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

/* ====== Transactions ====== */

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * The busy handler already waited up to busy_ms inside SQLite; some paths
 * (a WAL being reset, a checkpoint) still return SQLITE_BUSY at once, so
 * retry those for another busy_ms before giving up.
 */
static int exec_retry(struct db *db, const char *sql)
{
	long waited = 0;
	int rc;

	for (;;) {
		rc = sqlite3_exec(db->sql, sql, NULL, NULL, NULL);
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			return rc;
		if (waited >= db->busy_ms)
			return rc;
		nap_ms(20);
		waited += 20;
	}
}

int db_begin(struct db *db)
{
	if (db->in_tx)
		return error("database '%s': transaction already open", db->path);
	if (exec_retry(db, "BEGIN IMMEDIATE") != SQLITE_OK)
		return sql_error(db, "cannot begin a transaction");
	db->in_tx = true;
	return 0;
}

int db_commit(struct db *db)
{
	if (!db->in_tx)
		return 0;
	if (exec_retry(db, "COMMIT") != SQLITE_OK) {
		sql_error(db, "cannot commit");
		db_rollback(db);
		return -1;
	}
	db->in_tx = false;
	return 0;
}

int db_rollback(struct db *db)
{
	int rc = SQLITE_OK;

	if (!db->sql)
		return 0;
	/* After some errors SQLite has already rolled back by itself. */
	if (!sqlite3_get_autocommit(db->sql))
		rc = sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	db->in_tx = false;
	return rc == SQLITE_OK ? 0 : sql_error(db, "cannot roll back");
}

/* ====== Prepared statements ====== */

static const char *const stmt_sql[DB_NSTMT] = {
	[DB_ST_ARTICLE] =
		"INSERT INTO articles (id, run_id, url, title, outlet_name, outlet_domain,"
		" byline, published, text, source_path, source_type, source_line, status,"
		" bytes, words, extra)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
		" ON CONFLICT (id) DO UPDATE SET run_id = excluded.run_id, url = excluded.url,"
		" title = excluded.title, outlet_name = excluded.outlet_name,"
		" outlet_domain = excluded.outlet_domain, byline = excluded.byline,"
		" published = excluded.published, text = excluded.text,"
		" source_path = excluded.source_path, source_type = excluded.source_type,"
		" source_line = excluded.source_line, status = excluded.status,"
		" bytes = excluded.bytes, words = excluded.words, extra = excluded.extra",
	[DB_ST_DEL_ANNOTATIONS] = "DELETE FROM annotations WHERE article_id = ?1",
	[DB_ST_ANNOTATION] =
		"INSERT INTO annotations (article_id, seq, stage, label, start, end, text, fields)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[DB_ST_DEL_ERRORS] = "DELETE FROM errors WHERE record_id = ?1",
	[DB_ST_ERROR] =
		"INSERT INTO errors (run_id, record_id, article_id, stage, message, input, line, raw)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[DB_ST_RUN_BEGIN] =
		"INSERT INTO runs (id, started, program, version, config_path, config_hash, lexicons)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[DB_ST_RUN_END] =
		"UPDATE runs SET finished = ?2, n_read = ?3, n_stored = ?4, n_errors = ?5"
		" WHERE id = ?1",
};

static sqlite3_stmt *stmt(struct db *db, enum db_stmt which)
{
	if (!db->st[which] &&
	    sqlite3_prepare_v3(db->sql, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
			       &db->st[which], NULL) != SQLITE_OK) {
		sql_error(db, "cannot prepare a statement");
		return NULL;
	}
	return db->st[which];
}

/* Step a statement that returns no rows, then reset it for the next use. */
static int step_done(struct db *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return sql_error(db, what);
	return 0;
}

/* Bind helpers: NULL stays NULL, and strings carry their length (NULs survive). */
static void bind_str(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void bind_json_str(sqlite3_stmt *st, int i, const json_t *v)
{
	if (json_is_string(v))
		sqlite3_bind_text64(st, i, json_string_value(v), json_string_length(v),
				    SQLITE_STATIC, SQLITE_UTF8);
	else
		sqlite3_bind_null(st, i);
}

static void bind_json_int(sqlite3_stmt *st, int i, const json_t *v)
{
	if (json_is_integer(v))
		sqlite3_bind_int64(st, i, (sqlite3_int64)json_integer_value(v));
	else
		sqlite3_bind_null(st, i);
}

/* Bind 'v' as compact JSON text (the statement takes ownership of the string). */
static void bind_json(sqlite3_stmt *st, int i, const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	if (!s)
		die("cannot serialise a JSON value");
	sqlite3_bind_text(st, i, s, -1, free);
}

/* ====== Runs ====== */

static void utc_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int db_run_begin(struct db *db, struct db_run *run)
{
	char started[32], stamp[20];
	unsigned char rnd[4];
	time_t t = time(NULL);
	struct tm tm;
	sqlite3_stmt *st;
	bool own = !db->in_tx;

	/* Time-ordered and unique across machines, so shard databases merge cleanly. */
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd)) {
		unsigned long x = (unsigned long)getpid() * 2654435761UL ^ (unsigned long)clock();

		memcpy(rnd, &x, sizeof(rnd));
	}
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(run->id, sizeof(run->id), "%s-%02x%02x%02x%02x", stamp, rnd[0], rnd[1], rnd[2],
		 rnd[3]);
	if (own && db_begin(db) < 0)
		return -1;
	st = stmt(db, DB_ST_RUN_BEGIN);
	if (!st)
		goto fail;
	bind_str(st, 1, run->id);
	bind_str(st, 2, started);
	bind_str(st, 3, run->program);
	bind_str(st, 4, run->version);
	bind_str(st, 5, run->config_path);
	bind_str(st, 6, run->config_hash && *run->config_hash ? run->config_hash : NULL);
	bind_str(st, 7, run->lexicons);
	if (step_done(db, st, "cannot record the run") < 0)
		goto fail;
	return own ? db_commit(db) : 0;
fail:
	if (own)
		db_rollback(db);
	return -1;
}

int db_run_end(struct db *db, const struct db_run *run)
{
	sqlite3_stmt *st = stmt(db, DB_ST_RUN_END);
	char finished[32];
	bool own = !db->in_tx;

	if (!st)
		return -1;
	if (own && db_begin(db) < 0)
		return -1;
	utc_now(finished);
	bind_str(st, 1, run->id);
	bind_str(st, 2, finished);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)run->n_read);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)run->n_stored);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)run->n_errors);
	if (step_done(db, st, "cannot record the end of the run") < 0) {
		if (own)
			db_rollback(db);
		return -1;
	}
	return own ? db_commit(db) : 0;
}

/* ====== Records ====== */

static bool is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Words: runs of bytes between ASCII white space. */
static sqlite3_int64 count_words(const char *s, size_t n)
{
	sqlite3_int64 words = 0;
	bool in = false;
	size_t i;

	for (i = 0; i < n; i++) {
		bool sp = is_ascii_space(s[i]);

		if (!sp && !in)
			words++;
		in = !sp;
	}
	return words;
}

/*
 * Whether every member of object 'o' is one of 'keys' and a string (or, for
 * 'intkey', an integer): then the columns hold all of it and 'extra' need not.
 */
static bool all_in_columns(const json_t *o, const char *const *keys, const char *intkey)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)o, k, v) {
		const char *const *p;
		bool found = false;

		if (intkey && !strcmp(k, intkey) && json_is_integer(v))
			continue;
		for (p = keys; *p; p++)
			if (!strcmp(k, *p) && json_is_string(v))
				found = true;
		if (!found)
			return false;
	}
	return true;
}

/* The record's fields that have no column of their own, as a new object. */
static json_t *article_extra(const json_t *rec)
{
	static const char *const columns[] = { "id",	 "url",	 "title",  "byline",
					       "published", "text", "status", NULL };
	static const char *const outlet_keys[] = { "name", "domain", NULL };
	static const char *const source_keys[] = { "path", "type", NULL };
	json_t *extra = json_object(), *v;
	const char *k;

	json_object_foreach((json_t *)rec, k, v) {
		const char *const *p;
		bool col = false;

		for (p = columns; *p && !col; p++)
			col = !strcmp(k, *p) && json_is_string(v);
		if (!col && !strcmp(k, "annotations") && json_is_array(v))
			col = true;
		if (!col && !strcmp(k, "errors") && json_is_array(v))
			col = true;
		if (!col && !strcmp(k, "outlet") && json_is_object(v))
			col = all_in_columns(v, outlet_keys, NULL);
		if (!col && !strcmp(k, "source") && json_is_object(v))
			col = all_in_columns(v, source_keys, "line");
		if (!col)
			json_object_set(extra, k, v);
	}
	return extra;
}

static int put_article(struct db *db, const char *run_id, const json_t *rec, const char *id)
{
	sqlite3_stmt *st = stmt(db, DB_ST_ARTICLE);
	const json_t *outlet = json_object_get(rec, "outlet");
	const json_t *source = json_object_get(rec, "source");
	const json_t *text = json_object_get(rec, "text");
	const json_t *status = json_object_get(rec, "status");
	json_t *extra;

	if (!st)
		return -1;
	bind_str(st, 1, id);
	bind_str(st, 2, run_id);
	bind_json_str(st, 3, json_object_get(rec, "url"));
	bind_json_str(st, 4, json_object_get(rec, "title"));
	bind_json_str(st, 5, json_object_get(outlet, "name"));
	bind_json_str(st, 6, json_object_get(outlet, "domain"));
	bind_json_str(st, 7, json_object_get(rec, "byline"));
	bind_json_str(st, 8, json_object_get(rec, "published"));
	bind_json_str(st, 9, text);
	bind_json_str(st, 10, json_object_get(source, "path"));
	bind_json_str(st, 11, json_object_get(source, "type"));
	bind_json_int(st, 12, json_object_get(source, "line"));
	if (json_is_string(status))
		bind_json_str(st, 13, status);
	else
		bind_str(st, 13, "ok");
	sqlite3_bind_int64(st, 14, (sqlite3_int64)json_string_length(text));
	sqlite3_bind_int64(st, 15, count_words(json_string_value(text), json_string_length(text)));
	extra = article_extra(rec);
	bind_json(st, 16, extra);
	json_decref(extra);
	return step_done(db, st, "cannot store an article");
}

/* The annotation's members other than its columns, as a new object. */
static json_t *annotation_fields(const json_t *ann)
{
	json_t *fields = json_object(), *v;
	const char *k;

	json_object_foreach((json_t *)ann, k, v) {
		bool col = ((!strcmp(k, "stage") || !strcmp(k, "label") || !strcmp(k, "text")) &&
			    json_is_string(v)) ||
			   ((!strcmp(k, "start") || !strcmp(k, "end")) && json_is_integer(v));

		if (!col)
			json_object_set(fields, k, v);
	}
	return fields;
}

static int put_annotations(struct db *db, const json_t *rec, const char *id)
{
	sqlite3_stmt *del = stmt(db, DB_ST_DEL_ANNOTATIONS), *st = stmt(db, DB_ST_ANNOTATION);
	const json_t *anns = json_object_get(rec, "annotations");
	const json_t *ann;
	size_t i;

	if (!del || !st)
		return -1;
	bind_str(del, 1, id);
	if (step_done(db, del, "cannot replace annotations") < 0)
		return -1;
	json_array_foreach(anns, i, ann) {
		json_t *fields;

		bind_str(st, 1, id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		if (json_is_object(ann)) {
			bind_json_str(st, 3, json_object_get(ann, "stage"));
			bind_json_str(st, 4, json_object_get(ann, "label"));
			bind_json_int(st, 5, json_object_get(ann, "start"));
			bind_json_int(st, 6, json_object_get(ann, "end"));
			bind_json_str(st, 7, json_object_get(ann, "text"));
			fields = annotation_fields(ann);
			bind_json(st, 8, fields);
			json_decref(fields);
		} else {
			/* Not an object: keep it whole rather than drop it. */
			bind_json(st, 8, ann);
		}
		if (step_done(db, st, "cannot store an annotation") < 0)
			return -1;
	}
	return 0;
}

static int put_error(struct db *db, const char *run_id, const char *id, const char *article_id,
		     const json_t *rec, const json_t *stage, const char *message,
		     const json_t *line)
{
	sqlite3_stmt *st = stmt(db, DB_ST_ERROR);
	const json_t *source = json_object_get(rec, "source");

	if (!st)
		return -1;
	bind_str(st, 1, run_id);
	bind_str(st, 2, id);
	bind_str(st, 3, article_id);
	bind_json_str(st, 4, stage);
	bind_str(st, 5, message);
	bind_json_str(st, 6, json_object_get(source, "path"));
	/* The reporting stage's line, else where the record came from; 0 means none. */
	if (!json_is_integer(line) || json_integer_value(line) <= 0)
		line = json_object_get(source, "line");
	if (json_is_integer(line) && json_integer_value(line) > 0)
		bind_json_int(st, 7, line);
	else
		sqlite3_bind_null(st, 7);
	bind_json_str(st, 8, json_object_get(rec, "raw"));
	return step_done(db, st, "cannot store an error");
}

static int put_errors(struct db *db, const char *run_id, const json_t *rec, const char *id,
		      const char *article_id, unsigned long *n)
{
	const json_t *errs = json_object_get(rec, "errors"), *e;
	const char *status = json_string_value(json_object_get(rec, "status"));
	size_t i;

	if (id) {
		sqlite3_stmt *del = stmt(db, DB_ST_DEL_ERRORS);

		if (!del)
			return -1;
		bind_str(del, 1, id);
		if (step_done(db, del, "cannot replace errors") < 0)
			return -1;
	}
	json_array_foreach(errs, i, e) {
		const char *msg = json_string_value(json_object_get(e, "message"));
		char *dumped = NULL;
		int r;

		if (!msg)
			msg = dumped = json_dumps(e, JSON_COMPACT | JSON_ENCODE_ANY);
		r = put_error(db, run_id, id, article_id, rec, json_object_get(e, "stage"),
			      msg ? msg : "unreadable error entry", json_object_get(e, "line"));
		free(dumped);
		if (r < 0)
			return -1;
		(*n)++;
	}
	if (*n == 0 && status && !strcmp(status, "error")) {
		if (put_error(db, run_id, id, article_id, rec, NULL,
			      "record has status 'error' and no error entry", NULL) < 0)
			return -1;
		(*n)++;
	}
	return 0;
}

int db_put_record(struct db *db, const char *run_id, const json_t *rec, struct db_put *out)
{
	const char *id = json_string_value(json_object_get(rec, "id"));
	bool own = !db->in_tx, article = id && json_is_string(json_object_get(rec, "text"));
	struct db_put put = { 0 };

	if (own && db_begin(db) < 0)
		return -1;
	if (article && (put_article(db, run_id, rec, id) < 0 || put_annotations(db, rec, id) < 0))
		goto fail;
	put.article = article;
	if (put_errors(db, run_id, rec, id, article ? id : NULL, &put.errors) < 0)
		goto fail;
	if (own && db_commit(db) < 0)
		return -1;
	if (out)
		*out = put;
	return 0;
fail:
	if (own)
		db_rollback(db);
	return -1;
}

void db_close(struct db *db)
{
	int i;

	if (db->in_tx)
		db_rollback(db);
	for (i = 0; i < DB_NSTMT; i++) {
		sqlite3_finalize(db->st[i]);
		db->st[i] = NULL;
	}
	if (db->sql && sqlite3_close(db->sql) != SQLITE_OK)
		sql_error(db, "cannot close");
	db->sql = NULL;
	free(db->path);
	db->path = NULL;
}
