/* ACPI table lookup: RSDP (PVH pointer or BIOS-area scan), then XSDT or RSDT. */
#include "guest.h"

#define MAPPED_LIMIT	(8ULL << 30)

struct acpi_rsdp {
	char sig[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t ext_checksum;
	uint8_t reserved[3];
} __attribute__((packed));

bool acpi_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

static bool rsdp_ok(uint64_t addr)
{
	const struct acpi_rsdp *r = (const void *)addr;

	if (memcmp(r->sig, "RSD PTR ", 8) || !acpi_checksum_ok(r, 20))
		return false;
	return r->revision < 2 ||
	       (r->length >= sizeof(*r) && r->length < 4096 && acpi_checksum_ok(r, r->length));
}

static uint64_t scan(uint64_t start, uint64_t end)
{
	for (uint64_t p = start; p + sizeof(struct acpi_rsdp) <= end; p += 16) {
		if (rsdp_ok(p))
			return p;
	}
	return 0;
}

uint64_t acpi_find_rsdp(void)
{
	uint64_t p = boot_rsdp();
	uint64_t ebda;

	if (p) {
		if (p < MAPPED_LIMIT && rsdp_ok(p))
			return p;
		printf("%s: PVH rsdp_paddr 0x%lx holds no valid RSDP; scanning\n", test_name, p);
	}
	ebda = (uint64_t)*(volatile uint16_t *)0x40e << 4;
	if (ebda >= 0x80000 && ebda < 0xa0000) {
		p = scan(ebda, ebda + 1024);
		if (p)
			return p;
	}
	return scan(0xe0000, 0x100000);
}

static const struct acpi_header *checked_table(uint64_t addr)
{
	const struct acpi_header *h = (const void *)addr;

	if (!addr || addr >= MAPPED_LIMIT - sizeof(*h))
		return NULL;
	if (h->length < sizeof(*h) || h->length > MAPPED_LIMIT - addr)
		return NULL;
	if (!acpi_checksum_ok(h, h->length)) {
		printf("%s: ACPI table %.4s at 0x%lx has a bad checksum\n", test_name, h->sig,
		       addr);
		return NULL;
	}
	return h;
}

struct acpi_header *acpi_find_table(const char *sig, int n)
{
	const struct acpi_rsdp *r = (const void *)acpi_find_rsdp();
	const struct acpi_header *root;
	unsigned int width, count;

	if (!r)
		return NULL;
	if (r->revision >= 2 && r->xsdt) {
		root = checked_table(r->xsdt);
		width = 8;
	} else {
		root = checked_table(r->rsdt);
		width = 4;
	}
	if (!root)
		return NULL;
	count = (root->length - sizeof(*root)) / width;
	for (unsigned int i = 0; i < count; i++) {
		const uint8_t *e = (const uint8_t *)(root + 1) + i * width;
		uint64_t addr = 0;
		const struct acpi_header *h;

		memcpy(&addr, e, width);
		h = checked_table(addr);
		if (h && !memcmp(h->sig, sig, 4) && n-- == 0)
			return (struct acpi_header *)h;
	}
	return NULL;
}

struct acpi_header *acpi_dsdt(void)
{
	const uint8_t *fadt = (const void *)acpi_find_table("FACP", 0);
	const struct acpi_header *h = (const void *)fadt;
	uint64_t addr = 0;
	uint32_t dsdt32;

	if (!fadt)
		return NULL;
	if (h->length >= 148)
		memcpy(&addr, fadt + 140, 8);
	if (!addr) {
		memcpy(&dsdt32, fadt + 40, 4);
		addr = dsdt32;
	}
	h = checked_table(addr);
	if (h && memcmp(h->sig, "DSDT", 4))
		return NULL;
	return (struct acpi_header *)h;
}

#define AML_NAME_OP	0x08
#define AML_PACKAGE_OP	0x12
#define AML_ZERO	0x00
#define AML_ONE		0x01
#define AML_BYTE_PREFIX	0x0a
#define AML_WORD_PREFIX	0x0b
#define AML_DWORD_PREFIX 0x0c

/* One AML integer: Zero, One, or a Byte/Word/DWord constant. */
static int aml_integer(const uint8_t *p, const uint8_t *end, uint32_t *val)
{
	if (p >= end)
		return -1;
	switch (*p) {
	case AML_ZERO:
		*val = 0;
		return 1;
	case AML_ONE:
		*val = 1;
		return 1;
	case AML_BYTE_PREFIX:
		if (p + 2 > end)
			return -1;
		*val = p[1];
		return 2;
	case AML_WORD_PREFIX:
		if (p + 3 > end)
			return -1;
		*val = p[1] | p[2] << 8;
		return 3;
	case AML_DWORD_PREFIX:
		if (p + 5 > end)
			return -1;
		*val = p[1] | p[2] << 8 | p[3] << 16 | (uint32_t)p[4] << 24;
		return 5;
	}
	return -1;
}

bool acpi_sleep_type(const struct acpi_header *dsdt, const char *name,
		     uint32_t *typ_a)
{
	const uint8_t *start = (const uint8_t *)dsdt, *end = start + dsdt->length;

	for (const uint8_t *p = start + sizeof(*dsdt); p + 4 < end; p++) {
		const uint8_t *q = p + 4;
		unsigned int pkglen_bytes;

		if (memcmp(p, name, 4))
			continue;
		/* NameOp, optionally followed by the root prefix '\'. */
		if (!(p[-1] == AML_NAME_OP || (p[-1] == '\\' && p[-2] == AML_NAME_OP)))
			continue;
		if (q >= end || *q != AML_PACKAGE_OP)
			continue;
		q++;
		if (q >= end)
			break;
		pkglen_bytes = (*q >> 6) + 1;
		q += pkglen_bytes + 1;		/* PkgLength, NumElements */
		if (aml_integer(q, end, typ_a) < 0)
			fail("\\%s at DSDT offset 0x%lx: SLP_TYPa is not an integer constant",
			     name, (unsigned long)(p - start));
		return true;
	}
	return false;
}
