// SPDX-License-Identifier: MIT
/*
 * Linux bzImage through the x86 boot protocol (Documentation/arch/x86/boot.rst).
 * kvmrun has no BIOS, so it skips the real-mode setup code and enters the
 * protected-mode kernel directly: through the 64-bit entry (startup_64) when
 * the kernel has one, else through the 32-bit entry, with a zero page it
 * fills the way the setup code would have.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "memory.h"
#include "util/log.h"
#include "vm.h"
#include "x86/cpu.h"
#include "x86/layout.h"
#include "x86/loader.h"

/* struct setup_header fields, as offsets into struct boot_params. */
#define HDR_START 0x1f1		/* setup_sects: the first header field */
#define HDR_SETUP_SECTS 0x1f1
#define HDR_SYSSIZE 0x1f4
#define HDR_JUMP 0x200		/* its second byte gives the header's end */
#define HDR_MAGIC 0x202
#define HDR_VERSION 0x206
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_LOADFLAGS 0x211
#define HDR_CODE32_START 0x214
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21c
#define HDR_CMD_LINE_PTR 0x228
#define HDR_INITRD_ADDR_MAX 0x22c
#define HDR_KERNEL_ALIGNMENT 0x230
#define HDR_RELOCATABLE 0x234
#define HDR_XLOADFLAGS 0x236
#define HDR_CMDLINE_SIZE 0x238
#define HDR_PREF_ADDRESS 0x258
#define HDR_INIT_SIZE 0x260
#define HDR_END_MAX 0x290	/* edd_mbr_sig_buffer follows the header */

/* struct boot_params outside the setup header. */
#define BP_ACPI_RSDP_ADDR 0x070
#define BP_EXT_RAMDISK_IMAGE 0x0c0
#define BP_EXT_RAMDISK_SIZE 0x0c4
#define BP_EXT_CMD_LINE_PTR 0x0c8
#define BP_E820_ENTRIES 0x1e8
#define BP_E820_TABLE 0x2d0
#define BP_SIZE 4096

#define LOADED_HIGH 0x01
#define XLF_KERNEL_64 0x01
#define TYPE_OF_LOADER_UNDEFINED 0xff
#define STARTUP_64_OFFSET 0x200

#define PROTO(maj, min) ((maj) << 8 | (min))

struct bzimage {
	uint8_t hdr[HDR_END_MAX];	/* the file's first bytes */
	uint16_t version;
	uint64_t setup_size;		/* real-mode part, skipped */
	uint64_t payload;		/* protected-mode kernel bytes */
	bool relocatable;
	uint32_t kernel_alignment;
	uint64_t pref_address;
	uint64_t init_size;
	uint16_t xloadflags;
	uint32_t cmdline_size;
	uint32_t initrd_addr_max;
	uint64_t load;			/* where the payload goes */
	uint64_t runtime;		/* where the kernel will run */
};

bool bzimage_probe(const uint8_t *head, uint64_t head_len)
{
	return head_len >= HDR_MAGIC + 4 &&
	       memcmp(head + HDR_MAGIC, "HdrS", 4) == 0;
}

