// SPDX-License-Identifier: MIT
/*
 * The command line: a subset of qemu-system-x86_64 7.2 with the same spelling
 * and meaning, so that a QEMU command line for a directly booted kernel runs
 * unchanged.  Options take one or two leading dashes; their arguments use
 * QEMU's "name,key=value,..." syntax, where ",," is a literal comma.
 *
 * Deliberate differences from QEMU, each reported as one clear error:
 * - a plain argument is not a disk image;
 * - -m 0 is an error (QEMU silently takes the default), and sizes must lie in
 *   2 MiB .. 1 TiB; hexadecimal sizes (deprecated in QEMU) are not accepted;
 * - -smp cannot ask for more CPUs than it starts (maxcpus: no CPU hot-plug);
 * - one accelerator only: a second -accel, or accel=kvm:tcg, is refused
 *   (QEMU would fall back; kvmrun has nothing to fall back to);
 * - -qtest without an accelerator implies -accel qtest, and -qtest with kvm is
 *   refused: kvmrun serves the qtest protocol only when no vCPU runs.
 *
 * Nothing here opens a file: the loaders check -kernel and -initrd.
 */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "accel/qtest.h"
#include "util/log.h"

#define MIB (1ULL << 20)
#define RAM_MIN (2ULL << 20)
#define RAM_MAX (1ULL << 40)
#define RAM_ALIGN 8192ULL		/* QEMU rounds -m up to 8 KiB */
#define DEBUG_EXIT_IOBASE 0x501	/* QEMU's isa-debug-exit defaults */
#define DEBUG_EXIT_IOSIZE 0x02
#define IO_PORTS 0x10000ULL
#define VALUE_MAX 256		/* longest property value we copy */

struct parse_state {
	struct vm_config *cfg;
	const char *opt;		/* the option being parsed, no dash */
	bool accel_given;		/* -accel */
	enum accel_kind accel;
	bool machine_accel_given;	/* -machine accel= or -enable-kvm */
	enum accel_kind machine_accel;
	bool accel_irqchip_given;	/* -accel kvm,kernel-irqchip= */
	enum irqchip_mode accel_irqchip;
	bool machine_irqchip_given;	/* -machine kernel-irqchip= */
	enum irqchip_mode machine_irqchip;
	bool serial_given;
};

/* ---- QEMU's "key=value,..." syntax ---- */

struct subopt {
	const char *key;
	size_t key_len;
	const char *val;		/* NULL when the item has no '=' */
	size_t val_len;			/* raw: may contain ",," */
	bool last;			/* no item follows */
};

struct subopt_iter {
	const char *p;
	const char *implied;	/* key of a first item without '=' */
	bool first;
};

static void subopt_start(struct subopt_iter *it, const char *s,
			 const char *implied)
{
	it->p = s;
	it->implied = implied;
	it->first = true;
}

static bool subopt_next(struct subopt_iter *it, struct subopt *so)
{
	const char *p = it->p, *end, *eq = NULL;

	if (!p)
		return false;
	for (end = p; *end; end++) {
		if (*end == ',') {
			if (end[1] != ',')
				break;
			end++;	/* ",," is a comma inside the item */
		} else if (*end == '=' && !eq) {
			eq = end;
		}
	}
	if (!eq && it->first && it->implied) {
		so->key = it->implied;
		so->key_len = strlen(it->implied);
		so->val = p;
		so->val_len = end - p;
	} else if (eq) {
		so->key = p;
		so->key_len = eq - p;
		so->val = eq + 1;
		so->val_len = end - eq - 1;
	} else {
		so->key = p;
		so->key_len = end - p;
		so->val = NULL;
		so->val_len = 0;
	}
	so->last = !*end;
	it->first = false;
	it->p = *end ? end + 1 : NULL;
	return true;
}

static bool key_is(const struct subopt *so, const char *name)
{
	return so->key_len == strlen(name) &&
	       memcmp(so->key, name, so->key_len) == 0;
}

static bool is_help(const char *s)
{
	return strcmp(s, "help") == 0 || strcmp(s, "?") == 0;
}

/* A bare "help" (or "?") item after the first one asks for properties. */
static bool subopt_is_help(const struct subopt *so)
{
	return !so->val && (key_is(so, "help") || key_is(so, "?"));
}

/* Copy the value, ",," becoming ','; -E2BIG when it does not fit. */
static int subopt_copy(const struct subopt *so, char *buf, size_t size)
{
	size_t i, n = 0;

	for (i = 0; i < so->val_len; i++) {
		if (n + 1 >= size)
			return -E2BIG;
		buf[n++] = so->val[i];
		if (so->val[i] == ',')
			i++;
	}
	buf[n] = '\0';
	return 0;
}

/* The value as a C string, or an error naming the option and the key. */
static int subopt_value(struct parse_state *st, const char *what,
			const struct subopt *so, char *buf, size_t size)
{
	if (!so->val) {
		log_error("-%s %s: '%.*s' needs a value (%.*s=...)", st->opt,
			  what, (int)so->key_len, so->key, (int)so->key_len,
			  so->key);
		return -EINVAL;
	}
	if (subopt_copy(so, buf, size)) {
		log_error("-%s %s: the value of '%.*s' is too long", st->opt,
			  what, (int)so->key_len, so->key);
		return -EINVAL;
	}
	return 0;
}

