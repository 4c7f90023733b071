/*
 * fuzz_segment.c -- libFuzzer harness for slant-segment: the input, made
 * valid UTF-8 as ingest would, becomes a record's 'text' and goes through
 * stage_process() as in the stage program and the fused driver.
 *
 * Every annotation must keep docs/stream.md's promises: a span inside the
 * text on character boundaries whose 'text' is exactly the covered bytes;
 * a quote's content inside its marks; a sentence inside its paragraph;
 * paragraph and sentence indexes counting up from 0. The same setup
 * segments each input twice and must give the same annotations.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slant/conf.h"
#include "slant/rec.h"
#include "slant/stage.h"
#include "slant/usage.h"
#include "slant/utf8.h"

extern const struct stage stage_segment;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what, const json_t *ann)
{
	char *s;

	if (ok)
		return;
	s = ann ? json_dumps(ann, JSON_COMPACT) : NULL;
	fprintf(stderr, "fuzz_segment: broken promise: %s\n%.1000s\n", what, s ? s : "");
	free(s);
	abort();
}

static int boundary(const char *s, size_t len, size_t off)
{
	return off == len || ((unsigned char)s[off] & 0xC0) != 0x80;
}

static void check_record(const json_t *rec)
{
	size_t len = 0, i, npara = 0, nsent = 0;
	const char *text = rec_text(rec, &len);
	json_t *anns = json_object_get(rec, "annotations"), *ann, *paras = json_array();

	check(text != NULL, "text gone", rec);
	json_array_foreach(anns, i, ann) {
		size_t start = ann_offset(ann, "start", SIZE_MAX), end = ann_offset(ann, "end", 0);
		const char *label = json_string_value(json_object_get(ann, "label"));
		const char *atext = json_string_value(json_object_get(ann, "text"));

		check(ann_is(ann, "segment", NULL) && label, "not a segment annotation", ann);
		check(start <= end && end <= len, "span outside the text", ann);
		check(boundary(text, len, start) && boundary(text, len, end),
		      "span splits a character", ann);
		check(atext && json_string_length(json_object_get(ann, "text")) == end - start &&
			      !memcmp(atext, text + start, end - start),
		      "'text' is not the covered bytes", ann);
		if (!strcmp(label, "paragraph")) {
			check(ann_offset(ann, "index", SIZE_MAX) == npara++, "paragraph index", ann);
			json_array_append(paras, ann);
		} else if (!strcmp(label, "sentence")) {
			size_t p = ann_offset(ann, "paragraph", SIZE_MAX);
			json_t *pa = json_array_get(paras, p);

			check(ann_offset(ann, "index", SIZE_MAX) == nsent++, "sentence index", ann);
			check(pa && ann_offset(pa, "start", 0) <= start &&
				      end <= ann_offset(pa, "end", 0),
			      "sentence outside its paragraph", ann);
		} else if (!strcmp(label, "quote")) {
			size_t cs = ann_offset(ann, "content_start", SIZE_MAX);
			size_t ce = ann_offset(ann, "content_end", 0);

			check(start <= cs && cs <= ce && ce <= end, "quote content outside the quote",
			      ann);
			check(boundary(text, len, cs) && boundary(text, len, ce),
			      "quote content splits a character", ann);
			if (json_object_get(ann, "speaker")) {
				size_t ss = ann_offset(ann, "speaker_start", SIZE_MAX);
				size_t se = ann_offset(ann, "speaker_end", 0);

				check(ss < se && se <= len && boundary(text, len, ss) &&
					      boundary(text, len, se),
				      "bad speaker span", ann);
			}
		}
	}
	json_decref(paras);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conf conf = CONF_INIT;
	static struct stage_ctx ctx;
	size_t len;
	char *text = utf8_repair((const char *)data, size, &len, NULL);
	json_t *rec, *again;

	if (!ctx.stage) {
		set_progname("fuzz_segment");
		/* Small, so the fuzzer reaches the quote-length cut-off. */
		if (conf_set(&conf, "segment", "max_quote", "400") < 0)
			abort();
		ctx.stage = &stage_segment;
		ctx.conf = &conf;
		ctx.input = "<fuzz>";
		if (stage_segment.setup(&ctx, 0, NULL) < 0)
			abort();
	}
	rec = rec_new("c-fuzz");
	json_object_set_new(rec, "text", json_stringn(text, len));
	rec_mark_stage(rec, "ingest");
	again = json_deep_copy(rec);
	if (stage_process(&ctx, rec) == 0)
		check_record(rec);
	stage_process(&ctx, again);
	check(json_equal(rec, again), "second run differs", NULL);
	json_decref(rec);
	json_decref(again);
	free(text);
	return 0;
}
