// SPDX-License-Identifier: MIT
#include "memory.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct bus pio_bus = { .name = "pio" };
struct bus mmio_bus = { .name = "mmio" };

static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;

void bus_lock(void)
{
	pthread_mutex_lock(&big_lock);
}

void bus_unlock(void)
{
	pthread_mutex_unlock(&big_lock);
}

int guest_mem_layout(struct guest_mem *mem, uint64_t ram_size)
{
	uint64_t low = ram_size < MEM_LOW_MAX ? ram_size : MEM_LOW_MAX;

	memset(mem, 0, sizeof(*mem));
	if (ram_size == 0 || ram_size & 0xfff)
		return -EINVAL;
	mem->ram_size = ram_size;
	mem->regions[0] = (struct mem_region){ .gpa = 0, .size = low };
	mem->nr_regions = 1;
	if (ram_size > low) {
		mem->regions[1] = (struct mem_region){
			.gpa = MEM_HIGH_BASE,
			.size = ram_size - low,
		};
		mem->nr_regions = 2;
	}
	return 0;
}

int guest_mem_init(struct guest_mem *mem, uint64_t ram_size)
{
	uint64_t off = 0;
	void *p;
	int ret;

	ret = guest_mem_layout(mem, ram_size);
	if (ret)
		return ret;
	/* NORESERVE: a guest with -m 8G that touches 100 MiB costs 100 MiB. */
	p = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	madvise(p, ram_size, MADV_MERGEABLE);
	mem->base = p;
	for (unsigned int i = 0; i < mem->nr_regions; i++) {
		mem->regions[i].hva = mem->base + off;
		off += mem->regions[i].size;
	}
	return 0;
}

void guest_mem_free(struct guest_mem *mem)
{
	if (mem->base)
		munmap(mem->base, mem->ram_size);
	memset(mem, 0, sizeof(*mem));
}

static const struct mem_region *region_of(const struct guest_mem *mem,
					  uint64_t gpa)
{
	for (unsigned int i = 0; i < mem->nr_regions; i++) {
		const struct mem_region *r = &mem->regions[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size)
			return r;
	}
	return NULL;
}

uint64_t guest_ram_span(const struct guest_mem *mem, uint64_t gpa)
{
	const struct mem_region *r = region_of(mem, gpa);

	return r ? r->size - (gpa - r->gpa) : 0;
}

void *gpa_to_hva(const struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	const struct mem_region *r = region_of(mem, gpa);

	if (!r || len == 0 || !r->hva)
		return NULL;
	if (len > r->size - (gpa - r->gpa))
		return NULL;
	return r->hva + (gpa - r->gpa);
}

int guest_read(const struct guest_mem *mem, uint64_t gpa, void *buf,
	       uint64_t len)
{
	void *src;

	if (len == 0)
		return 0;
	src = gpa_to_hva(mem, gpa, len);
	if (!src)
		return -EFAULT;
	memcpy(buf, src, len);
	return 0;
}

int guest_write(const struct guest_mem *mem, uint64_t gpa, const void *buf,
		uint64_t len)
{
	void *dst;

	if (len == 0)
		return 0;
	dst = gpa_to_hva(mem, gpa, len);
	if (!dst)
		return -EFAULT;
	memcpy(dst, buf, len);
	return 0;
}

/* Index of the first range whose end is above addr. */
static unsigned int bus_lower_bound(const struct bus *bus, uint64_t addr)
{
	unsigned int lo = 0, hi = bus->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct bus_range *r = &bus->ranges[mid];

		if (r->base + (r->len - 1) < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int bus_register(struct bus *bus, uint64_t base, uint64_t len,
		 io_handler_fn fn, void *opaque, const char *name)
{
	unsigned int i;

	if (len == 0 || base + (len - 1) < base || !fn)
		return -EINVAL;
	i = bus_lower_bound(bus, base);
	if (i < bus->nr && bus->ranges[i].base <= base + (len - 1))
		return -EBUSY;
	if (bus->nr == bus->cap) {
		unsigned int cap = bus->cap ? bus->cap * 2 : 16;
		struct bus_range *n = realloc(bus->ranges, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		bus->ranges = n;
		bus->cap = cap;
	}
	memmove(&bus->ranges[i + 1], &bus->ranges[i],
		(bus->nr - i) * sizeof(*bus->ranges));
	bus->ranges[i] = (struct bus_range){
		.base = base, .len = len, .fn = fn, .opaque = opaque,
		.name = name,
	};
	bus->nr++;
	return 0;
}

int bus_unregister(struct bus *bus, uint64_t base)
{
	unsigned int i = bus_lower_bound(bus, base);

	if (i >= bus->nr || bus->ranges[i].base != base)
		return -ENOENT;
	memmove(&bus->ranges[i], &bus->ranges[i + 1],
		(bus->nr - i - 1) * sizeof(*bus->ranges));
	bus->nr--;
	return 0;
}

void bus_clear(struct bus *bus)
{
	free(bus->ranges);
	bus->ranges = NULL;
	bus->nr = bus->cap = 0;
}

const struct bus_range *bus_find(const struct bus *bus, uint64_t addr)
{
	unsigned int i = bus_lower_bound(bus, addr);

	if (i < bus->nr && bus->ranges[i].base <= addr)
		return &bus->ranges[i];
	return NULL;
}

/*
 * How many of the len bytes at addr the range r takes (0: r does not hold
 * addr).  Nothing past 2^64 - 1 belongs to any range.
 */
static uint32_t bus_chunk(const struct bus_range *r, uint64_t addr,
			  uint32_t len)
{
	uint64_t room;

	if (!r || addr < r->base || addr - r->base >= r->len)
		return 0;
	room = r->len - (addr - r->base);
	return room < len ? (uint32_t)room : len;
}

/*
 * An access that spans ranges is split at their edges, as QEMU's memory
 * core does: each device sees only its own bytes, and bytes no range holds
 * read as ones.
 */
bool bus_access(struct bus *bus, uint64_t addr, uint8_t *data, uint32_t len,
		bool is_write)
{
	bool claimed = false;
	uint32_t done, n;

	if (len == 0 || len > 8)
		return false;
	bus_lock();
	for (done = 0; done < len; done += n) {
		uint64_t a = addr + done;
		const struct bus_range *r;

		if (a < addr) {		/* wrapped past 2^64 - 1 */
			n = len - done;
			if (!is_write)
				memset(data + done, 0xff, n);
			continue;
		}
		r = bus_find(bus, a);
		n = bus_chunk(r, a, len - done);
		if (n) {
			r->fn(r->opaque, a - r->base, data + done, n, is_write);
			claimed = true;
			continue;
		}
		n = 1;
		if (!is_write)
			data[done] = 0xff;
	}
	bus_unlock();
	return claimed;
}