static int unknown_subopt(struct parse_state *st, const char *what,
			  const struct subopt *so, const char *known)
{
	if (!so->key_len) {
		log_error("-%s %s: empty item (a stray ',')", st->opt, what);
		return -EINVAL;
	}
	log_error("-%s %s: unknown property '%.*s' (%s)", st->opt, what,
		  (int)so->key_len, so->key, known);
	return -EINVAL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Decimal only, no sign or spaces; -EINVAL or -ERANGE above max. */
static int parse_dec(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (!is_digit(*s))
			return -EINVAL;
		if (v > (max - (uint64_t)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

/* C notation (0x1f, 017, 31), as QEMU's integer properties. */
static int parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0, base = 10;
	unsigned int d;

	if (!is_digit(*s))
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return -EINVAL;
	} else if (s[0] == '0' && s[1]) {
		base = 8;
		s++;
	}
	for (; *s; s++) {
		if (is_digit(*s))
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -EINVAL;
		if (d >= base)
			return -EINVAL;
		if (v > (max - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

/*
 * QEMU's size syntax: digits, an optional fraction, an optional suffix
 * B, K, M, G, T, P or E (any case, powers of 1024).  A plain number is MiB
 * (QEMU's rule for -m), so a fraction needs a suffix; "1.5G" is allowed.
 */
int options_parse_size(const char *s, uint64_t *bytes)
{
	static const char suffixes[] = "bkmgtpe";
	unsigned __int128 ip = 0, frac = 0, scale = 1, v;
	const char *suffix;
	bool has_frac = false, has_suffix = true;
	unsigned int shift;

	if (!is_digit(*s))
		return -EINVAL;
	for (; is_digit(*s); s++) {
		ip = ip * 10 + (unsigned int)(*s - '0');
		if (ip > UINT64_MAX)
			return -ERANGE;
	}
	if (*s == '.') {
		has_frac = true;
		/* Digits past the 18th cannot change a count below 2^64. */
		for (s++; is_digit(*s); s++) {
			if (scale < 1000000000000000000ULL) {
				frac = frac * 10 + (unsigned int)(*s - '0');
				scale *= 10;
			}
		}
	}
	if (*s) {
		suffix = strchr(suffixes, tolower((unsigned char)*s));
		if (!suffix)
			return -EINVAL;
		shift = 10 * (unsigned int)(suffix - suffixes);
	} else {
		shift = 20;
		has_suffix = false;
	}
	if (has_suffix && s[1])
		return -EINVAL;
	if (has_frac && (!has_suffix || shift == 0))
		return -EINVAL;
	v = (ip << shift) + (frac << shift) / scale;
	if (v > UINT64_MAX)
		return -ERANGE;
	*bytes = (uint64_t)v;
	return 0;
}

/* ---- listings ---- */

static const char *const usage_text =
"usage: kvmrun [options]\n"
"Runs an x86-64 kernel on KVM, booted directly (no firmware).  The options are\n"
"a subset of qemu-system-x86_64 7.2's, with the same spelling and meaning; one\n"
"or two leading dashes are accepted.\n"
"\n"
"Standard options:\n"
"-h, -help               print this help and exit\n"
"-version                print the version and exit\n"
"-machine [type=]name[,prop=value[,...]]\n"
"                        the machine: kvmrun (alias pc), the only one;\n"
"                        -machine help lists it.  Properties:\n"
"                        accel=kvm|qtest  the accelerator (as -accel)\n"
"                        kernel-irqchip=on|split  interrupt controllers in\n"
"                        the kernel (on, the default) or only the LAPIC (split)\n"
"                        pit=on|off  the 8254 timer (default on)\n"
"                        vmport=off|auto  accepted; there is no VMware port\n"
"-M ...                  the same as -machine\n"
"-accel name[,prop=value[,...]]\n"
"                        the accelerator: kvm (the default) or qtest;\n"
"                        -accel help lists them.  kvm takes\n"
"                        kernel-irqchip=on|split\n"
"-enable-kvm             the same as -machine accel=kvm\n"
"-cpu model[,+feat|-feat|feat=on|off|prop=value...]\n"
"                        the CPU model (default host; see -cpu help)\n"
"-smp [cpus=]n[,maxcpus=n][,sockets=n][,dies=1][,cores=n][,threads=n]\n"
"                        the number of CPUs (1 to 255, default 1) and their\n"
"                        topology; maxcpus, if given, must equal cpus\n"
"-m [size=]megs          guest RAM: a number of MiB, or a size with a suffix\n"
"                        K, M, G or T (e.g. 512M, 1.5G); default 256M,\n"
"                        2M to 1T, rounded up to 8 KiB\n"
"-name [guest=]name      the guest's name\n"
"-rtc [base=utc|localtime|date][,clock=host|rt|vm][,driftfix=none]\n"
"                        the RTC's start: UTC (default), the host's local\n"
"                        time, or a date (2006-06-17T16:01:21, UTC)\n"
"-overcommit [mem-lock=on|off][,cpu-pm=on|off]\n"
"                        mem-lock=on locks all memory, guest RAM included;\n"
"                        cpu-pm=on lets the guest halt and pause without\n"
"                        exiting (for vCPUs on dedicated host CPUs)\n"
"\n"
"Device options:\n"
"-device driver[,prop=value[,...]]\n"
"                        add a device; -device help lists them and\n"
"                        -device driver,help their properties:\n"
"                        isa-debug-exit[,iobase=0x501][,iosize=2]\n"
"                          a write of v to iobase exits with status (v << 1) | 1\n"
"                        pc-testdev   the ISA test device of kvm-unit-tests\n"
"                        pci-testdev  the PCI test device of kvm-unit-tests\n"
"-nodefaults             create no default devices: no serial port unless\n"
"                        -serial gives one\n"
"-global kvm-pit.lost_tick_policy=delay|discard\n"
"                        use KVM's in-kernel PIT (QEMU's kvm-pit) instead of\n"
"                        kvmrun's, re-injecting missed ticks (delay) or not\n"
"\n"
"Display options:\n"
"-display none           no display (kvmrun has no graphical display)\n"
"-nographic              no display; the serial port on stdio (the default)\n"
"\n"
"Boot options (Linux bzImage, PVH ELF vmlinux, multiboot ELF):\n"
"-kernel file            the kernel to boot (needed with -accel kvm)\n"
"-append cmdline         the kernel command line\n"
"-initrd file            the initial RAM disk (multiboot: the one module)\n"
"-no-reboot              exit instead of rebooting when the guest resets\n"
"\n"
"Character device options:\n"
"-serial stdio|none      where the serial port (COM1) goes (default stdio)\n"
"\n"
"Testing options:\n"
"-qtest unix:path[,server=on|off][,wait=on|off]\n"
"                        serve QEMU's qtest protocol on a unix socket,\n"
"                        connecting to path (or listening with server=on);\n"
"                        implies -accel qtest\n"
"-qtest-log file         log the qtest commands and replies to file\n";

void options_usage(FILE *out)
{
	fputs(usage_text, out);
}

static int print_version(void)
{
	printf("kvmrun version %s\n"
	       "QEMU-compatible command line (a qemu-system-x86_64 7.2 subset)\n",
	       KVMRUN_VERSION);
	return OPTIONS_EXIT_OK;
}

static int list_machines(void)
{
	printf("Supported machines are:\n"
	       "pc                   kvmrun x86-64 PC (alias of kvmrun)\n"
	       "kvmrun               kvmrun x86-64 PC, direct kernel boot "
	       "(default)\n");
	return OPTIONS_EXIT_OK;
}

static int list_machine_props(void)
{
	printf("kvmrun-machine options:\n"
	       "  accel=<kvm|qtest>      - the accelerator (default: kvm)\n"
	       "  kernel-irqchip=<on|split> - interrupt controllers in KVM "
	       "(default: on)\n"
	       "  pit=<on|off>           - the 8254 PIT (default: on)\n"
	       "  vmport=<off|auto>      - VMware's I/O port: not provided "
	       "(default: auto, meaning off)\n");
	return OPTIONS_EXIT_OK;
}

static int list_accels(void)
{
	printf("Accelerators supported in kvmrun:\nkvm\nqtest\n");
	return OPTIONS_EXIT_OK;
}

static int list_displays(void)
{
	printf("Available display backend types:\nnone\n");
	return OPTIONS_EXIT_OK;
}

/* ---- -m ---- */

static int opt_m(struct parse_state *st, const char *arg)
{
	struct subopt_iter it;
	struct subopt so;
	char buf[VALUE_MAX];
	uint64_t bytes = st->cfg->ram_size;
	int ret;

	subopt_start(&it, arg, "size");
	while (subopt_next(&it, &so)) {
		if (key_is(&so, "slots") || key_is(&so, "maxmem")) {
			log_error("-m %s: %.*s is not supported (no memory "
				  "hot-plug)", arg, (int)so.key_len, so.key);
			return -EINVAL;
		}
		if (!key_is(&so, "size"))
			return unknown_subopt(st, arg, &so, "-m takes size");
		ret = subopt_value(st, arg, &so, buf, sizeof(buf));
		if (ret)
			return ret;
		ret = options_parse_size(buf, &bytes);
		if (ret == -EINVAL) {
			log_error("-m %s: '%s' is not a size — give MiB or a "
				  "suffix K, M, G or T, e.g. -m 512M", arg, buf);
			return ret;
		}
		if (ret || bytes > RAM_MAX) {
			log_error("-m %s: too large — at most 1 TiB (-m 1T)",
				  arg);
			return -EINVAL;
		}
		bytes = (bytes + RAM_ALIGN - 1) & ~(RAM_ALIGN - 1);
		if (bytes < RAM_MIN) {
			log_error("-m %s: too small — at least 2 MiB (-m 2M)",
				  arg);
			return -EINVAL;
		}
	}
	st->cfg->ram_size = bytes;
	return 0;
}

/* ---- -smp ---- */

struct smp_topology {
	uint64_t cpus, maxcpus, sockets, cores, threads;
};

/* Fill in what was omitted, as QEMU 7.2 does (cores before sockets). */
static void smp_complete(struct smp_topology *t)
{
	if (!t->cpus && !t->maxcpus) {
		t->sockets = t->sockets ? t->sockets : 1;
		t->cores = t->cores ? t->cores : 1;
		t->threads = t->threads ? t->threads : 1;
	} else {
		t->maxcpus = t->maxcpus ? t->maxcpus : t->cpus;
		if (!t->cores) {
			t->sockets = t->sockets ? t->sockets : 1;
			t->threads = t->threads ? t->threads : 1;
			t->cores = t->maxcpus / (t->sockets * t->threads);
		} else if (!t->sockets) {
			t->threads = t->threads ? t->threads : 1;
			t->sockets = t->maxcpus / (t->cores * t->threads);
		}
		if (!t->threads)
			t->threads = t->maxcpus / (t->sockets * t->cores);
	}
	if (!t->maxcpus)
		t->maxcpus = t->sockets * t->cores * t->threads;
	if (!t->cpus)
		t->cpus = t->maxcpus;
}

static int smp_check(const struct smp_topology *t, const char *arg)
{
	uint64_t total = t->sockets * t->cores * t->threads;

	if (total != t->maxcpus) {
		log_error("-smp %s: sockets (%llu) * cores (%llu) * threads "
			  "(%llu) = %llu, not %llu CPUs", arg,
			  (unsigned long long)t->sockets,
			  (unsigned long long)t->cores,
			  (unsigned long long)t->threads,
			  (unsigned long long)total,
			  (unsigned long long)t->maxcpus);
		return -EINVAL;
	}
	if (t->maxcpus < t->cpus) {
		log_error("-smp %s: maxcpus (%llu) is less than cpus (%llu)",
			  arg, (unsigned long long)t->maxcpus,
			  (unsigned long long)t->cpus);
		return -EINVAL;
	}
	if (t->maxcpus > CONFIG_MAX_CPUS) {
		log_error("-smp %s: %llu CPUs — kvmrun supports at most %d", arg,
			  (unsigned long long)t->maxcpus, CONFIG_MAX_CPUS);
		return -EINVAL;
	}
	if (t->maxcpus > t->cpus) {
		log_error("-smp %s: maxcpus (%llu) above cpus (%llu) needs CPU "
			  "hot-plug, which kvmrun does not have", arg,
			  (unsigned long long)t->maxcpus,
			  (unsigned long long)t->cpus);
		return -EINVAL;
	}
	return 0;
}

static int smp_value(struct parse_state *st, const char *arg,
		     const struct subopt *so, uint64_t *out)
{
	char buf[VALUE_MAX];
	int ret;

	ret = subopt_value(st, arg, so, buf, sizeof(buf));
	if (ret)
		return ret;
	ret = parse_dec(buf, UINT64_MAX, out);
	if (ret == -EINVAL) {
		if (key_is(so, "cpus"))
			log_error("-smp: '%s' is not a number of CPUs — e.g. "
				  "-smp 4", buf);
		else
			log_error("-smp %s: %.*s='%s' is not a number", arg,
				  (int)so->key_len, so->key, buf);
		return ret;
	}
	if (ret || *out == 0 || *out > CONFIG_MAX_CPUS) {
		log_error("-smp %s: %.*s=%s is out of range (1 to %d)", arg,
			  (int)so->key_len, so->key, buf, CONFIG_MAX_CPUS);
		return -EINVAL;
	}
	return 0;
}

static int opt_smp(struct parse_state *st, const char *arg)
{
	struct smp_topology t = { 0 };
	struct subopt_iter it;
	struct subopt so;
	uint64_t v, *field;
	int ret;

	subopt_start(&it, arg, "cpus");
	while (subopt_next(&it, &so)) {
		if (key_is(&so, "cpus"))
			field = &t.cpus;
		else if (key_is(&so, "maxcpus"))
			field = &t.maxcpus;
		else if (key_is(&so, "sockets"))
			field = &t.sockets;
		else if (key_is(&so, "cores"))
			field = &t.cores;
		else if (key_is(&so, "threads"))
			field = &t.threads;
		else if (key_is(&so, "dies") || key_is(&so, "clusters"))
			field = NULL;
		else
			return unknown_subopt(st, arg, &so, "-smp takes cpus, "
					      "maxcpus, sockets, dies, cores, "
					      "threads");
		ret = smp_value(st, arg, &so, &v);
		if (ret)
			return ret;
		if (!field && v != 1) {
			log_error("-smp %s: %.*s=%llu: kvmrun has one %.*s per "
				  "socket", arg, (int)so.key_len, so.key,
				  (unsigned long long)v,
				  (int)so.key_len - 1, so.key);
			return -EINVAL;
		}
		if (field)
			*field = v;
	}
	smp_complete(&t);
	ret = smp_check(&t, arg);
	if (ret)
		return ret;
	st->cfg->ncpus = (unsigned int)t.cpus;
	st->cfg->smp_sockets = (unsigned int)t.sockets;
	st->cfg->smp_cores = (unsigned int)t.cores;
	st->cfg->smp_threads = (unsigned int)t.threads;
	return 0;
}

/* ---- accelerators and the machine ---- */

static int accel_by_name(struct parse_state *st, const char *what,
			 const char *name, enum accel_kind *kind)
{
	if (strcmp(name, "kvm") == 0) {
		*kind = ACCEL_KVM;
		return 0;
	}
	if (strcmp(name, "qtest") == 0) {
		*kind = ACCEL_QTEST;
		return 0;
	}
	if (strchr(name, ':')) {
		log_error("-%s %s: one accelerator only — kvmrun does not fall "
			  "back between accelerators", st->opt, what);
		return -EINVAL;
	}
	if (strcmp(name, "tcg") == 0) {
		log_error("-%s %s: the tcg accelerator is not supported yet — "
			  "use kvm or qtest", st->opt, what);
		return -EINVAL;
	}
	log_error("-%s %s: unknown accelerator '%s' — kvmrun has kvm and "
		  "qtest (see -accel help)", st->opt, what, name);
	return -EINVAL;
}

static int irqchip_by_name(struct parse_state *st, const char *what,
			   const char *name, enum irqchip_mode *mode)
{
	if (strcmp(name, "on") == 0) {
		*mode = IRQCHIP_KERNEL;
		return 0;
	}
	if (strcmp(name, "split") == 0) {
		*mode = IRQCHIP_SPLIT;
		return 0;
	}
	if (strcmp(name, "off") == 0) {
		log_error("-%s %s: kernel-irqchip=off is not supported — kvmrun "
			  "needs KVM's local APIC (use on or split)", st->opt,
			  what);
		return -EINVAL;
	}
	log_error("-%s %s: kernel-irqchip='%s' — use on or split", st->opt,
		  what, name);
	return -EINVAL;
}

static int list_accel_props(enum accel_kind kind)
{
	if (kind == ACCEL_KVM)
		printf("kvm-accel options:\n"
		       "  kernel-irqchip=<on|split> - interrupt controllers in "
		       "KVM (default: on)\n");
	else
		printf("There are no options for qtest-accel.\n");
	return OPTIONS_EXIT_OK;
}

static int opt_accel(struct parse_state *st, const char *arg)
{
	struct subopt_iter it;
	struct subopt so;
	char buf[VALUE_MAX];
	enum accel_kind kind = ACCEL_KVM;
	enum irqchip_mode irqchip;
	bool help = false, irqchip_given = false;
	int ret;

	subopt_start(&it, arg, "accel");
	while (subopt_next(&it, &so)) {
		if (subopt_is_help(&so)) {
			help = true;
			continue;
		}
		ret = subopt_value(st, arg, &so, buf, sizeof(buf));
		if (ret)
			return ret;
		if (key_is(&so, "accel")) {
			if (is_help(buf))
				return list_accels();
			ret = accel_by_name(st, arg, buf, &kind);
		} else if (key_is(&so, "kernel-irqchip") && kind == ACCEL_KVM) {
			irqchip_given = true;
			ret = irqchip_by_name(st, arg, buf, &irqchip);
		} else {
			ret = unknown_subopt(st, arg, &so, kind == ACCEL_KVM ?
					     "kvm takes kernel-irqchip" :
					     "qtest takes none");
		}
		if (ret)
			return ret;
	}
	if (help)
		return list_accel_props(kind);
	if (st->accel_given) {
		log_error("-accel %s: only one -accel may be given — kvmrun "
			  "does not fall back between accelerators", arg);
		return -EINVAL;
	}
	st->accel_given = true;
	st->accel = kind;
	if (irqchip_given) {
		st->accel_irqchip_given = true;
		st->accel_irqchip = irqchip;
	}
	return 0;
}

static int opt_enable_kvm(struct parse_state *st, const char *arg)
{
	st->machine_accel_given = true;
	st->machine_accel = ACCEL_KVM;
	return 0;
}

static int machine_type(struct parse_state *st, const char *arg,
			const char *type)
{
	if (is_help(type))
		return list_machines();
	if (strcmp(type, "kvmrun") == 0 || strcmp(type, "pc") == 0)
		return 0;
	log_error("-%s %s: unknown machine type '%s' — kvmrun has one "
		  "machine, kvmrun (alias pc); see -machine help", st->opt, arg,
		  type);
	return -EINVAL;
}

/* QEMU's booleans: on/off, yes/no, true/false. */
int options_parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "on") || !strcmp(s, "yes") || !strcmp(s, "true")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "off") || !strcmp(s, "no") || !strcmp(s, "false")) {
		*out = false;
		return 0;
	}
	return -EINVAL;
}

/* An on/off property: one error line naming it when the value is neither. */
static int on_off(struct parse_state *st, const char *what,
		  const struct subopt *so, const char *val, bool *out)
{
	if (!options_parse_bool(val, out))
		return 0;
	log_error("-%s %s: %.*s='%s' — use on or off", st->opt, what,
		  (int)so->key_len, so->key, val);
	return -EINVAL;
}

/* QEMU's pc machines have VMware's backdoor port unless vmport=off. */
static int machine_vmport(struct parse_state *st, const char *what,
			  const char *val)
{
	if (!strcmp(val, "off") || !strcmp(val, "auto"))
		return 0;
	if (!strcmp(val, "on")) {
		log_error("-%s %s: kvmrun has no VMware backdoor port (vmport) "
			  "— leave vmport off", st->opt, what);
		return -EINVAL;
	}
	log_error("-%s %s: vmport='%s' — use on, off or auto", st->opt, what,
		  val);
	return -EINVAL;
}

static int opt_machine(struct parse_state *st, const char *arg)
{
	struct subopt_iter it;
	struct subopt so;
	char buf[VALUE_MAX];
	bool help = false;
	int ret;

	subopt_start(&it, arg, "type");
	while (subopt_next(&it, &so)) {
		bool pit;

		if (subopt_is_help(&so)) {
			help = true;
			continue;
		}
		ret = subopt_value(st, arg, &so, buf, sizeof(buf));
		if (ret)
			return ret;
		if (key_is(&so, "type")) {
			ret = machine_type(st, arg, buf);
		} else if (key_is(&so, "accel")) {
			ret = accel_by_name(st, arg, buf, &st->machine_accel);
			st->machine_accel_given = true;
		} else if (key_is(&so, "kernel-irqchip")) {
			ret = irqchip_by_name(st, arg, buf,
					      &st->machine_irqchip);
			st->machine_irqchip_given = true;
		} else if (key_is(&so, "pit")) {
			ret = on_off(st, arg, &so, buf, &pit);
			if (!ret)
				st->cfg->no_pit = !pit;
		} else if (key_is(&so, "vmport")) {
			ret = machine_vmport(st, arg, buf);
		} else {
			ret = unknown_subopt(st, arg, &so, "the machine takes "
					     "type, accel, kernel-irqchip, pit, "
					     "vmport");
		}
		if (ret)
			return ret;
	}
	return help ? list_machine_props() : 0;
}

/* ---- -cpu, -name, -display, -serial ---- */

static int opt_cpu(struct parse_state *st, const char *arg)
{
	if (is_help(arg))
		return options_list_cpus();
	return options_parse_cpu(&st->cfg->cpu, arg);
}

/* "2006-06-17T16:01:21" or "2006-06-17", UTC, as QEMU's -rtc base=. */
static int parse_rtc_date(const char *s, int64_t *secs)
{
	struct tm tm = { 0 };
	const char *end;

	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end || *end) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(s, "%Y-%m-%d", &tm);
	}
	if (!end || *end || tm.tm_year < 70 || tm.tm_year > 8099)
		return -EINVAL;
	*secs = timegm(&tm);
	return 0;
}

