"""The i8042 keyboard controller (0x60 data, 0x64 command/status, IRQ 1)
under qtest: the probes Linux makes, and its interrupt."""
import time

DATA, CMD = 0x60, 0x64
OBF = 0x01


def read_out(qt, timeout=5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if qt.inb(CMD) & OBF:
            return qt.inb(DATA)
    raise AssertionError("no byte in the i8042 output buffer")


def test_controller_self_test_and_ccb(qtest):
    qt = qtest()
    qt.outb(CMD, 0xaa)                    # controller self-test
    assert read_out(qt) == 0x55
    qt.outb(CMD, 0x60)                    # write the command byte
    qt.outb(DATA, 0x45)
    qt.outb(CMD, 0x20)
    assert read_out(qt) == 0x45
    qt.outb(CMD, 0xab)                    # keyboard interface test
    assert read_out(qt) == 0x00
    assert not qt.inb(CMD) & OBF


def test_keyboard_reset_and_identify(qtest):
    qt = qtest()
    qt.outb(DATA, 0xff)                   # keyboard reset
    assert read_out(qt) == 0xfa           # ACK
    assert read_out(qt) == 0xaa           # self-test passed
    qt.outb(DATA, 0xf2)                   # identify
    assert read_out(qt) == 0xfa
    assert read_out(qt) == 0xab


def test_keyboard_interrupt(qtest):
    qt = qtest()
    qt.irq_intercept_in("ioapic")
    qt.outb(CMD, 0x60)
    qt.outb(DATA, 0x01)                   # keyboard interrupt on
    qt.outb(DATA, 0xee)                   # echo
    assert qt.get_irq(1)
    assert qt.inb(DATA) == 0xee
    assert not qt.get_irq(1)


def test_garbage_commands(qtest):
    qt = qtest()
    for v in range(256):
        if v in (0xfe,) or 0xf0 <= v <= 0xff:
            continue                      # pulses of the output port
        qt.outb(CMD, v)
        qt.outb(DATA, v)
    for _ in range(64):
        qt.inb(DATA)
    assert qt.raw_cmd("endianness") == "OK little"
