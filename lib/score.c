/* score.c -- the credibility report: components, points and band (docs/scoring.md). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "slant/doc.h"
#include "slant/hash.h"
#include "slant/rec.h"
#include "slant/score.h"
#include "slant/usage.h"

const char *const score_component_names[SCORE_NCOMP] = {
	"framing", "headline", "attribution", "sources", "transparency", "verbs",
};

/* ====== Settings ====== */

void score_conf_default(struct score_conf *sc)
{
	struct conf empty = CONF_INIT;

	/* The defaults live once, in the schema of lib/conf.c. */
	score_conf_load(sc, &empty);
}

int score_parse_bands(struct score_conf *sc, const char *spec, char *why, size_t whylen)
{
	struct score_band b[SCORE_MAX_BANDS];
	const char *p = spec;
	size_t n = 0, i;

	for (;;) {
		char *end;
		double min;
		size_t len = 0;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		errno = 0;
		min = strtod(p, &end);
		if (end == p || errno || !isfinite(min)) {
			snprintf(why, whylen, "expected a number at '%.20s'", p);
			return -1;
		}
		p = end;
		while (isspace((unsigned char)*p))
			p++;
		while (p[len] && (islower((unsigned char)p[len]) || p[len] == '_'))
			len++;
		if (!len || len >= sizeof(b[0].name)) {
			snprintf(why, whylen, "expected a band name ([a-z_]+) after %g", min);
			return -1;
		}
		if (n == SCORE_MAX_BANDS) {
			snprintf(why, whylen, "more than %d bands", SCORE_MAX_BANDS);
			return -1;
		}
		if (n && min >= b[n - 1].min) {
			snprintf(why, whylen, "bands must go from the highest score down (%g after %g)",
				 min, b[n - 1].min);
			return -1;
		}
		b[n].min = min;
		memcpy(b[n].name, p, len);
		b[n].name[len] = '\0';
		n++;
		p += len;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == ',')
			p++;
		else if (*p) {
			snprintf(why, whylen, "expected ',' at '%.20s'", p);
			return -1;
		}
	}
	if (!n) {
		snprintf(why, whylen, "no bands");
		return -1;
	}
	for (i = 0; i < n; i++)
		sc->bands[i] = b[i];
	sc->nbands = n;
	return 0;
}

static unsigned long conf_line(const struct conf *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].section, "score") && !strcmp(c->v[i].key, key))
			return c->v[i].line;
	return 0;
}

/* Report a bad [score] value where it was written. */
static int bad_value(const struct conf *c, const char *key, const char *why)
{
	unsigned long line = conf_line(c, key);

	if (line && c->path)
		return error("%s:%lu: '%s': %s", c->path, line, key, why);
	return error("'score.%s': %s", key, why);
}

/* The [score] numbers besides the weights, with their ranges. */
static const struct {
	const char *key;
	size_t off;
	double lo, hi;
} nums[] = {
	{ "framing_max", offsetof(struct score_conf, framing_max), 1e-9, 1e6 },
	{ "headline_max", offsetof(struct score_conf, headline_max), 1e-9, 1e6 },
	{ "verbs_max", offsetof(struct score_conf, verbs_max), 1e-9, 1e6 },
	{ "hedge_weight", offsetof(struct score_conf, hedge_weight), 0, 10 },
	{ "vague_credit", offsetof(struct score_conf, vague_credit), 0, 1 },
	{ "anonymous_credit", offsetof(struct score_conf, anonymous_credit), 0, 1 },
	{ "sources_target", offsetof(struct score_conf, sources_target), 1, 1000 },
	{ "min_words", offsetof(struct score_conf, min_words), 0, 1e9 },
	{ "diversity_share", offsetof(struct score_conf, diversity_share), 0, 1 },
	{ "reliance_share", offsetof(struct score_conf, reliance_share), 0, 1 },
	{ "independence_share", offsetof(struct score_conf, independence_share), 0, 1 },
	{ "team_credit", offsetof(struct score_conf, team_credit), 0, 1 },
	{ "unregistered_credit", offsetof(struct score_conf, unregistered_credit), 0, 1 },
	{ "opinion_min_terms", offsetof(struct score_conf, opinion_min_terms), 0, 1e6 },
};

#define NUM(sc, i) (*(double *)(void *)((char *)(sc) + nums[i].off))

/* Every effective setting, in a fixed order: the same hash, the same scoring. */
static void settings_hash(struct score_conf *sc)
{
	struct sha256 h;
	char buf[256];
	size_t i;

	sha256_init(&h);
	for (i = 0; i < SCORE_NCOMP; i++) {
		snprintf(buf, sizeof(buf), "weight_%s=%.17g\n", score_component_names[i],
			 sc->weight[i]);
		sha256_update(&h, buf, strlen(buf));
	}
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		snprintf(buf, sizeof(buf), "%s=%.17g\n", nums[i].key, NUM(sc, i));
		sha256_update(&h, buf, strlen(buf));
	}
	for (i = 0; i < sc->nbands; i++) {
		snprintf(buf, sizeof(buf), "%.17g %s\n", sc->bands[i].min, sc->bands[i].name);
		sha256_update(&h, buf, strlen(buf));
	}
	sha256_hex(&h, sc->hash);
}

