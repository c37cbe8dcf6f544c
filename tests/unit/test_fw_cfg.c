// SPDX-License-Identifier: MIT
/*
 * fw_cfg through its ports on the real bus: the selector and data ports,
 * the fixed items, the file directory and files other devices add, and the
 * DMA interface with good and hostile guest addresses (outside RAM, in the
 * MMIO hole, straddling a region's end, wrapping), which must end with the
 * error bit and never touch anything but guest RAM.
 */
#include <errno.h>
#include <stdlib.h>

#include "device.h"
#include "hw/fw_cfg.h"
#include "memory.h"
#include "unit.h"
#include "bus_io.h"
#include "vm.h"
#include "x86/boot.h"

/* Low RAM ends at 3 GiB, then 16 MiB above 4 GiB: both regions and the hole. */
#define RAM_SIZE (MEM_LOW_MAX + (16ULL << 20))
#define HIGH_RAM_END (MEM_HIGH_BASE + (16ULL << 20))

static struct guest_mem mem;
static struct vm_config cfg = { .ram_size = RAM_SIZE, .ncpus = 3,
				.append = "console=ttyS0" };
static struct vm vm = { .cfg = &cfg, .ncpus = 3 };

static void read_item(uint16_t key, void *buf, size_t n)
{
	uint8_t *p = buf;

	out(FW_CFG_PORT_SEL, 2, key);
	for (size_t i = 0; i < n; i++)
		p[i] = in(FW_CFG_PORT_DATA, 1);
}

