// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: raw bytes into the qtest server's stream input, as a
 * client socket would deliver them, cut into chunks at random places, on a
 * fresh VM per input.  It covers what fuzz_qtest.c bypasses: line assembly
 * across chunks, overlong lines, NULs and CRs, the parser on any text.
 *
 * Lines that would move the virtual clock are dropped first: a huge
 * clock_step against a fast PIT is slow by design, not a bug.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel/qtest.h"
#include "config.h"
#include "memory.h"
#include "util/event.h"
#include "util/timer.h"
#include "vm.h"

#define FUZZ_RAM (4ull << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static void discard(void *opaque, const char *buf, size_t len)
{
}

static struct vm_config cfg = {
	.ram_size = FUZZ_RAM,
	.ncpus = 1,
	.smp_sockets = 1,
	.smp_cores = 1,
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
	int null = open("/dev/null", O_RDWR);

	if (null < 0 || dup2(null, STDIN_FILENO) < 0 ||
	    dup2(null, STDOUT_FILENO) < 0)
		abort();
	close(null);
	if (event_loop_init())
		abort();
	return 0;
}

/* Copy data without its clock lines (a line is cut at '\n'). */
static size_t drop_clock_lines(const uint8_t *in, size_t n, char *out)
{
	size_t o = 0, i = 0;

	while (i < n) {
		const uint8_t *nl = memchr(in + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (in + i)) + 1 : n - i;

		if (!memmem(in + i, len, "clock", 5)) {
			memcpy(out + o, in + i, len);
			o += len;
		}
		i += len;
	}
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qtest_server *s;
	struct guest_mem mem;
	struct vm *vm;
	size_t n, off = 0;
	unsigned int cut;
	char *text;

	if (size < 1)
		return 0;
	cut = data[0] % 64 + 1;		/* chunk size: 1..64 bytes */
	text = malloc(size);
	if (!text || guest_mem_init(&mem, FUZZ_RAM))
		abort();
	n = drop_clock_lines(data + 1, size - 1, text);
	vm_clock_use_virtual();
	vm = vm_create(&cfg, &mem);
	if (!vm)
		abort();
	s = qtest_server_of(vm);
	qtest_server_set_send(s, discard, NULL);
	while (off < n) {
		size_t step = n - off < cut ? n - off : cut;

		qtest_server_feed(s, text + off, step);
		/* A command asked to stop (debug-exit, S5): go on regardless. */
		atomic_store(&vm->request, VM_REQ_NONE);
		qtest_server_feed(s, NULL, 0);
		off += step;
	}
	vm_destroy(vm);
	guest_mem_free(&mem);
	free(text);
	return 0;
}