int score_conf_load(struct score_conf *sc, const struct conf *conf)
{
	double total = 0;
	char key[64], why[160];
	const char *bands;
	size_t i;
	int bad = 0;

	memset(sc, 0, sizeof(*sc));
	for (i = 0; i < SCORE_NCOMP; i++) {
		double w;

		snprintf(key, sizeof(key), "weight_%s", score_component_names[i]);
		if (!conf_get(conf, "score", key))
			continue;
		if (conf_double(conf, "score", key, &w) < 0) {
			bad = -1;
			continue;
		}
		if (!(w >= 0 && w <= 1000)) {
			bad = bad_value(conf, key, "a weight must be between 0 and 1000");
			continue;
		}
		sc->weight[i] = w;
	}
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		double v;

		if (!conf_get(conf, "score", nums[i].key))
			continue;
		if (conf_double(conf, "score", nums[i].key, &v) < 0) {
			bad = -1;
			continue;
		}
		if (!(v >= nums[i].lo && v <= nums[i].hi)) {
			snprintf(why, sizeof(why), "must be between %g and %g", nums[i].lo,
				 nums[i].hi);
			bad = bad_value(conf, nums[i].key, why);
			continue;
		}
		NUM(sc, i) = v;
	}
	if (!bad && sc->diversity_share + sc->reliance_share + sc->independence_share <= 0)
		bad = bad_value(conf, "diversity_share", "the three sources shares are all 0");
	for (i = 0; i < SCORE_NCOMP; i++)
		total += sc->weight[i];
	if (!bad && total <= 0)
		bad = bad_value(conf, "weight_framing", "all component weights are 0");
	bands = conf_get(conf, "score", "bands");
	if (bands && score_parse_bands(sc, bands, why, sizeof(why)) < 0)
		bad = bad_value(conf, "bands", why);
	settings_hash(sc);
	return bad;
}

const char *score_band(const struct score_conf *sc, double score)
{
	size_t i;

	for (i = 0; i < sc->nbands; i++)
		if (score >= sc->bands[i].min)
			return sc->bands[i].name;
	return sc->nbands ? sc->bands[sc->nbands - 1].name : "unbanded";
}

/* ====== Reading the record ====== */

static const char *field_str(const json_t *ann, const char *key)
{
	return json_string_value(json_object_get(ann, key));
}

static double field_num(const json_t *ann, const char *key, double def)
{
	json_t *v = json_object_get(ann, key);

	return json_is_number(v) ? json_number_value(v) : def;
}

static bool field_true(const json_t *ann, const char *key)
{
	return json_is_true(json_object_get(ann, key));
}

/* The annotations the components read, told apart once per record. */
enum kind {
	K_OTHER, K_HEADLINE, K_QUOTE, K_LOADED, K_SCARE_QUOTE, K_ATTRIBUTED, K_VAGUE,
	K_ANONYMOUS, K_UNATTRIBUTED, K_SPEAKER, K_HEDGE, K_OUTLET
};

/* Everything a component needs, gathered in one pass over the annotations. */
struct scan {
	const json_t *anns;
	const struct doc *doc;    /* segment's spans: the headline, quotations, the words */
	/*
	 * kind[i] of annotation i: each component used to test every
	 * annotation's stage and label by name, a fifth of slant-score.
	 */
	unsigned char *kind;
	const char *text;
	size_t len;
	size_t body_start;        /* end of the headline, or 0 */
	size_t words;             /* in the body */
	double denom;             /* max(words, min_words) */
	bool ran[4];              /* frame, attrib, affil, segment */
	/*
	 * Affil outlets, found once: looking them up by a walk over every
	 * annotation for each source and term was a tenth of the fused chain
	 * (docs/performance.md).
	 */
	struct scan_span *outlets;
	size_t noutlets;
};

struct scan_span {
	size_t i, start, end;     /* annotation id and its span */
};

enum { RAN_FRAME, RAN_ATTRIB, RAN_AFFIL, RAN_SEGMENT };

