// SPDX-License-Identifier: MIT
/*
 * The PVH boot ABI (Xen's HVM direct boot, also used by QEMU and Firecracker):
 * an ELF whose "Xen" note XEN_ELFNOTE_PHYS32_ENTRY gives a 32-bit physical
 * entry point, entered in flat protected mode with paging off and %ebx
 * pointing at struct hvm_start_info.  Booting Linux's vmlinux this way skips
 * the bzImage decompressor.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "memory.h"
#include "util/log.h"
#include "vm.h"
#include "x86/layout.h"
#include "x86/loader.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18

#define HVM_START_MAGIC 0x336ec578
#define HVM_START_VERSION 1

/* struct hvm_start_info (Xen public/arch-x86/hvm/start_info.h) */
#define SI_MAGIC 0x00
#define SI_VERSION 0x04
#define SI_FLAGS 0x08
#define SI_NR_MODULES 0x0c
#define SI_MODLIST_PADDR 0x10
#define SI_CMDLINE_PADDR 0x18
#define SI_RSDP_PADDR 0x20
#define SI_MEMMAP_PADDR 0x28
#define SI_MEMMAP_ENTRIES 0x30

/* Where the pieces sit inside the LAYOUT_BOOT_INFO page. */
#define PVH_MODLIST_OFF 0x40		/* one hvm_modlist_entry, 32 bytes */
#define PVH_MEMMAP_OFF 0x80		/* hvm_memmap_table_entry, 24 bytes */
#define PVH_MEMMAP_ENTRY_SIZE 24

int pvh_probe(const struct kfile *f, const struct elf_image *elf,
	      uint32_t *entry)
{
	uint8_t desc[8];
	uint32_t len = sizeof(desc);
	uint64_t v;
	int ret;

	ret = elf_find_note(f, elf, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, desc,
			    &len);
	if (ret <= 0)
		return ret;
	if (len == 4) {
		v = get_le32(desc);
	} else if (len == 8) {
		v = get_le64(desc);
	} else {
		log_error("%s: PVH entry note with a %u-byte value (want 4)",
			  f->path, len);
		return -EINVAL;
	}
	if (v > UINT32_MAX) {
		log_error("%s: PVH entry %#llx is above 4 GiB",
			  f->path, (unsigned long long)v);
		return -EINVAL;
	}
	*entry = v;
	return 1;
}

static int start_info_write(struct vm *vm, uint64_t initrd_addr,
			    uint64_t initrd_size)
{
	struct e820_entry map[E820_MAX_ENTRIES];
	uint8_t page[4096];
	unsigned int n;

	memset(page, 0, sizeof(page));
	put_le32(page + SI_MAGIC, HVM_START_MAGIC);
	put_le32(page + SI_VERSION, HVM_START_VERSION);
	put_le64(page + SI_CMDLINE_PADDR, LAYOUT_CMDLINE);
	put_le64(page + SI_RSDP_PADDR, vm->rsdp_gpa);
	if (vm->cfg->initrd) {
		uint8_t *mod = page + PVH_MODLIST_OFF;

		put_le32(page + SI_NR_MODULES, 1);
		put_le64(page + SI_MODLIST_PADDR,
			 LAYOUT_BOOT_INFO + PVH_MODLIST_OFF);
		put_le64(mod, initrd_addr);
		put_le64(mod + 8, initrd_size);
	}
	n = e820_build(vm->mem, map, E820_MAX_ENTRIES);
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *e = page + PVH_MEMMAP_OFF + i * PVH_MEMMAP_ENTRY_SIZE;

		put_le64(e, map[i].addr);
		put_le64(e + 8, map[i].size);
		put_le32(e + 16, map[i].type);
	}
	put_le64(page + SI_MEMMAP_PADDR, LAYOUT_BOOT_INFO + PVH_MEMMAP_OFF);
	put_le32(page + SI_MEMMAP_ENTRIES, n);
	return guest_write(vm->mem, LAYOUT_BOOT_INFO, page, sizeof(page));
}

int pvh_load(struct vm *vm, const struct kfile *f,
	     const struct elf_image *elf, uint32_t entry)
{
	const char *append = vm->cfg->append ? vm->cfg->append : "";
	uint64_t end, initrd_addr = 0, initrd_size = 0;
	int ret;

	ret = elf_load_segments(f, elf, vm->mem, &end);
	if (ret)
		return ret;
	if (!elf_paddr_loaded(elf, entry)) {
		log_error("%s: PVH entry %#x is outside the loaded segments",
			  f->path, entry);
		return -EINVAL;
	}
	/* Linux copies at most COMMAND_LINE_SIZE; the layout area bounds it. */
	ret = cmdline_write(vm, append, LAYOUT_CMDLINE_MAX - 1);
	if (ret)
		return ret;
	if (vm->cfg->initrd) {
		ret = initrd_load(vm, vm->cfg->initrd, end,
				  low_ram_end(vm->mem), true, &initrd_addr,
				  &initrd_size);
		if (ret)
			return ret;
	}
	ret = start_info_write(vm, initrd_addr, initrd_size);
	if (ret)
		return ret;
	ret = boot_cpu_flat32(vm->mem, &vm->boot_cpu, entry);
	if (ret)
		return ret;
	vm->boot_cpu.gpr[R_RBX] = LAYOUT_BOOT_INFO;
	log_debug("%s: PVH %s, entry %#x, image ends at %#llx", f->path,
		  elf->is64 ? "ELF64" : "ELF32", entry,
		  (unsigned long long)end);
	return 0;
}
