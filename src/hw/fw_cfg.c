// SPDX-License-Identifier: MIT
/*
 * QEMU's fw_cfg device on its x86 ports: selector 0x510 (16-bit write),
 * data 0x511 (byte reads, string order), DMA address 0x514 (big-endian,
 * a write of the low half at 0x518 starts the transfer).
 *
 * Items are host-side copies; the guest only ever reads them.  Every
 * guest address a DMA request names is checked through gpa_to_hva, and a
 * request that names anything but RAM ends with the error bit, touching
 * nothing.  There is one fw_cfg per process, like there is one VM.
 */
#include "hw/fw_cfg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "memory.h"
#include "util/log.h"
#include "vm.h"
#include "x86/boot.h"

#define FW_CFG_KEY_MASK		0x3fff
#define FW_CFG_NR_ARCH		8
#define FW_CFG_DIR_ENTRY_LEN	64

struct fw_cfg_item {
	uint8_t *data;
	uint32_t len;
};

struct fw_cfg_file {
	char name[FW_CFG_FILE_NAME_LEN];
	struct fw_cfg_item item;
};

static struct {
	struct vm *vm;
	bool realized;
	struct fw_cfg_item generic[FW_CFG_FILE_FIRST];
	struct fw_cfg_item arch[FW_CFG_NR_ARCH];
	struct fw_cfg_file files[FW_CFG_MAX_FILES];
	unsigned int nr_files;
	uint16_t key;		/* as the guest selected it */
	uint32_t offset;	/* into the selected item */
	uint64_t dma_addr;
} fw;

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, v >> 16);
	put_be16(p + 2, v);
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

/* Replace an item's contents with a copy of data. */
static int item_set(struct fw_cfg_item *it, const void *data, uint32_t len)
{
	uint8_t *copy = NULL;

	if (len) {
		copy = malloc(len);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, data, len);
	}
	free(it->data);
	it->data = copy;
	it->len = len;
	return 0;
}

static void item_clear(struct fw_cfg_item *it)
{
	free(it->data);
	it->data = NULL;
	it->len = 0;
}

static int item_set_le(struct fw_cfg_item *it, uint64_t v, unsigned int n)
{
	uint8_t b[8];

	io_data_set(b, n, v);
	return item_set(it, b, n);
}

/* The item a selector value names, or NULL (reads of it give zeros). */
static const struct fw_cfg_item *item_of(uint16_t key)
{
	unsigned int idx = key & FW_CFG_KEY_MASK;
	const struct fw_cfg_item *it;

	if (key & FW_CFG_ARCH_LOCAL)
		it = idx < FW_CFG_NR_ARCH ? &fw.arch[idx] : NULL;
	else if (idx < FW_CFG_FILE_FIRST)
		it = &fw.generic[idx];
	else if (idx - FW_CFG_FILE_FIRST < fw.nr_files)
		it = &fw.files[idx - FW_CFG_FILE_FIRST].item;
	else
		it = NULL;
	return it && it->len ? it : NULL;
}

/* FW_CFG_FILE_DIR: a big-endian count, then 64-byte entries. */
static int rebuild_dir(void)
{
	uint32_t len = 4 + fw.nr_files * FW_CFG_DIR_ENTRY_LEN;
	uint8_t *dir = calloc(1, len);

	if (!dir)
		return -ENOMEM;
	put_be32(dir, fw.nr_files);
	for (unsigned int i = 0; i < fw.nr_files; i++) {
		uint8_t *e = dir + 4 + i * FW_CFG_DIR_ENTRY_LEN;

		put_be32(e, fw.files[i].item.len);
		put_be16(e + 4, FW_CFG_FILE_FIRST + i);
		memcpy(e + 8, fw.files[i].name, FW_CFG_FILE_NAME_LEN);
	}
	free(fw.generic[FW_CFG_FILE_DIR].data);
	fw.generic[FW_CFG_FILE_DIR] = (struct fw_cfg_item){ dir, len };
	return 0;
}

