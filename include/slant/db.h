/*
 * db.h -- the SQLite database slant-store fills (docs/schema.md).
 *
 * One struct db wraps one connection and its prepared statements. The
 * schema is versioned in PRAGMA user_version and brought up to date by
 * db_schema(); other modules add their views through its 'extra' list.
 * Records are written with db_put_record() inside a transaction opened by
 * db_begin(), so a batch of articles lands whole or not at all.
 *
 *   struct db db = DB_INIT;
 *   if (db_open(&db, "slant.db", 10000, 0) < 0 || db_schema(&db, NULL) < 0) ...
 *   db_begin(&db); db_put_record(&db, run_id, rec, NULL); ... db_commit(&db);
 *   db_close(&db);
 */
#ifndef SLANT_DB_H
#define SLANT_DB_H

#include <stdbool.h>

#include <jansson.h>
#include <sqlite3.h>

/* The schema this code writes; db_schema() migrates older files up to it. */
#define DB_SCHEMA_VERSION 3

enum db_stmt {
	DB_ST_ARTICLE_UPDATE, /* replace one article row, if it is there */
	DB_ST_ARTICLE,        /* else insert it */
	DB_ST_KEY,            /* an article's integer key (article_keys) */
	DB_ST_NEW_KEY,        /* a new article's */
	DB_ST_DEL_ANNOTATIONS,
	DB_ST_ANNOTATION,
	DB_ST_DEL_ERRORS,
	DB_ST_ERROR,
	DB_ST_RUN_BEGIN,
	DB_ST_RUN_END,
	DB_ST_REPORT_ARTICLE,     /* report_load(): an article's row */
	DB_ST_REPORT_ANNOTATIONS, /* and its annotation rows */
	DB_ST_REPORT_DECISIONS,   /* and the review decisions on them */
	DB_NSTMT
};

struct db {
	sqlite3 *sql;
	char *path;
	int busy_ms;                  /* how long to wait for another writer */
	bool in_tx;                   /* inside db_begin() .. db_commit() */
	/*
	 * Annotations that get no row: "STAGE/LABEL ..." ([store] skip), or
	 * NULL. Checked with db_skip_valid() first.
	 */
	const char *skip;
	sqlite3_stmt *st[DB_NSTMT];   /* prepared on first use, finalized by db_close() */
};

#define DB_INIT { 0 }

enum db_open_flags {
	DB_READONLY = 1 << 0,         /* open an existing file for queries only */
};

/*
 * Open (creating unless DB_READONLY) the database at 'path' in WAL mode with
 * foreign keys on and a busy timeout of 'busy_ms'. Returns 0, or -1 after
 * reporting "cannot open database 'PATH': why".
 */
int db_open(struct db *db, const char *path, int busy_ms, unsigned flags);

/*
 * How long a reader or the driver waits for another writer when no
 * [store] busy_timeout_ms applies: long enough for one batch commit.
 */
#define DB_BUSY_TIMEOUT_MS 10000

/*
 * Create or migrate the tables to DB_SCHEMA_VERSION in one transaction, then
 * run each statement of 'extra' (NULL-terminated, may be NULL) in it: the
 * place for views (CREATE VIEW IF NOT EXISTS ..., or DROP then CREATE so a
 * changed definition takes effect). A file newer than this code is refused.
 * Returns 0 or -1 (reported).
 */
int db_schema(struct db *db, const char *const *extra);

/* The file's PRAGMA user_version, or -1 (reported). */
int db_version(struct db *db);

/*
 * The statement in slot 'which' for 'sql' (the slot's caller always passes
 * the same text), prepared on the first call and kept until db_close(): a
 * report loads 20,000 articles with the same two statements. Returns it
 * reset with its bindings cleared, or NULL (reported).
 */
sqlite3_stmt *db_prepared(struct db *db, enum db_stmt which, const char *sql);

/* Bind 's' (not copied: it must outlive the step) to parameter i; NULL binds NULL. */
void db_bind_str(sqlite3_stmt *st, int i, const char *s);

