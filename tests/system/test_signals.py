"""Item 8 of issue 2: SIGINT, SIGTERM and SIGHUP end kvmrun with exactly one
line naming the signal, status 0, and no sanitizer report -- whether the
guest is halted, busy with exits, or absent (qtest), and whether its output
is being read or not."""
import signal
import subprocess
import time

import pytest

from sysrun import (COM1, check_clean, check_note, guest, messages,
                    need_kvm, sig_name)

SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
IDS = [sig_name(s) for s in SIGNALS]

# A guest that prints, passes, finds no isa-debug-exit and halts forever;
# and one that keeps the vCPU busy with port-I/O exits for hours.
HALTED = ("hello", [], rb"did not stop the VM; halting")
BUSY = ("pio_loop", ["-append", "n=100000000000"], rb"pio_loop: booted")


def expect_signal_exit(v, sig, started=True):
    status = v.wait(20)
    check_clean(v.err)
    msgs = messages(v.err)
    name = sig_name(sig)
    assert status == 0, f"exit status {status} after SIG{name}:\n{v}"
    assert len(msgs) == 1 and name in msgs[0] and "signal" in msgs[0], \
        f"expected one line naming SIG{name}, got {msgs}:\n{v}"
    check_note(v.err, started)


@pytest.mark.parametrize("sig", SIGNALS, ids=IDS)
def test_qtest(vm, sig):
    v = vm(["-nodefaults", "-serial", "stdio"], qtest=True)
    qt = v.qtest()
    qt.outb(COM1, ord("!"))                 # the VM is up and serving
    assert v.out.wait_for(rb"!", 10), v
    v.signal(sig)
    expect_signal_exit(v, sig, started=False)
    qt.close()


@pytest.mark.parametrize("sig", SIGNALS, ids=IDS)
@pytest.mark.parametrize("kind", [HALTED, BUSY], ids=["halted", "busy"])
def test_kvm_guest(vm, kind, sig):
    need_kvm()
    name, args, marker = kind
    v = vm(["-kernel", guest(name), "-nodefaults", "-serial", "stdio"] + args)
    assert v.out.wait_for(marker, 20), f"guest did not get going:\n{v}"
    time.sleep(0.2)
    v.signal(sig)
    expect_signal_exit(v, sig)


def test_kvm_smp_guest(vm):
    """Four vCPU threads, all parked in HLT or running: one signal ends all."""
    need_kvm()
    v = vm(["-kernel", guest("smp"), "-smp", "4", "-append", "cpus=4",
            "-nodefaults", "-serial", "stdio"])
    assert v.out.wait_for(rb"PASS smp", 30), v
    v.signal(signal.SIGTERM)
    expect_signal_exit(v, signal.SIGTERM)


def test_during_reset_loop(vm):
    """A guest that triple-faults and resets again and again (no -no-reboot):
    one signal ends kvmrun with status 0, wherever in the reset cycle it
    lands (test_exit_request_beats_pending_reset forces the worst case)."""
    need_kvm()
    for attempt in range(5):                # different points in the cycle
        v = vm(["-kernel", guest("triplefault"), "-nodefaults", "-serial", "stdio"])
        assert v.out.wait_for(rb"(?s)(loading an empty IDT.*){3}", 30), v
        time.sleep(0.013 * attempt)
        v.signal(signal.SIGTERM)
        status = v.wait(10)
        check_clean(v.err)
        sig_lines = [m for m in messages(v.err) if "signal" in m]
        assert status == 0, v
        assert len(sig_lines) == 1 and "TERM" in sig_lines[0], v
        check_note(v.err)
        v.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_exit_request_beats_pending_reset(vm, sig):
    """The guest asks for a reset and the user for an exit in the same
    event-loop round (kvmrun is held with SIGSTOP while both arrive): the
    user's exit must win, and kvmrun end with status 0."""
    v = vm(["-nodefaults", "-serial", "stdio"], qtest=True)
    qt = v.qtest()
    qt.inb(COM1 + 5)
    v.proc.send_signal(signal.SIGSTOP)
    try:
        time.sleep(0.1)
        qt.sock.sendall(b"outb 0xcf9 0x6\n")     # reset, as the guest would
        v.proc.send_signal(sig)
        time.sleep(0.1)
    finally:
        v.proc.send_signal(signal.SIGCONT)
    try:
        status = v.proc.wait(5)
    except subprocess.TimeoutExpired:
        v.kill()
        pytest.fail(f"still running 5 s after SIG{sig_name(sig)}:\n{v}", pytrace=False)
    v.wait(5)
    check_clean(v.err)
    assert status == 0, v
    assert sum(sig_name(sig) in m for m in messages(v.err)) == 1, v
    qt.close()


