/*
 * attrib.c -- attribution: cues, sources, carried attribution, quotation
 * speakers and hedges (docs/attrib.md).
 *
 * A sentence is cut into words once (lex_next_word, so the lexicons and this
 * code agree on what a word is), with what lies between two words kept as a
 * few flags: comma, stop, quotation mark, dash. The source of a cue is then
 * a noun phrase found by walking the words around it:
 *   "the minister said"             subject before the verb
 *   "..., said the minister"        after the verb, behind a comma or quote
 *   "X, founder of Y, stated"       the subject of the clause, before an apposition
 *   "It was X who ... indicated"    the antecedent of "who"
 *   "according to X"                after an 'according' phrase
 *   "was announced by X"            after "by" in a passive
 * and classified as named, vague, anonymous or a pronoun by the weasel
 * lexicon and capitalisation. Everything is bounded by a few dozen words
 * around each cue, so a 100 KB sentence costs linear time.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slant/attrib.h"
#include "slant/doc.h"
#include "slant/rec.h"
#include "slant/text.h"
#include "slant/usage.h"
#include "slant/words.h"

#define NP_MAX 14          /* longest source phrase, in words */
#define CLAUSE_MAX 60      /* how far back the subject of an apposition may be */
#define CUES_MAX 32        /* cue candidates examined per sentence */
#define RELATIVE_MAX 8     /* words of a relative clause between a subject and its verb */
#define CARRY_BACK 3       /* sentences a pronoun may look back for its antecedent */
#define SPEAKER_CLAUSE_MAX 6 /* words of a reporting clause that is a sentence of its own ("Schiff asked.") */
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* ====== Words and the gaps between them ====== */

enum gap_flags {
	G_COMMA = 1 << 0,
	G_STOP = 1 << 1,   /* ; ! ? */
	G_COLON = 1 << 2,
	G_QUOTE = 1 << 3,
	G_DASH = 1 << 4,
	G_PAREN = 1 << 5,
};
#define G_BREAK (G_COMMA | G_STOP | G_COLON | G_QUOTE | G_DASH)

struct tok {
	size_t s, e;
	unsigned gap;      /* what lies between the previous word and this one */
	bool cap;          /* starts with a capital letter */
	bool upper;        /* two or more ASCII letters, all capitals */
	bool acronym;      /* upper among words that are not: "WHO", "US" (in no closed class) */
	bool quoted;       /* inside a quotation */
	unsigned char wn;  /* strlen(w) */
	uint32_t h;        /* fw_hash() of w */
	char w[24];        /* folded word, "" when longer */
};

struct toks {
	struct tok *v;
	size_t n, cap;
	unsigned tail_gap; /* after the last word */
	unsigned lexmask;  /* lexicons one of the words may start an entry of (struct first_words) */
};

/* ====== First words of the lexicons' entries ====== */

/*
 * Most sentences hold no words that start an entry of a given lexicon, and
 * then lex_match() finds nothing there: its call, which cuts the sentence
 * into words again, is skipped. The test is exact, never a guess: lex_match()
 * matches an entry only at words whose folded forms equal the entry's words
 * (here up to the first three), and tokenize() cuts the words by the same
 * rules. A lexicon with a regex entry, or a prefix as its first word, is
 * always matched. Built once by attrib_load(), read-only after.
 */
enum { LEX_VERBS = 1, LEX_WEASEL = 2, LEX_HEDGES = 4, LEX_ALL = 7 };

#define FW_WORD 24           /* as struct tok's w */
#define FW_KEY_WORDS 3

struct fw_slot {
	uint32_t h;          /* fw_hash() of the key */
	uint32_t off;        /* key in 'keys': one to three folded words joined by ' ' */
	unsigned char len;   /* 0: empty slot */
	unsigned char mask;  /* LEX_* with an entry this key can start */
	unsigned char pmask; /* LEX_* with an entry of more words starting so */
};

struct first_words {
	struct fw_slot *v;
	size_t cap;          /* a power of two, kept small to stay in cache */
	char *keys;
	size_t nkeys, capkeys;
	unsigned always;     /* LEX_* matched whatever the words */
};

/* FNV-1a; tokenize() computes it inline as it folds a word. */
#define FW_HASH_INIT 2166136261u

static uint32_t fw_hash(const char *k, size_t n)
{
	uint32_t h = FW_HASH_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 16777619u;
	return h;
}

static bool fw_same(const struct first_words *f, const struct fw_slot *sl, uint32_t h,
		    const char *k, size_t n)
{
	const char *p = f->keys + sl->off;
	size_t i;

	if (sl->h != h || sl->len != n)
		return false;
	for (i = 0; i < n; i++)
		if (p[i] != k[i])
			return false;
	return true;
}

/* The slot of key k[0, n) whose fw_hash() is 'h', or NULL. */
static const struct fw_slot *fw_lookup(const struct first_words *f, const char *k, size_t n,
				       uint32_t h)
{
	size_t i = h & (f->cap - 1);

	for (; f->v[i].len; i = (i + 1) & (f->cap - 1))
		if (fw_same(f, &f->v[i], h, k, n))
			return &f->v[i];
	return NULL;
}

/* The slot of key k[0, n), added if new (fw_build() leaves room for every key). */
static struct fw_slot *fw_insert(struct first_words *f, const char *k, size_t n)
{
	uint32_t h = fw_hash(k, n);
	size_t i = h & (f->cap - 1);

	for (; f->v[i].len; i = (i + 1) & (f->cap - 1))
		if (fw_same(f, &f->v[i], h, k, n))
			return &f->v[i];
	xgrow(&f->keys, &f->capkeys, f->nkeys + n, 1);
	memcpy(f->keys + f->nkeys, k, n);
	f->v[i].h = h;
	f->v[i].off = (uint32_t)f->nkeys;
	f->v[i].len = (unsigned char)n;
	f->nkeys += n;
	return &f->v[i];
}

/*
 * Word 'nth' (from 0) of 'term', cut and folded as lex.c's term_words() does,
 * into 'out' (FW_WORD bytes). Returns its folded length, FW_WORD when longer
 * than fits, 0 when the term has no such word; *prefix tells a '*' after it.
 */
static size_t fw_term_word(const char *term, int nth, char *out, bool *prefix)
{
	size_t len = strlen(term), pos = 0, ws = 0, we = 0, n;
	char *buf;
	int i;

	for (i = 0; i <= nth; i++)
		if (!lex_next_word(term, len, &pos, &ws, &we))
			return 0;
	*prefix = pos < len && term[pos] == '*';
	buf = xmalloc(we - ws);
	n = lex_fold(term + ws, we - ws, buf);
	if (n < FW_WORD)
		memcpy(out, buf, n);
	else
		n = FW_WORD;
	free(buf);
	return n;
}

/*
 * The entries of 'lex' into 'f' under 'bit': keys of their first one, two
 * and three words, the last 'mask'ed, those before it 'pmask'ed.
 */
static void fw_add_lex(struct first_words *f, const struct lex *lex, unsigned bit)
{
	size_t i;

	for (i = 0; i < lex->n; i++) {
		const struct lex_entry *e = lex->entries[i];
		char k[FW_KEY_WORDS * FW_WORD];
		size_t kl = 0, at, l;
		bool prefix = false;
		int j;

		if (e->kind == LEX_REGEX) {
			f->always |= bit;
			continue;
		}
		for (j = 0; j < FW_KEY_WORDS; j++) {
			at = j ? kl + 1 : 0;
			l = fw_term_word(e->term, j, k + at, &prefix);
			if (!l || prefix) {
				/* No more words, or a prefix ("said offic*"): the words before tell. */
				if (j)
					fw_insert(f, k, kl)->mask |= (unsigned char)bit;
				else
					f->always |= bit;
				break;
			}
			/*
			 * Folding never lengthens: a word this long is matched only
			 * by a word tokenize() gives every bit.
			 */
			if (l == FW_WORD)
				break;
			if (j) {
				fw_insert(f, k, kl)->pmask |= (unsigned char)bit;
				k[kl] = ' ';
			}
			kl = at + l;
		}
		if (j == FW_KEY_WORDS)
			fw_insert(f, k, kl)->mask |= (unsigned char)bit;
	}
}

