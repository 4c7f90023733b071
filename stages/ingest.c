/*
 * ingest.c -- slant-ingest: files, directories or standard input in, one
 * article record per article out (docs/ingest.md, docs/stream.md).
 *
 * Input that cannot become an article (unreadable, binary, empty, a bad JSON
 * line) becomes an error record, so that it reaches the database, and the
 * program exits 1 at the end. Input that can be saved with a loss (invalid
 * UTF-8, too long) becomes an article carrying the loss in its 'errors'.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "slant/extract.h"
#include "slant/hash.h"
#include "slant/input.h"
#include "slant/line.h"
#include "slant/rec.h"
#include "slant/stage.h"
#include "slant/usage.h"
#include "slant/utf8.h"

enum in_type { IN_UNKNOWN, IN_HTML, IN_TEXT, IN_JSONL };

static const char *const type_names[] = { "unknown", "html", "text", "jsonl" };

/* Directories deeper than this are not entered (a guard against loops). */
enum { MAX_DIR_DEPTH = 64 };

struct ingest {
	size_t max_text;        /* longest 'text' kept (ingest.max_text) */
	bool follow_links;      /* --follow-links: read links in a tree that point out of it */
	char *root;             /* the real path of the directory operand being read */
};

enum { OPT_FOLLOW_LINKS = 0x2200 };

static const struct option ingest_options[] = {
	{ "follow-links", no_argument, NULL, OPT_FOLLOW_LINKS },
	{ 0 },
};

/* Options come before setup: the state is made on first use. */
static struct ingest *state(struct stage_ctx *ctx)
{
	if (!ctx->data)
		ctx->data = xcalloc(1, sizeof(struct ingest));
	return ctx->data;
}

/* Problems an article carries: printed as warnings, kept in its 'errors'. */
struct notes {
	char *msg[8];
	size_t n;
};

/* ====== Messages and error records ====== */

static void note(struct notes *nt, const char *name, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void note(struct notes *nt, const char *name, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		warning("%s:%lu: %s", name, line, msg);
	else
		warning("'%s': %s", name, msg);
	if (nt->n < sizeof(nt->msg) / sizeof(nt->msg[0]))
		nt->msg[nt->n++] = xstrdup(msg);
}

static void notes_release(struct notes *nt)
{
	size_t i;

	for (i = 0; i < nt->n; i++)
		free(nt->msg[i]);
	nt->n = 0;
}

/* Pass on an error record for input that cannot be an article (already reported). */
static void error_record(struct stage_ctx *ctx, const char *name, unsigned long line,
			 const char *raw, size_t rawlen, const char *msg)
{
	json_t *rec = rec_error_record("ingest", name, line, msg, raw ? raw : "", raw ? rawlen : 0);

	stage_emit(ctx, rec);
	json_decref(rec);
	ctx->nrejected++;
}

/* Report input that cannot be an article and pass an error record on for it. */
static void reject(struct stage_ctx *ctx, const char *name, unsigned long line, const char *raw,
		   size_t rawlen, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void reject(struct stage_ctx *ctx, const char *name, unsigned long line, const char *raw,
		   size_t rawlen, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		error_at(name, line, "%s", msg);
	else if (!strncmp(msg, "cannot ", 7))
		error("%s", msg);
	else
		error("'%s': %s", name, msg);
	error_record(ctx, name, line, raw, rawlen, msg);
}

/* ====== Building the record ====== */

static void set_str(json_t *o, const char *key, const char *v)
{
	if (v && *v)
		json_object_set_new(o, key, json_string(v));
}

/* Cut 's' to at most 'max' bytes, not inside a UTF-8 character; returns the new length. */
static size_t cut_utf8(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	len = max;
	while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
		len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return len;
}

static size_t strip_bidi(char *s)
{
	size_t len = s ? strlen(s) : 0;

	return len ? utf8_strip_bidi(s, &len) : 0;
}

/*
 * Bidirectional embedding, override and isolate controls are removed from
 * every field: they are invisible yet reorder what a reader sees, and one
 * inside a word ("re<U+2066>gime") hides it from the lexicons. News text
 * does not need them: the Unicode algorithm orders Arabic or Hebrew alone.
 */
static void remove_bidi(struct article *a, const char *name, unsigned long line,
			struct notes *nt)
{
	size_t n = strip_bidi(a->title) + strip_bidi(a->byline) + strip_bidi(a->outlet) +
		   strip_bidi(a->section) + strip_bidi(a->genre) + strip_bidi(a->kicker), i, k = 0;

	for (i = 0; i < a->npara; i++) {
		n += strip_bidi(a->paras[i]);
		/* Paragraphs are never empty. */
		if (*a->paras[i])
			a->paras[k++] = a->paras[i];
		else
			free(a->paras[i]);
	}
	a->npara = k;
	if (a->title && !*a->title) {
		free(a->title);
		a->title = NULL;
	}
	/* The authors come from the byline: counted there. */
	for (i = 0; i < a->nauthors; i++)
		strip_bidi(a->authors[i]);
	if (n)
		note(nt, name, line,
		     "%zu bidirectional control characters removed (U+202A-202E, U+2066-2069)", n);
}

/* Where each metadata value came from: {"title": "meta", "published": "json-ld", ...}. */
static void found_by(json_t *rec, const struct article *a)
{
	const struct {
		const char *key, *by;
		const void *value;
	} f[] = {
		{ "title", a->found_by.title, a->title },
		{ "outlet", a->found_by.outlet, a->outlet },
		{ "byline", a->found_by.byline, a->byline },
		{ "published", a->found_by.published, a->published },
		{ "modified", a->found_by.modified, a->modified },
		{ "section", a->found_by.section, a->section },
		{ "genre", a->found_by.genre, a->genre },
		{ "kicker", a->found_by.kicker, a->kicker },
	};
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i].by && f[i].value)
			json_object_set_new(o, f[i].key, json_string(f[i].by));
	if (json_object_size(o))
		json_object_set_new(rec, "found_by", o);
	else
		json_decref(o);
}

