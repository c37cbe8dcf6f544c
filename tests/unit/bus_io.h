/* SPDX-License-Identifier: MIT */
/*
 * The guest's side of a device test: port and MMIO accesses through the
 * real buses, each CHECKed to reach a device (include after unit.h).
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

static inline uint32_t in(uint16_t port, uint32_t len)
{
	return bus_in(&pio_bus, port, len);
}

static inline void out(uint16_t port, uint32_t len, uint32_t v)
{
	bus_out(&pio_bus, port, len, v);
}

#endif
