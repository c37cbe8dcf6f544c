"""isa-debug-exit and pc-testdev through qtest."""
import pytest

from irqchip import ioapic_set_rte, msi, pic_init, pic_poll


@pytest.mark.parametrize("args,port,value,status", [
    (["-device", "isa-debug-exit"], 0x501, 0, 1),
    (["-device", "isa-debug-exit"], 0x501, 1, 3),
    (["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"], 0xf4, 0x20, 0x41),
    (["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"], 0xf7, 0x7f, 0xff),
    (["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"], 0xf4, 0x80, 0x01),
])
def test_debug_exit_status(qtest, args, port, value, status):
    qt = qtest(args)
    qt.send_raw(f"outb 0x{port:x} 0x{value:x}\n")
    assert qt.wait_exit(20) == status


def test_debug_exit_wide_write(qtest):
    qt = qtest(["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"])
    qt.send_raw("outl 0xf4 0x12345603\n")
    assert qt.wait_exit(20) == 0x07


def test_debug_exit_absent_by_default(qtest):
    qt = qtest()
    qt.outb(0x501, 1)
    assert qt.raw_cmd("endianness") == "OK little"
    assert qt.proc.poll() is None


def test_pc_testdev_scratch(qtest):
    qt = qtest(["-device", "pc-testdev"])
    qt.outl(0xe0, 0x12345678)
    assert qt.inl(0xe0) == 0x12345678
    assert qt.inb(0xe9) == 0x56
    qt.outb(0xe8, 0xab)
    assert qt.inl(0xe0) == 0x123456ab
    qt.writel(0xff000000, 0xcafef00d)
    assert qt.readl(0xff000000) == 0xcafef00d
    # The page flush port on a RAM page keeps its contents.
    qt.writel(0x200000, 0x5a5aa5a5)
    qt.outl(0xe4, 0x200000)
    assert qt.readl(0x200000) == 0x5a5aa5a5


def test_pc_testdev_irq_lines_intercepted(qtest):
    qt = qtest(["-device", "pc-testdev"])
    qt.irq_intercept_in("ioapic")
    for gsi in (3, 10, 23):
        qt.outb(0x2000 + gsi, 1)
        assert qt.get_irq(gsi)
        qt.outb(0x2000 + gsi, 0)
        assert not qt.get_irq(gsi)


def test_level_gsi_through_ioapic(qtest):
    """GSI 11 as PCI uses it (level): remote IRR holds it until the EOI."""
    qt = qtest(["-device", "pc-testdev"])
    qt.irq_intercept_out("ioapic")
    ioapic_set_rte(qt, 11, 0x4b, level=True)
    qt.outb(0x2000 + 11, 1)
    qt.outb(0x2000 + 11, 1)
    assert qt.msis == [msi(0x4b, level=True)]
    qt.writel(0xfec00040, 0x4b)
    assert qt.msis == [msi(0x4b, level=True)] * 2
    qt.outb(0x2000 + 11, 0)
    qt.writel(0xfec00040, 0x4b)
    assert len(qt.msis) == 2


def test_gsi_through_pic(qtest):
    qt = qtest(["-device", "pc-testdev"])
    pic_init(qt)
    qt.irq_intercept_out("pic")
    qt.outb(0x2000 + 5, 1)
    assert qt.get_irq(0)
    assert pic_poll(qt) == 0x85
    qt.outb(0x2000 + 12, 1)
    qt.outb(0x20, 0x20)
    assert pic_poll(qt) == 0x82
    assert pic_poll(qt, 0xa0) == 0x84
    # GSI 16 and up exist only on the IOAPIC.
    qt.outb(0xa0, 0x20)
    qt.outb(0x20, 0x20)
    qt.outb(0x2000 + 16, 1)
    assert pic_poll(qt) == 0
