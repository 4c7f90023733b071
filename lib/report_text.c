/* report_text.c -- the review report as terminal text and as Markdown. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slant/rec.h"
#include "slant/report.h"
#include "slant/usage.h"
#include "slant/utf8.h"

/* Longest span text shown in a list, in code points. */
#define SNIPPET 70

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/*
 * Write 's' (at most 'max' code points, 0 for all) with control characters
 * (C0, DEL, C1) and bidirectional controls (U+202A-202E, U+2066-2069)
 * shown as spaces: data must never drive the terminal or reorder what it
 * shows, and one flag stays on one line. With 'md', for a Markdown table
 * cell, inline markup, HTML and pipes are escaped; without, the Unicode
 * line and paragraph separators are spaces too. Returns the code points
 * written (an ellipsis for the cut counts one).
 */
static size_t put_text(FILE *out, const char *s, size_t max, bool md)
{
	size_t len, i = 0, cps = 0;

	if (!s)
		return 0;
	len = strlen(s);
	while (i < len) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);

		if (max && cps == max) {
			fputs("\xe2\x80\xa6", out);
			return cps + 1;
		}
		if (!k) {
			putc('?', out);
			i++;
			cps++;
			continue;
		}
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    utf8_is_bidi_control(cp) || (!md && (cp == 0x2028 || cp == 0x2029)))
			putc(' ', out);
		else if (md && cp == '<')
			fputs("&lt;", out);
		else if (md && cp == '>')
			fputs("&gt;", out);
		else if (md && cp == '&')
			fputs("&amp;", out);
		else if (md && cp < 0x80 && strchr("\\`*_[]|~#!", (int)cp))
			fprintf(out, "\\%c", (char)cp);
		else
			fwrite(s + i, 1, k, out);
		i += k;
		cps++;
	}
	return cps;
}

static size_t put_plain(FILE *out, const char *s, size_t max)
{
	return put_text(out, s, max, false);
}

/*
 * "rejected by Ana, 2026-12-01; left out of the score": a decision from the
 * database (report_review()), into 'buf'; "" when there is none.
 */
static void decision_line(char *buf, size_t size, const json_t *ann)
{
	const json_t *rev = json_object_get(ann, "review");
	const char *dec = str(rev, "decision"), *by = str(rev, "reviewer"), *at = str(rev, "decided");
	bool rej = dec && !strcmp(dec, "reject");

	if (!dec) {
		*buf = '\0';
		return;
	}
	snprintf(buf, size, "%s%s%s%s%.10s%s", rej ? "rejected" : "accepted", by && *by ? " by " : "",
		 by && *by ? by : "", at && *at ? ", " : "", at ? at : "",
		 rej ? "; left out of the score" : "");
}

/* "Reviewed: 2 rejected (left out of the score), 1 accepted; before review 57.8 mixed." */
static void review_line(char *buf, size_t size, const json_t *rec)
{
	const json_t *review = json_object_get(rec, "review"), *stored = json_object_get(rec, "report");
	long long rej = json_integer_value(json_object_get(review, "rejected"));
	int n;

	*buf = '\0';
	if (!json_is_object(review))
		return;
	n = snprintf(buf, size, "Reviewed: %lld flag%s rejected%s, %lld accepted", rej,
		     rej == 1 ? "" : "s", rej ? " (left out of the score)" : "",
		     json_integer_value(json_object_get(review, "accepted")));
	if (n > 0 && (size_t)n < size && json_is_object(json_object_get(review, "report")) &&
	    json_is_number(json_object_get(stored, "score")))
		snprintf(buf + n, size - (size_t)n, "; before review %.1f %s",
			 json_number_value(json_object_get(stored, "score")),
			 str(stored, "band") ? str(stored, "band") : "");
}

/* The report shown: scored again after review when there is one, else the stored one. */
static const json_t *shown_report(const json_t *rec)
{
	const json_t *again = json_object_get(json_object_get(rec, "review"), "report");

	return json_is_object(again) ? again : json_object_get(rec, "report");
}

/* ====== Terminal text ====== */

