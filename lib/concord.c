/* concord.c -- keyword in context and run comparison over slant databases. */
#include <string.h>

#include <jansson.h>

#include "slant/concord.h"
#include "slant/usage.h"
#include "slant/utf8.h"

/* The stages whose annotations a researcher reviews (segment's are structure). */
#define REVIEWED "stage IN ('frame', 'attrib', 'affil')"

/* The reviewed annotation keys of each side (ka, kb) over the articles both runs hold. */
#define KEYS_CTE \
	"WITH common AS (SELECT id FROM main.articles INTERSECT SELECT id FROM b.articles)," \
	" ka AS (SELECT article_id, stage, label, start, end," \
	"  COALESCE(json_extract(fields, '$.entry'), '') AS entry FROM main.annotations" \
	"  WHERE " REVIEWED " AND article_id IN common)," \
	" kb AS (SELECT article_id, stage, label, start, end," \
	"  COALESCE(json_extract(fields, '$.entry'), '') AS entry FROM b.annotations" \
	"  WHERE " REVIEWED " AND article_id IN common),"

/* Print t[s, e) on one line: newlines and tabs as spaces. */
static void put_flat(FILE *out, const char *t, size_t s, size_t e)
{
	for (; s < e; s++)
		fputc(t[s] == '\n' || t[s] == '\t' || t[s] == '\r' ? ' ' : t[s], out);
}

/* Move 'i' forward (or back, when 'back') to the start of a UTF-8 character. */
static size_t char_edge(const char *t, size_t i, size_t lo, size_t hi, bool back)
{
	while (i > lo && i < hi && ((unsigned char)t[i] & 0xc0) == 0x80)
		i += back ? (size_t)-1 : 1;
	return i;
}

void kwic_put(FILE *out, const char *text, size_t len, size_t start, size_t end, size_t width)
{
	/* Never cut a UTF-8 character: the window shrinks to whole ones. */
	size_t ls = char_edge(text, start > width ? start - width : 0, 0, start, false);
	size_t re = char_edge(text, end + width < len ? end + width : len, end, len, true);
	size_t pad = width - utf8_count(text + ls, start - ls);

	fprintf(out, "%*s", (int)pad, "");
	put_flat(out, text, ls, start);
	fputs(" [", out);
	put_flat(out, text, start, end);
	fputs("] ", out);
	put_flat(out, text, end, re);
}

/* The annotations of 'term' with their article's text; two orders of it follow. */
#define KWIC_HITS \
	"SELECT n.article_id, n.start, n.end, n.stage, n.label," \
	" json_extract(n.fields, '$.entry'), json_extract(n.fields, '$.voice')," \
	" p.publisher, CAST(a.text AS BLOB)" \
	" FROM annotations n JOIN articles a ON a.id = n.article_id" \
	" LEFT JOIN article_publisher p ON p.article_id = n.article_id" \
	" WHERE n." REVIEWED " AND (lower(json_extract(n.fields, '$.entry')) = lower(?1)" \
	"  OR lower(n.text) = lower(?1) OR (?2 AND (lower(json_extract(n.fields, '$.entry'))" \
	"  GLOB lower(?1) OR lower(n.text) GLOB lower(?1))))"

