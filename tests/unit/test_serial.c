// SPDX-License-Identifier: MIT
/* The 16550A register model: DLAB, THRE, loopback, FIFOs, IIR, the IRQ line. */
#include "hw/serial.h"

#include "unit.h"
#include "util/timer.h"

static uint8_t txbuf[64];
static unsigned int ntx, irq_edges, room_calls;
static int irq;

static void tx(void *opaque, uint8_t c)
{
	if (ntx < sizeof(txbuf))
		txbuf[ntx] = c;
	ntx++;
}

static void set_irq(void *opaque, int level)
{
	if (level && !irq)
		irq_edges++;
	irq = level;
}

static void rx_room(void *opaque)
{
	room_calls++;
}

static void setup(struct uart16550 *u)
{
	*u = (struct uart16550){
		.tx = tx, .set_irq = set_irq, .rx_room = rx_room,
	};
	uart_init(u);
	ntx = irq_edges = room_calls = 0;
	irq = 0;
}

static void rx_str(struct uart16550 *u, const char *s)
{
	uart_receive(u, (const uint8_t *)s, strlen(s));
}

static void test_power_on(void)
{
	struct uart16550 u;

	setup(&u);
	CHECK_EQ(uart_read(&u, UART_LSR), 0x60);
	CHECK_EQ(uart_read(&u, UART_IIR), 0x01);
	CHECK_EQ(uart_read(&u, UART_IER), 0);
	CHECK_EQ(uart_read(&u, UART_MSR), 0xB0);
	CHECK_EQ(uart_read(&u, UART_MCR), UART_MCR_OUT2);
	CHECK_EQ(irq, 0);
	uart_write(&u, UART_SCR, 0x5a);
	CHECK_EQ(uart_read(&u, UART_SCR), 0x5a);
	/* LSR and MSR ignore writes. */
	uart_write(&u, UART_LSR, 0x00);
	CHECK_EQ(uart_read(&u, UART_LSR), 0x60);
	uart_fini(&u);
}

static void test_dlab(void)
{
	struct uart16550 u;

	setup(&u);
	uart_write(&u, UART_LCR, 0x83);
	CHECK_EQ(uart_read(&u, UART_DLL), 12);
	CHECK_EQ(uart_read(&u, UART_DLM), 0);
	uart_write(&u, UART_DLL, 0x01);
	uart_write(&u, UART_DLM, 0x02);
	CHECK_EQ(uart_read(&u, UART_DLL), 0x01);
	CHECK_EQ(uart_read(&u, UART_DLM), 0x02);
	CHECK_EQ(u.divisor, 0x0201);
	/* With DLAB set, THR and IER are not reached. */
	CHECK_EQ(ntx, 0);
	CHECK_EQ(uart_read(&u, UART_LCR), 0x83);
	uart_write(&u, UART_LCR, 0x03);
	uart_write(&u, UART_IER, 0xff);
	CHECK_EQ(uart_read(&u, UART_IER), 0x0f);
	uart_write(&u, UART_THR, 'k');
	CHECK_EQ(ntx, 1);
	CHECK_EQ(txbuf[0], 'k');
	/* Divisor 1, 8N1: 10 bits a character, 4 characters of timeout. */
	uart_write(&u, UART_LCR, 0x80);
	uart_write(&u, UART_DLL, 1);
	uart_write(&u, UART_DLM, 0);
	uart_write(&u, UART_LCR, 0x03);
	CHECK_EQ(uart_timeout_ns(&u), 40ULL * 1000000000ULL / 115200);
	uart_fini(&u);
}

static void test_thre_interrupt(void)
{
	struct uart16550 u;

	setup(&u);
	/* Enabling ETBEI with THR empty interrupts at once. */
	uart_write(&u, UART_IER, UART_IER_THRI);
	CHECK_EQ(irq, 1);
	CHECK_EQ(irq_edges, 1);
	/* Reading IIR acknowledges it. */
	CHECK_EQ(uart_read(&u, UART_IIR), UART_IIR_THRI);
	CHECK_EQ(irq, 0);
	CHECK_EQ(uart_read(&u, UART_IIR), UART_IIR_NO_INT);
	/* Each byte sent empties THR again: a new edge. */
	uart_write(&u, UART_THR, 'a');
	CHECK_EQ(irq, 1);
	CHECK_EQ(irq_edges, 2);
	uart_write(&u, UART_THR, 'b');
	CHECK_EQ(irq_edges, 3);
	CHECK_EQ(ntx, 2);
	/* Disabling ETBEI drops the line and forgets the pending THRE. */
	uart_write(&u, UART_IER, 0);
	CHECK_EQ(irq, 0);
	uart_write(&u, UART_IER, UART_IER_RDI);
	CHECK_EQ(irq, 0);
	CHECK_EQ(uart_read(&u, UART_IIR), UART_IIR_NO_INT);
	uart_fini(&u);
}

