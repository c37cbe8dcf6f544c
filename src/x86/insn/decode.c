// SPDX-License-Identifier: MIT
/*
 * x86_decode(): prefixes, REX, VEX/EVEX (for length), the opcode maps of
 * opcodes.c, ModRM/SIB/displacement and immediates.  Pure: it reads only
 * bytes[0..avail) and writes only *out.
 */
#include <errno.h>
#include <string.h>

#include "x86/insn/tables.h"

#define REX_B 0x1
#define REX_X 0x2
#define REX_R 0x4
#define REX_W 0x8

struct cursor {
	const uint8_t *bytes;
	unsigned int avail;
	unsigned int pos;
};

/* Makes sure n more bytes can be read: -E2BIG past 15, -ENODATA past avail. */
static int need(const struct cursor *c, unsigned int n)
{
	if (c->pos + n > X86_MAX_INSN_LEN)
		return -E2BIG;
	if (c->pos + n > c->avail)
		return -ENODATA;
	return 0;
}

static int take(struct cursor *c, unsigned int n, uint64_t *val)
{
	uint64_t v = 0;
	unsigned int i;
	int err = need(c, n);

	if (err)
		return err;
	for (i = 0; i < n; i++)
		v |= (uint64_t)c->bytes[c->pos + i] << (8 * i);
	c->pos += n;
	*val = v;
	return 0;
}

static int take8(struct cursor *c, uint8_t *val)
{
	uint64_t v;
	int err = take(c, 1, &v);

	if (!err)
		*val = (uint8_t)v;
	return err;
}

static int64_t sign_extend(uint64_t v, unsigned int bytes)
{
	unsigned int shift = 64 - 8 * bytes;

	if (bytes >= 8)
		return (int64_t)v;
	return (int64_t)(v << shift) >> shift;
}

static int decode_prefixes(struct cursor *c, struct x86_insn *out,
			   uint8_t *last_rep)
{
	for (;;) {
		uint8_t b;
		int err = need(c, 1);

		if (err)
			return err;
		b = c->bytes[c->pos];
		switch (b) {
		case 0xf0:
			out->prefixes |= X86_PFX_LOCK;
			break;
		case 0xf2:
			out->prefixes |= X86_PFX_REPNE;
			*last_rep = b;
			break;
		case 0xf3:
			out->prefixes |= X86_PFX_REP;
			*last_rep = b;
			break;
		case 0x66:
			out->prefixes |= X86_PFX_OPSIZE;
			break;
		case 0x67:
			out->prefixes |= X86_PFX_ADSIZE;
			break;
		case 0x26: case 0x2e: case 0x36: case 0x3e:
			/* 64-bit mode ignores ES/CS/SS/DS overrides. */
			if (out->mode != 64)
				out->seg = (uint8_t)((b >> 3) & 3);
			break;
		case 0x64:
			out->seg = S_FS;
			break;
		case 0x65:
			out->seg = S_GS;
			break;
		default:
			if (out->mode == 64 && (b & 0xf0) == 0x40) {
				/* REX counts only right before the opcode. */
				out->rex = b;
				c->pos++;
				continue;
			}
			return 0;
		}
		/* A legacy prefix after REX cancels the REX. */
		out->rex = 0;
		c->pos++;
	}
}

static unsigned int address_size(const struct x86_insn *out)
{
	bool p67 = out->prefixes & X86_PFX_ADSIZE;

	switch (out->mode) {
	case 64:
		return p67 ? 4 : 8;
	case 32:
		return p67 ? 2 : 4;
	default:
		return p67 ? 4 : 2;
	}
}

static unsigned int operand_size(const struct x86_insn *out,
				 unsigned int flags, bool p66)
{
	if (out->mode == 64) {
		if (flags & OF_F64)
			return 8;
		if (out->rex & REX_W)
			return 8;
		if (p66)
			return 2;
		return (flags & OF_DEF64) ? 8 : 4;
	}
	if (out->mode == 32)
		return p66 ? 2 : 4;
	return p66 ? 4 : 2;
}

static int decode_modrm_mem16(struct cursor *c, struct x86_insn *out)
{
	static const uint8_t base16[8] = {
		R_RBX, R_RBX, R_RBP, R_RBP, X86_REG_NONE, X86_REG_NONE,
		R_RBP, R_RBX,
	};
	static const uint8_t index16[8] = {
		R_RSI, R_RDI, R_RSI, R_RDI, R_RSI, R_RDI, X86_REG_NONE,
		X86_REG_NONE,
	};
	unsigned int rm = out->modrm & 7;
	unsigned int disp_len = 0;
	uint64_t disp = 0;
	int err;

	out->base = base16[rm];
	out->index = index16[rm];
	if (out->mod == 0 && rm == 6) {
		out->base = X86_REG_NONE;
		disp_len = 2;
	} else if (out->mod == 1) {
		disp_len = 1;
	} else if (out->mod == 2) {
		disp_len = 2;
	}
	if (disp_len) {
		err = take(c, disp_len, &disp);
		if (err)
			return err;
	}
	out->disp = sign_extend(disp, disp_len ? disp_len : 1);
	return 0;
}

