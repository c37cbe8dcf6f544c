// SPDX-License-Identifier: MIT
/*
 * The qtest protocol without a socket: the pure helpers, then the command
 * interpreter on a hand-built VM (1 MiB of RAM, a fake port and MMIO device),
 * its replies collected from the sink.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "accel/accel.h"
#include "accel/qtest.h"
#include "memory.h"
#include "unit.h"
#include "util/timer.h"
#include "vm.h"

static void test_split(void)
{
	char line[] = "  outb\t0x80  1 ";
	char many[] = "a b c d e f g h i";
	char empty[] = " \t ";
	char *w[8];

	CHECK_EQ(qtest_split(line, w, 8), 3);
	CHECK_STR(w[0], "outb");
	CHECK_STR(w[1], "0x80");
	CHECK_STR(w[2], "1");
	CHECK_EQ(qtest_split(many, w, 8), -E2BIG);
	CHECK_EQ(qtest_split(empty, w, 8), 0);
}

static void test_numbers(void)
{
	uint64_t u;
	int64_t i;

	CHECK_EQ(qtest_parse_u64("0x10", &u), 0);
	CHECK_EQ(u, 16);
	CHECK_EQ(qtest_parse_u64("010", &u), 0);
	CHECK_EQ(u, 8);
	CHECK_EQ(qtest_parse_u64("18446744073709551615", &u), 0);
	CHECK_EQ(u, UINT64_MAX);
	CHECK_EQ(qtest_parse_u64("18446744073709551616", &u), -ERANGE);
	CHECK_EQ(qtest_parse_u64("12z", &u), -EINVAL);
	CHECK_EQ(qtest_parse_u64("", &u), -EINVAL);
	CHECK_EQ(qtest_parse_u64("0x", &u), -EINVAL);
	CHECK_EQ(qtest_parse_i64("-5", &i), 0);
	CHECK_EQ(i, -5);
	CHECK_EQ(qtest_parse_i64("9223372036854775808", &i), -ERANGE);
}

static void test_hex(void)
{
	uint8_t in[] = { 0x00, 0xab, 0x7f }, out[5];
	char buf[16];

	qtest_hex_encode(in, 3, buf);
	CHECK_STR(buf, "00ab7f");
	memset(out, 0x55, sizeof(out));
	CHECK_EQ(qtest_hex_decode("0x01Ab7", out, 4), 0);
	/* Short data is zero-filled; the odd last digit is ignored. */
	CHECK_EQ(out[0], 0x01);
	CHECK_EQ(out[1], 0xab);
	CHECK_EQ(out[2], 0);
	CHECK_EQ(out[3], 0);
	CHECK_EQ(out[4], 0x55);
	CHECK_EQ(qtest_hex_decode("0x0g", out, 1), -EINVAL);
	CHECK_EQ(qtest_hex_decode("1234", out, 1), -EINVAL);
}

