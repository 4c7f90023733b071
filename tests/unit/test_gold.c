/* test_gold.c -- lib/gold.c: PTC and BRAT readers, code points, alignment, mapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "slant/gold.h"
#include "slant/usage.h"

/* ====== Helpers ====== */

static char *fixture(const char *rel)
{
	const char *top = getenv("SLANT_TOP");

	return xasprintf("%s/tests/fixtures/gold/%s", top ? top : ".", rel);
}

/* Run 'fn' with stderr captured; returns the messages (caller frees). */
static char *captured;
static void capture_begin(int *saved, FILE **tmp)
{
	*tmp = tmpfile();
	assert_non_null(*tmp);
	fflush(stderr);
	*saved = dup(2);
	dup2(fileno(*tmp), 2);
}

static void capture_end(int saved, FILE *tmp)
{
	long n;

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = ftell(tmp);
	free(captured);
	captured = xcalloc(1, (size_t)n + 1);
	rewind(tmp);
	if (n > 0)
		assert_int_equal(fread(captured, 1, (size_t)n, tmp), (size_t)n);
	fclose(tmp);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static const struct gold_doc *find_doc(const struct gold_set *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (!strcmp(g->docs[i].name, name))
			return &g->docs[i];
	return NULL;
}

/* The bytes a span covers, as a malloc'd string. */
static char *span_text(const struct gold_doc *d, const struct gold_span *s)
{
	return xstrndup(d->text + s->start, s->end - s->start);
}

/* ====== Code points ====== */

static void test_gold__cp_index(void **state)
{
	const char *t = "a\xc3\xa9\xe2\x80\x9cx\xf0\x9f\x98\x80";  /* a é “ x 😀 */
	size_t n, *idx = gold_cp_index(t, strlen(t), &n);

	(void)state;
	assert_int_equal(n, 5);
	assert_int_equal(idx[0], 0);
	assert_int_equal(idx[1], 1);
	assert_int_equal(idx[2], 3);
	assert_int_equal(idx[3], 6);
	assert_int_equal(idx[4], 7);
	assert_int_equal(idx[5], 11);
	free(idx);
}

static void test_gold__cp_index_invalid_bytes(void **state)
{
	const char *t = "a\xff" "b";
	size_t n, *idx = gold_cp_index(t, 3, &n);

	(void)state;
	assert_int_equal(n, 3);       /* a bad byte counts one */
	assert_int_equal(idx[2], 2);
	free(idx);
}

/* ====== PTC ====== */

static void test_gold__ptc_fixture(void **state)
{
	struct gold_set g = GOLD_SET_INIT;
	char *dir = fixture("ptc"), *s;
	const struct gold_doc *d;
	size_t i;

	(void)state;
	assert_int_equal(gold_read(&g, dir, GOLD_AUTO), 3);
	assert_int_equal(g.format, GOLD_PTC);
	d = find_doc(&g, "1");
	assert_non_null(d);
	assert_int_equal(d->n, 3);
	/* Sorted by start; code points past "Régime … Café Élysée" become bytes. */
	for (i = 0; i < d->n; i++) {
		s = span_text(d, &d->spans[i]);
		if (!strcmp(d->spans[i].label, "Loaded_Language"))
			assert_string_equal(s, "brutal regime");
		else if (!strcmp(d->spans[i].label, "Doubt"))
			assert_string_equal(s, "\xe2\x80\x9c" "dissent" "\xe2\x80\x9d");
		else
			assert_string_equal(s, "thugs");
		free(s);
	}
	assert_true(gold_in_split(find_doc(&g, "1"), 0, "odd"));
	assert_false(gold_in_split(find_doc(&g, "2"), 1, "odd"));
	assert_true(gold_in_split(find_doc(&g, "2"), 1, "even"));
	assert_true(gold_in_split(find_doc(&g, "2"), 1, "all"));
	gold_set_release(&g);
	free(dir);
}

static void test_gold__ptc_bad_lines(void **state)
{
	char dir[] = "/tmp/test_gold.XXXXXX", *p;
	struct gold_set g = GOLD_SET_INIT;
	int saved;
	FILE *tmp;
	long n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	p = xasprintf("%s/articles", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
	p = xasprintf("%s/articles/article5.txt", dir);
	write_file(p, "caf\xc3\xa9 x\n");
	free(p);
	p = xasprintf("%s/labels.tsv", dir);
	write_file(p, "5\tX\t0\t6\n5\tX\t4\t2\n5\tX\t0\t8\n5\tX\n5\tX\t-1\t2\n6\tX\t0\t1\n");
	free(p);
	capture_begin(&saved, &tmp);
	n = gold_read(&g, dir, GOLD_AUTO);
	capture_end(saved, tmp);
	assert_int_equal(n, -1);
	assert_non_null(strstr(captured, "labels.tsv:2): span start 4 after its end 2"));
	assert_non_null(strstr(captured, "labels.tsv:3): span end 8 past the end"));
	assert_non_null(strstr(captured, "labels.tsv:4): expected 4 tab-separated fields"));
	assert_non_null(strstr(captured, "labels.tsv:5): start and end must be numbers"));
	assert_non_null(strstr(captured, "1 label line for articles not in"));
	/* Line 1 was good: 6 code points are 7 bytes. */
	assert_int_equal(g.docs[0].n, 1);
	assert_int_equal(g.docs[0].spans[0].end, 7);
	gold_set_release(&g);
	p = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
	free(p);
}

static void test_gold__not_gold(void **state)
{
	struct gold_set g = GOLD_SET_INIT;
	int saved;
	FILE *tmp;

	(void)state;
	capture_begin(&saved, &tmp);
	assert_int_equal(gold_read(&g, "/nonexistent/gold", GOLD_AUTO), -1);
	assert_int_equal(gold_read(&g, "/dev/null", GOLD_AUTO), -1);
	assert_int_equal(gold_read(&g, "/dev/null", GOLD_PTC), -1);
	capture_end(saved, tmp);
	assert_non_null(strstr(captured, "cannot open gold '/nonexistent/gold'"));
	assert_non_null(strstr(captured, "neither a PTC folder"));
	gold_set_release(&g);
}

/* ====== BRAT ====== */

static void test_gold__brat_fixture(void **state)
{
	struct gold_set g = GOLD_SET_INIT;
	char *dir = fixture("brat"), *s;
	const struct gold_doc *d;
	size_t i, cues = 0;
	int saved;
	FILE *tmp;

	(void)state;
	capture_begin(&saved, &tmp);
	assert_int_equal(gold_read(&g, dir, GOLD_AUTO), 1);
	capture_end(saved, tmp);
	/* The second annotator of the same text is skipped, and said so. */
	assert_non_null(strstr(captured, "1 .ann file for texts already read"));
	assert_int_equal(g.format, GOLD_BRAT);
	d = &g.docs[0];
	assert_string_equal(d->name, "doc1_aaaa");
	assert_non_null(strstr(d->path, "text/doc1.txt"));
	assert_int_equal(d->n, 7);    /* 6 T lines, one in two fragments; E and # lines skipped */
	for (i = 0; i < d->n; i++) {
		if (strcmp(d->spans[i].label, "Cue"))
			continue;
		s = span_text(d, &d->spans[i]);
		assert_true(!strcmp(s, "said") || !strcmp(s, "say") || !strcmp(s, "according to"));
		free(s);
		cues++;
	}
	assert_int_equal(cues, 3);
	gold_set_release(&g);
	free(dir);
}

static void test_gold__brat_bad(void **state)
{
	char dir[] = "/tmp/test_gold.XXXXXX", *p;
	struct gold_set g = GOLD_SET_INIT;
	int saved;
	FILE *tmp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	p = xasprintf("%s/a.txt", dir);
	write_file(p, "Hello world\n");
	free(p);
	p = xasprintf("%s/a.ann", dir);
	write_file(p, "T1\tSource 0 5\tHello\nT2\tSource 0 x\tH\nT3\tnonsense\nT4\tCue 6 99\tw\n"
		      "T5\tCue 0 4\tHelp\n");
	free(p);
	p = xasprintf("%s/b.ann", dir);
	write_file(p, "T1\tSource 0 1\tH\n");
	free(p);
	capture_begin(&saved, &tmp);
	assert_int_equal(gold_read(&g, dir, GOLD_AUTO), -1);
	capture_end(saved, tmp);
	assert_non_null(strstr(captured, "a.ann:2): bad offsets '0 x'"));
	assert_non_null(strstr(captured, "a.ann:3): expected 'Tn<TAB>Label start end<TAB>text'"));
	assert_non_null(strstr(captured, "a.ann:4): span end 99 past the end"));
	assert_non_null(strstr(captured, "b.ann': no text file for it"));
	/* The covered text BRAT repeats is checked against the offsets. */
	assert_non_null(strstr(captured, "1 span whose text differs"));
	gold_set_release(&g);
	p = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
	free(p);
}

/* ====== Alignment ====== */

static void test_gold__align_identity_and_spaces(void **state)
{
	const char *from = "Title\n\nThe  brutal\nregime fell.", *to = "Title\n\nThe brutal regime fell.";
	size_t lost, s, e, *map = gold_align(from, strlen(from), to, strlen(to), &lost);
	const char *b = strstr(from, "brutal");

	(void)state;
	assert_int_equal(lost, 0);
	assert_int_equal(gold_map_span(map, from, (size_t)(b - from), (size_t)(b - from) + 13, to,
				       strlen(to), &s, &e), 0);
	assert_int_equal(e - s, 13);
	assert_memory_equal(to + s, "brutal regime", 13);
	/* A span of white space alone maps to nothing. */
	assert_int_equal(gold_map_span(map, from, 10, 12, to, strlen(to), &s, &e), -1);
	free(map);
}

static void test_gold__align_replaced_and_dropped(void **state)
{
	/* Curly quotes straightened, a soft hyphen dropped, a character inserted. */
	const char *from = "He said \xe2\x80\x9cno way\xe2\x80\x9d to the re\xc2\xad" "gime today.";
	const char *to = "He said \"no way\" to the regime today!!";
	size_t lost, s, e, *map = gold_align(from, strlen(from), to, strlen(to), &lost);
	const char *r = strstr(from, "re");

	(void)state;
	assert_true(lost >= 3);
	assert_int_equal(gold_map_span(map, from, (size_t)(strstr(from, "no") - from),
				       (size_t)(strstr(from, "y\xe2") - from) + 1, to, strlen(to), &s,
				       &e), 0);
	assert_memory_equal(to + s, "no way", e - s);
	assert_int_equal(gold_map_span(map, from, (size_t)(r - from), (size_t)(r - from) + 9, to,
				       strlen(to), &s, &e), 0);
	assert_int_equal(e - s, 6);
	assert_memory_equal(to + s, "regime", 6);
	free(map);
}

static void test_gold__align_unrelated(void **state)
{
	const char *from = "abcdefghijklmnop", *to = "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz";
	size_t lost, s, e, *map = gold_align(from, strlen(from), to, strlen(to), &lost);

	(void)state;
	assert_int_equal(lost, 16);
	assert_int_equal(gold_map_span(map, from, 2, 6, to, strlen(to), &s, &e), -1);
	free(map);
}

/* ====== Mapping ====== */

static void test_gold__map(void **state)
{
	struct gold_map m = GOLD_MAP_INIT;
	static const char text[] = "# comment\n\nLoaded_Language\tframe/loaded\n"
				   "Name_Calling,Labeling\tframe/loaded\n"
				   "Source\tattrib/attributed,vague@source,speaker\n"
				   "Any\taffil/*/state,private\n";

	(void)state;
	assert_int_equal(gold_map_parse(&m, "m.tsv", text, strlen(text)), 0);
	assert_int_equal(m.n, 3);
	assert_int_equal(m.v[0].ngold, 2);
	assert_int_equal(gold_map_unit(&m, "Name_Calling,Labeling"), 0);
	assert_int_equal(gold_map_unit(&m, "Source"), 1);
	assert_int_equal(gold_map_unit(&m, "Nothing"), -1);
	assert_true(gold_target_matches(&m.v[0], "frame", "loaded", "emotive"));
	assert_false(gold_target_matches(&m.v[0], "frame", "scare_quote", NULL));
	assert_true(gold_target_matches(&m.v[1], "attrib", "vague", NULL));
	assert_false(gold_target_matches(&m.v[1], "attrib", "none", NULL));
	assert_int_equal(m.v[1].nfields, 2);
	assert_string_equal(m.v[1].fields[1], "speaker");
	assert_true(gold_target_matches(&m.v[2], "affil", "outlet", "private"));
	assert_false(gold_target_matches(&m.v[2], "affil", "outlet", NULL));
	gold_map_release(&m);
}

static void test_gold__map_errors(void **state)
{
	struct gold_map m = GOLD_MAP_INIT;
	static const char text[] = "A\tframe\nB\tFrame/x\nC\n\tframe/x\nD\tframe/x@\nE\tf/x\nE\tf/y\n";
	int saved;
	FILE *tmp;

	(void)state;
	capture_begin(&saved, &tmp);
	assert_int_equal(gold_map_parse(&m, "m.tsv", text, strlen(text)), -1);
	gold_map_release(&m);
	assert_int_equal(gold_map_parse(&m, "e.tsv", "# nothing\n", 10), -1);
	capture_end(saved, tmp);
	assert_non_null(strstr(captured, "m.tsv:1): target must be STAGE/LABEL"));
	assert_non_null(strstr(captured, "m.tsv:2): bad stage name"));
	assert_non_null(strstr(captured, "m.tsv:3): expected 'GOLD_LABEL<TAB>STAGE/LABEL'"));
	assert_non_null(strstr(captured, "m.tsv:4): expected"));
	assert_non_null(strstr(captured, "m.tsv:5): bad field name"));
	assert_non_null(strstr(captured, "m.tsv:7): gold label 'E' mapped twice"));
	assert_non_null(strstr(captured, "e.tsv: no mappings"));
	gold_map_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gold__cp_index),
		cmocka_unit_test(test_gold__cp_index_invalid_bytes),
		cmocka_unit_test(test_gold__ptc_fixture),
		cmocka_unit_test(test_gold__ptc_bad_lines),
		cmocka_unit_test(test_gold__not_gold),
		cmocka_unit_test(test_gold__brat_fixture),
		cmocka_unit_test(test_gold__brat_bad),
		cmocka_unit_test(test_gold__align_identity_and_spaces),
		cmocka_unit_test(test_gold__align_replaced_and_dropped),
		cmocka_unit_test(test_gold__align_unrelated),
		cmocka_unit_test(test_gold__map),
		cmocka_unit_test(test_gold__map_errors),
	};
	int ret = cmocka_run_group_tests(tests, NULL, NULL);

	free(captured);
	return ret;
}
