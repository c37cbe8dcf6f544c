// SPDX-License-Identifier: MIT
/*
 * The CMOS RTC model on a virtual clock: BCD/binary and 12/24 h formats,
 * SET and guest-written time, UIP, update-ended, alarm (with don't-care
 * values) and periodic interrupts, register C, the divider reset, and the
 * memory-size bytes.
 */
#include "hw/rtc.h"

#include "unit.h"
#include "util/timer.h"

#define NS 1000000000LL
/* 2024-02-29 23:59:58.5 UTC, a Thursday. */
#define T0_SEC 1709251198LL

static int irq, irq_edges;

static void set_irq(void *opaque, int level)
{
	if (level && !irq)
		irq_edges++;
	irq = level;
}

static void adv(int64_t ns)
{
	vm_clock_warp(vm_clock_ns() + ns);
}

static void setup(struct rtc *r)
{
	*r = (struct rtc){ .set_irq = set_irq };
	rtc_init(r, T0_SEC * NS + NS / 2);
	irq = irq_edges = 0;
}

/* Most tests want no periodic flag: rate 0. */
static void setup_quiet(struct rtc *r)
{
	setup(r);
	rtc_cmos_write(r, RTC_REG_A, 0x20);
}

static uint8_t rd(struct rtc *r, unsigned int reg)
{
	rtc_io_write(r, 0, reg);
	return rtc_io_read(r, 1);
}

static void wr(struct rtc *r, unsigned int reg, uint8_t v)
{
	rtc_io_write(r, 0, reg);
	rtc_io_write(r, 1, v);
}

static void test_power_on(void)
{
	struct rtc r;

	setup(&r);
	CHECK_EQ(rd(&r, RTC_REG_A), 0x26);
	CHECK_EQ(rd(&r, RTC_REG_B), 0x02);
	CHECK_EQ(rd(&r, RTC_REG_C), 0x00);
	CHECK_EQ(rd(&r, RTC_REG_D), 0x80);
	CHECK_EQ(rd(&r, RTC_SECONDS), 0x58);
	CHECK_EQ(rd(&r, RTC_MINUTES), 0x59);
	CHECK_EQ(rd(&r, RTC_HOURS), 0x23);
	CHECK_EQ(rd(&r, RTC_DAY_OF_WEEK), 5);
	CHECK_EQ(rd(&r, RTC_DAY_OF_MONTH), 0x29);
	CHECK_EQ(rd(&r, RTC_MONTH), 0x02);
	CHECK_EQ(rd(&r, RTC_YEAR), 0x24);
	CHECK_EQ(rd(&r, RTC_CENTURY), 0x20);
	/* The clock follows the VM clock: 1.5 s later it is March. */
	adv(NS + NS / 2);
	CHECK_EQ(rd(&r, RTC_SECONDS), 0x00);
	CHECK_EQ(rd(&r, RTC_MINUTES), 0x00);
	CHECK_EQ(rd(&r, RTC_HOURS), 0x00);
	CHECK_EQ(rd(&r, RTC_DAY_OF_WEEK), 6);
	CHECK_EQ(rd(&r, RTC_DAY_OF_MONTH), 0x01);
	CHECK_EQ(rd(&r, RTC_MONTH), 0x03);
	/* The index port is write-only; C and D ignore writes. */
	CHECK_EQ(rtc_io_read(&r, 0), 0xff);
	wr(&r, RTC_REG_D, 0);
	CHECK_EQ(rd(&r, RTC_REG_D), 0x80);
	/*
	 * Flags rise with no interrupt enabled: 1024 Hz periodic, the
	 * updates, and the alarm (all zeros) at midnight.
	 */
	wr(&r, RTC_REG_C, 0xff);
	CHECK_EQ(rd(&r, RTC_REG_C), RTC_C_PF | RTC_C_AF | RTC_C_UF);
	CHECK_EQ(rd(&r, RTC_REG_C), 0);
	/* NMI-disable bit: the index still selects the register. */
	rtc_io_write(&r, 0, 0x80 | RTC_REG_D);
	CHECK(r.nmi_disabled);
	CHECK_EQ(rtc_io_read(&r, 1), 0x80);
	/* Plain CMOS bytes. */
	wr(&r, 0x40, 0x5a);
	CHECK_EQ(rd(&r, 0x40), 0x5a);
	CHECK_EQ(irq_edges, 0);
	rtc_fini(&r);
}

