/*
 * file.h -- read a whole (small) file into memory.
 *
 * For configuration, lexicons, registers, gold files and word lists: inputs
 * a parser wants in one piece. Article streams are read a line at a time
 * (line.h) and never go through here.
 *
 *   char *buf;
 *   size_t len;
 *   if (file_read(path, FILE_MAX_DATA, &buf, &len) < 0)
 *           return -1;
 *   ... parse buf[0, len) ...
 *   free(buf);
 */
#ifndef SLANT_FILE_H
#define SLANT_FILE_H

#include <stddef.h>
#include <stdio.h>

/* The cap for lexicons, registers and gold files: far above any real one, and /dev/zero ends. */
#define FILE_MAX_DATA ((size_t)64 << 20)

/*
 * Read all of 'path' into '*buf' (malloc'd, NUL-terminated, may hold NULs
 * of its own; caller frees it) and its length, without the NUL, into
 * '*len'. A file of more than 'max' bytes is refused. Returns 0, or -1
 * after error() with "cannot open 'PATH': REASON", "'PATH' is a directory,
 * not a file", "cannot read 'PATH': REASON" or "'PATH' is larger than MAX
 * bytes"; '*buf' is then NULL.
 */
int file_read(const char *path, size_t max, char **buf, size_t *len);

/* The same for an open stream 'fp' (not closed), named 'name' in messages. */
int file_read_stream(FILE *fp, const char *name, size_t max, char **buf, size_t *len);

#endif
