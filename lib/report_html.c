/*
 * report_html.c -- the review report as a static site: index, outlet pages
 * and one page per article with every flagged span highlighted.
 *
 * Pages are self-contained (inline CSS and script, no network, no fonts).
 * Every byte of data goes through html_escape(); data for the page's script
 * goes in a JSON block with '<', '>' and '&' as \u escapes, and the script
 * builds tooltips with textContent, never innerHTML.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY), *p;

	if (!s)
		die("cannot serialise page data");
	fprintf(out, "<script type=\"application/json\" id=\"%s\">", id);
	for (p = s; *p; p++) {
		if (*p == '<')
			fputs("\\u003c", out);
		else if (*p == '>')
			fputs("\\u003e", out);
		else if (*p == '&')
			fputs("\\u0026", out);
		else
			putc(*p, out);
	}
	fputs("</script>\n", out);
	free(s);
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

static const char *const css[] = {
	":root{--ink:#1f2328;--mute:#656d76;--line:#d8dee4;--bg:#f6f8fa;--card:#fff;"
	"--accent:#0b5cad}"
	"*{box-sizing:border-box}"
	"body{margin:0;font:14px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',"
	"Arial,sans-serif;color:var(--ink);background:var(--bg)}"
	"a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}"
	".top{display:flex;gap:14px;align-items:center;padding:10px 24px;background:#1f2933;color:#cdd5df}"
	".top a{color:#fff}.top .brand{font-weight:700;letter-spacing:.04em;color:#fff}"
	".top .crumbs{color:#9aa5b1}.top .crumbs a{color:#e4e7eb}"
	".wrap{max-width:1400px;margin:0 auto;padding:20px 24px}"
	".grid{display:grid;grid-template-columns:minmax(0,1fr) 420px;gap:20px;align-items:start}"
	".card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 18px;",
	"margin-bottom:16px}"
	".card h2{font-size:12px;text-transform:uppercase;letter-spacing:.08em;color:var(--mute);"
	"margin:0 0 10px}"
	"h1{font-size:22px;margin:0 0 4px}"
	".meta{color:var(--mute);margin-bottom:12px}.meta span+span:before{content:'\\2002\\00b7\\2002'}"
	".doc{padding:22px 28px}"
	".text{white-space:pre-wrap;font:17px/1.85 Georgia,'Times New Roman',serif;"
	"overflow-wrap:anywhere}"
	".headline{font:700 26px/1.3 Georgia,'Times New Roman',serif}"
	"mark.hl{background:none;color:inherit;padding:1px 0;border-radius:2px;cursor:pointer}"
	"mark.k-loaded{background:#ffd8cc;box-shadow:inset 0 -2px #e8590c}"
	"mark.k-scare{background:#fff1b8;box-shadow:inset 0 -2px #f59f00}",
	"mark.k-hedge{background:#e9e0ff;box-shadow:inset 0 -2px #7048e8}"
	"mark.k-quote{background:#e7f3ff}"
	"mark.k-outlet{background:#dff7fa;outline:1px solid #15aabf}"
	"mark.k-unknown{outline:1px dashed #868e96}"
	"mark.k-attributed{border-bottom:2px solid #8ce99a}"
	"mark.k-vague{border-bottom:2px solid #fab005}"
	"mark.k-anonymous{border-bottom:2px dashed #be4bdb}"
	"mark.k-unattributed{border-bottom:2px dotted #e03131}"
	"mark.k-verb{border-bottom:2px solid #c92a2a}"
	"mark.k-other{border-bottom:1px dotted #868e96}"
	".k-verb .cue{font-weight:700;color:#c92a2a}.src{font-variant:small-caps}"
	"mark.hl.sel{outline:2px solid #1c7ed6;outline-offset:1px}",
	"mark.dec-accept{outline:2px solid #2f9e44}"
	"mark.dec-reject{text-decoration:line-through 2px #868e96;opacity:.55}"
		".legend{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 14px}"
	".legend label{display:inline-flex;align-items:center;gap:5px;border:1px solid var(--line);"
	"border-radius:14px;padding:2px 10px 2px 6px;background:#fff;cursor:pointer;font-size:12px}"
	".sw{display:inline-block;width:14px;height:10px;border-radius:2px}"
	".chip{display:inline-block;font-size:11px;border-radius:9px;padding:0 7px;white-space:nowrap;"
	"border:1px solid var(--line);background:#fff}"
	".scorebox{display:flex;align-items:center;gap:16px}"
	".big{font-size:44px;font-weight:800;line-height:1}"
	".band{font-size:15px;font-weight:700;text-transform:uppercase;letter-spacing:.06em}",
	".sub{color:var(--mute);font-size:12px}"
	"table{border-collapse:collapse;width:100%}"
	"th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}"
	"th{font-size:12px;color:var(--mute);font-weight:600;white-space:nowrap}"
	"th[data-sort]{cursor:pointer}th[data-sort]:after{content:' \\2195';color:#adb5bd}"
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"
	".pill{display:inline-block;min-width:44px;text-align:center;border-radius:10px;color:#fff;"
	"font-weight:700;padding:1px 8px}"
	".comp td{border:none;padding:3px 6px}.comp td.num{white-space:nowrap}.comp .det{color:var(--mute);font-size:12px;padding-bottom:9px}"
	".flags{list-style:none;margin:0;padding:0;max-height:560px;overflow:auto}"
	".flags li{display:grid;grid-template-columns:1fr auto;gap:2px 8px;padding:7px 4px;"
	"border-bottom:1px solid var(--line);cursor:pointer}",
	".flags li:hover,.flags li.sel{background:#f1f8ff}"
	".flags q{font-family:Georgia,serif}.flags .why{grid-column:1/3;color:var(--mute);font-size:12px}"
	".flags li[data-dec=accept]{box-shadow:inset 3px 0 #2f9e44}"
	".flags li[data-dec=reject]{box-shadow:inset 3px 0 #adb5bd;opacity:.6}"
	"button{font:inherit;font-size:12px;border:1px solid var(--line);background:#fff;"
	"border-radius:6px;padding:2px 8px;cursor:pointer}"
	"button:hover{background:#f1f3f5}button.on.acc{background:#2f9e44;color:#fff;border-color:#2f9e44}"
	"button.on.rej{background:#868e96;color:#fff;border-color:#868e96}"
	".btns{white-space:nowrap}"
	".tip{position:absolute;z-index:10;max-width:400px;background:#1f2933;color:#f1f3f5;"
	"border-radius:8px;padding:10px 12px;font-size:13px;box-shadow:0 6px 24px rgba(0,0,0,.25)}"
	".tip .t{font-weight:700;margin-bottom:4px}.tip .x{font-family:Georgia,serif;color:#fff;",
	"margin-bottom:6px}.tip .r{color:#cbd2d9;margin:2px 0}.tip .r b{color:#fff;font-weight:600}"
	".tip .btns{margin-top:8px}.tip button{background:#323f4b;color:#fff;border-color:#52606d}"
	".notice{background:#fff9db;border:1px solid #ffe066;border-radius:6px;padding:8px 12px;"
	"margin-bottom:12px}"
	".strip{vertical-align:middle}"
	"@media (max-width:1000px){.grid{grid-template-columns:1fr}}",
	NULL,
};

static void put_parts(FILE *out, const char *const *parts)
{
	for (; *parts; parts++)
		fputs(*parts, out);
}

/* Colours of the kinds: swatch in the legend and the hide-KIND switch. */
static const char *kind_swatch(const char *kind)
{
	static const char *const k[][2] = {
		{ "loaded", "#ffb59e" },     { "scare", "#ffe066" },	{ "verb", "#c92a2a" },
		{ "hedge", "#b197fc" },	     { "attributed", "#69db7c" }, { "vague", "#fab005" },
		{ "anonymous", "#be4bdb" },  { "unattributed", "#e03131" }, { "quote", "#a5d8ff" },
		{ "outlet", "#66d9e8" },     { "unknown", "#ced4da" },	{ "other", "#ced4da" },
	};
	size_t i;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (!strcmp(k[i][0], kind))
			return k[i][1];
	return "#ced4da";
}

