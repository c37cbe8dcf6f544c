/* SPDX-License-Identifier: MIT */
/*
 * The main thread's event loop: epoll over file descriptors (console, qtest
 * socket, signalfd, back ends) and the device timers of util/timer.h.
 */
#ifndef KVMRUN_UTIL_EVENT_H
#define KVMRUN_UTIL_EVENT_H

#include <stdint.h>
#include <sys/epoll.h>

typedef void (*event_fn)(void *opaque, uint32_t events);

int event_loop_init(void);
void event_loop_fini(void);
/* events: EPOLLIN etc.  -errno on failure. */
int event_add(int fd, uint32_t events, event_fn fn, void *opaque);
int event_mod(int fd, uint32_t events);
void event_del(int fd);
/*
 * Wait for events or the next timer (at most timeout_ms; -1 for no limit),
 * dispatch them, run due timers.  Returns the number dispatched or -errno.
 */
int event_loop_run_once(int timeout_ms);
/* Interrupt a wait from another thread (e.g. after timer_mod). */
void event_loop_kick(void);

#endif
