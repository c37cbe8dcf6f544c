// SPDX-License-Identifier: MIT
/*
 * PCI through the guest's own path (ports 0xCF8/0xCFC on the bus): the host
 * bridge, config space masks and W1C bits, out-of-range registers, BAR
 * sizing/placement/relocation/overlap, the allocator, INTx routing and
 * sharing, capabilities and MSI-X.
 */
#include "hw/pci.h"

#include <errno.h>

#include "accel/accel.h"
#include "unit.h"
#include "bus_io.h"
#include "vm.h"

static int gsi_level[24];
static unsigned int gsi_changes;

static void intercept(void *opaque, unsigned int gsi, int level)
{
	if (gsi < 24)
		gsi_level[gsi] = level;
	gsi_changes++;
}

static uint64_t msi_addr[16];
static uint32_t msi_data[16];
static unsigned int nmsi;

static int test_send_msi(struct vm *vm, uint64_t addr, uint32_t data)
{
	if (nmsi < 16) {
		msi_addr[nmsi] = addr;
		msi_data[nmsi] = data;
	}
	nmsi++;
	return 0;
}

static const struct accel_ops test_accel = { .send_msi = test_send_msi };
static struct guest_mem mem;
static struct vm_config cfg;
static struct vm vm = {
	.cfg = &cfg, .mem = &mem, .accel = &test_accel, .wake_fd = -1,
	.irq_intercept = intercept,
};

/* ---- a test function ---- */

struct regs {
	uint64_t last_offset;
	unsigned int accesses;
	uint8_t scratch[0x1000];
};

static void regs_io(void *opaque, uint64_t offset, uint8_t *data,
		    uint32_t len, bool is_write)
{
	struct regs *r = opaque;

	r->last_offset = offset;
	r->accesses++;
	if (offset + len > sizeof(r->scratch)) {
		if (!is_write)
			memset(data, 0, len);
		return;
	}
	if (is_write)
		memcpy(r->scratch + offset, data, len);
	else
		memcpy(data, r->scratch + offset, len);
}

static struct regs r0, r1, r2;
static struct pci_function fa, fb, fc;
static unsigned int moves;

static void count_moves(struct pci_function *f, unsigned int bar,
			uint64_t addr, bool mapped)
{
	moves++;
}

static void make_function(struct pci_function *f)
{
	pci_function_init(f, "testfn", 0x1234, 0x5678, 0x0780ab, 0x07);
	CHECK_EQ(pci_function_set_bar(f, 0, PCI_BAR_MEM32, 0x1000, regs_io,
				      &r0), 0);
	CHECK_EQ(pci_function_set_bar(f, 1, PCI_BAR_IO, 32, regs_io, &r1), 0);
	CHECK_EQ(pci_function_set_bar(f, 2, PCI_BAR_MEM64 | PCI_BAR_PREFETCH,
				      1 << 20, regs_io, &r2), 0);
	pci_function_set_pin(f, 1);
	f->bar_moved = count_moves;
}

static void test_host_bridge(void)
{
	CHECK_EQ(cfg_read(0, 0, 4), 0x12378086);
	CHECK_EQ(cfg_read(0, 8, 4), 0x06000002);
	CHECK_EQ(cfg_read(0, 0x0e, 1), 0);
	CHECK_EQ(cfg_read(0, 0x2c, 4), 0x11001af4);
	/* Byte and word reads anywhere in the dword. */
	CHECK_EQ(cfg_read(0, 1, 1), 0x80);
	CHECK_EQ(cfg_read(0, 2, 2), 0x1237);
	CHECK_EQ(cfg_read(0, 3, 1), 0x12);
	/* The address register reads back, without its reserved bits. */
	out(0xcf8, 4, 0xff00f8ff);
	CHECK_EQ(in(0xcf8, 4), 0x8000f8ff);	/* 30:24 reserved; 1:0 kept */
	/* Bit 31 clear: no configuration cycle. */
	out(0xcf8, 4, 0x00000000);
	CHECK_EQ(in(0xcfc, 4), 0xffffffff);
	out(0xcfc, 4, 0);
	CHECK_EQ(cfg_read(0, 0, 4), 0x12378086);
	/* A byte or word at 0xCF8 does not touch the address register. */
	out(0xcf8, 4, cfg_addr(0, 0));
	out(0xcf8, 1, 0x00);
	out(0xcf8, 2, 0x0000);
	CHECK_EQ(in(0xcf8, 4), 0x80000000);
	CHECK_EQ(in(0xcf8, 2), 0xffff);
	/* Empty slots, other buses, other functions: all ones. */
	CHECK_EQ(cfg_read(31, 0, 4), 0xffffffff);
	out(0xcf8, 4, 0x80010000);
	CHECK_EQ(in(0xcfc, 4), 0xffffffff);
	out(0xcf8, 4, 0x80000100);
	CHECK_EQ(in(0xcfc, 4), 0xffffffff);
	CHECK_EQ(in(0xcfe, 2), 0xffff);
	/* Read-only identity. */
	cfg_write(0, 0, 4, 0);
	CHECK_EQ(cfg_read(0, 0, 4), 0x12378086);
}