/* Red at 0 through amber to green at 100. */
static void score_colour(char *buf, size_t n, double score)
{
	double s = score < 0 ? 0 : score > 100 ? 100 : score;

	snprintf(buf, n, "hsl(%.0f,62%%,%d%%)", s * 1.2, s > 40 && s < 75 ? 42 : 38);
}

static void page_head(FILE *out, const char *title, const char *home)
{
	char hide[2048];
	size_t i, len = 0;

	/* body.hide-KIND switches a kind's highlight off (the legend checkboxes). */
	hide[0] = '\0';
	for (i = 0; report_kinds[i]; i++)
		len += (size_t)snprintf(hide + len, sizeof(hide) - len,
					".hide-%s mark.k-%s{background:none;box-shadow:none;"
					"border-bottom:none;outline:none}.hide-%s .flags li.k-%s{display:none}",
					report_kinds[i], report_kinds[i], report_kinds[i], report_kinds[i]);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"referrer\" content=\"no-referrer\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n<title>",
	      out);
	html_puts(out, title);
	fputs(" \xc2\xb7 slant review</title>\n<style>", out);
	put_parts(out, css);
	fputs(hide, out);
	fputs("</style>\n</head>\n<body>\n<header class=\"top\"><a class=\"brand\" href=\"", out);
	html_puts(out, home);
	fputs("\">slant review</a><span class=\"crumbs\">", out);
}

