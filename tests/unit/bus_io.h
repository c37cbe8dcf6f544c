/* SPDX-License-Identifier: MIT */
/*
 * The guest's side of a device test: port and MMIO accesses through the
 * real buses, each CHECKed to reach a device, or checked to reach none
 * (include after unit.h).
 * Reads start from a pattern, so a handler that fills nothing shows.
 */
#ifndef KVMRUN_TESTS_BUS_IO_H
#define KVMRUN_TESTS_BUS_IO_H

#include "memory.h"

static inline uint64_t bus_in(struct bus *bus, uint64_t addr, uint32_t len)
{
	uint8_t d[8];

	memset(d, 0xee, sizeof(d));
	CHECK(bus_access(bus, addr, d, len, false));
	return io_data_get(d, len);
}

static inline void bus_out(struct bus *bus, uint64_t addr, uint32_t len,
			   uint64_t v)
{
	uint8_t d[8] = { 0 };

	io_data_set(d, len, v);
	CHECK(bus_access(bus, addr, d, len, true));
}

/* Whether a read there reaches no device (it then reads as all ones). */
static inline bool bus_unclaimed(struct bus *bus, uint64_t addr, uint32_t len)
{
	uint64_t ones = len >= 8 ? ~0ULL : (1ULL << 8 * len) - 1;
	uint8_t d[8];

	return !bus_access(bus, addr, d, len, false) &&
	       io_data_get(d, len) == ones;
}

static inline uint32_t in(uint16_t port, uint32_t len)
{
	return bus_in(&pio_bus, port, len);
}

static inline void out(uint16_t port, uint32_t len, uint32_t v)
{
	bus_out(&pio_bus, port, len, v);
}

static inline uint64_t mmio_read(uint64_t addr, uint32_t len)
{
	return bus_in(&mmio_bus, addr, len);
}

static inline void mmio_write(uint64_t addr, uint32_t len, uint64_t v)
{
	bus_out(&mmio_bus, addr, len, v);
}

/* PCI configuration mechanism #1 (0xCF8/0xCFC), bus 0, function 0. */
static inline uint32_t cfg_addr(unsigned int slot, unsigned int reg)
{
	return 0x80000000u | slot << 11 | (reg & 0xfc);
}

static inline uint32_t cfg_read(unsigned int slot, unsigned int reg,
				uint32_t len)
{
	out(0xcf8, 4, cfg_addr(slot, reg));
	return in(0xcfc + (reg & 3), len);
}

static inline void cfg_write(unsigned int slot, unsigned int reg,
			     uint32_t len, uint32_t v)
{
	out(0xcf8, 4, cfg_addr(slot, reg));
	out(0xcfc + (reg & 3), len, v);
}

#endif
