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

/*
 * -cpu MODEL[,+feat|-feat|feat=on|off|prop=value...]: the model's CPUID as
 * QEMU defines it, filtered by what KVM supports, then the user's changes.
 */
#define CPU_MAX_FEATURE_CHANGES 64

enum cpu_tristate { CPU_DEFAULT = -1, CPU_OFF = 0, CPU_ON = 1 };

struct cpu_config {
	const char *model;		/* "host", "max" or a named model */
	/* +feat / -feat in command-line order; index into cpu_features[] */
	uint16_t change_feature[CPU_MAX_FEATURE_CHANGES];
	bool change_on[CPU_MAX_FEATURE_CHANGES];
	unsigned int nchanges;
	char vendor[13];		/* "" for the model's */
	char model_id[49];		/* "" for the model's */
	bool model_id_set;
	int family, model_number, stepping; /* -1 for the model's */
	uint32_t level, xlevel;		/* 0 for the model's */
	unsigned int phys_bits;		/* 0 for the default */
	int host_phys_bits;		/* enum cpu_tristate */
	int pmu;			/* enum cpu_tristate */
	bool hide_kvm;			/* kvm=off: no KVM CPUID leaves */
	bool enforce;			/* a missing feature is an error */
	bool check;			/* ... or a warning (default) */
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
	struct cpu_config cpu;

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
	bool no_pit;			/* -machine pit=off */
	/*
	 * -rtc base=utc|localtime|DATE: the time the RTC starts at (wall
	 * clock, the host's local time, or rtc_start, seconds since 1970).
	 */
	enum { RTC_BASE_UTC, RTC_BASE_LOCALTIME, RTC_BASE_DATE } rtc_base;
	int64_t rtc_start;
	bool mem_lock;			/* -overcommit mem-lock=on */
	bool cpu_pm;			/* -overcommit cpu-pm=on */

	/* -device isa-debug-exit,iobase=..,iosize=.. */
	bool debug_exit;
	uint16_t debug_exit_iobase;
	uint16_t debug_exit_iosize;
	bool pc_testdev;		/* -device pc-testdev */
	bool pci_testdev;		/* -device pci-testdev */
};

#endif
