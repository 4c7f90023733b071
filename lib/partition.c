/* partition.c -- the stream into one file per outlet (partition.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slant/partition.h"
#include "slant/rec.h"
#include "slant/usage.h"

enum { PART_OPEN = 64, PART_KEY = 80 };

int partition_open(struct partition *pt, const char *dir)
{
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return error("cannot create directory '%s':", dir);
	pt->dir = dir;
	return 0;
}

/* A file name from an outlet's name: ASCII letters and digits lower-cased, runs of others '-'. */
static void part_key(const json_t *rec, char key[PART_KEY + 1])
{
	const json_t *outlet = json_object_get(rec, "outlet");
	const char *name = json_string_value(json_object_get(json_object_get(rec, "publisher"), "name"));
	size_t n = 0;
	const unsigned char *p;

	if (rec_is_error(rec)) {
		strcpy(key, "_errors");
		return;
	}
	if (!name || !*name)
		name = json_is_string(outlet) ? json_string_value(outlet)
					      : json_string_value(json_object_get(outlet, "name"));
	if (!name || !*name)
		name = json_string_value(json_object_get(outlet, "domain"));
	for (p = (const unsigned char *)(name ? name : ""); *p && n < PART_KEY; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p >= 0x80 || *p == '.')
			key[n++] = (char)*p;
		else if (*p >= 'A' && *p <= 'Z')
			key[n++] = (char)(*p - 'A' + 'a');
		else if (n && key[n - 1] != '-')
			key[n++] = '-';
	}
	/*
	 * Cut inside a character (the next byte continues it): drop the bytes
	 * of it taken. Names are valid UTF-8, as every string of a record.
	 */
	if ((*p & 0xc0) == 0x80) {
		while (n && ((unsigned char)key[n - 1] & 0xc0) == 0x80)
			n--;
		if (n)
			n--;
	}
	/* No trailing '-', no leading '.' (hidden, or "..") */
	while (n && key[n - 1] == '-')
		n--;
	key[n] = '\0';
	if (!n || key[0] == '.')
		strcpy(key, "_unknown");
}

/* Close the least recently used file, to stay within PART_OPEN. */
static void close_lru(struct partition *pt)
{
	struct part_file *lru = NULL;
	size_t i;

	for (i = 0; i < pt->n; i++)
		if (pt->v[i].fp && (!lru || pt->v[i].used < lru->used))
			lru = &pt->v[i];
	if (fclose(lru->fp))
		die("write error on '%s/%s.jsonl':", pt->dir, lru->key);
	lru->fp = NULL;
	pt->nopen--;
}

/*
 * New in this run: a new file, in place of whatever had the name, so a
 * symbolic or hard link left in the directory is replaced, never written
 * through; seen before: append to the file made, not following a link.
 */
static FILE *open_part(const char *path, bool seen)
{
	int fd;
	FILE *fp;

	if (!seen && unlink(path) < 0 && errno != ENOENT)
		die("cannot replace '%s':", path);
	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (seen ? O_APPEND : O_EXCL),
		  0666);
	if (fd < 0 || !(fp = fdopen(fd, "a")))
		die("cannot write '%s':", path);
	return fp;
}

int partition_write(void *data, json_t *rec)
{
	struct partition *pt = data;
	struct part_file *pf = NULL;
	char key[PART_KEY + 1];
	size_t i;

	part_key(rec, key);
	for (i = 0; i < pt->n && !pf; i++)
		if (!strcmp(pt->v[i].key, key))
			pf = &pt->v[i];
	if (!pf) {
		xgrow(&pt->v, &pt->cap, pt->n + 1, sizeof(*pt->v));
		pf = &pt->v[pt->n++];
		memset(pf, 0, sizeof(*pf));
		pf->key = xstrdup(key);
	}
	if (!pf->fp) {
		char *path = xasprintf("%s/%s.jsonl", pt->dir, key);

		if (pt->nopen >= PART_OPEN)
			close_lru(pt);
		pf->fp = open_part(path, pf->used);
		free(path);
		pt->nopen++;
	}
	pf->used = ++pt->tick;
	if (rec_write(pf->fp, rec) < 0)
		die("write error on '%s/%s.jsonl':", pt->dir, key);
	return 0;
}

int partition_close(struct partition *pt)
{
	int ret = 0;
	size_t i;

	for (i = 0; i < pt->n; i++) {
		if (pt->v[i].fp && fclose(pt->v[i].fp))
			ret = error("write error on '%s/%s.jsonl':", pt->dir, pt->v[i].key);
		free(pt->v[i].key);
	}
	free(pt->v);
	pt->v = NULL;
	pt->n = pt->cap = 0;
	return ret;
}
