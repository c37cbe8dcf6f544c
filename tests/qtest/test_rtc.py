"""The CMOS RTC (0x70/0x71, IRQ 8) under qtest: it starts at the host's
time, and on the virtual clock its updates, update-in-progress window,
alarm and periodic interrupts happen exactly when clock_step says."""
import calendar
import time

import pytest

REG_A, REG_B, REG_C, REG_D = 0x0a, 0x0b, 0x0c, 0x0d
B_SET, B_PIE, B_AIE, B_UIE, B_BINARY, B_24H = 0x80, 0x40, 0x20, 0x10, 0x04, 0x02
C_IRQF, C_PF, C_AF, C_UF = 0x80, 0x40, 0x20, 0x10
A_UIP = 0x80
UIP_NS = 244141


def cmos_read(qt, reg):
    qt.outb(0x70, reg)
    return qt.inb(0x71)


def cmos_write(qt, reg, v):
    qt.outb(0x70, reg)
    qt.outb(0x71, v)


def bcd(v):
    return (v >> 4) * 10 + (v & 15)


def to_bcd(v):
    return (v // 10) << 4 | v % 10


def rtc_epoch(qt):
    """The RTC's date and time (BCD, 24 h) as seconds since 1970."""
    regs = [cmos_read(qt, r) for r in (0, 2, 4, 7, 8, 9, 0x32)]
    s, mi, h, d, mo, y, c = (bcd(v) for v in regs)
    return calendar.timegm((c * 100 + y, mo, d, h, mi, s))


def next_update(qt):
    """Step to the next second boundary with update interrupts on."""
    cmos_write(qt, REG_B, B_24H | B_UIE)
    cmos_read(qt, REG_C)
    return qt.clock_step()


def test_time_follows_the_host(qtest):
    qt = qtest()
    assert abs(rtc_epoch(qt) - time.time()) < 5
    assert cmos_read(qt, REG_D) & 0x80            # valid RAM and time
    assert cmos_read(qt, REG_B) == B_24H


def test_binary_mode(qtest):
    qt = qtest()
    cmos_write(qt, REG_B, B_24H | B_BINARY)
    sec = cmos_read(qt, 0)
    assert sec < 60
    assert cmos_read(qt, 0x32) in (20, 21)


def test_set_time(qtest):
    qt = qtest()
    cmos_write(qt, REG_B, B_SET | B_24H)
    for reg, v in ((0, 0x56), (2, 0x34), (4, 0x12), (7, 0x29), (8, 0x02),
                   (9, 0x24), (0x32, 0x20)):
        cmos_write(qt, reg, v)
    cmos_write(qt, REG_B, B_24H)
    assert rtc_epoch(qt) == calendar.timegm((2024, 2, 29, 12, 34, 56))
    qt.clock_step(3 * 10**9)
    assert rtc_epoch(qt) == calendar.timegm((2024, 2, 29, 12, 34, 59))
    qt.clock_step(2 * 10**9)
    assert rtc_epoch(qt) == calendar.timegm((2024, 2, 29, 12, 35, 1))


def test_update_interrupt_and_uip(qtest):
    qt = qtest()
    qt.irq_intercept_in("ioapic")
    before = rtc_epoch(qt)
    t = next_update(qt)
    assert qt.get_irq(8)
    # PF follows the periodic rate even without PIE, as on the chip.
    assert cmos_read(qt, REG_C) & ~C_PF == C_IRQF | C_UF  # acknowledged
    assert not qt.get_irq(8)
    assert rtc_epoch(qt) == before + 1
    # UIP is set for the last 244 us before each update.
    qt.clock_set(t + 10**9 - UIP_NS - 1000)
    assert not cmos_read(qt, REG_A) & A_UIP
    qt.clock_set(t + 10**9 - UIP_NS + 1000)
    assert cmos_read(qt, REG_A) & A_UIP
    qt.clock_set(t + 10**9 + 1000)
    assert not cmos_read(qt, REG_A) & A_UIP
    assert rtc_epoch(qt) == before + 2


def test_alarm(qtest):
    qt = qtest()
    qt.irq_intercept_in("ioapic")
    cmos_write(qt, REG_B, B_SET | B_24H)
    cmos_write(qt, 0, 0x10)
    cmos_write(qt, 2, 0x20)
    cmos_write(qt, 4, 0x08)
    cmos_write(qt, REG_B, B_24H)
    t0 = next_update(qt)                           # 08:20:11 now
    cmos_read(qt, REG_C)
    cmos_write(qt, 1, 0x14)                        # alarm at 08:20:14
    cmos_write(qt, 3, 0x20)
    cmos_write(qt, 5, 0x08)
    cmos_write(qt, REG_B, B_24H | B_AIE)
    qt.clock_set(t0 + 3 * 10**9 - 1)
    assert not qt.get_irq(8)
    qt.clock_set(t0 + 3 * 10**9)
    assert qt.get_irq(8)
    assert cmos_read(qt, 0) == 0x14
    assert cmos_read(qt, REG_C) & (C_IRQF | C_AF) == C_IRQF | C_AF
    assert not qt.get_irq(8)
    # "Don't care" hours and minutes: every minute at second 14.
    cmos_write(qt, 3, 0xc0)
    cmos_write(qt, 5, 0xff)
    qt.clock_set(t0 + 63 * 10**9 - 1)
    assert not qt.get_irq(8)
    qt.clock_set(t0 + 63 * 10**9)
    assert qt.get_irq(8)


def test_periodic_interrupt(qtest):
    qt = qtest()
    qt.irq_intercept_in("ioapic")
    cmos_write(qt, REG_A, 0x26)                    # 1024 Hz
    cmos_write(qt, REG_B, B_24H | B_PIE)
    t1 = qt.clock_step()
    assert qt.get_irq(8)
    assert cmos_read(qt, REG_C) & (C_IRQF | C_PF) == C_IRQF | C_PF
    t2 = qt.clock_step()
    assert qt.get_irq(8)
    assert abs((t2 - t1) - 10**9 // 1024) < 100


def test_cmos_memory_and_cpus(qtest):
    qt = qtest(["-m", "128M", "-smp", "2"])
    assert cmos_read(qt, 0x34) | cmos_read(qt, 0x35) << 8 == (112 << 20) >> 16
    assert cmos_read(qt, 0x15) | cmos_read(qt, 0x16) << 8 == 640
    assert cmos_read(qt, 0x5f) == 1
    # Ordinary CMOS RAM keeps what is written; bit 7 of the index is NMI.
    cmos_write(qt, 0x40, 0xa5)
    qt.outb(0x70, 0x80 | 0x40)
    assert qt.inb(0x71) == 0xa5


def test_time_and_cmos_survive_a_reset(qtest):
    """Battery-backed: a machine reset (a rebuild here) keeps the time the
    guest set and the CMOS bytes it wrote; interrupt enables and flags are
    cleared, as QEMU's reset does."""
    qt = qtest()
    cmos_write(qt, REG_B, B_SET | B_24H)
    for reg, v in ((0, 0x56), (2, 0x34), (4, 0x12), (7, 0x29), (8, 0x02),
                   (9, 0x24), (0x32, 0x20)):
        cmos_write(qt, reg, v)
    cmos_write(qt, REG_B, B_24H | B_UIE | B_AIE)
    cmos_write(qt, 0x40, 0x5a)                    # NVRAM
    qt.clock_step(2 * 10**9)
    assert cmos_read(qt, REG_C) & 0x10            # UF seen
    qt.cmd("outb 0xcf9 0x06")                     # reset
    assert qt.raw_cmd("endianness") == "OK little"
    assert cmos_read(qt, 0x40) == 0x5a
    assert cmos_read(qt, REG_B) == B_24H          # enables cleared
    assert cmos_read(qt, REG_C) == 0
    assert rtc_epoch(qt) == calendar.timegm((2024, 2, 29, 12, 34, 58))
    qt.clock_step(3 * 10**9)
    assert rtc_epoch(qt) == calendar.timegm((2024, 2, 29, 12, 35, 1))


@pytest.mark.parametrize("base,expect", [
    ("2006-06-17T16:01:21", (2006, 6, 17, 16, 1, 21)),
    ("2006-06-17", (2006, 6, 17, 0, 0, 0)),
    ("2099-12-31T23:59:59", (2099, 12, 31, 23, 59, 59)),
])
def test_rtc_base_date(qtest, base, expect):
    qt = qtest(["-rtc", f"base={base},clock=vm,driftfix=none"])
    assert rtc_epoch(qt) == calendar.timegm(expect)
    qt.clock_step(10**9)
    assert rtc_epoch(qt) == calendar.timegm(expect) + 1


def test_rtc_base_localtime(qtest):
    """The host's zone (here TZ=UTC-3, three hours east) shifts the RTC."""
    qt = qtest(["-rtc", "base=localtime"], env={"TZ": "UTC-3"})
    assert abs(rtc_epoch(qt) - (time.time() + 3 * 3600)) < 5
    qt2 = qtest(["-rtc", "base=utc"], env={"TZ": "UTC-3"})
    assert abs(rtc_epoch(qt2) - time.time()) < 5
