/*
 * Delays from the ACPI PM timer (3.579545 MHz, named by the FADT), or, if
 * there is none, from port-0x80 writes, each of which costs at least a
 * microsecond on any VMM.
 */
#include "guest.h"
#include "irq.h"

#define PM_TIMER_HZ	3579545ULL

static int pm_timer_state;	/* 0 unknown, 1 present, -1 absent */
static uint16_t pm_timer_port;
static uint32_t pm_timer_mask;

static void pm_timer_find(void)
{
	const uint8_t *fadt = (const void *)acpi_find_table("FACP", 0);
	const struct acpi_header *h = (const void *)fadt;
	uint32_t port = 0, flags = 0;

	pm_timer_state = -1;
	if (!fadt || h->length < 116)
		return;
	memcpy(&port, fadt + 76, 4);
	memcpy(&flags, fadt + 112, 4);
	if (h->length >= 220) {
		struct acpi_gas g;

		memcpy(&g, fadt + 208, sizeof(g));
		if (g.address && g.space == 1)
			port = (uint32_t)g.address;
	}
	if (!port || port > 0xfffc)
		return;
	pm_timer_port = (uint16_t)port;
	pm_timer_mask = (flags & (1u << 8)) ? 0xffffffffu : 0xffffffu;
	pm_timer_state = 1;
}

void udelay(unsigned int us)
{
	uint64_t ticks, elapsed = 0;
	unsigned int stuck = 0;
	uint32_t last;

	if (!pm_timer_state)
		pm_timer_find();
	if (pm_timer_state < 0) {
		while (us--)
			io_delay();
		return;
	}
	ticks = us * PM_TIMER_HZ / 1000000 + 1;
	last = inl(pm_timer_port) & pm_timer_mask;
	while (elapsed < ticks) {
		uint32_t now = inl(pm_timer_port) & pm_timer_mask;

		if (now == last && ++stuck > 100000) {
			printf("%s: the PM timer at port 0x%x does not tick\n", test_name,
			       pm_timer_port);
			pm_timer_state = -1;
			udelay(us);
			return;
		}
		elapsed += (now - last) & pm_timer_mask;
		last = now;
	}
}

/* The PM timer extended to 64 bits: its 24-bit count wraps every 4.7 s. */
bool time_us(uint64_t *us)
{
	static uint64_t total;
	static uint32_t last;
	static bool started;
	uint32_t now;

	if (!pm_timer_state)
		pm_timer_find();
	if (pm_timer_state < 0)
		return false;
	now = inl(pm_timer_port) & pm_timer_mask;
	if (started)
		total += (now - last) & pm_timer_mask;
	started = true;
	last = now;
	*us = total * 1000000 / PM_TIMER_HZ;
	return true;
}