int fw_cfg_add_file(const char *name, const void *data, uint32_t len)
{
	struct fw_cfg_file *f;
	size_t name_len = name ? strlen(name) : 0;
	int ret;

	if (name_len == 0 || name_len >= FW_CFG_FILE_NAME_LEN ||
	    (len && !data))
		return -EINVAL;
	for (unsigned int i = 0; i < fw.nr_files; i++)
		if (strcmp(fw.files[i].name, name) == 0)
			return -EEXIST;
	if (fw.nr_files == FW_CFG_MAX_FILES)
		return -ENOSPC;
	f = &fw.files[fw.nr_files];
	memset(f, 0, sizeof(*f));
	ret = item_set(&f->item, data, len);
	if (ret)
		return ret;
	memcpy(f->name, name, name_len);
	fw.nr_files++;
	ret = rebuild_dir();
	if (ret) {
		fw.nr_files--;
		item_clear(&f->item);
	}
	return ret;
}

static void fw_cfg_select(uint16_t key)
{
	fw.key = key;
	fw.offset = 0;
}

/* Next byte of the selected item; 0 past its end. */
static uint8_t fw_cfg_next_byte(void)
{
	const struct fw_cfg_item *it = item_of(fw.key);

	if (!it || fw.offset >= it->len)
		return 0;
	return it->data[fw.offset++];
}

static void fw_cfg_io(void *opaque, uint64_t offset, uint8_t *data,
		      uint32_t len, bool is_write)
{
	if (offset == 0) {
		/* The selector is write-only and 16 bits wide. */
		if (is_write && len == 2)
			fw_cfg_select(io_data_get(data, 2));
		else if (!is_write)
			memset(data, 0, len);
		return;
	}
	/* Data port: reads in string order; writes ignored since QEMU 2.4. */
	if (!is_write)
		for (uint32_t i = 0; i < len; i++)
			data[i] = fw_cfg_next_byte();
}

/* DMA read of length bytes to gpa; false when gpa is not all RAM. */
static bool fw_cfg_dma_read(uint64_t gpa, uint32_t length)
{
	const struct fw_cfg_item *it = item_of(fw.key);
	uint32_t avail = 0, n;
	uint8_t *dst;

	if (length == 0)
		return true;
	dst = gpa_to_hva(fw.vm->mem, gpa, length);
	if (!dst)
		return false;
	if (it && fw.offset < it->len)
		avail = it->len - fw.offset;
	n = length < avail ? length : avail;
	if (n)
		memcpy(dst, it->data + fw.offset, n);
	memset(dst + n, 0, length - n);
	fw.offset += n;
	return true;
}

static void fw_cfg_dma_skip(uint32_t length)
{
	const struct fw_cfg_item *it = item_of(fw.key);
	uint32_t len = it ? it->len : 0;

	if (fw.offset >= len)
		return;
	fw.offset = length < len - fw.offset ? fw.offset + length : len;
}

static void fw_cfg_dma_run(uint64_t gpa)
{
	uint8_t *acc = gpa_to_hva(fw.vm->mem, gpa, 16);
	uint32_t control, length;
	uint64_t addr;
	bool ok = true;

	if (!acc) {
		log_guest_error_once("fw_cfg: DMA descriptor at 0x%llx is not in guest RAM, ignored",
				     (unsigned long long)gpa);
		return;
	}
	/* Read each field once: another vCPU may be changing them. */
	control = get_be32(acc);
	length = get_be32(acc + 4);
	addr = get_be64(acc + 8);

	if (control & FW_CFG_DMA_CTL_SELECT)
		fw_cfg_select(control >> 16);
	if (control & FW_CFG_DMA_CTL_READ)
		ok = fw_cfg_dma_read(addr, length);
	else if (control & FW_CFG_DMA_CTL_WRITE)
		ok = length == 0;	/* every item is read-only */
	else if (control & FW_CFG_DMA_CTL_SKIP)
		fw_cfg_dma_skip(length);
	put_be32(acc, ok ? 0 : FW_CFG_DMA_CTL_ERROR);
}

static void fw_cfg_dma_io(void *opaque, uint64_t offset, uint8_t *data,
			  uint32_t len, bool is_write)
{
	static const char sig[8] = "QEMU CFG";	/* the register, big-endian */
	uint64_t gpa;

	if (!is_write) {
		for (uint32_t i = 0; i < len; i++)
			data[i] = offset + i < 8 ? sig[offset + i] : 0;
		return;
	}
	if (offset == 0 && len == 4) {
		fw.dma_addr = (uint64_t)get_be32(data) << 32;
		return;
	}
	if (offset == 4 && len == 4)
		gpa = fw.dma_addr | get_be32(data);
	else if (offset == 0 && len == 8)
		gpa = get_be64(data);
	else
		return;
	/* The register reads as 0 after an operation: 32-bit callers
	 * write only the low half. */
	fw.dma_addr = 0;
	fw_cfg_dma_run(gpa);
}

