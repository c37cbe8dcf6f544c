// SPDX-License-Identifier: MIT
/*
 * The raw KVM floor for a port-I/O exit: the least a VMM can do per exit.
 * A bare VM whose only vCPU runs, in 64-bit ring 3 with IOPL 3, a loop of N
 * `out` instructions; this program does nothing per exit but look at the
 * port.  bench/run.py compares kvmrun's ring-3 exit loop with it.
 *
 * usage: pio_floor N    prints "exits=N seconds=S ns_per_exit=X"
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define RAM_SIZE (4UL << 20)
#define PML4 0x1000
#define PDPT 0x2000
#define PD 0x3000
#define CODE 0x10000
#define PORT_LOOP 0x80
#define PORT_DONE 0x81

static void fail(const char *what)
{
	perror(what);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* mov ecx, N; mov dx, 0x80; 1: out dx, al; dec ecx; jnz 1b; mov dx, 0x81; out dx, al */
static void write_code(uint8_t *p, uint32_t n)
{
	const uint8_t code[] = {
		0xb9, n, n >> 8, n >> 16, n >> 24,
		0x66, 0xba, PORT_LOOP, 0x00,
		0xee,
		0xff, 0xc9,
		0x75, 0xfb,
		0x66, 0xba, PORT_DONE, 0x00,
		0xee,
		0xeb, 0xfe,
	};

	memcpy(p, code, sizeof(code));
}

static void setup_long_mode_user(int vcpu, uint8_t *ram)
{
	struct kvm_sregs s;
	struct kvm_regs r = { .rip = CODE, .rflags = 0x3002 };	/* IOPL 3 */
	struct kvm_segment code = { .base = 0, .limit = 0xffffffff, .selector = 0x1b,
				    .type = 0xb, .present = 1, .dpl = 3, .s = 1,
				    .l = 1, .g = 1 };
	struct kvm_segment data = { .base = 0, .limit = 0xffffffff, .selector = 0x23,
				    .type = 0x3, .present = 1, .dpl = 3, .s = 1,
				    .db = 1, .g = 1 };
	uint64_t *pml4 = (uint64_t *)(ram + PML4);
	uint64_t *pdpt = (uint64_t *)(ram + PDPT);
	uint64_t *pd = (uint64_t *)(ram + PD);

	/* User-accessible identity map of the first 2 MiB. */
	pml4[0] = PDPT | 7;
	pdpt[0] = PD | 7;
	pd[0] = 0x87;
	if (ioctl(vcpu, KVM_GET_SREGS, &s) < 0)
		fail("KVM_GET_SREGS");
	s.cr3 = PML4;
	s.cr4 = 1 << 5;				/* PAE */
	s.cr0 = 0x80000011;			/* PG | ET | PE */
	s.efer = 0x500;				/* LME | LMA */
	s.cs = code;
	s.ds = s.es = s.fs = s.gs = s.ss = data;
	if (ioctl(vcpu, KVM_SET_SREGS, &s) < 0)
		fail("KVM_SET_SREGS");
	if (ioctl(vcpu, KVM_SET_REGS, &r) < 0)
		fail("KVM_SET_REGS");
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 100000;
	int kvm, vm, vcpu, run_size;
	struct kvm_run *run;
	uint64_t exits = 0;
	uint8_t *ram;
	double t0, t1;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		fail("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		fail("KVM_CREATE_VM");
	ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED)
		fail("mmap");
	struct kvm_userspace_memory_region slot = {
		.memory_size = RAM_SIZE, .userspace_addr = (uintptr_t)ram,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
		fail("KVM_SET_USER_MEMORY_REGION");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		fail("KVM_CREATE_VCPU");
	run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		fail("mmap kvm_run");
	write_code(ram + CODE, n);
	setup_long_mode_user(vcpu, ram);

	t0 = now();
	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0)
			fail("KVM_RUN");
		if (run->exit_reason != KVM_EXIT_IO) {
			fprintf(stderr, "unexpected exit %u\n", run->exit_reason);
			return 1;
		}
		if (run->io.port == PORT_DONE)
			break;
		exits++;
	}
	t1 = now();
	printf("exits=%llu seconds=%.6f ns_per_exit=%.1f\n",
	       (unsigned long long)exits, t1 - t0,
	       exits ? (t1 - t0) * 1e9 / exits : 0.0);
	return 0;
}
