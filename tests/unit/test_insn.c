// SPDX-License-Identifier: MIT
/*
 * The x86 decoder and formatter: lengths, operations and operands over a
 * table of encodings (prefixes, REX, SIB, RIP-relative, displacements and
 * immediates, 16/32/64-bit modes, VEX/EVEX), every truncation of each, the
 * 15-byte limit, and the shape of the opcode tables themselves.
 *
 * Each case is decoded from a heap buffer of exactly its length, so
 * AddressSanitizer catches any read past avail.
 */
#include <errno.h>
#include <stdlib.h>

#include "unit.h"
#include "x86/insn/insn.h"
#include "x86/insn/tables.h"

struct dcase {
	unsigned int mode;
	const char *hex;
	int len;		/* expected x86_decode() result */
	enum x86_op op;
	const char *text;	/* formatted, after the bytes; NULL: unchecked */
};

#define OP(x) X86_OP_##x

static const struct dcase cases[] = {
	/* The instructions the executor completes. */
	{ 64, "48 0f ae 2f", 4, OP(XRSTOR), "xrstor64 [rdi]" },
	{ 64, "0f ae 2f", 3, OP(XRSTOR), "xrstor [rdi]" },
	{ 64, "0f ae 27", 3, OP(XSAVE), "xsave [rdi]" },
	{ 64, "48 0f ae 27", 4, OP(XSAVE), "xsave64 [rdi]" },
	{ 64, "48 0f ae 37", 4, OP(XSAVEOPT), "xsaveopt64 [rdi]" },
	{ 64, "0f c7 27", 3, OP(XSAVEC), "xsavec [rdi]" },
	{ 64, "48 0f c7 2f", 4, OP(XSAVES), "xsaves64 [rdi]" },
	{ 64, "0f c7 1f", 3, OP(XRSTORS), "xrstors [rdi]" },
	{ 64, "0f 01 d0", 3, OP(XGETBV), "xgetbv" },
	{ 64, "0f 01 d1", 3, OP(XSETBV), "xsetbv" },
	{ 64, "cc", 1, OP(INT3), "int3" },
	{ 64, "cd 80", 2, OP(INT), "int 0x80" },
	{ 64, "ce", 1, OP(INVALID), NULL },	/* into: #UD in 64-bit */
	{ 32, "ce", 1, OP(INTO), "into" },
	{ 64, "f1", 1, OP(INT1), "int1" },
	{ 64, "0f 0b", 2, OP(UD2), "ud2" },
	{ 64, "0f b9 c0", 3, OP(UD1), "ud1 eax, eax" },
	{ 64, "0f ff 00", 3, OP(UD0), "ud0 eax, dword ptr [rax]" },
	{ 64, "f0 48 0f c7 0e", 5, OP(CMPXCHG8B), "lock cmpxchg16b [rsi]" },
	{ 64, "f0 0f c7 0e", 4, OP(CMPXCHG8B), "lock cmpxchg8b [rsi]" },
	{ 64, "0f 38 f0 07", 4, OP(MOVBE), "movbe eax, dword ptr [rdi]" },
	{ 64, "48 0f 38 f1 07", 5, OP(MOVBE), "movbe qword ptr [rdi], rax" },
	{ 64, "66 0f 38 f0 07", 5, OP(MOVBE), "movbe ax, word ptr [rdi]" },
	{ 64, "0f 38 f0 c0", 4, OP(MOVBE), NULL },	/* register: #UD */
	{ 64, "f2 0f 38 f0 c1", 5, OP(CRC32), "crc32 eax, cl" },
	{ 64, "f2 48 0f 38 f1 c1", 6, OP(CRC32), "crc32 rax, rcx" },
	{ 64, "66 f2 0f 38 f1 c1", 6, OP(CRC32), "crc32 eax, cx" },
	{ 64, "f2 0f 38 f0 47 08", 6, OP(CRC32),
	  "crc32 eax, byte ptr [rdi+0x8]" },
	{ 64, "66 0f 38 82 3e", 5, OP(INVPCID),
	  "invpcid rdi, xmmword ptr [rsi]" },
	{ 32, "66 0f 38 82 3e", 5, OP(INVPCID),
	  "invpcid edi, xmmword ptr [esi]" },
	{ 64, "0f 38 82 3e", 4, OP(UNKNOWN), NULL },	/* needs 66 */
	{ 64, "0f 01 f9", 3, OP(RDTSCP), "rdtscp" },
	{ 64, "f3 0f c7 f8", 4, OP(RDPID), "rdpid rax" },
	{ 32, "f3 0f c7 f8", 4, OP(RDPID), "rdpid eax" },

	/* Addressing: SIB, no base, RIP-relative, disp8/disp32, REX. */
	{ 64, "64 48 8b 04 25 28 00 00 00", 9, OP(MOV),
	  "mov rax, qword ptr fs:[0x28]" },
	{ 64, "48 8b 05 10 00 00 00", 7, OP(MOV),
	  "mov rax, qword ptr [rip+0x10]" },
	{ 64, "67 48 8b 05 f0 ff ff ff", 8, OP(MOV),
	  "mov rax, qword ptr [eip-0x10]" },
	{ 64, "8b 45 f8", 3, OP(MOV), "mov eax, dword ptr [rbp-0x8]" },
	{ 64, "8b 44 24 08", 4, OP(MOV), "mov eax, dword ptr [rsp+0x8]" },
	{ 64, "8b 04 8d 00 10 00 00", 7, OP(MOV),
	  "mov eax, dword ptr [rcx*4+0x1000]" },
	{ 64, "42 8b 04 a0", 4, OP(MOV), "mov eax, dword ptr [rax+r12*4]" },
	{ 64, "41 8b 04 24", 4, OP(MOV), "mov eax, dword ptr [r12]" },
	{ 64, "41 8b 45 00", 4, OP(MOV), "mov eax, dword ptr [r13]" },
	{ 64, "43 8b 44 ed 80", 5, OP(MOV),
	  "mov eax, dword ptr [r13+r13*8-0x80]" },
	{ 64, "4c 8b 84 24 00 01 00 00", 8, OP(MOV),
	  "mov r8, qword ptr [rsp+0x100]" },
	{ 64, "8b 04 24", 3, OP(MOV), "mov eax, dword ptr [rsp]" },
	{ 64, "8b 04 25 00 00 00 80", 7, OP(MOV),
	  "mov eax, dword ptr [0xffffffff80000000]" },
	{ 64, "40 88 f0", 3, OP(MOV), "mov al, sil" },
	{ 64, "88 f0", 2, OP(MOV), "mov al, dh" },
	{ 64, "26 8b 00", 3, OP(MOV), "mov eax, dword ptr [rax]" },
	{ 64, "48 66 89 c0", 4, OP(MOV), "mov ax, ax" },  /* REX dropped */
	{ 64, "66 48 89 c0", 4, OP(MOV), "mov rax, rax" },
	{ 64, "8d 04 24", 3, OP(LEA), "lea eax, [rsp]" },
	{ 64, "8d c0", 2, OP(LEA), NULL },		/* register: #UD */

	/* Immediates. */
	{ 64, "48 b8 88 77 66 55 44 33 22 11", 10, OP(MOV),
	  "mov rax, 0x1122334455667788" },
	{ 64, "b8 78 56 34 12", 5, OP(MOV), "mov eax, 0x12345678" },
	{ 64, "66 b8 34 12", 4, OP(MOV), "mov ax, 0x1234" },
	{ 64, "41 b0 01", 3, OP(MOV), "mov r8b, 0x1" },
	{ 64, "48 c7 c0 ff ff ff ff", 7, OP(MOV), "mov rax, 0xffffffff" },
	{ 64, "66 c7 00 34 12", 5, OP(MOV), "mov word ptr [rax], 0x1234" },
	{ 64, "c7 44 24 08 01 00 00 00", 8, OP(MOV),
	  "mov dword ptr [rsp+0x8], 0x1" },
	{ 64, "c8 10 00 01", 4, OP(ENTER), "enter 0x10, 0x1" },
	{ 64, "f6 c0 01", 3, OP(TEST), "test al, 0x1" },
	{ 64, "f7 c0 00 00 01 00", 6, OP(TEST), "test eax, 0x10000" },
	{ 64, "f6 d0", 2, OP(NOT), "not al" },
	{ 64, "f7 d8", 2, OP(NEG), "neg eax" },
	{ 64, "83 c4 08", 3, OP(ADD), "add esp, 0x8" },
	{ 64, "48 81 ec 00 01 00 00", 7, OP(SUB), "sub rsp, 0x100" },
	{ 64, "f0 01 00", 3, OP(ADD), "lock add dword ptr [rax], eax" },
	{ 64, "6b c0 03", 3, OP(IMUL), "imul eax, eax, 0x3" },
	{ 64, "69 c0 00 01 00 00", 6, OP(IMUL), "imul eax, eax, 0x100" },
	{ 64, "c1 e0 04", 3, OP(SHL), "shl eax, 0x4" },
	{ 64, "d1 e8", 2, OP(SHR), "shr eax, 1" },
	{ 64, "d3 f8", 2, OP(SAR), "sar eax, cl" },
	{ 64, "0f ba e0 03", 4, OP(BT), "bt eax, 0x3" },
	{ 64, "0f a4 c2 04", 4, OP(SHLD), "shld edx, eax, 0x4" },
	{ 64, "e4 60", 2, OP(IN), "in al, 0x60" },
	{ 64, "66 e5 60", 3, OP(IN), "in ax, 0x60" },
	{ 64, "ee", 1, OP(OUT), "out dx, al" },

	/* Branches: rel8/rel32, 66 gives rel16 on AMD, moffs by address size. */
	{ 64, "e8 00 00 00 00", 5, OP(CALL), "call $+0x0" },
	{ 64, "66 e8 00 00", 4, OP(CALL), NULL },
	{ 64, "eb fe", 2, OP(JMP), "jmp $-0x2" },
	{ 64, "0f 84 10 00 00 00", 6, OP(JCC), "je $+0x10" },
	{ 64, "75 f0", 2, OP(JCC), "jne $-0x10" },
	{ 32, "e9 00 01 00 00", 5, OP(JMP), "jmp $+0x100" },
	{ 16, "e9 00 01", 3, OP(JMP), "jmp $+0x100" },
	{ 64, "ff d0", 2, OP(CALL), "call rax" },
	{ 64, "ff 25 00 00 00 00", 6, OP(JMP), "jmp qword ptr [rip]" },
	{ 64, "c3", 1, OP(RET), "ret" },
	{ 64, "c2 08 00", 3, OP(RET), "ret 0x8" },
	{ 64, "e3 fe", 2, OP(JCXZ), "jrcxz $-0x2" },
	{ 64, "a1 88 77 66 55 44 33 22 11", 9, OP(MOV),
	  "mov eax, dword ptr [0x1122334455667788]" },
	{ 64, "67 a1 44 33 22 11", 6, OP(MOV),
	  "mov eax, dword ptr [0x11223344]" },
	{ 32, "a1 44 33 22 11", 5, OP(MOV), "mov eax, dword ptr [0x11223344]" },
	{ 16, "a1 34 12", 3, OP(MOV), "mov ax, word ptr [0x1234]" },
	{ 32, "9a 11 22 33 44 55 66", 7, OP(CALLF), "call far 0x6655:0x44332211" },
	{ 16, "ea 11 22 33 44", 5, OP(JMPF), "jmp far 0x4433:0x2211" },
	{ 64, "9a", 1, OP(INVALID), NULL },

	/* 16- and 32-bit addressing and modes. */
	{ 16, "8b 46 02", 3, OP(MOV), "mov ax, word ptr [bp+0x2]" },
	{ 16, "8b 00", 2, OP(MOV), "mov ax, word ptr [bx+si]" },
	{ 16, "8b 06 34 12", 4, OP(MOV), "mov ax, word ptr [0x1234]" },
	{ 16, "8b 87 00 10", 4, OP(MOV), "mov ax, word ptr [bx+0x1000]" },
	{ 16, "8b 46 fe", 3, OP(MOV), "mov ax, word ptr [bp-0x2]" },
	{ 16, "66 8b 00", 3, OP(MOV), "mov eax, dword ptr [bx+si]" },
	{ 16, "67 8b 00", 3, OP(MOV), "mov ax, word ptr [eax]" },
	{ 16, "67 8b 04 24", 4, OP(MOV), "mov ax, word ptr [esp]" },
	{ 32, "8b 05 00 10 00 00", 6, OP(MOV), "mov eax, dword ptr [0x1000]" },
	{ 32, "67 8b 00", 3, OP(MOV), "mov eax, dword ptr [bx+si]" },
	{ 32, "40", 1, OP(INC), "inc eax" },
	{ 32, "48", 1, OP(DEC), "dec eax" },
	{ 32, "63 c1", 2, OP(ARPL), "arpl cx, ax" },
	{ 64, "48 63 c1", 3, OP(MOVSXD), "movsxd rax, ecx" },
	{ 32, "62 00", 2, OP(BOUND), "bound eax, [eax]" },
	{ 32, "c5 06", 2, OP(LDS), "lds eax, [esi]" },
	{ 32, "0f 01 f8", 3, OP(INVALID), NULL },	/* swapgs */
	{ 64, "0f 01 f8", 3, OP(SWAPGS), "swapgs" },
	{ 64, "06", 1, OP(INVALID), NULL },
	{ 32, "06", 1, OP(PUSH), "push es" },
	{ 64, "50", 1, OP(PUSH), "push rax" },
	{ 64, "41 5f", 2, OP(POP), "pop r15" },
	{ 32, "50", 1, OP(PUSH), "push eax" },

	/* VEX and EVEX: length only. */
	{ 64, "c5 f8 77", 3, OP(VEX), NULL },		/* vzeroupper */
	{ 64, "c5 fc 28 c1", 4, OP(VEX), NULL },	/* vmovaps */
	{ 64, "c4 e2 79 18 07", 5, OP(VEX), NULL },	/* vbroadcastss */
	{ 64, "c4 e3 7d 18 c1 01", 6, OP(VEX), NULL },	/* vinsertf128 */
	{ 64, "c5 f9 70 c1 1b", 5, OP(VEX), NULL },	/* vpshufd */
	{ 64, "c5 f8 10 84 24 00 01 00 00", 9, OP(VEX), NULL },
	{ 64, "c4 e2 78 f2 c1", 5, OP(VEX), NULL },	/* andn */
	{ 64, "62 f1 7c 48 28 c1", 6, OP(EVEX), NULL },	/* vmovaps zmm */
	{ 64, "62 f1 7c 48 28 47 01", 7, OP(EVEX), NULL },
	{ 64, "62 f3 7d 48 18 c1 01", 7, OP(EVEX), NULL },
	{ 32, "c5 f8 77", 3, OP(VEX), NULL },
	{ 64, "66 c5 f8 77", 4, OP(INVALID), NULL },
	{ 64, "c4 e0 78 10 c0", 3, OP(INVALID), NULL },	/* map 0 */

	/* Prefixes and the two/three-byte maps. */
	{ 64, "f3 a4", 2, OP(MOVS), "rep movsb" },
	{ 64, "f3 48 a5", 3, OP(MOVS), "rep movsq" },
	{ 64, "f2 ae", 2, OP(SCAS), "repne scasb" },
	{ 64, "66 ab", 2, OP(STOS), "stosw" },
	{ 64, "90", 1, OP(NOP), "nop" },
	{ 64, "f3 90", 2, OP(PAUSE), "pause" },
	{ 64, "41 90", 2, OP(XCHG), "xchg r8d, eax" },
	{ 64, "0f 1f 44 00 00", 5, OP(NOP), "nop dword ptr [rax+rax]" },
	{ 64, "66 0f 1f 84 00 00 00 00 00", 9, OP(NOP),
	  "nop word ptr [rax+rax]" },
	{ 64, "f3 0f 1e fa", 4, OP(ENDBR64), "endbr64" },
	{ 64, "0f 20 c0", 3, OP(MOV), "mov rax, cr0" },
	{ 64, "0f 22 d8", 3, OP(MOV), "mov cr3, rax" },
	{ 64, "0f 20 00", 3, OP(MOV), "mov rax, cr0" },	/* mod ignored */
	{ 32, "0f 20 e0", 3, OP(MOV), "mov eax, cr4" },
	{ 64, "0f 23 f8", 3, OP(MOV), "mov dr7, rax" },
	{ 64, "0f 0f c1 b4", 4, OP(3DNOW), NULL },
	{ 64, "d9 c0", 2, OP(X87), NULL },
	{ 64, "dd 04 24", 3, OP(X87), NULL },
	{ 64, "ff ff", 2, OP(INVALID), NULL },
	{ 64, "8f c8", 2, OP(INVALID), NULL },
	{ 64, "fe 10", 2, OP(INVALID), NULL },
	{ 64, "c6 f8 05", 3, OP(XABORT), "xabort 0x5" },
	{ 64, "c7 f8 00 00 00 00", 6, OP(XBEGIN), "xbegin $+0x0" },
	{ 64, "0f 05", 2, OP(SYSCALL), "syscall" },
	{ 64, "0f a2", 2, OP(CPUID), "cpuid" },
	{ 64, "0f 30", 2, OP(WRMSR), "wrmsr" },
	{ 64, "0f 01 c1", 3, OP(VMCALL), "vmcall" },
	{ 64, "0f 01 d9", 3, OP(VMMCALL), "vmmcall" },
	{ 64, "0f 01 38", 3, OP(INVLPG), "invlpg byte ptr [rax]" },
	{ 64, "0f 00 d8", 3, OP(LTR), "ltr ax" },
	{ 64, "0f 01 10", 3, OP(LGDT), "lgdt [rax]" },
	{ 64, "f3 0f b8 c1", 4, OP(POPCNT), "popcnt eax, ecx" },
	{ 64, "f3 48 0f bc c1", 5, OP(TZCNT), "tzcnt rax, rcx" },
	{ 64, "66 0f bc c1", 4, OP(BSF), "bsf ax, cx" },
	{ 64, "0f b6 c1", 3, OP(MOVZX), "movzx eax, cl" },
	{ 64, "48 0f bf c1", 4, OP(MOVSX), "movsx rax, cx" },
	{ 64, "0f 44 c1", 3, OP(CMOVCC), "cmove eax, ecx" },
	{ 64, "0f 94 c0", 3, OP(SETCC), "sete al" },
	{ 64, "f0 0f b1 0f", 4, OP(CMPXCHG), "lock cmpxchg dword ptr [rdi], ecx" },
	{ 64, "0f c8", 2, OP(BSWAP), "bswap eax" },
	{ 64, "49 0f c9", 3, OP(BSWAP), "bswap r9" },
	{ 64, "0f ae f0", 3, OP(MFENCE), "mfence" },
	{ 64, "f3 48 0f ae c0", 5, OP(RDFSBASE), "rdfsbase rax" },
	{ 64, "66 0f ae 38", 4, OP(CLFLUSHOPT), "clflushopt byte ptr [rax]" },
	{ 64, "0f 78 c0", 3, OP(VMREAD), "vmread rax, rax" },
	{ 64, "66 0f 78 c0 01 02", 6, OP(EXTRQ), "extrq 0x1, 0x2" },
	{ 64, "f2 0f 78 c1 01 02", 6, OP(INSERTQ), "insertq 0x1, 0x2" },
	{ 64, "f2 0f 79 c1", 4, OP(INSERTQ), "insertq" },
	{ 64, "66 0f 3a 0f c1 08", 6, OP(SSE), NULL },	/* palignr */
	{ 64, "66 0f 38 00 c1", 5, OP(SSE), NULL },	/* pshufb */
	{ 64, "0f 28 44 24 10", 5, OP(SSE), NULL },	/* movaps */
	{ 64, "66 0f 73 d8 08", 5, OP(SSE), NULL },	/* psrldq */
	{ 64, "0f c6 c1 1b", 4, OP(SSE), NULL },	/* shufps */

	/* The 15-byte limit. */
	{ 64, "66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", 15, OP(NOP),
	  NULL },
	{ 64, "66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", -E2BIG,
	  OP(UNKNOWN), NULL },
	{ 64, "f0 f0 f0 f0 f0 f0 f0 f0 f0 f0 f0 48 8b 04 25 00 00 00 00",
	  -E2BIG, OP(UNKNOWN), NULL },
};

