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

The irq_* guests run twice, with KVM's in-kernel PIC/IOAPIC/PIT and with
`-M pc,kernel-irqchip=split` (the VMM's own models; QEMU gets the same
machine option).  A row that fails on a known kvmrun bug is a strict xfail
that names the bug: it must fail in exactly that way until the bug is fixed.
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
REF_XFAIL_TIMEOUT = 10

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
    # Each regex must match the serial output (re.S); default "PASS <program>".
    regex: tuple = ()
    # Exit statuses by which the guest says the test cannot run on this host.
    skip_status: dict = field(default_factory=dict)
    # QEMU cross-check: machine type, and where QEMU differs from kvmrun.
    ref_machine: str = "microvm"
    ref_status: int = None
    ref_regex: tuple = None
    ref_xfail: str = ""
    # A known kvmrun bug: under kvmrun (not QEMU) the case is expected to
    # fail with output matching xfail_regex (strict: a pass is reported, and
    # so is any other failure).
    xfail: str = ""
    xfail_regex: str = ""

    def __post_init__(self):
        if isinstance(self.regex, str):
            self.regex = (self.regex,)
        if not self.regex:
            self.regex = (rf"PASS {re.escape(self.image.split('-')[0])}\b",)
        if isinstance(self.ref_regex, str):
            self.ref_regex = (self.ref_regex,)


NO_INT3 = "this host's KVM cannot complete int3 in 64-bit ring 0; QEMU stops there"
NO_CX16 = "this host's KVM cannot complete lock cmpxchg16b; QEMU stops there"
QEMU_STOPS = "QEMU reports the KVM internal error and stops the guest without exiting"
# The unhandled guest exits with 3 (status 7) when the instruction just runs.
NATIVE = {7: "the instruction ran natively: this host's KVM needs no help with it"}


def fail_re(prog, what):
    return rf"FAIL {prog}: {what}"


