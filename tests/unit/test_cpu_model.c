// SPDX-License-Identifier: MIT
/*
 * The -cpu CPUID builder (src/accel/kvm_cpu_model.c) on a made-up KVM supported
 * list: named models, +feat/-feat, properties, XSAVE sizes, levels, errors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kvm.h>

#include "accel/kvm_cpuid.h"
#include "config.h"
#include "options.h"
#include "unit.h"
#include "x86/cpu_model.h"

#define MAX_ENT 64
#define RAM_TOP (256ULL << 20)

struct cpuid_buf {
	struct kvm_cpuid2 hdr;
	struct kvm_cpuid_entry2 e[MAX_ENT];
};

static void add(struct cpuid_buf *b, uint32_t fn, uint32_t idx, bool indexed,
		uint32_t a, uint32_t bx, uint32_t c, uint32_t d)
{
	struct kvm_cpuid_entry2 *e = &b->e[b->hdr.nent++];

	memset(e, 0, sizeof(*e));
	e->function = fn;
	e->index = idx;
	e->flags = indexed ? KVM_CPUID_FLAG_SIGNIFCANT_INDEX : 0;
	e->eax = a;
	e->ebx = bx;
	e->ecx = c;
	e->edx = d;
}

/* An Intel host whose KVM supports nearly everything, AVX-512 included. */
static void host_supported(struct cpuid_buf *b)
{
	memset(b, 0, sizeof(*b));
	add(b, 0, 0, false, 0x16, 0x756e6547, 0x6c65746e, 0x49656e69);
	add(b, 1, 0, false, 0x50654, 0x800, 0xfffa3203 | 1U << 31, 0x178bfbff);
	add(b, 4, 0, true, 0x121, 0x1c0003f, 0x3f, 0);
	add(b, 7, 0, true, 0, 0xd19f4fbb, 0x40005f5e, 0xbc000400);
	add(b, 0xa, 0, false, 0x07300402, 0, 0, 0x603);
	add(b, 0xd, 0, true, 0x2e7, 0x240, 0xa88, 0);
	add(b, 0xd, 1, true, 0xf, 0x240, 0, 0);
	add(b, 0xd, 2, true, 0x100, 0x240, 0, 0);
	add(b, 0xd, 5, true, 0x40, 0x440, 0, 0);
	add(b, 0xd, 6, true, 0x200, 0x480, 0, 0);
	add(b, 0xd, 7, true, 0x400, 0x680, 0, 0);
	add(b, 0xd, 9, true, 0x8, 0xa80, 0, 0);
	add(b, 0x16, 0, false, 0x7d0, 0xe10, 0x64, 0);
	add(b, 0x40000000, 0, false, 0x40000001, 0x4b4d564b, 0x564b4d56,
	    0x4d);
	add(b, 0x40000001, 0, false, 0x01007afb, 0, 0, 0);
	add(b, 0x80000000, 0, false, 0x80000008, 0, 0, 0);
	add(b, 0x80000001, 0, false, 0, 0, 0x121, 0x2c100800);
	add(b, 0x80000002, 0, false, 0x65746e49, 0x2952286c, 0x6f655820,
	    0x2952286e);
	add(b, 0x80000003, 0, false, 0x20555043, 0x20202020, 0x20202020,
	    0x20202020);
	add(b, 0x80000004, 0, false, 0x20202020, 0x20202020, 0x20202020,
	    0x20202020);
	add(b, 0x80000008, 0, false, 0x302e, 0, 0, 0);
}

static struct kvm_cpuid_entry2 *find(struct cpuid_buf *b, uint32_t fn,
				     uint32_t idx)
{
	for (unsigned int i = 0; i < b->hdr.nent; i++)
		if (b->e[i].function == fn && b->e[i].index == idx)
			return &b->e[i];
	return NULL;
}

static bool has(struct cpuid_buf *b, const char *name)
{
	const struct cpu_feature *f = cpu_feature_find(name, strlen(name));
	struct kvm_cpuid_entry2 *e;
	uint32_t r;

	if (!f)
		return false;
	e = find(b, f->leaf, f->subleaf);
	if (!e)
		return false;
	r = f->reg == CPUID_EAX ? e->eax : f->reg == CPUID_EBX ? e->ebx :
	    f->reg == CPUID_ECX ? e->ecx : e->edx;
	return r >> f->bit & 1;
}

