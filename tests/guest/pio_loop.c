/*
 * Port-I/O exit loop for the benchmarks: "n=N" (default 1000) writes to
 * port 0x80, then an isa-debug-exit.  Not a speed test: it passes whenever
 * all N writes complete.
 *
 * The loop should run in ring 3 with IOPL 3, where KVM runs guest code
 * natively, so that it measures the VMM's exit path rather than an
 * instruction emulator.  Paravirtual KVM hosts (kvm_pvm) drop IOPL on the
 * way to ring 3, so under "mode=auto" (the default) the guest checks
 * RFLAGS in ring 3 and, when IOPL is not 3, says so and runs the loop in
 * ring 0 instead.  "mode=ring3" fails in that case; "mode=ring0" skips ring 3.
 */
#include "guest.h"

TEST_NAME("pio_loop");

#define NO_IOPL		(-1L)

static long user_loop(long n)
{
	if (read_iopl() != 3)
		return NO_IOPL - read_iopl();
	for (long i = 0; i < n; i++)
		outb(0x80, (uint8_t)i);
	return n;
}

static void ring0_loop(uint64_t n)
{
	if (n)
		asm volatile("1: outb %%al, $0x80\n\tdec %%rcx\n\tjnz 1b"
			     : "+c"(n) : "a"(0) : "memory");
}

void test_main(void)
{
	char mode[8] = "auto", tmp[2];
	uint64_t n = 1000;
	long done;

	if (cmdline_get("n", tmp, sizeof(tmp)) && !cmdline_u64("n", &n))
		fail("n= wants a number (\"%s\")", cmdline());
	cmdline_get("mode", mode, sizeof(mode));
	if (strncmp(mode, "auto", 5) && strncmp(mode, "ring3", 6) && strncmp(mode, "ring0", 6))
		fail("mode=%s: use auto, ring3 or ring0", mode);
	if (strncmp(mode, "ring0", 6)) {
		done = user_call(user_loop, (long)n, user_stack_top());
		if (done == (long)n) {
			printf("  %lu writes to port 0x80 done in ring 3\n", n);
			return;
		}
		if (done > NO_IOPL || done < NO_IOPL - 3)
			fail("ring 3 returned %ld, expected %lu", done, n);
		if (!strncmp(mode, "ring3", 6))
			fail("ring 3 runs with IOPL %ld although IOPL 3 was asked for",
			     NO_IOPL - done);
		printf("  note: ring 3 runs with IOPL %ld here (the host drops IOPL 3);"
		       " looping in ring 0\n", NO_IOPL - done);
	}
	ring0_loop(n);
	printf("  %lu writes to port 0x80 done in ring 0\n", n);
}
