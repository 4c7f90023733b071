/* lex.c -- lexicon loading, validation and matching (include/slant/lex.h, docs/lexicons.md). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "slant/file.h"
#include "slant/hash.h"
#include "slant/lex.h"
#include "slant/usage.h"
#include "slant/utf8.h"

/*
 * Limits for regex entries, so a catastrophic pattern fails one text with a
 * message instead of hanging the stage. The match limit also binds JIT code.
 */
#define LEX_MATCH_LIMIT 1000000
#define LEX_DEPTH_LIMIT 10000
#define LEX_HEAP_LIMIT_KIB 20000

/* ====== Words ====== */

/* Whether a non-ASCII code point can be part of a word (no Unicode tables: exclude punctuation blocks). */
static bool cp_is_word(uint32_t cp)
{
	if (cp < 0xC0)
		return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
	if (cp == 0xD7 || cp == 0xF7)
		return false;
	if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x2E00 && cp <= 0x2E7F) ||
	    (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE10 && cp <= 0xFE6F) ||
	    (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	    (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
	    cp == 0xFEFF || (cp >= 0xFFF0 && cp <= 0xFFFF) || (cp >= 0x1F000 && cp <= 0x1FAFF))
		return false;
	return true;
}

static bool ascii_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Length of the word character at t[i], or 0 if there is none there. */
static size_t word_char(const char *t, size_t len, size_t i)
{
	unsigned char c = (unsigned char)t[i];
	uint32_t cp;
	size_t n;

	if (c < 0x80)
		return ascii_word(c);
	n = utf8_decode(t + i, len - i, &cp);
	return n && cp_is_word(cp) ? n : 0;
}

/* Whether a word character ends just before t[i]. */
static bool word_char_before(const char *t, size_t len, size_t i)
{
	size_t k = i;

	if (!i)
		return false;
	if ((unsigned char)t[i - 1] < 0x80)
		return ascii_word((unsigned char)t[i - 1]);
	while (k > 0 && i - k < 4 && ((unsigned char)t[k - 1] & 0xC0) == 0x80)
		k--;
	if (!k)
		return false;
	k--;
	return word_char(t, len, k) == i - k;
}

/* Length of an apostrophe (' or U+2019) at t[i], or 0. */
static size_t apostrophe(const char *t, size_t len, size_t i)
{
	if (t[i] == '\'')
		return 1;
	if (i + 3 <= len && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
	    (unsigned char)t[i + 2] == 0x99)
		return 3;
	return 0;
}

/* Length of a possessive "'s" at t[i] that ends a word, or 0. */
static size_t possessive(const char *t, size_t len, size_t i)
{
	size_t a = apostrophe(t, len, i);

	if (!a || i + a >= len || (t[i + a] != 's' && t[i + a] != 'S'))
		return 0;
	if (i + a + 1 < len && word_char(t, len, i + a + 1))
		return 0;
	return a + 1;
}

bool lex_next_word(const char *t, size_t len, size_t *pos, size_t *start, size_t *end)
{
	size_t i = *pos, n, a;

	while (i < len) {
		if (word_char(t, len, i))
			break;
		if ((n = possessive(t, len, i)) && word_char_before(t, len, i)) {
			*start = i;
			*end = *pos = i + n;
			return true;
		}
		i++;
	}
	if (i >= len) {
		*pos = len;
		return false;
	}
	*start = i;
	while (i < len) {
		if ((n = word_char(t, len, i))) {
			i += n;
			continue;
		}
		/* An apostrophe inside a word joins it ("don't", "O'Brien"), not a possessive. */
		if ((a = apostrophe(t, len, i)) && !possessive(t, len, i) && i + a < len &&
		    word_char(t, len, i + a)) {
			i += a;
			continue;
		}
		break;
	}
	*end = *pos = i;
	return true;
}

size_t lex_fold(const char *word, size_t len, char *out)
{
	const unsigned char *w = (const unsigned char *)word;
	size_t i = 0, o = 0;

	while (i < len) {
		unsigned char c = w[i];

		if (c < 0x80) {
			out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			i++;
		} else if (c == 0xC3 && i + 1 < len && w[i + 1] >= 0x80 && w[i + 1] <= 0x9E &&
			   w[i + 1] != 0x97) {
			/* Latin-1 capitals U+00C0..U+00DE (not U+00D7) are their small letter - 0x20. */
			out[o++] = (char)c;
			out[o++] = (char)(w[i + 1] + 0x20);
			i += 2;
		} else if (c == 0xE2 && i + 2 < len && w[i + 1] == 0x80 && w[i + 2] == 0x99) {
			out[o++] = '\'';
			i += 3;
		} else {
			out[o++] = (char)c;
			i++;
		}
	}
	return o;
}

/*
 * Whether t[a, b) may stand between two words of a phrase: spaces, at most
 * one line break and at most one hyphen, or nothing (before "'s").
 */
static bool gap_joins(const char *t, size_t a, size_t b)
{
	int nl = 0, hy = 0;

	if (a > b)
		return false;
	while (a < b) {
		unsigned char c = (unsigned char)t[a];

		if (c == ' ' || c == '\t' || c == '\r') {
			a++;
		} else if (c == '\n') {
			if (nl++)
				return false;
			a++;
		} else if (c == '-') {
			if (hy++)
				return false;
			a++;
		} else if (c == 0xC2 && a + 1 < b && (unsigned char)t[a + 1] == 0xA0) {
			a += 2;
		} else if (c == 0xE2 && a + 2 < b && (unsigned char)t[a + 1] == 0x80 &&
			   ((unsigned char)t[a + 2] == 0x90 || (unsigned char)t[a + 2] == 0x91)) {
			if (hy++)
				return false;
			a += 3;
		} else {
			return false;
		}
	}
	return true;
}

/* Whether t[a, b) is a gap before a number: gap_joins(), or spaces and a sign ("$5", "€5", "+2"). */
static bool gap_number(const char *t, size_t a, size_t b)
{
	if (gap_joins(t, a, b))
		return true;
	while (a < b && t[a] == ' ')
		a++;
	if (a < b && (t[a] == '$' || t[a] == '+' || t[a] == '-'))
		a++;
	else if (a + 1 < b && (unsigned char)t[a] == 0xC2 &&
		 ((unsigned char)t[a + 1] == 0xA3 || (unsigned char)t[a + 1] == 0xA5))
		a += 2; /* £ ¥ */
	else if (a + 2 < b && !memcmp(t + a, "\xE2\x82\xAC", 3))
		a += 3; /* € */
	return a == b;
}

