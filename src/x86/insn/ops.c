// SPDX-License-Identifier: MIT
/*
 * Integer and system instructions the executor completes: software
 * interrupts, #UD opcodes, cmpxchg8b/16b, movbe, crc32, invpcid, rdtscp,
 * rdpru,
 * rdpid, popcnt/lzcnt/tzcnt, clac/stac and rd/wr fs/gs base.  Each handler
 * checks everything that can fault before it changes any register, so a
 * fault leaves the state as it was.
 */
#include <errno.h>
#include <string.h>

#include "x86/insn/exec.h"

#define MSR_IA32_TSC 0x10
#define MSR_IA32_TSC_AUX 0xc0000103u

#define X86_RFLAGS_IOPL_SHIFT 12

/* ---- Software interrupts and #UD ---------------------------------------- */

enum insn_result op_int3(struct insn_ctx *ctx)
{
	return insn_trap(ctx, X86_EXC_BP, INSN_EXC_SOFT_EXCEPTION);
}

enum insn_result op_int(struct insn_ctx *ctx)
{
	const struct x86_cpu_state *cpu = ctx->cpu;
	unsigned int iopl = (cpu->rflags & X86_RFLAGS_IOPL) >>
			    X86_RFLAGS_IOPL_SHIFT;

	/* In virtual-8086 mode int n is IOPL-sensitive (no VME here). */
	if ((cpu->rflags & X86_RFLAGS_VM) && iopl < 3)
		return insn_gp0(ctx);
	return insn_trap(ctx, (unsigned int)(ctx->insn->imm & 0xff),
			 INSN_EXC_SOFT_INTERRUPT);
}

enum insn_result op_into(struct insn_ctx *ctx)
{
	/* The decoder already made into #UD in 64-bit mode. */
	if (!(ctx->cpu->rflags & X86_RFLAGS_OF))
		return INSN_DONE;
	return insn_trap(ctx, X86_EXC_OF, INSN_EXC_SOFT_EXCEPTION);
}

enum insn_result op_int1(struct insn_ctx *ctx)
{
	return insn_trap(ctx, X86_EXC_DB, INSN_EXC_DEBUG_TRAP);
}

enum insn_result op_ud(struct insn_ctx *ctx)
{
	return insn_ud(ctx);
}

/* ---- cmpxchg8b / cmpxchg16b --------------------------------------------- */

static void put_le64(uint8_t *p, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, unsigned int len)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < len; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

enum insn_result op_cmpxchg8b(struct insn_ctx *ctx)
{
	const struct insn_env *env = ctx->env;
	struct x86_cpu_state *cpu = ctx->cpu;
	bool wide = ctx->insn->opsize == 8;	/* REX.W: cmpxchg16b */
	unsigned int len = wide ? 16 : 8;
	unsigned int access = insn_access(ctx, true);
	uint8_t old[16], new_val[16];
	enum insn_result r;
	uint64_t la;
	int ret;

	if (wide && !insn_has_feature(ctx, FEAT_CX16))
		return insn_ud(ctx);
	r = insn_mem_addr(ctx, len, true, &la);
	if (r)
		return r;
	if (wide && (la & 15))
		return insn_gp0(ctx);
	/* A split-lock cmpxchg8b over two pages cannot be made atomic here. */
	if ((la & 4095) + len > 4096 || !env->cmpxchg)
		return INSN_UNSUPPORTED;

	if (wide) {
		put_le64(old, cpu->gpr[R_RAX]);
		put_le64(old + 8, cpu->gpr[R_RDX]);
		put_le64(new_val, cpu->gpr[R_RBX]);
		put_le64(new_val + 8, cpu->gpr[R_RCX]);
	} else {
		put_le64(old, (cpu->gpr[R_RAX] & 0xffffffffu) |
			      (cpu->gpr[R_RDX] << 32));
		put_le64(new_val, (cpu->gpr[R_RBX] & 0xffffffffu) |
				  (cpu->gpr[R_RCX] << 32));
	}
	ret = env->cmpxchg(env->opaque, la, old, new_val, len, access);
	if (ret < 0)
		return insn_env_error(ctx, ret, la, access);
	if (ret == 1) {
		cpu->rflags |= X86_RFLAGS_ZF;
		return INSN_DONE;
	}
	cpu->rflags &= ~X86_RFLAGS_ZF;
	if (wide) {
		cpu->gpr[R_RAX] = get_le(old, 8);
		cpu->gpr[R_RDX] = get_le(old + 8, 8);
	} else {
		insn_gpr_write(ctx, R_RAX, 4, get_le(old, 4));
		insn_gpr_write(ctx, R_RDX, 4, get_le(old + 4, 4));
	}
	return INSN_DONE;
}

