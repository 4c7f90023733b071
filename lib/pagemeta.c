/*
 * pagemeta.c -- what a page says about itself in words rather than markup:
 * dates written out ("Published 11:11 PM EST Nov 19, 2019", "25. September
 * 2018", "Tue Nov 19 2019 05:44:06 GMT+0000") and bylines with an outlet,
 * a date or a job title glued on ("ERIC TUCKERAssociated Press", "by Tom
 * Rogan | November 18, 2019 12:26 PM Print this article"). Pure string
 * work, no markup: lib/extract.c finds the strings (docs/ingest.md).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "slant/extract.h"
#include "slant/usage.h"

/* ====== Dates written out ====== */

/*
 * Month names in the languages of the pages slant meets most (English,
 * German, French, Spanish, Portuguese, Italian, Dutch, Indonesian), lower
 * case, UTF-8; English also by its abbreviations.
 */
static const struct {
	const char *name;
	int month;
} months[] = {
	{ "january", 1 }, { "february", 2 }, { "march", 3 }, { "april", 4 }, { "may", 5 },
	{ "june", 6 }, { "july", 7 }, { "august", 8 }, { "september", 9 }, { "october", 10 },
	{ "november", 11 }, { "december", 12 },
	{ "jan", 1 }, { "feb", 2 }, { "mar", 3 }, { "apr", 4 }, { "jun", 6 }, { "jul", 7 },
	{ "aug", 8 }, { "sep", 9 }, { "sept", 9 }, { "oct", 10 }, { "nov", 11 }, { "dec", 12 },
	{ "januar", 1 }, { "februar", 2 }, { "m\xc3\xa4rz", 3 }, { "mai", 5 }, { "juni", 6 },
	{ "juli", 7 }, { "oktober", 10 }, { "dezember", 12 },
	{ "janvier", 1 }, { "f\xc3\xa9vrier", 2 }, { "mars", 3 }, { "avril", 4 }, { "juin", 6 },
	{ "juillet", 7 }, { "ao\xc3\xbbt", 8 }, { "septembre", 9 }, { "octobre", 10 },
	{ "novembre", 11 }, { "d\xc3\xa9" "cembre", 12 },
	{ "enero", 1 }, { "febrero", 2 }, { "marzo", 3 }, { "abril", 4 }, { "mayo", 5 },
	{ "junio", 6 }, { "julio", 7 }, { "agosto", 8 }, { "septiembre", 9 }, { "setiembre", 9 },
	{ "octubre", 10 }, { "noviembre", 11 }, { "diciembre", 12 },
	{ "janeiro", 1 }, { "fevereiro", 2 }, { "mar\xc3\xa7o", 3 }, { "maio", 5 }, { "junho", 6 },
	{ "julho", 7 }, { "setembro", 9 }, { "outubro", 10 }, { "novembro", 11 }, { "dezembro", 12 },
	{ "gennaio", 1 }, { "febbraio", 2 }, { "aprile", 4 }, { "maggio", 5 }, { "giugno", 6 },
	{ "luglio", 7 }, { "settembre", 9 }, { "ottobre", 10 }, { "dicembre", 12 },
	{ "januari", 1 }, { "februari", 2 }, { "maart", 3 }, { "mei", 5 }, { "augustus", 8 },
	{ "maret", 3 }, { "agustus", 8 }, { "desember", 12 },
};

/* Time zone abbreviations a news page writes after a time, as offsets in minutes. */
static const struct {
	const char *abbr;
	int minutes;
} zones[] = {
	{ "UTC", 0 }, { "GMT", 0 }, { "EST", -300 }, { "EDT", -240 }, { "CST", -360 },
	{ "CDT", -300 }, { "MST", -420 }, { "MDT", -360 }, { "PST", -480 }, { "PDT", -420 },
	{ "BST", 60 }, { "CET", 60 }, { "CEST", 120 }, { "MSK", 180 },
};

static bool is_letter(unsigned char c)
{
	return isalpha(c) || c >= 0x80;
}

/* The month a word at 's' (of 'n' letter bytes, a '.' after it allowed) names, or 0. */
static int month_at(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(months) / sizeof(months[0]); i++) {
		const char *m = months[i].name;
		size_t k;

		if (strlen(m) != n)
			continue;
		for (k = 0; k < n; k++)
			if (tolower((unsigned char)s[k]) != (unsigned char)m[k] &&
			    !((unsigned char)s[k] >= 0x80 && (unsigned char)s[k] == (unsigned char)m[k]) &&
			    /* Upper-case UTF-8 accented letters differ from their lower case by 0x20. */
			    !((unsigned char)s[k] >= 0x80 && ((unsigned char)s[k] | 0x20) == (unsigned char)m[k]))
				break;
		if (k == n)
			return months[i].month;
	}
	return 0;
}

