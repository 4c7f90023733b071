/* test_lex.c -- lib/lex.c: loading and validation, the word rules, matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "slant/lex.h"
#include "slant/usage.h"

/* ====== Helpers ====== */

static const char head[] = "@category\tlabel\tpejorative labels\n"
			   "@category\temotive\temotive words\n";

/* Run lex_load_buffer() on head + 'body' with stderr captured into 'err' (caller frees). */
static int load(struct lex *lex, const char *body, char **err)
{
	char *text = xasprintf("%s%s", head, body);
	FILE *tmp = tmpfile();
	int saved = dup(2), ret;
	long n;

	assert_non_null(tmp);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	ret = lex_load_buffer(lex, "t.tsv", text, strlen(text));
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = ftell(tmp);
	*err = xcalloc(1, (size_t)n + 1);
	rewind(tmp);
	if (n > 0)
		assert_int_equal(fread(*err, 1, (size_t)n, tmp), (size_t)n);
	fclose(tmp);
	free(text);
	return ret;
}

/* Load 'body' (must be valid), match 'text', return "start-end:term;..." (caller frees). */
static char *matches(const char *body, const char *text, unsigned flags)
{
	struct lex lex = LEX_INIT;
	struct lex_matches m = LEX_MATCHES_INIT;
	char *err, *out = xstrdup("");
	size_t i;

	if (load(&lex, body, &err) < 0)
		fail_msg("load failed: %s", err);
	free(err);
	assert_int_equal(lex_compile(&lex), 0);
	assert_true(lex_match(&lex, text, strlen(text), flags, &m) >= 0);
	for (i = 0; i < m.n; i++) {
		char *next = xasprintf("%s%s%zu-%zu:%s", out, i ? ";" : "", m.v[i].start, m.v[i].end,
				       m.v[i].entry->term);
		free(out);
		out = next;
	}
	lex_matches_release(&m);
	lex_release(&lex);
	return out;
}

#define assert_matches(body, text, want)                       \
	do {                                                   \
		char *got_ = matches(body, text, 0);           \
		assert_string_equal(got_, want);               \
		free(got_);                                    \
	} while (0)

/* Loading 'body' fails and stderr holds 'want' (a substring). */
static void assert_load_error(const char *body, const char *want)
{
	struct lex lex = LEX_INIT;
	char *err;

	assert_int_equal(load(&lex, body, &err), -1);
	if (!strstr(err, want))
		fail_msg("wanted '%s' in: %s", want, err);
	free(err);
	lex_release(&lex);
}

/* ====== Loading ====== */

static void test_lex__load_fields_and_metadata(void **state)
{
	struct lex lex = LEX_INIT;
	const struct lex_entry *e;
	char *err;

	(void)state;
	assert_int_equal(load(&lex, "# comment\n\nterm\tcategory\tweight\talternative\texclude\tnote\n"
				    "regime\tlabel\t2.5\tgovernment\ttax _\tRecasens 2013\r\n"
				    "thug*\tlabel\t1\n",
			      &err),
			 0);
	assert_string_equal(err, "");
	free(err);
	assert_int_equal(lex.n, 2);
	e = lex_find(&lex, "REGIME");
	assert_non_null(e);
	assert_string_equal(e->term, "regime");
	assert_string_equal(e->category->name, "label");
	assert_true(e->weight == 2.5);
	assert_string_equal(e->alternative, "government");
	assert_string_equal(e->note, "Recasens 2013");
	assert_string_equal(e->file_base, "t.tsv");
	assert_int_equal(e->line, 6);
	assert_int_equal(e->kind, LEX_WORDS);
	e = lex_find(&lex, "thug*");
	assert_non_null(e);
	assert_int_equal(e->kind, LEX_PREFIX);
	assert_null(e->alternative);
	assert_null(lex_find(&lex, "thug"));
	assert_int_equal(lex.nfiles, 1);
	assert_int_equal(strlen(lex.files[0].hash), 64);
	assert_int_equal(lex.files[0].entries, 2);
	lex_release(&lex);
}

