// SPDX-License-Identifier: MIT
#include "device.h"

#include <stdlib.h>

#define MAX_DEVICE_OPS 64

static const struct device_ops *registry[MAX_DEVICE_OPS];
static unsigned int nr_registered, nr_realized;

/* Called from constructors, before main(): keep the table sorted by order. */
void device_register(const struct device_ops *ops)
{
	unsigned int i;

	if (nr_registered == MAX_DEVICE_OPS)
		abort();
	i = nr_registered++;
	while (i > 0 && registry[i - 1]->order > ops->order) {
		registry[i] = registry[i - 1];
		i--;
	}
	registry[i] = ops;
}

int devices_realize(struct vm *vm)
{
	int ret;

	for (nr_realized = 0; nr_realized < nr_registered; nr_realized++) {
		const struct device_ops *ops = registry[nr_realized];

		if (!ops->realize)
			continue;
		ret = ops->realize(vm);
		if (ret) {
			devices_teardown(vm);
			return ret;
		}
	}
	return 0;
}

void devices_reset(struct vm *vm)
{
	for (unsigned int i = 0; i < nr_realized; i++)
		if (registry[i]->reset)
			registry[i]->reset(vm);
}

/* Reverse order, so a PCI function goes before its host bridge. */
void devices_teardown(struct vm *vm)
{
	while (nr_realized > 0) {
		const struct device_ops *ops = registry[--nr_realized];

		if (ops->teardown)
			ops->teardown(vm);
	}
}
