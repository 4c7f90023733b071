/* test_core.c -- lib/usage.c, line.c, utf8.c, hash.c, rec.c and conf.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "slant/conf.h"
#include "slant/hash.h"
#include "slant/line.h"
#include "slant/rec.h"
#include "slant/usage.h"
#include "slant/utf8.h"

/* ====== line reader ====== */

static FILE *mem(const char *s, size_t n)
{
	FILE *fp = fmemopen((void *)s, n, "rb");

	assert_non_null(fp);
	return fp;
}

static void test_line__crlf_nul_and_last_line(void **state)
{
	static const char in[] = "a\r\nb\0c\n\nlast";
	FILE *fp = mem(in, sizeof(in) - 1);
	struct line_reader lr;

	(void)state;
	line_reader_init(&lr, fp, "mem", 0);
	assert_int_equal(line_read(&lr), 1);
	assert_int_equal(lr.len, 1);
	assert_string_equal(lr.buf, "a");
	assert_int_equal(line_read(&lr), 1);
	assert_int_equal(lr.len, 3);
	assert_true(line_has_nul(&lr));
	assert_int_equal(line_read(&lr), 1);
	assert_int_equal(lr.len, 0);
	assert_int_equal(line_read(&lr), 1);
	assert_string_equal(lr.buf, "last");
	assert_int_equal(lr.lineno, 4);
	assert_int_equal(line_read(&lr), 0);
	line_reader_release(&lr);
	fclose(fp);
}

static void test_line__long_and_overlong(void **state)
{
	size_t n = 300000, i;
	char *in = malloc(2 * n + 4);
	FILE *fp;
	struct line_reader lr;

	(void)state;
	for (i = 0; i < n; i++)
		in[i] = 'x';
	in[n] = '\n';
	for (i = 0; i < n; i++)
		in[n + 1 + i] = 'y';
	in[2 * n + 1] = '\n';
	memcpy(in + 2 * n + 2, "z\n", 2);
	fp = mem(in, 2 * n + 4);
	line_reader_init(&lr, fp, "mem", n);
	assert_int_equal(line_read(&lr), 1);
	assert_int_equal(lr.len, n);
	assert_int_equal(lr.overlong, 0);
	assert_int_equal(line_read(&lr), 1);
	assert_int_equal(lr.len, n); /* exactly at the limit is kept */
	lr.max = n - 1;
	fclose(fp);
	line_reader_release(&lr);

	fp = mem(in, 2 * n + 4);
	line_reader_init(&lr, fp, "mem", 1000);
	assert_int_equal(line_read(&lr), 1);
	assert_int_equal(lr.overlong, n);
	assert_int_equal(lr.len, 0);
	assert_int_equal(line_read(&lr), 1);
	assert_int_equal(lr.overlong, n);
	assert_int_equal(line_read(&lr), 1);
	assert_string_equal(lr.buf, "z");
	assert_int_equal(lr.lineno, 3);
	line_reader_release(&lr);
	fclose(fp);
	free(in);
}

/* ====== UTF-8 ====== */

static void test_utf8__validation(void **state)
{
	uint32_t cp;

	(void)state;
	assert_true(utf8_valid("caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d", 13));
	assert_false(utf8_valid("\xc0\xaf", 2));          /* overlong */
	assert_false(utf8_valid("\xed\xa0\x80", 3));      /* surrogate */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4));  /* > U+10FFFF */
	assert_false(utf8_valid("ab\xe2\x80", 4));        /* truncated */
	assert_int_equal(utf8_valid_prefix("ab\xff", 3), 2);
	assert_int_equal(utf8_decode("\xc2\xab", 2, &cp), 2);
	assert_int_equal(cp, 0xAB);
	assert_int_equal(utf8_count("\xc2\xab" "a", 3), 2);
}

static void test_utf8__repair(void **state)
{
	size_t n, bad;
	char *s = utf8_repair("a\xff" "b\0c", 5, &n, &bad);

	(void)state;
	assert_int_equal(bad, 2);
	assert_int_equal(n, 6);
	assert_memory_equal(s, "a\xef\xbf\xbd" "bc", 6);
	free(s);
}

/* ====== SHA-256 ====== */

