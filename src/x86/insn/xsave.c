// SPDX-License-Identifier: MIT
/*
 * The XSAVE feature set on guest memory: xgetbv, xsetbv, xsave, xsaveopt,
 * xsavec, xsaves, xrstor and xrstors (Intel SDM vol. 1 ch. 13).
 *
 * The processor state lives in the caller's 4096-byte KVM_GET_XSAVE image
 * (standard format, legacy region in the 64-bit layout); XINUSE is its
 * XSTATE_BV.  Component sizes and offsets come from CPUID leaf 0xd.
 *
 * Restores read everything first, validate, and then replace the state in
 * one set_xsave call, so a fault changes nothing.  Saves may have written
 * part of the area when a later page faults, which is harmless: the guest
 * repeats the instruction after its #PF handler.
 *
 * Supervisor components (IA32_XSS) are not in the KVM image, so xsaves or
 * xrstors that would touch one is INSN_UNSUPPORTED.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "x86/insn/exec.h"

#define XSAVE_KVM_SIZE 4096u
#define XSAVE_AREA_MAX 8192u		/* biggest guest area we handle */
#define XSAVE_HDR 512u
#define XSAVE_EXT 576u
#define XSAVE_MXCSR 24u
#define XSAVE_XMM 160u
#define XSAVE_NR 64

#define XCOMP_COMPACTED (1ULL << 63)
#define XFEATURE_FP (1ULL << 0)
#define XFEATURE_SSE (1ULL << 1)
#define XFEATURE_YMM (1ULL << 2)
#define XFEATURE_BNDREGS (1ULL << 3)
#define XFEATURE_BNDCSR (1ULL << 4)
#define XFEATURE_AVX512 (7ULL << 5)
#define XFEATURE_AMX (3ULL << 17)

#define MSR_IA32_XSS 0xda0
#define MXCSR_DEFAULT 0x1f80u
#define MXCSR_MASK_DEFAULT 0xffbfu
#define FCW_DEFAULT 0x037fu

struct xsave_layout {
	uint64_t user;			/* XCR0 bits the CPU supports */
	uint64_t supervisor;		/* IA32_XSS bits the CPU supports */
	uint64_t align64;		/* 64-byte aligned when compacted */
	uint32_t size[XSAVE_NR];
	uint32_t offset[XSAVE_NR];	/* standard format */
};

/* One instruction's view of the XSAVE state. */
struct xsave_state {
	struct xsave_layout layout;
	uint8_t kvm[XSAVE_KVM_SIZE];	/* the processor state */
	uint64_t xcr0;
	uint64_t xss;
	uint64_t xinuse;
	bool fmt64;			/* x87 IP/DP in the 64-bit layout */
	bool mode64;
};

/* The part of the guest area an instruction touches. */
struct xsave_area {
	uint8_t buf[XSAVE_AREA_MAX];
	uint32_t extent;		/* bytes from the area's start */
	unsigned int nr;
	struct {
		uint32_t off, len;
	} range[XSAVE_NR + 4];
};

/* ---- Layout from CPUID leaf 0xd ------------------------------------------ */

static void layout_from_cpuid(const struct insn_env *env,
			      struct xsave_layout *l)
{
	uint32_t r[4];
	unsigned int i;

	memset(l, 0, sizeof(*l));
	insn_cpuid(env, 0xd, 0, r);
	l->user = r[0] | ((uint64_t)r[3] << 32);
	insn_cpuid(env, 0xd, 1, r);
	l->supervisor = r[2] | ((uint64_t)r[3] << 32);
	for (i = 2; i < XSAVE_NR - 1; i++) {
		if (!(((l->user | l->supervisor) >> i) & 1))
			continue;
		insn_cpuid(env, 0xd, i, r);
		l->size[i] = r[0];
		l->offset[i] = r[1];
		if (r[2] & 2)
			l->align64 |= 1ULL << i;
	}
}

static struct xsave_layout host_layout;
static pthread_once_t host_layout_once = PTHREAD_ONCE_INIT;