static int rtc_base(struct parse_state *st, const char *what, const char *v)
{
	if (!strcmp(v, "utc")) {
		st->cfg->rtc_base = RTC_BASE_UTC;
		return 0;
	}
	if (!strcmp(v, "localtime")) {
		st->cfg->rtc_base = RTC_BASE_LOCALTIME;
		return 0;
	}
	if (!parse_rtc_date(v, &st->cfg->rtc_start)) {
		st->cfg->rtc_base = RTC_BASE_DATE;
		return 0;
	}
	log_error("-rtc %s: base='%s' — use utc, localtime, or a date as "
		  "2006-06-17T16:01:21 or 2006-06-17 (UTC, from 1970)", what, v);
	return -EINVAL;
}

/*
 * -rtc [base=utc|localtime|DATE][,clock=host|rt|vm][,driftfix=none]: the
 * RTC runs at the rate of the VM clock, which never stops, so the three
 * clocks are one here (none follows a jump of the host's wall clock).
 */
static int opt_rtc(struct parse_state *st, const char *arg)
{
	struct subopt_iter it;
	struct subopt so;
	char buf[VALUE_MAX];
	int ret;

	subopt_start(&it, arg, NULL);
	while (subopt_next(&it, &so)) {
		ret = subopt_value(st, arg, &so, buf, sizeof(buf));
		if (ret)
			return ret;
		if (key_is(&so, "base")) {
			ret = rtc_base(st, arg, buf);
		} else if (key_is(&so, "clock")) {
			if (strcmp(buf, "host") && strcmp(buf, "rt") &&
			    strcmp(buf, "vm")) {
				log_error("-rtc %s: clock='%s' — use host, rt "
					  "or vm", arg, buf);
				ret = -EINVAL;
			}
		} else if (key_is(&so, "driftfix")) {
			if (strcmp(buf, "none")) {
				log_error("-rtc %s: driftfix='%s' — kvmrun does "
					  "not re-inject missed RTC interrupts; "
					  "use none", arg, buf);
				ret = -EINVAL;
			}
		} else {
			ret = unknown_subopt(st, arg, &so, "-rtc takes base, "
					     "clock, driftfix");
		}
		if (ret)
			return ret;
	}
	return 0;
}