/* Make and pass on the record for article 'a'. */
static void emit_article(struct stage_ctx *ctx, struct article *a, const char *name,
			 enum in_type type, unsigned long line, struct notes *nt, bool truncated)
{
	struct ingest *in = ctx->data;
	size_t blen, tlen, titlelen, i;
	char *body, *text, hex[65], *id;
	json_t *rec, *src, *o;

	remove_bidi(a, name, line, nt);
	body = article_body(a, &blen);

	/* Without a title the first paragraph is the headline: text starts with it. */
	if (!a->title && a->npara) {
		a->title = a->paras[0];
		memmove(a->paras, a->paras + 1, --a->npara * sizeof(*a->paras));
		free(body);
		body = article_body(a, &blen);
	}
	titlelen = a->title ? strlen(a->title) : 0;
	text = xmalloc(titlelen + 2 + blen + 1);
	memcpy(text, a->title ? a->title : "", titlelen);
	tlen = titlelen;
	if (blen) {
		memcpy(text + tlen, "\n\n", 2);
		memcpy(text + tlen + 2, body, blen);
		tlen += 2 + blen;
	}
	text[tlen] = '\0';
	free(body);
	if (tlen > in->max_text) {
		tlen = cut_utf8(text, tlen, in->max_text);
		text[tlen] = '\0';
		if (titlelen > tlen)
			titlelen = tlen;
		note(nt, name, line, "text cut to %zu bytes (limit %zu)", tlen, in->max_text);
		truncated = true;
	}

