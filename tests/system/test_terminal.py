"""Item 7 of issue 2, the console on a terminal: raw mode while kvmrun runs,
the Ctrl-A escapes, and the terminal's settings put back exactly on every
way out; and with no terminal, output flows and input EOF ends nothing.

kvmrun runs on a new pseudo-terminal as its session's foreground job (as
from a shell).  What the guest receives is read from the UART's RBR through
the qtest socket (-accel qtest), so no guest CPU is needed for that; the
exit paths that need a guest (power-off, fatal exit, reset) use the KVM
test guests."""
import os
import select
import signal
import subprocess
import sys
import termios
import time

import pytest

from sysrun import (COM1, DEBUG_EXIT, ENV, KVMRUN, become_tty_leader, check_clean,
                    check_note, connect_qtest, guest, messages, need_kvm, need_kvmrun,
                    open_tty, text, uart_drain_quiet, uart_read)

SERIAL = ["-nodefaults", "-serial", "stdio"]
CTRL_A = b"\x01"


def start_tty(vm, args=(), nographic=True, qtest=True, **kw):
    args = list(args) + SERIAL + (["-nographic"] if nographic else [])
    v = vm(args, tty=True, qtest=qtest, **kw)
    assert v.wait_raw(), f"the terminal never went raw:\n{v}"
    return v


def check_restored(v):
    now = v.termios()
    assert now == v.initial, (f"terminal settings not restored:\nbefore {v.initial}\n"
                              f"after  {now}\n{v}")


def check_quit_by_user(v):
    status = v.wait(20)
    check_clean(v.err)
    msgs = messages(v.err)
    assert status == 0, v
    assert len(msgs) == 1 and "Ctrl-A x" in msgs[0], f"{msgs}\n{v}"
    check_restored(v)


# ---- raw mode and the escapes ----

@pytest.mark.parametrize("nographic", [True, False], ids=["nographic", "graphic-none"])
def test_raw_mode_while_running(vm, nographic):
    v = start_tty(vm, nographic=nographic, qtest=True)
    t = v.termios()
    iflag, oflag, cflag, lflag, cc = t[0], t[1], t[2], t[3], t[6]
    for name in ("ICRNL", "IXON", "INLCR", "IGNCR", "ISTRIP"):
        assert not iflag & getattr(termios, name), f"{name} still set"
    for name in ("ICANON", "ECHO", "IEXTEN"):
        assert not lflag & getattr(termios, name), f"{name} still set"
    # Ctrl-C goes to the guest under -nographic, as QEMU's; else it is SIGINT.
    assert bool(lflag & termios.ISIG) == (not nographic)
    assert cflag & termios.CSIZE == termios.CS8
    assert oflag & termios.OPOST, "console output lost its \\n -> \\r\\n"
    assert cc[termios.VMIN] in (1, b"\x01") and cc[termios.VTIME] in (0, b"\x00")
    v.type(CTRL_A + b"x")
    check_quit_by_user(v)


def test_ctrl_a_x_message_on_the_terminal(vm):
    """stderr on the terminal too, as a user runs it: the message shows."""
    v = start_tty(vm, err_on_tty=True)
    v.type(CTRL_A + b"x")
    status = v.wait(20)
    out = text(v.out.bytes())
    check_clean(out)
    assert status == 0, v
    assert out.count("Ctrl-A x") == 1, repr(out)
    check_restored(v)


def test_ctrl_a_h_prints_help(vm):
    v = start_tty(vm)
    v.type(CTRL_A + b"h")
    m = v.out.wait_for(rb"(?s)C-a x.*C-a C-a", 10)
    assert m, f"no help after Ctrl-A h:\n{v}"
    time.sleep(0.2)
    assert v.running(), "Ctrl-A h ended kvmrun"
    v.type(CTRL_A + b"x")
    check_quit_by_user(v)


