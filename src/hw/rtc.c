// SPDX-License-Identifier: MIT
/*
 * MC146818 CMOS RTC at 0x70/0x71, IRQ 8.
 *
 * The time is the VM clock plus an offset, so it runs with the host under
 * kvm and moves only when told under qtest.  The time registers are not
 * stored while the clock updates: a read formats the time of that moment.
 * While updates are halted (register B's SET, or the divider chain held in
 * reset) the registers are the time, and the guest may rewrite them; when
 * updates resume, the time is loaded back from them.
 *
 * The interrupt flags of register C are brought up to date lazily, from the
 * span of RTC time since they last were: on every access, and from a timer
 * armed only when an enabled interrupt is still to come.
 */
#include "hw/rtc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "device.h"
#include "memory.h"
#include "util/log.h"
#include "vm.h"

#define NS_PER_SEC 1000000000LL
#define SECS_PER_DAY 86400LL
#define RTC_HZ 32768

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
	return a - floor_div(a, b) * b;
}

/*
 * The RTC's rel time now.  The VM clock may stand at its very end (a qtest
 * client can set it to INT64_MAX): the sum saturates there and time stops,
 * rather than overflow.
 */
static int64_t rel_ns(const struct rtc *r)
{
	__int128 rel = (__int128)vm_clock_ns() + r->offset_ns;

	return rel > INT64_MAX ? INT64_MAX : (int64_t)rel;
}

int64_t rtc_seconds(const struct rtc *r)
{
	return r->base_sec + floor_div(rel_ns(r), NS_PER_SEC);
}

int64_t rtc_subsecond_ns(const struct rtc *r)
{
	return floor_mod(rel_ns(r), NS_PER_SEC);
}

static bool chain_running(const struct rtc *r)
{
	return (r->cmos[RTC_REG_A] & 0x60) != 0x60;
}

/* Whether the time registers follow the clock. */
static bool updating(const struct rtc *r)
{
	return chain_running(r) && !(r->cmos[RTC_REG_B] & RTC_B_SET);
}

/* ---- register formats ---- */

static uint8_t to_reg(const struct rtc *r, unsigned int v)
{
	if (r->cmos[RTC_REG_B] & RTC_B_DM_BINARY)
		return v;
	return ((v / 10) << 4) | (v % 10);
}

static unsigned int from_reg(const struct rtc *r, uint8_t v)
{
	if (r->cmos[RTC_REG_B] & RTC_B_DM_BINARY)
		return v;
	return (v >> 4) * 10 + (v & 0x0f);
}

static uint8_t hour_to_reg(const struct rtc *r, unsigned int h)
{
	unsigned int h12 = h % 12 ? h % 12 : 12;

	if (r->cmos[RTC_REG_B] & RTC_B_24H)
		return to_reg(r, h);
	return to_reg(r, h12) | (h >= 12 ? 0x80 : 0);
}

static unsigned int hour_from_reg(const struct rtc *r, uint8_t v)
{
	if (r->cmos[RTC_REG_B] & RTC_B_24H)
		return from_reg(r, v);
	return from_reg(r, v & 0x7f) % 12 + ((v & 0x80) ? 12 : 0);
}

/* Format the time of second `secs` into the time registers. */
static void store_time(struct rtc *r, int64_t secs)
{
	time_t t = secs;
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		return;
	r->cmos[RTC_SECONDS] = to_reg(r, tm.tm_sec);
	r->cmos[RTC_MINUTES] = to_reg(r, tm.tm_min);
	r->cmos[RTC_HOURS] = hour_to_reg(r, tm.tm_hour);
	r->cmos[RTC_DAY_OF_WEEK] = to_reg(r, tm.tm_wday + 1);
	r->cmos[RTC_DAY_OF_MONTH] = to_reg(r, tm.tm_mday);
	r->cmos[RTC_MONTH] = to_reg(r, tm.tm_mon + 1);
	r->cmos[RTC_YEAR] = to_reg(r, (tm.tm_year + 1900) % 100);
	r->cmos[RTC_CENTURY] = to_reg(r, (tm.tm_year + 1900) / 100);
}

