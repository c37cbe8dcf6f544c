/* SPDX-License-Identifier: MIT */
/*
 * The command line: a subset of qemu-system-x86_64 7.2's options, with the
 * same spelling and meaning, parsed into a struct vm_config.
 */
#ifndef KVMRUN_OPTIONS_H
#define KVMRUN_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"

#ifndef KVMRUN_VERSION
#define KVMRUN_VERSION "0.1.0"
/*
 * -cpu MODEL[,+feat|-feat|feat=on|off|prop=value...] into cc (reset first).
 * 0, or -EINVAL after one error line.  options_cpu.c.
 */
int options_parse_cpu(struct cpu_config *cc, const char *arg);
/* QEMU's booleans: on/off, yes/no, true/false.  0 or -EINVAL. */
int options_parse_bool(const char *s, bool *out);
void options_cpu_defaults(struct cpu_config *cc);
int options_list_cpus(void);

#endif

#define OPTIONS_RUN 0		/* start the VM */
#define OPTIONS_EXIT_OK 1	/* help/version/listing printed: exit 0 */

/*
 * Parse argv into cfg (all of it is (re)initialised first).  No side effects
 * beyond printing: listings to stdout (then OPTIONS_EXIT_OK), or one error
 * line to stderr (then -EINVAL).  Reentrant: no global state.  String fields
 * of cfg point into argv, which must outlive cfg.
 */
int options_parse(int argc, char *const argv[], struct vm_config *cfg);
void options_usage(FILE *out);

/*
 * QEMU's size syntax ("512", "1.5G", "4k"); a plain number is MiB, as -m
 * reads it.  Exported for the unit tests.  0, -EINVAL or -ERANGE.
 */
int options_parse_size(const char *s, uint64_t *bytes);

/*
 * -cpu MODEL[,+feat|-feat|feat=on|off|prop=value...] into cc (reset first).
 * 0, or -EINVAL after one error line.  options_cpu.c.
 */
int options_parse_cpu(struct cpu_config *cc, const char *arg);
/* QEMU's booleans: on/off, yes/no, true/false.  0 or -EINVAL. */
int options_parse_bool(const char *s, bool *out);
void options_cpu_defaults(struct cpu_config *cc);
int options_list_cpus(void);

#endif