static int fw_cfg_add_e820(struct vm *vm)
{
	struct e820_entry map[E820_MAX_ENTRIES];
	unsigned int n = e820_build(vm->mem, map, E820_MAX_ENTRIES);

	/* Packed {le64 addr, le64 size, le32 type}, as QEMU's etc/e820. */
	return fw_cfg_add_file("etc/e820", map, n * sizeof(map[0]));
}

static int fw_cfg_set_items(struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;
	int ret = 0;

	ret |= item_set(&fw.generic[FW_CFG_SIGNATURE], "QEMU", 4);
	ret |= item_set_le(&fw.generic[FW_CFG_ID], FW_CFG_ID_TRADITIONAL |
			   FW_CFG_ID_DMA, 4);
	ret |= item_set_le(&fw.generic[FW_CFG_RAM_SIZE], cfg->ram_size, 8);
	ret |= item_set_le(&fw.generic[FW_CFG_NOGRAPHIC], cfg->nographic, 2);
	ret |= item_set_le(&fw.generic[FW_CFG_NB_CPUS], vm->ncpus, 2);
	ret |= item_set_le(&fw.generic[FW_CFG_MAX_CPUS], vm->ncpus, 2);
	if (cfg->append) {
		uint32_t n = strlen(cfg->append) + 1;

		ret |= item_set_le(&fw.generic[FW_CFG_CMDLINE_SIZE], n, 4);
		ret |= item_set(&fw.generic[FW_CFG_CMDLINE_DATA], cfg->append, n);
	}
	/* The PIT's IRQ 0 arrives on IOAPIC pin 2 (the MADT says so too). */
	ret |= item_set_le(&fw.arch[FW_CFG_IRQ0_OVERRIDE & FW_CFG_KEY_MASK],
			   1, 4);
	ret |= rebuild_dir();
	if (ret)
		return -ENOMEM;
	return fw_cfg_add_e820(vm);
}

static void fw_cfg_free(void)
{
	for (unsigned int i = 0; i < FW_CFG_FILE_FIRST; i++)
		item_clear(&fw.generic[i]);
	for (unsigned int i = 0; i < FW_CFG_NR_ARCH; i++)
		item_clear(&fw.arch[i]);
	for (unsigned int i = 0; i < fw.nr_files; i++)
		item_clear(&fw.files[i].item);
	fw.nr_files = 0;
	fw.key = 0;
	fw.offset = 0;
	fw.dma_addr = 0;
	fw.vm = NULL;
}

static int fw_cfg_realize(struct vm *vm)
{
	int ret;

	fw.vm = vm;
	ret = fw_cfg_set_items(vm);
	if (ret) {
		log_error("fw_cfg: cannot create the items: %s", strerror(-ret));
		goto err;
	}
	ret = bus_register(&pio_bus, FW_CFG_PORT_SEL, 2, fw_cfg_io, NULL,
			   "fw_cfg");
	if (ret) {
		log_error("fw_cfg: cannot claim ports 0x510-0x511: %s",
			  strerror(-ret));
		goto err;
	}
	ret = bus_register(&pio_bus, FW_CFG_PORT_DMA, 8, fw_cfg_dma_io, NULL,
			   "fw_cfg-dma");
	if (ret) {
		log_error("fw_cfg: cannot claim ports 0x514-0x51b: %s",
			  strerror(-ret));
		goto err_sel;
	}
	fw.realized = true;
	return 0;

err_sel:
	bus_unregister(&pio_bus, FW_CFG_PORT_SEL);
err:
	fw_cfg_free();
	return ret;
}

static void fw_cfg_reset(struct vm *vm)
{
	fw.key = 0;
	fw.offset = 0;
	fw.dma_addr = 0;
}

static void fw_cfg_teardown(struct vm *vm)
{
	if (fw.realized) {
		bus_unregister(&pio_bus, FW_CFG_PORT_SEL);
		bus_unregister(&pio_bus, FW_CFG_PORT_DMA);
		fw.realized = false;
	}
	fw_cfg_free();
}

/* Before the other platform devices, which may add files as they realize. */
const struct device_ops fw_cfg_device = {
	.name = "fw_cfg",
	.order = DEVICE_ORDER_PLATFORM - 1,
	.realize = fw_cfg_realize,
	.reset = fw_cfg_reset,
	.teardown = fw_cfg_teardown,
};
DEVICE_REGISTER(fw_cfg_device);
