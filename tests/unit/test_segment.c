/* test_segment.c -- lib/segment.c and stages/segment.c (slant-segment), and lib/text.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "slant/attrib.h"
#include "slant/conf.h"
#include "slant/doc.h"
#include "slant/lex.h"
#include "slant/rec.h"
#include "slant/segment.h"
#include "slant/stage.h"
#include "slant/text.h"
#include "slant/usage.h"
#include "slant/utf8.h"

extern const struct stage stage_segment;

/* ====== Helpers ====== */

/* Every span inside the text, on character boundaries, with 'text' equal to its bytes. */
static void check_valid(json_t *rec)
{
	size_t len = 0, i, prev_end = 0, nsent = 0, npara = 0;
	const char *text = rec_text(rec, &len);
	json_t *anns = json_object_get(rec, "annotations"), *a;

	assert_non_null(text);
	json_array_foreach(anns, i, a) {
		size_t start = ann_offset(a, "start", SIZE_MAX), end = ann_offset(a, "end", SIZE_MAX);
		const char *label = json_string_value(json_object_get(a, "label"));
		json_t *tv = json_object_get(a, "text");
		const char *t = json_string_value(tv);

		assert_true(start < end && end <= len);
		assert_true(start == len || ((unsigned char)text[start] & 0xc0) != 0x80);
		assert_true(end == len || ((unsigned char)text[end] & 0xc0) != 0x80);
		assert_non_null(t);
		if (utf8_valid(text + start, end - start)) {
			assert_int_equal(json_string_length(tv), end - start);
			assert_memory_equal(t, text + start, end - start);
		}
		if (!strcmp(label, "sentence")) {
			assert_int_equal(ann_offset(a, "index", SIZE_MAX), nsent);
			assert_true(nsent == 0 || start >= prev_end);
			prev_end = end;
			nsent++;
		} else if (!strcmp(label, "paragraph")) {
			assert_int_equal(ann_offset(a, "index", SIZE_MAX), npara);
			npara++;
		} else if (!strcmp(label, "quote")) {
			size_t cs = ann_offset(a, "content_start", SIZE_MAX);
			size_t ce = ann_offset(a, "content_end", SIZE_MAX);

			assert_true(start < cs && cs <= ce && ce <= end);
			/* Speakers are slant-attrib's. */
			assert_null(json_object_get(a, "speaker"));
		}
	}
}

static json_t *segment_conf(const char *text, size_t len, const char *max_quote)
{
	struct conf conf = CONF_INIT;
	struct stage_ctx ctx = { 0 };
	json_t *rec = json_object();

	ctx.stage = &stage_segment;
	ctx.conf = &conf;
	ctx.input = "test";
	ctx.line = 1;
	if (max_quote)
		assert_int_equal(conf_set(&conf, "segment", "max_quote", max_quote), 0);
	assert_int_equal(stage_segment.setup(&ctx, 0, NULL), 0);
	json_object_set_new(rec, "text", json_stringn_nocheck(text, len));
	assert_int_equal(stage_process(&ctx, rec), 0);
	stage_segment.teardown(&ctx);
	stage_ctx_release(&ctx);
	conf_release(&conf);
	check_valid(rec);
	return rec;
}

static json_t *segment(const char *text)
{
	return segment_conf(text, strlen(text), NULL);
}

/* The texts of annotations labelled 'label', joined by " | ". */
static char *joined(json_t *rec, const char *label)
{
	json_t *a;
	size_t i, len = 0;
	char *out = xstrdup("");

	json_array_foreach(json_object_get(rec, "annotations"), i, a) {
		const char *t = json_string_value(json_object_get(a, "text"));

		if (!ann_is(a, "segment", label))
			continue;
		out = xrealloc(out, len + strlen(t) + 4);
		len += (size_t)sprintf(out + len, "%s%s", len ? " | " : "", t);
	}
	return out;
}

/*
 * Who says each quotation is slant-attrib's call (segment only finds them):
 * run it, with the shipped lexicons, so the quotation tests say whose words
 * they are as the chain does.
 */