static void test_lex__category_declared_later_in_file(void **state)
{
	struct lex lex = LEX_INIT;
	char *err;

	(void)state;
	assert_int_equal(load(&lex, "x\tlater\t1\n@category\tlater\tdeclared after use\n", &err), 0);
	free(err);
	lex_release(&lex);
}

/* A word in several categories (LIWC's): the first is its category, the rest in 'also'. */
static void test_lex__several_categories(void **state)
{
	struct lex lex = LEX_INIT;
	char *err;

	(void)state;
	assert_int_equal(load(&lex, "@category\tposemo\tp\n@category\tnegemo\tn\n"
				    "bittersweet\tposemo,negemo\t1\n", &err), 0);
	free(err);
	assert_int_equal(lex.n, 1);
	assert_string_equal(lex.entries[0]->category->name, "posemo");
	assert_int_equal(lex.entries[0]->nalso, 1);
	assert_string_equal(lex.entries[0]->also[0]->name, "negemo");
	lex_release(&lex);
	assert_load_error("@category\tposemo\tp\nbittersweet\tposemo,nope\t1\n",
			  "undeclared category 'nope'");
}

static void test_lex__every_error_reported(void **state)
{
	struct lex lex = LEX_INIT;
	char *err;

	(void)state;
	/* Lines 3..: two bad ones and a good one in between; both are reported. */
	assert_int_equal(load(&lex, "a\tnosuch\t1\nb\tlabel\t1\nc\tlabel\t0\n", &err), -1);
	assert_non_null(strstr(err, "t.tsv:3: undeclared category 'nosuch'"));
	assert_non_null(strstr(err, "t.tsv:5: bad weight '0'"));
	free(err);
	lex_release(&lex);
}

static void test_lex__errors_each_kind(void **state)
{
	(void)state;
	assert_load_error("only\ttwo\n", "t.tsv:3: expected 3 to 6 tab-separated fields");
	assert_load_error("a\tlabel\t1\t-\t-\tnote\textra\n", "t.tsv:3: expected 3 to 6");
	assert_load_error("a\tnosuch\t1\n", "t.tsv:3: undeclared category 'nosuch'");
	assert_load_error("a\tlabel\t11\n", "t.tsv:3: bad weight '11'");
	assert_load_error("a\tlabel\theavy\n", "t.tsv:3: bad weight 'heavy'");
	assert_load_error("a\tlabel\t-1\n", "t.tsv:3: bad weight '-1'");
	assert_load_error("a\tlabel\tnan\n", "t.tsv:3: bad weight 'nan'");
	assert_load_error("re:(a\tlabel\t1\n", "t.tsv:3: invalid regex '(a': missing closing "
					      "parenthesis at offset 2");
	assert_load_error("re:a?\tlabel\t1\n", "t.tsv:3: regex 'a?' can match the empty string");
	assert_load_error("regime\tlabel\t1\nRégime\tlabel\t1\nREGIME\tlabel\t1\n",
			  "t.tsv:5: duplicate entry 'REGIME' (same as 'regime' at t.tsv:3)");
	assert_load_error("so-called\tlabel\t1\nso called\tlabel\t1\n", "t.tsv:4: duplicate entry");
	assert_load_error("re:x+\tlabel\t1\nre:x+\tlabel\t1\n", "t.tsv:4: duplicate entry 're:x+'");
	assert_load_error("junta\tlabel\t1\t-\ttax junta\n",
			  "t.tsv:3: exclusion context 'tax junta' must contain one '_'");
	assert_load_error("junta\tlabel\t1\t-\t_ and _\n", "must contain one '_'");
	assert_load_error("junta\tlabel\t1\t-\t _ \n", "exclusion context '_' has no words");
	assert_load_error("\tlabel\t1\n", "t.tsv:3: empty term");
	assert_load_error("caf\xe9\tlabel\t1\n", "t.tsv:3: invalid UTF-8 at byte 4");
	assert_load_error("U.S.\tlabel\t1\n", "t.tsv:3: term 'U.S.' cannot match");
	assert_load_error("dict*ator\tlabel\t1\n", "'*' may only end the last word");
	assert_load_error("\"quoted\"\tlabel\t1\n", "cannot match");
	assert_load_error("@category\tBad-Name\tx\n", "t.tsv:3: bad category name 'Bad-Name'");
	assert_load_error("@category\tlabel\tagain\n", "t.tsv:3: category 'label' already declared");
	assert_load_error("@weight\tx\n", "t.tsv:3: unknown directive '@weight'");
	{
		char *body = xmalloc(LEX_MAX_LINE + 20);

		memset(body, 'x', LEX_MAX_LINE + 1);
		strcpy(body + LEX_MAX_LINE + 1, "\tlabel\t1\n");
		assert_load_error(body, "t.tsv:3: line of 4105 bytes is longer than the limit of 4096");
		free(body);
	}
}

