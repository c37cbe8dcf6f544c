// SPDX-License-Identifier: MIT
/*
 * The ACPI table builders: checksums and lengths of every table, the MADT
 * for 1, 2, 4 and 255 CPUs, the FADT's fixed registers and flags, the
 * DSDT's \_S5_ bytes and AML structure, and the device writing them into
 * guest RAM.  With iasl installed, the DSDT must also survive a disassembly
 * and recompilation byte for byte.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "device.h"
#include "hw/pci.h"
#include "memory.h"
#include "unit.h"
#include "vm.h"
#include "x86/acpi.h"
#include "x86/layout.h"

#define BASE 0xE0000ULL
#define AREA (128 * 1024)

static uint8_t area[AREA];

static uint16_t le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | (uint32_t)le16(p + 2) << 16;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* The table at guest address gpa inside area, checked for sanity. */
static const uint8_t *table_at(uint64_t gpa, const char *sig)
{
	const uint8_t *t;
	uint32_t len;

	if (gpa < BASE || gpa - BASE > AREA - ACPI_HEADER_LEN)
		return NULL;
	t = area + (gpa - BASE);
	len = le32(t + 4);
	if (memcmp(t, sig, 4) || len < ACPI_HEADER_LEN || len > AREA - (gpa - BASE))
		return NULL;
	return t;
}

static int build_machine(const struct acpi_machine *m, struct acpi_layout *lay)
{
	memset(area, 0xa5, sizeof(area));
	return acpi_build_tables(area, sizeof(area), BASE, m, lay);
}

static int build(unsigned int ncpus, bool com1, struct acpi_layout *lay)
{
	/* The ISA devices go with COM1 here: all on, or all off. */
	struct acpi_machine m = {
		.ncpus = ncpus, .com1 = com1, .fw_cfg = com1, .rtc = com1,
		.i8042 = com1,
	};

	return build_machine(&m, lay);
}

static void test_checksum(void)
{
	uint8_t b[4] = { 1, 2, 3, 0xfa };

	CHECK_EQ(acpi_checksum(b, 4), 0);
	CHECK_EQ(acpi_checksum(b, 3), 6);
	CHECK_EQ(acpi_checksum(b, 0), 0);
}

static void test_rsdp(void)
{
	struct acpi_layout lay;
	const uint8_t *r = area;

	CHECK(build(2, true, &lay) > 0);
	CHECK_EQ(lay.rsdp, BASE);
	CHECK(!memcmp(r, "RSD PTR ", 8));
	CHECK_EQ(acpi_checksum(r, 20), 0);
	CHECK_EQ(acpi_checksum(r, ACPI_RSDP_LEN), 0);
	CHECK_EQ(r[15], 2);
	CHECK_EQ(le32(r + 16), lay.rsdt);
	CHECK_EQ(le32(r + 20), ACPI_RSDP_LEN);
	CHECK_EQ(le64(r + 24), lay.xsdt);

	/* The legacy scan: 16-byte steps over 0xE0000-0xFFFFF find it first. */
	for (size_t off = 0; off < AREA; off += 16) {
		if (!memcmp(area + off, "RSD PTR ", 8)) {
			CHECK_EQ(off, 0);
			break;
		}
	}

	uint8_t small[ACPI_RSDP_LEN - 1];

	CHECK_EQ(acpi_build_rsdp(small, sizeof(small), 0, 0), -ENOSPC);
}

static void check_root(uint64_t gpa, const char *sig, unsigned int width,
		       const struct acpi_layout *lay)
{
	const uint8_t *t = table_at(gpa, sig);
	uint64_t e0, e1;

	CHECK(t != NULL);
	if (!t)
		return;
	CHECK_EQ(le32(t + 4), ACPI_HEADER_LEN + 2 * width);
	CHECK_EQ(t[8], 1);
	CHECK_EQ(acpi_checksum(t, le32(t + 4)), 0);
	e0 = width == 8 ? le64(t + 36) : le32(t + 36);
	e1 = width == 8 ? le64(t + 44) : le32(t + 40);
	CHECK_EQ(e0, lay->fadt);
	CHECK_EQ(e1, lay->madt);
}

