/*
 * ud2 in 64-bit ring 0 reaches the #UD handler with RIP at the ud2 itself;
 * the handler steps over it (2 bytes) and execution continues.
 */
#include "guest.h"

TEST_NAME("ud2");

static volatile int hits;
static volatile uint64_t hit_rip, hit_cs;

static bool on_ud(struct trap_frame *f)
{
	hits++;
	hit_rip = f->rip;
	hit_cs = f->cs;
	f->rip += 2;
	return true;
}

void test_main(void)
{
	trap_set_hook(6, on_ud);
	for (int i = 1; i <= 2; i++) {
		uint64_t at;

		asm volatile("lea 1f(%%rip), %0\n"
			     "1:\tud2"
			     : "=r"(at) : : "memory");
		if (hits != i)
			fail("ud2 #%d: the #UD handler ran %d times in all", i, hits);
		if (hit_rip != at)
			fail("ud2 #%d: #UD reported RIP 0x%lx, expected 0x%lx (the ud2)", i, hit_rip,
			     at);
		if (hit_cs != SEL_CODE64)
			fail("ud2 #%d: #UD frame has CS 0x%lx", i, hit_cs);
		printf("  ud2 #%d: #UD at RIP 0x%lx, resumed\n", i, hit_rip);
	}
}
