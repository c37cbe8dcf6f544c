// SPDX-License-Identifier: MIT
/*
 * The opcode maps, written from the opcode tables of the Intel SDM (vol. 2,
 * appendix A) and the AMD APM (vol. 3, appendix A).  Where the two differ the
 * host's vendor (AMD) wins: e.g. 66 before a near branch in 64-bit mode
 * selects a 16-bit operand size.
 *
 * Integer and system instructions are named; SSE/AVX-era opcodes are
 * described only by shape (ModRM, immediate) so that lengths are right.
 * X86_OP_INVALID marks encodings that raise #UD; X86_OP_UNKNOWN marks ones
 * whose meaning the tables do not give.
 */
#include "x86/insn/tables.h"

/* ---- Operand shorthand, after the SDM's notation ----------------------- */

#define OPND(k, s) { X86_OPK_##k, X86_SZ_##s, 0 }
#define OREG(r, s) { X86_OPK_REG, X86_SZ_##s, R_##r }
#define OSEG(s) { X86_OPK_SEG, X86_SZ_W, S_##s }

#define Eb OPND(E, B)
#define Ew OPND(E, W)
#define Ed OPND(E, D)
#define Ev OPND(E, V)
#define Ey OPND(E, Y)
#define Gb OPND(G, B)
#define Gw OPND(G, W)
#define Gv OPND(G, V)
#define Gy OPND(G, Y)
#define Gz OPND(G, Z)
#define M OPND(M, NONE)
#define Mb OPND(M, B)
#define Mw OPND(M, W)
#define Md OPND(M, D)
#define Mq OPND(M, Q)
#define Mv OPND(M, V)
#define My OPND(M, Y)
#define Mdq OPND(M, DQ)
#define Rv OPND(R, V)
#define Rw OPND(R, W)
#define Ry OPND(R, Y)
#define Ib OPND(I, B)
#define Iw OPND(I, W)
#define Iz OPND(I, Z)
#define Iv OPND(I, V)
#define Jb OPND(J, B)
#define Jz OPND(J, Z)
#define Ob OPND(O, B)
#define Ov OPND(O, V)
#define Ap OPND(A, Z)
#define Zb OPND(Z, B)
#define Zv OPND(Z, V)
#define Sw OPND(SREG, W)
#define Cy OPND(CR, Y)
#define Dy OPND(DR, Y)
#define Xb OPND(X, B)
#define Xv OPND(X, V)
#define Xz OPND(X, Z)
#define Yb OPND(Y, B)
#define Yv OPND(Y, V)
#define Yz OPND(Y, Z)
#define ONE OPND(ONE, NONE)
#define AL OREG(RAX, B)
#define CL OREG(RCX, B)
#define DX OREG(RDX, W)
#define rAX OREG(RAX, V)
#define eAX OREG(RAX, Z)

/* ---- Entry shorthand --------------------------------------------------- */

#define E(o, f, ...) { .op = X86_OP_##o, .flags = (f), .opnd = { __VA_ARGS__ } }
#define ESC(kind, tab, f) { .esc = ESC_##kind, .sub = (tab), .flags = (f) }
#define BAD { .op = X86_OP_INVALID }
#define BADM { .op = X86_OP_INVALID, .flags = OF_MODRM }
#define UNK { .op = X86_OP_UNKNOWN }
#define UNKM { .op = X86_OP_UNKNOWN, .flags = OF_MODRM }
#define SSE { .op = X86_OP_SSE, .flags = OF_MODRM }
#define SSEI { .op = X86_OP_SSE, .flags = OF_MODRM, .opnd = { Ib } }

/* Variadic, because an expanded entry is full of commas. */
#define X4(...) __VA_ARGS__, __VA_ARGS__, __VA_ARGS__, __VA_ARGS__
#define X8(...) X4(__VA_ARGS__), X4(__VA_ARGS__)
#define X16(...) X8(__VA_ARGS__), X8(__VA_ARGS__)

/* The eight ALU operations of 00-3F and group 1, in encoding order. */
#define ALU_ROW(o, lk)							\
	E(o, OF_MODRM | lk, Eb, Gb), E(o, OF_MODRM | lk, Ev, Gv),	\
	E(o, OF_MODRM, Gb, Eb), E(o, OF_MODRM, Gv, Ev),		\
	E(o, 0, AL, Ib), E(o, 0, rAX, Iz)

