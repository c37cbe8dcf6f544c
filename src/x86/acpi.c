// SPDX-License-Identifier: MIT
/*
 * ACPI tables for the guest, built into the reserved area at LAYOUT_ACPI.
 *
 * The machine looks like QEMU's pc/q35 to an OS: a full (not
 * hardware-reduced) FADT whose fixed registers are the PM block of
 * hw/acpi_pm.c, ACPI always enabled (no SMI_CMD), a MADT that Linux can
 * bring up every CPU from (it has no MP-table fallback here), and a small
 * hand-assembled DSDT.
 */
#include "x86/acpi.h"

#include <errno.h>
#include <string.h>

#include "device.h"
#include "hw/fw_cfg.h"
#include "hw/i8042.h"
#include "hw/pci.h"
#include "hw/rtc.h"
#include "hw/serial.h"
#include "memory.h"
#include "util/log.h"
#include "vm.h"
#include "x86/layout.h"

#define ACPI_OEM_ID		"KVMRUN"
#define ACPI_OEM_TABLE_ID	"KVMRUNPC"
#define ACPI_CREATOR_ID		"KVMR"

#define GAS_SYSTEM_IO		1
#define GAS_ACCESS_BYTE		1
#define GAS_ACCESS_WORD		2
#define GAS_ACCESS_DWORD	3

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

uint8_t acpi_checksum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return sum;
}

/* Make the len bytes at table sum to zero through the byte at csum. */
static void acpi_fix_checksum(uint8_t *table, size_t len, uint8_t *csum)
{
	*csum = 0;
	*csum = -acpi_checksum(table, len);
}

static void acpi_header(uint8_t *t, const char *sig, uint32_t len,
			uint8_t rev)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = rev;
	t[9] = 0;
	memcpy(t + 10, ACPI_OEM_ID, 6);
	memcpy(t + 16, ACPI_OEM_TABLE_ID, 8);
	put32(t + 24, 1);			/* OEM revision */
	memcpy(t + 28, ACPI_CREATOR_ID, 4);
	put32(t + 32, 1);			/* creator revision */
}

static void acpi_finish(uint8_t *t, uint32_t len)
{
	acpi_fix_checksum(t, len, &t[9]);
}

/* Generic Address Structure for an I/O port register. */
static void gas_io(uint8_t *p, uint8_t bit_width, uint8_t access,
		   uint16_t port)
{
	p[0] = GAS_SYSTEM_IO;
	p[1] = bit_width;
	p[2] = 0;
	p[3] = access;
	put64(p + 4, port);
}

int acpi_build_rsdp(uint8_t *buf, size_t len, uint32_t rsdt, uint64_t xsdt)
{
	if (len < ACPI_RSDP_LEN)
		return -ENOSPC;
	memset(buf, 0, ACPI_RSDP_LEN);
	memcpy(buf, "RSD PTR ", 8);
	memcpy(buf + 9, ACPI_OEM_ID, 6);
	buf[15] = 2;				/* ACPI 2.0+: XSDT present */
	put32(buf + 16, rsdt);
	put32(buf + 20, ACPI_RSDP_LEN);
	put64(buf + 24, xsdt);
	/* The 1.0 checksum covers the first 20 bytes, the extended one all. */
	acpi_fix_checksum(buf, 20, &buf[8]);
	acpi_fix_checksum(buf, ACPI_RSDP_LEN, &buf[32]);
	return ACPI_RSDP_LEN;
}

static int acpi_build_sdt(uint8_t *buf, size_t len, const char *sig,
			  unsigned int entry_size, const uint64_t *tables,
			  unsigned int n)
{
	size_t size = ACPI_HEADER_LEN + (size_t)n * entry_size;

	if (len < size)
		return -ENOSPC;
	memset(buf, 0, size);
	acpi_header(buf, sig, size, 1);
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *e = buf + ACPI_HEADER_LEN + i * entry_size;

		if (entry_size == 4) {
			if (tables[i] > UINT32_MAX)
				return -EINVAL;
			put32(e, tables[i]);
		} else {
			put64(e, tables[i]);
		}
	}
	acpi_finish(buf, size);
	return size;
}

