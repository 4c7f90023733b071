/*
 * affil.c -- the affiliation logic of slant-affil: the publisher, every
 * outlet and organisation the article cites, and whether it discloses whom
 * they belong to (slant/affil.h, docs/affil.md).
 *
 * Adds the top-level 'publisher', 'byline_kind' and 'opinion', one "outlet"
 * annotation per mention of a register entry (lexicons/outlets.tsv, see
 * docs/register.md) with its role and whether the article discloses the
 * affiliation near the mention, and one "unknown" annotation per name that
 * looks like an organisation but is not in the register.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "slant/affil.h"
#include "slant/doc.h"
#include "slant/extract.h"
#include "slant/lex.h"
#include "slant/rec.h"
#include "slant/register.h"
#include "slant/usage.h"
#include "slant/words.h"

/* How far (bytes) before and after a mention its disclosure is looked for. */
#define DISCLOSE_BEFORE 120
#define DISCLOSE_AFTER 140
/* Words allowed between a disclosing cue and the name it describes. */
#define DISCLOSE_GAP_WORDS 6
/* Trailer, credit lines and author notes are looked for in the last paragraphs. */
#define TAIL_PARAGRAPHS 8

struct span {
	size_t start, end;
};

/*
 * A word list indexed by first byte (folded for cues), built once:
 * the lists are tried at every byte of a window and at every capitalised
 * word, and most of their words can be passed over on that byte alone.
 */
#define LIST_MAX 255

struct list {
	const char *const *w;        /* NULL-terminated, in priority order */
	unsigned char len[LIST_MAX]; /* strlen of each word */
	unsigned char idx[LIST_MAX]; /* word indexes grouped by first byte, each group in list order */
	unsigned char at[257];       /* the words starting with byte b: idx[at[b], at[b + 1]) */
	bool inword[256];            /* one of those may match inside a word (no letter or digit first) */
};

struct mention {
	size_t start, end;
	const struct reg_cand *cand[REG_MAX_CAND];
	size_t ncand;
	const struct reg_entry *entry; /* resolved, or NULL when ambiguous */
	bool generic;                  /* one masthead word ("The Times", "The Hill"): needs corroboration */
	bool shared;                   /* ... which many outlets share ("The Times", not "The Hill") */
	const char *resolved_by;       /* what chose among candidates, or NULL */
};

/* What lib/affil.c keeps between records: the work of one record and the word lists. */
struct affil_work {
	const struct reg *reg;       /* the caller's register */
	struct reg_matches m;
	struct mention *men;
	size_t nmen, capmen;
	const struct doc *doc;       /* the record's view: paragraphs, sentences, attrib's sources */
	/* Cue lists (folded first byte) and name lists (exact first byte). */
	struct list team, before_cited, after_cited, disclose, self, gap_breaks;
	struct list org_cues, not_acronyms;
	/* Lists of lexicons/affil_cues.tsv categories (affil_load_cues): empty without it. */
	struct list generic, common, paper, country, not_after, source_nouns, origin;
	/* The categories of lexicons/affil_cues.tsv (affil_load_cues), NULL-terminated. */
	const char **opinion_labels, **filed_under, **trailer_cues, **photo_cues;
	const char **disclose_cues, **self_cues, **generic_cues, **common_cues, **paper_cues, **country_cues,
		**not_after_cues, **noun_cues, **origin_cues;
	const char **country_codes;  /* country_cues[i]'s ISO code (the alternative column) */
	char **variants;             /* cues spelt with a typographic apostrophe, made here */
	size_t nvariants;
	struct lex_matches pm;       /* opinion_path matches in the url */
};

static void lists_init(struct affil_work *a);
static bool in_list(const struct list *l, const char *s, size_t n);
static size_t skip_bullet(const char *t, size_t e, size_t i);
static bool is_photo_credit(const struct affil_work *a, const char *t, size_t s);
static bool cited_context(const struct affil_work *a, const char *t, size_t len,
			  const struct mention *m);

/* ====== Small text helpers ====== */

static bool is_word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80 || c == '\'' || c == '-';
}

static void list_init(struct list *l, const char *const *w, bool fold)
{
	unsigned char n[256] = { 0 };
	size_t k, b;

	l->w = w;
	for (k = 0; w[k]; k++) {
		if (k >= LIST_MAX || strlen(w[k]) > 255)
			die("internal error: word list too long");
		l->len[k] = (unsigned char)strlen(w[k]);
		b = fold ? (size_t)tolower((unsigned char)w[k][0]) : (unsigned char)w[k][0];
		n[b]++;
		if (!isalnum((unsigned char)w[k][0]))
			l->inword[b] = true;
	}
	l->at[0] = 0;
	for (b = 0; b < 256; b++)
		l->at[b + 1] = (unsigned char)(l->at[b] + n[b]);
	memset(n, 0, sizeof(n));
	for (k = 0; w[k]; k++) {
		b = fold ? (size_t)tolower((unsigned char)w[k][0]) : (unsigned char)w[k][0];
		l->idx[l->at[b] + n[b]++] = (unsigned char)k;
	}
}

/* word_at() for a word of known length 'l' (at least 1). */
static bool word_at_n(const char *t, size_t len, size_t pos, const char *w, size_t l)
{
	size_t k;

	if (pos + l > len)
		return false;
	/* strncasecmp() without the call: most tries fail on the first bytes. */
	for (k = 0; k < l; k++)
		if (tolower((unsigned char)t[pos + k]) != tolower((unsigned char)w[k]) &&
		    /* "state-run" is "state run": a hyphen and a space are one (docs/affil.md). */
		    !((w[k] == '-' || w[k] == ' ') && (t[pos + k] == '-' || t[pos + k] == ' ')))
			return false;
	if (pos > 0 && is_word_byte((unsigned char)t[pos - 1]) && isalnum((unsigned char)w[0]))
		return false;
	if (pos + l < len && is_word_byte((unsigned char)t[pos + l]) && isalnum((unsigned char)w[l - 1]))
		return false;
	return true;
}

/* Whether text[pos, ...) starts with 'w' (case-insensitive) on word boundaries. */
static bool word_at(const char *t, size_t len, size_t pos, const char *w)
{
	/* Most tries fail on the first byte: test it before strlen. */
	if (pos >= len || tolower((unsigned char)t[pos]) != tolower((unsigned char)w[0]))
		return false;
	return word_at_n(t, len, pos, w, strlen(w));
}

/* The first of the list's words that starts at text[i] and ends by 'e', or NULL. */
static const char *cue_at(const char *t, size_t e, size_t i, const struct list *l)
{
	/* Inside a word only a cue not starting with a letter or digit can match. */
	bool inside = i > 0 && is_word_byte((unsigned char)t[i - 1]);
	unsigned char c;
	size_t k;

	if (i >= e)
		return NULL;
	/* Only the words whose first byte folds like text[i] can match there. */
	c = (unsigned char)tolower((unsigned char)t[i]);
	if (inside && !l->inword[c])
		return NULL;
	for (k = l->at[c]; k < l->at[c + 1]; k++) {
		size_t j = l->idx[k];

		if (!(inside && isalnum((unsigned char)l->w[j][0])) &&
		    word_at_n(t, e, i, l->w[j], l->len[j]))
			return l->w[j];
	}
	return NULL;
}

/* The first of the list's words found in text[s, e) on word boundaries, or NULL; '*at' gets its offset. */
static const char *find_any(const char *t, size_t s, size_t e, const struct list *l, size_t *at)
{
	const char *w;
	size_t i;

	for (i = s; i < e; i++) {
		if ((w = cue_at(t, e, i, l))) {
			if (at)
				*at = i;
			return w;
		}
	}
	return NULL;
}

/* Whether 'w' stands on word boundaries somewhere in text[s, e). */
static bool find_word(const char *t, size_t s, size_t e, const char *w)
{
	size_t i;

	for (i = s; i < e; i++)
		if (word_at(t, e, i, w))
			return true;
	return false;
}

static size_t skip_space(const char *t, size_t len, size_t i)
{
	while (i < len && isspace((unsigned char)t[i]))
		i++;
	return i;
}

/* ====== Paragraphs and sentences ====== */

/* The sentence (else paragraph, else whole text) holding offset 'pos'. */
static struct span around(const struct affil_work *a, size_t pos, size_t len)
{
	struct span s = { 0, len };
	long i;

	if ((i = doc_sentence_at(a->doc, pos)) >= 0) {
		s.start = a->doc->sent[i].span.start;
		s.end = a->doc->sent[i].span.end;
	} else if ((i = doc_paragraph_at(a->doc, pos)) >= 0) {
		s.start = a->doc->para[i].start;
		s.end = a->doc->para[i].end;
	}
	return s;
}