static int opt_name(struct parse_state *st, const char *arg)
{
	struct subopt_iter it;
	struct subopt so, guest = { 0 };

	subopt_start(&it, arg, "guest");
	while (subopt_next(&it, &so)) {
		if (!key_is(&so, "guest"))
			return unknown_subopt(st, arg, &so, "only guest=NAME "
					      "is supported");
		guest = so;
	}
	if (!guest.val || !guest.val_len) {
		log_error("-name %s: empty name", arg);
		return -EINVAL;
	}
	/* The name points into argv, so it must be the rest of it. */
	if (!guest.last || memchr(guest.val, ',', guest.val_len)) {
		log_error("-name %s: give guest=NAME once, with no comma in "
			  "NAME", arg);
		return -EINVAL;
	}
	st->cfg->name = guest.val;
	return 0;
}

static int opt_display(struct parse_state *st, const char *arg)
{
	struct subopt_iter it;
	struct subopt so;
	char buf[VALUE_MAX];
	int ret;

	subopt_start(&it, arg, "type");
	while (subopt_next(&it, &so)) {
		if (!key_is(&so, "type"))
			return unknown_subopt(st, arg, &so, "-display none "
					      "takes none");
		ret = subopt_value(st, arg, &so, buf, sizeof(buf));
		if (ret)
			return ret;
		if (is_help(buf))
			return list_displays();
		if (strcmp(buf, "none") != 0) {
			log_error("-display %s: kvmrun has no graphical display "
				  "— use -display none or -nographic", arg);
			return -EINVAL;
		}
	}
	return 0;
}

