/*
 * fused.h -- a chain run in one process: every stage's function called in
 * turn on each record, parsed once (slant run, the default).
 *
 * The source emits into the chain, which hands each record to every later
 * stage through stage_process(), as stage_main()'s read loop does after
 * parsing a line, so both modes treat errors alike; then to 'out' unless a
 * sink filed it. Each stage has its own context and its own copy of the
 * config, set up from the options the pipe mode gives its program
 * (--config, --db to the sink, the paths to the source), and speaks with
 * its program's name, so both modes give the same records and messages.
 * A sink runs in a thread of its own.
 *
 *   struct fused f;
 *   fused_init(&f, &ch);
 *   if (!(ret = fused_setup(&f, 0, ch.n, ch.db)))
 *           ret = fused_run(&f, NULL);
 *   fused_release(&f);
 *
 * fused_run_chain() does just that.
 */
#ifndef SLANT_FUSED_H
#define SLANT_FUSED_H

#include <stdio.h>

#include <jansson.h>

#include "slant/chain.h"
#include "slant/conf.h"
#include "slant/doc.h"
#include "slant/stage.h"

struct fused;
struct sink_thread;

struct fused_stage {
	struct stage_ctx ctx;
	struct conf conf;
	char *prog;           /* "slant-NAME": the ctx's name for messages, as in pipe mode */
	struct fused *f;
	size_t i;
};

struct fused {
	const struct chain *ch;
	struct fused_stage *v; /* one per stage of the chain; [lo, hi) run here */
	size_t lo, hi;
	const char *shard;    /* "shard N: " in a -j worker's messages, else "" */
	unsigned long ordinal; /* a -j worker: the record's line in the whole stream */
	bool stopped;         /* --strict saw a rejection, or the output went away */
	bool source_bumped;   /* we raised the source's nrejected to make it stop */
	/* Where records leaving the last stage go (not after a sink); -1 stops. */
	int (*out)(void *data, json_t *rec);
	void *out_data;
	struct sink_thread *sink; /* the sink runs in a thread of its own, or NULL */
	struct doc doc;       /* the record's view, read once for the stages of this thread */
	bool progress;
	struct chain_progress pg;
};

/* Contexts for every stage of 'ch' (borrowed), all run here, out to standard output. */
void fused_init(struct fused *f, const struct chain *ch);

/*
 * Load the config and set up stages [lo, hi) in order, the sink with the
 * database 'db' (NULL: its config's). Returns 0, or the exit status (2 or
 * 3) after the stage and we have said why.
 */
int fused_setup(struct fused *f, size_t lo, size_t hi, const char *db);

/*
 * Run the source, or with 'in' (a -j worker) stage f->lo over the lines read
 * from it, each optionally after "ORDINAL\t" (the line in the whole
 * stream); then each stage's finish. Returns the worst exit status, each
 * failure said by stage as the pipe mode does.
 */
int fused_run(struct fused *f, FILE *in);

/* Teardown every stage, release the contexts. */
void fused_release(struct fused *f);

/*
 * Run the whole chain 'ch' fused; records out of it go to 'out' with
 * 'data' (NULL: standard output). Returns the worst exit status.
 */
int fused_run_chain(const struct chain *ch, int (*out)(void *data, json_t *rec), void *data);

#endif