long concord_kwic(sqlite3 *db, const char *term, bool by_outlet, int width, FILE *out)
{
	static const char sql_article[] = KWIC_HITS " ORDER BY n.article_id, n.start";
	static const char sql_outlet[] = KWIC_HITS " ORDER BY p.publisher, n.article_id, n.start";
	sqlite3_stmt *st;
	long hits = 0;
	int rc;

	if (sqlite3_prepare_v2(db, by_outlet ? sql_outlet : sql_article, -1, &st, NULL) !=
	    SQLITE_OK)
		return error("kwic: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, term, -1, SQLITE_TRANSIENT);
	/* A term with * ? or [ is also a glob over entries and covered texts (issue 19). */
	sqlite3_bind_int(st, 2, strpbrk(term, "*?[") != NULL);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *text = sqlite3_column_blob(st, 8);
		size_t len = (size_t)sqlite3_column_bytes(st, 8);
		sqlite3_int64 s64 = sqlite3_column_int64(st, 1), e64 = sqlite3_column_int64(st, 2);
		const char *entry = (const char *)sqlite3_column_text(st, 5);
		const char *voice = (const char *)sqlite3_column_text(st, 6);
		const char *outlet = (const char *)sqlite3_column_text(st, 7);

		if (!text || s64 < 0 || e64 < s64 || (size_t)e64 > len)
			continue;       /* an annotation without its text: nothing to show */
		fprintf(out, "%-20.20s %-20.20s %-10.10s ", (const char *)sqlite3_column_text(st, 0),
			outlet ? outlet : "(unknown)", voice ? voice : (const char *)sqlite3_column_text(st, 4));
		kwic_put(out, text, len, (size_t)s64, (size_t)e64, width > 0 ? (size_t)width : 0);
		if (entry && strcmp(entry, term))
			fprintf(out, "  (%s)", entry);
		fputc('\n', out);
		hits++;
	}
	if (rc != SQLITE_DONE)
		hits = error("kwic: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return hits;
}

/* ====== Run comparison ====== */

/* The lexicons of the newest run in schema 'schema' ("main" or "b"), as JSON (new ref) or NULL. */
static json_t *last_lexicons(sqlite3 *db, const char *schema, char **run_id)
{
	char *sql = xasprintf("SELECT id, lexicons FROM %s.runs ORDER BY started DESC, id DESC "
			      "LIMIT 1", schema);
	sqlite3_stmt *st;
	json_t *j = NULL;

	*run_id = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW) {
			const char *lx = (const char *)sqlite3_column_text(st, 1);

			*run_id = xstrdup((const char *)sqlite3_column_text(st, 0));
			j = lx ? json_loads(lx, 0, NULL) : NULL;
		}
		sqlite3_finalize(st);
	}
	free(sql);
	return j;
}

static void print_lexicons(FILE *out, sqlite3 *db)
{
	char *ra, *rb;
	json_t *a = last_lexicons(db, "main", &ra), *b = last_lexicons(db, "b", &rb), *x, *y;
	size_t i, k;

	fprintf(out, "runs: before %s, after %s\n", ra ? ra : "(none)", rb ? rb : "(none)");
	json_array_foreach(b, i, y) {
		const char *key = json_string_value(json_object_get(y, "key"));
		const char *hb = json_string_value(json_object_get(y, "sha256"));
		const char *ha = NULL;

		json_array_foreach(a, k, x)
			if (key && json_string_value(json_object_get(x, "key")) &&
			    !strcmp(key, json_string_value(json_object_get(x, "key"))))
				ha = json_string_value(json_object_get(x, "sha256"));
		fprintf(out, "  lexicon %-24s %s\n", key ? key : "?",
			!ha ? "(not in the before run)" : hb && !strcmp(ha, hb) ? "unchanged"
											: "changed");
	}
	json_decref(a);
	json_decref(b);
	free(ra);
	free(rb);
}

static long count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/*
 * The annotations behind the counts (issue 19): up to three of each group
 * gone and new, each in its words (the text of the run it is from).
 */
static int put_contexts(sqlite3 *db, FILE *out)
{
	static const char sql[] =
		KEYS_CTE
		" d AS (SELECT 'gone' AS side, * FROM (SELECT * FROM ka EXCEPT SELECT * FROM kb)"
		"  UNION ALL SELECT 'new', * FROM (SELECT * FROM kb EXCEPT SELECT * FROM ka)),"
		" ex AS (SELECT *, row_number() OVER (PARTITION BY stage, label, entry, side"
		"  ORDER BY article_id, start) AS k FROM d)"
		" SELECT side, stage, label, entry, article_id, start, end,"
		" CAST(CASE side WHEN 'gone' THEN (SELECT text FROM main.articles WHERE id = article_id)"
		"  ELSE (SELECT text FROM b.articles WHERE id = article_id) END AS BLOB)"
		" FROM ex WHERE k <= 3 ORDER BY stage, label, entry, side, article_id, start";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return error("compare: %s", sqlite3_errmsg(db));
	fputs("\nIn context (up to three of each):\n", out);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *text = sqlite3_column_blob(st, 7);
		size_t len = (size_t)sqlite3_column_bytes(st, 7);
		sqlite3_int64 s = sqlite3_column_int64(st, 5), e = sqlite3_column_int64(st, 6);

		if (!text || s < 0 || e < s || (size_t)e > len)
			continue;
		fprintf(out, "%-4s %s/%s %-20.20s %-20.20s ", sqlite3_column_text(st, 0),
			sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
			*sqlite3_column_text(st, 3) ? (const char *)sqlite3_column_text(st, 3) : "-",
			sqlite3_column_text(st, 4));
		kwic_put(out, text, len, (size_t)s, (size_t)e, 30);
		fputc('\n', out);
	}
	if (rc != SQLITE_DONE)
		rc = error("compare: %s", sqlite3_errmsg(db));
	else
		rc = 0;
	sqlite3_finalize(st);
	return rc;
}

