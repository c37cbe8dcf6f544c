// SPDX-License-Identifier: MIT
/*
 * The small ISA devices through the real port and MMIO buses, on a
 * hand-made VM: the i8042 (self-test, command byte, mouse, the two reset
 * paths, -no-reboot), isa-debug-exit (widths, values, iobase/iosize) and
 * pc-testdev (each of its ranges, including the page flush racing a host
 * thread that writes the same page).  Then every platform device's range
 * at every offset and width, as a hostile guest would try them.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>

#include "accel/accel.h"
#include "device.h"
#include "hw/fw_cfg.h"
#include "hw/i8042.h"
#include "hw/pci.h"
#include "memory.h"
#include "unit.h"
#include "bus_io.h"
#include "vm.h"
#include "x86/acpi.h"

extern const struct device_ops i8042_device;
extern const struct device_ops debug_exit_device;
extern const struct device_ops pc_testdev_device;
extern const struct device_ops rtc_device;
extern const struct device_ops pci_testdev_device;

static struct guest_mem mem;
static struct vm_config cfg = { .ram_size = 16 << 20, .ncpus = 1 };
static struct vm vm = { .cfg = &cfg, .mem = &mem, .ncpus = 1, .wake_fd = -1 };

static int irq_level[32], irq_changes;

static void intercept(void *opaque, unsigned int gsi, int level)
{
	CHECK(gsi < 32);
	if (gsi >= 32)
		return;
	irq_level[gsi] = level;
	irq_changes++;
}

static int take_request(void)
{
	return atomic_exchange(&vm.request, VM_REQ_NONE);
}

/* ---- i8042 ---- */

#define KBC_DATA I8042_DATA_PORT
#define KBC_CMD I8042_CMD_PORT
#define KBC_OBF 0x01
#define KBC_SYS 0x04
#define KBC_A2 0x08
#define KBC_AUX 0x20

/* The next byte of the output buffer; -1 when there is none. */
static int kbc_read(void)
{
	if (!(in(KBC_CMD, 1) & KBC_OBF))
		return -1;
	return in(KBC_DATA, 1);
}

static void kbc_cmd(uint8_t cmd)
{
	out(KBC_CMD, 1, cmd);
}

static void test_i8042_selftest(void)
{
	/* As firmware leaves it: self-tested, nothing to read. */
	CHECK_EQ(in(KBC_CMD, 1), 0x14);
	CHECK_EQ(kbc_read(), -1);

	kbc_cmd(0xaa);
	CHECK_EQ(in(KBC_CMD, 1) & (KBC_OBF | KBC_A2 | KBC_SYS),
		 KBC_OBF | KBC_A2 | KBC_SYS);
	/* The reply raises IRQ 1 (keyboard interrupts are on) until read. */
	CHECK_EQ(irq_level[1], 1);
	CHECK_EQ(in(KBC_DATA, 1), 0x55);
	CHECK_EQ(irq_level[1], 0);
	CHECK_EQ(kbc_read(), -1);
	kbc_cmd(0xab);			/* keyboard interface test */
	CHECK_EQ(kbc_read(), 0x00);
	kbc_cmd(0xa9);			/* aux interface test */
	CHECK_EQ(kbc_read(), 0x00);
	kbc_cmd(0xc0);			/* input port: not locked */
	CHECK_EQ(kbc_read(), 0x80);
	/* Reading the empty buffer again gives the last byte, no IRQ. */
	irq_changes = 0;
	CHECK_EQ(in(KBC_DATA, 1), 0x80);
	CHECK_EQ(irq_changes, 0);
}

