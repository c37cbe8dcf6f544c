// SPDX-License-Identifier: MIT
/*
 * The executor core: fetch and decode at CS:RIP, the checks every
 * instruction shares, dispatch by operation, and the services handlers use
 * (effective and linear addresses with segment and canonical checks, guest
 * memory through struct insn_env, exceptions, registers).
 */
#include <cpuid.h>
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "x86/insn/exec.h"

#define PAGE_SIZE 4096u

#define PF_P	(1u << 0)
#define PF_W	(1u << 1)
#define PF_U	(1u << 2)
#define PF_RSVD	(1u << 3)
#define PF_I	(1u << 4)

/* Operations the executor completes; everything else is unsupported. */
static enum insn_result (*const handlers[X86_OP_COUNT])(struct insn_ctx *) = {
	[X86_OP_INVALID] = op_ud,
	[X86_OP_UD0] = op_ud,
	[X86_OP_UD1] = op_ud,
	[X86_OP_UD2] = op_ud,
	[X86_OP_INT3] = op_int3,
	[X86_OP_INT] = op_int,
	[X86_OP_INTO] = op_into,
	[X86_OP_INT1] = op_int1,
	[X86_OP_CMPXCHG8B] = op_cmpxchg8b,
	[X86_OP_MOVBE] = op_movbe,
	[X86_OP_CRC32] = op_crc32,
	[X86_OP_INVPCID] = op_invpcid,
	[X86_OP_RDTSCP] = op_rdtscp,
	[X86_OP_RDPID] = op_rdpid,
	[X86_OP_RDPRU] = op_rdpru,
	[X86_OP_POPCNT] = op_bitcount,
	[X86_OP_LZCNT] = op_bitcount,
	[X86_OP_TZCNT] = op_bitcount,
	[X86_OP_CLAC] = op_clac_stac,
	[X86_OP_RDFSBASE] = op_fsgsbase,
	[X86_OP_RDGSBASE] = op_fsgsbase,
	[X86_OP_WRFSBASE] = op_fsgsbase,
	[X86_OP_WRGSBASE] = op_fsgsbase,
	[X86_OP_NOP] = op_hint,
	[X86_OP_PAUSE] = op_hint,
	[X86_OP_ENDBR64] = op_hint,
	[X86_OP_ENDBR32] = op_hint,
	[X86_OP_PREFETCH] = op_hint,
	[X86_OP_PREFETCHW] = op_hint,
	[X86_OP_PREFETCHNTA] = op_hint,
	[X86_OP_PREFETCHT0] = op_hint,
	[X86_OP_PREFETCHT1] = op_hint,
	[X86_OP_PREFETCHT2] = op_hint,
	[X86_OP_LFENCE] = op_hint,
	[X86_OP_MFENCE] = op_hint,
	[X86_OP_SFENCE] = op_hint,
	[X86_OP_FWAIT] = op_fwait,
	[X86_OP_CLFLUSH] = op_cache_line,
	[X86_OP_CLFLUSHOPT] = op_cache_line,
	[X86_OP_CLWB] = op_cache_line,
	[X86_OP_SYSRET] = op_sysret,
	[X86_OP_SSE] = op_simd,
	[X86_OP_VEX] = op_simd,
	[X86_OP_EVEX] = op_simd,
	[X86_OP_LDMXCSR] = op_simd,
	[X86_OP_STMXCSR] = op_simd,
	[X86_OP_EMMS] = op_simd,
	[X86_OP_X87] = op_simd,
	[X86_OP_STAC] = op_clac_stac,
	[X86_OP_XGETBV] = op_xgetbv,
	[X86_OP_XSETBV] = op_xsetbv,
	[X86_OP_XSAVE] = op_xsave,
	[X86_OP_XSAVEOPT] = op_xsave,
	[X86_OP_XSAVEC] = op_xsave,
	[X86_OP_XSAVES] = op_xsave,
	[X86_OP_XRSTOR] = op_xrstor,
	[X86_OP_XRSTORS] = op_xrstor,
};

/* ---- CPUID -------------------------------------------------------------- */

