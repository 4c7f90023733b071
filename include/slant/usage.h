/*
 * usage.h -- error reporting, exit codes and allocation that cannot fail.
 *
 * Messages go to stderr as "progname: message". lib/ code reports with
 * error() and returns -1; only stage code and die*() call exit().
 */
#ifndef SLANT_USAGE_H
#define SLANT_USAGE_H

#include <stddef.h>

/* The exit codes every program uses (docs/exit-codes in each man page). */
enum slant_exit {
	SLANT_EXIT_OK = 0,       /* success */
	SLANT_EXIT_REJECTED = 1, /* the run finished, some records were rejected (each reported) */
	SLANT_EXIT_USAGE = 2,    /* bad usage, config or lexicon: nothing was processed */
	SLANT_EXIT_RUNTIME = 3,  /* I/O, memory or database failure: output may be incomplete */
};

extern _Thread_local const char *progname; /* set_progname(); "slant" until then */
extern int verbose;          /* -v count */

/* Set 'progname' from argv[0] (its basename). */
void set_progname(const char *argv0);

/*
 * die() exits with SLANT_EXIT_RUNTIME, die_usage() with SLANT_EXIT_USAGE.
 * A format ending in ':' gets ": strerror(errno)" appended (sbase eprintf).
 */
__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);
__attribute__((noreturn, format(printf, 1, 2))) void die_usage(const char *fmt, ...);

/* Print "progname: fmt" and return -1, so lib code can 'return error(...)'. */
__attribute__((format(printf, 1, 2))) int error(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void warning(const char *fmt, ...);
/* Like error() for data: "progname: error (at FILE:LINE): fmt"; returns -1. */
__attribute__((format(printf, 3, 4))) int error_at(const char *file, unsigned long line,
						    const char *fmt, ...);

/* Allocation that dies on out-of-memory: callers never check for NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow '*p' (of '*cap' elements of 'size' bytes) to hold at least 'need'. */
void xgrow(void *pp, size_t *cap, size_t need, size_t size);
/* Returns a malloc'd formatted string; caller frees it. */
__attribute__((format(printf, 1, 2))) char *xasprintf(const char *fmt, ...);

#endif