static void test_i8042_command_byte(void)
{
	kbc_cmd(0x20);
	CHECK_EQ(kbc_read(), 0x47);	/* XLATE, SYS, AUX_INT, KBD_INT */
	kbc_cmd(0x60);
	out(KBC_DATA, 1, 0x60);		/* XLATE | KBD_OFF, no SYS, no IRQs */
	CHECK_EQ(in(KBC_CMD, 1) & (KBC_SYS | KBC_A2), 0);
	kbc_cmd(0x20);
	CHECK_EQ(kbc_read(), 0x60);
	/* Without KBD_INT a reply raises no IRQ. */
	irq_changes = 0;
	kbc_cmd(0xaa);
	CHECK_EQ(irq_changes, 0);
	CHECK_EQ(kbc_read(), 0x55);
	/* Other controller RAM bytes read as zero. */
	kbc_cmd(0x21);
	CHECK_EQ(kbc_read(), 0x00);
	/* The keyboard port is off: a keyboard command turns it on again. */
	out(KBC_DATA, 1, 0xf2);
	CHECK_EQ(kbc_read(), 0xfa);
	CHECK_EQ(kbc_read(), 0xab);
	CHECK_EQ(kbc_read(), 0x41);	/* translated MF2 ID */
	kbc_cmd(0x60);
	out(KBC_DATA, 1, 0x47);
	CHECK_EQ(in(KBC_CMD, 1) & KBC_SYS, KBC_SYS);

	/* The mouse answers through 0xD4, with the aux bit and IRQ 12. */
	kbc_cmd(0xd4);
	out(KBC_DATA, 1, 0xf2);
	CHECK_EQ(in(KBC_CMD, 1) & (KBC_OBF | KBC_AUX), KBC_OBF | KBC_AUX);
	CHECK_EQ(irq_level[12], 1);
	CHECK_EQ(in(KBC_DATA, 1), 0xfa);
	CHECK_EQ(kbc_read(), 0x00);
	CHECK_EQ(irq_level[12], 0);

	/* A command flood overruns the queue, never the buffer. */
	for (int i = 0; i < 100; i++)
		out(KBC_DATA, 1, 0xee);
	for (int i = 0; i < 100 && kbc_read() >= 0; i++)
		;
	CHECK_EQ(kbc_read(), -1);
	/*
	 * An access wider than the port is split (as QEMU splits it): the
	 * data port sees a 1-byte read, the unclaimed bytes read as ones.
	 */
	kbc_cmd(0xaa);
	CHECK_EQ(in(KBC_DATA, 4), 0xffffff55);
	CHECK_EQ(kbc_read(), -1);
}

static void aux_cmd(uint8_t v)
{
	kbc_cmd(0xd4);
	out(KBC_DATA, 1, v);
}

/* The mouse's settings: rate and resolution come back in its status. */
static void test_i8042_mouse(void)
{
	aux_cmd(0xf3);			/* sample rate ... */
	aux_cmd(40);			/* ... 40/s */
	aux_cmd(0xe8);			/* resolution ... */
	aux_cmd(0xff);			/* ... only two bits count */
	aux_cmd(0xf4);			/* enable reporting */
	aux_cmd(0xe9);			/* status request */
	/* Every byte sent is acknowledged, parameters too. */
	for (int i = 0; i < 6; i++)
		CHECK_EQ(kbc_read(), 0xfa);
	CHECK_EQ(kbc_read(), 0x20);	/* enabled, stream mode, 1:1 */
	CHECK_EQ(kbc_read(), 3);
	CHECK_EQ(kbc_read(), 40);
	CHECK_EQ(kbc_read(), -1);
}

static void test_i8042_reset(void)
{
	CHECK_EQ(take_request(), VM_REQ_NONE);
	/* Pulsing output lines other than bit 0: nothing. */
	kbc_cmd(0xff);
	CHECK_EQ(take_request(), VM_REQ_NONE);
	/* Command 0xFE pulses the reset line. */
	kbc_cmd(0xfe);
	CHECK_EQ(take_request(), VM_REQ_RESET);

	/* The output port: bit 0 clear holds the CPU in reset. */
	kbc_cmd(0xd0);
	CHECK_EQ(kbc_read() & 0x03, 0x03);
	kbc_cmd(0xd1);
	out(KBC_DATA, 1, 0x03);
	CHECK_EQ(take_request(), VM_REQ_NONE);
	kbc_cmd(0xd1);
	out(KBC_DATA, 1, 0x02);
	CHECK_EQ(take_request(), VM_REQ_RESET);
	/* A data byte without 0xD1 before it goes to the keyboard. */
	kbc_cmd(0xd1);
	out(KBC_DATA, 1, 0x03);
	out(KBC_DATA, 1, 0x02);
	CHECK_EQ(take_request(), VM_REQ_NONE);
	while (kbc_read() >= 0)
		;

	/* -no-reboot: a reset request ends kvmrun with status 0. */
	cfg.no_reboot = true;
	atomic_store(&vm.exit_status, -1);
	kbc_cmd(0xfe);
	CHECK_EQ(take_request(), VM_REQ_EXIT);
	CHECK_EQ(atomic_load(&vm.exit_status), 0);
	atomic_store(&vm.exit_status, -1);
	kbc_cmd(0xd1);
	out(KBC_DATA, 1, 0x00);
	CHECK_EQ(take_request(), VM_REQ_EXIT);
	CHECK_EQ(atomic_load(&vm.exit_status), 0);
	cfg.no_reboot = false;
}

