/* report_db.c -- articles back from the database as records, and what each flag means. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slant/db_views.h"
#include "slant/jsonio.h"
#include "slant/rec.h"
#include "slant/report.h"
#include "slant/score.h"
#include "slant/usage.h"
#include "slant/utf8.h"

/* ====== Loading ====== */

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int sql_fail(struct db *db)
{
	return error("database '%s': %s", db->path, sqlite3_errmsg(db->sql));
}

static void set_col(json_t *rec, const char *key, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	if (sqlite3_column_type(st, col) == SQLITE_NULL || !s)
		return;
	json_object_set_new(rec, key, json_stringn((const char *)s,
						   (size_t)sqlite3_column_bytes(st, col)));
}

/*
 * Parse a JSON text column; an unreadable one becomes null rather than
 * stopping the report. By jsonio first (an article's 'fields' and 'extra'
 * went through jansson's parser at a fifth of report_load()'s time), by
 * jansson for what jsonio leaves to it.
 */
static json_t *json_col(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	size_t n = (size_t)sqlite3_column_bytes(st, col);
	json_t *v = NULL;
	bool too_many = false;

	if (!s)
		return NULL;
	/* What the store wrote came through rec_parse(): the same bound holds. */
	if (n && (*s == '{' || *s == '[') && utf8_valid(s, n))
		v = jsonio_parse(s, n, REC_MAX_VALUES, &too_many);
	if (!v && !too_many)
		v = json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	return v;
}

json_t *report_load(struct db *db, const char *id, int *err)
{
	static const char art_sql[] =
		"SELECT id, url, title, outlet_name, outlet_domain, byline, published, text,"
		" source_path, source_type, status, extra, run_id FROM articles WHERE id = ?1";
	/* Not the view's text: cut from the article's here, without a lookup per row. */
	static const char ann_sql[] =
		"SELECT seq, stage, label, start, end, fields FROM annotations"
		" WHERE article_id = ?1 AND seq >= 0 ORDER BY seq";
	sqlite3_stmt *st = NULL;
	json_t *rec = NULL, *extra, *anns, *outlet, *source;
	const char *text;
	size_t tlen;
	int rc;

	*err = 0;
	if (!(st = db_prepared(db, DB_ST_REPORT_ARTICLE, art_sql))) {
		*err = -1;
		return NULL;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		if (rc != SQLITE_DONE)
			*err = sql_fail(db);
		sqlite3_reset(st);
		return NULL;
	}
	/* 'extra' holds every field without a column: start from it. */
	extra = json_col(st, 11);
	rec = json_is_object(extra) ? extra : json_object();
	if (rec != extra)
		json_decref(extra);
	set_col(rec, "id", st, 0);
	set_col(rec, "url", st, 1);
	set_col(rec, "title", st, 2);
	set_col(rec, "byline", st, 5);
	set_col(rec, "published", st, 6);
	set_col(rec, "text", st, 7);
	set_col(rec, "status", st, 10);
	set_col(rec, "run_id", st, 12);
	outlet = json_object();
	set_col(outlet, "name", st, 3);
	set_col(outlet, "domain", st, 4);
	if (json_object_size(outlet) && !json_is_object(json_object_get(rec, "outlet")))
		json_object_set(rec, "outlet", outlet);
	json_decref(outlet);
	source = json_object();
	set_col(source, "path", st, 8);
	set_col(source, "type", st, 9);
	if (json_object_size(source) && !json_is_object(json_object_get(rec, "source")))
		json_object_set(rec, "source", source);
	json_decref(source);
	/* Reset, not finalized: the next article uses it again (db_close() finalizes). */
	sqlite3_reset(st);

	if (!(st = db_prepared(db, DB_ST_REPORT_ANNOTATIONS, ann_sql))) {
		*err = -1;
		json_decref(rec);
		return NULL;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	text = json_string_value(json_object_get(rec, "text"));
	tlen = json_string_length(json_object_get(rec, "text"));
	anns = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 seq = sqlite3_column_int64(st, 0);
		sqlite3_int64 start = sqlite3_column_int64(st, 3), end = sqlite3_column_int64(st, 4);
		bool span = sqlite3_column_type(st, 3) == SQLITE_INTEGER &&
			    sqlite3_column_type(st, 4) == SQLITE_INTEGER && 0 <= start &&
			    start <= end && end <= (sqlite3_int64)tlen;
		json_t *fields = json_col(st, 5), *ann;

		/* Ids are positions: keep them so even if a row is missing. */
		while ((sqlite3_int64)json_array_size(anns) < seq)
			json_array_append_new(anns, json_null());
		ann = json_is_object(fields) ? fields : json_object();
		if (ann != fields)
			json_decref(fields);
		set_col(ann, "stage", st, 1);
		set_col(ann, "label", st, 2);
		if (sqlite3_column_type(st, 3) == SQLITE_INTEGER)
			json_object_set_new(ann, "start", json_integer(sqlite3_column_int64(st, 3)));
		if (sqlite3_column_type(st, 4) == SQLITE_INTEGER)
			json_object_set_new(ann, "end", json_integer(sqlite3_column_int64(st, 4)));
		/*
		 * The covered bytes (docs/schema.md), unless 'fields' kept a text
		 * that was not them; none for a span outside the text.
		 */
		if (text && span && !json_object_get(ann, "text"))
			json_object_set_new(ann, "text", json_stringn(text + start, (size_t)(end - start)));
		json_array_append_new(anns, ann);
	}
	if (rc != SQLITE_DONE)
		*err = sql_fail(db);
	sqlite3_reset(st);
	json_object_set_new(rec, "annotations", anns);
	if (*err) {
		json_decref(rec);
		return NULL;
	}
	return rec;
}