static enum kind kind_of(const json_t *a)
{
	static const struct {
		const char *stage, *label;
		enum kind kind;
	} kinds[] = {
		{ "segment", "headline", K_HEADLINE }, { "segment", "quote", K_QUOTE },
		{ "frame", "loaded", K_LOADED },       { "frame", "scare_quote", K_SCARE_QUOTE },
		{ "attrib", "attributed", K_ATTRIBUTED }, { "attrib", "vague", K_VAGUE },
		{ "attrib", "anonymous", K_ANONYMOUS }, { "attrib", "unattributed", K_UNATTRIBUTED },
		{ "attrib", "speaker", K_SPEAKER },    { "attrib", "hedge", K_HEDGE },
		{ "affil", "outlet", K_OUTLET },
	};
	const char *st = field_str(a, "stage"), *label = field_str(a, "label");
	const char *dec = field_str(json_object_get(a, "review"), "decision");
	size_t i;

	/* An editor rejected the flag (slant-report, docs/report.md): it counts for nothing. */
	if (!st || !label || (dec && !strcmp(dec, "reject")))
		return K_OTHER;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(st, kinds[i].stage) && !strcmp(label, kinds[i].label))
			return kinds[i].kind;
	return K_OTHER;
}

static double round_to(double x, double unit)
{
	return round(x / unit) * unit;
}

static double clamp01(double x)
{
	return !(x > 0) ? 0 : x > 1 ? 1 : x;
}

static json_t *ids_new(void)
{
	return json_array();
}

static void ids_add(json_t *ids, size_t i)
{
	json_array_append_new(ids, json_integer((json_int_t)i));
}

/* Whether [s, e) lies inside a segment quotation, marks included. */
static bool in_quote(const struct scan *sc, size_t s, size_t e)
{
	size_t i;

	for (i = 0; i < sc->doc->nquote && sc->doc->quote[i].start <= s; i++)
		if (e <= sc->doc->quote[i].end)
			return true;
	return false;
}

/* Quality of a component that could not be measured. */
#define NOT_APPLICABLE (-INFINITY)

/* The component object; 'quality' is clamped to [0, 1] unless NOT_APPLICABLE. */
static json_t *component(const struct score_conf *sc, enum score_component c, json_t *value,
			 double quality, json_t *evidence, json_t *counts, const char *detail)
{
	json_t *o = json_object();
	double w = sc->weight[c];
	bool na = quality == NOT_APPLICABLE;

	if (!na)
		quality = clamp01(quality);

	json_object_set_new(o, "name", json_string(score_component_names[c]));
	json_object_set_new(o, "value", value ? value : json_null());
	json_object_set_new(o, "weight", json_real(w));
	if (na)
		json_object_set_new(o, "points", json_null());
	else
		json_object_set_new(o, "points", json_real(round_to(w * quality, 0.1)));
	json_object_set_new(o, "applicable", json_boolean(!na));
	json_object_set_new(o, "evidence", evidence ? evidence : ids_new());
	json_object_set_new(o, "counts", counts ? counts : json_object());
	json_object_set_new(o, "detail", json_string(detail));
	return o;
}

static json_t *not_applicable(const struct score_conf *sc, enum score_component c,
			      const char *why)
{
	return component(sc, c, NULL, NOT_APPLICABLE, NULL, NULL, why);
}

/* ====== Components ====== */

static json_t *framing(const struct score_conf *sc, const struct scan *s, bool headline,
		       double *authorial_density, size_t *authorial_terms)
{
	enum score_component c = headline ? SCORE_HEADLINE : SCORE_FRAMING;
	json_t *ev = ids_new(), *counts = json_object();
	double weighted = 0, value, quality;
	size_t terms = 0, quoted = 0, reported = 0, i;
	const json_t *a;
	char detail[400];

	if (!s->ran[RAN_FRAME]) {
		json_decref(ev);
		json_decref(counts);
		return not_applicable(sc, c, "slant-frame did not run");
	}
	if (headline && !s->doc->has_head) {
		json_decref(ev);
		json_decref(counts);
		return not_applicable(sc, c, "the article has no headline");
	}
	json_array_foreach(s->anns, i, a) {
		const char *voice;
		bool in_head;

		if (s->kind[i] != K_LOADED && s->kind[i] != K_SCARE_QUOTE)
			continue;
		voice = field_str(a, "voice");
		in_head = s->doc->has_head && ann_offset(a, "start", 0) < s->body_start;
		if (!voice)
			voice = in_head ? "headline" : "authorial";
		if (!strcmp(voice, "quoted")) {
			quoted++;
			continue;
		}
		if (!strcmp(voice, "reported")) {
			reported++;
			continue;
		}
		if (!strcmp(voice, "headline") != headline)
			continue;
		if (strcmp(voice, "headline") && strcmp(voice, "authorial"))
			continue;
		terms++;
		weighted += field_num(a, "weight", 1);
		ids_add(ev, i);
	}
	json_object_set_new(counts, "terms", json_integer((json_int_t)terms));
	json_object_set_new(counts, "weighted", json_real(round_to(weighted, 0.01)));
	if (headline) {
		value = round_to(weighted, 0.01);
		quality = 1 - weighted / sc->headline_max;
		snprintf(detail, sizeof(detail),
			 "%zu loaded term%s in the headline, weighted %.2f (no points at %.2f or more)",
			 terms, terms == 1 ? "" : "s", weighted, sc->headline_max);
	} else {
		value = round_to(weighted * 1000 / s->denom, 0.01);
		*authorial_density = weighted * 1000 / s->denom;
		*authorial_terms = terms;
		quality = 1 - *authorial_density / sc->framing_max;
		json_object_set_new(counts, "words", json_integer((json_int_t)s->words));
		json_object_set_new(counts, "quoted", json_integer((json_int_t)quoted));
		json_object_set_new(counts, "reported", json_integer((json_int_t)reported));
		snprintf(detail, sizeof(detail),
			 "%zu loaded term%s in the outlet's own voice, weighted %.2f over %zu words: "
			 "%.2f per 1,000 words (no points at %.0f or more); %zu more in quotations and "
			 "%zu in reported speech are not counted",
			 terms, terms == 1 ? "" : "s", weighted, s->words, value, sc->framing_max,
			 quoted, reported);
	}
	return component(sc, c, json_real(value), quality, ev, counts, detail);
}