#define GRP1(a, b)							\
	{ E(ADD, OF_LOCK, a, b), E(OR, OF_LOCK, a, b),			\
	  E(ADC, OF_LOCK, a, b), E(SBB, OF_LOCK, a, b),			\
	  E(AND, OF_LOCK, a, b), E(SUB, OF_LOCK, a, b),			\
	  E(XOR, OF_LOCK, a, b), E(CMP, 0, a, b) }

#define GRP2(a, b)							\
	{ E(ROL, 0, a, b), E(ROR, 0, a, b), E(RCL, 0, a, b),		\
	  E(RCR, 0, a, b), E(SHL, 0, a, b), E(SHR, 0, a, b),		\
	  E(SHL, 0, a, b), E(SAR, 0, a, b) }

static const struct x86_opcode grp1_eb_ib[8] = GRP1(Eb, Ib);
static const struct x86_opcode grp1_ev_iz[8] = GRP1(Ev, Iz);
static const struct x86_opcode grp1_ev_ib[8] = GRP1(Ev, Ib);
static const struct x86_opcode grp1_eb_ib_inv64[8] = {
	E(ADD, OF_LOCK | OF_INV64, Eb, Ib), E(OR, OF_LOCK | OF_INV64, Eb, Ib),
	E(ADC, OF_LOCK | OF_INV64, Eb, Ib), E(SBB, OF_LOCK | OF_INV64, Eb, Ib),
	E(AND, OF_LOCK | OF_INV64, Eb, Ib), E(SUB, OF_LOCK | OF_INV64, Eb, Ib),
	E(XOR, OF_LOCK | OF_INV64, Eb, Ib), E(CMP, OF_INV64, Eb, Ib),
};
static const struct x86_opcode grp2_eb_ib[8] = GRP2(Eb, Ib);
static const struct x86_opcode grp2_ev_ib[8] = GRP2(Ev, Ib);
static const struct x86_opcode grp2_eb_1[8] = GRP2(Eb, ONE);
static const struct x86_opcode grp2_ev_1[8] = GRP2(Ev, ONE);
static const struct x86_opcode grp2_eb_cl[8] = GRP2(Eb, CL);
static const struct x86_opcode grp2_ev_cl[8] = GRP2(Ev, CL);

static const struct x86_opcode grp1a[8] = {
	E(POP, OF_DEF64, Ev), BAD, BAD, BAD, BAD, BAD, BAD, BAD,
};

static const struct x86_opcode grp3_eb[8] = {
	E(TEST, 0, Eb, Ib), E(TEST, 0, Eb, Ib), E(NOT, OF_LOCK, Eb),
	E(NEG, OF_LOCK, Eb), E(MUL, 0, Eb), E(IMUL, 0, Eb), E(DIV, 0, Eb),
	E(IDIV, 0, Eb),
};

static const struct x86_opcode grp3_ev[8] = {
	E(TEST, 0, Ev, Iz), E(TEST, 0, Ev, Iz), E(NOT, OF_LOCK, Ev),
	E(NEG, OF_LOCK, Ev), E(MUL, 0, Ev), E(IMUL, 0, Ev), E(DIV, 0, Ev),
	E(IDIV, 0, Ev),
};

static const struct x86_opcode grp4[8] = {
	E(INC, OF_LOCK, Eb), E(DEC, OF_LOCK, Eb), BAD, BAD, BAD, BAD, BAD, BAD,
};

static const struct x86_opcode grp5[8] = {
	E(INC, OF_LOCK, Ev), E(DEC, OF_LOCK, Ev), E(CALL, OF_DEF64, Ev),
	E(CALLF, 0, M), E(JMP, OF_DEF64, Ev), E(JMPF, 0, M),
	E(PUSH, OF_DEF64, Ev), BAD,
};

/* C6/C7 /7 with ModRM F8 are xabort ib / xbegin rel (RTM). */
static const struct x86_opcode xabort_rm[8] = {
	E(XABORT, 0, Ib), BAD, BAD, BAD, BAD, BAD, BAD, BAD,
};
static const struct x86_opcode xbegin_rm[8] = {
	E(XBEGIN, OF_DEF64, Jz), BAD, BAD, BAD, BAD, BAD, BAD, BAD,
};
static const struct x86_opcode xabort_mod[2] = { BAD, ESC(RM, xabort_rm, 0) };
static const struct x86_opcode xbegin_mod[2] = { BAD, ESC(RM, xbegin_rm, 0) };

