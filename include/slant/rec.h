/*
 * rec.h -- the stream record: one JSON object per line (docs/stream.md).
 *
 * Records are jansson objects. The functions here own the conventions every
 * stage shares: the format version, the 'text' and its byte offsets, the one
 * 'annotations' array, the 'stages' a record has been through and 'errors'.
 */
#ifndef SLANT_REC_H
#define SLANT_REC_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#define REC_FORMAT 1

/* Longest input line a stage accepts; longer ones become error records. */
#define REC_MAX_LINE ((size_t)64 << 20)
/*
 * Most JSON values (fields, annotations and theirs) in one record. A parsed
 * value costs jansson 50 to 100 bytes, so this bounds a record's memory near
 * 500 MiB where the line limit alone did not (10 million empty annotations
 * in a 30 MB line took 2.3 GB); a fully annotated record of REC_MAX_TEXT
 * stays below it (docs/reliability.md).
 */
#define REC_MAX_VALUES ((size_t)8 << 20)
/* Longest article text; ingest truncates past it (docs/reliability.md). */
#define REC_MAX_TEXT ((size_t)16 << 20)

/*
 * Parse one line into a record. Returns a new reference, or NULL with a
 * message in 'why' (at least 160 bytes) when the line is not a JSON object.
 */
json_t *rec_parse(const char *line, size_t len, char *why, size_t whylen);

/* Write 'rec' as one compact line. Returns 0, or -1 on a write error (errno set). */
int rec_write(FILE *out, const json_t *rec);
/* The same as a malloc'd string (no newline); caller frees. */
char *rec_dump(const json_t *rec);

/* A new record with the format version and 'id' set. */
json_t *rec_new(const char *id);

/* The article text and its byte length, or NULL if the record has none. */
const char *rec_text(const json_t *rec, size_t *len);
/* Borrowed string field, or NULL. */
const char *rec_str(const json_t *rec, const char *key);

/* The 'annotations' array (created if missing); borrowed reference. */
json_t *rec_annotations(json_t *rec);

/*
 * Append an annotation {stage, label, start, end, text} over text[start, end)
 * and return it (borrowed) so the caller can add its own fields.
 */
json_t *rec_annotate(json_t *rec, const char *stage, const char *label, size_t start,
		     size_t end);

/* Integer field of an annotation as size_t; 'def' if absent or negative. */
size_t ann_offset(const json_t *ann, const char *key, size_t def);
/* Whether annotation 'ann' is from 'stage' (and has 'label', unless NULL). */
bool ann_is(const json_t *ann, const char *stage, const char *label);

/* Record that 'stage' has processed 'rec' (appends to 'stages'). */
void rec_mark_stage(json_t *rec, const char *stage);
bool rec_has_stage(const json_t *rec, const char *stage);

/* Append {stage, message[, line]} to the record's 'errors' array. */
void rec_add_error(json_t *rec, const char *stage, const char *message, unsigned long line);

/*
 * An error record stands for input that could not become an article (an
 * unparseable or over-long line). It has "status": "error", its 'errors'
 * entry, where it came from, and the first bytes of the raw input.
 */
json_t *rec_error_record(const char *stage, const char *input, unsigned long line,
			 const char *message, const char *raw, size_t rawlen);
bool rec_is_error(const json_t *rec);

#endif
