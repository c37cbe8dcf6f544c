// SPDX-License-Identifier: MIT
/*
 * The console back ends.  Threads: the front end writes from vCPU threads
 * (bus lock held), a writer thread per back end drains the output buffer,
 * and input is read on the main thread from the event loop.  Lock order:
 * bus lock, then chr->lock.
 */
#include "hw/chardev.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "memory.h"
#include "util/event.h"
#include "util/log.h"
#include "vm.h"

#define OUT_BUF_SIZE (256 * 1024)
#define IN_QUEUE_SIZE 4096
#define IN_READ_CHUNK 512
#define EXIT_FLUSH_MS 1000

struct chardev {
	int in_fd, out_fd;
	bool null;
	bool in_tty;		/* keep reading (for the escapes) when full */

	/* Output: a ring drained by the writer thread, under lock. */
	pthread_mutex_t lock;
	pthread_cond_t more, drained;
	uint8_t *ring;
	size_t head, len;
	bool writer_idle, stop, out_dead, warned;
	uint64_t dropped;
	pthread_t writer;
	bool writer_started;

	/* Input: main thread; the queue and the front end under the bus lock. */
	struct vm *vm;
	struct chardev_frontend fe;
	bool attached;
	int wake_fd;
	bool in_watched;	/* in_fd is in the event loop */
	bool in_pollable;	/* epoll takes in_fd (not a file, not /dev/null) */
	bool in_eof;
	bool quit_said;		/* Ctrl-A x: announce the first one only */
	atomic_bool want_wake;
	uint8_t queue[IN_QUEUE_SIZE];
	size_t q_head, q_len;
	struct chardev_escape esc;
};

/* ---- escape keys ---- */

const char chardev_escape_help[] =
	"\r\n"
	"kvmrun console escapes (Ctrl-A, then a key):\r\n"
	"  C-a h    this help\r\n"
	"  C-a x    quit kvmrun\r\n"
	"  C-a C-a  send one C-a to the guest\r\n"
	"  C-a c    not supported: kvmrun has no monitor yet\r\n"
	"  C-a s, C-a b, C-a t  not supported\r\n";

enum chardev_key chardev_escape_feed(struct chardev_escape *esc, uint8_t c,
				     uint8_t *out)
{
	if (!esc->armed) {
		if (c == CHARDEV_ESCAPE_CHAR) {
			esc->armed = true;
			return CHARDEV_KEY_NONE;
		}
		*out = c;
		return CHARDEV_KEY_SEND;
	}
	esc->armed = false;
	switch (c) {
	case CHARDEV_ESCAPE_CHAR:
		*out = c;
		return CHARDEV_KEY_SEND;
	case 'x':
		return CHARDEV_KEY_QUIT;
	case 'h':
	case '?':
		return CHARDEV_KEY_HELP;
	case 'c':
	case 's':
	case 'b':
	case 't':
		*out = c;
		return CHARDEV_KEY_UNSUPPORTED;
	default:
		/* QEMU swallows an unknown escape, and so do we. */
		return CHARDEV_KEY_NONE;
	}
}

/* ---- the terminal ---- */

/* Plain statics: the signal handler reads them. */
static struct termios saved_termios;
static volatile sig_atomic_t tty_raw;
static int tty_fd = -1;
static struct chardev *stdio_chr;

static void tty_restore(void)
{
	if (tty_raw) {
		tcsetattr(tty_fd, TCSANOW, &saved_termios);
		tty_raw = 0;
	}
}

/*
 * Every signal whose default action ends the process, but those routed to
 * the event loop (INT, TERM, HUP).  SIGUSR1 is the vCPU kick under KVM,
 * which replaces this handler with its own when the vCPUs start.
 */
static const int fatal_signals[] = {
	SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS,
	SIGXCPU, SIGXFSZ, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF,
	SIGPOLL, SIGSTKFLT, SIGPWR,
};
static struct sigaction old_actions[NSIG];

/*
 * Restore the terminal, then let the previous disposition (the default, or
 * a sanitizer's handler) deal with the signal.
 */