static void test_i8042(void)
{
	vm.irq_intercept = intercept;
	memset(irq_level, 0, sizeof(irq_level));
	CHECK_EQ(i8042_device.realize(&vm), 0);
	test_i8042_selftest();
	test_i8042_command_byte();
	test_i8042_mouse();
	test_i8042_reset();
	i8042_device.teardown(&vm);
	CHECK(bus_find(&pio_bus, KBC_DATA) == NULL);
	CHECK(bus_find(&pio_bus, KBC_CMD) == NULL);
	vm.irq_intercept = NULL;
}

/* ---- isa-debug-exit ---- */

static int debug_exit_status(uint16_t port, uint32_t len, uint32_t v)
{
	atomic_store(&vm.exit_status, -1);
	out(port, len, v);
	CHECK_EQ(take_request(), VM_REQ_EXIT);
	return atomic_load(&vm.exit_status);
}

static void test_debug_exit(void)
{
	cfg.debug_exit = true;
	cfg.debug_exit_iobase = 0x501;
	cfg.debug_exit_iosize = 2;
	CHECK_EQ(debug_exit_device.realize(&vm), 0);
	CHECK_EQ(debug_exit_status(0x501, 1, 0), 1);
	CHECK_EQ(debug_exit_status(0x501, 1, 1), 3);
	CHECK_EQ(debug_exit_status(0x502, 1, 0x7f), 0xff);
	CHECK_EQ(debug_exit_status(0x501, 2, 0x1234), 0x2469);
	/* Reads are harmless zeros. */
	CHECK_EQ(in(0x501, 2), 0);
	CHECK_EQ(take_request(), VM_REQ_NONE);
	CHECK(bus_find(&pio_bus, 0x503) == NULL);
	debug_exit_device.teardown(&vm);
	CHECK(bus_find(&pio_bus, 0x501) == NULL);

	/* iobase and iosize are honoured. */
	cfg.debug_exit_iobase = 0xf4;
	cfg.debug_exit_iosize = 4;
	CHECK_EQ(debug_exit_device.realize(&vm), 0);
	CHECK(bus_find(&pio_bus, 0xf3) == NULL);
	CHECK(bus_find(&pio_bus, 0xf8) == NULL);
	CHECK(bus_find(&pio_bus, 0x501) == NULL);
	CHECK_EQ(debug_exit_status(0xf4, 1, 0x20), 0x41);
	CHECK_EQ(debug_exit_status(0xf7, 1, 0x10), 0x21);
	CHECK_EQ(debug_exit_status(0xf6, 2, 0x1234), 0x2469);
	CHECK_EQ(debug_exit_status(0xf4, 4, 0x12345603), 0x2468ac07);
	/* The top bit shifts out, as under QEMU. */
	CHECK_EQ(debug_exit_status(0xf4, 4, 0x80000001), 3);
	debug_exit_device.teardown(&vm);

	/* A range past the I/O space, or empty, is refused. */
	cfg.debug_exit_iobase = 0xfffe;
	CHECK_EQ(debug_exit_device.realize(&vm), -EINVAL);
	cfg.debug_exit_iobase = 0x501;
	cfg.debug_exit_iosize = 0;
	CHECK_EQ(debug_exit_device.realize(&vm), -EINVAL);
	CHECK(bus_find(&pio_bus, 0x501) == NULL);
	debug_exit_device.teardown(&vm);
	cfg.debug_exit = false;
}

/* ---- pc-testdev ---- */

#define PAGE 4096
#define FLUSH_GPA 0x200000

static atomic_bool writer_stop;

/* A back end (or another vCPU completing an instruction) writing RAM. */
static void *ram_writer(void *arg)
{
	volatile uint32_t *p = arg;

	while (!atomic_load_explicit(&writer_stop, memory_order_relaxed))
		p[1]++;
	return NULL;
}

/*
 * The flush must never leave the page inaccessible to the host: other
 * threads copy into guest RAM without the bus lock, and a fault there
 * kills the VMM.  The guest asks for the flush, so it must not be able
 * to crash anything with it.
 */
