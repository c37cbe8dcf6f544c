// SPDX-License-Identifier: MIT
/*
 * Multiboot v1 kernels, loaded the way QEMU's -kernel loads them: an ELF32
 * by its PT_LOAD segments, or any file through the header's address fields
 * (flag 16); the -initrd file becomes the one module, the command line is
 * the kernel's file name followed by -append.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memory.h"
#include "util/log.h"
#include "vm.h"
#include "x86/layout.h"
#include "x86/loader.h"

#define MB_HEADER_MAGIC 0x1BADB002
#define MB_BOOT_MAGIC 0x2BADB002

/* Header flags: bits 0-15 are requirements the loader must meet. */
#define MB_FLAG_PAGE_ALIGN (1U << 0)	/* modules page-aligned: always */
#define MB_FLAG_MEMORY (1U << 1)	/* mem_* and mmap: always given */
#define MB_FLAG_VIDEO (1U << 2)
#define MB_FLAG_ADDRESS (1U << 16)
#define MB_FLAGS_KNOWN (MB_FLAG_PAGE_ALIGN | MB_FLAG_MEMORY | MB_FLAG_VIDEO)

/* Header fields after magic, flags, checksum. */
#define MBH_HEADER_ADDR 12
#define MBH_LOAD_ADDR 16
#define MBH_LOAD_END_ADDR 20
#define MBH_BSS_END_ADDR 24
#define MBH_ENTRY_ADDR 28
#define MBH_ADDRESS_SIZE 32

/* struct multiboot_info */
#define MBI_FLAGS 0
#define MBI_MEM_LOWER 4
#define MBI_MEM_UPPER 8
#define MBI_CMDLINE 16
#define MBI_MODS_COUNT 20
#define MBI_MODS_ADDR 24
#define MBI_MMAP_LENGTH 44
#define MBI_MMAP_ADDR 48
#define MBI_BOOT_LOADER_NAME 64

#define MBI_HAS_MEMORY (1U << 0)
#define MBI_HAS_CMDLINE (1U << 2)
#define MBI_HAS_MODS (1U << 3)
#define MBI_HAS_MMAP (1U << 6)
#define MBI_HAS_LOADER_NAME (1U << 9)

/* Inside the LAYOUT_BOOT_INFO page. */
#define MB_MMAP_OFF 0x100	/* {size, addr, len, type}: 24 bytes each */
#define MB_MMAP_ENTRY_SIZE 24
#define MB_MODS_OFF 0x200	/* one module: start, end, string, 0 */
#define MB_NAME_OFF 0x300

/* The command line area is split: the kernel's, then the module's string. */
#define MB_CMDLINE_MAX (LAYOUT_CMDLINE_MAX / 2)
#define MB_MODSTR_ADDR (LAYOUT_CMDLINE + MB_CMDLINE_MAX)

#define PAGE_SIZE 4096ULL

int multiboot_find(const uint8_t *head, uint64_t head_len, uint64_t *off)
{
	int found = 0;

	for (uint64_t i = 0; i + 12 <= head_len && i < MULTIBOOT_SEARCH;
	     i += 4) {
		uint32_t magic = get_le32(head + i);
		uint32_t flags = get_le32(head + i + 4);
		uint32_t sum = get_le32(head + i + 8);

		if (magic != MB_HEADER_MAGIC)
			continue;
		if ((uint32_t)(magic + flags + sum) == 0) {
			*off = i;
			return 1;
		}
		if (!found) {
			*off = i;
			found = -EBADMSG;
		}
	}
	return found;
}

struct mb_image {
	uint64_t start, end;	/* what the kernel occupies, with bss */
	uint32_t entry;
};

/* The a.out kludge: the header says where the file's bytes go. */
static int mb_load_address(const struct vm *vm, const struct kfile *f,
			   const uint8_t *h, uint64_t hdr_off,
			   struct mb_image *img)
{
	uint32_t header_addr = get_le32(h + MBH_HEADER_ADDR);
	uint32_t load_addr = get_le32(h + MBH_LOAD_ADDR);
	uint32_t load_end = get_le32(h + MBH_LOAD_END_ADDR);
	uint32_t bss_end = get_le32(h + MBH_BSS_END_ADDR);
	uint64_t file_off, load_size, end;
	int ret;