static struct first_words *fw_build(const struct attrib *a)
{
	struct first_words *f = xcalloc(1, sizeof(*f));
	size_t n = a->verbs.n + a->weasel.n + a->hedges.n;

	/* At most FW_KEY_WORDS keys an entry: a quarter of the slots stays free. */
	for (f->cap = 16; f->cap < (FW_KEY_WORDS + 1) * n; f->cap *= 2)
		;
	f->v = xcalloc(f->cap, sizeof(*f->v));
	fw_add_lex(f, &a->verbs, LEX_VERBS);
	fw_add_lex(f, &a->weasel, LEX_WEASEL);
	fw_add_lex(f, &a->hedges, LEX_HEDGES);
	return f;
}

static unsigned gap_flags(const char *t, size_t s, size_t e)
{
	unsigned f = 0;
	size_t i;

	for (i = s; i < e; i++) {
		unsigned char c = (unsigned char)t[i];

		if (c == ' ')
			continue;
		if (c == ',')
			f |= G_COMMA;
		else if (c == ';' || c == '!' || c == '?')
			f |= G_STOP;
		else if (c == ':')
			f |= G_COLON;
		else if (c == '"')
			f |= G_QUOTE;
		else if (c == '(' || c == ')')
			f |= G_PAREN;
		else if (c == '-' && i > s && i + 1 < e && t[i - 1] == ' ' && t[i + 1] == ' ')
			f |= G_DASH;
		else if (c == 0xE2 && i + 2 < e && (unsigned char)t[i + 1] == 0x80) {
			unsigned char d = (unsigned char)t[i + 2];

			if (d == 0x9C || d == 0x9D || d == 0x98 || d == 0x99 || d == 0x9E)
				f |= G_QUOTE;  /* “ ” ‘ ’ „ */
			else if (d == 0x93 || d == 0x94)
				f |= G_DASH;   /* – — */
			else if (d == 0xA6)
				f |= G_STOP;   /* … */
		} else if (c == 0xC2 && i + 1 < e &&
			   ((unsigned char)t[i + 1] == 0xAB || (unsigned char)t[i + 1] == 0xBB))
			f |= G_QUOTE;          /* « » */
	}
	return f;
}

static bool in_spans(const struct attrib_span *q, size_t nq, size_t s, size_t e)
{
	size_t i;

	for (i = 0; i < nq && q[i].start < e; i++)
		if (s >= q[i].start && e <= q[i].end)
			return true;
	return false;
}

/* [A-Za-z0-9], as lex.c's ascii_word(). */
static bool ascii_word(unsigned char c)
{
	return (unsigned)((c | 0x20) - 'a') < 26 || (unsigned)(c - '0') < 10;
}

/* Folded words v[0, n) joined by ' ' into 'key'; returns its length. */
static size_t fw_key(char *key, const struct tok *v, size_t n)
{
	size_t i, l = 0;

	for (i = 0; i < n; i++) {
		if (i)
			key[l++] = ' ';
		memcpy(key + l, v[i].w, v[i].wn);
		l += v[i].wn;
	}
	return l;
}

/*
 * The last word of 'tk' for the lexicon filter: adds the lexicons an entry
 * of which may start with it, or with it as the second or third word after
 * the words before. 'pm' holds the pmask of the last word and of the last
 * two (fw_slot) and is moved on.
 */
static void fw_see(const struct first_words *f, struct toks *tk, unsigned pm[2])
{
	const struct tok *k = &tk->v[tk->n - 1];
	const struct fw_slot *sl;
	char key[FW_KEY_WORDS * FW_WORD];
	size_t l;
	unsigned p1 = 0, p2 = 0;

	if (pm[1] & ~tk->lexmask) {
		l = fw_key(key, k - 2, 3);
		if ((sl = fw_lookup(f, key, l, fw_hash(key, l))))
			tk->lexmask |= sl->mask;
	}
	/* A pair's pmask is in its first word's: nothing to add when that has nothing. */
	if (pm[0] & ~tk->lexmask) {
		l = fw_key(key, k - 1, 2);
		if ((sl = fw_lookup(f, key, l, fw_hash(key, l)))) {
			tk->lexmask |= sl->mask;
			p2 = sl->pmask;
		}
	}
	if ((sl = fw_lookup(f, k->w, k->wn, k->h))) {
		tk->lexmask |= sl->mask;
		p1 = sl->pmask;
	}
	pm[0] = p1;
	pm[1] = p2;
}

/*
 * Cut text[start, end) into words with the rules of lex_next_word(). Plain
 * ASCII words take a fast path, as in lex.c's tokenise(); anything else goes
 * through lex_next_word() itself, so the words are the ones lex_match() sees.
 */
static void tokenize(struct toks *tk, const char *text, size_t start, size_t end,
		     const struct attrib_span *q, size_t nq, const struct first_words *f)
{
	size_t pos = 0, ws, we, prev = 0, qi = 0;
	const char *t = text + start;
	const unsigned char *u = (const unsigned char *)t;
	size_t len = end - start;
	unsigned pm[2] = { 0, 0 };

	tk->n = 0;
	tk->lexmask = f ? f->always : LEX_ALL;
	while (pos < len) {
		struct tok *k;
		bool ascii = false;

		/* Bytes lex_next_word() would skip too: ASCII that is neither a word nor an apostrophe. */
		while (pos < len && u[pos] < 0x80 && !ascii_word(u[pos]) && u[pos] != '\'')
			pos++;
		if (pos >= len)
			break;
		if (tk->n == tk->cap)
			xgrow(&tk->v, &tk->cap, tk->n + 1, sizeof(*tk->v));
		k = &tk->v[tk->n];
		if (ascii_word(u[pos])) {
			uint32_t h = FW_HASH_INIT;

			/* Folded and hashed as it is read: 0x20 lowers a letter and keeps a digit. */
			ws = pos;
			do {
				unsigned char c = u[pos] | 0x20;

				if (pos - ws < sizeof(k->w))
					k->w[pos - ws] = (char)c;
				h = (h ^ c) * 16777619u;
			} while (++pos < len && ascii_word(u[pos]));
			if (pos < len && (u[pos] >= 0x80 || u[pos] == '\'')) {
				pos = ws;
				lex_next_word(t, len, &pos, &ws, &we);
			} else {
				we = pos;
				ascii = true;
				k->h = h;
			}
		} else if (!lex_next_word(t, len, &pos, &ws, &we)) {
			break;
		}
		tk->n++;
		k->s = start + ws;
		k->e = start + we;
		k->gap = gap_flags(t, prev, ws);
		k->cap = ascii ? u[ws] >= 'A' && u[ws] <= 'Z' : text_word_capitalised(t, ws, we);
		k->upper = ascii && we - ws >= 2;
		for (size_t b = ws; k->upper && b < we; b++)
			k->upper = u[b] >= 'A' && u[b] <= 'Z';
		while (qi < nq && q[qi].end <= k->s)
			qi++;
		/* Quotes are sorted and do not overlap much: check the next few. */
		k->quoted = in_spans(q + qi, nq - qi, k->s, k->e);
		if (we - ws < sizeof(k->w)) {
			size_t n = we - ws;

			if (!ascii) {
				n = lex_fold(t + ws, we - ws, k->w);
				k->h = fw_hash(k->w, n);
			}
			k->w[n] = '\0';
			k->wn = (unsigned char)n;
			if (tk->lexmask != LEX_ALL)
				fw_see(f, tk, pm);
		} else {
			k->w[0] = '\0';
			k->wn = 0;
			k->h = FW_HASH_INIT;
			tk->lexmask = LEX_ALL;
		}
		prev = we;
	}
	tk->tail_gap = gap_flags(t, prev, len);
	/* An all-capital word in a line that is not all capitals is an acronym. */
	for (pos = 0; pos < tk->n; pos++)
		tk->v[pos].acronym = tk->v[pos].upper && !(pos > 0 && tk->v[pos - 1].upper) &&
				     !(pos + 1 < tk->n && tk->v[pos + 1].upper);
}

/* ====== Small closed word classes (grammar: slant/words.h; vocabulary is in lexicons/) ====== */

/* Whether token 'k' (its folded word) is in 'set'. */
/* Whether word 'k' is in the closed class 'set'; an acronym is in none ("WHO" is no "who"). */
static bool in_set(const struct tok *k, const struct words *set)
{
	return !k->acronym && words_has(set, k->w, k->wn);
}