void insn_cpuid(const struct insn_env *env, uint32_t leaf, uint32_t subleaf,
		uint32_t regs[4])
{
	unsigned int a, b, c, d;

	memset(regs, 0, 4 * sizeof(regs[0]));
	if (env->cpuid) {
		if (env->cpuid(env->opaque, leaf, subleaf, regs) < 0)
			memset(regs, 0, 4 * sizeof(regs[0]));
		return;
	}
	if (leaf > __get_cpuid_max(leaf & 0x80000000u, NULL))
		return;
	__cpuid_count(leaf, subleaf, a, b, c, d);
	regs[0] = a;
	regs[1] = b;
	regs[2] = c;
	regs[3] = d;
}

static const struct {
	uint32_t leaf, subleaf;
	uint8_t reg;		/* 0 eax, 1 ebx, 2 ecx, 3 edx */
	uint8_t bit;
} features[] = {
	[FEAT_CX16] = { 1, 0, 2, 13 },
	[FEAT_MOVBE] = { 1, 0, 2, 22 },
	[FEAT_SSE42] = { 1, 0, 2, 20 },
	[FEAT_XSAVE] = { 1, 0, 2, 26 },
	[FEAT_INVPCID] = { 7, 0, 1, 10 },
	[FEAT_RDPID] = { 7, 0, 2, 22 },
	[FEAT_RDTSCP] = { 0x80000001u, 0, 3, 27 },
	[FEAT_XSAVEOPT] = { 0xd, 1, 0, 0 },
	[FEAT_XSAVEC] = { 0xd, 1, 0, 1 },
	[FEAT_XGETBV1] = { 0xd, 1, 0, 2 },
	[FEAT_XSAVES] = { 0xd, 1, 0, 3 },
	[FEAT_POPCNT] = { 1, 0, 2, 23 },
	[FEAT_LZCNT] = { 0x80000001u, 0, 2, 5 },
	[FEAT_BMI1] = { 7, 0, 1, 3 },
	[FEAT_SMAP] = { 7, 0, 1, 20 },
	[FEAT_FSGSBASE] = { 7, 0, 1, 0 },
	[FEAT_SSE2] = { 1, 0, 3, 26 },
	[FEAT_CLFSH] = { 1, 0, 3, 19 },
	[FEAT_CLFLUSHOPT] = { 7, 0, 1, 23 },
	[FEAT_CLWB] = { 7, 0, 1, 24 },
	[FEAT_RDPRU] = { 0x80000008u, 0, 1, 4 },
};

bool insn_has_feature(const struct insn_ctx *ctx, enum insn_feature f)
{
	uint32_t regs[4];

	insn_cpuid(ctx->env, features[f].leaf, features[f].subleaf, regs);
	return (regs[features[f].reg] >> features[f].bit) & 1;
}

/* ---- Exceptions --------------------------------------------------------- */

enum insn_result insn_fault(struct insn_ctx *ctx, unsigned int vector,
			    bool has_error_code, uint32_t error_code)
{
	struct insn_exception *exc = ctx->exc;

	exc->vector = (uint8_t)vector;
	exc->kind = INSN_EXC_FAULT;
	exc->has_error_code = has_error_code;
	exc->error_code = error_code;
	return INSN_EXCEPTION;
}

enum insn_result insn_ud(struct insn_ctx *ctx)
{
	return insn_fault(ctx, X86_EXC_UD, false, 0);
}

enum insn_result insn_gp0(struct insn_ctx *ctx)
{
	return insn_fault(ctx, X86_EXC_GP, true, 0);
}

/* A trap-type event: the instruction completed, RIP moves past it. */
enum insn_result insn_trap(struct insn_ctx *ctx, unsigned int vector,
			   enum insn_exc_kind kind)
{
	struct insn_exception *exc = ctx->exc;

	ctx->cpu->rip = ctx->next_rip;
	ctx->cpu->rflags &= ~X86_RFLAGS_RF;
	exc->vector = (uint8_t)vector;
	exc->kind = (uint8_t)kind;
	exc->has_error_code = false;
	exc->error_code = 0;
	return INSN_EXCEPTION;
}

/* ---- Guest memory ------------------------------------------------------- */

unsigned int insn_access(const struct insn_ctx *ctx, bool write)
{
	return (write ? INSN_ACC_WRITE : 0) |
	       (ctx->cpl == 3 ? INSN_ACC_USER : 0);
}

