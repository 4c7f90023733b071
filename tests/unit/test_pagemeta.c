/*
 * test_pagemeta.c -- what a page says about itself (issue 16): each metadata
 * source of lib/extract.c with hand-made HTML, the byline and date parsers
 * of lib/pagemeta.c, and each kind of page furniture dropped from the body.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "slant/extract.h"
#include "slant/usage.h"

/* A body long enough to be an article, around the head and markup given. */
#define BODY "<p>The city council voted on Tuesday to close the old river bridge, citing a " \
	     "report that found serious corrosion in its steel supports and cracked beams.</p>" \
	     "<p>Engineers said the bridge, built in 1931, could no longer carry buses, and the " \
	     "repairs would cost more than a new crossing over the river, officials said.</p>"

static void extract(struct article *a, const char *head, const char *body)
{
	char *html = xasprintf("<html><head>%s</head><body><article>%s%s</article></body></html>",
			       head, body, BODY);

	*a = (struct article)ARTICLE_INIT;
	assert_int_equal(extract_html(a, html, strlen(html)), 0);
	free(html);
}

static void test_pagemeta__json_ld_graph_and_references(void **state)
{
	struct article a;

	(void)state;
	/* Yoast's shape: @graph, the author an @id reference to a Person elsewhere. */
	extract(&a, "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":["
		    "{\"@type\":\"WebSite\",\"@id\":\"https://ex.org/#website\",\"name\":\"Example Site\"},"
		    "{\"@type\":[\"Article\"],\"@id\":\"https://ex.org/a#article\","
		    "\"author\":{\"@id\":\"https://ex.org/#/person/1\"},\"headline\":\"Bridge closes\","
		    "\"datePublished\":\"2018-04-09T16:02:25+0000\",\"articleSection\":[\"Spotlight\",\"News\"],"
		    "\"publisher\":{\"@id\":\"https://ex.org/#org\"}},"
		    "{\"@type\":\"Organization\",\"@id\":\"https://ex.org/#org\",\"name\":\"Example Media\"},"
		    "{\"@type\":[\"Person\"],\"@id\":\"https://ex.org/#/person/1\",\"name\":\"Josh Moore\"}]}"
		    "</script>", "");
	assert_string_equal(a.byline, "Josh Moore");
	assert_string_equal(a.found_by.byline, "json-ld");
	assert_string_equal(a.published, "2018-04-09T16:02:25+00:00");
	assert_string_equal(a.found_by.published, "json-ld");
	assert_string_equal(a.section, "Spotlight");
	assert_string_equal(a.outlet, "Example Media");
	assert_string_equal(a.found_by.outlet, "json-ld");
	article_release(&a);

	/* A ReportageNewsArticle by an Organization; a MedicalWebPage fills gaps. */
	extract(&a, "<script type=\"application/ld+json\">[{\"@type\":\"ReportageNewsArticle\","
		    "\"author\":{\"@type\":\"Organization\",\"name\":\"BBC News\"},"
		    "\"datePublished\":\"2019-11-19T09:44:09+00:00\",\"dateModified\":\"2019-11-19T10:00:00Z\"}]"
		    "</script>", "");
	assert_string_equal(a.byline, "BBC News");
	assert_string_equal(a.published, "2019-11-19T09:44:09+00:00");
	assert_string_equal(a.modified, "2019-11-19T10:00:00Z");
	article_release(&a);
	extract(&a, "<script type=\"application/ld+json\">{\"@type\":\"MedicalWebPage\","
		    "\"author\":{\"@type\":\"Person\",\"name\":\"Rachael Link, MS, RD\"},"
		    "\"datePublished\":\"2019-11-14T08:00:00.000Z\"}</script>", "");
	assert_string_equal(a.byline, "Rachael Link");
	assert_string_equal(a.published, "2019-11-14T08:00:00.000Z");
	article_release(&a);

	/* A fact check: the checker wrote it, the claimant is inside itemReviewed. */
	extract(&a, "<script type=\"application/ld+json\">{\"@type\":\"ClaimReview\","
		    "\"author\":{\"@type\":\"Organization\",\"name\":\"Check Desk\"},"
		    "\"datePublished\":\"2019-11-18\",\"itemReviewed\":{\"@type\":\"Claim\","
		    "\"author\":{\"@type\":\"Organization\",\"name\":\"The defense ministries\"}}}</script>", "");
	assert_string_equal(a.byline, "Check Desk");
	assert_string_equal(a.published, "2019-11-18");
	article_release(&a);
	/* The type says the genre; a genre given wins. */
	extract(&a, "<script type=\"application/ld+json\">{\"@type\":\"OpinionNewsArticle\","
		    "\"author\":[\"Ann Lee\",\"Bo Chan\"]}</script>", "");
	assert_string_equal(a.genre, "OpinionNewsArticle");
	assert_int_equal(a.nauthors, 2);
	article_release(&a);
	/* A date that is a placeholder is no date. */
	extract(&a, "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
		    "\"datePublished\":\"0001-01-01T00:00:00Z\"}</script>", "");
	assert_null(a.published);
	article_release(&a);
}

static void test_pagemeta__microdata(void **state)
{
	struct article a;

	(void)state;
	/* Two names in one itemprop (NYT); an author itemscope with its name. */
	extract(&a, "", "<time itemprop=\"datePublished dateCreated\" datetime=\"2019-11-19T05:00:07-05:00\">"
		    "Nov. 19, 2019</time><span itemprop=\"author creator\" itemscope "
		    "itemtype=\"http://schema.org/Person\"><span itemprop=\"name\">Jane Roe</span></span>");
	assert_string_equal(a.published, "2019-11-19T05:00:07-05:00");
	assert_string_equal(a.found_by.published, "microdata");
	assert_string_equal(a.byline, "Jane Roe");
	assert_string_equal(a.found_by.byline, "microdata");
	article_release(&a);
	/* A fact check: the claim's author is not the page's. */
	extract(&a, "", "<div itemscope itemtype=\"http://schema.org/ClaimReview\">"
		    "<div itemprop=\"itemReviewed\" itemscope itemtype=\"http://schema.org/Claim\">"
		    "<span itemprop=\"author\" itemscope><span itemprop=\"name\">The Russian and Syrian "
		    "defense ministries</span></span></div>"
		    "<span itemprop=\"author\" itemscope><span itemprop=\"name\">Kim Park</span></span></div>");
	assert_string_equal(a.byline, "Kim Park");
	article_release(&a);
	/* dateCreated only when nothing says datePublished */
	extract(&a, "<meta itemprop=\"dateCreated\" content=\"2019-11-18\">"
		    "<meta itemprop=\"datePublished\" content=\"2019-11-19\">", "");
	assert_string_equal(a.published, "2019-11-19");
	article_release(&a);
}

static void test_pagemeta__meta_and_time(void **state)
{
	struct article a;

	(void)state;
	extract(&a, "<meta property=\"og:site_name\" content=\"Daily Ex\">"
		    "<meta property=\"article:section\" content=\"Opinion\">"
		    "<meta name=\"author\" content=\"Finian Cunningham. Sputnik International\">"
		    "<meta name=\"sailthru.date\" content=\"2019-11-18 20:58:46\">", "");
	assert_string_equal(a.outlet, "Daily Ex");
	assert_string_equal(a.found_by.outlet, "meta");
	assert_string_equal(a.section, "Opinion");
	assert_string_equal(a.byline, "Finian Cunningham");
	assert_string_equal(a.found_by.byline, "meta");
	assert_string_equal(a.published, "2019-11-18T20:58:46");
	article_release(&a);
	/* JSON-LD outranks meta */
	extract(&a, "<meta name=\"sailthru.date\" content=\"2019-11-18 20:58:46\">"
		    "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
		    "\"datePublished\":\"2019-11-19T04:58:46Z\"}</script>", "");
	assert_string_equal(a.published, "2019-11-19T04:58:46Z");
	article_release(&a);

	/* <time datetime> in JavaScript's format; an "updated" <time> is not the date. */
	extract(&a, "", "<time class=\"updated\" datetime=\"2019-12-01\">Dec 1</time>"
		    "<time class=\"timeago\" datetime=\"Tue Nov 19 2019 05:44:06 GMT+0000\">19 Nov</time>");
	assert_string_equal(a.published, "2019-11-19T05:44:06Z");
	assert_string_equal(a.found_by.published, "time");
	article_release(&a);
	/* A <time> without datetime: its text. */
	extract(&a, "", "<time class=\"pub-date\">November 18, 2019</time>");
	assert_string_equal(a.published, "2019-11-18");
	article_release(&a);
	/* " UTC" after an ISO date-time */
	extract(&a, "", "<time datetime=\"2019-11-19 02:24:00 UTC\">x</time>");
	assert_string_equal(a.published, "2019-11-19T02:24:00Z");
	article_release(&a);
}

static void test_pagemeta__visible_bylines_and_dates(void **state)
{
	struct article a;

	(void)state;
	/* rel=author */
	extract(&a, "", "<a rel=\"author\" href=\"/people/tom\">Tom Rogan</a>");
	assert_string_equal(a.byline, "Tom Rogan");
	assert_string_equal(a.found_by.byline, "rel-author");
	article_release(&a);
	/* A byline element with its date glued on (Gannett) */
	extract(&a, "", "<div class=\"byline\">Lisa Kaczke and Trevor J. Mitchell Sioux Falls Argus Leader "
		    "Published 10:02 AM EST Nov 19, 2019</div><meta property=\"og:site_name\" "
		    "content=\"Sioux Falls Argus Leader\">");
	assert_int_equal(a.nauthors, 2);
	assert_string_equal(a.authors[0], "Lisa Kaczke");
	assert_string_equal(a.authors[1], "Trevor J. Mitchell");
	assert_string_equal(a.published, "2019-11-19T10:02:00-05:00");
	assert_string_equal(a.found_by.published, "text");
	article_release(&a);
	/* "By ..." as text, the date line in the next element */
	extract(&a, "", "<p>By <a href=\"/a\">Matthew Digby</a>, <a href=\"/b\">Minh Do</a></p>"
		    "<p><em>Monday, November 18th, 2019 at 11:08 a.m.</em></p>");
	assert_int_equal(a.nauthors, 2);
	assert_string_equal(a.authors[1], "Minh Do");
	assert_string_equal(a.published, "2019-11-18T11:08");
	article_release(&a);
	/* "publiziert am 25. September 2018": a line that says it is the publication date */
	extract(&a, "", "<span class=\"about\">publiziert am 25. September 2018</span>");
	assert_string_equal(a.published, "2018-09-25");
	article_release(&a);
	/* "Updated ..." alone is not the publication date; "Posted ..." after it is. */
	extract(&a, "", "<span class=\"timestamp\">Updated Nov 19, 6:55 AM; Posted Nov 18, 2019, 6:51 AM</span>");
	assert_string_equal(a.published, "2019-11-18T06:51");
	article_release(&a);
	/* A CMS account is no byline. */
	extract(&a, "<meta name=\"author\" content=\"admin\">", "<span class=\"author\">By admin</span>");
	assert_null(a.byline);
	assert_int_equal(a.nauthors, 0);
	article_release(&a);
	/* An "Analysis by" label before the names is a kicker. */
	extract(&a, "", "<span class=\"byline\">Analysis by Stephen Collinson, CNN</span>");
	assert_string_equal(a.byline, "Stephen Collinson");
	assert_string_equal(a.kicker, "Analysis");
	article_release(&a);
	/* The headline without the section after it; the site from the <title>. */
	extract(&a, "<title>The view on Hong Kong | Editorial - The Example Post</title>"
		    "<meta property=\"og:title\" content=\"The view on Hong Kong | Editorial\">",
		"<h1>The view on Hong Kong</h1>");
	assert_string_equal(a.title, "The view on Hong Kong");
	assert_string_equal(a.found_by.title, "h1");
	article_release(&a);
	extract(&a, "<title>Royal arrogance - Sputnik International</title>"
		    "<meta property=\"og:title\" content=\"Royal arrogance\">", "");
	assert_string_equal(a.outlet, "Sputnik International");
	assert_string_equal(a.found_by.outlet, "title-suffix");
	article_release(&a);
}

/* byline_names() on the bylines issue 16 met, one per line. */
static void test_pagemeta__byline_names(void **state)
{
	static const struct {
		const char *raw, *site, *domain, *want; /* names joined by "|" */
	} cases[] = {
		{ "ERIC TUCKERAssociated Press", NULL, NULL, "ERIC TUCKER" },
		{ "Suzanne Gamboa 1 day ago", NULL, NULL, "Suzanne Gamboa" },
		{ "by Tom Rogan | November 18, 2019 12:26 PM Print this article", NULL, NULL, "Tom Rogan" },
		{ "By TOM KRISHER, AP Auto Writer", NULL, NULL, "TOM KRISHER" },
		{ "DANICA KIRKA and JILL LAWLESSAssociated Press", NULL, NULL, "DANICA KIRKA|JILL LAWLESS" },
		{ "Troy L. Smith, Cleveland.com", "cleveland.com", "cleveland.com", "Troy L. Smith" },
		{ "Amy Kuperinsky | NJ Advance Media for NJ.com", NULL, NULL, "Amy Kuperinsky" },
		{ "Jill Disis, CNN Business", "CNN", "cnn.com", "Jill Disis" },
		{ "By Sandee LaMotte, CNN 1 day ago", "MSN", "msn.com", "Sandee LaMotte" },
		{ "Ilana Muhlstein, MS, RDN", NULL, NULL, "Ilana Muhlstein" },
		{ "By Carrie ArnoldNovember 15, 2019", NULL, NULL, "Carrie Arnold" },
		{ "Catherine Shu @catherineshu / 2 days", NULL, NULL, "Catherine Shu" },
		{ "Posted by Michael David Smith on November 19, 2019", NULL, NULL, "Michael David Smith" },
		{ "Elliot Brownstein Florida Today Published 2:16 AM EST", "Florida Today", NULL, "Elliot Brownstein" },
		{ "By JERUSALEM POST STAFF NOVEMBER 20, 2019 10:43", NULL, NULL, "JERUSALEM POST STAFF" },
		{ "Associated Press November 19, 2019, 9:02 AM", NULL, NULL, "Associated Press" },
		{ "Detroit News wire services Published 11:11 PM EST", NULL, NULL, "Detroit News wire services" },
		{ "| BY: Beachbody", NULL, NULL, "Beachbody" },
		{ "Stefan Becket, Kathryn Watson, Grace Segers", NULL, NULL, "Stefan Becket|Kathryn Watson|Grace Segers" },
		{ "by jdadmin", NULL, NULL, "" },
		{ "kevin-r", NULL, NULL, "" },
		{ "Share this article on Facebook", NULL, NULL, "" },
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char **names, got[256] = "";
		size_t n = byline_names(cases[i].raw, cases[i].site, cases[i].domain, &names);

		for (k = 0; k < n; k++) {
			if (k)
				strcat(got, "|");
			strncat(got, names[k], sizeof(got) - strlen(got) - 2);
			free(names[k]);
		}
		free(names);
		if (strcmp(got, cases[i].want))
			print_error("byline %zu '%s': got '%s'\n", i, cases[i].raw, got);
		assert_string_equal(got, cases[i].want);
	}
}

static void test_pagemeta__text_dates(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "Published 11:11 PM EST Nov 19, 2019", "2019-11-19T23:11:00-05:00" },
		{ "Nov 19, 2019 at 9:24 pm ET", "2019-11-19T21:24" },
		{ "Fri 6:45 PM, Feb 16, 2018", "2018-02-16T18:45" },
		{ "on Monday, November 18th, 2019 at 11:08 a.m.", "2019-11-18T11:08" },
		{ "19 Nov 2019 05:44 GMT", "2019-11-19T05:44:00Z" },
		{ "Tue Nov 19 2019 05:44:06 GMT+0000", "2019-11-19T05:44:06Z" },
		{ "sexta-feira, 22 de outubro de 2010 \xc3\xa0s 20:13", "2010-10-22T20:13" },
		{ "publiziert am 30. Juli 2018", "2018-07-30" },
		{ "13.11.2019, 23:06", "2019-11-13T23:06" },
		{ "Maret 30, 2015 by Admin", "2015-03-30" },
		{ "Nov. 18, 2019, 4:06 p.m.", "2019-11-18T16:06" },
	};
	static const char *const none[] = { "1 day ago", "Updated an hour ago", "May we go?",
					    "February 30, 2019", "in 2019 and 2020" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *d = extract_text_date(cases[i].text, NULL);

		if (!d || strcmp(d, cases[i].want))
			print_error("date '%s': got '%s'\n", cases[i].text, d ? d : "(none)");
		assert_non_null(d);
		assert_string_equal(d, cases[i].want);
		free(d);
	}
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		assert_null(extract_text_date(none[i], NULL));
	{
		char *d = extract_date_value("2019-11-20T06:35:39+0000");

		assert_string_equal(d, "2019-11-20T06:35:39+00:00");
		free(d);
	}
}

