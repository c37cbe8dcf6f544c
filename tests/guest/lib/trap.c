/* IDT, TSS and the C side of trap handling, including the way back from ring 3. */
#include "guest.h"

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
} __attribute__((packed));

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern char trap_stubs[];
extern char user_exit_insn[];
extern uint64_t gdt[];

static struct idt_gate idt[256] __attribute__((aligned(16)));
static struct tss tss __attribute__((aligned(16)));
static trap_hook hooks[256];
/* Traps from ring 3 switch to this stack (TSS.RSP0). */
static char trap_stack[8192] __attribute__((aligned(16), section(".bss.stack")));
static char user_stack[16384] __attribute__((aligned(16), section(".bss.stack")));

static const char *const vector_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "?9", "#TS", "#NP",
	"#SS", "#GP", "#PF", "?15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

static void set_gate(unsigned int vec, uint64_t handler, unsigned int dpl)
{
	struct idt_gate *g = &idt[vec];

	g->off_lo = (uint16_t)handler;
	g->sel = SEL_CODE64;
	g->ist = 0;
	g->type = (uint8_t)(0x8e | (dpl << 5));	/* present 64-bit interrupt gate */
	g->off_mid = (uint16_t)(handler >> 16);
	g->off_hi = (uint32_t)(handler >> 32);
	g->zero = 0;
}

void trap_load_idt(void)
{
	struct desc_ptr p = { sizeof(idt) - 1, (uintptr_t)idt };

	asm volatile("lidt %0" : : "m"(p));
}

void trap_kill_idt(void)
{
	struct desc_ptr p = { 0, 0 };

	asm volatile("lidt %0" : : "m"(p));
}

static void load_tss(void)
{
	uint64_t base = (uintptr_t)&tss, limit = sizeof(tss) - 1;

	tss.rsp[0] = (uintptr_t)trap_stack + sizeof(trap_stack);
	tss.iomap_base = sizeof(tss);	/* no bitmap: IOPL alone decides */
	/* Written at every boot: LTR marks the descriptor busy. */
	gdt[SEL_TSS / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ULL << 40 |
			   ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt[SEL_TSS / 8 + 1] = base >> 32;
	asm volatile("ltr %w0" : : "r"(SEL_TSS));
}

void trap_init(void)
{
	for (unsigned int v = 0; v < 256; v++)
		set_gate(v, (uintptr_t)trap_stubs + 16 * v, 0);
	trap_load_idt();
	load_tss();
}

void trap_set_hook(unsigned int vector, trap_hook hook)
{
	if (vector < 256)
		hooks[vector] = hook;
}

void *user_stack_top(void)
{
	return user_stack + sizeof(user_stack);
}

static uint64_t read_cr2(void)
{
	uint64_t v;

	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

void dump_frame(const struct trap_frame *f)
{
	printf("  rip=%016lx cs=%04lx rflags=%08lx rsp=%016lx ss=%04lx\n", f->rip, f->cs,
	       f->rflags, f->rsp, f->ss);
	printf("  rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx\n", f->rax, f->rbx, f->rcx,
	       f->rdx);
	printf("  rsi=%016lx rdi=%016lx rbp=%016lx r8=%016lx\n", f->rsi, f->rdi, f->rbp,
	       f->r8);
	if (f->vector == 14)
		printf("  cr2=%016lx\n", read_cr2());
}

void trap_dispatch(struct trap_frame *f);
void trap_dispatch(struct trap_frame *f)
{
	static int reporting;
	unsigned int v = (unsigned int)f->vector;

	if (v == 6 && (f->cs & 3) == 3 && f->rip == (uintptr_t)user_exit_insn)
		user_abort((long)f->rax);
	if (v < 256 && hooks[v] && hooks[v](f))
		return;
	if (__atomic_fetch_add(&reporting, 1, __ATOMIC_SEQ_CST))
		debug_exit(EXIT_TRAP);	/* a fault while reporting one */
	printf("FAIL %s: unexpected exception %u (%s) error=0x%lx at rip=0x%lx in ring %lu\n",
	       test_name, v, v < 32 && vector_names[v] ? vector_names[v] : "irq", f->error,
	       f->rip, f->cs & 3);
	dump_frame(f);
	debug_exit(EXIT_TRAP);
}
