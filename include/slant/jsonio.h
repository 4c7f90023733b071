/*
 * jsonio.h -- fast JSON reading and writing for records, over jansson values.
 *
 * Every stage program parses each record and writes it again; with jansson's
 * own json_loadb() and json_dump_callback() that was most of a stage's time
 * (about 45 MB/s parsing, 100 MB/s writing on the bench machine; docs/performance.md).
 * These build and read the same jansson values, so stages see no difference:
 *
 * - jsonio_parse() accepts exactly what json_loadb() accepts with
 *   JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL and builds the same values. It
 *   gives up (returns NULL) on anything it is not sure of -- a syntax error,
 *   a duplicate key, a number out of range, a lone surrogate -- and the caller
 *   asks json_loadb() for its exact message, so errors read as before.
 * - jsonio_dump() writes the same bytes as json_dump_callback() with
 *   JSON_COMPACT | JSON_REAL_PRECISION(prec): keys in insertion order, the
 *   same escapes, the same real number format.
 */
#ifndef SLANT_JSONIO_H
#define SLANT_JSONIO_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/*
 * Parse the JSON array or object in 'p' ('len' bytes, which must be valid
 * UTF-8: the caller checks). Returns a new reference, or NULL when json_loadb()
 * must be asked (it then fails, or, rarely, succeeds where we were unsure);
 * NULL with '*too_many' set when the input holds more than 'max_values'
 * values (then json_loadb() must not be asked: it would build them all).
 */
json_t *jsonio_parse(const char *p, size_t len, size_t max_values, bool *too_many);

/*
 * Append 'v' as compact JSON to the malloc'd buffer '*buf' of '*len' bytes
 * used and '*cap' allocated (all three may start as NULL/0), growing it.
 * 'prec' is the significant digits of reals (jansson's JSON_REAL_PRECISION;
 * 0 means 17). Returns 0, or -1 for a value jansson would not dump either
 * (a string that is not valid UTF-8, a NaN); '*buf' stays the caller's to free.
 */
/*
 * Significant digits of every real slant writes (records, the database, the
 * reports): 15 round-trips what the stages compute and prints 0.3, not
 * 0.30000000000000004.
 */
#define JSON_DIGITS 15

/*
 * Free the calling thread's buffer of unescaped strings: a thread that
 * parsed with jsonio_parse() calls it before it ends (the main thread's is
 * freed at exit).
 */
void jsonio_thread_release(void);

int jsonio_dump(const json_t *v, int prec, char **buf, size_t *len, size_t *cap);

/*
 * As jsonio_dump() for the object 'obj' less the members for which
 * 'skip(key, value)' is true: what json_dumps() would write for a copy of
 * 'obj' without them, without making the copy (slant-store's 'fields').
 */
int jsonio_dump_except(const json_t *obj, int prec, bool (*skip)(const char *, const json_t *),
		       char **buf, size_t *len, size_t *cap);

#endif
