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
		cmocka_unit_test(test_affil__lib_api),
		cmocka_unit_test(test_affil__needs_segment),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