static const struct x86_opcode grp11_eb[8] = {
	E(MOV, 0, Eb, Ib), BAD, BAD, BAD, BAD, BAD, BAD,
	ESC(MOD, xabort_mod, 0),
};
static const struct x86_opcode grp11_ev[8] = {
	E(MOV, 0, Ev, Iz), BAD, BAD, BAD, BAD, BAD, BAD,
	ESC(MOD, xbegin_mod, 0),
};

/* 90: nop, or pause with F3 (with REX.B it is xchg r8, see decode.c). */
static const struct x86_opcode op90[4] = {
	E(NOP, 0), E(NOP, 0), E(PAUSE, 0), E(NOP, 0),
};

/* 63: arpl outside 64-bit mode, movsxd in it. */
static const struct x86_opcode op63[2] = {
	E(ARPL, 0, Ew, Gw), E(MOVSXD, 0, Gv, Ed),
};

const struct x86_opcode x86_map_onebyte[256] = {
	/* 00 */ ALU_ROW(ADD, OF_LOCK),
	E(PUSH, OF_INV64, OSEG(ES)), E(POP, OF_INV64, OSEG(ES)),
	/* 08 */ ALU_ROW(OR, OF_LOCK),
	E(PUSH, OF_INV64, OSEG(CS)), BAD /* 0F: escape */,
	/* 10 */ ALU_ROW(ADC, OF_LOCK),
	E(PUSH, OF_INV64, OSEG(SS)), E(POP, OF_INV64, OSEG(SS)),
	/* 18 */ ALU_ROW(SBB, OF_LOCK),
	E(PUSH, OF_INV64, OSEG(DS)), E(POP, OF_INV64, OSEG(DS)),
	/* 20 */ ALU_ROW(AND, OF_LOCK), BAD /* ES: */, E(DAA, OF_INV64),
	/* 28 */ ALU_ROW(SUB, OF_LOCK), BAD /* CS: */, E(DAS, OF_INV64),
	/* 30 */ ALU_ROW(XOR, OF_LOCK), BAD /* SS: */, E(AAA, OF_INV64),
	/* 38 */ ALU_ROW(CMP, 0), BAD /* DS: */, E(AAS, OF_INV64),
	/* 40: REX in 64-bit mode, consumed before the table */
	X8(E(INC, OF_INV64, Zv)), X8(E(DEC, OF_INV64, Zv)),
	/* 50 */ X8(E(PUSH, OF_DEF64, Zv)), X8(E(POP, OF_DEF64, Zv)),
	/* 60 */ E(PUSHA, OF_INV64), E(POPA, OF_INV64),
	E(BOUND, OF_MODRM | OF_INV64, Gv, M),
	ESC(MODE64, op63, OF_MODRM),
	BAD /* FS: */, BAD /* GS: */, BAD /* 66 */, BAD /* 67 */,
	/* 68 */ E(PUSH, OF_DEF64, Iz), E(IMUL, OF_MODRM, Gv, Ev, Iz),
	E(PUSH, OF_DEF64, Ib), E(IMUL, OF_MODRM, Gv, Ev, Ib),
	E(INS, 0, Yb, DX), E(INS, 0, Yz, DX), E(OUTS, 0, DX, Xb),
	E(OUTS, 0, DX, Xz),
	/* 70 */ X16(E(JCC, OF_DEF64, Jb)),
	/* 80 */ ESC(REG, grp1_eb_ib, OF_MODRM), ESC(REG, grp1_ev_iz, OF_MODRM),
	ESC(REG, grp1_eb_ib_inv64, OF_MODRM), ESC(REG, grp1_ev_ib, OF_MODRM),
	E(TEST, OF_MODRM, Eb, Gb), E(TEST, OF_MODRM, Ev, Gv),
	E(XCHG, OF_MODRM | OF_LOCK, Eb, Gb), E(XCHG, OF_MODRM | OF_LOCK, Ev, Gv),
	/* 88 */ E(MOV, OF_MODRM, Eb, Gb), E(MOV, OF_MODRM, Ev, Gv),
	E(MOV, OF_MODRM, Gb, Eb), E(MOV, OF_MODRM, Gv, Ev),
	E(MOV, OF_MODRM, Ev, Sw), E(LEA, OF_MODRM, Gv, M),
	E(MOV, OF_MODRM, Sw, Ew), ESC(REG, grp1a, OF_MODRM),
	/* 90 */ ESC(PFX, op90, 0), E(XCHG, 0, Zv, rAX), E(XCHG, 0, Zv, rAX),
	E(XCHG, 0, Zv, rAX), E(XCHG, 0, Zv, rAX), E(XCHG, 0, Zv, rAX),
	E(XCHG, 0, Zv, rAX), E(XCHG, 0, Zv, rAX),
	/* 98 */ E(CBW, 0), E(CWD, 0), E(CALLF, OF_INV64, Ap), E(FWAIT, 0),
	E(PUSHF, OF_DEF64), E(POPF, OF_DEF64), E(SAHF, 0), E(LAHF, 0),
	/* A0 */ E(MOV, 0, AL, Ob), E(MOV, 0, rAX, Ov), E(MOV, 0, Ob, AL),
	E(MOV, 0, Ov, rAX), E(MOVS, 0, Yb, Xb), E(MOVS, 0, Yv, Xv),
	E(CMPS, 0, Xb, Yb), E(CMPS, 0, Xv, Yv),
	/* A8 */ E(TEST, 0, AL, Ib), E(TEST, 0, rAX, Iz), E(STOS, 0, Yb, AL),
	E(STOS, 0, Yv, rAX), E(LODS, 0, AL, Xb), E(LODS, 0, rAX, Xv),
	E(SCAS, 0, AL, Yb), E(SCAS, 0, rAX, Yv),
	/* B0 */ X8(E(MOV, 0, Zb, Ib)), X8(E(MOV, 0, Zv, Iv)),
	/* C0 */ ESC(REG, grp2_eb_ib, OF_MODRM), ESC(REG, grp2_ev_ib, OF_MODRM),
	E(RET, OF_DEF64, Iw), E(RET, OF_DEF64),
	/* C4/C5: VEX in 64-bit mode or with ModRM.mod = 3 (decode.c) */
	E(LES, OF_MODRM | OF_INV64, Gz, M), E(LDS, OF_MODRM | OF_INV64, Gz, M),
	ESC(REG, grp11_eb, OF_MODRM), ESC(REG, grp11_ev, OF_MODRM),
	/* C8 */ E(ENTER, OF_DEF64, Iw, Ib), E(LEAVE, OF_DEF64), E(RETF, 0, Iw),
	E(RETF, 0), E(INT3, 0), E(INT, 0, Ib), E(INTO, OF_INV64), E(IRET, 0),
	/* D0 */ ESC(REG, grp2_eb_1, OF_MODRM), ESC(REG, grp2_ev_1, OF_MODRM),
	ESC(REG, grp2_eb_cl, OF_MODRM), ESC(REG, grp2_ev_cl, OF_MODRM),
	E(AAM, OF_INV64, Ib), E(AAD, OF_INV64, Ib), E(SALC, OF_INV64),
	E(XLAT, 0),
	/* D8 */ X8(E(X87, OF_MODRM)),
	/* E0 */ E(LOOPNE, OF_DEF64, Jb), E(LOOPE, OF_DEF64, Jb),
	E(LOOP, OF_DEF64, Jb), E(JCXZ, OF_DEF64, Jb), E(IN, 0, AL, Ib),
	E(IN, 0, eAX, Ib), E(OUT, 0, Ib, AL), E(OUT, 0, Ib, eAX),
	/* E8 */ E(CALL, OF_DEF64, Jz), E(JMP, OF_DEF64, Jz),
	E(JMPF, OF_INV64, Ap), E(JMP, OF_DEF64, Jb), E(IN, 0, AL, DX),
	E(IN, 0, eAX, DX), E(OUT, 0, DX, AL), E(OUT, 0, DX, eAX),
	/* F0 */ BAD /* lock */, E(INT1, 0), BAD /* repne */, BAD /* rep */,
	E(HLT, 0), E(CMC, 0), ESC(REG, grp3_eb, OF_MODRM),
	ESC(REG, grp3_ev, OF_MODRM),
	/* F8 */ E(CLC, 0), E(STC, 0), E(CLI, 0), E(STI, 0), E(CLD, 0),
	E(STD, 0), ESC(REG, grp4, OF_MODRM), ESC(REG, grp5, OF_MODRM),
};

