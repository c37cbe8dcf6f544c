// SPDX-License-Identifier: MIT
/*
 * The i8042 keyboard controller (data 0x60, command/status 0x64, IRQ 1 for
 * the keyboard, IRQ 12 for the aux port), with a keyboard and a plain PS/2
 * mouse that answer their probes but never have input.  Enough for Linux's
 * i8042, atkbd and psmouse drivers to probe without errors, and for the
 * reset: command 0xFE (reboot=k), or an output-port write with bit 0 clear.
 *
 * One output buffer is shared by three queues: the controller's own replies
 * first, then the keyboard's, then the mouse's (each device's only while
 * its port is enabled in the command byte).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "hw/i8042.h"
#include "memory.h"
#include "util/log.h"
#include "vm.h"


#define STAT_OBF 0x01
#define STAT_SYS 0x04
#define STAT_A2 0x08		/* the last write was a command */
#define STAT_UNLOCKED 0x10
#define STAT_AUX 0x20		/* the output byte is the mouse's */

#define CCB_KBD_INT 0x01
#define CCB_AUX_INT 0x02
#define CCB_SYS 0x04
#define CCB_KBD_OFF 0x10
#define CCB_AUX_OFF 0x20
#define CCB_XLATE 0x40

#define OUT_RESET 0x01		/* 0 holds the CPU in reset */
#define OUT_A20 0x02
#define OUT_KBD_OBF 0x10
#define OUT_AUX_OBF 0x20

#define PS2_ACK 0xFA
#define PS2_RESEND 0xFE
#define PS2_BAT_OK 0xAA

#define QUEUE_SIZE 16
#define FROM_AUX 0x100		/* queue entry flag: counts as mouse data */

struct queue {
	uint16_t buf[QUEUE_SIZE];
	unsigned int head, count;
};

struct i8042 {
	struct vm *vm;
	uint8_t status, ccb, outport;
	uint8_t pending;	/* a controller command awaiting its data byte */
	bool obf;
	uint16_t out;		/* the output buffer, FROM_AUX for the mouse */
	struct queue ctrl, kbd, aux;
	int irq_kbd, irq_aux;

	uint8_t kbd_pending;	/* a keyboard command awaiting its parameter */
	uint8_t kbd_set;	/* scancode set */
	bool kbd_scanning;

	uint8_t aux_pending;
	uint8_t aux_rate, aux_res;
	bool aux_scale21, aux_enabled, aux_remote;

	bool registered_data, registered_cmd;
};

static struct i8042 *kbc;

static void push(struct queue *q, uint16_t v)
{
	/* A full queue drops, as a real device's would overrun. */
	if (q->count == QUEUE_SIZE)
		return;
	q->buf[(q->head + q->count) % QUEUE_SIZE] = v;
	q->count++;
}

static uint16_t pop(struct queue *q)
{
	uint16_t v = q->buf[q->head];

	q->head = (q->head + 1) % QUEUE_SIZE;
	q->count--;
	return v;
}

static void update_irqs(struct i8042 *k)
{
	bool aux = k->out & FROM_AUX;
	int kbd_level = k->obf && !aux && (k->ccb & CCB_KBD_INT);
	int aux_level = k->obf && aux && (k->ccb & CCB_AUX_INT);

	k->status &= ~(STAT_OBF | STAT_AUX);
	if (k->obf)
		k->status |= STAT_OBF | (aux ? STAT_AUX : 0);
	if (kbd_level != k->irq_kbd) {
		k->irq_kbd = kbd_level;
		vm_set_irq(k->vm, I8042_KBD_IRQ, kbd_level);
	}
	if (aux_level != k->irq_aux) {
		k->irq_aux = aux_level;
		vm_set_irq(k->vm, I8042_AUX_IRQ, aux_level);
	}
}

