/*
 * test_jsonio.c -- lib/jsonio.c against jansson itself: every input is read
 * by both, and every value written by both; they must agree exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "slant/jsonio.h"
#include "slant/rec.h"
#include "slant/usage.h"

#define FLAGS (JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL)

struct cb {
	char *p;
	size_t len, cap;
};

static int cb(const char *b, size_t n, void *data)
{
	struct cb *c = data;

	if (c->len + n + 1 > c->cap) {
		c->cap = (c->len + n + 1) * 2;
		c->p = realloc(c->p, c->cap);
		assert_non_null(c->p);
	}
	memcpy(c->p + c->len, b, n);
	c->len += n;
	return 0;
}

/* Both writers give the same bytes for 'v'. */
static void same_dump(const json_t *v, int prec)
{
	struct cb want = { NULL, 0, 0 };
	char *got = NULL;
	size_t len = 0, cap = 0;

	assert_int_equal(json_dump_callback(v, cb, &want, JSON_COMPACT | JSON_REAL_PRECISION(prec)), 0);
	assert_int_equal(jsonio_dump(v, prec, &got, &len, &cap), 0);
	if (len != want.len || memcmp(got, want.p, len))
		fail_msg("jansson wrote '%.*s', jsonio '%.*s'", (int)want.len, want.p, (int)len, got);
	free(want.p);
	free(got);
}

/*
 * 'in' is read alike: when jsonio gives a value it equals jansson's; when
 * jansson refuses, jsonio does too. 'fast' says jsonio must not give up.
 */
static void same_parse(const char *in, size_t n, bool fast)
{
	json_error_t err;
	json_t *want = json_loadb(in, n, FLAGS, &err);
	bool too_many;
	json_t *got = jsonio_parse(in, n, REC_MAX_VALUES, &too_many);

	if (!want && got)
		fail_msg("jansson refused '%.*s' (%s), jsonio read it", (int)n, in, err.text);
	if (got && !json_equal(want, got))
		fail_msg("'%.*s' read differently", (int)n, in);
	if (fast && !got)
		fail_msg("jsonio gave up on '%.*s'", (int)n, in);
	if (want) {
		same_dump(want, 15);
		same_dump(want, 0);
	}
	json_decref(want);
	json_decref(got);
}

#define SAME(s, fast) same_parse((s), sizeof(s) - 1, (fast))

static void test_jsonio__values(void **state)
{
	(void)state;
	SAME("{}", true);
	SAME("[]", true);
	SAME(" \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : { } } \n", true);
	SAME("{\"text\":\"Example headline\\n\\n\\u201cWe\\u201d\",\"n\":-0,\"t\":true,\"f\":false,\"z\":null}", true);
	SAME("[0,-1,9223372036854775807,-9223372036854775808]", true);
	SAME("[0.5,-0.0,1e5,1E+05,1.5e-7,2.5E-300,1e-400,123456789.123456789,0.1,3.0]", true);
	SAME("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"\\u0000x\",\"\\u001f\\u007f\",\"\\uD83D\\uDE00\",\"\\u00e9\"]", true);
	SAME("[\"caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d \xf0\x9f\x98\x80\"]", true);
	SAME("{\"\\u0061b\":1,\"c\\nd\":{\"e\\\"\":[[[]]]}}", true);
	SAME("[{\"a\":1},{\"a\":2}]", true);
}

static void test_jsonio__refused_alike(void **state)
{
	static const char *bad[] = {
		"", " ", "1", "\"s\"", "null", "{", "[", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]",
		"[1 2]", "{\"a\":1}x", "{\"a\":1}{}", "[01]", "[-]", "[1.]", "[.5]", "[1e]", "[1e+]",
		"[+1]", "[0x10]", "[NaN]", "[Infinity]", "[tru]", "[truex]", "[nul]", "[\"\\x\"]",
		"[\"\\u12\"]", "[\"\\uD800\"]", "[\"\\uDC00\"]", "[\"\\uD800\\u0041\"]", "[\"a\nb\"]",
		"[\"\t\"]", "[\"unterminated]", "{\"a\":1,\"a\":2}", "{\"\\u0000\":1}",
		"[99999999999999999999]", "[-99999999999999999999]", "[1e400]", "[-1e400]",
		"{1:2}", "{'a':1}", "[1]\x01",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		same_parse(bad[i], strlen(bad[i]), false);
	/* A NUL byte outside a string. */
	same_parse("[1,\0]", 5, false);
}

/* A record of more values than the limit is refused before jansson builds them all. */
static void test_jsonio__value_limit(void **state)
{
	static const char in[] = "{\"annotations\":[{},{},{},{}]}";
	bool too_many;
	json_t *v;
	char *big, why[256];
	size_t i, n = REC_MAX_VALUES + 1, len;

	(void)state;
	v = jsonio_parse(in, sizeof(in) - 1, 6, &too_many);
	assert_non_null(v);
	assert_false(too_many);
	json_decref(v);
	assert_null(jsonio_parse(in, sizeof(in) - 1, 5, &too_many));
	assert_true(too_many);
	/* Through rec_parse: the message, and no fall back to jansson. Values past the limit are not built. */
	big = xmalloc(n * 2 + 32);
	len = (size_t)sprintf(big, "{\"a\":[");
	for (i = 0; i < n; i++) {
		big[len++] = '0';
		big[len++] = ',';
	}
	big[len - 1] = ']';
	big[len++] = '}';
	assert_null(rec_parse(big, len, why, sizeof(why)));
	assert_non_null(strstr(why, "more than 8388608 JSON values"));
	free(big);
}

