/* SPDX-License-Identifier: MIT */
/*
 * Device timers on the VM clock.  Under kvm the clock is the host's
 * CLOCK_MONOTONIC; under qtest it is virtual and moves only when the test
 * says so (clock_step / clock_set), so every device timer is deterministic.
 *
 * Timer callbacks run on the main thread with the bus lock held; timer_mod
 * and timer_del need the bus lock too.
 */
#ifndef KVMRUN_UTIL_TIMER_H
#define KVMRUN_UTIL_TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct timer {
	uint64_t expire_ns;
	bool armed;
	void (*cb)(void *opaque);
	void *opaque;
	struct timer *next;
};

void timer_init(struct timer *t, void (*cb)(void *opaque), void *opaque);
/* Arm (or re-arm) to fire when the VM clock reaches expire_ns. */
void timer_mod(struct timer *t, uint64_t expire_ns);
void timer_del(struct timer *t);

/* The VM clock, in ns. */
uint64_t vm_clock_ns(void);
/* Switch to a virtual clock starting at 0 (qtest). */
void vm_clock_use_virtual(void);
bool vm_clock_is_virtual(void);
/* Virtual clock only: advance to ns, running due timers in order. */
void vm_clock_warp(uint64_t ns);
/* The earliest deadline, or UINT64_MAX. */
uint64_t timers_next_deadline(void);
/* Run the timers due at the current clock (takes the bus lock). */
void timers_run_due(void);
/* The virtual clock's next deadline after now (for clock_step without NS). */

#endif
