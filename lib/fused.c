/* fused.c -- the chain in one process, the sink in a thread of its own (fused.h). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "slant/fused.h"
#include "slant/line.h"
#include "slant/rec.h"
#include "slant/usage.h"

static int fused_emit(struct stage_ctx *ctx, json_t *rec);

/* Write to standard output as the last stage's program would. */
static int out_stdout(void *data, json_t *rec)
{
	(void)data;
	if (rec_write(stdout, rec) < 0)
		die("write error:");
	return 0;
}

void fused_init(struct fused *f, const struct chain *ch)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	f->ch = ch;
	f->hi = ch->n;
	f->shard = "";
	f->out = out_stdout;
	f->v = xcalloc(ch->n, sizeof(*f->v));
	doc_forget(&f->doc);
	for (i = 0; i < ch->n; i++) {
		struct fused_stage *fs = &f->v[i];

		fs->f = f;
		fs->i = i;
		fs->prog = xasprintf("slant-%s", ch->v[i].st->name);
		stage_ctx_init(&fs->ctx, ch->v[i].st, &fs->conf);
		fs->ctx.prog = fs->prog;
		fs->ctx.strict = ch->strict;
		fs->ctx.emit = fused_emit;
		fs->ctx.emit_data = fs;
		/* Not the sink: it may run in a thread of its own. */
		if (!ch->v[i].st->sink)
			fs->ctx.doc = &f->doc;
	}
}

int fused_setup(struct fused *f, size_t lo, size_t hi, const char *db)
{
	char *noargs[] = { NULL };
	size_t i;

	for (i = lo; i < hi; i++) {
		struct stage_ctx *c = &f->v[i].ctx;
		bool src = chain_is_source(c->stage);
		int r = stage_load_config(c, f->ch->config);

		if (!r && c->stage->sink && db)
			r = stage_set_option(c, "db", db);
		if (!r)
			r = stage_setup(c, src ? f->ch->npaths : 0, src ? f->ch->paths : noargs);
		if (r) {
			/* Worded as in pipe mode, so a log reads the same either way. */
			error("%sstage '%s' exited with status %d", f->shard, c->stage->name, r);
			return r;
		}
	}
	return 0;
}

/* Stop passing records on; ask the source to stop reading (it checks --strict). */
static void fused_stop(struct fused *f)
{
	struct stage_ctx *src = &f->v[0].ctx;

	f->stopped = true;
	if (f->lo == 0 && !f->source_bumped) {
		src->strict = true;
		src->nrejected++;
		f->source_bumped = true;
	}
}

/* ====== The sink's thread ====== */

/*
 * The sink (slant-store) in a thread of its own, fed through a short queue:
 * SQLite's work overlaps the stages' on a second core, and the records go
 * over as they are, not written and parsed again as between programs. The
 * thread is the sink's only user, and the only one to touch a record from
 * its put until it is handed back (jansson's reference counts are atomic).
 * Not under --strict, which stops at the first rejection, in whichever stage.
 */
enum { SINK_QUEUE = 16 };

struct sink_thread {
	pthread_t t;
	pthread_mutex_t mu;
	pthread_cond_t more, room;
	json_t *rec[SINK_QUEUE];
	unsigned long ordinal[SINK_QUEUE];
	size_t head, n;
	/*
	 * Records the sink is done with, handed back to be freed by the thread
	 * that built them: freed here, chunk by chunk into the other thread's
	 * malloc arena, the chain was 10% slower (docs/performance.md). The
	 * producer empties it at every put, so it never holds more than the
	 * queue and the record in hand.
	 */
	json_t *done[SINK_QUEUE + 1];
	size_t ndone;
	bool closed;
	struct stage_ctx *ctx;
};

