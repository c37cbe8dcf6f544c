/*
 * The XSAVE family and other instructions Linux's boot runs in 64-bit ring 0
 * that this host's KVM emulator cannot (KVM_EXIT_INTERNAL_ERROR) and
 * kvmrun's interpreter completes: xsetbv/xgetbv, xsave64/xrstor64 round
 * trips of SSE state, xsavec's compacted header, xrstor's init of
 * components whose XSTATE_BV bit is clear, and popcnt.  (movbe is not here:
 * this host's emulator raises #UD for it itself, without an exit kvmrun
 * could act on.)  The compiler is kept off the vector registers by
 * -mgeneral-regs-only, so the asm below owns xmm3 without declaring it.
 */
#include "guest.h"

TEST_NAME("gap_xsave");

static uint8_t area[4096] __attribute__((aligned(64)));
static uint8_t area2[4096] __attribute__((aligned(64)));
static uint8_t pattern[16] __attribute__((aligned(16)));
static uint8_t back[16] __attribute__((aligned(16)));

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(sub));
}

static void enable_xsave(void)
{
	uint64_t cr0, cr4;

	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	cr0 = (cr0 & ~(uint64_t)(CR0_EM | CR0_TS)) | CR0_MP;
	asm volatile("mov %0, %%cr0" : : "r"(cr0));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_OSFXSR | CR4_OSXSAVE));
}

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

static void check_xsave_family(void)
{
	uint64_t bv;

	asm volatile("xsetbv" : : "c"(0), "a"(3), "d"(0));	/* x87 | SSE */
	if (xgetbv0() != 3)
		fail("xgetbv after xsetbv 3: 0x%lx", xgetbv0());
	printf("  xsetbv/xgetbv: XCR0 = 3\n");

	for (int i = 0; i < 16; i++)
		pattern[i] = 0xa0 + i;
	memset(area, 0, sizeof(area));
	asm volatile("movdqa (%0), %%xmm3" : : "r"(pattern) : "memory");
	asm volatile("xsave64 (%0)" : : "r"(area), "a"(3), "d"(0) : "memory");
	memcpy(&bv, area + 512, 8);
	if (!(bv & 2) || memcmp(area + 160 + 3 * 16, pattern, 16))
		fail("xsave64: XSTATE_BV 0x%lx, xmm3 not in the image", bv);
	printf("  xsave64: xmm3 saved, XSTATE_BV 0x%lx\n", bv);

	asm volatile("pxor %%xmm3, %%xmm3" : : : "memory");
	asm volatile("xrstor64 (%0)" : : "r"(area), "a"(3), "d"(0) : "memory");
	asm volatile("movdqa %%xmm3, (%0)" : : "r"(back) : "memory");
	if (memcmp(back, pattern, 16))
		fail("xrstor64 did not bring xmm3 back");
	printf("  xrstor64: xmm3 restored\n");

	/* XSTATE_BV without SSE: xrstor puts SSE in its initial state (zero). */
	bv = 1;
	memcpy(area + 512, &bv, 8);
	asm volatile("xrstor64 (%0)" : : "r"(area), "a"(3), "d"(0) : "memory");
	asm volatile("movdqa %%xmm3, (%0)" : : "r"(back) : "memory");
	for (int i = 0; i < 16; i++)
		if (back[i])
			fail("xrstor64 with SSE off in XSTATE_BV left xmm3 set");
	printf("  xrstor64: a component absent from XSTATE_BV is initialised\n");
}

static void check_xsavec(void)
{
	uint32_t r[4];
	uint64_t xcomp;

	cpuid(0xd, 1, r);
	if (!(r[0] & 2)) {
		printf("  xsavec: not in CPUID, skipped\n");
		return;
	}
	memset(area2, 0, sizeof(area2));
	asm volatile("movdqa (%0), %%xmm3" : : "r"(pattern) : "memory");
	asm volatile("xsavec64 (%0)" : : "r"(area2), "a"(3), "d"(0) : "memory");
	memcpy(&xcomp, area2 + 520, 8);
	if (!(xcomp >> 63) || (xcomp & 3) != 3)
		fail("xsavec64: XCOMP_BV 0x%lx, want bit 63 and the requested set", xcomp);
	asm volatile("pxor %%xmm3, %%xmm3" : : : "memory");
	asm volatile("xrstor64 (%0)" : : "r"(area2), "a"(3), "d"(0) : "memory");
	asm volatile("movdqa %%xmm3, (%0)" : : "r"(back) : "memory");
	if (memcmp(back, pattern, 16))
		fail("xrstor64 of a compacted image did not bring xmm3 back");
	printf("  xsavec64 + xrstor64 (compacted): XCOMP_BV 0x%lx, xmm3 back\n", xcomp);
}

static void check_popcnt(void)
{
	uint32_t r[4];
	uint64_t v = 0xf0f0000000000001ULL, n = 0;

	cpuid(1, 0, r);
	if (!(r[2] & (1u << 23))) {
		printf("  popcnt: not in CPUID, skipped\n");
		return;
	}
	asm volatile("popcnt %1, %0" : "=r"(n) : "r"(v) : "cc");
	if (n != 9)
		fail("popcnt: %lu, want 9", n);
	printf("  popcnt: 9\n");
}

void test_main(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	if (!(r[2] & (1u << 26)))
		fail("no XSAVE in CPUID");
	enable_xsave();
	check_xsave_family();
	check_xsavec();
	check_popcnt();
}
