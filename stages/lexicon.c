/*
 * lexicon.c -- slant-lexicon: the researcher's tools for lexicon files
 * (docs/lexicons.md): lint, stats, test, import.
 *
 * Everything goes through the lexicon engine (lib/lex.c), so what lint and
 * test report is what slant-frame and slant-attrib will do with the file.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slant/concord.h"
#include "slant/file.h"
#include "slant/lex.h"
#include "slant/register.h"
#include "slant/stage.h"
#include "slant/usage.h"
#include "slant/utf8.h"
#include "slant/words.h"

#define LINT_MAX_FORMS 25      /* distinct words a wildcard or regex may match before lint flags it */
#define FORMS_SHOWN 8
#define TEST_CONTEXT 30        /* bytes of context around a match shown by test */
#define LIWC_MAX_CATS 256
#define TEXT_MAX ((size_t)256 << 20) /* a corpus, text or word list read whole */

/* ====== Shared helpers ====== */

/* Read a corpus, text or word list whole ("-": standard input). Returns it, or NULL (reported). */
static char *slurp(const char *path, size_t *len)
{
	char *buf;

	if (strcmp(path, "-"))
		file_read(path, TEXT_MAX, &buf, len);
	else
		file_read_stream(stdin, path, TEXT_MAX, &buf, len);
	return buf;
}

/*
 * Load every file into one lexicon and compile it. Returns 0; 1 when some
 * lines were bad (reported; the good ones are loaded); 2 when a file cannot
 * be read or nothing compiles.
 */
static int load_all(struct lex *lex, char **files, int n)
{
	int i, ret = 0;

	for (i = 0; i < n; i++) {
		char *buf;
		size_t len;

		if (access(files[i], R_OK) < 0) {
			error("cannot open lexicon '%s': %s", files[i], strerror(errno));
			return 2;
		}
		/* A file that cannot be read (a directory, too large) is no finding: exit 2. */
		if (file_read(files[i], FILE_MAX_DATA, &buf, &len) < 0)
			return 2;
		if (lex_load_buffer(lex, files[i], buf, len) < 0)
			ret = 1;
		free(buf);
	}
	if (lex_compile(lex) < 0)
		return 2;
	return ret;
}

/* Fields of line 'line' (1-based) of 'path', tab-separated and trimmed; NULL if absent. */
static char *file_line(const char *path, unsigned long line)
{
	FILE *fp = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long k = 0;

	if (!fp)
		return NULL;
	while ((n = getline(&buf, &cap, fp)) >= 0)
		if (++k == line) {
			fclose(fp);
			while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
				buf[--n] = '\0';
			return buf;
		}
	fclose(fp);
	free(buf);
	return NULL;
}

/* Field 'k' (0-based) of a tab-separated line, trimmed, malloc'd; "" if absent. */
static char *field(const char *line, int k)
{
	const char *s = line, *e;

	while (k-- > 0) {
		s = strchr(s, '\t');
		if (!s)
			return xstrdup("");
		s++;
	}
	e = strchr(s, '\t');
	if (!e)
		e = s + strlen(s);
	while (s < e && *s == ' ')
		s++;
	while (e > s && e[-1] == ' ')
		e--;
	return xstrndup(s, (size_t)(e - s));
}

/* ====== lint ====== */

struct forms {
	char **v;
	size_t n, cap;
};

static void forms_add(struct forms *f, const char *s, size_t n)
{
	char *w = xmalloc(n + 1);
	size_t i, k = lex_fold(s, n, w);

	w[k] = '\0';
	for (i = 0; i < f->n; i++)
		if (!strcmp(f->v[i], w)) {
			free(w);
			return;
		}
	xgrow(&f->v, &f->cap, f->n + 1, sizeof(*f->v));
	f->v[f->n++] = w;
}

static void forms_release(struct forms *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
}

/* The text an entry stands for: its words, the stem of a wildcard. NULL for a regex. */
static char *own_text(const struct lex_entry *e)
{
	char *s;
	size_t n;

	if (e->kind == LEX_REGEX)
		return NULL;
	s = xstrdup(e->term);
	n = strlen(s);
	if (n && s[n - 1] == '*')
		s[n - 1] = '\0';
	return s;
}

static void free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* 'path', or every regular file under it when it is a directory (sorted, recursively). */
static void add_corpus(char ***list, size_t *n, const char *path)
{
	struct stat st;
	struct dirent **names;
	int k, m;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		*list = xrealloc(*list, (*n + 1) * sizeof(**list));
		(*list)[(*n)++] = xstrdup(path);
		return;
	}
	m = scandir(path, &names, NULL, alphasort);
	for (k = 0; k < m; k++) {
		char *sub = xasprintf("%s/%s", path, names[k]->d_name);
		struct stat ss;

		if (names[k]->d_name[0] != '.' && lstat(sub, &ss) == 0 &&
		    (S_ISREG(ss.st_mode) || S_ISDIR(ss.st_mode)))
			add_corpus(list, n, sub);
		free(sub);
		free(names[k]);
	}
	if (m >= 0)
		free(names);
}

