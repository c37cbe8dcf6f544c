"""Boots the guest kit (scripts/guest-kit.sh) under kvmrun or a reference VMM
and captures its serial console with the time each awaited text first shows.

Environment:
  BUILD            build directory (default: <repo>/build)
  KVMRUN           the kvmrun binary (default: $BUILD/kvmrun)
  KVMRUN_REF       run a reference VMM instead of kvmrun: qemu-tcg (QEMU with
                   software emulation) or qemu-kvm (QEMU on /dev/kvm)
  LINUX_TIMEOUT    seconds before a boot counts as hung (default 3600)
  LINUX_APPEND     extra kernel parameters
  LINUX_INITRD     the kit's initrd to use (default: initramfs.cpio, as
                   decompressing gzip in emulated kernel code takes minutes)
  LINUX_VMM_ARGS   extra VMM arguments (shell words), e.g. virtio devices
"""
import codecs
import os
import pathlib
import re
import shlex
import shutil
import signal
import subprocess
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("BUILD", ROOT / "build"))
KIT = BUILD / "guest-kit"
LOGS = BUILD / "linux-check"

# The kernel keeps at most COMMAND_LINE_SIZE - 1 bytes of it on x86.
CMDLINE_MAX = 2047

# Parameters every session gets: the serial console, early output on the same
# port (progress is visible long before the console driver starts, which
# takes minutes on a host that emulates guest kernel code), no paravirtual
# features (their hypercalls never return on this host, see HOST.md), and a
# panic that reboots at once, which -no-reboot turns into a VMM exit.
# Then what keeps a kernel that runs ~100x slower than on hardware from
# reporting itself broken or spending minutes on boot-time self-checks:
# TSC trusted (no watchdog switch to the port-I/O PM timer), no soft-lockup,
# RCU-stall or hung-task reports (they print "BUG:" and call traces when
# work takes minutes), no crypto self-tests, and two initcalls skipped:
# ftrace's weak-function check (37,000 kallsyms lookups, minutes here,
# holding ftrace_lock) and the tracefs event tree (thousands of files).
BASE_APPEND = ("console=ttyS0 earlyprintk=serial,ttyS0,115200 nopv panic=-1 "
               "tsc=reliable nosoftlockup rcupdate.rcu_cpu_stall_suppress=1 "
               "sysctl.kernel.hung_task_timeout_secs=0 cryptomgr.notests "
               "initcall_blacklist=ftrace_check_for_weak_functions,tracer_init_tracefs")

# Text the boot path prints, in order.
BANNER = "Linux version"
MARKER = "KVMRUN-INIT-OK"
CMD_EXIT = "KVMRUN-CMD-EXIT"
PANIC = "Kernel panic"

MARKER_RE = re.compile(r"KVMRUN-INIT-OK uptime=([0-9.]+) cpus=(\d+) mem=(\d+)")
CMD_EXIT_RE = re.compile(r"KVMRUN-CMD-EXIT (\d+)")
CHECK_RE = re.compile(r"^CHECK (\S+) (ok|FAIL)\b(.*)$", re.M)

# Bytes that stand for themselves in kvmrun.cmd: printable ASCII except the
# space, the escape character %, the kernel's quote " and the backslash.
_SAFE = frozenset(chr(c) for c in range(0x21, 0x7F)) - set('%"\\')


def timeout_seconds():
    return float(os.environ.get("LINUX_TIMEOUT", "3600"))


def encode_cmd(text):
    """Encodes a command for kvmrun.cmd= (the guest kit's /init decodes it):
    every byte outside _SAFE becomes %XX."""
    out = []
    for byte in text.encode():
        ch = chr(byte)
        out.append(ch if ch in _SAFE else "%%%02X" % byte)
    return "".join(out)


def _newc_entry(name, mode, data=b""):
    head = "070701" + "".join("%08X" % v for v in (
        0, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name) + 1, 0))
    entry = head.encode() + name.encode() + b"\0"
    entry += b"\0" * (-len(entry) % 4) + data
    return entry + b"\0" * (-len(entry) % 4)


def initrd_with(files, name):
    """Writes $BUILD/linux-check/<name>: the kit's initramfs followed by a
    newc cpio archive holding `files` ({guest path: text}, executable).  The
    kernel unpacks concatenated archives in turn; the second one must start
    4-byte aligned, and it pads with zeros, which the kernel skips."""
    base = pathlib.Path(os.environ.get("LINUX_INITRD") or kit_file("initramfs.cpio"))
    data = base.read_bytes()
    data += b"\0" * (-len(data) % 4)
    for path, text in files.items():
        data += _newc_entry(path.lstrip("/"), 0o100755, text.encode())
    data += _newc_entry("TRAILER!!!", 0)
    LOGS.mkdir(parents=True, exist_ok=True)
    out = LOGS / name
    out.write_bytes(data)
    return out


