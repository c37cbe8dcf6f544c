// SPDX-License-Identifier: MIT
/*
 * QEMU's isa-debug-exit: a write of v (any width) ends kvmrun with status
 * (v << 1) | 1, so a test guest's verdict becomes the exit status and can
 * never be mistaken for a plain 0.  Only with -device isa-debug-exit.
 */
#include <errno.h>
#include <string.h>

#include "config.h"
#include "device.h"
#include "memory.h"
#include "util/log.h"
#include "vm.h"

static bool registered;
static uint16_t registered_base;

static void debug_exit_io(void *opaque, uint64_t offset, uint8_t *data,
			  uint32_t len, bool is_write)
{
	uint64_t v;

	if (!is_write) {
		memset(data, 0, len);
		return;
	}
	v = io_data_get(data, len > 4 ? 4 : len);
	/* The low byte is what exit() keeps, as under QEMU. */
	vm_request_exit(opaque, (int)(uint32_t)((v << 1) | 1));
}

static int debug_exit_realize(struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;
	int ret;

	if (!cfg->debug_exit)
		return 0;
	if (!cfg->debug_exit_iosize ||
	    (uint32_t)cfg->debug_exit_iobase + cfg->debug_exit_iosize > 0x10000) {
		log_error("isa-debug-exit: iobase=0x%x,iosize=0x%x does not fit the I/O space",
			  cfg->debug_exit_iobase, cfg->debug_exit_iosize);
		return -EINVAL;
	}
	ret = bus_register(&pio_bus, cfg->debug_exit_iobase,
			   cfg->debug_exit_iosize, debug_exit_io, vm,
			   "isa-debug-exit");
	if (ret) {
		log_error("isa-debug-exit: ports 0x%x-0x%x: %s (another device uses them)",
			  cfg->debug_exit_iobase,
			  cfg->debug_exit_iobase + cfg->debug_exit_iosize - 1,
			  strerror(-ret));
		return ret;
	}
	registered = true;
	registered_base = cfg->debug_exit_iobase;
	return 0;
}

static void debug_exit_teardown(struct vm *vm)
{
	if (registered)
		bus_unregister(&pio_bus, registered_base);
	registered = false;
}

/* Not static: unit tests realize it directly. */
const struct device_ops debug_exit_device = {
	.name = "isa-debug-exit",
	.order = DEVICE_ORDER_PLATFORM,
	.realize = debug_exit_realize,
	.teardown = debug_exit_teardown,
};

DEVICE_REGISTER(debug_exit_device);
