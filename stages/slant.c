/*
 * slant.c -- the driver: `slant run` starts the chain pipeline.conf names,
 * joined by pipes, exactly as a user would type it; `slant help` explains.
 *
 * Subcommands live in one table (commands[] below); add a line there for a
 * new one. The chain is built once (struct chain) and then run; running it
 * as separate programs is chain_run_pipes(). NEEDSWORK: a fused mode (the
 * same stage functions in one process) and -j N shards go beside it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "slant/conf.h"
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
};

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
		if (!strcmp((*s)->name, "slant"))
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
 * only last, each stage's requirements earlier, each program present.
 * Returns 0, or -1 after reporting.
 */
static int chain_build(struct chain *ch, const char *list, const char *origin)
{
	char *copy = xstrdup(list), *save = NULL, *name, *dir, known[512];
	int ret = 0;
	size_t i;

	for (name = strtok_r(copy, " \t,", &save); name; name = strtok_r(NULL, " \t,", &save)) {
		const struct stage *st = stage_find(name);

		if (!st || !strcmp(name, "slant")) {
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

		if (i == 0 && (!st->run || st->sink))
			return error("%s: the first stage must read input (e.g. 'ingest'), not '%s'",
				     origin, st->name);
		if (i > 0 && (st->run || !st->record))
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
	dir = self_dir();
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
	if (i == 0) {
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

/* ====== slant run ====== */

static const char run_usage[] = "slant run [options] PATH...";
static const char run_help[] =
	"Run the chain of stages pipeline.conf names over files, directories or '-'\n"
	"(standard input), joined by pipes; the last stage is usually store.\n"
	"\nOptions:\n"
	"  -d, --db PATH       the database store writes (default: [pipeline] db)\n"
	"  -c, --config FILE   read FILE instead of pipeline.conf (passed to every stage)\n"
	"  -s, --stages LIST   the stages to run, e.g. 'ingest segment store'\n"
	"                      (default: [pipeline] stages)\n"
	"      --strict        every stage stops at its first rejected record\n"
	"  -v, --verbose       every stage prints its counts\n"
	"  -h, --help          show this help and exit\n"
	"\nOn a terminal a progress line is shown on standard error.\n"
	"Exit status: the worst of the stages': 0 success, 1 some input was rejected,\n"
	"2 usage or configuration error, 3 a stage failed or was killed.\n";

static int cmd_run(struct stage_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "stages", required_argument, NULL, 's' },
		{ "strict", no_argument, NULL, 'S' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct conf conf = CONF_INIT;
	struct chain ch = { 0 };
	const char *config = NULL, *stages = NULL;
	char *origin;
	int c, ret;

	(void)ctx;
	ch.verbose = verbose;
	optind = 0; /* glibc: start afresh after stage_main's scan */
	opterr = 1;
	while ((c = getopt_long(argc, argv, "d:c:s:vh", opts, NULL)) != -1) {
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
		case 'S':
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
	if (chain_build(&ch, stages ? stages : conf_get(&conf, "pipeline", "stages"), origin) <
	    0) {
		free(origin);
		chain_release(&ch);
		conf_release(&conf);
		return SLANT_EXIT_USAGE;
	}
	free(origin);
	/* Progress needs the driver in the stream: between the last filter and the sink. */
	ch.progress = isatty(STDERR_FILENO) && ch.n >= 2 && ch.v[ch.n - 1].st->sink;
	/* Our SIGPIPE would kill the driver while the stages still need reaping. */
	signal(SIGPIPE, SIG_IGN);
	ret = chain_run_pipes(&ch);
	signal(SIGPIPE, SIG_DFL);
	chain_release(&ch);
	conf_release(&conf);
	/* The stages printed their own counts under -v; stage_main's would be zeros. */
	verbose = 0;
	return ret;
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
	/* Keep the command lines in step with commands[]. */
	.summary = "Run the slant pipeline and query its database.\n\n"
		   "Commands:\n"
		   "  run        run the pipeline over files into the database\n"
		   "  help       show help for a command ('slant help run')",
	.args = "COMMAND [ARGS...]",
	.run = slant_main,
	.no_config = true,
};
