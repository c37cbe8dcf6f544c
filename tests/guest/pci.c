/*
 * PCI configuration mechanism #1: the host bridge at 00:00.0 exists (vendor
 * not 0xffff) with class 06 subclass 00; CONFIG_ADDRESS reads back what was
 * written; bus 0 is listed for the log.
 */
#include "guest.h"

TEST_NAME("pci");

void test_main(void)
{
	uint32_t id = pci_read32(0, 0, 0, 0), class = pci_read32(0, 0, 0, 8);
	uint32_t addr;

	outl(0xcf8, 0x80000008);
	addr = inl(0xcf8);
	if (addr != 0x80000008)
		fail("CONFIG_ADDRESS (0xcf8) reads back 0x%08x after writing 0x80000008", addr);
	for (unsigned int dev = 0; dev < 32; dev++) {
		uint32_t v = pci_read32(0, dev, 0, 0);

		if ((v & 0xffff) == 0xffff)
			continue;
		printf("  00:%02x.0 %04x:%04x class %06x\n", dev, v & 0xffff, v >> 16,
		       pci_read32(0, dev, 0, 8) >> 8);
	}
	if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0)
		fail("no device at 00:00.0 (vendor/device 0x%08x)", id);
	if ((class >> 24) != 0x06 || ((class >> 16) & 0xff) != 0x00)
		fail("00:00.0 has class %02x subclass %02x; a host bridge is 06 00", class >> 24,
		     (class >> 16) & 0xff);
	if (pci_read32(0, 0, 1, 0) != 0xffffffff && pci_read32(0, 0, 1, 0) == id)
		fail("00:00.1 mirrors 00:00.0: the function number is ignored");
}