/* ---- Two-byte map (0F xx) ---------------------------------------------- */

static const struct x86_opcode grp6[8] = {
	E(SLDT, 0, Ev), E(STR, 0, Ev), E(LLDT, 0, Ew), E(LTR, 0, Ew),
	E(VERR, 0, Ew), E(VERW, 0, Ew), UNK, UNK,
};

static const struct x86_opcode grp7_mem[8] = {
	E(SGDT, 0, M), E(SIDT, 0, M), E(LGDT, 0, M), E(LIDT, 0, M),
	E(SMSW, 0, Mw), UNK, E(LMSW, 0, Ew), E(INVLPG, 0, Mb),
};

static const struct x86_opcode grp7_r0[8] = {
	UNK, E(VMCALL, 0), E(VMLAUNCH, 0), E(VMRESUME, 0), E(VMXOFF, 0),
	UNK, UNK, UNK,
};
static const struct x86_opcode grp7_r1[8] = {
	E(MONITOR, 0), E(MWAIT, 0), E(CLAC, 0), E(STAC, 0), UNK, UNK, UNK,
	E(ENCLS, 0),
};
static const struct x86_opcode grp7_r2[8] = {
	E(XGETBV, 0), E(XSETBV, 0), UNK, UNK, E(VMFUNC, 0), E(XEND, 0),
	E(XTEST, 0), E(ENCLU, 0),
};
static const struct x86_opcode grp7_r3[8] = {
	E(VMRUN, 0), E(VMMCALL, 0), E(VMLOAD, 0), E(VMSAVE, 0), E(STGI, 0),
	E(CLGI, 0), E(SKINIT, 0), E(INVLPGA, 0),
};
static const struct x86_opcode grp7_r5[8] = {
	E(SERIALIZE, 0), UNK, UNK, UNK, UNK, UNK, E(RDPKRU, 0), E(WRPKRU, 0),
};
static const struct x86_opcode grp7_r7[8] = {
	E(SWAPGS, OF_O64), E(RDTSCP, 0), E(MONITORX, 0), E(MWAITX, 0),
	E(CLZERO, 0), E(RDPRU, 0), UNK, UNK,
};
static const struct x86_opcode grp7_reg[8] = {
	ESC(RM, grp7_r0, 0), ESC(RM, grp7_r1, 0), ESC(RM, grp7_r2, 0),
	ESC(RM, grp7_r3, 0), E(SMSW, 0, Rv), ESC(RM, grp7_r5, 0),
	E(LMSW, 0, Rw), ESC(RM, grp7_r7, 0),
};
static const struct x86_opcode grp7[2] = {
	ESC(REG, grp7_mem, 0), ESC(REG, grp7_reg, 0),
};