int acpi_build_rsdt(uint8_t *buf, size_t len, const uint64_t *tables,
		    unsigned int n)
{
	return acpi_build_sdt(buf, len, "RSDT", 4, tables, n);
}

int acpi_build_xsdt(uint8_t *buf, size_t len, const uint64_t *tables,
		    unsigned int n)
{
	return acpi_build_sdt(buf, len, "XSDT", 8, tables, n);
}

int acpi_build_fadt(uint8_t *buf, size_t len, uint64_t facs, uint64_t dsdt,
		    unsigned int ncpus)
{
	uint8_t *f = buf;
	uint32_t flags;

	if (len < ACPI_FADT_LEN)
		return -ENOSPC;
	if (facs > UINT32_MAX || dsdt > UINT32_MAX)
		return -EINVAL;
	memset(f, 0, ACPI_FADT_LEN);
	acpi_header(f, "FACP", ACPI_FADT_LEN, 6);

	put32(f + FADT_FIRMWARE_CTRL, facs);
	put32(f + FADT_DSDT, dsdt);
	put16(f + FADT_SCI_INT, ACPI_SCI_IRQ);
	/* SMI_CMD, ACPI_ENABLE, ACPI_DISABLE stay 0: always in ACPI mode. */
	put32(f + FADT_PM1A_EVT_BLK, ACPI_PM1_EVT_BLK);
	put32(f + FADT_PM1A_CNT_BLK, ACPI_PM1_CNT_BLK);
	put32(f + FADT_PM_TMR_BLK, ACPI_PM_TMR_BLK);
	f[FADT_PM1_EVT_LEN] = ACPI_PM1_EVT_LEN;
	f[FADT_PM1_CNT_LEN] = ACPI_PM1_CNT_LEN;
	f[FADT_PM_TMR_LEN] = ACPI_PM_TMR_LEN;
	/* No C2/C3: latencies above 100 and 1000 us say so. */
	put16(f + 96, 0x0fff);
	put16(f + 98, 0xffff);
	f[108] = 0x32;		/* CENTURY: the CMOS index QEMU's RTC uses */
	put16(f + FADT_IAPC_BOOT_ARCH, FADT_BOOT_LEGACY_DEVICES |
	      FADT_BOOT_8042 | FADT_BOOT_NO_VGA);

	/*
	 * As QEMU's pc: a fixed power button (PWR_BUTTON clear), no sleep
	 * button, a 32-bit timer, the reset register.  Physical destination
	 * mode above 8 CPUs, where xAPIC flat logical mode runs out of bits.
	 */
	flags = FADT_F_WBINVD | FADT_F_PROC_C1 | FADT_F_SLP_BUTTON |
		FADT_F_RTC_S4 | FADT_F_TMR_VAL_EXT | FADT_F_RESET_REG_SUP |
		FADT_F_USE_PLATFORM_CLOCK;
	if (ncpus > 8)
		flags |= FADT_F_FORCE_APIC_PHYS_DEST;
	put32(f + FADT_FLAGS, flags);
	gas_io(f + FADT_RESET_REG, 8, GAS_ACCESS_BYTE, ACPI_RESET_PORT);
	f[FADT_RESET_VALUE] = ACPI_RESET_VALUE;
	f[FADT_MINOR_VERSION] = 0;

	/*
	 * X_FIRMWARE_CTRL stays 0, as on QEMU: with both set, ACPICA
	 * installs the FACS twice.  It is below 4 GiB either way.
	 */
	put64(f + FADT_X_DSDT, dsdt);
	gas_io(f + FADT_X_PM1A_EVT_BLK, ACPI_PM1_EVT_LEN * 8, GAS_ACCESS_WORD,
	       ACPI_PM1_EVT_BLK);
	gas_io(f + FADT_X_PM1A_CNT_BLK, ACPI_PM1_CNT_LEN * 8, GAS_ACCESS_WORD,
	       ACPI_PM1_CNT_BLK);
	gas_io(f + FADT_X_PM_TMR_BLK, ACPI_PM_TMR_LEN * 8, GAS_ACCESS_DWORD,
	       ACPI_PM_TMR_BLK);
	memcpy(f + 268, "KVMRUN\0\0", 8);	/* hypervisor vendor identity */
	acpi_finish(f, ACPI_FADT_LEN);
	return ACPI_FADT_LEN;
}

