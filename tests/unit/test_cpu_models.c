// SPDX-License-Identifier: MIT
/*
 * The generated table of QEMU's named CPU models (src/x86/cpu_models.c):
 * well-formed entries whose every feature name is one cpu_feature_find()
 * knows by that exact canonical spelling, and spot checks of facts read from
 * QEMU 7.2 (query-cpu-model-expansion) when the table was generated.
 */
#include <stdbool.h>
#include <string.h>

#include "unit.h"
#include "x86/cpu_model.h"

#define MAX_MODEL_FEATURES 256

static const char *const vendors[] = {
	"GenuineIntel", "AuthenticAMD", "CentaurHauls",
	"HygonGenuine", "  Shanghai  ",
};

static const struct cpu_model_def *model(const char *name)
{
	const struct cpu_model_def *d = cpu_model_def_find(name, strlen(name));

	if (!d)
		fprintf(stderr, "model %s not in the table\n", name);
	return d;
}

/* Calls fn on each space-separated word; stops early if fn returns false. */
static bool for_each_feature(const char *s,
			     bool (*fn)(const char *w, size_t len, void *arg),
			     void *arg)
{
	while (*s) {
		size_t len = strcspn(s, " ");

		if (!fn(s, len, arg))
			return false;
		s += len;
		if (*s == ' ')
			s++;
	}
	return true;
}

struct lookup {
	const char *name;
	bool found;
};

static bool match_word(const char *w, size_t len, void *arg)
{
	struct lookup *l = arg;

	if (strlen(l->name) == len && memcmp(l->name, w, len) == 0) {
		l->found = true;
		return false;
	}
	return true;
}

static bool has(const struct cpu_model_def *d, const char *feature)
{
	struct lookup l = {feature, false};

	if (!d)
		return false;
	for_each_feature(d->features, match_word, &l);
	return l.found;
}

struct feature_check {
	const char *model;
	const struct cpu_feature *seen[MAX_MODEL_FEATURES];
	unsigned int n;
	unsigned int bad;
};

static bool check_word(const char *w, size_t len, void *arg)
{
	struct feature_check *c = arg;
	const struct cpu_feature *f = cpu_feature_find(w, len);

	if (!f) {
		fprintf(stderr,
			"%s: feature \"%.*s\" unknown to cpu_feature_find\n",
			c->model, (int)len, w);
		c->bad++;
		return true;
	}
	/* The table must use the canonical name, not an alias. */
	if (strlen(f->name) != len || memcmp(f->name, w, len) != 0) {
		fprintf(stderr, "%s: \"%.*s\" is an alias of \"%s\"\n",
			c->model, (int)len, w, f->name);
		c->bad++;
	}
	for (unsigned int i = 0; i < c->n; i++) {
		const struct cpu_feature *g = c->seen[i];

		if (g->leaf == f->leaf && g->subleaf == f->subleaf &&
		    g->reg == f->reg && g->bit == f->bit) {
			fprintf(stderr, "%s: \"%.*s\" repeats a bit\n",
				c->model, (int)len, w);
			c->bad++;
		}
	}
	if (c->n < MAX_MODEL_FEATURES)
		c->seen[c->n++] = f;
	else
		c->bad++;
	return true;
}

static void test_features_resolve(void)
{
	for (unsigned int i = 0; i < cpu_model_defs_count; i++) {
		const struct cpu_model_def *d = &cpu_model_defs[i];
		struct feature_check c = {.model = d->name};
		size_t len = strlen(d->features);

		for_each_feature(d->features, check_word, &c);
		CHECK_EQ(c.bad, 0);
		CHECK(c.n > 0);
		/* One space between words, none at either end. */
		CHECK(len > 0 && d->features[0] != ' ' &&
		      d->features[len - 1] != ' ');
		CHECK(strstr(d->features, "  ") == NULL);
	}
}