CASES = [
    Case("hello", "hello", regex=r"Hello from the hello test guest.*PASS hello"),
    Case("hello-multiboot", "hello-mb", regex=r"booted via multiboot.*PASS hello"),
    Case("hello-pvh", "hello-pvh", regex=r"booted via PVH.*PASS hello"),
    Case("memmap-256M", "memmap", ["-m", "256M", "-append", "mem=256M"], ref_machine="pc"),
    Case("memmap-3G", "memmap", ["-m", "3G", "-append", "mem=3G"], ref_machine="pc"),
    Case("memmap-5G", "memmap", ["-m", "5G", "-append", "mem=5G"], ref_machine="pc"),
    Case("memmap-5G-multiboot", "memmap-mb", ["-m", "5G", "-append", "mem=5G"],
         regex=r"booted via multiboot.*PASS memmap", ref_machine="pc"),
    Case("memmap-5G-pvh", "memmap-pvh", ["-m", "5G", "-append", "mem=5G"],
         regex=r"booted via PVH.*PASS memmap", ref_machine="pc"),
    # The guest can tell: 256 MiB of RAM is not 512.
    Case("memmap-detects-mismatch", "memmap", ["-m", "256M", "-append", "mem=512M"],
         status=3, regex=fail_re("memmap", r"usable RAM 2\d{5} KiB is far below"),
         ref_machine="pc"),
    Case("smp-2", "smp", ["-smp", "2", "-append", "cpus=2"],
         regex=(r"APIC ID 1 checked in", r"PASS smp")),
    Case("smp-4", "smp", ["-smp", "4", "-append", "cpus=4"],
         regex=(r"APIC ID 1 checked in", r"APIC ID 2 checked in", r"APIC ID 3 checked in",
                r"PASS smp")),
    Case("smp-detects-mismatch", "smp", ["-smp", "2", "-append", "cpus=3"],
         status=3, regex=fail_re("smp", "MADT lists 2 CPUs, expected 3")),
    Case("poweroff", "poweroff", status=0,
         regex=r"poweroff: writing 0x[0-9a-f]+ \(SLP_TYPa \d+ \| SLP_EN\) to PM1a_CNT(?!.*FAIL)",
         ref_machine="pc"),
    # ACPI S3: asleep until the RTC alarm, then the real-mode resume stub.
    Case("s3", "s3", regex=(r"SLP_TYP 1 \| SLP_EN to 0x604\s+resumed(?!.*FAIL)",),
         ref_machine="pc"),
    Case("s3-smp2", "s3", ["-smp", "2"], regex=(r"SLP_TYP 1 \| SLP_EN.*resumed(?!.*FAIL)",),
         ref_machine="pc"),
    Case("reboot-fadt", "reboot", ["-append", "method=fadt"],
         regex=r"resetting via fadt.*second boot: marker found.*PASS reboot", ref_machine="q35"),
    Case("reboot-cf9", "reboot", ["-append", "method=cf9"],
         regex=r"resetting via cf9.*second boot: marker found.*PASS reboot", ref_machine="pc"),
    Case("reboot-kbd", "reboot", ["-append", "method=kbd"],
         regex=r"resetting via kbd.*second boot: marker found.*PASS reboot", ref_machine="pc"),
    Case("reboot-triple", "reboot", ["-append", "method=triple"],
         regex=r"resetting via triple.*second boot: marker found.*PASS reboot",
         ref_machine="pc"),
    Case("reboot-fadt-no-reboot", "reboot", ["-append", "method=fadt", "-no-reboot"],
         status=0, regex=r"resetting via fadt(?!.*(second boot|FAIL))", ref_machine="q35"),
    Case("reboot-cf9-no-reboot", "reboot", ["-append", "method=cf9", "-no-reboot"],
         status=0, regex=r"resetting via cf9(?!.*(second boot|FAIL))", ref_machine="pc"),
    Case("reboot-kbd-no-reboot", "reboot", ["-append", "method=kbd", "-no-reboot"],
         status=0, regex=r"resetting via kbd(?!.*(second boot|FAIL))", ref_machine="pc"),
    # kvmrun stops on a triple fault under -no-reboot; QEMU treats it as a reset.
    Case("reboot-triple-no-reboot", "reboot", ["-append", "method=triple", "-no-reboot"],
         status=2, regex=(r"resetting via triple(?!.*(second boot|FAIL))", REGDUMP),
         ref_machine="pc", ref_status=0, ref_regex=r"resetting via triple(?!.*second boot)"),
    Case("rtc", "rtc", ["-append", "now={now}"], ref_machine="pc"),
    Case("rtc-detects-skew", "rtc", ["-append", "now={hour_ago}"], status=3,
         regex=fail_re("rtc", r"the RTC is 3[56]\d\d s away"), ref_machine="pc"),
    Case("pci", "pci", regex=(r"00:00\.0 [0-9a-f]{4}:[0-9a-f]{4} class 0600", r"PASS pci"),
         ref_machine="pc"),
    Case("fwcfg", "fwcfg", ["-m", "256M", "-smp", "2", "-append", "mem=256M cpus=2"],
         regex=(r"signature QEMU, RAM 256 MiB, 2 CPUs", r"PASS fwcfg")),
    Case("fwcfg-detects-mismatch", "fwcfg", ["-m", "256M", "-append", "mem=512M cpus=1"],
         status=3, regex=fail_re("fwcfg", r"RAM size key 0x3 reads 268435456 bytes")),
    Case("int3", "int3", regex=(r"int3 #3: #BP at RIP", r"PASS int3"), ref_xfail=NO_INT3),
    Case("ud2", "ud2", regex=(r"ud2 #2: #UD at RIP", r"PASS ud2")),
    Case("ud2-rdpru", "ud2", ["-append", "rdpru=1"],
         regex=(r"rdpru: #UD at RIP", r"PASS ud2"), ref_xfail=QEMU_STOPS),
    # Instructions this host's KVM cannot run in ring 0 and kvmrun completes
    # (the gaps a Linux boot hit); QEMU stops on them here.
    Case("gap_clac", "gap_clac", regex=(r"PASS gap_clac",), ref_xfail=QEMU_STOPS),
    Case("gap_fwait", "gap_fwait", regex=(r"PASS gap_fwait",), ref_xfail=QEMU_STOPS),
    Case("gap_simd", "gap_simd", regex=(r"PASS gap_simd",), ref_xfail=QEMU_STOPS),
    Case("gap_syscall", "gap_syscall", regex=(r"PASS gap_syscall",), ref_xfail=QEMU_STOPS),
    Case("gap_xsave", "gap_xsave", regex=(r"compacted\): XCOMP_BV", r"PASS gap_xsave"),
         ref_xfail=QEMU_STOPS),
    Case("cmpxchg16b", "cmpxchg16b", regex=(r"not equal: loaded", r"PASS cmpxchg16b"),
         ref_xfail=NO_CX16),
    Case("triplefault", "triplefault", ["-no-reboot"], status=2,
         regex=(r"loading an empty IDT(?!.*still running)", REGDUMP),
         ref_status=0, ref_regex=r"loading an empty IDT(?!.*still running)"),
    Case("unhandled", "unhandled", status=2,
         regex=(r"executing clzero(?!.*(PASS|FAIL))", REGDUMP, r"(?i)0f\W?01\W?fc"),
         skip_status=NATIVE, ref_xfail=QEMU_STOPS),
    # -cpu: what the guest's CPUID says in ring 0 (KVM answers from the table
    # kvmrun set).  QEMU must agree on the same command line.
    Case("cpuid-host", "cpuid", ["-cpu", "host,-arch-capabilities"]),
    Case("cpuid-qemu64", "cpuid", ["-cpu", "qemu64", "-append",
                                    "vendor=AuthenticAMD sig=0x60fb1 level=13 "
                                    "xlevel=0x8000000a phys=40 brand=QEMU"],
         ref_machine="pc"),
    Case("cpuid-properties", "cpuid",
         ["-cpu", "qemu64,vendor=GenuineIntel,family=6,model=85,stepping=4,level=7,"
                  "xlevel=0x80000008,phys-bits=39,model-id=Hello",
          "-append", "vendor=GenuineIntel sig=0x50654 level=7 xlevel=0x80000008 phys=39 "
                     "brand=Hello"], ref_machine="pc"),
    Case("cpuid-Opteron_G1", "cpuid", ["-cpu", "Opteron_G1,vendor=AuthenticAMD",
                                        "-append", "vendor=AuthenticAMD sig=0xf61 level=5 "
                                                   "phys=40"], ref_machine="pc"),
    Case("cpuid-detects-mismatch", "cpuid", ["-cpu", "qemu64", "-append",
                                              "vendor=GenuineIntel"],
         status=3, regex=fail_re("cpuid", "vendor 'AuthenticAMD', expected 'GenuineIntel'")),
    Case("pio_loop", "pio_loop", ["-append", "n=10000"],
         regex=(r"10000 writes to port 0x80 done in ring [03]", r"PASS pio_loop")),
]


