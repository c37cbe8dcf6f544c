// SPDX-License-Identifier: MIT
/*
 * The guest's memory map, shared by the Linux zero page, the PVH memmap and
 * the multiboot mmap.  The MMIO hole [MEM_LOW_MAX, 4 GiB) is left out: a gap
 * is what tells the kernel it may place PCI resources there.
 */
#include "x86/boot.h"

#include "memory.h"
#include "x86/layout.h"

static void e820_add(struct e820_entry *out, unsigned int max, unsigned int *n,
		     uint64_t addr, uint64_t end, uint32_t type)
{
	if (end <= addr || *n >= max)
		return;
	out[*n] = (struct e820_entry){ .addr = addr, .size = end - addr,
				       .type = type };
	(*n)++;
}

unsigned int e820_build(const struct guest_mem *mem, struct e820_entry *out,
			unsigned int max)
{
	uint64_t low_end = mem->nr_regions ? mem->regions[0].size : 0;
	unsigned int n = 0;

	e820_add(out, max, &n, 0,
		 low_end < LAYOUT_EBDA ? low_end : LAYOUT_EBDA, E820_RAM);
	/* The EBDA and the BIOS area are holes in any PC's RAM. */
	e820_add(out, max, &n, LAYOUT_EBDA, LAYOUT_LOWMEM_END, E820_RESERVED);
	/* The ACPI tables live here, so the kernel must not reuse it. */
	e820_add(out, max, &n, LAYOUT_BIOS, LAYOUT_HIGHMEM, E820_RESERVED);
	e820_add(out, max, &n, LAYOUT_HIGHMEM, low_end, E820_RAM);
	for (unsigned int i = 1; i < mem->nr_regions; i++)
		e820_add(out, max, &n, mem->regions[i].gpa,
			 mem->regions[i].gpa + mem->regions[i].size, E820_RAM);
	return n;
}
