"""The user-space 8254 PIT under qtest: IRQ 0 edges land exactly on the
virtual clock, and counts, latches and status read back as the data sheet
says."""
from irqchip import PIT_FREQ, ioapic_set_rte, msi, pic_init, pic_poll, pit_ns


def program(qt, channel, mode, count, bcd=False):
    qt.outb(0x43, channel << 6 | 0x30 | mode << 1 | int(bcd))
    qt.outb(0x40 + channel, count & 0xff)
    qt.outb(0x40 + channel, count >> 8 & 0xff)


def read_count(qt, channel):
    qt.outb(0x43, channel << 6)          # counter latch
    lo = qt.inb(0x40 + channel)
    return lo | qt.inb(0x40 + channel) << 8


def test_mode2_rate_generator_irq0(qtest):
    qt = qtest()
    qt.irq_intercept_in("ioapic")
    t0 = qt.clock_step(1000)
    n = 1193
    program(qt, 0, 2, n)
    assert qt.irq_events == [(0, True)]  # mode 2: OUT high at once
    # OUT drops for the last tick of each period, rises at its end.
    assert qt.clock_step() == t0 + pit_ns(n - 1)
    assert qt.irq_events[-1] == (0, False)
    assert qt.clock_step() == t0 + pit_ns(n)
    assert qt.irq_events[-1] == (0, True)
    qt.irq_events.clear()
    qt.clock_set(t0 + pit_ns(11 * n) - 1)
    rises = [e for e in qt.irq_events if e[1]]
    assert len(rises) == 9                # the ends of periods 2..10
    qt.clock_set(t0 + pit_ns(11 * n))
    assert qt.irq_events[-1] == (0, True)


def test_mode0_one_shot(qtest):
    qt = qtest()
    qt.irq_intercept_in("ioapic")
    t0 = qt.clock_step(10)
    program(qt, 0, 0, 100)
    assert qt.irq_events == []            # OUT stays low
    qt.clock_set(t0 + pit_ns(100) - 1)
    assert qt.irq_events == []
    assert 0 < read_count(qt, 0) <= 1
    qt.clock_set(t0 + pit_ns(100))
    assert qt.irq_events == [(0, True)]
    now = qt.clock_step(10**9)            # never again
    assert qt.irq_events == [(0, True)]
    # The counter wraps on and keeps counting down.
    d = (now - t0) * PIT_FREQ // 10**9
    assert read_count(qt, 0) == (100 - d) % 65536


def test_mode3_square_wave(qtest):
    qt = qtest()
    qt.irq_intercept_in("ioapic")
    t0 = qt.clock_step(10)
    program(qt, 0, 3, 1000)
    assert qt.irq_events == [(0, True)]
    assert qt.clock_step() == t0 + pit_ns(500)
    assert qt.irq_events[-1] == (0, False)
    assert qt.clock_step() == t0 + pit_ns(1000)
    assert qt.irq_events[-1] == (0, True)
    # Counts down by two in mode 3.
    qt.clock_set(t0 + pit_ns(1100))
    assert read_count(qt, 0) == 1000 - 200


def test_mode4_software_strobe(qtest):
    qt = qtest()
    qt.irq_intercept_in("ioapic")
    t0 = qt.clock_step(10)
    program(qt, 0, 4, 50)
    assert qt.irq_events == [(0, True)]
    assert qt.clock_step() == t0 + pit_ns(50)
    assert qt.irq_events[-1] == (0, False)
    assert qt.clock_step() == t0 + pit_ns(51)
    assert qt.irq_events[-1] == (0, True)
    qt.clock_step(10**8)
    assert len(qt.irq_events) == 3


def test_count_lsb_msb_and_latch(qtest):
    qt = qtest()
    t0 = qt.clock_step(10)
    program(qt, 0, 2, 0x1234)
    qt.clock_set(t0 + pit_ns(0x34))
    assert read_count(qt, 0) == 0x1234 - 0x34
    # The latch holds its value while the counter runs on.
    qt.outb(0x43, 0x00)
    qt.clock_step(pit_ns(0x100))
    lo = qt.inb(0x40)
    assert lo | qt.inb(0x40) << 8 == 0x1234 - 0x34
    # LSB-only and MSB-only access modes.
    qt.outb(0x43, 0x14)                   # ch0, LSB only, mode 2
    qt.outb(0x40, 0x80)
    assert qt.inb(0x40) == 0x80
    qt.outb(0x43, 0x24)                   # ch0, MSB only, mode 2
    qt.outb(0x40, 0x02)
    assert qt.inb(0x40) == 0x02


def test_read_back_status(qtest):
    qt = qtest()
    qt.outb(0x43, 0x34)                   # ch0 LSB/MSB mode 2, no count yet
    qt.outb(0x43, 0xe2)                   # read-back: status of ch0
    assert qt.inb(0x40) == 0x80 | 0x40 | 0x30 | 0x04   # OUT, null count
    qt.outb(0x40, 0x00)
    qt.outb(0x40, 0x10)
    qt.outb(0x43, 0xc2)                   # status and count of ch0
    assert qt.inb(0x40) == 0x80 | 0x30 | 0x04
    assert qt.inb(0x40) | qt.inb(0x40) << 8 == 0x1000
    qt.outb(0x43, 0xb0)                   # ch2 LSB/MSB mode 0
    qt.outb(0x43, 0xe8)                   # status of ch2
    assert qt.inb(0x42) == 0x40 | 0x30    # OUT low, null count


