/* SPDX-License-Identifier: MIT */
/*
 * The 8254 programmable interval timer (ports 0x40-0x43) and the NMI
 * status/control port 0x61 (channel 2 gate, speaker enable, OUT2, refresh),
 * modelled in user space on the VM clock (util/timer.h).  Channel 0 drives
 * GSI 0 (PIC IRQ 0, IOAPIC pin 2).
 */
#ifndef KVMRUN_HW_PIT_H
#define KVMRUN_HW_PIT_H

#include <stdint.h>

#define PIT_FREQ 1193182u	/* Hz */
#define PIT_NUM_CHANNELS 3

#endif