static const struct x86_opcode grp_p[8] = {
	E(PREFETCH, 0, Mb), E(PREFETCHW, 0, Mb), E(PREFETCH, 0, Mb),
	E(PREFETCH, 0, Mb), E(PREFETCH, 0, Mb), E(PREFETCH, 0, Mb),
	E(PREFETCH, 0, Mb), E(PREFETCH, 0, Mb),
};

static const struct x86_opcode grp16_mem[8] = {
	E(PREFETCHNTA, 0, Mb), E(PREFETCHT0, 0, Mb), E(PREFETCHT1, 0, Mb),
	E(PREFETCHT2, 0, Mb), E(NOP, 0, Ev), E(NOP, 0, Ev), E(NOP, 0, Ev),
	E(NOP, 0, Ev),
};
static const struct x86_opcode grp16[2] = {
	ESC(REG, grp16_mem, 0), E(NOP, 0, Ev),
};

/* F3 0F 1E FA / FB: endbr64 / endbr32 (hint nops otherwise). */
static const struct x86_opcode endbr_rm[8] = {
	E(NOP, 0, Ev), E(NOP, 0, Ev), E(ENDBR64, 0), E(ENDBR32, 0),
	E(NOP, 0, Ev), E(NOP, 0, Ev), E(NOP, 0, Ev), E(NOP, 0, Ev),
};
static const struct x86_opcode endbr_reg[8] = {
	X4(E(NOP, 0, Ev)), E(NOP, 0, Ev), E(NOP, 0, Ev), E(NOP, 0, Ev),
	ESC(RM, endbr_rm, 0),
};
static const struct x86_opcode endbr_mod[2] = {
	E(NOP, 0, Ev), ESC(REG, endbr_reg, 0),
};
static const struct x86_opcode op0f1e[4] = {
	E(NOP, OF_P66OPSIZE, Ev), E(NOP, OF_P66OPSIZE, Ev),
	ESC(MOD, endbr_mod, 0), E(NOP, 0, Ev),
};

/* 0F 78/79: VMX without a prefix; SSE4a extrq/insertq (AMD) with 66/F2. */
static const struct x86_opcode op0f78[4] = {
	E(VMREAD, OF_F64, Ey, Gy), E(EXTRQ, OF_REGONLY, Ib, Ib), UNK,
	E(INSERTQ, OF_REGONLY, Ib, Ib),
};
static const struct x86_opcode op0f79[4] = {
	E(VMWRITE, OF_F64, Gy, Ey), E(EXTRQ, OF_REGONLY), UNK,
	E(INSERTQ, OF_REGONLY),
};

