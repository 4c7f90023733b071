/* test_affil.c -- lib/affil.c and stages/affil.c over hand-made records and the shipped register. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "slant/affil.h"
#include "slant/conf.h"
#include "slant/doc.h"
#include "slant/lex.h"
#include "slant/rec.h"
#include "slant/segment.h"
#include "slant/stage.h"
#include "slant/usage.h"

extern const struct stage stage_affil;

struct fixture {
	struct conf conf;
	struct stage_ctx ctx;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	const char *top = getenv("SLANT_TOP");
	char *path = xasprintf("%s/lexicons/outlets.tsv", top && *top ? top : ".");

	f->ctx.stage = &stage_affil;
	f->ctx.conf = &f->conf;
	f->ctx.input = "test";
	assert_int_equal(conf_set(&f->conf, "affil", "register", path), 0);
	free(path);
	assert_int_equal(stage_affil.setup(&f->ctx, 0, NULL), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	stage_affil.teardown(&f->ctx);
	stage_ctx_release(&f->ctx);
	conf_release(&f->conf);
	free(f);
	return 0;
}

/* The shipped lexicon 'name' (SLANT_TOP, else the working directory); caller frees. */
static char *shipped(const char *name)
{
	const char *top = getenv("SLANT_TOP");

	return xasprintf("%s/lexicons/%s", top && *top ? top : ".", name);
}

/* Segment 'rec' with lib/segment.c and the shipped reporting verbs, as slant-segment would. */
static void segment(json_t *rec)
{
	char *verbs = shipped("reporting_verbs.tsv");
	struct lex lex = LEX_INIT;
	struct segmenter *sg;
	size_t len;
	const char *text = rec_text(rec, &len);

	assert_int_equal(lex_load(&lex, verbs), 0);
	assert_int_equal(lex_compile(&lex), 0);
	sg = segment_new(4000, &lex);
	segment_text(sg, text, len);
	segment_emit(sg, rec);
	rec_mark_stage(rec, "segment");
	segment_free(sg);
	lex_release(&lex);
	free(verbs);
}

static json_t *parse(const char *json)
{
	json_error_t jerr;
	json_t *rec = json_loads(json, 0, &jerr);

	if (!rec)
		fail_msg("bad test JSON: %s", jerr.text);
	json_object_set_new(rec, "stages", json_pack("[s]", "ingest"));
	return rec;
}

/* A record through slant-segment's segmenter, then the slant-affil stage. */
static json_t *run(void **state, const char *json)
{
	struct fixture *f = *state;
	json_t *rec = parse(json);

	segment(rec);
	/* The record is new: its address may be a freed one's. */
	doc_forget(stage_doc(&f->ctx));
	assert_int_equal(stage_process(&f->ctx, rec), 0);
	return rec;
}

