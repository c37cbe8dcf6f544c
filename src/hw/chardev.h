/* SPDX-License-Identifier: MIT */
/*
 * Character back ends for the UART: "stdio" (the terminal, a pipe or a file
 * on the host's stdin/stdout) and "null" (-serial none).
 *
 * Output never blocks the caller: bytes go into a bounded buffer that a
 * writer thread drains to the output fd; when that fd stalls long enough
 * for the buffer to fill, further output is dropped with one warning.
 *
 * Input is read on the main thread through the event loop and handed to the
 * attached front end under the bus lock, as fast as the front end takes it.
 * From a pipe or file, a full front end stops the reading (back-pressure);
 * from a terminal, reading goes on so that the escape keys (Ctrl-A x) still
 * work, and keystrokes beyond a small queue are dropped.
 *
 * The stdio back end is made once per process (the terminal is a process
 * resource) and outlives VM rebuilds on a guest reset: a front end attaches
 * at realize and detaches at teardown.  Its terminal settings are restored
 * at exit, by die(), and on fatal signals.
 */
#ifndef KVMRUN_HW_CHARDEV_H
#define KVMRUN_HW_CHARDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm;
struct chardev;

/* What a front end (the UART) offers its back end.  Called with the bus lock. */
struct chardev_frontend {
	/* How many bytes receive() can take now. */
	size_t (*can_receive)(void *opaque);
	void (*receive)(void *opaque, const uint8_t *buf, size_t len);
	void *opaque;
};

/*
 * The process's stdio back end (fds 0 and 1), made on first use.  With a
 * terminal on stdin it switches it to raw mode; `signals` keeps Ctrl-C and
 * friends as signals (QEMU's -serial stdio), else they go to the guest
 * (QEMU's -nographic).  NULL with one line printed on failure.
 */
struct chardev *chardev_stdio(bool signals);
/* A back end that drops output and never has input. */
struct chardev *chardev_null(void);
/*
 * A back end on any two fds (tests): escape keys on, no terminal handling.
 * The caller closes the fds after chardev_free().
 */
struct chardev *chardev_new_fds(int in_fd, int out_fd);
/* Free a back end from chardev_new_fds() (never the stdio or null one). */
void chardev_free(struct chardev *chr);

/*
 * Connect a front end; vm receives Ctrl-A x.  Registers the input with the
 * event loop (main thread).  One front end at a time: -EBUSY otherwise.
 */
int chardev_attach(struct chardev *chr, struct vm *vm,
		   const struct chardev_frontend *fe);
/* Disconnect (main thread); buffered input stays for the next front end. */
void chardev_detach(struct chardev *chr);

/* Queue output; any thread, never blocks. */
void chardev_write(struct chardev *chr, const uint8_t *buf, size_t len);
/* The front end has room again (any thread, cheap when nothing waits). */
void chardev_accept_input(struct chardev *chr);
/*
 * Wait until queued output is written, at most timeout_ms.  0 when all is
 * out, -ETIMEDOUT, or -EPIPE when the output fd is gone.
 */
int chardev_flush(struct chardev *chr, int timeout_ms);
/* Bytes of output dropped because the output fd stalled. */
uint64_t chardev_dropped(struct chardev *chr);

/*
 * QEMU's escape keys, as a pure state machine: feed each input byte; the
 * result says what to do with it.  Ctrl-A (0x01) starts an escape.
 */
#define CHARDEV_ESCAPE_CHAR 0x01

enum chardev_key {
	CHARDEV_KEY_NONE,	/* consumed: nothing to do */
	CHARDEV_KEY_SEND,	/* send *out to the guest */
	CHARDEV_KEY_QUIT,	/* Ctrl-A x */
	CHARDEV_KEY_HELP,	/* Ctrl-A h or Ctrl-A ? */
	CHARDEV_KEY_UNSUPPORTED, /* a QEMU escape kvmrun lacks; key in *out */
};

struct chardev_escape {
	bool armed;		/* the last byte was Ctrl-A */
};

enum chardev_key chardev_escape_feed(struct chardev_escape *esc, uint8_t c,
				     uint8_t *out);
/* The Ctrl-A h text, lines ending in "\r\n". */
extern const char chardev_escape_help[];

#endif