static void on_fatal_signal(int sig, siginfo_t *si, void *uc)
{
	int saved_errno = errno;

	tty_restore();
	sigaction(sig, &old_actions[sig], NULL);
	errno = saved_errno;
	/* A fault from the CPU happens again on return, now to the old handler. */
	if (si->si_code > 0 && (sig == SIGSEGV || sig == SIGBUS ||
				sig == SIGILL || sig == SIGFPE || sig == SIGTRAP))
		return;
	raise(sig);
}

static void install_fatal_handler(int sig, const struct sigaction *sa)
{
	if (sigaction(sig, NULL, &old_actions[sig]) < 0 ||
	    old_actions[sig].sa_handler == SIG_IGN)
		return;
	sigaction(sig, sa, NULL);
}

static struct termios raw_termios;

/*
 * Back in the foreground after Ctrl-Z and fg: the shell gave the terminal
 * back cooked, so make it raw again (as QEMU's stdio back end does).
 */
static void on_continue(int sig)
{
	int saved_errno = errno;

	if (tty_raw && tcgetpgrp(tty_fd) == getpgrp())
		tcsetattr(tty_fd, TCSANOW, &raw_termios);
	errno = saved_errno;
}

static void install_fatal_handlers(void)
{
	struct sigaction sa = {
		.sa_sigaction = on_fatal_signal,
		.sa_flags = SA_SIGINFO | SA_RESETHAND,
	};
	struct sigaction cont = { .sa_handler = on_continue, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(*fatal_signals); i++)
		install_fatal_handler(fatal_signals[i], &sa);
	/* Real-time signals terminate by default too. */
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		install_fatal_handler(sig, &sa);
	sigemptyset(&cont.sa_mask);
	sigaction(SIGCONT, &cont, NULL);
}

static void stdio_atexit(void)
{
	if (stdio_chr)
		chardev_flush(stdio_chr, EXIT_FLUSH_MS);
	tty_restore();
}

/* Raw input like QEMU's stdio back end; output keeps its "\n" -> "\r\n". */
static int tty_make_raw(int fd, bool signals)
{
	struct termios t;

	if (tcgetattr(fd, &saved_termios) < 0)
		return -errno;
	t = saved_termios;
	t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
		       ICRNL | IXON);
	t.c_oflag |= OPOST;
	t.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
	if (!signals)
		t.c_lflag &= ~ISIG;
	t.c_cflag &= ~(CSIZE | PARENB);
	t.c_cflag |= CS8;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tty_fd = fd;
	raw_termios = t;
	install_fatal_handlers();
	if (tcsetattr(fd, TCSANOW, &t) < 0)
		return -errno;
	tty_raw = 1;
	return 0;
}

/* ---- output ---- */

static ssize_t write_some(int fd, const uint8_t *buf, size_t len)
{
	for (;;) {
		ssize_t n;
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };

		pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
		n = write(fd, buf, len);
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -errno;
		/* Someone made the fd non-blocking: wait here, not in a vCPU. */
		pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
		poll(&pfd, 1, -1);
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	}
}

static void *writer_main(void *arg)
{
	struct chardev *chr = arg;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	pthread_mutex_lock(&chr->lock);
	for (;;) {
		const uint8_t *p;
		size_t n;
		ssize_t w;

		while (!chr->len && !chr->stop) {
			chr->writer_idle = true;
			pthread_cond_broadcast(&chr->drained);
			pthread_cond_wait(&chr->more, &chr->lock);
		}
		if (chr->stop)
			break;
		chr->writer_idle = false;
		p = chr->ring + chr->head;
		n = chr->len;
		if (n > OUT_BUF_SIZE - chr->head)
			n = OUT_BUF_SIZE - chr->head;
		/* The producer only appends, so p stays valid unlocked. */
		pthread_mutex_unlock(&chr->lock);
		w = write_some(chr->out_fd, p, n);
		pthread_mutex_lock(&chr->lock);
		if (w > 0) {
			chr->head = (chr->head + w) % OUT_BUF_SIZE;
			chr->len -= w;
		} else {
			/* EPIPE, EIO, or a file that takes nothing: give up. */
			chr->out_dead = true;
			chr->len = 0;
		}
	}
	chr->writer_idle = true;
	pthread_cond_broadcast(&chr->drained);
	pthread_mutex_unlock(&chr->lock);
	return NULL;
}

