// SPDX-License-Identifier: MIT
/*
 * QEMU's pci-testdev (1b36:0005), which kvm-unit-tests uses to time and
 * check MMIO and port-I/O exits (-device pci-testdev).  BAR0 (4 KiB of
 * memory) and BAR1 (256 ports) each show the header of the selected test:
 *
 *	u8 test, u8 width, u8 pad[2], u32 offset, u8 data, u8 pad[3],
 *	u32 count, char name[]
 *
 * A write of n < 3 to byte 0 selects test n of that BAR's kind (mmio-*,
 * portio-*: no-eventfd, wildcard-eventfd, datamatch-eventfd) and zeroes its
 * count; then each byte written at `offset` (equal to `data`, except for
 * the wildcard test) counts.  Every access works a byte at a time, as
 * QEMU's.  No ioeventfds here: all three tests count in the device.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "device.h"
#include "hw/pci.h"
#include "util/log.h"
#include "vm.h"

#define TESTDEV_VENDOR 0x1b36	/* Red Hat */
#define TESTDEV_DEVICE 0x0005
#define TESTDEV_CLASS 0x00ff00	/* unclassified, "other" */

#define IOTEST_MEMSIZE 2048
#define IOTEST_IOSIZE 128
#define IOTEST_KINDS 3		/* no-eventfd, wildcard, datamatch */
#define IOTEST_MAX (2 * IOTEST_KINDS)
#define IOTEST_DATAMATCH 0xFA
#define IOTEST_NOMATCH 0xCE

#define HDR_TEST 0
#define HDR_WIDTH 1
#define HDR_OFFSET 4
#define HDR_DATA 8
#define HDR_COUNT 12
#define HDR_NAME 16
#define HDR_MAX (HDR_NAME + 32)

struct iotest {
	uint8_t hdr[HDR_MAX];
	unsigned int len;	/* header and name with its NUL */
	bool match_data;
	uint32_t offset;
};

struct pci_testdev {
	struct pci_function pci;
	struct iotest tests[IOTEST_MAX];
	int current;
};

static struct pci_testdev *testdev;

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Tests 0-2 are MMIO, 3-5 port I/O, as QEMU numbers them. */
static void iotest_init(struct iotest *t, unsigned int i)
{
	static const char *const kinds[IOTEST_KINDS] = {
		"no-eventfd", "wildcard-eventfd", "datamatch-eventfd",
	};
	bool mem = i < IOTEST_KINDS;
	unsigned int kind = i % IOTEST_KINDS;
	char name[HDR_MAX - HDR_NAME];
	int n;

	memset(t, 0, sizeof(*t));
	n = snprintf(name, sizeof(name), "%s-%s", mem ? "mmio" : "portio",
		     kinds[kind]);
	t->match_data = kind != 1;
	t->offset = (mem ? IOTEST_MEMSIZE : IOTEST_IOSIZE) + i;
	t->hdr[HDR_TEST] = i;
	t->hdr[HDR_WIDTH] = 1;
	put_le32(t->hdr + HDR_OFFSET, t->offset);
	t->hdr[HDR_DATA] = t->match_data ? IOTEST_DATAMATCH : IOTEST_NOMATCH;
	memcpy(t->hdr + HDR_NAME, name, n + 1);
	t->len = HDR_NAME + n + 1;
}

static void write_byte(struct pci_testdev *d, uint64_t addr, uint8_t v,
		       bool port)
{
	struct iotest *t;

	if (addr == HDR_TEST) {
		d->current = -1;
		if (v >= IOTEST_KINDS)
			return;
		d->current = (port ? IOTEST_KINDS : 0) + v;
		put_le32(d->tests[d->current].hdr + HDR_COUNT, 0);
		return;
	}
	if (d->current < 0)
		return;
	t = &d->tests[d->current];
	if (addr != t->offset || (t->match_data && v != t->hdr[HDR_DATA]))
		return;
	put_le32(t->hdr + HDR_COUNT, get_le32(t->hdr + HDR_COUNT) + 1);
}

static uint8_t read_byte(struct pci_testdev *d, uint64_t addr)
{
	const struct iotest *t;

	if (d->current < 0)
		return 0;
	t = &d->tests[d->current];
	return addr + 1 < t->len ? t->hdr[addr] : 0;
}

static void testdev_io(struct pci_testdev *d, uint64_t offset, uint8_t *data,
		       uint32_t len, bool is_write, bool port)
{
	for (uint32_t i = 0; i < len; i++) {
		if (is_write)
			write_byte(d, offset + i, data[i], port);
		else
			data[i] = read_byte(d, offset + i);
	}
}

static void mmio_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		    bool is_write)
{
	testdev_io(opaque, offset, data, len, is_write, false);
}

static void port_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		    bool is_write)
{
	testdev_io(opaque, offset, data, len, is_write, true);
}

static void pci_testdev_teardown(struct vm *vm)
{
	if (!testdev)
		return;
	pci_unregister_function(&testdev->pci);
	free(testdev);
	testdev = NULL;
}

static int pci_testdev_realize(struct vm *vm)
{
	struct pci_testdev *d;
	int ret;

	if (!vm->cfg->pci_testdev)
		return 0;
	d = calloc(1, sizeof(*d));
	if (!d) {
		log_error("pci-testdev: out of memory");
		return -ENOMEM;
	}
	d->current = -1;
	for (unsigned int i = 0; i < IOTEST_MAX; i++)
		iotest_init(&d->tests[i], i);
	pci_function_init(&d->pci, "pci-testdev", TESTDEV_VENDOR,
			  TESTDEV_DEVICE, TESTDEV_CLASS, 0);
	ret = pci_function_set_bar(&d->pci, 0, PCI_BAR_MEM32,
				   2 * IOTEST_MEMSIZE, mmio_io, d);
	if (!ret)
		ret = pci_function_set_bar(&d->pci, 1, PCI_BAR_IO,
					   2 * IOTEST_IOSIZE, port_io, d);
	if (ret) {
		log_error("pci-testdev: BARs: %s", strerror(-ret));
		free(d);
		return ret;
	}
	testdev = d;
	ret = pci_register_function(vm, &d->pci, -1);
	if (ret) {
		pci_testdev_teardown(vm);
		return ret;
	}
	return 0;
}

/* Not static: unit tests realize it directly. */
const struct device_ops pci_testdev_device = {
	.name = "pci-testdev",
	.order = DEVICE_ORDER_PCI,
	.realize = pci_testdev_realize,
	.teardown = pci_testdev_teardown,
};

DEVICE_REGISTER(pci_testdev_device);
