// SPDX-License-Identifier: MIT
/*
 * SSE, AVX and AVX-512 instructions (and x87, ldmxcsr/stmxcsr, emms)
 * completed by running them on the host CPU, against the guest's vector
 * and x87 registers.
 *
 * Why on the host: a Linux kernel runs vector code in kernel mode (its
 * blake2s, used by the random driver, picks SSSE3 or AVX-512 from CPUID),
 * this host's emulator lacks almost all of it, and on this host the guest's
 * CPUID is the host's (HOST.md), so every vector instruction the guest may
 * use is one the host CPU runs.  Interpreting them would mean hundreds of
 * operations with masking, broadcast and rounding; the host does them
 * exactly.  Only when struct insn_env says host_simd.
 *
 * How: the instruction is copied into a per-thread stub with its memory
 * operand (if any) rewritten to a RIP-relative one that points into a
 * scratch window holding the guest's bytes around the operand (same
 * alignment modulo 64, so alignment faults happen as on the guest).  The
 * stub saves the host's extended state, loads the guest's (XSAVE image
 * from the env) and the guest's general registers except RSP, runs the
 * instruction, and saves everything back.  Changed window bytes are then
 * written to guest memory, changed registers and the arithmetic flags
 * committed.  A fault of the instruction on the host (SIGSEGV for #GP,
 * SIGILL for #UD, SIGFPE for #XM or x87 #MF) is caught and given to the
 * guest.  x87 memory operands over 64 bytes (fnsave, frstor) are not
 * completed.
 *
 * Limits (kernel code does not depend on them): the operand size is not
 * known, so the window holds up to 64 bytes from the operand's address and
 * a page that cannot be read there is taken as zeros rather than a #PF
 * unless the operand starts on it; a store of unchanged bytes is not
 * written back (so it cannot fault on a read-only page); instructions that
 * address memory through registers other than ModRM (maskmov, VSIB
 * gathers/scatters, AMX tiles, movdir64b) and those with an RSP operand
 * are not completed.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>

#include "x86/insn/exec.h"

#define PAGE_SIZE 4096u
#define WINDOW 64u		/* the widest vector memory operand */

/* XSAVE components the stub loads: x87, SSE, AVX, opmask, ZMM. */
#define SIMD_XFEATURES 0xe7ULL
#define XCR0_SSE_AVX 0x6ULL
#define XCR0_AVX512 0xe0ULL

#define ARITH_FLAGS (X86_RFLAGS_CF | X86_RFLAGS_PF | X86_RFLAGS_AF | \
		     X86_RFLAGS_ZF | X86_RFLAGS_SF | X86_RFLAGS_OF)

#define X86_CR0_EM_BIT (1ULL << 2)
#define X86_CR0_TS_BIT (1ULL << 3)
#define X86_CR4_OSXMMEXCPT_BIT (1ULL << 10)
#define X86_EXC_XM 19

#if defined(__x86_64__)

/* The per-thread area: the stub's code, then its data, within rel32 reach. */
struct simd_area {
	uint8_t code[1024];
	uint64_t gpr[16];		/* in: guest; out: after the insn */
	uint64_t host_rsp;
	uint64_t rflags_in;
	uint64_t rflags_out;
	uint8_t window[256] __attribute__((aligned(64)));
	uint8_t guest_xsave[4096] __attribute__((aligned(64)));
	uint8_t host_xsave[4096] __attribute__((aligned(64)));
};

static __thread struct simd_area *area;
static __thread sigjmp_buf *fault_jmp;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t area_key;
static struct sigaction old_action[4];
static const int fault_signals[4] = { SIGSEGV, SIGILL, SIGFPE, SIGBUS };

static void free_area(void *p)
{
	munmap(p, sizeof(struct simd_area));
}

/* A fault inside the stub goes back to run_stub(); any other is passed on. */
static void on_fault(int sig, siginfo_t *si, void *uc)
{
	unsigned int i;

	if (fault_jmp)
		siglongjmp(*fault_jmp, sig);
	for (i = 0; i < 4; i++) {
		if (fault_signals[i] != sig)
			continue;
		if (old_action[i].sa_flags & SA_SIGINFO) {
			old_action[i].sa_sigaction(sig, si, uc);
			return;
		}
		if (old_action[i].sa_handler != SIG_IGN &&
		    old_action[i].sa_handler != SIG_DFL) {
			old_action[i].sa_handler(sig);
			return;
		}
	}
	signal(sig, SIG_DFL);	/* re-raised when the handler returns */
}

