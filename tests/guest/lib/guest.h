/*
 * The test-guest runtime: what a test program may use.
 *
 * A test defines TEST_NAME("name") and `void test_main(void)`.  It ends with
 * pass() or fail(...); returning from test_main() is a pass.  Results go to
 * COM1 ("PASS name" / "FAIL name: why") and to isa-debug-exit at 0xf4.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"

#define TEST_NAME(n) const char test_name[] = n
extern const char test_name[];
void test_main(void);

/* isa-debug-exit codes: the VMM exits with (code << 1) | 1. */
#define EXIT_PASS	0
#define EXIT_FAIL	1
#define EXIT_TRAP	2

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define noreturn __attribute__((noreturn))

/* Port and MMIO access. */
static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)addr;
}
static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}
static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return lo | (uint64_t)hi << 32;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
static inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}
static inline void halt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt");
}
/* About a microsecond or more: an I/O exit on any VMM. */
static inline void io_delay(void)
{
	outb(0x80, 0);
}
void udelay(unsigned int us);

/* String and memory helpers (the compiler may call these itself). */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);

/* Console (COM1) and results. */
void serial_init(void);
void serial_putc(char c);
void serial_write(const char *s, size_t n);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void debug_exit(uint8_t code);
noreturn void pass(void);
noreturn void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Boot information, from multiboot v1 or PVH. */
enum boot_proto { BOOT_MULTIBOOT = 1, BOOT_PVH = 2 };
struct mem_range {
	uint64_t base;
	uint64_t len;
	uint32_t type;		/* 1 usable, 2 reserved, 3 ACPI, 4 NVS, ... */
};
#define MEM_USABLE	1
#define MAX_MEM_RANGES	64
enum boot_proto boot_proto(void);
const char *boot_proto_name(void);
const char *cmdline(void);
/* Copies the value of "key=value" from the command line; false if absent. */
bool cmdline_get(const char *key, char *buf, size_t len);
/* Parses 0xHEX, or decimal with an optional K/M/G/T suffix (binary units). */
bool parse_u64(const char *s, uint64_t *out);
bool cmdline_u64(const char *key, uint64_t *out);
int memmap(struct mem_range *out, int max);
uint64_t boot_rsdp(void);	/* PVH rsdp_paddr or 0 */

/* Traps.  A hook returns true when it handled the trap (and may move rip). */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};
typedef bool (*trap_hook)(struct trap_frame *f);
void trap_init(void);
void trap_load_idt(void);
void trap_set_hook(unsigned int vector, trap_hook hook);
void dump_frame(const struct trap_frame *f);
/* Loads a zero-length IDT: the next exception triple-faults. */
void trap_kill_idt(void);

/*
 * Ring 3: fn(arg) runs on a user stack, asking for IOPL 3; returns fn's
 * result.  Some hosts (paravirtual KVM) drop IOPL on the way to ring 3:
 * check RFLAGS in fn before doing port I/O (read_iopl()).
 */
long user_call(long (*fn)(long), long arg, void *stack_top);
noreturn void user_abort(long value);
void *user_stack_top(void);
static inline unsigned int read_iopl(void)
{
	uint64_t f;

	asm volatile("pushfq; pop %0" : "=r"(f));
	return (f >> 12) & 3;
}

/* ACPI. */
struct acpi_header {
	char sig[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));
struct acpi_gas {
	uint8_t space;		/* 0 memory, 1 I/O */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} __attribute__((packed));
uint64_t acpi_find_rsdp(void);
/* The n-th table with this signature (n = 0 for the first), or NULL. */
struct acpi_header *acpi_find_table(const char *sig, int n);
bool acpi_checksum_ok(const void *p, size_t len);
/* Finds the FADT's DSDT, honouring X_DSDT. */
struct acpi_header *acpi_dsdt(void);
/* SLP_TYPa of Name(name, Package() {SLP_TYPa, ...}), e.g. "_S5_"; false if none. */
bool acpi_sleep_type(const struct acpi_header *dsdt, const char *name, uint32_t *typ_a);

/* PCI configuration mechanism #1. */
uint32_t pci_read32(unsigned int bus, unsigned int dev, unsigned int fn, unsigned int off);
void pci_write32(unsigned int bus, unsigned int dev, unsigned int fn, unsigned int off,
		 uint32_t v);

/* fw_cfg (I/O ports 0x510 selector, 0x511 data). */
#define FW_CFG_SIGNATURE	0x0000
#define FW_CFG_ID		0x0001
#define FW_CFG_RAM_SIZE		0x0003
#define FW_CFG_NB_CPUS		0x0005
#define FW_CFG_FILE_DIR		0x0019
void fw_cfg_select(uint16_t key);
void fw_cfg_read(void *buf, size_t len);

/* Local APIC (xAPIC MMIO) and SMP start-up. */
#define LAPIC_BASE	0xfee00000ULL
uint32_t lapic_read(unsigned int reg);
void lapic_write(unsigned int reg, uint32_t v);
unsigned int lapic_id(void);
/* Started APs run fn(cpu_index) on their own stack, then halt. */
typedef void (*ap_fn)(unsigned int index);
/* Sends INIT-SIPI-SIPI to apic_id; true once the AP has entered 64-bit code. */
bool smp_start_ap(unsigned int apic_id, unsigned int index, ap_fn fn);
/* Lists the enabled local APIC IDs from the MADT; returns the count. */
int madt_apic_ids(unsigned int *ids, int max);

#endif
