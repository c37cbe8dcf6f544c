// SPDX-License-Identifier: MIT
/*
 * A 16550A UART as COM1 (0x3F8, IRQ 4).  Transmission is instant: a byte
 * written to THR goes straight to the back end, so THR and the shifter are
 * empty again by the time the write returns, and the THRE interrupt is
 * re-raised after every byte (an edge the guest's driver waits for).
 */
#include "hw/serial.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "device.h"
#include "hw/chardev.h"
#include "memory.h"
#include "util/log.h"
#include "vm.h"

/* ---- the register model ---- */

static bool fifo_mode(const struct uart16550 *u)
{
	return u->fcr & UART_FCR_FE;
}

static bool loopback(const struct uart16550 *u)
{
	return u->mcr & UART_MCR_LOOP;
}

/* The modem inputs: wired to MCR in loopback, else a connected modem. */
static uint8_t msr_status(const struct uart16550 *u)
{
	uint8_t s = 0;

	if (!loopback(u))
		return UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD;
	if (u->mcr & UART_MCR_RTS)
		s |= UART_MSR_CTS;
	if (u->mcr & UART_MCR_DTR)
		s |= UART_MSR_DSR;
	if (u->mcr & UART_MCR_OUT1)
		s |= UART_MSR_RI;
	if (u->mcr & UART_MCR_OUT2)
		s |= UART_MSR_DCD;
	return s;
}

/* The pending interrupt of highest priority, as IIR bits 0-3. */
static uint8_t iir_id(const struct uart16550 *u)
{
	if ((u->ier & UART_IER_RLSI) && (u->lsr & UART_LSR_ERRORS))
		return UART_IIR_RLSI;
	if ((u->ier & UART_IER_RDI) && u->timeout_ipending)
		return UART_IIR_CTI;
	if ((u->ier & UART_IER_RDI) && (u->lsr & UART_LSR_DR) &&
	    (!fifo_mode(u) || u->rx_count >= u->rx_trigger))
		return UART_IIR_RDI;
	if ((u->ier & UART_IER_THRI) && u->thr_ipending)
		return UART_IIR_THRI;
	if ((u->ier & UART_IER_MSI) && u->msr_delta)
		return UART_IIR_MSI;
	return UART_IIR_NO_INT;
}

static void update_irq(struct uart16550 *u)
{
	int level = iir_id(u) != UART_IIR_NO_INT;

	if (level != u->irq_level) {
		u->irq_level = level;
		u->set_irq(u->opaque, level);
	}
}

uint64_t uart_timeout_ns(const struct uart16550 *u)
{
	unsigned int bits = 1 + 5 + (u->lcr & 3) + ((u->lcr & 0x04) ? 2 : 1) +
			    ((u->lcr & 0x08) ? 1 : 0);
	uint64_t div = u->divisor ? u->divisor : 1;

	return 4 * bits * div * 1000000000ULL / UART_CLOCK_HZ;
}

static void rx_timeout(void *opaque)
{
	struct uart16550 *u = opaque;

	if (u->rx_count && fifo_mode(u)) {
		u->timeout_ipending = true;
		update_irq(u);
	}
}

static void rx_rearm(struct uart16550 *u)
{
	u->timeout_ipending = false;
	if (u->rx_count && fifo_mode(u))
		timer_mod(&u->timeout_timer, vm_clock_ns() + uart_timeout_ns(u));
	else
		timer_del(&u->timeout_timer);
}

static void rx_clear(struct uart16550 *u)
{
	u->rx_head = u->rx_count = 0;
	u->lsr &= ~(UART_LSR_DR | UART_LSR_BI);
	u->timeout_ipending = false;
	timer_del(&u->timeout_timer);
}

