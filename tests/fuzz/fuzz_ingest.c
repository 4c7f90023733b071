/*
 * fuzz_ingest.c -- libFuzzer harness for slant-ingest: the whole stage over
 * one input file (HTML, plain text, JSON Lines, gzip, or sniffed), so the
 * libxml2 extraction, decoding, truncation and record building all run.
 *
 * The first byte picks the file name's extension; the rest is the file.
 * Every record written must hold the stream's promises (docs/stream.md):
 * valid UTF-8 'text' no longer than the limit, starting with its 'title';
 * an error record carries 'errors'. A broken promise aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "slant/conf.h"
#include "slant/rec.h"
#include "slant/stage.h"
#include "slant/usage.h"
#include "slant/utf8.h"

extern const struct stage stage_ingest;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small, so the fuzzer reaches the cut; the real limit is REC_MAX_TEXT. */
#define FUZZ_MAX_TEXT 2000

static char dir[64];

static void cleanup(void)
{
	rmdir(dir);
}

static void check(int ok, const char *what, const json_t *rec)
{
	char *s;

	if (ok)
		return;
	s = json_dumps(rec, JSON_COMPACT);
	fprintf(stderr, "fuzz_ingest: broken promise: %s\n%.2000s\n", what, s ? s : "?");
	free(s);
	abort();
}

static int emit_check(struct stage_ctx *ctx, json_t *rec)
{
	const char *text, *title;
	size_t len = 0;
	char *line, why[256];
	json_t *back;

	(void)ctx;
	line = rec_dump(rec);
	back = rec_parse(line, strlen(line), why, sizeof(why));
	check(back != NULL, "record does not parse back", rec);
	json_decref(back);
	free(line);
	check(json_is_string(json_object_get(rec, "id")), "no id", rec);
	if (rec_is_error(rec)) {
		check(json_array_size(json_object_get(rec, "errors")) > 0, "error record without errors",
		      rec);
		return 0;
	}
	text = rec_text(rec, &len);
	check(text != NULL, "no text", rec);
	check(utf8_valid(text, len), "text is not UTF-8", rec);
	check(memchr(text, '\0', len) == NULL, "NUL in text", rec);
	check(len <= FUZZ_MAX_TEXT, "text longer than the limit", rec);
	title = rec_str(rec, "title");
	check(title && !strncmp(text, title, strlen(title)), "text does not start with title", rec);
	if (len < FUZZ_MAX_TEXT - 4)
		check(!json_is_true(json_object_get(rec, "truncated")) ||
			      json_array_size(json_object_get(rec, "errors")) > 0,
		      "truncated without a warning", rec);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ext[] = { "html", "txt", "jsonl", "x", "htm", "html.gz", "json",
					   "md" };
	struct conf conf = CONF_INIT;
	struct stage_ctx ctx = { 0 };
	char path[128], *argv[2];
	FILE *fp;

	if (size < 1)
		return 0;
	if (!*dir) {
		snprintf(dir, sizeof(dir), "%s/fuzz-ingest.XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (!mkdtemp(dir))
			abort();
		set_progname("fuzz_ingest");
		atexit(cleanup);
	}
	snprintf(path, sizeof(path), "%s/in.%s", dir, ext[data[0] % 8]);
	fp = fopen(path, "wb");
	if (!fp || fwrite(data + 1, 1, size - 1, fp) != size - 1 || fclose(fp))
		abort();

	if (conf_set(&conf, "ingest", "max_text", "2000") < 0)
		abort();
	ctx.stage = &stage_ingest;
	ctx.conf = &conf;
	ctx.emit = emit_check;
	if (stage_ingest.setup(&ctx, 0, NULL) < 0)
		abort();
	argv[0] = path;
	argv[1] = NULL;
	stage_ingest.run(&ctx, 1, argv);
	stage_ingest.teardown(&ctx);
	conf_release(&conf);
	unlink(path);
	return 0;
}