/* ====== lint of the register (lexicons/outlets.tsv, docs/register.md) ====== */

/* Whether 'path' is a register: its first line that is no comment is the register header. */
static bool is_register(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	bool yes = false;

	if (!fp)
		return false;
	while (getline(&line, &cap, fp) >= 0)
		if (line[0] != '#' && line[0] != '\n') {
			yes = !strncmp(line, "id\tname\taliases\t", 16);
			break;
		}
	free(line);
	fclose(fp);
	return yes;
}

/*
 * The common words a register name or alias must not be on its own: every
 * closed set of lib/words.c, and the masthead words of the generic_title
 * and common_title categories of affil_cues.tsv beside the register
 * ("Times", "Post", "Sun", "Hill").
 */
struct common {
	struct lex cues;
	const char **titles, **words;
};

static void common_load(struct common *c, const char *reg_path)
{
	const char *slash = strrchr(reg_path, '/');
	char *cues = slash ? xasprintf("%.*s/affil_cues.tsv", (int)(slash - reg_path), reg_path)
			   : xstrdup("affil_cues.tsv");

	lex_init(&c->cues);
	c->titles = c->words = NULL;
	if (access(cues, R_OK) == 0 && lex_load(&c->cues, cues) == 0) {
		c->titles = words_cues(&c->cues, "generic_title");
		c->words = words_cues(&c->cues, "common_title");
	} else
		fprintf(stderr, "%s: lint: no %s: aliases checked against closed word classes only\n",
			progname, cues);
	free(cues);
}

static void common_release(struct common *c)
{
	free(c->titles);
	free(c->words);
	lex_release(&c->cues);
}

/* Whether 'name' is one of 'list' (NULL-terminated, may be NULL), a leading "The " aside. */
static bool masthead_word(const char *const *list, const char *name)
{
	for (; list && *list; list++) {
		const char *t = *list;

		if (!strncasecmp(t, "the ", 4))
			t += 4;
		if (!strcasecmp(t, name))
			return true;
	}
	return false;
}

/*
 * Whether 'name' is one common word: "Post", "Mail", "Times" ("The Times"
 * is a masthead, resolved with corroboration; all-capitals acronyms are not).
 */
static bool common_word(const struct common *c, const char *name)
{
	size_t i, n;
	bool caps = true;

	n = strlen(name);
	if (!n || strchr(name, ' '))
		return false;
	for (i = 0; i < n; i++)
		if (!isupper((unsigned char)name[i]))
			caps = false;
	if (caps)
		return false;
	for (i = 0; words_all[i]; i++)
		if (words_has(words_all[i], name, n))
			return true;
	return masthead_word(c->words, name) || masthead_word(c->titles, name);
}

/*
 * The register's checks: every line valid (reg_load), no name shared by two
 * entries of one country and no domain by two entries (reg_compile); names
 * shared across countries (they resolve only with corroboration); names and
 * aliases that are one common word; entries whose source names no URL.
 * Returns the number of findings, or -1 when the file cannot be read.
 */
static long lint_register(const char *path)
{
	struct reg r = REG_INIT;
	struct common common;
	long findings = 0;
	bool compiled;
	size_t i, k;

	if (access(path, R_OK) < 0) {
		error("cannot open register '%s': %s", path, strerror(errno));
		return -1;
	}
	if (reg_load(&r, path) < 0)
		findings++;     /* each bad line was reported */
	compiled = reg_compile(&r) == 0;
	if (!compiled)
		findings++;
	common_load(&common, path);
	for (i = 0; i < r.n; i++) {
		const struct reg_entry *e = &r.v[i];

		if (!strstr(e->source, "https://") && !strstr(e->source, "http://")) {
			printf("%s:%lu: no source URL: '%s' names no page for its facts\n", e->file,
			       e->line, e->id);
			findings++;
		}
		if (!e->meta_only && common_word(&common, e->name)) {
			printf("%s:%lu: common word: name '%s' of '%s' would match ordinary prose: "
			       "match=meta\n", e->file, e->line, e->name, e->id);
			findings++;
		}
		for (k = 0; k < e->naliases; k++)
			if (common_word(&common, e->aliases[k])) {
				printf("%s:%lu: common word: alias '%s' of '%s' would match ordinary "
				       "prose: drop it\n", e->file, e->line, e->aliases[k], e->id);
				findings++;
			}
		for (k = 0; compiled && k <= e->naliases; k++) {
			const char *name = k ? e->aliases[k - 1] : e->name;
			const struct reg_alias *a = reg_by_name(&r, name);
			size_t j;

			/* Reported once, at the first entry it names. */
			if (!a || a->n < 2 || a->cand[0].entry != e)
				continue;
			printf("%s:%lu: shared: '%s' names", e->file, e->line, name);
			for (j = 0; j < a->n; j++)
				printf(" %s%s (%s)", j ? "and " : "", a->cand[j].entry->id,
				       *a->cand[j].entry->country ? a->cand[j].entry->country : "none");
			puts(": a mention resolves only with corroboration");
			findings++;
		}
	}
	common_release(&common);
	if (verbose || findings)
		fprintf(stderr, "%s: lint: %s: %zu entries, %ld finding%s\n", progname, path, r.n,
			findings, findings == 1 ? "" : "s");
	reg_release(&r);
	return findings;
}

