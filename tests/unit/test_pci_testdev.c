// SPDX-License-Identifier: MIT
/*
 * pci-testdev as kvm-unit-tests drives it: found on the bus by its IDs,
 * BARs placed by our "firmware", each test selected, its header read, and
 * its writes counted, through both BARs.
 */
#include "hw/pci.h"

#include "device.h"
#include "unit.h"
#include "bus_io.h"
#include "vm.h"

extern const struct device_ops pci_testdev_device;

static struct guest_mem mem;
static struct vm_config cfg = { .pci_testdev = true };
static struct vm vm = { .cfg = &cfg, .mem = &mem, .wake_fd = -1 };

/* One BAR's accessors: port I/O or MMIO. */
static bool use_port;
static uint64_t bar_base;

static uint32_t rd(uint64_t off, uint32_t len)
{
	return bus_in(use_port ? &pio_bus : &mmio_bus, bar_base + off, len);
}

static void wr(uint64_t off, uint32_t len, uint32_t v)
{
	bus_out(use_port ? &pio_bus : &mmio_bus, bar_base + off, len, v);
}

static void read_name(char *buf, size_t size)
{
	size_t i;

	for (i = 0; i + 1 < size; i++) {
		buf[i] = rd(16 + i, 1);
		if (!buf[i])
			break;
	}
	buf[i] = 0;
}

/* kvm-unit-tests' pci_testdev_one(), plus the expectations on our side. */
static void run_test(int nr, const char *want_name)
{
	uint32_t data, off, count;
	char name[64];

	wr(0, 1, nr);
	CHECK_EQ(rd(12, 4), 0);
	CHECK_EQ(rd(1, 1), 1);
	data = rd(8, 4);
	off = rd(4, 4);
	CHECK_EQ(rd(0, 1), (use_port ? 3 : 0) + nr);
	CHECK_EQ(off, (use_port ? 128 : 2048) + (use_port ? 3 : 0) + nr);
	CHECK_EQ(data, nr == 1 ? 0xce : 0xfa);
	for (int i = 0; i < 16; i++)
		wr(off, 1, data);
	count = rd(12, 4);
	CHECK_EQ(count, 16);
	/* A byte elsewhere does not count; a wrong value counts only for
	 * the wildcard test. */
	wr(off + 1, 1, data);
	wr(off, 1, 0x11);
	CHECK_EQ(rd(12, 4), nr == 1 ? 17 : 16);
	read_name(name, sizeof(name));
	CHECK_STR(name, want_name);
	/* Reading past the header reads zero. */
	CHECK_EQ(rd(16 + strlen(want_name), 1), 0);
	CHECK_EQ(rd(200, 4), 0);
}

int main(void)
{
	static const char *const mmio_names[] = {
		"mmio-no-eventfd", "mmio-wildcard-eventfd",
		"mmio-datamatch-eventfd",
	};
	static const char *const port_names[] = {
		"portio-no-eventfd", "portio-wildcard-eventfd",
		"portio-datamatch-eventfd",
	};
	int slot = -1;

	CHECK_EQ(guest_mem_layout(&mem, 256ULL << 20), 0);
	CHECK_EQ(pci_host_init(&vm), 0);
	CHECK_EQ(pci_testdev_device.realize(&vm), 0);
	for (int s = 0; s < 32; s++)
		if (cfg_read(s, 0, 4) == 0x00051b36)
			slot = s;
	CHECK_EQ(slot, 1);
	CHECK_EQ(cfg_read(slot, 8, 4), 0x00ff0000);
	CHECK_EQ(cfg_read(slot, 0x3c, 4) >> 8 & 0xff, 0);	/* no pin */
	CHECK_EQ(cfg_read(slot, 4, 4) & 3, 3);

	/* BAR0: 4 KiB of memory; BAR1: 256 ports. */
	CHECK_EQ(cfg_read(slot, 0x10, 4), 0xc0000000);
	CHECK_EQ(cfg_read(slot, 0x14, 4), 0xc001);

	/* No test selected: reads are zero, writes count nowhere. */
	use_port = false;
	bar_base = 0xc0000000;
	CHECK_EQ(rd(0, 4), 0);
	for (int nr = 0; nr < 3; nr++)
		run_test(nr, mmio_names[nr]);
	use_port = true;
	bar_base = 0xc000;
	for (int nr = 0; nr < 3; nr++)
		run_test(nr, port_names[nr]);
	/* An unknown test number deselects. */
	wr(0, 1, 3);
	CHECK_EQ(rd(0, 4), 0);
	/* A dword write to byte 0 selects by its low byte. */
	wr(0, 4, 0xffffff02);
	CHECK_EQ(rd(0, 1), 5);

	pci_testdev_device.teardown(&vm);
	CHECK(pci_host_slot(1) == NULL);
	CHECK(bus_find(&mmio_bus, 0xc0000000) == NULL);
	CHECK(bus_find(&pio_bus, 0xc000) == NULL);
	/* Torn down, realized again: a fresh device in the same slot. */
	CHECK_EQ(pci_testdev_device.realize(&vm), 0);
	CHECK_EQ(cfg_read(1, 0, 4), 0x00051b36);
	pci_testdev_device.teardown(&vm);
	pci_host_fini();
	bus_clear(&pio_bus);
	bus_clear(&mmio_bus);
	return unit_report();
}