/* ====== Mentions ====== */

static bool is_media(const struct reg_entry *e)
{
	return !strcmp(e->kind, "news_outlet") || !strcmp(e->kind, "broadcaster") ||
	       !strcmp(e->kind, "wire_agency");
}

/* The word of the list at text[i, e) exactly (ASCII case ignored), on word boundaries. */
static bool list_word(const struct list *l, const char *t, size_t i, size_t e)
{
	const char *w = cue_at(t, e, i, l);

	return w && strlen(w) == e - i;
}

/*
 * The country cue at text[i] (its case as written: "US", not "us"; "U.S." as
 * "US", since a lexicon term holds no dots), or -1.
 */
static long country_at(const struct affil_work *a, const char *t, size_t len, size_t i)
{
	const char *w = cue_at(t, len, i, &a->country);
	char abbr[8];
	size_t k, n = 0;

	/* "Britain's": the word without its possessive. */
	for (k = i; !w && k < len && isalpha((unsigned char)t[k]); k++)
		;
	if (!w && k > i && k < len && t[k] != ' ')
		w = cue_at(t, k, i, &a->country);
	if (!w) {
		/* Initials with dots: "U.S.", "U.K." */
		for (k = i; k + 1 < len && n + 1 < sizeof(abbr) && isupper((unsigned char)t[k]) &&
		     t[k + 1] == '.'; k += 2)
			abbr[n++] = t[k];
		abbr[n] = '\0';
		if (n < 2 || (k < len && is_word_byte((unsigned char)t[k])))
			return -1;
		w = cue_at(abbr, n, 0, &a->country);
		if (!w || strcmp(abbr, w))
			return -1;
	} else if (strncmp(t + i, w, strlen(w))) {
		return -1;
	}
	for (k = 0; a->country_cues[k]; k++)
		if (a->country_cues[k] == w)
			return (long)k;
	return -1;
}

/* The capitalised word ending right before 'pos' (one space between), or false. */
static bool cap_word_before(const char *t, size_t pos, size_t floor, size_t *ws)
{
	size_t e, s;

	if (pos < floor + 2 || t[pos - 1] != ' ')
		return false;
	e = pos - 1;
	/* "Obama’s State Department": a possessive ends the name before. */
	if (e >= 4 && t[e - 1] == 's' && (!memcmp(t + e - 4, "\xE2\x80\x99", 3) ||
					  !memcmp(t + e - 4, "\xE2\x80\x98", 3)))
		return false;
	for (s = e; s > floor && (isalnum((unsigned char)t[s - 1]) || (unsigned char)t[s - 1] >= 0x80 ||
				   t[s - 1] == '.'); s--)
		;
	if (s == e || !isupper((unsigned char)t[s]))
		return false;
	/* "Kremlin-funded RT", "Nigeria's ...": a hyphen or possessive ends a name. */
	if (s > floor && (t[s - 1] == '-' || t[s - 1] == '\''))
		return false;
	*ws = s;
	return true;
}

/* The capitalised word starting right after 'pos' (one space between), or false. */
static bool cap_word_after(const char *t, size_t len, size_t pos, size_t *we)
{
	size_t s = pos + 1, e;

	if (s >= len || t[pos] != ' ' || !isupper((unsigned char)t[s]))
		return false;
	/* Up to a possessive, which ends the name: "the Atlantic Council’s". */
	for (e = s; e < len && (isalnum((unsigned char)t[e]) ||
				((unsigned char)t[e] >= 0x80 && (e + 3 > len || memcmp(t + e, "\xE2\x80\x99", 3))));
	     e++)
		;
	if (e < len && t[e] == '-')
		return false;
	*we = e;
	return true;
}

/*
 * Whether the mention is part of something else: a longer proper name that is
 * an organisation of its own ("Peoples Democratic Party", "Independent National
 * Electoral Commission", "Peoples Liberation Army"), or a market index or
 * security named after it ("Nikkei futures", "U.S. Treasury yields").
 */
static bool inside_other_name(const struct affil_work *a, const char *t, size_t len,
			      const struct mention *m)
{
	size_t floor = a->doc->npara > 1 ? a->doc->para[1].start : 0, k, ws, we;
	size_t run_s = m->start, run_e = m->end, last_s = 0, last_e = 0;
	struct span sen = around(a, m->start, len);
	bool left = false, right = false;

	/* On the same line: a word after a line break starts something else. */
	k = skip_space(t, len, m->end);
	if (k > m->end && k < len && !memchr(t + m->end, '\n', k - m->end) &&
	    cue_at(t, len, k, &a->not_after))
		return true;
	/* Title case would make every headline name part of a longer one. */
	if (m->start < floor)
		return false;
	/* A sentence's first capital says nothing: "Former State Department official". */
	if (sen.start > floor)
		floor = sen.start;
	while (cap_word_before(t, run_s, floor, &ws) && ws > floor && country_at(a, t, len, ws) < 0 &&
	       !words_has(&words_not_name_starts, t + ws, run_s - 1 - ws) &&
	       !words_has(&words_sentence_starters, t + ws, run_s - 1 - ws) &&
	       !words_has(&words_dates, t + ws, run_s - 1 - ws)) {
		run_s = ws;
		left = true;
	}
	while (cap_word_after(t, len, run_e, &we)) {
		last_s = run_e + 1;
		last_e = we;
		run_e = we;
		right = true;
	}
	if (!right) {
		/* The mention's own last word ends the longer name. */
		for (last_e = m->end, last_s = m->end; last_s > m->start && t[last_s - 1] != ' '; last_s--)
			;
	}
	if (!(left || right) || !in_list(&a->org_cues, t + last_s, last_e - last_s))
		return false;
	/*
	 * Words after the name only: mostly its own unit ("BBC World Service",
	 * "U.S. Senate Foreign Relations Committee"); not so after one masthead
	 * word ("the Independent National Electoral Commission", "the Mercury News").
	 */
	return left || m->generic;
}

static void collect_mentions(struct affil_work *a, const char *text, size_t len)
{
	size_t i, j, k;

	a->nmen = 0;
	for (i = 0; i < a->m.n; i++) {
		struct mention *m;
		size_t s;

		xgrow(&a->men, &a->capmen, a->nmen + 1, sizeof(*a->men));
		m = &a->men[a->nmen];
		memset(m, 0, sizeof(*m));
		m->start = a->m.v[i].start;
		m->end = a->m.v[i].end;
		m->ncand = a->m.v[i].ncand;
		for (j = 0; j < m->ncand; j++)
			m->cand[j] = a->m.v[i].cand[j];
		/* One masthead word, after an optional "The": "The Times", "Independent". */
		s = m->start;
		if (word_at(text, m->end, s, "the"))
			s = skip_space(text, m->end, s + 3);
		m->shared = list_word(&a->generic, text, m->start, m->end) ||
			    list_word(&a->generic, text, s, m->end);
		m->generic = m->shared || list_word(&a->common, text, m->start, m->end) ||
			     list_word(&a->common, text, s, m->end);
		m->entry = m->ncand == 1 && !m->generic ? m->cand[0]->entry : NULL;
		/*
		 * "Kremlin-funded": a disclosure of what follows, not a mention; a
		 * masthead word in a compound ("Sun-Times", "Star-Spangled") is none either.
		 */
		if (m->end + 1 < len && text[m->end] == '-' && isalpha((unsigned char)text[m->end + 1]) &&
		    (m->generic || cue_at(text, len, m->start, &a->disclose)))
			continue;
		if (inside_other_name(a, text, len, m))
			continue;
		a->nmen++;
	}
	/* "Russia Today (RT)": a name and its abbreviation in brackets are one mention. */
	for (i = 0; i + 1 < a->nmen; i++) {
		struct mention *x = &a->men[i], *y = &a->men[i + 1];

		k = skip_space(text, len, x->end);
		if (x->entry && x->entry == y->entry && k < len && text[k] == '(' &&
		    skip_space(text, len, k + 1) == y->start && y->end < len && text[y->end] == ')') {
			x->end = y->end + 1;
			memmove(y, y + 1, (a->nmen - i - 2) * sizeof(*y));
			a->nmen--;
		}
	}
}

/* Whether 'word' (one masthead word) is a word of the entry's name or an alias. */
static bool names_word(const struct reg_entry *e, const char *word, size_t n)
{
	size_t k;

	for (k = 0; k <= e->naliases; k++) {
		const char *s = k ? e->aliases[k - 1] : e->name, *p;

		for (p = s; *p; p++)
			if ((p == s || p[-1] == ' ') && !strncasecmp(p, word, n) &&
			    !isalnum((unsigned char)p[n]) && (unsigned char)p[n] < 0x80)
				return true;
	}
	return false;
}

