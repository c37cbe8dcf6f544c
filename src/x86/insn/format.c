// SPDX-License-Identifier: MIT
/*
 * Text for decoded instructions, for register dumps and test failures:
 * "48 0f ae 2f  xrstor64 [rdi]" (Intel syntax, hex immediates, branch
 * targets relative to the next instruction).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "x86/insn/insn.h"

static const char *const op_names[X86_OP_COUNT] = {
#define X86_OP_NAME(name, str) [X86_OP_##name] = str,
	X86_OPS(X86_OP_NAME)
#undef X86_OP_NAME
};

static const char *const cond_names[16] = {
	"o", "no", "b", "ae", "e", "ne", "be", "a",
	"s", "ns", "p", "np", "l", "ge", "le", "g",
};

static const char *const gpr64[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};
static const char *const gpr32[16] = {
	"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
	"r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d",
};
static const char *const gpr16[16] = {
	"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
	"r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w",
};
static const char *const gpr8_rex[16] = {
	"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
	"r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b",
};
static const char *const gpr8_legacy[8] = {
	"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh",
};
static const char *const seg_names[8] = {
	"es", "cs", "ss", "ds", "fs", "gs", "?", "?",
};

/* A small append-only string builder that never overruns. */
struct sbuf {
	char *buf;
	size_t size;
	size_t len;	/* what would have been written */
};

static void sb_printf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	size_t room = sb->len < sb->size ? sb->size - sb->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? sb->buf + sb->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		sb->len += (size_t)n;
}

static bool has_suffix64(enum x86_op op)
{
	switch (op) {
	case X86_OP_XSAVE: case X86_OP_XRSTOR: case X86_OP_XSAVEOPT:
	case X86_OP_XSAVEC: case X86_OP_XSAVES: case X86_OP_XRSTORS:
	case X86_OP_FXSAVE: case X86_OP_FXRSTOR:
		return true;
	default:
		return false;
	}
}

static bool is_string_op(enum x86_op op)
{
	switch (op) {
	case X86_OP_MOVS: case X86_OP_CMPS: case X86_OP_STOS:
	case X86_OP_LODS: case X86_OP_SCAS: case X86_OP_INS:
	case X86_OP_OUTS:
		return true;
	default:
		return false;
	}
}

static char size_suffix(unsigned int bytes)
{
	switch (bytes) {
	case 1:
		return 'b';
	case 2:
		return 'w';
	case 4:
		return 'd';
	default:
		return 'q';
	}
}

const char *x86_insn_mnemonic(const struct x86_insn *insn, char *buf,
			      size_t size)
{
	enum x86_op op = insn->op < X86_OP_COUNT ? insn->op : X86_OP_UNKNOWN;
	const char *name = op_names[op];
	unsigned int cc = insn->opcode & 15;

	switch (op) {
	case X86_OP_JCC: case X86_OP_SETCC: case X86_OP_CMOVCC:
		snprintf(buf, size, "%s%s", name, cond_names[cc]);
		return buf;
	case X86_OP_CMPXCHG8B:
		name = insn->opsize == 8 ? "cmpxchg16b" : "cmpxchg8b";
		break;
	case X86_OP_CBW:
		name = insn->opsize == 2 ? "cbw" :
		       insn->opsize == 4 ? "cwde" : "cdqe";
		break;
	case X86_OP_CWD:
		name = insn->opsize == 2 ? "cwd" :
		       insn->opsize == 4 ? "cdq" : "cqo";
		break;
	case X86_OP_JCXZ:
		name = insn->addrsize == 2 ? "jcxz" :
		       insn->addrsize == 4 ? "jecxz" : "jrcxz";
		break;
	case X86_OP_IRET: case X86_OP_PUSHF: case X86_OP_POPF:
	case X86_OP_PUSHA: case X86_OP_POPA:
		if (insn->opsize != 2 || insn->mode == 16) {
			snprintf(buf, size, "%s%s", name,
				 insn->opsize == 2 ? "" :
				 insn->opsize == 4 ? "d" : "q");
			return buf;
		}
		break;
	default:
		if (has_suffix64(op) && insn->opsize == 8) {
			snprintf(buf, size, "%s64", name);
			return buf;
		}
		if (is_string_op(op)) {
			unsigned int w = x86_opnd_bytes(insn, &insn->opnd[0]);

			if (insn->opnd[0].kind == X86_OPK_REG &&
			    insn->opnd[0].reg == R_RDX)	/* outs dx, ... */
				w = x86_opnd_bytes(insn, &insn->opnd[1]);
			snprintf(buf, size, "%s%c", name, size_suffix(w));
			return buf;
		}
	}
	snprintf(buf, size, "%s", name);
	return buf;
}