static void test_formats(void)
{
	struct rtc r;

	setup_quiet(&r);
	wr(&r, RTC_REG_B, RTC_B_24H | RTC_B_DM_BINARY);
	CHECK_EQ(rd(&r, RTC_SECONDS), 58);
	CHECK_EQ(rd(&r, RTC_HOURS), 23);
	CHECK_EQ(rd(&r, RTC_YEAR), 24);
	CHECK_EQ(rd(&r, RTC_CENTURY), 20);
	/* 12 h: 23:59 is 11 PM; midnight is 12 AM. */
	wr(&r, RTC_REG_B, 0);
	CHECK_EQ(rd(&r, RTC_HOURS), 0x91);
	wr(&r, RTC_REG_B, RTC_B_DM_BINARY);
	CHECK_EQ(rd(&r, RTC_HOURS), 0x8b);
	adv(2 * NS);
	CHECK_EQ(rd(&r, RTC_HOURS), 12);
	wr(&r, RTC_REG_B, 0);
	CHECK_EQ(rd(&r, RTC_HOURS), 0x12);
	/* Writing the hour in 12 h BCD: 1 PM. */
	wr(&r, RTC_HOURS, 0x81);
	CHECK_EQ(rd(&r, RTC_HOURS), 0x81);
	wr(&r, RTC_REG_B, RTC_B_24H);
	CHECK_EQ(rd(&r, RTC_HOURS), 0x13);
	rtc_fini(&r);
}

static void test_set_mode(void)
{
	struct rtc r;

	setup_quiet(&r);
	wr(&r, RTC_REG_B, RTC_B_24H | RTC_B_SET | RTC_B_UIE);
	/* SET clears UIE. */
	CHECK_EQ(rd(&r, RTC_REG_B), RTC_B_24H | RTC_B_SET);
	wr(&r, RTC_SECONDS, 0x00);
	wr(&r, RTC_MINUTES, 0x30);
	wr(&r, RTC_HOURS, 0x12);
	wr(&r, RTC_DAY_OF_MONTH, 0x01);
	wr(&r, RTC_MONTH, 0x01);
	wr(&r, RTC_YEAR, 0x00);
	wr(&r, RTC_CENTURY, 0x20);
	/* Halted: time does not move, and UIP never shows. */
	for (int i = 0; i < 20; i++) {
		adv(NS / 10);
		CHECK_EQ(rd(&r, RTC_REG_A) & RTC_A_UIP, 0);
	}
	CHECK_EQ(rd(&r, RTC_SECONDS), 0x00);
	CHECK_EQ(rd(&r, RTC_MINUTES), 0x30);
	/* Resumed: counting from the written time, in the same phase. */
	wr(&r, RTC_REG_B, RTC_B_24H);
	CHECK_EQ(rtc_seconds(&r), 946729800LL);
	CHECK_EQ(rtc_subsecond_ns(&r), NS / 2);
	adv(NS / 2);
	CHECK_EQ(rd(&r, RTC_SECONDS), 0x01);
	CHECK_EQ(rd(&r, RTC_DAY_OF_WEEK), 7);	/* 2000-01-01: Saturday */
	/* A field written while running changes just that field. */
	wr(&r, RTC_MINUTES, 0x45);
	CHECK_EQ(rd(&r, RTC_MINUTES), 0x45);
	CHECK_EQ(rd(&r, RTC_SECONDS), 0x01);
	CHECK_EQ(rtc_subsecond_ns(&r), 0);
	adv(NS);
	CHECK_EQ(rd(&r, RTC_SECONDS), 0x02);
	CHECK_EQ(rd(&r, RTC_MINUTES), 0x45);
	rtc_fini(&r);
}

