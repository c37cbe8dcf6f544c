// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: random qtest command sequences against every device
 * model, in process (the idea of QEMU's generic-fuzz).
 *
 * Each input builds a fresh VM (-accel qtest, no socket, small RAM), is
 * decoded into qtest command lines, runs them through the same interpreter
 * the socket uses, and tears the VM down, so state never leaks from one
 * input to the next and teardown bugs show up too.
 *
 * The decoder aims accesses at what exists: a port or MMIO access picks one
 * of the ranges registered on the buses right now (then an offset in it), so
 * the fuzzer spends its time inside device models, not in empty space.
 * Some inputs also carry raw text lines to exercise the parser.  Virtual
 * time and sizes are bounded per input so every run is quick.
 *
 * FUZZ_PRINT=1 in the environment prints each command line to stderr: a
 * crashing input becomes a qtest script for tests/qtest/fuzz_regressions/.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel/qtest.h"
#include "config.h"
#include "memory.h"
#include "util/event.h"
#include "util/log.h"
#include "util/timer.h"
#include "vm.h"

#define FUZZ_RAM (4ull << 20)
#define MAX_OPS 256
#define MAX_STEP_NS 10000000ull		/* 10 ms a step */
#define MAX_TOTAL_NS 100000000ull	/* 100 ms an input */
#define MAX_BUF 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

struct input {
	const uint8_t *p;
	size_t left;
};

static bool print_lines;
static uint64_t total_ns;

static uint64_t take(struct input *in, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes; i++) {
		v <<= 8;
		if (in->left) {
			v |= *in->p++;
			in->left--;
		}
	}
	return v;
}

static void discard(void *opaque, const char *buf, size_t len)
{
	if (print_lines)
		fprintf(stderr, "<< %.*s", (int)len, buf);
}

static void run_line(struct qtest_server *s, char *line)
{
	if (print_lines)
		fprintf(stderr, ">> %s\n", line);
	qtest_server_command(s, line);
	qtest_server_flush(s);
}

/* An address inside one of the bus's ranges (or anywhere, sometimes). */
static uint64_t pick_addr(struct input *in, const struct bus *bus,
			  uint64_t anywhere_mask)
{
	uint8_t sel = take(in, 1);
	uint64_t off = take(in, 4);
	const struct bus_range *r;

	if (bus->nr == 0 || sel >= 0xf0)
		return take(in, 4) & anywhere_mask;
	r = &bus->ranges[sel % bus->nr];
	return r->base + off % r->len;
}

static const char *const width_suffix = "bwlq";

static void op_pio(struct qtest_server *s, struct input *in, char *line)
{
	uint8_t op = take(in, 1);
	uint64_t port = pick_addr(in, &pio_bus, 0xffff);
	char w = width_suffix[op % 3];

	if (op & 0x80)
		sprintf(line, "out%c 0x%llx 0x%llx", w, (unsigned long long)port,
			(unsigned long long)take(in, 4));
	else
		sprintf(line, "in%c 0x%llx", w, (unsigned long long)port);
	run_line(s, line);
}

static uint64_t pick_mem(struct input *in)
{
	if (take(in, 1) & 1)
		return pick_addr(in, &mmio_bus, 0xffffffff);
	return take(in, 3) % FUZZ_RAM;
}

static void op_mem(struct qtest_server *s, struct input *in, char *line)
{
	uint8_t op = take(in, 1);
	uint64_t addr = pick_mem(in);
	char w = width_suffix[op % 4];

	if (op & 0x80)
		sprintf(line, "write%c 0x%llx 0x%llx", w, (unsigned long long)addr,
			(unsigned long long)take(in, 8));
	else
		sprintf(line, "read%c 0x%llx", w, (unsigned long long)addr);
	run_line(s, line);
}

static void op_buf(struct qtest_server *s, struct input *in, char *line)
{
	uint8_t op = take(in, 1);
	uint64_t addr = pick_mem(in);
	size_t len = take(in, 2) % MAX_BUF + 1, n;
	uint8_t buf[MAX_BUF];

	switch (op % 4) {
	case 0:
		sprintf(line, "read 0x%llx 0x%zx", (unsigned long long)addr, len);
		break;
	case 1:
		sprintf(line, "b64read 0x%llx 0x%zx", (unsigned long long)addr, len);
		break;
	case 2:
		sprintf(line, "memset 0x%llx 0x%zx 0x%x", (unsigned long long)addr,
			len, (unsigned int)take(in, 1));
		break;
	default:
		n = len < in->left ? len : in->left;
		memcpy(buf, in->p, n);
		memset(buf + n, 0, len - n);
		in->p += n;
		in->left -= n;
		n = sprintf(line, "%s 0x%llx 0x%zx ", op & 4 ? "b64write" : "write",
			    (unsigned long long)addr, len);
		if (op & 4) {
			qtest_b64_encode(buf, len, line + n);
		} else {
			memcpy(line + n, "0x", 2);
			qtest_hex_encode(buf, len, line + n + 2);
		}
		break;
	}
	run_line(s, line);
}

