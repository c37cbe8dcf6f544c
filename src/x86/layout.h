/* SPDX-License-Identifier: MIT */
/*
 * Where kvmrun puts things in low guest memory.  One table, so the loaders,
 * the e820 builder and the ACPI builder agree.
 */
#ifndef KVMRUN_X86_LAYOUT_H
#define KVMRUN_X86_LAYOUT_H

#define LAYOUT_GDT		0x00000500ULL	/* boot GDT: code 0x10, data 0x18, TSS 0x20 (16 bytes) */
#define LAYOUT_BOOT_INFO	0x00006000ULL	/* PVH start_info or multiboot info, 4 KiB */
#define LAYOUT_ZERO_PAGE	0x00007000ULL	/* Linux boot_params, 4 KiB */
#define LAYOUT_PML4		0x00009000ULL	/* identity-map page tables for 64-bit entry */
#define LAYOUT_PDPT		0x0000A000ULL
#define LAYOUT_PD		0x0000B000ULL	/* 4 pages: 2 MiB pages covering 4 GiB */
#define LAYOUT_CMDLINE		0x00020000ULL
#define LAYOUT_CMDLINE_MAX	0x00010000ULL	/* 64 KiB */
#define LAYOUT_BOOT_STACK	0x0008F000ULL	/* top of a small stack for entry */
#define LAYOUT_EBDA		0x0009FC00ULL	/* reserved up to 640 KiB */
#define LAYOUT_LOWMEM_END	0x000A0000ULL
#define LAYOUT_BIOS		0x000E0000ULL	/* reserved up to 1 MiB: ACPI tables */
#define LAYOUT_ACPI		LAYOUT_BIOS	/* RSDP first, 16-byte aligned */
#define LAYOUT_ACPI_SIZE	0x00020000ULL
#define LAYOUT_HIGHMEM		0x00100000ULL	/* kernels load at or above 1 MiB */

#endif
