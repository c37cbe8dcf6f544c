/* SPDX-License-Identifier: MIT */
/*
 * The MC146818 CMOS RTC's model, free of any VM: time, alarm, periodic and
 * update-ended interrupts on the VM clock (util/timer.h), so that under the
 * qtest accelerator the test drives it.  rtc.c wires it to ports 0x70/0x71
 * and IRQ 8.  Calls need the bus lock (or a single thread).
 */
#ifndef KVMRUN_HW_RTC_H
#define KVMRUN_HW_RTC_H

#include <stdbool.h>
#include <stdint.h>

#include "util/timer.h"

#define RTC_IO_BASE 0x70
#define RTC_IRQ 8
#define RTC_CMOS_SIZE 128

/* CMOS registers. */
#define RTC_SECONDS 0x00
#define RTC_SECONDS_ALARM 0x01
#define RTC_MINUTES 0x02
#define RTC_MINUTES_ALARM 0x03
#define RTC_HOURS 0x04
#define RTC_HOURS_ALARM 0x05
#define RTC_DAY_OF_WEEK 0x06
#define RTC_DAY_OF_MONTH 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_REG_A 0x0A
#define RTC_REG_B 0x0B
#define RTC_REG_C 0x0C
#define RTC_REG_D 0x0D
#define RTC_CENTURY 0x32	/* the FADT's CENTURY field names it */

#define RTC_A_UIP 0x80
#define RTC_A_DV 0x70		/* 0x20: 32.768 kHz, running; 0x60/0x70: reset */
#define RTC_A_RS 0x0F

#define RTC_B_SET 0x80
#define RTC_B_PIE 0x40
#define RTC_B_AIE 0x20
#define RTC_B_UIE 0x10
#define RTC_B_SQWE 0x08
#define RTC_B_DM_BINARY 0x04
#define RTC_B_24H 0x02
#define RTC_B_DSE 0x01

#define RTC_C_IRQF 0x80
#define RTC_C_PF 0x40
#define RTC_C_AF 0x20
#define RTC_C_UF 0x10

#define RTC_D_VRT 0x80

/* How long UIP is set before each update: 8 cycles of 32.768 kHz. */
#define RTC_UIP_NS 244141

struct rtc {
	uint8_t cmos[RTC_CMOS_SIZE];
	uint8_t index;
	bool nmi_disabled;	/* bit 7 of the index port; kept, not used */
	/*
	 * The RTC's time is base_sec (seconds since 1970, in whatever zone the
	 * guest keeps) plus rel ns, rel = VM clock + offset_ns: second
	 * boundaries fall where rel is a whole number of seconds.
	 */
	int64_t base_sec;
	int64_t offset_ns;
	int64_t checked_ns;	/* rel up to which the flags are current */
	int irq_level;
	struct timer timer;

	void (*set_irq)(void *opaque, int level);
	/* The alarm went off with its interrupt enabled (a wake event); optional. */
	void (*alarm)(void *opaque);
	void *opaque;
};

/* Power-on state with the RTC reading wall_ns (ns since 1970) now. */
void rtc_init(struct rtc *r, int64_t wall_ns);
/*
 * r as the RTC old was, after a machine reset: time and CMOS kept (a
 * battery-backed chip does not notice), interrupt enables and flags cleared
 * as QEMU's reset does.  old must have been rtc_fini()ed.
 */
void rtc_init_after_reset(struct rtc *r, const struct rtc *old);
void rtc_fini(struct rtc *r);
/* Port access: port 0 is the index (bit 7 disables NMI), port 1 the data. */
uint8_t rtc_io_read(struct rtc *r, unsigned int port);
void rtc_io_write(struct rtc *r, unsigned int port, uint8_t val);
uint8_t rtc_cmos_read(struct rtc *r, unsigned int reg);
void rtc_cmos_write(struct rtc *r, unsigned int reg, uint8_t val);
/* The RTC's time now: whole seconds since 1970, and ns into that second. */
int64_t rtc_seconds(const struct rtc *r);
int64_t rtc_subsecond_ns(const struct rtc *r);
/*
 * The memory sizes firmware and guests read, as QEMU's pc machine writes
 * them: base and extended memory, above 16 MiB in 64 KiB units (0x34/0x35),
 * above 4 GiB in 64 KiB units (0x5b-0x5d), and the CPU count - 1 (0x5f).
 */
void rtc_set_memory(struct rtc *r, uint64_t below_4g, uint64_t above_4g,
		    unsigned int ncpus);

#endif
