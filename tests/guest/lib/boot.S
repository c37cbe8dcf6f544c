/*
 * Entry for the test guests: one 32-bit entry point serves multiboot v1
 * (EAX = 0x2BADB002, EBX = multiboot info) and PVH (EBX = hvm_start_info).
 * Both arrive in flat 32-bit protected mode with paging off; we load our own
 * GDT, identity-map the first 8 GiB with 2 MiB pages and enter long mode.
 *
 * The page tables are assembled into the image rather than built at run
 * time: kernel-mode code is emulated slowly on the development hosts, and
 * a table in the image costs no instructions.
 */
#include "layout.h"

#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x00000003	/* page-align modules, want memory info */

	.section .multiboot, "a"
	.align 4
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

/* XEN_ELFNOTE_PHYS32_ENTRY: the PVH entry, a 32-bit physical address. */
	.section .note.pvh, "a", @note
	.align 4
	.long 4			/* namesz */
	.long 4			/* descsz */
	.long 18		/* type */
	.asciz "Xen"
	.long entry32

	.section .text.entry, "ax"
	.code32
	.globl entry32
entry32:
	cli
	cld
	mov %eax, %edi
	mov %ebx, %esi
	lgdt gdt_ptr32
	ljmp $SEL_CODE32, $1f
1:	mov $SEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs

	mov $pml4, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	or $(CR0_PG | CR0_PE), %eax
	mov %eax, %cr0
	ljmp $SEL_CODE64, $entry64

	.code64
entry64:
	mov $SEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	/* The upper halves of the registers are undefined after the switch. */
	mov %edi, %edi
	mov %esi, %esi
	mov $bsp_stack_top, %rsp

	/*
	 * Clear .bss ourselves: a VMM that does not reload the image on reset
	 * would otherwise hand the second boot the first boot's variables.
	 */
	mov %rdi, %r8
	mov $__bss_start, %rdi
	mov $__bss_end, %rcx
	sub %rdi, %rcx
	xor %eax, %eax
	rep stosb
	mov %r8, %rdi

	xor %ebp, %ebp
	call guest_start
2:	cli
	hlt
	jmp 2b

	.section .bss.stack, "aw", @nobits
	.align 16
	.globl bsp_stack_top
bsp_stack:
	.skip BSP_STACK_SIZE
bsp_stack_top:

	.data
	.align 16
	.globl gdt
gdt:
	.quad 0				/* null */
	.quad 0x00af9a000000ffff	/* 0x08: kernel code, 64-bit */
	.quad 0x00cf92000000ffff	/* 0x10: kernel data */
	.quad 0x00cf9a000000ffff	/* 0x18: kernel code, 32-bit */
	.quad 0x00cffa000000ffff	/* 0x20: user code, 32-bit (SYSRET base) */
	.quad 0x00cff2000000ffff	/* 0x28: user data */
	.quad 0x00affa000000ffff	/* 0x30: user code, 64-bit */
	.quad 0, 0			/* 0x38: TSS, written at boot */
gdt_end:

	.globl gdt_ptr32
gdt_ptr32:
	.word gdt_end - gdt - 1
	.long gdt

/*
 * Identity map of 0..8 GiB.  Every level is user-accessible so that ring-3
 * helpers can reach their code, data and ports' MMIO without extra tables
 * (SMEP and SMAP stay off).  3..4 GiB, the MMIO hole, is uncached.
 */
	.section .data.pagetables, "aw"
	.align 4096
	.globl pml4
pml4:
	.quad pdpt + PTE_P + PTE_W + PTE_U
	.fill 511, 8, 0
pdpt:
	.set i, 0
	.rept 8
	.quad pd + i * 4096 + PTE_P + PTE_W + PTE_U
	.set i, i + 1
	.endr
	.fill 504, 8, 0
pd:
	.set i, 0
	.rept 1536
	.quad (i << 21) + PTE_P + PTE_W + PTE_U + PTE_PS
	.set i, i + 1
	.endr
	.rept 512
	.quad (i << 21) + PTE_P + PTE_W + PTE_U + PTE_PS + PTE_PWT + PTE_PCD
	.set i, i + 1
	.endr
	.rept 2048
	.quad (i << 21) + PTE_P + PTE_W + PTE_U + PTE_PS
	.set i, i + 1
	.endr