	if (a->url)
		sha256_hex_of(a->url, strlen(a->url), hex);
	else
		sha256_hex_of(text, tlen, hex);
	id = xasprintf("%c-%.16s", a->url ? 'u' : 'c', hex);
	rec = rec_new(id);
	free(id);
	src = json_object();
	json_object_set_new(src, "path", json_string(name));
	json_object_set_new(src, "type", json_string(type_names[type]));
	if (line)
		json_object_set_new(src, "line", json_integer((json_int_t)line));
	json_object_set_new(rec, "source", src);
	set_str(rec, "url", a->url);
	if (a->outlet || a->domain) {
		o = json_object();
		set_str(o, "name", a->outlet);
		set_str(o, "domain", a->domain);
		json_object_set_new(rec, "outlet", o);
	}
	/* The title as it stands at the head of the (possibly cut) text. */
	json_object_set_new(rec, "title", json_stringn(text, titlelen));
	set_str(rec, "byline", a->byline);
	if (a->nauthors) {
		o = json_array();
		for (i = 0; i < a->nauthors; i++)
			json_array_append_new(o, json_string(a->authors[i]));
		json_object_set_new(rec, "authors", o);
	}
	set_str(rec, "published", a->published);
	set_str(rec, "modified", a->modified);
	set_str(rec, "section", a->section);
	set_str(rec, "genre", a->genre);
	set_str(rec, "kicker", a->kicker);
	found_by(rec, a);
	json_object_set_new(rec, "text", json_stringn(text, tlen));
	if (truncated)
		json_object_set_new(rec, "truncated", json_true());
	for (i = 0; i < nt->n; i++)
		rec_add_error(rec, "ingest", nt->msg[i], line);
	rec_mark_stage(rec, "ingest");
	stage_emit(ctx, rec);
	json_decref(rec);
	free(text);
}

/* ====== Decoding text ====== */

/* Windows-1252 for 0x80-0x9F; 0 marks the five bytes it leaves undefined. */
static const uint16_t cp1252[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/*
 * Text as valid UTF-8, malloc'd. Bytes that are not UTF-8 are read as
 * Windows-1252 when no byte of them is valid multi-byte UTF-8 and none is
 * undefined there (a Latin-1 file); otherwise bad bytes become U+FFFD.
 */
static char *decode_text(const char *s, size_t len, size_t *outlen, struct notes *nt,
			 const char *name)
{
	size_t i = 0, multi = 0, bad = 0, first_bad = len;
	bool latin = true;
	char *out;

	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		s += 3, len -= 3;
	if (utf8_valid(s, len)) {
		*outlen = len;
		return xstrndup(s, len);
	}
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t n;

		if (c < 0x80) {
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (n) {
			multi++;
			i += n;
			continue;
		}
		if (first_bad == len)
			first_bad = i;
		bad++;
		if (c < 0xA0 && !cp1252[c - 0x80])
			latin = false;
		i++;
	}
	if (latin && !multi) {
		size_t o = 0;

		out = xmalloc(len * 3 + 1);
		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)s[i];

			if (c < 0x80)
				out[o++] = (char)c;
			else
				o += utf8_encode(c < 0xA0 ? cp1252[c - 0x80] : c, out + o);
		}
		out[o] = '\0';
		*outlen = o;
		note(nt, name, 0, "not valid UTF-8 (byte %zu); read as Windows-1252", first_bad);
		return out;
	}
	out = utf8_repair(s, len, outlen, NULL);
	note(nt, name, 0, "invalid UTF-8 at byte %zu; %zu bad bytes replaced with U+FFFD",
	     first_bad, bad);
	return out;
}

/* ====== Recognising input ====== */

static enum in_type type_by_name(const char *name)
{
	static const char *const html[] = { ".html", ".htm", ".xhtml", ".shtml", NULL };
	static const char *const text[] = { ".txt", ".text", NULL };
	char *base = xstrdup(name);
	size_t n = strlen(base);
	enum in_type t = IN_UNKNOWN;
	const char *const *e;

	if (input_has_ext(base, ".gz"))
		base[n - 3] = '\0';
	for (e = html; *e; e++)
		if (input_has_ext(base, *e))
			t = IN_HTML;
	for (e = text; *e; e++)
		if (input_has_ext(base, *e))
			t = IN_TEXT;
	if (input_has_ext(base, ".jsonl") || input_has_ext(base, ".ndjson"))
		t = IN_JSONL;
	free(base);
	return t;
}

/* Binary data: a NUL byte, or more than 1 in 100 control characters, in the first 8 KiB. */
static bool looks_binary(const char *s, size_t len)
{
	size_t i, ctl = 0, n = len < 8192 ? len : 8192;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!c)
			return true;
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' &&
		    c != 0x1b)
			ctl++;
	}
	return ctl * 100 > n;
}