static int writer_start(struct chardev *chr)
{
	sigset_t all, old;
	int ret;

	/* Signals belong to the main thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = pthread_create(&chr->writer, NULL, writer_main, chr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return -ret;
	chr->writer_started = true;
	return 0;
}

static void *warn_main(void *arg)
{
	log_warn("console output is stalled: dropping guest output beyond %d KiB",
		 OUT_BUF_SIZE / 1024);
	return NULL;
}

/*
 * Warn from a thread of its own: stderr may be the same stalled terminal,
 * and the caller is a vCPU holding the bus lock.
 */
static void warn_stalled(void)
{
	pthread_attr_t attr;
	sigset_t all, old;
	pthread_t t;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	if (pthread_create(&t, &attr, warn_main, NULL))
		log_debug("console output is stalled: dropping guest output");
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
}

void chardev_write(struct chardev *chr, const uint8_t *buf, size_t len)
{
	size_t room, n, tail, first;
	bool warn = false;

	if (chr->null || !len)
		return;
	pthread_mutex_lock(&chr->lock);
	if (chr->out_dead) {
		pthread_mutex_unlock(&chr->lock);
		return;
	}
	room = OUT_BUF_SIZE - chr->len;
	n = len < room ? len : room;
	tail = (chr->head + chr->len) % OUT_BUF_SIZE;
	first = n < OUT_BUF_SIZE - tail ? n : OUT_BUF_SIZE - tail;
	memcpy(chr->ring + tail, buf, first);
	memcpy(chr->ring, buf + first, n - first);
	chr->len += n;
	if (n < len) {
		chr->dropped += len - n;
		warn = !chr->warned;
		chr->warned = true;
	}
	if (n && chr->writer_idle) {
		chr->writer_idle = false;
		pthread_cond_signal(&chr->more);
	}
	pthread_mutex_unlock(&chr->lock);
	if (warn)
		warn_stalled();
}

static void write_str(struct chardev *chr, const char *s)
{
	chardev_write(chr, (const uint8_t *)s, strlen(s));
}

int chardev_flush(struct chardev *chr, int timeout_ms)
{
	struct timespec deadline;
	int ret = 0;

	if (chr->null || !chr->writer_started)
		return 0;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&chr->lock);
	while ((chr->len || !chr->writer_idle) && !chr->out_dead && !ret)
		ret = -pthread_cond_timedwait(&chr->drained, &chr->lock,
					      &deadline);
	if (chr->out_dead)
		ret = -EPIPE;
	pthread_mutex_unlock(&chr->lock);
	return ret;
}

uint64_t chardev_dropped(struct chardev *chr)
{
	uint64_t n;

	if (chr->null)
		return 0;
	pthread_mutex_lock(&chr->lock);
	n = chr->dropped;
	pthread_mutex_unlock(&chr->lock);
	return n;
}

/* ---- input ---- */

/* Hand queued bytes to the front end.  Bus lock held. */
static void deliver(struct chardev *chr)
{
	while (chr->q_len && chr->attached) {
		size_t n = chr->fe.can_receive(chr->fe.opaque);
		size_t run = IN_QUEUE_SIZE - chr->q_head;

		if (!n)
			break;
		if (n > chr->q_len)
			n = chr->q_len;
		if (n > run)
			n = run;
		chr->fe.receive(chr->fe.opaque, chr->queue + chr->q_head, n);
		chr->q_head = (chr->q_head + n) % IN_QUEUE_SIZE;
		chr->q_len -= n;
	}
}

static void enqueue(struct chardev *chr, uint8_t c)
{
	/* Only a terminal overfills: a pipe is read no faster than this. */
	if (chr->q_len == IN_QUEUE_SIZE)
		return;
	chr->queue[(chr->q_head + chr->q_len) % IN_QUEUE_SIZE] = c;
	chr->q_len++;
}

static void handle_key(struct chardev *chr, uint8_t c)
{
	uint8_t out = 0;

	switch (chardev_escape_feed(&chr->esc, c, &out)) {
	case CHARDEV_KEY_NONE:
		break;
	case CHARDEV_KEY_SEND:
		enqueue(chr, out);
		break;
	case CHARDEV_KEY_QUIT:
		if (chr->quit_said)
			break;
		chr->quit_said = true;
		log_info("terminated by user (Ctrl-A x)");
		if (chr->vm)
			vm_request_exit(chr->vm, 0);
		break;
	case CHARDEV_KEY_HELP:
		write_str(chr, chardev_escape_help);
		break;
	case CHARDEV_KEY_UNSUPPORTED:
		if (out == 'c')
			log_info("Ctrl-A c: kvmrun has no monitor yet (Ctrl-A h for help)");
		else
			log_info("Ctrl-A %c is not supported (Ctrl-A h for help)",
				 out);
		break;
	}
}