/* The second the time registers hold (any garbage normalizes). */
static int64_t load_time(const struct rtc *r)
{
	struct tm tm = {
		.tm_sec = from_reg(r, r->cmos[RTC_SECONDS]),
		.tm_min = from_reg(r, r->cmos[RTC_MINUTES]),
		.tm_hour = hour_from_reg(r, r->cmos[RTC_HOURS]),
		.tm_mday = from_reg(r, r->cmos[RTC_DAY_OF_MONTH]),
		.tm_mon = (int)from_reg(r, r->cmos[RTC_MONTH]) - 1,
		.tm_year = (int)from_reg(r, r->cmos[RTC_CENTURY]) * 100 +
			   (int)from_reg(r, r->cmos[RTC_YEAR]) - 1900,
	};

	return timegm(&tm);
}

static bool is_time_reg(unsigned int reg)
{
	return reg <= RTC_YEAR ? !(reg & 1) || reg == RTC_DAY_OF_WEEK ||
				 reg == RTC_DAY_OF_MONTH || reg == RTC_YEAR
			       : reg == RTC_CENTURY;
}

/* ---- interrupts ---- */

/* The periodic rate in 32.768 kHz ticks, or 0 when off. */
static int64_t period_ticks(const struct rtc *r)
{
	unsigned int rs = r->cmos[RTC_REG_A] & RTC_A_RS;

	if (!rs)
		return 0;
	if (rs <= 2)
		rs += 7;
	return 1LL << (rs - 1);
}

/* The 32.768 kHz tick a rel time falls in. */
static int64_t ns_to_ticks(int64_t ns)
{
	__int128 t = (__int128)ns * RTC_HZ;
	__int128 q = t / NS_PER_SEC;

	if (t % NS_PER_SEC && t < 0)
		q--;
	return (int64_t)q;
}

/* The first rel ns at or after tick (past INT64_MAX near the clock's end). */
static __int128 ticks_to_ns(int64_t tick)
{
	__int128 t = (__int128)tick * NS_PER_SEC;
	__int128 q = t / RTC_HZ;

	if (t % RTC_HZ && t > 0)
		q++;
	return q;
}

static bool alarm_field(uint8_t alarm, uint8_t now)
{
	return (alarm & 0xc0) == 0xc0 || alarm == now;
}

static bool alarm_matches(const struct rtc *r, int64_t secs)
{
	int64_t d = floor_mod(secs, SECS_PER_DAY);

	return alarm_field(r->cmos[RTC_SECONDS_ALARM], to_reg(r, d % 60)) &&
	       alarm_field(r->cmos[RTC_MINUTES_ALARM], to_reg(r, d / 60 % 60)) &&
	       alarm_field(r->cmos[RTC_HOURS_ALARM], hour_to_reg(r, d / 3600));
}

/* Whether the alarm matches any second in (from, to]. */
static bool alarm_in(const struct rtc *r, int64_t from, int64_t to)
{
	/* Every time of day comes within a day. */
	if (to - from > SECS_PER_DAY)
		to = from + SECS_PER_DAY;
	for (int64_t s = from + 1; s <= to; s++)
		if (alarm_matches(r, s))
			return true;
	return false;
}

static void update_irq(struct rtc *r)
{
	uint8_t c = r->cmos[RTC_REG_C] & (RTC_C_PF | RTC_C_AF | RTC_C_UF);
	int level = !!(c & r->cmos[RTC_REG_B]);

	r->cmos[RTC_REG_C] = c | (level ? RTC_C_IRQF : 0);
	if (level != r->irq_level) {
		r->irq_level = level;
		r->set_irq(r->opaque, level);
	}
}

static void alarm_fired(struct rtc *r)
{
	r->cmos[RTC_REG_C] |= RTC_C_AF;
	/* As on a PC, an alarm with AIE set can wake the machine from S3. */
	if ((r->cmos[RTC_REG_B] & RTC_B_AIE) && r->alarm)
		r->alarm(r->opaque);
}

