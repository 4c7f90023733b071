/* test_score.c -- lib/score.c: each component on hand-made records, settings and bands. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "slant/conf.h"
#include "slant/doc.h"
#include "slant/rec.h"
#include "slant/score.h"
#include "slant/usage.h"

/* ====== Helpers ====== */

/*
 * A record with text "Headline here\n\nBODY" after segment (headline only) and
 * the given stages; annotations are added with ann().
 */
static json_t *record(const char *body, const char *stages)
{
	char *text;
	json_t *rec = rec_new("c-test"), *st = json_array();
	const char *p = stages;
	size_t hl = strlen("Headline here");

	text = xasprintf("Headline here\n\n%s", body);
	json_object_set_new(rec, "text", json_string(text));
	free(text);
	while (*p) {
		const char *e = strchr(p, ' ');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		json_array_append_new(st, json_stringn(p, n));
		p += n;
		while (*p == ' ')
			p++;
	}
	json_object_set_new(rec, "stages", st);
	rec_annotate(rec, "segment", "headline", 0, hl);
	return rec;
}

/* Whether 'label' is one attrib gives a sentence. */
static bool sentence_label(const char *stage, const char *label)
{
	static const char *const labels[] = { "attributed", "vague", "anonymous", "unattributed",
					      "none", NULL };
	size_t i;

	for (i = 0; !strcmp(stage, "attrib") && labels[i]; i++)
		if (!strcmp(label, labels[i]))
			return true;
	return false;
}

/*
 * Append an annotation over the first occurrence of 'what' with the fields of
 * 'json'. An attrib sentence label gets the segment sentence it labels first,
 * as the chain has it (sentences are added in text order).
 */
static size_t ann(json_t *rec, const char *stage, const char *label, const char *what,
		  const char *json)
{
	size_t len;
	const char *text = rec_text(rec, &len), *at = strstr(text, what);
	json_t *a, *f = json_loads(json ? json : "{}", 0, NULL);

	assert_non_null(at);
	assert_non_null(f);
	if (sentence_label(stage, label)) {
		json_t *v;
		size_t i, n = 0;

		json_array_foreach(json_object_get(rec, "annotations"), i, v)
			n += ann_is(v, "segment", "sentence");
		a = rec_annotate(rec, "segment", "sentence", (size_t)(at - text),
				 (size_t)(at - text) + strlen(what));
		json_object_set_new(a, "index", json_integer((json_int_t)n));
		json_object_set_new(f, "sentence", json_integer((json_int_t)n));
	}
	a = rec_annotate(rec, stage, label, (size_t)(at - text), (size_t)(at - text) + strlen(what));
	json_object_update(a, f);
	json_decref(f);
	return json_array_size(json_object_get(rec, "annotations")) - 1;
}

static const json_t *comp(const json_t *report, const char *name)
{
	const json_t *c;
	size_t i;

	json_array_foreach(json_object_get(report, "components"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "name")), name))
			return c;
	fail_msg("no component '%s'", name);
	return NULL;
}

static double num(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	assert_true(json_is_number(v));
	return json_number_value(v);
}

static bool applicable(const json_t *c)
{
	return json_is_true(json_object_get(c, "applicable"));
}

static json_t *score(const json_t *rec)
{
	struct score_conf sc;
	struct doc d = { 0 };
	char why[256];
	json_t *r;

	score_conf_default(&sc);
	doc_forget(&d);
	r = score_article(&sc, &d, rec, why, sizeof(why));
	if (!r)
		print_error("%s\n", why);
	doc_release(&d);
	return r;
}

/* ====== Components ====== */

static void test_score__no_sentences(void **state)
{
	json_t *rec = record("", "ingest segment frame attrib affil"), *r;

	(void)state;
	r = score(rec);
	assert_true(json_is_number(json_object_get(r, "score")));
	assert_int_equal(json_integer_value(json_object_get(r, "words")), 0);
	/* Nothing said, nothing loaded: full framing points; no claims: attribution n/a. */
	assert_true(applicable(comp(r, "framing")));
	assert_true(num(comp(r, "framing"), "points") == 25);
	assert_false(applicable(comp(r, "attribution")));
	assert_false(applicable(comp(r, "sources")));
	assert_int_equal(json_array_size(json_object_get(r, "missing")), 0);
	assert_true(num(r, "score") >= 0 && num(r, "score") <= 100);
	json_decref(r);
	json_decref(rec);
}