static json_t *attribution(const struct score_conf *sc, const struct scan *s)
{
	json_t *ev = ids_new(), *counts = json_object();
	size_t n[4] = { 0 }, claims, i;
	static const char *const labels[4] = { "attributed", "vague", "anonymous",
					       "unattributed" };
	const json_t *a;
	char detail[400];
	double quality;

	if (!s->ran[RAN_ATTRIB]) {
		json_decref(ev);
		json_decref(counts);
		return not_applicable(sc, SCORE_ATTRIBUTION, "slant-attrib did not run");
	}
	json_array_foreach(s->anns, i, a) {
		size_t k;

		(void)a;
		for (k = 0; k < 4; k++) {
			if (s->kind[i] == K_ATTRIBUTED + k) {
				n[k]++;
				/* The evidence is what an editor should look at: the weak claims. */
				if (k)
					ids_add(ev, i);
			}
		}
	}
	claims = n[0] + n[1] + n[2] + n[3];
	json_object_set_new(counts, "claims", json_integer((json_int_t)claims));
	for (i = 0; i < 4; i++)
		json_object_set_new(counts, labels[i], json_integer((json_int_t)n[i]));
	if (!claims) {
		json_decref(ev);
		return component(sc, SCORE_ATTRIBUTION, NULL, NOT_APPLICABLE, NULL, counts,
				 "no claim sentences outside quotations");
	}
	quality = (n[0] + sc->vague_credit * n[1] + sc->anonymous_credit * n[2]) / claims;
	snprintf(detail, sizeof(detail),
		 "%zu of %zu claim sentences attributed to a named source (%.0f%%); %zu vague, "
		 "%zu anonymous, %zu unattributed",
		 n[0], claims, 100.0 * n[0] / claims, n[1], n[2], n[3]);
	return component(sc, SCORE_ATTRIBUTION, json_real(round_to((double)n[0] / claims, 0.001)),
			 quality, ev, counts, detail);
}

/* ------ Sources ------ */

struct source {
	char *key;            /* folded name, or "outlet:" + register id */
	char *alias;          /* the folded name as written, so unresolved mentions merge */
	char *name;           /* as written */
	size_t mentions;
	bool affiliated;      /* state-affiliated or a party to the conflict */
};

struct sources {
	struct source *v;
	size_t n, cap;
};

static char *fold_name(const char *s)
{
	static const char *const skip[] = { "the ", "a ", "an ", NULL };
	const char *const *p;
	char *out, *o;

	for (p = skip; *p; p++)
		if (!strncasecmp(s, *p, strlen(*p))) {
			s += strlen(*p);
			break;
		}
	out = o = xmalloc(strlen(s) + 1);
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			if (o > out && o[-1] != ' ')
				*o++ = ' ';
		} else {
			*o++ = (char)tolower((unsigned char)*s);
		}
	}
	while (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	return out;
}

/* Pronouns stand for someone named elsewhere: not a source of their own. */
static bool is_pronoun(const char *folded)
{
	static const char *const p[] = { "he", "she", "they", "it", "we", "i", "you", "him",
					 "her", "them", "who", "this", "that", NULL };
	size_t i;

	for (i = 0; p[i]; i++)
		if (!strcmp(folded, p[i]))
			return true;
	return !*folded;
}

