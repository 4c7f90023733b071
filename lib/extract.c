/*
 * extract.c -- article extraction from HTML and plain text.
 *
 * HTML: metadata comes from the head (Open Graph, article:*, JSON-LD, link
 * rel=canonical, <time>), the body from the element that scores best when
 * every paragraph-like block gives points to its ancestors, weighed down by
 * link density (the approach of Arc90 Readability). Every walk over the tree
 * is iterative: a hostile page may nest as deep as the parser allows.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "slant/extract.h"
#include "slant/usage.h"
#include "slant/utf8.h"

/* ====== Strings ====== */

struct buf {
	char *s;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	xgrow(&b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Whitespace: ASCII, NBSP and the Unicode space separators. */
static size_t space_at(const char *s, size_t len, bool *drop)
{
	uint32_t cp;
	size_t n;

	*drop = false;
	if ((unsigned char)*s < 0x80) {
		if (isspace((unsigned char)*s))
			return 1;
		if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			*drop = true;
			return 1;
		}
		return 0;
	}
	n = utf8_decode(s, len, &cp);
	if (!n)
		return 0;
	if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
	    cp == 0x3000 || cp == 0x2028 || cp == 0x2029 || cp == 0x85)
		return n;
	if (cp == 0x200B || cp == 0xFEFF || cp == 0xAD || (cp >= 0x80 && cp < 0xA0)) {
		*drop = true;
		return n;
	}
	return 0;
}

char *extract_normalize(const char *s, size_t len)
{
	char *fixed = NULL, *out;
	size_t i = 0, o = 0;
	bool pending = false;

	/*
	 * libxml2 can hand back invalid UTF-8 (a stray byte after '&' in a page
	 * that is not UTF-8); such a string would not be a JSON string and the
	 * field would vanish from the record. Repair it (found by fuzz_ingest).
	 */
	if (!utf8_valid(s, len)) {
		fixed = utf8_repair(s, len, &len, NULL);
		s = fixed;
	}
	out = xmalloc(len + 1);

	while (i < len) {
		bool drop;
		size_t n;

		/* Printable ASCII but space, most of any text: neither space nor dropped, copied as a run. */
		if ((unsigned char)s[i] > 0x20 && (unsigned char)s[i] < 0x7f) {
			n = i + 1;
			while (n < len && (unsigned char)s[n] > 0x20 && (unsigned char)s[n] < 0x7f)
				n++;
			if (pending)
				out[o++] = ' ';
			pending = false;
			memcpy(out + o, s + i, n - i);
			o += n - i;
			i = n;
			continue;
		}
		n = space_at(s + i, len - i, &drop);
		if (n && drop) {
			i += n;
		} else if (n) {
			pending = o > 0;
			i += n;
		} else {
			if (pending)
				out[o++] = ' ';
			pending = false;
			out[o++] = s[i++];
		}
	}
	out[o] = '\0';
	free(fixed);
	return out;
}

static char *xstrdup_norm(const char *s)
{
	return s ? extract_normalize(s, strlen(s)) : NULL;
}

/* Set '*dst' to a normalised copy of 's' unless it is already set or 's' is empty. */
static void set_once(char **dst, const char *s)
{
	char *v;

	if (*dst || !s)
		return;
	v = xstrdup_norm(s);
	if (*v)
		*dst = v;
	else
		free(v);
}

void article_add_para(struct article *a, const char *s, size_t len)
{
	char *p = extract_normalize(s, len);

	if (!*p) {
		free(p);
		return;
	}
	xgrow(&a->paras, &a->cappara, a->npara + 1, sizeof(*a->paras));
	a->paras[a->npara++] = p;
}

char *article_body(const struct article *a, size_t *len)
{
	struct buf b = { 0 };
	size_t i;

	buf_add(&b, "", 0);
	for (i = 0; i < a->npara; i++) {
		if (i)
			buf_add(&b, "\n\n", 2);
		buf_add(&b, a->paras[i], strlen(a->paras[i]));
	}
	*len = b.len;
	return b.s;
}

void article_release(struct article *a)
{
	size_t i;

	free(a->title);
	free(a->url);
	free(a->outlet);
	free(a->domain);
	free(a->byline);
	free(a->published);
	free(a->modified);
	free(a->section);
	free(a->genre);
	free(a->kicker);
	for (i = 0; i < a->nauthors; i++)
		free(a->authors[i]);
	free(a->authors);
	for (i = 0; i < a->npara; i++)
		free(a->paras[i]);
	free(a->paras);
	memset(a, 0, sizeof(*a));
}

/* ====== Plain text ====== */

static bool blank(const char *p, const char *e)
{
	for (; p < e; p++)
		if (!isspace((unsigned char)*p))
			return false;
	return true;
}

void extract_text(struct article *a, const char *text, size_t len, bool line_paras)
{
	const char *p = text, *end = text + len, *q, *para = NULL;
	bool seen = false, gap = false, by_lines = false;

	/* The title: the first line that is not blank (unless the caller knows it). */
	while (!a->title && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		char *t = extract_normalize(p, (size_t)(e - p));

		p = nl ? nl + 1 : end;
		if (*t) {
			a->title = t;
			break;
		}
		free(t);
	}
	/* Paragraphs by lines only when asked and no blank line separates any. */
	if (line_paras) {
		by_lines = true;
		for (q = p; q < end && by_lines;) {
			const char *nl = memchr(q, '\n', (size_t)(end - q)), *e = nl ? nl : end;

			if (blank(q, e))
				gap = seen;
			else if (gap)
				by_lines = false;
			else
				seen = true;
			q = nl ? nl + 1 : end;
		}
	}
	for (q = p; q < end;) {
		const char *nl = memchr(q, '\n', (size_t)(end - q)), *e = nl ? nl : end;

		if (blank(q, e) || by_lines) {
			if (para)
				article_add_para(a, para, (size_t)(q - para));
			para = NULL;
			if (by_lines)
				article_add_para(a, q, (size_t)(e - q));
		} else if (!para) {
			para = q;
		}
		q = nl ? nl + 1 : end;
	}
	if (para)
		article_add_para(a, para, (size_t)(end - para));
}

/* ====== Small helpers over libxml2 ====== */

static bool is_tag(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->name && !strcasecmp((const char *)n->name, name);
}

/* An attribute value (borrowed until the node is freed), or NULL. */
static const char *attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	for (a = n->properties; a; a = a->next)
		if (a->name && !strcasecmp((const char *)a->name, name) && a->children &&
		    (a->children->type == XML_TEXT_NODE) && a->children->content)
			return (const char *)a->children->content;
	return NULL;
}

/* Next node in document order; 'descend' false skips the children of 'n'. */
static xmlNode *walk_next(xmlNode *n, const xmlNode *root, bool descend)
{
	if (descend && n->children)
		return n->children;
	while (n && n != root) {
		if (n->next)
			return n->next;
		n = n->parent;
	}
	return NULL;
}

/* The text of 'n' normalised, malloc'd. */
static char *node_text(xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);
	char *t = xstrdup_norm(c ? (const char *)c : "");

	xmlFree(c);
	return t;
}

static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; hay && *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return false;
}

static bool any_of(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (contains_ci(s, *words))
			return true;
	return false;
}

static bool is_letter_byte(unsigned char c)
{
	return isalpha(c) || c >= 0x80;
}

/* Whether 'p' (inside 's') starts a word. */
static bool boundary_ok(const char *s, const char *p)
{
	return p == s || !is_letter_byte((unsigned char)p[-1]);
}

/* "class id" of an element, lower-cased into 'out'. */
static void class_id(const xmlNode *n, char *out, size_t size)
{
	const char *c = attr(n, "class"), *i = attr(n, "id");

	snprintf(out, size, "%s %s", c ? c : "", i ? i : "");
}

/* ====== Metadata ====== */

static bool looks_like_url(const char *s)
{
	return !strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8) ||
	       !strncmp(s, "//", 2) || !strncasecmp(s, "www.", 4);
}

char *url_domain(const char *url)
{
	const char *p, *e;
	char *d;
	size_t i;

	if (!url)
		return NULL;
	if (!strncasecmp(url, "http://", 7))
		p = url + 7;
	else if (!strncasecmp(url, "https://", 8))
		p = url + 8;
	else
		return NULL;
	e = p + strcspn(p, "/?#:");
	if (memchr(p, '@', (size_t)(e - p)))
		p = (const char *)memchr(p, '@', (size_t)(e - p)) + 1;
	if (e - p >= 4 && !strncasecmp(p, "www.", 4))
		p += 4;
	if (e == p)
		return NULL;
	d = xstrndup(p, (size_t)(e - p));
	for (i = 0; d[i]; i++)
		d[i] = (char)tolower((unsigned char)d[i]);
	return d;
}

/* The number in s[0, n) (digits only: the caller checked). */
static int digits(const char *s, int n)
{
	int v = 0;

	while (n--)
		v = v * 10 + (*s++ - '0');
	return v;
}

