/* SPDX-License-Identifier: MIT */
/*
 * The x86 instruction interpreter: a table-driven decoder, an executor over
 * struct x86_cpu_state, and a formatter for diagnostics.
 *
 * Today it completes the instructions this host's KVM cannot emulate (int3,
 * int n, into, int1, ud0/1/2, cmpxchg8b/16b, the XSAVE family, movbe, crc32,
 * invpcid, rdtscp, rdpid, popcnt, lzcnt, tzcnt, clac, stac, and vector
 * instructions run on the host CPU: simd.c); it is shaped to grow into a
 * software CPU.
 *
 * How the KVM vCPU loop uses it, after KVM_RUN returned
 * KVM_EXIT_INTERNAL_ERROR / KVM_INTERNAL_ERROR_EMULATION:
 *
 *	1. KVM_GET_REGS + KVM_GET_SREGS -> struct x86_cpu_state.
 *	2. r = x86_insn_step(&cpu, &env, &exc, &insn);
 *	3. INSN_DONE:        KVM_SET_REGS (general registers, RIP, RFLAGS are
 *	                     all that change today), resume.
 *	   INSN_EXCEPTION:   KVM_SET_REGS (RIP is already right, see
 *	                     enum insn_exc_kind), then inject exc with
 *	                     KVM_SET_VCPU_EVENTS, resume.
 *	   INSN_UNSUPPORTED: nothing changed; print the register dump (with
 *	                     x86_insn_format(&insn) or x86_insn_format_bytes)
 *	                     and stop the VM.
 *
 * Guest memory is reached only through struct insn_env: the interpreter
 * computes linear addresses (segments, canonical checks, limits) and the
 * caller translates them.
 */
#ifndef KVMRUN_X86_INSN_H
#define KVMRUN_X86_INSN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "x86/cpu.h"

#define X86_MAX_INSN_LEN 15

/* ---- Guest access ------------------------------------------------------ */

/* The access argument of the memory callbacks: what the page walk checks. */
#define INSN_ACC_WRITE	(1u << 0)	/* a write (or the write of a RMW) */
#define INSN_ACC_USER	(1u << 1)	/* a CPL 3 access: check U/S */
#define INSN_ACC_FETCH	(1u << 2)	/* instruction fetch: check NX */

/*
 * Everything the interpreter needs from outside the register file.
 *
 * Memory callbacks take a linear address.  The interpreter never passes a
 * range that crosses a 4 KiB boundary: it splits accesses itself, so one
 * translation per call is enough and a fault names the exact page.  They
 * return:
 *	0		done
 *	-EFAULT		no translation (page not present)    -> #PF, P=0
 *	-EACCES		present, but access not allowed      -> #PF, P=1
 *	-EBADMSG	reserved bit set in a paging entry   -> #PF, P=1 RSVD
 *	other < 0	cannot be completed (e.g. MMIO)      -> INSN_UNSUPPORTED
 * A #PF is only raised with CR0.PG=1; without paging any failure is
 * INSN_UNSUPPORTED.  A write split over two pages may have written the
 * first page when the second one faults (the guest restarts the
 * instruction after its #PF handler; the XSAVE family is restartable).
 */
struct insn_env {
	void *opaque;

	int (*read)(void *opaque, uint64_t la, void *buf, unsigned int len,
		    unsigned int access);
	int (*write)(void *opaque, uint64_t la, const void *buf,
		     unsigned int len, unsigned int access);
	/*
	 * Atomic compare-and-exchange of len (8 or 16) bytes at la, which
	 * does not cross a page (16-byte operands are 16-byte aligned; 8-byte
	 * ones may be misaligned).  Returns 1 if swapped, 0 if not (*old is
	 * then updated with the current value), or a negative error as above.
	 * It needs write permission whether or not it swaps, like the CPU.
	 */
	int (*cmpxchg)(void *opaque, uint64_t la, void *old,
		       const void *new_val, unsigned int len,
		       unsigned int access);

