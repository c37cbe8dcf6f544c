"""-cpu, -machine pit=off and -overcommit as they meet KVM at VM creation:
what the model asks for that KVM lacks (a warning once, even across guest
resets; an error with enforce), guest RAM the address width cannot reach,
and the exits -overcommit cpu-pm=on leaves to the guest."""
import re

import pytest

from sysrun import DEBUG_EXIT, check_clean, check_note, guest, messages, need_kvm, run

COMMON = ["-nodefaults", "-nographic", "-serial", "stdio"] + DEBUG_EXIT
# SGX: absent from KVM on this host class (AMD, and nested KVM); checked below.
MISSING = "sgx1"


def boot(image, args=(), timeout=60):
    need_kvm()
    return run(["-kernel", guest(image)] + COMMON + list(args), timeout=timeout)


def kvm_lacks(feature):
    r = boot("hello", ["-cpu", f"host,+{feature}"])
    return any(feature in m for m in messages(r.err))


def test_missing_feature_warns_once_across_resets():
    if not kvm_lacks(MISSING):
        pytest.skip(f"this host's KVM supports {MISSING}")
    r = boot("reboot", ["-cpu", f"host,+{MISSING}", "-append", "method=cf9"])
    assert r.status == 1 and b"PASS reboot" in r.out, r
    warns = [m for m in messages(r.err) if MISSING in m]
    assert len(warns) == 1, r
    assert re.match(rf"kvmrun: warning: -cpu host: the host's KVM does not support "
                    rf"{MISSING} \(CPUID\.12H:EAX bit 0\) — left out$", warns[0]), warns
    check_clean(r.err)


def test_enforce_refuses_before_the_guest_runs():
    if not kvm_lacks(MISSING):
        pytest.skip(f"this host's KVM supports {MISSING}")
    r = boot("hello", ["-cpu", f"host,+{MISSING},enforce"])
    assert r.status == 1 and b"booted via" not in r.out, r
    msgs = messages(r.err)
    assert len(msgs) == 2, r       # the feature, then the verdict
    assert MISSING in msgs[0] and "enforce" in msgs[1], msgs
    check_clean(r.err)


def test_check_off_is_silent():
    if not kvm_lacks(MISSING):
        pytest.skip(f"this host's KVM supports {MISSING}")
    r = boot("hello", ["-cpu", f"host,+{MISSING},check=off"])
    assert r.status == 1 and b"PASS hello" in r.out, r
    assert messages(r.err) == [], r


def test_phys_bits_too_few_for_ram():
    # 5 GiB of RAM ends at 6 GiB (the rest sits above 4 GiB): 32 bits fall short.
    r = boot("hello", ["-m", "5G", "-cpu", "qemu64,phys-bits=32,check=off"])
    assert r.status == 1 and b"booted via" not in r.out, r
    msgs = messages(r.err)
    assert len(msgs) == 1 and "32 physical address bits" in msgs[0], r
    check_clean(r.err)
    r = boot("memmap", ["-m", "5G", "-append", "mem=5G",
                        "-cpu", "qemu64,phys-bits=33,check=off"])
    assert r.status == 1 and b"PASS memmap" in r.out, r


def test_pit_off_boots():
    r = boot("hello", ["-machine", "pit=off"])
    assert r.status == 1 and b"PASS hello" in r.out, r
    assert messages(r.err) == [], r


def test_pit_off_guest_sees_no_pit():
    # irq_pit programs channel 0 and waits for IRQ 0: without a PIT it fails.
    r = boot("irq_pit", ["-machine", "pit=off"])
    assert r.status == 3 and b"FAIL irq_pit" in r.out, r


def test_cpu_pm_on():
    r = boot("hello", ["-overcommit", "cpu-pm=on"])
    msgs = messages(r.err)
    if msgs:
        assert r.status == 1 and len(msgs) == 1, r
        assert "cpu-pm=on" in msgs[0] and "KVM_CAP_X86_DISABLE_EXITS" in msgs[0], r
        pytest.skip("this host's KVM cannot leave HLT to the guest")
    assert r.status == 1 and b"PASS hello" in r.out, r


def test_mem_lock_on():
    r = boot("hello", ["-overcommit", "mem-lock=on"])
    assert r.status == 1 and b"PASS hello" in r.out, r
    assert messages(r.err) == [], r
