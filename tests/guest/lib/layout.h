/* Constants shared by the assembly and C parts of the guest runtime. */
#ifndef GUEST_LAYOUT_H
#define GUEST_LAYOUT_H

#define SEL_CODE64	0x08
#define SEL_DATA	0x10
#define SEL_CODE32	0x18
#define SEL_UCODE32	0x20
#define SEL_UDATA	0x28
#define SEL_UCODE64	0x30
#define SEL_TSS		0x38

#define CR0_PE		0x00000001
#define CR0_MP		0x00000002
#define CR0_EM		0x00000004
#define CR0_TS		0x00000008
#define CR0_PG		0x80000000
#define CR4_PAE		0x00000020
#define CR4_OSFXSR	0x00000200
#define CR4_OSXMMEXCPT	0x00000400
#define CR4_OSXSAVE	0x00040000

#define MSR_EFER	0xc0000080
#define EFER_LME	0x00000100

#define PTE_P		0x001
#define PTE_W		0x002
#define PTE_U		0x004
#define PTE_PWT		0x008
#define PTE_PCD		0x010
#define PTE_PS		0x080

#define BSP_STACK_SIZE	16384
#define AP_STACK_SIZE	8192
#define MAX_CPUS	64

/* The AP start-up code is copied here (a 4 KiB page below 1 MiB). */
#define TRAMPOLINE_BASE	0x8000

#endif
