#!/usr/bin/python3
"""Side-by-side benchmarks: kvmrun against QEMU 7.2 and the raw KVM floor.

Every measurement runs the programs it compares interleaved (the order
alternates from round to round, so drift and other load hit both alike),
takes the median over the rounds and prints the ratio.  Nothing here asserts
a speed: the output is a Markdown table for the README and notes on how it
was measured; the exit status says only whether every measurement was made.

  bench/run.py [--runs N] [--exits N] [--only abcd] [--out FILE]

Every program runs under bench/spawn.c (times around fork and wait4, CPU
time, and a peak RSS that Python's own would otherwise mask), with a timeout;
kvmrun, the guests and the floor are copied to build/bench/snapshot/ first,
as others may rebuild them meanwhile.

(a) exec -> first guest instruction -> exit.  bench/exit_guest.py's guest
    (prints one byte on COM1, exits through isa-debug-exit at once) and the
    `hello` test guest, both PVH, under kvmrun and under
    qemu-system-x86_64 -M microvm -accel kvm.  The byte's arrival on the
    VMM's stdout is the time to the guest's first instruction.
(b) port-I/O exit round trip: the pio_loop test guest under kvmrun, and the
    bare KVM loop of bench/pio_floor.c, each as (T(N) - T(0)) / N over whole
    processes, in wall time and in CPU time (user + system, which is what the
    exits cost and which other load on the machine does not inflate).
(c) resident memory outside the guest-RAM mapping (/proc/PID/smaps) while the
    pio_loop guest runs, and peak RSS, both VMMs, same guest, same -m.
(d) the Linux boot times tests/linux recorded in build/linux-check/times.txt.

Environment: BUILD (default build/), KVMRUN (default $BUILD/kvmrun, the
optimised build, not the sanitizer one), QEMU (default qemu-system-x86_64).
"""
import argparse
import fcntl
import os
import pathlib
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import exit_guest  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
BUILD = pathlib.Path(os.environ.get("BUILD", "build"))
if not BUILD.is_absolute():
    BUILD = ROOT / BUILD
KVMRUN = os.environ.get("KVMRUN", str(BUILD / "kvmrun"))
QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
GUEST = BUILD / "guest"
OUT = BUILD / "bench"
FLOOR = OUT / "pio_floor"
SPAWN = OUT / "spawn"
EXIT_GUEST = OUT / "exit_guest.elf"
HELLO = GUEST / "hello-pvh.elf"         # PVH only: QEMU would pick multiboot
PIO_LOOP = GUEST / "pio_loop-pvh.elf"
TIMES = BUILD / "linux-check" / "times.txt"

