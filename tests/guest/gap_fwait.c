/*
 * fwait in 64-bit ring 0 (a host KVM gap: Linux's fpu__drop runs it when a
 * task exits).  With nothing pending it just continues; with CR0.TS and
 * CR0.MP set it raises #NM at the fwait, whose handler clears TS.
 */
#include "guest.h"

TEST_NAME("gap_fwait");

static volatile int nm_hits;
static volatile uint64_t nm_rip;

static bool on_nm(struct trap_frame *f)
{
	nm_hits++;
	nm_rip = f->rip;
	asm volatile("clts");
	return true;
}

void test_main(void)
{
	uint64_t at, rbx = 0x1234;

	for (int i = 1; i <= 3; i++) {
		asm volatile("fwait" : "+b"(rbx) : : "memory");
		printf("  fwait #%d: continued\n", i);
	}
	if (rbx != 0x1234)
		fail("RBX changed to 0x%lx", rbx);
	trap_set_hook(7, on_nm);
	asm volatile("mov %%cr0, %%rax; or %0, %%rax; mov %%rax, %%cr0"
		     : : "i"(CR0_TS | CR0_MP) : "rax");
	asm volatile("lea 1f(%%rip), %0\n"
		     "1:\tfwait"
		     : "=&r"(at) : : "memory");
	trap_set_hook(7, NULL);
	if (nm_hits != 1 || nm_rip != at)
		fail("fwait with TS|MP: %d #NM at 0x%lx, expected one at 0x%lx", nm_hits,
		     nm_rip, at);
	printf("  fwait with CR0.TS|MP: #NM at the fwait\n");
}