int acpi_build_facs(uint8_t *buf, size_t len)
{
	if (len < ACPI_FACS_LEN)
		return -ENOSPC;
	memset(buf, 0, ACPI_FACS_LEN);
	memcpy(buf, "FACS", 4);
	put32(buf + 4, ACPI_FACS_LEN);
	buf[32] = 2;				/* version */
	return ACPI_FACS_LEN;
}

static uint8_t *madt_iso(uint8_t *p, uint8_t irq, uint32_t gsi,
			 uint16_t flags)
{
	p[0] = MADT_TYPE_ISO;
	p[1] = ACPI_MADT_ISO_LEN;
	p[2] = 0;				/* ISA */
	p[3] = irq;
	put32(p + 4, gsi);
	put16(p + 8, flags);
	return p + ACPI_MADT_ISO_LEN;
}

/*
 * The level-triggered ISA IRQs: the SCI and the PCI INTx lines; never 0
 * or 2, whose pins the PIT's override takes.
 */
static uint16_t madt_level_irqs(const struct acpi_machine *m)
{
	return (m->pci_irqs | 1u << ACPI_SCI_IRQ) & ~(1u << 0 | 1u << 2);
}

int acpi_build_madt(uint8_t *buf, size_t len, const struct acpi_machine *m)
{
	unsigned int ncpus = m->ncpus;
	uint16_t level = madt_level_irqs(m);
	size_t size = ACPI_HEADER_LEN + 8 + ncpus * ACPI_MADT_LAPIC_LEN +
		      ACPI_MADT_IOAPIC_LEN +
		      (1 + __builtin_popcount(level)) * ACPI_MADT_ISO_LEN +
		      ACPI_MADT_LAPIC_NMI_LEN;
	uint8_t *p;

	if (ncpus == 0 || ncpus > CONFIG_MAX_CPUS)
		return -EINVAL;
	if (len < size)
		return -ENOSPC;
	memset(buf, 0, size);
	acpi_header(buf, "APIC", size, 4);
	put32(buf + 36, MEM_LAPIC_BASE);
	put32(buf + 40, MADT_PCAT_COMPAT);	/* dual 8259s present */
	p = buf + 44;

	for (unsigned int i = 0; i < ncpus; i++) {
		p[0] = MADT_TYPE_LAPIC;
		p[1] = ACPI_MADT_LAPIC_LEN;
		p[2] = i;			/* processor UID */
		p[3] = i;			/* APIC ID */
		put32(p + 4, MADT_LAPIC_ENABLED);
		p += ACPI_MADT_LAPIC_LEN;
	}

	p[0] = MADT_TYPE_IOAPIC;
	p[1] = ACPI_MADT_IOAPIC_LEN;
	p[2] = ncpus;				/* IOAPIC ID: after the CPUs */
	put32(p + 4, MEM_IOAPIC_BASE);
	put32(p + 8, 0);			/* GSI base */
	p += ACPI_MADT_IOAPIC_LEN;

	/* The PIT's IRQ 0 is wired to IOAPIC pin 2, conforming (edge). */
	p = madt_iso(p, 0, 2, 0);
	/* The SCI and PCI INTx: level triggered, active high, identity. */
	for (unsigned int irq = 1; irq < 16; irq++)
		if (level & (1u << irq))
			p = madt_iso(p, irq, irq, MADT_ISO_LEVEL_HIGH);

	p[0] = MADT_TYPE_LAPIC_NMI;
	p[1] = ACPI_MADT_LAPIC_NMI_LEN;
	p[2] = 0xff;				/* all processors */
	put16(p + 3, 0);
	p[5] = 1;				/* LINT1 */
	p += ACPI_MADT_LAPIC_NMI_LEN;

	acpi_finish(buf, size);
	return size;
}

/*
 * A tiny AML assembler: enough to write the DSDT by hand without counting
 * package lengths.  Errors are sticky; the caller checks once at the end.
 */
struct aml {
	uint8_t *buf;
	size_t cap, pos;
	bool overflow;
};

