/*
 * Vector instructions in 64-bit ring 0 (a host KVM gap: Linux's blake2s,
 * which its random driver uses, runs SSSE3 or AVX-512 code in kernel mode,
 * and this host's emulator cannot run it).  Checks results of SSE2/SSSE3
 * register and memory forms, ldmxcsr/stmxcsr, a 16-byte store that must
 * write exactly its bytes, a movdqa misaligned on purpose (#GP reaches the
 * guest), then AVX (VEX) and AVX-512 (EVEX) forms when CPUID has them.
 */
#include "guest.h"

TEST_NAME("gap_simd");

static uint8_t buf[64] __attribute__((aligned(64)));
static volatile int gp_hits;
static volatile uint64_t gp_rip;

static void cpuid(uint32_t leaf, uint32_t r[4])
{
	asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(0));
}

static bool on_gp(struct trap_frame *f)
{
	gp_hits++;
	gp_rip = f->rip;
	f->rip += 4;		/* skip the 4-byte movdqa */
	return true;
}

static void check_bytes(const char *what, const uint8_t *got, const uint8_t *want,
			unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (got[i] != want[i])
			fail("%s: byte %u is 0x%02x, expected 0x%02x", what, i, got[i],
			     want[i]);
}

static void sse(void)
{
	static const uint8_t a[16] __attribute__((aligned(16))) = {
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	static const uint8_t rev[16] __attribute__((aligned(16))) = {
		15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 };
	uint8_t want[16];
	uint32_t csr_in = 0x9f80, csr_out = 0, lo;

	/* paddd (register), pshufb (memory), movdqu store at buf+1. */
	memset(buf, 0xee, sizeof(buf));
	asm volatile("movdqa %1, %%xmm1\n\t"
		     "movdqa %1, %%xmm2\n\t"
		     "paddd %%xmm1, %%xmm2\n\t"
		     "pshufb %2, %%xmm2\n\t"
		     "movdqu %%xmm2, %0"
		     : "=m"(*(uint8_t (*)[16])(buf + 1))
		     : "m"(a), "m"(rev) : "memory");
	for (int i = 0; i < 16; i++)
		want[i] = (uint8_t)(2 * a[15 - i]);
	check_bytes("paddd/pshufb/movdqu", buf + 1, want, 16);
	if (buf[0] != 0xee || buf[17] != 0xee)
		fail("movdqu wrote outside its 16 bytes");
	printf("  paddd, pshufb, movdqu: right\n");

	/* movd to a general register, ldmxcsr/stmxcsr. */
	asm volatile("movd %%xmm2, %0" : "=r"(lo));
	if (lo != 0x1a1c1e20)
		fail("movd eax, xmm2: 0x%x", lo);
	asm volatile("ldmxcsr %1\n\tstmxcsr %0" : "=m"(csr_out) : "m"(csr_in));
	if (csr_out != csr_in)
		fail("stmxcsr after ldmxcsr 0x%x: 0x%x", csr_in, csr_out);
	csr_in = 0x1f80;
	asm volatile("ldmxcsr %0" : : "m"(csr_in));
	printf("  movd, ldmxcsr/stmxcsr: right\n");

	/* movdqa from buf+8 is misaligned: #GP at that instruction. */
	trap_set_hook(13, on_gp);
	uint64_t at;
	asm volatile("lea 1f(%%rip), %0\n"
		     "1:\tmovdqa (%1), %%xmm3"	/* 66 0f 6f 19: 4 bytes */
		     : "=&r"(at) : "b"(buf + 8) : "memory");
	trap_set_hook(13, NULL);
	if (gp_hits != 1 || gp_rip != at)
		fail("misaligned movdqa: %d #GP, at 0x%lx (expected 0x%lx)", gp_hits,
		     gp_rip, at);
	printf("  misaligned movdqa: #GP at RIP 0x%lx\n", gp_rip);
}

static void avx(void)
{
	static const uint8_t a[32] __attribute__((aligned(32))) = {
		[0] = 0x11, [15] = 0x22, [16] = 0x33, [31] = 0x44 };
	uint32_t r[4], lo, hi;

	cpuid(1, r);
	if (!(r[2] & (1u << 28)) || !(r[2] & (1u << 26))) {
		printf("  no AVX: VEX forms not tried\n");
		return;
	}
	asm volatile("mov %%cr4, %%rax; or %0, %%rax; mov %%rax, %%cr4"
		     : : "i"(CR4_OSXSAVE) : "rax");
	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	lo |= 7;
	cpuid(7, r);
	bool avx512 = (r[1] & (1u << 16)) && (r[1] & (1u << 31));
	if (avx512)
		lo |= 0xe0;
	asm volatile("xsetbv" : : "a"(lo), "d"(hi), "c"(0));

	/* vmovdqu ymm (both halves), vpxor, stored back. */
	memset(buf, 0, sizeof(buf));
	asm volatile("vmovdqu %1, %%ymm4\n\t"
		     "vpxor %%ymm5, %%ymm5, %%ymm5\n\t"
		     "vpxor %%ymm4, %%ymm5, %%ymm6\n\t"
		     "vmovdqu %%ymm6, %0\n\t"
		     "vzeroupper"
		     : "=m"(*(uint8_t (*)[32])buf) : "m"(a) : "memory");
	check_bytes("vmovdqu/vpxor ymm", buf, a, 32);
	printf("  AVX vmovdqu/vpxor ymm: right\n");

	if (!avx512) {
		printf("  no AVX-512VL: EVEX forms not tried\n");
		return;
	}
	/* vprord $8 on a dword. */
	uint32_t in[4] __attribute__((aligned(16))) = { 0x12345678, 0, 0, 0 };
	uint32_t out[4] __attribute__((aligned(16)));
	asm volatile("vmovdqa %1, %%xmm7\n\t"
		     "vprord $8, %%xmm7, %%xmm7\n\t"
		     "vmovdqa %%xmm7, %0"
		     : "=m"(out) : "m"(in) : "memory");
	if (out[0] != 0x78123456)
		fail("vprord: 0x%x", out[0]);
	printf("  AVX-512 vprord: right\n");
}

void test_main(void)
{
	asm volatile("mov %%cr4, %%rax; or %0, %%rax; mov %%rax, %%cr4"
		     : : "i"(CR4_OSFXSR | CR4_OSXMMEXCPT) : "rax");
	sse();
	avx();
}
