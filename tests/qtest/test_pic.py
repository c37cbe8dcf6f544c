"""The user-space 8259A pair under qtest.  Without a CPU there is no INTA
cycle: the tests acknowledge with OCW3 poll (as software may) and watch the
INTR output with "irq_intercept_out pic" (reported as IRQ 0)."""
from irqchip import pic_init, pic_irr, pic_isr, pic_poll


def intr(qt):
    return qt.get_irq(0)


def test_mask_register(qtest):
    qt = qtest()
    pic_init(qt)
    qt.outb(0x21, 0xa5)
    qt.outb(0xa1, 0x5a)
    assert qt.inb(0x21) == 0xa5
    assert qt.inb(0xa1) == 0x5a
    # ICW1 clears the mask.
    pic_init(qt)
    assert qt.inb(0x21) == 0 and qt.inb(0xa1) == 0


def test_request_poll_and_eoi(qtest):
    qt = qtest()
    pic_init(qt)
    qt.irq_intercept_out("pic")
    qt.set_irq_in("pic", 3, 1)
    assert pic_irr(qt) == 0x08
    assert intr(qt)
    assert pic_poll(qt) == 0x83          # acknowledged: in service
    assert pic_isr(qt) == 0x08
    assert pic_irr(qt) == 0x00           # an edge request is consumed
    assert not intr(qt)
    qt.set_irq_in("pic", 3, 0)
    qt.outb(0x20, 0x20)                  # non-specific EOI
    assert pic_isr(qt) == 0
    assert pic_poll(qt) == 0x00          # nothing pending
    assert qt.irq_events == [(0, True), (0, False)]


def test_priority_and_nesting(qtest):
    qt = qtest()
    pic_init(qt)
    qt.irq_intercept_out("pic")
    qt.set_irq_in("pic", 5, 1)
    qt.set_irq_in("pic", 3, 1)
    assert pic_poll(qt) == 0x83          # IRQ 3 before IRQ 5
    assert not intr(qt)                  # 5 is below 3 in service
    qt.set_irq_in("pic", 1, 1)
    assert intr(qt)                      # 1 is above: it nests
    assert pic_poll(qt) == 0x81
    qt.outb(0x20, 0x20)                  # EOI ends 1, the highest in service
    assert pic_isr(qt) == 0x08
    qt.outb(0x20, 0x63)                  # specific EOI for 3
    assert pic_isr(qt) == 0
    assert intr(qt)
    assert pic_poll(qt) == 0x85


def test_masked_request_waits(qtest):
    qt = qtest()
    pic_init(qt)
    qt.irq_intercept_out("pic")
    qt.outb(0x21, 0x10)
    qt.set_irq_in("pic", 4, 1)
    assert pic_irr(qt) == 0x10
    assert not intr(qt)
    qt.outb(0x21, 0x00)
    assert intr(qt)
    assert pic_poll(qt) == 0x84


def test_edge_needs_a_new_rising_edge(qtest):
    qt = qtest()
    pic_init(qt)
    qt.set_irq_in("pic", 6, 1)
    assert pic_poll(qt) == 0x86
    qt.outb(0x20, 0x20)
    qt.set_irq_in("pic", 6, 1)           # still high: no new request
    assert pic_irr(qt) == 0
    qt.set_irq_in("pic", 6, 0)
    qt.set_irq_in("pic", 6, 1)
    assert pic_irr(qt) == 0x40


def test_slave_cascade(qtest):
    qt = qtest()
    pic_init(qt)
    qt.irq_intercept_out("pic")
    qt.set_irq_in("pic", 10, 1)
    assert pic_irr(qt, 0xa0) == 0x04
    assert pic_irr(qt) == 0x04           # the slave's INT on master IRQ 2
    assert intr(qt)
    assert pic_poll(qt) == 0x82
    assert pic_poll(qt, 0xa0) == 0x82    # IRQ 10 = slave input 2
    assert not intr(qt)
    qt.outb(0xa0, 0x20)
    qt.outb(0x20, 0x20)
    assert pic_isr(qt) == 0 and pic_isr(qt, 0xa0) == 0


def test_elcr_level_triggered(qtest):
    qt = qtest()
    pic_init(qt)
    qt.irq_intercept_out("pic")
    qt.outb(0x4d0, 0xff)
    qt.outb(0x4d1, 0xff)
    # IRQ 0, 1, 2, 8 and 13 cannot be level triggered.
    assert qt.inb(0x4d0) == 0xf8
    assert qt.inb(0x4d1) == 0xde
    assert qt.inw(0x4d0) == 0xdef8
    qt.set_irq_in("pic", 11, 1)
    assert pic_poll(qt) == 0x82
    assert pic_poll(qt, 0xa0) == 0x83
    assert pic_irr(qt, 0xa0) == 0x08     # level: stays requested
    qt.outb(0xa0, 0x20)
    qt.outb(0x20, 0x20)
    assert intr(qt)                      # still asserted: requests again
    qt.set_irq_in("pic", 11, 0)
    assert pic_irr(qt, 0xa0) == 0
    # The master latched the cascade's edge: what the CPU then gets is
    # the slave's spurious interrupt, as on the real chips.
    assert intr(qt)
    assert pic_poll(qt) == 0x82
    assert pic_poll(qt, 0xa0) == 0x00
    qt.outb(0x20, 0x20)
    assert not intr(qt)


def test_auto_eoi(qtest):
    qt = qtest()
    pic_init(qt, auto_eoi=True)
    qt.set_irq_in("pic", 4, 1)
    assert pic_poll(qt) == 0x84
    assert pic_isr(qt) == 0


def test_rotation(qtest):
    qt = qtest()
    pic_init(qt)
    qt.outb(0x20, 0xc4)                  # set priority: IRQ 4 lowest
    qt.set_irq_in("pic", 3, 1)
    qt.set_irq_in("pic", 6, 1)
    assert pic_poll(qt) == 0x86          # 5 is now highest, so 6 before 3
    qt.outb(0x20, 0xa0)                  # rotate on non-specific EOI
    assert pic_poll(qt) == 0x83


def test_special_mask_mode(qtest):
    qt = qtest()
    pic_init(qt)
    qt.set_irq_in("pic", 2 + 1, 1)
    assert pic_poll(qt) == 0x83
    qt.outb(0x21, 0x08)                  # mask the one in service
    qt.outb(0x20, 0x68)                  # OCW3: set special mask
    qt.set_irq_in("pic", 5, 1)
    assert pic_poll(qt) == 0x85          # lower priority goes through


def test_wide_access_floats(qtest):
    qt = qtest()
    pic_init(qt)
    assert qt.inw(0x20) == 0xffff


def test_gsi_from_a_device_reaches_pic_and_ioapic(qtest):
    """The PIT's IRQ 0 (the only device of ours): INTR and IOAPIC pin 2."""
    qt = qtest()
    pic_init(qt)
    qt.irq_intercept_out("pic")
    qt.outb(0x43, 0x34)                  # PIT channel 0, mode 2: OUT high
    assert intr(qt)
    assert pic_poll(qt) == 0x80