# The interrupt guests run twice: with KVM's in-kernel PIC/IOAPIC/PIT, and with
# the VMM's own (KVM keeps only the local APICs).  QEMU's -M pc can do both.
SPLIT = "pc,kernel-irqchip=split"

QEMU_RTC_EDGES = ("QEMU's RTC raises IRQ 8 again every period while register C is unread, "
                  "and its user-space IOAPIC takes each raise as a new edge (the chip "
                  "keeps IRQ asserted: one edge until C is read)")

QEMU_RTC_NMI = ("QEMU raises the RTC's IRQ 8 with KVM_IRQ_LINE_STATUS, and KVM's in-kernel "
                "IOAPIC then holds GSI 8 as coalesced until the vector's EOI, which an NMI "
                "never gets: one NMI arrives, then none")

QEMU_IOAPIC_EDGES = ("QEMU's user-space IOAPIC takes every raise of an edge pin's line as an "
                     "edge, even when the line is already high")

QEMU_PIT_MODE3 = ("under kernel-irqchip=split QEMU's user-space PIT and IOAPIC give two "
                  "ticks a period in mode 3 (seen here; probably as above: " +
                  QEMU_IOAPIC_EDGES + ")")

# irq_isr exits with 3 (status 7) when the local APIC keeps no ISR.
NO_ISR = {7: "this host's local APIC (KVM's, in both irqchip modes) keeps no vector in "
             "service: ISR reads clear inside the handler and a lower vector gets in "
             "before the EOI (kvm_pvm; QEMU sees the same)"}


def irq_cases(name, image, args=(), regex=(), xfail=("", ""), split_xfail=("", ""),
              ref_xfail=("", ""), skip_status=None):
    """One case with the in-kernel irqchip and one with kernel-irqchip=split.

    xfail and split_xfail are (reason, regex of the known failure); ref_xfail
    is QEMU's reason (in-kernel, split)."""
    skip = dict(skip_status or {})
    return [Case(name, image, list(args), regex=regex, ref_machine="pc",
                 xfail=xfail[0], xfail_regex=xfail[1], ref_xfail=ref_xfail[0],
                 skip_status=skip),
            Case(name + "-split", image, ["-M", SPLIT] + list(args), regex=regex,
                 ref_machine="pc", xfail=split_xfail[0], xfail_regex=split_xfail[1],
                 ref_xfail=ref_xfail[1], skip_status=skip)]


