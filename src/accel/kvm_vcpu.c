// SPDX-License-Identifier: MIT
/*
 * vCPU threads.  Each runs KVM_RUN in a loop and dispatches the exit; a
 * fatal exit prints a register dump and asks the main loop to end kvmrun.
 * Stopping sets immediate_exit and signals the thread, so a vCPU in the guest
 * or about to enter it leaves KVM_RUN at once.
 */
#include "accel/kvm_vcpu.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "accel/kvm_cpuid.h"
#include "accel/kvm_internal.h"
#include "accel/kvm_regs.h"
#include "hw/ioapic.h"
#include "hw/pic.h"
#include "memory.h"
#include "util/log.h"
#include "vm.h"

#define SIG_VCPU_KICK SIGUSR1
#define MSR_IA32_MISC_ENABLE 0x1a0
#define MISC_ENABLE_FAST_STRING 1ULL
#define APIC_LVT0 0x350
#define APIC_LVT1 0x360
#define APIC_MODE_EXTINT 0x700
#define APIC_MODE_NMI 0x400

static void kick_handler(int sig)
{
}

static int install_kick_handler(void)
{
	struct sigaction sa = { .sa_handler = kick_handler };

	sigemptyset(&sa.sa_mask);
	return sigaction(SIG_VCPU_KICK, &sa, NULL) < 0 ? -errno : 0;
}

static int vcpu_set_cpuid(struct kvm_vcpu *v)
{
	struct kvm_cpuid2 *c;
	int ret = 0;

	c = cpuid_for_vcpu(v->kvm->cpuid, v->index, v->vm->ncpus);
	if (!c)
		return -ENOMEM;
	if (ioctl(v->fd, KVM_SET_CPUID2, c) < 0)
		ret = -errno;
	free(c);
	return ret;
}

static int vcpu_set_msrs(struct kvm_vcpu *v)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[1];
	} msrs = {
		.hdr.nmsrs = 1,
		.e[0] = { .index = MSR_IA32_MISC_ENABLE,
			  .data = MISC_ENABLE_FAST_STRING },
	};

	return ioctl(v->fd, KVM_SET_MSRS, &msrs) == 1 ? 0 : -EIO;
}

/* Virtual-wire mode on LINT0 and NMI on LINT1, as firmware leaves them. */
static int vcpu_set_lapic_lints(struct kvm_vcpu *v)
{
	struct kvm_lapic_state lapic;
	uint32_t lvt0 = APIC_MODE_EXTINT, lvt1 = APIC_MODE_NMI;

	if (ioctl(v->fd, KVM_GET_LAPIC, &lapic) < 0)
		return -errno;
	memcpy(&lapic.regs[APIC_LVT0], &lvt0, sizeof(lvt0));
	memcpy(&lapic.regs[APIC_LVT1], &lvt1, sizeof(lvt1));
	return ioctl(v->fd, KVM_SET_LAPIC, &lapic) < 0 ? -errno : 0;
}

static int vcpu_set_boot_state(struct kvm_vcpu *v)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;

	if (ioctl(v->fd, KVM_GET_SREGS, &sregs) < 0)
		return -errno;
	kvm_regs_from_cpu(&v->vm->boot_cpu, &regs, &sregs);
	if (ioctl(v->fd, KVM_SET_SREGS, &sregs) < 0)
		return -errno;
	if (ioctl(v->fd, KVM_SET_REGS, &regs) < 0)
		return -errno;
	return 0;
}

static int vcpu_create(struct kvm_vcpu *v)
{
	const char *step;
	int ret;

	v->fd = ioctl(v->kvm->vm_fd, KVM_CREATE_VCPU, v->index);
	if (v->fd < 0) {
		ret = -errno;
		step = "KVM_CREATE_VCPU";
		goto err;
	}
	v->run = mmap(NULL, v->kvm->run_size, PROT_READ | PROT_WRITE,
		      MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		ret = -errno;
		step = "mmap(kvm_run)";
		goto err;
	}
	step = "KVM_SET_CPUID2";
	ret = vcpu_set_cpuid(v);
	if (ret)
		goto err;
	step = "KVM_SET_MSRS";
	ret = vcpu_set_msrs(v);
	if (ret)
		goto err;
	step = "KVM_SET_LAPIC";
	if (!v->kvm->split_irqchip || v->index == 0) {
		ret = vcpu_set_lapic_lints(v);
		if (ret)
			goto err;
	}
	/* APs wait for INIT-SIPI-SIPI in the in-kernel LAPIC. */
	if (v->index == 0) {
		step = "KVM_SET_SREGS";
		ret = vcpu_set_boot_state(v);
		if (ret)
			goto err;
	}
	return 0;
err:
	log_error("vcpu %u: %s: %s", v->index, step, strerror(-ret));
	return ret;
}