static void test_layout_and_checksums(void)
{
	struct acpi_layout lay;
	const uint8_t *t;
	int n = build(4, true, &lay);

	CHECK(n > 0 && n <= AREA);
	CHECK_EQ(lay.size, n);
	check_root(lay.xsdt, "XSDT", 8, &lay);
	check_root(lay.rsdt, "RSDT", 4, &lay);

	t = table_at(lay.fadt, "FACP");
	CHECK(t && le32(t + 4) == ACPI_FADT_LEN && acpi_checksum(t, ACPI_FADT_LEN) == 0);
	t = table_at(lay.madt, "APIC");
	CHECK(t && acpi_checksum(t, le32(t + 4)) == 0);
	t = table_at(lay.dsdt, "DSDT");
	CHECK(t && acpi_checksum(t, le32(t + 4)) == 0);
	CHECK(t && t[8] == 2);
	/* The FACS has no checksum, but must be 64-byte aligned. */
	t = table_at(lay.facs, "FACS");
	CHECK(t && le32(t + 4) == ACPI_FACS_LEN);
	CHECK_EQ(lay.facs & 63, 0);

	/* Tables never overlap: each ends before the next placed one. */
	uint64_t order[] = { lay.facs, lay.dsdt, lay.fadt, lay.madt, lay.xsdt,
			     lay.rsdt };
	uint64_t end = BASE + ACPI_RSDP_LEN;

	for (unsigned int i = 0; i < 6; i++) {
		const uint8_t *p = area + (order[i] - BASE);

		CHECK(order[i] >= end);
		end = order[i] + le32(p + 4);
	}
	CHECK_EQ(end, BASE + lay.size);

	/* Too small an area fails cleanly at every step. */
	struct acpi_machine m = {
		.ncpus = 4, .com1 = true, .fw_cfg = true, .rtc = true,
		.i8042 = true,
	};

	for (size_t len = 0; len < (size_t)n; len += 7)
		CHECK_EQ(acpi_build_tables(area, len, BASE, &m, NULL), -ENOSPC);
	CHECK_EQ(acpi_build_tables(area, AREA, BASE + 4, &m, NULL), -EINVAL);
	m.ncpus = 0;
	CHECK_EQ(acpi_build_tables(area, AREA, BASE, &m, NULL), -EINVAL);
	m.ncpus = CONFIG_MAX_CPUS + 1;
	CHECK_EQ(acpi_build_tables(area, AREA, BASE, &m, NULL), -EINVAL);
}

static void check_gas(const uint8_t *g, uint8_t width, uint8_t access, uint64_t port)
{
	CHECK_EQ(g[0], 1);	/* system I/O */
	CHECK_EQ(g[1], width);
	CHECK_EQ(g[2], 0);
	CHECK_EQ(g[3], access);
	CHECK_EQ(le64(g + 4), port);
}