/* ====== Tables ====== */

struct slot {
	uint64_t h;
	uint32_t parent;
	uint32_t val;         /* child node (exact) or wild chain head + 1; 0 = empty slot */
	uint32_t koff, klen;  /* key bytes in the arena */
};

struct table {
	struct slot *s;
	size_t mask, n;
};

enum { NODE_EXACT = 1, NODE_WILD = 2 };

struct node {
	uint32_t entry;       /* index + 1 of the entry ending here, 0 if none */
	uint32_t flags;       /* NODE_EXACT: has word children; NODE_WILD: has prefix children */
};

struct wild {
	uint32_t koff, klen;  /* the whole folded prefix, in the arena */
	uint32_t entry;       /* index */
	uint32_t next;        /* next in the chain + 1, 0 at the end */
};

struct ctx_word {
	char *w;
	size_t len;
	bool prefix;
	bool number; /* '#': any word that starts with a digit ("added _ #": "added 20.72 points") */
};

struct lex_context {
	struct ctx_word *before, *after; /* 'before' in text order, ending next to the match */
	size_t nbefore, nafter;
};

struct tables {
	char *arena;
	size_t alen, acap;
	struct node *nodes;
	size_t nnodes, capnodes;
	struct table exact, wild;
	struct wild *wilds;
	size_t nwilds, capwilds;
	unsigned wild_lens;   /* bit k: some prefix key has k bytes (1..3) */
	/* Root prefixes by their first two bytes (one byte for 1-byte prefixes): most words skip the wild table. */
	uint8_t root_wild2[65536 / 8], root_wild1[256 / 8];
	/* Bit (hash >> 48) of each first word: most words of a text miss without a table probe. */
	uint8_t root_filter[65536 / 8];
	size_t *regex;        /* entry indexes of regex entries */
	size_t nregex, capregex;
	char **names;         /* file names given to lex_add() */
	size_t nnames, capnames;
	pcre2_match_context *mctx;
};

static struct tables *tables(struct lex *lex)
{
	if (!lex->priv) {
		struct tables *tb = xcalloc(1, sizeof(*tb));

		/* Node 0 is the root; it is never a child, so a 0 child means "empty". */
		xgrow(&tb->nodes, &tb->capnodes, 1, sizeof(*tb->nodes));
		tb->nodes[0].entry = tb->nodes[0].flags = 0;
		tb->nnodes = 1;
		lex->priv = tb;
	}
	return lex->priv;
}

/*
 * A word-at-a-time hash: bytes are gathered eight to a 64-bit word and mixed
 * once per word (a byte-serial multiply chain was the matcher's hot spot).
 * tokenise() computes the same hash inline while folding.
 */
#define HASH_M 0x9E3779B97F4A7C15ULL

static inline uint64_t hash_seed(uint32_t parent)
{
	return (uint64_t)(parent + 1) * 0xC2B2AE3D27D4EB4FULL;
}

static inline uint64_t hash_mix(uint64_t h, uint64_t k)
{
	h = (h ^ k) * HASH_M;
	return h ^ (h >> 29);
}

static inline uint64_t hash_final(uint64_t h, size_t n)
{
	h = (h ^ n) * 0xBF58476D1CE4E5B9ULL;
	return h ^ (h >> 31);
}

static uint64_t hash_key(uint32_t parent, const char *s, size_t n)
{
	uint64_t h = hash_seed(parent), k = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		k |= (uint64_t)(unsigned char)s[i] << (8 * (i & 7));
		if ((i & 7) == 7) {
			h = hash_mix(h, k);
			k = 0;
		}
	}
	if (n & 7)
		h = hash_mix(h, k);
	return hash_final(h, n);
}

/* The slot holding (parent, key), or the empty slot where it would go. */
static struct slot *table_find(const struct table *t, const char *arena, uint64_t h,
			       uint32_t parent, const char *k, size_t n)
{
	size_t i;

	for (i = h & t->mask;; i = (i + 1) & t->mask) {
		struct slot *s = &t->s[i];

		if (!s->val)
			return s;
		if (s->h == h && s->parent == parent && s->klen == n &&
		    !memcmp(arena + s->koff, k, n))
			return s;
	}
}

static void table_grow(struct table *t)
{
	struct slot *old = t->s;
	size_t oldsize = t->s ? t->mask + 1 : 0, size = oldsize ? oldsize * 2 : 256, i;

	t->s = xcalloc(size, sizeof(*t->s));
	t->mask = size - 1;
	for (i = 0; i < oldsize; i++) {
		size_t j;

		if (!old[i].val)
			continue;
		for (j = old[i].h & t->mask; t->s[j].val; j = (j + 1) & t->mask)
			;
		t->s[j] = old[i];
	}
	free(old);
}

static uint32_t arena_put(struct tables *tb, const char *s, size_t n)
{
	size_t off = tb->alen;

	xgrow(&tb->arena, &tb->acap, tb->alen + n + 1, 1);
	memcpy(tb->arena + off, s, n);
	tb->arena[off + n] = '\0';
	tb->alen += n + 1;
	return (uint32_t)off;
}

/* The slot for (parent, key) in 't', inserting it (val still 0) if absent. */
static struct slot *table_put(struct tables *tb, struct table *t, uint32_t parent, const char *k,
			      size_t n)
{
	uint64_t h = hash_key(parent, k, n);
	struct slot *s;

	if (!t->s || (t->n + 1) * 2 > t->mask + 1)
		table_grow(t);
	s = table_find(t, tb->arena, h, parent, k, n);
	if (!s->val) {
		s->h = h;
		s->parent = parent;
		s->klen = (uint32_t)n;
		s->koff = arena_put(tb, k, n);
		t->n++;
	}
	return s;
}

static const struct slot *table_get(const struct table *t, const char *arena, uint32_t parent,
				    const char *k, size_t n)
{
	const struct slot *s;

	if (!t->s)
		return NULL;
	s = table_find(t, arena, hash_key(parent, k, n), parent, k, n);
	return s->val ? s : NULL;
}

/* ====== Terms: the folded words of a term or context ====== */

struct words {
	char *buf;            /* folded words, each NUL-terminated */
	size_t *off, *len;
	size_t n, cap;
	bool prefix;          /* a '*' ended the last word */
};

