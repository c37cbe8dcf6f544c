// SPDX-License-Identifier: MIT
/*
 * -cpu MODEL[,ITEM...] as qemu-system-x86_64 7.2 reads it: items split at
 * every ',' (QEMU has no ",," escape here), each "+feat", "-feat", "feat"
 * (on), "feat=on|off", or a property.  Items apply in command-line order,
 * so a later one wins.  Options only: the CPUID is built at VM creation.
 */
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "x86/cpu_model.h"

#define ITEM_MAX 128

struct cpu_item {
	const char *arg;	/* the whole -cpu argument, for messages */
	char key[ITEM_MAX];
	const char *val;	/* NULL when the item has no '=', else vbuf */
	char vbuf[ITEM_MAX];
};

static int item_bool(const struct cpu_item *it, bool *out)
{
	if (!it->val) {
		*out = true;
		return 0;
	}
	if (!options_parse_bool(it->val, out))
		return 0;
	log_error("-cpu %s: %s='%s' — use on or off", it->arg, it->key,
		  it->val);
	return -EINVAL;
}

static int item_uint(const struct cpu_item *it, unsigned long long min,
		     unsigned long long max, unsigned long long *out)
{
	char *end;

	if (it->val && *it->val >= '0' && *it->val <= '9') {
		errno = 0;
		*out = strtoull(it->val, &end, 0);
		if (!errno && !*end && *out >= min && *out <= max)
			return 0;
	}
	log_error("-cpu %s: %s needs a number from %#llx to %#llx", it->arg,
		  it->key, min, max);
	return -EINVAL;
}

static int change_feature(struct cpu_config *cc, const struct cpu_item *it,
			  const char *name, bool on)
{
	const struct cpu_feature *f = cpu_feature_find(name, strlen(name));

	if (!f) {
		if (!strncmp(name, "vmx-", 4))
			log_error("-cpu %s: '%s' is a nested-VMX control — "
				  "kvmrun does not offer them", it->arg, name);
		else if (!strncmp(name, "hv-", 3) || !strncmp(name, "hv_", 3))
			log_error("-cpu %s: '%s' is a Hyper-V enlightenment — "
				  "kvmrun does not offer them", it->arg, name);
		else
			log_error("-cpu %s: unknown CPU feature '%s' — see "
				  "-cpu help", it->arg, name);
		return -EINVAL;
	}
	if (cc->nchanges == CPU_MAX_FEATURE_CHANGES) {
		log_error("-cpu %s: more than %d feature changes", it->arg,
			  CPU_MAX_FEATURE_CHANGES);
		return -EINVAL;
	}
	cc->change_feature[cc->nchanges] = (uint16_t)(f - cpu_features);
	cc->change_on[cc->nchanges++] = on;
	return 0;
}

static int set_string(const struct cpu_item *it, char *dst, size_t size,
		      size_t exact)
{
	size_t len = strlen(it->val);

	if ((exact && len != exact) || len >= size) {
		log_error("-cpu %s: %s must be %s %zu characters", it->arg,
			  it->key, exact ? "exactly" : "at most",
			  exact ? exact : size - 1);
		return -EINVAL;
	}
	memcpy(dst, it->val, len + 1);
	return 0;
}

static int set_tristate(const struct cpu_item *it, int *dst)
{
	bool on;
	int ret = item_bool(it, &on);

	if (!ret)
		*dst = on ? CPU_ON : CPU_OFF;
	return ret;
}

static int set_number(const struct cpu_item *it, unsigned long long min,
		      unsigned long long max, int *dst)
{
	unsigned long long v;
	int ret = item_uint(it, min, max, &v);

	if (!ret)
		*dst = (int)v;
	return ret;
}

static int set_level(const struct cpu_item *it, unsigned long long min,
		     unsigned long long max, uint32_t *dst)
{
	unsigned long long v;
	int ret = item_uint(it, min, max, &v);

	if (!ret)
		*dst = (uint32_t)v;
	return ret;
}

/* Properties that take a value; 1 when the key is not one of them. */
static int cpu_property(struct cpu_config *cc, const struct cpu_item *it)
{
	const char *k = it->key;
	bool b;

	if (!strcmp(k, "vendor"))
		return set_string(it, cc->vendor, sizeof(cc->vendor), 12);
	if (!strcmp(k, "model-id")) {
		cc->model_id_set = true;
		return set_string(it, cc->model_id, sizeof(cc->model_id), 0);
	}
	if (!strcmp(k, "family"))
		return set_number(it, 0, 0xff + 0xf, &cc->family);
	if (!strcmp(k, "model"))
		return set_number(it, 0, 0xff, &cc->model_number);
	if (!strcmp(k, "stepping"))
		return set_number(it, 0, 0xf, &cc->stepping);
	if (!strcmp(k, "level"))
		return set_level(it, 1, 0x3fffffff, &cc->level);
	if (!strcmp(k, "xlevel"))
		return set_level(it, 0x80000000, 0x8fffffff, &cc->xlevel);
	if (!strcmp(k, "phys-bits"))
		return set_level(it, 32, 52, &cc->phys_bits);
	if (!strcmp(k, "host-phys-bits"))
		return set_tristate(it, &cc->host_phys_bits);
	if (!strcmp(k, "pmu"))
		return set_tristate(it, &cc->pmu);
	if (!strcmp(k, "kvm")) {
		int ret = item_bool(it, &b);

		if (!ret)
			cc->hide_kvm = !b;
		return ret;
	}
	if (!strcmp(k, "enforce"))
		return item_bool(it, &cc->enforce);
	if (!strcmp(k, "check"))
		return item_bool(it, &cc->check);
	/*
	 * kvmrun has no migration, so host and max always show every feature
	 * KVM supports: migratable=no is what they already are.
	 */
	if (!strcmp(k, "migratable"))
		return item_bool(it, &b);
	return 1;
}

