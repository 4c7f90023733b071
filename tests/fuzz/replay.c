/*
 * replay.c -- run a libFuzzer harness without libFuzzer: its regression
 * inputs in 'make test', or any files named on the command line.
 *
 *   build/replay/fuzz_ingest                      (every file in tests/fuzz/regressions/fuzz_ingest)
 *   build/replay/fuzz_ingest crash-1a2b...        (one input)
 *
 * Each input is one test: it passes when the harness returns (a crash or a
 * sanitizer report ends the program). The summary lines imitate cmocka's,
 * so tests/run.sh counts them like the unit tests.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_one(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!fp) {
		perror(path);
		return -1;
	}
	do {
		if (len + 65536 > cap) {
			uint8_t *p = realloc(buf, cap = len + 65536);

			if (!p) {
				perror("realloc");
				exit(3);
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp)) {
		perror(path);
		fclose(fp);
		free(buf);
		return -1;
	}
	fclose(fp);
	printf("[ RUN      ] %s\n", path);
	fflush(stdout);
	LLVMFuzzerTestOneInput(buf, len);
	printf("[       OK ] %s\n", path);
	fflush(stdout);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	const char *top = getenv("SLANT_TOP");
	char dir[4096], path[8192], **list = NULL;
	size_t n = 0, i;
	int failed = 0;
	DIR *d;
	struct dirent *e;

	if (argc > 1) {
		for (i = 1; i < (size_t)argc; i++)
			failed += run_one(argv[i]) < 0;
		return failed ? 1 : 0;
	}
	snprintf(dir, sizeof(dir), "%s/tests/fuzz/regressions/%s", top ? top : ".", name);
	d = opendir(dir);
	if (d) {
		while ((e = readdir(d)) != NULL) {
			char **p;

			if (e->d_name[0] == '.')
				continue;
			p = realloc(list, (n + 1) * sizeof(*list));
			if (!p || !(p[n] = strdup(e->d_name))) {
				perror("realloc");
				return 3;
			}
			list = p;
			n++;
		}
		closedir(d);
	}
	qsort(list, n, sizeof(*list), by_name);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, list[i]);
		failed += run_one(path) < 0;
		free(list[i]);
	}
	free(list);
	printf("[  PASSED  ] %zu test(s).\n", n - (size_t)failed);
	if (failed)
		printf("[  FAILED  ] %d test(s).\n", failed);
	return failed ? 1 : 0;
}