/* Raise the flags for what happened since they were last brought up. */
static void catch_up(struct rtc *r)
{
	int64_t now = rel_ns(r), last = r->checked_ns;
	int64_t p = period_ticks(r);

	r->checked_ns = now;
	if (now <= last)
		return;
	if (p && chain_running(r) &&
	    floor_div(ns_to_ticks(now), p) != floor_div(ns_to_ticks(last), p))
		r->cmos[RTC_REG_C] |= RTC_C_PF;
	if (updating(r)) {
		int64_t s_last = r->base_sec + floor_div(last, NS_PER_SEC);
		int64_t s_now = r->base_sec + floor_div(now, NS_PER_SEC);

		if (s_now > s_last) {
			r->cmos[RTC_REG_C] |= RTC_C_UF;
			if (alarm_in(r, s_last, s_now))
				alarm_fired(r);
		}
	}
	update_irq(r);
}

/* The rel time of the next interrupt the guest waits for; false if none. */
static bool next_event(const struct rtc *r, __int128 *when)
{
	uint8_t b = r->cmos[RTC_REG_B], c = r->cmos[RTC_REG_C];
	int64_t now = rel_ns(r), p = period_ticks(r);
	bool found = false;

	if ((b & RTC_B_PIE) && !(c & RTC_C_PF) && p && chain_running(r)) {
		*when = ticks_to_ns((floor_div(ns_to_ticks(now), p) + 1) * p);
		found = true;
	}
	if (updating(r) && (((b & RTC_B_UIE) && !(c & RTC_C_UF)) ||
			    ((b & RTC_B_AIE) && !(c & RTC_C_AF)))) {
		__int128 sec = ((__int128)floor_div(now, NS_PER_SEC) + 1) *
			       NS_PER_SEC;

		if (!found || sec < *when)
			*when = sec;
		found = true;
	}
	return found;
}

/*
 * Arm the timer for that interrupt.  Near the end of the VM clock it may
 * lie beyond it, or beyond where rel_ns() saturates: then nothing is armed
 * (a timer due at once that never raises a flag would re-arm forever).
 */
static void rearm(struct rtc *r)
{
	__int128 when = 0;

	if (!next_event(r, &when) || when > INT64_MAX ||
	    when - r->offset_ns > INT64_MAX) {
		timer_del(&r->timer);
		return;
	}
	when -= r->offset_ns;
	timer_mod(&r->timer, when < 0 ? 0 : (uint64_t)when);
}

static void rtc_timer_cb(void *opaque)
{
	struct rtc *r = opaque;

	catch_up(r);
	rearm(r);
}

/* ---- registers ---- */

/* Updates stop: the registers take the time of this moment. */
static void halt_updates(struct rtc *r)
{
	store_time(r, rtc_seconds(r));
}

/* Updates resume from the registers, `phase` ns into that second. */
static void resume_updates(struct rtc *r, int64_t phase)
{
	r->base_sec = load_time(r);
	r->offset_ns = phase - (int64_t)vm_clock_ns();
	r->checked_ns = phase;
}

static void write_reg_a(struct rtc *r, uint8_t val)
{
	bool was_running = chain_running(r), was_updating = updating(r);

	if (was_updating)
		halt_updates(r);
	r->cmos[RTC_REG_A] = val & ~RTC_A_UIP;
	if (was_running && !chain_running(r)) {
		/* Hold the divider: time stands at the start of its second. */
		resume_updates(r, 0);
	} else if (!was_running && chain_running(r)) {
		/* Released, the first update comes half a second later. */
		resume_updates(r, NS_PER_SEC / 2);
	} else if (was_updating) {
		resume_updates(r, rtc_subsecond_ns(r));
	}
}

static void write_reg_b(struct rtc *r, uint8_t val)
{
	bool was_updating = updating(r);

	/* Setting SET also ends update-ended interrupts. */
	if (val & RTC_B_SET) {
		val &= ~RTC_B_UIE;
		if (was_updating)
			halt_updates(r);
	}
	r->cmos[RTC_REG_B] = val;
	if (!was_updating && updating(r))
		resume_updates(r, rtc_subsecond_ns(r));
	update_irq(r);
}

static void write_time_reg(struct rtc *r, unsigned int reg, uint8_t val)
{
	if (!updating(r)) {
		r->cmos[reg] = val;
		return;
	}
	/* Running: change one field of the current time, keep the phase. */
	halt_updates(r);
	r->cmos[reg] = val;
	resume_updates(r, rtc_subsecond_ns(r));
}

