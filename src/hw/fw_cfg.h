/* SPDX-License-Identifier: MIT */
/*
 * QEMU's firmware configuration device (docs/specs/fw_cfg.rst): a selector
 * at port 0x510, a byte-wide data port at 0x511 and the DMA address
 * register at 0x514.  Firmware and guests find the machine's facts here
 * (RAM size, CPU count) and named blobs ("files") other devices add.
 */
#ifndef KVMRUN_HW_FW_CFG_H
#define KVMRUN_HW_FW_CFG_H

#include <stdint.h>

struct device_ops;

#define FW_CFG_PORT_SEL		0x510
#define FW_CFG_PORT_DATA	0x511
#define FW_CFG_PORT_DMA		0x514

/* Selector keys. */
#define FW_CFG_SIGNATURE	0x0000
#define FW_CFG_ID		0x0001
#define FW_CFG_RAM_SIZE		0x0003
#define FW_CFG_NOGRAPHIC	0x0004
#define FW_CFG_NB_CPUS		0x0005
#define FW_CFG_MAX_CPUS		0x000f
#define FW_CFG_CMDLINE_SIZE	0x0014
#define FW_CFG_CMDLINE_DATA	0x0015
#define FW_CFG_FILE_DIR		0x0019
#define FW_CFG_FILE_FIRST	0x0020
#define FW_CFG_WRITE_CHANNEL	0x4000
#define FW_CFG_ARCH_LOCAL	0x8000
#define FW_CFG_IRQ0_OVERRIDE	(FW_CFG_ARCH_LOCAL + 2)

#define FW_CFG_ID_TRADITIONAL	(1u << 0)
#define FW_CFG_ID_DMA		(1u << 1)

/* FWCfgDmaAccess.control bits (the structure is big-endian in guest RAM). */
#define FW_CFG_DMA_CTL_ERROR	(1u << 0)
#define FW_CFG_DMA_CTL_READ	(1u << 1)
#define FW_CFG_DMA_CTL_SKIP	(1u << 2)
#define FW_CFG_DMA_CTL_SELECT	(1u << 3)
#define FW_CFG_DMA_CTL_WRITE	(1u << 4)
#define FW_CFG_DMA_SIGNATURE	0x51454d5520434647ULL	/* "QEMU CFG" */

#define FW_CFG_MAX_FILES	64
#define FW_CFG_FILE_NAME_LEN	56	/* with the NUL */

/*
 * Add a read-only file item (the data is copied).  May be called before
 * or after the device is realized, until the guest runs; the file lives
 * until the device is torn down.  Returns 0, -EINVAL (empty name or one
 * longer than 55 bytes), -EEXIST, -ENOSPC or -ENOMEM.
 */
int fw_cfg_add_file(const char *name, const void *data, uint32_t len);

/* The device, for tests that realize it on a hand-made struct vm. */
extern const struct device_ops fw_cfg_device;

#endif