/* Digits at 's': their value and count (at most 'max'), 0 when none. */
static int number_at(const char *s, int max, int *value)
{
	int n = 0, v = 0;

	while (n < max && isdigit((unsigned char)s[n]))
		v = v * 10 + (s[n++] - '0');
	if (isdigit((unsigned char)s[n]))
		return 0;
	*value = v;
	return n;
}

struct clock {
	int h, m, s;
	bool seconds, zoned;
	int offset; /* minutes east of UTC, when zoned */
};

/* A time at 's' ("6:45 PM", "05:44:06 GMT+0000", "11:08 a.m.", "20:13"); bytes used or 0. */
static size_t time_at(const char *s, struct clock *c)
{
	const char *p = s;
	int h, m, sec, n;
	size_t i;

	memset(c, 0, sizeof(*c));
	if (!(n = number_at(p, 2, &h)) || p[n] != ':' || h > 23)
		return 0;
	p += n + 1;
	if (number_at(p, 2, &m) != 2 || m > 59)
		return 0;
	p += 2;
	if (*p == ':' && number_at(p + 1, 2, &sec) == 2 && sec <= 60) {
		c->s = sec;
		c->seconds = true;
		p += 3;
	}
	while (*p == ' ')
		p++;
	if (!strncasecmp(p, "am", 2) || !strncasecmp(p, "a.m.", 4) || !strncasecmp(p, "pm", 2) ||
	    !strncasecmp(p, "p.m.", 4)) {
		bool pm = tolower((unsigned char)*p) == 'p';

		if (h < 1 || h > 12)
			return 0;
		h = h % 12 + (pm ? 12 : 0);
		p += p[1] == '.' ? 4 : 2;
		while (*p == ' ')
			p++;
	}
	c->h = h;
	c->m = m;
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		size_t l = strlen(zones[i].abbr);

		if (!strncmp(p, zones[i].abbr, l) && !is_letter((unsigned char)p[l])) {
			c->zoned = true;
			c->offset = zones[i].minutes;
			p += l;
			/* "GMT+0000", "UTC+05:30" */
			if ((*p == '+' || *p == '-') && number_at(p + 1, 2, &n) == 2) {
				int mm = 0, k = 3;

				if (p[3] == ':')
					k = 4;
				if (number_at(p + k, 2, &mm) != 2)
					mm = 0, k = 3;
				else
					k += 2;
				c->offset += (*p == '-' ? -1 : 1) * (n * 60 + mm);
				p += k;
			}
			break;
		}
	}
	return (size_t)(p - s);
}

/* Whether the byte before 's' (at 'start' or later) leaves a word boundary. */
static bool boundary_before(const char *start, const char *s)
{
	return s == start || !(isalnum((unsigned char)s[-1]));
}

/*
 * A date at 's': "Nov 19, 2019", "November 18th, 2019", "Tue Nov 19 2019",
 * "19 Nov 2019", "25. September 2018", "22 de outubro de 2010", "18.11.2019".
 * Fills y, mo, d and returns the bytes used, or 0.
 */
