/* test_words.c -- lib/words.c: the shared closed-class word sets and their one lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "slant/lex.h"
#include "slant/usage.h"
#include "slant/words.h"

/* What words_has() needs of every set; the programs no longer check it at start-up. */
static void test_words__sorted(void **state)
{
	const struct words *const *s;
	size_t n = 0;

	(void)state;
	for (s = words_all; *s; s++, n++) {
		if (!words_sorted(*s))
			fail_msg("words_%s is not sorted, unique, lower-case ASCII", (*s)->name);
		assert_true((*s)->n > 0);
	}
	assert_int_equal(n, 23);
}

static void test_words__sorted_catches(void **state)
{
	static const char *const unsorted[] = { "b", "a" };
	static const char *const dup[] = { "a", "a" };
	static const char *const upper[] = { "A" };
	static const char *const empty[] = { "" };
	const struct words u = { "u", unsorted, 2 }, d = { "d", dup, 2 }, c = { "c", upper, 1 },
			   e = { "e", empty, 1 };

	(void)state;
	assert_false(words_sorted(&u));
	assert_false(words_sorted(&d));
	assert_false(words_sorted(&c));
	assert_false(words_sorted(&e));
}

static void test_words__has(void **state)
{
	char big[64];

	(void)state;
	assert_true(words_has(&words_determiners, "the", 3));
	assert_true(words_has(&words_determiners, "The", 3));
	assert_true(words_has(&words_determiners, "THE", 3));
	assert_true(words_has(&words_determiners, "these", 3)); /* only 'n' bytes count */
	assert_false(words_has(&words_determiners, "thes", 4));
	assert_false(words_has(&words_determiners, "", 0));
	assert_true(words_has(&words_function_words, "won't", 5));
	assert_true(words_has(&words_name_glue, "'s", 2));
	assert_false(words_has(&words_org_glue, "and", 3)); /* "X and Y" are two names */
	assert_true(words_has(&words_strong_abbrevs, "e.g", 3));
	assert_false(words_has(&words_speech_pronouns, "caf\xc3\xa9", 5));
	memset(big, 'a', sizeof(big));
	assert_false(words_has(&words_function_words, big, sizeof(big)));
}

/* A cue lexicon in a scratch file: words_load_cues() reads a path. */
static char *write_tmp(const char *text)
{
	char *path = xstrdup("/tmp/test_words_XXXXXX");
	int fd = mkstemp(path);
	FILE *fp;

	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static void test_words__cues(void **state)
{
	static const char *const cats[] = { "start", "label", "path", NULL };
	static const char *const regex_cats[] = { "path", NULL };
	char *path = write_tmp("@category\tstart\tx\n@category\tlabel\ty\n@category\tpath\tz\n"
			       "read more\tstart\t1\t-\t-\tnote\nimage\tlabel\t1\n"
			       "photo\tstart\t1\nre:/opinion/\tpath\t1\n");
	struct lex lex = LEX_INIT;
	const char **v;

	(void)state;
	assert_int_equal(words_load_cues(&lex, path, cats, regex_cats), 0);
	v = words_cues(&lex, "start"); /* file order, as written */
	assert_string_equal(v[0], "read more");
	assert_string_equal(v[1], "photo");
	assert_null(v[2]);
	free(v);
	v = words_cues(&lex, "nothing");
	assert_null(v[0]);
	free(v);
	lex_release(&lex);
	unlink(path);
	free(path);
}

static void test_words__cues_refused(void **state)
{
	static const char *const cats[] = { "start", "path", NULL };
	static const char *const regex_cats[] = { "path", NULL };
	static const char *const bad[] = {
		"@category\tother\tx\nphoto\tother\t1\n",      /* a category the code has no use for */
		"@category\tstart\tx\nphoto*\tstart\t1\n",     /* a wildcard would be compared as written */
		"@category\tstart\tx\nre:photo\tstart\t1\n",   /* so would a pattern */
		"@category\tpath\tx\nopinion\tpath\t1\n",      /* a path is a pattern */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *path = write_tmp(bad[i]);
		struct lex lex = LEX_INIT;

		assert_int_equal(words_load_cues(&lex, path, cats, regex_cats), -1);
		lex_release(&lex);
		unlink(path);
		free(path);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words__sorted),
		cmocka_unit_test(test_words__sorted_catches),
		cmocka_unit_test(test_words__has),
		cmocka_unit_test(test_words__cues),
		cmocka_unit_test(test_words__cues_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
