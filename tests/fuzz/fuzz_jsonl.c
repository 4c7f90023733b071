/*
 * fuzz_jsonl.c -- libFuzzer harness for the JSON Lines reader every filter
 * stage uses: lib/line.c, rec_parse() and stage_process_line(), through a
 * stage that annotates spans of the text the way real stages do.
 *
 * The input is read twice: with the real line limit, and with a limit of
 * 64 bytes so that over-long lines take their error path. Every record that
 * comes out must serialise and parse back (error records included, whose
 * 'raw' is cut from arbitrary bytes).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slant/line.h"
#include "slant/rec.h"
#include "slant/stage.h"
#include "slant/usage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Annotate a few spans at character boundaries and in the middle of them. */
static int fuzz_record(struct stage_ctx *ctx, json_t *rec)
{
	size_t len = 0, i;
	const char *text = rec_text(rec, &len);

	(void)ctx;
	for (i = 0; i < len && i < 64; i += 7) {
		size_t end = len - i % 5; /* i < len and i % 5 <= i: no wrap */

		rec_annotate(rec, "fuzz", "span", i, end > i ? end : i);
	}
	if (len && text[0] == 'x')
		return stage_reject(ctx, rec, "rejected for the test");
	return 0;
}

static const struct stage stage_fuzz = {
	.name = "fuzz",
	.record = fuzz_record,
};

static void round_trip(const json_t *rec)
{
	char *line = rec_dump(rec), why[256];
	json_t *back = rec_parse(line, strlen(line), why, sizeof(why));

	if (!back || !json_equal(back, rec)) {
		fprintf(stderr, "fuzz_jsonl: record does not parse back (%s):\n%.2000s\n",
			back ? "differs" : why, line);
		abort();
	}
	json_decref(back);
	free(line);
}

static void read_all(const uint8_t *data, size_t size, size_t max)
{
	struct stage_ctx ctx = { 0 };
	struct line_reader lr;
	FILE *fp = fmemopen((void *)data, size, "rb");
	int r;

	if (!fp)
		abort();
	ctx.stage = &stage_fuzz;
	line_reader_init(&lr, fp, "<fuzz>", max);
	ctx.input = lr.name;
	while ((r = line_read(&lr)) > 0) {
		json_t *rec;

		if (lr.overlong ? lr.len != 0 : lr.len > max)
			abort();
		ctx.line = lr.lineno;
		rec = stage_process_line(&ctx, lr.buf, lr.len, lr.overlong);
		if (!rec)
			continue;
		round_trip(rec);
		json_decref(rec);
	}
	if (r < 0)
		abort();
	line_reader_release(&lr);
	fclose(fp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	set_progname("fuzz_jsonl");
	read_all(data, size, REC_MAX_LINE);
	read_all(data, size, 64);
	return 0;
}