	/*
	 * XSAVE state in the standard, non-compacted 4096-byte layout of
	 * KVM_GET_XSAVE / KVM_SET_XSAVE (legacy region in the 64-bit FXSAVE
	 * format, XSTATE_BV = the components in use, XCOMP_BV = 0), and XCR0
	 * (KVM_GET_XCRS / KVM_SET_XCRS).  set_xcr0 returning -EINVAL means
	 * "refused" and becomes #GP(0) in the guest.
	 */
	int (*get_xsave)(void *opaque, void *buf4096);
	int (*set_xsave)(void *opaque, const void *buf4096);
	int (*get_xcr0)(void *opaque, uint64_t *xcr0);
	int (*set_xcr0)(void *opaque, uint64_t xcr0);

	/*
	 * Optional.  MSR reads: IA32_XSS (0xda0) for XSAVES/XRSTORS, IA32_TSC
	 * (0x10) and IA32_TSC_AUX (0xc0000103) for RDTSCP/RDPID.  NULL: those
	 * instructions are INSN_UNSUPPORTED (XSAVES/XRSTORS then assume
	 * IA32_XSS = 0).
	 */
	int (*get_msr)(void *opaque, uint32_t index, uint64_t *value);

	/*
	 * Optional.  The guest's CPUID (leaf 1, 7, 0xd).  NULL: the host's
	 * cpuid instruction, which is what a guest sees on this host (HOST.md).
	 */
	int (*cpuid)(void *opaque, uint32_t leaf, uint32_t subleaf,
		     uint32_t regs[4]);

	/*
	 * Optional.  Invalidate cached translations, for INVPCID.  type is the
	 * INVPCID type (0: one address in one PCID, 1: one PCID, 2: all
	 * including globals, 3: all but globals).  The caller must make the
	 * next guest entry see the guest page tables afresh (under KVM: a
	 * shadow-MMU reload, e.g. a KVM_SET_SREGS that toggles CR4.PGE, the
	 * same thing the guest's own flush_tlb_all does).  NULL: INVPCID is
	 * INSN_UNSUPPORTED, because skipping the flush is not safe when the
	 * host shadows the guest page tables, as kvm-pvm does.
	 */
	int (*flush_tlb)(void *opaque, unsigned int type, uint64_t pcid,
			 uint64_t la);

	/*
	 * The guest's vector instructions may run on the host CPU (x86-64
	 * hosts only): true when the guest's CPUID is the host's, as on this
	 * host (HOST.md).  SSE/AVX/AVX-512, x87, ldmxcsr/stmxcsr and emms are then
	 * completed in 64-bit mode against the get_xsave/set_xsave image
	 * (see simd.c); false: they are INSN_UNSUPPORTED.
	 */
	bool host_simd;
};

/* ---- Results ----------------------------------------------------------- */

enum insn_result {
	INSN_DONE,		/* completed; RIP advanced */
	INSN_EXCEPTION,		/* inject *exc (see its kind for RIP) */
	INSN_UNSUPPORTED,	/* state untouched; the caller stops the VM */
};

enum insn_exc_kind {
	/*
	 * Fault (#UD, #GP, #PF, #NM, #SS, #AC): RIP still points at the
	 * instruction.  Inject as a hardware exception (KVM_SET_VCPU_EVENTS
	 * exception.injected=1, nr, has_error_code, error_code; for #PF the
	 * payload/CR2 is cr2).
	 */
	INSN_EXC_FAULT,
	/*
	 * int3 (#BP) and into (#OF): RIP is past the instruction.  Inject the
	 * vector as an exception (the same KVM_SET_VCPU_EVENTS call); the
	 * handler sees the next instruction's address, as on hardware.
	 */
	INSN_EXC_SOFT_EXCEPTION,
	/*
	 * int n: RIP is past the instruction.  Inject as a software interrupt
	 * (interrupt.injected=1, nr, soft=1).  The IDT gate DPL check is part
	 * of delivery and left to it.
	 */
	INSN_EXC_SOFT_INTERRUPT,
	/*
	 * int1 (icebp, F1) and the single-step trap after a completed
	 * instruction with RFLAGS.TF=1: #DB, RIP past the instruction, DR6
	 * bits to merge in dr6 (KVM exception payload for #DB).
	 */
	INSN_EXC_DEBUG_TRAP,
};

