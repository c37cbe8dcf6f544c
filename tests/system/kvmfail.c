/*
 * LD_PRELOAD shim for test_kvm_setup.py: make one KVM ioctl fail, as a host
 * whose KVM lacks it would.  KVMFAIL=api|cap=N|create_vm|create_vcpu[=N]|memory|
 * irqchip|cpuid|mmap_size|run names the failure.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, ...);
	const char *what = getenv("KVMFAIL");
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	if (what) {
		if (!strcmp(what, "api") && req == KVM_GET_API_VERSION)
			return 11;
		if (!strncmp(what, "cap=", 4) && req == KVM_CHECK_EXTENSION &&
		    (long)arg == atol(what + 4))
			return 0;
		if (!strcmp(what, "create_vm") && req == KVM_CREATE_VM) {
			errno = ENOMEM;
			return -1;
		}
		if (!strncmp(what, "create_vcpu=", 12) && req == KVM_CREATE_VCPU &&
		    (long)arg == atol(what + 12)) {
			errno = ENOSPC;
			return -1;
		}
		if (!strcmp(what, "create_vcpu") && req == KVM_CREATE_VCPU) {
			errno = EINVAL;
			return -1;
		}
		if (!strcmp(what, "memory") && req == KVM_SET_USER_MEMORY_REGION) {
			errno = EEXIST;
			return -1;
		}
		if (!strcmp(what, "irqchip") && req == KVM_CREATE_IRQCHIP) {
			errno = EEXIST;
			return -1;
		}
		if (!strcmp(what, "cpuid") && req == KVM_GET_SUPPORTED_CPUID) {
			errno = EIO;
			return -1;
		}
		if (!strcmp(what, "mmap_size") && req == KVM_GET_VCPU_MMAP_SIZE)
			return 0;
		if (!strcmp(what, "run") && req == KVM_RUN) {
			errno = EFAULT;
			return -1;
		}
	}
	return real(fd, req, arg);
}