static void input_unwatch(struct chardev *chr)
{
	if (chr->in_watched)
		event_del(chr->in_fd);
	chr->in_watched = false;
}

static void on_input(void *opaque, uint32_t events);

static void input_watch(struct chardev *chr)
{
	int ret;

	if (chr->in_watched || chr->in_eof || !chr->in_pollable)
		return;
	ret = event_add(chr->in_fd, EPOLLIN, on_input, chr);
	if (ret == -EPERM) {
		/* A regular file or /dev/null: always readable, read on wake. */
		chr->in_pollable = false;
		return;
	}
	if (ret) {
		log_warn("console input: %s; reading stopped", strerror(-ret));
		chr->in_eof = true;
		return;
	}
	chr->in_watched = true;
}

/*
 * One read() of up to want bytes, without the bus lock (a read may take a
 * while; the vCPUs need not wait).  The bytes, or 0 at EOF or error.
 */
static ssize_t read_chunk(struct chardev *chr, uint8_t *buf, size_t want)
{
	ssize_t n;

	do {
		n = read(chr->in_fd, buf, want);
	} while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return -EAGAIN;
	if (n < 0)
		log_debug("console input: %s", strerror(errno));
	return n < 0 ? 0 : n;
}

/* How much to read now: 0 when a pipe must wait for the front end. */
static size_t read_want(struct chardev *chr)
{
	size_t room = IN_QUEUE_SIZE - chr->q_len;

	if (chr->in_eof || (!room && !chr->in_tty))
		return 0;
	/* A terminal reads on when full, to see the escapes; keys drop. */
	if (!room || room > IN_READ_CHUNK)
		room = IN_READ_CHUNK;
	return room;
}

/*
 * After reading or delivering: pause a pipe whose bytes the front end
 * cannot take yet, and ask the front end to wake us when it drains.
 */
static void input_settle(struct chardev *chr)
{
	bool full = chr->q_len == IN_QUEUE_SIZE;

	if (full && !chr->in_tty)
		input_unwatch(chr);
	else
		input_watch(chr);
	if (chr->q_len || (!chr->in_pollable && !chr->in_eof))
		atomic_store(&chr->want_wake, true);
}

/*
 * Deliver what is queued, then read once (a readiness event) or, from a
 * file that has no readiness, as long as the queue has room.
 */
static void pump(struct chardev *chr, bool readable)
{
	uint8_t buf[IN_READ_CHUNK];
	size_t want;
	ssize_t n;

	bus_lock();
	for (;;) {
		if (!chr->attached)
			break;
		deliver(chr);
		want = read_want(chr);
		if (!want || (!readable && chr->in_pollable))
			break;
		readable = false;
		bus_unlock();
		n = read_chunk(chr, buf, want);
		bus_lock();
		if (n == -EAGAIN)
			break;
		if (n == 0) {
			chr->in_eof = true;
			input_unwatch(chr);
			break;
		}
		for (ssize_t i = 0; i < n && chr->attached; i++)
			handle_key(chr, buf[i]);
	}
	if (chr->attached) {
		deliver(chr);
		input_settle(chr);
	}
	bus_unlock();
}

static void on_input(void *opaque, uint32_t events)
{
	pump(opaque, true);
}

