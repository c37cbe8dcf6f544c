/* SPDX-License-Identifier: MIT */
/* Conversions between struct x86_cpu_state and KVM's register structures. */
#ifndef KVMRUN_ACCEL_KVM_REGS_H
#define KVMRUN_ACCEL_KVM_REGS_H

#include <linux/kvm.h>

#include "x86/cpu.h"

void kvm_regs_from_cpu(const struct x86_cpu_state *cpu, struct kvm_regs *regs,
		       struct kvm_sregs *sregs);
void kvm_regs_to_cpu(const struct kvm_regs *regs, const struct kvm_sregs *sregs,
		     struct x86_cpu_state *cpu);

#endif
