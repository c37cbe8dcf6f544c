// SPDX-License-Identifier: MIT
/*
 * A user-space IOAPIC (as the 82093AA, version 0x20 with the EOI register)
 * and the PC's GSI router that feeds it and the PIC.
 *
 * Registers (32-bit, indirect through IOREGSEL at +0x00 and IOWIN at +0x10):
 * 0x00 ID (bits 24-27), 0x01 version, 0x02 arbitration,
 * 0x10 + 2n redirection entry n.
 * A write to the EOI register (+0x40) ends a level-triggered interrupt as a
 * local APIC EOI broadcast would.
 *
 * Trigger modes: an edge pin sends one message per rising edge of its input
 * while unmasked (an edge while masked is lost, as on the real chip).  A
 * level pin sends a message while its input is asserted, unmasked and its
 * remote IRR is clear; the message sets remote IRR and the EOI for its
 * vector clears it, after which a still-asserted input sends again.
 * Polarity is taken as given: inputs are "asserted" levels, whatever the
 * entry's polarity bit says (as QEMU does).
 */
#include "hw/ioapic.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "hw/pic.h"
#include "memory.h"
#include "util/log.h"
#include "vm.h"

#define IOAPIC_MMIO_SIZE 0x1000
#define IOAPIC_REG_SELECT 0x00
#define IOAPIC_REG_WINDOW 0x10
#define IOAPIC_REG_EOI 0x40

#define IOAPIC_ID 0x00
#define IOAPIC_VERSION 0x01
#define IOAPIC_ARB 0x02
#define IOAPIC_REDTBL 0x10
#define IOAPIC_VERSION_VALUE (0x20 | (IOAPIC_NUM_PINS - 1) << 16)

#define RTE_VECTOR 0xffull
#define RTE_DELIVERY_SHIFT 8
#define RTE_DEST_LOGICAL (1ull << 11)
#define RTE_DELIVERY_STATUS (1ull << 12)
#define RTE_POLARITY_LOW (1ull << 13)
#define RTE_REMOTE_IRR (1ull << 14)
#define RTE_LEVEL (1ull << 15)
#define RTE_MASKED (1ull << 16)
#define RTE_DEST_SHIFT 56
/* Read-only: delivery status and remote IRR.  Bits 17-55 are reserved. */
#define RTE_WRITABLE ((0xff00000000000000ull | 0x1ffffull) & \
	~(RTE_DELIVERY_STATUS | RTE_REMOTE_IRR))

#define MSI_ADDR_BASE 0xfee00000ull
#define MSI_ADDR_DEST_SHIFT 12
#define MSI_ADDR_LOGICAL (1u << 2)
#define MSI_DATA_ASSERT (1u << 14)
#define MSI_DATA_LEVEL (1u << 15)

struct ioapic_state {
	struct vm *vm;
	uint8_t id;
	uint8_t regsel;
	uint32_t lines;		/* input levels by pin */
	uint64_t rte[IOAPIC_NUM_PINS];
	bool registered;
	void (*notify)(void *opaque, unsigned int pin);
	void *notify_opaque;
};

static struct ioapic_state *ioapic;

bool ioapic_present(void)
{
	return ioapic != NULL;
}

static void rte_route(uint64_t e, uint64_t *addr, uint32_t *data)
{
	*addr = MSI_ADDR_BASE | (e >> RTE_DEST_SHIFT) << MSI_ADDR_DEST_SHIFT |
		(e & RTE_DEST_LOGICAL ? MSI_ADDR_LOGICAL : 0);
	*data = (e & RTE_VECTOR) | (e >> RTE_DELIVERY_SHIFT & 7) << 8 |
		MSI_DATA_ASSERT | (e & RTE_LEVEL ? MSI_DATA_LEVEL : 0);
}

bool ioapic_pin_route(unsigned int pin, uint64_t *addr, uint32_t *data)
{
	if (!ioapic || pin >= IOAPIC_NUM_PINS)
		return false;
	rte_route(ioapic->rte[pin], addr, data);
	return !(ioapic->rte[pin] & RTE_MASKED);
}