/* ---- movbe, crc32 -------------------------------------------------------- */

static uint64_t byte_swap(uint64_t v, unsigned int size)
{
	switch (size) {
	case 2:
		return __builtin_bswap16((uint16_t)v);
	case 4:
		return __builtin_bswap32((uint32_t)v);
	default:
		return __builtin_bswap64(v);
	}
}

enum insn_result op_movbe(struct insn_ctx *ctx)
{
	const struct x86_insn *in = ctx->insn;
	unsigned int size = in->opsize;
	bool store = in->opcode == 0xf1;
	uint8_t buf[8];
	enum insn_result r;
	uint64_t la, v;

	if (!insn_has_feature(ctx, FEAT_MOVBE))
		return insn_ud(ctx);
	r = insn_mem_addr(ctx, size, store, &la);
	if (r)
		return r;
	if (store) {
		v = byte_swap(insn_gpr_read(ctx, in->reg, size), size);
		put_le64(buf, v);
		return insn_write(ctx, la, buf, size);
	}
	r = insn_read(ctx, la, buf, size);
	if (r)
		return r;
	insn_gpr_write(ctx, in->reg, size, byte_swap(get_le(buf, size), size));
	return INSN_DONE;
}

/* CRC-32C (Castagnoli), bit-reflected, no pre/post inversion: as SSE4.2. */
static uint32_t crc32c_update(uint32_t crc, uint64_t data, unsigned int bytes)
{
	unsigned int i, bit;

	for (i = 0; i < bytes; i++) {
		crc ^= (uint8_t)(data >> (8 * i));
		for (bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	return crc;
}

enum insn_result op_crc32(struct insn_ctx *ctx)
{
	const struct x86_insn *in = ctx->insn;
	unsigned int src_size = in->opcode == 0xf0 ? 1 : in->opsize;
	unsigned int dst_size = in->opsize == 8 ? 8 : 4;
	uint8_t buf[8];
	enum insn_result r;
	uint64_t la, src;
	uint32_t crc;

	if (!insn_has_feature(ctx, FEAT_SSE42))
		return insn_ud(ctx);
	if (in->has_mem) {
		r = insn_mem_addr(ctx, src_size, false, &la);
		if (r)
			return r;
		r = insn_read(ctx, la, buf, src_size);
		if (r)
			return r;
		src = get_le(buf, src_size);
	} else {
		src = insn_gpr_read(ctx, in->rm, src_size);
	}
	crc = crc32c_update((uint32_t)ctx->cpu->gpr[in->reg & 15], src,
			    src_size);
	insn_gpr_write(ctx, in->reg, dst_size, crc);
	return INSN_DONE;
}

/* ---- invpcid ------------------------------------------------------------- */

enum insn_result op_invpcid(struct insn_ctx *ctx)
{
	const struct x86_cpu_state *cpu = ctx->cpu;
	const struct insn_env *env = ctx->env;
	uint64_t type, la, pcid, addr;
	uint8_t desc[16];
	enum insn_result r;
	bool pcide = cpu->cr4 & X86_CR4_PCIDE;

	if (!insn_has_feature(ctx, FEAT_INVPCID) ||
	    (cpu->rflags & X86_RFLAGS_VM))
		return insn_ud(ctx);
	if (ctx->cpl > 0)
		return insn_gp0(ctx);
	type = insn_gpr_read(ctx, ctx->insn->reg, ctx->mode == 64 ? 8 : 4);
	r = insn_mem_addr(ctx, 16, false, &la);
	if (r)
		return r;
	r = insn_read(ctx, la, desc, sizeof(desc));
	if (r)
		return r;
	pcid = get_le(desc, 8);
	addr = get_le(desc + 8, 8);
	if (type > 3 || (pcid >> 12))
		return insn_gp0(ctx);
	if (type <= 1 && pcid && !pcide)
		return insn_gp0(ctx);
	if (type == 0 && !insn_canonical(ctx, addr))
		return insn_gp0(ctx);
	/*
	 * The flush itself is the caller's: dropping it is not safe when the
	 * host shadows guest page tables (kvm-pvm), so without one, give up.
	 */
	if (!env->flush_tlb)
		return INSN_UNSUPPORTED;
	if (env->flush_tlb(env->opaque, (unsigned int)type, pcid, addr) < 0)
		return INSN_UNSUPPORTED;
	return INSN_DONE;
}

/* ---- rdtscp, rdpid ------------------------------------------------------- */

static int read_msr(const struct insn_ctx *ctx, uint32_t index, uint64_t *v)
{
	const struct insn_env *env = ctx->env;

	if (!env->get_msr)
		return -ENOSYS;
	return env->get_msr(env->opaque, index, v);
}

enum insn_result op_rdtscp(struct insn_ctx *ctx)
{
	uint64_t tsc, aux;

	if (!insn_has_feature(ctx, FEAT_RDTSCP))
		return insn_ud(ctx);
	if ((ctx->cpu->cr4 & X86_CR4_TSD) && ctx->cpl > 0)
		return insn_gp0(ctx);
	if (read_msr(ctx, MSR_IA32_TSC, &tsc) < 0 ||
	    read_msr(ctx, MSR_IA32_TSC_AUX, &aux) < 0)
		return INSN_UNSUPPORTED;
	insn_gpr_write(ctx, R_RAX, 4, tsc);
	insn_gpr_write(ctx, R_RDX, 4, tsc >> 32);
	insn_gpr_write(ctx, R_RCX, 4, aux);
	return INSN_DONE;
}

/*
 * rdpru without CPUID.80000008H:EBX[4] is #UD, which is what KVM gives a
 * guest (it offers no RDPRU); the registers behind it are the host's, so
 * with the bit set there is nothing honest to return.
 */
enum insn_result op_rdpru(struct insn_ctx *ctx)
{
	if (!insn_has_feature(ctx, FEAT_RDPRU))
		return insn_ud(ctx);
	return INSN_UNSUPPORTED;
}

enum insn_result op_rdpid(struct insn_ctx *ctx)
{
	uint64_t aux;

	if (!insn_has_feature(ctx, FEAT_RDPID))
		return insn_ud(ctx);
	if (read_msr(ctx, MSR_IA32_TSC_AUX, &aux) < 0)
		return INSN_UNSUPPORTED;
	insn_gpr_write(ctx, ctx->insn->rm, ctx->mode == 64 ? 8 : 4,
		       aux & 0xffffffffu);
	return INSN_DONE;
}

/* ---- popcnt, lzcnt, tzcnt ------------------------------------------------ */

#define ARITH_FLAGS (X86_RFLAGS_CF | X86_RFLAGS_PF | X86_RFLAGS_AF | \
		     X86_RFLAGS_ZF | X86_RFLAGS_SF | X86_RFLAGS_OF)

/*
 * Linux patches popcnt into its hweight helpers when CPUID has it, and
 * compilers emit tzcnt/lzcnt: kernel-mode code the host's emulator lacks.
 */
enum insn_result op_bitcount(struct insn_ctx *ctx)
{
	const struct x86_insn *in = ctx->insn;
	unsigned int bits = 8 * in->opsize;
	enum insn_result r;
	uint64_t src, res;

	if (in->op == X86_OP_POPCNT && !insn_has_feature(ctx, FEAT_POPCNT))
		return insn_ud(ctx);
	/* Without the feature these encodings are bsr/bsf: not done here. */
	if ((in->op == X86_OP_LZCNT && !insn_has_feature(ctx, FEAT_LZCNT)) ||
	    (in->op == X86_OP_TZCNT && !insn_has_feature(ctx, FEAT_BMI1)))
		return INSN_UNSUPPORTED;
	r = insn_opnd_read(ctx, &in->opnd[1], &src);
	if (r)
		return r;

	if (in->op == X86_OP_POPCNT) {
		res = (uint64_t)__builtin_popcountll(src);
		r = insn_opnd_write(ctx, &in->opnd[0], res);
		if (!r)
			insn_set_flags(ctx, ARITH_FLAGS,
				       src ? 0 : X86_RFLAGS_ZF);
		return r;
	}
	if (!src)
		res = bits;
	else if (in->op == X86_OP_LZCNT)
		res = (uint64_t)__builtin_clzll(src) - (64 - bits);
	else
		res = (uint64_t)__builtin_ctzll(src);
	r = insn_opnd_write(ctx, &in->opnd[0], res);
	if (!r)	/* OF, SF, AF, PF are undefined: left as they were */
		insn_set_flags(ctx, X86_RFLAGS_CF | X86_RFLAGS_ZF,
			       (src ? 0 : X86_RFLAGS_CF) |
			       (res ? 0 : X86_RFLAGS_ZF));
	return r;
}

/* ---- clac, stac ---------------------------------------------------------- */

#define X86_RFLAGS_AC_BIT (1ULL << 18)

/*
 * Linux patches clac/stac into every entry path and user access once SMAP
 * is in CPUID, and this host's emulator lacks both.
 */
enum insn_result op_clac_stac(struct insn_ctx *ctx)
{
	if (!insn_has_feature(ctx, FEAT_SMAP) || ctx->cpl > 0 ||
	    (ctx->cpu->rflags & X86_RFLAGS_VM) ||
	    !(ctx->cpu->cr0 & X86_CR0_PE))
		return insn_ud(ctx);
	if (ctx->insn->op == X86_OP_CLAC)
		ctx->cpu->rflags &= ~X86_RFLAGS_AC_BIT;
	else
		ctx->cpu->rflags |= X86_RFLAGS_AC_BIT;
	return INSN_DONE;
}

/* ---- rdfsbase, rdgsbase, wrfsbase, wrgsbase ------------------------------ */

/*
 * Linux uses them on every context switch and in its paranoid entry paths
 * once it has set CR4.FSGSBASE.  The caller writes the segment bases back.
 */
enum insn_result op_fsgsbase(struct insn_ctx *ctx)
{
	const struct x86_insn *in = ctx->insn;
	struct x86_cpu_state *cpu = ctx->cpu;
	bool fs = in->op == X86_OP_RDFSBASE || in->op == X86_OP_WRFSBASE;
	bool wr = in->op == X86_OP_WRFSBASE || in->op == X86_OP_WRGSBASE;
	unsigned int seg = fs ? S_FS : S_GS;
	unsigned int size = in->opsize == 8 ? 8 : 4;
	uint64_t v;

	if (ctx->mode != 64 || !(cpu->cr4 & X86_CR4_FSGSBASE) ||
	    !insn_has_feature(ctx, FEAT_FSGSBASE))
		return insn_ud(ctx);
	if (!wr) {
		insn_gpr_write(ctx, in->rm, size, cpu->seg[seg].base);
		return INSN_DONE;
	}
	v = insn_gpr_read(ctx, in->rm, size);
	if (!insn_canonical(ctx, v))
		return insn_gp0(ctx);
	cpu->seg[seg].base = v;
	return INSN_DONE;
}

/* ---- Hints: nop forms, pause, endbr, prefetches, fences ------------------ */

/*
 * Nothing to do beyond the checks: a prefetch or a hint NOP never touches
 * memory (so never faults), and the exit to the VMM around a completed
 * instruction already orders memory more strongly than any fence.
 */
enum insn_result op_hint(struct insn_ctx *ctx)
{
	switch (ctx->insn->op) {
	case X86_OP_LFENCE:
	case X86_OP_MFENCE:
		if (!insn_has_feature(ctx, FEAT_SSE2))
			return insn_ud(ctx);
		break;
	default:
		break;
	}
	return INSN_DONE;
}

/*
 * clflush, clflushopt, clwb: write a cache line back.  Guest RAM is ordinary,
 * coherent host memory, so there is nothing to write; what remains is the
 * architectural checks: the feature, and the line's address, which faults
 * as a one-byte read would.
 */
enum insn_result op_cache_line(struct insn_ctx *ctx)
{
	enum insn_feature f = ctx->insn->op == X86_OP_CLWB ? FEAT_CLWB :
			      ctx->insn->op == X86_OP_CLFLUSHOPT ? FEAT_CLFLUSHOPT :
			      FEAT_CLFSH;
	enum insn_result r;
	uint8_t byte;
	uint64_t la;

	if (!insn_has_feature(ctx, f))
		return insn_ud(ctx);
	r = insn_mem_addr(ctx, 1, false, &la);
	if (r)
		return r;
	return insn_read(ctx, la, &byte, 1);
}

/* ---- fwait --------------------------------------------------------------- */

#define X86_CR0_MP_BIT (1ULL << 1)
#define X86_CR0_TS_BIT (1ULL << 3)
#define X86_CR0_NE_BIT (1ULL << 5)
#define X87_FSW_ES (1u << 7)

/*
 * Linux runs fwait when it drops a task's FPU state.  It waits for nothing
 * here: it only raises #NM (TS and MP set) or a pending x87 exception.
 */
enum insn_result op_fwait(struct insn_ctx *ctx)
{
	const struct insn_env *env = ctx->env;
	uint64_t cr0 = ctx->cpu->cr0;
	uint8_t xs[4096];
	uint16_t fsw;

	if ((cr0 & (X86_CR0_MP_BIT | X86_CR0_TS_BIT)) ==
	    (X86_CR0_MP_BIT | X86_CR0_TS_BIT))
		return insn_fault(ctx, X86_EXC_NM, false, 0);
	if (!env->get_xsave || env->get_xsave(env->opaque, xs) < 0)
		return INSN_UNSUPPORTED;
	memcpy(&fsw, xs + 2, sizeof(fsw));
	if (!(fsw & X87_FSW_ES))
		return INSN_DONE;
	/* Without CR0.NE the error goes to the FERR# pin: not modelled. */
	if (!(cr0 & X86_CR0_NE_BIT))
		return INSN_UNSUPPORTED;
	return insn_fault(ctx, X86_EXC_MF, false, 0);
}

/* ---- sysret (64-bit) ------------------------------------------------------ */

#define MSR_STAR 0xc0000081u
#define X86_EFER_SCE_BIT (1ULL << 0)

static void flat_seg(struct x86_seg *sg, uint16_t sel, bool code, bool l)
{
	memset(sg, 0, sizeof(*sg));
	sg->selector = sel;
	sg->limit = 0xffffffff;
	sg->type = code ? 0xb : 0x3;
	sg->s = 1;
	sg->dpl = 3;
	sg->present = 1;
	sg->l = l;
	sg->db = !l;
	sg->g = 1;
}

/*
 * Linux returns from most system calls with sysretq; on a host whose
 * emulator cannot leave ring 0 that way it is completed here.  Only the
 * 64-bit form from 64-bit mode (Linux's); the caller writes CS/SS back.
 */
enum insn_result op_sysret(struct insn_ctx *ctx)
{
	struct x86_cpu_state *cpu = ctx->cpu;
	uint64_t star, rcx = cpu->gpr[R_RCX];
	uint16_t base;

	if (!(cpu->efer & X86_EFER_SCE_BIT) || ctx->mode != 64)
		return ctx->mode == 64 ? insn_ud(ctx) : INSN_UNSUPPORTED;
	if (ctx->cpl != 0)
		return insn_gp0(ctx);
	if (ctx->insn->opsize != 8)
		return INSN_UNSUPPORTED;	/* sysretl to compat mode */
	if (!insn_canonical(ctx, rcx))
		return insn_gp0(ctx);
	if (read_msr(ctx, MSR_STAR, &star) < 0)
		return INSN_UNSUPPORTED;
	base = (uint16_t)(star >> 48);
	ctx->next_rip = rcx;
	cpu->rflags = (cpu->gpr[R_R11] & 0x3c7fd7ULL) | X86_RFLAGS_FIXED;
	flat_seg(&cpu->seg[S_CS], (uint16_t)((base + 16) | 3), true, true);
	flat_seg(&cpu->seg[S_SS], (uint16_t)((base + 8) | 3), false, false);
	return INSN_DONE;
}
