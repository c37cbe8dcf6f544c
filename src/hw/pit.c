// SPDX-License-Identifier: MIT
/*
 * The 8254 PIT, computed from the VM clock rather than ticked: a channel
 * remembers when its count was loaded, and its counter and OUT are functions
 * of the ticks since then.  Only channel 0 needs a timer, to move IRQ 0 at
 * each OUT transition; channel 2's OUT is read through port 0x61.
 *
 * Modes (8254 data sheet): 0 interrupt on terminal count, 1 hardware
 * retriggerable one-shot, 2 rate generator (OUT low for the last tick of
 * each period), 3 square wave, 4 software strobe (OUT low for one tick after
 * the count), 5 hardware strobe.  Binary or BCD counting, LSB/MSB/word access,
 * counter latch, read-back of count and status.  Only channel 2's gate is
 * wired (port 0x61 bit 0); a low gate pauses modes 0/2/3/4 and a rising gate
 * (re)starts modes 1/2/3/5.
 *
 * Simplifications: a new count takes effect at once (the chip waits for
 * the next clock, or the end of the period in modes 2/3); at power-on every
 * channel waits for a control word and a count (OUT low), so no timer runs
 * until the guest programs one.
 *
 * When the host runs the timer late (real clock), a period that passed
 * unseen still gives IRQ 0 one edge, so an edge-triggered input counts it.
 */
#include "hw/pit.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "memory.h"
#include "util/log.h"
#include "util/timer.h"
#include "vm.h"

#define PIT_BASE 0x40
#define PIT_PORT_CONTROL 3
#define PIT_PORT_61 0x61

#define RW_LATCH 0
#define RW_LSB 1
#define RW_MSB 2
#define RW_WORD 3		/* LSB then MSB */
#define RW_WORD_MSB 4		/* the MSB of a word is next */

#define PORT61_GATE2 0x01
#define PORT61_SPEAKER 0x02
#define PORT61_REFRESH 0x10
#define PORT61_OUT2 0x20

#define NO_TICK UINT64_MAX

struct pit_channel {
	uint32_t count;		/* 1..65536 (10000 in BCD) */
	uint64_t load_ns;	/* VM clock at tick 0 */
	uint64_t paused_d;	/* the tick where a low gate stopped it */
	uint64_t last_d;	/* tick at the last IRQ update (channel 0) */
	uint16_t latched;
	uint8_t count_latched;	/* RW_LSB/RW_MSB/RW_WORD: bytes to read */
	uint8_t status;
	bool status_latched;
	uint8_t rw_mode;
	uint8_t read_state, write_state;
	uint8_t write_lsb;
	uint8_t mode;
	bool bcd;
	bool gate;
	bool armed;		/* a count was written since the control word */
	bool triggered;		/* modes 1 and 5: a gate edge started it */
	bool paused;
	bool null_count;
};

struct pit_state {
	struct vm *vm;
	struct pit_channel ch[PIT_NUM_CHANNELS];
	struct timer timer;	/* channel 0's next OUT transition */
	bool irq_level;
	bool speaker;
	uint8_t refresh;
	unsigned int registered;
};

static struct pit_state *pit;

static uint64_t ns_to_ticks(uint64_t ns)
{
	return (unsigned __int128)ns * PIT_FREQ / 1000000000u;
}

/* The first ns at which ns_to_ticks() reaches t (saturating). */
static uint64_t ticks_to_ns(uint64_t t)
{
	unsigned __int128 ns =
		((unsigned __int128)t * 1000000000u + PIT_FREQ - 1) / PIT_FREQ;

	return ns > UINT64_MAX ? UINT64_MAX : (uint64_t)ns;
}

static uint32_t modulus(const struct pit_channel *c)
{
	return c->bcd ? 10000 : 65536;
}

static bool starts_on_gate(const struct pit_channel *c)
{
	return c->mode == 1 || c->mode == 5;
}

/* Ticks since the count was loaded (or the gate started it). */
static uint64_t chan_d(const struct pit_channel *c, uint64_t now)
{
	if (!c->armed || (starts_on_gate(c) && !c->triggered))
		return 0;
	if (c->paused)
		return c->paused_d;
	return now > c->load_ns ? ns_to_ticks(now - c->load_ns) : 0;
}

