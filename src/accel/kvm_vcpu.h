/* SPDX-License-Identifier: MIT */
/* KVM vCPUs: creation, the KVM_RUN loop on one thread each, and stopping. */
#ifndef KVMRUN_ACCEL_KVM_VCPU_H
#define KVMRUN_ACCEL_KVM_VCPU_H

struct vm;
struct kvm_state;

int kvm_vcpus_start(struct vm *vm, struct kvm_state *kvm);
void kvm_vcpus_stop(struct kvm_state *kvm);
void kvm_vcpus_destroy(struct kvm_state *kvm);

#endif