/* 0F AE: group 15. */
static const struct x86_opcode xsave_pfx[4] = {
	E(XSAVE, 0, M), BAD, E(PTWRITE, 0, Ey), BAD,
};
static const struct x86_opcode xrstor_pfx[4] = {
	E(XRSTOR, 0, M), BAD, UNK, BAD,
};
static const struct x86_opcode xsaveopt_pfx[4] = {
	E(XSAVEOPT, 0, M), E(CLWB, 0, Mb), UNK, UNK,
};
static const struct x86_opcode clflush_pfx[4] = {
	E(CLFLUSH, 0, Mb), E(CLFLUSHOPT, 0, Mb), UNK, UNK,
};
static const struct x86_opcode grp15_mem[8] = {
	E(FXSAVE, 0, M), E(FXRSTOR, 0, M), E(LDMXCSR, 0, Md),
	E(STMXCSR, 0, Md), ESC(PFX, xsave_pfx, 0), ESC(PFX, xrstor_pfx, 0),
	ESC(PFX, xsaveopt_pfx, 0), ESC(PFX, clflush_pfx, 0),
};
static const struct x86_opcode rdfsbase_pfx[4] = {
	UNK, UNK, E(RDFSBASE, 0, Ry), UNK,
};
static const struct x86_opcode rdgsbase_pfx[4] = {
	UNK, UNK, E(RDGSBASE, 0, Ry), UNK,
};
static const struct x86_opcode wrfsbase_pfx[4] = {
	UNK, UNK, E(WRFSBASE, 0, Ry), UNK,
};
static const struct x86_opcode wrgsbase_pfx[4] = {
	UNK, UNK, E(WRGSBASE, 0, Ry), UNK,
};
static const struct x86_opcode lfence_pfx[4] = {
	E(LFENCE, 0), UNK, UNK, UNK,
};
static const struct x86_opcode mfence_pfx[4] = {
	E(MFENCE, 0), UNK, UNK, UNK,
};
static const struct x86_opcode sfence_pfx[4] = {
	E(SFENCE, 0), UNK, UNK, UNK,
};
static const struct x86_opcode grp15_reg[8] = {
	ESC(PFX, rdfsbase_pfx, 0), ESC(PFX, rdgsbase_pfx, 0),
	ESC(PFX, wrfsbase_pfx, 0), ESC(PFX, wrgsbase_pfx, 0), UNK,
	ESC(PFX, lfence_pfx, 0), ESC(PFX, mfence_pfx, 0),
	ESC(PFX, sfence_pfx, 0),
};
static const struct x86_opcode grp15[2] = {
	ESC(REG, grp15_mem, 0), ESC(REG, grp15_reg, 0),
};

static const struct x86_opcode popcnt_pfx[4] = {
	BAD /* jmpe */, BAD, E(POPCNT, 0, Gv, Ev), BAD,
};
static const struct x86_opcode bsf_pfx[4] = {
	E(BSF, 0, Gv, Ev), E(BSF, OF_P66OPSIZE, Gv, Ev), E(TZCNT, 0, Gv, Ev),
	E(BSF, 0, Gv, Ev),
};
static const struct x86_opcode bsr_pfx[4] = {
	E(BSR, 0, Gv, Ev), E(BSR, OF_P66OPSIZE, Gv, Ev), E(LZCNT, 0, Gv, Ev),
	E(BSR, 0, Gv, Ev),
};

static const struct x86_opcode grp8[8] = {
	BAD, BAD, BAD, BAD, E(BT, 0, Ev, Ib), E(BTS, OF_LOCK, Ev, Ib),
	E(BTR, OF_LOCK, Ev, Ib), E(BTC, OF_LOCK, Ev, Ib),
};

