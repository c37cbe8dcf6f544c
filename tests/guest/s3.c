/*
 * ACPI S3, suspend to RAM, the way kvm-unit-tests' s3 test does it: a
 * real-mode resume stub copied low and named in the FACS waking vector,
 * the RTC alarm armed to wake the machine, PM1_EN.RTC_EN set, then
 * SLP_TYP(\_S3_) | SLP_EN to PM1a_CNT.  The stub, on resume, prints on
 * COM1, reads PM1_STS and passes only if WAK_STS and RTC_STS are set.  If
 * the write returns instead of sleeping the guest fails.
 */
#include "guest.h"

TEST_NAME("s3");

#define SLP_EN		(1u << 13)
#define RTC_EN		(1u << 10)
#define STUB_BASE	0x8000u		/* below 1 MiB, out of our image */
#define STUB_PM1_EVT	0x7ff0u		/* the stub's one parameter */

extern const char s3_stub[], s3_stub_end[];

/*
 * Real mode, CS:IP = 0800:0000.  Prints "resumed" then exits through
 * isa-debug-exit with 0 (pass) if PM1_STS has WAK_STS and RTC_STS, else 1.
 */
asm(".pushsection .text\n"
    ".code16\n"
    ".global s3_stub, s3_stub_end\n"
    "s3_stub:\n"
    "	cli\n"
    "	xor %ax, %ax\n"
    "	mov %ax, %ds\n"
    "	mov $0x3f8, %dx\n"
    "	mov $'r', %al\n"
    "	out %al, %dx\n"
    "	mov $'e', %al\n"
    "	out %al, %dx\n"
    "	mov $'s', %al\n"
    "	out %al, %dx\n"
    "	mov $'u', %al\n"
    "	out %al, %dx\n"
    "	mov $'m', %al\n"
    "	out %al, %dx\n"
    "	mov $'e', %al\n"
    "	out %al, %dx\n"
    "	mov $'d', %al\n"
    "	out %al, %dx\n"
    "	mov $'\\n', %al\n"
    "	out %al, %dx\n"
    "	mov (0x7ff0), %dx\n"
    "	in %dx, %ax\n"
    "	and $0x8400, %ax\n"
    "	cmp $0x8400, %ax\n"
    "	mov $0, %al\n"
    "	je 1f\n"
    "	mov $1, %al\n"
    "1:	mov $0xf4, %dx\n"
    "	out %al, %dx\n"
    "2:	hlt\n"
    "	jmp 2b\n"
    "s3_stub_end:\n"
    ".code64\n"
    ".popsection\n");

static uint32_t u32_at(const void *p, unsigned int off)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)p + off, 4);
	return v;
}

static uint8_t rtc_read(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static void rtc_write(uint8_t reg, uint8_t v)
{
	outb(0x70, reg);
	outb(0x71, v);
}

/* An alarm every second: all three alarm fields "don't care". */
static void arm_rtc_alarm(void)
{
	while (!(rtc_read(0x0a) & 0x80))	/* wait for an update ... */
		;
	while (rtc_read(0x0a) & 0x80)		/* ... to end */
		;
	rtc_read(0x0c);
	rtc_write(0x01, 0xc0);
	rtc_write(0x03, 0xc0);
	rtc_write(0x05, 0xc0);
	rtc_write(0x0b, rtc_read(0x0b) | 0x20);	/* AIE */
}

void test_main(void)
{
	const struct acpi_header *fadt = acpi_find_table("FACP", 0);
	const struct acpi_header *dsdt = acpi_dsdt();
	uint32_t facs, pm1a_evt, pm1a_cnt, typ;
	char wake[4];

	if (!fadt || !dsdt)
		fail("no FADT or DSDT");
	if (!acpi_sleep_type(dsdt, "_S3_", &typ))
		fail("the DSDT has no \\_S3_: S3 is not offered");
	facs = u32_at(fadt, 36);
	pm1a_evt = u32_at(fadt, 56);
	pm1a_cnt = u32_at(fadt, 64);
	if (!facs || memcmp((void *)(uintptr_t)facs, "FACS", 4))
		fail("FADT FIRMWARE_CTRL 0x%x is not a FACS", facs);
	memcpy((void *)(uintptr_t)STUB_BASE, s3_stub, s3_stub_end - s3_stub);
	*(volatile uint16_t *)(uintptr_t)STUB_PM1_EVT = (uint16_t)pm1a_evt;
	*(volatile uint32_t *)(uintptr_t)(facs + 12) = STUB_BASE;
	/* wake=no: no wake source enabled; the machine sleeps until killed. */
	if (!cmdline_get("wake", wake, sizeof(wake)) || memcmp(wake, "no", 3))
		outw((uint16_t)(pm1a_evt + 2), RTC_EN);
	arm_rtc_alarm();
	printf("s3: FACS at 0x%x, waking vector 0x%x; SLP_TYP %u | SLP_EN to 0x%x\n",
	       facs, STUB_BASE, typ, pm1a_cnt);
	outw((uint16_t)pm1a_cnt, (uint16_t)(typ << 10 | SLP_EN));
	fail("still running after the S3 request");
}