/*
 * Score 'rec' again. The database keeps no rows for what [store] skip names
 * (by default segment's paragraphs and sentences): their ids are nulls in
 * 'annotations', which doc_read() refuses, and attrib's sentence labels
 * point at sentences by index. Each sentence comes back from the attrib
 * annotation that labels it (same span), in the last nulls before attrib's
 * first annotation (where segment's came); other nulls become gaps. Returns
 * the report, or NULL (warned).
 */
static json_t *score_again(const struct score_conf *sc, const json_t *rec)
{
	static const char *const labels[] = { "none", "attributed", "vague", "anonymous",
					      "unattributed", NULL };
	const json_t *all = json_object_get(rec, "annotations"), *a;
	json_t *copy = json_object(), *anns = json_array(), *report = NULL;
	size_t i, n = json_array_size(all), nsent = 0, first_attrib = n, nslots = 0, k;
	size_t *slot = xcalloc(n + 1, sizeof(*slot));
	struct { size_t start, end; bool set; } *sent = xcalloc(n + 1, sizeof(*sent));
	struct doc d = { 0 };
	char why[256] = "";

	json_array_foreach(all, i, a) {
		const char *label = str(a, "label");
		const json_t *si = json_object_get(a, "sentence");
		const char *const *l;

		if (!json_is_object(a) || !str(a, "stage") || strcmp(str(a, "stage"), "attrib") || !label)
			continue;
		if (first_attrib == n)
			first_attrib = i;
		for (l = labels; *l && strcmp(*l, label); l++)
			;
		if (!*l || !json_is_integer(si) || json_integer_value(si) < 0 ||
		    (size_t)json_integer_value(si) >= n)
			continue;
		k = (size_t)json_integer_value(si);
		sent[k].start = (size_t)json_integer_value(json_object_get(a, "start"));
		sent[k].end = (size_t)json_integer_value(json_object_get(a, "end"));
		sent[k].set = true;
		if (k + 1 > nsent)
			nsent = k + 1;
	}
	for (i = 0; i < first_attrib && i < n; i++)
		if (!json_is_object(json_array_get(all, i)))
			slot[nslots++] = i;
	if (nslots < nsent) {
		snprintf(why, sizeof(why), "%zu sentences but %zu rows missing before them", nsent, nslots);
		goto out;
	}
	json_object_update(copy, (json_t *)rec);
	k = 0;
	json_array_foreach(all, i, a) {
		if (json_is_object(a)) {
			json_array_append(anns, (json_t *)a);
		} else if (nslots - k <= nsent && k < nslots && slot[k] == i) {
			size_t j = nsent - (nslots - k), prev = j ? sent[j - 1].end : 0;

			/* A sentence no label names keeps its place, empty, where the one before ended. */
			if (!sent[j].set)
				sent[j].start = sent[j].end = prev;
			json_array_append_new(anns, json_pack("{s:s, s:s, s:I, s:I}", "stage", "segment",
							      "label", "sentence", "start",
							      (json_int_t)sent[j].start, "end",
							      (json_int_t)sent[j].end));
			k++;
		} else {
			if (k < nslots && slot[k] == i)
				k++;
			json_array_append_new(anns, json_pack("{s:s, s:s, s:i, s:i}", "stage", "store",
							      "label", "gap", "start", 0, "end", 0));
		}
	}
	json_object_set_new(copy, "annotations", anns);
	anns = NULL;
	report = score_article(sc, &d, copy, why, sizeof(why));
	doc_release(&d);
out:
	json_decref(anns);
	json_decref(copy);
	free(slot);
	free(sent);
	if (!report)
		warning("article '%s': cannot score it again after review: %s", str(rec, "id"), why);
	return report;
}

