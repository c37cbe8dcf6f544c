"""The user-space IOAPIC under qtest: registers, redirection table, and the
MSI-format messages it sends (seen with "irq_intercept_out ioapic": without
a CPU no local APIC takes them, so qtest reports each as "IRQ msi A D")."""
from irqchip import (IOAPIC_EOI, RTE_LEVEL, RTE_MASKED, RTE_REMOTE_IRR,
                     ioapic_read, ioapic_rte, ioapic_set_rte, ioapic_write,
                     msi)


def test_identification_registers(qtest):
    qt = qtest()
    assert ioapic_read(qt, 0x01) == 0x00170020      # 24 pins, version 0x20
    assert ioapic_read(qt, 0x00) == 1 << 24         # after the one CPU
    ioapic_write(qt, 0x00, 0xffffffff)
    assert ioapic_read(qt, 0x00) == 0x0f000000      # the ID is bits 27:24
    ioapic_write(qt, 0x01, 0)                       # read-only
    assert ioapic_read(qt, 0x01) == 0x00170020
    assert ioapic_read(qt, 0x02) == 0x0f000000      # arbitration ID
    assert ioapic_read(qt, 0x03) == 0
    assert ioapic_read(qt, 0x40) == 0               # past the table
    qt.writel(0xfec00000, 0x12)
    assert qt.readl(0xfec00000) == 0x12             # IOREGSEL reads back


def test_redirection_table(qtest):
    qt = qtest()
    for pin in range(24):
        assert ioapic_rte(qt, pin) == RTE_MASKED    # power-on: all masked
    ioapic_write(qt, 0x10 + 2 * 5, 0xffffffff)
    ioapic_write(qt, 0x11 + 2 * 5, 0xffffffff)
    # Delivery status and remote IRR are read-only; reserved bits stay 0.
    assert ioapic_rte(qt, 5) == 0xff000000_0001afff
    # Sub-dword writes to IOWIN are ignored.
    qt.writel(0xfec00000, 0x10 + 2 * 6)
    qt.writeb(0xfec00010, 0x55)
    assert ioapic_rte(qt, 6) == RTE_MASKED


def test_edge_pin_sends_one_message_per_rising_edge(qtest):
    qt = qtest()
    qt.irq_intercept_out("ioapic")
    ioapic_set_rte(qt, 4, 0x31, dest=1)
    qt.set_irq_in("ioapic", 4, 1)
    assert qt.msis == [msi(0x31, dest=1)]
    qt.set_irq_in("ioapic", 4, 1)       # still high: no edge
    qt.set_irq_in("ioapic", 4, 0)
    assert len(qt.msis) == 1
    qt.set_irq_in("ioapic", 4, 1)
    assert qt.msis == [msi(0x31, dest=1)] * 2


def test_masked_edge_is_lost(qtest):
    qt = qtest()
    qt.irq_intercept_out("ioapic")
    ioapic_set_rte(qt, 7, 0x40, masked=True)
    qt.set_irq_in("ioapic", 7, 1)
    ioapic_set_rte(qt, 7, 0x40)
    qt.set_irq_in("ioapic", 7, 0)
    assert qt.msis == []


def test_level_pin_remote_irr_and_eoi(qtest):
    qt = qtest()
    qt.irq_intercept_out("ioapic")
    ioapic_set_rte(qt, 9, 0x41, level=True, dest=2)
    qt.set_irq_in("ioapic", 9, 1)
    assert qt.msis == [msi(0x41, dest=2, level=True)]
    assert ioapic_rte(qt, 9) & RTE_REMOTE_IRR
    qt.set_irq_in("ioapic", 9, 1)       # awaiting EOI: nothing new
    assert len(qt.msis) == 1
    qt.writel(IOAPIC_EOI, 0x42)         # another vector's EOI
    assert len(qt.msis) == 1
    qt.writel(IOAPIC_EOI, 0x41)         # still asserted: sent again
    assert qt.msis == [msi(0x41, dest=2, level=True)] * 2
    qt.set_irq_in("ioapic", 9, 0)
    qt.writel(IOAPIC_EOI, 0x41)
    assert len(qt.msis) == 2
    assert not ioapic_rte(qt, 9) & RTE_REMOTE_IRR


def test_level_pin_masked_then_unmasked(qtest):
    qt = qtest()
    qt.irq_intercept_out("ioapic")
    ioapic_set_rte(qt, 10, 0x50, level=True, masked=True)
    qt.set_irq_in("ioapic", 10, 1)
    assert qt.msis == []
    ioapic_set_rte(qt, 10, 0x50, level=True)
    assert qt.msis == [msi(0x50, level=True)]
    # Switching the pin to edge drops its remote IRR.
    ioapic_set_rte(qt, 10, 0x50, level=False, masked=True)
    assert ioapic_rte(qt, 10) & ~RTE_MASKED == 0x50


def test_input_0_is_wired_to_pin_2(qtest):
    qt = qtest()
    qt.irq_intercept_out("ioapic")
    ioapic_set_rte(qt, 0, 0x60)
    ioapic_set_rte(qt, 2, 0x62)
    qt.set_irq_in("ioapic", 0, 1)
    assert qt.msis == [msi(0x62)]


def test_message_format(qtest):
    qt = qtest()
    qt.irq_intercept_out("ioapic")
    ioapic_set_rte(qt, 3, 0xec, logical=True, dest=0x0f, delivery=1)
    qt.set_irq_in("ioapic", 3, 1)
    assert qt.msis == [(0xfee0f004, 0x41ec)]
    ioapic_set_rte(qt, 11, 0x02, delivery=4, dest=0xff)     # NMI
    qt.set_irq_in("ioapic", 11, 1)
    assert qt.msis[-1] == (0xfeeff000, 0x4402)


def test_intercept_in_reports_and_still_delivers(qtest):
    qt = qtest()
    qt.irq_intercept_in("ioapic")
    qt.irq_intercept_out("ioapic")
    ioapic_set_rte(qt, 5, 0x35)
    qt.set_irq_in("ioapic", 5, 1)
    assert qt.irq_events == [(5, True)]
    assert qt.msis == [msi(0x35)]
    qt.set_irq_in("ioapic", 5, 0)
    assert qt.irq_events == [(5, True), (5, False)]
    # A second, different raise/lower interception is refused, as in QEMU.
    assert qt.raw_cmd("irq_intercept_out pic") == "FAIL IRQ intercept already enabled"
    assert qt.raw_cmd("irq_intercept_in ioapic") == "OK"
    assert qt.raw_cmd("irq_intercept_in /machine/ioapic") == "OK"


def test_unmasked_nothing_without_intercept(qtest):
    """Without irq_intercept_out the messages go nowhere (no CPU) — quietly."""
    qt = qtest()
    ioapic_set_rte(qt, 4, 0x31)
    qt.set_irq_in("ioapic", 4, 1)
    assert qt.msis == [] and qt.irq_events == []
    assert ioapic_rte(qt, 4) & RTE_LEVEL == 0
