/* test_report.c -- lib/report_*.c: escaping, nesting of highlights, text and Markdown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "slant/rec.h"
#include "slant/report.h"
#include "slant/usage.h"

/* Run 'fn' into a string; caller frees. */
#define CAPTURE(buf, call)                                       \
	do {                                                     \
		size_t capture_len_;                             \
		FILE *out = open_memstream(&(buf), &capture_len_); \
		assert_non_null(out);                            \
		call;                                            \
		assert_int_equal(fclose(out), 0);                \
	} while (0)

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (; (hay = strstr(hay, needle)); hay += strlen(needle))
		n++;
	return n;
}

static const char hostile_title[] = "<script>alert('x')</script> & \"quotes\"";
static const char hostile_body[] =
	"Robert'); DROP TABLE articles;-- said the regime </script><b>rocks</b> \xe2\x80\x94 caf\xc3\xa9.";

/* A record with a hostile title and body and crossing, nested and empty spans. */
static json_t *hostile_record(void)
{
	json_t *rec = rec_new("c-<x>\"'"), *a;
	char *text = xasprintf("%s\n\n%s", hostile_title, hostile_body);
	const char *regime;
	size_t hl = strlen(hostile_title), body = hl + 2, rs;

	json_object_set_new(rec, "title", json_string(hostile_title));
	json_object_set_new(rec, "text", json_string(text));
	json_object_set_new(rec, "url", json_string("javascript:alert(1)"));
	json_object_set_new(rec, "byline", json_string("\x1b[31mEvil\x1b[0m | *bold*"));
	regime = strstr(text, "regime");
	rs = (size_t)(regime - text);
	rec_annotate(rec, "segment", "headline", 0, hl);                   /* 0: not flagged */
	a = rec_annotate(rec, "frame", "loaded", rs, rs + 6);               /* 1 */
	json_object_set_new(a, "entry", json_string("regime"));
	json_object_set_new(a, "alternative", json_string("<government>"));
	json_object_set_new(a, "voice", json_string("authorial"));
	rec_annotate(rec, "attrib", "attributed", body, strlen(text));      /* 2: the sentence */
	rec_annotate(rec, "attrib", "hedge", rs - 4, rs + 3);               /* 3: crosses 1 */
	rec_annotate(rec, "affil", "outlet", 0, 8);                         /* 4: in the headline */
	rec_annotate(rec, "attrib", "none", body, body + 3);                /* 5: not flagged */
	rec_annotate(rec, "frame", "scare_quote", rs, rs);                  /* 6: empty */
	a = rec_annotate(rec, "frame", "loaded", 2, 5);                     /* 7 */
	/* Offsets that do not fit: past the end, and inside the two bytes of 'é'. */
	a = json_pack("{s:s,s:s,s:i,s:i,s:s}", "stage", "frame", "label", "loaded", "start", 1, "end",
		      100000, "text", "x");
	json_array_append_new(json_object_get(rec, "annotations"), a);     /* 8 */
	a = json_pack("{s:s,s:s,s:i,s:i,s:s}", "stage", "frame", "label", "loaded", "start",
		      (int)(strstr(text, "\xc3\xa9") - text + 1), "end", (int)strlen(text), "text", "x");
	json_array_append_new(json_object_get(rec, "annotations"), a);     /* 9 */
	free(text);
	return rec;
}