static void host_layout_init(void)
{
	static const struct insn_env host_env;

	layout_from_cpuid(&host_env, &host_layout);
}

static void get_layout(const struct insn_env *env, struct xsave_layout *l)
{
	/* The host's CPUID does not change: ask it once. */
	if (!env->cpuid) {
		pthread_once(&host_layout_once, host_layout_init);
		*l = host_layout;
		return;
	}
	layout_from_cpuid(env, l);
}

/* ---- Little helpers ------------------------------------------------------ */

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static bool bit(uint64_t map, unsigned int i)
{
	return (map >> i) & 1;
}

static uint64_t edx_eax(const struct x86_cpu_state *cpu)
{
	return (cpu->gpr[R_RAX] & 0xffffffffu) | (cpu->gpr[R_RDX] << 32);
}

static uint32_t mxcsr_mask(const struct xsave_state *s)
{
	uint32_t mask = get32(s->kvm + XSAVE_MXCSR + 4);

	return mask ? mask : MXCSR_MASK_DEFAULT;
}

/* Full size of component i (0 and 1 live in the legacy region). */
static uint32_t comp_size(const struct xsave_state *s, unsigned int i)
{
	if (i == 1)
		return 256;	/* XMM0-15 */
	return s->layout.size[i];
}

/*
 * Bytes of component i the current mode reaches: outside 64-bit mode only
 * the first 8 vector registers exist (XMM0-7, YMM0-7, ZMM0-7 upper halves)
 * and ZMM16-31 not at all.
 */
static uint32_t comp_span(const struct xsave_state *s, unsigned int i)
{
	if (s->mode64)
		return comp_size(s, i);
	switch (i) {
	case 1: case 2:
		return 128;
	case 6:
		return 256;
	case 7:
		return 0;
	default:
		return comp_size(s, i);
	}
}

static uint32_t compacted_offset(const struct xsave_state *s, uint64_t xcomp,
				 unsigned int idx)
{
	uint32_t off = XSAVE_EXT;
	unsigned int i;

	for (i = 2; i < idx; i++) {
		if (!bit(xcomp, i))
			continue;
		if (bit(s->layout.align64, i))
			off = (off + 63) & ~63u;
		off += s->layout.size[i];
	}
	if (bit(s->layout.align64, idx))
		off = (off + 63) & ~63u;
	return off;
}

static void area_add(struct xsave_area *a, uint32_t off, uint32_t len)
{
	if (!len)
		return;
	a->range[a->nr].off = off;
	a->range[a->nr].len = len;
	a->nr++;
	if (off + len > a->extent)
		a->extent = off + len;
}

/* ---- Checks and state ---------------------------------------------------- */

/* #UD, #NM and privilege checks shared by the save/restore instructions. */
static enum insn_result xsave_checks(struct insn_ctx *ctx,
				     enum insn_feature feat, bool supervisor)
{
	if (!insn_has_feature(ctx, FEAT_XSAVE) ||
	    !(ctx->cpu->cr4 & X86_CR4_OSXSAVE))
		return insn_ud(ctx);
	if (feat != FEAT_XSAVE && !insn_has_feature(ctx, feat))
		return insn_ud(ctx);
	if (ctx->cpu->cr0 & X86_CR0_TS)
		return insn_fault(ctx, X86_EXC_NM, false, 0);
	if (supervisor && ctx->cpl > 0)
		return insn_gp0(ctx);
	return INSN_DONE;
}

static enum insn_result load_state(struct insn_ctx *ctx,
				   struct xsave_state *s, bool supervisor)
{
	const struct insn_env *env = ctx->env;

