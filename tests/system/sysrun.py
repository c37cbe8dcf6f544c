"""Helpers for the end-to-end tests of the kvmrun binary (tests/system).

These tests run the program the user runs -- $KVMRUN, default
build/kvmrun-san (ASan + UBSan) -- and look at what the user sees: the exit
status, every line on stderr, the console on stdout, and the terminal's
settings afterwards.  Every wait is bounded; a process that outlives its
test is killed.
"""
import fcntl
import os
import pathlib
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "qtest"))

from qtest import SANITIZER_RE  # noqa: E402

BUILD = pathlib.Path(os.environ.get("BUILD", ROOT / "build"))
if not BUILD.is_absolute():
    BUILD = ROOT / BUILD
KVMRUN = os.environ.get("KVMRUN", str(BUILD / "kvmrun-san"))
GUESTS = BUILD / "guest"
KIT = BUILD / "guest-kit"

DEBUG_EXIT = ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
# The start-up note on hosts whose KVM emulates guest kernel code.
PVM_NOTE_RE = re.compile(r"^kvmrun: warning: .*kvm_pvm.*$", re.M)
HOST_IS_PVM = os.path.exists("/sys/module/kvm_pvm")

ENV = dict(os.environ)
ENV.setdefault("ASAN_OPTIONS", "detect_leaks=1")
ENV.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")


def need_kvmrun():
    if not os.access(KVMRUN, os.X_OK):
        pytest.fail(f"{KVMRUN}: not built (make build/kvmrun-san) or set KVMRUN")


KVM_GET_API_VERSION = 0xAE00


def kvm_unusable():
    """Why /dev/kvm cannot be used here, or None."""
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError as e:
        return f"/dev/kvm: {e.strerror}"
    try:
        version = fcntl.ioctl(fd, KVM_GET_API_VERSION)
    except OSError as e:
        return f"/dev/kvm is not KVM: {e.strerror}"
    finally:
        os.close(fd)
    if version != 12:
        return f"/dev/kvm: KVM API version {version}, not 12"
    return None


def need_kvm():
    why = kvm_unusable()
    if why:
        pytest.skip(why)


def guest(name):
    path = GUESTS / f"{name}.elf"
    if not path.exists():
        pytest.fail(f"{path}: missing; run `make guests`")
    return path


def text(b):
    return b.decode("utf-8", "replace") if isinstance(b, bytes) else b


def lines(err):
    """stderr as lines, without the line ends (a tty's "\\r\\n" too)."""
    return [ln.rstrip("\r") for ln in text(err).splitlines()]


def messages(err):
    """kvmrun's lines on stderr other than the kvm_pvm start-up note."""
    return [ln for ln in lines(err) if not PVM_NOTE_RE.match(ln)]


def pvm_notes(err):
    return len(PVM_NOTE_RE.findall(text(err).replace("\r", "")))


def check_clean(err):
    """No sanitizer report on stderr."""
    err = text(err)
    assert not SANITIZER_RE.search(err), f"sanitizer report:\n{err}"


def check_note(err, started=True):
    """The kvm_pvm note: once if a guest was started on a kvm_pvm host."""
    want = 1 if (started and HOST_IS_PVM) else 0
    got = pvm_notes(err)
    assert got == want, f"kvm_pvm note printed {got} times, expected {want}:\n{text(err)}"


class Result:
    def __init__(self, argv, status, out, err, elapsed):
        self.argv, self.status, self.out, self.err = argv, status, out, err
        self.elapsed = elapsed

    def __str__(self):
        return (f"$ {' '.join(map(str, self.argv))}\nstatus {self.status} "
                f"after {self.elapsed:.2f} s\n--- stdout ---\n{text(self.out)[-3000:]}"
                f"\n--- stderr ---\n{text(self.err)[-3000:]}")


def run(args, timeout=30, stdin=subprocess.DEVNULL, prefix=(), env=None):
    """Run kvmrun to its end; the test fails if it does not end in time."""
    need_kvmrun()
    argv = list(prefix) + [KVMRUN] + [str(a) for a in args]
    t0 = time.monotonic()
    try:
        r = subprocess.run(argv, stdin=stdin, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout, env=env or ENV)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"timed out after {timeout} s (killed):\n$ {' '.join(argv)}\n"
                    f"{text(e.stderr or b'')[-3000:]}", pytrace=False)
    res = Result(argv, r.returncode, r.stdout, r.stderr, time.monotonic() - t0)
    check_clean(res.err)
    return res


