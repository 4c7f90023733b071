/* test_extract.c -- lib/extract.c (HTML and text to articles) and lib/input.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <zlib.h>

#include "slant/extract.h"
#include "slant/input.h"

static const char page[] =
	"<!DOCTYPE html><html><head>"
	"<title>Council votes to close the bridge | The Daily Example</title>"
	"<meta property=\"og:site_name\" content=\"The Daily Example\">"
	"<meta property=\"article:published_time\" content=\"2024-05-02T08:15:00Z\">"
	"<link rel=\"canonical\" href=\"https://www.example.com/news/bridge\">"
	"<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
	"\"@type\":\"NewsArticle\",\"headline\":\"Council votes to close the bridge\","
	"\"author\":[{\"@type\":\"Person\",\"name\":\"Ana Ruiz\"},{\"name\":\"Tom Lee\"}],"
	"\"publisher\":{\"@type\":\"Organization\",\"name\":\"Daily Example Media\"}}</script>"
	"<style>p { color: red }</style></head><body>"
	"<header><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav></header>"
	"<div class=\"share-box\"><a href=\"#\">Share on Facebook</a> Tweet this story</div>"
	"<article><h1>Council votes to close the bridge</h1>"
	"<p>The city council voted on Tuesday to close the old river bridge, citing a report "
	"that found serious corrosion in its steel supports.</p>"
	"<p>Engineers said the bridge, built in 1931, could no longer carry buses, and the "
	"repairs would cost more than a new crossing.</p>"
	"<h2>What happens next</h2>"
	"<p>Traffic will be sent over the northern bridge from June, the council said, while "
	"a design for the replacement is chosen.</p>"
	"<ul><li>Buses will take route 12 instead of route 4.</li></ul>"
	"<blockquote>We had no choice, said the mayor, after reading the report.</blockquote>"
	"<script>var tracking = 'this is not article text at all, no, not at all';</script>"
	"</article>"
	"<aside><h3>Related</h3><ul><li><a href=\"/a\">Another story about bridges</a></li>"
	"<li><a href=\"/b\">Yet another linked headline here</a></li></ul></aside>"
	"<div id=\"comments\"><p>Reader: this is a comment, with a long opinion, and more, "
	"and more words in it.</p></div>"
	"<footer><p>Copyright The Daily Example, all rights reserved, 2024.</p></footer>"
	"</body></html>";

static void test_extract__metadata(void **state)
{
	struct article a = ARTICLE_INIT;

	(void)state;
	assert_int_equal(extract_html(&a, page, sizeof(page) - 1), 0);
	assert_string_equal(a.title, "Council votes to close the bridge");
	assert_string_equal(a.url, "https://www.example.com/news/bridge");
	assert_string_equal(a.domain, "example.com");
	assert_string_equal(a.outlet, "The Daily Example");
	assert_string_equal(a.published, "2024-05-02T08:15:00Z");
	assert_string_equal(a.byline, "Ana Ruiz and Tom Lee");
	assert_int_equal(a.nauthors, 2);
	assert_string_equal(a.authors[0], "Ana Ruiz");
	assert_string_equal(a.authors[1], "Tom Lee");
	article_release(&a);
}

static void test_extract__body_keeps_article_drops_boilerplate(void **state)
{
	struct article a = ARTICLE_INIT;
	size_t len;
	char *body;

	(void)state;
	assert_int_equal(extract_html(&a, page, sizeof(page) - 1), 0);
	body = article_body(&a, &len);
	/* The headline is the title, not a body paragraph. */
	assert_true(strncmp(body, "The city council voted", 22) == 0);
	assert_non_null(strstr(body, "supports.\n\nEngineers said"));
	assert_non_null(strstr(body, "\n\nWhat happens next\n\n"));
	assert_non_null(strstr(body, "\n\nBuses will take route 12 instead of route 4."));
	assert_non_null(strstr(body, "We had no choice, said the mayor"));
	assert_null(strstr(body, "Home"));
	assert_null(strstr(body, "Share on Facebook"));
	assert_null(strstr(body, "Another story"));
	assert_null(strstr(body, "Reader:"));
	assert_null(strstr(body, "Copyright"));
	assert_null(strstr(body, "tracking"));
	assert_null(strstr(body, "color"));
	free(body);
	article_release(&a);
}

static void test_extract__title_suffix_and_fallbacks(void **state)
{
	static const char html[] = "<html><head><title>Storm hits coast - Example News</title>"
				   "<link rel=canonical href=\"https://examplenews.org/x\"></head>"
				   "<body><div><p>A storm hit the coast overnight, cutting "
				   "power to thousands of homes, officials said.</p>"
				   "<span class=\"byline\">By Jane Doe, John Roe</span>"
				   "<time datetime=\"2023-01-09\">Jan 9</time></div></body></html>";
	struct article a = ARTICLE_INIT;

	(void)state;
	assert_int_equal(extract_html(&a, html, sizeof(html) - 1), 0);
	assert_string_equal(a.title, "Storm hits coast");
	assert_null(a.outlet);
	assert_string_equal(a.domain, "examplenews.org");
	/* The byline is the names, cleaned; found_by says where it was. */
	assert_string_equal(a.byline, "Jane Doe and John Roe");
	assert_string_equal(a.found_by.byline, "byline-element");
	assert_int_equal(a.nauthors, 2);
	assert_string_equal(a.authors[1], "John Roe");
	assert_string_equal(a.published, "2023-01-09");
	assert_int_equal(a.npara >= 1, 1);
	article_release(&a);
}