	if (!env->get_xsave || !env->get_xcr0)
		return INSN_UNSUPPORTED;
	get_layout(env, &s->layout);
	if (env->get_xcr0(env->opaque, &s->xcr0) < 0)
		return INSN_UNSUPPORTED;
	s->xss = 0;
	if (supervisor && env->get_msr &&
	    env->get_msr(env->opaque, MSR_IA32_XSS, &s->xss) < 0)
		return INSN_UNSUPPORTED;
	if (env->get_xsave(env->opaque, s->kvm) < 0)
		return INSN_UNSUPPORTED;
	s->xinuse = get64(s->kvm + XSAVE_HDR) & s->xcr0;
	/*
	 * MXCSR counts as SSE state for the compacted forms, which init it
	 * when XSTATE_BV[1] is clear: a non-default MXCSR is in use.
	 */
	if (get32(s->kvm + XSAVE_MXCSR) != MXCSR_DEFAULT)
		s->xinuse |= XFEATURE_SSE;
	s->fmt64 = ctx->insn->opsize == 8;
	s->mode64 = ctx->mode == 64;
	return INSN_DONE;
}

/*
 * Components in rfbm must be ones this code can move: user components whose
 * data is inside the KVM image.
 */
static bool rfbm_supported(const struct xsave_state *s, uint64_t rfbm)
{
	unsigned int i;

	if (rfbm & ~s->layout.user)
		return false;
	for (i = 2; i < XSAVE_NR; i++) {
		if (!bit(rfbm, i))
			continue;
		if (!s->layout.size[i] || s->layout.offset[i] < XSAVE_EXT ||
		    s->layout.offset[i] + s->layout.size[i] > XSAVE_KVM_SIZE)
			return false;
	}
	return true;
}

/* ---- x87 legacy region --------------------------------------------------- */

/* To guest memory, from the KVM image (always in the 64-bit layout). */
static void x87_to_area(const uint8_t *kvm, uint8_t *mem, bool fmt64)
{
	memcpy(mem, kvm, 8);			/* FCW FSW FTW - FOP */
	if (fmt64) {
		memcpy(mem + 8, kvm + 8, 16);	/* FIP, FDP */
	} else {
		/* FIP, FCS, FDP, FDS: selectors are not kept, write 0. */
		memcpy(mem + 8, kvm + 8, 4);
		memset(mem + 12, 0, 4);
		memcpy(mem + 16, kvm + 16, 4);
		memset(mem + 20, 0, 4);
	}
	memcpy(mem + 32, kvm + 32, 128);	/* ST0-7 */
}

static void x87_from_area(uint8_t *kvm, const uint8_t *mem, bool fmt64)
{
	memcpy(kvm, mem, 8);
	if (fmt64) {
		memcpy(kvm + 8, mem + 8, 16);
	} else {
		put64(kvm + 8, get32(mem + 8));
		put64(kvm + 16, get32(mem + 16));
	}
	memcpy(kvm + 32, mem + 32, 128);
}

static void x87_init(uint8_t *x87)
{
	memset(x87, 0, 24);
	memset(x87 + 32, 0, 128);
	x87[0] = FCW_DEFAULT & 0xff;
	x87[1] = FCW_DEFAULT >> 8;
}

/* ---- xgetbv, xsetbv ------------------------------------------------------ */

enum insn_result op_xgetbv(struct insn_ctx *ctx)
{
	struct x86_cpu_state *cpu = ctx->cpu;
	const struct insn_env *env = ctx->env;
	uint32_t ecx = (uint32_t)cpu->gpr[R_RCX];
	struct xsave_state *s;
	enum insn_result r;
	uint64_t val;

	if (!insn_has_feature(ctx, FEAT_XSAVE) ||
	    !(cpu->cr4 & X86_CR4_OSXSAVE))
		return insn_ud(ctx);
	if (ecx > 1 || (ecx == 1 && !insn_has_feature(ctx, FEAT_XGETBV1)))
		return insn_gp0(ctx);
	if (ecx == 0) {
		if (!env->get_xcr0 || env->get_xcr0(env->opaque, &val) < 0)
			return INSN_UNSUPPORTED;
	} else {
		/* XINUSE & XCR0: the in-use bits of the saved image. */
		s = malloc(sizeof(*s));
		if (!s)
			return INSN_UNSUPPORTED;
		r = load_state(ctx, s, false);
		val = s->xinuse & s->xcr0;
		free(s);
		if (r)
			return r;
	}
	insn_gpr_write(ctx, R_RAX, 4, val);
	insn_gpr_write(ctx, R_RDX, 4, val >> 32);
	return INSN_DONE;
}

