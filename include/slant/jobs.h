/*
 * jobs.h -- slant run -j N: the records split by id across N worker
 * processes, each running the chain after the source into a shard
 * database, merged into the output at the end (docs/scale.md).
 */
#ifndef SLANT_JOBS_H
#define SLANT_JOBS_H

#include "slant/chain.h"

/*
 * Run 'ch' (a source first, a sink last) with ch->jobs workers, fused or
 * with ch->pipes as programs, into the database 'dbpath'. The source runs
 * here and deals its records out by a hash of their id, so every copy of
 * an article lands in the same worker in stream order. Returns the worst
 * exit status of the source, the workers and the merge; a shard whose
 * merge failed is left in place and named. Killed, we take the workers
 * with us (chain_guard()) and their shards stay: the next run into the
 * same database merges them before its own.
 */
int jobs_run(struct chain *ch, const char *dbpath);

#endif