static void test_fadt(void)
{
	struct acpi_layout lay;
	const uint8_t *f;
	uint32_t flags;

	CHECK(build(2, true, &lay) > 0);
	f = table_at(lay.fadt, "FACP");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_EQ(f[8], 6);
	CHECK_EQ(le32(f + FADT_FIRMWARE_CTRL), lay.facs);
	CHECK_EQ(le64(f + FADT_X_FIRMWARE_CTRL), 0);	/* one FACS pointer */
	CHECK_EQ(le32(f + FADT_DSDT), lay.dsdt);
	CHECK_EQ(le64(f + FADT_X_DSDT), lay.dsdt);
	CHECK_EQ(le16(f + FADT_SCI_INT), 9);
	CHECK_EQ(le32(f + FADT_SMI_CMD), 0);
	CHECK_EQ(f[52], 0);	/* ACPI_ENABLE */
	CHECK_EQ(f[53], 0);	/* ACPI_DISABLE */
	CHECK_EQ(le32(f + FADT_PM1A_EVT_BLK), 0x600);
	CHECK_EQ(le32(f + FADT_PM1A_CNT_BLK), 0x604);
	CHECK_EQ(le32(f + FADT_PM_TMR_BLK), 0x608);
	CHECK_EQ(le32(f + 60), 0);	/* no PM1b */
	CHECK_EQ(le32(f + 68), 0);
	CHECK_EQ(f[FADT_PM1_EVT_LEN], 4);
	CHECK_EQ(f[FADT_PM1_CNT_LEN], 2);
	CHECK_EQ(f[FADT_PM_TMR_LEN], 4);
	check_gas(f + FADT_X_PM1A_EVT_BLK, 32, 2, 0x600);
	check_gas(f + FADT_X_PM1A_CNT_BLK, 16, 2, 0x604);
	check_gas(f + FADT_X_PM_TMR_BLK, 32, 3, 0x608);
	check_gas(f + FADT_RESET_REG, 8, 1, 0xcf9);
	CHECK_EQ(f[FADT_RESET_VALUE], 6);
	CHECK(le16(f + FADT_IAPC_BOOT_ARCH) & FADT_BOOT_8042);
	CHECK(le16(f + FADT_IAPC_BOOT_ARCH) & FADT_BOOT_LEGACY_DEVICES);

	flags = le32(f + FADT_FLAGS);
	CHECK(flags & FADT_F_TMR_VAL_EXT);
	CHECK(flags & FADT_F_RESET_REG_SUP);
	CHECK(flags & FADT_F_WBINVD);
	CHECK(flags & FADT_F_SLP_BUTTON);
	CHECK(!(flags & FADT_F_PWR_BUTTON));	/* fixed power button exists */
	CHECK(!(flags & FADT_F_HW_REDUCED_ACPI));
	CHECK(!(flags & FADT_F_FORCE_APIC_PHYS_DEST));

	/* Past 8 CPUs, flat logical xAPIC mode cannot address them all. */
	CHECK(build(9, true, &lay) > 0);
	f = table_at(lay.fadt, "FACP");
	CHECK(f && (le32(f + FADT_FLAGS) & FADT_F_FORCE_APIC_PHYS_DEST));

	uint8_t small[ACPI_FADT_LEN - 1];

	CHECK_EQ(acpi_build_fadt(small, sizeof(small), 0, 0, 1), -ENOSPC);
}

/* The MADT for ncpus CPUs; PCI INTx on pci_irqs, overridden as level_isos. */
static void check_madt(unsigned int ncpus, uint16_t pci_irqs, uint16_t level_isos)
{
	struct acpi_machine m = { .ncpus = ncpus, .pci_irqs = pci_irqs };
	struct acpi_layout lay;
	const uint8_t *t, *p, *end;
	unsigned int lapics = 0, ioapics = 0, isos = 0, nmis = 0, others = 0;
	unsigned int nlevel = __builtin_popcount(level_isos);
	uint16_t level_seen = 0;
	bool irq0 = false;

	memset(area, 0xa5, sizeof(area));
	CHECK(acpi_build_tables(area, sizeof(area), BASE, &m, &lay) > 0);
	t = table_at(lay.madt, "APIC");
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK_EQ(le32(t + 4), 44 + 8 * ncpus + 12 + (1 + nlevel) * 10 + 6);
	CHECK_EQ(acpi_checksum(t, le32(t + 4)), 0);
	CHECK_EQ(le32(t + 36), MEM_LAPIC_BASE);
	CHECK_EQ(le32(t + 40), MADT_PCAT_COMPAT);
	end = t + le32(t + 4);
	for (p = t + 44; p < end; p += p[1]) {
		CHECK(p[1] >= 2 && p + p[1] <= end);
		if (p[1] < 2 || p + p[1] > end)
			break;
		switch (p[0]) {
		case MADT_TYPE_LAPIC:
			CHECK_EQ(p[1], 8);
			/* In order: UID and APIC ID both equal the index. */
			CHECK_EQ(p[2], lapics);
			CHECK_EQ(p[3], lapics);
			CHECK_EQ(le32(p + 4), MADT_LAPIC_ENABLED);
			lapics++;
			break;
		case MADT_TYPE_IOAPIC:
			CHECK_EQ(p[1], 12);
			CHECK_EQ(p[2], ncpus);
			CHECK_EQ(le32(p + 4), MEM_IOAPIC_BASE);
			CHECK_EQ(le32(p + 8), 0);
			ioapics++;
			break;
		case MADT_TYPE_ISO:
			CHECK_EQ(p[1], 10);
			CHECK_EQ(p[2], 0);
			if (p[3] == 0) {
				CHECK_EQ(le32(p + 4), 2);
				CHECK_EQ(le16(p + 8), 0);	/* ISA: edge, high */
				irq0 = true;
			} else {
				/* Identity, level, high; each IRQ once. */
				CHECK_EQ(le32(p + 4), p[3]);
				CHECK_EQ(le16(p + 8), 0x000d);
				CHECK(p[3] < 16 && !(level_seen & (1u << p[3])));
				level_seen |= 1u << p[3];
			}
			isos++;
			break;
		case MADT_TYPE_LAPIC_NMI:
			CHECK_EQ(p[1], 6);
			CHECK_EQ(p[2], 0xff);
			CHECK_EQ(p[5], 1);
			nmis++;
			break;
		default:
			others++;
		}
	}
	CHECK(p == end);
	CHECK_EQ(lapics, ncpus);
	CHECK_EQ(ioapics, 1);
	CHECK_EQ(isos, 1 + nlevel);
	CHECK(irq0);
	CHECK_EQ(level_seen, level_isos);
	CHECK_EQ(nmis, 1);
	CHECK_EQ(others, 0);
}

