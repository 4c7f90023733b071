/*
 * jsonio.c -- a record parser and writer over jansson values (jsonio.h).
 *
 * jansson's reader takes one character at a time through a stream and a
 * string buffer; its writer calls back once per token. Records are large
 * (a segmented article is 20 KB of mostly text), so here strings are scanned
 * with a table and copied in runs, and a record is written into one buffer.
 * The values built are jansson's own, with the same rules (docs/performance.md).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slant/jsonio.h"
#include "slant/usage.h"
#include "slant/utf8.h"

/* jansson's JSON_PARSER_MAX_DEPTH: deeper input is left to it to refuse. */
enum { MAX_DEPTH = 2048 };

/* Bytes that end a run of plain string bytes: '"', '\\' and control characters. */
static const unsigned char special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
};

/* ====== Reading ====== */

struct reader {
	const char *p, *end;
	char *buf;            /* unescaped string values: 'scratch', kept between records */
	size_t cap;
	int depth;
	size_t values, max_values; /* read so far, and the most to read */
};

/*
 * Article texts have escapes ("\n\n" between paragraphs), so most records
 * unescape a string as long as the text; growing a fresh buffer for each
 * record cost a tenth of a stage in realloc.
 */
static _Thread_local char *scratch;
static _Thread_local size_t scratch_cap;
static _Thread_local bool scratch_registered;

static void scratch_free(void)
{
	free(scratch);
	scratch = NULL;
	scratch_cap = 0;
}

void jsonio_thread_release(void)
{
	scratch_free();
}

static void skip_ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
		r->p++;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * The string at r->p (its opening quote already read). On success '*s' and
 * '*n' are its bytes: in the input when it has no escapes, else in r->buf.
 */
static int read_string(struct reader *r, const char **s, size_t *n)
{
	const unsigned char *p = (const unsigned char *)r->p, *end = (const unsigned char *)r->end;
	const unsigned char *start = p;
	size_t len = 0;

	while (p < end && !special[*p])
		p++;
	if (p < end && *p == '"') {
		*s = (const char *)start;
		*n = (size_t)(p - start);
		r->p = (const char *)p + 1;
		return 0;
	}
	/* Escapes: copy what came before, then unescape into r->buf. */
	for (;;) {
		size_t run = (size_t)(p - start);

		xgrow(&r->buf, &r->cap, len + run + 8, 1);
		memcpy(r->buf + len, start, run);
		len += run;
		if (p >= end || *p < 0x20)
			return -1;
		if (*p == '"')
			break;
		/* A backslash. */
		if (++p >= end)
			return -1;
		switch (*p++) {
		case '"': r->buf[len++] = '"'; break;
		case '\\': r->buf[len++] = '\\'; break;
		case '/': r->buf[len++] = '/'; break;
		case 'b': r->buf[len++] = '\b'; break;
		case 'f': r->buf[len++] = '\f'; break;
		case 'n': r->buf[len++] = '\n'; break;
		case 'r': r->buf[len++] = '\r'; break;
		case 't': r->buf[len++] = '\t'; break;
		case 'u': {
			unsigned cp, lo;

			if (end - p < 4 || hex4((const char *)p, &cp) < 0)
				return -1;
			p += 4;
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				return -1;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
				    hex4((const char *)p + 2, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
					return -1;
				p += 6;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			len += utf8_encode(cp, r->buf + len);
			break;
		}
		default:
			return -1;
		}
		start = p;
		while (p < end && !special[*p])
			p++;
	}
	*s = r->buf;
	*n = len;
	r->p = (const char *)p + 1;
	return 0;
}

static json_t *read_number(struct reader *r)
{
	const char *p = r->p, *start = p;
	char tmp[64], *e;
	bool real = false;

	if (p < r->end && *p == '-')
		p++;
	if (p < r->end && *p == '0') {
		p++;
	} else if (p < r->end && *p >= '1' && *p <= '9') {
		while (p < r->end && *p >= '0' && *p <= '9')
			p++;
	} else {
		return NULL;
	}
	if (p < r->end && *p == '.') {
		real = true;
		if (++p >= r->end || *p < '0' || *p > '9')
			return NULL;
		while (p < r->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < r->end && (*p == 'e' || *p == 'E')) {
		real = true;
		p++;
		if (p < r->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= r->end || *p < '0' || *p > '9')
			return NULL;
		while (p < r->end && *p >= '0' && *p <= '9')
			p++;
	}
	/* A number too long for the buffer is unusual: let jansson have it. */
	if ((size_t)(p - start) >= sizeof(tmp))
		return NULL;
	memcpy(tmp, start, (size_t)(p - start));
	tmp[p - start] = '\0';
	r->p = p;
	errno = 0;
	if (!real) {
		long long v = strtoll(tmp, &e, 10);

		return errno == ERANGE ? NULL : json_integer((json_int_t)v);
	} else {
		double v = strtod(tmp, &e);

		/* As jansson: overflow is an error, underflow is not. */
		if (errno == ERANGE && (v > 1.0 || v < -1.0))
			return NULL;
		return json_real(v);
	}
}

static json_t *read_value(struct reader *r);

static json_t *read_object(struct reader *r)
{
	json_t *obj = json_object();

	skip_ws(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		return obj;
	}
	for (;;) {
		const char *k;
		char *kcopy = NULL;
		size_t kn, before;
		json_t *v;

		if (r->p >= r->end || *r->p != '"')
			goto fail;
		r->p++;
		if (read_string(r, &k, &kn) < 0)
			goto fail;
		/* jansson refuses NUL in keys; an escaped key lives in r->buf, which the value reuses. */
		if (memchr(k, '\0', kn))
			goto fail;
		if (k == r->buf) {
			kcopy = xmalloc(kn + 1);
			memcpy(kcopy, k, kn);
			k = kcopy;
		}
		skip_ws(r);
		if (r->p >= r->end || *r->p != ':') {
			free(kcopy);
			goto fail;
		}
		r->p++;
		skip_ws(r);
		v = read_value(r);
		if (!v) {
			free(kcopy);
			goto fail;
		}
		before = json_object_size(obj);
		json_object_setn_new_nocheck(obj, k, kn, v);
		free(kcopy);
		if (json_object_size(obj) == before)
			goto fail; /* a duplicate key */
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			skip_ws(r);
			continue;
		}
		if (r->p < r->end && *r->p == '}') {
			r->p++;
			return obj;
		}
		goto fail;
	}
fail:
	json_decref(obj);
	return NULL;
}

static json_t *read_array(struct reader *r)
{
	json_t *arr = json_array();

	skip_ws(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		return arr;
	}
	for (;;) {
		json_t *v = read_value(r);

		if (!v)
			goto fail;
		json_array_append_new(arr, v);
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			skip_ws(r);
			continue;
		}
		if (r->p < r->end && *r->p == ']') {
			r->p++;
			return arr;
		}
		goto fail;
	}
fail:
	json_decref(arr);
	return NULL;
}

