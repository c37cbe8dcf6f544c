// SPDX-License-Identifier: MIT
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

bool log_verbose;
static void (*exit_hook)(void);

void log_set_exit_hook(void (*hook)(void))
{
	exit_hook = hook;
}

/*
 * The console may hold the terminal in raw mode, where "\n" does not return
 * the carriage: always end lines with "\r\n" on a tty.
 */
static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];
	int n;

	n = snprintf(buf, sizeof(buf), "kvmrun: %s", prefix);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return;
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	fprintf(stderr, "%s%s", buf, isatty(STDERR_FILENO) ? "\r\n" : "\n");
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vlog("debug: ", fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	if (exit_hook)
		exit_hook();
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
	exit(KVMRUN_EXIT_SETUP);
}