/* The n-th affil annotation with 'label' whose text is 'text'. */
static json_t *find(json_t *rec, const char *label, const char *text)
{
	json_t *ann;
	size_t i;

	json_array_foreach(json_object_get(rec, "annotations"), i, ann)
		if (!strcmp(json_string_value(json_object_get(ann, "label")), label) &&
		    !strcmp(json_string_value(json_object_get(ann, "text")), text))
			return ann;
	return NULL;
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void test_affil__publisher_from_domain_name_url(void **state)
{
	json_t *rec, *p;

	(void)state;
	rec = run(state, "{\"id\":\"x\",\"outlet\":{\"name\":\"BelTA\",\"domain\":\"www.belta.by\"},"
			 "\"text\":\"Minsk news\\n\\nThe minister spoke.\"}");
	p = json_object_get(rec, "publisher");
	assert_string_equal(str(p, "entry"), "belta-by");
	assert_string_equal(str(p, "found_by"), "domain");
	assert_string_equal(str(p, "ownership"), "state_owned");
	assert_true(json_is_true(json_object_get(p, "state_affiliated")));
	json_decref(rec);

	rec = run(state, "{\"id\":\"x\",\"url\":\"https://www.washingtontimes.com/news/2023/x/\","
			 "\"text\":\"T\\n\\nBody.\"}");
	assert_string_equal(str(json_object_get(rec, "publisher"), "entry"), "washington-times-us");
	json_decref(rec);

	rec = run(state, "{\"id\":\"x\",\"outlet\":{\"name\":\"Cubadebate\"},\"text\":\"T\\n\\nBody.\"}");
	p = json_object_get(rec, "publisher");
	assert_string_equal(str(p, "entry"), "cubadebate-cu");
	assert_string_equal(str(p, "found_by"), "outlet");
	json_decref(rec);

	/* Not in the register: named, entry null, ownership unknown. */
	rec = run(state, "{\"id\":\"x\",\"outlet\":{\"name\":\"The Daily Nowhere\"},\"text\":\"T\\n\\nBody.\"}");
	p = json_object_get(rec, "publisher");
	assert_string_equal(str(p, "name"), "The Daily Nowhere");
	assert_true(json_is_null(json_object_get(p, "entry")));
	assert_string_equal(str(p, "ownership"), "unknown");
	json_decref(rec);

	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nNo publisher here.\"}");
	assert_true(json_is_null(json_object_get(rec, "publisher")));
	assert_string_equal(str(rec, "byline_kind"), "none");
	json_decref(rec);
}

static void test_affil__trailer_and_photo_credit(void **state)
{
	json_t *rec, *a;

	(void)state;
	rec = run(state, "{\"id\":\"x\",\"text\":\"Title\\n\\nCadets (Reference image)Photo \xC2\xA9 Cubadebate\\n\\n"
			 "Body text.\\n\\nFiled under:\\n\\nCiberCuba Editorial Team\"}");
	assert_string_equal(str(json_object_get(rec, "publisher"), "entry"), "cibercuba");
	assert_string_equal(str(json_object_get(rec, "publisher"), "found_by"), "trailer");
	assert_string_equal(str(rec, "byline_kind"), "team");
	a = find(rec, "outlet", "Cubadebate");
	assert_non_null(a);
	assert_string_equal(str(a, "role"), "photo_credit");
	assert_string_equal(str(find(rec, "outlet", "CiberCuba Editorial Team"), "role"), "publisher");
	json_decref(rec);

	rec = run(state, "{\"id\":\"x\",\"text\":\"Title\\n\\nBody.\\n\\nSource: WT\"}");
	assert_string_equal(str(json_object_get(rec, "publisher"), "entry"), "washington-times-us");
	json_decref(rec);
}

static void test_affil__disclosure(void **state)
{
	json_t *rec, *a;

	(void)state;
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nAccording to the note published by the state media "
			 "Russia Today (RT) \xE2\x80\x94" "aligned with the Kremlin\xE2\x80\x94, it is done. "
			 "According to Belta, it rained. The official Belta agency said so.\"}");
	a = find(rec, "outlet", "Russia Today (RT)");
	assert_non_null(a);   /* name and abbreviation are one mention */
	assert_string_equal(str(a, "entry"), "rt-ru");
	assert_string_equal(str(a, "role"), "cited_source");
	assert_true(json_is_true(json_object_get(a, "disclosed")));
	assert_string_equal(str(a, "disclosure"), "state media");
	assert_string_equal(str(a, "conflict_party"), "russia-ukraine war: russia");
	a = find(rec, "outlet", "Belta");
	assert_false(json_is_true(json_object_get(a, "disclosed")));
	assert_string_equal(str(a, "role"), "cited_source");
	json_decref(rec);
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nThe official Belta agency said so.\"}");
	a = find(rec, "outlet", "Belta");
	assert_true(json_is_true(json_object_get(a, "disclosed")));
	assert_string_equal(str(a, "disclosure"), "official");
	json_decref(rec);
	/* A cue across "as" describes something else. */
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nIt sends more state-sponsored news as Voice of America does.\"}");
	a = find(rec, "outlet", "Voice of America");
	assert_false(json_is_true(json_object_get(a, "disclosed")));
	assert_string_equal(str(a, "ownership"), "government_funded_international");
	json_decref(rec);
}

