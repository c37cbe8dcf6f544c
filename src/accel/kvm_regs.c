// SPDX-License-Identifier: MIT
#include "accel/kvm_regs.h"

#include <string.h>

static void seg_to_kvm(const struct x86_seg *s, struct kvm_segment *k)
{
	*k = (struct kvm_segment){
		.base = s->base,
		.limit = s->limit,
		.selector = s->selector,
		.type = s->type,
		.present = s->present,
		.dpl = s->dpl,
		.db = s->db,
		.s = s->s,
		.l = s->l,
		.g = s->g,
		.avl = s->avl,
		.unusable = s->unusable,
	};
}

static void seg_from_kvm(const struct kvm_segment *k, struct x86_seg *s)
{
	*s = (struct x86_seg){
		.base = k->base,
		.limit = k->limit,
		.selector = k->selector,
		.type = k->type,
		.present = k->present,
		.dpl = k->dpl,
		.db = k->db,
		.s = k->s,
		.l = k->l,
		.g = k->g,
		.avl = k->avl,
		.unusable = k->unusable,
	};
}

/*
 * The GPRs of struct kvm_regs in x86 encoding order.  They are __u64
 * (unsigned long long), not uint64_t (unsigned long): pointers of the
 * field's own type keep the compiler's aliasing analysis honest.
 */
static __u64 *kvm_gpr(struct kvm_regs *r, unsigned int i)
{
	__u64 *order[X86_NR_GPRS] = {
		&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
		&r->rsi, &r->rdi, &r->r8, &r->r9, &r->r10, &r->r11,
		&r->r12, &r->r13, &r->r14, &r->r15,
	};

	return order[i];
}

void kvm_regs_from_cpu(const struct x86_cpu_state *cpu, struct kvm_regs *regs,
		       struct kvm_sregs *sregs)
{
	struct kvm_segment *segs[X86_NR_SEGS] = {
		&sregs->es, &sregs->cs, &sregs->ss, &sregs->ds,
		&sregs->fs, &sregs->gs, &sregs->tr, &sregs->ldt,
	};

	memset(regs, 0, sizeof(*regs));
	for (unsigned int i = 0; i < X86_NR_GPRS; i++)
		*kvm_gpr(regs, i) = cpu->gpr[i];
	regs->rip = cpu->rip;
	regs->rflags = cpu->rflags | X86_RFLAGS_FIXED;

	/* Keep interrupt_bitmap and anything else the caller read. */
	for (unsigned int i = 0; i < X86_NR_SEGS; i++)
		seg_to_kvm(&cpu->seg[i], segs[i]);
	sregs->gdt = (struct kvm_dtable){ .base = cpu->gdt.base, .limit = cpu->gdt.limit };
	sregs->idt = (struct kvm_dtable){ .base = cpu->idt.base, .limit = cpu->idt.limit };
	sregs->cr0 = cpu->cr0;
	sregs->cr2 = cpu->cr2;
	sregs->cr3 = cpu->cr3;
	sregs->cr4 = cpu->cr4;
	sregs->cr8 = cpu->cr8;
	sregs->efer = cpu->efer;
	if (cpu->apic_base)
		sregs->apic_base = cpu->apic_base;
}

void kvm_regs_to_cpu(const struct kvm_regs *regs, const struct kvm_sregs *sregs,
		     struct x86_cpu_state *cpu)
{
	const struct kvm_segment *segs[X86_NR_SEGS] = {
		&sregs->es, &sregs->cs, &sregs->ss, &sregs->ds,
		&sregs->fs, &sregs->gs, &sregs->tr, &sregs->ldt,
	};
	struct kvm_regs r = *regs;

	for (unsigned int i = 0; i < X86_NR_GPRS; i++)
		cpu->gpr[i] = *kvm_gpr(&r, i);
	cpu->rip = regs->rip;
	cpu->rflags = regs->rflags;
	for (unsigned int i = 0; i < X86_NR_SEGS; i++)
		seg_from_kvm(segs[i], &cpu->seg[i]);
	cpu->gdt = (struct x86_dtable){ .base = sregs->gdt.base, .limit = sregs->gdt.limit };
	cpu->idt = (struct x86_dtable){ .base = sregs->idt.base, .limit = sregs->idt.limit };
	cpu->cr0 = sregs->cr0;
	cpu->cr2 = sregs->cr2;
	cpu->cr3 = sregs->cr3;
	cpu->cr4 = sregs->cr4;
	cpu->cr8 = sregs->cr8;
	cpu->efer = sregs->efer;
	cpu->apic_base = sregs->apic_base;
}
