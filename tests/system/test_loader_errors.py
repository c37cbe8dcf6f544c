"""Item 4 of issue 2, through the binary: a kernel or initrd kvmrun cannot
boot -- missing, not a file, empty, random, truncated, too old, too big, a
command line too long -- ends kvmrun with status 1 and exactly one line on
stderr naming the file and the problem, before any vCPU runs (so without
the kvm_pvm start-up note), quickly, and with no sanitizer report."""
import os
import random
import signal
import struct
import sys
import tempfile
import time

import pytest

from sysrun import (KIT, check_note, guest, kvm_unusable, messages, need_kvm, run)

QUICK = 10          # seconds: a refusal is immediate; a boot attempt is not


def bzimage():
    path = KIT / "bzImage"
    if not path.exists():
        pytest.skip(f"{path}: the guest kit is not built (make guest-kit)")
    return path


def bz_header(data):
    setup_sects = data[0x1f1] or 4
    syssize = struct.unpack_from("<I", data, 0x1f4)[0]
    version = struct.unpack_from("<H", data, 0x206)[0]
    cmdline_size = struct.unpack_from("<I", data, 0x238)[0] if version >= 0x206 else 255
    pm_start = (setup_sects + 1) * 512
    return pm_start, pm_start + syssize * 16, cmdline_size


