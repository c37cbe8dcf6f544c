// SPDX-License-Identifier: MIT
/*
 * The PC's cascaded 8259A pair and the PIIX edge/level control registers
 * (ELCR, 0x4D0/0x4D1).  Implemented from the 8259A data sheet: ICW1-4
 * initialization, OCW1 mask, OCW2 EOI and rotation commands, OCW3 register
 * select, poll mode and special mask, auto-EOI, special fully nested mode.
 * Level-triggered inputs (ELCR) keep their request bit while asserted.
 *
 * Realized only with a user-space irqchip (qtest, kernel-irqchip=split).
 * See pic.h for where the INTR output goes.
 */
#include "hw/pic.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "memory.h"
#include "util/log.h"
#include "vm.h"

#define PIC_MASTER_BASE 0x20
#define PIC_SLAVE_BASE 0xA0
#define PIC_ELCR_BASE 0x4D0
#define PIC_CASCADE_IRQ 2

/* ICW1 */
#define ICW1_ICW4 0x01
#define ICW1_SINGLE 0x02
#define ICW1_LTIM 0x08
#define ICW1_INIT 0x10
/* OCW3 */
#define OCW3_SEL 0x08
#define OCW3_RIS 0x01
#define OCW3_RR 0x02
#define OCW3_POLL 0x04
#define OCW3_SMM 0x20
#define OCW3_ESMM 0x40
/* ICW4 */
#define ICW4_AEOI 0x02
#define ICW4_SFNM 0x10

struct i8259 {
	uint8_t irr;		/* requests */
	uint8_t isr;		/* in service */
	uint8_t imr;		/* masked */
	uint8_t lines;		/* input levels, for edge detection */
	uint8_t elcr;		/* 1 = level triggered */
	uint8_t elcr_mask;	/* which ELCR bits exist */
	uint8_t base;		/* vector of IRQ 0 (ICW2) */
	uint8_t lowest;		/* rotation: the IRQ of lowest priority */
	uint8_t init_step;	/* 0 = ready, 1..3 = expecting ICW2..ICW4 */
	bool icw4_needed;
	bool single;
	bool auto_eoi;
	bool rotate_auto_eoi;
	bool special_mask;
	bool fully_nested;	/* special fully nested mode */
	bool poll;
	bool read_isr;
	bool is_master;
};

struct pic_state {
	struct vm *vm;
	struct i8259 chip[2];	/* master, slave */
	bool output;
	unsigned int registered;	/* bus ranges we own, by index */
	void (*hook)(void *opaque, int level);
	void *hook_opaque;
};

static struct pic_state *pic;

bool pic_present(void)
{
	return pic != NULL;
}

/* Priority 0 is highest; rotation makes lowest+1 the highest. */
static int priority_of(const struct i8259 *c, uint8_t mask)
{
	for (int p = 0; p < 8; p++)
		if (mask & (1u << ((c->lowest + 1 + p) & 7)))
			return p;
	return 8;
}

static int irq_of_priority(const struct i8259 *c, int p)
{
	return (c->lowest + 1 + p) & 7;
}

/* The IRQ this chip would present to the CPU now, or -1. */
static int chip_pending(const struct i8259 *c)
{
	uint8_t in_service = c->isr;
	int req = priority_of(c, c->irr & ~c->imr);

	if (req == 8)
		return -1;
	if (c->special_mask)
		in_service &= ~c->imr;
	/* In SFNM the cascade in service lets the slave's requests through. */
	if (c->fully_nested && c->is_master)
		in_service &= ~(1u << PIC_CASCADE_IRQ);
	if (req < priority_of(c, in_service))
		return irq_of_priority(c, req);
	return -1;
}

static void chip_input(struct i8259 *c, unsigned int irq, bool level)
{
	uint8_t mask = 1u << irq;

	if (c->elcr & mask) {
		if (level)
			c->irr |= mask;
		else
			c->irr &= ~mask;
	} else if (level && !(c->lines & mask)) {
		c->irr |= mask;
	}
	if (level)
		c->lines |= mask;
	else
		c->lines &= ~mask;
}

static void pic_update(struct pic_state *p)
{
	bool out;

	chip_input(&p->chip[0], PIC_CASCADE_IRQ,
		   chip_pending(&p->chip[1]) >= 0);
	out = chip_pending(&p->chip[0]) >= 0;
	if (out == p->output)
		return;
	p->output = out;
	if (p->hook)
		p->hook(p->hook_opaque, out);
}