static void test_affil__author_notes_and_opinion(void **state)
{
	json_t *rec, *a;

	(void)state;
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nBody.\\n\\n\xE2\x80\xA2" " Ann Lee is the coordinator of the "
			 "Assembly of the Cuban Resistance. Bob Roe is the editor of ADN Cuba.\"}");
	a = find(rec, "outlet", "Assembly of the Cuban Resistance");
	assert_string_equal(str(a, "role"), "author_affiliation");
	assert_string_equal(str(a, "person"), "Ann Lee");
	a = find(rec, "outlet", "ADN Cuba");
	assert_string_equal(str(a, "person"), "Bob Roe");
	/* A note at the end is body text: no byline, and no label of opinion (issue 16). */
	assert_string_equal(str(rec, "byline_kind"), "none");
	assert_false(json_is_true(json_object_get(json_object_get(rec, "opinion"), "is_opinion")));
	json_decref(rec);
	/* A wire story whose last paragraph reads like a note ("X was born in ...") is news. */
	rec = run(state, "{\"id\":\"x\",\"url\":\"https://www.reuters.com/article/us-austria-hitler\","
			 "\"byline\":\"Reuters Staff\",\"text\":\"T\\n\\nThe house will become a police station."
			 "\\n\\nAlthough Hitler was born in Braunau, he spent little time there.\"}");
	assert_false(json_is_true(json_object_get(json_object_get(rec, "opinion"), "is_opinion")));
	json_decref(rec);
	/* Metadata says it: the section, the genre, the kicker slant-ingest found. */
	rec = run(state, "{\"id\":\"x\",\"section\":\"Opinion\",\"text\":\"T\\n\\nBody.\"}");
	assert_string_equal(str(json_object_get(rec, "opinion"), "marker"), "opinion");
	json_decref(rec);
	rec = run(state, "{\"id\":\"x\",\"genre\":\"AnalysisNewsArticle\",\"text\":\"T\\n\\nBody.\"}");
	assert_string_equal(str(json_object_get(rec, "opinion"), "marker"), "analysis");
	json_decref(rec);
	rec = run(state, "{\"id\":\"x\",\"kicker\":\"Columnists\",\"text\":\"T\\n\\nBody.\"}");
	assert_true(json_is_true(json_object_get(json_object_get(rec, "opinion"), "is_opinion")));
	json_decref(rec);
	rec = run(state, "{\"id\":\"x\",\"section\":\"Columbus news\",\"genre\":\"Opinionated\",\"text\":\"T\\n\\nBody.\"}");
	assert_false(json_is_true(json_object_get(json_object_get(rec, "opinion"), "is_opinion")));
	json_decref(rec);
	/* byline_kind: a wire agency by the register, a desk, the site itself, people. */
	rec = run(state, "{\"id\":\"x\",\"byline\":\"Associated Press\",\"authors\":[\"Associated Press\"],"
			 "\"text\":\"T\\n\\nBody.\"}");
	assert_string_equal(str(rec, "byline_kind"), "agency");
	json_decref(rec);
	rec = run(state, "{\"id\":\"x\",\"authors\":[\"Detroit News wire services\"],\"text\":\"T\\n\\nBody.\"}");
	assert_string_equal(str(rec, "byline_kind"), "agency");
	json_decref(rec);
	rec = run(state, "{\"id\":\"x\",\"outlet\":{\"name\":\"LinkNaija\",\"domain\":\"linknaija.com\"},"
			 "\"authors\":[\"LinkNaija\"],\"text\":\"T\\n\\nBody.\"}");
	assert_string_equal(str(rec, "byline_kind"), "team");
	json_decref(rec);
	rec = run(state, "{\"id\":\"x\",\"authors\":[\"Staff Reports\"],\"text\":\"T\\n\\nBody.\"}");
	assert_string_equal(str(rec, "byline_kind"), "team");
	json_decref(rec);
	rec = run(state, "{\"id\":\"x\",\"authors\":[\"Danica Kirka\",\"Associated Press\"],\"text\":\"T\\n\\nBody.\"}");
	assert_string_equal(str(rec, "byline_kind"), "person");
	json_decref(rec);

	rec = run(state, "{\"id\":\"x\",\"title\":\"Opinion: the thing\",\"byline\":\"Jane Doe\","
			 "\"text\":\"Opinion: the thing\\n\\nWe offer critical analysis.\"}");
	assert_string_equal(str(json_object_get(rec, "opinion"), "marker"), "opinion");
	assert_string_equal(str(rec, "byline_kind"), "person");
	json_decref(rec);
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nWe offer critical analysis and an editorial team.\"}");
	assert_false(json_is_true(json_object_get(json_object_get(rec, "opinion"), "is_opinion")));
	json_decref(rec);
}