static bool chan_out(const struct pit_channel *c, uint64_t d)
{
	uint32_t n = c->count;

	if (!c->armed)
		return c->mode != 0;
	switch (c->mode) {
	case 0:
		return d >= n;
	case 1:
		return !c->triggered || d >= n;
	case 2:
		return !c->gate || n < 2 || d % n != n - 1;
	case 3:
		return !c->gate || n < 2 || d % n < (n + 1) / 2;
	case 4:
		return d != n;
	default:
		return !c->triggered || d != n;
	}
}

/* Rising edges of OUT in the ticks (a, b]. */
static uint64_t rising_edges(const struct pit_channel *c, uint64_t a,
			     uint64_t b)
{
	uint64_t n = c->count;

	if (!c->armed || b <= a)
		return 0;
	switch (c->mode) {
	case 0:
		return a < n && n <= b;
	case 2:
	case 3:
		return c->gate && n >= 2 ? b / n - a / n : 0;
	case 4:
		return a < n + 1 && n + 1 <= b;
	default:
		if (!c->triggered)
			return 0;
		return c->mode == 1 ? a < n && n <= b : a < n + 1 && n + 1 <= b;
	}
}

/* The next tick after d at which OUT changes, or NO_TICK. */
static uint64_t next_transition(const struct pit_channel *c, uint64_t d)
{
	uint64_t n = c->count, r;

	if (!c->armed || c->paused || (starts_on_gate(c) && !c->triggered))
		return NO_TICK;
	switch (c->mode) {
	case 0:
	case 1:
		return d < n ? n : NO_TICK;
	case 2:
		if (!c->gate || n < 2)
			return NO_TICK;
		r = d % n;
		return r < n - 1 ? d - r + n - 1 : d - r + n;
	case 3:
		if (!c->gate || n < 2)
			return NO_TICK;
		r = d % n;
		return r < (n + 1) / 2 ? d - r + (n + 1) / 2 : d - r + n;
	default:
		if (d < n)
			return n;
		return d == n ? n + 1 : NO_TICK;
	}
}

static uint16_t to_bcd(uint32_t v)
{
	return (v / 1000 % 10) << 12 | (v / 100 % 10) << 8 |
	       (v / 10 % 10) << 4 | v % 10;
}

static uint32_t from_bcd(uint16_t v)
{
	return (v >> 12 & 15) * 1000 + (v >> 8 & 15) * 100 +
	       (v >> 4 & 15) * 10 + (v & 15);
}

/* The counting element as the guest reads it. */
static uint16_t chan_count(const struct pit_channel *c, uint64_t now)
{
	uint64_t d = chan_d(c, now), m = modulus(c), n = c->count, v;

	if (!c->armed)
		v = n % m;
	else if (c->mode == 2)
		v = n - d % n;
	else if (c->mode == 3)
		v = n - (2 * (d % n)) % n;
	else
		v = (n + m - d % m) % m;
	return c->bcd ? to_bcd(v % m) : (uint16_t)v;
}

static void set_irq0(struct pit_state *p, bool level)
{
	vm_set_irq(p->vm, 0, level);
}

/* Bring IRQ 0 up to date with channel 0 and arm its next transition. */
static void irq0_update(struct pit_state *p)
{
	struct pit_channel *c = &p->ch[0];
	uint64_t now = vm_clock_ns(), d = chan_d(c, now), next;
	bool out = chan_out(c, d);

	if (rising_edges(c, c->last_d, d)) {
		if (p->irq_level)
			set_irq0(p, false);
		set_irq0(p, true);
		if (!out)
			set_irq0(p, false);
	} else if (out != p->irq_level) {
		set_irq0(p, out);
	}
	p->irq_level = out;
	c->last_d = d;
	next = next_transition(c, d);
	if (next == NO_TICK) {
		timer_del(&p->timer);
		return;
	}
	next = ticks_to_ns(next);
	next = next > UINT64_MAX - c->load_ns ? UINT64_MAX : next + c->load_ns;
	if (next == UINT64_MAX)
		timer_del(&p->timer);
	else
		timer_mod(&p->timer, next);
}

static void pit_timer_cb(void *opaque)
{
	irq0_update(opaque);
}

static void chan_changed(struct pit_state *p, struct pit_channel *c)
{
	if (c == &p->ch[0])
		irq0_update(p);
}

