/* register.c -- the outlet register: load and validate, look up, match in text. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slant/file.h"
#include "slant/lex.h"
#include "slant/register.h"
#include "slant/text.h"
#include "slant/usage.h"
#include "slant/utf8.h"

#define REG_MAX_LINE 16384

enum { F_ID, F_NAME, F_ALIASES, F_DOMAINS, F_COUNTRY, F_KIND, F_OWNERSHIP, F_CONTROL, F_SMM,
       F_CONFLICT, F_PARENT, F_MATCH, F_FLAGS, F_SOURCE, F_CHECKED, NFIELDS };

static const char *const field_names[NFIELDS] = {
	"id", "name", "aliases", "domains", "country", "kind", "ownership", "control",
	"smm_typology", "conflict_party", "parent", "match", "flags", "source", "checked",
};

/* The flags an entry may carry (docs/register.md). */
static const char *const flag_names[] = { "self_describing", NULL };

static const char *const kinds[] = {
	"news_outlet", "wire_agency", "broadcaster", "government_body", "military_intelligence",
	"party", "advocacy_group", "academic", "think_tank", "company", "ngo", "international_org",
	NULL,
};
static const char *const ownerships[] = {
	"state_owned", "state_funded_public", "government_funded_international", "public_service",
	"private", "non_profit", "advocacy", "party_owned", "unknown", NULL,
};
static const char *const controls[] = {
	"", "state_controlled", "captured", "independent", "unknown", NULL,
};
/* The State Media Matrix codes; "ISFM?" is the matrix's own uncertain ISFM. */
static const char *const smm_codes[] = {
	"", "SC", "CaPu", "CaPr", "ISFM", "ISFM?", "ISF", "ISM", "IP", NULL,
};

/* ====== Hash tables: string key -> pointer ====== */

struct slot {
	char *key;
	void *val;
};

struct table {
	struct slot *s;
	size_t cap, n;        /* cap is a power of two */
};

struct reg_priv {
	struct table ids, names, domains;
	struct reg_alias **aliases; /* every alias object, for freeing */
	size_t naliases, capaliases;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static struct slot *table_slot(const struct table *t, const char *key)
{
	size_t i;

	if (!t->cap)
		return NULL;
	for (i = hash_str(key) & (t->cap - 1);; i = (i + 1) & (t->cap - 1))
		if (!t->s[i].key || !strcmp(t->s[i].key, key))
			return &t->s[i];
}

static void *table_get(const struct table *t, const char *key)
{
	struct slot *s = table_slot(t, key);

	return s && s->key ? s->val : NULL;
}

/* Insert 'key' (copied) unless present; returns the slot's value (existing or 'val'). */
static void *table_put(struct table *t, const char *key, void *val)
{
	struct slot *s;

	if ((t->n + 1) * 2 > t->cap) {
		struct table bigger = { 0 };
		size_t i;

		bigger.cap = t->cap ? t->cap * 2 : 256;
		bigger.s = xcalloc(bigger.cap, sizeof(*bigger.s));
		for (i = 0; i < t->cap; i++) {
			if (t->s[i].key) {
				*table_slot(&bigger, t->s[i].key) = t->s[i];
				bigger.n++;
			}
		}
		free(t->s);
		*t = bigger;
	}
	s = table_slot(t, key);
	if (s->key)
		return s->val;
	s->key = xstrdup(key);
	s->val = val;
	t->n++;
	return val;
}

static void table_release(struct table *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->s[i].key);
	free(t->s);
	memset(t, 0, sizeof(*t));
}

static struct reg_priv *priv(struct reg *r)
{
	if (!r->priv)
		r->priv = xcalloc(1, sizeof(struct reg_priv));
	return r->priv;
}

/* ====== Text normalisation shared by the register and the text ====== */

static bool alnum_at(const char *t, size_t len, size_t i)
{
	unsigned char c;

	if (i >= len)
		return false;
	c = (unsigned char)t[i];
	return isalnum(c) || c >= 0x80;
}

/*
 * Blank the punctuation that may stand inside a name, keeping every offset:
 * '.', '/', ':' between letters or digits ("RFE/RL", "Lenta.ru", "UA:PBC"),
 * the dots of initials ("U.S.", "F.A.Z."), and '&' and ','. The lexicon
 * engine then sees words separated by spaces, in names and in text alike.
 */
