/*
 * The IOAPIC's destination field and modes, with the PIT's ticks (100 Hz,
 * edge, vector 0x40) on the pin the MADT names and two CPUs (-smp 2): each
 * CPU counts the ticks it takes.  The local APICs use the flat logical model
 * with logical IDs 1 (BSP) and 2 (AP).
 *
 * Checked, each over 200 ms: physical destination AP (only the AP ticks);
 * logical 1 and logical 2 (only that CPU); logical 3, fixed (both CPUs take
 * every tick); logical 3, lowest priority (each tick reaches one of them);
 * a physical destination no CPU has (no CPU ticks); and NMI delivery mode to
 * the AP, with the RTC's IRQ 8 at 64 Hz (NMIs on the AP, vector 0x40 nowhere).
 */
#include "irq.h"

TEST_NAME("irq_route");

#define VEC		0x40
#define HZ		100
#define WINDOW_US	200000
#define LAPIC_LDR	0x0d0
#define LAPIC_DFR	0x0e0
#define RTE_LOWEST	(1ull << 8)
#define RTE_NMI		(4ull << 8)

static unsigned int pin, bsp_id, ap_id;
static volatile unsigned int on_bsp, on_ap, elsewhere, nmi_bsp, nmi_ap;
static volatile bool ap_ready, done;

static bool on_tick(struct trap_frame *f)
{
	unsigned int id = lapic_id();

	if (id == bsp_id)
		__atomic_fetch_add(&on_bsp, 1, __ATOMIC_RELAXED);
	else if (id == ap_id)
		__atomic_fetch_add(&on_ap, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&elsewhere, 1, __ATOMIC_RELAXED);
	lapic_eoi();
	return true;
}

/* NMIs carry no EOI; the RTC wants its register C read. */
static bool on_nmi(struct trap_frame *f)
{
	cmos_read(RTC_REG_C);
	if (lapic_id() == ap_id)
		__atomic_fetch_add(&nmi_ap, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&nmi_bsp, 1, __ATOMIC_RELAXED);
	return true;
}

static void flat_logical(unsigned int logical_id)
{
	lapic_write(LAPIC_DFR, 0xffffffff);
	lapic_write(LAPIC_LDR, logical_id << 24);
}

static void ap_wait(unsigned int index)
{
	lapic_enable();
	flat_logical(2);
	__atomic_store_n(&ap_ready, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE))
		asm volatile("sti; hlt; cli" ::: "memory");
}

/* Routes the pin as given and counts where the ticks go for a window. */
static void phase(const char *what, uint64_t rte, unsigned int *bsp, unsigned int *ap)
{
	ioapic_mask(pin, true);
	irq_window(20000);
	on_bsp = on_ap = 0;
	ioapic_set_rte(pin, rte);
	irq_window(WINDOW_US);
	ioapic_mask(pin, true);
	*bsp = on_bsp;
	*ap = on_ap;
	printf("  %s: RTE 0x%016lx: BSP %u, AP %u\n", what, rte, *bsp, *ap);
	if (elsewhere)
		fail("%u ticks on a CPU that is neither the BSP nor the AP", elsewhere);
}

static uint64_t dest(unsigned int id)
{
	return (uint64_t)id << 56;
}

/*
 * The RTC (64 Hz, edge) rather than the PIT: KVM's in-kernel PIT waits for
 * each tick's EOI before the next (its reinject mode), and an NMI has none.
 */
static void nmi_phase(unsigned int rtc_pin)
{
	const unsigned int low = 64 * WINDOW_US / 1000000 / 3;
	uint8_t a = cmos_read(RTC_REG_A), b = cmos_read(RTC_REG_B);

	/* Unmasked first: an edge on a masked pin is lost, and IRQ 8 would stay high. */
	ioapic_set_rte(rtc_pin, VEC | RTE_NMI | dest(ap_id));
	cmos_write(RTC_REG_A, 0x20 | 0x0a);	/* 64 Hz */
	cmos_read(RTC_REG_C);
	cmos_write(RTC_REG_B, b | RTC_B_PIE);
	irq_window(WINDOW_US);
	ioapic_mask(rtc_pin, true);
	cmos_write(RTC_REG_B, b & ~RTC_B_PIE);
	cmos_write(RTC_REG_A, a);
	cmos_read(RTC_REG_C);
	printf("  RTC as NMI, physical, to the AP: RTE 0x%016lx: NMIs on BSP %u, AP %u; "
	       "vector 0x%x on BSP %u, AP %u\n", ioapic_rte(rtc_pin), nmi_bsp, nmi_ap, VEC,
	       on_bsp, on_ap);
	if (on_bsp || on_ap || nmi_bsp || nmi_ap < low)
		fail("NMI delivery to the AP: expected only NMIs on the AP, %u or more", low);
}