static bool looks_html(const char *s, size_t len)
{
	static const char *const marks[] = { "<html", "<!doctype", "<head", "<body", "<div",
					     "<p>", "<p ", "<article", "<title", "<meta", NULL };
	size_t i = 0, n = len < 4096 ? len : 4096;
	const char *const *m;
	char *low;
	bool hit = false;

	if (n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i == n || s[i] != '<')
		return false;
	low = xstrndup(s + i, n - i);
	for (i = 0; low[i]; i++)
		low[i] = (char)tolower((unsigned char)low[i]);
	for (m = marks; *m && !hit; m++)
		hit = strstr(low, *m) != NULL;
	free(low);
	return hit;
}

/* ====== Articles from whole inputs ====== */

static void ingest_text(struct stage_ctx *ctx, const char *name, struct input_buf *b,
			struct notes *nt)
{
	struct article a = ARTICLE_INIT;
	size_t len;
	char *text = decode_text(b->data, b->len, &len, nt, name);

	/*
	 * A body with no blank line at all has one paragraph a line (as seed
	 * 004): joining them would run a stand-alone quote into the next line.
	 */
	extract_text(&a, text, len, true);
	free(text);
	if (!a.title)
		reject(ctx, name, 0, b->data, b->len, "empty input");
	else
		emit_article(ctx, &a, name, IN_TEXT, 0, nt, b->truncated);
	article_release(&a);
}

static void ingest_html(struct stage_ctx *ctx, const char *name, struct input_buf *b,
			struct notes *nt)
{
	struct article a = ARTICLE_INIT;

	if (extract_html(&a, b->data, b->len) < 0) {
		reject(ctx, name, 0, b->data, b->len, "cannot parse as HTML");
		return;
	}
	if (a.dtd_subset)
		note(nt, name, 0, "DOCTYPE internal subset ignored (entities are never expanded)");
	if (a.max_depth >= EXTRACT_MAX_DEPTH)
		note(nt, name, 0, "HTML nested deeper than %d levels; the rest was not read",
		     EXTRACT_MAX_DEPTH);
	if (!a.npara) {
		reject(ctx, name, 0, b->data, b->len, "no article text found in the HTML%s",
		       a.max_depth >= EXTRACT_MAX_DEPTH ? " (nested too deep)" : "");
	} else {
		emit_article(ctx, &a, name, IN_HTML, 0, nt, b->truncated);
	}
	article_release(&a);
}

static void ingest_blob(struct stage_ctx *ctx, const char *name, enum in_type type,
			struct input_buf *b)
{
	struct ingest *in = ctx->data;
	struct notes nt = { 0 };
	size_t i;

	for (i = 0; i < b->len && isspace((unsigned char)b->data[i]); i++)
		;
	if (i == b->len) {
		reject(ctx, name, 0, NULL, 0, "empty input");
		return;
	}
	if (b->len >= 2 && ((b->data[0] == '\xff' && b->data[1] == '\xfe') ||
			    (b->data[0] == '\xfe' && b->data[1] == '\xff'))) {
		reject(ctx, name, 0, b->data, b->len,
		       "UTF-16 text is not supported; convert it to UTF-8");
		return;
	}
	if (looks_binary(b->data, b->len)) {
		reject(ctx, name, 0, b->data, b->len,
		       "binary data, not text, HTML or JSON Lines%s", b->gzip ? " (inside gzip)" : "");
		return;
	}
	if (type == IN_UNKNOWN || type == IN_JSONL)
		type = looks_html(b->data, b->len) ? IN_HTML : IN_TEXT;
	if (b->truncated)
		note(&nt, name, 0, "input longer than %zu bytes; the rest was not read", b->len);
	if (type == IN_TEXT && b->len > 2 * in->max_text) {
		/* More than can survive the cut: do not hold it all. */
		b->len = 2 * in->max_text;
		b->truncated = true;
	}
	if (type == IN_HTML)
		ingest_html(ctx, name, b, &nt);
	else
		ingest_text(ctx, name, b, &nt);
	notes_release(&nt);
}

/* ====== JSON Lines from other tools ====== */

/* A string field, trying each key in turn. */
static const char *field(json_t *o, const char *const *keys)
{
	for (; *keys; keys++) {
		json_t *v = json_object_get(o, *keys);

		if (json_is_string(v))
			return json_string_value(v);
	}
	return NULL;
}