RAM = "256M"
RAM_BYTES = 256 << 20
COMMON = ["-m", RAM, "-nodefaults", "-nographic", "-serial", "stdio",
          "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
DEBUG_EXIT_OK = 1       # the guest wrote 0 to isa-debug-exit
TIMEOUT = 60            # any single VMM run
MEM_SETTLE = 0.3        # seconds between the guest's first line and the smaps sample
LONG_LOOP = 10 ** 9     # exits: "runs until killed" for the memory sample

VMMS = ("kvmrun", "qemu")
# Also measured in (a): kvmrun with the PIC, IOAPIC and PIT in user space
# (what QEMU's microvm does by default), and QEMU with all of them in KVM (what
# kvmrun does by default), so that each default meets its like.
VARIANTS = ("kvmrun-split", "qemu-on")
KVM_GET_API_VERSION = 0xae00


class BenchError(Exception):
    pass


def vmm_cmd(vmm, kernel, append=None):
    if vmm == "kvmrun":
        cmd = [KVMRUN, "-accel", "kvm", "-cpu", "host"]
    elif vmm == "kvmrun-split":
        # The PIC, IOAPIC and PIT in user space, only the LAPIC in KVM.
        cmd = [KVMRUN, "-accel", "kvm,kernel-irqchip=split", "-cpu", "host"]
    else:
        # MSR 0x10a (arch-capabilities) is refused by this host's KVM.
        accel = "kvm,kernel-irqchip=on" if vmm == "qemu-on" else "kvm"
        cmd = [QEMU, "-M", "microvm", "-accel", accel, "-cpu", "host,-arch-capabilities",
               "-display", "none"]
    cmd += COMMON + ["-kernel", str(kernel)]
    return cmd + (["-append", append] if append is not None else [])


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Run:
    """One command run through bench/spawn.c, which reports its fork-to-exit
    time, CPU time and peak RSS; its stdout chunks are kept with their
    arrival times."""

    def __init__(self, cmd, timeout=TIMEOUT):
        self.cmd = [str(c) for c in cmd]
        self.timeout = timeout
        self.chunks = []
        self.cond = threading.Condition()
        self.eof = False
        self.timed_out = False
        self.done = False
        self.start = None
        self.err = tempfile.TemporaryFile()
        self.report_r, report_w = os.pipe()
        try:
            self.p = subprocess.Popen([str(SPAWN), str(report_w)] + self.cmd,
                                      stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=self.err, pass_fds=(report_w,),
                                      start_new_session=True)
        finally:
            os.close(report_w)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.timer = threading.Timer(timeout, self._expire)
        self.timer.daemon = True
        self.timer.start()

    def _read(self):
        fd = self.p.stdout.fileno()
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            now = time.monotonic()
            with self.cond:
                if data:
                    self.chunks.append((now, data))
                else:
                    self.eof = True
                self.cond.notify_all()
            if not data:
                return

    def _expire(self):
        self.timed_out = True
        self.kill()

    def kill(self):
        """SIGKILL the spawned process group (it leads its own session)."""
        if not self.done:
            try:
                os.killpg(self.p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def vmm_pid(self):
        """The command's pid: the child of bench/spawn."""
        for pid in os.listdir("/proc"):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2:].split()[1]) == self.p.pid:
                return int(pid)
        raise BenchError(f"no process for `{' '.join(self.cmd)}`")

    @property
    def output(self):
        with self.cond:
            return b"".join(d for _, d in self.chunks).decode("utf-8", "replace")

    def wait_for(self, text, timeout):
        """Waits until stdout contains text; False on EOF or timeout."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                if text.encode() in b"".join(d for _, d in self.chunks):
                    return True
                left = deadline - time.monotonic()
                if self.eof or left <= 0:
                    return False
                self.cond.wait(left)

    def time_of(self, text):
        """Seconds from the fork until the first byte of text reached us."""
        at = b"".join(d for _, d in self.chunks).find(text.encode())
        return None if at < 0 else self.time_at(at)

    def time_at(self, offset):
        """Seconds from the fork until stdout's byte at offset reached us."""
        pos = 0
        if self.start is None:
            return None
        for t, d in self.chunks:
            pos += len(d)
            if pos > offset:
                return t - self.start
        return None

    def finish(self):
        self.p.wait()
        self.done = True
        self.timer.cancel()
        self.reader.join(5)
        self.p.stdout.close()
        with os.fdopen(self.report_r, "r") as f:
            report = dict(kv.split("=") for kv in f.read().split())
        self.stderr = self.stderr_text()
        self.err.close()
        if report:
            self.start = int(report["start_ns"]) / 1e9
            self.elapsed = (int(report["end_ns"]) - int(report["start_ns"])) / 1e9
            self.status = os.waitstatus_to_exitcode(int(report["status"]))
            self.maxrss_kib = int(report["maxrss_kib"])
            self.cpu = int(report["cpu_ns"]) / 1e9
        else:       # killed before it could report
            self.start = self.elapsed = self.maxrss_kib = self.cpu = None
            self.status = self.p.returncode
        return self

    def stderr_text(self):
        if self.err.closed:
            return self.stderr
        self.err.seek(0)
        return self.err.read().decode("utf-8", "replace")

    def describe(self):
        tail = (self.output.strip().splitlines() + self.stderr_text().strip().splitlines())[-4:]
        return f"`{' '.join(self.cmd)}`" + "".join(f"\n    | {line}" for line in tail)


def run_checked(cmd, want_status=DEBUG_EXIT_OK, expect=None, timeout=TIMEOUT):
    r = Run(cmd, timeout).finish()
    if r.timed_out:
        raise BenchError(f"timed out after {timeout} s: {r.describe()}")
    if r.status != want_status:
        raise BenchError(f"exit status {r.status}, expected {want_status}: {r.describe()}")
    if expect and not re.search(expect, r.output):
        raise BenchError(f"output lacks /{expect}/: {r.describe()}")
    return r


def rounds(n, items):
    """Round i runs items in order, or reversed on odd rounds."""
    for i in range(n):
        yield i, (items if i % 2 == 0 else list(reversed(items)))


def median(xs):
    return statistics.median(xs) if xs else None


# ---------------------------------------------------------------- (a) ----

BOOT_FLOORS = {
    # bench/pio_floor.c with N = 0: a VM, one vCPU entering long mode, one
    # port exit to end; no guest image, no devices.
    "floor": ([FLOOR, "0", "ring0"], 0),
    "floor_irq": ([FLOOR, "0", "ring0", "irqchip"], 0),
    "floor_pit": ([FLOOR, "0", "ring0", "pit"], 0),
}


