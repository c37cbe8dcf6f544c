// SPDX-License-Identifier: MIT
#include "util/event.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "util/timer.h"

#define MAX_WATCHES 64

struct watch {
	int fd;
	event_fn fn;
	void *opaque;
};

static int epfd = -1;
static int kick_fd = -1;
static struct watch watches[MAX_WATCHES];

static struct watch *watch_of(int fd)
{
	for (unsigned int i = 0; i < MAX_WATCHES; i++)
		if (watches[i].fn && watches[i].fd == fd)
			return &watches[i];
	return NULL;
}

static void drain_kick(void *opaque, uint32_t events)
{
	uint64_t v;

	if (read(kick_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return;
}

int event_loop_init(void)
{
	int ret;

	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		return -errno;
	kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (kick_fd < 0) {
		ret = -errno;
		goto err_epoll;
	}
	ret = event_add(kick_fd, EPOLLIN, drain_kick, NULL);
	if (ret)
		goto err_kick;
	return 0;
err_kick:
	close(kick_fd);
	kick_fd = -1;
err_epoll:
	close(epfd);
	epfd = -1;
	return ret;
}

void event_loop_fini(void)
{
	for (unsigned int i = 0; i < MAX_WATCHES; i++)
		watches[i].fn = NULL;
	if (kick_fd >= 0)
		close(kick_fd);
	if (epfd >= 0)
		close(epfd);
	kick_fd = epfd = -1;
}

int event_add(int fd, uint32_t events, event_fn fn, void *opaque)
{
	struct epoll_event ev = { .events = events };
	struct watch *w = NULL;

	for (unsigned int i = 0; i < MAX_WATCHES && !w; i++)
		if (!watches[i].fn)
			w = &watches[i];
	if (!w)
		return -ENOSPC;
	ev.data.ptr = w;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	*w = (struct watch){ .fd = fd, .fn = fn, .opaque = opaque };
	return 0;
}

int event_mod(int fd, uint32_t events)
{
	struct watch *w = watch_of(fd);
	struct epoll_event ev = { .events = events, .data.ptr = w };

	if (!w)
		return -ENOENT;
	return epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) < 0 ? -errno : 0;
}

void event_del(int fd)
{
	struct watch *w = watch_of(fd);

	if (!w)
		return;
	epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
	w->fn = NULL;
}

void event_loop_kick(void)
{
	uint64_t one = 1;

	if (kick_fd >= 0 && write(kick_fd, &one, sizeof(one)) < 0)
		return;
}

static int wait_ms(int timeout_ms)
{
	uint64_t deadline = timers_next_deadline();
	uint64_t now, ms;

	if (deadline == UINT64_MAX || vm_clock_is_virtual())
		return timeout_ms;
	now = vm_clock_ns();
	ms = deadline > now ? (deadline - now + 999999) / 1000000 : 0;
	if (timeout_ms < 0 || ms < (uint64_t)timeout_ms)
		return ms > INT32_MAX ? INT32_MAX : (int)ms;
	return timeout_ms;
}

int event_loop_run_once(int timeout_ms)
{
	struct epoll_event evs[16];
	int n;

	n = epoll_wait(epfd, evs, 16, wait_ms(timeout_ms));
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		struct watch *w = evs[i].data.ptr;

		/* A callback may have removed a later watch. */
		if (w->fn)
			w->fn(w->opaque, evs[i].events);
	}
	if (!vm_clock_is_virtual())
		timers_run_due();
	return n;
}