struct tty {
	FILE *out;
	bool on;
	size_t width;
};

static void sgr(const struct tty *t, const char *code)
{
	if (t->on)
		fprintf(t->out, "\033[%sm", code);
}

/* Red for a low score through yellow to green for a high one. */
static const char *score_colour(double score)
{
	return score >= 80 ? "1;32" : score >= 60 ? "1;33" : score >= 40 ? "1;35" : "1;31";
}

static const char *kind_colour(const char *kind)
{
	if (!strcmp(kind, "loaded") || !strcmp(kind, "verb") || !strcmp(kind, "scare"))
		return "1;33";
	if (!strcmp(kind, "unattributed") || !strcmp(kind, "vague") || !strcmp(kind, "anonymous"))
		return "1;34";
	if (!strcmp(kind, "hedge"))
		return "1;35";
	if (!strcmp(kind, "outlet") || !strcmp(kind, "unknown"))
		return "36";
	return "2";
}

/*
 * 's' made safe for a terminal (put_text's rules) into a malloc'd string of
 * code points, for measuring and cutting: each element one code point's bytes.
 */
struct cps {
	char *buf;             /* the safe text */
	size_t *at, n;         /* byte offset of each code point in buf, and how many */
};

static void cps_make(struct cps *c, const char *s)
{
	char *b = NULL;
	size_t blen = 0, i = 0, len = s ? strlen(s) : 0;
	FILE *f = open_memstream(&b, &blen);

	if (!f)
		die("out of memory");
	put_text(f, s, 0, false);
	if (fclose(f))
		die("out of memory");
	c->buf = b;
	c->at = xmalloc((blen + 1) * sizeof(*c->at));
	c->n = 0;
	(void)len;
	while (i < blen) {
		uint32_t cp;
		size_t k = utf8_decode(b + i, blen - i, &cp);

		c->at[c->n++] = i;
		i += k ? k : 1;
	}
	c->at[c->n] = blen;
}

static void cps_free(struct cps *c)
{
	free(c->buf);
	free(c->at);
}

/* Code points [from, to) of 'c'. */
static void cps_put(FILE *out, const struct cps *c, size_t from, size_t to)
{
	if (to > c->n)
		to = c->n;
	if (from < to)
		fwrite(c->buf + c->at[from], 1, c->at[to] - c->at[from], out);
}

/* 's' wrapped at the terminal's width, each line indented by 'indent' spaces. */
static void put_wrapped(const struct tty *t, const char *s, size_t indent)
{
	struct cps c;
	size_t i = 0, room = t->width > indent + 20 ? t->width - indent : 20;

	cps_make(&c, s);
	while (i < c.n) {
		size_t end = i + room, cut;

		while (i < c.n && c.buf[c.at[i]] == ' ')
			i++;
		if (i >= c.n)
			break;
		end = i + room;
		if (end >= c.n) {
			cut = c.n;
		} else {
			/* At the last space that fits; a word longer than the line is cut. */
			for (cut = end; cut > i && c.buf[c.at[cut]] != ' '; cut--)
				;
			if (cut == i)
				cut = end;
		}
		fprintf(t->out, "%*s", (int)indent, "");
		cps_put(t->out, &c, i, cut);
		fputc('\n', t->out);
		i = cut;
	}
	cps_free(&c);
}

static void text_meta(FILE *out, const json_t *rec)
{
	const char *parts[4] = { report_publisher(rec), str(rec, "byline"), str(rec, "published"),
				 str(rec, "id") };
	size_t i;
	bool first = true;

	for (i = 0; i < 4; i++) {
		if (!parts[i] || !*parts[i])
			continue;
		if (!first)
			fputs(" \xc2\xb7 ", out);
		put_plain(out, parts[i], 120);
		first = false;
	}
}