static bool xcr0_valid(uint64_t val, uint64_t supported)
{
	if (!(val & XFEATURE_FP) || (val & ~supported))
		return false;
	if ((val & XFEATURE_YMM) && !(val & XFEATURE_SSE))
		return false;
	if (!!(val & XFEATURE_BNDREGS) != !!(val & XFEATURE_BNDCSR))
		return false;
	if ((val & XFEATURE_AVX512) &&
	    ((val & XFEATURE_AVX512) != XFEATURE_AVX512 ||
	     !(val & XFEATURE_YMM)))
		return false;
	if ((val & XFEATURE_AMX) && (val & XFEATURE_AMX) != XFEATURE_AMX)
		return false;
	return true;
}

enum insn_result op_xsetbv(struct insn_ctx *ctx)
{
	const struct x86_cpu_state *cpu = ctx->cpu;
	const struct insn_env *env = ctx->env;
	struct xsave_layout l;
	uint64_t val = edx_eax(cpu);
	int err;

	if (!insn_has_feature(ctx, FEAT_XSAVE) ||
	    !(cpu->cr4 & X86_CR4_OSXSAVE))
		return insn_ud(ctx);
	if (ctx->cpl > 0 || (uint32_t)cpu->gpr[R_RCX] != 0)
		return insn_gp0(ctx);
	get_layout(env, &l);
	if (!xcr0_valid(val, l.user))
		return insn_gp0(ctx);
	if (!env->set_xcr0)
		return INSN_UNSUPPORTED;
	err = env->set_xcr0(env->opaque, val);
	if (err == -EINVAL)
		return insn_gp0(ctx);
	if (err < 0)
		return INSN_UNSUPPORTED;
	return INSN_DONE;
}

/* ---- Saves --------------------------------------------------------------- */

enum xsave_kind { XS_STANDARD, XS_OPT, XS_COMPACTED, XS_SUPERVISOR };

/* Lays out what the save writes into a->buf, and where. */
static void build_save(const struct xsave_state *s, struct xsave_area *a,
		       uint64_t rfbm, enum xsave_kind kind)
{
	bool compacted = kind == XS_COMPACTED || kind == XS_SUPERVISOR;
	/* XSAVEOPT/C/S skip components in their initial state. */
	uint64_t save = kind == XS_STANDARD ? rfbm : rfbm & s->xinuse;
	unsigned int i;

	if (bit(save, 0)) {
		if (bit(s->xinuse, 0)) {
			x87_to_area(s->kvm, a->buf, s->fmt64);
		} else {
			x87_init(a->buf);
		}
		area_add(a, 0, 24);
		area_add(a, 32, 128);
	}
	/* MXCSR goes with SSE, and for the standard form with AVX too. */
	if (rfbm & (compacted ? XFEATURE_SSE : XFEATURE_SSE | XFEATURE_YMM)) {
		put32(a->buf + XSAVE_MXCSR, get32(s->kvm + XSAVE_MXCSR));
		put32(a->buf + XSAVE_MXCSR + 4, mxcsr_mask(s));
		area_add(a, XSAVE_MXCSR, 8);
	}
	if (bit(save, 1)) {
		if (bit(s->xinuse, 1))
			memcpy(a->buf + XSAVE_XMM, s->kvm + XSAVE_XMM,
			       comp_span(s, 1));
		else
			memset(a->buf + XSAVE_XMM, 0, comp_span(s, 1));
		area_add(a, XSAVE_XMM, comp_span(s, 1));
	}
	for (i = 2; i < XSAVE_NR; i++) {
		uint32_t off, span = comp_span(s, i);

		if (!bit(save, i))
			continue;
		off = compacted ? compacted_offset(s, rfbm, i) :
				  s->layout.offset[i];
		if (bit(s->xinuse, i))
			memcpy(a->buf + off, s->kvm + s->layout.offset[i],
			       span);
		else
			memset(a->buf + off, 0, span);
		area_add(a, off, span);
	}
}