static void words_release(struct words *w)
{
	free(w->buf);
	free(w->off);
	free(w->len);
	memset(w, 0, sizeof(*w));
}

/*
 * Cut 'term' into folded words. Returns NULL, or a message (static) saying
 * why the term cannot be matched by words.
 */
static const char *term_words(const char *term, struct words *w)
{
	size_t len = strlen(term), pos = 0, s, e, prev_end = 0, used = 0;

	memset(w, 0, sizeof(*w));
	/* Words may touch ("dictator's" is two): each needs its own NUL. */
	w->buf = xmalloc(2 * len + 1);
	while (lex_next_word(term, len, &pos, &s, &e)) {
		if (w->prefix)
			return "'*' may only end the last word";
		if (w->n && !gap_joins(term, prev_end, s))
			return "only spaces or a hyphen may stand between its words (use a re: entry)";
		if (!w->n) {
			size_t k;

			for (k = 0; k < s; k++)
				if (term[k] != ' ')
					return "it starts with a character that is not part of a word "
					       "(use a re: entry)";
		}
		if (w->n == w->cap) {
			xgrow(&w->off, &w->cap, w->n + 1, sizeof(*w->off));
			w->len = xrealloc(w->len, w->cap * sizeof(*w->len));
		}
		w->off[w->n] = used;
		w->len[w->n] = lex_fold(term + s, e - s, w->buf + used);
		used += w->len[w->n];
		w->buf[used++] = '\0';
		w->n++;
		prev_end = e;
		if (pos < len && term[pos] == '*') {
			w->prefix = true;
			prev_end = ++pos;
		}
	}
	if (!w->n)
		return "it has no words";
	for (; prev_end < len; prev_end++)
		if (term[prev_end] != ' ')
			return "it ends with a character that is not part of a word (use a re: entry)";
	return NULL;
}

/* The duplicate key: folded words joined by one space, '*' for a prefix. Caller frees. */
static char *words_key(const struct words *w)
{
	size_t i, n = 0;
	char *k, *p;

	for (i = 0; i < w->n; i++)
		n += w->len[i] + 1;
	k = p = xmalloc(n + 2);
	for (i = 0; i < w->n; i++) {
		if (i)
			*p++ = ' ';
		memcpy(p, w->buf + w->off[i], w->len[i]);
		p += w->len[i];
	}
	if (w->prefix)
		*p++ = '*';
	*p = '\0';
	return k;
}

/* ====== Categories ====== */

static bool valid_category_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

const struct lex_category *lex_category_find(const struct lex *lex, const char *name)
{
	size_t i;

	for (i = 0; i < lex->ncats; i++)
		if (!strcmp(lex->cats[i]->name, name))
			return lex->cats[i];
	return NULL;
}

static struct lex_category *category_new(struct lex *lex, const char *name, const char *desc,
					 const char *file, unsigned long line)
{
	struct lex_category *c = xcalloc(1, sizeof(*c));

	c->name = xstrdup(name);
	c->description = xstrdup(desc ? desc : "");
	c->file = file;
	c->line = line;
	xgrow(&lex->cats, &lex->capcats, lex->ncats + 1, sizeof(*lex->cats));
	lex->cats[lex->ncats++] = c;
	return c;
}

const struct lex_category *lex_category_add(struct lex *lex, const char *name,
					    const char *description)
{
	const struct lex_category *c = lex_category_find(lex, name);

	if (c)
		return c;
	if (!valid_category_name(name)) {
		error("bad category name '%s' (lower-case letters, digits and '_')", name);
		return NULL;
	}
	return category_new(lex, name, description, NULL, 0);
}

/* ====== Entries ====== */

void lex_init(struct lex *lex)
{
	memset(lex, 0, sizeof(*lex));
}

static void entry_free(struct lex_entry *e)
{
	size_t i, k;

	if (!e)
		return;
	free(e->term);
	free(e->alternative);
	free(e->note);
	free(e->key);
	for (i = 0; i < e->nctx; i++) {
		for (k = 0; k < e->ctx[i].nbefore; k++)
			free(e->ctx[i].before[k].w);
		for (k = 0; k < e->ctx[i].nafter; k++)
			free(e->ctx[i].after[k].w);
		free(e->ctx[i].before);
		free(e->ctx[i].after);
	}
	free(e->ctx);
	if (e->re)
		pcre2_code_free(e->re);
	free(e);
}

static bool is_none(const char *s)
{
	return !s || !*s || !strcmp(s, "-");
}

/* Words of one side of a context into 'out' ('*' after a word makes it a prefix). */
static int context_side(const char *s, size_t len, struct ctx_word **out, size_t *n)
{
	size_t pos = 0, st, en;

	*out = NULL;
	*n = 0;
	for (;;) {
		struct ctx_word *w;
		bool number;

		while (pos < len && s[pos] == ' ')
			pos++;
		number = pos < len && s[pos] == '#' && (pos + 1 == len || s[pos + 1] == ' ');
		if (number) {
			st = pos++;
			en = st;
		} else if (!lex_next_word(s, len, &pos, &st, &en)) {
			break;
		}
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		w = &(*out)[(*n)++];
		w->w = xmalloc(en - st + 1);
		w->len = lex_fold(s + st, en - st, w->w);
		w->w[w->len] = '\0';
		w->number = number;
		w->prefix = !number && pos < len && s[pos] == '*';
		if (w->prefix)
			pos++;
	}
	return 0;
}

/* Parse 'exclude' into e->ctx; reports each bad context. Returns 0 or -1. */
static int parse_exclude(struct lex_entry *e, const char *exclude, const char *file,
			 unsigned long line)
{
	const char *p = exclude;
	int bad = 0;

	while (*p) {
		const char *bar = strchr(p, '|'), *end = bar ? bar : p + strlen(p), *us;
		const char *a = p, *b = end;
		size_t nus = 0;
		const char *q;

		while (a < b && *a == ' ')
			a++;
		while (b > a && b[-1] == ' ')
			b--;
		us = NULL;
		for (q = a; q < b; q++)
			if (*q == '_') {
				nus++;
				us = q;
			}
		if (nus != 1) {
			bad = error("%s:%lu: exclusion context '%.*s' must contain one '_' for the "
				    "matched term",
				    file, line, (int)(b - a), a);
		} else {
			struct lex_context *c;

			e->ctx = xrealloc(e->ctx, (e->nctx + 1) * sizeof(*e->ctx));
			c = &e->ctx[e->nctx++];
			context_side(a, (size_t)(us - a), &c->before, &c->nbefore);
			context_side(us + 1, (size_t)(b - us - 1), &c->after, &c->nafter);
			if (!c->nbefore && !c->nafter)
				bad = error("%s:%lu: exclusion context '%.*s' has no words", file,
					    line, (int)(b - a), a);
		}
		p = bar ? bar + 1 : end;
	}
	return bad;
}