static unsigned int parse_hex(const char *hex, uint8_t *out, unsigned int max)
{
	unsigned int n = 0;

	while (*hex && n < max) {
		char *end;
		unsigned long v = strtoul(hex, &end, 16);

		if (end == hex)
			break;
		out[n++] = (uint8_t)v;
		hex = end;
	}
	return n;
}

static void check_case(const struct dcase *c)
{
	uint8_t bytes[32];
	unsigned int n = parse_hex(c->hex, bytes, sizeof(bytes));
	uint8_t *exact = malloc(n);
	struct x86_insn insn;
	char text[160];
	unsigned int avail;
	int ret;

	memcpy(exact, bytes, n);
	ret = x86_decode(exact, n, c->mode, &insn);
	if (ret != c->len)
		fprintf(stderr, "case [%u] %s: decode returned %d, want %d\n",
			c->mode, c->hex, ret, c->len);
	CHECK_EQ(ret, c->len);
	if (ret > 0) {
		if (insn.op != c->op)
			fprintf(stderr, "case [%u] %s: op %u, want %u\n",
				c->mode, c->hex, insn.op, c->op);
		CHECK_EQ(insn.op, c->op);
		CHECK_EQ(insn.len, ret);
		CHECK(memcmp(insn.bytes, exact, (size_t)ret) == 0);
		if (c->text) {
			x86_insn_format(&insn, text, sizeof(text));
			/* Skip the hex bytes: "aa bb  text". */
			CHECK_STR(strstr(text, "  ") ? strstr(text, "  ") + 2 :
				  text, c->text);
		}
	}
	/* Every shorter prefix of a valid encoding asks for more bytes. */
	for (avail = 0; ret > 0 && avail < (unsigned int)ret; avail++) {
		uint8_t *part = malloc(avail ? avail : 1);

		memcpy(part, exact, avail);
		CHECK_EQ(x86_decode(part, avail, c->mode, &insn), -ENODATA);
		free(part);
	}
	/* Trailing bytes do not change the result. */
	if (ret > 0) {
		uint8_t more[X86_MAX_INSN_LEN + 8];

		memset(more, 0x90, sizeof(more));
		memcpy(more, exact, n);
		CHECK_EQ(x86_decode(more, sizeof(more), c->mode, &insn), ret);
	}
	free(exact);
}

