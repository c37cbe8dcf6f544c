/* SPDX-License-Identifier: MIT */
/*
 * Architectural x86-64 CPU state, independent of any accelerator.
 *
 * The boot loaders describe the entry state with it, accel/kvm converts it
 * to and from kvm_regs/kvm_sregs, and the instruction interpreter
 * (x86/insn/) executes on it.
 */
#ifndef KVMRUN_X86_CPU_H
#define KVMRUN_X86_CPU_H

#include <stdbool.h>
#include <stdint.h>

enum x86_gpr {
	R_RAX, R_RCX, R_RDX, R_RBX, R_RSP, R_RBP, R_RSI, R_RDI,
	R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
	X86_NR_GPRS
};

enum x86_seg_reg { S_ES, S_CS, S_SS, S_DS, S_FS, S_GS, S_TR, S_LDTR, X86_NR_SEGS };

struct x86_seg {
	uint64_t base;
	uint32_t limit;		/* byte granular, already scaled by G */
	uint16_t selector;
	uint8_t type;		/* 4-bit descriptor type */
	uint8_t s;		/* 1 = code/data, 0 = system */
	uint8_t dpl;
	uint8_t present;
	uint8_t avl;
	uint8_t l;		/* 64-bit code segment */
	uint8_t db;		/* default operand size / big */
	uint8_t g;		/* granularity */
	uint8_t unusable;
};

struct x86_dtable {
	uint64_t base;
	uint16_t limit;
};

#define X86_CR0_PE (1ULL << 0)
#define X86_CR0_MP (1ULL << 1)
#define X86_CR0_EM (1ULL << 2)
#define X86_CR0_TS (1ULL << 3)
#define X86_CR0_ET (1ULL << 4)
#define X86_CR0_NE (1ULL << 5)
#define X86_CR0_WP (1ULL << 16)
#define X86_CR0_AM (1ULL << 18)
#define X86_CR0_PG (1ULL << 31)

#define X86_CR4_PAE (1ULL << 5)
#define X86_CR4_PGE (1ULL << 7)
#define X86_CR4_OSFXSR (1ULL << 9)
#define X86_CR4_OSXMMEXCPT (1ULL << 10)
#define X86_CR4_OSXSAVE (1ULL << 18)

#define X86_EFER_SCE (1ULL << 0)
#define X86_EFER_LME (1ULL << 8)
#define X86_EFER_LMA (1ULL << 10)
#define X86_EFER_NXE (1ULL << 11)

#define X86_RFLAGS_CF (1ULL << 0)
#define X86_RFLAGS_FIXED (1ULL << 1)
#define X86_RFLAGS_PF (1ULL << 2)
#define X86_RFLAGS_AF (1ULL << 4)
#define X86_RFLAGS_ZF (1ULL << 6)
#define X86_RFLAGS_SF (1ULL << 7)
#define X86_RFLAGS_TF (1ULL << 8)
#define X86_RFLAGS_IF (1ULL << 9)
#define X86_RFLAGS_DF (1ULL << 10)
#define X86_RFLAGS_OF (1ULL << 11)
#define X86_RFLAGS_IOPL (3ULL << 12)

struct x86_cpu_state {
	uint64_t gpr[X86_NR_GPRS];
	uint64_t rip;
	uint64_t rflags;
	struct x86_seg seg[X86_NR_SEGS];
	struct x86_dtable gdt;
	struct x86_dtable idt;
	uint64_t cr0, cr2, cr3, cr4, cr8;
	uint64_t efer;
	uint64_t apic_base;
};

/* 64-bit mode: long mode active and a 64-bit code segment. */
static inline bool x86_in_long_mode64(const struct x86_cpu_state *cpu)
{
	return (cpu->efer & X86_EFER_LMA) && cpu->seg[S_CS].l;
}

static inline unsigned int x86_cpl(const struct x86_cpu_state *cpu)
{
	return cpu->seg[S_CS].dpl;
}

#endif
