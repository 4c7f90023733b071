/*
 * test_frame.c -- lib/frame.c and stages/frame.c through its descriptor: voice, scare quotes,
 * exclusions, and the extension of a loaded modifier over the word it modifies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "slant/conf.h"
#include "slant/doc.h"
#include "slant/frame.h"
#include "slant/lex.h"
#include "slant/rec.h"
#include "slant/stage.h"
#include "slant/usage.h"

extern const struct stage stage_segment, stage_attrib, stage_frame;

static const char lexicon[] =
	"@category\tlabel\tpejorative labels\n"
	"@category\temotive\temotive words\n"
	"regime\tlabel\t2\tgovernment\ttax _|sanctions _|training _|visa _|_ change\tRecasens\n"
	"mercenaries\tlabel\t2\tforeign fighters\t-\ttest\n"
	"puppet\tlabel\t2\tally\t-\ttest\n"
	"so-called\tlabel\t1.5\n"
	"dictator*\tlabel\t3\tleader\n"
	"massive\temotive\t1\tlarge\n"
	"brutal\temotive\t2\tharsh\n"
	"leftist\tlabel\t1\tleft-wing\n"
	"terrorist\tlabel\t2\n"
	"duty\tlabel\t1\n"
	"hoax\tlabel\t2\n";

struct fixture {
	struct conf conf;
	struct stage_ctx ctx;
	char path[64];
};

/* Call the stage's handler of its long option 'name'. */
static int option(struct fixture *fx, const char *name, const char *arg)
{
	const struct option *o;

	for (o = stage_frame.options; o->name && strcmp(o->name, name); o++)
		;
	assert_non_null(o->name);
	return stage_frame.option(&fx->ctx, o->val, arg);
}

/*
 * A fixture with the test lexicon; 'extend' is [frame] extend_categories
 * (NULL: the default), 'how' is "" or "--no-extend" or "--lexicon" (the
 * lexicon given as an option, not by [frame] lexicon). Returns setup's result.
 */
static int start(struct fixture **out, const char *extend, const char *how)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	int fd;

	strcpy(fx->path, "/tmp/test_frame.XXXXXX");
	fd = mkstemp(fx->path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, lexicon, sizeof(lexicon) - 1), sizeof(lexicon) - 1);
	close(fd);
	fx->ctx.stage = &stage_frame;
	fx->ctx.conf = &fx->conf;
	fx->ctx.input = "test";
	if (!strcmp(how, "--lexicon"))
		assert_int_equal(option(fx, "lexicon", fx->path), 0);
	else
		assert_int_equal(conf_set(&fx->conf, "frame", "lexicon", fx->path), 0);
	if (!strcmp(how, "--no-extend"))
		assert_int_equal(option(fx, "no-extend", NULL), 0);
	if (extend)
		assert_int_equal(conf_set(&fx->conf, "frame", "extend_categories", extend), 0);
	*out = fx;
	return stage_frame.setup(&fx->ctx, 0, NULL);
}

