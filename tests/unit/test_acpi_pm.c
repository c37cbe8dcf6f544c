// SPDX-License-Identifier: MIT
/*
 * The ACPI fixed hardware and the reset control register, driven through
 * the real port bus on a hand-made VM: PM1 status/enable (write-one-to-
 * clear, the SCI level on GSI 9), PM1 control (SCI_EN fixed, S5 powers
 * off, S3 suspends, other sleep types ignored), S3 wake sources, the PM timer on the virtual clock
 * (rate, 32-bit wrap, TMR_STS), and 0xCF9 alone or sharing the PCI
 * host's 0xCF8 range.
 */
#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "device.h"
#include "memory.h"
#include "unit.h"
#include "bus_io.h"
#include "util/timer.h"
#include "vm.h"
#include "x86/acpi.h"

static struct vm_config cfg = { .ram_size = 16 << 20, .ncpus = 1 };
static struct vm vm = { .cfg = &cfg, .ncpus = 1 };
static int sci_level = -1, sci_changes;

static void intercept(void *opaque, unsigned int gsi, int level)
{
	CHECK_EQ(gsi, ACPI_SCI_IRQ);
	sci_level = level;
	sci_changes++;
}

static int take_request(void)
{
	int r = atomic_exchange(&vm.request, VM_REQ_NONE);

	return r;
}

static void test_pm1_evt(void)
{
	CHECK_EQ(in(ACPI_PM1_EVT_BLK, 2), 0);
	CHECK_EQ(in(ACPI_PM1_EVT_BLK + 2, 2), 0);

	/* PM1_EN keeps the defined bits only. */
	out(ACPI_PM1_EVT_BLK + 2, 2, 0xffff);
	CHECK_EQ(in(ACPI_PM1_EVT_BLK + 2, 2),
		 ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | ACPI_PM1_SLPBTN |
		 ACPI_PM1_RTC);
	out(ACPI_PM1_EVT_BLK + 2, 2, 0);
	CHECK_EQ(sci_changes, 0);

	/* A power-button press with the event disabled: status, no SCI. */
	bus_lock();
	acpi_pm_power_button(&vm);
	bus_unlock();
	CHECK_EQ(in(ACPI_PM1_EVT_BLK, 2), ACPI_PM1_PWRBTN);
	CHECK_EQ(sci_changes, 0);
	/* Enabling it raises the SCI; clearing the status drops it. */
	out(ACPI_PM1_EVT_BLK + 2, 2, ACPI_PM1_PWRBTN);
	CHECK_EQ(sci_level, 1);
	CHECK_EQ(in(ACPI_PM1_EVT_BLK, 4),
		 ACPI_PM1_PWRBTN | (uint32_t)ACPI_PM1_PWRBTN << 16);
	out(ACPI_PM1_EVT_BLK, 2, 0x0001);	/* other bit: no effect */
	CHECK_EQ(in(ACPI_PM1_EVT_BLK, 2), ACPI_PM1_PWRBTN);
	CHECK_EQ(sci_level, 1);
	out(ACPI_PM1_EVT_BLK + 1, 1, ACPI_PM1_PWRBTN >> 8);	/* byte access */
	CHECK_EQ(in(ACPI_PM1_EVT_BLK, 2), 0);
	CHECK_EQ(sci_level, 0);
	CHECK_EQ(sci_changes, 2);

	/* Enabled first, then pressed: the SCI rises at the press. */
	bus_lock();
	acpi_pm_power_button(&vm);
	bus_unlock();
	CHECK_EQ(sci_level, 1);
	out(ACPI_PM1_EVT_BLK, 4, 0xffff);	/* 32-bit: clear all, EN = 0 */
	CHECK_EQ(sci_level, 0);
	CHECK_EQ(in(ACPI_PM1_EVT_BLK, 4), 0);
}