static bool known_vendor(const char *v)
{
	for (size_t i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++)
		if (strcmp(v, vendors[i]) == 0)
			return true;
	return false;
}

static void test_entries_well_formed(void)
{
	CHECK(cpu_model_defs_count >= 100);
	for (unsigned int i = 0; i < cpu_model_defs_count; i++) {
		const struct cpu_model_def *d = &cpu_model_defs[i];

		CHECK(d->name && d->name[0]);
		CHECK_EQ(strlen(d->vendor), 12);
		if (!known_vendor(d->vendor))
			fprintf(stderr, "%s: vendor \"%s\"\n", d->name,
				d->vendor);
		CHECK(known_vendor(d->vendor));
		CHECK(strlen(d->model_id) <= 48);
		CHECK(d->level >= 1 && d->level < 0x100);
		CHECK(d->xlevel == 0 ||
		      (d->xlevel >= 0x80000000 && d->xlevel < 0x80000100));
		CHECK(d->family >= 4 && d->family <= 0xff + 0xf);
		CHECK(d->model <= 0xff);
		CHECK(d->stepping <= 0xf);
		/* host, max and base are built at run time, not listed. */
		CHECK(strcmp(d->name, "host") != 0);
		CHECK(strcmp(d->name, "max") != 0);
		CHECK(strcmp(d->name, "base") != 0);
		CHECK(cpu_model_def_find(d->name, strlen(d->name)) == d);
	}
}

/* Sorted as -cpu help lists them, which also makes names unique. */
static void test_sorted_unique(void)
{
	for (unsigned int i = 1; i < cpu_model_defs_count; i++) {
		const char *a = cpu_model_defs[i - 1].name;
		const char *b = cpu_model_defs[i].name;

		if (strcmp(a, b) >= 0)
			fprintf(stderr, "\"%s\" then \"%s\"\n", a, b);
		CHECK(strcmp(a, b) < 0);
	}
}

static bool same_def(const struct cpu_model_def *a,
		     const struct cpu_model_def *b)
{
	return strcmp(a->vendor, b->vendor) == 0 && a->family == b->family &&
	       a->model == b->model && a->stepping == b->stepping &&
	       a->level == b->level && a->xlevel == b->xlevel &&
	       strcmp(a->model_id, b->model_id) == 0 &&
	       strcmp(a->features, b->features) == 0;
}

/* An unversioned name is -v1, as QEMU's current machine types have it. */
static void test_unversioned_is_v1(void)
{
	unsigned int pairs = 0;

	for (unsigned int i = 0; i < cpu_model_defs_count; i++) {
		const struct cpu_model_def *d = &cpu_model_defs[i];
		char v1[64];
		const struct cpu_model_def *w;

		snprintf(v1, sizeof(v1), "%s-v1", d->name);
		w = cpu_model_def_find(v1, strlen(v1));
		if (!w)
			continue;
		pairs++;
		if (!same_def(d, w))
			fprintf(stderr, "%s differs from %s\n", d->name, v1);
		CHECK(same_def(d, w));
	}
	CHECK(pairs >= 30);
	CHECK(model("Broadwell-v1") != NULL);
	CHECK(cpu_model_def_find("Broadwell-v", 11) == NULL);
	CHECK(cpu_model_def_find("qemu6", 5) == NULL);
}