static void test_uip(void)
{
	struct rtc r;

	setup_quiet(&r);
	/* At .5 s: no update near. */
	CHECK_EQ(rd(&r, RTC_REG_A), 0x20);
	adv(NS / 2 - RTC_UIP_NS - 1);
	CHECK_EQ(rd(&r, RTC_REG_A) & RTC_A_UIP, 0);
	adv(1);
	CHECK_EQ(rd(&r, RTC_REG_A) & RTC_A_UIP, RTC_A_UIP);
	CHECK_EQ(rd(&r, RTC_SECONDS), 0x58);
	adv(RTC_UIP_NS - 1);
	CHECK_EQ(rd(&r, RTC_REG_A) & RTC_A_UIP, RTC_A_UIP);
	adv(1);
	CHECK_EQ(rd(&r, RTC_REG_A) & RTC_A_UIP, 0);
	CHECK_EQ(rd(&r, RTC_SECONDS), 0x59);
	/* The guest cannot set UIP. */
	wr(&r, RTC_REG_A, 0xa6);
	CHECK_EQ(rd(&r, RTC_REG_A), 0x26);
	wr(&r, RTC_REG_A, 0x20);
	rtc_fini(&r);
}

static void test_update_irq(void)
{
	struct rtc r;

	setup_quiet(&r);
	wr(&r, RTC_SECONDS_ALARM, 0x30);	/* not at midnight */
	/* Without UIE the flag still rises, lazily, but no interrupt. */
	adv(NS);
	CHECK_EQ(irq, 0);
	CHECK_EQ(rd(&r, RTC_REG_C), RTC_C_UF);
	CHECK_EQ(rd(&r, RTC_REG_C), 0);
	wr(&r, RTC_REG_B, RTC_B_24H | RTC_B_UIE);
	adv(NS / 2 - 1);	/* 59.999... */
	CHECK_EQ(irq, 0);
	adv(1);
	CHECK_EQ(irq, 1);
	CHECK_EQ(rd(&r, RTC_REG_C), RTC_C_IRQF | RTC_C_UF);
	CHECK_EQ(irq, 0);
	adv(NS);
	CHECK_EQ(irq, 1);
	CHECK_EQ(irq_edges, 2);
	/* Unread, the line stays up and the flag is not doubled. */
	adv(3 * NS);
	CHECK_EQ(irq_edges, 2);
	CHECK_EQ(rd(&r, RTC_REG_C), RTC_C_IRQF | RTC_C_UF);
	/* Disabling the interrupt with the flag pending lowers the line. */
	adv(NS);
	CHECK_EQ(irq, 1);
	wr(&r, RTC_REG_B, RTC_B_24H);
	CHECK_EQ(irq, 0);
	CHECK_EQ(rd(&r, RTC_REG_C), RTC_C_UF);
	rtc_fini(&r);
}

