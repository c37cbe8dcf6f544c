// SPDX-License-Identifier: MIT
/*
 * QEMU's pc-testdev, which kvm-unit-tests drives (-device pc-testdev):
 *   0xE0-0xE3   a 32-bit scratch register, any width at any offset
 *   0xE4        a 32-bit write of a guest-physical address "flushes" that
 *               page: its host page is replaced (contents kept), so KVM
 *               must fault it in again
 *   0xE8-0xEB   the same scratch register, byte by byte
 *   0x2000+n    a byte write sets interrupt line (GSI) n, n < 24, to !!v
 *   0xFF000000  64 KiB of MMIO-backed memory
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"
#include "device.h"
#include "memory.h"
#include "util/log.h"
#include "vm.h"

#define TESTDEV_PORT 0xE0
#define TESTDEV_FLUSH 0xE4
#define TESTDEV_PORT_BYTE 0xE8
#define TESTDEV_IRQ 0x2000
#define TESTDEV_NR_IRQS 24
#define TESTDEV_IOMEM 0xFF000000ULL
#define TESTDEV_IOMEM_LEN 0x10000
#define TESTDEV_PAGE 0x1000ULL

struct pc_testdev {
	struct vm *vm;
	uint32_t port_data;
	uint8_t iomem[TESTDEV_IOMEM_LEN];
	uint8_t flush_buf[TESTDEV_PAGE];
	unsigned int registered;	/* how many of the ranges below */
};

static struct pc_testdev *testdev;

static const struct {
	bool mmio;
	uint64_t base, len;
} ranges[] = {
	{ false, TESTDEV_PORT, 4 },
	{ false, TESTDEV_FLUSH, 4 },
	{ false, TESTDEV_PORT_BYTE, 4 },
	{ false, TESTDEV_IRQ, TESTDEV_NR_IRQS },
	{ true, TESTDEV_IOMEM, TESTDEV_IOMEM_LEN },
};

static void port_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		    bool is_write)
{
	struct pc_testdev *t = opaque;
	unsigned int shift = 8 * offset;
	uint32_t mask;

	if (len > 4 || offset + len > 4) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	mask = (len == 4 ? 0xffffffffu : (1u << (8 * len)) - 1) << shift;
	if (is_write)
		t->port_data = (t->port_data & ~mask) |
			       (((uint32_t)io_data_get(data, len) << shift) & mask);
	else
		io_data_set(data, len, (t->port_data & mask) >> shift);
}

/*
 * Make KVM fault the page in again: its mappings follow the host's through
 * the MMU notifier, so dropping the host page is enough.  QEMU does it by
 * mprotect()ing the page PROT_NONE and back, but in that window any other
 * thread touching the page -- a vCPU completing an instruction, a back end
 * copying into guest RAM -- faults and kills the VMM.  Here the page stays
 * mapped read-write throughout: its bytes are saved, the page zapped (a
 * private anonymous page reads as zeros after that) and the bytes written
 * back.  A guest that writes the page meanwhile only races with itself.
 */
static void flush_page(struct pc_testdev *t, uint8_t *hva)
{
	memcpy(t->flush_buf, hva, TESTDEV_PAGE);
	if (madvise(hva, TESTDEV_PAGE, MADV_DONTNEED) == 0)
		memcpy(hva, t->flush_buf, TESTDEV_PAGE);
}

static void flush_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		     bool is_write)
{
	struct pc_testdev *t = opaque;
	uint64_t gpa;
	uint8_t *hva;

	if (!is_write) {
		memset(data, 0xff, len);
		return;
	}
	if (offset || len != 4)
		return;
	gpa = io_data_get(data, 4) & ~(TESTDEV_PAGE - 1);
	hva = gpa_to_hva(t->vm->mem, gpa, TESTDEV_PAGE);
	if (hva && !((uintptr_t)hva & (TESTDEV_PAGE - 1)))
		flush_page(t, hva);
}

static void irq_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		   bool is_write)
{
	struct pc_testdev *t = opaque;

	if (!is_write) {
		memset(data, 0xff, len);
		return;
	}
	if (len == 1 && offset < TESTDEV_NR_IRQS)
		vm_set_irq(t->vm, offset, !!data[0]);
}

static void iomem_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		     bool is_write)
{
	struct pc_testdev *t = opaque;

	if (offset + len > TESTDEV_IOMEM_LEN)
		return;
	if (is_write)
		memcpy(t->iomem + offset, data, len);
	else
		memcpy(data, t->iomem + offset, len);
}

static const io_handler_fn handlers[] = {
	port_io, flush_io, port_io, irq_io, iomem_io,
};

static void pc_testdev_teardown(struct vm *vm)
{
	struct pc_testdev *t = testdev;

	if (!t)
		return;
	while (t->registered > 0) {
		unsigned int i = --t->registered;

		bus_unregister(ranges[i].mmio ? &mmio_bus : &pio_bus,
			       ranges[i].base);
	}
	free(t);
	testdev = NULL;
}

static int pc_testdev_realize(struct vm *vm)
{
	struct pc_testdev *t;
	int ret;

	if (!vm->cfg->pc_testdev)
		return 0;
	t = calloc(1, sizeof(*t));
	if (!t) {
		log_error("pc-testdev: out of memory");
		return -ENOMEM;
	}
	t->vm = vm;
	testdev = t;
	for (unsigned int i = 0; i < sizeof(ranges) / sizeof(*ranges); i++) {
		ret = bus_register(ranges[i].mmio ? &mmio_bus : &pio_bus,
				   ranges[i].base, ranges[i].len, handlers[i], t,
				   "pc-testdev");
		if (ret) {
			log_error("pc-testdev: %s 0x%llx-0x%llx: %s",
				  ranges[i].mmio ? "memory" : "ports",
				  (unsigned long long)ranges[i].base,
				  (unsigned long long)(ranges[i].base +
						       ranges[i].len - 1),
				  strerror(-ret));
			pc_testdev_teardown(vm);
			return ret;
		}
		t->registered++;
	}
	return 0;
}

/* Not static: unit tests realize it directly. */
const struct device_ops pc_testdev_device = {
	.name = "pc-testdev",
	.order = DEVICE_ORDER_PLATFORM,
	.realize = pc_testdev_realize,
	.teardown = pc_testdev_teardown,
};

DEVICE_REGISTER(pc_testdev_device);
