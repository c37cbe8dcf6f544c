// SPDX-License-Identifier: MIT
/*
 * The command line: every option's good forms and every error.  Each parse
 * runs with stdout and stderr captured, so a test can check that an error is
 * exactly one "kvmrun: " line naming the option, and that a listing went to
 * stdout.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "options.h"
#include "x86/cpu_model.h"
#include "unit.h"

#define MIB (1ULL << 20)
#define GIB (1ULL << 30)

static char out_buf[65536], err_buf[4096];

static void slurp(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
}

/* options_parse with stdout and stderr going to out_buf and err_buf. */
static int run(struct vm_config *cfg, const char *const *args)
{
	FILE *out = tmpfile(), *err = tmpfile();
	int argc, ret, saved_out, saved_err;

	if (!out || !err) {
		perror("tmpfile");
		exit(2);
	}
	for (argc = 0; args[argc]; argc++)
		;
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(STDOUT_FILENO);
	saved_err = dup(STDERR_FILENO);
	dup2(fileno(out), STDOUT_FILENO);
	dup2(fileno(err), STDERR_FILENO);
	ret = options_parse(argc, (char *const *)args, cfg);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_out);
	close(saved_err);
	slurp(out, out_buf, sizeof(out_buf));
	slurp(err, err_buf, sizeof(err_buf));
	fclose(out);
	fclose(err);
	return ret;
}

