// SPDX-License-Identifier: MIT
/*
 * The console back end: the escape-key state machine, output through the
 * writer thread (and dropping when the output stalls), input through the
 * event loop with back-pressure, EOF, files, and Ctrl-A x.
 */
#include "hw/chardev.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"
#include "util/event.h"
#include "vm.h"

static void test_escape(void)
{
	struct chardev_escape e = { 0 };
	uint8_t out = 0;

	CHECK_EQ(chardev_escape_feed(&e, 'a', &out), CHARDEV_KEY_SEND);
	CHECK_EQ(out, 'a');
	CHECK_EQ(chardev_escape_feed(&e, 0x01, &out), CHARDEV_KEY_NONE);
	CHECK(e.armed);
	CHECK_EQ(chardev_escape_feed(&e, 'x', &out), CHARDEV_KEY_QUIT);
	CHECK(!e.armed);
	/* Ctrl-A Ctrl-A sends one Ctrl-A, and the escape is over. */
	chardev_escape_feed(&e, 0x01, &out);
	CHECK_EQ(chardev_escape_feed(&e, 0x01, &out), CHARDEV_KEY_SEND);
	CHECK_EQ(out, 0x01);
	CHECK_EQ(chardev_escape_feed(&e, 'x', &out), CHARDEV_KEY_SEND);
	CHECK_EQ(out, 'x');
	chardev_escape_feed(&e, 0x01, &out);
	CHECK_EQ(chardev_escape_feed(&e, 'h', &out), CHARDEV_KEY_HELP);
	chardev_escape_feed(&e, 0x01, &out);
	CHECK_EQ(chardev_escape_feed(&e, '?', &out), CHARDEV_KEY_HELP);
	chardev_escape_feed(&e, 0x01, &out);
	CHECK_EQ(chardev_escape_feed(&e, 'c', &out), CHARDEV_KEY_UNSUPPORTED);
	CHECK_EQ(out, 'c');
	/* An unknown escape is swallowed. */
	chardev_escape_feed(&e, 0x01, &out);
	CHECK_EQ(chardev_escape_feed(&e, 'z', &out), CHARDEV_KEY_NONE);
	CHECK_EQ(chardev_escape_feed(&e, 'z', &out), CHARDEV_KEY_SEND);
	CHECK(strstr(chardev_escape_help, "C-a x") != NULL);
	CHECK(strstr(chardev_escape_help, "no monitor") != NULL);
}

static ssize_t read_all(int fd, char *buf, size_t len, int timeout_ms)
{
	size_t got = 0;

	while (got < len) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, timeout_ms) <= 0)
			break;
		n = read(fd, buf + got, len - got);
		if (n <= 0)
			break;
		got += n;
	}
	return got;
}

static void test_output(void)
{
	int in[2], out[2];
	struct chardev *chr;
	char buf[64] = { 0 };

	CHECK(pipe(in) == 0 && pipe(out) == 0);
	chr = chardev_new_fds(in[0], out[1]);
	CHECK(chr != NULL);
	chardev_write(chr, (const uint8_t *)"hello, ", 7);
	chardev_write(chr, (const uint8_t *)"world", 5);
	CHECK_EQ(chardev_flush(chr, 2000), 0);
	CHECK_EQ(read_all(out[0], buf, 12, 1000), 12);
	CHECK_STR(buf, "hello, world");
	CHECK_EQ(chardev_dropped(chr), 0);
	chardev_free(chr);
	close(in[0]);
	close(in[1]);
	close(out[0]);
	close(out[1]);
}

/* A reader that never reads: output is dropped, the writer never blocks. */
static void test_output_stall(void)
{
	static uint8_t chunk[64 * 1024];
	int in[2], out[2];
	struct chardev *chr;
	uint64_t dropped;
	char buf[16];

	CHECK(pipe(in) == 0 && pipe(out) == 0);
	chr = chardev_new_fds(in[0], out[1]);
	memset(chunk, 'q', sizeof(chunk));
	/* 1 MiB into a 256 KiB buffer behind a 64 KiB pipe. */
	for (int i = 0; i < 16; i++)
		chardev_write(chr, chunk, sizeof(chunk));
	dropped = chardev_dropped(chr);
	CHECK(dropped > 0);
	CHECK(dropped <= 16 * sizeof(chunk));
	CHECK_EQ(chardev_flush(chr, 100), -ETIMEDOUT);
	/* Once the reader drains, output flows again. */
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	for (int i = 0; i < 1000; i++) {
		while (read(out[0], chunk, sizeof(chunk)) > 0)
			;
		if (chardev_flush(chr, 10) == 0)
			break;
	}
	CHECK_EQ(chardev_flush(chr, 0), 0);
	while (read(out[0], chunk, sizeof(chunk)) > 0)
		;
	fcntl(out[0], F_SETFL, 0);
	chardev_write(chr, (const uint8_t *)"again", 5);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(read_all(out[0], buf, 5, 1000), 5);
	CHECK_STR(buf, "again");
	CHECK_EQ(chardev_dropped(chr), dropped);
	/* Freeing with a writer stuck on a full pipe still returns. */
	for (int i = 0; i < 8; i++)
		chardev_write(chr, chunk, sizeof(chunk));
	chardev_free(chr);
	close(in[0]);
	close(in[1]);
	close(out[0]);
	close(out[1]);
}

/* A front end with adjustable room. */
struct fe_state {
	size_t room;
	char got[8192];
	size_t ngot;
};

