/*
 * Interrupt stubs, the common trap frame, and the ring-3 round trip.
 *
 * Every vector has a 16-byte stub at trap_stubs + 16 * vector.  Stubs of
 * vectors without a CPU error code push a zero so that struct trap_frame
 * (guest.h) has one shape.
 */
#include "layout.h"

	.text
	.code64
	.align 16
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.align 16
	.if (vec == 8) | ((vec >= 10) & (vec <= 14)) | (vec == 17) | (vec == 21) | (vec == 29) | (vec == 30)
	.else
	pushq $0
	.endif
	pushq $vec
	jmp trap_common
	.set vec, vec + 1
	.endr

trap_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, %rdi
	cld
	call trap_dispatch
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp
	iretq

/*
 * long user_call(long (*fn)(long), long arg, void *stack_top)
 *
 * Runs fn(arg) in ring 3 (asking for IOPL 3 and IF=0) and returns its
 * result.  Ring 3 comes back by executing ud2 at user_exit_insn: the #UD
 * is recognised by trap_dispatch, which unwinds through user_abort().  An
 * exception is the one way back that works on every host; SYSCALL does not
 * reach ring 0 on the paravirtual hosts this was developed on.
 */
	.globl user_call
user_call:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, user_saved_rsp(%rip)
	pushq $(SEL_UDATA | 3)
	pushq %rdx
	pushq $0x3002			/* IOPL 3, interrupts off */
	pushq $(SEL_UCODE64 | 3)
	lea user_start(%rip), %rax
	push %rax
	iretq

user_start:
	mov %rdi, %rax
	mov %rsi, %rdi
	call *%rax
	.globl user_exit_insn
user_exit_insn:
	ud2

/* void user_abort(long value): return value from user_call (trap context). */
	.globl user_abort
user_abort:
	mov %rdi, %rax
	mov user_saved_rsp(%rip), %rsp
	mov $SEL_DATA, %ecx
	mov %ecx, %ds
	mov %ecx, %es
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret

	.bss
	.align 8
user_saved_rsp:
	.quad 0
