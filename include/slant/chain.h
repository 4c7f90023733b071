/*
 * chain.h -- a chain of stages: built from pipeline.conf or a list, and run
 * as separate programs joined by pipes (spawn, relay, judge).
 *
 * Used by slant (which can also run the chain fused, lib/fused.c, or on
 * shards, lib/jobs.c) and by slant-eval:
 *
 *   struct chain ch = CHAIN_INIT;
 *   if (chain_build(&ch, stage_registry, &conf, NULL) == 0 && chain_find_programs(&ch) == 0)
 *           ret = chain_run_pipes(&ch);
 *   chain_release(&ch);
 *
 * The order of the stages always comes from the list or the config; what a
 * stage needs before it comes from its .requires.
 */
#ifndef SLANT_CHAIN_H
#define SLANT_CHAIN_H

#include <stdbool.h>
#include <sys/types.h>

#include "slant/conf.h"
#include "slant/stage.h"

struct chain_stage {
	const struct stage *st;
	char *prog;           /* its program, DIR/slant-NAME (chain_find_programs) */
	char **args;          /* more arguments for its program (chain_add_arg), or NULL */
	size_t nargs;
	pid_t pid;            /* 0 until started */
	int status;           /* from waitpid() */
};

struct chain {
	struct chain_stage *v;
	size_t n, cap;
	/* Passed to every stage as its options, fused or as programs. */
	const char *config;   /* --config, or NULL */
	const char *db;       /* --db to a sink, or NULL: its config says */
	int verbose;          /* -v each */
	bool strict;
	char **paths;         /* operands for the source */
	int npaths;
	/* Running it. */
	bool from_stream;     /* no source: the first stage reads records (slant-eval) */
	int in, out;          /* programs: the first one's input, the last one's output (-1: ours) */
	bool progress;        /* show a progress line (programs: relay into the sink) */
	bool pipes;           /* slant run --pipe: programs, not fused */
	int jobs;             /* slant run -j N: worker processes (1: none) */
	const char *by_outlet; /* slant run --by-outlet DIR */
};

#define CHAIN_INIT { .in = -1, .out = -1, .jobs = 1 }

/* A stage that reads input rather than records (ingest). */
bool chain_is_source(const struct stage *st);

/*
 * Fill 'ch' from 'list' (stage names separated by spaces or commas), or
 * when 'list' is NULL from [pipeline] stages of 'conf', and check it: every
 * stage one of 'known' (NULL-terminated: stage_registry, which lives with
 * the stages, registry.h), a source first (unless ch->from_stream), filters after, a
 * sink only last, each stage's .requires earlier. Messages name where the
 * list came from ("FILE:LINE: ..." or "--stages: ..."). Returns 0, or -1
 * after reporting.
 */
int chain_build(struct chain *ch, const struct stage *const *known, const struct conf *conf,
		const char *list);

/*
 * Keep only the 'n' stages named in 'want' and, before them, those they
 * need (.requires), in the chain's order. Returns 0, or -1 after reporting
 * a wanted stage the chain does not have.
 */
int chain_keep(struct chain *ch, const char *const *want, size_t n);

/* Whether the chain has the stage 'name'. */
bool chain_has(const struct chain *ch, const char *name);

/* Add 'arg' (copied) to the arguments of stage 'name''s program; ignored if absent. */
void chain_add_arg(struct chain *ch, const char *name, const char *arg);

/*
 * The directory of the running program, where the stage programs are
 * installed. Returns a malloc'd string, or NULL after reporting.
 */
char *chain_dir(void);

/* For chain_run_pipes(): find each stage's program beside ours. Returns 0 or -1 (reported). */
int chain_find_programs(struct chain *ch);

/*
 * Start every stage as its program, joined by pipes, the first reading
 * ch->in and the last writing ch->out; with ch->progress, relay into the
 * last stage and show progress. Reap them all and say which failed and
 * how (a stage killed by SIGPIPE because a later one stopped reading is
 * not blamed). Returns the worst status: 0-3, or 141 when our own reader
 * went away.
 */
int chain_run_pipes(struct chain *ch);

void chain_release(struct chain *ch);

/*
 * A pipe whose ends are not inherited past exec: a stage gets its own
 * with dup2(), and one held open by another would keep EOF from coming.
 * Returns 0 or -1 (reported).
 */
int chain_pipe(int fd[2]);

/* ====== Processes that end with us ====== */

/*
 * fork() a stage or worker, our output flushed first. The child passes
 * no signals on (chain_unguard()), and is sent SIGTERM when we die, even
 * of SIGKILL, which we cannot pass on (PR_SET_PDEATHSIG). Returns as
 * fork() does.
 */
pid_t chain_fork(void);

/*
 * Until chain_unguard(), pass SIGINT, SIGTERM and SIGHUP (those not
 * ignored) on to the 'n' processes 'pids' (0: not started yet), filled in
 * by the caller as it starts them, and then end of the signal as we would
 * have: the stages or workers end with us. The stages stay in our process
 * group rather than one of their own: from a terminal, one reading it
 * would be stopped (SIGTTIN), and Ctrl-C reaches them all anyway.
 */
void chain_guard(const pid_t *pids, size_t n);

/* Give the signals their earlier actions back. */
void chain_unguard(void);

/* ====== The progress line (on a terminal) ====== */

struct chain_progress {
	unsigned long long records, bytes;
	double started, last; /* seconds, CLOCK_MONOTONIC */
};

void chain_progress_start(struct chain_progress *p);
/* Show the line if a quarter of a second has passed since it was last shown. */
void chain_progress_tick(struct chain_progress *p);
/* The closing line, with the totals. */
void chain_progress_end(const struct chain_progress *p);

#endif