static void test_alarm(void)
{
	struct rtc r;

	setup_quiet(&r);
	/* Alarm at 00:00:05 (BCD); time is 23:59:58.5. */
	wr(&r, RTC_SECONDS_ALARM, 0x05);
	wr(&r, RTC_MINUTES_ALARM, 0x00);
	wr(&r, RTC_HOURS_ALARM, 0x00);
	wr(&r, RTC_REG_B, RTC_B_24H | RTC_B_AIE);
	adv(6 * NS + NS / 2 - 1);
	CHECK_EQ(irq, 0);
	CHECK_EQ(rd(&r, RTC_REG_C), RTC_C_UF);
	adv(1);
	CHECK_EQ(irq, 1);
	CHECK_EQ(rd(&r, RTC_SECONDS), 0x05);
	CHECK_EQ(rd(&r, RTC_REG_C), RTC_C_IRQF | RTC_C_AF | RTC_C_UF);
	CHECK_EQ(irq, 0);
	/* Not again at :06. */
	adv(NS);
	CHECK_EQ(irq, 0);
	/* Don't care in every field: every second. */
	wr(&r, RTC_SECONDS_ALARM, 0xc0);
	wr(&r, RTC_MINUTES_ALARM, 0xff);
	wr(&r, RTC_HOURS_ALARM, 0xd5);
	rd(&r, RTC_REG_C);
	adv(NS);
	CHECK_EQ(irq, 1);
	CHECK_EQ(rd(&r, RTC_REG_C) & RTC_C_AF, RTC_C_AF);
	adv(NS);
	CHECK_EQ(irq, 1);
	rd(&r, RTC_REG_C);
	/* Seconds don't care, minute 01: fires at 00:01:00, not before. */
	wr(&r, RTC_MINUTES_ALARM, 0x01);
	wr(&r, RTC_HOURS_ALARM, 0x00);
	CHECK_EQ(rd(&r, RTC_SECONDS), 0x08);
	adv(51 * NS);
	CHECK_EQ(rd(&r, RTC_SECONDS), 0x59);
	CHECK_EQ(irq, 0);
	adv(NS);
	CHECK_EQ(irq, 1);
	/* AF is found lazily too, over a long unobserved span. */
	wr(&r, RTC_REG_B, RTC_B_24H);
	rd(&r, RTC_REG_C);
	wr(&r, RTC_SECONDS_ALARM, 0x30);
	wr(&r, RTC_MINUTES_ALARM, 0x30);
	wr(&r, RTC_HOURS_ALARM, 0x12);
	adv(20 * 3600 * NS);
	CHECK_EQ(rd(&r, RTC_REG_C), RTC_C_AF | RTC_C_UF);
	adv(3600 * NS);
	CHECK_EQ(rd(&r, RTC_REG_C), RTC_C_UF);
	/* An impossible alarm (BCD 0x61 seconds) never fires. */
	wr(&r, RTC_SECONDS_ALARM, 0x61);
	wr(&r, RTC_MINUTES_ALARM, 0xc0);
	wr(&r, RTC_HOURS_ALARM, 0xc0);
	adv(3 * 86400 * NS);
	CHECK_EQ(rd(&r, RTC_REG_C), RTC_C_UF);
	rtc_fini(&r);
}

static int alarms;

static void on_alarm(void *opaque)
{
	alarms++;
}

/* The wake event: an alarm with AIE set, not the flag alone, not UIE. */
static void test_alarm_wake(void)
{
	struct rtc r;

	setup_quiet(&r);
	r.alarm = on_alarm;
	alarms = 0;
	wr(&r, RTC_SECONDS_ALARM, 0xc0);
	wr(&r, RTC_MINUTES_ALARM, 0xc0);
	wr(&r, RTC_HOURS_ALARM, 0xc0);
	wr(&r, RTC_REG_B, RTC_B_24H | RTC_B_UIE);
	adv(2 * NS);
	CHECK_EQ(irq, 1);
	CHECK_EQ(rd(&r, RTC_REG_C) & RTC_C_AF, RTC_C_AF);
	CHECK_EQ(alarms, 0);
	wr(&r, RTC_REG_B, RTC_B_24H | RTC_B_AIE);
	adv(NS);
	CHECK_EQ(irq, 1);
	CHECK_EQ(alarms, 1);
	/* The next, once the guest has taken the first (read C). */
	rd(&r, RTC_REG_C);
	adv(NS);
	CHECK_EQ(alarms, 2);
	rtc_fini(&r);
}

/* A reset keeps the time and the CMOS; enables and flags go. */
static void test_after_reset(void)
{
	struct rtc r, r2;

	setup_quiet(&r);
	wr(&r, 0x40, 0xa5);
	wr(&r, RTC_REG_B, RTC_B_24H | RTC_B_UIE | RTC_B_PIE);
	adv(NS);
	CHECK_EQ(irq, 1);
	rtc_fini(&r);
	r2 = (struct rtc){ .set_irq = set_irq };
	irq = 0;
	rtc_init_after_reset(&r2, &r);
	CHECK_EQ(irq, 0);
	CHECK_EQ(rd(&r2, 0x40), 0xa5);
	CHECK_EQ(rd(&r2, RTC_REG_B), RTC_B_24H);
	CHECK_EQ(rd(&r2, RTC_REG_C), 0);
	CHECK_EQ(rtc_seconds(&r2), T0_SEC + 1);
	CHECK_EQ(rd(&r2, RTC_REG_A), 0x20);	/* the divider as it was */
	adv(NS);
	CHECK_EQ(rtc_seconds(&r2), T0_SEC + 2);
	CHECK_EQ(irq, 0);				/* no enables left */
	rtc_fini(&r2);
}

