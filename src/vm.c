// SPDX-License-Identifier: MIT
/*
 * VM lifecycle.  A VM is built whole by vm_create() and torn down whole by
 * vm_destroy(); a guest reset is a teardown and a rebuild on the same RAM
 * (main.c loops), so every device starts from its power-on state without
 * each needing a reset path of its own.
 */
#include "vm.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "accel/accel.h"
#include "device.h"
#include "util/event.h"
#include "util/log.h"
#include "x86/acpi.h"
#include "x86/boot.h"
#include "x86/loader.h"

struct vm *current_vm;

void vm_wake(struct vm *vm)
{
	uint64_t one = 1;

	if (write(vm->wake_fd, &one, sizeof(one)) < 0)
		event_loop_kick();
}

/*
 * An exit beats a reset: a user's Ctrl-A x or signal that meets a pending
 * guest reset must still end kvmrun.  Between exits the first one wins, so
 * a reset or second exit racing a debug-exit cannot rewrite the guest's
 * verdict.  The slot is claimed before the status is stored; the main loop
 * waits out the two stores (VM_REQ_CLAIMED).
 */
void vm_request_exit(struct vm *vm, int status)
{
	int cur = atomic_load(&vm->request);

	do {
		if (cur == VM_REQ_EXIT || cur == VM_REQ_CLAIMED)
			return;
	} while (!atomic_compare_exchange_weak(&vm->request, &cur, VM_REQ_CLAIMED));
	atomic_store(&vm->exit_status, status);
	atomic_store(&vm->request, VM_REQ_EXIT);
	vm_wake(vm);
}

void vm_request_poweroff(struct vm *vm)
{
	vm_request_exit(vm, 0);
}

void vm_request_reset(struct vm *vm)
{
	int none = VM_REQ_NONE;

	if (vm->cfg->no_reboot) {
		log_debug("guest reset with -no-reboot: exiting");
		vm_request_exit(vm, 0);
		return;
	}
	if (atomic_compare_exchange_strong(&vm->request, &none, VM_REQ_RESET))
		vm_wake(vm);
}

void vm_request_suspend(struct vm *vm)
{
	int none = VM_REQ_NONE;

	if (atomic_compare_exchange_strong(&vm->request, &none, VM_REQ_SUSPEND))
		vm_wake(vm);
}

void vm_set_wake_sources(struct vm *vm, unsigned int sources)
{
	atomic_store(&vm->wake_sources, sources);
}

void vm_request_wakeup(struct vm *vm, unsigned int reason)
{
	int none = VM_REQ_NONE;

	if (!atomic_load(&vm->suspended) ||
	    !(atomic_load(&vm->wake_sources) & reason))
		return;
	atomic_store(&vm->woken_by, reason);
	if (atomic_compare_exchange_strong(&vm->request, &none, VM_REQ_WAKE))
		vm_wake(vm);
}

void vm_resume_info(struct vm *vm, struct vm_resume *r)
{
	uint8_t v[4] = { 0 };

	r->woken_by = atomic_load(&vm->woken_by);
	if (vm->facs_gpa)
		guest_read(vm->mem, vm->facs_gpa + ACPI_FACS_WAKING_VECTOR, v,
			   sizeof(v));
	r->vector = (uint32_t)io_data_get(v, sizeof(v));
}

/* S3: the vCPUs stop; devices and the main loop go on. */
static void vm_suspend(struct vm *vm)
{
	int req = VM_REQ_SUSPEND;

	if (vm->accel->stop_cpus)
		vm->accel->stop_cpus(vm);
	atomic_store(&vm->suspended, true);
	log_debug("guest suspended to RAM (ACPI S3)");
	atomic_compare_exchange_strong(&vm->request, &req, VM_REQ_NONE);
}

void vm_set_irq(struct vm *vm, unsigned int gsi, int level)
{
	if (vm->irq_intercept) {
		vm->irq_intercept(vm->irq_intercept_opaque, gsi, level);
		return;
	}
	if (vm->user_irqchip) {
		if (vm->irqchip.set_irq)
			vm->irqchip.set_irq(vm->irqchip.opaque, gsi, level);
		return;
	}
	vm->accel->set_irq(vm, gsi, level);
}

