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
#include "slant/doc.h"
#include "slant/jsonio.h"
#include "slant/rec.h"
#include "slant/text.h"
#include "slant/usage.h"

/*
 * JSON kept in the database is written as rec_write() writes the stream
 * (lib/rec.c): so a record stored by a fused chain, whose numbers were never
 * serialised, and one that came through pipes give the same text.
 */
#define DB_JSON_FLAGS (JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(JSON_DIGITS))

/* ====== Schema ====== */

/*
 * The text of annotation row 'N' of the article with id 'ID': the article's
 * bytes [start, end), as text. substr() on the BLOB counts bytes; on TEXT
 * it would count characters.
 */
#define ANN_TEXT(N, ID) \
	"(SELECT CAST(substr(CAST(a.text AS BLOB), " N ".start + 1, " N ".end - " N ".start)" \
	" AS TEXT) FROM articles a WHERE a.id = " ID ")"

/*
 * The text a row's 'fields' kept because it was not the span's bytes, else
 * the span's. instr() first: a key "text" is the rare case, and a quote in
 * a JSON string is escaped, so this finds only keys.
 */
#define ANN_TEXT_KEPT(N, ID) \
	"COALESCE(CASE WHEN instr(" N ".fields, '\"text\":') AND json_valid(" N ".fields)" \
	" THEN json_extract(" N ".fields, '$.text') END, " ANN_TEXT(N, ID) ")"

/*
 * What readers query: the rows with their article's id and their text. A
 * view SQLite flattens into the query, so the text is only cut out where a
 * query asks for it.
 */
#define ANNOTATIONS_VIEW \
	"CREATE VIEW annotations AS SELECT k.id AS article_id, n.seq, n.stage, n.label," \
	" n.start, n.end, " ANN_TEXT_KEPT("n", "k.id") " AS text, n.fields" \
	" FROM annotation_rows n JOIN article_keys k ON k.key = n.article_key"

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
	/*
	 * 1 -> 2, for speed (docs/performance.md): annotation rows without
	 * their text, which is the article's bytes [start, end) and is cut out
	 * by the 'annotations' view (a fifth of the database); without the
	 * (stage, label) index (a b-tree insert per row, and the planner chose
	 * it over the article for per-article counts); keyed by an integer
	 * article key given in load order, so a load appends to one b-tree
	 * instead of inserting at random places by hashed id (-19% at 100 MB).
	 * The key is not a column of 'articles', whose rows (and SELECT *)
	 * stay as they were. A row whose stored text was not its span's bytes
	 * keeps it in 'fields'.
	 */
	"CREATE TABLE article_keys ("
	"  key INTEGER PRIMARY KEY,"
	"  id TEXT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE"
	");"
	"INSERT INTO article_keys (id) SELECT id FROM articles ORDER BY rowid;"
	"CREATE TABLE annotation_rows ("
	"  article_key INTEGER NOT NULL REFERENCES article_keys(key) ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL,"
	"  stage TEXT,"
	"  label TEXT,"
	"  start INTEGER,"
	"  end INTEGER,"
	"  fields TEXT NOT NULL DEFAULT '{}',"
	"  PRIMARY KEY (article_key, seq)"
	") WITHOUT ROWID;"
	"INSERT INTO annotation_rows SELECT k.key, n.seq, n.stage, n.label, n.start, n.end,"
	"  CASE WHEN n.text IS NULL OR n.text IS " ANN_TEXT("n", "n.article_id")
	"  OR NOT json_valid(n.fields) OR json_type(n.fields) <> 'object' THEN n.fields"
	"  ELSE json_set(n.fields, '$.text', n.text) END"
	"  FROM annotations n JOIN article_keys k ON k.id = n.article_id;"
	"DROP TABLE annotations;"
	ANNOTATIONS_VIEW ";",
	/*
	 * 2 -> 3 (issue 17): the outlet a republished or wire text comes from,
	 * slant-affil's 'origin', which 'extra' holds: one row per article
	 * that has one.
	 */
	"CREATE VIEW article_origin AS SELECT id AS article_id,"
	" json_extract(extra, '$.origin.name') AS origin,"
	" json_extract(extra, '$.origin.entry') AS origin_entry,"
	" json_extract(extra, '$.origin.state_affiliated') AS origin_state_affiliated,"
	" json_extract(extra, '$.origin.found_by') AS found_by,"
	" json_extract(extra, '$.origin.evidence') AS evidence"
	" FROM articles WHERE json_valid(extra) AND json_type(extra, '$.origin') = 'object';",
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
	[DB_ST_KEY] = "SELECT key FROM article_keys WHERE id = ?1",
	[DB_ST_NEW_KEY] = "INSERT INTO article_keys (id) VALUES (?1)",
	[DB_ST_DEL_ANNOTATIONS] = "DELETE FROM annotation_rows WHERE article_key = ?1",
	[DB_ST_ANNOTATION] =
		"INSERT INTO annotation_rows (article_key, seq, stage, label, start, end, fields)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
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