def bench_boot(runs, vmms):
    """exec -> first instruction -> exit: exit-at-once and hello guests, plus
    the bare KVM program, for the share of KVM's own set-up and teardown."""
    res = {}
    variants = VARIANTS if "qemu" in vmms else VARIANTS[:1]
    items = ([(v, g) for g in ("exit", "hello") for v in vmms + variants]
             + [(f, "floor") for f in BOOT_FLOORS] + [(None, "spawn")])
    for i, order in rounds(runs, items):
        log(f"(a) boot round {i + 1}/{runs}")
        for who, guest in order:
            if guest == "spawn":
                r = run_checked(["/bin/true"], 0)
                res.setdefault("spawn", []).append(r.elapsed)
            elif guest == "floor":
                r = run_checked(BOOT_FLOORS[who][0], BOOT_FLOORS[who][1], r"exits=0 ")
                res.setdefault(who, []).append(r.elapsed)
            elif guest == "exit":
                r = run_checked(vmm_cmd(who, EXIT_GUEST),
                                expect=re.escape(exit_guest.MARKER.decode()))
                res.setdefault((who, "first"), []).append(r.time_of(exit_guest.MARKER.decode()))
                res.setdefault((who, "exit"), []).append(r.elapsed)
                res.setdefault((who, "exit_cpu"), []).append(r.cpu)
            else:
                r = run_checked(vmm_cmd(who, HELLO), expect=r"PASS hello")
                res.setdefault((who, "hello"), []).append(r.elapsed)
                res.setdefault((who, "hello_cpu"), []).append(r.cpu)
                res.setdefault((who, "rss"), []).append(r.maxrss_kib)
    out = {k: median(v) for k, v in res.items()}
    out["min"] = {k: min(v) for k, v in res.items()}
    return out


# ---------------------------------------------------------------- (b) ----

FLOORS = {
    "floor0": ["ring0"],
    "floor3": ["ring3"],
    "floor0irq": ["ring0", "pit"],
    # The port bound to an ioeventfd: the loop without the trip to user space.
    "floor0ev": ["ring0", "ioeventfd"],
    "floor3ev": ["ring3", "ioeventfd"],
}


def pio_cmd(cfg, n):
    if cfg in VMMS:
        return vmm_cmd(cfg, PIO_LOOP, f"n={n}"), DEBUG_EXIT_OK, r"PASS pio_loop"
    return [FLOOR, str(n)] + FLOORS[cfg], 0, rf"writes={n} "


def bench_pio(runs, n, cfgs):
    """(T(N) - T(0)) / N per configuration, wall and CPU, paired per round."""
    wall = {c: [] for c in cfgs}
    cpu = {c: [] for c in cfgs}
    inproc = {c: [] for c in cfgs}
    mode = {}
    for i, order in rounds(runs, list(cfgs)):
        log(f"(b) port-I/O round {i + 1}/{runs}")
        for cfg in order:
            r0 = run_checked(*pio_cmd(cfg, 0))
            rn = run_checked(*pio_cmd(cfg, n))
            wall[cfg].append((rn.elapsed - r0.elapsed) / n)
            cpu[cfg].append((rn.cpu - r0.cpu) / n)
            m = re.search(r"done in (ring \d)", rn.output)
            if m:
                mode[cfg] = m.group(1)
            m = re.search(r"ns_per_write=([0-9.]+)", rn.output)
            if m:
                inproc[cfg].append(float(m.group(1)) * 1e-9)
            elif cfg in VMMS:
                inproc[cfg].append((loop_time(rn) - loop_time(r0)) / n)
    return ({c: median(v) for c, v in wall.items()}, {c: median(v) for c, v in cpu.items()},
            {c: median(v) for c, v in inproc.items()}, mode)


def loop_time(r):
    """pio_loop's loop as its console shows it: from the end of the line
    before the loop to the first byte of the line that reports it done."""
    data = b"".join(d for _, d in r.chunks)
    done = data.find(b" writes to port 0x80 done")
    newline = data.rfind(b"\n", 0, done)
    if done < 0 or newline < 0:
        raise BenchError(f"pio_loop's console lacks its lines: {r.describe()}")
    return r.time_at(newline + 1) - r.time_at(newline)


def strace_calls(cmd):
    """Total and per-syscall counts of cmd under strace -f -c."""
    with tempfile.NamedTemporaryFile("r", suffix=".strace") as f:
        r = Run(["strace", "-f", "-c", "-o", f.name, "--"] + cmd, TIMEOUT).finish()
        if r.timed_out or r.status != DEBUG_EXIT_OK:
            raise BenchError(f"under strace: exit status {r.status}: {r.describe()}")
        counts = {}
        for line in f.read().splitlines():
            m = re.match(r"\s*[0-9.]+\s+[0-9.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$", line)
            if m and m.group(2) != "total":
                counts[m.group(2)] = int(m.group(1))
        return counts


def syscalls_per_exit(n=20000):
    """kvmrun's system calls per port exit: strace counts of n=N minus n=0."""
    c0 = strace_calls(vmm_cmd("kvmrun", PIO_LOOP, "n=0"))
    cn = strace_calls(vmm_cmd("kvmrun", PIO_LOOP, f"n={n}"))
    per = {k: (cn.get(k, 0) - c0.get(k, 0)) / n for k in set(c0) | set(cn)}
    total = sum(per.values())
    top = sorted(((v, k) for k, v in per.items() if abs(v) >= 0.01), reverse=True)
    return total, top


# ---------------------------------------------------------------- (c) ----