static void test_config_space(void)
{
	struct pci_function *f = &fa;

	CHECK_EQ(cfg_read(1, 0, 4), 0x56781234);
	CHECK_EQ(cfg_read(1, 8, 4), 0x0780ab07);
	/* IDs, class, revision, header type, pin are read-only. */
	cfg_write(1, 0, 4, 0xffffffff);
	cfg_write(1, 8, 4, 0);
	cfg_write(1, 0x0e, 1, 0x80);
	cfg_write(1, 0x3d, 1, 3);
	CHECK_EQ(cfg_read(1, 0, 4), 0x56781234);
	CHECK_EQ(cfg_read(1, 8, 4), 0x0780ab07);
	CHECK_EQ(cfg_read(1, 0x0e, 1), 0);
	CHECK_EQ(cfg_read(1, 0x3d, 1), 1);
	/* The interrupt line is the guest's, seeded by "firmware". */
	CHECK_EQ(cfg_read(1, 0x3c, 1), 10);
	cfg_write(1, 0x3c, 1, 0x55);
	CHECK_EQ(cfg_read(1, 0x3c, 1), 0x55);
	/* Command: only the implemented bits stick. */
	cfg_write(1, 4, 2, 0xffff);
	CHECK_EQ(cfg_read(1, 4, 2), 0x0547);
	cfg_write(1, 4, 2, 0x0003);
	/* Status: error bits are write-1-to-clear, the rest read-only. */
	f->config[PCI_STATUS + 1] |= 0x20;	/* received master abort */
	cfg_write(1, 6, 2, 0x0000);
	CHECK_EQ(cfg_read(1, 6, 2) & 0x2000, 0x2000);
	cfg_write(1, 6, 2, 0x2000);
	CHECK_EQ(cfg_read(1, 6, 2) & 0x2000, 0);
	/* A write to the command word via the dword at 4 leaves status. */
	f->config[PCI_STATUS + 1] |= 0x80;
	cfg_write(1, 4, 4, 0x00000003);
	CHECK_EQ(cfg_read(1, 6, 2) & 0x8000, 0x8000);
	/* Out of range register numbers and bad widths. */
	CHECK_EQ(pci_config_read(f, 256, 4), 0xffffffff);
	CHECK_EQ(pci_config_read(f, 254, 4), 0xffffffff);
	CHECK_EQ(pci_config_read(f, 255, 2), 0xffff);
	CHECK_EQ(pci_config_read(f, 255, 1), 0);
	CHECK_EQ(pci_config_read(f, 0, 3), 0xffffff);
	CHECK_EQ(pci_config_read(f, 0xffffffff, 1), 0xff);
	pci_config_write(f, 0xfffffffe, 4, 0);
	pci_config_write(f, 0x3c, 3, 0);
	CHECK_EQ(cfg_read(1, 0x3c, 1), 0x55);
	/* No expansion ROM: sizing reads zero. */
	cfg_write(1, 0x30, 4, 0xffffffff);
	CHECK_EQ(cfg_read(1, 0x30, 4), 0);
	/* Unused BARs read zero and stay zero. */
	cfg_write(1, 0x20, 4, 0xffffffff);
	CHECK_EQ(cfg_read(1, 0x20, 4), 0);
}

