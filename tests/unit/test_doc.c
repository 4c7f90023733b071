/*
 * test_doc.c -- lib/doc.c, the document view every stage reads, and the word
 * cutter it counts with (tests/fixtures/words/words.test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "slant/doc.h"
#include "slant/lex.h"
#include "slant/rec.h"
#include "slant/text.h"
#include "slant/usage.h"

/* ====== The word table ====== */

/* The words a cutter finds in 's', joined by " | " (caller frees). */
static char *cut(const char *s, bool lexicon)
{
	size_t n = strlen(s), pos = 0, ws, we, len = 0;
	char *out = xstrdup("");

	while (lexicon ? lex_next_word(s, n, &pos, &ws, &we) : text_next_word(s, n, &pos, &ws, &we)) {
		out = xrealloc(out, len + (we - ws) + 4);
		len += (size_t)sprintf(out + len, "%s%.*s", len ? " | " : "", (int)(we - ws), s + ws);
	}
	return out;
}

/* Whether 'got' is what the line "KEY: want" says; reports a difference. */
static bool same(const char *text, const char *line, const char *key, const char *got)
{
	size_t k = strlen(key);
	const char *want = line + k + 1;

	while (*want == ' ')
		want++;
	if (!strcmp(want, got))
		return true;
	print_error("words.test: %s\n  %s want %s\n  %s got  %s\n", text, key, want, key, got);
	return false;
}

static void test_doc__word_table(void **state)
{
	const char *top = getenv("SLANT_TOP") ? getenv("SLANT_TOP") : ".";
	char *path = xasprintf("%s/tests/fixtures/words/words.test", top), *line = NULL;
	char *text = NULL;
	FILE *f = fopen(path, "r");
	size_t cap = 0, checks = 0, failed = 0;
	ssize_t n;

	(void)state;
	assert_non_null(f);
	while ((n = getline(&line, &cap, f)) >= 0) {
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if (!n || line[0] == '#') {
			free(text);
			text = NULL;
			continue;
		}
		if (!text) {
			text = xstrdup(line);
		} else if (!strncmp(line, "words:", 6) || !strncmp(line, "lex:", 4)) {
			bool lexicon = line[0] == 'l';
			char *got = cut(text, lexicon);

			failed += !same(text, line, lexicon ? "lex:" : "words:", got);
			/* The count is the cut: text_count_words() agrees with it. */
			if (!lexicon) {
				size_t words = 0, i;

				for (i = 0; got[i]; i++)
					words += got[i] == '|';
				words += *got != '\0';
				assert_int_equal(text_count_words(text, 0, strlen(text)), words);
			}
			free(got);
			checks++;
		} else {
			fail_msg("words.test: '%s' is neither a words: nor a lex: line", line);
		}
	}
	free(text);
	free(line);
	fclose(f);
	free(path);
	assert_true(checks >= 12);
	assert_int_equal(failed, 0);
}

/* ====== The view ====== */

/* A record with 'text' and the annotations of the JSON array 'anns'. */
static json_t *record(const char *text, const char *anns)
{
	json_t *rec = rec_new("c-doc");
	json_error_t err;
	json_t *a = json_loads(anns, 0, &err);

	if (!a)
		fail_msg("bad test JSON: %s", err.text);
	json_object_set_new(rec, "title", json_string("Title"));
	json_object_set_new(rec, "text", json_string(text));
	json_object_set_new(rec, "annotations", a);
	return rec;
}

static const char text[] = "Title\n\n\xe2\x80\x9cWe win,\xe2\x80\x9d Putin said. The regime fell.";

static const char segment[] =
	"[{\"stage\":\"segment\",\"label\":\"headline\",\"start\":0,\"end\":5},"
	"{\"stage\":\"segment\",\"label\":\"paragraph\",\"start\":0,\"end\":5},"
	"{\"stage\":\"segment\",\"label\":\"paragraph\",\"start\":7,\"end\":49},"
	"{\"stage\":\"segment\",\"label\":\"sentence\",\"start\":0,\"end\":5,\"paragraph\":0},"
	"{\"stage\":\"segment\",\"label\":\"sentence\",\"start\":7,\"end\":32,\"paragraph\":1},"
	"{\"stage\":\"segment\",\"label\":\"sentence\",\"start\":33,\"end\":49,\"paragraph\":1},"
	"{\"stage\":\"segment\",\"label\":\"quote\",\"start\":7,\"end\":20,"
	"\"content_start\":10,\"content_end\":17,\"kind\":\"direct\"}]";

