// SPDX-License-Identifier: MIT
/*
 * Runs one command for bench/run.py and reports its times and peak RSS.
 *
 * Why not from Python directly: a process's ru_maxrss starts from the high
 * water mark of the process that forked it (exec keeps the larger of the
 * two), so anything Python forks reports at least Python's own ~15 MiB, far
 * above kvmrun's real peak.  This program is linked statically and touches
 * little, so the floor it leaves is a few hundred KiB.  It also takes the
 * times right around fork and wait, without the interpreter's overhead.
 *
 * usage: spawn FD COMMAND [ARG...]
 * When COMMAND ends, writes one line to the inherited descriptor FD:
 *   start_ns=T0 end_ns=T1 status=S maxrss_kib=K cpu_ns=C
 * (CLOCK_MONOTONIC around fork and wait4; S as from waitpid; C = user +
 * system time), and exits as COMMAND did (128 + signal if it was killed).
 * FD is closed in COMMAND.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long tv_ns(struct timeval tv)
{
	return tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL;
}

int main(int argc, char **argv)
{
	long long start, end;
	struct rusage ru;
	int fd, status;
	char *end_fd;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: spawn FD COMMAND [ARG...]\n");
		return 127;
	}
	fd = strtol(argv[1], &end_fd, 10);
	if (*end_fd || fd < 3 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		fprintf(stderr, "spawn: %s: not an open descriptor above 2\n", argv[1]);
		return 127;
	}
	start = now_ns();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "spawn: fork: %s\n", strerror(errno));
		return 127;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "spawn: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "spawn: wait4: %s\n", strerror(errno));
			return 127;
		}
	}
	end = now_ns();
	dprintf(fd, "start_ns=%lld end_ns=%lld status=%d maxrss_kib=%ld cpu_ns=%lld\n",
		start, end, status, ru.ru_maxrss,
		tv_ns(ru.ru_utime) + tv_ns(ru.ru_stime));
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
