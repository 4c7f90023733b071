/* db.c -- the SQLite database: schema, migrations, transactions and the record upsert. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "slant/db.h"
#include "slant/jsonio.h"
#include "slant/usage.h"

/*
 * JSON kept in the database is written as rec_write() writes the stream
 * (lib/rec.c): so a record stored by a fused chain, whose numbers were never
 * serialised, and one that came through pipes give the same text.
 */
#define DB_JSON_FLAGS (JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(JSON_DIGITS))

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
	int rc = db->sql ? sqlite3_errcode(db->sql) & 0xff : 0;
	int sys = db->sql ? sqlite3_system_errno(db->sql) : 0;

	/* "disk I/O error" alone does not tell a full disk from a file size limit. */
	if (sys && (rc == SQLITE_IOERR || rc == SQLITE_FULL || rc == SQLITE_CANTOPEN))
		return error("database '%s': %s: %s (%s)", db->path ? db->path : "?", what,
			     sqlite3_errmsg(db->sql), strerror(sys));
	return error("database '%s': %s: %s", db->path ? db->path : "?", what,
		     db->sql ? sqlite3_errmsg(db->sql) : "not open");
}

int db_open(struct db *db, const char *path, int busy_ms, unsigned flags)
{
	/*
	 * NOMUTEX: a connection is only ever used by one thread at a time (the
	 * fused chain hands slant-store's to its sink thread whole), so the
	 * lock SQLite takes in every bind, step and reset is pure cost.
	 */
	int oflags = ((flags & DB_READONLY) ? SQLITE_OPEN_READONLY
					    : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
		     SQLITE_OPEN_NOMUTEX;
	int rc;

	/*
	 * SQLite's memory statistics (sqlite3_memory_used(), the soft heap
	 * limit: slant uses neither) cost a global lock and a size query in
	 * every allocation, 3% of slant-store. Only possible before SQLite's
	 * first use; later calls change nothing.
	 */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
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
		int waited = 0;

		/*
		 * WAL: readers never block the writer, and a commit is one append.
		 * Two programs creating one file at once: the switch of the second
		 * fails with SQLITE_BUSY without the busy handler, so retry.
		 */
		for (;;) {
			rc = sqlite3_prepare_v2(db->sql, "PRAGMA journal_mode = WAL", -1, &st, NULL);
			if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
				mode = (const char *)sqlite3_column_text(st, 0);
				break;
			}
			if (((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) ||
			    waited >= db->busy_ms)
				break;
			sqlite3_finalize(st);
			st = NULL;
			sqlite3_sleep(20);
			waited += 20;
		}
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
	/*
	 * Update, else insert: not an upsert (INSERT ... ON CONFLICT), whose
	 * conflict policy would override the REPLACE in the score triggers'
	 * bodies (lib/db_views.c) and fail on an article stored twice in a run.
	 */
	[DB_ST_ARTICLE_UPDATE] =
		"UPDATE articles SET run_id = ?2, url = ?3, title = ?4, outlet_name = ?5,"
		" outlet_domain = ?6, byline = ?7, published = ?8, text = ?9, source_path = ?10,"
		" source_type = ?11, source_line = ?12, status = ?13, bytes = ?14, words = ?15,"
		" extra = ?16 WHERE id = ?1",
	[DB_ST_ARTICLE] =
		"INSERT INTO articles (id, run_id, url, title, outlet_name, outlet_domain,"
		" byline, published, text, source_path, source_type, source_line, status,"
		" bytes, words, extra)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
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

/*
 * 'v' as compact JSON text, as json_dumps() with DB_JSON_FLAGS would write
 * it, by jsonio_dump() (a fifth of slant-store's time went to jansson's
 * writer; docs/performance.md). Returns a malloc'd string; caller frees.
 */
static char *dump_json(const json_t *v, size_t *len)
{
	char *s = NULL;
	size_t cap = 0;

	*len = 0;
	if (jsonio_dump(v, 15, &s, len, &cap) < 0)
		die("cannot serialise a JSON value");
	return s;
}

/* Bind 'v' as compact JSON text (the statement takes ownership of the string). */
static void bind_json(sqlite3_stmt *st, int i, const json_t *v)
{
	size_t len;
	char *s = dump_json(v, &len);

	sqlite3_bind_text64(st, i, s, len, free, SQLITE_UTF8);
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

static void bind_article(sqlite3_stmt *st, const char *run_id, const char *id,
			 const json_t *outlet, const json_t *source, const json_t *text,
			 const json_t *status, const json_t *rec, sqlite3_int64 words);

static int put_article(struct db *db, const char *run_id, const json_t *rec, const char *id)
{
	const json_t *outlet = json_object_get(rec, "outlet");
	const json_t *source = json_object_get(rec, "source");
	const json_t *text = json_object_get(rec, "text");
	const json_t *status = json_object_get(rec, "status");
	sqlite3_int64 words = count_words(json_string_value(text), json_string_length(text));
	json_t *extra = article_extra(rec);
	size_t extra_len;
	char *extra_s = dump_json(extra, &extra_len);
	int pass, ret = 0;

	json_decref(extra);
	/* Pass 0 updates the row if there is one; pass 1 inserts it if there was not. */
	for (pass = 0; pass < 2 && ret == 0; pass++) {
		sqlite3_stmt *st = stmt(db, pass ? DB_ST_ARTICLE : DB_ST_ARTICLE_UPDATE);

		if (!st) {
			ret = -1;
			break;
		}
		bind_article(st, run_id, id, outlet, source, text, status, rec, words);
		sqlite3_bind_text64(st, 16, extra_s, extra_len, SQLITE_STATIC, SQLITE_UTF8);
		ret = step_done(db, st, "cannot store an article");
		if (ret == 0 && pass == 0 && sqlite3_changes(db->sql) > 0)
			break;
	}
	free(extra_s);
	return ret;
}

static void bind_article(sqlite3_stmt *st, const char *run_id, const char *id,
			 const json_t *outlet, const json_t *source, const json_t *text,
			 const json_t *status, const json_t *rec, sqlite3_int64 words)
{
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
	sqlite3_bind_int64(st, 15, words);
}

/* The annotation members that have columns of their own. */
enum ann_col { COL_STAGE, COL_LABEL, COL_START, COL_END, COL_TEXT, NCOLS };

/*
 * Which column member 'k' goes to, or -1. On the first byte first: called
 * for every member of every annotation.
 */
static int column_of(const char *k)
{
	switch (k[0]) {
	case 's':
		return !strcmp(k, "stage") ? COL_STAGE : !strcmp(k, "start") ? COL_START : -1;
	case 'l':
		return !strcmp(k, "label") ? COL_LABEL : -1;
	case 'e':
		return !strcmp(k, "end") ? COL_END : -1;
	case 't':
		return !strcmp(k, "text") ? COL_TEXT : -1;
	default:
		return -1;
	}
}

/* Whether member 'k' is stored in its column (of the right type), not in 'fields'. */
static bool is_column(const char *k, const json_t *v)
{
	int c = column_of(k);

	if (c < 0)
		return false;
	return c == COL_START || c == COL_END ? json_is_integer(v) : json_is_string(v);
}

bool db_skip_valid(const char *list, const char **bad, size_t *badlen)
{
	const char *p = list, *w, *slash;

	for (;;) {
		p += strspn(p, " \t");
		if (!*p)
			return true;
		w = p;
		p += strcspn(p, " \t");
		slash = memchr(w, '/', (size_t)(p - w));
		if (!slash || slash == w || slash + 1 == p || memchr(slash + 1, '/', (size_t)(p - slash - 1))) {
			*bad = w;
			*badlen = (size_t)(p - w);
			return false;
		}
	}
}

/* Whether STAGE/LABEL is in db->skip. */
static bool skipped(const struct db *db, const char *stage, const char *label)
{
	const char *p = db->skip;
	size_t ns, nl;

	if (!p || !stage || !label)
		return false;
	ns = strlen(stage);
	nl = strlen(label);
	while ((p = strstr(p, stage))) {
		if ((p == db->skip || p[-1] == ' ' || p[-1] == '\t') && p[ns] == '/' &&
		    !strncmp(p + ns + 1, label, nl) &&
		    (!p[ns + 1 + nl] || p[ns + 1 + nl] == ' ' || p[ns + 1 + nl] == '\t'))
			return true;
		p++;
	}
	return false;
}

/*
 * The annotation's members that have columns, by enum ann_col (NULL: none):
 * one walk over its members instead of a hash lookup for each column (and
 * two more for [store] skip); they come first in the stream, so the walk
 * usually stops after five.
 */
static void ann_columns(const json_t *ann, const json_t *col[NCOLS])
{
	const char *k;
	json_t *v;
	int c, found = 0;

	memset(col, 0, NCOLS * sizeof(*col));
	json_object_foreach((json_t *)ann, k, v) {
		if ((c = column_of(k)) >= 0) {
			col[c] = v;
			if (++found == NCOLS)
				break;
		}
	}
}

static int put_annotations(struct db *db, const json_t *rec, const char *id)
{
	sqlite3_stmt *del = stmt(db, DB_ST_DEL_ANNOTATIONS), *st = stmt(db, DB_ST_ANNOTATION);
	const json_t *anns = json_object_get(rec, "annotations");
	const json_t *ann;
	char *buf = NULL;     /* the 'fields' JSON, written afresh for each annotation */
	size_t i, len, cap = 0;
	int rc, ret = 0;

	if (!del || !st)
		return -1;
	bind_str(del, 1, id);
	if (step_done(db, del, "cannot replace annotations") < 0)
		return -1;
	/* Bindings are cleared once per article, not once per row. */
	sqlite3_bind_text64(st, 1, id, strlen(id), SQLITE_STATIC, SQLITE_UTF8);
	json_array_foreach(anns, i, ann) {
		const json_t *c[NCOLS];

		if (json_is_object(ann)) {
			ann_columns(ann, c);
			/* seq stays the array index, so the annotations that have rows keep their ids. */
			if (skipped(db, json_string_value(c[COL_STAGE]), json_string_value(c[COL_LABEL])))
				continue;
		} else {
			memset(&c, 0, sizeof(c));
		}
		/* ?1 stays bound from above; every other parameter is bound for every row. */
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		bind_json_str(st, 3, c[COL_STAGE]);
		bind_json_str(st, 4, c[COL_LABEL]);
		bind_json_int(st, 5, c[COL_START]);
		bind_json_int(st, 6, c[COL_END]);
		bind_json_str(st, 7, c[COL_TEXT]);
		if (json_is_object(ann)) {
			/* Its other members, written straight from the annotation: no copy. */
			len = 0;
			if (jsonio_dump_except(ann, 15, is_column, &buf, &len, &cap) < 0)
				die("cannot serialise a JSON value");
			sqlite3_bind_text64(st, 8, buf, len, SQLITE_STATIC, SQLITE_UTF8);
		} else {
			/* Not an object: keep it whole rather than drop it. */
			bind_json(st, 8, ann);
		}
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			ret = sql_error(db, "cannot store an annotation");
			break;
		}
	}
	sqlite3_clear_bindings(st);
	free(buf);
	return ret;
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
			msg = dumped = json_dumps(e, DB_JSON_FLAGS);
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

/* ====== Merging shard databases ====== */

/* Run one statement with no result rows; add its changes to '*n' (may be NULL). */
static int merge_exec(struct db *db, const char *sql, unsigned long *n)
{
	/* A NULL from sqlite3_mprintf() is out of memory: die as xmalloc does, never run "". */
	if (!sql)
		die("out of memory building a merge statement");
	if (db_exec(db, sql) < 0)
		return -1;
	if (n)
		*n += (unsigned long)sqlite3_changes(db->sql);
	return 0;
}

enum col_flags {
	COL_SKIP_ID = 1 << 0, /* leave out a column named "id" (a key, or a row number) */
};

/*
 * The columns 'table' has in both main and the attached 'shard', in main's
 * order, as a list of quoted names. Returns a string for sqlite3_free(), or
 * NULL (reported) when there are none or on error.
 */
static char *merge_columns(struct db *db, const char *table, unsigned flags)
{
	sqlite3_stmt *st;
	sqlite3_str *out;
	int rc, n = 0;
	char *list;

	if (sqlite3_prepare_v2(db->sql,
			       "SELECT m.name FROM pragma_table_info(?1, 'main') m"
			       " JOIN pragma_table_info(?1, 'shard') s ON s.name = m.name ORDER BY m.cid",
			       -1, &st, NULL) != SQLITE_OK) {
		sql_error(db, "cannot read the columns to merge");
		return NULL;
	}
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	out = sqlite3_str_new(db->sql);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);

		if ((flags & COL_SKIP_ID) && !strcmp(name, "id"))
			continue;
		sqlite3_str_appendf(out, "%s\"%w\"", n ? ", " : "", name);
		n++;
	}
	sqlite3_finalize(st);
	list = sqlite3_str_finish(out);
	if (n && !list)
		die("out of memory listing the columns of '%s'", table);
	if (rc != SQLITE_DONE || !n || !list) {
		if (rc != SQLITE_DONE)
			sql_error(db, "cannot read the columns to merge");
		else
			error("database '%s': table '%s' has no columns in common with the shard",
			      db->path, table);
		sqlite3_free(list);
		return NULL;
	}
	return list;
}

/*
 * Copy the shard's rows of 'table' that main lacks, replacing rows with the
 * same key: the rule for runs (unique ids) and for tables other modules add
 * (scores, score_components, decisions: keyed by article, run and span).
 */
static int merge_by_key(struct db *db, const char *table, unsigned long *n)
{
	char *cols = merge_columns(db, table, 0), *sql;
	int ret;

	if (!cols)
		return -1;
	sql = sqlite3_mprintf("INSERT OR REPLACE INTO main.\"%w\" (%s) SELECT %s FROM shard.\"%w\""
			      " EXCEPT SELECT %s FROM main.\"%w\"",
			      table, cols, cols, table, cols, table);
	ret = merge_exec(db, sql, n);
	sqlite3_free(sql);
	sqlite3_free(cols);
	return ret;
}

/*
 * Articles as db_put_record() stores them: an article the shard holds in
 * another version replaces main's row (update, else insert: no cascade,
 * and the score triggers work as for a store), its annotations and its
 * error rows. An article already present unchanged is
 * not touched, nor are its rows.
 */
static int merge_articles(struct db *db, struct db_merge *m)
{
	char *cols = merge_columns(db, "articles", 0), *set = merge_columns(db, "articles", COL_SKIP_ID);
	char *acols = merge_columns(db, "annotations", 0), *ecols = merge_columns(db, "errors", COL_SKIP_ID);
	char *sql[5] = { NULL };
	int ret = -1;
	size_t i;

	if (!cols || !set || !acols || !ecols)
		goto out;
	if (merge_exec(db, "CREATE TEMP TABLE IF NOT EXISTS merge_ids (id TEXT PRIMARY KEY);"
			   "DELETE FROM temp.merge_ids", NULL) < 0)
		goto out;
	sql[0] = sqlite3_mprintf("INSERT INTO temp.merge_ids SELECT id FROM (SELECT %s FROM"
				 " shard.articles EXCEPT SELECT %s FROM main.articles)", cols, cols);
	sql[1] = sqlite3_mprintf("UPDATE main.articles SET (%s) = (SELECT %s FROM shard.articles s"
				 " WHERE s.id = main.articles.id) WHERE id IN temp.merge_ids;"
				 "INSERT INTO main.articles (%s) SELECT %s FROM shard.articles"
				 " WHERE id IN temp.merge_ids AND id NOT IN (SELECT id FROM main.articles)",
				 set, set, cols, cols);
	sql[2] = sqlite3_mprintf("DELETE FROM main.annotations WHERE article_id IN temp.merge_ids;"
				 "INSERT INTO main.annotations (%s) SELECT %s FROM shard.annotations"
				 " WHERE article_id IN temp.merge_ids", acols, acols);
	/*
	 * Error rows have no key but their run: a record's rows from the run
	 * the shard has them from stay, any others of a record the shard
	 * (re)stored go, and the shard's rows come in unless already here.
	 */
	sql[3] = sqlite3_mprintf(
		"DELETE FROM main.errors WHERE record_id IN (SELECT id FROM temp.merge_ids"
		" UNION SELECT record_id FROM shard.errors) AND NOT EXISTS (SELECT 1 FROM"
		" shard.errors e WHERE e.record_id = main.errors.record_id"
		" AND e.run_id IS main.errors.run_id);"
		"INSERT INTO main.errors (%s) SELECT %s FROM shard.errors e WHERE NOT EXISTS"
		" (SELECT 1 FROM main.errors x WHERE x.record_id IS e.record_id"
		" AND x.run_id IS e.run_id) ORDER BY e.id",
		ecols, ecols);
	if (merge_exec(db, sql[0], &m->articles) < 0 || merge_exec(db, sql[1], NULL) < 0 ||
	    merge_exec(db, sql[2], NULL) < 0 || merge_exec(db, sql[3], &m->errors) < 0)
		goto out;
	ret = 0;
out:
	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		sqlite3_free(sql[i]);
	sqlite3_free(cols);
	sqlite3_free(set);
	sqlite3_free(acols);
	sqlite3_free(ecols);
	return ret;
}

/* Every other table of the shard: created in main from its definition if missing. */
static int merge_other_tables(struct db *db, struct db_merge *m)
{
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(db->sql,
			       "SELECT s.name, s.sql, m.name IS NULL FROM shard.sqlite_master s"
			       " LEFT JOIN main.sqlite_master m ON m.type = 'table' AND m.name = s.name"
			       " WHERE s.type = 'table' AND s.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
			       " AND s.name NOT IN ('runs', 'articles', 'annotations', 'errors')"
			       " ORDER BY s.name",
			       -1, &st, NULL) != SQLITE_OK)
		return sql_error(db, "cannot list the shard's tables");
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *name = xstrdup((const char *)sqlite3_column_text(st, 0));
		const char *create = (const char *)sqlite3_column_text(st, 1);

		if (sqlite3_column_int(st, 2) && create)
			ret = db_exec(db, create);
		if (ret == 0)
			ret = merge_by_key(db, name, &m->other);
		free(name);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = sql_error(db, "cannot list the shard's tables");
	sqlite3_finalize(st);
	return ret;
}