static int cmd_lint(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "corpus", required_argument, NULL, 'C' },
		{ "max-forms", required_argument, NULL, 'm' },
		{ 0 },
	};
	struct lex lex = LEX_INIT;
	struct lex_matches m = LEX_MATCHES_INIT;
	char **corpora = NULL;
	size_t ncorp = 0, i, k, findings = 0, reg_findings = 0;
	long max_forms = LINT_MAX_FORMS;
	int c, rc, reg_rc = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c == 'C') {
			/* A directory stands for every file under it (issue 19: "Is a directory"). */
			add_corpus(&corpora, &ncorp, optarg);
		} else if (c == 'm') {
			char *end;

			max_forms = strtol(optarg, &end, 10);
			if (*end || max_forms < 1) {
				free_list(corpora, ncorp);
				error("--max-forms wants a positive number, not '%s'", optarg);
				return SLANT_EXIT_USAGE;
			}
		} else {
			free_list(corpora, ncorp);
			return SLANT_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		free_list(corpora, ncorp);
		error("lint: give one or more lexicon files");
		return SLANT_EXIT_USAGE;
	}
	/* Registers get their own checks; the other files are lexicons. */
	for (c = optind, k = optind; c < argc; c++) {
		if (is_register(argv[c])) {
			long f = lint_register(argv[c]);

			if (f < 0)
				reg_rc = 2;
			else
				reg_findings += (size_t)f;
		} else {
			argv[k++] = argv[c];
		}
	}
	argc = (int)k;
	if (optind >= argc) {
		free(corpora);
		return reg_rc ? SLANT_EXIT_USAGE : reg_findings ? SLANT_EXIT_REJECTED : SLANT_EXIT_OK;
	}
	rc = load_all(&lex, argv + optind, argc - optind);
	if (rc == 2) {
		free_list(corpora, ncorp);
		lex_release(&lex);
		return SLANT_EXIT_USAGE;
	}
	if (rc)
		findings++;     /* the loader's messages (duplicates, bad lines) are findings */
	for (i = 0; i < lex.n; i++) {
		const struct lex_entry *e = lex.entries[i];
		char *t = own_text(e);

		if (!*e->note) {
			printf("%s:%lu: no source: '%s' has no note saying where it comes from\n",
			       e->file, e->line, e->term);
			findings++;
		}
		if (!t)
			continue;
		/*
		 * Matched against its own words, does a word entry win? (A wildcard's
		 * stem is only one of its forms: it is checked against wildcards below.)
		 */
		if (e->kind == LEX_WORDS && lex_match(&lex, t, strlen(t), 0, &m) >= 0) {
			const struct lex_entry *w = NULL;

			for (k = 0; k < m.n; k++)
				if (m.v[k].start == 0)
					w = m.v[k].entry;
			if (w && w != e) {
				printf("%s:%lu: shadowed: '%s' is never matched: '%s' (%s:%lu) takes "
				       "its words first\n", e->file, e->line, e->term, w->term,
				       w->file_base, w->line);
				findings++;
			} else if (!w && e->kind == LEX_WORDS && !e->nctx) {
				printf("%s:%lu: unreachable: '%s' does not match its own words\n",
				       e->file, e->line, e->term);
				findings++;
			}
		}
		/*
		 * A wildcard with exclusions after literals it covers: those words
		 * match the literals (the earlier entry wins), so the wildcard's
		 * exclusions never apply to them (issue 19).
		 */
		if (e->kind == LEX_PREFIX && e->nctx && !strchr(t, ' '))
			for (k = 0; k < i; k++) {
				const struct lex_entry *p = lex.entries[k];

				if (p->kind != LEX_WORDS || strchr(p->term, ' ') ||
				    strncasecmp(p->term, t, strlen(t)))
					continue;
				printf("%s:%lu: shadowed exclusions: '%s' (%s:%lu) comes first and takes "
				       "'%s', so the exclusions of '%s' never apply to it\n", e->file,
				       e->line, p->term, p->file_base, p->line, p->term, e->term);
				findings++;
			}
		/*
		 * A literal that a later wildcard covers to the same effect (an earlier
		 * one shadows it: reported above); a wildcard an earlier, shorter one
		 * covers (ties go to the earlier entry, so it never matches).
		 */
		for (k = e->kind == LEX_WORDS ? i + 1 : 0; k < (e->kind == LEX_WORDS ? lex.n : i) &&
		     e->kind != LEX_REGEX && !e->nctx && !strchr(t, ' '); k++) {
			const struct lex_entry *p = lex.entries[k];
			size_t pl = strlen(p->term) - 1;

			if (p->kind != LEX_PREFIX || p->nctx || strchr(p->term, ' ') ||
			    strncasecmp(p->term, t, pl))
				continue;
			if (e->kind == LEX_PREFIX) {
				printf("%s:%lu: shadowed: '%s' is never matched: '%s' (%s:%lu) takes "
				       "every word it would\n", e->file, e->line, e->term, p->term,
				       p->file_base, p->line);
			} else if (p->category == e->category && p->weight == e->weight) {
				printf("%s:%lu: redundant: '%s' is covered by '%s' (%s:%lu) with the "
				       "same category and weight\n", e->file, e->line, e->term,
				       p->term, p->file_base, p->line);
			} else {
				continue;
			}
			findings++;
			break;
		}
		free(t);
	}
	/* Wildcards and regexes over a word list or corpus: how many distinct words each takes. */
	if (!ncorp && access("/usr/share/dict/words", R_OK) == 0)
		add_corpus(&corpora, &ncorp, "/usr/share/dict/words");
	if (!ncorp)
		fprintf(stderr, "%s: lint: no word list (/usr/share/dict/words) and no --corpus "
			"FILE: wildcard and regex entries not checked for matching too much\n",
			progname);
	if (ncorp) {
		struct forms *f = xcalloc(lex.n, sizeof(*f));

		for (k = 0; k < ncorp; k++) {
			size_t len;
			char *text = slurp(corpora[k], &len);

			if (!text) {
				findings = 0;
				rc = 2;
				break;
			}
			if (lex_match(&lex, text, len, LEX_OVERLAP, &m) >= 0)
				for (i = 0; i < m.n; i++) {
					const struct lex_entry *e = m.v[i].entry;

					if (e->kind != LEX_WORDS)
						forms_add(&f[e->index], text + m.v[i].start,
							  m.v[i].end - m.v[i].start);
				}
			free(text);
		}
		for (i = 0; i < lex.n; i++) {
			const struct lex_entry *e = lex.entries[i];

			if ((long)f[i].n > max_forms) {
				printf("%s:%lu: too broad: '%s' matches %zu distinct forms in the "
				       "corpus (limit %ld):", e->file, e->line, e->term, f[i].n,
				       max_forms);
				for (k = 0; k < f[i].n && k < FORMS_SHOWN; k++)
					printf(" %s", f[i].v[k]);
				puts(k < f[i].n ? " ..." : "");
				findings++;
			}
			forms_release(&f[i]);
		}
		free(f);
	}
	if (rc != 2 && (verbose || findings))
		fprintf(stderr, "%s: lint: %zu entries, %zu finding%s\n", progname, lex.n, findings,
			findings == 1 ? "" : "s");
	free_list(corpora, ncorp);
	lex_matches_release(&m);
	lex_release(&lex);
	return rc == 2 || reg_rc ? SLANT_EXIT_USAGE
	       : findings || reg_findings ? SLANT_EXIT_REJECTED : SLANT_EXIT_OK;
}