def test_ctrl_a_ctrl_a_sends_one(vm):
    v = start_tty(vm)
    qt = v.qtest()
    v.type(CTRL_A + CTRL_A + b"Z")
    got = uart_read(qt, 2) + uart_drain_quiet(qt)
    assert got == b"\x01Z", f"guest received {got!r}, expected b'\\x01Z'"
    v.type(CTRL_A + b"x")
    check_quit_by_user(v)
    qt.close()


def test_raw_bytes_reach_the_guest(vm):
    """No line discipline in the way: CR stays CR, and ^C ^Z ^Q ^S ^D DEL
    are bytes for the guest (under -nographic), not signals or flow control."""
    v = start_tty(vm)
    qt = v.qtest()
    sent = b"a\rb\x03\x1a\x11\x13\x04\x7f\x1c\n\xff"
    v.type(sent)
    got = uart_read(qt, len(sent)) + uart_drain_quiet(qt)
    assert got == sent, f"guest received {got!r}, sent {sent!r}"
    assert v.running()
    v.type(CTRL_A + b"x")
    check_quit_by_user(v)
    qt.close()


def test_unknown_escape_is_swallowed(vm):
    v = start_tty(vm)
    qt = v.qtest()
    v.type(CTRL_A + b"q" + b"k")
    got = uart_read(qt, 1) + uart_drain_quiet(qt)
    assert got == b"k", f"guest received {got!r}"
    v.type(CTRL_A + b"c")                   # no monitor: says so, runs on
    time.sleep(0.3)
    assert v.running()
    v.type(CTRL_A + b"x")
    status = v.wait(20)
    check_clean(v.err)
    msgs = messages(v.err)
    assert status == 0, v
    assert len(msgs) == 2 and "monitor" in msgs[0] and "Ctrl-A x" in msgs[1], msgs
    check_restored(v)
    qt.close()


def test_ctrl_a_x_twice_says_it_once(vm):
    """An impatient user types Ctrl-A x twice (or the key repeats): kvmrun
    quits once and says so once."""
    v = start_tty(vm)
    v.type(CTRL_A + b"x" + CTRL_A + b"x")
    check_quit_by_user(v)


def test_ctrl_c_without_nographic_is_sigint(vm):
    v = start_tty(vm, nographic=False)
    v.type(b"\x03")
    status = v.wait(20)
    check_clean(v.err)
    msgs = messages(v.err)
    assert status == 0, v
    assert len(msgs) == 1 and "INT" in msgs[0], msgs
    check_restored(v)


def test_ctrl_a_x_beats_pending_reset(vm):
    """The guest asks for a reset and the user types Ctrl-A x in the same
    event-loop round (kvmrun held with SIGSTOP while both arrive): quit."""
    v = start_tty(vm)
    qt = v.qtest()
    qt.inb(COM1 + 5)                        # connected and served
    v.proc.send_signal(signal.SIGSTOP)
    try:
        time.sleep(0.1)
        qt.sock.sendall(b"outb 0xcf9 0x6\n")     # reset, as the guest would
        v.type(CTRL_A + b"x")
        time.sleep(0.1)
    finally:
        v.proc.send_signal(signal.SIGCONT)
    try:
        v.proc.wait(5)
    except subprocess.TimeoutExpired:
        v.kill()
        pytest.fail(f"still running 5 s after Ctrl-A x:\n{v}", pytrace=False)
    check_quit_by_user(v)
    qt.close()


# ---- the terminal restored on every way out ----

def _ctrl_a_x(v, qt):
    v.type(CTRL_A + b"x")


def _sigterm(v, qt):
    v.signal(signal.SIGTERM)


def _sighup(v, qt):
    v.signal(signal.SIGHUP)


def _qtest_hangup(v, qt):
    qt.close()


def _debug_exit(v, qt):
    qt.outb(0xf4, 0x2a)


