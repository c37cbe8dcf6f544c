/*
 * Every local APIC listed in the MADT is started with INIT-SIPI-SIPI and
 * checks in from 64-bit code with its own APIC ID.  "cpus=N" on the command
 * line is the number of CPUs the VMM was given (-smp N).
 */
#include "guest.h"

TEST_NAME("smp");

#define LAPIC_SVR	0x0f0

static unsigned int checked_in;
static unsigned int seen_id[MAX_CPUS];

static void ap_check_in(unsigned int index)
{
	unsigned int id = lapic_id();

	seen_id[index] = id;
	__atomic_fetch_add(&checked_in, 1, __ATOMIC_SEQ_CST);
	printf("  cpu %u: APIC ID %u checked in\n", index, id);
}

void test_main(void)
{
	unsigned int ids[MAX_CPUS], bsp = lapic_id(), started = 0;
	uint64_t expect;
	int n;

	if (!cmdline_u64("cpus", &expect))
		fail("no cpus=N on the command line (\"%s\")", cmdline());
	n = madt_apic_ids(ids, MAX_CPUS);
	if (n < 0)
		fail("no MADT (ACPI \"APIC\" table)");
	printf("  MADT lists %d enabled CPUs; the BSP is APIC ID %u\n", n, bsp);
	if ((uint64_t)n != expect)
		fail("MADT lists %d CPUs, expected %lu", n, expect);
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < i; j++) {
			if (ids[i] == ids[j])
				fail("APIC ID %u is listed twice in the MADT", ids[i]);
		}
	}

	lapic_write(LAPIC_SVR, 0x100 | 0xff);	/* software-enable the BSP's APIC */
	for (int i = 0; i < n; i++) {
		if (ids[i] == bsp)
			continue;
		if (!smp_start_ap(ids[i], (unsigned int)i, ap_check_in))
			fail("the AP with APIC ID %u did not start", ids[i]);
		started++;
	}
	for (int t = 0; t < 20000 && __atomic_load_n(&checked_in, __ATOMIC_SEQ_CST) < started;
	     t++)
		udelay(100);
	if (checked_in != started)
		fail("%u of %u APs checked in", checked_in, started);
	for (int i = 0; i < n; i++) {
		if (ids[i] != bsp && seen_id[i] != ids[i])
			fail("the AP started as APIC ID %u reports APIC ID %u", ids[i],
			     seen_id[i]);
	}
	printf("  %u APs checked in; %d CPUs in all\n", checked_in, n);
}
