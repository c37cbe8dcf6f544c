/* SPDX-License-Identifier: MIT */
/*
 * The qtest accelerator: no guest CPU; a test program plays the guest through
 * QEMU's qtest line protocol on a socket (see qtest.c for the commands).
 *
 * The command interpreter (struct qtest_server) is separate from the socket,
 * so the in-process fuzzer can feed it lines from a buffer and collect the
 * replies in a sink of its own.
 */
#ifndef KVMRUN_ACCEL_QTEST_H
#define KVMRUN_ACCEL_QTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm;
struct qtest_server;

/* Limits: a read/write/b64read/b64write moves at most QTEST_MAX_XFER bytes. */
#define QTEST_MAX_XFER (1u << 20)
#define QTEST_MAX_MEMSET (1ull << 30)
/* The longest line: a full "write" in hex, plus the command and addresses. */
#define QTEST_MAX_LINE (2 * QTEST_MAX_XFER + 256)
#define QTEST_MAX_WORDS 8
#define QTEST_MAX_IRQ 256

/* Receives replies and asynchronous lines (always whole lines). */
typedef void (*qtest_send_fn)(void *opaque, const char *buf, size_t len);

struct qtest_server *qtest_server_new(struct vm *vm);
void qtest_server_free(struct qtest_server *s);
void qtest_server_set_send(struct qtest_server *s, qtest_send_fn fn,
			   void *opaque);
/* Log every command and reply to path ("none": no log); -errno. */
int qtest_server_set_log(struct qtest_server *s, const char *path);
/*
 * Append bytes from the client and run every complete line.  Stops early
 * (keeping the rest) when a command asked the VM to exit or reset.
 */
void qtest_server_feed(struct qtest_server *s, const char *buf, size_t len);
/* Run one command line (no newline); the reply goes to the sink. */
void qtest_server_command(struct qtest_server *s, char *line);
/* Send buffered output to the sink now. */
void qtest_server_flush(struct qtest_server *s);
/* Commands run so far (for the fuzzer's statistics). */
uint64_t qtest_server_commands(const struct qtest_server *s);

/* The interpreter of a VM created with -accel qtest (NULL otherwise). */
struct qtest_server *qtest_server_of(struct vm *vm);

/* Pure helpers of the protocol, exported for the unit tests. */

/*
 * Split line in place at runs of spaces and tabs; at most max words.
 * Returns the number of words, or -E2BIG when there are more.
 */
int qtest_split(char *line, char **words, int max);
/* strtoull/strtoll with base 0, whole string, no overflow; -EINVAL/-ERANGE. */
int qtest_parse_u64(const char *s, uint64_t *v);
int qtest_parse_i64(const char *s, int64_t *v);
/* Lower-case hex of len bytes into out (2 * len + 1 bytes). */
void qtest_hex_encode(const uint8_t *in, size_t len, char *out);
/*
 * Decode "0x..." into len bytes, zero-filling when the data is shorter (as
 * QEMU does; an odd last digit is ignored).  -EINVAL on a bad digit or a
 * missing "0x".
 */
int qtest_hex_decode(const char *s, uint8_t *out, size_t len);
/* Standard base64 with padding into out (4 * ((len + 2) / 3) + 1 bytes). */
void qtest_b64_encode(const uint8_t *in, size_t len, char *out);
/*
 * Decode base64 (padding optional) into out, at most cap bytes kept;
 * returns the decoded length (possibly more than cap) or -EINVAL.
 */
long qtest_b64_decode(const char *in, uint8_t *out, size_t cap);

struct qtest_chardev {
	char path[108];		/* sun_path */
	bool server;		/* listen instead of connecting */
	bool wait;		/* server: block in init until a client comes */
};

/* "unix:PATH[,server=on|off][,wait=on|off]"; -EINVAL with *why set. */
int qtest_chardev_parse(const char *spec, struct qtest_chardev *out,
			const char **why);

#endif