class Drain(threading.Thread):
    """Reads an fd into a buffer until EOF/EIO or stop(); waitable."""

    def __init__(self, fd):
        super().__init__(daemon=True)
        self.fd = fd
        self.data = bytearray()
        self.cond = threading.Condition()
        self.eof = False
        self._halt = False
        self.start()

    def run(self):
        while not self._halt:
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if not r:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                chunk = b""
            with self.cond:
                if not chunk:
                    break
                self.data += chunk
                self.cond.notify_all()
        with self.cond:
            self.eof = True
            self.cond.notify_all()

    def stop(self):
        self._halt = True
        self.join(5)

    def wait_for(self, pattern, timeout=10):
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

    def bytes(self):
        with self.cond:
            return bytes(self.data)


class VM:
    """kvmrun in the background, with stdout and stderr drained.

    tty=True runs it on a new pseudo-terminal as a session leader with the
    terminal as its controlling tty (a shell's foreground job): stdin and
    stdout are the terminal, stderr too with err_on_tty, else a pipe.  The
    terminal gets the settings in `initial` first; self.slave stays open so
    the test can read the settings at any time.
    """

    def __init__(self, args, *, tty=False, err_on_tty=False, stdin=subprocess.DEVNULL,
                 qtest=False, env=None):
        need_kvmrun()
        self.tmp = tempfile.TemporaryDirectory(prefix="kvmrun-sys-")
        self.sock_path = os.path.join(self.tmp.name, "qtest.sock")
        argv = [KVMRUN]
        if qtest:
            argv += ["-accel", "qtest", "-qtest", f"unix:{self.sock_path},server=on,wait=off"]
        self.argv = argv + [str(a) for a in args]
        self.master = self.slave = None
        self.err_drain = None
        self.status = None
        if tty:
            self.master, self.slave, self.initial = open_tty()
            stdin = stdout = self.slave
            stderr = self.slave if err_on_tty else subprocess.PIPE
            pre = become_tty_leader
        else:
            stdout, stderr, pre = subprocess.PIPE, subprocess.PIPE, None
        self.proc = subprocess.Popen(self.argv, stdin=stdin, stdout=stdout, stderr=stderr,
                                     start_new_session=tty, preexec_fn=pre,
                                     env=env or ENV)
        if tty:
            self.out = Drain(self.master)
        else:
            self.out = Drain(self.proc.stdout.fileno())
        if self.proc.stderr:
            self.err_drain = Drain(self.proc.stderr.fileno())

    # -- the process --

    def running(self):
        return self.proc.poll() is None

    def signal(self, sig):
        if self.running():
            self.proc.send_signal(sig)

    def wait(self, timeout=20):
        """Wait for the end; fails the test if it does not come."""
        try:
            self.status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"kvmrun did not exit within {timeout} s:\n{self}", pytrace=False)
        self._finish()
        return self.status

    def kill(self):
        if self.running():
            self.proc.kill()
            self.proc.wait(10)
        self._finish()

    def _finish(self):
        if self.err_drain:
            self.err_drain.join(5)
        if self.master is not None:
            # Let what the terminal holds arrive, then stop reading it.
            time.sleep(0.05)
            self.out.stop()
        else:
            self.out.join(5)

    def close(self):
        self.kill()
        for fd in (self.master, self.slave):
            if fd is not None:
                os.close(fd)
        self.master = self.slave = None
        if self.proc.stdout:
            self.proc.stdout.close()
        if self.proc.stderr:
            self.proc.stderr.close()
        self.tmp.cleanup()

    @property
    def err(self):
        if self.err_drain:
            return self.err_drain.bytes()
        return self.out.bytes()

    def __str__(self):
        return (f"$ {' '.join(self.argv)}\nstatus {self.status}\n--- stdout ---\n"
                f"{text(self.out.bytes())[-3000:]}\n--- stderr ---\n"
                f"{text(self.err)[-3000:] if self.err_drain else '(on the terminal)'}")

    # -- the terminal --

    def type(self, data):
        os.write(self.master, data)

    def termios(self):
        return termios.tcgetattr(self.slave)

    def wait_raw(self, timeout=10):
        """Wait until kvmrun has put the terminal in raw mode."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.termios()[3] & termios.ICANON:
                return True
            if not self.running():
                return False
            time.sleep(0.01)
        return False

    # -- qtest --

    def qtest(self, timeout=10):
        """Connect to kvmrun's qtest socket (server=on,wait=off)."""
        return connect_qtest(self.sock_path, self.running, timeout, self)


