"""Item 7 of issue 2, the VM's ways out, seen from outside: the exit status
and exactly what kvmrun says on stderr (the kvm_pvm note once per run, even
across a reset; a reset warning once per reset; a fatal exit's register
dump once, on stderr, not in the console), and the console showing how many
times the guest booted.  tests/guest/test_guests.py checks the guests'
verdicts; these check kvmrun's side of each exit."""
import os
import re
import signal
import socket
import subprocess

import pytest

from sysrun import (DEBUG_EXIT, ENV, KVMRUN, check_clean, check_note, connect_qtest, guest,
                    messages, need_kvm, need_kvmrun, run, text)

COMMON = ["-nodefaults", "-nographic", "-serial", "stdio"] + DEBUG_EXIT
BOOT_RE = rb"booted via"


def boot(image, args=(), timeout=60):
    need_kvm()
    return run(["-kernel", guest(image)] + COMMON + list(args), timeout=timeout)


def boots(r):
    return len(re.findall(BOOT_RE, r.out))


def quiet_exit(r, status):
    """The expected status, one boot, and nothing but the note on stderr."""
    assert r.status == status, r
    assert messages(r.err) == [], f"unexpected messages on stderr:\n{r}"
    check_note(r.err)


# ---- exits the guest asks for ----

def test_poweroff():
    r = boot("poweroff")
    quiet_exit(r, 0)
    assert boots(r) == 1, r
    assert b"PM1a_CNT" in r.out, r


def test_debug_exit_pass():
    r = boot("hello")
    quiet_exit(r, (0 << 1) | 1)


def test_debug_exit_fail():
    r = boot("fwcfg", ["-append", "mem=512M cpus=1"])
    quiet_exit(r, (1 << 1) | 1)
    assert b"FAIL fwcfg" in r.out, r


def test_s3_suspend_and_resume():
    """S3 and the RTC wake-up: the guest boots once, resumes at its waking
    vector (which passes through isa-debug-exit), and kvmrun says nothing."""
    r = boot("s3")
    quiet_exit(r, (0 << 1) | 1)
    assert boots(r) == 1, r
    assert b"resumed" in r.out, r


def test_s3_with_no_reboot_still_resumes():
    """-no-reboot is about resets; waking from S3 is not one."""
    r = boot("s3", ["-no-reboot", "-smp", "2"])
    quiet_exit(r, (0 << 1) | 1)
    assert b"resumed" in r.out, r


RESETS = ["fadt", "cf9", "kbd"]


@pytest.mark.parametrize("method", RESETS)
def test_reset_boots_again(method):
    """A reset rebuilds the VM: two boots, the note still printed once, and
    nothing else said (a reset the guest asked for is no news)."""
    r = boot("reboot", ["-append", f"method={method}"])
    quiet_exit(r, 1)
    assert boots(r) == 2, r


@pytest.mark.parametrize("method", RESETS)
def test_reset_with_no_reboot_exits_0(method):
    r = boot("reboot", ["-append", f"method={method}", "-no-reboot"])
    quiet_exit(r, 0)
    assert boots(r) == 1, r


def test_reset_smp():
    """A reset with four vCPU threads: all stop, all come back, once."""
    r = boot("reboot", ["-append", "method=cf9", "-smp", "4"])
    quiet_exit(r, 1)
    assert boots(r) == 2, r


# ---- triple faults and fatal exits ----

def check_dump(r, what):
    """Exactly one fatal line and one register dump, all on stderr."""
    msgs = messages(r.err)
    fatal = [m for m in msgs if "fatal" in m]
    assert len(fatal) == 1 and what in fatal[0], f"{fatal}\n{r}"
    for key in ("RIP=", "RSP=", "CR0=", "CR3=", "code at", "instruction:"):
        n = sum(key in m for m in msgs)
        assert n == 1, f"{key!r} appears {n} times on stderr, expected once\n{r}"
    assert b"RIP=" not in r.out, "the register dump went to the console"
    assert all(m.startswith("kvmrun: ") for m in msgs), msgs
    check_note(r.err)


