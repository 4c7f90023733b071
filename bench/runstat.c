/*
 * runstat.c -- run a command and measure it, for bench/bench.sh.
 *
 *   runstat [--in FILE] [--out FILE] -- CMD [ARG...]
 *
 * Standard input is FILE (default /dev/null), standard output --out (default
 * /dev/null). Prints one line on file descriptor 3 (standard error if it is
 * not open):
 *   wall user sys maxrss_kib quarter_kib rc
 * wall is wall-clock seconds; user and sys the CPU seconds of CMD and every
 * process it waited for; maxrss_kib the peak RSS of the largest of them
 * (wait4's ru_maxrss); quarter_kib CMD's own peak RSS (VmHWM) when it had
 * read a quarter of --in, polled in /proc ("-" if unknown): equal to
 * maxrss_kib when memory does not grow with the input; rc the exit status,
 * 128+N for signal N.
 *
 * In C rather than Python: Linux carries a process's peak RSS across
 * exec, so a child forked from a 10 MB Python would report at least 10 MB.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long proc_field(pid_t pid, const char *file, const char *key)
{
	char path[64], line[256];
	size_t n = strlen(key);
	long long v = -1;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fp = fopen(path, "r");
	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp))
		if (!strncmp(line, key, n)) {
			v = strtoll(line + n, NULL, 10);
			break;
		}
	fclose(fp);
	return v;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *in = "/dev/null", *out = "/dev/null";
	struct rusage ru;
	struct stat sb;
	long long size = 0, quarter = -1;
	double start, wall;
	int i = 1, status, rc;
	FILE *rep;
	pid_t pid;

	for (; i < argc && strcmp(argv[i], "--"); i += 2) {
		if (i + 1 >= argc)
			break;
		if (!strcmp(argv[i], "--in"))
			in = argv[i + 1];
		else if (!strcmp(argv[i], "--out"))
			out = argv[i + 1];
		else
			break;
	}
	if (i + 1 >= argc || strcmp(argv[i], "--")) {
		fprintf(stderr, "usage: runstat [--in FILE] [--out FILE] -- CMD [ARG...]\n");
		return 2;
	}
	if (!stat(in, &sb) && S_ISREG(sb.st_mode))
		size = (long long)sb.st_size;
	start = now();
	pid = fork();
	if (pid < 0) {
		perror("runstat: fork");
		return 3;
	}
	if (pid == 0) {
		int fi = open(in, O_RDONLY), fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fi < 0 || fo < 0 || dup2(fi, 0) < 0 || dup2(fo, 1) < 0) {
			fprintf(stderr, "runstat: cannot open '%s' or '%s': %s\n", in, out, strerror(errno));
			_exit(127);
		}
		close(fi);
		close(fo);
		close(3);
		execvp(argv[i + 1], argv + i + 1);
		fprintf(stderr, "runstat: cannot run '%s': %s\n", argv[i + 1], strerror(errno));
		_exit(127);
	}
	for (;;) {
		pid_t w = wait4(pid, &status, WNOHANG, &ru);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			perror("runstat: wait4");
			return 3;
		}
		if (quarter < 0 && size) {
			char path[64], line[128];
			FILE *fp;

			snprintf(path, sizeof(path), "/proc/%d/fdinfo/0", (int)pid);
			if ((fp = fopen(path, "r"))) {
				if (fgets(line, sizeof(line), fp) && !strncmp(line, "pos:", 4) &&
				    strtoll(line + 4, NULL, 10) >= size / 4)
					quarter = proc_field(pid, "status", "VmHWM:");
				fclose(fp);
			}
		}
		usleep(5000);
	}
	wall = now() - start;
	rc = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
	rep = fdopen(3, "w");
	if (!rep)
		rep = stderr;
	fprintf(rep, "%.3f %.3f %.3f %ld ", wall,
		(double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
		(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss);
	if (quarter >= 0)
		fprintf(rep, "%lld %d\n", quarter, rc);
	else
		fprintf(rep, "- %d\n", rc);
	return fclose(rep) ? 3 : 0;
}