char *extract_iso_date(const char *s, size_t *used)
{
	const char *p, *orig = s;
	size_t n;

	if (used)
		*used = 0;
	while (s && isspace((unsigned char)*s))
		s++;
	if (!s || strlen(s) < 10)
		return NULL;
	for (n = 0; n < 10; n++)
		if (n == 4 || n == 7 ? s[n] != '-' : !isdigit((unsigned char)s[n]))
			return NULL;
	/* "0001-01-01" and the like are placeholders, not dates; month 13 is no date. */
	if (strncmp(s, "1800", 4) < 0 || digits(s + 5, 2) < 1 || digits(s + 5, 2) > 12 ||
	    digits(s + 8, 2) < 1 || digits(s + 8, 2) > 31)
		return NULL;
	p = s + 10;
	if ((*p == 'T' || *p == ' ') && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
	    p[3] == ':' && isdigit((unsigned char)p[4]) && isdigit((unsigned char)p[5]) &&
	    digits(p + 1, 2) < 24 && digits(p + 4, 2) < 60) {
		char *r;

		p += 6;
		if (p[0] == ':' && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
		    digits(p + 1, 2) <= 60)
			p += 3;
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				;
		if (*p == 'Z')
			p++;
		else if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1]) &&
			 isdigit((unsigned char)p[2])) {
			p += 3;
			if (*p == ':')
				p++;
			if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]))
				p += 2;
		}
		r = xstrndup(s, (size_t)(p - s));
		r[10] = 'T';
		if (used)
			*used = (size_t)(p - orig);
		return r;
	}
	if (used)
		*used = (size_t)(s + 10 - orig);
	return xstrndup(s, 10);
}

/*
 * Metadata comes from several places on a page; each value keeps the most
 * trusted one (lowest rank) and says where it came from. The order follows
 * how deliberately a page states a thing: JSON-LD, then microdata, then
 * <meta> (OpenGraph, article:*, Dublin Core), then <time>, then visible
 * elements (rel=author, bylines, date lines) and last the text itself.
 */
enum { R_LD = 10, R_LD_LOW = 11, R_MICRO = 20, R_MICRO_LOW = 21, R_META = 30, R_META_LOW = 31,
       R_TIME = 40, R_TIME_TEXT = 45, R_ELEMENT = 50, R_TEXT = 60 };

struct cand {
	char *v;
	const char *by;
	int rank;
};

enum { M_SITE, M_DATE, M_MODIFIED, M_SECTION, M_GENRE, M_KICKER, M_N };

struct meta {
	struct cand c[M_N];
	struct cand *bylines;        /* every byline found, ranked at the end */
	size_t nbylines, capbylines;
	char *og_title, *og_url, *canonical, *title, *h1;
	char *ld_headline, *ld_url, *ld_body;
	json_t **ld;                 /* parsed JSON-LD scripts */
	size_t nld, capld;
};

/* Offer 'v' (borrowed; NULL or blank is no value) for field 'f'. */
static void offer(struct meta *m, int f, char *v, const char *by, int rank, bool owned)
{
	char *n = v ? xstrdup_norm(v) : NULL;

	if (owned)
		free(v);
	if (!n || !*n || (m->c[f].v && m->c[f].rank <= rank)) {
		free(n);
		return;
	}
	free(m->c[f].v);
	m->c[f].v = n;
	m->c[f].by = by;
	m->c[f].rank = rank;
}

/* A date for field 'f' from a markup value ("2019-11-19T06:56:43-05:00", "Tue Nov 19 2019 ..."). */
static void offer_date(struct meta *m, int f, const char *v, const char *by, int rank)
{
	if (v && (!m->c[f].v || m->c[f].rank > rank))
		offer(m, f, extract_date_value(v), by, rank, true);
}

static void offer_byline(struct meta *m, const char *v, const char *by, int rank)
{
	if (!v || !*v || looks_like_url(v))
		return;
	xgrow(&m->bylines, &m->capbylines, m->nbylines + 1, sizeof(*m->bylines));
	m->bylines[m->nbylines].v = xstrdup_norm(v);
	m->bylines[m->nbylines].by = by;
	m->bylines[m->nbylines++].rank = rank;
}

static void meta_release(struct meta *m)
{
	size_t i;

	for (i = 0; i < M_N; i++)
		free(m->c[i].v);
	for (i = 0; i < m->nbylines; i++)
		free(m->bylines[i].v);
	free(m->bylines);
	free(m->og_title), free(m->og_url), free(m->canonical), free(m->title), free(m->h1);
	free(m->ld_headline), free(m->ld_url), free(m->ld_body);
	for (i = 0; i < m->nld; i++)
		json_decref(m->ld[i]);
	free(m->ld);
}

/* ------ JSON-LD ------ */

/* Whether a @type (a string or an array of them) has one ending in 'suffix'. */
static bool ld_type_ends(json_t *o, const char *suffix)
{
	json_t *t = json_object_get(o, "@type"), *v;
	size_t i, l = strlen(suffix);

	if (json_is_string(t))
		return strlen(json_string_value(t)) >= l &&
		       !strcmp(json_string_value(t) + strlen(json_string_value(t)) - l, suffix);
	json_array_foreach(t, i, v)
		if (json_is_string(v) && strlen(json_string_value(v)) >= l &&
		    !strcmp(json_string_value(v) + strlen(json_string_value(v)) - l, suffix))
			return true;
	return false;
}

/*
 * Articles of every kind: NewsArticle, ReportageNewsArticle, BlogPosting,
 * Report, and reviews (a fact check's ClaimReview: its own author is the
 * checker; the claimant is inside itemReviewed, which is not read).
 */
static bool ld_is_article(json_t *o)
{
	return ld_type_ends(o, "Article") || ld_type_ends(o, "Posting") || ld_type_ends(o, "Report") ||
	       ld_type_ends(o, "Review");
}

struct ld_ids {
	json_t **v;
	size_t n, cap;
};

/* Every object that defines an @id (more keys than the @id), in document order. */
static void ld_index(struct ld_ids *ids, json_t *v, int depth)
{
	json_t *x;
	const char *k;
	size_t i;

	if (depth > 8)
		return;
	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			ld_index(ids, x, depth + 1);
	} else if (json_is_object(v)) {
		if (json_is_string(json_object_get(v, "@id")) && json_object_size(v) > 1) {
			xgrow(&ids->v, &ids->cap, ids->n + 1, sizeof(*ids->v));
			ids->v[ids->n++] = v;
		}
		json_object_foreach(v, k, x)
			ld_index(ids, x, depth + 1);
	}
}

/* A reference {"@id": ...} resolved to the object that defines it. */
static json_t *ld_deref(const struct ld_ids *ids, json_t *v)
{
	const char *id = json_string_value(json_object_get(v, "@id"));
	size_t i;

	if (!json_is_object(v) || !id || json_object_get(v, "name"))
		return v;
	for (i = 0; i < ids->n; i++)
		if (!strcmp(json_string_value(json_object_get(ids->v[i], "@id")), id))
			return ids->v[i];
	return v;
}

static const char *ld_name(const struct ld_ids *ids, json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	v = ld_deref(ids, v);
	if (json_is_object(v))
		return json_string_value(json_object_get(v, "name"));
	return NULL;
}

/* A string, or the first string of an array. */
static const char *ld_str(json_t *v)
{
	if (json_is_array(v))
		v = json_array_get(v, 0);
	return json_string_value(v);
}

/* The authors of 'o' as one byline, "; " between names. */
static void ld_authors(struct meta *m, const struct ld_ids *ids, json_t *o, int rank)
{
	json_t *au = json_object_get(o, "author"), *v;
	struct buf b = { 0 };
	size_t i;

	if (!au)
		au = json_object_get(o, "creator");
	if (json_is_array(au)) {
		json_array_foreach(au, i, v) {
			const char *n = ld_name(ids, v);

			if (n && *n && !looks_like_url(n)) {
				if (b.len)
					buf_add(&b, "; ", 2);
				buf_add(&b, n, strlen(n));
			}
		}
	} else {
		const char *n = ld_name(ids, au);

		if (n)
			buf_add(&b, n, strlen(n));
	}
	if (b.s)
		offer_byline(m, b.s, "json-ld", rank);
	free(b.s);
}

static void ld_take(struct meta *m, const struct ld_ids *ids, json_t *o, int rank)
{
	static const char *const kinds[] = { "Opinion", "Analysis", "Review", "Satire", "Background",
					     NULL };
	json_t *t = json_object_get(o, "@type");
	const char *d;
	size_t i;

	if (!m->ld_headline && json_is_string(json_object_get(o, "headline")))
		m->ld_headline = xstrdup_norm(json_string_value(json_object_get(o, "headline")));
	offer(m, M_SITE, (char *)ld_name(ids, json_object_get(o, "publisher")), "json-ld", R_LD + 5, false);
	d = json_string_value(json_object_get(o, "datePublished"));
	offer_date(m, M_DATE, d, "json-ld", rank);
	offer_date(m, M_DATE, json_string_value(json_object_get(o, "dateCreated")), "json-ld", rank + 1);
	offer_date(m, M_MODIFIED, json_string_value(json_object_get(o, "dateModified")), "json-ld", rank);
	offer(m, M_SECTION, (char *)ld_str(json_object_get(o, "articleSection")), "json-ld", rank, false);
	offer(m, M_GENRE, (char *)ld_str(json_object_get(o, "genre")), "json-ld", rank, false);
	/* "OpinionNewsArticle", "AnalysisNewsArticle": the type says the genre. */
	for (i = 0; kinds[i]; i++) {
		size_t k;
		json_t *v;

		if (json_is_string(t) && strstr(json_string_value(t), kinds[i]))
			offer(m, M_GENRE, (char *)json_string_value(t), "json-ld", rank + 1, false);
		json_array_foreach(t, k, v)
			if (json_is_string(v) && strstr(json_string_value(v), kinds[i]))
				offer(m, M_GENRE, (char *)json_string_value(v), "json-ld", rank + 1, false);
	}
	if (!m->ld_url && json_is_string(json_object_get(o, "url")))
		m->ld_url = xstrdup(json_string_value(json_object_get(o, "url")));
	if (!m->ld_body && json_is_string(json_object_get(o, "articleBody")))
		m->ld_body = xstrdup(json_string_value(json_object_get(o, "articleBody")));
	ld_authors(m, ids, o, rank);
}