/* Maps an insn_env memory error onto #PF, or gives up. */
enum insn_result insn_env_error(struct insn_ctx *ctx, int err, uint64_t la,
				unsigned int access)
{
	const struct x86_cpu_state *cpu = ctx->cpu;
	uint32_t ec;

	if (!(cpu->cr0 & X86_CR0_PG))
		return INSN_UNSUPPORTED;
	switch (err) {
	case -EFAULT:
		ec = 0;
		break;
	case -EACCES:
		ec = PF_P;
		break;
	case -EBADMSG:
		ec = PF_P | PF_RSVD;
		break;
	default:
		return INSN_UNSUPPORTED;
	}
	if (access & INSN_ACC_WRITE)
		ec |= PF_W;
	if (access & INSN_ACC_USER)
		ec |= PF_U;
	if ((access & INSN_ACC_FETCH) &&
	    ((cpu->efer & X86_EFER_NXE) || (cpu->cr4 & X86_CR4_SMEP)))
		ec |= PF_I;
	ctx->exc->cr2 = la;
	return insn_fault(ctx, X86_EXC_PF, true, ec);
}

static uint64_t wrap_la(const struct insn_ctx *ctx, uint64_t la)
{
	return ctx->mode == 64 ? la : (la & 0xffffffffu);
}

/* Calls the env per 4 KiB page, so that a fault names its page. */
static enum insn_result access_pages(struct insn_ctx *ctx, uint64_t la,
				     void *rbuf, const void *wbuf,
				     unsigned int len, unsigned int access)
{
	const struct insn_env *env = ctx->env;

	while (len) {
		unsigned int n = PAGE_SIZE - (unsigned int)(la & (PAGE_SIZE - 1));
		int err;

		if (n > len)
			n = len;
		if (wbuf)
			err = env->write(env->opaque, la, wbuf, n, access);
		else
			err = env->read(env->opaque, la, rbuf, n, access);
		if (err)
			return insn_env_error(ctx, err, la, access);
		la = wrap_la(ctx, la + n);
		if (wbuf)
			wbuf = (const uint8_t *)wbuf + n;
		else
			rbuf = (uint8_t *)rbuf + n;
		len -= n;
	}
	return INSN_DONE;
}

enum insn_result insn_read(struct insn_ctx *ctx, uint64_t la, void *buf,
			   unsigned int len)
{
	if (!ctx->env->read)
		return INSN_UNSUPPORTED;
	return access_pages(ctx, la, buf, NULL, len, insn_access(ctx, false));
}

/* The read half of a read-modify-write: checked, and faulting, as a write. */
enum insn_result insn_read_rmw(struct insn_ctx *ctx, uint64_t la, void *buf,
			       unsigned int len)
{
	if (!ctx->env->read)
		return INSN_UNSUPPORTED;
	return access_pages(ctx, la, buf, NULL, len, insn_access(ctx, true));
}

enum insn_result insn_write(struct insn_ctx *ctx, uint64_t la,
			    const void *buf, unsigned int len)
{
	if (!ctx->env->write)
		return INSN_UNSUPPORTED;
	return access_pages(ctx, la, NULL, buf, len, insn_access(ctx, true));
}

/* ---- Addressing --------------------------------------------------------- */

bool insn_canonical(const struct insn_ctx *ctx, uint64_t la)
{
	unsigned int bits = (ctx->cpu->cr4 & X86_CR4_LA57) ? 57 : 48;
	int64_t s = (int64_t)(la << (64 - bits)) >> (64 - bits);

	return (uint64_t)s == la;
}

static enum insn_result seg_fault(struct insn_ctx *ctx, unsigned int seg)
{
	return insn_fault(ctx, seg == S_SS ? X86_EXC_SS : X86_EXC_GP, true, 0);
}

