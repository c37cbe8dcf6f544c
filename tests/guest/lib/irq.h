/*
 * Interrupt hardware for the irq_* guests: the IOAPIC (as the MADT names
 * it), the 8259A pair, the 8254 PIT, the CMOS RTC's interrupt registers,
 * the local APIC's EOI and timer, and a microsecond clock.
 *
 * Handlers are trap hooks (trap_set_hook).  The register helpers do not
 * print and may be called from a hook; time_us(), irq_window() and
 * irq_wait() belong to the BSP's main flow (irq_window fails the test when
 * there is no PM timer).
 */
#ifndef GUEST_IRQ_H
#define GUEST_IRQ_H

#include "guest.h"

/* Local APIC registers (offsets from LAPIC_BASE). */
#define LAPIC_TPR	0x080
#define LAPIC_EOI	0x0b0
#define LAPIC_SVR	0x0f0
#define LAPIC_ISR	0x100	/* + 0x10 * (vector / 32) */
#define LAPIC_TMR	0x180
#define LAPIC_IRR	0x200
#define LAPIC_ICR_LO	0x300
#define LAPIC_ICR_HI	0x310
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_LVT_LINT0	0x350
#define LAPIC_LVT_LINT1	0x360
#define LAPIC_TIMER_ICR	0x380
#define LAPIC_TIMER_CCR	0x390
#define LAPIC_TIMER_DCR	0x3e0
#define LVT_MASKED	(1u << 16)
#define LVT_PERIODIC	(1u << 17)
#define LVT_LEVEL	(1u << 15)
#define LVT_EXTINT	(7u << 8)
#define ICR_BUSY	(1u << 12)

/* Software-enables this CPU's local APIC (spurious vector 0xff), TPR 0. */
void lapic_enable(void);
static inline void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}
/* Whether vector is set in this CPU's ISR / IRR / TMR. */
bool lapic_isr(unsigned int vector);
bool lapic_irr(unsigned int vector);
bool lapic_tmr(unsigned int vector);
/* A fixed IPI with vector to apic_id; false if the ICR stays busy. */
bool lapic_send_ipi(unsigned int apic_id, unsigned int vector);

/* What the MADT says about the IOAPIC and the ISA IRQs. */
struct irq_routing {
	uint64_t ioapic_base;
	unsigned int ioapic_id;
	unsigned int gsi_base;
	unsigned int isa_gsi[16];	/* ISA IRQ n arrives on this GSI */
	uint16_t isa_flags[16];		/* MPS INTI flags of its override, or 0 */
	bool pcat_compat;		/* dual 8259s present */
};
/* Reads the MADT into *r (identity ISA routes unless overridden). */
bool irq_routing_read(struct irq_routing *r);

/* The IOAPIC found by irq_routing_read() (default 0xfec00000). */
#define RTE_MASKED	(1ull << 16)
#define RTE_LEVEL	(1ull << 15)
#define RTE_REMOTE_IRR	(1ull << 14)
#define RTE_ACTIVE_LOW	(1ull << 13)
#define RTE_LOGICAL	(1ull << 11)
uint32_t ioapic_read(unsigned int reg);
void ioapic_write(unsigned int reg, uint32_t v);
unsigned int ioapic_pins(void);
uint64_t ioapic_rte(unsigned int pin);
void ioapic_set_rte(unsigned int pin, uint64_t rte);
/* A fixed, physical-destination entry: edge or level, active high. */
void ioapic_route(unsigned int pin, unsigned int vector, unsigned int apic_id, bool level,
		  bool masked);
void ioapic_mask(unsigned int pin, bool masked);
void ioapic_mask_all(void);

/* The 8259A pair: ICW1-4 (edge, cascade on IRQ 2, 8086 mode), all masked. */
void pic_init(uint8_t master_base, uint8_t slave_base);
void pic_set_mask(uint16_t mask);	/* bit n masks IRQ n */
void pic_eoi(unsigned int irq);		/* non-specific EOI */
uint8_t pic_read_isr(bool slave);
uint8_t pic_read_irr(bool slave);

/* 8254 channel 0: mode 2 (rate generator) at about hz; returns the divisor. */
unsigned int pit_periodic(unsigned int hz);
/* The same in mode 2 or mode 3 (square wave: one rising edge a period). */
unsigned int pit_periodic_mode(unsigned int hz, unsigned int mode);
/* Channel 0 in mode 0: one rising edge after count (1..65535; 0 is 65536) clocks. */
void pit_oneshot(unsigned int count);
/* Channel 0 in mode 0 with the longest count: no further rising edges soon. */
void pit_quiet(void);
#define PIT_HZ		1193182u

/* CMOS RTC. */
#define RTC_REG_A	0x0a
#define RTC_REG_B	0x0b
#define RTC_REG_C	0x0c
#define RTC_B_PIE	0x40
#define RTC_B_AIE	0x20
#define RTC_B_UIE	0x10
#define RTC_C_IRQF	0x80
#define RTC_C_PF	0x40
#define RTC_C_AF	0x20
#define RTC_C_UF	0x10
uint8_t cmos_read(uint8_t reg);
void cmos_write(uint8_t reg, uint8_t v);

/*
 * Microseconds from the ACPI PM timer, extended past its wrap (call it at
 * least every 4 s); false when there is no PM timer.  One CPU only.
 */
bool time_us(uint64_t *us);
/* Runs with interrupts enabled for about us microseconds (PM timer). */
void irq_window(unsigned int us);
/* As irq_window, until *count reaches want or us pass; returns *count. */
unsigned int irq_wait(volatile unsigned int *count, unsigned int want, unsigned int us);

#endif