static void test_madt(void)
{
	uint8_t small[64];

	struct acpi_machine m = { .ncpus = 2 };

	/* Without PCI: IRQ 0 -> GSI 2 and the SCI, as the brief for QEMU's pc. */
	check_madt(1, 0, 1u << 9);
	check_madt(2, 0, 1u << 9);
	check_madt(4, 0, 1u << 9);
	check_madt(255, 0, 1u << 9);
	/* PCI INTx on 10 and 11, as QEMU's pc overrides its PCI IRQs. */
	check_madt(2, 1u << 10 | 1u << 11, 1u << 9 | 1u << 10 | 1u << 11);
	/* IRQ 0 and 2 belong to the PIT's override; 9 appears once. */
	check_madt(2, 1u << 0 | 1u << 2 | 1u << 9 | 1u << 5,
		   1u << 5 | 1u << 9);
	CHECK_EQ(acpi_build_madt(small, sizeof(small), &m), -ENOSPC);
	m.ncpus = 0;
	CHECK_EQ(acpi_build_madt(area, AREA, &m), -EINVAL);
	m.ncpus = 256;
	CHECK_EQ(acpi_build_madt(area, AREA, &m), -EINVAL);
}

static const uint8_t *find(const uint8_t *hay, size_t n, const void *needle,
			   size_t m)
{
	for (size_t i = 0; i + m <= n; i++)
		if (!memcmp(hay + i, needle, m))
			return hay + i;
	return NULL;
}

/* Decode a PkgLength at p: the length it states and its own size. */
static uint32_t pkglen(const uint8_t *p, unsigned int *nbytes)
{
	unsigned int extra = p[0] >> 6;
	uint32_t len;

	*nbytes = extra + 1;
	if (!extra)
		return p[0] & 0x3f;
	len = p[0] & 0x0f;
	for (unsigned int i = 1; i <= extra; i++)
		len |= (uint32_t)p[i] << (4 + 8 * (i - 1));
	return len;
}