def parse_smaps(pid):
    maps, cur = [], None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            fields = line.split()
            if re.match(r"^[0-9a-f]+-[0-9a-f]+\s", line):
                cur = {"range": fields[0], "name": " ".join(fields[5:])}
                maps.append(cur)
            elif len(fields) >= 2 and fields[0].endswith(":") and fields[1].isdigit():
                cur[fields[0][:-1]] = int(fields[1])
    return maps


def is_guest_ram(m):
    """The guest-RAM mapping: -m bytes (QEMU may add a little alignment)."""
    return RAM_BYTES <= m.get("Size", 0) * 1024 <= RAM_BYTES + (16 << 20)


def label(m):
    name = m["name"]
    if not name:
        return "[anonymous]"
    return os.path.basename(name) if name.startswith("/") else name


def memory_sample(vmm):
    """Starts the long pio_loop guest, samples smaps while it runs, kills it."""
    r = Run(vmm_cmd(vmm, PIO_LOOP, f"n={LONG_LOOP}"), TIMEOUT)
    try:
        if not r.wait_for("booted via", 30):
            raise BenchError(f"{vmm}: guest did not start: {r.describe()}")
        time.sleep(MEM_SETTLE)
        pid = r.vmm_pid()
        maps = parse_smaps(pid)
        with open(f"/proc/{pid}/status") as f:
            hwm = int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))
        threads = len(os.listdir(f"/proc/{pid}/task"))
        os.kill(pid, signal.SIGKILL)
    except OSError as e:
        r.kill()
        r.finish()
        raise BenchError(f"{vmm}: exited while it should run ({e}): {r.describe()}")
    except BaseException:
        r.kill()
        r.finish()
        raise
    r.finish()
    ram = [m for m in maps if is_guest_ram(m)]
    if len(ram) != 1:
        raise BenchError(f"{vmm}: {len(ram)} mappings of the guest-RAM size, expected 1")
    rest = [m for m in maps if not is_guest_ram(m)]
    by = {}
    for m in rest:
        by[label(m)] = by.get(label(m), 0) + m.get("Rss", 0)
    return {
        "outside": sum(m.get("Rss", 0) for m in rest),
        "outside_private": sum(m.get("Private_Clean", 0) + m.get("Private_Dirty", 0)
                               for m in rest),
        "outside_pss": sum(m.get("Pss", 0) for m in rest),
        "ram": ram[0].get("Rss", 0),
        "hwm": hwm,
        "threads": threads,
        "by": by,
    }


def bench_memory(runs, vmms):
    samples = {v: [] for v in vmms}
    for i, order in rounds(runs, list(vmms)):
        log(f"(c) memory round {i + 1}/{runs}")
        for vmm in order:
            samples[vmm].append(memory_sample(vmm))
    res = {}
    for vmm, s in samples.items():
        res[vmm] = {k: median([x[k] for x in s])
                    for k in ("outside", "outside_private", "outside_pss", "ram", "hwm",
                              "threads")}
        res[vmm]["by"] = s[len(s) // 2]["by"]
    return res


# ---------------------------------------------------------------- (d) ----

def linux_times(path=None):
    """{(vmm, kind): line} from tests/linux's record, kind "session" (vmlinux
    through PVH to the init marker) or "bzimage" (to the banner): the latest
    line, except that one which got there beats a later one which did not."""
    path = pathlib.Path(path or TIMES)
    if not path.exists():
        return None
    best = {}
    for line in path.read_text(errors="replace").splitlines():
        m = re.match(r"\S+ \S+ ([\w-]+): (vmlinux \(PVH\) session|bzImage)", line)
        if not m:
            continue
        key = (m.group(1), "session" if m.group(2).startswith("vmlinux") else "bzimage")
        if linux_reached(line) or not linux_reached(best.get(key, "")):
            best[key] = line
    return best


def linux_reached(line):
    return re.search(r"init marker [0-9.]+ s|to banner: [0-9.]+ s", line) is not None


def linux_cell(line):
    if not line:
        return "not reached"
    m = re.search(r"init marker ([0-9.]+) s", line)
    if m:
        up = re.search(r"uptime at marker ([0-9.]+ s)", line)
        return f"{float(m.group(1)):.1f} s" + (f" (guest uptime {up.group(1)})" if up else "")
    m = re.search(r"to banner: ([0-9.]+) s", line)
    if m:
        return f"{float(m.group(1)):.1f} s"
    m = re.search(r"to banner: never \(([^)]*)\)", line)
    if m:
        return f"not reached ({m.group(1)})"
    banner = re.search(r"banner ([0-9.]+) s", line)
    total = re.search(r"total ([0-9.]+) s \(([^)]*)\)", line)
    why = f"; banner at {banner.group(1)} s" if banner else ""
    if total:
        why += f", ended after {total.group(1)} s ({total.group(2)})"
    return f"not reached{why}"


# ----------------------------------------------------------- machine ----

def cpu_ticks():
    ticks = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
        except OSError:
            continue
        rest = stat[stat.rindex(")") + 2:].split()
        ticks[int(pid)] = (int(rest[11]) + int(rest[12]), cmd or stat.split()[1])
    return ticks


def busy_processes(interval=1.0):
    """Other processes using > 10% of a CPU, sampled over interval seconds."""
    hz = os.sysconf("SC_CLK_TCK")
    a = cpu_ticks()
    time.sleep(interval)
    b = cpu_ticks()
    busy = []
    for pid, (t, cmd) in b.items():
        if pid in a and pid != os.getpid():
            pct = (t - a[pid][0]) / hz / interval * 100
            if pct > 10:
                busy.append((pct, cmd[:90]))
    return sorted(busy, reverse=True)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# -------------------------------------------------------------- checks ----

def build_spawn():
    """bench/spawn.c, built here when `make bench` did not (static if possible)."""
    src = ROOT / "bench" / "spawn.c"
    if SPAWN.exists() and SPAWN.stat().st_mtime >= src.stat().st_mtime:
        return
    base = [os.environ.get("CC", "cc"), "-O2", "-Wall", "-Wextra", "-Werror",
            "-o", str(SPAWN), str(src)]
    for extra in (["-static"], []):
        r = subprocess.run(base + extra, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=120)
        if r.returncode == 0:
            return
    raise BenchError(f"{src}: does not build: {r.stderr.decode(errors='replace').strip()}")


def snapshot():
    """Copies what is measured into build/bench/snapshot/: other work in the
    same tree may rebuild build/kvmrun or the guests while this runs.  A copy
    taken while the linker was writing does not run: then it tries again."""
    global KVMRUN, HELLO, PIO_LOOP, FLOOR
    snap = OUT / "snapshot"
    snap.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):
        copies = []
        for path in (KVMRUN, HELLO, PIO_LOOP, FLOOR):
            dest = snap / pathlib.Path(path).name
            tmp = dest.with_name(dest.name + ".tmp")
            shutil.copy2(path, tmp)
            os.replace(tmp, dest)
            copies.append(str(dest))
        r = subprocess.run([copies[0], "--version"], stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=20)
        if r.returncode == 0:
            break
        time.sleep(5)
    else:
        raise BenchError(f"{KVMRUN} --version fails (exit status {r.returncode}): "
                         f"{r.stderr.decode(errors='replace').strip()}")
    KVMRUN, HELLO, PIO_LOOP, FLOOR = copies
    BOOT_FLOORS["floor"][0][0] = FLOOR
    for cmd, _ in BOOT_FLOORS.values():
        cmd[0] = FLOOR