static size_t date_at(const char *start, const char *s, int *y, int *mo, int *d)
{
	const char *p = s;
	int n, v;
	size_t w;

	if (!boundary_before(start, s))
		return 0;
	for (w = 0; is_letter((unsigned char)p[w]); w++)
		;
	if (w && (*mo = month_at(p, w))) {
		/* Month day, year */
		p += w;
		if (*p == '.')
			p++;
		while (*p == ' ')
			p++;
		if (!(n = number_at(p, 2, d)) || *d < 1 || *d > 31)
			return 0;
		p += n;
		if (!strncasecmp(p, "st", 2) || !strncasecmp(p, "nd", 2) || !strncasecmp(p, "rd", 2) ||
		    !strncasecmp(p, "th", 2))
			p += 2;
		if (*p == ',')
			p++;
		while (*p == ' ')
			p++;
		if (number_at(p, 4, y) != 4 || *y < 1900 || *y > 2100)
			return 0;
		return (size_t)(p + 4 - s);
	}
	if (!(n = number_at(p, 2, d)) || *d < 1 || *d > 31)
		return 0;
	p += n;
	if (*p == '.' && (n = number_at(p + 1, 2, &v)) && p[1 + n] == '.' &&
	    number_at(p + 2 + n, 4, y) == 4) {
		/* 18.11.2019 */
		*mo = v;
		if (*mo < 1 || *mo > 12 || *y < 1900 || *y > 2100)
			return 0;
		return (size_t)(p + 2 + n + 4 - s);
	}
	if (*p == '.')
		p++;
	while (*p == ' ')
		p++;
	if (!strncasecmp(p, "de ", 3))
		p += 3;
	for (w = 0; is_letter((unsigned char)p[w]); w++)
		;
	if (!w || !(*mo = month_at(p, w)))
		return 0;
	p += w;
	if (*p == '.')
		p++;
	if (*p == ',')
		p++;
	while (*p == ' ')
		p++;
	if (!strncasecmp(p, "de ", 3))
		p += 3;
	if (number_at(p, 4, y) != 4 || *y < 1900 || *y > 2100)
		return 0;
	return (size_t)(p + 4 - s);
}

static char *format_date(int y, int mo, int d, const struct clock *c)
{
	if (!c)
		return xasprintf("%04d-%02d-%02d", y, mo, d);
	if (!c->zoned)
		return c->seconds ? xasprintf("%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, c->h, c->m, c->s)
				  : xasprintf("%04d-%02d-%02dT%02d:%02d", y, mo, d, c->h, c->m);
	if (!c->offset)
		return xasprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, c->h, c->m, c->s);
	return xasprintf("%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, mo, d, c->h, c->m, c->s,
			 c->offset < 0 ? '-' : '+', abs(c->offset) / 60, abs(c->offset) % 60);
}

/* Whether only separators lie in [s, e): ", ", " at ", " | ", " às ", " - ". */
static bool only_glue(const char *s, const char *e)
{
	static const char *const words[] = { "at", "um", "à", "às", "a las", "alle", "pukul", "-", "--",
					     "|", "/", NULL };
	const char *p = s;

	while (p < e) {
		size_t i;
		bool hit = false;

		if (*p == ' ' || *p == ',' || *p == '\xc2' || *p == '\xa0') {
			p++;
			continue;
		}
		for (i = 0; words[i]; i++) {
			size_t l = strlen(words[i]);

			if ((size_t)(e - p) >= l && !strncasecmp(p, words[i], l) &&
			    (p + l == e || !is_letter((unsigned char)p[l]))) {
				p += l;
				hit = true;
				break;
			}
		}
		if (!hit)
			return false;
	}
	return true;
}

char *extract_text_date(const char *s, size_t *at)
{
	const char *p;

	if (!s)
		return NULL;
	for (p = s; *p; p++) {
		int y, mo, d;
		size_t n;
		struct clock c;
		const char *q, *best = NULL;

		if (!(isdigit((unsigned char)*p) || is_letter((unsigned char)*p)))
			continue;
		if (!(n = date_at(s, p, &y, &mo, &d)))
			continue;
		if (d > 30 + ((mo + (mo > 7)) % 2) || (mo == 2 && d > 29))
			continue;
		if (at)
			*at = (size_t)(p - s);
		/* A time right after the date ("Nov 19, 2019, 9:02 AM", "... às 20:13") */
		for (q = p + n; *q && q < p + n + 8; q++) {
			if (isdigit((unsigned char)*q)) {
				if (only_glue(p + n, q) && time_at(q, &c))
					return format_date(y, mo, d, &c);
				break;
			}
		}
		/* or right before it ("11:11 PM EST Nov 19, 2019", "Fri 6:45 PM, Feb 16, 2018") */
		for (q = p > s + 24 ? p - 24 : s; q < p; q++)
			if (isdigit((unsigned char)*q) && (q == s || !isdigit((unsigned char)q[-1])) &&
			    (n = time_at(q, &c)) && (only_glue(q + n, p) || q + n == p))
				best = q;
		if (best) {
			time_at(best, &c);
			return format_date(y, mo, d, &c);
		}
		return format_date(y, mo, d, NULL);
	}
	return NULL;
}

