/*
 * slant.c -- the driver: `slant run` runs the chain pipeline.conf names;
 * `slant help` explains.
 *
 * Subcommands live in one table (commands[] below); add a line there for a
 * new one. The chain is built once (struct chain) and then run one of three
 * ways: fused, every stage function called in this process on each record
 * parsed once (chain_run_fused(), the default); as separate programs joined
 * by pipes, exactly as a user would type them (chain_run_pipes(), --pipe);
 * or -j N: the records split by id across N worker processes, each running
 * the rest of the chain into its own shard database, merged at the end
 * (chain_run_jobs(), docs/scale.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "slant/conf.h"
#include "slant/db.h"
#include "slant/db_views.h"
#include "slant/doc.h"
#include "slant/line.h"
#include "slant/rec.h"
#include "slant/registry.h"
#include "slant/stage.h"
#include "slant/usage.h"

/* ====== The chain ====== */

struct chain_stage {
	const struct stage *st;
	char *prog;           /* path of the program, DIR/slant-NAME */
	pid_t pid;            /* 0 until started */
	int status;           /* from waitpid() */
};

struct chain {
	struct chain_stage *v;
	size_t n, cap;
	const char *config;   /* passed to every stage as --config, or NULL */
	const char *db;       /* passed to a sink as --db, or NULL: its config says */
	int verbose;          /* passed on as -v */
	bool strict;
	bool progress;        /* relay into the sink and show a progress line */
	char **paths;         /* operands for the source */
	int npaths;
	bool pipes;           /* --pipe: separate programs, not fused */
	int jobs;             /* -j N: worker processes (1: none) */
	const char *by_outlet; /* --by-outlet DIR: the stream into one file per outlet */
};

/* A stage that reads input rather than records (ingest). */
static bool is_source(const struct stage *st)
{
	return st->run && !st->record;
}

/* Directory of the running program: the stages' programs are installed beside it. */
static char *self_dir(void)
{
	char buf[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0) {
		error("cannot find the driver's own directory: readlink '/proc/self/exe':");
		return NULL;
	}
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return xstrdup(".");
	*slash = '\0';
	return xstrdup(buf);
}

/* Where a stage list came from, for messages: "FILE:LINE" or "--stages". */
static char *list_origin(const struct conf *c, bool from_flag)
{
	size_t i;

	if (from_flag)
		return xstrdup("--stages");
	for (i = 0; i < c->n; i++)
		if (c->v[i].line && !strcmp(c->v[i].section, "pipeline") &&
		    !strcmp(c->v[i].key, "stages"))
			return xasprintf("%s:%lu", c->path, c->v[i].line);
	return xstrdup("the default [pipeline] stages");
}

static void known_stages(char *buf, size_t len)
{
	const struct stage *const *s;
	size_t used = 0;

	buf[0] = '\0';
	for (s = stage_registry; *s && used < len; s++) {
		if ((*s)->standalone)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
					 (*s)->name);
	}
}

static bool in_chain(const struct chain *ch, const char *name)
{
	size_t i;

	for (i = 0; i < ch->n; i++)
		if (!strcmp(ch->v[i].st->name, name))
			return true;
	return false;
}

/*
 * Fill 'ch' from the stage list 'list' (names separated by spaces or commas)
 * and check it: every stage known, a source first, filters after, a sink
 * only last, each stage's requirements earlier. Returns 0, or -1 after
 * reporting.
 */
static int chain_build(struct chain *ch, const char *list, const char *origin)
{
	char *copy = xstrdup(list), *save = NULL, *name, known[512];
	int ret = 0;
	size_t i;

	for (name = strtok_r(copy, " \t,", &save); name; name = strtok_r(NULL, " \t,", &save)) {
		const struct stage *st = stage_find(name);

		/* A program of its own (slant-report, ...) is no stage of a chain. */
		if (!st || st->standalone) {
			known_stages(known, sizeof(known));
			ret = error("%s: unknown stage '%s' (known stages: %s)", origin, name, known);
			break;
		}
		if (in_chain(ch, name)) {
			ret = error("%s: stage '%s' is named twice", origin, name);
			break;
		}
		xgrow(&ch->v, &ch->cap, ch->n + 1, sizeof(*ch->v));
		memset(&ch->v[ch->n], 0, sizeof(ch->v[ch->n]));
		ch->v[ch->n++].st = st;
	}
	free(copy);
	if (ret < 0)
		return -1;
	if (!ch->n)
		return error("%s: no stages to run", origin);
	for (i = 0; i < ch->n; i++) {
		const struct stage *st = ch->v[i].st;
		const char *const *req;

		if (i == 0 && !is_source(st))
			return error("%s: the first stage must read input (e.g. 'ingest'), not '%s'",
				     origin, st->name);
		if (i > 0 && !st->record)
			return error("%s: stage '%s' cannot follow another stage", origin,
				     st->name);
		if (st->sink && i + 1 < ch->n)
			return error("%s: stage '%s' writes no records, so it must be last",
				     origin, st->name);
		for (req = st->requires; req && *req; req++) {
			size_t j;
			bool before = false;

			for (j = 0; j < i; j++)
				before |= !strcmp(ch->v[j].st->name, *req);
			if (!before)
				return error("%s: stage '%s' needs '%s' before it", origin,
					     st->name, *req);
		}
	}
	return 0;
}

/* Pipe mode: find each stage's program beside the driver. Returns 0 or -1 (reported). */
static int chain_find_programs(struct chain *ch)
{
	char *dir = self_dir();
	int ret = 0;
	size_t i;

	if (!dir)
		return -1;
	for (i = 0; i < ch->n; i++) {
		ch->v[i].prog = xasprintf("%s/slant-%s", dir, ch->v[i].st->name);
		if (access(ch->v[i].prog, X_OK) < 0) {
			ret = error("stage '%s': cannot run '%s':", ch->v[i].st->name,
				    ch->v[i].prog);
			break;
		}
	}
	free(dir);
	return ret;
}

static void chain_release(struct chain *ch)
{
	size_t i;

	for (i = 0; i < ch->n; i++)
		free(ch->v[i].prog);
	free(ch->v);
	ch->v = NULL;
	ch->n = ch->cap = 0;
}

/* ====== Running it as separate programs ====== */

