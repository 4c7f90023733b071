/* stage.c -- the read-parse-call-write loop shared by every stage program. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "slant/doc.h"
#include "slant/hash.h"
#include "slant/line.h"
#include "slant/rec.h"
#include "slant/stage.h"
#include "slant/usage.h"

#ifndef SLANT_VERSION
#define SLANT_VERSION "0.0.0"
#endif

enum { OPT_STRICT = 0x1000 };

static const struct option common_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "config", required_argument, NULL, 'c' },
	{ "strict", no_argument, NULL, OPT_STRICT },
};

void stage_version(const char *prog)
{
	printf("%s (slant) %s\n", prog, SLANT_VERSION);
}

static void stage_help(const struct stage *st)
{
	printf("usage: %s [options] %s\n", progname, st->args ? st->args : "< IN.jsonl > OUT.jsonl");
	if (st->summary)
		printf("%s\n", st->summary);
	if (st->commands)
		printf("\nCommands:\n%s", st->commands);
	printf("\nOptions:\n");
	if (st->help)
		fputs(st->help, stdout);
	if (!st->no_config)
		printf("  -c, --config FILE   read FILE instead of pipeline.conf\n");
	if (st->record)
		printf("      --strict        stop at the first rejected record (exit 1)\n");
	if (st->standalone)
		printf("  -v, --verbose       say more on standard error\n");
	else
		printf("  -v, --verbose       print counts of %s\n",
		       st->record ? "records read, written and rejected"
				  : "inputs read, records written, rejected");
	printf("  -h, --help          show this help and exit\n"
	       "  -V, --version       show the version and exit\n");
	/* A program of its own rejects no records: its 1, if any, is its exit_note. */
	if (st->standalone)
		printf("\nExit status: 0 success, 2 usage or configuration error, 3 I/O or\n"
		       "runtime failure.\n");
	else
		printf("\nExit status: 0 success, 1 some %s rejected, 2 usage or configuration\n"
		       "error, 3 I/O or runtime failure.\n", st->record ? "records" : "input");
	if (st->exit_note)
		fputs(st->exit_note, stdout);
}

void stage_note_lexicon(struct stage_ctx *ctx, const char *path)
{
	const char *base = strrchr(path, '/');
	char hex[65], *key;
	json_t *had;
	int k;

	if (sha256_file(path, hex) < 0)
		return;
	hex[16] = '\0';
	if (!ctx->lexicons)
		ctx->lexicons = json_object();
	key = xasprintf("%s:%s", ctx->stage->name, base ? base + 1 : path);
	/* Two files of one name (a/loaded.tsv, b/loaded.tsv): "frame:loaded.tsv#2". */
	for (k = 2; (had = json_object_get(ctx->lexicons, key)) &&
		    strcmp(json_string_value(had), hex); k++) {
		free(key);
		key = xasprintf("%s:%s#%d", ctx->stage->name, base ? base + 1 : path, k);
	}
	if (!had)
		json_object_set_new(ctx->lexicons, key, json_string(hex));
	free(key);
}

struct doc *stage_doc(struct stage_ctx *ctx)
{
	if (!ctx->doc) {
		ctx->doc = xcalloc(1, sizeof(*ctx->doc));
		doc_forget(ctx->doc);
		ctx->own_doc = true;
	}
	return ctx->doc;
}

void stage_ctx_release(struct stage_ctx *ctx)
{
	json_decref(ctx->lexicons);
	ctx->lexicons = NULL;
	if (ctx->own_doc) {
		doc_release(ctx->doc);
		free(ctx->doc);
		ctx->doc = NULL;
		ctx->own_doc = false;
	}
}

/* Add the stage's lexicons to those the record's earlier stages noted. */
static void add_lexicons(struct stage_ctx *ctx, json_t *rec)
{
	json_t *have = json_object_get(rec, "lexicons"), *v;
	const char *key;

	if (!json_is_object(have)) {
		have = json_object();
		json_object_set_new(rec, "lexicons", have);
	}
	json_object_foreach(ctx->lexicons, key, v)
		json_object_set(have, key, v);
}

