/*
 * frame.c -- slant-frame: flag loaded and framing terms from lexicons, and
 * say whose words they are (docs/frame.md).
 *
 * One record in, the same record plus one "loaded" annotation per lexicon
 * match and one "scare_quote" annotation per short quoted phrase used at a
 * distance. The voice of a match comes from segment's annotations: inside the
 * headline, inside a quotation, in a clause a named source reports, or the
 * outlet's own.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "slant/conf.h"
#include "slant/lex.h"
#include "slant/rec.h"
#include "slant/stage.h"
#include "slant/text.h"
#include "slant/usage.h"

enum { OPT_LEXICON = 0x2000, OPT_BENCH_TEXT, OPT_NO_EXTEND };

/* Scare quotes: at most this many words, and their fixed weight. */
#define SCARE_MAX_WORDS 4
#define SCARE_WEIGHT 1.0
/* Words before (or after) a reporting verb searched for its named subject. */
#define SUBJECT_WINDOW 4

/*
 * Used when lexicons/reporting_verbs.tsv ([attrib] reporting_verbs) is
 * absent. Inflected forms are listed, not prefixes ("state*" would take
 * "statement"); a verb only counts in lower case, so "the United States"
 * holds none.
 */
static const char builtin_verbs[] =
	"@category\treporting\treporting verbs\n"
	"@category\taccording\tphrase after which the source is named\n"
	"according to\taccording\t1\n"
	"say\treporting\t1\nsays\treporting\t1\nsaid\treporting\t1\nsaying\treporting\t1\n"
	"tell\treporting\t1\ntells\treporting\t1\ntold\treporting\t1\n"
	"claim\treporting\t1\nclaims\treporting\t1\nclaimed\treporting\t1\n"
	"state\treporting\t1\nstates\treporting\t1\nstated\treporting\t1\n"
	"denounce\treporting\t1\ndenounces\treporting\t1\ndenounced\treporting\t1\n"
	"accuse\treporting\t1\naccuses\treporting\t1\naccused\treporting\t1\n"
	"allege\treporting\t1\nalleges\treporting\t1\nalleged\treporting\t1\n"
	"announce\treporting\t1\nannounces\treporting\t1\nannounced\treporting\t1\n"
	"declare\treporting\t1\ndeclares\treporting\t1\ndeclared\treporting\t1\n"
	"report\treporting\t1\nreported\treporting\t1\n"
	"warn\treporting\t1\nwarns\treporting\t1\nwarned\treporting\t1\n"
	"insist\treporting\t1\ninsists\treporting\t1\ninsisted\treporting\t1\n"
	"argue\treporting\t1\nargues\treporting\t1\nargued\treporting\t1\n"
	"assert\treporting\t1\nasserts\treporting\t1\nasserted\treporting\t1\n"
	"condemn\treporting\t1\ncondemns\treporting\t1\ncondemned\treporting\t1\n"
	"charge\treporting\t1\ncharges\treporting\t1\ncharged\treporting\t1\n"
	"write\treporting\t1\nwrites\treporting\t1\nwrote\treporting\t1\n"
	"add\treporting\t1\nadds\treporting\t1\nadded\treporting\t1\n"
	"explain\treporting\t1\nexplains\treporting\t1\nexplained\treporting\t1\n"
	"indicate\treporting\t1\nindicates\treporting\t1\nindicated\treporting\t1\n"
	"maintain\treporting\t1\nmaintains\treporting\t1\nmaintained\treporting\t1\n"
	"acknowledge\treporting\t1\nacknowledges\treporting\t1\nacknowledged\treporting\t1\n"
	"admit\treporting\t1\nadmits\treporting\t1\nadmitted\treporting\t1\n"
	"describe\treporting\t1\ndescribes\treporting\t1\ndescribed\treporting\t1\n";

