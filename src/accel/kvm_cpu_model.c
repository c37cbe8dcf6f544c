// SPDX-License-Identifier: MIT
/*
 * A -cpu model under KVM.  A named model's CPUID is built the way QEMU builds
 * it under KVM: the model's feature bits that KVM supports, QEMU's KVM
 * defaults (x2apic on; svm, acpi, monitor off), the host's vendor, the
 * model's signature, brand string and highest leaves, 40 physical address
 * bits and no PMU; then the user's +feat/-feat and properties.  host and max
 * start from everything KVM supports.
 *
 * A requested feature KVM lacks is dropped with a warning, as QEMU does, or
 * is an error with enforce.  On kvm_pvm hosts the guest's CPUID leaves 1 and
 * 7 carry the host's feature bits whatever this says, and ring 3 reads the
 * host CPU directly; KVM itself still follows it (XCR0, x2APIC MSRs,
 * MAXPHYADDR, PMU), and so do the other leaves.
 */
#include "accel/kvm_cpuid.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util/log.h"
#include "x86/cpu_model.h"

/* ---- building a vCPU's CPUID from KVM's supported list ---- */

#define KVM_LEAF_BASE 0x40000000U
#define KVM_LEAF_END 0x40000100U
#define EXT_LEAF_BASE 0x80000000U
#define AMD_EDX_ALIASES 0x0183f3ffU	/* leaf 1 EDX bits AMD repeats */
#define XSAVE_LEGACY_SIZE 576U		/* FXSAVE area + XSAVE header */
#define DEFAULT_PHYS_BITS 40U		/* QEMU's, for named models */

struct cpuid_builder {
	struct kvm_cpuid2 *c;		/* being shaped */
	struct kvm_cpuid2 *supported;	/* what KVM offers, untouched */
	const struct cpu_config *cc;
	const struct cpu_model_def *def; /* NULL for host and max */
	bool quiet;			/* warned already, at first boot */
	unsigned int missing;
};

static struct kvm_cpuid_entry2 *cpuid_find(struct kvm_cpuid2 *c, uint32_t leaf,
					   uint32_t subleaf)
{
	for (unsigned int i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		if (e->function != leaf)
			continue;
		if ((e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) &&
		    e->index != subleaf)
			continue;
		return e;
	}
	return NULL;
}

static uint32_t *cpuid_reg(struct kvm_cpuid_entry2 *e, unsigned int reg)
{
	switch (reg) {
	case CPUID_EAX:
		return &e->eax;
	case CPUID_EBX:
		return &e->ebx;
	case CPUID_ECX:
		return &e->ecx;
	default:
		return &e->edx;
	}
}

static bool cpuid_has(struct kvm_cpuid2 *c, const struct cpu_feature *f)
{
	struct kvm_cpuid_entry2 *e = cpuid_find(c, f->leaf, f->subleaf);

	return e && (*cpuid_reg(e, f->reg) >> f->bit & 1);
}

static void cpuid_put(struct kvm_cpuid2 *c, const struct cpu_feature *f,
		      bool on)
{
	struct kvm_cpuid_entry2 *e = cpuid_find(c, f->leaf, f->subleaf);
	uint32_t *r;

	if (!e)
		return;
	r = cpuid_reg(e, f->reg);
	*r = on ? *r | 1U << f->bit : *r & ~(1U << f->bit);
}

static bool feature_on(struct kvm_cpuid2 *c, const char *name)
{
	const struct cpu_feature *f = cpu_feature_find(name, strlen(name));

	return f && cpuid_has(c, f);
}

static void report_missing(struct cpuid_builder *b, const struct cpu_feature *f)
{
	static const char regs[] = "ABCD";

	b->missing++;
	if (b->cc->enforce)
		log_error("-cpu %s: the host's KVM does not support %s "
			  "(CPUID.%02XH:E%cX bit %u)", b->cc->model, f->name,
			  (unsigned int)f->leaf, regs[f->reg], f->bit);
	else if (b->cc->check && !b->quiet)
		log_warn("-cpu %s: the host's KVM does not support %s "
			 "(CPUID.%02XH:E%cX bit %u) — left out", b->cc->model,
			 f->name, (unsigned int)f->leaf, regs[f->reg], f->bit);
}