/*
 * The first of 'keys' present in 'o': its string in '*v', or NULL after a
 * note that a value that is not a string was left out. Returns the key.
 */
static const char *field_checked(json_t *o, const char *const *keys, const char **v,
				 const char *name, unsigned long line, struct notes *nt)
{
	*v = NULL;
	for (; *keys; keys++) {
		json_t *j = json_object_get(o, *keys);

		if (!j || json_is_null(j))
			continue;
		if (json_is_string(j))
			*v = json_string_value(j);
		else
			note(nt, name, line, "'%s' is not a string; left out", *keys);
		return *keys;
	}
	return NULL;
}

/* An absolute http(s) URL with a host, without blanks, control or bidi characters. */
static bool good_url(const char *u)
{
	char *host = url_domain(u);
	size_t i, len = strlen(u);
	bool ok = host != NULL && len <= 8192;

	for (i = 0; ok && host[i]; i++)
		ok = isalnum((unsigned char)host[i]) || host[i] == '-' || host[i] == '.' ||
		     (unsigned char)host[i] >= 0x80;
	free(host);
	for (i = 0; ok && i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(u + i, len - i, &cp);

		ok = k && cp > 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0) &&
		     !utf8_is_bidi_control(cp);
		i += k;
	}
	return ok;
}

/*
 * 'url' and 'published' from another tool, checked as HTML's are: an
 * invalid one is left out of the field and kept, quoted, in the warning
 * and the record's 'errors', so it reaches the database but never poses as
 * a date or a link.
 */
static void checked_meta(struct article *a, json_t *obj, const char *name, unsigned long line,
			 struct notes *nt)
{
	static const char *const k_url[] = { "url", "canonical_url", NULL };
	static const char *const k_date[] = { "published", "date", "datePublished", NULL };
	char q[UTF8_CLIP_BUF];
	const char *key, *s;
	size_t used;

	key = field_checked(obj, k_url, &s, name, line, nt);
	if (s && *s) {
		if (good_url(s))
			a->url = xstrdup(s);
		else
			note(nt, name, line, "'%s' is not an absolute http(s) URL: '%s'; left out",
			     key, utf8_clip(s, q));
	}
	key = field_checked(obj, k_date, &s, name, line, nt);
	if (s && *s) {
		a->published = extract_iso_date(s, &used);
		while (a->published && isspace((unsigned char)s[used]))
			used++;
		if (!a->published || s[used]) {
			free(a->published);
			a->published = NULL;
			note(nt, name, line,
			     "'%s' is not an ISO 8601 date (2024-05-02 or 2024-05-02T08:15:00Z): "
			     "'%s'; left out", key, utf8_clip(s, q));
		}
	}
}

