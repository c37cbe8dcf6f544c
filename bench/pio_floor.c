// SPDX-License-Identifier: MIT
/*
 * The raw KVM floor for a port-I/O exit: the least a VMM can do per exit.
 * A bare VM (one memory slot, one vCPU, no devices) whose only vCPU runs a
 * loop of N `out` instructions in 64-bit mode; this program does nothing per
 * exit but look at the port.  bench/run.py times it the same way as
 * kvmrun's pio_loop guest, (T(N) - T(0)) / N over whole processes, and
 * compares the two.
 *
 * The loop runs in ring 3 with IOPL 3 (set directly with KVM_SET_REGS) or in
 * ring 0.  Both matter on kvm_pvm hosts: guest user mode runs on the CPU but
 * its `out` reaches KVM through a #GP, while kernel mode is emulated
 * instruction by instruction; and a guest that enters ring 3 itself (iretq)
 * loses IOPL 3 there, so test guests fall back to ring 0.
 *
 * With "irqchip" the VM also gets KVM's in-kernel PIC/IOAPIC/LAPIC, with
 * "pit" that and the in-kernel PIT too, as kvmrun creates them, to tell
 * their cost from the VMM's own.  With "ioeventfd" the loop's port is bound
 * to an eventfd in KVM, so its writes end in the kernel: the loop without
 * the trip to user space.
 *
 * usage: pio_floor N [ring3|ring0] [irqchip|pit] [ioeventfd]   (default ring3)
 * prints "mode=M exits=E writes=N seconds=S ns_per_write=X" (the loop alone,
 * timed inside this process) and exits 0 when all N writes were seen.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define RAM_SIZE	(4UL << 20)
#define PML4		0x1000
#define PDPT		0x2000
#define PD		0x3000
#define CODE		0x10000
#define PORT_LOOP	0x80
#define PORT_DONE	0x81

static void die(const char *what)
{
	fprintf(stderr, "pio_floor: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * mov ecx, N; mov dx, 0x80; test ecx, ecx; jz 2f;
 * 1: out dx, al; dec ecx; jnz 1b;
 * 2: mov dx, 0x81; out dx, al; jmp .
 * The loop body is the one kvmrun's pio_loop guest runs (out, dec, jnz).
 */
static void write_code(uint8_t *p, uint32_t n)
{
	const uint8_t code[] = {
		0xb9, n, n >> 8, n >> 16, n >> 24,
		0x66, 0xba, PORT_LOOP, 0x00,
		0x85, 0xc9,
		0x74, 0x05,
		0xee,
		0xff, 0xc9,
		0x75, 0xfb,
		0x66, 0xba, PORT_DONE, 0x00,
		0xee,
		0xeb, 0xfe,
	};

	memcpy(p, code, sizeof(code));
}

static void setup_long_mode(int vcpu, uint8_t *ram, int cpl)
{
	struct kvm_sregs s;
	/* IOPL 3 lets ring 3 do port I/O; ring 0 needs no IOPL. */
	struct kvm_regs r = { .rip = CODE, .rflags = cpl ? 0x3002 : 0x2 };
	struct kvm_segment code = { .base = 0, .limit = 0xffffffff,
				    .selector = cpl ? 0x1b : 0x08,
				    .type = 0xb, .present = 1, .dpl = cpl, .s = 1,
				    .l = 1, .g = 1 };
	struct kvm_segment data = { .base = 0, .limit = 0xffffffff,
				    .selector = cpl ? 0x23 : 0x10,
				    .type = 0x3, .present = 1, .dpl = cpl, .s = 1,
				    .db = 1, .g = 1 };
	uint64_t *pml4 = (uint64_t *)(ram + PML4);
	uint64_t *pdpt = (uint64_t *)(ram + PDPT);
	uint64_t *pd = (uint64_t *)(ram + PD);

	/* User-accessible identity map of the first 2 MiB. */
	pml4[0] = PDPT | 7;
	pdpt[0] = PD | 7;
	pd[0] = 0x87;
	if (ioctl(vcpu, KVM_GET_SREGS, &s) < 0)
		die("KVM_GET_SREGS");
	s.cr3 = PML4;
	s.cr4 = 1 << 5;				/* PAE */
	s.cr0 = 0x80000011;			/* PG | ET | PE */
	s.efer = 0x500;				/* LME | LMA */
	s.cs = code;
	s.ds = s.es = s.fs = s.gs = s.ss = data;
	if (ioctl(vcpu, KVM_SET_SREGS, &s) < 0)
		die("KVM_SET_SREGS");
	if (ioctl(vcpu, KVM_SET_REGS, &r) < 0)
		die("KVM_SET_REGS");
}