/* Objects of 'v' that 'want' accepts, in document order (@graph, arrays, mainEntity). */
static void ld_find(json_t *v, int depth, bool (*want)(json_t *), json_t **out, size_t *n, size_t max)
{
	json_t *x;
	size_t i;

	if (depth > 6 || *n >= max)
		return;
	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			ld_find(x, depth + 1, want, out, n, max);
	} else if (json_is_object(v)) {
		if (want(v) && *n < max)
			out[(*n)++] = v;
		ld_find(json_object_get(v, "@graph"), depth + 1, want, out, n, max);
		x = json_object_get(v, "mainEntity");
		if (json_is_object(x) || json_is_array(x))
			ld_find(x, depth + 1, want, out, n, max);
	}
}

static bool ld_is_page(json_t *o)
{
	return ld_type_ends(o, "WebPage") || ld_type_ends(o, "WebSite");
}

/*
 * What the JSON-LD says: the first article object; a WebPage (MedicalWebPage,
 * ...) and the WebSite fill what it leaves out. References by @id are
 * followed anywhere on the page.
 */
static void ld_apply(struct meta *m)
{
	struct ld_ids ids = { 0 };
	json_t *found[8];
	size_t i, n = 0;

	for (i = 0; i < m->nld; i++)
		ld_index(&ids, m->ld[i], 0);
	for (i = 0; i < m->nld && !n; i++)
		ld_find(m->ld[i], 0, ld_is_article, found, &n, 1);
	if (n)
		ld_take(m, &ids, found[0], R_LD);
	n = 0;
	for (i = 0; i < m->nld; i++)
		ld_find(m->ld[i], 0, ld_is_page, found, &n, 8);
	for (i = 0; i < n; i++) {
		if (ld_type_ends(found[i], "WebSite")) {
			offer(m, M_SITE, (char *)json_string_value(json_object_get(found[i], "name")),
			      "json-ld", R_LD + 6, false);
			continue;
		}
		ld_take(m, &ids, found[i], R_LD + 5);
	}
	free(ids.v);
}

static void meta_ld(struct meta *m, xmlNode *script)
{
	xmlChar *c = xmlNodeGetContent(script);
	json_t *v;

	if (!c)
		return;
	v = json_loads((const char *)c, JSON_DECODE_ANY, NULL);
	if (v) {
		xgrow(&m->ld, &m->capld, m->nld + 1, sizeof(*m->ld));
		m->ld[m->nld++] = v;
	}
	xmlFree(c);
}

/* ------ <meta> and microdata ------ */

static bool key_in(const char *key, const char *const *list)
{
	for (; *list; list++)
		if (!strcasecmp(key, *list))
			return true;
	return false;
}

static bool in_comments(const xmlNode *n);

/* The value of an itemprop element: content, datetime, href-less text. */
static char *item_value(xmlNode *n)
{
	const char *v = attr(n, "content");

	if (!v)
		v = attr(n, "datetime");
	return v ? xstrdup_norm(v) : node_text(n);
}

/* The name inside an itemscope (itemprop="name"), or its own value. */
static char *item_name(xmlNode *n)
{
	xmlNode *d;

	if (attr(n, "itemscope")) {
		for (d = n->children; d; d = walk_next(d, n, true)) {
			const char *ip = d->type == XML_ELEMENT_NODE ? attr(d, "itemprop") : NULL;

			if (ip && contains_ci(ip, "name"))
				return item_value(d);
		}
		return NULL;
	}
	return item_value(n);
}

/*
 * Whether 'n' describes the thing a fact check reviews (inside an
 * itemprop="itemReviewed"): its author made the claim, not the page.
 */
static bool in_reviewed(const xmlNode *n)
{
	for (n = n->parent; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
		const char *ip = attr(n, "itemprop");

		if (ip && contains_ci(ip, "itemReviewed"))
			return true;
	}
	return false;
}

/* Microdata: itemprop may hold several names ("datePublished dateCreated"). */
static void microdata(struct meta *m, xmlNode *n, const char *itemprop)
{
	char props[256], *tok, *save = NULL;

	snprintf(props, sizeof(props), "%s", itemprop);
	for (tok = strtok_r(props, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		char *v;

		if (!strcasecmp(tok, "datePublished") || !strcasecmp(tok, "dateCreated")) {
			int rank = strcasecmp(tok, "datePublished") ? R_MICRO_LOW : R_MICRO;

			if (m->c[M_DATE].v && m->c[M_DATE].rank <= rank)
				continue;
			v = item_value(n);
			offer_date(m, M_DATE, v, "microdata", rank);
			free(v);
		} else if (!strcasecmp(tok, "dateModified")) {
			v = item_value(n);
			offer_date(m, M_MODIFIED, v, "microdata", R_MICRO);
			free(v);
		} else if (!strcasecmp(tok, "author") || !strcasecmp(tok, "creator")) {
			if (in_comments(n) || in_reviewed(n))
				continue;
			v = item_name(n);
			if (v && strlen(v) <= 200)
				offer_byline(m, v, "microdata", R_MICRO);
			free(v);
		} else if (!strcasecmp(tok, "publisher") && attr(n, "itemscope")) {
			offer(m, M_SITE, item_name(n), "microdata", R_MICRO + 5, true);
		} else if (!strcasecmp(tok, "articleSection")) {
			offer(m, M_SECTION, item_value(n), "microdata", R_MICRO, true);
		} else if (!strcasecmp(tok, "genre")) {
			offer(m, M_GENRE, item_value(n), "microdata", R_MICRO, true);
		}
	}
}

static void meta_tag(struct meta *m, xmlNode *n)
{
	static const char *const authors[] = { "author", "dc.creator", "dcterms.creator",
					       "parsely-author", "sailthru.author", "byl", NULL };
	static const char *const dates[] = {
		"article:published_time", "datePublished", "pubdate", "publishdate", "publish-date",
		"date", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.created",
		"parsely-pub-date", "sailthru.date", "og:published_time", "pub_date", NULL,
	};
	static const char *const modified[] = { "article:modified_time", "og:updated_time",
						"dcterms.modified", NULL };
	static const char *const sections[] = { "article:section", "og:section", "parsely-section",
						"section", NULL };
	const char *key = attr(n, "property"), *val = attr(n, "content");

	if (!key)
		key = attr(n, "name");
	if (!key && attr(n, "itemprop")) {
		microdata(m, n, attr(n, "itemprop"));
		return;
	}
	if (!key || !val)
		return;
	if (!strcasecmp(key, "og:title"))
		set_once(&m->og_title, val);
	else if (!strcasecmp(key, "og:site_name"))
		offer(m, M_SITE, (char *)val, "meta", R_META - 25, false);
	else if (!strcasecmp(key, "og:url"))
		set_once(&m->og_url, val);
	else if (key_in(key, authors))
		offer_byline(m, val, "meta", R_META);
	else if (!strcasecmp(key, "article:author"))
		offer_byline(m, val, "meta", R_META_LOW);
	else if (key_in(key, dates))
		offer_date(m, M_DATE, val, "meta", R_META);
	else if (key_in(key, modified))
		offer_date(m, M_MODIFIED, val, "meta", R_META);
	else if (key_in(key, sections))
		offer(m, M_SECTION, (char *)val, "meta", R_META, false);
}

/* ------ Visible elements ------ */

/* A date line's date: after "Published"/"Posted" when it says so; none from "Updated ..." alone. */
static void text_date(struct meta *m, const char *t, const char *by, int rank)
{
	static const char *const pub[] = { "published", "posted", "publiziert", "publicado",
					   "publi\xc3\xa9", "first published", NULL };
	const char *p, *from = NULL;
	size_t i;

	if (m->c[M_DATE].v && m->c[M_DATE].rank <= rank)
		return;
	for (p = t; *p && !from; p++)
		for (i = 0; pub[i]; i++)
			if (!strncasecmp(p, pub[i], strlen(pub[i])) && boundary_ok(t, p)) {
				from = p;
				break;
			}
	if (!from) {
		if (!strncasecmp(t, "updated", 7) || !strncasecmp(t, "last updated", 12) ||
		    !strncasecmp(t, "modified", 8))
			return;
		from = t;
	}
	offer(m, M_DATE, extract_text_date(from, NULL), by, rank, true);
}

/* The start of an element's own first text ("By", "Published: ..."), blanks skipped; or "". */
static const char *lead_text(const xmlNode *n)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next) {
		const char *t;

		if (c->type == XML_ELEMENT_NODE)
			return "";
		if (c->type != XML_TEXT_NODE || !c->content)
			continue;
		for (t = (const char *)c->content; isspace((unsigned char)*t); t++)
			;
		if (*t)
			return t;
	}
	return "";
}

