// SPDX-License-Identifier: MIT
/*
 * CPU models for -cpu: QEMU's CPUID feature names and the lookups over them
 * and over the model table (cpu_models.c, generated).  accel/kvm_cpu_model.c
 * turns a model into CPUID under KVM.
 */
#include "x86/cpu_model.h"

#include <string.h>

/* Feature names as QEMU spells them; bits as Intel's SDM and AMD's APM. */
const struct cpu_feature cpu_features[] = {
	{ "fpu", 0x1, 0, CPUID_EDX, 0 },
	{ "vme", 0x1, 0, CPUID_EDX, 1 },
	{ "de", 0x1, 0, CPUID_EDX, 2 },
	{ "pse", 0x1, 0, CPUID_EDX, 3 },
	{ "tsc", 0x1, 0, CPUID_EDX, 4 },
	{ "msr", 0x1, 0, CPUID_EDX, 5 },
	{ "pae", 0x1, 0, CPUID_EDX, 6 },
	{ "mce", 0x1, 0, CPUID_EDX, 7 },
	{ "cx8", 0x1, 0, CPUID_EDX, 8 },
	{ "apic", 0x1, 0, CPUID_EDX, 9 },
	{ "sep", 0x1, 0, CPUID_EDX, 11 },
	{ "mtrr", 0x1, 0, CPUID_EDX, 12 },
	{ "pge", 0x1, 0, CPUID_EDX, 13 },
	{ "mca", 0x1, 0, CPUID_EDX, 14 },
	{ "cmov", 0x1, 0, CPUID_EDX, 15 },
	{ "pat", 0x1, 0, CPUID_EDX, 16 },
	{ "pse36", 0x1, 0, CPUID_EDX, 17 },
	{ "pn", 0x1, 0, CPUID_EDX, 18 },
	{ "clflush", 0x1, 0, CPUID_EDX, 19 },
	{ "ds", 0x1, 0, CPUID_EDX, 21 },
	{ "acpi", 0x1, 0, CPUID_EDX, 22 },
	{ "mmx", 0x1, 0, CPUID_EDX, 23 },
	{ "fxsr", 0x1, 0, CPUID_EDX, 24 },
	{ "sse", 0x1, 0, CPUID_EDX, 25 },
	{ "sse2", 0x1, 0, CPUID_EDX, 26 },
	{ "ss", 0x1, 0, CPUID_EDX, 27 },
	{ "ht", 0x1, 0, CPUID_EDX, 28 },
	{ "tm", 0x1, 0, CPUID_EDX, 29 },
	{ "ia64", 0x1, 0, CPUID_EDX, 30 },
	{ "pbe", 0x1, 0, CPUID_EDX, 31 },
	{ "pni", 0x1, 0, CPUID_ECX, 0 },
	{ "pclmulqdq", 0x1, 0, CPUID_ECX, 1 },
	{ "dtes64", 0x1, 0, CPUID_ECX, 2 },
	{ "monitor", 0x1, 0, CPUID_ECX, 3 },
	{ "ds-cpl", 0x1, 0, CPUID_ECX, 4 },
	{ "vmx", 0x1, 0, CPUID_ECX, 5 },
	{ "smx", 0x1, 0, CPUID_ECX, 6 },
	{ "est", 0x1, 0, CPUID_ECX, 7 },
	{ "tm2", 0x1, 0, CPUID_ECX, 8 },
	{ "ssse3", 0x1, 0, CPUID_ECX, 9 },
	{ "cid", 0x1, 0, CPUID_ECX, 10 },
	{ "fma", 0x1, 0, CPUID_ECX, 12 },
	{ "cx16", 0x1, 0, CPUID_ECX, 13 },
	{ "xtpr", 0x1, 0, CPUID_ECX, 14 },
	{ "pdcm", 0x1, 0, CPUID_ECX, 15 },
	{ "pcid", 0x1, 0, CPUID_ECX, 17 },
	{ "dca", 0x1, 0, CPUID_ECX, 18 },
	{ "sse4.1", 0x1, 0, CPUID_ECX, 19 },
	{ "sse4.2", 0x1, 0, CPUID_ECX, 20 },
	{ "x2apic", 0x1, 0, CPUID_ECX, 21 },
	{ "movbe", 0x1, 0, CPUID_ECX, 22 },
	{ "popcnt", 0x1, 0, CPUID_ECX, 23 },
	{ "tsc-deadline", 0x1, 0, CPUID_ECX, 24 },
	{ "aes", 0x1, 0, CPUID_ECX, 25 },
	{ "xsave", 0x1, 0, CPUID_ECX, 26 },
	{ "avx", 0x1, 0, CPUID_ECX, 28 },
	{ "f16c", 0x1, 0, CPUID_ECX, 29 },
	{ "rdrand", 0x1, 0, CPUID_ECX, 30 },
	{ "hypervisor", 0x1, 0, CPUID_ECX, 31 },
	{ "arat", 0x6, 0, CPUID_EAX, 2 },
	{ "fsgsbase", 0x7, 0, CPUID_EBX, 0 },
	{ "tsc-adjust", 0x7, 0, CPUID_EBX, 1 },
	{ "sgx", 0x7, 0, CPUID_EBX, 2 },
	{ "bmi1", 0x7, 0, CPUID_EBX, 3 },
	{ "hle", 0x7, 0, CPUID_EBX, 4 },
	{ "avx2", 0x7, 0, CPUID_EBX, 5 },
	{ "fdp-excptn-only", 0x7, 0, CPUID_EBX, 6 },
	{ "smep", 0x7, 0, CPUID_EBX, 7 },
	{ "bmi2", 0x7, 0, CPUID_EBX, 8 },
	{ "erms", 0x7, 0, CPUID_EBX, 9 },
	{ "invpcid", 0x7, 0, CPUID_EBX, 10 },
	{ "rtm", 0x7, 0, CPUID_EBX, 11 },
	{ "zero-fcs-fds", 0x7, 0, CPUID_EBX, 13 },
	{ "mpx", 0x7, 0, CPUID_EBX, 14 },
	{ "avx512f", 0x7, 0, CPUID_EBX, 16 },
	{ "avx512dq", 0x7, 0, CPUID_EBX, 17 },
	{ "rdseed", 0x7, 0, CPUID_EBX, 18 },
	{ "adx", 0x7, 0, CPUID_EBX, 19 },
	{ "smap", 0x7, 0, CPUID_EBX, 20 },
	{ "avx512ifma", 0x7, 0, CPUID_EBX, 21 },
	{ "pcommit", 0x7, 0, CPUID_EBX, 22 },
	{ "clflushopt", 0x7, 0, CPUID_EBX, 23 },
	{ "clwb", 0x7, 0, CPUID_EBX, 24 },
	{ "intel-pt", 0x7, 0, CPUID_EBX, 25 },
	{ "avx512pf", 0x7, 0, CPUID_EBX, 26 },
	{ "avx512er", 0x7, 0, CPUID_EBX, 27 },
	{ "avx512cd", 0x7, 0, CPUID_EBX, 28 },
	{ "sha-ni", 0x7, 0, CPUID_EBX, 29 },
	{ "avx512bw", 0x7, 0, CPUID_EBX, 30 },
	{ "avx512vl", 0x7, 0, CPUID_EBX, 31 },
	{ "avx512vbmi", 0x7, 0, CPUID_ECX, 1 },
	{ "umip", 0x7, 0, CPUID_ECX, 2 },
	{ "pku", 0x7, 0, CPUID_ECX, 3 },
	{ "waitpkg", 0x7, 0, CPUID_ECX, 5 },
	{ "avx512vbmi2", 0x7, 0, CPUID_ECX, 6 },
	{ "gfni", 0x7, 0, CPUID_ECX, 8 },
	{ "vaes", 0x7, 0, CPUID_ECX, 9 },
	{ "vpclmulqdq", 0x7, 0, CPUID_ECX, 10 },
	{ "avx512vnni", 0x7, 0, CPUID_ECX, 11 },
	{ "avx512bitalg", 0x7, 0, CPUID_ECX, 12 },
	{ "avx512-vpopcntdq", 0x7, 0, CPUID_ECX, 14 },
	{ "la57", 0x7, 0, CPUID_ECX, 16 },
	{ "rdpid", 0x7, 0, CPUID_ECX, 22 },
	{ "bus-lock-detect", 0x7, 0, CPUID_ECX, 24 },
	{ "cldemote", 0x7, 0, CPUID_ECX, 25 },
	{ "movdiri", 0x7, 0, CPUID_ECX, 27 },
	{ "movdir64b", 0x7, 0, CPUID_ECX, 28 },
	{ "sgxlc", 0x7, 0, CPUID_ECX, 30 },
	{ "pks", 0x7, 0, CPUID_ECX, 31 },
	{ "avx512-4vnniw", 0x7, 0, CPUID_EDX, 2 },
	{ "avx512-4fmaps", 0x7, 0, CPUID_EDX, 3 },
	{ "fsrm", 0x7, 0, CPUID_EDX, 4 },
	{ "avx512-vp2intersect", 0x7, 0, CPUID_EDX, 8 },
	{ "md-clear", 0x7, 0, CPUID_EDX, 10 },
	{ "serialize", 0x7, 0, CPUID_EDX, 14 },
	{ "tsx-ldtrk", 0x7, 0, CPUID_EDX, 16 },
	{ "arch-lbr", 0x7, 0, CPUID_EDX, 19 },
	{ "amx-bf16", 0x7, 0, CPUID_EDX, 22 },
	{ "avx512-fp16", 0x7, 0, CPUID_EDX, 23 },
	{ "amx-tile", 0x7, 0, CPUID_EDX, 24 },
	{ "amx-int8", 0x7, 0, CPUID_EDX, 25 },
	{ "spec-ctrl", 0x7, 0, CPUID_EDX, 26 },
	{ "stibp", 0x7, 0, CPUID_EDX, 27 },
	{ "flush-l1d", 0x7, 0, CPUID_EDX, 28 },
	{ "arch-capabilities", 0x7, 0, CPUID_EDX, 29 },
	{ "core-capability", 0x7, 0, CPUID_EDX, 30 },
	{ "ssbd", 0x7, 0, CPUID_EDX, 31 },
	{ "sha512", 0x7, 1, CPUID_EAX, 0 },
	{ "sm3", 0x7, 1, CPUID_EAX, 1 },
	{ "sm4", 0x7, 1, CPUID_EAX, 2 },
	{ "avx-vnni", 0x7, 1, CPUID_EAX, 4 },
	{ "avx512-bf16", 0x7, 1, CPUID_EAX, 5 },
	{ "cmpccxadd", 0x7, 1, CPUID_EAX, 7 },
	{ "fzrm", 0x7, 1, CPUID_EAX, 10 },
	{ "fsrs", 0x7, 1, CPUID_EAX, 11 },
	{ "fsrc", 0x7, 1, CPUID_EAX, 12 },
	{ "fred", 0x7, 1, CPUID_EAX, 17 },
	{ "lkgs", 0x7, 1, CPUID_EAX, 18 },
	{ "wrmsrns", 0x7, 1, CPUID_EAX, 19 },
	{ "amx-fp16", 0x7, 1, CPUID_EAX, 21 },
	{ "avx-ifma", 0x7, 1, CPUID_EAX, 23 },
	{ "lam", 0x7, 1, CPUID_EAX, 26 },
	{ "avx-vnni-int8", 0x7, 1, CPUID_EDX, 4 },
	{ "avx-ne-convert", 0x7, 1, CPUID_EDX, 5 },
	{ "amx-complex", 0x7, 1, CPUID_EDX, 8 },
	{ "avx-vnni-int16", 0x7, 1, CPUID_EDX, 10 },
	{ "prefetchiti", 0x7, 1, CPUID_EDX, 14 },
	{ "xsaveopt", 0xd, 1, CPUID_EAX, 0 },
	{ "xsavec", 0xd, 1, CPUID_EAX, 1 },
	{ "xgetbv1", 0xd, 1, CPUID_EAX, 2 },
	{ "xsaves", 0xd, 1, CPUID_EAX, 3 },
	{ "xfd", 0xd, 1, CPUID_EAX, 4 },
	{ "kvmclock", 0x40000001, 0, CPUID_EAX, 0 },
	{ "kvm-nopiodelay", 0x40000001, 0, CPUID_EAX, 1 },
	{ "kvm-mmu", 0x40000001, 0, CPUID_EAX, 2 },
	{ "kvmclock", 0x40000001, 0, CPUID_EAX, 3 },
	{ "kvm-asyncpf", 0x40000001, 0, CPUID_EAX, 4 },
	{ "kvm-steal-time", 0x40000001, 0, CPUID_EAX, 5 },
	{ "kvm-pv-eoi", 0x40000001, 0, CPUID_EAX, 6 },
	{ "kvm-pv-unhalt", 0x40000001, 0, CPUID_EAX, 7 },
	{ "kvm-pv-tlb-flush", 0x40000001, 0, CPUID_EAX, 9 },
	{ "kvm-asyncpf-vmexit", 0x40000001, 0, CPUID_EAX, 10 },
	{ "kvm-pv-ipi", 0x40000001, 0, CPUID_EAX, 11 },
	{ "kvm-poll-control", 0x40000001, 0, CPUID_EAX, 12 },
	{ "kvm-pv-sched-yield", 0x40000001, 0, CPUID_EAX, 13 },
	{ "kvm-asyncpf-int", 0x40000001, 0, CPUID_EAX, 14 },
	{ "kvm-msi-ext-dest-id", 0x40000001, 0, CPUID_EAX, 15 },
	{ "kvmclock-stable-bit", 0x40000001, 0, CPUID_EAX, 24 },
	{ "syscall", 0x80000001, 0, CPUID_EDX, 11 },
	{ "nx", 0x80000001, 0, CPUID_EDX, 20 },
	{ "mmxext", 0x80000001, 0, CPUID_EDX, 22 },
	{ "fxsr-opt", 0x80000001, 0, CPUID_EDX, 25 },
	{ "pdpe1gb", 0x80000001, 0, CPUID_EDX, 26 },
	{ "rdtscp", 0x80000001, 0, CPUID_EDX, 27 },
	{ "lm", 0x80000001, 0, CPUID_EDX, 29 },
	{ "3dnowext", 0x80000001, 0, CPUID_EDX, 30 },
	{ "3dnow", 0x80000001, 0, CPUID_EDX, 31 },
	{ "lahf-lm", 0x80000001, 0, CPUID_ECX, 0 },
	{ "cmp-legacy", 0x80000001, 0, CPUID_ECX, 1 },
	{ "svm", 0x80000001, 0, CPUID_ECX, 2 },
	{ "extapic", 0x80000001, 0, CPUID_ECX, 3 },
	{ "cr8legacy", 0x80000001, 0, CPUID_ECX, 4 },
	{ "abm", 0x80000001, 0, CPUID_ECX, 5 },
	{ "sse4a", 0x80000001, 0, CPUID_ECX, 6 },
	{ "misalignsse", 0x80000001, 0, CPUID_ECX, 7 },
	{ "3dnowprefetch", 0x80000001, 0, CPUID_ECX, 8 },
	{ "osvw", 0x80000001, 0, CPUID_ECX, 9 },
	{ "ibs", 0x80000001, 0, CPUID_ECX, 10 },
	{ "xop", 0x80000001, 0, CPUID_ECX, 11 },
	{ "skinit", 0x80000001, 0, CPUID_ECX, 12 },
	{ "wdt", 0x80000001, 0, CPUID_ECX, 13 },
	{ "lwp", 0x80000001, 0, CPUID_ECX, 15 },
	{ "fma4", 0x80000001, 0, CPUID_ECX, 16 },
	{ "tce", 0x80000001, 0, CPUID_ECX, 17 },
	{ "nodeid-msr", 0x80000001, 0, CPUID_ECX, 19 },
	{ "tbm", 0x80000001, 0, CPUID_ECX, 21 },
	{ "topoext", 0x80000001, 0, CPUID_ECX, 22 },
	{ "perfctr-core", 0x80000001, 0, CPUID_ECX, 23 },
	{ "perfctr-nb", 0x80000001, 0, CPUID_ECX, 24 },
	{ "invtsc", 0x80000007, 0, CPUID_EDX, 8 },
	{ "clzero", 0x80000008, 0, CPUID_EBX, 0 },
	{ "xsaveerptr", 0x80000008, 0, CPUID_EBX, 2 },
	{ "wbnoinvd", 0x80000008, 0, CPUID_EBX, 9 },
	{ "ibpb", 0x80000008, 0, CPUID_EBX, 12 },
	{ "ibrs", 0x80000008, 0, CPUID_EBX, 14 },
	{ "amd-stibp", 0x80000008, 0, CPUID_EBX, 15 },
	{ "stibp-always-on", 0x80000008, 0, CPUID_EBX, 17 },
	{ "amd-ssbd", 0x80000008, 0, CPUID_EBX, 24 },
	{ "virt-ssbd", 0x80000008, 0, CPUID_EBX, 25 },
	{ "amd-no-ssb", 0x80000008, 0, CPUID_EBX, 26 },
	{ "amd-psfd", 0x80000008, 0, CPUID_EBX, 28 },
	{ "npt", 0x8000000a, 0, CPUID_EDX, 0 },
	{ "lbrv", 0x8000000a, 0, CPUID_EDX, 1 },
	{ "svm-lock", 0x8000000a, 0, CPUID_EDX, 2 },
	{ "nrip-save", 0x8000000a, 0, CPUID_EDX, 3 },
	{ "tsc-scale", 0x8000000a, 0, CPUID_EDX, 4 },
	{ "vmcb-clean", 0x8000000a, 0, CPUID_EDX, 5 },
	{ "flushbyasid", 0x8000000a, 0, CPUID_EDX, 6 },
	{ "decodeassists", 0x8000000a, 0, CPUID_EDX, 7 },
	{ "pause-filter", 0x8000000a, 0, CPUID_EDX, 10 },
	{ "pfthreshold", 0x8000000a, 0, CPUID_EDX, 12 },
	{ "avic", 0x8000000a, 0, CPUID_EDX, 13 },
	{ "v-vmsave-vmload", 0x8000000a, 0, CPUID_EDX, 15 },
	{ "vgif", 0x8000000a, 0, CPUID_EDX, 16 },
	{ "vnmi", 0x8000000a, 0, CPUID_EDX, 25 },
	{ "svme-addr-chk", 0x8000000a, 0, CPUID_EDX, 28 },
	{ "overflow-recov", 0x80000007, 0, CPUID_EBX, 0 },
	{ "succor", 0x80000007, 0, CPUID_EBX, 1 },
	{ "no-nested-data-bp", 0x80000021, 0, CPUID_EAX, 0 },
	{ "lfence-always-serializing", 0x80000021, 0, CPUID_EAX, 2 },
	{ "null-sel-clr-base", 0x80000021, 0, CPUID_EAX, 6 },
	{ "auto-ibrs", 0x80000021, 0, CPUID_EAX, 8 },
	{ "eraps", 0x80000021, 0, CPUID_EAX, 24 },
	{ "sbpb", 0x80000021, 0, CPUID_EAX, 27 },
	{ "ibpb-brtype", 0x80000021, 0, CPUID_EAX, 28 },
	{ "srso-no", 0x80000021, 0, CPUID_EAX, 29 },
	{ "srso-user-kernel-no", 0x80000021, 0, CPUID_EAX, 30 },
	{ "perfmon-v2", 0x80000022, 0, CPUID_EAX, 0 },
	{ "intel-pt-lip", 0x14, 0, CPUID_ECX, 31 },
	{ "sgx1", 0x12, 0, CPUID_EAX, 0 },
	{ "sgx2", 0x12, 0, CPUID_EAX, 1 },
	{ "sgx-edeccssa", 0x12, 0, CPUID_EAX, 11 },
	{ "sgx-exinfo", 0x12, 0, CPUID_EBX, 0 },
	{ "sgx-debug", 0x12, 1, CPUID_EAX, 1 },
	{ "sgx-mode64", 0x12, 1, CPUID_EAX, 2 },
	{ "sgx-provisionkey", 0x12, 1, CPUID_EAX, 4 },
	{ "sgx-tokenkey", 0x12, 1, CPUID_EAX, 5 },
	{ "sgx-kss", 0x12, 1, CPUID_EAX, 7 },
	{ "sgx-aex-notify", 0x12, 1, CPUID_EAX, 10 },
	{ "intel-psfd", 0x7, 2, CPUID_EDX, 0 },
	{ "ipred-ctrl", 0x7, 2, CPUID_EDX, 1 },
	{ "rrsba-ctrl", 0x7, 2, CPUID_EDX, 2 },
	{ "ddpd-u", 0x7, 2, CPUID_EDX, 3 },
	{ "bhi-ctrl", 0x7, 2, CPUID_EDX, 4 },
	{ "mcdt-no", 0x7, 2, CPUID_EDX, 5 },
	{ "kvm-hint-dedicated", 0x40000001, 0, CPUID_EDX, 0 },
	{ "xstore", 0xc0000001, 0, CPUID_EDX, 2 },
	{ "xstore-en", 0xc0000001, 0, CPUID_EDX, 3 },
	{ "xcrypt", 0xc0000001, 0, CPUID_EDX, 6 },
	{ "xcrypt-en", 0xc0000001, 0, CPUID_EDX, 7 },
	{ "ace2", 0xc0000001, 0, CPUID_EDX, 8 },
	{ "ace2-en", 0xc0000001, 0, CPUID_EDX, 9 },
	{ "phe", 0xc0000001, 0, CPUID_EDX, 10 },
	{ "phe-en", 0xc0000001, 0, CPUID_EDX, 11 },
	{ "pmm", 0xc0000001, 0, CPUID_EDX, 12 },
	{ "pmm-en", 0xc0000001, 0, CPUID_EDX, 13 },
};