/* Load the output buffer from the queues, if it is empty. */
static void refill(struct i8042 *k)
{
	if (!k->obf) {
		if (k->ctrl.count) {
			k->out = pop(&k->ctrl);
			k->obf = true;
		} else if (k->kbd.count && !(k->ccb & CCB_KBD_OFF)) {
			k->out = pop(&k->kbd);
			k->obf = true;
		} else if (k->aux.count && !(k->ccb & CCB_AUX_OFF)) {
			k->out = pop(&k->aux) | FROM_AUX;
			k->obf = true;
		}
	}
	update_irqs(k);
}

static void reply(struct i8042 *k, uint16_t v)
{
	push(&k->ctrl, v);
}

/* ---- the keyboard ---- */

static void kbd_defaults(struct i8042 *k)
{
	k->kbd_set = 2;
	k->kbd_scanning = true;
}

static void kbd_param(struct i8042 *k, uint8_t cmd, uint8_t val)
{
	static const uint8_t xlated_set[4] = { 0, 0x43, 0x41, 0x3f };

	push(&k->kbd, PS2_ACK);
	if (cmd != 0xF0)
		return;		/* LEDs (0xED) and typematic (0xF3) */
	if (val == 0)
		push(&k->kbd, (k->ccb & CCB_XLATE) ? xlated_set[k->kbd_set]
						   : k->kbd_set);
	else if (val <= 3)
		k->kbd_set = val;
}

static void kbd_write(struct i8042 *k, uint8_t val)
{
	uint8_t cmd = k->kbd_pending;

	if (cmd) {
		k->kbd_pending = 0;
		kbd_param(k, cmd, val);
		return;
	}
	switch (val) {
	case 0xED:		/* set LEDs */
	case 0xF3:		/* typematic rate */
	case 0xF0:		/* scancode set */
		push(&k->kbd, PS2_ACK);
		k->kbd_pending = val;
		break;
	case 0xEE:		/* echo */
		push(&k->kbd, 0xEE);
		break;
	case 0xF2:		/* identify: an MF2 keyboard */
		push(&k->kbd, PS2_ACK);
		push(&k->kbd, 0xAB);
		push(&k->kbd, (k->ccb & CCB_XLATE) ? 0x41 : 0x83);
		break;
	case 0xF4:
		push(&k->kbd, PS2_ACK);
		k->kbd_scanning = true;
		break;
	case 0xF5:
		push(&k->kbd, PS2_ACK);
		kbd_defaults(k);
		k->kbd_scanning = false;
		break;
	case 0xF6:
		push(&k->kbd, PS2_ACK);
		kbd_defaults(k);
		break;
	case 0xFF:		/* reset and self-test */
		k->kbd.count = 0;
		push(&k->kbd, PS2_ACK);
		push(&k->kbd, PS2_BAT_OK);
		kbd_defaults(k);
		break;
	case 0xF7 ... 0xFE:	/* key types, resend: nothing to do */
		push(&k->kbd, PS2_ACK);
		break;
	default:
		push(&k->kbd, PS2_RESEND);
		break;
	}
}

/* ---- the mouse ---- */

static void aux_defaults(struct i8042 *k)
{
	k->aux_rate = 100;
	k->aux_res = 2;
	k->aux_scale21 = false;
	k->aux_enabled = false;
	k->aux_remote = false;
}

static void aux_param(struct i8042 *k, uint8_t cmd, uint8_t val)
{
	if (cmd == 0xF3)
		k->aux_rate = val;
	else
		k->aux_res = val & 3;
	push(&k->aux, PS2_ACK);
}