static void test_score__missing_stages_are_not_applicable(void **state)
{
	json_t *rec = record("Some body text here.", "ingest segment"), *r;
	const json_t *m;

	(void)state;
	r = score(rec);
	m = json_object_get(r, "missing");
	assert_int_equal(json_array_size(m), 3);
	assert_string_equal(json_string_value(json_array_get(m, 0)), "frame");
	assert_false(applicable(comp(r, "framing")));
	assert_false(applicable(comp(r, "verbs")));
	assert_string_equal(json_string_value(json_object_get(comp(r, "framing"), "detail")),
			    "slant-frame did not run");
	/* Only transparency measured: under half the weight, so no band verdict. */
	assert_string_equal(json_string_value(json_object_get(r, "band")), "incomplete");
	json_decref(r);
	json_decref(rec);
}

static void test_score__framing_counts_own_voice_only(void **state)
{
	json_t *rec = record("The regime said \"the thugs\" left. Critics called it a brutal act.",
			     "ingest segment frame"),
	       *r;
	size_t own, head;
	const json_t *f, *h;

	(void)state;
	head = ann(rec, "frame", "loaded", "Headline", "{\"weight\":2,\"voice\":\"headline\"}");
	own = ann(rec, "frame", "loaded", "regime", "{\"weight\":3,\"voice\":\"authorial\"}");
	ann(rec, "frame", "loaded", "thugs", "{\"weight\":3,\"voice\":\"quoted\"}");
	ann(rec, "frame", "loaded", "brutal", "{\"weight\":1,\"voice\":\"reported\"}");
	r = score(rec);
	f = comp(r, "framing");
	/* 3 weighted over max(12 words, 150) = 20 per 1,000 words: the end of the scale. */
	assert_true(fabs(num(f, "value") - 20.0) < 1e-9);
	assert_true(num(f, "points") == 0);
	assert_int_equal(json_array_size(json_object_get(f, "evidence")), 1);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(f, "evidence"), 0)),
			 (json_int_t)own);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(f, "counts"), "quoted")), 1);
	h = comp(r, "headline");
	assert_true(num(h, "value") == 2);
	/* 2 of 3 weighted headline terms: a third of the points. */
	assert_true(fabs(num(h, "points") - 3.3) < 1e-9);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(h, "evidence"), 0)),
			 (json_int_t)head);
	json_decref(r);
	json_decref(rec);
}

static void test_score__attribution_shares(void **state)
{
	json_t *rec = record("A said x. B said y. Critics say z. Officials said w. It rained.",
			     "ingest segment attrib"),
	       *r;
	const json_t *a, *counts;

	(void)state;
	ann(rec, "attrib", "attributed", "A said x.", "{\"source\":\"A\"}");
	ann(rec, "attrib", "attributed", "B said y.", "{\"source\":\"B\"}");
	ann(rec, "attrib", "vague", "Critics say z.", "{\"source\":\"Critics\"}");
	ann(rec, "attrib", "anonymous", "Officials said w.", "{\"source\":\"Officials\"}");
	ann(rec, "attrib", "unattributed", "It rained.", NULL);
	r = score(rec);
	a = comp(r, "attribution");
	counts = json_object_get(a, "counts");
	assert_true(fabs(num(a, "value") - 0.4) < 1e-9);
	assert_int_equal(json_integer_value(json_object_get(counts, "claims")), 5);
	assert_int_equal(json_integer_value(json_object_get(counts, "vague")), 1);
	assert_int_equal(json_integer_value(json_object_get(counts, "anonymous")), 1);
	/* (2 + 0.25 + 0.5) / 5 of 25 points = 13.75, shown as 13.8. */
	assert_true(fabs(num(a, "points") - 13.8) < 1e-9);
	/* The weak claims are the evidence. */
	assert_int_equal(json_array_size(json_object_get(a, "evidence")), 3);
	json_decref(r);
	json_decref(rec);
}