static int setup(void **state)
{
	struct fixture *fx;

	assert_int_equal(start(&fx, "emotive", ""), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	stage_frame.teardown(&fx->ctx);
	stage_ctx_release(&fx->ctx);
	conf_release(&fx->conf);
	unlink(fx->path);
	free(fx);
	return 0;
}

/*
 * Run the stage 'st' over 'rec' as the chain would, with the shipped
 * lexicons (SLANT_TOP, else the working directory).
 */
static void run_stage(const struct stage *st, json_t *rec)
{
	const char *top = getenv("SLANT_TOP") ? getenv("SLANT_TOP") : ".";
	struct conf conf = CONF_INIT;
	struct stage_ctx ctx = { 0 };
	char *verbs = xasprintf("%s/lexicons/reporting_verbs.tsv", top);
	char *weasel = xasprintf("%s/lexicons/weasel.tsv", top);
	char *hedges = xasprintf("%s/lexicons/hedges.tsv", top);

	ctx.stage = st;
	ctx.conf = &conf;
	ctx.input = "test";
	assert_int_equal(conf_set(&conf, "attrib", "reporting_verbs", verbs), 0);
	assert_int_equal(conf_set(&conf, "attrib", "weasel", weasel), 0);
	assert_int_equal(conf_set(&conf, "attrib", "hedges", hedges), 0);
	assert_int_equal(st->setup(&ctx, 0, NULL), 0);
	assert_int_equal(stage_process(&ctx, rec), 0);
	st->teardown(&ctx);
	stage_ctx_release(&ctx);
	conf_release(&conf);
	free(verbs);
	free(weasel);
	free(hedges);
}

/* A record whose paragraphs are 'title' and 'body', through slant-segment and slant-attrib. */
static json_t *record(const char *title, const char *body)
{
	json_t *rec = rec_new("c-test");
	char *text = xasprintf("%s\n\n%s", title, body);

	json_object_set_new(rec, "title", json_string(title));
	json_object_set_new(rec, "text", json_string(text));
	rec_mark_stage(rec, "ingest");
	run_stage(&stage_segment, rec);
	run_stage(&stage_attrib, rec);
	free(text);
	return rec;
}

/* "label:text:voice[:speaker]" for each frame annotation, ';'-separated (caller frees). */
static char *frames(struct fixture *fx, json_t *rec)
{
	char *out = xstrdup("");
	size_t i;
	json_t *a;

	/* The record is new: its address may be a freed one's. */
	doc_forget(stage_doc(&fx->ctx));
	assert_int_equal(stage_frame.record(&fx->ctx, rec), 0);
	json_array_foreach(rec_annotations(rec), i, a) {
		const char *spk = json_string_value(json_object_get(a, "speaker"));
		char *next;

		if (!ann_is(a, "frame", NULL))
			continue;
		next = xasprintf("%s%s%s:%s:%s%s%s", out, *out ? ";" : "",
				 json_string_value(json_object_get(a, "label")),
				 json_string_value(json_object_get(a, "text")),
				 json_string_value(json_object_get(a, "voice")), spk ? ":" : "",
				 spk ? spk : "");
		free(out);
		out = next;
	}
	return out;
}

static void check(struct fixture *fx, const char *title, const char *body, const char *want)
{
	json_t *rec = record(title, body);
	char *got = frames(fx, rec);

	assert_string_equal(got, want);
	free(got);
	json_decref(rec);
}

static void test_frame__headline_and_authorial(void **state)
{
	check(*state, "Putin backs the Cuban regime", "The regime is weak. The tax regime changed.",
	      "loaded:regime:headline;loaded:regime:authorial");
}

/* Issue 15, class 1: a headline's quotation in title case is a title; in sentence case it is judged. */
static void test_frame__headline_quotes(void **state)
{
	check(*state, "Man Develops \xe2\x80\x9c" "Feather Lung\xe2\x80\x9d After New Bedding",
	      "The bedding was new.", "");
	check(*state, "Actor leaves \xe2\x80\x9c" "Dancing with the Stars\xe2\x80\x9d after loss",
	      "The show aired.", "");
	check(*state, "Leaders sign the \xe2\x80\x9cpeace plan\xe2\x80\x9d in Minsk",
	      "The plan was signed.", "scare_quote:\xe2\x80\x9cpeace plan\xe2\x80\x9d:authorial");
}

static void test_frame__fields(void **state)
{
	struct fixture *fx = *state;
	json_t *rec = record("Title", "The regime."), *a;
	char *got = frames(fx, rec);
	const char *base = strrchr(fx->path, '/') + 1;

	free(got);
	a = json_array_get(rec_annotations(rec), json_array_size(rec_annotations(rec)) - 1);
	assert_string_equal(json_string_value(json_object_get(a, "entry")), "regime");
	assert_string_equal(json_string_value(json_object_get(a, "category")), "label");
	assert_true(json_real_value(json_object_get(a, "weight")) == 2.0);
	assert_string_equal(json_string_value(json_object_get(a, "alternative")), "government");
	assert_string_equal(json_string_value(json_object_get(a, "lexicon")), base);
	assert_int_equal(json_integer_value(json_object_get(a, "lexicon_line")), 3);
	assert_int_equal(json_integer_value(json_object_get(a, "start")), 11);
	assert_int_equal(json_integer_value(json_object_get(a, "end")), 17);
	json_decref(rec);
	/* No alternative: the field is absent. */
	rec = record("Title", "A massive so-called x.");
	free(frames(fx, rec));
	a = json_array_get(rec_annotations(rec), json_array_size(rec_annotations(rec)) - 1);
	assert_string_equal(json_string_value(json_object_get(a, "entry")), "so-called");
	assert_null(json_object_get(a, "alternative"));
	json_decref(rec);
}

/*
 * The voice cases of tests/fixtures/voice/voice.test: each a body and the
 * flags slant-frame adds to it after slant-segment and slant-attrib.
 */
static void test_frame__voice_table(void **state)
{
	const char *top = getenv("SLANT_TOP") ? getenv("SLANT_TOP") : ".";
	char *path = xasprintf("%s/tests/fixtures/voice/voice.test", top), *line = NULL;
	char *body = NULL;
	FILE *f = fopen(path, "r");
	size_t cap = 0, cases = 0, failed = 0;
	ssize_t n;

	assert_non_null(f);
	while ((n = getline(&line, &cap, f)) >= 0) {
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		if (!body) {
			body = xstrdup(line);
			continue;
		}
		{
			json_t *rec = record("Title", body);
			char *got = frames(*state, rec);

			if (strcmp(got, !strcmp(line, "-") ? "" : line)) {
				print_error("voice.test: %s\n  want %s\n  got  %s\n", body, line, got);
				failed++;
			}
			cases++;
			free(got);
			json_decref(rec);
		}
		free(body);
		body = NULL;
	}
	assert_null(body);
	free(line);
	fclose(f);
	free(path);
	assert_true(cases >= 10);
	assert_int_equal(failed, 0);
}

static void test_frame__exclusions(void **state)
{
	check(*state, "Title",
	      "The tax regime, the sanctions regime, a training regime, the visa regime and regime "
	      "change. The regime.",
	      "loaded:regime:authorial");
}

static void test_frame__bad_segment_offsets(void **state)
{
	struct fixture *fx = *state;
	json_t *rec = record("Title", "The regime.");
	json_t *a = json_array_get(rec_annotations(rec), 1);

	json_object_set_new(a, "end", json_integer(9999));
	assert_int_equal(stage_frame.record(&fx->ctx, rec), -1);
	assert_true(rec_is_error(rec));
	json_decref(rec);
}

/* ====== Extension over the modified word ====== */

static void test_frame__extends_over_a_noun(void **state)
{
	check(*state, "Brutal crackdown", "A brutal crackdown. The brutal left-wing agenda. It was brutal",
	      "loaded:Brutal crackdown:headline;loaded:brutal crackdown:authorial;"
	      "loaded:brutal left-wing:authorial;loaded:brutal:authorial");
}

static void test_frame__extended_fields(void **state)
{
	struct fixture *fx = *state;
	json_t *rec = record("Title", "A brutal crackdown."), *a;

	free(frames(fx, rec));
	a = json_array_get(rec_annotations(rec), json_array_size(rec_annotations(rec)) - 1);
	assert_string_equal(json_string_value(json_object_get(a, "entry")), "brutal");
	assert_string_equal(json_string_value(json_object_get(a, "text")), "brutal crackdown");
	assert_int_equal(json_integer_value(json_object_get(a, "start")), 9);
	assert_int_equal(json_integer_value(json_object_get(a, "end")), 25);
	assert_int_equal(json_integer_value(json_object_get(a, "match_end")), 15);
	assert_true(json_is_true(json_object_get(a, "extended")));
	json_decref(rec);
	/* Not extended: neither field. */
	rec = record("Title", "It was brutal.");
	free(frames(fx, rec));
	a = json_array_get(rec_annotations(rec), json_array_size(rec_annotations(rec)) - 1);
	assert_string_equal(json_string_value(json_object_get(a, "text")), "brutal");
	assert_null(json_object_get(a, "extended"));
	assert_null(json_object_get(a, "match_end"));
	json_decref(rec);
}

static void test_frame__not_extended(void **state)
{
	/* Function words, numbers, a following match, two spaces, a line break, punctuation. */
	check(*state, "Title",
	      "So brutal the crowd fled. All brutal of them. A brutal 300 arrests. "
	      "Brutal isn’t it. Brutal massive crackdown. Brutal  crackdown. Brutal\ncrackdown. "
	      "Brutal, crackdown. It was brutal. Crackdowns came.",
	      "loaded:brutal:authorial;loaded:brutal:authorial;loaded:brutal:authorial;"
	      "loaded:Brutal:authorial;loaded:Brutal:authorial;loaded:massive crackdown:authorial;"
	      "loaded:Brutal:authorial;loaded:Brutal:authorial;loaded:Brutal:authorial;"
	      "loaded:brutal:authorial");
}

static void test_frame__not_across_quote_marks(void **state)
{
	check(*state, "Title", "A brutal “crackdown” came. A brutal \"crackdown\" and brutal 'crackdown'.",
	      "loaded:brutal:authorial;scare_quote:“crackdown”:authorial;loaded:brutal:authorial;"
	      "scare_quote:\"crackdown\":authorial;loaded:brutal:authorial;"
	      "scare_quote:'crackdown':authorial");
}

static void test_frame__not_across_sentence_end(void **state)
{
	struct fixture *fx = *state;
	json_t *rec = record("Title", "It was brutal crackdowns came."), *a;
	char *got;
	size_t i;

	/* Segment ended the sentence after "brutal" (no stop): the extension stays inside it. */
	json_array_foreach(rec_annotations(rec), i, a)
		if (ann_is(a, "segment", "sentence") && json_integer_value(json_object_get(a, "start")) > 0)
			json_object_set_new(a, "end", json_integer(20));
	got = frames(fx, rec);
	assert_string_equal(got, "loaded:brutal:authorial");
	free(got);
	json_decref(rec);
}

/* Run 'body' through a fixture set up with 'extend' and 'how' (see start()). */
static void check_with(const char *extend, const char *how, const char *body, const char *want)
{
	struct fixture *fx;
	void *st;

	assert_int_equal(start(&fx, extend, how), 0);
	st = fx;
	check(fx, "Title", body, want);
	teardown(&st);
}

static void test_frame__category_set(void **state)
{
	static const char body[] = "A brutal crackdown. A leftist agenda.";

	(void)state;
	check_with("emotive", "", body, "loaded:brutal crackdown:authorial;loaded:leftist:authorial");
	check_with("label", "", body, "loaded:brutal:authorial;loaded:leftist agenda:authorial");
	check_with("label  emotive", "", body,
		   "loaded:brutal crackdown:authorial;loaded:leftist agenda:authorial");
	check_with("", "", body, "loaded:brutal:authorial;loaded:leftist:authorial");
	check_with("emotive label", "--no-extend", body,
		   "loaded:brutal:authorial;loaded:leftist:authorial");
	/* The default names categories this lexicon lacks: those are skipped, emotive is used. */
	check_with(NULL, "", body, "loaded:brutal crackdown:authorial;loaded:leftist:authorial");
	/* --lexicon replaces the lexicons the set was written for: unknown names are skipped. */
	check_with("emotive nosuch", "--lexicon", body,
		   "loaded:brutal crackdown:authorial;loaded:leftist:authorial");
}

static void test_frame__unknown_extend_category(void **state)
{
	struct fixture *fx;
	void *st;

	(void)state;
	/* Set for the lexicons of [frame] lexicon: a name they do not declare is an error. */
	assert_int_equal(start(&fx, "emotive nosuch", ""), -1);
	st = fx;
	teardown(&st);
}

/* lib/frame.c without the stage: the lexicon loaded and the category extended by hand (slant/frame.h). */
static void test_frame__lib_api(void **state)
{
	struct frame f = FRAME_INIT;
	struct doc d = { 0 };
	json_t *rec = record("Title", "A brutal crackdown. The regime, he said."), *a;
	char why[256];

	(void)state;
	assert_int_equal(lex_load_buffer(&f.lex, "test", lexicon, sizeof(lexicon) - 1), 0);
	assert_int_equal(lex_compile(&f.lex), 0);
	frame_extend(&f, lex_category_find(&f.lex, "emotive"));
	frame_extend(&f, lex_category_find(&f.lex, "emotive")); /* once is enough */
	assert_int_equal(f.next, 1);
	assert_int_equal(frame_record(&f, &d, rec, why, sizeof(why)), 0);
	a = json_array_get(rec_annotations(rec), json_array_size(rec_annotations(rec)) - 2);
	assert_string_equal(json_string_value(json_object_get(a, "text")), "brutal crackdown");
	assert_string_equal(json_string_value(json_object_get(a, "voice")), "authorial");
	a = json_array_get(rec_annotations(rec), json_array_size(rec_annotations(rec)) - 1);
	assert_string_equal(json_string_value(json_object_get(a, "text")), "regime");
	assert_string_equal(json_string_value(json_object_get(a, "voice")), "reported");
	json_decref(rec);
	doc_release(&d);
	frame_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_frame__headline_quotes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frame__headline_and_authorial, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frame__fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frame__voice_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frame__exclusions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frame__bad_segment_offsets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frame__extends_over_a_noun, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frame__extended_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frame__not_extended, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frame__not_across_quote_marks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frame__not_across_sentence_end, setup, teardown),
		cmocka_unit_test(test_frame__category_set),
		cmocka_unit_test(test_frame__lib_api),
		cmocka_unit_test(test_frame__unknown_extend_category),
	};

	set_progname("test_frame");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
