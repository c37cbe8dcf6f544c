/*
 * System calls from ring 3: SYSCALL must enter the LSTAR handler in ring 0
 * (CS from STAR[47:32], RCX = the return address, R11 = RFLAGS), and INT n
 * through a DPL-3 gate must reach that gate's handler in ring 0.  Linux's
 * user space needs both.  This host's KVM (kvm_pvm, HOST.md) does neither:
 * after SYSCALL the guest runs on at LSTAR still in ring 3, and INT n from
 * ring 3 raises #UD.  kvmrun repairs both when the resulting exception's
 * entry code starts with clac (as Linux's does), which exits to it.
 *
 * So here, as in Linux, LSTAR lies on a supervisor-only page (ring 3 cannot
 * fetch it: #PF) and the #PF and #UD gates start with clac.
 */
#include "guest.h"

TEST_NAME("gap_syscall");

#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define MSR_FMASK	0xc0000084
#define EFER_SCE	0x1
#define SUPER_PAGE	0x4000000ULL	/* 64 MiB: its 2 MiB page loses PTE_U */

extern char syscall_entry[], syscall_return[], user_exit_insn[], trap_stubs[];
extern char pf_entry[], ud_entry[];
uint64_t entry_rcx, entry_r11;
static volatile uint64_t int_cs, int_rip;

/* LSTAR jumps here: note CS in RAX, RCX and R11, leave through the ud2. */
asm(".text\n"
    ".globl syscall_entry\n"
    "syscall_entry:\n\t"
    "mov %rcx, entry_rcx(%rip)\n\t"
    "mov %r11, entry_r11(%rip)\n\t"
    "xor %eax, %eax\n\t"
    "mov %cs, %ax\n\t"
    "jmp user_exit_insn\n"
    /* #PF and #UD entries that start with clac, like Linux's. */
    ".globl pf_entry\n"
    "pf_entry:\n\t"
    "clac\n\t"
    "jmp trap_stubs + 16 * 14\n"
    ".globl ud_entry\n"
    "ud_entry:\n\t"
    "clac\n\t"
    "jmp trap_stubs + 16 * 6\n");

static long user_syscall(long arg)
{
	(void)arg;
	asm volatile("syscall\n"
		     ".globl syscall_return\n"
		     "syscall_return:"
		     : : : "rcx", "r11", "memory");
	return -1;	/* not reached: the handler leaves through ud2 */
}

static long user_int80(long arg)
{
	(void)arg;
	asm volatile("int $0x80" : : : "memory");
	return -1;
}

/* The ud2 at user_exit_insn from ring 0 (the right outcome) ends it too. */
static bool on_ud(struct trap_frame *f)
{
	if (f->rip != (uint64_t)user_exit_insn || (f->cs & 3))
		return false;
	user_abort((long)f->rax);
	return true;
}

static bool on_int80(struct trap_frame *f)
{
	uint16_t cs;

	asm volatile("mov %%cs, %0" : "=r"(cs));
	int_cs = cs;
	int_rip = f->rip;
	user_abort(0x80);
	return true;
}

static uint8_t *idt_gate(unsigned int vec)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) p;

	asm volatile("sidt %0" : "=m"(p));
	return (uint8_t *)(p.base + 16 * vec);
}

static void set_gate_entry(unsigned int vec, uint64_t entry, unsigned int dpl)
{
	uint8_t *g = idt_gate(vec);

	g[0] = (uint8_t)entry;
	g[1] = (uint8_t)(entry >> 8);
	g[5] = (uint8_t)(0x8e | (dpl << 5));
	g[6] = (uint8_t)(entry >> 16);
	g[7] = (uint8_t)(entry >> 24);
	memcpy(g + 8, (uint8_t *)&entry + 4, 4);
}

/* LSTAR on a supervisor-only page: a jump from there to syscall_entry. */
static uint64_t supervisor_stub(void)
{
	uint64_t cr3, *pml4, *pdpt, *pd;
	uint8_t *p = (uint8_t *)SUPER_PAGE;
	uint64_t target = (uint64_t)syscall_entry;

	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	pml4 = (uint64_t *)(cr3 & ~0xfffULL);
	pdpt = (uint64_t *)(pml4[0] & ~0xfffULL);
	pd = (uint64_t *)(pdpt[0] & ~0xfffULL);
	pd[SUPER_PAGE >> 21] &= ~(uint64_t)PTE_U;
	asm volatile("invlpg (%0)" : : "r"(p) : "memory");
	p[0] = 0x48;		/* movabs $syscall_entry, %rax */
	p[1] = 0xb8;
	memcpy(p + 2, &target, 8);
	p[10] = 0xff;		/* jmp *%rax */
	p[11] = 0xe0;
	return SUPER_PAGE;
}

static bool has_smap(void)
{
	uint32_t a = 7, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return b & (1u << 20);
}

void test_main(void)
{
	long cs, r;

	if (!has_smap()) {
		printf("  SKIP: no SMAP, so no clac to start the entries with\n");
		return;
	}
	trap_set_hook(6, on_ud);
	set_gate_entry(14, (uint64_t)pf_entry, 0);
	set_gate_entry(6, (uint64_t)ud_entry, 0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* SYSCALL CS = 0x08 (SS 0x10); SYSRET base 0x20 (64-bit CS 0x30). */
	wrmsr(MSR_STAR, ((uint64_t)(SEL_UCODE32 | 3) << 48) | ((uint64_t)SEL_CODE64 << 32));
	wrmsr(MSR_LSTAR, supervisor_stub());
	wrmsr(MSR_FMASK, 0x4700);	/* TF, IF, DF, NT: as Linux */

	for (int i = 1; i <= 2; i++) {
		entry_rcx = entry_r11 = 0;
		cs = user_call(user_syscall, 0, user_stack_top());
		printf("  syscall #%d: handler ran with CS 0x%lx, RCX 0x%lx, R11 0x%lx\n", i, cs,
		       entry_rcx, entry_r11);
		if (entry_rcx != (uint64_t)syscall_return)
			fail("RCX 0x%lx, expected the return address 0x%lx", entry_rcx,
			     (uint64_t)syscall_return);
		if (cs != SEL_CODE64)
			fail("the syscall handler ran with CS 0x%lx, expected 0x%x (ring 0)", cs,
			     SEL_CODE64);
	}

	set_gate_entry(0x80, (uint64_t)trap_stubs + 16 * 0x80, 3);
	trap_set_hook(0x80, on_int80);
	r = user_call(user_int80, 0, user_stack_top());
	printf("  int $0x80: gate handler ran with CS 0x%lx, return RIP 0x%lx\n",
	       (long)int_cs, (long)int_rip);
	if (r != 0x80 || int_cs != SEL_CODE64)
		fail("int $0x80 from ring 3 did not reach its gate in ring 0");
	if (int_rip != (uint64_t)user_int80 + 2)
		fail("int $0x80: return RIP 0x%lx, expected 0x%lx", (long)int_rip,
		     (long)user_int80 + 2);
}
