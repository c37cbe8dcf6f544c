// SPDX-License-Identifier: MIT
/* e820_build() over the RAM layouts of guest_mem_layout(). */
#include "memory.h"
#include "unit.h"
#include "x86/boot.h"
#include "x86/layout.h"

#define MIB (1ULL << 20)
#define GIB (1ULL << 30)

static void check_entry(const struct e820_entry *e, uint64_t addr,
			uint64_t end, uint32_t type)
{
	CHECK_EQ(e->addr, addr);
	CHECK_EQ(e->size, end - addr);
	CHECK_EQ(e->type, type);
}

/* What every layout starts with: base RAM, EBDA, BIOS area. */
static void check_low(const struct e820_entry *map)
{
	check_entry(&map[0], 0, LAYOUT_EBDA, E820_RAM);
	check_entry(&map[1], LAYOUT_EBDA, 0xA0000, E820_RESERVED);
	check_entry(&map[2], LAYOUT_BIOS, MIB, E820_RESERVED);
}

static unsigned int build(uint64_t ram, struct e820_entry *map)
{
	struct guest_mem mem;

	CHECK_EQ(guest_mem_layout(&mem, ram), 0);
	return e820_build(&mem, map, E820_MAX_ENTRIES);
}

static void test_256m(void)
{
	struct e820_entry map[E820_MAX_ENTRIES];

	CHECK_EQ(build(256 * MIB, map), 4);
	check_low(map);
	check_entry(&map[3], MIB, 256 * MIB, E820_RAM);
}

static void test_3g(void)
{
	struct e820_entry map[E820_MAX_ENTRIES];

	CHECK_EQ(build(3 * GIB, map), 4);
	check_low(map);
	check_entry(&map[3], MIB, 3 * GIB, E820_RAM);
}

static void test_4g(void)
{
	struct e820_entry map[E820_MAX_ENTRIES];

	CHECK_EQ(build(4 * GIB, map), 5);
	check_low(map);
	check_entry(&map[3], MIB, 3 * GIB, E820_RAM);
	check_entry(&map[4], 4 * GIB, 5 * GIB, E820_RAM);
}

static void test_8g(void)
{
	struct e820_entry map[E820_MAX_ENTRIES];

	CHECK_EQ(build(8 * GIB, map), 5);
	check_low(map);
	check_entry(&map[3], MIB, 3 * GIB, E820_RAM);
	check_entry(&map[4], 4 * GIB, 9 * GIB, E820_RAM);
}

/* Every RAM byte appears exactly once and no entry overlaps another. */
static void test_totals(void)
{
	static const uint64_t sizes[] = { 2 * MIB, 256 * MIB, 3 * GIB,
					  3 * GIB + 4096, 8 * GIB };

	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct e820_entry map[E820_MAX_ENTRIES];
		unsigned int n = build(sizes[i], map);
		uint64_t ram = 0;

		for (unsigned int j = 0; j < n; j++) {
			if (map[j].type == E820_RAM)
				ram += map[j].size;
			if (j)
				CHECK(map[j].addr >= map[j - 1].addr + map[j - 1].size);
			CHECK(map[j].size > 0);
		}
		/* The EBDA and [0xA0000, 1 MiB) are holes, not RAM. */
		CHECK_EQ(ram, sizes[i] - (MIB - LAYOUT_EBDA));
	}
}

/* A short output array is never overrun. */
static void test_small_max(void)
{
	struct e820_entry map[3];
	struct guest_mem mem;

	CHECK_EQ(guest_mem_layout(&mem, 8 * GIB), 0);
	map[2].type = 0x1234;
	CHECK_EQ(e820_build(&mem, map, 2), 2);
	CHECK_EQ(map[2].type, 0x1234);
	CHECK_EQ(e820_build(&mem, map, 0), 0);
}

/* The packed layout is what the zero page and the PVH memmap copy. */
static void test_entry_size(void)
{
	CHECK_EQ(sizeof(struct e820_entry), 20);
}

int main(void)
{
	test_256m();
	test_3g();
	test_4g();
	test_8g();
	test_totals();
	test_small_max();
	test_entry_size();
	return unit_report();
}