int stage_reject(struct stage_ctx *ctx, json_t *rec, const char *fmt, ...)
{
	va_list ap;
	char msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	error_at(ctx->input, ctx->line, "%s", msg);
	if (rec) {
		/* Later stages pass an error record through untouched; store files it. */
		rec_add_error(rec, ctx->stage->name, msg, ctx->line);
		json_object_set_new(rec, "status", json_string("error"));
	}
	ctx->nrejected++;
	return -1;
}

static int emit_stdout(struct stage_ctx *ctx, json_t *rec)
{
	if (rec_write(ctx->out, rec) < 0)
		die("write error:");
	return 0;
}

int stage_emit(struct stage_ctx *ctx, json_t *rec)
{
	/* The record leaves this stage (or, fused, starts down the chain): the view is of the last one. */
	if (ctx->doc)
		doc_forget(ctx->doc);
	ctx->nwritten++;
	return ctx->emit(ctx, rec);
}

/*
 * Run 'call', the stage's own code, with messages named as its program
 * (ctx->prog: the fused driver's "slant-frame"), then as before.
 */
#define AS_STAGE(ctx, call)                     \
	do {                                    \
		const char *saved_ = progname;  \
		if ((ctx)->prog)                \
			progname = (ctx)->prog; \
		call;                           \
		progname = saved_;              \
	} while (0)

static int process(struct stage_ctx *ctx, json_t *rec)
{
	const struct stage *st = ctx->stage;
	const char *const *req;

	if (rec_is_error(rec))
		return st->sink ? st->record(ctx, rec) : 0;
	if (!st->sink && !st->rerun && rec_has_stage(rec, st->name))
		return stage_reject(ctx, rec,
				    "record has been through slant-%s already: a second run would add "
				    "its annotations twice (annotate afresh from slant-segment's output)",
				    st->name);
	for (req = st->requires; req && *req; req++) {
		/*
		 * The chain is misordered: say so plainly, and pass the record on
		 * as an error record so nothing after it is lost.
		 */
		if (!rec_has_stage(rec, *req))
			return stage_reject(ctx, rec,
					    "record has not been through slant-%s; run slant-%s "
					    "before slant-%s",
					    *req, *req, st->name);
	}
	for (req = st->precedes; req && *req; req++)
		if (rec_has_stage(rec, *req))
			return stage_reject(ctx, rec,
					    "record has been through slant-%s already; slant-%s runs "
					    "before it (re-run from slant-segment's output)",
					    *req, st->name);
	if (!json_is_string(json_object_get(rec, "text"))) {
		stage_reject(ctx, rec, "record has no 'text' string");
		/* A sink files the rejected record, so it is not lost. */
		if (st->sink)
			st->record(ctx, rec);
		return -1;
	}
	/*
	 * Every stage applies the text limit alike (docs/reliability.md):
	 * ingest cuts texts to it, so only records from other tools exceed it.
	 */
	if (json_string_length(json_object_get(rec, "text")) > REC_MAX_TEXT) {
		stage_reject(ctx, rec, "text of %zu bytes is longer than the limit of %zu",
			     json_string_length(json_object_get(rec, "text")), REC_MAX_TEXT);
		if (st->sink)
			st->record(ctx, rec);
		return -1;
	}
	if (st->record(ctx, rec) < 0)
		return -1;
	if (!st->sink) {
		if (ctx->lexicons)
			add_lexicons(ctx, rec);
		rec_mark_stage(rec, st->name);
	}
	return 0;
}

int stage_process(struct stage_ctx *ctx, json_t *rec)
{
	int r;

	AS_STAGE(ctx, r = process(ctx, rec));
	return r;
}

static json_t *process_line(struct stage_ctx *ctx, const char *line, size_t len,
			    size_t overlong)
{
	char why[256];
	json_t *rec;
	size_t i;

	if (overlong) {
		snprintf(why, sizeof(why), "record of %zu bytes is longer than the limit of %zu",
			 overlong, REC_MAX_LINE);
		error_at(ctx->input, ctx->line, "%s", why);
		ctx->nrejected++;
		rec = rec_error_record(ctx->stage->name, ctx->input, ctx->line, why, "", 0);
		if (ctx->stage->sink)
			ctx->stage->record(ctx, rec);
		return rec;
	}
	/* A new record may take the address of the one the view was of. */
	if (ctx->doc)
		doc_forget(ctx->doc);
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i == len)
		return NULL;
	rec = rec_parse(line, len, why, sizeof(why));
	if (!rec) {
		error_at(ctx->input, ctx->line, "%s", why);
		ctx->nrejected++;
		rec = rec_error_record(ctx->stage->name, ctx->input, ctx->line, why, line, len);
		if (ctx->stage->sink)
			ctx->stage->record(ctx, rec);
		return rec;
	}
	process(ctx, rec);
	return rec;
}

