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
