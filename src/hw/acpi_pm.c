// SPDX-License-Identifier: MIT
/*
 * ACPI fixed hardware: the PM1a event block (PM1_STS, PM1_EN), the PM1a
 * control block and the 3.579545 MHz PM timer, at the ports the FADT of
 * x86/acpi.c names.  ACPI is always enabled (the FADT has no SMI_CMD), so
 * SCI_EN reads as 1.  S5 powers the VM off; S3 stops the vCPUs until a wake
 * source enabled in PM1_EN fires (RTC_EN: the RTC alarm), after which the
 * machine is rebuilt and reports WAK_STS and what woke it; other sleep
 * states are ignored (the DSDT offers none).
 *
 * The SCI (GSI 9, level) follows PM1_STS & PM1_EN, including the timer's
 * TMR_STS, set each time the counter's top bit flips (every ~600 s).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "memory.h"
#include "util/log.h"
#include "util/timer.h"
#include "vm.h"
#include "x86/acpi.h"

#define PM1_STS_BITS (ACPI_PM1_TMR | ACPI_PM1_BM_STS | ACPI_PM1_GBL |        \
		      ACPI_PM1_PWRBTN | ACPI_PM1_SLPBTN | ACPI_PM1_RTC |     \
		      ACPI_PM1_WAK_STS)
#define PM1_EN_BITS (ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN |          \
		     ACPI_PM1_SLPBTN | ACPI_PM1_RTC)
#define PM1_CNT_BITS (ACPI_PM1_CNT_BM_RLD | ACPI_PM1_CNT_SLP_TYP)
#define PM_TMR_MSB_SHIFT 31

struct acpi_pm {
	struct vm *vm;
	uint16_t sts, en, cnt;
	uint64_t tmr_flips;	/* counter top-bit flips already in sts */
	struct timer tmr_timer;
	int sci_level;
};

static struct acpi_pm *pm_state;

/* The 3.579545 MHz tick count at ns of VM clock. */
static uint64_t pm_ticks_at(uint64_t ns)
{
	return (unsigned __int128)ns * ACPI_PM_TMR_HZ / 1000000000ULL;
}

/* The first VM-clock ns at which the tick count reaches ticks. */
static uint64_t pm_ns_of_tick(uint64_t ticks)
{
	unsigned __int128 num = (unsigned __int128)ticks * 1000000000ULL;

	return (num + ACPI_PM_TMR_HZ - 1) / ACPI_PM_TMR_HZ;
}

static void pm_update_sci(struct acpi_pm *pm)
{
	int level = (pm->sts & pm->en & PM1_EN_BITS) != 0;

	if (level == pm->sci_level)
		return;
	pm->sci_level = level;
	vm_set_irq(pm->vm, ACPI_SCI_IRQ, level);
}

/* Latch TMR_STS if the top bit flipped since we last looked. */
static void pm_tmr_sync(struct acpi_pm *pm)
{
	uint64_t flips = pm_ticks_at(vm_clock_ns()) >> PM_TMR_MSB_SHIFT;

	if (flips != pm->tmr_flips) {
		pm->tmr_flips = flips;
		pm->sts |= ACPI_PM1_TMR;
	}
}

/* Only an enabled timer interrupt needs a wake-up; status is lazy. */
static void pm_tmr_arm(struct acpi_pm *pm)
{
	uint64_t next;

	if (!(pm->en & ACPI_PM1_TMR)) {
		timer_del(&pm->tmr_timer);
		return;
	}
	next = (pm->tmr_flips + 1) << PM_TMR_MSB_SHIFT;
	timer_mod(&pm->tmr_timer, pm_ns_of_tick(next));
}

static void pm_tmr_expired(void *opaque)
{
	struct acpi_pm *pm = opaque;

	pm_tmr_sync(pm);
	pm_update_sci(pm);
	pm_tmr_arm(pm);
}

static void pm1_evt_io(void *opaque, uint64_t offset, uint8_t *data,
		       uint32_t len, bool is_write)
{
	struct acpi_pm *pm = opaque;

	pm_tmr_sync(pm);
	if (!is_write) {
		uint32_t regs = pm->sts | (uint32_t)pm->en << 16;

		for (uint32_t i = 0; i < len; i++) {
			uint64_t o = offset + i;

			data[i] = o < ACPI_PM1_EVT_LEN ? regs >> (8 * o) : 0;
		}
		return;
	}
	for (uint32_t i = 0; i < len; i++) {
		uint64_t o = offset + i;
		unsigned int shift = 8 * (o & 1);

		if (o < 2) {
			/* PM1_STS: write one to clear. */
			pm->sts &= ~((uint16_t)data[i] << shift);
		} else if (o < 4) {
			pm->en &= ~(0xff << shift);
			pm->en |= (data[i] << shift) & PM1_EN_BITS;
		}
	}
	vm_set_wake_sources(pm->vm, pm->en & ACPI_PM1_RTC ? VM_WAKE_RTC : 0);
	pm_update_sci(pm);
	pm_tmr_arm(pm);
}

static void pm1_sleep(struct acpi_pm *pm, unsigned int slp_typ)
{
	if (slp_typ == ACPI_SLP_TYP_S5) {
		log_debug("ACPI: guest entered S5, powering off");
		vm_request_poweroff(pm->vm);
		return;
	}
	if (slp_typ == ACPI_SLP_TYP_S3) {
		vm_request_suspend(pm->vm);
		return;
	}
	log_guest_error_once("ACPI: guest asked for sleep type %u; only S3 (suspend to RAM) and S5 (soft off) are supported, ignored",
			     slp_typ);
}

