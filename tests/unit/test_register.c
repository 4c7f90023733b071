/* test_register.c -- lib/register.c: validation, lookups, matching, the shipped register. */
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

#include "slant/register.h"
#include "slant/usage.h"

#define HDR "id\tname\taliases\tdomains\tcountry\tkind\townership\tcontrol\tsmm_typology\t" \
	    "conflict_party\tparent\tmatch\tflags\tsource\tchecked\n"

static const char good[] = HDR
	"# a comment\n"
	"rt-ru\tRT\tRussia Today|ANO TV-Novosti\trt.com\tRU\tbroadcaster\tstate_owned\tstate_controlled\tSC\t"
	"russia-ukraine war: russia\t\ttext\t\tState Media Matrix row 360\tno\n"
	"belta-by\tBelta\tBelTA agency\tbelta.by\tBY\twire_agency\tstate_owned\tstate_controlled\tSC\t\t\ttext\t\tSMM row 286\tno\n"
	"ap-us\tAssociated Press\tAP\tapnews.com\tUS\twire_agency\tnon_profit\tindependent\t\t\t\ttext\t\tWikipedia\tno\n"
	"abc-au\tAustralian Broadcasting Corporation\tABC\tabc.net.au\tAU\tbroadcaster\tpublic_service\tindependent\tIP\t\t\ttext\t\tSMM\tno\n"
	"abc-es\tABC\t\tabc.es\tES\tnews_outlet\tprivate\tindependent\t\t\t\ttext\t\tWikipedia\tno\n"
	"cctv-cn\tChina Central Television\tCCTV\tcctv.com\tCN\tbroadcaster\tstate_owned\tstate_controlled\tSC\t\t\ttext\t\tSMM\tno\n"
	"iran-ir\tIran\t\tiran-newspaper.ir\tIR\tnews_outlet\tstate_owned\tstate_controlled\tSC\t\t\tmeta\t\tSMM\tno\n"
	"pd-cn\tPeople's Daily\tRenmin Ribao\t\tCN\tnews_outlet\tstate_owned\tstate_controlled\tSC\t\tcctv-cn\ttext\t\tSMM\tno\n"
	"state-us\tU.S. Department of State\tState Department|RFE/RL\tstate.gov\tUS\tgovernment_body\tstate_owned\tstate_controlled\t\t\t\ttext\tself_describing\thttps://en.wikipedia.org/wiki/United_States_Department_of_State\tyes\n";

static void load_good(struct reg *r)
{
	assert_int_equal(reg_load_buffer(r, "good.tsv", good, sizeof(good) - 1), 0);
	assert_int_equal(reg_compile(r), 0);
}

static void test_register__lookups(void **state)
{
	struct reg r = REG_INIT;
	const struct reg_alias *a;
	const struct reg_entry *e;

	(void)state;
	load_good(&r);
	assert_int_equal(r.n, 9);
	assert_string_equal(reg_by_id(&r, "belta-by")->name, "Belta");
	assert_null(reg_by_id(&r, "nope"));
	assert_string_equal(reg_by_domain(&r, "www.belta.by")->id, "belta-by");
	assert_string_equal(reg_by_domain(&r, "https://news.CCTV.com/2024/x.html")->id, "cctv-cn");
	assert_null(reg_by_domain(&r, "com"));
	assert_null(reg_by_domain(&r, "example.org"));
	a = reg_by_name(&r, "russia  today");
	assert_non_null(a);
	assert_int_equal(a->n, 1);
	assert_string_equal(a->cand[0].entry->id, "rt-ru");
	/* A genuine collision across countries: two candidates. */
	a = reg_by_name(&r, "ABC");
	assert_non_null(a);
	assert_int_equal(a->n, 2);
	assert_string_not_equal(a->cand[0].entry->country, a->cand[1].entry->country);
	/* Meta-only names are found by name, never in text. */
	assert_non_null(reg_by_name(&r, "Iran"));
	e = reg_by_id(&r, "rt-ru");
	assert_true(reg_state_affiliated(e));
	assert_false(reg_state_affiliated(reg_by_id(&r, "ap-us")));
	assert_false(reg_state_affiliated(reg_by_id(&r, "abc-au")));
	/* The flags, source and checked columns. */
	assert_true(reg_by_id(&r, "state-us")->self_describing);
	assert_true(reg_by_id(&r, "state-us")->checked);
	assert_false(e->self_describing);
	assert_false(e->checked);
	assert_string_equal(e->source, "State Media Matrix row 360");
	reg_release(&r);
}

