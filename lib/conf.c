/* conf.c -- pipeline.conf parsing, validation against one schema, and defaults. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "slant/conf.h"
#include "slant/file.h"
#include "slant/hash.h"
#include "slant/usage.h"
#include "slant/utf8.h"

/* A configuration is a page of text: refuse more (e.g. --config /dev/zero). */
#define CONF_MAX_BYTES ((size_t)1 << 20)

#ifndef SLANT_DATADIR
#define SLANT_DATADIR "/usr/local/share/slant"
#endif

/* ====== The schema: every section and key slant knows, with its default ====== */

struct conf_key {
	const char *section, *key, *def;
};

static const struct conf_key schema[] = {
	{ "pipeline", "stages", "ingest segment attrib frame affil score store" },
	{ "pipeline", "db", "slant.db" },
	{ "ingest", "max_text", "16777216" },
	{ "segment", "max_quote", "4000" },
	{ "frame", "lexicon", "lexicons/framing.tsv" },
	{ "frame", "quote_cues", "lexicons/quote_cues.tsv" },
	{ "frame", "extend_categories",
	  "emotive evaluative intensifier catastrophising puffery derision distancing fear_appeal" },
	{ "attrib", "reporting_verbs", "lexicons/reporting_verbs.tsv" },
	{ "attrib", "weasel", "lexicons/weasel.tsv" },
	{ "attrib", "hedges", "lexicons/hedges.tsv" },
	{ "attrib", "boilerplate", "lexicons/boilerplate.tsv" },
	{ "affil", "register", "lexicons/outlets.tsv" },
	{ "affil", "cues", "lexicons/affil_cues.tsv" },
	{ "score", "weight_framing", "25" },
	{ "score", "weight_headline", "10" },
	{ "score", "weight_attribution", "25" },
	{ "score", "weight_sources", "15" },
	{ "score", "weight_transparency", "15" },
	{ "score", "weight_verbs", "10" },
	{ "score", "framing_max", "20" },
	{ "score", "headline_max", "3" },
	{ "score", "verbs_max", "12" },
	{ "score", "hedge_weight", "0.5" },
	{ "score", "vague_credit", "0.25" },
	{ "score", "anonymous_credit", "0.5" },
	{ "score", "sources_target", "3" },
	{ "score", "min_words", "150" },
	{ "score", "diversity_share", "0.4" },
	{ "score", "reliance_share", "0.3" },
	{ "score", "independence_share", "0.3" },
	{ "score", "team_credit", "0.5" },
	{ "score", "unregistered_credit", "0.5" },
	{ "score", "opinion_min_terms", "3" },
	{ "score", "bands", "80 sound, 60 mixed, 40 weak, 0 poor" },
	{ "store", "batch", "500" },
	{ "store", "busy_timeout_ms", "10000" },
	{ "store", "skip", "segment/paragraph segment/sentence" },
};

static const struct conf_key *schema_find(const char *section, const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(schema) / sizeof(schema[0]); i++)
		if (!strcmp(schema[i].section, section) && (!key || !strcmp(schema[i].key, key)))
			return &schema[i];
	return NULL;
}

/* ====== Parsing ====== */

static char *trim(char *s, char *end)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

static void conf_put(struct conf *c, const char *section, const char *key, const char *value,
		     unsigned long line)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (!strcmp(c->v[i].section, section) && !strcmp(c->v[i].key, key)) {
			free(c->v[i].value);
			c->v[i].value = xstrdup(value);
			c->v[i].line = line;
			return;
		}
	}
	xgrow(&c->v, &c->cap, c->n + 1, sizeof(*c->v));
	c->v[c->n].section = xstrdup(section);
	c->v[c->n].key = xstrdup(key);
	c->v[c->n].value = xstrdup(value);
	c->v[c->n].line = line;
	c->n++;
}

int conf_parse(struct conf *c, const char *name, const char *text, size_t len)
{
	char *copy = xstrndup(text, len), *p = copy, *section = NULL, q[UTF8_CLIP_BUF], q2[UTF8_CLIP_BUF];
	unsigned long line = 0;
	int bad = 0;

	if (memchr(text, '\0', len)) {
		free(copy);
		return error("%s: NUL byte in configuration file", name);
	}
	while (p && *p) {
		char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p), *s, *eq;

		line++;
		s = trim(p, end);
		p = nl ? nl + 1 : NULL;
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');

			if (!close || close[1]) {
				bad = error("%s:%lu: malformed section header '%s'", name, line,
					    utf8_clip(s, q));
				continue;
			}
			*close = '\0';
			s = trim(s + 1, close);
			if (!schema_find(s, NULL)) {
				bad = error("%s:%lu: unknown section '[%s]'", name, line,
					    utf8_clip(s, q));
				section = NULL;
				continue;
			}
			section = s;
			continue;
		}
		eq = strchr(s, '=');
		if (!eq) {
			bad = error("%s:%lu: expected 'key = value', got '%s'", name, line,
				    utf8_clip(s, q));
			continue;
		}
		*eq = '\0';
		{
			char *key = trim(s, eq), *value = trim(eq + 1, eq + 1 + strlen(eq + 1));

			if (!section) {
				bad = error("%s:%lu: '%s' outside a known section", name, line,
					    utf8_clip(key, q));
				continue;
			}
			if (!schema_find(section, key)) {
				bad = error("%s:%lu: unknown key '%s' in section '[%s]'", name, line,
					    utf8_clip(key, q), utf8_clip(section, q2));
				continue;
			}
			conf_put(c, section, key, value, line);
		}
	}
	free(copy);
	return bad ? -1 : 0;
}

