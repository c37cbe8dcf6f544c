"""A qtest client for kvmrun: the test plays the guest's driver.

    with QTest(["-device", "isa-debug-exit"]) as qt:
        qt.outb(0x3f8, 0x41)
        assert qt.inb(0x3fd) & 0x20

QTest starts $KVMRUN (default build/kvmrun-san) with

    -accel qtest -qtest unix:SOCK -nodefaults -display none [args]

after listening on SOCK itself (kvmrun connects, as QEMU's libqtest does), or
with server=True lets kvmrun listen and connects to it.  Every wait has a
timeout; the process is always ended (gracefully first, so LeakSanitizer can
report, then killed); sanitizer reports on its stderr raise SanitizerError.

The protocol is QEMU's (see src/accel/qtest.c).  Asynchronous lines ("IRQ
raise N", "IRQ lower N", "IRQ msi ADDR DATA") may come before any reply; they
are collected in irq_levels / irq_events / msis.

Shared helpers for device tests: PCI configuration access and enumeration
through 0xCF8/0xCFC with BAR sizing and mapping (PCI), and a bump allocator
over guest RAM (GuestAlloc).
"""
import base64
import os
import pathlib
import re
import select
import socket
import subprocess
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("BUILD", ROOT / "build"))
if not BUILD.is_absolute():
    BUILD = ROOT / BUILD
KVMRUN = os.environ.get("KVMRUN", str(BUILD / "kvmrun-san"))

# What the sanitizers print when they find something.
SANITIZER_RE = re.compile(
    r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|"
    r"UndefinedBehaviorSanitizer|AddressSanitizer:DEADLYSIGNAL")

DEFAULT_TIMEOUT = 20.0


class QTestError(Exception):
    """A command answered FAIL or ERR, or the connection broke."""

    def __init__(self, cmd, reply):
        super().__init__(f"{cmd!r} -> {reply!r}")
        self.cmd = cmd
        self.reply = reply


class SanitizerError(AssertionError):
    pass