static size_t fe_can_receive(void *opaque)
{
	struct fe_state *f = opaque;

	return f->room;
}

static void fe_receive(void *opaque, const uint8_t *buf, size_t len)
{
	struct fe_state *f = opaque;

	CHECK(len <= f->room);
	if (f->ngot + len <= sizeof(f->got))
		memcpy(f->got + f->ngot, buf, len);
	f->ngot += len;
	f->room -= len;
}

static void run_loop(int rounds)
{
	for (int i = 0; i < rounds; i++)
		event_loop_run_once(20);
}

static void test_input(void)
{
	static struct vm_config cfg;
	struct vm vm = { .cfg = &cfg, .wake_fd = -1 };
	struct fe_state f = { .room = 1000 };
	struct chardev_frontend fe = {
		.can_receive = fe_can_receive, .receive = fe_receive,
		.opaque = &f,
	};
	static char big[5000];
	int in[2], out[2];
	struct chardev *chr;
	char help[1024] = { 0 };

	CHECK(pipe(in) == 0 && pipe(out) == 0);
	chr = chardev_new_fds(in[0], out[1]);
	CHECK_EQ(chardev_attach(chr, &vm, &fe), 0);
	CHECK_EQ(chardev_attach(chr, &vm, &fe), -EBUSY);

	CHECK_EQ(write(in[1], "ab\x01\x01" "c", 5), 5);
	run_loop(3);
	CHECK_EQ(f.ngot, 4);
	CHECK(memcmp(f.got, "ab\x01" "c", 4) == 0);

	/* Ctrl-A h writes the help to the output. */
	CHECK_EQ(write(in[1], "\x01h", 2), 2);
	run_loop(3);
	CHECK_EQ(f.ngot, 4);
	CHECK_EQ(chardev_flush(chr, 1000), 0);
	CHECK_EQ(read_all(out[0], help, strlen(chardev_escape_help), 1000),
		 strlen(chardev_escape_help));
	CHECK_STR(help, chardev_escape_help);

	/* Back-pressure: a full front end stops the reading of the pipe. */
	f.room = 0;
	f.ngot = 0;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = 'A' + i % 23;
	CHECK_EQ(write(in[1], big, sizeof(big)), sizeof(big));
	run_loop(5);
	CHECK_EQ(f.ngot, 0);
	/* The front end drains in steps; each step wakes the back end. */
	for (int i = 0; i < 200 && f.ngot < sizeof(big); i++) {
		f.room = 100;
		chardev_accept_input(chr);
		run_loop(2);
	}
	CHECK_EQ(f.ngot, sizeof(big));
	CHECK(memcmp(f.got, big, sizeof(big)) == 0);

	/* Ctrl-A x asks the VM to exit with status 0. */
	atomic_store(&vm.exit_status, 99);
	CHECK_EQ(write(in[1], "\x01x", 2), 2);
	run_loop(3);
	CHECK_EQ(atomic_load(&vm.request), VM_REQ_EXIT);
	CHECK_EQ(atomic_load(&vm.exit_status), 0);

	/* EOF stops the reading, and the loop goes quiet. */
	f.room = 1000;
	f.ngot = 0;
	CHECK_EQ(write(in[1], "z", 1), 1);
	close(in[1]);
	run_loop(3);
	CHECK_EQ(f.ngot, 1);
	CHECK_EQ(event_loop_run_once(50), 0);

	/* Detached, a new front end can attach (input still at EOF). */
	chardev_detach(chr);
	CHECK_EQ(chardev_attach(chr, &vm, &fe), 0);
	chardev_detach(chr);
	chardev_free(chr);
	close(in[0]);
	close(out[0]);
	close(out[1]);
}

/* A regular file cannot be polled: it is read as the front end takes it. */
static void test_input_file(void)
{
	static struct vm_config cfg;
	struct vm vm = { .cfg = &cfg, .wake_fd = -1 };
	struct fe_state f = { .room = 10 };
	struct chardev_frontend fe = {
		.can_receive = fe_can_receive, .receive = fe_receive,
		.opaque = &f,
	};
	char path[] = "/tmp/kvmrun-test-chardev-XXXXXX";
	int fd = mkstemp(path), out[2];
	struct chardev *chr;

	CHECK(fd >= 0);
	unlink(path);
	CHECK_EQ(write(fd, "from a file", 11), 11);
	lseek(fd, 0, SEEK_SET);
	CHECK(pipe(out) == 0);
	chr = chardev_new_fds(fd, out[1]);
	CHECK_EQ(chardev_attach(chr, &vm, &fe), 0);
	run_loop(3);
	CHECK_EQ(f.ngot, 10);
	f.room = 10;
	chardev_accept_input(chr);
	run_loop(3);
	CHECK_EQ(f.ngot, 11);
	CHECK(memcmp(f.got, "from a file", 11) == 0);
	chardev_free(chr);
	close(fd);
	close(out[0]);
	close(out[1]);
}

static void test_null(void)
{
	struct chardev *chr = chardev_null();

	chardev_write(chr, (const uint8_t *)"x", 1);
	CHECK_EQ(chardev_flush(chr, 0), 0);
	CHECK_EQ(chardev_dropped(chr), 0);
	chardev_accept_input(chr);
}

int main(void)
{
	CHECK_EQ(event_loop_init(), 0);
	test_escape();
	test_output();
	test_output_stall();
	test_input();
	test_input_file();
	test_null();
	event_loop_fini();
	return unit_report();
}
