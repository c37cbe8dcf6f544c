// SPDX-License-Identifier: MIT
/*
 * The KVM accelerator: /dev/kvm set-up, memory slots, the in-kernel irqchip
 * and PIT, and the vCPUs.  Everything here is a thin, checked wrapper; the
 * machine never sees an ioctl.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "accel/accel.h"
#include "accel/kvm_cpuid.h"
#include "accel/kvm_internal.h"
#include "accel/kvm_vcpu.h"
#include "hw/ioapic.h"
#include "hw/pic.h"
#include "util/log.h"
#include "vm.h"

#define KVM_TSS_ADDR 0xfffbd000UL
#define KVM_IDENTITY_MAP_ADDR 0xfffbc000ULL
#define IOAPIC_PINS 24

struct required_cap {
	int cap;
	const char *name;
};

/* What kvmrun relies on; a host without one of these cannot run it. */
static const struct required_cap required_caps[] = {
	{ KVM_CAP_USER_MEMORY, "USER_MEMORY" },
	{ KVM_CAP_SET_TSS_ADDR, "SET_TSS_ADDR" },
	{ KVM_CAP_SET_IDENTITY_MAP_ADDR, "SET_IDENTITY_MAP_ADDR" },
	{ KVM_CAP_EXT_CPUID, "EXT_CPUID" },
	{ KVM_CAP_IRQCHIP, "IRQCHIP" },
	{ KVM_CAP_PIT2, "PIT2" },
	{ KVM_CAP_IRQ_ROUTING, "IRQ_ROUTING" },
	{ KVM_CAP_SIGNAL_MSI, "SIGNAL_MSI" },
	{ KVM_CAP_IMMEDIATE_EXIT, "IMMEDIATE_EXIT" },
	{ KVM_CAP_MP_STATE, "MP_STATE" },
	{ KVM_CAP_VCPU_EVENTS, "VCPU_EVENTS" },
	{ KVM_CAP_XSAVE, "XSAVE" },
	{ KVM_CAP_XCRS, "XCRS" },
	{ KVM_CAP_NR_MEMSLOTS, "NR_MEMSLOTS" },
};

static struct kvm_state *kvm_of(const struct vm *vm)
{
	return vm->accel_priv;
}

static bool kvm_has_irqchip(const struct vm *vm)
{
	return vm->cfg->irqchip == IRQCHIP_KERNEL;
}

static int open_dev_kvm(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	switch (errno) {
	case ENOENT:
		log_error("/dev/kvm: no such device — load the kvm module "
			  "(modprobe kvm_intel or kvm_amd) or enable virtualization "
			  "in the firmware; -accel qtest needs no KVM");
		break;
	case EACCES:
	case EPERM:
		log_error("/dev/kvm: permission denied — add your user to the "
			  "kvm group, or whichever group owns /dev/kvm (usermod "
			  "-aG kvm $USER), and log in again; or run as root");
		break;
	default:
		log_error("/dev/kvm: %s", strerror(errno));
	}
	return -1;
}

static int check_kvm_api(int sys_fd)
{
	int version = ioctl(sys_fd, KVM_GET_API_VERSION, 0);

	if (version < 0) {
		log_error("/dev/kvm: not a KVM device (KVM_GET_API_VERSION: %s)",
			  strerror(errno));
		return -ENODEV;
	}
	if (version != KVM_API_VERSION) {
		log_error("/dev/kvm: API version %d, kvmrun needs %d — the host "
			  "kernel's KVM is too old or too new", version,
			  KVM_API_VERSION);
		return -ENOTSUP;
	}
	for (size_t i = 0; i < sizeof(required_caps) / sizeof(*required_caps); i++) {
		if (ioctl(sys_fd, KVM_CHECK_EXTENSION, required_caps[i].cap) <= 0) {
			log_error("/dev/kvm: the host's KVM lacks KVM_CAP_%s, "
				  "which kvmrun needs — use a newer host kernel",
				  required_caps[i].name);
			return -ENOTSUP;
		}
	}
	return 0;
}

static struct kvm_cpuid2 *get_supported_cpuid(int sys_fd)
{
	for (unsigned int n = 128; n <= 4096; n *= 2) {
		struct kvm_cpuid2 *c;

		c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));
		if (!c)
			return NULL;
		c->nent = n;
		if (ioctl(sys_fd, KVM_GET_SUPPORTED_CPUID, c) == 0)
			return c;
		free(c);
		if (errno != E2BIG)
			return NULL;
	}
	return NULL;
}

