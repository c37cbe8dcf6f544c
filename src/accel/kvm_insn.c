// SPDX-License-Identifier: MIT
/*
 * Completing instructions the host's KVM cannot emulate (HOST.md: int3 in
 * 64-bit ring 0, lock cmpxchg16b, the XSAVE family, movbe, invpcid, clac,
 * vector code, ...): sync the vCPU into a struct x86_cpu_state, run the
 * instruction through the interpreter (x86/insn/), write the state back and
 * inject any exception.  Guest memory is reached through KVM_TRANSLATE and
 * the checked gpa->hva helper; MMIO operands are not completed (the VM
 * stops).
 *
 * Every exit costs about 0.2 ms on this host, so one completion goes on
 * with the instructions that follow for as long as the interpreter can run
 * them (a vector loop is a run of such instructions), up to BATCH_MAX, with
 * the page translations and the XSAVE image cached for the batch.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "accel/kvm_internal.h"
#include "accel/kvm_regs.h"
#include "util/log.h"
#include "vm.h"
#include "x86/insn/insn.h"

#define X86_CR4_PGE_BIT (1ULL << 7)
#define BATCH_MAX 64
#define TLB_SIZE 8

struct tlb_entry {
	uint64_t page;		/* linear page number + 1; 0: empty */
	uint64_t gpa_page;
	bool writeable;
};

/* One completion: the vCPU, and what is cached while it lasts. */
struct session {
	struct kvm_vcpu *v;
	struct tlb_entry tlb[TLB_SIZE];
	unsigned int tlb_next;
	bool xsave_valid, xsave_dirty;
	uint8_t xsave[4096];
};

static int lookup(struct session *s, uint64_t la, struct tlb_entry **out)
{
	uint64_t page = (la >> 12) + 1;
	struct tlb_entry *e;
	uint64_t gpa;
	bool writeable;

	for (unsigned int i = 0; i < TLB_SIZE; i++) {
		if (s->tlb[i].page == page) {
			*out = &s->tlb[i];
			return 0;
		}
	}
	if (kvm_translate(s->v, la & ~0xfffULL, &gpa, &writeable))
		return -EFAULT;
	e = &s->tlb[s->tlb_next++ % TLB_SIZE];
	e->page = page;
	e->gpa_page = gpa & ~0xfffULL;
	e->writeable = writeable;
	*out = e;
	return 0;
}

/* The host address of [la, la + len), which stays inside one page. */
static int translate(struct session *s, uint64_t la, unsigned int len,
		     unsigned int access, void **hva)
{
	struct tlb_entry *e;
	int ret = lookup(s, la, &e);

	if (ret)
		return ret;
	/*
	 * KVM_TRANSLATE reports every page writeable and none user-mode (it
	 * does not check permissions), so only its "not writeable" can be
	 * trusted; user-mode accesses are not refused on its word.
	 */
	if ((access & INSN_ACC_WRITE) && !e->writeable)
		return -EACCES;
	*hva = gpa_to_hva(s->v->vm->mem, e->gpa_page | (la & 0xfff), len);
	return *hva ? 0 : -EIO;		/* MMIO or outside RAM */
}

static int env_read(void *opaque, uint64_t la, void *buf, unsigned int len,
		    unsigned int access)
{
	void *hva;
	int ret = translate(opaque, la, len, access, &hva);

	if (!ret)
		memcpy(buf, hva, len);
	return ret;
}

static int env_write(void *opaque, uint64_t la, const void *buf,
		     unsigned int len, unsigned int access)
{
	void *hva;
	int ret = translate(opaque, la, len, access | INSN_ACC_WRITE, &hva);

	if (!ret)
		memcpy(hva, buf, len);
	return ret;
}

/* Other vCPUs run concurrently: the exchange must be atomic on host memory. */
static int cmpxchg16(void *hva, void *old, const void *new_val)
{
	uint64_t *o = old;
	const uint64_t *n = new_val;
	uint8_t ok;

	__asm__ volatile("lock cmpxchg16b %1\n\tsetz %0"
			 : "=q"(ok), "+m"(*(__int128 *)hva), "+a"(o[0]), "+d"(o[1])
			 : "b"(n[0]), "c"(n[1])
			 : "memory", "cc");
	return ok;
}

