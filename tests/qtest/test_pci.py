"""PCI through qtest: the i440FX host bridge's configuration space over
0xCF8/0xCFC, enumeration, and pci-testdev's BARs mapped by the harness."""
import pytest

from qtest import PCI, PCI_COMMAND, PCIDevice

TESTDEV = ["-device", "pci-testdev"]


def test_host_bridge(qtest):
    qt = qtest()
    pci = PCI(qt)
    host = PCIDevice(pci, 0, 0, 0)
    assert host.vendor_id == 0x8086 and host.device_id == 0x1237
    assert host.class_code == 0x060000               # host bridge
    assert host.cfg_read(0x0e, 1) & 0x7f == 0         # header type 0
    assert host.cfg_read(0x3d, 1) == 0                # no interrupt pin
    # The address register keeps bit 31 and the dword-aligned address.
    qt.outl(0xcf8, 0xffffffff)
    assert qt.inl(0xcf8) == 0x80ffffff      # reserved 30:24 read 0; 1:0 kept, as QEMU
    # Narrow accesses to 0xCF8 are not the address register.
    assert qt.inw(0xcf8) == 0xffff


def test_config_widths(qtest):
    qt = qtest()
    pci = PCI(qt)
    dword = pci.cfg_read(0, 0x00, 4)
    assert pci.cfg_read(0, 0x00, 2) == dword & 0xffff
    assert pci.cfg_read(0, 0x02, 2) == dword >> 16
    assert pci.cfg_read(0, 0x03, 1) == dword >> 24
    # Vendor and device IDs are read-only.
    pci.cfg_write(0, 0x00, 0x12345678)
    assert pci.cfg_read(0, 0x00, 4) == dword


def test_missing_functions_read_all_ones(qtest):
    qt = qtest()
    pci = PCI(qt)
    assert [d.bdf for d in pci.devices()] == [0]      # -nodefaults: the host
    for bdf in (1 << 3, 31 << 3, 1, 0x100):           # slot, fn, bus
        assert pci.cfg_read(bdf, 0, 4) == 0xffffffff
    # Enable bit clear: data reads float.
    qt.outl(0xcf8, 0x00000000)
    assert qt.inl(0xcfc) == 0xffffffff


def test_pci_testdev_enumerates_and_maps(qtest):
    qt = qtest(TESTDEV)
    pci = PCI(qt)
    dev = pci.find(0x1b36, 0x0005)
    assert dev is not None, [hex(d.vendor_id) for d in pci.devices()]
    assert dev.class_code >> 8 == 0x00ff
    size, is_io, _ = dev.bar_probe(0)
    assert not is_io and size >= 2048
    size1, is_io1, _ = dev.bar_probe(1)
    assert is_io1 and size1 >= 128
    mem = dev.map_bar(0)
    io = dev.map_bar(1)
    assert dev.cfg_read(PCI_COMMAND, 2) & 0x3 == 0x3
    assert mem >= 0xc0000000
    # Test 0 of each kind: "no-eventfd" accesses counted in the device.
    qt.writeb(mem, 0)
    name = qt.memread(mem + 16, 16).split(b"\0")[0]
    assert name.startswith(b"mmio"), name
    offset = qt.readl(mem + 4)
    data = qt.readb(mem + 8)
    count = qt.readl(mem + 12)
    qt.writeb(mem + offset, data)
    assert qt.readl(mem + 12) == count + 1
    qt.outb(io, 0)
    assert qt.inl(io + 12) == 0
    qt.outb(io + qt.inl(io + 4), qt.inb(io + 8))
    assert qt.inl(io + 12) == 1


def test_bar_moves_and_disables(qtest):
    qt = qtest(TESTDEV)
    pci = PCI(qt)
    dev = pci.find(0x1b36, 0x0005)
    mem = dev.map_bar(0)
    qt.writeb(mem, 0)
    assert qt.readb(mem) == 0
    # Memory decoding off: the BAR answers no more.
    dev.cfg_write(PCI_COMMAND, 0, 2)
    assert qt.readl(mem) == 0xffffffff
    # Moved elsewhere and re-enabled.
    dev.cfg_write(0x10, mem + 0x100000)
    dev.cfg_write(PCI_COMMAND, 0x2, 2)
    assert qt.readl(mem) == 0xffffffff
    assert qt.readb(mem + 0x100000 + 1) != 0xff       # the header's width


@pytest.mark.parametrize("value", [0xffffffff, 0x0, 0xfffffff0])
def test_bar_writes_of_any_value_are_safe(qtest, value):
    qt = qtest(TESTDEV)
    pci = PCI(qt)
    dev = pci.find(0x1b36, 0x0005)
    for bar in range(6):
        dev.cfg_write(0x10 + 4 * bar, value)
    dev.cfg_write(PCI_COMMAND, 0x3, 2)
    # Whatever was mapped where, the machine still answers.
    assert qt.readl(0xfec00010) is not None
    assert PCIDevice(pci, 0, 0, 0).vendor_id == 0x8086
