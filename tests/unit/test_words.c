/* test_words.c -- lib/words.c: the shared closed-class word sets and their one lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

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
	assert_int_equal(n, 20);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words__sorted),
		cmocka_unit_test(test_words__sorted_catches),
		cmocka_unit_test(test_words__has),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