static void test_qemu64(void)
{
	static const char *const want[] = {
		"fpu",	   "de",   "pse",  "tsc",     "msr",	 "pae",
		"mce",	   "cx8",  "apic", "sep",     "mtrr",	 "pge",
		"mca",	   "cmov", "pat",  "pse36",   "clflush", "mmx",
		"fxsr",	   "sse",  "sse2", "pni",     "cx16",	 "hypervisor",
		"syscall", "nx",   "lm",   "lahf-lm", "svm",
	};
	const struct cpu_model_def *d = model("qemu64");

	CHECK(d != NULL);
	if (!d)
		return;
	CHECK_STR(d->vendor, "AuthenticAMD");
	CHECK_EQ(d->family, 15);
	CHECK_EQ(d->model, 107);
	CHECK_EQ(d->stepping, 1);
	CHECK_EQ(d->level, 0xd);
	CHECK_EQ(d->xlevel, 0x8000000a);
	CHECK_STR(d->model_id, "QEMU Virtual CPU version 2.5+");
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (!has(d, want[i]))
			fprintf(stderr, "qemu64 lacks %s\n", want[i]);
		CHECK(has(d, want[i]));
	}
	/* Exactly those: no vme, x2apic or popcnt in QEMU's qemu64. */
	{
		struct feature_check c = {.model = "qemu64"};

		for_each_feature(d->features, check_word, &c);
		CHECK_EQ(c.n, sizeof(want) / sizeof(want[0]));
	}
	CHECK(!has(d, "vme"));
	CHECK(!has(d, "sse3")); /* spelled pni */
	CHECK(same_def(d, model("qemu64-v1")));
}

static void test_intel_models(void)
{
	const struct cpu_model_def *d = model("IvyBridge");

	CHECK(d && strcmp(d->vendor, "GenuineIntel") == 0);
	CHECK(d && d->family == 6 && d->model == 58 && d->stepping == 9);
	CHECK(has(d, "f16c"));
	CHECK(has(d, "rdrand"));
	CHECK(has(d, "avx"));
	CHECK(!has(d, "avx2"));
	CHECK(has(d, "x2apic"));
	/* TCG's vme=off default must not have leaked into the table. */
	CHECK(has(d, "vme"));

	d = model("Skylake-Server");
	CHECK(d && strcmp(d->vendor, "GenuineIntel") == 0);
	CHECK(d && d->family == 6 && d->model == 85 && d->stepping == 4);
	CHECK_STR(d ? d->model_id : NULL, "Intel Xeon Processor (Skylake)");
	CHECK(has(d, "avx512f"));
	CHECK(has(d, "clwb"));
	CHECK(has(d, "hle"));
	CHECK(has(d, "rtm"));
	CHECK(!has(d, "svm"));

	/* The -noTSX-IBRS alias is v3: IBRS, no TSX. */
	d = model("Skylake-Server-noTSX-IBRS");
	CHECK(has(d, "spec-ctrl"));
	CHECK(!has(d, "hle") && !has(d, "rtm"));
	CHECK(d && same_def(d, model("Skylake-Server-v3")));

	d = model("Cascadelake-Server-v2");
	CHECK(has(d, "arch-capabilities"));
	CHECK(!has(d, "rdctl-no")); /* an MSR bit, not CPUID */

	d = model("486");
	CHECK(d && d->family == 4 && d->level == 1 && d->xlevel == 0);
	CHECK(has(d, "fpu") && !has(d, "tsc"));
}

static void test_other_vendors(void)
{
	const struct cpu_model_def *d = model("Opteron_G1");

	CHECK_STR(d ? d->vendor : NULL, "AuthenticAMD");
	CHECK(d && d->family == 15);
	CHECK(has(d, "lm") && has(d, "nx") && has(d, "sse2"));

	d = model("EPYC");
	CHECK_STR(d ? d->vendor : NULL, "AuthenticAMD");
	CHECK(d && d->family == 23);
	CHECK(has(d, "svm") && has(d, "npt") && has(d, "nrip-save"));
	CHECK(has(d, "fxsr-opt")); /* not "ffxsr" */

	d = model("Dhyana");
	CHECK_STR(d ? d->vendor : NULL, "HygonGenuine");
	CHECK(d && d->family == 24);
}

int main(void)
{
	test_entries_well_formed();
	test_sorted_unique();
	test_features_resolve();
	test_unversioned_is_v1();
	test_qemu64();
	test_intel_models();
	test_other_vendors();
	return unit_report();
}