static void check_dsdt(unsigned int ncpus, bool com1)
{
	/* \_S3_ then \_S5_, their SLP_TYP values as QEMU's pc has them. */
	static const uint8_t s5[] = {
		0x08, '_', 'S', '3', '_',	/* Name (_S3_, */
		0x12, 0x06, 0x04,		/* Package, PkgLength 6, 4 elements */
		0x01, 0x01, 0x00, 0x00,		/* One, One, Zero, Zero */
		0x08, '_', 'S', '5', '_',	/* Name (_S5_, */
		0x12, 0x06, 0x04,
		ACPI_SLP_TYP_S5, ACPI_SLP_TYP_S5, 0x00, 0x00,
	};
	static const uint8_t pci_hid[] = { 0x08, '_', 'H', 'I', 'D', 0x0c,
					   0x41, 0xd0, 0x0a, 0x03 };
	static const uint8_t com_hid[] = { 0x08, '_', 'H', 'I', 'D', 0x0c,
					   0x41, 0xd0, 0x05, 0x01 };
	static const uint8_t bbn[] = { 0x08, '_', 'B', 'B', 'N', 0x00 };
	/* DWordMemory producer, fixed, RW: 0xC0000000-0xFEBFFFFF. */
	static const uint8_t mmio[] = {
		0x87, 0x17, 0x00, 0x00, 0x0c, 0x01, 0, 0, 0, 0,
		0x00, 0x00, 0x00, 0xc0, 0xff, 0xff, 0xbf, 0xfe,
		0, 0, 0, 0, 0x00, 0x00, 0xc0, 0x3e,
	};
	static const uint8_t cf8[] = { 0x47, 0x01, 0xf8, 0x0c, 0xf8, 0x0c, 0x01, 0x08 };
	static const uint8_t com_io[] = { 0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x00,
					  0x08, 0x22, 0x10, 0x00, 0x79, 0x00 };
	static const uint8_t fwcf_hid[] = { 0x08, '_', 'H', 'I', 'D', 0x0d,
					    'Q', 'E', 'M', 'U', '0', '0', '0', '2', 0 };
	static const uint8_t fwcf_io[] = { 0x47, 0x01, 0x10, 0x05, 0x10, 0x05,
					   0x01, 0x0c, 0x79, 0x00 };
	/* The RTC: 0x70-0x71 and IRQ 8; the i8042: 0x60, 0x64, IRQs 1, 12. */
	static const uint8_t rtc_hid[] = { 0x08, '_', 'H', 'I', 'D', 0x0c,
					   0x41, 0xd0, 0x0b, 0x00 };
	static const uint8_t rtc_crs[] = { 0x47, 0x01, 0x70, 0x00, 0x70, 0x00,
					   0x01, 0x02, 0x22, 0x00, 0x01, 0x79, 0x00 };
	static const uint8_t kbd_hid[] = { 0x08, '_', 'H', 'I', 'D', 0x0c,
					   0x41, 0xd0, 0x03, 0x03 };
	static const uint8_t kbd_crs[] = { 0x47, 0x01, 0x60, 0x00, 0x60, 0x00,
					   0x01, 0x01, 0x47, 0x01, 0x64, 0x00,
					   0x64, 0x00, 0x01, 0x01, 0x22, 0x02,
					   0x00, 0x79, 0x00 };
	static const uint8_t mou_hid[] = { 0x08, '_', 'H', 'I', 'D', 0x0c,
					   0x41, 0xd0, 0x0f, 0x13 };
	static const uint8_t mou_crs[] = { 0x22, 0x00, 0x10, 0x79, 0x00 };
	struct acpi_layout lay;
	const uint8_t *t, *p, *body;
	uint32_t len, n;
	unsigned int nb;

	CHECK(build(ncpus, com1, &lay) > 0);
	t = table_at(lay.dsdt, "DSDT");
	CHECK(t != NULL);
	if (!t)
		return;
	len = le32(t + 4);
	body = t + ACPI_HEADER_LEN;
	CHECK(!memcmp(body, s5, sizeof(s5)));
	CHECK(find(t, len, pci_hid, sizeof(pci_hid)) != NULL);
	CHECK(find(t, len, bbn, sizeof(bbn)) != NULL);
	CHECK(find(t, len, mmio, sizeof(mmio)) != NULL);
	CHECK(find(t, len, cf8, sizeof(cf8)) != NULL);
	CHECK((find(t, len, com_hid, sizeof(com_hid)) != NULL) == com1);
	CHECK((find(t, len, com_io, sizeof(com_io)) != NULL) == com1);
	CHECK((find(t, len, fwcf_hid, sizeof(fwcf_hid)) != NULL) == com1);
	CHECK((find(t, len, fwcf_io, sizeof(fwcf_io)) != NULL) == com1);
	CHECK((find(t, len, rtc_hid, sizeof(rtc_hid)) != NULL) == com1);
	CHECK((find(t, len, rtc_crs, sizeof(rtc_crs)) != NULL) == com1);
	CHECK((find(t, len, kbd_hid, sizeof(kbd_hid)) != NULL) == com1);
	CHECK((find(t, len, kbd_crs, sizeof(kbd_crs)) != NULL) == com1);
	CHECK((find(t, len, mou_hid, sizeof(mou_hid)) != NULL) == com1);
	CHECK((find(t, len, mou_crs, sizeof(mou_crs)) != NULL) == com1);
	/* No PCI host: no _PRT. */
	CHECK(find(t, len, "_PRT", 4) == NULL);

	/* After \_S3_ and \_S5_, one Scope (\_SB_) whose PkgLength ends it. */
	p = body + sizeof(s5);
	CHECK_EQ(p[0], 0x10);
	n = pkglen(p + 1, &nb);
	CHECK(!memcmp(p + 1 + nb, "_SB_", 4));
	CHECK_EQ(p + 1 + n, t + len);

	/* The last processor device is there, with its UID. */
	char last[5];

	snprintf(last, sizeof(last), "C%03X", ncpus - 1);
	CHECK(find(t, len, last, 4) != NULL);
	snprintf(last, sizeof(last), "C%03X", ncpus);
	CHECK(find(t, len, last, 4) == NULL);
}