static const char *name_copy(struct lex *lex, const char *file)
{
	struct tables *tb = tables(lex);
	size_t i;

	if (!file)
		return NULL;
	for (i = 0; i < lex->nfiles; i++)
		if (!strcmp(lex->files[i].path, file))
			return lex->files[i].path;
	for (i = 0; i < tb->nnames; i++)
		if (!strcmp(tb->names[i], file))
			return tb->names[i];
	xgrow(&tb->names, &tb->capnames, tb->nnames + 1, sizeof(*tb->names));
	return tb->names[tb->nnames++] = xstrdup(file);
}

static const char *basename_of(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path;
}

/* Find the entry a word term or prefix folds to, walking the tables. */
static const struct lex_entry *words_lookup(const struct lex *lex, const struct words *w)
{
	const struct tables *tb = lex->priv;
	uint32_t node = 0;
	size_t i;

	if (!tb)
		return NULL;
	for (i = 0; i < w->n; i++) {
		const char *k = w->buf + w->off[i];
		const struct slot *s;

		if (i == w->n - 1 && w->prefix) {
			size_t kl = w->len[i] < 3 ? w->len[i] : 3;
			uint32_t c;

			s = table_get(&tb->wild, tb->arena, node, k, kl);
			for (c = s ? s->val : 0; c; c = tb->wilds[c - 1].next) {
				const struct wild *wd = &tb->wilds[c - 1];

				if (wd->klen == w->len[i] && !memcmp(tb->arena + wd->koff, k, wd->klen))
					return lex->entries[wd->entry];
			}
			return NULL;
		}
		s = table_get(&tb->exact, tb->arena, node, k, w->len[i]);
		if (!s)
			return NULL;
		node = s->val;
	}
	return tb->nodes[node].entry ? lex->entries[tb->nodes[node].entry - 1] : NULL;
}

static void words_insert(struct lex *lex, const struct words *w, size_t index)
{
	struct tables *tb = tables(lex);
	uint32_t node = 0;
	size_t i;

	for (i = 0; i < w->n; i++) {
		const char *k = w->buf + w->off[i];
		struct slot *s;

		if (i == w->n - 1 && w->prefix) {
			size_t kl = w->len[i] < 3 ? w->len[i] : 3;
			struct wild *wd;

			s = table_put(tb, &tb->wild, node, k, kl);
			xgrow(&tb->wilds, &tb->capwilds, tb->nwilds + 1, sizeof(*tb->wilds));
			wd = &tb->wilds[tb->nwilds];
			wd->koff = arena_put(tb, k, w->len[i]);
			wd->klen = (uint32_t)w->len[i];
			wd->entry = (uint32_t)index;
			wd->next = s->val;
			s->val = (uint32_t)++tb->nwilds;
			tb->nodes[node].flags |= NODE_WILD;
			tb->wild_lens |= 1u << kl;
			if (node == 0 && kl == 1)
				tb->root_wild1[(unsigned char)k[0] >> 3] |= (uint8_t)(1u << (k[0] & 7));
			else if (node == 0) {
				unsigned b = (unsigned char)k[0] << 8 | (unsigned char)k[1];

				tb->root_wild2[b >> 3] |= (uint8_t)(1u << (b & 7));
			}
			return;
		}
		s = table_put(tb, &tb->exact, node, k, w->len[i]);
		if (node == 0)
			tb->root_filter[s->h >> 51] |= (uint8_t)(1u << ((s->h >> 48) & 7));
		if (!s->val) {
			xgrow(&tb->nodes, &tb->capnodes, tb->nnodes + 1, sizeof(*tb->nodes));
			tb->nodes[tb->nnodes].entry = tb->nodes[tb->nnodes].flags = 0;
			s->val = (uint32_t)tb->nnodes++;
		}
		tb->nodes[node].flags |= NODE_EXACT;
		node = s->val;
	}
	tb->nodes[node].entry = (uint32_t)index + 1;
}

static const struct lex_entry *regex_lookup(const struct lex *lex, const char *key)
{
	const struct tables *tb = lex->priv;
	size_t i;

	for (i = 0; tb && i < tb->nregex; i++)
		if (!strcmp(lex->entries[tb->regex[i]]->key, key))
			return lex->entries[tb->regex[i]];
	return NULL;
}

static void where(const struct lex_entry *e, char *buf, size_t n)
{
	if (e->file)
		snprintf(buf, n, "%s:%lu", e->file, e->line);
	else
		snprintf(buf, n, "an entry added by the program");
}

