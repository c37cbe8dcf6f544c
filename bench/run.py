#!/usr/bin/python3
"""Side-by-side benchmarks: kvmrun against QEMU (and the raw KVM floor).

Each measurement runs both programs interleaved, several times, and reports
the medians and their ratio.  Nothing here asserts a speed: it prints a
Markdown table for the README.

  bench/run.py [--runs N] [--exits N]

(a) exec -> first guest instruction -> exit: the hello test guest (PVH),
    kvmrun vs qemu-system-x86_64 -M microvm -accel kvm.
(b) ring-3 port-I/O exit round trip: the pio_loop guest under kvmrun vs the
    bare KVM loop of bench/pio_floor.c, (T(N) - T(0)) / N for both.
(c) resident memory: kvmrun's RSS outside the guest-RAM mapping
    (/proc/PID/smaps) while a guest runs, and peak RSS, for both VMMs.
"""
import argparse
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
BUILD = pathlib.Path(os.environ.get("BUILD", ROOT / "build"))
KVMRUN = os.environ.get("KVMRUN", str(BUILD / "kvmrun"))
QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
GUEST = BUILD / "guest"
FLOOR = BUILD / "bench" / "pio_floor"
RAM = "256M"
RAM_BYTES = 256 << 20
DEBUG_EXIT = ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


def kvmrun_cmd(kernel, append=None):
    cmd = [KVMRUN, "-m", RAM, "-nodefaults", "-nographic", "-serial", "stdio",
           "-kernel", str(kernel)] + DEBUG_EXIT
    return cmd + (["-append", append] if append else [])


def qemu_cmd(kernel, append=None):
    cmd = [QEMU, "-M", "microvm", "-accel", "kvm", "-cpu", "host", "-m", RAM,
           "-nodefaults", "-nographic", "-serial", "stdio", "-no-reboot",
           "-kernel", str(kernel)] + DEBUG_EXIT
    return cmd + (["-append", append] if append else [])


def timed(cmd, timeout=120):
    """Wall time from exec to exit, and peak RSS in KiB."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    deadline = t0 + timeout
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            p.kill()
            os.wait4(p.pid, 0)
            raise RuntimeError(f"timeout: {' '.join(cmd)}")
        time.sleep(0.0005)
    elapsed = time.monotonic() - t0
    code = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss, code


def median_runs(cmd, runs, want_code=1):
    times, rss = [], []
    for _ in range(runs):
        t, r, code = timed(cmd)
        if code != want_code:
            raise RuntimeError(f"exit status {code}, want {want_code}: {' '.join(cmd)}")
        times.append(t)
        rss.append(r)
    return statistics.median(times), statistics.median(rss)


def bench_boot(runs):
    hello = GUEST / "hello.elf"
    k_t, k_rss, q_t, q_rss = [], [], [], []
    for _ in range(runs):       # interleaved, so drift hits both alike
        t, r = median_runs(kvmrun_cmd(hello), 1)
        k_t.append(t)
        k_rss.append(r)
        t, r = median_runs(qemu_cmd(hello), 1)
        q_t.append(t)
        q_rss.append(r)
    return (statistics.median(k_t), statistics.median(q_t),
            statistics.median(k_rss), statistics.median(q_rss))


def per_exit(cmd_for_n, n, runs, want_code):
    t0, _ = median_runs(cmd_for_n(0), runs, want_code)
    tn, _ = median_runs(cmd_for_n(n), runs, want_code)
    return (tn - t0) / n


def bench_pio(runs, n):
    loop = GUEST / "pio_loop.elf"
    kvmrun = per_exit(lambda k: kvmrun_cmd(loop, f"n={k}"), n, runs, 1)
    floor = per_exit(lambda k: [str(FLOOR), str(k)], n, runs, 0)
    return kvmrun, floor


def smaps_outside_ram(pid, ram_bytes):
    """RSS (KiB) of every mapping except the guest-RAM one(s)."""
    total, size, rss = 0, 0, 0
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            if line.startswith("Size:"):
                size = int(line.split()[1]) * 1024
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
                if size < ram_bytes:
                    total += rss
    return total


def bench_memory(cmd, settle=1.0):
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        time.sleep(settle)
        if p.poll() is not None:
            raise RuntimeError(f"exited early: {' '.join(cmd)}")
        return smaps_outside_ram(p.pid, RAM_BYTES)
    finally:
        p.kill()
        p.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--exits", type=int, default=20000)
    args = ap.parse_args()

    print(f"# kvmrun benchmarks ({time.strftime('%Y-%m-%d')}, median of {args.runs})")
    kt, qt, krss, qrss = bench_boot(args.runs)
    kpio, fpio = bench_pio(max(3, args.runs // 3), args.exits)
    loop = GUEST / "pio_loop.elf"
    long_n = f"n={args.exits * 20}"
    kmem = bench_memory(kvmrun_cmd(loop, long_n))
    qmem = bench_memory(qemu_cmd(loop, long_n))

    print("| measurement | kvmrun | reference | ratio | target |")
    print("|---|---|---|---|---|")
    print(f"| (a) exec to exit, PVH test guest | {kt * 1e3:.1f} ms | QEMU microvm {qt * 1e3:.1f} ms "
          f"| {kt / qt:.2f}x | <= 0.3x |")
    print(f"| (b) ring-3 port-I/O exit round trip | {kpio * 1e6:.2f} us | bare KVM loop "
          f"{fpio * 1e6:.2f} us | {kpio / fpio:.2f}x | <= 1.05x |")
    print(f"| (c) RSS outside guest RAM, while running | {kmem / 1024:.1f} MiB | QEMU "
          f"{qmem / 1024:.1f} MiB | {kmem / max(qmem, 1):.2f}x | <= 2 MiB |")
    print(f"| (c) peak RSS, exec to exit | {krss / 1024:.1f} MiB | QEMU {qrss / 1024:.1f} MiB "
          f"| {krss / qrss:.2f}x | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