static void aux_write(struct i8042 *k, uint8_t val)
{
	uint8_t cmd = k->aux_pending;

	if (cmd) {
		k->aux_pending = 0;
		aux_param(k, cmd, val);
		return;
	}
	switch (val) {
	case 0xE8:		/* resolution */
	case 0xF3:		/* sample rate */
		push(&k->aux, PS2_ACK);
		k->aux_pending = val;
		break;
	case 0xE6:
	case 0xE7:
		k->aux_scale21 = val == 0xE7;
		push(&k->aux, PS2_ACK);
		break;
	case 0xE9:		/* status request */
		push(&k->aux, PS2_ACK);
		push(&k->aux, (k->aux_remote ? 0x40 : 0) |
				      (k->aux_enabled ? 0x20 : 0) |
				      (k->aux_scale21 ? 0x10 : 0));
		push(&k->aux, k->aux_res);
		push(&k->aux, k->aux_rate);
		break;
	case 0xEA:
	case 0xF0:
		k->aux_remote = val == 0xF0;
		push(&k->aux, PS2_ACK);
		break;
	case 0xEB:		/* read data: no movement */
		push(&k->aux, PS2_ACK);
		push(&k->aux, 0x08);
		push(&k->aux, 0x00);
		push(&k->aux, 0x00);
		break;
	case 0xF2:		/* identify: a standard PS/2 mouse */
		push(&k->aux, PS2_ACK);
		push(&k->aux, 0x00);
		break;
	case 0xF4:
	case 0xF5:
		k->aux_enabled = val == 0xF4;
		push(&k->aux, PS2_ACK);
		break;
	case 0xF6:
		aux_defaults(k);
		push(&k->aux, PS2_ACK);
		break;
	case 0xFF:
		k->aux.count = 0;
		aux_defaults(k);
		push(&k->aux, PS2_ACK);
		push(&k->aux, PS2_BAT_OK);
		push(&k->aux, 0x00);
		break;
	case 0xEC:		/* wrap mode off/on: echo is not modelled */
	case 0xEE:
	case 0xFE:
		push(&k->aux, PS2_ACK);
		break;
	default:
		push(&k->aux, PS2_RESEND);
		break;
	}
}

/* ---- the controller ---- */

static void write_outport(struct i8042 *k, uint8_t val)
{
	k->outport = val;
	if (!(val & OUT_A20))
		log_debug("i8042: A20 gate off (not modelled: A20 stays on)");
	if (!(val & OUT_RESET))
		vm_request_reset(k->vm);
}

static uint8_t read_outport(const struct i8042 *k)
{
	uint8_t v = k->outport & ~(OUT_KBD_OBF | OUT_AUX_OBF);

	if (k->obf)
		v |= (k->out & FROM_AUX) ? OUT_AUX_OBF : OUT_KBD_OBF;
	return v;
}

static void write_ccb(struct i8042 *k, uint8_t val)
{
	k->ccb = val;
	if (val & CCB_SYS)
		k->status |= STAT_SYS;
	else
		k->status &= ~STAT_SYS;
}

static void write_command(struct i8042 *k, uint8_t cmd)
{
	k->status |= STAT_A2;
	k->pending = 0;
	switch (cmd) {
	case 0x20 ... 0x3F:	/* read controller RAM; byte 0 is the CCB */
		reply(k, cmd == 0x20 ? k->ccb : 0);
		break;
	case 0x60 ... 0x7F:	/* write controller RAM: data follows */
	case 0xD1:		/* write output port */
	case 0xD2:		/* write keyboard output buffer */
	case 0xD3:		/* write aux output buffer */
	case 0xD4:		/* write to the aux device */
		k->pending = cmd;
		break;
	case 0xA7:
		k->ccb |= CCB_AUX_OFF;
		break;
	case 0xA8:
		k->ccb &= ~CCB_AUX_OFF;
		break;
	case 0xA9:		/* aux interface test: OK */
	case 0xAB:		/* keyboard interface test: OK */
		reply(k, 0x00);
		break;
	case 0xAA:		/* controller self-test */
		k->status |= STAT_SYS;
		reply(k, 0x55);
		break;
	case 0xAD:
		k->ccb |= CCB_KBD_OFF;
		break;
	case 0xAE:
		k->ccb &= ~CCB_KBD_OFF;
		break;
	case 0xC0:		/* input port: keyboard not locked */
		reply(k, 0x80);
		break;
	case 0xD0:
		reply(k, read_outport(k));
		break;
	case 0xDD:
		k->outport &= ~OUT_A20;
		break;
	case 0xDF:
		k->outport |= OUT_A20;
		break;
	case 0xE0:		/* test inputs */
		reply(k, 0x00);
		break;
	case 0xF0 ... 0xFF:	/* pulse output lines low; bit 0 is reset */
		if (!(cmd & 0x01))
			vm_request_reset(k->vm);
		break;
	default:
		log_debug("i8042: command 0x%02x ignored", cmd);
		break;
	}
	refill(k);
}