static void test_bars(void)
{
	uint32_t bar0, bar1, bar2;

	/* Firmware placement: memory 4 KiB-aligned from 0xC0000000, the
	 * 1 MiB BAR on its own alignment, I/O from 0xC000. */
	bar0 = cfg_read(1, 0x10, 4);
	bar1 = cfg_read(1, 0x14, 4);
	bar2 = cfg_read(1, 0x18, 4);
	CHECK_EQ(bar0, 0xc0000000);
	CHECK_EQ(bar1, 0xc001);
	CHECK_EQ(bar2, 0xc010000c);
	CHECK_EQ(cfg_read(1, 0x1c, 4), 0);
	CHECK_EQ(cfg_read(1, 4, 2) & 3, 3);
	CHECK_EQ(pci_bar_address(&fa, 0), 0xc0000000);
	CHECK_EQ(pci_bar_address(&fa, 2), 0xc0100000);

	/* The BARs decode: the handler sees offsets within the BAR. */
	mmio_write(0xc0000010, 4, 0xdeadbeef);
	CHECK_EQ(r0.last_offset, 0x10);
	CHECK_EQ(mmio_read(0xc0000010, 4), 0xdeadbeef);
	out(0xc004, 2, 0x4242);
	CHECK_EQ(r1.last_offset, 4);
	CHECK_EQ(in(0xc004, 2), 0x4242);
	mmio_write(0xc0100ff8, 8, 0x1122334455667788ULL);
	CHECK_EQ(r2.last_offset, 0xff8);

	/* Sizing: all ones read back as the size mask plus flags. */
	moves = 0;
	cfg_write(1, 0x10, 4, 0xffffffff);
	CHECK_EQ(cfg_read(1, 0x10, 4), 0xfffff000);
	/* Mid-sizing the BAR is not decoded anywhere. */
	CHECK_EQ(pci_bar_address(&fa, 0), 0);
	CHECK(bus_find(&mmio_bus, 0xc0000000) == NULL);
	CHECK(bus_find(&mmio_bus, 0xfffff000) == NULL);
	cfg_write(1, 0x14, 4, 0xffffffff);
	CHECK_EQ(cfg_read(1, 0x14, 4), 0xffffffe1);
	cfg_write(1, 0x18, 4, 0xffffffff);
	cfg_write(1, 0x1c, 4, 0xffffffff);
	CHECK_EQ(cfg_read(1, 0x18, 4), 0xfff0000c);
	CHECK_EQ(cfg_read(1, 0x1c, 4), 0xffffffff);
	CHECK_EQ(pci_bar_address(&fa, 2), 0);
	cfg_write(1, 0x10, 4, bar0);
	cfg_write(1, 0x14, 4, bar1);
	cfg_write(1, 0x18, 4, bar2);
	cfg_write(1, 0x1c, 4, 0);
	CHECK_EQ(pci_bar_address(&fa, 0), 0xc0000000);
	CHECK_EQ(pci_bar_address(&fa, 1), 0xc000);
	CHECK_EQ(pci_bar_address(&fa, 2), 0xc0100000);
	/*
	 * Three unmaps for the sizing, three maps back, and one detour:
	 * restoring BAR2's low half while its high half was still all ones
	 * placed it at 0xffffffff_c0100000 for a moment (QEMU does the same;
	 * Linux turns decoding off while it sizes).
	 */
	CHECK_EQ(moves, 8);

	/* The guest moves BAR0; the low flag bits stay read-only. */
	cfg_write(1, 0x10, 4, 0xd0000007);
	CHECK_EQ(cfg_read(1, 0x10, 4), 0xd0000000);
	CHECK_EQ(pci_bar_address(&fa, 0), 0xd0000000);
	CHECK(bus_find(&mmio_bus, 0xc0000000) == NULL);
	CHECK_EQ(mmio_read(0xd0000010, 4), 0xdeadbeef);
	/* A 64-bit BAR above 4 GiB, past the RAM. */
	cfg_write(1, 0x1c, 4, 0x00000010);
	CHECK_EQ(pci_bar_address(&fa, 2), 0x10c0100000ULL);
	cfg_write(1, 0x1c, 4, 0);

	/* Decoding follows the command register. */
	cfg_write(1, 4, 2, 0x0001);
	CHECK_EQ(pci_bar_address(&fa, 0), 0);
	CHECK_EQ(pci_bar_address(&fa, 1), 0xc000);
	CHECK(bus_unclaimed(&mmio_bus, 0xd0000010, 4));
	cfg_write(1, 4, 2, 0x0002);
	CHECK_EQ(pci_bar_address(&fa, 1), 0);
	CHECK(bus_unclaimed(&pio_bus, 0xc004, 2));
	CHECK_EQ(pci_bar_address(&fa, 0), 0xd0000000);
	cfg_write(1, 4, 2, 0x0003);

	/* Overlaps are refused: onto another BAR, onto RAM, onto ports. */
	cfg_write(1, 0x10, 4, 0xc0100000);
	CHECK_EQ(pci_bar_address(&fa, 0), 0);
	CHECK_EQ(pci_bar_address(&fa, 2), 0xc0100000);
	CHECK_EQ(r2.last_offset, 0xff8);
	mmio_read(0xc0100000, 4);
	CHECK_EQ(r2.last_offset, 0);
	cfg_write(1, 0x10, 4, 0x00100000);
	CHECK_EQ(pci_bar_address(&fa, 0), 0);
	cfg_write(1, 0x14, 4, 0x0cf9);
	CHECK_EQ(pci_bar_address(&fa, 1), 0);
	CHECK_EQ(in(0xcf8, 4), cfg_addr(1, 0x14));
	/* An I/O BAR beyond 64 KiB does not decode. */
	cfg_write(1, 0x14, 4, 0x10000);
	CHECK_EQ(pci_bar_address(&fa, 1), 0);
	cfg_write(1, 0x10, 4, bar0);
	cfg_write(1, 0x14, 4, bar1);
	CHECK_EQ(pci_bar_address(&fa, 0), 0xc0000000);
	CHECK_EQ(pci_bar_address(&fa, 1), 0xc000);
}