static int decode_modrm_mem32(struct cursor *c, struct x86_insn *out)
{
	unsigned int rm = out->modrm & 7;
	unsigned int disp_len = 0;
	uint64_t disp = 0;
	int err;

	if (out->mod == 1)
		disp_len = 1;
	else if (out->mod == 2)
		disp_len = 4;

	if (rm == 4) {
		uint8_t sib;
		unsigned int idx, base;

		err = take8(c, &sib);
		if (err)
			return err;
		idx = ((sib >> 3) & 7) | ((out->rex & REX_X) ? 8 : 0);
		base = (sib & 7) | ((out->rex & REX_B) ? 8 : 0);
		out->scale = (uint8_t)(1u << (sib >> 6));
		out->index = idx == 4 ? X86_REG_NONE : (uint8_t)idx;
		if ((sib & 7) == 5 && out->mod == 0) {
			out->base = X86_REG_NONE;
			disp_len = 4;
		} else {
			out->base = (uint8_t)base;
		}
	} else if (rm == 5 && out->mod == 0) {
		out->base = out->mode == 64 ? X86_REG_RIP : X86_REG_NONE;
		disp_len = 4;
	} else {
		out->base = (uint8_t)(rm | ((out->rex & REX_B) ? 8 : 0));
	}
	if (disp_len) {
		err = take(c, disp_len, &disp);
		if (err)
			return err;
	}
	out->disp = sign_extend(disp, disp_len ? disp_len : 1);
	return 0;
}

/* ModRM fields, then SIB and displacement for a memory form. */
static int decode_modrm_operand(struct cursor *c, struct x86_insn *out,
				bool nomod)
{
	out->modrm_pos = (uint8_t)(c->pos - 1);
	out->mod = out->modrm >> 6;
	out->reg = (uint8_t)(((out->modrm >> 3) & 7) |
			     ((out->rex & REX_R) ? 8 : 0));
	out->rm = (uint8_t)((out->modrm & 7) | ((out->rex & REX_B) ? 8 : 0));
	out->base = X86_REG_NONE;
	out->index = X86_REG_NONE;
	out->scale = 1;
	if (nomod)
		out->mod = 3;
	if (out->mod == 3)
		return 0;
	out->has_mem = true;
	if (out->addrsize == 2)
		return decode_modrm_mem16(c, out);
	return decode_modrm_mem32(c, out);
}

/* Bytes taken by an immediate-like operand, 0 if it has none. */
static unsigned int imm_bytes(const struct x86_insn *out,
			      const struct x86_opnd *o)
{
	unsigned int z = out->opsize == 2 ? 2 : 4;

	switch (o->kind) {
	case X86_OPK_I:
		switch (o->size) {
		case X86_SZ_B:
			return 1;
		case X86_SZ_W:
			return 2;
		case X86_SZ_D:
			return 4;
		case X86_SZ_Z:
			return z;
		case X86_SZ_V:
			return out->opsize;
		default:
			return 0;
		}
	case X86_OPK_J:
		return o->size == X86_SZ_B ? 1 : z;
	case X86_OPK_O:
		return out->addrsize;
	case X86_OPK_A:
		return z;	/* the offset; the selector is imm2 */
	default:
		return 0;
	}
}

static int decode_immediates(struct cursor *c, struct x86_insn *out)
{
	unsigned int i;
	int err;

	for (i = 0; i < X86_MAX_OPNDS; i++) {
		const struct x86_opnd *o = &out->opnd[i];
		unsigned int n = imm_bytes(out, o);
		uint64_t v;

		if (!n)
			continue;
		err = take(c, n, &v);
		if (err)
			return err;
		if (!out->imm_len) {
			out->imm = v;
			out->imm_len = (uint8_t)n;
		} else {
			out->imm2 = v;
			out->imm2_len = (uint8_t)n;
		}
		if (o->kind == X86_OPK_A) {
			err = take(c, 2, &v);
			if (err)
				return err;
			out->imm2 = v;
			out->imm2_len = 2;
		}
	}
	return 0;
}

static bool vex_map1_has_imm(uint8_t opcode)
{
	switch (opcode) {
	case 0x70: case 0x71: case 0x72: case 0x73:
	case 0xc2: case 0xc4: case 0xc5: case 0xc6:
		return true;
	default:
		return false;
	}
}