void ioapic_set_route_notifier(void (*fn)(void *opaque, unsigned int pin),
			       void *opaque)
{
	if (!ioapic)
		return;
	ioapic->notify = fn;
	ioapic->notify_opaque = opaque;
}

static void deliver(struct ioapic_state *s, unsigned int pin)
{
	uint64_t addr;
	uint32_t data;

	if (s->rte[pin] & RTE_LEVEL)
		s->rte[pin] |= RTE_REMOTE_IRR;
	rte_route(s->rte[pin], &addr, &data);
	vm_send_msi(s->vm, addr, data);
}

/* A level pin sends when asserted, unmasked and not awaiting its EOI. */
static void service_level(struct ioapic_state *s, unsigned int pin)
{
	uint64_t e = s->rte[pin];

	if ((s->lines & (1u << pin)) && (e & RTE_LEVEL) &&
	    !(e & (RTE_MASKED | RTE_REMOTE_IRR)))
		deliver(s, pin);
}

void ioapic_set_irq(unsigned int n, int level)
{
	struct ioapic_state *s = ioapic;
	unsigned int pin = n == 0 ? 2 : n;	/* ISA IRQ 0 is on pin 2 */
	uint32_t mask = 1u << pin;
	bool was;

	if (!s || n >= IOAPIC_NUM_PINS)
		return;
	was = s->lines & mask;
	if (level)
		s->lines |= mask;
	else
		s->lines &= ~mask;
	if (s->rte[pin] & RTE_LEVEL)
		service_level(s, pin);
	else if (level && !was && !(s->rte[pin] & RTE_MASKED))
		deliver(s, pin);
}

void ioapic_eoi_broadcast(unsigned int vector)
{
	struct ioapic_state *s = ioapic;

	if (!s)
		return;
	for (unsigned int pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
		uint64_t e = s->rte[pin];

		if (!(e & RTE_LEVEL) || !(e & RTE_REMOTE_IRR) ||
		    (e & RTE_VECTOR) != (vector & 0xff))
			continue;
		s->rte[pin] &= ~RTE_REMOTE_IRR;
		service_level(s, pin);
	}
}

static uint32_t reg_read(struct ioapic_state *s)
{
	unsigned int idx;

	switch (s->regsel) {
	case IOAPIC_ID:
	case IOAPIC_ARB:
		return (uint32_t)s->id << 24;
	case IOAPIC_VERSION:
		return IOAPIC_VERSION_VALUE;
	}
	if (s->regsel < IOAPIC_REDTBL)
		return 0;
	idx = (s->regsel - IOAPIC_REDTBL) >> 1;
	if (idx >= IOAPIC_NUM_PINS)
		return 0;
	return s->regsel & 1 ? s->rte[idx] >> 32 : (uint32_t)s->rte[idx];
}

static void rte_write(struct ioapic_state *s, unsigned int pin, bool high,
		      uint32_t val)
{
	uint64_t old = s->rte[pin], e;

	if (high)
		e = (old & 0xffffffffull) | (uint64_t)val << 32;
	else
		e = (old & ~0xffffffffull) | val;
	e = (e & RTE_WRITABLE) | (old & (RTE_DELIVERY_STATUS | RTE_REMOTE_IRR));
	/* Remote IRR means nothing for an edge pin. */
	if (!(e & RTE_LEVEL))
		e &= ~RTE_REMOTE_IRR;
	s->rte[pin] = e;
	if (s->notify)
		s->notify(s->notify_opaque, pin);
	service_level(s, pin);
}

static void reg_write(struct ioapic_state *s, uint32_t val)
{
	unsigned int idx;

	if (s->regsel == IOAPIC_ID) {
		s->id = (val >> 24) & 0x0f;	/* bits 27:24 only */
		return;
	}
	if (s->regsel < IOAPIC_REDTBL)
		return;		/* version and arbitration are read-only */
	idx = (s->regsel - IOAPIC_REDTBL) >> 1;
	if (idx < IOAPIC_NUM_PINS)
		rte_write(s, idx, s->regsel & 1, val);
}