/* The argument vector of stage 'i'; caller frees the array (not the strings). */
static char **stage_argv(const struct chain *ch, size_t i)
{
	const struct chain_stage *cs = &ch->v[i];
	char **av = xcalloc((size_t)ch->npaths + (size_t)ch->verbose + 10, sizeof(*av));
	size_t n = 0;
	int k;

	av[n++] = cs->prog;
	if (ch->config) {
		av[n++] = (char *)"--config";
		av[n++] = (char *)ch->config;
	}
	for (k = 0; k < ch->verbose; k++)
		av[n++] = (char *)"-v";
	if (ch->strict)
		av[n++] = (char *)"--strict";
	if (cs->st->sink && ch->db) {
		av[n++] = (char *)"--db";
		av[n++] = (char *)ch->db;
	}
	if (is_source(cs->st)) {
		av[n++] = (char *)"--";
		for (k = 0; k < ch->npaths; k++)
			av[n++] = ch->paths[k];
	}
	av[n] = NULL;
	return av;
}

/* A pipe whose ends the stages do not inherit past exec (they dup2 theirs). */
static int cloexec_pipe(int fd[2])
{
	if (pipe(fd) < 0)
		return error("cannot create a pipe:");
	fcntl(fd[0], F_SETFD, FD_CLOEXEC);
	fcntl(fd[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* In the child: make 'fd' the descriptor 'to', open across exec. */
static void child_dup(int fd, int to)
{
	if (fd < 0)
		return;
	if (fd == to)
		fcntl(fd, F_SETFD, 0);
	else if (dup2(fd, to) < 0)
		_exit(127);
}

static pid_t start_stage(const struct chain *ch, size_t i, int in, int out)
{
	char **av = stage_argv(ch, i);
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		/* The driver ignores SIGPIPE; a stage must die of it as in a shell pipe. */
		signal(SIGPIPE, SIG_DFL);
		child_dup(in, 0);
		child_dup(out, 1);
		execv(av[0], av);
		fprintf(stderr, "%s: cannot run '%s': %s\n", progname, av[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		error("cannot start stage '%s':", ch->v[i].st->name);
	free(av);
	return pid;
}

static double now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct relay_stats {
	unsigned long long records, bytes;
	double started;
	bool out_closed;      /* the sink stopped reading */
};

static void progress_line(const struct relay_stats *rs, bool final)
{
	double t = now_seconds() - rs->started;
	double rate = t > 0 ? (double)rs->records / t : 0, mbs = t > 0 ? rs->bytes / t / 1e6 : 0;

	/*
	 * Clear the line, write, return to column 0: a stage's message then
	 * starts at the margin instead of after our text.
	 */
	if (final)
		fprintf(stderr, "\033[K%s: %llu articles in %.1f s (%.0f articles/s, %.1f MB/s)\n",
			progname, rs->records, t, rate, mbs);
	else
		fprintf(stderr, "\033[K%s: %llu articles, %.0f articles/s, %.1f MB/s\r", progname,
			rs->records, rate, mbs);
	fflush(stderr);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Copy the stream from 'in' to 'out' unchanged, counting records, and show
 * progress a few times a second. Stops at end of input, or when the sink
 * stops reading (EPIPE: its own exit status tells why). Returns 0 or -1
 * after reporting a read error.
 */
static int relay(int in, int out, struct relay_stats *rs)
{
	enum { RELAY_BUF = 1 << 20 };
	char *buf = xmalloc(RELAY_BUF);
	double last = now_seconds();
	int ret = 0;

	for (;;) {
		struct pollfd pfd = { .fd = in, .events = POLLIN };
		ssize_t n;
		const char *p, *end;

		if (poll(&pfd, 1, 250) < 0 && errno != EINTR) {
			ret = error("poll:");
			break;
		}
		if (pfd.revents) {
			n = read(in, buf, RELAY_BUF);
			if (n < 0) {
				if (errno == EINTR || errno == EAGAIN)
					continue;
				ret = error("read error between stages:");
				break;
			}
			if (n == 0)
				break;
			for (p = buf, end = buf + n; (p = memchr(p, '\n', (size_t)(end - p))); p++)
				rs->records++;
			rs->bytes += (unsigned long long)n;
			if (write_all(out, buf, (size_t)n) < 0) {
				if (errno != EPIPE)
					ret = error("write error between stages:");
				rs->out_closed = true;
				break;
			}
		}
		if (now_seconds() - last >= 0.25) {
			progress_line(rs, false);
			last = now_seconds();
		}
	}
	free(buf);
	return ret;
}

/* What each stage's end means for the driver's exit status (0-3, or 141). */
static int judge(const struct chain *ch, size_t i, bool later_failed)
{
	const struct chain_stage *cs = &ch->v[i];
	int st = cs->status;

	if (WIFSIGNALED(st)) {
		int sig = WTERMSIG(st);

		/* A later stage stopped reading: this one's SIGPIPE is its consequence. */
		if (sig == SIGPIPE && later_failed)
			return 0;
		/* Our own reader stopped reading (`slant run ... | head`): as in a shell. */
		if (sig == SIGPIPE && i + 1 == ch->n && !cs->st->sink)
			return 128 + SIGPIPE;
		error("stage '%s' was killed by signal %d (%s)", cs->st->name, sig, strsignal(sig));
		return SLANT_EXIT_RUNTIME;
	}
	if (!WIFEXITED(st))
		return SLANT_EXIT_RUNTIME;
	switch (WEXITSTATUS(st)) {
	case 0:
		return 0;
	case SLANT_EXIT_REJECTED:
		/* Each rejected record was reported by the stage; say whose they were. */
		error("stage '%s' exited with status 1 (some input was rejected)", cs->st->name);
		return SLANT_EXIT_REJECTED;
	case SLANT_EXIT_USAGE:
		error("stage '%s' exited with status 2", cs->st->name);
		return SLANT_EXIT_USAGE;
	default:
		error("stage '%s' exited with status %d", cs->st->name, WEXITSTATUS(st));
		return SLANT_EXIT_RUNTIME;
	}
}

static bool failed(int status)
{
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

/*
 * Start every stage joined by pipes, relay into the sink when showing
 * progress, reap them all and report. Returns the worst exit status.
 */
static int chain_run_pipes(struct chain *ch)
{
	size_t n = ch->n, i, relay_at = ch->progress ? n - 1 : n;
	int *in = xmalloc(n * sizeof(*in)), *out = xmalloc(n * sizeof(*out));
	int relay_in = -1, relay_out = -1, ret = 0, fd[2];
	struct relay_stats rs = { 0 };
	bool later_failed = false, closed = false;

	for (i = 0; i < n; i++)
		in[i] = out[i] = -1;
	/* Stage i writes to stage i + 1; the driver sits between them at 'relay_at'. */
	for (i = 0; i + 1 < n; i++) {
		if (cloexec_pipe(fd) < 0) {
			ret = SLANT_EXIT_RUNTIME;
			goto fail;
		}
		if (i + 1 == relay_at) {
			out[i] = fd[1];
			relay_in = fd[0];
			if (cloexec_pipe(fd) < 0) {
				ret = SLANT_EXIT_RUNTIME;
				goto fail;
			}
			relay_out = fd[1];
			in[i + 1] = fd[0];
		} else {
			out[i] = fd[1];
			in[i + 1] = fd[0];
		}
	}
	for (i = 0; i < n; i++) {
		ch->v[i].pid = start_stage(ch, i, in[i], out[i]);
		if (ch->v[i].pid < 0) {
			ch->v[i].pid = 0;
			ret = SLANT_EXIT_RUNTIME;
			break;
		}
		/* The child has its copies now; ours would keep EOF from coming. */
		close_fd(&in[i]);
		close_fd(&out[i]);
	}
	if (ret) {
		/* Could not start them all: stop the ones that run. */
		for (i = 0; i < n; i++)
			if (ch->v[i].pid > 0)
				kill(ch->v[i].pid, SIGTERM);
	} else if (relay_in >= 0) {
		rs.started = now_seconds();
		if (relay(relay_in, relay_out, &rs) < 0)
			ret = SLANT_EXIT_RUNTIME;
	}
fail:
	close_fd(&relay_in);
	close_fd(&relay_out);
	for (i = 0; i < n; i++) {
		close_fd(&in[i]);
		close_fd(&out[i]);
	}
	for (i = 0; i < n; i++) {
		if (ch->v[i].pid <= 0) {
			ch->v[i].status = 0;
			continue;
		}
		while (waitpid(ch->v[i].pid, &ch->v[i].status, 0) < 0) {
			if (errno != EINTR) {
				error("cannot wait for stage '%s':", ch->v[i].st->name);
				ch->v[i].status = 0;
				ret = SLANT_EXIT_RUNTIME;
				break;
			}
		}
	}
	if (ch->progress && rs.started > 0)
		progress_line(&rs, true);
	/* Judge from the last stage back, so an early SIGPIPE is put down to its cause. */
	later_failed = rs.out_closed;
	for (i = n; i-- > 0;) {
		int r = judge(ch, i, later_failed);

		/* A closed output is the reader's choice; any real failure says more. */
		if (r == 128 + SIGPIPE)
			closed = true;
		else if (r > ret)
			ret = r;
		later_failed |= failed(ch->v[i].status);
	}
	if (closed && ret <= SLANT_EXIT_REJECTED)
		ret = 128 + SIGPIPE;
	free(in);
	free(out);
	return ret;
}

/* ====== Running it in one process (fused) ====== */

/*
 * Every stage's functions called in turn on one parsed record: the source
 * emits into fused_emit(), which hands the record to each later stage as
 * stage_main()'s read loop does after parsing a line (stage_process(), so
 * errors are treated alike), then writes it out, unless a sink filed it.
 * Each stage has its own context and its own copy of the config, set up
 * from the arguments the pipe mode gives its program (--config, --db to
 * the sink, the paths to the source), so both modes give the same records.
 */
struct fused;
struct sink_thread;

struct fused_stage {
	struct stage_ctx ctx;
	struct conf conf;
	char *prog;           /* "slant-NAME": progname while it runs, as in pipe mode */
	bool set_up;          /* setup was called: teardown is due */
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
	int (*out)(struct fused *f, json_t *rec);
	void *out_data;
	struct sink_thread *sink; /* the sink runs in a thread of its own, or NULL */
	struct doc doc;       /* the record's view, shared by the stages of this thread */
	bool progress;
	double last;
	struct relay_stats rs;
};

static int fused_emit(struct stage_ctx *ctx, json_t *rec);

static void fused_init(struct fused *f, const struct chain *ch)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	f->ch = ch;
	f->shard = "";
	f->v = xcalloc(ch->n, sizeof(*f->v));
	doc_forget(&f->doc);
	for (i = 0; i < ch->n; i++) {
		struct fused_stage *fs = &f->v[i];

		fs->f = f;
		fs->i = i;
		fs->prog = xasprintf("slant-%s", ch->v[i].st->name);
		fs->ctx.stage = ch->v[i].st;
		fs->ctx.conf = &fs->conf;
		fs->ctx.out = stdout;
		fs->ctx.input = "<stdin>";
		fs->ctx.strict = ch->strict;
		fs->ctx.emit = fused_emit;
		fs->ctx.emit_data = fs;
		/* Not the sink: it runs in a thread of its own. */
		if (!ch->v[i].st->sink)
			fs->ctx.doc = &f->doc;
	}
}

/* Give a sink its database as `--db PATH` would. */
static int apply_db(struct fused_stage *fs, const char *db)
{
	const struct stage *st = fs->ctx.stage;
	const struct option *o;

	for (o = st->options; o && o->name; o++)
		if (!strcmp(o->name, "db") && st->option)
			return st->option(&fs->ctx, o->val, db);
	return error("stage '%s' takes no --db", st->name);
}

/*
 * Set up stages [lo, hi) in order, the sink with database 'db' (NULL: its
 * config's). Returns 0, or minus the exit status (2 or 3) after the stage
 * and we have said why.
 */
static int fused_setup(struct fused *f, size_t lo, size_t hi, const char *db)
{
	const char *saved = progname;
	char *noargs[] = { NULL };
	size_t i;

	for (i = lo; i < hi; i++) {
		struct fused_stage *fs = &f->v[i];
		const struct stage *st = fs->ctx.stage;
		bool src = is_source(st);
		int r = 0;

		progname = fs->prog;
		if (!st->no_config)
			r = conf_load(&fs->conf, f->ch->config);
		if (r == 0 && st->sink && db)
			r = apply_db(fs, db);
		/* As stage_main: teardown is due once setup was called, even if it failed. */
		if (r == 0) {
			fs->set_up = true;
			if (st->setup)
				r = st->setup(&fs->ctx, src ? f->ch->npaths : 0,
					      src ? f->ch->paths : noargs);
		}
		progname = saved;
		if (r < 0) {
			int status = r == -SLANT_EXIT_RUNTIME ? SLANT_EXIT_RUNTIME : SLANT_EXIT_USAGE;

			/* Worded as in pipe mode, so a log reads the same either way. */
			error("%sstage '%s' exited with status %d", f->shard, st->name, status);
			return -status;
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
	struct fused_stage *fs;
};

static void *sink_main(void *arg)
{
	struct sink_thread *t = arg;
	struct stage_ctx *c = &t->fs->ctx;

	progname = t->fs->prog;
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
	t->fs = &f->v[f->hi - 1];
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->more, NULL);
	pthread_cond_init(&t->room, NULL);
	if ((err = pthread_create(&t->t, NULL, sink_main, t))) {
		/* Not fatal: the sink is called in this thread instead. */
		errno = err;
		if (verbose)
			error("cannot start a thread for stage '%s', running it in line:",
			      t->fs->ctx.stage->name);
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

/* Take 'rec', which has been through the stages before 'from', through the rest. */
static void fused_stages(struct fused *f, size_t from, json_t *rec)
{
	const char *saved = progname;
	size_t i;

	/* Fused, the rate is of article text: there is no stream to measure. */
	f->rs.records++;
	f->rs.bytes += json_string_length(json_object_get(rec, "text"));
	for (i = from; i < f->hi; i++) {
		struct fused_stage *fs = &f->v[i];
		struct stage_ctx *c = &fs->ctx;

		if (f->sink && i == f->hi - 1) {
			sink_put(f->sink, rec, f->ordinal);
			break;
		}
		c->nread++;
		/* The line this stage would have read it from in pipe mode. */
		c->line = f->ordinal ? f->ordinal : c->nread;
		progname = fs->prog;
		stage_process(c, rec);
		if (!c->stage->sink)
			c->nwritten++;
	}
	progname = saved;
}

/* 'rec' has been through the chain: out, progress, --strict. Not read if a sink thread has it. */
static void fused_done(struct fused *f, json_t *rec)
{
	size_t i;

	if (!f->v[f->hi - 1].ctx.stage->sink && f->out(f, rec) < 0)
		fused_stop(f);
	if (f->progress && now_seconds() - f->last >= 0.25) {
		progress_line(&f->rs, false);
		f->last = now_seconds();
	}
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

/* Write to standard output as the last stage's program would. */
static int out_stdout(struct fused *f, json_t *rec)
{
	(void)f;
	if (rec_write(stdout, rec) < 0)
		die("write error:");
	return 0;
}

/*
 * Run the source, or with 'in' (a -j worker) the first stage here over the
 * lines read from it, then each stage's finish. Returns the worst exit status, each
 * failure said by stage as the pipe mode does.
 */
static int fused_run(struct fused *f, FILE *in)
{
	const char *saved = progname;
	int ret = 0, r = 0;
	size_t i;

	f->rs.started = f->last = now_seconds();
	sink_start(f);
	if (!in) {
		struct fused_stage *src = &f->v[0];

		progname = src->prog;
		r = src->ctx.stage->run(&src->ctx, f->ch->npaths, f->ch->paths);
		progname = saved;
		if (f->source_bumped) {
			src->ctx.nrejected--;
			if (r == SLANT_EXIT_REJECTED && !src->ctx.nrejected)
				r = 0;
		}
		if (r > ret)
			ret = r;
	} else {
		struct fused_stage *fs = &f->v[f->lo];
		struct stage_ctx *c = &fs->ctx;
		struct line_reader lr;

		line_reader_init(&lr, in, "<stdin>", REC_MAX_LINE);
		while (!f->stopped && (r = line_read(&lr)) > 0) {
			const char *p = lr.buf;
			char *end;
			json_t *rec;

			/* "ORDINAL\t" from chain_run_jobs(): the line in the whole stream. */
			f->ordinal = strtoul(p, &end, 10);
			if (end > p && *end == '\t')
				p = end + 1;
			c->line = f->ordinal ? f->ordinal : c->nread + 1;
			c->nread++;
			progname = fs->prog;
			rec = stage_process_line(c, p, lr.len - (size_t)(p - lr.buf), lr.overlong);
			progname = saved;
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
		if (r < 0) {
			error("%sread error between the driver and its worker:", f->shard);
			ret = SLANT_EXIT_RUNTIME;
		}
		line_reader_release(&lr);
	}
	sink_stop(f);
	for (i = f->lo; i < f->hi; i++) {
		struct fused_stage *fs = &f->v[i];
		const struct stage *st = fs->ctx.stage;

		progname = fs->prog;
		r = st->finish && st->finish(&fs->ctx) < 0;
		if (verbose)
			fprintf(stderr, "%s: read %lu, written %lu, rejected %lu\n", progname,
				fs->ctx.nread, fs->ctx.nwritten, fs->ctx.nrejected);
		progname = saved;
		if (r) {
			error("%sstage '%s' exited with status 3", f->shard, st->name);
			ret = SLANT_EXIT_RUNTIME;
		} else if (fs->ctx.nrejected) {
			error("%sstage '%s' exited with status 1 (some input was rejected)",
			      f->shard, st->name);
			if (ret < SLANT_EXIT_REJECTED)
				ret = SLANT_EXIT_REJECTED;
		}
	}
	return ret;
}

/* Teardown every stage set up, release the contexts. */
static void fused_release(struct fused *f)
{
	const char *saved = progname;
	size_t i;

	for (i = 0; f->v && i < f->ch->n; i++) {
		struct fused_stage *fs = &f->v[i];

		progname = fs->prog;
		if (fs->set_up && fs->ctx.stage->teardown)
			fs->ctx.stage->teardown(&fs->ctx);
		progname = saved;
		stage_ctx_release(&fs->ctx);
		conf_release(&fs->conf);
		free(fs->prog);
	}
	free(f->v);
	f->v = NULL;
	doc_release(&f->doc);
}
/* ====== --by-outlet DIR: the stream partitioned by outlet ====== */

/*
 * One file DIR/KEY.jsonl per outlet, KEY from the publisher affil found,
 * else the outlet ingest read, else "_unknown"; error records go to
 * "_errors.jsonl". Records keep their order within a file. At most
 * PART_OPEN files are open at once; the least recently used is closed and
 * reopened for appending when needed.
 */
enum { PART_OPEN = 64, PART_KEY = 80 };

struct part_file {
	char *key;
	FILE *fp;             /* NULL while closed */
	unsigned long long used;
};

struct partition {
	const char *dir;
	struct part_file *v;
	size_t n, cap, nopen;
	unsigned long long tick;
};

/* A file name from an outlet's name: ASCII letters and digits lower-cased, runs of others '-'. */
static void part_key(const json_t *rec, char key[PART_KEY + 1])
{
	const json_t *outlet = json_object_get(rec, "outlet");
	const char *name = json_string_value(json_object_get(json_object_get(rec, "publisher"), "name"));
	size_t n = 0;
	const unsigned char *p;

	if (rec_is_error(rec)) {
		strcpy(key, "_errors");
		return;
	}
	if (!name || !*name)
		name = json_is_string(outlet) ? json_string_value(outlet)
					      : json_string_value(json_object_get(outlet, "name"));
	if (!name || !*name)
		name = json_string_value(json_object_get(outlet, "domain"));
	for (p = (const unsigned char *)(name ? name : ""); *p && n < PART_KEY; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p >= 0x80 || *p == '.')
			key[n++] = (char)*p;
		else if (*p >= 'A' && *p <= 'Z')
			key[n++] = (char)(*p - 'A' + 'a');
		else if (n && key[n - 1] != '-')
			key[n++] = '-';
	}
	/* Not a cut UTF-8 sequence, no trailing '-', no leading '.' (hidden, or "..") */
	if (n == PART_KEY)
		while (n && ((unsigned char)key[n] & 0xc0) == 0x80)
			n--;
	while (n && key[n - 1] == '-')
		n--;
	key[n] = '\0';
	if (!n || key[0] == '.')
		strcpy(key, "_unknown");
}

static int out_partition(struct fused *f, json_t *rec)
{
	struct partition *pt = f->out_data;
	struct part_file *pf = NULL;
	char key[PART_KEY + 1];
	size_t i;

	part_key(rec, key);
	for (i = 0; i < pt->n && !pf; i++)
		if (!strcmp(pt->v[i].key, key))
			pf = &pt->v[i];
	if (!pf) {
		xgrow(&pt->v, &pt->cap, pt->n + 1, sizeof(*pt->v));
		pf = &pt->v[pt->n++];
		memset(pf, 0, sizeof(*pf));
		pf->key = xstrdup(key);
	}
	if (!pf->fp) {
		char *path = xasprintf("%s/%s.jsonl", pt->dir, key);

		if (pt->nopen >= PART_OPEN) {
			struct part_file *lru = NULL;

			for (i = 0; i < pt->n; i++)
				if (pt->v[i].fp && (!lru || pt->v[i].used < lru->used))
					lru = &pt->v[i];
			if (fclose(lru->fp))
				die("write error on '%s/%s.jsonl':", pt->dir, lru->key);
			lru->fp = NULL;
			pt->nopen--;
		}
		/* New in this run: start it afresh; seen before: append. */
		pf->fp = fopen(path, pf->used ? "a" : "w");
		if (!pf->fp)
			die("cannot write '%s':", path);
		free(path);
		pt->nopen++;
	}
	pf->used = ++pt->tick;
	if (rec_write(pf->fp, rec) < 0)
		die("write error on '%s/%s.jsonl':", pt->dir, key);
	return 0;
}

static int partition_close(struct partition *pt)
{
	int ret = 0;
	size_t i;

	for (i = 0; i < pt->n; i++) {
		if (pt->v[i].fp && fclose(pt->v[i].fp))
			ret = error("write error on '%s/%s.jsonl':", pt->dir, pt->v[i].key);
		free(pt->v[i].key);
	}
	free(pt->v);
	pt->v = NULL;
	pt->n = pt->cap = 0;
	return ret;
}

static int chain_run_fused(struct chain *ch)
{
	struct partition pt = { 0 };
	struct fused f;
	int ret;

	fused_init(&f, ch);
	f.lo = 0;
	f.hi = ch->n;
	f.out = out_stdout;
	f.progress = ch->progress;
	if (ch->by_outlet) {
		if (mkdir(ch->by_outlet, 0777) < 0 && errno != EEXIST) {
			error("cannot create directory '%s':", ch->by_outlet);
			fused_release(&f);
			return SLANT_EXIT_RUNTIME;
		}
		pt.dir = ch->by_outlet;
		f.out = out_partition;
		f.out_data = &pt;
	}
	if ((ret = fused_setup(&f, 0, ch->n, ch->db)) < 0) {
		fused_release(&f);
		return -ret;
	}
	ret = fused_run(&f, NULL);
	if (partition_close(&pt) < 0)
		ret = SLANT_EXIT_RUNTIME;
	if (ch->progress)
		progress_line(&f.rs, true);
	fused_release(&f);
	return ret;
}

/* ====== -j N: shards ====== */

/*
 * The driver runs the source itself and deals its records out by a hash of
 * their id to N workers over pipes, so the same article always lands in
 * the same shard, in stream order, as it would in one chain (duplicates
 * included). Each worker runs the rest of the chain, fused (forked from
 * the driver, with the filters already set up) or as programs (--pipe),
 * into its own shard database beside the output; the shards are merged
 * into the output with db_merge() at the end and removed. Fused workers
 * get each record's line in the whole stream before it, so even error
 * rows carry the line a single chain would give.
 */
struct jobs {
	int n;
	FILE **w;             /* to each worker */
	pid_t *pid;
	char **shard;
	bool numbered;        /* fused workers: "ORDINAL\t" before each record */
	unsigned long ordinal;
	int broken;           /* worker whose pipe closed early, or -1 */
};

static unsigned long hash_id(const char *s)
{
	unsigned long long h = 14695981039346656037ULL; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return (unsigned long)(h ^ (h >> 32));
}

static int out_distribute(struct fused *f, json_t *rec)
{
	struct jobs *j = f->out_data;
	const char *id = json_string_value(json_object_get(rec, "id"));
	int k;

	j->ordinal++;
	k = (int)((id ? hash_id(id) : j->ordinal) % (unsigned long)j->n);
	if ((j->numbered && fprintf(j->w[k], "%lu\t", j->ordinal) < 0) ||
	    rec_write(j->w[k], rec) < 0) {
		/* The worker stopped reading: its own status says why. */
		if (errno != EPIPE)
			error("cannot write to worker %d:", k + 1);
		j->broken = k;
		return -1;
	}
	return 0;
}

static void remove_db_files(const char *path)
{
	char *p;

	unlink(path);
	p = xasprintf("%s-wal", path);
	unlink(p);
	free(p);
	p = xasprintf("%s-shm", path);
	unlink(p);
	free(p);
}

/* In worker 'k' (a child): the chain after the source into shard 'k'. */
static int run_worker(struct chain *ch, struct fused *f, struct jobs *j, int k, int fd)
{
	char tag[32];
	int ret;

	snprintf(tag, sizeof(tag), "shard %d: ", k + 1);
	if (ch->pipes) {
		struct chain sub = *ch;

		/* The programs read our pipe as their standard input. */
		if (dup2(fd, 0) < 0)
			die("cannot start worker %d:", k + 1);
		close(fd);
		sub.v = ch->v + 1;
		sub.n = ch->n - 1;
		sub.db = j->shard[k];
		sub.progress = false;
		sub.npaths = 0;
		return chain_run_pipes(&sub);
	}
	/* Fused, the worker is the sink's writer: a broken pipe is not ours to survive. */
	signal(SIGPIPE, SIG_DFL);
	f->shard = tag;
	f->lo = 1;
	f->hi = ch->n;
	f->progress = false;
	if ((ret = fused_setup(f, ch->n - 1, ch->n, j->shard[k])) < 0) {
		close(fd);
		return -ret;
	}
	{
		FILE *in = fdopen(fd, "r");

		if (!in)
			die("cannot start worker %d:", k + 1);
		ret = fused_run(f, in);
		fclose(in);
	}
	return ret;
}

/* Whether every table of the database at 'path' is empty (a new output). */
static bool db_is_empty(const char *path)
{
	struct db db = DB_INIT;
	sqlite3_stmt *st;
	bool empty = false;

	if (db_open(&db, path, DB_BUSY_TIMEOUT_MS, 0) < 0)
		return false;
	if (sqlite3_prepare_v2(db.sql, "SELECT name FROM sqlite_master WHERE type = 'table'"
			       " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'", -1, &st, NULL) == SQLITE_OK) {
		int rc;

		empty = true;
		while (empty && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			char *q = sqlite3_mprintf("SELECT 1 FROM \"%w\" LIMIT 1",
						  (const char *)sqlite3_column_text(st, 0));
			sqlite3_stmt *one;

			if (!q)
				die("out of memory");
			if (sqlite3_prepare_v2(db.sql, q, -1, &one, NULL) != SQLITE_OK ||
			    sqlite3_step(one) != SQLITE_DONE)
				empty = false;
			sqlite3_finalize(one);
			sqlite3_free(q);
		}
		if (rc != SQLITE_DONE)
			empty = false;
		sqlite3_finalize(st);
	}
	db_close(&db);
	return empty;
}

/*
 * A new output need not be merged into: the first shard becomes it (the
 * same schema, written by the same store), which halves the merge of -j 2.
 * Returns the index of the shard adopted, or -1.
 */
static int adopt_shard(const char *dbpath, struct jobs *j)
{
	char *from, *to;
	int k;

	for (k = 0; k < j->n && access(j->shard[k], F_OK) < 0; k++)
		;
	if (k == j->n || !db_is_empty(dbpath))
		return -1;
	remove_db_files(dbpath);
	if (rename(j->shard[k], dbpath) < 0) {
		error("cannot rename '%s' to '%s':", j->shard[k], dbpath);
		return -1;
	}
	/* A WAL left by the shard's writer goes with it (its -shm is rebuilt). */
	from = xasprintf("%s-wal", j->shard[k]);
	to = xasprintf("%s-wal", dbpath);
	if (access(from, F_OK) == 0 && rename(from, to) < 0)
		error("cannot rename '%s' to '%s':", from, to);
	free(from);
	free(to);
	remove_db_files(j->shard[k]);
	return k;
}

/*
 * Returns the worst exit status of the source, the workers and the merge.
 * A worker returns here too, with its own status, and goes no further.
 */
static int chain_run_jobs(struct chain *ch, const char *dbpath)
{
	struct jobs j = { .n = ch->jobs, .broken = -1, .numbered = !ch->pipes };
	struct fused f;
	struct db db = DB_INIT;
	int ret = 0, k, r;
	size_t i;

	/* Fail before any work if the output cannot be written. */
	if (db_open(&db, dbpath, DB_BUSY_TIMEOUT_MS, 0) < 0 || db_schema(&db, db_views_sql) < 0) {
		db_close(&db);
		return SLANT_EXIT_USAGE;
	}
	db_close(&db);
	fused_init(&f, ch);
	f.lo = 0;
	f.hi = 1;
	f.out = out_distribute;
	f.out_data = &j;
	f.progress = ch->progress;
	/* Fused workers inherit the filters set up once here (lexicons loaded once). */
	if ((ret = fused_setup(&f, 0, ch->pipes ? 1 : ch->n - 1, NULL)) < 0) {
		fused_release(&f);
		return -ret;
	}
	j.w = xcalloc((size_t)j.n, sizeof(*j.w));
	j.pid = xcalloc((size_t)j.n, sizeof(*j.pid));
	j.shard = xcalloc((size_t)j.n, sizeof(*j.shard));
	for (k = 0; k < j.n; k++) {
		int fd[2];

		j.shard[k] = xasprintf("%s.j%ld-%d", dbpath, (long)getpid(), k + 1);
		remove_db_files(j.shard[k]);
		if (cloexec_pipe(fd) < 0) {
			ret = SLANT_EXIT_RUNTIME;
			break;
		}
		fflush(NULL);
		j.pid[k] = fork();
		if (j.pid[k] == 0) {
			int m;

			/* The other workers' pipes: held open here, they would never end. */
			for (m = 0; m < k; m++)
				fclose(j.w[m]);
			close(fd[1]);
			ret = run_worker(ch, &f, &j, k, fd[0]);
			goto out;
		}
		close(fd[0]);
		if (j.pid[k] < 0) {
			error("cannot start worker %d:", k + 1);
			close(fd[1]);
			ret = SLANT_EXIT_RUNTIME;
			break;
		}
		j.w[k] = fdopen(fd[1], "w");
		if (!j.w[k])
			die("cannot write to worker %d:", k + 1);
	}
	if (!ret)
		ret = fused_run(&f, NULL);
	for (k = 0; k < j.n; k++)
		if (j.w[k] && fclose(j.w[k]) && errno != EPIPE && !ret)
			ret = error("cannot write to worker %d:", k + 1) < 0 ? SLANT_EXIT_RUNTIME : 0;
	for (k = 0; k < j.n; k++) {
		int status;

		if (j.pid[k] <= 0)
			continue;
		while (waitpid(j.pid[k], &status, 0) < 0 && errno == EINTR)
			;
		if (WIFSIGNALED(status)) {
			error("worker %d was killed by signal %d (%s)", k + 1, WTERMSIG(status),
			      strsignal(WTERMSIG(status)));
			r = SLANT_EXIT_RUNTIME;
		} else {
			r = WEXITSTATUS(status);
		}
		if (r > ret)
			ret = r;
	}
	/* What the shards hold is whole articles, whatever happened: keep it. */
	k = adopt_shard(dbpath, &j);
	if (db_open(&db, dbpath, DB_BUSY_TIMEOUT_MS, 0) < 0) {
		ret = SLANT_EXIT_RUNTIME;
	} else {
		for (k = k + 1; k < j.n; k++) {
			if (access(j.shard[k], F_OK) < 0)
				continue;
			if (db_merge(&db, j.shard[k], NULL) < 0) {
				error("shard %d left in '%s'", k + 1, j.shard[k]);
				ret = SLANT_EXIT_RUNTIME;
			} else {
				remove_db_files(j.shard[k]);
			}
		}
		db_close(&db);
	}
	if (ch->progress)
		progress_line(&f.rs, true);
out:
	for (i = 0; j.shard && i < (size_t)j.n; i++)
		free(j.shard[i]);
	free(j.shard);
	free(j.w);
	free(j.pid);
	fused_release(&f);
	return ret;
}

/* ====== slant run ====== */

static const char run_usage[] = "slant run [options] PATH...";
static const char run_help[] =
	"Run the chain of stages pipeline.conf names over files, directories or '-'\n"
	"(standard input); the last stage is usually store.\n"
	"\nOptions:\n"
	"  -d, --db PATH       the database store writes (default: [pipeline] db)\n"
	"  -c, --config FILE   read FILE instead of pipeline.conf (passed to every stage)\n"
	"  -s, --stages LIST   the stages to run, e.g. 'ingest segment store'\n"
	"                      (default: [pipeline] stages)\n"
	"  -j, --jobs N        split the records by id across N chains, each into its\n"
	"                      own shard database, merged into the database at the end\n"
	"      --pipe          run the stages as separate programs joined by pipes\n"
	"      --fused         call every stage in this process, each record parsed\n"
	"                      once, the sink in a thread of its own (the default;\n"
	"                      the same records as --pipe)\n"
	"      --by-outlet DIR write the stream as DIR/OUTLET.jsonl, one file per\n"
	"                      outlet, instead of to standard output (no sink)\n"
	"      --strict        every stage stops at its first rejected record\n"
	"  -v, --verbose       every stage prints its counts\n"
	"  -h, --help          show this help and exit\n"
	"\nOn a terminal a progress line is shown on standard error.\n"
	"Exit status: the worst of the stages': 0 success, 1 some input was rejected,\n"
	"2 usage or configuration error, 3 a stage failed or was killed.\n";

static int cmd_run(struct stage_ctx *ctx, int argc, char **argv)
{
	enum { OPT_STRICT = 0x100, OPT_PIPE, OPT_FUSED, OPT_BY_OUTLET };
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "stages", required_argument, NULL, 's' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "pipe", no_argument, NULL, OPT_PIPE },
		{ "fused", no_argument, NULL, OPT_FUSED },
		{ "by-outlet", required_argument, NULL, OPT_BY_OUTLET },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct conf conf = CONF_INIT;
	struct chain ch = { 0 };
	const char *config = NULL, *stages = NULL;
	char *origin, *dbpath = NULL, *end;
	bool sink;
	int c, ret;
	long jobs;

	(void)ctx;
	ch.verbose = verbose;
	ch.jobs = 1;
	optind = 0; /* glibc: start afresh after stage_main's scan */
	opterr = 1;
	while ((c = getopt_long(argc, argv, "d:c:s:j:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			ch.db = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 's':
			stages = optarg;
			break;
		case 'j':
			errno = 0;
			jobs = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || jobs < 1 || jobs > 256) {
				error("run: -j wants a number of chains from 1 to 256, not '%s'",
				      optarg);
				return SLANT_EXIT_USAGE;
			}
			ch.jobs = (int)jobs;
			break;
		case OPT_PIPE:
			ch.pipes = true;
			break;
		case OPT_FUSED:
			ch.pipes = false;
			break;
		case OPT_BY_OUTLET:
			ch.by_outlet = optarg;
			break;
		case OPT_STRICT:
			ch.strict = true;
			break;
		case 'v':
			ch.verbose++;
			break;
		case 'h':
			printf("usage: %s\n%s", run_usage, run_help);
			return SLANT_EXIT_OK;
		default:
			fprintf(stderr, "usage: %s\nTry 'slant help run' for more information.\n",
				run_usage);
			return SLANT_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		error("run: no input given (name files, directories, or '-' for standard input)");
		fprintf(stderr, "usage: %s\n", run_usage);
		return SLANT_EXIT_USAGE;
	}
	ch.paths = argv + optind;
	ch.npaths = argc - optind;
	if (conf_load(&conf, config) < 0) {
		conf_release(&conf);
		return SLANT_EXIT_USAGE;
	}
	/* The stages read the same file the driver checked, wherever it was found. */
	ch.config = conf.path;
	origin = list_origin(&conf, stages != NULL);
	ret = chain_build(&ch, stages ? stages : conf_get(&conf, "pipeline", "stages"), origin);
	free(origin);
	sink = ret == 0 && ch.v[ch.n - 1].st->sink;
	if (ret == 0 && ch.by_outlet && (sink || ch.pipes || ch.jobs > 1))
		ret = error("run: --by-outlet writes the stream, so it needs a chain without a sink,"
			    " fused (not --pipe), without -j");
	if (ret == 0 && ch.jobs > 1 && (!sink || ch.n < 2))
		ret = error("run: -j needs a chain that ends in a sink such as 'store'");
	if (ret == 0 && ch.pipes)
		ret = chain_find_programs(&ch);
	if (ret == 0 && ch.jobs > 1) {
		/* The shards go beside the database, as the sink would resolve it. */
		dbpath = ch.db ? xstrdup(ch.db) : xstrdup(conf_get(&conf, "pipeline", "db"));
		if (!dbpath || !*dbpath)
			ret = error("no database: give --db PATH or set [pipeline] db");
	}
	if (ret < 0) {
		free(dbpath);
		chain_release(&ch);
		conf_release(&conf);
		return SLANT_EXIT_USAGE;
	}
	/* Progress needs to see the records: a sink's, or -j's, or a partition's. */
	ch.progress = isatty(STDERR_FILENO) && ch.n >= 2 && (sink || ch.by_outlet);
	verbose = ch.verbose;
	if (ch.jobs > 1) {
		/* A worker that stops reading must not kill the driver: its status says why. */
		signal(SIGPIPE, SIG_IGN);
		ret = chain_run_jobs(&ch, dbpath);
		signal(SIGPIPE, SIG_DFL);
	} else if (ch.pipes) {
		/* Our SIGPIPE would kill the driver while the stages still need reaping. */
		signal(SIGPIPE, SIG_IGN);
		ret = chain_run_pipes(&ch);
		signal(SIGPIPE, SIG_DFL);
	} else {
		/* Fused, we are the last stage: `slant run ... | head` ends us as it would it. */
		ret = chain_run_fused(&ch);
	}
	free(dbpath);
	chain_release(&ch);
	conf_release(&conf);
	/* The stages printed their own counts under -v; stage_main's would be zeros. */
	verbose = 0;
	return ret;
}

/* ====== slant report ====== */

/* The report program reads [pipeline] db itself: hand it the arguments as they are. */
static int cmd_report(struct stage_ctx *ctx, int argc, char **argv)
{
	char *dir = self_dir(), *prog;

	(void)ctx;
	(void)argc;
	if (!dir)
		return SLANT_EXIT_RUNTIME;
	prog = xasprintf("%s/slant-report", dir);
	free(dir);
	argv[0] = prog;
	fflush(NULL);
	execv(prog, argv);
	error("cannot run '%s':", prog);
	free(prog);
	return SLANT_EXIT_RUNTIME;
}

/* ====== The command table ====== */

struct command {
	const char *name;
	const char *summary;
	const char *usage;
	const char *help;     /* the rest of 'slant help NAME' */
	/* argv[0] is the command's name; returns the exit status. */
	int (*fn)(struct stage_ctx *ctx, int argc, char **argv);
};

static int cmd_help(struct stage_ctx *ctx, int argc, char **argv);

static const struct command commands[] = {
	{ "run", "run the pipeline over files into the database", run_usage, run_help, cmd_run },
	{ "report", "review reports from the database: text, Markdown or HTML",
	  "slant report [--db PATH] [--text | --markdown | --html DIR] [ARTICLE_ID...]",
	  "Run slant-report (see slant-report(1)) with the database pipeline.conf names.\n",
	  cmd_report },
	{ "help", "show help for a command", "slant help [COMMAND]",
	  "Show the list of commands, or the help of one.\n", cmd_help },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct command *command_find(const char *name)
{
	const struct command *c;

	for (c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static void command_list(FILE *fp)
{
	const struct command *c;

	fprintf(fp, "Commands:\n");
	for (c = commands; c->name; c++)
		fprintf(fp, "  %-10s %s\n", c->name, c->summary);
}

static int cmd_help(struct stage_ctx *ctx, int argc, char **argv)
{
	const struct command *c;

	(void)ctx;
	if (argc < 2) {
		printf("usage: slant [-v] COMMAND [ARGS...]\n");
		command_list(stdout);
		printf("\nRun 'slant help COMMAND' for one command's options.\n");
		return SLANT_EXIT_OK;
	}
	c = command_find(argv[1]);
	if (!c) {
		error("no command '%s'", argv[1]);
		command_list(stderr);
		return SLANT_EXIT_USAGE;
	}
	printf("usage: %s\n%s", c->usage, c->help);
	return SLANT_EXIT_OK;
}

static int slant_main(struct stage_ctx *ctx, int argc, char **argv)
{
	const struct command *c;

	if (argc < 1) {
		error("no command given");
		fprintf(stderr, "usage: slant [-v] COMMAND [ARGS...]\n");
		command_list(stderr);
		return SLANT_EXIT_USAGE;
	}
	c = command_find(argv[0]);
	if (!c) {
		error("unknown command '%s'", argv[0]);
		fprintf(stderr, "Try 'slant help' for the list of commands.\n");
		return SLANT_EXIT_USAGE;
	}
	return c->fn(ctx, argc, argv);
}

const struct stage stage_slant = {
	.name = "slant",
	.summary = "Run the slant pipeline and query its database.",
	/* Keep the command lines in step with commands[]. */
	.commands = "  run        run the pipeline over files into the database\n"
		    "  report     review reports from the database: text, Markdown or HTML\n"
		    "  help       show help for a command ('slant help run')\n",
	.args = "COMMAND [ARGS...]",
	.exit_note = "'slant run' exits with the worst status of its stages: 1 when some input\n"
		     "was rejected, 3 when a stage failed or was killed.\n",
	.run = slant_main,
	.no_config = true,
	.standalone = true,
};