/* Closes the header opened by page_head() and starts the main area. */
static void page_main(FILE *out)
{
	fputs("</span></header>\n<main class=\"wrap\">\n", out);
}

/* Column sorting for every table with th[data-sort]; kept in one place. */
static const char sort_js[] =
	"document.querySelectorAll('th[data-sort]').forEach(function(th){"
	"th.addEventListener('click',function(){var t=th.closest('table'),b=t.tBodies[0],"
	"i=Array.prototype.indexOf.call(th.parentNode.children,th),num=th.dataset.sort==='num',"
	"dir=th.dataset.dir==='asc'?-1:1;th.dataset.dir=dir>0?'asc':'desc';"
	"var rows=Array.prototype.slice.call(b.rows);rows.sort(function(x,y){"
	"var a=x.cells[i].dataset.v!==undefined?x.cells[i].dataset.v:x.cells[i].textContent,"
	"c=y.cells[i].dataset.v!==undefined?y.cells[i].dataset.v:y.cells[i].textContent;"
	"if(num){a=a===''?Infinity:+a;c=c===''?Infinity:+c;return (a-c)*dir}"
	"return a.localeCompare(c)*dir});rows.forEach(function(r){b.appendChild(r)})})});\n";

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

static void put_score_panel(FILE *out, const json_t *rec)
{
	const json_t *report = json_object_get(rec, "report"), *comps, *c, *score;
	size_t i, applicable = 0;
	char col[40], value[64];

	fputs("<section class=\"card\" id=\"score\"><h2>Credibility report</h2>\n", out);
	if (!json_is_object(report)) {
		fputs("<p class=\"sub\">Not scored: the record did not go through slant-score.</p>"
		      "</section>\n",
		      out);
		return;
	}
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
	fputs("</div></div></div>\n", out);
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
}

/* ====== The article page ====== */