static void test_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i]);
}

/* Decoded fields the formatter does not show. */
static void test_fields(void)
{
	static const uint8_t sib[] = { 0x43, 0x8b, 0x44, 0xed, 0x80 };
	static const uint8_t rip[] = { 0x48, 0x8b, 0x05, 0xf0, 0xff, 0xff, 0xff };
	static const uint8_t bp16[] = { 0x8b, 0x46, 0xfe };
	static const uint8_t push[] = { 0x66, 0x50 };
	static const uint8_t cx16[] = { 0xf0, 0x48, 0x0f, 0xc7, 0x0e };
	static const uint8_t enter[] = { 0xc8, 0x10, 0x00, 0x01 };
	struct x86_insn in;

	CHECK_EQ(x86_decode(sib, sizeof(sib), 64, &in), 5);
	CHECK_EQ(in.base, R_R13);
	CHECK_EQ(in.index, R_R13);
	CHECK_EQ(in.scale, 8);
	CHECK_EQ(in.disp, -0x80);
	CHECK_EQ(in.opsize, 4);
	CHECK_EQ(in.addrsize, 8);
	CHECK(in.has_mem);

	CHECK_EQ(x86_decode(rip, sizeof(rip), 64, &in), 7);
	CHECK_EQ(in.base, X86_REG_RIP);
	CHECK_EQ(in.index, X86_REG_NONE);
	CHECK_EQ(in.disp, -0x10);
	CHECK_EQ(in.opsize, 8);

	CHECK_EQ(x86_decode(bp16, sizeof(bp16), 16, &in), 3);
	CHECK_EQ(in.base, R_RBP);
	CHECK_EQ(in.index, X86_REG_NONE);
	CHECK_EQ(in.disp, -2);
	CHECK_EQ(in.addrsize, 2);
	CHECK_EQ(in.opsize, 2);

	/* push defaults to 64 bits in long mode, 66 makes it 16. */
	CHECK_EQ(x86_decode(push + 1, 1, 64, &in), 1);
	CHECK_EQ(in.opsize, 8);
	CHECK_EQ(x86_decode(push, 2, 64, &in), 2);
	CHECK_EQ(in.opsize, 2);

	CHECK_EQ(x86_decode(cx16, sizeof(cx16), 64, &in), 5);
	CHECK(in.prefixes & X86_PFX_LOCK);
	CHECK(in.flags & X86_IF_LOCKABLE);
	CHECK(in.flags & X86_IF_MEMONLY);
	CHECK_EQ(in.opsize, 8);
	CHECK_EQ(in.reg, 1);
	CHECK_EQ(in.map, 1);
	CHECK_EQ(in.opcode, 0xc7);

	CHECK_EQ(x86_decode(enter, sizeof(enter), 64, &in), 4);
	CHECK_EQ(in.imm, 0x10);
	CHECK_EQ(in.imm_len, 2);
	CHECK_EQ(in.imm2, 1);
	CHECK_EQ(in.imm2_len, 1);
}

