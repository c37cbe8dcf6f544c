// SPDX-License-Identifier: MIT
/* Guest RAM layout, the checked translation, and the bus range table. */
#include <errno.h>
#include <stdint.h>

#include "memory.h"
#include "unit.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static void test_layout(void)
{
	struct guest_mem m;

	CHECK_EQ(guest_mem_layout(&m, 256 * MiB), 0);
	CHECK_EQ(m.nr_regions, 1);
	CHECK_EQ(m.regions[0].gpa, 0);
	CHECK_EQ(m.regions[0].size, 256 * MiB);

	CHECK_EQ(guest_mem_layout(&m, 3 * GiB), 0);
	CHECK_EQ(m.nr_regions, 1);
	CHECK_EQ(m.regions[0].size, 3 * GiB);

	CHECK_EQ(guest_mem_layout(&m, 4 * GiB), 0);
	CHECK_EQ(m.nr_regions, 2);
	CHECK_EQ(m.regions[0].size, 3 * GiB);
	CHECK_EQ(m.regions[1].gpa, 4 * GiB);
	CHECK_EQ(m.regions[1].size, 1 * GiB);

	CHECK_EQ(guest_mem_layout(&m, 8 * GiB), 0);
	CHECK_EQ(m.regions[1].size, 5 * GiB);

	CHECK_EQ(guest_mem_layout(&m, 0), -EINVAL);
	CHECK_EQ(guest_mem_layout(&m, 4097), -EINVAL);
}

static void test_translate(void)
{
	struct guest_mem m;
	uint8_t buf[16] = { 1, 2, 3 };

	CHECK_EQ(guest_mem_init(&m, 5 * GiB), 0);
	CHECK(gpa_to_hva(&m, 0, 1) == m.base);
	CHECK(gpa_to_hva(&m, 3 * GiB - 1, 1) != NULL);
	CHECK(gpa_to_hva(&m, 3 * GiB - 1, 2) == NULL);	/* runs into the hole */
	CHECK(gpa_to_hva(&m, 3 * GiB, 1) == NULL);		/* the hole */
	CHECK(gpa_to_hva(&m, 4 * GiB - 1, 1) == NULL);
	CHECK(gpa_to_hva(&m, 4 * GiB, 1) == m.base + 3 * GiB);
	CHECK(gpa_to_hva(&m, 6 * GiB - 1, 1) != NULL);
	CHECK(gpa_to_hva(&m, 6 * GiB, 1) == NULL);		/* past the end */
	CHECK(gpa_to_hva(&m, 0, 0) == NULL);
	CHECK(gpa_to_hva(&m, 16, UINT64_MAX) == NULL);	/* overflow */
	CHECK(gpa_to_hva(&m, UINT64_MAX, 2) == NULL);
	CHECK_EQ(guest_write(&m, 4 * GiB + 8, buf, 3), 0);
	CHECK_EQ(m.base[3 * GiB + 9], 2);
	CHECK_EQ(guest_read(&m, 3 * GiB - 2, buf, 4), -EFAULT);
	CHECK_EQ(guest_write(&m, 6 * GiB - 2, buf, 4), -EFAULT);
	CHECK_EQ(guest_ram_span(&m, 4 * GiB + 10), 2 * GiB - 10);
	CHECK_EQ(guest_ram_span(&m, 3 * GiB), 0);
	guest_mem_free(&m);
}

static uint64_t last_offset;
static int calls;

static void handler(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		    bool is_write)
{
	calls++;
	last_offset = offset;
	if (!is_write)
		io_data_set(data, len, (uintptr_t)opaque);
}

