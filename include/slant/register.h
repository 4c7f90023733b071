/*
 * register.h -- the register of outlets and organisations (docs/register.md).
 *
 * lexicons/outlets.tsv holds one entry a line: a stable id, the canonical
 * name, aliases and web domains, country, kind, ownership, editorial control,
 * the State Media Matrix typology, the conflict party, flags, the source of
 * the facts and whether they were checked against it. Loading validates every line ("FILE:LINE: message"); lookups go by
 * id, by name or alias (case-folded like the lexicons), and by domain; text
 * matching reuses the lexicon engine (lex.h), one lexicon term per distinct
 * alias, so an alias shared by entries of different countries ("ABC") is one
 * term with several candidates.
 *
 *   struct reg reg = REG_INIT;
 *   struct reg_matches m = REG_MATCHES_INIT;
 *
 *   if (reg_load(&reg, "lexicons/outlets.tsv") < 0 || reg_compile(&reg) < 0)
 *           exit(2);                   (every bad line was reported)
 *   e = reg_by_domain(&reg, "www.belta.by");
 *   reg_match(&reg, text, len, &m);    (m.v[i].cand[0]->entry->name)
 *   reg_matches_release(&m);
 *   reg_release(&reg);
 */
#ifndef SLANT_REGISTER_H
#define SLANT_REGISTER_H

#include <stdbool.h>
#include <stddef.h>

#include "slant/lex.h"

struct reg_entry {
	char *id;             /* [a-z0-9-]+, unique and stable */
	char *name;           /* canonical name */
	char **aliases;       /* as written; 'naliases' of them */
	size_t naliases;
	char **domains;       /* lower-case host names, without "www." */
	size_t ndomains;
	char *country;        /* ISO 3166-1 alpha-2 ("EU" too), or "" */
	char *kind;           /* news_outlet, wire_agency, broadcaster, ... */
	char *ownership;      /* state_owned, private, ... (docs/register.md) */
	char *control;        /* state_controlled, captured, independent, or "" */
	char *smm;            /* State Media Matrix typology code, or "" */
	char *conflict;       /* "russia-ukraine war: russia", or "" */
	char *parent;         /* id of the parent entry, or "" */
	bool meta_only;       /* match = meta: the name is not matched in text */
	bool self_describing; /* flag: the name says what it is ("Ministry of Defence") */
	char *source;         /* URLs of the pages stating the facts, ' ; '-separated */
	bool checked;         /* the facts were confirmed against a stored copy of the source */
	const char *file;     /* the file it was read from (owned by the reg) */
	unsigned long line;
};

/* One alias as the matcher knows it: all entries it may name. */
struct reg_cand {
	const struct reg_entry *entry;
	const char *written;  /* the alias or name as written in the register */
	bool is_name;         /* it is the entry's name, not an alias */
	bool exact_case;      /* an all-capitals alias of up to 4 letters ("RT", "WT") */
};

struct reg_alias {
	struct reg_cand *cand;
	size_t n, cap;
	bool in_lex;          /* a lexicon term (not only meta-only names) */
};

struct reg {
	struct reg_entry *v;  /* entries in file order */
	size_t n, cap;
	char **files;         /* paths loaded */
	size_t nfiles;
	struct lex lex;       /* one term per distinct folded alias; data = struct reg_alias */
	bool compiled;
	void *priv;           /* hash tables (lib/register.c) */
};

#define REG_INIT { 0 }

/*
 * Load the register file 'path' (may be called for several files). Every bad
 * line is reported as "FILE:LINE: message" and then -1 is returned; else 0.
 * Checks: the header, field count, id syntax and uniqueness, empty name,
 * empty or repeated alias, domain syntax and uniqueness, country code, kind,
 * ownership, control, typology code, conflict party ("conflict: party"),
 * match value, flags, missing source, checked value, invalid UTF-8; a file over FILE_MAX_DATA
 * (64 MiB) is refused whole.
 */
int reg_load(struct reg *r, const char *path);
/* The same for 'len' bytes of text named 'name' (tests). */
int reg_load_buffer(struct reg *r, const char *name, const char *text, size_t len);

/*
 * Check what needs every entry (parents exist; no name or alias names two
 * entries of the same country) and build the matcher. Returns 0, or -1
 * after reporting each problem with FILE:LINE.
 */
int reg_compile(struct reg *r);

const struct reg_entry *reg_by_id(const struct reg *r, const char *id);

/*
 * The entries whose name or alias folds like 'name' (exact phrase, case-
 * insensitive, punctuation as in text matching). Returns the candidates
 * (borrowed) or NULL.
 */
const struct reg_alias *reg_by_name(const struct reg *r, const char *name);

/*
 * The entry owning 'host' ("www.belta.by", "news.cctv.com"; a URL is
 * accepted too): the host without "www.", then each parent domain.
 */
const struct reg_entry *reg_by_domain(const struct reg *r, const char *host);

/* Whether the state funds, owns or controls the entry (docs/register.md). */
bool reg_state_affiliated(const struct reg_entry *e);

#define REG_MAX_CAND 8

/* One mention in text: text[start, end) names one of 'cand' (those whose case rules hold). */
struct reg_match {
	size_t start, end;
	const struct reg_cand *cand[REG_MAX_CAND];
	size_t ncand;
};

struct reg_matches {
	struct reg_match *v;
	size_t n, cap;
	struct lex_matches lm;
	char *norm;           /* scratch: the text with in-word punctuation blanked */
	size_t normcap;
};

#define REG_MATCHES_INIT { 0 }

/*
 * Find register names and aliases in 'text' (leftmost-longest, no overlaps).
 * Capitalised words of an alias must be capitalised in the text, and short
 * all-capitals aliases must match exactly, so "rt" or "ap" in running text
 * are no mentions. Candidates whose name is meta-only are left out. Returns
 * the number of matches, or -1 (reported).
 */
long reg_match(const struct reg *r, const char *text, size_t len, struct reg_matches *out);

void reg_matches_release(struct reg_matches *m);
void reg_release(struct reg *r);

#endif
