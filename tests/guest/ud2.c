/*
 * ud2 in 64-bit ring 0 reaches the #UD handler with RIP at the ud2 itself;
 * the handler steps over it and execution continues.  With rdpru=1, so
 * does rdpru when CPUID does not offer it (KVM never does), which this
 * host's KVM cannot emulate and kvmrun completes.
 */
#include "guest.h"

TEST_NAME("ud2");

static uint32_t cpuid_ebx(uint32_t leaf)
{
	uint32_t a = leaf, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return b;
}

static volatile int hits, skip = 2;
static volatile uint64_t hit_rip, hit_cs;

static bool on_ud(struct trap_frame *f)
{
	hits++;
	hit_rip = f->rip;
	hit_cs = f->cs;
	f->rip += skip;
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
	if (!cmdline_get("rdpru", (char[2]){ 0 }, 2))
		return;
	if (cpuid_ebx(0x80000008) & (1u << 4)) {
		printf("  rdpru is offered by CPUID: not tried\n");
		return;
	}
	{
		uint64_t at;

		skip = 3;
		asm volatile("lea 1f(%%rip), %0\n"
			     "1:\t.byte 0x0f, 0x01, 0xfd"	/* rdpru */
			     : "=r"(at) : "c"(0) : "rax", "rdx", "memory");
		if (hits != 3 || hit_rip != at)
			fail("rdpru: expected #UD at RIP 0x%lx (hits %d, RIP 0x%lx)", at, hits,
			     hit_rip);
		printf("  rdpru: #UD at RIP 0x%lx, resumed\n", hit_rip);
	}
}