/* Parse "-cpu ARG" the way the command line does, then build. */
static int build(struct cpuid_buf *b, const char *arg, uint64_t ram_top)
{
	struct cpu_config cc;
	int ret;

	host_supported(b);
	ret = options_parse_cpu(&cc, arg);
	if (ret)
		return ret;
	cc.check = false;	/* the made-up host lacks some model bits */
	if (strstr(arg, "check=on"))
		cc.check = true;
	return cpu_model_apply(&b->hdr, &cc, ram_top, false);
}

static void test_feature_names(void)
{
	const struct cpu_feature *f;

	f = cpu_feature_find("sse4.2", 6);
	CHECK(f && f->leaf == 1 && f->reg == CPUID_ECX && f->bit == 20);
	CHECK(cpu_feature_find("sse4_2", 6) == f);
	CHECK(cpu_feature_find("sse4-2", 6) == f);
	CHECK(cpu_feature_find("sse4.2x", 6) == f);	/* length counts */
	CHECK(!cpu_feature_find("sse4.2x", 7));
	CHECK(cpu_feature_find("sse3", 4) == cpu_feature_find("pni", 3));
	CHECK(cpu_feature_find("xd", 2) == cpu_feature_find("nx", 2));
	CHECK(cpu_feature_find("i64", 3) == cpu_feature_find("lm", 2));
	f = cpu_feature_find("tsc_deadline", 12);
	CHECK(f && f->bit == 24);
	f = cpu_feature_find("invpcid", 7);
	CHECK(f && f->leaf == 7 && f->subleaf == 0 && f->reg == CPUID_EBX &&
	      f->bit == 10);
	f = cpu_feature_find("la57", 4);
	CHECK(f && f->leaf == 7 && f->reg == CPUID_ECX && f->bit == 16);
	CHECK(!cpu_feature_find("", 0));
	CHECK(!cpu_feature_find("vmx-mbec", 8));
	/* Names are unique but for kvmclock, which QEMU gives two bits. */
	for (unsigned int i = 0; i < cpu_features_count; i++)
		for (unsigned int j = i + 1; j < cpu_features_count; j++)
			if (!strcmp(cpu_features[i].name, cpu_features[j].name))
				CHECK_STR(cpu_features[i].name, "kvmclock");
}

static void test_host(void)
{
	struct cpuid_buf b, ref;

	host_supported(&ref);
	CHECK_EQ(build(&b, "host", RAM_TOP), 0);
	CHECK_EQ(b.hdr.nent, ref.hdr.nent);
	CHECK(!memcmp(b.e, ref.e, sizeof(b.e[0]) * b.hdr.nent));
	CHECK_EQ(build(&b, "max", RAM_TOP), 0);
	CHECK(!memcmp(b.e, ref.e, sizeof(b.e[0]) * b.hdr.nent));

	/* -avx takes AVX's XSAVE component out and shrinks the area. */
	CHECK_EQ(build(&b, "host,-avx", RAM_TOP), 0);
	CHECK(!has(&b, "avx") && has(&b, "sse4.2"));
	CHECK_EQ(find(&b, 0xd, 0)->eax, 0x2e3);
	CHECK_EQ(find(&b, 0xd, 2)->eax, 0);
	CHECK_EQ(find(&b, 0xd, 0)->ecx, 0xa88);	/* PKRU still ends it */
	CHECK_EQ(build(&b, "host,-avx512f,-pku", RAM_TOP), 0);
	CHECK_EQ(find(&b, 0xd, 0)->eax, 0x7);
	CHECK_EQ(find(&b, 0xd, 0)->ecx, 0x340);
	CHECK_EQ(find(&b, 0xd, 9)->eax, 0);
	/* -xsave: no XSAVE leaf at all. */
	CHECK_EQ(build(&b, "host,-xsave", RAM_TOP), 0);
	CHECK(!find(&b, 0xd, 0) && !find(&b, 0xd, 1));

	/* Later items win. */
	CHECK_EQ(build(&b, "host,-pcid,+pcid", RAM_TOP), 0);
	CHECK(has(&b, "pcid"));
	CHECK_EQ(build(&b, "host,pcid=on,-pcid", RAM_TOP), 0);
	CHECK(!has(&b, "pcid"));
	/* The hypervisor bit can go, as in QEMU. */
	CHECK_EQ(build(&b, "host,-hypervisor", RAM_TOP), 0);
	CHECK(!has(&b, "hypervisor"));
	/* Host keeps the host's PMU and address width. */
	CHECK_EQ(find(&b, 0xa, 0)->eax, 0x07300402);
	CHECK_EQ(find(&b, 0x80000008, 0)->eax & 0xff, 46);
	CHECK_EQ(build(&b, "host,pmu=off", RAM_TOP), 0);
	CHECK_EQ(find(&b, 0xa, 0)->eax, 0);
	CHECK(!has(&b, "pdcm"));
}