/* 0F C7: group 9. */
static const struct x86_opcode vmptrld_pfx[4] = {
	E(VMPTRLD, 0, Mq), E(VMCLEAR, 0, Mq), E(VMXON, 0, Mq), UNK,
};
static const struct x86_opcode vmptrst_pfx[4] = {
	E(VMPTRST, 0, Mq), UNK, UNK, UNK,
};
static const struct x86_opcode grp9_mem[8] = {
	BAD, E(CMPXCHG8B, OF_LOCK, M), BAD, E(XRSTORS, 0, M),
	E(XSAVEC, 0, M), E(XSAVES, 0, M), ESC(PFX, vmptrld_pfx, 0),
	ESC(PFX, vmptrst_pfx, 0),
};
static const struct x86_opcode rdrand_pfx[4] = {
	E(RDRAND, 0, Rv), E(RDRAND, OF_P66OPSIZE, Rv), UNK, UNK,
};
static const struct x86_opcode rdseed_pfx[4] = {
	E(RDSEED, 0, Rv), E(RDSEED, OF_P66OPSIZE, Rv), E(RDPID, OF_F64, Ry),
	UNK,
};
static const struct x86_opcode grp9_reg[8] = {
	BAD, BAD, BAD, BAD, BAD, BAD, ESC(PFX, rdrand_pfx, 0),
	ESC(PFX, rdseed_pfx, 0),
};
static const struct x86_opcode grp9[2] = {
	ESC(REG, grp9_mem, 0), ESC(REG, grp9_reg, 0),
};

const struct x86_opcode x86_map_0f[256] = {
	/* 00 */ ESC(REG, grp6, OF_MODRM), ESC(MOD, grp7, OF_MODRM),
	E(LAR, OF_MODRM, Gv, Ew), E(LSL, OF_MODRM, Gv, Ew), BAD,
	E(SYSCALL, 0), E(CLTS, 0), E(SYSRET, 0),
	/* 08 */ E(INVD, 0), E(WBINVD, 0), BAD, E(UD2, 0), BAD,
	ESC(REG, grp_p, OF_MODRM), E(FEMMS, 0), E(3DNOW, OF_MODRM, Ib),
	/* 10 */ X8(SSE),
	/* 18 */ ESC(MOD, grp16, OF_MODRM), E(NOP, OF_MODRM, Ev),
	E(NOP, OF_MODRM, Ev), E(NOP, OF_MODRM, Ev), E(NOP, OF_MODRM, Ev),
	E(NOP, OF_MODRM, Ev), ESC(PFX, op0f1e, OF_MODRM),
	E(NOP, OF_MODRM, Ev),
	/* 20 */ E(MOV, OF_MODRM | OF_NOMOD | OF_F64, Ry, Cy),
	E(MOV, OF_MODRM | OF_NOMOD | OF_F64, Ry, Dy),
	E(MOV, OF_MODRM | OF_NOMOD | OF_F64, Cy, Ry),
	E(MOV, OF_MODRM | OF_NOMOD | OF_F64, Dy, Ry),
	BAD, BAD, BAD, BAD,
	/* 28 */ X8(SSE),
	/* 30 */ E(WRMSR, 0), E(RDTSC, 0), E(RDMSR, 0), E(RDPMC, 0),
	E(SYSENTER, 0), E(SYSEXIT, 0), BAD, E(GETSEC, 0),
	/* 38 */ BAD /* 0F38 map */, BAD, BAD /* 0F3A map */, BAD, BAD, BAD,
	BAD, BAD,
	/* 40 */ X16(E(CMOVCC, OF_MODRM, Gv, Ev)),
	/* 50 */ X16(SSE),
	/* 60 */ X16(SSE),
	/* 70 */ SSEI, SSEI, SSEI, SSEI, SSE, SSE, SSE, E(EMMS, 0),
	/* 78 */ ESC(PFX, op0f78, OF_MODRM), ESC(PFX, op0f79, OF_MODRM), BAD,
	BAD, SSE, SSE, SSE, SSE,
	/* 80 */ X16(E(JCC, OF_DEF64, Jz)),
	/* 90 */ X16(E(SETCC, OF_MODRM, Eb)),
	/* A0 */ E(PUSH, OF_DEF64, OSEG(FS)), E(POP, OF_DEF64, OSEG(FS)),
	E(CPUID, 0), E(BT, OF_MODRM, Ev, Gv), E(SHLD, OF_MODRM, Ev, Gv, Ib),
	E(SHLD, OF_MODRM, Ev, Gv, CL), BAD, BAD,
	/* A8 */ E(PUSH, OF_DEF64, OSEG(GS)), E(POP, OF_DEF64, OSEG(GS)),
	E(RSM, 0), E(BTS, OF_MODRM | OF_LOCK, Ev, Gv),
	E(SHRD, OF_MODRM, Ev, Gv, Ib), E(SHRD, OF_MODRM, Ev, Gv, CL),
	ESC(MOD, grp15, OF_MODRM), E(IMUL, OF_MODRM, Gv, Ev),
	/* B0 */ E(CMPXCHG, OF_MODRM | OF_LOCK, Eb, Gb),
	E(CMPXCHG, OF_MODRM | OF_LOCK, Ev, Gv), E(LSS, OF_MODRM, Gz, M),
	E(BTR, OF_MODRM | OF_LOCK, Ev, Gv), E(LFS, OF_MODRM, Gz, M),
	E(LGS, OF_MODRM, Gz, M), E(MOVZX, OF_MODRM, Gv, Eb),
	E(MOVZX, OF_MODRM, Gv, Ew),
	/* B8 */ ESC(PFX, popcnt_pfx, OF_MODRM), E(UD1, OF_MODRM, Gv, Ev),
	ESC(REG, grp8, OF_MODRM), E(BTC, OF_MODRM | OF_LOCK, Ev, Gv),
	ESC(PFX, bsf_pfx, OF_MODRM), ESC(PFX, bsr_pfx, OF_MODRM),
	E(MOVSX, OF_MODRM, Gv, Eb), E(MOVSX, OF_MODRM, Gv, Ew),
	/* C0 */ E(XADD, OF_MODRM | OF_LOCK, Eb, Gb),
	E(XADD, OF_MODRM | OF_LOCK, Ev, Gv), SSEI, E(MOVNTI, OF_MODRM, My, Gy),
	SSEI, SSEI, SSEI, ESC(MOD, grp9, OF_MODRM),
	/* C8 */ X8(E(BSWAP, 0, Zv)),
	/* D0 */ X16(SSE),
	/* E0 */ X16(SSE),
	/* F0 */ X8(SSE), SSE, SSE, SSE, SSE, SSE, SSE, SSE,
	E(UD0, OF_MODRM, Gv, Ev),
};