int report_review(struct db *db, json_t *rec, const struct score_conf *sc)
{
	static const char sql[] =
		"SELECT start, end, stage, label, entry, decision, reviewer, decided, note"
		" FROM decisions WHERE article_id = ?1";
	sqlite3_stmt *st = db_prepared(db, DB_ST_REPORT_DECISIONS, sql);
	json_t *anns = json_object_get(rec, "annotations"), *a, *found = json_object();
	size_t i, accepted = 0, rejected = 0;
	const char *k;
	json_t *r;
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, str(rec, "id") ? str(rec, "id") : "", -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 s = sqlite3_column_int64(st, 0), e = sqlite3_column_int64(st, 1);
		const char *stage = (const char *)sqlite3_column_text(st, 2);
		const char *label = (const char *)sqlite3_column_text(st, 3);
		const char *entry = (const char *)sqlite3_column_text(st, 4);
		const char *dec = (const char *)sqlite3_column_text(st, 5);

		/* The same span, stage, label and lexicon entry: what the page exported. */
		json_array_foreach(anns, i, a) {
			const char *en = str(a, "entry");
			char idx[32];
			int c;

			snprintf(idx, sizeof(idx), "%zu", i);
			if (!report_kind(a) || json_object_get(found, idx) ||
			    json_integer_value(json_object_get(a, "start")) != s ||
			    json_integer_value(json_object_get(a, "end")) != e ||
			    strcmp(str(a, "stage"), stage ? stage : "") ||
			    strcmp(str(a, "label"), label ? label : "") ||
			    strcmp(en ? en : "", entry ? entry : ""))
				continue;
			r = json_object();
			json_object_set_new(r, "decision", json_string(dec ? dec : ""));
			for (c = 6; c <= 8; c++)
				set_col(r, c == 6 ? "reviewer" : c == 7 ? "decided" : "note", st, c);
			json_object_set_new(found, idx, r);
			if (dec && !strcmp(dec, "reject"))
				rejected++;
			else
				accepted++;
			break;
		}
	}
	if (rc != SQLITE_DONE) {
		sql_fail(db);
		sqlite3_reset(st);
		json_decref(found);
		return -1;
	}
	sqlite3_reset(st);
	if (json_object_size(found)) {
		json_t *review = json_object(), *before = NULL, *after;
		bool scored = sc && json_is_object(json_object_get(rec, "report"));

		/*
		 * Both scores from the database's record, before and after the
		 * decisions: the difference is the review's, not that of rows
		 * the store skipped or of another [score] configuration.
		 */
		if (scored)
			before = score_again(sc, rec);
		json_object_foreach(found, k, r)
			json_object_set(json_array_get(anns, (size_t)strtoul(k, NULL, 10)), "review", r);
		json_object_set_new(review, "accepted", json_integer((json_int_t)accepted));
		json_object_set_new(review, "rejected", json_integer((json_int_t)rejected));
		if (before && (after = score_again(sc, rec))) {
			json_object_set_new(review, "before", json_deep_copy(json_object_get(before, "score")));
			json_object_set_new(review, "before_band", json_deep_copy(json_object_get(before, "band")));
			json_object_set_new(review, "report", after);
		}
		json_decref(before);
		json_object_set_new(rec, "review", review);
	}
	{
		size_t n = json_object_size(found);

		json_decref(found);
		return (int)n;
	}
}