uint8_t rtc_cmos_read(struct rtc *r, unsigned int reg)
{
	uint8_t v;

	reg &= RTC_CMOS_SIZE - 1;
	if (is_time_reg(reg)) {
		if (updating(r))
			store_time(r, rtc_seconds(r));
		return r->cmos[reg];
	}
	switch (reg) {
	case RTC_REG_A:
		v = r->cmos[RTC_REG_A];
		if (updating(r) &&
		    rtc_subsecond_ns(r) >= NS_PER_SEC - RTC_UIP_NS)
			v |= RTC_A_UIP;
		return v;
	case RTC_REG_C:
		catch_up(r);
		v = r->cmos[RTC_REG_C];
		r->cmos[RTC_REG_C] = 0;
		update_irq(r);
		rearm(r);
		return v;
	case RTC_REG_D:
		return RTC_D_VRT;
	default:
		return r->cmos[reg];
	}
}

void rtc_cmos_write(struct rtc *r, unsigned int reg, uint8_t val)
{
	reg &= RTC_CMOS_SIZE - 1;
	/* Account for the past under the old settings first. */
	catch_up(r);
	if (is_time_reg(reg))
		write_time_reg(r, reg, val);
	else if (reg == RTC_REG_A)
		write_reg_a(r, val);
	else if (reg == RTC_REG_B)
		write_reg_b(r, val);
	else if (reg != RTC_REG_C && reg != RTC_REG_D)
		r->cmos[reg] = val;
	rearm(r);
}

uint8_t rtc_io_read(struct rtc *r, unsigned int port)
{
	if (port == 0)
		return 0xff;	/* the index port is write-only */
	return rtc_cmos_read(r, r->index);
}

void rtc_io_write(struct rtc *r, unsigned int port, uint8_t val)
{
	if (port == 0) {
		r->index = val & (RTC_CMOS_SIZE - 1);
		r->nmi_disabled = val & 0x80;
		return;
	}
	rtc_cmos_write(r, r->index, val);
}

void rtc_set_memory(struct rtc *r, uint64_t below_4g, uint64_t above_4g,
		    unsigned int ncpus)
{
	uint64_t ext_kib = below_4g > (1 << 20) ? (below_4g >> 10) - 1024 : 0;
	uint64_t above_16m = below_4g > (16 << 20) ?
				     (below_4g - (16 << 20)) >> 16 : 0;
	uint64_t high = above_4g >> 16;

	if (ext_kib > 0xffff)
		ext_kib = 0xffff;
	if (above_16m > 0xffff)
		above_16m = 0xffff;
	if (high > 0xffffff)
		high = 0xffffff;
	r->cmos[0x15] = 640 & 0xff;	/* base memory, KiB */
	r->cmos[0x16] = 640 >> 8;
	r->cmos[0x17] = r->cmos[0x30] = ext_kib & 0xff;
	r->cmos[0x18] = r->cmos[0x31] = ext_kib >> 8;
	r->cmos[0x34] = above_16m & 0xff;
	r->cmos[0x35] = above_16m >> 8;
	r->cmos[0x5b] = high & 0xff;
	r->cmos[0x5c] = (high >> 8) & 0xff;
	r->cmos[0x5d] = high >> 16;
	r->cmos[0x5f] = ncpus ? ncpus - 1 : 0;
}

void rtc_init(struct rtc *r, int64_t wall_ns)
{
	memset(r->cmos, 0, sizeof(r->cmos));
	r->index = 0;
	r->nmi_disabled = false;
	r->irq_level = 0;
	r->cmos[RTC_REG_A] = 0x26;		/* 32.768 kHz, 1024 Hz rate */
	r->cmos[RTC_REG_B] = RTC_B_24H;		/* BCD, 24 h, no interrupts */
	r->cmos[RTC_REG_D] = RTC_D_VRT;
	r->cmos[0x14] = 0x02;			/* equipment: an FPU */
	r->base_sec = floor_div(wall_ns, NS_PER_SEC);
	r->checked_ns = floor_mod(wall_ns, NS_PER_SEC);
	r->offset_ns = r->checked_ns - (int64_t)vm_clock_ns();
	timer_init(&r->timer, rtc_timer_cb, r);
	store_time(r, r->base_sec);
}

