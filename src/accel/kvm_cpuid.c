// SPDX-License-Identifier: MIT
/*
 * CPUID as each vCPU should see it: KVM's supported list with this vCPU's
 * APIC ID and the VM's topology (one socket, ncpus cores, one thread each).
 */
#include "accel/kvm_cpuid.h"

#include <stdlib.h>
#include <string.h>

static unsigned int order_of(unsigned int n)
{
	unsigned int shift = 0;

	while ((1U << shift) < n)
		shift++;
	return shift;
}

static void fix_topology_leaf(struct kvm_cpuid_entry2 *e, unsigned int apic_id,
			      unsigned int ncpus)
{
	unsigned int shift = order_of(ncpus);

	switch (e->index) {
	case 0:		/* SMT level: one thread per core */
		e->eax = 0;
		e->ebx = 1;
		e->ecx = (1 << 8) | 0;
		break;
	case 1:		/* core level */
		e->eax = shift;
		e->ebx = ncpus;
		e->ecx = (2 << 8) | 1;
		break;
	default:
		e->eax = e->ebx = 0;
		e->ecx = e->index;
		break;
	}
	e->edx = apic_id;
}

void cpuid_fixup(struct kvm_cpuid2 *c, unsigned int apic_id, unsigned int ncpus)
{
	for (unsigned int i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		switch (e->function) {
		case 1:
			e->ebx &= 0x0000ffff;
			e->ebx |= apic_id << 24;
			e->ebx |= (ncpus > 1 ? (1U << order_of(ncpus)) : 1) << 16;
			if (ncpus > 1)
				e->edx |= 1U << 28;	/* HTT: EBX[23:16] valid */
			break;
		case 0xb:
		case 0x1f:
			fix_topology_leaf(e, apic_id, ncpus);
			break;
		case 4:
			/* Cores per package - 1 in EAX[31:26]; no sharing. */
			e->eax &= 0x03ffffff;
			e->eax |= (ncpus - 1) << 26;
			e->eax &= ~(0xfffU << 14);
			break;
		case 0x80000008:
			e->ecx = (order_of(ncpus) << 12) | (ncpus - 1);
			break;
		case 0x8000001e:
			e->eax = apic_id;
			e->ebx = apic_id & 0xff;
			e->ecx = 0;
			break;
		}
	}
}

struct kvm_cpuid2 *cpuid_for_vcpu(const struct kvm_cpuid2 *supported,
				  unsigned int apic_id, unsigned int ncpus)
{
	size_t size = sizeof(*supported) +
		      supported->nent * sizeof(supported->entries[0]);
	struct kvm_cpuid2 *c = malloc(size);

	if (!c)
		return NULL;
	memcpy(c, supported, size);
	cpuid_fixup(c, apic_id, ncpus);
	return c;
}
