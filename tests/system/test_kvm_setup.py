"""Item 2 of issue 2: /dev/kvm that cannot be used gives one clear line
saying what to do and status 1 -- before any guest starts, so without the
kvm_pvm start-up note -- while -accel qtest needs no KVM at all.

The bad /dev/kvm is made without touching the host's: an unprivileged user
(setpriv to nobody) for "permission denied", and a private mount namespace
(unshare -m) with /dev/kvm hidden or replaced for the rest."""
import os
import pathlib
import shutil
import struct
import signal
import socket
import subprocess
import tempfile
import time

import pytest

from sysrun import (ENV, HOST_IS_PVM, KVMRUN, check_clean, check_note, guest, messages,
                    need_kvm, need_kvmrun, run)

NOBODY = 65534


@pytest.fixture
def world_tmp():
    """A scratch directory the unprivileged user can use (tmp_path is not)."""
    d = tempfile.mkdtemp(prefix="kvmrun-sys-")
    os.chmod(d, 0o777)
    yield pathlib.Path(d)
    shutil.rmtree(d, ignore_errors=True)


def unprivileged_kvmrun(tmp_path):
    """A copy of the binary any user can run, and the setpriv prefix."""
    if os.geteuid() != 0:
        pytest.skip("needs root, to run kvmrun as an unprivileged user (setpriv)")
    if not shutil.which("setpriv"):
        pytest.skip("setpriv (util-linux) is not installed")
    need_kvmrun()
    if not os.path.exists("/dev/kvm"):
        pytest.skip("/dev/kvm does not exist here")
    st = os.stat("/dev/kvm")
    if st.st_mode & 0o006:
        pytest.skip("/dev/kvm is open to every user here: no permission error to provoke")
    exe = tmp_path / "kvmrun"
    shutil.copy(KVMRUN, exe)
    os.chmod(exe, 0o755)
    img = tmp_path / "hello.elf"
    shutil.copy(guest("hello"), img)
    os.chmod(img, 0o644)
    prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
    return prefix, exe, img


def run_as(prefix, exe, args, timeout=20):
    argv = prefix + [str(exe)] + [str(a) for a in args]
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout, cwd="/")
    check_clean(r.stderr)
    return r


def test_permission_denied(world_tmp):
    prefix, exe, img = unprivileged_kvmrun(world_tmp)
    r = run_as(prefix, exe, ["-kernel", img, "-nodefaults"])
    msgs = messages(r.stderr)
    assert r.returncode == 1, r
    assert len(msgs) == 1, msgs
    assert "/dev/kvm" in msgs[0] and "kvm group" in msgs[0], msgs
    check_note(r.stderr, started=False)


def test_unprivileged_qtest_needs_no_kvm(world_tmp):
    prefix, exe, _ = unprivileged_kvmrun(world_tmp)
    sock = world_tmp / "q.sock"
    argv = prefix + [str(exe), "-accel", "qtest", "-qtest",
                     f"unix:{sock},server=on,wait=off", "-nodefaults"]
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, cwd="/")
    try:
        deadline = time.monotonic() + 10
        while not sock.exists() and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert p.poll() is None, p.stderr.read()
        assert sock.exists(), "no qtest socket"
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=20)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait(10)
    check_clean(err)
    assert p.returncode == 0, err
    assert len(messages(err)) == 1 and "TERM" in messages(err)[0], err


def mount_ns_argv(setup, args):
    """argv running kvmrun after `setup` (shell) in a private mount namespace."""
    if os.geteuid() != 0:
        pytest.skip("needs root for a private mount namespace (unshare -m)")
    if not shutil.which("unshare"):
        pytest.skip("unshare (util-linux) is not installed")
    need_kvmrun()
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-ec", setup],
                           capture_output=True, timeout=10)
    if probe.returncode:
        pytest.skip(f"cannot set up a mount namespace here: {probe.stderr.decode().strip()}")
    return (["unshare", "-m", "--propagation", "private", "sh", "-ec",
             setup + ' && exec "$@"', "sh", KVMRUN] + [str(a) for a in args])