int report_ids(struct db *db, char ***ids, size_t *n)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db->sql,
			       "SELECT article_id FROM article_report"
			       " ORDER BY score IS NULL, score, publisher, article_id",
			       -1, &st, NULL) != SQLITE_OK)
		return sql_fail(db);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow(ids, &cap, *n + 1, sizeof(**ids));
		(*ids)[(*n)++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		report_ids_free(*ids, *n);
		*ids = NULL;
		*n = 0;
		return sql_fail(db);
	}
	return 0;
}

void report_ids_free(char **ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

/* ====== Kinds and reasons ====== */

const char *const report_kinds[] = {
	"loaded", "scare", "verb", "hedge", "attributed", "vague", "anonymous", "unattributed",
	"quote", "outlet", "unknown", "other", NULL,
};

const char *const report_findings_order[] = {
	"loaded", "scare", "verb", "vague", "anonymous", "unattributed", "hedge", "unknown",
	"outlet", "quote", "attributed", "other", NULL,
};

bool report_kind_is_finding(const char *kind)
{
	return kind && strcmp(kind, "outlet") && strcmp(kind, "quote") && strcmp(kind, "attributed") &&
	       strcmp(kind, "other");
}

static const char *const kind_titles[] = {
	"Loaded term", "Scare quote", "Loaded reporting verb", "Hedge", "Attributed claim",
	"Vague attribution", "Anonymous source", "Unattributed claim", "Quotation", "Outlet",
	"Unlisted organisation", "Other flag",
};


const char *report_kind(const json_t *ann)
{
	const char *stage = str(ann, "stage"), *label = str(ann, "label"), *stance;

	if (!json_is_object(ann) || !db_is_flagged(stage, label))
		return NULL;
	if (!strcmp(stage, "frame"))
		return !strcmp(label, "scare_quote") ? "scare" : "loaded";
	if (!strcmp(stage, "affil"))
		return !strcmp(label, "outlet") ? "outlet" : "unknown";
	if (!strcmp(label, "attributed") || !strcmp(label, "vague") || !strcmp(label, "anonymous")) {
		stance = str(ann, "stance");
		/* A loaded verb is what the editor should see first; the label is in the tooltip. */
		if (stance && !strcmp(stance, "loaded"))
			return "verb";
		return !strcmp(label, "attributed") ? "attributed"
		       : !strcmp(label, "vague")    ? "vague"
						    : "anonymous";
	}
	if (!strcmp(label, "unattributed"))
		return "unattributed";
	if (!strcmp(label, "hedge"))
		return "hedge";
	if (!strcmp(label, "speaker"))
		return "quote";
	return "other";
}

const char *report_kind_title(const char *kind)
{
	size_t i;

	for (i = 0; report_kinds[i]; i++)
		if (!strcmp(report_kinds[i], kind))
			return kind_titles[i];
	return "Flag";
}

const char *report_component_title(const char *name)
{
	static const char *const t[][2] = {
		{ "framing", "Framing in the outlet's own voice" },
		{ "headline", "Headline framing" },
		{ "attribution", "Attribution of claims" },
		{ "sources", "Source diversity and independence" },
		{ "transparency", "Transparency" },
		{ "verbs", "Loaded reporting verbs and hedges" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (name && !strcmp(t[i][0], name))
			return t[i][1];
	return name ? name : "?";
}

void report_value(char *buf, size_t size, const json_t *comp)
{
	const char *name = str(comp, "name");
	const json_t *v = json_object_get(comp, "value"), *counts = json_object_get(comp, "counts");
	double x = json_number_value(v);

	if (!json_is_number(v) || !name) {
		snprintf(buf, size, "n/a");
		return;
	}
	if (!strcmp(name, "framing") || !strcmp(name, "verbs"))
		snprintf(buf, size, "%.1f per 1,000 words", x);
	else if (!strcmp(name, "headline"))
		snprintf(buf, size, "%g weighted", x);
	else if (!strcmp(name, "attribution"))
		snprintf(buf, size, "%.0f%% attributed", 100 * x);
	else if (!strcmp(name, "sources"))
		snprintf(buf, size, "%g source%s", x, x == 1 ? "" : "s");
	else if (!strcmp(name, "transparency"))
		snprintf(buf, size, "%g of %lld checks", x,
			 (long long)json_integer_value(json_object_get(counts, "checks")));
	else
		snprintf(buf, size, "%g", x);
}

const char *report_publisher(const json_t *rec)
{
	const json_t *pub = json_object_get(rec, "publisher"), *outlet = json_object_get(rec, "outlet");

	if (str(pub, "name"))
		return str(pub, "name");
	if (str(outlet, "name"))
		return str(outlet, "name");
	if (str(outlet, "domain"))
		return str(outlet, "domain");
	return "(unknown)";
}

char *report_origin(const json_t *rec)
{
	const json_t *o = json_object_get(rec, "origin");
	const char *name = str(o, "name"), *by = str(o, "found_by"), *ev = str(o, "evidence");

	if (!json_is_object(o) || !name)
		return NULL;
	return xasprintf("Origin: %s (%s%s%s%s%s)", name,
			 json_is_true(json_object_get(o, "state_affiliated")) ? "state-affiliated; " : "",
			 by ? by : "credit", ev && *ev ? ": \"" : "", ev && *ev ? ev : "",
			 ev && *ev ? "\"" : "");
}

/* A growing line of text. */
struct line {
	char *s;
	size_t len, cap;
};

static void addf(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void addf(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int need;

	/* Into the room there is first: formatting twice was most of report_why(). */
	if (l->cap - l->len < 64)
		xgrow(&l->s, &l->cap, l->len + 128, 1);
	va_start(ap, fmt);
	need = vsnprintf(l->s + l->len, l->cap - l->len, fmt, ap);
	va_end(ap);
	if (need < 0)
		return;
	if ((size_t)need >= l->cap - l->len) {
		xgrow(&l->s, &l->cap, l->len + (size_t)need + 1, 1);
		va_start(ap, fmt);
		vsnprintf(l->s + l->len, (size_t)need + 1, fmt, ap);
		va_end(ap);
	}
	l->len += (size_t)need;
}

static void sep(struct line *l)
{
	if (l->len)
		addf(l, "; ");
}

char *report_why(const json_t *ann)
{
	const char *kind = report_kind(ann), *label = str(ann, "label");
	const char *v;
	struct line l = { 0 };

	if (!kind)
		return xstrdup("");
	if (!strcmp(kind, "loaded") || !strcmp(kind, "scare")) {
		addf(&l, "%s", !strcmp(kind, "scare") ? "phrase in scare quotes" : "loaded term");
		if ((v = str(ann, "category")))
			addf(&l, " (%s)", v);
		if ((v = str(ann, "voice")))
			addf(&l, " in the %s voice", v);
		if (json_is_number(json_object_get(ann, "weight")))
			addf(&l, ", weight %g", json_number_value(json_object_get(ann, "weight")));
		if ((v = str(ann, "entry"))) {
			sep(&l);
			addf(&l, "lexicon entry '%s'", v);
			if (str(ann, "lexicon"))
				addf(&l, " (%s:%lld)", str(ann, "lexicon"),
				     (long long)json_integer_value(json_object_get(ann, "lexicon_line")));
		}
		if ((v = str(ann, "alternative")) && *v) {
			sep(&l);
			addf(&l, "neutral alternative: '%s'", v);
		}
		if ((v = str(ann, "speaker"))) {
			sep(&l);
			addf(&l, "speaker: %s", v);
		}
	} else if (!strcmp(label, "attributed") || !strcmp(label, "vague") ||
		   !strcmp(label, "anonymous")) {
		addf(&l, "%s", !strcmp(label, "attributed") ? "claim attributed"
			       : !strcmp(label, "vague")    ? "claim attributed vaguely"
							    : "claim attributed to an anonymous source");
		if ((v = str(ann, "source")))
			addf(&l, " to '%s'", v);
		if ((v = str(ann, "cue")))
			addf(&l, " by '%s'", v);
		if ((v = str(ann, "stance")))
			addf(&l, " (%s reporting verb)", v);
		if (json_is_true(json_object_get(ann, "carried")))
			addf(&l, ", carried over from an earlier sentence");
		if ((v = str(ann, "entry"))) {
			sep(&l);
			addf(&l, "lexicon entry '%s'", v);
		}
	} else if (!strcmp(kind, "unattributed")) {
		addf(&l, "claim with no source named in or before the sentence");
	} else if (!strcmp(kind, "hedge")) {
		addf(&l, "hedge");
		if ((v = str(ann, "category")))
			addf(&l, " (%s)", v);
		if ((v = str(ann, "entry"))) {
			sep(&l);
			addf(&l, "lexicon entry '%s'", v);
		}
	} else if (!strcmp(kind, "quote")) {
		addf(&l, "quotation");
		if ((v = str(ann, "speaker")))
			addf(&l, "; speaker: %s", v);
	} else if (!strcmp(kind, "outlet")) {
		const json_t *sa = json_object_get(ann, "state_affiliated");

		addf(&l, "%s", str(ann, "name") ? str(ann, "name") : "outlet");
		if ((v = str(ann, "role")))
			addf(&l, " as %s", v);
		if ((v = str(ann, "kind")))
			addf(&l, "; %s", v);
		if ((v = str(ann, "ownership")))
			addf(&l, ", %s ownership", v);
		if ((v = str(ann, "control")) && *v)
			addf(&l, ", control: %s", v);
		if ((v = str(ann, "country")))
			addf(&l, ", %s", v);
		if (json_is_true(sa))
			addf(&l, "; state-affiliated");
		if ((v = str(ann, "conflict_party")) && *v)
			addf(&l, "; party to the conflict: %s", v);
		if (json_is_boolean(json_object_get(ann, "disclosed")))
			addf(&l, "; affiliation %s",
			     json_is_true(json_object_get(ann, "disclosed")) ? "disclosed"
									   : "not disclosed");
		if ((v = str(ann, "disclosure")))
			addf(&l, " (\"%s\")", v);
		if ((v = str(ann, "entry"))) {
			sep(&l);
			addf(&l, "register entry '%s'", v);
		}
	} else if (!strcmp(kind, "unknown") && !strcmp(label, "ambiguous")) {
		const json_t *c = json_object_get(ann, "candidates"), *x;
		size_t k;

		addf(&l, "ambiguous outlet name, not resolved");
		if ((v = str(ann, "name")))
			addf(&l, ": %s", v);
		json_array_foreach(c, k, x)
			addf(&l, "%s%s", k ? ", " : "; candidates: ", json_string_value(x) ? json_string_value(x) : "?");
	} else if (!strcmp(kind, "unknown")) {
		addf(&l, "organisation not in the outlet register");
		if ((v = str(ann, "name")))
			addf(&l, ": %s", v);
	} else {
		addf(&l, "%s/%s", str(ann, "stage"), label);
	}
	return l.s ? l.s : xstrdup("");
}
