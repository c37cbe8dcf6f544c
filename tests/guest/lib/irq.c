/* IOAPIC, 8259A, 8254, RTC interrupt registers and the local APIC, for the irq_* guests. */
#include "irq.h"

#define IOAPIC_DEFAULT_BASE	0xfec00000ULL
#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10
#define IOAPIC_VER		0x01
#define IOAPIC_REDTBL		0x10

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define PIT_CH0		0x40
#define PIT_MODE	0x43
#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71

static uint64_t ioapic_base = IOAPIC_DEFAULT_BASE;

void lapic_enable(void)
{
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, 0x100 | 0xff);
}

static bool lapic_bit(unsigned int reg, unsigned int vector)
{
	return (lapic_read(reg + 0x10 * (vector / 32)) >> (vector % 32)) & 1;
}

bool lapic_isr(unsigned int vector)
{
	return lapic_bit(LAPIC_ISR, vector & 0xff);
}

bool lapic_irr(unsigned int vector)
{
	return lapic_bit(LAPIC_IRR, vector & 0xff);
}

bool lapic_tmr(unsigned int vector)
{
	return lapic_bit(LAPIC_TMR, vector & 0xff);
}

bool lapic_send_ipi(unsigned int apic_id, unsigned int vector)
{
	lapic_write(LAPIC_ICR_HI, (apic_id & 0xff) << 24);
	lapic_write(LAPIC_ICR_LO, vector & 0xff);	/* fixed, physical, edge */
	for (int i = 0; i < 100000; i++) {
		if (!(lapic_read(LAPIC_ICR_LO) & ICR_BUSY))
			return true;
		cpu_relax();
	}
	return false;
}

bool irq_routing_read(struct irq_routing *r)
{
	const struct acpi_header *madt = acpi_find_table("APIC", 0);
	const uint8_t *p, *end;
	uint32_t flags;
	bool found = false;

	memset(r, 0, sizeof(*r));
	for (unsigned int i = 0; i < 16; i++)
		r->isa_gsi[i] = i;
	if (!madt || madt->length < 44)
		return false;
	memcpy(&flags, (const uint8_t *)madt + 40, 4);
	r->pcat_compat = flags & 1;
	p = (const uint8_t *)madt + 44;
	end = (const uint8_t *)madt + madt->length;
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		if (p[0] == 1 && p[1] >= 12 && !found) {		/* I/O APIC */
			uint32_t base, gsi;

			memcpy(&base, p + 4, 4);
			memcpy(&gsi, p + 8, 4);
			r->ioapic_id = p[2];
			r->ioapic_base = base;
			r->gsi_base = gsi;
			found = true;
		} else if (p[0] == 2 && p[1] >= 10 && p[2] == 0 && p[3] < 16) {	/* override */
			uint32_t gsi;
			uint16_t f;

			memcpy(&gsi, p + 4, 4);
			memcpy(&f, p + 8, 2);
			r->isa_gsi[p[3]] = gsi;
			r->isa_flags[p[3]] = f;
		}
		p += p[1];
	}
	if (found)
		ioapic_base = r->ioapic_base;
	return found;
}

uint32_t ioapic_read(unsigned int reg)
{
	mmio_write32(ioapic_base + IOAPIC_REGSEL, reg);
	return mmio_read32(ioapic_base + IOAPIC_WINDOW);
}

void ioapic_write(unsigned int reg, uint32_t v)
{
	mmio_write32(ioapic_base + IOAPIC_REGSEL, reg);
	mmio_write32(ioapic_base + IOAPIC_WINDOW, v);
}

unsigned int ioapic_pins(void)
{
	return ((ioapic_read(IOAPIC_VER) >> 16) & 0xff) + 1;
}

uint64_t ioapic_rte(unsigned int pin)
{
	uint32_t lo = ioapic_read(IOAPIC_REDTBL + 2 * pin);

	return lo | (uint64_t)ioapic_read(IOAPIC_REDTBL + 2 * pin + 1) << 32;
}

/* The high half first, so that an unmasked entry never has a stale destination. */
void ioapic_set_rte(unsigned int pin, uint64_t rte)
{
	ioapic_write(IOAPIC_REDTBL + 2 * pin, (uint32_t)rte | (uint32_t)RTE_MASKED);
	ioapic_write(IOAPIC_REDTBL + 2 * pin + 1, (uint32_t)(rte >> 32));
	ioapic_write(IOAPIC_REDTBL + 2 * pin, (uint32_t)rte);
}