struct insn_exception {
	uint8_t vector;
	uint8_t kind;			/* enum insn_exc_kind */
	uint8_t insn_len;		/* length of the instruction */
	bool has_error_code;
	uint32_t error_code;
	uint64_t cr2;			/* #PF: the faulting linear address */
	uint64_t dr6;			/* #DB: DR6 bits (e.g. BS = 1 << 14) */
};

/* ---- Decoder ----------------------------------------------------------- */

/* Operations: one per mnemonic family (jcc/setcc/cmovcc carry a condition). */
#define X86_OPS(X)							\
	X(UNKNOWN, "(bad)")	/* not in the tables: length known, meaning not */ \
	X(INVALID, "(invalid)")	/* architecturally #UD in this mode */	\
	X(VEX, "(vex)") X(EVEX, "(evex)") X(SSE, "(sse)") X(X87, "(x87)") \
	X(3DNOW, "(3dnow)")						\
	X(ADD, "add") X(OR, "or") X(ADC, "adc") X(SBB, "sbb")		\
	X(AND, "and") X(SUB, "sub") X(XOR, "xor") X(CMP, "cmp")	\
	X(PUSH, "push") X(POP, "pop") X(DAA, "daa") X(DAS, "das")	\
	X(AAA, "aaa") X(AAS, "aas") X(INC, "inc") X(DEC, "dec")	\
	X(PUSHA, "pusha") X(POPA, "popa") X(BOUND, "bound")		\
	X(ARPL, "arpl") X(MOVSXD, "movsxd") X(IMUL, "imul")		\
	X(INS, "ins") X(OUTS, "outs") X(JCC, "j") X(TEST, "test")	\
	X(XCHG, "xchg") X(MOV, "mov") X(LEA, "lea") X(NOP, "nop")	\
	X(PAUSE, "pause") X(CBW, "cbw") X(CWD, "cwd")			\
	X(CALLF, "call far") X(FWAIT, "fwait") X(PUSHF, "pushf")	\
	X(POPF, "popf") X(SAHF, "sahf") X(LAHF, "lahf")		\
	X(MOVS, "movs") X(CMPS, "cmps") X(STOS, "stos") X(LODS, "lods") \
	X(SCAS, "scas") X(RET, "ret") X(LES, "les") X(LDS, "lds")	\
	X(ENTER, "enter") X(LEAVE, "leave") X(RETF, "retf")		\
	X(INT3, "int3") X(INT, "int") X(INTO, "into") X(IRET, "iret")	\
	X(ROL, "rol") X(ROR, "ror") X(RCL, "rcl") X(RCR, "rcr")	\
	X(SHL, "shl") X(SHR, "shr") X(SAR, "sar") X(AAM, "aam")	\
	X(AAD, "aad") X(SALC, "salc") X(XLAT, "xlat")			\
	X(LOOPNE, "loopne") X(LOOPE, "loope") X(LOOP, "loop")		\
	X(JCXZ, "jcxz") X(IN, "in") X(OUT, "out") X(CALL, "call")	\
	X(JMP, "jmp") X(JMPF, "jmp far") X(INT1, "int1") X(HLT, "hlt") \
	X(CMC, "cmc") X(NOT, "not") X(NEG, "neg") X(MUL, "mul")	\
	X(DIV, "div") X(IDIV, "idiv") X(CLC, "clc") X(STC, "stc")	\
	X(CLI, "cli") X(STI, "sti") X(CLD, "cld") X(STD, "std")	\
	X(XABORT, "xabort") X(XBEGIN, "xbegin")				\
	X(SLDT, "sldt") X(STR, "str") X(LLDT, "lldt") X(LTR, "ltr")	\
	X(VERR, "verr") X(VERW, "verw") X(SGDT, "sgdt") X(SIDT, "sidt") \
	X(LGDT, "lgdt") X(LIDT, "lidt") X(SMSW, "smsw") X(LMSW, "lmsw") \
	X(INVLPG, "invlpg") X(SWAPGS, "swapgs") X(RDTSCP, "rdtscp")	\
	X(VMCALL, "vmcall") X(VMLAUNCH, "vmlaunch")			\
	X(VMRESUME, "vmresume") X(VMXOFF, "vmxoff")			\
	X(MONITOR, "monitor") X(MWAIT, "mwait") X(CLAC, "clac")	\
	X(STAC, "stac") X(ENCLS, "encls") X(XGETBV, "xgetbv")		\
	X(XSETBV, "xsetbv") X(VMFUNC, "vmfunc") X(XEND, "xend")	\
	X(XTEST, "xtest") X(ENCLU, "enclu") X(VMRUN, "vmrun")		\
	X(VMMCALL, "vmmcall") X(VMLOAD, "vmload") X(VMSAVE, "vmsave")	\
	X(STGI, "stgi") X(CLGI, "clgi") X(SKINIT, "skinit")		\
	X(INVLPGA, "invlpga") X(RDPKRU, "rdpkru") X(WRPKRU, "wrpkru")	\
	X(MONITORX, "monitorx") X(MWAITX, "mwaitx") X(CLZERO, "clzero") \
	X(RDPRU, "rdpru") X(SERIALIZE, "serialize")			\
	X(LAR, "lar") X(LSL, "lsl") X(SYSCALL, "syscall")		\
	X(CLTS, "clts") X(SYSRET, "sysret") X(INVD, "invd")		\
	X(WBINVD, "wbinvd") X(UD2, "ud2") X(UD1, "ud1") X(UD0, "ud0")	\
	X(PREFETCH, "prefetch") X(PREFETCHW, "prefetchw")		\
	X(PREFETCHNTA, "prefetchnta") X(PREFETCHT0, "prefetcht0")	\
	X(PREFETCHT1, "prefetcht1") X(PREFETCHT2, "prefetcht2")	\
	X(FEMMS, "femms") X(ENDBR64, "endbr64") X(ENDBR32, "endbr32")	\
	X(WRMSR, "wrmsr") X(RDTSC, "rdtsc") X(RDMSR, "rdmsr")		\
	X(RDPMC, "rdpmc") X(SYSENTER, "sysenter") X(SYSEXIT, "sysexit") \
	X(GETSEC, "getsec") X(CMOVCC, "cmov") X(EMMS, "emms")		\
	X(VMREAD, "vmread") X(VMWRITE, "vmwrite") X(EXTRQ, "extrq")	\
	X(INSERTQ, "insertq") X(SETCC, "set") X(CPUID, "cpuid")	\
	X(BT, "bt") X(BTS, "bts") X(BTR, "btr") X(BTC, "btc")		\
	X(SHLD, "shld") X(SHRD, "shrd") X(RSM, "rsm")			\
	X(FXSAVE, "fxsave") X(FXRSTOR, "fxrstor") X(LDMXCSR, "ldmxcsr") \
	X(STMXCSR, "stmxcsr") X(XSAVE, "xsave") X(XRSTOR, "xrstor")	\
	X(XSAVEOPT, "xsaveopt") X(XSAVEC, "xsavec") X(XSAVES, "xsaves") \
	X(XRSTORS, "xrstors") X(CLFLUSH, "clflush")			\
	X(CLFLUSHOPT, "clflushopt") X(CLWB, "clwb") X(LFENCE, "lfence") \
	X(MFENCE, "mfence") X(SFENCE, "sfence") X(RDFSBASE, "rdfsbase") \
	X(RDGSBASE, "rdgsbase") X(WRFSBASE, "wrfsbase")		\
	X(WRGSBASE, "wrgsbase") X(PTWRITE, "ptwrite")			\
	X(CMPXCHG, "cmpxchg") X(LSS, "lss") X(LFS, "lfs") X(LGS, "lgs") \
	X(MOVZX, "movzx") X(MOVSX, "movsx") X(POPCNT, "popcnt")	\
	X(BSF, "bsf") X(TZCNT, "tzcnt") X(BSR, "bsr") X(LZCNT, "lzcnt") \
	X(XADD, "xadd") X(MOVNTI, "movnti") X(CMPXCHG8B, "cmpxchg8b")	\
	X(VMPTRLD, "vmptrld") X(VMCLEAR, "vmclear") X(VMXON, "vmxon")	\
	X(VMPTRST, "vmptrst") X(RDRAND, "rdrand") X(RDSEED, "rdseed")	\
	X(RDPID, "rdpid") X(BSWAP, "bswap") X(MOVBE, "movbe")		\
	X(CRC32, "crc32") X(INVEPT, "invept") X(INVVPID, "invvpid")	\
	X(INVPCID, "invpcid")