static void test_affil__short_aliases_and_unknowns(void **state)
{
	json_t *rec, *ann;
	size_t i, outlets = 0;

	(void)state;
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nThe art of the rt and ap test. "
			 "The Department of Imaginary Affairs and the QZXW said it. The US and the UK.\"}");
	json_array_foreach(json_object_get(rec, "annotations"), i, ann)
		if (!strcmp(str(ann, "label"), "outlet"))
			outlets++;
	assert_int_equal(outlets, 0);
	assert_non_null(find(rec, "unknown", "Department of Imaginary Affairs"));
	assert_non_null(find(rec, "unknown", "QZXW"));
	assert_null(find(rec, "unknown", "US"));
	assert_null(find(rec, "unknown", "UK"));
	json_decref(rec);
}

/* The entry of the first outlet annotation over 'text', or NULL. */
static const char *entry_of(json_t *rec, const char *text)
{
	json_t *a = find(rec, "outlet", text);

	return a ? str(a, "entry") : NULL;
}

/* Issue 17: a register name inside a longer name, or before "futures", is not the entry. */
static void test_affil__names_inside_other_names(void **state)
{
	json_t *rec;

	(void)state;
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nThe Peoples Democratic Party won in Lagos. "
			 "The Independent National Electoral Commission counted the votes. Troops of the "
			 "Peoples Liberation Army moved. Nikkei futures fell and U.S. Treasury yields rose.\"}");
	assert_null(find(rec, "outlet", "Democratic Party"));
	assert_null(find(rec, "ambiguous", "The Independent"));
	assert_null(find(rec, "outlet", "The Independent"));
	assert_null(find(rec, "outlet", "Liberation"));
	assert_null(find(rec, "outlet", "Nikkei"));
	assert_null(find(rec, "outlet", "U.S. Treasury"));
	/* The longer name is an organisation of its own, not in the register. */
	assert_non_null(find(rec, "unknown", "Peoples Democratic Party"));
	json_decref(rec);
	/* The same names standing alone, or with a nationality or a hyphenated cue before them. */
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nThe U.S. Democratic Party said so. The U.S. Treasury "
			 "announced sanctions. Kremlin-funded RT aired it. Nikkei reported it.\"}");
	assert_string_equal(entry_of(rec, "Democratic Party"), "democratic-party-us");
	assert_string_equal(entry_of(rec, "U.S. Treasury"), "treasury-us");
	assert_string_equal(entry_of(rec, "RT"), "rt-ru");
	assert_string_equal(entry_of(rec, "Nikkei"), "nikkei-jp");
	json_decref(rec);
	/* A possessive or a sentence's first word is no part of the name. */
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nIt was Obama\xE2\x80\x99s State Department. "
			 "Former State Department official Tom Lee spoke.\"}");
	{
		json_t *ann;
		size_t i, n = 0;

		json_array_foreach(json_object_get(rec, "annotations"), i, ann)
			if (!strcmp(str(ann, "label"), "outlet") &&
			    !strcmp(str(ann, "entry"), "state-department-us"))
				n++;
		assert_int_equal(n, 2);
	}
	json_decref(rec);
}