static void test_loopback(void)
{
	struct uart16550 u;
	uint8_t msr;

	setup(&u);
	/* Linux's probe: loopback with RTS and OUT2 reads CTS and DCD. */
	uart_write(&u, UART_MCR, UART_MCR_LOOP | UART_MCR_RTS | UART_MCR_OUT2);
	CHECK_EQ(uart_read(&u, UART_MSR) & 0xf0, 0x90);
	uart_write(&u, UART_MCR, UART_MCR_LOOP | 0x0f);
	msr = uart_read(&u, UART_MSR);
	CHECK_EQ(msr & 0xf0, 0xf0);
	/* DSR and RI rose; reading MSR cleared the earlier deltas. */
	CHECK_EQ(msr & 0x0f, UART_MSR_DDSR);
	uart_write(&u, UART_MCR, UART_MCR_LOOP);
	msr = uart_read(&u, UART_MSR);
	CHECK_EQ(msr, UART_MSR_DCTS | UART_MSR_DDSR | UART_MSR_TERI |
			      UART_MSR_DDCD);
	CHECK_EQ(uart_read(&u, UART_MSR), 0);

	/* Transmitted bytes come back, none reach the back end. */
	CHECK_EQ(uart_can_receive(&u), 0);
	uart_write(&u, UART_THR, 'L');
	CHECK_EQ(ntx, 0);
	CHECK_EQ(uart_read(&u, UART_LSR) & UART_LSR_DR, UART_LSR_DR);
	CHECK_EQ(uart_read(&u, UART_RBR), 'L');
	CHECK_EQ(uart_read(&u, UART_LSR) & UART_LSR_DR, 0);
	/* External input is held off until loopback ends. */
	rx_str(&u, "z");
	CHECK_EQ(uart_read(&u, UART_LSR) & UART_LSR_DR, 0);
	room_calls = 0;
	uart_write(&u, UART_MCR, UART_MCR_OUT2);
	CHECK_EQ(room_calls, 1);
	CHECK_EQ(uart_can_receive(&u), 1);
	CHECK_EQ(uart_read(&u, UART_MSR) & 0xf0, 0xb0);
	uart_write(&u, UART_THR, 'o');
	CHECK_EQ(ntx, 1);
	uart_fini(&u);
}

static void test_no_fifo(void)
{
	struct uart16550 u;

	setup(&u);
	uart_write(&u, UART_IER, UART_IER_RDI | UART_IER_RLSI);
	CHECK_EQ(uart_can_receive(&u), 1);
	rx_str(&u, "a");
	CHECK_EQ(irq, 1);
	CHECK_EQ(uart_read(&u, UART_IIR), UART_IIR_RDI);
	CHECK_EQ(uart_can_receive(&u), 0);
	/* Overrun: the unread byte is lost, OE raises a line-status irq. */
	rx_str(&u, "b");
	CHECK_EQ(uart_read(&u, UART_IIR), UART_IIR_RLSI);
	CHECK_EQ(uart_read(&u, UART_LSR), 0x60 | UART_LSR_DR | UART_LSR_OE);
	CHECK_EQ(uart_read(&u, UART_IIR), UART_IIR_RDI);
	room_calls = 0;
	CHECK_EQ(uart_read(&u, UART_RBR), 'b');
	CHECK_EQ(room_calls, 1);
	CHECK_EQ(irq, 0);
	CHECK_EQ(uart_read(&u, UART_LSR), 0x60);
	/* An empty RBR reads the last byte again. */
	CHECK_EQ(uart_read(&u, UART_RBR), 'b');
	uart_fini(&u);
}