static int env_cmpxchg(void *opaque, uint64_t la, void *old,
		       const void *new_val, unsigned int len,
		       unsigned int access)
{
	void *hva;
	uint64_t n8;
	int ret = translate(opaque, la, len, access | INSN_ACC_WRITE, &hva);

	if (ret)
		return ret;
	if (len == 16) {
		if ((uintptr_t)hva & 15)
			return -EINVAL;
		return cmpxchg16(hva, old, new_val);
	}
	if (len != 8)
		return -EINVAL;
	memcpy(&n8, new_val, 8);
	return __atomic_compare_exchange_n((uint64_t *)hva, (uint64_t *)old,
					   n8, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

static int env_get_xsave(void *opaque, void *buf4096)
{
	struct session *s = opaque;
	struct kvm_xsave xs;

	if (!s->xsave_valid) {
		if (ioctl(s->v->fd, KVM_GET_XSAVE, &xs) < 0)
			return -errno;
		memcpy(s->xsave, xs.region, 4096);
		s->xsave_valid = true;
	}
	memcpy(buf4096, s->xsave, 4096);
	return 0;
}

static int env_set_xsave(void *opaque, const void *buf4096)
{
	struct session *s = opaque;

	memcpy(s->xsave, buf4096, 4096);
	s->xsave_valid = true;
	s->xsave_dirty = true;
	return 0;
}

static int flush_xsave(struct session *s)
{
	struct kvm_xsave xs;

	if (!s->xsave_dirty)
		return 0;
	memcpy(xs.region, s->xsave, 4096);
	if (ioctl(s->v->fd, KVM_SET_XSAVE, &xs) < 0)
		return -errno;
	s->xsave_dirty = false;
	return 0;
}

static int env_get_xcr0(void *opaque, uint64_t *xcr0)
{
	struct session *s = opaque;
	struct kvm_xcrs xcrs;

	if (ioctl(s->v->fd, KVM_GET_XCRS, &xcrs) < 0)
		return -errno;
	for (uint32_t i = 0; i < xcrs.nr_xcrs && i < KVM_MAX_XCRS; i++) {
		if (xcrs.xcrs[i].xcr == 0) {
			*xcr0 = xcrs.xcrs[i].value;
			return 0;
		}
	}
	*xcr0 = 1;	/* x87 only: the architectural reset value */
	return 0;
}

static int env_set_xcr0(void *opaque, uint64_t xcr0)
{
	struct session *s = opaque;
	struct kvm_xcrs xcrs = { .nr_xcrs = 1, .xcrs[0] = { .xcr = 0, .value = xcr0 } };

	/* KVM checks XCR0 against the XSAVE image it holds: write ours first. */
	if (flush_xsave(s) < 0)
		return -EIO;
	if (ioctl(s->v->fd, KVM_SET_XCRS, &xcrs) < 0)
		return -EINVAL;
	s->xsave_valid = false;
	return 0;
}

static int env_get_msr(void *opaque, uint32_t index, uint64_t *value)
{
	struct session *s = opaque;
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = { .hdr.nmsrs = 1, .e.index = index };

	if (ioctl(s->v->fd, KVM_GET_MSRS, &m) != 1)
		return -EIO;
	*value = m.e.data;
	return 0;
}

/*
 * kvm_pvm shadows the guest page tables; toggling CR4.PGE through
 * KVM_SET_SREGS resets its MMU context, the flush the guest asked for.
 */
static int env_flush_tlb(void *opaque, unsigned int type, uint64_t pcid,
			 uint64_t la)
{
	struct session *s = opaque;
	struct kvm_sregs sr;

	memset(s->tlb, 0, sizeof(s->tlb));
	if (ioctl(s->v->fd, KVM_GET_SREGS, &sr) < 0)
		return -errno;
	sr.cr4 ^= X86_CR4_PGE_BIT;
	if (ioctl(s->v->fd, KVM_SET_SREGS, &sr) < 0)
		return -errno;
	sr.cr4 ^= X86_CR4_PGE_BIT;
	return ioctl(s->v->fd, KVM_SET_SREGS, &sr) < 0 ? -errno : 0;
}

static int inject(struct kvm_vcpu *v, const struct insn_exception *exc,
		  struct kvm_sregs *sregs)
{
	struct kvm_vcpu_events ev;

	if (ioctl(v->fd, KVM_GET_VCPU_EVENTS, &ev) < 0)
		return -errno;
	ev.flags = 0;
	if (exc->kind == INSN_EXC_SOFT_INTERRUPT) {
		ev.interrupt.injected = 1;
		ev.interrupt.nr = exc->vector;
		ev.interrupt.soft = 1;
	} else {
		ev.exception.injected = 1;
		ev.exception.nr = exc->vector;
		ev.exception.has_error_code = exc->has_error_code;
		ev.exception.error_code = exc->error_code;
		if (exc->vector == 14) {
			sregs->cr2 = exc->cr2;
			if (ioctl(v->fd, KVM_SET_SREGS, sregs) < 0)
				return -errno;
		}
	}
	return ioctl(v->fd, KVM_SET_VCPU_EVENTS, &ev) < 0 ? -errno : 0;
}

/*
 * With KVMRUN_DEBUG_INSN set in the environment, the first completion of
 * each operation is logged with its address: where a guest (Linux) needs
 * which host gap.
 */
static void note_first(const struct x86_insn *insn, uint64_t rip)
{
	static int enabled = -1;
	static bool seen[X86_OP_COUNT];
	char text[96];

	if (enabled < 0)
		enabled = getenv("KVMRUN_DEBUG_INSN") != NULL;
	if (!enabled || insn->op >= X86_OP_COUNT ||
	    __atomic_exchange_n(&seen[insn->op], true, __ATOMIC_RELAXED))
		return;
	x86_insn_format(insn, text, sizeof(text));
	log_info("completed %s at RIP 0x%llx (first time)", text,
		 (unsigned long long)rip);
}

/* ---- System calls from ring 3 ------------------------------------------- */

/*
 * This host's KVM does not enter ring 0 for SYSCALL or INT n executed in
 * ring 3 (tests/guest/gap_syscall.c): after SYSCALL the guest runs on at
 * the LSTAR address still in ring 3, which in Linux faults (#PF at
 * entry_SYSCALL_64, a kernel page), and INT n raises #UD.  Both reach the
 * kernel as exceptions, whose entry code starts with clac, which exits to
 * us.  There the exception is turned into what the instruction should have
 * done: for the #PF, the state SYSCALL produces at LSTAR (RCX and R11 are
 * already right, the stack is the user's, RFLAGS masked by FMASK, CS/SS
 * from STAR); for the #UD on "int n", the entry of IDT gate n with the
 * frame's RIP moved past the instruction.
 */
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084

static int read_u64(const struct insn_env *env, uint64_t la, uint64_t *v)
{
	uint8_t b[8];
	int ret;

	if ((la & 0xfff) > 0xff8) {
		ret = env->read(env->opaque, la, b, 4, 0);
		if (!ret)
			ret = env->read(env->opaque, la + 4, b + 4, 4, 0);
	} else {
		ret = env->read(env->opaque, la, b, 8, 0);
	}
	memcpy(v, b, 8);
	return ret;
}

/* The 64-bit handler address of IDT gate vec, 0 if not present. */
static uint64_t gate_entry(const struct insn_env *env,
			   const struct x86_cpu_state *cpu, unsigned int vec,
			   unsigned int *dpl)
{
	uint64_t lo, hi;

	if (vec * 16 + 15 > cpu->idt.limit ||
	    read_u64(env, cpu->idt.base + vec * 16, &lo) ||
	    read_u64(env, cpu->idt.base + vec * 16 + 8, &hi))
		return 0;
	if (!(lo & (1ULL << 47)))
		return 0;
	*dpl = (lo >> 45) & 3;
	return (lo & 0xffff) | ((lo >> 32) & 0xffff0000ULL) | (hi << 32);
}

static void flat_segment(struct x86_seg *sg, uint16_t sel, bool code)
{
	memset(sg, 0, sizeof(*sg));
	sg->selector = sel;
	sg->limit = 0xffffffff;
	sg->type = code ? 0xb : 0x3;
	sg->s = 1;
	sg->present = 1;
	sg->l = code;
	sg->db = !code;
	sg->g = 1;
}

/* A #PF from ring 3 at RIP = CR2 = LSTAR: the SYSCALL this host dropped. */
static bool fix_syscall(struct session *s, const struct insn_env *env,
			struct x86_cpu_state *cpu)
{
	uint64_t frame[6], lstar, star, fmask;

	for (unsigned int i = 0; i < 6; i++)
		if (read_u64(env, cpu->gpr[R_RSP] + 8 * i, &frame[i]))
			return false;
	/* error code, RIP, CS, RFLAGS, RSP, SS */
	if ((frame[2] & 3) != 3 || frame[1] != cpu->cr2 ||
	    env_get_msr(s, MSR_LSTAR, &lstar) || frame[1] != lstar ||
	    env_get_msr(s, MSR_STAR, &star) || env_get_msr(s, MSR_FMASK, &fmask))
		return false;
	cpu->rip = lstar;
	cpu->gpr[R_RSP] = frame[4];
	cpu->rflags = (cpu->gpr[R_R11] & ~fmask & ~(1ULL << 16)) |
		      X86_RFLAGS_FIXED;
	flat_segment(&cpu->seg[S_CS], (uint16_t)((star >> 32) & 0xfffc), true);
	flat_segment(&cpu->seg[S_SS], (uint16_t)(((star >> 32) & 0xfffc) + 8), false);
	return true;
}

/* A #UD from ring 3 on "int n" (cd nn): deliver gate n instead. */
static bool fix_int_n(const struct insn_env *env, struct x86_cpu_state *cpu)
{
	uint64_t rip, cs, entry;
	uint8_t insn[2];
	unsigned int dpl;

	if (read_u64(env, cpu->gpr[R_RSP], &rip) ||
	    read_u64(env, cpu->gpr[R_RSP] + 8, &cs) || (cs & 3) != 3 ||
	    env->read(env->opaque, rip, insn, 1, 0) ||
	    env->read(env->opaque, rip + 1, insn + 1, 1, 0) ||
	    insn[0] != 0xcd)
		return false;
	entry = gate_entry(env, cpu, insn[1], &dpl);
	if (!entry || dpl != 3)
		return false;
	rip += 2;
	if (env->write(env->opaque, cpu->gpr[R_RSP], &rip, 8, 0))
		return false;
	cpu->rip = entry;
	return true;
}

/* True if the exception being entered was a dropped system call, redone. */
static bool fix_user_entry(struct session *s, const struct insn_env *env,
			   struct x86_cpu_state *cpu)
{
	unsigned int dpl;

	if (x86_cpu_code_size(cpu) != 64 || x86_cpl(cpu) != 0)
		return false;
	if (cpu->rip == gate_entry(env, cpu, 14, &dpl))
		return fix_syscall(s, env, cpu);
	if (cpu->rip == gate_entry(env, cpu, 6, &dpl))
		return fix_int_n(env, cpu);
	return false;
}

/*
 * Runs the instruction at RIP, then the ones after it while the
 * interpreter completes them and nothing needs the guest to run (an
 * exception, single-stepping).  Returns the last result; *exc holds the
 * exception of an INSN_EXCEPTION.
 */
static enum insn_result run_batch(struct x86_cpu_state *cpu,
				  const struct insn_env *env,
				  struct insn_exception *exc)
{
	struct x86_insn insn;
	uint64_t rip = cpu->rip;
	enum insn_result r;

	r = x86_insn_step(cpu, env, exc, &insn);
	if (r == INSN_UNSUPPORTED)
		return r;
	note_first(&insn, rip);
	if (r != INSN_DONE)
		return r;
	for (unsigned int n = 1; n < BATCH_MAX; n++) {
		if (cpu->rflags & X86_RFLAGS_TF)
			break;
		rip = cpu->rip;
		r = x86_insn_step(cpu, env, exc, &insn);
		if (r == INSN_UNSUPPORTED)
			return INSN_DONE;	/* nothing changed: KVM runs it */
		note_first(&insn, rip);
		if (r != INSN_DONE)
			return r;
	}
	return INSN_DONE;
}

int kvm_complete_insn(struct kvm_vcpu *v)
{
	struct session s;
	const struct insn_env env = {
		.opaque = &s,
		.read = env_read,
		.write = env_write,
		.cmpxchg = env_cmpxchg,
		.get_xsave = env_get_xsave,
		.set_xsave = env_set_xsave,
		.get_xcr0 = env_get_xcr0,
		.set_xcr0 = env_set_xcr0,
		.get_msr = env_get_msr,
		.flush_tlb = env_flush_tlb,
		/* The guest's CPUID is the host's here (HOST.md). */
		.host_simd = true,
	};
	struct x86_cpu_state cpu;
	struct insn_exception exc;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	uint64_t fs_base, gs_base;
	uint16_t ss_sel, cs_sel;
	enum insn_result r;
	int ret;

	memset(&s, 0, offsetof(struct session, xsave));
	s.v = v;
	if (ioctl(v->fd, KVM_GET_REGS, &regs) < 0 ||
	    ioctl(v->fd, KVM_GET_SREGS, &sregs) < 0)
		return -errno;
	kvm_regs_to_cpu(&regs, &sregs, &cpu);
	fs_base = cpu.seg[S_FS].base;
	gs_base = cpu.seg[S_GS].base;
	ss_sel = cpu.seg[S_SS].selector;
	cs_sel = cpu.seg[S_CS].selector;
	if (fix_user_entry(&s, &env, &cpu))
		r = INSN_DONE;
	else
		r = run_batch(&cpu, &env, &exc);
	if (r == INSN_UNSUPPORTED)
		return -ENOTSUP;
	/* The XSAVE image, GPRs, RIP, RFLAGS, FS/GS bases, CS and SS change. */
	ret = flush_xsave(&s);
	if (ret)
		return ret;
	kvm_regs_from_cpu(&cpu, &regs, &sregs);
	if (ioctl(v->fd, KVM_SET_REGS, &regs) < 0)
		return -errno;
	if ((cpu.seg[S_FS].base != fs_base || cpu.seg[S_GS].base != gs_base ||
	     cpu.seg[S_SS].selector != ss_sel ||
	     cpu.seg[S_CS].selector != cs_sel) &&
	    ioctl(v->fd, KVM_SET_SREGS, &sregs) < 0)
		return -errno;
	if (r == INSN_EXCEPTION)
		return inject(v, &exc, &sregs);
	return 0;
}