static void test_bad_args(void)
{
	static const uint8_t nop = 0x90;
	struct x86_insn in;
	char text[64];

	CHECK_EQ(x86_decode(&nop, 1, 8, &in), -EINVAL);
	CHECK_EQ(x86_decode(NULL, 5, 64, &in), -ENODATA);
	CHECK_EQ(x86_decode(&nop, 0, 64, &in), -ENODATA);

	x86_insn_format_bytes((const uint8_t *)"\x48\x0f\xae", 3, 64, text,
			      sizeof(text));
	CHECK_STR(text, "48 0f ae  (truncated)");
	x86_insn_format_bytes((const uint8_t *)"\x48\x0f\xae\x2f", 4, 64,
			      text, sizeof(text));
	CHECK_STR(text, "48 0f ae 2f  xrstor64 [rdi]");
	/* A small buffer truncates; the return is the full length. */
	CHECK_EQ(x86_insn_format_bytes((const uint8_t *)"\xcc", 1, 64, text,
				       5), 8);
	CHECK_STR(text, "cc  ");
}

/*
 * The tables are plain arrays: an entry left out would silently become a
 * zero entry, so spot-check that each map ends where it should.
 */
static void test_table_shape(void)
{
	CHECK_EQ(x86_map_onebyte[0x00].op, X86_OP_ADD);
	CHECK_EQ(x86_map_onebyte[0x3f].op, X86_OP_AAS);
	CHECK_EQ(x86_map_onebyte[0x5f].op, X86_OP_POP);
	CHECK_EQ(x86_map_onebyte[0x6f].op, X86_OP_OUTS);
	CHECK_EQ(x86_map_onebyte[0x7f].op, X86_OP_JCC);
	CHECK_EQ(x86_map_onebyte[0x9f].op, X86_OP_LAHF);
	CHECK_EQ(x86_map_onebyte[0xaf].op, X86_OP_SCAS);
	CHECK_EQ(x86_map_onebyte[0xbf].op, X86_OP_MOV);
	CHECK_EQ(x86_map_onebyte[0xcc].op, X86_OP_INT3);
	CHECK_EQ(x86_map_onebyte[0xd7].op, X86_OP_XLAT);
	CHECK_EQ(x86_map_onebyte[0xef].op, X86_OP_OUT);
	CHECK_EQ(x86_map_onebyte[0xfd].op, X86_OP_STD);
	CHECK_EQ(x86_map_onebyte[0xff].esc, ESC_REG);
	CHECK_EQ(x86_map_0f[0x0b].op, X86_OP_UD2);
	CHECK_EQ(x86_map_0f[0x37].op, X86_OP_GETSEC);
	CHECK_EQ(x86_map_0f[0x4f].op, X86_OP_CMOVCC);
	CHECK_EQ(x86_map_0f[0x77].op, X86_OP_EMMS);
	CHECK_EQ(x86_map_0f[0x8f].op, X86_OP_JCC);
	CHECK_EQ(x86_map_0f[0x9f].op, X86_OP_SETCC);
	CHECK_EQ(x86_map_0f[0xaf].op, X86_OP_IMUL);
	CHECK_EQ(x86_map_0f[0xbf].op, X86_OP_MOVSX);
	CHECK_EQ(x86_map_0f[0xc7].esc, ESC_MOD);
	CHECK_EQ(x86_map_0f[0xcf].op, X86_OP_BSWAP);
	CHECK_EQ(x86_map_0f[0xfe].op, X86_OP_SSE);
	CHECK_EQ(x86_map_0f[0xff].op, X86_OP_UD0);
	CHECK_EQ(x86_map_0f38[0x82].esc, ESC_PFX);
	CHECK_EQ(x86_map_0f38[0xf0].esc, ESC_PFX);
	CHECK_EQ(x86_map_0f38[0xef].op, X86_OP_SSE);
	CHECK_EQ(x86_map_0f38[0xff].op, X86_OP_UNKNOWN);
	CHECK(x86_map_0f38[0xff].flags & 1);	/* OF_MODRM */
	CHECK_EQ(x86_map_0f3a[0xff].op, X86_OP_SSE);
}

/* Any byte string decodes without crashing or reading past avail. */
static void test_random(void)
{
	static const unsigned int modes[] = { 16, 32, 64 };
	uint32_t seed = 12345;
	unsigned int i, j;

	for (i = 0; i < 20000; i++) {
		unsigned int avail = i % 16;
		uint8_t *buf = malloc(avail ? avail : 1);
		struct x86_insn in;
		char text[200];
		int ret;

		for (j = 0; j < avail; j++) {
			seed = seed * 1103515245u + 12345u;
			buf[j] = (uint8_t)(seed >> 16);
		}
		ret = x86_decode(buf, avail, modes[i % 3], &in);
		CHECK(ret == -ENODATA || ret == -E2BIG ||
		      (ret > 0 && ret <= (int)avail));
		x86_insn_format_bytes(buf, avail, modes[i % 3], text,
				      sizeof(text));
		free(buf);
	}
}

int main(void)
{
	test_table();
	test_fields();
	test_bad_args();
	test_table_shape();
	test_random();
	return unit_report();
}
