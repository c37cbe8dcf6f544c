/* SPDX-License-Identifier: MIT */
/*
 * The i8042 keyboard controller's ports and interrupt lines, where the
 * device (i8042.c) and the DSDT that describes it (x86/acpi.c) agree.
 */
#ifndef KVMRUN_HW_I8042_H
#define KVMRUN_HW_I8042_H

#define I8042_DATA_PORT 0x60
#define I8042_CMD_PORT 0x64
#define I8042_KBD_IRQ 1
#define I8042_AUX_IRQ 12

#endif