/*
 * Bits KVM_GET_SUPPORTED_CPUID leaves out although KVM provides them, as
 * QEMU adds them: the hypervisor bit, and the TSC-deadline timer of KVM's
 * local APIC (always in the kernel here).
 */
static void add_kvm_provided_cpuid(int sys_fd, struct kvm_cpuid2 *supported)
{
	for (unsigned int i = 0; i < supported->nent; i++) {
		struct kvm_cpuid_entry2 *e = &supported->entries[i];

		if (e->function != 1)
			continue;
		e->ecx |= 1U << 31;
		if (ioctl(sys_fd, KVM_CHECK_EXTENSION,
			  KVM_CAP_TSC_DEADLINE_TIMER) > 0)
			e->ecx |= 1U << 24;
	}
}

/* A guest reset rebuilds the VM: say what -cpu left out only once. */
static bool cpu_model_reported;

static uint64_t ram_top(const struct guest_mem *mem)
{
	const struct mem_region *r = &mem->regions[mem->nr_regions - 1];

	return r->gpa + r->size;
}

/*
 * KVM emulates some instructions the CPU may lack (MOVBE, RDPID) and lists
 * them apart; without their CPUID bits KVM's own emulator raises #UD for
 * them, even where the guest's CPUID (the host's, on kvm_pvm) shows them.
 */
static void merge_emulated_cpuid(int sys_fd, struct kvm_cpuid2 *supported)
{
	struct kvm_cpuid2 *emu;
	unsigned int n = 64;

	if (ioctl(sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_EXT_EMUL_CPUID) <= 0)
		return;
	emu = calloc(1, sizeof(*emu) + n * sizeof(emu->entries[0]));
	if (!emu)
		return;
	emu->nent = n;
	if (ioctl(sys_fd, KVM_GET_EMULATED_CPUID, emu) < 0)
		goto out;
	for (unsigned int i = 0; i < emu->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &emu->entries[i];

		for (unsigned int j = 0; j < supported->nent; j++) {
			struct kvm_cpuid_entry2 *s = &supported->entries[j];

			if (s->function != e->function || s->index != e->index)
				continue;
			/* Leaf 0 and the like carry values, not feature bits. */
			if (e->function != 1 && e->function != 7)
				continue;
			s->eax |= e->eax;
			s->ebx |= e->ebx;
			s->ecx |= e->ecx;
			s->edx |= e->edx;
		}
	}
out:
	free(emu);
}

/* kvm_pvm runs guest kernel code in its instruction emulator: say so once. */
static bool host_kvm_is_pvm(void)
{
	return access("/sys/module/kvm_pvm", F_OK) == 0;
}

static void add_route(struct kvm_irq_routing *r, unsigned int gsi,
		      unsigned int chip, unsigned int pin)
{
	r->entries[r->nr++] = (struct kvm_irq_routing_entry){
		.gsi = gsi,
		.type = KVM_IRQ_ROUTING_IRQCHIP,
		.u.irqchip = { .irqchip = chip, .pin = pin },
	};
}

/*
 * The PC's wiring, as the MADT describes it: ISA IRQ n reaches PIC input n
 * and IOAPIC pin n, except IRQ 0 (the PIT), which reaches IOAPIC pin 2 —
 * the interrupt source override.  KVM's default table sends GSI 0 to pin 0,
 * where a guest following the MADT never looks for the timer.
 */