QTEST_EXITS = [
    ("ctrl-a-x", _ctrl_a_x, 0, r"Ctrl-A x"),
    ("sigterm", _sigterm, 0, r"signal TERM"),
    ("sighup", _sighup, 0, r"signal HUP"),
    ("qtest-hangup", _qtest_hangup, 0, None),
    ("debug-exit", _debug_exit, (0x2a << 1) | 1, None),
]


@pytest.mark.parametrize("how,action,status,msg", QTEST_EXITS,
                         ids=[e[0] for e in QTEST_EXITS])
def test_restored_on_exit_qtest(vm, how, action, status, msg):
    v = start_tty(vm, DEBUG_EXIT)
    qt = v.qtest()
    qt.outb(COM1, ord("."))
    assert v.out.wait_for(rb"\.", 10), v
    action(v, qt)
    got = v.wait(20)
    check_clean(v.err)
    msgs = messages(v.err)
    assert got == status, v
    if msg:
        assert len(msgs) == 1 and msg in msgs[0], msgs
    else:
        assert msgs == [], msgs
    check_restored(v)
    qt.close()


KVM_EXITS = [
    # (id, guest, args, status, regex that must match stderr's other lines)
    ("poweroff", "poweroff", [], 0, None),
    ("debug-exit", "hello", [], 1, None),
    ("reset-then-pass", "reboot", ["-append", "method=cf9"], 1, None),
    ("reset-no-reboot", "reboot", ["-append", "method=kbd", "-no-reboot"], 0, None),
    ("triple-fault-fatal", "triplefault", ["-no-reboot"], 2, "code at"),
]


@pytest.mark.parametrize("how,name,args,status,dump", KVM_EXITS,
                         ids=[e[0] for e in KVM_EXITS])
def test_restored_on_exit_kvm(vm, how, name, args, status, dump):
    need_kvm()
    v = vm(["-kernel", guest(name)] + args + SERIAL + ["-nographic"] + DEBUG_EXIT, tty=True)
    got = v.wait(30)
    check_clean(v.err)
    assert got == status, v
    msgs = messages(v.err)
    if dump:
        assert any(dump in m for m in msgs), v
    else:
        assert msgs == [], v
    check_note(v.err)
    check_restored(v)


def test_restored_on_ctrl_a_x_kvm(vm):
    need_kvm()
    v = vm(["-kernel", guest("hello")] + SERIAL + ["-nographic"], tty=True)
    assert v.out.wait_for(rb"halting", 20), v
    assert v.wait_raw(1), "the terminal is not raw while the guest runs"
    v.type(CTRL_A + b"x")
    check_quit_by_user(v)


SETUP_ERRORS = [
    # A kernel that fails to load: the console (and raw mode) comes first.
    ("empty-kernel", lambda tmp: ["-kernel", _empty(tmp)], "not a bzImage"),
    ("missing-initrd", lambda tmp: ["-kernel", str(guest("hello")), "-initrd",
                                    os.path.join(tmp, "no-such-initrd")], "no-such-initrd"),
    ("cmdline-too-long", lambda tmp: ["-kernel", str(guest("hello-mb")),
                                      "-append", "x" * 40000], "too long"),
    # Before the console: nothing to restore, nothing may change.
    ("bad-option", lambda tmp: ["-kernel", str(guest("hello")), "-bogus"], "-bogus"),
    ("bad-memory", lambda tmp: ["-kernel", str(guest("hello")), "-m", "1M"], "-m"),
]


def _empty(tmp):
    path = os.path.join(tmp, "empty")
    open(path, "wb").close()
    return path


@pytest.mark.parametrize("how,make_args,msg", SETUP_ERRORS, ids=[e[0] for e in SETUP_ERRORS])
def test_restored_on_setup_error(vm, tmp_path, how, make_args, msg):
    """Set-up errors after the console took the terminal: one line, status
    1, the terminal as it was."""
    need_kvm()
    v = vm(make_args(str(tmp_path)) + SERIAL + ["-nographic"], tty=True)
    status = v.wait(20)
    check_clean(v.err)
    msgs = messages(v.err)
    assert status == 1, v
    assert len(msgs) == 1 and msg in msgs[0], msgs
    check_note(v.err, started=False)
    check_restored(v)


