/*
 * The local APIC timer (vector 0x60, divide by 16): its count rate is
 * measured against the ACPI PM timer, then in periodic mode it must fire at
 * "hz=N" (default 100) within a third to one and a half times; a task
 * priority (TPR) of the vector's class holds it off; masked in
 * its LVT it fires no more while the count goes on; in one-shot mode it
 * fires once and the current count stays at zero; an initial count of zero
 * stops it.
 */
#include "irq.h"

TEST_NAME("irq_lapic_timer");

#define VEC		0x60
#define DIV_16		0x3

static volatile unsigned int fired;

static bool on_timer(struct trap_frame *f)
{
	fired++;
	lapic_eoi();
	return true;
}

static unsigned int window(unsigned int us, uint64_t *elapsed)
{
	uint64_t t0, t1;

	fired = 0;
	time_us(&t0);
	irq_window(us);
	time_us(&t1);
	*elapsed = t1 - t0;
	return fired;
}

/* Timer counts per second, from a masked one-shot countdown. */
static uint64_t calibrate(void)
{
	uint64_t t0, t1;
	uint32_t c0, c1;

	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC);
	lapic_write(LAPIC_TIMER_ICR, 0xffffffff);
	time_us(&t0);
	c0 = lapic_read(LAPIC_TIMER_CCR);
	udelay(20000);
	c1 = lapic_read(LAPIC_TIMER_CCR);
	time_us(&t1);
	lapic_write(LAPIC_TIMER_ICR, 0);
	if (c1 >= c0 || t1 <= t0)
		fail("the timer's current count went from 0x%x to 0x%x in %lu us", c0, c1,
		     t1 - t0);
	return (uint64_t)(c0 - c1) * 1000000 / (t1 - t0);
}

void test_main(void)
{
	uint64_t hz = 100, freq, elapsed, want;
	uint32_t count, c0, c1;
	unsigned int n;

	cmdline_u64("hz", &hz);
	if (hz < 20 || hz > 2000)
		fail("hz=%lu is outside 20..2000", hz);
	if (!time_us(&elapsed))
		fail("no ACPI PM timer to time the test by");
	lapic_enable();
	trap_set_hook(VEC, on_timer);
	lapic_write(LAPIC_TIMER_DCR, DIV_16);
	freq = calibrate();
	printf("  the timer counts at %lu kHz (divide by 16)\n", freq / 1000);
	if (freq < 1000 * hz)
		fail("the timer counts at %lu Hz, too slowly for %lu Hz ticks", freq, hz);
	count = (uint32_t)(freq / hz);

	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC);
	lapic_write(LAPIC_TIMER_ICR, count);
	n = window(200000, &elapsed);
	want = hz * elapsed / 1000000;
	printf("  periodic, count %u: %u interrupts in %lu us (%lu expected)\n", count, n,
	       elapsed, want);
	if (n == 0)
		fail("no interrupt with vector 0x%x in %lu us", VEC, elapsed);
	if (n < want / 3 || n > want * 3 / 2 + 2)
		fail("%u interrupts in %lu us, expected about %lu", n, elapsed, want);

	/* A task priority of the vector's class holds it off. */
	lapic_write(LAPIC_TPR, VEC & 0xf0);
	irq_window(20000);
	n = window(100000, &elapsed);
	lapic_write(LAPIC_TPR, 0);
	printf("  TPR 0x%x: %u interrupts in %lu us\n", VEC & 0xf0, n, elapsed);
	if (n)
		fail("%u interrupts of vector 0x%x with the task priority at 0x%x", n, VEC,
		     VEC & 0xf0);
	n = window(100000, &elapsed);
	printf("  TPR 0: %u interrupts in %lu us\n", n, elapsed);
	if (n == 0)
		fail("no interrupt once the task priority was lowered again");

	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LVT_PERIODIC | VEC);
	irq_window(20000);
	c0 = lapic_read(LAPIC_TIMER_CCR);
	n = window(100000, &elapsed);
	c1 = lapic_read(LAPIC_TIMER_CCR);
	printf("  masked: %u interrupts in %lu us; count 0x%x then 0x%x\n", n, elapsed, c0, c1);
	if (n)
		fail("%u interrupts with the timer masked in its LVT", n);
	if (c0 == c1)
		fail("the periodic count stopped while masked (0x%x)", c0);

	lapic_write(LAPIC_LVT_TIMER, VEC);	/* one-shot */
	lapic_write(LAPIC_TIMER_ICR, count);
	n = window(100000, &elapsed);
	c0 = lapic_read(LAPIC_TIMER_CCR);
	printf("  one-shot: %u interrupt(s) in %lu us; count now 0x%x\n", n, elapsed, c0);
	if (n != 1)
		fail("a one-shot timer fired %u times in %lu us", n, elapsed);
	if (c0)
		fail("the one-shot count reads 0x%x after it fired", c0);

	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC);
	lapic_write(LAPIC_TIMER_ICR, count);
	lapic_write(LAPIC_TIMER_ICR, 0);
	irq_window(5000);
	n = window(100000, &elapsed);
	printf("  initial count 0: %u interrupts in %lu us\n", n, elapsed);
	if (n)
		fail("%u interrupts after an initial count of 0 stopped the timer", n);
}
