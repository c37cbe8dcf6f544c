# Freestanding test guests (level 3 of ../../../shared/TESTING.md).
#
# Every tests/guest/*.c is one guest program; tests/guest/lib/ is the runtime
# they share (entry, long mode, traps, serial, ACPI, PCI, fw_cfg, SMP, ring 3).
# Each program is linked as x86-64 code at 1 MiB and then re-wrapped as an
# ELF32 container: QEMU (and kvmrun, for compatibility) refuses ELF64 for
# multiboot, and the PVH note works in either class.  $(BUILD)/guest/NAME.elf
# carries both the multiboot header and the PVH note; NAME-mb.elf lacks the
# PVH note and NAME-pvh.elf the multiboot header, so that each boot path can
# be exercised whichever one a loader prefers (QEMU tries multiboot first).

GUEST_SRC	:= tests/guest
GUEST_OUT	:= $(BUILD)/guest

GUEST_CFLAGS	:= -m64 -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie \
		   -nostdlib -mno-red-zone -mgeneral-regs-only \
		   -fno-stack-protector -fno-asynchronous-unwind-tables \
		   -fno-tree-loop-distribute-patterns --param=min-pagesize=0 \
		   -fno-omit-frame-pointer -fcf-protection=none \
		   -Wall -Wextra -Werror -Wno-unused-parameter \
		   -I$(GUEST_SRC)/lib -MMD -MP
GUEST_LDFLAGS	:= -m64 -nostdlib -static -no-pie -Wl,--build-id=none \
		   -Wl,-z,noexecstack -Wl,-z,max-page-size=0x1000 -Wl,--no-warn-rwx-segments \
		   -Wl,-T,$(GUEST_SRC)/lib/guest.ld

GUEST_PROGS	:= $(sort $(wildcard $(GUEST_SRC)/*.c))
GUEST_NAMES	:= $(GUEST_PROGS:$(GUEST_SRC)/%.c=%)
GUEST_LIB_SRCS	:= $(sort $(wildcard $(GUEST_SRC)/lib/*.c $(GUEST_SRC)/lib/*.S))
GUEST_LIB_OBJS	:= $(patsubst $(GUEST_SRC)/lib/%,$(GUEST_OUT)/lib/%.o,$(GUEST_LIB_SRCS))
GUEST_ELFS	:= $(GUEST_NAMES:%=$(GUEST_OUT)/%.elf) \
		   $(GUEST_NAMES:%=$(GUEST_OUT)/%-mb.elf) \
		   $(GUEST_NAMES:%=$(GUEST_OUT)/%-pvh.elf)

.PHONY: guests
guests: $(GUEST_ELFS)

$(GUEST_OUT)/lib/%.c.o: $(GUEST_SRC)/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(GUEST_OUT)/lib/%.S.o: $(GUEST_SRC)/lib/%.S
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(GUEST_OUT)/obj/%.o: $(GUEST_SRC)/%.c
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

# The 64-bit link; the .elf files below are what a VMM loads.
$(GUEST_OUT)/obj/%.elf64: $(GUEST_OUT)/obj/%.o $(GUEST_LIB_OBJS) $(GUEST_SRC)/lib/guest.ld
	$(CC) $(GUEST_LDFLAGS) -o $@ $< $(GUEST_LIB_OBJS)

$(GUEST_OUT)/%.elf: $(GUEST_OUT)/obj/%.elf64
	objcopy -O elf32-i386 $< $@

$(GUEST_OUT)/%-mb.elf: $(GUEST_OUT)/obj/%.elf64
	objcopy -O elf32-i386 --remove-section=.note.pvh $< $@

$(GUEST_OUT)/%-pvh.elf: $(GUEST_OUT)/obj/%.elf64
	objcopy -O elf32-i386 --remove-section=.multiboot $< $@

.PRECIOUS: $(GUEST_OUT)/obj/%.elf64 $(GUEST_OUT)/obj/%.o

-include $(wildcard $(GUEST_OUT)/lib/*.d $(GUEST_OUT)/obj/*.d)