static void test_periodic(void)
{
	struct rtc r;
	int64_t sub;

	setup_quiet(&r);
	/* Rate 15: 2 Hz, edges on the half second; we are at .5. */
	wr(&r, RTC_REG_A, 0x2f);
	wr(&r, RTC_REG_B, RTC_B_24H | RTC_B_PIE);
	CHECK_EQ(irq, 0);
	adv(NS / 2 - 1);
	CHECK_EQ(irq, 0);
	adv(1);
	CHECK_EQ(irq, 1);
	CHECK_EQ(rd(&r, RTC_REG_C), RTC_C_IRQF | RTC_C_PF | RTC_C_UF);
	adv(NS / 2);
	CHECK_EQ(irq_edges, 2);
	CHECK_EQ(rd(&r, RTC_REG_C), RTC_C_IRQF | RTC_C_PF);
	/* 1024 Hz (rate 6): the next edge within 976.5625 us. */
	wr(&r, RTC_REG_A, 0x26);
	rd(&r, RTC_REG_C);
	sub = rtc_subsecond_ns(&r);
	CHECK_EQ(sub, NS / 2);
	adv(976562);
	CHECK_EQ(irq, 0);
	adv(1);
	CHECK_EQ(irq, 1);
	rd(&r, RTC_REG_C);
	/* Rate 0: no periodic interrupt. */
	wr(&r, RTC_REG_A, 0x20);
	adv(NS / 4);
	CHECK_EQ(irq, 0);
	CHECK_EQ(rd(&r, RTC_REG_C), 0);
	/* Rate 1 is 256 Hz, rate 3 is 8192 Hz. */
	wr(&r, RTC_REG_A, 0x21);
	adv(3906250);
	CHECK_EQ(irq, 1);
	rd(&r, RTC_REG_C);
	wr(&r, RTC_REG_A, 0x23);
	adv(122071);
	CHECK_EQ(irq, 1);
	rd(&r, RTC_REG_C);
	rtc_fini(&r);
}

static void test_divider_reset(void)
{
	struct rtc r;

	setup_quiet(&r);
	wr(&r, RTC_REG_A, 0x76);	/* hold the divider chain */
	adv(10 * NS);
	CHECK_EQ(rd(&r, RTC_SECONDS), 0x58);
	CHECK_EQ(rd(&r, RTC_REG_A) & RTC_A_UIP, 0);
	wr(&r, RTC_SECONDS, 0x10);
	/* Released: the first update half a second later. */
	wr(&r, RTC_REG_A, 0x26);
	CHECK_EQ(rd(&r, RTC_SECONDS), 0x10);
	adv(NS / 2 - 1);
	CHECK_EQ(rd(&r, RTC_SECONDS), 0x10);
	adv(1);
	CHECK_EQ(rd(&r, RTC_SECONDS), 0x11);
	rtc_fini(&r);
}

/* A hostile guest's garbage in every time register must not hurt. */
static void test_garbage(void)
{
	struct rtc r;

	setup_quiet(&r);
	wr(&r, RTC_REG_B, RTC_B_SET | RTC_B_DM_BINARY);
	for (unsigned int reg = 0; reg < 10; reg++)
		wr(&r, reg, 0xff);
	wr(&r, RTC_CENTURY, 0xff);
	wr(&r, RTC_REG_B, RTC_B_DM_BINARY | RTC_B_AIE | RTC_B_UIE);
	adv(2 * NS);
	rd(&r, RTC_REG_C);
	for (unsigned int reg = 0; reg < 10; reg++)
		rd(&r, reg);
	wr(&r, RTC_REG_B, RTC_B_SET);
	for (unsigned int reg = 0; reg < 10; reg++)
		wr(&r, reg, 0x00);
	wr(&r, RTC_CENTURY, 0x00);
	wr(&r, RTC_REG_B, RTC_B_24H);
	adv(NS);
	rd(&r, RTC_REG_C);
	CHECK(rd(&r, RTC_REG_D) == 0x80);
	rtc_fini(&r);
}