# ---- a background job of the terminal ----

BG_HELPER = r"""
import os, subprocess, sys
# The session leader (a shell) keeps the terminal's foreground; kvmrun is
# started in a process group of its own: a background job.
p = subprocess.Popen(sys.argv[1:], process_group=0, stderr=subprocess.PIPE)
print(p.pid, flush=True)
err = p.stderr.read()
sys.stdout.write(err.decode(errors="replace"))
sys.stdout.flush()
sys.exit(p.wait() & 0xff)
"""


def test_background_job_leaves_the_terminal_alone(tmp_path):
    """`kvmrun ... &` from a shell: it must not stop on SIGTTOU/SIGTTIN nor
    change the terminal; it says console input is off and runs."""
    need_kvmrun()
    master, slave, initial = open_tty()
    sock = str(tmp_path / "qtest.sock")
    helper = None
    pid = None
    r, w = os.pipe()
    try:
        helper = subprocess.Popen(
            [sys.executable, "-c", BG_HELPER, KVMRUN, "-accel", "qtest", "-qtest",
             f"unix:{sock},server=on,wait=off"] + SERIAL + ["-nographic"],
            stdin=slave, stdout=w, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=become_tty_leader, env=ENV)
        os.close(w)
        w = None
        rf = os.fdopen(r, "rb")
        r = None
        pid = int(rf.readline())
        qt = connect_qtest(sock, lambda: helper.poll() is None)
        qt.outb(COM1, ord("B"))             # the VM is alive, not stopped
        time.sleep(0.3)
        assert termios.tcgetattr(slave) == initial, "a background job changed the terminal"
        os.kill(pid, signal.SIGTERM)
        try:
            status = helper.wait(20)
        except subprocess.TimeoutExpired:
            pytest.fail("kvmrun in the background did not end on SIGTERM (stopped?)")
        pid = None
        err = rf.read().decode(errors="replace")
        rf.close()
        check_clean(err)
        msgs = messages(err)
        assert status == 0, err
        assert len(msgs) == 2 and "background" in msgs[0] and "TERM" in msgs[1], msgs
        assert termios.tcgetattr(slave) == initial
        qt.close()
    finally:
        for fd in (r, w, master, slave):
            if fd is not None:
                os.close(fd)
        if pid is not None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if helper and helper.poll() is None:
            helper.kill()
            helper.wait(10)


# ---- no terminal ----

def test_no_terminal_output_flows_kvm(vm):
    """stdin /dev/null, stdout a pipe: the guest's output arrives while it
    runs (not at exit), and EOF on stdin does not end the VM."""
    need_kvm()
    v = vm(["-kernel", guest("hello")] + SERIAL, stdin=subprocess.DEVNULL)
    assert v.out.wait_for(rb"PASS hello", 20), v
    time.sleep(1.0)
    assert v.running(), f"kvmrun ended by itself:\n{v}"
    v.signal(signal.SIGTERM)
    assert v.wait(20) == 0, v
    check_clean(v.err)


def test_no_terminal_partial_line_unbuffered(vm):
    """A partial line (no newline) reaches the pipe at once."""
    r, w = os.pipe()
    try:
        v = vm(SERIAL, qtest=True, stdin=r)
    finally:
        os.close(r)
    qt = v.qtest()
    os.write(w, b"hi")
    os.close(w)                             # EOF on stdin
    got = uart_read(qt, 2)
    assert got == b"hi", f"guest received {got!r}"
    for c in b"abc":
        qt.outb(COM1, c)
    assert v.out.wait_for(rb"abc", 5), f"partial line held back:\n{v}"
    time.sleep(0.5)
    assert v.running(), f"EOF on stdin ended the VM:\n{v}"
    qt.outb(COM1, ord("d"))
    assert v.out.wait_for(rb"abcd", 5), v
    v.signal(signal.SIGTERM)
    assert v.wait(20) == 0, v
    check_clean(v.err)
    qt.close()