static void test_bad_bars(void)
{
	struct pci_function f;

	pci_function_init(&f, "bad", 1, 2, 0, 0);
	CHECK_EQ(pci_function_set_bar(&f, 6, PCI_BAR_IO, 16, regs_io, NULL),
		 -EINVAL);
	CHECK_EQ(pci_function_set_bar(&f, 5, PCI_BAR_MEM64, 4096, regs_io,
				      NULL), -EINVAL);
	CHECK_EQ(pci_function_set_bar(&f, 0, PCI_BAR_IO, 24, regs_io, NULL),
		 -EINVAL);
	CHECK_EQ(pci_function_set_bar(&f, 0, PCI_BAR_IO, 512, regs_io, NULL),
		 -EINVAL);
	CHECK_EQ(pci_function_set_bar(&f, 0, PCI_BAR_MEM32, 8, regs_io, NULL),
		 -EINVAL);
	CHECK_EQ(pci_function_set_bar(&f, 0, PCI_BAR_MEM64, 4096, regs_io,
				      NULL), 0);
	CHECK_EQ(pci_function_set_bar(&f, 1, PCI_BAR_IO, 16, regs_io, NULL),
		 -EINVAL);
	CHECK_EQ(pci_function_set_bar(&f, 0, PCI_BAR_IO, 16, regs_io, NULL),
		 -EINVAL);
	/* Slots: taken, out of range. */
	CHECK_EQ(pci_register_function(&vm, &f, 1), -EBUSY);
	CHECK_EQ(pci_register_function(&vm, &f, 32), -EBUSY);
	pci_unregister_function(&f);
}

static void test_allocator(void)
{
	struct pci_allocator a;
	uint64_t addr;

	pci_allocator_init(&a);
	CHECK_EQ(pci_allocate(&a, PCI_BAR_IO, 4, &addr), 0);
	CHECK_EQ(addr, 0xc000);
	CHECK_EQ(pci_allocate(&a, PCI_BAR_IO, 256, &addr), 0);
	CHECK_EQ(addr, 0xc100);
	CHECK_EQ(pci_allocate(&a, PCI_BAR_IO, 8, &addr), 0);
	CHECK_EQ(addr, 0xc200);
	CHECK_EQ(pci_allocate(&a, PCI_BAR_IO, 12, &addr), -EINVAL);
	CHECK_EQ(pci_allocate(&a, PCI_BAR_MEM32, 16, &addr), 0);
	CHECK_EQ(addr, MEM_PCI_MMIO_BASE);
	CHECK_EQ(pci_allocate(&a, PCI_BAR_MEM32, 16, &addr), 0);
	CHECK_EQ(addr, MEM_PCI_MMIO_BASE + 0x1000);
	CHECK_EQ(pci_allocate(&a, PCI_BAR_MEM64, 1ULL << 28, &addr), 0);
	CHECK_EQ(addr, MEM_PCI_MMIO_BASE + (1ULL << 28));
	/* The window is 0xC0000000-0xFEC00000: 1 GiB does not fit now. */
	CHECK_EQ(pci_allocate(&a, PCI_BAR_MEM32, 1ULL << 30, &addr), -ENOSPC);
	CHECK_EQ(pci_allocate(&a, PCI_BAR_MEM64, 1ULL << 32, &addr), -ENOSPC);
	/* I/O runs out at 64 KiB. */
	for (int i = 0; i < 250; i++)
		if (pci_allocate(&a, PCI_BAR_IO, 256, &addr))
			break;
	CHECK_EQ(addr, 0xff00);
	CHECK_EQ(pci_allocate(&a, PCI_BAR_IO, 4, &addr), -ENOSPC);
}

