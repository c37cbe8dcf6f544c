"""The qtest protocol itself: every command, its ERR/FAIL answers, and a
client that misbehaves (garbage, huge sizes, addresses outside RAM, overlong
lines, hanging up).  kvmrun must answer and go on, or stop cleanly."""
import os
import random
import re
import socket
import subprocess
import time

import pytest

from qtest import KVMRUN, QTest, QTestError

OK = "OK"


def test_endianness(qtest):
    qt = qtest()
    assert qt.raw_cmd("endianness") == "OK little"


def test_ram_roundtrip_every_width(qtest):
    qt = qtest(["-m", "64M"])
    qt.writeb(0x1000, 0x1ff)            # truncated to the width
    assert qt.readb(0x1000) == 0xff
    qt.writew(0x1002, 0xbeef)
    assert qt.readw(0x1002) == 0xbeef
    qt.writel(0x1004, 0xdeadbeef)
    assert qt.readl(0x1004) == 0xdeadbeef
    qt.writeq(0x1008, 0x0123456789abcdef)
    assert qt.readq(0x1008) == 0x0123456789abcdef
    assert qt.raw_cmd("readq 0x1008") == "OK 0x0123456789abcdef"
    # Little-endian layout in memory.
    assert qt.memread(0x1008, 8) == bytes.fromhex("efcdab8967452301")
    assert qt.raw_cmd("readb 0x1000") == "OK 0x00000000000000ff"


def test_read_write_b64_memset(qtest):
    qt = qtest(["-m", "64M"])
    data = bytes(range(256)) * 17
    qt.memwrite(0x200000, data)
    assert qt.memread(0x200000, len(data)) == data
    assert qt.bufread(0x200000, len(data)) == data
    qt.bufwrite(0x300001, data[::-1])
    assert qt.memread(0x300001, len(data)) == data[::-1]
    qt.memset(0x300000, 0x100, 0xa5)
    rev = data[::-1]
    assert qt.memread(0x300000, 0x101) == b"\xa5" * 0x100 + rev[0xff:0x100]
    # Short write data is zero-filled, as QEMU does.
    assert qt.raw_cmd("write 0x400000 4 0x1122") == OK
    assert qt.memread(0x400000, 4) == b"\x11\x22\x00\x00"
    # b64write with a different length: the data is truncated to the shorter.
    qt.memset(0x400000, 8, 0xee)
    assert qt.raw_cmd("b64write 0x400000 2 AAECAw==") == OK
    assert qt.memread(0x400000, 4) == b"\x00\x01\xee\xee"
    assert qt.raw_cmd("b64write 0x400000 4 AAE=") == OK
    assert qt.memread(0x400000, 4) == b"\x00\x01\xee\xee"
    assert qt.raw_cmd("memset 0x400000 0 1") == OK
    assert qt.raw_cmd("b64read 0x400000 0") == "OK "


def test_large_transfer_at_the_limit(qtest):
    qt = qtest(["-m", "64M"])
    data = os.urandom(1 << 20)
    qt.bufwrite(0x100000, data)
    assert qt.memread(0x100000, 1 << 20) == data
    assert qt.raw_cmd(f"read 0x100000 {(1 << 20) + 1}").startswith("ERR size")
    assert qt.raw_cmd(f"b64read 0x100000 {(1 << 20) + 1}").startswith("ERR size")


def test_high_ram_above_4g(qtest):
    qt = qtest(["-m", "3200M"])         # 3 GiB low, 128 MiB from 4 GiB
    qt.writeq(0x100000000, 0x55aa55aa55aa55aa)
    assert qt.readq(0x100000000) == 0x55aa55aa55aa55aa
    top = 0x100000000 + (128 << 20) - 4
    qt.writel(top, 0x12345678)
    assert qt.readl(top) == 0x12345678
    # Across the end of high RAM: the rest floats.
    assert qt.memread(top, 8) == bytes.fromhex("78563412ffffffff")
    # The last byte of low RAM, then the 32-bit hole above it.
    qt.writeb(0xBFFFFFFF, 0x5a)
    assert qt.memread(0xBFFFFFFF, 2) == b"\x5a\xff"


def test_outside_ram_never_written(qtest):
    qt = qtest(["-m", "16M"])
    qt.writel(0x2000000, 0x11111111)     # beyond RAM: dropped
    assert qt.readl(0x2000000) == 0xffffffff
    qt.memset(0xfff000, 0x2000, 0x77)     # straddles the end of RAM
    assert qt.memread(0xfffffe, 4) == b"\x77\x77\xff\xff"
    # The whole 64-bit space, as far as sizes allow, answers without a crash.
    for addr in (0xfffffffffffff000, 0x8000000000000000, 0xfee00000,
                 0xfed00000, 0x1_0000_0000_0000):
        assert qt.raw_cmd(f"read 0x{addr:x} 16") .startswith("OK 0x")
        assert qt.raw_cmd(f"write 0x{addr:x} 4 0x01020304") == OK
        assert qt.raw_cmd(f"memset 0x{addr:x} 4096 0") == OK
    assert qt.raw_cmd("memset 0 0x40000000 0") == OK
    assert qt.raw_cmd("memset 0 0x40000001 0").startswith("ERR size")