/* Capitalised words that do not name a source. */
static const char *const not_names[] = {
	"a", "according", "all", "also", "an", "and", "analysts", "as", "at", "but", "critics",
	"experts", "he", "her", "his", "however", "i", "in", "it", "its", "many", "most", "observers",
	"officials", "on", "one", "others", "our", "reports", "several", "she", "some", "sources",
	"that", "the", "their", "there", "these", "they", "this", "those", "we", "when", "which",
	"while", "who", "yet", "you", NULL,
};

/*
 * Words a loaded modifier is not extended over ("a brutal dictator" grows,
 * "brutal to" does not; docs/frame.md, "Extension"): articles and
 * demonstratives, prepositions, conjunctions and wh-words, pronouns,
 * auxiliaries and modals with their negated contractions, negation, and
 * number words (a word starting with a digit is a number too). Sorted, for
 * text_in_table(); words are folded first, so "’" compares as "'".
 */
static const char *const function_words[] = {
	"a", "about", "above", "across", "after", "against", "along", "although", "am", "among",
	"an", "and", "any", "are", "aren't", "around", "as", "at", "be", "because", "been",
	"before", "behind", "being", "below", "between", "beyond", "billion", "billions", "both",
	"but", "by", "can", "can't", "cannot", "could", "couldn't", "did", "didn't", "do", "does",
	"doesn't", "don't", "during", "each", "eight", "either", "every", "five", "for", "four",
	"from", "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "her",
	"hers", "herself", "him", "himself", "his", "how", "hundred", "hundreds", "i", "if", "in",
	"inside", "into", "is", "isn't", "it", "its", "itself", "may", "me", "might", "million",
	"millions", "mine", "must", "my", "myself", "near", "neither", "never", "nine", "no",
	"nor", "not", "of", "off", "on", "one", "onto", "or", "our", "ours", "ourselves", "out",
	"over", "per", "seven", "shall", "she", "should", "shouldn't", "since", "six", "so",
	"than", "that", "the", "their", "theirs", "them", "themselves", "these", "they", "this",
	"those", "though", "thousand", "thousands", "three", "through", "to", "toward", "towards",
	"two", "under", "unless", "until", "up", "upon", "us", "via", "was", "wasn't", "we",
	"were", "weren't", "what", "when", "where", "whether", "which", "while", "who", "whom",
	"whose", "why", "will", "with", "within", "without", "won't", "would", "wouldn't", "yet",
	"you", "your", "yours", "yourself", "zero",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct span {
	size_t start, end;
};

struct quote {
	size_t start, end, cs, ce;   /* the quote with its marks, and its content */
	const char *speaker;         /* borrowed from the record, or NULL */
	long words;
	bool pull;
	size_t id;                   /* annotation id */
};

struct frame {
	char **paths;                /* --lexicon FILE, in order */
	size_t npaths;
	const char *bench;           /* --bench-text FILE */
	bool no_extend;              /* --no-extend */
	const struct lex_category **ext; /* [frame] extend_categories found in the lexicons */
	size_t next;
	struct lex lex, verbs;
	struct lex_matches m, vm;
	struct span *sent;
	size_t nsent, capsent;
	struct quote *quotes;
	size_t nquotes, capquotes;
};

static struct frame *frame_data(struct stage_ctx *ctx)
{
	if (!ctx->data)
		ctx->data = xcalloc(1, sizeof(struct frame));
	return ctx->data;
}

static int frame_option(struct stage_ctx *ctx, int opt, const char *arg)
{
	struct frame *f = frame_data(ctx);

	switch (opt) {
	case OPT_LEXICON:
		f->paths = xrealloc(f->paths, (f->npaths + 1) * sizeof(*f->paths));
		f->paths[f->npaths++] = xstrdup(arg);
		return 0;
	case OPT_BENCH_TEXT:
		f->bench = arg;
		return 0;
	case OPT_NO_EXTEND:
		f->no_extend = true;
		return 0;
	}
	return error("unknown option");
}

/* ====== Setup ====== */

/* The [frame] lexicon value: space-separated paths, relative to the config file. */
static int load_conf_lexicons(struct frame *f, const struct conf *conf)
{
	const char *v = conf_get(conf, "frame", "lexicon");
	char *list, *tok, *save = NULL;
	int ret = 0, n = 0;

	if (!v || !*v)
		return error("no lexicon: set [frame] lexicon or give --lexicon FILE");
	list = xstrdup(v);
	for (tok = strtok_r(list, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		char *path = tok[0] == '/' || !conf->dir ? xstrdup(tok)
							 : xasprintf("%s/%s", conf->dir, tok);

		if (lex_load(&f->lex, path) < 0)
			ret = -1;
		free(path);
		n++;
	}
	free(list);
	if (!n)
		return error("no lexicon: set [frame] lexicon or give --lexicon FILE");
	return ret;
}

/*
 * The [frame] extend_categories value: the categories whose matches grow over
 * the word they modify. Checked against the loaded lexicons: a name none of
 * them declares is a configuration error when the value was set (in the file
 * or on the command line) for the lexicons of [frame] lexicon. When the key
 * is left at its default, or --lexicon replaces those lexicons, such names
 * are skipped: the set was written for other lexicons.
 */
static int load_extend(struct frame *f, const struct conf *conf)
{
	const char *v = conf_get(conf, "frame", "extend_categories");
	const struct conf_entry *set = NULL;
	char *list, *tok, *save = NULL;
	size_t i;
	int ret = 0;

	if (f->no_extend || !v)
		return 0;
	for (i = 0; i < conf->n; i++)
		if (!strcmp(conf->v[i].section, "frame") &&
		    !strcmp(conf->v[i].key, "extend_categories"))
			set = &conf->v[i];
	list = xstrdup(v);
	for (tok = strtok_r(list, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		const struct lex_category *c = lex_category_find(&f->lex, tok);

		if (!c) {
			if (!set || f->npaths)
				continue;
			if (set->line)
				ret = error("%s:%lu: [frame] extend_categories: no loaded lexicon "
					    "declares category '%s'",
					    conf->path ? conf->path : "config", set->line, tok);
			else
				ret = error("[frame] extend_categories: no loaded lexicon declares "
					    "category '%s'", tok);
			continue;
		}
		for (i = 0; i < f->next && f->ext[i] != c; i++)
			;
		if (i == f->next) {
			f->ext = xrealloc(f->ext, (f->next + 1) * sizeof(*f->ext));
			f->ext[f->next++] = c;
		}
	}
	free(list);
	return ret;
}

static int load_verbs(struct frame *f, const struct conf *conf)
{
	char *path = conf_path(conf, "attrib", "reporting_verbs");
	int ret;

	if (path && access(path, R_OK) == 0)
		ret = lex_load(&f->verbs, path);
	else
		ret = lex_load_buffer(&f->verbs, "<built-in reporting verbs>", builtin_verbs,
				      sizeof(builtin_verbs) - 1);
	free(path);
	if (ret < 0)
		return -1;
	return lex_compile(&f->verbs);
}

/* Matcher alone over raw text, in chunks cut at line ends: 'make bench' times it. */
static int bench_text(struct frame *f, const char *path)
{
	FILE *fp = fopen(path, "rb");
	size_t cap = 1 << 20, have = 0, total = 0, n;
	char *buf = xmalloc(cap);
	unsigned long matches = 0;
	struct timespec t0, t1;
	double sec;

	if (!fp) {
		free(buf);
		return error("cannot open '%s':", path);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		size_t cut;
		long r;

		n = fread(buf + have, 1, cap - have, fp);
		have += n;
		if (!have)
			break;
		cut = have;
		if (n) {
			while (cut > 0 && buf[cut - 1] != '\n')
				cut--;
			if (!cut)
				cut = have;
		}
		r = lex_match(&f->lex, buf, cut, 0, &f->m);
		if (r < 0) {
			fclose(fp);
			free(buf);
			return -1;
		}
		matches += (unsigned long)r;
		total += cut;
		memmove(buf, buf + cut, have - cut);
		have -= cut;
		if (!n && !have)
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (ferror(fp)) {
		fclose(fp);
		free(buf);
		return error("cannot read '%s':", path);
	}
	fclose(fp);
	free(buf);
	sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("bytes %zu matches %lu entries %zu seconds %.3f mb_per_s %.1f\n", total, matches,
	       f->lex.n, sec, sec > 0 ? (double)total / 1e6 / sec : 0.0);
	return 0;
}

static void frame_teardown(struct stage_ctx *ctx)
{
	struct frame *f = ctx->data;
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->npaths; i++)
		free(f->paths[i]);
	free(f->paths);
	free(f->ext);
	lex_release(&f->lex);
	lex_release(&f->verbs);
	lex_matches_release(&f->m);
	lex_matches_release(&f->vm);
	free(f->sent);
	free(f->quotes);
	free(f);
	ctx->data = NULL;
}

static int frame_setup(struct stage_ctx *ctx, int argc, char **argv)
{
	struct frame *f = frame_data(ctx);
	size_t i;
	int ret = 0;

	(void)argc;
	(void)argv;
	if (f->npaths) {
		for (i = 0; i < f->npaths; i++)
			if (lex_load(&f->lex, f->paths[i]) < 0)
				ret = -1;
	} else {
		ret = load_conf_lexicons(f, ctx->conf);
	}
	if (!text_table_sorted(function_words, COUNT(function_words)))
		return error("function_words[] is not sorted (a bug)");
	if (ret < 0 || lex_compile(&f->lex) < 0 || load_extend(f, ctx->conf) < 0 ||
	    load_verbs(f, ctx->conf) < 0)
		return -1;
	/* The files, by content, the annotations come from (built-in verbs are no file). */
	for (i = 0; i < f->lex.nfiles; i++)
		stage_note_lexicon(ctx, f->lex.files[i].path);
	for (i = 0; i < f->verbs.nfiles; i++)
		if (f->verbs.files[i].path[0] != '<')
			stage_note_lexicon(ctx, f->verbs.files[i].path);
	if (verbose) {
		for (i = 0; i < f->lex.nfiles; i++)
			fprintf(stderr, "%s: lexicon '%s': %zu entries, sha256 %s\n", progname,
				f->lex.files[i].path, f->lex.files[i].entries, f->lex.files[i].hash);
		fprintf(stderr, "%s: extending matches of:", progname);
		for (i = 0; i < f->next; i++)
			fprintf(stderr, " %s", f->ext[i]->name);
		fprintf(stderr, "%s\n", f->next ? "" : " (none)");
	}
	if (f->bench) {
		ret = bench_text(f, f->bench);
		frame_teardown(ctx);
		if (fflush(stdout))
			die("write error:");
		exit(ret < 0 ? SLANT_EXIT_RUNTIME : SLANT_EXIT_OK);
	}
	return 0;
}

/* ====== Voice ====== */

/* Whether text[s, e) is a word that can name a source: capitalised, not a function word. */
static bool names_source(const char *text, size_t s, size_t e)
{
	char fold[32];
	size_t n, i;

	if (!text_word_capitalised(text, s, e) || e - s >= sizeof(fold))
		return text_word_capitalised(text, s, e);
	n = lex_fold(text + s, e - s, fold);
	fold[n] = '\0';
	for (i = 0; not_names[i]; i++)
		if (!strcmp(fold, not_names[i]))
			return false;
	return true;
}

static bool only_spaces(const char *t, size_t a, size_t b)
{
	for (; a < b; a++)
		if (t[a] != ' ' && t[a] != '\n' && t[a] != '\t')
			return false;
	return true;
}

/*
 * The named subject next to a reporting verb: among up to SUBJECT_WINDOW
 * words before 'vs' (after 've' when 'after'), separated by spaces only,
 * one that names a source. Sets [*ss, *se) from the first such word to the
 * verb. Returns false when there is none.
 */
static bool named_subject(const char *text, size_t lo, size_t hi, size_t vs, size_t ve,
			  bool after, size_t *ss, size_t *se)
{
	size_t words[SUBJECT_WINDOW][2], n = 0, pos, s, e, i;
	bool found = false;

	if (after) {
		size_t prev = ve;

		pos = ve;
		while (n < SUBJECT_WINDOW && lex_next_word(text, hi, &pos, &s, &e) &&
		       only_spaces(text, prev, s)) {
			words[n][0] = s;
			words[n][1] = e;
			n++;
			prev = e;
		}
		for (i = 0; i < n; i++) {
			if (names_source(text, words[i][0], words[i][1])) {
				*ss = words[0][0];
				*se = words[n - 1][1];
				found = true;
				/* Stop the name at the sentence's words that follow it. */
				while (n > i + 1 &&
				       !text_word_capitalised(text, words[n - 1][0], words[n - 1][1]))
					*se = words[--n - 1][1];
				break;
			}
		}
		return found;
	}
	/* Before the verb: collect the words of [lo, vs), keep the last few. */
	{
		size_t all[64][2], na = 0;

		pos = lo;
		while (lex_next_word(text, vs, &pos, &s, &e)) {
			if (na == 64) {
				memmove(all, all + 1, sizeof(all) - sizeof(all[0]));
				na--;
			}
			all[na][0] = s;
			all[na][1] = e;
			na++;
		}
		{
			size_t next = vs;

			while (na > 0 && n < SUBJECT_WINDOW && only_spaces(text, all[na - 1][1], next)) {
				na--;
				words[n][0] = all[na][0];
				words[n][1] = all[na][1];
				next = all[na][0];
				n++;
			}
		}
		/* words[] runs backwards from the verb. */
		for (i = n; i-- > 0;) {
			if (names_source(text, words[i][0], words[i][1])) {
				*ss = words[i][0];
				*se = words[0][1];
				return true;
			}
		}
	}
	return false;
}

/* Whether [a, b) holds nothing but spaces and the articles "the", "a", "an". */
static bool only_determiners(const char *t, size_t a, size_t b)
{
	size_t pos = a, s, e;

	while (lex_next_word(t, b, &pos, &s, &e)) {
		size_t n = e - s;

		if (!only_spaces(t, a, s) ||
		    !((n == 3 && !strncasecmp(t + s, "the", 3)) ||
		      (n == 1 && (t[s] == 'a' || t[s] == 'A')) ||
		      (n == 2 && !strncasecmp(t + s, "an", 2))))
			return false;
		a = e;
	}
	return only_spaces(t, a, b);
}

/* Whether the clause ends after 'pos' (in a sentence ending at 'se'): punctuation or the end. */
static bool clause_ends(const char *t, size_t pos, size_t se)
{
	while (pos < se && (t[pos] == ' ' || t[pos] == '\n'))
		pos++;
	return pos >= se || strchr(".,;:!?\"'", t[pos]) || (unsigned char)t[pos] == 0xE2;
}

/*
 * Reported speech (docs/frame.md): in sentence [ss, se), the match [ms, me)
 * follows a reporting verb whose subject names a source, with no ';' between
 * the verb and the match ("the United States denounces the massive
 * participation of Cuban mercenaries"); or it precedes ", NAME VERB" /
 * ", VERB NAME" at the end of its clause ("...mercenaries, Kyiv said"); or it
 * follows "according to NAME" (a cue of category "according").
 */
static bool reported(struct frame *f, const char *text, size_t ss, size_t se, size_t ms,
		     size_t me, size_t *spk_s, size_t *spk_e)
{
	long n = lex_match(&f->verbs, text + ss, se - ss, 0, &f->vm);
	long i;

	for (i = 0; i < n; i++) {
		size_t vs = ss + f->vm.v[i].start, ve = ss + f->vm.v[i].end, k;
		bool clean = true, according = !strcmp(f->vm.v[i].entry->category->name, "according");

		/* A capitalised verb is a name ("the United States"), except a leading "According". */
		if (!according && text_word_capitalised(text, vs, ve))
			continue;
		if (ve <= ms) {
			for (k = ve; k < ms; k++)
				if (text[k] == ';')
					clean = false;
			/* "according to NAME, ..." names its source after the cue. */
			if (clean && named_subject(text, ss, se, vs, ve, according, spk_s, spk_e))
				return true;
		} else if (vs >= me && !according) {
			size_t comma = 0;
			bool have = false;

			for (k = me; k < vs; k++) {
				if (text[k] == ';' || text[k] == '.')
					clean = false;
				if (text[k] == ',') {
					comma = k;
					have = true;
				}
			}
			if (!clean || !have)
				continue;
			/*
			 * ", NAME VERB" must be the whole clause after the comma ("...,
			 * the ministry said."), not a name somewhere in it ("..., amid
			 * the war in Ukraine and as reports increase").
			 */
			if ((named_subject(text, comma + 1, se, vs, ve, false, spk_s, spk_e) &&
			     only_determiners(text, comma + 1, *spk_s) && clause_ends(text, ve, se)) ||
			    (only_spaces(text, comma + 1, vs) &&
			     named_subject(text, ss, se, vs, ve, true, spk_s, spk_e)))
				return true;
		}
	}
	*spk_s = *spk_e = 0;
	return false;
}

/* The innermost quote whose content holds [s, e), or NULL. */
static const struct quote *quote_at(const struct frame *f, size_t s, size_t e)
{
	const struct quote *best = NULL;
	size_t i;

	for (i = 0; i < f->nquotes; i++) {
		const struct quote *q = &f->quotes[i];

		if (q->cs <= s && e <= q->ce && (!best || q->ce - q->cs < best->ce - best->cs))
			best = q;
	}
	return best;
}

/* A speaker for a match in quote 'q': its own, else that of a quote around it. */
static const char *quote_speaker(const struct frame *f, const struct quote *q)
{
	const struct quote *best = NULL;
	size_t i;

	if (q->speaker)
		return q->speaker;
	for (i = 0; i < f->nquotes; i++) {
		const struct quote *o = &f->quotes[i];

		if (o != q && o->speaker && o->cs <= q->start && q->end <= o->ce &&
		    (!best || o->ce - o->cs < best->ce - best->cs))
			best = o;
	}
	return best ? best->speaker : NULL;
}

/* Index of the sentence holding offset 'off', or -1. */
static long sentence_at(const struct frame *f, size_t off)
{
	size_t lo = 0, hi = f->nsent;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->sent[mid].end <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->nsent && f->sent[lo].start <= off ? (long)lo : -1;
}

/* Whether quote 'q' is a scare quote: short, no speaker, not opening its sentence. */
static bool scare_quote(const struct frame *f, const char *text, const struct quote *q)
{
	long si;
	size_t pos, s, e;

	if (q->speaker || q->pull || q->words < 1 || q->words > SCARE_MAX_WORDS)
		return false;
	si = sentence_at(f, q->start);
	if (si < 0)
		return false;
	pos = f->sent[si].start;
	return lex_next_word(text, q->start, &pos, &s, &e);
}

/* ====== Extension: a loaded modifier and the word it modifies ====== */

/* Width of the hyphen at text[i] ('-', U+2010, U+2011), or 0. */
static size_t hyphen_at(const char *text, size_t len, size_t i)
{
	if (i < len && text[i] == '-')
		return 1;
	if (i + 2 < len && (unsigned char)text[i] == 0xE2 && (unsigned char)text[i + 1] == 0x80 &&
	    ((unsigned char)text[i + 2] == 0x90 || (unsigned char)text[i + 2] == 0x91))
		return 3;
	return 0;
}

/* Whether text[s, e) is a function word or a number (function_words[]). */
static bool function_word(const char *text, size_t s, size_t e)
{
	char fold[32];

	if (text[s] >= '0' && text[s] <= '9')
		return true;
	if (e - s >= sizeof(fold))
		return false;
	return text_in_table(function_words, COUNT(function_words), fold,
			     lex_fold(text + s, e - s, fold));
}

/*
 * Where the annotation of match 'i' ends (docs/frame.md, "Extension"): a
 * match of an extended category grows over the next word when exactly one
 * space stands between them, the word is no function word or number, no
 * other match starts in it, and it lies in the match's sentence. A
 * hyphenated word is taken whole ("left-wing", "al-Assad"). Punctuation, a
 * quote mark, a line break or a second space stop it.
 */
static size_t extended_end(const struct frame *f, const char *text, size_t len, size_t i)
{
	const struct lex_match *m = &f->m.v[i];
	size_t pos = m->end + 1, s, e, k, h;
	long si;

	for (k = 0; k < f->next && f->ext[k] != m->entry->category; k++)
		;
	if (k == f->next || m->end >= len || text[m->end] != ' ')
		return m->end;
	if (!lex_next_word(text, len, &pos, &s, &e) || s != m->end + 1 || function_word(text, s, e))
		return m->end;
	while ((h = hyphen_at(text, len, e))) {
		size_t s2, e2;

		pos = e + h;
		if (!lex_next_word(text, len, &pos, &s2, &e2) || s2 != e + h)
			break;
		e = e2;
	}
	if (i + 1 < f->m.n && f->m.v[i + 1].start < e)
		return m->end;
	si = sentence_at(f, m->start);
	if (si >= 0 && e > f->sent[si].end)
		return m->end;
	return e;
}

/* ====== Records ====== */

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Read segment's headline, sentences and quotes; -1 when an offset is out of the text. */
static int read_segments(struct frame *f, json_t *anns, size_t len, struct span *head)
{
	size_t i;
	json_t *a;

	f->nsent = f->nquotes = 0;
	head->start = head->end = 0;
	json_array_foreach(anns, i, a) {
		size_t s, e;

		if (!ann_is(a, "segment", NULL))
			continue;
		s = ann_offset(a, "start", SIZE_MAX);
		e = ann_offset(a, "end", SIZE_MAX);
		if (ann_is(a, "segment", "headline") || ann_is(a, "segment", "sentence") ||
		    ann_is(a, "segment", "quote")) {
			if (s > e || e > len)
				return -1;
		}
		if (ann_is(a, "segment", "headline")) {
			head->start = s;
			head->end = e;
		} else if (ann_is(a, "segment", "sentence")) {
			xgrow(&f->sent, &f->capsent, f->nsent + 1, sizeof(*f->sent));
			f->sent[f->nsent].start = s;
			f->sent[f->nsent++].end = e;
		} else if (ann_is(a, "segment", "quote")) {
			struct quote *q;
			const char *kind = json_string_value(json_object_get(a, "kind"));

			xgrow(&f->quotes, &f->capquotes, f->nquotes + 1, sizeof(*f->quotes));
			q = &f->quotes[f->nquotes++];
			q->start = s;
			q->end = e;
			q->cs = ann_offset(a, "content_start", s);
			q->ce = ann_offset(a, "content_end", e);
			if (q->cs < s || q->ce > e || q->cs > q->ce)
				return -1;
			q->speaker = json_string_value(json_object_get(a, "speaker"));
			q->words = (long)ann_offset(a, "words", 0);
			q->pull = kind && !strcmp(kind, "pull");
			q->id = i;
		}
	}
	qsort(f->sent, f->nsent, sizeof(*f->sent), cmp_span);
	return 0;
}

/* The annotation of match 'm', spanning [m->start, end): 'end' is past m->end when extended. */
static void add_loaded(struct frame *f, json_t *rec, const char *text, const struct span *head,
		       const struct lex_match *m, size_t end)
{
	const struct lex_entry *e = m->entry;
	const struct quote *q;
	const char *voice = "authorial", *speaker = NULL;
	json_t *ann;
	size_t spk_s = 0, spk_e = 0;
	long si;

	if (head->end > head->start && head->start <= m->start && m->end <= head->end) {
		voice = "headline";
	} else if ((q = quote_at(f, m->start, m->end))) {
		voice = "quoted";
		speaker = quote_speaker(f, q);
	} else if ((si = sentence_at(f, m->start)) >= 0 &&
		   reported(f, text, f->sent[si].start, f->sent[si].end, m->start, m->end, &spk_s,
			    &spk_e)) {
		voice = "reported";
	}
	/* The voice is the lexicon term's: decided on the match, not on the word it modifies. */
	ann = rec_annotate(rec, "frame", "loaded", m->start, end);
	json_object_set_new(ann, "entry", json_string(e->term));
	json_object_set_new(ann, "category", json_string(e->category->name));
	json_object_set_new(ann, "weight", json_real(e->weight));
	if (e->alternative)
		json_object_set_new(ann, "alternative", json_string(e->alternative));
	json_object_set_new(ann, "voice", json_string(voice));
	if (speaker)
		json_object_set_new(ann, "speaker", json_string(speaker));
	else if (spk_e > spk_s)
		json_object_set_new(ann, "speaker", json_stringn(text + spk_s, spk_e - spk_s));
	if (e->file_base)
		json_object_set_new(ann, "lexicon", json_string(e->file_base));
	json_object_set_new(ann, "lexicon_line", json_integer((json_int_t)e->line));
	if (end > m->end) {
		json_object_set_new(ann, "extended", json_true());
		json_object_set_new(ann, "match_end", json_integer((json_int_t)m->end));
	}
}

static void add_scare(json_t *rec, const struct quote *q)
{
	json_t *ann = rec_annotate(rec, "frame", "scare_quote", q->start, q->end);

	json_object_set_new(ann, "category", json_string("scare_quote"));
	json_object_set_new(ann, "weight", json_real(SCARE_WEIGHT));
	json_object_set_new(ann, "voice", json_string("authorial"));
	json_object_set_new(ann, "quote", json_integer((json_int_t)q->id));
}

static int frame_record(struct stage_ctx *ctx, json_t *rec)
{
	struct frame *f = ctx->data;
	size_t len, i = 0, k = 0;
	const char *text = rec_text(rec, &len);
	json_t *anns = rec_annotations(rec);
	struct span head;
	long n;

	if (read_segments(f, anns, len, &head) < 0)
		return stage_reject(ctx, rec, "segment annotation outside the text; re-run slant-segment");
	n = lex_match(&f->lex, text, len, 0, &f->m);
	if (n < 0)
		return stage_reject(ctx, rec, "lexicon matching failed (see above)");
	/* Append in text order: lexicon matches and scare quotes interleaved by start. */
	while (i < f->m.n || k < f->nquotes) {
		if (k < f->nquotes && !scare_quote(f, text, &f->quotes[k])) {
			k++;
			continue;
		}
		if (i < f->m.n && (k >= f->nquotes || f->m.v[i].start <= f->quotes[k].start)) {
			add_loaded(f, rec, text, &head, &f->m.v[i], extended_end(f, text, len, i));
			i++;
		} else {
			add_scare(rec, &f->quotes[k]);
			k++;
		}
	}
	return 0;
}

static const struct option frame_options[] = {
	{ "lexicon", required_argument, NULL, OPT_LEXICON },
	{ "bench-text", required_argument, NULL, OPT_BENCH_TEXT },
	{ "no-extend", no_argument, NULL, OPT_NO_EXTEND },
	{ NULL, 0, NULL, 0 },
};

static const char *const frame_requires[] = { "segment", NULL };

const struct stage stage_frame = {
	.name = "frame",
	.summary = "Flag loaded and framing terms from lexicons, with their voice (headline,\n"
		   "quoted, reported, authorial), and short scare quotes.",
	.help = "      --lexicon FILE  match the lexicon FILE (repeatable; replaces [frame]\n"
		"                      lexicon of pipeline.conf)\n"
		"      --no-extend     annotate each match alone, not grown over the word it\n"
		"                      modifies ([frame] extend_categories)\n"
		"      --bench-text FILE  time the matcher alone over the raw text FILE, print\n"
		"                      bytes, matches and MB/s, and exit\n",
	.requires = frame_requires,
	.options = frame_options,
	.option = frame_option,
	.setup = frame_setup,
	.record = frame_record,
	.teardown = frame_teardown,
};