class _Drain(threading.Thread):
    """Reads a pipe to the end into a buffer others can wait on."""

    def __init__(self, pipe):
        super().__init__(daemon=True)
        self.pipe = pipe
        self.data = bytearray()
        self.cond = threading.Condition()
        self.eof = False
        self.start()

    def run(self):
        while True:
            try:
                chunk = os.read(self.pipe.fileno(), 65536)
            except OSError:
                chunk = b""
            with self.cond:
                if not chunk:
                    self.eof = True
                    self.cond.notify_all()
                    return
                self.data += chunk
                self.cond.notify_all()

    def wait_for(self, pattern, timeout):
        """Wait until the data matches the regex (bytes); returns the match."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                m = rx.search(bytes(self.data))
                if m:
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or self.eof:
                    return None
                self.cond.wait(left)

    def text(self):
        with self.cond:
            return bytes(self.data).decode(errors="replace")


class QTest:
    def __init__(self, args=(), *, timeout=DEFAULT_TIMEOUT, server=False,
                 qtest_log=None, stdin=True, env=None, kvmrun=KVMRUN):
        self.timeout = timeout
        self.tmp = tempfile.TemporaryDirectory(prefix="kvmrun-qtest-")
        self.sock_path = os.path.join(self.tmp.name, "qtest.sock")
        self.sock = None
        self.proc = None
        self.buf = b""
        self.irq_levels = {}
        self.irq_events = []        # (n, level) in arrival order
        self.msis = []              # (addr, data)
        self.closed = False
        self.returncode = None
        listener = None
        chardev = "unix:" + self.sock_path
        if server:
            chardev += ",server=on,wait=off"
        else:
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(self.sock_path)
            listener.listen(1)
            listener.settimeout(timeout)
        self.argv = [kvmrun, "-accel", "qtest", "-qtest", chardev,
                     "-nodefaults", "-display", "none"]
        if qtest_log:
            self.argv += ["-qtest-log", str(qtest_log)]
        self.argv += [str(a) for a in args]
        full_env = dict(os.environ)
        full_env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
        full_env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
        if env:
            full_env.update(env)
        try:
            self.proc = subprocess.Popen(
                self.argv, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env)
            self.stdout = _Drain(self.proc.stdout)
            self.stderr = _Drain(self.proc.stderr)
            if server:
                self.sock = self._connect(timeout)
            else:
                self.sock = self._accept(listener, timeout)
        except BaseException:
            self.kill()
            raise
        finally:
            if listener:
                listener.close()

    # ---- process and connection ----

    def _accept(self, listener, timeout):
        deadline = time.monotonic() + timeout
        while True:
            try:
                listener.settimeout(0.1)
                conn, _ = listener.accept()
                return conn
            except socket.timeout:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"kvmrun exited with {self.proc.returncode} before "
                    f"connecting:\n{self._stderr_after_exit()}")
            if time.monotonic() > deadline:
                raise RuntimeError("kvmrun did not connect to the qtest socket "
                                   f"in {timeout}s:\n{self.stderr.text()}")

    def _connect(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(self.sock_path)
                return s
            except (FileNotFoundError, ConnectionRefusedError):
                s.close()
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"kvmrun exited with {self.proc.returncode}:\n"
                    f"{self._stderr_after_exit()}")
            if time.monotonic() > deadline:
                raise RuntimeError("kvmrun's qtest socket did not appear")
            time.sleep(0.02)

    def _stderr_after_exit(self):
        self.stderr.join(5)
        return self.stderr.text()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def wait_exit(self, timeout=None):
        """Wait for kvmrun to end by itself; its exit status."""
        timeout = self.timeout if timeout is None else timeout
        try:
            self.returncode = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"kvmrun did not exit within {timeout}s")
        self._finish()
        return self.returncode

    def close(self):
        """Hang up (kvmrun then exits 0 by itself), kill if it does not."""
        if self.closed:
            return self.returncode
        if self.sock:
            self.sock.close()
            self.sock = None
        if self.proc and self.proc.poll() is None:
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
                self._finish()
                raise AssertionError("kvmrun did not exit after the qtest "
                                     "client hung up")
        if self.proc:
            self.returncode = self.proc.returncode
        self._finish()
        return self.returncode

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        if self.sock:
            self.sock.close()
            self.sock = None
        self.closed = True
        self.tmp.cleanup()

    def _finish(self):
        if self.closed:
            return
        self.closed = True
        if self.sock:
            self.sock.close()
            self.sock = None
        if self.proc.stdin:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        self.stdout.join(5)
        self.stderr.join(5)
        self.tmp.cleanup()
        err = self.stderr.text()
        if SANITIZER_RE.search(err):
            raise SanitizerError(f"sanitizer report from kvmrun:\n{err}")

    # ---- the line protocol ----

    def send_raw(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def _readline(self, timeout):
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no reply from kvmrun in time")
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                continue
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("kvmrun closed the qtest socket:\n"
                                      + self.stderr.text())
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode(errors="replace")

    def _async(self, line):
        words = line.split()
        if len(words) == 3 and words[1] in ("raise", "lower"):
            n, level = int(words[2]), words[1] == "raise"
            self.irq_levels[n] = level
            self.irq_events.append((n, level))
        elif len(words) == 4 and words[1] == "msi":
            self.msis.append((int(words[2], 16), int(words[3], 16)))
        else:
            raise QTestError("(async)", line)

    def reply(self, timeout=None):
        """The next reply line, handling asynchronous lines before it."""
        timeout = self.timeout if timeout is None else timeout
        while True:
            line = self._readline(timeout)
            if line.startswith("IRQ "):
                self._async(line)
                continue
            return line

    def poll_async(self, timeout=0.2):
        """Collect asynchronous lines that arrive without a command."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if b"\n" not in self.buf:
                if left <= 0:
                    return
                r, _, _ = select.select([self.sock], [], [], left)
                if not r:
                    return
                chunk = self.sock.recv(65536)
                if not chunk:
                    return
                self.buf += chunk
                continue
            line, self.buf = self.buf.split(b"\n", 1)
            line = line.decode(errors="replace")
            if not line.startswith("IRQ "):
                raise QTestError("(none)", line)
            self._async(line)

    def raw_cmd(self, line, timeout=None):
        """Send one line, return the reply line whatever it says."""
        self.send_raw(line + "\n")
        return self.reply(timeout)

    def cmd(self, line, timeout=None):
        """Send one line; the reply's words after OK (FAIL/ERR raise)."""
        reply = self.raw_cmd(line, timeout)
        if reply != "OK" and not reply.startswith("OK "):
            raise QTestError(line, reply)
        return reply[3:]

    # ---- commands ----

    def outb(self, port, v):
        self.cmd(f"outb 0x{port:x} 0x{v:x}")

    def outw(self, port, v):
        self.cmd(f"outw 0x{port:x} 0x{v:x}")

    def outl(self, port, v):
        self.cmd(f"outl 0x{port:x} 0x{v:x}")

    def inb(self, port):
        return int(self.cmd(f"inb 0x{port:x}"), 16)

    def inw(self, port):
        return int(self.cmd(f"inw 0x{port:x}"), 16)

    def inl(self, port):
        return int(self.cmd(f"inl 0x{port:x}"), 16)

    def writeb(self, addr, v):
        self.cmd(f"writeb 0x{addr:x} 0x{v:x}")

    def writew(self, addr, v):
        self.cmd(f"writew 0x{addr:x} 0x{v:x}")

    def writel(self, addr, v):
        self.cmd(f"writel 0x{addr:x} 0x{v:x}")

    def writeq(self, addr, v):
        self.cmd(f"writeq 0x{addr:x} 0x{v:x}")

    def readb(self, addr):
        return int(self.cmd(f"readb 0x{addr:x}"), 16)

    def readw(self, addr):
        return int(self.cmd(f"readw 0x{addr:x}"), 16)

    def readl(self, addr):
        return int(self.cmd(f"readl 0x{addr:x}"), 16)

    def readq(self, addr):
        return int(self.cmd(f"readq 0x{addr:x}"), 16)

    def memread(self, addr, size):
        data = self.cmd(f"read 0x{addr:x} 0x{size:x}")
        return bytes.fromhex(data[2:])

    def memwrite(self, addr, data):
        self.cmd(f"write 0x{addr:x} 0x{len(data):x} 0x{bytes(data).hex()}")

    def bufread(self, addr, size):
        return base64.b64decode(self.cmd(f"b64read 0x{addr:x} 0x{size:x}"))

    def bufwrite(self, addr, data):
        enc = base64.b64encode(bytes(data)).decode()
        self.cmd(f"b64write 0x{addr:x} 0x{len(data):x} {enc}")

    def memset(self, addr, size, value):
        self.cmd(f"memset 0x{addr:x} 0x{size:x} 0x{value:x}")

    def clock_step(self, ns=None):
        return int(self.cmd("clock_step" if ns is None else f"clock_step {ns}"))

    def clock_set(self, ns):
        return int(self.cmd(f"clock_set {ns}"))

    def irq_intercept_in(self, path="ioapic"):
        self.cmd(f"irq_intercept_in {path}")

    def irq_intercept_out(self, path):
        self.cmd(f"irq_intercept_out {path}")

    def set_irq_in(self, path, num, level, name="unnamed-gpio-in"):
        self.cmd(f"set_irq_in {path} {name} {num} {level}")

    def get_irq(self, n):
        """The last level reported for IRQ n (after any pending lines)."""
        self.poll_async(0)
        return self.irq_levels.get(n, False)


