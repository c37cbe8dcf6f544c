/*
 * AP start-up.  tramp_start..tramp_end is copied to TRAMPOLINE_BASE; a SIPI
 * with vector TRAMPOLINE_BASE >> 12 starts the AP there in real mode with
 * CS = TRAMPOLINE_BASE >> 4, IP = 0.  It loads the BSP's GDT and page tables
 * and enters long mode directly (CR0.PE and CR0.PG together), then jumps to
 * ap_entry64 in the image, which takes its stack from ap_boot_stack.
 */
#include "layout.h"

#define TRAMP(sym)	(TRAMPOLINE_BASE + ((sym) - tramp_start))

	.text
	.code16
	.globl tramp_start, tramp_end, tramp_gdtr, tramp_cr3
tramp_start:
	cli
	cld
	xor %ax, %ax
	mov %ax, %ds
	lgdtl TRAMP(tramp_gdtr)
	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	movl TRAMP(tramp_cr3), %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	or $(CR0_PG | CR0_PE), %eax
	mov %eax, %cr0
	ljmpl $SEL_CODE64, $ap_entry64
	.align 8
tramp_gdtr:
	.word 0
	.long 0
	.align 4
tramp_cr3:
	.long 0
tramp_end:

	.code64
ap_entry64:
	mov $SEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	mov ap_boot_stack(%rip), %rsp
	xor %ebp, %ebp
	call ap_main
1:	cli
	hlt
	jmp 1b
