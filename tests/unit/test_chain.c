/* test_chain.c -- lib/chain.c: building a chain, and keeping what a few stages need. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "slant/chain.h"
#include "slant/conf.h"
#include "slant/registry.h"

/* Made-up stages, so the order and the requirements are the test's own. */
static int run_none(struct stage_ctx *ctx, int argc, char **argv)
{
	(void)ctx, (void)argc, (void)argv;
	return 0;
}

static int record_none(struct stage_ctx *ctx, json_t *rec)
{
	(void)ctx, (void)rec;
	return 0;
}

static const char *const needs_x[] = { "x", NULL };
static const char *const needs_y[] = { "y", NULL };
static const struct stage st_src = { .name = "src", .run = run_none };
static const struct stage st_x = { .name = "x", .record = record_none };
static const struct stage st_y = { .name = "y", .record = record_none, .requires = needs_x };
static const struct stage st_z = { .name = "z", .record = record_none, .requires = needs_y };
static const struct stage st_w = { .name = "w", .record = record_none };
static const struct stage st_sink = { .name = "sink", .record = record_none, .sink = true };
static const struct stage *const known[] = { &st_src, &st_x, &st_y, &st_z, &st_w, &st_sink, NULL };

/* The stage names of 'ch', space-separated, into 'buf'. */
static const char *names(const struct chain *ch, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < ch->n; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? " " : "",
					 ch->v[i].st->name);
	return buf;
}

static void test_chain__order_from_the_config(void **state)
{
	static const char text[] = "[pipeline]\nstages = src x, w y z sink\n";
	struct conf conf = CONF_INIT;
	struct chain ch = CHAIN_INIT;
	char buf[128];

	(void)state;
	assert_int_equal(conf_parse(&conf, "test.conf", text, sizeof(text) - 1), 0);
	assert_int_equal(chain_build(&ch, known, &conf, NULL), 0);
	assert_string_equal(names(&ch, buf, sizeof(buf)), "src x w y z sink");
	assert_true(chain_has(&ch, "w"));
	assert_false(chain_has(&ch, "nope"));
	chain_release(&ch);
	conf_release(&conf);
}

static void test_chain__bad_lists(void **state)
{
	static const char *const bad[] = {
		"x src",        /* a filter first */
		"src z y x",    /* a requirement after its stage */
		"src sink x",   /* a sink not last */
		"src x x",      /* twice */
		"src nope",     /* unknown */
		"",             /* nothing */
	};
	struct conf conf = CONF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct chain ch = CHAIN_INIT;

		assert_int_equal(chain_build(&ch, known, &conf, bad[i]), -1);
		chain_release(&ch);
	}
}

static void test_chain__from_a_stream(void **state)
{
	struct conf conf = CONF_INIT;
	struct chain ch = CHAIN_INIT;

	(void)state;
	ch.from_stream = true;
	/* The records may have been through x already; no source may come first. */
	assert_int_equal(chain_build(&ch, known, &conf, "y z"), 0);
	chain_release(&ch);
	ch.from_stream = true;
	assert_int_equal(chain_build(&ch, known, &conf, "src y"), -1);
	chain_release(&ch);
}

static void test_chain__keep_what_is_needed(void **state)
{
	static const char *const want_z[] = { "z" };
	static const char *const want_w_src[] = { "w", "src" };
	static const char *const want_none[] = { "nope" };
	struct conf conf = CONF_INIT;
	struct chain ch = CHAIN_INIT;
	char buf[128];

	(void)state;
	assert_int_equal(chain_build(&ch, known, &conf, "src x w y z sink"), 0);
	/* z needs y, which needs x: all three, in the chain's order. */
	assert_int_equal(chain_keep(&ch, want_z, 1), 0);
	assert_string_equal(names(&ch, buf, sizeof(buf)), "x y z");
	chain_release(&ch);

	assert_int_equal(chain_build(&ch, known, &conf, "src x w y z sink"), 0);
	assert_int_equal(chain_keep(&ch, want_w_src, 2), 0);
	assert_string_equal(names(&ch, buf, sizeof(buf)), "src w");
	assert_int_equal(chain_keep(&ch, want_none, 1), -1);
	chain_release(&ch);
}

static void test_chain__the_real_stages(void **state)
{
	static const char *const want[] = { "score" };
	struct conf conf = CONF_INIT;
	struct chain ch = CHAIN_INIT;

	(void)state;
	/* The default [pipeline] stages, whatever their order, make a valid chain. */
	assert_int_equal(chain_build(&ch, stage_registry, &conf, NULL), 0);
	assert_true(chain_is_source(ch.v[0].st));
	assert_true(ch.v[ch.n - 1].st->sink);
	assert_int_equal(chain_keep(&ch, want, 1), 0);
	assert_true(chain_has(&ch, "segment"));
	assert_false(chain_has(&ch, "store"));
	chain_release(&ch);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain__order_from_the_config),
		cmocka_unit_test(test_chain__bad_lists),
		cmocka_unit_test(test_chain__from_a_stream),
		cmocka_unit_test(test_chain__keep_what_is_needed),
		cmocka_unit_test(test_chain__the_real_stages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
