/*
 * extract.h -- from a page or a plain text to an article: title, outlet,
 * byline, date, canonical URL and body paragraphs (docs/ingest.md).
 *
 * HTML goes through libxml2's HTML parser without network access, entity
 * expansion or the "huge" limits; the body is chosen by readability-style
 * scoring of text density, paragraph counts and link density.
 *
 *   struct article a = ARTICLE_INIT;
 *   if (extract_html(&a, buf, len) == 0)
 *           text = article_join(&a, &len);
 *   article_release(&a);
 */
#ifndef SLANT_EXTRACT_H
#define SLANT_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

struct article {
	char *title;        /* headline, or NULL */
	char *url;          /* canonical URL (absolute http/https), or NULL */
	char *outlet;       /* the site's own name (og:site_name, JSON-LD publisher), or NULL */
	char *domain;       /* host of 'url' without "www.", or NULL */
	char *byline;       /* author line as found, or NULL */
	char **authors;     /* names, when the byline can be told apart into names */
	size_t nauthors;
	char *published;    /* ISO 8601 date or date-time, or NULL */
	char *modified;     /* last modified, ISO 8601, or NULL */
	char *section;      /* the section the page files it under (articleSection, article:section) */
	char *genre;        /* schema.org genre, or an article type that says it ("OpinionNewsArticle") */
	char *kicker;       /* a label set above the headline or before the byline ("Analysis") */
	/*
	 * Where each value came from (static strings, NULL when not found):
	 * "json-ld", "microdata", "meta", "time", "rel-author", "byline-element",
	 * "text", "title", "h1", "title-suffix", "kicker-element".
	 */
	struct {
		const char *title, *outlet, *byline, *published, *modified, *section, *genre, *kicker;
	} found_by;
	char **paras;       /* body paragraphs, whitespace-normalised, never empty */
	size_t npara, cappara;
	unsigned max_depth; /* deepest element nesting seen in HTML */
	bool dtd_subset;    /* HTML had a DOCTYPE internal subset (entity declarations): ignored */
};

#define ARTICLE_INIT { 0 }

/* The HTML parser stops reading below this nesting depth (libxml2 without HUGE). */
#define EXTRACT_MAX_DEPTH 256

/*
 * Extract an article from 'len' bytes of HTML (any encoding libxml2 knows;
 * UTF-8 when the bytes are valid UTF-8). Fills 'a', which must be
 * initialised. Returns 0, or -1 when the bytes do not parse as a document at
 * all (nothing reported: the caller names the input).
 */
int extract_html(struct article *a, const char *html, size_t len);

/*
 * Plain text (valid UTF-8): the first non-empty line is the title (unless
 * 'a->title' is already set: then all of it is body), the rest are paragraphs
 * separated by blank lines. With 'line_paras', a body without any blank line
 * takes each line as a paragraph (slant-ingest asks for it for plain text
 * files and JSON Lines alike).
 */
void extract_text(struct article *a, const char *text, size_t len, bool line_paras);

/*
 * Returns a malloc'd copy of 's' with whitespace runs (ASCII and Unicode
 * spaces) collapsed to one space, control characters and zero-width spaces
 * dropped and the ends trimmed. Caller frees.
 */
char *extract_normalize(const char *s, size_t len);

/* Append paragraph 's' (normalised here; an empty one is not kept). */
void article_add_para(struct article *a, const char *s, size_t len);

/*
 * The body paragraphs joined by "\n\n" (without the title). Returns a
 * malloc'd string with its length in '*len'; caller frees.
 */
char *article_body(const struct article *a, size_t *len);

/*
 * The names in a byline as a page writes it (lib/pagemeta.c): a leading
 * "By", "Posted by", ... dropped; cut where a date, a handle ("@x"), a "|"
 * or " - " part or a word like "Published" begins; split on ",", ";", "&",
 * "and"; glued parts told apart ("ERIC TUCKERAssociated Press"). After the
 * first name, job titles ("AP Auto Writer"), degrees ("MS"), short
 * capitals ("CNN") and organisations (the site itself, "... Press",
 * "... News") are affiliations and left out; the site's name glued after a
 * name is cut. CMS account names ("admin", lower-case logins) are no
 * names. 'site' and 'domain' (either may be NULL) name the page's site.
 * Returns the number of names, malloc'd into '*names' (caller frees each
 * and the array).
 */
size_t byline_names(const char *raw, const char *site, const char *domain, char ***names);

/*
 * 's' with only its letters, digits and non-ASCII bytes, lower-cased, into
 * 'out' (at most size - 1 bytes): "Al-Bawaba" and "Al Bawaba" compare, as do
 * "Florida Today" and "floridatoday". NULL 's' gives "". May work in place.
 */
void name_squash(const char *s, char *out, size_t size);

/* A site's name and its domain's first label ("nytimes" of "nytimes.com"), squashed. */
struct site_name {
	char name[128], stem[128];
};

/* Fill 'st' from the site's name and domain (either may be NULL). */
void site_name_init(struct site_name *st, const char *site, const char *domain);

/* Whether 'part' (3 or more squashed characters) names the site: one inside the other. */
bool site_named(const struct site_name *st, const char *part);

/*
 * The first date written out in 's' ("Nov 19, 2019", "November 18th,
 * 2019", "19 Nov 2019", "25. September 2018", "22 de outubro de 2010",
 * "18.11.2019"; month names in English, German, French, Spanish,
 * Portuguese, Italian, Dutch and Indonesian), with a time next to it
 * ("11:11 PM EST", "às 20:13") when there is one. ISO 8601, malloc'd:
 * with the offset when a zone abbreviation gives it, a local time without
 * one otherwise, or the date alone; NULL if none. Relative dates ("1 day
 * ago") are not dates: nothing says when they count from. '*at' (if not
 * NULL) gets the date's byte offset.
 */
char *extract_text_date(const char *s, size_t *at);

/*
 * A date from markup: ISO 8601 (a "+0000" offset written "+00:00", a
 * trailing " UTC" or " GMT" as "Z"), else written out as for
 * extract_text_date() (JavaScript's "Tue Nov 19 2019 05:44:06 GMT+0000").
 * Malloc'd, or NULL.
 */
char *extract_date_value(const char *s);

/*
 * An ISO 8601 date (2024-05-02) or date-time (2024-05-02T08:15:00Z, a space
 * for the T, seconds, fraction and offset optional) at the start of 's'
 * after blanks, with its month, day, hour and minute in range, normalised
 * with a 'T'; malloc'd, or NULL. '*used' (if not NULL) gets the bytes of
 * 's' it took, so a caller can insist on the whole value.
 */
char *extract_iso_date(const char *s, size_t *used);

/* Host of an http(s) URL, lower-cased and without "www.", malloc'd; NULL if none. */
char *url_domain(const char *url);

void article_release(struct article *a);

#endif
