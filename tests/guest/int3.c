/*
 * int3 in 64-bit ring 0 reaches the #BP handler with RIP just after the
 * 0xcc byte and the registers intact; the handler returns and execution
 * continues.  Done three times, so that a VMM completing int3 for the host
 * must do it repeatedly, not just once.
 */
#include "guest.h"

TEST_NAME("int3");

static volatile int hits;
static volatile uint64_t hit_rip, hit_rbx, hit_cs, hit_error;

static bool on_bp(struct trap_frame *f)
{
	hits++;
	hit_rip = f->rip;
	hit_rbx = f->rbx;
	hit_cs = f->cs;
	hit_error = f->error;
	return true;
}

void test_main(void)
{
	trap_set_hook(3, on_bp);
	for (int i = 1; i <= 3; i++) {
		uint64_t after, rbx = 0x1122334455667700ULL + i;

		asm volatile("lea 1f(%%rip), %0\n\t"
			     "int3\n"
			     "1:"
			     : "=&r"(after), "+b"(rbx) : : "memory");
		if (hits != i)
			fail("int3 #%d: the #BP handler ran %d times in all", i, hits);
		if (hit_rip != after)
			fail("int3 #%d: #BP reported RIP 0x%lx, expected 0x%lx (after the int3)", i,
			     hit_rip, after);
		if (hit_cs != SEL_CODE64)
			fail("int3 #%d: #BP frame has CS 0x%lx", i, hit_cs);
		if (hit_rbx != rbx || rbx != 0x1122334455667700ULL + i)
			fail("int3 #%d: RBX was 0x%lx in the handler and 0x%lx after", i, hit_rbx,
			     rbx);
		printf("  int3 #%d: #BP at RIP 0x%lx, resumed\n", i, hit_rip);
	}
}
