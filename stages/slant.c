/*
 * slant.c -- the driver's command line: `slant run` runs the chain
 * pipeline.conf names; `slant report` and `slant help`.
 *
 * Subcommands live in one table (commands[] below); add a line there for a
 * new one. The chain is built once (lib/chain.c) and then run one of three
 * ways: fused, every stage function called in this process on each record
 * parsed once (lib/fused.c, the default; --by-outlet writes its stream
 * through lib/partition.c); as separate programs joined by pipes, exactly
 * as a user would type them (chain_run_pipes(), --pipe); or -j N: the
 * records split by id across N worker processes, each running the rest of
 * the chain into its own shard database, merged at the end (lib/jobs.c,
 * docs/scale.md).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "slant/chain.h"
#include "slant/conf.h"
#include "slant/fused.h"
#include "slant/jobs.h"
#include "slant/partition.h"
#include "slant/registry.h"
#include "slant/stage.h"
#include "slant/usage.h"

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
	struct chain ch = CHAIN_INIT;
	const char *config = NULL, *stages = NULL;
	char *dbpath = NULL, *end;
	bool sink;
	int c, ret;
	long jobs;

	(void)ctx;
	ch.verbose = verbose;
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
	ret = chain_build(&ch, stage_registry, &conf, stages);
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
		ret = jobs_run(&ch, dbpath);
		signal(SIGPIPE, SIG_DFL);
	} else if (ch.pipes) {
		/* Our SIGPIPE would kill the driver while the stages still need reaping. */
		signal(SIGPIPE, SIG_IGN);
		ret = chain_run_pipes(&ch);
		signal(SIGPIPE, SIG_DFL);
	} else if (ch.by_outlet) {
		struct partition pt = PARTITION_INIT;

		ret = SLANT_EXIT_RUNTIME;
		if (partition_open(&pt, ch.by_outlet) == 0) {
			ret = fused_run_chain(&ch, partition_write, &pt);
			if (partition_close(&pt) < 0)
				ret = SLANT_EXIT_RUNTIME;
		}
	} else {
		/* Fused, we are the last stage: `slant run ... | head` ends us as it would it. */
		ret = fused_run_chain(&ch, NULL, NULL);
	}
	free(dbpath);
	chain_release(&ch);
	conf_release(&conf);
	return ret;
}

/* ====== slant report ====== */

/* The report program reads [pipeline] db itself: hand it the arguments as they are. */
static int cmd_report(struct stage_ctx *ctx, int argc, char **argv)
{
	char *dir = chain_dir(), *prog;

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