class GuestAlloc:
    """A bump allocator over guest RAM for buffers the test hands devices."""

    def __init__(self, start=0x100000, end=0x8000000):
        self.next = start
        self.end = end

    def alloc(self, size, align=16):
        addr = (self.next + align - 1) & ~(align - 1)
        if addr + size > self.end:
            raise MemoryError("guest allocator exhausted")
        self.next = addr + size
        return addr


PCI_VENDOR_ID = 0x00
PCI_DEVICE_ID = 0x02
PCI_COMMAND = 0x04
PCI_STATUS = 0x06
PCI_CLASS_REVISION = 0x08
PCI_HEADER_TYPE = 0x0e
PCI_BAR0 = 0x10
PCI_COMMAND_IO = 0x1
PCI_COMMAND_MEMORY = 0x2
PCI_COMMAND_MASTER = 0x4


class PCIDevice:
    def __init__(self, pci, bus, dev, fn):
        self.pci, self.bus, self.dev, self.fn = pci, bus, dev, fn
        self.bars = {}              # index -> (address, size, is_io)

    @property
    def bdf(self):
        return (self.bus << 8) | (self.dev << 3) | self.fn

    def cfg_read(self, off, size=4):
        return self.pci.cfg_read(self.bdf, off, size)

    def cfg_write(self, off, v, size=4):
        self.pci.cfg_write(self.bdf, off, v, size)

    @property
    def vendor_id(self):
        return self.cfg_read(PCI_VENDOR_ID, 2)

    @property
    def device_id(self):
        return self.cfg_read(PCI_DEVICE_ID, 2)

    @property
    def class_code(self):
        return self.cfg_read(PCI_CLASS_REVISION) >> 8

    def bar_probe(self, i):
        """Size BAR i by writing all ones; (size, is_io, is_64) or None."""
        off = PCI_BAR0 + 4 * i
        old = self.cfg_read(off)
        self.cfg_write(off, 0xffffffff)
        v = self.cfg_read(off)
        self.cfg_write(off, old)
        if v == 0:
            return None
        if old & 1:
            return ((~(v & ~0x3) & 0xffff) + 1, True, False)
        is_64 = (old >> 1) & 3 == 2
        size = (~(v & ~0xf) & 0xffffffff) + 1
        if is_64:
            hi_off = off + 4
            hi_old = self.cfg_read(hi_off)
            self.cfg_write(hi_off, 0xffffffff)
            hi = self.cfg_read(hi_off)
            self.cfg_write(hi_off, hi_old)
            size = ((~((hi << 32) | (v & ~0xf))) & 0xffffffffffffffff) + 1
        return (size, False, is_64)

    def map_bar(self, i):
        """Give BAR i an address from the PCI windows; returns it."""
        probe = self.bar_probe(i)
        if probe is None:
            raise ValueError(f"BAR{i} of {self.bdf:04x} is not implemented")
        size, is_io, is_64 = probe
        addr = self.pci.alloc_bar(size, is_io)
        off = PCI_BAR0 + 4 * i
        self.cfg_write(off, addr & 0xffffffff)
        if is_64:
            self.cfg_write(off + 4, addr >> 32)
        cmd = self.cfg_read(PCI_COMMAND, 2)
        cmd |= PCI_COMMAND_IO if is_io else PCI_COMMAND_MEMORY
        self.cfg_write(PCI_COMMAND, cmd | PCI_COMMAND_MASTER, 2)
        self.bars[i] = (addr, size, is_io)
        return addr