def test_bcd_counting(qtest):
    qt = qtest()
    t0 = qt.clock_step(10)
    program(qt, 0, 0, 0x0100, bcd=True)   # 100 decimal
    qt.clock_set(t0 + pit_ns(37))
    assert read_count(qt, 0) == 0x0063
    program(qt, 0, 2, 0x0000, bcd=True)   # 0 is 10000
    assert read_count(qt, 0) == 0x0000
    qt.clock_step(pit_ns(1))
    assert read_count(qt, 0) == 0x9999


def test_channel2_gate_and_out_on_port_61(qtest):
    qt = qtest()
    qt.outb(0x61, 0x00)                   # gate low
    t0 = qt.clock_step(10)
    program(qt, 2, 0, 1000)
    qt.clock_set(t0 + pit_ns(2000))
    assert qt.inb(0x61) & 0x20 == 0       # held by the low gate
    assert read_count(qt, 2) == 1000
    qt.outb(0x61, 0x01)                   # gate high: counting starts
    t1 = qt.clock_step(pit_ns(999))
    assert qt.inb(0x61) & 0x21 == 0x01
    qt.clock_set(t1 + pit_ns(1) + 1)
    assert qt.inb(0x61) & 0x21 == 0x21    # OUT2 high at terminal count
    # Refresh toggles on every read; the speaker bit reads back.
    a, b = qt.inb(0x61), qt.inb(0x61)
    assert (a ^ b) & 0x10
    qt.outb(0x61, 0x03)
    assert qt.inb(0x61) & 0x03 == 0x03


def test_channel2_gate_pauses_mode0(qtest):
    qt = qtest()
    qt.outb(0x61, 0x01)
    t0 = qt.clock_step(10)
    program(qt, 2, 0, 1000)
    qt.clock_set(t0 + pit_ns(400))
    qt.outb(0x61, 0x00)                   # pause at 600 left
    qt.clock_step(pit_ns(5000))
    assert read_count(qt, 2) == 600
    qt.outb(0x61, 0x01)
    qt.clock_step(pit_ns(100))
    assert read_count(qt, 2) in (500, 499)


def test_irq0_through_ioapic_to_msi(qtest):
    """Not intercepted: GSI 0 -> IOAPIC pin 2 -> an MSI per period."""
    qt = qtest()
    qt.irq_intercept_out("ioapic")
    ioapic_set_rte(qt, 2, 0x30, dest=0)
    t0 = qt.clock_step(10)
    program(qt, 0, 2, 11932)              # 100 Hz: 10.0001 ms
    assert qt.msis == [msi(0x30)]         # OUT rises when programmed
    qt.clock_set(t0 + 10**8)              # 100 ms: 9 periods end
    assert qt.msis == [msi(0x30)] * 10
    qt.clock_set(t0 + pit_ns(10 * 11932))
    assert len(qt.msis) == 11


def test_irq0_through_pic(qtest):
    qt = qtest()
    pic_init(qt, master_base=0x08)
    qt.irq_intercept_out("pic")
    t0 = qt.clock_step(10)
    program(qt, 0, 2, 1000)
    assert pic_poll(qt) == 0x80           # the first rising edge
    qt.outb(0x20, 0x20)
    qt.clock_set(t0 + pit_ns(999))
    assert pic_poll(qt) == 0x00
    qt.clock_set(t0 + pit_ns(1000))
    assert qt.get_irq(0)
    assert pic_poll(qt) == 0x80


def test_fast_rate_many_periods(qtest):
    """Count 2: an OUT transition every tick; a 10 ms step runs them all."""
    qt = qtest()
    qt.irq_intercept_out("ioapic")
    ioapic_set_rte(qt, 2, 0x30)
    t0 = qt.clock_step(10)
    program(qt, 0, 2, 2)
    qt.clock_set(t0 + pit_ns(2 * 5000))
    assert len(qt.msis) == 1 + 5000       # programming, then every period


def test_reprogram_and_wide_access(qtest):
    qt = qtest()
    qt.irq_intercept_in("ioapic")
    program(qt, 0, 2, 1000)
    qt.outb(0x43, 0x30)                   # back to mode 0: OUT low, stopped
    assert qt.irq_events[-1] == (0, False)
    assert qt.raw_cmd("clock_step").startswith("FAIL")   # no timer left
    # A 16-bit write is two byte writes to consecutive ports.
    qt.outw(0x40, 0x0010 | 0x0000)
    assert qt.inb(0x43) == 0xff           # the control port is write-only


def test_machine_pit_off_has_no_pit(qtest):
    """-machine pit=off: nothing answers at the PIT's ports, and no IRQ 0
    comes however long the clock runs (the speaker port 0x61 goes too: its
    gate and OUT bits belong to channel 2)."""
    qt = qtest(["-machine", "pit=off"])
    qt.irq_intercept_in("ioapic")
    program(qt, 0, 2, 1193)
    for port in (0x40, 0x41, 0x42, 0x43, 0x61):
        assert qt.inb(port) == 0xff, hex(port)
    qt.clock_step(10**9)
    assert qt.irq_events == []
    # The same program with the PIT present does tick (the test can fail).
    qt2 = qtest()
    qt2.irq_intercept_in("ioapic")
    program(qt2, 0, 2, 1193)
    qt2.clock_step(10**8)
    assert (0, True) in qt2.irq_events