/* Every bit by that name (kvmclock has two), if KVM supports it. */
static void request(struct cpuid_builder *b, const struct cpu_feature *f,
		    bool on)
{
	for (unsigned int i = 0; i < cpu_features_count; i++) {
		const struct cpu_feature *g = &cpu_features[i];

		if (strcmp(g->name, f->name) != 0)
			continue;
		if (on && !cpuid_has(b->supported, g)) {
			report_missing(b, g);
			continue;
		}
		cpuid_put(b->c, g, on);
	}
}

/* kvmrun's own defaults: a bit KVM lacks is left out without a word. */
static void request_default(struct cpuid_builder *b, const char *name, bool on)
{
	const struct cpu_feature *f = cpu_feature_find(name, strlen(name));

	if (!f || (on && !cpuid_has(b->supported, f)))
		return;
	request(b, f, on);
}

/* Start a named model from nothing: every named feature word cleared. */
static void clear_feature_words(struct cpuid_builder *b)
{
	for (unsigned int i = 0; i < cpu_features_count; i++) {
		const struct cpu_feature *f = &cpu_features[i];
		struct kvm_cpuid_entry2 *e;

		/* KVM's paravirtual leaves stay as KVM offers them. */
		if (f->leaf >= KVM_LEAF_BASE && f->leaf < KVM_LEAF_END)
			continue;
		e = cpuid_find(b->c, f->leaf, f->subleaf);
		if (e)
			*cpuid_reg(e, f->reg) = 0;
	}
}

static void apply_model_features(struct cpuid_builder *b)
{
	const char *p = b->def->features;

	clear_feature_words(b);
	while (*p) {
		size_t len = strcspn(p, " ");
		const struct cpu_feature *f = cpu_feature_find(p, len);

		if (f)
			request(b, f, true);
		p += len;
		p += strspn(p, " ");
	}
	/* What QEMU changes in every model under KVM. */
	request_default(b, "x2apic", true);
	request_default(b, "hypervisor", true);
	request_default(b, "svm", false);
	request_default(b, "acpi", false);
	request_default(b, "monitor", false);
}

static void apply_user_features(struct cpuid_builder *b)
{
	const struct cpu_config *cc = b->cc;

	for (unsigned int i = 0; i < cc->nchanges; i++)
		request(b, &cpu_features[cc->change_feature[i]],
			cc->change_on[i]);
}

/* ---- identity: vendor, signature, brand string ---- */

static void put_vendor(struct kvm_cpuid_entry2 *e, const char *v)
{
	memcpy(&e->ebx, v, 4);
	memcpy(&e->edx, v + 4, 4);
	memcpy(&e->ecx, v + 8, 4);
}

static void set_vendor(struct cpuid_builder *b, const char *vendor)
{
	struct kvm_cpuid_entry2 *e;

	if (strlen(vendor) != 12)
		return;
	e = cpuid_find(b->c, 0, 0);
	if (e)
		put_vendor(e, vendor);
	e = cpuid_find(b->c, EXT_LEAF_BASE, 0);
	if (e)
		put_vendor(e, vendor);
}

static bool vendor_is(struct cpuid_builder *b, const char *vendor)
{
	struct kvm_cpuid_entry2 *e = cpuid_find(b->c, 0, 0);
	char v[12];

	if (!e)
		return false;
	memcpy(v, &e->ebx, 4);
	memcpy(v + 4, &e->edx, 4);
	memcpy(v + 8, &e->ecx, 4);
	return memcmp(v, vendor, 12) == 0;
}

/* Family above 15 goes to the extended family field, as on real CPUs. */
static uint32_t signature(unsigned int family, unsigned int model,
			  unsigned int stepping)
{
	uint32_t eax = (stepping & 0xf) | (model & 0xf) << 4 |
		       (model >> 4 & 0xf) << 16;

	if (family > 0xf)
		return eax | 0xfU << 8 | ((family - 0xf) & 0xff) << 20;
	return eax | family << 8;
}