/*
 * VEX (C4/C5) and EVEX (62): decoded for length and a few fields only; the
 * executor does not run vector instructions yet.
 */
static int decode_vex(struct cursor *c, struct x86_insn *out, uint8_t lead)
{
	uint64_t p;
	unsigned int map, nbytes = lead == 0xc5 ? 1 : (lead == 0xc4 ? 2 : 3);
	bool has_modrm = true, has_imm;
	uint8_t rex = 0x40;
	int err;

	c->pos++;		/* the C4/C5/62 byte */
	err = take(c, nbytes, &p);
	if (err)
		return err;
	if (lead == 0xc5) {
		map = 1;
		if (!(p & 0x80))
			rex |= REX_R;
		out->vex_l = (p >> 2) & 1;
	} else if (lead == 0xc4) {
		map = p & 0x1f;
		rex |= ((~p >> 5) & 7);			/* B, X, R */
		if (p & 0x8000)
			rex |= REX_W;
		out->vex_l = (p >> 10) & 1;
	} else {
		map = p & 7;
		rex |= ((~p >> 5) & 7);
		if (p & 0x8000)
			rex |= REX_W;
		out->vex_l = (p >> 21) & 3;
	}
	out->op = lead == 0x62 ? X86_OP_EVEX : X86_OP_VEX;
	out->vex_w = (rex & REX_W) ? 1 : 0;
	/* Outside 64-bit mode the inverted R/X/B bits are ignored. */
	out->rex = out->mode == 64 ? rex : 0;
	/*
	 * Map 0 is reserved (#UD); maps past 3 belong to extensions the
	 * tables do not describe, so the length beyond them is unknown.
	 */
	if (map < 1 || map > 3) {
		out->op = map ? X86_OP_UNKNOWN : X86_OP_INVALID;
		return 0;
	}
	out->map = (uint8_t)map;
	err = take8(c, &out->opcode);
	if (err)
		return err;
	if (lead != 0x62 && map == 1 && out->opcode == 0x77)
		has_modrm = false;	/* vzeroupper / vzeroall */
	has_imm = map == 3 || (map == 1 && vex_map1_has_imm(out->opcode));
	out->opsize = (uint8_t)operand_size(out, 0, false);
	if (has_modrm) {
		out->has_modrm = true;
		err = take8(c, &out->modrm);
		if (err)
			return err;
		err = decode_modrm_operand(c, out, false);
		if (err)
			return err;
	}
	if (has_imm) {
		uint64_t v;

		err = take(c, 1, &v);
		if (err)
			return err;
		out->imm = v;
		out->imm_len = 1;
	}
	return 0;
}

static const struct x86_opcode *resolve(const struct x86_opcode *e,
					struct x86_insn *out, uint8_t last_rep)
{
	while (e->esc != ESC_NONE) {
		unsigned int idx = 0;

		switch (e->esc) {
		case ESC_REG:
			idx = (out->modrm >> 3) & 7;
			break;
		case ESC_MOD:
			idx = (out->modrm >> 6) == 3;
			break;
		case ESC_RM:
			idx = out->modrm & 7;
			break;
		case ESC_PFX:
			/* F2/F3 (the last one) win over 66. */
			if (last_rep == 0xf3) {
				idx = 2;
				out->mandatory = 0xf3;
			} else if (last_rep == 0xf2) {
				idx = 3;
				out->mandatory = 0xf2;
			} else if (out->prefixes & X86_PFX_OPSIZE) {
				idx = 1;
				out->mandatory = 0x66;
			}
			break;
		case ESC_MODE64:
			idx = out->mode == 64;
			break;
		}
		e = &e->sub[idx];
	}
	return e;
}

static const struct x86_opcode *lookup(struct cursor *c, struct x86_insn *out,
				       int *err)
{
	const struct x86_opcode *map = x86_map_onebyte;
	uint8_t b;

	*err = take8(c, &b);
	if (*err)
		return NULL;
	if (b == 0x0f) {
		*err = take8(c, &b);
		if (*err)
			return NULL;
		map = x86_map_0f;
		out->map = 1;
		if (b == 0x38 || b == 0x3a) {
			map = b == 0x38 ? x86_map_0f38 : x86_map_0f3a;
			out->map = b == 0x38 ? 2 : 3;
			*err = take8(c, &b);
			if (*err)
				return NULL;
		}
	}
	out->opcode = b;
	/* 90 with REX.B is xchg r8, rax, not nop. */
	if (out->map == 0 && b == 0x90 && (out->rex & REX_B))
		return &x86_map_onebyte[0x91];
	return &map[b];
}