#define AML_ZERO	0x00
#define AML_ONE		0x01
#define AML_NAME	0x08
#define AML_BYTE	0x0a
#define AML_WORD	0x0b
#define AML_DWORD	0x0c
#define AML_STRING	0x0d
#define AML_QWORD	0x0e
#define AML_SCOPE	0x10
#define AML_BUFFER	0x11
#define AML_PACKAGE	0x12
#define AML_EXT		0x5b
#define AML_EXT_DEVICE	0x82
#define AML_ROOT	'\\'

static void aml_bytes(struct aml *a, const void *p, size_t n)
{
	if (a->overflow || a->cap - a->pos < n) {
		a->overflow = true;
		return;
	}
	memcpy(a->buf + a->pos, p, n);
	a->pos += n;
}

static void aml_byte(struct aml *a, uint8_t b)
{
	aml_bytes(a, &b, 1);
}

static void aml_le(struct aml *a, uint64_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		aml_byte(a, v >> (8 * i));
}

static void aml_integer(struct aml *a, uint64_t v)
{
	if (v == 0) {
		aml_byte(a, AML_ZERO);
	} else if (v == 1) {
		aml_byte(a, AML_ONE);
	} else if (v <= 0xff) {
		aml_byte(a, AML_BYTE);
		aml_le(a, v, 1);
	} else if (v <= 0xffff) {
		aml_byte(a, AML_WORD);
		aml_le(a, v, 2);
	} else if (v <= 0xffffffff) {
		aml_byte(a, AML_DWORD);
		aml_le(a, v, 4);
	} else {
		aml_byte(a, AML_QWORD);
		aml_le(a, v, 8);
	}
}

static void aml_string(struct aml *a, const char *s)
{
	aml_byte(a, AML_STRING);
	aml_bytes(a, s, strlen(s) + 1);
}

/* A NameSeg of exactly 4 characters, optionally rooted ("\\_SB_"). */
static void aml_name(struct aml *a, const char *name)
{
	if (name[0] == AML_ROOT) {
		aml_byte(a, AML_ROOT);
		name++;
	}
	aml_bytes(a, name, 4);
}