json_t *stage_process_line(struct stage_ctx *ctx, const char *line, size_t len,
			   size_t overlong)
{
	json_t *rec;

	AS_STAGE(ctx, rec = process_line(ctx, line, len, overlong));
	return rec;
}

/* ====== The lifecycle ====== */

void stage_ctx_init(struct stage_ctx *ctx, const struct stage *st, struct conf *conf)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->stage = st;
	ctx->conf = conf;
	ctx->input = "<stdin>";
	ctx->out = stdout;
	ctx->emit = emit_stdout;
}

int stage_load_config(struct stage_ctx *ctx, const char *path)
{
	int r = 0;

	if (!ctx->stage->no_config)
		AS_STAGE(ctx, r = conf_load(ctx->conf, path));
	return r < 0 ? SLANT_EXIT_USAGE : SLANT_EXIT_OK;
}

int stage_set_option(struct stage_ctx *ctx, const char *name, const char *arg)
{
	const struct stage *st = ctx->stage;
	const struct option *o;
	int r = -1;

	for (o = st->options; o && o->name && strcmp(o->name, name); o++)
		;
	if (o && o->name && st->option)
		AS_STAGE(ctx, r = st->option(ctx, o->val, arg));
	else
		AS_STAGE(ctx, error("stage '%s' takes no --%s", st->name, name));
	return r < 0 ? SLANT_EXIT_USAGE : SLANT_EXIT_OK;
}

int stage_setup(struct stage_ctx *ctx, int argc, char **argv)
{
	int r = 0;

	if (ctx->stage->setup)
		AS_STAGE(ctx, r = ctx->stage->setup(ctx, argc, argv));
	if (r >= 0)
		return SLANT_EXIT_OK;
	return r == -SLANT_EXIT_RUNTIME ? SLANT_EXIT_RUNTIME : SLANT_EXIT_USAGE;
}

int stage_run(struct stage_ctx *ctx, int argc, char **argv)
{
	int r;

	AS_STAGE(ctx, r = ctx->stage->run(ctx, argc, argv));
	return r;
}

int stage_finish(struct stage_ctx *ctx)
{
	int r = 0;

	if (ctx->stage->finish)
		AS_STAGE(ctx, r = ctx->stage->finish(ctx));
	if (verbose)
		AS_STAGE(ctx, fprintf(stderr, "%s: read %lu, written %lu, rejected %lu\n", progname,
				      ctx->nread, ctx->nwritten, ctx->nrejected));
	if (r < 0)
		return SLANT_EXIT_RUNTIME;
	return ctx->nrejected ? SLANT_EXIT_REJECTED : SLANT_EXIT_OK;
}

void stage_teardown(struct stage_ctx *ctx)
{
	if (ctx->stage->teardown)
		AS_STAGE(ctx, ctx->stage->teardown(ctx));
	stage_ctx_release(ctx);
}

static int read_loop(struct stage_ctx *ctx)
{
	struct line_reader lr;
	int r;

	line_reader_init(&lr, stdin, "<stdin>", REC_MAX_LINE);
	ctx->input = lr.name;
	while ((r = line_read(&lr)) > 0) {
		json_t *rec;

		ctx->line = lr.lineno;
		ctx->nread++;
		rec = stage_process_line(ctx, lr.buf, lr.len, lr.overlong);
		if (!rec) {
			ctx->nread--;
			continue;
		}
		if (!ctx->stage->sink)
			stage_emit(ctx, rec);
		json_decref(rec);
		if (ctx->strict && ctx->nrejected)
			break;
	}
	line_reader_release(&lr);
	if (r < 0)
		die("read error on standard input:");
	return 0;
}