/*
 * Whether word 'i' acts as a function word: lower-case, or capitalised only
 * because it opens the sentence or follows a quotation ("Today" inside a
 * sentence is a name, "Russia Today").
 */
static bool fw(const struct tok *v, size_t i)
{
	return !v[i].cap || i == 0 || (v[i].gap & (G_QUOTE | G_COLON | G_STOP));
}

static bool is_ly(const struct tok *v, size_t i)
{
	const struct tok *k = &v[i];
	size_t n = strlen(k->w);

	return fw(v, i) && n > 4 && !strcmp(k->w + n - 2, "ly") && strcmp(k->w, "only") &&
	       strcmp(k->w, "early") && strcmp(k->w, "italy");
}

static bool word_is(const struct tok *k, const char *w)
{
	return !strcmp(k->w, w);
}

/* ====== Sources ====== */

struct sent_ctx {
	const struct attrib *a;
	const char *text;
	struct toks *tk;
	struct lex_matches *wm;   /* weasel matches in the sentence */
};

/* Whether a weasel match of 'cat' covers part of [s, e). */
static const struct lex_match *weasel_in(const struct sent_ctx *c, size_t s, size_t e,
					 const char *cat)
{
	size_t i;

	for (i = 0; i < c->wm->n; i++) {
		const struct lex_match *m = &c->wm->v[i];

		if (m->start < e && m->end > s && !strcmp(m->entry->category->name, cat))
			return m;
	}
	return NULL;
}

/*
 * Whether words [a, b) hold a proper name: a capitalised word that is not
 * the sentence's first word standing for a common noun, and not a modifier
 * ("Russian media", "Kremlin officials": a capitalised run followed by a
 * lower-case noun of the same phrase).
 */
static bool has_name(const struct sent_ctx *c, size_t a, size_t b)
{
	const struct tok *v = c->tk->v;
	size_t k = a;

	while (k < b) {
		size_t r;

		if (!v[k].cap || v[k].quoted || (fw(v, k) && (in_set(&v[k], &words_determiners) ||
					       in_set(&v[k], &words_subject_pronouns) ||
					       in_set(&v[k], &words_non_sources)))) {
			k++;
			continue;
		}
		for (r = k; r + 1 < b && v[r + 1].cap; r++)
			;
		if (k == 0 && r == 0) {
			/* The first word of a sentence is capitalised anyway. */
			if (in_set(&v[0], &words_determiners) || in_set(&v[0], &words_subject_pronouns) ||
			    in_set(&v[0], &words_non_sources) || in_set(&v[0], &words_connectives) ||
			    weasel_in(c, v[0].s, v[0].e, "vague") ||
			    weasel_in(c, v[0].s, v[0].e, "weasel")) {
				k++;
				continue;
			}
		}
		if (r + 1 < b && !v[r + 1].cap && !in_set(&v[r + 1], &words_name_glue) &&
		    !(v[r + 1].gap & (G_BREAK | G_PAREN))) {
			k = r + 1; /* a modifier */
			continue;
		}
		return true;
	}
	return false;
}

/* Whether words [a, b) outside quotations hold a capitalised word that is not a function word. */
static bool has_capital(const struct sent_ctx *c, size_t a, size_t b)
{
	const struct tok *v = c->tk->v;
	size_t k;

	for (k = a; k < b; k++)
		if (v[k].cap && !v[k].quoted && !fw(v, k))
			return true;
	return false;
}

static enum attrib_kind classify(const struct sent_ctx *c, size_t a, size_t b)
{
	const struct tok *v = c->tk->v;
	size_t s = v[a].s, e = v[b - 1].e, k;

	if (weasel_in(c, s, e, "anonymous"))
		return ATTRIB_ANONYMOUS;
	if (has_name(c, a, b))
		return ATTRIB_NAMED;
	for (k = a; k < b; k++)
		if (in_set(&v[k], &words_office_nouns))
			return ATTRIB_NAMED; /* "a company spokesperson", "police" */
	/* A document named by its maker: "A new ABC News poll" (not a sentence's first capital). */
	if (in_set(&v[b - 1], &words_document_nouns) && has_capital(c, a ? a : 1, b))
		return ATTRIB_NAMED;
	if (weasel_in(c, s, e, "vague") || weasel_in(c, s, e, "weasel"))
		return ATTRIB_VAGUE;
	if (b - a == 1 && in_set(&v[a], &words_subject_pronouns))
		return ATTRIB_PRONOUN;
	if (b - a == 1 && in_set(&v[a], &words_non_sources))
		return ATTRIB_NOTHING;
	if (in_set(&v[a], &words_definite) || (b - a > 1 && word_is(&v[a + 1], "'s")))
		return ATTRIB_NAMED;
	return ATTRIB_VAGUE;
}

/* The subject phrase ending at word 'j', walking back; returns its first word or j + 1 if none. */
static size_t collect_back(const struct sent_ctx *c, size_t j, size_t floor)
{
	const struct tok *v = c->tk->v;
	size_t k = j + 1;

	while (k > floor && j + 1 - (k - 1) <= NP_MAX) {
		const struct tok *t = &v[k - 1];

		if (t->quoted || !t->w[0])
			break;
		/* Half of a compound ("so-called", "self-declared") is no stop word. */
		if (k <= j && v[k].s == t->e + 1 && c->text[t->e] == '-') {
			k--;
			continue;
		}
		if (fw(v, k - 1) && in_set(t, &words_back_stops) &&
		    !(word_is(t, "as") && k - 1 > 0 && word_is(&v[k - 2], "such")))
			break;
		if ((word_is(t, "and") || word_is(t, "or")) &&
		    !(k - 1 > 0 && v[k - 2].cap && k <= j && v[k].cap))
			break;
		k--;
		if (t->gap & G_BREAK)
			break;
	}
	/* Drop openers that are not part of the phrase ("And the minister"). */
	while (k <= j && in_set(&v[k], &words_connectives) && fw(v, k))
		k++;
	return k;
}

/* The phrase starting at word 'j', walking on; returns one past its last word. */
static size_t collect_fwd(const struct sent_ctx *c, size_t j)
{
	const struct tok *v = c->tk->v;
	size_t n = c->tk->n, k = j;

	while (k < n && k - j < NP_MAX) {
		const struct tok *t = &v[k];

		if (k > j && (t->gap & G_BREAK))
			break;
		if (t->quoted)
			break;
		if (k > j && fw(v, k) && in_set(t, &words_fwd_stops) &&
		    !(word_is(t, "as") && word_is(&v[k - 1], "such")))
			break;
		k++;
	}
	while (k > j && !v[k - 1].cap && in_set(&v[k - 1], &words_name_glue))
		k--;
	return k;
}

/*
 * Whether source words [a, b) have no head that could name anyone (issue 15,
 * class 5): only determiners and connectives ("The", "While"), or one
 * day, month, number or adverb ("October", "000", "twice", "recently"). Such a fragment is
 * no source; the sentence is then judged without this cue.
 */
static bool headless(const struct sent_ctx *c, size_t a, size_t b)
{
	const struct tok *v = c->tk->v;
	size_t k;

	if (b == a + 1 && (in_set(&v[a], &words_dates) || is_ly(v, a) || word_is(&v[a], "twice") ||
			   word_is(&v[a], "once") || (v[a].w[0] >= '0' && v[a].w[0] <= '9')))
		return true; /* also a number: "400,000 state residents" */
	for (k = a; k < b; k++)
		if (!in_set(&v[k], &words_determiners) && !in_set(&v[k], &words_connectives) &&
		    !word_is(&v[k], "while") && !word_is(&v[k], "when"))
			return false;
	return true;
}

/* Whether the word could open a source phrase after an inverted verb ("said the minister"). */
static bool opens_phrase(const struct tok *t)
{
	return t->cap || in_set(t, &words_determiners) || in_set(t, &words_subject_pronouns);
}

/*
 * The subject opening a clause at word 'p' (not past 'q'): a run of
 * capitalised words, determiners and name glue ("The Arizona Republican",
 * "Wilson"). Returns one past its last word, or p if none.
 */
