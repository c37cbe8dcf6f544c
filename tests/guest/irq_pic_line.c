/*
 * The 8259A pair in virtual-wire mode with an interrupt line the guest
 * drives itself (pc-testdev: port 0x2000 + n sets GSI n): IRQ 14, on the
 * slave through the cascade, as vector 0x3e (slave base 0x38).
 *
 * Edge (ELCR bit clear): one interrupt per rising edge, none for raising a
 * line already high.  Level (ELCR bit 14 set): EOI'd while the line is
 * still high, the request comes again; lowered, it stops.  Auto-EOI (ICW4
 * AEOI): IRQ 14 is not left in service in the handler, and the next edge
 * comes with no EOI written.
 */
#include "irq.h"

TEST_NAME("irq_pic_line");

#define MASTER_BASE	0x30
#define SLAVE_BASE	0x38
#define IRQ		14
#define VEC		(SLAVE_BASE + IRQ - 8)
#define TESTDEV_IRQ	0x2000
#define ELCR_SLAVE	0x4d1

static volatile unsigned int count, lower_at;
static volatile bool auto_eoi;
static volatile uint8_t slave_isr;

static void line(int level)
{
	outb(TESTDEV_IRQ + IRQ, (uint8_t)level);
}

static bool on_irq(struct trap_frame *f)
{
	unsigned int n = ++count;

	if (n == 1)
		slave_isr = pic_read_isr(true);
	if (n == lower_at)
		line(0);
	if (!auto_eoi)
		pic_eoi(IRQ);
	return true;
}

static unsigned int settle(void)
{
	irq_window(20000);
	return count;
}

static void setup(bool aeoi)
{
	pic_init(MASTER_BASE, SLAVE_BASE);
	if (aeoi) {
		/* ICW1-4 again, with ICW4 auto-EOI */
		outb(0x20, 0x11);
		outb(0xa0, 0x11);
		outb(0x21, MASTER_BASE);
		outb(0xa1, SLAVE_BASE);
		outb(0x21, 1 << 2);
		outb(0xa1, 2);
		outb(0x21, 0x03);
		outb(0xa1, 0x03);
	}
	auto_eoi = aeoi;
	pic_set_mask((uint16_t)~(1u << 2 | 1u << IRQ));
}

void test_main(void)
{
	struct irq_routing r;
	unsigned int n;

	lapic_enable();
	lapic_write(LAPIC_LVT_LINT0, LVT_EXTINT);
	if (irq_routing_read(&r))
		ioapic_mask_all();
	trap_set_hook(VEC, on_irq);
	line(0);
	outb(ELCR_SLAVE, inb(ELCR_SLAVE) & ~(1u << (IRQ - 8)));
	setup(false);

	line(1);
	n = settle();
	printf("  edge: raised: %u interrupt(s), slave ISR 0x%02x in the handler\n", n,
	       slave_isr);
	if (n != 1)
		fail("a rising edge on IRQ %u gave %u interrupts", IRQ, n);
	if (slave_isr != 1u << (IRQ - 8))
		fail("the slave's ISR read 0x%02x in the IRQ %u handler", slave_isr, IRQ);
	line(1);
	if (settle() != 1)
		fail("raising a line already high gave %u more interrupts", count - 1);
	line(0);
	line(1);
	n = settle();
	printf("  edge: raised again after lowering: %u in all\n", n);
	if (n != 2)
		fail("lowered and raised again: %u interrupts in all (expected 2)", n);
	line(0);
	settle();

	outb(ELCR_SLAVE, inb(ELCR_SLAVE) | 1u << (IRQ - 8));
	printf("  ELCR 0x%02x%02x\n", inb(ELCR_SLAVE), inb(ELCR_SLAVE - 1));
	if (!(inb(ELCR_SLAVE) & 1u << (IRQ - 8)))
		fail("ELCR bit %u does not stick", IRQ);
	count = 0;
	lower_at = 3;
	line(1);
	n = settle();
	printf("  level: %u deliveries (the handler lowers the line on the third)\n", n);
	if (n != 3)
		fail("a level request EOI'd twice while high gave %u deliveries (expected 3)", n);
	irq_window(50000);
	if (count != 3)
		fail("%u more deliveries once the level line was lowered", count - 3);
	outb(ELCR_SLAVE, inb(ELCR_SLAVE) & ~(1u << (IRQ - 8)));

	setup(true);
	count = 0;
	lower_at = 0;
	line(1);
	n = settle();
	printf("  auto-EOI: %u interrupt(s), slave ISR 0x%02x in the handler\n", n, slave_isr);
	if (n != 1)
		fail("auto-EOI: a rising edge gave %u interrupts", n);
	if (slave_isr & 1u << (IRQ - 8))
		fail("auto-EOI: IRQ %u was in service in its handler (ISR 0x%02x)", IRQ,
		     slave_isr);
	line(0);
	line(1);
	n = settle();
	printf("  auto-EOI: a second edge with no EOI written: %u in all\n", n);
	if (n != 2)
		fail("auto-EOI: %u interrupts in all after a second edge (expected 2)", n);
	line(0);
	pic_init(MASTER_BASE, SLAVE_BASE);
}