static long match(struct reg *r, struct reg_matches *m, const char *text)
{
	return reg_match(r, text, strlen(text), m);
}

static void test_register__match_case_rules(void **state)
{
	struct reg r = REG_INIT;
	struct reg_matches m = REG_MATCHES_INIT;
	const char *t;

	(void)state;
	load_good(&r);
	/* Short capitals match letter for letter: "rt", "ap" and "Ap" are words. */
	assert_int_equal(match(&r, &m, "the rt of it, an ap score, Ap"), 0);
	t = "RT and AP said; Russia Today, the U.S. Department of State and RFE/RL.";
	assert_int_equal(match(&r, &m, t), 5);
	assert_string_equal(m.v[0].cand[0]->entry->id, "rt-ru");
	assert_string_equal(m.v[1].cand[0]->entry->id, "ap-us");
	assert_memory_equal(t + m.v[3].start, "U.S. Department of State", m.v[3].end - m.v[3].start);
	assert_int_equal(m.v[3].end - m.v[3].start, strlen("U.S. Department of State"));
	/* Capitalised words must be capitalised: "russia today" is no mention. */
	assert_int_equal(match(&r, &m, "russia today and people's daily"), 0);
	assert_int_equal(match(&r, &m, "People's Daily and People\xE2\x80\x99s Daily"), 2);
	/* Meta-only names are not matched; ambiguous ones keep both candidates. */
	assert_int_equal(match(&r, &m, "Iran said ABC reported"), 1);
	assert_int_equal(m.v[0].ncand, 2);
	reg_matches_release(&m);
	reg_release(&r);
}

/* Names with punctuation text matching cannot take ("Walla!", "+972 Magazine") load and match. */
static void test_register__punctuation_in_names(void **state)
{
	static const char text[] = HDR
		"walla-il\tWalla!\t\twalla.co.il\tIL\tnews_outlet\tprivate\t\t\t\t\ttext\t\thttps://walla.co.il/\tno\n"
		"plus972-il\t+972 Magazine\t\t972mag.com\tIL\tnews_outlet\tnon_profit\t\t\t\t\ttext\t\t"
		"https://www.972mag.com/about/\tno\n"
		"ms-us\tMorningstar, Inc.\t\tmorningstar.com\tUS\tcompany\tprivate\t\t\t\t\ttext\t\t"
		"https://www.morningstar.com/\tno\n";
	struct reg r = REG_INIT;
	struct reg_matches m = REG_MATCHES_INIT;

	(void)state;
	assert_int_equal(reg_load_buffer(&r, "p.tsv", text, sizeof(text) - 1), 0);
	assert_int_equal(reg_compile(&r), 0);
	assert_int_equal(match(&r, &m, "Walla! reported it, as did +972 Magazine and Morningstar, Inc."), 3);
	assert_string_equal(m.v[0].cand[0]->entry->id, "walla-il");
	assert_string_equal(m.v[1].cand[0]->entry->id, "plus972-il");
	assert_string_equal(m.v[2].cand[0]->entry->id, "ms-us");
	reg_matches_release(&m);
	reg_release(&r);
}

