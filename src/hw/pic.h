/* SPDX-License-Identifier: MIT */
/*
 * The PC's pair of 8259A interrupt controllers (master at 0x20, slave at
 * 0xA0 cascaded on master IRQ 2, edge/level control at 0x4D0/0x4D1), modelled
 * in user space for accelerators without an in-kernel irqchip.
 *
 * Under kvm with kernel-irqchip=split the PIC's INTR output reaches vCPU 0's
 * LINT0 (ExtINT): accel/kvm injects the vector with KVM_INTERRUPT when the
 * vCPU can take it.  Under qtest the output is observable with
 * "irq_intercept_out pic".
 *
 * All calls need the bus lock.
 */
#ifndef KVMRUN_HW_PIC_H
#define KVMRUN_HW_PIC_H

#include <stdbool.h>

#define PIC_NUM_IRQS 16

/* Whether the PIC was realized for this VM. */
bool pic_present(void);
/* Drive ISA input irq (0..15); the cascade input (2) is not a device line. */
void pic_set_irq(unsigned int irq, int level);
/* The INTR output to the CPU. */
bool pic_output(void);
/*
 * The CPU's interrupt acknowledge cycle: the vector to deliver (the spurious
 * IRQ 7 vector when nothing is pending); for a software CPU.
 */
int pic_read_irq(void);
/* Called on every change of INTR (NULL to stop); survives until teardown. */
void pic_set_output_hook(void (*fn)(void *opaque, int level), void *opaque);

#endif
