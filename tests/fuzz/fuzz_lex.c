/*
 * fuzz_lex.c -- libFuzzer harness for the lexicon loader and matcher
 * (lib/lex.c): lex_load_buffer, lex_compile, then lex_match over a fixed
 * news paragraph and over the input itself, with and without LEX_OVERLAP.
 *
 * A match must lie inside the text and on UTF-8 character boundaries;
 * non-overlapping matches must be sorted and disjoint. A regex that hits
 * its PCRE2 limit returns -1, which is allowed (the limits are the point).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slant/lex.h"
#include "slant/usage.h"
#include "slant/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char sample[] =
	"Regime forces shelled the so-called \"safe zone\" on Tuesday, officials said.\n\n"
	"\xe2\x80\x9cWe will not surrender,\xe2\x80\x9d the mayor told Reuters. Critics claim the "
	"dictator's thugs were behind it; the Kremlin denied it. Caf\xc3\xa9 owners fled "
	"\xc3\x89lys\xc3\xa9""e-style. Terrorists? Freedom fighters? aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!";

static int boundary(const char *s, size_t len, size_t off)
{
	return off == len || ((unsigned char)s[off] & 0xC0) != 0x80;
}

static void match(const struct lex *lex, const char *text, size_t len, unsigned flags,
		  struct lex_matches *m)
{
	long n = lex_match(lex, text, len, flags, m);
	size_t i;

	if (n < 0)
		return;
	if ((size_t)n != m->n)
		abort();
	for (i = 0; i < m->n; i++) {
		const struct lex_match *x = &m->v[i];

		if (x->start > x->end || x->end > len || !x->entry)
			abort();
		if (!boundary(text, len, x->start) || !boundary(text, len, x->end)) {
			fprintf(stderr, "fuzz_lex: match [%zu, %zu) splits a character\n", x->start,
				x->end);
			abort();
		}
		if (!(flags & LEX_OVERLAP) && i && m->v[i - 1].end > x->start)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lex lex = LEX_INIT;
	struct lex_matches m = LEX_MATCHES_INIT;
	char *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	set_progname("fuzz_lex");
	lex_init(&lex);
	if (lex_load_buffer(&lex, "fuzz.tsv", buf, size) == 0 && lex_compile(&lex) == 0) {
		size_t i;

		for (i = 0; i < lex.n; i++)
			if (lex_find(&lex, lex.entries[i]->term) == NULL &&
			    lex.entries[i]->kind != LEX_REGEX)
				abort();
		match(&lex, sample, sizeof(sample) - 1, 0, &m);
		match(&lex, sample, sizeof(sample) - 1, LEX_OVERLAP, &m);
		/* Record texts are valid UTF-8 (rec_parse checks): only such text is matched. */
		if (utf8_valid(buf, size))
			match(&lex, buf, size, 0, &m);
	}
	lex_matches_release(&m);
	lex_release(&lex);
	free(buf);
	return 0;
}