CASES += [
    # S3 stops the vCPUs and rebuilds the machine, with either irqchip.
    *irq_cases("s3-smp2-irqchip", "s3", ["-smp", "2"],
               regex=(r"SLP_TYP 1 \| SLP_EN.*resumed(?!.*FAIL)",)),
    *irq_cases("irq_pit", "irq_pit", regex=(r"mode 3: \d+ ticks", r"PASS irq_pit"),
               ref_xfail=("", QEMU_PIT_MODE3)),
    *irq_cases("irq_rtc", "irq_rtc", regex=(r"register C unread: 1 ", r"PASS irq_rtc"),
               ref_xfail=("", QEMU_RTC_EDGES)),
    *irq_cases("irq_rtc-level", "irq_rtc", ["-append", "mode=level"],
               regex=(r"EOI'd with IRQ 8 still asserted: [3-9]", r"\(level mode\)",
                      r"PASS irq_rtc")),
    *irq_cases("irq_rtc-alarm", "irq_rtc", ["-append", "mode=alarm"],
               regex=(r"alarm at second \S+ \(now \S+\): 1 interrupt", r"\(alarm mode\)",
                      r"PASS irq_rtc")),
    *irq_cases("irq_pic", "irq_pic", regex=(r"slave: \d+ RTC interrupts", r"PASS irq_pic")),
    *irq_cases("irq_ipi", "irq_ipi", ["-smp", "2"],
               regex=(r"10 round trips: the AP took 11 IPIs, the BSP 11", r"PASS irq_ipi")),
    *irq_cases("irq_lapic_timer", "irq_lapic_timer",
               regex=(r"one-shot: 1 interrupt", r"PASS irq_lapic_timer")),
    *irq_cases("irq_ioapic", "irq_ioapic",
               regex=(r"entries round-tripped on each of 2\d pins", r"PASS irq_ioapic")),
    *irq_cases("irq_line", "irq_line", ["-device", "pc-testdev"],
               regex=(r"edge: raised while masked, then unmasked: 2 in all",
                      r"level: asserted while masked, then unmasked: [12] deliver",
                      r"PASS irq_line"),
               ref_xfail=("", QEMU_IOAPIC_EDGES)),
    *irq_cases("irq_pic_line", "irq_pic_line", ["-device", "pc-testdev"],
               regex=(r"level: 3 deliveries", r"auto-EOI: a second edge with no EOI written: 2",
                      r"PASS irq_pic_line")),
    *irq_cases("irq_serial", "irq_serial",
               regex=(r"loopback: \d+ interrupt\(s\), 1 received-data \(byte 0x6b\)",
                      r"PASS irq_serial")),
    *irq_cases("irq_isr", "irq_isr", regex=(r"after the EOI: 1 deliveries", r"PASS irq_isr"),
               skip_status=NO_ISR),
    *irq_cases("irq_route", "irq_route", ["-smp", "2"],
               regex=(r"logical 3, fixed: RTE \S+: BSP [1-9]\d*, AP [1-9]",
                      r"RTC as NMI, physical, to the AP: RTE \S+: NMIs on BSP 0, AP [1-9]",
                      r"PASS irq_route"),
               ref_xfail=(QEMU_RTC_NMI, "")),
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
    now = int(time.time())
    args = [a.format(now=now, hour_ago=now - 3600) for a in case.args]
    if REF == "qemu":
        # QEMU takes the machine (and its kernel-irqchip) from ref_machine.
        if args[:2] == ["-M", SPLIT]:
            args, machine = args[2:], SPLIT
        else:
            machine = case.ref_machine
        return QEMU + ["-M", machine, "-kernel", str(image)] + COMMON + args
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
    timeout = REF_XFAIL_TIMEOUT if xfail else TIMEOUT
    # The serial console and the VMM's own messages are kept apart: a VMM
    # that writes the console from another thread may interleave them
    # mid-line.  The regexes see the console, then the messages.
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
        out, err, status = r.stdout, r.stderr, r.returncode
    except subprocess.TimeoutExpired as e:
        out, err, status = e.output or b"", e.stderr or b"", None
    out = out.decode("utf-8", "replace") + "\n--- stderr ---\n" + err.decode("utf-8", "replace")
    return cmd, status, out, xfail, timeout


def expectations(case):
    if REF == "qemu":
        status = case.status if case.ref_status is None else case.ref_status
        regex = case.regex if case.ref_regex is None else case.ref_regex
        return status, regex
    return case.status, case.regex


class KnownBug(AssertionError):
    """The failure an xfail case expects."""


def params():
    for c in CASES:
        if c.xfail and REF != "qemu":
            yield pytest.param(c, id=c.id, marks=pytest.mark.xfail(
                strict=True, raises=KnownBug, reason=c.xfail))
        else:
            yield pytest.param(c, id=c.id)


@pytest.mark.parametrize("case", list(params()))
def test_guest(case):
    cmd, status, out, xfail, timeout = run(case)
    want_status, regexes = expectations(case)
    if status in case.skip_status:
        pytest.skip(case.skip_status[status])
    problems = []
    if status is None:
        problems.append(f"timed out after {timeout} s; killed")
    elif status != want_status:
        problems.append(f"exit status {status}, expected {want_status}")
    for regex in regexes:
        if not re.search(regex, out, re.S):
            problems.append(f"output does not match /{regex}/")
    if not problems:
        return
    msg = "; ".join(problems) + "\n$ " + " ".join(cmd) + "\n" + out[-4000:]
    if case.xfail and REF != "qemu" and re.search(case.xfail_regex, out, re.S):
        raise KnownBug(msg)
    if xfail:
        pytest.xfail(f"{xfail}: {msg}")
    pytest.fail(msg, pytrace=False)