const unsigned int cpu_features_count =
	sizeof(cpu_features) / sizeof(cpu_features[0]);

/* QEMU's legacy spellings (after '_' has become '-'). */
static const struct {
	const char *alias;
	const char *name;
} feature_aliases[] = {
	{ "sse3", "pni" },
	{ "pclmuldq", "pclmulqdq" },
	{ "sse4-1", "sse4.1" },
	{ "sse4-2", "sse4.2" },
	{ "xd", "nx" },
	{ "i64", "lm" },
	{ "ffxsr", "fxsr-opt" },
};

static bool name_equal(const char *name, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i] == '_' ? '-' : s[i];

		if (name[i] != c)
			return false;
	}
	return name[len] == '\0';
}

static const struct cpu_feature *find_canonical(const char *s, size_t len)
{
	for (unsigned int i = 0; i < cpu_features_count; i++)
		if (name_equal(cpu_features[i].name, s, len))
			return &cpu_features[i];
	return NULL;
}

const struct cpu_feature *cpu_feature_find(const char *name, size_t len)
{
	const struct cpu_feature *f = find_canonical(name, len);

	if (f)
		return f;
	for (size_t i = 0; i < sizeof(feature_aliases) /
			       sizeof(feature_aliases[0]); i++)
		if (name_equal(feature_aliases[i].alias, name, len))
			return find_canonical(feature_aliases[i].name,
					      strlen(feature_aliases[i].name));
	return NULL;
}

const struct cpu_model_def *cpu_model_def_find(const char *name, size_t len)
{
	for (unsigned int i = 0; i < cpu_model_defs_count; i++) {
		const char *n = cpu_model_defs[i].name;

		if (strlen(n) == len && memcmp(n, name, len) == 0)
			return &cpu_model_defs[i];
	}
	return NULL;
}