static bool published_word(const char *t)
{
	static const char *const words[] = { "published", "posted on", "publiziert", "publicado",
					     "publi\xc3\xa9", "first published", NULL };
	size_t i;

	for (i = 0; words[i]; i++)
		if (!strncasecmp(t, words[i], strlen(words[i])))
			return true;
	return false;
}

/*
 * The text of 'n' normalised when it has at most 'max' bytes (before
 * normalising), else NULL: a short line's text without copying a whole
 * page's for every container whose class says "date" or "meta".
 */
static char *short_text(xmlNode *n, size_t max)
{
	xmlNode *d;
	size_t len = 0, nodes = 0;

	for (d = n->children; d; d = walk_next(d, n, true)) {
		if (d->type == XML_TEXT_NODE && d->content)
			len += strlen((const char *)d->content);
		if (len > 4 * max || ++nodes > 400)
			return NULL;
	}
	{
		char *t = node_text(n);

		if (strlen(t) > max) {
			free(t);
			return NULL;
		}
		return t;
	}
}

/* A date line right after a byline element ("By Carrie Arnold" then "November 15, 2019"). */
static void date_after(struct meta *m, const xmlNode *n)
{
	const xmlNode *s;
	int k = 0;

	for (s = n->next; s && k < 2; s = s->next) {
		char *t;

		if (s->type != XML_ELEMENT_NODE)
			continue;
		k++;
		if ((t = short_text((xmlNode *)s, 80)) != NULL)
			text_date(m, t, "text", R_ELEMENT + 1);
		free(t);
	}
}

static void meta_collect(struct meta *m, xmlNode *root)
{
	static const char *const byline_words[] = { "byline", "author", NULL };
	static const char *const date_words[] = { "date", "time", "publish", "posted", "dateline",
						  "byline", "meta", NULL };
	static const char *const kicker_words[] = { "kicker", "eyebrow", NULL };
	xmlNode *n;
	int nbyline_el = 0;

	for (n = root; n; n = walk_next(n, root, true)) {
		const char *v, *rel, *lead;
		char ci[512], *t;
		bool is_byline, by_text, dated;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_tag(n, "meta")) {
			meta_tag(m, n);
			continue;
		} else if (is_tag(n, "link")) {
			const char *lrel = attr(n, "rel"), *href = attr(n, "href");

			if (lrel && href && !strcasecmp(lrel, "canonical"))
				set_once(&m->canonical, href);
			continue;
		} else if (is_tag(n, "title")) {
			if (!m->title)
				m->title = node_text(n);
			continue;
		} else if (is_tag(n, "script")) {
			v = attr(n, "type");
			if (v && !strcasecmp(v, "application/ld+json"))
				meta_ld(m, n);
			continue;
		} else if (is_tag(n, "h1")) {
			if (!m->h1 || !*m->h1) {
				free(m->h1);
				m->h1 = node_text(n);
			}
		}
		if (is_tag(n, "body") || is_tag(n, "html") || is_tag(n, "style"))
			continue;
		if ((v = attr(n, "itemprop")) != NULL)
			microdata(m, n, v);
		class_id(n, ci, sizeof(ci));
		rel = attr(n, "rel");
		lead = lead_text(n);
		is_byline = nbyline_el < 3 && (any_of(ci, byline_words) || (rel && !strcasecmp(rel, "author")));
		by_text = (!strncmp(lead, "By", 2) || !strncmp(lead, "BY", 2)) &&
			  !is_letter_byte((unsigned char)lead[2]);
		dated = !m->c[M_DATE].v || m->c[M_DATE].rank > R_ELEMENT + 2;
		/* Only candidates pay for the walk up to the root and for their text. */
		if (!is_tag(n, "time") && !is_byline && !by_text && !(dated && any_of(ci, date_words)) &&
		    !(dated && published_word(lead)) && !(any_of(ci, kicker_words) && !m->c[M_KICKER].v))
			continue;
		if (in_comments(n))
			continue;
		if (is_tag(n, "time")) {
			bool updated = contains_ci(ci, "updated") || contains_ci(ci, "modified");

			if (contains_ci(ci, "publish"))
				updated = false;
			if ((v = attr(n, "datetime")) != NULL && !updated) {
				offer_date(m, M_DATE, v, "time", attr(n, "pubdate") ? R_TIME - 1 : R_TIME);
			} else if (!updated && (t = short_text(n, 160)) != NULL) {
				text_date(m, t, "time", R_TIME_TEXT);
				free(t);
			}
		}
		if (is_byline) {
			if ((t = short_text(n, 200)) != NULL && strlen(t) >= 3) {
				bool ra = rel && !strcasecmp(rel, "author");

				offer_byline(m, t, ra ? "rel-author" : "byline-element",
					     ra ? R_TIME + 1 : R_ELEMENT + nbyline_el);
				text_date(m, t, "text", R_ELEMENT);
				date_after(m, n);
				nbyline_el++;
			}
			free(t);
		} else if (dated && any_of(ci, date_words) && (t = short_text(n, 160)) != NULL) {
			/* Below the byline's own date: a "meta" line may date a quoted claim. */
			text_date(m, t, "text", R_ELEMENT + 2);
			free(t);
		}
		/* Text that says what it is: "By Name ...", "Published: ...". */
		if (by_text && (t = short_text(n, 160)) != NULL) {
			offer_byline(m, t, "text", R_TEXT);
			text_date(m, t, "text", R_ELEMENT);
			date_after(m, n);
			free(t);
		} else if (published_word(lead) && (t = short_text(n, 160)) != NULL) {
			text_date(m, t, "text", R_ELEMENT + 2);
			free(t);
		}
		if (any_of(ci, kicker_words) && !m->c[M_KICKER].v && (t = short_text(n, 40)) != NULL) {
			offer(m, M_KICKER, t, "kicker-element", R_ELEMENT, false);
			free(t);
		}
	}
	ld_apply(m);
}

/* Whether 'n' sits in a comment section or a form: bylines there are readers'. */
static bool in_comments(const xmlNode *n)
{
	char ci[512];

	for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
		if (is_tag(n, "form"))
			return true;
		class_id(n, ci, sizeof(ci));
		if (contains_ci(ci, "comment") || contains_ci(ci, "respond"))
			return true;
	}
	return false;
}

/* Letters and digits only, lower-cased: "The Verge" and "theverge.com" compare. */
static void squash(const char *s, char *out, size_t size)
{
	size_t o = 0;

	for (; *s && o + 1 < size; s++)
		if (isalnum((unsigned char)*s))
			out[o++] = (char)tolower((unsigned char)*s);
	out[o] = '\0';
}

/* Whether 'part' names the site: its name, or its domain without the TLD. */
static bool names_site(const char *part, const char *site, const char *domain)
{
	char p[256], s[256];

	squash(part, p, sizeof(p));
	if (!*p)
		return false;
	if (site) {
		squash(site, s, sizeof(s));
		if (*s && (strstr(p, s) || strstr(s, p)))
			return true;
	}
	if (domain) {
		char *d = xstrdup(domain), *dot = strrchr(d, '.');
		bool hit;

		if (dot)
			*dot = '\0';
		squash(d, s, sizeof(s));
		free(d);
		hit = *s && (strstr(p, s) || strstr(s, p));
		if (hit)
			return true;
	}
	return false;
}

static const char *const title_seps[] = { " | ", " - ", " \xe2\x80\x93 ", " \xe2\x80\x94 ",
					  " :: ", " \xc2\xb7 ", " // ", " \xc2\xbb ", NULL };

/* Cut " | Site" (or "Site | ") from a title when the cut part names the site. */
static void clean_title(char *t, const char *site, const char *domain)
{
	const char *const *sep;

	for (sep = title_seps; *sep; sep++) {
		char *last = NULL, *p = t;
		size_t sl = strlen(*sep);

		while ((p = strstr(p, *sep)) != NULL) {
			last = p;
			p += sl;
		}
		if (last && names_site(last + sl, site, domain)) {
			*last = '\0';
			return;
		}
		p = strstr(t, *sep);
		if (p) {
			*p = '\0';
			if (names_site(t, site, domain)) {
				memmove(t, p + sl, strlen(p + sl) + 1);
				return;
			}
			*p = (*sep)[0];
		}
	}
}

/* The length of a title separator at 's', or 0. */
static size_t title_sep_at(const char *s)
{
	const char *const *sep;

	for (sep = title_seps; *sep; sep++)
		if (!strncmp(s, *sep, strlen(*sep)))
			return strlen(*sep);
	return 0;
}

/*
 * The site's name from the <title> when nothing else gives it: what
 * follows the headline and a separator ("Headline - Site", the last part
 * of "Headline | Section | Site").
 */