enum x86_op {
#define X86_OP_ENUM(name, str) X86_OP_##name,
	X86_OPS(X86_OP_ENUM)
#undef X86_OP_ENUM
	X86_OP_COUNT
};

/* Operand kinds (as in the SDM's opcode-map notation). */
enum x86_opnd_kind {
	X86_OPK_NONE,
	X86_OPK_E,	/* ModRM r/m: register or memory */
	X86_OPK_M,	/* ModRM r/m: memory only */
	X86_OPK_G,	/* ModRM reg: general register */
	X86_OPK_R,	/* ModRM r/m: general register only (mov cr/dr) */
	X86_OPK_Z,	/* general register in opcode bits 2:0 (+REX.B) */
	X86_OPK_REG,	/* fixed general register (reg field) */
	X86_OPK_SREG,	/* segment register in ModRM reg */
	X86_OPK_SEG,	/* fixed segment register (reg field) */
	X86_OPK_CR,	/* control register in ModRM reg */
	X86_OPK_DR,	/* debug register in ModRM reg */
	X86_OPK_I,	/* immediate */
	X86_OPK_ONE,	/* the constant 1 (shifts) */
	X86_OPK_J,	/* relative branch target */
	X86_OPK_O,	/* moffs: address-size absolute offset */
	X86_OPK_A,	/* far pointer immediate (ptr16:16/32) */
	X86_OPK_X,	/* string source DS:rSI */
	X86_OPK_Y,	/* string destination ES:rDI */
};