static int readable(const char *path)
{
	return path && access(path, R_OK) == 0;
}

/* Directory of the running program, for finding bin/../pipeline.conf. */
static char *exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return xstrdup(buf);
}

const char *conf_datadir(void)
{
	return SLANT_DATADIR;
}

/* Directories above the program's a build tree may hold data in: bin/.., build/san/bin/../../.. */
#define BUILD_TREE_DEPTH 3

char *conf_data_path(const struct conf *c, const char *section, const char *key)
{
	char *p = conf_path(c, section, key);
	const char *v = conf_get(c, section, key);
	char *dir, *alt;
	int k;

	if (!p || access(p, R_OK) == 0 || !v || v[0] == '/')
		return p;
	/* The installed data, then the tree the program was built in. */
	alt = xasprintf("%s/%s", conf_datadir(), v);
	for (k = 0, dir = exe_dir(); access(alt, R_OK) != 0 && dir && k < BUILD_TREE_DEPTH; k++) {
		char *up = xasprintf("%s/..", dir);

		free(alt);
		alt = xasprintf("%s/%s", up, v);
		free(dir);
		dir = up;
	}
	free(dir);
	if (access(alt, R_OK) == 0) {
		free(p);
		return alt;
	}
	free(alt);
	return p;
}

static char *find_conf(void)
{
	const char *env = getenv("SLANT_CONFIG");
	char *dir, *p;

	if (env && *env)
		return xstrdup(env);
	if (readable("pipeline.conf"))
		return xstrdup("pipeline.conf");
	dir = exe_dir();
	if (dir) {
		p = xasprintf("%s/../pipeline.conf", dir);
		if (readable(p)) {
			free(dir);
			return p;
		}
		free(p);
		p = xasprintf("%s/../share/slant/pipeline.conf", dir);
		free(dir);
		if (readable(p))
			return p;
		free(p);
	}
	p = xasprintf("%s/pipeline.conf", SLANT_DATADIR);
	if (readable(p))
		return p;
	free(p);
	return NULL;
}

int conf_load(struct conf *c, const char *path)
{
	char *found = path ? xstrdup(path) : find_conf(), *buf, *slash;
	size_t len;
	int ret;

	conf_release(c);
	if (!found) {
		c->dir = xstrdup(SLANT_DATADIR);
		return 0;
	}
	if (file_read(found, CONF_MAX_BYTES, &buf, &len) < 0) {
		free(found);
		return -1;
	}
	c->path = found;
	slash = strrchr(found, '/');
	c->dir = slash ? xstrndup(found, (size_t)(slash - found)) : xstrdup(".");
	sha256_hex_of(buf, len, c->hash);
	ret = conf_parse(c, found, buf, len);
	free(buf);
	return ret;
}

const char *conf_get(const struct conf *c, const char *section, const char *key)
{
	const struct conf_key *k;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].section, section) && !strcmp(c->v[i].key, key))
			return c->v[i].value;
	k = schema_find(section, key);
	return k ? k->def : NULL;
}

char *conf_path(const struct conf *c, const char *section, const char *key)
{
	const char *v = conf_get(c, section, key);
	size_t i;

	if (!v)
		return NULL;
	if (v[0] == '/' || !c->dir)
		return xstrdup(v);
	/* A path given on the command line is relative to the working directory. */
	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].section, section) && !strcmp(c->v[i].key, key) &&
		    !c->v[i].line)
			return xstrdup(v);
	return xasprintf("%s/%s", c->dir, v);
}

int conf_double(const struct conf *c, const char *section, const char *key, double *out)
{
	const char *v = conf_get(c, section, key);
	char *end, q[UTF8_CLIP_BUF];

	if (!v)
		return error("no value for '%s.%s'", section, key);
	errno = 0;
	*out = strtod(v, &end);
	if (errno || end == v || *end)
		return conf_error(c, section, key, "'%s' is not a number", utf8_clip(v, q));
	/* strtod takes "nan" and "inf", and NaN passes every range check (v < lo is false). */
	if (!isfinite(*out))
		return conf_error(c, section, key, "'%s' is not a finite number", utf8_clip(v, q));
	return 0;
}

int conf_error(const struct conf *c, const char *section, const char *key, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].section, section) && !strcmp(c->v[i].key, key) && c->v[i].line)
			return error("%s:%lu: %s", c->path, c->v[i].line, msg);
	return error("'%s.%s': %s", section, key, msg);
}

int conf_set(struct conf *c, const char *section, const char *key, const char *value)
{
	if (!schema_find(section, key))
		return error("unknown configuration key '%s.%s'", section, key);
	conf_put(c, section, key, value, 0);
	return 0;
}

void conf_release(struct conf *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].section);
		free(c->v[i].key);
		free(c->v[i].value);
	}
	free(c->v);
	free(c->path);
	free(c->dir);
	memset(c, 0, sizeof(*c));
}