static void test_extract__hostile_html(void **state)
{
	size_t n = 100000, i, len = 0;
	char *deep = malloc(n * 11 + 100);
	static const char bomb[] =
		"<!DOCTYPE html [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">"
		"<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;\">]><html><body><p>&c;&c;&c;</p></body></html>";
	struct article a = ARTICLE_INIT;

	(void)state;
	len += (size_t)sprintf(deep + len, "<html><body>");
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(deep + len, "<div>");
	len += (size_t)sprintf(deep + len, "<p>too deep</p>");
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(deep + len, "</div>");
	assert_int_equal(extract_html(&a, deep, len), 0);
	assert_true(a.max_depth >= EXTRACT_MAX_DEPTH);
	article_release(&a);
	free(deep);

	/* The body is the unexpanded reference, never its expansion. */
	assert_int_equal(extract_html(&a, bomb, sizeof(bomb) - 1), 0);
	assert_true(a.dtd_subset);
	assert_int_equal(a.npara, 1);
	assert_string_equal(a.paras[0], "&c;&c;&c;");
	assert_null(a.title);
	article_release(&a);
}

static void test_extract__text(void **state)
{
	static const char in[] = "\n  \nHeadline  here \n\nFirst  para\nwraps here.\n\n\n"
				 "Second\xc2\xa0para.\n";
	struct article a = ARTICLE_INIT;

	(void)state;
	extract_text(&a, in, sizeof(in) - 1, false);
	assert_string_equal(a.title, "Headline here");
	assert_int_equal(a.npara, 2);
	assert_string_equal(a.paras[0], "First para wraps here.");
	assert_string_equal(a.paras[1], "Second para.");
	article_release(&a);

	/* By lines, for tools that separate paragraphs with one newline. */
	extract_text(&a, "T\nOne.\nTwo.", strlen("T\nOne.\nTwo."), true);
	assert_string_equal(a.title, "T");
	assert_int_equal(a.npara, 2);
	article_release(&a);
	extract_text(&a, "T\nOne\nstill one.\n\nTwo.", strlen("T\nOne\nstill one.\n\nTwo."), true);
	assert_int_equal(a.npara, 2);
	assert_string_equal(a.paras[0], "One still one.");
	article_release(&a);
}

static void test_extract__normalize_and_domain(void **state)
{
	char *s = extract_normalize(" a \t\n b\xe2\x80\x8b" "c\x01 \xc2\xa0 d ", 18);
	char *d;

	(void)state;
	assert_string_equal(s, "a bc d");
	free(s);
	d = url_domain("https://WWW.Example.COM:8080/path?q");
	assert_string_equal(d, "example.com");
	free(d);
	assert_null(url_domain("ftp://example.com/"));
	assert_null(url_domain(NULL));
}

static void test_input__gzip_and_cap(void **state)
{
	static const char text[] = "hello, compressed world\n";
	unsigned char z[256];
	uLongf zlen;
	struct input_buf b;
	FILE *fp;
	char gz[512];
	size_t n;
	z_stream zs;

	(void)state;
	/* A gzip member made with deflateInit2 (16 + 15 window bits). */
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (unsigned char *)text;
	zs.avail_in = sizeof(text) - 1;
	zs.next_out = z;
	zs.avail_out = sizeof(z);
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	zlen = sizeof(z) - zs.avail_out;
	deflateEnd(&zs);
	/* Two members in a row read as one. */
	memcpy(gz, z, zlen);
	memcpy(gz + zlen, z, zlen);
	n = 2 * zlen;
	fp = fmemopen(gz, n, "rb");
	assert_int_equal(input_read(&b, fp, "mem", 1000), 0);
	assert_true(b.gzip);
	assert_int_equal(b.len, 2 * (sizeof(text) - 1));
	assert_false(b.truncated);
	input_release(&b);
	fclose(fp);

	fp = fmemopen(gz, n, "rb");
	assert_int_equal(input_read(&b, fp, "mem", 10), 0);
	assert_int_equal(b.len, 10);
	assert_true(b.truncated);
	input_release(&b);
	fclose(fp);

	/* Corrupt data is an error, not a crash. */
	gz[12] ^= 0x55, gz[13] ^= 0x55, gz[14] ^= 0x55;
	fp = fmemopen(gz, zlen, "rb");
	assert_int_equal(input_read(&b, fp, "mem", 1000), -1);
	input_release(&b);
	fclose(fp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract__metadata),
		cmocka_unit_test(test_extract__body_keeps_article_drops_boilerplate),
		cmocka_unit_test(test_extract__title_suffix_and_fallbacks),
		cmocka_unit_test(test_extract__hostile_html),
		cmocka_unit_test(test_extract__text),
		cmocka_unit_test(test_extract__normalize_and_domain),
		cmocka_unit_test(test_input__gzip_and_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