/* Operand size codes. */
enum x86_opnd_size {
	X86_SZ_NONE,
	X86_SZ_B,	/* byte */
	X86_SZ_W,	/* word */
	X86_SZ_D,	/* dword */
	X86_SZ_Q,	/* qword */
	X86_SZ_V,	/* operand size: 2, 4 or 8 */
	X86_SZ_Z,	/* 2 with 16-bit operand size, else 4 */
	X86_SZ_Y,	/* 8 with 64-bit operand size, else 4 */
	X86_SZ_DQ,	/* 16 bytes */
};

struct x86_opnd {
	uint8_t kind;		/* enum x86_opnd_kind */
	uint8_t size;		/* enum x86_opnd_size */
	uint8_t reg;		/* for X86_OPK_REG / X86_OPK_SEG */
};

#define X86_MAX_OPNDS 3

/* insn->prefixes */
#define X86_PFX_LOCK	(1u << 0)
#define X86_PFX_REP	(1u << 1)	/* F3 */
#define X86_PFX_REPNE	(1u << 2)	/* F2 */
#define X86_PFX_OPSIZE	(1u << 3)	/* 66 */
#define X86_PFX_ADSIZE	(1u << 4)	/* 67 */

/* insn->flags (copied from the opcode table, see decode.c) */
#define X86_IF_LOCKABLE	(1u << 0)	/* LOCK allowed with a memory dest */
#define X86_IF_MEMONLY	(1u << 1)	/* register form is #UD */
#define X86_IF_REGONLY	(1u << 2)	/* memory form is #UD */

/* Special base for RIP-relative addressing. */
#define X86_REG_RIP 16
#define X86_REG_NONE 0xff

struct x86_insn {
	uint8_t len;
	uint8_t mode;		/* 16, 32 or 64 */
	uint8_t opsize;		/* 2, 4 or 8 */
	uint8_t addrsize;	/* 2, 4 or 8 */
	uint16_t op;		/* enum x86_op */
	uint8_t map;		/* 0: one-byte, 1: 0F, 2: 0F38, 3: 0F3A */
	uint8_t opcode;		/* the opcode byte in that map */
	uint8_t prefixes;	/* X86_PFX_* */
	uint8_t mandatory;	/* mandatory prefix selecting the entry: 0,
				   0x66, 0xf3 or 0xf2 */
	uint8_t seg;		/* segment override (enum x86_seg_reg) or
				   X86_REG_NONE */
	uint8_t rex;		/* the REX byte, 0 if none */
	uint8_t flags;		/* X86_IF_* */

