// SPDX-License-Identifier: MIT
/*
 * GENERATED FILE, do not edit: QEMU's named x86 CPU models, as the
 * reference QEMU expands them (query-cpu-model-expansion, type full),
 * without the defaults TCG or KVM add on top.  Regenerate with:
 *
 *   scripts/gen-cpu-models.py -o src/x86/cpu_models.c
 *
 * Unversioned names are the -v1 definitions, as QEMU's current machine
 * types resolve them.  features holds CPUID feature bits only, by their
 * canonical QEMU names; bits of MSR feature words are in comments.
 */
#include "x86/cpu_model.h"

/* clang-format off */
const struct cpu_model_def cpu_model_defs[] = {
	{
		.name = "486",
		.vendor = "GenuineIntel",
		.family = 4, .model = 8, .stepping = 0,
		.level = 0x1, .xlevel = 0x0,
		.model_id = "",
		.features = "fpu hypervisor pse vme",
	},
	{
		.name = "486-v1",
		.vendor = "GenuineIntel",
		.family = 4, .model = 8, .stepping = 0,
		.level = 0x1, .xlevel = 0x0,
		.model_id = "",
		.features = "fpu hypervisor pse vme",
	},
	{
		.name = "Broadwell",
		.vendor = "GenuineIntel",
		.family = 6, .model = 61, .stepping = 2,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Broadwell)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush cmov "
			    "cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hle hypervisor invpcid "
			    "lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp rtm sep smap smep sse sse2 "
			    "sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic xsave "
			    "xsaveopt",
	},
	{
		.name = "Broadwell-IBRS",
		.vendor = "GenuineIntel",
		.family = 6, .model = 61, .stepping = 2,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Broadwell, IBRS)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush cmov "
			    "cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hle hypervisor invpcid "
			    "lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp rtm sep smap smep "
			    "spec-ctrl sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme "
			    "x2apic xsave xsaveopt",
	},
	{
		.name = "Broadwell-noTSX",
		.vendor = "GenuineIntel",
		.family = 6, .model = 61, .stepping = 2,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Broadwell, no TSX)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush cmov "
			    "cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hypervisor invpcid "
			    "lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp sep smap smep sse sse2 "
			    "sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic xsave "
			    "xsaveopt",
	},
	{
		.name = "Broadwell-noTSX-IBRS",
		.vendor = "GenuineIntel",
		.family = 6, .model = 61, .stepping = 2,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Broadwell, no TSX, IBRS)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush cmov "
			    "cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hypervisor invpcid "
			    "lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp sep smap smep spec-ctrl "
			    "sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic "
			    "xsave xsaveopt",
	},
	{
		.name = "Broadwell-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 61, .stepping = 2,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Broadwell)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush cmov "
			    "cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hle hypervisor invpcid "
			    "lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp rtm sep smap smep sse sse2 "
			    "sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic xsave "
			    "xsaveopt",
	},
	{
		.name = "Broadwell-v2",
		.vendor = "GenuineIntel",
		.family = 6, .model = 61, .stepping = 2,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Broadwell, no TSX)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush cmov "
			    "cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hypervisor invpcid "
			    "lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp sep smap smep sse sse2 "
			    "sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic xsave "
			    "xsaveopt",
	},
	{
		.name = "Broadwell-v3",
		.vendor = "GenuineIntel",
		.family = 6, .model = 61, .stepping = 2,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Broadwell, IBRS)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush cmov "
			    "cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hle hypervisor invpcid "
			    "lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp rtm sep smap smep "
			    "spec-ctrl sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme "
			    "x2apic xsave xsaveopt",
	},
	{
		.name = "Broadwell-v4",
		.vendor = "GenuineIntel",
		.family = 6, .model = 61, .stepping = 2,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Broadwell, no TSX, IBRS)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush cmov "
			    "cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hypervisor invpcid "
			    "lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp sep smap smep spec-ctrl "
			    "sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic "
			    "xsave xsaveopt",
	},
	{
		.name = "Cascadelake-Server",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 6,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Cascadelake)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 avx512bw avx512cd "
			    "avx512dq avx512f avx512vl avx512vnni bmi1 bmi2 clflush clflushopt "
			    "clwb cmov cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hle hypervisor "
			    "invpcid lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid "
			    "pclmulqdq pdpe1gb pge pku pni popcnt pse pse36 rdrand rdseed rdtscp "
			    "rtm sep smap smep spec-ctrl ssbd sse sse2 sse4.1 sse4.2 ssse3 "
			    "syscall tsc tsc-deadline vme x2apic xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Cascadelake-Server-noTSX",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 6,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Cascadelake)",
		/* MSR feature bits: ibrs-all mds-no rdctl-no skip-l1dfl-vmentry */
		.features = "3dnowprefetch abm adx aes apic arat arch-capabilities avx avx2 "
			    "avx512bw avx512cd avx512dq avx512f avx512vl avx512vnni bmi1 bmi2 "
			    "clflush clflushopt clwb cmov cx16 cx8 de erms f16c fma fpu fsgsbase "
			    "fxsr hypervisor invpcid lahf-lm lm mca mce mmx movbe msr mtrr nx pae "
			    "pat pcid pclmulqdq pdpe1gb pge pku pni popcnt pse pse36 rdrand "
			    "rdseed rdtscp sep smap smep spec-ctrl ssbd sse sse2 sse4.1 sse4.2 "
			    "ssse3 syscall tsc tsc-deadline vme x2apic xgetbv1 xsave xsavec "
			    "xsaveopt",
	},
	{
		.name = "Cascadelake-Server-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 6,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Cascadelake)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 avx512bw avx512cd "
			    "avx512dq avx512f avx512vl avx512vnni bmi1 bmi2 clflush clflushopt "
			    "clwb cmov cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hle hypervisor "
			    "invpcid lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid "
			    "pclmulqdq pdpe1gb pge pku pni popcnt pse pse36 rdrand rdseed rdtscp "
			    "rtm sep smap smep spec-ctrl ssbd sse sse2 sse4.1 sse4.2 ssse3 "
			    "syscall tsc tsc-deadline vme x2apic xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Cascadelake-Server-v2",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 6,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Cascadelake)",
		/* MSR feature bits: ibrs-all mds-no rdctl-no skip-l1dfl-vmentry */
		.features = "3dnowprefetch abm adx aes apic arat arch-capabilities avx avx2 "
			    "avx512bw avx512cd avx512dq avx512f avx512vl avx512vnni bmi1 bmi2 "
			    "clflush clflushopt clwb cmov cx16 cx8 de erms f16c fma fpu fsgsbase "
			    "fxsr hle hypervisor invpcid lahf-lm lm mca mce mmx movbe msr mtrr nx "
			    "pae pat pcid pclmulqdq pdpe1gb pge pku pni popcnt pse pse36 rdrand "
			    "rdseed rdtscp rtm sep smap smep spec-ctrl ssbd sse sse2 sse4.1 "
			    "sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic xgetbv1 xsave "
			    "xsavec xsaveopt",
	},
	{
		.name = "Cascadelake-Server-v3",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 6,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Cascadelake)",
		/* MSR feature bits: ibrs-all mds-no rdctl-no skip-l1dfl-vmentry */
		.features = "3dnowprefetch abm adx aes apic arat arch-capabilities avx avx2 "
			    "avx512bw avx512cd avx512dq avx512f avx512vl avx512vnni bmi1 bmi2 "
			    "clflush clflushopt clwb cmov cx16 cx8 de erms f16c fma fpu fsgsbase "
			    "fxsr hypervisor invpcid lahf-lm lm mca mce mmx movbe msr mtrr nx pae "
			    "pat pcid pclmulqdq pdpe1gb pge pku pni popcnt pse pse36 rdrand "
			    "rdseed rdtscp sep smap smep spec-ctrl ssbd sse sse2 sse4.1 sse4.2 "
			    "ssse3 syscall tsc tsc-deadline vme x2apic xgetbv1 xsave xsavec "
			    "xsaveopt",
	},
	{
		.name = "Cascadelake-Server-v4",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 6,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Cascadelake)",
		/* MSR feature bits: ibrs-all mds-no rdctl-no skip-l1dfl-vmentry */
		.features = "3dnowprefetch abm adx aes apic arat arch-capabilities avx avx2 "
			    "avx512bw avx512cd avx512dq avx512f avx512vl avx512vnni bmi1 bmi2 "
			    "clflush clflushopt clwb cmov cx16 cx8 de erms f16c fma fpu fsgsbase "
			    "fxsr hypervisor invpcid lahf-lm lm mca mce mmx movbe msr mtrr nx pae "
			    "pat pcid pclmulqdq pdpe1gb pge pku pni popcnt pse pse36 rdrand "
			    "rdseed rdtscp sep smap smep spec-ctrl ssbd sse sse2 sse4.1 sse4.2 "
			    "ssse3 syscall tsc tsc-deadline vme x2apic xgetbv1 xsave xsavec "
			    "xsaveopt",
	},
	{
		.name = "Cascadelake-Server-v5",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 6,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Cascadelake)",
		/* MSR feature bits: ibrs-all mds-no rdctl-no skip-l1dfl-vmentry */
		.features = "3dnowprefetch abm adx aes apic arat arch-capabilities avx avx2 "
			    "avx512bw avx512cd avx512dq avx512f avx512vl avx512vnni bmi1 bmi2 "
			    "clflush clflushopt clwb cmov cx16 cx8 de erms f16c fma fpu fsgsbase "
			    "fxsr hypervisor invpcid lahf-lm lm mca mce mmx movbe msr mtrr nx pae "
			    "pat pcid pclmulqdq pdpe1gb pge pku pni popcnt pse pse36 rdrand "
			    "rdseed rdtscp sep smap smep spec-ctrl ssbd sse sse2 sse4.1 sse4.2 "
			    "ssse3 syscall tsc tsc-deadline vme x2apic xgetbv1 xsave xsavec "
			    "xsaveopt xsaves",
	},
	{
		.name = "Conroe",
		.vendor = "GenuineIntel",
		.family = 6, .model = 15, .stepping = 3,
		.level = 0xa, .xlevel = 0x80000008,
		.model_id = "Intel Celeron_4x0 (Conroe/Merom Class Core 2)",
		.features = "apic clflush cmov cx8 de fpu fxsr hypervisor lahf-lm lm mca mce mmx "
			    "msr mtrr nx pae pat pge pni pse pse36 sep sse sse2 ssse3 syscall tsc "
			    "vme",
	},
	{
		.name = "Conroe-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 15, .stepping = 3,
		.level = 0xa, .xlevel = 0x80000008,
		.model_id = "Intel Celeron_4x0 (Conroe/Merom Class Core 2)",
		.features = "apic clflush cmov cx8 de fpu fxsr hypervisor lahf-lm lm mca mce mmx "
			    "msr mtrr nx pae pat pge pni pse pse36 sep sse sse2 ssse3 syscall tsc "
			    "vme",
	},
	{
		.name = "Cooperlake",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 10,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Cooperlake)",
		/*
		 * MSR feature bits: ibrs-all mds-no pschange-mc-no rdctl-no skip-l1dfl-vmentry
		 * taa-no
		 */
		.features = "3dnowprefetch abm adx aes apic arat arch-capabilities avx avx2 "
			    "avx512-bf16 avx512bw avx512cd avx512dq avx512f avx512vl avx512vnni "
			    "bmi1 bmi2 clflush clflushopt clwb cmov cx16 cx8 de erms f16c fma fpu "
			    "fsgsbase fxsr hle hypervisor invpcid lahf-lm lm mca mce mmx movbe "
			    "msr mtrr nx pae pat pcid pclmulqdq pdpe1gb pge pku pni popcnt pse "
			    "pse36 rdrand rdseed rdtscp rtm sep smap smep spec-ctrl ssbd sse sse2 "
			    "sse4.1 sse4.2 ssse3 stibp syscall tsc tsc-deadline vme x2apic "
			    "xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Cooperlake-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 10,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Cooperlake)",
		/*
		 * MSR feature bits: ibrs-all mds-no pschange-mc-no rdctl-no skip-l1dfl-vmentry
		 * taa-no
		 */
		.features = "3dnowprefetch abm adx aes apic arat arch-capabilities avx avx2 "
			    "avx512-bf16 avx512bw avx512cd avx512dq avx512f avx512vl avx512vnni "
			    "bmi1 bmi2 clflush clflushopt clwb cmov cx16 cx8 de erms f16c fma fpu "
			    "fsgsbase fxsr hle hypervisor invpcid lahf-lm lm mca mce mmx movbe "
			    "msr mtrr nx pae pat pcid pclmulqdq pdpe1gb pge pku pni popcnt pse "
			    "pse36 rdrand rdseed rdtscp rtm sep smap smep spec-ctrl ssbd sse sse2 "
			    "sse4.1 sse4.2 ssse3 stibp syscall tsc tsc-deadline vme x2apic "
			    "xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Cooperlake-v2",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 10,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Cooperlake)",
		/*
		 * MSR feature bits: ibrs-all mds-no pschange-mc-no rdctl-no skip-l1dfl-vmentry
		 * taa-no
		 */
		.features = "3dnowprefetch abm adx aes apic arat arch-capabilities avx avx2 "
			    "avx512-bf16 avx512bw avx512cd avx512dq avx512f avx512vl avx512vnni "
			    "bmi1 bmi2 clflush clflushopt clwb cmov cx16 cx8 de erms f16c fma fpu "
			    "fsgsbase fxsr hle hypervisor invpcid lahf-lm lm mca mce mmx movbe "
			    "msr mtrr nx pae pat pcid pclmulqdq pdpe1gb pge pku pni popcnt pse "
			    "pse36 rdrand rdseed rdtscp rtm sep smap smep spec-ctrl ssbd sse sse2 "
			    "sse4.1 sse4.2 ssse3 stibp syscall tsc tsc-deadline vme x2apic "
			    "xgetbv1 xsave xsavec xsaveopt xsaves",
	},
	{
		.name = "Denverton",
		.vendor = "GenuineIntel",
		.family = 6, .model = 95, .stepping = 1,
		.level = 0x15, .xlevel = 0x80000008,
		.model_id = "Intel Atom Processor (Denverton)",
		/* MSR feature bits: rdctl-no skip-l1dfl-vmentry */
		.features = "3dnowprefetch aes apic arat arch-capabilities clflush clflushopt "
			    "cmov cx16 cx8 de erms fpu fsgsbase fxsr hypervisor lahf-lm lm mca "
			    "mce mmx monitor movbe mpx msr mtrr nx pae pat pclmulqdq pdpe1gb pge "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp sep sha-ni smap smep "
			    "spec-ctrl ssbd sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline "
			    "vme x2apic xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Denverton-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 95, .stepping = 1,
		.level = 0x15, .xlevel = 0x80000008,
		.model_id = "Intel Atom Processor (Denverton)",
		/* MSR feature bits: rdctl-no skip-l1dfl-vmentry */
		.features = "3dnowprefetch aes apic arat arch-capabilities clflush clflushopt "
			    "cmov cx16 cx8 de erms fpu fsgsbase fxsr hypervisor lahf-lm lm mca "
			    "mce mmx monitor movbe mpx msr mtrr nx pae pat pclmulqdq pdpe1gb pge "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp sep sha-ni smap smep "
			    "spec-ctrl ssbd sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline "
			    "vme x2apic xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Denverton-v2",
		.vendor = "GenuineIntel",
		.family = 6, .model = 95, .stepping = 1,
		.level = 0x15, .xlevel = 0x80000008,
		.model_id = "Intel Atom Processor (Denverton)",
		/* MSR feature bits: rdctl-no skip-l1dfl-vmentry */
		.features = "3dnowprefetch aes apic arat arch-capabilities clflush clflushopt "
			    "cmov cx16 cx8 de erms fpu fsgsbase fxsr hypervisor lahf-lm lm mca "
			    "mce mmx movbe msr mtrr nx pae pat pclmulqdq pdpe1gb pge pni popcnt "
			    "pse pse36 rdrand rdseed rdtscp sep sha-ni smap smep spec-ctrl ssbd "
			    "sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic "
			    "xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Denverton-v3",
		.vendor = "GenuineIntel",
		.family = 6, .model = 95, .stepping = 1,
		.level = 0x15, .xlevel = 0x80000008,
		.model_id = "Intel Atom Processor (Denverton)",
		/* MSR feature bits: rdctl-no skip-l1dfl-vmentry */
		.features = "3dnowprefetch aes apic arat arch-capabilities clflush clflushopt "
			    "cmov cx16 cx8 de erms fpu fsgsbase fxsr hypervisor lahf-lm lm mca "
			    "mce mmx movbe msr mtrr nx pae pat pclmulqdq pdpe1gb pge pni popcnt "
			    "pse pse36 rdrand rdseed rdtscp sep sha-ni smap smep spec-ctrl ssbd "
			    "sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic "
			    "xgetbv1 xsave xsavec xsaveopt xsaves",
	},
	{
		.name = "Dhyana",
		.vendor = "HygonGenuine",
		.family = 24, .model = 0, .stepping = 1,
		.level = 0xd, .xlevel = 0x8000001e,
		.model_id = "Hygon Dhyana Processor",
		.features = "3dnowprefetch abm adx apic arat avx avx2 bmi1 bmi2 clflush "
			    "clflushopt cmov cr8legacy cx16 cx8 de f16c fma fpu fsgsbase fxsr "
			    "fxsr-opt hypervisor ibpb lahf-lm lm mca mce misalignsse mmx mmxext "
			    "monitor movbe msr mtrr npt nrip-save nx osvw pae pat pdpe1gb pge pni "
			    "popcnt pse pse36 rdrand rdseed rdtscp sep smap smep sse sse2 sse4.1 "
			    "sse4.2 sse4a ssse3 svm syscall topoext tsc vme xgetbv1 xsave xsavec "
			    "xsaveopt",
	},
	{
		.name = "Dhyana-v1",
		.vendor = "HygonGenuine",
		.family = 24, .model = 0, .stepping = 1,
		.level = 0xd, .xlevel = 0x8000001e,
		.model_id = "Hygon Dhyana Processor",
		.features = "3dnowprefetch abm adx apic arat avx avx2 bmi1 bmi2 clflush "
			    "clflushopt cmov cr8legacy cx16 cx8 de f16c fma fpu fsgsbase fxsr "
			    "fxsr-opt hypervisor ibpb lahf-lm lm mca mce misalignsse mmx mmxext "
			    "monitor movbe msr mtrr npt nrip-save nx osvw pae pat pdpe1gb pge pni "
			    "popcnt pse pse36 rdrand rdseed rdtscp sep smap smep sse sse2 sse4.1 "
			    "sse4.2 sse4a ssse3 svm syscall topoext tsc vme xgetbv1 xsave xsavec "
			    "xsaveopt",
	},
	{
		.name = "Dhyana-v2",
		.vendor = "HygonGenuine",
		.family = 24, .model = 0, .stepping = 1,
		.level = 0xd, .xlevel = 0x8000001e,
		.model_id = "Hygon Dhyana Processor",
		.features = "3dnowprefetch abm adx apic arat avx avx2 bmi1 bmi2 clflush "
			    "clflushopt cmov cr8legacy cx16 cx8 de f16c fma fpu fsgsbase fxsr "
			    "fxsr-opt hypervisor ibpb lahf-lm lm mca mce misalignsse mmx mmxext "
			    "monitor movbe msr mtrr npt nrip-save nx osvw pae pat pdpe1gb pge pni "
			    "popcnt pse pse36 rdrand rdseed rdtscp sep smap smep sse sse2 sse4.1 "
			    "sse4.2 sse4a ssse3 svm syscall topoext tsc vme xgetbv1 xsave xsavec "
			    "xsaveopt xsaves",
	},
	{
		.name = "EPYC",
		.vendor = "AuthenticAMD",
		.family = 23, .model = 1, .stepping = 2,
		.level = 0xd, .xlevel = 0x8000001e,
		.model_id = "AMD EPYC Processor",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush "
			    "clflushopt cmov cr8legacy cx16 cx8 de f16c fma fpu fsgsbase fxsr "
			    "fxsr-opt hypervisor lahf-lm lm mca mce misalignsse mmx mmxext "
			    "monitor movbe msr mtrr npt nrip-save nx osvw pae pat pclmulqdq "
			    "pdpe1gb pge pni popcnt pse pse36 rdrand rdseed rdtscp sep sha-ni "
			    "smap smep sse sse2 sse4.1 sse4.2 sse4a ssse3 svm syscall topoext tsc "
			    "vme xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "EPYC-IBPB",
		.vendor = "AuthenticAMD",
		.family = 23, .model = 1, .stepping = 2,
		.level = 0xd, .xlevel = 0x8000001e,
		.model_id = "AMD EPYC Processor (with IBPB)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush "
			    "clflushopt cmov cr8legacy cx16 cx8 de f16c fma fpu fsgsbase fxsr "
			    "fxsr-opt hypervisor ibpb lahf-lm lm mca mce misalignsse mmx mmxext "
			    "monitor movbe msr mtrr npt nrip-save nx osvw pae pat pclmulqdq "
			    "pdpe1gb pge pni popcnt pse pse36 rdrand rdseed rdtscp sep sha-ni "
			    "smap smep sse sse2 sse4.1 sse4.2 sse4a ssse3 svm syscall topoext tsc "
			    "vme xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "EPYC-Milan",
		.vendor = "AuthenticAMD",
		.family = 25, .model = 1, .stepping = 1,
		.level = 0xd, .xlevel = 0x8000001e,
		.model_id = "AMD EPYC-Milan Processor",
		.features = "3dnowprefetch abm adx aes amd-ssbd amd-stibp apic arat avx avx2 bmi1 "
			    "bmi2 clflush clflushopt clwb clzero cmov cr8legacy cx16 cx8 de erms "
			    "f16c fma fpu fsgsbase fsrm fxsr fxsr-opt hypervisor ibpb ibrs "
			    "invpcid lahf-lm lm mca mce misalignsse mmx mmxext monitor movbe msr "
			    "mtrr npt nrip-save nx osvw pae pat pcid pclmulqdq pdpe1gb "
			    "perfctr-core pge pku pni popcnt pse pse36 rdpid rdrand rdseed rdtscp "
			    "sep sha-ni smap smep sse sse2 sse4.1 sse4.2 sse4a ssse3 svm "
			    "svme-addr-chk syscall topoext tsc umip vme wbnoinvd xgetbv1 xsave "
			    "xsavec xsaveerptr xsaveopt xsaves",
	},
	{
		.name = "EPYC-Milan-v1",
		.vendor = "AuthenticAMD",
		.family = 25, .model = 1, .stepping = 1,
		.level = 0xd, .xlevel = 0x8000001e,
		.model_id = "AMD EPYC-Milan Processor",
		.features = "3dnowprefetch abm adx aes amd-ssbd amd-stibp apic arat avx avx2 bmi1 "
			    "bmi2 clflush clflushopt clwb clzero cmov cr8legacy cx16 cx8 de erms "
			    "f16c fma fpu fsgsbase fsrm fxsr fxsr-opt hypervisor ibpb ibrs "
			    "invpcid lahf-lm lm mca mce misalignsse mmx mmxext monitor movbe msr "
			    "mtrr npt nrip-save nx osvw pae pat pcid pclmulqdq pdpe1gb "
			    "perfctr-core pge pku pni popcnt pse pse36 rdpid rdrand rdseed rdtscp "
			    "sep sha-ni smap smep sse sse2 sse4.1 sse4.2 sse4a ssse3 svm "
			    "svme-addr-chk syscall topoext tsc umip vme wbnoinvd xgetbv1 xsave "
			    "xsavec xsaveerptr xsaveopt xsaves",
	},
	{
		.name = "EPYC-Rome",
		.vendor = "AuthenticAMD",
		.family = 23, .model = 49, .stepping = 0,
		.level = 0xd, .xlevel = 0x8000001e,
		.model_id = "AMD EPYC-Rome Processor",
		.features = "3dnowprefetch abm adx aes amd-stibp apic arat avx avx2 bmi1 bmi2 "
			    "clflush clflushopt clwb clzero cmov cr8legacy cx16 cx8 de f16c fma "
			    "fpu fsgsbase fxsr fxsr-opt hypervisor ibpb lahf-lm lm mca mce "
			    "misalignsse mmx mmxext monitor movbe msr mtrr npt nrip-save nx osvw "
			    "pae pat pclmulqdq pdpe1gb perfctr-core pge pni popcnt pse pse36 "
			    "rdpid rdrand rdseed rdtscp sep sha-ni smap smep sse sse2 sse4.1 "
			    "sse4.2 sse4a ssse3 svm syscall topoext tsc umip vme wbnoinvd xgetbv1 "
			    "xsave xsavec xsaveerptr xsaveopt xsaves",
	},
	{
		.name = "EPYC-Rome-v1",
		.vendor = "AuthenticAMD",
		.family = 23, .model = 49, .stepping = 0,
		.level = 0xd, .xlevel = 0x8000001e,
		.model_id = "AMD EPYC-Rome Processor",
		.features = "3dnowprefetch abm adx aes amd-stibp apic arat avx avx2 bmi1 bmi2 "
			    "clflush clflushopt clwb clzero cmov cr8legacy cx16 cx8 de f16c fma "
			    "fpu fsgsbase fxsr fxsr-opt hypervisor ibpb lahf-lm lm mca mce "
			    "misalignsse mmx mmxext monitor movbe msr mtrr npt nrip-save nx osvw "
			    "pae pat pclmulqdq pdpe1gb perfctr-core pge pni popcnt pse pse36 "
			    "rdpid rdrand rdseed rdtscp sep sha-ni smap smep sse sse2 sse4.1 "
			    "sse4.2 sse4a ssse3 svm syscall topoext tsc umip vme wbnoinvd xgetbv1 "
			    "xsave xsavec xsaveerptr xsaveopt xsaves",
	},
	{
		.name = "EPYC-Rome-v2",
		.vendor = "AuthenticAMD",
		.family = 23, .model = 49, .stepping = 0,
		.level = 0xd, .xlevel = 0x8000001e,
		.model_id = "AMD EPYC-Rome Processor",
		.features = "3dnowprefetch abm adx aes amd-ssbd amd-stibp apic arat avx avx2 bmi1 "
			    "bmi2 clflush clflushopt clwb clzero cmov cr8legacy cx16 cx8 de f16c "
			    "fma fpu fsgsbase fxsr fxsr-opt hypervisor ibpb ibrs lahf-lm lm mca "
			    "mce misalignsse mmx mmxext monitor movbe msr mtrr npt nrip-save nx "
			    "osvw pae pat pclmulqdq pdpe1gb perfctr-core pge pni popcnt pse pse36 "
			    "rdpid rdrand rdseed rdtscp sep sha-ni smap smep sse sse2 sse4.1 "
			    "sse4.2 sse4a ssse3 svm syscall topoext tsc umip vme wbnoinvd xgetbv1 "
			    "xsave xsavec xsaveerptr xsaveopt xsaves",
	},
	{
		.name = "EPYC-v1",
		.vendor = "AuthenticAMD",
		.family = 23, .model = 1, .stepping = 2,
		.level = 0xd, .xlevel = 0x8000001e,
		.model_id = "AMD EPYC Processor",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush "
			    "clflushopt cmov cr8legacy cx16 cx8 de f16c fma fpu fsgsbase fxsr "
			    "fxsr-opt hypervisor lahf-lm lm mca mce misalignsse mmx mmxext "
			    "monitor movbe msr mtrr npt nrip-save nx osvw pae pat pclmulqdq "
			    "pdpe1gb pge pni popcnt pse pse36 rdrand rdseed rdtscp sep sha-ni "
			    "smap smep sse sse2 sse4.1 sse4.2 sse4a ssse3 svm syscall topoext tsc "
			    "vme xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "EPYC-v2",
		.vendor = "AuthenticAMD",
		.family = 23, .model = 1, .stepping = 2,
		.level = 0xd, .xlevel = 0x8000001e,
		.model_id = "AMD EPYC Processor (with IBPB)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush "
			    "clflushopt cmov cr8legacy cx16 cx8 de f16c fma fpu fsgsbase fxsr "
			    "fxsr-opt hypervisor ibpb lahf-lm lm mca mce misalignsse mmx mmxext "
			    "monitor movbe msr mtrr npt nrip-save nx osvw pae pat pclmulqdq "
			    "pdpe1gb pge pni popcnt pse pse36 rdrand rdseed rdtscp sep sha-ni "
			    "smap smep sse sse2 sse4.1 sse4.2 sse4a ssse3 svm syscall topoext tsc "
			    "vme xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "EPYC-v3",
		.vendor = "AuthenticAMD",
		.family = 23, .model = 1, .stepping = 2,
		.level = 0xd, .xlevel = 0x8000001e,
		.model_id = "AMD EPYC Processor",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush "
			    "clflushopt clzero cmov cr8legacy cx16 cx8 de f16c fma fpu fsgsbase "
			    "fxsr fxsr-opt hypervisor ibpb lahf-lm lm mca mce misalignsse mmx "
			    "mmxext monitor movbe msr mtrr npt nrip-save nx osvw pae pat "
			    "pclmulqdq pdpe1gb perfctr-core pge pni popcnt pse pse36 rdrand "
			    "rdseed rdtscp sep sha-ni smap smep sse sse2 sse4.1 sse4.2 sse4a "
			    "ssse3 svm syscall topoext tsc vme xgetbv1 xsave xsavec xsaveerptr "
			    "xsaveopt xsaves",
	},
	{
		.name = "Haswell",
		.vendor = "GenuineIntel",
		.family = 6, .model = 60, .stepping = 4,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Haswell)",
		.features = "abm aes apic arat avx avx2 bmi1 bmi2 clflush cmov cx16 cx8 de erms "
			    "f16c fma fpu fsgsbase fxsr hle hypervisor invpcid lahf-lm lm mca mce "
			    "mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge pni popcnt pse "
			    "pse36 rdrand rdtscp rtm sep smep sse sse2 sse4.1 sse4.2 ssse3 "
			    "syscall tsc tsc-deadline vme x2apic xsave xsaveopt",
	},
	{
		.name = "Haswell-IBRS",
		.vendor = "GenuineIntel",
		.family = 6, .model = 60, .stepping = 4,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Haswell, IBRS)",
		.features = "abm aes apic arat avx avx2 bmi1 bmi2 clflush cmov cx16 cx8 de erms "
			    "f16c fma fpu fsgsbase fxsr hle hypervisor invpcid lahf-lm lm mca mce "
			    "mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge pni popcnt pse "
			    "pse36 rdrand rdtscp rtm sep smep spec-ctrl sse sse2 sse4.1 sse4.2 "
			    "ssse3 syscall tsc tsc-deadline vme x2apic xsave xsaveopt",
	},
	{
		.name = "Haswell-noTSX",
		.vendor = "GenuineIntel",
		.family = 6, .model = 60, .stepping = 1,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Haswell, no TSX)",
		.features = "abm aes apic arat avx avx2 bmi1 bmi2 clflush cmov cx16 cx8 de erms "
			    "f16c fma fpu fsgsbase fxsr hypervisor invpcid lahf-lm lm mca mce mmx "
			    "movbe msr mtrr nx pae pat pcid pclmulqdq pge pni popcnt pse pse36 "
			    "rdrand rdtscp sep smep sse sse2 sse4.1 sse4.2 ssse3 syscall tsc "
			    "tsc-deadline vme x2apic xsave xsaveopt",
	},
	{
		.name = "Haswell-noTSX-IBRS",
		.vendor = "GenuineIntel",
		.family = 6, .model = 60, .stepping = 1,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Haswell, no TSX, IBRS)",
		.features = "abm aes apic arat avx avx2 bmi1 bmi2 clflush cmov cx16 cx8 de erms "
			    "f16c fma fpu fsgsbase fxsr hypervisor invpcid lahf-lm lm mca mce mmx "
			    "movbe msr mtrr nx pae pat pcid pclmulqdq pge pni popcnt pse pse36 "
			    "rdrand rdtscp sep smep spec-ctrl sse sse2 sse4.1 sse4.2 ssse3 "
			    "syscall tsc tsc-deadline vme x2apic xsave xsaveopt",
	},
	{
		.name = "Haswell-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 60, .stepping = 4,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Haswell)",
		.features = "abm aes apic arat avx avx2 bmi1 bmi2 clflush cmov cx16 cx8 de erms "
			    "f16c fma fpu fsgsbase fxsr hle hypervisor invpcid lahf-lm lm mca mce "
			    "mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge pni popcnt pse "
			    "pse36 rdrand rdtscp rtm sep smep sse sse2 sse4.1 sse4.2 ssse3 "
			    "syscall tsc tsc-deadline vme x2apic xsave xsaveopt",
	},
	{
		.name = "Haswell-v2",
		.vendor = "GenuineIntel",
		.family = 6, .model = 60, .stepping = 1,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Haswell, no TSX)",
		.features = "abm aes apic arat avx avx2 bmi1 bmi2 clflush cmov cx16 cx8 de erms "
			    "f16c fma fpu fsgsbase fxsr hypervisor invpcid lahf-lm lm mca mce mmx "
			    "movbe msr mtrr nx pae pat pcid pclmulqdq pge pni popcnt pse pse36 "
			    "rdrand rdtscp sep smep sse sse2 sse4.1 sse4.2 ssse3 syscall tsc "
			    "tsc-deadline vme x2apic xsave xsaveopt",
	},
	{
		.name = "Haswell-v3",
		.vendor = "GenuineIntel",
		.family = 6, .model = 60, .stepping = 4,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Haswell, IBRS)",
		.features = "abm aes apic arat avx avx2 bmi1 bmi2 clflush cmov cx16 cx8 de erms "
			    "f16c fma fpu fsgsbase fxsr hle hypervisor invpcid lahf-lm lm mca mce "
			    "mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge pni popcnt pse "
			    "pse36 rdrand rdtscp rtm sep smep spec-ctrl sse sse2 sse4.1 sse4.2 "
			    "ssse3 syscall tsc tsc-deadline vme x2apic xsave xsaveopt",
	},
	{
		.name = "Haswell-v4",
		.vendor = "GenuineIntel",
		.family = 6, .model = 60, .stepping = 1,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Haswell, no TSX, IBRS)",
		.features = "abm aes apic arat avx avx2 bmi1 bmi2 clflush cmov cx16 cx8 de erms "
			    "f16c fma fpu fsgsbase fxsr hypervisor invpcid lahf-lm lm mca mce mmx "
			    "movbe msr mtrr nx pae pat pcid pclmulqdq pge pni popcnt pse pse36 "
			    "rdrand rdtscp sep smep spec-ctrl sse sse2 sse4.1 sse4.2 ssse3 "
			    "syscall tsc tsc-deadline vme x2apic xsave xsaveopt",
	},
	{
		.name = "Icelake-Server",
		.vendor = "GenuineIntel",
		.family = 6, .model = 134, .stepping = 0,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Icelake)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 avx512-vpopcntdq "
			    "avx512bitalg avx512bw avx512cd avx512dq avx512f avx512vbmi "
			    "avx512vbmi2 avx512vl avx512vnni bmi1 bmi2 clflush clflushopt clwb "
			    "cmov cx16 cx8 de erms f16c fma fpu fsgsbase fxsr gfni hle hypervisor "
			    "invpcid la57 lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid "
			    "pclmulqdq pdpe1gb pge pku pni popcnt pse pse36 rdrand rdseed rdtscp "
			    "rtm sep smap smep spec-ctrl ssbd sse sse2 sse4.1 sse4.2 ssse3 "
			    "syscall tsc tsc-deadline umip vaes vme vpclmulqdq wbnoinvd x2apic "
			    "xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Icelake-Server-noTSX",
		.vendor = "GenuineIntel",
		.family = 6, .model = 134, .stepping = 0,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Icelake)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 avx512-vpopcntdq "
			    "avx512bitalg avx512bw avx512cd avx512dq avx512f avx512vbmi "
			    "avx512vbmi2 avx512vl avx512vnni bmi1 bmi2 clflush clflushopt clwb "
			    "cmov cx16 cx8 de erms f16c fma fpu fsgsbase fxsr gfni hypervisor "
			    "invpcid la57 lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid "
			    "pclmulqdq pdpe1gb pge pku pni popcnt pse pse36 rdrand rdseed rdtscp "
			    "sep smap smep spec-ctrl ssbd sse sse2 sse4.1 sse4.2 ssse3 syscall "
			    "tsc tsc-deadline umip vaes vme vpclmulqdq wbnoinvd x2apic xgetbv1 "
			    "xsave xsavec xsaveopt",
	},
	{
		.name = "Icelake-Server-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 134, .stepping = 0,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Icelake)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 avx512-vpopcntdq "
			    "avx512bitalg avx512bw avx512cd avx512dq avx512f avx512vbmi "
			    "avx512vbmi2 avx512vl avx512vnni bmi1 bmi2 clflush clflushopt clwb "
			    "cmov cx16 cx8 de erms f16c fma fpu fsgsbase fxsr gfni hle hypervisor "
			    "invpcid la57 lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid "
			    "pclmulqdq pdpe1gb pge pku pni popcnt pse pse36 rdrand rdseed rdtscp "
			    "rtm sep smap smep spec-ctrl ssbd sse sse2 sse4.1 sse4.2 ssse3 "
			    "syscall tsc tsc-deadline umip vaes vme vpclmulqdq wbnoinvd x2apic "
			    "xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Icelake-Server-v2",
		.vendor = "GenuineIntel",
		.family = 6, .model = 134, .stepping = 0,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Icelake)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 avx512-vpopcntdq "
			    "avx512bitalg avx512bw avx512cd avx512dq avx512f avx512vbmi "
			    "avx512vbmi2 avx512vl avx512vnni bmi1 bmi2 clflush clflushopt clwb "
			    "cmov cx16 cx8 de erms f16c fma fpu fsgsbase fxsr gfni hypervisor "
			    "invpcid la57 lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid "
			    "pclmulqdq pdpe1gb pge pku pni popcnt pse pse36 rdrand rdseed rdtscp "
			    "sep smap smep spec-ctrl ssbd sse sse2 sse4.1 sse4.2 ssse3 syscall "
			    "tsc tsc-deadline umip vaes vme vpclmulqdq wbnoinvd x2apic xgetbv1 "
			    "xsave xsavec xsaveopt",
	},
	{
		.name = "Icelake-Server-v3",
		.vendor = "GenuineIntel",
		.family = 6, .model = 134, .stepping = 0,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Icelake)",
		/*
		 * MSR feature bits: ibrs-all mds-no pschange-mc-no rdctl-no skip-l1dfl-vmentry
		 * taa-no
		 */
		.features = "3dnowprefetch abm adx aes apic arat arch-capabilities avx avx2 "
			    "avx512-vpopcntdq avx512bitalg avx512bw avx512cd avx512dq avx512f "
			    "avx512vbmi avx512vbmi2 avx512vl avx512vnni bmi1 bmi2 clflush "
			    "clflushopt clwb cmov cx16 cx8 de erms f16c fma fpu fsgsbase fxsr "
			    "gfni hypervisor invpcid la57 lahf-lm lm mca mce mmx movbe msr mtrr "
			    "nx pae pat pcid pclmulqdq pdpe1gb pge pku pni popcnt pse pse36 "
			    "rdrand rdseed rdtscp sep smap smep spec-ctrl ssbd sse sse2 sse4.1 "
			    "sse4.2 ssse3 syscall tsc tsc-deadline umip vaes vme vpclmulqdq "
			    "wbnoinvd x2apic xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Icelake-Server-v4",
		.vendor = "GenuineIntel",
		.family = 6, .model = 106, .stepping = 0,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Icelake)",
		/*
		 * MSR feature bits: ibrs-all mds-no pschange-mc-no rdctl-no skip-l1dfl-vmentry
		 * taa-no
		 */
		.features = "3dnowprefetch abm adx aes apic arat arch-capabilities avx avx2 "
			    "avx512-vpopcntdq avx512bitalg avx512bw avx512cd avx512dq avx512f "
			    "avx512ifma avx512vbmi avx512vbmi2 avx512vl avx512vnni bmi1 bmi2 "
			    "clflush clflushopt clwb cmov cx16 cx8 de erms f16c fma fpu fsgsbase "
			    "fsrm fxsr gfni hypervisor invpcid la57 lahf-lm lm mca mce mmx movbe "
			    "msr mtrr nx pae pat pcid pclmulqdq pdpe1gb pge pku pni popcnt pse "
			    "pse36 rdpid rdrand rdseed rdtscp sep sha-ni smap smep spec-ctrl ssbd "
			    "sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline umip vaes vme "
			    "vpclmulqdq wbnoinvd x2apic xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Icelake-Server-v5",
		.vendor = "GenuineIntel",
		.family = 6, .model = 106, .stepping = 0,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Icelake)",
		/*
		 * MSR feature bits: ibrs-all mds-no pschange-mc-no rdctl-no skip-l1dfl-vmentry
		 * taa-no
		 */
		.features = "3dnowprefetch abm adx aes apic arat arch-capabilities avx avx2 "
			    "avx512-vpopcntdq avx512bitalg avx512bw avx512cd avx512dq avx512f "
			    "avx512ifma avx512vbmi avx512vbmi2 avx512vl avx512vnni bmi1 bmi2 "
			    "clflush clflushopt clwb cmov cx16 cx8 de erms f16c fma fpu fsgsbase "
			    "fsrm fxsr gfni hypervisor invpcid la57 lahf-lm lm mca mce mmx movbe "
			    "msr mtrr nx pae pat pcid pclmulqdq pdpe1gb pge pku pni popcnt pse "
			    "pse36 rdpid rdrand rdseed rdtscp sep sha-ni smap smep spec-ctrl ssbd "
			    "sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline umip vaes vme "
			    "vpclmulqdq wbnoinvd x2apic xgetbv1 xsave xsavec xsaveopt xsaves",
	},
	{
		.name = "Icelake-Server-v6",
		.vendor = "GenuineIntel",
		.family = 6, .model = 106, .stepping = 0,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Icelake)",
		/*
		 * MSR feature bits: ibrs-all mds-no pschange-mc-no rdctl-no skip-l1dfl-vmentry
		 * taa-no
		 */
		.features = "3dnowprefetch abm adx aes apic arat arch-capabilities avx avx2 "
			    "avx512-vpopcntdq avx512bitalg avx512bw avx512cd avx512dq avx512f "
			    "avx512ifma avx512vbmi avx512vbmi2 avx512vl avx512vnni bmi1 bmi2 "
			    "clflush clflushopt clwb cmov cx16 cx8 de erms f16c fma fpu fsgsbase "
			    "fsrm fxsr gfni hypervisor invpcid la57 lahf-lm lm mca mce mmx movbe "
			    "msr mtrr nx pae pat pcid pclmulqdq pdpe1gb pge pku pni popcnt pse "
			    "pse36 rdpid rdrand rdseed rdtscp sep sha-ni smap smep spec-ctrl ssbd "
			    "sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline umip vaes vme "
			    "vpclmulqdq wbnoinvd x2apic xgetbv1 xsave xsavec xsaveopt xsaves",
	},
	{
		.name = "IvyBridge",
		.vendor = "GenuineIntel",
		.family = 6, .model = 58, .stepping = 9,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon E3-12xx v2 (Ivy Bridge)",
		.features = "aes apic arat avx clflush cmov cx16 cx8 de erms f16c fpu fsgsbase "
			    "fxsr hypervisor lahf-lm lm mca mce mmx msr mtrr nx pae pat pclmulqdq "
			    "pge pni popcnt pse pse36 rdrand rdtscp sep smep sse sse2 sse4.1 "
			    "sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic xsave xsaveopt",
	},
	{
		.name = "IvyBridge-IBRS",
		.vendor = "GenuineIntel",
		.family = 6, .model = 58, .stepping = 9,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon E3-12xx v2 (Ivy Bridge, IBRS)",
		.features = "aes apic arat avx clflush cmov cx16 cx8 de erms f16c fpu fsgsbase "
			    "fxsr hypervisor lahf-lm lm mca mce mmx msr mtrr nx pae pat pclmulqdq "
			    "pge pni popcnt pse pse36 rdrand rdtscp sep smep spec-ctrl sse sse2 "
			    "sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic xsave "
			    "xsaveopt",
	},
	{
		.name = "IvyBridge-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 58, .stepping = 9,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon E3-12xx v2 (Ivy Bridge)",
		.features = "aes apic arat avx clflush cmov cx16 cx8 de erms f16c fpu fsgsbase "
			    "fxsr hypervisor lahf-lm lm mca mce mmx msr mtrr nx pae pat pclmulqdq "
			    "pge pni popcnt pse pse36 rdrand rdtscp sep smep sse sse2 sse4.1 "
			    "sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic xsave xsaveopt",
	},
	{
		.name = "IvyBridge-v2",
		.vendor = "GenuineIntel",
		.family = 6, .model = 58, .stepping = 9,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon E3-12xx v2 (Ivy Bridge, IBRS)",
		.features = "aes apic arat avx clflush cmov cx16 cx8 de erms f16c fpu fsgsbase "
			    "fxsr hypervisor lahf-lm lm mca mce mmx msr mtrr nx pae pat pclmulqdq "
			    "pge pni popcnt pse pse36 rdrand rdtscp sep smep spec-ctrl sse sse2 "
			    "sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic xsave "
			    "xsaveopt",
	},
	{
		.name = "KnightsMill",
		.vendor = "GenuineIntel",
		.family = 6, .model = 133, .stepping = 0,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Phi Processor (Knights Mill)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 avx512-4fmaps "
			    "avx512-4vnniw avx512-vpopcntdq avx512cd avx512er avx512f avx512pf "
			    "bmi1 bmi2 clflush cmov cx16 cx8 de erms f16c fma fpu fsgsbase fxsr "
			    "hypervisor lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat "
			    "pclmulqdq pdpe1gb pge pni popcnt pse pse36 rdrand rdseed rdtscp sep "
			    "smep ss sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme "
			    "x2apic xsave xsaveopt",
	},
	{
		.name = "KnightsMill-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 133, .stepping = 0,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Phi Processor (Knights Mill)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 avx512-4fmaps "
			    "avx512-4vnniw avx512-vpopcntdq avx512cd avx512er avx512f avx512pf "
			    "bmi1 bmi2 clflush cmov cx16 cx8 de erms f16c fma fpu fsgsbase fxsr "
			    "hypervisor lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat "
			    "pclmulqdq pdpe1gb pge pni popcnt pse pse36 rdrand rdseed rdtscp sep "
			    "smep ss sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme "
			    "x2apic xsave xsaveopt",
	},
	{
		.name = "Nehalem",
		.vendor = "GenuineIntel",
		.family = 6, .model = 26, .stepping = 3,
		.level = 0xb, .xlevel = 0x80000008,
		.model_id = "Intel Core i7 9xx (Nehalem Class Core i7)",
		.features = "apic clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm lm mca mce "
			    "mmx msr mtrr nx pae pat pge pni popcnt pse pse36 sep sse sse2 sse4.1 "
			    "sse4.2 ssse3 syscall tsc vme",
	},
	{
		.name = "Nehalem-IBRS",
		.vendor = "GenuineIntel",
		.family = 6, .model = 26, .stepping = 3,
		.level = 0xb, .xlevel = 0x80000008,
		.model_id = "Intel Core i7 9xx (Nehalem Core i7, IBRS update)",
		.features = "apic clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm lm mca mce "
			    "mmx msr mtrr nx pae pat pge pni popcnt pse pse36 sep spec-ctrl sse "
			    "sse2 sse4.1 sse4.2 ssse3 syscall tsc vme",
	},
	{
		.name = "Nehalem-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 26, .stepping = 3,
		.level = 0xb, .xlevel = 0x80000008,
		.model_id = "Intel Core i7 9xx (Nehalem Class Core i7)",
		.features = "apic clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm lm mca mce "
			    "mmx msr mtrr nx pae pat pge pni popcnt pse pse36 sep sse sse2 sse4.1 "
			    "sse4.2 ssse3 syscall tsc vme",
	},
	{
		.name = "Nehalem-v2",
		.vendor = "GenuineIntel",
		.family = 6, .model = 26, .stepping = 3,
		.level = 0xb, .xlevel = 0x80000008,
		.model_id = "Intel Core i7 9xx (Nehalem Core i7, IBRS update)",
		.features = "apic clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm lm mca mce "
			    "mmx msr mtrr nx pae pat pge pni popcnt pse pse36 sep spec-ctrl sse "
			    "sse2 sse4.1 sse4.2 ssse3 syscall tsc vme",
	},
	{
		.name = "Opteron_G1",
		.vendor = "AuthenticAMD",
		.family = 15, .model = 6, .stepping = 1,
		.level = 0x5, .xlevel = 0x80000008,
		.model_id = "AMD Opteron 240 (Gen 1 Class Opteron)",
		.features = "apic clflush cmov cx8 de fpu fxsr hypervisor lm mca mce mmx msr mtrr "
			    "nx pae pat pge pni pse pse36 sep sse sse2 syscall tsc vme",
	},
	{
		.name = "Opteron_G1-v1",
		.vendor = "AuthenticAMD",
		.family = 15, .model = 6, .stepping = 1,
		.level = 0x5, .xlevel = 0x80000008,
		.model_id = "AMD Opteron 240 (Gen 1 Class Opteron)",
		.features = "apic clflush cmov cx8 de fpu fxsr hypervisor lm mca mce mmx msr mtrr "
			    "nx pae pat pge pni pse pse36 sep sse sse2 syscall tsc vme",
	},
	{
		.name = "Opteron_G2",
		.vendor = "AuthenticAMD",
		.family = 15, .model = 6, .stepping = 1,
		.level = 0x5, .xlevel = 0x8000000a,
		.model_id = "AMD Opteron 22xx (Gen 2 Class Opteron)",
		.features = "apic clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm lm mca mce "
			    "mmx msr mtrr nx pae pat pge pni pse pse36 sep sse sse2 svm syscall "
			    "tsc vme",
	},
	{
		.name = "Opteron_G2-v1",
		.vendor = "AuthenticAMD",
		.family = 15, .model = 6, .stepping = 1,
		.level = 0x5, .xlevel = 0x8000000a,
		.model_id = "AMD Opteron 22xx (Gen 2 Class Opteron)",
		.features = "apic clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm lm mca mce "
			    "mmx msr mtrr nx pae pat pge pni pse pse36 sep sse sse2 svm syscall "
			    "tsc vme",
	},
	{
		.name = "Opteron_G3",
		.vendor = "AuthenticAMD",
		.family = 16, .model = 2, .stepping = 3,
		.level = 0x5, .xlevel = 0x8000000a,
		.model_id = "AMD Opteron 23xx (Gen 3 Class Opteron)",
		.features = "abm apic clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm lm mca "
			    "mce misalignsse mmx monitor msr mtrr nx pae pat pge pni popcnt pse "
			    "pse36 rdtscp sep sse sse2 sse4a svm syscall tsc vme",
	},
	{
		.name = "Opteron_G3-v1",
		.vendor = "AuthenticAMD",
		.family = 16, .model = 2, .stepping = 3,
		.level = 0x5, .xlevel = 0x8000000a,
		.model_id = "AMD Opteron 23xx (Gen 3 Class Opteron)",
		.features = "abm apic clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm lm mca "
			    "mce misalignsse mmx monitor msr mtrr nx pae pat pge pni popcnt pse "
			    "pse36 rdtscp sep sse sse2 sse4a svm syscall tsc vme",
	},
	{
		.name = "Opteron_G4",
		.vendor = "AuthenticAMD",
		.family = 21, .model = 1, .stepping = 2,
		.level = 0xd, .xlevel = 0x8000001a,
		.model_id = "AMD Opteron 62xx class CPU",
		.features = "3dnowprefetch abm aes apic avx clflush cmov cx16 cx8 de fma4 fpu "
			    "fxsr hypervisor lahf-lm lm mca mce misalignsse mmx msr mtrr npt "
			    "nrip-save nx pae pat pclmulqdq pdpe1gb pge pni popcnt pse pse36 "
			    "rdtscp sep sse sse2 sse4.1 sse4.2 sse4a ssse3 svm syscall tsc vme "
			    "xop xsave",
	},
	{
		.name = "Opteron_G4-v1",
		.vendor = "AuthenticAMD",
		.family = 21, .model = 1, .stepping = 2,
		.level = 0xd, .xlevel = 0x8000001a,
		.model_id = "AMD Opteron 62xx class CPU",
		.features = "3dnowprefetch abm aes apic avx clflush cmov cx16 cx8 de fma4 fpu "
			    "fxsr hypervisor lahf-lm lm mca mce misalignsse mmx msr mtrr npt "
			    "nrip-save nx pae pat pclmulqdq pdpe1gb pge pni popcnt pse pse36 "
			    "rdtscp sep sse sse2 sse4.1 sse4.2 sse4a ssse3 svm syscall tsc vme "
			    "xop xsave",
	},
	{
		.name = "Opteron_G5",
		.vendor = "AuthenticAMD",
		.family = 21, .model = 2, .stepping = 0,
		.level = 0xd, .xlevel = 0x8000001a,
		.model_id = "AMD Opteron 63xx class CPU",
		.features = "3dnowprefetch abm aes apic avx clflush cmov cx16 cx8 de f16c fma "
			    "fma4 fpu fxsr hypervisor lahf-lm lm mca mce misalignsse mmx msr mtrr "
			    "npt nrip-save nx pae pat pclmulqdq pdpe1gb pge pni popcnt pse pse36 "
			    "rdtscp sep sse sse2 sse4.1 sse4.2 sse4a ssse3 svm syscall tbm tsc "
			    "vme xop xsave",
	},
	{
		.name = "Opteron_G5-v1",
		.vendor = "AuthenticAMD",
		.family = 21, .model = 2, .stepping = 0,
		.level = 0xd, .xlevel = 0x8000001a,
		.model_id = "AMD Opteron 63xx class CPU",
		.features = "3dnowprefetch abm aes apic avx clflush cmov cx16 cx8 de f16c fma "
			    "fma4 fpu fxsr hypervisor lahf-lm lm mca mce misalignsse mmx msr mtrr "
			    "npt nrip-save nx pae pat pclmulqdq pdpe1gb pge pni popcnt pse pse36 "
			    "rdtscp sep sse sse2 sse4.1 sse4.2 sse4a ssse3 svm syscall tbm tsc "
			    "vme xop xsave",
	},
	{
		.name = "Penryn",
		.vendor = "GenuineIntel",
		.family = 6, .model = 23, .stepping = 3,
		.level = 0xa, .xlevel = 0x80000008,
		.model_id = "Intel Core 2 Duo P9xxx (Penryn Class Core 2)",
		.features = "apic clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm lm mca mce "
			    "mmx msr mtrr nx pae pat pge pni pse pse36 sep sse sse2 sse4.1 ssse3 "
			    "syscall tsc vme",
	},
	{
		.name = "Penryn-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 23, .stepping = 3,
		.level = 0xa, .xlevel = 0x80000008,
		.model_id = "Intel Core 2 Duo P9xxx (Penryn Class Core 2)",
		.features = "apic clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm lm mca mce "
			    "mmx msr mtrr nx pae pat pge pni pse pse36 sep sse sse2 sse4.1 ssse3 "
			    "syscall tsc vme",
	},
	{
		.name = "SandyBridge",
		.vendor = "GenuineIntel",
		.family = 6, .model = 42, .stepping = 1,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon E312xx (Sandy Bridge)",
		.features = "aes apic arat avx clflush cmov cx16 cx8 de fpu fxsr hypervisor "
			    "lahf-lm lm mca mce mmx msr mtrr nx pae pat pclmulqdq pge pni popcnt "
			    "pse pse36 rdtscp sep sse sse2 sse4.1 sse4.2 ssse3 syscall tsc "
			    "tsc-deadline vme x2apic xsave xsaveopt",
	},
	{
		.name = "SandyBridge-IBRS",
		.vendor = "GenuineIntel",
		.family = 6, .model = 42, .stepping = 1,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon E312xx (Sandy Bridge, IBRS update)",
		.features = "aes apic arat avx clflush cmov cx16 cx8 de fpu fxsr hypervisor "
			    "lahf-lm lm mca mce mmx msr mtrr nx pae pat pclmulqdq pge pni popcnt "
			    "pse pse36 rdtscp sep spec-ctrl sse sse2 sse4.1 sse4.2 ssse3 syscall "
			    "tsc tsc-deadline vme x2apic xsave xsaveopt",
	},
	{
		.name = "SandyBridge-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 42, .stepping = 1,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon E312xx (Sandy Bridge)",
		.features = "aes apic arat avx clflush cmov cx16 cx8 de fpu fxsr hypervisor "
			    "lahf-lm lm mca mce mmx msr mtrr nx pae pat pclmulqdq pge pni popcnt "
			    "pse pse36 rdtscp sep sse sse2 sse4.1 sse4.2 ssse3 syscall tsc "
			    "tsc-deadline vme x2apic xsave xsaveopt",
	},
	{
		.name = "SandyBridge-v2",
		.vendor = "GenuineIntel",
		.family = 6, .model = 42, .stepping = 1,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon E312xx (Sandy Bridge, IBRS update)",
		.features = "aes apic arat avx clflush cmov cx16 cx8 de fpu fxsr hypervisor "
			    "lahf-lm lm mca mce mmx msr mtrr nx pae pat pclmulqdq pge pni popcnt "
			    "pse pse36 rdtscp sep spec-ctrl sse sse2 sse4.1 sse4.2 ssse3 syscall "
			    "tsc tsc-deadline vme x2apic xsave xsaveopt",
	},
	{
		.name = "Skylake-Client",
		.vendor = "GenuineIntel",
		.family = 6, .model = 94, .stepping = 3,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Skylake)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush cmov "
			    "cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hle hypervisor invpcid "
			    "lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp rtm sep smap smep sse sse2 "
			    "sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic xgetbv1 "
			    "xsave xsavec xsaveopt",
	},
	{
		.name = "Skylake-Client-IBRS",
		.vendor = "GenuineIntel",
		.family = 6, .model = 94, .stepping = 3,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Skylake, IBRS)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush cmov "
			    "cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hle hypervisor invpcid "
			    "lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp rtm sep smap smep "
			    "spec-ctrl sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme "
			    "x2apic xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Skylake-Client-noTSX-IBRS",
		.vendor = "GenuineIntel",
		.family = 6, .model = 94, .stepping = 3,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Skylake, IBRS, no TSX)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush cmov "
			    "cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hypervisor invpcid "
			    "lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp sep smap smep spec-ctrl "
			    "sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic "
			    "xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Skylake-Client-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 94, .stepping = 3,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Skylake)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush cmov "
			    "cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hle hypervisor invpcid "
			    "lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp rtm sep smap smep sse sse2 "
			    "sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic xgetbv1 "
			    "xsave xsavec xsaveopt",
	},
	{
		.name = "Skylake-Client-v2",
		.vendor = "GenuineIntel",
		.family = 6, .model = 94, .stepping = 3,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Skylake, IBRS)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush cmov "
			    "cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hle hypervisor invpcid "
			    "lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp rtm sep smap smep "
			    "spec-ctrl sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme "
			    "x2apic xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Skylake-Client-v3",
		.vendor = "GenuineIntel",
		.family = 6, .model = 94, .stepping = 3,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Skylake, IBRS, no TSX)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush cmov "
			    "cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hypervisor invpcid "
			    "lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp sep smap smep spec-ctrl "
			    "sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic "
			    "xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Skylake-Client-v4",
		.vendor = "GenuineIntel",
		.family = 6, .model = 94, .stepping = 3,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Core Processor (Skylake, IBRS, no TSX)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 bmi1 bmi2 clflush cmov "
			    "cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hypervisor invpcid "
			    "lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pge "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp sep smap smep spec-ctrl "
			    "sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic "
			    "xgetbv1 xsave xsavec xsaveopt xsaves",
	},
	{
		.name = "Skylake-Server",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 4,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Skylake)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 avx512bw avx512cd "
			    "avx512dq avx512f avx512vl bmi1 bmi2 clflush clflushopt clwb cmov "
			    "cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hle hypervisor invpcid "
			    "lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq "
			    "pdpe1gb pge pku pni popcnt pse pse36 rdrand rdseed rdtscp rtm sep "
			    "smap smep sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme "
			    "x2apic xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Skylake-Server-IBRS",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 4,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Skylake, IBRS)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 avx512bw avx512cd "
			    "avx512dq avx512f avx512vl bmi1 bmi2 clflush clwb cmov cx16 cx8 de "
			    "erms f16c fma fpu fsgsbase fxsr hle hypervisor invpcid lahf-lm lm "
			    "mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pdpe1gb pge pku "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp rtm sep smap smep "
			    "spec-ctrl sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme "
			    "x2apic xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Skylake-Server-noTSX-IBRS",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 4,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Skylake, IBRS, no TSX)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 avx512bw avx512cd "
			    "avx512dq avx512f avx512vl bmi1 bmi2 clflush clwb cmov cx16 cx8 de "
			    "erms f16c fma fpu fsgsbase fxsr hypervisor invpcid lahf-lm lm mca "
			    "mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pdpe1gb pge pku pni "
			    "popcnt pse pse36 rdrand rdseed rdtscp sep smap smep spec-ctrl sse "
			    "sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic xgetbv1 "
			    "xsave xsavec xsaveopt",
	},
	{
		.name = "Skylake-Server-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 4,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Skylake)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 avx512bw avx512cd "
			    "avx512dq avx512f avx512vl bmi1 bmi2 clflush clflushopt clwb cmov "
			    "cx16 cx8 de erms f16c fma fpu fsgsbase fxsr hle hypervisor invpcid "
			    "lahf-lm lm mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq "
			    "pdpe1gb pge pku pni popcnt pse pse36 rdrand rdseed rdtscp rtm sep "
			    "smap smep sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme "
			    "x2apic xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Skylake-Server-v2",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 4,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Skylake, IBRS)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 avx512bw avx512cd "
			    "avx512dq avx512f avx512vl bmi1 bmi2 clflush clwb cmov cx16 cx8 de "
			    "erms f16c fma fpu fsgsbase fxsr hle hypervisor invpcid lahf-lm lm "
			    "mca mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pdpe1gb pge pku "
			    "pni popcnt pse pse36 rdrand rdseed rdtscp rtm sep smap smep "
			    "spec-ctrl sse sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme "
			    "x2apic xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Skylake-Server-v3",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 4,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Skylake, IBRS, no TSX)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 avx512bw avx512cd "
			    "avx512dq avx512f avx512vl bmi1 bmi2 clflush clwb cmov cx16 cx8 de "
			    "erms f16c fma fpu fsgsbase fxsr hypervisor invpcid lahf-lm lm mca "
			    "mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pdpe1gb pge pku pni "
			    "popcnt pse pse36 rdrand rdseed rdtscp sep smap smep spec-ctrl sse "
			    "sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic xgetbv1 "
			    "xsave xsavec xsaveopt",
	},
	{
		.name = "Skylake-Server-v4",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 4,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Skylake, IBRS, no TSX)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 avx512bw avx512cd "
			    "avx512dq avx512f avx512vl bmi1 bmi2 clflush clwb cmov cx16 cx8 de "
			    "erms f16c fma fpu fsgsbase fxsr hypervisor invpcid lahf-lm lm mca "
			    "mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pdpe1gb pge pku pni "
			    "popcnt pse pse36 rdrand rdseed rdtscp sep smap smep spec-ctrl sse "
			    "sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic xgetbv1 "
			    "xsave xsavec xsaveopt",
	},
	{
		.name = "Skylake-Server-v5",
		.vendor = "GenuineIntel",
		.family = 6, .model = 85, .stepping = 4,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Intel Xeon Processor (Skylake, IBRS, no TSX)",
		.features = "3dnowprefetch abm adx aes apic arat avx avx2 avx512bw avx512cd "
			    "avx512dq avx512f avx512vl bmi1 bmi2 clflush clwb cmov cx16 cx8 de "
			    "erms f16c fma fpu fsgsbase fxsr hypervisor invpcid lahf-lm lm mca "
			    "mce mmx movbe msr mtrr nx pae pat pcid pclmulqdq pdpe1gb pge pku pni "
			    "popcnt pse pse36 rdrand rdseed rdtscp sep smap smep spec-ctrl sse "
			    "sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline vme x2apic xgetbv1 "
			    "xsave xsavec xsaveopt xsaves",
	},
	{
		.name = "Snowridge",
		.vendor = "GenuineIntel",
		.family = 6, .model = 134, .stepping = 1,
		.level = 0x1b, .xlevel = 0x80000008,
		.model_id = "Intel Atom Processor (SnowRidge)",
		/* MSR feature bits: split-lock-detect */
		.features = "3dnowprefetch aes apic arat arch-capabilities cldemote clflush "
			    "clflushopt clwb cmov core-capability cx16 cx8 de erms fpu fsgsbase "
			    "fxsr gfni hypervisor lahf-lm lm mca mce mmx monitor movbe movdir64b "
			    "movdiri mpx msr mtrr nx pae pat pclmulqdq pdpe1gb pge pni popcnt pse "
			    "pse36 rdrand rdseed rdtscp sep sha-ni smap smep spec-ctrl ssbd sse "
			    "sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline umip vme x2apic "
			    "xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Snowridge-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 134, .stepping = 1,
		.level = 0x1b, .xlevel = 0x80000008,
		.model_id = "Intel Atom Processor (SnowRidge)",
		/* MSR feature bits: split-lock-detect */
		.features = "3dnowprefetch aes apic arat arch-capabilities cldemote clflush "
			    "clflushopt clwb cmov core-capability cx16 cx8 de erms fpu fsgsbase "
			    "fxsr gfni hypervisor lahf-lm lm mca mce mmx monitor movbe movdir64b "
			    "movdiri mpx msr mtrr nx pae pat pclmulqdq pdpe1gb pge pni popcnt pse "
			    "pse36 rdrand rdseed rdtscp sep sha-ni smap smep spec-ctrl ssbd sse "
			    "sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline umip vme x2apic "
			    "xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Snowridge-v2",
		.vendor = "GenuineIntel",
		.family = 6, .model = 134, .stepping = 1,
		.level = 0x1b, .xlevel = 0x80000008,
		.model_id = "Intel Atom Processor (Snowridge, no MPX)",
		/* MSR feature bits: split-lock-detect */
		.features = "3dnowprefetch aes apic arat arch-capabilities cldemote clflush "
			    "clflushopt clwb cmov core-capability cx16 cx8 de erms fpu fsgsbase "
			    "fxsr gfni hypervisor lahf-lm lm mca mce mmx monitor movbe movdir64b "
			    "movdiri msr mtrr nx pae pat pclmulqdq pdpe1gb pge pni popcnt pse "
			    "pse36 rdrand rdseed rdtscp sep sha-ni smap smep spec-ctrl ssbd sse "
			    "sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline umip vme x2apic "
			    "xgetbv1 xsave xsavec xsaveopt",
	},
	{
		.name = "Snowridge-v3",
		.vendor = "GenuineIntel",
		.family = 6, .model = 134, .stepping = 1,
		.level = 0x1b, .xlevel = 0x80000008,
		.model_id = "Intel Atom Processor (Snowridge, no MPX)",
		/* MSR feature bits: split-lock-detect */
		.features = "3dnowprefetch aes apic arat arch-capabilities cldemote clflush "
			    "clflushopt clwb cmov core-capability cx16 cx8 de erms fpu fsgsbase "
			    "fxsr gfni hypervisor lahf-lm lm mca mce mmx monitor movbe movdir64b "
			    "movdiri msr mtrr nx pae pat pclmulqdq pdpe1gb pge pni popcnt pse "
			    "pse36 rdrand rdseed rdtscp sep sha-ni smap smep spec-ctrl ssbd sse "
			    "sse2 sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline umip vme x2apic "
			    "xgetbv1 xsave xsavec xsaveopt xsaves",
	},
	{
		.name = "Snowridge-v4",
		.vendor = "GenuineIntel",
		.family = 6, .model = 134, .stepping = 1,
		.level = 0x1b, .xlevel = 0x80000008,
		.model_id = "Intel Atom Processor (Snowridge, no MPX)",
		.features = "3dnowprefetch aes apic arat arch-capabilities cldemote clflush "
			    "clflushopt clwb cmov cx16 cx8 de erms fpu fsgsbase fxsr gfni "
			    "hypervisor lahf-lm lm mca mce mmx monitor movbe movdir64b movdiri "
			    "msr mtrr nx pae pat pclmulqdq pdpe1gb pge pni popcnt pse pse36 "
			    "rdrand rdseed rdtscp sep sha-ni smap smep spec-ctrl ssbd sse sse2 "
			    "sse4.1 sse4.2 ssse3 syscall tsc tsc-deadline umip vme x2apic xgetbv1 "
			    "xsave xsavec xsaveopt xsaves",
	},
	{
		.name = "Westmere",
		.vendor = "GenuineIntel",
		.family = 6, .model = 44, .stepping = 1,
		.level = 0xb, .xlevel = 0x80000008,
		.model_id = "Westmere E56xx/L56xx/X56xx (Nehalem-C)",
		.features = "aes apic arat clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm "
			    "lm mca mce mmx msr mtrr nx pae pat pclmulqdq pge pni popcnt pse "
			    "pse36 sep sse sse2 sse4.1 sse4.2 ssse3 syscall tsc vme",
	},
	{
		.name = "Westmere-IBRS",
		.vendor = "GenuineIntel",
		.family = 6, .model = 44, .stepping = 1,
		.level = 0xb, .xlevel = 0x80000008,
		.model_id = "Westmere E56xx/L56xx/X56xx (IBRS update)",
		.features = "aes apic arat clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm "
			    "lm mca mce mmx msr mtrr nx pae pat pclmulqdq pge pni popcnt pse "
			    "pse36 sep spec-ctrl sse sse2 sse4.1 sse4.2 ssse3 syscall tsc vme",
	},
	{
		.name = "Westmere-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 44, .stepping = 1,
		.level = 0xb, .xlevel = 0x80000008,
		.model_id = "Westmere E56xx/L56xx/X56xx (Nehalem-C)",
		.features = "aes apic arat clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm "
			    "lm mca mce mmx msr mtrr nx pae pat pclmulqdq pge pni popcnt pse "
			    "pse36 sep sse sse2 sse4.1 sse4.2 ssse3 syscall tsc vme",
	},
	{
		.name = "Westmere-v2",
		.vendor = "GenuineIntel",
		.family = 6, .model = 44, .stepping = 1,
		.level = 0xb, .xlevel = 0x80000008,
		.model_id = "Westmere E56xx/L56xx/X56xx (IBRS update)",
		.features = "aes apic arat clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm "
			    "lm mca mce mmx msr mtrr nx pae pat pclmulqdq pge pni popcnt pse "
			    "pse36 sep spec-ctrl sse sse2 sse4.1 sse4.2 ssse3 syscall tsc vme",
	},
	{
		.name = "athlon",
		.vendor = "AuthenticAMD",
		.family = 6, .model = 2, .stepping = 3,
		.level = 0x2, .xlevel = 0x80000008,
		.model_id = "QEMU Virtual CPU version 2.5+",
		.features = "3dnow 3dnowext apic cmov cx8 de fpu fxsr hypervisor mca mce mmx "
			    "mmxext msr mtrr pae pat pge pse pse36 sep sse sse2 tsc vme",
	},
	{
		.name = "athlon-v1",
		.vendor = "AuthenticAMD",
		.family = 6, .model = 2, .stepping = 3,
		.level = 0x2, .xlevel = 0x80000008,
		.model_id = "QEMU Virtual CPU version 2.5+",
		.features = "3dnow 3dnowext apic cmov cx8 de fpu fxsr hypervisor mca mce mmx "
			    "mmxext msr mtrr pae pat pge pse pse36 sep sse sse2 tsc vme",
	},
	{
		.name = "core2duo",
		.vendor = "GenuineIntel",
		.family = 6, .model = 15, .stepping = 11,
		.level = 0xa, .xlevel = 0x80000008,
		.model_id = "Intel(R) Core(TM)2 Duo CPU     T7700  @ 2.40GHz",
		.features = "acpi apic clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm lm "
			    "mca mce mmx monitor msr mtrr nx pae pat pge pni pse pse36 sep ss sse "
			    "sse2 ssse3 syscall tsc vme",
	},
	{
		.name = "core2duo-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 15, .stepping = 11,
		.level = 0xa, .xlevel = 0x80000008,
		.model_id = "Intel(R) Core(TM)2 Duo CPU     T7700  @ 2.40GHz",
		.features = "acpi apic clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm lm "
			    "mca mce mmx monitor msr mtrr nx pae pat pge pni pse pse36 sep ss sse "
			    "sse2 ssse3 syscall tsc vme",
	},
	{
		.name = "coreduo",
		.vendor = "GenuineIntel",
		.family = 6, .model = 14, .stepping = 8,
		.level = 0xa, .xlevel = 0x80000008,
		.model_id = "Genuine Intel(R) CPU           T2600  @ 2.16GHz",
		.features = "acpi apic clflush cmov cx8 de fpu fxsr hypervisor mca mce mmx "
			    "monitor msr mtrr nx pae pat pge pni pse sep ss sse sse2 tsc vme",
	},
	{
		.name = "coreduo-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 14, .stepping = 8,
		.level = 0xa, .xlevel = 0x80000008,
		.model_id = "Genuine Intel(R) CPU           T2600  @ 2.16GHz",
		.features = "acpi apic clflush cmov cx8 de fpu fxsr hypervisor mca mce mmx "
			    "monitor msr mtrr nx pae pat pge pni pse sep ss sse sse2 tsc vme",
	},
	{
		.name = "kvm32",
		.vendor = "GenuineIntel",
		.family = 15, .model = 6, .stepping = 1,
		.level = 0x5, .xlevel = 0x80000008,
		.model_id = "Common 32-bit KVM processor",
		.features = "apic clflush cmov cx8 de fpu fxsr hypervisor mca mce mmx msr mtrr "
			    "pae pat pge pni pse pse36 sep sse sse2 tsc vme",
	},
	{
		.name = "kvm32-v1",
		.vendor = "GenuineIntel",
		.family = 15, .model = 6, .stepping = 1,
		.level = 0x5, .xlevel = 0x80000008,
		.model_id = "Common 32-bit KVM processor",
		.features = "apic clflush cmov cx8 de fpu fxsr hypervisor mca mce mmx msr mtrr "
			    "pae pat pge pni pse pse36 sep sse sse2 tsc vme",
	},
	{
		.name = "kvm64",
		.vendor = "GenuineIntel",
		.family = 15, .model = 6, .stepping = 1,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Common KVM processor",
		.features = "apic clflush cmov cx16 cx8 de fpu fxsr hypervisor lm mca mce mmx msr "
			    "mtrr nx pae pat pge pni pse pse36 sep sse sse2 syscall tsc vme",
	},
	{
		.name = "kvm64-v1",
		.vendor = "GenuineIntel",
		.family = 15, .model = 6, .stepping = 1,
		.level = 0xd, .xlevel = 0x80000008,
		.model_id = "Common KVM processor",
		.features = "apic clflush cmov cx16 cx8 de fpu fxsr hypervisor lm mca mce mmx msr "
			    "mtrr nx pae pat pge pni pse pse36 sep sse sse2 syscall tsc vme",
	},
	{
		.name = "n270",
		.vendor = "GenuineIntel",
		.family = 6, .model = 28, .stepping = 2,
		.level = 0xa, .xlevel = 0x80000008,
		.model_id = "Intel(R) Atom(TM) CPU N270   @ 1.60GHz",
		.features = "acpi apic clflush cmov cx8 de fpu fxsr hypervisor lahf-lm mca mce "
			    "mmx monitor movbe msr mtrr nx pae pat pge pni pse sep ss sse sse2 "
			    "ssse3 tsc vme",
	},
	{
		.name = "n270-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 28, .stepping = 2,
		.level = 0xa, .xlevel = 0x80000008,
		.model_id = "Intel(R) Atom(TM) CPU N270   @ 1.60GHz",
		.features = "acpi apic clflush cmov cx8 de fpu fxsr hypervisor lahf-lm mca mce "
			    "mmx monitor movbe msr mtrr nx pae pat pge pni pse sep ss sse sse2 "
			    "ssse3 tsc vme",
	},
	{
		.name = "pentium",
		.vendor = "GenuineIntel",
		.family = 5, .model = 4, .stepping = 3,
		.level = 0x1, .xlevel = 0x0,
		.model_id = "",
		.features = "apic cx8 de fpu hypervisor mce mmx msr pse tsc vme",
	},
	{
		.name = "pentium-v1",
		.vendor = "GenuineIntel",
		.family = 5, .model = 4, .stepping = 3,
		.level = 0x1, .xlevel = 0x0,
		.model_id = "",
		.features = "apic cx8 de fpu hypervisor mce mmx msr pse tsc vme",
	},
	{
		.name = "pentium2",
		.vendor = "GenuineIntel",
		.family = 6, .model = 5, .stepping = 2,
		.level = 0x2, .xlevel = 0x0,
		.model_id = "",
		.features = "apic cmov cx8 de fpu fxsr hypervisor mca mce mmx msr mtrr pae pat "
			    "pge pse pse36 sep tsc vme",
	},
	{
		.name = "pentium2-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 5, .stepping = 2,
		.level = 0x2, .xlevel = 0x0,
		.model_id = "",
		.features = "apic cmov cx8 de fpu fxsr hypervisor mca mce mmx msr mtrr pae pat "
			    "pge pse pse36 sep tsc vme",
	},
	{
		.name = "pentium3",
		.vendor = "GenuineIntel",
		.family = 6, .model = 7, .stepping = 3,
		.level = 0x3, .xlevel = 0x0,
		.model_id = "",
		.features = "apic cmov cx8 de fpu fxsr hypervisor mca mce mmx msr mtrr pae pat "
			    "pge pse pse36 sep sse tsc vme",
	},
	{
		.name = "pentium3-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 7, .stepping = 3,
		.level = 0x3, .xlevel = 0x0,
		.model_id = "",
		.features = "apic cmov cx8 de fpu fxsr hypervisor mca mce mmx msr mtrr pae pat "
			    "pge pse pse36 sep sse tsc vme",
	},
	{
		.name = "phenom",
		.vendor = "AuthenticAMD",
		.family = 16, .model = 2, .stepping = 3,
		.level = 0x5, .xlevel = 0x8000001a,
		.model_id = "AMD Phenom(tm) 9550 Quad-Core Processor",
		.features = "3dnow 3dnowext abm apic clflush cmov cx16 cx8 de fpu fxsr fxsr-opt "
			    "hypervisor lahf-lm lm mca mce mmx mmxext monitor msr mtrr npt nx pae "
			    "pat pdpe1gb pge pni popcnt pse pse36 rdtscp sep sse sse2 sse4a svm "
			    "syscall tsc vme",
	},
	{
		.name = "phenom-v1",
		.vendor = "AuthenticAMD",
		.family = 16, .model = 2, .stepping = 3,
		.level = 0x5, .xlevel = 0x8000001a,
		.model_id = "AMD Phenom(tm) 9550 Quad-Core Processor",
		.features = "3dnow 3dnowext abm apic clflush cmov cx16 cx8 de fpu fxsr fxsr-opt "
			    "hypervisor lahf-lm lm mca mce mmx mmxext monitor msr mtrr npt nx pae "
			    "pat pdpe1gb pge pni popcnt pse pse36 rdtscp sep sse sse2 sse4a svm "
			    "syscall tsc vme",
	},
	{
		.name = "qemu32",
		.vendor = "GenuineIntel",
		.family = 6, .model = 6, .stepping = 3,
		.level = 0x4, .xlevel = 0x80000004,
		.model_id = "QEMU Virtual CPU version 2.5+",
		.features = "apic cmov cx8 de fpu fxsr hypervisor mce mmx msr pae pat pge pni pse "
			    "sep sse sse2 tsc",
	},
	{
		.name = "qemu32-v1",
		.vendor = "GenuineIntel",
		.family = 6, .model = 6, .stepping = 3,
		.level = 0x4, .xlevel = 0x80000004,
		.model_id = "QEMU Virtual CPU version 2.5+",
		.features = "apic cmov cx8 de fpu fxsr hypervisor mce mmx msr pae pat pge pni pse "
			    "sep sse sse2 tsc",
	},
	{
		.name = "qemu64",
		.vendor = "AuthenticAMD",
		.family = 15, .model = 107, .stepping = 1,
		.level = 0xd, .xlevel = 0x8000000a,
		.model_id = "QEMU Virtual CPU version 2.5+",
		.features = "apic clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm lm mca mce "
			    "mmx msr mtrr nx pae pat pge pni pse pse36 sep sse sse2 svm syscall "
			    "tsc",
	},
	{
		.name = "qemu64-v1",
		.vendor = "AuthenticAMD",
		.family = 15, .model = 107, .stepping = 1,
		.level = 0xd, .xlevel = 0x8000000a,
		.model_id = "QEMU Virtual CPU version 2.5+",
		.features = "apic clflush cmov cx16 cx8 de fpu fxsr hypervisor lahf-lm lm mca mce "
			    "mmx msr mtrr nx pae pat pge pni pse pse36 sep sse sse2 svm syscall "
			    "tsc",
	},
};
/* clang-format on */

const unsigned int cpu_model_defs_count =
	sizeof(cpu_model_defs) / sizeof(cpu_model_defs[0]);