/* S3 wake-up: only from a source PM1_EN enabled, only while suspended. */
static void test_s3_wake(void)
{
	out(ACPI_PM1_EVT_BLK + 2, 2, ACPI_PM1_RTC);
	CHECK_EQ(atomic_load(&vm.wake_sources), VM_WAKE_RTC);
	vm_request_wakeup(&vm, VM_WAKE_RTC);		/* awake: nothing */
	CHECK_EQ(take_request(), VM_REQ_NONE);
	atomic_store(&vm.suspended, true);
	vm_request_wakeup(&vm, VM_WAKE_RTC);
	CHECK_EQ(take_request(), VM_REQ_WAKE);
	CHECK_EQ(atomic_load(&vm.woken_by), VM_WAKE_RTC);
	out(ACPI_PM1_EVT_BLK + 2, 2, 0);
	CHECK_EQ(atomic_load(&vm.wake_sources), 0);
	atomic_store(&vm.woken_by, 0);
	vm_request_wakeup(&vm, VM_WAKE_RTC);		/* not enabled */
	CHECK_EQ(take_request(), VM_REQ_NONE);
	CHECK_EQ(atomic_load(&vm.woken_by), 0);
	atomic_store(&vm.suspended, false);
	CHECK_EQ(in(ACPI_PM1_EVT_BLK, 2) & ACPI_PM1_WAK_STS, 0);
}

/* A machine rebuilt to resume shows WAK_STS and what woke it. */
static void test_resumed_status(void)
{
	atomic_store(&vm.woken_by, VM_WAKE_RTC);
	CHECK_EQ(acpi_pm_device.realize(&vm), 0);
	CHECK_EQ(in(ACPI_PM1_EVT_BLK, 2), ACPI_PM1_WAK_STS | ACPI_PM1_RTC);
	CHECK_EQ(in(ACPI_PM1_EVT_BLK + 2, 2), 0);	/* nothing enabled */
	out(ACPI_PM1_EVT_BLK, 2, ACPI_PM1_WAK_STS | ACPI_PM1_RTC);
	CHECK_EQ(in(ACPI_PM1_EVT_BLK, 2), 0);
	acpi_pm_device.teardown(&vm);
	atomic_store(&vm.woken_by, 0);
}

static void test_pm1_cnt(void)
{
	CHECK_EQ(in(ACPI_PM1_CNT_BLK, 2), ACPI_PM1_CNT_SCI_EN);
	/* SCI_EN cannot be cleared: there is no legacy mode to go back to. */
	out(ACPI_PM1_CNT_BLK, 2, 0);
	CHECK_EQ(in(ACPI_PM1_CNT_BLK, 2) & ACPI_PM1_CNT_SCI_EN, 1);

	/* SLP_TYP alone is latched, nothing happens. */
	out(ACPI_PM1_CNT_BLK, 2, 5 << 10);
	CHECK_EQ(in(ACPI_PM1_CNT_BLK, 2), 5 << 10 | ACPI_PM1_CNT_SCI_EN);
	CHECK_EQ(take_request(), VM_REQ_NONE);
	/* Sleep states other than S3 and S5 are refused. */
	out(ACPI_PM1_CNT_BLK, 2, 2 << 10 | ACPI_PM1_CNT_SLP_EN);
	out(ACPI_PM1_CNT_BLK, 2, 5 << 10 | ACPI_PM1_CNT_SLP_EN);
	CHECK_EQ(take_request(), VM_REQ_NONE);
	/* S3: suspend. */
	out(ACPI_PM1_CNT_BLK, 2, ACPI_SLP_TYP_S3 << 10 | ACPI_PM1_CNT_SLP_EN);
	CHECK_EQ(take_request(), VM_REQ_SUSPEND);
	/* SLP_EN reads back as 0. */
	CHECK_EQ(in(ACPI_PM1_CNT_BLK, 2) & ACPI_PM1_CNT_SLP_EN, 0);

	/* S5: power off, status 0. */
	atomic_store(&vm.exit_status, 99);
	out(ACPI_PM1_CNT_BLK, 2, ACPI_SLP_TYP_S5 << 10 | ACPI_PM1_CNT_SLP_EN);
	CHECK_EQ(take_request(), VM_REQ_EXIT);
	CHECK_EQ(atomic_load(&vm.exit_status), 0);

	/* The same through a byte write of the high half, as Linux may do. */
	out(ACPI_PM1_CNT_BLK, 2, 0);
	out(ACPI_PM1_CNT_BLK + 1, 1, (ACPI_SLP_TYP_S5 << 10 | ACPI_PM1_CNT_SLP_EN) >> 8);
	CHECK_EQ(take_request(), VM_REQ_EXIT);
}