static void *sink_main(void *arg)
{
	struct sink_thread *t = arg;
	struct stage_ctx *c = t->ctx;

	for (;;) {
		unsigned long ordinal;
		json_t *rec;

		pthread_mutex_lock(&t->mu);
		while (!t->n && !t->closed)
			pthread_cond_wait(&t->more, &t->mu);
		if (!t->n) {
			pthread_mutex_unlock(&t->mu);
			return NULL;
		}
		rec = t->rec[t->head];
		ordinal = t->ordinal[t->head];
		t->head = (t->head + 1) % SINK_QUEUE;
		t->n--;
		pthread_cond_signal(&t->room);
		pthread_mutex_unlock(&t->mu);

		c->nread++;
		c->line = ordinal ? ordinal : c->nread;
		stage_process(c, rec);
		pthread_mutex_lock(&t->mu);
		t->done[t->ndone++] = rec;
		pthread_mutex_unlock(&t->mu);
	}
}

/* Free what the sink is done with (see struct sink_thread); call with t->mu held. */
static void sink_reap(struct sink_thread *t)
{
	json_t *done[SINK_QUEUE + 1];
	size_t i, n = t->ndone;

	memcpy(done, t->done, n * sizeof(*done));
	t->ndone = 0;
	pthread_mutex_unlock(&t->mu);
	for (i = 0; i < n; i++)
		json_decref(done[i]);
	pthread_mutex_lock(&t->mu);
}

static void sink_put(struct sink_thread *t, json_t *rec, unsigned long ordinal)
{
	pthread_mutex_lock(&t->mu);
	while (t->n == SINK_QUEUE || t->ndone) {
		if (t->ndone)
			sink_reap(t);
		else
			pthread_cond_wait(&t->room, &t->mu);
	}
	t->rec[(t->head + t->n) % SINK_QUEUE] = json_incref(rec);
	t->ordinal[(t->head + t->n) % SINK_QUEUE] = ordinal;
	t->n++;
	pthread_cond_signal(&t->more);
	pthread_mutex_unlock(&t->mu);
}

static void sink_start(struct fused *f)
{
	struct sink_thread *t;
	int err;

	if (f->ch->strict || f->hi - f->lo < 2 || !f->v[f->hi - 1].ctx.stage->sink)
		return;
	t = xcalloc(1, sizeof(*t));
	t->ctx = &f->v[f->hi - 1].ctx;
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->more, NULL);
	pthread_cond_init(&t->room, NULL);
	if ((err = pthread_create(&t->t, NULL, sink_main, t))) {
		/* Not fatal: the sink is called in this thread instead. */
		errno = err;
		if (verbose)
			error("cannot start a thread for stage '%s', running it in line:",
			      t->ctx->stage->name);
		pthread_mutex_destroy(&t->mu);
		pthread_cond_destroy(&t->more);
		pthread_cond_destroy(&t->room);
		free(t);
		return;
	}
	f->sink = t;
}

/* Let the sink finish the queue, and wait for it. */
static void sink_stop(struct fused *f)
{
	struct sink_thread *t = f->sink;

	if (!t)
		return;
	pthread_mutex_lock(&t->mu);
	t->closed = true;
	pthread_cond_signal(&t->more);
	pthread_mutex_unlock(&t->mu);
	pthread_join(t->t, NULL);
	while (t->ndone)
		json_decref(t->done[--t->ndone]);
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->more);
	pthread_cond_destroy(&t->room);
	free(t);
	f->sink = NULL;
}

/* ====== Records through the chain ====== */

/* Take 'rec', which has been through the stages before 'from', through the rest. */
static void fused_stages(struct fused *f, size_t from, json_t *rec)
{
	size_t i;

	/* Fused, the rate is of article text: there is no stream to measure. */
	f->pg.records++;
	f->pg.bytes += json_string_length(json_object_get(rec, "text"));
	for (i = from; i < f->hi; i++) {
		struct stage_ctx *c = &f->v[i].ctx;

		if (f->sink && i == f->hi - 1) {
			sink_put(f->sink, rec, f->ordinal);
			break;
		}
		c->nread++;
		/* The line this stage would have read it from in pipe mode. */
		c->line = f->ordinal ? f->ordinal : c->nread;
		stage_process(c, rec);
		if (!c->stage->sink)
			c->nwritten++;
	}
}

