/* Local APIC access, the MADT, and INIT-SIPI-SIPI start-up of APs. */
#include "guest.h"

#define LAPIC_ID	0x020
#define LAPIC_ICR_LO	0x300
#define LAPIC_ICR_HI	0x310
#define ICR_PENDING	(1u << 12)
#define ICR_ASSERT	(1u << 14)
#define ICR_INIT	0x500
#define ICR_STARTUP	0x600

extern char tramp_start[], tramp_end[], tramp_gdtr[], tramp_cr3[];
extern char pml4[];
extern uint64_t gdt[];
extern char gdt_ptr32[];

/* Handed from the BSP to the AP being started (one at a time). */
uint64_t ap_boot_stack;
static volatile ap_fn ap_boot_fn;
static volatile unsigned int ap_boot_index;
static volatile int ap_started;
static char ap_stacks[MAX_CPUS][AP_STACK_SIZE] __attribute__((aligned(16), section(".bss.stack")));

void ap_main(void);

uint32_t lapic_read(unsigned int reg)
{
	return mmio_read32(LAPIC_BASE + reg);
}

void lapic_write(unsigned int reg, uint32_t v)
{
	mmio_write32(LAPIC_BASE + reg, v);
}

unsigned int lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void ap_main(void)
{
	ap_fn fn = ap_boot_fn;
	unsigned int index = ap_boot_index;

	trap_load_idt();
	__atomic_store_n(&ap_started, 1, __ATOMIC_RELEASE);
	if (fn)
		fn(index);
}

int madt_apic_ids(unsigned int *ids, int max)
{
	const struct acpi_header *madt = acpi_find_table("APIC", 0);
	const uint8_t *p, *end;
	int n = 0;

	if (!madt)
		return -1;
	p = (const uint8_t *)madt + 44;
	end = (const uint8_t *)madt + madt->length;
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		uint32_t flags, id;

		if (p[0] == 0 && p[1] >= 8) {			/* processor local APIC */
			memcpy(&flags, p + 4, 4);
			id = p[3];
		} else if (p[0] == 9 && p[1] >= 16) {		/* processor local x2APIC */
			memcpy(&id, p + 4, 4);
			memcpy(&flags, p + 8, 4);
		} else {
			p += p[1];
			continue;
		}
		if ((flags & 1) && n < max)
			ids[n++] = id;
		p += p[1];
	}
	return n;
}

static bool icr_send(unsigned int apic_id, uint32_t lo)
{
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, lo);
	for (int i = 0; i < 100000; i++) {
		if (!(lapic_read(LAPIC_ICR_LO) & ICR_PENDING))
			return true;
		cpu_relax();
	}
	printf("%s: IPI 0x%x to APIC %u still pending\n", test_name, lo, apic_id);
	return false;
}

/* The trampoline page must be RAM the memory map gives us. */
static bool trampoline_page_usable(void)
{
	struct mem_range r[MAX_MEM_RANGES];
	int n = memmap(r, MAX_MEM_RANGES);

	for (int i = 0; i < n; i++) {
		if (r[i].type == MEM_USABLE && r[i].base <= TRAMPOLINE_BASE &&
		    r[i].base + r[i].len >= TRAMPOLINE_BASE + 4096)
			return true;
	}
	return false;
}

static void trampoline_install(void)
{
	uint8_t *base = (uint8_t *)TRAMPOLINE_BASE;

	if (!trampoline_page_usable())
		fail("the AP trampoline page 0x%x is not usable RAM in the memory map",
		     TRAMPOLINE_BASE);

	memcpy(base, tramp_start, tramp_end - tramp_start);
	memcpy(base + (tramp_gdtr - tramp_start), gdt_ptr32, 6);
	*(uint32_t *)(base + (tramp_cr3 - tramp_start)) = (uint32_t)(uintptr_t)pml4;
}

static bool wait_started(unsigned int ms)
{
	for (unsigned int i = 0; i < ms * 10; i++) {
		if (__atomic_load_n(&ap_started, __ATOMIC_ACQUIRE))
			return true;
		udelay(100);
	}
	return __atomic_load_n(&ap_started, __ATOMIC_ACQUIRE);
}

bool smp_start_ap(unsigned int apic_id, unsigned int index, ap_fn fn)
{
	const uint32_t sipi = ICR_STARTUP | ICR_ASSERT | (TRAMPOLINE_BASE >> 12);

	if (apic_id > 0xff || index >= MAX_CPUS)
		return false;
	trampoline_install();
	ap_boot_stack = (uintptr_t)ap_stacks[index] + AP_STACK_SIZE;
	ap_boot_fn = fn;
	ap_boot_index = index;
	__atomic_store_n(&ap_started, 0, __ATOMIC_RELEASE);

	if (!icr_send(apic_id, ICR_INIT | ICR_ASSERT))
		return false;
	udelay(10000);
	if (!icr_send(apic_id, sipi))
		return false;
	if (wait_started(1))
		return true;
	if (!icr_send(apic_id, sipi))
		return false;
	return wait_started(2000);
}
