/* SPDX-License-Identifier: MIT */
/*
 * struct vm_config: everything the user can choose on the command line, and
 * nothing else.  Filled by options.c with no side effects; read-only after.
 */
#ifndef KVMRUN_CONFIG_H
#define KVMRUN_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define CONFIG_MAX_CPUS 255	/* xAPIC IDs in the MADT are 8-bit */
#define CONFIG_DEFAULT_RAM (256ULL << 20)

enum accel_kind {
	ACCEL_KVM,
	ACCEL_QTEST,
};

enum serial_mode {
	SERIAL_STDIO,
	SERIAL_NONE,
};

enum irqchip_mode {
	IRQCHIP_KERNEL,		/* PIC, IOAPIC, PIT, LAPIC all in the kernel */
	IRQCHIP_SPLIT,		/* LAPIC in the kernel; PIC, IOAPIC, PIT here */
};

struct vm_config {
	uint64_t ram_size;
	unsigned int ncpus;
	/* -smp topology: smp_sockets * smp_cores * smp_threads == ncpus */
	unsigned int smp_sockets;
	unsigned int smp_cores;
	unsigned int smp_threads;
	const char *kernel;
	const char *initrd;
	const char *append;
	const char *name;
	const char *cpu_model;		/* "host" or "max" */

	enum accel_kind accel;
	enum irqchip_mode irqchip;
	const char *qtest_chardev;	/* "unix:PATH[,server=on,wait=off]" */
	const char *qtest_log;		/* "-qtest-log FILE", or NULL */

	enum serial_mode serial;
	bool nographic;
	bool nodefaults;
	bool no_reboot;
	/*
	 * -global kvm-pit.lost_tick_policy=delay|discard: use KVM's in-kernel
	 * PIT (QEMU's kvm-pit device), with or without re-injection of missed
	 * ticks; otherwise kvmrun's own PIT serves.
	 */
	bool kvm_pit;
	bool pit_discard_lost_ticks;

	/* -device isa-debug-exit,iobase=..,iosize=.. */
	bool debug_exit;
	uint16_t debug_exit_iobase;
	uint16_t debug_exit_iosize;
	bool pc_testdev;		/* -device pc-testdev */
	bool pci_testdev;		/* -device pci-testdev */
};

#endif