void rtc_init_after_reset(struct rtc *r, const struct rtc *old)
{
	memcpy(r->cmos, old->cmos, sizeof(r->cmos));
	r->index = 0;
	r->nmi_disabled = false;
	r->irq_level = 0;
	r->base_sec = old->base_sec;
	r->offset_ns = old->offset_ns;
	timer_init(&r->timer, rtc_timer_cb, r);
	/* Flags for the time in between are cleared anyway. */
	r->checked_ns = rel_ns(r);
	r->cmos[RTC_REG_B] &= ~(RTC_B_PIE | RTC_B_AIE | RTC_B_UIE | RTC_B_SQWE);
	r->cmos[RTC_REG_C] = 0;
	rearm(r);
}

void rtc_fini(struct rtc *r)
{
	timer_del(&r->timer);
}

/* ---- the ISA device ---- */

static struct rtc *the_rtc;
static bool rtc_registered;
/*
 * The chip as the last VM left it: a reset rebuilds the machine, and the
 * RTC, battery-backed, keeps its time and CMOS through it (as in QEMU).
 */
static struct rtc rtc_kept;
static bool rtc_kept_valid;

static void rtc_set_irq(void *opaque, int level)
{
	vm_set_irq(opaque, RTC_IRQ, level);
}

static void rtc_alarm(void *opaque)
{
	vm_request_wakeup(opaque, VM_WAKE_RTC);
}

/* outw to 0x70 reaches the index and then the data, a byte each. */
static void rtc_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		   bool is_write)
{
	struct rtc *r = opaque;

	for (uint32_t i = 0; i < len; i++) {
		if (offset + i >= 2)
			data[i] = 0xff;
		else if (is_write)
			rtc_io_write(r, offset + i, data[i]);
		else
			data[i] = rtc_io_read(r, offset + i);
	}
}

static void rtc_teardown(struct vm *vm)
{
	if (!the_rtc)
		return;
	if (rtc_registered)
		bus_unregister(&pio_bus, RTC_IO_BASE);
	rtc_registered = false;
	rtc_fini(the_rtc);
	rtc_kept = *the_rtc;
	rtc_kept_valid = true;
	free(the_rtc);
	the_rtc = NULL;
}

/* Where -rtc base= starts the clock, in ns since 1970 as the RTC shows it. */
static int64_t rtc_start_ns(const struct vm_config *cfg)
{
	struct timespec ts;
	struct tm tm;

	if (cfg->rtc_base == RTC_BASE_DATE)
		return cfg->rtc_start * NS_PER_SEC;
	clock_gettime(CLOCK_REALTIME, &ts);
	/* localtime: the host's zone offset folded into the RTC's time. */
	if (cfg->rtc_base == RTC_BASE_LOCALTIME &&
	    localtime_r(&ts.tv_sec, &tm))
		ts.tv_sec += tm.tm_gmtoff;
	return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

static int rtc_realize(struct vm *vm)
{
	uint64_t below = 0, above = 0;
	struct rtc *r;
	int ret;

	r = calloc(1, sizeof(*r));
	if (!r) {
		log_error("rtc: out of memory");
		return -ENOMEM;
	}
	r->set_irq = rtc_set_irq;
	r->alarm = rtc_alarm;
	r->opaque = vm;
	bus_lock();
	if (rtc_kept_valid)
		rtc_init_after_reset(r, &rtc_kept);
	else
		rtc_init(r, rtc_start_ns(vm->cfg));
	bus_unlock();
	for (unsigned int i = 0; i < vm->mem->nr_regions; i++) {
		const struct mem_region *m = &vm->mem->regions[i];

		if (m->gpa >= MEM_HIGH_BASE)
			above += m->size;
		else
			below += m->size;
	}
	rtc_set_memory(r, below, above, vm->ncpus);
	the_rtc = r;
	ret = bus_register(&pio_bus, RTC_IO_BASE, 2, rtc_io, r, "rtc");
	if (ret) {
		log_error("rtc: ports 0x70-0x71: %s", strerror(-ret));
		rtc_teardown(vm);
		return ret;
	}
	rtc_registered = true;
	return 0;
}

/* Not static: unit tests realize it directly. */
const struct device_ops rtc_device = {
	.name = "rtc",
	.order = DEVICE_ORDER_PLATFORM,
	.realize = rtc_realize,
	.teardown = rtc_teardown,
};

DEVICE_REGISTER(rtc_device);
