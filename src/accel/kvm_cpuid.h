/* SPDX-License-Identifier: MIT */
#ifndef KVMRUN_ACCEL_KVM_CPUID_H
#define KVMRUN_ACCEL_KVM_CPUID_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

/* Adjust CPUID entries in place for one vCPU (pure: unit-tested). */
void cpuid_fixup(struct kvm_cpuid2 *c, unsigned int apic_id, unsigned int ncpus);
/* A fixed-up copy of supported for one vCPU; free() it. */
struct kvm_cpuid2 *cpuid_for_vcpu(const struct kvm_cpuid2 *supported,
				  unsigned int apic_id, unsigned int ncpus);

struct cpu_config;

/*
 * Shape c, which holds KVM's supported CPUID on entry, into the CPUID the
 * -cpu model and the user's changes describe (topology and APIC IDs are set
 * per vCPU by cpuid_fixup).  ram_top is the end of guest-physical memory,
 * checked against the address bits.  Warnings are left out when quiet (a
 * rebuild after a guest reset).  0, or -EINVAL after one clear line.
 * kvm_cpu_model.c.
 */
int cpu_model_apply(struct kvm_cpuid2 *c, const struct cpu_config *cc,
		    uint64_t ram_top, bool quiet);

#endif