/* lex_add() with 'file' already owned by 'lex'. */
static struct lex_entry *entry_add(struct lex *lex, const struct lex_entry_spec *sp,
				   const char *file, unsigned long line)
{
	const char *fname = file ? file : "<lexicon>";
	struct lex_entry *e = xcalloc(1, sizeof(*e));
	const struct lex_entry *dup;
	struct words w = { 0 };
	bool bad = false;
	char at[600];

	tables(lex);
	e->term = xstrdup(sp->term ? sp->term : "");
	e->weight = sp->weight;
	e->alternative = is_none(sp->alternative) ? NULL : xstrdup(sp->alternative);
	e->note = xstrdup(sp->note ? sp->note : "");
	e->file = file;
	e->file_base = basename_of(file);
	e->line = line;
	e->data = sp->data;
	e->index = lex->n;

	if (!*e->term) {
		error("%s:%lu: empty term", fname, line);
		entry_free(e);
		return NULL;
	}
	/* "posemo,negemo": a word in several categories, the first its main one. */
	if (sp->category && strchr(sp->category, ',')) {
		char *list = xstrdup(sp->category), *save = NULL, *c;
		size_t k = 0;

		for (c = strtok_r(list, ",", &save); c && !bad; c = strtok_r(NULL, ",", &save), k++) {
			const struct lex_category *cat = lex_category_find(lex, c);

			if (!cat)
				bad = error("%s:%lu: undeclared category '%s' (declare it with an "
					    "@category line)", fname, line, c) < 0;
			else if (k == 0)
				e->category = cat;
			else if (e->nalso == LEX_MAX_ALSO)
				bad = error("%s:%lu: more than %d categories", fname, line,
					    LEX_MAX_ALSO + 1) < 0;
			else
				e->also[e->nalso++] = cat;
		}
		if (!bad && !e->category)
			bad = error("%s:%lu: empty category list", fname, line) < 0;
		free(list);
	} else if (!sp->category || !(e->category = lex_category_find(lex, sp->category))) {
		bad = error("%s:%lu: undeclared category '%s' (declare it with an @category line)",
			    fname, line, sp->category ? sp->category : "") < 0;
	}
	if (!(sp->weight > 0 && sp->weight <= 10))
		bad = error("%s:%lu: weight %g out of range (> 0 and <= 10)", fname, line,
			    sp->weight) < 0;
	if (!strncmp(e->term, "re:", 3)) {
		int err;
		PCRE2_SIZE off;
		uint32_t minlen = 0;

		e->kind = LEX_REGEX;
		e->key = xstrdup(e->term);
		e->re = pcre2_compile((PCRE2_SPTR)e->term + 3, PCRE2_ZERO_TERMINATED,
				      PCRE2_CASELESS | PCRE2_UTF, &err, &off, NULL);
		if (!e->re) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(err, msg, sizeof(msg));
			bad = error("%s:%lu: invalid regex '%s': %s at offset %zu", fname, line,
				    e->term + 3, (const char *)msg, (size_t)off) < 0;
		} else if (pcre2_pattern_info(e->re, PCRE2_INFO_MINLENGTH, &minlen) == 0 &&
			   minlen == 0) {
			bad = error("%s:%lu: regex '%s' can match the empty string", fname, line,
				    e->term + 3) < 0;
		}
		if (!bad && (dup = regex_lookup(lex, e->key))) {
			where(dup, at, sizeof(at));
			bad = error("%s:%lu: duplicate entry '%s' (first at %s)", fname, line, e->term,
				    at) < 0;
		}
	} else {
		const char *why = term_words(e->term, &w);

		if (why) {
			bad = error("%s:%lu: term '%s' cannot match: %s", fname, line, e->term, why) <
			      0;
		} else {
			e->kind = w.prefix ? LEX_PREFIX : LEX_WORDS;
			e->key = words_key(&w);
			if ((dup = words_lookup(lex, &w))) {
				where(dup, at, sizeof(at));
				bad = error("%s:%lu: duplicate entry '%s' (same as '%s' at %s)", fname,
					    line, e->term, dup->term, at) < 0;
			}
		}
	}
	if (!is_none(sp->exclude) && parse_exclude(e, sp->exclude, fname, line) < 0)
		bad = true;
	if (bad) {
		words_release(&w);
		entry_free(e);
		return NULL;
	}
	if (e->kind == LEX_REGEX) {
		struct tables *tb = lex->priv;

		xgrow(&tb->regex, &tb->capregex, tb->nregex + 1, sizeof(*tb->regex));
		tb->regex[tb->nregex++] = e->index;
	} else {
		words_insert(lex, &w, e->index);
	}
	words_release(&w);
	xgrow(&lex->entries, &lex->cap, lex->n + 1, sizeof(*lex->entries));
	lex->entries[lex->n++] = e;
	lex->compiled = false;
	return e;
}

struct lex_entry *lex_add(struct lex *lex, const struct lex_entry_spec *spec, const char *file,
			  unsigned long line)
{
	return entry_add(lex, spec, name_copy(lex, file), line);
}

const struct lex_entry *lex_find(const struct lex *lex, const char *term)
{
	struct words w;
	const struct lex_entry *e = NULL;

	if (!strncmp(term, "re:", 3))
		return regex_lookup(lex, term);
	if (!term_words(term, &w))
		e = words_lookup(lex, &w);
	words_release(&w);
	return e;
}

/* ====== Loading ====== */

#define MAX_FIELDS 6

/* Split 'line' (modified) at tabs, trimming spaces; returns the field count (up to MAX_FIELDS + 1). */
static size_t split_fields(char *line, char **f)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		char *tab = strchr(p, '\t'), *end = tab ? tab : p + strlen(p);

		if (tab)
			*tab = '\0';
		while (*p == ' ')
			p++;
		while (end > p && end[-1] == ' ')
			*--end = '\0';
		if (n <= MAX_FIELDS)
			f[n] = p;
		n++;
		if (!tab)
			break;
		p = tab + 1;
	}
	return n > MAX_FIELDS ? MAX_FIELDS + 1 : n;
}

static int parse_weight(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(*out) || !(*out > 0 && *out <= 10))
		return -1;
	return 0;
}

struct line_iter {
	const char *text;
	size_t len, pos;
	unsigned long lineno;
};

/* Next line [*s, *s + *n) without its newline (and '\r'); false at the end. */
static bool next_line(struct line_iter *it, const char **s, size_t *n)
{
	const char *nl;
	size_t e;

	if (it->pos >= it->len)
		return false;
	*s = it->text + it->pos;
	nl = memchr(*s, '\n', it->len - it->pos);
	e = nl ? (size_t)(nl - it->text) : it->len;
	*n = e - it->pos;
	it->pos = nl ? e + 1 : it->len;
	if (*n && (*s)[*n - 1] == '\r')
		(*n)--;
	it->lineno++;
	return true;
}

/* Pass 1: declare the file's categories, so entries may come before their @category line. */
static void declare_categories(struct lex *lex, const char *file, const char *text, size_t len)
{
	struct line_iter it = { text, len, 0, 0 };
	const char *s;
	size_t n;

	while (next_line(&it, &s, &n)) {
		char buf[LEX_MAX_LINE + 1], *f[MAX_FIELDS + 1];
		size_t nf;

		if (n > LEX_MAX_LINE || n < 10 || strncmp(s, "@category\t", 10) ||
		    memchr(s, '\0', n) || !utf8_valid(s, n))
			continue;
		memcpy(buf, s, n);
		buf[n] = '\0';
		nf = split_fields(buf, f);
		if ((nf == 2 || nf == 3) && valid_category_name(f[1]) && !lex_category_find(lex, f[1]))
			category_new(lex, f[1], nf == 3 ? f[2] : "", file, it.lineno);
	}
}

