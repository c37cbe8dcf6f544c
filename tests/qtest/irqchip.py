"""Helpers for the PIC, IOAPIC and PIT tests (and device tests that route
their interrupts through them)."""

IOAPIC_BASE = 0xfec00000
IOREGSEL = IOAPIC_BASE
IOWIN = IOAPIC_BASE + 0x10
IOAPIC_EOI = IOAPIC_BASE + 0x40

RTE_LEVEL = 1 << 15
RTE_MASKED = 1 << 16
RTE_REMOTE_IRR = 1 << 14
RTE_LOGICAL = 1 << 11

MSI_ASSERT = 1 << 14
MSI_LEVEL = 1 << 15

PIT_FREQ = 1193182


def ioapic_read(qt, reg):
    qt.writel(IOREGSEL, reg)
    return qt.readl(IOWIN)


def ioapic_write(qt, reg, value):
    qt.writel(IOREGSEL, reg)
    qt.writel(IOWIN, value)


def ioapic_rte(qt, pin):
    return ioapic_read(qt, 0x10 + 2 * pin) | ioapic_read(qt, 0x11 + 2 * pin) << 32


def ioapic_set_rte(qt, pin, vector, *, level=False, masked=False, dest=0,
                   logical=False, delivery=0):
    lo = vector | delivery << 8 | (RTE_LOGICAL if logical else 0)
    lo |= (RTE_LEVEL if level else 0) | (RTE_MASKED if masked else 0)
    ioapic_write(qt, 0x11 + 2 * pin, dest << 24)
    ioapic_write(qt, 0x10 + 2 * pin, lo)


def msi(vector, *, dest=0, level=False, logical=False, delivery=0):
    """The (address, data) an IOAPIC pin sends, as kvmrun encodes it."""
    addr = 0xfee00000 | dest << 12 | (4 if logical else 0)
    data = vector | delivery << 8 | MSI_ASSERT | (MSI_LEVEL if level else 0)
    return (addr, data)


def pic_init(qt, master_base=0x20, slave_base=0x28, auto_eoi=False):
    """The usual BIOS/Linux initialization, all inputs unmasked."""
    icw4 = 0x01 | (0x02 if auto_eoi else 0)
    qt.outb(0x20, 0x11)
    qt.outb(0x21, master_base)
    qt.outb(0x21, 0x04)
    qt.outb(0x21, icw4)
    qt.outb(0xa0, 0x11)
    qt.outb(0xa1, slave_base)
    qt.outb(0xa1, 0x02)
    qt.outb(0xa1, icw4)
    qt.outb(0x21, 0x00)
    qt.outb(0xa1, 0x00)


def pic_irr(qt, base=0x20):
    qt.outb(base, 0x0a)
    return qt.inb(base)


def pic_isr(qt, base=0x20):
    qt.outb(base, 0x0b)
    return qt.inb(base)


def pic_poll(qt, base=0x20):
    qt.outb(base, 0x0c)
    return qt.inb(base)


def pit_ns(ticks):
    """The first VM-clock ns at which the PIT has counted `ticks`."""
    return -(-ticks * 10**9 // PIT_FREQ)