/* ====== stats ====== */

struct tally {
	const char *key;
	size_t n;
	double wsum, wmin, wmax;
};

static struct tally *tally_get(struct tally **v, size_t *n, const char *key)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i].key, key))
			return &(*v)[i];
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n] = (struct tally){ key, 0, 0, 1e9, 0 };
	return &(*v)[(*n)++];
}

static int tally_cmp(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->key, y->key);
}

/* The source a note names: the text before its first ';', '(' or ':' (at most 40 bytes). */
static char *note_source(const char *note)
{
	size_t n = strcspn(note, ";(:,");

	while (n && note[n - 1] == ' ')
		n--;
	if (n > 40)
		n = 40;
	return n ? xstrndup(note, n) : xstrdup("(no note)");
}

static int cmd_stats(int argc, char **argv)
{
	struct lex lex = LEX_INIT;
	struct tally *cats = NULL, *srcs = NULL;
	size_t ncats = 0, nsrcs = 0, i, kinds[3] = { 0 }, phrases = 0, alts = 0, excl = 0;
	char **notes;
	int rc;

	if (argc < 2) {
		error("stats: give one or more lexicon files");
		return SLANT_EXIT_USAGE;
	}
	rc = load_all(&lex, argv + 1, argc - 1);
	if (rc == 2) {
		lex_release(&lex);
		return SLANT_EXIT_USAGE;
	}
	notes = xcalloc(lex.n + 1, sizeof(*notes));
	for (i = 0; i < lex.n; i++) {
		const struct lex_entry *e = lex.entries[i];
		struct tally *t = tally_get(&cats, &ncats, e->category->name);

		t->n++;
		t->wsum += e->weight;
		if (e->weight < t->wmin)
			t->wmin = e->weight;
		if (e->weight > t->wmax)
			t->wmax = e->weight;
		kinds[e->kind]++;
		phrases += e->kind != LEX_REGEX && strchr(e->term, ' ') != NULL;
		alts += e->alternative != NULL;
		excl += e->nctx > 0;
		notes[i] = note_source(e->note);
		tally_get(&srcs, &nsrcs, notes[i])->n++;
	}
	for (i = 0; i < lex.nfiles; i++)
		printf("%s: %zu entries, sha256 %.16s\n", lex.files[i].path, lex.files[i].entries,
		       lex.files[i].hash);
	printf("entries %zu: words %zu (phrases %zu), wildcards %zu, regexes %zu; with a neutral "
	       "alternative %zu, with exclusions %zu\n", lex.n, kinds[LEX_WORDS], phrases,
	       kinds[LEX_PREFIX], kinds[LEX_REGEX], alts, excl);
	if (ncats)
		qsort(cats, ncats, sizeof(*cats), tally_cmp);
	printf("\n%-28s %7s %7s %7s %7s\n", "category", "entries", "w.min", "w.mean", "w.max");
	for (i = 0; i < ncats; i++)
		printf("%-28s %7zu %7.2f %7.2f %7.2f\n", cats[i].key, cats[i].n, cats[i].wmin,
		       cats[i].wsum / (double)cats[i].n, cats[i].wmax);
	if (nsrcs)
		qsort(srcs, nsrcs, sizeof(*srcs), tally_cmp);
	printf("\n%-42s %7s\n", "source (note up to ; ( : ,)", "entries");
	for (i = 0; i < nsrcs; i++)
		printf("%-42s %7zu\n", srcs[i].key, srcs[i].n);
	for (i = 0; i < lex.n; i++)
		free(notes[i]);
	free(notes);
	free(cats);
	free(srcs);
	lex_release(&lex);
	return rc ? SLANT_EXIT_REJECTED : SLANT_EXIT_OK;
}

