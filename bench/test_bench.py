"""Checks of the benchmark runner's own parts (not of kvmrun's speed).

  /usr/bin/python3 -m pytest -q bench

The parts that need KVM or the built programs skip, saying why, without them.
"""
import os
import struct
import subprocess
import time

import pytest

import exit_guest
import run


def kvm_missing():
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC))
    except OSError as e:
        return f"/dev/kvm: {e.strerror}"
    return None


@pytest.fixture(scope="module")
def spawn():
    run.OUT.mkdir(parents=True, exist_ok=True)
    run.build_spawn()


def test_exit_guest_is_a_pvh_elf():
    img = exit_guest.image()
    assert img[:4] == b"\x7fELF" and img[4] == 1            # ELF32
    entry, phoff = struct.unpack_from("<II", img, 24)
    phnum = struct.unpack_from("<H", img, 44)[0]
    phdrs = [struct.unpack_from("<8I", img, phoff + 32 * i) for i in range(phnum)]
    load = [p for p in phdrs if p[0] == 1]
    note = [p for p in phdrs if p[0] == 4]
    assert len(load) == 1 and len(note) == 1
    _, off, _, paddr, filesz, memsz, _, _ = load[0]
    assert paddr == 0x100000 and filesz == memsz == len(img) and off == 0
    namesz, descsz, kind = struct.unpack_from("<III", img, note[0][1])
    assert (namesz, descsz, kind) == (4, 4, 18)
    assert img[note[0][1] + 12:note[0][1] + 16] == b"Xen\0"
    assert struct.unpack_from("<I", img, note[0][1] + 16)[0] == entry
    code = img[entry - paddr:]
    assert code.startswith(b"\x66\xba\xf8\x03")             # mov dx, 0x3f8 first
    assert b"\xe6\xf4" in code                              # out 0xf4, al


def test_run_times_out_and_kills(spawn):
    t0 = time.monotonic()
    with pytest.raises(run.BenchError, match="timed out"):
        run.run_checked(["sh", "-c", "echo started; exec sleep 30"], 0, timeout=1)
    assert time.monotonic() - t0 < 10


def test_run_reports_status_and_own_peak_rss(spawn):
    r = run.run_checked(["sh", "-c", "echo hello; exit 3"], 3, expect="hello")
    assert r.elapsed > 0 and r.time_of("hello") <= r.elapsed
    # Python forked nothing here: the peak is the shell's, not this
    # interpreter's (which exec would have carried over).
    assert r.maxrss_kib < 8 * 1024
    with pytest.raises(run.BenchError, match="exit status 1, expected 0"):
        run.run_checked(["false"], 0)


def test_smaps_of_this_process():
    maps = run.parse_smaps(os.getpid())
    assert maps and all("Size" in m and "Rss" in m for m in maps)
    assert not any(run.is_guest_ram(m) for m in maps if m.get("Size", 0) < 1024)


def test_linux_times(tmp_path):
    p = tmp_path / "times.txt"
    p.write_text(
        "2026-11-22 01:41:35 kvmrun: vmlinux (PVH) session, kernel 6.1: banner 13.9 s, "
        "init marker 120.5 s, checks done 130.0 s, total 131.0 s (exit, status 0); "
        "guest uptime at marker 80.1 s\n"
        "2026-11-22 02:06:04 kvmrun: vmlinux (PVH) session, kernel 6.1: banner 17.2 s, "
        "init marker never, checks done never, total 339.0 s (timeout, status -9); "
        "guest uptime at marker n/a\n"
        "2026-11-22 01:38:16 qemu-kvm: bzImage (lz4) to banner: never (timeout)\n"
        "2026-11-22 01:43:57 kvmrun: bzImage (lz4) to banner: 142.4 s (stopped)\n")
    t = run.linux_times(p)
    # The session that reached init wins over a later one that did not.
    assert run.linux_cell(t[("kvmrun", "session")]) == "120.5 s (guest uptime 80.1 s)"
    assert run.linux_cell(t[("kvmrun", "bzimage")]) == "142.4 s"
    assert run.linux_cell(t[("qemu-kvm", "bzimage")]) == "not reached (timeout)"
    assert run.linux_times(tmp_path / "absent") is None


@pytest.mark.skipif(kvm_missing() is not None, reason=str(kvm_missing()))
def test_pio_floor_counts_every_write():
    if not os.access(run.FLOOR, os.X_OK):
        pytest.skip(f"{run.FLOOR}: not built (make build/bench/pio_floor)")
    for args, writes, exits in ((["0", "ring0"], 0, 0), (["100", "ring0"], 100, 100),
                                (["100", "ring3"], 100, 100),
                                (["100", "ring0", "pit", "ioeventfd"], 100, 0)):
        r = subprocess.run([str(run.FLOOR)] + args, capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 0, r.stderr
        assert f"exits={exits} writes={writes} " in r.stdout
    r = subprocess.run([str(run.FLOOR), "5", "ring7"], capture_output=True, timeout=60)
    assert r.returncode == 2


@pytest.mark.skipif(kvm_missing() is not None, reason=str(kvm_missing()))
def test_exit_guest_under_kvmrun(spawn, tmp_path):
    if not os.access(run.KVMRUN, os.X_OK):
        pytest.skip(f"{run.KVMRUN}: not built (make build/kvmrun)")
    image = tmp_path / "exit.elf"
    exit_guest.write(image)
    r = run.run_checked(run.vmm_cmd("kvmrun", image), run.DEBUG_EXIT_OK,
                        expect=exit_guest.MARKER.decode())
    assert 0 < r.time_of(exit_guest.MARKER.decode()) <= r.elapsed