static void setup_once(void)
{
	struct sigaction sa;
	unsigned int i;

	pthread_key_create(&area_key, free_area);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 4; i++)
		sigaction(fault_signals[i], &sa, &old_action[i]);
}

static struct simd_area *get_area(void)
{
	void *p;

	if (area)
		return area;
	pthread_once(&once, setup_once);
	p = mmap(NULL, sizeof(struct simd_area),
		 PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	area = p;
	pthread_setspecific(area_key, p);
	return area;
}

static uint64_t host_xcr0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return lo | (uint64_t)hi << 32;
}

static uint32_t host_mxcsr_mask(void)
{
	uint8_t fx[512] __attribute__((aligned(16)));
	uint32_t mask;

	memset(fx, 0, sizeof(fx));
	__asm__ volatile("fxsave64 %0" : "=m"(fx));
	memcpy(&mask, fx + 28, 4);
	return mask ? mask : 0xffbf;
}

/* ---- The stub ----------------------------------------------------------- */

static unsigned int rewrite(const struct x86_insn *in, uint8_t *out,
			    uint64_t at, uint64_t target);

struct emitter {
	uint8_t *p;
	uint8_t *end;
};

static void emit(struct emitter *e, const void *bytes, size_t n)
{
	if (e->p + n > e->end) {
		e->p = e->end + 1;	/* overflow: caught by the caller */
		return;
	}
	memcpy(e->p, bytes, n);
	e->p += n;
}

static void emit8(struct emitter *e, uint8_t b)
{
	emit(e, &b, 1);
}

static void emit32(struct emitter *e, uint32_t v)
{
	emit(e, &v, 4);
}

static void emit64(struct emitter *e, uint64_t v)
{
	emit(e, &v, 8);
}

#define OFF(field) ((uint32_t)offsetof(struct simd_area, field))

/* op r64, [base + disp32] (or the reverse), base = rax (0) or rbx (3). */
static void emit_mem(struct emitter *e, uint8_t opcode, unsigned int reg,
		     unsigned int base, uint32_t disp)
{
	emit8(e, (uint8_t)(0x48 | (reg >= 8 ? 4 : 0)));
	emit8(e, opcode);
	emit8(e, (uint8_t)(0x80 | ((reg & 7) << 3) | base));
	emit32(e, disp);
}

/* xsave64 / xrstor64 [rbx + disp32] with EDX:EAX = mask. */
static void emit_xstate(struct emitter *e, unsigned int sub, uint32_t disp,
			uint64_t mask)
{
	emit8(e, 0xb8);
	emit32(e, (uint32_t)mask);
	emit8(e, 0xba);
	emit32(e, (uint32_t)(mask >> 32));
	emit8(e, 0x48);
	emit8(e, 0x0f);
	emit8(e, 0xae);
	emit8(e, (uint8_t)(0x80 | (sub << 3) | 3));
	emit32(e, disp);
}

/*
 * Builds: save callee-saved registers and RSP; save host extended state,
 * load the guest's; load the guest's flags and general registers (not
 * RSP); the instruction; store RAX and the rest, RSP and the flags; swap
 * the extended state back; return.
 */