static uint32_t area_end(const struct xsave_state *s, uint64_t rfbm,
			 uint64_t xcomp, bool compacted)
{
	uint32_t end = XSAVE_EXT, e;
	unsigned int i;

	for (i = 2; i < XSAVE_NR; i++) {
		if (!bit(rfbm, i))
			continue;
		e = (compacted ? compacted_offset(s, xcomp, i) :
			       s->layout.offset[i]) + comp_span(s, i);
		if (e > end)
			end = e;
	}
	return end;
}

static enum insn_result do_save(struct insn_ctx *ctx, struct xsave_state *s,
				struct xsave_area *a, enum xsave_kind kind)
{
	bool compacted = kind == XS_COMPACTED || kind == XS_SUPERVISOR;
	uint64_t rfbm, la, bv;
	enum insn_result r;
	unsigned int i;

	r = load_state(ctx, s, kind == XS_SUPERVISOR);
	if (r)
		return r;
	rfbm = (s->xcr0 | s->xss) & edx_eax(ctx->cpu);
	if (!rfbm_supported(s, rfbm))
		return INSN_UNSUPPORTED;
	if (area_end(s, rfbm, rfbm, compacted) > XSAVE_AREA_MAX)
		return INSN_UNSUPPORTED;

	build_save(s, a, rfbm, kind);
	area_add(a, XSAVE_HDR, compacted ? 16 : 8);
	r = insn_mem_addr(ctx, a->extent, true, &la);
	if (r)
		return r;
	if (la & 63)
		return insn_gp0(ctx);

	if (compacted) {
		put64(a->buf + XSAVE_HDR, rfbm & s->xinuse);
		put64(a->buf + XSAVE_HDR + 8, rfbm | XCOMP_COMPACTED);
	} else {
		/* The standard forms update only XSTATE_BV[rfbm]. */
		r = insn_read_rmw(ctx, la + XSAVE_HDR, a->buf + XSAVE_HDR, 8);
		if (r)
			return r;
		bv = get64(a->buf + XSAVE_HDR);
		put64(a->buf + XSAVE_HDR, (bv & ~rfbm) | (s->xinuse & rfbm));
	}
	for (i = 0; i < a->nr; i++) {
		r = insn_write(ctx, la + a->range[i].off,
			       a->buf + a->range[i].off, a->range[i].len);
		if (r)
			return r;
	}
	return INSN_DONE;
}

enum insn_result op_xsave(struct insn_ctx *ctx)
{
	enum xsave_kind kind;
	enum insn_feature feat;
	struct xsave_state *s;
	struct xsave_area *a;
	enum insn_result r;

	switch (ctx->insn->op) {
	case X86_OP_XSAVEOPT:
		kind = XS_OPT;
		feat = FEAT_XSAVEOPT;
		break;
	case X86_OP_XSAVEC:
		kind = XS_COMPACTED;
		feat = FEAT_XSAVEC;
		break;
	case X86_OP_XSAVES:
		kind = XS_SUPERVISOR;
		feat = FEAT_XSAVES;
		break;
	default:
		kind = XS_STANDARD;
		feat = FEAT_XSAVE;
		break;
	}
	r = xsave_checks(ctx, feat, kind == XS_SUPERVISOR);
	if (r)
		return r;
	s = calloc(1, sizeof(*s));
	a = calloc(1, sizeof(*a));
	if (s && a)
		r = do_save(ctx, s, a, kind);
	else
		r = INSN_UNSUPPORTED;
	free(s);
	free(a);
	return r;
}

/* ---- Restores ------------------------------------------------------------ */

