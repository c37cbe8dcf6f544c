"""Level 4: Debian's cloud kernel with the guest kit's initramfs, booted by
kvmrun (or a reference VMM, KVMRUN_REF=qemu-tcg) -- see linuxvm.py for the
environment.  One guest session runs every Linux-level check
(guest_checks.sh, appended to the initrd as /checks.sh); a second boot only
times the bzImage to its banner.

On a host that emulates guest kernel code (/work/shared/HOST.md) a boot
takes many minutes; LINUX_TIMEOUT (default 3600 s) bounds each one.  The
times are printed and appended to build/linux-check/times.txt."""
import pathlib
import re

import pytest

import linuxvm

HERE = pathlib.Path(__file__).resolve().parent
CHECKS = HERE / "guest_checks.sh"
MIB = 1024
# Runs the checks; the argument exercises the kvmrun.cmd decoding.
GUEST_CMD = """sh /checks.sh '50% "done"'"""


@pytest.fixture(scope="module")
def vmm():
    argv = linuxvm.vmm_argv()
    if isinstance(argv, str):
        pytest.skip(argv)
    return argv


def expected_checks():
    m = re.search(r"^for c in (.*); do t \$c; done$", CHECKS.read_text(), re.M)
    assert m, f"{CHECKS}: no 'for c in ...; do t $c; done' line"
    return m.group(1).split()


def describe(run):
    tail = "\n".join(run.output.splitlines()[-40:])
    return (f"ended by {run.ended_by}, VMM status {run.returncode}, {run.total:.1f} s; "
            f"full log {run.log_path}\n--- serial (last 40 lines) ---\n{tail}\n"
            f"--- stderr ---\n{run.stderr[-2000:]}")


def report(capsys, text):
    with capsys.disabled():
        print(f"\n[linux {linuxvm.vmm_name()}] {text}")
    linuxvm.record_times(f"{linuxvm.vmm_name()}: {text}")


def seconds(run, word):
    value = run.seen.get(word)
    return "never" if value is None else f"{value:.1f} s"


def test_linux_session(kit, vmm, capsys):
    names = expected_checks()
    initrd = linuxvm.initrd_with({"/checks.sh": CHECKS.read_text()}, "initrd-checks")
    append = linuxvm.append_line(GUEST_CMD)
    argv = linuxvm.session_argv(vmm, linuxvm.kit_file("vmlinux"), append, initrd)
    run = linuxvm.boot(argv, f"session-{linuxvm.vmm_name()}", linuxvm.timeout_seconds(),
                       wait_for=(linuxvm.BANNER, linuxvm.MARKER))
    marker = linuxvm.MARKER_RE.search(run.output)
    report(capsys, f"vmlinux (PVH) session, kernel {kit['KERNEL_PKG_VERSION']}: "
           f"banner {seconds(run, linuxvm.BANNER)}, init marker "
           f"{seconds(run, linuxvm.MARKER)}, checks done {seconds(run, linuxvm.CMD_EXIT)}, "
           f"total {run.total:.1f} s ({run.ended_by}, status {run.returncode}); "
           f"guest uptime at marker {marker.group(1) + ' s' if marker else 'n/a'}")

    assert run.ended_by != "timeout", "guest did not finish in time: " + describe(run)
    assert linuxvm.BANNER in run.output, "no kernel banner: " + describe(run)
    assert linuxvm.PANIC not in run.output, "kernel panic: " + describe(run)
    assert marker, "no init marker: " + describe(run)
    assert int(marker.group(2)) == 2, f"{marker.group(0)}: want cpus=2"
    mem = int(marker.group(3))
    assert 192 * MIB <= mem <= 256 * MIB, f"{marker.group(0)}: want MemTotal near 256 MiB"

    results = {name: (state, detail.strip())
               for name, state, detail in linuxvm.CHECK_RE.findall(run.output)}
    with capsys.disabled():
        for name in names:
            state, detail = results.get(name, ("MISSING", ""))
            print(f"  CHECK {name:12} {state:7} {detail}")
    missing = [n for n in names if n not in results]
    failed = [n for n in names if results.get(n, ("",))[0] == "FAIL"]
    assert not missing, f"checks never reported: {missing}: " + describe(run)
    assert not failed, f"checks failed: {failed}: " + describe(run)

    exit_line = linuxvm.CMD_EXIT_RE.search(run.output)
    assert exit_line, "check script never finished: " + describe(run)
    assert exit_line.group(1) == "0", f"check script exited {exit_line.group(1)}"
    assert "KVMRUN-NO-POWEROFF" not in run.output, \
        "guest found no ACPI, so it reset instead of powering off: " + describe(run)
    assert "KVMRUN-POWEROFF-FAILED" not in run.output, \
        "guest could not power off: " + describe(run)
    assert run.ended_by == "exit" and run.returncode == 0, \
        "VMM did not exit cleanly after power-off: " + describe(run)


def test_bzimage_banner(kit, vmm, capsys):
    argv = linuxvm.session_argv(vmm, linuxvm.kit_file("bzImage"), linuxvm.append_line())
    run = linuxvm.boot(argv, f"bzimage-{linuxvm.vmm_name()}", linuxvm.timeout_seconds(),
                       stop_at=linuxvm.BANNER)
    report(capsys, f"bzImage ({kit['KERNEL_COMPRESSION']}) to banner: "
           f"{seconds(run, linuxvm.BANNER)} ({run.ended_by})")
    assert linuxvm.BANNER in run.seen, "no kernel banner: " + describe(run)