/* ---- Three-byte maps (0F 38 xx, 0F 3A xx) ------------------------------ */

/* INVEPT/INVVPID/INVPCID: 66 only; the register is 64-bit in 64-bit mode. */
static const struct x86_opcode invept_pfx[4] = {
	UNK, E(INVEPT, OF_F64, Gy, Mdq), UNK, UNK,
};
static const struct x86_opcode invvpid_pfx[4] = {
	UNK, E(INVVPID, OF_F64, Gy, Mdq), UNK, UNK,
};
static const struct x86_opcode invpcid_pfx[4] = {
	UNK, E(INVPCID, OF_F64, Gy, Mdq), UNK, UNK,
};

/*
 * 0F 38 F0/F1: movbe (memory only; 66 is its operand-size prefix) and,
 * with F2, crc32 (register or memory source).
 */
static const struct x86_opcode movbe_ld_pfx[4] = {
	E(MOVBE, 0, Gv, Mv), E(MOVBE, OF_P66OPSIZE, Gv, Mv), UNK,
	E(CRC32, 0, Gy, Eb),
};
static const struct x86_opcode movbe_st_pfx[4] = {
	E(MOVBE, 0, Mv, Gv), E(MOVBE, OF_P66OPSIZE, Mv, Gv), UNK,
	E(CRC32, 0, Gy, Ev),
};

const struct x86_opcode x86_map_0f38[256] = {
	/* 00 */ X16(SSE), X16(SSE), X16(SSE), X16(SSE),
	/* 40 */ X16(SSE), X16(SSE), X16(SSE), X16(SSE),
	/* 80 */ ESC(PFX, invept_pfx, OF_MODRM), ESC(PFX, invvpid_pfx, OF_MODRM),
	ESC(PFX, invpcid_pfx, OF_MODRM), SSE, X4(SSE), X8(SSE),
	/* 90 */ X16(SSE), X16(SSE), X16(SSE), X16(SSE), X16(SSE),
	/* E0 */ X16(SSE),
	/* F0 */ ESC(PFX, movbe_ld_pfx, OF_MODRM),
	ESC(PFX, movbe_st_pfx, OF_MODRM), UNKM, UNKM, UNKM, UNKM, UNKM, UNKM,
	X8(UNKM),
};

const struct x86_opcode x86_map_0f3a[256] = {
	X16(SSEI), X16(SSEI), X16(SSEI), X16(SSEI),
	X16(SSEI), X16(SSEI), X16(SSEI), X16(SSEI),
	X16(SSEI), X16(SSEI), X16(SSEI), X16(SSEI),
	X16(SSEI), X16(SSEI), X16(SSEI), X16(SSEI),
};