char *extract_date_value(const char *s)
{
	size_t used;
	char *iso, *r;

	if (!s)
		return NULL;
	iso = extract_iso_date(s, &used);
	if (iso) {
		const char *rest = s + used;
		size_t l = strlen(iso);

		/* "2019-11-19 02:24:00 UTC": the zone after a blank. */
		while (*rest == ' ')
			rest++;
		if (l > 10 && !strchr(iso + 10, 'Z') && !strchr(iso + 10, '+') && !strchr(iso + 11, '-') &&
		    (!strncmp(rest, "UTC", 3) || !strncmp(rest, "GMT", 3))) {
			r = xasprintf("%sZ", iso);
			free(iso);
			return r;
		}
		/* "+0000" becomes "+00:00" */
		if (l > 16 && (iso[l - 5] == '+' || iso[l - 5] == '-') && isdigit((unsigned char)iso[l - 1]) &&
		    strchr(iso + 10, ':') && iso[l - 3] != ':') {
			r = xasprintf("%.*s:%s", (int)(l - 2), iso, iso + l - 2);
			free(iso);
			return r;
		}
		return iso;
	}
	return extract_text_date(s, NULL);
}

/* ====== Bylines ====== */

/* Words that put a label before the names. */
static const char *const byline_leads[] = {
	"by:", "by", "posted by", "written by", "story by", "words by", "reporting by", "report by",
	"researched by:", "researched by", "text by", "von", "por", "par", "oleh", "door", NULL,
};

/* Words that end the names: what follows is a date, a counter or page furniture. */
static const char *const byline_stops[] = {
	"published", "updated", "posted", "last updated", "print this", "share", "comments",
	"min read", "follow", "email", "e-mail", "publiziert", "publicado", "actualizado", NULL,
};

/* Job titles: a part holding one of these words is a title, not a name. */
static const char *const job_words[] = {
	"writer", "correspondent", "editor", "reporter", "columnist", "contributor", "producer",
	"chief", "analyst", "critic", "intern", "fellow", "photographer", "for", "special", NULL,
};

/* Words of an organisation's name: after a person, such a part is an affiliation. */
static const char *const org_words[] = {
	"press", "news", "agency", "media", "times", "post", "herald", "tribune", "journal",
	"today", "network", "wire", "daily", "magazine", "reuters", "bloomberg", "associated",
	"international", "insider", "business", "gazette", "leader", "chronicle", "group",
	"radio", "television", "tv", NULL,
};

static bool word_in(const char *w, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && !strncasecmp(w, *list, n))
			return true;
	return false;
}

void name_squash(const char *s, char *out, size_t size)
{
	size_t o = 0;

	for (; s && *s && o + 1 < size; s++)
		if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
			out[o++] = (char)tolower((unsigned char)*s);
	out[o] = '\0';
}

void site_name_init(struct site_name *st, const char *site, const char *domain)
{
	char d[128];
	char *dot;

	name_squash(site, st->name, sizeof(st->name));
	snprintf(d, sizeof(d), "%s", domain ? domain : "");
	dot = strchr(d, '.');
	if (dot)
		*dot = '\0';
	name_squash(d, st->stem, sizeof(st->stem));
}

bool site_named(const struct site_name *st, const char *part)
{
	char p[256];

	name_squash(part, p, sizeof(p));
	if (strlen(p) < 3)
		return false;
	return (*st->name && (strstr(st->name, p) || strstr(p, st->name))) ||
	       (*st->stem && (strstr(st->stem, p) || strstr(p, st->stem)));
}

