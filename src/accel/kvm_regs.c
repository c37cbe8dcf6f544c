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

/* KVM's struct kvm_regs lists the GPRs in x86 encoding order. */
static uint64_t *kvm_gpr(struct kvm_regs *r, unsigned int i)
{
	uint64_t *order[X86_NR_GPRS] = {
		(uint64_t *)&r->rax, (uint64_t *)&r->rcx, (uint64_t *)&r->rdx,
		(uint64_t *)&r->rbx, (uint64_t *)&r->rsp, (uint64_t *)&r->rbp,
		(uint64_t *)&r->rsi, (uint64_t *)&r->rdi, (uint64_t *)&r->r8,
		(uint64_t *)&r->r9, (uint64_t *)&r->r10, (uint64_t *)&r->r11,
		(uint64_t *)&r->r12, (uint64_t *)&r->r13, (uint64_t *)&r->r14,
		(uint64_t *)&r->r15,
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
