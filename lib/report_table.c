/*
 * report_table.c -- tables for researchers from the database (docs/report.md):
 * lexicon categories per article, like LIWC's, and keyness between two
 * groups of articles, like quanteda's textstat_keyness.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "slant/db_views.h"
#include "slant/report.h"
#include "slant/usage.h"

/* A lexicon hit: an annotation with a lexicon and a category (frame's terms, attrib's hedges). */
#define LEX_HIT                                                                               \
	"json_extract(n.fields, '$.lexicon') IS NOT NULL AND json_extract(n.fields, '$.category')" \
	" IS NOT NULL"

static int fail(struct db *db)
{
	return error("database '%s': %s", db->path, sqlite3_errmsg(db->sql));
}

/* A field for CSV (quoted when it must be) or TSV (tabs and line ends as spaces). */
static void put_field(FILE *out, const char *s, char sep)
{
	const char *p;

	if (!s)
		return;
	if (sep == ',' && strpbrk(s, ",\"\r\n")) {
		putc('"', out);
		for (p = s; *p; p++) {
			if (*p == '"')
				putc('"', out);
			putc(*p, out);
		}
		putc('"', out);
		return;
	}
	for (p = s; *p; p++)
		putc(sep == '\t' && (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p, out);
}

struct names {
	char **v;
	size_t n, cap;
};

/* Index of 's' in sorted 'x', adding it when missing (the list stays sorted). */
static size_t name_index(struct names *x, const char *s)
{
	size_t lo = 0, hi = x->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(x->v[mid], s);

		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	xgrow(&x->v, &x->cap, x->n + 1, sizeof(*x->v));
	memmove(x->v + lo + 1, x->v + lo, (x->n - lo) * sizeof(*x->v));
	x->v[lo] = xstrdup(s);
	x->n++;
	return lo;
}

static void names_release(struct names *x)
{
	size_t i;

	for (i = 0; i < x->n; i++)
		free(x->v[i]);
	free(x->v);
}

int report_categories(struct db *db, FILE *out, char sep)
{
	static const char sql[] =
		"SELECT a.id, p.publisher, a.words, h.category, h.voice, h.hits FROM articles a"
		" JOIN article_publisher p ON p.article_id = a.id LEFT JOIN (SELECT n.article_id,"
		" c.value AS category,"
		" COALESCE(json_extract(n.fields, '$.voice'), 'none') AS voice, count(*) AS hits"
		/* A word in several categories counts in each ('categories', lib/frame.c). */
		" FROM annotations n, json_each(CASE WHEN json_type(n.fields, '$.categories') = 'array'"
		" THEN json_extract(n.fields, '$.categories')"
		" ELSE json_array(json_extract(n.fields, '$.category')) END) c"
		" WHERE " LEX_HIT " GROUP BY 1, 2, 3) h ON h.article_id = a.id"
		" ORDER BY a.id";
	struct names cats = { 0 }, voices = { 0 };
	sqlite3_stmt *st;
	size_t c, v, pass;
	int rc = 0;

	/* Two passes: the columns (every category and voice) first, then the rows. */
	for (pass = 0; pass < 2 && !rc; pass++) {
		char *id = NULL, *pub = NULL;
		long long words = 0;
		long long *hits = NULL;
		int r;

		if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
			return fail(db);
		if (pass == 1) {
			fprintf(out, "article%cpublisher%cwords", sep, sep);
			for (c = 0; c < cats.n; c++) {
				fprintf(out, "%c", sep);
				put_field(out, cats.v[c], sep);
				fprintf(out, "%c", sep);
				put_field(out, cats.v[c], sep);
				fputs("_per_1000", out);
				for (v = 0; v < voices.n; v++) {
					fprintf(out, "%c", sep);
					put_field(out, cats.v[c], sep);
					putc('.', out);
					put_field(out, voices.v[v], sep);
				}
			}
			putc('\n', out);
			hits = xcalloc(cats.n * (voices.n + 1) + 1, sizeof(*hits));
		}
		for (;;) {
			const char *aid, *cat, *voice;

			r = sqlite3_step(st);
			aid = r == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
			/* An article's row is written when the next article starts (or at the end). */
			if (pass == 1 && id && (!aid || strcmp(aid, id))) {
				put_field(out, id, sep);
				putc(sep, out);
				put_field(out, pub, sep);
				fprintf(out, "%c%lld", sep, words);
				for (c = 0; c < cats.n; c++) {
					long long all = 0;

					for (v = 0; v < voices.n; v++)
						all += hits[c * voices.n + v];
					fprintf(out, "%c%lld%c%.2f", sep, all, sep,
						words > 0 ? 1000.0 * (double)all / (double)words : 0.0);
					for (v = 0; v < voices.n; v++)
						fprintf(out, "%c%lld", sep, hits[c * voices.n + v]);
				}
				putc('\n', out);
				memset(hits, 0, cats.n * (voices.n + 1) * sizeof(*hits));
			}
			if (r != SQLITE_ROW)
				break;
			if (!id || strcmp(aid, id)) {
				free(id);
				free(pub);
				id = xstrdup(aid);
				pub = xstrdup(sqlite3_column_text(st, 1) ? (const char *)sqlite3_column_text(st, 1) : "");
				words = sqlite3_column_int64(st, 2);
			}
			cat = (const char *)sqlite3_column_text(st, 3);
			voice = (const char *)sqlite3_column_text(st, 4);
			if (!cat || !voice)
				continue;
			if (pass == 0) {
				name_index(&cats, cat);
				name_index(&voices, voice);
			} else {
				hits[name_index(&cats, cat) * voices.n + name_index(&voices, voice)] +=
					sqlite3_column_int64(st, 5);
			}
		}
		if (r != SQLITE_DONE)
			rc = fail(db);
		sqlite3_finalize(st);
		free(id);
		free(pub);
		free(hits);
	}
	names_release(&cats);
	names_release(&voices);
	return rc;
}

/*
 * Whether article group 'spec' ("CiberCuba,The Washington Times" or
 * "run:ID,...") holds the article of 'pub' and 'run'.
 */
static bool in_group(const char *spec, const char *pub, const char *run)
{
	const char *p = spec;

	while (*p) {
		size_t w = strcspn(p, ",");

		if (w > 4 && !strncmp(p, "run:", 4)) {
			if (run && strlen(run) == w - 4 && !strncmp(p + 4, run, w - 4))
				return true;
		} else if (pub && strlen(pub) == w && !strncmp(p, pub, w)) {
			return true;
		}
		p += w + (p[w] == ',');
	}
	return false;
}

struct key_term {
	char *term;
	double a, b;           /* hits in the target group and in the reference */
	double g2, lr;
};

static int by_g2(const void *pa, const void *pb)
{
	const struct key_term *a = pa, *b = pb;
	double x = a->lr >= 0 ? a->g2 : -a->g2, y = b->lr >= 0 ? b->g2 : -b->g2;

	if (x != y)
		return x > y ? -1 : 1;
	return strcmp(a->term, b->term);
}

/* a ln(a/e), 0 when a is 0. */
static double xlogx(double a, double e)
{
	return a > 0 && e > 0 ? a * log(a / e) : 0;
}

int report_keyness(struct db *db, FILE *out, const char *target, const char *reference)
{
	static const char words_sql[] =
		"SELECT p.publisher, a.run_id, a.words FROM articles a"
		" JOIN article_publisher p ON p.article_id = a.id";
	static const char hits_sql[] =
		"SELECT p.publisher, a.run_id, json_extract(n.fields, '$.entry') AS term, count(*)"
		" FROM annotations n JOIN articles a ON a.id = n.article_id"
		" JOIN article_publisher p ON p.article_id = a.id"
		" WHERE " LEX_HIT " AND json_extract(n.fields, '$.entry') IS NOT NULL"
		" GROUP BY 1, 2, 3";
	struct names terms = { 0 };
	struct key_term *k = NULL;
	size_t cap = 0, nk = 0, i;
	double c = 0, d = 0;
	sqlite3_stmt *st;
	int r;

	if (sqlite3_prepare_v2(db->sql, words_sql, -1, &st, NULL) != SQLITE_OK)
		return fail(db);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *pub = (const char *)sqlite3_column_text(st, 0),
			   *run = (const char *)sqlite3_column_text(st, 1);

		if (in_group(target, pub, run))
			c += sqlite3_column_double(st, 2);
		else if (in_group(reference, pub, run))
			d += sqlite3_column_double(st, 2);
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return fail(db);
	if (c <= 0 || d <= 0) {
		return error("--keyness: %s has no words", c <= 0 ? "the target group" : "the reference group");
	}
	if (sqlite3_prepare_v2(db->sql, hits_sql, -1, &st, NULL) != SQLITE_OK)
		return fail(db);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *pub = (const char *)sqlite3_column_text(st, 0),
			   *run = (const char *)sqlite3_column_text(st, 1),
			   *term = (const char *)sqlite3_column_text(st, 2);
		bool t = in_group(target, pub, run), ref = !t && in_group(reference, pub, run);
		size_t before = terms.n, j;

		if (!t && !ref)
			continue;
		j = name_index(&terms, term);
		if (terms.n > before) {
			xgrow(&k, &cap, nk + 1, sizeof(*k));
			memmove(k + j + 1, k + j, (nk - j) * sizeof(*k));
			memset(&k[j], 0, sizeof(k[j]));
			k[j].term = terms.v[j];
			nk++;
		}
		if (t)
			k[j].a += sqlite3_column_double(st, 3);
		else
			k[j].b += sqlite3_column_double(st, 3);
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE) {
		free(k);
		names_release(&terms);
		return fail(db);
	}
	/*
	 * Dunning's log-likelihood G2 over the 2x2 table (the term's hits and
	 * the other words of each group), no correction; signed negative when
	 * the term is relatively more frequent in the reference. lr: the log2
	 * ratio of the relative frequencies (0.5 added to each hit count).
	 */
	for (i = 0; i < nk; i++) {
		double a = k[i].a, b = k[i].b, e1 = c * (a + b) / (c + d), e2 = d * (a + b) / (c + d);
		double o1 = c - a, o2 = d - b, f1 = c * (o1 + o2) / (c + d), f2 = d * (o1 + o2) / (c + d);

		k[i].g2 = 2 * (xlogx(a, e1) + xlogx(b, e2) + xlogx(o1, f1) + xlogx(o2, f2));
		k[i].lr = log2(((a + 0.5) / c) / ((b + 0.5) / d));
	}
	qsort(k, nk, sizeof(*k), by_g2);
	fprintf(out, "term\ttarget\treference\tg2\tlog_ratio\n");
	for (i = 0; i < nk; i++) {
		put_field(out, k[i].term, '\t');
		fprintf(out, "\t%.0f\t%.0f\t%.3f\t%.3f\n", k[i].a, k[i].b, k[i].lr >= 0 ? k[i].g2 : -k[i].g2,
			k[i].lr);
	}
	fprintf(stderr, "%s: keyness: target %.0f words, reference %.0f words, %zu terms\n", progname,
		c, d, nk);
	free(k);
	names_release(&terms);
	return 0;
}