static void attribute(json_t *rec)
{
	static struct attrib a = ATTRIB_INIT;
	static bool loaded;
	struct doc d;
	char why[256];

	if (!loaded) {
		const char *top = getenv("SLANT_TOP") ? getenv("SLANT_TOP") : ".";
		char *v = xasprintf("%s/lexicons/reporting_verbs.tsv", top);
		char *w = xasprintf("%s/lexicons/weasel.tsv", top);
		char *h = xasprintf("%s/lexicons/hedges.tsv", top);
		char *b = xasprintf("%s/lexicons/boilerplate.tsv", top);

		assert_int_equal(attrib_load(&a, v, w, h, b), 0);
		free(v);
		free(w);
		free(h);
		free(b);
		loaded = true;
	}
	doc_forget(&d);
	memset(&d, 0, sizeof(d));
	doc_forget(&d);
	assert_int_equal(attrib_record(&a, &d, rec, why, sizeof(why)), 0);
	doc_release(&d);
}

/* The speaker attrib gave the quotation whose annotation is number 'id', or NULL. */
static const char *speaker_of(json_t *rec, size_t id)
{
	json_t *a;
	size_t i;

	json_array_foreach(json_object_get(rec, "annotations"), i, a)
		if (ann_is(a, "attrib", "speaker") && ann_offset(a, "quote", SIZE_MAX) == id)
			return json_string_value(json_object_get(a, "speaker"));
	return NULL;
}

/* Quotes as "kind mark text [@ speaker]", joined by " | ". */
static char *quotes(json_t *rec)
{
	json_t *a;
	size_t i, len = 0;
	char *out = xstrdup("");

	attribute(rec);
	json_array_foreach(json_object_get(rec, "annotations"), i, a) {
		const char *sp;
		char *one;

		if (!ann_is(a, "segment", "quote"))
			continue;
		sp = speaker_of(rec, i);
		one = xasprintf("%s%s %s %s%s%s", len ? " | " : "",
				json_string_value(json_object_get(a, "kind")),
				json_string_value(json_object_get(a, "mark")),
				json_string_value(json_object_get(a, "text")), sp ? " @ " : "",
				sp ? sp : "");
		out = xrealloc(out, len + strlen(one) + 1);
		memcpy(out + len, one, strlen(one) + 1);
		len += strlen(one);
		free(one);
	}
	return out;
}

static void expect(const char *text, const char *label, const char *want)
{
	json_t *rec = segment(text);
	char *got = joined(rec, label);

	assert_string_equal(got, want);
	free(got);
	json_decref(rec);
}

static void expect_sentences(const char *text, const char *want)
{
	expect(text, "sentence", want);
}

/* The text goes under a headline: attrib reads the first paragraph as one, and headlines claim nothing. */
static void expect_quotes(const char *text, const char *want)
{
	char *body = xasprintf("Headline\n\n%s", text);
	json_t *rec = segment(body);
	char *got = quotes(rec);

	free(body);

	assert_string_equal(got, want);
	free(got);
	json_decref(rec);
}

/* ====== lib/text.c ====== */