static size_t clause_subject(const struct sent_ctx *c, size_t p, size_t q)
{
	const struct tok *v = c->tk->v;
	size_t k = p;

	while (k < q && k - p < NP_MAX && !v[k].quoted && !(k > p && (v[k].gap & G_BREAK)) &&
	       (v[k].cap || in_set(&v[k], &words_determiners) || in_set(&v[k], &words_name_glue)) &&
	       !(fw(v, k) && in_set(&v[k], &words_connectives) && !in_set(&v[k], &words_determiners)))
		k++;
	while (k > p && !v[k - 1].cap && (in_set(&v[k - 1], &words_name_glue) ||
					  in_set(&v[k - 1], &words_determiners)))
		k--;
	return k;
}

/* The start of the clause holding word 'i': back to a stop, colon, quotation or "that". */
static size_t clause_start(const struct sent_ctx *c, size_t i)
{
	const struct tok *v = c->tk->v;
	size_t k = i + 1;

	while (k > 0 && i + 1 - k < CLAUSE_MAX) {
		if (v[k - 1].quoted || word_is(&v[k - 1], "that") ||
		    (v[k].gap & (G_STOP | G_COLON | G_QUOTE)))
			break;
		k--;
	}
	return k;
}

/*
 * The subject of the clause a verb ends, when a comma stands right before
 * the verb: "Andrei Manoylo, founder of ..., stated". Returns 1 with [*a, *b).
 */
static int apposition_subject(const struct sent_ctx *c, size_t i, size_t *a, size_t *b)
{
	const struct tok *v = c->tk->v;
	size_t k = clause_start(c, i), p;

	/* Segments of [k, i] between commas: the first that is not an adverbial opener. */
	for (p = k; p <= i;) {
		size_t q = p + 1;

		while (q <= i && !(v[q].gap & (G_COMMA | G_DASH | G_PAREN)))
			q++;
		if (!in_set(&v[p], &words_connectives) || !fw(v, p)) {
			size_t last = q - 1, e;

			/* "It was Revenko who, ..., indicated": the antecedent of "who". */
			if (word_is(&v[last], "who") && last > p) {
				e = collect_back(c, last - 1, p);
				if (e < last) {
					*a = e;
					*b = last;
					return 1;
				}
			}
			/* Else the subject opens the clause: "Andrei Manoylo, founder of ..., stated". */
			e = clause_subject(c, p, q);
			/*
			 * "An official, speaking on condition of anonymity, said": a
			 * determiner and a common noun, the whole segment before an
			 * apposition (not the segment the verb ends).
			 */
			if (q <= i && q - p <= NP_MAX && in_set(&v[p], &words_determiners) &&
			    (e == p || (e == p + 1 && fw(v, p))))
				e = q;
			/* "Carlineo's attorney, Sonya Zoghlin, said": a possessive and its noun. */
			if (q <= i && e > p && e + 2 == q && word_is(&v[e], "'s"))
				e = q;
			if (e > p) {
				*a = p;
				*b = e;
				return 1;
			}
		}
		p = q;
	}
	return 0;
}

/*
 * The inverted subject after the verb ending at word 'cl' ("said the
 * minister", "says veteran analyst Ken Doctor"): a phrase that opens like a
 * source, or one that runs to the sentence's end and holds a name. Returns
 * one past its last word, or 0. 'to_end' asks for a phrase to the end only.
 */
static size_t inverted_subject(const struct sent_ctx *c, size_t cl, bool to_end)
{
	const struct tok *v = c->tk->v;
	size_t n = c->tk->n, e;

	if (cl + 1 >= n || (v[cl + 1].gap & G_BREAK) || v[cl + 1].quoted ||
	    in_set(&v[cl + 1], &words_non_sources))
		return 0;
	e = collect_fwd(c, cl + 1);
	if (e <= cl + 1 || (to_end && e != n))
		return 0;
	/* "said he regretted it": a pronoun opens the reported clause; only "..., said he." inverts. */
	if (in_set(&v[cl + 1], &words_subject_pronouns) && e > cl + 2)
		return 0;
	if (opens_phrase(&v[cl + 1]) || (e == n && has_name(c, cl + 1, e)))
		return e;
	return 0;
}

/*
 * The source of the cue at words [cf, cl] of category 'cat'. Returns 1 with
 * the phrase [*a, *b), or 0.
 */
static int cue_source(const struct sent_ctx *c, size_t cf, size_t cl, const char *cat,
		      size_t *a, size_t *b)
{
	const struct tok *v = c->tk->v;
	size_t n = c->tk->n, i, w;
	const char *cw = v[cl].w;
	size_t cwl = strlen(cw);

	if (!strcmp(cat, "according")) {
		if (cl + 1 >= n || (v[cl + 1].gap & (G_STOP | G_COLON)))
			return 0;
		*a = cl + 1;
		*b = collect_fwd(c, cl + 1);
		return *b > *a;
	}
	if (cf == 0)
		goto inverted;
	/* Walk back over adverbs and auxiliaries: "has also said". */
	i = cf - 1;
	while (!(v[i + 1].gap & (G_BREAK | G_PAREN)) && !v[i].quoted) {
		if (in_set(&v[i], &words_be_forms)) {
			if (cwl > 3 && !strcmp(cw + cwl - 3, "ing")) {
				/* "is saying": progressive, go on to the subject */
			} else {
				/* A passive: the source, if any, follows "by". */
				if (cl + 2 < n && word_is(&v[cl + 1], "by") &&
				    !(v[cl + 1].gap & G_BREAK)) {
					*a = cl + 2;
					*b = collect_fwd(c, cl + 2);
					return *b > *a;
				}
				return 0;
			}
		} else if (word_is(&v[i], "to")) {
			return 0; /* "declined to comment": no subject here */
		} else if (in_set(&v[i], &words_dates) && i >= 2 &&
			   (word_is(&v[i - 1], "in") || word_is(&v[i - 1], "on") ||
			    word_is(&v[i - 1], "last") || word_is(&v[i - 1], "this"))) {
			i--; /* "Clark in October revealed": past the time phrase */
		} else if (!in_set(&v[i], &words_verb_skip) && !is_ly(v, i)) {
			break;
		}
		if (i == 0)
			goto inverted;
		i--;
	}
	if (v[i + 1].gap & (G_BREAK | G_PAREN) || v[i].quoted) {
		/*
		 * Punctuation before the verb: an apposition ("X, founder of Y,
		 * stated") when the clause opens with a subject, else inverted
		 * ("..., said X"); after a quotation always inverted.
		 */
		bool tail = i + 1 == cf && inverted_subject(c, cl, true);

		/*
		 * "..., says the World Health Organization.": when a phrase runs
		 * from the verb to the sentence's end, the verb is inverted unless
		 * the clause opens with a whole noun phrase set off by a comma
		 * ("Andrei Manoylo, founder of ..., stated the plan failed").
		 */
		if (!(v[i + 1].gap & G_QUOTE) && !v[i].quoted && (v[i + 1].gap & G_COMMA) &&
		    apposition_subject(c, i, a, b) &&
		    (!tail || (v[*b].gap & (G_COMMA | G_DASH | G_PAREN)) || word_is(&v[*b], "who")))
			return 1;
		*a = cl + 1;
		*b = inverted_subject(c, cl, false);
		return *b > *a;
	}
	if (in_set(&v[i], &words_determiners) || in_set(&v[i], &words_noun_context))
		return 0; /* "these same reports", "its promises": a noun */
	if ((word_is(&v[i], "and") || word_is(&v[i], "but")) && i > 0) {
		/*
		 * "Wilson praised Rubio and said ...": the subject of the first
		 * verb, past an opener ("In his announcement, Van Der Beek ...").
		 */
		return apposition_subject(c, i - 1, a, b);
	}
	/* "A spokesperson who did not wish to be named said": the antecedent of "who". */
	for (w = i; w > 0 && i - w < RELATIVE_MAX; w--) {
		if (w < i && (v[w + 1].gap & (G_BREAK | G_PAREN)))
			break;
		if (word_is(&v[w], "who")) {
			i = w;
			break;
		}
	}
	if (word_is(&v[i], "who")) {
		if (i == 0)
			return 0;
		i--;
	}
	*a = collect_back(c, i, 0);
	*b = i + 1;
	return *a <= i;
inverted:
	*a = cl + 1;
	*b = inverted_subject(c, cl, false);
	return *b > *a;
}