/* Each kind of furniture between paragraphs goes; the article's paragraphs stay. */
static void test_pagemeta__furniture(void **state)
{
	static const char *const furniture[] = {
		"<p>Image 1 of / 23</p>", "<p>Image 3 of 9</p>", "<p>1 of 6</p>", "<p>12 Comments</p>",
		"<p>Comments</p>", "<p>ADVERTISEMENT</p>", "<p>Continue Reading Below</p>",
		"<p>Like this story? Share it with a friend!</p>", "<p>Sharing is caring!</p>",
		"<p>(Graphic: Bridge traffic by year - here)</p>", "<p>RELATED: Another bridge closes</p>",
		"<p>Read more: The river in numbers</p>", "<p>You may also like...</p>",
		"<p>Updated 1:39 am EST, Wednesday, November 20, 2019</p>",
		"<p>Jane Roe - Nov 19, 2019, 10:31 pm CST</p>",
		"<p>Crowds on the bridge at dusk (Image: GETTY )</p>", "<p>\xc2\xa9 Example Photo Agency</p>",
		"<p>Filed under: Bridges</p>", "<p>Sign up for our newsletter to get the news first.</p>",
		"<p>This article has been adapted from its original source.</p>",
		"<p>Letters to the editor should be sent to letters@example.com.</p>",
		"<p>Copyright 2019 Example Media. All rights reserved.</p>",
	};
	static const char *const kept[] = {
		"<p>29 November 2018 | 20 January 2019</p>",
		"<p>Sign up for a transit pass at any station, the council said in its notice.</p>",
		"<p>More than 40 residents spoke at the meeting, most of them in favour.</p>",
		"<p>The closure was signed by the governor on March 3, 2020.</p>",
		"<p>Copyright law does not cover the bridge's design, the council's lawyer said.</p>",
		"<p>Letters to the editor poured in after the vote, most of them angry.</p>",
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(furniture) / sizeof(furniture[0]); i++) {
		struct article a;
		char *body = xasprintf("<h1>Bridge closes</h1><meta name=\"author\" content=\"Jane Roe\">%s",
				       furniture[i]);

		extract(&a, "", body);
		free(body);
		assert_int_equal(a.npara, 2);
		for (k = 0; k < a.npara; k++)
			if (!strncmp(a.paras[k], "The city", 8) == !strncmp(a.paras[k], "Engineers", 9))
				print_error("kept: '%s' (from %s)\n", a.paras[k], furniture[i]);
		article_release(&a);
	}
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		struct article a;

		extract(&a, "", kept[i]);
		assert_int_equal(a.npara, 3);
		article_release(&a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pagemeta__json_ld_graph_and_references),
		cmocka_unit_test(test_pagemeta__microdata),
		cmocka_unit_test(test_pagemeta__meta_and_time),
		cmocka_unit_test(test_pagemeta__visible_bylines_and_dates),
		cmocka_unit_test(test_pagemeta__byline_names),
		cmocka_unit_test(test_pagemeta__text_dates),
		cmocka_unit_test(test_pagemeta__furniture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
