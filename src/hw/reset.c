// SPDX-License-Identifier: MIT
/*
 * The PIIX/ICH reset control register at port 0xCF9, the FADT's RESET_REG.
 * As QEMU's: a write with RST_CPU (bit 2) set resets the machine; any other
 * write latches SYS_RST (bit 1), which a read returns.  Linux's reboot=pci
 * writes 0x02 then 0x06; ACPI's reset writes 0x06.
 *
 * 0xCF9 sits inside the PCI configuration-address dword at 0xCF8.  When
 * the PCI host bridge has claimed a range covering 0xCF9 (it realizes
 * before us), the bus cannot hold both, so this device takes the range
 * over and passes every access except a byte at 0xCF9 on to the owner's
 * handler -- the same split as QEMU's overlapping RCR region -- and gives
 * the range back at teardown.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "memory.h"
#include "util/log.h"
#include "vm.h"
#include "x86/acpi.h"

struct reset_control {
	struct vm *vm;
	uint8_t rcr;
	bool shared;			/* interposed on the range below */
	struct bus_range owner;		/* the range we took over */
};

static struct reset_control *rc_state;

static void rcr_write(struct reset_control *rc, uint8_t v)
{
	if (v & RCR_RST_CPU) {
		rc->rcr = 0;
		vm_request_reset(rc->vm);
		return;
	}
	rc->rcr = v & RCR_SYS_RST;
}

static void rcr_io(void *opaque, uint64_t offset, uint8_t *data,
		   uint32_t len, bool is_write)
{
	struct reset_control *rc = opaque;

	if (is_write) {
		rcr_write(rc, data[0]);
		return;
	}
	memset(data, 0, len);
	data[0] = rc->rcr;
}

static void rcr_shared_io(void *opaque, uint64_t offset, uint8_t *data,
			  uint32_t len, bool is_write)
{
	struct reset_control *rc = opaque;
	uint64_t port = rc->owner.base + offset;

	if (port == ACPI_RESET_PORT && len == 1) {
		rcr_io(rc, 0, data, len, is_write);
		return;
	}
	rc->owner.fn(rc->owner.opaque, offset, data, len, is_write);
}

static int rcr_take_over(struct reset_control *rc, const struct bus_range *r)
{
	int ret;

	rc->owner = *r;
	bus_unregister(&pio_bus, rc->owner.base);
	ret = bus_register(&pio_bus, rc->owner.base, rc->owner.len,
			   rcr_shared_io, rc, rc->owner.name);
	if (ret) {
		bus_register(&pio_bus, rc->owner.base, rc->owner.len,
			     rc->owner.fn, rc->owner.opaque, rc->owner.name);
		return ret;
	}
	rc->shared = true;
	return 0;
}

static int reset_control_realize(struct vm *vm)
{
	const struct bus_range *r;
	struct reset_control *rc;
	int ret;

	rc = calloc(1, sizeof(*rc));
	if (!rc) {
		log_error("reset control: out of memory");
		return -ENOMEM;
	}
	rc->vm = vm;
	r = bus_find(&pio_bus, ACPI_RESET_PORT);
	if (r)
		ret = rcr_take_over(rc, r);
	else
		ret = bus_register(&pio_bus, ACPI_RESET_PORT, 1, rcr_io, rc,
				   "reset-control");
	if (ret) {
		log_error("reset control: cannot claim port 0x%x: %s",
			  ACPI_RESET_PORT, strerror(-ret));
		free(rc);
		return ret;
	}
	rc_state = rc;
	return 0;
}

static void reset_control_reset(struct vm *vm)
{
	if (rc_state)
		rc_state->rcr = 0;
}

static void reset_control_teardown(struct vm *vm)
{
	struct reset_control *rc = rc_state;
	const struct bus_range *r;

	if (!rc)
		return;
	if (!rc->shared) {
		bus_unregister(&pio_bus, ACPI_RESET_PORT);
	} else {
		/* Give the range back only if it is still ours. */
		r = bus_find(&pio_bus, rc->owner.base);
		if (r && r->fn == rcr_shared_io && r->opaque == rc) {
			bus_unregister(&pio_bus, rc->owner.base);
			bus_register(&pio_bus, rc->owner.base, rc->owner.len,
				     rc->owner.fn, rc->owner.opaque,
				     rc->owner.name);
		}
	}
	free(rc);
	rc_state = NULL;
}

/* After the PCI host bridge, so an overlapping 0xCF8 range already exists. */
const struct device_ops reset_control_device = {
	.name = "reset-control",
	.order = DEVICE_ORDER_PCI_HOST + 1,
	.realize = reset_control_realize,
	.reset = reset_control_reset,
	.teardown = reset_control_teardown,
};
DEVICE_REGISTER(reset_control_device);