static char *title_suffix(const char *title, const char *headline)
{
	size_t hl = headline ? strlen(headline) : 0, sl;
	const char *rest, *p, *last;

	if (!title || !hl || strncmp(title, headline, hl) || !(sl = title_sep_at(title + hl)))
		return NULL;
	rest = last = title + hl + sl;
	for (p = rest; *p; p++)
		if ((sl = title_sep_at(p)) != 0)
			last = p + sl;
	return *last && strlen(last) <= 60 ? xstrdup(last) : NULL;
}

static int cand_cmp(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;

	return (a->rank > b->rank) - (a->rank < b->rank);
}

/* The byline: the most trusted source that gives names ("admin" gives none). */
static void byline_apply(struct article *a, struct meta *m)
{
	static const char *const not_kickers[] = { "posted", "written", "story", "words", "reporting",
						   "report", "researched", "text", "photos", "video",
						   NULL };
	size_t i, k;

	/* qsort is not stable: the index breaks ties so the first found wins. */
	for (i = 0; i < m->nbylines; i++)
		m->bylines[i].rank = m->bylines[i].rank * 64 + (int)(i < 63 ? i : 63);
	if (m->nbylines)
		qsort(m->bylines, m->nbylines, sizeof(*m->bylines), cand_cmp);
	for (i = 0; i < m->nbylines && !a->nauthors; i++) {
		const char *raw = m->bylines[i].v, *by;
		struct buf b = { 0 };

		a->nauthors = byline_names(raw, a->outlet, a->domain, &a->authors);
		if (!a->nauthors) {
			free(a->authors);
			a->authors = NULL;
			continue;
		}
		for (k = 0; k < a->nauthors; k++) {
			if (k)
				buf_add(&b, k + 1 == a->nauthors ? " and " : ", ",
					k + 1 == a->nauthors ? 5 : 2);
			buf_add(&b, a->authors[k], strlen(a->authors[k]));
		}
		a->byline = b.s;
		a->found_by.byline = m->bylines[i].by;
		/* "Analysis by ...", "Opinion by ...": a label before the names. */
		by = strstr(raw, " by ");
		if (!by)
			by = strstr(raw, " By ");
		if (by && by > raw && by - raw <= 24 && !m->c[M_KICKER].v) {
			char *label = xstrndup(raw, (size_t)(by - raw));
			size_t pos;
			bool word = true;

			for (pos = 0; label[pos]; pos++)
				word = word && (is_letter_byte((unsigned char)label[pos]) || label[pos] == ' ');
			for (k = 0; word && not_kickers[k]; k++)
				if (!strcasecmp(label, not_kickers[k]))
					word = false;
			if (word && strchr(label, ' ') == strrchr(label, ' '))
				offer(m, M_KICKER, label, "byline-element", R_ELEMENT, false);
			free(label);
		}
	}
}

static void set_field(char **dst, const char **by, struct cand *c)
{
	*dst = c->v;
	*by = c->by;
	c->v = NULL;
}

static void meta_apply(struct article *a, struct meta *m)
{
	if (m->canonical && !strncasecmp(m->canonical, "http", 4))
		a->url = xstrdup(m->canonical);
	else if (m->og_url && !strncasecmp(m->og_url, "http", 4))
		a->url = xstrdup(m->og_url);
	else if (m->ld_url && !strncasecmp(m->ld_url, "http", 4))
		a->url = xstrdup(m->ld_url);
	a->domain = url_domain(a->url);

	if (m->og_title) {
		a->title = xstrdup(m->og_title);
		a->found_by.title = "meta";
	} else if (m->ld_headline) {
		a->title = xstrdup(m->ld_headline);
		a->found_by.title = "json-ld";
	} else if (m->title && m->h1 && *m->h1 && strstr(m->title, m->h1)) {
		a->title = xstrdup(m->h1);
		a->found_by.title = "h1";
	} else if (m->title && *m->title) {
		a->title = xstrdup(m->title);
		a->found_by.title = "title";
	} else if (m->h1 && *m->h1) {
		a->title = xstrdup(m->h1);
		a->found_by.title = "h1";
	}
	/* The page's headline followed by a short " | Editorial" or " - Site": the headline. */
	if (a->title && m->h1 && *m->h1 && strlen(m->h1) < strlen(a->title) &&
	    strlen(a->title) - strlen(m->h1) <= 48 &&
	    !strncmp(a->title, m->h1, strlen(m->h1)) && title_sep_at(a->title + strlen(m->h1))) {
		free(a->title);
		a->title = xstrdup(m->h1);
		a->found_by.title = "h1";
	}
	if (!m->c[M_SITE].v) {
		char *s = title_suffix(m->title, a->title);

		offer(m, M_SITE, s, "title-suffix", R_TEXT, true);
	}
	set_field(&a->outlet, &a->found_by.outlet, &m->c[M_SITE]);
	if (a->title)
		clean_title(a->title, a->outlet, a->domain);
	byline_apply(a, m);
	set_field(&a->published, &a->found_by.published, &m->c[M_DATE]);
	set_field(&a->modified, &a->found_by.modified, &m->c[M_MODIFIED]);
	set_field(&a->section, &a->found_by.section, &m->c[M_SECTION]);
	set_field(&a->genre, &a->found_by.genre, &m->c[M_GENRE]);
	set_field(&a->kicker, &a->found_by.kicker, &m->c[M_KICKER]);
}

/* ====== Body: cleaning ====== */

enum tag_flags {
	T_BLOCK = 1 << 0,  /* starts a new paragraph */
	T_DROP = 1 << 1,   /* never article text */
	T_PARA = 1 << 2,   /* a paragraph container that is scored as a whole */
};

struct tag_def {
	const char *name;
	unsigned flags;
	int weight; /* readability's initial candidate score by tag */
};

static const struct tag_def tags[] = {
	{ "p", T_BLOCK | T_PARA, 0 },
	{ "div", T_BLOCK, 5 },
	{ "article", T_BLOCK, 10 },
	{ "section", T_BLOCK, 0 },
	{ "main", T_BLOCK, 5 },
	{ "pre", T_BLOCK | T_PARA, 3 },
	{ "blockquote", T_BLOCK, 3 },
	{ "td", T_BLOCK | T_PARA, 3 },
	{ "th", T_BLOCK, -5 },
	{ "h1", T_BLOCK, -5 }, { "h2", T_BLOCK, -5 }, { "h3", T_BLOCK, -5 },
	{ "h4", T_BLOCK, -5 }, { "h5", T_BLOCK, -5 }, { "h6", T_BLOCK, -5 },
	{ "ul", T_BLOCK, -3 }, { "ol", T_BLOCK, -3 }, { "li", T_BLOCK, -3 },
	{ "dl", T_BLOCK, -3 }, { "dd", T_BLOCK, -3 }, { "dt", T_BLOCK, -3 },
	{ "address", T_BLOCK, -3 },
	{ "table", T_BLOCK, 0 }, { "tbody", T_BLOCK, 0 }, { "thead", T_BLOCK, 0 },
	{ "tfoot", T_BLOCK, 0 }, { "tr", T_BLOCK, 0 }, { "caption", T_BLOCK, 0 },
	{ "center", T_BLOCK, 0 }, { "details", T_BLOCK, 0 }, { "summary", T_BLOCK, 0 },
	{ "fieldset", T_BLOCK, 0 }, { "hr", T_BLOCK, 0 }, { "br", T_BLOCK, 0 },
	{ "body", T_BLOCK, 0 }, { "html", T_BLOCK, 0 }, { "form", T_BLOCK, -3 },
	{ "figure", T_BLOCK | T_DROP, 0 }, { "figcaption", T_BLOCK | T_DROP, 0 },
	{ "header", T_BLOCK | T_DROP, 0 }, { "footer", T_BLOCK | T_DROP, 0 },
	{ "nav", T_BLOCK | T_DROP, 0 }, { "aside", T_BLOCK | T_DROP, 0 },
	{ "script", T_DROP, 0 }, { "style", T_DROP, 0 }, { "noscript", T_DROP, 0 },
	{ "template", T_DROP, 0 }, { "iframe", T_DROP, 0 }, { "object", T_DROP, 0 },
	{ "embed", T_DROP, 0 }, { "svg", T_DROP, 0 }, { "math", T_DROP, 0 },
	{ "canvas", T_DROP, 0 }, { "button", T_DROP, 0 }, { "input", T_DROP, 0 },
	{ "select", T_DROP, 0 }, { "textarea", T_DROP, 0 }, { "option", T_DROP, 0 },
	{ "label", T_DROP, 0 }, { "dialog", T_BLOCK | T_DROP, 0 }, { "menu", T_BLOCK | T_DROP, 0 },
	{ "video", T_DROP, 0 }, { "audio", T_DROP, 0 }, { "map", T_DROP, 0 },
	{ "head", T_DROP, 0 }, { "title", T_DROP, 0 }, { "meta", T_DROP, 0 },
	{ "link", T_DROP, 0 }, { "picture", T_DROP, 0 }, { "source", T_DROP, 0 },
};

static const struct tag_def *tag_find(const xmlNode *n)
{
	size_t i;

	if (n->type != XML_ELEMENT_NODE || !n->name)
		return NULL;
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (!strcasecmp((const char *)n->name, tags[i].name))
			return &tags[i];
	return NULL;
}

