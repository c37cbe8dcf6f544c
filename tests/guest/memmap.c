/*
 * The boot memory map against -m SIZE ("mem=SIZE" on the command line).
 * The machine puts up to 3 GiB of RAM below 4 GiB and the rest from 4 GiB
 * up; 3..4 GiB is the 32-bit MMIO hole.  Checks: usable ranges are sane
 * and disjoint, none touches the hole, usable RAM adds up to SIZE less what
 * the firmware keeps (legacy hole below 1 MiB, firmware and ACPI data: at
 * most SLACK), RAM above 4 GiB is exactly SIZE - 3 GiB, and the first and
 * last word of every usable range above 1 MiB hold what is written there.
 */
#include "guest.h"

TEST_NAME("memmap");

#define GIB		(1UL << 30)
#define HOLE_START	(3 * GIB)
#define HOLE_END	(4 * GIB)
#define SLACK		(16UL << 20)

extern char __image_start[], __image_end[];

static const char *type_name(uint32_t type)
{
	switch (type) {
	case 1: return "usable";
	case 2: return "reserved";
	case 3: return "ACPI";
	case 4: return "NVS";
	case 5: return "bad";
	default: return "other";
	}
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static void probe(uint64_t addr)
{
	volatile uint64_t *p = (volatile uint64_t *)addr;
	uint64_t pattern = 0x5a5aa5a500000000ULL ^ addr;

	/* Never write over the image itself. */
	if (overlaps(addr, 8, (uintptr_t)__image_start, __image_end - __image_start))
		return;
	*p = pattern;
	if (*p != pattern)
		fail("RAM at 0x%lx does not hold a written value (read 0x%lx)", addr, *p);
}

void test_main(void)
{
	struct mem_range r[MAX_MEM_RANGES];
	uint64_t expect, usable = 0, high = 0;
	int n = memmap(r, MAX_MEM_RANGES);

	if (!cmdline_u64("mem", &expect))
		fail("no mem=SIZE on the command line (\"%s\")", cmdline());
	if (n <= 0)
		fail("the %s boot information has no memory map", boot_proto_name());
	for (int i = 0; i < n; i++) {
		printf("  [%016lx-%016lx) %s (%u)\n", r[i].base, r[i].base + r[i].len,
		       type_name(r[i].type), r[i].type);
	}
	for (int i = 0; i < n; i++) {
		if (r[i].type != MEM_USABLE || !r[i].len)
			continue;
		if (r[i].base + r[i].len < r[i].base)
			fail("usable range at 0x%lx wraps around", r[i].base);
		if (r[i].base & 0xfff)
			printf("  note: usable range at 0x%lx is not page aligned\n", r[i].base);
		if (overlaps(r[i].base, r[i].len, HOLE_START, HOLE_END - HOLE_START))
			fail("usable range [0x%lx-0x%lx) overlaps the MMIO hole 0xc0000000-0xffffffff",
			     r[i].base, r[i].base + r[i].len);
		for (int j = 0; j < i; j++) {
			if (r[j].type == MEM_USABLE &&
			    overlaps(r[i].base, r[i].len, r[j].base, r[j].len))
				fail("usable ranges at 0x%lx and 0x%lx overlap", r[i].base,
				     r[j].base);
		}
		usable += r[i].len;
		if (r[i].base >= HOLE_END)
			high += r[i].len;
	}
	printf("  usable RAM %lu KiB (%lu KiB above 4 GiB), -m %lu KiB\n", usable >> 10,
	       high >> 10, expect >> 10);
	if (usable > expect)
		fail("usable RAM %lu KiB is more than the %lu KiB configured", usable >> 10,
		     expect >> 10);
	if (usable + SLACK < expect)
		fail("usable RAM %lu KiB is far below the %lu KiB configured", usable >> 10,
		     expect >> 10);
	if (high != (expect > HOLE_START ? expect - HOLE_START : 0))
		fail("RAM above 4 GiB is %lu KiB; expected %lu KiB", high >> 10,
		     (expect > HOLE_START ? expect - HOLE_START : 0) >> 10);
	for (int i = 0; i < n; i++) {
		if (r[i].type != MEM_USABLE || r[i].len < 16 || r[i].base < (1 << 20))
			continue;
		if (r[i].base + r[i].len > (8 * GIB))
			fail("usable RAM ends above the 8 GiB this guest maps");
		probe(r[i].base);
		probe((r[i].base + r[i].len - 8) & ~7ULL);
	}
}