static int opt_serial(struct parse_state *st, const char *arg)
{
	static const char *const qemu_backends[] = {
		"null", "vc", "pty", "file", "pipe", "tcp", "udp", "telnet",
		"websocket", "unix", "mon", "chardev", "msmouse", "braille",
		"testdev", "stdio", "none", "serial", "parallel", "spicevmc",
		"spiceport", "qemu-vdagent", "ringbuf", "memory",
	};
	char backend[32];
	size_t i, n = strcspn(arg, ":,");

	if (st->serial_given) {
		log_error("-serial %s: only one serial port (COM1) is supported",
			  arg);
		return -EINVAL;
	}
	st->serial_given = true;
	if (strcmp(arg, "stdio") == 0) {
		st->cfg->serial = SERIAL_STDIO;
		return 0;
	}
	if (strcmp(arg, "none") == 0) {
		st->cfg->serial = SERIAL_NONE;
		return 0;
	}
	if (is_help(arg)) {
		printf("Available chardev backend types:\n  stdio\n  none\n");
		return OPTIONS_EXIT_OK;
	}
	snprintf(backend, sizeof(backend), "%.*s", (int)n, arg);
	if (arg[0] == '/') {
		log_error("-serial %s: host tty back ends are not supported yet "
			  "— use stdio or none", arg);
		return -EINVAL;
	}
	for (i = 0; i < sizeof(qemu_backends) / sizeof(qemu_backends[0]); i++) {
		if (strcmp(backend, qemu_backends[i]) == 0) {
			log_error("-serial %s: backend '%s' is not supported "
				  "yet — use stdio or none", arg, backend);
			return -EINVAL;
		}
	}
	log_error("-serial %s: unknown backend — use stdio or none", arg);
	return -EINVAL;
}