static void test_jsonio__deep_nesting(void **state)
{
	size_t depth, i;

	(void)state;
	/* jansson's limit is 2048 levels: one side of it is read, the other refused by both. */
	for (depth = 2047; depth <= 2050; depth++) {
		char *s = malloc(2 * depth + 1);

		assert_non_null(s);
		for (i = 0; i < depth; i++) {
			s[i] = '[';
			s[2 * depth - 1 - i] = ']';
		}
		s[2 * depth] = '\0';
		same_parse(s, 2 * depth, false);
		free(s);
	}
}

static void test_jsonio__reals_written_alike(void **state)
{
	static const double v[] = { 0.0, -0.0, 1.0, 0.1, 1.0 / 3, 2.5, 100.0, 1e15, 1e16, 1e17,
				    1e21, 1e-5, 1.5e-7, 123456.789, 6.02214076e23, 1e300, 5e-324,
				    -42.125, 0.30000000000000004 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		json_t *r = json_array();

		/* jansson writes only arrays and objects at the top. */
		json_array_append_new(r, json_real(v[i]));
		same_dump(r, 15);
		same_dump(r, 17);
		same_dump(r, 3);
		json_decref(r);
	}
}

static void test_jsonio__strings_written_alike(void **state)
{
	json_t *a = json_array();
	char all[256];
	int i;

	(void)state;
	/* Every ASCII byte, NUL included, in one string and one by one. */
	for (i = 0; i < 128; i++) {
		all[i] = (char)i;
		json_array_append_new(a, json_stringn(all + i, 1));
	}
	json_array_append_new(a, json_stringn(all, 128));
	json_array_append_new(a, json_string("\xc3\xa9\xe2\x80\x9c\xf0\x9f\x98\x80"));
	same_dump(a, 15);
	json_decref(a);
}

static bool skip_ab(const char *k, const json_t *v)
{
	return (!strcmp(k, "a") && json_is_string(v)) || !strcmp(k, "b");
}

/* jsonio_dump_except() writes what json_dumps() writes for the object less the skipped members. */
static void test_jsonio__dump_except(void **state)
{
	static const char in[] = "{\"a\":\"x\",\"c\":[1,{\"a\":\"inner kept\"}],\"b\":null,\"d\":2.5}";
	json_t *o = json_loads(in, 0, NULL), *a = json_loads("{\"a\":3}", 0, NULL);
	char *buf = NULL;
	size_t len = 0, cap = 0;

	(void)state;
	assert_non_null(o);
	assert_int_equal(jsonio_dump_except(o, 15, skip_ab, &buf, &len, &cap), 0);
	assert_int_equal(len, strlen("{\"c\":[1,{\"a\":\"inner kept\"}],\"d\":2.5}"));
	assert_memory_equal(buf, "{\"c\":[1,{\"a\":\"inner kept\"}],\"d\":2.5}", len);
	/* Skipped only when the predicate says so: "a" as a number stays. */
	len = 0;
	assert_int_equal(jsonio_dump_except(a, 15, skip_ab, &buf, &len, &cap), 0);
	assert_memory_equal(buf, "{\"a\":3}", len);
	/* Everything skipped: an empty object. Not an object: refused. */
	json_object_del(o, "c");
	json_object_del(o, "d");
	len = 0;
	assert_int_equal(jsonio_dump_except(o, 15, skip_ab, &buf, &len, &cap), 0);
	assert_memory_equal(buf, "{}", len);
	assert_int_equal(jsonio_dump_except(json_object_get(a, "a"), 15, skip_ab, &buf, &len, &cap), -1);
	free(buf);
	json_decref(o);
	json_decref(a);
}

/* rec_write() and rec_dump() agree with each other and read back. */
static void test_jsonio__rec_write_round_trip(void **state)
{
	static const char line[] = "{\"format\":1,\"id\":\"c-1\",\"text\":\"a \\\"b\\\"\\n\",\"w\":1.5,\"annotations\":[]}";
	char why[256], buf[512];
	json_t *rec;
	FILE *fp;
	char *s;
	size_t n;

	(void)state;
	rec = rec_parse(line, sizeof(line) - 1, why, sizeof(why));
	assert_non_null(rec);
	s = rec_dump(rec);
	assert_string_equal(s, line);
	fp = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(fp);
	assert_int_equal(rec_write(fp, rec), 0);
	n = (size_t)ftell(fp);
	fclose(fp);
	assert_int_equal(n, strlen(line) + 1);
	assert_memory_equal(buf, line, n - 1);
	assert_int_equal(buf[n - 1], '\n');
	free(s);
	json_decref(rec);
	/* Errors still carry jansson's message. */
	assert_null(rec_parse("{\"a\":1,\"a\":2}", 13, why, sizeof(why)));
	assert_non_null(strstr(why, "duplicate"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonio__values),
		cmocka_unit_test(test_jsonio__refused_alike),
		cmocka_unit_test(test_jsonio__value_limit),
		cmocka_unit_test(test_jsonio__deep_nesting),
		cmocka_unit_test(test_jsonio__reals_written_alike),
		cmocka_unit_test(test_jsonio__strings_written_alike),
		cmocka_unit_test(test_jsonio__dump_except),
		cmocka_unit_test(test_jsonio__rec_write_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
