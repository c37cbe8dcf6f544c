"""Level-3 tests: freestanding guests (tests/guest/*.c) booted under KVM.

Each case boots build/guest/<image>.elf in the VMM named by $KVMRUN (default
build/kvmrun-san) as

    $KVMRUN -kernel IMAGE -nodefaults -nographic -serial stdio \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 [extra args]

and checks the exit status and the serial output.  A guest that passes
writes 0 to isa-debug-exit, so the VMM exits with status 1.

KVMRUN_REF=qemu runs the same table under QEMU (-accel kvm) instead, to check
the guests themselves.  Cases QEMU cannot pass on these hosts (its KVM
cannot complete int3 or cmpxchg16b; it resets instead of stopping on a
triple fault) carry the reason and count as xfail in that mode only.
"""
import os
import pathlib
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("BUILD", ROOT / "build"))
if not BUILD.is_absolute():
    BUILD = ROOT / BUILD
GUESTS = BUILD / "guest"
REF = os.environ.get("KVMRUN_REF", "")
KVMRUN = os.environ.get("KVMRUN", str(BUILD / "kvmrun-san"))
TIMEOUT = 60
# Under QEMU a guest that hits a KVM internal error stops but QEMU stays up:
# the known failures get a short timeout instead of the full minute.
REF_XFAIL_TIMEOUT = 15

QEMU = ["qemu-system-x86_64", "-accel", "kvm", "-cpu", "host,-arch-capabilities",
        "-display", "none"]
COMMON = ["-nodefaults", "-nographic", "-serial", "stdio",
          "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]

# What kvmrun prints when it stops a guest it cannot run on (a register dump).
REGDUMP = r"(?i)\brip\b\W*(0x)?[0-9a-f]{4,}"


@dataclass
class Case:
    id: str
    image: str
    args: list = field(default_factory=list)
    status: int = 1
    regex: str = ""
    # QEMU cross-check: machine type, and where QEMU differs from kvmrun.
    ref_machine: str = "pc"
    ref_status: int = None
    ref_regex: str = None
    ref_xfail: str = ""

    def __post_init__(self):
        if not self.regex:
            self.regex = rf"PASS {re.escape(self.image.split('-')[0])}\b"


NO_INT3 = "this host's KVM cannot complete int3 in 64-bit ring 0; QEMU stops there"
NO_CX16 = "this host's KVM cannot complete lock cmpxchg16b; QEMU stops there"
UNHANDLED = "QEMU reports the KVM internal error and stops the guest without exiting"

CASES = [
    Case("hello", "hello", regex=r"Hello from the hello test guest[^\n]*\n[^\n]*PASS hello"),
    Case("hello-multiboot", "hello-mb", regex=r"booted via multiboot.*PASS hello"),
    Case("hello-pvh", "hello-pvh", regex=r"booted via PVH.*PASS hello"),
    Case("memmap-256M", "memmap", ["-m", "256M", "-append", "mem=256M"]),
    Case("memmap-3G", "memmap", ["-m", "3G", "-append", "mem=3G"]),
    Case("memmap-5G", "memmap", ["-m", "5G", "-append", "mem=5G"]),
    Case("memmap-5G-multiboot", "memmap-mb", ["-m", "5G", "-append", "mem=5G"],
         regex=r"booted via multiboot.*PASS memmap"),
    Case("memmap-5G-pvh", "memmap-pvh", ["-m", "5G", "-append", "mem=5G"],
         regex=r"booted via PVH.*PASS memmap"),
]


def kvm_unusable():
    """Why /dev/kvm cannot be used here, or None."""
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError as e:
        return f"/dev/kvm: {e.strerror}"
    os.close(fd)
    return None


def command(case, image):
    args = [a.format(now=int(time.time())) for a in case.args]
    if REF == "qemu":
        return QEMU + ["-M", case.ref_machine, "-kernel", str(image)] + COMMON + args
    return [KVMRUN, "-kernel", str(image)] + COMMON + args


def run(case):
    why = kvm_unusable()
    if why:
        pytest.skip(why)
    if REF not in ("", "qemu"):
        pytest.fail(f"KVMRUN_REF={REF!r}: the only reference VMM is 'qemu'")
    if REF == "qemu":
        if not shutil.which("qemu-system-x86_64"):
            pytest.skip("KVMRUN_REF=qemu but qemu-system-x86_64 is not installed")
    elif not os.access(KVMRUN, os.X_OK):
        pytest.fail(f"{KVMRUN}: not built (run `make build/kvmrun-san`) or set KVMRUN")
    image = GUESTS / f"{case.image}.elf"
    if not image.exists():
        pytest.fail(f"{image}: missing; run `make guests`")
    xfail = case.ref_xfail if REF == "qemu" else ""
    cmd = command(case, image)
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT,
                           timeout=REF_XFAIL_TIMEOUT if xfail else TIMEOUT)
        out, status = r.stdout, r.returncode
    except subprocess.TimeoutExpired as e:
        out, status = e.output or b"", None
    return cmd, status, out.decode("utf-8", "replace"), xfail


def expectations(case):
    if REF == "qemu":
        status = case.status if case.ref_status is None else case.ref_status
        regex = case.regex if case.ref_regex is None else case.ref_regex
        return status, regex
    return case.status, case.regex


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_guest(case):
    cmd, status, out, xfail = run(case)
    want_status, regex = expectations(case)
    problems = []
    if status is None:
        problems.append(f"timed out after {TIMEOUT} s; killed")
    elif status != want_status:
        problems.append(f"exit status {status}, expected {want_status}")
    if regex and not re.search(regex, out, re.S):
        problems.append(f"output does not match /{regex}/")
    if not problems:
        return
    msg = "; ".join(problems) + "\n$ " + " ".join(cmd) + "\n" + out[-4000:]
    if xfail:
        pytest.xfail(f"{xfail}: {msg}")
    pytest.fail(msg, pytrace=False)