static int set_pc_irq_routing(struct kvm_state *kvm)
{
	struct {
		struct kvm_irq_routing hdr;
		struct kvm_irq_routing_entry e[16 + IOAPIC_PINS];
	} r = { 0 };

	for (unsigned int irq = 0; irq < 16; irq++) {
		if (irq == 2)
			continue;	/* the cascade */
		add_route(&r.hdr, irq, irq < 8 ? KVM_IRQCHIP_PIC_MASTER :
			  KVM_IRQCHIP_PIC_SLAVE, irq & 7);
	}
	for (unsigned int gsi = 0; gsi < IOAPIC_PINS; gsi++) {
		if (gsi == 2)
			continue;
		add_route(&r.hdr, gsi, KVM_IRQCHIP_IOAPIC, gsi == 0 ? 2 : gsi);
	}
	if (ioctl(kvm->vm_fd, KVM_SET_GSI_ROUTING, &r) < 0) {
		log_error("KVM_SET_GSI_ROUTING: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* The MADT gives the IOAPIC the first ID after the CPUs'; KVM starts at 0. */
static int set_ioapic_id(struct kvm_state *kvm, unsigned int id)
{
	struct kvm_irqchip chip = { .chip_id = KVM_IRQCHIP_IOAPIC };

	if (ioctl(kvm->vm_fd, KVM_GET_IRQCHIP, &chip) < 0)
		goto err;
	chip.chip.ioapic.id = id;
	if (ioctl(kvm->vm_fd, KVM_SET_IRQCHIP, &chip) < 0)
		goto err;
	return 0;
err:
	log_error("KVM_SET_IRQCHIP (IOAPIC ID): %s", strerror(errno));
	return -errno;
}

static int create_irqchip(struct kvm_state *kvm, const struct vm *vm)
{
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
	int ret;
	struct kvm_enable_cap split = {
		.cap = KVM_CAP_SPLIT_IRQCHIP,
		.args = { IOAPIC_PINS },
	};

	if (vm->cfg->irqchip == IRQCHIP_SPLIT) {
		if (ioctl(kvm->vm_fd, KVM_ENABLE_CAP, &split) < 0) {
			log_error("kernel-irqchip=split: KVM_CAP_SPLIT_IRQCHIP: %s",
				  strerror(errno));
			return -errno;
		}
		kvm->split_irqchip = true;
		return 0;
	}
	if (ioctl(kvm->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0) {
		log_error("KVM_CREATE_IRQCHIP: %s", strerror(errno));
		return -errno;
	}
	if (vm->accel_pit && ioctl(kvm->vm_fd, KVM_CREATE_PIT2, &pit) < 0) {
		log_error("KVM_CREATE_PIT2: %s", strerror(errno));
		return -errno;
	}
	if (vm->accel_pit && vm->cfg->pit_discard_lost_ticks) {
		struct kvm_reinject_control rc = { .pit_reinject = 0 };

		if (ioctl(kvm->vm_fd, KVM_REINJECT_CONTROL, &rc) < 0) {
			log_error("-global kvm-pit.lost_tick_policy=discard: "
				  "KVM_REINJECT_CONTROL: %s", strerror(errno));
			return -errno;
		}
	}
	ret = set_ioapic_id(kvm, vm->ncpus);
	if (ret)
		return ret;
	return set_pc_irq_routing(kvm);
}

/*
 * -overcommit cpu-pm=on: HLT, PAUSE and MWAIT stay in the guest, as QEMU
 * does for vCPUs that own their host CPU.  Must precede KVM_CREATE_VCPU.
 */
static int disable_idle_exits(struct kvm_state *kvm)
{
	int caps = ioctl(kvm->vm_fd, KVM_CHECK_EXTENSION,
			 KVM_CAP_X86_DISABLE_EXITS);
	struct kvm_enable_cap cap = { .cap = KVM_CAP_X86_DISABLE_EXITS };

	if (caps <= 0 || !(caps & KVM_X86_DISABLE_EXITS_HLT)) {
		log_error("-overcommit cpu-pm=on: the host's KVM cannot leave "
			  "HLT to the guest (KVM_CAP_X86_DISABLE_EXITS) — drop "
			  "cpu-pm=on");
		return -ENOTSUP;
	}
	cap.args[0] = caps & (KVM_X86_DISABLE_EXITS_HLT |
			      KVM_X86_DISABLE_EXITS_PAUSE |
			      KVM_X86_DISABLE_EXITS_MWAIT |
			      KVM_X86_DISABLE_EXITS_CSTATE);
	if (ioctl(kvm->vm_fd, KVM_ENABLE_CAP, &cap) < 0) {
		log_error("-overcommit cpu-pm=on: KVM_CAP_X86_DISABLE_EXITS: %s",
			  strerror(errno));
		return -errno;
	}
	return 0;
}

static int map_guest_ram(struct kvm_state *kvm, const struct guest_mem *mem)
{
	for (unsigned int i = 0; i < mem->nr_regions; i++) {
		const struct mem_region *r = &mem->regions[i];
		struct kvm_userspace_memory_region slot = {
			.slot = i,
			.guest_phys_addr = r->gpa,
			.memory_size = r->size,
			.userspace_addr = (uintptr_t)r->hva,
		};

		if (ioctl(kvm->vm_fd, KVM_SET_USER_MEMORY_REGION, &slot) < 0) {
			log_error("KVM_SET_USER_MEMORY_REGION (%llu MiB at 0x%llx): %s",
				  (unsigned long long)(r->size >> 20),
				  (unsigned long long)r->gpa, strerror(errno));
			return -errno;
		}
	}
	return 0;
}

static int create_vm_fd(struct kvm_state *kvm)
{
	do {
		kvm->vm_fd = ioctl(kvm->sys_fd, KVM_CREATE_VM, 0);
	} while (kvm->vm_fd < 0 && errno == EINTR);
	if (kvm->vm_fd < 0) {
		log_error("KVM_CREATE_VM: %s", strerror(errno));
		return -errno;
	}
	if (ioctl(kvm->vm_fd, KVM_SET_TSS_ADDR, KVM_TSS_ADDR) < 0) {
		log_error("KVM_SET_TSS_ADDR: %s", strerror(errno));
		return -errno;
	}
	uint64_t idmap = KVM_IDENTITY_MAP_ADDR;

	if (ioctl(kvm->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &idmap) < 0) {
		log_error("KVM_SET_IDENTITY_MAP_ADDR: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

static void kvm_destroy(struct vm *vm)
{
	struct kvm_state *kvm = kvm_of(vm);

	if (!kvm)
		return;
	kvm_vcpus_destroy(kvm);
	if (kvm->vm_fd >= 0)
		close(kvm->vm_fd);
	if (kvm->sys_fd >= 0)
		close(kvm->sys_fd);
	free(kvm->cpuid);
	free(kvm);
	vm->accel_priv = NULL;
}

static int kvm_init(struct vm *vm)
{
	struct kvm_state *kvm;
	int ret = -ENOMEM;

	kvm = calloc(1, sizeof(*kvm));
	if (!kvm) {
		log_error("out of memory");
		return -ENOMEM;
	}
	kvm->vm_fd = -1;
	vm->accel_priv = kvm;
	kvm->sys_fd = open_dev_kvm();
	if (kvm->sys_fd < 0) {
		ret = -ENODEV;
		goto err;
	}
	ret = check_kvm_api(kvm->sys_fd);
	if (ret)
		goto err;
	kvm->run_size = ioctl(kvm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (kvm->run_size < 0) {
		log_error("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
		ret = -ENOTSUP;
		goto err;
	}
	if (kvm->run_size < (int)sizeof(struct kvm_run)) {
		log_error("KVM_GET_VCPU_MMAP_SIZE: %d bytes, smaller than struct "
			  "kvm_run (%zu) — the host's KVM does not match kvmrun's "
			  "headers", kvm->run_size, sizeof(struct kvm_run));
		ret = -ENOTSUP;
		goto err;
	}
	kvm->cpuid = get_supported_cpuid(kvm->sys_fd);
	if (!kvm->cpuid) {
		log_error("KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
		ret = -ENOTSUP;
		goto err;
	}
	merge_emulated_cpuid(kvm->sys_fd, kvm->cpuid);
	add_kvm_provided_cpuid(kvm->sys_fd, kvm->cpuid);
	ret = cpu_model_apply(kvm->cpuid, &vm->cfg->cpu, ram_top(vm->mem),
			      cpu_model_reported);
	if (ret)
		goto err;
	cpu_model_reported = true;
	kvm->host_is_pvm = host_kvm_is_pvm();
	ret = create_vm_fd(kvm);
	if (ret)
		goto err;
	ret = create_irqchip(kvm, vm);
	if (ret)
		goto err;
	if (vm->cfg->cpu_pm) {
		ret = disable_idle_exits(kvm);
		if (ret)
			goto err;
	}
	ret = map_guest_ram(kvm, vm->mem);
	if (ret)
		goto err;
	return 0;
err:
	kvm_destroy(vm);
	return ret;
}

static void kvm_set_irq(struct vm *vm, unsigned int gsi, int level)
{
	struct kvm_irq_level irq = { .irq = gsi, .level = level };

	if (ioctl(kvm_of(vm)->vm_fd, KVM_IRQ_LINE, &irq) < 0)
		log_guest_error_once("KVM_IRQ_LINE %u: %s", gsi, strerror(errno));
}

static int kvm_send_msi(struct vm *vm, uint64_t addr, uint32_t data)
{
	struct kvm_msi msi = {
		.address_lo = (uint32_t)addr,
		.address_hi = (uint32_t)(addr >> 32),
		.data = data,
	};

	if (ioctl(kvm_of(vm)->vm_fd, KVM_SIGNAL_MSI, &msi) < 0)
		return -errno;
	return 0;
}

/*
 * Split irqchip: the IOAPIC is ours, the LAPICs KVM's.  KVM tells us of an
 * EOI (KVM_EXIT_IOAPIC_EOI) only for vectors that a level-triggered MSI
 * route on an IOAPIC pin names, so the redirection table is mirrored into
 * KVM's routing after every change; without it a level-triggered pin (SCI,
 * PCI INTx) would fire once and stay blocked on remote IRR.  Runs with the
 * bus lock held.
 */
static void mirror_ioapic_routes(void *opaque, unsigned int changed_pin)
{
	struct kvm_state *kvm = opaque;
	struct {
		struct kvm_irq_routing hdr;
		struct kvm_irq_routing_entry e[IOAPIC_PINS];
	} r = { 0 };

	for (unsigned int pin = 0; pin < IOAPIC_PINS; pin++) {
		uint64_t addr;
		uint32_t data;

		if (!ioapic_pin_route(pin, &addr, &data))
			continue;
		r.e[r.hdr.nr] = (struct kvm_irq_routing_entry){
			.gsi = pin,
			.type = KVM_IRQ_ROUTING_MSI,
			.u.msi = { .address_lo = (uint32_t)addr,
				   .address_hi = (uint32_t)(addr >> 32),
				   .data = data },
		};
		r.hdr.nr++;
	}
	if (ioctl(kvm->vm_fd, KVM_SET_GSI_ROUTING, &r) < 0)
		log_guest_error_once("KVM_SET_GSI_ROUTING: %s", strerror(errno));
}

/* The PIC raised INTR: vCPU 0 must look at it before it enters the guest. */
static void pic_output_changed(void *opaque, int level)
{
	struct kvm_state *kvm = opaque;

	if (level && kvm->nr_vcpus > 0)
		kvm_vcpu_kick(&kvm->vcpus[0]);
}

static int kvm_start(struct vm *vm)
{
	struct kvm_state *kvm = kvm_of(vm);
	int ret;
	static bool said_pvm;

	if (kvm->host_is_pvm && !said_pvm) {
		said_pvm = true;
		log_warn("this host's KVM is kvm_pvm, which emulates guest "
			 "kernel-mode code (about 1M instructions/s): kernel "
			 "boots take minutes here, user mode runs at full speed");
	}
	if (kvm->split_irqchip) {
		bus_lock();
		ioapic_set_route_notifier(mirror_ioapic_routes, kvm);
		mirror_ioapic_routes(kvm, 0);
		bus_unlock();
	}
	ret = kvm_vcpus_start(vm, kvm);
	if (ret || !kvm->split_irqchip || !pic_present())
		return ret;
	bus_lock();
	pic_set_output_hook(pic_output_changed, kvm);
	bus_unlock();
	return 0;
}

static void kvm_stop(struct vm *vm)
{
	struct kvm_state *kvm = kvm_of(vm);

	if (!kvm)
		return;
	if (kvm->split_irqchip) {
		bus_lock();
		if (pic_present())
			pic_set_output_hook(NULL, NULL);
		ioapic_set_route_notifier(NULL, NULL);
		bus_unlock();
	}
	kvm_vcpus_stop(kvm);
}

const struct accel_ops kvm_accel_ops = {
	.name = "kvm",
	.help = "Linux KVM: guest code runs on the host CPU (default)",
	.kind = ACCEL_KVM,
	.has_irqchip = kvm_has_irqchip,
	.init = kvm_init,
	.start = kvm_start,
	.stop = kvm_stop,
	.stop_cpus = kvm_stop,
	.destroy = kvm_destroy,
	.set_irq = kvm_set_irq,
	.send_msi = kvm_send_msi,
};