static void test_lex__nul_inside_line(void **state)
{
	struct lex lex = LEX_INIT;
	static const char text[] = "@category\tlabel\tx\na\tlabel\t1\0x\n";

	(void)state;
	assert_int_equal(lex_load_buffer(&lex, "n.tsv", text, sizeof(text) - 1), -1);
	lex_release(&lex);
}

static void test_lex__load_file_and_missing_file(void **state)
{
	struct lex lex = LEX_INIT;
	char path[] = "/tmp/test_lex.XXXXXX";
	int fd = mkstemp(path);
	static const char text[] = "@category\tx\t\nword\tx\t1\n";

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), sizeof(text) - 1);
	close(fd);
	assert_int_equal(lex_load(&lex, path), 0);
	assert_int_equal(lex_load(&lex, path), -1); /* loaded twice */
	assert_string_equal(lex.entries[0]->file, path);
	assert_int_equal(lex.entries[0]->line, 2);
	unlink(path);
	assert_int_equal(lex_load(&lex, "/nonexistent/lexicon.tsv"), -1);
	lex_release(&lex);
}

static void test_lex__add_programmatic(void **state)
{
	struct lex lex = LEX_INIT;
	struct lex_matches m = LEX_MATCHES_INIT;
	struct lex_entry_spec sp = { .term = "Russia Today", .category = "outlet", .weight = 1 };
	struct lex_entry *e;
	int tag = 42;
	static const char text[] = "According to russia today, and RT.";

	(void)state;
	assert_null(lex_add(&lex, &sp, "register.tsv", 7)); /* undeclared */
	assert_null(lex_category_add(&lex, "Bad Name", NULL));
	assert_non_null(lex_category_add(&lex, "outlet", "outlet aliases"));
	sp.data = &tag;
	e = lex_add(&lex, &sp, "register.tsv", 7);
	assert_non_null(e);
	assert_ptr_equal(e->data, &tag);
	assert_string_equal(e->file_base, "register.tsv");
	sp.term = "RT";
	assert_non_null(lex_add(&lex, &sp, NULL, 0));
	sp.term = "russia   today";
	assert_null(lex_add(&lex, &sp, NULL, 0)); /* duplicate */
	assert_int_equal(lex_compile(&lex), 0);
	assert_int_equal(lex_match(&lex, text, sizeof(text) - 1, 0, &m), 2);
	assert_int_equal(m.v[0].start, 13);
	assert_int_equal(m.v[0].end, 25);
	assert_ptr_equal(m.v[0].entry->data, &tag);
	assert_string_equal(m.v[1].entry->term, "RT");
	lex_matches_release(&m);
	lex_release(&lex);
}

/* ====== Words ====== */

