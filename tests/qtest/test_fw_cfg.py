"""fw_cfg (0x510 selector, 0x511 data, 0x514 DMA) under qtest: signature,
the machine's facts, the file directory, and a DMA transfer into guest RAM
built and checked by the test."""
import struct

import pytest

from qtest import GuestAlloc

SEL, DATA, DMA = 0x510, 0x511, 0x514


def fw_read(qt, key, n):
    qt.outw(SEL, key)
    return bytes(qt.inb(DATA) for _ in range(n))


def fw_files(qt):
    count = struct.unpack(">I", fw_read(qt, 0x19, 4))[0]
    raw = bytes(qt.inb(DATA) for _ in range(count * 64))
    files = {}
    for i in range(count):
        size, select, _, name = struct.unpack_from(">IHH56s", raw, i * 64)
        files[name.split(b"\0")[0].decode()] = (select, size)
    return files


def test_signature_and_id(qtest):
    qt = qtest()
    assert fw_read(qt, 0x0000, 4) == b"QEMU"
    assert struct.unpack("<I", fw_read(qt, 0x0001, 4))[0] & 3 == 3  # DMA too
    # The DMA register reads "QEMU CFG", big-endian.
    assert bytes(qt.inb(DMA + i) for i in range(8)) == b"QEMU CFG"


@pytest.mark.parametrize("mem,smp", [("128M", 1), ("3584M", 4)])
def test_ram_size_and_cpus(qtest, mem, smp):
    qt = qtest(["-m", mem, "-smp", str(smp)])
    size = int(mem[:-1]) << 20
    assert struct.unpack("<Q", fw_read(qt, 0x0003, 8))[0] == size
    assert struct.unpack("<H", fw_read(qt, 0x0005, 2))[0] == smp
    assert struct.unpack("<H", fw_read(qt, 0x000f, 2))[0] >= smp


def test_file_directory_and_e820(qtest):
    qt = qtest(["-m", "3584M"])
    files = fw_files(qt)
    assert "etc/e820" in files, files
    select, size = files["etc/e820"]
    raw = fw_read(qt, select, size)
    entries = [struct.unpack_from("<QQI", raw, off) for off in range(0, size, 20)]
    ram = sorted((a, s) for a, s, t in entries if t == 1)
    assert sum(s for a, s in ram) <= 3584 << 20
    assert (0x100000000, 512 << 20) in ram          # high RAM from 4 GiB
    assert all(a + s <= 0xC0000000 or a >= 0x100000000 for a, s in ram)


def test_reads_past_the_end_are_zero(qtest):
    qt = qtest()
    assert fw_read(qt, 0x0000, 8) == b"QEMU\0\0\0\0"
    assert fw_read(qt, 0x7fff, 4) == b"\0\0\0\0"     # no such item


def test_dma_read_into_guest_ram(qtest):
    qt = qtest(["-m", "64M"])
    ga = GuestAlloc()
    buf = ga.alloc(16)
    desc = ga.alloc(16, align=8)
    qt.memset(buf, 16, 0xee)
    # FWCfgDmaAccess {be32 control, be32 length, be64 address}: select the
    # signature item and read 4 bytes.
    qt.memwrite(desc, struct.pack(">IIQ", 0x0000 << 16 | 0x08 | 0x02, 4, buf))
    qt.outl(DMA, 0)                                 # high half (byte-swapped)
    qt.outl(DMA + 4, int.from_bytes(struct.pack(">I", desc), "little"))
    assert qt.memread(buf, 6) == b"QEMU\xee\xee"
    assert struct.unpack(">I", qt.memread(desc, 4))[0] == 0   # done, no error


def test_dma_outside_ram_reports_error(qtest):
    qt = qtest(["-m", "64M"])
    desc = GuestAlloc().alloc(16, align=8)
    qt.memwrite(desc, struct.pack(">IIQ", 0x0000 << 16 | 0x08 | 0x02, 4,
                                  0xfffffffffffff000))
    qt.outl(DMA + 4, int.from_bytes(struct.pack(">I", desc), "little"))
    assert struct.unpack(">I", qt.memread(desc, 4))[0] & 1   # error bit
    # A descriptor itself outside RAM: nothing happens, nothing breaks.
    qt.outl(DMA, int.from_bytes(struct.pack(">I", 0xffffffff), "little"))
    qt.outl(DMA + 4, 0xf0ffffff)
    assert fw_read(qt, 0, 4) == b"QEMU"
