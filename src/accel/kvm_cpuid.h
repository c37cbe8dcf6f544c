/* SPDX-License-Identifier: MIT */
#ifndef KVMRUN_ACCEL_KVM_CPUID_H
#define KVMRUN_ACCEL_KVM_CPUID_H

#include <linux/kvm.h>

/* Adjust CPUID entries in place for one vCPU (pure: unit-tested). */
void cpuid_fixup(struct kvm_cpuid2 *c, unsigned int apic_id, unsigned int ncpus);
/* A fixed-up copy of supported for one vCPU; free() it. */
struct kvm_cpuid2 *cpuid_for_vcpu(const struct kvm_cpuid2 *supported,
				  unsigned int apic_id, unsigned int ncpus);

#endif
