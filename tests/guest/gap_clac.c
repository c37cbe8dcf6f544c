/*
 * clac/stac in 64-bit ring 0 (a host KVM gap: Linux patches them into every
 * entry path and user access once CPUID has SMAP).  stac sets RFLAGS.AC,
 * clac clears it, nothing else changes, and execution goes on after each.
 * Done repeatedly, so a VMM must complete them every time.
 */
#include "guest.h"

TEST_NAME("gap_clac");

#define AC (1ULL << 18)

static uint64_t flags(void)
{
	uint64_t f;

	asm volatile("pushfq; pop %0" : "=r"(f));
	return f;
}

static bool has_smap(void)
{
	uint32_t a = 7, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return b & (1u << 20);
}

void test_main(void)
{
	uint64_t before, set, clear, rbx;

	if (!has_smap()) {
		printf("  SKIP: no SMAP in CPUID, clac/stac are #UD here\n");
		return;
	}
	for (int i = 1; i <= 3; i++) {
		rbx = 0x5a5a000000000000ULL + i;
		before = flags();
		asm volatile("stac\n\t"
			     "pushfq; pop %0\n\t"
			     "clac\n\t"
			     "pushfq; pop %1"
			     : "=&r"(set), "=&r"(clear), "+b"(rbx) : : "memory", "cc");
		if (!(set & AC))
			fail("stac #%d: RFLAGS 0x%lx, AC clear", i, set);
		if (clear & AC)
			fail("clac #%d: RFLAGS 0x%lx, AC set", i, clear);
		if ((set & ~AC) != (before & ~AC) || clear != (before & ~AC))
			fail("#%d: RFLAGS 0x%lx -> stac 0x%lx -> clac 0x%lx", i, before, set,
			     clear);
		if (rbx != 0x5a5a000000000000ULL + i)
			fail("#%d: RBX changed to 0x%lx", i, rbx);
		printf("  clac/stac #%d: AC set, then clear\n", i);
	}
}