def preflight():
    """Errors that stop everything, and the QEMU problem (measure without it)."""
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError as e:
        raise BenchError(f"/dev/kvm: {e.strerror}: the benchmarks need KVM "
                         "(load kvm_intel or kvm_amd, or join the kvm group)")
    try:
        api = fcntl.ioctl(fd, KVM_GET_API_VERSION)
    except OSError as e:
        raise BenchError(f"/dev/kvm: not a KVM device ({e.strerror})")
    finally:
        os.close(fd)
    if api != 12:
        raise BenchError(f"/dev/kvm: KVM API version {api}, kvmrun needs 12")
    need = [(KVMRUN, "make build/kvmrun"), (FLOOR, "make build/bench/pio_floor"),
            (HELLO, "make guests"), (PIO_LOOP, "make guests")]
    for path, how in need:
        if not os.access(path, os.R_OK):
            raise BenchError(f"{path}: missing; build it with `{how}` (or `make bench`)")
    with open(KVMRUN, "rb") as f:
        if b"AddressSanitizer" in f.read():
            raise BenchError(f"{KVMRUN} is a sanitizer build; benchmark the optimised "
                             "build/kvmrun")
    if not shutil.which(QEMU):
        return (f"{QEMU}: not found; install Debian's qemu-system-x86 (`make deps`) "
                "or set QEMU=/path/to/qemu-system-x86_64")
    return None


# -------------------------------------------------------------- output ----

def ms(s):
    return "n/a" if s is None else f"{s * 1e3:.1f} ms"


def us(s):
    return "n/a" if s is None else f"{s * 1e6:.1f} µs"


def mib(kib):
    return "n/a" if kib is None else f"{kib / 1024:.1f} MiB"


def ratio(a, b):
    return "n/a" if a is None or b is None or b <= 0 else f"{a / b:.2f}×"


def target(value, limit, text):
    if value is None:
        return text
    return f"{text} ({'met' if value <= limit else 'not met'})"


def quotient(a, b):
    return a / b if a is not None and b else None