/* Start counting from tick 0 now. */
static void chan_restart(struct pit_channel *c, uint64_t now)
{
	c->load_ns = now;
	c->last_d = 0;
	c->paused = false;
	c->paused_d = 0;
	/* A low gate holds modes 0, 2, 3 and 4 at the start. */
	if (!c->gate && !starts_on_gate(c))
		c->paused = true;
}

static void chan_load(struct pit_state *p, struct pit_channel *c, uint16_t v)
{
	uint32_t n = c->bcd ? from_bcd(v) : v;

	c->count = n ? n : modulus(c);
	c->armed = true;
	c->null_count = false;
	c->triggered = false;
	chan_restart(c, vm_clock_ns());
	chan_changed(p, c);
}

static void chan_set_gate(struct pit_state *p, struct pit_channel *c,
			  bool gate)
{
	uint64_t now = vm_clock_ns();

	if (gate == c->gate)
		return;
	if (!gate) {
		if (c->armed && !starts_on_gate(c)) {
			c->paused_d = chan_d(c, now);
			c->paused = true;
		}
		c->gate = false;
		chan_changed(p, c);
		return;
	}
	c->gate = true;
	if (!c->armed) {
		/* Nothing to start yet. */
	} else if (c->mode == 0 || c->mode == 4) {
		/* Resume where the low gate stopped it. */
		c->load_ns = now - ticks_to_ns(c->paused_d);
		c->paused = false;
	} else {
		chan_restart(c, now);
		c->triggered = true;
	}
	chan_changed(p, c);
}

static void latch_count(struct pit_channel *c)
{
	if (c->count_latched)
		return;
	c->latched = chan_count(c, vm_clock_ns());
	c->count_latched = c->rw_mode;
}

static void latch_status(struct pit_channel *c)
{
	uint64_t d = chan_d(c, vm_clock_ns());

	if (c->status_latched)
		return;
	c->status = chan_out(c, d) << 7 | c->null_count << 6 |
		    c->rw_mode << 4 | c->mode << 1 | c->bcd;
	c->status_latched = true;
}

static void control_write(struct pit_state *p, uint8_t val)
{
	unsigned int sel = val >> 6, access = val >> 4 & 3;
	struct pit_channel *c;

	if (sel == 3) {
		/* Read-back: bit 5 clear latches counts, bit 4 clear status. */
		for (unsigned int i = 0; i < PIT_NUM_CHANNELS; i++) {
			if (!(val & (2u << i)))
				continue;
			if (!(val & 0x20))
				latch_count(&p->ch[i]);
			if (!(val & 0x10))
				latch_status(&p->ch[i]);
		}
		return;
	}
	c = &p->ch[sel];
	if (access == RW_LATCH) {
		latch_count(c);
		return;
	}
	c->rw_mode = access;
	c->read_state = c->write_state = access;
	c->mode = val >> 1 & 7;
	if (c->mode > 5)
		c->mode -= 4;	/* 6 and 7 are 2 and 3 */
	c->bcd = val & 1;
	c->armed = false;
	c->triggered = false;
	c->paused = false;
	c->null_count = true;
	chan_changed(p, c);
}

static void count_write(struct pit_state *p, struct pit_channel *c,
			uint8_t val)
{
	switch (c->write_state) {
	case RW_LSB:
		chan_load(p, c, val);
		break;
	case RW_MSB:
		chan_load(p, c, val << 8);
		break;
	case RW_WORD:
		c->write_lsb = val;
		c->write_state = RW_WORD_MSB;
		break;
	case RW_WORD_MSB:
		c->write_state = RW_WORD;
		chan_load(p, c, c->write_lsb | val << 8);
		break;
	}
}

static uint8_t count_read(struct pit_channel *c)
{
	uint16_t v;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	switch (c->count_latched) {
	case RW_LSB:
		c->count_latched = 0;
		return c->latched;
	case RW_MSB:
		c->count_latched = 0;
		return c->latched >> 8;
	case RW_WORD:
		c->count_latched = RW_MSB;
		return c->latched;
	}
	v = chan_count(c, vm_clock_ns());
	switch (c->read_state) {
	case RW_LSB:
		return v;
	case RW_MSB:
		return v >> 8;
	case RW_WORD:
		c->read_state = RW_WORD_MSB;
		return v;
	case RW_WORD_MSB:
		c->read_state = RW_WORD;
		return v >> 8;
	}
	return 0;
}

