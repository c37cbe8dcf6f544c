/* SPDX-License-Identifier: MIT */
/*
 * -cpu MODEL[,+feat|-feat|feat=on|off|prop=value...]: QEMU's CPU models and
 * feature names.
 */
#ifndef KVMRUN_X86_CPU_MODEL_H
#define KVMRUN_X86_CPU_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cpuid_reg { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };

/* One CPUID feature bit, by the name QEMU gives it ("sse4.2", "x2apic"). */
struct cpu_feature {
	const char *name;
	uint32_t leaf;
	uint32_t subleaf;
	uint8_t reg;		/* enum cpuid_reg */
	uint8_t bit;
};

/*
 * Look a feature up by name: QEMU's spelling, its legacy aliases ("sse3",
 * "sse4_1", "xd", "i64"), '_' and '-' alike.  NULL if unknown.
 */
const struct cpu_feature *cpu_feature_find(const char *name, size_t len);
extern const struct cpu_feature cpu_features[];
extern const unsigned int cpu_features_count;

/* A named model, as QEMU's CPU model table of the same name defines it. */
struct cpu_model_def {
	const char *name;		/* "qemu64", "IvyBridge", "Opteron_G1" */
	const char *vendor;		/* "GenuineIntel" or "AuthenticAMD" */
	unsigned int family;
	unsigned int model;
	unsigned int stepping;
	uint32_t level;			/* highest basic leaf */
	uint32_t xlevel;		/* highest extended leaf */
	const char *model_id;		/* brand string, at most 48 chars */
	const char *features;		/* feature names, space separated */
};

extern const struct cpu_model_def cpu_model_defs[];
extern const unsigned int cpu_model_defs_count;
const struct cpu_model_def *cpu_model_def_find(const char *name, size_t len);

#endif