	if (load_addr > header_addr || header_addr - load_addr > hdr_off) {
		log_error("%s: multiboot load_addr %#x does not fit header_addr %#x at file offset %#llx",
			  f->path, load_addr, header_addr,
			  (unsigned long long)hdr_off);
		return -EINVAL;
	}
	file_off = hdr_off - (header_addr - load_addr);
	if (load_end && load_end < load_addr) {
		log_error("%s: multiboot load_end_addr %#x is below load_addr %#x",
			  f->path, load_end, load_addr);
		return -EINVAL;
	}
	load_size = load_end ? load_end - load_addr : f->size - file_off;
	end = (uint64_t)load_addr + load_size;
	if (bss_end) {
		if (bss_end < end) {
			log_error("%s: multiboot bss_end_addr %#x is below the loaded image's end %#llx",
				  f->path, bss_end, (unsigned long long)end);
			return -EINVAL;
		}
		end = bss_end;
	}
	ret = check_kernel_range(f, vm->mem, load_addr, end - load_addr,
				 "the multiboot image");
	if (ret)
		return ret;
	ret = kfile_read_guest(f, file_off, load_size, vm->mem, load_addr,
			       "the multiboot image");
	if (ret)
		return ret;
	ret = guest_zero(vm->mem, load_addr + load_size,
			 end - load_addr - load_size);
	if (ret)
		return ret;
	img->start = load_addr;
	img->end = end;
	img->entry = get_le32(h + MBH_ENTRY_ADDR);
	return 0;
}

static int mb_load_elf(const struct vm *vm, const struct kfile *f,
		       const struct elf_image *elf, struct mb_image *img)
{
	uint64_t entry;
	int ret;

	if (elf->is64) {
		log_error("%s: multiboot kernel is ELF64 without address fields (flag 16): "
			  "kvmrun, like QEMU, loads only ELF32 multiboot kernels",
			  f->path);
		return -EINVAL;
	}
	ret = elf_load_segments(f, elf, vm->mem, &img->end);
	if (ret)
		return ret;
	if (elf_entry_paddr(elf, &entry)) {
		log_error("%s: ELF entry %#llx is outside every loaded segment",
			  f->path, (unsigned long long)elf->entry);
		return -EINVAL;
	}
	img->start = img->end;
	for (unsigned int i = 0; i < elf->nr_phdrs; i++) {
		const struct elf_seg *s = &elf->phdrs[i];

		if (s->type == ELF_PT_LOAD && s->memsz && s->paddr < img->start)
			img->start = s->paddr;
	}
	img->entry = entry;
	return 0;
}

static int mb_cmdline(struct vm *vm)
{
	const char *append = vm->cfg->append ? vm->cfg->append : "";
	char *s;
	int ret;

	/* QEMU passes "<kernel file> <append>", the space even with no -append. */
	if (asprintf(&s, "%s %s", vm->cfg->kernel, append) < 0) {
		log_error("%s: out of memory", vm->cfg->kernel);
		return -ENOMEM;
	}
	ret = cmdline_write(vm, s, MB_CMDLINE_MAX - 1);
	free(s);
	return ret;
}

static int mb_module(struct vm *vm, const struct mb_image *img, uint8_t *page)
{
	const char *path = vm->cfg->initrd;
	uint64_t addr, size, len = strlen(path);
	uint8_t *mod = page + MB_MODS_OFF;
	int ret;

	if (len >= MB_CMDLINE_MAX) {
		log_error("%s: initrd file name too long for a multiboot module string",
			  path);
		return -EINVAL;
	}
	ret = initrd_load(vm, path, img->end, low_ram_end(vm->mem), false,
			  &addr, &size);
	if (ret)
		return ret;
	ret = guest_write(vm->mem, MB_MODSTR_ADDR, path, len + 1);
	if (ret)
		return ret;
	put_le32(mod, addr);
	put_le32(mod + 4, addr + size);
	put_le32(mod + 8, MB_MODSTR_ADDR);
	put_le32(page + MBI_MODS_COUNT, 1);
	return 0;
}

