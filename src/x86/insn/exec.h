/* SPDX-License-Identifier: MIT */
/*
 * The executor's internals, shared by exec.c (fetch, dispatch, addressing,
 * memory), ops.c (integer and system instructions) and xsave.c.
 *
 * Handlers return an enum insn_result: INSN_DONE (0) to commit, anything
 * else to stop.  Helpers use the same convention, so that
 *	r = insn_read(ctx, la, buf, len); if (r) return r;
 * propagates an exception or "unsupported" unchanged.
 */
#ifndef KVMRUN_X86_INSN_EXEC_H
#define KVMRUN_X86_INSN_EXEC_H

#include "x86/insn/insn.h"

#ifndef X86_RFLAGS_RF
#define X86_RFLAGS_RF (1ULL << 16)
#endif
#ifndef X86_RFLAGS_VM
#define X86_RFLAGS_VM (1ULL << 17)
#endif
#define X86_CR4_TSD (1ULL << 2)
#define X86_CR4_LA57 (1ULL << 12)
#define X86_CR4_FSGSBASE (1ULL << 16)
#define X86_CR4_PCIDE (1ULL << 17)
#define X86_CR4_SMEP (1ULL << 20)

#define X86_EXC_DB 1
#define X86_EXC_BP 3
#define X86_EXC_OF 4
#define X86_EXC_UD 6
#define X86_EXC_NM 7
#define X86_EXC_SS 12
#define X86_EXC_GP 13
#define X86_EXC_PF 14
#define X86_EXC_MF 16

#define X86_DR6_BS (1ULL << 14)

struct insn_ctx {
	struct x86_cpu_state *cpu;
	const struct insn_env *env;
	struct insn_exception *exc;
	struct x86_insn *insn;
	uint64_t next_rip;
	unsigned int mode;		/* 16, 32, 64 */
	unsigned int cpl;
};

/* CPUID features the executor checks before running an instruction. */
enum insn_feature {
	FEAT_CX16,
	FEAT_MOVBE,
	FEAT_SSE42,
	FEAT_XSAVE,
	FEAT_INVPCID,
	FEAT_RDPID,
	FEAT_RDTSCP,
	FEAT_RDPRU,
	FEAT_XSAVEOPT,
	FEAT_XSAVEC,
	FEAT_XGETBV1,
	FEAT_XSAVES,
	FEAT_POPCNT,
	FEAT_LZCNT,
	FEAT_BMI1,
	FEAT_SMAP,
	FEAT_FSGSBASE,
	FEAT_SSE2,
	FEAT_CLFSH,
	FEAT_CLFLUSHOPT,
	FEAT_CLWB,
};

/* exec.c */
void insn_cpuid(const struct insn_env *env, uint32_t leaf, uint32_t subleaf,
		uint32_t regs[4]);
bool insn_has_feature(const struct insn_ctx *ctx, enum insn_feature f);
enum insn_result insn_fault(struct insn_ctx *ctx, unsigned int vector,
			    bool has_error_code, uint32_t error_code);
enum insn_result insn_ud(struct insn_ctx *ctx);
enum insn_result insn_gp0(struct insn_ctx *ctx);
enum insn_result insn_trap(struct insn_ctx *ctx, unsigned int vector,
			   enum insn_exc_kind kind);
/* The linear address of the ModRM memory operand, checked for len bytes. */
enum insn_result insn_mem_addr(struct insn_ctx *ctx, uint64_t len,
			       bool write, uint64_t *la);
bool insn_canonical(const struct insn_ctx *ctx, uint64_t la);
enum insn_result insn_read(struct insn_ctx *ctx, uint64_t la, void *buf,
			   unsigned int len);
enum insn_result insn_read_rmw(struct insn_ctx *ctx, uint64_t la, void *buf,
			       unsigned int len);
enum insn_result insn_write(struct insn_ctx *ctx, uint64_t la,
			    const void *buf, unsigned int len);
enum insn_result insn_env_error(struct insn_ctx *ctx, int err, uint64_t la,
				unsigned int access);
unsigned int insn_access(const struct insn_ctx *ctx, bool write);
enum insn_result insn_opnd_read(struct insn_ctx *ctx,
				const struct x86_opnd *o, uint64_t *val);
enum insn_result insn_opnd_write(struct insn_ctx *ctx,
				 const struct x86_opnd *o, uint64_t val);
void insn_set_flags(struct insn_ctx *ctx, uint64_t mask, uint64_t bits);
uint64_t insn_gpr_read(const struct insn_ctx *ctx, unsigned int reg,
		       unsigned int size);
void insn_gpr_write(struct insn_ctx *ctx, unsigned int reg,
		    unsigned int size, uint64_t val);

/* ops.c */
enum insn_result op_int3(struct insn_ctx *ctx);
enum insn_result op_int(struct insn_ctx *ctx);
enum insn_result op_into(struct insn_ctx *ctx);
enum insn_result op_int1(struct insn_ctx *ctx);
enum insn_result op_ud(struct insn_ctx *ctx);
enum insn_result op_cmpxchg8b(struct insn_ctx *ctx);
enum insn_result op_movbe(struct insn_ctx *ctx);
enum insn_result op_crc32(struct insn_ctx *ctx);
enum insn_result op_invpcid(struct insn_ctx *ctx);
enum insn_result op_rdtscp(struct insn_ctx *ctx);
enum insn_result op_rdpid(struct insn_ctx *ctx);
enum insn_result op_rdpru(struct insn_ctx *ctx);
enum insn_result op_bitcount(struct insn_ctx *ctx);
enum insn_result op_clac_stac(struct insn_ctx *ctx);
enum insn_result op_fsgsbase(struct insn_ctx *ctx);
enum insn_result op_hint(struct insn_ctx *ctx);
enum insn_result op_cache_line(struct insn_ctx *ctx);
enum insn_result op_fwait(struct insn_ctx *ctx);
enum insn_result op_sysret(struct insn_ctx *ctx);

/* simd.c */
enum insn_result op_simd(struct insn_ctx *ctx);

/* xsave.c */
enum insn_result op_xgetbv(struct insn_ctx *ctx);
enum insn_result op_xsetbv(struct insn_ctx *ctx);
enum insn_result op_xsave(struct insn_ctx *ctx);
enum insn_result op_xrstor(struct insn_ctx *ctx);

#endif