static void test_lex__words(void **state)
{
	static const char t[] = "«Régime» don't; regime's so-called 'x' 9/11 “thugs”—l’État";
	static const char *want[] = { "Régime", "don't", "regime", "'s", "so", "called", "x",
				      "9", "11", "thugs", "l’État" };
	size_t pos = 0, s, e, i = 0;
	char buf[64];

	(void)state;
	while (lex_next_word(t, strlen(t), &pos, &s, &e)) {
		assert_true(i < sizeof(want) / sizeof(want[0]));
		assert_int_equal(e - s, strlen(want[i]));
		assert_memory_equal(t + s, want[i], e - s);
		i++;
	}
	assert_int_equal(i, sizeof(want) / sizeof(want[0]));
	buf[lex_fold("RÉGIME", strlen("RÉGIME"), buf)] = '\0';
	assert_string_equal(buf, "régime");
	buf[lex_fold("L’ÉTAT", strlen("L’ÉTAT"), buf)] = '\0';
	assert_string_equal(buf, "l'état");
}

/* ====== Matching ====== */

static void test_lex__match_case_and_boundaries(void **state)
{
	(void)state;
	assert_matches("regime\tlabel\t1\n", "The REGIME, the Regime. regimes regimen preregime",
		       "4-10:regime;16-22:regime");
	assert_matches("regime\tlabel\t1\n", "(regime) «regime» “regime”\n-regime-",
		       "1-7:regime;11-17:regime;23-29:regime;34-40:regime");
	/* Non-ASCII letters are part of words: no match inside "régimes" or "régime". */
	assert_matches("gime\tlabel\t1\n", "régime Xgime gime", "14-18:gime");
	assert_matches("régime\tlabel\t1\n", "RÉGIME du régime", "0-7:régime;11-18:régime");
	/* Possessive: "regime's" holds the word "regime". */
	assert_matches("regime\tlabel\t1\n", "the regime's army, the regime’s army",
		       "4-10:regime;23-29:regime");
	assert_matches("regime's\tlabel\t1\n", "the regime's army, the regime’s army",
		       "4-12:regime's;23-33:regime's");
	assert_matches("regime\tlabel\t1\n", "", "");
}

static void test_lex__match_phrases(void **state)
{
	(void)state;
	assert_matches("so-called\tlabel\t1\n", "the so-called x, so called y, so - called, so, called",
		       "4-13:so-called;17-26:so-called;30-41:so-called");
	assert_matches("regime change\tlabel\t1\n", "regime   change, regime\nchange, regime\n\nchange",
		       "0-15:regime change;17-30:regime change");
	/* A phrase does not cross punctuation. */
	assert_matches("regime change\tlabel\t1\n", "regime. Change; regime, change", "");
	/* Prefix of a longer phrase that does not complete. */
	assert_matches("cuban regime\tlabel\t1\n", "the cuban people and the Cuban regime",
		       "25-37:cuban regime");
}

static void test_lex__match_wildcards(void **state)
{
	(void)state;
	assert_matches("dictator*\tlabel\t1\n", "dictator dictators Dictatorship dictat",
		       "0-8:dictator*;9-18:dictator*;19-31:dictator*");
	assert_matches("a*\tlabel\t1\nzz*\tlabel\t1\n", "an apple zzz z", "0-2:a*;3-8:a*;9-12:zz*");
	assert_matches("brutal dictator*\tlabel\t1\n", "a brutal dictatorship", "2-21:brutal dictator*");
	/* Both an exact word and a prefix at the same word: the longer span, then the first loaded. */
	assert_matches("regime\tlabel\t1\nregim*\temotive\t1\n", "regime", "0-6:regime");
}

static void test_lex__match_regex(void **state)
{
	(void)state;
	assert_matches("re:\\bcollaps(e|ing)\\b\tlabel\t1\n", "Collapse, COLLAPSING, collapsed",
		       "0-8:re:\\bcollaps(e|ing)\\b;10-20:re:\\bcollaps(e|ing)\\b");
	assert_matches("re:\\bdie[sd]?\\b\temotive\t1\n", "Le régime dies", "11-15:re:\\bdie[sd]?\\b");
	/* Caseless and UTF: É folds to é. */
	assert_matches("re:état\tlabel\t1\n", "L'ÉTAT", "2-7:re:état");
}

