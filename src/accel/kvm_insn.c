// SPDX-License-Identifier: MIT
/*
 * Completing instructions the host's KVM cannot emulate: sync the vCPU into
 * a struct x86_cpu_state, run one instruction through the interpreter
 * (x86/insn/), write the state back and inject any exception.
 */
#include <errno.h>

#include "accel/kvm_internal.h"

int kvm_complete_insn(struct kvm_vcpu *v)
{
	/* Filled in once x86/insn/ lands. */
	return -ENOTSUP;
}
