/* SPDX-License-Identifier: MIT */
/*
 * ACPI: the tables kvmrun builds for the guest (RSDP, RSDT, XSDT, FADT,
 * FACS, DSDT, MADT) and the fixed-hardware registers they describe (the
 * PM1a event/control blocks and PM timer in hw/acpi_pm.c, the reset
 * register in hw/reset.c).  The constants here are the one place where the
 * tables and the device models agree.
 *
 * The builders are pure functions over a byte buffer so unit tests can
 * check them without a VM.  Each returns the bytes written, or -ENOSPC when
 * the buffer is too small.
 */
#ifndef KVMRUN_X86_ACPI_H
#define KVMRUN_X86_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct device_ops;
struct vm;

/* Fixed hardware: the PM I/O block at QEMU q35's (ICH9) base. */
#define ACPI_PM_BASE		0x600
#define ACPI_PM1_EVT_BLK	(ACPI_PM_BASE + 0x0)
#define ACPI_PM1_EVT_LEN	4	/* PM1_STS, PM1_EN: 16 bits each */
#define ACPI_PM1_CNT_BLK	(ACPI_PM_BASE + 0x4)
#define ACPI_PM1_CNT_LEN	2
#define ACPI_PM_TMR_BLK		(ACPI_PM_BASE + 0x8)
#define ACPI_PM_TMR_LEN		4	/* 32-bit counter (TMR_VAL_EXT) */
#define ACPI_PM_TMR_HZ		3579545ULL
#define ACPI_SCI_IRQ		9	/* ISA IRQ 9 = GSI 9, level, active high */

/* PM1_STS / PM1_EN bits. */
#define ACPI_PM1_TMR		(1u << 0)
#define ACPI_PM1_BM_STS		(1u << 4)
#define ACPI_PM1_GBL		(1u << 5)
#define ACPI_PM1_PWRBTN		(1u << 8)
#define ACPI_PM1_SLPBTN		(1u << 9)
#define ACPI_PM1_RTC		(1u << 10)
#define ACPI_PM1_WAK_STS	(1u << 15)

/* PM1_CNT bits. */
#define ACPI_PM1_CNT_SCI_EN	(1u << 0)
#define ACPI_PM1_CNT_BM_RLD	(1u << 1)
#define ACPI_PM1_CNT_GBL_RLS	(1u << 2)
#define ACPI_PM1_CNT_SLP_TYP_SHIFT 10
#define ACPI_PM1_CNT_SLP_TYP	(7u << ACPI_PM1_CNT_SLP_TYP_SHIFT)
#define ACPI_PM1_CNT_SLP_EN	(1u << 13)

/* The SLP_TYP values the DSDT's \_S3_ and \_S5_ name, as on QEMU's pc. */
#define ACPI_SLP_TYP_S3		1
#define ACPI_SLP_TYP_S5		0

/* The FADT's RESET_REG: PIIX/ICH reset control register. */
#define ACPI_RESET_PORT		0xCF9
#define ACPI_RESET_VALUE	0x06
#define RCR_SYS_RST		(1u << 1)	/* reset kind: full system */
#define RCR_RST_CPU		(1u << 2)	/* 1 = do the reset now */

/* Table layout inside the ACPI area of guest RAM. */
#define ACPI_RSDP_LEN		36
#define ACPI_HEADER_LEN		36
#define ACPI_FADT_LEN		276	/* revision 6 */
#define ACPI_FACS_LEN		64
#define ACPI_FACS_WAKING_VECTOR	12	/* real-mode resume address */
#define ACPI_MADT_LAPIC_LEN	8
#define ACPI_MADT_IOAPIC_LEN	12
#define ACPI_MADT_ISO_LEN	10
#define ACPI_MADT_LAPIC_NMI_LEN	6

/* FADT offsets and flags a reader (or test) looks at. */
#define FADT_FIRMWARE_CTRL	36
#define FADT_DSDT		40
#define FADT_SCI_INT		46
#define FADT_SMI_CMD		48
#define FADT_PM1A_EVT_BLK	56
#define FADT_PM1A_CNT_BLK	64
#define FADT_PM_TMR_BLK		76
#define FADT_PM1_EVT_LEN	88
#define FADT_PM1_CNT_LEN	89
#define FADT_PM_TMR_LEN		91
#define FADT_IAPC_BOOT_ARCH	109
#define FADT_FLAGS		112
#define FADT_RESET_REG		116
#define FADT_RESET_VALUE	128
#define FADT_MINOR_VERSION	131
#define FADT_X_FIRMWARE_CTRL	132
#define FADT_X_DSDT		140
#define FADT_X_PM1A_EVT_BLK	148
#define FADT_X_PM1A_CNT_BLK	172
#define FADT_X_PM_TMR_BLK	208