static void test_text__classes_and_words(void **state)
{
	(void)state;
	assert_true(text_class(0x0416) & TEXT_UPPER);      /* Ж */
	assert_true(text_class(0x0436) & TEXT_LOWER);      /* ж */
	assert_true(text_class(0xc9) & TEXT_UPPER);        /* É */
	assert_true(text_class(0x0142) & TEXT_LOWER);      /* ł */
	assert_true(text_is_space(0xa0) && text_is_space(0x2009) && text_is_space(0x3000));
	assert_false(text_is_alnum(0x201c));
	assert_int_equal(text_count_words("don't stop", 0, 10), 2);
	assert_int_equal(text_count_words("the U.S. rose 3.5% to $1.2 billion", 0, 34), 7);
	assert_int_equal(text_count_words("1,076 Cubans, Havana\xe2\x80\x94Moscow", 0, 28), 4);
	assert_int_equal(text_count_words("\xe2\x80\x9c \xe2\x80\x9d ... (\xe2\x80\xa6)", 0, 16), 0);
	assert_int_equal(text_abbrev("Gen", 3), TEXT_ABBREV_STRONG);
	assert_int_equal(text_abbrev("dr", 2), TEXT_ABBREV_STRONG);
	assert_int_equal(text_abbrev("U.S", 3), TEXT_ABBREV_WEAK);
	assert_int_equal(text_abbrev("Jan", 3), TEXT_ABBREV_WEAK);
	assert_int_equal(text_abbrev("V", 1), TEXT_ABBREV_WEAK);
	assert_int_equal(text_abbrev("example.com", 11), TEXT_ABBREV_NONE);
	assert_int_equal(text_abbrev("Cuba", 4), TEXT_ABBREV_NONE);
	assert_true(text_sentence_starter("The", 3));
	assert_false(text_sentence_starter("the", 3));
	assert_false(text_sentence_starter("Office", 6));
	assert_int_equal(text_trim_end("ab \xc2\xa0", 0, 5), 2);
}

/* ====== Paragraphs and headline ====== */

static void test_text__split(void **state)
{
	size_t n;
	char **v;

	(void)state;
	v = text_split("a,,b,", 5, ',', &n);
	assert_int_equal(n, 4);
	assert_string_equal(v[0], "a");
	assert_string_equal(v[1], "");
	assert_string_equal(v[2], "b");
	assert_string_equal(v[3], "");
	text_list_free(v, n);
	v = text_split("x|y", 1, '|', &n); /* only s[0, n) counts */
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "x");
	text_list_free(v, n);
	v = text_split("", 0, ',', &n);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "");
	text_list_free(v, n);
	text_list_free(NULL, 0);
}

static void test_segment__paragraphs(void **state)
{
	(void)state;
	expect("Title\n\nBody one.\n\nBody two.", "paragraph", "Title | Body one. | Body two.");
	/* More newlines, stray white space, CRLF, NBSP lines: still blank lines. */
	expect("Title\n\n\n  \n Body one. \r\n\r\n\xc2\xa0\n\t Body two.\n", "paragraph",
	       "Title | Body one. | Body two.");
	/* A single newline does not end a paragraph. */
	expect("Line one\nline two\n\nNext", "paragraph", "Line one\nline two | Next");
	expect("Title\n\nBody.", "headline", "Title");
	expect("Only a headline", "headline", "Only a headline");
	expect("Only a headline", "sentence", "Only a headline");
}

static void test_segment__empty_texts(void **state)
{
	static const char *const texts[] = { "", "\n\n\n", "   \n \n\t", "\xc2\xa0\xe2\x80\x89" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		json_t *rec = segment(texts[i]);

		assert_int_equal(json_array_size(json_object_get(rec, "annotations")), 0);
		assert_true(rec_has_stage(rec, "segment"));
		json_decref(rec);
	}
}

/* ====== Sentences ====== */

static void test_segment__abbreviations(void **state)
{
	(void)state;
	expect_sentences("Gen. Smith met Col. Jones and Dr. Brown. Mr. Lee and St. Louis agreed.",
			 "Gen. Smith met Col. Jones and Dr. Brown. | Mr. Lee and St. Louis agreed.");
	expect_sentences("He lives at No. 5 Main Street. In Jan. 2025 it snowed. It did.",
			 "He lives at No. 5 Main Street. | In Jan. 2025 it snowed. | It did.");
	expect_sentences("They met on Jan. The next day it rained.",
			 "They met on Jan. | The next day it rained.");
	expect_sentences("Apple Inc. The company grew. Smith et al. found more.",
			 "Apple Inc. | The company grew. | Smith et al. found more.");
	/* "No", "Art", "Vol" are abbreviations only before a number; "etc." ends sentences. */
	expect_sentences("The answer was no. Russia agreed. Art. 5 applies. Tanks, guns, etc. "
			 "Russia sent them.",
			 "The answer was no. | Russia agreed. | Art. 5 applies. | Tanks, guns, etc. | "
			 "Russia sent them.");
}

