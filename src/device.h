/* SPDX-License-Identifier: MIT */
/*
 * Devices register themselves: each device file defines a struct device_ops
 * and names it in DEVICE_REGISTER().  vm_create() realizes every registered
 * device in `order`; a device whose configuration is absent does nothing.
 * No device knows about another.
 */
#ifndef KVMRUN_DEVICE_H
#define KVMRUN_DEVICE_H

struct vm;

enum device_order {
	DEVICE_ORDER_IRQCHIP = 10,	/* user-space PIC/IOAPIC/PIT first */
	DEVICE_ORDER_PLATFORM = 20,	/* fw_cfg, ACPI PM, RTC, UART, ... */
	DEVICE_ORDER_PCI_HOST = 30,
	DEVICE_ORDER_PCI = 40,		/* PCI functions */
	DEVICE_ORDER_FIRMWARE = 90,	/* ACPI tables: after every device */
};

struct device_ops {
	const char *name;
	int order;
	/*
	 * Create the device if vm->cfg asks for it, register its bus ranges.
	 * Returns 0, or -errno after printing one line saying what is wrong.
	 */
	int (*realize)(struct vm *vm);
	/* Back to power-on state (optional). */
	void (*reset)(struct vm *vm);
	/* Free everything realize made; safe when realize did nothing. */
	void (*teardown)(struct vm *vm);
};

void device_register(const struct device_ops *ops);
/* Realize all in order; on failure tears down what was made. */
int devices_realize(struct vm *vm);
void devices_reset(struct vm *vm);
void devices_teardown(struct vm *vm);

#define DEVICE_REGISTER(ops)                                                 \
	static void __attribute__((constructor)) device_register_##ops(void) \
	{                                                                    \
		device_register(&(ops));                                     \
	}

#endif