static void test_score__all_quoted_has_no_claims(void **state)
{
	json_t *rec = record("\"We will win,\" he said.", "ingest segment attrib"), *r;

	(void)state;
	ann(rec, "attrib", "none", "\"We will win,\" he said.", NULL);
	ann(rec, "attrib", "hedge", "will", "{\"entry\":\"will\"}");
	ann(rec, "segment", "quote", "\"We will win,\"", NULL);
	r = score(rec);
	assert_false(applicable(comp(r, "attribution")));
	assert_string_equal(json_string_value(json_object_get(comp(r, "attribution"), "detail")),
			    "no claim sentences outside quotations");
	/* A hedge inside a quotation is the speaker's. */
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(comp(r, "verbs"), "counts"), "quoted_hedges")),
			 1);
	assert_true(num(comp(r, "verbs"), "points") == 10);
	json_decref(r);
	json_decref(rec);
}

static void test_score__sources_affiliation_and_reliance(void **state)
{
	json_t *rec = record("RIA Novosti said x. RIA Novosti said y. He said z. Police said w.",
			     "ingest segment attrib affil"),
	       *r;
	const json_t *s, *counts;

	(void)state;
	ann(rec, "affil", "outlet", "RIA Novosti",
	    "{\"name\":\"RIA Novosti\",\"entry\":\"ria\",\"role\":\"cited_source\","
	    "\"state_affiliated\":true,\"disclosed\":false}");
	ann(rec, "attrib", "attributed", "RIA Novosti said x.",
	    "{\"source\":\"RIA Novosti\",\"source_start\":15,\"source_end\":26}");
	ann(rec, "attrib", "attributed", "RIA Novosti said y.",
	    "{\"source\":\"ria novosti\",\"source_start\":35,\"source_end\":46}");
	ann(rec, "attrib", "attributed", "He said z.", "{\"source\":\"He\"}");
	ann(rec, "attrib", "attributed", "Police said w.", "{\"source\":\"Police\"}");
	r = score(rec);
	s = comp(r, "sources");
	counts = json_object_get(s, "counts");
	/* RIA Novosti (via the register) and the police; "he" is not a source of its own. */
	assert_true(num(s, "value") == 2);
	assert_int_equal(json_integer_value(json_object_get(counts, "mentions")), 3);
	assert_true(fabs(num(counts, "top_share") - 0.667) < 1e-9);
	assert_true(fabs(num(counts, "affiliated_share") - 0.667) < 1e-9);
	/* The undisclosed state-affiliated source costs transparency points too. */
	assert_true(num(json_object_get(comp(r, "transparency"), "counts"), "affiliations") == 0);
	json_decref(r);
	json_decref(rec);
}

static void test_score__transparency_checks(void **state)
{
	json_t *rec = record("Body.", "ingest segment affil"), *r, *pub;
	const json_t *t;

	(void)state;
	json_object_set_new(rec, "byline_kind", json_string("person"));
	json_object_set_new(rec, "published", json_string("2025-03-14"));
	pub = json_pack("{s:s,s:s,s:b}", "name", "Example", "entry", "example", "state_affiliated", 0);
	json_object_set_new(rec, "publisher", pub);
	json_object_set_new(rec, "opinion", json_pack("{s:b,s:n}", "is_opinion", 1, "marker"));
	r = score(rec);
	t = comp(r, "transparency");
	assert_true(num(t, "value") == 4);
	assert_true(num(t, "points") == 15);
	json_decref(r);
	json_object_set_new(rec, "byline_kind", json_string("team"));
	json_object_del(rec, "published");
	r = score(rec);
	t = comp(r, "transparency");
	assert_true(num(t, "value") == 2.5);
	assert_non_null(strstr(json_string_value(json_object_get(t, "detail")), "no publication date"));
	json_decref(r);
	/* A wire agency's byline is credited as a desk's (issue 16). */
	json_object_set_new(rec, "byline_kind", json_string("agency"));
	r = score(rec);
	t = comp(r, "transparency");
	assert_true(num(t, "value") == 2.5);
	assert_non_null(strstr(json_string_value(json_object_get(t, "detail")), "wire agency"));
	json_decref(r);
	json_decref(rec);
}

