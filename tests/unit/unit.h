/* SPDX-License-Identifier: MIT */
/*
 * A minimal unit-test kit: CHECK macros that count and report, and a summary
 * line.  Each tests/unit/test_*.c is its own program; tests/unit/test_unit.py
 * runs them all under pytest.
 */
#ifndef KVMRUN_UNIT_H
#define KVMRUN_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int unit_passed, unit_failed;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (cond) {                                                  \
			unit_passed++;                                       \
		} else {                                                     \
			unit_failed++;                                       \
			fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n",     \
				__FILE__, __LINE__, __func__, #cond);        \
		}                                                            \
	} while (0)

#define CHECK_EQ(a, b)                                                       \
	do {                                                                 \
		unsigned long long _a = (unsigned long long)(a);             \
		unsigned long long _b = (unsigned long long)(b);             \
		if (_a == _b) {                                              \
			unit_passed++;                                       \
		} else {                                                     \
			unit_failed++;                                       \
			fprintf(stderr,                                      \
				"%s:%d: %s: %s == %s failed: 0x%llx != 0x%llx\n", \
				__FILE__, __LINE__, __func__, #a, #b, _a, _b); \
		}                                                            \
	} while (0)

#define CHECK_STR(a, b)                                                      \
	do {                                                                 \
		const char *_a = (a), *_b = (b);                             \
		if (_a && _b && strcmp(_a, _b) == 0) {                       \
			unit_passed++;                                       \
		} else {                                                     \
			unit_failed++;                                       \
			fprintf(stderr, "%s:%d: %s: \"%s\" != \"%s\"\n",     \
				__FILE__, __LINE__, __func__,                \
				_a ? _a : "(null)", _b ? _b : "(null)");     \
		}                                                            \
	} while (0)

static inline int unit_report(void)
{
	printf("%d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

#endif