static void test_memory_sizes(void)
{
	struct rtc r;

	setup_quiet(&r);
	rtc_set_memory(&r, 512ULL << 20, 1ULL << 30, 4);
	CHECK_EQ(rd(&r, 0x15) | rd(&r, 0x16) << 8, 640);
	CHECK_EQ(rd(&r, 0x17) | rd(&r, 0x18) << 8, 0xffff);
	CHECK_EQ(rd(&r, 0x30) | rd(&r, 0x31) << 8, 0xffff);
	CHECK_EQ(rd(&r, 0x34) | rd(&r, 0x35) << 8, (512 - 16) * 16);
	CHECK_EQ(rd(&r, 0x5b) | rd(&r, 0x5c) << 8 | rd(&r, 0x5d) << 16, 16384);
	CHECK_EQ(rd(&r, 0x5f), 3);
	rtc_set_memory(&r, 32ULL << 20, 0, 1);
	CHECK_EQ(rd(&r, 0x30) | rd(&r, 0x31) << 8, 31 * 1024);
	CHECK_EQ(rd(&r, 0x34) | rd(&r, 0x35) << 8, 16 * 16);
	CHECK_EQ(rd(&r, 0x5b) | rd(&r, 0x5c) | rd(&r, 0x5d), 0);
	CHECK_EQ(rd(&r, 0x5f), 0);
	rtc_set_memory(&r, 8ULL << 20, 0, 1);
	CHECK_EQ(rd(&r, 0x34) | rd(&r, 0x35) << 8, 0);
	rtc_fini(&r);
}

/*
 * A qtest client may set the virtual clock to its very end (INT64_MAX ns):
 * the RTC must not overflow on the way there or at it, nor keep a timer
 * armed for an interrupt that can never come.  Each run starts a fresh
 * virtual clock, so this goes last.
 */
static void end_of_clock(int64_t start)
{
	struct rtc r;

	vm_clock_use_virtual();
	vm_clock_warp(start);
	setup(&r);
	wr(&r, RTC_REG_B, RTC_B_24H | RTC_B_PIE | RTC_B_UIE | RTC_B_AIE);
	vm_clock_warp(INT64_MAX);
	CHECK_EQ(vm_clock_ns(), INT64_MAX);
	CHECK_EQ(rd(&r, RTC_REG_C) & (RTC_C_IRQF | RTC_C_PF | RTC_C_UF),
		 RTC_C_IRQF | RTC_C_PF | RTC_C_UF);
	CHECK_EQ(irq, 0);
	/* The next interrupts would come after the end: nothing is armed. */
	CHECK_EQ(timers_next_deadline(), UINT64_MAX);
	timers_run_due();
	/* About 292 years on: a valid time, in 2316. */
	CHECK_EQ(rd(&r, RTC_CENTURY), 0x23);
	CHECK_EQ(rd(&r, RTC_YEAR), 0x16);
	wr(&r, RTC_SECONDS, 0x30);
	CHECK_EQ(rd(&r, RTC_SECONDS), 0x30);
	wr(&r, RTC_REG_A, 0x26);
	CHECK_EQ(rd(&r, RTC_REG_C), 0);
	CHECK_EQ(timers_next_deadline(), UINT64_MAX);
	rtc_fini(&r);
}

static void test_end_of_clock(void)
{
	/* The RTC's phase makes its offset from the clock positive... */
	end_of_clock(0);
	/* ... or negative. */
	end_of_clock(100 * NS);
}

int main(void)
{
	vm_clock_use_virtual();
	vm_clock_warp(12345);
	test_power_on();
	test_formats();
	test_set_mode();
	test_uip();
	test_update_irq();
	test_alarm();
	test_alarm_wake();
	test_after_reset();
	test_periodic();
	test_divider_reset();
	test_garbage();
	test_memory_sizes();
	test_end_of_clock();
	return unit_report();
}
