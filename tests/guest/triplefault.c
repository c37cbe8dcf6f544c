/*
 * A deliberate triple fault: load an empty IDT, then ud2.  #UD cannot be
 * delivered, nor can the resulting #GP or #DF, so the CPU shuts down.  Run
 * with -no-reboot: kvmrun prints a register dump and exits with status 2.
 */
#include "guest.h"

TEST_NAME("triplefault");

void test_main(void)
{
	printf("  loading an empty IDT, then ud2\n");
	trap_kill_idt();
	asm volatile("ud2");
	trap_load_idt();
	fail("still running after a triple fault");
}
