/* jobs.c -- slant run -j N: shards by id, a worker each, merged at the end (jobs.h). */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "slant/db.h"
#include "slant/db_views.h"
#include "slant/fused.h"
#include "slant/jobs.h"
#include "slant/rec.h"
#include "slant/usage.h"

/*
 * Each worker runs the rest of the chain, fused (forked from the driver,
 * with the filters already set up) or as programs (--pipe), into its own
 * shard database beside the output; the shards are merged into the output
 * with db_merge() at the end and removed. Fused workers get each record's
 * line in the whole stream before it, so even error rows carry the line a
 * single chain would give.
 */
struct jobs {
	int n;
	FILE **w;             /* to each worker */
	pid_t *pid;
	char **shard;
	bool numbered;        /* fused workers: "ORDINAL\t" before each record */
	unsigned long ordinal;
};

static unsigned long hash_id(const char *s)
{
	unsigned long long h = 14695981039346656037ULL; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return (unsigned long)(h ^ (h >> 32));
}

/* The source's output: each record to the worker its id hashes to. */
static int out_distribute(void *data, json_t *rec)
{
	struct jobs *j = data;
	const char *id = json_string_value(json_object_get(rec, "id"));
	int k;

	j->ordinal++;
	k = (int)((id ? hash_id(id) : j->ordinal) % (unsigned long)j->n);
	if ((j->numbered && fprintf(j->w[k], "%lu\t", j->ordinal) < 0) ||
	    rec_write(j->w[k], rec) < 0) {
		/* The worker stopped reading: its own status says why. */
		if (errno != EPIPE)
			error("cannot write to worker %d:", k + 1);
		return -1;
	}
	return 0;
}

static void remove_db_files(const char *path)
{
	char *p;

	unlink(path);
	p = xasprintf("%s-wal", path);
	unlink(p);
	free(p);
	p = xasprintf("%s-shm", path);
	unlink(p);
	free(p);
}

/* In worker 'k' (a child): the chain after the source into shard 'k', reading 'fd'. */
static int run_worker(struct chain *ch, struct fused *f, struct jobs *j, int k, int fd)
{
	char tag[32];
	FILE *in;
	int ret;

	if (ch->pipes) {
		struct chain sub = *ch;

		/* The programs read our pipe as their standard input. */
		if (dup2(fd, 0) < 0)
			die("cannot start worker %d:", k + 1);
		close(fd);
		sub.v = ch->v + 1;
		sub.n = ch->n - 1;
		sub.db = j->shard[k];
		sub.progress = false;
		sub.npaths = 0;
		return chain_run_pipes(&sub);
	}
	/* Fused, the worker is the sink's writer: a broken pipe is not ours to survive. */
	signal(SIGPIPE, SIG_DFL);
	snprintf(tag, sizeof(tag), "shard %d: ", k + 1);
	f->shard = tag;
	f->lo = 1;
	f->hi = ch->n;
	f->progress = false;
	if ((ret = fused_setup(f, ch->n - 1, ch->n, j->shard[k]))) {
		close(fd);
		return ret;
	}
	in = fdopen(fd, "r");
	if (!in)
		die("cannot start worker %d:", k + 1);
	ret = fused_run(f, in);
	fclose(in);
	return ret;
}

/* Whether every table of the database at 'path' is empty (a new output). */
static bool db_is_empty(const char *path)
{
	struct db db = DB_INIT;
	sqlite3_stmt *st;
	bool empty = false;

	if (db_open(&db, path, DB_BUSY_TIMEOUT_MS, 0) < 0)
		return false;
	if (sqlite3_prepare_v2(db.sql, "SELECT name FROM sqlite_master WHERE type = 'table'"
			       " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'", -1, &st, NULL) == SQLITE_OK) {
		int rc;

		empty = true;
		while (empty && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			char *q = sqlite3_mprintf("SELECT 1 FROM \"%w\" LIMIT 1",
						  (const char *)sqlite3_column_text(st, 0));
			sqlite3_stmt *one;

			if (!q)
				die("out of memory");
			if (sqlite3_prepare_v2(db.sql, q, -1, &one, NULL) != SQLITE_OK ||
			    sqlite3_step(one) != SQLITE_DONE)
				empty = false;
			sqlite3_finalize(one);
			sqlite3_free(q);
		}
		if (rc != SQLITE_DONE)
			empty = false;
		sqlite3_finalize(st);
	}
	db_close(&db);
	return empty;
}