/* Keep the candidates that 'keep' accepts; returns how many remain, and the one left in '*hit'. */
static size_t narrow(const struct mention *m, bool *ok, const struct reg_entry **hit)
{
	size_t j, n = 0;

	for (j = 0; j < m->ncand; j++)
		if (ok[j]) {
			*hit = m->cand[j]->entry;
			n++;
		}
	return n;
}

/*
 * Pick one candidate for an ambiguous alias, or for one masthead word, with
 * corroboration: the publisher itself, the publisher's own name holding the
 * word ("The Times" in The New York Times), a country named in the sentence,
 * a "newspaper"/"daily" cue, the publisher's country. Otherwise it stays
 * ambiguous with its candidates.
 */
/*
 * The country most of the article's resolved names are of ("US" for one
 * citing the White House, Congress and the FBI): at least ARTICLE_COUNTRY_MIN
 * mentions and more than any other country, else "".
 */
#define ARTICLE_COUNTRY_MIN 3

static void article_country(const struct affil_work *a, char out[3])
{
	size_t i, j, best = 0, second = 0, n;

	out[0] = '\0';
	for (i = 0; i < a->nmen; i++) {
		const char *c = a->men[i].entry ? a->men[i].entry->country : "";

		if (!*c)
			continue;
		for (j = 0; j < i; j++)
			if (a->men[j].entry && !strcmp(a->men[j].entry->country, c))
				break;
		if (j < i)
			continue;       /* counted at its first mention */
		for (n = 0, j = i; j < a->nmen; j++)
			n += a->men[j].entry && !strcmp(a->men[j].entry->country, c);
		if (n > best) {
			second = best;
			best = n;
			memcpy(out, c, 3);
		} else if (n > second) {
			second = n;
		}
	}
	if (best < ARTICLE_COUNTRY_MIN || best == second)
		out[0] = '\0';
}

static void resolve(struct affil_work *a, const char *t, size_t len, const struct reg_entry *pub)
{
	size_t i, j, k;
	char country[3];

	article_country(a, country);

	for (i = 0; i < a->nmen; i++) {
		struct mention *m = &a->men[i];
		const struct reg_entry *hit = NULL;
		bool ok[REG_MAX_CAND], any, credit, prose;
		struct span sen;
		size_t ws = m->start, from;

		if (m->entry)
			continue;
		for (j = 0; j < m->ncand && pub; j++)
			if (m->cand[j]->entry == pub)
				m->entry = pub, m->resolved_by = "publisher";
		if (m->entry)
			continue;
		if (m->generic && word_at(t, m->end, ws, "the"))
			ws = skip_space(t, m->end, ws + 3);
		if (m->generic && pub && is_media(pub) && names_word(pub, t + ws, m->end - ws)) {
			m->entry = pub;
			m->resolved_by = "publisher_name";
			continue;
		}
		/* "The New York Times ... the Times": the outlet named in full before. */
		for (j = i; m->generic && j-- > 0;)
			if (a->men[j].entry && is_media(a->men[j].entry) &&
			    names_word(a->men[j].entry, t + ws, m->end - ws)) {
				m->entry = a->men[j].entry;
				m->resolved_by = "earlier_mention";
				break;
			}
		if (m->entry)
			continue;
		/*
		 * A name that is also a word or place ("the Atlantic") needs a cue that
		 * an outlet is meant: a country says which outlet, not whether one.
		 */
		prose = m->generic && !m->shared;
		/* A country named in the sentence: "Britain's The Times", "the Cuban daily Granma". */
		sen = around(a, m->start, len);
		for (j = 0; j < m->ncand; j++)
			ok[j] = false;
		any = false;
		for (k = sen.start; k < sen.end; k++) {
			long c;

			if ((k > sen.start && is_word_byte((unsigned char)t[k - 1])) ||
			    (c = country_at(a, t, len, k)) < 0)
				continue;
			for (j = 0; j < m->ncand; j++)
				if (!strcmp(m->cand[j]->entry->country, a->country_codes[c]))
					ok[j] = any = true;
		}
		if (any && !prose && narrow(m, ok, &hit) == 1) {
			m->entry = hit;
			m->resolved_by = "country";
			continue;
		}
		/* "the Times newspaper", "the daily Independent": a newspaper, a few words off. */
		from = m->start > 40 ? m->start - 40 : 0;
		if (from < sen.start)
			from = sen.start;
		k = skip_space(t, len, m->end);
		if (find_any(t, from, m->start, &a->paper, NULL) ||
		    (k > m->end && cue_at(t, len, k, &a->paper))) {
			for (j = 0; j < m->ncand; j++)
				ok[j] = !strcmp(m->cand[j]->entry->kind, "news_outlet");
			if (narrow(m, ok, &hit) == 1) {
				m->entry = hit;
				m->resolved_by = "newspaper_cue";
				continue;
			}
		}
		/*
		 * An outlet by what the sentence does with it: "This article originally
		 * appeared in The Guardian", "the Intercept published", "according to The Hill".
		 */
		/* For a shared masthead it says an outlet is meant, not which. */
		credit = find_any(t, from, m->start, &a->origin, NULL) != NULL;
		if (!m->shared && (credit || cited_context(a, t, len, m))) {
			for (j = 0; j < m->ncand; j++)
				ok[j] = is_media(m->cand[j]->entry);
			if (narrow(m, ok, &hit) == 1) {
				m->entry = hit;
				m->resolved_by = credit ? "origin_cue" : "citing_cue";
				continue;
			}
		}
		if (pub && *pub->country && !prose) {
			for (j = 0; j < m->ncand; j++)
				ok[j] = !strcmp(m->cand[j]->entry->country, pub->country);
			if (narrow(m, ok, &hit) == 1) {
				m->entry = hit;
				m->resolved_by = "publisher_country";
				continue;
			}
		}
		/* Without a publisher's: the country the article's own names are of. */
		if (!pub && *country && !prose) {
			for (j = 0; j < m->ncand; j++)
				ok[j] = !strcmp(m->cand[j]->entry->country, country);
			if (narrow(m, ok, &hit) == 1) {
				m->entry = hit;
				m->resolved_by = "article_country";
			}
		}
	}
}

/* ====== Publisher ====== */

static const char *const team_words[] = {
	"team", "staff", "desk", "newsroom", "editorial", "editors", "redacción", "redaccion",
	"reporters", "agency", "wire", "wires", NULL,
};

struct publisher {
	const struct reg_entry *entry;
	const char *name;            /* when not in the register */
	const char *found_by;
	char *evidence;              /* malloc'd */
	const struct reg_entry *trailer; /* the entry a trailer names, when the publisher came first */
	char *trailer_evidence;      /* malloc'd */
};

/* Whether text[pos, ...) starts with one of the NULL-terminated 'cues' on word boundaries. */
static bool any_word_at(const char *t, size_t len, size_t pos, const char *const *cues)
{
	for (; cues && *cues; cues++)
		if (word_at(t, len, pos, *cues))
			return true;
	return false;
}

/* The trailer's publisher: "Filed under: NAME", "Source: WT", "© 2024 NAME". */
static bool trailer_publisher(struct affil_work *a, const char *text, size_t len, struct publisher *p,
			      struct span *trailer)
{
	size_t first = a->doc->npara > TAIL_PARAGRAPHS ? a->doc->npara - TAIL_PARAGRAPHS : 1, i, j;

	for (i = a->doc->npara; i-- > first;) {
		size_t s = a->doc->para[i].start, e = a->doc->para[i].end, body = s, k;
		bool cue = false;

		if (any_word_at(text, len, s, a->filed_under) || any_word_at(text, len, s, a->trailer_cues) ||
		    !strncmp(text + s, "\xC2\xA9", 2)) {
			cue = true;
			for (k = s; k < e && text[k] != ':' && k < s + 16; k++)
				;
			body = k < e && text[k] == ':' ? k + 1 : s;
		}
		/* "Filed under:" may stand alone with the name in the next paragraph. */
		if (cue && skip_space(text, e, body) >= e && i + 1 < a->doc->npara) {
			s = a->doc->para[i + 1].start;
			e = a->doc->para[i + 1].end;
			body = s;
		}
		if (!cue)
			continue;
		for (j = 0; j < a->nmen; j++) {
			if (a->men[j].start >= body && a->men[j].end <= e && a->men[j].entry) {
				p->entry = a->men[j].entry;
				p->found_by = "trailer";
				p->evidence = xstrndup(text + a->doc->para[i].start, e - a->doc->para[i].start);
				trailer->start = a->doc->para[i].start;
				trailer->end = e;
				return true;
			}
		}
	}
	return false;
}