void test_main(void)
{
	const unsigned int want = HZ * WINDOW_US / 1000000, low = want / 3;
	unsigned int ids[MAX_CPUS], b, a;
	int n = madt_apic_ids(ids, MAX_CPUS), ap_index = -1;
	struct irq_routing r;
	unsigned int nobody = 0, rtc_pin;

	bsp_id = lapic_id();
	for (int i = 0; i < n; i++) {
		if (ids[i] != bsp_id && ap_index < 0)
			ap_index = i;
	}
	if (ap_index < 0)
		fail("the MADT lists no AP (%d CPUs): run with -smp 2", n);
	ap_id = ids[ap_index];
	for (int i = 0; i < n; i++)
		nobody = ids[i] >= nobody ? ids[i] + 1 : nobody;
	if (!irq_routing_read(&r))
		fail("the MADT lists no IOAPIC");
	pin = r.isa_gsi[0] - r.gsi_base;
	rtc_pin = r.isa_gsi[8] - r.gsi_base;
	if (pin >= ioapic_pins() || rtc_pin >= ioapic_pins())
		fail("GSIs %u and %u of IRQs 0 and 8 are not both on the IOAPIC", r.isa_gsi[0],
		     r.isa_gsi[8]);

	lapic_enable();
	flat_logical(1);
	ioapic_mask_all();
	trap_set_hook(VEC, on_tick);
	trap_set_hook(2, on_nmi);
	if (!smp_start_ap(ap_id, (unsigned int)ap_index, ap_wait))
		fail("the AP with APIC ID %u did not start", ap_id);
	for (int i = 0; i < 2000 && !__atomic_load_n(&ap_ready, __ATOMIC_ACQUIRE); i++)
		udelay(1000);
	if (!ap_ready)
		fail("the AP with APIC ID %u never got to its wait loop", ap_id);
	printf("  BSP APIC ID %u (logical 1), AP APIC ID %u (logical 2), pin %u\n", bsp_id,
	       ap_id, pin);
	pit_periodic(HZ);

	phase("physical, to the AP", VEC | dest(ap_id), &b, &a);
	if (b || a < low)
		fail("physical destination %u: BSP %u ticks, AP %u (expected 0 and %u or more)",
		     ap_id, b, a, low);
	phase("logical 1 (the BSP)", VEC | RTE_LOGICAL | dest(1), &b, &a);
	if (a || b < low)
		fail("logical destination 1: BSP %u ticks, AP %u (expected %u or more and 0)",
		     b, a, low);
	phase("logical 2 (the AP)", VEC | RTE_LOGICAL | dest(2), &b, &a);
	if (b || a < low)
		fail("logical destination 2: BSP %u ticks, AP %u (expected 0 and %u or more)",
		     b, a, low);
	phase("logical 3, fixed", VEC | RTE_LOGICAL | dest(3), &b, &a);
	if (a < low || b < low || a > b + 2 || b > a + 2)
		fail("logical destination 3, fixed: BSP %u ticks, AP %u (expected each tick "
		     "on both)", b, a);
	phase("logical 3, lowest priority", VEC | RTE_LOGICAL | RTE_LOWEST | dest(3), &b, &a);
	if (a + b < low || a + b > want * 3 / 2 + 2)
		fail("logical destination 3, lowest priority: BSP %u ticks, AP %u (expected "
		     "about %u in all)", b, a, want);
	phase("physical, to no CPU", VEC | dest(nobody), &b, &a);
	if (a || b)
		fail("physical destination %u (no such CPU): BSP %u ticks, AP %u", nobody, b, a);

	pit_quiet();
	nmi_phase(rtc_pin);
	__atomic_store_n(&done, true, __ATOMIC_RELEASE);
	lapic_send_ipi(ap_id, VEC);	/* wakes it to see done */
	irq_window(20000);
}