static void test_report__html_escape(void **state)
{
	char *s = html_escape_str("<a href=\"x\">'&'</a>", 19);

	(void)state;
	assert_string_equal(s, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	free(s);
	s = html_escape_str("a\0b", 3);
	assert_string_equal(s, "a\xef\xbf\xbd" "b");
	free(s);
}

static void test_report__file_names(void **state)
{
	char *s;

	(void)state;
	s = report_file_name("u-0123456789abcdef");
	assert_string_equal(s, "u-0123456789abcdef");
	free(s);
	s = report_file_name("../../etc/passwd");
	assert_int_equal(strncmp(s, "x-", 2), 0);
	assert_null(strchr(s, '/'));
	free(s);
	s = report_file_name("");
	assert_int_equal(strncmp(s, "x-", 2), 0);
	free(s);
	s = report_file_name(".hidden");
	assert_int_equal(strncmp(s, "x-", 2), 0);
	free(s);
}

static void test_report__article_page(void **state)
{
	json_t *rec = hostile_record();
	char *html = NULL, *data, *body, *end;
	struct report_page pg = { "../index.html", "../outlets/o.html", "k", NULL };

	(void)state;
	CAPTURE(html, report_html_article(out, rec, &pg));
	/* Hostile text never becomes markup. */
	assert_null(strstr(html, "<script>alert"));
	assert_null(strstr(html, "<b>rocks"));
	assert_null(strstr(html, "javascript:"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
	assert_non_null(strstr(html, "Robert&#39;); DROP TABLE articles;--"));
	/* Exactly our own two script elements end: the data block and the code. */
	assert_int_equal(count(html, "</script>"), 2);
	data = strstr(html, "id=\"slant-data\">");
	assert_non_null(data);
	data += strlen("id=\"slant-data\">");
	/* Inside the data block no '<' at all: it cannot close or open anything. */
	assert_true(strchr(data, '<') == strstr(data, "</script>"));
	/* One non-part highlight per flagged annotation that fits: 1, 2, 3, 4, 6, 7. */
	assert_int_equal(count(html, "tabindex=\"0\""), 6);
	assert_non_null(strstr(html, "data-a=\"1\""));
	assert_null(strstr(html, "data-a=\"0\""));
	assert_null(strstr(html, "data-a=\"5\""));
	assert_null(strstr(html, "data-a=\"8\""));
	assert_null(strstr(html, "data-a=\"9\""));
	/* The crossing hedge is split, not dropped; tags balance. */
	assert_true(count(html, " part\" data-a=\"") >= 1);
	body = strstr(html, "id=\"text\">");
	assert_non_null(body);
	end = strstr(body, "</div>");
	assert_non_null(end);
	*end = '\0';
	assert_int_equal(count(body, "<mark "), count(body, "</mark>"));
	assert_int_equal(count(body, "<span "), count(body, "</span>"));
	assert_int_equal(count(body, "<span class=\"headline\">"), 1);
	*end = '<';
	assert_non_null(strstr(html, "2 annotations could not be placed"));
	free(html);
	json_decref(rec);
}

/* A staircase of crossing spans: the page grows with the spans, not their square. */
static void test_report__crossing_spans_linear(void **state)
{
	enum { N = 2000, W = 40 };
	size_t len = 4 * N + 100, i, sizes[2];
	char *text = xmalloc(len + 1), *html = NULL, *body, *end;
	size_t nspans[2] = { N / 4, N };
	struct report_page pg = { "../index.html", NULL, NULL, NULL };

	(void)state;
	for (i = 0; i < len; i++)
		text[i] = (char)('a' + i % 26);
	text[len] = '\0';
	for (size_t r = 0; r < 2; r++) {
		json_t *rec = rec_new("c-stairs");

		json_object_set_new(rec, "title", json_string("Stairs"));
		json_object_set_new(rec, "text", json_string(text));
		/* Span i covers [i, i + N + W): each starts inside every one before it. */
		for (i = 0; i < nspans[r]; i++)
			rec_annotate(rec, "frame", "loaded", i, i + nspans[r] + W);
		CAPTURE(html, report_html_article(out, rec, &pg));
		sizes[r] = strlen(html);
		/* Every annotation still has its one element without "part". */
		assert_int_equal(count(html, "tabindex=\"0\""), nspans[r]);
		body = strstr(html, "id=\"text\">");
		assert_non_null(body);
		end = strstr(body, "</div>");
		assert_non_null(end);
		*end = '\0';
		assert_int_equal(count(body, "<mark "), count(body, "</mark>"));
		*end = '<';
		if (r == 1)
			assert_non_null(strstr(html, "highlights are cut short"));
		free(html);
		json_decref(rec);
	}
	/* Four times the spans: at most about four times the page (16 times if square). */
	assert_true(sizes[1] < 5 * sizes[0]);
	assert_true(sizes[1] < (size_t)N * 2000);
	free(text);
}

static void test_report__text_has_no_control_characters(void **state)
{
	json_t *rec = hostile_record();
	char *txt = NULL;

	(void)state;
	CAPTURE(txt, report_text(out, rec, &(struct report_text_opts){ .colour = false }));
	assert_null(strchr(txt, '\x1b'));
	assert_non_null(strstr(txt, "Flagged spans: 8"));
	assert_non_null(strstr(txt, "Not scored"));
	free(txt);
	CAPTURE(txt, report_text(out, rec, &(struct report_text_opts){ .colour = true }));
	assert_non_null(strstr(txt, "\x1b[1m"));
	free(txt);
	json_decref(rec);
}

/* Escape sequences in a component name, and bidi controls anywhere, never reach the terminal. */
static void test_report__text_neutralises_names_and_bidi(void **state)
{
	json_t *rec = hostile_record();
	json_t *report = json_pack("{s:f,s:s,s:[{s:s,s:f,s:f,s:b,s:s}]}", "score", 50.0, "band",
				   "mixed", "components", "name", "\x1b]0;owned\x07\x1b[2J",
				   "points", 1.0, "weight", 2.0, "applicable", 1, "detail",
				   "\xe2\x80\xae" "desrever\xe2\x81\xa6x\xe2\x81\xa9");
	char *txt = NULL;

	(void)state;
	json_object_set_new(rec, "report", report);
	json_object_set_new(rec, "title", json_string("Bidi \xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac"
						      "\xe2\x80\xad\xe2\x81\xa7\xe2\x81\xa8 end"));
	CAPTURE(txt, report_text(out, rec, &(struct report_text_opts){ .colour = false }));
	assert_null(strchr(txt, '\x1b'));
	assert_null(strchr(txt, '\x07'));
	assert_non_null(strstr(txt, "]0;owned"));
	/* U+202A-202E, U+2066-2069: all start with E2 80 AA-AE or E2 81 A6-A9. */
	for (const char *p = txt; (p = strstr(p, "\xe2")) != NULL; p++)
		assert_false((p[1] == '\x80' && p[2] >= '\xaa' && p[2] <= '\xae') ||
			     (p[1] == '\x81' && p[2] >= '\xa6' && p[2] <= '\xa9'));
	assert_non_null(strstr(txt, "desrever"));
	free(txt);
	CAPTURE(txt, report_markdown(out, rec));
	assert_null(strchr(txt, '\x1b'));
	assert_null(strstr(txt, "\xe2\x80\xae"));
	free(txt);
	json_decref(rec);
}

static void test_report__markdown_escapes(void **state)
{
	json_t *rec = hostile_record();
	char *md = NULL;

	(void)state;
	CAPTURE(md, report_markdown(out, rec));
	assert_null(strstr(md, "<script>"));
	assert_non_null(strstr(md, "&lt;script&gt;"));
	assert_non_null(strstr(md, "\\| \\*bold\\*"));
	assert_null(strchr(md, '\x1b'));
	assert_null(strstr(md, "javascript:"));
	free(md);
	json_decref(rec);
}

static void test_report__markdown_keeps_letters(void **state)
{
	json_t *rec = hostile_record();
	char *md = NULL;

	(void)state;
	/* Letters past ASCII whose low byte is a markup character are not escaped. */
	json_object_set_new(rec, "byline", json_string("Šefčovič, ż ş Ī ž"));
	CAPTURE(md, report_markdown(out, rec));
	assert_non_null(strstr(md, "Šefčovič, ż ş Ī ž"));
	free(md);
	json_decref(rec);
}

static void test_report__why(void **state)
{
	json_t *a = json_pack("{s:s,s:s,s:s,s:s,s:f,s:s,s:s,s:i,s:s}", "stage", "frame", "label",
			      "loaded", "category", "labelling", "voice", "headline", "weight", 2.0,
			      "entry", "regime", "lexicon", "framing.tsv", "lexicon_line", 12,
			      "alternative", "government");
	char *why = report_why(a);

	(void)state;
	assert_string_equal(report_kind(a), "loaded");
	assert_string_equal(why, "loaded term (labelling) in the headline voice, weight 2; lexicon "
				 "entry 'regime' (framing.tsv:12); neutral alternative: 'government'");
	free(why);
	json_decref(a);
	a = json_pack("{s:s,s:s}", "stage", "attrib", "label", "none");
	assert_null(report_kind(a));
	json_decref(a);
	a = json_pack("{s:s,s:s,s:s}", "stage", "attrib", "label", "vague", "stance", "loaded");
	assert_string_equal(report_kind(a), "verb");
	json_decref(a);
}

/* Issue 17: every report names the origin of republished or wire copy, one line, escaped. */
static void test_report__origin_line(void **state)
{
	json_t *rec = hostile_record(), *a;
	char *txt = NULL, *md = NULL, *html = NULL, *why;

	(void)state;
	CAPTURE(txt, report_text(out, rec, false));
	assert_null(strstr(txt, "Origin:"));
	free(txt);
	json_object_set_new(rec, "origin", json_pack("{s:s,s:s,s:b,s:s,s:s}", "name", "Press <TV>",
						     "entry", "press-tv-ir", "state_affiliated", 1,
						     "found_by", "origin_credit", "evidence",
						     "Copyright \xc2\xa9 2019 Press TV"));
	CAPTURE(txt, report_text(out, rec, false));
	assert_non_null(strstr(txt, "Origin: Press <TV> (state-affiliated; origin_credit: \"Copyright "));
	CAPTURE(md, report_markdown(out, rec));
	assert_int_equal(count(md, "Origin: Press"), 1);
	{
		struct report_page pg = { "../index.html", NULL, "k", NULL };

		CAPTURE(html, report_html_article(out, rec, &pg));
	}
	assert_int_equal(count(html, "Origin: Press &lt;TV&gt; (state-affiliated"), 1);
	free(txt);
	free(md);
	free(html);
	json_decref(rec);
	/* An ambiguous name says so, with its candidates. */
	a = json_pack("{s:s,s:s,s:s,s:[s,s]}", "stage", "affil", "label", "ambiguous", "name", "The Times",
		      "candidates", "the-times-gb", "nytimes-us");
	why = report_why(a);
	assert_string_equal(why, "ambiguous outlet name, not resolved: The Times; candidates: "
				 "the-times-gb, nytimes-us");
	free(why);
	json_decref(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report__html_escape),
		cmocka_unit_test(test_report__origin_line),
		cmocka_unit_test(test_report__file_names),
		cmocka_unit_test(test_report__article_page),
		cmocka_unit_test(test_report__crossing_spans_linear),
		cmocka_unit_test(test_report__text_has_no_control_characters),
		cmocka_unit_test(test_report__text_neutralises_names_and_bidi),
		cmocka_unit_test(test_report__markdown_escapes),
		cmocka_unit_test(test_report__markdown_keeps_letters),
		cmocka_unit_test(test_report__why),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
