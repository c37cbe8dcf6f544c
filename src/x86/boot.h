/* SPDX-License-Identifier: MIT */
/*
 * Kernel loaders: Linux bzImage (boot protocol), ELF vmlinux through its PVH
 * entry note, and multiboot v1 ELF32.  Each reads the kernel (and initrd,
 * command line) named in vm->cfg, writes everything the guest needs into
 * guest RAM through the checked helpers of memory.h, and fills vm->boot_cpu
 * with the BSP's entry state.
 */
#ifndef KVMRUN_X86_BOOT_H
#define KVMRUN_X86_BOOT_H

#include <stddef.h>
#include <stdint.h>

struct vm;
struct guest_mem;

/*
 * Detect the format and load.  Returns 0, or -errno after printing one line
 * naming the file and what is wrong ("bzImage: boot protocol 2.02 is too
 * old (need 2.06)").  Nothing is written to a vCPU; vm->rsdp_gpa must be set.
 */
int x86_load_kernel(struct vm *vm);

/* e820 / memory-map entries shared by the three loaders. */
#define E820_RAM 1
#define E820_RESERVED 2
#define E820_ACPI 3

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

#define E820_MAX_ENTRIES 8

/* The guest's memory map for mem: RAM, the reserved low areas.  Returns count. */
unsigned int e820_build(const struct guest_mem *mem, struct e820_entry *out,
			unsigned int max);

#endif