def boot_rows(boot, q):
    def pair(key, fmt=ms):
        k, r = boot.get(("kvmrun", key)), boot.get(("qemu", key))
        return fmt(k), f"{q} {fmt(r)}", ratio(k, r)

    def goal(key):
        return target(quotient(boot.get(("kvmrun", key)), boot.get(("qemu", key))), 0.3,
                      "≤ 0.3×")

    def split(key):
        k, r = boot.get(("kvmrun-split", key)), boot.get(("qemu", key))
        return ms(k), f"{q} {ms(r)}", ratio(k, r)

    return [
        ("(a) exec → guest's first instruction, exit-at-once PVH guest", *pair("first"), ""),
        ("(a) exec → exit, exit-at-once PVH guest", *pair("exit"), goal("exit")),
        ("(a) exec → exit, `hello` test guest (PVH)", *pair("hello"), goal("hello")),
        ("(a) CPU time (user + sys), exec → exit, `hello`", *pair("hello_cpu"), ""),
        ("(a) kvmrun `-accel kvm,kernel-irqchip=split`: exec → first instruction, "
         "exit-at-once guest", *split("first"), ""),
        ("(a) kvmrun `-accel kvm,kernel-irqchip=split`: exec → exit, exit-at-once guest",
         *split("exit"), ""),
        ("(a) kvmrun `-accel kvm,kernel-irqchip=split`: exec → exit, `hello`",
         *split("hello"), ""),
    ]


def boot_notes(boot):
    low = boot["min"]
    notes = [f"(a) Times from fork to wait4 in bench/spawn.c (`/bin/true` measured so: "
             f"{ms(boot['spawn'])}). First instruction = arrival on the VMM's stdout of "
             "the byte the guest's first instructions write to COM1 (bench/exit_guest.py; "
             "QEMU runs its qboot firmware first). Fastest runs, exit-at-once guest / "
             "`hello`: " + ", ".join(
                 f"{v} {ms(low.get((v, 'exit')))} / {ms(low.get((v, 'hello')))}"
                 for v in VMMS + VARIANTS if (v, "exit") in low) + "."]
    parts = [f"{v} {ms(boot[(v, 'hello_cpu')] - boot[(v, 'exit_cpu')])}"
             for v in VMMS if boot.get((v, "hello_cpu")) and boot.get((v, "exit_cpu"))]
    if parts:
        notes.append("(a) `hello`'s own work in CPU time (its CPU time minus the "
                     "exit-at-once guest's; guest kernel mode is emulated here): "
                     + ", ".join(parts) + ".")
    notes.append("(a) kvmrun's default uses KVM's in-kernel PIC and IOAPIC with its own "
                 "PIT (KVM's PIT costs milliseconds to tear down on this host); QEMU's "
                 "microvm defaults to kernel-irqchip=split, with the PIC, IOAPIC and PIT in "
                 "user space, as kvmrun has them with `-accel kvm,kernel-irqchip=split` (the "
                 "rows so marked compare those two). QEMU with kernel-irqchip=on, "
                 "exit-at-once guest / `hello`: "
                 f"{ms(boot.get(('qemu-on', 'exit')))} / {ms(boot.get(('qemu-on', 'hello')))}.")
    notes.append("(a) KVM's own share: a bare program (bench/pio_floor.c, N = 0: create "
                 "the VM, a 4 MiB slot, one vCPU, one exit, exit) takes "
                 f"{ms(boot.get('floor'))}; with KVM's in-kernel irqchip "
                 f"{ms(boot.get('floor_irq'))}; with the irqchip and the in-kernel PIT, as "
                 f"kvmrun creates them, {ms(boot.get('floor_pit'))}.")
    return notes


def pio_rows(pio):
    wall, cpu, inproc, mode = pio
    kmode = mode.get("kvmrun", "ring 0")
    floor = "floor3" if kmode == "ring 3" else "floor0"
    fname = f"bare KVM loop, {kmode}"
    rows = [
        (f"(b) port-I/O exit round trip, wall, `pio_loop` in {kmode}",
         us(wall.get("kvmrun")), f"{fname}: {us(wall.get(floor))}",
         ratio(wall.get("kvmrun"), wall.get(floor)),
         target(quotient(wall.get("kvmrun"), wall.get(floor)), 1.05, "≤ 1.05×")),
        ("(b) port-I/O exit round trip, wall, the loop alone (console timestamps; "
         "in-process for the bare loop)",
         us(inproc.get("kvmrun")), f"{fname}: {us(inproc.get(floor))}",
         ratio(inproc.get("kvmrun"), inproc.get(floor)),
         target(quotient(inproc.get("kvmrun"), inproc.get(floor)), 1.05, "≤ 1.05×")),
        ("(b) port-I/O exit round trip, CPU time (user + sys)",
         us(cpu.get("kvmrun")), f"{fname}: {us(cpu.get(floor))}",
         ratio(cpu.get("kvmrun"), cpu.get(floor)),
         target(quotient(cpu.get("kvmrun"), cpu.get(floor)), 1.05, "≤ 1.05×")),
    ]
    if kmode == "ring 0":
        rows.append(("(b) the same in CPU time, against the bare loop with KVM's irqchip + PIT "
                     "(the most kvmrun can create)", us(cpu.get("kvmrun")),
                     f"bare KVM loop + irqchip, ring 0: {us(cpu.get('floor0irq'))}",
                     ratio(cpu.get("kvmrun"), cpu.get("floor0irq")), ""))
    if "qemu" in wall:
        rows.append(("(b) port-I/O exit round trip, wall, same guest",
                     us(wall.get("kvmrun")), f"QEMU {us(wall.get('qemu'))}",
                     ratio(wall.get("kvmrun"), wall.get("qemu")), ""))
    return rows