static void test_segment__initialisms(void **state)
{
	(void)state;
	/* "U.S." before a name is not an end; before "The" or "He" it is. */
	expect_sentences("The U.S. Office of Cuba Broadcasting objected. It was sanctioned by the "
			 "U.S. in 2018. Later the U.N. Security Council met.",
			 "The U.S. Office of Cuba Broadcasting objected. | It was sanctioned by the "
			 "U.S. in 2018. | Later the U.N. Security Council met.");
	expect_sentences("He was sanctioned by the U.S. The two countries met.",
			 "He was sanctioned by the U.S. | The two countries met.");
	expect_sentences("The U.S.-based group met at 5 p.m. on Monday. It ended at 6 p.m. The "
			 "end.",
			 "The U.S.-based group met at 5 p.m. on Monday. | It ended at 6 p.m. | The "
			 "end.");
	expect_sentences("J. R. R. Tolkien wrote it. Vladimir V. Putin signed it. Plan B. He "
			 "agreed.",
			 "J. R. R. Tolkien wrote it. | Vladimir V. Putin signed it. | Plan B. | He "
			 "agreed.");
	expect_sentences("It was signed by J. A. Smith. A day later it failed.",
			 "It was signed by J. A. Smith. | A day later it failed.");
}

static void test_segment__numbers_urls_ellipses(void **state)
{
	(void)state;
	expect_sentences("Prices rose 3.5% to $1.2 billion. Then they fell 0.5 points.",
			 "Prices rose 3.5% to $1.2 billion. | Then they fell 0.5 points.");
	expect_sentences("Visit www.example.com/a.b?x=1 for more. Mail info@example.org. Done.",
			 "Visit www.example.com/a.b?x=1 for more. | Mail info@example.org. | Done.");
	expect_sentences("It was in 2025. 1,076 Cubans fought.", "It was in 2025. | 1,076 Cubans fought.");
	/* An ellipsis mid-sentence (lower case after it) goes on; before a capital it ends. */
	expect_sentences("He said... nothing. Wait\xe2\x80\xa6 What? No\xe2\x80\xa6 not now.",
			 "He said... nothing. | Wait\xe2\x80\xa6 | What? | No\xe2\x80\xa6 not now.");
	expect_sentences("Really?! Yes!!! ok? fine.", "Really?! | Yes!!! ok? fine.");
}

static void test_segment__no_punctuation(void **state)
{
	(void)state;
	expect_sentences("words without any stop at all\n\nand more words",
			 "words without any stop at all | and more words");
	expect_sentences("...", "...");
	expect_sentences(". . . !", ". . . !");
}

static void test_segment__quotes_and_sentences(void **state)
{
	(void)state;
	/* A sentence may end inside a quotation; the closing mark belongs to it. */
	expect_sentences("\"We will win. They will lose,\" he said.",
			 "\"We will win. | They will lose,\" he said.");
	expect_sentences("He said: \xe2\x80\x9cIt is over.\xe2\x80\x9d Then he left.",
			 "He said: \xe2\x80\x9cIt is over.\xe2\x80\x9d | Then he left.");
	expect_sentences("\xe2\x80\x9cWhy?\xe2\x80\x9d she asked. Nobody knew.",
			 "\xe2\x80\x9cWhy?\xe2\x80\x9d she asked. | Nobody knew.");
	expect_sentences("(It rained.) Then it stopped.", "(It rained.) | Then it stopped.");
	/* No sentence crosses a paragraph. */
	expect_sentences("One \xe2\x80\x9cquote\n\ngoes on\xe2\x80\x9d here.",
			 "One \xe2\x80\x9cquote | goes on\xe2\x80\x9d here.");
}

/* ====== Quotations ====== */

