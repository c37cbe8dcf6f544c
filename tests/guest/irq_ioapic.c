/*
 * The IOAPIC's registers as an OS reads them before routing anything: the
 * ID register holds the ID the MADT gives it, the version register names a
 * version (0x11 or 0x20) and at least 24 pins, every pin comes up masked,
 * and a redirection entry keeps what is written to its writable bits while
 * delivery status and remote IRR ignore writes.
 */
#include "irq.h"

TEST_NAME("irq_ioapic");

#define RTE_DELIVERY_STATUS	(1ull << 12)
/* vector, delivery mode, destination mode, polarity, trigger, mask, destination */
#define RTE_WRITABLE		(0xff000000000000ffull | 7ull << 8 | RTE_LOGICAL | \
				 RTE_ACTIVE_LOW | RTE_LEVEL | RTE_MASKED)

static const uint64_t patterns[] = {
	0x0f00000000000000ull | RTE_MASKED | 0x31,
	0xa500000000000000ull | RTE_MASKED | RTE_LEVEL | RTE_ACTIVE_LOW | RTE_LOGICAL |
		1ull << 8 | 0xc7,
	RTE_MASKED | RTE_DELIVERY_STATUS | RTE_REMOTE_IRR | 0x40,
	RTE_WRITABLE,
};

void test_main(void)
{
	struct irq_routing r;
	uint32_t id, ver;
	unsigned int pins, version;
	bool id_ok;

	if (!irq_routing_read(&r))
		fail("the MADT lists no IOAPIC");
	id = ioapic_read(0x00);
	ver = ioapic_read(0x01);
	pins = ((ver >> 16) & 0xff) + 1;
	version = ver & 0xff;
	printf("  MADT: IOAPIC ID %u at 0x%lx; ID register 0x%08x, version register 0x%08x "
	       "(version 0x%x, %u pins)\n", r.ioapic_id, r.ioapic_base, id, ver, version, pins);
	/* Checked last, so that a mismatch does not hide the rest. */
	id_ok = ((id >> 24) & 0xf) == (r.ioapic_id & 0xf);
	if (version != 0x11 && version != 0x20)
		fail("version 0x%x is neither 0x11 nor 0x20", version);
	if (pins < 24)
		fail("%u pins, expected 24 or more", pins);

	for (unsigned int pin = 0; pin < pins; pin++) {
		uint64_t e = ioapic_rte(pin);

		if (!(e & RTE_MASKED))
			fail("pin %u is not masked at boot (RTE 0x%016lx)", pin, e);
	}

	for (unsigned int pin = 0; pin < pins; pin++) {
		for (unsigned int i = 0; i < ARRAY_SIZE(patterns); i++) {
			uint64_t want = patterns[i] & RTE_WRITABLE, got;

			ioapic_set_rte(pin, patterns[i]);
			got = ioapic_rte(pin);
			if ((got & (RTE_WRITABLE | RTE_DELIVERY_STATUS | RTE_REMOTE_IRR)) != want)
				fail("pin %u: wrote 0x%016lx, read 0x%016lx (expected 0x%016lx in "
				     "the defined bits)", pin, patterns[i], got, want);
		}
		ioapic_set_rte(pin, RTE_MASKED);
	}
	printf("  %u entries round-tripped on each of %u pins\n",
	       (unsigned int)ARRAY_SIZE(patterns), pins);
	if (!id_ok)
		fail("the ID register says %u, the MADT %u", (id >> 24) & 0xf, r.ioapic_id);
}