/* Run 'text' through the loader with stderr captured into 'err'. */
static int load_captured(const char *text, char *err, size_t errlen)
{
	struct reg r = REG_INIT;
	FILE *tmp = tmpfile();
	int saved = dup(2), ret;
	size_t n;

	assert_non_null(tmp);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	ret = reg_load_buffer(&r, "bad.tsv", text, strlen(text));
	if (ret == 0)
		ret = reg_compile(&r);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(err, 1, errlen - 1, tmp);
	err[n] = '\0';
	fclose(tmp);
	reg_release(&r);
	return ret;
}

static void test_register__every_bad_line_reported(void **state)
{
	static const char bad[] = HDR
		"ok-xx\tOk\t\t\tXX\tcompany\tprivate\t\t\t\t\ttext\t\tsrc\tno\n"
		"Bad Id\tX\t\t\t\tcompany\tprivate\t\t\t\t\ttext\t\tsrc\tno\n"
		"a-xx\tA\t\t\tusa\tcompany\tprivate\t\t\t\t\ttext\t\tsrc\tno\n"
		"b-xx\tB\t\t\t\tnewspaper\tprivate\t\t\t\t\ttext\t\tsrc\tno\n"
		"c-xx\tC\t\t\t\tcompany\tstate\t\t\t\t\ttext\t\tsrc\tno\n"
		"d-xx\tD\t\t\t\tcompany\tprivate\t\tXYZ\t\t\ttext\t\tsrc\tno\n"
		"e-xx\tE\t\thttp://e.com/\t\tcompany\tprivate\t\t\t\t\ttext\t\tsrc\tno\n"
		"f-xx\tF\t\t\t\tcompany\tprivate\t\t\t\t\ttext\t\t\tno\n"
		"g-xx\tG\tH|H\t\t\tcompany\tprivate\t\t\t\t\ttext\t\tsrc\tno\n"
		"h-xx\tH\n"
		"ok-xx\tDup\t\t\t\tcompany\tprivate\t\t\t\t\ttext\t\tsrc\tno\n"
		"i-xx\tI\t\t\t\tcompany\tprivate\t\t\twar\t\ttext\t\tsrc\tno\n"
		"j-xx\tJ\t\t\t\tcompany\tprivate\t\t\t\t\tsometimes\t\tsrc\tno\n"
		"k-xx\t\xFF\t\t\t\tcompany\tprivate\t\t\t\t\ttext\t\tsrc\tno\n"
		"l-xx\tL\t\t\t\tcompany\tprivate\t\t\t\t\ttext\tself-describing\tsrc\tno\n"
		"m-xx\tM\t\t\t\tcompany\tprivate\t\t\t\t\ttext\t\tsrc\tmaybe\n";
	static const char *const want[] = {
		"bad.tsv:3): id 'Bad Id'", "bad.tsv:4): country 'usa'", "bad.tsv:5): unknown kind",
		"bad.tsv:6): unknown ownership", "bad.tsv:7): unknown State Media Matrix code",
		"bad.tsv:8): domain 'http://e.com/'", "bad.tsv:9): no source",
		"bad.tsv:10): alias 'H' repeats", "bad.tsv:11): 2 fields", "bad.tsv:12): duplicate id 'ok-xx'",
		"bad.tsv:13): conflict party", "bad.tsv:14): match 'sometimes'", "bad.tsv:15): invalid UTF-8",
		"bad.tsv:16): unknown flag 'self-describing'", "bad.tsv:17): checked 'maybe'",
	};
	char err[8192];
	size_t i;

	(void)state;
	assert_int_equal(load_captured(bad, err, sizeof(err)), -1);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(err, want[i]))
			fail_msg("missing '%s' in:\n%s", want[i], err);
}

