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
 *   report_html_site(&db, "out", ids, nids, &site);
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
 * Bring the review decisions imported with slant-store --decisions back onto
 * 'rec' (docs/report.md): each decided flag gets "review": {"decision",
 * "reviewer", "decided", "note"}; and when any decision exists, rec gets
 * "review": {"accepted", "rejected", "report"}, the report scored again by
 * 'sc' with the rejected flags left out (NULL 'sc', or a record that was
 * never scored: no "report" there). Returns the number of decisions
 * matched, or -1 (reported).
 */
struct score_conf;
int report_review(struct db *db, json_t *rec, const struct score_conf *sc);

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
 * Every kind as the reports list them: findings first (loaded terms, scare
 * quotes, loaded verbs, vague, anonymous and unattributed claims, hedges,
 * unlisted organisations), then outlets, quotations and attributed claims.
 */
extern const char *const report_findings_order[];
/* Whether flags of 'kind' are findings (not outlets, quotations or attributed claims). */
bool report_kind_is_finding(const char *kind);

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

struct report_text_opts {
	bool colour;          /* ANSI colours */
	size_t width;         /* wrap at this many columns (0: 80) */
	const char *kinds;    /* "loaded,vague": list these kinds; NULL: the findings */
	double min_weight;    /* > 0: only flags with a lexicon weight at least this */
};

/*
 * Plain text for a terminal (lib/report_text.c): title, score, components,
 * then the flags grouped by kind (findings first) and lexicon entry, each
 * at line:column with the words around it, cut to the width.
 */
void report_text(FILE *out, const json_t *rec, const struct report_text_opts *o);
/* What the text report says before the articles: scores, bands, flags by kind, top entries. */
struct report_summary {
	size_t articles, nscores, cap, kinds[32];
	double *scores;
	json_t *bands, *entries, *outlets;
};
void report_summary_add(struct report_summary *sum, const json_t *rec,
			const struct report_text_opts *o);
void report_summary_print(FILE *out, struct report_summary *sum, const struct report_text_opts *o);
void report_summary_release(struct report_summary *sum);

/* The same for scripts: one object (new reference) with the score, components and flags. */
json_t *report_json(const json_t *rec, const struct report_text_opts *o);
/* Markdown for a review ticket (lib/report_text.c). */
void report_markdown(FILE *out, const json_t *rec);

/*
 * Write the static site into 'dir' (created if needed): index.html,
 * outlets/NAME.html, articles/ID.html for the 'n' articles 'ids' (all
 * articles when 'n' is 0), and the slant.css and slant.js every page links.
 * 'site->jobs' threads write the article pages, each with its own read-only
 * connection to db->path. Review decisions in the database are shown on
 * their flags (report_review()), and the browser keeps new ones under a key
 * of this database and its runs, so two sites never share them. Returns the number of articles written, or -1
 * (reported).
 */
struct report_site {
	int jobs;                     /* threads writing article pages */
	const struct score_conf *sc;  /* scores again after review (report_review), or NULL */
};
long report_html_site(struct db *db, const char *dir, char **ids, size_t n,
		      const struct report_site *site);

/*
 * One article page as a complete HTML document (lib/report_html.c); it links
 * slant.css and slant.js beside pg->index_href.
 */
struct report_page {
	const char *index_href;       /* the site's index from this page */
	const char *outlet_href;      /* the outlet's page, or NULL */
	const char *site;             /* keys the browser's decisions (NULL: none) */
	const struct score_conf *sc;  /* for the bands shown beside the score, or NULL */
};
void report_html_article(FILE *out, const json_t *rec, const struct report_page *pg);

/* ====== Tables for researchers (lib/report_table.c) ====== */

/*
 * One row per article, one column per lexicon category (frame's terms,
 * attrib's hedges): hits, hits per 1,000 words, and hits per voice
 * (CATEGORY.VOICE). 'sep' ',' (CSV) or '\t' (TSV). Returns 0 or -1 (reported).
 */
int report_categories(struct db *db, FILE *out, char sep);

/*
 * Keyness of each lexicon entry in the articles of 'target' against those
 * of 'reference' (comma-separated publishers, or run:ID): hits in each,
 * signed log-likelihood G2 and the log2 ratio, most key first. TSV.
 */
int report_keyness(struct db *db, FILE *out, const char *target, const char *reference);

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