static void test_named(void)
{
	struct cpuid_buf b;
	struct kvm_cpuid_entry2 *e;
	char brand[49] = { 0 };

	/* A model keeps the host's vendor, as QEMU does under KVM. */
	CHECK_EQ(build(&b, "qemu64", RAM_TOP), 0);
	e = find(&b, 0, 0);
	CHECK(e && !memcmp(&e->ebx, "Genu", 4) && !memcmp(&e->edx, "ineI", 4) &&
	      !memcmp(&e->ecx, "ntel", 4));
	CHECK_EQ(e->eax, 0xd);
	CHECK_EQ(find(&b, 0x80000000, 0)->eax, 0x8000000a);	/* QEMU's */
	CHECK_EQ(find(&b, 1, 0)->eax, 0x60fb1);	/* family 15, model 107 */
	CHECK_EQ(find(&b, 0x80000001, 0)->eax, 0x60fb1);
	CHECK_EQ(find(&b, 0x80000001, 0)->ebx, 0);
	CHECK(has(&b, "sse2") && has(&b, "cx16") && has(&b, "lm"));
	CHECK(has(&b, "x2apic") && has(&b, "hypervisor"));
	CHECK(!has(&b, "avx") && !has(&b, "sse4.2") && !has(&b, "pcid"));
	CHECK(!has(&b, "svm") && !has(&b, "monitor"));
	CHECK_EQ(find(&b, 7, 0)->ebx, 0);
	/* Intel leaves leaf 0x80000001's copies of leaf 1 EDX clear ... */
	CHECK(has(&b, "syscall") && has(&b, "nx"));
	CHECK_EQ(find(&b, 0x80000001, 0)->edx & 0x0183f3ff, 0);
	/* ... AMD repeats them. */
	CHECK_EQ(build(&b, "qemu64,vendor=AuthenticAMD", RAM_TOP), 0);
	e = find(&b, 0x80000000, 0);
	CHECK(e && !memcmp(&e->ebx, "Auth", 4) && !memcmp(&e->edx, "enti", 4) &&
	      !memcmp(&e->ecx, "cAMD", 4));
	CHECK(has(&b, "syscall") && has(&b, "nx"));
	CHECK_EQ(find(&b, 0x80000001, 0)->edx & 0x0183f3ff,
		 find(&b, 1, 0)->edx & 0x0183f3ff);
	CHECK_EQ(build(&b, "qemu64", RAM_TOP), 0);
	/* Leaves above the model's level are gone; KVM's stay. */
	CHECK(!find(&b, 0x16, 0));
	CHECK(find(&b, 0x40000001, 0));
	/* No PMU, 40 address bits, XSAVE leaf gone with xsave. */
	CHECK_EQ(find(&b, 0xa, 0)->eax, 0);
	CHECK_EQ(find(&b, 0x80000008, 0)->eax & 0xffff, 0x3028);
	CHECK(!find(&b, 0xd, 0));
	for (uint32_t i = 0; i < 3; i++)
		memcpy(brand + 16 * i, &find(&b, 0x80000002 + i, 0)->eax, 16);
	CHECK(!strncmp(brand, "QEMU Virtual CPU", 16));

	/* +feat on a model: the bit KVM supports is set. */
	CHECK_EQ(build(&b, "qemu64,+pcid,+invpcid,+avx", RAM_TOP), 0);
	CHECK(has(&b, "pcid") && has(&b, "invpcid") && has(&b, "avx"));
	CHECK(!has(&b, "xsave"));
	CHECK_EQ(build(&b, "qemu64,-x2apic,+tsc-deadline", RAM_TOP), 0);
	CHECK(!has(&b, "x2apic") && has(&b, "tsc-deadline"));
	CHECK_EQ(build(&b, "qemu64,+xsave,+avx", RAM_TOP), 0);
	CHECK_EQ(find(&b, 0xd, 0)->eax, 0x7);
	CHECK_EQ(find(&b, 0xd, 0)->ecx, 0x340);
	CHECK_EQ(find(&b, 0xd, 5)->eax, 0);
	CHECK(!has(&b, "xsaveopt"));		/* not in the model */

	/* Properties over the model. */
	CHECK_EQ(build(&b, "qemu64,vendor=GenuineIntel,family=6,model=85,"
		       "stepping=4,model-id=Test CPU,level=0xb,xlevel="
		       "0x80000004,phys-bits=39,pmu=on", RAM_TOP), 0);
	e = find(&b, 0, 0);
	CHECK(e && !memcmp(&e->ebx, "Genu", 4) && e->eax == 0xb);
	CHECK_EQ(find(&b, 1, 0)->eax, 0x50654);
	/* Intel vendor: no AMD copies in leaf 0x80000001. */
	CHECK_EQ(find(&b, 0x80000001, 0)->edx & 0x0183f3ff, 0);
	CHECK(has(&b, "syscall"));
	CHECK_EQ(find(&b, 0x80000000, 0)->eax, 0x80000004);
	CHECK(!find(&b, 0x80000008, 0));
	CHECK_EQ(find(&b, 0xa, 0)->eax, 0x07300402);
	memset(brand, 0, sizeof(brand));
	for (uint32_t i = 0; i < 3; i++)
		memcpy(brand + 16 * i, &find(&b, 0x80000002 + i, 0)->eax, 16);
	CHECK_STR(brand, "Test CPU");
	/* Family above 15 uses the extended field. */
	CHECK_EQ(build(&b, "qemu64,family=0x19,model=0x21,stepping=2",
		       RAM_TOP), 0);
	CHECK_EQ(find(&b, 1, 0)->eax, 0xa20f12);
	CHECK_EQ(build(&b, "host,phys-bits=39", RAM_TOP), 0);
	CHECK_EQ(find(&b, 0x80000008, 0)->eax & 0xff, 39);
	CHECK_EQ(build(&b, "qemu64,host-phys-bits=on", RAM_TOP), 0);
	CHECK_EQ(find(&b, 0x80000008, 0)->eax & 0xff, 46);
	/* kvm=off hides KVM's signature and features. */
	CHECK_EQ(build(&b, "qemu64,kvm=off", RAM_TOP), 0);
	CHECK(!find(&b, 0x40000000, 0) && !find(&b, 0x40000001, 0));
}

