/*
 * report_html.c -- the review report as a static site: index, outlet pages
 * and one page per article with every flagged span highlighted.
 *
 * Every page links the site's one stylesheet and script (lib/site/, written
 * as slant.css and slant.js beside index.html; no network, no fonts, no
 * inline script). Every byte of data goes through html_escape(); data for
 * the page's script goes in a JSON block with '<', '>' and '&' as \u
 * escapes, and the script builds tooltips with textContent, never innerHTML.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "slant/db_views.h"
#include "slant/hash.h"
#include "slant/jsonio.h"
#include "slant/rec.h"
#include "slant/report.h"
#include "slant/score.h"
#include "slant/usage.h"

/* ====== Escaping ====== */

void html_escape(FILE *out, const char *s, size_t n)
{
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		const char *rep;

		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		/* A NUL cannot be in an HTML document: show the replacement character. */
		case '\0': rep = "\xef\xbf\xbd"; break;
		default: continue;
		}
		fwrite(s + run, 1, i - run, out);
		fputs(rep, out);
		run = i + 1;
	}
	fwrite(s + run, 1, n - run, out);
}

void html_puts(FILE *out, const char *s)
{
	if (s)
		html_escape(out, s, strlen(s));
}

char *html_escape_str(const char *s, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		die("out of memory");
	html_escape(f, s, n);
	if (fclose(f))
		die("out of memory");
	return buf;
}