int stage_main(const struct stage *st, int argc, char **argv)
{
	struct conf conf = CONF_INIT;
	struct stage_ctx ctx;
	struct option *opts;
	size_t ncommon = sizeof(common_options) / sizeof(common_options[0]), nown = 0, i;
	char shortopts[128];
	const char *config = NULL;
	int c, ret = SLANT_EXIT_OK;
	bool use_run, counts;

	set_progname(argv[0]);
	/* jansson's allocations die like ours, instead of a NULL read as bad input. */
	json_set_alloc_funcs(xmalloc, free);
	/*
	 * Past a file size limit (ulimit -f) a write fails with EFBIG and is
	 * reported like a full disk, instead of SIGXFSZ killing us mid-batch
	 * without a word (docs/reliability.md).
	 */
	signal(SIGXFSZ, SIG_IGN);
	stage_ctx_init(&ctx, st, &conf);
	while (st->options && st->options[nown].name)
		nown++;
	opts = xcalloc(ncommon + nown + 1, sizeof(*opts));
	memcpy(opts, common_options, sizeof(common_options));
	for (i = 0; i < nown; i++)
		opts[ncommon + i] = st->options[i];
	snprintf(shortopts, sizeof(shortopts), "%shVvc:%s", st->permute ? "" : "+",
		 st->shortopts ? st->shortopts : "");

	opterr = 0; /* messages come from us, named by progname */
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			stage_help(st);
			free(opts);
			return fflush(stdout) ? SLANT_EXIT_RUNTIME : SLANT_EXIT_OK;
		case 'V':
			stage_version(progname);
			free(opts);
			return SLANT_EXIT_OK;
		case 'v':
			verbose++;
			break;
		case 'c':
			config = optarg;
			break;
		case OPT_STRICT:
			ctx.strict = true;
			break;
		case '?':
			free(opts);
			if (!optopt)
				error("unknown option '%s'", argv[optind - 1]);
			else if (optopt < 0x100 && !strchr(shortopts, optopt))
				error("unknown option '-%c'", optopt);
			else
				error("option '%s' needs a value", argv[optind - 1]);
			fprintf(stderr, "Try '%s --help' for more information.\n", progname);
			return SLANT_EXIT_USAGE;
		default:
			/* Own options are applied after the config, so they override it. */
			break;
		}
	}
	if (stage_load_config(&ctx, config)) {
		free(opts);
		conf_release(&conf);
		return SLANT_EXIT_USAGE;
	}
	/* Second pass: the stage's own options, now that the config is loaded. */
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		if (c == 'h' || c == 'V' || c == 'v' || c == 'c' || c == OPT_STRICT || c == '?')
			continue;
		if (!st->option || st->option(&ctx, c, optarg) < 0) {
			free(opts);
			stage_teardown(&ctx);
			conf_release(&conf);
			fprintf(stderr, "Try '%s --help' for more information.\n", progname);
			return SLANT_EXIT_USAGE;
		}
	}
	free(opts);
	/* A filter with a .run (slant-store --merge) uses it when an option asked. */
	use_run = st->run && (!st->record || ctx.use_run);
	/*
	 * Finish and record counts mean something for a source and for a
	 * filter's read loop only: slant-store --merge does its all in .run.
	 */
	counts = !st->standalone && (!st->record || !use_run);
	if (!use_run && optind < argc) {
		error("unexpected argument '%s' (records are read from standard input)",
		      argv[optind]);
		stage_teardown(&ctx);
		conf_release(&conf);
		return SLANT_EXIT_USAGE;
	}
	if ((ret = stage_setup(&ctx, argc - optind, argv + optind))) {
		stage_teardown(&ctx);
		conf_release(&conf);
		return ret;
	}
	if (use_run)
		ret = stage_run(&ctx, argc - optind, argv + optind);
	else
		read_loop(&ctx);
	if (counts && (c = stage_finish(&ctx)) > ret)
		ret = c;
	stage_teardown(&ctx);
	conf_release(&conf);
	if (fflush(stdout) || ferror(stdout))
		die("write error:");
	if (fclose(stdout) && errno != EBADF)
		die("write error:");
	return ret;
}
