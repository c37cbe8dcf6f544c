// SPDX-License-Identifier: MIT
/*
 * The PCI host bridge, configuration space with masks, BAR placement on the
 * buses, INTx routing and MSI-X.  See pci.h.
 */
#include "hw/pci.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "util/log.h"
#include "vm.h"

struct pci_host {
	struct vm *vm;
	uint32_t config_addr;
	struct pci_function bridge;
	struct pci_function *slots[PCI_SLOTS];
	uint32_t intx_asserted[2];	/* slots asserting GSI 10, 11 */
	struct pci_allocator alloc;
	bool registered;
};

static struct pci_host *host;

/* Dword-aligned capabilities after the header: at most this many. */
#define PCI_CAP_MAX ((PCI_CONFIG_SIZE - PCI_CAP_START) / 4)

static uint16_t cfg_w(const struct pci_function *f, unsigned int off)
{
	return f->config[off] | f->config[off + 1] << 8;
}

static uint32_t cfg_l(const struct pci_function *f, unsigned int off)
{
	return cfg_w(f, off) | (uint32_t)cfg_w(f, off + 2) << 16;
}

static void set_w(uint8_t *p, unsigned int off, uint16_t v)
{
	p[off] = v;
	p[off + 1] = v >> 8;
}

static void set_l(uint8_t *p, unsigned int off, uint32_t v)
{
	set_w(p, off, v);
	set_w(p, off + 2, v >> 16);
}

unsigned int pci_intx_gsi(unsigned int slot, unsigned int pin)
{
	static const unsigned int pirq_gsi[4] = {
		PCI_INTX_GSI_LOW, PCI_INTX_GSI_LOW,
		PCI_INTX_GSI_HIGH, PCI_INTX_GSI_HIGH,
	};

	return pirq_gsi[(slot + pin - 1) & 3];
}

/* ---- the function: header and capabilities ---- */

