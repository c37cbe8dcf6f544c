/*
 * An instruction neither this host's KVM emulator nor kvmrun completes, in
 * 64-bit ring 0: by default AMD's `clzero` (bytes 0f 01 fc), which the
 * interpreter decodes but does not execute.  (The first choice, AVX2
 * `vpaddd`, is completed since the interpreter runs vector instructions on
 * the host CPU; x87 `fnsave` runs too.)  Kernel-mode code is emulated on the development hosts, and
 * the emulator stops with KVM_EXIT_INTERNAL_ERROR on it.  kvmrun must then
 * print a register dump with the instruction bytes and exit with status 2;
 * it must neither hang nor let the guest continue.
 *
 * "insn=fnsave", "insn=vpaddd" or "insn=pcmpistri" picks another
 * instruction should kvmrun ever learn this one.  If the instruction simply runs (a host with
 * hardware virtualization), the guest exits with EXIT_NATIVE, which the
 * runner reports as a skip: there is nothing to test on such a host.
 */
#include "guest.h"

TEST_NAME("unhandled");

#define EXIT_NATIVE	3

static uint8_t operand[128] __attribute__((aligned(64)));

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(sub));
}

static void not_here(const char *why)
{
	printf("unhandled: %s; nothing to test on this host\n", why);
	debug_exit(EXIT_NATIVE);
}

static void enable_sse(void)
{
	uint64_t cr0, cr4;

	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	cr0 = (cr0 & ~(uint64_t)(CR0_EM | CR0_TS)) | CR0_MP;
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	asm volatile("mov %0, %%cr0" : : "r"(cr0));
	asm volatile("mov %0, %%cr4" : : "r"(cr4));
}

static void enable_avx(void)
{
	uint32_t r[4];
	uint64_t cr4;

	cpuid(1, 0, r);
	if (!(r[2] & (1u << 26)) || !(r[2] & (1u << 28)))
		not_here("the CPU has no XSAVE/AVX");
	cpuid(7, 0, r);
	if (!(r[1] & (1u << 5)))
		not_here("the CPU has no AVX2");
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_OSXSAVE));
	asm volatile("xsetbv" : : "c"(0), "a"(7), "d"(0));	/* x87 | SSE | AVX */
}

void test_main(void)
{
	char insn[16] = "clzero";

	cmdline_get("insn", insn, sizeof(insn));
	enable_sse();
	if (!strncmp(insn, "fnsave", sizeof(insn))) {
		printf("  executing fnsave (%%rax) (dd 30) in ring 0\n");
		asm volatile("fninit; fnsave (%0)" : : "a"(operand) : "memory");
	} else if (!strncmp(insn, "clzero", sizeof(insn))) {
		uint32_t r[4];

		cpuid(0x80000008, 0, r);
		if (!(r[1] & 1))
			not_here("the CPU has no CLZERO");
		printf("  executing clzero (0f 01 fc) in ring 0\n");
		asm volatile(".byte 0x0f, 0x01, 0xfc" : : "a"(operand) : "memory");
	} else if (!strncmp(insn, "vpaddd", sizeof(insn))) {
		enable_avx();
		printf("  executing vpaddd (%%rax), %%ymm0, %%ymm0 (c5 fd fe 00) in ring 0\n");
		asm volatile("vpaddd (%0), %%ymm0, %%ymm0" : : "a"(operand) : "memory");
	} else if (!strncmp(insn, "pcmpistri", sizeof(insn))) {
		printf("  executing pcmpistri $0, %%xmm1, %%xmm0 (66 0f 3a 63 c1 00) in ring 0\n");
		asm volatile("pcmpistri $0, %%xmm1, %%xmm0" : : : "rcx", "cc");
	} else {
		fail("insn=%s: use clzero, fnsave, vpaddd or pcmpistri", insn);
	}
	not_here("the instruction ran");
}