/* Count a mention of 'key' (taken over) also known as 'alias' (copied; may be NULL). */
static void source_add(struct sources *ss, char *key, const char *alias, const char *name,
		       bool affiliated)
{
	size_t i;

	for (i = 0; i < ss->n; i++) {
		if (!strcmp(ss->v[i].key, key) || (alias && !strcmp(ss->v[i].alias, alias)) ||
		    !strcmp(ss->v[i].alias, key)) {
			ss->v[i].mentions++;
			ss->v[i].affiliated |= affiliated;
			/* A mention the register resolved names the source better. */
			if (!strncmp(key, "outlet:", 7) && strncmp(ss->v[i].key, "outlet:", 7)) {
				free(ss->v[i].key);
				ss->v[i].key = key;
				free(ss->v[i].name);
				ss->v[i].name = xstrdup(name);
			} else {
				free(key);
			}
			return;
		}
	}
	xgrow(&ss->v, &ss->cap, ss->n + 1, sizeof(*ss->v));
	ss->v[ss->n].alias = xstrdup(alias ? alias : key);
	ss->v[ss->n].key = key;
	ss->v[ss->n].name = xstrdup(name);
	ss->v[ss->n].mentions = 1;
	ss->v[ss->n].affiliated = affiliated;
	ss->n++;
}

static bool outlet_affiliated(const json_t *o)
{
	const char *party = field_str(o, "conflict_party");

	return field_true(o, "state_affiliated") || (party && *party);
}

/* The affil outlet annotation inside [s, e), if any (the source named by register). */
static const json_t *outlet_in(const struct scan *sc, size_t s, size_t e, size_t *idx)
{
	size_t i;

	for (i = 0; i < sc->noutlets; i++) {
		if (sc->outlets[i].start < e && sc->outlets[i].end > s) {
			*idx = sc->outlets[i].i;
			return json_array_get(sc->anns, *idx);
		}
	}
	return NULL;
}

static void add_named(struct sources *ss, const struct scan *s, const char *name, size_t ns,
		      size_t ne, json_t *ev, size_t id)
{
	const json_t *o;
	const char *entry;
	size_t oi;
	char *key = fold_name(name);

	if (is_pronoun(key)) {
		free(key);
		return;
	}
	o = ne > ns ? outlet_in(s, ns, ne, &oi) : NULL;
	entry = o ? field_str(o, "entry") : NULL;
	if (entry) {
		char *folded = key;

		key = xasprintf("outlet:%s", entry);
		name = field_str(o, "name") ? field_str(o, "name") : name;
		source_add(ss, key, folded, name, outlet_affiliated(o));
		free(folded);
	} else {
		source_add(ss, key, NULL, name, o && outlet_affiliated(o));
	}
	ids_add(ev, id);
}

