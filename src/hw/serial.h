/* SPDX-License-Identifier: MIT */
/*
 * The 16550A UART's register model, free of any VM: the device in serial.c
 * wires it to a port range, an interrupt line and a chardev, and the unit
 * tests drive it directly.  Calls need the bus lock (or a single thread).
 */
#ifndef KVMRUN_HW_SERIAL_H
#define KVMRUN_HW_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/timer.h"

#define UART_COM1_BASE 0x3F8
#define UART_COM1_IRQ 4
#define UART_FIFO_SIZE 16
#define UART_CLOCK_HZ 115200	/* 1.8432 MHz / 16: the divisor's base */

/* Register offsets (DLAB selects the divisor latch at 0 and 1). */
enum {
	UART_RBR = 0, UART_THR = 0, UART_DLL = 0,
	UART_IER = 1, UART_DLM = 1,
	UART_IIR = 2, UART_FCR = 2,
	UART_LCR = 3,
	UART_MCR = 4,
	UART_LSR = 5,
	UART_MSR = 6,
	UART_SCR = 7,
};

#define UART_IER_RDI 0x01	/* received data available */
#define UART_IER_THRI 0x02	/* THR empty */
#define UART_IER_RLSI 0x04	/* receiver line status */
#define UART_IER_MSI 0x08	/* modem status */

#define UART_IIR_NO_INT 0x01
#define UART_IIR_MSI 0x00
#define UART_IIR_THRI 0x02
#define UART_IIR_RDI 0x04
#define UART_IIR_RLSI 0x06
#define UART_IIR_CTI 0x0C	/* character timeout (FIFO mode) */
#define UART_IIR_FIFO 0xC0	/* FIFOs enabled */

#define UART_FCR_FE 0x01
#define UART_FCR_RFR 0x02	/* clear the receive FIFO */
#define UART_FCR_XFR 0x04	/* clear the transmit FIFO */
#define UART_FCR_DMA 0x08
#define UART_FCR_ITL 0xC0	/* receive trigger: 1, 4, 8, 14 */

#define UART_LCR_DLAB 0x80

#define UART_MCR_DTR 0x01
#define UART_MCR_RTS 0x02
#define UART_MCR_OUT1 0x04
#define UART_MCR_OUT2 0x08
#define UART_MCR_LOOP 0x10

#define UART_LSR_DR 0x01
#define UART_LSR_OE 0x02
#define UART_LSR_PE 0x04
#define UART_LSR_FE 0x08
#define UART_LSR_BI 0x10
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define UART_LSR_FIFOE 0x80
#define UART_LSR_ERRORS (UART_LSR_OE | UART_LSR_PE | UART_LSR_FE | UART_LSR_BI)

#define UART_MSR_DCTS 0x01
#define UART_MSR_DDSR 0x02
#define UART_MSR_TERI 0x04
#define UART_MSR_DDCD 0x08
#define UART_MSR_CTS 0x10
#define UART_MSR_DSR 0x20
#define UART_MSR_RI 0x40
#define UART_MSR_DCD 0x80

struct uart16550 {
	uint8_t ier, fcr, lcr, mcr, lsr, scr;
	uint8_t msr_delta;	/* MSR bits 0-3, cleared by reading MSR */
	uint16_t divisor;
	uint8_t rx[UART_FIFO_SIZE];
	unsigned int rx_head, rx_count, rx_trigger;
	uint8_t rbr;		/* the last byte read (non-FIFO mode) */
	bool thr_ipending;	/* THR emptied and IIR not yet read */
	bool timeout_ipending;	/* character timeout (FIFO mode) */
	int irq_level;
	struct timer timeout_timer;

	/* Wiring: a transmitted byte, the interrupt line, room in the RX FIFO. */
	void (*tx)(void *opaque, uint8_t c);
	void (*set_irq)(void *opaque, int level);
	void (*rx_room)(void *opaque);
	void *opaque;
};

/* Power-on state; the callbacks must be set (rx_room may be NULL). */
void uart_init(struct uart16550 *u);
void uart_fini(struct uart16550 *u);
uint8_t uart_read(struct uart16550 *u, unsigned int reg);
void uart_write(struct uart16550 *u, unsigned int reg, uint8_t val);
/* Input from the back end: how much fits now, and the bytes. */
size_t uart_can_receive(const struct uart16550 *u);
void uart_receive(struct uart16550 *u, const uint8_t *buf, size_t len);
/* Four character times at the current line settings, in ns. */
uint64_t uart_timeout_ns(const struct uart16550 *u);

#endif