static void pit_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		   bool is_write)
{
	struct pit_state *p = opaque;

	/* An 8-bit device: a wider access is one byte per port. */
	for (uint32_t i = 0; i < len; i++) {
		uint64_t port = offset + i;

		if (port > PIT_PORT_CONTROL) {
			if (!is_write)
				data[i] = 0xff;
		} else if (port == PIT_PORT_CONTROL) {
			if (is_write)
				control_write(p, data[i]);
			else
				data[i] = 0xff;	/* write-only */
		} else if (is_write) {
			count_write(p, &p->ch[port], data[i]);
		} else {
			data[i] = count_read(&p->ch[port]);
		}
	}
}

static void port61_io(void *opaque, uint64_t offset, uint8_t *data,
		      uint32_t len, bool is_write)
{
	struct pit_state *p = opaque;
	struct pit_channel *c2 = &p->ch[2];

	if (is_write) {
		p->speaker = data[0] & PORT61_SPEAKER;
		chan_set_gate(p, c2, data[0] & PORT61_GATE2);
		return;
	}
	/* Past the one port, should the bus hand us more. */
	memset(data, 0xff, len);
	/*
	 * The refresh bit toggles on every read, so a guest's delay loop
	 * waiting on it progresses even on a stopped virtual clock.
	 */
	p->refresh ^= PORT61_REFRESH;
	data[0] = (c2->gate ? PORT61_GATE2 : 0) |
		  (p->speaker ? PORT61_SPEAKER : 0) | p->refresh |
		  (chan_out(c2, chan_d(c2, vm_clock_ns())) ? PORT61_OUT2 : 0);
}

static void pit_power_on(struct pit_state *p)
{
	for (unsigned int i = 0; i < PIT_NUM_CHANNELS; i++) {
		p->ch[i] = (struct pit_channel){
			.count = 65536,
			.rw_mode = RW_WORD,
			.read_state = RW_WORD,
			.write_state = RW_WORD,
			.gate = i != 2,
			.null_count = true,
		};
	}
	p->speaker = false;
	p->refresh = 0;
}

static const struct {
	uint16_t base, len;
	io_handler_fn fn;
	const char *name;
} pit_ranges[] = {
	{ PIT_BASE, 4, pit_io, "pit" },
	{ PIT_PORT_61, 1, port61_io, "port61" },
};

static void pit_teardown(struct vm *vm)
{
	if (!pit)
		return;
	timer_del(&pit->timer);
	for (unsigned int i = 0; i < 2; i++)
		if (pit->registered & (1u << i))
			bus_unregister(&pio_bus, pit_ranges[i].base);
	free(pit);
	pit = NULL;
}

static int pit_realize(struct vm *vm)
{
	int ret;

	if (!vm->user_pit)
		return 0;
	pit = calloc(1, sizeof(*pit));
	if (!pit) {
		log_error("pit: out of memory");
		return -ENOMEM;
	}
	pit->vm = vm;
	timer_init(&pit->timer, pit_timer_cb, pit);
	pit_power_on(pit);
	for (unsigned int i = 0; i < 2; i++) {
		ret = bus_register(&pio_bus, pit_ranges[i].base,
				   pit_ranges[i].len, pit_ranges[i].fn, pit,
				   pit_ranges[i].name);
		if (ret) {
			log_error("pit: cannot claim port 0x%x: %s",
				  pit_ranges[i].base, strerror(-ret));
			pit_teardown(vm);
			return ret;
		}
		pit->registered |= 1u << i;
	}
	return 0;
}

/* Called with the VM stopped. */
static void pit_reset(struct vm *vm)
{
	if (!pit)
		return;
	timer_del(&pit->timer);
	pit_power_on(pit);
	if (pit->irq_level)
		set_irq0(pit, false);
	pit->irq_level = false;
}

static const struct device_ops pit_device = {
	.name = "i8254",
	.order = DEVICE_ORDER_IRQCHIP,
	.realize = pit_realize,
	.reset = pit_reset,
	.teardown = pit_teardown,
};

DEVICE_REGISTER(pit_device);
