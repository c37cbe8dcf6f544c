// SPDX-License-Identifier: MIT
#include "accel/accel.h"

#include <stddef.h>

const struct accel_ops *const accel_list[] = {
	&kvm_accel_ops,
	&qtest_accel_ops,
	NULL,
};

const struct accel_ops *accel_by_kind(enum accel_kind kind)
{
	for (unsigned int i = 0; accel_list[i]; i++)
		if (accel_list[i]->kind == kind)
			return accel_list[i];
	return NULL;
}