/* Issue 17: one masthead word ("The Times") needs corroboration, else it stays ambiguous. */
static void test_affil__ambiguous_short_names(void **state)
{
	json_t *rec, *a;

	(void)state;
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nThe Times reported it first.\"}");
	assert_null(find(rec, "outlet", "The Times"));
	a = find(rec, "ambiguous", "The Times");
	assert_non_null(a);
	assert_string_equal(json_string_value(json_array_get(json_object_get(a, "candidates"), 0)),
			    "the-times-gb");
	json_decref(rec);
	/* In The New York Times, "The Times" is the paper itself: its trailer is the publisher's. */
	rec = run(state, "{\"id\":\"x\",\"outlet\":{\"domain\":\"www.nytimes.com\"},\"text\":\"T\\n\\n"
			 "Officials said so.\\n\\nA version of this article appears in print in The Times.\"}");
	a = find(rec, "outlet", "The Times");
	assert_string_equal(str(a, "entry"), "nytimes-us");
	assert_string_equal(str(a, "resolved_by"), "publisher_name");
	assert_string_equal(str(a, "role"), "publisher");
	json_decref(rec);
	/* A country in the sentence, or a newspaper cue, corroborates the London paper. */
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nBritain's The Times reported it.\"}");
	a = find(rec, "outlet", "The Times");
	assert_string_equal(str(a, "entry"), "the-times-gb");
	assert_string_equal(str(a, "resolved_by"), "country");
	json_decref(rec);
	/* A name that is also a word or place: an outlet cue is enough. */
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nShips crossed the Atlantic. The Intercept "
			 "published the transcript.\"}");
	assert_null(find(rec, "outlet", "the Atlantic"));
	a = find(rec, "outlet", "The Intercept");
	assert_string_equal(str(a, "entry"), "the-intercept-us");
	assert_string_equal(str(a, "resolved_by"), "citing_cue");
	json_decref(rec);
	/* No publisher: the country of the article's other names settles "NBC" (US or Namibia). */
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nNBC reported it.\"}");
	assert_non_null(find(rec, "ambiguous", "NBC"));
	json_decref(rec);
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nThe White House, Congress and the FBI "
			 "disagreed, NBC reported. Ships crossed the Atlantic.\"}");
	a = find(rec, "outlet", "NBC");
	assert_string_equal(str(a, "entry"), "nbc-news-us");
	assert_string_equal(str(a, "resolved_by"), "article_country");
	assert_null(find(rec, "outlet", "the Atlantic"));   /* the ocean, whatever the country */
	json_decref(rec);
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nA fellow at the Atlantic Council\xE2\x80\x99s lab "
			 "said so.\"}");
	assert_null(find(rec, "outlet", "the Atlantic"));
	assert_null(find(rec, "ambiguous", "the Atlantic"));
	json_decref(rec);
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nThe Times newspaper reported it.\"}");
	assert_string_equal(str(find(rec, "outlet", "The Times"), "resolved_by"), "newspaper_cue");
	json_decref(rec);
	/* Named in full first, then short: the same outlet. */
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nThe New York Times reported it. "
			 "Officials told the Times so.\"}");
	a = find(rec, "outlet", "the Times");
	assert_string_equal(str(a, "entry"), "nytimes-us");
	assert_string_equal(str(a, "resolved_by"), "earlier_mention");
	json_decref(rec);
	/* A trailer credit that names no outlet is no origin ("Source: a study ... Twitter"). */
	rec = run(state, "{\"id\":\"x\",\"outlet\":{\"domain\":\"reuters.com\"},\"text\":\"T\\n\\n"
			 "Prices rose.\\n\\nThis article originally appeared in a newsletter. Follow us on Facebook\"}");
	assert_true(json_is_null(json_object_get(rec, "origin")));
	json_decref(rec);
}