static int load_text(struct lex *lex, struct lex_file *lf, const char *text, size_t len)
{
	const char *file = lf->path;
	struct line_iter it = { text, len, 0, 0 };
	const char *s;
	size_t n;
	int bad = 0;

	declare_categories(lex, file, text, len);
	while (next_line(&it, &s, &n)) {
		unsigned long ln = it.lineno;
		char buf[LEX_MAX_LINE + 1], *f[MAX_FIELDS + 1];
		struct lex_entry_spec sp = { 0 };
		size_t nf, k;

		if (n > LEX_MAX_LINE) {
			bad = error("%s:%lu: line of %zu bytes is longer than the limit of %d", file,
				    ln, n, LEX_MAX_LINE);
			continue;
		}
		if (memchr(s, '\0', n)) {
			bad = error("%s:%lu: NUL byte in line", file, ln);
			continue;
		}
		if ((k = utf8_valid_prefix(s, n)) != n) {
			bad = error("%s:%lu: invalid UTF-8 at byte %zu of the line", file, ln, k + 1);
			continue;
		}
		for (k = 0; k < n && (s[k] == ' ' || s[k] == '\t'); k++)
			;
		if (k == n || s[k] == '#')
			continue;
		memcpy(buf, s, n);
		buf[n] = '\0';
		nf = split_fields(buf, f);
		if (f[0][0] == '@') {
			const struct lex_category *c;

			if (strcmp(f[0], "@category")) {
				bad = error("%s:%lu: unknown directive '%s' (only @category)", file, ln,
					    f[0]);
			} else if (nf < 2 || nf > 3) {
				bad = error("%s:%lu: expected '@category<TAB>NAME<TAB>description', got "
					    "%zu fields",
					    file, ln, nf);
			} else if (!valid_category_name(f[1])) {
				bad = error("%s:%lu: bad category name '%s' (lower-case letters, digits "
					    "and '_')",
					    file, ln, f[1]);
			} else if ((c = lex_category_find(lex, f[1])) && c->file == file &&
				   c->line != ln) {
				bad = error("%s:%lu: category '%s' already declared at line %lu", file,
					    ln, f[1], c->line);
			}
			continue;
		}
		if (!strcmp(f[0], "term"))
			continue; /* a header line */
		if (nf < 3 || nf > MAX_FIELDS) {
			bad = error("%s:%lu: expected 3 to 6 tab-separated fields (term, category, "
				    "weight, alternative, exclude, note), got %s%zu",
				    file, ln, nf > MAX_FIELDS ? "more than " : "",
				    nf > MAX_FIELDS ? (size_t)MAX_FIELDS : nf);
			continue;
		}
		sp.term = f[0];
		sp.category = f[1];
		if (parse_weight(f[2], &sp.weight) < 0) {
			bad = error("%s:%lu: bad weight '%s' (a number > 0 and <= 10)", file, ln, f[2]);
			continue;
		}
		sp.alternative = nf > 3 ? f[3] : NULL;
		sp.exclude = nf > 4 ? f[4] : NULL;
		sp.note = nf > 5 ? f[5] : NULL;
		if (!entry_add(lex, &sp, file, ln))
			bad = -1;
		else
			lf->entries++;
	}
	return bad;
}

static struct lex_file *file_new(struct lex *lex, const char *path, const char *text, size_t len)
{
	struct lex_file *lf;
	size_t i;

	for (i = 0; i < lex->nfiles; i++)
		if (!strcmp(lex->files[i].path, path)) {
			error("lexicon '%s' loaded twice", path);
			return NULL;
		}
	tables(lex);
	xgrow(&lex->files, &lex->capfiles, lex->nfiles + 1, sizeof(*lex->files));
	lf = &lex->files[lex->nfiles++];
	memset(lf, 0, sizeof(*lf));
	lf->path = xstrdup(path);
	lf->base = basename_of(lf->path);
	sha256_hex_of(text, len, lf->hash);
	return lf;
}

int lex_load_buffer(struct lex *lex, const char *name, const char *text, size_t len)
{
	struct lex_file *lf = file_new(lex, name, text, len);

	return lf ? load_text(lex, lf, text, len) : -1;
}

int lex_load(struct lex *lex, const char *path)
{
	char *buf;
	size_t len;
	int ret;

	if (file_read(path, FILE_MAX_DATA, &buf, &len) < 0)
		return -1;
	ret = lex_load_buffer(lex, path, buf, len);
	free(buf);
	return ret;
}

int lex_compile(struct lex *lex)
{
	struct tables *tb = tables(lex);
	size_t i;

	if (!tb->mctx) {
		tb->mctx = pcre2_match_context_create(NULL);
		if (!tb->mctx)
			die("out of memory");
		pcre2_set_match_limit(tb->mctx, LEX_MATCH_LIMIT);
		pcre2_set_depth_limit(tb->mctx, LEX_DEPTH_LIMIT);
		pcre2_set_heap_limit(tb->mctx, LEX_HEAP_LIMIT_KIB);
	}
	/* Without JIT support the interpreter runs the same patterns, only slower. */
	for (i = 0; i < tb->nregex; i++)
		pcre2_jit_compile(lex->entries[tb->regex[i]]->re, PCRE2_JIT_COMPLETE);
	lex->compiled = true;
	return 0;
}

/* ====== Matching ====== */

struct tok {
	uint64_t h;           /* hash_key(0, folded word): the root lookup */
	uint32_t start, end;
	uint32_t foff, flen;  /* folded bytes in scratch->fold */
	bool joined;          /* the gap from the previous word may continue a phrase */
};

struct scratch {
	struct tok *t;
	size_t nt, capt;
	char *fold;
	size_t capfold;
	struct lex_match *cand;
	size_t ncand, capcand;
	pcre2_match_data *md;
};

/*
 * Cut 'text' into words with the rules of lex_next_word(), folded and hashed
 * once. Plain ASCII words (most of any article) take a fast path; anything
 * else goes through lex_next_word() itself, so both agree by construction.
 */