/* ====== test ====== */

/* A lexicon of entry 'e' alone, with exclusions 'exclude' (NULL: none). */
static int single(struct lex *one, const struct lex_entry *e, const char *exclude)
{
	struct lex_entry_spec sp = { e->term, e->category->name, e->weight, NULL, exclude, NULL,
				     NULL };

	lex_init(one);
	if (!lex_category_add(one, e->category->name, "") || !lex_add(one, &sp, e->file, e->line))
		return -1;
	return lex_compile(one);
}

static bool has_match(const struct lex_matches *m, size_t s, size_t e)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->v[i].start == s && m->v[i].end == e)
			return true;
	return false;
}

static void show_context(const char *text, size_t len, size_t s, size_t e)
{
	fputs("  ", stdout);
	kwic_put(stdout, text, len, s, e, TEST_CONTEXT);
	fputc('\n', stdout);
}

/*
 * Every match an entry makes without its exclusions, and for those the
 * lexicon drops, the exclusion contexts that fired.
 */
static int test_text(const struct lex *lex, const char *text, size_t len)
{
	struct lex_matches kept = LEX_MATCHES_INIT, all = LEX_MATCHES_INIT, tmp = LEX_MATCHES_INIT;
	size_t i, nkept = 0, nexcl = 0;

	if (lex_match(lex, text, len, 0, &kept) < 0 || lex_match(lex, text, len, LEX_OVERLAP,
								    &all) < 0) {
		lex_matches_release(&kept);
		lex_matches_release(&all);
		return -1;
	}
	for (i = 0; i < kept.n; i++) {
		const struct lex_match *mt = &kept.v[i];

		printf("%zu-%zu\t%s\t%s:%lu\t%s\t%g\t%s\n", mt->start, mt->end, mt->entry->term,
		       mt->entry->file_base, mt->entry->line, mt->entry->category->name,
		       mt->entry->weight, mt->entry->alternative ? mt->entry->alternative : "-");
		show_context(text, len, mt->start, mt->end);
		nkept++;
	}
	/* Overlapped matches that lost to a longer or earlier one. */
	for (i = 0; i < all.n; i++) {
		const struct lex_match *mt = &all.v[i];
		size_t k;
		bool won = false;

		for (k = 0; k < kept.n; k++)
			won |= kept.v[k].entry == mt->entry && kept.v[k].start == mt->start;
		if (won)
			continue;
		printf("%zu-%zu\t%s\t%s:%lu\toverlapped: a longer or earlier match wins\n",
		       mt->start, mt->end, mt->entry->term, mt->entry->file_base, mt->entry->line);
	}
	/* Matches an exclusion dropped: re-run each entry with contexts without them. */
	for (i = 0; i < lex->n; i++) {
		const struct lex_entry *e = lex->entries[i];
		struct lex one;
		char *line, *excl;
		size_t k;

		if (!e->nctx)
			continue;
		if (single(&one, e, NULL) < 0 || lex_match(&one, text, len, 0, &tmp) < 0) {
			lex_release(&one);
			continue;
		}
		lex_release(&one);
		line = file_line(e->file, e->line);
		excl = line ? field(line, 4) : xstrdup("");
		for (k = 0; k < tmp.n; k++) {
			size_t s = tmp.v[k].start, en = tmp.v[k].end;
			char *ctx, *save = NULL, *copy;
			struct lex_matches one_m = LEX_MATCHES_INIT;

			if (has_match(&all, s, en))
				continue;
			printf("%zu-%zu\t%s\t%s:%lu\texcluded by", s, en, e->term, e->file_base,
			       e->line);
			copy = xstrdup(excl);
			for (ctx = strtok_r(copy, "|", &save); ctx; ctx = strtok_r(NULL, "|", &save)) {
				struct lex l1;

				if (single(&l1, e, ctx) == 0 && lex_match(&l1, text, len, 0, &one_m) >= 0
				    && !has_match(&one_m, s, en))
					printf(" '%s'", ctx);
				lex_release(&l1);
			}
			putchar('\n');
			show_context(text, len, s, en);
			free(copy);
			lex_matches_release(&one_m);
			nexcl++;
		}
		free(excl);
		free(line);
	}
	fprintf(stderr, "%s: test: %zu match%s, %zu excluded\n", progname, nkept,
		nkept == 1 ? "" : "es", nexcl);
	lex_matches_release(&kept);
	lex_matches_release(&all);
	lex_matches_release(&tmp);
	return 0;
}

