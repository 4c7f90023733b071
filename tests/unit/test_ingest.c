/* test_ingest.c -- stages/ingest.c through its descriptor, records collected in memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "slant/conf.h"
#include "slant/rec.h"
#include "slant/stage.h"

extern const struct stage stage_ingest;

struct run {
	char dir[64];
	json_t *recs;
	int rc;
};

static int collect(struct stage_ctx *ctx, json_t *rec)
{
	json_array_append(ctx->emit_data, rec);
	return 0;
}

static void put(struct run *r, const char *name, const char *data, size_t len)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

/* Run slant-ingest's stage on 'argc' paths relative to the run's directory. */
static void ingest(struct run *r, int argc, const char *const *names)
{
	struct conf conf = CONF_INIT;
	struct stage_ctx ctx = { 0 };
	char *argv[8];
	int i;

	json_decref(r->recs);
	r->recs = json_array();
	ctx.stage = &stage_ingest;
	ctx.conf = &conf;
	ctx.emit = collect;
	ctx.emit_data = r->recs;
	for (i = 0; i < argc; i++) {
		argv[i] = malloc(strlen(r->dir) + strlen(names[i]) + 2);
		sprintf(argv[i], "%s/%s", r->dir, names[i]);
	}
	assert_int_equal(stage_ingest.setup(&ctx, argc, argv), 0);
	r->rc = stage_ingest.run(&ctx, argc, argv);
	stage_ingest.teardown(&ctx);
	for (i = 0; i < argc; i++)
		free(argv[i]);
	conf_release(&conf);
}

static int setup(void **state)
{
	struct run *r = calloc(1, sizeof(*r));

	strcpy(r->dir, "/tmp/slant-test-ingest.XXXXXX");
	assert_non_null(mkdtemp(r->dir));
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	struct run *r = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", r->dir);
	assert_int_equal(system(cmd), 0);
	json_decref(r->recs);
	free(r);
	return 0;
}

static json_t *rec(struct run *r, size_t i)
{
	json_t *v = json_array_get(r->recs, i);

	assert_non_null(v);
	return v;
}

static void test_ingest__text_record(void **state)
{
	struct run *r = *state;
	static const char txt[] = "Title line\n\nFirst   paragraph.\n\nSecond.\n";
	const char *names[] = { "a.txt" };
	json_t *v, *src;
	char *id;

	put(r, "a.txt", txt, sizeof(txt) - 1);
	ingest(r, 1, names);
	assert_int_equal(r->rc, 0);
	assert_int_equal(json_array_size(r->recs), 1);
	v = rec(r, 0);
	assert_int_equal(json_integer_value(json_object_get(v, "format")), 1);
	assert_string_equal(rec_str(v, "title"), "Title line");
	assert_string_equal(rec_str(v, "text"), "Title line\n\nFirst paragraph.\n\nSecond.");
	assert_true(rec_has_stage(v, "ingest"));
	src = json_object_get(v, "source");
	assert_string_equal(json_string_value(json_object_get(src, "type")), "text");
	assert_non_null(strstr(json_string_value(json_object_get(src, "path")), "/a.txt"));
	assert_int_equal(strlen(rec_str(v, "id")), 18);
	assert_true(!strncmp(rec_str(v, "id"), "c-", 2));
	/* Same input, same id. */
	id = strdup(rec_str(v, "id"));
	ingest(r, 1, names);
	assert_string_equal(rec_str(rec(r, 0), "id"), id);
	free(id);
}

