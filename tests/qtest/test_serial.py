"""COM1 (16550A at 0x3F8, IRQ 4) under qtest with -serial stdio: what the
test writes to THR comes out on kvmrun's stdout pipe, what it writes to
kvmrun's stdin arrives in RBR, and IRQ 4 is seen with irq_intercept_in."""
import time

from irqchip import ioapic_set_rte, msi

COM1 = 0x3f8
RBR = THR = DLL = COM1
IER = DLM = COM1 + 1
IIR = FCR = COM1 + 2
LCR = COM1 + 3
MCR = COM1 + 4
LSR = COM1 + 5
MSR = COM1 + 6
SCR = COM1 + 7

LSR_DR = 0x01
LSR_THRE = 0x20
LSR_TEMT = 0x40

SERIAL = ["-serial", "stdio"]


def wait_rx(qt, timeout=10):
    """Poll LSR until a byte is ready (input crosses the event loop)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if qt.inb(LSR) & LSR_DR:
            return True
        time.sleep(0.01)
    return False


def send_input(qt, data):
    qt.proc.stdin.write(data)
    qt.proc.stdin.flush()


def test_absent_without_serial(qtest):
    qt = qtest()                          # -nodefaults: no COM1
    assert qt.inb(LSR) == 0xff


def test_registers(qtest):
    qt = qtest(SERIAL)
    assert qt.inb(LSR) == LSR_THRE | LSR_TEMT
    assert qt.inb(IIR) & 0x0f == 0x01     # no interrupt pending
    qt.outb(SCR, 0x5a)
    assert qt.inb(SCR) == 0x5a
    qt.outb(LCR, 0x83)                    # DLAB, 8N1
    qt.outb(DLL, 0x01)
    qt.outb(DLM, 0x00)
    assert qt.inb(DLL) == 0x01 and qt.inb(DLM) == 0x00
    qt.outb(LCR, 0x03)
    assert qt.inb(LCR) == 0x03
    qt.outb(IER, 0xff)
    assert qt.inb(IER) == 0x0f            # the four defined bits
    qt.outb(IER, 0)
    qt.outb(FCR, 0x07)                    # FIFOs on, cleared
    assert qt.inb(IIR) & 0xc0 == 0xc0


def test_thr_reaches_stdout(qtest):
    qt = qtest(SERIAL)
    for c in b"hello from qtest\n":
        qt.outb(THR, c)
    assert qt.stdout.wait_for(rb"hello from qtest", 10), qt.stdout.text()
    assert qt.inb(LSR) & LSR_THRE


def test_loopback_stays_inside(qtest):
    qt = qtest(SERIAL)
    qt.outb(MCR, 0x10)                    # loopback
    qt.outb(THR, ord("Q"))
    assert qt.inb(LSR) & LSR_DR
    assert qt.inb(RBR) == ord("Q")
    qt.outb(MCR, 0x1f)                    # outputs loop to the inputs
    assert qt.inb(MSR) & 0xf0 == 0xf0
    qt.outb(MCR, 0x00)
    qt.close()
    assert b"Q" not in bytes(qt.stdout.data)


def test_rx_from_stdin(qtest):
    qt = qtest(SERIAL)
    qt.outb(FCR, 0x01)
    send_input(qt, b"xyz")
    got = b""
    while len(got) < 3:
        assert wait_rx(qt), f"input not received; got {got!r}"
        got += bytes([qt.inb(RBR)])
    assert got == b"xyz"
    assert not qt.inb(LSR) & LSR_DR


def test_irq4_on_received_data(qtest):
    qt = qtest(SERIAL)
    qt.irq_intercept_in("ioapic")
    qt.outb(IER, 0x01)                    # received data available
    assert not qt.get_irq(4)
    send_input(qt, b"!")
    assert wait_rx(qt)
    qt.poll_async(0.1)
    assert qt.get_irq(4)
    assert qt.inb(IIR) & 0x0f == 0x04
    assert qt.inb(RBR) == ord("!")
    assert not qt.get_irq(4)
    assert qt.irq_events == [(4, True), (4, False)]


def test_irq4_on_thr_empty(qtest):
    qt = qtest(SERIAL)
    qt.irq_intercept_in("ioapic")
    qt.outb(IER, 0x02)
    assert qt.get_irq(4)                  # THR is empty at once
    assert qt.inb(IIR) & 0x0f == 0x02     # reading IIR acknowledges it
    assert not qt.get_irq(4)
    qt.outb(THR, ord("a"))                # empties again
    assert qt.get_irq(4)
    qt.outb(IER, 0)
    assert not qt.get_irq(4)


def test_irq4_through_ioapic(qtest):
    """Not intercepted: the UART's GSI 4 reaches IOAPIC pin 4 and its MSI."""
    qt = qtest(SERIAL)
    qt.irq_intercept_out("ioapic")
    ioapic_set_rte(qt, 4, 0x24, dest=0)
    qt.outb(IER, 0x02)
    assert qt.msis == [msi(0x24)]
