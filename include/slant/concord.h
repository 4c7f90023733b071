/*
 * concord.h -- concordance (keyword in context) and run comparison over the
 * database, for slant-report --kwic and --compare (docs/evaluation.md).
 */
#ifndef SLANT_CONCORD_H
#define SLANT_CONCORD_H

#include <stdbool.h>
#include <stdio.h>

#include <sqlite3.h>

/*
 * Print the hit text[start, end) of 'text' ('len' bytes) as "LEFT [HIT]
 * RIGHT" with up to 'width' bytes of context either side, on one line
 * (newlines and tabs as spaces) and without a newline. The window never cuts
 * a UTF-8 character, and LEFT is padded to 'width' columns so that the
 * brackets of lines printed one under another line up. slant-report --kwic,
 * slant-eval and slant-lexicon test share it.
 */
void kwic_put(FILE *out, const char *text, size_t len, size_t start, size_t end, size_t width);

/*
 * Print every frame, attrib and affil annotation whose lexicon entry or
 * covered text is 'term' (case-insensitive) with 'width' bytes of context
 * either side, its outlet, voice and article id; ordered by outlet first
 * when 'by_outlet', else by article. 'db' needs the article_publisher view
 * (db_views_attach). Returns the number of hits, or -1 (reported).
 */
long concord_kwic(sqlite3 *db, const char *term, bool by_outlet, int width, FILE *out);

/*
 * Compare the annotations of two slant databases, 'a' (before) and 'b'
 * (after): over the articles both hold, the frame, attrib and affil
 * annotations (keyed by article, stage, label, span and entry) only in 'a'
 * (gone) or only in 'b' (new), summarised per stage/label/entry, biggest
 * change first ('top' rows, 0 for all); with the lexicons each file's last
 * run recorded and whether their hashes differ. Returns 0, or -1 (reported).
 */
int concord_compare(const char *a, const char *b, long top, FILE *out);

#endif