static int bz_parse(const struct kfile *f, struct bzimage *bz)
{
	unsigned int sects;
	int ret;

	ret = kfile_read(f, 0, bz->hdr, sizeof(bz->hdr), "the setup header");
	if (ret)
		return ret;
	bz->version = get_le16(bz->hdr + HDR_VERSION);
	if (bz->version < PROTO(2, 6)) {
		log_error("%s: bzImage boot protocol %u.%02u is too old (kvmrun needs 2.06 or later)",
			  f->path, bz->version >> 8, bz->version & 0xff);
		return -EINVAL;
	}
	if (!(bz->hdr[HDR_LOADFLAGS] & LOADED_HIGH)) {
		log_error("%s: a zImage loaded below 1 MiB is not supported; use a bzImage",
			  f->path);
		return -EINVAL;
	}
	sects = bz->hdr[HDR_SETUP_SECTS] ? bz->hdr[HDR_SETUP_SECTS] : 4;
	bz->setup_size = (sects + 1) * 512ULL;
	bz->payload = (uint64_t)get_le32(bz->hdr + HDR_SYSSIZE) * 16;
	if (bz->setup_size > f->size) {
		log_error("%s: truncated: the bzImage setup code at bytes 0..%#llx, but the file has only %llu bytes",
			  f->path, (unsigned long long)bz->setup_size,
			  (unsigned long long)f->size);
		return -EINVAL;
	}
	/* Older headers may leave syssize 0: the kernel is the rest. */
	if (bz->payload == 0)
		bz->payload = f->size - bz->setup_size;
	if (bz->payload == 0) {
		log_error("%s: bzImage without a protected-mode kernel", f->path);
		return -EINVAL;
	}
	bz->relocatable = bz->hdr[HDR_RELOCATABLE] != 0;
	bz->kernel_alignment = get_le32(bz->hdr + HDR_KERNEL_ALIGNMENT);
	bz->cmdline_size = get_le32(bz->hdr + HDR_CMDLINE_SIZE);
	bz->initrd_addr_max = get_le32(bz->hdr + HDR_INITRD_ADDR_MAX);
	if (bz->version >= PROTO(2, 10)) {
		bz->pref_address = get_le64(bz->hdr + HDR_PREF_ADDRESS);
		bz->init_size = get_le32(bz->hdr + HDR_INIT_SIZE);
	}
	if (bz->version >= PROTO(2, 12))
		bz->xloadflags = get_le16(bz->hdr + HDR_XLOADFLAGS);
	return 0;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* The end of what the kernel occupies until it reads its memory map. */
static uint64_t bz_kernel_end(const struct bzimage *bz)
{
	return max_u64(bz->load + bz->payload, bz->runtime + bz->init_size);
}

/*
 * A relocatable kernel goes at its preferred address when that fits, which
 * spares it a copy; otherwise (and always when not relocatable) at 1 MiB.
 * Either way the decompressor runs it at the load address aligned up to
 * kernel_alignment, but never below LOAD_PHYSICAL_ADDR (= pref_address), and
 * needs init_size bytes of RAM from there.
 */
static int bz_place(const struct kfile *f, const struct guest_mem *mem,
		    struct bzimage *bz)
{
	uint64_t low_end = low_ram_end(mem);
	uint64_t need = max_u64(bz->payload, bz->init_size);
	uint64_t align = bz->kernel_alignment;

	bz->load = LAYOUT_HIGHMEM;
	if (bz->relocatable && bz->pref_address >= LAYOUT_HIGHMEM &&
	    bz->pref_address < low_end && need <= low_end - bz->pref_address)
		bz->load = bz->pref_address;
	bz->runtime = bz->load;
	if (bz->relocatable && align && !(align & (align - 1)) &&
	    align <= (1ULL << 30))
		bz->runtime = (bz->runtime + align - 1) & ~(align - 1);
	bz->runtime = max_u64(bz->runtime, bz->pref_address);
	if (check_kernel_range(f, mem, bz->load, bz->payload, "the kernel"))
		return -EINVAL;
	if (bz->runtime >= low_end || bz->init_size > low_end - bz->runtime) {
		log_error("%s: the kernel needs %llu MiB of RAM from %#llx to start (init_size) "
			  "but low RAM ends at %#llx; use a larger -m",
			  f->path, (unsigned long long)(bz->init_size >> 20),
			  (unsigned long long)bz->runtime,
			  (unsigned long long)low_end);
		return -EINVAL;
	}
	return 0;
}

static int bz_zero_page(struct vm *vm, const struct bzimage *bz,
			uint64_t initrd_addr, uint64_t initrd_size)
{
	struct e820_entry map[E820_MAX_ENTRIES];
	uint8_t bp[BP_SIZE];
	unsigned int hdr_end, n;

	memset(bp, 0, sizeof(bp));
	hdr_end = HDR_MAGIC + bz->hdr[HDR_JUMP + 1];
	if (hdr_end > HDR_END_MAX)
		hdr_end = HDR_END_MAX;
	if (hdr_end < HDR_VERSION + 2)
		hdr_end = HDR_VERSION + 2;
	memcpy(bp + HDR_START, bz->hdr + HDR_START, hdr_end - HDR_START);

	bp[HDR_TYPE_OF_LOADER] = TYPE_OF_LOADER_UNDEFINED;
	put_le32(bp + HDR_CODE32_START, bz->load);
	put_le32(bp + HDR_CMD_LINE_PTR, LAYOUT_CMDLINE);
	put_le32(bp + BP_EXT_CMD_LINE_PTR, LAYOUT_CMDLINE >> 32);
	put_le32(bp + HDR_RAMDISK_IMAGE, initrd_addr);
	put_le32(bp + HDR_RAMDISK_SIZE, initrd_size);
	put_le32(bp + BP_EXT_RAMDISK_IMAGE, initrd_addr >> 32);
	put_le32(bp + BP_EXT_RAMDISK_SIZE, initrd_size >> 32);
	if (bz->version >= PROTO(2, 14))
		put_le64(bp + BP_ACPI_RSDP_ADDR, vm->rsdp_gpa);

	n = e820_build(vm->mem, map, E820_MAX_ENTRIES);
	bp[BP_E820_ENTRIES] = n;
	memcpy(bp + BP_E820_TABLE, map, n * sizeof(map[0]));
	return guest_write(vm->mem, LAYOUT_ZERO_PAGE, bp, sizeof(bp));
}

static int bz_initrd(struct vm *vm, const struct bzimage *bz,
		     uint64_t *addr, uint64_t *size)
{
	uint64_t hi = low_ram_end(vm->mem);

	if ((uint64_t)bz->initrd_addr_max + 1 < hi)
		hi = (uint64_t)bz->initrd_addr_max + 1;
	return initrd_load(vm, vm->cfg->initrd, bz_kernel_end(bz), hi, true,
			   addr, size);
}

int bzimage_load(struct vm *vm, const struct kfile *f)
{
	const char *append = vm->cfg->append ? vm->cfg->append : "";
	uint64_t initrd_addr = 0, initrd_size = 0;
	struct bzimage bz;
	int ret;

	memset(&bz, 0, sizeof(bz));
	ret = bz_parse(f, &bz);
	if (ret)
		return ret;
	ret = bz_place(f, vm->mem, &bz);
	if (ret)
		return ret;
	ret = cmdline_write(vm, append, bz.cmdline_size);
	if (ret)
		return ret;
	ret = kfile_read_guest(f, bz.setup_size, bz.payload, vm->mem, bz.load,
			       "the protected-mode kernel");
	if (ret)
		return ret;
	if (vm->cfg->initrd) {
		ret = bz_initrd(vm, &bz, &initrd_addr, &initrd_size);
		if (ret)
			return ret;
	}
	ret = bz_zero_page(vm, &bz, initrd_addr, initrd_size);
	if (ret)
		return ret;
	if (bz.xloadflags & XLF_KERNEL_64)
		ret = boot_cpu_long64(vm->mem, &vm->boot_cpu,
				      bz.load + STARTUP_64_OFFSET);
	else
		ret = boot_cpu_flat32(vm->mem, &vm->boot_cpu, bz.load);
	if (ret)
		return ret;
	vm->boot_cpu.gpr[R_RSI] = LAYOUT_ZERO_PAGE;
	log_debug("%s: bzImage protocol %u.%02u, %llu KiB at %#llx, runs at %#llx, %s entry %#llx",
		  f->path, bz.version >> 8, bz.version & 0xff,
		  (unsigned long long)(bz.payload >> 10),
		  (unsigned long long)bz.load, (unsigned long long)bz.runtime,
		  bz.xloadflags & XLF_KERNEL_64 ? "64-bit" : "32-bit",
		  (unsigned long long)vm->boot_cpu.rip);
	return 0;
}