static void show(int line, const char *const *args)
{
	int i;

	fprintf(stderr, "  line %d: kvmrun", line);
	for (i = 1; args[i]; i++)
		fprintf(stderr, " '%s'", args[i]);
	fprintf(stderr, "\n  stdout: %s\n  stderr: %s\n", out_buf, err_buf);
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static bool expect_ok(int line, struct vm_config *cfg,
		      const char *const *args)
{
	int ret = run(cfg, args);
	bool good = ret == OPTIONS_RUN && !err_buf[0] && !out_buf[0];

	CHECK(good);
	if (!good)
		show(line, args);
	return good;
}

/* -EINVAL, nothing on stdout, one "kvmrun: " line holding every needle. */
static void expect_err(int line, const char *const *args, ...)
{
	struct vm_config cfg;
	const char *needle;
	bool good;
	va_list ap;
	int ret;

	ret = run(&cfg, args);
	good = ret == -EINVAL && !out_buf[0] && count_lines(err_buf) == 1 &&
	       strncmp(err_buf, "kvmrun: ", 8) == 0;
	va_start(ap, args);
	while ((needle = va_arg(ap, const char *)))
		if (!strstr(err_buf, needle))
			good = false;
	va_end(ap);
	CHECK(good);
	if (!good)
		show(line, args);
}

/* OPTIONS_EXIT_OK, nothing on stderr, stdout holding every needle. */
static void expect_exit(int line, const char *const *args, ...)
{
	struct vm_config cfg;
	const char *needle;
	bool good;
	va_list ap;
	int ret;

	ret = run(&cfg, args);
	good = ret == OPTIONS_EXIT_OK && !err_buf[0] && out_buf[0];
	va_start(ap, args);
	while ((needle = va_arg(ap, const char *)))
		if (!strstr(out_buf, needle))
			good = false;
	va_end(ap);
	CHECK(good);
	if (!good)
		show(line, args);
}

#define ARGS(...) ((const char *const[]){ "kvmrun", __VA_ARGS__, NULL })
#define OK(cfg, ...) expect_ok(__LINE__, cfg, ARGS(__VA_ARGS__))
/* ERR((args...), needles...) */
#define ERR(args, ...) expect_err(__LINE__, ARGS args, __VA_ARGS__, NULL)
#define EXIT(args, ...) expect_exit(__LINE__, ARGS args, __VA_ARGS__, NULL)
#define K "-kernel", "bzImage"

static void test_defaults(void)
{
	struct vm_config cfg;
	const char *const *args = ARGS(K);

	if (!expect_ok(__LINE__, &cfg, args))
		return;
	CHECK_EQ(cfg.ram_size, 256 * MIB);
	CHECK_EQ(cfg.ncpus, 1);
	CHECK_EQ(cfg.smp_sockets, 1);
	CHECK_EQ(cfg.smp_cores, 1);
	CHECK_EQ(cfg.smp_threads, 1);
	CHECK(cfg.kernel == args[2]);
	CHECK(!cfg.initrd && !cfg.append && !cfg.name);
	CHECK_STR(cfg.cpu.model, "host");
	CHECK_EQ(cfg.accel, ACCEL_KVM);
	CHECK_EQ(cfg.irqchip, IRQCHIP_KERNEL);
	CHECK(!cfg.qtest_chardev && !cfg.qtest_log);
	CHECK_EQ(cfg.serial, SERIAL_STDIO);
	CHECK(!cfg.nographic && !cfg.nodefaults && !cfg.no_reboot);
	CHECK(!cfg.debug_exit && !cfg.pc_testdev && !cfg.pci_testdev);
}

static void test_parse_size(void)
{
	uint64_t v;

	CHECK(options_parse_size("512", &v) == 0 && v == 512 * MIB);
	CHECK(options_parse_size("0", &v) == 0 && v == 0);
	CHECK(options_parse_size("1b", &v) == 0 && v == 1);
	CHECK(options_parse_size("1B", &v) == 0 && v == 1);
	CHECK(options_parse_size("4k", &v) == 0 && v == 4096);
	CHECK(options_parse_size("4K", &v) == 0 && v == 4096);
	CHECK(options_parse_size("3m", &v) == 0 && v == 3 * MIB);
	CHECK(options_parse_size("2g", &v) == 0 && v == 2 * GIB);
	CHECK(options_parse_size("1T", &v) == 0 && v == 1ULL << 40);
	CHECK(options_parse_size("1P", &v) == 0 && v == 1ULL << 50);
	CHECK(options_parse_size("15E", &v) == 0 && v == 15ULL << 60);
	CHECK(options_parse_size("1.5G", &v) == 0 && v == 3 * GIB / 2);
	CHECK(options_parse_size("0.5k", &v) == 0 && v == 512);
	CHECK(options_parse_size("1.G", &v) == 0 && v == GIB);
	CHECK(options_parse_size("1.00000000000000000000000001G", &v) == 0 &&
	      v == GIB);
	CHECK(options_parse_size("18446744073709551615b", &v) == 0 &&
	      v == UINT64_MAX);
	CHECK_EQ(options_parse_size("18446744073709551616b", &v), -ERANGE);
	CHECK_EQ(options_parse_size("99999999999999999999999", &v), -ERANGE);
	CHECK_EQ(options_parse_size("16E", &v), -ERANGE);
	CHECK_EQ(options_parse_size("17592186044416", &v), -ERANGE);
	CHECK_EQ(options_parse_size("", &v), -EINVAL);
	CHECK_EQ(options_parse_size("x", &v), -EINVAL);
	CHECK_EQ(options_parse_size("-1", &v), -EINVAL);
	CHECK_EQ(options_parse_size(" 1", &v), -EINVAL);
	CHECK_EQ(options_parse_size("1 ", &v), -EINVAL);
	CHECK_EQ(options_parse_size("1.5", &v), -EINVAL);
	CHECK_EQ(options_parse_size(".5G", &v), -EINVAL);
	CHECK_EQ(options_parse_size("1.25b", &v), -EINVAL);
	CHECK_EQ(options_parse_size("1KiB", &v), -EINVAL);
	CHECK_EQ(options_parse_size("1MB", &v), -EINVAL);
	CHECK_EQ(options_parse_size("1x", &v), -EINVAL);
	CHECK_EQ(options_parse_size("0x10", &v), -EINVAL);
}

static void test_m(void)
{
	struct vm_config cfg;

	if (OK(&cfg, K, "-m", "512"))
		CHECK_EQ(cfg.ram_size, 512 * MIB);
	if (OK(&cfg, K, "-m", "512M"))
		CHECK_EQ(cfg.ram_size, 512 * MIB);
	if (OK(&cfg, K, "-m", "1g"))
		CHECK_EQ(cfg.ram_size, GIB);
	if (OK(&cfg, K, "-m", "1.5G"))
		CHECK_EQ(cfg.ram_size, 3 * GIB / 2);
	if (OK(&cfg, K, "-m", "4096k"))
		CHECK_EQ(cfg.ram_size, 4 * MIB);
	if (OK(&cfg, K, "-m", "size=2G"))
		CHECK_EQ(cfg.ram_size, 2 * GIB);
	if (OK(&cfg, K, "--m", "1T"))
		CHECK_EQ(cfg.ram_size, 1ULL << 40);
	if (OK(&cfg, K, "-m", "2M"))
		CHECK_EQ(cfg.ram_size, 2 * MIB);
	/* Rounded up to 8 KiB, as QEMU does. */
	if (OK(&cfg, K, "-m", "2097153b"))
		CHECK_EQ(cfg.ram_size, 2 * MIB + 8192);
	if (OK(&cfg, K, "-m", "4100k"))
		CHECK_EQ(cfg.ram_size, 4104 * 1024);
	/* The last one wins, as in QEMU. */
	if (OK(&cfg, K, "-m", "1G", "-m", "3G"))
		CHECK_EQ(cfg.ram_size, 3 * GIB);

	ERR((K, "-m", "0"), "-m 0", "too small");
	ERR((K, "-m", "1k"), "-m 1k", "too small");
	ERR((K, "-m", "1M"), "-m 1M", "too small");
	ERR((K, "-m", "x"), "-m x", "not a size");
	ERR((K, "-m", ""), "-m", "not a size");
	ERR((K, "-m", "1KiB"), "-m 1KiB", "not a size");
	ERR((K, "-m", "1MB"), "-m 1MB", "not a size");
	ERR((K, "-m", "1.5"), "-m 1.5", "not a size");
	ERR((K, "-m", "-1"), "-m -1", "not a size");
	ERR((K, "-m", "0x10"), "-m 0x10", "not a size");
	ERR((K, "-m", "1G "), "-m 1G ", "not a size");
	ERR((K, "-m", "2T"), "-m 2T", "too large");
	ERR((K, "-m", "1025G"), "-m 1025G", "too large");
	ERR((K, "-m", "1E"), "-m 1E", "too large");
	ERR((K, "-m", "16E"), "-m 16E", "too large");
	ERR((K, "-m", "99999999999999999999999"), "-m 9999", "too large");
	ERR((K, "-m", "18446744073709551615"), "-m 1844", "too large");
	ERR((K, "-m", "size="), "-m size=", "not a size");
	ERR((K, "-m", "size"), "-m size", "not a size");
	ERR((K, "-m", "1G,slots=2"), "-m 1G,slots=2", "slots",
	    "hot-plug");
	ERR((K, "-m", "1G,maxmem=4G"), "maxmem", "hot-plug");
	ERR((K, "-m", "1G,foo=1"), "-m 1G,foo=1", "'foo'");
	ERR((K, "-m", "1G,"), "-m 1G,", "empty");
	ERR((K, "-m"), "-m: requires an argument");
}

static void test_smp(void)
{
	struct vm_config cfg;

	if (OK(&cfg, K, "-smp", "4")) {
		CHECK_EQ(cfg.ncpus, 4);
		/* QEMU 7.2 fills in cores before sockets. */
		CHECK_EQ(cfg.smp_sockets, 1);
		CHECK_EQ(cfg.smp_cores, 4);
		CHECK_EQ(cfg.smp_threads, 1);
	}
	if (OK(&cfg, K, "-smp", "cpus=2"))
		CHECK_EQ(cfg.ncpus, 2);
	if (OK(&cfg, K, "-smp", "4,sockets=2")) {
		CHECK_EQ(cfg.ncpus, 4);
		CHECK_EQ(cfg.smp_sockets, 2);
		CHECK_EQ(cfg.smp_cores, 2);
		CHECK_EQ(cfg.smp_threads, 1);
	}
	if (OK(&cfg, K, "-smp", "sockets=2,cores=3")) {
		CHECK_EQ(cfg.ncpus, 6);
		CHECK_EQ(cfg.smp_sockets, 2);
		CHECK_EQ(cfg.smp_cores, 3);
	}
	if (OK(&cfg, K, "-smp", "4,threads=2")) {
		CHECK_EQ(cfg.smp_cores, 2);
		CHECK_EQ(cfg.smp_threads, 2);
	}
	if (OK(&cfg, K, "-smp", "8,cores=2")) {
		CHECK_EQ(cfg.smp_sockets, 4);
		CHECK_EQ(cfg.smp_cores, 2);
	}
	if (OK(&cfg, K, "-smp", "sockets=2,cores=2,threads=2,cpus=8,"
				"maxcpus=8,dies=1,clusters=1"))
		CHECK_EQ(cfg.ncpus, 8);
	if (OK(&cfg, K, "-smp", "threads=2"))
		CHECK_EQ(cfg.ncpus, 2);
	if (OK(&cfg, K, "-smp", "255"))
		CHECK_EQ(cfg.ncpus, 255);
	if (OK(&cfg, K, "--smp", "1"))
		CHECK_EQ(cfg.ncpus, 1);

	ERR((K, "-smp", "x"),
	    "kvmrun: -smp: 'x' is not a number of CPUs — e.g. -smp 4\n");
	ERR((K, "-smp", "0"), "-smp 0", "out of range");
	ERR((K, "-smp", "256"), "-smp 256", "out of range");
	ERR((K, "-smp", "99999999999999999999999"), "-smp", "out of range");
	ERR((K, "-smp", ""), "-smp", "not a number of CPUs");
	ERR((K, "-smp", "2x"), "-smp", "'2x'");
	ERR((K, "-smp", "-1"), "-smp", "'-1'");
	ERR((K, "-smp", "+2"), "-smp", "'+2'");
	ERR((K, "-smp", " 2"), "-smp", "' 2'");
	ERR((K, "-smp", "4,sockets=x"), "-smp 4,sockets=x", "not a number");
	ERR((K, "-smp", "4,sockets=0"), "sockets=0", "out of range");
	ERR((K, "-smp", "4,sockets=3"), "-smp 4,sockets=3", "sockets (3)",
	    "not 4 CPUs");
	ERR((K, "-smp", "2,cores=4"), "-smp 2,cores=4", "not 2 CPUs");
	ERR((K, "-smp", "8,maxcpus=4"), "-smp 8,maxcpus=4", "less than");
	ERR((K, "-smp", "4,maxcpus=8"), "-smp 4,maxcpus=8", "hot-plug");
	ERR((K, "-smp", "sockets=16,cores=16"), "-smp", "256 CPUs",
	    "at most 255");
	ERR((K, "-smp", "4,dies=2"), "-smp 4,dies=2", "one die");
	ERR((K, "-smp", "4,clusters=2"), "-smp 4,clusters=2", "one cluster");
	ERR((K, "-smp", "4,foo=1"), "-smp 4,foo=1", "'foo'");
	ERR((K, "-smp", "4,cores"), "-smp 4,cores", "needs a value");
	ERR((K, "-smp", "cpus="), "-smp", "not a number of CPUs");
	ERR((K, "-smp"), "-smp: requires an argument");
}

static void test_boot(void)
{
	struct vm_config cfg;
	const char *const *args = ARGS("-kernel", "vmlinux", "-initrd", "rd",
				       "-append", "console=ttyS0 quiet",
				       "-no-reboot");

	if (expect_ok(__LINE__, &cfg, args)) {
		CHECK(cfg.kernel == args[2]);
		CHECK(cfg.initrd == args[4]);
		CHECK(cfg.append == args[6]);
		CHECK(cfg.no_reboot);
	}
	if (OK(&cfg, K, "-append", ""))
		CHECK_STR(cfg.append, "");
	/* Arguments are taken whole, even when they start with '-'. */
	if (OK(&cfg, K, "-append", "-m 1"))
		CHECK_STR(cfg.append, "-m 1");
	if (OK(&cfg, "-kernel", "a", "-kernel", "b"))
		CHECK_STR(cfg.kernel, "b");

	ERR(("-m", "1G"), "no -kernel given", "(no firmware)");
	ERR(("-accel", "kvm"), "no -kernel given");
	ERR(("-initrd", "rd", "-accel", "qtest"), "-initrd",
	    "only allowed with -kernel");
	ERR(("-append", "x", "-accel", "qtest"), "-append",
	    "only allowed with -kernel");
	ERR(("-kernel", ""), "-kernel", "empty");
	ERR((K, "-initrd", ""), "-initrd", "empty");
	ERR(("-kernel"), "-kernel: requires an argument");
	ERR((K, "-append"), "-append: requires an argument");
	ERR((K, "-initrd"), "-initrd: requires an argument");
	ERR((K, "-no-reboot=1"), "-no-reboot=1", "unknown option");
}

static void test_accel(void)
{
	struct vm_config cfg;

	if (OK(&cfg, K, "-accel", "kvm")) {
		CHECK_EQ(cfg.accel, ACCEL_KVM);
		CHECK_EQ(cfg.irqchip, IRQCHIP_KERNEL);
	}
	if (OK(&cfg, "-accel", "qtest"))
		CHECK_EQ(cfg.accel, ACCEL_QTEST);
	if (OK(&cfg, K, "-accel", "kvm,kernel-irqchip=split"))
		CHECK_EQ(cfg.irqchip, IRQCHIP_SPLIT);
	if (OK(&cfg, K, "-accel", "accel=kvm,kernel-irqchip=on"))
		CHECK_EQ(cfg.irqchip, IRQCHIP_KERNEL);
	if (OK(&cfg, K, "-enable-kvm"))
		CHECK_EQ(cfg.accel, ACCEL_KVM);
	if (OK(&cfg, K, "--accel", "qtest"))
		CHECK_EQ(cfg.accel, ACCEL_QTEST);

	EXIT(("-accel", "help"), "kvm\n", "qtest\n");
	EXIT(("-accel", "?"), "kvm\n", "qtest\n");
	EXIT(("-accel", "kvm,help"), "kernel-irqchip");
	EXIT(("-accel", "qtest,help"), "no options");

	ERR((K, "-accel", "tcg"), "-accel tcg", "not supported yet");
	ERR((K, "-accel", "foo"), "-accel foo", "unknown accelerator 'foo'");
	ERR((K, "-accel", ""), "-accel", "unknown accelerator ''");
	ERR((K, "-accel", "kvm:tcg"), "-accel kvm:tcg", "one accelerator");
	ERR((K, "-accel", "kvm,foo=1"), "-accel kvm,foo=1", "'foo'");
	ERR((K, "-accel", "kvm,kernel-irqchip=off"), "kernel-irqchip=off",
	    "not supported");
	ERR((K, "-accel", "kvm,kernel-irqchip=maybe"), "-accel",
	    "'maybe'", "on or split");
	ERR((K, "-accel", "kvm,kernel-irqchip"), "-accel", "needs a value");
	ERR(("-accel", "qtest,kernel-irqchip=on"), "-accel", "'kernel-irqchip'",
	    "qtest takes none");
	ERR((K, "-accel", "kvm", "-accel", "kvm"), "-accel kvm",
	    "only one -accel");
	ERR((K, "-accel", "kvm", "-accel", "tcg"), "-accel tcg");
	ERR((K, "-accel", "kvm", "-enable-kvm"), "-accel", "-enable-kvm",
	    "cannot be combined");
	ERR((K, "-enable-kvm", "-accel", "qtest"), "-accel",
	    "cannot be combined");
	ERR((K, "-accel", "qtest", "-machine", "accel=qtest"), "-accel",
	    "-machine accel=");
	ERR((K, "-accel"), "-accel: requires an argument");
	ERR((K, "-enable-kvm", "x"), "'x'", "unexpected argument");
}

static void test_machine(void)
{
	struct vm_config cfg;

	OK(&cfg, K, "-machine", "pc");
	OK(&cfg, K, "-machine", "kvmrun");
	OK(&cfg, K, "-machine", "type=pc");
	OK(&cfg, K, "-M", "pc");
	OK(&cfg, K, "--M", "kvmrun");
	if (OK(&cfg, "-machine", "pc,accel=qtest"))
		CHECK_EQ(cfg.accel, ACCEL_QTEST);
	if (OK(&cfg, K, "-machine", "accel=kvm,kernel-irqchip=split")) {
		CHECK_EQ(cfg.accel, ACCEL_KVM);
		CHECK_EQ(cfg.irqchip, IRQCHIP_SPLIT);
	}
	/* -machine options merge; a later value wins, as in QEMU. */
	if (OK(&cfg, "-machine", "pc", "-machine", "accel=kvm", "-M",
	       "accel=qtest"))
		CHECK_EQ(cfg.accel, ACCEL_QTEST);
	if (OK(&cfg, K, "-machine", "accel=qtest", "-enable-kvm"))
		CHECK_EQ(cfg.accel, ACCEL_KVM);
	if (OK(&cfg, K, "-machine", "kernel-irqchip=split", "-accel",
	       "kvm,kernel-irqchip=split"))
		CHECK_EQ(cfg.irqchip, IRQCHIP_SPLIT);
	/* kernel-irqchip is harmless with qtest: it has no irqchip. */
	if (OK(&cfg, "-machine", "accel=qtest,kernel-irqchip=split"))
		CHECK_EQ(cfg.accel, ACCEL_QTEST);

	EXIT(("-machine", "help"), "Supported machines are:", "kvmrun",
	     "pc ");
	EXIT(("-M", "?"), "kvmrun");
	EXIT(("-machine", "type=help"), "kvmrun");
	EXIT(("-machine", "pc,help"), "accel=", "kernel-irqchip=");

	ERR((K, "-machine", "q35"), "-machine q35", "unknown machine type");
	ERR((K, "-M", "microvm"), "-M microvm", "unknown machine type");
	ERR((K, "-machine", ""), "-machine", "unknown machine type ''");
	ERR((K, "-machine", "pc,foo=1"), "-machine pc,foo=1", "'foo'");
	ERR((K, "-machine", "pc,usb"), "-machine pc,usb", "'usb'");
	ERR((K, "-machine", "accel=tcg"), "-machine accel=tcg",
	    "not supported yet");
	ERR((K, "-machine", "accel=kvm:tcg"), "-machine", "one accelerator");
	ERR((K, "-machine", "accel=foo"), "-machine", "unknown accelerator");
	ERR((K, "-machine", "kernel-irqchip=off"), "-machine",
	    "kernel-irqchip=off");
	ERR((K, "-machine", "kernel-irqchip=split", "-accel",
	     "kvm,kernel-irqchip=on"), "-accel", "kernel-irqchip differs");
	ERR((K, "-machine"), "-machine: requires an argument");
	ERR((K, "-M"), "-M: requires an argument");
}

static void test_device(void)
{
	struct vm_config cfg;

	if (OK(&cfg, K, "-device", "isa-debug-exit")) {
		CHECK(cfg.debug_exit);
		CHECK_EQ(cfg.debug_exit_iobase, 0x501);
		CHECK_EQ(cfg.debug_exit_iosize, 2);
	}
	if (OK(&cfg, K, "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04")) {
		CHECK_EQ(cfg.debug_exit_iobase, 0xf4);
		CHECK_EQ(cfg.debug_exit_iosize, 4);
	}
	if (OK(&cfg, K, "-device", "isa-debug-exit,iobase=244,iosize=1")) {
		CHECK_EQ(cfg.debug_exit_iobase, 0xf4);
		CHECK_EQ(cfg.debug_exit_iosize, 1);
	}
	if (OK(&cfg, K, "-device", "isa-debug-exit,iobase=0364"))
		CHECK_EQ(cfg.debug_exit_iobase, 0xf4);
	if (OK(&cfg, K, "-device", "isa-debug-exit,iobase=0xFFFE,iosize=2"))
		CHECK_EQ(cfg.debug_exit_iobase, 0xfffe);
	if (OK(&cfg, K, "-device", "isa-debug-exit,iobase=0"))
		CHECK_EQ(cfg.debug_exit_iobase, 0);
	if (OK(&cfg, K, "-device", "driver=isa-debug-exit,iobase=0x10,id=dx"))
		CHECK_EQ(cfg.debug_exit_iobase, 0x10);
	if (OK(&cfg, K, "-device", "pc-testdev", "-device", "pci-testdev")) {
		CHECK(cfg.pc_testdev);
		CHECK(cfg.pci_testdev);
		CHECK(!cfg.debug_exit);
	}
	if (OK(&cfg, K, "--device", "pci-testdev,id=t0"))
		CHECK(cfg.pci_testdev);

	EXIT(("-device", "help"), "isa-debug-exit", "pc-testdev",
	     "pci-testdev");
	EXIT(("-device", "?"), "isa-debug-exit");
	EXIT(("-device", "isa-debug-exit,help"), "iobase=", "iosize=",
	     "0x501");
	EXIT(("-device", "pc-testdev,help"), "no options for pc-testdev");
	EXIT(("-device", "pci-testdev,?"), "no options for pci-testdev");

	ERR((K, "-device", "foo"), "-device foo", "unknown device 'foo'");
	ERR((K, "-device", "virtio-blk-pci,drive=d"), "-device",
	    "unknown device 'virtio-blk-pci'");
	ERR((K, "-device", ""), "-device", "no device name");
	ERR((K, "-device", ",iobase=1"), "-device ,iobase=1",
	    "no device name");
	ERR((K, "-device", "isa-debug-exit,foo=1"), "-device "
	    "isa-debug-exit,foo=1", "'foo'", "iobase, iosize");
	ERR((K, "-device", "isa-debug-exit,iobase=x"), "iobase='x'",
	    "not a number");
	ERR((K, "-device", "isa-debug-exit,iobase=-1"), "iobase='-1'");
	ERR((K, "-device", "isa-debug-exit,iobase="), "iobase=''");
	ERR((K, "-device", "isa-debug-exit,iobase=0x"), "iobase='0x'");
	ERR((K, "-device", "isa-debug-exit,iobase=08"), "iobase='08'");
	ERR((K, "-device", "isa-debug-exit,iobase=0xf4g"), "iobase='0xf4g'");
	ERR((K, "-device", "isa-debug-exit,iobase"), "-device",
	    "'iobase' needs a value");
	ERR((K, "-device", "isa-debug-exit,iobase=0x10000"),
	    "iobase=0x10000", "I/O port space");
	ERR((K, "-device", "isa-debug-exit,iobase=99999999999999999999"),
	    "iobase=9999", "I/O port space");
	ERR((K, "-device", "isa-debug-exit,iobase=0xffff,iosize=2"),
	    "-device", "ports 0xffff to 0x10000", "past 0xffff");
	ERR((K, "-device", "isa-debug-exit,iosize=0"), "iosize=0",
	    "at least one");
	ERR((K, "-device", "isa-debug-exit,iosize=0x10000"), "iosize=0x10000");
	ERR((K, "-device", "isa-debug-exit", "-device", "isa-debug-exit"),
	    "-device isa-debug-exit", "second isa-debug-exit");
	ERR((K, "-device", "pc-testdev", "-device", "pc-testdev"),
	    "second pc-testdev");
	ERR((K, "-device", "pc-testdev,foo=1"), "-device pc-testdev,foo=1",
	    "'foo'", "pc-testdev has none");
	ERR((K, "-device", "pci-testdev,membar=1M"), "'membar'");
	ERR((K, "-device"), "-device: requires an argument");
}

static void test_name_display_cpu(void)
{
	struct vm_config cfg;
	const char *const *args = ARGS(K, "-name", "vm1");

	if (expect_ok(__LINE__, &cfg, args))
		CHECK(cfg.name == args[4]);
	if (OK(&cfg, K, "-name", "guest=my-vm"))
		CHECK_STR(cfg.name, "my-vm");
	if (OK(&cfg, K, "-name", "a", "-name", "b"))
		CHECK_STR(cfg.name, "b");
	ERR((K, "-name", ""), "-name", "empty name");
	ERR((K, "-name", "guest="), "-name guest=", "empty name");
	ERR((K, "-name", "vm,process=kvm"), "-name vm,process=kvm",
	    "'process'");
	ERR((K, "-name", "vm,debug-threads=on"), "'debug-threads'");
	ERR((K, "-name", "a,,b"), "-name a,,b", "comma");
	ERR((K, "-name"), "-name: requires an argument");

	if (OK(&cfg, K, "-display", "none", "-nographic")) {
		CHECK(cfg.nographic);
		CHECK_EQ(cfg.serial, SERIAL_STDIO);
	}
	OK(&cfg, K, "-display", "type=none");
	EXIT(("-display", "help"), "none");
	ERR((K, "-display", "gtk"), "-display gtk", "no graphical display");
	ERR((K, "-display", "sdl,gl=on"), "-display sdl,gl=on");
	ERR((K, "-display", "none,foo=1"), "-display none,foo=1", "'foo'");
	ERR((K, "-display"), "-display: requires an argument");

	if (OK(&cfg, K, "-cpu", "host"))
		CHECK_STR(cfg.cpu.model, "host");
	if (OK(&cfg, K, "-cpu", "max"))
		CHECK_STR(cfg.cpu.model, "max");
	EXIT(("-cpu", "help"), "host", "max", "qemu64", "Skylake-Server",
	     "Recognized CPUID flags", "sse4.2", "tsc-deadline");
	ERR((K, "-cpu"), "-cpu: requires an argument");
}

static void test_cpu_model(void)
{
	struct vm_config cfg;
	const struct cpu_config *cc = &cfg.cpu;

	if (OK(&cfg, K, "-cpu", "qemu64")) {
		CHECK_STR(cc->model, "qemu64");
		CHECK_EQ(cc->nchanges, 0);
		CHECK(cc->check && !cc->enforce && !cc->hide_kvm);
		CHECK_EQ(cc->family, -1);
		CHECK_EQ(cc->pmu, CPU_DEFAULT);
	}
	if (OK(&cfg, K, "-cpu", "Skylake-Server"))
		CHECK_STR(cc->model, "Skylake-Server");
	/* +f, -f, f, f=on/off, QEMU's aliases and '_' spelling, in order. */
	if (OK(&cfg, K, "-cpu", "qemu64,+x2apic,-pcid,tsc_deadline,"
	       "sse4_2=off,sse3=on,xd")) {
		CHECK_EQ(cc->nchanges, 6);
		CHECK_STR(cpu_features[cc->change_feature[0]].name, "x2apic");
		CHECK(cc->change_on[0]);
		CHECK_STR(cpu_features[cc->change_feature[1]].name, "pcid");
		CHECK(!cc->change_on[1]);
		CHECK_STR(cpu_features[cc->change_feature[2]].name,
			  "tsc-deadline");
		CHECK(cc->change_on[2]);
		CHECK_STR(cpu_features[cc->change_feature[3]].name, "sse4.2");
		CHECK(!cc->change_on[3]);
		CHECK_STR(cpu_features[cc->change_feature[4]].name, "pni");
		CHECK_STR(cpu_features[cc->change_feature[5]].name, "nx");
	}
	if (OK(&cfg, K, "-cpu", "max,vendor=GenuineIntel,family=6,model=85,"
	       "stepping=4,level=0xd,xlevel=0x80000008,model-id=My CPU,"
	       "phys-bits=39,pmu=off,kvm=off,enforce,check=off,"
	       "migratable=no")) {
		CHECK_STR(cc->vendor, "GenuineIntel");
		CHECK_EQ(cc->family, 6);
		CHECK_EQ(cc->model_number, 85);
		CHECK_EQ(cc->stepping, 4);
		CHECK_EQ(cc->level, 0xd);
		CHECK_EQ(cc->xlevel, 0x80000008);
		CHECK(cc->model_id_set);
		CHECK_STR(cc->model_id, "My CPU");
		CHECK_EQ(cc->phys_bits, 39);
		CHECK_EQ(cc->pmu, CPU_OFF);
		CHECK(cc->hide_kvm && cc->enforce && !cc->check);
	}
	if (OK(&cfg, K, "-cpu", "IvyBridge,phys-bits=36,host-phys-bits=off")) {
		CHECK_EQ(cc->phys_bits, 36);
		CHECK_EQ(cc->host_phys_bits, CPU_OFF);
	}
	/* The last -cpu wins whole, as in QEMU. */
	if (OK(&cfg, K, "-cpu", "qemu64,+pcid", "-cpu", "max"))
		CHECK(!strcmp(cc->model, "max") && cc->nchanges == 0);

	ERR((K, "-cpu", "qemu65"),
	    "kvmrun: -cpu qemu65: unknown CPU model 'qemu65' — see -cpu help\n");
	ERR((K, "-cpu", ""), "-cpu", "unknown CPU model ''");
	ERR((K, "-cpu", "Host"), "unknown CPU model 'Host'");
	ERR((K, "-cpu", "qemu64,+foo"), "-cpu qemu64,+foo",
	    "unknown CPU feature 'foo'");
	ERR((K, "-cpu", "qemu64,foo=on"), "unknown CPU feature 'foo'");
	ERR((K, "-cpu", "max,+vmx,-vmx-mbec"), "'vmx-mbec'", "nested-VMX");
	ERR((K, "-cpu", "host,hv-relaxed"), "'hv-relaxed'", "Hyper-V");
	ERR((K, "-cpu", "qemu64,+sse2=on"), "takes no value");
	ERR((K, "-cpu", "qemu64,sse2=maybe"), "sse2='maybe'", "on or off");
	ERR((K, "-cpu", "qemu64,,+sse2"), "empty item");
	ERR((K, "-cpu", "qemu64,"), "empty item");
	ERR((K, "-cpu", "qemu64,vendor=Intel"), "vendor must be exactly 12");
	ERR((K, "-cpu", "qemu64,model-id=0123456789012345678901234567890123"
	     "456789012345678"), "model-id must be at most 48");
	ERR((K, "-cpu", "qemu64,family=0x10f"), "family needs a number");
	ERR((K, "-cpu", "qemu64,stepping=16"), "stepping needs a number");
	ERR((K, "-cpu", "qemu64,model=x"), "model needs a number");
	ERR((K, "-cpu", "qemu64,level=0"), "level needs a number");
	ERR((K, "-cpu", "qemu64,xlevel=0x1000"), "xlevel needs a number");
	ERR((K, "-cpu", "qemu64,phys-bits=31"), "phys-bits needs a number");
	ERR((K, "-cpu", "qemu64,phys-bits=53"), "phys-bits needs a number");
	ERR((K, "-cpu", "qemu64,pmu=2"), "pmu='2'", "on or off");
	ERR((K, "-cpu", "qemu64,enforce=yes,kvm=maybe"), "kvm='maybe'");
}

static void test_rtc(void)
{
	struct vm_config cfg;

	if (OK(&cfg, K))
		CHECK_EQ(cfg.rtc_base, RTC_BASE_UTC);
	if (OK(&cfg, K, "-rtc", "base=localtime"))
		CHECK_EQ(cfg.rtc_base, RTC_BASE_LOCALTIME);
	if (OK(&cfg, K, "-rtc", "base=2006-06-17T16:01:21,clock=host")) {
		CHECK_EQ(cfg.rtc_base, RTC_BASE_DATE);
		CHECK_EQ(cfg.rtc_start, 1150560081);
	}
	if (OK(&cfg, K, "-rtc", "base=1970-01-01,clock=rt,driftfix=none")) {
		CHECK_EQ(cfg.rtc_base, RTC_BASE_DATE);
		CHECK_EQ(cfg.rtc_start, 0);
	}
	if (OK(&cfg, K, "-rtc", "base=localtime", "-rtc", "base=utc"))
		CHECK_EQ(cfg.rtc_base, RTC_BASE_UTC);
	OK(&cfg, K, "-rtc", "clock=vm");
	ERR((K, "-rtc", "base=yesterday"), "-rtc base=yesterday",
	    "base='yesterday'", "2006-06-17");
	ERR((K, "-rtc", "base=2006-13-01"), "base='2006-13-01'");
	ERR((K, "-rtc", "base=1969-12-31"), "base='1969-12-31'");
	ERR((K, "-rtc", "base=2006-06-17T16:01"), "base=");
	ERR((K, "-rtc", "clock=tsc"), "clock='tsc'", "host, rt or vm");
	ERR((K, "-rtc", "driftfix=slew"), "driftfix='slew'", "re-inject");
	ERR((K, "-rtc", "utc"), "-rtc utc", "'utc'");
	ERR((K, "-rtc", "base"), "'base' needs a value");
	ERR((K, "-rtc"), "-rtc: requires an argument");
}

static void test_machine_pit_vmport_overcommit(void)
{
	struct vm_config cfg;

	if (OK(&cfg, K))
		CHECK(!cfg.no_pit && !cfg.mem_lock && !cfg.cpu_pm);
	if (OK(&cfg, K, "-machine", "pit=off"))
		CHECK(cfg.no_pit);
	if (OK(&cfg, K, "-machine", "pc,pit=off,pit=on"))
		CHECK(!cfg.no_pit);
	OK(&cfg, K, "-machine", "vmport=off");
	OK(&cfg, K, "-machine", "pc,vmport=auto");
	ERR((K, "-machine", "vmport=on"), "-machine vmport=on",
	    "no VMware backdoor port");
	ERR((K, "-machine", "pit=maybe"), "pit='maybe'", "on or off");
	ERR((K, "-machine", "pc,pit"), "'pit' needs a value");
	EXIT(("-machine", "pc,help"), "pit=", "vmport=");

	if (OK(&cfg, K, "-overcommit", "cpu-pm=on"))
		CHECK(cfg.cpu_pm && !cfg.mem_lock);
	if (OK(&cfg, K, "-overcommit", "mem-lock=on,cpu-pm=off"))
		CHECK(!cfg.cpu_pm && cfg.mem_lock);
	if (OK(&cfg, K, "-overcommit", "mem-lock=on", "-overcommit",
	       "mem-lock=off"))
		CHECK(!cfg.mem_lock);
	ERR((K, "-overcommit", "cpu-pm=fast"), "cpu-pm='fast'", "on or off");
	ERR((K, "-overcommit", "foo=on"), "-overcommit foo=on", "'foo'");
	ERR((K, "-overcommit", "cpu-pm"), "'cpu-pm' needs a value");
	ERR((K, "-overcommit"), "-overcommit: requires an argument");
}

static void test_serial(void)
{
	struct vm_config cfg;

	if (OK(&cfg, K, "-serial", "stdio"))
		CHECK_EQ(cfg.serial, SERIAL_STDIO);
	if (OK(&cfg, K, "-serial", "none"))
		CHECK_EQ(cfg.serial, SERIAL_NONE);
	if (OK(&cfg, K, "-nodefaults")) {
		CHECK(cfg.nodefaults);
		CHECK_EQ(cfg.serial, SERIAL_NONE);
	}
	if (OK(&cfg, K, "-nodefaults", "-nographic"))
		CHECK_EQ(cfg.serial, SERIAL_NONE);
	if (OK(&cfg, K, "-serial", "stdio", "-nodefaults"))
		CHECK_EQ(cfg.serial, SERIAL_STDIO);
	if (OK(&cfg, K, "-nographic"))
		CHECK_EQ(cfg.serial, SERIAL_STDIO);
	EXIT(("-serial", "help"), "stdio");

	ERR((K, "-serial", "mon:stdio"), "-serial mon:stdio", "'mon'",
	    "not supported yet");
	ERR((K, "-serial", "pty"), "-serial pty", "not supported yet");
	ERR((K, "-serial", "file:/tmp/x"), "'file'", "not supported yet");
	ERR((K, "-serial", "tcp::4444,server=on"), "'tcp'",
	    "not supported yet");
	ERR((K, "-serial", "/dev/ttyS0"), "-serial /dev/ttyS0",
	    "not supported yet");
	ERR((K, "-serial", "stdio,signal=off"), "-serial stdio,signal=off");
	ERR((K, "-serial", "foo"), "-serial foo", "unknown backend");
	ERR((K, "-serial", ""), "-serial", "unknown backend");
	ERR((K, "-serial", "stdio", "-serial", "stdio"), "-serial stdio",
	    "only one serial port");
	ERR((K, "-serial"), "-serial: requires an argument");
}

static void test_qtest(void)
{
	struct vm_config cfg;
	const char *const *args = ARGS("-qtest", "unix:/tmp/q.sock");

	if (expect_ok(__LINE__, &cfg, args)) {
		CHECK_EQ(cfg.accel, ACCEL_QTEST);
		CHECK(cfg.qtest_chardev == args[2]);
		CHECK(!cfg.qtest_log);
	}
	if (OK(&cfg, "-accel", "qtest", "-qtest",
	       "unix:/tmp/q,server=on,wait=off", "-qtest-log", "/dev/null")) {
		CHECK_EQ(cfg.accel, ACCEL_QTEST);
		CHECK_STR(cfg.qtest_chardev, "unix:/tmp/q,server=on,wait=off");
		CHECK_STR(cfg.qtest_log, "/dev/null");
	}
	OK(&cfg, "-machine", "accel=qtest", "-qtest",
	   "unix:/tmp/q,server,nowait");
	OK(&cfg, K, "-qtest", "unix:/tmp/q");

	ERR(("-qtest", "tcp:localhost:4444"), "-qtest tcp:localhost:4444",
	    "unix:");
	ERR(("-qtest", "unix:"), "-qtest unix:", "empty");
	ERR(("-qtest", "unix:/tmp/q,foo=1"), "-qtest unix:/tmp/q,foo=1");
	ERR(("-qtest", "unix:/tmp/q,server=maybe"), "-qtest");
	ERR((K, "-accel", "kvm", "-qtest", "unix:/tmp/q"), "-qtest",
	    "-accel qtest");
	ERR((K, "-enable-kvm", "-qtest", "unix:/tmp/q"), "-qtest",
	    "-accel qtest");
	ERR((K, "-qtest-log", "/dev/null"), "-qtest-log", "needs -qtest");
	ERR(("-qtest", "unix:/tmp/q", "-qtest-log", ""), "-qtest-log",
	    "empty");
	ERR(("-qtest"), "-qtest: requires an argument");
	ERR(("-qtest", "unix:/q", "-qtest-log"),
	    "-qtest-log: requires an argument");
}

static void test_general(void)
{
	static const char *const documented[] = {
		"-h", "-help", "-version", "-machine", "-M ", "-accel",
		"-enable-kvm", "-cpu", "-smp", "-m ", "-name", "-device",
		"isa-debug-exit", "pc-testdev", "pci-testdev", "-nodefaults",
		"-display", "-nographic", "-kernel", "-append", "-initrd",
		"-no-reboot", "-serial", "-qtest ", "-qtest-log",
	};
	struct vm_config cfg;
	size_t i;

	EXIT(("-h"), "usage: kvmrun");
	EXIT(("-help"), "usage: kvmrun");
	EXIT(("--help"), "usage: kvmrun");
	for (i = 0; i < sizeof(documented) / sizeof(documented[0]); i++)
		if (!strstr(out_buf, documented[i])) {
			CHECK(!"the help names every option");
			fprintf(stderr, "  %s is not in the help\n",
				documented[i]);
		}
	EXIT(("-version"), "kvmrun version " KVMRUN_VERSION "\n",
	     "QEMU-compatible");
	EXIT(("--version"), "kvmrun version");
	/* Options run in order: help ends parsing before a later error. */
	EXIT(("-help", "-foo"), "usage");
	ERR(("-foo", "-help"), "-foo", "unknown option");
	/* ... and a listing before a later missing -kernel. */
	EXIT(("-m", "1G", "-device", "help"), "isa-debug-exit");

	ERR((K, "-foo"), "kvmrun: -foo: unknown option");
	ERR((K, "--foo"), "--foo", "unknown option");
	ERR((K, "---m", "1"), "---m", "unknown option");
	ERR((K, "--"), "--", "unknown option");
	ERR((K, "-"), "'-'", "unexpected argument");
	ERR((K, "disk.img"), "'disk.img'", "unexpected argument");
	ERR((K, "-m", "1G", "extra"), "'extra'", "unexpected argument");
	ERR((K, "-M=pc"), "-M=pc", "unknown option");

	/* Reentrant: nothing of one parse survives into the next. */
	OK(&cfg, K, "-m", "1G", "-smp", "4", "-serial", "none", "-device",
	   "isa-debug-exit,iobase=0xf4", "-accel", "kvm,kernel-irqchip=split",
	   "-nodefaults", "-no-reboot", "-name", "x", "-cpu", "max");
	if (OK(&cfg, K, "-serial", "stdio", "-device", "isa-debug-exit",
	       "-accel", "kvm")) {
		CHECK_EQ(cfg.ram_size, 256 * MIB);
		CHECK_EQ(cfg.ncpus, 1);
		CHECK_EQ(cfg.smp_cores, 1);
		CHECK_EQ(cfg.debug_exit_iobase, 0x501);
		CHECK_EQ(cfg.irqchip, IRQCHIP_KERNEL);
		CHECK_EQ(cfg.serial, SERIAL_STDIO);
		CHECK(!cfg.nodefaults && !cfg.no_reboot && !cfg.name);
		CHECK_STR(cfg.cpu.model, "host");
	}
}

static void test_global_pit_policy(void)
{
	struct vm_config cfg;
	char *ok[] = { "kvmrun", "-kernel", "k", "-global",
		       "kvm-pit.lost_tick_policy=discard", NULL };
	char *delay[] = { "kvmrun", "-kernel", "k", "--global",
			  "kvm-pit.lost_tick_policy=delay", NULL };
	char *bad_value[] = { "kvmrun", "-kernel", "k", "-global",
			      "kvm-pit.lost_tick_policy=slew", NULL };
	char *bad_prop[] = { "kvmrun", "-kernel", "k", "-global",
			     "isa-serial.chardev=x", NULL };
	char *missing[] = { "kvmrun", "-kernel", "k", "-global", NULL };

	CHECK_EQ(options_parse(3, ok, &cfg), OPTIONS_RUN);
	CHECK(!cfg.kvm_pit);
	CHECK_EQ(options_parse(5, ok, &cfg), OPTIONS_RUN);
	CHECK(cfg.kvm_pit);
	CHECK(cfg.pit_discard_lost_ticks);
	CHECK_EQ(options_parse(5, delay, &cfg), OPTIONS_RUN);
	CHECK(!cfg.pit_discard_lost_ticks);
	CHECK_EQ(options_parse(5, bad_value, &cfg), -EINVAL);
	CHECK_EQ(options_parse(5, bad_prop, &cfg), -EINVAL);
	CHECK_EQ(options_parse(4, missing, &cfg), -EINVAL);
}

int main(void)
{
	test_global_pit_policy();
	test_defaults();
	test_parse_size();
	test_m();
	test_smp();
	test_boot();
	test_accel();
	test_machine();
	test_device();
	test_name_display_cpu();
	test_cpu_model();
	test_machine_pit_vmport_overcommit();
	test_rtc();
	test_serial();
	test_qtest();
	test_general();
	return unit_report();
}