def test_console_output_stalled(vm):
    """Nobody reads kvmrun's stdout, and the guest keeps writing: the signal
    must still end kvmrun promptly (it may give up on the unread output)."""
    v = vm(["-nodefaults", "-serial", "stdio"], qtest=True)
    qt = v.qtest()
    v.out.stop()                            # stop reading: the pipe fills up
    qt.outb_many(COM1, bytes(0x41 + i % 26 for i in range(400000)))  # > pipe + ring
    t0 = time.monotonic()
    v.signal(signal.SIGTERM)
    status = v.wait(20)
    elapsed = time.monotonic() - t0
    check_clean(v.err)
    msgs = messages(v.err)
    assert status == 0, v
    # The signal's line, and one warning that output is being dropped.
    assert len(msgs) == 2, msgs
    assert "stalled" in msgs[0] and "TERM" in msgs[1], msgs
    assert elapsed < 5, f"took {elapsed:.1f} s to exit with the console stalled"
    qt.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM], ids=["TERM"])
def test_two_signals(vm, sig):
    """A second signal right behind the first (an impatient user, or a
    supervisor's TERM then HUP): still status 0, no crash, no hang."""
    need_kvm()
    v = vm(["-kernel", guest("hello"), "-nodefaults", "-serial", "stdio"])
    assert v.out.wait_for(HALTED[2], 20), v
    v.proc.send_signal(sig)
    v.proc.send_signal(signal.SIGINT)
    status = v.wait(20)
    check_clean(v.err)
    assert status == 0, v
    assert 1 <= len([m for m in messages(v.err) if "signal" in m]) <= 2, v


@pytest.mark.timeout(120)
def test_signal_during_setup(vm, tmp_path):
    """A signal while kvmrun is still building the VM (here: loading a 1 GiB
    initrd) is not lost and does not let the guest's verdict win: once set-up
    is done kvmrun ends with one line and status 0.  (It is held until then,
    as in QEMU, which also loads before it looks at signals.)"""
    need_kvm()
    initrd = tmp_path / "initrd"
    with open(initrd, "wb") as f:
        f.truncate(1 << 30)
    v = vm(["-m", "3G", "-kernel", guest("hello-pvh"), "-initrd", initrd,
            "-nodefaults", "-serial", "stdio"])
    time.sleep(0.5)                         # past start-up, into the load
    assert v.running(), v
    v.signal(signal.SIGTERM)
    expect_signal_exit_slow(v, signal.SIGTERM)


def expect_signal_exit_slow(v, sig):
    status = v.wait(90)
    check_clean(v.err)
    msgs = messages(v.err)
    assert status == 0, v
    assert len(msgs) == 1 and sig_name(sig) in msgs[0], msgs


@pytest.mark.parametrize("sig", SIGNALS, ids=IDS)
def test_guest_asleep_in_s3(vm, sig):
    """A guest in ACPI S3 with no wake source: no vCPU runs, and a signal
    still ends kvmrun at once with its one line."""
    need_kvm()
    v = vm(["-kernel", guest("s3"), "-append", "wake=no", "-nodefaults",
            "-serial", "stdio"])
    assert v.out.wait_for(rb"SLP_EN to", 20), f"guest did not suspend:\n{v}"
    time.sleep(0.3)
    assert b"still running" not in v.out.bytes(), v
    v.signal(sig)
    expect_signal_exit(v, sig)
    assert b"resumed" not in v.out.bytes(), v
