// SPDX-License-Identifier: MIT
/* CPUID topology fix-ups and the x86_cpu_state <-> KVM register mapping. */
#include <stdlib.h>

#include "accel/kvm_cpuid.h"
#include "accel/kvm_regs.h"
#include "unit.h"

static struct kvm_cpuid2 *make_cpuid(void)
{
	static const uint32_t funcs[] = { 1, 0xb, 0xb, 4, 0x80000008 };
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 5 * sizeof(c->entries[0]));

	c->nent = 5;
	for (int i = 0; i < 5; i++) {
		c->entries[i].function = funcs[i];
		c->entries[i].ebx = 0xdead0800;	/* stale APIC ID / count */
	}
	c->entries[2].index = 1;
	return c;
}

static void test_cpuid_topology(void)
{
	struct kvm_cpuid2 *c = make_cpuid();

	cpuid_fixup(c, 3, 4);
	CHECK_EQ(c->entries[0].ebx >> 24, 3);		/* initial APIC ID */
	CHECK_EQ((c->entries[0].ebx >> 16) & 0xff, 4);	/* logical count */
	CHECK_EQ(c->entries[0].ebx & 0xffff, 0x0800);	/* rest kept */
	CHECK(c->entries[0].edx & (1U << 28));
	/* The hypervisor bit is the model's business (-cpu ...,-hypervisor). */
	CHECK_EQ(c->entries[0].ecx, 0);
	CHECK_EQ(c->entries[1].edx, 3);			/* x2APIC ID */
	CHECK_EQ(c->entries[1].ebx, 1);			/* SMT: 1 thread */
	CHECK_EQ(c->entries[2].ebx, 4);			/* core level: 4 */
	CHECK_EQ(c->entries[2].eax, 2);			/* shift */
	CHECK_EQ((c->entries[2].ecx >> 8) & 0xff, 2);
	CHECK_EQ(c->entries[3].eax >> 26, 3);
	CHECK_EQ(c->entries[4].ecx & 0xff, 3);
	free(c);

	c = make_cpuid();
	cpuid_fixup(c, 0, 1);
	CHECK_EQ((c->entries[0].ebx >> 16) & 0xff, 1);
	CHECK((c->entries[0].edx & (1U << 28)) == 0);
	free(c);

	/* 3 CPUs round the logical count up to a power of two. */
	c = make_cpuid();
	cpuid_fixup(c, 2, 3);
	CHECK_EQ((c->entries[0].ebx >> 16) & 0xff, 4);
	CHECK_EQ(c->entries[2].eax, 2);
	free(c);
}

static void test_regs_round_trip(void)
{
	struct x86_cpu_state in = { 0 }, out = { 0 };
	struct kvm_regs regs;
	struct kvm_sregs sregs = { 0 };

	for (int i = 0; i < X86_NR_GPRS; i++)
		in.gpr[i] = 0x1000 + i;
	in.rip = 0x100200;
	in.rflags = 0x202;
	in.seg[S_CS] = (struct x86_seg){ .selector = 0x10, .limit = 0xffffffff,
					 .type = 0xb, .s = 1, .present = 1,
					 .l = 1, .g = 1 };
	in.seg[S_TR] = (struct x86_seg){ .type = 0xb, .present = 1, .limit = 0x67 };
	in.gdt = (struct x86_dtable){ .base = 0x500, .limit = 0x1f };
	in.cr0 = X86_CR0_PE | X86_CR0_PG;
	in.cr3 = 0x9000;
	in.cr4 = X86_CR4_PAE;
	in.efer = X86_EFER_LME | X86_EFER_LMA;

	kvm_regs_from_cpu(&in, &regs, &sregs);
	CHECK_EQ(regs.rax, 0x1000);
	CHECK_EQ(regs.rcx, 0x1001);
	CHECK_EQ(regs.rbx, 0x1003);
	CHECK_EQ(regs.rsi, 0x1006);
	CHECK_EQ(regs.r15, 0x100f);
	CHECK_EQ(sregs.cs.selector, 0x10);
	CHECK_EQ(sregs.cs.l, 1);
	CHECK_EQ(sregs.tr.limit, 0x67);
	CHECK_EQ(sregs.gdt.base, 0x500);
	CHECK_EQ(sregs.efer, X86_EFER_LME | X86_EFER_LMA);

	kvm_regs_to_cpu(&regs, &sregs, &out);
	CHECK(memcmp(in.gpr, out.gpr, sizeof(in.gpr)) == 0);
	CHECK_EQ(out.rip, in.rip);
	CHECK_EQ(out.seg[S_CS].type, 0xb);
	CHECK_EQ(out.cr3, 0x9000);
}

int main(void)
{
	test_cpuid_topology();
	test_regs_round_trip();
	return unit_report();
}