/*
 * A new output need not be merged into: the first shard becomes it (the
 * same schema, written by the same store), which halves the merge of -j 2.
 * Returns the index of the shard adopted, or -1.
 */
static int adopt_shard(const char *dbpath, struct jobs *j)
{
	char *from, *to;
	int k;

	for (k = 0; k < j->n && access(j->shard[k], F_OK) < 0; k++)
		;
	if (k == j->n || !db_is_empty(dbpath))
		return -1;
	remove_db_files(dbpath);
	if (rename(j->shard[k], dbpath) < 0) {
		error("cannot rename '%s' to '%s':", j->shard[k], dbpath);
		return -1;
	}
	/* A WAL left by the shard's writer goes with it (its -shm is rebuilt). */
	from = xasprintf("%s-wal", j->shard[k]);
	to = xasprintf("%s-wal", dbpath);
	if (access(from, F_OK) == 0 && rename(from, to) < 0)
		error("cannot rename '%s' to '%s':", from, to);
	free(from);
	free(to);
	remove_db_files(j->shard[k]);
	return k;
}

/* Adopt or merge what the shards hold into 'dbpath', removing each merged. Returns 0 or 3. */
static int merge_shards(const char *dbpath, struct jobs *j)
{
	struct db db = DB_INIT;
	int k, ret = 0;

	k = adopt_shard(dbpath, j);
	if (db_open(&db, dbpath, DB_BUSY_TIMEOUT_MS, 0) < 0)
		return SLANT_EXIT_RUNTIME;
	for (k = k + 1; k < j->n; k++) {
		if (access(j->shard[k], F_OK) < 0)
			continue;
		if (db_merge(&db, j->shard[k], NULL) < 0) {
			error("shard %d left in '%s'", k + 1, j->shard[k]);
			ret = SLANT_EXIT_RUNTIME;
		} else {
			remove_db_files(j->shard[k]);
		}
	}
	db_close(&db);
	return ret;
}

/*
 * Shards a killed run left beside 'dbpath' (DBPATH.jPID-K, of a process
 * that is gone) hold whole articles, as any shard does: merge them into
 * 'db' before this run's, so this run's win, and remove them. Returns 0,
 * or 3 if one could not be merged (it is left, and named).
 */