static void test_dsdt(void)
{
	uint8_t small[64];
	struct acpi_machine m = { .ncpus = 1 };

	check_dsdt(1, true);
	check_dsdt(2, false);
	check_dsdt(4, true);
	check_dsdt(100, true);	/* _SB_ needs a 2-byte PkgLength */
	check_dsdt(255, true);	/* and a 3-byte one */
	CHECK_EQ(acpi_build_dsdt(small, sizeof(small), &m), -ENOSPC);
	CHECK_EQ(acpi_build_dsdt(small, 10, &m), -ENOSPC);
}

/* An AML integer at *p (Zero, One, Byte/Word/DWordConst); p moves past it. */
static uint64_t aml_int(const uint8_t **p)
{
	const uint8_t *q = *p;
	unsigned int n;

	switch (*q) {
	case 0x00:
	case 0x01:
		*p = q + 1;
		return *q;
	case 0x0a:
		n = 1;
		break;
	case 0x0b:
		n = 2;
		break;
	case 0x0c:
		n = 4;
		break;
	default:
		CHECK_EQ(*q, 0x0a);
		*p = q + 1;
		return ~0ULL;
	}
	*p = q + 1 + n;
	return n == 1 ? q[1] : n == 2 ? (uint64_t)(q[1] | q[2] << 8) : le32(q + 1);
}

static const struct acpi_machine full = {
	.ncpus = 3, .com1 = true, .fw_cfg = true, .rtc = true, .i8042 = true,
	.pci_irqs = 1u << 10 | 1u << 11,
};

/*
 * \_SB.PCI0._PRT: all 32 slots x 4 pins, each to the GSI hw/pci.c drives
 * for it ({10, 10, 11, 11}[(slot + pin - 1) & 3]), source 0.
 */