static void test_segment__quote_marks(void **state)
{
	(void)state;
	expect_quotes("He said \"no\" and \"yes\" today.",
		      "direct \" \"no\" @ He | direct \" \"yes\" @ He");
	expect_quotes("\xc2\xab Nous gagnerons \xc2\xbb, a dit le ministre. \xe2\x80\xb9Oui\xe2\x80\xba.",
		      "direct \xc2\xab \xc2\xab Nous gagnerons \xc2\xbb | direct \xe2\x80\xb9 \xe2\x80\xb9Oui\xe2\x80\xba");
	expect_quotes("Er sagte \xe2\x80\x9eNein\xe2\x80\x9c dazu.",
		      "direct \xe2\x80\x9e \xe2\x80\x9eNein\xe2\x80\x9c");
	/* Single quotes inside a double quotation are nested. */
	expect_quotes("\xe2\x80\x9cHe called it \xe2\x80\x98" "a disaster\xe2\x80\x99 today,\xe2\x80\x9d "
		      "said Revenko.",
		      "direct \xe2\x80\x9c \xe2\x80\x9cHe called it \xe2\x80\x98" "a disaster\xe2\x80\x99 "
		      "today,\xe2\x80\x9d @ Revenko | nested \xe2\x80\x98 \xe2\x80\x98" "a disaster\xe2\x80\x99");
	expect_quotes("\"It is 'very' bad,\" she said.",
		      "direct \" \"It is 'very' bad,\" @ she | nested ' 'very'");
}

static void test_segment__apostrophes(void **state)
{
	(void)state;
	expect_quotes("Don't touch the Cubans' land, it's the '90s and Russia's \xe2\x80\x98"
		      "90s style. Cubans\xe2\x80\x99 rights.",
		      "");
	expect_quotes("The Cubans\xe2\x80\x99 \xe2\x80\x98" "freedom\xe2\x80\x99 ended.",
		      "direct \xe2\x80\x98 \xe2\x80\x98" "freedom\xe2\x80\x99");
}

static void test_segment__unbalanced(void **state)
{
	(void)state;
	/* An unclosed quotation is dropped at its paragraph's end: it never swallows the rest. */
	expect_quotes("Title\n\nHe said \xe2\x80\x9cwe will win.\n\nThe next paragraph is authorial. It "
		      "has \xe2\x80\x9c" "a real quote\xe2\x80\x9d here.\n\nAnd \"another\" one.",
		      "direct \xe2\x80\x9c \xe2\x80\x9c" "a real quote\xe2\x80\x9d | direct \" \"another\"");
	expect_quotes("A stray \" mark and a \"real one\" here.", "direct \" \"real one\"");
	expect_quotes("Closing only\xe2\x80\x9d and \xc2\xbb and \xe2\x80\x99 here.", "");
	/* Only marks: no word inside, no quotation. */
	expect_quotes("\"\"\"\"\"\" \xe2\x80\x9c\xe2\x80\x9c\xe2\x80\x9c\xe2\x80\x9d\xe2\x80\x9d\xe2\x80\x9d "
		      "\xe2\x80\x98\xe2\x80\x99\xe2\x80\x98\xe2\x80\x99 \xc2\xab\xc2\xbb ''",
		      "");
}

static void test_segment__multi_paragraph_quote(void **state)
{
	json_t *rec;
	char *got;

	(void)state;
	/* The news convention: no closing mark, and the next paragraph opens with one. */
	expect_quotes("\xe2\x80\x9c" "First part of it.\n\n\xe2\x80\x9cSecond part,\xe2\x80\x9d he said.",
		      "direct \xe2\x80\x9c \xe2\x80\x9c" "First part of it.\n\n\xe2\x80\x9cSecond part,"
		      "\xe2\x80\x9d @ he");
	expect_quotes("\"One.\n\n\"Two.\n\n\"Three,\" she said.",
		      "direct \" \"One.\n\n\"Two.\n\n\"Three,\" @ she");
	expect_quotes("\xe2\x80\x9cNot closed.\n\nNo opening mark here.", "");
	/* Its sentences still stay in their paragraphs. */
	rec = segment("\xe2\x80\x9cOne.\n\n\xe2\x80\x9cTwo.\xe2\x80\x9d");
	got = joined(rec, "sentence");
	assert_string_equal(got, "\xe2\x80\x9cOne. | \xe2\x80\x9cTwo.\xe2\x80\x9d");
	free(got);
	json_decref(rec);
}

