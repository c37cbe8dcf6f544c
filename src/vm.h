/* SPDX-License-Identifier: MIT */
/*
 * The virtual machine: one place for its lifecycle (create, run, reset,
 * power-off, destroy) and for the services devices use (interrupts, guest
 * memory, requests to stop).
 */
#ifndef KVMRUN_VM_H
#define KVMRUN_VM_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "memory.h"
#include "x86/cpu.h"

struct accel_ops;

enum vm_request {
	VM_REQ_NONE,
	VM_REQ_RESET,		/* guest asked for a reset */
	VM_REQ_EXIT,		/* end kvmrun with vm->exit_status */
	VM_REQ_CLAIMED,		/* a request is being filed */
};

/* What vm_run() returns when the VM should be built again (a reset). */
#define VM_RUN_RESET (-1)

/* A user-space interrupt controller (PIC/IOAPIC) takes the GSI inputs. */
struct irqchip_ops {
	void (*set_irq)(void *opaque, unsigned int gsi, int level);
	void *opaque;
};

struct vm {
	const struct vm_config *cfg;
	struct guest_mem *mem;		/* outlives the VM: RAM survives reset */
	const struct accel_ops *accel;
	void *accel_priv;
	unsigned int ncpus;
	bool user_irqchip;		/* PIC/IOAPIC modelled here */
	bool user_pit;			/* the PIT modelled here */
	bool accel_pit;			/* the accelerator's PIT (KVM's) */
	struct irqchip_ops irqchip;	/* set by the user-space irqchip */
	/* qtest's irq_intercept_in: sees every GSI change instead of the chip. */
	void (*irq_intercept)(void *opaque, unsigned int gsi, int level);
	void *irq_intercept_opaque;

	/* Filled by the machine before the vCPUs start. */
	uint64_t rsdp_gpa;		/* 0 until the ACPI tables are built */
	struct x86_cpu_state boot_cpu;	/* the BSP's entry state */

	/* Requests from any thread, served by the main loop. */
	atomic_int request;
	atomic_int exit_status;
	int wake_fd;			/* eventfd waking the main loop */
};

/*
 * Build the VM for cfg on mem: accelerator, devices, firmware tables,
 * kernel.  Returns NULL after printing one line when anything is wrong.
 */
struct vm *vm_create(const struct vm_config *cfg, struct guest_mem *mem);
/* Run until the guest or the user ends it: an exit status, or VM_RUN_RESET. */
int vm_run(struct vm *vm);
void vm_destroy(struct vm *vm);

/* Thread-safe requests. */
void vm_request_exit(struct vm *vm, int status);
/* A guest reset: with -no-reboot this ends kvmrun with status 0. */
void vm_request_reset(struct vm *vm);
/* ACPI S5 or similar: end kvmrun with status 0. */
void vm_request_poweroff(struct vm *vm);
/* Wake the main loop (from any thread). */
void vm_wake(struct vm *vm);

/* Interrupt lines (GSIs) and MSIs, for devices; callers hold the bus lock. */
void vm_set_irq(struct vm *vm, unsigned int gsi, int level);
void vm_pulse_irq(struct vm *vm, unsigned int gsi);
int vm_send_msi(struct vm *vm, uint64_t addr, uint32_t data);

/* The one VM of this process, for code that has no other way to it (signals). */
extern struct vm *current_vm;

#endif