static const char *gpr_name(const struct x86_insn *insn, unsigned int reg,
			    unsigned int bytes)
{
	reg &= 15;
	switch (bytes) {
	case 1:
		if (!insn->rex && reg < 8)
			return gpr8_legacy[reg];
		return gpr8_rex[reg];
	case 2:
		return gpr16[reg];
	case 4:
		return gpr32[reg];
	default:
		return gpr64[reg];
	}
}

static const char *ptr_name(unsigned int bytes)
{
	switch (bytes) {
	case 1:
		return "byte ptr ";
	case 2:
		return "word ptr ";
	case 4:
		return "dword ptr ";
	case 8:
		return "qword ptr ";
	case 16:
		return "xmmword ptr ";
	default:
		return "";
	}
}

static void format_seg(struct sbuf *sb, const struct x86_insn *insn,
		       unsigned int def)
{
	if (insn->seg != X86_REG_NONE && insn->seg != def)
		sb_printf(sb, "%s:", seg_names[insn->seg & 7]);
}

static void format_mem(struct sbuf *sb, const struct x86_insn *insn,
		       unsigned int bytes)
{
	bool any = false;

	sb_printf(sb, "%s", ptr_name(bytes));
	format_seg(sb, insn, X86_REG_NONE);
	sb_printf(sb, "[");
	if (insn->base == X86_REG_RIP) {
		sb_printf(sb, "%s", insn->addrsize == 4 ? "eip" : "rip");
		any = true;
	} else if (insn->base != X86_REG_NONE) {
		sb_printf(sb, "%s", gpr_name(insn, insn->base,
					     insn->addrsize));
		any = true;
	}
	if (insn->index != X86_REG_NONE) {
		sb_printf(sb, "%s%s", any ? "+" : "",
			  gpr_name(insn, insn->index, insn->addrsize));
		if (insn->scale > 1)
			sb_printf(sb, "*%u", insn->scale);
		any = true;
	}
	if (!any) {
		uint64_t mask = insn->addrsize == 8 ? ~0ULL :
				(1ULL << (8 * insn->addrsize)) - 1;

		sb_printf(sb, "0x%" PRIx64, (uint64_t)insn->disp & mask);
	} else if (insn->disp < 0) {
		sb_printf(sb, "-0x%" PRIx64, -(uint64_t)insn->disp);
	} else if (insn->disp > 0) {
		sb_printf(sb, "+0x%" PRIx64, (uint64_t)insn->disp);
	}
	sb_printf(sb, "]");
}

static void format_string_opnd(struct sbuf *sb, const struct x86_insn *insn,
			       const struct x86_opnd *o)
{
	unsigned int reg = o->kind == X86_OPK_X ? R_RSI : R_RDI;

	sb_printf(sb, "%s", ptr_name(x86_opnd_bytes(insn, o)));
	if (o->kind == X86_OPK_X)
		format_seg(sb, insn, X86_REG_NONE);
	else
		sb_printf(sb, "es:");
	sb_printf(sb, "[%s]", gpr_name(insn, reg, insn->addrsize));
}