static void write_data(struct i8042 *k, uint8_t val)
{
	uint8_t cmd = k->pending;

	k->status &= ~STAT_A2;
	k->pending = 0;
	switch (cmd) {
	case 0x60:
		write_ccb(k, val);
		break;
	case 0x61 ... 0x7F:
		break;
	case 0xD1:
		write_outport(k, val);
		break;
	case 0xD2:
		reply(k, val);
		break;
	case 0xD3:
		reply(k, val | FROM_AUX);
		break;
	case 0xD4:
		/* Talking to a device re-enables its port, as on QEMU. */
		k->ccb &= ~CCB_AUX_OFF;
		aux_write(k, val);
		break;
	default:
		k->ccb &= ~CCB_KBD_OFF;
		kbd_write(k, val);
		break;
	}
	refill(k);
}

static uint8_t read_data(struct i8042 *k)
{
	uint8_t v = k->out & 0xff;

	if (k->obf) {
		k->obf = false;
		/* Drop the line before the next byte raises it: an edge. */
		update_irqs(k);
		refill(k);
	}
	return v;
}

static void i8042_data_io(void *opaque, uint64_t offset, uint8_t *data,
			  uint32_t len, bool is_write)
{
	struct i8042 *k = opaque;

	if (is_write) {
		write_data(k, data[0]);
		return;
	}
	memset(data, 0xff, len);
	data[0] = read_data(k);
}

static void i8042_cmd_io(void *opaque, uint64_t offset, uint8_t *data,
			 uint32_t len, bool is_write)
{
	struct i8042 *k = opaque;

	if (is_write) {
		write_command(k, data[0]);
		return;
	}
	memset(data, 0xff, len);
	data[0] = k->status;
}

static void i8042_teardown(struct vm *vm)
{
	struct i8042 *k = kbc;

	if (!k)
		return;
	if (k->registered_data)
		bus_unregister(&pio_bus, I8042_DATA_PORT);
	if (k->registered_cmd)
		bus_unregister(&pio_bus, I8042_CMD_PORT);
	free(k);
	kbc = NULL;
}

static int i8042_realize(struct vm *vm)
{
	struct i8042 *k;
	int ret;

	k = calloc(1, sizeof(*k));
	if (!k) {
		log_error("i8042: out of memory");
		return -ENOMEM;
	}
	k->vm = vm;
	/* As firmware leaves it: self-tested, translating, kbd irq on. */
	k->status = STAT_SYS | STAT_UNLOCKED;
	k->ccb = CCB_KBD_INT | CCB_AUX_INT | CCB_SYS | CCB_XLATE;
	k->outport = OUT_RESET | OUT_A20 | 0xCC;
	kbd_defaults(k);
	aux_defaults(k);
	kbc = k;
	ret = bus_register(&pio_bus, I8042_DATA_PORT, 1, i8042_data_io, k,
			   "i8042");
	if (!ret) {
		k->registered_data = true;
		ret = bus_register(&pio_bus, I8042_CMD_PORT, 1, i8042_cmd_io, k,
				   "i8042");
	}
	if (ret) {
		log_error("i8042: ports 0x60/0x64: %s", strerror(-ret));
		i8042_teardown(vm);
		return ret;
	}
	k->registered_cmd = true;
	return 0;
}

/* Not static: unit tests realize it directly. */
const struct device_ops i8042_device = {
	.name = "i8042",
	.order = DEVICE_ORDER_PLATFORM,
	.realize = i8042_realize,
	.teardown = i8042_teardown,
};

DEVICE_REGISTER(i8042_device);