/* One byte into the receiver, from the line or the loopback. */
static void rx_push(struct uart16550 *u, uint8_t c)
{
	unsigned int depth = fifo_mode(u) ? UART_FIFO_SIZE : 1;

	if (u->rx_count == depth) {
		u->lsr |= UART_LSR_OE;
		/* Without a FIFO the new byte replaces the unread one. */
		if (!fifo_mode(u))
			u->rx[u->rx_head] = c;
	} else {
		u->rx[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = c;
		u->rx_count++;
	}
	u->lsr |= UART_LSR_DR;
}

size_t uart_can_receive(const struct uart16550 *u)
{
	unsigned int depth = fifo_mode(u) ? UART_FIFO_SIZE : 1;

	/* In loopback the line is disconnected: input waits. */
	if (loopback(u))
		return 0;
	return depth - u->rx_count;
}

void uart_receive(struct uart16550 *u, const uint8_t *buf, size_t len)
{
	if (loopback(u))
		return;
	for (size_t i = 0; i < len; i++)
		rx_push(u, buf[i]);
	rx_rearm(u);
	update_irq(u);
}

static void notify_room(struct uart16550 *u)
{
	if (u->rx_room && uart_can_receive(u))
		u->rx_room(u->opaque);
}

static uint8_t read_rbr(struct uart16550 *u)
{
	uint8_t c = fifo_mode(u) ? 0 : u->rbr;

	if (u->rx_count) {
		c = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
		u->rx_count--;
		u->rbr = c;
	}
	if (!u->rx_count)
		u->lsr &= ~(UART_LSR_DR | UART_LSR_BI);
	rx_rearm(u);
	update_irq(u);
	notify_room(u);
	return c;
}

static void write_thr(struct uart16550 *u, uint8_t c)
{
	u->thr_ipending = false;
	u->lsr &= ~(UART_LSR_THRE | UART_LSR_TEMT);
	update_irq(u);
	if (loopback(u)) {
		rx_push(u, c);
		rx_rearm(u);
	} else {
		u->tx(u->opaque, c);
	}
	u->lsr |= UART_LSR_THRE | UART_LSR_TEMT;
	u->thr_ipending = true;
	update_irq(u);
}

static void write_ier(struct uart16550 *u, uint8_t val)
{
	uint8_t changed = (u->ier ^ val) & 0x0f;

	u->ier = val & 0x0f;
	/* Enabling ETBEI with THR empty interrupts at once, as on a 16550. */
	if (changed & UART_IER_THRI)
		u->thr_ipending = (u->ier & UART_IER_THRI) &&
				  (u->lsr & UART_LSR_THRE);
	update_irq(u);
}

static void write_fcr(struct uart16550 *u, uint8_t val)
{
	static const unsigned int trigger[4] = { 1, 4, 8, 14 };

	/* Switching the FIFOs on or off empties them. */
	if ((val ^ u->fcr) & UART_FCR_FE)
		val |= UART_FCR_RFR | UART_FCR_XFR;
	if (val & UART_FCR_RFR)
		rx_clear(u);
	if (val & UART_FCR_XFR) {
		u->lsr |= UART_LSR_THRE | UART_LSR_TEMT;
		u->thr_ipending = true;
	}
	u->fcr = val & (UART_FCR_FE | UART_FCR_DMA | UART_FCR_ITL);
	u->rx_trigger = trigger[u->fcr >> 6];
	if (!fifo_mode(u))
		u->fcr = 0;
	update_irq(u);
	notify_room(u);
}

static void write_mcr(struct uart16550 *u, uint8_t val)
{
	uint8_t before = msr_status(u), after, diff;
	bool was_loop = loopback(u);

	u->mcr = val & 0x1f;
	after = msr_status(u);
	diff = before ^ after;
	if (diff & UART_MSR_CTS)
		u->msr_delta |= UART_MSR_DCTS;
	if (diff & UART_MSR_DSR)
		u->msr_delta |= UART_MSR_DDSR;
	if ((before & UART_MSR_RI) && !(after & UART_MSR_RI))
		u->msr_delta |= UART_MSR_TERI;
	if (diff & UART_MSR_DCD)
		u->msr_delta |= UART_MSR_DDCD;
	update_irq(u);
	if (was_loop && !loopback(u))
		notify_room(u);
}

uint8_t uart_read(struct uart16550 *u, unsigned int reg)
{
	uint8_t v;

	switch (reg & 7) {
	case UART_RBR:
		if (u->lcr & UART_LCR_DLAB)
			return u->divisor & 0xff;
		return read_rbr(u);
	case UART_IER:
		if (u->lcr & UART_LCR_DLAB)
			return u->divisor >> 8;
		return u->ier;
	case UART_IIR:
		v = iir_id(u);
		/* Reading IIR is how a THRE interrupt is acknowledged. */
		if (v == UART_IIR_THRI) {
			u->thr_ipending = false;
			update_irq(u);
		}
		return v | (fifo_mode(u) ? UART_IIR_FIFO : 0);
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		v = u->lsr;
		if (u->lsr & (UART_LSR_ERRORS | UART_LSR_FIFOE)) {
			u->lsr &= ~(UART_LSR_ERRORS | UART_LSR_FIFOE);
			update_irq(u);
		}
		return v;
	case UART_MSR:
		v = msr_status(u) | u->msr_delta;
		if (u->msr_delta) {
			u->msr_delta = 0;
			update_irq(u);
		}
		return v;
	default:
		return u->scr;
	}
}

void uart_write(struct uart16550 *u, unsigned int reg, uint8_t val)
{
	switch (reg & 7) {
	case UART_THR:
		if (u->lcr & UART_LCR_DLAB)
			u->divisor = (u->divisor & 0xff00) | val;
		else
			write_thr(u, val);
		break;
	case UART_IER:
		if (u->lcr & UART_LCR_DLAB)
			u->divisor = (u->divisor & 0x00ff) | (val << 8);
		else
			write_ier(u, val);
		break;
	case UART_FCR:
		write_fcr(u, val);
		break;
	case UART_LCR:
		u->lcr = val;
		break;
	case UART_MCR:
		write_mcr(u, val);
		break;
	case UART_SCR:
		u->scr = val;
		break;
	default:
		/* LSR and MSR are read-only here (factory test writes). */
		break;
	}
}

void uart_init(struct uart16550 *u)
{
	u->ier = u->fcr = u->lcr = u->scr = 0;
	u->mcr = UART_MCR_OUT2;
	u->lsr = UART_LSR_THRE | UART_LSR_TEMT;
	u->msr_delta = 0;
	u->divisor = 12;	/* 9600 baud, as firmware leaves it */
	u->rx_head = u->rx_count = 0;
	u->rx_trigger = 1;
	u->rbr = 0;
	u->thr_ipending = u->timeout_ipending = false;
	u->irq_level = 0;
	timer_init(&u->timeout_timer, rx_timeout, u);
}

void uart_fini(struct uart16550 *u)
{
	timer_del(&u->timeout_timer);
}

/* ---- the COM1 device ---- */

struct serial_dev {
	struct uart16550 uart;
	struct vm *vm;
	struct chardev *chr;
	bool attached, registered;
};

static struct serial_dev *com1;

static void serial_tx(void *opaque, uint8_t c)
{
	struct serial_dev *s = opaque;

	chardev_write(s->chr, &c, 1);
}

static void serial_set_irq(void *opaque, int level)
{
	struct serial_dev *s = opaque;

	vm_set_irq(s->vm, UART_COM1_IRQ, level);
}

static void serial_rx_room(void *opaque)
{
	struct serial_dev *s = opaque;

	chardev_accept_input(s->chr);
}

static size_t serial_can_receive(void *opaque)
{
	struct serial_dev *s = opaque;

	return uart_can_receive(&s->uart);
}

static void serial_receive(void *opaque, const uint8_t *buf, size_t len)
{
	struct serial_dev *s = opaque;

	uart_receive(&s->uart, buf, len);
}

/* Wider accesses reach consecutive registers, a byte each. */
static void serial_io(void *opaque, uint64_t offset, uint8_t *data,
		      uint32_t len, bool is_write)
{
	struct serial_dev *s = opaque;

	for (uint32_t i = 0; i < len; i++) {
		if (offset + i >= 8)
			data[i] = 0xff;
		else if (is_write)
			uart_write(&s->uart, offset + i, data[i]);
		else
			data[i] = uart_read(&s->uart, offset + i);
	}
}

static void serial_teardown(struct vm *vm)
{
	struct serial_dev *s = com1;

	if (!s)
		return;
	com1 = NULL;
	if (s->registered)
		bus_unregister(&pio_bus, UART_COM1_BASE);
	if (s->attached)
		chardev_detach(s->chr);
	uart_fini(&s->uart);
	free(s);
}

static int serial_realize(struct vm *vm)
{
	struct chardev_frontend fe = {
		.can_receive = serial_can_receive,
		.receive = serial_receive,
	};
	struct serial_dev *s;
	int ret;

	if (vm->cfg->serial == SERIAL_NONE)
		return 0;
	s = calloc(1, sizeof(*s));
	if (!s) {
		log_error("serial: out of memory");
		return -ENOMEM;
	}
	s->vm = vm;
	s->uart.tx = serial_tx;
	s->uart.set_irq = serial_set_irq;
	s->uart.rx_room = serial_rx_room;
	s->uart.opaque = s;
	uart_init(&s->uart);
	com1 = s;
	/* -serial stdio without -nographic keeps Ctrl-C a signal, as QEMU. */
	s->chr = chardev_stdio(!vm->cfg->nographic);
	if (!s->chr) {
		ret = -EIO;
		goto err;
	}
	fe.opaque = s;
	ret = chardev_attach(s->chr, vm, &fe);
	if (ret)
		goto err;
	s->attached = true;
	ret = bus_register(&pio_bus, UART_COM1_BASE, 8, serial_io, s, "serial");
	if (ret) {
		log_error("serial: ports 0x%x-0x%x: %s", UART_COM1_BASE,
			  UART_COM1_BASE + 7, strerror(-ret));
		goto err;
	}
	s->registered = true;
	return 0;
err:
	serial_teardown(vm);
	return ret;
}

/* Not static: unit tests realize it directly. */
const struct device_ops serial_device = {
	.name = "serial",
	.order = DEVICE_ORDER_PLATFORM,
	.realize = serial_realize,
	.teardown = serial_teardown,
};

DEVICE_REGISTER(serial_device);
