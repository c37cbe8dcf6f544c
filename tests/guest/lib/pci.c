/* PCI configuration mechanism #1 and the fw_cfg I/O interface. */
#include "guest.h"

#define PCI_ADDR	0xcf8
#define PCI_DATA	0xcfc
#define FW_CFG_SEL	0x510
#define FW_CFG_DATA	0x511

static uint32_t pci_addr(unsigned int bus, unsigned int dev, unsigned int fn, unsigned int off)
{
	return 0x80000000u | (bus & 0xff) << 16 | (dev & 0x1f) << 11 | (fn & 7) << 8 |
	       (off & 0xfc);
}

uint32_t pci_read32(unsigned int bus, unsigned int dev, unsigned int fn, unsigned int off)
{
	outl(PCI_ADDR, pci_addr(bus, dev, fn, off));
	return inl(PCI_DATA);
}

void pci_write32(unsigned int bus, unsigned int dev, unsigned int fn, unsigned int off,
		 uint32_t v)
{
	outl(PCI_ADDR, pci_addr(bus, dev, fn, off));
	outl(PCI_DATA, v);
}

void fw_cfg_select(uint16_t key)
{
	outw(FW_CFG_SEL, key);
}

void fw_cfg_read(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len--)
		*p++ = inb(FW_CFG_DATA);
}