static void format_opnd(struct sbuf *sb, const struct x86_insn *insn,
			const struct x86_opnd *o, bool *imm2)
{
	unsigned int bytes = x86_opnd_bytes(insn, o);
	uint64_t imm = *imm2 ? insn->imm2 : insn->imm;

	switch (o->kind) {
	case X86_OPK_E: case X86_OPK_M:
		if (insn->has_mem)
			format_mem(sb, insn, bytes);
		else
			sb_printf(sb, "%s", gpr_name(insn, insn->rm, bytes));
		break;
	case X86_OPK_G:
		sb_printf(sb, "%s", gpr_name(insn, insn->reg, bytes));
		break;
	case X86_OPK_R:
		sb_printf(sb, "%s", gpr_name(insn, insn->rm, bytes));
		break;
	case X86_OPK_Z:
		sb_printf(sb, "%s", gpr_name(insn, (insn->opcode & 7) |
					     ((insn->rex & 1) ? 8 : 0),
					     bytes));
		break;
	case X86_OPK_REG:
		sb_printf(sb, "%s", gpr_name(insn, o->reg, bytes));
		break;
	case X86_OPK_SREG:
		sb_printf(sb, "%s", seg_names[insn->reg & 7]);
		break;
	case X86_OPK_SEG:
		sb_printf(sb, "%s", seg_names[o->reg & 7]);
		break;
	case X86_OPK_CR:
		sb_printf(sb, "cr%u", insn->reg);
		break;
	case X86_OPK_DR:
		sb_printf(sb, "dr%u", insn->reg);
		break;
	case X86_OPK_I:
		sb_printf(sb, "0x%" PRIx64, imm);
		*imm2 = true;
		break;
	case X86_OPK_ONE:
		sb_printf(sb, "1");
		break;
	case X86_OPK_J: {
		unsigned int n = *imm2 ? insn->imm2_len : insn->imm_len;
		int64_t rel = n >= 8 ? (int64_t)imm :
			      (int64_t)(imm << (64 - 8 * n)) >> (64 - 8 * n);

		sb_printf(sb, "$%s0x%" PRIx64, rel < 0 ? "-" : "+",
			  rel < 0 ? -(uint64_t)rel : (uint64_t)rel);
		*imm2 = true;
		break;
	}
	case X86_OPK_O:
		sb_printf(sb, "%s", ptr_name(bytes));
		format_seg(sb, insn, X86_REG_NONE);
		sb_printf(sb, "[0x%" PRIx64 "]", imm);
		*imm2 = true;
		break;
	case X86_OPK_A:
		sb_printf(sb, "0x%" PRIx64 ":0x%" PRIx64, insn->imm2,
			  insn->imm);
		*imm2 = true;
		break;
	case X86_OPK_X: case X86_OPK_Y:
		format_string_opnd(sb, insn, o);
		break;
	default:
		break;
	}
}

int x86_insn_format(const struct x86_insn *insn, char *buf, size_t size)
{
	struct sbuf sb = { .buf = buf, .size = size, .len = 0 };
	char mnem[32];
	bool imm2 = false, first = true;
	unsigned int i;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < insn->len && i < X86_MAX_INSN_LEN; i++)
		sb_printf(&sb, "%s%02x", i ? " " : "", insn->bytes[i]);
	sb_printf(&sb, "  ");
	if (insn->prefixes & X86_PFX_LOCK)
		sb_printf(&sb, "lock ");
	if (is_string_op(insn->op) && (insn->prefixes & X86_PFX_REP))
		sb_printf(&sb, "%s", insn->op == X86_OP_CMPS ||
			  insn->op == X86_OP_SCAS ? "repe " : "rep ");
	else if (is_string_op(insn->op) && (insn->prefixes & X86_PFX_REPNE))
		sb_printf(&sb, "repne ");
	sb_printf(&sb, "%s", x86_insn_mnemonic(insn, mnem, sizeof(mnem)));
	/* String instructions with the usual operands need none printed. */
	if (is_string_op(insn->op))
		return (int)sb.len;
	for (i = 0; i < X86_MAX_OPNDS; i++) {
		if (insn->opnd[i].kind == X86_OPK_NONE)
			continue;
		sb_printf(&sb, "%s", first ? " " : ", ");
		format_opnd(&sb, insn, &insn->opnd[i], &imm2);
		first = false;
	}
	if (insn->op == X86_OP_VEX || insn->op == X86_OP_EVEX)
		sb_printf(&sb, " map%u op 0x%02x", insn->map, insn->opcode);
	return (int)sb.len;
}

int x86_insn_format_bytes(const uint8_t *bytes, unsigned int avail,
			  unsigned int mode, char *buf, size_t size)
{
	struct sbuf sb = { .buf = buf, .size = size, .len = 0 };
	struct x86_insn insn;
	unsigned int i, n = avail < X86_MAX_INSN_LEN ? avail : X86_MAX_INSN_LEN;
	int len;

	len = x86_decode(bytes, avail, mode, &insn);
	if (len > 0)
		return x86_insn_format(&insn, buf, size);
	if (size)
		buf[0] = '\0';
	for (i = 0; i < n; i++)
		sb_printf(&sb, "%s%02x", i ? " " : "", bytes[i]);
	sb_printf(&sb, "  (%s)", len == -ENODATA ? "truncated" :
		  len == -E2BIG ? "longer than 15 bytes" : "bad mode");
	return (int)sb.len;
}
