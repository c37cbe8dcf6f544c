/* SPDX-License-Identifier: MIT */
/*
 * The accelerator seam (QEMU's accel_list): what executes the guest.  The
 * machine and its devices never call KVM; they call vm_set_irq() and friends,
 * which end here.
 */
#ifndef KVMRUN_ACCEL_H
#define KVMRUN_ACCEL_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

struct vm;

struct accel_ops {
	const char *name;
	const char *help;
	enum accel_kind kind;
	/*
	 * Whether the accelerator has interrupt controllers and the PIT of its
	 * own; when false (or with kernel-irqchip=split) the user-space PIC,
	 * IOAPIC and PIT models are realized.
	 */
	bool (*has_irqchip)(const struct vm *vm);
	/* Create the VM and map vm->mem; 0 or -errno after one clear line. */
	int (*init)(struct vm *vm);
	/* Start executing (vCPU threads, or the qtest socket). */
	int (*start)(struct vm *vm);
	/* Stop executing and join; idempotent. */
	void (*stop)(struct vm *vm);
	/* Stop only the CPUs (ACPI S3); optional: none to stop. */
	void (*stop_cpus)(struct vm *vm);
	void (*destroy)(struct vm *vm);
	/* Drive an interrupt line of the in-accelerator irqchip (level 0/1). */
	void (*set_irq)(struct vm *vm, unsigned int gsi, int level);
	/* Deliver a message-signalled interrupt to the CPUs. */
	int (*send_msi)(struct vm *vm, uint64_t addr, uint32_t data);
};

extern const struct accel_ops kvm_accel_ops;
extern const struct accel_ops qtest_accel_ops;

const struct accel_ops *accel_by_kind(enum accel_kind kind);
/* NULL-terminated, for -accel help. */
extern const struct accel_ops *const accel_list[];

#endif