def test_triple_fault_no_reboot_is_fatal():
    r = boot("triplefault", ["-no-reboot"])
    assert r.status == 2, r
    assert boots(r) == 1, r
    check_dump(r, "triple fault")
    # The bytes at RIP are the guest's ud2.
    assert re.search(r"code at [0-9a-f]+: 0f 0b", text(r.err)), r


def test_triple_fault_no_reboot_smp():
    r = boot("triplefault", ["-no-reboot", "-smp", "4"])
    assert r.status == 2, r
    check_dump(r, "triple fault")


def test_reset_by_triple_fault_no_reboot():
    r = boot("reboot", ["-append", "method=triple", "-no-reboot"])
    assert r.status == 2, r
    assert boots(r) == 1, r
    check_dump(r, "triple fault")


def test_reset_by_triple_fault():
    """Without -no-reboot a triple fault resets: one warning, two boots."""
    r = boot("reboot", ["-append", "method=triple"])
    assert r.status == 1, r
    assert boots(r) == 2, r
    msgs = messages(r.err)
    assert len(msgs) == 1 and "triple fault" in msgs[0] and "reset" in msgs[0], msgs
    check_note(r.err)


def test_triple_fault_loop_keeps_resetting(vm):
    """A guest that triple-faults on every boot resets again and again
    (as QEMU without -no-reboot); a signal ends it, with status 0."""
    need_kvm()
    v = vm(["-kernel", guest("triplefault")] + COMMON)
    assert v.out.wait_for(rb"(?s)(loading an empty IDT.*){3}", 30), v
    v.signal(signal.SIGTERM)
    assert v.wait(10) == 0, v
    msgs = messages(v.err)
    assert not [m for m in msgs if "fatal" in m or "RIP=" in m], msgs
    resets = [m for m in msgs if "triple fault" in m]
    assert len(resets) >= 1, msgs          # one per reset today; a rate limit is fine
    check_note(v.err)


def test_unhandled_instruction_is_fatal():
    r = boot("unhandled")
    if r.status == 7:
        pytest.skip("the instruction ran natively: this host's KVM needs no help with it")
    assert r.status == 2, r
    check_dump(r, "KVM_EXIT_INTERNAL_ERROR")


# ---- sizes ----

@pytest.mark.parametrize("args", [["-m", "5G"], ["-smp", "4"], ["-m", "5G", "-smp", "4"],
                                  ["-smp", "cpus=4", "-m", "3G"]],
                         ids=["m5G", "smp4", "m5G-smp4", "smp-cpus4-m3G"])
def test_sizes_start(args):
    r = boot("hello", args)
    quiet_exit(r, 1)
    assert b"PASS hello" in r.out, r


def test_memmap_and_smp_together():
    r = boot("smp", ["-m", "5G", "-smp", "4", "-append", "cpus=4"])
    quiet_exit(r, 1)
    assert b"PASS smp" in r.out, r


# ---- what an exit leaves behind ----

def test_qtest_server_path_reusable(vm):
    """A stale socket file from an earlier run (one that was killed, say) at
    the -qtest server path: kvmrun takes the path over, and removes it when
    it exits, as QEMU does."""
    v0 = vm(["-nodefaults"], qtest=True)    # only for a path
    v0.kill()
    path = v0.sock_path
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # v0, killed, may have left its socket file: that is a stale one too.
    if not os.path.exists(path):
        stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        stale.bind(path)
        stale.close()                       # the file stays, nobody listens
    assert os.path.exists(path)
    need_kvmrun()
    p = subprocess.Popen([KVMRUN, "-accel", "qtest", "-qtest",
                          f"unix:{path},server=on,wait=off", "-nodefaults"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, env=ENV)
    try:
        qt = connect_qtest(path, lambda: p.poll() is None, 10, "second run")
        qt.close()                          # hang up: kvmrun ends, status 0
        _, err = p.communicate(timeout=20)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait(10)
    check_clean(err)
    assert p.returncode == 0, err
    assert not os.path.exists(path), f"{path} left behind after exit"
