/*
 * report.h -- editorial review reports from the database (docs/report.md):
 * terminal text, Markdown and a static HTML site.
 *
 * The renderers work on records: report_load() rebuilds an article's stream
 * record from its database rows (annotations back at their ids), so a
 * hand-made record renders exactly like a stored one.
 *
 *   json_t *rec = report_load(&db, "u-0123456789abcdef");
 *   report_text(stdout, rec, isatty(1));
 *   json_decref(rec);
 *   report_html_site(&db, "out", ids, nids);
 */
#ifndef SLANT_REPORT_H
#define SLANT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "slant/db.h"

/* ====== Loading (lib/report_db.c) ====== */

/*
 * The record of article 'id': the columns and 'extra' of its row, with its
 * annotations at their ids (a gap in the ids is filled with null). Returns a
 * new reference, or NULL when there is no such article (nothing reported;
 * *err set to 0) or on a database error (reported; *err set to -1).
 */
json_t *report_load(struct db *db, const char *id, int *err);

/*
 * The ids of every article, lowest score first (unscored last). Fills
 * '*ids' (malloc'd array of malloc'd strings; free with report_ids_free)
 * and '*n'. Returns 0 or -1 (reported).
 */
int report_ids(struct db *db, char ***ids, size_t *n);
void report_ids_free(char **ids, size_t n);

/* ====== What a span is and why it was flagged (lib/report_db.c) ====== */

/* Short kind of a flagged annotation ("loaded", "vague", "outlet", ...), or NULL if not flagged. */
const char *report_kind(const json_t *ann);
/* Human title of a kind ("Loaded term"). */
const char *report_kind_title(const char *kind);
/* Every kind, in legend order, NULL-terminated. */
extern const char *const report_kinds[];

/*
 * Why 'ann' was flagged, in one line of plain text: the category and voice,
 * the lexicon entry and where it is defined, the neutral alternative, the
 * speaker or source. Returns a malloc'd string; caller frees.
 */
char *report_why(const json_t *ann);

/* The article's publisher as shown: register name, else outlet name or domain, else "(unknown)". */
const char *report_publisher(const json_t *rec);

/*
 * The line naming the text's origin when it is republished or wire copy
 * (slant-affil's 'origin'): "Origin: Press TV (state-affiliated; origin_credit:
 * "...")". Malloc'd, or NULL when the record has none.
 */
char *report_origin(const json_t *rec);

/* Human title of a score component ("Framing in the outlet's own voice"). */
const char *report_component_title(const char *name);

/* The value of component 'comp' with its unit ("13.3 per 1,000 words", "50% attributed"). */
void report_value(char *buf, size_t size, const json_t *comp);

/* ====== Renderers ====== */

/* Plain text for a terminal (lib/report_text.c); 'colour' adds ANSI colours. */
void report_text(FILE *out, const json_t *rec, bool colour);
/* Markdown for a review ticket (lib/report_text.c). */
void report_markdown(FILE *out, const json_t *rec);

/*
 * Write the static site into 'dir' (created if needed): index.html,
 * outlets/NAME.html and articles/ID.html for the 'n' articles 'ids' (all
 * articles when 'n' is 0). Returns the number of articles written, or -1
 * (reported).
 */
long report_html_site(struct db *db, const char *dir, char **ids, size_t n);

/* One article page as a complete HTML document (lib/report_html.c). */
void report_html_article(FILE *out, const json_t *rec, const char *index_href,
			 const char *outlet_href);

/* ====== HTML escaping (lib/report_html.c), used for every byte of data ====== */

/* Write 'n' bytes of 's' with & < > " ' escaped, for text and quoted attributes. */
void html_escape(FILE *out, const char *s, size_t n);
/* The same for a NUL-terminated string; NULL writes nothing. */
void html_puts(FILE *out, const char *s);
/* The escaped string, malloc'd; caller frees. */
char *html_escape_str(const char *s, size_t n);
/* A file name safe on every system for 'id': itself if plain, else "x-" + hash. Caller frees. */
char *report_file_name(const char *id);

#endif