/* Word index of the first word starting at or after byte 'off'. */
static size_t word_at(const struct toks *tk, size_t off)
{
	size_t lo = 0, hi = tk->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tk->v[mid].s < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct cand {
	size_t cf, cl, a, b;
	const struct lex_entry *entry;
	bool dead;
};

static int find_in(const struct sent_ctx *c, struct lex_matches *vm, struct attrib_hit *hit)
{
	const struct tok *v = c->tk->v;
	struct cand cands[CUES_MAX];
	size_t nc = 0, i, j;

	for (i = 0; i < vm->n && nc < CUES_MAX; i++) {
		const struct lex_match *m = &vm->v[i];
		size_t cf = word_at(c->tk, m->start), cl, a, b;

		if (cf >= c->tk->n || v[cf].quoted)
			continue;
		cl = word_at(c->tk, m->end);
		if (cl == 0 || cl <= cf)
			continue;
		cl--;
		/* A capital inside a sentence makes a name of it ("United States"). */
		if (cf > 0 && v[cf].cap && !(v[cf].gap & (G_QUOTE | G_COLON)))
			continue;
		/* Part of a compound ("his often-repeated vow", "long-announced"): no verb. */
		if (cf > 0 && v[cf].s == v[cf - 1].e + 1 && c->text[v[cf - 1].e] == '-')
			continue;
		if (!cue_source(c, cf, cl, m->entry->category->name, &a, &b) || headless(c, a, b))
			continue;
		/* "a source close to the Kremlin": the phrase reached back only to "the Kremlin". */
		for (j = 0; j < c->wm->n; j++) {
			const struct lex_match *x = &c->wm->v[j];

			if (a >= 2 && x->end > v[a - 2].s && x->end <= v[a].s && x->start < v[a].s &&
			    !strcmp(x->entry->category->name, "anonymous"))
				a = word_at(c->tk, x->start);
		}
		cands[nc].cf = cf;
		cands[nc].cl = cl;
		cands[nc].a = a;
		cands[nc].b = b;
		cands[nc].entry = m->entry;
		cands[nc].dead = classify(c, a, b) == ATTRIB_NOTHING;
		nc++;
	}
	/*
	 * A cue inside another cue's source is a noun ("the Russian state media
	 * reported"), unless a clause opens right after it: then it is the main
	 * verb and the other cue sits in its reported clause ("She claimed the
	 * label thought ...").
	 */
	for (i = 0; i < nc; i++)
		for (j = 0; j < nc; j++)
			if (i != j && !cands[j].dead && !cands[i].dead && cands[i].cf >= cands[j].a &&
			    cands[i].cl < cands[j].b) {
				const struct tok *nx = &v[cands[i].cl + 1];
				bool verb = cands[i].a <= cands[i].cl && cands[i].b <= cands[i].cf &&
					    (in_set(nx, &words_determiners) ||
					     in_set(nx, &words_subject_pronouns) || word_is(nx, "that"));

				cands[verb ? j : i].dead = true;
			}
	for (i = 0; i < nc; i++) {
		if (cands[i].dead)
			continue;
		hit->kind = classify(c, cands[i].a, cands[i].b);
		/* "In X's meeting with Y, they spoke": the pronoun's antecedent is in the sentence. */
		if (hit->kind == ATTRIB_PRONOUN && has_capital(c, 0, cands[i].a))
			hit->kind = ATTRIB_NAMED;
		hit->cue.start = v[cands[i].cf].s;
		hit->cue.end = v[cands[i].cl].e;
		hit->source.start = v[cands[i].a].s;
		hit->source.end = v[cands[i].b - 1].e;
		if (c->text[hit->source.end] == ')' &&
		    memchr(c->text + hit->source.start, '(', hit->source.end - hit->source.start))
			hit->source.end++;
		hit->entry = cands[i].entry;
		return 1;
	}
	/* "Revenko: “...”": a short phrase with a name, a colon, then a quotation. */
	for (i = 1; i < c->tk->n && i <= 6; i++) {
		/* The colon is the gap before the quotation's first word: look at it first. */
		if (v[i].quoted && !(v[i].gap & G_COLON))
			break;
		if (v[i].gap & G_COLON) {
			/* "Revenko: “...”" or a headline "Trump: Cruz has..." */
			if (has_name(c, 0, i) && (v[i].gap & G_QUOTE || i <= 4)) {
				const char *colon = memchr(c->text + v[i - 1].e, ':',
							   v[i].s - v[i - 1].e);

				hit->kind = classify(c, 0, i);
				hit->cue.start = (size_t)(colon - c->text);
				hit->cue.end = hit->cue.start + 1;
				hit->source.start = v[0].s;
				hit->source.end = v[i - 1].e;
				hit->entry = NULL;
				return 1;
			}
			break;
		}
	}
	return 0;
}

/* ====== One sentence, without the record around it ====== */

struct work {
	struct toks tk;
	struct lex_matches vm, wm, hm;
};

static void work_release(struct work *w)
{
	free(w->tk.v);
	lex_matches_release(&w->vm);
	lex_matches_release(&w->wm);
	lex_matches_release(&w->hm);
}

/*
 * Match a lexicon (LEX_* 'bit') over the sentence last tokenized into 'tk';
 * offsets made absolute.
 */
static int match_abs(const struct lex *lex, unsigned bit, const struct toks *tk,
		     const char *text, size_t start, size_t end, struct lex_matches *m)
{
	size_t i;

	/* No word starts an entry: lex_match() would find nothing (lengths it refuses still go to it). */
	if (!(tk->lexmask & bit) && end - start <= UINT32_MAX) {
		m->n = 0;
		return 0;
	}
	if (lex_match(lex, text + start, end - start, 0, m) < 0)
		return -1;
	for (i = 0; i < m->n; i++) {
		m->v[i].start += start;
		m->v[i].end += start;
	}
	return 0;
}

static int sentence_hit(const struct attrib *a, struct work *w, const char *text, size_t start,
			size_t end, const struct attrib_span *q, size_t nq, struct attrib_hit *hit)
{
	struct sent_ctx c = { a, text, &w->tk, &w->wm };

	memset(hit, 0, sizeof(*hit));
	tokenize(&w->tk, text, start, end, q, nq, a->first_words);
	if (match_abs(&a->verbs, LEX_VERBS, &w->tk, text, start, end, &w->vm) < 0 ||
	    match_abs(&a->weasel, LEX_WEASEL, &w->tk, text, start, end, &w->wm) < 0)
		return -1;
	return find_in(&c, &w->vm, hit);
}

int attrib_find(const struct attrib *a, const char *text, size_t start, size_t end,
		const struct attrib_span *quotes, size_t nq, struct attrib_hit *hit)
{
	struct work w = { 0 };
	int r = sentence_hit(a, &w, text, start, end, quotes, nq, hit);

	work_release(&w);
	return r;
}

/* ====== Loading ====== */

int attrib_load(struct attrib *a, const char *verbs, const char *weasel, const char *hedges,
		const char *boilerplate)
{
	static const char *const verb_cats[] = { "neutral", "loaded", "according", NULL };
	static const char *const weasel_cats[] = { "vague", "weasel", "anonymous", NULL };
	static const char *const boiler_cats[] = { "boilerplate", "boilerplate_label", NULL };
	int r = 0;

	lex_init(&a->verbs);
	lex_init(&a->weasel);
	lex_init(&a->hedges);
	lex_init(&a->boiler);
	if (lex_load(&a->verbs, verbs) < 0)
		r = -1;
	if (lex_load(&a->weasel, weasel) < 0)
		r = -1;
	if (lex_load(&a->hedges, hedges) < 0)
		r = -1;
	if (words_load_cues(&a->boiler, boilerplate, boiler_cats, NULL) < 0)
		r = -1;
	if (r < 0)
		return -1;
	a->boiler_starts = words_cues(&a->boiler, "boilerplate");
	a->boiler_labels = words_cues(&a->boiler, "boilerplate_label");
	/* The code gives these categories their meaning; any other would be silently unused. */
	if (words_check_categories(&a->verbs, verb_cats) < 0)
		r = -1;
	if (words_check_categories(&a->weasel, weasel_cats) < 0)
		r = -1;
	if (r < 0)
		return -1;
	if (lex_compile(&a->verbs) < 0 || lex_compile(&a->weasel) < 0 ||
	    lex_compile(&a->hedges) < 0)
		return -1;
	a->first_words = fw_build(a);
	return 0;
}

void attrib_release(struct attrib *a)
{
	struct first_words *f = a->first_words;

	if (f) {
		a->first_words = NULL;
		free(f->v);
		free(f->keys);
		free(f);
	}
	lex_release(&a->verbs);
	lex_release(&a->weasel);
	lex_release(&a->hedges);
	lex_release(&a->boiler);
	free(a->boiler_starts);
	free(a->boiler_labels);
	a->boiler_starts = a->boiler_labels = NULL;
}

/* ====== The record ====== */

enum label { L_NONE, L_UNATTRIBUTED, L_ATTRIBUTED, L_VAGUE, L_ANONYMOUS };
static const char *const label_names[] = {
	"none", "unattributed", "attributed", "vague", "anonymous"
};

struct hedge {
	size_t start, end;
	const struct lex_entry *entry;
};

struct sent {
	size_t start, end;
	long index, para;
	/* found in the sentence itself */
	struct attrib_hit own;
	bool has_own;
	struct attrib_span weasel, anon;    /* first weasel / anonymous phrase, or {0,0} */
	const struct lex_entry *weasel_entry;
	bool quoted_only;                   /* every word is inside quotations */
	bool question, heading, boiler, headline, ends_colon;
	bool carry_marker;                  /* "He also ...", "The memo also ..." */
	char carry_head[24];                /* "memo" of "The memo also" */
	size_t nwords;
	struct hedge *hedges;
	size_t nhedges, caphedges;
	/* the result */
	enum label label;
	struct attrib_hit res;              /* source and cue of the label */
	bool carried;
};

struct quote {
	size_t start, end;
	size_t id;                          /* annotation id */
	bool nested;
	bool has_speaker;
	struct attrib_hit sp;               /* speaker (source) and its cue */
	char key[64];                       /* first words, folded: pull quotes repeat them */
};

static int cmp_span(const void *x, const void *y)
{
	const struct attrib_span *a = x, *b = y;

	return a->start < b->start ? -1 : a->start > b->start;
}

static bool starts_with_ci(const char *s, size_t n, const char *p)
{
	size_t i;

	for (i = 0; p[i]; i++)
		if (i >= n || (s[i] | 0x20) != (p[i] | 0x20))
			return false;
	return true;
}

/*
 * Whether a sentence carries no claim whatever its words: a credit or site
 * furniture. It starts with a 'boilerplate' cue of lexicons/boilerplate.tsv
 * (as bytes, ASCII case ignored: "photo" covers "Photographs"), or with a
 * 'boilerplate_label' cue and a colon ("Image:"), or holds a ©.
 */
static bool is_boilerplate(const struct attrib *a, const char *s, size_t n)
{
	size_t i;

	for (i = 0; a->boiler_starts && a->boiler_starts[i]; i++)
		if (starts_with_ci(s, n, a->boiler_starts[i]))
			return true;
	for (i = 0; a->boiler_labels && a->boiler_labels[i]; i++) {
		size_t l = strlen(a->boiler_labels[i]);

		if (starts_with_ci(s, n, a->boiler_labels[i]) && l < n && s[l] == ':')
			return true;
	}
	for (i = 0; i + 1 < n; i++) {
		const char *c = memchr(s + i, 0xC2, n - 1 - i);

		if (!c)
			break;
		i = (size_t)(c - s);
		if ((unsigned char)s[i + 1] == 0xA9)
			return true; /* © */
	}
	return false;
}

/* The last non-space byte of text[s, e) skipping closing quotes, or 0. */
static unsigned char last_punct(const char *t, size_t s, size_t e)
{
	while (e > s) {
		unsigned char c = (unsigned char)t[e - 1];

		if (c == ' ' || c == '"' || c == '\'' || c == ')')
			e--;
		else if (e - s >= 3 && (unsigned char)t[e - 3] == 0xE2 &&
			 (unsigned char)t[e - 2] == 0x80 &&
			 ((unsigned char)t[e - 1] == 0x9D || (unsigned char)t[e - 1] == 0x99))
			e -= 3;
		else if (e - s >= 2 && (unsigned char)t[e - 2] == 0xC2 &&
			 (unsigned char)t[e - 1] == 0xBB)
			e -= 2;
		else
			return c;
	}
	return 0;
}

static void add_hedge(struct sent *s, const struct lex_match *m)
{
	xgrow(&s->hedges, &s->caphedges, s->nhedges + 1, sizeof(*s->hedges));
	s->hedges[s->nhedges].start = m->start;
	s->hedges[s->nhedges].end = m->end;
	s->hedges[s->nhedges].entry = m->entry;
	s->nhedges++;
}

/* Whether one of segment's quotations (sorted spans 'q') opens at byte 'p'. */
static bool quote_opens_at(const struct attrib_span *q, size_t nq, size_t p)
{
	size_t i;

	for (i = 0; i < nq && q[i].start <= p; i++)
		if (q[i].start == p)
			return true;
	return false;
}

/* Pass 1: what each sentence says by itself. */
static int read_sentence(const struct attrib *a, struct work *w, const char *text,
			 struct sent *s, const struct attrib_span *q, size_t nq)
{
	const struct tok *v;
	size_t i, nfree = 0;
	int r;
	unsigned char lp;

	r = sentence_hit(a, w, text, s->start, s->end, q, nq, &s->own);
	if (r < 0)
		return -1;
	s->has_own = r == 1;
	v = w->tk.v;
	/* Words as every report counts them (text.h), not the finer tokens of this stage. */
	s->nwords = text_count_words(text, s->start, s->end);
	for (i = 0; i < w->tk.n; i++)
		if (!v[i].quoted)
			nfree++;
	s->quoted_only = w->tk.n > 0 && nfree == 0;
	for (i = 0; i < w->wm.n; i++) {
		const struct lex_match *m = &w->wm.v[i];
		const char *cat = m->entry->category->name;
		size_t k = word_at(&w->tk, m->start);

		if (k < w->tk.n && v[k].quoted)
			continue;
		if (!strcmp(cat, "weasel") && !s->weasel.end) {
			s->weasel.start = m->start;
			s->weasel.end = m->end;
			s->weasel_entry = m->entry;
		} else if (!strcmp(cat, "anonymous") && !s->anon.end) {
			s->anon.start = m->start;
			s->anon.end = m->end;
		}
	}
	if (match_abs(&a->hedges, LEX_HEDGES, &w->tk, text, s->start, s->end, &w->hm) < 0)
		return -1;
	for (i = 0; i < w->hm.n; i++) {
		size_t k = word_at(&w->tk, w->hm.v[i].start);

		if (k >= w->tk.n || v[k].quoted)
			continue;
		if (k > 0 && v[k].cap)
			continue; /* "May 2025", "Theresa May" */
		add_hedge(s, &w->hm.v[i]);
		/* Hearsay ("reportedly", "were said to") is someone's claim, nobody named: agentless. */
		if (!s->weasel.end && !strcmp(w->hm.v[i].entry->category->name, "hearsay")) {
			s->weasel.start = w->hm.v[i].start;
			s->weasel.end = w->hm.v[i].end;
			s->weasel_entry = w->hm.v[i].entry;
		}
	}
	lp = last_punct(text, s->start, s->end);
	s->question = lp == '?';
	s->ends_colon = lp == ':';
	s->boiler = is_boilerplate(a, text + s->start, s->end - s->start);
	/* A heading: no closing punctuation and not long, or a short line ending in ':'. */
	s->heading = (lp != '.' && lp != '!' && lp != '?' && lp != ':' && s->nwords <= 20) ||
		     (lp == ':' && s->nwords <= 6);
	if (w->tk.n >= 2 && !v[0].quoted) {
		size_t k0 = 1;

		if (in_set(&v[0], &words_subject_pronouns))
			k0 = 1;
		else if (in_set(&v[0], &words_definite) && w->tk.n >= 3)
			k0 = 2;
		else
			k0 = 0;
		for (i = k0; k0 && i < w->tk.n && i < k0 + 3; i++) {
			if (v[i].gap & G_BREAK)
				break;
			if (in_set(&v[i], &words_carry_words)) {
				s->carry_marker = true;
				if (k0 == 2)
					memcpy(s->carry_head, v[1].w, sizeof(s->carry_head));
				break;
			}
		}
	}
	return 0;
}

/* Folded last word of text[s, e) into 'out' (24 bytes). */
static void last_word(const char *text, size_t s, size_t e, char out[24])
{
	size_t pos = 0, ws, we, ls = 0, le = 0;

	while (lex_next_word(text + s, e - s, &pos, &ws, &we)) {
		ls = ws;
		le = we;
	}
	out[0] = '\0';
	if (le > ls && le - ls < 24)
		out[lex_fold(text + s + ls, le - ls, out)] = '\0';
}

static enum label kind_label(enum attrib_kind k)
{
	switch (k) {
	case ATTRIB_VAGUE:
		return L_VAGUE;
	case ATTRIB_ANONYMOUS:
		return L_ANONYMOUS;
	default:
		return L_ATTRIBUTED;
	}
}

/* The span that names a hit's source: the earlier mention a pronoun stands for, else its own. */
static struct attrib_span named_span(const struct attrib_hit *h)
{
	return h->refers.end > h->refers.start ? h->refers : h->source;
}

/* A hit as a quotation's speaker, or carried to a sentence that has no source of its own: by name. */
static struct attrib_hit by_name(struct attrib_hit h)
{
	h.source = named_span(&h);
	h.refers.start = h.refers.end = 0;
	return h;
}

/*
 * The antecedent of a pronoun in sentence 'i': the latest source before it,
 * up to CARRY_BACK sentences back for "he"/"she", only the sentence before
 * for "they"/"it", which refer to many more things than sources.
 */
static const struct sent *antecedent(const struct sent *ss, size_t i, bool personal)
{
	size_t k, back = personal ? CARRY_BACK : 1;

	for (k = i; k > 0 && i - k < back; k--) {
		const struct sent *p = &ss[k - 1];

		if (p->label >= L_ATTRIBUTED && p->res.kind != ATTRIB_PRONOUN)
			return p;
	}
	return NULL;
}

/* Resolve a hit: a pronoun takes the source of its antecedent. Returns the kind to label. */
static enum attrib_kind resolve(const struct sent *ss, size_t i, struct attrib_hit *h,
				bool *carried, const char *text)
{
	const struct sent *p;
	char c0;

	*carried = false;
	if (h->kind != ATTRIB_PRONOUN)
		return h->kind;
	c0 = (char)(text[h->source.start] | 0x20);
	p = antecedent(ss, i, c0 == 'h' || c0 == 's');
	if (p) {
		h->refers = named_span(&p->res);
		h->kind = p->res.kind;
		*carried = true;
		return h->kind;
	}
	/* No antecedent: "he"/"she" is still someone definite; "they"/"it" is not. */
	h->kind = c0 == 'h' || c0 == 's' ? ATTRIB_NAMED : ATTRIB_VAGUE;
	return h->kind;
}

static void quote_key(const char *text, size_t s, size_t e, char key[64])
{
	size_t pos = 0, ws, we, n = 0, words = 0;
	char buf[64];

	key[0] = '\0';
	while (words < 6 && lex_next_word(text + s, e - s, &pos, &ws, &we)) {
		size_t l;

		if (we - ws >= sizeof(buf))
			continue;
		l = lex_fold(text + s + ws, we - ws, buf);
		if (n + l + 1 >= 64)
			break;
		memcpy(key + n, buf, l);
		n += l;
		key[n++] = ' ';
		words++;
	}
	key[n] = '\0';
	if (words < 4)
		key[0] = '\0'; /* too short to recognise a repeat */
}

/* Speaker of quote 'q' from the sentences around it (pass 2, at its first sentence 'i'). */
static void find_speaker(struct quote *q, struct sent *ss, size_t ns, size_t i, const char *text)
{
	size_t j;
	bool carried;

	for (j = i; j < ns && ss[j].start < q->end; j++) {
		if (ss[j].has_own && !ss[j].quoted_only) {
			struct attrib_hit h = ss[j].own;

			resolve(ss, i, &h, &carried, text);
			q->sp = by_name(h);
			q->has_speaker = true;
			return;
		}
	}
	/*
	 * '“...?” Schiff asked.': a question or exclamation ends the sentence at
	 * its mark, and the reporting clause right after it, in the same
	 * paragraph, is a sentence of its own.
	 */
	if (j < ns && ss[j].para == ss[i].para && ss[j].has_own && !ss[j].quoted_only &&
	    ss[j].nwords <= SPEAKER_CLAUSE_MAX && text_skip_space(text, q->end, ss[j].start) == ss[j].start) {
		struct attrib_hit h = ss[j].own;

		resolve(ss, j, &h, &carried, text);
		q->sp = by_name(h);
		q->has_speaker = true;
		return;
	}
	/*
	 * Else the sentence before, in the same paragraph or ending in a colon;
	 * or, for a quotation that opens its paragraph, the last sentence of the
	 * paragraph before: news sets a speaker's further words apart so.
	 */
	if (i > 0 && ss[i - 1].label >= L_ATTRIBUTED &&
	    (ss[i - 1].para == ss[i].para || ss[i - 1].ends_colon ||
	     (ss[i - 1].para + 1 == ss[i].para && q->start == ss[i].start))) {
		q->sp = by_name(ss[i - 1].res);
		q->has_speaker = true;
	}
}

static void set_result(struct sent *s, enum label l, const struct attrib_hit *h, bool carried)
{
	s->label = l;
	if (h)
		s->res = *h;
	s->carried = carried;
}

static void label_from_quotes(struct sent *s, const struct quote *qs, size_t nqs)
{
	size_t k;

	for (k = 0; k < nqs; k++) {
		if (qs[k].nested || qs[k].start > s->start || qs[k].end < s->start)
			continue;
		if (qs[k].has_speaker) {
			set_result(s, kind_label(qs[k].sp.kind), &qs[k].sp, true);
			return;
		}
	}
}

/* The final label of sentence i (pass 2). */
static void decide(struct sent *ss, size_t i, const char *text)
{
	struct sent *s = &ss[i];
	bool carried;

	if (s->question || s->boiler) {
		set_result(s, L_NONE, NULL, false);
		return;
	}
	/*
	 * "reports surfaced", "according to reports": the weasel phrase is the
	 * attribution when it covers the source, or stands between the source and
	 * its verb ("Andrew has reportedly told friends"); "was accused by
	 * prosecutors" names its source all the same.
	 */
	if (s->has_own && s->weasel.end &&
	    ((s->weasel.start < s->own.source.end && s->weasel.end > s->own.source.start) ||
	     (s->weasel.start >= s->own.source.end && s->weasel.end <= s->own.cue.start))) {
		struct attrib_hit h = { .kind = ATTRIB_VAGUE, .cue = s->weasel, .source = s->weasel,
					.entry = s->weasel_entry };

		set_result(s, s->anon.end ? L_ANONYMOUS : L_VAGUE, &h, false);
		return;
	}
	if (s->has_own) {
		struct attrib_hit h = s->own;
		enum attrib_kind k = resolve(ss, i, &h, &carried, text);

		/* An anonymous phrase in the sentence makes its source anonymous. */
		if (s->anon.end && k != ATTRIB_ANONYMOUS) {
			k = ATTRIB_ANONYMOUS;
			h.kind = k;
		}
		set_result(s, kind_label(k), &h, carried);
		return;
	}
	if (s->anon.end) {
		struct attrib_hit h = { .kind = ATTRIB_ANONYMOUS, .cue = s->anon, .source = s->anon };

		set_result(s, L_ANONYMOUS, &h, false);
		return;
	}
	if (s->weasel.end) {
		struct attrib_hit h = { .kind = ATTRIB_VAGUE, .cue = s->weasel, .source = s->weasel,
					.entry = s->weasel_entry };

		set_result(s, L_VAGUE, &h, false);
		return;
	}
	if (i > 0 && s->carry_marker && ss[i - 1].para == s->para &&
	    ss[i - 1].label >= L_ATTRIBUTED) {
		struct attrib_hit h = by_name(ss[i - 1].res);
		char head[24];

		last_word(text, h.source.start, h.source.end, head);
		if (!s->carry_head[0] || !strcmp(head, s->carry_head)) {
			set_result(s, ss[i - 1].label, &h, true);
			return;
		}
	}
	if (s->headline || s->heading || s->nwords < 4)
		set_result(s, L_NONE, NULL, false);
	else
		set_result(s, L_UNATTRIBUTED, NULL, false);
}

/* Span 'sp' as members NAME, NAME_start and NAME_end ('keys': those three names). */
static void put_span(json_t *ann, const char *text, const char *const keys[3],
		     struct attrib_span sp)
{
	json_object_set_new_nocheck(ann, keys[0], json_stringn(text + sp.start, sp.end - sp.start));
	json_object_set_new_nocheck(ann, keys[1], json_integer((json_int_t)sp.start));
	json_object_set_new_nocheck(ann, keys[2], json_integer((json_int_t)sp.end));
}

static const char *const source_keys[] = { "source", "source_start", "source_end" };
static const char *const cue_keys[] = { "cue", "cue_start", "cue_end" };
static const char *const speaker_keys[] = { "speaker", "speaker_start", "speaker_end" };
static const char *const refers_keys[] = { "refers_to", "refers_to_start", "refers_to_end" };

static void put_cue(json_t *ann, const char *text, const struct attrib_hit *h)
{
	const char *cat = h->entry ? h->entry->category->name : "";

	if (h->cue.end > h->cue.start) {
		put_span(ann, text, cue_keys, h->cue);
	} else {
		json_object_set_new_nocheck(ann, "cue", json_null());
		json_object_set_new_nocheck(ann, "cue_start", json_null());
		json_object_set_new_nocheck(ann, "cue_end", json_null());
	}
	json_object_set_new_nocheck(ann, "stance",
				    json_string_nocheck(!strcmp(cat, "loaded") ? "loaded" : "neutral"));
	if (h->entry)
		json_object_set_new_nocheck(ann, "entry", json_string(h->entry->term));
	else if (h->cue.end > h->cue.start)
		json_object_set_new_nocheck(ann, "entry", json_string_nocheck(":"));
	else
		json_object_set_new_nocheck(ann, "entry", json_null());
}

int attrib_record(const struct attrib *a, struct doc *d, json_t *rec, char *why, size_t whylen)
{
	size_t i, ns, nqs, nspan = 0, hs = 0, he = 0;
	const char *text;
	json_t *ann;
	struct sent *ss = NULL;
	struct quote *qs = NULL;
	struct attrib_span *qspan = NULL;
	struct work w = { 0 };
	bool have_headline;
	int r = -1;

	if (doc_read(d, rec, why, whylen) < 0)
		return -1;
	text = d->text;
	have_headline = d->has_head;
	if (have_headline) {
		hs = d->head.start;
		he = d->head.end;
	}
	ns = d->nsent;
	nqs = d->nquote;
	ss = xcalloc(ns + 1, sizeof(*ss));
	for (i = 0; i < ns; i++) {
		ss[i].start = d->sent[i].span.start;
		ss[i].end = d->sent[i].span.end;
		ss[i].index = (long)i;
		ss[i].para = d->sent[i].para;
	}
	qs = xcalloc(nqs + 1, sizeof(*qs));
	for (i = 0; i < nqs; i++) {
		const struct doc_quote *dq = &d->quote[i];

		qs[i].start = dq->start;
		qs[i].end = dq->end;
		qs[i].id = dq->ann;
		qs[i].nested = dq->kind == DOC_NESTED;
		quote_key(text, dq->cstart, dq->cend, qs[i].key);
	}
	/* Quote spans for masking, sorted. */
	qspan = xcalloc(nqs + 1, sizeof(*qspan));
	for (i = 0; i < nqs; i++) {
		if (qs[i].nested)
			continue;
		qspan[nspan].start = qs[i].start;
		qspan[nspan].end = qs[i].end;
		nspan++;
	}
	qsort(qspan, nspan, sizeof(*qspan), cmp_span);

	/* Pass 1. */
	for (i = 0; i < ns; i++) {
		struct sent *s = &ss[i];
		size_t k = 0;

		while (k < nspan && qspan[k].end <= s->start)
			k++;
		if (read_sentence(a, &w, text, s, qspan + k, nspan - k) < 0) {
			snprintf(why, whylen, "a lexicon regex hit its match limit");
			goto out;
		}
		s->headline = have_headline ? (s->start >= hs && s->end <= he) : s->para == 0;
		/* The headline is a heading: a claim only when it names its source. */
		if (s->headline && s->has_own && s->own.kind == ATTRIB_PRONOUN)
			s->has_own = false;
		/*
		 * "Name: ..." without a quotation attributes only a headline ("Trump:
		 * Cruz has ..."); in the body it is a list entry, a dateline or a
		 * kicker ("Elizabeth A. Burton: Possession of ...").
		 */
		if (!s->headline && s->has_own && !s->own.entry &&
		    !quote_opens_at(qspan + k, nspan - k, text_skip_space(text, s->own.cue.end, s->end)))
			s->has_own = false;
	}
	/* Pass 2, in reading order. */
	for (i = 0; i < ns; i++) {
		struct sent *s = &ss[i];
		size_t k;

		for (k = 0; k < nqs; k++)
			if (!qs[k].nested && qs[k].start >= s->start && qs[k].start < s->end &&
			    !qs[k].has_speaker)
				find_speaker(&qs[k], ss, ns, i, text);
		if (s->quoted_only) {
			set_result(s, L_UNATTRIBUTED, NULL, false);
			label_from_quotes(s, qs, nqs);
			if (s->label == L_UNATTRIBUTED && (s->question || s->nwords < 4))
				s->label = L_NONE;
		} else {
			decide(ss, i, text);
		}
		if (s->label >= L_ATTRIBUTED)
			for (k = 0; k < nqs; k++)
				if (!qs[k].nested && !qs[k].has_speaker && qs[k].start >= s->start &&
				    qs[k].end <= s->end) {
					qs[k].sp = by_name(s->res);
					qs[k].has_speaker = true;
				}
	}
	/* A pull quote repeats a quote given with its speaker elsewhere. */
	for (i = 0; i < nqs; i++) {
		size_t k, j;

		if (qs[i].has_speaker || qs[i].nested || !qs[i].key[0])
			continue;
		for (k = 0; k < nqs; k++)
			if (k != i && qs[k].has_speaker && !strcmp(qs[i].key, qs[k].key))
				break;
		if (k == nqs)
			continue;
		qs[i].sp = qs[k].sp;
		qs[i].has_speaker = true;
		for (j = 0; j < ns; j++)
			if (ss[j].quoted_only && ss[j].start >= qs[i].start && ss[j].end <= qs[i].end + 4)
				set_result(&ss[j], kind_label(qs[i].sp.kind), &qs[i].sp, true);
	}

	/* Write: per sentence its label and hedges, then the speakers. */
	for (i = 0; i < ns; i++) {
		struct sent *s = &ss[i];
		size_t k;

		ann = rec_annotate(rec, "attrib", label_names[s->label], s->start, s->end);
		json_object_set_new_nocheck(ann, "sentence", json_integer(s->index));
		if (s->label >= L_ATTRIBUTED) {
			put_span(ann, text, source_keys, s->res.source);
			if (s->res.refers.end > s->res.refers.start)
				put_span(ann, text, refers_keys, s->res.refers);
			put_cue(ann, text, &s->res);
			json_object_set_new_nocheck(ann, "carried", json_boolean(s->carried));
		}
		for (k = 0; k < s->nhedges; k++) {
			ann = rec_annotate(rec, "attrib", "hedge", s->hedges[k].start,
					   s->hedges[k].end);
			json_object_set_new_nocheck(ann, "entry",
						    json_string(s->hedges[k].entry->term));
			json_object_set_new_nocheck(ann, "category",
						    json_string(s->hedges[k].entry->category->name));
		}
	}
	for (i = 0; i < nqs; i++) {
		if (!qs[i].has_speaker)
			continue;
		ann = rec_annotate(rec, "attrib", "speaker", qs[i].start, qs[i].end);
		json_object_set_new_nocheck(ann, "quote", json_integer((json_int_t)qs[i].id));
		put_span(ann, text, speaker_keys, qs[i].sp.source);
	}
	r = 0;
out:
	for (i = 0; i < ns; i++)
		free(ss[i].hedges);
	free(ss);
	free(qs);
	free(qspan);
	work_release(&w);
	return r;
}