/* Segment type, presence and limit checks outside 64-bit mode. */
static enum insn_result check_segment(struct insn_ctx *ctx, unsigned int seg,
				      uint64_t off, uint64_t len, bool write)
{
	const struct x86_cpu_state *cpu = ctx->cpu;
	const struct x86_seg *s = &cpu->seg[seg];
	bool prot = (cpu->cr0 & X86_CR0_PE) && !(cpu->rflags & X86_RFLAGS_VM);
	uint64_t last = off + len - 1;

	if (prot) {
		bool code = s->type & 8;

		if (s->unusable || !s->present)
			return seg_fault(ctx, seg);
		if (code && (write || !(s->type & 2)))
			return seg_fault(ctx, seg);
		if (!code && write && !(s->type & 2))
			return seg_fault(ctx, seg);
		if (!code && (s->type & 4)) {
			/* Expand-down: valid offsets are above the limit. */
			uint64_t top = s->db ? 0xffffffffu : 0xffffu;

			if (off <= s->limit || last > top)
				return seg_fault(ctx, seg);
			return INSN_DONE;
		}
	}
	if (last > s->limit || last < off)
		return seg_fault(ctx, seg);
	return INSN_DONE;
}

enum insn_result insn_mem_addr(struct insn_ctx *ctx, uint64_t len,
			       bool write, uint64_t *la)
{
	const struct x86_insn *in = ctx->insn;
	const struct x86_cpu_state *cpu = ctx->cpu;
	uint64_t off = 0, base = 0;
	unsigned int seg;
	enum insn_result r;

	if (!in->has_mem || !len)
		return insn_ud(ctx);
	if (in->base == X86_REG_RIP)
		off = ctx->next_rip;
	else if (in->base != X86_REG_NONE)
		off = cpu->gpr[in->base & 15];
	if (in->index != X86_REG_NONE)
		off += cpu->gpr[in->index & 15] * in->scale;
	off += (uint64_t)in->disp;
	if (in->addrsize == 2)
		off &= 0xffffu;
	else if (in->addrsize == 4)
		off &= 0xffffffffu;

	if (in->seg != X86_REG_NONE)
		seg = in->seg;
	else if (in->base == R_RSP || in->base == R_RBP)
		seg = S_SS;
	else
		seg = S_DS;

	if (ctx->mode == 64) {
		if (seg == S_FS || seg == S_GS)
			base = cpu->seg[seg].base;
		*la = base + off;
		if (!insn_canonical(ctx, *la) ||
		    !insn_canonical(ctx, *la + len - 1))
			return seg_fault(ctx, seg);
		return INSN_DONE;
	}
	r = check_segment(ctx, seg, off, len, write);
	if (r)
		return r;
	*la = (cpu->seg[seg].base + off) & 0xffffffffu;
	return INSN_DONE;
}

/* ---- Registers ---------------------------------------------------------- */

uint64_t insn_gpr_read(const struct insn_ctx *ctx, unsigned int reg,
		       unsigned int size)
{
	const uint64_t *gpr = ctx->cpu->gpr;

	reg &= 15;
	switch (size) {
	case 1:
		/* Without REX, 4-7 are AH, CH, DH, BH. */
		if (!ctx->insn->rex && reg >= 4 && reg < 8)
			return (gpr[reg - 4] >> 8) & 0xff;
		return gpr[reg] & 0xff;
	case 2:
		return gpr[reg] & 0xffff;
	case 4:
		return gpr[reg] & 0xffffffffu;
	default:
		return gpr[reg];
	}
}

void insn_gpr_write(struct insn_ctx *ctx, unsigned int reg,
		    unsigned int size, uint64_t val)
{
	uint64_t *gpr = ctx->cpu->gpr;

	reg &= 15;
	switch (size) {
	case 1:
		if (!ctx->insn->rex && reg >= 4 && reg < 8)
			gpr[reg - 4] = (gpr[reg - 4] & ~0xff00ULL) |
				       ((val & 0xff) << 8);
		else
			gpr[reg] = (gpr[reg] & ~0xffULL) | (val & 0xff);
		break;
	case 2:
		gpr[reg] = (gpr[reg] & ~0xffffULL) | (val & 0xffff);
		break;
	case 4:
		/* 32-bit writes zero-extend. */
		gpr[reg] = val & 0xffffffffu;
		break;
	default:
		gpr[reg] = val;
		break;
	}
}

/* ---- Operands ---------------------------------------------------------- */