static int mb_info(struct vm *vm, const struct mb_image *img)
{
	static const char loader_name[] = "kvmrun";
	struct e820_entry map[E820_MAX_ENTRIES];
	uint64_t low_end = low_ram_end(vm->mem);
	uint8_t page[4096];
	unsigned int n;
	int ret;

	memset(page, 0, sizeof(page));
	put_le32(page + MBI_FLAGS, MBI_HAS_MEMORY | MBI_HAS_CMDLINE |
				   MBI_HAS_MODS | MBI_HAS_MMAP |
				   MBI_HAS_LOADER_NAME);
	/* In KiB: conventional memory below the EBDA, then from 1 MiB on. */
	put_le32(page + MBI_MEM_LOWER, LAYOUT_EBDA >> 10);
	put_le32(page + MBI_MEM_UPPER,
		 low_end > LAYOUT_HIGHMEM ? (low_end - LAYOUT_HIGHMEM) >> 10 : 0);
	put_le32(page + MBI_CMDLINE, LAYOUT_CMDLINE);
	put_le32(page + MBI_MODS_ADDR, LAYOUT_BOOT_INFO + MB_MODS_OFF);
	if (vm->cfg->initrd) {
		ret = mb_module(vm, img, page);
		if (ret)
			return ret;
	}
	n = e820_build(vm->mem, map, E820_MAX_ENTRIES);
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *e = page + MB_MMAP_OFF + i * MB_MMAP_ENTRY_SIZE;

		put_le32(e, MB_MMAP_ENTRY_SIZE - 4);
		put_le64(e + 4, map[i].addr);
		put_le64(e + 12, map[i].size);
		put_le32(e + 20, map[i].type);
	}
	put_le32(page + MBI_MMAP_LENGTH, n * MB_MMAP_ENTRY_SIZE);
	put_le32(page + MBI_MMAP_ADDR, LAYOUT_BOOT_INFO + MB_MMAP_OFF);
	memcpy(page + MB_NAME_OFF, loader_name, sizeof(loader_name));
	put_le32(page + MBI_BOOT_LOADER_NAME, LAYOUT_BOOT_INFO + MB_NAME_OFF);
	return guest_write(vm->mem, LAYOUT_BOOT_INFO, page, sizeof(page));
}

int multiboot_load(struct vm *vm, const struct kfile *f, const uint8_t *head,
		   uint64_t head_len, uint64_t hdr_off,
		   const struct elf_image *elf)
{
	const uint8_t *h = head + hdr_off;
	uint32_t flags = get_le32(h + 4);
	struct mb_image img;
	int ret;

	if (flags & 0xffff & ~MB_FLAGS_KNOWN) {
		log_error("%s: multiboot header requires features %#x that kvmrun does not provide",
			  f->path, flags & 0xffff & ~MB_FLAGS_KNOWN);
		return -EINVAL;
	}
	if (flags & MB_FLAG_VIDEO)
		log_warn("%s: multiboot video mode request ignored: kvmrun has no graphics",
			 f->path);
	if (flags & MB_FLAG_ADDRESS) {
		if (hdr_off + MBH_ADDRESS_SIZE > head_len) {
			log_error("%s: truncated: the multiboot address fields at %#llx are past the file's first %u bytes",
				  f->path, (unsigned long long)hdr_off,
				  MULTIBOOT_SEARCH);
			return -EINVAL;
		}
		ret = mb_load_address(vm, f, h, hdr_off, &img);
	} else if (elf) {
		ret = mb_load_elf(vm, f, elf, &img);
	} else {
		log_error("%s: multiboot header without address fields (flag 16) in a file that is not ELF",
			  f->path);
		return -EINVAL;
	}
	if (ret)
		return ret;
	if (img.entry < img.start || img.entry >= img.end) {
		log_error("%s: multiboot entry %#x is outside the loaded image %#llx..%#llx",
			  f->path, img.entry, (unsigned long long)img.start,
			  (unsigned long long)img.end);
		return -EINVAL;
	}
	ret = mb_cmdline(vm);
	if (ret)
		return ret;
	ret = mb_info(vm, &img);
	if (ret)
		return ret;
	ret = boot_cpu_flat32(vm->mem, &vm->boot_cpu, img.entry);
	if (ret)
		return ret;
	vm->boot_cpu.gpr[R_RAX] = MB_BOOT_MAGIC;
	vm->boot_cpu.gpr[R_RBX] = LAYOUT_BOOT_INFO;
	log_debug("%s: multiboot, image %#llx..%#llx, entry %#x", f->path,
		  (unsigned long long)img.start, (unsigned long long)img.end,
		  img.entry);
	return 0;
}
