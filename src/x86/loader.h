/* SPDX-License-Identifier: MIT */
/*
 * Private interface between the kernel loaders (boot.c, bzimage.c, pvh.c,
 * multiboot.c, elf.c).  Nothing outside src/x86/ includes this.
 *
 * Every function that fails has already printed one line naming the file;
 * callers only pass the negative errno up.
 */
#ifndef KVMRUN_X86_LOADER_H
#define KVMRUN_X86_LOADER_H

#include <stdbool.h>
#include <stdint.h>

#include "x86/boot.h"

struct vm;
struct guest_mem;
struct x86_cpu_state;

/* Little-endian fields of file formats and guest structures. */
static inline uint16_t get_le16(const void *p)
{
	const uint8_t *b = p;

	return b[0] | (uint16_t)b[1] << 8;
}

static inline uint32_t get_le32(const void *p)
{
	const uint8_t *b = p;

	return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

static inline uint64_t get_le64(const void *p)
{
	return get_le32(p) | (uint64_t)get_le32((const uint8_t *)p + 4) << 32;
}

static inline void put_le16(void *p, uint16_t v)
{
	uint8_t *b = p;

	b[0] = v;
	b[1] = v >> 8;
}

static inline void put_le32(void *p, uint32_t v)
{
	uint8_t *b = p;

	for (int i = 0; i < 4; i++)
		b[i] = v >> (8 * i);
}

static inline void put_le64(void *p, uint64_t v)
{
	put_le32(p, v);
	put_le32((uint8_t *)p + 4, v >> 32);
}

/* An open kernel or initrd file. */
struct kfile {
	const char *path;
	int fd;
	uint64_t size;
};

int kfile_open(struct kfile *f, const char *path, const char *role);
void kfile_close(struct kfile *f);
/*
 * Read exactly len bytes at off into buf; a file too short for that is
 * "truncated" and reported naming what, which describes the bytes wanted.
 */
int kfile_read(const struct kfile *f, uint64_t off, void *buf, uint64_t len,
	       const char *what);
/* The same, straight into guest RAM at gpa (checked: all of it must be RAM). */
int kfile_read_guest(const struct kfile *f, uint64_t off, uint64_t len,
		     const struct guest_mem *mem, uint64_t gpa, const char *what);
/* Zero [gpa, gpa + len) of guest RAM; -EFAULT when any of it is not RAM. */
int guest_zero(const struct guest_mem *mem, uint64_t gpa, uint64_t len);

/* Top of the RAM that starts at 0 (the low region). */
uint64_t low_ram_end(const struct guest_mem *mem);

/*
 * Check that [gpa, gpa + len) is RAM in one region and does not reach below
 * LAYOUT_HIGHMEM, where kvmrun keeps its boot structures and the ACPI tables.
 * what names the piece ("segment 2") in the message.
 */
int check_kernel_range(const struct kfile *f, const struct guest_mem *mem,
		       uint64_t gpa, uint64_t len, const char *what);

/*
 * Load the initrd named by path, page-aligned, inside [lo, hi) of guest RAM:
 * as high as possible (Linux's convention) or, with high false, at the
 * lowest page boundary from lo (where GRUB and QEMU put multiboot modules).
 * Sets *addr and *size.
 */
int initrd_load(const struct vm *vm, const char *path, uint64_t lo,
		uint64_t hi, bool high, uint64_t *addr, uint64_t *size);

/*
 * Write the NUL-terminated command line at LAYOUT_CMDLINE.  max is the longest
 * string the kernel accepts (without the NUL); the limit of the layout area
 * applies too.
 */
int cmdline_write(const struct vm *vm, const char *cmdline, uint64_t max);

/*
 * Entry states.  Both write the boot GDT at LAYOUT_GDT (code __BOOT_CS 0x10,
 * data __BOOT_DS 0x18, a busy TSS at 0x20), reset *cpu, and leave every
 * general register 0 except rsp (LAYOUT_BOOT_STACK): callers set the ones
 * their protocol passes values in.
 */
void boot_cpu_real16(struct x86_cpu_state *cpu, uint32_t vector);
int boot_cpu_flat32(const struct guest_mem *mem, struct x86_cpu_state *cpu,
		    uint32_t entry);
/* Long mode with the first 4 GiB identity-mapped by 2 MiB pages. */
int boot_cpu_long64(const struct guest_mem *mem, struct x86_cpu_state *cpu,
		    uint64_t entry);

#define BOOT_GDT_CS 0x10
#define BOOT_GDT_DS 0x18
#define BOOT_GDT_TSS 0x20

/* ELF images (elf.c): both classes, little-endian x86 only. */
struct elf_seg {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
};

#define ELF_MAX_PHDRS 64

struct elf_image {
	bool is64;
	uint16_t machine;
	uint64_t entry;
	unsigned int nr_phdrs;
	struct elf_seg phdrs[ELF_MAX_PHDRS];
};

#define ELF_PT_LOAD 1
#define ELF_PT_NOTE 4

/* True when the file begins with the ELF magic (no other check). */
bool elf_has_magic(const uint8_t *head, uint64_t len);
/* Parse and validate the ELF header and program headers. */
int elf_parse(const struct kfile *f, struct elf_image *elf);
/*
 * Find a note by name and type in the PT_NOTE segments.  Copies at most
 * *desc_len bytes of its descriptor into desc and sets *desc_len to the
 * descriptor's real size.  Returns 1 when found, 0 when not, or -errno.
 */
int elf_find_note(const struct kfile *f, const struct elf_image *elf,
		  const char *name, uint32_t type, void *desc,
		  uint32_t *desc_len);
/*
 * Load every PT_LOAD segment at its physical address, zeroing the part past
 * the file contents.  *end is set to the highest address loaded (exclusive).
 */
int elf_load_segments(const struct kfile *f, const struct elf_image *elf,
		      const struct guest_mem *mem, uint64_t *end);
/* True when gpa lies inside a loaded segment (by physical address). */
bool elf_paddr_loaded(const struct elf_image *elf, uint64_t gpa);
/*
 * The physical address of the entry point: e_entry translated through the
 * PT_LOAD segment whose virtual range holds it.  -ENOENT when none does.
 */
int elf_entry_paddr(const struct elf_image *elf, uint64_t *paddr);

/* The three loaders.  head holds the first head_len bytes of the file. */
bool bzimage_probe(const uint8_t *head, uint64_t head_len);
int bzimage_load(struct vm *vm, const struct kfile *f);

/* 1 with the entry point when the ELF has a PVH note, 0 when not, or -errno. */
int pvh_probe(const struct kfile *f, const struct elf_image *elf,
	      uint32_t *entry);
int pvh_load(struct vm *vm, const struct kfile *f,
	     const struct elf_image *elf, uint32_t entry);

#define MULTIBOOT_SEARCH 8192

/*
 * Look for a multiboot v1 header in head (the file's first bytes): 1 with its
 * offset in *off, 0 when there is none, -EBADMSG (and the offset) when the
 * magic is there but its checksum is wrong.  Prints nothing.
 */
int multiboot_find(const uint8_t *head, uint64_t head_len, uint64_t *off);
/* elf is NULL for a file that is not ELF. */
int multiboot_load(struct vm *vm, const struct kfile *f, const uint8_t *head,
		   uint64_t head_len, uint64_t hdr_off,
		   const struct elf_image *elf);

#endif