/* ---- -device ---- */

static int list_devices(void)
{
	printf("Devices supported by kvmrun:\n"
	       "name \"isa-debug-exit\", bus ISA, desc \"exits kvmrun: a "
	       "write of v gives status (v << 1) | 1\"\n"
	       "name \"pc-testdev\", bus ISA, desc \"kvm-unit-tests' ISA test "
	       "device\"\n"
	       "name \"pci-testdev\", bus PCI, desc \"kvm-unit-tests' PCI test "
	       "device\"\n");
	return OPTIONS_EXIT_OK;
}

static int port_value(struct parse_state *st, const char *arg,
		      const struct subopt *so, uint64_t *out)
{
	char buf[VALUE_MAX];
	int ret;

	ret = subopt_value(st, arg, so, buf, sizeof(buf));
	if (ret)
		return ret;
	ret = parse_uint(buf, UINT32_MAX, out);
	if (ret == -EINVAL) {
		log_error("-device %s: %.*s='%s' is not a number (e.g. 0xf4)",
			  arg, (int)so->key_len, so->key, buf);
		return ret;
	}
	if (ret || *out >= IO_PORTS) {
		log_error("-device %s: %.*s=%s is beyond the I/O port space "
			  "(0 to 0xffff)", arg, (int)so->key_len, so->key, buf);
		return -EINVAL;
	}
	return 0;
}

static int debug_exit_props(struct parse_state *st, const char *arg)
{
	struct subopt_iter it;
	struct subopt so;
	uint64_t iobase = DEBUG_EXIT_IOBASE, iosize = DEBUG_EXIT_IOSIZE;
	int ret = 0;

	subopt_start(&it, arg, "driver");
	while (subopt_next(&it, &so)) {
		if (key_is(&so, "driver") || key_is(&so, "id"))
			continue;
		if (key_is(&so, "iobase"))
			ret = port_value(st, arg, &so, &iobase);
		else if (key_is(&so, "iosize"))
			ret = port_value(st, arg, &so, &iosize);
		else
			ret = unknown_subopt(st, arg, &so, "isa-debug-exit "
					     "takes iobase, iosize");
		if (ret)
			return ret;
	}
	if (iosize == 0) {
		log_error("-device %s: iosize=0: the device needs at least one "
			  "port", arg);
		return -EINVAL;
	}
	if (iobase + iosize > IO_PORTS) {
		log_error("-device %s: ports 0x%llx to 0x%llx (iobase, iosize) "
			  "run past 0xffff", arg, (unsigned long long)iobase,
			  (unsigned long long)(iobase + iosize - 1));
		return -EINVAL;
	}
	st->cfg->debug_exit_iobase = (uint16_t)iobase;
	st->cfg->debug_exit_iosize = (uint16_t)iosize;
	return 0;
}

