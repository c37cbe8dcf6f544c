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
	VM_REQ_SUSPEND,		/* the guest entered ACPI S3 */
	VM_REQ_WAKE,		/* a wake event ended S3 */
};

/* What vm_run() returns when the VM should be built again (a reset). */
#define VM_RUN_RESET (-1)
/* ... or built again to resume from S3 (vm_resume_info() says how). */
#define VM_RUN_RESUME (-2)

/* What may wake a guest from S3 (PM1_EN enables them). */
#define VM_WAKE_RTC	(1u << 0)	/* the RTC alarm */

/* Carried from a suspended VM to the one that resumes it. */
struct vm_resume {
	unsigned int woken_by;		/* a VM_WAKE_* bit */
	uint32_t vector;		/* FACS firmware waking vector */
};

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
	uint64_t facs_gpa;
	struct x86_cpu_state boot_cpu;	/* the BSP's entry state */

	/*
	 * ACPI S3: the wake sources the guest enabled, whether the vCPUs are
	 * stopped in S3, and, on a VM built to resume, what woke it.
	 */
	atomic_uint wake_sources;
	atomic_bool suspended;
	atomic_uint woken_by;

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
/*
 * The same, resuming from S3: no kernel is loaded (RAM holds the guest), the
 * BSP starts in real mode at the waking vector, devices at power-on state.
 */
struct vm *vm_create_resumed(const struct vm_config *cfg,
			     struct guest_mem *mem, const struct vm_resume *r);
/* After vm_run() returned VM_RUN_RESUME, before vm_destroy(). */
void vm_resume_info(struct vm *vm, struct vm_resume *r);
/*
 * Run until the guest or the user ends it: an exit status, VM_RUN_RESET or
 * VM_RUN_RESUME.  A guest in S3 keeps its devices running (the RTC that is
 * to wake it) with no vCPU until a wake source it enabled fires.
 */
int vm_run(struct vm *vm);
void vm_destroy(struct vm *vm);

/* Thread-safe requests. */
void vm_request_exit(struct vm *vm, int status);
/* A guest reset: with -no-reboot this ends kvmrun with status 0. */
void vm_request_reset(struct vm *vm);
/* ACPI S5 or similar: end kvmrun with status 0. */
void vm_request_poweroff(struct vm *vm);
/* ACPI S3: stop the vCPUs until a wake-up. */
void vm_request_suspend(struct vm *vm);
/* A wake event (VM_WAKE_*): ends S3 if the guest enabled that source. */
void vm_request_wakeup(struct vm *vm, unsigned int reason);
void vm_set_wake_sources(struct vm *vm, unsigned int sources);
/* Wake the main loop (from any thread). */
void vm_wake(struct vm *vm);

/* Interrupt lines (GSIs) and MSIs, for devices; callers hold the bus lock. */
void vm_set_irq(struct vm *vm, unsigned int gsi, int level);
void vm_pulse_irq(struct vm *vm, unsigned int gsi);
int vm_send_msi(struct vm *vm, uint64_t addr, uint32_t data);

/* The one VM of this process, for code that has no other way to it (signals). */
extern struct vm *current_vm;

#endif