class PCI:
    """Configuration mechanism #1 (0xCF8/0xCFC) and BAR allocation."""

    def __init__(self, qt, mmio_base=0xC0000000, io_base=0xC000):
        self.qt = qt
        self.mmio_next = mmio_base
        self.io_next = io_base

    def _addr(self, bdf, off):
        return 0x80000000 | (bdf << 8) | (off & 0xfc)

    def cfg_read(self, bdf, off, size=4):
        self.qt.outl(0xcf8, self._addr(bdf, off))
        port = 0xcfc + (off & 3)
        return {1: self.qt.inb, 2: self.qt.inw, 4: self.qt.inl}[size](port)

    def cfg_write(self, bdf, off, v, size=4):
        self.qt.outl(0xcf8, self._addr(bdf, off))
        port = 0xcfc + (off & 3)
        {1: self.qt.outb, 2: self.qt.outw, 4: self.qt.outl}[size](port, v)

    def alloc_bar(self, size, is_io):
        if is_io:
            addr = (self.io_next + size - 1) & ~(size - 1)
            self.io_next = addr + size
        else:
            addr = (self.mmio_next + size - 1) & ~(size - 1)
            self.mmio_next = addr + size
        return addr

    def devices(self, bus=0):
        """Every function present on bus (vendor ID not 0xffff)."""
        found = []
        for dev in range(32):
            d = PCIDevice(self, bus, dev, 0)
            if d.vendor_id == 0xffff:
                continue
            found.append(d)
            if d.cfg_read(PCI_HEADER_TYPE, 1) & 0x80:
                for fn in range(1, 8):
                    f = PCIDevice(self, bus, dev, fn)
                    if f.vendor_id != 0xffff:
                        found.append(f)
        return found

    def find(self, vendor, device):
        for d in self.devices():
            if d.vendor_id == vendor and d.device_id == device:
                return d
        return None