static int cmd_test(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "text", required_argument, NULL, 't' },
		{ 0 },
	};
	struct lex lex = LEX_INIT;
	const char *text_file = NULL;
	char *text;
	size_t len;
	int c, nfiles, rc, ret = SLANT_EXIT_OK;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c != 't')
			return SLANT_EXIT_USAGE;
		text_file = optarg;
	}
	nfiles = argc - optind - (text_file ? 0 : 1);
	if (nfiles < 1) {
		error("test: give LEXICON... TEXT, or --text FILE LEXICON...");
		return SLANT_EXIT_USAGE;
	}
	rc = load_all(&lex, argv + optind, nfiles);
	if (rc) {
		lex_release(&lex);
		return SLANT_EXIT_USAGE;
	}
	if (text_file) {
		text = slurp(text_file, &len);
		if (!text) {
			lex_release(&lex);
			return SLANT_EXIT_USAGE;
		}
	} else {
		const struct lex_entry *e;

		struct stat st;

		/* A TEXT that names a file is the file (issue 19): said, so it is never a surprise. */
		if (stat(argv[argc - 1], &st) == 0 && S_ISREG(st.st_mode)) {
			fprintf(stderr, "%s: test: reading the file '%s' (--text FILE says so)\n", progname,
				argv[argc - 1]);
			text = slurp(argv[argc - 1], &len);
			if (!text) {
				lex_release(&lex);
				return SLANT_EXIT_USAGE;
			}
			text_file = argv[argc - 1];
			goto read;
		}
		text = xstrdup(argv[argc - 1]);
		len = strlen(text);
		e = lex_find(&lex, text);
		if (e)
			printf("entry '%s' (%s:%lu): category %s, weight %g, alternative %s, note %s\n",
			       e->term, e->file_base, e->line, e->category->name, e->weight,
			       e->alternative ? e->alternative : "-", *e->note ? e->note : "-");
	}
read:
	if (!utf8_valid(text, len)) {
		error("'%s': not UTF-8 text", text_file ? text_file : "TEXT");
		ret = SLANT_EXIT_USAGE;
	} else if (test_text(&lex, text, len) < 0) {
		ret = SLANT_EXIT_RUNTIME;
	}
	free(text);
	lex_release(&lex);
	return ret;
}

/* ====== import ====== */

/* A category name of ours made from a LIWC one: lower case, [a-z0-9_]. */
static char *cat_name(const char *s)
{
	char *o = xmalloc(strlen(s) + 2);
	size_t k = 0;

	if (isdigit((unsigned char)*s))
		o[k++] = 'c';
	for (; *s; s++)
		o[k++] = isalnum((unsigned char)*s) ? (char)tolower((unsigned char)*s) : '_';
	o[k] = '\0';
	return o;
}

struct out_entry {
	char *key;      /* folded term: duplicates */
	char *term;
	const char *cat;
	char *also;     /* its other categories, ','-separated (the lexicon's category list) */
};

/* Whether ','-separated 'list' has 'name'. */
static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	while (*list) {
		size_t w = strcspn(list, ",");

		if (w == n && !strncmp(list, name, n))
			return true;
		list += w + (list[w] == ',');
	}
	return false;
}

static void emit(FILE *out, struct out_entry *v, size_t n, const char *weight, const char *note,
		const char *src)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(out, "%s\t%s%s%s\t%s\t-\t-\t%s\n", v[i].term, v[i].cat, v[i].also ? "," : "",
			v[i].also ? v[i].also : "", weight, note ? note : src);
}

/*
 * Whether the engine takes 'term' in category 'cat'; when not, lex_add() has
 * said why as "FILE:LINE: message".
 */
static bool term_ok(const char *term, const char *cat, const char *file, unsigned long line)
{
	struct lex l = LEX_INIT;
	struct lex_entry_spec sp = { term, cat, 1, NULL, NULL, NULL, NULL };
	bool ok = lex_category_add(&l, cat, "") && lex_add(&l, &sp, file, line);

	lex_release(&l);
	return ok;
}