/* A port access may repeat (rep ins/outs): count items of size bytes each. */
static void handle_io(struct kvm_vcpu *v)
{
	struct kvm_run *run = v->run;
	uint64_t bytes = (uint64_t)run->io.size * run->io.count;
	uint8_t *p = (uint8_t *)run + run->io.data_offset;
	bool out = run->io.direction == KVM_EXIT_IO_OUT;

	if (run->io.data_offset + bytes > (uint64_t)v->kvm->run_size)
		return;
	for (uint32_t i = 0; i < run->io.count; i++) {
		bus_access(&pio_bus, run->io.port, p, run->io.size, out);
		p += run->io.size;
	}
}

static void handle_mmio(struct kvm_vcpu *v)
{
	struct kvm_run *run = v->run;

	if (run->mmio.len > sizeof(run->mmio.data))
		return;
	bus_access(&mmio_bus, run->mmio.phys_addr, run->mmio.data,
		   run->mmio.len, run->mmio.is_write);
}

static void fatal(struct kvm_vcpu *v, const char *why)
{
	kvm_dump_vcpu(v, why);
	vm_request_exit(v->vm, KVMRUN_EXIT_GUEST_FATAL);
}

static bool handle_system_event(struct kvm_vcpu *v)
{
	switch (v->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		vm_request_poweroff(v->vm);
		return false;
	case KVM_SYSTEM_EVENT_RESET:
		vm_request_reset(v->vm);
		return false;
	default:
		fatal(v, "guest reported a crash (KVM_SYSTEM_EVENT)");
		return false;
	}
}

/* A triple fault: a reset, or with -no-reboot the end, with the evidence. */
static void handle_shutdown(struct kvm_vcpu *v)
{
	if (v->vm->cfg->no_reboot) {
		fatal(v, "guest triple fault (KVM_EXIT_SHUTDOWN) with -no-reboot");
		return;
	}
	/* Once: a guest that faults on every boot would flood the log. */
	log_guest_error_once("vcpu %u: guest triple fault: resetting the VM "
			     "(said once)", v->index);
	vm_request_reset(v->vm);
}

static bool handle_internal_error(struct kvm_vcpu *v)
{
	char why[96];

	if (v->run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION &&
	    kvm_complete_insn(v) == 0)
		return true;
	snprintf(why, sizeof(why),
		 "KVM_EXIT_INTERNAL_ERROR, suberror %u%s", v->run->internal.suberror,
		 v->run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION ?
			 " (instruction the host cannot emulate)" : "");
	fatal(v, why);
	return false;
}

/* Returns false when this vCPU must stop running. */
static bool handle_exit(struct kvm_vcpu *v)
{
	struct kvm_run *run = v->run;
	char why[96];

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		handle_io(v);
		return true;
	case KVM_EXIT_MMIO:
		handle_mmio(v);
		return true;
	case KVM_EXIT_HLT:
	case KVM_EXIT_IRQ_WINDOW_OPEN:
	case KVM_EXIT_INTR:
		return true;
	case KVM_EXIT_IOAPIC_EOI:
		/* Split irqchip: a level-triggered vector was EOIed. */
		bus_lock();
		ioapic_eoi_broadcast(run->eoi.vector);
		bus_unlock();
		return true;
	case KVM_EXIT_SHUTDOWN:
		handle_shutdown(v);
		return false;
	case KVM_EXIT_SYSTEM_EVENT:
		return handle_system_event(v);
	case KVM_EXIT_INTERNAL_ERROR:
		return handle_internal_error(v);
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(why, sizeof(why),
			 "KVM_EXIT_FAIL_ENTRY, hardware reason 0x%llx",
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		fatal(v, why);
		return false;
	case KVM_EXIT_DEBUG:
		fatal(v, "unexpected KVM_EXIT_DEBUG (no debugger attached)");
		return false;
	default:
		snprintf(why, sizeof(why), "unhandled KVM exit reason %u",
			 run->exit_reason);
		fatal(v, why);
		return false;
	}
}

/*
 * Split irqchip: the PIC is kvmrun's, the LAPICs KVM's.  The PIC's INTR
 * reaches vCPU 0 through LINT0 (ExtINT): inject the acknowledged vector
 * when the vCPU can take it, else ask KVM to exit when it can.
 */