static int merge_stale(struct db *db, const char *dbpath)
{
	const char *slash = strrchr(dbpath, '/');
	const char *base = slash ? slash + 1 : dbpath;
	char *dir = slash ? xstrndup(dbpath, (size_t)(slash - dbpath) + 1) : xstrdup("./");
	size_t blen = strlen(base);
	struct dirent **list;
	int n, i, ret = 0;

	n = scandir(dir, &list, NULL, alphasort);
	for (i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		long pid;
		int k, used = 0;
		char *path;

		if (strncmp(name, base, blen) || strncmp(name + blen, ".j", 2) ||
		    sscanf(name + blen + 2, "%ld-%d%n", &pid, &k, &used) != 2 ||
		    name[blen + 2 + used] || pid <= 0 ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH) {
			free(list[i]);
			continue;
		}
		path = xasprintf("%s%s", slash ? dir : "", name);
		warning("'%s': shard of an interrupted run (process %ld), merged", path, pid);
		if (db_merge(db, path, NULL) < 0) {
			error("shard left in '%s'", path);
			ret = SLANT_EXIT_RUNTIME;
		} else {
			remove_db_files(path);
		}
		free(path);
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	free(dir);
	return ret;
}

/* Wait for every worker; returns the worst of their statuses. */
static int reap_workers(struct jobs *j)
{
	int k, r, ret = 0;

	for (k = 0; k < j->n; k++) {
		int status;

		if (j->pid[k] <= 0)
			continue;
		while (waitpid(j->pid[k], &status, 0) < 0 && errno == EINTR)
			;
		if (WIFSIGNALED(status)) {
			error("worker %d was killed by signal %d (%s)", k + 1, WTERMSIG(status),
			      strsignal(WTERMSIG(status)));
			r = SLANT_EXIT_RUNTIME;
		} else {
			r = WEXITSTATUS(status);
		}
		if (r > ret)
			ret = r;
	}
	return ret;
}

int jobs_run(struct chain *ch, const char *dbpath)
{
	struct jobs j = { .n = ch->jobs, .numbered = !ch->pipes };
	struct fused f;
	struct db db = DB_INIT;
	int ret = 0, k, r, stale;

	/* Fail before any work if the output cannot be written. */
	if (db_open(&db, dbpath, DB_BUSY_TIMEOUT_MS, 0) < 0 || db_schema(&db, db_views_sql) < 0) {
		db_close(&db);
		return SLANT_EXIT_USAGE;
	}
	stale = merge_stale(&db, dbpath);
	db_close(&db);
	fused_init(&f, ch);
	f.hi = 1;
	f.out = out_distribute;
	f.out_data = &j;
	f.progress = ch->progress;
	/* Fused workers inherit the filters set up once here (lexicons loaded once). */
	if ((ret = fused_setup(&f, 0, ch->pipes ? 1 : ch->n - 1, NULL))) {
		fused_release(&f);
		return ret;
	}
	j.w = xcalloc((size_t)j.n, sizeof(*j.w));
	j.pid = xcalloc((size_t)j.n, sizeof(*j.pid));
	j.shard = xcalloc((size_t)j.n, sizeof(*j.shard));
	chain_guard(j.pid, (size_t)j.n);
	for (k = 0; k < j.n; k++) {
		int fd[2];

		j.shard[k] = xasprintf("%s.j%ld-%d", dbpath, (long)getpid(), k + 1);
		remove_db_files(j.shard[k]);
		if (chain_pipe(fd) < 0) {
			ret = SLANT_EXIT_RUNTIME;
			break;
		}
		j.pid[k] = chain_fork();
		if (j.pid[k] == 0) {
			int m;

			/* The other workers' pipes: held open here, they would never end. */
			for (m = 0; m < k; m++)
				fclose(j.w[m]);
			close(fd[1]);
			ret = run_worker(ch, &f, &j, k, fd[0]);
			goto out;
		}
		close(fd[0]);
		if (j.pid[k] < 0) {
			error("cannot start worker %d:", k + 1);
			close(fd[1]);
			ret = SLANT_EXIT_RUNTIME;
			break;
		}
		j.w[k] = fdopen(fd[1], "w");
		if (!j.w[k])
			die("cannot write to worker %d:", k + 1);
	}
	if (!ret)
		ret = fused_run(&f, NULL);
	for (k = 0; k < j.n; k++)
		if (j.w[k] && fclose(j.w[k]) && errno != EPIPE && !ret)
			ret = error("cannot write to worker %d:", k + 1) < 0 ? SLANT_EXIT_RUNTIME : 0;
	if ((r = reap_workers(&j)) > ret)
		ret = r;
	chain_unguard();
	/* What the shards hold is whole articles, whatever happened: keep it. */
	if ((r = merge_shards(dbpath, &j)) > ret)
		ret = r;
	if (stale > ret)
		ret = stale;
	if (ch->progress)
		chain_progress_end(&f.pg);
out:
	for (k = 0; j.shard && k < j.n; k++)
		free(j.shard[k]);
	free(j.shard);
	free(j.w);
	free(j.pid);
	fused_release(&f);
	return ret;
}