static void ingest_object(struct stage_ctx *ctx, const char *name, unsigned long line,
			  json_t *obj, const char *raw, size_t rawlen)
{
	static const char *const k_text[] = { "text", "articleBody", "body", NULL };
	static const char *const k_title[] = { "title", "headline", NULL };
	static const char *const k_byline[] = { "byline", "author", NULL };
	static const char *const k_outlet[] = { "outlet", "site_name", "publisher", NULL };
	static const char *const k_section[] = { "section", "articleSection", NULL };
	static const char *const k_genre[] = { "genre", NULL };
	static const char *const k_kicker[] = { "kicker", NULL };
	struct article a = ARTICLE_INIT;
	struct notes nt = { 0 };
	const char *text = field(obj, k_text), *s;
	json_t *outlet = json_object_get(obj, "outlet");

	if (!text) {
		reject(ctx, name, line, raw, rawlen, "object has no 'text' string");
		return;
	}
	if ((s = field(obj, k_title)) != NULL) {
		a.title = extract_normalize(s, strlen(s));
		if (!*a.title) {
			free(a.title);
			a.title = NULL;
		}
	}
	extract_text(&a, text, strlen(text), true);
	/* The text may already start with its title: do not say it twice. */
	if (a.npara && a.title && !strcmp(a.paras[0], a.title)) {
		free(a.paras[0]);
		memmove(a.paras, a.paras + 1, --a.npara * sizeof(*a.paras));
	}
	if (!a.title && !a.npara) {
		reject(ctx, name, line, raw, rawlen, "empty 'text'");
		article_release(&a);
		return;
	}
	checked_meta(&a, obj, name, line, &nt);
	a.domain = url_domain(a.url);
	if (json_is_object(outlet)) {
		if ((s = json_string_value(json_object_get(outlet, "name"))) != NULL && *s)
			a.outlet = xstrdup(s);
		if ((s = json_string_value(json_object_get(outlet, "domain"))) != NULL && *s) {
			free(a.domain);
			a.domain = xstrdup(s);
		}
	} else if ((s = field(obj, k_outlet)) != NULL && *s) {
		a.outlet = xstrdup(s);
	}
	if ((s = field(obj, k_byline)) != NULL && *s) {
		/* The byline as given; its names cleaned as HTML's are ("By X | June 2, 2024"). */
		a.byline = extract_normalize(s, strlen(s));
		a.nauthors = byline_names(a.byline, a.outlet, a.domain, &a.authors);
	}
	/* What the producer knows of the piece: slant-affil reads opinion labels there. */
	if ((s = field(obj, k_section)) != NULL && *s)
		a.section = extract_normalize(s, strlen(s));
	if ((s = field(obj, k_genre)) != NULL && *s)
		a.genre = extract_normalize(s, strlen(s));
	if ((s = field(obj, k_kicker)) != NULL && *s)
		a.kicker = extract_normalize(s, strlen(s));
	emit_article(ctx, &a, name, IN_JSONL, line, &nt, false);
	notes_release(&nt);
	article_release(&a);
}

/*
 * JSON Lines from 'fp', line by line. 'src', when 'fp' is one, says why the
 * stream ended early (corrupt gzip): reported after the lines before it.
 */
static void ingest_jsonl(struct stage_ctx *ctx, FILE *fp, const char *name,
			 unsigned long skipped, const char *sniffed, size_t nsniffed,
			 const struct input_src *src)
{
	struct line_reader lr;
	char why[256];
	int r;

	line_reader_init(&lr, fp, name, REC_MAX_LINE);
	lr.lineno = skipped;
	if (nsniffed)
		line_reader_unread(&lr, sniffed, nsniffed);
	while ((r = line_read(&lr)) > 0) {
		json_t *obj;
		size_t i;

		/* -v counts inputs: here each line that is not blank. */
		if (lr.overlong) {
			ctx->nread++;
			reject(ctx, name, lr.lineno, NULL, 0,
			       "line of %zu bytes is longer than the limit of %zu", lr.overlong,
			       REC_MAX_LINE);
			continue;
		}
		for (i = 0; i < lr.len && isspace((unsigned char)lr.buf[i]); i++)
			;
		if (i == lr.len)
			continue;
		ctx->nread++;
		obj = rec_parse(lr.buf, lr.len, why, sizeof(why));
		if (!obj) {
			reject(ctx, name, lr.lineno, lr.buf, lr.len, "%s", why);
			continue;
		}
		ingest_object(ctx, name, lr.lineno, obj, lr.buf, lr.len);
		json_decref(obj);
		if (ctx->strict && ctx->nrejected)
			break;
	}
	if (r < 0)
		reject(ctx, name, lr.lineno + 1, NULL, 0, "cannot read '%s': %s", name,
		       strerror(errno));
	else if (r == 0 && src && src->why[0])
		reject(ctx, name, 0, NULL, 0, "%s after line %lu", src->why, lr.lineno);
	line_reader_release(&lr);
}

/* ====== Files, directories and streams ====== */

/*
 * Read one input. Gzip is recognised by its magic bytes wherever the input
 * comes from and decompressed as it is read; then JSON Lines (by name, or
 * by a first byte '{') is streamed line by line, anything else read whole
 * under the cap.
 */