static void on_wake(void *opaque, uint32_t events)
{
	struct chardev *chr = opaque;
	uint64_t v;

	if (read(chr->wake_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		log_debug("console wake fd: %s", strerror(errno));
	pump(chr, false);
}

void chardev_accept_input(struct chardev *chr)
{
	uint64_t one = 1;

	if (chr->null || !atomic_exchange(&chr->want_wake, false))
		return;
	if (write(chr->wake_fd, &one, sizeof(one)) < 0)
		log_debug("console wake fd: %s", strerror(errno));
}

int chardev_attach(struct chardev *chr, struct vm *vm,
		   const struct chardev_frontend *fe)
{
	int ret;

	if (chr->null)
		return 0;
	if (chr->attached)
		return -EBUSY;
	ret = event_add(chr->wake_fd, EPOLLIN, on_wake, chr);
	if (ret) {
		log_error("console: cannot watch its wake-up fd: %s",
			  strerror(-ret));
		return ret;
	}
	bus_lock();
	chr->vm = vm;
	chr->fe = *fe;
	chr->attached = true;
	bus_unlock();
	input_watch(chr);
	/* Deliver what an earlier front end left, and start reading a file. */
	atomic_store(&chr->want_wake, true);
	chardev_accept_input(chr);
	return 0;
}

void chardev_detach(struct chardev *chr)
{
	if (chr->null || !chr->attached)
		return;
	input_unwatch(chr);
	event_del(chr->wake_fd);
	bus_lock();
	chr->attached = false;
	chr->vm = NULL;
	memset(&chr->fe, 0, sizeof(chr->fe));
	bus_unlock();
}

/* ---- construction ---- */

static struct chardev *chardev_alloc(int in_fd, int out_fd)
{
	struct chardev *chr = calloc(1, sizeof(*chr));
	int ret;

	if (!chr)
		return NULL;
	chr->in_fd = in_fd;
	chr->out_fd = out_fd;
	chr->in_pollable = true;
	chr->writer_idle = true;
	pthread_mutex_init(&chr->lock, NULL);
	pthread_cond_init(&chr->more, NULL);
	pthread_cond_init(&chr->drained, NULL);
	chr->ring = malloc(OUT_BUF_SIZE);
	chr->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (!chr->ring || chr->wake_fd < 0)
		goto err;
	ret = writer_start(chr);
	if (ret) {
		errno = -ret;
		goto err;
	}
	return chr;
err:
	if (chr->wake_fd >= 0)
		close(chr->wake_fd);
	free(chr->ring);
	free(chr);
	return NULL;
}

struct chardev *chardev_new_fds(int in_fd, int out_fd)
{
	return chardev_alloc(in_fd, out_fd);
}

void chardev_free(struct chardev *chr)
{
	if (!chr || chr->null || chr == stdio_chr)
		return;
	chardev_detach(chr);
	chardev_flush(chr, EXIT_FLUSH_MS);
	pthread_mutex_lock(&chr->lock);
	chr->stop = true;
	pthread_cond_signal(&chr->more);
	pthread_mutex_unlock(&chr->lock);
	/* A write stuck on a stalled fd is a cancellation point. */
	if (chardev_flush(chr, 0) == -ETIMEDOUT)
		pthread_cancel(chr->writer);
	pthread_join(chr->writer, NULL);
	close(chr->wake_fd);
	pthread_cond_destroy(&chr->drained);
	pthread_cond_destroy(&chr->more);
	pthread_mutex_destroy(&chr->lock);
	free(chr->ring);
	free(chr);
}

/* A background job of the terminal on fd (not merely one without one). */
static bool in_background(int fd)
{
	pid_t fg = tcgetpgrp(fd);

	return fg >= 0 && fg != getpgrp();
}

struct chardev *chardev_stdio(bool signals)
{
	struct chardev *chr;
	int ret;

	if (stdio_chr)
		return stdio_chr;
	chr = chardev_alloc(STDIN_FILENO, STDOUT_FILENO);
	if (!chr) {
		log_error("-serial stdio: cannot set up the console: %s",
			  strerror(errno));
		return NULL;
	}
	stdio_chr = chr;
	atexit(stdio_atexit);
	if (isatty(STDIN_FILENO) && in_background(STDIN_FILENO)) {
		/* Reading or setting it would stop us with SIGTTIN/SIGTTOU. */
		log_warn("-serial stdio: kvmrun runs in the background of its terminal: console input is off");
		chr->in_eof = true;
	} else if (isatty(STDIN_FILENO)) {
		chr->in_tty = true;
		log_set_exit_hook(tty_restore);
		ret = tty_make_raw(STDIN_FILENO, signals);
		if (ret)
			log_warn("-serial stdio: cannot set the terminal to raw mode: %s",
				 strerror(-ret));
	}
	return chr;
}

struct chardev *chardev_null(void)
{
	static struct chardev null_chr = { .null = true, .in_eof = true };

	return &null_chr;
}