void pic_set_irq(unsigned int irq, int level)
{
	if (!pic || irq >= PIC_NUM_IRQS || irq == PIC_CASCADE_IRQ)
		return;
	chip_input(&pic->chip[irq >> 3], irq & 7, level != 0);
	pic_update(pic);
}

bool pic_output(void)
{
	return pic && pic->output;
}

void pic_set_output_hook(void (*fn)(void *opaque, int level), void *opaque)
{
	if (!pic)
		return;
	pic->hook = fn;
	pic->hook_opaque = opaque;
}

/* The acknowledge of irq: into service (unless auto-EOI), edge request done. */
static void chip_ack(struct i8259 *c, int irq)
{
	uint8_t mask = 1u << irq;

	if (c->auto_eoi) {
		if (c->rotate_auto_eoi)
			c->lowest = irq;
	} else {
		c->isr |= mask;
	}
	if (!(c->elcr & mask))
		c->irr &= ~mask;
}

int pic_read_irq(void)
{
	struct i8259 *m, *s;
	int irq, irq2, vector;

	if (!pic)
		return -1;
	m = &pic->chip[0];
	s = &pic->chip[1];
	irq = chip_pending(m);
	if (irq < 0) {
		/* The INTR went away before INTA: the spurious IRQ 7. */
		vector = m->base + 7;
	} else if (irq == PIC_CASCADE_IRQ) {
		chip_ack(m, irq);
		irq2 = chip_pending(s);
		if (irq2 >= 0) {
			chip_ack(s, irq2);
			vector = s->base + irq2;
		} else {
			vector = s->base + 7;
		}
	} else {
		chip_ack(m, irq);
		vector = m->base + irq;
	}
	pic_update(pic);
	return vector;
}

/* OCW3 poll: the acknowledge without INTA, for software that polls. */
static uint8_t chip_poll(struct i8259 *c)
{
	int irq = chip_pending(c);

	c->poll = false;
	if (irq < 0)
		return 0;
	chip_ack(c, irq);
	return 0x80 | irq;
}

/*
 * ICW1: the chip forgets its state (ELCR is a separate register).  The edge
 * sense is reset: an edge input already high must go low and high again to
 * request; a level input still asserted requests at once.
 */
static void chip_icw1(struct i8259 *c, uint8_t val)
{
	c->irr = c->lines & c->elcr;
	c->isr = c->imr = 0;
	c->lowest = 7;
	c->auto_eoi = c->rotate_auto_eoi = false;
	c->special_mask = c->fully_nested = false;
	c->poll = c->read_isr = false;
	c->icw4_needed = val & ICW1_ICW4;
	c->single = val & ICW1_SINGLE;
	c->init_step = 1;
	if (val & ICW1_LTIM)
		log_guest_error_once("pic: level-triggered mode (LTIM) not supported; use the ELCR");
}

static void chip_eoi(struct i8259 *c, uint8_t val)
{
	int p, irq;

	switch (val >> 5) {
	case 0:		/* rotate in auto-EOI mode: clear */
		c->rotate_auto_eoi = false;
		break;
	case 4:		/* rotate in auto-EOI mode: set */
		c->rotate_auto_eoi = true;
		break;
	case 1:		/* non-specific EOI */
	case 5:		/* rotate on non-specific EOI */
		p = priority_of(c, c->isr);
		if (p == 8)
			break;
		irq = irq_of_priority(c, p);
		c->isr &= ~(1u << irq);
		if (val >> 5 == 5)
			c->lowest = irq;
		break;
	case 3:		/* specific EOI */
		c->isr &= ~(1u << (val & 7));
		break;
	case 7:		/* rotate on specific EOI */
		c->isr &= ~(1u << (val & 7));
		c->lowest = val & 7;
		break;
	case 6:		/* set priority */
		c->lowest = val & 7;
		break;
	default:	/* 2: no operation */
		break;
	}
}