/* The general register an operand names, or -1 for memory/others. */
static int opnd_gpr(const struct insn_ctx *ctx, const struct x86_opnd *o)
{
	const struct x86_insn *in = ctx->insn;

	switch (o->kind) {
	case X86_OPK_E: case X86_OPK_R:
		return in->has_mem ? -1 : in->rm;
	case X86_OPK_G:
		return in->reg;
	case X86_OPK_Z:
		return (in->opcode & 7) | ((in->rex & 1) ? 8 : 0);
	case X86_OPK_REG:
		return o->reg;
	default:
		return -1;
	}
}

static bool opnd_is_mem(const struct insn_ctx *ctx, const struct x86_opnd *o)
{
	return (o->kind == X86_OPK_E || o->kind == X86_OPK_M) &&
	       ctx->insn->has_mem;
}

/* Reads a register or ModRM-memory operand of up to 8 bytes. */
enum insn_result insn_opnd_read(struct insn_ctx *ctx,
				const struct x86_opnd *o, uint64_t *val)
{
	unsigned int size = x86_opnd_bytes(ctx->insn, o);
	uint8_t buf[8] = { 0 };
	enum insn_result r;
	uint64_t la;
	int reg;

	if (!size || size > 8)
		return INSN_UNSUPPORTED;
	if (opnd_is_mem(ctx, o)) {
		r = insn_mem_addr(ctx, size, false, &la);
		if (r)
			return r;
		r = insn_read(ctx, la, buf, size);
		if (r)
			return r;
		memcpy(val, buf, sizeof(*val));
		*val = le64toh(*val);
		return INSN_DONE;
	}
	reg = opnd_gpr(ctx, o);
	if (reg < 0)
		return INSN_UNSUPPORTED;
	*val = insn_gpr_read(ctx, (unsigned int)reg, size);
	return INSN_DONE;
}

/* Writes a register or ModRM-memory operand of up to 8 bytes. */
enum insn_result insn_opnd_write(struct insn_ctx *ctx,
				 const struct x86_opnd *o, uint64_t val)
{
	unsigned int size = x86_opnd_bytes(ctx->insn, o);
	uint64_t le = htole64(val), la;
	enum insn_result r;
	int reg;

	if (!size || size > 8)
		return INSN_UNSUPPORTED;
	if (opnd_is_mem(ctx, o)) {
		r = insn_mem_addr(ctx, size, true, &la);
		if (r)
			return r;
		return insn_write(ctx, la, &le, size);
	}
	reg = opnd_gpr(ctx, o);
	if (reg < 0)
		return INSN_UNSUPPORTED;
	insn_gpr_write(ctx, (unsigned int)reg, size, val);
	return INSN_DONE;
}

void insn_set_flags(struct insn_ctx *ctx, uint64_t mask, uint64_t bits)
{
	ctx->cpu->rflags = (ctx->cpu->rflags & ~mask) | (bits & mask);
}

/* ---- Fetch, decode, dispatch -------------------------------------------- */

unsigned int x86_cpu_code_size(const struct x86_cpu_state *cpu)
{
	if (!(cpu->cr0 & X86_CR0_PE) || (cpu->rflags & X86_RFLAGS_VM))
		return 16;
	if (x86_in_long_mode64(cpu))
		return 64;
	return cpu->seg[S_CS].db ? 32 : 16;
}

static unsigned int current_cpl(const struct x86_cpu_state *cpu)
{
	if (!(cpu->cr0 & X86_CR0_PE))
		return 0;
	if (cpu->rflags & X86_RFLAGS_VM)
		return 3;
	return x86_cpl(cpu);
}

static uint64_t ip_mask(unsigned int mode)
{
	return mode == 64 ? ~0ULL : mode == 32 ? 0xffffffffULL : 0xffffULL;
}

/*
 * Reads up to 15 bytes at CS:RIP and decodes them.  Bytes on a second page
 * or beyond the CS limit are needed only if the instruction reaches them.
 */
static enum insn_result fetch_decode(struct insn_ctx *ctx)
{
	const struct x86_cpu_state *cpu = ctx->cpu;
	const struct insn_env *env = ctx->env;
	unsigned int access = insn_access(ctx, false) | INSN_ACC_FETCH;
	uint64_t ip = cpu->rip & ip_mask(ctx->mode), la, want = 15;
	uint8_t bytes[X86_MAX_INSN_LEN];
	unsigned int first, avail;
	int err, second_err = 0;

