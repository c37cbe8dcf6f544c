// SPDX-License-Identifier: MIT
/*
 * The x86 executor over a fake struct insn_env: a 64 KiB byte array as
 * linearly addressed memory (pages can be absent, read-only, supervisor or
 * "MMIO"), a fake KVM XSAVE image, XCR0, MSRs and a CPUID whose leaf 0xd
 * describes a made-up layout (so the tests do not depend on the host CPU,
 * and compaction alignment is exercised).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"
#include "x86/insn/insn.h"

#define MEM_SIZE (64 * 1024)
#define NPAGES (MEM_SIZE / 4096)
#define CODE 0x1000
#define DATA 0x3000
#define AREA 0x4000		/* an XSAVE area, 64-byte aligned */

enum page { PG_RW, PG_ABSENT, PG_RO, PG_SUPER, PG_MMIO };

struct fake {
	uint8_t mem[MEM_SIZE];
	uint8_t page[NPAGES];
	uint8_t xsave[4096];
	uint64_t xcr0;
	uint64_t xss;
	uint64_t tsc, tsc_aux, star;
	uint32_t feat1_ecx, feat1_edx, feat7_ebx, feat7_ecx, ext_ecx, ext_edx, xsave_d1;
	uint32_t ext8_ebx;
	int cross_page;		/* accesses that crossed a page: must be 0 */
	int set_xsave_calls, set_xcr0_calls, flush_calls;
	unsigned int flush_type;
	uint64_t flush_pcid, flush_la;
	bool refuse_xcr0;
};

static struct fake *F;

static int page_check(struct fake *f, uint64_t la, unsigned int len,
		      unsigned int access)
{
	enum page p;

	if (((la & 4095) + len) > 4096)
		f->cross_page++;
	if (la >= MEM_SIZE || la + len > MEM_SIZE)
		return -EFAULT;
	p = f->page[la / 4096];
	if (p == PG_ABSENT)
		return -EFAULT;
	if (p == PG_MMIO)
		return -EIO;
	if (p == PG_RO && (access & INSN_ACC_WRITE))
		return -EACCES;
	if (p == PG_SUPER && (access & INSN_ACC_USER))
		return -EACCES;
	return 0;
}

static int f_read(void *opaque, uint64_t la, void *buf, unsigned int len,
		  unsigned int access)
{
	struct fake *f = opaque;
	int err = page_check(f, la, len, access);

	if (!err)
		memcpy(buf, f->mem + la, len);
	return err;
}

static int f_write(void *opaque, uint64_t la, const void *buf,
		   unsigned int len, unsigned int access)
{
	struct fake *f = opaque;
	int err = page_check(f, la, len, access | INSN_ACC_WRITE);

	if (!err)
		memcpy(f->mem + la, buf, len);
	return err;
}

static int f_cmpxchg(void *opaque, uint64_t la, void *old,
		     const void *new_val, unsigned int len, unsigned int access)
{
	struct fake *f = opaque;
	int err = page_check(f, la, len, access | INSN_ACC_WRITE);

	if (err)
		return err;
	if (memcmp(f->mem + la, old, len) == 0) {
		memcpy(f->mem + la, new_val, len);
		return 1;
	}
	memcpy(old, f->mem + la, len);
	return 0;
}

static int f_get_xsave(void *opaque, void *buf)
{
	memcpy(buf, ((struct fake *)opaque)->xsave, 4096);
	return 0;
}

static int f_set_xsave(void *opaque, const void *buf)
{
	struct fake *f = opaque;

	memcpy(f->xsave, buf, 4096);
	f->set_xsave_calls++;
	return 0;
}

static int f_get_xcr0(void *opaque, uint64_t *xcr0)
{
	*xcr0 = ((struct fake *)opaque)->xcr0;
	return 0;
}

static int f_set_xcr0(void *opaque, uint64_t xcr0)
{
	struct fake *f = opaque;

	if (f->refuse_xcr0)
		return -EINVAL;
	f->xcr0 = xcr0;
	f->set_xcr0_calls++;
	return 0;
}

static int f_get_msr(void *opaque, uint32_t index, uint64_t *value)
{
	struct fake *f = opaque;

	switch (index) {
	case 0x10:
		*value = f->tsc;
		return 0;
	case 0xc0000103:
		*value = f->tsc_aux;
		return 0;
	case 0xda0:
		*value = f->xss;
		return 0;
	case 0xc0000081:
		*value = f->star;
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * Leaf 0xd of a made-up CPU: AVX 256@576, opmask-like 72@832 (an odd size,
 * so that the next aligned component moves), ZMM_Hi256 512@960, Hi16_ZMM
 * 1024@1472, PKRU 8@2496 (64-byte aligned when compacted), CET_U/CET_S as
 * supervisor components.
 */
static int f_cpuid(void *opaque, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	static const uint32_t comp[][4] = {
		[2] = { 256, 576, 0, 0 }, [5] = { 72, 832, 0, 0 },
		[6] = { 512, 960, 0, 0 }, [7] = { 1024, 1472, 0, 0 },
		[9] = { 8, 2496, 2, 0 }, [11] = { 16, 0, 1, 0 },
		[12] = { 24, 0, 1, 0 },
	};
	struct fake *f = opaque;

	memset(r, 0, 16);
	switch (leaf) {
	case 1:
		r[2] = f->feat1_ecx;
		r[3] = f->feat1_edx;
		break;
	case 7:
		r[1] = f->feat7_ebx;
		r[2] = f->feat7_ecx;
		break;
	case 0x80000001:
		r[2] = f->ext_ecx;
		r[3] = f->ext_edx;
		break;
	case 0x80000008:
		r[1] = f->ext8_ebx;
		break;
	case 0xd:
		if (sub == 0) {
			r[0] = 0x2e7;
			r[1] = r[2] = 2504;
		} else if (sub == 1) {
			r[0] = f->xsave_d1;
			r[2] = 0x1800;
		} else if (sub < sizeof(comp) / sizeof(comp[0])) {
			memcpy(r, comp[sub], 16);
		}
		break;
	}
	return 0;
}

static const struct insn_env env_full = {
	.read = f_read, .write = f_write, .cmpxchg = f_cmpxchg,
	.get_xsave = f_get_xsave, .set_xsave = f_set_xsave,
	.get_xcr0 = f_get_xcr0, .set_xcr0 = f_set_xcr0,
	.get_msr = f_get_msr, .cpuid = f_cpuid,
};

static int f_flush(void *opaque, unsigned int type, uint64_t pcid,
		   uint64_t la)
{
	struct fake *f = opaque;

	f->flush_calls++;
	f->flush_type = type;
	f->flush_pcid = pcid;
	f->flush_la = la;
	return 0;
}

static struct insn_env env;

static void reset(void)
{
	memset(F, 0, sizeof(*F));
	F->xcr0 = 0x2e7;
	F->feat1_ecx = (1u << 13) | (1u << 20) | (1u << 22) | (1u << 23) |
		       (1u << 26);
	F->feat1_edx = 1u << 26;
	F->feat7_ebx = (1u << 3) | (1u << 10);
	F->feat7_ecx = 1u << 22;
	F->ext_ecx = 1u << 5;
	F->ext_edx = 1u << 27;
	F->xsave_d1 = 0xf;
	env = env_full;
	env.opaque = F;
	env.flush_tlb = f_flush;
}

static void seg(struct x86_seg *s, uint8_t type, uint8_t dpl, bool l, bool db)
{
	memset(s, 0, sizeof(*s));
	s->limit = 0xffffffff;
	s->type = type;
	s->s = 1;
	s->dpl = dpl;
	s->present = 1;
	s->l = l;
	s->db = db;
	s->g = 1;
}

/* 64-bit mode, CPL 0, paging on, OSXSAVE. */
static void cpu64(struct x86_cpu_state *c)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->cr0 = X86_CR0_PE | X86_CR0_PG | X86_CR0_ET | X86_CR0_NE;
	c->cr4 = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXSAVE;
	c->efer = X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE | X86_EFER_SCE;
	c->rflags = X86_RFLAGS_FIXED;
	for (i = 0; i < X86_NR_SEGS; i++)
		seg(&c->seg[i], 3, 0, false, true);
	seg(&c->seg[S_CS], 0xb, 0, true, false);
	c->rip = CODE;
}

/* 32-bit protected mode, flat, CPL 0. */
static void cpu32(struct x86_cpu_state *c)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->cr0 = X86_CR0_PE | X86_CR0_PG | X86_CR0_ET;
	c->cr4 = X86_CR4_OSFXSR | X86_CR4_OSXSAVE;
	c->rflags = X86_RFLAGS_FIXED;
	for (i = 0; i < X86_NR_SEGS; i++)
		seg(&c->seg[i], 3, 0, false, true);
	seg(&c->seg[S_CS], 0xb, 0, false, true);
	c->rip = CODE;
}

static void user(struct x86_cpu_state *c)
{
	c->seg[S_CS].dpl = 3;
	c->seg[S_SS].dpl = 3;
}

static unsigned int put_code(uint64_t at, const char *hex)
{
	unsigned int n = 0;

	while (*hex) {
		char *end;
		unsigned long v = strtoul(hex, &end, 16);

		if (end == hex)
			break;
		F->mem[at + n++] = (uint8_t)v;
		hex = end;
	}
	return n;
}

static enum insn_result run(struct x86_cpu_state *c, const char *hex,
			    struct insn_exception *exc)
{
	struct x86_insn insn;

	put_code(c->rip + c->seg[S_CS].base, hex);
	return x86_insn_step(c, &env, exc, &insn);
}