static void test_auto_level(void)
{
	struct cpuid_buf b;

	/* qemu32 stops at leaf 4; a leaf-7 feature raises it to 7. */
	CHECK_EQ(build(&b, "qemu32", RAM_TOP), 0);
	CHECK_EQ(find(&b, 0, 0)->eax, 4);
	CHECK(!find(&b, 7, 0));
	CHECK_EQ(build(&b, "qemu32,+smep", RAM_TOP), 0);
	CHECK_EQ(find(&b, 0, 0)->eax, 7);
	CHECK(has(&b, "smep"));
	/* ... unless level= says otherwise. */
	CHECK_EQ(build(&b, "qemu32,+smep,level=4", RAM_TOP), 0);
	CHECK_EQ(find(&b, 0, 0)->eax, 4);
	CHECK(!find(&b, 7, 0));
	CHECK_EQ(build(&b, "qemu32,+xsave", RAM_TOP), 0);
	CHECK_EQ(find(&b, 0, 0)->eax, 0xd);
}

static void test_errors(void)
{
	struct cpuid_buf b;

	/* The made-up host's KVM lacks leaf 7 EDX bit 2 (avx512-4vnniw). */
	CHECK_EQ(build(&b, "host,+avx512-4vnniw", RAM_TOP), 0);
	CHECK(!has(&b, "avx512-4vnniw"));
	CHECK_EQ(build(&b, "host,+avx512-4vnniw,enforce", RAM_TOP), -EINVAL);
	CHECK_EQ(build(&b, "host,enforce,+avx512-4vnniw,enforce=off",
		       RAM_TOP), 0);
	/* A leaf KVM does not have at all. */
	CHECK_EQ(build(&b, "host,+sgx1,enforce", RAM_TOP), -EINVAL);
	/* Addresses: 36 bits reach 64 GiB. */
	CHECK_EQ(build(&b, "qemu64,phys-bits=36", 64ULL << 30), 0);
	CHECK_EQ(build(&b, "qemu64,phys-bits=36", (64ULL << 30) + 4096),
		 -EINVAL);
	CHECK_EQ(build(&b, "qemu64", 1ULL << 40), 0);
	CHECK_EQ(build(&b, "qemu64", (1ULL << 40) + (1ULL << 30)), -EINVAL);
	CHECK_EQ(build(&b, "qemu64,host-phys-bits=on",
		       (1ULL << 40) + (1ULL << 30)), 0);
}

int main(void)
{
	test_feature_names();
	test_host();
	test_named();
	test_auto_level();
	test_errors();
	return unit_report();
}
