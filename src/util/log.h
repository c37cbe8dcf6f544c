/* SPDX-License-Identifier: MIT */
/* Messages to stderr, all prefixed "kvmrun: ", and the fatal-error exit. */
#ifndef KVMRUN_UTIL_LOG_H
#define KVMRUN_UTIL_LOG_H

#include <stdbool.h>

#define KVMRUN_EXIT_SETUP 1	/* set-up failed: bad option, file, /dev/kvm */
#define KVMRUN_EXIT_GUEST_FATAL 2	/* the guest hit a fatal exit */

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One line, then exit(KVMRUN_EXIT_SETUP) after restoring the terminal. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

extern bool log_verbose;

/*
 * Guest misbehaviour is logged at most once per call site, so a hostile
 * guest cannot flood the host's log.
 */
#define log_guest_error_once(...)                                           \
	do {                                                                \
		static bool _logged;                                        \
		if (!__atomic_exchange_n(&_logged, true, __ATOMIC_RELAXED)) \
			log_warn(__VA_ARGS__);                              \
	} while (0)

/* Registered by the console so that every exit path restores the tty. */
void log_set_exit_hook(void (*hook)(void));

#endif