def elf_loads(data):
    """(offset, filesz) of each PT_LOAD of an ELF32 or ELF64 file."""
    is64 = data[4] == 2
    if is64:
        phoff, = struct.unpack_from("<Q", data, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    else:
        phoff, = struct.unpack_from("<I", data, 0x1c)
        phentsize, phnum = struct.unpack_from("<HH", data, 0x2a)
    loads = []
    for i in range(phnum):
        off = phoff + i * phentsize
        if is64:
            p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", data, off)
        else:
            p_type, p_offset, _, _, p_filesz = struct.unpack_from("<IIIII", data, off)
        if p_type == 1 and p_filesz:
            loads.append((p_offset, p_filesz))
    return phoff, phentsize * phnum, loads


def write(tmp, name, data):
    path = tmp / name
    path.write_bytes(data)
    return path


def expect_refusal(args, *words, timeout=QUICK * 3):
    """status 1, one line naming each of `words`, no note, quick.  Without
    a usable /dev/kvm the same loaders run under -accel qtest."""
    args = list(args) + ["-nodefaults"]
    with tempfile.TemporaryDirectory(prefix="kvmrun-sys-") as tmp:
        if kvm_unusable():
            args = ["-accel", "qtest", "-qtest",
                    f"unix:{tmp}/qtest.sock,server=on,wait=off"] + args
        r = run(args, timeout=timeout)
    msgs = messages(r.err)
    assert r.status == 1, f"status {r.status}, expected 1\n{r}"
    assert len(msgs) == 1, f"expected exactly one line on stderr, got {len(msgs)}\n{r}"
    for w in words:
        assert str(w) in msgs[0], f"the line does not name {w!r}: {msgs[0]!r}"
    check_note(r.err, started=False)
    assert r.elapsed < QUICK, f"took {r.elapsed:.1f} s to refuse\n{r}"
    return msgs[0]


# ---- the kernel file ----

def test_missing_kernel(tmp_path):
    path = tmp_path / "no-such-kernel"
    expect_refusal(["-kernel", path], path, "No such file")


def test_kernel_is_a_directory(tmp_path):
    expect_refusal(["-kernel", tmp_path], tmp_path, "not a regular file")


def test_empty_kernel(tmp_path):
    path = write(tmp_path, "empty", b"")
    expect_refusal(["-kernel", path], path, "not a bzImage")


@pytest.mark.parametrize("size", [1, 600, 65536, 1 << 20])
def test_random_kernel(tmp_path, size):
    rng = random.Random(size)
    data = bytes(rng.getrandbits(8) for _ in range(size))
    path = write(tmp_path, "random", data)
    expect_refusal(["-kernel", path], path)


def test_elf_magic_then_garbage(tmp_path):
    rng = random.Random(7)
    data = b"\x7fELF" + bytes(rng.getrandbits(8) for _ in range(4092))
    path = write(tmp_path, "garbage.elf", data)
    expect_refusal(["-kernel", path], path)


# ---- bzImage ----

def bz_truncations():
    return [("512", lambda pm_start, pm_end: 512),
            ("4096", lambda pm_start, pm_end: 4096),
            ("setup-1", lambda pm_start, pm_end: pm_start - 1),
            ("half", lambda pm_start, pm_end: pm_end // 2),
            ("kernel-1", lambda pm_start, pm_end: pm_end - 1)]


@pytest.mark.parametrize("cut", [c[1] for c in bz_truncations()],
                         ids=[c[0] for c in bz_truncations()])
def test_truncated_bzimage(tmp_path, cut):
    data = bzimage().read_bytes()
    pm_start, pm_end, _ = bz_header(data)
    assert pm_end <= len(data)
    path = write(tmp_path, "bzImage.cut", data[:cut(pm_start, pm_end)])
    expect_refusal(["-kernel", path], path)


@pytest.mark.parametrize("version", [0x205, 0x200, 0x104])
def test_bzimage_protocol_too_old(tmp_path, version):
    data = bytearray(bzimage().read_bytes())
    struct.pack_into("<H", data, 0x206, version)
    path = write(tmp_path, "bzImage.old", data)
    line = expect_refusal(["-kernel", path], path)
    v = f"{version >> 8}.{version & 0xff:02d}"
    assert v in line or "old" in line, line


def test_zimage_not_loaded_high(tmp_path):
    data = bytearray(bzimage().read_bytes())
    data[0x211] &= ~1                       # LOADED_HIGH clear: a zImage
    path = write(tmp_path, "zImage", data)
    expect_refusal(["-kernel", path], path)


def test_bzimage_does_not_fit_in_ram():
    path = bzimage()
    expect_refusal(["-kernel", path, "-m", "32M"], path, "-m")


def test_bzimage_cmdline_too_long():
    path = bzimage()
    _, _, size = bz_header(path.read_bytes())
    expect_refusal(["-kernel", path, "-append", "a" * (size + 1)], path, "too long",
                   str(size))


def test_bzimage_cmdline_at_the_limit_is_taken(vm):
    """cmdline_size bytes exactly is allowed: kvmrun starts the kernel."""
    need_kvm()
    path = bzimage()
    _, _, size = bz_header(path.read_bytes())
    v = vm(["-kernel", path, "-append", "a" * size, "-nodefaults"])
    deadline = time.monotonic() + QUICK
    while v.running() and time.monotonic() < deadline:
        if v.err_drain.wait_for(rb"kvm_pvm", 0.1):
            break
    assert v.running(), f"a {size}-byte command line was refused:\n{v}"
    v.signal(signal.SIGTERM)
    assert v.wait(20) == 0, v
    assert not [m for m in messages(v.err) if "too long" in m], v


# ---- ELF test guests (multiboot and PVH) ----

def elf_truncations(data):
    phoff, phsize, loads = elf_loads(data)
    off, size = loads[0]
    last_off, last_size = loads[-1]
    return {
        "elf-header": 20,
        "program-headers": phoff + phsize // 2,
        "first-load": off + size // 2,
        "last-load-1": last_off + last_size - 1,
    }


CUTS = ["elf-header", "program-headers", "first-load", "last-load-1"]


@pytest.mark.parametrize("image", ["hello", "hello-mb", "hello-pvh"])
@pytest.mark.parametrize("cut", CUTS)
def test_truncated_elf(tmp_path, image, cut):
    data = guest(image).read_bytes()
    at = elf_truncations(data)[cut]
    path = write(tmp_path, f"{image}.cut", data[:at])
    expect_refusal(["-kernel", path], path)


def test_elf_without_entry_note_or_multiboot(tmp_path):
    """An ELF that is neither PVH nor multiboot (this very Python's
    interpreter will do): refused, not jumped into."""
    exe = os.path.realpath(sys.executable)
    expect_refusal(["-kernel", exe], exe)


# ---- initrd ----

def test_missing_initrd(tmp_path):
    path = tmp_path / "no-such-initrd"
    expect_refusal(["-kernel", guest("hello"), "-initrd", path], path)


def test_initrd_is_a_directory(tmp_path):
    expect_refusal(["-kernel", guest("hello"), "-initrd", tmp_path], tmp_path)


def sparse(tmp_path, mib):
    path = tmp_path / f"initrd-{mib}M"
    with open(path, "wb") as f:
        f.truncate(mib << 20)
    return path


@pytest.mark.parametrize("image", ["hello-mb", "hello-pvh"])
def test_initrd_larger_than_ram(tmp_path, image):
    path = sparse(tmp_path, 100)
    expect_refusal(["-kernel", guest(image), "-m", "64M", "-initrd", path], path,
                   "initrd", "-m")


def test_initrd_larger_than_ram_bzimage(tmp_path):
    path = sparse(tmp_path, 100)
    expect_refusal(["-kernel", bzimage(), "-m", "128M", "-initrd", path], path,
                   "initrd", "-m")


def test_initrd_larger_than_ram_bzimage_64m(tmp_path):
    """At -m 64M the kernel itself does not fit: that is the one line."""
    path = sparse(tmp_path, 100)
    expect_refusal(["-kernel", bzimage(), "-m", "64M", "-initrd", path], "-m")


# ---- command lines for ELF kernels ----

@pytest.mark.parametrize("image", ["hello-mb", "hello-pvh"])
def test_elf_cmdline_too_long(image):
    path = guest(image)
    expect_refusal(["-kernel", path, "-append", "a" * 100000], path, "too long")


# ---- ELF program headers a loader must not trust ----

def patch_first_load(image, fn):
    data = bytearray(guest(image).read_bytes())
    phoff, = struct.unpack_from("<I", data, 0x1c)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x2a)
    for i in range(phnum):
        o = phoff + i * phentsize
        if struct.unpack_from("<I", data, o)[0] == 1:
            fn(data, o)
            return data
    raise AssertionError(f"{image}: no PT_LOAD")


def _paddr(addr):
    def fn(d, o):
        struct.pack_into("<II", d, o + 8, addr, addr)
    return fn


def _field(off, value):
    def fn(d, o):
        struct.pack_into("<I", d, o + off, value)
    return fn


BAD_PHDRS = [
    ("above-ram", ["-m", "64M"], _paddr(0x10000000)),
    ("in-mmio-hole", ["-m", "5G"], _paddr(0xd0000000)),
    ("memsz-wraps", ["-m", "64M"], _field(20, 0xfff00000)),
    ("filesz-over-memsz", [], _field(20, 0x100)),
    ("offset-past-eof", [], _field(4, 0xffffff00)),
]


@pytest.mark.parametrize("image", ["hello-mb", "hello-pvh"])
@pytest.mark.parametrize("args,patch", [b[1:] for b in BAD_PHDRS],
                         ids=[b[0] for b in BAD_PHDRS])
def test_bad_program_header(tmp_path, image, args, patch):
    path = write(tmp_path, f"{image}.bad", patch_first_load(image, patch))
    expect_refusal(["-kernel", path] + args, path)


def test_too_many_program_headers(tmp_path):
    data = bytearray(guest("hello-pvh").read_bytes())
    struct.pack_into("<H", data, 0x2c, 0xffff)
    path = write(tmp_path, "phnum.elf", data)
    expect_refusal(["-kernel", path], path)


# ---- files that are not files ----

@pytest.mark.parametrize("dev", ["/dev/null", "/dev/zero", "/dev/urandom"])
def test_kernel_is_a_device(dev):
    if not os.path.exists(dev):
        pytest.skip(f"{dev} does not exist here")
    expect_refusal(["-kernel", dev], dev, "not a regular file")


def test_initrd_is_a_device():
    expect_refusal(["-kernel", guest("hello"), "-initrd", "/dev/zero"], "/dev/zero")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("what", ["kernel", "initrd"])
def test_fifo_is_refused_not_waited_on(tmp_path, what):
    """`-kernel <(...)` or a named pipe nobody writes: refuse it as not a
    regular file instead of blocking forever in open()."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    args = (["-kernel", fifo] if what == "kernel"
            else ["-kernel", guest("hello"), "-initrd", fifo])
    expect_refusal(args, fifo, "not a regular file", timeout=QUICK)


def test_segment_in_mmio_hole_advice(tmp_path):
    """A segment in the PCI hole: refused, without advice that cannot help."""
    path = write(tmp_path, "hole.elf", patch_first_load("hello-pvh", _paddr(0xd0000000)))
    line = expect_refusal(["-kernel", path, "-m", "5G"], path)
    assert "larger -m" not in line, line


@pytest.mark.parametrize("image", ["hello-mb", "hello-pvh"])
def test_empty_initrd_is_fine(tmp_path, image):
    """An empty initrd is not an error (QEMU takes it too): the guest runs."""
    need_kvm()
    path = write(tmp_path, "empty-initrd", b"")
    r = run(["-kernel", guest(image), "-initrd", path, "-nodefaults", "-serial", "stdio",
             "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"], timeout=30)
    assert r.status == 1 and b"PASS hello" in r.out, r
    assert messages(r.err) == [], r


# ---- the guest kit's vmlinux (ELF64, PVH) ----

def vmlinux():
    path = KIT / "vmlinux"
    if not path.exists():
        pytest.skip(f"{path}: the guest kit is not built (make guest-kit)")
    return path


@pytest.mark.parametrize("cut", ["program-headers", "first-load", "last-load-1"])
def test_truncated_vmlinux(tmp_path, cut):
    src = vmlinux()
    with open(src, "rb") as f:
        head = f.read(1 << 16)
    phoff, phsize, loads = elf_loads(head)
    off, size = loads[0] if cut != "last-load-1" else loads[-1]
    at = {"program-headers": phoff + phsize // 2, "first-load": off + size // 2,
          "last-load-1": off + size - 1}[cut]
    path = tmp_path / "vmlinux.cut"
    with open(src, "rb") as f, open(path, "wb") as out:
        out.write(f.read(at))
    expect_refusal(["-kernel", path], path, "truncated")


def test_vmlinux_does_not_fit_in_ram():
    path = vmlinux()
    expect_refusal(["-kernel", path, "-m", "16M"], path, "-m")


def test_bzimage_small_cmdline_size(tmp_path):
    """The limit is the kernel's own cmdline_size, whatever it is."""
    data = bytearray(bzimage().read_bytes())
    struct.pack_into("<I", data, 0x238, 100)
    path = write(tmp_path, "bzImage.100", data)
    expect_refusal(["-kernel", path, "-append", "a" * 101], path, "too long", "100")