static void test_pc_testdev_flush(void)
{
	uint8_t *hva = gpa_to_hva(&mem, FLUSH_GPA, PAGE);
	pthread_t t;

	CHECK(hva != NULL);
	for (unsigned int i = 0; i < PAGE; i++)
		hva[i] = i * 7 + 1;
	out(0xe4, 4, FLUSH_GPA | 0x123);	/* the low 12 bits are ignored */
	for (unsigned int i = 0; i < PAGE; i++)
		if (hva[i] != (uint8_t)(i * 7 + 1)) {
			CHECK_EQ(hva[i], (uint8_t)(i * 7 + 1));
			break;
		}
	/* Not RAM, narrower writes, reads: nothing happens. */
	out(0xe4, 4, 0xfee00000);
	out(0xe4, 4, 0xfffff000);
	out(0xe4, 2, FLUSH_GPA);
	out(0xe5, 1, 0x20);
	CHECK_EQ(in(0xe4, 4), 0xffffffff);

	atomic_store(&writer_stop, false);
	CHECK_EQ(pthread_create(&t, NULL, ram_writer, hva), 0);
	for (int i = 0; i < 20000; i++)
		out(0xe4, 4, FLUSH_GPA);
	atomic_store(&writer_stop, true);
	pthread_join(t, NULL);
	CHECK_EQ(hva[0], 1);
	CHECK_EQ(hva[PAGE - 1], (uint8_t)((PAGE - 1) * 7 + 1));
}

static void test_pc_testdev(void)
{
	cfg.pc_testdev = true;
	CHECK_EQ(pc_testdev_device.realize(&vm), 0);

	/* 0xE0-0xE3: a 32-bit register at any width and offset. */
	out(0xe0, 4, 0x12345678);
	CHECK_EQ(in(0xe0, 4), 0x12345678);
	CHECK_EQ(in(0xe1, 1), 0x56);
	CHECK_EQ(in(0xe2, 2), 0x1234);
	out(0xe1, 2, 0xbeef);
	CHECK_EQ(in(0xe0, 4), 0x12beef78);
	out(0xe3, 1, 0xaa);
	CHECK_EQ(in(0xe0, 4), 0xaabeef78);
	/* 0xE8-0xEB: the same register. */
	CHECK_EQ(in(0xe8, 1), 0x78);
	out(0xeb, 1, 0x11);
	CHECK_EQ(in(0xe0, 4), 0x11beef78);
	CHECK_EQ(in(0xe8, 4), 0x11beef78);
	/* Wider than the range: the device gets its 4 bytes, no more. */
	CHECK(bus_access(&pio_bus, 0xe0,
			 (uint8_t[8]){ 1, 2, 3, 4, 5, 6, 7, 8 }, 8, true));
	CHECK_EQ(in(0xe0, 4), 0x04030201);
	CHECK_EQ(in(0xe8, 4), 0x04030201);

	/* 0x2000 + n: byte writes drive GSI n; 24 lines. */
	vm.irq_intercept = intercept;
	out(0x2000 + 5, 1, 0x80);
	CHECK_EQ(irq_level[5], 1);
	out(0x2000 + 5, 1, 0);
	CHECK_EQ(irq_level[5], 0);
	out(0x2000 + 23, 1, 1);
	CHECK_EQ(irq_level[23], 1);
	out(0x2000 + 23, 1, 0);
	irq_changes = 0;
	out(0x2000 + 4, 2, 1);		/* not a byte: ignored */
	CHECK_EQ(irq_changes, 0);
	CHECK(bus_find(&pio_bus, 0x2000 + 24) == NULL);
	CHECK_EQ(in(0x2000, 1), 0xff);
	vm.irq_intercept = NULL;

	/* 0xFF000000: 64 KiB of memory, any width. */
	{
		uint8_t d[8];

		io_data_set(d, 8, 0x1122334455667788ULL);
		CHECK(bus_access(&mmio_bus, 0xff00fff8, d, 8, true));
		memset(d, 0, sizeof(d));
		CHECK(bus_access(&mmio_bus, 0xff00fffc, d, 4, false));
		CHECK_EQ(io_data_get(d, 4), 0x11223344);
		/* Straddling the end: its own 2 bytes, then ones. */
		CHECK(bus_access(&mmio_bus, 0xff00fffe, d, 4, false));
		CHECK_EQ(io_data_get(d, 4), 0xffff1122);
		CHECK(bus_find(&mmio_bus, 0xff010000) == NULL);
	}

	test_pc_testdev_flush();
	pc_testdev_device.teardown(&vm);
	CHECK(bus_find(&pio_bus, 0xe0) == NULL);
	CHECK(bus_find(&mmio_bus, 0xff000000) == NULL);
	cfg.pc_testdev = false;
}