int db_merge(struct db *db, const char *shard, struct db_merge *out)
{
	struct db_merge m = { 0 };
	struct stat a, b;
	sqlite3_stmt *st;
	int v = -1, ret = -1;

	if (db->in_tx)
		return error("database '%s': cannot merge inside a transaction", db->path);
	/* ATTACH would create a missing file; a shard must exist. */
	if (stat(shard, &b) < 0)
		return error("cannot merge '%s':", shard);
	if (!S_ISREG(b.st_mode))
		return error("cannot merge '%s': not a file", shard);
	if (stat(db->path, &a) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return error("cannot merge '%s' into itself", shard);
	if (sqlite3_prepare_v2(db->sql, "ATTACH ?1 AS shard", -1, &st, NULL) != SQLITE_OK)
		return sql_error(db, "cannot attach a shard");
	sqlite3_bind_text(st, 1, shard, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		error("cannot merge '%s': %s", shard, sqlite3_errmsg(db->sql));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db->sql, "PRAGMA shard.user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	else
		error("cannot merge '%s': %s", shard, sqlite3_errmsg(db->sql));
	sqlite3_finalize(st);
	if (v == 0)
		error("cannot merge '%s': not a slant database (no schema version)", shard);
	else if (v > 0 && v != DB_SCHEMA_VERSION)
		error("cannot merge '%s': it has schema version %d and '%s' has %d; open the older"
		      " one with this slant-store first to migrate it",
		      shard, v, db->path, DB_SCHEMA_VERSION);
	if (v == DB_SCHEMA_VERSION && db_begin(db) == 0) {
		if (merge_by_key(db, "runs", &m.runs) == 0 && merge_articles(db, &m) == 0 &&
		    merge_other_tables(db, &m) == 0)
			ret = db_commit(db);
		else
			db_rollback(db);
		if (ret < 0)
			error("'%s' not merged: '%s' is as it was", shard, db->path);
	}
	db_exec(db, "DROP TABLE IF EXISTS temp.merge_ids");
	if (sqlite3_exec(db->sql, "DETACH shard", NULL, NULL, NULL) != SQLITE_OK)
		ret = sql_error(db, "cannot detach a shard");
	if (ret == 0 && out)
		*out = m;
	return ret;
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