static void test_dsdt_prt(void)
{
	static const uint8_t pci0[] = { 0x5b, 0x82 };
	struct acpi_layout lay;
	const uint8_t *t, *dev, *p, *end;
	uint32_t len, dev_len;
	unsigned int nb;

	CHECK(build_machine(&full, &lay) > 0);
	t = table_at(lay.dsdt, "DSDT");
	CHECK(t != NULL);
	if (!t)
		return;
	len = le32(t + 4);
	/* Device (PCI0) { ... }: the _PRT is inside it. */
	dev = find(t, len, pci0, sizeof(pci0));
	CHECK(dev != NULL);
	if (!dev)
		return;
	dev_len = pkglen(dev + 2, &nb);
	CHECK(!memcmp(dev + 2 + nb, "PCI0", 4));
	p = find(dev, dev_len, "\x08_PRT\x12", 6);
	CHECK(p != NULL);
	if (!p)
		return;
	p += 6;
	end = p + pkglen(p, &nb);
	CHECK(end <= dev + 2 + dev_len);
	p += nb;
	CHECK_EQ(*p++, 128);
	for (unsigned int slot = 0; slot < 32; slot++) {
		for (unsigned int pin = 0; pin < 4; pin++) {
			const uint8_t *e = p;
			uint64_t gsi;

			CHECK_EQ(*p++, 0x12);
			e = p + pkglen(p, &nb);
			p += nb;
			CHECK_EQ(*p++, 4);
			CHECK_EQ(aml_int(&p), (uint64_t)slot << 16 | 0xffff);
			CHECK_EQ(aml_int(&p), pin);
			CHECK_EQ(aml_int(&p), 0);
			gsi = aml_int(&p);
			CHECK_EQ(gsi, ((slot + pin) & 3) < 2 ? 10 : 11);
			CHECK_EQ(gsi, pci_intx_gsi(slot, pin + 1));
			CHECK(p == e);
			if (p != e)
				return;
		}
	}
	CHECK(p == end);
}

/*
 * iasl (acpica-tools) disassembles the DSDT, recompiles the listing, and
 * the AML must come back identical: the strongest check that every
 * PkgLength and resource descriptor is what a real compiler would emit.
 */
