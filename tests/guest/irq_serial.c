/*
 * COM1's interrupt (ISA IRQ 4) through the IOAPIC to vector 0x44, as an
 * interrupt-driven 8250 driver uses it: enabling the transmitter-empty
 * interrupt with THR empty interrupts at once (IIR 0x2, acknowledged by
 * reading IIR); in loopback (MCR LOOP, so nothing reaches the console) a
 * byte written to THR comes back as a received-data interrupt (IIR 0x4,
 * acknowledged by reading RBR) with the byte, and THR empties again; with
 * IER clear no interrupt comes.  Nothing is printed while IER is set.
 */
#include "irq.h"

TEST_NAME("irq_serial");

#define VEC		0x44
#define COM1		0x3f8
#define RBR		0
#define IER		1
#define IIR		2
#define MCR		4
#define IER_RDI		0x01
#define IER_THRI	0x02
#define MCR_DTR_RTS	0x03
#define MCR_OUT2	0x08
#define MCR_LOOP	0x10

static volatile unsigned int irqs, thre, rdi, other;
static volatile uint8_t got, first_iir;

static bool on_uart(struct trap_frame *f)
{
	irqs++;
	for (int i = 0; i < 8; i++) {
		uint8_t iir = inb(COM1 + IIR);

		if (irqs == 1 && i == 0)
			first_iir = iir;
		if (iir & 1)
			break;
		switch (iir & 0x0e) {
		case 0x2:
			thre++;
			break;
		case 0x4:
		case 0xc:
			rdi++;
			got = inb(COM1 + RBR);
			break;
		default:
			other++;
			inb(COM1 + 5);	/* LSR */
			inb(COM1 + 6);	/* MSR */
		}
	}
	lapic_eoi();
	return true;
}

void test_main(void)
{
	struct irq_routing r;
	unsigned int pin, irqs1, thre1, irqs2;
	uint8_t iir1;

	if (!irq_routing_read(&r))
		fail("the MADT lists no IOAPIC");
	pin = r.isa_gsi[4] - r.gsi_base;
	if (pin >= ioapic_pins())
		fail("GSI %u of IRQ 4 is not on the IOAPIC", r.isa_gsi[4]);
	lapic_enable();
	ioapic_mask_all();
	trap_set_hook(VEC, on_uart);
	ioapic_route(pin, VEC, lapic_id(), false, false);
	printf("  IRQ 4 on pin %u; IIR 0x%02x with IER clear\n", pin, inb(COM1 + IIR));

	outb(COM1 + MCR, MCR_OUT2 | MCR_DTR_RTS);
	outb(COM1 + IER, IER_THRI);
	irq_window(20000);
	outb(COM1 + IER, 0);
	irqs1 = irqs;
	thre1 = thre;
	iir1 = first_iir;

	outb(COM1 + MCR, MCR_OUT2 | MCR_LOOP | MCR_DTR_RTS);
	inb(COM1 + RBR);
	irqs = thre = 0;
	outb(COM1 + IER, IER_RDI | IER_THRI);
	irq_window(20000);
	thre = 0;
	outb(COM1 + RBR, 'k');
	irq_window(20000);
	outb(COM1 + IER, 0);
	outb(COM1 + MCR, MCR_OUT2 | MCR_DTR_RTS);
	irqs2 = irqs;
	irq_window(20000);

	printf("  THR empty interrupt: %u interrupt(s), IIR 0x%02x, %u THRE\n", irqs1, iir1,
	       thre1);
	printf("  loopback: %u interrupt(s), %u received-data (byte 0x%02x), %u THRE, %u "
	       "other\n", irqs2, rdi, got, thre, other);
	if (irqs1 != 1 || (iir1 & 0x0f) != 0x2 || thre1 != 1)
		fail("enabling the THR-empty interrupt gave %u interrupts, IIR 0x%02x (expected "
		     "one, IIR 0x2)", irqs1, iir1);
	if (rdi != 1 || got != 'k')
		fail("the looped-back byte gave %u received-data interrupts, byte 0x%02x", rdi,
		     got);
	if (!thre)
		fail("no THR-empty interrupt after the looped-back byte was sent");
	if (irqs != irqs2)
		fail("%u interrupts with IER clear", irqs - irqs2);
}