static void test_ingest__directory_sorted_and_filtered(void **state)
{
	struct run *r = *state;
	const char *names[] = { "d" };
	static const char html[] =
		"<html><head><title>A</title></head><body><p>Body of a.</p></body></html>";
	char path[128];

	snprintf(path, sizeof(path), "%s/d", r->dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/d/sub", r->dir);
	mkdir(path, 0700);
	put(r, "d/b.txt", "B\n\nbody b\n", 10);
	put(r, "d/a.html", html, strlen(html));
	put(r, "d/sub/c", "C\n\nbody c\n", 10);
	put(r, "d/README.md", "# not an article\n", 17);
	put(r, "d/.hidden.txt", "H\n\nhidden\n", 10);
	ingest(r, 1, names);
	assert_int_equal(r->rc, 0);
	assert_int_equal(json_array_size(r->recs), 3);
	assert_string_equal(rec_str(rec(r, 0), "title"), "A");
	assert_string_equal(rec_str(rec(r, 1), "title"), "B");
	assert_string_equal(rec_str(rec(r, 2), "title"), "C");
}

static void test_ingest__jsonl_good_and_bad_lines(void **state)
{
	struct run *r = *state;
	static const char in[] =
		"{\"title\":\"One\",\"text\":\"One\\n\\nBody one.\",\"url\":\"https://x.org/1\","
		"\"byline\":\"By Ann Smith and Bo Li | June 2, 2024\",\"published\":\"2024-01-02\","
		"\"site_name\":\"X Daily\",\"section\":\"Opinion\",\"genre\":[\"not a string\"]}\n"
		"\n"
		"{\"title\":\"Two\",\"text\":\"Bo\n"
		"[1]\n"
		"{\"title\":\"No text\"}\n"
		"{\"text\":\"Three\\nLine para.\"}\n";
	const char *names[] = { "in.jsonl" };
	json_t *v, *e;

	put(r, "in.jsonl", in, sizeof(in) - 1);
	ingest(r, 1, names);
	assert_int_equal(r->rc, 1);
	assert_int_equal(json_array_size(r->recs), 5);
	v = rec(r, 0);
	assert_string_equal(rec_str(v, "text"), "One\n\nBody one.");
	assert_string_equal(rec_str(v, "url"), "https://x.org/1");
	assert_true(!strncmp(rec_str(v, "id"), "u-", 2));
	assert_string_equal(json_string_value(json_object_get(json_object_get(v, "outlet"), "name")),
			    "X Daily");
	/* The byline as given, its names cleaned of the date after them. */
	assert_string_equal(rec_str(v, "byline"), "By Ann Smith and Bo Li | June 2, 2024");
	assert_int_equal(json_array_size(json_object_get(v, "authors")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(v, "authors"), 1)), "Bo Li");
	/* The section is carried for slant-affil; a genre that is not a string is not. */
	assert_string_equal(rec_str(v, "section"), "Opinion");
	assert_null(json_object_get(v, "genre"));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "source"), "line")), 1);
	for (size_t i = 1; i <= 3; i++) {
		v = rec(r, i);
		assert_true(rec_is_error(v));
		e = json_array_get(json_object_get(v, "errors"), 0);
		assert_int_equal(json_integer_value(json_object_get(e, "line")), (json_int_t)i + 2);
	}
	v = rec(r, 4);
	assert_string_equal(rec_str(v, "title"), "Three");
	assert_string_equal(rec_str(v, "text"), "Three\n\nLine para.");
}

static void test_ingest__bad_inputs_continue(void **state)
{
	struct run *r = *state;
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0";
	const char *names[] = { "missing.txt", "img.png", "empty.txt", "latin.txt", "ok.txt" };
	json_t *v;

	put(r, "img.png", png, sizeof(png) - 1);
	put(r, "empty.txt", "", 0);
	put(r, "latin.txt", "Caf\xe9\n\nna\xefve \x93quote\x94\n", 20);
	put(r, "ok.txt", "OK\n\nfine\n", 9);
	ingest(r, 5, names);
	assert_int_equal(r->rc, 1);
	assert_int_equal(json_array_size(r->recs), 5);
	assert_true(rec_is_error(rec(r, 0)));
	assert_true(rec_is_error(rec(r, 1)));
	assert_true(rec_is_error(rec(r, 2)));
	v = rec(r, 3);
	assert_false(rec_is_error(v));
	assert_string_equal(rec_str(v, "text"), "Caf\xc3\xa9\n\nna\xc3\xafve \xe2\x80\x9cquote\xe2\x80\x9d");
	assert_int_equal(json_array_size(json_object_get(v, "errors")), 1);
	assert_string_equal(rec_str(rec(r, 4), "title"), "OK");
}

static void test_ingest__error_messages_name_the_input(void **state)
{
	struct run *r = *state;
	const char *names[] = { "nope" };
	const char *msg;

	ingest(r, 1, names);
	msg = json_string_value(json_object_get(
		json_array_get(json_object_get(rec(r, 0), "errors"), 0), "message"));
	assert_non_null(strstr(msg, "cannot open '"));
	assert_non_null(strstr(msg, "/nope': No such file or directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ingest__text_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__directory_sorted_and_filtered, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ingest__jsonl_good_and_bad_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__bad_inputs_continue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__error_messages_name_the_input, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