/* Run 'sql' (one or more statements, no parameters). Returns 0 or -1 (reported). */
int db_exec(struct db *db, const char *sql);

/* Whether 'list' is a valid [store] skip value: "STAGE/LABEL" words. Sets *bad to the first bad word. */
bool db_skip_valid(const char *list, const char **bad, size_t *badlen);

/*
 * BEGIN IMMEDIATE / COMMIT / ROLLBACK. Begin and commit wait for another
 * writer up to the busy timeout, retrying on SQLITE_BUSY. Returns 0 or -1
 * (reported); after a failed commit the transaction has been rolled back.
 */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);

/* One row of the runs table. */
struct db_run {
	char id[40];              /* set by db_run_begin(): "20250314T093000Z-1a2b3c4d" */
	const char *program;      /* "slant-store" */
	const char *version;
	const char *config_path;  /* NULL: built-in defaults */
	const char *config_hash;  /* SHA-256 hex of the config file, or NULL */
	const char *lexicons;     /* JSON array [{"key","sha256"}] (docs/schema.md), or NULL */
	unsigned long n_read, n_stored, n_errors;
};

/* Insert the run's row (committed at once, so even a killed load is on record). */
int db_run_begin(struct db *db, struct db_run *run);
/* Set its finish time and counts (in the current transaction, if any). */
int db_run_end(struct db *db, const struct db_run *run);

/* What db_put_record() wrote. */
struct db_put {
	bool article;             /* an articles row (and its annotations) */
	unsigned long errors;     /* rows added to the errors table */
	size_t annotations;       /* elements of the record's 'annotations' */
	size_t bad_annotations;   /* of them, left out as invalid (docs/schema.md) */
	char why[160];            /* the first one left out and why: "annotation 3: no 'stage' string" */
};

/*
 * Write one stream record: upsert its article row (when it has an 'id' and
 * a 'text'), replace its annotations, and replace its error rows with one
 * per entry of its 'errors' array (an error record with no entry still gets
 * one row). An annotation's text is not stored (the 'annotations' view
 * cuts it from the article's), unless it is not its span's bytes: then it
 * is kept in 'fields'. An annotation that is not an object, has no 'stage'
 * or 'label' string, or no integer 'start' and 'end' inside the text on
 * character boundaries gets no row: they are counted in
 * 'out->bad_annotations', the first is described in 'out->why', and one
 * error row (stage "store") says so, with that annotation's JSON in 'raw'.
 * The caller reports it (the record is stored all the same). Runs in the
 * caller's transaction, or its own if there is none. 'out' may be NULL.
 * Returns 0 or -1 (reported).
 */
int db_put_record(struct db *db, const char *run_id, const json_t *rec, struct db_put *out);

/* What db_merge() changed. */
struct db_merge {
	unsigned long runs;       /* rows of 'runs' added or replaced */
	unsigned long articles;   /* articles added or replaced (with their annotations) */
	unsigned long errors;     /* error rows added */
	unsigned long other;      /* rows of other tables (scores, decisions, ...) */
};

/*
 * Merge the slant database file 'shard' into 'db', in one transaction, with
 * the rules of db_put_record(): runs are added by id (unique across
 * machines); an article replaces the one with its id, with its annotations
 * and error rows; every other table both files have (scores, decisions,
 * ...) is copied by its primary key. Rows already present unchanged are
 * left alone, so merging a shard twice changes nothing. Refuses a shard of
 * another schema version, a file that is not a slant database, and 'db'
 * itself. 'out' may be NULL. Returns 0 or -1 (reported; 'db' unchanged).
 *
 *   for (i = 0; i < n; i++) db_merge(&db, shard[i], NULL);
 */
int db_merge(struct db *db, const char *shard, struct db_merge *out);

/* Roll back an open transaction, finalize statements, close. Safe to repeat. */
void db_close(struct db *db);

#endif