	bool has_modrm;
	uint8_t modrm;
	uint8_t mod;		/* ModRM.mod */
	uint8_t reg;		/* ModRM.reg, extended by REX.R */
	uint8_t rm;		/* ModRM.rm, extended by REX.B (register form) */
	uint8_t modrm_pos;	/* offset of the ModRM byte in bytes[] */

	/* Memory operand (mod != 3): base/index are GPR numbers, X86_REG_RIP
	   or X86_REG_NONE. */
	bool has_mem;
	uint8_t base;
	uint8_t index;
	uint8_t scale;		/* 1, 2, 4 or 8 */
	int64_t disp;		/* sign-extended */

	uint8_t imm_len, imm2_len;
	uint64_t imm;		/* first immediate, zero-extended raw bytes */
	uint64_t imm2;		/* second immediate (enter, far pointers: the
				   selector; extrq/insertq) */

	/* VEX/EVEX (op X86_OP_VEX / X86_OP_EVEX): decoded for length only. */
	uint8_t vex_l;
	uint8_t vex_w;

	struct x86_opnd opnd[X86_MAX_OPNDS];
	uint8_t bytes[X86_MAX_INSN_LEN];
};

/*
 * Decodes one instruction from bytes[0..avail) in a 16-, 32- or 64-bit code
 * segment.  Never reads past avail.  Returns the length (1..15), or
 *	-ENODATA  the instruction continues past avail (fetch more),
 *	-E2BIG    it would be longer than 15 bytes (#GP(0) on hardware),
 *	-EINVAL   bad mode argument.
 * Opcodes that are #UD in this mode decode with op X86_OP_INVALID; ones the
 * tables know only by shape decode with their length and op X86_OP_UNKNOWN
 * (or a class such as X86_OP_SSE).
 */
int x86_decode(const uint8_t *bytes, unsigned int avail, unsigned int mode,
	       struct x86_insn *out);

/* The width in bytes of operand o of insn (0: none, or not a fixed size). */
unsigned int x86_opnd_bytes(const struct x86_insn *insn,
			    const struct x86_opnd *o);

/* The mnemonic of a decoded instruction ("xrstor64", "jne", "cmpxchg16b"). */
const char *x86_insn_mnemonic(const struct x86_insn *insn, char *buf,
			      size_t size);

/*
 * "48 0f ae 2f  xrstor64 [rdi]": bytes, mnemonic and operands (Intel
 * syntax).  Returns what snprintf would.
 */
int x86_insn_format(const struct x86_insn *insn, char *buf, size_t size);

/*
 * For the fatal-exit dump: decodes bytes[0..avail) and formats it, or, if
 * it does not decode, prints the raw bytes and the reason.
 */
int x86_insn_format_bytes(const uint8_t *bytes, unsigned int avail,
			  unsigned int mode, char *buf, size_t size);

/* ---- Executor ---------------------------------------------------------- */

/* The code size of the current CS: 16, 32 or 64. */
unsigned int x86_cpu_code_size(const struct x86_cpu_state *cpu);

/*
 * Fetches, decodes and executes the instruction at CS:RIP.  On INSN_DONE the
 * register state is updated (RIP advanced, RFLAGS.RF cleared); on
 * INSN_EXCEPTION only what the exception kind says (RIP for traps, nothing
 * for faults); on INSN_UNSUPPORTED nothing.  Guest memory may have been
 * partly written by a multi-page store that then faulted or hit memory the
 * env cannot reach (see struct insn_env); the XSAVE state (set_xsave) and
 * XCR0 change only on INSN_DONE.
 *
 * If insn is not NULL it receives the decoded instruction (zeroed with
 * len 0 if the fetch failed), for diagnostics.
 */
enum insn_result x86_insn_step(struct x86_cpu_state *cpu,
			       const struct insn_env *env,
			       struct insn_exception *exc,
			       struct x86_insn *insn);

#endif