static uint64_t read_le(uint16_t key, unsigned int n)
{
	uint8_t b[8] = { 0 };

	read_item(key, b, n);
	return io_data_get(b, n);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint8_t *ram(uint64_t gpa, uint64_t len)
{
	uint8_t *p = gpa_to_hva(&mem, gpa, len);

	CHECK(p != NULL);
	return p;
}

/* Write an FWCfgDmaAccess at gpa and start it as a guest would. */
static uint32_t dma(uint64_t gpa, uint32_t control, uint32_t length,
		    uint64_t addr)
{
	uint8_t *a = gpa_to_hva(&mem, gpa, 16);
	uint8_t d[4];

	if (a) {
		put_be32(a, control);
		put_be32(a + 4, length);
		put_be32(a + 8, addr >> 32);
		put_be32(a + 12, addr);
	}
	/* iowrite32be: the port sees the big-endian bytes in order. */
	if (gpa >> 32) {
		put_be32(d, gpa >> 32);
		CHECK(bus_access(&pio_bus, FW_CFG_PORT_DMA, d, 4, true));
	}
	put_be32(d, gpa);
	CHECK(bus_access(&pio_bus, FW_CFG_PORT_DMA + 4, d, 4, true));
	return a ? be32(a) : 0xdeadbeef;
}

static void test_fixed_items(void)
{
	char sig[5] = { 0 };
	uint8_t d[8];

	read_item(FW_CFG_SIGNATURE, sig, 4);
	CHECK_STR(sig, "QEMU");
	CHECK_EQ(in(FW_CFG_PORT_DATA, 1), 0);		/* past the end */
	CHECK_EQ(in(FW_CFG_PORT_DATA, 1), 0);
	/* Reselecting starts over; the write-channel bit is ignored. */
	out(FW_CFG_PORT_SEL, 2, FW_CFG_SIGNATURE | FW_CFG_WRITE_CHANNEL);
	CHECK_EQ(in(FW_CFG_PORT_DATA, 1), 'Q');
	/* A wide read of the data port reads the next bytes in order. */
	CHECK(bus_access(&pio_bus, FW_CFG_PORT_DATA, d, 1, false));
	CHECK_EQ(d[0], 'E');

	CHECK_EQ(read_le(FW_CFG_ID, 4), FW_CFG_ID_TRADITIONAL | FW_CFG_ID_DMA);
	CHECK_EQ(read_le(FW_CFG_RAM_SIZE, 8), RAM_SIZE);
	CHECK_EQ(read_le(FW_CFG_NB_CPUS, 2), 3);
	CHECK_EQ(read_le(FW_CFG_MAX_CPUS, 2), 3);
	CHECK_EQ(read_le(FW_CFG_CMDLINE_SIZE, 4), strlen(cfg.append) + 1);
	char cmd[20] = { 0 };

	read_item(FW_CFG_CMDLINE_DATA, cmd, sizeof(cmd));
	CHECK_STR(cmd, "console=ttyS0");
	CHECK_EQ(read_le(FW_CFG_IRQ0_OVERRIDE, 4), 1);

	/* Unknown keys read as zeros, whatever the range. */
	CHECK_EQ(read_le(0x0002, 8), 0);
	CHECK_EQ(read_le(0x1234, 8), 0);
	CHECK_EQ(read_le(0x3fff, 8), 0);
	CHECK_EQ(read_le(FW_CFG_ARCH_LOCAL | 0x1234, 8), 0);
	CHECK_EQ(read_le(FW_CFG_FILE_FIRST + FW_CFG_MAX_FILES, 8), 0);

	/* The selector is write-only; data writes are ignored. */
	d[0] = d[1] = 0x55;
	CHECK(bus_access(&pio_bus, FW_CFG_PORT_SEL, d, 2, false));
	CHECK_EQ(d[0] | d[1], 0);
	out(FW_CFG_PORT_SEL, 2, FW_CFG_SIGNATURE);
	d[0] = 'X';
	CHECK(bus_access(&pio_bus, FW_CFG_PORT_DATA, d, 1, true));
	CHECK_EQ(in(FW_CFG_PORT_DATA, 1), 'Q');

	/* The DMA register reads "QEMU CFG", big-endian. */
	for (int i = 0; i < 8; i++)
		CHECK_EQ(in(FW_CFG_PORT_DMA + i, 1), "QEMU CFG"[i]);
	CHECK(bus_access(&pio_bus, FW_CFG_PORT_DMA, d, 4, false));
	CHECK(!memcmp(d, "QEMU", 4));
}

/* Find name in the directory: its selector and size, or 0. */
static uint16_t dir_lookup(const char *name, uint32_t *size)
{
	uint8_t hdr[4], e[64];
	uint32_t count;

	read_item(FW_CFG_FILE_DIR, hdr, 4);
	count = be32(hdr);
	for (uint32_t i = 0; i < count; i++) {
		for (int j = 0; j < 64; j++)
			e[j] = in(FW_CFG_PORT_DATA, 1);
		CHECK(memchr(e + 8, 0, 56) != NULL);
		if (!strncmp((char *)e + 8, name, 56)) {
			*size = be32(e);
			return e[4] << 8 | e[5];
		}
	}
	return 0;
}

static void test_files(void)
{
	struct e820_entry map[E820_MAX_ENTRIES], got[E820_MAX_ENTRIES];
	unsigned int n = e820_build(&mem, map, E820_MAX_ENTRIES);
	char name[FW_CFG_FILE_NAME_LEN + 1];
	uint32_t size = 0;
	uint16_t key;
	uint8_t buf[8];

	key = dir_lookup("etc/e820", &size);
	CHECK(key >= FW_CFG_FILE_FIRST);
	CHECK_EQ(size, n * sizeof(struct e820_entry));
	CHECK_EQ(sizeof(struct e820_entry), 20);
	memset(got, 0, sizeof(got));
	read_item(key, got, size);
	CHECK(!memcmp(got, map, size));

	CHECK_EQ(fw_cfg_add_file("opt/test/blob", "abcdef", 6), 0);
	key = dir_lookup("opt/test/blob", &size);
	CHECK(key > FW_CFG_FILE_FIRST);
	CHECK_EQ(size, 6);
	memset(buf, 0xff, sizeof(buf));
	read_item(key, buf, 8);
	CHECK(!memcmp(buf, "abcdef\0\0", 8));

	CHECK_EQ(fw_cfg_add_file("opt/test/blob", "x", 1), -EEXIST);
	CHECK_EQ(fw_cfg_add_file("", "x", 1), -EINVAL);
	CHECK_EQ(fw_cfg_add_file(NULL, "x", 1), -EINVAL);
	CHECK_EQ(fw_cfg_add_file("opt/test/null", NULL, 1), -EINVAL);
	memset(name, 'n', sizeof(name));
	name[FW_CFG_FILE_NAME_LEN] = 0;
	CHECK_EQ(fw_cfg_add_file(name, "x", 1), -EINVAL);	/* 56 chars */
	name[FW_CFG_FILE_NAME_LEN - 1] = 0;
	CHECK_EQ(fw_cfg_add_file(name, "x", 1), 0);		/* 55 chars */
	CHECK(dir_lookup(name, &size) != 0);
	CHECK_EQ(fw_cfg_add_file("opt/test/empty", NULL, 0), 0);
	CHECK(dir_lookup("opt/test/empty", &size) != 0);
	CHECK_EQ(size, 0);

	/* The data is copied: the caller's buffer may go away. */
	char tmp[4] = "tmp";

	CHECK_EQ(fw_cfg_add_file("opt/test/copy", tmp, 4), 0);
	tmp[0] = 'X';
	key = dir_lookup("opt/test/copy", &size);
	read_item(key, buf, 4);
	CHECK_STR((char *)buf, "tmp");
}

static void test_dma_good(void)
{
	uint8_t *dst = ram(0x11000, 16);
	uint32_t size;
	uint16_t key;

	memset(dst, 0xaa, 16);
	CHECK_EQ(dma(0x10000, FW_CFG_SIGNATURE << 16 | FW_CFG_DMA_CTL_SELECT |
		     FW_CFG_DMA_CTL_READ, 4, 0x11000), 0);
	CHECK(!memcmp(dst, "QEMU\xaa", 5));

	/* Past the end of the item: zeros, and still success. */
	memset(dst, 0xaa, 16);
	CHECK_EQ(dma(0x10000, FW_CFG_SIGNATURE << 16 | FW_CFG_DMA_CTL_SELECT |
		     FW_CFG_DMA_CTL_READ, 8, 0x11000), 0);
	CHECK(!memcmp(dst, "QEMU\0\0\0\0\xaa", 9));

	/* Select, skip, read; then the data port continues at that offset. */
	key = dir_lookup("opt/test/blob", &size);
	CHECK_EQ(dma(0x10000, key << 16 | FW_CFG_DMA_CTL_SELECT |
		     FW_CFG_DMA_CTL_SKIP, 2, 0), 0);
	CHECK_EQ(dma(0x10000, FW_CFG_DMA_CTL_READ, 2, 0x11000), 0);
	CHECK(!memcmp(dst, "cd", 2));
	CHECK_EQ(in(FW_CFG_PORT_DATA, 1), 'e');
	/* Skipping past the end is harmless. */
	CHECK_EQ(dma(0x10000, FW_CFG_DMA_CTL_SKIP, 0xffffffff, 0), 0);
	CHECK_EQ(in(FW_CFG_PORT_DATA, 1), 0);

	/* Unknown key: zeros. */
	memset(dst, 0xaa, 16);
	CHECK_EQ(dma(0x10000, 0x2345u << 16 | FW_CFG_DMA_CTL_SELECT |
		     FW_CFG_DMA_CTL_READ, 4, 0x11000), 0);
	CHECK(!memcmp(dst, "\0\0\0\0\xaa", 5));

	/* Length 0 and a bare select succeed. */
	CHECK_EQ(dma(0x10000, FW_CFG_DMA_CTL_READ, 0, 0xffffffffffff0000ULL), 0);
	CHECK_EQ(dma(0x10000, FW_CFG_ID << 16 | FW_CFG_DMA_CTL_SELECT, 0, 0), 0);
	CHECK_EQ(in(FW_CFG_PORT_DATA, 1), 3);

	/* A descriptor and a buffer in RAM above 4 GiB: the high half counts. */
	uint8_t *hi = ram(MEM_HIGH_BASE + 0x2000, 8);

	memset(hi, 0, 8);
	CHECK_EQ(dma(MEM_HIGH_BASE + 0x1000, FW_CFG_RAM_SIZE << 16 |
		     FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 8,
		     MEM_HIGH_BASE + 0x2000), 0);
	CHECK_EQ(io_data_get(hi, 8), RAM_SIZE);
	/* ... and is 0 again after the operation. */
	memset(dst, 0, 4);
	CHECK_EQ(dma(0x10000, FW_CFG_SIGNATURE << 16 | FW_CFG_DMA_CTL_SELECT |
		     FW_CFG_DMA_CTL_READ, 4, 0x11000), 0);
	CHECK(!memcmp(dst, "QEMU", 4));
}

static void test_dma_bad(void)
{
	static const uint64_t bad[][2] = {
		{ RAM_SIZE, 4 },			/* the hole, above low RAM */
		{ MEM_LOW_MAX - 2, 4 },			/* straddles low RAM's end */
		{ HIGH_RAM_END - 2, 4 },		/* straddles high RAM's end */
		{ HIGH_RAM_END, 4 },			/* past all RAM */
		{ 0xfffffffffffffffeULL, 4 },		/* wraps */
		{ 0x100, 0xffffffff },			/* more than RAM */
		{ MEM_IOAPIC_BASE, 4 },			/* MMIO */
	};
	uint8_t *edge = ram(MEM_LOW_MAX - 2, 2);

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(edge, 0x77, 2);
		CHECK_EQ(dma(0x10000, FW_CFG_SIGNATURE << 16 |
			     FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ,
			     bad[i][1], bad[i][0]), FW_CFG_DMA_CTL_ERROR);
		/* A refused transfer writes nothing, even the part in RAM. */
		CHECK(edge[0] == 0x77 && edge[1] == 0x77);
	}

	/* Writes: every item is read-only. */
	CHECK_EQ(dma(0x10000, FW_CFG_SIGNATURE << 16 | FW_CFG_DMA_CTL_SELECT |
		     FW_CFG_DMA_CTL_WRITE, 4, 0x11000), FW_CFG_DMA_CTL_ERROR);
	read_item(FW_CFG_SIGNATURE, edge, 1);
	CHECK_EQ(edge[0], 'Q');

	/* A descriptor outside RAM (or straddling its end) is ignored. */
	dma(RAM_SIZE, FW_CFG_DMA_CTL_READ, 4, 0x11000);
	dma(MEM_LOW_MAX - 8, FW_CFG_DMA_CTL_READ, 4, 0x11000);
	dma(HIGH_RAM_END - 8, FW_CFG_DMA_CTL_READ, 4, 0x11000);
	dma(0xfffffffffffffff8ULL, FW_CFG_DMA_CTL_READ, 4, 0x11000);

	/* Odd-sized writes to the DMA register start nothing. */
	uint8_t *a = ram(0x10000, 16);
	uint8_t d[2] = { 0, 0 };

	put_be32(a, FW_CFG_DMA_CTL_READ);
	CHECK(bus_access(&pio_bus, FW_CFG_PORT_DMA + 6, d, 2, true));
	CHECK_EQ(be32(a), FW_CFG_DMA_CTL_READ);
}