static bool build_stub(struct simd_area *a, const struct x86_insn *in,
		       uint64_t target, uint64_t mask)
{
	static const uint8_t push[] = { 0x53, 0x55, 0x41, 0x54, 0x41, 0x55,
					0x41, 0x56, 0x41, 0x57 };
	static const uint8_t pop[] = { 0x41, 0x5f, 0x41, 0x5e, 0x41, 0x5d,
				       0x41, 0x5c, 0x5d, 0x5b, 0xc3 };
	struct emitter e = { a->code, a->code + sizeof(a->code) };
	uint64_t base = (uint64_t)(uintptr_t)a;
	unsigned int r, len;

	emit(&e, push, sizeof(push));
	emit8(&e, 0x48);			/* movabs rbx, area */
	emit8(&e, 0xbb);
	emit64(&e, base);
	emit_mem(&e, 0x89, 4, 3, OFF(host_rsp));
	emit_xstate(&e, 4, OFF(host_xsave), mask);
	emit_xstate(&e, 5, OFF(guest_xsave), mask);
	emit8(&e, 0xff);			/* push [rbx + rflags_in] */
	emit8(&e, 0xb3);
	emit32(&e, OFF(rflags_in));
	emit8(&e, 0x9d);			/* popfq */
	for (r = 0; r < 16; r++)
		if (r != 3 && r != 4)
			emit_mem(&e, 0x8b, r, 3, OFF(gpr) + 8 * r);
	emit_mem(&e, 0x8b, 3, 3, OFF(gpr) + 8 * 3);
	if (e.p + X86_MAX_INSN_LEN + 8 > e.end)
		return false;
	len = rewrite(in, e.p, (uint64_t)(uintptr_t)e.p, target);
	if (!len)
		return false;
	e.p += len;
	emit8(&e, 0x48);			/* mov [area.gpr[0]], rax */
	emit8(&e, 0xa3);
	emit64(&e, base + OFF(gpr));
	emit8(&e, 0x48);			/* movabs rax, area */
	emit8(&e, 0xb8);
	emit64(&e, base);
	emit_mem(&e, 0x89, 4, 0, OFF(gpr) + 8 * 4);
	emit_mem(&e, 0x8b, 4, 0, OFF(host_rsp));
	emit8(&e, 0x9c);			/* pushfq */
	emit8(&e, 0x8f);			/* pop [rax + rflags_out] */
	emit8(&e, 0x80);
	emit32(&e, OFF(rflags_out));
	for (r = 1; r < 16; r++)
		if (r != 4)
			emit_mem(&e, 0x89, r, 0, OFF(gpr) + 8 * r);
	emit8(&e, 0x48);			/* mov rbx, rax */
	emit8(&e, 0x89);
	emit8(&e, 0xc3);
	emit_xstate(&e, 4, OFF(guest_xsave), mask);
	emit_xstate(&e, 5, OFF(host_xsave), mask);
	emit(&e, pop, sizeof(pop));
	return e.p <= e.end;
}

static void restore_host_xstate(struct simd_area *a, uint64_t mask)
{
	__asm__ volatile("xrstor64 %0"
			 : : "m"(*(uint8_t (*)[4096])a->host_xsave),
			     "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32))
			 : "memory");
}

/* Runs the stub; 0, or the signal the instruction raised. */
static int run_stub(struct simd_area *a, uint64_t mask)
{
	sigjmp_buf jb;
	int sig;

	__builtin___clear_cache((char *)a->code,
				(char *)a->code + sizeof(a->code));
	sig = sigsetjmp(jb, 1);
	if (sig) {
		fault_jmp = NULL;
		restore_host_xstate(a, mask);
		return sig;
	}
	fault_jmp = &jb;
	((void (*)(void))(uintptr_t)a->code)();
	fault_jmp = NULL;
	return 0;
}

/* ---- Which instructions, and how they are rewritten --------------------- */

static bool is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0xf0: case 0xf2: case 0xf3: case 0x2e: case 0x36: case 0x3e:
	case 0x26: case 0x64: case 0x65: case 0x66: case 0x67:
		return true;
	default:
		return false;
	}
}

/* Prefixes that only change addressing, which the rewrite replaces. */
static bool is_addressing_prefix(uint8_t b)
{
	return b == 0x67 || b == 0x64 || b == 0x65 || b == 0x2e ||
	       b == 0x36 || b == 0x3e || b == 0x26;
}