def in_mount_ns(setup, args, timeout=20):
    r = subprocess.run(mount_ns_argv(setup, args), stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    check_clean(r.stderr)
    return r


# A /dev with only what the sanitizers and the tests need, and no kvm.
HIDE_KVM = ("mount -t tmpfs -o mode=755 none /dev && mknod -m 666 /dev/null c 1 3 && "
            "mknod -m 666 /dev/urandom c 1 9")


def test_missing_dev_kvm():
    r = in_mount_ns(HIDE_KVM, ["-kernel", guest("hello"), "-nodefaults"])
    msgs = messages(r.stderr)
    assert r.returncode == 1, r.stderr
    assert len(msgs) == 1, msgs
    assert "/dev/kvm" in msgs[0] and "module" in msgs[0], msgs
    check_note(r.stderr, started=False)


def test_missing_dev_kvm_qtest_still_runs(tmp_path):
    """No /dev/kvm: -accel qtest runs, and ends 0 when its client hangs up."""
    sock = tmp_path / "q.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(sock))
    listener.listen(1)
    listener.settimeout(10)
    argv = mount_ns_argv(HIDE_KVM, ["-accel", "qtest", "-qtest", f"unix:{sock}",
                                    "-nodefaults"])
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    try:
        conn, _ = listener.accept()
        conn.sendall(b"inb 0x3fd\n")
        conn.settimeout(10)
        assert conn.recv(100).startswith(b"OK 0x"), "no qtest reply"
        conn.close()
        out, err = p.communicate(timeout=20)
    finally:
        listener.close()
        if p.poll() is None:
            p.kill()
            p.wait(10)
    check_clean(err)
    assert p.returncode == 0, err
    assert messages(err) == [], err


def test_dev_kvm_not_a_kvm_device():
    """/dev/kvm that is some other device (here /dev/null): one line, 1."""
    r = in_mount_ns("mount --bind /dev/null /dev/kvm", ["-kernel", guest("hello"),
                                                        "-nodefaults"])
    msgs = messages(r.stderr)
    assert r.returncode == 1, r.stderr
    assert len(msgs) == 1 and "/dev/kvm" in msgs[0], msgs
    check_note(r.stderr, started=False)


def test_pvm_note_once_at_start():
    """On a kvm_pvm host the note comes once, first, before any guest output
    can make it look like a guest message; elsewhere never."""
    need_kvm()
    r = run(["-kernel", guest("hello"), "-nodefaults", "-serial", "stdio",
             "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"])
    assert r.status == 1, r
    check_note(r.err)
    if HOST_IS_PVM:
        assert "kvm_pvm" in r.err.decode().splitlines()[0], r
        assert "emulates" in r.err.decode(), "the note should say why boots are slow"
    assert messages(r.err) == [], r


# ---- a host KVM that lacks something (an LD_PRELOAD shim fails one ioctl) ----

def is_static(path):
    """No PT_INTERP: the dynamic loader, and so LD_PRELOAD, never runs."""
    with open(path, "rb") as f:
        elf = f.read(1 << 16)
    if elf[:4] != b"\x7fELF" or elf[4] != 2:
        return False
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    for i in range(phnum):
        p_type, = struct.unpack_from("<I", elf, phoff + i * phentsize)
        if p_type == 3:                     # PT_INTERP
            return False
    return True


@pytest.fixture(scope="module")
def kvmfail(tmp_path_factory):
    need_kvmrun()
    if is_static(KVMRUN):
        pytest.skip(f"{KVMRUN} is linked statically: an LD_PRELOAD shim cannot "
                    "reach it (run these against build/kvmrun-san, the default)")
    cc = shutil.which("gcc") or shutil.which("cc")
    if not cc:
        pytest.skip("no C compiler to build the ioctl shim")
    out = tmp_path_factory.mktemp("shim") / "kvmfail.so"
    src = pathlib.Path(__file__).with_name("kvmfail.c")
    r = subprocess.run([cc, "-shared", "-fPIC", "-O1", "-Wall", "-Wextra", "-Werror",
                        "-o", str(out), str(src), "-ldl"], capture_output=True, timeout=60)
    if r.returncode:
        pytest.fail(f"building the shim failed:\n{r.stderr.decode()}")
    return out


def run_failing(kvmfail, what, args=()):
    need_kvm()
    env = dict(ENV)
    env.update(KVMFAIL=what, LD_PRELOAD=str(kvmfail))
    # The shim comes before libasan in the link order; that is fine here.
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
    return run(["-kernel", guest("hello"), "-nodefaults"] + list(args), env=env,
               timeout=20)


def test_cpu_pm_without_disable_exits(kvmfail):
    """-overcommit cpu-pm=on on a KVM that cannot leave HLT to the guest
    (KVM_CAP_X86_DISABLE_EXITS, 143): one line, status 1, no guest."""
    r = run_failing(kvmfail, "cap=143", ["-overcommit", "cpu-pm=on"])
    msgs = messages(r.err)
    assert r.status == 1 and b"booted via" not in r.out, r
    assert len(msgs) == 1 and "cpu-pm=on" in msgs[0] and \
        "KVM_CAP_X86_DISABLE_EXITS" in msgs[0], msgs


# Every capability kvmrun says it relies on (src/accel/kvm.c), by number.
REQUIRED_CAPS = {
    "USER_MEMORY": 3, "SET_TSS_ADDR": 4, "SET_IDENTITY_MAP_ADDR": 37, "EXT_CPUID": 7,
    "IRQCHIP": 0, "PIT2": 33, "IRQ_ROUTING": 25, "SIGNAL_MSI": 77, "IMMEDIATE_EXIT": 136,
    "MP_STATE": 14, "VCPU_EVENTS": 41, "XSAVE": 55, "XCRS": 56, "NR_MEMSLOTS": 10,
}


@pytest.mark.parametrize("cap", sorted(REQUIRED_CAPS))
def test_missing_capability(kvmfail, cap):
    r = run_failing(kvmfail, f"cap={REQUIRED_CAPS[cap]}")
    msgs = messages(r.err)
    assert r.status == 1, r
    assert len(msgs) == 1, r
    assert f"KVM_CAP_{cap}" in msgs[0] and "kernel" in msgs[0], msgs
    check_note(r.err, started=False)


def test_old_api_version(kvmfail):
    r = run_failing(kvmfail, "api")
    msgs = messages(r.err)
    assert r.status == 1, r
    assert len(msgs) == 1 and "API version 11" in msgs[0] and "12" in msgs[0], msgs
    check_note(r.err, started=False)


# Failing calls later in set-up: still one line naming the call, status 1.
LATER = [("create_vm", "KVM_CREATE_VM", False), ("memory", "KVM_SET_USER_MEMORY_REGION", False),
         ("irqchip", "KVM_CREATE_IRQCHIP", False), ("cpuid", "KVM_GET_SUPPORTED_CPUID", False),
         ("create_vcpu", "KVM_CREATE_VCPU", True)]


@pytest.mark.parametrize("what,call,started", LATER, ids=[x[0] for x in LATER])
def test_failing_kvm_call(kvmfail, what, call, started):
    r = run_failing(kvmfail, what)
    msgs = messages(r.err)
    assert r.status == 1, r
    assert len(msgs) == 1 and call in msgs[0], msgs
    check_note(r.err, started=started)


def test_vcpu_mmap_size_too_small(kvmfail):
    r = run_failing(kvmfail, "mmap_size")
    msgs = messages(r.err)
    assert r.status == 1, r
    assert len(msgs) == 1 and "KVM_GET_VCPU_MMAP_SIZE" in msgs[0], msgs
    assert "Success" not in msgs[0], f"an error line that says 'Success': {msgs[0]!r}"


def test_kvm_run_fails(kvmfail, vm):
    """KVM_RUN itself fails (EFAULT): a fatal exit -- one line naming it,
    status 2 -- with the terminal given back."""
    need_kvm()
    env = dict(ENV)
    env.update(KVMFAIL="run", LD_PRELOAD=str(kvmfail))
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
    v = vm(["-kernel", guest("hello"), "-nodefaults", "-serial", "stdio", "-nographic"],
           tty=True, env=env)
    status = v.wait(20)
    check_clean(v.err)
    msgs = messages(v.err)
    assert status == 2, v
    assert len(msgs) == 1 and "KVM_RUN" in msgs[0], msgs
    check_note(v.err)
    assert v.termios() == v.initial, "terminal not restored after a failing KVM_RUN"


@pytest.mark.parametrize("index", [1, 3])
def test_one_vcpu_of_four_cannot_be_made(kvmfail, index):
    """-smp 4 and KVM refuses vCPU N: one line, status 1, the vCPUs already
    made torn down (no hang, no leak), and no guest code run."""
    need_kvm()
    env = dict(ENV)
    env.update(KVMFAIL=f"create_vcpu={index}", LD_PRELOAD=str(kvmfail))
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
    r = run(["-smp", "4", "-kernel", guest("smp"), "-append", "cpus=4", "-nodefaults",
             "-serial", "stdio"], env=env, timeout=20)
    msgs = messages(r.err)
    assert r.status == 1, r
    assert len(msgs) == 1 and f"vcpu {index}" in msgs[0] and "KVM_CREATE_VCPU" in msgs[0], msgs
    assert r.out == b"", f"guest code ran before every vCPU existed:\n{r}"


# ---- an unprivileged user who may use /dev/kvm ----

def as_kvm_user(world_tmp, args, kernel_mode=0o644):
    """Run kvmrun as nobody, in a mount namespace where /dev/kvm is a node
    that every user may open (the host's stays as it is)."""
    prefix, exe, img = unprivileged_kvmrun(world_tmp)
    os.chmod(img, kernel_mode)
    node = world_tmp / "kvm"
    setup = f"mknod -m 666 {node} c 10 232 && mount --bind {node} /dev/kvm"
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-ec", setup],
                           capture_output=True, timeout=10)
    node.unlink(missing_ok=True)
    if probe.returncode:
        pytest.skip(f"cannot set up a mount namespace here: {probe.stderr.decode().strip()}")
    argv = (["unshare", "-m", "--propagation", "private", "sh", "-ec",
             setup + ' && exec "$@"', "sh"] + prefix + [str(exe), "-kernel", str(img)]
            + [str(a) for a in args])
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=30, cwd="/")
    check_clean(r.stderr)
    return r, img


def test_unprivileged_user_runs_a_guest(world_tmp):
    """Nothing in kvmrun needs root: with /dev/kvm open to it, nobody boots
    the hello guest to its pass."""
    r, _ = as_kvm_user(world_tmp, ["-nodefaults", "-serial", "stdio",
                                   "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"])
    assert r.returncode == 1, r.stderr
    assert b"PASS hello" in r.stdout, r.stdout
    assert messages(r.stderr) == [], r.stderr


def test_unreadable_kernel(world_tmp):
    r, img = as_kvm_user(world_tmp, ["-nodefaults"], kernel_mode=0o600)
    msgs = messages(r.stderr)
    assert r.returncode == 1, r.stderr
    assert len(msgs) == 1 and str(img) in msgs[0] and "denied" in msgs[0], msgs
    check_note(r.stderr, started=False)