static void ingest_stream(struct stage_ctx *ctx, FILE *fp, const char *name, enum in_type type)
{
	struct input_src src = { 0 };
	struct input_buf b;
	unsigned long newlines = 0;
	bool wrapped = false;
	FILE *in = fp;
	int c;

	/*
	 * Unbuffered, so stdio holds nothing beyond the sniffed bytes: the
	 * line reader reads the descriptor itself and gets them back.
	 */
	setvbuf(fp, NULL, _IONBF, 0);
	c = getc(fp);
	if (c == 0x1f) {
		/* Gzip (1f 8b), or binary data: either way read on through a stream. */
		unsigned char head[2] = { 0x1f, 0 };
		int c2 = getc(fp);

		if (c2 != EOF)
			head[1] = (unsigned char)c2;
		input_open(&src, fp, head, c2 == EOF ? 1 : 2);
		wrapped = true;
		in = src.fp;
		c = getc(in);
	}
	if (!src.gzip && input_has_ext(name, ".gz")) {
		ctx->nread++;
		reject(ctx, name, 0, NULL, 0, "not gzip data (named .gz)");
		goto out;
	}
	if (type == IN_UNKNOWN) {
		/* JSON Lines can be endless: recognise it by its first byte and stream it. */
		while (c != EOF && isspace(c)) {
			if (c == '\n')
				newlines++;
			c = getc(in);
		}
		if (c == '{')
			type = IN_JSONL;
	}
	if (type == IN_JSONL) {
		char sniffed = (char)c;

		ingest_jsonl(ctx, in, name, newlines, &sniffed, c == EOF ? 0 : 1,
			     wrapped ? &src : NULL);
		goto out;
	}
	if (c != EOF)
		ungetc(c, in);
	ctx->input = name;
	ctx->nread++;
	if ((wrapped ? input_read_src(&b, &src, name, REC_MAX_LINE)
		     : input_read(&b, in, name, REC_MAX_LINE)) < 0) {
		/* input_read has said why; the record says it too. */
		error_record(ctx, name, 0, NULL, 0, b.why);
	} else {
		b.gzip = src.gzip;
		ingest_blob(ctx, name, type, &b);
	}
	input_release(&b);
out:
	if (wrapped)
		input_close(&src);
}

static void ingest_file(struct stage_ctx *ctx, const char *path)
{
	FILE *fp = fopen(path, "rb");

	if (!fp) {
		ctx->nread++;
		reject(ctx, path, 0, NULL, 0, "cannot open '%s': %s", path, strerror(errno));
		return;
	}
	ingest_stream(ctx, fp, path, type_by_name(path));
	fclose(fp);
}

/*
 * In a directory, take files named as articles (.html, .txt, .jsonl, ...,
 * also gzipped) or with no extension (sniffed); leave READMEs, images and
 * the like. A file named on the command line is always read.
 */