# ---- fatal signals, and terminals on one side only ----

@pytest.mark.parametrize("sig", [signal.SIGQUIT, signal.SIGABRT, signal.SIGSEGV],
                         ids=["QUIT", "ABRT", "SEGV"])
def test_restored_on_fatal_signal(vm, sig):
    """A signal that kills (a core-dumping one, sent from outside) still
    leaves the terminal as it was: kvmrun restores it on the way down."""
    v = start_tty(vm)
    v.signal(sig)
    status = v.wait(20)
    assert status != 0, v
    if sig != signal.SIGSEGV:               # ASan reports a SEGV, by design
        check_clean(v.err)
    check_restored(v)


TERMINATING = [pytest.param(s, id=s.name[3:]) for s in (
    signal.SIGUSR1, signal.SIGUSR2, signal.SIGALRM, signal.SIGVTALRM, signal.SIGPROF,
    signal.SIGIO, signal.SIGPWR, signal.SIGSTKFLT)] + [
               pytest.param(signal.SIGRTMIN, id="RTMIN"),
               pytest.param(signal.SIGRTMIN + 5, id="RTMIN+5"),
               pytest.param(signal.SIGRTMAX, id="RTMAX")]


@pytest.mark.parametrize("sig", TERMINATING)
def test_restored_on_terminating_signal(vm, sig):
    """`kill -USR1` or `timeout -s ALRM`: signals kvmrun does not use still
    end it by default, and the terminal must come back all the same."""
    v = start_tty(vm)
    v.signal(sig)
    v.wait(20)
    check_clean(v.err)
    check_restored(v)


def test_ctrl_backslash_without_nographic(vm):
    """Ctrl-\\ on a terminal with signals on is SIGQUIT: terminal restored."""
    v = start_tty(vm, nographic=False)
    v.type(b"\x1c")
    status = v.wait(20)
    assert status == -signal.SIGQUIT, v
    check_restored(v)


def test_stdout_terminal_stdin_not(tmp_path):
    """stdin from /dev/null, stdout on a terminal: nothing to make raw, so
    the terminal is left exactly as it is; output still shows."""
    need_kvmrun()
    master, slave, initial = open_tty()
    sock = str(tmp_path / "q.sock")
    p = None
    try:
        p = subprocess.Popen([KVMRUN, "-accel", "qtest", "-qtest",
                              f"unix:{sock},server=on,wait=off"] + SERIAL,
                             stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE,
                             env=ENV)
        qt = connect_qtest(sock, lambda: p.poll() is None)
        for c in b"visible\n":
            qt.outb(COM1, c)
        out = b""
        deadline = time.monotonic() + 10
        while b"visible" not in out and time.monotonic() < deadline:
            if select.select([master], [], [], 0.1)[0]:
                out += os.read(master, 4096)
        assert b"visible" in out, out
        assert termios.tcgetattr(slave) == initial
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=20)
        check_clean(err)
        assert p.returncode == 0, err
        assert termios.tcgetattr(slave) == initial
        qt.close()
    finally:
        if p and p.poll() is None:
            p.kill()
            p.wait(10)
        os.close(master)
        os.close(slave)


@pytest.mark.parametrize("tty", [False, True], ids=["pipe", "tty"])
def test_output_complete_at_exit(vm, tty):
    """Everything the guest wrote before it ended kvmrun reaches stdout."""
    v = vm(SERIAL + DEBUG_EXIT, qtest=True, tty=tty)
    if tty:
        assert v.wait_raw(), v
    qt = v.qtest()
    payload = b"".join(b"line %05d of the guest's last words\n" % i for i in range(300))
    qt.outb_many(COM1, payload)
    qt.sock.sendall(b"outb 0xf4 0x0\n")
    assert v.wait(20) == 1, v
    check_clean(v.err)
    got = v.out.bytes().replace(b"\r\n", b"\n")
    assert payload in got, f"{len(payload)} bytes written, {len(got)} arrived"
    if tty:
        check_restored(v)