/* Issue 17: the origin of republished or wire copy counts like the publisher. */
static void test_score__origin_counts_like_publisher(void **state)
{
	json_t *rec = record("Body.", "ingest segment affil"), *r;
	const json_t *t;
	const char *detail;

	(void)state;
	json_object_set_new(rec, "byline_kind", json_string("person"));
	json_object_set_new(rec, "published", json_string("2019-03-14"));
	json_object_set_new(rec, "publisher", json_pack("{s:s,s:n,s:b}", "name", "Some Portal", "entry",
							"state_affiliated", 0));
	r = score(rec);
	assert_true(num(json_object_get(comp(r, "transparency"), "counts"), "publisher") == 0.5);
	json_decref(r);
	json_object_set_new(rec, "origin", json_pack("{s:s,s:s,s:b,s:s}", "name", "Press TV", "entry",
						     "press-tv-ir", "state_affiliated", 1, "found_by",
						     "origin_credit"));
	r = score(rec);
	t = comp(r, "transparency");
	assert_true(num(json_object_get(t, "counts"), "publisher") == 1);
	detail = json_string_value(json_object_get(t, "detail"));
	assert_non_null(strstr(detail, "state-affiliated outlet, Press TV (origin_credit)"));
	assert_true(json_is_true(json_object_get(json_object_get(t, "counts"), "origin_state_affiliated")));
	json_decref(r);
	json_decref(rec);
}

/* The shares and credits that were constants are keys: they change the score, and are checked. */
static void test_score__mix_and_credits_are_keys(void **state)
{
	static const char zero_team[] = "[score]\nteam_credit = 0\n";
	static const char bad_shares[] = "[score]\ndiversity_share = 0\nreliance_share = 0\n"
					 "independence_share = 0\n";
	static const char bad_credit[] = "[score]\nunregistered_credit = 2\n";
	json_t *rec = record("Body.", "ingest segment affil"), *r;
	struct conf c = CONF_INIT;
	struct score_conf sc, def;
	struct doc d = { 0 };
	char why[256];

	(void)state;
	score_conf_default(&def);
	assert_true(def.diversity_share == 0.4 && def.team_credit == 0.5 && def.opinion_min_terms == 3);
	json_object_set_new(rec, "byline_kind", json_string("team"));
	assert_int_equal(conf_parse(&c, "zero.conf", zero_team, strlen(zero_team)), 0);
	assert_int_equal(score_conf_load(&sc, &c), 0);
	assert_string_not_equal(sc.hash, def.hash);
	doc_forget(&d);
	r = score_article(&sc, &d, rec, why, sizeof(why));
	/* A desk byline earns team_credit: 0 here, 0.5 by default. */
	assert_true(num(json_object_get(comp(r, "transparency"), "counts"), "author") == 0);
	json_decref(r);
	r = score(rec);
	assert_true(num(json_object_get(comp(r, "transparency"), "counts"), "author") == 0.5);
	json_decref(r);
	conf_release(&c);
	assert_int_equal(conf_parse(&c, "shares.conf", bad_shares, strlen(bad_shares)), 0);
	assert_int_equal(score_conf_load(&sc, &c), -1);
	conf_release(&c);
	assert_int_equal(conf_parse(&c, "credit.conf", bad_credit, strlen(bad_credit)), 0);
	assert_int_equal(score_conf_load(&sc, &c), -1);
	conf_release(&c);
	doc_release(&d);
	json_decref(rec);
}

