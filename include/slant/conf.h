/*
 * conf.h -- pipeline.conf: INI sections of "key = value" lines.
 *
 * Every known section and key is declared once in lib/conf.c with its
 * default; an unknown section or key is an error with file:line. Values
 * given on the command line override the file (conf_set).
 */
#ifndef SLANT_CONF_H
#define SLANT_CONF_H

#include <stddef.h>

struct conf_entry {
	char *section;
	char *key;
	char *value;
	unsigned long line;   /* 0 when set from the command line */
};

struct conf {
	char *path;           /* file read, or NULL for built-in defaults */
	char *dir;            /* its directory: relative paths in values resolve here */
	char hash[65];        /* SHA-256 of the file's bytes ("" without a file) */
	struct conf_entry *v;
	size_t n, cap;
};

#define CONF_INIT { 0 }

/*
 * Load 'path' (NULL: $SLANT_CONFIG, then ./pipeline.conf, then the installed
 * one, then built-in defaults). Returns 0, or -1 after reporting
 * "file:line: message" for each bad line.
 */
int conf_load(struct conf *c, const char *path);
/* Parse 'len' bytes of text named 'name'; the same checks as conf_load(). */
int conf_parse(struct conf *c, const char *name, const char *text, size_t len);

/* The value of section.key, or its declared default (NULL if none). */
const char *conf_get(const struct conf *c, const char *section, const char *key);
/* A path value resolved against the conf file's directory; caller frees. */
char *conf_path(const struct conf *c, const char *section, const char *key);
/*
 * A data file named by section.key (a lexicon): as conf_path(), else the same
 * relative name under conf_datadir(), else up to three directories above the
 * program's (bin/../lexicons of a build tree), whichever is readable first: so an
 * installed or built slant finds its lexicons whatever config names the rest.
 * Caller frees.
 */
char *conf_data_path(const struct conf *c, const char *section, const char *key);
/* A finite number value; -1 (reported with file:line) if it does not parse or is NaN or infinite. */
int conf_double(const struct conf *c, const char *section, const char *key, double *out);

/* Report a bad value of section.key as "file:line: msg", or "'section.key': msg". Returns -1. */
__attribute__((format(printf, 4, 5))) int conf_error(const struct conf *c, const char *section,
						     const char *key, const char *fmt, ...);

/* Override section.key; returns -1 (reported) for an unknown key. */
int conf_set(struct conf *c, const char *section, const char *key, const char *value);

void conf_release(struct conf *c);

/* Where data files were installed (lexicons, default pipeline.conf). */
const char *conf_datadir(void);

#endif