#define FADT_F_WBINVD		(1u << 0)
#define FADT_F_PROC_C1		(1u << 2)
#define FADT_F_PWR_BUTTON	(1u << 4)	/* set = no fixed power button */
#define FADT_F_SLP_BUTTON	(1u << 5)	/* set = no fixed sleep button */
#define FADT_F_RTC_S4		(1u << 7)
#define FADT_F_TMR_VAL_EXT	(1u << 8)
#define FADT_F_RESET_REG_SUP	(1u << 10)
#define FADT_F_USE_PLATFORM_CLOCK (1u << 15)
#define FADT_F_FORCE_APIC_PHYS_DEST (1u << 19)
#define FADT_F_HW_REDUCED_ACPI	(1u << 20)

#define FADT_BOOT_LEGACY_DEVICES (1u << 0)
#define FADT_BOOT_8042		(1u << 1)
#define FADT_BOOT_NO_VGA	(1u << 2)

/* MADT entry types and flags. */
#define MADT_TYPE_LAPIC		0
#define MADT_TYPE_IOAPIC	1
#define MADT_TYPE_ISO		2
#define MADT_TYPE_LAPIC_NMI	4
#define MADT_PCAT_COMPAT	(1u << 0)
#define MADT_LAPIC_ENABLED	(1u << 0)
#define MADT_ISO_LEVEL_HIGH	0x000d	/* active high, level triggered */

/* Sum of len bytes, as ACPI checksums count it; 0 for a valid table. */
uint8_t acpi_checksum(const void *buf, size_t len);

/*
 * Table builders.  Addresses are guest-physical.  Each writes one whole
 * table with its checksum set.
 */
int acpi_build_rsdp(uint8_t *buf, size_t len, uint32_t rsdt, uint64_t xsdt);
int acpi_build_rsdt(uint8_t *buf, size_t len, const uint64_t *tables,
		    unsigned int n);
int acpi_build_xsdt(uint8_t *buf, size_t len, const uint64_t *tables,
		    unsigned int n);
int acpi_build_fadt(uint8_t *buf, size_t len, uint64_t facs, uint64_t dsdt,
		    unsigned int ncpus);
int acpi_build_facs(uint8_t *buf, size_t len);

/* What the tables describe: the machine as the devices realized it. */
struct acpi_machine {
	unsigned int ncpus;	/* 1..255: APIC IDs and processor UIDs 0..n-1 */
	bool com1;		/* a 16550 at 0x3F8, IRQ 4 */
	bool fw_cfg;		/* QEMU's fw_cfg at 0x510-0x51B */
	bool rtc;		/* the CMOS RTC at 0x70, IRQ 8 */
	bool i8042;		/* the keyboard controller at 0x60/0x64 */
	/*
	 * ISA IRQs (besides the SCI's 9) that are PCI INTx lines: level
	 * triggered, active high, each with its MADT override as on QEMU's pc.
	 * Not 0 means a PCI host: PCI0 gets a _PRT too.
	 */
	uint16_t pci_irqs;
};

int acpi_build_dsdt(uint8_t *buf, size_t len, const struct acpi_machine *m);
int acpi_build_madt(uint8_t *buf, size_t len, const struct acpi_machine *m);


/* Where acpi_build_tables() put each table (guest-physical). */
struct acpi_layout {
	uint64_t rsdp, rsdt, xsdt, fadt, facs, dsdt, madt;
	size_t size;		/* bytes used from the start of buf */
};

/*
 * All tables into buf, which the guest sees at base (16-byte aligned): the
 * RSDP first, at base, so the legacy scan of 0xE0000-0xFFFFF finds it.
 * Returns the bytes used or -ENOSPC / -EINVAL; fills *out when not NULL.
 */
int acpi_build_tables(uint8_t *buf, size_t len, uint64_t base,
		      const struct acpi_machine *m, struct acpi_layout *out);

/*
 * The fixed power button: sets PWRBTN_STS and raises the SCI if the guest
 * enabled it (QEMU's system_powerdown).  Caller holds the bus lock.
 */
void acpi_pm_power_button(struct vm *vm);

/* The devices, for tests that realize them on a hand-made struct vm. */
extern const struct device_ops acpi_tables_device;
extern const struct device_ops acpi_pm_device;
extern const struct device_ops reset_control_device;

#endif
