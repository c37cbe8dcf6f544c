#!/usr/bin/python3
"""The smallest PVH guest: print a marker on COM1, then exit at once.

Its first instructions write MARKER to the 16550 at 0x3f8 and its next ones
write 0 to isa-debug-exit at 0xf4, so the VMM exits with status 1.  The
benchmark timestamps the marker's arrival on the VMM's stdout (exec to the
guest's first instruction, plus one port exit) and the VMM's exit (exec to
exit with no guest work at all).

The image is an ELF32 with one PT_LOAD at 1 MiB and a PT_NOTE holding the Xen
PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY); there is no multiboot header, so
QEMU, which tries multiboot first, boots it through PVH as kvmrun does.  The
PVH entry runs in 32-bit protected mode with paging off.

  bench/exit_guest.py OUT.elf
"""
import struct
import sys

MARKER = b"@"
LOAD_ADDR = 0x100000
XEN_ELFNOTE_PHYS32_ENTRY = 18
EHDR_SIZE = 52
PHDR_SIZE = 32
PT_LOAD = 1
PT_NOTE = 4


def code():
    out = bytearray(b"\x66\xba\xf8\x03")        # mov dx, 0x3f8
    for c in MARKER:
        out += bytes((0xb0, c, 0xee))           # mov al, c; out dx, al
    out += b"\x31\xc0\xe6\xf4"                  # xor eax, eax; out 0xf4, al
    out += b"\xfa\xf4\xeb\xfd"                  # cli; 1: hlt; jmp 1b
    return bytes(out)


def image():
    note_off = EHDR_SIZE + 2 * PHDR_SIZE
    note_len = 12 + 4 + 4                       # header, "Xen\0", entry
    code_off = note_off + note_len
    entry = LOAD_ADDR + code_off
    note = struct.pack("<III4sI", 4, 4, XEN_ELFNOTE_PHYS32_ENTRY, b"Xen\0", entry)
    body = code()
    size = code_off + len(body)
    ident = b"\x7fELF" + bytes((1, 1, 1)) + bytes(9)      # ELF32, LSB, v1
    ehdr = struct.pack("<16sHHIIIIIHHHHHH", ident, 2, 3, 1, entry,
                       EHDR_SIZE, 0, 0, EHDR_SIZE, PHDR_SIZE, 2, 40, 0, 0)
    load = struct.pack("<8I", PT_LOAD, 0, LOAD_ADDR, LOAD_ADDR, size, size, 5, 0x1000)
    pnote = struct.pack("<8I", PT_NOTE, note_off, 0, 0, note_len, note_len, 4, 4)
    return ehdr + load + pnote + note + body


def write(path):
    data = image()
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return
    except OSError:
        pass
    with open(path, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: exit_guest.py OUT.elf")
    write(sys.argv[1])