static unsigned tag_flags(const xmlNode *n)
{
	const struct tag_def *t = tag_find(n);

	return t ? t->flags : 0;
}

/* Class and id words of boilerplate (after Readability's lists). */
static const char *const unlikely_words[] = {
	"-ad-", "ai2html", "banner", "breadcrumb", "combx", "comment", "community", "cover-wrap",
	"disqus", "extra", "footer", "gdpr", "header", "legends", "menu", "related", "remark",
	"replies", "rss", "shoutbox", "sidebar", "skyscraper", "social", "sponsor",
	"supplemental", "ad-break", "agegate", "pagination", "pager", "popup", "yom-remote",
	"share", "sharing", "cookie", "consent", "newsletter", "subscribe", "signup", "promo",
	"outbrain", "taboola", "recommend", "most-popular", "mostpopular", "trending",
	"read-more", "readmore", "print-only", "skip-link", "author-bio", "masthead", "byline",
	NULL,
};
static const char *const maybe_words[] = {
	"and", "article", "body", "column", "content", "main", "shadow", "story", NULL,
};
static const char *const positive_words[] = {
	"article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post",
	"text", "blog", "story", NULL,
};
static const char *const negative_words[] = {
	"-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "foot", "footnote",
	"gdpr", "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share",
	"shoutbox", "sidebar", "skyscraper", "sponsor", "shopping", "tags", "tool", "widget",
	"byline", "caption", "credit", "newsletter", "subscribe", NULL,
};
static const char *const unlikely_roles[] = {
	"menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog",
	"banner", "contentinfo", NULL,
};

static int class_weight(const xmlNode *n)
{
	const char *c = attr(n, "class"), *i = attr(n, "id");
	int w = 0;

	if (c && any_of(c, negative_words))
		w -= 25;
	if (c && any_of(c, positive_words))
		w += 25;
	if (i && any_of(i, negative_words))
		w -= 25;
	if (i && any_of(i, positive_words))
		w += 25;
	return w;
}

static bool hidden(const xmlNode *n)
{
	const char *s = attr(n, "style");
	char sq[256];

	if (attr(n, "hidden"))
		return true;
	if (!s)
		return false;
	squash(s, sq, sizeof(sq));
	return strstr(sq, "displaynone") || strstr(sq, "visibilityhidden");
}

/* Whether to drop 'n' and everything under it before scoring. */
static bool drop_node(const xmlNode *n, bool strip_unlikely)
{
	const char *role;
	char ci[512];

	if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE || n->type == XML_DTD_NODE)
		return true;
	if (n->type != XML_ELEMENT_NODE)
		return false;
	if (is_tag(n, "body") || is_tag(n, "html"))
		return false;
	if (tag_flags(n) & T_DROP)
		return true;
	if (hidden(n))
		return true;
	if (!strip_unlikely)
		return false;
	role = attr(n, "role");
	if (role && any_of(role, unlikely_roles) && strcasecmp(role, "main") != 0)
		return true;
	if (is_tag(n, "a") || is_tag(n, "article") || is_tag(n, "main"))
		return false;
	class_id(n, ci, sizeof(ci));
	return any_of(ci, unlikely_words) && !any_of(ci, maybe_words);
}

/* ====== Body: scoring ====== */

struct ninfo {
	size_t text;        /* characters of text under the node (space runs count once) */
	size_t own;         /* of those, outside any block-level descendant */
	size_t link;        /* inside links */
	unsigned commas, own_commas;
	double score;
	bool candidate;
};

static struct ninfo *info(const xmlNode *n)
{
	return n && n->type == XML_ELEMENT_NODE ? n->_private : NULL;
}

static void measure(const char *s, size_t *chars, unsigned *commas)
{
	size_t len = strlen(s), i = 0;
	bool sp = true;

	while (i < len) {
		bool drop;
		size_t k = space_at(s + i, len - i, &drop);

		if (k) {
			if (!drop && !sp)
				(*chars)++;
			sp = sp || !drop;
			i += k;
			continue;
		}
		if (s[i] == ',')
			(*commas)++;
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			(*chars)++;
		sp = false;
		i++;
	}
}

static double link_density(const xmlNode *n)
{
	const struct ninfo *in = info(n);

	return in && in->text ? (double)in->link / (double)in->text : 0;
}

struct body {
	xmlNode **els;      /* elements in document order */
	size_t nels;
	struct ninfo *inf;
	bool weights;       /* use class weights */
};

/* Measure every element bottom-up: the reverse of document order visits children first. */
static void body_measure(struct body *b, xmlNode *root)
{
	xmlNode *n;
	size_t i, cap = 0;

	for (n = root; n; n = walk_next(n, root, true)) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		xgrow(&b->els, &cap, b->nels + 1, sizeof(*b->els));
		b->els[b->nels++] = n;
	}
	b->inf = xcalloc(b->nels ? b->nels : 1, sizeof(*b->inf));
	for (i = 0; i < b->nels; i++)
		b->els[i]->_private = &b->inf[i];
	for (i = b->nels; i-- > 0;) {
		xmlNode *e = b->els[i], *c;
		struct ninfo *in = &b->inf[i], *pin;

		for (c = e->children; c; c = c->next) {
			if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
				size_t ch = 0;
				unsigned co = 0;

				measure(c->content ? (const char *)c->content : "", &ch, &co);
				in->text += ch, in->own += ch;
				in->commas += co, in->own_commas += co;
			}
		}
		if (is_tag(e, "a"))
			in->link = in->text;
		pin = info(e->parent);
		if (!pin)
			continue;
		pin->text += in->text;
		pin->link += in->link;
		pin->commas += in->commas;
		if (!(tag_flags(e) & T_BLOCK)) {
			pin->own += in->own;
			pin->own_commas += in->own_commas;
		}
	}
}

static void candidate_init(struct body *b, xmlNode *n)
{
	struct ninfo *in = info(n);
	const struct tag_def *t;

	if (!in || in->candidate)
		return;
	in->candidate = true;
	t = tag_find(n);
	in->score = t ? t->weight : 0;
	if (b->weights)
		in->score += class_weight(n);
}

/* Each paragraph gives points to its ancestors (Readability's _grabArticle). */
static void body_score(struct body *b)
{
	size_t i;

	for (i = 0; i < b->nels; i++) {
		xmlNode *e = b->els[i], *anc;
		struct ninfo *in = &b->inf[i];
		unsigned flags = tag_flags(e);
		size_t len;
		unsigned commas;
		double s;
		int level;

		/* A paragraph: a <p>-like element, or a block's own run of inline text. */
		if (flags & T_PARA) {
			len = in->text, commas = in->commas;
		} else if (flags & T_BLOCK) {
			len = in->own, commas = in->own_commas;
		} else {
			continue;
		}
		if (len < 25)
			continue;
		s = 1 + commas + (len / 100 < 3 ? (double)(len / 100) : 3);
		if (!(flags & T_PARA)) {
			/* The block holds its own text: it is both the paragraph and a candidate. */
			candidate_init(b, e);
			info(e)->score += s;
		}
		for (anc = e->parent, level = 0; anc && info(anc) && level < 5;
		     anc = anc->parent, level++) {
			candidate_init(b, anc);
			info(anc)->score += s / (level == 0 ? 1 : level == 1 ? 2 : level * 3);
		}
	}
}

static xmlNode *body_top(struct body *b)
{
	xmlNode *top = NULL, *p;
	double best = 0;
	size_t i;

	for (i = 0; i < b->nels; i++) {
		struct ninfo *in = &b->inf[i];

		if (!in->candidate)
			continue;
		in->score *= 1 - link_density(b->els[i]);
		if (!top || in->score > best) {
			top = b->els[i];
			best = in->score;
		}
	}
	if (!top)
		return NULL;
	/* A lone child says nothing its parent does not: climb while it is alone. */
	for (p = top->parent; p && info(p) && !is_tag(p, "body") && !is_tag(p, "html");
	     p = p->parent) {
		xmlNode *c;
		int elems = 0;

		for (c = p->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE || (c->type == XML_TEXT_NODE && info(p)->own > 0))
				elems++;
		if (elems != 1)
			break;
		top = p;
	}
	/* When the parent scores better, the article spans more than the top. */
	for (p = top->parent; p && info(p) && info(p)->candidate && !is_tag(p, "body") &&
	     !is_tag(p, "html");
	     p = p->parent) {
		if (info(p)->score < best / 3)
			break;
		if (info(p)->score > best) {
			top = p;
			best = info(p)->score;
		}
	}
	return top;
}

/* Whether the sibling 's' of the top candidate belongs to the article too. */
static bool sibling_joins(const xmlNode *s, const xmlNode *top)
{
	const struct ninfo *in = info(s), *tin = info(top);
	double threshold, score;
	const char *sc = attr(s, "class"), *tc = attr(top, "class");

	if (!in)
		return false;
	threshold = tin->score * 0.2 > 10 ? tin->score * 0.2 : 10;
	score = in->candidate ? in->score : 0;
	if (sc && tc && *tc && !strcmp(sc, tc))
		score += tin->score * 0.2;
	if (score >= threshold)
		return true;
	if (is_tag(s, "p")) {
		double ld = link_density(s);

		if (in->text > 80 && ld < 0.25)
			return true;
		if (in->text > 0 && in->text <= 80 && ld == 0) {
			xmlChar *c = xmlNodeGetContent(s);
			bool end = c && strstr((const char *)c, ". ");

			if (c) {
				size_t l = strlen((const char *)c);

				end = end || (l && c[l - 1] == '.');
			}
			xmlFree(c);
			return end;
		}
	}
	return false;
}

