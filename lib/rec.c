/* rec.c -- the record conventions of docs/stream.md over jansson. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "slant/hash.h"
#include "slant/jsonio.h"
#include "slant/rec.h"
#include "slant/usage.h"
#include "slant/utf8.h"

json_t *rec_parse(const char *line, size_t len, char *why, size_t whylen)
{
	json_error_t err;
	json_t *rec;
	bool too_many = false;

	/* jansson rejects invalid UTF-8 itself; say which byte. */
	if (!utf8_valid(line, len)) {
		snprintf(why, whylen, "invalid UTF-8 at byte %zu", utf8_valid_prefix(line, len));
		return NULL;
	}
	/* The fast reader builds the same values; jansson's says what is wrong. */
	rec = jsonio_parse(line, len, REC_MAX_VALUES, &too_many);
	if (too_many) {
		snprintf(why, whylen, "record holds more than %zu JSON values (the limit of one record)",
			 REC_MAX_VALUES);
		return NULL;
	}
	if (!rec)
		rec = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
	if (!rec) {
		snprintf(why, whylen, "bad JSON at column %d: %s", err.column, err.text);
		return NULL;
	}
	if (!json_is_object(rec)) {
		snprintf(why, whylen, "record is not a JSON object");
		json_decref(rec);
		return NULL;
	}
	return rec;
}

/*
 * Records are written with jsonio_dump() into one buffer and one fwrite:
 * jansson's writer calls back once per token and cost a third of a stage
 * (docs/performance.md). The buffer is kept for the next record: records of
 * a stream are alike in size.
 */
static _Thread_local char *wbuf;
static _Thread_local size_t wcap;
static _Thread_local bool wbuf_registered;

static void wbuf_free(void)
{
	free(wbuf);
	wbuf = NULL;
	wcap = 0;
}

int rec_write(FILE *out, const json_t *rec)
{
	size_t len = 0;

	if (!wbuf_registered) {
		atexit(wbuf_free);
		wbuf_registered = true;
	}
	if (jsonio_dump(rec, JSON_DIGITS, &wbuf, &len, &wcap) < 0)
		die("cannot serialise record");
	xgrow(&wbuf, &wcap, len + 1, 1);
	wbuf[len++] = '\n';
	if (fwrite(wbuf, 1, len, out) != len)
		return -1;
	/* One huge record should not pin its buffer for the rest of the run. */
	if (wcap > ((size_t)16 << 20))
		wbuf_free();
	return 0;
}

char *rec_dump(const json_t *rec)
{
	char *s = NULL;
	size_t len = 0, cap = 0;

	if (jsonio_dump(rec, JSON_DIGITS, &s, &len, &cap) < 0)
		die("cannot serialise record");
	xgrow(&s, &cap, len + 1, 1);
	s[len] = '\0';
	return s;
}

json_t *rec_new(const char *id)
{
	json_t *rec = json_object();

	json_object_set_new(rec, "format", json_integer(REC_FORMAT));
	if (id)
		json_object_set_new(rec, "id", json_string(id));
	return rec;
}

const char *rec_text(const json_t *rec, size_t *len)
{
	json_t *t = json_object_get(rec, "text");

	if (!json_is_string(t))
		return NULL;
	*len = json_string_length(t);
	return json_string_value(t);
}

const char *rec_str(const json_t *rec, const char *key)
{
	return json_string_value(json_object_get(rec, key));
}

json_t *rec_annotations(json_t *rec)
{
	json_t *a = json_object_get(rec, "annotations");

	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(rec, "annotations", a);
	}
	return a;
}

/* A UTF-8 continuation byte: not the start of a character. */
#define UTF8_CONT(c) (((unsigned char)(c) & 0xC0) == 0x80)

/* A JSON string of a span; a span that splits a character is repaired, not fatal. */
static json_t *rec_substr(const char *s, size_t n)
{
	json_t *v = json_stringn(s, n);
	char *fixed;

	if (v)
		return v;
	fixed = utf8_repair(s, n, &n, NULL);
	v = json_stringn(fixed, n);
	free(fixed);
	return v;
}