static void test_lex__regex_limit(void **state)
{
	struct lex lex = LEX_INIT;
	struct lex_matches m = LEX_MATCHES_INIT;
	char *err, text[64];
	time_t t0 = time(NULL);

	(void)state;
	assert_int_equal(load(&lex, "re:(a+)+$\tlabel\t1\n", &err), 0);
	free(err);
	assert_int_equal(lex_compile(&lex), 0);
	memset(text, 'a', 40);
	strcpy(text + 40, "b");
	/* Catastrophic backtracking ends at the match limit, with an error, not a hang. */
	assert_int_equal(lex_match(&lex, text, strlen(text), 0, &m), -1);
	assert_true(time(NULL) - t0 < 20);
	lex_matches_release(&m);
	lex_release(&lex);
}

static void test_lex__match_exclusions(void **state)
{
	static const char body[] = "regime\tlabel\t2\tgovernment\ttax _|sanctions _|training _|_ "
				   "change|sanction* _|_ of the past\n";

	(void)state;
	assert_matches(body, "the tax regime; Tax-regime; the Cuban regime",
		       "38-44:regime");
	assert_matches(body, "the sanctions regime, a sanctioned regime, regime change", "");
	assert_matches(body, "regime of the past; regime of the day", "20-26:regime");
	/* A context does not reach across punctuation. */
	assert_matches(body, "tax. Regime, change", "5-11:regime");
	/* An excluded longer match falls back to the shorter entry. */
	assert_matches("regime\tlabel\t1\ncuban regime\tlabel\t2\t-\ttax _\n",
		       "tax cuban regime", "10-16:regime");
	assert_matches("re:regimes?\tlabel\t1\t-\ttax _\n", "tax regimes, the regimes",
		       "17-24:re:regimes?");
	/* '#' stands for a number: "added 20.72 points" is no statement, "added that" is. */
	assert_matches("added\tlabel\t1\t-\t_ #\n", "It added 20.72 points; he added $5; he added that",
		       "39-44:added");
}

static void test_lex__match_overlaps(void **state)
{
	static const char body[] = "regime\tlabel\t1\nregime change\tlabel\t2\nchange\temotive\t1\n"
				   "re:change agent\temotive\t1\n";
	char *got;

	(void)state;
	/* Leftmost-longest, non-overlapping. */
	assert_matches(body, "regime change agent", "0-13:regime change");
	assert_matches(body, "the change agent", "4-16:re:change agent");
	got = matches(body, "regime change agent", LEX_OVERLAP);
	assert_string_equal(got, "0-13:regime change;0-6:regime;7-19:re:change agent;7-13:change");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lex__load_fields_and_metadata),
		cmocka_unit_test(test_lex__category_declared_later_in_file),
		cmocka_unit_test(test_lex__several_categories),
		cmocka_unit_test(test_lex__every_error_reported),
		cmocka_unit_test(test_lex__errors_each_kind),
		cmocka_unit_test(test_lex__nul_inside_line),
		cmocka_unit_test(test_lex__load_file_and_missing_file),
		cmocka_unit_test(test_lex__add_programmatic),
		cmocka_unit_test(test_lex__words),
		cmocka_unit_test(test_lex__match_case_and_boundaries),
		cmocka_unit_test(test_lex__match_phrases),
		cmocka_unit_test(test_lex__match_wildcards),
		cmocka_unit_test(test_lex__match_regex),
		cmocka_unit_test(test_lex__match_exclusions),
		cmocka_unit_test(test_lex__match_overlaps),
		cmocka_unit_test(test_lex__regex_limit),
	};

	set_progname("test_lex");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