static int no_props(struct parse_state *st, const char *arg,
		    const char *driver)
{
	struct subopt_iter it;
	struct subopt so;
	char known[VALUE_MAX + 16];

	snprintf(known, sizeof(known), "%s has none", driver);
	subopt_start(&it, arg, "driver");
	while (subopt_next(&it, &so))
		if (!key_is(&so, "driver") && !key_is(&so, "id"))
			return unknown_subopt(st, arg, &so, known);
	return 0;
}

static int device_help(const char *driver)
{
	if (strcmp(driver, "isa-debug-exit") == 0)
		printf("isa-debug-exit options:\n"
		       "  iobase=<uint16>        - the first I/O port "
		       "(default: 0x501)\n"
		       "  iosize=<uint16>        - the number of ports "
		       "(default: 2)\n");
	else
		printf("There are no options for %s.\n", driver);
	return OPTIONS_EXIT_OK;
}

static int opt_device(struct parse_state *st, const char *arg)
{
	struct vm_config *cfg = st->cfg;
	struct subopt_iter it;
	struct subopt so;
	char driver[VALUE_MAX] = "";
	bool help = false, *present;
	int ret;

	subopt_start(&it, arg, "driver");
	while (subopt_next(&it, &so)) {
		if (subopt_is_help(&so))
			help = true;
		if (!key_is(&so, "driver"))
			continue;
		ret = subopt_value(st, arg, &so, driver, sizeof(driver));
		if (ret)
			return ret;
	}
	if (is_help(driver))
		return list_devices();
	if (!driver[0]) {
		log_error("-device %s: no device name (see -device help)", arg);
		return -EINVAL;
	}
	if (strcmp(driver, "isa-debug-exit") == 0) {
		present = &cfg->debug_exit;
	} else if (strcmp(driver, "pc-testdev") == 0) {
		present = &cfg->pc_testdev;
	} else if (strcmp(driver, "pci-testdev") == 0) {
		present = &cfg->pci_testdev;
	} else {
		log_error("-device %s: unknown device '%s' (see -device help)",
			  arg, driver);
		return -EINVAL;
	}
	if (help)
		return device_help(driver);
	if (present == &cfg->debug_exit)
		ret = debug_exit_props(st, arg);
	else
		ret = no_props(st, arg, driver);
	if (ret)
		return ret;
	if (*present) {
		log_error("-device %s: a second %s is not supported", arg,
			  driver);
		return -EINVAL;
	}
	*present = true;
	return 0;
}

/* ---- -qtest ---- */

/* The qtest accelerator parses the spec itself: check it with the same code. */
static int opt_qtest(struct parse_state *st, const char *arg)
{
	struct qtest_chardev dev;
	const char *why;

	if (qtest_chardev_parse(arg, &dev, &why)) {
		log_error("-qtest %s: %s", arg, why);
		return -EINVAL;
	}
	st->cfg->qtest_chardev = arg;
	return 0;
}

/* ---- plain options ---- */

static int opt_help(struct parse_state *st, const char *arg)
{
	options_usage(stdout);
	return OPTIONS_EXIT_OK;
}

static int opt_version(struct parse_state *st, const char *arg)
{
	return print_version();
}

static int nonempty_path(struct parse_state *st, const char *arg,
			 const char **field)
{
	if (!arg[0]) {
		log_error("-%s: empty file name", st->opt);
		return -EINVAL;
	}
	*field = arg;
	return 0;
}

static int opt_kernel(struct parse_state *st, const char *arg)
{
	return nonempty_path(st, arg, &st->cfg->kernel);
}

static int opt_initrd(struct parse_state *st, const char *arg)
{
	return nonempty_path(st, arg, &st->cfg->initrd);
}

static int opt_qtest_log(struct parse_state *st, const char *arg)
{
	return nonempty_path(st, arg, &st->cfg->qtest_log);
}

static int opt_append(struct parse_state *st, const char *arg)
{
	st->cfg->append = arg;
	return 0;
}

static int opt_nographic(struct parse_state *st, const char *arg)
{
	st->cfg->nographic = true;
	return 0;
}

static int opt_nodefaults(struct parse_state *st, const char *arg)
{
	st->cfg->nodefaults = true;
	return 0;
}

static int opt_no_reboot(struct parse_state *st, const char *arg)
{
	st->cfg->no_reboot = true;
	return 0;
}

/*
 * -global DRIVER.PROP=VALUE: QEMU's way to set a default property.  The one
 * kvmrun has is the in-kernel PIT's lost-tick policy, which test runners
 * (kvm-unit-tests' x86/run) always pass; naming kvm-pit selects KVM's PIT.
 */
static int opt_global(struct parse_state *st, const char *arg)
{
	static const char prefix[] = "kvm-pit.lost_tick_policy=";

	if (strncmp(arg, prefix, sizeof(prefix) - 1) != 0) {
		log_error("-global %s: unsupported; kvmrun knows only "
			  "kvm-pit.lost_tick_policy=delay|discard", arg);
		return -EINVAL;
	}
	arg += sizeof(prefix) - 1;
	st->cfg->kvm_pit = true;
	if (strcmp(arg, "delay") == 0) {
		st->cfg->pit_discard_lost_ticks = false;
	} else if (strcmp(arg, "discard") == 0) {
		st->cfg->pit_discard_lost_ticks = true;
	} else {
		log_error("-global kvm-pit.lost_tick_policy=%s: use delay "
			  "(re-inject missed ticks, the default) or discard", arg);
		return -EINVAL;
	}
	return 0;
}

/*
 * -overcommit mem-lock=on|off,cpu-pm=on|off: lock kvmrun's memory (guest RAM
 * included) against swapping; let the guest halt and pause without exiting
 * to the host (for vCPUs pinned to dedicated host CPUs).
 */