/* 'rec' has been through the chain: out, progress, --strict. Not read if a sink thread has it. */
static void fused_done(struct fused *f, json_t *rec)
{
	size_t i;

	if (!f->v[f->hi - 1].ctx.stage->sink && f->out(f->out_data, rec) < 0)
		fused_stop(f);
	if (f->progress)
		chain_progress_tick(&f->pg);
	if (f->ch->strict)
		for (i = f->lo; i < f->hi; i++)
			if (f->v[i].ctx.nrejected)
				fused_stop(f);
}

/* The source's ctx->emit: on through the rest of the chain. */
static int fused_emit(struct stage_ctx *ctx, json_t *rec)
{
	struct fused_stage *fs = ctx->emit_data;

	if (!fs->f->stopped) {
		fused_stages(fs->f, fs->i + 1, rec);
		fused_done(fs->f, rec);
	}
	return 0;
}

/* Stage f->lo over the lines of 'in'; returns 0 or 3 (reported). */
static int fused_read(struct fused *f, FILE *in)
{
	struct stage_ctx *c = &f->v[f->lo].ctx;
	struct line_reader lr;
	int r = 0;

	line_reader_init(&lr, in, "<stdin>", REC_MAX_LINE);
	while (!f->stopped && (r = line_read(&lr)) > 0) {
		const char *p = lr.buf;
		char *end;
		json_t *rec;

		/* "ORDINAL\t" from a -j driver: the line in the whole stream. */
		f->ordinal = strtoul(p, &end, 10);
		if (end > p && *end == '\t')
			p = end + 1;
		c->line = f->ordinal ? f->ordinal : c->nread + 1;
		c->nread++;
		rec = stage_process_line(c, p, lr.len - (size_t)(p - lr.buf), lr.overlong);
		if (!rec) {
			c->nread--;
			continue;
		}
		if (!c->stage->sink)
			c->nwritten++;
		fused_stages(f, f->lo + 1, rec);
		fused_done(f, rec);
		json_decref(rec);
	}
	line_reader_release(&lr);
	if (r < 0) {
		error("%sread error between the driver and its worker:", f->shard);
		return SLANT_EXIT_RUNTIME;
	}
	return 0;
}

int fused_run(struct fused *f, FILE *in)
{
	int ret = 0, r;
	size_t i;

	chain_progress_start(&f->pg);
	sink_start(f);
	if (!in) {
		struct stage_ctx *src = &f->v[0].ctx;

		ret = stage_run(src, f->ch->npaths, f->ch->paths);
		if (f->source_bumped) {
			src->nrejected--;
			if (ret == SLANT_EXIT_REJECTED && !src->nrejected)
				ret = 0;
		}
	} else {
		ret = fused_read(f, in);
	}
	sink_stop(f);
	for (i = f->lo; i < f->hi; i++) {
		const char *name = f->v[i].ctx.stage->name;

		r = stage_finish(&f->v[i].ctx);
		if (r == SLANT_EXIT_RUNTIME)
			error("%sstage '%s' exited with status 3", f->shard, name);
		else if (r == SLANT_EXIT_REJECTED)
			error("%sstage '%s' exited with status 1 (some input was rejected)",
			      f->shard, name);
		if (r > ret)
			ret = r;
	}
	return ret;
}

void fused_release(struct fused *f)
{
	size_t i;

	for (i = 0; f->v && i < f->ch->n; i++) {
		stage_teardown(&f->v[i].ctx);
		conf_release(&f->v[i].conf);
		free(f->v[i].prog);
	}
	free(f->v);
	f->v = NULL;
	doc_release(&f->doc);
}

int fused_run_chain(const struct chain *ch, int (*out)(void *data, json_t *rec), void *data)
{
	struct fused f;
	int ret;

	fused_init(&f, ch);
	if (out) {
		f.out = out;
		f.out_data = data;
	}
	f.progress = ch->progress;
	if (!(ret = fused_setup(&f, 0, ch->n, ch->db))) {
		ret = fused_run(&f, NULL);
		if (ch->progress)
			chain_progress_end(&f.pg);
	}
	fused_release(&f);
	return ret;
}