static void test_b64(void)
{
	static const char *const enc[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==" };
	uint8_t out[8];
	char buf[16];

	for (size_t n = 0; n < 5; n++) {
		qtest_b64_encode((const uint8_t *)"foob", n, buf);
		CHECK_STR(buf, enc[n]);
		CHECK_EQ(qtest_b64_decode(enc[n], out, sizeof(out)), n);
		CHECK(memcmp(out, "foob", n) == 0);
	}
	CHECK_EQ(qtest_b64_decode("Zm9vYg", out, sizeof(out)), 4);
	CHECK_EQ(qtest_b64_decode("Zm9vY", out, sizeof(out)), -EINVAL);
	CHECK_EQ(qtest_b64_decode("Zm$v", out, sizeof(out)), -EINVAL);
	CHECK_EQ(qtest_b64_decode("Zg=A", out, sizeof(out)), -EINVAL);
	/* Longer than the buffer: the length is told, nothing overflows. */
	CHECK_EQ(qtest_b64_decode("Zm9vYmFy", out, 2), 6);
	CHECK(memcmp(out, "fo", 2) == 0);
}

static void test_chardev(void)
{
	struct qtest_chardev d;
	const char *why = NULL;
	char longpath[200];

	CHECK_EQ(qtest_chardev_parse("unix:/tmp/s", &d, &why), 0);
	CHECK_STR(d.path, "/tmp/s");
	CHECK(!d.server);
	CHECK_EQ(qtest_chardev_parse("unix:/tmp/s,server=on,wait=off", &d, &why), 0);
	CHECK(d.server && !d.wait);
	CHECK_EQ(qtest_chardev_parse("unix:/tmp/s,server,nowait", &d, &why), 0);
	CHECK(d.server && !d.wait);
	CHECK_EQ(qtest_chardev_parse("unix:/tmp/s,server=on", &d, &why), 0);
	CHECK(d.server && d.wait);
	CHECK_EQ(qtest_chardev_parse("tcp:localhost:4444", &d, &why), -EINVAL);
	CHECK(why != NULL);
	CHECK_EQ(qtest_chardev_parse("unix:", &d, &why), -EINVAL);
	CHECK_EQ(qtest_chardev_parse("unix:/x,bogus=1", &d, &why), -EINVAL);
	memset(longpath, 'a', sizeof(longpath));
	memcpy(longpath, "unix:", 5);
	longpath[sizeof(longpath) - 1] = '\0';
	CHECK_EQ(qtest_chardev_parse(longpath, &d, &why), -EINVAL);
}

/* ---- the interpreter ---- */

static char replies[1 << 16];
static size_t replies_len;

static void sink(void *opaque, const char *buf, size_t len)
{
	if (replies_len + len >= sizeof(replies))
		len = sizeof(replies) - 1 - replies_len;
	memcpy(replies + replies_len, buf, len);
	replies_len += len;
	replies[replies_len] = '\0';
}

static uint8_t port_regs[4];
static uint32_t mmio_reg;
static unsigned int mmio_accesses;
static uint32_t mmio_last_len;

static void fake_pio(void *opaque, uint64_t offset, uint8_t *data,
		     uint32_t len, bool is_write)
{
	for (uint32_t i = 0; i < len; i++) {
		if (is_write)
			port_regs[offset + i] = data[i];
		else
			data[i] = port_regs[offset + i];
	}
}

static void fake_mmio(void *opaque, uint64_t offset, uint8_t *data,
		      uint32_t len, bool is_write)
{
	mmio_accesses++;
	mmio_last_len = len;
	if (is_write && offset == 0)
		mmio_reg = io_data_get(data, len);
	else if (!is_write)
		io_data_set(data, len, offset == 0 ? mmio_reg : 0);
}

static struct qtest_server *srv;

/* Run one line and return the reply (the sink's text since the call). */
static const char *run(const char *line)
{
	char *copy = strdup(line);

	replies_len = 0;
	replies[0] = '\0';
	qtest_server_command(srv, copy);
	qtest_server_flush(srv);
	free(copy);
	return replies;
}

static void test_io(void)
{
	CHECK_STR(run("outb 0x510 0x1234"), "OK\n");
	CHECK_EQ(port_regs[0], 0x34);
	CHECK_STR(run("inb 0x510"), "OK 0x0034\n");
	CHECK_STR(run("outl 0x510 0xdeadbeef"), "OK\n");
	CHECK_STR(run("inl 0x510"), "OK 0xdeadbeef\n");
	CHECK_STR(run("inw 0x512"), "OK 0xdead\n");
	CHECK_STR(run("inb 0x600"), "OK 0x00ff\n");
	CHECK_STR(run("inb 0x10000"), "ERR port 0x10000 out of range\n");
	CHECK_STR(run("outb 0x510"), "ERR usage: outb ADDR VALUE\n");
	CHECK_STR(run("outb 0x510 zz"), "ERR invalid number 'zz'\n");
}

static void test_memory(void)
{
	CHECK_STR(run("writel 0x1000 0x11223344"), "OK\n");
	CHECK_STR(run("readl 0x1000"), "OK 0x0000000011223344\n");
	CHECK_STR(run("readb 0x1001"), "OK 0x0000000000000033\n");
	CHECK_STR(run("writeq 0x2000 0x0102030405060708"), "OK\n");
	CHECK_STR(run("read 0x2000 8"), "OK 0x0807060504030201\n");
	CHECK_STR(run("b64read 0x2000 3"), "OK CAcG\n");
	CHECK_STR(run("write 0x3000 4 0xaabb"), "OK\n");
	CHECK_STR(run("read 0x3000 4"), "OK 0xaabb0000\n");
	CHECK_STR(run("b64write 0x3000 2 //8="), "OK\n");
	CHECK_STR(run("read 0x3000 3"), "OK 0xffff00\n");
	CHECK_STR(run("memset 0x3000 3 0x5a"), "OK\n");
	CHECK_STR(run("read 0x3000 4"), "OK 0x5a5a5a00\n");
	CHECK_STR(run("memset 0x3000 0 0"), "OK\n");
	CHECK_STR(run("write 0x3000 1 0x"), "ERR invalid argument size\n");
	CHECK_STR(run("write 0x3000 1 0xq1"), "ERR invalid hex data\n");
	CHECK_STR(run("b64write 0x3000 1 ***"), "ERR invalid base64 data\n");
	CHECK_STR(run("read 0x3000 0"), "ERR size must be at least 1\n");
	CHECK_STR(run("b64read 0x3000 0"), "OK \n");
	CHECK_STR(run("read 0x3000 0x100001"),
		  "ERR size 0x100001 too large (max 0x100000)\n");
	CHECK_STR(run("read 0xffffffffffffffff 2"), "ERR address range wraps\n");
	/* Up to the very top of the address space (once looped forever). */
	CHECK_STR(run("memset 0xfffffffffffff000 0x1000 0"), "OK\n");
	CHECK_STR(run("read 0xfffffffffffffffe 2"), "OK 0xffff\n");
	CHECK_STR(run("readq 0xfffffffffffffffc"), "ERR address range wraps\n");
	/* Outside RAM and every device: reads float high, writes vanish. */
	CHECK_STR(run("readl 0x80000000"), "OK 0x00000000ffffffff\n");
	CHECK_STR(run("writel 0x80000000 0"), "OK\n");
	/* A read straddling the end of RAM. */
	CHECK_STR(run("writeb 0xfffff 0x42"), "OK\n");
	CHECK_STR(run("read 0xfffff 2"), "OK 0x42ff\n");
	CHECK_STR(run("memset 0 0x40000000 0"), "OK\n");
	CHECK_STR(run("readb 0xfffff"), "OK 0x0000000000000000\n");
	CHECK_STR(run("memset 0 0x40000001 0"),
		  "ERR size 0x40000001 too large (max 0x40000000)\n");
}

static void test_mmio(void)
{
	mmio_accesses = 0;
	CHECK_STR(run("writel 0xd0000000 0xcafe"), "OK\n");
	CHECK_EQ(mmio_reg, 0xcafe);
	CHECK_EQ(mmio_last_len, 4);
	CHECK_STR(run("readw 0xd0000000"), "OK 0x000000000000cafe\n");
	CHECK_EQ(mmio_accesses, 2);
	/* A buffer over MMIO: naturally aligned pieces of up to 8 bytes. */
	mmio_accesses = 0;
	CHECK_STR(run("read 0xd0000000 16"),
		  "OK 0xfeca0000000000000000000000000000\n");
	CHECK_EQ(mmio_accesses, 2);
	/* A 4-byte read of a 2-byte device: it never sees more than 2. */
	mmio_accesses = 0;
	CHECK_STR(run("readl 0xd0001000"), "OK 0x00000000ffffcafe\n");
	CHECK_EQ(mmio_accesses, 1);
	CHECK_EQ(mmio_last_len, 2);
	/* Past the device's 16 bytes: nothing claims it. */
	mmio_accesses = 0;
	CHECK_STR(run("read 0xd000000c 8"), "OK 0x00000000ffffffff\n");
	CHECK_EQ(mmio_accesses, 1);
}

static void test_clock(void)
{
	CHECK_STR(run("clock_step"),
		  "FAIL cannot advance clock to the next deadline because there "
		  "is no pending deadline\n");
	CHECK_STR(run("clock_step 100"), "OK 100\n");
	CHECK_STR(run("clock_step 0"), "FAIL could not advance time\n");
	CHECK_STR(run("clock_step -5"), "FAIL could not advance time\n");
	CHECK_STR(run("clock_set 1000"), "OK 1000\n");
	CHECK_STR(run("clock_set 10"), "FAIL 1000\n");
	CHECK_STR(run("clock_set 1000"), "OK 1000\n");
	CHECK_STR(run("clock_step 9223372036854775807"),
		  "OK 9223372036854775807\n");
	CHECK_STR(run("clock_step 1"), "FAIL could not advance time\n");
}

static void test_misc(void)
{
	CHECK_STR(run("endianness"), "OK little\n");
	CHECK_STR(run("frobnicate 1 2"), "FAIL Unknown command 'frobnicate'\n");
	CHECK_STR(run(""), "FAIL Unknown command ''\n");
	CHECK_STR(run("\x01\x02\xff"), "FAIL Unknown command '?\?\?'\n");
	CHECK_STR(run("a b c d e f g h i j"), "ERR too many arguments\n");
	/* No user-space irqchip in this VM. */
	CHECK_STR(run("irq_intercept_in ioapic"), "FAIL Unknown device\n");
	CHECK_STR(run("irq_intercept_in ioapic named"),
		  "FAIL Interception of named in-GPIOs not yet supported\n");
	CHECK_STR(run("set_irq_in ioapic unnamed-gpio-in 1 1"),
		  "FAIL Unknown device\n");
	CHECK_STR(run("inb 0x510\r"), "OK 0x00ef\n");
}

static void test_feed(struct vm *vm)
{
	static const char part1[] = "outb 0x511 7\ninb 0x5";
	static const char part2[] = "11\n";
	char *big;

	replies_len = 0;
	qtest_server_feed(srv, part1, strlen(part1));
	CHECK_STR(replies, "OK\n");
	qtest_server_feed(srv, part2, strlen(part2));
	CHECK_STR(replies, "OK\nOK 0x0007\n");

	/* An overlong line: one ERR, then the stream carries on. */
	big = malloc(QTEST_MAX_LINE + 100);
	memset(big, 'x', QTEST_MAX_LINE + 99);
	big[QTEST_MAX_LINE + 99] = '\n';
	replies_len = 0;
	qtest_server_feed(srv, big, QTEST_MAX_LINE + 100);
	qtest_server_feed(srv, "endianness\n", 11);
	CHECK_STR(replies, "ERR line too long (max 2097408 bytes)\nOK little\n");
	free(big);

	/* A request to stop leaves the rest of the lines for later. */
	replies_len = 0;
	replies[0] = '\0';
	atomic_store(&vm->request, VM_REQ_EXIT);
	qtest_server_feed(srv, "endianness\n", 11);
	CHECK_STR(replies, "");
	atomic_store(&vm->request, VM_REQ_NONE);
	qtest_server_feed(srv, NULL, 0);
	CHECK_STR(replies, "OK little\n");
}

int main(void)
{
	static struct vm_config cfg = { .accel = ACCEL_QTEST };
	static struct guest_mem mem;
	static struct vm vm;

	test_split();
	test_numbers();
	test_hex();
	test_b64();
	test_chardev();

	vm_clock_use_virtual();
	CHECK_EQ(guest_mem_init(&mem, 1 << 20), 0);
	vm.cfg = &cfg;
	vm.mem = &mem;
	vm.accel = &qtest_accel_ops;
	CHECK_EQ(bus_register(&pio_bus, 0x510, 4, fake_pio, NULL, "fake"), 0);
	CHECK_EQ(bus_register(&mmio_bus, 0xd0000000, 16, fake_mmio, NULL,
			      "fake"), 0);
	CHECK_EQ(bus_register(&mmio_bus, 0xd0001000, 2, fake_mmio, NULL,
			      "fake2"), 0);
	srv = qtest_server_new(&vm);
	qtest_server_set_send(srv, sink, NULL);

	test_io();
	test_memory();
	test_mmio();
	test_misc();
	test_feed(&vm);
	test_clock();

	qtest_server_free(srv);
	bus_clear(&pio_bus);
	bus_clear(&mmio_bus);
	guest_mem_free(&mem);
	return unit_report();
}