	if (!env->read)
		return INSN_UNSUPPORTED;
	if (ctx->mode == 64) {
		if (!insn_canonical(ctx, ip))
			return insn_gp0(ctx);
		la = ip;
	} else {
		const struct x86_seg *cs = &cpu->seg[S_CS];

		if (ip > cs->limit)
			return insn_gp0(ctx);
		if (cs->limit - ip + 1 < want)
			want = cs->limit - ip + 1;
		la = (cs->base + ip) & 0xffffffffu;
	}
	first = PAGE_SIZE - (unsigned int)(la & (PAGE_SIZE - 1));
	if (first > want)
		first = (unsigned int)want;
	err = env->read(env->opaque, la, bytes, first, access);
	if (err)
		return insn_env_error(ctx, err, la, access);
	avail = first;
	if (want > first) {
		second_err = env->read(env->opaque, wrap_la(ctx, la + first),
				       bytes + first,
				       (unsigned int)want - first, access);
		if (!second_err)
			avail = (unsigned int)want;
	}

	err = x86_decode(bytes, avail, ctx->mode, ctx->insn);
	if (err == -ENODATA && second_err)
		return insn_env_error(ctx, second_err,
				      wrap_la(ctx, la + first), access);
	if (err == -ENODATA || err == -E2BIG)
		return insn_gp0(ctx);	/* CS limit, or longer than 15 */
	if (err < 0)
		return INSN_UNSUPPORTED;
	/* IP wraps at the code size. */
	ctx->next_rip = (ip + ctx->insn->len) & ip_mask(ctx->mode);
	return INSN_DONE;
}

/* Checks that depend only on the decoded form. */
static enum insn_result check_form(struct insn_ctx *ctx)
{
	const struct x86_insn *in = ctx->insn;

	if (in->op == X86_OP_INVALID)
		return insn_ud(ctx);
	if ((in->flags & X86_IF_MEMONLY) && !in->has_mem)
		return insn_ud(ctx);
	if ((in->flags & X86_IF_REGONLY) && in->has_mem)
		return insn_ud(ctx);
	if ((in->prefixes & X86_PFX_LOCK) &&
	    (!(in->flags & X86_IF_LOCKABLE) || !in->has_mem))
		return insn_ud(ctx);
	return INSN_DONE;
}

enum insn_result x86_insn_step(struct x86_cpu_state *cpu,
			       const struct insn_env *env,
			       struct insn_exception *exc,
			       struct x86_insn *insn)
{
	struct x86_insn local;
	struct x86_cpu_state saved = *cpu;
	struct insn_ctx ctx = {
		.cpu = cpu,
		.env = env,
		.exc = exc,
		.insn = insn ? insn : &local,
		.mode = x86_cpu_code_size(cpu),
		.cpl = current_cpl(cpu),
	};
	bool single_step = cpu->rflags & X86_RFLAGS_TF;
	enum insn_result r;

	memset(exc, 0, sizeof(*exc));
	memset(ctx.insn, 0, sizeof(*ctx.insn));
	r = fetch_decode(&ctx);
	if (r)
		goto out;
	exc->insn_len = ctx.insn->len;
	if (!handlers[ctx.insn->op]) {
		r = INSN_UNSUPPORTED;
		goto out;
	}
	r = check_form(&ctx);
	if (r)
		goto out;
	r = handlers[ctx.insn->op](&ctx);
	if (r)
		goto out;
	cpu->rip = ctx.next_rip;
	cpu->rflags &= ~X86_RFLAGS_RF;
	if (single_step) {
		exc->vector = X86_EXC_DB;
		exc->kind = INSN_EXC_DEBUG_TRAP;
		exc->dr6 = X86_DR6_BS;
		r = INSN_EXCEPTION;
	}
out:
	/*
	 * "Unsupported" and faults promise the caller an untouched register
	 * file (handlers check before they write, this makes it certain).
	 */
	if (r == INSN_UNSUPPORTED ||
	    (r == INSN_EXCEPTION && exc->kind == INSN_EXC_FAULT))
		*cpu = saved;
	return r;
}