# ---- the other end goes away ----

def test_terminal_hangup(vm):
    """The terminal goes away under kvmrun (a closed ssh session or terminal
    window): the kernel's SIGHUP ends it with one line and status 0, even
    though the terminal can no longer be written or restored."""
    v = start_tty(vm)
    qt = v.qtest()
    qt.outb(COM1, ord("."))
    assert v.out.wait_for(rb"\.", 10), v
    v.out.stop()
    os.close(v.master)                      # the kernel hangs the terminal up
    v.master = None
    status = v.wait(20)
    check_clean(v.err)
    msgs = messages(v.err)
    assert status == 0, v
    assert len(msgs) == 1 and "HUP" in msgs[0], msgs
    qt.close()


def test_stdout_reader_goes_away(vm):
    """`kvmrun ... | head -1`: the reader exits, the guest keeps writing.
    kvmrun must not die of SIGPIPE nor spin; it runs on until asked."""
    v = vm(SERIAL, qtest=True)
    qt = v.qtest()
    qt.outb(COM1, ord("a"))
    assert v.out.wait_for(rb"a", 10), v
    v.out.stop()
    v.proc.stdout.close()
    for _ in range(3):
        for c in b"more output nobody reads\n":
            qt.outb(COM1, c)
        time.sleep(0.2)
    assert v.running(), f"kvmrun died when its stdout reader left:\n{v}"
    assert qt.inb(COM1 + 5) & 0x20, "THR never empties: the UART is stuck"
    v.signal(signal.SIGTERM)
    assert v.wait(20) == 0, v
    check_clean(v.err)
    qt.close()


def test_stdin_from_a_file(vm, tmp_path):
    """`kvmrun ... < file`: the file's bytes reach the guest, then EOF,
    and the VM runs on."""
    f = tmp_path / "input"
    f.write_bytes(b"typed ahead\n")
    with open(f, "rb") as stdin:
        v = vm(SERIAL, qtest=True, stdin=stdin)
    qt = v.qtest()
    got = uart_read(qt, 12) + uart_drain_quiet(qt, 0.3)
    assert got == b"typed ahead\n", got
    time.sleep(0.3)
    assert v.running(), v
    v.signal(signal.SIGTERM)
    assert v.wait(20) == 0, v
    check_clean(v.err)
    qt.close()


@pytest.mark.parametrize("args", [["-serial", "none"], ["-nodefaults"]],
                         ids=["serial-none", "nodefaults"])
def test_no_console_leaves_terminal_cooked(vm, args):
    """No serial port on stdio: the terminal stays as the shell left it, and
    Ctrl-C (the terminal's own SIGINT) ends kvmrun with one line, status 0."""
    v = vm(args + ["-nographic"], tty=True, qtest=True)
    qt = v.qtest()
    qt.inb(COM1 + 5)
    assert v.termios() == v.initial, "the terminal changed with no console on it"
    v.type(b"\x03")
    status = v.wait(20)
    check_clean(v.err)
    msgs = messages(v.err)
    assert status == 0, v
    assert len(msgs) == 1 and "INT" in msgs[0], msgs
    check_restored(v)
    qt.close()


@pytest.mark.parametrize("how", ["ctrl-a-x", "sigterm"])
def test_quit_with_terminal_output_stalled(vm, how):
    """The terminal stops taking output (nobody reads it; a frozen terminal
    window): Ctrl-A x or SIGTERM still ends kvmrun promptly and gives the
    terminal back -- restoring it must not wait for the output to drain."""
    v = start_tty(vm)
    qt = v.qtest()
    v.out.stop()                            # the terminal stops reading
    qt.outb_many(COM1, bytes(0x61 + i % 26 for i in range(200000)))  # > pty + ring
    t0 = time.monotonic()
    if how == "sigterm":
        v.signal(signal.SIGTERM)
    else:
        v.type(CTRL_A + b"x")
    status = v.wait(20)
    elapsed = time.monotonic() - t0
    check_clean(v.err)
    assert status == 0, v
    assert len(messages(v.err)) == 1, v
    assert elapsed < 5, f"took {elapsed:.1f} s to quit with the terminal stalled"
    check_restored(v)
    qt.close()