static void test_pm_timer(void)
{
	const uint64_t s = 1000000000ULL;

	/* 3.579545 MHz from the virtual clock, deterministic. */
	CHECK_EQ(in(ACPI_PM_TMR_BLK, 4), 0);
	vm_clock_warp(1000000);			/* 1 ms */
	CHECK_EQ(in(ACPI_PM_TMR_BLK, 4), 3579);
	vm_clock_warp(s);
	CHECK_EQ(in(ACPI_PM_TMR_BLK, 4), 3579545);
	CHECK_EQ(in(ACPI_PM_TMR_BLK, 1), 3579545 & 0xff);
	CHECK_EQ(in(ACPI_PM_TMR_BLK + 2, 2), 3579545 >> 16);
	out(ACPI_PM_TMR_BLK, 4, 0);		/* read-only */
	CHECK_EQ(in(ACPI_PM_TMR_BLK, 4), 3579545);
	CHECK_EQ(in(ACPI_PM1_EVT_BLK, 2) & ACPI_PM1_TMR, 0);

	/* Bit 31 flips at 2^31 ticks (~600 s): TMR_STS, lazily. */
	uint64_t flip = ((1ULL << 31) * s + ACPI_PM_TMR_HZ - 1) / ACPI_PM_TMR_HZ;

	vm_clock_warp(flip - 1);
	CHECK_EQ(in(ACPI_PM_TMR_BLK, 4), 0x7fffffff);
	CHECK_EQ(in(ACPI_PM1_EVT_BLK, 2) & ACPI_PM1_TMR, 0);
	vm_clock_warp(flip);
	CHECK_EQ(in(ACPI_PM_TMR_BLK, 4), 0x80000000);
	CHECK_EQ(in(ACPI_PM1_EVT_BLK, 2) & ACPI_PM1_TMR, ACPI_PM1_TMR);
	out(ACPI_PM1_EVT_BLK, 2, ACPI_PM1_TMR);
	CHECK_EQ(in(ACPI_PM1_EVT_BLK, 2) & ACPI_PM1_TMR, 0);

	/* With TMR_EN, a timer raises the SCI at the next flip (2^32 ticks). */
	uint64_t wrap = ((1ULL << 32) * s + ACPI_PM_TMR_HZ - 1) / ACPI_PM_TMR_HZ;

	sci_changes = 0;
	out(ACPI_PM1_EVT_BLK + 2, 2, ACPI_PM1_TMR);
	CHECK_EQ(timers_next_deadline(), wrap);
	vm_clock_warp(wrap - 1);
	CHECK_EQ(sci_changes, 0);
	vm_clock_warp(wrap + 5 * s);
	CHECK_EQ(sci_level, 1);
	CHECK_EQ(sci_changes, 1);
	/* The counter wrapped to small values. */
	CHECK(in(ACPI_PM_TMR_BLK, 4) < 6 * ACPI_PM_TMR_HZ);
	out(ACPI_PM1_EVT_BLK, 2, ACPI_PM1_TMR);
	CHECK_EQ(sci_level, 0);
	/* Re-armed for the following flip; disabling disarms it. */
	CHECK(timers_next_deadline() > wrap && timers_next_deadline() < UINT64_MAX);
	out(ACPI_PM1_EVT_BLK + 2, 2, 0);
	CHECK_EQ(timers_next_deadline(), UINT64_MAX);
}

static int pci_accesses;
static uint64_t pci_last_offset;
static uint32_t pci_last_len;

static void fake_pci(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		     bool is_write)
{
	pci_accesses++;
	pci_last_offset = offset;
	pci_last_len = len;
	if (!is_write)
		memset(data, 0x5a, len);
}