static json_t *sources(const struct score_conf *sc, const struct scan *s)
{
	struct sources ss = { 0 };
	json_t *ev = ids_new(), *counts = json_object(), *list = json_array();
	size_t i, total = 0, top = 0, affil_mentions = 0, claims = 0;
	const json_t *a;
	char detail[600];
	double diversity, reliance, independence, quality;
	bool quote_speakers = !s->ran[RAN_ATTRIB];

	if (!s->ran[RAN_ATTRIB] && !s->ran[RAN_AFFIL]) {
		json_decref(ev);
		json_decref(counts);
		json_decref(list);
		return not_applicable(sc, SCORE_SOURCES, "slant-attrib and slant-affil did not run");
	}
	json_array_foreach(s->anns, i, a) {
		const char *name;

		enum kind k = s->kind[i];

		if (k == K_ATTRIBUTED || k == K_VAGUE || k == K_ANONYMOUS || k == K_UNATTRIBUTED)
			claims++;
		if (k == K_ATTRIBUTED && !field_true(a, "carried") &&
		    (name = field_str(a, "source")))
			add_named(&ss, s, name, ann_offset(a, "source_start", 0),
				  ann_offset(a, "source_end", 0), ev, i);
		else if (k == K_SPEAKER && (name = field_str(a, "speaker")))
			add_named(&ss, s, name, ann_offset(a, "speaker_start", 0),
				  ann_offset(a, "speaker_end", 0), ev, i);
		else if (quote_speakers && k == K_QUOTE &&
			 (name = field_str(a, "speaker")))
			add_named(&ss, s, name, ann_offset(a, "speaker_start", 0),
				  ann_offset(a, "speaker_end", 0), ev, i);
	}
	/* Outlets cited without a sentence attributed to them still count. */
	json_array_foreach(s->anns, i, a) {
		const char *role, *entry;
		char *key;
		size_t k;
		bool known = false;

		if (s->kind[i] != K_OUTLET)
			continue;
		role = field_str(a, "role");
		entry = field_str(a, "entry");
		if (!role || strcmp(role, "cited_source"))
			continue;
		key = entry ? xasprintf("outlet:%s", entry)
			    : fold_name(field_str(a, "name") ? field_str(a, "name") : "");
		for (k = 0; k < ss.n && !known; k++)
			known = !strcmp(ss.v[k].key, key) || !strcmp(ss.v[k].alias, key);
		if (known) {
			free(key);
			continue;
		}
		source_add(&ss, key, NULL, field_str(a, "name") ? field_str(a, "name") : "?",
			   outlet_affiliated(a));
		ids_add(ev, i);
	}
	for (i = 0; i < ss.n; i++) {
		json_t *o = json_object();

		total += ss.v[i].mentions;
		if (ss.v[i].mentions > top)
			top = ss.v[i].mentions;
		if (ss.v[i].affiliated)
			affil_mentions += ss.v[i].mentions;
		json_object_set_new(o, "name", json_string(ss.v[i].name));
		json_object_set_new(o, "mentions", json_integer((json_int_t)ss.v[i].mentions));
		json_object_set_new(o, "affiliated", json_boolean(ss.v[i].affiliated));
		json_array_append_new(list, o);
	}
	json_object_set_new(counts, "distinct", json_integer((json_int_t)ss.n));
	json_object_set_new(counts, "mentions", json_integer((json_int_t)total));
	json_object_set_new(counts, "top_share",
			    json_real(total ? round_to((double)top / total, 0.001) : 0));
	json_object_set_new(counts, "affiliated_share",
			    json_real(total ? round_to((double)affil_mentions / total, 0.001) : 0));
	json_object_set_new(counts, "sources", list);
	if (!ss.n && !claims) {
		free(ss.v);
		json_decref(ev);
		return component(sc, SCORE_SOURCES, NULL, NOT_APPLICABLE, NULL, counts,
				 "no sources and no claims to source");
	}
	diversity = clamp01(ss.n / sc->sources_target);
	reliance = total ? clamp01((1 - (double)top / total) / (1 - 1 / sc->sources_target)) : 0;
	independence = total ? 1 - (double)affil_mentions / total : 0;
	if (sc->sources_target <= 1)
		reliance = ss.n ? 1 : 0;
	quality = (sc->diversity_share * diversity + sc->reliance_share * reliance +
		   sc->independence_share * independence) /
		  (sc->diversity_share + sc->reliance_share + sc->independence_share);
	if (!ss.n)
		snprintf(detail, sizeof(detail), "no named source for %zu claim sentence%s", claims,
			 claims == 1 ? "" : "s");
	else
		snprintf(detail, sizeof(detail),
			 "%zu distinct source%s (%.0f for full points); the most cited has %zu of %zu "
			 "mentions (%.0f%%); %.0f%% of mentions go to state-affiliated or conflict-party "
			 "sources%s",
			 ss.n, ss.n == 1 ? "" : "s", sc->sources_target, top, total,
			 100.0 * top / total, 100.0 * affil_mentions / total,
			 s->ran[RAN_AFFIL] ? "" : " (affiliations unknown: slant-affil did not run)");
	for (i = 0; i < ss.n; i++) {
		free(ss.v[i].key);
		free(ss.v[i].alias);
		free(ss.v[i].name);
	}
	free(ss.v);
	return component(sc, SCORE_SOURCES, json_integer((json_int_t)ss.n), quality,
			 ev, counts, detail);
}

/* ------ Transparency ------ */

struct checks {
	double sum;
	size_t n;
	char detail[600];
	size_t len;
};

static void check(struct checks *ck, json_t *counts, const char *name, double v,
		  const char *what)
{
	ck->sum += v;
	ck->n++;
	json_object_set_new(counts, name, json_real(v));
	if (ck->len < sizeof(ck->detail))
		ck->len += (size_t)snprintf(ck->detail + ck->len, sizeof(ck->detail) - ck->len,
					    "%s%s %s", ck->len ? "; " : "",
					    v >= 1 ? "yes:" : v > 0 ? "partly:" : "no:", what);
}