/* Issue 17: a poll or a report of an organisation makes it a cited source. */
static void test_affil__polls_and_reports_are_sources(void **state)
{
	json_t *rec;

	(void)state;
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nA new ABC News poll shows the race is close. "
			 "Amnesty International's latest report details the abuses. Protesters marched "
			 "past Amnesty International in London.\"}");
	assert_string_equal(str(find(rec, "outlet", "ABC News"), "role"), "cited_source");
	assert_string_equal(str(find(rec, "outlet", "Amnesty International"), "role"), "cited_source");
	json_decref(rec);
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nProtesters marched past Amnesty International "
			 "in London.\"}");
	assert_string_equal(str(find(rec, "outlet", "Amnesty International"), "role"), "subject");
	json_decref(rec);
}

/* Issue 17: self-describing names and the usual disclosure forms. */
static void test_affil__disclosure_forms(void **state)
{
	static const struct {
		const char *sentence, *name, *cue;
	} cases[] = {
		{ "Kremlin-funded RT said it.", "RT", "Kremlin-funded" },
		{ "The Kremlin-backed RT said it.", "RT", "Kremlin-backed" },
		{ "KCNA, North Korea's official news agency, said it.", "KCNA", "official news agency" },
		{ "Granma, the mouthpiece of the Communist Party, said it.", "Granma", "mouthpiece" },
		{ "The state-backed Xinhua said it.", "Xinhua", "state-backed" },
		{ "Sputnik, a Kremlin-controlled outlet, said it.", "Sputnik", "Kremlin-controlled" },
		{ "The state-owned CGTN said it.", "CGTN", "state-owned" },
		{ "The state run CGTN said it.", "CGTN", "state run" },
		{ "China's state broadcaster CGTN said it.", "CGTN", "state broadcaster" },
		{ "The government-funded Voice of America said it.", "Voice of America", "government-funded" },
		{ "The regime\xE2\x80\x99s Granma said it.", "Granma", "regime\xE2\x80\x99s" },
		{ "The White House said it.", "White House", "White House" },
		{ "The Pentagon said it.", "Pentagon", "Pentagon" },
		{ "The State Department said it.", "State Department", "State Department" },
		{ "Congress passed it.", "Congress", "Congress" },
		{ "The Kremlin said it.", "Kremlin", "Kremlin" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *json = xasprintf("{\"id\":\"x\",\"text\":\"T\\n\\n%s\"}", cases[i].sentence);
		json_t *rec = run(state, json), *a = find(rec, "outlet", cases[i].name);

		if (!a || !json_is_true(json_object_get(a, "disclosed")) ||
		    strcmp(str(a, "disclosure"), cases[i].cue))
			fail_msg("'%s': %s not disclosed by '%s' (got '%s')", cases[i].sentence,
				 cases[i].name, cases[i].cue, a && str(a, "disclosure") ? str(a, "disclosure") : "");
		json_decref(rec);
		free(json);
	}
	/* Press TV's name hides its owner: a bare mention does not disclose. */
	{
		json_t *rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nPress TV said it.\"}");

		assert_false(json_is_true(json_object_get(find(rec, "outlet", "Press TV"), "disclosed")));
		json_decref(rec);
	}
}