/* The header checks of SDM 13.8 (XRSTOR) and 13.12 (XRSTORS). */
static enum insn_result check_header(struct insn_ctx *ctx,
				     const struct xsave_state *s,
				     const uint8_t *hdr, bool supervisor)
{
	uint64_t bv = get64(hdr), xcomp = get64(hdr + 8);
	unsigned int i;

	if (!(xcomp & XCOMP_COMPACTED)) {
		if (supervisor || (bv & ~s->xcr0))
			return insn_gp0(ctx);
		for (i = 8; i < 24; i++)
			if (hdr[i])
				return insn_gp0(ctx);
		return INSN_DONE;
	}
	if (!supervisor && !insn_has_feature(ctx, FEAT_XSAVEC))
		return insn_gp0(ctx);
	xcomp &= ~XCOMP_COMPACTED;
	if (xcomp & ~(s->xcr0 | (supervisor ? s->xss : 0)))
		return insn_gp0(ctx);
	if (bv & ~xcomp)
		return insn_gp0(ctx);
	for (i = 16; i < 64; i++)
		if (hdr[i])
			return insn_gp0(ctx);
	return INSN_DONE;
}

/* Which parts of the area the restore reads. */
static void plan_restore(const struct xsave_state *s, struct xsave_area *a,
			 uint64_t rfbm, uint64_t load, uint64_t xcomp)
{
	bool compacted = xcomp & XCOMP_COMPACTED;
	unsigned int i;

	if (bit(load, 0)) {
		area_add(a, 0, 24);
		area_add(a, 32, 128);
	}
	if (compacted ? bit(load, 1) : (rfbm & (XFEATURE_SSE | XFEATURE_YMM)))
		area_add(a, XSAVE_MXCSR, 4);
	if (bit(load, 1))
		area_add(a, XSAVE_XMM, comp_span(s, 1));
	for (i = 2; i < XSAVE_NR; i++) {
		if (!bit(load, i))
			continue;
		area_add(a, compacted ? compacted_offset(s, xcomp, i) :
					s->layout.offset[i], comp_span(s, i));
	}
}

/* Component i becomes the area's copy (src) or, if NULL, its init state. */
static void restore_component(struct xsave_state *s, const uint8_t *src,
			      unsigned int i, uint64_t *bv)
{
	uint32_t span = comp_span(s, i);
	uint8_t *dst = s->kvm + (i == 1 ? XSAVE_XMM : s->layout.offset[i]);

	if (src) {
		memcpy(dst, src, span);
		*bv |= 1ULL << i;
		return;
	}
	memset(dst, 0, span);
	/* A partly reachable component stays in use if it was. */
	if (span == comp_size(s, i))
		*bv &= ~(1ULL << i);
}

/* What a restore loads, decided from the header and EDX:EAX. */
struct xrstor_plan {
	uint64_t rfbm;		/* requested components */
	uint64_t load;		/* ... whose data comes from the area */
	uint64_t xcomp;		/* XCOMP_BV (bit 63: compacted form) */
	bool new_mxcsr;
	uint32_t mxcsr;
};

/* Reads and checks everything the restore needs; changes nothing. */
static enum insn_result read_restore(struct insn_ctx *ctx,
				     struct xsave_state *s,
				     struct xsave_area *a, bool supervisor,
				     struct xrstor_plan *p)
{
	bool compacted;
	enum insn_result r;
	unsigned int i;
	uint64_t la;

	r = insn_mem_addr(ctx, XSAVE_EXT, false, &la);
	if (r)
		return r;
	if (la & 63)
		return insn_gp0(ctx);
	r = insn_read(ctx, la + XSAVE_HDR, a->buf + XSAVE_HDR, 64);
	if (r)
		return r;
	r = check_header(ctx, s, a->buf + XSAVE_HDR, supervisor);
	if (r)
		return r;

	p->xcomp = get64(a->buf + XSAVE_HDR + 8);
	compacted = p->xcomp & XCOMP_COMPACTED;
	p->rfbm = (s->xcr0 | s->xss) & edx_eax(ctx->cpu);
	p->load = p->rfbm & get64(a->buf + XSAVE_HDR);
	if (!rfbm_supported(s, p->rfbm) ||
	    area_end(s, p->load, p->xcomp, compacted) > XSAVE_AREA_MAX)
		return INSN_UNSUPPORTED;

