// SPDX-License-Identifier: MIT
#include "util/timer.h"

#include <stdint.h>
#include <time.h>

#include "memory.h"
#include "util/event.h"

static struct timer *active;	/* sorted by expire_ns */
static bool clock_virtual;
static uint64_t virtual_now;

void timer_init(struct timer *t, void (*cb)(void *opaque), void *opaque)
{
	*t = (struct timer){ .cb = cb, .opaque = opaque };
}

static void unlink_timer(struct timer *t)
{
	struct timer **pp;

	for (pp = &active; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->next = NULL;
	t->armed = false;
}

void timer_mod(struct timer *t, uint64_t expire_ns)
{
	struct timer **pp;

	if (t->armed)
		unlink_timer(t);
	t->expire_ns = expire_ns;
	t->armed = true;
	for (pp = &active; *pp && (*pp)->expire_ns <= expire_ns; pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	/* A new earliest deadline must shorten the main loop's wait. */
	if (active == t && !clock_virtual)
		event_loop_kick();
}

void timer_del(struct timer *t)
{
	if (t->armed)
		unlink_timer(t);
}

uint64_t vm_clock_ns(void)
{
	struct timespec ts;

	if (clock_virtual)
		return virtual_now;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void vm_clock_use_virtual(void)
{
	clock_virtual = true;
	virtual_now = 0;
}

bool vm_clock_is_virtual(void)
{
	return clock_virtual;
}

uint64_t timers_next_deadline(void)
{
	return active ? active->expire_ns : UINT64_MAX;
}

/* Caller holds the bus lock. */
static void run_due_locked(uint64_t now)
{
	while (active && active->expire_ns <= now) {
		struct timer *t = active;

		unlink_timer(t);
		t->cb(t->opaque);
	}
}

/* Timers fire in deadline order, each seeing the clock at its deadline. */
void vm_clock_warp(uint64_t ns)
{
	bus_lock();
	while (active && active->expire_ns <= ns) {
		if (active->expire_ns > virtual_now)
			virtual_now = active->expire_ns;
		run_due_locked(virtual_now);
	}
	if (ns > virtual_now)
		virtual_now = ns;
	bus_unlock();
}

void timers_run_due(void)
{
	bus_lock();
	run_due_locked(vm_clock_ns());
	bus_unlock();
}