static void find_publisher(struct affil_work *a, json_t *rec, const char *text, size_t len,
			   struct publisher *p, struct span *trailer)
{
	json_t *outlet = json_object_get(rec, "outlet");
	const char *name = json_string_value(json_object_get(outlet, "name"));
	const char *domain = json_string_value(json_object_get(outlet, "domain"));
	const char *url = rec_str(rec, "url");
	const struct reg_entry *e = NULL;

	memset(p, 0, sizeof(*p));
	trailer->start = trailer->end = len + 1;
	if (domain && (e = reg_by_domain(a->reg, domain))) {
		p->found_by = "domain";
		p->evidence = xstrdup(domain);
	} else if (url && (e = reg_by_domain(a->reg, url))) {
		p->found_by = "domain";
		p->evidence = xstrdup(url);
	} else if (name && *name) {
		const struct reg_alias *al = reg_by_name(a->reg, name);

		p->found_by = "outlet";
		p->evidence = xstrdup(name);
		if (al && al->n == 1)
			e = al->cand[0].entry;
		if (!e)
			p->name = name;
	}
	p->entry = e;
	if (e || p->name) {
		/* The trailer still marks its mentions as the publisher's. */
		struct publisher t;

		if (trailer_publisher(a, text, len, &t, trailer)) {
			p->trailer = t.entry;
			p->trailer_evidence = t.evidence;
		}
		return;
	}
	trailer_publisher(a, text, len, p, trailer);
}

static json_t *publisher_json(const struct publisher *p)
{
	json_t *o;

	if (!p->entry && !p->name)
		return json_null();
	o = json_object();
	if (p->entry) {
		json_object_set_new(o, "name", json_string(p->entry->name));
		json_object_set_new(o, "entry", json_string(p->entry->id));
		json_object_set_new(o, "kind", json_string(p->entry->kind));
		json_object_set_new(o, "ownership", json_string(p->entry->ownership));
		json_object_set_new(o, "control", *p->entry->control ? json_string(p->entry->control)
								    : json_null());
		json_object_set_new(o, "country", *p->entry->country ? json_string(p->entry->country)
								    : json_null());
		json_object_set_new(o, "state_affiliated", json_boolean(reg_state_affiliated(p->entry)));
	} else {
		json_object_set_new(o, "name", json_string(p->name));
		json_object_set_new(o, "entry", json_null());
		json_object_set_new(o, "kind", json_null());
		json_object_set_new(o, "ownership", json_string("unknown"));
		json_object_set_new(o, "control", json_null());
		json_object_set_new(o, "country", json_null());
		json_object_set_new(o, "state_affiliated", json_false());
	}
	json_object_set_new(o, "found_by", json_string(p->found_by));
	json_object_set_new(o, "evidence", json_string(p->evidence ? p->evidence : ""));
	return o;
}

/* ====== Origin: the outlet a republished or wire text comes from ====== */

#define EVIDENCE_MAX 200
/* How far (bytes) after an origin phrase its outlet may be named. */
#define ORIGIN_GAP 80

/* A copy of text[s, e), at most EVIDENCE_MAX bytes and never cut inside a UTF-8 character. */
static char *evidence_of(const char *t, size_t s, size_t e)
{
	if (e - s > EVIDENCE_MAX) {
		e = s + EVIDENCE_MAX;
		while (e > s && ((unsigned char)t[e] & 0xC0) == 0x80)
			e--;
	}
	return xstrndup(t + s, e - s);
}

/* The dash after a dateline's "(Reuters)": "-", "--", "—" or "–", after spaces. */
static size_t dash_at(const char *t, size_t len, size_t i)
{
	i = skip_space(t, len, i);
	if (i < len && t[i] == '-')
		return i + (i + 1 < len && t[i + 1] == '-' ? 2 : 1);
	if (i + 3 <= len && (!memcmp(t + i, "\xE2\x80\x94", 3) || !memcmp(t + i, "\xE2\x80\x93", 3)))
		return i + 3;
	return 0;
}

static bool origin_take(const struct affil_work *a, const char *t, const struct publisher *pub,
			size_t mi, const char *found_by, size_t es, size_t ee, struct publisher *o)
{
	const struct mention *m = &a->men[mi];

	/* An origin is an outlet: "Follow Filter on Facebook" names none. */
	if (!m->entry || m->entry == pub->entry || !is_media(m->entry) || is_photo_credit(a, t, m->start))
		return false;
	o->entry = m->entry;
	o->found_by = found_by;
	o->evidence = evidence_of(t, es, ee);
	return true;
}

/*
 * The origin of the text, when it is not the publisher's own: a credit
 * phrase before an outlet's name ("This article originally appeared in X",
 * "adapted from its original source. Copyright © 2019 Press TV"), a wire
 * dateline ("WASHINGTON (Reuters) -"), a credit line at the end ("— AP"), or a
 * trailer naming another outlet than the publisher. '*omi' gets the mention.
 */
static void find_origin(const struct affil_work *a, const char *t,
			const struct publisher *pub, struct publisher *o, size_t *omi)
{
	size_t np = a->doc->npara, i, j, at, tail = np > TAIL_PARAGRAPHS ? np - TAIL_PARAGRAPHS : 1;
	const char *cue;

	memset(o, 0, sizeof(*o));
	*omi = (size_t)-1;
	for (i = 1; i < np; i++) {
		size_t ps = a->doc->para[i].start, pe = a->doc->para[i].end, from = ps;

		/* Credits stand at the top or the end: not read in the middle of the body. */
		if (i > 3 && i < tail)
			continue;
		/* Only a paragraph naming an outlet can credit one: most have none. */
		for (j = 0; j < a->nmen && !(a->men[j].start >= ps && a->men[j].end <= pe &&
					    a->men[j].entry && is_media(a->men[j].entry)); j++)
			;
		if (j == a->nmen)
			continue;
		while ((cue = find_any(t, from, pe, &a->origin, &at))) {
			for (j = 0; j < a->nmen; j++)
				if (a->men[j].start >= at + strlen(cue) && a->men[j].end <= pe &&
				    a->men[j].start - at < ORIGIN_GAP &&
				    origin_take(a, t, pub, j, "origin_credit", at, a->men[j].end, o)) {
					*omi = j;
					return;
				}
			from = at + strlen(cue);
		}
	}
	for (i = 1; i < np && i <= 3; i++) {
		size_t ps = a->doc->para[i].start, pe = a->doc->para[i].end, d;

		for (j = 0; j < a->nmen; j++) {
			const struct mention *m = &a->men[j];

			if (m->start > ps && m->end < pe && t[m->start - 1] == '(' && t[m->end] == ')' &&
			    (d = dash_at(t, pe, m->end + 1)) &&
			    origin_take(a, t, pub, j, "dateline", ps, d, o)) {
				*omi = j;
				return;
			}
		}
	}
	for (i = np; i-- > tail;) {
		size_t ps = a->doc->para[i].start, pe = a->doc->para[i].end, s = skip_bullet(t, pe, ps), e;

		if (s == ps && (s >= pe || t[s] != '('))
			continue;       /* a credit line starts with a dash: "— AP", "-- Reuters" */
		if (s < pe && t[s] == '(')
			s++;
		for (j = 0; j < a->nmen; j++) {
			if (a->men[j].start != s)
				continue;
			for (e = a->men[j].end; e < pe && (t[e] == '.' || t[e] == ')' || isspace((unsigned char)t[e])); e++)
				;
			if (e == pe && origin_take(a, t, pub, j, "wire_credit", ps, pe, o)) {
				*omi = j;
				return;
			}
		}
	}
	if (pub->trailer && pub->trailer != pub->entry && is_media(pub->trailer)) {
		o->entry = pub->trailer;
		o->found_by = "trailer";
		o->evidence = xstrdup(pub->trailer_evidence ? pub->trailer_evidence : "");
		for (j = 0; j < a->nmen; j++)
			if (a->men[j].entry == pub->trailer && *omi == (size_t)-1)
				*omi = j;
	}
}

/* ====== Author notes ("X is the coordinator of ...") ====== */

/*
 * If text[s, e) (a paragraph, after an optional bullet) is an author note,
 * return true. A note starts with a name of 2-4 capitalised words followed
 * by "is", "was", "serves as" or "writes".
 */