static int opt_overcommit(struct parse_state *st, const char *arg)
{
	struct subopt_iter it;
	struct subopt so;
	char buf[VALUE_MAX];
	int ret;

	subopt_start(&it, arg, NULL);
	while (subopt_next(&it, &so)) {
		ret = subopt_value(st, arg, &so, buf, sizeof(buf));
		if (ret)
			return ret;
		if (key_is(&so, "mem-lock"))
			ret = on_off(st, arg, &so, buf, &st->cfg->mem_lock);
		else if (key_is(&so, "cpu-pm"))
			ret = on_off(st, arg, &so, buf, &st->cfg->cpu_pm);
		else
			ret = unknown_subopt(st, arg, &so, "-overcommit takes "
					     "mem-lock, cpu-pm");
		if (ret)
			return ret;
	}
	return 0;
}

struct option_def {
	const char *name;
	bool has_arg;
	int (*parse)(struct parse_state *st, const char *arg);
};

static const struct option_def option_defs[] = {
	{ "h", false, opt_help },
	{ "help", false, opt_help },
	{ "version", false, opt_version },
	{ "machine", true, opt_machine },
	{ "M", true, opt_machine },
	{ "accel", true, opt_accel },
	{ "enable-kvm", false, opt_enable_kvm },
	{ "cpu", true, opt_cpu },
	{ "smp", true, opt_smp },
	{ "m", true, opt_m },
	{ "name", true, opt_name },
	{ "device", true, opt_device },
	{ "nodefaults", false, opt_nodefaults },
	{ "display", true, opt_display },
	{ "nographic", false, opt_nographic },
	{ "kernel", true, opt_kernel },
	{ "append", true, opt_append },
	{ "initrd", true, opt_initrd },
	{ "no-reboot", false, opt_no_reboot },
	{ "serial", true, opt_serial },
	{ "qtest", true, opt_qtest },
	{ "qtest-log", true, opt_qtest_log },
	{ "global", true, opt_global },
	{ "overcommit", true, opt_overcommit },
	{ "rtc", true, opt_rtc },
};

static const struct option_def *find_option(const char *arg)
{
	const char *name;
	size_t i;

	if (arg[0] != '-')
		return NULL;
	name = arg[1] == '-' ? arg + 2 : arg + 1;
	for (i = 0; i < sizeof(option_defs) / sizeof(option_defs[0]); i++)
		if (strcmp(name, option_defs[i].name) == 0)
			return &option_defs[i];
	return NULL;
}

/* ---- after the last option: defaults that depend on others, conflicts ---- */

static int resolve_accel(struct parse_state *st)
{
	struct vm_config *cfg = st->cfg;

	if (st->accel_given && st->machine_accel_given) {
		log_error("-accel: cannot be combined with -machine accel= or "
			  "-enable-kvm (as in QEMU) — give one of them");
		return -EINVAL;
	}
	if (st->accel_given)
		cfg->accel = st->accel;
	else if (st->machine_accel_given)
		cfg->accel = st->machine_accel;
	else if (cfg->qtest_chardev)
		cfg->accel = ACCEL_QTEST;	/* see the top of this file */
	else
		cfg->accel = ACCEL_KVM;

	if (st->accel_irqchip_given && st->machine_irqchip_given &&
	    st->accel_irqchip != st->machine_irqchip) {
		log_error("-accel: kernel-irqchip differs from -machine "
			  "kernel-irqchip — give it once");
		return -EINVAL;
	}
	if (st->accel_irqchip_given)
		cfg->irqchip = st->accel_irqchip;
	else if (st->machine_irqchip_given)
		cfg->irqchip = st->machine_irqchip;
	return 0;
}

static int options_finish(struct parse_state *st)
{
	struct vm_config *cfg = st->cfg;
	int ret;

	ret = resolve_accel(st);
	if (ret)
		return ret;
	if (cfg->qtest_chardev && cfg->accel != ACCEL_QTEST) {
		log_error("-qtest: needs -accel qtest — kvmrun serves the qtest "
			  "protocol only when no vCPU runs");
		return -EINVAL;
	}
	if (cfg->qtest_log && !cfg->qtest_chardev) {
		log_error("-qtest-log: needs -qtest");
		return -EINVAL;
	}
	if (!cfg->kernel) {
		if (cfg->initrd) {
			log_error("-initrd: only allowed with -kernel");
			return -EINVAL;
		}
		if (cfg->append) {
			log_error("-append: only allowed with -kernel");
			return -EINVAL;
		}
		if (cfg->accel == ACCEL_KVM) {
			log_error("no -kernel given — kvmrun boots a kernel "
				  "directly (no firmware)");
			return -EINVAL;
		}
	}
	/* As QEMU: -nodefaults leaves no serial port unless asked for. */
	if (cfg->nodefaults && !st->serial_given)
		cfg->serial = SERIAL_NONE;
	return 0;
}

static void config_defaults(struct vm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ram_size = CONFIG_DEFAULT_RAM;
	cfg->ncpus = 1;
	cfg->smp_sockets = 1;
	cfg->smp_cores = 1;
	cfg->smp_threads = 1;
	options_cpu_defaults(&cfg->cpu);
	cfg->accel = ACCEL_KVM;
	cfg->irqchip = IRQCHIP_KERNEL;
	cfg->serial = SERIAL_STDIO;
	cfg->debug_exit_iobase = DEBUG_EXIT_IOBASE;
	cfg->debug_exit_iosize = DEBUG_EXIT_IOSIZE;
}

int options_parse(int argc, char *const argv[], struct vm_config *cfg)
{
	struct parse_state st = { .cfg = cfg };
	const struct option_def *def;
	const char *arg;
	int i, ret;

	config_defaults(cfg);
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (arg[0] != '-' || !arg[1]) {
			log_error("'%s': unexpected argument — options start "
				  "with '-' (see kvmrun -help)", arg);
			return -EINVAL;
		}
		def = find_option(arg);
		if (!def) {
			log_error("%s: unknown option (see kvmrun -help)", arg);
			return -EINVAL;
		}
		st.opt = def->name;
		if (def->has_arg && i + 1 >= argc) {
			log_error("-%s: requires an argument", def->name);
			return -EINVAL;
		}
		ret = def->parse(&st, def->has_arg ? argv[++i] : NULL);
		if (ret)
			return ret < 0 ? -EINVAL : ret;
	}
	return options_finish(&st);
}