/* Instructions that reach memory other than through ModRM, or the host. */
static bool denied(const struct x86_insn *in)
{
	bool vex = in->op == X86_OP_VEX || in->op == X86_OP_EVEX;

	if (in->map == 1 && in->opcode == 0xf7)
		return true;		/* maskmovq, (v)maskmovdqu: [rdi] */
	if (in->map != 2)
		return false;
	switch (in->opcode) {
	case 0x90: case 0x91: case 0x92: case 0x93:	/* gathers (VSIB) */
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:	/* scatters */
	case 0xc6: case 0xc7:				/* gather prefetch */
	case 0x49: case 0x4b: case 0x5c: case 0x5e:	/* AMX */
	case 0x6c:
	case 0x80: case 0x81: case 0x82:		/* inv* */
		return vex || in->opcode >= 0x80;
	default:
		return in->opcode >= 0xf8;		/* movdir64b, ... */
	}
}

#define GPR_REG 1u
#define GPR_RM 2u
#define GPR_VVVV 4u

/* Which fields may name a general register (SDM operand tables). */
static unsigned int gpr_fields(const struct x86_insn *in)
{
	switch (in->map) {
	case 1:
		switch (in->opcode) {
		case 0x2c: case 0x2d: case 0x50: case 0xc5: case 0xd7:
		case 0x78: case 0x79: case 0x93:
			return GPR_REG;
		case 0x2a: case 0x6e: case 0x7e: case 0xc4: case 0x7a:
		case 0x7b: case 0x92:
			return GPR_RM;
		}
		return 0;
	case 2:
		if (in->opcode >= 0xf0)
			return GPR_REG | GPR_RM | GPR_VVVV;
		if (in->opcode >= 0x7a && in->opcode <= 0x7c)
			return GPR_RM;
		return 0;
	case 3:
		if ((in->opcode >= 0x14 && in->opcode <= 0x17) ||
		    in->opcode == 0x20 || in->opcode == 0x22)
			return GPR_RM;
		if (in->opcode == 0xf0)
			return GPR_REG | GPR_RM;
		return 0;
	}
	return 0;
}

/* VEX.vvvv / EVEX.vvvv (inverted in the encoding), or 0. */
static unsigned int vvvv(const struct x86_insn *in)
{
	const uint8_t *b = in->bytes;
	unsigned int lead_pos = 0;
	uint8_t lead;

	if (in->op != X86_OP_VEX && in->op != X86_OP_EVEX)
		return 0;
	while (lead_pos + 3 < in->len && is_legacy_prefix(b[lead_pos]))
		lead_pos++;
	lead = b[lead_pos];

	if (lead == 0xc5)
		return (~b[lead_pos + 1] >> 3) & 15;
	if (lead == 0xc4)
		return (~b[lead_pos + 2] >> 3) & 15;
	if (lead == 0x62)
		return (~b[lead_pos + 2] >> 3) & 15;
	return 0;
}

/*
 * The instruction as the stub runs it: addressing prefixes dropped, the
 * memory operand (if any) made [rip + disp32] pointing at target.  Returns
 * the length, or 0 if it cannot be rewritten.
 */
static unsigned int rewrite(const struct x86_insn *in, uint8_t *out,
			    uint64_t at, uint64_t target)
{
	unsigned int i = 0, n = 0, imm = in->imm_len + in->imm2_len;
	unsigned int head_end = in->has_modrm ? in->modrm_pos : in->len - imm;
	int64_t rel;

	while (i < in->len && is_legacy_prefix(in->bytes[i])) {
		if (!is_addressing_prefix(in->bytes[i]))
			out[n++] = in->bytes[i];
		i++;
	}
	if (i > head_end)
		return 0;
	memcpy(out + n, in->bytes + i, head_end - i);
	n += head_end - i;
	if (in->has_modrm) {
		if (!in->has_mem) {
			memcpy(out + n, in->bytes + in->modrm_pos,
			       in->len - in->modrm_pos);
			return n + in->len - in->modrm_pos;
		}
		out[n++] = (uint8_t)((in->modrm & 0x38) | 0x05);
		rel = (int64_t)(target - (at + n + 4 + imm));
		if (rel != (int32_t)rel)
			return 0;
		memcpy(out + n, &(int32_t){ (int32_t)rel }, 4);
		n += 4;
	}
	memcpy(out + n, in->bytes + in->len - imm, imm);
	return n + imm;
}

/* ---- Guest state checks and the memory window --------------------------- */