static void test_hash__known_vectors(void **state)
{
	char hex[65];

	(void)state;
	sha256_hex_of("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex_of("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* ====== records ====== */

static void test_rec__parse_errors(void **state)
{
	char why[256];
	json_t *rec;

	(void)state;
	assert_null(rec_parse("[1]", 3, why, sizeof(why)));
	assert_non_null(strstr(why, "not a JSON object"));
	assert_null(rec_parse("{\"a\":", 5, why, sizeof(why)));
	assert_non_null(strstr(why, "bad JSON"));
	assert_null(rec_parse("{\"a\":\"\xff\"}", 8, why, sizeof(why)));
	assert_non_null(strstr(why, "invalid UTF-8 at byte 6"));
	rec = rec_parse("{\"text\":\"x\"}", 12, why, sizeof(why));
	assert_non_null(rec);
	json_decref(rec);
}

static void test_rec__annotate_and_stages(void **state)
{
	json_t *rec = rec_new("id1"), *ann;
	char *s;

	(void)state;
	json_object_set_new(rec, "text", json_string("Caf\xc3\xa9 regime"));
	ann = rec_annotate(rec, "frame", "term", 6, 12);
	assert_string_equal(json_string_value(json_object_get(ann, "text")), "regime");
	assert_int_equal(ann_offset(ann, "start", 99), 6);
	assert_true(ann_is(ann, "frame", "term"));
	assert_false(ann_is(ann, "frame", "other"));
	assert_false(rec_has_stage(rec, "segment"));
	rec_mark_stage(rec, "segment");
	assert_true(rec_has_stage(rec, "segment"));
	s = rec_dump(rec);
	assert_non_null(strstr(s, "\"stages\":[\"segment\"]"));
	free(s);
	json_decref(rec);
}

static void test_rec__error_record(void **state)
{
	json_t *a = rec_error_record("segment", "in.jsonl", 7, "bad", "{\xff", 2);
	json_t *b = rec_error_record("segment", "in.jsonl", 7, "bad", "{\xff", 2);

	(void)state;
	assert_true(rec_is_error(a));
	assert_string_equal(rec_str(a, "id"), rec_str(b, "id"));
	assert_string_equal(rec_str(a, "raw"), "{\xef\xbf\xbd");
	json_decref(a);
	json_decref(b);
}

/* ====== pipeline.conf ====== */

static void test_conf__values_and_defaults(void **state)
{
	struct conf c = CONF_INIT;
	static const char text[] = "# comment\n[pipeline]\n db = x.db \n[store]\nbatch=7\n";
	double d;

	(void)state;
	assert_int_equal(conf_parse(&c, "t.conf", text, sizeof(text) - 1), 0);
	assert_string_equal(conf_get(&c, "pipeline", "db"), "x.db");
	assert_int_equal(conf_double(&c, "store", "batch", &d), 0);
	assert_true(d == 7.0);
	assert_non_null(conf_get(&c, "frame", "lexicon")); /* a default */
	assert_null(conf_get(&c, "frame", "nope"));
	assert_int_equal(conf_set(&c, "pipeline", "db", "y.db"), 0);
	assert_string_equal(conf_get(&c, "pipeline", "db"), "y.db");
	assert_int_equal(conf_set(&c, "pipeline", "nope", "1"), -1);
	conf_release(&c);
}

static void test_conf__errors_name_file_and_line(void **state)
{
	struct conf c = CONF_INIT;
	static const char unknown_section[] = "[pipeline]\ndb=a\n\n[nosuch]\n";
	static const char unknown_key[] = "[pipeline]\ncolour = red\n";
	static const char no_equals[] = "[pipeline]\njust words\n";
	static const char outside[] = "db = x\n";
	static const char header[] = "[pipeline\n";

	(void)state;
	assert_int_equal(conf_parse(&c, "a.conf", unknown_section, sizeof(unknown_section) - 1), -1);
	conf_release(&c);
	assert_int_equal(conf_parse(&c, "a.conf", unknown_key, sizeof(unknown_key) - 1), -1);
	conf_release(&c);
	assert_int_equal(conf_parse(&c, "a.conf", no_equals, sizeof(no_equals) - 1), -1);
	conf_release(&c);
	assert_int_equal(conf_parse(&c, "a.conf", outside, sizeof(outside) - 1), -1);
	conf_release(&c);
	assert_int_equal(conf_parse(&c, "a.conf", header, sizeof(header) - 1), -1);
	conf_release(&c);
	assert_int_equal(conf_parse(&c, "a.conf", "[store]\0", 8), -1);
	conf_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line__crlf_nul_and_last_line),
		cmocka_unit_test(test_line__long_and_overlong),
		cmocka_unit_test(test_utf8__validation),
		cmocka_unit_test(test_utf8__repair),
		cmocka_unit_test(test_hash__known_vectors),
		cmocka_unit_test(test_rec__parse_errors),
		cmocka_unit_test(test_rec__annotate_and_stages),
		cmocka_unit_test(test_rec__error_record),
		cmocka_unit_test(test_conf__values_and_defaults),
		cmocka_unit_test(test_conf__errors_name_file_and_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
