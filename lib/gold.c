/* gold.c -- PTC and BRAT gold readers, code point offsets, text alignment, label mapping. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "slant/file.h"
#include "slant/gold.h"
#include "slant/text.h"
#include "slant/usage.h"
#include "slant/utf8.h"

/* ====== Files ====== */

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* ====== Code points ====== */

size_t *gold_cp_index(const char *text, size_t len, size_t *ncp)
{
	size_t *idx = xmalloc((len + 1) * sizeof(*idx));
	size_t i = 0, n = 0, w;
	uint32_t cp;

	while (i < len) {
		idx[n++] = i;
		w = utf8_decode(text + i, len - i, &cp);
		i += w ? w : 1;
	}
	idx[n] = len;
	*ncp = n;
	return idx;
}

/* ====== Documents ====== */

static struct gold_doc *doc_new(struct gold_set *g, const char *name, const char *path,
				const char *ann)
{
	struct gold_doc *d;

	xgrow(&g->docs, &g->cap, g->n + 1, sizeof(*g->docs));
	d = &g->docs[g->n++];
	memset(d, 0, sizeof(*d));
	d->name = xstrdup(name);
	d->path = xstrdup(path);
	d->ann = xstrdup(ann);
	return d;
}

static void doc_release(struct gold_doc *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->spans[i].label);
	free(d->spans);
	free(d->name);
	free(d->path);
	free(d->ann);
	free(d->text);
}

/* Load the text of 'd'; -1 (reported) when unreadable or not UTF-8. */
static int doc_load_text(struct gold_doc *d)
{
	size_t bad;

	if (file_read(d->path, FILE_MAX_DATA, &d->text, &d->len) < 0)
		return -1;
	bad = utf8_valid_prefix(d->text, d->len);
	if (bad != d->len)
		return error("'%s': invalid UTF-8 at byte %zu", d->path, bad);
	return 0;
}

static void doc_add_span(struct gold_doc *d, size_t s, size_t e, const char *label, size_t llen,
			 unsigned long line)
{
	struct gold_span *sp;

	xgrow(&d->spans, &d->cap, d->n + 1, sizeof(*d->spans));
	sp = &d->spans[d->n++];
	sp->start = s;
	sp->end = e;
	sp->label = xstrndup(label, llen);
	sp->line = line;
}

/*
 * Convert code point offsets [cs, ce) of 'd' through 'idx' (ncp code points)
 * and add the span. Returns 0, or -1 (reported at file:line).
 */
static int doc_add_cp_span(struct gold_doc *d, const size_t *idx, size_t ncp, unsigned long cs,
			   unsigned long ce, const char *label, size_t llen, unsigned long line)
{
	if (cs > ce)
		return error_at(d->ann, line, "span start %lu after its end %lu", cs, ce);
	if (ce > ncp)
		return error_at(d->ann, line,
				"span end %lu past the end of '%s' (%zu code points)", ce, d->path,
				ncp);
	doc_add_span(d, idx[cs], idx[ce], label, llen, line);
	return 0;
}