static void check_rcr(void)
{
	CHECK_EQ(in(ACPI_RESET_PORT, 1), 0);
	out(ACPI_RESET_PORT, 1, RCR_SYS_RST);
	CHECK_EQ(in(ACPI_RESET_PORT, 1), RCR_SYS_RST);
	CHECK_EQ(take_request(), VM_REQ_NONE);
	out(ACPI_RESET_PORT, 1, 0xfb);		/* no RST_CPU: only latched */
	CHECK_EQ(take_request(), VM_REQ_NONE);
	CHECK_EQ(in(ACPI_RESET_PORT, 1), RCR_SYS_RST);	/* only SYS_RST kept */
	out(ACPI_RESET_PORT, 1, 0x01);
	CHECK_EQ(in(ACPI_RESET_PORT, 1), 0);
	out(ACPI_RESET_PORT, 1, RCR_RST_CPU);	/* RST_CPU alone resets too */
	CHECK_EQ(take_request(), VM_REQ_RESET);
	CHECK_EQ(in(ACPI_RESET_PORT, 1), 0);
	out(ACPI_RESET_PORT, 1, ACPI_RESET_VALUE);	/* the FADT's way */
	CHECK_EQ(take_request(), VM_REQ_RESET);
	/* Linux's reboot=pci: 0x02, then 0x06. */
	out(ACPI_RESET_PORT, 1, 0x02);
	CHECK_EQ(take_request(), VM_REQ_NONE);
	out(ACPI_RESET_PORT, 1, 0x06);
	CHECK_EQ(take_request(), VM_REQ_RESET);
	/* -no-reboot: a reset request ends kvmrun instead. */
	cfg.no_reboot = true;
	out(ACPI_RESET_PORT, 1, ACPI_RESET_VALUE);
	CHECK_EQ(take_request(), VM_REQ_EXIT);
	cfg.no_reboot = false;
}

static void test_reset_alone(void)
{
	CHECK_EQ(reset_control_device.realize(&vm), 0);
	check_rcr();
	reset_control_device.teardown(&vm);
	CHECK(bus_find(&pio_bus, ACPI_RESET_PORT) == NULL);
}

/* The PCI host bridge owns 0xCF8-0xCFF: 0xCF9 bytes still reach us. */
static void test_reset_shared(void)
{
	const struct bus_range *r;

	CHECK_EQ(bus_register(&pio_bus, 0xcf8, 8, fake_pci, NULL, "pci-conf"), 0);
	CHECK_EQ(reset_control_device.realize(&vm), 0);
	check_rcr();
	CHECK_EQ(pci_accesses, 0);

	out(0xcf8, 4, 0x80000000);
	CHECK_EQ(pci_accesses, 1);
	CHECK_EQ(pci_last_offset, 0);
	CHECK_EQ(pci_last_len, 4);
	CHECK_EQ(in(0xcfc, 1), 0x5a);
	CHECK_EQ(pci_last_offset, 4);
	CHECK_EQ(in(0xcf9 - 1, 2), 0x5a5a);	/* not a byte at 0xCF9 */
	CHECK_EQ(pci_accesses, 3);
	out(0xcfa, 2, 0);
	CHECK_EQ(pci_last_offset, 2);
	CHECK_EQ(take_request(), VM_REQ_NONE);

	reset_control_device.teardown(&vm);
	r = bus_find(&pio_bus, 0xcf9);
	CHECK(r && r->fn == fake_pci && r->base == 0xcf8 && r->len == 8);
	out(ACPI_RESET_PORT, 1, ACPI_RESET_VALUE);
	CHECK_EQ(take_request(), VM_REQ_NONE);
	CHECK_EQ(bus_unregister(&pio_bus, 0xcf8), 0);
}

int main(void)
{
	struct guest_mem mem;

	vm_clock_use_virtual();
	CHECK_EQ(guest_mem_init(&mem, cfg.ram_size), 0);
	vm.mem = &mem;
	vm.wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	CHECK(vm.wake_fd >= 0);
	vm.irq_intercept = intercept;

	CHECK_EQ(acpi_pm_device.realize(&vm), 0);
	/* A second PM block cannot claim the same ports. */
	CHECK_EQ(acpi_pm_device.realize(&vm), -EBUSY);
	test_pm1_evt();
	test_pm1_cnt();
	test_s3_wake();
	test_pm_timer();
	acpi_pm_device.teardown(&vm);
	test_resumed_status();
	CHECK(bus_find(&pio_bus, ACPI_PM1_EVT_BLK) == NULL);
	CHECK(bus_find(&pio_bus, ACPI_PM1_CNT_BLK) == NULL);
	CHECK(bus_find(&pio_bus, ACPI_PM_TMR_BLK) == NULL);
	CHECK_EQ(timers_next_deadline(), UINT64_MAX);

	test_reset_alone();
	test_reset_shared();

	close(vm.wake_fd);
	guest_mem_free(&mem);
	return unit_report();
}