static bool literal(struct reader *r, const char *word, size_t n)
{
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n))
		return false;
	r->p += n;
	return true;
}

static json_t *read_value(struct reader *r)
{
	json_t *v;
	const char *s;
	size_t n;

	if (r->p >= r->end || ++r->values > r->max_values)
		return NULL;
	switch (*r->p) {
	case '"':
		r->p++;
		if (read_string(r, &s, &n) < 0)
			return NULL;
		/* The caller checked the whole input is valid UTF-8; escapes give valid UTF-8. */
		return json_stringn_nocheck(s, n);
	case '{':
	case '[':
		if (++r->depth > MAX_DEPTH)
			return NULL;
		r->p++;
		v = *(r->p - 1) == '{' ? read_object(r) : read_array(r);
		r->depth--;
		return v;
	case 't':
		return literal(r, "true", 4) ? json_true() : NULL;
	case 'f':
		return literal(r, "false", 5) ? json_false() : NULL;
	case 'n':
		return literal(r, "null", 4) ? json_null() : NULL;
	default:
		return read_number(r);
	}
}

json_t *jsonio_parse(const char *p, size_t len, size_t max_values, bool *too_many)
{
	struct reader r = { p, p + len, scratch, scratch_cap, 0, 0, max_values };
	json_t *v = NULL;

	if (!scratch_registered) {
		atexit(scratch_free);
		scratch_registered = true;
	}

	skip_ws(&r);
	/* jansson (without JSON_DECODE_ANY) takes only an array or object. */
	if (r.p < r.end && (*r.p == '{' || *r.p == '['))
		v = read_value(&r);
	if (v) {
		skip_ws(&r);
		if (r.p != r.end) {
			json_decref(v);
			v = NULL;
		}
	}
	*too_many = r.values > max_values;
	scratch = r.buf;
	scratch_cap = r.cap;
	/* One huge record should not pin its buffer for the rest of the run. */
	if (scratch_cap > ((size_t)16 << 20))
		scratch_free();
	return v;
}

/* ====== Writing ====== */

struct writer {
	char **buf;
	size_t *len, *cap;
	int prec;
};

static void put(struct writer *w, const char *s, size_t n)
{
	if (*w->len + n > *w->cap)
		xgrow(w->buf, w->cap, *w->len + n, 1);
	memcpy(*w->buf + *w->len, s, n);
	*w->len += n;
}

