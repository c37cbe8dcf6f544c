/*
 * Legacy 8259A mode: every IOAPIC entry masked, the local APIC's LINT0 in
 * ExtINT (virtual wire), the PIC pair initialised with ICW1-4 to vectors
 * 0x30 (master) and 0x38 (slave), and the PIT's channel 0 on IRQ 0.
 *
 * Checked: ticks arrive as vector 0x30 at a plausible rate against the ACPI
 * PM timer (a third to one and a half times "hz=N", default 100); IRQ 0 is
 * in service at the master (OCW3 read of the ISR) inside the handler; the
 * OCW1 mask stops the ticks and unmasking resumes them; a tick left without
 * its EOI keeps IRQ 0 in service and blocks the next until the EOI; and the
 * slave's base is honoured (the RTC's IRQ 8 arrives as vector 0x38 through
 * the cascade on IRQ 2).
 */
#include "irq.h"

TEST_NAME("irq_pic");

#define MASTER_BASE	0x30
#define SLAVE_BASE	0x38
#define WINDOW_US	200000

static volatile unsigned int ticks, rtc_irqs;
static volatile bool skip_eoi;
static volatile uint8_t isr_seen;

static bool on_tick(struct trap_frame *f)
{
	if (++ticks == 1)
		isr_seen = pic_read_isr(false);
	if (skip_eoi) {
		skip_eoi = false;
		return true;
	}
	pic_eoi(0);
	return true;
}

static bool on_rtc(struct trap_frame *f)
{
	rtc_irqs++;
	cmos_read(RTC_REG_C);
	pic_eoi(8);
	return true;
}

static unsigned int count_ticks(unsigned int us, uint64_t *elapsed)
{
	uint64_t t0, t1;

	ticks = 0;
	time_us(&t0);
	irq_window(us);
	time_us(&t1);
	*elapsed = t1 - t0;
	return ticks;
}

static void slave_check(void)
{
	uint8_t b = cmos_read(RTC_REG_B), a = cmos_read(RTC_REG_A);

	pic_set_mask((uint16_t)~(1u << 2 | 1u << 8));
	cmos_write(RTC_REG_A, 0x20 | 0x0a);	/* 64 Hz */
	cmos_read(RTC_REG_C);
	cmos_write(RTC_REG_B, b | RTC_B_PIE);
	irq_wait(&rtc_irqs, 3, 500000);
	cmos_write(RTC_REG_B, b & ~RTC_B_PIE);
	cmos_write(RTC_REG_A, a);
	cmos_read(RTC_REG_C);
	pic_set_mask(0xffff);
	printf("  slave: %u RTC interrupts as vector 0x%x\n", rtc_irqs, SLAVE_BASE);
	if (rtc_irqs < 3)
		fail("%u RTC interrupts (IRQ 8) through the slave PIC in 500 ms", rtc_irqs);
}

void test_main(void)
{
	uint64_t hz = 100, elapsed, want;
	uint32_t lint0;
	unsigned int n;

	cmdline_u64("hz", &hz);
	if (hz < 20 || hz > 2000)
		fail("hz=%lu is outside 20..2000", hz);
	if (!time_us(&elapsed))
		fail("no ACPI PM timer to time the test by");

	lapic_enable();
	lint0 = lapic_read(LAPIC_LVT_LINT0);
	printf("  LINT0 0x%x as found; setting ExtINT\n", lint0);
	lapic_write(LAPIC_LVT_LINT0, LVT_EXTINT);
	{
		struct irq_routing r;

		if (irq_routing_read(&r))
			ioapic_mask_all();
		printf("  MADT: %s8259s, %s\n", r.pcat_compat ? "" : "no ",
		       r.ioapic_base ? "IOAPIC masked" : "no IOAPIC");
	}
	pic_init(MASTER_BASE, SLAVE_BASE);
	trap_set_hook(MASTER_BASE, on_tick);
	trap_set_hook(SLAVE_BASE, on_rtc);
	printf("  PIT divisor %u for %lu Hz\n", pit_periodic((unsigned int)hz), hz);
	pic_set_mask(0xfffe);

	count_ticks(WINDOW_US / 4, &elapsed);
	n = count_ticks(WINDOW_US, &elapsed);
	want = hz * elapsed / 1000000;
	printf("  %u ticks in %lu us (%lu expected at %lu Hz)\n", n, elapsed, want, hz);
	if (n == 0)
		fail("no interrupt with vector 0x%x in %lu us (IRR 0x%02x ISR 0x%02x)",
		     MASTER_BASE, elapsed, pic_read_irr(false), pic_read_isr(false));
	printf("  master ISR in the handler: 0x%02x\n", isr_seen);
	if (isr_seen != 0x01)
		fail("the master's ISR read 0x%02x in the IRQ 0 handler, expected 0x01", isr_seen);
	if (n < want / 3 || n > want * 3 / 2 + 2)
		fail("%u ticks in %lu us, expected about %lu", n, elapsed, want);

	pic_set_mask(0xffff);
	irq_window(20000);
	n = count_ticks(WINDOW_US / 2, &elapsed);
	printf("  masked: %u ticks in %lu us\n", n, elapsed);
	if (n)
		fail("%u ticks arrived with IRQ 0 masked in OCW1", n);
	pic_set_mask(0xfffe);
	n = count_ticks(WINDOW_US / 2, &elapsed);
	printf("  unmasked again: %u ticks in %lu us\n", n, elapsed);
	if (n < hz * elapsed / 1000000 / 3)
		fail("only %u ticks in %lu us after unmasking IRQ 0", n, elapsed);

	skip_eoi = true;
	n = count_ticks(WINDOW_US / 2, &elapsed);
	printf("  no EOI: %u tick(s) in %lu us; ISR 0x%02x\n", n, elapsed, pic_read_isr(false));
	if (n != 1)
		fail("%u ticks while the first was never EOI'd (expected 1)", n);
	if (!(pic_read_isr(false) & 1))
		fail("IRQ 0 left the master's ISR without an EOI");
	pic_eoi(0);
	n = count_ticks(WINDOW_US / 2, &elapsed);
	printf("  after the EOI: %u ticks in %lu us\n", n, elapsed);
	if (n == 0)
		fail("no tick after the late EOI");

	pic_set_mask(0xffff);
	pit_quiet();
	irq_window(5000);
	slave_check();
}