static void normalize(const char *in, size_t len, char *out)
{
	/* The bytes that may be blanked: one well-predicted test per byte of the text. */
	static const bool may_blank[256] = {
		['&'] = true, [','] = true, ['.'] = true, ['/'] = true, [':'] = true,
	};
	size_t i;

	memcpy(out, in, len);
	for (i = 0; i < len; i++) {
		char c = in[i];

		if (!may_blank[(unsigned char)c])
			continue;
		if (c == '&' || c == ',') {
			out[i] = ' ';
		} else if (c == '.' || c == '/' || c == ':') {
			if (i > 0 && alnum_at(in, len, i - 1) && alnum_at(in, len, i + 1))
				out[i] = ' ';
			else if (c == '.' && i > 0 && isupper((unsigned char)in[i - 1]) &&
				 (i == 1 || !isalpha((unsigned char)in[i - 2])))
				out[i] = ' ';
		}
	}
}

/* The folded key of a name: its words, folded, joined by one space. Caller frees. */
static char *name_key(const char *name)
{
	size_t len = strlen(name), pos = 0, s, e, o = 0;
	/* A possessive "'s" is a word of its own, so a key may need a space more per word. */
	char *norm = xmalloc(len + 1), *key = xmalloc(2 * len + 1);

	normalize(name, len, norm);
	while (lex_next_word(norm, len, &pos, &s, &e)) {
		if (o)
			key[o++] = ' ';
		o += lex_fold(norm + s, e - s, key + o);
	}
	key[o] = '\0';
	free(norm);
	return key;
}

/* ====== Loading ====== */

static bool in_set(const char *const *set, const char *v)
{
	for (; *set; set++)
		if (!strcmp(*set, v))
			return true;
	return false;
}

static bool valid_id(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
			return false;
	return true;
}

static bool valid_domain(const char *s)
{
	const char *dot = strchr(s, '.');

	if (!dot || s[0] == '.' || s[strlen(s) - 1] == '.' || strstr(s, ".."))
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' ||
		      *s == '.'))
			return false;
	return true;
}

/* Split 's' on '|' into a new array of copies; '*n' gets the count ("" gives 0). */
static char **split_list(const char *s, size_t *n)
{
	*n = 0;
	return *s ? text_split(s, strlen(s), '|', n) : NULL;
}

static void entry_release(struct reg_entry *e)
{
	free(e->id);
	free(e->name);
	text_list_free(e->aliases, e->naliases);
	text_list_free(e->domains, e->ndomains);
	free(e->country);
	free(e->kind);
	free(e->ownership);
	free(e->control);
	free(e->smm);
	free(e->conflict);
	free(e->parent);
	free(e->source);
}