def connect_qtest(path, alive, timeout=10, what=""):
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return QTestLink(s)
        except (FileNotFoundError, ConnectionRefusedError):
            s.close()
        if not alive():
            pytest.fail(f"kvmrun exited before its qtest socket appeared:\n{what}")
        if time.monotonic() > deadline:
            pytest.fail(f"kvmrun's qtest socket did not appear in {timeout} s")
        time.sleep(0.02)


def open_tty():
    """A new pseudo-terminal set up as a shell's: (master, slave, settings)."""
    master, slave = os.openpty()
    set_cooked(slave)
    return master, slave, termios.tcgetattr(slave)


class QTestLink:
    """Just enough of the qtest line protocol to play a UART driver."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def cmd(self, line, timeout=10):
        self.sock.sendall(line.encode() + b"\n")
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" not in self.buf:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no reply to {line!r}")
                r, _, _ = select.select([self.sock], [], [], left)
                if r:
                    chunk = self.sock.recv(65536)
                    if not chunk:
                        raise ConnectionError(f"kvmrun hung up on {line!r}")
                    self.buf += chunk
            reply, self.buf = self.buf.split(b"\n", 1)
            reply = reply.decode()
            if reply.startswith("IRQ "):
                continue
            if reply != "OK" and not reply.startswith("OK "):
                raise RuntimeError(f"{line!r} -> {reply!r}")
            return reply[3:]

    def outb(self, port, v):
        self.cmd(f"outb 0x{port:x} 0x{v:x}")

    def outb_many(self, port, data, chunk=1000, timeout=30):
        """outb of each byte, pipelined a chunk at a time (fast)."""
        for i in range(0, len(data), chunk):
            part = data[i:i + chunk]
            self.sock.sendall(b"".join(b"outb 0x%x 0x%x\n" % (port, c) for c in part))
            for _ in part:
                self.reply_ok(timeout)

    def reply_ok(self, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" not in self.buf:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no reply from kvmrun in time")
                r, _, _ = select.select([self.sock], [], [], left)
                if r:
                    chunk = self.sock.recv(1 << 16)
                    if not chunk:
                        raise ConnectionError("kvmrun hung up")
                    self.buf += chunk
            reply, self.buf = self.buf.split(b"\n", 1)
            if reply.startswith(b"IRQ "):
                continue
            if reply != b"OK" and not reply.startswith(b"OK "):
                raise RuntimeError(f"reply {reply!r}")
            return

    def inb(self, port):
        return int(self.cmd(f"inb 0x{port:x}"), 16)

    def close(self):
        self.sock.close()


COM1 = 0x3f8
LSR = COM1 + 5


def uart_read(qt, n, timeout=10):
    """Up to n bytes the guest's UART received, polling LSR.DR."""
    got = bytearray()
    deadline = time.monotonic() + timeout
    while len(got) < n and time.monotonic() < deadline:
        if qt.inb(LSR) & 0x01:
            got.append(qt.inb(COM1))
        else:
            time.sleep(0.01)
    return bytes(got)


def uart_drain_quiet(qt, quiet=0.5):
    """Whatever else arrives within `quiet` seconds of silence."""
    got = bytearray()
    deadline = time.monotonic() + quiet
    while time.monotonic() < deadline:
        if qt.inb(LSR) & 0x01:
            got.append(qt.inb(COM1))
            deadline = time.monotonic() + quiet
        else:
            time.sleep(0.01)
    return bytes(got)


def become_tty_leader():
    # After setsid (start_new_session): make stdin, the terminal, ours.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def set_cooked(fd):
    """A shell's terminal, with a few unusual values that a restore which
    rebuilds settings (instead of putting back the saved ones) would lose."""
    t = termios.tcgetattr(fd)
    t[0] = termios.ICRNL | termios.IXON | termios.IXANY | termios.IMAXBEL | termios.BRKINT
    t[1] = termios.OPOST | termios.ONLCR
    t[2] = (t[2] & ~termios.CSIZE) | termios.CS8 | termios.CREAD
    t[3] = (termios.ISIG | termios.ICANON | termios.ECHO | termios.ECHOE | termios.ECHOK
            | termios.IEXTEN | termios.ECHOCTL | termios.ECHOKE)
    cc = list(t[6])
    cc[termios.VERASE] = b"\x08"
    cc[termios.VKILL] = b"\x15"
    cc[termios.VEOF] = b"\x04"
    cc[termios.VMIN] = b"\x01"
    cc[termios.VTIME] = b"\x00"
    t[6] = cc
    termios.tcsetattr(fd, termios.TCSANOW, t)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))


def sig_name(sig):
    return signal.Signals(sig).name[3:]