def test_port_io_unclaimed(qtest):
    qt = qtest()
    assert qt.raw_cmd("inb 0x3333") == "OK 0x00ff"
    assert qt.raw_cmd("inw 0x3333") == "OK 0xffff"
    assert qt.raw_cmd("inl 0x3333") == "OK 0xffffffff"
    assert qt.raw_cmd("outl 0x3333 0xffffffffffffffff") == OK
    assert qt.raw_cmd("inl 0xffff") == "OK 0xffffffff"


@pytest.mark.parametrize("line,reply", [
    ("outb", "ERR usage: outb ADDR VALUE"),
    ("outb 0x80", "ERR usage: outb ADDR VALUE"),
    ("inb", "ERR usage: inb ADDR"),
    ("inb 0x10000", "ERR port 0x10000 out of range"),
    ("inb -1", "ERR port 0xffffffffffffffff out of range"),
    ("outw 0x80 0xfoo", "ERR invalid number '0xfoo'"),
    ("readl", "ERR usage: readl ADDR"),
    ("readl 12abc", "ERR invalid number '12abc'"),
    ("writeq 0x0 99999999999999999999999", "ERR invalid number '99999999999999999999999'"),
    ("readq 0xfffffffffffffffd", "ERR address range wraps"),
    ("read 0 0", "ERR size must be at least 1"),
    ("read 0xffffffffffffffff 2", "ERR address range wraps"),
    ("read 0 0x7fffffffffffffff", "ERR size 0x7fffffffffffffff too large (max 0x100000)"),
    ("write 0 4", "ERR usage: write ADDR SIZE 0xDATA"),
    ("write 0 4 0x", "ERR invalid argument size"),
    ("write 0 4 0xzz", "ERR invalid hex data"),
    ("write 0 4 1234", "ERR invalid hex data"),
    ("write 0 0x200000 0x00", "ERR size 0x200000 too large (max 0x100000)"),
    ("b64write 0 4 AB", "ERR invalid argument size"),
    ("b64write 0 4 !!!!", "ERR invalid base64 data"),
    ("memset 0 4", "ERR usage: memset ADDR SIZE VALUE"),
    ("memset 0xfffffffffffffff0 0x20 0", "ERR address range wraps"),
    ("clock_set", "ERR usage: clock_set NS"),
    ("clock_set x", "ERR invalid number 'x'"),
    ("clock_step 1e9", "ERR invalid number '1e9'"),
    ("irq_intercept_in", "ERR usage: irq_intercept_in PATH"),
    ("irq_intercept_in /machine/nothing", "FAIL Unknown device"),
    ("irq_intercept_in ioapic named", "FAIL Interception of named in-GPIOs not yet supported"),
    ("irq_intercept_in pic", "FAIL No intercepts installed"),
    ("irq_intercept_out nothing", "FAIL Unknown device"),
    ("set_irq_in ioapic unnamed-gpio-in 24 1", "ERR irq number 24 out of range"),
    ("set_irq_in ioapic other 1 1", "FAIL Unknown GPIO list"),
    ("set_irq_in nothing unnamed-gpio-in 1 1", "FAIL Unknown device"),
    ("set_irq_in pic unnamed-gpio-in 16 1", "ERR irq number 16 out of range"),
    ("module_load a b", "FAIL Unknown command 'module_load'"),
    ("OUTB 0x80 1", "FAIL Unknown command 'OUTB'"),
    ("", "FAIL Unknown command ''"),
    ("   ", "FAIL Unknown command ''"),
    ("a b c d e f g h i", "ERR too many arguments"),
])
def test_errors(qtest, line, reply):
    qt = qtest()
    assert qt.raw_cmd(line) == reply
    assert qt.raw_cmd("endianness") == "OK little"     # still in sync


def test_clock(qtest):
    qt = qtest()
    assert qt.raw_cmd("clock_step").startswith(
        "FAIL cannot advance clock to the next deadline")
    assert qt.clock_step(1000) == 1000
    assert qt.clock_step(1) == 1001
    assert qt.raw_cmd("clock_step 0") == "FAIL could not advance time"
    assert qt.raw_cmd("clock_step -10") == "FAIL could not advance time"
    assert qt.clock_set(5000) == 5000
    assert qt.raw_cmd("clock_set 5000") == "OK 5000"
    assert qt.raw_cmd("clock_set 10") == "FAIL 5000"
    assert qt.raw_cmd("clock_set -1") == "FAIL 5000"
    assert qt.clock_step(2**63 - 1) == 2**63 - 1
    assert qt.raw_cmd("clock_step 5") == "FAIL could not advance time"


def test_garbage_lines(qtest):
    qt = qtest()
    rnd = random.Random(1234)
    for _ in range(300):
        n = rnd.randrange(1, 200)
        line = bytes(rnd.randrange(1, 256) for _ in range(n)).replace(b"\n", b" ")
        qt.send_raw(line + b"\n")
        reply = qt.reply()
        assert re.match(r"(OK|FAIL|ERR)\b", reply), reply
    # NUL bytes end a command early; the line still gets one reply.
    qt.send_raw(b"endianness\x00junk\n")
    assert qt.reply() == "OK little"
    assert qt.raw_cmd("endianness") == "OK little"


