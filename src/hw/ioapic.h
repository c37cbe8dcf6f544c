/* SPDX-License-Identifier: MIT */
/*
 * An IOAPIC (version 0x20, 24 pins, MMIO at MEM_IOAPIC_BASE) modelled in
 * user space, and the PC's GSI router in front of it and the PIC.  Pins are
 * delivered as MSI-format messages through vm_send_msi():
 *   address 0xFEE00000 | dest << 12 | logical << 2
 *   data    vector | delivery mode << 8 | assert << 14 | level << 15
 *
 * All calls need the bus lock.
 */
#ifndef KVMRUN_HW_IOAPIC_H
#define KVMRUN_HW_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define IOAPIC_NUM_PINS 24

struct vm;

bool ioapic_present(void);
/*
 * Drive IOAPIC input n (0..23); like the PC, input 0 (the PIT's IRQ 0) is
 * wired to pin 2.
 */
void ioapic_set_irq(unsigned int n, int level);
/*
 * A local APIC EOI for vector: clears remote IRR of the level-triggered pins
 * using it and delivers again any whose line is still asserted.  For the kvm
 * accelerator's KVM_EXIT_IOAPIC_EOI under kernel-irqchip=split.
 */
void ioapic_eoi_broadcast(unsigned int vector);
/*
 * The message pin would send now (as above); false when the pin is masked.
 * With the route notifier (called after every redirection-table change) an
 * accelerator can mirror the table into its own routing (KVM MSI routes).
 */
bool ioapic_pin_route(unsigned int pin, uint64_t *addr, uint32_t *data);
void ioapic_set_route_notifier(void (*fn)(void *opaque, unsigned int pin),
			       void *opaque);

/* The GSI router: vm->irqchip.set_irq while the user-space irqchip is used. */
void pc_gsi_set_irq(void *opaque, unsigned int gsi, int level);

#endif