static int add_out(struct out_entry **v, size_t *n, size_t *cap, const char *term, const char *cat,
		   const char *file, unsigned long line)
{
	char *key = xmalloc(strlen(term) + 1);
	size_t i;

	key[lex_fold(term, strlen(term), key)] = '\0';
	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i].key, key)) {
			if (strcmp((*v)[i].cat, cat)) {
				/* Every category kept (issue 19): "posemo,negemo". */
				char *also = (*v)[i].also ? xasprintf("%s,%s", (*v)[i].also, cat)
							  : xstrdup(cat);

				free((*v)[i].also);
				(*v)[i].also = also;
			} else {
				warning("%s:%lu: '%s' repeated; kept once", file, line, term);
			}
			free(key);
			return 0;
		}
	xgrow(v, cap, *n + 1, sizeof(**v));
	(*v)[*n] = (struct out_entry){ key, xstrdup(term), cat, NULL };
	(*n)++;
	return 0;
}

static int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "liwc", required_argument, NULL, 'l' },
		{ "words", required_argument, NULL, 'w' },
		{ "category", required_argument, NULL, 'c' },
		{ "weight", required_argument, NULL, 'W' },
		{ "note", required_argument, NULL, 'n' },
		{ 0 },
	};
	const char *liwc = NULL, *words = NULL, *only = NULL, *weight = "1", *note = NULL, *path;
	char *text = NULL, *p, *eol, *next, *cats[LIWC_MAX_CATS] = { 0 }, *catdesc[LIWC_MAX_CATS] = { 0 };
	char *ids[LIWC_MAX_CATS] = { 0 }, *src, *wcat = NULL;
	struct out_entry *v = NULL;
	size_t n = 0, cap = 0, len, ncats = 0, i, skipped = 0;
	unsigned long line = 0;
	int c, section = 0, ret = SLANT_EXIT_OK;
	double wv;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'l': liwc = optarg; break;
		case 'w': words = optarg; break;
		case 'c': only = optarg; break;
		case 'W': weight = optarg; break;
		case 'n': note = optarg; break;
		default: return SLANT_EXIT_USAGE;
		}
	}
	if (!liwc == !words || optind < argc) {
		error("import: give --liwc DIC or --words FILE --category NAME");
		return SLANT_EXIT_USAGE;
	}
	if (words && !only) {
		error("import --words needs --category NAME");
		return SLANT_EXIT_USAGE;
	}
	wv = strtod(weight, &p);
	if (*p || !(wv > 0 && wv <= 10)) {
		error("--weight: '%s' is not a number > 0 and <= 10", weight);
		return SLANT_EXIT_USAGE;
	}
	path = liwc ? liwc : words;
	text = slurp(path, &len);
	if (!text)
		return SLANT_EXIT_USAGE;
	if (!utf8_valid(text, len)) {
		error("'%s': not UTF-8 (convert it first, e.g. iconv -f latin1 -t utf-8)", path);
		free(text);
		return SLANT_EXIT_USAGE;
	}
	src = xasprintf("imported from %s", path);
	if (words) {
		wcat = cat_name(only);
		cats[0] = wcat;
		ncats = 1;
	}
	for (p = text; *p; p = next) {
		char *s, *f, *save = NULL;

		eol = strchr(p, '\n');
		if (!eol)
			eol = p + strlen(p);
		next = *eol ? eol + 1 : eol;
		*eol = '\0';
		if (eol > p && eol[-1] == '\r')
			eol[-1] = '\0';
		line++;
		for (s = p; *s == ' ' || *s == '\t'; s++)
			;
		if (!*s)
			continue;
		if (words) {
			size_t k = strlen(s);

			if (*s == '#' || *s == ';')
				continue;
			while (k && (s[k - 1] == ' ' || s[k - 1] == '\t'))
				s[--k] = '\0';
			if (!term_ok(s, wcat, path, line)) {
				warning("%s:%lu: '%s' skipped", path, line, s);
				skipped++;
				continue;
			}
			add_out(&v, &n, &cap, s, wcat, path, line);
			continue;
		}
		/* LIWC: '%' lines open and close the category table. */
		if (*s == '%') {
			section++;
			continue;
		}
		if (section == 1) {
			char *id = strtok_r(s, " \t", &save), *name = strtok_r(NULL, "\t", &save);

			if (!id || !name || ncats == LIWC_MAX_CATS) {
				error_at(path, line, "expected 'NUMBER<TAB>category' in the header");
				ret = SLANT_EXIT_USAGE;
				continue;
			}
			while (*name == ' ')
				name++;
			ids[ncats] = xstrdup(id);
			catdesc[ncats] = xstrdup(name);
			cats[ncats++] = cat_name(strtok_r(name, " \t(", &save));
			continue;
		}
		if (section < 2) {
			error_at(path, line, "a LIWC dictionary starts with a '%%' line and its "
				 "category table");
			ret = SLANT_EXIT_USAGE;
			break;
		}
		{
			/* term, then category numbers; a term may be a phrase with spaces. */
			char *tab = strchr(s, '\t'), *term;
			const char *first = NULL;
			bool any = false, bad = false;

			if (!tab) {
				/* Phrases in some dictionaries: "kind of 3 5": numbers at the end. */
				char *q = s + strlen(s);

				while (q > s && (isdigit((unsigned char)q[-1]) || q[-1] == ' '))
					q--;
				if (q == s || !*q) {
					warning("%s:%lu: '%s' has no category; skipped", path, line, s);
					skipped++;
					continue;
				}
				tab = q;
				while (tab > s && tab[-1] == ' ')
					tab--;
				*tab = '\0';
				tab = q - 1;
			} else {
				*tab = '\0';
			}
			term = s;
			for (f = strtok_r(tab + 1, " \t", &save); f; f = strtok_r(NULL, " \t", &save)) {
				for (i = 0; i < ncats && strcmp(ids[i], f); i++)
					;
				if (i == ncats) {
					warning("%s:%lu: '%s': category '%s' not in the header; skipped",
						path, line, term, f);
					bad = true;
					break;
				}
				if (only && strcmp(cats[i], only) && strcmp(ids[i], only))
					continue;
				if (!first && !term_ok(term, cats[i], path, line)) {
					warning("%s:%lu: '%s' skipped", path, line, term);
					bad = true;
					break;
				}
				if (!first)
					first = cats[i];
				add_out(&v, &n, &cap, term, cats[i], path, line);
				any = true;
			}
			skipped += bad || (!any && !only);
			if (!any && !bad && !only)
				warning("%s:%lu: '%s' has no category; skipped", path, line, term);
		}
	}
	if (ret == SLANT_EXIT_OK) {
		printf("# imported by slant-lexicon from %s: %zu entries\n", path, n);
		printf("term\tcategory\tweight\talternative\texclude\tnote\n");
		for (i = 0; i < ncats; i++) {
			size_t k;
			bool used = false;

			for (k = 0; k < n && !used; k++)
				used = v[k].cat == cats[i] || (v[k].also && in_list(v[k].also, cats[i]));
			if (used)
				printf("@category\t%s\t%s\n", cats[i], catdesc[i] ? catdesc[i] : only);
		}
		emit(stdout, v, n, weight, note, src);
	}
	if (skipped)
		fprintf(stderr, "%s: import: %zu line%s skipped (see above)\n", progname, skipped,
			skipped == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].term);
		free(v[i].also);
	}
	free(v);
	for (i = 0; i < LIWC_MAX_CATS; i++) {
		if (cats[i] != wcat)
			free(cats[i]);
		free(catdesc[i]);
		free(ids[i]);
	}
	free(wcat);
	free(src);
	free(text);
	return ret;
}

