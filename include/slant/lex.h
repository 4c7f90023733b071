/*
 * lex.h -- lexicons: load, validate and match researcher-editable word lists.
 *
 * Every lexicon of slant (framing, reporting verbs, weasel words, hedges,
 * outlet aliases) uses one tab-separated format, documented in
 * docs/lexicons.md:
 *
 *   # comment
 *   @category<TAB>NAME<TAB>description
 *   term<TAB>category<TAB>weight<TAB>alternative<TAB>exclude<TAB>note
 *
 * A term is a word or phrase matched case-insensitively on word boundaries,
 * a prefix with a trailing '*' on its last word ("dictator*"), or a PCRE2
 * regex behind "re:". 'exclude' lists contexts, '|'-separated, in which a
 * match does not count ("tax _|sanctions _|_ change").
 *
 * Matching cost does not grow with the number of literal entries: the text is
 * cut into words once, each word is looked up in a hash table keyed on
 * (trie node, folded word), and phrases continue from node to node. Only
 * regex entries run PCRE2, each once over the text.
 *
 * Usage:
 *
 *   struct lex lex = LEX_INIT;
 *   struct lex_matches m = LEX_MATCHES_INIT;
 *
 *   if (lex_load(&lex, "lexicons/framing.tsv") < 0 || lex_compile(&lex) < 0)
 *           exit(2);                   (every bad line was reported)
 *   if (lex_match(&lex, text, len, 0, &m) < 0)
 *           ...                        (a regex hit its limit; reported)
 *   for (i = 0; i < m.n; i++)
 *           use(m.v[i].start, m.v[i].end, m.v[i].entry->term);
 *   lex_matches_release(&m);
 *   lex_release(&lex);
 */
#ifndef SLANT_LEX_H
#define SLANT_LEX_H

#include <stdbool.h>
#include <stddef.h>

/* Longest lexicon line accepted (bytes, without the newline). */
#define LEX_MAX_LINE 4096

enum lex_kind {
	LEX_WORDS,    /* a word or phrase, matched exactly (after case folding) */
	LEX_PREFIX,   /* the same with a '*' wildcard ending its last word */
	LEX_REGEX,    /* "re:" PCRE2 pattern */
};

struct lex_category {
	char *name;           /* [a-z0-9_]+, as it appears in annotations */
	char *description;    /* may be "" */
	const char *file;     /* where it was declared (NULL: lex_category_add) */
	unsigned long line;
};

struct lex_file {
	char *path;           /* as given to lex_load() */
	const char *base;     /* its basename, inside 'path' */
	char hash[65];        /* SHA-256 of the file's bytes, hex */
	size_t entries;       /* entries it contributed */
};

struct lex_context;       /* one exclusion context (private) */

/* Categories of one entry past the first: "a,b,c" in the category field. */
#define LEX_MAX_ALSO 15

struct lex_entry {
	char *term;           /* exactly as written, e.g. "dictator*", "re:\\bthugs?\\b" */
	enum lex_kind kind;
	const struct lex_category *category;
	/* More categories of a word in several ("posemo,negemo": LIWC's), after 'category'. */
	const struct lex_category *also[LEX_MAX_ALSO];
	size_t nalso;
	double weight;        /* 0 < weight <= 10 */
	char *alternative;    /* neutral alternative, or NULL */
	char *note;           /* where the entry comes from; may be "" */
	const char *file;     /* path of its file (owned by the lex), or the 'file' given to lex_add */
	const char *file_base; /* its basename: what annotations call "lexicon" */
	unsigned long line;   /* line in that file (0 if none) */
	void *data;           /* the caller's, never touched or freed by lex */
	/* private */
	size_t index;         /* position in lex->entries: ties go to the earlier entry */
	char *key;            /* folded words joined by ' ' (+ '*'), or the regex */
	struct lex_context *ctx;
	size_t nctx;
	void *re;             /* pcre2_code * for LEX_REGEX */
};

/* What lex_add() takes: fields as they would appear in a file (NUL-terminated). */
struct lex_entry_spec {
	const char *term;
	const char *category;     /* must be declared (file or lex_category_add); "a,b" for several */
	double weight;
	const char *alternative;  /* NULL, "" or "-" for none */
	const char *exclude;      /* NULL, "" or "-" for none */
	const char *note;         /* NULL for "" */
	void *data;               /* copied to the entry */
};

struct lex {
	struct lex_entry **entries; /* in load order; pointers stay valid until lex_release */
	size_t n, cap;
	struct lex_category **cats;
	size_t ncats, capcats;
	struct lex_file *files;
	size_t nfiles, capfiles;
	bool compiled;
	void *priv;           /* word tables (lib/lex.c) */
};

