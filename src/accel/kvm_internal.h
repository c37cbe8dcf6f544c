/* SPDX-License-Identifier: MIT */
/* Shared between the KVM accelerator's files; nothing outside accel/ sees it. */
#ifndef KVMRUN_ACCEL_KVM_INTERNAL_H
#define KVMRUN_ACCEL_KVM_INTERNAL_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct vm;
struct kvm_state;

struct kvm_vcpu {
	struct vm *vm;
	struct kvm_state *kvm;
	unsigned int index;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	bool thread_started;
	bool pic_to_lint0;		/* split irqchip: vCPU 0 takes the PIC */
};

struct kvm_state {
	int sys_fd;
	int vm_fd;
	int run_size;
	bool split_irqchip;
	bool host_is_pvm;
	atomic_bool stopping;
	struct kvm_cpuid2 *cpuid;	/* KVM_GET_SUPPORTED_CPUID */
	unsigned int nr_vcpus;
	struct kvm_vcpu *vcpus;
};

/*
 * Complete the instruction at RIP that the host's KVM could not emulate
 * (KVM_EXIT_INTERNAL_ERROR, suberror EMULATION).  0 when done and the vCPU
 * may run on; -ENOTSUP when kvmrun cannot complete it either.
 */
int kvm_complete_insn(struct kvm_vcpu *v);
/* Make the vCPU leave KVM_RUN (or not enter it) and look again. */
void kvm_vcpu_kick(struct kvm_vcpu *v);
/* Print the vCPU's registers and the bytes at RIP, for a fatal exit. */
void kvm_dump_vcpu(struct kvm_vcpu *v, const char *why);
/* The guest-physical address of linear address la; -EFAULT if unmapped. */
int kvm_translate(struct kvm_vcpu *v, uint64_t la, uint64_t *gpa,
		  bool *writeable);
/* Read guest-virtual memory through KVM_TRANSLATE; -EFAULT if unmapped. */
int kvm_read_virt(struct kvm_vcpu *v, uint64_t la, void *buf, unsigned int len);

#endif
