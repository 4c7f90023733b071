/*
 * partition.h -- the stream written as one file per outlet (slant run
 * --by-outlet DIR, docs/scale.md).
 *
 *   struct partition pt = PARTITION_INIT;
 *   if (partition_open(&pt, "out") == 0) {
 *           ... partition_write(&pt, rec) for each record ...
 *           ret = partition_close(&pt);
 *   }
 */
#ifndef SLANT_PARTITION_H
#define SLANT_PARTITION_H

#include <stdio.h>

#include <jansson.h>

struct part_file {
	char *key;
	FILE *fp;             /* NULL while closed */
	unsigned long long used; /* when last written (tick), 0: not yet in this run */
};

struct partition {
	const char *dir;
	struct part_file *v;
	size_t n, cap, nopen;
	unsigned long long tick;
};

#define PARTITION_INIT { 0 }

/* Start writing into directory 'dir' (borrowed), made if missing. Returns 0 or -1 (reported). */
int partition_open(struct partition *pt, const char *dir);

/*
 * Append 'rec' to DIR/KEY.jsonl: KEY from the publisher affil found, else
 * the outlet ingest read, else "_unknown"; error records to "_errors".
 * A file is started afresh the first time a run writes it. Records keep
 * their order within a file; at most 64 files are open at once (the least
 * recently used is closed, and reopened for appending). Dies on a write
 * error. Returns 0 (a fused chain's output callback: 'data' is a struct
 * partition).
 */
int partition_write(void *data, json_t *rec);

/* Close every file and free the rest. Returns 0, or -1 after reporting a write error. */
int partition_close(struct partition *pt);

#endif