static json_t *transparency(const struct score_conf *sc, const struct scan *s,
			    const json_t *rec, double authorial_density, size_t authorial_terms)
{
	json_t *ev = ids_new(), *counts = json_object();
	const json_t *pub = json_object_get(rec, "publisher"), *outlet = json_object_get(rec, "outlet");
	const json_t *origin = json_object_get(rec, "origin");
	const json_t *opinion = json_object_get(rec, "opinion"), *a;
	const char *bk = rec_str(rec, "byline_kind"), *byline = rec_str(rec, "byline");
	const char *published = rec_str(rec, "published");
	struct checks ck = { 0 };
	size_t i, affiliated = 0, disclosed = 0;
	char what[200];

	if (bk) {
		/* A wire agency's copy is credited as a desk's is: no person answers for it. */
		bool desk = !strcmp(bk, "team") || !strcmp(bk, "agency");

		check(&ck, counts, "author",
		      !strcmp(bk, "person") ? 1 : desk ? sc->team_credit : 0,
		      !strcmp(bk, "person") ? "named author"
		      : !strcmp(bk, "agency") ? "byline names a wire agency, not a person"
		      : desk ? "byline names a desk or organisation, not a person"
			     : "no byline");
	} else {
		bool named = json_array_size(json_object_get(rec, "authors")) > 0 ||
			     (byline && *byline);

		check(&ck, counts, "author", named, named ? "byline" : "no byline");
	}
	check(&ck, counts, "date", published && *published, published && *published
								   ? "publication date"
								   : "no publication date");
	if (json_is_object(pub) && json_is_string(json_object_get(pub, "entry"))) {
		snprintf(what, sizeof(what), "publisher known (%s)",
			 field_str(pub, "name") ? field_str(pub, "name") : field_str(pub, "entry"));
		check(&ck, counts, "publisher", 1, what);
	} else if (json_is_object(origin) && json_is_string(json_object_get(origin, "entry"))) {
		/* Wire or republished copy on an unknown site: the origin is the publisher that counts. */
		snprintf(what, sizeof(what), "origin known (%s)", field_str(origin, "name"));
		check(&ck, counts, "publisher", 1, what);
	} else if ((json_is_object(pub) && field_str(pub, "name")) ||
		   field_str(outlet, "name") || field_str(outlet, "domain")) {
		check(&ck, counts, "publisher", sc->unregistered_credit,
		      "publisher named but not in the outlet register");
	} else {
		check(&ck, counts, "publisher", 0, "publisher unknown");
	}
	json_array_foreach(s->anns, i, a) {
		const char *role;

		if (s->kind[i] != K_OUTLET)
			continue;
		role = field_str(a, "role");
		/* Disclosure is owed where the outlet speaks as a source, not where it is the story. */
		if (!outlet_affiliated(a) || (role && strcmp(role, "cited_source")))
			continue;
		affiliated++;
		if (field_true(a, "disclosed"))
			disclosed++;
		else
			ids_add(ev, i);
	}
	if (affiliated) {
		snprintf(what, sizeof(what), "%zu of %zu mentions of affiliated sources disclose it",
			 disclosed, affiliated);
		check(&ck, counts, "affiliations", (double)disclosed / affiliated, what);
	}
	if (json_is_object(opinion)) {
		if (field_true(opinion, "is_opinion"))
			check(&ck, counts, "opinion", 1, "labelled as opinion");
		else if (s->ran[RAN_FRAME] && authorial_terms >= sc->opinion_min_terms &&
			 authorial_density >= sc->framing_max) {
			snprintf(what, sizeof(what),
				 "reads as opinion (%.1f loaded terms per 1,000 words in its own voice) "
				 "but is not labelled",
				 authorial_density);
			check(&ck, counts, "opinion", 0, what);
		} else {
			check(&ck, counts, "opinion", 1, "news, not opinion");
		}
	}
	if (json_is_object(pub) && field_true(pub, "state_affiliated") &&
	    ck.len < sizeof(ck.detail)) {
		snprintf(ck.detail + ck.len, sizeof(ck.detail) - ck.len,
			 "; note: the publisher is state-affiliated (%s)",
			 field_str(pub, "control") ? field_str(pub, "control") : "register");
		ck.len += strlen(ck.detail + ck.len);
	}
	/* The origin's affiliation counts like the publisher's: the text is that outlet's. */
	if (json_is_object(origin) && field_true(origin, "state_affiliated") &&
	    ck.len < sizeof(ck.detail))
		snprintf(ck.detail + ck.len, sizeof(ck.detail) - ck.len,
			 "; note: the text comes from a state-affiliated outlet, %s (%s)",
			 field_str(origin, "name") ? field_str(origin, "name") : "?",
			 field_str(origin, "found_by") ? field_str(origin, "found_by") : "credit");
	if (json_is_object(origin) && field_str(origin, "name")) {
		json_object_set_new(counts, "origin", json_string(field_str(origin, "name")));
		json_object_set_new(counts, "origin_state_affiliated",
				    json_boolean(field_true(origin, "state_affiliated")));
	}
	json_object_set_new(counts, "checks", json_integer((json_int_t)ck.n));
	return component(sc, SCORE_TRANSPARENCY, json_real(round_to(ck.sum, 0.01)),
			 ck.sum / ck.n, ev, counts, ck.detail);
}