static enum insn_result check_state(struct insn_ctx *ctx, uint64_t xcr0)
{
	const struct x86_cpu_state *cpu = ctx->cpu;
	const struct x86_insn *in = ctx->insn;
	bool vex = in->op == X86_OP_VEX || in->op == X86_OP_EVEX;

	if (cpu->cr0 & X86_CR0_EM_BIT)
		return insn_ud(ctx);
	/* Legacy SSE needs OSFXSR; VEX/EVEX only OSXSAVE and XCR0 (SDM 2.3). */
	if (!(cpu->cr4 & X86_CR4_OSFXSR) && !vex && in->op != X86_OP_EMMS &&
	    in->op != X86_OP_X87)
		return insn_ud(ctx);
	if (vex && (!(cpu->cr4 & X86_CR4_OSXSAVE) ||
		    (xcr0 & XCR0_SSE_AVX) != XCR0_SSE_AVX))
		return insn_ud(ctx);
	if (in->op == X86_OP_EVEX && (xcr0 & XCR0_AVX512) != XCR0_AVX512)
		return insn_ud(ctx);
	if (cpu->cr0 & X86_CR0_TS_BIT)
		return insn_fault(ctx, X86_EXC_NM, false, 0);
	return INSN_DONE;
}

struct window {
	uint64_t la;		/* the operand's linear address */
	unsigned int off;	/* its offset in area->window */
	unsigned int readable;	/* bytes from la that could be read */
	uint8_t orig[WINDOW];
};

static enum insn_result load_window(struct insn_ctx *ctx, struct simd_area *a,
				    struct window *w)
{
	const struct insn_env *env = ctx->env;
	unsigned int access = insn_access(ctx, false);
	uint64_t la;
	enum insn_result r;

	r = insn_mem_addr(ctx, 1, false, &w->la);
	if (r)
		return r;
	w->off = WINDOW + (unsigned int)(w->la & (WINDOW - 1));
	w->readable = 0;
	memset(a->window, 0, sizeof(a->window));
	la = w->la;
	while (w->readable < WINDOW) {
		unsigned int n = PAGE_SIZE - (unsigned int)(la & (PAGE_SIZE - 1));
		int err;

		if (n > WINDOW - w->readable)
			n = WINDOW - w->readable;
		if (!insn_canonical(ctx, la))
			break;
		err = env->read(env->opaque, la, a->window + w->off +
				w->readable, n, access);
		if (err) {
			if (w->readable == 0)
				return insn_env_error(ctx, err, la, access);
			break;
		}
		w->readable += n;
		la += n;
	}
	memcpy(w->orig, a->window + w->off, WINDOW);
	return INSN_DONE;
}

/* Writes back the bytes the instruction changed, in runs. */
static enum insn_result store_window(struct insn_ctx *ctx,
				     struct simd_area *a,
				     const struct window *w)
{
	const uint8_t *now = a->window + w->off;
	unsigned int i = 0, j;
	enum insn_result r;

	/* Bytes before or after the 64 copied are never an operand's. */
	for (i = 0; i < w->off; i++)
		if (a->window[i])
			return INSN_UNSUPPORTED;
	for (i = w->off + WINDOW; i < sizeof(a->window); i++)
		if (a->window[i])
			return INSN_UNSUPPORTED;
	for (i = 0; i < WINDOW; i = j) {
		if (now[i] == w->orig[i]) {
			j = i + 1;
			continue;
		}
		for (j = i; j < WINDOW && now[j] != w->orig[j]; j++)
			;
		if (j > w->readable) {
			/* The store reaches a page that could not be read. */
			uint64_t la = w->la + (i > w->readable ? i : w->readable);

			return insn_env_error(ctx, -EFAULT, la,
					      insn_access(ctx, true));
		}
		r = insn_write(ctx, w->la + i, now + i, j - i);
		if (r)
			return r;
	}
	return INSN_DONE;
}