static void test_segment__max_quote(void **state)
{
	size_t n = 5000, i;
	char *text = xmalloc(n + 64), *got;
	json_t *rec;

	(void)state;
	memcpy(text, "A \"", 3);
	for (i = 3; i < n; i++)
		text[i] = i % 6 == 5 ? ' ' : 'x';
	strcpy(text + n, "\" end. And \"short\" too.");
	rec = segment_conf(text, strlen(text), NULL); /* default 4000 */
	got = quotes(rec);
	assert_string_equal(got, "direct \" \"short\"");
	free(got);
	json_decref(rec);
	rec = segment_conf(text, strlen(text), "10000");
	got = quotes(rec);
	assert_int_equal(strncmp(got, "direct \" \"xx xxxxx", 18), 0);
	assert_non_null(strstr(got, "| direct \" \"short\""));
	free(got);
	json_decref(rec);
	free(text);
}

static void test_segment__pull_quotes(void **state)
{
	(void)state;
	expect_quotes("Title\n\n\xe2\x80\x94 We will not give up, \xe2\x80\x94 said the minister.",
		      "pull \xe2\x80\x94 \xe2\x80\x94 We will not give up, \xe2\x80\x94 @ the minister");
	expect_quotes("Title\n\n\xe2\x80\x94 We will win, \xe2\x80\x94said Putin.",
		      "pull \xe2\x80\x94 \xe2\x80\x94 We will win, \xe2\x80\x94 @ Putin");
	expect_quotes("Title\n\n\xe2\x80\x93 I am here and \xe2\x80\x9cready\xe2\x80\x9d now.",
		      "pull \xe2\x80\x93 \xe2\x80\x93 I am here and \xe2\x80\x9cready\xe2\x80\x9d now. | "
		      "nested \xe2\x80\x9c \xe2\x80\x9cready\xe2\x80\x9d");
	/* An author's note or a list item is not speech. */
	expect_quotes("Title\n\n\xe2\x80\x94 Jeffrey Scott is the former director of the office.\n\n"
		      "- item one\n\n-not a dash quote",
		      "");
}

static void test_segment__speakers(void **state)
{
	(void)state;
	expect_quotes("\"We will win,\" he said.", "direct \" \"We will win,\" @ he");
	expect_quotes("\xe2\x80\x9cIt works,\xe2\x80\x9d said Colonel M\xc3\xb3nica Mili\xc3\xa1n "
		      "G\xc3\xb3mez, the attach\xc3\xa9.",
		      "direct \xe2\x80\x9c \xe2\x80\x9cIt works,\xe2\x80\x9d @ Colonel M\xc3\xb3nica "
		      "Mili\xc3\xa1n G\xc3\xb3mez");
	expect_quotes("\"It is a disaster,\" said Sen. Bernie Sanders, I-Vt., today.",
		      "direct \" \"It is a disaster,\" @ Sen. Bernie Sanders");
	expect_quotes("Gen. Smith said: \"We hold.\"", "direct \" \"We hold.\" @ Gen. Smith");
	expect_quotes("\"It works,\" the Russian Foreign Minister said.",
		      "direct \" \"It works,\" @ the Russian Foreign Minister");
	expect_quotes("Revenko said: \"We are ready.\"", "direct \" \"We are ready.\" @ Revenko");
	expect_quotes("According to the ministry, \"the plan works.\"",
		      "direct \" \"the plan works.\" @ the ministry");
	expect_quotes("The regime insists that \"all is well\" today.",
		      "direct \" \"all is well\" @ The regime");
	expect_quotes("\"Ratify it,\" states the document presented to the Duma.",
		      "direct \" \"Ratify it,\" @ the document presented to the Duma");
	/* No reporting verb: no speaker; a progressive "was insisting" is one. */
	expect_quotes("The talks covered \"color revolutions\" and more.",
		      "direct \" \"color revolutions\"");
	expect_quotes("He was insisting that \"all is well\".", "direct \" \"all is well\" @ He");
}

