/*
 * score.h -- the per-article credibility report (docs/scoring.md).
 *
 * A report is a list of named components. Each reads annotations the
 * earlier stages left on the record and gives a value (what was measured),
 * a quality between 0 and 1, and so points = weight * quality, with the ids
 * of the annotations behind it. The overall score is the sum of points over
 * the sum of the weights of the components that could be computed, on 0-100.
 * A component whose input stage did not run is "not applicable", not zero.
 *
 *   struct score_conf sc;
 *   score_conf_default(&sc);
 *   if (score_conf_load(&sc, conf) < 0) ...      (bad value reported with file:line)
 *   json_t *report = score_article(&sc, doc, rec, why, sizeof(why));  (new reference)
 *   json_object_set_new(rec, "report", report);
 */
#ifndef SLANT_SCORE_H
#define SLANT_SCORE_H

#include <stddef.h>

#include <jansson.h>

#include "slant/conf.h"
#include "slant/doc.h"

enum score_component {
	SCORE_FRAMING,       /* loaded terms in the outlet's own voice, per 1,000 words */
	SCORE_HEADLINE,      /* loaded terms in the headline, counted apart */
	SCORE_ATTRIBUTION,   /* share of claim sentences that are attributed */
	SCORE_SOURCES,       /* distinct sources, single-source reliance, affiliated share */
	SCORE_TRANSPARENCY,  /* author, date, publisher, affiliations disclosed, opinion label */
	SCORE_VERBS,         /* loaded reporting verbs and hedges, per 1,000 words */
	SCORE_NCOMP
};

/* "framing", "headline", ...: the names in the report and the database. */
extern const char *const score_component_names[SCORE_NCOMP];

#define SCORE_MAX_BANDS 8

struct score_band {
	double min;           /* lowest score in the band */
	char name[32];        /* [a-z_]+ */
};

struct score_conf {
	double weight[SCORE_NCOMP];  /* points each component is worth */
	double framing_max;       /* weighted terms per 1,000 words that leave 0 points */
	double headline_max;      /* weighted headline terms that leave 0 points */
	double verbs_max;         /* loaded verbs + hedges per 1,000 words that leave 0 points */
	double hedge_weight;      /* a hedge counts this much of a loaded verb */
	double vague_credit;      /* a vaguely attributed claim counts this much of an attributed one */
	double anonymous_credit;  /* and an anonymously sourced one this much */
	double sources_target;    /* distinct sources for full diversity points */
	/* What the sources component is made of: shares of diversity, reliance, independence. */
	double diversity_share, reliance_share, independence_share;
	double team_credit;       /* transparency credit of a byline naming a desk or agency */
	double unregistered_credit; /* of a publisher named but not in the outlet register */
	double opinion_min_terms; /* own-voice loaded terms before an unlabelled piece reads as opinion */
	double min_words;         /* floor of the per-1,000-words denominator */
	struct score_band bands[SCORE_MAX_BANDS]; /* highest 'min' first */
	size_t nbands;
	char hash[65];            /* SHA-256 of the effective settings: same hash, same scoring */
};

/* The built-in defaults (the ones lib/conf.c declares for [score]). */
void score_conf_default(struct score_conf *sc);

/*
 * Read the [score] section of 'conf' over the defaults and validate it.
 * Returns 0, or -1 after reporting "FILE:LINE: ..." for each bad value.
 */
int score_conf_load(struct score_conf *sc, const struct conf *conf);

/*
 * Parse a band list "80 sound, 60 mixed, 40 weak, 0 poor" into 'sc->bands'.
 * Returns 0, or -1 with the reason in 'why' (at least 128 bytes).
 */
int score_parse_bands(struct score_conf *sc, const char *spec, char *why, size_t whylen);

/* The band of 'score' ("poor" style name; the last band catches everything below). */
const char *score_band(const struct score_conf *sc, double score);

/*
 * Score one record (after slant-segment; frame, attrib and affil results are
 * used when present). Returns the report object (new reference):
 * {"score", "band", "coverage", "words", "missing": [...], "components": [...],
 * "config_hash"}; its spans and 'words' (the body's, doc_words()) come from
 * the view 'd' (slant/doc.h). A stage that did not run gives "not
 * applicable" components; NULL with 'why' set when a span is bad
 * (doc_read()).
 */
json_t *score_article(const struct score_conf *sc, struct doc *d, const json_t *rec, char *why,
		      size_t whylen);

#endif
