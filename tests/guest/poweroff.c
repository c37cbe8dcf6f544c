/*
 * ACPI S5 power-off: FADT via RSDP/XSDT (or RSDT), SLP_TYPa from the DSDT's
 * \_S5_ package, then SLP_TYPa << 10 | SLP_EN to PM1a_CNT.  The VMM should
 * exit with status 0; if it does not, the guest reports FAIL.
 */
#include "guest.h"

TEST_NAME("poweroff");

#define SLP_EN		(1u << 13)
#define SCI_EN		1u
static uint32_t fadt_u32(const uint8_t *fadt, unsigned int off)
{
	uint32_t v;

	memcpy(&v, fadt + off, 4);
	return v;
}

/* Switches the platform to ACPI mode if the FADT says it is not in it. */
static void acpi_enable(const uint8_t *fadt, uint16_t pm1a_cnt)
{
	uint32_t smi_cmd = fadt_u32(fadt, 48);
	uint8_t enable = fadt[52];

	if ((inw(pm1a_cnt) & SCI_EN) || !smi_cmd || !enable)
		return;
	printf("  enabling ACPI: 0x%x to SMI_CMD 0x%x\n", enable, smi_cmd);
	outb((uint16_t)smi_cmd, enable);
	for (int i = 0; i < 300 && !(inw(pm1a_cnt) & SCI_EN); i++)
		udelay(1000);
}

void test_main(void)
{
	const struct acpi_header *fadt_h = acpi_find_table("FACP", 0);
	const uint8_t *fadt = (const void *)fadt_h;
	const struct acpi_header *dsdt;
	uint32_t pm1a_cnt, typ_a;

	if (!fadt)
		fail("no FADT (ACPI \"FACP\" table)");
	if (fadt_h->length < 116)
		fail("FADT is only %u bytes", fadt_h->length);
	pm1a_cnt = fadt_u32(fadt, 64);
	if (fadt_h->length >= 184) {
		struct acpi_gas g;

		memcpy(&g, fadt + 172, sizeof(g));
		if (g.address) {
			if (g.space != 1)
				fail("X_PM1a_CNT_BLK is in address space %u, not I/O", g.space);
			pm1a_cnt = (uint32_t)g.address;
		}
	}
	if (!pm1a_cnt || pm1a_cnt > 0xfffe)
		fail("FADT has no usable PM1a_CNT_BLK (0x%x)", pm1a_cnt);
	dsdt = acpi_dsdt();
	if (!dsdt)
		fail("no DSDT");
	if (!acpi_sleep_type(dsdt, "_S5_", &typ_a))
		fail("no \\_S5_ package in the DSDT");
	if (typ_a > 7)
		fail("\\_S5_ SLP_TYPa %u does not fit in 3 bits", typ_a);
	acpi_enable(fadt, (uint16_t)pm1a_cnt);
	printf("  poweroff: writing 0x%x (SLP_TYPa %u | SLP_EN) to PM1a_CNT 0x%x\n",
	       typ_a << 10 | SLP_EN, typ_a, pm1a_cnt);
	outw((uint16_t)pm1a_cnt, (uint16_t)(typ_a << 10 | SLP_EN));
	udelay(100000);
	fail("still running 100 ms after the S5 request");
}