static bool wanted_in_dir(const char *name)
{
	char *base = xstrdup(name);
	size_t n = strlen(base);
	bool yes;

	if (input_has_ext(base, ".gz"))
		base[n - 3] = '\0';
	yes = type_by_name(base) != IN_UNKNOWN || !strchr(base, '.');
	free(base);
	return yes;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int visible(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/*
 * Whether the symbolic link 'path', met in the directory tree being read,
 * points out of it: a tree from elsewhere must not make slant read
 * /etc/shadow into an article. A dangling link is "in": opening it fails
 * and says so.
 */
static bool link_leaves_tree(struct stage_ctx *ctx, const char *path)
{
	struct ingest *in = state(ctx);
	char *real;
	size_t n;
	bool out;

	if (in->follow_links || !in->root)
		return false;
	real = realpath(path, NULL);
	if (!real)
		return false;
	n = strlen(in->root);
	out = strncmp(real, in->root, n) || (real[n] != '/' && !(n == 1 && in->root[0] == '/'));
	free(real);
	return out;
}

static void ingest_path(struct stage_ctx *ctx, const char *path, int depth);

static void ingest_dir(struct stage_ctx *ctx, const char *path, int depth)
{
	struct dirent **list;
	int n, i;

	if (depth > MAX_DIR_DEPTH) {
		reject(ctx, path, 0, NULL, 0, "directories nested deeper than %d", MAX_DIR_DEPTH);
		return;
	}
	n = scandir(path, &list, visible, by_name);
	if (n < 0) {
		reject(ctx, path, 0, NULL, 0, "cannot open directory '%s': %s", path,
		       strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		size_t pl = strlen(path);
		char *child = xasprintf("%s%s%s", path, pl && path[pl - 1] == '/' ? "" : "/",
					list[i]->d_name);
		struct stat st = { 0 };
		bool link = lstat(child, &st) == 0 && S_ISLNK(st.st_mode);

		/* Symbolic links to directories are not followed: they can loop. */
		if (link && stat(child, &st) == 0 && S_ISDIR(st.st_mode))
			warning("'%s': not following a symbolic link to a directory", child);
		else if (link && link_leaves_tree(ctx, child))
			warning("'%s': not following a symbolic link out of '%s' (--follow-links "
				"reads it)", child, state(ctx)->root);
		else if (!S_ISDIR(st.st_mode) && !wanted_in_dir(list[i]->d_name)) {
			if (verbose)
				fprintf(stderr, "%s: '%s': skipped (not named as an article file)\n",
					progname, child);
		} else if (!(ctx->strict && ctx->nrejected))
			ingest_path(ctx, child, depth + 1);
		free(child);
		free(list[i]);
	}
	free(list);
}

static void ingest_path(struct stage_ctx *ctx, const char *path, int depth)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		ctx->nread++;
		reject(ctx, path, 0, NULL, 0, "cannot open '%s': %s", path, strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode))
		ingest_dir(ctx, path, depth);
	else if (!S_ISREG(st.st_mode) && depth > 0)
		/* A FIFO or device met in a tree would block or never end. */
		warning("'%s': skipped (not a regular file)", path);
	else
		ingest_file(ctx, path);
}

/* ====== The stage ====== */

static int ingest_option(struct stage_ctx *ctx, int opt, const char *arg)
{
	(void)arg;
	if (opt != OPT_FOLLOW_LINKS)
		return -1;
	state(ctx)->follow_links = true;
	return 0;
}

static int ingest_setup(struct stage_ctx *ctx, int argc, char **argv)
{
	struct ingest *in = state(ctx);
	double v;

	(void)argc, (void)argv;
	if (conf_double(ctx->conf, "ingest", "max_text", &v) < 0)
		return -1;
	if (v < 64 || v > (double)REC_MAX_TEXT)
		return conf_error(ctx->conf, "ingest", "max_text", "must be between 64 and %zu",
				  REC_MAX_TEXT);
	in->max_text = (size_t)v;
	return 0;
}

static int ingest_run(struct stage_ctx *ctx, int argc, char **argv)
{
	int i;

	if (argc == 0)
		ingest_stream(ctx, stdin, "<stdin>", IN_UNKNOWN);
	for (i = 0; i < argc && !(ctx->strict && ctx->nrejected); i++) {
		struct ingest *in = state(ctx);

		if (!strcmp(argv[i], "-")) {
			ingest_stream(ctx, stdin, "<stdin>", IN_UNKNOWN);
			continue;
		}
		/* Links in a tree may point anywhere within it (the root's real path), no further. */
		in->root = realpath(argv[i], NULL);
		ingest_path(ctx, argv[i], 0);
		free(in->root);
		in->root = NULL;
	}
	return ctx->nrejected ? SLANT_EXIT_REJECTED : SLANT_EXIT_OK;
}

static void ingest_teardown(struct stage_ctx *ctx)
{
	free(ctx->data);
	ctx->data = NULL;
}

const struct stage stage_ingest = {
	.name = "ingest",
	.summary = "Read articles (HTML, plain text, JSON Lines; any of them gzipped) from files,\n"
		   "directories (recursively, in name order) or standard input ('-' or no\n"
		   "operand) and write one JSON record per article (docs/stream.md).\n"
		   "Gzip is recognised by its magic bytes, whatever the name.",
	.args = "[PATH|-]...",
	.help = "      --strict        stop at the first input that is rejected (exit 1)\n"
		"      --follow-links  in a directory, read files that symbolic links point to\n"
		"                      outside it (by default they are skipped with a warning)\n",
	.options = ingest_options,
	.option = ingest_option,
	.setup = ingest_setup,
	.run = ingest_run,
	.teardown = ingest_teardown,
};