static bool note_clause_at(const char *t, size_t e, size_t i, size_t *name_end)
{
	size_t words = 0;

	while (i < e && isupper((unsigned char)t[i])) {
		while (i < e && (is_word_byte((unsigned char)t[i]) || t[i] == '.'))
			i++;
		words++;
		if (i < e && t[i] == ' ')
			i++;
		else
			return false;
		if (word_at(t, e, i, "is") || word_at(t, e, i, "was") || word_at(t, e, i, "serves") ||
		    word_at(t, e, i, "writes")) {
			if (words >= 2 && words <= 4) {
				*name_end = i - 1;
				return true;
			}
			return false;
		}
	}
	return false;
}

static size_t skip_bullet(const char *t, size_t e, size_t i)
{
	i = skip_space(t, e, i);
	if (i + 3 <= e && !memcmp(t + i, "\xE2\x80\xA2", 3)) /* • */
		i += 3;
	else if (i + 3 <= e && !memcmp(t + i, "\xE2\x80\x94", 3)) /* — */
		i += 3;
	else if (i < e && (t[i] == '*' || t[i] == '-'))
		i++;
	return skip_space(t, e, i);
}

/* The author-note paragraph among the last ones, or false. */
static bool find_note(const struct affil_work *a, const char *text, struct span *note)
{
	size_t first = a->doc->npara > 5 ? a->doc->npara - 5 : 1, i, ne;

	for (i = a->doc->npara; i-- > first;) {
		size_t s = skip_bullet(text, a->doc->para[i].end, a->doc->para[i].start);

		if (note_clause_at(text, a->doc->para[i].end, s, &ne)) {
			note->start = a->doc->para[i].start;
			note->end = a->doc->para[i].end;
			return true;
		}
	}
	return false;
}

/* The author whose clause of the note holds 'pos': "Name" before " is ...". */
static char *note_person(const char *text, struct span note, size_t pos)
{
	size_t i = skip_bullet(text, note.end, note.start), best_s = 0, best_e = 0, ne;

	for (; i < pos; i++) {
		if ((i == skip_bullet(text, note.end, note.start) ||
		     (i >= 2 && text[i - 1] == ' ' && (text[i - 2] == '.' || text[i - 2] == ')'))) &&
		    note_clause_at(text, note.end, i, &ne)) {
			best_s = i;
			best_e = ne;
		}
	}
	return best_e > best_s ? xstrndup(text + best_s, best_e - best_s) : NULL;
}

/* ====== Roles ====== */

static const char *const before_cited[] = {
	"according to", "cited by", "reported by", "published by", "quoted by", "report from",
	"reports from", "report by", "a report in", "told", "via", "source:", "sources:", "citing",
	"said to", "reports in", "as reported by", "data from", "statement from", "told by",
	NULL,
};
static const char *const after_cited[] = {
	"said", "says", "reported", "reports", "claimed", "claims", "stated", "states", "announced",
	"announces", "denounced", "denounces", "wrote", "writes", "confirmed", "confirms",
	"indicated", "indicates", "told", "published", "cited", "estimated", "estimates",
	"warned", "warns", "noted", "notes", "added", "explained", "alleged", "alleges",
	"accused", "accuses", "insisted", "insists", "revealed", "reveals", "informed",
	NULL,
};

/* Whether [s, e) overlaps a source attrib found for a sentence. */
static bool attrib_source_at(const struct affil_work *a, size_t s, size_t e)
{
	size_t i;

	for (i = 0; i < a->doc->nsent; i++) {
		const struct doc_span *src = &a->doc->sent[i].source;

		if (src->end > src->start && src->start < e && s < src->end)
			return true;
	}
	return false;
}

/* Whether the mention at 's' follows a photo_credit cue: "Photo: ", "Photos © ", "Image by ". */
static bool is_photo_credit(const struct affil_work *a, const char *t, size_t s)
{
	const char *const *cue = a->photo_cues;
	size_t from = s > 24 ? s - 24 : 0, i, k;

	for (i = from; i < s; i++)
		for (k = 0; cue && cue[k]; k++)
			/* Test the first byte before the call. */
			if (tolower((unsigned char)t[i]) == tolower((unsigned char)cue[k][0]) &&
			    !strncasecmp(t + i, cue[k], strlen(cue[k]))) {
				size_t j = i + strlen(cue[k]);

				while (j < s && (t[j] == 's' || t[j] == ' ' || t[j] == ':' ||
						 !strncmp(t + j, "\xC2\xA9", 2) || t[j] == '/'))
					j += !strncmp(t + j, "\xC2\xA9", 2) ? 2 : 1;
				if (j == s || word_at(t, s, j, "by"))
					return true;
			}
	return false;
}

/*
 * Whether the mention's sentence cites it: attrib's source, "according to X",
 * "A new X poll", "X's latest report", "X said" (docs/affil.md, "Roles").
 */
static bool cited_context(const struct affil_work *a, const char *t, size_t len,
			  const struct mention *m)
{
	struct span sen = around(a, m->start, len);
	size_t from = m->start > 60 ? m->start - 60 : 0, k, at, lim;

	if (from < sen.start)
		from = sen.start;
	if (attrib_source_at(a, m->start, m->end))
		return true;
	if (find_any(t, from, m->start, &a->before_cited, &at))
		return true;
	/* "A new ABC News poll shows", "Amnesty International's latest report": a cited source. */
	k = m->end;
	lim = 1;                /* the noun right after the name, or after "'s" and two words */
	if (k + 2 <= len && t[k] == '\'' && t[k + 1] == 's')
		k += 2, lim = 3;
	else if (k + 4 <= len && !memcmp(t + k, "\xE2\x80\x99s", 4))
		k += 4, lim = 3;
	for (at = 0, k = skip_space(t, len, k); at < lim && k < sen.end; at++) {
		if (cue_at(t, sen.end, k, &a->source_nouns))
			return true;
		while (k < sen.end && is_word_byte((unsigned char)t[k]))
			k++;
		if (k < sen.end && !isspace((unsigned char)t[k]))
			break;
		k = skip_space(t, len, k);
	}
	k = skip_space(t, len, m->end);
	/* "X said", "X, the state agency, reported": look a few words ahead. */
	for (at = 0; at < 6 && k < sen.end; at++) {
		if (cue_at(t, len, k, &a->after_cited))
			return true;
		while (k < sen.end && !isspace((unsigned char)t[k]))
			k++;
		k = skip_space(t, len, k);
	}
	return false;
}

static const char *role_of(const struct affil_work *a, const char *t, size_t len,
			   const struct mention *m, const struct publisher *p, struct span trailer,
			   bool have_note, struct span note)
{
	if (is_photo_credit(a, t, m->start))
		return "photo_credit";
	if (have_note && m->start >= note.start && m->end <= note.end)
		return "author_affiliation";
	if ((m->start >= trailer.start && m->end <= trailer.end) ||
	    (p->entry && m->entry == p->entry))
		return "publisher";
	return cited_context(a, t, len, m) ? "cited_source" : "subject";
}

/* ====== Disclosure ====== */

/* Words that end the phrase describing a name: the cue then belongs elsewhere. */
static const char *const gap_breaks[] = {
	"as", "than", "while", "but", "whereas", "unlike", "not", "and", "or", "from", "to", NULL,
};

static int words_between(const struct affil_work *a, const char *t, size_t s, size_t e, bool *broken)
{
	int n = 0;
	size_t i = s;

	*broken = false;
	while (i < e) {
		i = skip_space(t, e, i);
		if (i >= e)
			break;
		if (cue_at(t, e, i, &a->gap_breaks))
			*broken = true;
		if (t[i] == '.' || t[i] == ';')
			*broken = true;
		while (i < e && !isspace((unsigned char)t[i]))
			i++;
		n++;
	}
	return n;
}