static void op_clock(struct qtest_server *s, struct input *in, char *line)
{
	uint8_t op = take(in, 1);
	uint64_t ns = take(in, 4) % MAX_STEP_NS + 1;
	uint64_t deadline = timers_next_deadline(), now = vm_clock_ns();

	if (op & 1 && deadline != UINT64_MAX && deadline > now &&
	    deadline - now <= MAX_STEP_NS && total_ns + (deadline - now) <= MAX_TOTAL_NS) {
		total_ns += deadline - now;
		sprintf(line, "clock_step");
	} else {
		if (total_ns + ns > MAX_TOTAL_NS)
			return;
		total_ns += ns;
		sprintf(line, "clock_step %llu", (unsigned long long)ns);
	}
	run_line(s, line);
}

static void op_irq(struct qtest_server *s, struct input *in, char *line)
{
	static const char *const cmds[] = {
		"irq_intercept_in ioapic", "irq_intercept_out ioapic",
		"irq_intercept_out pic", "irq_intercept_in pic",
	};
	uint8_t op = take(in, 1);

	if (op & 0x80)
		sprintf(line, "%s", cmds[op % 4]);
	else
		sprintf(line, "set_irq_in %s unnamed-gpio-in %u %d",
			op & 0x40 ? "pic" : "ioapic", (unsigned int)take(in, 1) % 26,
			(int)(op & 1));
	run_line(s, line);
}

/* Raw text up to a newline; commands that could cost much are skipped. */
static void op_raw(struct qtest_server *s, struct input *in, char *line)
{
	static const char *const costly[] = {
		"clock", "memset", "read", "b64read", "write", "b64write",
	};
	size_t n = 0;
	char first[16];

	while (in->left && n < MAX_BUF - 1) {
		char c = *in->p++;

		in->left--;
		if (c == '\n')
			break;
		line[n++] = c ? c : ' ';
	}
	line[n] = '\0';
	if (sscanf(line, " %15s", first) == 1)
		for (size_t i = 0; i < sizeof(costly) / sizeof(costly[0]); i++)
			if (strncmp(first, costly[i], strlen(costly[i])) == 0)
				return;
	run_line(s, line);
}

/* Every device there is; COM1 talks to stdio, which is /dev/null here. */
static struct vm_config cfg = {
	.ram_size = FUZZ_RAM,
	.ncpus = 2,
	.smp_sockets = 1,
	.smp_cores = 2,
	.smp_threads = 1,
	.accel = ACCEL_QTEST,
	.serial = SERIAL_STDIO,
	.nographic = true,
	.nodefaults = true,
	.debug_exit = true,
	.debug_exit_iobase = 0x501,
	.debug_exit_iosize = 2,
	.pc_testdev = true,
	.pci_testdev = true,
	.cpu = { .model = "max", .family = -1, .model_number = -1, .stepping = -1 },
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *p = getenv("FUZZ_PRINT");
	int null = open("/dev/null", O_RDWR);

	print_lines = p && *p == '1';
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 ||
	    dup2(null, STDOUT_FILENO) < 0)
		abort();
	close(null);
	if (event_loop_init())
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	static char line[2 * MAX_BUF + 128];
	struct qtest_server *s;
	struct guest_mem mem;
	struct vm *vm;

	if (guest_mem_init(&mem, FUZZ_RAM))
		abort();
	/* Each input starts at virtual time 0, so runs replay exactly. */
	vm_clock_use_virtual();
	vm = vm_create(&cfg, &mem);
	if (!vm)
		abort();
	s = qtest_server_of(vm);
	if (!s)
		abort();
	qtest_server_set_send(s, discard, NULL);
	if (print_lines)
		fprintf(stderr, "# fuzz input of %zu bytes\n", size);
	total_ns = 0;
	for (int i = 0; i < MAX_OPS && in.left; i++) {
		switch (take(&in, 1) % 8) {
		case 0:
		case 1:
			op_pio(s, &in, line);
			break;
		case 2:
		case 3:
			op_mem(s, &in, line);
			break;
		case 4:
			op_buf(s, &in, line);
			break;
		case 5:
			op_clock(s, &in, line);
			break;
		case 6:
			op_irq(s, &in, line);
			break;
		default:
			op_raw(s, &in, line);
			break;
		}
	}
	vm_destroy(vm);
	guest_mem_free(&mem);
	return 0;
}