/* ====== Bad and big input ====== */

static void test_segment__big_paragraph(void **state)
{
	size_t n = 1 << 20, i;
	char *text = xmalloc(n + 1);
	clock_t t0 = clock();
	json_t *rec, *a;
	size_t count = 0;

	(void)state;
	/* 1 MB without a stop: one sentence, in linear time. */
	for (i = 0; i < n; i++)
		text[i] = i % 7 == 6 ? ' ' : 'w';
	text[n - 1] = 'w';
	rec = segment_conf(text, n, NULL);
	json_array_foreach(json_object_get(rec, "annotations"), i, a)
		count += ann_is(a, "segment", "sentence");
	assert_int_equal(count, 1);
	json_decref(rec);
	/* 1 MB of short sentences and stray marks. */
	for (i = 0; i + 8 <= n; i += 8)
		memcpy(text + i, i % 64 ? "Word. \" " : "Mr. \xe2\x80\x9c ", 8);
	rec = segment_conf(text, i, NULL);
	count = 0;
	json_array_foreach(json_object_get(rec, "annotations"), i, a)
		count += ann_is(a, "segment", "sentence");
	assert_true(count > 100000);
	json_decref(rec);
	free(text);
	/* Generous bound: a quadratic scan would take minutes here. */
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 20.0);
}

static void test_segment__invalid_utf8_and_nul(void **state)
{
	static const char text[] = "T\xff\n\nA \xe2\x80\x9c" "bad\xc3\x9d. B\0c \xe2\x80\x9d. Done\xe2\x80";
	json_t *rec;

	(void)state;
	/* Offsets stay on byte positions inside the text; rec_annotate repairs the copies. */
	rec = segment_conf(text, sizeof(text) - 1, NULL);
	assert_true(json_array_size(json_object_get(rec, "annotations")) >= 4);
	json_decref(rec);
}

static void test_segment__rejects_and_reruns(void **state)
{
	struct conf conf = CONF_INIT;
	struct stage_ctx ctx = { 0 };
	json_t *rec;
	size_t n;

	(void)state;
	ctx.stage = &stage_segment;
	ctx.conf = &conf;
	ctx.input = "test";
	ctx.line = 7;
	assert_int_equal(stage_segment.setup(&ctx, 0, NULL), 0);
	rec = json_pack("{s:i}", "text", 5);
	assert_int_equal(stage_process(&ctx, rec), -1);
	assert_string_equal(rec_str(rec, "status"), "error");
	assert_null(json_object_get(rec, "annotations"));
	json_decref(rec);
	rec = json_pack("{s:s}", "title", "no text");
	assert_int_equal(stage_process(&ctx, rec), -1);
	json_decref(rec);
	assert_int_equal(ctx.nrejected, 2);
	/* A record segmented already is left as it is. */
	rec = json_pack("{s:s}", "text", "Title\n\nOne. Two.");
	assert_int_equal(stage_process(&ctx, rec), 0);
	n = json_array_size(json_object_get(rec, "annotations"));
	assert_int_equal(n, 6);
	assert_int_equal(stage_process(&ctx, rec), 0);
	assert_int_equal(json_array_size(json_object_get(rec, "annotations")), n);
	assert_int_equal(json_array_size(json_object_get(rec, "stages")), 1);
	json_decref(rec);
	stage_segment.teardown(&ctx);
	assert_int_equal(conf_set(&conf, "segment", "max_quote", "ten"), 0);
	assert_int_equal(stage_segment.setup(&ctx, 0, NULL), -1);
	assert_int_equal(conf_set(&conf, "segment", "max_quote", "0"), 0);
	assert_int_equal(stage_segment.setup(&ctx, 0, NULL), -1);
	stage_segment.teardown(&ctx);
	stage_ctx_release(&ctx);
	conf_release(&conf);
}