static int span_cmp(const void *a, const void *b)
{
	const struct gold_span *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int doc_cmp(const void *a, const void *b)
{
	const struct gold_doc *x = a, *y = b;
	size_t lx = strlen(x->name), ly = strlen(y->name);
	bool nx = lx && isdigit((unsigned char)x->name[0]);
	bool ny = ly && isdigit((unsigned char)y->name[0]);

	/* Numbers in numeric order: "9" before "10". */
	if (nx && ny && lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Parse an unsigned decimal that fills [s, e). */
static bool parse_ulong(const char *s, const char *e, unsigned long *out)
{
	unsigned long v = 0;

	if (s == e)
		return false;
	for (; s < e; s++) {
		if (!isdigit((unsigned char)*s) || v > (ULONG_MAX - 9) / 10)
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*out = v;
	return true;
}

/* ====== PTC ====== */

static long read_ptc(struct gold_set *g, const char *dir)
{
	char *adir = xasprintf("%s/articles", dir), *lpath = xasprintf("%s/labels.tsv", dir);
	char *labels = NULL, *p, *eol, *next;
	size_t llen, first = g->n, i, ncp = 0, *idx = NULL, idx_doc = (size_t)-1;
	struct dirent *de;
	unsigned long line = 0, missing = 0;
	int ret = 0;
	DIR *dp = opendir(adir);

	if (!dp) {
		ret = error("cannot open '%s': %s", adir, strerror(errno));
		goto out;
	}
	while ((de = readdir(dp))) {
		const char *n = de->d_name;
		size_t nl = strlen(n);
		char *name, *path;

		if (strncmp(n, "article", 7) || !ends_with(n, ".txt") || nl <= 11)
			continue;
		name = xstrndup(n + 7, nl - 11);
		path = xasprintf("%s/%s", adir, n);
		doc_new(g, name, path, lpath);
		free(name);
		free(path);
	}
	closedir(dp);
	if (g->n > first)
		qsort(g->docs + first, g->n - first, sizeof(*g->docs), doc_cmp);
	for (i = first; i < g->n; i++)
		if (doc_load_text(&g->docs[i]) < 0)
			ret = -1;
	if (ret < 0)
		goto out;
	if (file_read(lpath, FILE_MAX_DATA, &labels, &llen) < 0) {
		ret = -1;
		goto out;
	}
	for (p = labels; *p; p = next) {
		char *f[5], *q;
		size_t nf = 0, lo, hi;
		unsigned long cs, ce;
		struct gold_doc *d = NULL;

		eol = strchr(p, '\n');
		if (!eol)
			eol = p + strlen(p);
		next = *eol ? eol + 1 : eol;
		line++;
		if (eol > p && eol[-1] == '\r')
			eol[-1] = '\0';
		*eol = '\0';
		if (!*p || *p == '#')
			continue;
		f[nf++] = p;
		for (q = p; *q && nf < 5; q++)
			if (*q == '\t') {
				*q = '\0';
				f[nf++] = q + 1;
			}
		if (nf != 4) {
			ret = error_at(lpath, line, "expected 4 tab-separated fields (article, "
				       "technique, start, end), found %zu", nf);
			continue;
		}
		if (!parse_ulong(f[2], f[2] + strlen(f[2]), &cs) ||
		    !parse_ulong(f[3], f[3] + strlen(f[3]), &ce)) {
			ret = error_at(lpath, line, "start and end must be numbers: '%s', '%s'",
				       f[2], f[3]);
			continue;
		}
		/* Binary search: the documents of this set are sorted by name. */
		lo = first;
		hi = g->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			struct gold_doc key = { .name = f[0] };
			int c = doc_cmp(&key, &g->docs[mid]);

			if (!c) {
				d = &g->docs[mid];
				break;
			}
			if (c < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
		if (!d) {
			/* The PTC folder may hold part of a corpus: count, say so once. */
			missing++;
			continue;
		}
		if (idx_doc != (size_t)(d - g->docs)) {
			free(idx);
			idx = gold_cp_index(d->text, d->len, &ncp);
			idx_doc = (size_t)(d - g->docs);
		}
		if (doc_add_cp_span(d, idx, ncp, cs, ce, f[1], strlen(f[1]), line) < 0)
			ret = -1;
	}
	if (missing)
		warning("'%s': %lu label line%s for articles not in '%s' skipped", lpath, missing,
			missing == 1 ? "" : "s", adir);
out:
	free(idx);
	free(labels);
	free(adir);
	free(lpath);
	return ret < 0 ? -1 : (long)(g->n - first);
}

/* ====== BRAT ====== */

/* The text file for annotation file 'ann': see gold.h. Returns a malloc'd path or NULL. */
static char *brat_text_for(const char *ann)
{
	const char *slash = strrchr(ann, '/');
	size_t dlen = slash ? (size_t)(slash - ann) : 0;
	char *dir = slash ? xstrndup(ann, dlen) : xstrdup(".");
	const char *base = slash ? slash + 1 : ann;
	char *stem = xstrndup(base, strlen(base) - 4), *cut = xstrdup(stem);
	char *us = strrchr(cut, '_'), *path;
	size_t i, k;

	if (us)
		*us = '\0';
	for (i = 0; i < 2; i++)
		for (k = 0; k < (us ? 2u : 1u); k++) {
			path = xasprintf("%s/%s%s.txt", dir, i ? "../text/" : "", k ? cut : stem);
			if (is_file(path))
				goto found;
			free(path);
		}
	path = NULL;
found:
	free(dir);
	free(stem);
	free(cut);
	return path;
}

/*
 * Whether text[s, e) reads like 'want' when white space is ignored; 'want'
 * may stop early (a covered text that crossed a line break is cut there).
 */
static bool same_text(const char *text, size_t s, size_t e, const char *want)
{
	size_t i = s;

	for (;;) {
		while (i < e && isspace((unsigned char)text[i]))
			i++;
		while (*want && isspace((unsigned char)*want))
			want++;
		if (i == e || !*want)
			return !*want;
		if (text[i++] != *want++)
			return false;
	}
}

/* Read one .ann file: 0, 1 when its text was already read (skipped), -1 (reported). */
static int read_brat_file(struct gold_set *g, const char *ann)
{
	char *txt = brat_text_for(ann), *buf, *p, *eol, *next, *base;
	const char *slash = strrchr(ann, '/');
	size_t len, ncp, *idx;
	unsigned long line = 0, mismatched = 0;
	struct gold_doc *d;
	int ret = 0;

	if (!txt)
		return error("'%s': no text file for it (looked for NAME.txt beside it and in "
			     "../text/)", ann);
	for (size_t k = 0; k < g->n; k++)
		if (!strcmp(g->docs[k].path, txt)) {
			free(txt);
			return 1;       /* another annotator's file for a text we have */
		}
	base = xstrdup(slash ? slash + 1 : ann);
	base[strlen(base) - 4] = '\0';
	d = doc_new(g, base, txt, ann);
	free(base);
	free(txt);
	if (doc_load_text(d) < 0)
		return -1;
	if (file_read(ann, FILE_MAX_DATA, &buf, &len) < 0)
		return -1;
	idx = gold_cp_index(d->text, d->len, &ncp);
	for (p = buf; *p; p = next) {
		char *tab1, *tab2, *sp, *frag;
		size_t first = d->n;

		eol = strchr(p, '\n');
		if (!eol)
			eol = p + strlen(p);
		next = *eol ? eol + 1 : eol;
		line++;
		if (eol > p && eol[-1] == '\r')
			eol[-1] = '\0';
		*eol = '\0';
		/*
		 * Relations, events, attributes and notes are not spans; nor is a line
		 * that continues the covered text of a span crossing a line break.
		 */
		if (*p != 'T' || !isdigit((unsigned char)p[1]))
			continue;
		tab1 = strchr(p, '\t');
		tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
		sp = tab1 ? strchr(tab1 + 1, ' ') : NULL;
		if (!tab1 || !sp || (tab2 && sp > tab2)) {
			ret = error_at(ann, line, "expected 'Tn<TAB>Label start end<TAB>text'");
			continue;
		}
		if (tab2)
			*tab2 = '\0';
		for (frag = sp + 1; frag && *frag;) {
			char *semi = strchr(frag, ';'), *mid, *fe;
			unsigned long cs, ce;

			fe = semi ? semi : frag + strlen(frag);
			mid = memchr(frag, ' ', (size_t)(fe - frag));
			if (!mid || !parse_ulong(frag, mid, &cs) || !parse_ulong(mid + 1, fe, &ce)) {
				ret = error_at(ann, line, "bad offsets '%.*s'", (int)(fe - frag),
					       frag);
				break;
			}
			if (doc_add_cp_span(d, idx, ncp, cs, ce, tab1 + 1, (size_t)(sp - tab1 - 1),
					    line) < 0) {
				ret = -1;
				break;
			}
			frag = semi ? semi + 1 : NULL;
		}
		/* The covered text BRAT repeats checks our offset conversion. */
		if (tab2 && d->n == first + 1 &&
		    !same_text(d->text, d->spans[first].start, d->spans[first].end, tab2 + 1))
			mismatched++;
	}
	if (mismatched)
		warning("'%s': %lu span%s whose text differs from '%s' at its offsets", ann,
			mismatched, mismatched == 1 ? "" : "s", d->path);
	free(idx);
	free(buf);
	return ret;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect .ann files under 'dir', 'depth' levels deep, in sorted order. */
static void collect_ann(const char *dir, int depth, char ***v, size_t *n, size_t *cap)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t nn = 0, cn = 0, i;

	if (!dp)
		return;
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.')
			continue;
		xgrow(&names, &cn, nn + 1, sizeof(*names));
		names[nn++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(dp);
	if (nn)
		qsort(names, nn, sizeof(*names), name_cmp);
	for (i = 0; i < nn; i++) {
		if (ends_with(names[i], ".ann") && is_file(names[i])) {
			xgrow(v, cap, *n + 1, sizeof(**v));
			(*v)[(*n)++] = names[i];
			continue;
		}
		if (depth > 0 && is_dir(names[i]))
			collect_ann(names[i], depth - 1, v, n, cap);
		free(names[i]);
	}
	free(names);
}

static long read_brat(struct gold_set *g, const char *path)
{
	char **files = NULL;
	size_t n = 0, cap = 0, i, first = g->n;
	unsigned long dup = 0;
	int ret = 0, r;

	if (is_dir(path))
		collect_ann(path, 2, &files, &n, &cap);
	else {
		files = xmalloc(sizeof(*files));
		files[n++] = xstrdup(path);
	}
	if (!n)
		ret = error("'%s': no .ann files", path);
	for (i = 0; i < n; i++) {
		r = read_brat_file(g, files[i]);
		if (r < 0)
			ret = -1;
		dup += r == 1;
		free(files[i]);
	}
	free(files);
	/* Several annotators of one text would count its spans twice: the first file is kept. */
	if (dup)
		warning("'%s': %lu .ann file%s for texts already read (another annotator) skipped",
			path, dup, dup == 1 ? "" : "s");
	if (ret < 0)
		return -1;
	if (g->n > first)
		qsort(g->docs + first, g->n - first, sizeof(*g->docs), doc_cmp);
	return (long)(g->n - first);
}

long gold_read(struct gold_set *g, const char *path, enum gold_format format)
{
	char *labels = xasprintf("%s/labels.tsv", path);
	long n;
	size_t d;

	if (format == GOLD_AUTO) {
		if (is_dir(path) && is_file(labels))
			format = GOLD_PTC;
		else if (is_dir(path) || ends_with(path, ".ann"))
			format = GOLD_BRAT;
	}
	free(labels);
	if (format == GOLD_AUTO) {
		struct stat st;

		if (stat(path, &st) < 0)
			return error("cannot open gold '%s': %s", path, strerror(ENOENT));
		return error("'%s': neither a PTC folder (labels.tsv, articles/) nor BRAT "
			     "(.ann files)", path);
	}
	if (format == GOLD_PTC && !is_dir(path))
		return error("'%s': a PTC gold set is a folder with labels.tsv and articles/", path);
	g->format = format;
	n = format == GOLD_PTC ? read_ptc(g, path) : read_brat(g, path);
	for (d = 0; d < g->n; d++)
		if (g->docs[d].n)
			qsort(g->docs[d].spans, g->docs[d].n, sizeof(struct gold_span), span_cmp);
	return n;
}

void gold_set_release(struct gold_set *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		doc_release(&g->docs[i]);
	free(g->docs);
	memset(g, 0, sizeof(*g));
}

bool gold_in_split(const struct gold_doc *d, size_t index, const char *split)
{
	size_t n = strlen(d->name);
	bool odd;

	if (!split || !strcmp(split, "all"))
		return true;
	if (n && isdigit((unsigned char)d->name[n - 1]))
		odd = (d->name[n - 1] - '0') % 2 == 1;
	else
		odd = index % 2 == 1;
	return !strcmp(split, "odd") ? odd : !odd;
}

/* ====== Alignment ====== */

/* Next non-space character of s at or after *i: its code point, or 0 at the end. */
static uint32_t next_ns(const char *s, size_t n, size_t *i, size_t *w)
{
	uint32_t cp;

	while (*i < n) {
		cp = text_char(s, n, *i, w);
		if (!text_is_space(cp))
			return cp;
		*i += *w;
	}
	*w = 0;
	return 0;
}

/* Advance *i past 'k' non-space characters of s. */
static void skip_ns(const char *s, size_t n, size_t *i, size_t k)
{
	size_t w;

	while (k-- && next_ns(s, n, i, &w))
		*i += w;
}

/* Whether the next 'k' non-space characters of a at ia and b at ib agree. */
static bool agree(const char *a, size_t an, size_t ia, const char *b, size_t bn, size_t ib,
		  size_t k)
{
	size_t wa, wb;
	uint32_t ca, cb;

	while (k--) {
		ca = next_ns(a, an, &ia, &wa);
		cb = next_ns(b, bn, &ib, &wb);
		if (ca != cb)
			return false;
		if (!ca)
			return true;
		ia += wa;
		ib += wb;
	}
	return true;
}

#define RESYNC_SKIP 8   /* characters dropped or inserted on either side */
#define RESYNC_AGREE 4  /* characters that must agree after a resynchronisation */

size_t *gold_align(const char *from, size_t flen, const char *to, size_t tlen,
		   size_t *unmatched)
{
	size_t *map = xmalloc((flen + 1) * sizeof(*map)), i = 0, j = 0, k, lost = 0;

	for (k = 0; k <= flen; k++)
		map[k] = GOLD_UNMAPPED;
	while (i < flen) {
		size_t wi, wj, i0 = i, a, b, best_a = 0, best_b = 0;
		uint32_t ci, cj;
		bool found = false;

		ci = next_ns(from, flen, &i, &wi);
		for (k = i0; k < i; k++)
			map[k] = j;     /* white space maps to where the next character goes */
		if (!ci)
			break;
		cj = next_ns(to, tlen, &j, &wj);
		if (ci == cj) {
			for (k = 0; k < wi; k++)
				map[i + k] = j + (k < wj ? k : wj - 1);
			i += wi;
			j += wj;
			continue;
		}
		/* Differ: the smallest skip a (from) + b (to) after which both agree. */
		for (k = 1; k <= 2 * RESYNC_SKIP && !found; k++)
			for (a = 0; a <= k && !found; a++) {
				size_t ia = i, jb = j;

				b = k - a;
				if (a > RESYNC_SKIP || b > RESYNC_SKIP)
					continue;
				skip_ns(from, flen, &ia, a);
				skip_ns(to, tlen, &jb, b);
				if (agree(from, flen, ia, to, tlen, jb, RESYNC_AGREE)) {
					best_a = a;
					best_b = b;
					found = true;
				}
			}
		if (!found) {
			best_a = 1;
			best_b = 0;
		}
		lost += best_a;
		skip_ns(from, flen, &i, best_a);
		skip_ns(to, tlen, &j, best_b);
	}
	for (k = i; k < flen; k++)
		if (map[k] == GOLD_UNMAPPED)
			map[k] = j;
	map[flen] = tlen;
	if (unmatched)
		*unmatched = lost;
	return map;
}

int gold_map_span(const size_t *map, const char *from, size_t start, size_t end,
		  const char *to, size_t tlen, size_t *ostart, size_t *oend)
{
	size_t i = start, w, first = GOLD_UNMAPPED, last = GOLD_UNMAPPED;
	uint32_t cp;

	while (i < end) {
		cp = text_char(from, end, i, &w);
		if (!text_is_space(cp) && map[i] != GOLD_UNMAPPED) {
			size_t tw;

			if (first == GOLD_UNMAPPED)
				first = map[i];
			if (map[i] < tlen) {
				text_char(to, tlen, map[i], &tw);
				last = map[i] + tw;
			}
		}
		i += w;
	}
	if (first == GOLD_UNMAPPED || last == GOLD_UNMAPPED || last <= first)
		return -1;
	*ostart = first;
	*oend = last;
	return 0;
}

/* ====== Mapping ====== */

static bool valid_name(const char *s, size_t n, bool star)
{
	size_t i;

	if (!n)
		return false;
	if (star && n == 1 && *s == '*')
		return true;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/* Parse target 'spec' into 't' (zeroed). Returns 0, or -1 with 'why' set. */
static int target_parse(struct gold_target *t, const char *spec, const char **why)
{
	const char *at = strchr(spec, '@'), *end = at ? at : spec + strlen(spec);
	const char *s1 = memchr(spec, '/', (size_t)(end - spec)), *s2;
	size_t i;

	t->name = xstrdup(spec);
	if (!s1) {
		*why = "target must be STAGE/LABEL[/CATEGORY][@FIELD]";
		return -1;
	}
	s2 = memchr(s1 + 1, '/', (size_t)(end - s1 - 1));
	if (!valid_name(spec, (size_t)(s1 - spec), false)) {
		*why = "bad stage name (lower-case letters, digits, '_')";
		return -1;
	}
	t->stage = xstrndup(spec, (size_t)(s1 - spec));
	if ((size_t)((s2 ? s2 : end) - s1 - 1) != 1 || s1[1] != '*')
		t->labels = text_split(s1 + 1, (size_t)((s2 ? s2 : end) - s1 - 1), ',', &t->nlabels);
	if (s2 && (end - s2 - 1 != 1 || s2[1] != '*'))
		t->categories = text_split(s2 + 1, (size_t)(end - s2 - 1), ',', &t->ncategories);
	for (i = 0; i < t->nlabels; i++)
		if (!valid_name(t->labels[i], strlen(t->labels[i]), false)) {
			*why = "bad label name (lower-case letters, digits, '_'; or '*')";
			return -1;
		}
	for (i = 0; i < t->ncategories; i++)
		if (!valid_name(t->categories[i], strlen(t->categories[i]), false)) {
			*why = "bad category name (lower-case letters, digits, '_'; or '*')";
			return -1;
		}
	if (at) {
		t->fields = text_split(at + 1, strlen(at + 1), ',', &t->nfields);
		for (i = 0; i < t->nfields; i++)
			if (!valid_name(t->fields[i], strlen(t->fields[i]), false)) {
				*why = "bad field name after '@'";
				return -1;
			}
	}
	return 0;
}

static void target_release(struct gold_target *t)
{
	free(t->name);
	free(t->stage);
	text_list_free(t->labels, t->nlabels);
	text_list_free(t->categories, t->ncategories);
	text_list_free(t->fields, t->nfields);
	text_list_free(t->gold, t->ngold);
}

int gold_map_parse(struct gold_map *m, const char *name, const char *text, size_t len)
{
	unsigned long line = 0;
	const char *p = text, *e = text + len;
	int ret = 0;

	while (p < e) {
		const char *eol = memchr(p, '\n', (size_t)(e - p)), *tab;
		char *gold, *target;
		size_t n, i;

		if (!eol)
			eol = e;
		line++;
		n = (size_t)(eol - p);
		if (n && p[n - 1] == '\r')
			n--;
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (!n || *p == '#') {
			p = eol + 1;
			continue;
		}
		tab = memchr(p, '\t', n);
		if (!tab || memchr(tab + 1, '\t', n - (size_t)(tab + 1 - p)) || tab == p ||
		    tab + 1 == p + n) {
			ret = error_at(name, line, "expected 'GOLD_LABEL<TAB>STAGE/LABEL'");
			p = eol + 1;
			continue;
		}
		gold = xstrndup(p, (size_t)(tab - p));
		target = xstrndup(tab + 1, n - (size_t)(tab + 1 - p));
		for (i = 0; i < m->n; i++)
			if (!strcmp(m->v[i].name, target))
				break;
		if (gold_map_unit(m, gold) >= 0) {
			ret = error_at(name, line, "gold label '%s' mapped twice", gold);
		} else if (i < m->n) {
			struct gold_target *t = &m->v[i];

			t->gold = xrealloc(t->gold, (t->ngold + 1) * sizeof(*t->gold));
			t->gold[t->ngold++] = gold;
			gold = NULL;
		} else {
			struct gold_target t = { 0 };
			const char *why = NULL;

			if (target_parse(&t, target, &why) < 0) {
				ret = error_at(name, line, "%s: '%s'", why, target);
				target_release(&t);
			} else {
				t.gold = xmalloc(sizeof(*t.gold));
				t.gold[t.ngold++] = gold;
				gold = NULL;
				xgrow(&m->v, &m->cap, m->n + 1, sizeof(*m->v));
				m->v[m->n++] = t;
			}
		}
		free(gold);
		free(target);
		p = eol + 1;
	}
	if (!ret && !m->n)
		ret = error("%s: no mappings", name);
	return ret;
}

int gold_map_load(struct gold_map *m, const char *path)
{
	size_t len;
	char *text;
	int ret;

	if (file_read(path, FILE_MAX_DATA, &text, &len) < 0)
		return -1;
	ret = gold_map_parse(m, path, text, len);
	free(text);
	return ret;
}

long gold_map_unit(const struct gold_map *m, const char *gold_label)
{
	size_t i, k;

	for (i = 0; i < m->n; i++)
		for (k = 0; k < m->v[i].ngold; k++)
			if (!strcmp(m->v[i].gold[k], gold_label))
				return (long)i;
	return -1;
}

static bool in_list(char **v, size_t n, const char *s)
{
	size_t i;

	if (!v)
		return true;
	if (!s)
		return false;
	for (i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

bool gold_target_matches(const struct gold_target *t, const char *stage, const char *label,
			 const char *category)
{
	return stage && label && !strcmp(t->stage, stage) && in_list(t->labels, t->nlabels, label) &&
	       in_list(t->categories, t->ncategories, category);
}

void gold_map_release(struct gold_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		target_release(&m->v[i]);
	free(m->v);
	memset(m, 0, sizeof(*m));
}