static void test_register__header_and_collisions(void **state)
{
	char err[4096];

	(void)state;
	assert_int_equal(load_captured("name\tid\n", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad.tsv:1): expected the header line"));
	assert_int_equal(load_captured("", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no header line"));
	/* The same alias for two entries of one country cannot be told apart. */
	assert_int_equal(load_captured(HDR
		"a-us\tA One\tAO\t\tUS\tcompany\tprivate\t\t\t\t\ttext\t\tsrc\tno\n"
		"b-us\tB Two\tAO\ta.com\tUS\tcompany\tprivate\t\t\t\ta-us\ttext\t\tsrc\tno\n"
		"c-us\tC Three\t\ta.com\tUS\tcompany\tprivate\t\t\t\tnone-such\ttext\t\tsrc\tno\n",
		err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad.tsv:3): 'AO' also names 'a-us'"));
	assert_non_null(strstr(err, "bad.tsv:4): parent 'none-such'"));
	assert_non_null(strstr(err, "bad.tsv:4): domain 'a.com' already belongs to 'b-us'"));
}

static const char *top(void)
{
	const char *t = getenv("SLANT_TOP");

	return t && *t ? t : ".";
}

/* The shipped register: valid, fast, and every State Media Matrix row is in it. */
static void test_register__shipped(void **state)
{
	struct reg r = REG_INIT;
	char *path = xasprintf("%s/lexicons/outlets.tsv", top());
	unsigned char seen[1200] = { 0 };
	struct timespec t0, t1;
	size_t i, rows = 0, hand = 0, ambiguous = 0;
	double ms;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(reg_load(&r, path), 0);
	/* Compiling also proves no name or alias names two entries of one country. */
	assert_int_equal(reg_compile(&r), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	print_message("register: %zu entries loaded and compiled in %.1f ms\n", r.n, ms);
	assert_true(ms < 1000);
	for (i = 0; i < r.n; i++) {
		static const char smm[] = "https://github.com/ASD-at-GMF/state-media-profiles "
					  "(State Media Matrix d878fee, MJRC State Media Monitor seed: row";
		const char *s = strstr(r.v[i].source, smm);

		if (!s) {
			hand++;
			continue;
		}
		s += sizeof(smm) - 1;
		s += strcspn(s, "0123456789");
		while (*s >= '0' && *s <= '9') {
			unsigned long n = strtoul(s, (char **)&s, 10);

			if (n < sizeof(seen) && !seen[n]++)
				rows++;
			if (*s == ',')
				s++;
		}
	}
	print_message("register: %zu State Media Matrix rows imported, %zu entries by hand\n", rows, hand);
	assert_int_equal(rows, 1156);         /* 1,157 rows, one empty */
	for (i = 2; i <= 1157; i++)
		if (!seen[i])
			fail_msg("State Media Matrix row %zu is in no entry", i);
	assert_true(hand >= 200);
	for (i = 0; i < r.n; i++) {
		const struct reg_alias *a = reg_by_name(&r, r.v[i].name);

		if (a && a->n > 1)
			ambiguous++;
	}
	print_message("register: %zu entries share a name with an entry of another country\n", ambiguous);
	assert_string_equal(reg_by_name(&r, "Radio and Television Martí")->cand[0].entry->ownership,
			    "government_funded_international");
	assert_string_equal(reg_by_name(&r, "GUR")->cand[0].entry->kind, "military_intelligence");
	assert_string_equal(reg_by_domain(&r, "www.belta.by")->ownership, "state_owned");
	/* presstv.com is Press TV itself, not its Spanish channel (issue 17). */
	assert_string_equal(reg_by_domain(&r, "https://www.presstv.com/Detail/x")->id, "press-tv-ir");
	assert_true(reg_by_name(&r, "White House")->cand[0].entry->self_describing);
	assert_false(reg_by_name(&r, "Press TV")->cand[0].entry->self_describing);
	reg_release(&r);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register__lookups),
		cmocka_unit_test(test_register__match_case_rules),
		cmocka_unit_test(test_register__punctuation_in_names),
		cmocka_unit_test(test_register__every_bad_line_reported),
		cmocka_unit_test(test_register__header_and_collisions),
		cmocka_unit_test(test_register__shipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
