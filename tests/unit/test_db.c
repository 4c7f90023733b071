/* test_db.c -- lib/db.c: schema and migrations, the record upsert, errors, runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "slant/db.h"
#include "slant/usage.h"

struct fixture {
	char dir[64];
	char *path;
	struct db db;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/test_db.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	f->path = xasprintf("%s/t.db", f->dir);
	if (db_open(&f->db, f->path, 1000, 0) < 0 || db_schema(&f->db, NULL) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char *cmd;

	db_close(&f->db);
	cmd = xasprintf("rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->dir);
	free(cmd);
	free(f->path);
	free(f);
	return 0;
}

/* The one integer a query returns. */
static long long query_int(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The one string a query returns, copied; caller frees. */
static char *query_str(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	char *v = NULL;

	assert_int_equal(sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static json_t *parse(const char *s)
{
	json_error_t err;
	json_t *v = json_loads(s, 0, &err);

	assert_non_null(v);
	return v;
}

static void put(struct db *db, const char *json)
{
	json_t *rec = parse(json);

	assert_int_equal(db_put_record(db, "r1", rec, NULL), 0);
	json_decref(rec);
}

static const char article[] =
	"{\"format\":1,\"id\":\"c-1\",\"url\":\"https://x.test/a\",\"title\":\"T\","
	"\"outlet\":{\"name\":\"X News\",\"domain\":\"x.test\"},"
	"\"source\":{\"path\":\"a.html\",\"type\":\"html\"},\"byline\":\"By A\","
	"\"published\":\"2025-03-14\",\"text\":\"T\\n\\nOne two  three.\","
	"\"publisher\":{\"name\":\"X News\",\"state_affiliated\":false},"
	"\"annotations\":["
	"{\"stage\":\"segment\",\"label\":\"headline\",\"start\":0,\"end\":1,\"text\":\"T\"},"
	"{\"stage\":\"segment\",\"label\":\"sentence\",\"start\":3,\"end\":18,"
	"\"text\":\"One two  three.\",\"index\":1,\"paragraph\":1},"
	"{\"stage\":\"frame\",\"label\":\"loaded\",\"start\":3,\"end\":6,\"text\":\"One\","
	"\"weight\":0.5,\"voice\":\"authorial\"}]}";

static void test_db__schema_version_and_reopen(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(db_version(&f->db), DB_SCHEMA_VERSION);
	/* Applying it again is a no-op, and 'extra' statements run in the same step. */
	{
		static const char *const views[] = {
			"CREATE VIEW IF NOT EXISTS n_articles AS SELECT count(*) AS n FROM articles",
			NULL,
		};
		assert_int_equal(db_schema(&f->db, views), 0);
		assert_int_equal(query_int(&f->db, "SELECT n FROM n_articles"), 0);
	}
	db_close(&f->db);
	assert_int_equal(db_open(&f->db, f->path, 1000, 0), 0);
	assert_int_equal(db_schema(&f->db, NULL), 0);
	assert_int_equal(db_version(&f->db), DB_SCHEMA_VERSION);
	{
		char *mode = query_str(&f->db, "PRAGMA journal_mode");

		assert_string_equal(mode, "wal");
		free(mode);
	}
}

static void test_db__newer_schema_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(db_exec(&f->db, "PRAGMA user_version = 99"), 0);
	assert_int_equal(db_schema(&f->db, NULL), -1);
	assert_false(f->db.in_tx);
}

static void test_db__not_a_database(void **state)
{
	struct fixture *f = *state;
	struct db db;
	char *path = xasprintf("%s/junk.db", f->dir);
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	fputs("this is not an SQLite file, but it is long enough to look like one......\n"
	      "................................................................\n",
	      fp);
	fclose(fp);
	assert_int_equal(db_open(&db, path, 100, 0), -1);
	assert_null(db.sql);
	free(path);
}

static void test_db__article_columns_extra_and_fields(void **state)
{
	struct fixture *f = *state;
	char *s;

	put(&f->db, article);
	assert_int_equal(query_int(&f->db, "SELECT count(*) FROM articles"), 1);
	s = query_str(&f->db, "SELECT url || '|' || title || '|' || outlet_name || '|' ||"
			      " outlet_domain || '|' || byline || '|' || published || '|' ||"
			      " source_path || '|' || source_type || '|' || status || '|' ||"
			      " bytes || '|' || words || '|' || run_id FROM articles");
	assert_string_equal(s, "https://x.test/a|T|X News|x.test|By A|2025-03-14|a.html|html|ok|18|3|r1");
	free(s);
	/* Only fields without a column of their own are kept in 'extra'. */
	s = query_str(&f->db, "SELECT extra FROM articles");
	assert_string_equal(s, "{\"format\":1,\"publisher\":{\"name\":\"X News\",\"state_affiliated\":false}}");
	free(s);
	assert_int_equal(query_int(&f->db, "SELECT count(*) FROM annotations WHERE article_id = 'c-1'"),
			 3);
	s = query_str(&f->db, "SELECT fields FROM annotations WHERE seq = 1");
	assert_string_equal(s, "{\"index\":1,\"paragraph\":1}");
	free(s);
	s = query_str(&f->db, "SELECT stage || label || start || '-' || end || text ||"
			      " json_extract(fields, '$.voice') FROM annotations WHERE seq = 2");
	assert_string_equal(s, "frameloaded3-6Oneauthorial");
	free(s);
	s = query_str(&f->db, "SELECT fields FROM annotations WHERE seq = 0");
	assert_string_equal(s, "{}");
	free(s);
}

static void test_db__rerun_replaces(void **state)
{
	struct fixture *f = *state;

	put(&f->db, article);
	put(&f->db, article);
	assert_int_equal(query_int(&f->db, "SELECT count(*) FROM articles"), 1);
	assert_int_equal(query_int(&f->db, "SELECT count(*) FROM annotations"), 3);
	/* Fewer annotations the second time: the old ones go. */
	put(&f->db, "{\"id\":\"c-1\",\"text\":\"T2\",\"annotations\":[{\"stage\":\"segment\","
		    "\"label\":\"headline\",\"start\":0,\"end\":2,\"text\":\"T2\"}]}");
	assert_int_equal(query_int(&f->db, "SELECT count(*) FROM articles"), 1);
	assert_int_equal(query_int(&f->db, "SELECT count(*) FROM annotations"), 1);
	assert_int_equal(query_int(&f->db, "SELECT bytes FROM articles"), 2);
	assert_int_equal(query_int(&f->db, "PRAGMA foreign_key_check"), -1);
}

static void test_db__odd_shapes_kept(void **state)
{
	struct fixture *f = *state;
	char *s;

	/* An outlet with more than the columns hold stays whole in 'extra'. */
	put(&f->db, "{\"id\":\"c-2\",\"text\":\"abc\",\"outlet\":{\"name\":\"N\",\"country\":\"CU\"},"
		    "\"title\":7}");
	s = query_str(&f->db, "SELECT extra FROM articles WHERE id = 'c-2'");
	assert_string_equal(s, "{\"outlet\":{\"name\":\"N\",\"country\":\"CU\"},\"title\":7}");
	free(s);
	assert_int_equal(query_int(&f->db, "SELECT title IS NULL FROM articles"), 1);
}

/* Annotations that break docs/stream.md get no row; one error row says so. */
static void test_db__bad_annotations(void **state)
{
	struct fixture *f = *state;
	json_t *rec = parse("{\"id\":\"c-2\",\"text\":\"ab\\u00e9\",\"annotations\":["
			    "{\"stage\":\"x\",\"label\":\"y\",\"start\":\"0\",\"end\":1},3,"
			    "{\"stage\":\"x\",\"label\":\"y\",\"start\":0,\"end\":1,\"text\":\"a\"},"
			    "{\"stage\":\"x\",\"label\":\"\",\"start\":0,\"end\":1},"
			    "{\"stage\":\"x\",\"label\":\"y\",\"start\":2,\"end\":3},"
			    "{\"stage\":\"x\",\"label\":\"y\",\"start\":2,\"end\":5},"
			    "{\"stage\":\"x\",\"label\":\"y\",\"start\":2,\"end\":4}]}");
	struct db_put p;
	char *s;

	assert_int_equal(db_put_record(&f->db, "r1", rec, &p), 0);
	json_decref(rec);
	assert_true(p.article);
	assert_int_equal(p.annotations, 7);
	assert_int_equal(p.bad_annotations, 5);
	assert_string_equal(p.why, "annotation 0: no integer 'start' and 'end'");
	assert_int_equal(p.errors, 1);
	s = query_str(&f->db, "SELECT group_concat(seq || ':' || text, ' ') FROM annotations");
	assert_string_equal(s, "2:a 6:\xc3\xa9");
	free(s);
	s = query_str(&f->db, "SELECT stage || '|' || message || '|' || raw FROM errors");
	assert_string_equal(s, "store|5 of 7 annotations not stored: annotation 0: no integer 'start'"
			       " and 'end'|{\"stage\":\"x\",\"label\":\"y\",\"start\":\"0\",\"end\":1}");
	free(s);
}

/* A file of schema 1 is migrated: annotation text derived, not stored. */
static void test_db__migrate_from_1(void **state)
{
	struct fixture *f = *state;
	struct db db;
	char *path = xasprintf("%s/v1.db", f->dir), *s;
	sqlite3 *raw;

	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw,
		"CREATE TABLE articles (id TEXT PRIMARY KEY, run_id TEXT, url TEXT, title TEXT,"
		" outlet_name TEXT, outlet_domain TEXT, byline TEXT, published TEXT, text TEXT,"
		" source_path TEXT, source_type TEXT, source_line INTEGER, status TEXT NOT NULL"
		" DEFAULT 'ok', bytes INTEGER, words INTEGER, extra TEXT NOT NULL DEFAULT '{}');"
		"CREATE TABLE annotations (article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE"
		" CASCADE, seq INTEGER NOT NULL, stage TEXT, label TEXT, start INTEGER, end INTEGER,"
		" text TEXT, fields TEXT NOT NULL DEFAULT '{}', PRIMARY KEY (article_id, seq));"
		"CREATE INDEX annotations_stage_label ON annotations(stage, label);"
		"INSERT INTO articles (id, text) VALUES ('c-1', 'ab' || char(233) || 'd');"
		"INSERT INTO annotations VALUES ('c-1', 0, 'x', 'y', 2, 4, char(233), '{\"k\":1}');"
		"INSERT INTO annotations VALUES ('c-1', 3, 'x', 'y', 0, 1, 'zz', '{}');"
		"PRAGMA user_version = 1;", NULL, NULL, NULL), SQLITE_OK);
	/* The rest of schema 1, as its migration made it. */
	assert_int_equal(sqlite3_exec(raw,
		"CREATE TABLE runs (id TEXT PRIMARY KEY, started TEXT NOT NULL, finished TEXT,"
		" program TEXT, version TEXT, config_path TEXT, config_hash TEXT, lexicons TEXT,"
		" n_read INTEGER NOT NULL DEFAULT 0, n_stored INTEGER NOT NULL DEFAULT 0,"
		" n_errors INTEGER NOT NULL DEFAULT 0);"
		"CREATE TABLE errors (id INTEGER PRIMARY KEY, run_id TEXT, record_id TEXT,"
		" article_id TEXT, stage TEXT, message TEXT NOT NULL, input TEXT, line INTEGER, raw TEXT);",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(db_open(&db, path, 1000, 0), 0);
	assert_int_equal(db_schema(&db, NULL), 0);
	assert_int_equal(db_version(&db), DB_SCHEMA_VERSION);
	s = query_str(&db, "SELECT group_concat(seq || ':' || text || ':' || fields, ' ') FROM annotations");
	assert_string_equal(s, "0:\xc3\xa9:{\"k\":1} 3:zz:{\"text\":\"zz\"}");
	free(s);
	assert_int_equal(query_int(&db, "SELECT count(*) FROM pragma_table_info('annotation_rows')"
					" WHERE name = 'text'"), 0);
	/* And it takes new records. */
	put(&db, article);
	assert_int_equal(query_int(&db, "SELECT count(*) FROM annotations WHERE article_id = 'c-1'"), 3);
	db_close(&db);
	free(path);
}

static void test_db__error_records(void **state)
{
	struct fixture *f = *state;
	static const char bad_line[] =
		"{\"format\":1,\"id\":\"error-0123\",\"status\":\"error\","
		"\"source\":{\"path\":\"in.jsonl\",\"line\":7},\"raw\":\"{\\\"tit\","
		"\"errors\":[{\"stage\":\"ingest\",\"message\":\"bad JSON\",\"line\":7}]}";
	static const char rejected[] =
		"{\"id\":\"c-3\",\"status\":\"error\",\"text\":\"odd\","
		"\"errors\":[{\"stage\":\"segment\",\"message\":\"m1\",\"line\":2},"
		"{\"stage\":\"frame\",\"message\":\"m2\"}]}";
	struct db_put p;
	json_t *rec = parse(bad_line);
	char *s;

	assert_int_equal(db_put_record(&f->db, "r1", rec, &p), 0);
	assert_false(p.article);
	assert_int_equal(p.errors, 1);
	/* The same bad input again replaces its row. */
	assert_int_equal(db_put_record(&f->db, "r2", rec, &p), 0);
	json_decref(rec);
	assert_int_equal(query_int(&f->db, "SELECT count(*) FROM errors"), 1);
	assert_int_equal(query_int(&f->db, "SELECT count(*) FROM articles"), 0);
	s = query_str(&f->db, "SELECT run_id || record_id || coalesce(article_id, '-') || stage ||"
			      " message || input || line || raw FROM errors");
	assert_string_equal(s, "r2error-0123-ingestbad JSONin.jsonl7{\"tit");
	free(s);

	rec = parse(rejected);
	assert_int_equal(db_put_record(&f->db, "r1", rec, &p), 0);
	json_decref(rec);
	assert_true(p.article);
	assert_int_equal(p.errors, 2);
	assert_int_equal(query_int(&f->db, "SELECT count(*) FROM errors WHERE article_id = 'c-3'"), 2);
	s = query_str(&f->db, "SELECT status FROM articles WHERE id = 'c-3'");
	assert_string_equal(s, "error");
	free(s);
	/* Processed cleanly later: its old errors go. */
	put(&f->db, "{\"id\":\"c-3\",\"text\":\"odd\"}");
	assert_int_equal(query_int(&f->db, "SELECT count(*) FROM errors WHERE record_id = 'c-3'"), 0);
	/* An error record without an entry still leaves a row. */
	put(&f->db, "{\"id\":\"error-9\",\"status\":\"error\"}");
	assert_int_equal(query_int(&f->db, "SELECT count(*) FROM errors WHERE record_id = 'error-9'"),
			 1);
	/* Line 0 is "no line": stored as NULL. */
	put(&f->db, "{\"id\":\"error-10\",\"status\":\"error\",\"errors\":[{\"stage\":\"ingest\","
		    "\"message\":\"empty input\",\"line\":0}]}");
	assert_int_equal(query_int(&f->db, "SELECT line IS NULL FROM errors WHERE record_id = 'error-10'"),
			 1);
}

static void test_db__rollback_leaves_nothing(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(db_begin(&f->db), 0);
	put(&f->db, article);
	assert_int_equal(db_rollback(&f->db), 0);
	assert_int_equal(query_int(&f->db, "SELECT count(*) FROM articles"), 0);
	assert_int_equal(query_int(&f->db, "SELECT count(*) FROM annotations"), 0);
	assert_int_equal(db_begin(&f->db), 0);
	assert_int_equal(db_begin(&f->db), -1);
	put(&f->db, article);
	assert_int_equal(db_commit(&f->db), 0);
	assert_int_equal(query_int(&f->db, "SELECT count(*) FROM articles"), 1);
}

static void test_db__runs(void **state)
{
	struct fixture *f = *state;
	struct db_run run = { .program = "slant-store", .version = "9.9",
			      .config_path = "p.conf", .config_hash = "abc",
			      .lexicons = "[]" };
	char *s;

	assert_int_equal(db_run_begin(&f->db, &run), 0);
	assert_int_equal(strlen(run.id), 25);
	assert_int_equal(query_int(&f->db, "SELECT count(*) FROM runs WHERE finished IS NULL"), 1);
	run.n_read = 5;
	run.n_stored = 4;
	run.n_errors = 1;
	assert_int_equal(db_run_end(&f->db, &run), 0);
	s = query_str(&f->db, "SELECT program || version || config_path || config_hash || lexicons"
			      " || n_read || n_stored || n_errors || (finished IS NOT NULL) FROM runs");
	assert_string_equal(s, "slant-store9.9p.confabc[]5411");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_db__schema_version_and_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__newer_schema_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__not_a_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__article_columns_extra_and_fields, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_db__rerun_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__odd_shapes_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__bad_annotations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__migrate_from_1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__error_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__rollback_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__runs, setup, teardown),
	};

	set_progname("test_db");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