#define LEX_INIT { 0 }

/* One match: text[start, end) matched 'entry'. */
struct lex_match {
	size_t start, end;
	const struct lex_entry *entry;
};

/* A reusable result buffer: lex_match() fills 'v' and keeps scratch space here. */
struct lex_matches {
	struct lex_match *v;
	size_t n, cap;
	void *scratch;        /* private: the word array, reused between calls */
};

#define LEX_MATCHES_INIT { 0 }

enum lex_match_flags {
	/*
	 * Report every match of every entry, overlapping ones included, sorted by
	 * start then longest first. Without it, matches are leftmost-longest and
	 * never overlap: at each word the longest matching entry wins and
	 * matching resumes after it; a regex match competes with word matches by
	 * the same rule (earliest start, then longest; on a tie, the entry loaded
	 * first).
	 */
	LEX_OVERLAP = 1 << 0,
};

void lex_init(struct lex *lex);

/*
 * Load the lexicon file 'path' into 'lex' (may be called for several files;
 * each entry records its file and line, and categories declared in earlier
 * files stay usable). Every bad line is reported as "FILE:LINE: message";
 * then returns -1, else 0. Checks: field count, undeclared category, weight,
 * regex (PCRE2's message and offset), duplicate term (after folding, across
 * all loaded files), exclusion context without '_', empty term, invalid
 * UTF-8, line over LEX_MAX_LINE bytes, bad category declaration; a file
 * over FILE_MAX_DATA (64 MiB) is refused whole.
 */
int lex_load(struct lex *lex, const char *path);

/* The same for 'len' bytes of text named 'name' (tests; no file hash). */
int lex_load_buffer(struct lex *lex, const char *name, const char *text, size_t len);

/*
 * Declare category 'name' for programmatic entries. Returns the category
 * (existing or new; owned by 'lex'), or NULL (reported) for a bad name.
 */
const struct lex_category *lex_category_add(struct lex *lex, const char *name,
					    const char *description);

/* The category called 'name', or NULL. */
const struct lex_category *lex_category_find(const struct lex *lex, const char *name);

/*
 * Add one entry programmatically (the outlet register builds its alias
 * matcher this way). 'file' and 'line' name its origin for messages and may
 * be NULL/0; 'file' is copied. The checks of lex_load() apply. Returns the
 * entry (owned by 'lex'; set entry->data freely), or NULL after reporting
 * "FILE:LINE: message". Call before lex_compile().
 */
struct lex_entry *lex_add(struct lex *lex, const struct lex_entry_spec *spec, const char *file,
			  unsigned long line);

/*
 * Finish the tables and JIT-compile the regexes. Call once after the last
 * lex_load()/lex_add() and before lex_match(). Returns 0, or -1 (reported).
 */
int lex_compile(struct lex *lex);

/*
 * Find the matches of the lexicon in 'text' ('len' bytes of UTF-8; offsets
 * in the result are byte offsets into 'text'). 'out' is emptied first and
 * can be reused from call to call. Returns the number of matches, or -1
 * (reported) when a regex entry exceeded its match or depth limit: no
 * result is then given for the text. 'lex' is not modified, so one compiled
 * lexicon may be shared by threads, each with its own 'out'.
 */
long lex_match(const struct lex *lex, const char *text, size_t len, unsigned flags,
	       struct lex_matches *out);

void lex_matches_release(struct lex_matches *m);

/* The entry whose term folds like 'term' ("Regime", "dictator*"), or NULL. */
const struct lex_entry *lex_find(const struct lex *lex, const char *term);

/* Frees everything 'lex' owns (not the entries' 'data'); 'lex' can be reused after lex_init(). */
void lex_release(struct lex *lex);

/* ====== Words: the tokeniser every lexicon match uses, for callers that need the same rules ====== */

/*
 * Find the next word in text[*pos, len): sets [*start, *end) and moves *pos
 * past it; returns false at the end. A word is a run of letters and digits
 * (ASCII, and every non-ASCII code point except spaces, punctuation and
 * symbols of Latin-1 and the General Punctuation block), with apostrophes
 * (' and U+2019) inside it; a possessive "'s" is a word of its own. A hyphen
 * separates words, but the gap between the words of a phrase may be a
 * hyphen, so "so-called" matches "so called" and "so-called".
 */
bool lex_next_word(const char *text, size_t len, size_t *pos, size_t *start, size_t *end);

/*
 * Fold 'len' bytes of one word into 'out' (room for 'len' bytes): ASCII and
 * Latin-1 letters to lower case, U+2019 to "'". Returns the folded length.
 */
size_t lex_fold(const char *word, size_t len, char *out);

#endif
