/* db_views.c -- scores, decisions and the views over the database (docs/schema.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "slant/db_views.h"
#include "slant/usage.h"

/* ====== Scores: copied from articles.extra by triggers ====== */

#define SCORE_COLS "article_id, run_id, score, band, coverage, words, config_hash, missing"
#define COMP_COLS \
	"article_id, run_id, name, value, weight, points, applicable, detail, evidence, counts"

/* The columns of one component from json_each row 'c' of article 'A'. */
#define COMP_SELECT(A) \
	"SELECT " A ".id, COALESCE(" A ".run_id, ''), " \
	"COALESCE(json_extract(c.value, '$.name'), 'component ' || c.key)," \
	" json_extract(c.value, '$.value'), json_extract(c.value, '$.weight')," \
	" json_extract(c.value, '$.points'), json_extract(c.value, '$.applicable')," \
	" json_extract(c.value, '$.detail'), json_extract(c.value, '$.evidence')," \
	" json_extract(c.value, '$.counts')"

#define SCORE_SELECT(A) \
	"SELECT " A ".id, COALESCE(" A ".run_id, ''), json_extract(" A ".extra, '$.report.score')," \
	" json_extract(" A ".extra, '$.report.band'), json_extract(" A ".extra, '$.report.coverage')," \
	" json_extract(" A ".extra, '$.report.words')," \
	" json_extract(" A ".extra, '$.report.config_hash')," \
	" json_extract(" A ".extra, '$.report.missing')"

/* A report object in valid JSON (CASE, so json_type never sees bad JSON). */
#define HAS_REPORT(A) \
	"CASE WHEN json_valid(" A ".extra) THEN json_type(" A ".extra, '$.report') END = 'object'"

/* The trigger body: replace this (article, run)'s score rows. */
#define SCORE_TRIGGER_BODY \
	" WHEN " HAS_REPORT("NEW") " BEGIN" \
	" DELETE FROM score_components WHERE article_id = NEW.id AND run_id = COALESCE(NEW.run_id, '');" \
	" INSERT OR REPLACE INTO scores (" SCORE_COLS ") " SCORE_SELECT("NEW") ";" \
	" INSERT OR REPLACE INTO score_components (" COMP_COLS ") " COMP_SELECT("NEW") \
	" FROM json_each(NEW.extra, '$.report.components') AS c WHERE c.type = 'object';" \
	" END"

#define NO_TRIGGER_YET \
	"NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger'" \
	" AND name = 'articles_score_insert')"

/*
 * How each article's publisher is named: the register's, else what ingest
 * found. P is "a." or "" (the index below must be on the same expression).
 */
#define PUBLISHER_OF(P) \
	"COALESCE(json_extract(" P "extra, '$.publisher.name'), " P "outlet_name, " P \
	"outlet_domain, '(unknown)')"
#define PUBLISHER(A) PUBLISHER_OF(A ".")

/* The annotations slant-report highlights and an editor can accept or reject. */
#define FLAGGED(N) \
	N ".stage IN ('frame', 'attrib', 'affil') AND NOT (" N ".stage = 'attrib' AND " N \
	".label = 'none')"