/* ====== The program ====== */

static int lexicon_run(struct stage_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	if (argc < 1) {
		error("give a command: lint, stats, test or import (see --help)");
		return SLANT_EXIT_USAGE;
	}
	opterr = 1;
	if (!strcmp(argv[0], "lint"))
		return cmd_lint(argc, argv);
	if (!strcmp(argv[0], "stats"))
		return cmd_stats(argc, argv);
	if (!strcmp(argv[0], "test"))
		return cmd_test(argc, argv);
	if (!strcmp(argv[0], "import"))
		return cmd_import(argc, argv);
	error("unknown command '%s' (lint, stats, test, import)", argv[0]);
	return SLANT_EXIT_USAGE;
}

const struct stage stage_lexicon = {
	.name = "lexicon",
	.summary = "Check, describe, try and import lexicon files.",
	.args = "COMMAND [OPTION...] ARG...",
	.commands = "  lint [--corpus FILE|DIR]... [--max-forms N] LEXICON...\n"
		    "                      duplicates and bad lines, entries shadowed by others or\n"
		    "                      covered by a wildcard, entries without a source note,\n"
		    "                      wildcards and regexes matching more than N (25) distinct\n"
		    "                      forms in the corpus (default /usr/share/dict/words);\n"
		    "                      for a register (outlets.tsv): bad lines, duplicate\n"
		    "                      domains and names, names shared across countries,\n"
		    "                      names and aliases that are common words, entries\n"
		    "                      without a source URL\n"
		    "  stats LEXICON...    entries per category, weights, kinds, sources\n"
		    "  test LEXICON... TEXT|FILE\n"
		    "  test --text FILE LEXICON...\n"
		    "                      what the lexicons match in TEXT (or FILE): offsets,\n"
		    "                      entry, and the matches exclusions or overlaps dropped\n"
		    "  import --liwc DIC [--category NAME]\n"
		    "                      a LIWC .dic dictionary, in slant's lexicon format\n"
		    "  import --words FILE --category NAME [--weight W] [--note TEXT]\n"
		    "                      a word list, one a line (weight 1 unless given)\n",
	.exit_note = "Exit status 1: lint has findings, or stats met a lexicon with bad lines.\n",
	.run = lexicon_run,
	.no_config = true,
	.standalone = true,
};