/* Line and column (1-based, in code points) of byte 'off' of 'text'. */
static void line_col(const char *text, size_t len, size_t off, size_t *line, size_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

/* Whether flag 'a' of 'kind' passes the filters of 'o'. */
static bool wanted(const json_t *a, const char *kind, const struct report_text_opts *o)
{
	if (o && o->kinds) {
		const char *p = o->kinds;
		size_t n = strlen(kind);
		bool in = false;

		while (*p && !in) {
			size_t w = strcspn(p, ",");

			in = w == n && !strncmp(p, kind, n);
			p += w + (p[w] == ',');
		}
		if (!in)
			return false;
	} else if (!report_kind_is_finding(kind)) {
		return false;
	}
	if (o && o->min_weight > 0)
		return json_is_number(json_object_get(a, "weight")) &&
		       json_number_value(json_object_get(a, "weight")) >= o->min_weight;
	return true;
}

/*
 * One flag on one line: line:column, its id (articles/ID.html#aID), and the
 * text around it cut to the width, the flagged words in brackets (bold on a
 * terminal). A sentence-long flag is its own context.
 */
static void put_finding(const struct tty *t, const json_t *rec, const json_t *a, size_t id)
{
	const char *text = str(rec, "text");
	size_t len = text ? strlen(text) : 0, s = (size_t)json_integer_value(json_object_get(a, "start")),
	       e = (size_t)json_integer_value(json_object_get(a, "end")), line, col, ls, le;
	char where[48];
	int wn;
	struct cps before, inside, after;
	char *b, *in, *af;
	size_t room, nb, ni, na;

	if (!text || s > e || e > len)
		return;
	line_col(text, len, s, &line, &col);
	wn = snprintf(where, sizeof(where), "%zu:%zu #%zu", line, col, id);
	/* The paragraph around it: from the line's start to its end. */
	for (ls = s; ls > 0 && text[ls - 1] != '\n'; ls--)
		;
	for (le = e; le < len && text[le] != '\n'; le++)
		;
	b = xasprintf("%.*s", (int)(s - ls), text + ls);
	in = xasprintf("%.*s", (int)(e - s), text + s);
	af = xasprintf("%.*s", (int)(le - e), text + e);
	cps_make(&before, b);
	cps_make(&inside, in);
	cps_make(&after, af);
	fprintf(t->out, "    %-16s ", where);
	room = t->width > (size_t)wn + 24 ? t->width - 21 - 4 : 40;
	/*
	 * The flag first, up to all the room less the brackets; then the words
	 * either side. A flag of half the line or more (a sentence) is its own
	 * context.
	 */
	ni = inside.n + 2 > room ? room - 3 : inside.n;
	nb = (room - ni - 2) / 2;
	na = room - ni - 2 - (nb < before.n ? nb : before.n);
	if (nb > before.n)
		nb = before.n;
	if (na > after.n)
		na = after.n;
	if (inside.n + 2 >= room / 2)
		nb = na = 0;
	if (nb < before.n && nb) {
		fputs("\xe2\x80\xa6", t->out);
		nb--;
	}
	cps_put(t->out, &before, before.n - nb, before.n);
	if (t->on)
		sgr(t, "1;4");
	else
		fputc('[', t->out);
	cps_put(t->out, &inside, 0, ni);
	if (ni < inside.n)
		fputs("\xe2\x80\xa6", t->out);
	if (t->on)
		sgr(t, "0");
	else
		fputc(']', t->out);
	if (na < after.n && na) {
		cps_put(t->out, &after, 0, na - 1);
		fputs("\xe2\x80\xa6", t->out);
	} else {
		cps_put(t->out, &after, 0, na);
	}
	fputc('\n', t->out);
	cps_free(&before);
	cps_free(&inside);
	cps_free(&after);
	free(b);
	free(in);
	free(af);
}

static int count_desc(const void *pa, const void *pb)
{
	const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	json_int_t x = json_integer_value(json_object_get(a, "n")),
		   y = json_integer_value(json_object_get(b, "n"));

	if (x != y)
		return x > y ? -1 : 1;
	return strcmp(json_string_value(json_object_get(a, "entry")),
		      json_string_value(json_object_get(b, "entry")));
}

void report_text(FILE *out, const json_t *rec, const struct report_text_opts *o)
{
	struct tty t = { out, o && o->colour, o && o->width ? o->width : 80 };
	const json_t *report = shown_report(rec), *c, *a, *anns;
	const json_t *score = json_object_get(report, "score");
	size_t i, k, nflag = 0, applicable = 0, ncomp = 0, nkind[32] = { 0 }, shown = 0;
	char value[64], line[256], *origin;

	sgr(&t, "1");
	put_wrapped(&t, str(rec, "title") ? str(rec, "title") : "(untitled)", 0);
	sgr(&t, "0");
	sgr(&t, "2");
	text_meta(out, rec);
	if ((origin = report_origin(rec))) {
		fputs("\n", out);
		put_plain(out, origin, 300);
		free(origin);
	}
	sgr(&t, "0");
	fputs("\n\n", out);

	if (!json_is_object(report)) {
		fputs("  Not scored: run slant-score before slant-store.\n", out);
	} else {
		json_array_foreach(json_object_get(report, "components"), i, c) {
			ncomp++;
			applicable += json_is_true(json_object_get(c, "applicable"));
		}
		fputs("  Score  ", out);
		if (json_is_number(score)) {
			sgr(&t, score_colour(json_number_value(score)));
			fprintf(out, "%.1f / 100", json_number_value(score));
			sgr(&t, "0");
		} else {
			fputs("none", out);
		}
		fputs("  ", out);
		put_plain(out, str(report, "band"), 32);
		fprintf(out, "   (%zu of %zu components measured)\n", applicable, ncomp);
		review_line(line, sizeof(line), rec);
		if (*line)
			put_wrapped(&t, line, 2);
		fputs("\n", out);
		json_array_foreach(json_object_get(report, "components"), i, c) {
			const json_t *pts = json_object_get(c, "points");

			fputs("  ", out);
			sgr(&t, "1");
			/* A name from the database is data like any other: through put_plain. */
			fprintf(out, "%*s", (int)(36 - put_plain(out, report_component_title(str(c, "name")), 35)), "");
			sgr(&t, "0");
			if (json_is_number(pts))
				fprintf(out, " %5.1f / %-4g", json_number_value(pts),
					json_number_value(json_object_get(c, "weight")));
			else
				fprintf(out, "   n/a / %-4g", json_number_value(json_object_get(c, "weight")));
			report_value(value, sizeof(value), c);
			/* The value beside the points when it fits, else before the detail. */
			if (t.width >= 78) {
				fprintf(out, "  %s\n", value);
				sgr(&t, "2");
				put_wrapped(&t, str(c, "detail"), 6);
			} else {
				char *d = xasprintf("%s \xe2\x80\x94 %s", value,
						    str(c, "detail") ? str(c, "detail") : "");

				fputs("\n", out);
				sgr(&t, "2");
				put_wrapped(&t, d, 6);
				free(d);
			}
			sgr(&t, "0");
		}
		if (json_array_size(json_object_get(report, "missing"))) {
			fputs("\n  Not run: ", out);
			json_array_foreach(json_object_get(report, "missing"), i, c) {
				fprintf(out, "%sslant-", i ? ", " : "");
				put_plain(out, json_string_value(c), 32);
			}
			fputs(" (their components are not applicable)\n", out);
		}
	}

	/* The findings: a count per kind, then each kind grouped by lexicon entry. */
	anns = json_object_get(rec, "annotations");
	json_array_foreach(anns, i, a) {
		const char *kind = report_kind(a);

		if (!kind)
			continue;
		nflag++;
		for (k = 0; report_findings_order[k]; k++)
			if (!strcmp(report_findings_order[k], kind) && wanted(a, kind, o))
				nkind[k]++, shown++;
	}
	{
		char *l = NULL;
		size_t ll = 0;
		FILE *f = open_memstream(&l, &ll);

		if (!f)
			die("out of memory");
		fprintf(f, "Flagged spans: %zu; shown: %zu", nflag, shown);
		for (k = 0, i = 0; report_findings_order[k]; k++)
			if (nkind[k])
				fprintf(f, "%s%s %zu", i++ ? ", " : " (",
					report_kind_title(report_findings_order[k]), nkind[k]);
		fputs(shown ? ")." : ".", f);
		if (!o || !o->kinds)
			fputs(" Findings only: --kind attributed,quote,outlet lists the rest.", f);
		fclose(f);
		fputs("\n", out);
		put_wrapped(&t, l, 2);
		free(l);
	}
	for (k = 0; report_findings_order[k]; k++) {
		const char *kind = report_findings_order[k];
		json_t *groups, *list, *g;
		const char *en;
		size_t j;

		if (!nkind[k])
			continue;
		groups = json_object();
		list = json_array();
		fputs("\n  ", out);
		sgr(&t, kind_colour(kind));
		fprintf(out, "%s (%zu)", report_kind_title(kind), nkind[k]);
		sgr(&t, "0");
		fputs("\n", out);
		/*
		 * Grouped by entry, voice and speaker (the header describes every flag
		 * under it), the most frequent first; flags with no entry in one group.
		 */
		json_array_foreach(anns, i, a) {
			const char *ak = report_kind(a);
			char *key;

			if (!ak || strcmp(ak, kind) || !wanted(a, kind, o))
				continue;
			en = str(a, "entry") ? str(a, "entry") : "";
			key = xasprintf("%s\x1f%s\x1f%s", en, str(a, "voice") ? str(a, "voice") : "",
					str(a, "speaker") ? str(a, "speaker") : "");
			if (!(g = json_object_get(groups, key))) {
				g = json_pack("{s:s, s:i, s:[], s:O}", "entry", en, "n", 0, "ids", "first", a);
				json_object_set_new(groups, key, g);
				json_array_append(list, g);
			}
			free(key);
			json_object_set_new(g, "n", json_integer(json_integer_value(json_object_get(g, "n")) + 1));
			json_array_append_new(json_object_get(g, "ids"), json_integer((json_int_t)i));
		}
		{
			size_t ng = json_array_size(list);
			json_t **v = xmalloc((ng + 1) * sizeof(*v));

			for (j = 0; j < ng; j++)
				v[j] = json_array_get(list, j);
			qsort(v, ng, sizeof(*v), count_desc);
			for (j = 0; j < ng; j++) {
				const json_t *first = json_object_get(v[j], "first"), *id;
				char *why = report_why(first);
				size_t m;

				en = json_string_value(json_object_get(v[j], "entry"));
				if (*en) {
					char *head = xasprintf("'%s' \xc3\x97%lld \xe2\x80\x94 %s", en,
							       (long long)json_integer_value(json_object_get(v[j], "n")),
							       why);

					sgr(&t, "1");
					put_wrapped(&t, head, 4);
					sgr(&t, "0");
					free(head);
				}
				json_array_foreach(json_object_get(v[j], "ids"), m, id) {
					const json_t *ann = json_array_get(anns, (size_t)json_integer_value(id));

					put_finding(&t, rec, ann, (size_t)json_integer_value(id));
					if (!*en && (str(ann, "source") || str(ann, "cue") || !strcmp(kind, "unknown"))) {
						char *w = report_why(ann);

						sgr(&t, "2");
						put_wrapped(&t, w, 8);
						sgr(&t, "0");
						free(w);
					}
					decision_line(line, sizeof(line), ann);
					if (*line) {
						sgr(&t, "1");
						put_wrapped(&t, line, 8);
						sgr(&t, "0");
					}
				}
				free(why);
			}
			free(v);
		}
		json_decref(list);
		json_decref(groups);
	}
}

/* ====== The summary before the articles ====== */

static int dbl_cmp(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

void report_summary_add(struct report_summary *sum, const json_t *rec,
			const struct report_text_opts *o)
{
	const json_t *report = shown_report(rec), *a;
	const char *band = str(report, "band");
	size_t i, k;

	if (!sum->bands) {
		sum->bands = json_object();
		sum->entries = json_object();
		sum->outlets = json_object();
	}
	sum->articles++;
	json_object_set_new(sum->outlets, report_publisher(rec), json_true());
	if (json_is_number(json_object_get(report, "score"))) {
		xgrow(&sum->scores, &sum->cap, sum->nscores + 1, sizeof(*sum->scores));
		sum->scores[sum->nscores++] = json_number_value(json_object_get(report, "score"));
	}
	if (band)
		json_object_set_new(sum->bands, band,
				    json_integer(json_integer_value(json_object_get(sum->bands, band)) + 1));
	json_array_foreach(json_object_get(rec, "annotations"), i, a) {
		const char *kind = report_kind(a), *en = str(a, "entry");

		if (!kind || !wanted(a, kind, o))
			continue;
		for (k = 0; report_findings_order[k]; k++)
			if (!strcmp(report_findings_order[k], kind))
				sum->kinds[k]++;
		if (en && strcmp(kind, "outlet"))
			json_object_set_new(sum->entries, en,
					    json_integer(json_integer_value(json_object_get(sum->entries, en)) + 1));
	}
}

void report_summary_print(FILE *out, struct report_summary *sum, const struct report_text_opts *o)
{
	struct tty t = { out, o && o->colour, o && o->width ? o->width : 80 };
	char *line = NULL;
	size_t len = 0, i, k, n = 0;
	FILE *f = open_memstream(&line, &len);
	const char *key;
	json_t *v, *list = json_array();

	if (!f)
		die("out of memory");
	fprintf(f, "%zu article%s from %zu outlet%s", sum->articles, sum->articles == 1 ? "" : "s",
		json_object_size(sum->outlets), json_object_size(sum->outlets) == 1 ? "" : "s");
	if (sum->nscores) {
		qsort(sum->scores, sum->nscores, sizeof(*sum->scores), dbl_cmp);
		fprintf(f, "; scores %.0f\xe2\x80\x93%.0f, median %.0f", sum->scores[0],
			sum->scores[sum->nscores - 1], sum->scores[sum->nscores / 2]);
		json_object_foreach(sum->bands, key, v)
			fprintf(f, "%s%lld %s", n++ ? ", " : " (", (long long)json_integer_value(v), key);
		fputs(n ? ")" : "", f);
	}
	fputs(". A reading aid, not a verdict: lowest score first.", f);
	fclose(f);
	sgr(&t, "1");
	put_wrapped(&t, line, 0);
	sgr(&t, "0");
	free(line);
	line = NULL;
	f = open_memstream(&line, &len);
	if (!f)
		die("out of memory");
	fputs("Flags shown:", f);
	for (k = 0, n = 0; report_findings_order[k]; k++)
		if (sum->kinds[k])
			fprintf(f, "%s %zu %s", n++ ? "," : "", sum->kinds[k],
				report_kind_title(report_findings_order[k]));
	if (!n)
		fputs(" none", f);
	json_object_foreach(sum->entries, key, v)
		json_array_append_new(list, json_pack("{s:s, s:O}", "entry", key, "n", v));
	if (json_array_size(list)) {
		json_t **e = xmalloc(json_array_size(list) * sizeof(*e));

		for (i = 0; i < json_array_size(list); i++)
			e[i] = json_array_get(list, i);
		qsort(e, json_array_size(list), sizeof(*e), count_desc);
		fputs(". Most frequent entries:", f);
		for (i = 0; i < json_array_size(list) && i < 8; i++)
			fprintf(f, "%s '%s' %lld", i ? "," : "", json_string_value(json_object_get(e[i], "entry")),
				(long long)json_integer_value(json_object_get(e[i], "n")));
		free(e);
	}
	fputs(".", f);
	fclose(f);
	put_wrapped(&t, line, 0);
	free(line);
	json_decref(list);
	fputs("\n", out);
}

void report_summary_release(struct report_summary *sum)
{
	json_decref(sum->bands);
	json_decref(sum->entries);
	json_decref(sum->outlets);
	free(sum->scores);
	memset(sum, 0, sizeof(*sum));
}

/* ====== For scripts: one JSON object per article ====== */

json_t *report_json(const json_t *rec, const struct report_text_opts *o)
{
	const json_t *report = shown_report(rec), *stored = json_object_get(rec, "report"), *c, *a;
	const json_t *review = json_object_get(rec, "review");
	const char *text = str(rec, "text");
	size_t len = text ? strlen(text) : 0, i;
	json_t *out = json_object(), *comps = json_array(), *flags = json_array();
	char value[64];

	json_object_set(out, "id", json_object_get(rec, "id"));
	json_object_set_new(out, "title", json_string(str(rec, "title") ? str(rec, "title") : ""));
	json_object_set_new(out, "publisher", json_string(report_publisher(rec)));
	if (str(rec, "published"))
		json_object_set(out, "published", json_object_get(rec, "published"));
	if (str(rec, "url"))
		json_object_set(out, "url", json_object_get(rec, "url"));
	json_object_set(out, "score", json_object_get(report, "score") ? json_object_get(report, "score") : json_null());
	json_object_set(out, "band", json_object_get(report, "band") ? json_object_get(report, "band") : json_null());
	if (json_is_object(review)) {
		json_t *r = json_object();

		json_object_set(r, "accepted", json_object_get(review, "accepted"));
		json_object_set(r, "rejected", json_object_get(review, "rejected"));
		json_object_set(r, "stored_score", json_object_get(stored, "score") ? json_object_get(stored, "score") : json_null());
		json_object_set_new(out, "review", r);
	}
	json_array_foreach(json_object_get(report, "components"), i, c) {
		json_t *x = json_object();

		report_value(value, sizeof(value), c);
		json_object_set(x, "name", json_object_get(c, "name"));
		json_object_set_new(x, "title", json_string(report_component_title(str(c, "name"))));
		json_object_set(x, "points", json_object_get(c, "points") ? json_object_get(c, "points") : json_null());
		json_object_set(x, "weight", json_object_get(c, "weight") ? json_object_get(c, "weight") : json_null());
		json_object_set_new(x, "value", json_string(value));
		json_object_set(x, "detail", json_object_get(c, "detail") ? json_object_get(c, "detail") : json_null());
		json_array_append_new(comps, x);
	}
	json_object_set_new(out, "components", comps);
	json_array_foreach(json_object_get(rec, "annotations"), i, a) {
		const char *kind = report_kind(a);
		size_t s = (size_t)json_integer_value(json_object_get(a, "start")), line, col;
		json_t *f;
		char *why;

		if (!kind || !wanted(a, kind, o))
			continue;
		line_col(text ? text : "", len, s, &line, &col);
		why = report_why(a);
		f = json_pack("{s:I, s:s, s:O, s:O, s:O, s:O, s:I, s:I, s:s}", "id", (json_int_t)i, "kind",
			      kind, "stage", json_object_get(a, "stage"), "label", json_object_get(a, "label"),
			      "start", json_object_get(a, "start"), "end", json_object_get(a, "end"), "line",
			      (json_int_t)line, "column", (json_int_t)col, "why", why);
		free(why);
		if (str(a, "entry"))
			json_object_set(f, "entry", json_object_get(a, "entry"));
		if (json_is_number(json_object_get(a, "weight")))
			json_object_set(f, "weight", json_object_get(a, "weight"));
		if (str(a, "text"))
			json_object_set(f, "text", json_object_get(a, "text"));
		if (json_is_object(json_object_get(a, "review")))
			json_object_set(f, "review", json_object_get(a, "review"));
		json_array_append_new(flags, f);
	}
	json_object_set_new(out, "flags", flags);
	return out;
}

/* ====== Markdown ====== */

/* Text for a Markdown table cell: inline markup, HTML and pipes escaped, one line. */
static void put_md(FILE *out, const char *s, size_t max)
{
	put_text(out, s, max, true);
}

void report_markdown(FILE *out, const json_t *rec)
{
	const json_t *report = shown_report(rec), *c, *a, *anns;
	const json_t *score = json_object_get(report, "score");
	size_t i, nflag = 0, applicable = 0, ncomp = 0;
	char value[64], line[256], *origin;

	fputs("### ", out);
	put_md(out, str(rec, "title") ? str(rec, "title") : "(untitled)", 0);
	fputs("\n\n**", out);
	put_md(out, report_publisher(rec), 120);
	fputs("**", out);
	if (str(rec, "byline")) {
		fputs(" \xc2\xb7 ", out);
		put_md(out, str(rec, "byline"), 120);
	}
	if (str(rec, "published")) {
		fputs(" \xc2\xb7 ", out);
		put_md(out, str(rec, "published"), 40);
	}
	fputs(" \xc2\xb7 id ", out);
	put_md(out, str(rec, "id"), 120);
	if (str(rec, "url") && (!strncmp(str(rec, "url"), "https://", 8) ||
				!strncmp(str(rec, "url"), "http://", 7))) {
		fputs(" \xc2\xb7 <", out);
		/* An autolink ends at '>' or a space: drop those rather than break out of it. */
		for (const char *u = str(rec, "url"); *u; u++)
			if (*u != '>' && *u != '<' && (unsigned char)*u > ' ')
				putc(*u, out);
		fputs(">", out);
	}
	if ((origin = report_origin(rec))) {
		fputs("\n\n", out);
		put_md(out, origin, 300);
		free(origin);
	}
	fputs("\n\n", out);
	if (!json_is_object(report)) {
		fputs("Not scored: run slant-score before slant-store.\n\n", out);
	} else {
		json_array_foreach(json_object_get(report, "components"), i, c) {
			ncomp++;
			applicable += json_is_true(json_object_get(c, "applicable"));
		}
		if (json_is_number(score))
			fprintf(out, "**Score %.1f / 100 \xe2\x80\x94 ", json_number_value(score));
		else
			fputs("**Score: none \xe2\x80\x94 ", out);
		put_md(out, str(report, "band"), 32);
		fprintf(out, "** (%zu of %zu components measured)\n\n", applicable, ncomp);
		review_line(line, sizeof(line), rec);
		if (*line) {
			put_md(out, line, 0);
			fputs(".\n\n", out);
		}
		fputs("| Component | Points | Value | Detail |\n|---|---:|---:|---|\n", out);
		json_array_foreach(json_object_get(report, "components"), i, c) {
			const json_t *pts = json_object_get(c, "points");

			fputs("| ", out);
			put_md(out, report_component_title(str(c, "name")), 0);
			if (json_is_number(pts))
				fprintf(out, " | %.1f / %g | ", json_number_value(pts),
					json_number_value(json_object_get(c, "weight")));
			else
				fprintf(out, " | n/a / %g | ", json_number_value(json_object_get(c, "weight")));
			report_value(value, sizeof(value), c);
			put_md(out, value, 0);
			fputs(" | ", out);
			put_md(out, str(c, "detail"), 0);
			fputs(" |\n", out);
		}
		if (json_array_size(json_object_get(report, "missing"))) {
			fputs("\nNot run: ", out);
			json_array_foreach(json_object_get(report, "missing"), i, c) {
				fprintf(out, "%sslant-", i ? ", " : "");
				put_md(out, json_string_value(c), 32);
			}
			fputs(" (their components are not applicable).\n", out);
		}
		fputs("\n", out);
	}
	anns = json_object_get(rec, "annotations");
	json_array_foreach(anns, i, a)
		nflag += report_kind(a) != NULL;
	fprintf(out, "**Flagged spans (%zu)**\n\n", nflag);
	if (!nflag)
		return;
	fputs("| # | Kind | Text | Why | Review |\n|---:|---|---|---|---|\n", out);
	json_array_foreach(anns, i, a) {
		const char *kind = report_kind(a);
		char *why;

		if (!kind)
			continue;
		fprintf(out, "| %zu | %s | ", i, report_kind_title(kind));
		put_md(out, str(a, "text"), SNIPPET);
		fputs(" | ", out);
		why = report_why(a);
		put_md(out, why, 0);
		free(why);
		fputs(" | ", out);
		decision_line(line, sizeof(line), a);
		put_md(out, line, 0);
		fputs(" |\n", out);
	}
	fputs("\n", out);
}