static void ioapic_mmio(void *opaque, uint64_t offset, uint8_t *data,
			uint32_t len, bool is_write)
{
	struct ioapic_state *s = opaque;
	uint32_t val = 0;

	if (!is_write) {
		if (offset == IOAPIC_REG_SELECT)
			val = s->regsel;
		else if (offset == IOAPIC_REG_WINDOW)
			val = reg_read(s);
		io_data_set(data, len, val);
		return;
	}
	val = io_data_get(data, len);
	switch (offset) {
	case IOAPIC_REG_SELECT:
		s->regsel = val;
		break;
	case IOAPIC_REG_WINDOW:
		if (len != 4) {
			log_guest_error_once("ioapic: %u-byte write to IOWIN ignored",
					     len);
			break;
		}
		reg_write(s, val);
		break;
	case IOAPIC_REG_EOI:
		ioapic_eoi_broadcast(val & 0xff);
		break;
	}
}

void pc_gsi_set_irq(void *opaque, unsigned int gsi, int level)
{
	if (gsi < PIC_NUM_IRQS)
		pic_set_irq(gsi, level);
	if (gsi < IOAPIC_NUM_PINS)
		ioapic_set_irq(gsi, level);
	else
		log_guest_error_once("ioapic: interrupt on GSI %u dropped (24 pins)",
				     gsi);
}

/* The MADT names the IOAPIC after the CPUs (x86/acpi.c): so does its ID. */
static void ioapic_power_on(struct ioapic_state *s)
{
	s->id = s->vm->ncpus;
	s->regsel = 0;
	for (unsigned int i = 0; i < IOAPIC_NUM_PINS; i++)
		s->rte[i] = RTE_MASKED;
}

static void ioapic_teardown(struct vm *vm)
{
	if (!ioapic)
		return;
	if (vm->irqchip.set_irq == pc_gsi_set_irq)
		vm->irqchip = (struct irqchip_ops){ 0 };
	if (ioapic->registered)
		bus_unregister(&mmio_bus, MEM_IOAPIC_BASE);
	free(ioapic);
	ioapic = NULL;
}

static int ioapic_realize(struct vm *vm)
{
	int ret;

	if (!vm->user_irqchip)
		return 0;
	ioapic = calloc(1, sizeof(*ioapic));
	if (!ioapic) {
		log_error("ioapic: out of memory");
		return -ENOMEM;
	}
	ioapic->vm = vm;
	ioapic_power_on(ioapic);
	ret = bus_register(&mmio_bus, MEM_IOAPIC_BASE, IOAPIC_MMIO_SIZE,
			   ioapic_mmio, ioapic, "ioapic");
	if (ret) {
		log_error("ioapic: cannot claim MMIO at 0x%llx: %s",
			  MEM_IOAPIC_BASE, strerror(-ret));
		ioapic_teardown(vm);
		return ret;
	}
	ioapic->registered = true;
	vm->irqchip = (struct irqchip_ops){
		.set_irq = pc_gsi_set_irq,
		.opaque = vm,
	};
	return 0;
}

/* Called with the VM stopped. */
static void ioapic_reset(struct vm *vm)
{
	if (!ioapic)
		return;
	ioapic_power_on(ioapic);
	ioapic->lines = 0;
	if (ioapic->notify)
		for (unsigned int i = 0; i < IOAPIC_NUM_PINS; i++)
			ioapic->notify(ioapic->notify_opaque, i);
}

static const struct device_ops ioapic_device = {
	.name = "ioapic",
	.order = DEVICE_ORDER_IRQCHIP,
	.realize = ioapic_realize,
	.reset = ioapic_reset,
	.teardown = ioapic_teardown,
};

DEVICE_REGISTER(ioapic_device);
