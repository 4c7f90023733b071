/* file.c -- read a whole file into memory, with a size cap. */
#include <stdio.h>
#include <stdlib.h>

#include <sys/stat.h>

#include "slant/file.h"
#include "slant/usage.h"

#define CHUNK 65536

int file_read_stream(FILE *fp, const char *name, size_t max, char **buf, size_t *len)
{
	char *b = NULL;
	size_t n = 0, cap = 0, r;

	*buf = NULL;
	*len = 0;
	/* Read one byte past 'max' at most, so an endless file (/dev/zero) ends. */
	do {
		size_t want = CHUNK;

		if (max - n < want)
			want = max - n + 1;
		xgrow(&b, &cap, n + want + 1, 1);
		r = fread(b + n, 1, want, fp);
		n += r;
	} while (r > 0 && n <= max);
	if (ferror(fp)) {
		free(b);
		return error("cannot read '%s':", name);
	}
	if (n > max) {
		free(b);
		return error("'%s' is larger than %zu bytes", name, max);
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int file_read(const char *path, size_t max, char **buf, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;
	int ret;

	*buf = NULL;
	*len = 0;
	if (!fp)
		return error("cannot open '%s':", path);
	/* Linux opens a directory for reading; only read() fails, with a less plain EISDIR. */
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(fp);
		return error("'%s' is a directory, not a file", path);
	}
	ret = file_read_stream(fp, path, max, buf, len);
	fclose(fp);
	return ret;
}
