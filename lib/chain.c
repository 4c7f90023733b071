/* chain.c -- build a chain of stages, and run it as programs joined by pipes. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "slant/chain.h"
#include "slant/usage.h"

/* ====== Building it ====== */

bool chain_is_source(const struct stage *st)
{
	return st->run && !st->record;
}

char *chain_dir(void)
{
	char buf[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0) {
		error("cannot find the program's own directory: readlink '/proc/self/exe':");
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

/* The stage of 'known' named 'name', or NULL. */
static const struct stage *find(const struct stage *const *known, const char *name)
{
	for (; *known; known++)
		if (!strcmp((*known)->name, name))
			return *known;
	return NULL;
}

static void known_stages(const struct stage *const *s, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; *s && used < len; s++) {
		if ((*s)->standalone)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
					 (*s)->name);
	}
}

bool chain_has(const struct chain *ch, const char *name)
{
	size_t i;

	for (i = 0; i < ch->n; i++)
		if (!strcmp(ch->v[i].st->name, name))
			return true;
	return false;
}

/* Whether stage 'st' needs the stage 'name' before it. */
static bool needs(const struct stage *st, const char *name)
{
	const char *const *req;

	for (req = st->requires; req && *req; req++)
		if (!strcmp(*req, name))
			return true;
	return false;
}

/* Check the order of the stages; returns 0 or -1 (reported, naming 'origin'). */
static int chain_check(const struct chain *ch, const char *origin)
{
	size_t i, j;

	if (!ch->n)
		return error("%s: no stages to run", origin);
	for (i = 0; i < ch->n; i++) {
		const struct stage *st = ch->v[i].st;
		const char *const *req;

		if (i == 0 && !ch->from_stream && !chain_is_source(st))
			return error("%s: the first stage must read input (e.g. 'ingest'), not '%s'",
				     origin, st->name);
		if ((i > 0 || ch->from_stream) && !st->record)
			return error("%s: stage '%s' cannot follow another stage", origin,
				     st->name);
		if (st->sink && i + 1 < ch->n)
			return error("%s: stage '%s' writes no records, so it must be last",
				     origin, st->name);
		/* Records from a stream may have been through the rest already. */
		for (req = st->requires; req && *req && !ch->from_stream; req++) {
			for (j = 0; j < i && strcmp(ch->v[j].st->name, *req); j++)
				;
			if (j == i)
				return error("%s: stage '%s' needs '%s' before it", origin,
					     st->name, *req);
		}
	}
	return 0;
}

int chain_build(struct chain *ch, const struct stage *const *known, const struct conf *conf,
		const char *list)
{
	char *copy, *save = NULL, *name, names[512];
	char *origin = list_origin(conf, list != NULL);
	int ret = 0;

	copy = xstrdup(list ? list : conf_get(conf, "pipeline", "stages"));
	for (name = strtok_r(copy, " \t,", &save); name; name = strtok_r(NULL, " \t,", &save)) {
		const struct stage *st = find(known, name);

		/* A program of its own (slant-report, ...) is no stage of a chain. */
		if (!st || st->standalone) {
			known_stages(known, names, sizeof(names));
			ret = error("%s: unknown stage '%s' (known stages: %s)", origin, name, names);
			break;
		}
		if (chain_has(ch, name)) {
			ret = error("%s: stage '%s' is named twice", origin, name);
			break;
		}
		xgrow(&ch->v, &ch->cap, ch->n + 1, sizeof(*ch->v));
		memset(&ch->v[ch->n], 0, sizeof(ch->v[ch->n]));
		ch->v[ch->n++].st = st;
	}
	free(copy);
	if (ret == 0)
		ret = chain_check(ch, origin);
	free(origin);
	return ret;
}

static void chain_stage_release(struct chain_stage *cs)
{
	size_t k;

	free(cs->prog);
	for (k = 0; k < cs->nargs; k++)
		free(cs->args[k]);
	free(cs->args);
}

static bool named(const char *const *want, size_t n, const char *name)
{
	while (n--)
		if (!strcmp(want[n], name))
			return true;
	return false;
}