# ---- stopped and continued (Ctrl-Z, fg) ----

def stop_and_continue(v, shell_restores):
    v.proc.send_signal(signal.SIGSTOP)
    time.sleep(0.2)
    if shell_restores:
        # What an interactive shell does when its job stops: the terminal
        # gets the shell's own (cooked) settings back.
        termios.tcsetattr(v.slave, termios.TCSANOW, v.initial)
    v.proc.send_signal(signal.SIGCONT)


def test_stop_continue_stays_raw(vm):
    v = start_tty(vm)
    stop_and_continue(v, shell_restores=False)
    time.sleep(0.3)
    assert v.wait_raw(2)
    v.type(CTRL_A + b"x")
    check_quit_by_user(v)


def test_raw_again_after_fg(vm):
    """Ctrl-Z then fg in a shell: the shell put its own settings back while
    kvmrun was stopped; on SIGCONT kvmrun must make the terminal raw again."""
    v = start_tty(vm)
    qt = v.qtest()
    stop_and_continue(v, shell_restores=True)
    assert v.wait_raw(2), "the terminal stayed cooked after SIGCONT"
    v.type(b"k")
    assert uart_read(qt, 1, timeout=3) == b"k", "a key did not reach the guest by itself"
    v.type(CTRL_A + b"x")
    check_quit_by_user(v)
    qt.close()


def test_stdin_terminal_stdout_pipe(tmp_path):
    """`kvmrun ... | tee log`: keys come from the terminal (raw, escapes
    work), the console goes down the pipe, and the terminal comes back."""
    need_kvmrun()
    master, slave, initial = open_tty()
    sock = str(tmp_path / "q.sock")
    p = None
    try:
        p = subprocess.Popen([KVMRUN, "-accel", "qtest", "-qtest",
                              f"unix:{sock},server=on,wait=off", "-nographic"] + SERIAL,
                             stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             start_new_session=True, preexec_fn=become_tty_leader, env=ENV)
        qt = connect_qtest(sock, lambda: p.poll() is None)
        deadline = time.monotonic() + 10
        while termios.tcgetattr(slave)[3] & termios.ICANON and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not termios.tcgetattr(slave)[3] & termios.ICANON, "stdin never went raw"
        os.write(master, b"q")
        assert uart_read(qt, 1) == b"q"
        for c in b"to the pipe\n":
            qt.outb(COM1, c)
        os.write(master, CTRL_A + b"x")
        out, err = p.communicate(timeout=20)
        check_clean(err)
        assert p.returncode == 0, err
        assert b"to the pipe\n" in out, out
        assert len(messages(err)) == 1 and "Ctrl-A x" in messages(err)[0], err
        assert termios.tcgetattr(slave) == initial, "terminal not restored"
        qt.close()
    finally:
        if p and p.poll() is None:
            p.kill()
            p.wait(10)
        os.close(master)
        os.close(slave)


def test_ctrl_a_x_with_guest_not_reading(vm):
    """The guest reads no input (its UART and kvmrun's queue fill up) and the
    user keeps typing: Ctrl-A x must still be seen and quit."""
    v = start_tty(vm)
    qt = v.qtest()
    qt.inb(COM1 + 5)
    for _ in range(10):                     # 10 KiB: more than the queue holds
        v.type(b"y" * 1024)
        time.sleep(0.02)
    time.sleep(0.3)
    v.type(CTRL_A + b"x")
    check_quit_by_user(v)
    qt.close()
