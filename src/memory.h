/* SPDX-License-Identifier: MIT */
/*
 * Guest physical memory: the RAM layout, the one checked gpa -> hva
 * translation every access by kvmrun goes through, and the port-I/O and MMIO
 * buses that route guest accesses to device handlers.
 */
#ifndef KVMRUN_MEMORY_H
#define KVMRUN_MEMORY_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * RAM up to MEM_LOW_MAX sits at guest-physical 0; the rest starts at 4 GiB,
 * leaving [MEM_LOW_MAX, 4 GiB) for 32-bit MMIO (PCI BARs, IOAPIC, LAPIC).
 */
#define MEM_LOW_MAX (3ULL << 30)
#define MEM_HIGH_BASE (4ULL << 30)
#define MEM_MMIO_HOLE_BASE MEM_LOW_MAX
#define MEM_PCI_MMIO_BASE 0xC0000000ULL
#define MEM_PCI_MMIO_END 0xFEC00000ULL	/* exclusive: IOAPIC above */
#define MEM_IOAPIC_BASE 0xFEC00000ULL
#define MEM_LAPIC_BASE 0xFEE00000ULL

#define MEM_MAX_REGIONS 2

struct mem_region {
	uint64_t gpa;
	uint64_t size;
	uint8_t *hva;
};

struct guest_mem {
	uint8_t *base;		/* the whole anonymous mapping */
	uint64_t ram_size;
	unsigned int nr_regions;
	struct mem_region regions[MEM_MAX_REGIONS];
};

/* Lay out regions for ram_size bytes (no mapping: pure, unit-testable). */
int guest_mem_layout(struct guest_mem *mem, uint64_t ram_size);
/* Lay out and map anonymous memory for ram_size bytes. */
int guest_mem_init(struct guest_mem *mem, uint64_t ram_size);
void guest_mem_free(struct guest_mem *mem);

/*
 * The host address of [gpa, gpa + len) when the whole range is RAM inside
 * one region, else NULL.  Overflow-safe; len 0 is refused.
 */
void *gpa_to_hva(const struct guest_mem *mem, uint64_t gpa, uint64_t len);
/* Copy in or out of guest RAM; -EFAULT when any byte is not RAM. */
int guest_read(const struct guest_mem *mem, uint64_t gpa, void *buf, uint64_t len);
int guest_write(const struct guest_mem *mem, uint64_t gpa, const void *buf, uint64_t len);
/* Bytes of RAM from gpa to the end of its region (0 when gpa is not RAM). */
uint64_t guest_ram_span(const struct guest_mem *mem, uint64_t gpa);

/*
 * Buses.  A handler sees the offset into its range; for a read it fills data
 * (len 1..8 bytes), for a write it consumes it.  Handlers run on vCPU threads
 * (or the qtest thread) with the bus lock held, so devices need no lock of
 * their own against other guest accesses; back ends on other threads take
 * bus_lock() around their state changes.
 */
typedef void (*io_handler_fn)(void *opaque, uint64_t offset, uint8_t *data,
			       uint32_t len, bool is_write);

struct bus_range {
	uint64_t base;
	uint64_t len;
	io_handler_fn fn;
	void *opaque;
	const char *name;
};

struct bus {
	const char *name;
	struct bus_range *ranges;	/* sorted by base, never overlapping */
	unsigned int nr, cap;
};

extern struct bus pio_bus;
extern struct bus mmio_bus;

/* -EBUSY on overlap, -EINVAL on an empty or wrapping range. */
int bus_register(struct bus *bus, uint64_t base, uint64_t len,
		 io_handler_fn fn, void *opaque, const char *name);
int bus_unregister(struct bus *bus, uint64_t base);
void bus_clear(struct bus *bus);
/* The range containing addr, or NULL. */
const struct bus_range *bus_find(const struct bus *bus, uint64_t addr);
/*
 * Dispatch one guest access, split at range edges; unclaimed bytes read as
 * ones, and writes to them are dropped.  Returns false when no byte was
 * claimed.  Takes the bus lock.
 */
bool bus_access(struct bus *bus, uint64_t addr, uint8_t *data, uint32_t len,
		bool is_write);

/* The big device lock (like QEMU's BQL): held during every dispatch. */
void bus_lock(void);
void bus_unlock(void);

/* Little-endian helpers for device registers. */
static inline uint64_t io_data_get(const uint8_t *data, uint32_t len)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < len && i < 8; i++)
		v |= (uint64_t)data[i] << (8 * i);
	return v;
}

static inline void io_data_set(uint8_t *data, uint32_t len, uint64_t v)
{
	for (uint32_t i = 0; i < len && i < 8; i++)
		data[i] = v >> (8 * i);
}

#endif