def pio_notes(pio, exits, sysc):
    wall, cpu, inproc, mode = pio
    kmode = mode.get("kvmrun", "ring 0")
    notes = [f"(b) (T(N) − T(0)) / N with N = {exits}, whole processes, each N paired with "
             f"its 0 in the same round. `pio_loop` ran its loop in {kmode} (this host drops "
             "IOPL 3 when the guest itself enters ring 3), so the floor is compared in the "
             "same ring. Bare loop timed inside its process: "
             f"ring 0 {us(inproc.get('floor0'))}, ring 3 (IOPL 3 set with KVM_SET_REGS) "
             f"{us(inproc.get('floor3'))}. Whole-process, wall / CPU: bare ring 3 "
             f"{us(wall.get('floor3'))} / {us(cpu.get('floor3'))}; bare ring 0 with KVM's "
             f"in-kernel irqchip + PIT, {us(wall.get('floor0irq'))} / "
             f"{us(cpu.get('floor0irq'))}"
             + (f"; QEMU {us(wall.get('qemu'))} / {us(cpu.get('qemu'))}" if "qemu" in wall
                else "") + ".",
             "(b) On this loaded 2-CPU host the wall-time ratios swing by about ±10% from "
             "one `make bench` to the next; CPU time, which the other load does not "
             "inflate, is the steadier measure of what an exit costs.",
             "(b) What dominates: the same bare loops with port 0x80 bound to an ioeventfd, "
             "so that no write leaves the kernel, take (in-process) "
             f"{us(inproc.get('floor0ev'))} per write in ring 0 and "
             f"{us(inproc.get('floor3ev'))} in ring 3; the rest of each round trip above is "
             "the exit to user space and back into the guest, which the VMM cannot shorten "
             "(it can only avoid it: ioeventfd, in-kernel devices)."]
    if sysc:
        total, top = sysc
        notes.append(f"(b) strace -f: kvmrun makes {total:.2f} system calls per port exit ("
                     + ", ".join(f"{k} {v:.2f}" for v, k in top[:4]) + ").")
    return notes


def mem_rows(mem, boot, q):
    km, qm = mem.get("kvmrun", {}), mem.get("qemu", {})
    rows = [("(c) RSS outside the guest-RAM mapping, `pio_loop` running",
             mib(km.get("outside")), f"{q} {mib(qm.get('outside'))}",
             ratio(km.get("outside"), qm.get("outside")),
             target(quotient(km.get("outside"), 1024), 2.0, "≤ 2 MiB"))]
    if boot:
        rows.append(("(c) peak RSS, exec → exit, `hello`",
                     mib(boot.get(("kvmrun", "rss"))), f"{q} {mib(boot.get(('qemu', 'rss')))}",
                     ratio(boot.get(("kvmrun", "rss")), boot.get(("qemu", "rss"))), ""))
    return rows


def mem_notes(mem):
    notes = []
    for vmm, name in (("kvmrun", "kvmrun"), ("qemu", "QEMU")):
        if vmm not in mem:
            continue
        m = mem[vmm]
        top = sorted(((v, n) for n, v in m["by"].items() if v >= 64), reverse=True)
        notes.append(f"(c) {name} while `pio_loop` runs: {mib(m['outside'])} outside guest "
                     f"RAM, {mib(m['outside_private'])} of it private (the rest shared "
                     f"file pages: libraries, the binary), PSS {mib(m['outside_pss'])}; "
                     f"guest RAM {mib(m['ram'])}; "
                     f"VmHWM {mib(m['hwm'])}; {m['threads']:.0f} threads. Largest: "
                     + ", ".join(f"{n} {v / 1024:.2f} MiB" for v, n in top[:5]) + ".")
    notes.append("(c) Peak RSS is ru_maxrss of the VMM forked by bench/spawn.c, whose own "
                 "~0.5 MiB is the floor (exec keeps the larger of the two).")
    return notes


LINUX_REFS = (("qemu-kvm", "QEMU -accel kvm:"), ("qemu-tcg", "QEMU -accel tcg:"))
LINUX_ROWS = (("session", "(d) Linux 6.1 vmlinux (PVH) + initramfs, -smp 2, exec → init marker"),
              ("bzimage", "(d) Linux 6.1 bzImage, exec → kernel banner"))


def linux_rows(linux):
    if linux is None:
        return [(LINUX_ROWS[0][1], "not reached (no build/linux-check/times.txt)", "", "", "")]
    rows = []
    for kind, name in LINUX_ROWS:
        refs = [f"{label} {linux_cell(linux[(vmm, kind)])}"
                for vmm, label in LINUX_REFS if (vmm, kind) in linux]
        rows.append((name, linux_cell(linux.get(("kvmrun", kind))), "; ".join(refs), "", ""))
    return rows