int chain_keep(struct chain *ch, const char *const *want, size_t n)
{
	bool *keep = xcalloc(ch->n ? ch->n : 1, sizeof(*keep));
	size_t i, j, k = 0;

	for (i = 0; i < n; i++)
		if (!chain_has(ch, want[i])) {
			free(keep);
			return error("stage '%s' is not in the chain", want[i]);
		}
	/* From the end back, so what a kept stage needs is kept before it is looked at. */
	for (i = ch->n; i-- > 0;) {
		keep[i] = named(want, n, ch->v[i].st->name);
		for (j = i + 1; j < ch->n && !keep[i]; j++)
			keep[i] = keep[j] && needs(ch->v[j].st, ch->v[i].st->name);
	}
	for (i = 0; i < ch->n; i++) {
		if (keep[i])
			ch->v[k++] = ch->v[i];
		else
			chain_stage_release(&ch->v[i]);
	}
	ch->n = k;
	free(keep);
	return 0;
}

void chain_add_arg(struct chain *ch, const char *name, const char *arg)
{
	size_t i;

	for (i = 0; i < ch->n; i++) {
		struct chain_stage *cs = &ch->v[i];

		if (strcmp(cs->st->name, name))
			continue;
		cs->args = xrealloc(cs->args, (cs->nargs + 1) * sizeof(*cs->args));
		cs->args[cs->nargs++] = xstrdup(arg);
	}
}

int chain_find_programs(struct chain *ch)
{
	char *dir = chain_dir();
	int ret = 0;
	size_t i;

	if (!dir)
		return -1;
	for (i = 0; i < ch->n; i++) {
		free(ch->v[i].prog);
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

void chain_release(struct chain *ch)
{
	size_t i;

	for (i = 0; i < ch->n; i++)
		chain_stage_release(&ch->v[i]);
	free(ch->v);
	ch->v = NULL;
	ch->n = ch->cap = 0;
}

/* ====== Processes that end with us ====== */

enum { NGUARD = 3 };
static const int guard_signals[NGUARD] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction guard_saved[NGUARD];
static const pid_t *guarded;
static size_t nguarded;

static void pass_on(int sig)
{
	size_t i;

	for (i = 0; i < nguarded; i++)
		if (guarded[i] > 0)
			kill(guarded[i], sig);
	/* Blocked while we are here: raised again, it ends us as it would have. */
	for (i = 0; i < NGUARD; i++)
		if (guard_signals[i] == sig)
			sigaction(sig, &guard_saved[i], NULL);
	raise(sig);
}

void chain_guard(const pid_t *pids, size_t n)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pass_on;
	sigemptyset(&sa.sa_mask);
	guarded = pids;
	nguarded = n;
	for (i = 0; i < NGUARD; i++) {
		sigaction(guard_signals[i], NULL, &guard_saved[i]);
		/* Ignored when we started (nohup, a background job): left so, as a shell does. */
		if (guard_saved[i].sa_handler != SIG_IGN)
			sigaction(guard_signals[i], &sa, NULL);
	}
}

void chain_unguard(void)
{
	size_t i;

	if (guarded)
		for (i = 0; i < NGUARD; i++)
			sigaction(guard_signals[i], &guard_saved[i], NULL);
	guarded = NULL;
	nguarded = 0;
}

pid_t chain_fork(void)
{
	pid_t parent = getpid(), pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		chain_unguard();
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		/* We died before that took effect: go as if it had. */
		if (getppid() != parent)
			raise(SIGTERM);
	}
	return pid;
}

/* ====== The progress line ====== */

static double now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void progress_line(const struct chain_progress *p, bool final)
{
	double t = now_seconds() - p->started;
	double rate = t > 0 ? (double)p->records / t : 0, mbs = t > 0 ? p->bytes / t / 1e6 : 0;

	/*
	 * Clear the line, write, return to column 0: a stage's message then
	 * starts at the margin instead of after our text.
	 */
	if (final)
		fprintf(stderr, "\033[K%s: %llu articles in %.1f s (%.0f articles/s, %.1f MB/s)\n",
			progname, p->records, t, rate, mbs);
	else
		fprintf(stderr, "\033[K%s: %llu articles, %.0f articles/s, %.1f MB/s\r", progname,
			p->records, rate, mbs);
	fflush(stderr);
}

void chain_progress_start(struct chain_progress *p)
{
	memset(p, 0, sizeof(*p));
	p->started = p->last = now_seconds();
}

void chain_progress_tick(struct chain_progress *p)
{
	if (now_seconds() - p->last >= 0.25) {
		progress_line(p, false);
		p->last = now_seconds();
	}
}