void pci_function_init(struct pci_function *f, const char *name,
		       uint16_t vendor, uint16_t device, uint32_t class_code,
		       uint8_t revision)
{
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->slot = -1;
	f->cap_next = PCI_CAP_START;
	set_w(f->config, PCI_VENDOR_ID, vendor);
	set_w(f->config, PCI_DEVICE_ID, device);
	f->config[PCI_REVISION_ID] = revision;
	f->config[PCI_CLASS_PROG] = class_code;
	set_w(f->config, PCI_CLASS_PROG + 1, class_code >> 8);
	set_w(f->config, PCI_SUBSYSTEM_VENDOR_ID, 0x1af4);
	set_w(f->config, PCI_SUBSYSTEM_ID, 0x1100);
	set_w(f->wmask, PCI_COMMAND,
	      PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
		      PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
		      PCI_COMMAND_INTX_DISABLE);
	set_w(f->w1cmask, PCI_STATUS, PCI_STATUS_W1C);
	f->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
	f->wmask[PCI_LATENCY_TIMER] = 0xff;
	f->wmask[PCI_INTERRUPT_LINE] = 0xff;
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

int pci_function_set_bar(struct pci_function *f, unsigned int bar,
			 uint8_t flags, uint64_t size, io_handler_fn fn,
			 void *opaque)
{
	bool io = flags & PCI_BAR_IO, wide = !io && (flags & PCI_BAR_MEM64);
	unsigned int off = PCI_BASE_ADDRESS_0 + 4 * bar;
	uint64_t mask;

	if (bar >= PCI_NUM_BARS || (wide && bar + 1 >= PCI_NUM_BARS) ||
	    !is_pow2(size) || f->slot >= 0 || f->bars[bar].owner ||
	    (wide && f->bars[bar + 1].owner))
		return -EINVAL;
	if (io ? size < 4 || size > 256 : size < 16 ||
	    (!wide && size > (1ULL << 31)))
		return -EINVAL;
	flags &= io ? PCI_BAR_IO : (PCI_BAR_MEM64 | PCI_BAR_PREFETCH);
	f->bars[bar] = (struct pci_bar){
		.size = size, .flags = flags, .fn = fn, .opaque = opaque,
		.owner = f, .index = bar,
	};
	/* Sizing works by itself: only the address bits are writable. */
	mask = ~(size - 1) & (io ? ~3ULL : ~15ULL);
	set_l(f->config, off, flags);
	set_l(f->wmask, off, (uint32_t)mask);
	if (wide) {
		set_l(f->wmask, off + 4, mask >> 32);
		/* The upper half is part of this BAR, not one of its own. */
		f->bars[bar + 1].owner = f;
		f->bars[bar + 1].index = bar;
	}
	return 0;
}

void pci_function_set_pin(struct pci_function *f, unsigned int pin)
{
	f->config[PCI_INTERRUPT_PIN] = pin <= 4 ? pin : 0;
}

/*
 * A capability pointer as a reader takes it: the low two bits are reserved
 * and anything inside the header ends the list.  So a chain a device got
 * wrong (or lets the guest write) never leads past config space.
 */
static uint8_t cap_ptr(uint8_t p)
{
	p &= ~3;
	return p >= PCI_CAP_START ? p : 0;
}

/* Where the pointer to the capability after p is (p 0: the list head). */
static unsigned int cap_link(uint8_t p)
{
	return p ? p + 1u : PCI_CAPABILITY_LIST;
}

static uint8_t cap_next(const struct pci_function *f, uint8_t p)
{
	return cap_ptr(f->config[cap_link(p)]);
}

/* The last capability, or 0; a looping list stops after every slot. */
static uint8_t cap_last(const struct pci_function *f)
{
	uint8_t p = 0, next;

	for (unsigned int n = 0; n < PCI_CAP_MAX; n++) {
		next = cap_next(f, p);
		if (!next)
			break;
		p = next;
	}
	return p;
}

int pci_add_capability(struct pci_function *f, uint8_t id, uint8_t size)
{
	unsigned int off = (f->cap_next + 3) & ~3u;
	uint8_t last;

	if (size < 2 || off < PCI_CAP_START || off + size > PCI_CONFIG_SIZE)
		return -ENOSPC;
	last = cap_last(f);
	f->config[off] = id;
	f->config[off + 1] = 0;
	f->config[cap_link(last)] = off;
	f->cap_next = off + size;
	set_w(f->config, PCI_STATUS,
	      cfg_w(f, PCI_STATUS) | PCI_STATUS_CAP_LIST);
	return off;
}

uint8_t pci_find_capability(const struct pci_function *f, uint8_t id)
{
	uint8_t p = 0;

	for (unsigned int n = 0; n < PCI_CAP_MAX; n++) {
		p = cap_next(f, p);
		if (!p || f->config[p] == id)
			return p;
	}
	return 0;
}

/* ---- configuration space ---- */

uint32_t pci_config_read(struct pci_function *f, uint32_t off, uint32_t len)
{
	uint32_t v = 0;

	if ((len != 1 && len != 2 && len != 4) || off >= PCI_CONFIG_SIZE ||
	    len > PCI_CONFIG_SIZE - off)
		return len >= 4 ? 0xffffffffu : (1u << (8 * len)) - 1;
	for (uint32_t i = 0; i < len; i++)
		v |= (uint32_t)f->config[off + i] << (8 * i);
	return v;
}

static bool touched(uint32_t off, uint32_t len, uint32_t start, uint32_t end)
{
	return off < end && off + len > start;
}

static void update_mappings(struct pci_function *f);
static void intx_update(struct pci_function *f);
static void msix_control_written(struct pci_function *f, uint16_t old);

void pci_config_write(struct pci_function *f, uint32_t off, uint32_t len,
		      uint32_t val)
{
	uint16_t msix_old = 0;

	if ((len != 1 && len != 2 && len != 4) || off >= PCI_CONFIG_SIZE ||
	    len > PCI_CONFIG_SIZE - off)
		return;
	if (f->msix)
		msix_old = cfg_w(f, f->msix->cap + PCI_MSIX_FLAGS);
	for (uint32_t i = 0; i < len; i++) {
		uint8_t b = val >> (8 * i), *c = &f->config[off + i];

		*c = (*c & ~f->wmask[off + i]) | (b & f->wmask[off + i]);
		*c &= ~(b & f->w1cmask[off + i]);
	}
	if (touched(off, len, PCI_COMMAND, PCI_COMMAND + 2) ||
	    touched(off, len, PCI_BASE_ADDRESS_0, PCI_BASE_ADDRESS_0 + 24))
		update_mappings(f);
	if (touched(off, len, PCI_COMMAND, PCI_COMMAND + 2))
		intx_update(f);
	if (f->msix && touched(off, len, f->msix->cap + PCI_MSIX_FLAGS,
			       f->msix->cap + PCI_MSIX_FLAGS + 2))
		msix_control_written(f, msix_old);
	if (f->config_write)
		f->config_write(f, off, len, val);
}

/* ---- BARs ---- */

static bool bar_is_io(const struct pci_bar *b)
{
	return b->flags & PCI_BAR_IO;
}

static uint64_t bar_register_value(const struct pci_function *f,
				   unsigned int i)
{
	const struct pci_bar *b = &f->bars[i];
	unsigned int off = PCI_BASE_ADDRESS_0 + 4 * i;
	uint64_t v = cfg_l(f, off);

	if (bar_is_io(b))
		return v & ~3ULL;
	v &= ~15ULL;
	if (b->flags & PCI_BAR_MEM64)
		v |= (uint64_t)cfg_l(f, off + 4) << 32;
	return v;
}

/* Where BAR i should decode now; false when it should not. */
static bool bar_target(const struct pci_function *f, unsigned int i,
		       uint64_t *addr)
{
	const struct pci_bar *b = &f->bars[i];
	uint16_t cmd = cfg_w(f, PCI_COMMAND);
	uint64_t a, last;

	if (!b->size || f->slot < 0)
		return false;
	a = bar_register_value(f, i) & ~(b->size - 1);
	last = a + b->size - 1;
	if (bar_is_io(b)) {
		if (!(cmd & PCI_COMMAND_IO) || !a || last >= PCI_IO_ALLOC_END)
			return false;
	} else {
		/* All ones (mid-sizing) and wrapping ranges are not mapped. */
		if (!(cmd & PCI_COMMAND_MEMORY) || !a || last < a ||
		    last == 0xffffffffULL || last == UINT64_MAX)
			return false;
	}
	*addr = a;
	return true;
}

static bool overlaps_ram(const struct vm *vm, uint64_t a, uint64_t size)
{
	if (!vm->mem)
		return false;
	for (unsigned int i = 0; i < vm->mem->nr_regions; i++) {
		const struct mem_region *r = &vm->mem->regions[i];

		if (a < r->gpa + r->size && r->gpa < a + size)
			return true;
	}
	return false;
}

static void msix_bar_io(void *opaque, uint64_t offset, uint8_t *data,
			uint32_t len, bool is_write);

static void null_bar_io(void *opaque, uint64_t offset, uint8_t *data,
			uint32_t len, bool is_write)
{
	if (!is_write)
		memset(data, 0xff, len);
}

static int bar_map(struct pci_function *f, unsigned int i, uint64_t a)
{
	struct pci_bar *b = &f->bars[i];
	struct bus *bus = bar_is_io(b) ? &pio_bus : &mmio_bus;
	io_handler_fn fn = b->fn ? b->fn : null_bar_io;
	void *opaque = b->opaque;
	int ret;

	if (!bar_is_io(b) && overlaps_ram(f->vm, a, b->size))
		return -EADDRINUSE;
	/* A BAR shared with the MSI-X table goes through its dispatcher. */
	if (f->msix && f->msix->bar == i) {
		fn = msix_bar_io;
		opaque = b;
	}
	ret = bus_register(bus, a, b->size, fn, opaque, f->name);
	if (ret)
		return ret;
	b->mapped = true;
	b->addr = a;
	if (f->bar_moved)
		f->bar_moved(f, i, a, true);
	return 0;
}

static void bar_unmap(struct pci_function *f, unsigned int i)
{
	struct pci_bar *b = &f->bars[i];

	if (!b->mapped)
		return;
	bus_unregister(bar_is_io(b) ? &pio_bus : &mmio_bus, b->addr);
	b->mapped = false;
	if (f->bar_moved)
		f->bar_moved(f, i, b->addr, false);
}

/* Bring every BAR's bus range in line with its register and the command. */
static void update_mappings(struct pci_function *f)
{
	for (unsigned int i = 0; i < PCI_NUM_BARS; i++) {
		struct pci_bar *b = &f->bars[i];
		uint64_t a = 0;
		bool want = bar_target(f, i, &a);
		int ret;

		if (b->mapped && (!want || a != b->addr))
			bar_unmap(f, i);
		if (b->mapped || !want)
			continue;
		ret = bar_map(f, i, a);
		if (ret)
			log_guest_error_once("pci 00:%02x.0 (%s): BAR%u at 0x%llx overlaps %s: left unmapped",
					     f->slot, f->name, i,
					     (unsigned long long)a,
					     ret == -EADDRINUSE ? "guest RAM"
								: "another device");
	}
}

uint64_t pci_bar_address(const struct pci_function *f, unsigned int bar)
{
	if (bar >= PCI_NUM_BARS || !f->bars[bar].mapped)
		return 0;
	return f->bars[bar].addr;
}

/* ---- INTx ---- */

static void intx_update(struct pci_function *f)
{
	unsigned int pin = f->config[PCI_INTERRUPT_PIN], gsi, idx;
	uint16_t status = cfg_w(f, PCI_STATUS);
	bool line_before, line_after, assert;

	if (f->intx_level)
		status |= PCI_STATUS_INTERRUPT;
	else
		status &= ~PCI_STATUS_INTERRUPT;
	set_w(f->config, PCI_STATUS, status);
	if (!host || f->slot < 0 || !pin)
		return;
	assert = f->intx_level &&
		 !(cfg_w(f, PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE) &&
		 !pci_msix_enabled(f);
	gsi = pci_intx_gsi(f->slot, pin);
	idx = gsi == PCI_INTX_GSI_LOW ? 0 : 1;
	line_before = host->intx_asserted[idx] != 0;
	if (assert)
		host->intx_asserted[idx] |= 1u << f->slot;
	else
		host->intx_asserted[idx] &= ~(1u << f->slot);
	line_after = host->intx_asserted[idx] != 0;
	if (line_before != line_after)
		vm_set_irq(host->vm, gsi, line_after);
}

void pci_set_irq(struct pci_function *f, int level)
{
	f->intx_level = !!level;
	intx_update(f);
}

/* ---- MSI-X ---- */

static uint16_t msix_control(const struct pci_function *f)
{
	return cfg_w(f, f->msix->cap + PCI_MSIX_FLAGS);
}

bool pci_msix_enabled(const struct pci_function *f)
{
	return f->msix && (msix_control(f) & PCI_MSIX_FLAGS_ENABLE);
}

static uint8_t *msix_entry(const struct pci_function *f, unsigned int vec)
{
	return f->msix->table + vec * PCI_MSIX_ENTRY_SIZE;
}

static bool msix_masked(const struct pci_function *f, unsigned int vec)
{
	return (msix_control(f) & PCI_MSIX_FLAGS_MASKALL) ||
	       (msix_entry(f, vec)[12] & PCI_MSIX_ENTRY_CTRL_MASK);
}

bool pci_msix_vector(const struct pci_function *f, unsigned int vec,
		     uint64_t *addr, uint32_t *data)
{
	const uint8_t *e;

	if (!f->msix || vec >= f->msix->nvec)
		return true;
	e = msix_entry(f, vec);
	*addr = (uint64_t)(e[0] | e[1] << 8 | e[2] << 16 | (uint32_t)e[3] << 24) |
		(uint64_t)(e[4] | e[5] << 8 | e[6] << 16 | (uint32_t)e[7] << 24) << 32;
	*data = e[8] | e[9] << 8 | e[10] << 16 | (uint32_t)e[11] << 24;
	return msix_masked(f, vec);
}

static bool msix_pending(const struct pci_function *f, unsigned int vec)
{
	return f->msix->pba[vec / 64] & (1ULL << (vec % 64));
}

static void msix_set_pending(struct pci_function *f, unsigned int vec,
			     bool on)
{
	if (on)
		f->msix->pba[vec / 64] |= 1ULL << (vec % 64);
	else
		f->msix->pba[vec / 64] &= ~(1ULL << (vec % 64));
}

static int msix_send(struct pci_function *f, unsigned int vec)
{
	uint64_t addr = 0;
	uint32_t data = 0;

	pci_msix_vector(f, vec, &addr, &data);
	return vm_send_msi(f->vm, addr, data);
}

int pci_msix_notify(struct pci_function *f, unsigned int vec)
{
	if (!f->msix || vec >= f->msix->nvec)
		return -EINVAL;
	if (!pci_msix_enabled(f))
		return -ENODEV;
	if (msix_masked(f, vec)) {
		msix_set_pending(f, vec, true);
		return 0;
	}
	return msix_send(f, vec);
}

/* Send what became deliverable: pending and no longer masked. */
static void msix_flush_pending(struct pci_function *f, unsigned int first,
			       unsigned int end)
{
	if (!pci_msix_enabled(f))
		return;
	for (unsigned int v = first; v < end; v++) {
		if (msix_pending(f, v) && !msix_masked(f, v)) {
			msix_set_pending(f, v, false);
			msix_send(f, v);
		}
	}
}

static void msix_control_written(struct pci_function *f, uint16_t old)
{
	uint16_t now = msix_control(f);

	if (now == old)
		return;
	msix_flush_pending(f, 0, f->msix->nvec);
	/* MSI-X enabled means INTx is not used. */
	intx_update(f);
	if (f->msix_changed)
		f->msix_changed(f, -1);
}

static void msix_table_write(struct pci_function *f, uint64_t rel,
			     const uint8_t *data, uint32_t len)
{
	unsigned int first = rel / PCI_MSIX_ENTRY_SIZE;
	unsigned int last = (rel + len - 1) / PCI_MSIX_ENTRY_SIZE;

	for (uint32_t i = 0; i < len; i++) {
		uint64_t o = rel + i;
		unsigned int field = o % PCI_MSIX_ENTRY_SIZE;
		uint8_t *p = f->msix->table + o;

		/* Vector control: only the mask bit exists. */
		if (field == 12)
			*p = data[i] & PCI_MSIX_ENTRY_CTRL_MASK;
		else if (field < 12)
			*p = data[i];
	}
	msix_flush_pending(f, first, last + 1);
	if (f->msix_changed)
		for (unsigned int v = first; v <= last; v++)
			f->msix_changed(f, v);
}

static void msix_bar_io(void *opaque, uint64_t offset, uint8_t *data,
			uint32_t len, bool is_write)
{
	struct pci_bar *b = opaque;
	struct pci_function *f = b->owner;
	struct pci_msix *m = f->msix;
	uint64_t table_len = (uint64_t)m->nvec * PCI_MSIX_ENTRY_SIZE;
	uint64_t pba_len = (m->nvec + 63) / 64 * 8;

	if (offset >= m->table_off && offset - m->table_off < table_len) {
		uint64_t rel = offset - m->table_off;

		if (len > table_len - rel) {
			if (!is_write)
				memset(data, 0xff, len);
		} else if (is_write) {
			msix_table_write(f, rel, data, len);
		} else {
			memcpy(data, m->table + rel, len);
		}
		return;
	}
	if (offset >= m->pba_off && offset - m->pba_off < pba_len) {
		uint64_t rel = offset - m->pba_off;

		/* Read-only; bytes past the end read as ones. */
		if (is_write)
			return;
		for (uint32_t i = 0; i < len; i++)
			data[i] = rel + i < pba_len ?
					  m->pba[(rel + i) / 8] >> (8 * ((rel + i) % 8))
					: 0xff;
		return;
	}
	if (b->fn)
		b->fn(b->opaque, offset, data, len, is_write);
	else if (!is_write)
		memset(data, 0xff, len);
}

int pci_msix_init(struct pci_function *f, unsigned int nvec, unsigned int bar,
		  uint32_t table_off, uint32_t pba_off)
{
	uint64_t table_len = (uint64_t)nvec * PCI_MSIX_ENTRY_SIZE;
	uint64_t pba_len = (nvec + 63) / 64 * 8;
	struct pci_msix *m;
	int cap;

	if (!nvec || nvec > PCI_MSIX_MAX_VECTORS || bar >= PCI_NUM_BARS ||
	    f->msix || f->slot >= 0)
		return -EINVAL;
	if (!f->bars[bar].size || bar_is_io(&f->bars[bar]) ||
	    (table_off & 7) || (pba_off & 7) ||
	    table_off + table_len > f->bars[bar].size ||
	    pba_off + pba_len > f->bars[bar].size ||
	    (table_off < pba_off + pba_len && pba_off < table_off + table_len))
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->table = calloc(nvec, PCI_MSIX_ENTRY_SIZE);
	m->pba = calloc(pba_len / 8, sizeof(uint64_t));
	cap = pci_add_capability(f, PCI_CAP_ID_MSIX, PCI_MSIX_CAP_SIZE);
	if (!m->table || !m->pba || cap < 0) {
		free(m->table);
		free(m->pba);
		free(m);
		return cap < 0 ? cap : -ENOMEM;
	}
	m->nvec = nvec;
	m->cap = cap;
	m->bar = bar;
	m->table_off = table_off;
	m->pba_off = pba_off;
	/* Every vector starts masked. */
	for (unsigned int v = 0; v < nvec; v++)
		m->table[v * PCI_MSIX_ENTRY_SIZE + 12] = PCI_MSIX_ENTRY_CTRL_MASK;
	set_w(f->config, cap + PCI_MSIX_FLAGS, nvec - 1);
	f->wmask[cap + PCI_MSIX_FLAGS + 1] =
		(PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL) >> 8;
	set_l(f->config, cap + PCI_MSIX_TABLE, table_off | bar);
	set_l(f->config, cap + PCI_MSIX_PBA, pba_off | bar);
	f->msix = m;
	return 0;
}

static void msix_free(struct pci_function *f)
{
	if (!f->msix)
		return;
	free(f->msix->table);
	free(f->msix->pba);
	free(f->msix);
	f->msix = NULL;
}

/* ---- the allocator ---- */

void pci_allocator_init(struct pci_allocator *a)
{
	a->mem_next = MEM_PCI_MMIO_BASE;
	a->mem_end = MEM_PCI_MMIO_END;
	a->io_next = PCI_IO_ALLOC_BASE;
	a->io_end = PCI_IO_ALLOC_END;
}

int pci_allocate(struct pci_allocator *a, uint8_t flags, uint64_t size,
		 uint64_t *addr)
{
	uint64_t align, base;

	if (!is_pow2(size))
		return -EINVAL;
	if (flags & PCI_BAR_IO) {
		base = ((uint64_t)a->io_next + size - 1) & ~(size - 1);
		if (base > a->io_end || size > a->io_end - base)
			return -ENOSPC;
		a->io_next = base + size;
	} else {
		align = size < PCI_MEM_BAR_MIN_ALIGN ? PCI_MEM_BAR_MIN_ALIGN
						     : size;
		base = (a->mem_next + align - 1) & ~(align - 1);
		if (base < a->mem_next || base > a->mem_end ||
		    size > a->mem_end - base)
			return -ENOSPC;
		a->mem_next = base + size;
	}
	*addr = base;
	return 0;
}

/* ---- registration ---- */

static void place_bar(struct pci_function *f, unsigned int i, uint64_t addr)
{
	unsigned int off = PCI_BASE_ADDRESS_0 + 4 * i;
	struct pci_bar *b = &f->bars[i];

	set_l(f->config, off, (uint32_t)addr | b->flags);
	if (b->flags & PCI_BAR_MEM64)
		set_l(f->config, off + 4, addr >> 32);
}

void pci_unregister_function(struct pci_function *f)
{
	if (f->slot >= 0 && host && host->slots[f->slot] == f) {
		f->intx_level = 0;
		intx_update(f);
		for (unsigned int i = 0; i < PCI_NUM_BARS; i++)
			bar_unmap(f, i);
		host->slots[f->slot] = NULL;
	}
	f->slot = -1;
	msix_free(f);
}

/* What firmware does at boot: addresses, interrupt line, decoding on. */
static int firmware_setup(struct pci_function *f)
{
	uint16_t cmd = 0;
	uint64_t addr;
	int ret;

	for (unsigned int i = 0; i < PCI_NUM_BARS; i++) {
		struct pci_bar *b = &f->bars[i];

		if (!b->size)
			continue;
		ret = pci_allocate(&host->alloc, b->flags, b->size, &addr);
		if (ret) {
			log_error("pci 00:%02x.0 (%s): no room for BAR%u (%llu bytes) in the PCI %s window",
				  f->slot, f->name, i,
				  (unsigned long long)b->size,
				  bar_is_io(b) ? "I/O" : "memory");
			return ret;
		}
		place_bar(f, i, addr);
		cmd |= bar_is_io(b) ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY;
	}
	if (f->config[PCI_INTERRUPT_PIN])
		f->config[PCI_INTERRUPT_LINE] =
			pci_intx_gsi(f->slot, f->config[PCI_INTERRUPT_PIN]);
	set_w(f->config, PCI_COMMAND, cfg_w(f, PCI_COMMAND) | cmd);
	for (unsigned int i = 0; i < PCI_NUM_BARS; i++) {
		if (!f->bars[i].size)
			continue;
		if (!bar_target(f, i, &addr))
			return -EINVAL;
		ret = bar_map(f, i, addr);
		if (ret) {
			log_error("pci 00:%02x.0 (%s): BAR%u at 0x%llx: %s",
				  f->slot, f->name, i, (unsigned long long)addr,
				  strerror(-ret));
			return ret;
		}
	}
	return 0;
}

int pci_register_function(struct vm *vm, struct pci_function *f, int slot)
{
	int ret;

	if (!host) {
		log_error("%s: there is no PCI host bridge", f->name);
		return -ENODEV;
	}
	if (slot < 0) {
		for (slot = 1; slot < PCI_SLOTS && host->slots[slot]; slot++)
			;
		if (slot == PCI_SLOTS) {
			log_error("%s: all %d PCI slots are taken", f->name,
				  PCI_SLOTS);
			return -ENOSPC;
		}
	} else if (slot >= PCI_SLOTS || host->slots[slot]) {
		log_error("%s: PCI slot %d is %s", f->name, slot,
			  slot >= PCI_SLOTS ? "out of range" : "taken");
		return -EBUSY;
	}
	f->vm = vm;
	f->slot = slot;
	host->slots[slot] = f;
	ret = firmware_setup(f);
	if (ret) {
		pci_unregister_function(f);
		return ret;
	}
	return 0;
}

/* ---- the host bridge ---- */

static struct pci_function *config_target(uint32_t addr)
{
	unsigned int bus = (addr >> 16) & 0xff, dev = (addr >> 11) & 0x1f;
	unsigned int fn = (addr >> 8) & 7;

	if (!(addr & 0x80000000u) || bus || fn)
		return NULL;
	return host->slots[dev];
}

/*
 * 0xCF8: the address register, dword accesses only (0xCF9 is the reset
 * control register, which interposes on this range).  0xCFC-0xCFF: data.
 */
static void host_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		    bool is_write)
{
	struct pci_host *h = opaque;
	struct pci_function *f;
	uint32_t reg;

	if (offset < 4) {
		if (offset == 0 && len == 4) {
			if (is_write)
				h->config_addr = io_data_get(data, 4) &
						 0x80ffffffu;
			else
				io_data_set(data, 4, h->config_addr);
		} else if (!is_write) {
			memset(data, 0xff, len);
		}
		return;
	}
	f = len <= 4 ? config_target(h->config_addr) : NULL;
	/*
	 * As QEMU (and kvm-unit-tests, which relies on it): the low two bits
	 * written to 0xCF8 select a byte within the dword, like the data port
	 * offset.  pci_config_read/write refuse what would run past 256.
	 */
	reg = (h->config_addr & 0xff) | (offset - 4);
	if (is_write) {
		if (f)
			pci_config_write(f, reg, len, io_data_get(data, len));
		return;
	}
	if (f)
		io_data_set(data, len, pci_config_read(f, reg, len));
	else
		memset(data, 0xff, len);
}

struct pci_function *pci_host_slot(unsigned int slot)
{
	return host && slot < PCI_SLOTS ? host->slots[slot] : NULL;
}

int pci_host_init(struct vm *vm)
{
	struct pci_host *h;
	int ret;

	if (host)
		return -EBUSY;
	h = calloc(1, sizeof(*h));
	if (!h) {
		log_error("pci: out of memory");
		return -ENOMEM;
	}
	h->vm = vm;
	pci_allocator_init(&h->alloc);
	pci_function_init(&h->bridge, "i440fx", PCI_HOST_VENDOR,
			  PCI_HOST_DEVICE, 0x060000, 0x02);
	set_w(h->bridge.config, PCI_COMMAND, PCI_COMMAND_MEMORY |
					     PCI_COMMAND_MASTER);
	h->bridge.vm = vm;
	h->bridge.slot = 0;
	h->slots[0] = &h->bridge;
	ret = bus_register(&pio_bus, PCI_CONFIG_ADDR_PORT, 8, host_io, h,
			   "pci-host");
	if (ret) {
		log_error("pci: ports 0x%x-0x%x: %s", PCI_CONFIG_ADDR_PORT,
			  PCI_CONFIG_ADDR_PORT + 7, strerror(-ret));
		free(h);
		return ret;
	}
	h->registered = true;
	host = h;
	return 0;
}

void pci_host_fini(void)
{
	struct pci_host *h = host;

	if (!h)
		return;
	/* Functions go first (their devices tear down before us). */
	for (unsigned int s = 1; s < PCI_SLOTS; s++)
		if (h->slots[s])
			pci_unregister_function(h->slots[s]);
	if (h->registered)
		bus_unregister(&pio_bus, PCI_CONFIG_ADDR_PORT);
	host = NULL;
	free(h);
}

static int pci_host_realize(struct vm *vm)
{
	return pci_host_init(vm);
}

static void pci_host_teardown(struct vm *vm)
{
	pci_host_fini();
}

static const struct device_ops pci_host_ops = {
	.name = "pci-host",
	.order = DEVICE_ORDER_PCI_HOST,
	.realize = pci_host_realize,
	.teardown = pci_host_teardown,
};

DEVICE_REGISTER(pci_host_ops);