sqlite3_stmt *db_prepared(struct db *db, enum db_stmt which, const char *sql)
{
	if (db->st[which]) {
		sqlite3_reset(db->st[which]);
		sqlite3_clear_bindings(db->st[which]);
		return db->st[which];
	}
	if (sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, &db->st[which], NULL) !=
	    SQLITE_OK) {
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
void db_bind_str(sqlite3_stmt *st, int i, const char *s)
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
	db_bind_str(st, 1, run->id);
	db_bind_str(st, 2, started);
	db_bind_str(st, 3, run->program);
	db_bind_str(st, 4, run->version);
	db_bind_str(st, 5, run->config_path);
	db_bind_str(st, 6, run->config_hash && *run->config_hash ? run->config_hash : NULL);
	db_bind_str(st, 7, run->lexicons);
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
	db_bind_str(st, 1, run->id);
	db_bind_str(st, 2, finished);
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

/*
 * The body's words as slant counts them everywhere (slant/doc.h): the
 * report's own count when slant-score ran, so the two are one number.
 */
static sqlite3_int64 article_words(const json_t *rec)
{
	const json_t *w = json_object_get(json_object_get(rec, "report"), "words");
	struct doc d = { 0 };
	char why[256];
	size_t n = 0, len;
	const char *text;

	if (json_is_integer(w) && json_integer_value(w) >= 0)
		return json_integer_value(w);
	doc_forget(&d);
	if (doc_read(&d, rec, why, sizeof(why)) == 0)
		n = doc_words(&d);
	else if ((text = rec_text(rec, &len)))
		n = text_count_words(text, 0, len); /* spans the store refuses: the whole text */
	doc_release(&d);
	return (sqlite3_int64)n;
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
	sqlite3_int64 words = article_words(rec);
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

/*
 * The integer key of article 'id' (article_keys), given it if it has none:
 * the key of its annotation rows. Returns 0 or -1 (reported).
 */
static int article_key(struct db *db, const char *id, sqlite3_int64 *key)
{
	sqlite3_stmt *st = stmt(db, DB_ST_KEY), *ins;
	int rc;

	if (!st)
		return -1;
	db_bind_str(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*key = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return sql_error(db, "cannot find an article's key");
	if (!(ins = stmt(db, DB_ST_NEW_KEY)))
		return -1;
	db_bind_str(ins, 1, id);
	if (step_done(db, ins, "cannot key an article") < 0)
		return -1;
	*key = sqlite3_last_insert_rowid(db->sql);
	return 0;
}

static void bind_article(sqlite3_stmt *st, const char *run_id, const char *id,
			 const json_t *outlet, const json_t *source, const json_t *text,
			 const json_t *status, const json_t *rec, sqlite3_int64 words)
{
	db_bind_str(st, 1, id);
	db_bind_str(st, 2, run_id);
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
		db_bind_str(st, 13, "ok");
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

/*
 * Whether member 'k' is stored in its column (of the right type), not in
 * 'fields'. 'text' has none: it is the span's bytes, kept only by offsets.
 */
static bool is_column(const char *k, const json_t *v)
{
	int c = column_of(k);

	if (c < 0)
		return false;
	return c == COL_START || c == COL_END ? json_is_integer(v) : json_is_string(v);
}

/* The same for an annotation whose 'text' is not its span's bytes: that text stays in 'fields'. */
static bool is_column_but_text(const char *k, const json_t *v)
{
	return column_of(k) != COL_TEXT && is_column(k, v);
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

static bool utf8_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/*
 * Why annotation 'c' (its columns) of a record whose text is 'text' (of
 * 'len' bytes) cannot be stored, or NULL: it must have what docs/stream.md
 * requires, and a span inside the text on character boundaries, since the
 * database keeps its text as the span.
 */
static const char *bad_annotation(const json_t *const c[NCOLS], const char *text, size_t len)
{
	json_int_t start, end;

	if (!json_is_string(c[COL_STAGE]) || !json_string_length(c[COL_STAGE]))
		return "no 'stage' string";
	if (!json_is_string(c[COL_LABEL]) || !json_string_length(c[COL_LABEL]))
		return "no 'label' string";
	if (!json_is_integer(c[COL_START]) || !json_is_integer(c[COL_END]))
		return "no integer 'start' and 'end'";
	start = json_integer_value(c[COL_START]);
	end = json_integer_value(c[COL_END]);
	if (start < 0 || end < start || (json_int_t)len < end)
		return "span outside the text";
	if ((start < (json_int_t)len && utf8_cont((unsigned char)text[start])) ||
	    (end < (json_int_t)len && utf8_cont((unsigned char)text[end])))
		return "span splits a UTF-8 character";
	return NULL;
}

/* Whether the annotation's 'text' (if any) is its span's bytes, as docs/stream.md says it is. */
static bool text_is_span(const json_t *const c[NCOLS], const char *text)
{
	size_t start = (size_t)json_integer_value(c[COL_START]);
	size_t n = (size_t)json_integer_value(c[COL_END]) - start;

	return !c[COL_TEXT] || (json_is_string(c[COL_TEXT]) && json_string_length(c[COL_TEXT]) == n &&
				!memcmp(json_string_value(c[COL_TEXT]), text + start, n));
}

/* Note the first bad annotation (index 'i', 'ann', its JSON in '*raw') and count it. */
static void note_bad(struct db_put *put, char **raw, size_t i, const json_t *ann, const char *why)
{
	if (!put->bad_annotations++) {
		size_t len = 0, cap = 0;
		char *dump = NULL;

		snprintf(put->why, sizeof(put->why), "annotation %zu: %s", i, why);
		if (jsonio_dump(ann, 15, &dump, &len, &cap) < 0)
			die("cannot serialise a JSON value");
		/* For the errors table: its first 200 bytes, as for a bad line, in whole characters. */
		if (len > 200)
			for (len = 200; len > 0 && utf8_cont((unsigned char)dump[len]); len--)
				;
		*raw = xmalloc(len + 1);
		memcpy(*raw, dump, len);
		(*raw)[len] = '\0';
		free(dump);
	}
}

static int put_annotations(struct db *db, const json_t *rec, const char *id, struct db_put *put,
			   char **raw)
{
	sqlite3_int64 key = 0;
	sqlite3_stmt *del = stmt(db, DB_ST_DEL_ANNOTATIONS), *st = stmt(db, DB_ST_ANNOTATION);
	const json_t *anns = json_object_get(rec, "annotations"), *t = json_object_get(rec, "text");
	const char *text = json_string_value(t);
	size_t tlen = json_string_length(t);
	const json_t *ann;
	char *buf = NULL;     /* the 'fields' JSON, written afresh for each annotation */
	size_t i, len, cap = 0;
	int rc, ret = 0;

	if (!del || !st || article_key(db, id, &key) < 0)
		return -1;
	sqlite3_bind_int64(del, 1, key);
	if (step_done(db, del, "cannot replace annotations") < 0)
		return -1;
	put->annotations = json_array_size(anns);
	/* Bindings are cleared once per article, not once per row. */
	sqlite3_bind_int64(st, 1, key);
	json_array_foreach(anns, i, ann) {
		const json_t *c[NCOLS];
		const char *why;

		if (!json_is_object(ann)) {
			note_bad(put, raw, i, ann, "not an object");
			continue;
		}
		ann_columns(ann, c);
		if ((why = bad_annotation(c, text, tlen))) {
			note_bad(put, raw, i, ann, why);
			continue;
		}
		/* seq stays the array index, so the annotations that have rows keep their ids. */
		if (skipped(db, json_string_value(c[COL_STAGE]), json_string_value(c[COL_LABEL])))
			continue;
		/* ?1 stays bound from above; every other parameter is bound for every row. */
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		bind_json_str(st, 3, c[COL_STAGE]);
		bind_json_str(st, 4, c[COL_LABEL]);
		bind_json_int(st, 5, c[COL_START]);
		bind_json_int(st, 6, c[COL_END]);
		/*
		 * Its other members, written straight from the annotation: no
		 * copy. A 'text' that is not the span's bytes is kept there, so
		 * nothing the stream said is lost.
		 */
		len = 0;
		if (jsonio_dump_except(ann, 15, text_is_span(c, text) ? is_column : is_column_but_text,
				       &buf, &len, &cap) < 0)
			die("cannot serialise a JSON value");
		sqlite3_bind_text64(st, 7, buf, len, SQLITE_STATIC, SQLITE_UTF8);
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

/* One error row; 'raw' NULL: the record's own 'raw' (the bytes of a bad line). */
static int put_error(struct db *db, const char *run_id, const char *id, const char *article_id,
		     const json_t *rec, const char *stage, const char *message,
		     const json_t *line, const char *raw)
{
	sqlite3_stmt *st = stmt(db, DB_ST_ERROR);
	const json_t *source = json_object_get(rec, "source");

	if (!st)
		return -1;
	db_bind_str(st, 1, run_id);
	db_bind_str(st, 2, id);
	db_bind_str(st, 3, article_id);
	db_bind_str(st, 4, stage);
	db_bind_str(st, 5, message);
	bind_json_str(st, 6, json_object_get(source, "path"));
	/* The reporting stage's line, else where the record came from; 0 means none. */
	if (!json_is_integer(line) || json_integer_value(line) <= 0)
		line = json_object_get(source, "line");
	if (json_is_integer(line) && json_integer_value(line) > 0)
		bind_json_int(st, 7, line);
	else
		sqlite3_bind_null(st, 7);
	if (raw)
		db_bind_str(st, 8, raw);
	else
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
		db_bind_str(del, 1, id);
		if (step_done(db, del, "cannot replace errors") < 0)
			return -1;
	}
	json_array_foreach(errs, i, e) {
		const char *msg = json_string_value(json_object_get(e, "message"));
		char *dumped = NULL;
		int r;

		if (!msg)
			msg = dumped = json_dumps(e, DB_JSON_FLAGS);
		r = put_error(db, run_id, id, article_id, rec,
			      json_string_value(json_object_get(e, "stage")),
			      msg ? msg : "unreadable error entry", json_object_get(e, "line"), NULL);
		free(dumped);
		if (r < 0)
			return -1;
		(*n)++;
	}
	if (*n == 0 && status && !strcmp(status, "error")) {
		if (put_error(db, run_id, id, article_id, rec, NULL,
			      "record has status 'error' and no error entry", NULL, NULL) < 0)
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
	char *raw = NULL;         /* the first bad annotation's JSON */

	if (own && db_begin(db) < 0)
		return -1;
	if (article && (put_article(db, run_id, rec, id) < 0 ||
			put_annotations(db, rec, id, &put, &raw) < 0))
		goto fail;
	put.article = article;
	if (put_errors(db, run_id, rec, id, article ? id : NULL, &put.errors) < 0)
		goto fail;
	/* After put_errors(), which replaces the record's rows: nothing left out unsaid. */
	if (put.bad_annotations) {
		char msg[sizeof(put.why) + 64];

		snprintf(msg, sizeof(msg), "%zu of %zu annotations not stored: %s",
			 put.bad_annotations, put.annotations, put.why);
		if (put_error(db, run_id, id, id, rec, "store", msg, NULL, raw) < 0)
			goto fail;
		put.errors++;
	}
	if (own && db_commit(db) < 0)
		goto fail_released;
	if (out)
		*out = put;
	free(raw);
	return 0;
fail:
	if (own)
		db_rollback(db);
fail_released:
	free(raw);
	return -1;
}

/* ====== Merging shard databases ====== */

/*
 * A shard is untrusted input (docs/reliability.md): it is opened read-only
 * on a connection of its own, never attached, and nothing it holds is run
 * as SQL. Its tables must be exactly tables of the output's schema, by
 * their definitions, and their rows are copied with this file's statements,
 * bound as values.
 */
struct merge {
	struct db *db;            /* the output */
	sqlite3 *sh;              /* the shard, read-only */
	const char *path;         /* the shard's, for messages */
	struct db_merge m;
};

static int shard_error(struct merge *g, const char *what)
{
	return error("cannot merge '%s': %s: %s", g->path, what, sqlite3_errmsg(g->sh));
}

/* Prepare 'sql' on connection 'c' (the output or the shard); NULL after reporting. */
static sqlite3_stmt *merge_prepare(struct merge *g, sqlite3 *c, const char *sql)
{
	sqlite3_stmt *st = NULL;

	/* A NULL from sqlite3_mprintf() is out of memory: die as xmalloc does. */
	if (!sql)
		die("out of memory building a merge statement");
	if (sqlite3_prepare_v2(c, sql, -1, &st, NULL) != SQLITE_OK) {
		if (c == g->sh)
			shard_error(g, "cannot read it");
		else
			sql_error(g->db, "cannot merge");
		return NULL;
	}
	return st;
}

/* Bind the current row of 'src' (from the shard) as parameters 1..n of 'dst': values, never SQL. */
static void bind_row(sqlite3_stmt *dst, sqlite3_stmt *src, int n)
{
	int i;

	for (i = 0; i < n; i++)
		sqlite3_bind_value(dst, i + 1, sqlite3_column_value(src, i));
}

/* Step 'st' (no rows), reset it; add its changes to '*n' (may be NULL). */
static int merge_step(struct merge *g, sqlite3_stmt *st, unsigned long *n)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sql_error(g->db, "cannot merge");
	if (n)
		*n += (unsigned long)sqlite3_changes(g->db->sql);
	return 0;
}

/*
 * Write each row 'src' (on the shard) yields with 'dst' (on the output),
 * bound as parameters 1..n; add the rows written to '*count' (may be NULL).
 * 'src' is reset, so it can be stepped again with new bindings.
 */
static int copy_rows(struct merge *g, sqlite3_stmt *src, sqlite3_stmt *dst, int n,
		     unsigned long *count, const char *what)
{
	int rc, ret = 0;

	while (ret == 0 && (rc = sqlite3_step(src)) == SQLITE_ROW) {
		bind_row(dst, src, n);
		ret = merge_step(g, dst, count);
	}
	sqlite3_reset(src);
	if (ret == 0 && rc != SQLITE_DONE)
		ret = shard_error(g, what);
	return ret;
}

/*
 * The shard's schema must be one slant-store wrote: its version, and every
 * table of it (but SQLite's own) a table of the output with the very same
 * definition, runs, articles, annotation_rows and errors among them. So a
 * file with other tables, other columns or a doctored sqlite_master is
 * refused before a row is read.
 */
static int merge_check_schema(struct merge *g)
{
	static const char *const need[] = { "runs", "articles", "article_keys", "annotation_rows",
					    "errors" };
	sqlite3_stmt *st, *mine;
	int rc, v = -1, ret = 0;
	size_t i, found = 0;

	if (!(st = merge_prepare(g, g->sh, "PRAGMA user_version")))
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (v == 0)
		return error("cannot merge '%s': not a slant database (no schema version)", g->path);
	if (v != DB_SCHEMA_VERSION)
		return error("cannot merge '%s': it has schema version %d and '%s' has %d; open the"
			     " older one with this slant-store first to migrate it",
			     g->path, v, g->db->path, DB_SCHEMA_VERSION);
	if (!(st = merge_prepare(g, g->sh,
				 "SELECT type, name, sql FROM sqlite_master WHERE type = 'table'"
				 " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")))
		return -1;
	if (!(mine = merge_prepare(g, g->db->sql,
				   "SELECT 1 FROM main.sqlite_master WHERE type = 'table'"
				   " AND name = ?1 AND sql = ?2"))) {
		sqlite3_finalize(st);
		return -1;
	}
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);

		sqlite3_bind_value(mine, 1, sqlite3_column_value(st, 1));
		sqlite3_bind_value(mine, 2, sqlite3_column_value(st, 2));
		if (sqlite3_step(mine) != SQLITE_ROW)
			ret = error("cannot merge '%s': its table '%.60s' is not one slant-store"
				    " writes (refused as a shard)", g->path, name ? name : "?");
		sqlite3_reset(mine);
		for (i = 0; name && i < sizeof(need) / sizeof(need[0]); i++)
			found += !strcmp(name, need[i]);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = shard_error(g, "cannot read its schema");
	if (ret == 0 && found != sizeof(need) / sizeof(need[0]))
		ret = error("cannot merge '%s': not a slant database (tables missing)", g->path);
	sqlite3_finalize(st);
	sqlite3_finalize(mine);
	return ret;
}

/*
 * From the output's columns of 'table' (trusted: its own schema), for
 * sqlite3_free(): 'cols' "c1", "c2", ...; 'params' ?1, ?2, ...; 'same' the
 * test that a row holds those values, "c1" IS ?1 AND ... (NULLs equal).
 * Returns the number of columns, or -1 (reported).
 */
static int column_lists(struct merge *g, const char *table, char **cols, char **params,
			char **same)
{
	sqlite3_stmt *st = merge_prepare(g, g->db->sql, "SELECT name FROM pragma_table_info(?1)");
	sqlite3_str *c = sqlite3_str_new(NULL), *p = sqlite3_str_new(NULL), *w = sqlite3_str_new(NULL);
	int n = 0;

	if (st) {
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(st, 0);

			n++;
			sqlite3_str_appendf(c, "%s\"%w\"", n > 1 ? ", " : "", name);
			sqlite3_str_appendf(p, "%s?%d", n > 1 ? ", " : "", n);
			sqlite3_str_appendf(w, "%s\"%w\" IS ?%d", n > 1 ? " AND " : "", name, n);
		}
		sqlite3_finalize(st);
	}
	*cols = sqlite3_str_finish(c);
	*params = sqlite3_str_finish(p);
	*same = sqlite3_str_finish(w);
	if (st && n && (!*cols || !*params || !*same))
		die("out of memory listing the columns of '%s'", table);
	return st ? n : -1;
}

/*
 * Copy the shard's rows of 'table' that the output lacks, replacing rows
 * with the same key: runs (unique ids) and the tables other modules add
 * (scores, score_components, decisions: keyed by article, run and span).
 * A row already here unchanged is not touched. '*n' counts rows written.
 */
static int merge_by_key(struct merge *g, const char *table, unsigned long *n)
{
	char *cols, *p, *same, *sql;
	int ncols = column_lists(g, table, &cols, &p, &same), ret = -1;
	sqlite3_stmt *src = NULL, *dst = NULL;

	if (ncols <= 0) {
		sqlite3_free(cols);
		sqlite3_free(p);
		sqlite3_free(same);
		return ncols < 0 ? -1 : error("database '%s': no table '%s'", g->db->path, table);
	}
	sql = sqlite3_mprintf("SELECT %s FROM \"%w\"", cols, table);
	src = merge_prepare(g, g->sh, sql);
	sqlite3_free(sql);
	sql = sqlite3_mprintf("INSERT OR REPLACE INTO main.\"%w\" (%s) SELECT %s"
			      " WHERE NOT EXISTS (SELECT 1 FROM main.\"%w\" WHERE %s)",
			      table, cols, p, table, same);
	dst = src ? merge_prepare(g, g->db->sql, sql) : NULL;
	sqlite3_free(sql);
	if (src && dst)
		ret = copy_rows(g, src, dst, ncols, n, "cannot read it");
	sqlite3_finalize(src);
	sqlite3_finalize(dst);
	sqlite3_free(cols);
	sqlite3_free(p);
	sqlite3_free(same);
	return ret;
}

#define ARTICLE_COLS \
	"id, run_id, url, title, outlet_name, outlet_domain, byline, published, text," \
	" source_path, source_type, source_line, status, bytes, words, extra"
#define ANN_ROW_COLS "seq, stage, label, start, end, fields"
#define ERROR_COLS "run_id, record_id, article_id, stage, message, input, line, raw"

/*
 * Articles as db_put_record() stores them: an article the shard holds in
 * another version replaces the output's row (update, else insert: no
 * cascade, and the score triggers work as for a store), its annotations
 * and its error rows. An article already present unchanged is not
 * touched, nor are its rows.
 */
static int merge_articles(struct merge *g)
{
	sqlite3_stmt *src = merge_prepare(g, g->sh, "SELECT " ARTICLE_COLS " FROM articles ORDER BY id");
	sqlite3_stmt *same = merge_prepare(g, g->db->sql,
		"SELECT 1 FROM articles WHERE id IS ?1 AND run_id IS ?2 AND url IS ?3 AND title IS ?4"
		" AND outlet_name IS ?5 AND outlet_domain IS ?6 AND byline IS ?7 AND published IS ?8"
		" AND text IS ?9 AND source_path IS ?10 AND source_type IS ?11 AND source_line IS ?12"
		" AND status IS ?13 AND bytes IS ?14 AND words IS ?15 AND extra IS ?16");
	sqlite3_stmt *upd = merge_prepare(g, g->db->sql,
		"UPDATE articles SET run_id = ?2, url = ?3, title = ?4, outlet_name = ?5,"
		" outlet_domain = ?6, byline = ?7, published = ?8, text = ?9, source_path = ?10,"
		" source_type = ?11, source_line = ?12, status = ?13, bytes = ?14, words = ?15,"
		" extra = ?16 WHERE id = ?1");
	sqlite3_stmt *ins = merge_prepare(g, g->db->sql,
		"INSERT INTO articles (" ARTICLE_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
		" ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
	sqlite3_stmt *note = merge_prepare(g, g->db->sql, "INSERT OR IGNORE INTO temp.merge_ids VALUES (?1)");
	sqlite3_stmt *del = merge_prepare(g, g->db->sql, "DELETE FROM annotation_rows WHERE article_key = ?1");
	/* The shard's rows by its own key for the article, stored under the output's. */
	sqlite3_stmt *anns = merge_prepare(g, g->sh, "SELECT " ANN_ROW_COLS " FROM annotation_rows"
				     " WHERE article_key = (SELECT key FROM article_keys WHERE id = ?1)"
				     " ORDER BY seq");
	sqlite3_stmt *ann = merge_prepare(g, g->db->sql, "INSERT INTO annotation_rows (article_key, "
				    ANN_ROW_COLS ") VALUES (?7, ?1, ?2, ?3, ?4, ?5, ?6)");
	sqlite3_int64 key = 0;
	int rc = SQLITE_DONE, r2, ret = -1;

	if (!src || !same || !upd || !ins || !note || !del || !anns || !ann)
		goto out;
	ret = 0;
	while (ret == 0 && (rc = sqlite3_step(src)) == SQLITE_ROW) {
		unsigned long changed = 0;

		bind_row(same, src, 16);
		r2 = sqlite3_step(same);
		sqlite3_reset(same);
		if (r2 == SQLITE_ROW)
			continue;
		bind_row(upd, src, 16);
		if ((ret = merge_step(g, upd, &changed)) < 0)
			break;
		if (!changed) {
			bind_row(ins, src, 16);
			if ((ret = merge_step(g, ins, NULL)) < 0)
				break;
		}
		g->m.articles++;
		sqlite3_bind_value(note, 1, sqlite3_column_value(src, 0));
		sqlite3_bind_value(anns, 1, sqlite3_column_value(src, 0));
		if ((ret = merge_step(g, note, NULL)) < 0 ||
		    (ret = article_key(g->db, (const char *)sqlite3_column_text(src, 0), &key)) < 0)
			break;
		sqlite3_bind_int64(del, 1, key);
		sqlite3_bind_int64(ann, 7, key);
		if ((ret = merge_step(g, del, NULL)) < 0)
			break;
		ret = copy_rows(g, anns, ann, 6, NULL, "cannot read its annotations");
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = shard_error(g, "cannot read its articles");
out:
	sqlite3_finalize(src);
	sqlite3_finalize(same);
	sqlite3_finalize(upd);
	sqlite3_finalize(ins);
	sqlite3_finalize(note);
	sqlite3_finalize(del);
	sqlite3_finalize(anns);
	sqlite3_finalize(ann);
	return ret;
}

/*
 * Error rows have no key but their run: a record's rows from the run the
 * shard has them from stay, any others of a record the shard (re)stored
 * go, and the shard's rows come in unless that record and run had rows
 * here before the merge.
 */
static int merge_errors(struct merge *g)
{
	sqlite3_stmt *pairs = merge_prepare(g, g->sh, "SELECT DISTINCT record_id, run_id FROM errors");
	sqlite3_stmt *pair = merge_prepare(g, g->db->sql, "INSERT INTO temp.merge_errs VALUES (?1, ?2, 0)");
	sqlite3_stmt *src = merge_prepare(g, g->sh, "SELECT " ERROR_COLS " FROM errors ORDER BY id");
	sqlite3_stmt *ins = merge_prepare(g, g->db->sql,
		"INSERT INTO errors (" ERROR_COLS ") SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8"
		" WHERE NOT (SELECT present FROM temp.merge_errs WHERE record_id IS ?2 AND run_id IS ?1)");
	int ret = -1;

	if (!pairs || !pair || !src || !ins)
		goto out;
	ret = copy_rows(g, pairs, pair, 2, NULL, "cannot read its errors");
	if (ret == 0)
		ret = db_exec(g->db,
			      "DELETE FROM main.errors WHERE (record_id IN temp.merge_ids OR record_id IN"
			      " (SELECT record_id FROM temp.merge_errs)) AND NOT EXISTS (SELECT 1 FROM"
			      " temp.merge_errs e WHERE e.record_id = main.errors.record_id"
			      " AND e.run_id IS main.errors.run_id);"
			      "UPDATE temp.merge_errs SET present = EXISTS (SELECT 1 FROM main.errors x"
			      " WHERE x.record_id IS merge_errs.record_id AND x.run_id IS merge_errs.run_id)");
	if (ret == 0)
		ret = copy_rows(g, src, ins, 8, &g->m.errors, "cannot read its errors");
out:
	sqlite3_finalize(pairs);
	sqlite3_finalize(pair);
	sqlite3_finalize(src);
	sqlite3_finalize(ins);
	return ret;
}

/* Every other table of the shard (its definition checked): scores, decisions, ... by key. */
static int merge_other_tables(struct merge *g)
{
	sqlite3_stmt *st = merge_prepare(g, g->sh,
		"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%'"
		" ESCAPE '\\' AND name NOT IN ('runs', 'articles', 'article_keys', 'annotation_rows',"
		" 'errors')"
		" ORDER BY name");
	int rc = SQLITE_DONE, ret = 0;

	if (!st)
		return -1;
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *name = xstrdup((const char *)sqlite3_column_text(st, 0));

		ret = merge_by_key(g, name, &g->m.other);
		free(name);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = shard_error(g, "cannot list its tables");
	sqlite3_finalize(st);
	return ret;
}

/* Open 'path' read-only, as a file that may have been written to attack its reader. */
static int open_shard(struct merge *g)
{
	int rc = sqlite3_open_v2(g->path, &g->sh, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);

	if (rc != SQLITE_OK)
		return error("cannot merge '%s': %s", g->path,
			     g->sh ? sqlite3_errmsg(g->sh) : sqlite3_errstr(rc));
	/*
	 * SQLite's advice for database files from elsewhere: no writes to its
	 * schema, checked cells. Not trusted_schema off: SQLite 3.40 then
	 * refuses the json_extract() of slant's own publisher index; the
	 * shard's views, triggers and indexes are never used, as only its
	 * tables are read, and only after their definitions are checked.
	 */
	sqlite3_db_config(g->sh, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_busy_timeout(g->sh, g->db->busy_ms);
	if (sqlite3_exec(g->sh, "PRAGMA cell_size_check = ON; PRAGMA mmap_size = 0; BEGIN", NULL,
			 NULL, NULL) != SQLITE_OK)
		return shard_error(g, "cannot read it");
	return 0;
}

int db_merge(struct db *db, const char *shard, struct db_merge *out)
{
	struct merge g = { .db = db, .path = shard };
	struct stat a, b;
	int ret = -1;

	if (db->in_tx)
		return error("database '%s': cannot merge inside a transaction", db->path);
	/* Opening a missing file read-only fails, but say plainly why. */
	if (stat(shard, &b) < 0)
		return error("cannot merge '%s':", shard);
	if (!S_ISREG(b.st_mode))
		return error("cannot merge '%s': not a file", shard);
	if (stat(db->path, &a) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return error("cannot merge '%s' into itself", shard);
	if (open_shard(&g) == 0 && merge_check_schema(&g) == 0 && db_begin(db) == 0) {
		if (db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS merge_ids (id TEXT PRIMARY KEY);"
				"CREATE TEMP TABLE IF NOT EXISTS merge_errs (record_id, run_id, present);"
				"DELETE FROM temp.merge_ids; DELETE FROM temp.merge_errs") == 0 &&
		    merge_by_key(&g, "runs", &g.m.runs) == 0 && merge_articles(&g) == 0 &&
		    merge_errors(&g) == 0 && merge_other_tables(&g) == 0)
			ret = db_commit(db);
		else
			db_rollback(db);
		if (ret < 0)
			error("'%s' not merged: '%s' is as it was", shard, db->path);
		db_exec(db, "DROP TABLE IF EXISTS temp.merge_ids; DROP TABLE IF EXISTS temp.merge_errs");
	}
	if (g.sh)
		sqlite3_close(g.sh);
	if (ret == 0 && out)
		*out = g.m;
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