static void chip_write(struct i8259 *c, unsigned int port, uint8_t val)
{
	if (port == 0) {
		if (val & ICW1_INIT)
			chip_icw1(c, val);
		else if (val & OCW3_SEL) {
			if (val & OCW3_POLL)
				c->poll = true;
			if (val & OCW3_RR)
				c->read_isr = val & OCW3_RIS;
			if (val & OCW3_ESMM)
				c->special_mask = val & OCW3_SMM;
		} else {
			chip_eoi(c, val);
		}
		return;
	}
	switch (c->init_step) {
	case 0:		/* OCW1 */
		c->imr = val;
		break;
	case 1:		/* ICW2: the vector base */
		c->base = val & 0xf8;
		c->init_step = c->single ? (c->icw4_needed ? 3 : 0) : 2;
		break;
	case 2:		/* ICW3: cascade wiring, fixed on the PC */
		c->init_step = c->icw4_needed ? 3 : 0;
		break;
	default:	/* ICW4 */
		c->auto_eoi = val & ICW4_AEOI;
		c->fully_nested = val & ICW4_SFNM;
		c->init_step = 0;
		break;
	}
}

static uint8_t chip_read(struct i8259 *c, unsigned int port)
{
	if (c->poll)
		return chip_poll(c);
	if (port == 0)
		return c->read_isr ? c->isr : c->irr;
	return c->imr;
}

static void pic_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		   bool is_write)
{
	struct i8259 *c = opaque;

	if (len != 1) {
		/* The 8259A sits on an 8-bit bus: wider accesses float. */
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	if (is_write)
		chip_write(c, offset, data[0]);
	else
		data[0] = chip_read(c, offset);
	pic_update(pic);
}

static void elcr_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		    bool is_write)
{
	struct pic_state *p = opaque;

	for (uint32_t i = 0; i < len; i++) {
		struct i8259 *c;

		if (offset + i >= 2) {
			if (!is_write)
				data[i] = 0xff;
			continue;
		}
		c = &p->chip[offset + i];
		if (is_write)
			c->elcr = data[i] & c->elcr_mask;
		else
			data[i] = c->elcr;
	}
	if (is_write)
		pic_update(p);
}

static void pic_power_on(struct pic_state *p)
{
	for (int i = 0; i < 2; i++) {
		struct i8259 *c = &p->chip[i];

		*c = (struct i8259){
			.lowest = 7,
			.is_master = i == 0,
			/* IRQ 0, 1, 2 and 8, 13 are edge triggered only */
			.elcr_mask = i == 0 ? 0xf8 : 0xde,
		};
	}
	p->output = false;
}

static const struct {
	uint16_t base;
	const char *name;
} pic_ranges[] = {
	{ PIC_MASTER_BASE, "pic-master" },
	{ PIC_SLAVE_BASE, "pic-slave" },
	{ PIC_ELCR_BASE, "elcr" },
};

static void pic_teardown(struct vm *vm)
{
	if (!pic)
		return;
	for (unsigned int i = 0; i < 3; i++)
		if (pic->registered & (1u << i))
			bus_unregister(&pio_bus, pic_ranges[i].base);
	free(pic);
	pic = NULL;
}

static int pic_realize(struct vm *vm)
{
	int ret;

	if (!vm->user_irqchip)
		return 0;
	pic = calloc(1, sizeof(*pic));
	if (!pic) {
		log_error("pic: out of memory");
		return -ENOMEM;
	}
	pic->vm = vm;
	pic_power_on(pic);
	for (unsigned int i = 0; i < 3; i++) {
		void *opaque = i < 2 ? (void *)&pic->chip[i] : (void *)pic;

		ret = bus_register(&pio_bus, pic_ranges[i].base, 2,
				   i < 2 ? pic_io : elcr_io, opaque,
				   pic_ranges[i].name);
		if (ret) {
			log_error("pic: cannot claim ports 0x%x-0x%x: %s",
				  pic_ranges[i].base, pic_ranges[i].base + 1,
				  strerror(-ret));
			pic_teardown(vm);
			return ret;
		}
		pic->registered |= 1u << i;
	}
	return 0;
}

/* Called with the VM stopped. */
static void pic_reset(struct vm *vm)
{
	bool was;

	if (!pic)
		return;
	was = pic->output;
	pic_power_on(pic);
	if (was && pic->hook)
		pic->hook(pic->hook_opaque, 0);
}

static const struct device_ops pic_device = {
	.name = "i8259",
	.order = DEVICE_ORDER_IRQCHIP,
	.realize = pic_realize,
	.reset = pic_reset,
	.teardown = pic_teardown,
};

DEVICE_REGISTER(pic_device);