static void pm1_cnt_io(void *opaque, uint64_t offset, uint8_t *data,
		       uint32_t len, bool is_write)
{
	struct acpi_pm *pm = opaque;
	uint16_t v = pm->cnt | ACPI_PM1_CNT_SCI_EN;

	if (!is_write) {
		for (uint32_t i = 0; i < len; i++) {
			uint64_t o = offset + i;

			data[i] = o < ACPI_PM1_CNT_LEN ? v >> (8 * o) : 0;
		}
		return;
	}
	for (uint32_t i = 0; i < len; i++) {
		uint64_t o = offset + i;

		if (o >= ACPI_PM1_CNT_LEN)
			break;
		v &= ~(0xff << (8 * o));
		v |= data[i] << (8 * o);
	}
	/* SLP_EN and GBL_RLS are write-only actions; SCI_EN is fixed. */
	pm->cnt = v & PM1_CNT_BITS;
	if (v & ACPI_PM1_CNT_SLP_EN)
		pm1_sleep(pm, (v & ACPI_PM1_CNT_SLP_TYP) >>
				      ACPI_PM1_CNT_SLP_TYP_SHIFT);
}

static void pm_tmr_io(void *opaque, uint64_t offset, uint8_t *data,
		      uint32_t len, bool is_write)
{
	uint32_t count;

	if (is_write)
		return;
	count = pm_ticks_at(vm_clock_ns());
	for (uint32_t i = 0; i < len; i++) {
		uint64_t o = offset + i;

		data[i] = o < ACPI_PM_TMR_LEN ? count >> (8 * o) : 0;
	}
}

void acpi_pm_power_button(struct vm *vm)
{
	struct acpi_pm *pm = pm_state;

	if (!pm)
		return;
	pm->sts |= ACPI_PM1_PWRBTN;
	pm_update_sci(pm);
}

static void acpi_pm_reset(struct vm *vm)
{
	struct acpi_pm *pm = pm_state;

	if (!pm)
		return;
	timer_del(&pm->tmr_timer);
	pm->sts = 0;
	pm->en = 0;
	pm->cnt = 0;
	vm_set_wake_sources(vm, 0);
	pm->tmr_flips = pm_ticks_at(vm_clock_ns()) >> PM_TMR_MSB_SHIFT;
	pm_update_sci(pm);
}

static void acpi_pm_teardown(struct vm *vm)
{
	struct acpi_pm *pm = pm_state;

	if (!pm)
		return;
	timer_del(&pm->tmr_timer);
	bus_unregister(&pio_bus, ACPI_PM1_EVT_BLK);
	bus_unregister(&pio_bus, ACPI_PM1_CNT_BLK);
	bus_unregister(&pio_bus, ACPI_PM_TMR_BLK);
	free(pm);
	pm_state = NULL;
}

static int acpi_pm_realize(struct vm *vm)
{
	static const struct {
		uint16_t base, len;
		io_handler_fn fn;
		const char *name;
	} ranges[] = {
		{ ACPI_PM1_EVT_BLK, ACPI_PM1_EVT_LEN, pm1_evt_io, "acpi-pm1a-evt" },
		{ ACPI_PM1_CNT_BLK, ACPI_PM1_CNT_LEN, pm1_cnt_io, "acpi-pm1a-cnt" },
		{ ACPI_PM_TMR_BLK, ACPI_PM_TMR_LEN, pm_tmr_io, "acpi-pm-tmr" },
	};
	struct acpi_pm *pm;
	unsigned int i;
	int ret;

	pm = calloc(1, sizeof(*pm));
	if (!pm) {
		log_error("ACPI PM: out of memory");
		return -ENOMEM;
	}
	pm->vm = vm;
	/* Back from S3: say so, and what woke the machine. */
	if (atomic_load(&vm->woken_by))
		pm->sts = ACPI_PM1_WAK_STS |
			  (atomic_load(&vm->woken_by) & VM_WAKE_RTC ?
				   ACPI_PM1_RTC : 0);
	pm->tmr_flips = pm_ticks_at(vm_clock_ns()) >> PM_TMR_MSB_SHIFT;
	timer_init(&pm->tmr_timer, pm_tmr_expired, pm);
	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		ret = bus_register(&pio_bus, ranges[i].base, ranges[i].len,
				   ranges[i].fn, pm, ranges[i].name);
		if (ret) {
			log_error("ACPI PM: cannot claim ports 0x%x-0x%x: %s",
				  ranges[i].base,
				  ranges[i].base + ranges[i].len - 1,
				  strerror(-ret));
			goto err;
		}
	}
	pm_state = pm;
	return 0;

err:
	while (i-- > 0)
		bus_unregister(&pio_bus, ranges[i].base);
	free(pm);
	return ret;
}

const struct device_ops acpi_pm_device = {
	.name = "acpi-pm",
	.order = DEVICE_ORDER_PLATFORM,
	.realize = acpi_pm_realize,
	.reset = acpi_pm_reset,
	.teardown = acpi_pm_teardown,
};
DEVICE_REGISTER(acpi_pm_device);