static void test_dsdt_iasl(void)
{
	char dir[] = "/tmp/kvmrun-acpi-XXXXXX", cmd[512], path[256];
	struct acpi_layout lay;
	const uint8_t *t;
	uint8_t *back;
	FILE *f;
	long n;

	if (system("command -v iasl >/dev/null 2>&1") != 0) {
		printf("SKIP: iasl not installed (apt-get install acpica-tools): DSDT round trip not checked\n");
		return;
	}
	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	CHECK(build_machine(&full, &lay) > 0);
	t = table_at(lay.dsdt, "DSDT");
	snprintf(path, sizeof(path), "%s/dsdt.dat", dir);
	f = fopen(path, "wb");
	CHECK(f && t);
	if (!f || !t)
		return;
	fwrite(t, 1, le32(t + 4), f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && timeout 60 iasl -d dsdt.dat >log 2>&1 && "
		 "timeout 60 iasl -p back dsdt.dsl >>log 2>&1", dir);
	CHECK_EQ(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/back.aml", dir);
	f = fopen(path, "rb");
	CHECK(f != NULL);
	if (f) {
		back = calloc(1, AREA);
		n = fread(back, 1, AREA, f);
		fclose(f);
		/* The header differs (compiler ID), the AML must not. */
		CHECK_EQ(n, le32(t + 4));
		CHECK(n > ACPI_HEADER_LEN &&
		      !memcmp(back + ACPI_HEADER_LEN, t + ACPI_HEADER_LEN,
			      n - ACPI_HEADER_LEN));
		free(back);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_EQ(system(cmd), 0);
}

/* The device writes the tables into guest RAM and points vm->rsdp_gpa at them. */
static int com1_seen;

static void dummy_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		     bool is_write)
{
	com1_seen++;
}

static void test_device(void)
{
	struct vm_config cfg = { .ram_size = 16 << 20, .ncpus = 2 };
	struct guest_mem mem;
	struct vm vm = { .cfg = &cfg, .ncpus = 2 };
	const uint8_t *r, *dsdt;
	static const uint8_t com_hid[] = { 0x0c, 0x41, 0xd0, 0x05, 0x01 };
	static const uint8_t rtc_hid[] = { 0x0c, 0x41, 0xd0, 0x0b, 0x00 };
	static const uint8_t kbd_hid[] = { 0x0c, 0x41, 0xd0, 0x03, 0x03 };

	CHECK_EQ(guest_mem_init(&mem, cfg.ram_size), 0);
	vm.mem = &mem;
	CHECK_EQ(bus_register(&pio_bus, 0x3f8, 8, dummy_io, NULL, "com1"), 0);
	CHECK_EQ(bus_register(&pio_bus, 0x510, 2, dummy_io, NULL, "fw_cfg"), 0);
	CHECK_EQ(bus_register(&pio_bus, 0xcf8, 8, dummy_io, NULL, "pci"), 0);
	CHECK_EQ(bus_register(&pio_bus, 0x70, 2, dummy_io, NULL, "rtc"), 0);
	CHECK_EQ(acpi_tables_device.order, DEVICE_ORDER_FIRMWARE);
	CHECK_EQ(acpi_tables_device.realize(&vm), 0);
	CHECK_EQ(vm.rsdp_gpa, LAYOUT_ACPI);
	r = gpa_to_hva(&mem, vm.rsdp_gpa, ACPI_RSDP_LEN);
	CHECK(r && !memcmp(r, "RSD PTR ", 8) && acpi_checksum(r, 36) == 0);
	if (r) {
		uint64_t xsdt = le64(r + 24);
		const uint8_t *x = gpa_to_hva(&mem, xsdt, 52);
		const uint8_t *fadt = x ? gpa_to_hva(&mem, le64(x + 36), ACPI_FADT_LEN) : NULL;

		CHECK(fadt && !memcmp(fadt, "FACP", 4));
		dsdt = fadt ? gpa_to_hva(&mem, le64(fadt + FADT_X_DSDT), 36) : NULL;
		CHECK(dsdt && !memcmp(dsdt, "DSDT", 4));
		if (dsdt) {
			uint32_t len = le32(dsdt + 4);

			dsdt = gpa_to_hva(&mem, le64(fadt + FADT_X_DSDT), len);
			CHECK(dsdt && find(dsdt, len, com_hid, sizeof(com_hid)));
			CHECK(dsdt && find(dsdt, len, "QEMU0002", 8));
			/* What was realized: the RTC and the PCI host, no i8042. */
			CHECK(dsdt && find(dsdt, len, rtc_hid, sizeof(rtc_hid)));
			CHECK(dsdt && !find(dsdt, len, kbd_hid, sizeof(kbd_hid)));
			CHECK(dsdt && find(dsdt, len, "_PRT", 4));
		}
		/* With a PCI host, its INTx lines 10 and 11 are overridden too. */
		const uint8_t *madt = x ? gpa_to_hva(&mem, le64(x + 44), 44) : NULL;

		CHECK(madt && !memcmp(madt, "APIC", 4));
		if (madt) {
			static const uint8_t iso11[] = { 2, 10, 0, 11, 11, 0, 0, 0, 0x0d, 0 };
			uint32_t len = le32(madt + 4);

			madt = gpa_to_hva(&mem, le64(x + 44), len);
			CHECK(madt && find(madt, len, iso11, sizeof(iso11)));
		}
	}
	/* A guest that scribbled on the tables gets them back on reset. */
	memset(gpa_to_hva(&mem, LAYOUT_ACPI, 64), 0, 64);
	acpi_tables_device.reset(&vm);
	CHECK(!memcmp(r, "RSD PTR ", 8));
	acpi_tables_device.teardown(&vm);
	CHECK_EQ(vm.rsdp_gpa, 0);
	bus_unregister(&pio_bus, 0x3f8);
	bus_unregister(&pio_bus, 0x510);
	bus_unregister(&pio_bus, 0xcf8);
	bus_unregister(&pio_bus, 0x70);
	guest_mem_free(&mem);

	/* Less than 1 MiB of RAM leaves no room at 0xE0000: a clear error. */
	CHECK_EQ(guest_mem_init(&mem, 512 << 10), 0);
	vm.mem = &mem;
	CHECK_EQ(acpi_tables_device.realize(&vm), -EINVAL);
	CHECK_EQ(vm.rsdp_gpa, 0);
	guest_mem_free(&mem);
	CHECK_EQ(com1_seen, 0);
}

int main(void)
{
	test_checksum();
	test_rsdp();
	test_layout_and_checksums();
	test_fadt();
	test_madt();
	test_dsdt();
	test_dsdt_prt();
	test_dsdt_iasl();
	test_device();
	return unit_report();
}