static void set_signature(struct cpuid_builder *b)
{
	const struct cpu_config *cc = b->cc;
	struct kvm_cpuid_entry2 *e = cpuid_find(b->c, 1, 0), *ext;
	unsigned int family, model, stepping;

	if (!e)
		return;
	family = e->eax >> 8 & 0xf;
	if (family == 0xf)
		family += e->eax >> 20 & 0xff;
	model = (e->eax >> 4 & 0xf) | (e->eax >> 16 & 0xf) << 4;
	stepping = e->eax & 0xf;
	if (b->def) {
		family = b->def->family;
		model = b->def->model;
		stepping = b->def->stepping;
	}
	family = cc->family >= 0 ? (unsigned int)cc->family : family;
	model = cc->model_number >= 0 ? (unsigned int)cc->model_number : model;
	stepping = cc->stepping >= 0 ? (unsigned int)cc->stepping : stepping;
	e->eax = signature(family, model, stepping);
	/* QEMU repeats the signature in leaf 0x80000001, for any vendor. */
	ext = cpuid_find(b->c, EXT_LEAF_BASE + 1, 0);
	if (ext && b->def) {
		ext->eax = e->eax;
		ext->ebx = 0;
	}
}

static void set_model_id(struct cpuid_builder *b, const char *id)
{
	char brand[48] = { 0 };

	memcpy(brand, id, strnlen(id, sizeof(brand)));
	for (uint32_t leaf = 0; leaf < 3; leaf++) {
		struct kvm_cpuid_entry2 *e;

		e = cpuid_find(b->c, EXT_LEAF_BASE + 2 + leaf, 0);
		if (!e)
			continue;
		memcpy(&e->eax, brand + leaf * 16, 4);
		memcpy(&e->ebx, brand + leaf * 16 + 4, 4);
		memcpy(&e->ecx, brand + leaf * 16 + 8, 4);
		memcpy(&e->edx, brand + leaf * 16 + 12, 4);
	}
}

static void set_identity(struct cpuid_builder *b)
{
	const struct cpu_config *cc = b->cc;

	/*
	 * Like QEMU under KVM, a named model keeps the host's vendor: guests
	 * then use the system-call instructions the host CPU really has in
	 * compatibility mode.  vendor= overrides.
	 */
	if (cc->vendor[0])
		set_vendor(b, cc->vendor);
	set_signature(b);
	if (b->def)
		set_model_id(b, b->def->model_id);
	if (cc->model_id_set)
		set_model_id(b, cc->model_id);
}

/* AMD repeats leaf 1's EDX bits in leaf 0x80000001; Intel leaves them 0. */
static void fix_amd_aliases(struct cpuid_builder *b)
{
	struct kvm_cpuid_entry2 *basic = cpuid_find(b->c, 1, 0);
	struct kvm_cpuid_entry2 *ext = cpuid_find(b->c, EXT_LEAF_BASE + 1, 0);

	if (!basic || !ext || (!b->def && !b->cc->vendor[0]))
		return;
	ext->edx &= ~AMD_EDX_ALIASES;
	if (vendor_is(b, "AuthenticAMD") || vendor_is(b, "HygonGenuine"))
		ext->edx |= basic->edx & AMD_EDX_ALIASES;
}

/* ---- highest leaves ---- */

static bool any_feature_in(struct kvm_cpuid2 *c, uint32_t leaf)
{
	for (unsigned int i = 0; i < cpu_features_count; i++)
		if (cpu_features[i].leaf == leaf &&
		    cpuid_has(c, &cpu_features[i]))
			return true;
	return false;
}

/*
 * As QEMU's full-cpuid-auto-level: a feature in a leaf above the model's
 * highest raises it, unless the user gave level= or xlevel=.
 */