static const char *disclosure(const struct affil_work *a, const char *t, size_t len, size_t mi,
			      size_t *cs, size_t *ce)
{
	const struct mention *m = &a->men[mi];
	struct span sen = around(a, m->start, len);
	size_t bs = m->start > DISCLOSE_BEFORE ? m->start - DISCLOSE_BEFORE : 0, ae, i, at = 0;
	const char *cue;
	bool broken;

	/* A name that says what it is (register flag): "the White House", "the Pentagon". */
	if (m->entry && m->entry->self_describing) {
		*cs = m->start;
		*ce = m->end;
		return "self_describing";
	}
	/* Words of the name itself: "the Russian Ministry of Emergencies". */
	if (m->entry && (!strcmp(m->entry->kind, "government_body") ||
			 !strcmp(m->entry->kind, "military_intelligence") || !strcmp(m->entry->kind, "party")) &&
	    ((cue = find_any(t, m->start, m->end, &a->self, &at)) ||
	     (cue = find_any(t, m->start, m->end, &a->disclose, &at)))) {
		*cs = at;
		*ce = at + strlen(cue);
		return cue;
	}
	if (bs < sen.start)
		bs = sen.start;
	if (mi > 0 && a->men[mi - 1].end > bs && a->men[mi - 1].end <= m->start)
		bs = a->men[mi - 1].end;
	/* Before: a cue at most a few words before the name, in the same phrase. */
	for (i = m->start; i-- > bs;) {
		if ((cue = cue_at(t, m->start, i, &a->disclose))) {
			if (words_between(a, t, i + strlen(cue), m->start, &broken) <= DISCLOSE_GAP_WORDS &&
			    !broken) {
				*cs = i;
				*ce = i + strlen(cue);
				return cue;
			}
		}
	}
	/* "the official Belta agency": 'official' right before the name (docs/affil.md). */
	for (i = m->start; i > bs && isspace((unsigned char)t[i - 1]); i--)
		;
	if (i >= bs + 8 && word_at(t, len, i - 8, "official")) {
		*cs = i - 8;
		*ce = i;
		return "official";
	}
	/* After: an apposition right after the name, "(...)", ", a ...", " —...—". */
	i = m->end;
	if (i < len && (t[i] == ',' || t[i] == ' ' || t[i] == '(' || (unsigned char)t[i] == 0xE2)) {
		size_t k = skip_space(t, len, i);

		if (k < len && (t[k] == ',' || t[k] == '(' || !strncmp(t + k, "\xE2\x80\x94", 3) ||
				!strncmp(t + k, "\xE2\x80\x93", 3) || t[k] == '-')) {
			ae = m->end + DISCLOSE_AFTER < sen.end ? m->end + DISCLOSE_AFTER : sen.end;
			if (mi + 1 < a->nmen && a->men[mi + 1].start < ae && a->men[mi + 1].entry &&
			    (!strcmp(a->men[mi + 1].entry->kind, "news_outlet") ||
			     !strcmp(a->men[mi + 1].entry->kind, "broadcaster") ||
			     !strcmp(a->men[mi + 1].entry->kind, "wire_agency")))
				ae = a->men[mi + 1].start;
			/* The apposition ends at its closing mark or the clause's end. */
			for (i = k + 1; i < ae; i++)
				if (t[i] == ')' || t[i] == '.' || t[i] == ';' ||
				    !strncmp(t + i, "\xE2\x80\x94", 3))
					break;
			/* ", a U.S.-based nonprofit, pro-democracy coalition": two commas are one apposition. */
			if (i < ae && t[i] == '.' && i > 0 && isupper((unsigned char)t[i - 1]))
				for (i++; i < ae && t[i] != ')' && !(t[i] == '.' && !isupper((unsigned char)t[i - 1])); i++)
					;
			if ((cue = find_any(t, k, i, &a->disclose, &at))) {
				*cs = at;
				*ce = at + strlen(cue);
				return cue;
			}
		}
	}
	return NULL;
}

/* ====== Unknown organisations ====== */

static const char *const org_cues[] = {
	"Agency", "Ministry", "Institute", "Council", "Party", "News", "Times", "Radio", "TV",
	"Foundation", "Center", "Centre", "Committee", "Directorate", "Association", "Union",
	"Academy", "Department", "Service", "Bureau", "Office", "Commission", "Assembly",
	"Corporation", "Network", "Press", "Post", "Journal", "Gazette", "Television",
	"Broadcasting", "Company", "University", "Front", "Movement", "Organization",
	"Organisation", "Group", "Army", "Forces", "Guard", "Embassy", "Parliament", "Court",
	"Bank", "Daily", "Herald", "Tribune", "Federation", "Alliance", "Coalition", "Society",
	"League", "Observatory", "Fund", NULL,
};
/* Acronyms that are not organisations. */
static const char *const not_acronyms[] = {
	"US", "USA", "UK", "TV", "CEO", "FAQ", "OK", "AM", "PM", "GDP", "ID", "II", "III", "IV",
	"VI", "VII", "VIII", "IX", "XI", "XII", "XX", "XXI", "USSR", "AI", "COVID", "PDF", "HTML",
	"URL", "FM", "GMT", "UTC", "EST", "DNA", "PhD", "NB", "PS", "UAE", "DRC", "LGBT", "LGBTQ",
	"VIP", "SUV", "CV", "HQ", "RSS", "SMS", "GPS", "IT", "OSZAR", NULL,
};

static bool in_list(const struct list *l, const char *s, size_t n)
{
	/* This runs for every capitalised word of the body: only the words of its first byte. */
	unsigned char c = (unsigned char)*s;
	size_t k;

	for (k = l->at[c]; k < l->at[c + 1]; k++) {
		size_t j = l->idx[k];

		if (l->len[j] == n && !memcmp(l->w[j], s, n))
			return true;
	}
	return false;
}

static bool overlaps_mention(const struct affil_work *a, size_t s, size_t e)
{
	size_t i;

	for (i = 0; i < a->nmen; i++)
		if (a->men[i].start < e && s < a->men[i].end)
			return true;
	return false;
}

static void add_unknown(json_t *rec, const char *t, size_t s, size_t e)
{
	json_t *ann = rec_annotate(rec, "affil", "unknown", s, e);

	json_object_set_new(ann, "name", json_stringn(t + s, e - s));
}

static void find_unknowns(const struct affil_work *a, json_t *rec, const char *t, size_t len)
{
	size_t pos = a->doc->npara > 1 ? a->doc->para[1].start : 0, ws, we;
	/* The word after a run's last capital, found while extending it: the next word to look at. */
	size_t next_from = (size_t)-1, next_pos = 0, next_s = 0, next_e = 0;
	bool next_ok = false;

	for (;;) {
		size_t run_s, run_e, last_cap_e, caps = 1, n, q, sp;
		bool cue, all_caps = true;
		size_t i;

		if (pos == next_from) {
			if (!next_ok)
				break;
			pos = next_pos;
			ws = next_s;
			we = next_e;
		} else {
			/*
			 * Only words starting with a capital count: go to the next one,
			 * from the last space before it (no word holds a space, so the
			 * words from there are those of the whole walk).
			 */
			for (q = sp = pos; q < len && !isupper((unsigned char)t[q]); q++)
				if (isspace((unsigned char)t[q]))
					sp = q;
			if (q >= len)
				break;
			pos = sp;
			if (!lex_next_word(t, len, &pos, &ws, &we))
				break;
		}
		run_s = ws;
		run_e = last_cap_e = we;
		if (!isupper((unsigned char)t[ws]) || words_has(&words_not_name_starts, t + ws, we - ws))
			continue;
		for (i = ws; i < we; i++)
			if (!isupper((unsigned char)t[i]) && !isdigit((unsigned char)t[i]))
				all_caps = false;
		cue = in_list(&a->org_cues, t + ws, we - ws);
		/* Extend over capitalised words and connectors on the same line. */
		for (;;) {
			size_t p2 = run_e, s2 = 0, e2 = 0;
			bool ok = lex_next_word(t, len, &p2, &s2, &e2);

			if (run_e == last_cap_e) {
				next_from = run_e;
				next_ok = ok;
				next_pos = p2;
				next_s = s2;
				next_e = e2;
			}
			if (!ok)
				break;
			if (memchr(t + run_e, '\n', s2 - run_e) || s2 - run_e > 2 ||
			    memchr(t + run_e, ',', s2 - run_e) || memchr(t + run_e, '.', s2 - run_e) ||
			    memchr(t + run_e, '(', s2 - run_e))
				break;
			if (isupper((unsigned char)t[s2])) {
				caps++;
				last_cap_e = e2;
				if (in_list(&a->org_cues, t + s2, e2 - s2))
					cue = true;
			} else if (!words_has(&words_org_glue, t + s2, e2 - s2)) {
				break;
			}
			run_e = e2;
		}
		pos = last_cap_e;
		run_e = last_cap_e;
		n = run_e - run_s;
		if (caps == 1 && all_caps && n >= 2 && n <= 6 && !in_list(&a->not_acronyms, t + run_s, n) &&
		    !overlaps_mention(a, run_s, run_e)) {
			add_unknown(rec, t, run_s, run_e);
			continue;
		}
		if (caps >= 2 && cue && !overlaps_mention(a, run_s, run_e))
			add_unknown(rec, t, run_s, run_e);
	}
}

/* ====== Byline and opinion ====== */