static const char *const article_js[] = {
	"(function(){'use strict';"
	"var D=JSON.parse(document.getElementById('slant-data').textContent),"
	"KEY='slant:dec:'+D.article,S={},pinned=null,tip=document.getElementById('tip');"
	"try{S=JSON.parse(localStorage.getItem(KEY)||'{}')||{}}catch(e){S={}}"
	"function save(){try{localStorage.setItem(KEY,JSON.stringify(S))}catch(e){}}"
	"function key(a){return a.s+':'+a.e+':'+a.st+':'+a.l+':'+(a.en||'')}"
	"function marks(id){return document.querySelectorAll('mark.hl[data-a=\"'+id+'\"]')}"
	"function item(id){return document.querySelector('li[data-f=\"'+id+'\"]')}"
	"function dec(id){var d=S[key(D.anns[id])];return d?d.decision:''}"
	"function paint(id){var c=dec(id);marks(id).forEach(function(m){"
	"m.classList.toggle('dec-accept',c==='accept');m.classList.toggle('dec-reject',c==='reject')});"
	"var li=item(id);if(li){li.dataset.dec=c;li.querySelectorAll('button[data-d]').forEach(",
	"function(b){b.classList.toggle('on',b.dataset.d===c)})}}"
	"function counts(){var a=0,r=0,n=0;Object.keys(D.anns).forEach(function(id){n++;"
	"var c=dec(id);if(c==='accept')a++;else if(c==='reject')r++});"
	"document.getElementById('dec-counts').textContent=a+' accepted \\u00b7 '+r+' rejected \\u00b7 '"
	"+(n-a-r)+' to review'}"
	"function decide(id,c){var a=D.anns[id],k=key(a);"
	"if(!c||(S[k]&&S[k].decision===c))delete S[k];else S[k]={article:D.article,start:a.s,end:a.e,"
	"stage:a.st,label:a.l,entry:a.en||'',lexicon:a.lx||null,text:a.x,decision:c,"
	"decided:new Date().toISOString()};save();paint(id);counts();if(pinned===id)show(id,true)}"
	"function row(t,k,v){if(!v)return;var d=document.createElement('div');d.className='r';"
	"var b=document.createElement('b');b.textContent=k+': ';d.appendChild(b);"
	"d.appendChild(document.createTextNode(v));t.appendChild(d)}",
	"function btns(id,box){['accept','reject'].forEach(function(c){var b=document.createElement('button');"
	"b.dataset.d=c;b.className=(c==='accept'?'acc':'rej')+(dec(id)===c?' on':'');"
	"b.textContent=c==='accept'?'\\u2713 Accept':'\\u2717 Reject';"
	"b.addEventListener('click',function(e){e.stopPropagation();decide(id,c)});box.appendChild(b);"
	"box.appendChild(document.createTextNode(' '))})}"
	"function show(id,pin){var a=D.anns[id],m=marks(id)[0];if(!a||!m)return;tip.textContent='';"
	"var t=document.createElement('div');t.className='t';t.textContent=a.t+' #'+id;tip.appendChild(t);"
	"var x=document.createElement('div');x.className='x';x.textContent='\\u201c'+a.x+'\\u201d';"
	"tip.appendChild(x);row(tip,'Why',a.w);row(tip,'Entry',a.en?a.en+(a.lx?' ('+a.lx+')':''):'');"
	"row(tip,'Neutral alternative',a.alt);row(tip,'Speaker',a.sp);row(tip,'Source',a.so);"
	"if(pin){var b=document.createElement('div');b.className='btns';btns(id,b);tip.appendChild(b)}"
	"else{row(tip,'','click to review')}",
	"tip.hidden=false;var r=m.getBoundingClientRect(),w=tip.offsetWidth;"
	"tip.style.left=Math.max(8,Math.min(window.scrollX+r.left,window.scrollX+"
	"document.documentElement.clientWidth-w-8))+'px';"
	"tip.style.top=(window.scrollY+r.bottom+8)+'px'}"
	"function hide(){if(pinned===null)tip.hidden=true}"
	"function pin(id,scroll){if(!D.anns[id])return;document.querySelectorAll('.sel').forEach(function(e){"
	"e.classList.remove('sel')});pinned=id;marks(id).forEach(function(m){m.classList.add('sel')});"
	"var li=item(id);if(li){li.classList.add('sel');li.scrollIntoView({block:'nearest'})}"
	"if(scroll)marks(id)[0].scrollIntoView({block:'center'});show(id,true)}"
	"document.addEventListener('mouseover',function(e){var m=e.target.closest&&e.target.closest('mark.hl');"
	"if(m&&pinned===null)show(m.dataset.a,false)});"
	"document.addEventListener('mouseout',function(e){if(e.target.closest&&e.target.closest('mark.hl'))hide()});",
	"document.addEventListener('click',function(e){var m=e.target.closest('mark.hl');"
	"if(m){pin(m.dataset.a,false);return}var g=e.target.closest('[data-go]');"
	"if(g){e.preventDefault();pin(g.dataset.go,true);return}"
	"var li=e.target.closest('li[data-f]');if(li&&!e.target.closest('button')){pin(li.dataset.f,true);return}"
	"if(!e.target.closest('#tip')){pinned=null;document.querySelectorAll('.sel').forEach("
	"function(x){x.classList.remove('sel')});tip.hidden=true}});"
	"document.addEventListener('keydown',function(e){if(e.key==='Escape'){pinned=null;tip.hidden=true}"
	"else if(pinned!==null&&(e.key==='a'||e.key==='r'))decide(pinned,e.key==='a'?'accept':'reject')});"
	"document.querySelectorAll('.flags button[data-d]').forEach(function(b){b.addEventListener('click',"
	"function(e){e.stopPropagation();decide(b.closest('li').dataset.f,b.dataset.d)})});"
	"document.querySelectorAll('.legend input').forEach(function(c){c.addEventListener('change',"
	"function(){document.body.classList.toggle('hide-'+c.value,!c.checked)})});",
	"document.getElementById('export').addEventListener('click',function(){var out=[];"
	"Object.keys(D.anns).forEach(function(id){var d=S[key(D.anns[id])];if(d)out.push(d)});"
	"var blob=new Blob([JSON.stringify({format:1,kind:'slant-decisions',exported:new Date()"
	".toISOString(),decisions:out},null,1)],{type:'application/json'}),u=URL.createObjectURL(blob),"
	"l=document.createElement('a');l.href=u;l.download='decisions-'+D.file+'.json';"
	"document.body.appendChild(l);l.click();setTimeout(function(){URL.revokeObjectURL(u);l.remove()},0)});"
	"document.getElementById('clear').addEventListener('click',function(){if(confirm("
	"'Forget every decision on this article?')){S={};save();Object.keys(D.anns).forEach(paint);counts()}});"
	"Object.keys(D.anns).forEach(paint);counts();"
	"var h=/^#a([0-9]+)$/.exec(location.hash);if(h)pin(h[1],true)})();\n",
	NULL,
};