static uint32_t auto_level(struct cpuid_builder *b, uint32_t level,
			   uint32_t first, uint32_t last)
{
	for (unsigned int i = 0; i < cpu_features_count; i++) {
		uint32_t leaf = cpu_features[i].leaf;

		if (leaf < first || leaf > last || leaf <= level)
			continue;
		if (any_feature_in(b->c, leaf))
			level = leaf;
	}
	if (first < EXT_LEAF_BASE && level < 0xd && feature_on(b->c, "xsave"))
		level = 0xd;
	return level;
}

static void drop_entries(struct kvm_cpuid2 *c, uint32_t first, uint32_t last)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < c->nent; i++) {
		uint32_t fn = c->entries[i].function;

		if (fn >= first && fn <= last)
			continue;
		c->entries[n++] = c->entries[i];
	}
	c->nent = n;
}

static void set_levels(struct cpuid_builder *b)
{
	const struct cpu_config *cc = b->cc;
	struct kvm_cpuid_entry2 *basic = cpuid_find(b->c, 0, 0);
	struct kvm_cpuid_entry2 *ext = cpuid_find(b->c, EXT_LEAF_BASE, 0);
	uint32_t level, xlevel;

	if (!basic || !ext)
		return;
	level = b->def ? b->def->level : basic->eax;
	xlevel = b->def ? b->def->xlevel : ext->eax;
	if (cc->level)
		level = cc->level;
	else
		level = auto_level(b, level, 1, KVM_LEAF_BASE - 1);
	if (cc->xlevel)
		xlevel = cc->xlevel;
	else
		xlevel = auto_level(b, xlevel, EXT_LEAF_BASE, 0x8fffffffU);
	basic->eax = level;
	ext->eax = xlevel;
	drop_entries(b->c, level + 1, KVM_LEAF_BASE - 1);
	drop_entries(b->c, xlevel + 1, 0x8fffffffU);
}

/* ---- XSAVE components, PMU, address bits, KVM leaves ---- */

/* The XCR0 components a feature brings: AVX 2, MPX 3-4, AVX-512 5-7, ... */
static uint64_t xcr0_allowed(struct kvm_cpuid2 *c)
{
	uint64_t mask = 0x3;	/* x87, SSE */

	if (feature_on(c, "avx"))
		mask |= 1ULL << 2;
	if (feature_on(c, "mpx"))
		mask |= 3ULL << 3;
	if (feature_on(c, "avx512f"))
		mask |= 7ULL << 5;
	if (feature_on(c, "pku"))
		mask |= 1ULL << 9;
	if (feature_on(c, "amx-tile"))
		mask |= 3ULL << 17;
	return mask;
}

static void fit_xsave_leaf(struct cpuid_builder *b)
{
	struct kvm_cpuid_entry2 *e0 = cpuid_find(b->c, 0xd, 0);
	uint64_t xcr0, xss = 0;
	uint32_t size = XSAVE_LEGACY_SIZE;

	if (!e0)
		return;
	if (!feature_on(b->c, "xsave")) {
		drop_entries(b->c, 0xd, 0xd);
		return;
	}
	xcr0 = ((uint64_t)e0->edx << 32 | e0->eax) & xcr0_allowed(b->c);
	e0->eax = (uint32_t)xcr0;
	e0->edx = (uint32_t)(xcr0 >> 32);
	for (unsigned int i = 0; i < b->c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &b->c->entries[i];

		if (e->function != 0xd)
			continue;
		if (e->index == 1)
			xss = (uint64_t)e->edx << 32 | e->ecx;
		if (e->index < 2 || e->index > 63)
			continue;
		if (!((xcr0 | xss) >> e->index & 1)) {
			e->eax = e->ebx = e->ecx = e->edx = 0;
			continue;
		}
		if ((xcr0 >> e->index & 1) && e->eax + e->ebx > size)
			size = e->eax + e->ebx;
	}
	e0->ecx = size;
	e0->ebx = XSAVE_LEGACY_SIZE;	/* for XCR0 = x87|SSE; KVM updates */
}

