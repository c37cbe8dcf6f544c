"""ACPI under qtest: the PM1 block at 0x600 (power-off through S5, the PM
timer, SCI on GSI 9), the reset register at 0xCF9, and the tables the
machine wrote into guest RAM (read back through qtest and checked against
the user-space IOAPIC)."""
import struct

import pytest

PM1_STS, PM1_EN, PM1_CNT, PM_TMR = 0x600, 0x602, 0x604, 0x608
SLP_EN = 1 << 13
PM_TMR_HZ = 3579545


def test_s5_power_off_exits_0(qtest):
    qt = qtest()
    qt.send_raw(f"outw 0x{PM1_CNT:x} 0x{SLP_EN | 0 << 10:x}\n")
    assert qt.wait_exit(20) == 0


def test_other_sleep_states_are_ignored(qtest):
    qt = qtest()
    qt.outw(PM1_CNT, SLP_EN | 2 << 10)      # S4 (QEMU's SLP_TYP 2): ignored
    assert qt.raw_cmd("endianness") == "OK little"
    assert qt.proc.poll() is None


def test_pm_timer_runs_on_the_virtual_clock(qtest):
    qt = qtest()
    t0 = qt.clock_step(1)
    a = qt.inl(PM_TMR)
    qt.clock_set(t0 + 10**9)
    b = qt.inl(PM_TMR)
    assert (b - a) % 2**32 in (PM_TMR_HZ, PM_TMR_HZ + 1, PM_TMR_HZ - 1)


