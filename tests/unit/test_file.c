/* test_file.c -- lib/file.c: whole-file reading, its cap and its messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "slant/file.h"
#include "slant/usage.h"

/* The messages written to stderr while 'stmt' runs, in 'var' (caller frees). */
#define CAPTURE(var, stmt) do { \
	FILE *tmp_ = tmpfile(); \
	int saved_; \
	long n_; \
	assert_non_null(tmp_); \
	fflush(stderr); \
	saved_ = dup(2); \
	dup2(fileno(tmp_), 2); \
	stmt; \
	fflush(stderr); \
	dup2(saved_, 2); \
	close(saved_); \
	n_ = ftell(tmp_); \
	(var) = xcalloc(1, (size_t)n_ + 1); \
	rewind(tmp_); \
	if (n_ > 0) \
		assert_int_equal(fread((var), 1, (size_t)n_, tmp_), (size_t)n_); \
	fclose(tmp_); \
} while (0)

/* A temporary file holding s[0, n); returns its malloc'd path. */
static char *temp_file(const char *s, size_t n)
{
	char *path = xstrdup("/tmp/test_file_XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, s, n), (ssize_t)n);
	close(fd);
	return path;
}

static void test_file__whole_and_terminated(void **state)
{
	char *path = temp_file("ab\0c\n", 5), *buf;
	size_t len;

	(void)state;
	assert_int_equal(file_read(path, 5, &buf, &len), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(buf, "ab\0c\n", 6); /* NUL-terminated after its own NUL */
	free(buf);
	unlink(path);
	free(path);
}

static void test_file__empty(void **state)
{
	char *path = temp_file("", 0), *buf;
	size_t len = 1;

	(void)state;
	assert_int_equal(file_read(path, 0, &buf, &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
	free(buf);
	unlink(path);
	free(path);
}

static void test_file__larger_than_cap(void **state)
{
	char *path = temp_file("123456", 6), *buf = (char *)"x", *msg, *want;
	size_t len;
	int ret;

	(void)state;
	CAPTURE(msg, ret = file_read(path, 5, &buf, &len));
	assert_int_equal(ret, -1);
	assert_null(buf);
	want = xasprintf("'%s' is larger than 5 bytes", path);
	assert_non_null(strstr(msg, want));
	free(want);
	free(msg);
	/* An endless file ends at the cap. */
	CAPTURE(msg, ret = file_read("/dev/zero", 1000, &buf, &len));
	assert_int_equal(ret, -1);
	assert_non_null(strstr(msg, "'/dev/zero' is larger than 1000 bytes"));
	free(msg);
	unlink(path);
	free(path);
}

static void test_file__cannot_open_or_read(void **state)
{
	char *buf, *msg;
	size_t len;
	int ret;

	(void)state;
	CAPTURE(msg, ret = file_read("/nonexistent/x.tsv", 100, &buf, &len));
	assert_int_equal(ret, -1);
	assert_null(buf);
	assert_non_null(strstr(msg, "cannot open '/nonexistent/x.tsv': No such file or directory"));
	free(msg);
	CAPTURE(msg, ret = file_read("/tmp", 100, &buf, &len));
	assert_int_equal(ret, -1);
	assert_null(buf);
	assert_non_null(strstr(msg, "'/tmp' is a directory, not a file"));
	free(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file__whole_and_terminated),
		cmocka_unit_test(test_file__empty),
		cmocka_unit_test(test_file__larger_than_cap),
		cmocka_unit_test(test_file__cannot_open_or_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