/* Whether 'name' is the site's own name (its outlet name, publisher or domain stem). */
static bool names_outlet(json_t *rec, const char *name)
{
	json_t *outlet = json_object_get(rec, "outlet");
	struct site_name st;

	site_name_init(&st, json_string_value(json_object_get(outlet, "name")),
		       json_string_value(json_object_get(outlet, "domain")));
	return site_named(&st, name);
}

enum bkind { BK_PERSON, BK_AGENCY, BK_TEAM };

/*
 * One name of a byline: a wire agency by the register (kind wire_agency) or
 * by a wire word ("Detroit News wire services"); a team when the register
 * knows it as another organisation, it has a team word ("Staff Reports",
 * "Editorial") or it is the site's own name ("LinkNaija" on linknaija.com);
 * else a person.
 */
static enum bkind name_kind(json_t *rec, const char *name, const struct affil_work *a)
{
	static const char *const wire[] = { "wire", "wires", "wire services", "news services",
					    "news agencies", NULL };
	const struct reg_alias *al = reg_by_name(a->reg, name);
	size_t i, n = strlen(name);

	if (al && al->n) {
		for (i = 0; i < al->n; i++)
			if (!strcmp(al->cand[i].entry->kind, "wire_agency"))
				return BK_AGENCY;
		return BK_TEAM;
	}
	for (i = 0; wire[i]; i++)
		if (find_word(name, 0, n, wire[i]))
			return BK_AGENCY;
	if (find_any(name, 0, n, &a->team, NULL) || names_outlet(rec, name))
		return BK_TEAM;
	return BK_PERSON;
}

/*
 * person when a person is named; agency when only wire agencies are; team
 * for desks and organisations; none without a byline (or a team when a
 * "Filed under" trailer names a desk).
 */
static const char *byline_kind(json_t *rec, const char *text, const struct affil_work *a)
{
	static const char *const names[] = { "person", "agency", "team" };
	const char *byline = rec_str(rec, "byline");
	json_t *authors = json_object_get(rec, "authors"), *v;
	enum bkind best = BK_TEAM;
	size_t i;
	bool any = false;

	json_array_foreach(authors, i, v) {
		enum bkind k;

		if (!json_is_string(v))
			continue;
		k = name_kind(rec, json_string_value(v), a);
		best = !any || k < best ? k : best;
		any = true;
	}
	if (!any && byline && *byline) {
		best = name_kind(rec, byline, a);
		any = true;
	}
	if (any)
		return names[best];
	for (i = a->doc->npara > TAIL_PARAGRAPHS ? a->doc->npara - TAIL_PARAGRAPHS : 1; i + 1 < a->doc->npara; i++) {
		if (any_word_at(text, a->doc->para[i].end, a->doc->para[i].start, a->filed_under) &&
		    find_any(text, a->doc->para[i].start, a->doc->para[i + 1].end, &a->team, NULL))
			return "team";
	}
	return "none";
}

/*
 * The opinion_path pattern of the cues found in 'url' that comes first in the
 * file, as a malloc'd copy of the url's bytes it matched, or NULL.
 */
static char *opinion_path(const struct lex *cues, struct lex_matches *pm, const char *url)
{
	const struct lex_match *best = NULL;
	size_t k;

	if (lex_match(cues, url, strlen(url), LEX_OVERLAP, pm) <= 0)
		return NULL;
	for (k = 0; k < pm->n; k++)
		if (!strcmp(pm->v[k].entry->category->name, "opinion_path") &&
		    (!best || pm->v[k].entry->index < best->entry->index))
			best = &pm->v[k];
	return best ? xstrndup(url + best->start, best->end - best->start) : NULL;
}

/* The first opinion label that 's' is, or starts with as a word ("Opinion", "Columnists"), or NULL. */
static const char *label_of(const char *const *labels, const char *s)
{
	size_t k;

	for (k = 0; s && labels[k]; k++) {
		size_t l = strlen(labels[k]);

		if (!strncasecmp(s, labels[k], l) && !isalnum((unsigned char)s[l]) &&
		    (unsigned char)s[l] < 0x80)
			return labels[k];
	}
	return NULL;
}

/*
 * Opinion and analysis are what the page says it is: its metadata (the
 * section, genre or kicker slant-ingest found, a URL path) and labels at
 * the head of the piece (the title, the byline, a paragraph that is only a
 * label). Never a sentence of the body: "Although Hitler was born in
 * Braunau ..." says nothing about the piece.
 */
static json_t *opinion_json(json_t *rec, const char *t, size_t len, struct affil_work *a,
			    const struct lex *cues)
{
	static const char *const none[] = { NULL };
	static const char *const fields[] = { "kicker", "section", "genre", NULL };
	const char *const *labels = a->opinion_labels ? a->opinion_labels : none;
	const char *url = rec_str(rec, "url"), *title = rec_str(rec, "title");
	const char *byline = rec_str(rec, "byline"), *marker = NULL;
	char *own = NULL;
	json_t *o = json_object();
	size_t i, k;

	if (url && (own = opinion_path(cues, &a->pm, url)))
		marker = own;
	/* "Opinion", "Columnists", "OpinionNewsArticle", "Opinion - Editorials" */
	for (i = 0; fields[i] && !marker; i++) {
		const char *f = rec_str(rec, fields[i]);

		for (k = 0; f && labels[k] && !marker; k++) {
			size_t l = strlen(labels[k]);

			if (!strncasecmp(f, labels[k], l) && (!isalpha((unsigned char)f[l]) ||
							     isupper((unsigned char)f[l]) || f[l] == 's'))
				marker = labels[k];
		}
	}
	/* "Opinion: ...", "OP-ED | ..." before the headline's first words. */
	for (k = 0; title && labels[k] && !marker; k++) {
		size_t l = strlen(labels[k]);

		if (!strncasecmp(title, labels[k], l) && (title[l] == ':' || title[l] == ' ' || title[l] == '|') &&
		    (title[l] != ' ' || isupper((unsigned char)labels[k][0]) || strchr(":|", title[l + 1]) ||
		     !strncmp(title + l, " |", 2)))
			marker = labels[k];
	}
	if (!marker && byline)
		marker = label_of(labels, byline);
	/* A paragraph that is only a label ("Opinion", "ANALYSIS"). */
	for (i = 0; i < a->doc->npara && i < 4 && !marker; i++) {
		size_t s = a->doc->para[i].start, e = a->doc->para[i].end;

		for (k = 0; labels[k]; k++)
			if (e - s <= strlen(labels[k]) + 1 && word_at(t, len, s, labels[k])) {
				own = xstrndup(t + s, e - s);
				marker = own;
				break;
			}
	}
	json_object_set_new(o, "is_opinion", json_boolean(marker != NULL));
	json_object_set_new(o, "marker", marker ? json_string(marker) : json_null());
	free(own);
	return o;
}

/* ====== The record ====== */

static void lists_init(struct affil_work *a)
{
	list_init(&a->team, team_words, true);
	list_init(&a->before_cited, before_cited, true);
	list_init(&a->after_cited, after_cited, true);
	list_init(&a->gap_breaks, gap_breaks, true);
	list_init(&a->org_cues, org_cues, false);
	list_init(&a->not_acronyms, not_acronyms, false);
}

static void annotate_mention(const struct affil_work *a, json_t *rec, const char *t, size_t len,
			     size_t mi, const char *role, bool have_note, struct span note)
{
	const struct mention *m = &a->men[mi];
	const struct reg_entry *e = m->entry;
	json_t *ann;
	const char *cue;
	size_t cs = 0, ce = 0, j;

	if (!e) {
		json_t *c = json_array();

		ann = rec_annotate(rec, "affil", "ambiguous", m->start, m->end);
		json_object_set_new(ann, "name", json_stringn(t + m->start, m->end - m->start));
		for (j = 0; j < m->ncand; j++)
			json_array_append_new(c, json_string(m->cand[j]->entry->id));
		json_object_set_new(ann, "candidates", c);
		return;
	}
	/*
	 * One annotation per mention: the keys are ASCII and register fields were
	 * checked as UTF-8 when loaded, so jansson need not check them again.
	 */
	ann = rec_annotate(rec, "affil", "outlet", m->start, m->end);
	json_object_set_new_nocheck(ann, "name", json_string_nocheck(e->name));
	json_object_set_new_nocheck(ann, "entry", json_string_nocheck(e->id));
	json_object_set_new_nocheck(ann, "role", json_string_nocheck(role));
	json_object_set_new_nocheck(ann, "kind", json_string_nocheck(e->kind));
	json_object_set_new_nocheck(ann, "ownership", json_string_nocheck(e->ownership));
	json_object_set_new_nocheck(ann, "control",
				    *e->control ? json_string_nocheck(e->control) : json_null());
	json_object_set_new_nocheck(ann, "country",
				    *e->country ? json_string_nocheck(e->country) : json_null());
	json_object_set_new_nocheck(ann, "state_affiliated", json_boolean(reg_state_affiliated(e)));
	if (m->resolved_by)
		json_object_set_new_nocheck(ann, "resolved_by", json_string_nocheck(m->resolved_by));
	if (*e->conflict)
		json_object_set_new_nocheck(ann, "conflict_party", json_string_nocheck(e->conflict));
	cue = disclosure(a, t, len, mi, &cs, &ce);
	json_object_set_new_nocheck(ann, "disclosed", json_boolean(cue != NULL));
	if (cue)
		json_object_set_new(ann, "disclosure", json_stringn(t + cs, ce - cs));
	if (have_note && !strcmp(role, "author_affiliation")) {
		char *person = note_person(t, note, m->start);

		if (person)
			json_object_set_new(ann, "person", json_string(person));
		free(person);
	}
}