static void test_score__hostile_record_does_not_crash(void **state)
{
	json_t *rec = record("x", "segment frame attrib affil"), *a, *r;
	struct score_conf sc;
	struct doc d = { 0 };
	char why[256];

	(void)state;
	/* Strings where numbers belong and a publisher that is no object: scored. */
	a = json_pack("{s:s,s:s,s:i,s:i,s:s,s:s}", "stage", "frame", "label", "loaded", "start", 15,
		      "end", 16, "weight", "heavy", "voice", "authorial");
	json_array_append_new(json_object_get(rec, "annotations"), a);
	json_object_set_new(rec, "publisher", json_string("not an object"));
	r = score(rec);
	assert_true(num(comp(r, "framing"), "value") > 0);
	json_decref(r);
	/* An offset past the text, or an annotation that is no object: rejected, and said where. */
	score_conf_default(&sc);
	json_object_set_new(a, "start", json_integer(5000));
	doc_forget(&d);
	assert_null(score_article(&sc, &d, rec, why, sizeof(why)));
	assert_non_null(strstr(why, "annotation 1 (frame/loaded): 'start' is not an offset"));
	json_object_set_new(a, "start", json_integer(15));
	json_array_append_new(json_object_get(rec, "annotations"), json_string("junk"));
	doc_forget(&d);
	assert_null(score_article(&sc, &d, rec, why, sizeof(why)));
	assert_non_null(strstr(why, "annotation 2 has no 'stage' or 'label'"));
	doc_release(&d);
	json_decref(rec);
}

/* ====== Settings ====== */

static void test_score__bands(void **state)
{
	struct score_conf sc;
	char why[160];

	(void)state;
	score_conf_default(&sc);
	assert_int_equal(sc.nbands, 4);
	assert_string_equal(score_band(&sc, 80), "sound");
	assert_string_equal(score_band(&sc, 79.9), "mixed");
	assert_string_equal(score_band(&sc, 0), "poor");
	assert_string_equal(score_band(&sc, -5), "poor");
	assert_int_equal(score_parse_bands(&sc, "50 ok, 0 not_ok", why, sizeof(why)), 0);
	assert_string_equal(score_band(&sc, 10), "not_ok");
	assert_int_equal(score_parse_bands(&sc, "0 low, 50 high", why, sizeof(why)), -1);
	assert_non_null(strstr(why, "highest score down"));
	assert_int_equal(score_parse_bands(&sc, "50", why, sizeof(why)), -1);
	assert_int_equal(score_parse_bands(&sc, "fifty good", why, sizeof(why)), -1);
	assert_int_equal(score_parse_bands(&sc, "", why, sizeof(why)), -1);
}

static void test_score__conf_values_checked(void **state)
{
	static const char good[] = "[score]\nweight_framing = 50\nbands = 90 a, 0 b\n";
	static const char bad[] = "[score]\nweight_verbs = -1\nvague_credit = 2\nbands = x\n";
	struct conf c = CONF_INIT;
	struct score_conf sc, def;

	(void)state;
	score_conf_default(&def);
	assert_int_equal(conf_parse(&c, "good.conf", good, strlen(good)), 0);
	assert_int_equal(score_conf_load(&sc, &c), 0);
	assert_true(sc.weight[SCORE_FRAMING] == 50);
	assert_string_equal(sc.bands[0].name, "a");
	/* Different settings, different hash: runs can tell their scoring apart. */
	assert_string_not_equal(sc.hash, def.hash);
	conf_release(&c);
	assert_int_equal(conf_parse(&c, "bad.conf", bad, strlen(bad)), 0);
	assert_int_equal(score_conf_load(&sc, &c), -1);
	conf_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_score__no_sentences),
		cmocka_unit_test(test_score__missing_stages_are_not_applicable),
		cmocka_unit_test(test_score__framing_counts_own_voice_only),
		cmocka_unit_test(test_score__attribution_shares),
		cmocka_unit_test(test_score__all_quoted_has_no_claims),
		cmocka_unit_test(test_score__sources_affiliation_and_reliance),
		cmocka_unit_test(test_score__transparency_checks),
		cmocka_unit_test(test_score__origin_counts_like_publisher),
		cmocka_unit_test(test_score__hostile_record_does_not_crash),
		cmocka_unit_test(test_score__bands),
		cmocka_unit_test(test_score__conf_values_checked),
		cmocka_unit_test(test_score__mix_and_credits_are_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