/* Check one line's fields; report each problem. Returns the number found. */
static int check_fields(const char *file, unsigned long line, char **f)
{
	int bad = 0;
	size_t i, j, n;
	char **v;

	if (!valid_id(f[F_ID]))
		bad += error_at(file, line, "id '%s' must be lower-case letters, digits and '-'",
				f[F_ID]) < 0;
	if (!*f[F_NAME])
		bad += error_at(file, line, "empty name") < 0;
	v = split_list(f[F_ALIASES], &n);
	for (i = 0; i < n; i++) {
		char *ki = name_key(v[i]);

		if (!*ki)
			bad += error_at(file, line, "alias %zu is empty or has no words", i + 1) < 0;
		for (j = 0; j < i && *ki; j++) {
			char *kj = name_key(v[j]);

			if (!strcmp(ki, kj))
				bad += error_at(file, line, "alias '%s' repeats alias '%s'", v[i],
						v[j]) < 0;
			free(kj);
		}
		if (*ki) {
			char *kn = name_key(f[F_NAME]);

			if (!strcmp(ki, kn))
				bad += error_at(file, line, "alias '%s' repeats the name", v[i]) < 0;
			free(kn);
		}
		free(ki);
	}
	text_list_free(v, n);
	v = split_list(f[F_DOMAINS], &n);
	for (i = 0; i < n; i++) {
		if (!valid_domain(v[i]))
			bad += error_at(file, line,
					"domain '%s' is not a lower-case host name (no scheme, path or 'www.')",
					v[i]) < 0;
		else if (!strncmp(v[i], "www.", 4))
			bad += error_at(file, line, "domain '%s': leave out 'www.'", v[i]) < 0;
	}
	text_list_free(v, n);
	if (*f[F_COUNTRY] && !(strlen(f[F_COUNTRY]) == 2 && isupper((unsigned char)f[F_COUNTRY][0]) &&
			       isupper((unsigned char)f[F_COUNTRY][1])))
		bad += error_at(file, line, "country '%s' is not an ISO 3166 alpha-2 code",
				f[F_COUNTRY]) < 0;
	if (!in_set(kinds, f[F_KIND]))
		bad += error_at(file, line, "unknown kind '%s'", f[F_KIND]) < 0;
	if (!in_set(ownerships, f[F_OWNERSHIP]))
		bad += error_at(file, line, "unknown ownership '%s'", f[F_OWNERSHIP]) < 0;
	if (!in_set(controls, f[F_CONTROL]))
		bad += error_at(file, line, "unknown control '%s'", f[F_CONTROL]) < 0;
	if (!in_set(smm_codes, f[F_SMM]))
		bad += error_at(file, line, "unknown State Media Matrix code '%s'", f[F_SMM]) < 0;
	if (*f[F_CONFLICT]) {
		const char *colon = strstr(f[F_CONFLICT], ": ");

		if (!colon || colon == f[F_CONFLICT] || !colon[2])
			bad += error_at(file, line, "conflict party '%s' is not 'CONFLICT: PARTY'",
					f[F_CONFLICT]) < 0;
	}
	if (*f[F_PARENT] && !valid_id(f[F_PARENT]))
		bad += error_at(file, line, "parent '%s' is not an id", f[F_PARENT]) < 0;
	if (strcmp(f[F_MATCH], "text") && strcmp(f[F_MATCH], "meta"))
		bad += error_at(file, line, "match '%s' must be 'text' or 'meta'", f[F_MATCH]) < 0;
	v = split_list(f[F_FLAGS], &n);
	for (i = 0; i < n; i++)
		if (!in_set(flag_names, v[i]))
			bad += error_at(file, line, "unknown flag '%s' (self_describing)", v[i]) < 0;
	text_list_free(v, n);
	if (!*f[F_SOURCE])
		bad += error_at(file, line, "no source: say where the facts come from") < 0;
	if (strcmp(f[F_CHECKED], "yes") && strcmp(f[F_CHECKED], "no"))
		bad += error_at(file, line, "checked '%s' must be 'yes' or 'no'", f[F_CHECKED]) < 0;
	return bad;
}

static const char *remember_file(struct reg *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i], name))
			return r->files[i];
	r->files = xrealloc(r->files, (r->nfiles + 1) * sizeof(*r->files));
	r->files[r->nfiles] = xstrdup(name);
	return r->files[r->nfiles++];
}

/* Parse one data line (NUL-terminated, no newline). Returns 0 or -1 (reported). */
static int load_line(struct reg *r, const char *file, unsigned long line, char *s)
{
	char *f[NFIELDS];
	size_t n = 0, i;
	struct reg_entry *e;
	struct reg_priv *p = priv(r);

	for (;;) {
		char *tab = strchr(s, '\t');

		if (n < NFIELDS)
			f[n] = s;
		n++;
		if (!tab)
			break;
		*tab = '\0';
		s = tab + 1;
	}
	if (n != NFIELDS)
		return error_at(file, line, "%zu fields, expected %d (tab-separated)", n, NFIELDS);
	for (i = 0; i < NFIELDS; i++) {
		size_t l = strlen(f[i]);

		if (l && (isspace((unsigned char)f[i][0]) || isspace((unsigned char)f[i][l - 1])))
			return error_at(file, line, "field '%s' has leading or trailing spaces",
					field_names[i]);
	}
	if (check_fields(file, line, f))
		return -1;
	if (table_get(&p->ids, f[F_ID])) {
		const struct reg_entry *o = &r->v[(size_t)table_get(&p->ids, f[F_ID]) - 1];

		return error_at(file, line, "duplicate id '%s' (first at %s:%lu)", f[F_ID], o->file,
				o->line);
	}
	xgrow(&r->v, &r->cap, r->n + 1, sizeof(*r->v));
	e = &r->v[r->n];
	memset(e, 0, sizeof(*e));
	e->id = xstrdup(f[F_ID]);
	e->name = xstrdup(f[F_NAME]);
	e->aliases = split_list(f[F_ALIASES], &e->naliases);
	e->domains = split_list(f[F_DOMAINS], &e->ndomains);
	e->country = xstrdup(f[F_COUNTRY]);
	e->kind = xstrdup(f[F_KIND]);
	e->ownership = xstrdup(f[F_OWNERSHIP]);
	e->control = xstrdup(f[F_CONTROL]);
	e->smm = xstrdup(f[F_SMM]);
	e->conflict = xstrdup(f[F_CONFLICT]);
	e->parent = xstrdup(f[F_PARENT]);
	e->meta_only = !strcmp(f[F_MATCH], "meta");
	e->self_describing = strstr(f[F_FLAGS], "self_describing") != NULL;
	e->source = xstrdup(f[F_SOURCE]);
	e->checked = !strcmp(f[F_CHECKED], "yes");
	e->file = remember_file(r, file);
	e->line = line;
	r->n++;
	/* Entries move when 'v' grows: tables hold 1-based indexes, not pointers. */
	table_put(&p->ids, e->id, (void *)(uintptr_t)r->n);
	return 0;
}