struct options {
	uint32_t n;
	int cpl;
	bool irqchip;
	bool pit;
	bool ioeventfd;
};

static int parse_args(int argc, char **argv, struct options *o)
{
	char *end;
	unsigned long v;

	if (argc < 2)
		return -1;
	errno = 0;
	v = strtoul(argv[1], &end, 0);
	if (errno || *end || end == argv[1] || v > UINT32_MAX)
		return -1;
	*o = (struct options){ .n = v, .cpl = 3 };
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "ring0"))
			o->cpl = 0;
		else if (!strcmp(argv[i], "ring3"))
			o->cpl = 3;
		else if (!strcmp(argv[i], "irqchip"))
			o->irqchip = true;
		else if (!strcmp(argv[i], "pit"))
			o->irqchip = o->pit = true;
		else if (!strcmp(argv[i], "ioeventfd"))
			o->ioeventfd = true;
		else
			return -1;
	}
	return 0;
}

static void create_irqchip(int vm, bool with_pit)
{
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };

	if (ioctl(vm, KVM_CREATE_IRQCHIP, 0) < 0)
		die("KVM_CREATE_IRQCHIP");
	if (with_pit && ioctl(vm, KVM_CREATE_PIT2, &pit) < 0)
		die("KVM_CREATE_PIT2");
}

/* Writes to PORT_LOOP then end in KVM, counted by an eventfd. */
static int bind_ioeventfd(int vm)
{
	struct kvm_ioeventfd io = { .addr = PORT_LOOP, .len = 1,
				    .flags = KVM_IOEVENTFD_FLAG_PIO };
	int fd = eventfd(0, EFD_CLOEXEC);

	if (fd < 0)
		die("eventfd");
	io.fd = fd;
	if (ioctl(vm, KVM_IOEVENTFD, &io) < 0)
		die("KVM_IOEVENTFD");
	return fd;
}

static uint8_t *map_ram(int vm)
{
	struct kvm_userspace_memory_region slot = { .memory_size = RAM_SIZE };
	uint8_t *ram;

	ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED)
		die("mmap guest RAM");
	slot.userspace_addr = (uintptr_t)ram;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
		die("KVM_SET_USER_MEMORY_REGION");
	return ram;
}

/* Runs the vCPU until the guest writes PORT_DONE; returns the port exits. */
static uint64_t run_loop(int vcpu, struct kvm_run *run)
{
	uint64_t exits = 0;

	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;
			die("KVM_RUN");
		}
		if (run->exit_reason != KVM_EXIT_IO) {
			fprintf(stderr, "pio_floor: unexpected exit %u after %llu port exits\n",
				run->exit_reason, (unsigned long long)exits);
			exit(1);
		}
		if (run->io.port == PORT_DONE)
			return exits;
		exits++;
	}
}

int main(int argc, char **argv)
{
	int kvm, vm, vcpu, run_size, efd = -1;
	uint64_t exits, writes;
	struct kvm_run *run;
	struct options o;
	uint8_t *ram;
	double t0, t1;

	if (parse_args(argc, argv, &o)) {
		fprintf(stderr, "usage: pio_floor N [ring3|ring0] [irqchip|pit] [ioeventfd]\n");
		return 2;
	}
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM");
	if (o.irqchip)
		create_irqchip(vm, o.pit);
	if (o.ioeventfd)
		efd = bind_ioeventfd(vm);
	ram = map_ram(vm);
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		die("KVM_CREATE_VCPU");
	run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < (int)sizeof(*run))
		die("KVM_GET_VCPU_MMAP_SIZE");
	run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		die("mmap kvm_run");
	write_code(ram + CODE, o.n);
	setup_long_mode(vcpu, ram, o.cpl);

	t0 = now();
	exits = run_loop(vcpu, run);
	t1 = now();
	writes = exits;
	if (o.ioeventfd && o.n && read(efd, &writes, sizeof(writes)) != sizeof(writes))
		die("read eventfd");
	if (o.ioeventfd && !o.n)
		writes = 0;
	printf("mode=ring%d%s%s%s exits=%llu writes=%llu seconds=%.6f ns_per_write=%.1f\n",
	       o.cpl, o.irqchip ? ",irqchip" : "", o.pit ? ",pit" : "",
	       o.ioeventfd ? ",ioeventfd" : "",
	       (unsigned long long)exits, (unsigned long long)writes, t1 - t0,
	       writes ? (t1 - t0) * 1e9 / writes : 0.0);
	if (writes != o.n || (o.ioeventfd && exits)) {
		fprintf(stderr, "pio_floor: %llu writes, %llu exits, expected %u writes\n",
			(unsigned long long)writes, (unsigned long long)exits, o.n);
		return 1;
	}
	return 0;
}