static void squatter(void *opaque, uint64_t offset, uint8_t *data,
		     uint32_t len, bool is_write)
{
}

static void test_lifecycle(void)
{
	uint32_t size;

	fw_cfg_device.teardown(&vm);
	CHECK(bus_find(&pio_bus, FW_CFG_PORT_SEL) == NULL);
	CHECK(bus_find(&pio_bus, FW_CFG_PORT_DMA) == NULL);
	/* Rebuilt (a guest reset): the added files are gone, etc/e820 back. */
	CHECK_EQ(fw_cfg_device.realize(&vm), 0);
	CHECK(dir_lookup("opt/test/blob", &size) == 0);
	CHECK(dir_lookup("etc/e820", &size) != 0);
	/* Ports taken by someone else: a clean failure, nothing left behind. */
	fw_cfg_device.teardown(&vm);
	CHECK_EQ(bus_register(&pio_bus, FW_CFG_PORT_DMA + 4, 1, squatter, NULL,
			      "squatter"), 0);
	CHECK_EQ(fw_cfg_device.realize(&vm), -EBUSY);
	CHECK(bus_find(&pio_bus, FW_CFG_PORT_SEL) == NULL);
	CHECK_EQ(bus_unregister(&pio_bus, FW_CFG_PORT_DMA + 4), 0);
	CHECK_EQ(fw_cfg_device.realize(&vm), 0);

	/* Too many files. */
	char name[32];
	int ret = 0, added = 0;

	for (int i = 0; i < FW_CFG_MAX_FILES + 1 && ret == 0; i++) {
		snprintf(name, sizeof(name), "opt/test/%d", i);
		ret = fw_cfg_add_file(name, name, strlen(name));
		added += ret == 0;
	}
	CHECK_EQ(ret, -ENOSPC);
	CHECK_EQ(added, FW_CFG_MAX_FILES - 1);	/* etc/e820 took one */
	fw_cfg_device.teardown(&vm);
}

int main(void)
{
	CHECK_EQ(guest_mem_init(&mem, RAM_SIZE), 0);
	vm.mem = &mem;
	CHECK_EQ(fw_cfg_device.realize(&vm), 0);
	test_fixed_items();
	test_files();
	test_dma_good();
	test_dma_bad();
	test_lifecycle();
	guest_mem_free(&mem);
	return unit_report();
}