static void fit_pmu(struct cpuid_builder *b)
{
	int pmu = b->cc->pmu;
	struct kvm_cpuid_entry2 *e;

	if (pmu == CPU_DEFAULT)
		pmu = b->def ? CPU_OFF : CPU_ON;
	if (pmu == CPU_ON)
		return;
	e = cpuid_find(b->c, 0xa, 0);
	if (e)
		e->eax = e->ebx = e->ecx = e->edx = 0;
	request_default(b, "pdcm", false);
	request_default(b, "perfctr-core", false);
}

static unsigned int host_phys_bits(struct cpuid_builder *b)
{
	struct kvm_cpuid_entry2 *e;

	e = cpuid_find(b->supported, EXT_LEAF_BASE + 8, 0);
	return e && (e->eax & 0xff) ? e->eax & 0xff : 36;
}

static unsigned int phys_bits(struct cpuid_builder *b)
{
	const struct cpu_config *cc = b->cc;

	if (cc->phys_bits)
		return cc->phys_bits;
	if (cc->host_phys_bits == CPU_ON)
		return host_phys_bits(b);
	if (cc->host_phys_bits == CPU_OFF || b->def)
		return DEFAULT_PHYS_BITS;
	return host_phys_bits(b);
}

static int fit_phys_bits(struct cpuid_builder *b, uint64_t ram_top)
{
	struct kvm_cpuid_entry2 *e = cpuid_find(b->c, EXT_LEAF_BASE + 8, 0);
	unsigned int bits = phys_bits(b), vbits;

	if (bits < 64 && ram_top > 1ULL << bits) {
		log_error("-cpu %s: %u physical address bits reach %llu GiB, "
			  "less than the guest's memory needs — raise "
			  "phys-bits or use host-phys-bits=on", b->cc->model,
			  bits, (1ULL << bits) >> 30);
		return -EINVAL;
	}
	if (bits > host_phys_bits(b) && !b->quiet)
		log_warn("-cpu %s: phys-bits=%u is more than the host's %u",
			 b->cc->model, bits, host_phys_bits(b));
	if (!e)
		return 0;
	vbits = feature_on(b->c, "la57") ? 57 : 48;
	e->eax = (e->eax & ~0xffffU) | vbits << 8 | bits;
	return 0;
}

static void fit_kvm_leaves(struct cpuid_builder *b)
{
	if (b->cc->hide_kvm)
		drop_entries(b->c, KVM_LEAF_BASE, KVM_LEAF_END - 1);
}

/* ---- the whole ---- */

int cpu_model_apply(struct kvm_cpuid2 *c, const struct cpu_config *cc,
		    uint64_t ram_top, bool quiet)
{
	size_t size = sizeof(*c) + c->nent * sizeof(c->entries[0]);
	struct cpuid_builder b = { .c = c, .cc = cc, .quiet = quiet };
	const char *name = cc->model ? cc->model : "host";
	int ret = 0;

	if (strcmp(name, "host") != 0 && strcmp(name, "max") != 0) {
		b.def = cpu_model_def_find(name, strlen(name));
		if (!b.def) {
			log_error("-cpu %s: unknown CPU model — see -cpu help",
				  name);
			return -EINVAL;
		}
	}
	b.supported = malloc(size);
	if (!b.supported)
		return -ENOMEM;
	memcpy(b.supported, c, size);
	if (b.def)
		apply_model_features(&b);
	apply_user_features(&b);
	if (cc->enforce && b.missing) {
		log_error("-cpu %s: enforce is set and %u requested feature%s "
			  "missing — remove %s or drop enforce", name, b.missing,
			  b.missing == 1 ? " is" : "s are",
			  b.missing == 1 ? "it" : "them");
		ret = -EINVAL;
		goto out;
	}
	fit_pmu(&b);
	set_identity(&b);
	fix_amd_aliases(&b);
	fit_xsave_leaf(&b);
	fit_kvm_leaves(&b);
	set_levels(&b);
	ret = fit_phys_bits(&b, ram_top);
out:
	free(b.supported);
	return ret;
}