int concord_compare(const char *a, const char *b, long top, FILE *out)
{
	/* One row per annotation key present on one side only, over the common articles. */
	static const char diff_sql[] =
		KEYS_CTE
		" gone AS (SELECT * FROM ka EXCEPT SELECT * FROM kb),"
		" new AS (SELECT * FROM kb EXCEPT SELECT * FROM ka),"
		" d AS (SELECT stage, label, entry, 1 AS g, 0 AS n FROM gone"
		"  UNION ALL SELECT stage, label, entry, 0, 1 FROM new)"
		" SELECT stage, label, entry, sum(g), sum(n) FROM d GROUP BY stage, label, entry"
		" ORDER BY sum(g) + sum(n) DESC, stage, label, entry";
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long shown = 0, gone = 0, added = 0, rows = 0;
	int rc, ret = 0;

	if (!strcmp(a, b))
		return error("--compare: give two different database files");
	if (sqlite3_open_v2(a, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		ret = error("cannot open database '%s': %s", a, sqlite3_errmsg(db));
		goto out;
	}
	if (sqlite3_prepare_v2(db, "ATTACH DATABASE ?1 AS b", -1, &st, NULL) != SQLITE_OK) {
		ret = error("cannot attach '%s': %s", b, sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_bind_text(st, 1, b, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE) {
		ret = error("cannot attach '%s': %s", b, sqlite3_errmsg(db));
		goto out;
	}
	if (count(db, "SELECT count(*) FROM main.annotations") < 0 ||
	    count(db, "SELECT count(*) FROM b.annotations") < 0) {
		ret = error("'%s' or '%s' is not a slant database (no annotations table)", a, b);
		goto out;
	}
	fprintf(out, "before: %s\nafter:  %s\n", a, b);
	print_lexicons(out, db);
	fprintf(out, "articles: %ld in both, %ld only before, %ld only after (not compared)\n",
		count(db, "SELECT count(*) FROM (SELECT id FROM main.articles INTERSECT"
			  " SELECT id FROM b.articles)"),
		count(db, "SELECT count(*) FROM (SELECT id FROM main.articles EXCEPT"
			  " SELECT id FROM b.articles)"),
		count(db, "SELECT count(*) FROM (SELECT id FROM b.articles EXCEPT"
			  " SELECT id FROM main.articles)"));
	if (sqlite3_prepare_v2(db, diff_sql, -1, &st, NULL) != SQLITE_OK) {
		ret = error("compare: %s", sqlite3_errmsg(db));
		goto out;
	}
	fprintf(out, "\n%-8s %-14s %-32s %6s %6s\n", "stage", "label", "entry", "gone", "new");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long g = (long)sqlite3_column_int64(st, 3), n = (long)sqlite3_column_int64(st, 4);

		rows++;
		gone += g;
		added += n;
		if (top && shown >= top)
			continue;
		fprintf(out, "%-8s %-14s %-32s %6ld %6ld\n", sqlite3_column_text(st, 0),
			sqlite3_column_text(st, 1), sqlite3_column_text(st, 2), g, n);
		shown++;
	}
	if (rc != SQLITE_DONE) {
		ret = error("compare: %s", sqlite3_errmsg(db));
		goto out;
	}
	fprintf(out, "%s%ld annotations gone, %ld new, in %ld stage/label/entry groups%s\n",
		rows ? "\n" : "(no differences)\n", gone, added, rows,
		top && rows > shown ? " (the first shown; --top to see more)" : "");
	sqlite3_finalize(st);
	st = NULL;
	if (rows && put_contexts(db, out) < 0)
		ret = -1;
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ret;
}