int reg_load_buffer(struct reg *r, const char *name, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	unsigned long line = 0;
	bool header = false;
	int bad = 0;
	char *buf;

	if (r->compiled)
		return error("%s: register loaded after reg_compile()", name);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		line++;
		if (l && p[l - 1] == '\r')
			l--;
		if (l > REG_MAX_LINE) {
			bad = error_at(name, line, "line of %zu bytes is longer than %d", l,
				       REG_MAX_LINE);
		} else if (memchr(p, '\0', l) || !utf8_valid(p, l)) {
			bad = error_at(name, line, "invalid UTF-8 or NUL byte");
		} else if (l && p[0] != '#') {
			buf = xstrndup(p, l);
			if (!header) {
				char expect[256];
				size_t i, o = 0;

				for (i = 0; i < NFIELDS; i++)
					o += (size_t)snprintf(expect + o, sizeof(expect) - o, "%s%s",
							      i ? "\t" : "", field_names[i]);
				if (strcmp(buf, expect))
					bad = error_at(name, line,
						       "expected the header line '%s' (tab-separated)",
						       "id name aliases domains country kind ownership control smm_typology conflict_party parent match flags source checked");
				header = true;
			} else if (load_line(r, name, line, buf) < 0) {
				bad = -1;
			}
			free(buf);
		}
		p = nl ? nl + 1 : end;
	}
	if (!header)
		bad = error_at(name, line, "no header line: the register is empty");
	return bad ? -1 : 0;
}

int reg_load(struct reg *r, const char *path)
{
	char *buf;
	size_t len;
	int ret;

	if (file_read(path, FILE_MAX_DATA, &buf, &len) < 0)
		return -1;
	ret = reg_load_buffer(r, path, buf, len);
	free(buf);
	return ret;
}

/* ====== Compiling: cross-entry checks and the matcher ====== */

static bool short_caps(const char *s)
{
	size_t n = 0;

	for (; *s; s++) {
		if (!isupper((unsigned char)*s))
			return false;
		n++;
	}
	return n >= 1 && n <= 4;
}

/* Make 'written' a lexicon term whose data is 'a'. Returns -1 (reported). */
static int add_term(struct reg *r, const struct reg_entry *e, const char *written,
		    struct reg_alias *a)
{
	struct lex_entry_spec spec = { 0 };
	size_t len = strlen(written), i;
	char *norm = xmalloc(len + 1), *term;
	int ret = 0;

	normalize(written, len, norm);
	norm[len] = '\0';
	/*
	 * Punctuation a name may carry but text matching cannot ("Walla!",
	 * "+972 Magazine", "Morningstar, Inc."): the words are matched without it.
	 */
	for (i = 0; i < len; i++)
		if (ispunct((unsigned char)norm[i]) && norm[i] != '-' && norm[i] != '\'')
			norm[i] = ' ';
	for (term = norm; *term && !isalnum((unsigned char)*term) && (unsigned char)*term < 0x80; term++)
		;
	while (len > (size_t)(term - norm) && !isalnum((unsigned char)norm[len - 1]) &&
	       (unsigned char)norm[len - 1] < 0x80)
		norm[--len] = '\0';
	if (!*term) {
		free(norm);
		return 0;       /* no word to match: found by name lookups only */
	}
	spec.term = term;
	spec.category = "outlet";
	spec.weight = 1;
	spec.data = a;
	if (!lex_add(&r->lex, &spec, e->file, e->line))
		ret = -1;
	else
		a->in_lex = true;
	free(norm);
	return ret;
}