def test_random_commands_with_random_arguments(qtest):
    """Known commands with hostile numbers: replies, never a crash."""
    qt = qtest(["-m", "32M"])
    rnd = random.Random(99)
    cmds = ["outb", "outw", "outl", "inb", "inw", "inl", "readb", "readw",
            "readl", "readq", "writeb", "writew", "writel", "writeq", "read",
            "b64read", "write", "b64write", "memset"]
    nums = ["0", "1", "-1", "0xffffffffffffffff", "0x10000", "0xfec00000",
            "0xfee00000", "0x1fffffe", "0x100000", "0x8000000000000000",
            "077", "0x", "", "+5"]
    for _ in range(400):
        words = [rnd.choice(cmds)] + [rnd.choice(nums) for _ in range(rnd.randrange(4))]
        if words[0] in ("write", "b64write") and len(words) == 4:
            words[3] = rnd.choice(["0x00ff", "AAAA", "0x", "=", "0xgg"])
        reply = qt.raw_cmd(" ".join(words))
        assert re.match(r"(OK|FAIL|ERR)\b", reply), (words, reply)


def test_overlong_line(qtest):
    qt = qtest()
    qt.send_raw(b"x" * (3 << 20) + b"\n")
    assert qt.reply(timeout=60).startswith("ERR line too long")
    assert qt.raw_cmd("endianness") == "OK little"


def test_pipelined_and_split_lines(qtest):
    qt = qtest()
    qt.send_raw("writel 0x1000 7\nreadl 0x1000\nendianness\nin")
    assert qt.reply() == OK
    assert qt.reply() == "OK 0x0000000000000007"
    assert qt.reply() == "OK little"
    time.sleep(0.05)
    qt.send_raw("b 0x3333\r\n")          # CRLF is accepted
    assert qt.reply() == "OK 0x00ff"


def test_disconnect_ends_cleanly(qtest):
    qt = qtest()
    qt.send_raw("endianness\n")          # unread reply, then hang up
    t = time.monotonic()
    assert qt.close() == 0
    assert time.monotonic() - t < 5


def test_disconnect_mid_line(qtest):
    qt = qtest()
    qt.send_raw("write 0x1000 4 0x11")
    assert qt.close() == 0


def test_server_mode(qtest):
    qt = qtest(server=True)
    assert qt.raw_cmd("endianness") == "OK little"
    assert qt.close() == 0


def test_server_mode_waits_for_the_client(tmp_path):
    sock = tmp_path / "wait.sock"
    proc = subprocess.Popen([KVMRUN, "-accel", "qtest", "-qtest",
                             f"unix:{sock},server=on", "-nodefaults"],
                            stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while not sock.exists():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(20)
            s.connect(str(sock))
            s.sendall(b"endianness\n")
            assert s.recv(100) == b"OK little\n"
        assert proc.wait(20) == 0
        assert b"Sanitizer" not in proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()


def test_log_file(qtest, tmp_path):
    log = tmp_path / "qtest.log"
    qt = qtest(qtest_log=log)
    qt.cmd("writel 0x1000 5")
    qt.cmd("readl 0x1000")
    qt.close()
    text = log.read_text()
    assert re.search(r"^\[I [0-9.]+\] OPENED$", text, re.M), text
    assert re.search(r"^\[R \+[0-9.]+\] writel 0x1000 5$", text, re.M), text
    assert re.search(r"^\[S \+[0-9.]+\] OK$", text, re.M), text
    assert re.search(r"^\[S \+[0-9.]+\] OK 0x0000000000000005$", text, re.M), text
    assert re.search(r"^\[I \+[0-9.]+\] CLOSED$", text, re.M), text


def run_kvmrun(args, timeout=20):
    return subprocess.run([KVMRUN] + args, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("spec", [
    "tcp:localhost:1234", "unix:", "unix:/tmp/x,frob=1", "unix:" + "a" * 200])
def test_bad_chardev_spec(spec):
    r = run_kvmrun(["-accel", "qtest", "-qtest", spec, "-nodefaults"])
    assert r.returncode == 1, r
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and spec[:20] in lines[0], r.stderr


def test_nobody_listening(tmp_path):
    sock = tmp_path / "none.sock"
    r = run_kvmrun(["-accel", "qtest", "-qtest", f"unix:{sock}", "-nodefaults"])
    assert r.returncode == 1
    assert "connect" in r.stderr and str(sock) in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_bad_log_path(tmp_path):
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock = tmp_path / "s.sock"
    listener.bind(str(sock))
    listener.listen(1)
    try:
        r = run_kvmrun(["-accel", "qtest", "-qtest", f"unix:{sock}",
                        "-qtest-log", str(tmp_path / "no" / "such" / "dir"),
                        "-nodefaults"])
    finally:
        listener.close()
    assert r.returncode == 1
    assert "-qtest-log" in r.stderr