def append_line(cmd=None):
    parts = [BASE_APPEND]
    extra = os.environ.get("LINUX_APPEND", "").strip()
    if extra:
        parts.append(extra)
    if cmd is not None:
        parts.append("kvmrun.cmd=" + encode_cmd(cmd))
    line = " ".join(parts)
    if len(line) > CMDLINE_MAX:
        raise ValueError(f"kernel command line is {len(line)} bytes, over the "
                         f"kernel's {CMDLINE_MAX}: shorten the guest script")
    return line


def kit_file(name):
    return KIT / name


def kit_env():
    env = {}
    for line in kit_file("kit.env").read_text().splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    return env


def vmm_name():
    return os.environ.get("KVMRUN_REF", "") or "kvmrun"


def vmm_argv():
    """The VMM program and accelerator for the selected VMM, or a reason
    string why it cannot run here (ValueError for an unknown KVMRUN_REF)."""
    ref = os.environ.get("KVMRUN_REF", "")
    if ref in ("qemu-tcg", "qemu-kvm"):
        if not shutil.which("qemu-system-x86_64"):
            return "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)"
        if ref == "qemu-kvm" and not os.access("/dev/kvm", os.R_OK | os.W_OK):
            return "/dev/kvm is missing or not accessible"
        return ["qemu-system-x86_64", "-accel", ref[len("qemu-"):]]
    if ref:
        raise ValueError(f"KVMRUN_REF={ref} is not one of qemu-tcg, qemu-kvm")
    binary = pathlib.Path(os.environ.get("KVMRUN", BUILD / "kvmrun"))
    if not os.access(binary, os.X_OK):
        return f"{binary} is not built (make build/kvmrun)"
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return "/dev/kvm is missing or not accessible"
    return [str(binary)]


def session_argv(vmm, kernel, append, initrd=None):
    initrd = initrd or os.environ.get("LINUX_INITRD") or kit_file("initramfs.cpio")
    return vmm + [
        "-m", "256M", "-smp", "2", "-nographic", "-nodefaults",
        "-serial", "stdio", "-no-reboot",
        "-kernel", str(kernel), "-initrd", str(initrd), "-append", append,
    ] + shlex.split(os.environ.get("LINUX_VMM_ARGS", ""))


class Run:
    """The outcome of one boot: serial output, stderr, exit status, when
    each awaited text first appeared (seconds from exec) and how it ended."""

    def __init__(self):
        self.output = ""
        self.stderr = ""
        self.returncode = None
        self.seen = {}
        self.total = 0.0
        self.ended_by = ""
        self.log_path = None


def _drain(stream, sink):
    for chunk in iter(lambda: stream.read1(65536), b""):
        sink.append(chunk)


def boot(argv, log_name, timeout, wait_for=(), stop_at=None, grace=120.0):
    """Runs argv with stdin closed until it exits, stop_at appears (then it
    is killed), or timeout passes.  After a kernel panic or the command's
    exit line, the VMM gets `grace` seconds to exit by itself."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log_path = LOGS / f"{log_name}.log"
    run = Run()
    watch = list(wait_for) + [PANIC, CMD_EXIT] + ([stop_at] if stop_at else [])
    chunks, errs = [], []
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    readers = [threading.Thread(target=_drain, args=(proc.stdout, chunks), daemon=True),
               threading.Thread(target=_drain, args=(proc.stderr, errs), daemon=True)]
    for reader in readers:
        reader.start()
    deadline = start + timeout
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    text, consumed = "", 0
    with open(log_path, "w") as log:
        log.write("# " + shlex.join(argv) + "\n")
        log.flush()
        while True:
            now = time.monotonic()
            count = len(chunks)
            new = decoder.decode(b"".join(chunks[consumed:count]))
            consumed = count
            if new:
                log.write(new)
                log.flush()
                tail = len(text)
                text += new
                for word in watch:
                    if word not in run.seen and word in text[max(0, tail - len(word)):]:
                        run.seen[word] = now - start
            if proc.poll() is not None:
                run.ended_by = "exit"
                break
            if stop_at and stop_at in run.seen:
                run.ended_by = "stopped"
                break
            if now >= deadline:
                run.ended_by = "timeout"
                break
            for word in (PANIC, CMD_EXIT):
                if word in run.seen and now - start >= run.seen[word] + grace:
                    run.ended_by = f"no exit {grace:.0f}s after {word!r}"
            if run.ended_by:
                break
            time.sleep(0.05)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        run.returncode = proc.wait()
        run.total = time.monotonic() - start
        for reader in readers:
            reader.join(timeout=5)
        rest = decoder.decode(b"".join(chunks[consumed:]), final=True)
        log.write(rest)
        run.output = text + rest
        for word in watch:
            if word not in run.seen and word in run.output:
                run.seen[word] = run.total
        run.stderr = b"".join(errs).decode(errors="replace")
        log.write(f"\n# ended by {run.ended_by}, status {run.returncode}, "
                  f"{run.total:.1f} s\n# stderr:\n{run.stderr}")
    run.log_path = log_path
    return run


def record_times(line):
    """Appends a line to $BUILD/linux-check/times.txt for the README."""
    LOGS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    with open(LOGS / "times.txt", "a") as f:
        f.write(f"{stamp} {line}\n")
