/*
 * gold.h -- gold annotations made by others, for slant-eval (docs/evaluation.md).
 *
 * Two formats are read, both with offsets that count Unicode code points of
 * the text file (Python string indices), which are turned into the byte
 * offsets every slant span uses:
 *
 *   PTC   DIR/articles/articleNNN.txt and DIR/labels.tsv, one span a line:
 *         NNN<TAB>technique<TAB>start<TAB>end  (Propaganda Techniques Corpus)
 *   BRAT  NAME.ann standoff files, "Tn<TAB>Label start end[;start end]<TAB>text";
 *         the text is NAME.txt beside it, or with a trailing "_ANNOTATOR" cut
 *         from NAME, or in ../text/ (PolNeAR's layout). Lines other than T
 *         lines (relations, events, notes) are not spans and are skipped.
 *
 * And a mapping file says which gold labels correspond to which slant
 * annotations (gold_map_load).
 *
 *   struct gold_set g = GOLD_SET_INIT;
 *   if (gold_read(&g, "../shared/corpus/ptc-dev") < 0)
 *           exit(2);                 (every bad line was reported)
 *   for (d = 0; d < g.n; d++) for (i = 0; i < g.docs[d].n; i++) use(g.docs[d].spans[i]);
 *   gold_set_release(&g);
 */
#ifndef SLANT_GOLD_H
#define SLANT_GOLD_H

#include <stdbool.h>
#include <stddef.h>

struct gold_span {
	size_t start, end;      /* byte offsets into the document's text, [start, end) */
	char *label;            /* the gold label as written ("Loaded_Language", "Source") */
	unsigned long line;     /* line of the annotation file it came from */
};

struct gold_doc {
	char *name;             /* PTC: the article number; BRAT: the .ann file's base name */
	char *path;             /* the text file */
	char *ann;              /* the annotation file */
	char *text;             /* the text file's bytes, NUL-terminated */
	size_t len;
	struct gold_span *spans;
	size_t n, cap;
};

enum gold_format { GOLD_AUTO, GOLD_PTC, GOLD_BRAT };

struct gold_set {
	enum gold_format format;
	struct gold_doc *docs;  /* sorted by name */
	size_t n, cap;
};

#define GOLD_SET_INIT { 0 }

/*
 * Read gold annotations from 'path': a PTC folder (it holds labels.tsv and
 * articles/), a BRAT .ann file, or a folder of .ann files (searched two
 * levels deep). 'format' GOLD_AUTO tells them apart. Every bad line is
 * reported as "FILE:LINE: message" (offsets out of range or reversed,
 * missing fields, a label for an article that is not there, a text that is
 * not UTF-8); then returns -1, else the number of documents added.
 */
long gold_read(struct gold_set *g, const char *path, enum gold_format format);

/* Free everything 'g' owns; it can be reused after. */
void gold_set_release(struct gold_set *g);

/*
 * Byte offset of every code point of text[0, len): returns a malloc'd array
 * of (number of code points + 1) offsets, the last one 'len', and sets
 * '*ncp'. Invalid UTF-8 bytes count one code point each. Caller frees.
 */
size_t *gold_cp_index(const char *text, size_t len, size_t *ncp);

/*
 * Whether document 'd' (0-based position 'index' in its set) is in split
 * 'split' ("all", "odd" or "even"): a name ending in digits goes by the
 * parity of that number (PTC article ids), any other by 'index'.
 */
bool gold_in_split(const struct gold_doc *d, size_t index, const char *split);

/* ====== Aligning a text with a rewritten copy of it ====== */

/*
 * Map byte offsets of 'from' (the gold text) to offsets of 'to' (the text an
 * ingest made of it: whitespace collapsed, lines joined, characters
 * repaired). Characters other than white space are matched in order; a
 * short run that differs (a replaced or dropped character) is skipped and
 * matching resynchronises after it. Returns a malloc'd array of flen + 1
 * entries (caller frees): map[i] is where from[i] is in 'to', or
 * GOLD_UNMAPPED where nothing corresponds; '*unmatched' (may be NULL) gets
 * the number of non-space characters of 'from' that found no match.
 */
#define GOLD_UNMAPPED ((size_t)-1)
size_t *gold_align(const char *from, size_t flen, const char *to, size_t tlen,
		   size_t *unmatched);

/*
 * Map the span [start, end) of 'from' through 'map' (from gold_align) into
 * 'to' (tlen bytes): the first and last mapped non-space characters of the
 * span. Returns 0, or -1 when none of its characters was mapped.
 */
int gold_map_span(const size_t *map, const char *from, size_t start, size_t end,
		  const char *to, size_t tlen, size_t *ostart, size_t *oend);

/* ====== Mapping gold labels to slant annotations ====== */

/*
 * One line of a mapping file:
 *
 *   # gold label<TAB>slant annotations
 *   Loaded_Language<TAB>frame/loaded
 *   Name_Calling,Labeling<TAB>frame/loaded
 *   Source<TAB>attrib/attributed,vague,anonymous@source
 *
 * The target is STAGE/LABEL[,LABEL...][/CATEGORY[,CATEGORY...]][@FIELD[,FIELD...]]:
 * annotations of that stage with one of those labels ('*': any) and
 * categories, whose span is [start, end), or with @FIELD,... the first
 * [FIELD_start, FIELD_end) the annotation has (an annotation with none of
 * them is no span of the target). Gold labels mapped to the same target are
 * scored together as one unit, named by the target.
 */
struct gold_target {
	char *name;             /* the target as written: the unit's name */
	char *stage;
	char **labels;          /* NULL: any */
	size_t nlabels;
	char **categories;      /* NULL: any */
	size_t ncategories;
	char **fields;          /* NULL, or {"source", ...} for source_start/source_end */
	size_t nfields;
	char **gold;            /* the gold labels mapped to it */
	size_t ngold;
};

struct gold_map {
	struct gold_target *v;
	size_t n, cap;
};

#define GOLD_MAP_INIT { 0 }

/* Load 'path'; each bad line is reported "FILE:LINE: message". Returns 0 or -1. */
int gold_map_load(struct gold_map *m, const char *path);
/* The same for 'len' bytes of text named 'name'. */
int gold_map_parse(struct gold_map *m, const char *name, const char *text, size_t len);

/* The target a gold label belongs to, or -1. */
long gold_map_unit(const struct gold_map *m, const char *gold_label);

/*
 * Whether an annotation of 'stage'/'label' with 'category' (may be NULL)
 * belongs to target 't'.
 */
bool gold_target_matches(const struct gold_target *t, const char *stage, const char *label,
			 const char *category);

void gold_map_release(struct gold_map *m);

#endif