	plan_restore(s, a, p->rfbm, p->load, p->xcomp);
	r = insn_mem_addr(ctx, a->extent > XSAVE_EXT ? a->extent : XSAVE_EXT,
			  false, &la);
	if (r)
		return r;
	for (i = 0; i < a->nr; i++) {
		r = insn_read(ctx, la + a->range[i].off,
			      a->buf + a->range[i].off, a->range[i].len);
		if (r)
			return r;
	}

	/*
	 * MXCSR: the standard form loads it whenever SSE or AVX is requested;
	 * the compacted form loads it with SSE data, or resets it.
	 */
	if (compacted ? bit(p->load, 1) :
	    (p->rfbm & (XFEATURE_SSE | XFEATURE_YMM)) != 0) {
		p->mxcsr = get32(a->buf + XSAVE_MXCSR);
		p->new_mxcsr = true;
	} else if (compacted && bit(p->rfbm, 1)) {
		p->mxcsr = MXCSR_DEFAULT;
		p->new_mxcsr = true;
	}
	if (p->new_mxcsr && (p->mxcsr & ~mxcsr_mask(s)))
		return insn_gp0(ctx);
	return INSN_DONE;
}

/* Builds the new processor state from a checked area and installs it. */
static enum insn_result apply_restore(struct insn_ctx *ctx,
				      struct xsave_state *s,
				      const struct xsave_area *a,
				      const struct xrstor_plan *p)
{
	uint64_t bv = get64(s->kvm + XSAVE_HDR);
	bool compacted = p->xcomp & XCOMP_COMPACTED;
	unsigned int i;

	if (bit(p->rfbm, 0)) {
		if (bit(p->load, 0))
			x87_from_area(s->kvm, a->buf, s->fmt64);
		else
			x87_init(s->kvm);
		bv = bit(p->load, 0) ? bv | XFEATURE_FP : bv & ~XFEATURE_FP;
	}
	for (i = 1; i < XSAVE_NR; i++) {
		uint32_t off;

		if (!bit(p->rfbm, i))
			continue;
		if (!bit(p->load, i)) {
			restore_component(s, NULL, i, &bv);
			continue;
		}
		off = i == 1 ? XSAVE_XMM :
		      compacted ? compacted_offset(s, p->xcomp, i) :
		      s->layout.offset[i];
		restore_component(s, a->buf + off, i, &bv);
	}
	if (p->new_mxcsr)
		put32(s->kvm + XSAVE_MXCSR, p->mxcsr);
	/*
	 * KVM restores with the compacted form, which resets MXCSR unless
	 * SSE is marked in use: keep a non-default MXCSR alive.
	 */
	if (get32(s->kvm + XSAVE_MXCSR) != MXCSR_DEFAULT)
		bv |= XFEATURE_SSE;
	put64(s->kvm + XSAVE_HDR, bv);
	if (!ctx->env->set_xsave ||
	    ctx->env->set_xsave(ctx->env->opaque, s->kvm) < 0)
		return INSN_UNSUPPORTED;
	return INSN_DONE;
}

static enum insn_result do_restore(struct insn_ctx *ctx,
				   struct xsave_state *s,
				   struct xsave_area *a, bool supervisor)
{
	struct xrstor_plan plan = { 0 };
	enum insn_result r;

	r = load_state(ctx, s, supervisor);
	if (r)
		return r;
	r = read_restore(ctx, s, a, supervisor, &plan);
	if (r)
		return r;
	return apply_restore(ctx, s, a, &plan);
}

enum insn_result op_xrstor(struct insn_ctx *ctx)
{
	bool supervisor = ctx->insn->op == X86_OP_XRSTORS;
	struct xsave_state *s;
	struct xsave_area *a;
	enum insn_result r;

	r = xsave_checks(ctx, supervisor ? FEAT_XSAVES : FEAT_XSAVE,
			 supervisor);
	if (r)
		return r;
	s = calloc(1, sizeof(*s));
	a = calloc(1, sizeof(*a));
	if (s && a)
		r = do_restore(ctx, s, a, supervisor);
	else
		r = INSN_UNSUPPORTED;
	free(s);
	free(a);
	return r;
}