static void tokenise(const char *text, size_t len, struct scratch *sc)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t pos = 0, used = 0, prev_end = 0;

	sc->nt = 0;
	xgrow(&sc->fold, &sc->capfold, len + 1, 1);
	while (pos < len) {
		size_t s, e, k;
		bool ascii = false;
		struct tok *t;

		/* Bytes lex_next_word() would skip too: ASCII that is neither a word nor an apostrophe. */
		while (pos < len && u[pos] < 0x80 && !ascii_word(u[pos]) && u[pos] != '\'')
			pos++;
		if (pos >= len)
			break;
		if (ascii_word(u[pos])) {
			s = pos;
			while (pos < len && ascii_word(u[pos]))
				pos++;
			if (pos < len && (u[pos] >= 0x80 || u[pos] == '\'')) {
				pos = s;
				lex_next_word(text, len, &pos, &s, &e);
			} else {
				e = pos;
				ascii = true;
			}
		} else if (!lex_next_word(text, len, &pos, &s, &e)) {
			break;
		}
		if (sc->nt == sc->capt)
			xgrow(&sc->t, &sc->capt, sc->nt + 1, sizeof(*sc->t));
		t = &sc->t[sc->nt];
		t->start = (uint32_t)s;
		t->end = (uint32_t)e;
		t->foff = (uint32_t)used;
		if (ascii) {
			char *o = sc->fold + used;
			uint64_t h = hash_seed(0), acc = 0;
			size_t i;

			for (k = s, i = 0; k < e; k++, i++) {
				unsigned char c = (unsigned char)(u[k] >= 'A' && u[k] <= 'Z' ? u[k] + 32 : u[k]);

				*o++ = (char)c;
				acc |= (uint64_t)c << (8 * (i & 7));
				if ((i & 7) == 7) {
					h = hash_mix(h, acc);
					acc = 0;
				}
			}
			if (i & 7)
				h = hash_mix(h, acc);
			t->flen = (uint32_t)(e - s);
			t->h = hash_final(h, t->flen);
		} else {
			t->flen = (uint32_t)lex_fold(text + s, e - s, sc->fold + used);
			t->h = hash_key(0, sc->fold + used, t->flen);
		}
		used += t->flen;
		t->joined = sc->nt && ((s == prev_end + 1 && u[prev_end] == ' ') ||
				       gap_joins(text, prev_end, s));
		prev_end = e;
		sc->nt++;
	}
}

static bool ctx_word_is(const struct ctx_word *cw, const char *w, size_t n)
{
	if (cw->number)
		return n > 0 && w[0] >= '0' && w[0] <= '9';
	if (cw->prefix)
		return n >= cw->len && !memcmp(w, cw->w, cw->len);
	return n == cw->len && !memcmp(w, cw->w, n);
}

/*
 * Whether an exclusion context of 'e' surrounds text[start, end), whose
 * words before it end at token 'bi' - 1 and whose words after start at 'ai'.
 */
static bool excluded(const struct lex_entry *e, const char *text, const struct scratch *sc,
		     size_t start, size_t end, size_t bi, size_t ai)
{
	size_t c, k;

	for (c = 0; c < e->nctx; c++) {
		const struct lex_context *x = &e->ctx[c];
		bool ok = true;

		if (x->nbefore > bi)
			continue;
		for (k = 0; ok && k < x->nbefore; k++) {
			const struct tok *t = &sc->t[bi - x->nbefore + k];
			size_t next = k + 1 < x->nbefore ? t[1].start : start;

			ok = ctx_word_is(&x->before[k], sc->fold + t->foff, t->flen) &&
			     t->end <= next && gap_joins(text, t->end, next);
		}
		if (!ok || ai + x->nafter > sc->nt)
			continue;
		for (k = 0; ok && k < x->nafter; k++) {
			const struct tok *t = &sc->t[ai + k];
			size_t prev = k ? t[-1].end : end;

			ok = ctx_word_is(&x->after[k], sc->fold + t->foff, t->flen) &&
			     prev <= t->start &&
			     (x->after[k].number ? gap_number(text, prev, t->start) :
						   gap_joins(text, prev, t->start));
		}
		if (ok)
			return true;
	}
	return false;
}

static void cand_add(struct scratch *sc, size_t start, size_t end, const struct lex_entry *e)
{
	xgrow(&sc->cand, &sc->capcand, sc->ncand + 1, sizeof(*sc->cand));
	sc->cand[sc->ncand].start = start;
	sc->cand[sc->ncand].end = end;
	sc->cand[sc->ncand].entry = e;
	sc->ncand++;
}

/* Longest first; on equal length the entry loaded first. */
static int cmp_local(const void *a, const void *b)
{
	const struct lex_match *x = a, *y = b;

	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return x->entry->index < y->entry->index ? -1 : x->entry->index > y->entry->index;
}

static int cmp_match(const void *a, const void *b)
{
	const struct lex_match *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return cmp_local(a, b);
}

/* Whether a root prefix entry may match the folded word 'w' (a filter: false means none does). */
static bool root_wild_may(const struct tables *tb, const char *w, size_t n)
{
	unsigned b;

	if (tb->root_wild1[(unsigned char)w[0] >> 3] & (1u << (w[0] & 7)))
		return true;
	if (n < 2)
		return false;
	b = (unsigned char)w[0] << 8 | (unsigned char)w[1];
	return tb->root_wild2[b >> 3] & (1u << (b & 7));
}

/* Entries matching from word 'i': appended to sc->cand (end holds the last word's index). */
static void walk(const struct lex *lex, struct scratch *sc, size_t i)
{
	const struct tables *tb = lex->priv;
	uint32_t node = 0;
	size_t j = i;

	for (;;) {
		const struct tok *w = &sc->t[j];
		const char *fw = sc->fold + w->foff;
		const struct slot *s;

		if ((tb->nodes[node].flags & NODE_WILD) && (node || root_wild_may(tb, fw, w->flen))) {
			size_t kl;

			for (kl = 1; kl <= 3 && kl <= w->flen; kl++) {
				uint32_t c;

				if (!(tb->wild_lens & (1u << kl)))
					continue;
				s = table_get(&tb->wild, tb->arena, node, fw, kl);
				for (c = s ? s->val : 0; c; c = tb->wilds[c - 1].next) {
					const struct wild *wd = &tb->wilds[c - 1];

					if (wd->klen <= w->flen &&
					    !memcmp(tb->arena + wd->koff, fw, wd->klen))
						cand_add(sc, i, j, lex->entries[wd->entry]);
				}
			}
		}
		if (!(tb->nodes[node].flags & NODE_EXACT))
			break;
		if (node == 0) {
			if (!(tb->root_filter[w->h >> 51] & (1u << ((w->h >> 48) & 7))))
				break;
			s = table_find(&tb->exact, tb->arena, w->h, 0, fw, w->flen);
			if (!s->val)
				break;
		} else if (!(s = table_get(&tb->exact, tb->arena, node, fw, w->flen))) {
			break;
		}
		node = s->val;
		if (tb->nodes[node].entry)
			cand_add(sc, i, j, lex->entries[tb->nodes[node].entry - 1]);
		if (j + 1 >= sc->nt || !sc->t[j + 1].joined || !tb->nodes[node].flags)
			break;
		j++;
	}
}

