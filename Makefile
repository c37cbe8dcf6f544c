# kvmrun — build, test and run.  See README.md.
#
# Sources are discovered, not listed: every src/**/*.c is part of kvmrun, every
# tests/unit/test_*.c is one unit-test program, and tests/guest/guest.mk builds
# the freestanding test guests.

CC	?= gcc
BUILD	?= build
PYTHON	:= /usr/bin/python3

WARN	:= -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wformat=2 -Wvla
BASE_CFLAGS := -std=gnu11 -g -D_GNU_SOURCE -Isrc $(WARN) -pthread -MMD -MP
CFLAGS	?= -O2
ALL_CFLAGS := $(BASE_CFLAGS) $(CFLAGS)
SAN_FLAGS := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=undefined
LDLIBS	:= -pthread -lrt

# `make V=1` shows the full commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif

SRCS	:= $(shell find src -name '*.c' | sort)
OBJS	:= $(SRCS:%.c=$(BUILD)/obj/%.o)
SAN_OBJS := $(SRCS:%.c=$(BUILD)/san/%.o)
LIB_SAN_OBJS := $(filter-out $(BUILD)/san/src/main.o,$(SAN_OBJS))

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%)

.PHONY: all build check check-unit check-qtest check-guest check-linux check-linux-ref \
	run deps guest-kit fuzz bench clean format
all: build
build: $(BUILD)/kvmrun $(BUILD)/kvmrun-san $(UNIT_BINS) guests

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/san/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC-SAN  $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

# Linked statically: no dynamic loader at start-up, and only the libc pages
# kvmrun uses stay resident (1.1 MiB outside guest RAM instead of 2.0).
$(BUILD)/kvmrun: $(OBJS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -static -o $@ $^ $(LDLIBS)

# The same program under AddressSanitizer + UndefinedBehaviorSanitizer: every
# test level runs against this one.
$(BUILD)/kvmrun-san: $(SAN_OBJS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(BASE_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libkvmrun-san.a: $(LIB_SAN_OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/unit/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/libkvmrun-san.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC-SAN  $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(SAN_FLAGS) -Itests/unit -o $@ $< $(BUILD)/libkvmrun-san.a $(LDLIBS)

include tests/guest/guest.mk

# Installs what the build and the tests need (Debian 12, as root or via sudo).
deps:
	@scripts/install-deps.sh

check: deps
	@$(MAKE) --no-print-directory build
	@$(PYTHON) -m pytest -q -p no:cacheprovider tests/unit tests/qtest tests/guest tests/system

check-unit: $(UNIT_BINS)
	@$(PYTHON) -m pytest -q -p no:cacheprovider tests/unit

check-qtest: $(BUILD)/kvmrun-san
	@$(PYTHON) -m pytest -q -p no:cacheprovider tests/qtest

check-guest: $(BUILD)/kvmrun-san guests
	@$(PYTHON) -m pytest -q -p no:cacheprovider tests/guest

# The test Linux guest: Debian's cloud kernel and busybox-static, cached in
# $(BUILD)/guest-kit (scripts/guest-kit.sh).
KIT	:= $(BUILD)/guest-kit
RUN_MEM	?= 256M
RUN_SMP	?= 2
# earlyprintk shows progress long before the console is set up on hosts whose
# KVM emulates kernel code; -no-reboot makes a panic or the shell's exit end
# kvmrun instead of booting again.
# The rest turns off stall detectors and self-tests that misfire or take
# minutes when kernel code runs at ~1M instructions/s (kvm_pvm hosts); the
# uncompressed initramfs spares minutes of emulated inflating there too.
# tests/linux/linuxvm.py uses the same parameters.
SLOW_HOST_APPEND := tsc=reliable nosoftlockup rcupdate.rcu_cpu_stall_suppress=1 \
	sysctl.kernel.hung_task_timeout_secs=0 cryptomgr.notests \
	initcall_blacklist=ftrace_check_for_weak_functions,tracer_init_tracefs
RUN_APPEND ?= console=ttyS0 earlyprintk=serial,ttyS0,115200 nopv panic=-1 $(SLOW_HOST_APPEND)

guest-kit: deps
	@scripts/guest-kit.sh $(BUILD)

# Boots the test Linux to an interactive shell on the serial console.
# Ctrl-A x quits.
run: deps
	@$(MAKE) --no-print-directory $(BUILD)/kvmrun
	@scripts/guest-kit.sh $(BUILD)
	$(BUILD)/kvmrun -m $(RUN_MEM) -smp $(RUN_SMP) -nographic -no-reboot \
		-kernel $(KIT)/vmlinux -initrd $(KIT)/initramfs.cpio \
		-append "$(RUN_APPEND)"

# Level 4: real Linux under KVM (slow on hosts whose KVM emulates kernel code).
check-linux: deps
	@$(MAKE) --no-print-directory $(BUILD)/kvmrun
	@scripts/guest-kit.sh $(BUILD)
	@BUILD=$(abspath $(BUILD)) $(PYTHON) -m pytest -q -p no:cacheprovider tests/linux

# The level-4 harness itself, proven against QEMU's software CPU (seconds).
check-linux-ref: deps
	@scripts/guest-kit.sh $(BUILD)
	@BUILD=$(abspath $(BUILD)) KVMRUN_REF=qemu-tcg $(PYTHON) -m pytest -q -p no:cacheprovider tests/linux

$(BUILD)/bench/pio_floor: bench/pio_floor.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

# libFuzzer targets: every src/ file but main.c, built with clang (no -Werror:
# a clang-only warning must not stop fuzzing), run for FUZZ_TIME seconds each
# by tests/fuzz/run.sh.
FUZZ_CC	:= clang
FUZZ_CFLAGS := -std=gnu11 -g -O1 -D_GNU_SOURCE -Isrc -pthread -MMD -MP \
	-fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_OBJS := $(filter-out $(BUILD)/fuzz/obj/src/main.o,$(SRCS:%.c=$(BUILD)/fuzz/obj/%.o))
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TIME ?= 60

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC-FUZZ $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	@$(if $(Q),echo "  LD-FUZZ $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS)
	@BUILD=$(BUILD) FUZZ_TIME=$(FUZZ_TIME) tests/fuzz/run.sh $(FUZZ_TARGETS)

# A static fork/exec/wait4 timer, so peak RSS is the VMM's, not Python's.
$(BUILD)/bench/spawn: bench/spawn.c
	@mkdir -p $(@D)
	$(CC) -O2 -static -Wall -Wextra -Werror -o $@ $<

# Side-by-side benchmarks against QEMU and the raw KVM floor (not tests).
bench: deps
	@$(MAKE) --no-print-directory $(BUILD)/kvmrun guests $(BUILD)/bench/pio_floor \
		$(BUILD)/bench/spawn
	@$(PYTHON) bench/run.py

clean:
	rm -rf $(BUILD)

format:
	clang-format -i $(SRCS) $(wildcard src/*.h src/*/*.h src/*/*/*.h)

-include $(OBJS:.o=.d) $(SAN_OBJS:.o=.d) $(FUZZ_OBJS:.o=.d) $(UNIT_BINS:=.d)