const char *const db_views_sql[] = {
	"CREATE TABLE IF NOT EXISTS scores ("
	"  article_id TEXT NOT NULL,"
	"  run_id TEXT NOT NULL DEFAULT '',"
	"  score REAL,"
	"  band TEXT,"
	"  coverage REAL,"
	"  words INTEGER,"
	"  config_hash TEXT,"
	"  missing TEXT,"
	"  scored TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  PRIMARY KEY (article_id, run_id))",
	"CREATE TABLE IF NOT EXISTS score_components ("
	"  article_id TEXT NOT NULL,"
	"  run_id TEXT NOT NULL DEFAULT '',"
	"  name TEXT NOT NULL,"
	"  value REAL,"
	"  weight REAL,"
	"  points REAL,"
	"  applicable INTEGER,"
	"  detail TEXT,"
	"  evidence TEXT,"
	"  counts TEXT,"
	"  PRIMARY KEY (article_id, run_id, name))",
	"CREATE TABLE IF NOT EXISTS decisions ("
	"  article_id TEXT NOT NULL,"
	"  start INTEGER NOT NULL,"
	"  end INTEGER NOT NULL,"
	"  stage TEXT NOT NULL,"
	"  label TEXT NOT NULL,"
	"  entry TEXT NOT NULL DEFAULT '',"
	"  lexicon TEXT,"
	"  text TEXT,"
	"  decision TEXT NOT NULL CHECK (decision IN ('accept', 'reject')),"
	"  note TEXT,"
	"  reviewer TEXT,"
	"  decided TEXT,"
	"  imported TEXT NOT NULL,"
	"  source TEXT,"
	"  PRIMARY KEY (article_id, start, end, stage, label, entry))",
	/* Spans an editor added where slant flagged nothing (decision "add"): its misses. */
	"CREATE TABLE IF NOT EXISTS missed_spans ("
	"  article_id TEXT NOT NULL,"
	"  start INTEGER NOT NULL,"
	"  end INTEGER NOT NULL,"
	"  stage TEXT NOT NULL,"
	"  label TEXT NOT NULL,"
	"  text TEXT,"
	"  note TEXT,"
	"  reviewer TEXT,"
	"  decided TEXT,"
	"  imported TEXT NOT NULL,"
	"  source TEXT,"
	"  PRIMARY KEY (article_id, start, end, stage, label))",
	/*
	 * The outlet pages ask each view for one publisher: with this index
	 * SQLite finds that publisher's articles, then their annotations by
	 * key, instead of evaluating the whole view once per outlet (issue 20:
	 * slant-report --html went quadratic in outlets times articles). Made
	 * before the triggers and views, which are made anew each time, so the
	 * schema's order is the same at every open.
	 */
	"CREATE INDEX IF NOT EXISTS articles_publisher ON articles(" PUBLISHER_OF("") ")",

	/* Articles stored before the triggers existed get their rows once. */
	"INSERT OR REPLACE INTO scores (" SCORE_COLS ") " SCORE_SELECT("a")
	" FROM articles a WHERE " NO_TRIGGER_YET " AND " HAS_REPORT("a"),
	"INSERT OR REPLACE INTO score_components (" COMP_COLS ") " COMP_SELECT("a")
	" FROM articles a, json_each(CASE WHEN " HAS_REPORT("a") " THEN a.extra ELSE '{}' END,"
	" '$.report.components') AS c WHERE " NO_TRIGGER_YET " AND c.type = 'object'",
	"DROP TRIGGER IF EXISTS articles_score_insert",
	"CREATE TRIGGER articles_score_insert AFTER INSERT ON articles" SCORE_TRIGGER_BODY,
	"DROP TRIGGER IF EXISTS articles_score_update",
	"CREATE TRIGGER articles_score_update AFTER UPDATE ON articles" SCORE_TRIGGER_BODY,
	"DROP TRIGGER IF EXISTS articles_score_delete",
	"CREATE TRIGGER articles_score_delete AFTER DELETE ON articles BEGIN"
	" DELETE FROM scores WHERE article_id = OLD.id;"
	" DELETE FROM score_components WHERE article_id = OLD.id; END",

	"DROP VIEW IF EXISTS article_publisher",
	"CREATE VIEW article_publisher AS SELECT a.id AS article_id, " PUBLISHER("a") " AS publisher,"
	" json_extract(a.extra, '$.publisher.entry') AS publisher_entry,"
	" json_extract(a.extra, '$.publisher.state_affiliated') AS publisher_state_affiliated"
	" FROM articles a",

	"DROP VIEW IF EXISTS article_report",
	"CREATE VIEW article_report AS SELECT a.id AS article_id, a.title, p.publisher,"
	" p.publisher_entry, a.outlet_domain AS domain, a.byline, a.published, a.url, a.words,"
	" a.status, a.run_id, s.score, s.band, s.coverage, s.missing,"
	" (SELECT value FROM score_components c WHERE c.article_id = a.id AND c.run_id = s.run_id"
	"  AND c.name = 'framing') AS loaded_per_1000,"
	" (SELECT value FROM score_components c WHERE c.article_id = a.id AND c.run_id = s.run_id"
	"  AND c.name = 'attribution') AS attribution_coverage,"
	" (SELECT json_group_array(json_array(c.name, c.points, c.weight)) FROM score_components c"
	"  WHERE c.article_id = a.id AND c.run_id = s.run_id) AS components,"
	" (SELECT count(*) FROM annotations n WHERE n.article_id = a.id AND " FLAGGED("n") ")"
	"  AS flagged"
	" FROM articles a JOIN article_publisher p ON p.article_id = a.id"
	" LEFT JOIN scores s ON s.article_id = a.id AND s.run_id = COALESCE(a.run_id, '')",

	"DROP VIEW IF EXISTS flagged_spans",
	"CREATE VIEW flagged_spans AS SELECT n.article_id, n.seq, n.stage, n.label, n.start, n.end,"
	" n.text, json_extract(n.fields, '$.entry') AS entry,"
	" json_extract(n.fields, '$.lexicon') AS lexicon, n.fields"
	" FROM annotations n WHERE " FLAGGED("n"),

	"DROP VIEW IF EXISTS outlet_summary",
	"CREATE VIEW outlet_summary AS WITH per AS ("
	" SELECT a.id, p.publisher, p.publisher_entry, p.publisher_state_affiliated, a.words, s.score,"
	"  (SELECT count(*) FROM annotations n WHERE n.article_id = a.id AND n.stage = 'frame'"
	"   AND json_extract(n.fields, '$.voice') IN ('authorial', 'headline')) AS own_terms,"
	"  (SELECT count(*) FROM annotations n WHERE n.article_id = a.id AND n.stage = 'attrib'"
	"   AND n.label = 'attributed') AS attributed,"
	"  (SELECT count(*) FROM annotations n WHERE n.article_id = a.id AND n.stage = 'attrib'"
	"   AND n.label = 'vague') AS vague,"
	"  (SELECT count(*) FROM annotations n WHERE n.article_id = a.id AND n.stage = 'attrib'"
	"   AND n.label = 'anonymous') AS anonymous,"
	"  (SELECT count(*) FROM annotations n WHERE n.article_id = a.id AND n.stage = 'attrib'"
	"   AND n.label IN ('attributed', 'vague', 'anonymous', 'unattributed')) AS claims"
	" FROM articles a JOIN article_publisher p ON p.article_id = a.id"
	" LEFT JOIN scores s ON s.article_id = a.id AND s.run_id = COALESCE(a.run_id, ''))"
	/*
	 * Each count summed once, the shares taken from the sums after: a
	 * column of 'per' named in several aggregates ran its subquery once per
	 * naming (nine scans of an article's annotations instead of five).
	 */
	" , agg AS (SELECT publisher, max(publisher_entry) AS publisher_entry,"
	" max(publisher_state_affiliated) AS state_affiliated, count(*) AS articles,"
	" count(score) AS scored, round(avg(score), 1) AS mean_score, min(score) AS min_score,"
	" max(score) AS max_score, sum(words) AS words, sum(own_terms) AS loaded_terms,"
	" sum(claims) AS claims, sum(attributed) AS attributed, sum(vague) AS vague,"
	" sum(anonymous) AS anonymous FROM per GROUP BY publisher)"
	" SELECT publisher, publisher_entry, state_affiliated, articles, scored, mean_score,"
	" min_score, max_score, words, loaded_terms,"
	" round(1000.0 * loaded_terms / NULLIF(words, 0), 2) AS loaded_per_1000, claims,"
	" round(1.0 * attributed / NULLIF(claims, 0), 3) AS attribution_coverage,"
	" round(1.0 * vague / NULLIF(claims, 0), 3) AS vague_share,"
	" round(1.0 * anonymous / NULLIF(claims, 0), 3) AS anonymous_share FROM agg",

	"DROP VIEW IF EXISTS term_frequency",
	"CREATE VIEW term_frequency AS SELECT " DB_TERM_COLS ", p.publisher AS outlet, "
	DB_TERM_COLS2 ", count(*) AS hits, count(DISTINCT n.article_id) AS articles"
	" FROM " DB_BY_PUBLISHER " WHERE " DB_TERM_WHERE " GROUP BY 1, 2, 3, 4, 5, 6",

	"DROP VIEW IF EXISTS sources_cited",
	"CREATE VIEW sources_cited AS"
	" SELECT " DB_SOURCES_OUTLET_COLS ", p.publisher AS outlet,"
	" count(*) AS mentions, count(DISTINCT n.article_id) AS articles"
	" FROM " DB_BY_PUBLISHER " WHERE " DB_SOURCES_OUTLET_WHERE
	" GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12"
	" UNION ALL"
	" SELECT " DB_SOURCES_ATTRIB_COLS ", p.publisher, count(*), count(DISTINCT n.article_id)"
	" FROM " DB_BY_PUBLISHER " WHERE " DB_SOURCES_ATTRIB_WHERE
	" GROUP BY 1, 2, 3, 4, 12",

	"DROP VIEW IF EXISTS run_summary",
	"CREATE VIEW run_summary AS SELECT r.id AS run_id, r.started, r.finished, r.program,"
	" r.version, r.config_hash, r.lexicons, r.n_read, r.n_stored, r.n_errors,"
	" count(s.article_id) AS scored, round(avg(s.score), 1) AS mean_score,"
	" group_concat(DISTINCT s.config_hash) AS score_config"
	" FROM runs r LEFT JOIN scores s ON s.run_id = r.id GROUP BY r.id",

	"DROP VIEW IF EXISTS run_comparison",
	"CREATE VIEW run_comparison AS SELECT s.article_id, a.title, p.publisher, s.run_id,"
	" COALESCE(r.started, s.scored) AS started, s.score, s.band, s.config_hash,"
	" lag(s.run_id) OVER w AS previous_run, lag(s.score) OVER w AS previous_score,"
	" lag(s.band) OVER w AS previous_band, round(s.score - lag(s.score) OVER w, 1) AS delta"
	" FROM scores s LEFT JOIN runs r ON r.id = s.run_id"
	" LEFT JOIN articles a ON a.id = s.article_id"
	" LEFT JOIN article_publisher p ON p.article_id = s.article_id"
	" WINDOW w AS (PARTITION BY s.article_id ORDER BY COALESCE(r.started, s.scored), s.run_id)",

	"DROP VIEW IF EXISTS review_recall",
	/* Per stage and label: flags an editor accepted against spans the editor had to add. */
	"CREATE VIEW review_recall AS SELECT stage, label, sum(found) AS accepted,"
	" sum(missed) AS missed, round(1.0 * sum(found) / NULLIF(sum(found) + sum(missed), 0), 3)"
	" AS recall FROM (SELECT stage, label, 1 AS found, 0 AS missed FROM decisions"
	" WHERE decision = 'accept' UNION ALL SELECT stage, label, 0, 1 FROM missed_spans)"
	" GROUP BY stage, label",

	"DROP VIEW IF EXISTS decision_precision",
	"CREATE VIEW decision_precision AS SELECT stage, label, lexicon, entry,"
	" sum(decision = 'accept') AS accepted, sum(decision = 'reject') AS rejected,"
	" count(*) AS decided, round(1.0 * sum(decision = 'accept') / count(*), 3) AS precision"
	" FROM decisions GROUP BY stage, label, lexicon, entry",
	NULL,
};