json_t *rec_annotate(json_t *rec, const char *stage, const char *label, size_t start,
		     size_t end)
{
	size_t len = 0;
	const char *text = rec_text(rec, &len);
	json_t *ann = json_object();

	if (!text || start > end || end > len)
		die("internal error: annotation [%zu, %zu) outside text of %zu bytes", start, end,
		    len);
	/*
	 * Every stage adds its annotations here, a hundred an article: the keys
	 * are ours and ASCII, and 'text' is a JSON string, so valid UTF-8; a span
	 * of it is too when both ends fall on character boundaries. So jansson's
	 * checks (a fifth of slant-segment) are skipped where they cannot fail.
	 */
	json_object_set_new_nocheck(ann, "stage", json_string(stage));
	json_object_set_new_nocheck(ann, "label", json_string(label));
	json_object_set_new_nocheck(ann, "start", json_integer((json_int_t)start));
	json_object_set_new_nocheck(ann, "end", json_integer((json_int_t)end));
	json_object_set_new_nocheck(ann, "text",
				    (start == len || !UTF8_CONT(text[start])) &&
						    (end == len || !UTF8_CONT(text[end]))
					    ? json_stringn_nocheck(text + start, end - start)
					    : rec_substr(text + start, end - start));
	json_array_append_new(rec_annotations(rec), ann);
	return ann;
}

size_t ann_offset(const json_t *ann, const char *key, size_t def)
{
	json_t *v = json_object_get(ann, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return def;
	return (size_t)json_integer_value(v);
}

bool ann_is(const json_t *ann, const char *stage, const char *label)
{
	const char *s = json_string_value(json_object_get(ann, "stage"));
	const char *l = json_string_value(json_object_get(ann, "label"));

	return s && !strcmp(s, stage) && (!label || (l && !strcmp(l, label)));
}

void rec_mark_stage(json_t *rec, const char *stage)
{
	json_t *a = json_object_get(rec, "stages");

	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(rec, "stages", a);
	}
	/* A stage run again (slant-score after a change of weights) is listed once. */
	if (!rec_has_stage(rec, stage))
		json_array_append_new(a, json_string(stage));
}

bool rec_has_stage(const json_t *rec, const char *stage)
{
	json_t *a = json_object_get(rec, "stages"), *v;
	size_t i;

	json_array_foreach(a, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), stage))
			return true;
	return false;
}

void rec_add_error(json_t *rec, const char *stage, const char *message, unsigned long line)
{
	json_t *a = json_object_get(rec, "errors"), *e = json_object();

	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(rec, "errors", a);
	}
	json_object_set_new(e, "stage", json_string(stage));
	json_object_set_new(e, "message", json_string(message));
	if (line)
		json_object_set_new(e, "line", json_integer((json_int_t)line));
	json_array_append_new(a, e);
}

json_t *rec_error_record(const char *stage, const char *input, unsigned long line,
			 const char *message, const char *raw, size_t rawlen)
{
	char hex[65], *id, *fixed;
	size_t keep = rawlen < 200 ? rawlen : 200, fixedlen;
	struct sha256 c;
	json_t *rec, *src;

	/* Same bad input, same id, so re-runs replace rather than pile up. */
	sha256_init(&c);
	sha256_update(&c, input ? input : "", input ? strlen(input) : 0);
	sha256_update(&c, &line, sizeof(line));
	sha256_update(&c, raw, keep);
	sha256_hex(&c, hex);
	id = xasprintf("error-%.16s", hex);
	rec = rec_new(id);
	free(id);
	json_object_set_new(rec, "status", json_string("error"));
	src = json_object();
	json_object_set_new(src, "path", json_string(input ? input : "<stdin>"));
	json_object_set_new(src, "line", json_integer((json_int_t)line));
	json_object_set_new(rec, "source", src);
	fixed = utf8_repair(raw, keep, &fixedlen, NULL);
	json_object_set_new(rec, "raw", json_stringn(fixed, fixedlen));
	free(fixed);
	rec_add_error(rec, stage, message, line);
	return rec;
}

bool rec_is_error(const json_t *rec)
{
	const char *s = rec_str(rec, "status");

	return s && !strcmp(s, "error");
}