def test_pm_timer_overflow_raises_sci(qtest):
    qt = qtest()
    qt.irq_intercept_in("ioapic")
    qt.outw(PM1_EN, 0x0001)                  # TMR_EN
    t = qt.clock_step()                      # to bit 31 of the counter flipping
    assert abs(t - 2**31 * 10**9 // PM_TMR_HZ) < 1000
    assert qt.get_irq(9)
    assert qt.inw(PM1_STS) & 1
    qt.outw(PM1_STS, 0x0001)                 # write 1 to clear
    assert not qt.get_irq(9)


def test_reset_register_with_no_reboot_exits_0(qtest):
    qt = qtest(["-no-reboot"])
    qt.send_raw("outb 0xcf9 0x06\n")
    assert qt.wait_exit(20) == 0


def test_reset_rebuilds_the_machine_and_keeps_the_client(qtest):
    qt = qtest()
    qt.outb(0x21, 0xa5)                      # PIC mask
    qt.writel(0x1000, 0x12345678)
    t = qt.clock_step(12345)
    qt.cmd("outb 0xcf9 0x06")                # reset
    assert qt.raw_cmd("endianness") == "OK little"
    assert qt.inb(0x21) == 0x00              # the PIC is back at power-on
    assert qt.readl(0x1000) == 0x12345678    # RAM survives a reset
    assert qt.clock_step(1) == t + 1         # the clock runs on
    assert qt.proc.poll() is None


def test_lines_queued_behind_a_reset_run_on_the_new_machine(qtest):
    qt = qtest()
    qt.send_raw("outb 0x21 0xa5\noutb 0xcf9 0x06\ninb 0x21\nendianness\n")
    assert [qt.reply() for _ in range(4)] == ["OK", "OK", "OK 0x0000", "OK little"]


def test_keyboard_controller_reset(qtest):
    qt = qtest(["-no-reboot"])
    qt.send_raw("outb 0x64 0xfe\n")
    assert qt.wait_exit(20) == 0


def checksum_ok(data):
    return sum(data) & 0xff == 0


def find_rsdp(qt):
    bios = qt.memread(0xe0000, 0x20000)
    for off in range(0, len(bios), 16):
        if bios[off:off + 8] == b"RSD PTR ":
            return 0xe0000 + off
    return None


def read_table(qt, addr):
    hdr = qt.memread(addr, 36)
    length = struct.unpack_from("<I", hdr, 4)[0]
    assert 36 <= length < 1 << 16
    data = qt.memread(addr, length)
    assert checksum_ok(data), data[:4]
    return data


def tables(qt):
    rsdp = find_rsdp(qt)
    assert rsdp is not None
    r = qt.memread(rsdp, 36)
    assert checksum_ok(r[:20]) and checksum_ok(r)
    xsdt = read_table(qt, struct.unpack_from("<Q", r, 24)[0])
    assert xsdt[:4] == b"XSDT"
    found = {}
    for off in range(36, len(xsdt), 8):
        t = read_table(qt, struct.unpack_from("<Q", xsdt, off)[0])
        found[t[:4].decode()] = t
    return found


@pytest.mark.parametrize("smp", [1, 3])
def test_madt_describes_our_ioapic_and_irq0(qtest, smp):
    qt = qtest(["-smp", str(smp)])
    madt = tables(qt)["APIC"]
    ioapics, isos, cpus = [], {}, 0
    off = 44
    while off < len(madt):
        typ, length = madt[off], madt[off + 1]
        if typ == 0:
            cpus += 1
        elif typ == 1:
            ioapics.append(struct.unpack_from("<BxII", madt, off + 2))
        elif typ == 2:
            src, gsi, flags = struct.unpack_from("<BIH", madt, off + 3)
            isos[src] = (gsi, flags)
        off += length
    assert cpus == smp
    assert len(ioapics) == 1
    ioapic_id, addr, gsi_base = ioapics[0]
    assert addr == 0xfec00000 and gsi_base == 0
    # The ID the tables give is the one our IOAPIC reports.
    qt.writel(0xfec00000, 0)
    assert qt.readl(0xfec00010) >> 24 == ioapic_id
    assert isos[0][0] == 2                   # IRQ 0 -> GSI 2, as the PIT is wired
    assert isos.get(9, (9, 0))[0] == 9       # the SCI


def test_fadt_points_at_the_pm_block(qtest):
    qt = qtest()
    fadt = tables(qt)["FACP"]
    pm1a_evt, _, pm1a_cnt, _, _, pm_tmr = struct.unpack_from("<6I", fadt, 56)
    assert (pm1a_evt, pm1a_cnt, pm_tmr) == (PM1_STS, PM1_CNT, PM_TMR)
    assert struct.unpack_from("<H", fadt, 46)[0] == 9   # SCI_INT


# ---- S3, suspend to RAM ----

WAK_STS, RTC_STS = 1 << 15, 1 << 10
S3 = SLP_EN | 1 << 10                        # \_S3_ is SLP_TYP 1, as on QEMU's pc


def rtc_write(qt, reg, v):
    qt.outb(0x70, reg)
    qt.outb(0x71, v)


def rtc_read(qt, reg):
    qt.outb(0x70, reg)
    return qt.inb(0x71)


def alarm_every_second(qt):
    for reg in (1, 3, 5):                    # seconds, minutes, hours alarm
        rtc_write(qt, reg, 0xc0)             # "don't care"
    rtc_read(qt, 0x0c)
    rtc_write(qt, 0x0b, rtc_read(qt, 0x0b) | 0x20)   # AIE


def facs_of(qt):
    return struct.unpack_from("<I", tables(qt)["FACP"], 36)[0]


def test_s3_sleeps_until_the_rtc_alarm_then_resumes(qtest):
    qt = qtest()
    facs = facs_of(qt)
    assert qt.memread(facs, 4) == b"FACS"
    qt.writel(facs + 12, 0x1000)             # the OS's waking vector
    qt.writel(0x2000, 0x5a5aa5a5)            # the guest's RAM
    qt.outb(0x21, 0xa5)                      # PIC mask: device state
    alarm_every_second(qt)
    qt.outw(PM1_EN, RTC_STS)                 # RTC_EN: the alarm may wake
    qt.outw(PM1_CNT, S3)
    # Asleep: the devices are the old ones still, and no wake yet.
    assert qt.inb(0x21) == 0xa5
    assert not qt.inw(PM1_STS) & WAK_STS
    qt.clock_step(2 * 10**9)                 # an alarm goes off: wake-up
    assert qt.raw_cmd("endianness") == "OK little"
    assert qt.inb(0x21) == 0x00              # rebuilt at power-on state
    assert qt.inw(PM1_STS) & (WAK_STS | RTC_STS) == WAK_STS | RTC_STS
    assert qt.inw(PM1_EN) == 0
    assert qt.readl(0x2000) == 0x5a5aa5a5    # RAM kept
    assert qt.proc.poll() is None


def test_s3_wakes_only_on_an_enabled_source(qtest):
    qt = qtest()
    qt.writel(facs_of(qt) + 12, 0x1000)
    qt.outb(0x21, 0xa5)
    alarm_every_second(qt)
    qt.outw(PM1_CNT, S3)                     # RTC_EN clear
    qt.clock_step(3 * 10**9)
    assert rtc_read(qt, 0x0c) & 0x20         # the alarm did go off (AF) ...
    assert qt.inb(0x21) == 0xa5              # ... and the machine slept on
    qt.outw(PM1_EN, RTC_STS)
    qt.clock_step(2 * 10**9)
    assert qt.raw_cmd("endianness") == "OK little"
    assert qt.inb(0x21) == 0x00
    assert qt.inw(PM1_STS) & WAK_STS


def test_s3_without_waking_vector_boots_afresh(qtest):
    """No waking vector in the FACS: as with firmware, a fresh boot."""
    qt = qtest()
    qt.outb(0x21, 0xa5)
    alarm_every_second(qt)
    qt.outw(PM1_EN, RTC_STS)
    qt.outw(PM1_CNT, S3)
    qt.clock_step(2 * 10**9)
    assert qt.raw_cmd("endianness") == "OK little"
    assert qt.inb(0x21) == 0x00
    assert not qt.inw(PM1_STS) & WAK_STS


def test_s3_user_exit_while_asleep(qtest):
    qt = qtest()
    qt.outw(PM1_CNT, S3)
    qt.send_raw(f"outw 0x{PM1_CNT:x} 0x{SLP_EN:x}\n")   # S5 from the test
    assert qt.wait_exit(20) == 0


def test_s3_waking_vector_above_1mib_boots_afresh(qtest):
    """A waking vector real mode cannot reach: one warning, a fresh boot."""
    qt = qtest()
    qt.writel(facs_of(qt) + 12, 0x100000)
    alarm_every_second(qt)
    qt.outw(PM1_EN, RTC_STS)
    qt.outw(PM1_CNT, S3)
    qt.clock_step(2 * 10**9)
    assert qt.raw_cmd("endianness") == "OK little"
    assert not qt.inw(PM1_STS) & WAK_STS
    qt.close()
    assert "waking vector 0x100000 is not a real-mode address" in qt.stderr.text()