static void test_intx(void)
{
	/* fa: slot 1 INTA -> GSI 10; fb: slot 5 INTA -> GSI 10; fc: slot 3. */
	CHECK_EQ(pci_intx_gsi(0, 1), 10);
	CHECK_EQ(pci_intx_gsi(1, 1), 10);
	CHECK_EQ(pci_intx_gsi(2, 1), 11);
	CHECK_EQ(pci_intx_gsi(3, 1), 11);
	CHECK_EQ(pci_intx_gsi(4, 1), 10);
	CHECK_EQ(pci_intx_gsi(1, 2), 11);
	CHECK_EQ(pci_intx_gsi(31, 4), 11);
	CHECK_EQ(cfg_read(3, 0x3c, 1), 11);

	pci_set_irq(&fa, 1);
	CHECK_EQ(gsi_level[10], 1);
	CHECK_EQ(cfg_read(1, 6, 2) & PCI_STATUS_INTERRUPT, PCI_STATUS_INTERRUPT);
	pci_set_irq(&fb, 1);
	pci_set_irq(&fa, 0);
	CHECK_EQ(gsi_level[10], 1);	/* wired-OR */
	CHECK_EQ(cfg_read(1, 6, 2) & PCI_STATUS_INTERRUPT, 0);
	pci_set_irq(&fc, 1);
	CHECK_EQ(gsi_level[11], 1);
	pci_set_irq(&fb, 0);
	CHECK_EQ(gsi_level[10], 0);
	pci_set_irq(&fc, 0);
	CHECK_EQ(gsi_level[11], 0);
	/* Interrupt Disable masks the line, not the status bit. */
	pci_set_irq(&fa, 1);
	cfg_write(1, 4, 2, 0x0403);
	CHECK_EQ(gsi_level[10], 0);
	CHECK_EQ(cfg_read(1, 6, 2) & PCI_STATUS_INTERRUPT, PCI_STATUS_INTERRUPT);
	cfg_write(1, 4, 2, 0x0003);
	CHECK_EQ(gsi_level[10], 1);
	pci_set_irq(&fa, 0);
	CHECK_EQ(gsi_level[10], 0);
}