int db_is_flagged(const char *stage, const char *label)
{
	if (!stage || !label)
		return 0;
	if (!strcmp(stage, "attrib"))
		return strcmp(label, "none") != 0;
	return !strcmp(stage, "frame") || !strcmp(stage, "affil");
}

/* ====== Readers of older files ====== */

/* Whether schema table 'master' (sqlite_master or sqlite_temp_master) lists 'name'. */
static int has_object(struct db *db, const char *master, const char *type, const char *name)
{
	sqlite3_stmt *st;
	char *sql = xasprintf("SELECT 1 FROM %s WHERE type = ?1 AND name = ?2", master);
	int found;

	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK) {
		free(sql);
		return error("database '%s': %s", db->path, sqlite3_errmsg(db->sql));
	}
	free(sql);
	sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

int db_views_attach(struct db *db)
{
	const char *const *p;
	int r = has_object(db, "sqlite_master", "view", "decision_precision"), tables;

	if (!r)
		r = has_object(db, "sqlite_temp_master", "view", "decision_precision");
	if (r)
		return r < 0 ? -1 : 0;
	/* 'annotations' is a table in schema 1, a view over annotation_rows since 2. */
	if (has_object(db, "sqlite_master", "table", "articles") <= 0 ||
	    (has_object(db, "sqlite_master", "table", "annotations") <= 0 &&
	     has_object(db, "sqlite_master", "view", "annotations") <= 0))
		return error("'%s' is not a slant database (no articles table)", db->path);
	/* Tables (and the scores in them) present: only the views are missing. */
	tables = has_object(db, "sqlite_master", "table", "scores");
	if (tables < 0)
		return -1;
	/* The same statements as TEMP objects: this connection only, nothing written. */
	for (p = db_views_sql; *p; p++) {
		const char *s = *p;
		char *t;
		int rc;

		if (starts_with(s, "DROP ") || starts_with(s, "CREATE TRIGGER") ||
		    starts_with(s, "CREATE INDEX") ||
		    (tables && (starts_with(s, "CREATE TABLE") || starts_with(s, "INSERT"))))
			continue;
		if (starts_with(s, "CREATE TABLE IF NOT EXISTS "))
			t = xasprintf("CREATE TEMP TABLE IF NOT EXISTS %s",
				      s + strlen("CREATE TABLE IF NOT EXISTS "));
		else if (starts_with(s, "CREATE VIEW "))
			t = xasprintf("CREATE TEMP VIEW IF NOT EXISTS %s", s + strlen("CREATE VIEW "));
		else
			t = xstrdup(s);
		rc = db_exec(db, t);
		free(t);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ====== Review decisions ====== */

static const char *opt_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Check one decision; returns NULL or what is wrong with it. */
static const char *bad_decision(const json_t *d)
{
	static const char *const need[][2] = {
		{ "article", "no 'article' string" }, { "stage", "no 'stage' string" },
		{ "label", "no 'label' string" }, { "decision", "no 'decision' string" },
	};
	const char *dec;
	json_t *s = json_object_get(d, "start"), *e = json_object_get(d, "end");
	size_t k;

	if (!json_is_object(d))
		return "not an object";
	for (k = 0; k < sizeof(need) / sizeof(*need); k++)
		if (!opt_str(d, need[k][0]) || !*opt_str(d, need[k][0]))
			return need[k][1];
	dec = opt_str(d, "decision");
	if (strcmp(dec, "accept") && strcmp(dec, "reject") && strcmp(dec, "add"))
		return "'decision' must be \"accept\", \"reject\" or \"add\"";
	if (!strcmp(dec, "add") && !db_is_flagged(opt_str(d, "stage"), opt_str(d, "label")))
		return "an added span's 'stage' and 'label' must be a kind slant flags";
	if (!json_is_integer(s) || !json_is_integer(e) || json_integer_value(s) < 0 ||
	    json_integer_value(e) < json_integer_value(s))
		return "'start' and 'end' must be byte offsets with start <= end";
	if (json_object_get(d, "entry") && !json_is_null(json_object_get(d, "entry")) &&
	    !json_is_string(json_object_get(d, "entry")))
		return "'entry' must be a string";
	return NULL;
}

/* A decision on every flag of one stage, label and entry (parameters as site_wide binds them). */
static const char site_wide_sql[] =
	"INSERT INTO decisions (article_id, start, end, stage, label, entry, lexicon, text,"
	" decision, note, reviewer, decided, imported, source)"
	" SELECT article_id, start, end, stage, label, COALESCE(entry, ''), lexicon, text,"
	" ?4, ?5, ?6, ?7, ?8, ?9 FROM flagged_spans"
	" WHERE stage = ?1 AND label = ?2 AND COALESCE(entry, '') = ?3 AND true"
	" ON CONFLICT (article_id, start, end, stage, label, entry) DO UPDATE SET"
	" decision = excluded.decision, note = excluded.note, reviewer = excluded.reviewer,"
	" decided = excluded.decided, imported = excluded.imported, source = excluded.source";

/* Decision d on every flag by site_wide_sql (st); the number of flags, or -1 (reported). */
static long site_wide(struct db *db, sqlite3_stmt *st, const json_t *d, const char *now,
		      const char *path)
{
	long m;

	if (!strcmp(opt_str(d, "decision"), "add") || !opt_str(d, "entry") || !*opt_str(d, "entry"))
		return error("'%s': a decision on every article (\"*\") is accept or reject of a "
			     "lexicon entry", path);
	db_bind_str(st, 1, opt_str(d, "stage"));
	db_bind_str(st, 2, opt_str(d, "label"));
	db_bind_str(st, 3, opt_str(d, "entry"));
	db_bind_str(st, 4, opt_str(d, "decision"));
	db_bind_str(st, 5, opt_str(d, "note"));
	db_bind_str(st, 6, opt_str(d, "reviewer"));
	db_bind_str(st, 7, opt_str(d, "decided"));
	db_bind_str(st, 8, now);
	db_bind_str(st, 9, path);
	if (sqlite3_step(st) != SQLITE_DONE)
		m = error("database '%s': %s", db->path, sqlite3_errmsg(db->sql));
	else
		m = sqlite3_changes(db->sql);
	sqlite3_reset(st);
	return m;
}

int db_decisions_import(struct db *db, const char *path, unsigned long *n)
{
	static const char sql[] =
		"INSERT INTO decisions (article_id, start, end, stage, label, entry, lexicon, text,"
		" decision, note, reviewer, decided, imported, source)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
		" ON CONFLICT (article_id, start, end, stage, label, entry) DO UPDATE SET"
		" lexicon = excluded.lexicon, text = excluded.text, decision = excluded.decision,"
		" note = excluded.note, reviewer = excluded.reviewer, decided = excluded.decided,"
		" imported = excluded.imported, source = excluded.source";
	static const char add_sql[] =
		"INSERT INTO missed_spans (article_id, start, end, stage, label, text, note, reviewer,"
		" decided, imported, source) VALUES (?1, ?2, ?3, ?4, ?5, ?8, ?10, ?11, ?12, ?13, ?14)"
		" ON CONFLICT (article_id, start, end, stage, label) DO UPDATE SET text = excluded.text,"
		" note = excluded.note, reviewer = excluded.reviewer, decided = excluded.decided,"
		" imported = excluded.imported, source = excluded.source";
	sqlite3_stmt *st = NULL, *known = NULL, *add = NULL, *all = NULL, *one;
	json_error_t jerr;
	json_t *root, *list, *d;
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	size_t i;
	int bad = 0;

	*n = 0;
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return jerr.line > 0 ? error_at(path, (unsigned long)jerr.line, "%s", jerr.text)
				     : error("cannot read decisions '%s': %s", path, jerr.text);
	list = json_is_array(root) ? root : json_object_get(root, "decisions");
	if (!json_is_array(list)) {
		json_decref(root);
		return error("'%s': expected {\"decisions\": [...]} or an array of decisions", path);
	}
	json_array_foreach(list, i, d) {
		const char *why = bad_decision(d);

		if (why)
			bad = error("'%s': decision %zu: %s", path, i + 1, why);
	}
	if (bad) {
		json_decref(root);
		return error("'%s': nothing imported", path);
	}
	if (db_schema(db, db_views_sql) < 0 || db_begin(db) < 0) {
		json_decref(root);
		return -1;
	}
	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->sql, add_sql, -1, &add, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->sql, site_wide_sql, -1, &all, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->sql, "SELECT 1 FROM articles WHERE id = ?1", -1, &known, NULL) !=
		    SQLITE_OK) {
		error("database '%s': %s", db->path, sqlite3_errmsg(db->sql));
		goto fail;
	}
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_array_foreach(list, i, d) {
		const char *entry = opt_str(d, "entry");

		/*
		 * Article "*": the decision on every flag of that stage, label and
		 * entry in the database (a review card's "across the site").
		 */
		if (!strcmp(opt_str(d, "article"), "*")) {
			long m = site_wide(db, all, d, now, path);

			if (m < 0)
				goto fail;
			*n += (unsigned long)m;
			continue;
		}
		sqlite3_bind_text(known, 1, opt_str(d, "article"), -1, SQLITE_STATIC);
		if (sqlite3_step(known) != SQLITE_ROW)
			warning("'%s': decision %zu: article '%s' is not in the database (kept)", path,
				i + 1, opt_str(d, "article"));
		sqlite3_reset(known);
		/* An added span is a miss, kept apart; the parameters are numbered alike. */
		one = strcmp(opt_str(d, "decision"), "add") ? st : add;
		sqlite3_clear_bindings(one);
		db_bind_str(one, 1, opt_str(d, "article"));
		sqlite3_bind_int64(one, 2, json_integer_value(json_object_get(d, "start")));
		sqlite3_bind_int64(one, 3, json_integer_value(json_object_get(d, "end")));
		db_bind_str(one, 4, opt_str(d, "stage"));
		db_bind_str(one, 5, opt_str(d, "label"));
		if (one == st) {
			db_bind_str(one, 6, entry ? entry : "");
			db_bind_str(one, 7, opt_str(d, "lexicon"));
			db_bind_str(one, 9, opt_str(d, "decision"));
		}
		db_bind_str(one, 8, opt_str(d, "text"));
		db_bind_str(one, 10, opt_str(d, "note"));
		db_bind_str(one, 11, opt_str(d, "reviewer"));
		db_bind_str(one, 12, opt_str(d, "decided"));
		db_bind_str(one, 13, now);
		db_bind_str(one, 14, path);
		if (sqlite3_step(one) != SQLITE_DONE) {
			error("database '%s': decision %zu: %s", db->path, i + 1,
			      sqlite3_errmsg(db->sql));
			goto fail;
		}
		sqlite3_reset(one);
		(*n)++;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(add);
	sqlite3_finalize(all);
	sqlite3_finalize(known);
	json_decref(root);
	return db_commit(db);
fail:
	sqlite3_finalize(st);
	sqlite3_finalize(add);
	sqlite3_finalize(all);
	sqlite3_finalize(known);
	json_decref(root);
	db_rollback(db);
	*n = 0;
	return -1;
}