static json_t *verbs(const struct score_conf *sc, const struct scan *s)
{
	json_t *ev = ids_new(), *counts = json_object();
	size_t loaded = 0, hedges = 0, quoted_hedges = 0, i;
	const json_t *a;
	double value;
	char detail[400];

	if (!s->ran[RAN_ATTRIB]) {
		json_decref(ev);
		json_decref(counts);
		return not_applicable(sc, SCORE_VERBS, "slant-attrib did not run");
	}
	json_array_foreach(s->anns, i, a) {
		enum kind k = s->kind[i];
		const char *stance;

		if (k == K_ATTRIBUTED || k == K_VAGUE || k == K_ANONYMOUS) {
			stance = field_str(a, "stance");
			if (stance && !strcmp(stance, "loaded") && !field_true(a, "carried")) {
				loaded++;
				ids_add(ev, i);
			}
		} else if (k == K_HEDGE) {
			/* A hedge inside a quotation is the speaker's, not the outlet's. */
			if (in_quote(s, ann_offset(a, "start", 0), ann_offset(a, "end", 0))) {
				quoted_hedges++;
				continue;
			}
			hedges++;
			ids_add(ev, i);
		}
	}
	value = (loaded + sc->hedge_weight * hedges) * 1000 / s->denom;
	json_object_set_new(counts, "loaded_verbs", json_integer((json_int_t)loaded));
	json_object_set_new(counts, "hedges", json_integer((json_int_t)hedges));
	json_object_set_new(counts, "quoted_hedges", json_integer((json_int_t)quoted_hedges));
	snprintf(detail, sizeof(detail),
		 "%zu loaded reporting verb%s and %zu hedge%s in the outlet's voice: %.2f per "
		 "1,000 words (a hedge counts %.2f of a verb; no points at %.0f or more)",
		 loaded, loaded == 1 ? "" : "s", hedges, hedges == 1 ? "" : "s", value,
		 sc->hedge_weight, sc->verbs_max);
	return component(sc, SCORE_VERBS, json_real(round_to(value, 0.01)),
			 1 - value / sc->verbs_max, ev, counts, detail);
}

/* ====== The report ====== */

json_t *score_article(const struct score_conf *sc, struct doc *d, const json_t *rec, char *why,
		      size_t whylen)
{
	static const char *const stages[4] = { "frame", "attrib", "affil", "segment" };
	json_t *report = json_object(), *comps = json_array(), *missing = json_array();
	struct scan s = { 0 };
	size_t capo = 0;
	double points = 0, weights = 0, total = 0, density = 0, score;
	size_t own_terms = 0;
	const json_t *a, *c;
	size_t i;

	if (doc_read(d, rec, why, whylen) < 0) {
		json_decref(report);
		json_decref(comps);
		json_decref(missing);
		return NULL;
	}
	s.doc = d;
	s.anns = json_object_get(rec, "annotations");
	s.text = d->text;
	s.len = d->len;
	s.body_start = doc_body_start(d);
	s.words = doc_words(d);
	for (i = 0; i < 4; i++) {
		s.ran[i] = rec_has_stage(rec, stages[i]);
		if (!s.ran[i])
			json_array_append_new(missing, json_string(stages[i]));
	}
	s.kind = xcalloc(json_array_size(s.anns) + 1, 1);
	json_array_foreach(s.anns, i, a) {
		s.kind[i] = kind_of(a);
		if (s.kind[i] == K_OUTLET) {
			xgrow(&s.outlets, &capo, s.noutlets + 1, sizeof(*s.outlets));
			s.outlets[s.noutlets].i = i;
			s.outlets[s.noutlets].start = ann_offset(a, "start", 0);
			s.outlets[s.noutlets].end = ann_offset(a, "end", 0);
			s.noutlets++;
		}
	}
	s.denom = s.words > sc->min_words ? (double)s.words : sc->min_words;
	if (s.denom <= 0)
		s.denom = 1;

	json_array_append_new(comps, framing(sc, &s, false, &density, &own_terms));
	json_array_append_new(comps, framing(sc, &s, true, &density, &own_terms));
	json_array_append_new(comps, attribution(sc, &s));
	json_array_append_new(comps, sources(sc, &s));
	json_array_append_new(comps, transparency(sc, &s, rec, density, own_terms));
	json_array_append_new(comps, verbs(sc, &s));

	json_array_foreach(comps, i, c) {
		double w = json_number_value(json_object_get(c, "weight"));

		total += w;
		if (json_is_true(json_object_get(c, "applicable"))) {
			weights += w;
			points += json_number_value(json_object_get(c, "points"));
		}
	}
	score = weights > 0 ? round_to(100 * points / weights, 0.1) : 0;
	json_object_set_new(report, "score", weights > 0 ? json_real(score) : json_null());
	/* Less than half the weight measured: a number, but no verdict-like band. */
	json_object_set_new(report, "band",
			    json_string(weights > 0 && weights >= total / 2 ? score_band(sc, score)
									      : "incomplete"));
	json_object_set_new(report, "coverage",
			    json_real(total > 0 ? round_to(weights / total, 0.001) : 0));
	json_object_set_new(report, "words", json_integer((json_int_t)s.words));
	json_object_set_new(report, "missing", missing);
	json_object_set_new(report, "components", comps);
	json_object_set_new(report, "config_hash", json_string(sc->hash));
	free(s.outlets);
	free(s.kind);
	return report;
}