static void test_fifo(void)
{
	struct uart16550 u;
	char s[17];

	setup(&u);
	/* FIFO on, trigger 14. */
	uart_write(&u, UART_FCR, 0xC1);
	CHECK_EQ(uart_read(&u, UART_IIR), 0xC1);
	uart_write(&u, UART_IER, UART_IER_RDI);
	CHECK_EQ(uart_can_receive(&u), 16);
	rx_str(&u, "0123456789abc");
	CHECK_EQ(uart_can_receive(&u), 3);
	CHECK_EQ(irq, 0);
	rx_str(&u, "d");
	CHECK_EQ(irq, 1);
	CHECK_EQ(uart_read(&u, UART_IIR), 0xC0 | UART_IIR_RDI);
	/* Below the trigger again: the line drops. */
	CHECK_EQ(uart_read(&u, UART_RBR), '0');
	CHECK_EQ(irq, 0);
	rx_str(&u, "efg");
	CHECK_EQ(uart_can_receive(&u), 0);
	/* Full: the next byte is lost and OE is set; the FIFO is kept. */
	rx_str(&u, "X");
	CHECK_EQ(uart_read(&u, UART_LSR) & UART_LSR_OE, UART_LSR_OE);
	CHECK_EQ(uart_read(&u, UART_LSR) & UART_LSR_OE, 0);
	for (int i = 0; i < 16; i++)
		s[i] = uart_read(&u, UART_RBR);
	s[16] = 0;
	CHECK_STR(s, "123456789abcdefg");
	CHECK_EQ(uart_read(&u, UART_LSR) & UART_LSR_DR, 0);
	CHECK_EQ(uart_read(&u, UART_RBR), 0);

	/* Clearing the receive FIFO empties it. */
	rx_str(&u, "xyz");
	uart_write(&u, UART_FCR, 0xC1 | UART_FCR_RFR);
	CHECK_EQ(uart_read(&u, UART_LSR) & UART_LSR_DR, 0);
	CHECK_EQ(uart_can_receive(&u), 16);
	CHECK_EQ(uart_read(&u, UART_FCR) & 0xC0, 0xC0);
	/* Turning the FIFO off empties it too and leaves a 1-byte holder. */
	rx_str(&u, "pq");
	uart_write(&u, UART_FCR, 0);
	CHECK_EQ(uart_read(&u, UART_IIR), 0x01);
	CHECK_EQ(uart_read(&u, UART_LSR) & UART_LSR_DR, 0);
	CHECK_EQ(uart_can_receive(&u), 1);
	uart_fini(&u);
}

static void test_timeout(void)
{
	struct uart16550 u;
	uint64_t t0;

	setup(&u);
	uart_write(&u, UART_FCR, 0x81);	/* trigger 8 */
	uart_write(&u, UART_IER, UART_IER_RDI);
	t0 = vm_clock_ns();
	rx_str(&u, "hi");
	CHECK_EQ(irq, 0);
	vm_clock_warp(t0 + uart_timeout_ns(&u) - 1);
	CHECK_EQ(irq, 0);
	vm_clock_warp(t0 + uart_timeout_ns(&u));
	CHECK_EQ(irq, 1);
	CHECK_EQ(uart_read(&u, UART_IIR), 0xC0 | UART_IIR_CTI);
	/* A read clears the timeout and restarts it for what is left. */
	CHECK_EQ(uart_read(&u, UART_RBR), 'h');
	CHECK_EQ(irq, 0);
	t0 = vm_clock_ns();
	vm_clock_warp(t0 + uart_timeout_ns(&u));
	CHECK_EQ(irq, 1);
	CHECK_EQ(uart_read(&u, UART_RBR), 'i');
	CHECK_EQ(irq, 0);
	/* Empty: no timeout fires. */
	vm_clock_warp(vm_clock_ns() + 10 * uart_timeout_ns(&u));
	CHECK_EQ(irq, 0);
	CHECK_EQ(uart_read(&u, UART_IIR), 0xC1);
	uart_fini(&u);
}

/* RLS > RDI/CTI > THRE > MSR. */
static void test_priorities(void)
{
	struct uart16550 u;

	setup(&u);
	uart_write(&u, UART_MCR, UART_MCR_LOOP);	/* makes MSR deltas */
	uart_write(&u, UART_IER, 0x0f);
	/* In loopback: fill the 1-byte holder twice for an overrun. */
	uart_write(&u, UART_THR, '1');
	uart_write(&u, UART_THR, '2');
	CHECK_EQ(irq, 1);
	CHECK_EQ(uart_read(&u, UART_IIR), UART_IIR_RLSI);
	CHECK_EQ(uart_read(&u, UART_IIR), UART_IIR_RLSI);
	uart_read(&u, UART_LSR);
	CHECK_EQ(uart_read(&u, UART_IIR), UART_IIR_RDI);
	CHECK_EQ(uart_read(&u, UART_RBR), '2');
	CHECK_EQ(uart_read(&u, UART_IIR), UART_IIR_THRI);
	/* That read acknowledged THRE; MSR is next. */
	CHECK_EQ(uart_read(&u, UART_IIR), UART_IIR_MSI);
	CHECK_EQ(irq, 1);
	uart_read(&u, UART_MSR);
	CHECK_EQ(uart_read(&u, UART_IIR), UART_IIR_NO_INT);
	CHECK_EQ(irq, 0);
	uart_fini(&u);
}

int main(void)
{
	vm_clock_use_virtual();
	test_power_on();
	test_dlab();
	test_thre_interrupt();
	test_loopback();
	test_no_fifo();
	test_fifo();
	test_timeout();
	test_priorities();
	return unit_report();
}