/* First word starting at or after 'off' (binary search). */
static size_t tok_at_or_after(const struct scratch *sc, size_t off)
{
	size_t lo = 0, hi = sc->nt;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sc->t[mid].start < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int run_regexes(const struct lex *lex, const char *text, size_t len, struct scratch *sc)
{
	const struct tables *tb = lex->priv;
	size_t r;

	if (!tb->nregex)
		return 0;
	if (!utf8_valid(text, len))
		return error("text is not valid UTF-8; regex entries cannot run");
	if (!sc->md && !(sc->md = pcre2_match_data_create(1, NULL)))
		die("out of memory");
	for (r = 0; r < tb->nregex; r++) {
		const struct lex_entry *e = lex->entries[tb->regex[r]];
		size_t off = 0;

		while (off <= len) {
			PCRE2_SIZE *ov;
			int rc = pcre2_match(e->re, (PCRE2_SPTR)text, len, off, PCRE2_NO_UTF_CHECK,
					     sc->md, tb->mctx);

			if (rc == PCRE2_ERROR_NOMATCH)
				break;
			if (rc < 0) {
				PCRE2_UCHAR msg[256];
				char at[600];

				pcre2_get_error_message(rc, msg, sizeof(msg));
				where(e, at, sizeof(at));
				return error("regex entry '%s' (%s) failed: %s", e->term, at,
					     (const char *)msg);
			}
			ov = pcre2_get_ovector_pointer(sc->md);
			if (ov[1] <= ov[0]) {
				/* \K or a lookbehind can still give an empty match: step over one character. */
				off = ov[0] + 1;
				while (off < len && ((unsigned char)text[off] & 0xC0) == 0x80)
					off++;
				continue;
			}
			if (e->nctx) {
				size_t bi = tok_at_or_after(sc, ov[0]), ai = tok_at_or_after(sc, ov[1]);

				if (excluded(e, text, sc, ov[0], ov[1], bi, ai)) {
					off = ov[1];
					continue;
				}
			}
			cand_add(sc, ov[0], ov[1], e);
			off = ov[1];
		}
	}
	return 0;
}

long lex_match(const struct lex *lex, const char *text, size_t len, unsigned flags,
	       struct lex_matches *out)
{
	const struct tables *tb = lex->priv;
	struct scratch *sc;
	size_t i, k, first, nwords;
	bool sorted = true;

	out->n = 0;
	if (!tb || !lex->n)
		return 0;
	if (!lex->compiled)
		return error("lexicon used before lex_compile()");
	if (len > UINT32_MAX)
		return error("text of %zu bytes is too long to match", len);
	if (!out->scratch)
		out->scratch = xcalloc(1, sizeof(struct scratch));
	sc = out->scratch;
	sc->ncand = 0;
	tokenise(text, len, sc);
	for (i = 0; i < sc->nt; i++) {
		first = sc->ncand;
		walk(lex, sc, i);
		if (sc->ncand == first)
			continue;
		/* Turn word indexes into byte offsets, longest first, and drop excluded ones. */
		for (k = first; k < sc->ncand; k++) {
			sc->cand[k].start = sc->t[i].start;
			sc->cand[k].end = sc->t[sc->cand[k].end].end;
		}
		if (sc->ncand - first > 1)
			qsort(sc->cand + first, sc->ncand - first, sizeof(*sc->cand), cmp_local);
		nwords = first;
		for (k = first; k < sc->ncand; k++) {
			struct lex_match m = sc->cand[k];

			if (m.entry->nctx && excluded(m.entry, text, sc, m.start, m.end, i,
						      tok_at_or_after(sc, m.end)))
				continue;
			sc->cand[nwords++] = m;
			if (!(flags & LEX_OVERLAP))
				break;
		}
		sc->ncand = nwords;
	}
	first = sc->ncand;
	if (run_regexes(lex, text, len, sc) < 0) {
		sc->ncand = 0;
		return -1;
	}
	if (sc->ncand > first)
		sorted = false;
	if (!sorted)
		qsort(sc->cand, sc->ncand, sizeof(*sc->cand), cmp_match);
	xgrow(&out->v, &out->cap, sc->ncand, sizeof(*out->v));
	if (flags & LEX_OVERLAP) {
		if (sc->ncand) /* both may still be NULL */
			memcpy(out->v, sc->cand, sc->ncand * sizeof(*sc->cand));
		out->n = sc->ncand;
	} else {
		size_t last_end = 0;

		for (k = 0; k < sc->ncand; k++) {
			if (k && sc->cand[k].start < last_end)
				continue;
			out->v[out->n++] = sc->cand[k];
			last_end = sc->cand[k].end;
		}
	}
	return (long)out->n;
}

void lex_matches_release(struct lex_matches *m)
{
	struct scratch *sc = m->scratch;

	if (sc) {
		free(sc->t);
		free(sc->fold);
		free(sc->cand);
		if (sc->md)
			pcre2_match_data_free(sc->md);
		free(sc);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

void lex_release(struct lex *lex)
{
	struct tables *tb = lex->priv;
	size_t i;

	for (i = 0; i < lex->n; i++)
		entry_free(lex->entries[i]);
	free(lex->entries);
	for (i = 0; i < lex->ncats; i++) {
		free(lex->cats[i]->name);
		free(lex->cats[i]->description);
		free(lex->cats[i]);
	}
	free(lex->cats);
	for (i = 0; i < lex->nfiles; i++)
		free(lex->files[i].path);
	free(lex->files);
	if (tb) {
		free(tb->arena);
		free(tb->nodes);
		free(tb->exact.s);
		free(tb->wild.s);
		free(tb->wilds);
		free(tb->regex);
		for (i = 0; i < tb->nnames; i++)
			free(tb->names[i]);
		free(tb->names);
		if (tb->mctx)
			pcre2_match_context_free(tb->mctx);
		free(tb);
	}
	memset(lex, 0, sizeof(*lex));
}