/* Issue 17: the outlet republished or wire copy comes from. */
static void test_affil__origin(void **state)
{
	json_t *rec, *o;

	(void)state;
	rec = run(state, "{\"id\":\"x\",\"outlet\":{\"name\":\"Some Portal\"},\"text\":\"T\\n\\nTehran says it.\\n\\n"
			 "This article has been adapted from its original source. Copyright \xC2\xA9 2019 Press TV\"}");
	o = json_object_get(rec, "origin");
	assert_string_equal(str(o, "entry"), "press-tv-ir");
	assert_string_equal(str(o, "found_by"), "origin_credit");
	assert_true(json_is_true(json_object_get(o, "state_affiliated")));
	assert_string_equal(str(find(rec, "outlet", "Press TV"), "role"), "origin");
	json_decref(rec);
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nWASHINGTON (Reuters) - The Senate voted.\"}");
	o = json_object_get(rec, "origin");
	assert_string_equal(str(o, "entry"), "reuters-gb");
	assert_string_equal(str(o, "found_by"), "dateline");
	assert_string_equal(str(o, "evidence"), "WASHINGTON (Reuters) -");
	json_decref(rec);
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nThe Senate voted.\\n\\n\xE2\x80\x94 AP\"}");
	assert_string_equal(str(json_object_get(rec, "origin"), "found_by"), "wire_credit");
	assert_string_equal(str(json_object_get(rec, "origin"), "entry"), "associated-press-us");
	json_decref(rec);
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nThe Senate voted.\\n\\nThis article originally "
			 "appeared in The Washington Post.\"}");
	assert_string_equal(str(json_object_get(rec, "origin"), "entry"), "washington-post-us");
	json_decref(rec);
	/* A masthead many outlets share: the credit says an outlet is meant, not which. */
	rec = run(state, "{\"id\":\"x\",\"text\":\"T\\n\\nThe Senate voted.\\n\\nThis article originally "
			 "appeared in The Guardian.\"}");
	assert_true(json_is_null(json_object_get(rec, "origin")));
	assert_non_null(find(rec, "ambiguous", "The Guardian"));
	json_decref(rec);
	/* A wire's own story has no other origin; a mention in passing is none. */
	rec = run(state, "{\"id\":\"x\",\"outlet\":{\"domain\":\"reuters.com\"},\"text\":\"T\\n\\n"
			 "LONDON (Reuters) - Prices rose, the BBC said.\"}");
	assert_true(json_is_null(json_object_get(rec, "origin")));
	json_decref(rec);
}

static void test_affil__needs_segment(void **state)
{
	struct fixture *f = *state;

	(void)f;
	/* The requirement is declared, so stage_main refuses unsegmented records. */
	assert_string_equal(stage_affil.requires[0], "segment");
	assert_null(stage_affil.requires[1]);
}

/* lib/affil.c without the stage: the register and cues loaded by hand (slant/affil.h). */
static void test_affil__lib_api(void **state)
{
	char *reg = shipped("outlets.tsv"), *cues = shipped("affil_cues.tsv"), why[256];
	struct affil a = AFFIL_INIT;
	struct doc d = { 0 };
	json_t *rec, *op;

	(void)state;
	assert_int_equal(reg_load(&a.reg, reg), 0);
	assert_int_equal(reg_compile(&a.reg), 0);
	assert_int_equal(affil_load_cues(&a, cues), 0);
	rec = parse("{\"id\":\"x\",\"url\":\"https://example.org/Opinion/2024/x.html\","
		    "\"text\":\"Title\\n\\nBelta reported it.\\n\\nPhoto: Reuters\"}");
	segment(rec);
	assert_int_equal(affil_record(&a, &d, rec, why, sizeof(why)), 0);
	op = json_object_get(rec, "opinion");
	assert_true(json_is_true(json_object_get(op, "is_opinion")));
	assert_string_equal(str(op, "marker"), "/Opinion/"); /* as the url writes it */
	assert_string_equal(str(find(rec, "outlet", "Belta"), "role"), "cited_source");
	assert_string_equal(str(find(rec, "outlet", "Reuters"), "role"), "photo_credit");
	json_decref(rec);
	doc_release(&d);
	affil_release(&a);
	free(reg);
	free(cues);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_affil__publisher_from_domain_name_url),
		cmocka_unit_test(test_affil__trailer_and_photo_credit),
		cmocka_unit_test(test_affil__disclosure),
		cmocka_unit_test(test_affil__author_notes_and_opinion),
		cmocka_unit_test(test_affil__short_aliases_and_unknowns),
		cmocka_unit_test(test_affil__names_inside_other_names),
		cmocka_unit_test(test_affil__ambiguous_short_names),
		cmocka_unit_test(test_affil__polls_and_reports_are_sources),
		cmocka_unit_test(test_affil__disclosure_forms),
		cmocka_unit_test(test_affil__origin),
		cmocka_unit_test(test_affil__lib_api),
		cmocka_unit_test(test_affil__needs_segment),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