/* What the page script knows about one flagged annotation. */
static json_t *ann_data(const json_t *a, size_t id, const char *kind)
{
	json_t *o = json_object();
	const char *text = str(a, "text") ? str(a, "text") : "";
	char *why = report_why(a);
	size_t n = strlen(text);

	(void)id;
	/* Long sentences are cut for the tooltip (on a character boundary). */
	if (n > 300) {
		n = 300;
		while (n && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
	}
	json_object_set_new(o, "k", json_string(kind));
	json_object_set_new(o, "t", json_string(report_kind_title(kind)));
	json_object_set_new(o, "x", json_stringn(text, n));
	json_object_set_new(o, "w", json_string(why));
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
	free(why);
	return o;
}

static void put_flag_item(FILE *out, const json_t *a, size_t id, const char *kind)
{
	char *why = report_why(a);
	const char *text = str(a, "text") ? str(a, "text") : "";
	size_t n = strlen(text);

	if (n > 160) {
		n = 160;
		while (n && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
	}
	fprintf(out, "<li data-f=\"%zu\" class=\"k-%s\"><div><span class=\"chip\" "
		"style=\"border-color:%s\">", id, kind, kind_swatch(kind));
	html_puts(out, report_kind_title(kind));
	fputs("</span> <q>", out);
	html_escape(out, text, n);
	if (n < strlen(text))
		fputs("\xe2\x80\xa6", out);
	fputs("</q></div><span class=\"btns\"><button data-d=\"accept\" class=\"acc\" "
	      "title=\"Accept: the flag is right (a)\">\xe2\x9c\x93</button> <button data-d=\"reject\" "
	      "class=\"rej\" title=\"Reject: a false alarm (r)\">\xe2\x9c\x97</button></span>"
	      "<div class=\"why\">",
	      out);
	html_puts(out, why);
	fputs("</div></li>\n", out);
	free(why);
}

void report_html_article(FILE *out, const json_t *rec, const char *index_href,
			 const char *outlet_href)
{
	const char *text = str(rec, "text") ? str(rec, "text") : "", *url = str(rec, "url");
	size_t len = str(rec, "text") ? json_string_length(json_object_get(rec, "text")) : 0;
	size_t nspan, bad, i, nkind[32] = { 0 }, k, ncut;
	struct span *sp = collect_spans(rec, text, len, &nspan, &bad);
	json_t *data = json_object(), *anns = json_object();
	const json_t *a;
	char *file = report_file_name(str(rec, "id") ? str(rec, "id") : ""), *origin;
	const char *title = str(rec, "title") ? str(rec, "title") : "(untitled)";

	page_head(out, title, index_href);
	fputs(" \xe2\x80\xba ", out);
	if (outlet_href) {
		fputs("<a href=\"", out);
		html_puts(out, outlet_href);
		fputs("\">", out);
	}
	html_puts(out, report_publisher(rec));
	if (outlet_href)
		fputs("</a>", out);
	fputs(" \xe2\x80\xba article</span><span style=\"margin-left:auto\" class=\"crumbs\">"
	      "hover a highlight for why \xc2\xb7 click to review \xc2\xb7 a / r keys", out);
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

	json_array_foreach(json_object_get(rec, "annotations"), i, a) {
		const char *kind = report_kind(a);

		if (!kind)
			continue;
		for (k = 0; report_kinds[k]; k++)
			if (!strcmp(report_kinds[k], kind))
				nkind[k]++;
	}
	fputs("<div class=\"legend\">", out);
	for (k = 0; report_kinds[k]; k++) {
		if (!nkind[k])
			continue;
		fprintf(out, "<label><input type=\"checkbox\" value=\"%s\" checked><span class=\"sw\" "
			"style=\"background:%s\"></span>",
			report_kinds[k], kind_swatch(report_kinds[k]));
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
	put_score_panel(out, rec);

	fputs("<section class=\"card\"><h2>Review</h2><div class=\"sub\" id=\"dec-counts\"></div>"
	      "<p class=\"sub\">Decisions stay in this browser until exported; "
	      "<code>slant-store --decisions FILE</code> imports them.</p>"
	      "<button id=\"export\">Export decisions (JSON)</button> <button id=\"clear\">Clear</button>"
	      "</section>\n<section class=\"card\"><h2>Flags</h2><ul class=\"flags\">\n",
	      out);
	json_array_foreach(json_object_get(rec, "annotations"), i, a) {
		const char *kind = report_kind(a);
		char idbuf[32];

		if (!kind || !span_ok(text, len, ann_offset(a, "start", SIZE_MAX),
				      ann_offset(a, "end", SIZE_MAX)))
			continue;
		put_flag_item(out, a, i, kind);
		snprintf(idbuf, sizeof(idbuf), "%zu", i);
		json_object_set_new(anns, idbuf, ann_data(a, i, kind));
	}
	fputs("</ul></section>\n</aside>\n</div>\n</main>\n<div id=\"tip\" class=\"tip\" hidden></div>\n",
	      out);
	json_object_set_new(data, "article", json_string(str(rec, "id") ? str(rec, "id") : ""));
	json_object_set_new(data, "file", json_string(file));
	json_object_set_new(data, "anns", anns);
	put_json_script(out, "slant-data", data);
	fputs("<script>", out);
	put_parts(out, article_js);
	fputs("</script>\n</body>\n</html>\n", out);
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

	fputs("<table><thead><tr><th data-sort=\"num\" class=\"num\">Score</th><th data-sort=\"text\">"
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
		if (w->scored)
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
	fputs("</tbody></table>\n", out);
}

/* A table of the rows of 'sql' (one optional text parameter); numbers right-aligned. */
static int put_query(FILE *out, struct db *db, const char *sql, const char *param,
		     const char *const *heads, const char *empty)
{
	sqlite3_stmt *st;
	int rc, i, ncol;
	size_t nrow = 0;

	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		return error("database '%s': %s", db->path, sqlite3_errmsg(db->sql));
	if (param)
		sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
	ncol = sqlite3_column_count(st);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!nrow++) {
			fputs("<table><thead><tr>", out);
			for (i = 0; i < ncol && heads[i]; i++) {
				bool num = heads[i][0] == '#';

				fprintf(out, "<th data-sort=\"%s\"%s>", num ? "num" : "text",
					num ? " class=\"num\"" : "");
				html_puts(out, heads[i] + num);
				fputs("</th>", out);
			}
			fputs("</tr></thead><tbody>\n", out);
		}
		fputs("<tr>", out);
		for (i = 0; i < ncol && heads[i]; i++) {
			int t = sqlite3_column_type(st, i);

			if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
				fprintf(out, "<td class=\"num\" data-v=\"%.17g\">%.*g</td>",
					sqlite3_column_double(st, i), JSON_DIGITS, sqlite3_column_double(st, i));
			} else {
				fputs(heads[i][0] == '#' ? "<td class=\"num\" data-v=\"\">" : "<td>", out);
				html_puts(out, (const char *)sqlite3_column_text(st, i));
				fputs("</td>", out);
			}
		}
		fputs("</tr>\n", out);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return error("database '%s': %s", db->path, sqlite3_errmsg(db->sql));
	if (nrow)
		fputs("</tbody></table>\n", out);
	else
		fprintf(out, "<p class=\"sub\">%s</p>\n", empty);
	return 0;
}

static const char outlets_sql[] =
	"SELECT publisher, articles, mean_score, loaded_per_1000,"
	" round(100 * attribution_coverage, 1), round(100 * vague_share, 1),"
	" round(100 * anonymous_share, 1),"
	" CASE state_affiliated WHEN 1 THEN 'yes' WHEN 0 THEN 'no' END"
	" FROM outlet_summary WHERE ?1 IS NULL OR publisher = ?1 ORDER BY publisher";
static const char *const outlets_heads[] = {
	"Outlet", "#Articles", "#Mean score", "#Loaded / 1,000 words", "#Attributed %",
	"#Vague %", "#Anonymous %", "State-affiliated", NULL,
};

/* The temporary name a page is written under before it takes its place. */
static char *tmp_name(const char *path)
{
	return xasprintf("%s.tmp", path);
}

/*
 * Pages are written to PAGE.tmp, created anew (O_EXCL never follows a
 * link), and renamed over PAGE by close_page(): a symbolic link planted at
 * PAGE is replaced, its target never written, and a reader never sees half
 * a page. '*path' gets PAGE (caller passes it to close_page, which frees it).
 */
static FILE *open_page(const char *dir, const char *sub, const char *name, char **path)
{
	char *tmp;
	FILE *f = NULL;
	int fd;

	*path = sub ? xasprintf("%s/%s/%s.html", dir, sub, name) : xasprintf("%s/%s.html", dir, name);
	tmp = tmp_name(*path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST && unlink(tmp) == 0)
		/* Left by a run that died, or planted: removing a link leaves its target be. */
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd >= 0 && !(f = fdopen(fd, "w")))
		close(fd);
	if (!f)
		error("cannot write '%s':", tmp);
	free(tmp);
	return f;
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

static int write_index(struct db *db, const char *dir, const struct rows *r, size_t noutlets)
{
	char *path;
	FILE *f = open_page(dir, NULL, "index", &path);
	size_t i;

	if (!f) {
		free(path);
		return -1;
	}
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
		sqlite3_stmt *st;
		size_t j;
		bool seen = false;
		int c;

		for (j = 0; j < i && !seen; j++)
			seen = r->v[j].publisher && r->v[i].publisher &&
			       !strcmp(r->v[j].publisher, r->v[i].publisher);
		if (seen || !r->v[i].publisher)
			continue;
		if (sqlite3_prepare_v2(db->sql, outlets_sql, -1, &st, NULL) != SQLITE_OK) {
			error("database '%s': %s", db->path, sqlite3_errmsg(db->sql));
			fclose(f);
			free(path);
			return -1;
		}
		sqlite3_bind_text(st, 1, r->v[i].publisher, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			char *of = outlet_file(r->v[i].publisher);

			fprintf(f, "<tr><td><a href=\"outlets/%s.html\">", of);
			html_puts(f, (const char *)sqlite3_column_text(st, 0));
			fputs("</a></td>", f);
			for (c = 1; c < 8; c++) {
				if (sqlite3_column_type(st, c) == SQLITE_NULL)
					fputs(c < 7 ? "<td class=\"num\" data-v=\"\"></td>" : "<td></td>", f);
				else if (c < 7)
					fprintf(f, "<td class=\"num\" data-v=\"%.17g\">%.*g</td>",
						sqlite3_column_double(st, c), JSON_DIGITS, sqlite3_column_double(st, c));
				else {
					fputs("<td>", f);
					html_puts(f, (const char *)sqlite3_column_text(st, c));
					fputs("</td>", f);
				}
			}
			fputs("</tr>\n", f);
			free(of);
		}
		sqlite3_finalize(st);
	}
	fputs("</tbody></table></section>\n", f);
	fputs("<section class=\"card\"><h2>Review decisions</h2><p class=\"sub\">Accept or reject "
	      "highlights on the article pages; the decisions stay in this browser. Export them "
	      "all here and import with <code>slant-store --decisions FILE</code>.</p>"
	      "<button id=\"export-all\">Export all decisions (JSON)</button> "
	      "<span class=\"sub\" id=\"n-dec\"></span></section>\n</main>\n<script>",
	      f);
	fputs(sort_js, f);
	fputs("(function(){var all=[];try{for(var i=0;i<localStorage.length;i++){"
	      "var k=localStorage.key(i);if(k.indexOf('slant:dec:')!==0)continue;"
	      "var o=JSON.parse(localStorage.getItem(k)||'{}');"
	      "Object.keys(o).forEach(function(x){all.push(o[x])})}}catch(e){}"
	      "document.getElementById('n-dec').textContent=all.length+' decisions kept';"
	      "document.getElementById('export-all').addEventListener('click',function(){"
	      "var b=new Blob([JSON.stringify({format:1,kind:'slant-decisions',exported:new Date()"
	      ".toISOString(),decisions:all},null,1)],{type:'application/json'}),"
	      "u=URL.createObjectURL(b),l=document.createElement('a');l.href=u;"
	      "l.download='decisions.json';document.body.appendChild(l);l.click();"
	      "setTimeout(function(){URL.revokeObjectURL(u);l.remove()},0)})})();\n",
	      f);
	fputs("</script>\n</body>\n</html>\n", f);
	return close_page(f, path);
}

static int write_outlet(struct db *db, const char *dir, const struct rows *r, const char *pub)
{
	static const char *const term_heads[] = { "Term", "Category", "Voice", "#Hits",
						  "#Articles", NULL };
	static const char *const source_heads[] = { "Source", "Found by", "Role", "Ownership",
						    "Control", "State-affiliated", "Conflict party",
						    "Disclosed", "#Mentions", "#Articles", NULL };
	char *name = outlet_file(pub), *path;
	FILE *f = open_page(dir, "outlets", name, &path);
	int ok = 0;

	free(name);
	if (!f) {
		free(path);
		return -1;
	}
	page_head(f, pub, "../index.html");
	fputs(" \xe2\x80\xba outlet", f);
	page_main(f);
	fputs("<h1>", f);
	html_puts(f, pub);
	fputs("</h1>\n<section class=\"card\"><h2>Summary</h2>\n", f);
	ok |= put_query(f, db, outlets_sql, pub, outlets_heads, "No summary.");
	fputs("</section>\n<section class=\"card\"><h2>Articles</h2>\n", f);
	put_rows(f, r, "../", pub);
	fputs("</section>\n<div class=\"grid\"><section class=\"card\"><h2>Sources cited</h2>\n", f);
	ok |= put_query(f, db,
			"SELECT source, via, role, ownership, control,"
			" CASE state_affiliated WHEN 1 THEN 'yes' WHEN 0 THEN 'no' END, conflict_party,"
			" CASE disclosed WHEN 1 THEN 'yes' WHEN 0 THEN 'no' END, mentions, articles"
			" FROM sources_cited WHERE outlet = ?1 ORDER BY mentions DESC, source LIMIT 200",
			pub, source_heads, "No sources found.");
	fputs("</section>\n<section class=\"card\"><h2>Loaded terms</h2>\n", f);
	ok |= put_query(f, db,
			"SELECT term, category, voice, hits, articles FROM term_frequency"
			" WHERE outlet = ?1 ORDER BY hits DESC, term LIMIT 200",
			pub, term_heads, "No loaded terms.");
	fputs("</section></div>\n</main>\n<script>", f);
	fputs(sort_js, f);
	fputs("</script>\n</body>\n</html>\n", f);
	if (close_page(f, path) < 0)
		return -1;
	return ok ? -1 : 0;
}

long report_html_site(struct db *db, const char *dir, char **ids, size_t n)
{
	struct rows r = { 0 };
	char *sub;
	size_t i, j, noutlets = 0;
	long written = 0;

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
	if (load_rows(db, &r, ids, n) < 0)
		goto fail;
	for (i = 0; i < r.n; i++) {
		int err;
		json_t *rec = report_load(db, r.v[i].id, &err);
		char *path, *of, *outlet_href;
		FILE *f;

		if (!rec)
			goto fail;
		f = open_page(dir, "articles", r.v[i].file, &path);
		if (!f) {
			free(path);
			json_decref(rec);
			goto fail;
		}
		of = outlet_file(report_publisher(rec));
		outlet_href = xasprintf("../outlets/%s.html", of);
		report_html_article(f, rec, "../index.html", outlet_href);
		free(of);
		free(outlet_href);
		json_decref(rec);
		if (close_page(f, path) < 0)
			goto fail;
		written++;
	}
	for (i = 0; i < r.n; i++) {
		bool seen = false;

		for (j = 0; j < i && !seen; j++)
			seen = !strcmp(r.v[j].publisher ? r.v[j].publisher : "",
				       r.v[i].publisher ? r.v[i].publisher : "");
		if (seen)
			continue;
		noutlets++;
		if (write_outlet(db, dir, &r, r.v[i].publisher ? r.v[i].publisher : "(unknown)") < 0)
			goto fail;
	}
	if (write_index(db, dir, &r, noutlets) < 0)
		goto fail;
	rows_release(&r);
	return written;
fail:
	rows_release(&r);
	return -1;
}