/* Words of 's': callback-free iteration over [start, end) of letter runs. */
static bool next_word(const char *s, size_t *pos, size_t *ws, size_t *we)
{
	size_t i = *pos;

	while (s[i] && !(is_letter((unsigned char)s[i]) || isdigit((unsigned char)s[i])))
		i++;
	if (!s[i])
		return false;
	*ws = i;
	while (s[i] && (is_letter((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '\'' ||
			s[i] == '-' || s[i] == '.' || s[i] == '_'))
		i++;
	*we = i;
	*pos = i;
	return true;
}

static bool has_word(const char *s, const char *const *list)
{
	size_t pos = 0, ws, we;

	while (next_word(s, &pos, &ws, &we)) {
		size_t n = we - ws;

		while (n && s[ws + n - 1] == '.')
			n--;
		if (word_in(s + ws, n, list))
			return true;
	}
	return false;
}

/* A CMS account rather than a byline: "admin", "jdadmin", "gto", "kevin-r". */
static bool account_name(const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if (!strncasecmp(p, "admin", 5))
			return true;
	if (!strcasecmp(s, "webmaster"))
		return true;
	for (p = s; *p; p++)
		if (*p == ' ' || isupper((unsigned char)*p) || (unsigned char)*p >= 0x80)
			return false;
	return true;
}

/*
 * Whether 's' reads as a name: up to six words, the first capitalised (or
 * not Latin script), at most two and fewer than half of them lower case
 * ("Detroit News wire services" is a byline too), no digits or page
 * punctuation, at most 60 bytes.
 */
static bool name_like(const char *s)
{
	size_t pos = 0, ws, we;
	int words = 0, lower = 0;
	const char *p;

	if (strlen(s) > 60)
		return false;
	for (p = s; *p; p++)
		if (isdigit((unsigned char)*p) || strchr("@/:|#?!", *p))
			return false;
	while (next_word(s, &pos, &ws, &we)) {
		words++;
		if (!isupper((unsigned char)s[ws]) && (unsigned char)s[ws] < 0x80) {
			if (words == 1)
				return false;
			lower++;
		}
	}
	/* "Detroit News wire services" is a byline; "Share this article on Facebook" is not. */
	return words >= 1 && words <= 6 && lower <= 2 && 2 * lower <= words;
}

/* Cut 's' at the first byte of what cannot be part of the names. */
static void cut_tail(char *s)
{
	static const char *const seps[] = { " | ", "|", " - ", " \xe2\x80\x93 ", " \xe2\x80\x94 ",
					    "\xe2\x80\xa2", " // ", " / ", "@", "(", "\xc2\xb7", NULL };
	size_t i, pos = 0, ws, we, first = 0;
	char *c;

	for (i = 0; seps[i]; i++)
		if ((c = strstr(s, seps[i])) != NULL && c > s)
			*c = '\0';
	for (c = s; *c; c++)
		if (isdigit((unsigned char)*c)) {
			*c = '\0';
			break;
		}
	/* "... Published", "... on November", "... ArnoldNovember": drop from a stop word on. */
	while (next_word(s, &pos, &ws, &we)) {
		size_t n = we - ws, k;

		if (first++ == 0)
			continue;
		for (k = 0; byline_stops[k]; k++) {
			size_t l = strlen(byline_stops[k]);

			if (!strncasecmp(s + ws, byline_stops[k], l) && (s[ws + l] == '\0' || !is_letter((unsigned char)s[ws + l]))) {
				s[ws] = '\0';
				return;
			}
		}
		(void)n;
	}
}

/* Drop trailing month and weekday names, "on", "at" and punctuation. */
static void trim_tail(char *s)
{
	static const char *const tail[] = { "on", "at", "am", "le", "el", "the", "and", "updated",
					    "monday", "tuesday", "wednesday", "thursday", "friday",
					    "saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat",
					    "sun", NULL };
	for (;;) {
		size_t l = strlen(s), b;

		while (l && (isspace((unsigned char)s[l - 1]) || strchr(",;:-.|&", s[l - 1])))
			s[--l] = '\0';
		/* Restore a final initial's period ("Troy L."): only when it was one letter. */
		for (b = l; b && is_letter((unsigned char)s[b - 1]); b--)
			;
		if (b == l)
			return;
		if (month_at(s + b, l - b) || word_in(s + b, l - b, tail)) {
			s[b] = '\0';
			continue;
		}
		/* "ArnoldNovember": a month glued to the last name. */
		{
			size_t k;
			bool cut = false;

			for (k = b + 1; k + 3 <= l; k++)
				if (islower((unsigned char)s[k - 1]) && isupper((unsigned char)s[k]) &&
				    month_at(s + k, l - k)) {
					s[k] = '\0';
					cut = true;
					break;
				}
			if (!cut)
				return;
		}
	}
}

/* "ERIC TUCKERAssociated Press": split a capitals run from a capitalised word glued to it. */
static char *unglue(const char *s)
{
	size_t n = strlen(s), i, o = 0;
	char *r = xmalloc(2 * n + 1);

	for (i = 0; i < n; i++) {
		if (i >= 2 && isupper((unsigned char)s[i]) && islower((unsigned char)s[i + 1]) &&
		    isupper((unsigned char)s[i - 1]) && isupper((unsigned char)s[i - 2])) {
			size_t w = i;

			while (w > 0 && isalpha((unsigned char)s[w - 1]))
				w--;
			/* the run from the word's start to here is all capitals: two words glued */
			if (i - w >= 2) {
				size_t k;
				bool caps = true;

				for (k = w; k < i; k++)
					caps = caps && isupper((unsigned char)s[k]);
				if (caps)
					r[o++] = ';';
			}
		}
		r[o++] = s[i];
	}
	r[o] = '\0';
	return r;
}

static void add_name(char ***names, size_t *n, size_t *cap, const char *s)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcasecmp((*names)[i], s))
			return;
	xgrow(names, cap, *n + 1, sizeof(**names));
	(*names)[(*n)++] = xstrdup(s);
}