static int cpu_item(struct cpu_config *cc, struct cpu_item *it)
{
	bool on;
	int ret;

	if (!it->key[0]) {
		log_error("-cpu %s: empty item (a stray ',')", it->arg);
		return -EINVAL;
	}
	if (it->key[0] == '+' || it->key[0] == '-') {
		if (it->val) {
			log_error("-cpu %s: '%s=...' — a +feature or -feature "
				  "takes no value", it->arg, it->key);
			return -EINVAL;
		}
		return change_feature(cc, it, it->key + 1, it->key[0] == '+');
	}
	ret = cpu_property(cc, it);
	if (ret <= 0)
		return ret;
	if (it->val && options_parse_bool(it->val, &on)) {
		log_error("-cpu %s: %s='%s' — a feature is on or off",
			  it->arg, it->key, it->val);
		return -EINVAL;
	}
	return change_feature(cc, it, it->key, it->val ? on : true);
}

static int split_item(const char *arg, const char *p, size_t len,
		      struct cpu_item *it)
{
	const char *eq = memchr(p, '=', len);
	size_t klen = eq ? (size_t)(eq - p) : len;

	it->arg = arg;
	if (klen >= sizeof(it->key) || len >= sizeof(it->vbuf)) {
		log_error("-cpu %s: item '%.*s' is too long", arg, (int)len, p);
		return -EINVAL;
	}
	memcpy(it->key, p, klen);
	it->key[klen] = '\0';
	it->val = NULL;
	if (eq) {
		memcpy(it->vbuf, eq + 1, len - klen - 1);
		it->vbuf[len - klen - 1] = '\0';
		it->val = it->vbuf;
	}
	return 0;
}

/* The model's name as a C string of our own, or NULL if unknown. */
static const char *model_name(const char *name, size_t len)
{
	const struct cpu_model_def *def;

	if (len == 4 && !memcmp(name, "host", 4))
		return "host";
	if (len == 3 && !memcmp(name, "max", 3))
		return "max";
	def = cpu_model_def_find(name, len);
	return def ? def->name : NULL;
}

void options_cpu_defaults(struct cpu_config *cc)
{
	memset(cc, 0, sizeof(*cc));
	cc->model = "host";
	cc->family = cc->model_number = cc->stepping = -1;
	cc->host_phys_bits = CPU_DEFAULT;
	cc->pmu = CPU_DEFAULT;
	cc->check = true;
}

int options_parse_cpu(struct cpu_config *cc, const char *arg)
{
	size_t len = strcspn(arg, ",");
	const char *model = model_name(arg, len), *p;

	if (!model) {
		log_error("-cpu %s: unknown CPU model '%.*s' — see -cpu help",
			  arg, (int)len, arg);
		return -EINVAL;
	}
	options_cpu_defaults(cc);
	cc->model = model;
	for (p = arg + len; *p == ','; p += len) {
		struct cpu_item it;
		int ret;

		p++;
		len = strcspn(p, ",");
		ret = split_item(arg, p, len, &it);
		if (!ret)
			ret = cpu_item(cc, &it);
		if (ret)
			return ret;
	}
	return 0;
}

int options_list_cpus(void)
{
	unsigned int col = 0;

	printf("Available CPUs:\n"
	       "x86 %-28s %s\n"
	       "x86 %-28s %s\n", "host",
	       "the host CPU's features that KVM supports (default)",
	       "max", "every feature KVM supports");
	for (unsigned int i = 0; i < cpu_model_defs_count; i++) {
		const struct cpu_model_def *d = &cpu_model_defs[i];

		if (d->model_id[0])
			printf("x86 %-28s %s\n", d->name, d->model_id);
		else
			printf("x86 %s\n", d->name);
	}
	printf("\nRecognized CPUID flags:\n ");
	for (unsigned int i = 0; i < cpu_features_count; i++) {
		const char *name = cpu_features[i].name;

		/* kvmclock names two bits; list it once. */
		if (cpu_feature_find(name, strlen(name)) != &cpu_features[i])
			continue;
		if (col + strlen(name) + 1 > 76) {
			printf("\n ");
			col = 0;
		}
		col += printf(" %s", name);
	}
	printf("\n");
	return OPTIONS_EXIT_OK;
}
