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

/* ====== Terminal text ====== */

struct tty {
	FILE *out;
	bool on;
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
	if (!strcmp(kind, "loaded") || !strcmp(kind, "verb") || !strcmp(kind, "unattributed"))
		return "31";
	if (!strcmp(kind, "scare") || !strcmp(kind, "vague") || !strcmp(kind, "anonymous") ||
	    !strcmp(kind, "hedge"))
		return "33";
	if (!strcmp(kind, "outlet") || !strcmp(kind, "unknown"))
		return "36";
	return "32";
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

void report_text(FILE *out, const json_t *rec, bool colour)
{
	struct tty t = { out, colour };
	const json_t *report = json_object_get(rec, "report"), *c, *a, *anns;
	const json_t *score = json_object_get(report, "score");
	size_t i, nflag = 0, applicable = 0, ncomp = 0;
	char value[64], *origin;

	sgr(&t, "1");
	put_plain(out, str(rec, "title") ? str(rec, "title") : "(untitled)", 0);
	sgr(&t, "0");
	fputs("\n", out);
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
		fprintf(out, "   (%zu of %zu components measured)\n\n", applicable, ncomp);
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
			fprintf(out, "  %s\n", value);
			sgr(&t, "2");
			fputs("      ", out);
			put_plain(out, str(c, "detail"), 0);
			sgr(&t, "0");
			fputs("\n", out);
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

	anns = json_object_get(rec, "annotations");
	json_array_foreach(anns, i, a)
		nflag += report_kind(a) != NULL;
	fprintf(out, "\n  Flagged spans: %zu\n", nflag);
	json_array_foreach(anns, i, a) {
		const char *kind = report_kind(a);
		char *why;

		if (!kind)
			continue;
		fprintf(out, "  %5zu  ", i);
		sgr(&t, kind_colour(kind));
		fprintf(out, "%-12s", kind);
		sgr(&t, "0");
		fputs(" \"", out);
		put_plain(out, str(a, "text"), SNIPPET);
		fputs("\"\n", out);
		why = report_why(a);
		sgr(&t, "2");
		fputs("         ", out);
		put_plain(out, why, 0);
		sgr(&t, "0");
		fputs("\n", out);
		free(why);
	}
}

/* ====== Markdown ====== */

/* Text for a Markdown table cell: inline markup, HTML and pipes escaped, one line. */
static void put_md(FILE *out, const char *s, size_t max)
{
	put_text(out, s, max, true);
}

void report_markdown(FILE *out, const json_t *rec)
{
	const json_t *report = json_object_get(rec, "report"), *c, *a, *anns;
	const json_t *score = json_object_get(report, "score");
	size_t i, nflag = 0, applicable = 0, ncomp = 0;
	char value[64], *origin;

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
	fputs("| # | Kind | Text | Why |\n|---:|---|---|---|\n", out);
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
		fputs(" |\n", out);
	}
	fputs("\n", out);
}