/* Every seed article: spans valid, sentences ordered and inside paragraphs. */
static void test_segment__seeds(void **state)
{
	static const char *const seeds[] = {
		"000_7bf5dbbb5adf2aa7.txt", "001_de46c21c1fbc89a5.txt", "002_5908578a15ea984f.txt",
		"003_8684e471e390c72c.txt", "004_8cfc8557c1524ca0.txt",
	};
	const char *top = getenv("SLANT_TOP");
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		char *path = xasprintf("%s/samples/%s", top ? top : ".", seeds[i]), buf[16384];
		FILE *fp = fopen(path, "rb");
		size_t n;
		json_t *rec;

		if (!fp) {
			free(path);
			skip();
		}
		n = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		free(path);
		rec = segment_conf(buf, n, NULL);
		assert_true(json_array_size(json_object_get(rec, "annotations")) > 10);
		json_decref(rec);
	}
}

/* lib/segment.c without the stage: the reporting verbs loaded by hand (slant/segment.h). */
static void test_segment__lib_api(void **state)
{
	const char *top = getenv("SLANT_TOP") && *getenv("SLANT_TOP") ? getenv("SLANT_TOP") : ".";
	char *path = xasprintf("%s/lexicons/reporting_verbs.tsv", top), *got;
	const char *text = "Title\n\n\xe2\x80\x94 We will win \xe2\x80\x94 said the minister. "
			   "He left.";
	struct lex verbs = LEX_INIT;
	struct segmenter *sg;
	json_t *rec = json_object();

	(void)state;
	assert_int_equal(lex_load(&verbs, path), 0);
	assert_int_equal(lex_compile(&verbs), 0);
	sg = segment_new(4000, &verbs);
	json_object_set_new(rec, "text", json_string(text));
	segment_text(sg, "", 0); /* no paragraph: nothing to emit */
	segment_emit(sg, rec);
	assert_int_equal(json_array_size(json_object_get(rec, "annotations")), 0);
	segment_text(sg, text, strlen(text));
	segment_emit(sg, rec);
	check_valid(rec);
	got = joined(rec, "headline");
	assert_string_equal(got, "Title");
	free(got);
	got = quotes(rec);
	assert_string_equal(got, "pull \xe2\x80\x94 \xe2\x80\x94 We will win \xe2\x80\x94 @ the minister");
	free(got);
	json_decref(rec);
	segment_free(sg);
	lex_release(&verbs);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text__classes_and_words),
		cmocka_unit_test(test_segment__lib_api),
		cmocka_unit_test(test_text__split),
		cmocka_unit_test(test_segment__paragraphs),
		cmocka_unit_test(test_segment__empty_texts),
		cmocka_unit_test(test_segment__abbreviations),
		cmocka_unit_test(test_segment__initialisms),
		cmocka_unit_test(test_segment__numbers_urls_ellipses),
		cmocka_unit_test(test_segment__no_punctuation),
		cmocka_unit_test(test_segment__quotes_and_sentences),
		cmocka_unit_test(test_segment__quote_marks),
		cmocka_unit_test(test_segment__apostrophes),
		cmocka_unit_test(test_segment__unbalanced),
		cmocka_unit_test(test_segment__multi_paragraph_quote),
		cmocka_unit_test(test_segment__max_quote),
		cmocka_unit_test(test_segment__pull_quotes),
		cmocka_unit_test(test_segment__speakers),
		cmocka_unit_test(test_segment__big_paragraph),
		cmocka_unit_test(test_segment__invalid_utf8_and_nul),
		cmocka_unit_test(test_segment__rejects_and_reruns),
		cmocka_unit_test(test_segment__seeds),
	};

	set_progname("test_segment");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