/* ---- every range, every offset, every width ---- */

static int nmsi;

static int count_msi(struct vm *v, uint64_t addr, uint32_t data)
{
	nmsi++;
	return 0;
}

static const struct accel_ops sweep_accel = { .send_msi = count_msi };

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Whatever reaches a device (or not): read, then write v. */
static void read_then_write(struct bus *bus, uint64_t addr, uint32_t len,
			    uint64_t v)
{
	uint8_t d[8];

	bus_access(bus, addr, d, len, false);
	io_data_set(d, len, v);
	bus_access(bus, addr, d, len, true);
}

/*
 * Each access reads, then writes one of a few patterns.  Writes move BARs
 * and change device state, so the ranges are snapshotted first and hit by
 * address: a range that moved away just reads as unclaimed.
 */
static void sweep_bus(struct bus *bus, uint64_t max_offsets)
{
	static const uint64_t patterns[] = { 0, ~0ULL, 0x5a5a5a5a5a5a5a5aULL };
	struct bus_range snap[64];
	unsigned int n = bus->nr < 64 ? bus->nr : 64;

	memcpy(snap, bus->ranges, n * sizeof(*snap));
	for (unsigned int r = 0; r < n; r++) {
		uint64_t span = snap[r].len < max_offsets ? snap[r].len
							   : max_offsets;

		for (uint64_t i = 0; i < span; i++) {
			/* The first offsets, then the last ones. */
			uint64_t off = i < span / 2 ? i : snap[r].len - (span - i);

			for (uint32_t len = 1; len <= 8; len++) {
				uint64_t v = (off + len) % 4 == 3 ?
					next_random() : patterns[(off + len) % 3];

				read_then_write(bus, snap[r].base + off, len, v);
			}
		}
	}
}

/* Config space of a slot, every register at widths 1, 2 and 4. */
static void sweep_config(unsigned int slot)
{
	for (unsigned int reg = 0; reg < 256; reg++) {
		for (uint32_t len = 1; len <= 4; len *= 2) {
			out(0xcf8, 4, cfg_addr(slot, reg));
			read_then_write(&pio_bus, 0xcfc + (reg & 3), len,
					next_random());
		}
	}
	/* Decoding back on, so the BARs wherever they are get swept too. */
	cfg_write(slot, PCI_COMMAND, 2, PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
}

static void test_sweep(void)
{
	const struct device_ops *devs[] = {
		&fw_cfg_device, &acpi_pm_device, &rtc_device, &i8042_device,
		&debug_exit_device, &pc_testdev_device, &reset_control_device,
		&pci_testdev_device,
	};
	const unsigned int ndevs = sizeof(devs) / sizeof(*devs);

	cfg.debug_exit = cfg.pc_testdev = cfg.pci_testdev = true;
	cfg.debug_exit_iobase = 0x501;
	cfg.debug_exit_iosize = 2;
	vm.irq_intercept = intercept;
	vm.accel = &sweep_accel;
	CHECK_EQ(pci_host_init(&vm), 0);
	for (unsigned int i = 0; i < ndevs; i++)
		CHECK_EQ(devs[i]->realize(&vm), 0);
	for (int round = 0; round < 4; round++) {
		sweep_config(0);
		sweep_config(1);
		sweep_bus(&pio_bus, 64);
		sweep_bus(&mmio_bus, 64);
		take_request();
	}
	for (unsigned int i = ndevs; i-- > 0;)
		devs[i]->teardown(&vm);
	pci_host_fini();
	/* Wherever the guest moved things, nothing is left behind. */
	CHECK_EQ(pio_bus.nr, 0);
	CHECK_EQ(mmio_bus.nr, 0);
	vm.accel = NULL;
	vm.irq_intercept = NULL;
	cfg.debug_exit = cfg.pc_testdev = cfg.pci_testdev = false;
}

int main(void)
{
	CHECK_EQ(guest_mem_init(&mem, cfg.ram_size), 0);
	test_i8042();
	test_debug_exit();
	test_pc_testdev();
	test_sweep();
	guest_mem_free(&mem);
	bus_clear(&pio_bus);
	bus_clear(&mmio_bus);
	return unit_report();
}