char *report_file_name(const char *id)
{
	char hex[65];
	size_t i, n = strlen(id);
	bool plain = n > 0 && n <= 100 && id[0] != '.' && id[0] != '-';

	for (i = 0; i < n && plain; i++)
		plain = (id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') ||
			(id[i] >= '0' && id[i] <= '9') || id[i] == '-' || id[i] == '_' ||
			id[i] == '.';
	if (plain)
		return xstrdup(id);
	sha256_hex_of(id, n, hex);
	return xasprintf("x-%.16s", hex);
}

/* An outlet's page name: a readable slug and a hash, so names never collide. */
static char *outlet_file(const char *name)
{
	char slug[41], hex[65];
	size_t i, n = 0;

	for (i = 0; name[i] && n < sizeof(slug) - 1; i++) {
		char c = name[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			slug[n++] = c;
		else if (n && slug[n - 1] != '-')
			slug[n++] = '-';
	}
	while (n && slug[n - 1] == '-')
		n--;
	slug[n] = '\0';
	sha256_hex_of(name, strlen(name), hex);
	return xasprintf("%s%s%.8s", slug, n ? "-" : "o-", hex);
}

/* Data for the page script: JSON that cannot end the script element. */
static void put_json_script(FILE *out, const char *id, const json_t *v)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, i, run = 0;

	if (jsonio_dump(v, 0, &buf, &len, &cap) < 0)
		die("cannot serialise page data");
	fprintf(out, "<script type=\"application/json\" id=\"%s\">", id);
	for (i = 0; i < len; i++) {
		const char *rep = buf[i] == '<' ? "\\u003c" : buf[i] == '>' ? "\\u003e"
				: buf[i] == '&' ? "\\u0026" : NULL;

		if (!rep)
			continue;
		fwrite(buf + run, 1, i - run, out);
		fputs(rep, out);
		run = i + 1;
	}
	fwrite(buf + run, 1, len - run, out);
	fputs("</script>\n", out);
	free(buf);
}

static bool safe_url(const char *u)
{
	return u && (!strncmp(u, "https://", 8) || !strncmp(u, "http://", 7));
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* ====== Page furniture ====== */

/* lib/site/slant.css and lib/site/slant.js, as NULL-terminated lines (the Makefile's site_assets.c). */
extern const char *const site_css[], *const site_js[];

static void put_parts(FILE *out, const char *const *parts)
{
	for (; *parts; parts++)
		fputs(*parts, out);
}

/* Colours of the kinds: swatch in the legend and the hide-KIND switch. */
static const char *kind_swatch(const char *kind)
{
	/* The highlights' colours (lib/site/slant.css, Okabe-Ito), for the flag list's chips. */
	static const char *const k[][2] = {
		{ "loaded", "#d55e00" },     { "scare", "#e69f00" },	{ "verb", "#d55e00" },
		{ "hedge", "#cc79a7" },	     { "attributed", "#d0d5db" }, { "vague", "#e69f00" },
		{ "anonymous", "#cc79a7" },  { "unattributed", "#0072b2" }, { "quote", "#d0d5db" },
		{ "outlet", "#009e73" },     { "unknown", "#8a939c" },	{ "other", "#8a939c" },
	};
	size_t i;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (!strcmp(k[i][0], kind))
			return k[i][1];
	return "#8a939c";
}

/* Red at 0 through amber to green at 100. */
static void score_colour(char *buf, size_t n, double score)
{
	double s = score < 0 ? 0 : score > 100 ? 100 : score;

	snprintf(buf, n, "hsl(%.0f,62%%,%d%%)", s * 1.2, s > 40 && s < 75 ? 42 : 38);
}

/*
 * The site's stylesheet, written once as slant.css beside index.html (every
 * page links it: 12 KB less to write per page than inline).
 * body.hide-KIND switches a kind's highlight off (the legend checkboxes).
 */
static void put_css(FILE *out)
{
	size_t i;

	put_parts(out, site_css);
	for (i = 0; report_kinds[i]; i++)
		fprintf(out, ".hide-%s mark.k-%s{background:none;box-shadow:none;text-decoration:none;"
			"border-bottom:none;outline:none}.hide-%s .flags li.k-%s{display:none}"
			".flags li.k-%s .chip{border-color:%s}\n",
			report_kinds[i], report_kinds[i], report_kinds[i], report_kinds[i],
			report_kinds[i], kind_swatch(report_kinds[i]));
	fputc('\n', out);
}

/* The directory part of 'href' with its slash ("../" of "../index.html"): where the site's files are. */
static char *site_root(const char *href)
{
	const char *slash = href ? strrchr(href, '/') : NULL;

	return slash ? xasprintf("%.*s", (int)(slash - href + 1), href) : xstrdup("");
}

/* 'home' is the index's address from this page; the stylesheet and script sit beside it. */
static void page_head(FILE *out, const char *title, const char *home)
{
	char *root = site_root(home);

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"referrer\" content=\"no-referrer\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'self' 'unsafe-inline'; script-src 'self'; img-src data:\">\n<title>",
	      out);
	html_puts(out, title);
	fputs(" \xc2\xb7 slant review</title>\n<link rel=\"stylesheet\" href=\"", out);
	html_puts(out, root);
	fputs("slant.css\">\n</head>\n<body>\n<header class=\"top\"><a class=\"brand\" href=\"", out);
	html_puts(out, home);
	fputs("\">slant review</a><span class=\"crumbs\">", out);
	free(root);
}

/* The end of every page: the site's script (slant.js), then the closing tags. */
static void page_end(FILE *out, const char *home)
{
	char *root = site_root(home);

	fputs("<script src=\"", out);
	html_puts(out, root);
	fputs("slant.js\"></script>\n</body>\n</html>\n", out);
	free(root);
}

/* Closes the header opened by page_head() and starts the main area. */
static void page_main(FILE *out)
{
	fputs("</span></header>\n<main class=\"wrap\">\n", out);
}


/* ====== The article text with its highlights ====== */

enum span_rank { RANK_HEADLINE, RANK_MARK, RANK_INNER };

struct span {
	size_t start, end;
	long id;              /* annotation id, or -1 for a structural span */
	const char *cls;      /* kind, or the structural class */
	enum span_rank rank;
};

static int span_cmp(const void *pa, const void *pb)
{
	const struct span *a = pa, *b = pb;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end > b->end ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int size_cmp(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

	return a < b ? -1 : a > b;
}

/* Whether 'off' is a place a span may start or end: not inside a UTF-8 character. */
static bool char_boundary(const char *text, size_t len, size_t off)
{
	return off == len || (off < len && ((unsigned char)text[off] & 0xC0) != 0x80);
}

static bool span_ok(const char *text, size_t len, size_t s, size_t e)
{
	return s <= e && e <= len && char_boundary(text, len, s) && char_boundary(text, len, e);
}

static void span_open(FILE *out, const struct span *s, bool part)
{
	if (s->id < 0) {
		fprintf(out, "<span class=\"%s\">", s->cls);
		return;
	}
	fprintf(out, "<mark class=\"hl k-%s%s\" data-a=\"%ld\"%s>", s->cls, part ? " part" : "",
		s->id, part ? "" : " tabindex=\"0\"");
}

static void span_close(FILE *out, const struct span *s)
{
	fputs(s->id < 0 ? "</span>" : "</mark>", out);
}

/* Continuation parts a page may add per span, on average: crossings past it are cut short. */
enum { PARTS_PER_SPAN = 4, PARTS_EXTRA = 64 };

/* Index of 'b' in the sorted, distinct 'bounds' (it is there). */
static size_t bound_index(const size_t *bounds, size_t nb, size_t b)
{
	size_t lo = 0, hi = nb;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (bounds[mid] <= b)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Write the text with the spans as properly nested elements. Spans are
 * opened longest first at each offset; a span still open when an enclosing
 * one closes is closed with it and reopened as a "part" right after, so
 * crossing spans split the same way every time and each annotation has
 * exactly one element without "part" (the one the DOM test counts).
 *
 * Crossings can cost the square of the spans (a staircase of n spans, each
 * starting inside the last, splits every open one at every end), so the
 * parts are capped at PARTS_PER_SPAN a span: past that, a span is not
 * reopened and its highlight stops there. The page stays linear in the
 * spans; returns how many annotations were cut short, for the page to say.
 */
static size_t put_marked(FILE *out, const char *text, size_t len, struct span *sp, size_t n)
{
	size_t *bounds = xmalloc((2 * n + 1) * sizeof(*bounds)), nb = 0, i, k = 0, pos = 0;
	size_t *stack = xmalloc((n + 1) * sizeof(*stack)), depth = 0;
	size_t *tmp = xmalloc((n + 1) * sizeof(*tmp));
	size_t *end_at, *open_ending, parts = PARTS_PER_SPAN * n + PARTS_EXTRA, ncut = 0;
	bool *cut;

	qsort(sp, n, sizeof(*sp), span_cmp);
	for (i = 0; i < n; i++) {
		bounds[nb++] = sp[i].start;
		bounds[nb++] = sp[i].end;
	}
	bounds[nb++] = len;
	qsort(bounds, nb, sizeof(*bounds), size_cmp);
	for (i = k = 0; i < nb; i++)
		if (!k || bounds[i] != bounds[k - 1])
			bounds[k++] = bounds[i];
	nb = k;
	k = 0;
	/* Where each span ends, and how many open spans end at each bound: no scan of the stack. */
	end_at = xmalloc((n + 1) * sizeof(*end_at));
	open_ending = xcalloc(nb, sizeof(*open_ending));
	cut = xcalloc(n + 1, sizeof(*cut));
	for (i = 0; i < n; i++)
		end_at[i] = bound_index(bounds, nb, sp[i].end);
	for (i = 0; i < nb; i++) {
		size_t b = bounds[i], ntmp = 0;

		html_escape(out, text + pos, b - pos);
		pos = b;
		while (open_ending[i] && depth) {
			size_t top = stack[--depth];

			span_close(out, &sp[top]);
			if (end_at[top] == i)
				open_ending[i]--;
			else
				tmp[ntmp++] = top;
		}
		while (ntmp) {
			size_t s = tmp[--ntmp];

			if (!parts) {
				open_ending[end_at[s]]--;
				if (sp[s].id >= 0 && !cut[s])
					ncut++;
				cut[s] = true;
				continue;
			}
			parts--;
			span_open(out, &sp[s], true);
			stack[depth++] = s;
		}
		for (; k < n && sp[k].start == b; k++) {
			span_open(out, &sp[k], false);
			if (sp[k].end == b) {
				span_close(out, &sp[k]);
			} else {
				stack[depth++] = k;
				open_ending[end_at[k]]++;
			}
		}
	}
	while (depth)
		span_close(out, &sp[stack[--depth]]);
	free(bounds);
	free(stack);
	free(tmp);
	free(end_at);
	free(open_ending);
	free(cut);
	return ncut;
}

static void add_span(struct span **v, size_t *n, size_t *cap, size_t s, size_t e, long id,
		     const char *cls, enum span_rank rank)
{
	xgrow(v, cap, *n + 1, sizeof(**v));
	(*v)[*n] = (struct span){ s, e, id, cls, rank };
	(*n)++;
}

/*
 * The spans of 'rec': its flagged annotations plus the headline and the
 * source and cue inside attributed sentences. Counts the annotations whose
 * offsets do not fit the text in '*bad' (they are left out, and the page says so).
 */
static struct span *collect_spans(const json_t *rec, const char *text, size_t len, size_t *n,
				  size_t *bad)
{
	struct span *v = NULL;
	size_t cap = 0, i;
	const json_t *a;

	*n = *bad = 0;
	json_array_foreach(json_object_get(rec, "annotations"), i, a) {
		const char *kind = report_kind(a);
		size_t s = ann_offset(a, "start", SIZE_MAX), e = ann_offset(a, "end", SIZE_MAX);

		if (ann_is(a, "segment", "headline") && span_ok(text, len, s, e)) {
			add_span(&v, n, &cap, s, e, -1, "headline", RANK_HEADLINE);
			continue;
		}
		if (!kind)
			continue;
		if (!span_ok(text, len, s, e)) {
			(*bad)++;
			continue;
		}
		add_span(&v, n, &cap, s, e, (long)i, kind, RANK_MARK);
		if (json_object_get(a, "cue_start")) {
			size_t cs = ann_offset(a, "cue_start", SIZE_MAX), ce = ann_offset(a, "cue_end", 0);

			if (span_ok(text, len, cs, ce) && cs >= s && ce <= e && cs < ce)
				add_span(&v, n, &cap, cs, ce, -1, "cue", RANK_INNER);
		}
		if (json_object_get(a, "source_start")) {
			size_t ss = ann_offset(a, "source_start", SIZE_MAX),
			       se = ann_offset(a, "source_end", 0);

			if (span_ok(text, len, ss, se) && ss >= s && se <= e && ss < se)
				add_span(&v, n, &cap, ss, se, -1, "src", RANK_INNER);
		}
	}
	return v;
}

/* ====== The score panel ====== */

static void put_chart(FILE *out, const json_t *comps)
{
	const json_t *c;
	size_t i, n = json_array_size(comps);
	double maxw = 0;
	const int row = 34, lw = 150, bw = 190;

	json_array_foreach(comps, i, c)
		if (json_number_value(json_object_get(c, "weight")) > maxw)
			maxw = json_number_value(json_object_get(c, "weight"));
	if (maxw <= 0)
		maxw = 1;
	fprintf(out,
		"<svg class=\"chart\" role=\"img\" width=\"100%%\" viewBox=\"0 0 380 %zu\" "
		"xmlns=\"http://www.w3.org/2000/svg\"><title>Points per component</title>"
		"<defs><pattern id=\"na\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
		"patternTransform=\"rotate(45)\"><rect width=\"3\" height=\"6\" fill=\"#e9ecef\"/>"
		"</pattern></defs>\n",
		n * (size_t)row + 4);
	json_array_foreach(comps, i, c) {
		double w = json_number_value(json_object_get(c, "weight"));
		const json_t *pts = json_object_get(c, "points");
		double track = bw * w / maxw, y = (double)i * row + 4;
		char col[40];

		fputs("<g>", out);
		fprintf(out, "<text x=\"0\" y=\"%.0f\" font-size=\"12\" fill=\"#1f2328\">", y + 15);
		html_puts(out, report_component_title(str(c, "name")));
		fputs("</text>", out);
		fprintf(out,
			"<rect x=\"0\" y=\"%.0f\" width=\"%.1f\" height=\"8\" rx=\"3\" fill=\"%s\"/>",
			y + 20, track, json_is_number(pts) ? "#e9ecef" : "url(#na)");
		if (json_is_number(pts)) {
			double p = json_number_value(pts), q = w > 0 ? p / w : 0;

			score_colour(col, sizeof(col), 100 * q);
			fprintf(out,
				"<rect x=\"0\" y=\"%.0f\" width=\"%.1f\" height=\"8\" rx=\"3\" fill=\"%s\"/>"
				"<text x=\"%d\" y=\"%.0f\" font-size=\"12\" text-anchor=\"end\" "
				"fill=\"#1f2328\" font-weight=\"700\">%.1f<tspan fill=\"#656d76\" "
				"font-weight=\"400\"> / %g</tspan></text>",
				y + 20, track * (q < 0 ? 0 : q > 1 ? 1 : q), col, lw + bw - 0 + 40, y + 28,
				p, w);
		} else {
			fprintf(out,
				"<text x=\"%d\" y=\"%.0f\" font-size=\"12\" text-anchor=\"end\" "
				"fill=\"#656d76\">n/a / %g</text>",
				lw + bw + 40, y + 28, w);
		}
		fputs("</g>\n", out);
	}
	fputs("</svg>\n", out);
}

/* "80 sound · 60 mixed ...": the bands of 'sc', highest first, as ranges. */
static void put_bands(FILE *out, const struct score_conf *sc)
{
	size_t i;

	if (!sc || !sc->nbands)
		return;
	fputs("Bands: ", out);
	for (i = 0; i < sc->nbands; i++) {
		if (i)
			fputs(" \xc2\xb7 ", out);
		if (i == 0)
			fprintf(out, "%g\xe2\x80\x93" "100 ", sc->bands[i].min);
		else
			fprintf(out, "%g\xe2\x80\x93<%g ", sc->bands[i].min, sc->bands[i - 1].min);
		html_puts(out, sc->bands[i].name);
	}
	fputs(". ", out);
}

static void put_score_panel(FILE *out, const json_t *rec, const struct report_page *pg)
{
	const json_t *review = json_object_get(rec, "review");
	const json_t *stored = json_object_get(rec, "report"), *report = stored, *comps, *c, *score;
	char *root = site_root(pg->index_href);
	size_t i, applicable = 0;
	char col[40], value[64];

	fputs("<section class=\"card\" id=\"score\"><h2>Credibility score</h2>\n", out);
	if (!json_is_object(report)) {
		fputs("<p class=\"sub\">Not scored: the record did not go through slant-score.</p>"
		      "</section>\n",
		      out);
		free(root);
		return;
	}
	/* After review, the score with the rejected flags left out is the one shown. */
	if (json_is_object(json_object_get(review, "report")))
		report = json_object_get(review, "report");
	comps = json_object_get(report, "components");
	json_array_foreach(comps, i, c)
		applicable += json_is_true(json_object_get(c, "applicable"));
	score = json_object_get(report, "score");
	score_colour(col, sizeof(col), json_number_value(score));
	fprintf(out, "<div class=\"scorebox\"><div class=\"big\" style=\"color:%s\">", col);
	if (json_is_number(score))
		fprintf(out, "%.0f", json_number_value(score));
	else
		fputs("\xe2\x80\x94", out);
	fprintf(out, "</div><div><div class=\"band\" style=\"color:%s\">", col);
	html_puts(out, str(report, "band"));
	fprintf(out, "</div><div class=\"sub\">%.1f of 100 \xc2\xb7 %zu of %zu components measured",
		json_number_value(score), applicable, json_array_size(comps));
	if (json_array_size(json_object_get(report, "missing"))) {
		fputs("<br>not run: ", out);
		json_array_foreach(json_object_get(report, "missing"), i, c) {
			fputs(i ? ", slant-" : "slant-", out);
			html_puts(out, json_string_value(c));
		}
	}
	fputs("</div></div></div>\n<p class=\"aid\"><b>A reading aid, not a verdict.</b> The score "
	      "counts patterns in the wording and the sourcing that are worth an editor's look; it "
	      "does not say whether the article is true or fair.</p>\n<p class=\"sub\">",
	      out);
	put_bands(out, pg->sc);
	fputs("<a href=\"", out);
	html_puts(out, root);
	fputs("about.html#components\">What the components mean</a></p>\n", out);
	if (json_is_object(review)) {
		long long rej = json_integer_value(json_object_get(review, "rejected")),
			  acc = json_integer_value(json_object_get(review, "accepted"));

		fprintf(out, "<div class=\"notice\" id=\"reviewed\">Reviewed: %lld flag%s rejected%s, "
			"%lld accepted.", rej, rej == 1 ? "" : "s",
			rej ? " and left out of this score" : "", acc);
		if (report != stored && json_is_number(json_object_get(stored, "score"))) {
			fprintf(out, " Before review: %.1f ", json_number_value(json_object_get(stored, "score")));
			html_puts(out, str(stored, "band"));
			fputs(".", out);
		}
		fputs("</div>\n", out);
	}
	put_chart(out, comps);
	fputs("<table class=\"comp\">\n", out);
	json_array_foreach(comps, i, c) {
		const json_t *pts = json_object_get(c, "points"), *ev = json_object_get(c, "evidence"), *e;
		size_t j;

		fputs("<tr><td><b>", out);
		html_puts(out, report_component_title(str(c, "name")));
		fputs("</b></td><td class=\"num\">", out);
		if (json_is_number(pts))
			fprintf(out, "<b>%.1f</b>", json_number_value(pts));
		else
			fputs("n/a", out);
		fprintf(out, "&nbsp;/&nbsp;%g</td></tr>\n<tr><td colspan=\"2\" class=\"det\"><b>",
			json_number_value(json_object_get(c, "weight")));
		report_value(value, sizeof(value), c);
		html_puts(out, value);
		fputs("</b> \xe2\x80\x94 ", out);
		html_puts(out, str(c, "detail"));
		if (json_array_size(ev)) {
			fputs(" \xc2\xb7 evidence:", out);
			json_array_foreach(ev, j, e) {
				if (j == 12) {
					fprintf(out, " \xe2\x80\xa6 (%zu)", json_array_size(ev));
					break;
				}
				fprintf(out, " <a href=\"#text\" data-go=\"%lld\">#%lld</a>",
					(long long)json_integer_value(e), (long long)json_integer_value(e));
			}
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</table></section>\n", out);
	free(root);
}

/* ====== The article page ====== */


/* What the page script knows about one flagged annotation. */
static json_t *ann_data(const json_t *a, const char *kind)
{
	json_t *o = json_object();
	const json_t *rev = json_object_get(a, "review");
	const char *text = str(a, "text") ? str(a, "text") : "";
	size_t n = strlen(text);

	/* Long sentences are cut for the tooltip (on a character boundary). */
	if (n > 300) {
		n = 300;
		while (n && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
	}
	/* The kind's title and 'why' are in the flag list; the script reads them there. */
	json_object_set_new(o, "k", json_string(kind));
	json_object_set_new(o, "x", json_stringn(text, n));
	json_object_set_new(o, "s", json_integer(json_integer_value(json_object_get(a, "start"))));
	json_object_set_new(o, "e", json_integer(json_integer_value(json_object_get(a, "end"))));
	json_object_set(o, "st", json_object_get(a, "stage"));
	json_object_set(o, "l", json_object_get(a, "label"));
	if (str(a, "entry"))
		json_object_set(o, "en", json_object_get(a, "entry"));
	if (str(a, "lexicon") || str(a, "register"))
		json_object_set(o, "lx", json_object_get(a, str(a, "lexicon") ? "lexicon" : "register"));
	if (str(a, "alternative"))
		json_object_set(o, "alt", json_object_get(a, "alternative"));
	if (str(a, "speaker"))
		json_object_set(o, "sp", json_object_get(a, "speaker"));
	if (str(a, "source"))
		json_object_set(o, "so", json_object_get(a, "source"));
	/* A decision from the database (report_review()): where this browser starts. */
	if (str(rev, "decision")) {
		json_t *d = json_object();

		json_object_set(d, "c", json_object_get(rev, "decision"));
		if (str(rev, "reviewer"))
			json_object_set(d, "by", json_object_get(rev, "reviewer"));
		if (str(rev, "decided"))
			json_object_set(d, "at", json_object_get(rev, "decided"));
		json_object_set_new(o, "d", d);
	}
	return o;
}

/* "accepted by Ana, 2026-12-01" for a decision from the database. */
static void put_decision(FILE *out, const json_t *rev)
{
	const char *dec = str(rev, "decision"), *by = str(rev, "reviewer"), *at = str(rev, "decided");
	bool rej = dec && !strcmp(dec, "reject");

	fprintf(out, "<div class=\"rev\">%s", rej ? "\xe2\x9c\x97 Rejected" : "\xe2\x9c\x93 Accepted");
	if (by && *by) {
		fputs(" by ", out);
		html_puts(out, by);
	}
	if (at && *at) {
		fputs(", ", out);
		/* The date is enough here; the time is in the title. */
		html_escape(out, at, strlen(at) < 10 ? strlen(at) : 10);
	}
	if (rej)
		fputs(" \xe2\x80\x94 left out of the score", out);
	fputs("</div>", out);
}

static void put_flag_item(FILE *out, const json_t *a, size_t id, const char *kind, const char *why)
{
	const json_t *rev = json_object_get(a, "review");
	const char *text = str(a, "text") ? str(a, "text") : "";
	size_t n = strlen(text);

	if (n > 160) {
		n = 160;
		while (n && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
	}
	/* The accept and reject buttons are the script's (lib/site/slant.js). */
	fprintf(out, "<li data-f=\"%zu\" class=\"k-%s\"", id, kind);
	if (str(rev, "decision")) {
		fputs(" data-dec=\"", out);
		html_puts(out, str(rev, "decision"));
		fputs("\"", out);
	}
	fputs("><div><span class=\"chip\">", out);
	html_puts(out, report_kind_title(kind));
	fputs("</span> <q>", out);
	html_escape(out, text, n);
	if (n < strlen(text))
		fputs("\xe2\x80\xa6", out);
	fputs("</q></div><div class=\"why\">", out);
	html_puts(out, why);
	fputs("</div>", out);
	if (str(rev, "decision"))
		put_decision(out, rev);
	fputs("</li>\n", out);
}

void report_html_article(FILE *out, const json_t *rec, const struct report_page *pg)
{
	const char *text = str(rec, "text") ? str(rec, "text") : "", *url = str(rec, "url");
	size_t len = str(rec, "text") ? json_string_length(json_object_get(rec, "text")) : 0;
	size_t nspan, bad, i, nkind[32] = { 0 }, k, o, ncut;
	struct span *sp = collect_spans(rec, text, len, &nspan, &bad);
	json_t *data = json_object(), *anns = json_object();
	const json_t *a, *all = json_object_get(rec, "annotations");
	char *file = report_file_name(str(rec, "id") ? str(rec, "id") : ""), *origin;
	const char *title = str(rec, "title") ? str(rec, "title") : "(untitled)";

	page_head(out, title, pg->index_href);
	fputs(" \xe2\x80\xba ", out);
	if (pg->outlet_href) {
		fputs("<a href=\"", out);
		html_puts(out, pg->outlet_href);
		fputs("\">", out);
	}
	html_puts(out, report_publisher(rec));
	if (pg->outlet_href)
		fputs("</a>", out);
	fputs(" \xe2\x80\xba article</span><span style=\"margin-left:auto\" class=\"crumbs\">"
	      "hover a highlight for why \xc2\xb7 click or Enter to review \xc2\xb7 a / r keys", out);
	page_main(out);
	fputs("<div class=\"grid\">\n<article class=\"card doc\">\n<div class=\"meta\"><span>", out);
	html_puts(out, report_publisher(rec));
	fputs("</span>", out);
	if (str(rec, "byline")) {
		fputs("<span>", out);
		html_puts(out, str(rec, "byline"));
		fputs("</span>", out);
	}
	if (str(rec, "published")) {
		fputs("<span>", out);
		html_puts(out, str(rec, "published"));
		fputs("</span>", out);
	}
	if (safe_url(url)) {
		fputs("<span><a rel=\"noreferrer noopener\" href=\"", out);
		html_puts(out, url);
		fputs("\">original</a></span>", out);
	}
	fputs("<span>id ", out);
	html_puts(out, str(rec, "id"));
	fputs("</span></div>\n", out);
	if ((origin = report_origin(rec))) {
		fputs("<div class=\"meta\"><span>", out);
		html_puts(out, origin);
		fputs("</span></div>\n", out);
		free(origin);
	}

	json_array_foreach(all, i, a) {
		const char *kind = report_kind(a);

		if (!kind)
			continue;
		for (k = 0; report_kinds[k]; k++)
			if (!strcmp(report_kinds[k], kind))
				nkind[k]++;
	}
	/* Each kind's sample is styled like its highlights: colour and a pattern of its own. */
	fputs("<div class=\"legend\">", out);
	for (o = 0; report_findings_order[o]; o++) {
		for (k = 0; report_kinds[k] && strcmp(report_kinds[k], report_findings_order[o]); k++)
			;
		if (!report_kinds[k] || !nkind[k])
			continue;
		fprintf(out, "<label><input type=\"checkbox\" value=\"%s\" checked><mark class=\"k-%s sw\">"
			"Aa</mark>", report_kinds[k], report_kinds[k]);
		html_puts(out, report_kind_title(report_kinds[k]));
		fprintf(out, " <b>%zu</b></label>", nkind[k]);
	}
	fputs("</div>\n", out);
	if (bad)
		fprintf(out, "<div class=\"notice\">%zu annotation%s could not be placed: offsets "
			"outside the text or inside a character.</div>\n",
			bad, bad == 1 ? "" : "s");
	fputs("<div class=\"text\" id=\"text\">", out);
	ncut = put_marked(out, text, len, sp, nspan);
	fputs("</div>\n", out);
	if (ncut)
		fprintf(out, "<div class=\"notice\">%zu highlight%s cut short where %s "
			"too many others: the flag list has %s whole.</div>\n",
			ncut, ncut == 1 ? " is" : "s are", ncut == 1 ? "it crosses" : "they cross",
			ncut == 1 ? "it" : "them");
	fputs("</article>\n<aside>\n", out);
	put_score_panel(out, rec, pg);

	fputs("<section class=\"card\" id=\"review\"><h2>Review</h2><div class=\"sub\" id=\"dec-counts\">"
	      "</div><p><label class=\"sub\">Your name, kept with each decision: <input id=\"reviewer\" "
	      "size=\"18\" autocomplete=\"name\"></label></p><p class=\"sub\">Tab to a highlight, "
	      "Enter or Space opens it, <kbd>a</kbd> accepts, <kbd>r</kbd> rejects, <kbd>Esc</kbd> "
	      "closes. Select words in the text to add a flag slant missed. Decisions stay in this "
	      "browser, for this site only, until exported; <code>slant-store --decisions FILE</code> "
	      "imports them and the next report shows them.</p>"
	      "<button id=\"export\">Export decisions (JSON)</button> <button id=\"clear\">Clear this "
	      "browser's</button></section>\n<section class=\"card\"><h2>Flags \xe2\x80\x94 findings "
	      "first</h2><ul class=\"flags\">\n",
	      out);
	for (o = 0; report_findings_order[o]; o++) {
		bool head = false;

		json_array_foreach(all, i, a) {
			const char *kind = report_kind(a);
			char idbuf[32], *why;

			if (!kind || strcmp(kind, report_findings_order[o]) ||
			    !span_ok(text, len, ann_offset(a, "start", SIZE_MAX), ann_offset(a, "end", SIZE_MAX)))
				continue;
			if (!head) {
				for (k = 0; report_kinds[k] && strcmp(report_kinds[k], kind); k++)
					;
				fprintf(out, "<li class=\"grp k-%s\">", kind);
				html_puts(out, report_kind_title(kind));
				fprintf(out, " <b>%zu</b></li>\n", report_kinds[k] ? nkind[k] : 0);
				head = true;
			}
			why = report_why(a);
			put_flag_item(out, a, i, kind, why);
			snprintf(idbuf, sizeof(idbuf), "%zu", i);
			json_object_set_new(anns, idbuf, ann_data(a, kind));
			free(why);
		}
	}
	fputs("</ul></section>\n</aside>\n</div>\n</main>\n<div id=\"tip\" class=\"tip\" hidden></div>\n",
	      out);
	json_object_set_new(data, "article", json_string(str(rec, "id") ? str(rec, "id") : ""));
	json_object_set_new(data, "file", json_string(file));
	json_object_set_new(data, "site", json_string(pg->site ? pg->site : ""));
	json_object_set_new(data, "anns", anns);
	put_json_script(out, "slant-data", data);
	page_end(out, pg->index_href);
	json_decref(data);
	free(sp);
	free(file);
}

/* ====== Index and outlet pages ====== */

struct row {
	char *id, *file, *title, *publisher, *published, *band, *components;
	double score;
	bool scored;
	long long flagged;
	/* Scored again after review (report_review()), filled in by the article's writer. */
	bool reviewed;
	double before;        /* the stored score, shown beside */
};

struct rows {
	struct row *v;
	size_t n, cap;
};

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? xstrdup((const char *)s) : NULL;
}

static void rows_release(struct rows *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].id);
		free(r->v[i].file);
		free(r->v[i].title);
		free(r->v[i].publisher);
		free(r->v[i].published);
		free(r->v[i].band);
		free(r->v[i].components);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static bool wanted(const char *id, char **ids, size_t n)
{
	size_t i;

	if (!n)
		return true;
	for (i = 0; i < n; i++)
		if (!strcmp(ids[i], id))
			return true;
	return false;
}

static int load_rows(struct db *db, struct rows *r, char **ids, size_t n)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->sql,
			       "SELECT article_id, title, publisher, published, score, band, components,"
			       " flagged FROM article_report"
			       " ORDER BY score IS NULL, score, publisher, article_id",
			       -1, &st, NULL) != SQLITE_OK)
		return error("database '%s': %s", db->path, sqlite3_errmsg(db->sql));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct row *w;
		const char *id = (const char *)sqlite3_column_text(st, 0);

		if (!id || !wanted(id, ids, n))
			continue;
		xgrow(&r->v, &r->cap, r->n + 1, sizeof(*r->v));
		w = &r->v[r->n++];
		memset(w, 0, sizeof(*w));
		w->id = xstrdup(id);
		w->file = report_file_name(id);
		w->title = col_dup(st, 1);
		w->publisher = col_dup(st, 2);
		w->published = col_dup(st, 3);
		w->scored = sqlite3_column_type(st, 4) != SQLITE_NULL;
		w->score = sqlite3_column_double(st, 4);
		w->band = col_dup(st, 5);
		w->components = col_dup(st, 6);
		w->flagged = sqlite3_column_int64(st, 7);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return error("database '%s': %s", db->path, sqlite3_errmsg(db->sql));
	return 0;
}

/* Six small bars: each component's points over its weight, in report order. */
static void put_strip(FILE *out, const char *components)
{
	json_t *arr = components ? json_loads(components, 0, NULL) : NULL, *c;
	size_t i, j;

	fputs("<svg class=\"strip\" width=\"76\" height=\"20\" viewBox=\"0 0 76 20\" "
	      "xmlns=\"http://www.w3.org/2000/svg\">", out);
	for (i = 0; i < SCORE_NCOMP; i++) {
		json_array_foreach(arr, j, c) {
			const char *name = json_string_value(json_array_get(c, 0));
			json_t *p = json_array_get(c, 1);
			double w = json_number_value(json_array_get(c, 2)), q;
			char col[40];

			if (!name || strcmp(name, score_component_names[i]))
				continue;
			fprintf(out, "<rect x=\"%zu\" y=\"0\" width=\"10\" height=\"20\" fill=\"#f1f3f5\">"
				"<title>", i * 13);
			html_puts(out, report_component_title(name));
			if (json_is_number(p))
				fprintf(out, ": %.1f / %g</title></rect>", json_number_value(p), w);
			else
				fputs(": n/a</title></rect>", out);
			if (!json_is_number(p))
				continue;
			q = w > 0 ? json_number_value(p) / w : 0;
			q = q < 0 ? 0 : q > 1 ? 1 : q;
			score_colour(col, sizeof(col), 100 * q);
			fprintf(out, "<rect x=\"%zu\" y=\"%.1f\" width=\"10\" height=\"%.1f\" fill=\"%s\"/>",
				i * 13, 20 - 20 * q, 20 * q, col);
		}
	}
	fputs("</svg>", out);
	json_decref(arr);
}

static void put_rows(FILE *out, const struct rows *r, const char *prefix, const char *publisher)
{
	size_t i;

	fputs("<div class=\"tw\"><table><thead><tr><th data-sort=\"num\" class=\"num\">Score</th><th data-sort=\"text\">"
	      "Band</th><th data-sort=\"text\">Title</th>",
	      out);
	if (!publisher)
		fputs("<th data-sort=\"text\">Outlet</th>", out);
	fputs("<th data-sort=\"text\">Published</th><th data-sort=\"num\" class=\"num\">Flags</th>"
	      "<th>Components</th></tr></thead>\n<tbody>\n",
	      out);
	for (i = 0; i < r->n; i++) {
		const struct row *w = &r->v[i];
		char col[40], *of;

		if (publisher && (!w->publisher || strcmp(w->publisher, publisher)))
			continue;
		score_colour(col, sizeof(col), w->score);
		if (w->reviewed)
			fprintf(out, "<tr><td class=\"num\" data-v=\"%.1f\"><span class=\"pill\" "
				"style=\"background:%s\" title=\"after review; %.1f before\">%.0f</span>"
				"<span class=\"sub\"> reviewed</span></td><td>",
				w->score, col, w->before, w->score);
		else if (w->scored)
			fprintf(out, "<tr><td class=\"num\" data-v=\"%.1f\"><span class=\"pill\" "
				"style=\"background:%s\">%.0f</span></td><td>", w->score, col, w->score);
		else
			fputs("<tr><td class=\"num\" data-v=\"\">\xe2\x80\x94</td><td>", out);
		html_puts(out, w->band);
		fprintf(out, "</td><td><a href=\"%sarticles/", prefix);
		html_puts(out, w->file);
		fputs(".html\">", out);
		html_puts(out, w->title ? w->title : "(untitled)");
		fputs("</a></td>", out);
		if (!publisher) {
			of = outlet_file(w->publisher ? w->publisher : "(unknown)");
			fprintf(out, "<td><a href=\"%soutlets/%s.html\">", prefix, of);
			html_puts(out, w->publisher);
			fputs("</a></td>", out);
			free(of);
		}
		fputs("<td>", out);
		html_puts(out, w->published);
		fprintf(out, "</td><td class=\"num\">%lld</td><td>", w->flagged);
		put_strip(out, w->components);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table></div>\n", out);
}

/* Rows of a query kept for more than one page: each cell a number, a text or NULL. */
struct cell {
	int type;             /* SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT (any other) or SQLITE_NULL */
	double num;
	char *text;
};

struct table {
	struct cell *c;
	size_t nrow, ncol, cap;
};

static void table_release(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrow * t->ncol; i++)
		free(t->c[i].text);
	free(t->c);
	memset(t, 0, sizeof(*t));
}

/* The rows of 'sql' (one optional text parameter) into 't'. Returns 0 or -1 (reported). */
static int load_table(struct db *db, const char *sql, const char *param, struct table *t)
{
	sqlite3_stmt *st;
	size_t i;
	int rc;

	memset(t, 0, sizeof(*t));
	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		return error("database '%s': %s", db->path, sqlite3_errmsg(db->sql));
	if (param)
		sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
	t->ncol = (size_t)sqlite3_column_count(st);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow(&t->c, &t->cap, (t->nrow + 1) * t->ncol, sizeof(*t->c));
		for (i = 0; i < t->ncol; i++) {
			struct cell *c = &t->c[t->nrow * t->ncol + i];
			const unsigned char *x;

			c->type = sqlite3_column_type(st, (int)i);
			c->num = sqlite3_column_double(st, (int)i);
			x = c->type == SQLITE_NULL ? NULL : sqlite3_column_text(st, (int)i);
			c->text = x ? xstrdup((const char *)x) : NULL;
		}
		t->nrow++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		table_release(t);
		return error("database '%s': %s", db->path, sqlite3_errmsg(db->sql));
	}
	return 0;
}

static bool is_num(const struct cell *c)
{
	return c->type == SQLITE_INTEGER || c->type == SQLITE_FLOAT;
}

/*
 * 't' as an HTML table (only the rows whose first cell is 'key', when it is
 * not NULL), numbers right-aligned; 'empty' when there is no row.
 */
static void put_table(FILE *out, const struct table *t, const char *key, const char *const *heads,
		      const char *empty)
{
	size_t r, i, nrow = 0;

	for (r = 0; r < t->nrow; r++) {
		const struct cell *row = &t->c[r * t->ncol];

		if (key && (!row[0].text || strcmp(row[0].text, key)))
			continue;
		if (!nrow++) {
			fputs("<div class=\"tw\"><table><thead><tr>", out);
			for (i = 0; i < t->ncol && heads[i]; i++) {
				bool num = heads[i][0] == '#';

				fprintf(out, "<th data-sort=\"%s\"%s>", num ? "num" : "text",
					num ? " class=\"num\"" : "");
				html_puts(out, heads[i] + num);
				fputs("</th>", out);
			}
			fputs("</tr></thead><tbody>\n", out);
		}
		fputs("<tr>", out);
		for (i = 0; i < t->ncol && heads[i]; i++) {
			if (is_num(&row[i])) {
				fprintf(out, "<td class=\"num\" data-v=\"%.17g\">%.*g</td>", row[i].num,
					JSON_DIGITS, row[i].num);
			} else {
				fputs(heads[i][0] == '#' ? "<td class=\"num\" data-v=\"\">" : "<td>", out);
				html_puts(out, row[i].text);
				fputs("</td>", out);
			}
		}
		fputs("</tr>\n", out);
	}
	if (nrow)
		fputs("</tbody></table></div>\n", out);
	else
		fprintf(out, "<p class=\"sub\">%s</p>\n", empty);
}

/* A table of the rows of 'sql' (one optional text parameter). Returns 0 or -1 (reported). */
static int put_query(FILE *out, struct db *db, const char *sql, const char *param,
		     const char *const *heads, const char *empty)
{
	struct table t;

	if (load_table(db, sql, param, &t) < 0)
		return -1;
	put_table(out, &t, NULL, heads, empty);
	table_release(&t);
	return 0;
}

/* The row of sorted 't' whose first cell is 'key', or NULL. */
static const struct cell *table_find(const struct table *t, const char *key)
{
	size_t lo = 0, hi = t->nrow;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *k = t->c[mid * t->ncol].text;
		int c = k ? strcmp(k, key) : -1;

		if (!c)
			return &t->c[mid * t->ncol];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Every outlet's summary, read once for the index and the outlet pages. */
static const char outlets_sql[] =
	"SELECT publisher, articles, mean_score, loaded_per_1000,"
	" round(100 * attribution_coverage, 1), round(100 * vague_share, 1),"
	" round(100 * anonymous_share, 1),"
	" CASE state_affiliated WHEN 1 THEN 'yes' WHEN 0 THEN 'no' END"
	" FROM outlet_summary ORDER BY publisher";
static const char *const outlets_heads[] = {
	"Outlet", "#Articles", "#Mean score", "#Loaded / 1,000 words", "#Attributed %",
	"#Vague %", "#Anonymous %", "State-affiliated", NULL,
};

/*
 * One outlet's sources and loaded terms, from the pieces of the
 * sources_cited and term_frequency views (db_views.h) without grouping by
 * the outlet (db_views.h says why). One row per source and how it was
 * found: its roles and the rest listed, "2 of 3" mentions disclosing an
 * affiliation (the view has a row per combination, which read as the same
 * organisation listed several times). Ties in order broken by every column.
 */
static const char sources_sql[] =
	"SELECT source, via, replace(group_concat(DISTINCT role), ',', ', '),"
	" replace(group_concat(DISTINCT ownership), ',', ', '),"
	" replace(group_concat(DISTINCT control), ',', ', '),"
	" CASE max(state_affiliated) WHEN 1 THEN 'yes' WHEN 0 THEN 'no' END,"
	" replace(group_concat(DISTINCT conflict_party), ',', ', '),"
	" CASE WHEN count(disclosed) THEN sum(disclosed = 1) || ' of ' || count(disclosed) END,"
	" count(*) AS mentions, count(DISTINCT article_id) AS articles FROM ("
	" SELECT " DB_SOURCES_OUTLET_COLS ", n.article_id FROM " DB_BY_PUBLISHER
	" WHERE p.publisher = ?1 AND " DB_SOURCES_OUTLET_WHERE
	" UNION ALL SELECT " DB_SOURCES_ATTRIB_COLS ", n.article_id FROM " DB_BY_PUBLISHER
	" WHERE p.publisher = ?1 AND " DB_SOURCES_ATTRIB_WHERE ")"
	" GROUP BY source, via ORDER BY mentions DESC, source, via LIMIT 200";
/* A scare quote has no lexicon entry: its row is named for its kind, not left empty. */
static const char terms_sql[] =
	"SELECT COALESCE(term, CASE label WHEN 'scare_quote' THEN '(scare quotes)'"
	" ELSE '(no entry)' END), category, voice, hits, articles FROM (SELECT " DB_TERM_COLS ", "
	DB_TERM_COLS2 ", count(*) AS hits, count(DISTINCT n.article_id) AS articles FROM "
	DB_BY_PUBLISHER " WHERE p.publisher = ?1 AND " DB_TERM_WHERE " GROUP BY 1, 2, 3, 4, 5)"
	" ORDER BY hits DESC, term, category, lexicon, voice, label LIMIT 200";

/* The temporary name a page is written under before it takes its place. */
static char *tmp_name(const char *path)
{
	return xasprintf("%s.tmp", path);
}

static int close_page(FILE *f, char *path)
{
	char *tmp = tmp_name(path);
	int r = 0;

	if (ferror(f) | fclose(f))
		r = error("write error on '%s':", tmp);
	else if (rename(tmp, path) < 0)
		r = error("cannot rename '%s' to '%s':", tmp, path);
	if (r < 0)
		unlink(tmp);
	free(tmp);
	free(path);
	return r;
}

/*
 * Pages are written to PAGE.tmp, created anew (O_EXCL never follows a
 * link), and renamed over PAGE by close_page(): a symbolic link planted at
 * PAGE is replaced, its target never written, and a reader never sees half
 * a page. '*path' gets PAGE (caller passes it to close_page, which frees it);
 * on failure it is freed here and NULL.
 */
static FILE *open_file(const char *dir, const char *sub, const char *name, const char *ext,
		       char **path)
{
	char *tmp;
	FILE *f = NULL;
	int fd;

	*path = sub ? xasprintf("%s/%s/%s%s", dir, sub, name, ext) : xasprintf("%s/%s%s", dir, name, ext);
	tmp = tmp_name(*path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST && unlink(tmp) == 0)
		/* Left by a run that died, or planted: removing a link leaves its target be. */
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd >= 0 && !(f = fdopen(fd, "w")))
		close(fd);
	if (!f) {
		error("cannot write '%s':", tmp);
		free(*path);
		*path = NULL;
	} else
		/* A page in two or three writes, not twenty. */
		setvbuf(f, NULL, _IOFBF, 1 << 16);
	free(tmp);
	return f;
}

static FILE *open_page(const char *dir, const char *sub, const char *name, char **path)
{
	return open_file(dir, sub, name, ".html", path);
}

/* The site's stylesheet and script, beside index.html. */
static int write_assets(const char *dir)
{
	char *path;
	FILE *f = open_file(dir, NULL, "slant", ".css", &path);

	if (!f)
		return -1;
	put_css(f);
	if (close_page(f, path) < 0)
		return -1;
	if (!(f = open_file(dir, NULL, "slant", ".js", &path)))
		return -1;
	put_parts(f, site_js);
	return close_page(f, path);
}


/* A directory of the site: made if missing; a symbolic link there is not written through. */
static int make_dir(const char *path, bool top)
{
	struct stat st;

	if (mkdir(path, 0777) < 0 && errno != EEXIST)
		return error("cannot create directory '%s':", path);
	/* The directory given is the user's to choose; those inside it are ours. */
	if (!top && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return error("'%s' is a symbolic link; not writing through it", path);
	return 0;
}

static int write_index(const char *dir, const struct rows *r, const struct table *outlets,
		       size_t noutlets, const char *site)
{
	char *path;
	FILE *f = open_page(dir, NULL, "index", &path);
	size_t i;

	if (!f)
		return -1;
	page_head(f, "Articles", "index.html");
	fprintf(f, " \xe2\x80\xba %zu article%s \xc2\xb7 %zu outlet%s", r->n, r->n == 1 ? "" : "s",
		noutlets, noutlets == 1 ? "" : "s");
	page_main(f);
	fputs("<section class=\"card\"><h2>Articles \xe2\x80\x94 lowest score first; click a column "
	      "to sort</h2>\n", f);
	put_rows(f, r, "", NULL);
	fputs("</section>\n<section class=\"card\"><h2>Outlets</h2>\n", f);
	/* All outlets of the listed articles: one query each keeps the filter simple. */
	fputs("<table><thead><tr>", f);
	for (i = 0; outlets_heads[i]; i++) {
		bool num = outlets_heads[i][0] == '#';

		fprintf(f, "<th data-sort=\"%s\"%s>%s</th>", num ? "num" : "text",
			num ? " class=\"num\"" : "", outlets_heads[i] + num);
	}
	fputs("</tr></thead><tbody>\n", f);
	for (i = 0; i < r->n; i++) {
		const struct cell *row;
		char *of;
		size_t j, c;
		bool seen = false;

		for (j = 0; j < i && !seen; j++)
			seen = r->v[j].publisher && r->v[i].publisher &&
			       !strcmp(r->v[j].publisher, r->v[i].publisher);
		if (seen || !r->v[i].publisher || !(row = table_find(outlets, r->v[i].publisher)))
			continue;
		of = outlet_file(r->v[i].publisher);
		fprintf(f, "<tr><td><a href=\"outlets/%s.html\">", of);
		html_puts(f, row[0].text);
		fputs("</a></td>", f);
		for (c = 1; c < 8 && c < outlets->ncol; c++) {
			if (row[c].type == SQLITE_NULL)
				fputs(c < 7 ? "<td class=\"num\" data-v=\"\"></td>" : "<td></td>", f);
			else if (c < 7)
				fprintf(f, "<td class=\"num\" data-v=\"%.17g\">%.*g</td>", row[c].num,
					JSON_DIGITS, row[c].num);
			else {
				fputs("<td>", f);
				html_puts(f, row[c].text);
				fputs("</td>", f);
			}
		}
		fputs("</tr>\n", f);
		free(of);
	}
	fputs("</tbody></table></section>\n", f);
	fputs("<section class=\"card\" id=\"decisions\" data-site=\"", f);
	html_puts(f, site);
	fputs("\"><h2>Review decisions</h2><p class=\"sub\">Accept or reject highlights on the "
	      "article pages; the decisions stay in this browser, kept for this site (this database "
	      "and its runs) only. Export them all here and import with <code>slant-store "
	      "--decisions FILE</code>; the next report shows them on their flags and leaves the "
	      "rejected ones out of the score.</p>"
	      "<button id=\"export-all\">Export all decisions (JSON)</button> "
	      "<span class=\"sub\" id=\"n-dec\"></span> \xc2\xb7 <a href=\"about.html\">How to "
	      "read these pages</a></section>\n</main>\n",
	      f);
	page_end(f, "index.html");
	return close_page(f, path);
}

static int write_outlet(struct db *db, const char *dir, const struct rows *r,
			const struct table *outlets, const char *pub)
{
	static const char *const term_heads[] = { "Term", "Category", "Voice", "#Hits",
						  "#Articles", NULL };
	static const char *const source_heads[] = { "Source", "Found by", "Roles", "Ownership",
						    "Control", "State-affiliated", "Conflict party",
						    "Disclosed", "#Mentions", "#Articles", NULL };
	char *name = outlet_file(pub), *path;
	FILE *f = open_page(dir, "outlets", name, &path);
	int ok = 0;

	free(name);
	if (!f)
		return -1;
	page_head(f, pub, "../index.html");
	fputs(" \xe2\x80\xba outlet", f);
	page_main(f);
	fputs("<h1>", f);
	html_puts(f, pub);
	fputs("</h1>\n<section class=\"card\"><h2>Summary</h2>\n", f);
	put_table(f, outlets, pub, outlets_heads, "No summary.");
	fputs("</section>\n<section class=\"card\"><h2>Articles</h2>\n", f);
	put_rows(f, r, "../", pub);
	/* Full width, one under the other: side by side the sources overflowed their card. */
	fputs("</section>\n<section class=\"card\"><h2>Sources cited</h2>\n", f);
	ok |= put_query(f, db, sources_sql, pub, source_heads, "No sources found.");
	fputs("</section>\n<section class=\"card\"><h2>Loaded terms</h2>\n", f);
	ok |= put_query(f, db, terms_sql, pub, term_heads, "No loaded terms.");
	fputs("</section>\n</main>\n", f);
	page_end(f, "../index.html");
	if (close_page(f, path) < 0)
		return -1;
	return ok ? -1 : 0;
}

/* One writer of article pages: those whose index is 'first' modulo 'step'. */
struct pages {
	struct db *db;           /* the caller's, or this thread's own connection */
	const char *dir;
	struct rows *r;           /* its rows get the scores after review */
	size_t first, step;
	const struct score_conf *sc;
	const char *site;        /* site_key() */
	long written;
	int rc;
};

static int write_articles(struct pages *w)
{
	size_t i;

	for (i = w->first; i < w->r->n; i += w->step) {
		const struct row *row = &w->r->v[i];
		int err;
		json_t *rec = report_load(w->db, row->id, &err);
		char *path, *of, *outlet_href;
		FILE *f;

		if (!rec)
			return err ? -1 : error("article '%s' is gone from the database", row->id);
		if (report_review(w->db, rec, w->sc) < 0) {
			json_decref(rec);
			return -1;
		}
		{
			const json_t *rev = json_object_get(rec, "review"),
				     *again = json_object_get(json_object_get(rev, "report"), "score");
			struct row *rw = &w->r->v[i];

			/* Each thread writes only its own rows; the index is written after all have joined. */
			if (json_is_number(again)) {
				const char *band = json_string_value(
					json_object_get(json_object_get(rev, "report"), "band"));

				rw->reviewed = true;
				rw->before = rw->score;
				rw->score = json_number_value(again);
				free(rw->band);
				rw->band = xstrdup(band ? band : "");
			}
		}
		f = open_page(w->dir, "articles", row->file, &path);
		if (!f) {
			json_decref(rec);
			return -1;
		}
		of = outlet_file(report_publisher(rec));
		outlet_href = xasprintf("../outlets/%s.html", of);
		report_html_article(f, rec, &(struct report_page){ "../index.html", outlet_href, w->site, w->sc });
		free(of);
		free(outlet_href);
		json_decref(rec);
		if (close_page(f, path) < 0)
			return -1;
		w->written++;
	}
	return 0;
}

/* A thread's share of the pages, through its own read-only connection. */
static void *page_thread(void *arg)
{
	struct pages *w = arg;
	struct db own = DB_INIT;
	const char *path = w->db->path;

	w->db = &own;
	w->rc = db_open(&own, path, DB_BUSY_TIMEOUT_MS, DB_READONLY) < 0 ||
			db_views_attach(&own) < 0 || write_articles(w) < 0
		? -1
		: 0;
	db_close(&own);
	jsonio_thread_release();
	return NULL;
}

/* How to read the pages: the score, its components, the highlights, the keys. */
static int write_about(const char *dir, const struct score_conf *sc)
{
	static const char *const comp[][2] = {
		{ "framing", "Loaded terms (lexicons/framing.tsv) in the outlet's own voice, weighted "
			     "and counted per 1,000 words of the body. Terms inside quotations or "
			     "reported speech belong to the people quoted and are not counted." },
		{ "headline", "Loaded terms in the headline, counted apart: a headline is read by "
			      "far more people than the body." },
		{ "attribution", "The share of claim sentences that name who says so. A vague source "
				 "(\"experts say\") and an anonymous one count for part of a named "
				 "one; a sentence with no source at all counts for nothing." },
		{ "sources", "How many distinct sources the article cites, whether one source "
			     "carries most of it, and how many mentions go to state-affiliated "
			     "or conflict-party sources (the outlet register)." },
		{ "transparency", "Checks a reader can make: a named author, a date, a known "
				  "publisher, affiliations of cited outlets disclosed, and opinion "
				  "labelled as opinion." },
		{ "verbs", "Loaded reporting verbs (\"admitted\", \"claimed\") and hedges in the "
			   "outlet's voice per 1,000 words." },
	};
	char *path;
	FILE *f = open_page(dir, NULL, "about", &path);
	size_t i;

	if (!f)
		return -1;
	page_head(f, "How to read this report", "index.html");
	fputs(" \xe2\x80\xba how to read this report", f);
	page_main(f);
	fputs("<section class=\"card\"><h2>The score</h2><p><b>A reading aid, not a verdict.</b> "
	      "slant counts patterns in an article's wording and sourcing that are worth an "
	      "editor's look: loaded terms, claims with no source, sources that are all of one "
	      "kind. It cannot tell whether an article is true or fair, and a low score is a "
	      "reason to read closely, not a finding.</p><p>Each component gives points up to its "
	      "weight; the score is the points over the weights of the components that could be "
	      "measured, on 0\xe2\x80\x93" "100. A component whose stage did not run is not applicable, "
	      "not zero. ", f);
	put_bands(f, sc);
	fputs("An editor's rejected flags are left out when the report is made again "
	      "(<code>slant-store --decisions</code>).</p></section>\n<section class=\"card\" "
	      "id=\"components\"><h2>What the components mean</h2><dl>", f);
	for (i = 0; i < sizeof(comp) / sizeof(comp[0]); i++) {
		fprintf(f, "<dt id=\"c-%s\"><b>", comp[i][0]);
		html_puts(f, report_component_title(comp[i][0]));
		fputs("</b></dt><dd>", f);
		html_puts(f, comp[i][1]);
		fputs("</dd>", f);
	}
	fputs("</dl></section>\n<section class=\"card\"><h2>Highlights</h2><p>Findings come "
	      "first and are marked by colour and by a pattern of their own (for readers who do "
	      "not tell colours apart): ", f);
	for (i = 0; report_findings_order[i]; i++) {
		fprintf(f, "%s<mark class=\"k-%s\">", i ? ", " : "", report_findings_order[i]);
		html_puts(f, report_kind_title(report_findings_order[i]));
		fputs("</mark>", f);
	}
	fputs(". Attributed sentences and quotations are quiet: they are what good reporting "
	      "looks like.</p><p>Keys on an article page: Tab to a highlight, Enter or Space "
	      "opens it, <kbd>a</kbd> accepts, <kbd>r</kbd> rejects, <kbd>Esc</kbd> closes. "
	      "Select words in the text to add a flag slant missed.</p></section>\n</main>\n", f);
	page_end(f, "index.html");
	return close_page(f, path);
}

/*
 * Pages of an earlier report in 'dir'/'sub' that this one did not write (an
 * article no longer reported, an outlet renamed): removed, so the site
 * never links or lists a stale page. Only NAME.html and NAME.html.tmp.
 */
static int remove_stale(const char *dir, const char *sub, char **keep, size_t nkeep)
{
	char *path = xasprintf("%s/%s", dir, sub);
	DIR *d = opendir(path);
	struct dirent *e;
	int r = 0;

	if (!d) {
		r = error("cannot read directory '%s':", path);
		free(path);
		return r;
	}
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name), lo = 0, hi = nkeep;
		bool html = n > 5 && !strcmp(e->d_name + n - 5, ".html");
		char *f;

		if (!html && !(n > 9 && !strcmp(e->d_name + n - 9, ".html.tmp")))
			continue;
		while (html && lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = strcmp(keep[mid], e->d_name);

			if (!c)
				break;
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (html && lo < hi)
			continue;
		f = xasprintf("%s/%s", path, e->d_name);
		if (unlink(f) < 0 && errno != ENOENT)
			r = error("cannot remove stale page '%s':", f);
		free(f);
	}
	closedir(d);
	free(path);
	return r;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * What the browser keeps decisions under: this database (its real path) and
 * its runs, hashed, so sites of other databases or runs never mix
 * (issue 19). Returns a malloc'd string of 16 hex digits.
 */
static char *site_key(struct db *db)
{
	sqlite3_stmt *st;
	char *real = realpath(db->path, NULL), *what, hex[65];
	const char *runs = NULL;

	if (sqlite3_prepare_v2(db->sql, "SELECT group_concat(id, ' ') FROM (SELECT id FROM runs ORDER BY id)",
			       -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		runs = (const char *)sqlite3_column_text(st, 0);
	what = xasprintf("%s\n%s", real ? real : db->path, runs ? runs : "");
	sha256_hex_of(what, strlen(what), hex);
	sqlite3_finalize(st);
	free(what);
	free(real);
	return xasprintf("%.16s", hex);
}

long report_html_site(struct db *db, const char *dir, char **ids, size_t n,
		      const struct report_site *site)
{
	int jobs = site ? site->jobs : 1;
	char *key = NULL;
	struct rows r = { 0 };
	struct table outlets = { 0 };
	struct pages *w = NULL;
	pthread_t *tid = NULL;
	char *sub;
	size_t i, j, noutlets = 0, nthreads = 0;
	long written = 0;
	int rc = 0;

	if (make_dir(dir, true) < 0)
		return -1;
	sub = xasprintf("%s/articles", dir);
	if (make_dir(sub, false) < 0) {
		free(sub);
		return -1;
	}
	free(sub);
	sub = xasprintf("%s/outlets", dir);
	if (make_dir(sub, false) < 0) {
		free(sub);
		return -1;
	}
	free(sub);
	key = site_key(db);
	if (write_assets(dir) < 0 || write_about(dir, site ? site->sc : NULL) < 0 ||
	    load_rows(db, &r, ids, n) < 0 ||
	    load_table(db, outlets_sql, NULL, &outlets) < 0)
		goto fail;
	/*
	 * Article pages are independent: 'jobs' writers, each with its own
	 * connection (a SQLite connection is not shared between threads here),
	 * take every jobs-th article; this thread writes its share, then the
	 * outlet pages and the index while the others finish.
	 */
	if (jobs < 1 || (size_t)jobs > r.n)
		jobs = r.n ? (int)r.n : 1;
	w = xcalloc((size_t)jobs, sizeof(*w));
	tid = xcalloc((size_t)jobs, sizeof(*tid));
	for (i = 0; i < (size_t)jobs; i++)
		w[i] = (struct pages){ db, dir, &r, i, (size_t)jobs, site ? site->sc : NULL, key, 0, 0 };
	for (i = 1; i < (size_t)jobs; i++) {
		if (pthread_create(&tid[i], NULL, page_thread, &w[i]))
			break;
		nthreads++;
	}
	/* This thread's share, and those of threads that could not start. */
	rc = write_articles(&w[0]);
	for (j = nthreads + 1; j < (size_t)jobs && rc == 0; j++)
		rc = write_articles(&w[j]);
	/* The outlet pages and the index list the scores after review: every page first. */
	for (i = 1; i <= nthreads; i++) {
		pthread_join(tid[i], NULL);
		rc |= w[i].rc;
	}
	nthreads = 0;
	for (i = 0; i < r.n; i++) {
		bool seen = false;

		for (j = 0; j < i && !seen; j++)
			seen = !strcmp(r.v[j].publisher ? r.v[j].publisher : "",
				       r.v[i].publisher ? r.v[i].publisher : "");
		if (seen)
			continue;
		noutlets++;
		if (rc == 0 && write_outlet(db, dir, &r, &outlets,
					    r.v[i].publisher ? r.v[i].publisher : "(unknown)") < 0)
			rc = -1;
	}
	if (rc == 0 && write_index(dir, &r, &outlets, noutlets, key) < 0)
		rc = -1;
join:
	for (i = 1; i <= nthreads; i++) {
		pthread_join(tid[i], NULL);
		rc |= w[i].rc;
	}
	for (i = 0; i < (size_t)jobs && w; i++)
		written += w[i].written;
	/* A report of the whole database is the whole site: what it did not write is stale. */
	if (rc == 0 && !n) {
		char **keep = xcalloc(r.n + 1, sizeof(*keep));

		for (i = 0; i < r.n; i++)
			keep[i] = xasprintf("%s.html", r.v[i].file);
		qsort(keep, r.n, sizeof(*keep), str_cmp);
		rc = remove_stale(dir, "articles", keep, r.n);
		for (i = 0; i < r.n; i++) {
			char *of = outlet_file(r.v[i].publisher ? r.v[i].publisher : "(unknown)");

			free(keep[i]);
			keep[i] = xasprintf("%s.html", of);
			free(of);
		}
		qsort(keep, r.n, sizeof(*keep), str_cmp);
		if (remove_stale(dir, "outlets", keep, r.n) < 0)
			rc = -1;
		for (i = 0; i < r.n; i++)
			free(keep[i]);
		free(keep);
	}
	free(w);
	free(tid);
	free(key);
	rows_release(&r);
	table_release(&outlets);
	return rc < 0 ? -1 : written;
fail:
	rc = -1;
	goto join;
}
