// SPDX-License-Identifier: MIT
/*
 * kvmrun: parse the command line, build the VM, run it until the guest or
 * the user ends it.  A guest reset rebuilds the VM on the same RAM.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "config.h"
#include "memory.h"
#include "options.h"
#include "util/event.h"
#include "util/log.h"
#include "vm.h"

static int sig_fd = -1;

static void on_signal(void *opaque, uint32_t events)
{
	struct signalfd_siginfo si;

	if (read(sig_fd, &si, sizeof(si)) != sizeof(si))
		return;
	log_info("terminated by signal %s", sigabbrev_np(si.ssi_signo) ?
		 sigabbrev_np(si.ssi_signo) : "?");
	if (current_vm)
		vm_request_exit(current_vm, 0);
	else
		exit(0);
}

/* SIGINT/SIGTERM/SIGHUP arrive through the event loop, on the main thread. */
static int setup_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL))
		return -EINVAL;
	sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sig_fd < 0)
		return -errno;
	/* A closed stdout must not kill us mid-guest. */
	signal(SIGPIPE, SIG_IGN);
	return event_add(sig_fd, EPOLLIN, on_signal, NULL);
}

#define REAL_MODE_TOP (1U << 20)

int main(int argc, char **argv)
{
	static struct vm_config cfg;
	struct vm_resume resume = { 0 };
	bool resuming = false;
	struct guest_mem mem;
	struct vm *vm;
	int ret, status;

	ret = options_parse(argc, argv, &cfg);
	if (ret == OPTIONS_EXIT_OK)
		return 0;
	if (ret < 0)
		return KVMRUN_EXIT_SETUP;

	ret = event_loop_init();
	if (ret)
		die("event loop: %s", strerror(-ret));
	ret = setup_signals();
	if (ret)
		die("signals: %s", strerror(-ret));
	if (cfg.mem_lock && mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		die("-overcommit mem-lock=on: cannot lock memory: %s — raise "
		    "the locked-memory limit (ulimit -l) or run as root",
		    strerror(errno));
	ret = guest_mem_init(&mem, cfg.ram_size);
	if (ret)
		die("-m %llu MiB: cannot map guest RAM: %s — try a smaller -m",
		    (unsigned long long)(cfg.ram_size >> 20), strerror(-ret));

	do {
		vm = resuming ? vm_create_resumed(&cfg, &mem, &resume) :
				vm_create(&cfg, &mem);
		if (!vm)
			exit(KVMRUN_EXIT_SETUP);
		status = vm_run(vm);
		resuming = status == VM_RUN_RESUME;
		if (resuming)
			vm_resume_info(vm, &resume);
		vm_destroy(vm);
		/*
		 * No waking vector: firmware would boot afresh, and so does
		 * kvmrun (the kernel is loaded again).  A real-mode vector
		 * lies below 1 MiB.
		 */
		if (resuming && resume.vector >= REAL_MODE_TOP)
			log_warn("ACPI: the FACS waking vector 0x%x is not a "
				 "real-mode address; booting afresh",
				 resume.vector);
		if (resuming && (!resume.vector ||
				 resume.vector >= REAL_MODE_TOP)) {
			resuming = false;
			status = VM_RUN_RESET;
		}
		if (status == VM_RUN_RESET)
			log_debug("guest reset: rebuilding the VM");
	} while (status == VM_RUN_RESET || resuming);

	guest_mem_free(&mem);
	event_loop_fini();
	return status;
}