def linux_notes(linux):
    rel = TIMES.relative_to(ROOT) if TIMES.is_relative_to(ROOT) else TIMES
    return [f"(d) from {rel}, as tests/linux recorded it: `{linux[key]}`"
            for key in (("kvmrun", "session"), ("kvmrun", "bzimage"))
            if linux and linux.get(key)]


def host_notes(load_start, load_end, busy, qemu_version):
    kvm = ("kvm_pvm (guest kernel mode emulated)" if os.path.exists("/sys/module/kvm_pvm")
           else "KVM")
    notes = [f"Host: {os.cpu_count()} CPUs, {kvm}; load average {load_start} at the start, "
             f"{load_end} at the end."]
    if busy:
        notes.append("Other load, sampled for 1 s at the start and at the end: " + "; ".join(
            f"`{cmd}` {pct:.0f}% of a CPU" for pct, cmd in busy[:6]) + ".")
    if qemu_version:
        notes.append(f"QEMU: {qemu_version}, `-M microvm -accel kvm -cpu host,-arch-capabilities` "
                     "(its qboot firmware runs before the guest); kvmrun: build/kvmrun "
                     "(-O2); both with the same guest image, -m " + RAM + ", -nodefaults, "
                     "-serial stdio, isa-debug-exit, and their exit status checked.")
    return notes


def section(errors, name, fn, *args):
    try:
        return fn(*args)
    except BenchError as e:
        errors.append(f"({name}) {e}")
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=15, help="rounds per measurement (>= 1)")
    ap.add_argument("--exits", type=int, default=30000, help="N for (b)")
    ap.add_argument("--only", default="abcd", help="sections to run, e.g. `ab`")
    ap.add_argument("--out", default=str(OUT / "results.md"), help="also write the table here")
    args = ap.parse_args()
    if args.runs < 1 or args.exits < 1:
        ap.error("--runs and --exits must be positive")
    if not args.only or set(args.only) - set("abcd"):
        ap.error("--only takes letters among a, b, c, d")

    errors = []
    started = time.monotonic()
    try:
        qemu_missing = preflight()
        OUT.mkdir(parents=True, exist_ok=True)
        snapshot()
        build_spawn()
        exit_guest.write(EXIT_GUEST)
    except (BenchError, OSError, subprocess.SubprocessError) as e:
        print(f"bench: {e}", file=sys.stderr)
        return 1
    vmms = ("kvmrun",) if qemu_missing else VMMS
    qemu_version = ""
    if qemu_missing:
        errors.append(qemu_missing)
        log(f"bench: {qemu_missing}; measuring kvmrun alone")
    else:
        v = Run([QEMU, "--version"], 20).finish()
        qemu_version = v.output.splitlines()[0] if v.output else QEMU
    q = "QEMU" if not qemu_missing else "QEMU (not run)"

    load_start = loadavg()
    busy = busy_processes()
    log(f"bench: load average {load_start}; {len(busy)} other busy processes")

    boot = pio = mem = sysc = linux = None
    if "a" in args.only:
        boot = section(errors, "a", bench_boot, args.runs, vmms)
    if "b" in args.only:
        cfgs = ["kvmrun"] + list(FLOORS) + list(vmms[1:])
        pio = section(errors, "b", bench_pio, args.runs, args.exits, cfgs)
        if shutil.which("strace"):
            sysc = section(errors, "b, strace", syscalls_per_exit)
    if "c" in args.only:
        mem = section(errors, "c", bench_memory, args.runs, vmms)
    if "d" in args.only:
        linux = linux_times()
    load_end = loadavg()
    seen = {cmd for _, cmd in busy}
    busy += [b for b in busy_processes() if b[1] not in seen]

    rows, notes = [], host_notes(load_start, load_end, busy, qemu_version)
    if boot:
        rows += boot_rows(boot, q)
        notes += boot_notes(boot)
    if pio:
        rows += pio_rows(pio)
        notes += pio_notes(pio, args.exits, sysc)
    if mem:
        rows += mem_rows(mem, boot, q)
        notes += mem_notes(mem)
    if "d" in args.only:
        rows += linux_rows(linux)
        notes += linux_notes(linux)
    notes.append(f"Whole run: {time.monotonic() - started:.0f} s.")

    lines = [f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `make bench` "
             f"(`bench/run.py --runs {args.runs} --exits {args.exits}`"
             + (f" `--only {args.only}`" if args.only != "abcd" else "")
             + f"): medians of {args.runs} interleaved runs.", "",
             "| measurement | kvmrun | reference | kvmrun / reference | target |",
             "|---|---|---|---|---|"]
    lines += [f"| {' | '.join(r)} |" for r in rows]
    lines += [""] + [f"- {n}" for n in notes]
    if errors:
        lines += [""] + [f"**Not measured**: {e}" for e in errors]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    try:
        pathlib.Path(args.out).write_text(text)
    except OSError as e:
        print(f"bench: {args.out}: {e.strerror}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
