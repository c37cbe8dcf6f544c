"""The real kvmrun binary against bad command lines and listings.

A bad command line must end kvmrun with status 1 and exactly one line on
stderr naming the option: no crash, no sanitizer report, no hang.  Listings
(help, version, -machine/-accel/-device help) go to stdout with status 0.
Nothing here needs /dev/kvm: every case ends in option parsing.
"""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
KVMRUN = pathlib.Path(os.environ.get("KVMRUN", ROOT / "build" / "kvmrun-san"))

pytestmark = pytest.mark.skipif(
    not os.access(KVMRUN, os.X_OK),
    reason=f"{KVMRUN} is not built (run make build/kvmrun-san)")

K = ["-kernel", "bzImage"]

# (arguments, text the one stderr line must contain)
BAD = [
    (["-foo"], "-foo"),
    (["--foo"], "--foo"),
    (K + ["-m"], "-m"),
    (K + ["-m", "0"], "-m 0"),
    (K + ["-m", "1KiB"], "-m 1KiB"),
    (K + ["-m", "2T"], "-m 2T"),
    (K + ["-m", "99999999999999999999999999"], "-m 9999"),
    (K + ["-m", "16E"], "-m 16E"),
    (K + ["-m", "1G,maxmem=2G"], "-m 1G,maxmem=2G"),
    (K + ["-smp", "0"], "-smp 0"),
    (K + ["-smp", "256"], "-smp 256"),
    (K + ["-smp", "x"], "-smp"),
    (K + ["-smp", "4,sockets=3"], "-smp 4,sockets=3"),
    (K + ["-smp", "4,maxcpus=8"], "-smp 4,maxcpus=8"),
    (K + ["-smp"], "-smp"),
    (K + ["-accel", "tcg"], "-accel tcg"),
    (K + ["-accel", "kvm,foo=1"], "-accel kvm,foo=1"),
    (K + ["-accel", "kvm", "-enable-kvm"], "-accel"),
    (K + ["-machine", "q35"], "-machine q35"),
    (K + ["-M", "pc,foo=1"], "-M pc,foo=1"),
    (K + ["-device", "foo"], "-device foo"),
    (K + ["-device", "isa-debug-exit,iobase=0x10000"], "-device"),
    (K + ["-device", "isa-debug-exit,iobase=zz"], "iobase"),
    (K + ["-device", "isa-debug-exit,bar=1"], "'bar'"),
    (K + ["-device", "pc-testdev,x=1"], "-device pc-testdev,x=1"),
    (K + ["-serial", "mon:stdio"], "-serial mon:stdio"),
    (K + ["-serial", "stdio", "-serial", "stdio"], "-serial"),
    (K + ["-display", "gtk"], "-display gtk"),
    (K + ["-cpu", "qemu65"], "-cpu qemu65"),
    (K + ["-cpu", "qemu64,+nosuchflag"], "nosuchflag"),
    (K + ["-cpu", "max,+vmx,-vmx-mbec"], "vmx-mbec"),
    (K + ["-cpu", "qemu64,phys-bits=20"], "phys-bits"),
    (K + ["-machine", "vmport=on"], "vmport"),
    (K + ["-machine", "pc,pit=2"], "pit"),
    (K + ["-overcommit", "cpu-pm=maybe"], "cpu-pm"),
    (K + ["-name", "a,process=b"], "-name"),
    (["-qtest", "tcp:localhost:1"], "-qtest"),
    (K + ["-accel", "kvm", "-qtest", "unix:/nonexistent/q"], "-qtest"),
    (K + ["-qtest-log", "/dev/null"], "-qtest-log"),
    (["-m", "512M"], "-kernel"),
    (["-initrd", "x", "-accel", "qtest"], "-initrd"),
    (["-append", "x", "-accel", "qtest"], "-append"),
    (K + ["disk.img"], "disk.img"),
    (K + ["-kernel"], "-kernel"),
]

LISTINGS = [
    (["--help"], "usage: kvmrun"),
    (["-h"], "usage: kvmrun"),
    (["-help"], "-device"),
    (["--version"], "kvmrun version"),
    (["-version"], "QEMU-compatible"),
    (["-machine", "help"], "kvmrun"),
    (["-M", "?"], "pc"),
    (["-accel", "help"], "qtest"),
    (["-device", "help"], "isa-debug-exit"),
    (["-device", "isa-debug-exit,help"], "iobase"),
    (["-cpu", "help"], "max"),
]


def run(args):
    env = dict(os.environ)
    # Make a sanitizer finding impossible to miss: its own exit status.
    env.setdefault("ASAN_OPTIONS", "exitcode=99")
    env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:exitcode=98")
    return subprocess.run([str(KVMRUN)] + args, capture_output=True,
                          text=True, timeout=10, stdin=subprocess.DEVNULL,
                          env=env)


@pytest.mark.parametrize("args,needle", BAD, ids=lambda v: repr(v))
def test_bad_command_line(args, needle):
    r = run(args)
    assert r.returncode == 1, (r.returncode, r.stderr)
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("kvmrun: "), r.stderr
    assert needle in lines[0], r.stderr
    assert "Sanitizer" not in r.stderr
    assert r.stdout == ""


@pytest.mark.parametrize("args,needle", LISTINGS, ids=lambda v: repr(v))
def test_listing(args, needle):
    r = run(args)
    assert r.returncode == 0, (r.returncode, r.stderr)
    assert r.stderr == ""
    assert needle in r.stdout