static void put64(void *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static uint64_t get64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint32_t get32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

#define CHECK_FAULT(r, exc, vec, ec)					\
	do {								\
		CHECK_EQ(r, INSN_EXCEPTION);				\
		CHECK_EQ((exc).vector, vec);				\
		CHECK_EQ((exc).kind, INSN_EXC_FAULT);			\
		CHECK_EQ((exc).has_error_code, (ec) >= 0);		\
		if ((ec) >= 0)						\
			CHECK_EQ((exc).error_code, ec);			\
	} while (0)

/* ---- Software interrupts, #UD -------------------------------------------- */

static void test_int(void)
{
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;

	reset();
	cpu64(&c);
	c.gpr[R_RBX] = 0x1234;
	c.rflags |= 1ULL << 16;		/* RF */
	r = run(&c, "cc", &exc);
	CHECK_EQ(r, INSN_EXCEPTION);
	CHECK_EQ(exc.vector, 3);
	CHECK_EQ(exc.kind, INSN_EXC_SOFT_EXCEPTION);
	CHECK_EQ(exc.insn_len, 1);
	CHECK(!exc.has_error_code);
	CHECK_EQ(c.rip, CODE + 1);
	CHECK_EQ(c.gpr[R_RBX], 0x1234);
	CHECK(!(c.rflags & (1ULL << 16)));

	cpu64(&c);
	r = run(&c, "cd 80", &exc);
	CHECK_EQ(r, INSN_EXCEPTION);
	CHECK_EQ(exc.vector, 0x80);
	CHECK_EQ(exc.kind, INSN_EXC_SOFT_INTERRUPT);
	CHECK_EQ(c.rip, CODE + 2);

	cpu64(&c);
	r = run(&c, "f1", &exc);
	CHECK_EQ(r, INSN_EXCEPTION);
	CHECK_EQ(exc.vector, 1);
	CHECK_EQ(exc.kind, INSN_EXC_DEBUG_TRAP);
	CHECK_EQ(c.rip, CODE + 1);

	/* into: #UD in 64-bit mode; a trap only with OF=1 elsewhere. */
	cpu64(&c);
	c.rflags |= X86_RFLAGS_OF;
	r = run(&c, "ce", &exc);
	CHECK_FAULT(r, exc, 6, -1);
	CHECK_EQ(c.rip, CODE);
	cpu32(&c);
	r = run(&c, "ce", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.rip, CODE + 1);
	cpu32(&c);
	c.rflags |= X86_RFLAGS_OF;
	r = run(&c, "ce", &exc);
	CHECK_EQ(r, INSN_EXCEPTION);
	CHECK_EQ(exc.vector, 4);
	CHECK_EQ(exc.kind, INSN_EXC_SOFT_EXCEPTION);
	CHECK_EQ(c.rip, CODE + 1);

	/* Faults leave RIP at the instruction. */
	cpu64(&c);
	r = run(&c, "0f 0b", &exc);
	CHECK_FAULT(r, exc, 6, -1);
	CHECK_EQ(c.rip, CODE);
	CHECK_EQ(exc.insn_len, 2);
	cpu64(&c);
	r = run(&c, "0f b9 00", &exc);		/* ud1 */
	CHECK_FAULT(r, exc, 6, -1);
	cpu64(&c);
	r = run(&c, "06", &exc);		/* push es in 64-bit mode */
	CHECK_FAULT(r, exc, 6, -1);
	cpu64(&c);
	r = run(&c, "f0 cc", &exc);		/* lock int3 */
	CHECK_FAULT(r, exc, 6, -1);

	/* Real mode: 16-bit IP wraps, CS base applies. */
	memset(&c, 0, sizeof(c));
	c.rflags = X86_RFLAGS_FIXED;
	c.seg[S_CS].base = 0x2000;
	c.seg[S_CS].limit = 0xffff;
	c.seg[S_CS].present = 1;
	c.rip = 0x100;
	r = run(&c, "cd 10", &exc);
	CHECK_EQ(r, INSN_EXCEPTION);
	CHECK_EQ(exc.vector, 0x10);
	CHECK_EQ(c.rip, 0x102);

	/* vm86 with IOPL < 3: int n is #GP(0). */
	cpu32(&c);
	c.rflags |= 1ULL << 17;
	c.seg[S_CS].base = 0;
	c.seg[S_CS].limit = 0xffff;
	r = run(&c, "cd 21", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	CHECK_EQ(c.rip, CODE);
}

static void test_single_step_and_unsupported(void)
{
	struct x86_cpu_state c, before;
	struct insn_exception exc;
	enum insn_result r;

	/* A completed instruction with TF=1 reports the single-step trap. */
	reset();
	cpu64(&c);
	c.rflags |= X86_RFLAGS_TF;
	c.gpr[R_RDI] = DATA;
	put64(F->mem + DATA, 0x0102030405060708ULL);
	r = run(&c, "48 0f 38 f0 07", &exc);	/* movbe rax, [rdi] */
	CHECK_EQ(r, INSN_EXCEPTION);
	CHECK_EQ(exc.vector, 1);
	CHECK_EQ(exc.kind, INSN_EXC_DEBUG_TRAP);
	CHECK_EQ(exc.dr6, 1ULL << 14);
	CHECK_EQ(c.gpr[R_RAX], 0x0807060504030201ULL);
	CHECK_EQ(c.rip, CODE + 5);

	/* Anything else: unsupported, state untouched. */
	cpu64(&c);
	before = c;
	r = run(&c, "0f a2", &exc);		/* cpuid */
	CHECK_EQ(r, INSN_UNSUPPORTED);
	CHECK(memcmp(&c, &before, sizeof(c)) == 0);
	r = run(&c, "c5 f8 77", &exc);
	CHECK_EQ(r, INSN_UNSUPPORTED);
	r = run(&c, "48 89 c0", &exc);
	CHECK_EQ(r, INSN_UNSUPPORTED);
	CHECK(memcmp(&c, &before, sizeof(c)) == 0);
}

/* ---- Fetch --------------------------------------------------------------- */

static void test_fetch(void)
{
	struct x86_cpu_state c, before;
	struct insn_exception exc;
	struct x86_insn insn;
	enum insn_result r;

	/* The instruction at RIP is on an absent page. */
	reset();
	cpu64(&c);
	F->page[CODE / 4096] = PG_ABSENT;
	r = x86_insn_step(&c, &env, &exc, &insn);
	CHECK_FAULT(r, exc, 14, 0x10);		/* I/D with NXE */
	CHECK_EQ(exc.cr2, CODE);
	CHECK_EQ(insn.len, 0);

	/* It crosses into an absent page: #PF on that page. */
	reset();
	cpu64(&c);
	c.rip = 0x5ffd;
	put_code(0x5ffd, "48 0f ae");
	F->page[6] = PG_ABSENT;
	r = x86_insn_step(&c, &env, &exc, &insn);
	CHECK_FAULT(r, exc, 14, 0x10);
	CHECK_EQ(exc.cr2, 0x6000);
	CHECK_EQ(c.rip, 0x5ffd);

	/* It ends before the absent page: no fault from it. */
	reset();
	cpu64(&c);
	c.rip = 0x5fff;
	put_code(0x5fff, "cc");
	F->page[6] = PG_ABSENT;
	r = x86_insn_step(&c, &env, &exc, &insn);
	CHECK_EQ(r, INSN_EXCEPTION);
	CHECK_EQ(exc.vector, 3);
	CHECK_EQ(c.rip, 0x6000);
	CHECK_EQ(F->cross_page, 0);

	/* User-mode fetch from a supervisor page: P|U|I. */
	reset();
	cpu64(&c);
	user(&c);
	F->page[CODE / 4096] = PG_SUPER;
	r = x86_insn_step(&c, &env, &exc, &insn);
	CHECK_FAULT(r, exc, 14, 0x15);

	/* Without paging a failed access cannot become #PF. */
	reset();
	cpu32(&c);
	c.cr0 &= ~X86_CR0_PG;
	F->page[CODE / 4096] = PG_ABSENT;
	before = c;
	r = x86_insn_step(&c, &env, &exc, NULL);
	CHECK_EQ(r, INSN_UNSUPPORTED);
	CHECK(memcmp(&c, &before, sizeof(c)) == 0);

	/* Over the CS limit: #GP(0). */
	reset();
	cpu32(&c);
	c.seg[S_CS].limit = CODE + 1;
	r = run(&c, "0f 01 d0", &exc);		/* xgetbv, 3 bytes */
	CHECK_FAULT(r, exc, 13, 0);

	/* Longer than 15 bytes: #GP(0). */
	reset();
	cpu64(&c);
	r = run(&c, "66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 cc", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	CHECK_EQ(c.rip, CODE);
}

/* ---- cmpxchg8b/16b -------------------------------------------------------- */

static void test_cmpxchg(void)
{
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;

	/* Equal: swapped, ZF=1, registers unchanged. */
	reset();
	cpu64(&c);
	put64(F->mem + DATA, 0x1111);
	put64(F->mem + DATA + 8, 0x2222);
	c.gpr[R_RSI] = DATA;
	c.gpr[R_RAX] = 0x1111;
	c.gpr[R_RDX] = 0x2222;
	c.gpr[R_RBX] = 0x3333;
	c.gpr[R_RCX] = 0x4444;
	r = run(&c, "f0 48 0f c7 0e", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK(c.rflags & X86_RFLAGS_ZF);
	CHECK_EQ(get64(F->mem + DATA), 0x3333);
	CHECK_EQ(get64(F->mem + DATA + 8), 0x4444);
	CHECK_EQ(c.gpr[R_RAX], 0x1111);
	CHECK_EQ(c.gpr[R_RDX], 0x2222);
	CHECK_EQ(c.rip, CODE + 5);

	/* Not equal: memory kept, RDX:RAX loaded, ZF=0. */
	cpu64(&c);
	c.rflags |= X86_RFLAGS_ZF;
	c.gpr[R_RSI] = DATA;
	c.gpr[R_RAX] = 0x1111;
	c.gpr[R_RDX] = 0x2222;
	r = run(&c, "f0 48 0f c7 0e", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK(!(c.rflags & X86_RFLAGS_ZF));
	CHECK_EQ(c.gpr[R_RAX], 0x3333);
	CHECK_EQ(c.gpr[R_RDX], 0x4444);
	CHECK_EQ(get64(F->mem + DATA), 0x3333);

	/* Misaligned: #GP(0), nothing changed. */
	cpu64(&c);
	c.gpr[R_RSI] = DATA + 8;
	c.gpr[R_RAX] = 0x4444;
	r = run(&c, "f0 48 0f c7 0e", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	CHECK_EQ(c.rip, CODE);
	CHECK_EQ(c.gpr[R_RAX], 0x4444);

	/* Register form and missing CX16: #UD. */
	cpu64(&c);
	r = run(&c, "48 0f c7 c8", &exc);
	CHECK_FAULT(r, exc, 6, -1);
	cpu64(&c);
	c.gpr[R_RSI] = DATA;
	F->feat1_ecx &= ~(1u << 13);
	r = run(&c, "f0 48 0f c7 0e", &exc);
	CHECK_FAULT(r, exc, 6, -1);
	F->feat1_ecx |= 1u << 13;

	/* Faults: absent page (W), read-only page (P|W). */
	cpu64(&c);
	c.gpr[R_RSI] = 0x8000;
	F->page[8] = PG_ABSENT;
	r = run(&c, "f0 48 0f c7 0e", &exc);
	CHECK_FAULT(r, exc, 14, 0x2);
	CHECK_EQ(exc.cr2, 0x8000);
	F->page[8] = PG_RO;
	r = run(&c, "f0 48 0f c7 0e", &exc);
	CHECK_FAULT(r, exc, 14, 0x3);
	F->page[8] = PG_MMIO;
	r = run(&c, "f0 48 0f c7 0e", &exc);
	CHECK_EQ(r, INSN_UNSUPPORTED);

	/* cmpxchg8b: EDX:EAX; a failed compare zero-extends into RAX/RDX. */
	reset();
	cpu64(&c);
	put64(F->mem + DATA + 4, 0x8877665544332211ULL);
	c.gpr[R_RDI] = DATA + 4;		/* only 4-aligned: fine */
	c.gpr[R_RAX] = 0xffffffff00000000ULL;
	c.gpr[R_RDX] = 0xffffffff00000000ULL;
	r = run(&c, "0f c7 0f", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK(!(c.rflags & X86_RFLAGS_ZF));
	CHECK_EQ(c.gpr[R_RAX], 0x44332211);
	CHECK_EQ(c.gpr[R_RDX], 0x88776655);
	c.rip = CODE;
	c.gpr[R_RBX] = 0xaaaaaaaa;
	c.gpr[R_RCX] = 0xbbbbbbbb;
	r = run(&c, "0f c7 0f", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK(c.rflags & X86_RFLAGS_ZF);
	CHECK_EQ(get64(F->mem + DATA + 4), 0xbbbbbbbbaaaaaaaaULL);

	/* A cmpxchg8b split over two pages cannot be atomic: unsupported. */
	cpu64(&c);
	c.gpr[R_RDI] = 0x4ffc;
	r = run(&c, "f0 0f c7 0f", &exc);
	CHECK_EQ(r, INSN_UNSUPPORTED);
}

/* ---- movbe, crc32 --------------------------------------------------------- */

static void test_movbe_crc32(void)
{
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;

	reset();
	cpu64(&c);
	c.gpr[R_RDI] = DATA;
	put64(F->mem + DATA, 0x8877665544332211ULL);
	c.gpr[R_RAX] = 0xffffffffffffffffULL;
	r = run(&c, "0f 38 f0 07", &exc);		/* movbe eax, [rdi] */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_RAX], 0x11223344);
	c.rip = CODE;
	c.gpr[R_RAX] = 0xffffffffffff0000ULL;
	r = run(&c, "66 0f 38 f0 07", &exc);		/* movbe ax, [rdi] */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_RAX], 0xffffffffffff1122ULL);
	c.rip = CODE;
	c.gpr[R_R9] = 0x0102030405060708ULL;
	r = run(&c, "4c 0f 38 f1 4f 08", &exc);	/* movbe [rdi+8], r9 */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(get64(F->mem + DATA + 8), 0x0807060504030201ULL);
	CHECK_EQ(c.rip, CODE + 6);

	/* Across a page boundary: two env calls, one value. */
	c.rip = CODE;
	c.gpr[R_RDI] = 0x4ffe;
	put64(F->mem + 0x4ffe, 0x0000000044332211ULL);
	r = run(&c, "0f 38 f0 07", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_RAX], 0x11223344);
	CHECK_EQ(F->cross_page, 0);

	/* No register form (F0 C0 without F2), no MOVBE in CPUID: #UD. */
	c.rip = CODE;
	r = run(&c, "0f 38 f0 c0", &exc);
	CHECK_FAULT(r, exc, 6, -1);
	F->feat1_ecx &= ~(1u << 22);
	c.gpr[R_RDI] = DATA;
	r = run(&c, "0f 38 f0 07", &exc);
	CHECK_FAULT(r, exc, 6, -1);
	F->feat1_ecx |= 1u << 22;

	/* Read fault: absent page, P=0, cr2 exact. */
	c.gpr[R_RDI] = 0x8ffc;
	F->page[9] = PG_ABSENT;
	r = run(&c, "48 0f 38 f0 07", &exc);
	CHECK_FAULT(r, exc, 14, 0);
	CHECK_EQ(exc.cr2, 0x9000);

	/* crc32c("123456789") = 0xe3069283 with pre/post inversion. */
	reset();
	cpu64(&c);
	memcpy(F->mem + DATA, "123456789", 9);
	c.gpr[R_RDI] = DATA;
	c.gpr[R_RAX] = 0xffffffff;
	r = run(&c, "f2 48 0f 38 f1 07", &exc);	/* crc32 rax, [rdi] */
	CHECK_EQ(r, INSN_DONE);
	c.rip = CODE;
	r = run(&c, "f2 0f 38 f0 47 08", &exc);	/* crc32 eax, [rdi+8] */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(~c.gpr[R_RAX] & 0xffffffff, 0xe3069283);
	CHECK_EQ(c.gpr[R_RAX] >> 32, 0);
	/* Register source, byte by byte through CL. */
	c.gpr[R_RAX] = 0xffffffff;
	for (int i = 0; i < 9; i++) {
		c.rip = CODE;
		c.gpr[R_RCX] = (uint8_t)"123456789"[i];
		r = run(&c, "f2 0f 38 f0 c1", &exc);
		CHECK_EQ(r, INSN_DONE);
	}
	CHECK_EQ(~c.gpr[R_RAX] & 0xffffffff, 0xe3069283);
}

/* ---- invpcid, rdtscp, rdpid ----------------------------------------------- */

static void test_system(void)
{
	struct x86_cpu_state c, before;
	struct insn_exception exc;
	enum insn_result r;

	reset();
	cpu64(&c);
	c.gpr[R_RDI] = 2;
	c.gpr[R_RSI] = DATA;
	r = run(&c, "66 0f 38 82 3e", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(F->flush_calls, 1);
	CHECK_EQ(F->flush_type, 2);

	/* Type 0: one address; PCID needs CR4.PCIDE; canonical address. */
	cpu64(&c);
	c.gpr[R_RDI] = 0;
	c.gpr[R_RSI] = DATA;
	put64(F->mem + DATA, 5);
	put64(F->mem + DATA + 8, 0xffff800000001000ULL);
	r = run(&c, "66 0f 38 82 3e", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	c.cr4 |= 1ULL << 17;
	r = run(&c, "66 0f 38 82 3e", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(F->flush_pcid, 5);
	CHECK_EQ(F->flush_la, 0xffff800000001000ULL);
	c.rip = CODE;
	put64(F->mem + DATA + 8, 0x0000800000000000ULL);
	r = run(&c, "66 0f 38 82 3e", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	/* Type > 3, reserved descriptor bits, CPL 3: #GP(0). */
	cpu64(&c);
	c.gpr[R_RDI] = 4;
	c.gpr[R_RSI] = DATA;
	r = run(&c, "66 0f 38 82 3e", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	c.gpr[R_RDI] = 3;
	put64(F->mem + DATA, 1ULL << 12);
	r = run(&c, "66 0f 38 82 3e", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	user(&c);
	r = run(&c, "66 0f 38 82 3e", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	/* Register operand: #UD.  No flush callback: unsupported. */
	cpu64(&c);
	r = run(&c, "66 0f 38 82 c0", &exc);
	CHECK_FAULT(r, exc, 6, -1);
	put64(F->mem + DATA, 0);
	c.gpr[R_RDI] = 2;
	c.gpr[R_RSI] = DATA;
	env.flush_tlb = NULL;
	before = c;
	r = run(&c, "66 0f 38 82 3e", &exc);
	CHECK_EQ(r, INSN_UNSUPPORTED);
	CHECK(memcmp(&c, &before, sizeof(c)) == 0);

	/* rdtscp: EDX:EAX = TSC, ECX = TSC_AUX; CR4.TSD at CPL 3: #GP. */
	reset();
	cpu64(&c);
	F->tsc = 0x1122334455667788ULL;
	F->tsc_aux = 7;
	c.gpr[R_RCX] = ~0ULL;
	r = run(&c, "0f 01 f9", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_RAX], 0x55667788);
	CHECK_EQ(c.gpr[R_RDX], 0x11223344);
	CHECK_EQ(c.gpr[R_RCX], 7);
	cpu64(&c);
	user(&c);
	c.cr4 |= 1ULL << 2;
	r = run(&c, "0f 01 f9", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	cpu64(&c);
	env.get_msr = NULL;
	r = run(&c, "0f 01 f9", &exc);
	CHECK_EQ(r, INSN_UNSUPPORTED);
	env.get_msr = f_get_msr;

	/* rdpid r64 = TSC_AUX; rdpid needs CPUID.7.ECX[22]. */
	cpu64(&c);
	c.gpr[R_R10] = ~0ULL;
	r = run(&c, "f3 41 0f c7 fa", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_R10], 7);
	cpu64(&c);
	F->feat7_ecx = 0;
	r = run(&c, "f3 0f c7 f8", &exc);
	CHECK_FAULT(r, exc, 6, -1);

	/* rdpru: #UD without CPUID.80000008H:EBX[4]; left alone with it. */
	cpu64(&c);
	r = run(&c, "0f 01 fd", &exc);
	CHECK_FAULT(r, exc, 6, -1);
	CHECK_EQ(c.rip, CODE);
	F->ext8_ebx = 1u << 4;
	cpu64(&c);
	r = run(&c, "0f 01 fd", &exc);
	CHECK_EQ(r, INSN_UNSUPPORTED);
	F->ext8_ebx = 0;
}

/* ---- xgetbv / xsetbv ------------------------------------------------------ */

static void test_xcr(void)
{
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;

	reset();
	cpu64(&c);
	c.gpr[R_RAX] = c.gpr[R_RDX] = ~0ULL;
	r = run(&c, "0f 01 d0", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_RAX], 0x2e7);
	CHECK_EQ(c.gpr[R_RDX], 0);
	CHECK_EQ(c.rip, CODE + 3);

	/* ECX=1: XINUSE & XCR0, from the image (and a live MXCSR). */
	cpu64(&c);
	put64(F->xsave + 512, 0x5);
	put64(F->xsave + 24, 0x1f80);
	c.gpr[R_RCX] = 1;
	r = run(&c, "0f 01 d0", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_RAX], 0x5);
	c.rip = CODE;
	put64(F->xsave + 24, 0x1fa0);
	r = run(&c, "0f 01 d0", &exc);
	CHECK_EQ(c.gpr[R_RAX], 0x7);
	c.rip = CODE;
	c.gpr[R_RCX] = 2;
	r = run(&c, "0f 01 d0", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	F->xsave_d1 = 0;			/* no XGETBV_ECX1 */
	c.gpr[R_RCX] = 1;
	r = run(&c, "0f 01 d0", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	c.cr4 &= ~X86_CR4_OSXSAVE;
	r = run(&c, "0f 01 d0", &exc);
	CHECK_FAULT(r, exc, 6, -1);

	/* xsetbv */
	reset();
	cpu64(&c);
	c.gpr[R_RAX] = 0x7;
	r = run(&c, "0f 01 d1", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(F->xcr0, 0x7);
	CHECK_EQ(F->set_xcr0_calls, 1);
	static const uint64_t bad[] = {
		0x6,		/* no x87 */
		0x5,		/* AVX without SSE */
		0x23,		/* AVX-512 partly, without AVX */
		0x67,		/* AVX-512 partly */
		0x407,		/* not supported by the CPU */
		0x100000007ULL,	/* ditto, in EDX */
	};
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cpu64(&c);
		c.gpr[R_RAX] = bad[i] & 0xffffffff;
		c.gpr[R_RDX] = bad[i] >> 32;
		r = run(&c, "0f 01 d1", &exc);
		CHECK_FAULT(r, exc, 13, 0);
	}
	CHECK_EQ(F->set_xcr0_calls, 1);
	cpu64(&c);
	c.gpr[R_RAX] = 0x2e7;
	c.gpr[R_RCX] = 0xffffffff00000000ULL;	/* upper half ignored */
	r = run(&c, "0f 01 d1", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(F->xcr0, 0x2e7);
	cpu64(&c);
	c.gpr[R_RAX] = 0x3;
	c.gpr[R_RCX] = 1;
	r = run(&c, "0f 01 d1", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	cpu64(&c);
	user(&c);
	c.gpr[R_RAX] = 0x3;
	r = run(&c, "0f 01 d1", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	cpu64(&c);
	c.gpr[R_RAX] = 0x3;
	F->refuse_xcr0 = true;
	r = run(&c, "0f 01 d1", &exc);
	CHECK_FAULT(r, exc, 13, 0);
}

/* ---- The XSAVE family ----------------------------------------------------- */

static const unsigned int comp_off[] = { [2] = 576, [5] = 832, [6] = 960,
					 [7] = 1472, [9] = 2496 };
static const unsigned int comp_len[] = { [2] = 256, [5] = 72, [6] = 512,
					 [7] = 1024, [9] = 8 };

/* A recognisable, valid processor state: every component in use. */
static void fill_state(uint8_t *x)
{
	unsigned int i;

	memset(x, 0, 4096);
	for (i = 0; i < 160; i++)
		x[i] = (uint8_t)(0x40 + i);
	put64(x + 24, 0x0000ffff00001fa0ULL);	/* MXCSR, MXCSR_MASK */
	for (i = 160; i < 416; i++)
		x[i] = (uint8_t)(i * 7);
	for (i = 2; i < 10; i++) {
		if (i < sizeof(comp_len) / sizeof(comp_len[0]) && comp_len[i])
			memset(x + comp_off[i], 0x10 + i, comp_len[i]);
	}
	for (i = 464; i < 512; i++)
		x[i] = 0xee;			/* software-available bytes */
	put64(x + 512, 0x2e7);
}

static void setup_xsave(struct x86_cpu_state *c, uint64_t rfbm)
{
	cpu64(c);
	c->gpr[R_RDI] = AREA;
	c->gpr[R_RAX] = rfbm & 0xffffffff;
	c->gpr[R_RDX] = rfbm >> 32;
}

static void test_xsave_roundtrip(void)
{
	uint8_t orig[4096];
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;
	unsigned int i;

	reset();
	fill_state(F->xsave);
	memcpy(orig, F->xsave, 4096);
	memset(F->mem + AREA, 0xcc, 4096);
	put64(F->mem + AREA + 512, 1ULL << 3);	/* a bit outside RFBM */

	setup_xsave(&c, ~0ULL);
	r = run(&c, "48 0f ae 27", &exc);	/* xsave64 [rdi] */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.rip, CODE + 4);
	CHECK(memcmp(F->mem + AREA, orig, 24) == 0);
	CHECK(memcmp(F->mem + AREA + 24, orig + 24, 416 - 24) == 0);
	CHECK_EQ(F->mem[AREA + 464], 0xcc);	/* 464..511 untouched */
	CHECK_EQ(get64(F->mem + AREA + 512), 0x2e7 | (1ULL << 3));
	CHECK_EQ(F->mem[AREA + 520], 0xcc);	/* XCOMP_BV not written */
	for (i = 2; i < 10; i++)
		if (i < sizeof(comp_len) / sizeof(comp_len[0]) && comp_len[i])
			CHECK(memcmp(F->mem + AREA + comp_off[i],
				     orig + comp_off[i], comp_len[i]) == 0);
	CHECK_EQ(F->cross_page, 0);
	CHECK_EQ(F->set_xsave_calls, 0);

	/* Scramble the processor state, restore it from memory. */
	memset(F->xsave, 0x5a, 4096);
	put64(F->xsave + 24, 0x0000ffff00001f80ULL);	/* the CPU's mask */
	put64(F->xsave + 512, 0);
	memcpy(F->xsave + 464, orig + 464, 48);
	put64(F->mem + AREA + 512, 0x2e7);
	memset(F->mem + AREA + 520, 0, 56);
	setup_xsave(&c, ~0ULL);
	r = run(&c, "48 0f ae 2f", &exc);	/* xrstor64 [rdi] */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(F->set_xsave_calls, 1);
	CHECK(memcmp(F->xsave, orig, 416) == 0);
	for (i = 2; i < 10; i++)
		if (i < sizeof(comp_len) / sizeof(comp_len[0]) && comp_len[i])
			CHECK(memcmp(F->xsave + comp_off[i],
				     orig + comp_off[i], comp_len[i]) == 0);
	CHECK_EQ(get64(F->xsave + 512), 0x2e7);

	/* The mask: xsave with EDX:EAX = AVX only writes AVX and MXCSR. */
	reset();
	fill_state(F->xsave);
	memset(F->mem + AREA, 0xcc, 4096);
	put64(F->mem + AREA + 512, 0);
	setup_xsave(&c, 0x4);
	r = run(&c, "0f ae 27", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(F->mem[AREA], 0xcc);			/* no x87 */
	CHECK_EQ(F->mem[AREA + 160], 0xcc);		/* no XMM */
	CHECK_EQ(get32(F->mem + AREA + 24), 0x1fa0);	/* MXCSR */
	CHECK_EQ(get64(F->mem + AREA + 512), 0x4);
	CHECK_EQ(F->mem[AREA + 576], 0x12);
	CHECK_EQ(F->mem[AREA + 832], 0xcc);		/* no comp 5 */

	/* The mask on restore: only SSE comes back. */
	memset(F->xsave + 160, 0, 256);
	memset(F->xsave + 576, 0, 256);
	fill_state(F->mem + AREA);
	memset(F->mem + AREA + 520, 0, 56);
	for (i = 160; i < 416; i++)
		F->mem[AREA + i] = 0x77;
	setup_xsave(&c, 0x2);
	r = run(&c, "0f ae 2f", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(F->xsave[160], 0x77);
	CHECK_EQ(F->xsave[415], 0x77);
	CHECK_EQ(F->xsave[576], 0);			/* AVX untouched */
	CHECK_EQ(F->xsave[0], 0x40);			/* x87 untouched */
}

static void test_xsave_compacted(void)
{
	uint8_t orig[4096];
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;

	/* RFBM = x87, SSE, AVX, comp 5 (72 bytes), PKRU (aligned). */
	reset();
	fill_state(F->xsave);
	memcpy(orig, F->xsave, 4096);
	memset(F->mem + AREA, 0xcc, 4096);
	setup_xsave(&c, 0x227);
	r = run(&c, "48 0f c7 27", &exc);	/* xsavec64 [rdi] */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(get64(F->mem + AREA + 512), 0x227);
	CHECK_EQ(get64(F->mem + AREA + 520), 0x8000000000000227ULL);
	CHECK_EQ(F->mem[AREA + 528], 0xcc);	/* rest of header untouched */
	CHECK(memcmp(F->mem + AREA + 576, orig + 576, 256) == 0);
	CHECK(memcmp(F->mem + AREA + 832, orig + 832, 72) == 0);
	CHECK_EQ(F->mem[AREA + 904], 0xcc);	/* padding before PKRU */
	CHECK(memcmp(F->mem + AREA + 960, orig + 2496, 8) == 0);
	CHECK_EQ(F->mem[AREA + 968], 0xcc);

	/* And back. */
	memset(F->xsave + 576, 0, 256);
	memset(F->xsave + 832, 0, 72);
	memset(F->xsave + 2496, 0, 8);
	memset(F->xsave, 0, 24);
	memset(F->xsave + 32, 0, 384);
	/* XSAVEC leaves header bytes 63:16 alone; software zeroes them. */
	memset(F->mem + AREA + 528, 0, 48);
	setup_xsave(&c, 0x227);
	r = run(&c, "48 0f c7 1f", &exc);	/* xrstors64 [rdi] */
	CHECK_EQ(r, INSN_DONE);
	CHECK(memcmp(F->xsave, orig, 4096) == 0);

	/* Components not in use are not written and not marked. */
	reset();
	fill_state(F->xsave);
	put64(F->xsave + 512, 0x2e3);		/* AVX in its initial state */
	memset(F->xsave + 576, 0, 256);
	memset(F->mem + AREA, 0xcc, 4096);
	setup_xsave(&c, 0x227);
	r = run(&c, "0f c7 27", &exc);		/* xsavec [rdi] */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(get64(F->mem + AREA + 512), 0x223);
	CHECK_EQ(get64(F->mem + AREA + 520), 0x8000000000000227ULL);
	CHECK_EQ(F->mem[AREA + 576], 0xcc);	/* AVX slot left alone */
	CHECK_EQ(F->mem[AREA + 832], 0x15);	/* comp 5 still after it */

	/* xsaveopt: standard layout, init components skipped. */
	memset(F->mem + AREA, 0xcc, 4096);
	put64(F->mem + AREA + 512, 0);
	setup_xsave(&c, ~0ULL);
	r = run(&c, "0f ae 37", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(get64(F->mem + AREA + 512), 0x2e3);
	CHECK_EQ(F->mem[AREA + 576], 0xcc);
	CHECK_EQ(F->mem[AREA + 1472], 0x17);
}

static void test_xrstor_init(void)
{
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;

	/* Standard form, XSTATE_BV[0,2] = 0: x87 and AVX initialised. */
	reset();
	fill_state(F->xsave);
	fill_state(F->mem + AREA);
	memset(F->mem + AREA + 520, 0, 56);
	put64(F->mem + AREA + 512, 0x2e2);
	put64(F->mem + AREA + 24, 0x1fc0);		/* MXCSR loaded */
	setup_xsave(&c, ~0ULL);
	r = run(&c, "48 0f ae 2f", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(get64(F->xsave + 512), 0x2e2);
	CHECK_EQ(F->xsave[0], 0x7f);			/* FCW = 0x037f */
	CHECK_EQ(F->xsave[1], 0x03);
	CHECK_EQ(F->xsave[2], 0);
	CHECK_EQ(F->xsave[40], 0);
	CHECK_EQ(F->xsave[576], 0);
	CHECK_EQ(F->xsave[831], 0);
	CHECK_EQ(get32(F->xsave + 24), 0x1fc0);
	CHECK_EQ(F->xsave[832], 0x15);

	/*
	 * Standard form with XSTATE_BV[1] = 0 but RFBM[2]: XMM initialised,
	 * MXCSR still loaded from memory (and kept marked in use).
	 */
	reset();
	fill_state(F->xsave);
	fill_state(F->mem + AREA);
	memset(F->mem + AREA + 520, 0, 56);
	put64(F->mem + AREA + 512, 0x0);
	put64(F->mem + AREA + 24, 0x1fc0);
	setup_xsave(&c, 0x4);
	r = run(&c, "0f ae 2f", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(get32(F->xsave + 24), 0x1fc0);
	CHECK_EQ(F->xsave[160], (uint8_t)(160 * 7));	/* XMM: RFBM[1]=0 */
	CHECK_EQ(F->xsave[576], 0);
	CHECK_EQ(get64(F->xsave + 512), 0x2e3);

	/* Compacted form, XSTATE_BV[1] = 0: XMM zero, MXCSR = 0x1f80. */
	reset();
	fill_state(F->xsave);
	memset(F->mem + AREA, 0, 1024);
	put64(F->mem + AREA + 512, 0x1);
	put64(F->mem + AREA + 520, 0x8000000000000003ULL);
	put64(F->mem + AREA + 24, 0xffff);	/* not read: no #GP */
	setup_xsave(&c, 0x3);
	r = run(&c, "0f ae 2f", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(get32(F->xsave + 24), 0x1f80);
	CHECK_EQ(F->xsave[160], 0);
	CHECK_EQ(F->xsave[415], 0);
	CHECK_EQ(get64(F->xsave + 512), 0x2e5);
	CHECK_EQ(F->xsave[576], 0x12);		/* AVX not in RFBM */
}

static void expect_xrstor_gp(const char *what, uint64_t bv, uint64_t xcomp,
			     unsigned int poke, uint64_t mxcsr, const char *code)
{
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;

	reset();
	fill_state(F->xsave);
	fill_state(F->mem + AREA);
	memset(F->mem + AREA + 520, 0, 56);
	put64(F->mem + AREA + 512, bv);
	put64(F->mem + AREA + 520, xcomp);
	if (poke)
		F->mem[AREA + poke] = 1;
	put64(F->mem + AREA + 24, mxcsr);
	setup_xsave(&c, ~0ULL);
	r = run(&c, code, &exc);
	if (r != INSN_EXCEPTION || exc.vector != 13)
		fprintf(stderr, "xrstor #GP case \"%s\" failed\n", what);
	CHECK_FAULT(r, exc, 13, 0);
	CHECK_EQ(F->set_xsave_calls, 0);
	CHECK_EQ(c.rip, CODE);
}

static void test_xsave_faults(void)
{
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;
	uint8_t before[4096];

	expect_xrstor_gp("XSTATE_BV beyond XCR0", 0x2e7 | 8, 0, 0, 0x1f80,
			 "48 0f ae 2f");
	expect_xrstor_gp("bytes 23:16 set", 0x2e7, 0, 530, 0x1f80,
			 "48 0f ae 2f");
	expect_xrstor_gp("MXCSR reserved bits", 0x2e7, 0, 0, 0x10001f80,
			 "48 0f ae 2f");
	expect_xrstor_gp("compacted: XSTATE_BV not in XCOMP_BV", 0x7,
			 0x8000000000000003ULL, 0, 0x1f80, "48 0f ae 2f");
	expect_xrstor_gp("compacted: XCOMP_BV beyond XCR0", 0x3,
			 0x8000000000000803ULL, 0, 0x1f80, "48 0f ae 2f");
	expect_xrstor_gp("compacted: reserved header bytes", 0x3,
			 0x8000000000000003ULL, 560, 0x1f80, "48 0f ae 2f");
	expect_xrstor_gp("xrstors from the standard form", 0x3, 0, 0, 0x1f80,
			 "48 0f c7 1f");

	/* Misaligned area: #GP(0) for save and restore. */
	reset();
	fill_state(F->xsave);
	setup_xsave(&c, ~0ULL);
	c.gpr[R_RDI] = AREA + 0x20;
	r = run(&c, "48 0f ae 27", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	r = run(&c, "48 0f ae 2f", &exc);
	CHECK_FAULT(r, exc, 13, 0);

	/* xsaves/xrstors at CPL 3: #GP(0); CR0.TS: #NM; no OSXSAVE: #UD. */
	setup_xsave(&c, ~0ULL);
	user(&c);
	r = run(&c, "0f c7 2f", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	setup_xsave(&c, ~0ULL);
	c.cr0 |= X86_CR0_TS;
	r = run(&c, "0f ae 27", &exc);
	CHECK_FAULT(r, exc, 7, -1);
	setup_xsave(&c, ~0ULL);
	c.cr4 &= ~X86_CR4_OSXSAVE;
	r = run(&c, "0f ae 2f", &exc);
	CHECK_FAULT(r, exc, 6, -1);
	setup_xsave(&c, ~0ULL);
	r = run(&c, "f0 0f ae 27", &exc);	/* lock */
	CHECK_FAULT(r, exc, 6, -1);
	setup_xsave(&c, ~0ULL);
	F->xsave_d1 = 0x1;			/* no xsavec/xsaves */
	r = run(&c, "0f c7 27", &exc);
	CHECK_FAULT(r, exc, 6, -1);
	F->xsave_d1 = 0xf;

	/* Supervisor components cannot be saved from the KVM image. */
	setup_xsave(&c, ~0ULL);
	F->xss = 1ULL << 11;
	r = run(&c, "0f c7 2f", &exc);
	CHECK_EQ(r, INSN_UNSUPPORTED);
	F->xss = 0;
	r = run(&c, "0f c7 2f", &exc);
	CHECK_EQ(r, INSN_DONE);

	/*
	 * A page of the area is absent: #PF on it, W for a save.  The area
	 * at 0x6c00 has its header on page 6 and ZMM_Hi256 (960..1471)
	 * running into page 7.
	 */
	reset();
	fill_state(F->xsave);
	setup_xsave(&c, ~0ULL);
	c.gpr[R_RDI] = 0x6c00;
	F->page[7] = PG_ABSENT;
	r = run(&c, "48 0f ae 27", &exc);
	CHECK_FAULT(r, exc, 14, 0x2);
	CHECK_EQ(exc.cr2, 0x7000);
	CHECK_EQ(F->cross_page, 0);
	/* ... and P=0 for a restore, with the state unchanged. */
	fill_state(F->mem + 0x6c00);
	memset(F->mem + 0x6c00 + 520, 0, 56);
	memcpy(before, F->xsave, 4096);
	r = run(&c, "48 0f ae 2f", &exc);
	CHECK_FAULT(r, exc, 14, 0);
	CHECK_EQ(exc.cr2, 0x7000);
	CHECK(memcmp(before, F->xsave, 4096) == 0);
	/* Only the parts it needs are read: AVX-only restore succeeds. */
	c.gpr[R_RAX] = 0x4;
	r = run(&c, "48 0f ae 2f", &exc);
	CHECK_EQ(r, INSN_DONE);
	/* The header update of a save is a read-modify-write: W. */
	reset();
	setup_xsave(&c, ~0ULL);
	c.gpr[R_RDI] = 0x6e00;			/* header at 0x7000 */
	F->page[7] = PG_ABSENT;
	r = run(&c, "48 0f ae 27", &exc);
	CHECK_FAULT(r, exc, 14, 0x2);
	CHECK_EQ(exc.cr2, 0x7000);
	/* At CPL 3 a supervisor page gives P|W|U. */
	reset();
	fill_state(F->xsave);
	setup_xsave(&c, 0x3);
	user(&c);
	F->page[AREA / 4096] = PG_SUPER;
	r = run(&c, "0f ae 27", &exc);
	CHECK_FAULT(r, exc, 14, 0x7);
	/* MMIO: unsupported. */
	F->page[AREA / 4096] = PG_MMIO;
	r = run(&c, "0f ae 27", &exc);
	CHECK_EQ(r, INSN_UNSUPPORTED);
}

/* 32-bit mode: 32-bit x87 layout, XMM0-7 only, segment base and limit. */
static void test_xsave_32bit(void)
{
	uint8_t orig[4096];
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;

	reset();
	fill_state(F->xsave);
	memcpy(orig, F->xsave, 4096);
	memset(F->mem, 0xcc, MEM_SIZE);
	put64(F->mem + AREA + 512, 0);
	cpu32(&c);
	c.seg[S_DS].base = 0x100;
	c.gpr[R_RDI] = AREA - 0x100;
	c.gpr[R_RAX] = 0x3;
	r = run(&c, "0f ae 27", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK(memcmp(F->mem + AREA, orig, 8) == 0);
	CHECK(memcmp(F->mem + AREA + 8, orig + 8, 4) == 0);	/* FIP */
	CHECK_EQ(get32(F->mem + AREA + 12), 0);			/* FCS */
	CHECK(memcmp(F->mem + AREA + 16, orig + 16, 4) == 0);	/* FDP */
	CHECK(memcmp(F->mem + AREA + 160, orig + 160, 128) == 0);
	CHECK_EQ(F->mem[AREA + 288], 0xcc);	/* XMM8-15: not here */
	CHECK_EQ(get64(F->mem + AREA + 512), 0x3);

	/* Restore: FIP/FDP zero-extended, XMM8-15 kept. */
	memset(F->xsave + 8, 0, 16);
	memset(F->xsave + 160, 0, 256);
	r = run(&c, "0f ae 2f", &exc);
	CHECK_FAULT(r, exc, 13, 0);		/* header bytes 8..23: 0xcc */
	memset(F->mem + AREA + 520, 0, 56);
	c.rip = CODE;
	r = run(&c, "0f ae 2f", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(get32(F->xsave + 8), get32(orig + 8));
	CHECK_EQ(get32(F->xsave + 12), 0);
	CHECK(memcmp(F->xsave + 160, orig + 160, 128) == 0);
	CHECK_EQ(F->xsave[288], 0);

	/* Over the DS limit: #GP(0); SS-relative: #SS(0). */
	cpu32(&c);
	c.seg[S_DS].limit = AREA + 100;
	c.gpr[R_RDI] = AREA;
	c.gpr[R_RAX] = 0x3;
	r = run(&c, "0f ae 27", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	cpu32(&c);
	c.seg[S_SS].limit = AREA + 100;
	c.gpr[R_RBP] = AREA;
	c.gpr[R_RAX] = 0x3;
	r = run(&c, "0f ae 65 00", &exc);	/* xsave [ebp+0] */
	CHECK_FAULT(r, exc, 12, 0);
	/* A read-only data segment cannot be written. */
	cpu32(&c);
	c.seg[S_DS].type = 1;
	c.gpr[R_RDI] = AREA;
	r = run(&c, "0f ae 27", &exc);
	CHECK_FAULT(r, exc, 13, 0);
}

/* 64-bit: FS/GS bases apply, others do not; non-canonical is #GP/#SS. */
static void test_addressing64(void)
{
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;

	reset();
	cpu64(&c);
	c.seg[S_GS].base = DATA;
	c.seg[S_DS].base = 0x100;		/* ignored in 64-bit mode */
	put64(F->mem + DATA + 8, 0x0102030405060708ULL);
	c.gpr[R_RBX] = 8;
	r = run(&c, "65 48 0f 38 f0 03", &exc);	/* movbe rax, gs:[rbx] */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_RAX], 0x0807060504030201ULL);

	/* RIP-relative: from the next instruction. */
	cpu64(&c);
	put64(F->mem + CODE + 9 + 0x20, 0x1122334455667788ULL);
	r = run(&c, "48 0f 38 f0 05 20 00 00 00", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_RAX], 0x8877665544332211ULL);
	CHECK_EQ(c.rip, CODE + 9);

	cpu64(&c);
	c.gpr[R_RDI] = 0x0000800000000000ULL;
	r = run(&c, "0f 38 f0 07", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	c.gpr[R_RSP] = 0x0000800000000000ULL;
	r = run(&c, "0f 38 f0 04 24", &exc);	/* [rsp]: #SS */
	CHECK_FAULT(r, exc, 12, 0);
	/* The last byte counts: 8 bytes ending past the canonical edge. */
	c.gpr[R_RDI] = 0x00007ffffffffffcULL;
	r = run(&c, "48 0f 38 f0 07", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	/* 67: 32-bit address, wraps. */
	cpu64(&c);
	c.gpr[R_RDI] = 0xffffffff00000000ULL | DATA;
	put64(F->mem + DATA, 0x44332211);
	r = run(&c, "67 0f 38 f0 07", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_RAX], 0x11223344);
}

/* ---- popcnt, lzcnt, tzcnt -------------------------------------------------- */

#define ARITH (X86_RFLAGS_CF | X86_RFLAGS_PF | X86_RFLAGS_AF | X86_RFLAGS_ZF | \
	       X86_RFLAGS_SF | X86_RFLAGS_OF)

static void test_bitcount(void)
{
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;

	/* popcnt r64, r64: count, all arithmetic flags cleared. */
	reset();
	cpu64(&c);
	c.rflags |= ARITH;
	c.gpr[R_RCX] = 0xf0f0f0f0f0f0f0f1ULL;
	r = run(&c, "f3 48 0f b8 c1", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_RAX], 33);
	CHECK_EQ(c.rflags & ARITH, 0);
	CHECK_EQ(c.rip, CODE + 5);
	/* Zero source: ZF. 32-bit destination zero-extends. */
	cpu64(&c);
	c.gpr[R_RAX] = ~0ULL;
	c.gpr[R_RCX] = 0xffffffff00000000ULL;
	r = run(&c, "f3 0f b8 c1", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_RAX], 0);
	CHECK_EQ(c.rflags & ARITH, X86_RFLAGS_ZF);
	/* 16-bit from memory keeps the upper bits of the destination. */
	cpu64(&c);
	c.gpr[R_RDI] = DATA;
	c.gpr[R_RDX] = 0x1111111111111111ULL;
	put64(F->mem + DATA, 0xffff00ff);
	r = run(&c, "66 f3 0f b8 17", &exc);	/* popcnt dx, [rdi] */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_RDX], 0x1111111111110008ULL);
	/* Memory faults are faults; no POPCNT in CPUID is #UD. */
	cpu64(&c);
	c.gpr[R_RDI] = 0x9000;
	F->page[9] = PG_ABSENT;
	r = run(&c, "f3 0f b8 07", &exc);
	CHECK_FAULT(r, exc, 14, 0);
	CHECK_EQ(exc.cr2, 0x9000);
	F->feat1_ecx &= ~(1u << 23);
	cpu64(&c);
	r = run(&c, "f3 0f b8 c1", &exc);
	CHECK_FAULT(r, exc, 6, -1);

	/* lzcnt / tzcnt: counts, CF for a zero source, ZF for a zero count. */
	reset();
	cpu64(&c);
	c.gpr[R_RCX] = 0x00f0;
	r = run(&c, "f3 0f bd c1", &exc);	/* lzcnt eax, ecx */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_RAX], 24);
	CHECK_EQ(c.rflags & (X86_RFLAGS_CF | X86_RFLAGS_ZF), 0);
	c.rip = CODE;
	r = run(&c, "f3 0f bc c1", &exc);	/* tzcnt eax, ecx */
	CHECK_EQ(c.gpr[R_RAX], 4);
	c.rip = CODE;
	c.gpr[R_RCX] = 0;
	r = run(&c, "66 f3 0f bd c1", &exc);	/* lzcnt ax, cx */
	CHECK_EQ(c.gpr[R_RAX], 16);
	CHECK_EQ(c.rflags & (X86_RFLAGS_CF | X86_RFLAGS_ZF), X86_RFLAGS_CF);
	c.rip = CODE;
	c.gpr[R_RCX] = 1ULL << 63;
	r = run(&c, "f3 48 0f bd c1", &exc);	/* lzcnt rax, rcx */
	CHECK_EQ(c.gpr[R_RAX], 0);
	CHECK_EQ(c.rflags & (X86_RFLAGS_CF | X86_RFLAGS_ZF), X86_RFLAGS_ZF);
	c.rip = CODE;
	r = run(&c, "f3 48 0f bc c1", &exc);	/* tzcnt rax, rcx */
	CHECK_EQ(c.gpr[R_RAX], 63);
	/* Without LZCNT/BMI1 these are bsr/bsf, which this does not run. */
	F->ext_ecx = 0;
	c.rip = CODE;
	r = run(&c, "f3 0f bd c1", &exc);
	CHECK_EQ(r, INSN_UNSUPPORTED);
	/* A memory source. */
	F->ext_ecx = 1u << 5;
	c.rip = CODE;
	c.gpr[R_RDI] = DATA;
	put64(F->mem + DATA, 0x8000);
	r = run(&c, "f3 0f bc 0f", &exc);	/* tzcnt ecx, [rdi] */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_RCX], 15);
}

/* ---- clac / stac ---------------------------------------------------------- */

#define AC (1ULL << 18)

static void test_clac_stac(void)
{
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;

	reset();
	F->feat7_ebx |= 1u << 20;
	cpu64(&c);
	r = run(&c, "0f 01 cb", &exc);		/* stac */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.rflags & AC, AC);
	CHECK_EQ(c.rip, CODE + 3);
	c.rip = CODE;
	r = run(&c, "0f 01 ca", &exc);		/* clac */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.rflags & AC, 0);
	CHECK_EQ(c.rflags, X86_RFLAGS_FIXED);
	/* 32-bit kernel code too. */
	cpu32(&c);
	c.rflags |= AC;
	r = run(&c, "0f 01 ca", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.rflags & AC, 0);
	/* CPL 3: #UD, AC untouched. */
	cpu64(&c);
	user(&c);
	r = run(&c, "0f 01 cb", &exc);
	CHECK_FAULT(r, exc, 6, -1);
	CHECK_EQ(c.rflags & AC, 0);
	CHECK_EQ(c.rip, CODE);
	/* No SMAP in CPUID: #UD. */
	F->feat7_ebx &= ~(1u << 20);
	cpu64(&c);
	r = run(&c, "0f 01 cb", &exc);
	CHECK_FAULT(r, exc, 6, -1);
	/* A lock prefix: #UD. */
	F->feat7_ebx |= 1u << 20;
	cpu64(&c);
	r = run(&c, "f0 0f 01 cb", &exc);
	CHECK_FAULT(r, exc, 6, -1);
}

/* ---- rd/wr fs/gs base ----------------------------------------------------- */

static void test_fsgsbase(void)
{
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;

	reset();
	F->feat7_ebx |= 1u;
	cpu64(&c);
	c.cr4 |= 1ULL << 16;
	c.seg[S_FS].base = 0xffff888012345678ULL;
	c.seg[S_GS].base = 0xffff8880abcdef00ULL;
	c.gpr[R_RAX] = ~0ULL;
	r = run(&c, "f3 48 0f ae c0", &exc);	/* rdfsbase rax */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_RAX], 0xffff888012345678ULL);
	CHECK_EQ(c.rip, CODE + 5);
	c.rip = CODE;
	r = run(&c, "f3 41 0f ae c9", &exc);	/* rdgsbase r9d */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_R9], 0xabcdef00ULL);
	c.rip = CODE;
	c.gpr[R_RDX] = 0x00007f0000001000ULL;
	r = run(&c, "f3 48 0f ae d2", &exc);	/* wrfsbase rdx */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.seg[S_FS].base, 0x00007f0000001000ULL);
	c.rip = CODE;
	c.gpr[R_RDX] = 0xffffffff80001234ULL;
	r = run(&c, "f3 0f ae da", &exc);	/* wrgsbase edx */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.seg[S_GS].base, 0x80001234ULL);
	/* Non-canonical: #GP(0), base unchanged. */
	c.rip = CODE;
	c.gpr[R_RDX] = 0x0000800000000000ULL;
	r = run(&c, "f3 48 0f ae d2", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	CHECK_EQ(c.seg[S_FS].base, 0x00007f0000001000ULL);
	/* CR4.FSGSBASE clear, or 32-bit mode: #UD. */
	c.cr4 &= ~(1ULL << 16);
	r = run(&c, "f3 48 0f ae c0", &exc);
	CHECK_FAULT(r, exc, 6, -1);
	cpu32(&c);
	c.cr4 |= 1ULL << 16;
	r = run(&c, "f3 0f ae c0", &exc);
	CHECK_FAULT(r, exc, 6, -1);
}

/* ---- Hints ------------------------------------------------------------------ */

static void test_hints(void)
{
	static const char *const forms[] = {
		"0f 0d 0f",		/* prefetchw [rdi] */
		"0f 0d 07",		/* prefetch [rdi] */
		"0f 18 0f",		/* prefetcht0 [rdi] */
		"0f 1f 44 00 00",	/* nop [rax+rax] */
		"66 0f 1f 84 00 00 00 00 00",
		"0f ae e8",		/* lfence */
		"0f ae f0",		/* mfence */
		"0f ae f8",		/* sfence */
		"f3 90",		/* pause */
		"f3 0f 1e fa",		/* endbr64 */
	};
	struct x86_cpu_state c, before;
	struct insn_exception exc;
	enum insn_result r;
	unsigned int i, n;

	reset();
	F->page[9] = PG_ABSENT;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		cpu64(&c);
		c.gpr[R_RDI] = 0x9000;	/* absent: a prefetch never faults */
		n = put_code(CODE, forms[i]);
		before = c;
		r = run(&c, forms[i], &exc);
		CHECK_EQ(r, INSN_DONE);
		CHECK_EQ(c.rip, CODE + n);
		c.rip = before.rip;
		CHECK(memcmp(&c, &before, sizeof(c)) == 0);
	}
	/* A lock prefix is #UD; mfence without SSE2 is #UD. */
	cpu64(&c);
	r = run(&c, "f0 0f ae f0", &exc);
	CHECK_FAULT(r, exc, 6, -1);
	F->feat1_edx = 0;
	r = run(&c, "0f ae f0", &exc);
	CHECK_FAULT(r, exc, 6, -1);
}

/* ---- fwait ------------------------------------------------------------------ */

static void test_fwait(void)
{
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;

	reset();
	cpu64(&c);
	r = run(&c, "9b", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.rip, CODE + 1);
	/* TS alone: nothing; TS and MP: #NM. */
	cpu64(&c);
	c.cr0 |= 1ULL << 3;
	r = run(&c, "9b", &exc);
	CHECK_EQ(r, INSN_DONE);
	cpu64(&c);
	c.cr0 |= (1ULL << 3) | (1ULL << 1);
	r = run(&c, "9b", &exc);
	CHECK_FAULT(r, exc, 7, -1);
	/* A pending unmasked x87 exception (FSW.ES): #MF with CR0.NE. */
	cpu64(&c);
	F->xsave[2] = 0x81;
	r = run(&c, "9b", &exc);
	CHECK_FAULT(r, exc, 16, -1);
	CHECK_EQ(c.rip, CODE);
	c.cr0 &= ~X86_CR0_NE;
	r = run(&c, "9b", &exc);
	CHECK_EQ(r, INSN_UNSUPPORTED);
}

/* ---- sysret ----------------------------------------------------------------- */

static void test_sysret(void)
{
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;

	reset();
	F->star = (0x23ULL << 48) | (0x10ULL << 32);	/* Linux's STAR */
	cpu64(&c);
	c.efer |= 1;
	c.gpr[R_RCX] = 0x00007f0000401000ULL;
	c.gpr[R_R11] = 0x246 | (1ULL << 16) | (1ULL << 17);
	r = run(&c, "48 0f 07", &exc);		/* sysretq */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.rip, 0x00007f0000401000ULL);
	CHECK_EQ(c.rflags, 0x246);	/* RF and VM cleared */
	CHECK_EQ(c.seg[S_CS].selector, 0x33);
	CHECK_EQ(c.seg[S_CS].dpl, 3);
	CHECK_EQ(c.seg[S_CS].l, 1);
	CHECK_EQ(c.seg[S_SS].selector, 0x2b);
	CHECK_EQ(c.seg[S_SS].dpl, 3);
	/* Non-canonical RCX: #GP(0); from ring 3: #GP(0); without SCE: #UD. */
	cpu64(&c);
	c.efer |= 1;
	c.gpr[R_RCX] = 0x0000800000000000ULL;
	r = run(&c, "48 0f 07", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	CHECK_EQ(c.seg[S_CS].selector, 0);
	c.gpr[R_RCX] = 0x1000;
	user(&c);
	r = run(&c, "48 0f 07", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	cpu64(&c);
	c.efer &= ~1ULL;
	r = run(&c, "48 0f 07", &exc);
	CHECK_FAULT(r, exc, 6, -1);
	/* sysretl (to compatibility mode) is not completed. */
	c.efer |= 1;
	c.gpr[R_RCX] = 0x1000;
	r = run(&c, "0f 07", &exc);
	CHECK_EQ(r, INSN_UNSUPPORTED);
}

/* ---- Vector instructions run on the host CPU (simd.c) ------------------- */

#define XMM(n) (160 + 16 * (n))

static uint64_t host_xcr0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return lo | (uint64_t)hi << 32;
}

static bool host_has(uint32_t leaf, unsigned int reg, unsigned int bit)
{
	uint32_t r[4];

	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
	return (r[reg] >> bit) & 1;
}

/* A clean SSE/AVX image with XMMn = bytes n*16 .. n*16+15 (n = 0..15). */
static void simd_setup(struct x86_cpu_state *c)
{
	unsigned int i;

	reset();
	env.host_simd = true;
	F->xcr0 = host_xcr0() & 0xe7;
	memset(F->xsave, 0, sizeof(F->xsave));
	put64(F->xsave + 24, 0x0000ffff00001f80ULL);
	for (i = 0; i < 256; i++)
		F->xsave[XMM(0) + i] = (uint8_t)i;
	put64(F->xsave + 512, F->xcr0 & 7);
	cpu64(c);
	c->cr4 |= 1ULL << 10;	/* OSXMMEXCPT */
}

static void test_simd_sse(void)
{
	struct x86_cpu_state c, before;
	struct insn_exception exc;
	enum insn_result r;
	uint8_t want[16];
	unsigned int i;

	/* paddd xmm0, xmm1: four dword sums. */
	simd_setup(&c);
	r = run(&c, "66 0f fe c1", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.rip, CODE + 4);
	CHECK_EQ(get32(F->xsave + XMM(0)), 0x03020100u + 0x13121110u);
	CHECK_EQ(get32(F->xsave + XMM(0) + 12), 0x0f0e0d0cu + 0x1f1e1d1cu);
	CHECK_EQ(get32(F->xsave + XMM(1)), 0x13121110u);
	CHECK_EQ(F->set_xsave_calls, 1);

	/* Legacy SSE state is loaded even when XCR0 has only x87. */
	simd_setup(&c);
	F->xcr0 = 1;
	c.cr4 &= ~X86_CR4_OSXSAVE;
	r = run(&c, "66 0f 7e ce", &exc);	/* movd esi, xmm1 */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_RSI], 0x13121110ULL);

	/* movd xmm4, [rsi + rax*4]: SIB memory source, upper bits zeroed. */
	simd_setup(&c);
	c.gpr[R_RSI] = DATA;
	c.gpr[R_RAX] = 3;
	put64(F->mem + DATA + 12, 0x99887766aabbccddULL);
	r = run(&c, "66 0f 6e 24 86", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(get64(F->xsave + XMM(4)), 0xaabbccddULL);
	CHECK_EQ(get64(F->xsave + XMM(4) + 8), 0);
	CHECK_EQ(c.gpr[R_RAX], 3);

	/* movdqu [rdi+1], xmm2: exactly 16 bytes written, misaligned. */
	simd_setup(&c);
	c.gpr[R_RDI] = DATA + 1;
	memset(F->mem + DATA, 0xee, 64);
	r = run(&c, "f3 0f 7f 57 00", &exc);
	CHECK_EQ(r, INSN_DONE);
	for (i = 0; i < 16; i++)
		want[i] = (uint8_t)(32 + i);
	CHECK(memcmp(F->mem + DATA + 1, want, 16) == 0);
	CHECK_EQ(F->mem[DATA], 0xee);
	CHECK_EQ(F->mem[DATA + 17], 0xee);
	CHECK_EQ(F->cross_page, 0);

	/* movdqa from a misaligned address: #GP(0), nothing changed. */
	simd_setup(&c);
	c.gpr[R_RDI] = DATA + 8;
	before = c;
	r = run(&c, "66 0f 6f 07", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	CHECK(memcmp(&c, &before, sizeof(c)) == 0);
	CHECK_EQ(F->set_xsave_calls, 0);

	/* movdqa xmm2, [rip + 0xf8]: the aligned 0x1100. */
	simd_setup(&c);
	for (i = 0; i < 16; i++)
		F->mem[CODE + 0x100 + i] = (uint8_t)(0xa0 + i);
	r = run(&c, "66 0f 6f 15 f8 00 00 00", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK(memcmp(F->xsave + XMM(2), F->mem + CODE + 0x100, 16) == 0);

	/* General registers: movd xmm15, ecx; movd eax, xmm1 (zero-extends). */
	simd_setup(&c);
	c.gpr[R_RCX] = 0xffffffff12345678ULL;
	r = run(&c, "66 44 0f 6e f9", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(get64(F->xsave + XMM(15)), 0x12345678ULL);
	c.rip = CODE;
	c.gpr[R_RAX] = ~0ULL;
	r = run(&c, "66 0f 7e c8", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.gpr[R_RAX], 0x13121110ULL);
	CHECK_EQ(c.gpr[R_RCX], 0xffffffff12345678ULL);
	CHECK_EQ(c.gpr[R_RSP], 0);

	/* ptest xmm0, xmm0 (not zero: ZF clear), flags merged. */
	simd_setup(&c);
	c.rflags |= X86_RFLAGS_ZF | X86_RFLAGS_CF | X86_RFLAGS_IF;
	r = run(&c, "66 0f 38 17 c0", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.rflags & X86_RFLAGS_ZF, 0);
	CHECK_EQ(c.rflags & X86_RFLAGS_CF, X86_RFLAGS_CF);
	CHECK_EQ(c.rflags & X86_RFLAGS_IF, X86_RFLAGS_IF);

	/* pshufb xmm0, [rsi] (SSSE3) reversing, pshufd xmm1, xmm1, 0x1b. */
	simd_setup(&c);
	c.gpr[R_RSI] = DATA;
	for (i = 0; i < 16; i++)
		F->mem[DATA + i] = (uint8_t)(15 - i);
	r = run(&c, "66 0f 38 00 06", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK(memcmp(F->xsave + XMM(0), F->mem + DATA, 16) == 0);
	c.rip = CODE;
	r = run(&c, "66 0f 70 c9 1b", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(get32(F->xsave + XMM(1)), 0x1f1e1d1cu);

	/* x87: fld1, then fstp qword [rdi] in a second step (stack kept). */
	simd_setup(&c);
	c.gpr[R_RDI] = DATA;
	r = run(&c, "d9 e8", &exc);
	CHECK_EQ(r, INSN_DONE);
	c.rip = CODE;
	r = run(&c, "dd 1f", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(get64(F->mem + DATA), 0x3ff0000000000000ULL);
	/* fnsave writes 108 bytes: more than the window, not completed. */
	c.rip = CODE;
	r = run(&c, "dd 37", &exc);
	CHECK_EQ(r, INSN_UNSUPPORTED);

	/* ldmxcsr / stmxcsr; reserved MXCSR bits: #GP(0). */
	simd_setup(&c);
	c.gpr[R_RDI] = DATA;
	put64(F->mem + DATA, 0x9f80);
	r = run(&c, "0f ae 17", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(get32(F->xsave + 24), 0x9f80);
	c.rip = CODE;
	r = run(&c, "0f ae 5f 08", &exc);	/* stmxcsr [rdi+8] */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(get32(F->mem + DATA + 8), 0x9f80);
	c.rip = CODE;
	put64(F->mem + DATA, 0xffff0000);
	r = run(&c, "0f ae 17", &exc);
	CHECK_FAULT(r, exc, 13, 0);
	CHECK_EQ(get32(F->xsave + 24), 0x9f80);
}

static void test_simd_faults(void)
{
	struct x86_cpu_state c, before;
	struct insn_exception exc;
	enum insn_result r;

	/* Not present: #PF; read-only destination: #PF with W. */
	simd_setup(&c);
	F->page[9] = PG_ABSENT;
	c.gpr[R_RSI] = 0x9010;
	r = run(&c, "66 0f 6e 06", &exc);
	CHECK_FAULT(r, exc, 14, 0);
	CHECK_EQ(exc.cr2, 0x9010);
	simd_setup(&c);
	F->page[9] = PG_RO;
	c.gpr[R_RDI] = 0x9010;
	r = run(&c, "f3 0f 7f 07", &exc);
	CHECK_FAULT(r, exc, 14, 3);
	CHECK_EQ(F->set_xsave_calls, 0);
	/* A 4-byte load at the end of a page before an absent one works. */
	simd_setup(&c);
	F->page[9] = PG_ABSENT;
	c.gpr[R_RSI] = 0x8ffc;
	put64(F->mem + 0x8ff8, 0x4433221100000000ULL);
	r = run(&c, "66 0f 6e 06", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(get64(F->xsave + XMM(0)), 0x44332211ULL);
	/* ...but a 16-byte store that reaches it is a #PF there. */
	c.rip = CODE;
	c.gpr[R_RDI] = 0x8ff8;
	r = run(&c, "f3 0f 7f 0f", &exc);
	CHECK_FAULT(r, exc, 14, 2);
	CHECK_EQ(exc.cr2, 0x9000);

	/* CR0.TS: #NM; CR0.EM or no CR4.OSFXSR: #UD. */
	simd_setup(&c);
	c.cr0 |= 1ULL << 3;
	r = run(&c, "66 0f fe c1", &exc);
	CHECK_FAULT(r, exc, 7, -1);
	simd_setup(&c);
	c.cr4 &= ~X86_CR4_OSFXSR;
	r = run(&c, "66 0f fe c1", &exc);
	CHECK_FAULT(r, exc, 6, -1);
	/* VEX needs OSXSAVE and XCR0, not OSFXSR (kvm-unit-tests' xsave). */
	simd_setup(&c);
	c.cr4 &= ~X86_CR4_OSFXSR;
	r = run(&c, "c5 d9 ef dd", &exc);		/* vpxor xmm3, xmm4, xmm5 */
	CHECK_EQ(r, INSN_DONE);
	/* VEX without AVX in XCR0: #UD. */
	simd_setup(&c);
	F->xcr0 = 3;
	r = run(&c, "c5 d9 ef dd", &exc);
	CHECK_FAULT(r, exc, 6, -1);

	/* Not completed: RSP as an operand, maskmovdqu, no host_simd. */
	simd_setup(&c);
	before = c;
	r = run(&c, "66 0f 6e c4", &exc);	/* movd xmm0, esp */
	CHECK_EQ(r, INSN_UNSUPPORTED);
	r = run(&c, "66 0f 7e e0", &exc);	/* movd eax, xmm4: fine */
	CHECK_EQ(r, INSN_DONE);
	c = before;
	r = run(&c, "66 0f f7 c1", &exc);	/* maskmovdqu */
	CHECK_EQ(r, INSN_UNSUPPORTED);
	env.host_simd = false;
	r = run(&c, "66 0f fe c1", &exc);
	CHECK_EQ(r, INSN_UNSUPPORTED);
	CHECK(memcmp(&c, &before, sizeof(c)) == 0);
}

static void test_simd_avx(void)
{
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;
	unsigned int i;

	if (!host_has(1, 2, 28) || (host_xcr0() & 6) != 6) {
		printf("SKIP test_simd_avx: the host has no AVX\n");
		return;
	}
	/* vpxor xmm3, xmm4, xmm5; vmovdqu ymm6, [rsi] (upper half at 576). */
	simd_setup(&c);
	r = run(&c, "c5 d9 ef dd", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(get32(F->xsave + XMM(3)), 0x43424140u ^ 0x53525150u);
	simd_setup(&c);
	c.gpr[R_RSI] = DATA;
	for (i = 0; i < 32; i++)
		F->mem[DATA + i] = (uint8_t)(0xc0 + i);
	r = run(&c, "c5 fe 6f 36", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK(memcmp(F->xsave + XMM(6), F->mem + DATA, 16) == 0);
	CHECK(memcmp(F->xsave + 576 + 16 * 6, F->mem + DATA + 16, 16) == 0);
	CHECK_EQ(get64(F->xsave + 512) & 4, 4);

	if (!host_has(7, 1, 16) || !host_has(7, 1, 31) ||
	    (host_xcr0() & 0xe6) != 0xe6) {
		printf("SKIP test_simd_avx (AVX-512 part): the host has no AVX-512VL\n");
		return;
	}
	/* EVEX vprord xmm3, xmm3, 16. */
	simd_setup(&c);
	r = run(&c, "62 f1 65 08 72 c3 10", &exc);
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(get32(F->xsave + XMM(3)), 0x31303332u);
	/* EVEX without the AVX-512 state in XCR0: #UD. */
	simd_setup(&c);
	F->xcr0 = 7;
	r = run(&c, "62 f1 65 08 72 c3 10", &exc);
	CHECK_FAULT(r, exc, 6, -1);
}

/*
 * Every vector instruction form of Linux 6.1's blake2s_compress_ssse3 and
 * _avx512 (which its random driver runs in kernel mode) completes.
 */
static void test_simd_blake2s_forms(void)
{
	static const char *const sse[] = {
		"f3 0f 6f 07", "f3 0f 7f 4f 10", "66 44 0f 6e f9",
		"66 0f 6e 24 86", "66 45 0f d4 f7", "66 0f 62 e5", "66 0f 6c e6",
		"66 0f fe c4", "66 41 0f 38 00 dc", "66 0f 72 d1 0c",
		"66 41 0f 72 f0 14", "66 41 0f eb c8", "66 0f 70 c0 93",
		"66 0f ef d8", "66 44 0f 6f d0",
	};
	static const char *const avx[] = {
		"c5 fa 6f 07", "c5 fa 7f 4f 10", "c5 fe 6f 36", "c5 7d 6f 48 e0",
		"c5 7d 7f c6", "c5 f9 6e e9", "c5 d9 d4 e5", "c4 c1 59 ef df",
		"c4 c1 79 fe c0", "c4 43 7d 39 c0 01", "c5 f9 70 c0 93",
		"c5 f8 77",
	};
	static const char *const avx512[] = {
		"62 72 4d 28 76 c7", "62 f1 65 08 72 c3 10",
	};
	struct x86_cpu_state c;
	struct insn_exception exc;
	unsigned int i, r;

	for (i = 0; i < sizeof(sse) / sizeof(sse[0]); i++) {
		simd_setup(&c);
		for (r = 0; r < 16; r++)
			c.gpr[r] = r == R_RSP ? 0 : 0x2000;
		CHECK_EQ(run(&c, sse[i], &exc), INSN_DONE);
	}
	if (!host_has(1, 2, 28) || (host_xcr0() & 6) != 6)
		return;
	for (i = 0; i < sizeof(avx) / sizeof(avx[0]); i++) {
		simd_setup(&c);
		for (r = 0; r < 16; r++)
			c.gpr[r] = r == R_RSP ? 0 : 0x2000;
		CHECK_EQ(run(&c, avx[i], &exc), INSN_DONE);
	}
	if (!host_has(7, 1, 16) || !host_has(7, 1, 31) ||
	    (host_xcr0() & 0xe6) != 0xe6)
		return;
	for (i = 0; i < sizeof(avx512) / sizeof(avx512[0]); i++) {
		simd_setup(&c);
		CHECK_EQ(run(&c, avx512[i], &exc), INSN_DONE);
	}
}

/* clflush/clflushopt/clwb: feature-checked, the line's address faults as a read. */
static void test_cache_line(void)
{
	struct x86_cpu_state c;
	struct insn_exception exc;
	enum insn_result r;

	reset();
	cpu64(&c);
	c.gpr[R_RDI] = DATA;
	F->feat7_ebx |= 1u << 24;			/* CLWB */
	r = run(&c, "66 0f ae 37", &exc);		/* clwb [rdi] */
	CHECK_EQ(r, INSN_DONE);
	CHECK_EQ(c.rip, CODE + 4);

	c.rip = CODE;
	F->page[0x5000 / 4096] = PG_ABSENT;
	c.gpr[R_RDI] = 0x5000;
	r = run(&c, "66 0f ae 37", &exc);
	CHECK_FAULT(r, exc, 14, 0);			/* read, not present */
	CHECK_EQ(exc.cr2, 0x5000);
	CHECK_EQ(c.rip, CODE);

	F->feat7_ebx &= ~(1u << 24);
	c.gpr[R_RDI] = DATA;
	r = run(&c, "66 0f ae 37", &exc);
	CHECK_FAULT(r, exc, 6, -1);

	F->feat1_edx |= 1u << 19;			/* CLFSH */
	r = run(&c, "0f ae 3f", &exc);			/* clflush [rdi] */
	CHECK_EQ(r, INSN_DONE);
	F->feat1_edx &= ~(1u << 19);
	c.rip = CODE;
	r = run(&c, "0f ae 3f", &exc);
	CHECK_FAULT(r, exc, 6, -1);
}

int main(void)
{
	F = calloc(1, sizeof(*F));
	test_int();
	test_cache_line();
	test_single_step_and_unsupported();
	test_fetch();
	test_cmpxchg();
	test_movbe_crc32();
	test_system();
	test_xcr();
	test_xsave_roundtrip();
	test_xsave_compacted();
	test_xrstor_init();
	test_xsave_faults();
	test_xsave_32bit();
	test_addressing64();
	test_bitcount();
	test_clac_stac();
	test_fsgsbase();
	test_hints();
	test_fwait();
	test_sysret();
	test_simd_sse();
	test_simd_faults();
	test_simd_avx();
	test_simd_blake2s_forms();
	free(F);
	return unit_report();
}