/* ====== Body: output ====== */

struct out {
	struct article *a;
	struct buf cur;      /* the paragraph being gathered */
	size_t cur_link;     /* bytes of it inside links */
	int in_link;
};

static void flush(struct out *o)
{
	if (o->cur.len) {
		/* A paragraph that is mostly link text is navigation, not article. */
		if (o->cur_link * 2 <= o->cur.len)
			article_add_para(o->a, o->cur.s, o->cur.len);
		o->cur.len = 0;
		o->cur.s[0] = '\0';
	}
	o->cur_link = 0;
}

/* Whether to leave out a container inside the chosen body (Readability's clean-up). */
static bool skip_conditionally(const xmlNode *n, bool weights)
{
	const struct ninfo *in = info(n);
	double ld;

	if (!in)
		return false;
	if (is_tag(n, "form") && in->text < 500)
		return true;
	if (!(is_tag(n, "div") || is_tag(n, "section") || is_tag(n, "ul") || is_tag(n, "ol") ||
	      is_tag(n, "table") || is_tag(n, "dl")))
		return false;
	ld = link_density(n);
	if (weights && class_weight(n) < 0 && in->text < 1000)
		return true;
	if (ld > 0.5 && in->text > 0)
		return true;
	return false;
}

static void emit_tree(struct out *o, xmlNode *root, bool weights)
{
	xmlNode *n = root;

	while (n) {
		bool descend = true;

		if (n->type == XML_ELEMENT_NODE) {
			unsigned flags = tag_flags(n);

			if (flags & T_BLOCK)
				flush(o);
			if (n != root && skip_conditionally(n, weights))
				descend = false;
			else if (is_tag(n, "a"))
				o->in_link++;
		} else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			const char *t = n->content ? (const char *)n->content : "";
			size_t l = strlen(t);

			buf_add(&o->cur, t, l);
			if (o->in_link)
				o->cur_link += l;
		}
		if (descend && n->children) {
			n = n->children;
			continue;
		}
		/* Leave 'n' and every ancestor that has no next sibling. */
		for (;;) {
			if (n->type == XML_ELEMENT_NODE) {
				if (is_tag(n, "a") && descend && o->in_link)
					o->in_link--;
				if (tag_flags(n) & T_BLOCK)
					flush(o);
			}
			if (n == root) {
				n = NULL;
				break;
			}
			if (n->next) {
				n = n->next;
				break;
			}
			n = n->parent;
			descend = true;
		}
	}
	flush(o);
}

/* Unlink what cannot be article text. */
static void body_clean(xmlNode *root, bool strip_unlikely)
{
	xmlNode *n = root;

	while (n) {
		if (n != root && drop_node(n, strip_unlikely)) {
			xmlNode *next = walk_next(n, root, false);

			xmlUnlinkNode(n);
			xmlFreeNode(n);
			n = next;
			continue;
		}
		n = walk_next(n, root, true);
	}
}

/* The deepest element nesting in the document. */
static unsigned doc_depth(xmlDoc *doc)
{
	xmlNode *root = (xmlNode *)doc, *n = root;
	unsigned depth = 0, max = 0;

	while (n) {
		if (n->children) {
			n = n->children;
			if (++depth > max)
				max = depth;
			continue;
		}
		while (n != root && !n->next) {
			n = n->parent;
			depth--;
		}
		n = n != root ? n->next : NULL;
	}
	return max;
}

/* ====== Body: page furniture left between the paragraphs ====== */

/*
 * Lines that are the page talking about itself, never the article: ad
 * slots, counters, share and comment prompts, related-link labels. A
 * paragraph that is one of these (case ignored, trailing punctuation
 * allowed) is dropped.
 */
static const char *const furniture_lines[] = {
	"advertisement", "advert", "ad", "ads", "sponsored", "sponsored content", "iklan", "anzeige",
	"publicidad", "publicit\xc3\xa9", "pubblicit\xc3\xa0", "\xe3\x82\xb9\xe3\x83\x9d\xe3\x83\xb3\xe3\x82\xb5\xe3\x83\xbc\xe3\x83\x89\xe3\x83\xaa\xe3\x83\xb3\xe3\x82\xaf",
	"continue reading below", "story continues below", "article continues below",
	"story continues below advertisement", "comments", "comment", "view comments",
	"show comments", "leave a comment", "sharing is caring", "share", "share this",
	"share this article", "share this story", "share this:", "like this story? share it with a friend",
	"tell us what you think", "more", "more:", "related", "related:", "related articles",
	"related stories", "related coverage", "read more", "read more:", "read next", "you may also like",
	"you might also like", "don't miss", "recommended", "recommended for you", "most popular",
	"this slideshow requires javascript", "\xe9\x96\xa2\xe9\x80\xa3\xe8\xa8\x98\xe4\xba\x8b",
	NULL,
};

/* Paragraph openings of trailers, credits and prompts (a word boundary after them). */
static const char *const furniture_starts[] = {
	"related:", "read more:", "read also:", "also read:", "see also:", "more:", "watch:",
	"filed under:", "citation:", "copyright \xc2\xa9", "copyright (c)", "copyright @", "copyright 19",
	"copyright 20", "all rights reserved", "this document is subject to copyright",
	"the contents of this site are", "this article has been adapted from its original source",
	"this article originally appeared", "sign up for our", "sign up to our", "subscribe to our",
	"subscribe to the", "get the latest updates", "follow us on", "like this story",
	"(graphic:", "(photo:", "(video:", "(image:", "image copyright", "photo credit:", "credit:",
	"letters to the editor should", "letters to the editor must", "letters to the editor may",
	"have a tip?", NULL,
};

static bool word_end(const char *s, size_t l)
{
	return !s[l] || !is_letter_byte((unsigned char)s[l]) || !is_letter_byte((unsigned char)s[l - 1]);
}

/* "Image 1 of 23", "Image 1 of / 23", "1 of 6", "3/9", "12 Comments", "2 min read" */
static bool counter_line(const char *p)
{
	static const char *const heads[] = { "image", "photo", "picture", "slide", "foto", "bild", NULL };
	static const char *const tails[] = { "comments", "comment", "min read", "minute read", "shares",
					     NULL };
	const char *q = p;
	size_t i;

	for (i = 0; heads[i]; i++)
		if (!strncasecmp(q, heads[i], strlen(heads[i])) && q[strlen(heads[i])] == ' ') {
			q += strlen(heads[i]) + 1;
			break;
		}
	if (!isdigit((unsigned char)*q))
		return false;
	while (isdigit((unsigned char)*q))
		q++;
	while (*q == ' ')
		q++;
	for (i = 0; tails[i]; i++)
		if (!strcasecmp(q, tails[i]))
			return true;
	if (!strncasecmp(q, "of", 2))
		q += 2;
	else if (*q == '/')
		q++;
	else
		return false;
	while (*q == ' ' || *q == '/')
		q++;
	if (!isdigit((unsigned char)*q))
		return false;
	while (isdigit((unsigned char)*q))
		q++;
	return !*q;
}

/*
 * A date line: one date with a time or a "Published"/"Updated" word, and
 * nothing else but words that go with one ("Updated 1:39 am EST,
 * Wednesday, November 20, 2019", "Published November 20th, 2019 - 07:29
 * GMT"). "29 November 2018 | 20 January 2019" is a fact of the article.
 */
static bool date_line(const char *p)
{
	static const char *const glue[] = {
		"updated", "published", "posted", "last", "modified", "on", "at", "am", "pm", "a.m",
		"p.m", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "gmt", "utc", "bst",
		"cet", "cest", "et", "pt", "ct", "ist", "monday", "tuesday", "wednesday", "thursday",
		"friday", "saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "st",
		"nd", "rd", "th", "de", "\xc3\xa0s", "um", "feira", "segunda", "ter\xc3\xa7" "a", "quarta",
		"quinta", "sexta", "s\xc3\xa1" "bado", "domingo", NULL,
	};
	char *d;
	size_t i = 0, ws, at;
	bool dated;

	if (strlen(p) > 90)
		return false;
	d = extract_text_date(p, &at);
	/* a time with it (a 'T' in the ISO form), or a word saying what the date is */
	dated = d && (strchr(d, 'T') || contains_ci(p, "updated") || contains_ci(p, "published") ||
		      contains_ci(p, "posted"));
	free(d);
	if (!dated)
		return false;
	d = extract_text_date(p + at + 4, NULL);
	if (d) {
		free(d);
		return false;
	}
	while (p[i]) {
		if (!is_letter_byte((unsigned char)p[i])) {
			i++;
			continue;
		}
		ws = i;
		while (is_letter_byte((unsigned char)p[i]) || p[i] == '.')
			i++;
		{
			size_t n = i - ws, k;
			bool ok = false;

			while (n && p[ws + n - 1] == '.')
				n--;
			for (k = 0; glue[k] && !ok; k++)
				ok = strlen(glue[k]) == n && !strncasecmp(p + ws, glue[k], n);
			if (!ok) {
				char *m = xstrndup(p + ws, n);
				char *md = xasprintf("%s 1, 2000", m);
				char *r = extract_text_date(md, NULL);

				ok = r != NULL;
				free(r), free(md), free(m);
			}
			if (!ok)
				return false;
		}
	}
	return true;
}