static void test_doc__reads_segment_and_attrib(void **state)
{
	json_t *rec = record(text, segment), *a;
	struct doc d = { 0 };
	char why[256];

	(void)state;
	doc_forget(&d);
	assert_int_equal(doc_read(&d, rec, why, sizeof(why)), 0);
	assert_true(d.has_head);
	assert_int_equal(d.npara, 2);
	assert_int_equal(d.nsent, 3);
	assert_int_equal(d.nquote, 1);
	assert_int_equal(d.quote[0].words, 2);
	assert_int_equal(doc_body_start(&d), 5);
	assert_int_equal(doc_words(&d), 7);
	assert_int_equal(doc_sentence_at(&d, 40), 2);
	assert_int_equal(doc_sentence_at(&d, 32), -1);
	assert_int_equal(doc_sentence_at(&d, 6), -1);
	assert_int_equal(doc_paragraph_at(&d, 8), 1);
	assert_ptr_equal(doc_quote_at(&d, 10, 12), &d.quote[0]);
	assert_null(doc_quote_at(&d, 7, 12));
	assert_null(d.quote[0].speaker);
	assert_int_equal(d.sent[1].attr, DOC_UNREAD);

	/* attrib's annotations, appended later: read without reading the rest again. */
	a = rec_annotate(rec, "attrib", "attributed", 7, 32);
	json_object_set_new(a, "sentence", json_integer(1));
	json_object_set_new(a, "source", json_string("Putin"));
	json_object_set_new(a, "source_start", json_integer(21));
	json_object_set_new(a, "source_end", json_integer(26));
	json_object_set_new(a, "cue_start", json_integer(27));
	json_object_set_new(a, "cue_end", json_integer(31));
	a = rec_annotate(rec, "attrib", "speaker", 7, 20);
	json_object_set_new(a, "quote", json_integer(6));
	json_object_set_new(a, "speaker", json_string("Putin"));
	json_object_set_new(a, "speaker_start", json_integer(21));
	json_object_set_new(a, "speaker_end", json_integer(26));
	assert_int_equal(doc_read(&d, rec, why, sizeof(why)), 0);
	assert_int_equal(d.seen, 9);
	assert_int_equal(d.nsent, 3);
	assert_int_equal(d.sent[1].attr, DOC_ATTRIBUTED);
	assert_string_equal(d.sent[1].source_text, "Putin");
	assert_int_equal(d.sent[1].cue.start, 27);
	assert_string_equal(d.quote[0].speaker, "Putin");
	doc_release(&d);
	json_decref(rec);
}

/* Each bad annotation, appended to a good record, and the message it must give. */
static void test_doc__one_policy_for_bad_spans(void **state)
{
	static const struct {
		const char *ann, *why;
	} bad[] = {
		{ "{\"stage\":\"frame\",\"label\":\"loaded\",\"start\":3,\"end\":99}",
		  "annotation 7 (frame/loaded): 'end' is not an offset into the text (0 to 49)" },
		{ "{\"stage\":\"frame\",\"label\":\"loaded\",\"start\":12,\"end\":3}",
		  "annotation 7: 'start' 12 is after 'end' 3" },
		{ "{\"stage\":\"frame\",\"label\":\"loaded\",\"start\":8,\"end\":9}",
		  "annotation 7 (frame/loaded): 'start' 8 cuts a UTF-8 character" },
		{ "{\"stage\":\"frame\",\"label\":\"loaded\",\"start\":\"3\",\"end\":9}",
		  "'start' is not an offset" },
		{ "{\"stage\":\"frame\",\"label\":\"loaded\"}", "annotation 7 (frame/loaded) has no 'start'" },
		{ "{\"label\":\"loaded\",\"start\":1,\"end\":2}", "annotation 7 has no 'stage' or 'label'" },
		{ "{\"stage\":\"segment\",\"label\":\"sentence\",\"start\":20,\"end\":30}",
		  "annotation 7: segment sentence out of order" },
		{ "{\"stage\":\"segment\",\"label\":\"quote\",\"start\":34,\"end\":40,"
		  "\"content_start\":30,\"content_end\":39}",
		  "annotation 7: segment quote content outside its marks" },
		{ "{\"stage\":\"segment\",\"label\":\"quote\",\"start\":34,\"end\":40,"
		  "\"content_start\":35,\"content_end\":4000000}",
		  "'content_end' is not an offset" },
		{ "{\"stage\":\"attrib\",\"label\":\"vague\",\"start\":33,\"end\":49,\"sentence\":7}",
		  "annotation 7: attrib vague of no segment sentence" },
		{ "{\"stage\":\"attrib\",\"label\":\"attributed\",\"start\":33,\"end\":49,\"sentence\":2,"
		  "\"source_start\":33,\"source_end\":50}",
		  "'source_end' is not an offset" },
		{ "{\"stage\":\"attrib\",\"label\":\"speaker\",\"start\":7,\"end\":20,\"quote\":3}",
		  "annotation 7: attrib speaker of no segment quote" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *rec = record(text, segment);
		struct doc d = { 0 };
		char why[256];

		doc_forget(&d);
		json_array_append_new(rec_annotations(rec), json_loads(bad[i].ann, 0, NULL));
		assert_int_equal(doc_read(&d, rec, why, sizeof(why)), -1);
		if (!strstr(why, bad[i].why))
			fail_msg("case %zu: '%s' does not say '%s'", i, why, bad[i].why);
		/* Rejected: the view is empty, not half read. */
		assert_int_equal(d.nsent, 0);
		assert_null(d.rec);
		doc_release(&d);
		json_decref(rec);
	}
}

static void test_doc__words_without_segment(void **state)
{
	json_t *rec = record("Title\n\nOne two three.", "[]");
	struct doc d = { 0 };
	char why[256];

	(void)state;
	doc_forget(&d);
	assert_int_equal(doc_read(&d, rec, why, sizeof(why)), 0);
	/* The title is the first paragraph (docs/stream.md): the body's words only. */
	assert_int_equal(doc_words(&d), 3);
	json_object_del(rec, "title");
	doc_forget(&d);
	assert_int_equal(doc_read(&d, rec, why, sizeof(why)), 0);
	assert_int_equal(doc_words(&d), 4);
	json_object_del(rec, "text");
	doc_forget(&d);
	assert_int_equal(doc_read(&d, rec, why, sizeof(why)), -1);
	assert_string_equal(why, "record has no 'text' string");
	doc_release(&d);
	json_decref(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc__word_table),
		cmocka_unit_test(test_doc__reads_segment_and_attrib),
		cmocka_unit_test(test_doc__one_policy_for_bad_spans),
		cmocka_unit_test(test_doc__words_without_segment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
