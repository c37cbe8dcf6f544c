/*
 * Fixed IPIs through the local APIC's ICR: the BSP sends vector 0x50 to an
 * AP (physical destination), whose handler answers with vector 0x51 to the
 * BSP.  Ten round trips, each awaited before the next; every interrupt must
 * arrive on the CPU it was sent to, once.  The AP waits in `sti; hlt`, so
 * the IPI also wakes a halted CPU.  Needs -smp 2 or more; the first AP in
 * the MADT answers.
 */
#include "irq.h"

TEST_NAME("irq_ipi");

#define VEC_TO_AP	0x50
#define VEC_TO_BSP	0x51
#define ROUNDS		10

static unsigned int bsp_id, ap_id;
static volatile unsigned int ap_got, bsp_got, wrong_cpu, send_failed;
static volatile bool ap_ready, done;

static bool on_ap_ipi(struct trap_frame *f)
{
	if (lapic_id() != ap_id)
		wrong_cpu++;
	ap_got++;
	lapic_eoi();
	if (!lapic_send_ipi(bsp_id, VEC_TO_BSP))
		send_failed++;
	return true;
}

static bool on_bsp_ipi(struct trap_frame *f)
{
	if (lapic_id() != bsp_id)
		wrong_cpu++;
	bsp_got++;
	lapic_eoi();
	return true;
}

static void ap_wait(unsigned int index)
{
	lapic_enable();
	__atomic_store_n(&ap_ready, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE))
		asm volatile("sti; hlt; cli" ::: "memory");
}

void test_main(void)
{
	unsigned int ids[MAX_CPUS];
	int n = madt_apic_ids(ids, MAX_CPUS), ap_index = -1;

	bsp_id = lapic_id();
	for (int i = 0; i < n; i++) {
		if (ids[i] != bsp_id) {
			ap_index = i;
			break;
		}
	}
	if (ap_index < 0)
		fail("the MADT lists no AP (%d CPUs): run with -smp 2", n);
	ap_id = ids[ap_index];
	lapic_enable();
	trap_set_hook(VEC_TO_AP, on_ap_ipi);
	trap_set_hook(VEC_TO_BSP, on_bsp_ipi);
	if (!smp_start_ap(ap_id, (unsigned int)ap_index, ap_wait))
		fail("the AP with APIC ID %u did not start", ap_id);
	for (int i = 0; i < 2000 && !__atomic_load_n(&ap_ready, __ATOMIC_ACQUIRE); i++)
		udelay(1000);
	if (!ap_ready)
		fail("the AP with APIC ID %u never got to its wait loop", ap_id);
	udelay(5000);	/* let it reach hlt */
	printf("  BSP APIC ID %u, AP APIC ID %u\n", bsp_id, ap_id);

	for (unsigned int round = 1; round <= ROUNDS; round++) {
		if (!lapic_send_ipi(ap_id, VEC_TO_AP))
			fail("round %u: the ICR stayed busy sending to APIC ID %u", round, ap_id);
		if (irq_wait(&bsp_got, round, 500000) < round)
			fail("round %u: no answer in 500 ms (the AP took %u of %u IPIs)", round,
			     ap_got, round);
		if (ap_got != round || bsp_got != round)
			fail("round %u: the AP took %u IPIs and the BSP %u", round, ap_got,
			     bsp_got);
	}
	irq_window(20000);
	__atomic_store_n(&done, true, __ATOMIC_RELEASE);
	lapic_send_ipi(ap_id, VEC_TO_AP);	/* wakes it to see done */
	irq_window(20000);
	printf("  %u round trips: the AP took %u IPIs, the BSP %u\n", ROUNDS, ap_got, bsp_got);
	if (wrong_cpu)
		fail("%u IPIs were handled by the wrong CPU", wrong_cpu);
	if (send_failed)
		fail("the AP's ICR stayed busy %u times", send_failed);
	if (ap_got != ROUNDS + 1 || bsp_got != ROUNDS + 1)
		fail("after the last round the AP took %u IPIs and the BSP %u (expected %u)",
		     ap_got, bsp_got, ROUNDS + 1);
}