static void test_bus(void)
{
	struct bus b = { .name = "test" };
	uint8_t data[8];

	CHECK_EQ(bus_register(&b, 0x100, 0x10, handler, (void *)0x11, "a"), 0);
	CHECK_EQ(bus_register(&b, 0x300, 0x8, handler, (void *)0x33, "c"), 0);
	CHECK_EQ(bus_register(&b, 0x200, 0x8, handler, (void *)0x22, "b"), 0);
	CHECK_EQ(bus_register(&b, 0x10f, 0x2, handler, NULL, "x"), -EBUSY);
	CHECK_EQ(bus_register(&b, 0x0ff, 0x2, handler, NULL, "x"), -EBUSY);
	CHECK_EQ(bus_register(&b, 0x1f0, 0x100, handler, NULL, "x"), -EBUSY);
	CHECK_EQ(bus_register(&b, 0x500, 0, handler, NULL, "x"), -EINVAL);
	CHECK_EQ(bus_register(&b, UINT64_MAX, 2, handler, NULL, "x"), -EINVAL);
	CHECK_EQ(b.nr, 3);
	CHECK_EQ(b.ranges[0].base, 0x100);
	CHECK_EQ(b.ranges[1].base, 0x200);
	CHECK_EQ(b.ranges[2].base, 0x300);

	CHECK(bus_access(&b, 0x205, data, 1, false));
	CHECK_EQ(data[0], 0x22);
	CHECK_EQ(last_offset, 5);
	CHECK(bus_access(&b, 0x30c, data, 1, false) == false);
	CHECK_EQ(data[0], 0xff);
	/*
	 * An access running past the end of its range is split, as QEMU's
	 * memory core splits it: the range gets its own bytes only, the rest
	 * reads as ones.
	 */
	calls = 0;
	CHECK(bus_access(&b, 0x10e, data, 4, false));
	CHECK_EQ(calls, 1);
	CHECK_EQ(last_offset, 0xe);
	CHECK(!memcmp(data, "\x11\x00\xff\xff", 4));
	CHECK(bus_access(&b, 0x10c, data, 4, true));
	CHECK(bus_access(&b, 0x100, data, 9, false) == false);	/* > 8 */
	/* A 4-byte access to a 2-byte range hands it 2 bytes, never 4. */
	CHECK_EQ(bus_register(&b, 0x4d0, 2, handler, (void *)0x44, "short"), 0);
	CHECK_EQ(bus_register(&b, 0x4d2, 1, handler, (void *)0x55, "next"), 0);
	calls = 0;
	CHECK(bus_access(&b, 0x4d0, data, 4, false));
	CHECK_EQ(calls, 2);
	CHECK(!memcmp(data, "\x44\x00\x55\xff", 4));
	CHECK(bus_access(&b, 0x4d0, data, 2, false));
	CHECK_EQ(calls, 3);
	/* Starting in a hole, ending in a range. */
	calls = 0;
	CHECK(bus_access(&b, 0x4ce, data, 4, false));
	CHECK_EQ(calls, 1);
	CHECK_EQ(last_offset, 0);
	CHECK(!memcmp(data, "\xff\xff\x44\x00", 4));
	/* Nothing past 2^64 - 1 is anyone's. */
	CHECK_EQ(bus_register(&b, UINT64_MAX - 1, 2, handler, (void *)0x66,
			      "top"), 0);
	calls = 0;
	CHECK(bus_access(&b, UINT64_MAX - 1, data, 4, false));
	CHECK_EQ(calls, 1);
	CHECK(!memcmp(data, "\x66\x00\xff\xff", 4));
	CHECK(bus_access(&b, UINT64_MAX, data, 8, true));
	CHECK_EQ(calls, 2);
	CHECK_EQ(bus_unregister(&b, UINT64_MAX - 1), 0);

	CHECK_EQ(bus_unregister(&b, 0x200), 0);
	CHECK_EQ(bus_unregister(&b, 0x200), -ENOENT);
	CHECK(bus_find(&b, 0x204) == NULL);
	CHECK(bus_find(&b, 0x304) != NULL);
	bus_clear(&b);
	CHECK_EQ(b.nr, 0);
}

int main(void)
{
	test_layout();
	test_translate();
	test_bus();
	return unit_report();
}