static void inject_pic_interrupt(struct kvm_vcpu *v)
{
	struct kvm_run *run = v->run;

	bus_lock();
	if (pic_output() && run->ready_for_interrupt_injection) {
		struct kvm_interrupt irq = { .irq = pic_read_irq() };

		if (ioctl(v->fd, KVM_INTERRUPT, &irq) < 0)
			log_guest_error_once("vcpu 0: KVM_INTERRUPT: %s",
					     strerror(errno));
	}
	run->request_interrupt_window = pic_output();
	bus_unlock();
}

/* Before KVM_RUN; false when the vCPU must stop instead. */
static bool vcpu_prepare_entry(struct kvm_vcpu *v)
{
	if (!v->pic_to_lint0)
		return true;
	/*
	 * A kick for a new PIC interrupt sets immediate_exit; clear it before
	 * looking at the PIC, and look at stopping after clearing, so neither
	 * a kick nor a stop can be lost between the two.
	 */
	__atomic_store_n(&v->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
	if (atomic_load(&v->kvm->stopping))
		return false;
	inject_pic_interrupt(v);
	return true;
}

void kvm_vcpu_kick(struct kvm_vcpu *v)
{
	if (!v->thread_started)
		return;
	__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	pthread_kill(v->thread, SIG_VCPU_KICK);
}

static void *vcpu_thread(void *arg)
{
	struct kvm_vcpu *v = arg;
	char name[16];
	sigset_t set;

	snprintf(name, sizeof(name), "vcpu %u", v->index);
	pthread_setname_np(pthread_self(), name);
	sigemptyset(&set);
	sigaddset(&set, SIG_VCPU_KICK);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	/*
	 * After a debug-exit, power-off or reset request the guest must not
	 * run on: QEMU's isa-debug-exit ends the process on the spot.
	 */
	while (!atomic_load(&v->kvm->stopping) &&
	       atomic_load(&v->vm->request) == VM_REQ_NONE) {
		if (!vcpu_prepare_entry(v))
			break;
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			log_error("vcpu %u: KVM_RUN: %s", v->index, strerror(errno));
			vm_request_exit(v->vm, KVMRUN_EXIT_GUEST_FATAL);
			break;
		}
		if (!handle_exit(v))
			break;
	}
	return NULL;
}

int kvm_vcpus_start(struct vm *vm, struct kvm_state *kvm)
{
	sigset_t set, old;
	int ret;

	ret = install_kick_handler();
	if (ret)
		return ret;
	kvm->vcpus = calloc(vm->ncpus, sizeof(*kvm->vcpus));
	if (!kvm->vcpus)
		return -ENOMEM;
	atomic_store(&kvm->stopping, false);
	for (kvm->nr_vcpus = 0; kvm->nr_vcpus < vm->ncpus; kvm->nr_vcpus++) {
		struct kvm_vcpu *v = &kvm->vcpus[kvm->nr_vcpus];

		*v = (struct kvm_vcpu){ .vm = vm, .kvm = kvm,
					.index = kvm->nr_vcpus, .fd = -1 };
		v->pic_to_lint0 = v->index == 0 && kvm->split_irqchip &&
				  pic_present();
		ret = vcpu_create(v);
		if (ret) {
			kvm->nr_vcpus++;
			return ret;
		}
	}
	/* Threads start with the kick signal blocked; they unblock it. */
	sigemptyset(&set);
	sigaddset(&set, SIG_VCPU_KICK);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	for (unsigned int i = 0; i < kvm->nr_vcpus; i++) {
		struct kvm_vcpu *v = &kvm->vcpus[i];

		ret = -pthread_create(&v->thread, NULL, vcpu_thread, v);
		if (ret) {
			log_error("vcpu %u: pthread_create: %s", i, strerror(-ret));
			break;
		}
		v->thread_started = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

void kvm_vcpus_stop(struct kvm_state *kvm)
{
	atomic_store(&kvm->stopping, true);
	for (unsigned int i = 0; i < kvm->nr_vcpus; i++) {
		struct kvm_vcpu *v = &kvm->vcpus[i];

		kvm_vcpu_kick(v);
	}
	for (unsigned int i = 0; i < kvm->nr_vcpus; i++) {
		struct kvm_vcpu *v = &kvm->vcpus[i];

		if (!v->thread_started)
			continue;
		pthread_join(v->thread, NULL);
		v->thread_started = false;
	}
}

void kvm_vcpus_destroy(struct kvm_state *kvm)
{
	kvm_vcpus_stop(kvm);
	for (unsigned int i = 0; i < kvm->nr_vcpus; i++) {
		struct kvm_vcpu *v = &kvm->vcpus[i];

		if (v->run)
			munmap(v->run, kvm->run_size);
		if (v->fd >= 0)
			close(v->fd);
	}
	free(kvm->vcpus);
	kvm->vcpus = NULL;
	kvm->nr_vcpus = 0;
}