void ioapic_route(unsigned int pin, unsigned int vector, unsigned int apic_id, bool level,
		  bool masked)
{
	uint64_t e = (vector & 0xff) | (uint64_t)(apic_id & 0xff) << 56;

	if (level)
		e |= RTE_LEVEL;
	if (masked)
		e |= RTE_MASKED;
	ioapic_set_rte(pin, e);
}

void ioapic_mask(unsigned int pin, bool masked)
{
	uint32_t lo = ioapic_read(IOAPIC_REDTBL + 2 * pin);

	if (masked)
		lo |= (uint32_t)RTE_MASKED;
	else
		lo &= ~(uint32_t)RTE_MASKED;
	ioapic_write(IOAPIC_REDTBL + 2 * pin, lo);
}

void ioapic_mask_all(void)
{
	unsigned int n = ioapic_pins();

	for (unsigned int pin = 0; pin < n && pin < 240; pin++)
		ioapic_mask(pin, true);
}

void pic_init(uint8_t master_base, uint8_t slave_base)
{
	outb(PIC1_CMD, 0x11);		/* ICW1: edge, cascade, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, master_base);	/* ICW2: vector base */
	outb(PIC2_DATA, slave_base);
	outb(PIC1_DATA, 1 << 2);	/* ICW3: slave on IRQ 2 */
	outb(PIC2_DATA, 2);		/* ICW3: slave identity 2 */
	outb(PIC1_DATA, 0x01);		/* ICW4: 8086 mode, normal EOI */
	outb(PIC2_DATA, 0x01);
	pic_set_mask(0xffff);
}

void pic_set_mask(uint16_t mask)
{
	outb(PIC1_DATA, (uint8_t)mask);
	outb(PIC2_DATA, (uint8_t)(mask >> 8));
}

void pic_eoi(unsigned int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, 0x20);
	outb(PIC1_CMD, 0x20);
}

static uint8_t pic_read_reg(bool slave, uint8_t ocw3)
{
	uint16_t cmd = slave ? PIC2_CMD : PIC1_CMD;
	uint8_t v;

	outb(cmd, ocw3);
	v = inb(cmd);
	outb(cmd, 0x0a);		/* back to reading the IRR */
	return v;
}

uint8_t pic_read_isr(bool slave)
{
	return pic_read_reg(slave, 0x0b);
}

uint8_t pic_read_irr(bool slave)
{
	return pic_read_reg(slave, 0x0a);
}

unsigned int pit_periodic(unsigned int hz)
{
	return pit_periodic_mode(hz, 2);
}

unsigned int pit_periodic_mode(unsigned int hz, unsigned int mode)
{
	unsigned int div = (PIT_HZ + hz / 2) / hz;

	if (div < 2)
		div = 2;
	if (div > 65535)
		div = 65535;
	/* channel 0, lobyte/hibyte, mode 2 or 3, binary */
	outb(PIT_MODE, (uint8_t)(0x30 | (mode == 3 ? 3 : 2) << 1));
	outb(PIT_CH0, (uint8_t)div);
	outb(PIT_CH0, (uint8_t)(div >> 8));
	return div;
}

void pit_oneshot(unsigned int count)
{
	outb(PIT_MODE, 0x30);		/* channel 0, lobyte/hibyte, mode 0 */
	outb(PIT_CH0, (uint8_t)count);
	outb(PIT_CH0, (uint8_t)(count >> 8));
}

void pit_quiet(void)
{
	outb(PIT_MODE, 0x30);		/* channel 0, lobyte/hibyte, mode 0 */
	outb(PIT_CH0, 0);
	outb(PIT_CH0, 0);
}

uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

void cmos_write(uint8_t reg, uint8_t v)
{
	outb(CMOS_INDEX, reg);
	outb(CMOS_DATA, v);
}

void irq_window(unsigned int us)
{
	uint64_t start, now;

	if (!time_us(&start))
		fail("no ACPI PM timer to time the test by");
	asm volatile("sti" ::: "memory");
	do
		time_us(&now);
	while (now - start < us);
	asm volatile("cli" ::: "memory");
}

unsigned int irq_wait(volatile unsigned int *count, unsigned int want, unsigned int us)
{
	uint64_t start, now;

	if (!time_us(&start))
		fail("no ACPI PM timer to time the test by");
	asm volatile("sti" ::: "memory");
	do {
		if (*count >= want)
			break;
		time_us(&now);
	} while (now - start < us);
	asm volatile("cli" ::: "memory");
	return *count;
}