static enum insn_result fault_for_signal(struct insn_ctx *ctx, int sig)
{
	switch (sig) {
	case SIGILL:
		return insn_ud(ctx);
	case SIGFPE:
		if (ctx->insn->op == X86_OP_X87)
			return insn_fault(ctx, X86_EXC_MF, false, 0);
		if (ctx->cpu->cr4 & X86_CR4_OSXMMEXCPT_BIT)
			return insn_fault(ctx, X86_EXC_XM, false, 0);
		return insn_ud(ctx);
	default:
		return insn_gp0(ctx);
	}
}

static enum insn_result load_xstate(struct insn_ctx *ctx,
				    struct simd_area *a, uint64_t *mask)
{
	const struct insn_env *env = ctx->env;
	uint64_t xcr0, bv;
	uint32_t mxcsr;
	enum insn_result r;

	if (!env->get_xsave || !env->set_xsave || !env->get_xcr0)
		return INSN_UNSUPPORTED;
	if (env->get_xcr0(env->opaque, &xcr0) < 0)
		return INSN_UNSUPPORTED;
	r = check_state(ctx, xcr0);
	if (r)
		return r;
	/* x87 and SSE state exist whatever XCR0 says (legacy FXSAVE area). */
	*mask = (xcr0 | 3) & SIMD_XFEATURES;
	if (*mask & ~host_xcr0())
		return INSN_UNSUPPORTED;
	if (env->get_xsave(env->opaque, a->guest_xsave) < 0)
		return INSN_UNSUPPORTED;
	/* What xrstor would refuse: reserved header bytes, MXCSR bits. */
	memcpy(&bv, a->guest_xsave + 512, 8);
	bv &= *mask;
	memcpy(a->guest_xsave + 512, &bv, 8);
	memset(a->guest_xsave + 520, 0, 56);
	memcpy(&mxcsr, a->guest_xsave + 24, 4);
	if (mxcsr & ~host_mxcsr_mask())
		return INSN_UNSUPPORTED;
	return INSN_DONE;
}

enum insn_result op_simd(struct insn_ctx *ctx)
{
	const struct x86_insn *in = ctx->insn;
	struct x86_cpu_state *cpu = ctx->cpu;
	struct simd_area *a;
	struct window w = { 0 };
	uint64_t mask, target = 0;
	enum insn_result r;
	unsigned int gpr;
	int sig;

	if (!ctx->env->host_simd || ctx->mode != 64 || denied(in))
		return INSN_UNSUPPORTED;
	/* RSP stays the host's in the stub: never let it be an operand. */
	gpr = gpr_fields(in);
	if (((gpr & GPR_REG) && in->reg == 4) ||
	    ((gpr & GPR_VVVV) && vvvv(in) == 4) ||
	    ((gpr & GPR_RM) && in->has_modrm && !in->has_mem && in->rm == 4))
		return INSN_UNSUPPORTED;
	a = get_area();
	if (!a)
		return INSN_UNSUPPORTED;
	r = load_xstate(ctx, a, &mask);
	if (r)
		return r;
	if (in->has_mem) {
		r = load_window(ctx, a, &w);
		if (r)
			return r;
		target = (uint64_t)(uintptr_t)(a->window + w.off);
	}
	if (!build_stub(a, in, target, mask))
		return INSN_UNSUPPORTED;
	memcpy(a->gpr, cpu->gpr, sizeof(a->gpr));
	a->rflags_in = (cpu->rflags & ARITH_FLAGS) | X86_RFLAGS_FIXED;
	sig = run_stub(a, mask);
	if (sig)
		return fault_for_signal(ctx, sig);
	if (in->has_mem) {
		r = store_window(ctx, a, &w);
		if (r)
			return r;
	}
	if (ctx->env->set_xsave(ctx->env->opaque, a->guest_xsave) < 0)
		return INSN_UNSUPPORTED;
	/* The instruction wrote RSP only if it moved from the host's. */
	if (a->gpr[R_RSP] == a->host_rsp)
		a->gpr[R_RSP] = cpu->gpr[R_RSP];
	memcpy(cpu->gpr, a->gpr, sizeof(cpu->gpr));
	insn_set_flags(ctx, ARITH_FLAGS, a->rflags_out);
	return INSN_DONE;
}

#else

enum insn_result op_simd(struct insn_ctx *ctx)
{
	(void)ctx;
	return INSN_UNSUPPORTED;
}

#endif