/* An EISA ID ("PNP0A03") as its compressed 32-bit form. */
static void aml_eisaid(struct aml *a, const char *id)
{
	uint16_t vendor = ((id[0] - 0x40) & 0x1f) << 10 |
			  ((id[1] - 0x40) & 0x1f) << 5 |
			  ((id[2] - 0x40) & 0x1f);
	uint8_t b[4];
	unsigned int product = 0;

	for (int i = 3; i < 7; i++) {
		char c = id[i];

		product = product << 4 |
			  (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	b[0] = vendor >> 8;
	b[1] = vendor;
	b[2] = product >> 8;
	b[3] = product;
	aml_byte(a, AML_DWORD);
	aml_bytes(a, b, 4);
}

/* Start an object with a PkgLength; returns where its contents begin. */
static size_t aml_pkg_begin(struct aml *a)
{
	return a->pos;
}

/*
 * Close it: the PkgLength counts itself, so its size depends on the total;
 * the contents move up to make room for it.
 */
static void aml_pkg_end(struct aml *a, size_t start)
{
	size_t body, total, n;
	uint8_t enc[4];

	if (a->overflow)
		return;
	body = a->pos - start;
	if (body + 1 < 0x40)
		n = 1;
	else if (body + 2 < 0x1000)
		n = 2;
	else if (body + 3 < 0x100000)
		n = 3;
	else
		n = 4;
	total = body + n;
	if (total >= 0x10000000 || a->cap - a->pos < n) {
		a->overflow = true;
		return;
	}
	if (n == 1) {
		enc[0] = total;
	} else {
		enc[0] = (n - 1) << 6 | (total & 0xf);
		for (size_t i = 1; i < n; i++)
			enc[i] = total >> (4 + 8 * (i - 1));
	}
	memmove(a->buf + start + n, a->buf + start, body);
	memcpy(a->buf + start, enc, n);
	a->pos += n;
}

static size_t aml_scope_begin(struct aml *a, const char *name)
{
	size_t start;

	aml_byte(a, AML_SCOPE);
	start = aml_pkg_begin(a);
	aml_name(a, name);
	return start;
}

static size_t aml_device_begin(struct aml *a, const char *name)
{
	size_t start;

	aml_byte(a, AML_EXT);
	aml_byte(a, AML_EXT_DEVICE);
	start = aml_pkg_begin(a);
	aml_name(a, name);
	return start;
}

/* Name (name, ...): the object that follows is its value. */
static void aml_name_decl(struct aml *a, const char *name)
{
	aml_byte(a, AML_NAME);
	aml_name(a, name);
}

static void aml_name_integer(struct aml *a, const char *name, uint64_t v)
{
	aml_name_decl(a, name);
	aml_integer(a, v);
}

static void aml_name_eisaid(struct aml *a, const char *name, const char *id)
{
	aml_name_decl(a, name);
	aml_eisaid(a, id);
}

static void aml_name_string(struct aml *a, const char *name, const char *str)
{
	aml_name_decl(a, name);
	aml_string(a, str);
}

/* Package (n) { ...: close it with aml_pkg_end(). */
static size_t aml_package_begin(struct aml *a, uint8_t nelem)
{
	size_t start;

	aml_byte(a, AML_PACKAGE);
	start = aml_pkg_begin(a);
	aml_byte(a, nelem);
	return start;
}

/* Name (name, ResourceTemplate () { res }) with its end tag. */
static void aml_name_resources(struct aml *a, const char *name,
			       const uint8_t *res, size_t n)
{
	static const uint8_t end_tag[2] = { 0x79, 0x00 };
	size_t start;

	aml_name_decl(a, name);
	aml_byte(a, AML_BUFFER);
	start = aml_pkg_begin(a);
	aml_integer(a, n + sizeof(end_tag));
	aml_bytes(a, res, n);
	aml_bytes(a, end_tag, sizeof(end_tag));
	aml_pkg_end(a, start);
}

/* Resource descriptors (ACPI 6.0 section 6.4). */
#define RES_IO			0x47	/* small, 7 bytes */
#define RES_IRQ_NOFLAGS		0x22	/* small, 2 bytes */
#define RES_DWORD_ADDR		0x87	/* large */
#define RES_WORD_ADDR		0x88	/* large */
#define RES_TYPE_MEM		0
#define RES_TYPE_IO		1
#define RES_TYPE_BUS		2
#define RES_MIN_MAX_FIXED	0x0c	/* producer, positive decode */
#define RES_IO_ENTIRE_RANGE	0x03
#define RES_MEM_RW		0x01	/* non-cacheable, read-write */

static size_t res_io(uint8_t *p, uint16_t base, uint8_t align, uint8_t len)
{
	p[0] = RES_IO;
	p[1] = 1;				/* 16-bit decode */
	put16(p + 2, base);
	put16(p + 4, base);
	p[6] = align;
	p[7] = len;
	return 8;
}

static size_t res_irq(uint8_t *p, unsigned int irq)
{
	p[0] = RES_IRQ_NOFLAGS;
	put16(p + 1, 1u << irq);
	return 3;
}

static size_t res_word(uint8_t *p, uint8_t type, uint8_t type_flags,
		       uint16_t min, uint16_t max)
{
	p[0] = RES_WORD_ADDR;
	put16(p + 1, 13);
	p[3] = type;
	p[4] = RES_MIN_MAX_FIXED;
	p[5] = type_flags;
	put16(p + 6, 0);			/* granularity */
	put16(p + 8, min);
	put16(p + 10, max);
	put16(p + 12, 0);			/* translation */
	put16(p + 14, max - min + 1);
	return 16;
}

static size_t res_dword_mem(uint8_t *p, uint32_t min, uint32_t max)
{
	p[0] = RES_DWORD_ADDR;
	put16(p + 1, 23);
	p[3] = RES_TYPE_MEM;
	p[4] = RES_MIN_MAX_FIXED;
	p[5] = RES_MEM_RW;
	put32(p + 6, 0);
	put32(p + 10, min);
	put32(p + 14, max);
	put32(p + 18, 0);
	put32(p + 22, max - min + 1);
	return 26;
}

/* One _PRT entry: Package () { address, pin, source, source index }. */
static void dsdt_prt_entry(struct aml *a, unsigned int slot, unsigned int pin)
{
	size_t pkg = aml_package_begin(a, 4);

	aml_integer(a, (uint64_t)slot << 16 | 0xffff);	/* any function */
	aml_integer(a, pin);				/* 0 = INTA# */
	aml_integer(a, 0);		/* no link device: the index is a GSI */
	aml_integer(a, pci_intx_gsi(slot, pin + 1));
	aml_pkg_end(a, pkg);
}

/*
 * Where each slot's INTA#-INTD# arrive: fixed GSIs, from the routing
 * hw/pci.c itself uses, so an OS never has to guess at a swizzle.
 */
static void dsdt_prt(struct aml *a)
{
	size_t pkg;

	aml_name_decl(a, "_PRT");
	pkg = aml_package_begin(a, PCI_SLOTS * 4);
	for (unsigned int slot = 0; slot < PCI_SLOTS; slot++)
		for (unsigned int pin = 0; pin < 4; pin++)
			dsdt_prt_entry(a, slot, pin);
	aml_pkg_end(a, pkg);
}

/* \_SB.PCI0: the host bridge, the windows it decodes, its INTx routing. */
static void dsdt_pci0(struct aml *a, bool prt)
{
	uint8_t res[128];
	size_t n = 0, dev;

	dev = aml_device_begin(a, "PCI0");
	aml_name_eisaid(a, "_HID", "PNP0A03");
	aml_name_integer(a, "_ADR", 0);
	aml_name_integer(a, "_UID", 0);
	aml_name_integer(a, "_BBN", 0);
	n += res_word(res + n, RES_TYPE_BUS, 0, 0x00, 0xff);
	n += res_io(res + n, PCI_CONFIG_ADDR_PORT, 1, 8);
	n += res_word(res + n, RES_TYPE_IO, RES_IO_ENTIRE_RANGE, 0x0000,
		      0x0cf7);
	n += res_word(res + n, RES_TYPE_IO, RES_IO_ENTIRE_RANGE, 0x0d00,
		      0xffff);
	n += res_dword_mem(res + n, MEM_PCI_MMIO_BASE, MEM_PCI_MMIO_END - 1);
	aml_name_resources(a, "_CRS", res, n);
	if (prt)
		dsdt_prt(a);
	aml_pkg_end(a, dev);
}

/*
 * Device (name) { _HID, [_UID,] _CRS }: an ISA device by its EISA ID, with
 * the resources its model registers.  uid 0: none (one of a kind).
 */
static void dsdt_isa_device(struct aml *a, const char *name, const char *hid,
			    unsigned int uid, const uint8_t *res, size_t n)
{
	size_t dev = aml_device_begin(a, name);

	aml_name_eisaid(a, "_HID", hid);
	if (uid)
		aml_name_integer(a, "_UID", uid);
	aml_name_resources(a, "_CRS", res, n);
	aml_pkg_end(a, dev);
}

static void dsdt_com1(struct aml *a)
{
	uint8_t res[16];
	size_t n = 0;

	n += res_io(res + n, UART_COM1_BASE, 0, 8);
	n += res_irq(res + n, UART_COM1_IRQ);
	dsdt_isa_device(a, "COM1", "PNP0501", 1, res, n);
}

/* The CMOS RTC, so the OS's PNP RTC driver claims it with its IRQ. */
static void dsdt_rtc(struct aml *a)
{
	uint8_t res[16];
	size_t n = 0;

	n += res_io(res + n, RTC_IO_BASE, 1, 2);
	n += res_irq(res + n, RTC_IRQ);
	dsdt_isa_device(a, "RTC_", "PNP0B00", 0, res, n);
}

/* The i8042's two ports: the keyboard (IRQ 1) and the mouse (IRQ 12). */
static void dsdt_i8042(struct aml *a)
{
	uint8_t res[24];
	size_t n = 0;

	n += res_io(res + n, I8042_DATA_PORT, 1, 1);
	n += res_io(res + n, I8042_CMD_PORT, 1, 1);
	n += res_irq(res + n, I8042_KBD_IRQ);
	dsdt_isa_device(a, "KBD_", "PNP0303", 0, res, n);
	n = res_irq(res, I8042_AUX_IRQ);
	dsdt_isa_device(a, "MOU_", "PNP0F13", 0, res, n);
}

/* QEMU0002: how Linux's qemu_fw_cfg driver finds the ports. */
static void dsdt_fw_cfg(struct aml *a)
{
	uint8_t res[16];
	size_t n = 0, dev;

	dev = aml_device_begin(a, "FWCF");
	aml_name_string(a, "_HID", "QEMU0002");
	/* Present and working, but not for a user interface to show. */
	aml_name_integer(a, "_STA", 0x0b);
	n += res_io(res + n, FW_CFG_PORT_SEL, 1, 0x0c);
	aml_name_resources(a, "_CRS", res, n);
	aml_pkg_end(a, dev);
}

/* Processor devices, so the OS's processor driver can match MADT UIDs. */
static void dsdt_cpus(struct aml *a, unsigned int ncpus)
{
	static const char hex[] = "0123456789ABCDEF";

	for (unsigned int i = 0; i < ncpus; i++) {
		char name[5] = { 'C', hex[(i >> 8) & 0xf], hex[(i >> 4) & 0xf],
				 hex[i & 0xf], 0 };
		size_t dev = aml_device_begin(a, name);

		aml_name_string(a, "_HID", "ACPI0007");
		aml_name_integer(a, "_UID", i);
		aml_pkg_end(a, dev);
	}
}

/* Name (\_Sx_, Package () { SLP_TYPa, SLP_TYPb, 0, 0 }) */
static void dsdt_sleep_state(struct aml *a, const char *name, unsigned int typ)
{
	size_t pkg;

	aml_name_decl(a, name);
	pkg = aml_package_begin(a, 4);
	aml_integer(a, typ);
	aml_integer(a, typ);
	aml_integer(a, 0);
	aml_integer(a, 0);
	aml_pkg_end(a, pkg);
}

int acpi_build_dsdt(uint8_t *buf, size_t len, const struct acpi_machine *m)
{
	struct aml a = { .buf = buf, .cap = len, .pos = ACPI_HEADER_LEN };
	size_t sb;

	if (m->ncpus == 0 || m->ncpus > CONFIG_MAX_CPUS)
		return -EINVAL;
	if (len < ACPI_HEADER_LEN)
		return -ENOSPC;
	memset(buf, 0, ACPI_HEADER_LEN);
	/* S3, suspend to RAM: the guest wakes on its RTC alarm. */
	dsdt_sleep_state(&a, "_S3_", ACPI_SLP_TYP_S3);
	dsdt_sleep_state(&a, "_S5_", ACPI_SLP_TYP_S5);
	sb = aml_scope_begin(&a, "_SB_");
	dsdt_pci0(&a, m->pci_irqs != 0);
	if (m->com1)
		dsdt_com1(&a);
	if (m->rtc)
		dsdt_rtc(&a);
	if (m->i8042)
		dsdt_i8042(&a);
	if (m->fw_cfg)
		dsdt_fw_cfg(&a);
	dsdt_cpus(&a, m->ncpus);
	aml_pkg_end(&a, sb);
	if (a.overflow)
		return -ENOSPC;
	/* Revision 2: 64-bit AML integers. */
	acpi_header(buf, "DSDT", a.pos, 2);
	acpi_finish(buf, a.pos);
	return a.pos;
}

/* Place the next table at *off, 64-byte aligned (FACS needs it). */
static uint8_t *acpi_alloc(uint8_t *buf, size_t len, size_t *off)
{
	*off = (*off + 63) & ~(size_t)63;
	return *off <= len ? buf + *off : NULL;
}

#define ACPI_PLACE(field, call)                                         \
	do {                                                            \
		uint8_t *_p = acpi_alloc(buf, len, &off);               \
		int _n;                                                 \
                                                                        \
		if (!_p)                                                \
			return -ENOSPC;                                 \
		lay.field = base + off;                                 \
		_n = (call);                                            \
		if (_n < 0)                                             \
			return _n;                                      \
		off += _n;                                              \
	} while (0)

int acpi_build_tables(uint8_t *buf, size_t len, uint64_t base,
		      const struct acpi_machine *m, struct acpi_layout *out)
{
	struct acpi_layout lay = { .rsdp = base };
	uint64_t entries[2];
	size_t off = ACPI_RSDP_LEN;
	uint8_t *rsdp = buf;

	if (base & 15 || base + len > UINT32_MAX)
		return -EINVAL;
	if (len < ACPI_RSDP_LEN)
		return -ENOSPC;
	/* FACS and DSDT first: the FADT points at them. */
	ACPI_PLACE(facs, acpi_build_facs(_p, len - off));
	ACPI_PLACE(dsdt, acpi_build_dsdt(_p, len - off, m));
	ACPI_PLACE(fadt, acpi_build_fadt(_p, len - off, lay.facs, lay.dsdt,
					 m->ncpus));
	ACPI_PLACE(madt, acpi_build_madt(_p, len - off, m));
	entries[0] = lay.fadt;
	entries[1] = lay.madt;
	ACPI_PLACE(xsdt, acpi_build_xsdt(_p, len - off, entries, 2));
	ACPI_PLACE(rsdt, acpi_build_rsdt(_p, len - off, entries, 2));
	acpi_build_rsdp(rsdp, ACPI_RSDP_LEN, lay.rsdt, lay.xsdt);
	lay.size = off;
	if (out)
		*out = lay;
	return off;
}

static int acpi_tables_write(struct vm *vm)
{
	struct acpi_machine m = {
		.ncpus = vm->ncpus,
		/* Describe what the devices realized, not what was asked. */
		.com1 = bus_find(&pio_bus, UART_COM1_BASE) != NULL,
		.fw_cfg = bus_find(&pio_bus, FW_CFG_PORT_SEL) != NULL,
		.rtc = bus_find(&pio_bus, RTC_IO_BASE) != NULL,
		.i8042 = bus_find(&pio_bus, I8042_DATA_PORT) != NULL,
		/* The PCI host bridge's INTx lines, as hw/pci.c routes them. */
		.pci_irqs = bus_find(&pio_bus, PCI_CONFIG_DATA_PORT) ?
			    1u << PCI_INTX_GSI_LOW | 1u << PCI_INTX_GSI_HIGH : 0,
	};
	struct acpi_layout lay;
	uint8_t *area;
	int ret;

	area = gpa_to_hva(vm->mem, LAYOUT_ACPI, LAYOUT_ACPI_SIZE);
	if (!area) {
		log_error("ACPI: guest RAM does not cover 0x%llx-0x%llx; give the guest at least 1 MiB",
			  LAYOUT_ACPI, LAYOUT_ACPI + LAYOUT_ACPI_SIZE - 1);
		return -EINVAL;
	}
	memset(area, 0, LAYOUT_ACPI_SIZE);
	ret = acpi_build_tables(area, LAYOUT_ACPI_SIZE, LAYOUT_ACPI, &m, &lay);
	if (ret < 0) {
		log_error("ACPI: cannot build the tables for %u CPUs: %s",
			  m.ncpus, strerror(-ret));
		return ret;
	}
	vm->rsdp_gpa = lay.rsdp;
	vm->facs_gpa = lay.facs;
	return 0;
}

static int acpi_tables_realize(struct vm *vm)
{
	int ret = acpi_tables_write(vm);

	if (ret)
		return ret;
	/* For guests that look for it there (no table-loader: a plain copy). */
	ret = fw_cfg_add_file("etc/acpi/rsdp", gpa_to_hva(vm->mem, vm->rsdp_gpa,
							   ACPI_RSDP_LEN),
			      ACPI_RSDP_LEN);
	if (ret && ret != -EEXIST) {
		log_error("ACPI: cannot add etc/acpi/rsdp to fw_cfg: %s",
			  strerror(-ret));
		return ret;
	}
	return 0;
}

/* RAM survives a reset, and the guest may have scribbled on the tables. */
static void acpi_tables_reset(struct vm *vm)
{
	acpi_tables_write(vm);
}

static void acpi_tables_teardown(struct vm *vm)
{
	vm->rsdp_gpa = 0;
	vm->facs_gpa = 0;
}

const struct device_ops acpi_tables_device = {
	.name = "acpi-tables",
	.order = DEVICE_ORDER_FIRMWARE,
	.realize = acpi_tables_realize,
	.reset = acpi_tables_reset,
	.teardown = acpi_tables_teardown,
};
DEVICE_REGISTER(acpi_tables_device);