/*
 * Add 'written' (name or alias) of entry 'e' as a candidate. A meta-only
 * name is looked up by reg_by_name() but is no lexicon term, so it cannot
 * take words from a longer name in text ("The National Assembly ...").
 * Returns -1 (reported).
 */
static int add_alias(struct reg *r, struct reg_entry *e, const char *written, bool is_name)
{
	struct reg_priv *p = r->priv;
	char *key = name_key(written);
	struct reg_alias *a = table_get(&p->names, key);
	bool in_text = !(is_name && e->meta_only);
	size_t i;

	if (!a) {
		a = xcalloc(1, sizeof(*a));
		table_put(&p->names, key, a);
		xgrow(&p->aliases, &p->capaliases, p->naliases + 1, sizeof(*p->aliases));
		p->aliases[p->naliases++] = a;
	}
	free(key);
	for (i = 0; i < a->n; i++) {
		const struct reg_entry *o = a->cand[i].entry;

		if (o == e)
			return 0;
		if (!strcmp(o->country, e->country))
			return error_at(e->file, e->line,
					"'%s' also names '%s' (%s:%lu) of the same country '%s'; "
					"two entries of one country need different names",
					written, o->id, o->file, o->line, *e->country ? e->country : "(none)");
	}
	if (in_text && !a->in_lex && add_term(r, e, written, a) < 0)
		return -1;
	xgrow(&a->cand, &a->cap, a->n + 1, sizeof(*a->cand));
	a->cand[a->n].entry = e;
	a->cand[a->n].written = written;
	a->cand[a->n].is_name = is_name;
	a->cand[a->n].exact_case = short_caps(written);
	a->n++;
	return 0;
}

int reg_compile(struct reg *r)
{
	struct reg_priv *p = priv(r);
	int bad = 0;
	size_t i, j;

	if (r->compiled)
		return 0;
	lex_init(&r->lex);
	if (!lex_category_add(&r->lex, "outlet", "outlet or organisation of the register"))
		return -1;
	for (i = 0; i < r->n; i++) {
		struct reg_entry *e = &r->v[i];

		if (*e->parent && (!table_get(&p->ids, e->parent) || !strcmp(e->parent, e->id)))
			bad = error_at(e->file, e->line, "parent '%s' is not the id of another entry",
				       e->parent);
		for (j = 0; j < e->ndomains; j++) {
			const struct reg_entry *o = table_put(&p->domains, e->domains[j], e);

			if (o != e)
				bad = error_at(e->file, e->line, "domain '%s' already belongs to '%s' (%s:%lu)",
					       e->domains[j], o->id, o->file, o->line);
		}
		if (add_alias(r, e, e->name, true) < 0)
			bad = -1;
		for (j = 0; j < e->naliases; j++)
			if (add_alias(r, e, e->aliases[j], false) < 0)
				bad = -1;
	}
	if (bad)
		return -1;
	if (lex_compile(&r->lex) < 0)
		return -1;
	r->compiled = true;
	return 0;
}

/* ====== Lookups ====== */

const struct reg_entry *reg_by_id(const struct reg *r, const char *id)
{
	const struct reg_priv *p = r->priv;
	size_t i;

	if (!p)
		return NULL;
	i = (size_t)(uintptr_t)table_get(&p->ids, id);
	return i ? &r->v[i - 1] : NULL;
}

const struct reg_alias *reg_by_name(const struct reg *r, const char *name)
{
	const struct reg_priv *p = r->priv;
	const struct reg_alias *a;
	char *key;

	if (!p)
		return NULL;
	key = name_key(name);
	a = *key ? table_get(&p->names, key) : NULL;
	free(key);
	return a;
}

