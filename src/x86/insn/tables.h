/* SPDX-License-Identifier: MIT */
/*
 * The opcode tables behind x86_decode(): private to src/x86/insn/.
 *
 * Each map (one-byte, 0F, 0F38, 0F3A) is an array of 256 entries.  An entry
 * is either a leaf (an operation with its operands and flags) or an escape
 * that selects a sub-table by a further field of the encoding: ModRM.reg
 * (the SDM's opcode groups), register versus memory form, ModRM.rm, the
 * mandatory prefix (none/66/F3/F2), or 64-bit mode.  The decoder walks
 * escapes until it reaches a leaf.
 */
#ifndef KVMRUN_X86_INSN_TABLES_H
#define KVMRUN_X86_INSN_TABLES_H

#include <stdint.h>

#include "x86/insn/insn.h"

enum x86_esc {
	ESC_NONE,	/* a leaf */
	ESC_REG,	/* sub[8], by ModRM.reg */
	ESC_MOD,	/* sub[2]: [0] memory form, [1] register form */
	ESC_RM,		/* sub[8], by ModRM.rm */
	ESC_PFX,	/* sub[4]: [0] none, [1] 66, [2] F3, [3] F2 */
	ESC_MODE64,	/* sub[2]: [0] 16/32-bit mode, [1] 64-bit mode */
};

/* Opcode flags (struct x86_opcode.flags). */
#define OF_MODRM	(1u << 0)	/* a ModRM byte follows (top level) */
#define OF_DEF64	(1u << 1)	/* 64-bit mode: default operand size 64 */
#define OF_F64		(1u << 2)	/* 64-bit mode: operand size always 64 */
#define OF_INV64	(1u << 3)	/* #UD in 64-bit mode */
#define OF_O64		(1u << 4)	/* #UD outside 64-bit mode */
#define OF_LOCK		(1u << 5)	/* LOCK allowed (memory destination) */
#define OF_NOMOD	(1u << 6)	/* ModRM.mod ignored: always registers */
#define OF_P66OPSIZE	(1u << 7)	/* selected by 66, which is still the
					   operand-size prefix */
#define OF_REGONLY	(1u << 8)	/* memory form is #UD */

struct x86_opcode {
	uint16_t op;			/* enum x86_op */
	uint8_t esc;			/* enum x86_esc */
	uint16_t flags;			/* OF_* */
	struct x86_opnd opnd[X86_MAX_OPNDS];
	const struct x86_opcode *sub;	/* escapes */
};

extern const struct x86_opcode x86_map_onebyte[256];
extern const struct x86_opcode x86_map_0f[256];
extern const struct x86_opcode x86_map_0f38[256];
extern const struct x86_opcode x86_map_0f3a[256];

#endif