void vm_pulse_irq(struct vm *vm, unsigned int gsi)
{
	vm_set_irq(vm, gsi, 1);
	vm_set_irq(vm, gsi, 0);
}

int vm_send_msi(struct vm *vm, uint64_t addr, uint32_t data)
{
	if (!vm->accel->send_msi)
		return -ENOTSUP;
	return vm->accel->send_msi(vm, addr, data);
}

static void drain_wake(void *opaque, uint32_t events)
{
	struct vm *vm = opaque;
	uint64_t v;

	if (read(vm->wake_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		log_debug("wake fd: %s", strerror(errno));
}

struct vm *vm_create(const struct vm_config *cfg, struct guest_mem *mem)
{
	return vm_create_resumed(cfg, mem, NULL);
}

struct vm *vm_create_resumed(const struct vm_config *cfg,
			     struct guest_mem *mem, const struct vm_resume *r)
{
	struct vm *vm;
	int ret;

	vm = calloc(1, sizeof(*vm));
	if (!vm) {
		log_error("out of memory");
		return NULL;
	}
	vm->cfg = cfg;
	vm->mem = mem;
	vm->ncpus = cfg->ncpus;
	vm->accel = accel_by_kind(cfg->accel);
	if (r)
		atomic_store(&vm->woken_by, r->woken_by);
	vm->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vm->wake_fd < 0) {
		log_error("eventfd: %s", strerror(errno));
		goto err_free;
	}
	if (event_add(vm->wake_fd, EPOLLIN, drain_wake, vm))
		goto err_wake;
	current_vm = vm;
	vm->user_irqchip = !vm->accel->has_irqchip(vm);
	/*
	 * KVM's in-kernel PIT costs ~16 ms to tear down on some hosts (SRCU
	 * grace periods in kvm_free_pit), most of a short VM's life; guests
	 * use the PIT only to calibrate at boot.  So kvmrun's own PIT serves
	 * unless the user configures KVM's (-global kvm-pit.*).
	 */
	vm->accel_pit = !cfg->no_pit && !vm->user_irqchip && cfg->kvm_pit;
	vm->user_pit = !cfg->no_pit && !vm->accel_pit;
	ret = vm->accel->init(vm);
	if (ret)
		goto err_event;
	ret = devices_realize(vm);
	if (ret)
		goto err_accel;
	if (r)
		boot_cpu_real16(&vm->boot_cpu, r->vector);
	else if (cfg->kernel)
		ret = x86_load_kernel(vm);
	if (ret)
		goto err_devices;
	return vm;

err_devices:
	devices_teardown(vm);
err_accel:
	vm->accel->destroy(vm);
err_event:
	event_del(vm->wake_fd);
	current_vm = NULL;
err_wake:
	close(vm->wake_fd);
err_free:
	free(vm);
	return NULL;
}

int vm_run(struct vm *vm)
{
	int ret, req;

	ret = vm->accel->start(vm);
	if (ret) {
		vm->accel->stop(vm);
		return KVMRUN_EXIT_SETUP;
	}
	for (;;) {
		req = atomic_load(&vm->request);
		if (req == VM_REQ_CLAIMED) {
			sched_yield();	/* the filer is between two stores */
			continue;
		}
		if (req == VM_REQ_SUSPEND) {
			vm_suspend(vm);
			continue;
		}
		if (req != VM_REQ_NONE)
			break;
		ret = event_loop_run_once(-1);
		if (ret < 0) {
			log_error("event loop: %s", strerror(-ret));
			vm_request_exit(vm, KVMRUN_EXIT_GUEST_FATAL);
		}
	}
	vm->accel->stop(vm);
	/* A vCPU may have turned the reset into an exit before it stopped. */
	req = atomic_load(&vm->request);
	if (req == VM_REQ_RESET)
		return VM_RUN_RESET;
	if (req == VM_REQ_WAKE)
		return VM_RUN_RESUME;
	return atomic_load(&vm->exit_status);
}

void vm_destroy(struct vm *vm)
{
	if (!vm)
		return;
	devices_teardown(vm);
	vm->accel->destroy(vm);
	bus_clear(&pio_bus);
	bus_clear(&mmio_bus);
	event_del(vm->wake_fd);
	close(vm->wake_fd);
	if (current_vm == vm)
		current_vm = NULL;
	free(vm);
}
