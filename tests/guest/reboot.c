/*
 * Reset and come back.  The first boot leaves a marker in RAM outside the
 * image (RAM survives a reset, as on a PC) and asks for a reset by the
 * method named by "method=": fadt (the FADT reset register), cf9 (0x06 to
 * port 0xcf9), kbd (i8042 command 0xfe) or triple (a triple fault).  The
 * second boot finds the marker, clears it and passes.  Under -no-reboot the
 * VMM must exit (status 0) at the first reset request instead.
 */
#include "guest.h"

TEST_NAME("reboot");

/* Below 4 MiB, above every image (guest.ld checks), below any firmware. */
#define MARKER_ADDR	0x3ff000
#define MARKER_MAGIC	0x746f6f6265526b4bULL	/* "KkReboot" */

struct marker {
	uint64_t magic;
	uint64_t boots;
	char method[16];
};

static void reset_fadt(void)
{
	const struct acpi_header *h = acpi_find_table("FACP", 0);
	const uint8_t *fadt = (const void *)h;
	struct acpi_gas reg;
	uint32_t flags;
	uint8_t val;

	if (!fadt)
		fail("no FADT (ACPI \"FACP\" table)");
	if (h->length < 129)
		fail("FADT (revision %u, %u bytes) has no RESET_REG", h->revision, h->length);
	memcpy(&flags, fadt + 112, 4);
	memcpy(&reg, fadt + 116, sizeof(reg));
	val = fadt[128];
	if (!(flags & (1u << 10)))
		fail("FADT flags 0x%x lack RESET_REG_SUP", flags);
	printf("  reset: FADT RESET_REG space %u address 0x%lx value 0x%x\n", reg.space,
	       reg.address, val);
	switch (reg.space) {
	case 0:
		if (!reg.address || reg.address >= (8ULL << 30))
			fail("RESET_REG memory address 0x%lx is not mapped", reg.address);
		*(volatile uint8_t *)reg.address = val;
		break;
	case 1:
		if (reg.address > 0xffff)
			fail("RESET_REG port 0x%lx is out of range", reg.address);
		outb((uint16_t)reg.address, val);
		break;
	case 2:
		/* PCI config space: device in bits 32-47, function 16-31, offset 0-15 */
		pci_write32(0, (reg.address >> 32) & 0x1f, (reg.address >> 16) & 7,
			    reg.address & 0xfc,
			    (pci_read32(0, (reg.address >> 32) & 0x1f, (reg.address >> 16) & 7,
					reg.address & 0xfc) &
			     ~(0xffu << (8 * (reg.address & 3)))) |
				    (uint32_t)val << (8 * (reg.address & 3)));
		break;
	default:
		fail("RESET_REG is in address space %u", reg.space);
	}
}

static void reset_kbd(void)
{
	for (int i = 0; i < 10000 && (inb(0x64) & 2); i++)
		io_delay();
	outb(0x64, 0xfe);
}

static void reset_triple(void)
{
	trap_kill_idt();
	asm volatile("ud2");
}

void test_main(void)
{
	volatile struct marker *m = (volatile struct marker *)MARKER_ADDR;
	char method[16];

	if (m->magic == MARKER_MAGIC) {
		printf("  second boot: marker found (reset by %s)\n", (const char *)m->method);
		m->magic = 0;
		pass();
	}
	if (!cmdline_get("method", method, sizeof(method)))
		fail("no method=fadt|cf9|kbd|triple on the command line (\"%s\")", cmdline());
	m->boots = 1;
	memcpy((void *)m->method, method, sizeof(method));
	m->magic = MARKER_MAGIC;

	printf("  first boot: resetting via %s\n", method);
	if (!strncmp(method, "fadt", sizeof(method)))
		reset_fadt();
	else if (!strncmp(method, "cf9", sizeof(method)))
		outb(0xcf9, 0x06);
	else if (!strncmp(method, "kbd", sizeof(method)))
		reset_kbd();
	else if (!strncmp(method, "triple", sizeof(method)))
		reset_triple();
	else
		fail("unknown reset method \"%s\"", method);
	udelay(100000);
	m->magic = 0;
	fail("still running 100 ms after the %s reset request", method);
}