/*
 * A byline line left in the body: short, dated, not a sentence (no full
 * stop but "a.m."), and naming an author or starting "By"/"Posted": "Chris
 * Davies - Nov 19, 2019, 10:31 pm CST". "The bill was signed by the
 * governor on March 3, 2020." is a sentence.
 */
static bool byline_line(const struct article *a, const char *p)
{
	char *d;
	size_t i, l = strlen(p);
	bool hit = false;

	if (l > 120 || !l || (p[l - 1] == '.' && !(l >= 4 && (!strcasecmp(p + l - 4, "a.m.") ||
								  !strcasecmp(p + l - 4, "p.m.")))) ||
	    !(d = extract_text_date(p, NULL)))
		return false;
	free(d);
	for (i = 0; i < a->nauthors && !hit; i++)
		hit = strstr(p, a->authors[i]) != NULL;
	return hit || !strncasecmp(p, "by ", 3) || !strncasecmp(p, "posted ", 7);
}

/* A caption ending in its credit: "... (Image: GETTY )", or a short line holding a ©. */
static bool credit_line(const char *p)
{
	static const char *const credit_tags[] = { "(image:", "(photo:", "(picture:", "(credit:", "(pic:",
					    "(photo by", "(image by", NULL };
	size_t l = strlen(p), i;
	const char *open = strrchr(p, '(');

	if (l && p[l - 1] == ')' && open && (size_t)(p + l - open) <= 60)
		for (i = 0; credit_tags[i]; i++)
			if (!strncasecmp(open, credit_tags[i], strlen(credit_tags[i])))
				return true;
	return l <= 200 && strstr(p, "\xc2\xa9") != NULL;
}

static bool furniture(const struct article *a, const char *p)
{
	char low[96];
	size_t i, l = strlen(p);

	if (l < sizeof(low)) {
		/* Trailing punctuation and blanks do not count: "Sharing is caring!", "More:" */
		while (l && strchr(" .!\xe2\x80\xa6", p[l - 1]))
			l--;
		for (i = 0; i < l; i++)
			low[i] = (char)tolower((unsigned char)p[i]);
		low[l] = '\0';
		for (i = 0; furniture_lines[i]; i++)
			if (!strcmp(low, furniture_lines[i]))
				return true;
	}
	/* Openings mark furniture in short paragraphs only: a long one is the article's. */
	for (i = 0; furniture_starts[i] && strlen(p) <= 300; i++) {
		size_t n = strlen(furniture_starts[i]);

		if (!strncasecmp(p, furniture_starts[i], n) && word_end(p, n))
			return true;
	}
	return counter_line(p) || date_line(p) || byline_line(a, p) || credit_line(p);
}

/*
 * Drop furniture paragraphs, and near the top the headline again (the <h1>
 * when the title came from elsewhere).
 */
static void drop_furniture(struct article *a, const char *h1)
{
	size_t i, k = 0;

	for (i = 0; i < a->npara; i++) {
		bool head = i < 4 && ((a->title && !strcmp(a->paras[i], a->title)) ||
				      (h1 && !strcmp(a->paras[i], h1)));

		if (head || furniture(a, a->paras[i]))
			free(a->paras[i]);
		else
			a->paras[k++] = a->paras[i];
	}
	a->npara = k;
}

/* Drop paragraphs before the body that repeat the title. */
static void drop_title_para(struct article *a)
{
	if (a->npara && a->title && !strcmp(a->paras[0], a->title)) {
		free(a->paras[0]);
		memmove(a->paras, a->paras + 1, (a->npara - 1) * sizeof(*a->paras));
		a->npara--;
	}
}

static size_t body_chars(const struct article *a)
{
	size_t i, n = 0;

	for (i = 0; i < a->npara; i++)
		n += strlen(a->paras[i]);
	return n;
}

static xmlNode *find_body(xmlDoc *doc)
{
	xmlNode *root = xmlDocGetRootElement(doc), *n;

	for (n = root; n; n = walk_next(n, root, true))
		if (is_tag(n, "body"))
			return n;
	return root;
}

/* One extraction attempt over a fresh parse; 'strict' strips likely boilerplate. */
static void body_extract(struct article *a, xmlDoc *doc, bool strict)
{
	struct body b = { 0 };
	struct out o = { 0 };
	xmlNode *root = find_body(doc), *top, *parent, *s;

	if (!root)
		return;
	body_clean(root, strict);
	b.weights = strict;
	body_measure(&b, root);
	body_score(&b);
	top = body_top(&b);
	o.a = a;
	if (!top) {
		emit_tree(&o, root, strict);
	} else {
		parent = top->parent;
		if (!parent || !info(parent) || is_tag(top, "body")) {
			emit_tree(&o, top, strict);
		} else {
			for (s = parent->children; s; s = s->next) {
				if (s == top || (s->type == XML_ELEMENT_NODE && sibling_joins(s, top)))
					emit_tree(&o, s, strict);
			}
		}
	}
	free(o.cur.s);
	free(b.els);
	free(b.inf);
}

static xmlDoc *parse(const char *html, size_t len)
{
	int opts = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
		   HTML_PARSE_RECOVER;
	const char *enc = NULL;

	if (len > INT32_MAX)
		len = INT32_MAX;
	/* Bytes that are valid UTF-8 are UTF-8, whatever a stale meta tag claims. */
	if (utf8_valid(html, len)) {
		enc = "UTF-8";
		opts |= HTML_PARSE_IGNORE_ENC;
	}
	return htmlReadMemory(html, (int)len, NULL, enc, opts);
}

/*
 * Where a DOCTYPE's internal subset ("<!DOCTYPE x [ ... ]>") lies, if the
 * page has one. HTML has no use for one; the HTML parser would show its
 * entity declarations as text, and an entity bomb lives there.
 */
static bool dtd_subset(const char *s, size_t len, size_t *start, size_t *end)
{
	size_t i, n = len < 4096 ? len : 4096;

	for (i = 0; i + 9 <= n; i++)
		if (!strncasecmp(s + i, "<!doctype", 9))
			break;
	if (i + 9 > n)
		return false;
	for (i += 9; i < len && s[i] != '>' && s[i] != '['; i++)
		;
	if (i == len || s[i] != '[')
		return false;
	*start = i;
	for (; i < len; i++) {
		if (s[i] == ']') {
			size_t j = i + 1;

			while (j < len && isspace((unsigned char)s[j]))
				j++;
			if (j < len && s[j] == '>') {
				*end = i + 1;
				return true;
			}
		}
	}
	*end = len;
	return true;
}

static void free_paras(struct article *a)
{
	size_t i;

	for (i = 0; i < a->npara; i++)
		free(a->paras[i]);
	a->npara = 0;
}

int extract_html(struct article *a, const char *html, size_t len)
{
	struct meta m = { 0 };
	char *copy = NULL;
	size_t ds, de;
	xmlDoc *doc;

	if (dtd_subset(html, len, &ds, &de)) {
		copy = xmalloc(len + 1);
		memcpy(copy, html, len);
		memset(copy + ds, ' ', de - ds);
		html = copy;
		a->dtd_subset = true;
	}
	doc = parse(html, len);
	if (!doc) {
		free(copy);
		return -1;
	}
	a->max_depth = doc_depth(doc);
	meta_collect(&m, (xmlNode *)doc);
	meta_apply(a, &m);
	body_extract(a, doc, true);
	xmlFreeDoc(doc);
	drop_title_para(a);
	/* Too little text: the clean-up was too eager; try again without class rules. */
	if (body_chars(a) < 250) {
		struct article b = ARTICLE_INIT;

		doc = parse(html, len);
		if (doc) {
			b.title = a->title;
			body_extract(&b, doc, false);
			xmlFreeDoc(doc);
			drop_title_para(&b);
			if (body_chars(&b) > body_chars(a)) {
				free_paras(a);
				free(a->paras);
				a->paras = b.paras, a->npara = b.npara, a->cappara = b.cappara;
				b.paras = NULL, b.npara = 0;
			}
			b.title = NULL;
			article_release(&b);
		}
	}
	drop_furniture(a, m.h1);
	/* The page's own structured copy of the body, when the markup gave too little. */
	if (m.ld_body && body_chars(a) * 2 < strlen(m.ld_body)) {
		struct article t = ARTICLE_INIT;
		/* extract_text() reads a title line first: give it a dummy one. */
		char *s = xasprintf("-\n%s", m.ld_body);

		extract_text(&t, s, strlen(s), true);
		free(s);
		free_paras(a);
		free(a->paras);
		a->paras = t.paras, a->npara = t.npara, a->cappara = t.cappara;
		t.paras = NULL, t.npara = 0;
		article_release(&t);
	}
	meta_release(&m);
	free(copy);
	return 0;
}