void chain_progress_end(const struct chain_progress *p)
{
	progress_line(p, true);
}

/* ====== Running it as programs ====== */

/* The argument vector of stage 'i'; caller frees the array (not the strings). */
static char **stage_argv(const struct chain *ch, size_t i)
{
	const struct chain_stage *cs = &ch->v[i];
	char **av = xcalloc((size_t)ch->npaths + (size_t)ch->verbose + cs->nargs + 10,
			    sizeof(*av));
	size_t n = 0, k;

	av[n++] = cs->prog;
	if (ch->config) {
		av[n++] = (char *)"--config";
		av[n++] = (char *)ch->config;
	}
	for (k = 0; k < (size_t)ch->verbose; k++)
		av[n++] = (char *)"-v";
	if (ch->strict)
		av[n++] = (char *)"--strict";
	if (cs->st->sink && ch->db) {
		av[n++] = (char *)"--db";
		av[n++] = (char *)ch->db;
	}
	for (k = 0; k < cs->nargs; k++)
		av[n++] = cs->args[k];
	if (chain_is_source(cs->st)) {
		av[n++] = (char *)"--";
		for (k = 0; k < (size_t)ch->npaths; k++)
			av[n++] = ch->paths[k];
	}
	av[n] = NULL;
	return av;
}

int chain_pipe(int fd[2])
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
	pid_t pid = chain_fork();

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
 * stops reading (EPIPE: its own exit status tells why; '*out_closed' is
 * set). Returns 0 or -1 after reporting a read error.
 */
static int relay(int in, int out, struct chain_progress *p, bool *out_closed)
{
	enum { RELAY_BUF = 1 << 20 };
	char *buf = xmalloc(RELAY_BUF);
	int ret = 0;

	for (;;) {
		struct pollfd pfd = { .fd = in, .events = POLLIN };
		ssize_t n;
		const char *c, *end;

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
			for (c = buf, end = buf + n; (c = memchr(c, '\n', (size_t)(end - c))); c++)
				p->records++;
			p->bytes += (unsigned long long)n;
			if (write_all(out, buf, (size_t)n) < 0) {
				if (errno != EPIPE)
					ret = error("write error between stages:");
				*out_closed = true;
				break;
			}
		}
		chain_progress_tick(p);
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

int chain_run_pipes(struct chain *ch)
{
	size_t n = ch->n, i, relay_at = ch->progress ? n - 1 : n;
	int *in = xmalloc(n * sizeof(*in)), *out = xmalloc(n * sizeof(*out));
	pid_t *pids = xcalloc(n, sizeof(*pids));
	int relay_in = -1, relay_out = -1, ret = 0, fd[2];
	struct chain_progress p = { 0 };
	bool later_failed = false, closed = false, out_closed = false;

	for (i = 0; i < n; i++)
		in[i] = out[i] = -1;
	/* Stage i writes to stage i + 1; the driver sits between them at 'relay_at'. */
	for (i = 0; i + 1 < n; i++) {
		if (chain_pipe(fd) < 0) {
			ret = SLANT_EXIT_RUNTIME;
			goto fail;
		}
		out[i] = fd[1];
		if (i + 1 == relay_at) {
			relay_in = fd[0];
			if (chain_pipe(fd) < 0) {
				ret = SLANT_EXIT_RUNTIME;
				goto fail;
			}
			relay_out = fd[1];
		}
		in[i + 1] = fd[0];
	}
	chain_guard(pids, n);
	for (i = 0; i < n; i++) {
		/* The ends are the caller's (ch->in, ch->out): ours are the pipes between. */
		pids[i] = start_stage(ch, i, i ? in[i] : ch->in, i + 1 < n ? out[i] : ch->out);
		if (pids[i] < 0) {
			pids[i] = 0;
			ret = SLANT_EXIT_RUNTIME;
			break;
		}
		ch->v[i].pid = pids[i];
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
		chain_progress_start(&p);
		if (relay(relay_in, relay_out, &p, &out_closed) < 0)
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
	chain_unguard();
	free(pids);
	if (ch->progress && p.started > 0)
		chain_progress_end(&p);
	/* Judge from the last stage back, so an early SIGPIPE is put down to its cause. */
	later_failed = out_closed;
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