const struct reg_entry *reg_by_domain(const struct reg *r, const char *host)
{
	const struct reg_priv *p = r->priv;
	const struct reg_entry *e = NULL;
	const char *s = host, *d;
	char *h;
	size_t i, l;

	if (!p || !host)
		return NULL;
	if ((d = strstr(s, "://")))
		s = d + 3;
	l = strcspn(s, "/:?#");
	h = xstrndup(s, l);
	for (i = 0; h[i]; i++)
		h[i] = (char)tolower((unsigned char)h[i]);
	while (l && h[l - 1] == '.')
		h[--l] = '\0';
	s = h;
	if (!strncmp(s, "www.", 4))
		s += 4;
	/* Walk up: news.cctv.com, cctv.com; a bare TLD is never an entry's. */
	while (s && strchr(s, '.')) {
		if ((e = table_get(&p->domains, s)))
			break;
		s = strchr(s, '.');
		s = s ? s + 1 : NULL;
	}
	free(h);
	return e;
}

bool reg_state_affiliated(const struct reg_entry *e)
{
	return !strcmp(e->ownership, "state_owned") || !strcmp(e->ownership, "state_funded_public") ||
	       !strcmp(e->ownership, "government_funded_international") ||
	       !strcmp(e->control, "state_controlled") || !strcmp(e->control, "captured");
}

/* ====== Matching ====== */

/*
 * Whether the text's words [s, e) may be 'written': its capitalised words
 * (all but a leading "The") must be capitalised in the text, and a short
 * all-capitals alias must be there letter for letter.
 */
static bool case_ok(const char *norm, size_t s, size_t e, const struct reg_cand *c)
{
	size_t wl = strlen(c->written), wpos = 0, tpos = s, ws, we, ts, te, k = 0;
	/* Runs for every candidate of every mention: most names fit on the stack. */
	char buf[128], *w = wl < sizeof(buf) ? buf : xmalloc(wl + 1);
	bool ok = true;

	normalize(c->written, wl, w);
	w[wl] = '\0';
	while (ok && lex_next_word(w, wl, &wpos, &ws, &we)) {
		if (!lex_next_word(norm, e, &tpos, &ts, &te))
			break;
		if (c->exact_case) {
			ok = we - ws == te - ts && !memcmp(w + ws, norm + ts, we - ws);
		} else if (isupper((unsigned char)w[ws]) &&
			   !(k == 0 && we - ws == 3 && !strncmp(w + ws, "The", 3))) {
			ok = !islower((unsigned char)norm[ts]);
		}
		k++;
	}
	if (w != buf)
		free(w);
	return ok;
}

long reg_match(const struct reg *r, const char *text, size_t len, struct reg_matches *out)
{
	long n;
	size_t i, j;

	out->n = 0;
	if (!r->compiled)
		return error("register matched before reg_compile()");
	xgrow(&out->norm, &out->normcap, len + 1, 1);
	normalize(text, len, out->norm);
	out->norm[len] = '\0';
	n = lex_match(&r->lex, out->norm, len, 0, &out->lm);
	if (n < 0)
		return -1;
	for (i = 0; i < out->lm.n; i++) {
		const struct lex_match *lm = &out->lm.v[i];
		const struct reg_alias *a = lm->entry->data;
		struct reg_match m = { .start = lm->start, .end = lm->end };

		for (j = 0; j < a->n && m.ncand < REG_MAX_CAND; j++) {
			const struct reg_cand *c = &a->cand[j];

			if (c->is_name && c->entry->meta_only)
				continue;
			if (case_ok(out->norm, lm->start, lm->end, c))
				m.cand[m.ncand++] = c;
		}
		if (!m.ncand)
			continue;
		xgrow(&out->v, &out->cap, out->n + 1, sizeof(*out->v));
		out->v[out->n++] = m;
	}
	return (long)out->n;
}

void reg_matches_release(struct reg_matches *m)
{
	free(m->v);
	free(m->norm);
	lex_matches_release(&m->lm);
	memset(m, 0, sizeof(*m));
}

void reg_release(struct reg *r)
{
	struct reg_priv *p = r->priv;
	size_t i;

	for (i = 0; i < r->n; i++)
		entry_release(&r->v[i]);
	free(r->v);
	if (p) {
		for (i = 0; i < p->naliases; i++) {
			free(p->aliases[i]->cand);
			free(p->aliases[i]);
		}
		free(p->aliases);
		table_release(&p->ids);
		table_release(&p->names);
		table_release(&p->domains);
		free(p);
	}
	if (r->compiled || r->lex.n || r->lex.ncats)
		lex_release(&r->lex);
	for (i = 0; i < r->nfiles; i++)
		free(r->files[i]);
	free(r->files);
	memset(r, 0, sizeof(*r));
}