/* C4/C5/62 start a VEX/EVEX prefix in 64-bit mode, or when ModRM.mod = 3. */
static int is_vex_lead(const struct cursor *c, const struct x86_insn *out,
		       bool *vex)
{
	uint8_t b = c->bytes[c->pos];
	int err;

	*vex = false;
	if (b != 0xc4 && b != 0xc5 && b != 0x62)
		return 0;
	if (out->mode == 64) {
		*vex = true;
		return 0;
	}
	err = need(c, 2);
	if (err)
		return err;
	*vex = (c->bytes[c->pos + 1] & 0xc0) == 0xc0;
	return 0;
}

static void apply_flags(struct x86_insn *out, const struct x86_opcode *e)
{
	unsigned int i;

	if (e->flags & OF_LOCK)
		out->flags |= X86_IF_LOCKABLE;
	if (e->flags & OF_REGONLY)
		out->flags |= X86_IF_REGONLY;
	for (i = 0; i < X86_MAX_OPNDS; i++)
		if (e->opnd[i].kind == X86_OPK_M)
			out->flags |= X86_IF_MEMONLY;
}

static int decode_legacy(struct cursor *c, struct x86_insn *out,
			 uint8_t last_rep)
{
	const struct x86_opcode *top, *e;
	bool p66;
	int err;

	top = lookup(c, out, &err);
	if (!top)
		return err;
	if (top->flags & OF_MODRM) {
		out->has_modrm = true;
		err = take8(c, &out->modrm);
		if (err)
			return err;
	}
	e = resolve(top, out, last_rep);
	out->op = e->op;
	memcpy(out->opnd, e->opnd, sizeof(out->opnd));
	apply_flags(out, e);
	if (out->mode == 64 && (e->flags & OF_INV64))
		out->op = X86_OP_INVALID;
	if (out->mode != 64 && (e->flags & OF_O64))
		out->op = X86_OP_INVALID;
	if (out->op == X86_OP_INVALID) {
		/*
		 * #UD whatever follows: stop here, so that a #UD opcode at
		 * the end of a page never asks for the next one.
		 */
		memset(out->opnd, 0, sizeof(out->opnd));
		out->flags = 0;
		out->opsize = (uint8_t)operand_size(out, 0, false);
		if (out->has_modrm)
			return decode_modrm_operand(c, out, true);
		return 0;
	}

	p66 = (out->prefixes & X86_PFX_OPSIZE) &&
	      (out->mandatory != 0x66 || (e->flags & OF_P66OPSIZE));
	out->opsize = (uint8_t)operand_size(out, e->flags, p66);

	if (out->has_modrm) {
		err = decode_modrm_operand(c, out, top->flags & OF_NOMOD ||
					   e->flags & OF_NOMOD);
		if (err)
			return err;
	}
	return decode_immediates(c, out);
}

unsigned int x86_opnd_bytes(const struct x86_insn *insn,
			    const struct x86_opnd *o)
{
	switch (o->size) {
	case X86_SZ_B:
		return 1;
	case X86_SZ_W:
		return 2;
	case X86_SZ_D:
		return 4;
	case X86_SZ_Q:
		return 8;
	case X86_SZ_V:
		return insn->opsize;
	case X86_SZ_Z:
		return insn->opsize == 2 ? 2 : 4;
	case X86_SZ_Y:
		return insn->opsize == 8 ? 8 : 4;
	case X86_SZ_DQ:
		return 16;
	default:
		return 0;
	}
}

int x86_decode(const uint8_t *bytes, unsigned int avail, unsigned int mode,
	       struct x86_insn *out)
{
	struct cursor c = { .bytes = bytes, .avail = bytes ? avail : 0 };
	uint8_t last_rep = 0;
	bool vex;
	int err;

	memset(out, 0, sizeof(*out));
	if (mode != 16 && mode != 32 && mode != 64)
		return -EINVAL;
	out->mode = (uint8_t)mode;
	out->seg = X86_REG_NONE;
	out->base = X86_REG_NONE;
	out->index = X86_REG_NONE;
	out->scale = 1;

	err = decode_prefixes(&c, out, &last_rep);
	if (err)
		return err;
	out->addrsize = (uint8_t)address_size(out);
	err = is_vex_lead(&c, out, &vex);
	if (err)
		return err;
	if (vex) {
		/* VEX/EVEX after 66, F2, F3, LOCK or REX is #UD. */
		bool bad = out->rex || (out->prefixes & (X86_PFX_LOCK |
			   X86_PFX_OPSIZE | X86_PFX_REP | X86_PFX_REPNE));

		err = decode_vex(&c, out, c.bytes[c.pos]);
		if (err)
			return err;
		if (bad)
			out->op = X86_OP_INVALID;
	} else {
		err = decode_legacy(&c, out, last_rep);
		if (err)
			return err;
	}
	out->len = (uint8_t)c.pos;
	memcpy(out->bytes, bytes, c.pos);
	return (int)c.pos;
}