size_t byline_names(const char *raw, const char *site, const char *domain, char ***out)
{
	struct site_name st;
	char *s, *p, *part, *save = NULL;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	bool progress = true;

	*out = NULL;
	if (!raw)
		return 0;
	site_name_init(&st, site, domain);
	p = extract_normalize(raw, strlen(raw));
	s = unglue(p);
	free(p);
	/* Leading labels, repeated: "| BY: Name", "Posted by Name". */
	for (p = s; progress;) {
		progress = false;
		while (*p && (isspace((unsigned char)*p) || strchr("|:-,", *p)))
			p++, progress = true;
		for (i = 0; byline_leads[i]; i++) {
			size_t l = strlen(byline_leads[i]);

			if (!strncasecmp(p, byline_leads[i], l) && (p[l] == ' ' || p[l] == ':' || !p[l] ||
								   byline_leads[i][l - 1] == ':')) {
				p += l;
				progress = true;
				break;
			}
		}
	}
	/* "Analysis by Name", "Opinion by Name": a label of a word or two, then "by". */
	for (i = 1; i < 24 && p[i]; i++) {
		if (!strncasecmp(p + i, " by ", 4)) {
			size_t k, spaces = 0;
			bool word = true;

			for (k = 0; k < i; k++) {
				spaces += p[k] == ' ';
				word = word && (is_letter((unsigned char)p[k]) || p[k] == ' ');
			}
			if (word && spaces <= 1)
				p += i + 4;
			break;
		}
	}
	memmove(s, p, strlen(p) + 1);
	cut_tail(s);
	/* One separator for all: ", " "; " " & " " and " " und " " y " */
	for (p = s; *p; p++) {
		static const char *const joins[] = { " and ", " und ", " y ", " e ", " et ", " & ",
						     " dan ", NULL };
		if (*p == ',' || *p == ';' || *p == '&') {
			*p = '\x1f';
			continue;
		}
		/* "Finian Cunningham. Sputnik International": a sentence stop, not an initial. */
		if (*p == '.' && p[1] == ' ' && p - s >= 2 && is_letter((unsigned char)p[-1]) &&
		    is_letter((unsigned char)p[-2]) && isupper((unsigned char)p[2])) {
			*p = '\x1f';
			continue;
		}
		for (i = 0; joins[i]; i++) {
			size_t l = strlen(joins[i]);

			if (!strncasecmp(p, joins[i], l)) {
				memset(p, ' ', l);
				p[l / 2] = '\x1f';
				break;
			}
		}
	}
	for (part = strtok_r(s, "\x1f", &save); part; part = strtok_r(NULL, "\x1f", &save)) {
		char *t = extract_normalize(part, strlen(part));
		size_t pos = 0, ws, we, words = 0;

		trim_tail(t);
		while (next_word(t, &pos, &ws, &we))
			words++;
		if (!*t || account_name(t) || has_word(t, job_words)) {
			free(t);
			continue;
		}
		if (words > 2 && (*st.name || *st.stem)) {
			/* "Elliot Brownstein Florida Today": the site's name glued after the person's. */
			size_t b = strlen(t);

			while (b > 1) {
				while (b > 0 && t[b - 1] != ' ')
					b--;
				if (b <= 1)
					break;
				{
					char sq[256];

					name_squash(t + b, sq, sizeof(sq));
					if (!strcmp(sq, st.name) || !strcmp(sq, st.stem)) {
						t[b - 1] = '\0';
						break;
					}
				}
				b--;
			}
		}
		if (n) {
			/* After a name: an outlet, a degree ("MS", "RDN") or "CNN" is an affiliation. */
			bool caps = words == 1 && strlen(t) <= 4;

			for (p = t; caps && *p; p++)
				caps = isupper((unsigned char)*p) || *p == '.';
			if (caps || site_named(&st, t) || has_word(t, org_words) || strstr(t, ".com") ||
			    !strcasecmp(t, "PhD")) {
				free(t);
				continue;
			}
		}
		if (name_like(t))
			add_name(&names, &n, &cap, t);
		free(t);
	}
	free(s);
	*out = names;
	return n;
}