/* lib/affil.c's own state, made on first use: the word lists' indexes. */
static struct affil_work *work(struct affil *af)
{
	if (!af->w) {
		af->w = xcalloc(1, sizeof(*af->w));
		lists_init(af->w);
	}
	return af->w;
}

/* Index the terms of one cue category as a list; over LIST_MAX of them is an error. */
static int cue_list(struct affil_work *a, const struct lex *cues, const char *path, const char *cat,
		    const char ***terms, struct list *l)
{
	size_t n, k, m;

	*terms = words_cues(cues, cat);
	for (n = 0; (*terms)[n]; n++)
		;
	/* "regime's" is also written "regime’s": add that spelling after the list. */
	for (k = 0, m = n; k < m; k++) {
		const char *q = strchr((*terms)[k], '\'');
		char *v;

		if (!q)
			continue;
		v = xasprintf("%.*s\xE2\x80\x99%s", (int)(q - (*terms)[k]), (*terms)[k], q + 1);
		a->variants = xrealloc(a->variants, (a->nvariants + 1) * sizeof(*a->variants));
		a->variants[a->nvariants++] = v;
		*terms = xrealloc(*terms, (n + 2) * sizeof(**terms));
		(*terms)[n++] = v;
		(*terms)[n] = NULL;
	}
	for (n = 0; (*terms)[n]; n++)
		if (strlen((*terms)[n]) > 255)
			return error("%s: '%s' cue '%.40s...' is longer than 255 bytes", path, cat,
				     (*terms)[n]);
	if (n >= LIST_MAX)
		return error("%s: %zu '%s' cues: at most %d", path, n, cat, LIST_MAX - 1);
	list_init(l, *terms, true);
	return 0;
}

int affil_load_cues(struct affil *af, const char *path)
{
	static const char *const cats[] = { "opinion_label", "opinion_path", "filed_under", "trailer",
					    "photo_credit", "disclose", "self_name", "generic_title", "common_title",
					    "newspaper_cue", "country", "not_outlet_after", "source_noun",
					    "origin", NULL };
	static const char *const regex_cats[] = { "opinion_path", NULL };
	struct affil_work *a = work(af);
	size_t i, k;
	int bad = 0;

	if (words_load_cues(&af->cues, path, cats, regex_cats) < 0 || lex_compile(&af->cues) < 0)
		return -1;
	a->opinion_labels = words_cues(&af->cues, "opinion_label");
	a->filed_under = words_cues(&af->cues, "filed_under");
	a->trailer_cues = words_cues(&af->cues, "trailer");
	a->photo_cues = words_cues(&af->cues, "photo_credit");
	if (cue_list(a, &af->cues, path, "disclose", &a->disclose_cues, &a->disclose) < 0 ||
	    cue_list(a, &af->cues, path, "self_name", &a->self_cues, &a->self) < 0 ||
	    cue_list(a, &af->cues, path, "generic_title", &a->generic_cues, &a->generic) < 0 ||
	    cue_list(a, &af->cues, path, "common_title", &a->common_cues, &a->common) < 0 ||
	    cue_list(a, &af->cues, path, "newspaper_cue", &a->paper_cues, &a->paper) < 0 ||
	    cue_list(a, &af->cues, path, "country", &a->country_cues, &a->country) < 0 ||
	    cue_list(a, &af->cues, path, "not_outlet_after", &a->not_after_cues, &a->not_after) < 0 ||
	    cue_list(a, &af->cues, path, "source_noun", &a->noun_cues, &a->source_nouns) < 0 ||
	    cue_list(a, &af->cues, path, "origin", &a->origin_cues, &a->origin) < 0)
		return -1;
	/* A country cue's ISO code is its alternative column. */
	for (k = 0; a->country_cues[k]; k++)
		;
	a->country_codes = xcalloc(k + 1, sizeof(*a->country_codes));
	for (i = 0; i < af->cues.n; i++) {
		const struct lex_entry *e = af->cues.entries[i];
		const char *c = e->alternative;

		if (strcmp(e->category->name, "country"))
			continue;
		if (!c || strlen(c) != 2 || !isupper((unsigned char)c[0]) || !isupper((unsigned char)c[1])) {
			bad = error_at(e->file, e->line, "country cue '%s': the alternative column must "
				       "be its ISO 3166-1 alpha-2 code", e->term);
			continue;
		}
		for (k = 0; a->country_cues[k]; k++)
			if (a->country_cues[k] == e->term)
				a->country_codes[k] = c;
	}
	return bad ? -1 : 0;
}

static void publisher_release(struct publisher *p)
{
	free(p->evidence);
	free(p->trailer_evidence);
}

int affil_record(struct affil *af, struct doc *d, json_t *rec, char *why, size_t whylen)
{
	struct affil_work *a = work(af);
	size_t len, i, omi;
	const char *text = rec_text(rec, &len);
	struct publisher pub, origin;
	struct span trailer, note = { 0, 0 };
	bool have_note, resolved = false;

	a->reg = &af->reg;
	a->doc = d;
	if (doc_read(d, rec, why, whylen) < 0)
		return -1;
	if (reg_match(a->reg, text, len, &a->m) < 0) {
		snprintf(why, whylen, "register match failed");
		return -1;
	}
	collect_mentions(a, text, len);
	find_publisher(a, rec, text, len, &pub, &trailer);
	resolve(a, text, len, pub.entry);
	for (i = 0; i < a->nmen; i++)
		resolved |= a->men[i].resolved_by != NULL;
	if (resolved || (!pub.entry && !pub.name)) {
		/* A trailer name resolved by the others ("The Times" of The New York Times). */
		publisher_release(&pub);
		find_publisher(a, rec, text, len, &pub, &trailer);
	}
	find_origin(a, text, &pub, &origin, &omi);
	have_note = find_note(a, text, &note);
	json_object_set_new(rec, "publisher", publisher_json(&pub));
	json_object_set_new(rec, "origin", origin.entry ? publisher_json(&origin) : json_null());
	json_object_set_new(rec, "byline_kind", json_string(byline_kind(rec, text, a)));
	json_object_set_new(rec, "opinion", opinion_json(rec, text, len, a, &af->cues));
	for (i = 0; i < a->nmen; i++) {
		const struct mention *m = &a->men[i];
		const char *role = role_of(a, text, len, m, &pub, trailer, have_note, note);

		/* The credit that gave the origin, or the origin named in the publisher's trailer. */
		if (i == omi || (origin.entry && m->entry == origin.entry && m->start >= trailer.start &&
				 m->end <= trailer.end))
			role = "origin";
		annotate_mention(a, rec, text, len, i, role, have_note, note);
	}
	find_unknowns(a, rec, text, len);
	publisher_release(&pub);
	publisher_release(&origin);
	return 0;
}

void affil_release(struct affil *af)
{
	struct affil_work *a = af->w;
	size_t i;

	if (a) {
		reg_matches_release(&a->m);
		lex_matches_release(&a->pm);
		free(a->men);
		free(a->opinion_labels);
		free(a->filed_under);
		free(a->trailer_cues);
		free(a->photo_cues);
		free(a->disclose_cues);
		free(a->self_cues);
		free(a->generic_cues);
		free(a->common_cues);
		free(a->paper_cues);
		free(a->country_cues);
		free(a->not_after_cues);
		free(a->noun_cues);
		free(a->origin_cues);
		free(a->country_codes);
		for (i = 0; i < a->nvariants; i++)
			free(a->variants[i]);
		free(a->variants);
		free(a);
		af->w = NULL;
	}
	reg_release(&af->reg);
	lex_release(&af->cues);
}