static void test_capabilities(void)
{
	struct pci_function f;
	int a, b;

	pci_function_init(&f, "caps", 1, 2, 0, 0);
	CHECK_EQ(pci_find_capability(&f, 0x09), 0);
	a = pci_add_capability(&f, 0x09, 6);
	b = pci_add_capability(&f, 0x05, 10);
	CHECK_EQ(a, 0x40);
	CHECK_EQ(b, 0x48);
	CHECK_EQ(f.config[PCI_CAPABILITY_LIST], 0x40);
	CHECK_EQ(f.config[0x41], 0x48);
	CHECK_EQ(f.config[0x49], 0);
	CHECK_EQ(pci_find_capability(&f, 0x05), 0x48);
	CHECK_EQ(pci_config_read(&f, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST,
		 PCI_STATUS_CAP_LIST);
	CHECK_EQ(pci_add_capability(&f, 0x10, 200), -ENOSPC);
	CHECK_EQ(pci_add_capability(&f, 0x10, 1), -ENOSPC);
	/* The capability pointer and status bit are read-only. */
	pci_config_write(&f, PCI_CAPABILITY_LIST, 1, 0);
	pci_config_write(&f, PCI_STATUS, 2, 0);
	CHECK_EQ(f.config[PCI_CAPABILITY_LIST], 0x40);
	CHECK_EQ(pci_config_read(&f, PCI_STATUS, 2), PCI_STATUS_CAP_LIST);
}

/*
 * A chain a device left corrupt (or let the guest write) ends: the walk
 * never reads past config space or loops forever.
 */
static void test_capability_chain_corrupt(void)
{
	struct pci_function f;

	pci_function_init(&f, "badcaps", 1, 2, 0, 0);
	f.config[PCI_CAPABILITY_LIST] = 0xff;
	f.config[0xfc] = 0x05;
	CHECK_EQ(pci_find_capability(&f, 0x05), 0xfc);
	CHECK_EQ(pci_find_capability(&f, 0x09), 0);
	/* Pointers into the header end the list; the low bits are ignored. */
	f.config[PCI_CAPABILITY_LIST] = 0x10;
	CHECK_EQ(pci_find_capability(&f, 0x00), 0);
	f.config[PCI_CAPABILITY_LIST] = 0x43;
	f.config[0x40] = 0x09;
	f.config[0x41] = 0x40;		/* a loop */
	CHECK_EQ(pci_find_capability(&f, 0x09), 0x40);
	CHECK_EQ(pci_find_capability(&f, 0x05), 0);
	/* Appending to a looping list still terminates and links in. */
	f.cap_next = 0x80;
	CHECK_EQ(pci_add_capability(&f, 0x05, 8), 0x80);
}

static struct regs rm;

static void test_msix(void)
{
	struct pci_function f;
	uint64_t base, addr;
	uint32_t data;
	unsigned int cap;

	pci_function_init(&f, "msix", 0x1af4, 0x1041, 0x020000, 1);
	CHECK_EQ(pci_function_set_bar(&f, 1, PCI_BAR_MEM32, 0x4000, regs_io,
				      &rm), 0);
	pci_function_set_pin(&f, 1);
	/* Bad layouts are refused. */
	CHECK_EQ(pci_msix_init(&f, 4, 0, 0, 0x800), -EINVAL);
	CHECK_EQ(pci_msix_init(&f, 4, 1, 0, 0x20), -EINVAL);
	CHECK_EQ(pci_msix_init(&f, 4, 1, 0x3ff8, 0x800), -EINVAL);
	CHECK_EQ(pci_msix_init(&f, 0, 1, 0, 0x800), -EINVAL);
	CHECK_EQ(pci_msix_init(&f, 4, 1, 0x2000, 0x2800), 0);
	CHECK_EQ(pci_register_function(&vm, &f, 7), 0);
	cap = pci_find_capability(&f, PCI_CAP_ID_MSIX);
	CHECK_EQ(cap, 0x40);
	CHECK_EQ(cfg_read(7, cap, 4), 0x00030011);
	CHECK_EQ(cfg_read(7, cap + 4, 4), 0x2001);
	CHECK_EQ(cfg_read(7, cap + 8, 4), 0x2801);
	base = pci_bar_address(&f, 1);
	CHECK(base != 0);
	/* The table size field is read-only. */
	cfg_write(7, cap + 2, 2, 0x07ff);
	CHECK_EQ(cfg_read(7, cap + 2, 2), 0x0003);

	/* Off: notify falls back to INTx. */
	CHECK_EQ(pci_msix_notify(&f, 0), -ENODEV);
	CHECK_EQ(pci_msix_notify(&f, 4), -EINVAL);
	/* Program vector 2; it starts masked. */
	CHECK_EQ(mmio_read(base + 0x2000 + 2 * 16 + 12, 4), 1);
	mmio_write(base + 0x2000 + 2 * 16, 8, 0xfee01000ULL);
	mmio_write(base + 0x2000 + 2 * 16 + 8, 4, 0x4041);
	CHECK_EQ(mmio_read(base + 0x2000 + 2 * 16, 8), 0xfee01000ULL);
	/* Reserved vector-control bits read zero. */
	mmio_write(base + 0x2000 + 2 * 16 + 12, 4, 0xfffffffe);
	CHECK_EQ(mmio_read(base + 0x2000 + 2 * 16 + 12, 4), 0);
	mmio_write(base + 0x2000 + 2 * 16 + 12, 4, 1);
	/* Enabling MSI-X takes the function off its INTx line. */
	pci_set_irq(&f, 1);
	CHECK_EQ(gsi_level[pci_intx_gsi(7, 1)], 1);
	cfg_write(7, cap + 2, 2, PCI_MSIX_FLAGS_ENABLE);
	CHECK(pci_msix_enabled(&f));
	CHECK_EQ(gsi_level[pci_intx_gsi(7, 1)], 0);
	pci_set_irq(&f, 0);
	/* Masked: pending, shown in the PBA, sent on unmask. */
	nmsi = 0;
	CHECK_EQ(pci_msix_notify(&f, 2), 0);
	CHECK_EQ(nmsi, 0);
	CHECK_EQ(mmio_read(base + 0x2800, 8), 1 << 2);
	mmio_write(base + 0x2800, 8, 0);	/* the PBA is read-only */
	CHECK_EQ(mmio_read(base + 0x2800, 8), 1 << 2);
	mmio_write(base + 0x2000 + 2 * 16 + 12, 4, 0);
	CHECK_EQ(nmsi, 1);
	CHECK_EQ(msi_addr[0], 0xfee01000ULL);
	CHECK_EQ(msi_data[0], 0x4041);
	CHECK_EQ(mmio_read(base + 0x2800, 8), 0);
	/* Unmasked: sent at once. */
	CHECK_EQ(pci_msix_notify(&f, 2), 0);
	CHECK_EQ(nmsi, 2);
	CHECK(!pci_msix_vector(&f, 2, &addr, &data));
	CHECK_EQ(data, 0x4041);
	/* Function mask holds everything; clearing it delivers. */
	cfg_write(7, cap + 2, 2, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	CHECK_EQ(pci_msix_notify(&f, 2), 0);
	CHECK_EQ(nmsi, 2);
	CHECK(pci_msix_vector(&f, 2, &addr, &data));
	cfg_write(7, cap + 2, 2, PCI_MSIX_FLAGS_ENABLE);
	CHECK_EQ(nmsi, 3);
	/* The rest of the BAR is the device's. */
	mmio_write(base + 0x100, 4, 0x77);
	CHECK_EQ(rm.last_offset, 0x100);
	CHECK_EQ(mmio_read(base + 0x100, 4), 0x77);
	rm.accesses = 0;
	mmio_read(base + 0x2000, 4);
	mmio_read(base + 0x2800, 4);
	CHECK_EQ(rm.accesses, 0);
	/* An access straddling the table's end reads ones. */
	CHECK_EQ(mmio_read(base + 0x2000 + 4 * 16 - 4, 8), ~0ULL);
	pci_unregister_function(&f);
	CHECK(bus_find(&mmio_bus, base) == NULL);
	CHECK(f.msix == NULL);
	CHECK(pci_host_slot(7) == NULL);
}

int main(void)
{
	CHECK_EQ(guest_mem_layout(&mem, 512ULL << 20), 0);
	CHECK_EQ(pci_host_init(&vm), 0);
	CHECK_EQ(pci_host_init(&vm), -EBUSY);
	make_function(&fa);
	CHECK_EQ(pci_register_function(&vm, &fa, -1), 0);
	CHECK_EQ(fa.slot, 1);
	pci_function_init(&fb, "fb", 0x1234, 0x0001, 0, 0);
	pci_function_set_pin(&fb, 1);
	CHECK_EQ(pci_register_function(&vm, &fb, 5), 0);
	pci_function_init(&fc, "fc", 0x1234, 0x0002, 0, 0);
	pci_function_set_pin(&fc, 1);
	CHECK_EQ(pci_register_function(&vm, &fc, 3), 0);

	test_host_bridge();
	test_config_space();
	test_bars();
	test_bad_bars();
	test_allocator();
	test_intx();
	test_capabilities();
	test_capability_chain_corrupt();
	test_msix();

	pci_unregister_function(&fb);
	CHECK(pci_host_slot(5) == NULL);
	pci_host_fini();
	/* Everything is off the buses. */
	CHECK(bus_find(&pio_bus, 0xcf8) == NULL);
	CHECK(bus_find(&pio_bus, 0xc000) == NULL);
	CHECK(bus_find(&mmio_bus, 0xc0000000) == NULL);
	CHECK(fa.slot == -1 && fc.slot == -1);
	bus_clear(&pio_bus);
	bus_clear(&mmio_bus);
	return unit_report();
}