static void put_string(struct writer *w, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	/* Room for the worst case (every byte "\u00XX") up front: one check per string. */
	if (*w->len + 6 * n + 2 > *w->cap)
		xgrow(w->buf, w->cap, *w->len + 6 * n + 2, 1);
	(*w->buf)[(*w->len)++] = '"';
	while (p < end) {
		const unsigned char *run = p;
		char *o;

		while (p < end && !special[*p])
			p++;
		memcpy(*w->buf + *w->len, run, (size_t)(p - run));
		*w->len += (size_t)(p - run);
		if (p == end)
			break;
		o = *w->buf + *w->len;
		o[0] = '\\';
		switch (*p) {
		case '"': o[1] = '"'; *w->len += 2; break;
		case '\\': o[1] = '\\'; *w->len += 2; break;
		case '\b': o[1] = 'b'; *w->len += 2; break;
		case '\f': o[1] = 'f'; *w->len += 2; break;
		case '\n': o[1] = 'n'; *w->len += 2; break;
		case '\r': o[1] = 'r'; *w->len += 2; break;
		case '\t': o[1] = 't'; *w->len += 2; break;
		default:
			/* As jansson: "\u%04X". */
			o[1] = 'u';
			o[2] = '0';
			o[3] = '0';
			o[4] = "0123456789ABCDEF"[*p >> 4];
			o[5] = "0123456789ABCDEF"[*p & 15];
			*w->len += 6;
		}
		p++;
	}
	(*w->buf)[(*w->len)++] = '"';
}

/* jansson's jsonp_dtostr(): "%.*g", ".0" when it reads as an integer, exponent without '+' or leading zeros. */
static int put_real(struct writer *w, double v)
{
	char b[100], *start, *end;
	int n = snprintf(b, sizeof(b), "%.*g", w->prec ? w->prec : 17, v);
	size_t len;

	if (n < 0 || (size_t)n + 3 >= sizeof(b))
		return -1;
	len = (size_t)n;
	if (!strchr(b, '.') && !strchr(b, 'e')) {
		b[len++] = '.';
		b[len++] = '0';
		b[len] = '\0';
	}
	start = strchr(b, 'e');
	if (start) {
		start++;
		end = start + 1;
		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start) {
			memmove(start, end, len - (size_t)(end - b) + 1);
			len -= (size_t)(end - start);
		}
	}
	put(w, b, len);
	return 0;
}

static int write_value(struct writer *w, const json_t *v)
{
	char num[24];
	size_t i, n;
	const char *key;
	json_t *x;
	bool first = true;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		put(w, "{", 1);
		json_object_foreach((json_t *)v, key, x) {
			if (!first)
				put(w, ",", 1);
			first = false;
			/* Keys may hold no NUL (jansson refuses them), so strlen is their length. */
			put_string(w, key, strlen(key));
			put(w, ":", 1);
			if (write_value(w, x) < 0)
				return -1;
		}
		put(w, "}", 1);
		return 0;
	case JSON_ARRAY:
		put(w, "[", 1);
		n = json_array_size(v);
		for (i = 0; i < n; i++) {
			if (i)
				put(w, ",", 1);
			if (write_value(w, json_array_get(v, i)) < 0)
				return -1;
		}
		put(w, "]", 1);
		return 0;
	case JSON_STRING:
		put_string(w, json_string_value(v), json_string_length(v));
		return 0;
	case JSON_INTEGER: {
		/* By hand: snprintf was a twentieth of a stage, records being full of offsets. */
		json_int_t iv = json_integer_value(v);
		unsigned long long u = iv < 0 ? 0ULL - (unsigned long long)iv : (unsigned long long)iv;
		char *o = num + sizeof(num);

		do
			*--o = (char)('0' + u % 10);
		while (u /= 10);
		if (iv < 0)
			*--o = '-';
		put(w, o, (size_t)(num + sizeof(num) - o));
		return 0;
	}
	case JSON_REAL:
		return put_real(w, json_real_value(v));
	case JSON_TRUE:
		put(w, "true", 4);
		return 0;
	case JSON_FALSE:
		put(w, "false", 5);
		return 0;
	case JSON_NULL:
		put(w, "null", 4);
		return 0;
	}
	return -1;
}

int jsonio_dump(const json_t *v, int prec, char **buf, size_t *len, size_t *cap)
{
	struct writer w = { buf, len, cap, prec };

	if (!v)
		return -1;
	return write_value(&w, v);
}

int jsonio_dump_except(const json_t *obj, int prec, bool (*skip)(const char *, const json_t *),
		       char **buf, size_t *len, size_t *cap)
{
	struct writer w = { buf, len, cap, prec };
	const char *key;
	json_t *x;
	bool first = true;

	if (!json_is_object(obj))
		return -1;
	put(&w, "{", 1);
	json_object_foreach((json_t *)obj, key, x) {
		if (skip(key, x))
			continue;
		if (!first)
			put(&w, ",", 1);
		first = false;
		put_string(&w, key, strlen(key));
		put(&w, ":", 1);
		if (write_value(&w, x) < 0)
			return -1;
	}
	put(&w, "}", 1);
	return 0;
}
