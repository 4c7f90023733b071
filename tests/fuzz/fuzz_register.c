/*
 * fuzz_register.c -- libFuzzer harness for the outlet register loader
 * (lib/register.c): reg_load_buffer, reg_compile, the lookups by id, name
 * and domain of every entry loaded, and reg_match over a fixed paragraph
 * and over the input itself.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slant/register.h"
#include "slant/usage.h"
#include "slant/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char sample[] =
	"Russia Today and RT reported, citing TASS and the BBC, that Xinhua had said so. "
	"Photo: AP / Reuters. The Associated Press (AP) and www.belta.by, news.cctv.com.";

static void match(const struct reg *r, const char *text, size_t len, struct reg_matches *m)
{
	long n = reg_match(r, text, len, m);
	size_t i;

	if (n < 0)
		return;
	for (i = 0; i < m->n; i++)
		if (m->v[i].start >= m->v[i].end || m->v[i].end > len ||
		    m->v[i].ncand > REG_MAX_CAND || (i && m->v[i - 1].end > m->v[i].start))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reg r = REG_INIT;
	struct reg_matches m = REG_MATCHES_INIT;
	char *buf = malloc(size ? size : 1);
	size_t i, j;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	set_progname("fuzz_register");
	if (reg_load_buffer(&r, "fuzz.tsv", buf, size) == 0 && reg_compile(&r) == 0) {
		for (i = 0; i < r.n; i++) {
			const struct reg_entry *e = &r.v[i];

			if (reg_by_id(&r, e->id) != e || !reg_by_name(&r, e->name))
				abort();
			for (j = 0; j < e->ndomains; j++)
				if (!reg_by_domain(&r, e->domains[j]))
					abort();
			reg_state_affiliated(e);
		}
		match(&r, sample, sizeof(sample) - 1, &m);
		if (utf8_valid(buf, size))
			match(&r, buf, size, &m);
		reg_by_domain(&r, "https://www.example.com/a/b?c");
	}
	reg_matches_release(&m);
	reg_release(&r);
	free(buf);
	return 0;
}
