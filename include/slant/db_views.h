/*
 * db_views.h -- scores, review decisions and the views over the database
 * (docs/schema.md, docs/report.md).
 *
 * Scores are not written by slant-store's code: triggers on 'articles' copy
 * each record's 'report' (kept in articles.extra) into the 'scores' and
 * 'score_components' tables, one row set per (article, run), so that earlier
 * runs stay comparable after an article is re-stored. The views make the
 * usual questions one SELECT: article_report, outlet_summary,
 * term_frequency, sources_cited, flagged_spans, run_summary, run_comparison,
 * decision_precision.
 *
 *   db_schema(&db, db_views_sql);              (writers: tables, triggers, views)
 *   db_views_attach(&db);                      (readers of an older file: TEMP copies)
 *   db_decisions_import(&db, "decisions.json", &n);
 */
#ifndef SLANT_DB_VIEWS_H
#define SLANT_DB_VIEWS_H

#include "slant/db.h"

/*
 * The statements that create the tables (IF NOT EXISTS), fill 'scores' from
 * articles stored before the triggers existed, and (re)create the triggers
 * and views. NULL-terminated; run inside db_schema()'s transaction.
 */
extern const char *const db_views_sql[];

/*
 * For a reader: when the database lacks the views (a file written before
 * they existed, opened read-only), create TEMP copies of the tables and
 * views for this connection, with the scores filled from the articles.
 * Returns 0 or -1 (reported).
 */
int db_views_attach(struct db *db);

/*
 * The pieces of the sources_cited and term_frequency views (over
 * "annotations n JOIN article_publisher p"), for a query about one outlet:
 * slant-report's outlet pages group by these columns alone, not by the
 * outlet too, which in SQLite 3.40 made every row carry the article's
 * 'extra' through the sort (the outlet holding most articles sorted
 * hundreds of MB in temporary files; issue 20).
 */
#define DB_SOURCES_OUTLET_COLS \
	"'outlet' AS via, COALESCE(json_extract(n.fields, '$.name'), n.text) AS source," \
	" json_extract(n.fields, '$.entry') AS entry, json_extract(n.fields, '$.role') AS role," \
	" json_extract(n.fields, '$.kind') AS kind, json_extract(n.fields, '$.ownership') AS ownership," \
	" json_extract(n.fields, '$.control') AS control, json_extract(n.fields, '$.country') AS country," \
	" json_extract(n.fields, '$.state_affiliated') AS state_affiliated," \
	" json_extract(n.fields, '$.conflict_party') AS conflict_party," \
	" json_extract(n.fields, '$.disclosed') AS disclosed"
#define DB_SOURCES_OUTLET_WHERE \
	"n.stage = 'affil' AND n.label = 'outlet'" \
	" AND COALESCE(json_extract(n.fields, '$.role'), '') <> 'publisher'"
#define DB_SOURCES_ATTRIB_COLS \
	"'attribution', json_extract(n.fields, '$.source'), NULL, n.label, NULL, NULL, NULL," \
	" NULL, NULL, NULL, NULL"
#define DB_SOURCES_ATTRIB_WHERE \
	"n.stage = 'attrib' AND n.label IN ('attributed', 'vague', 'anonymous')" \
	" AND json_extract(n.fields, '$.source') IS NOT NULL" \
	" AND NOT COALESCE(json_extract(n.fields, '$.carried'), 0)"
/* term_frequency has the outlet between these two. */
#define DB_TERM_COLS \
	"json_extract(n.fields, '$.entry') AS term, json_extract(n.fields, '$.category') AS category," \
	" json_extract(n.fields, '$.lexicon') AS lexicon"
#define DB_TERM_COLS2 "COALESCE(json_extract(n.fields, '$.voice'), '') AS voice, n.label"
#define DB_TERM_WHERE "n.stage = 'frame'"
#define DB_BY_PUBLISHER "annotations n JOIN article_publisher p ON p.article_id = n.article_id"

/* Whether an annotation of 'stage'/'label' is a flagged span (highlighted, reviewable). */
int db_is_flagged(const char *stage, const char *label);

/*
 * Import review decisions exported by a slant-report article page (a JSON
 * object {"decisions": [...]} or a bare array) into the 'decisions' table,
 * in one transaction: all of them or, if any is malformed, none (each bad
 * one reported as "FILE: decision N: what"). A later decision on the same
 * span replaces an earlier one. Sets '*n' to the number imported. Returns 0
 * or -1 (reported).
 */
int db_decisions_import(struct db *db, const char *path, unsigned long *n);

#endif
