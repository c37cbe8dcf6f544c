/*
 * The CMOS RTC (ports 0x70/0x71): register B's format bits are honoured,
 * every field is valid BCD or binary as B says and in range, the update-in-
 * progress flag is respected (two identical reads between updates), and the
 * date is within a few minutes of the host's "now=<unix seconds>".
 */
#include "guest.h"

TEST_NAME("rtc");

#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define REG_A		0x0a
#define REG_B		0x0b
#define REG_D		0x0d
#define A_UIP		0x80
#define B_24H		0x02
#define B_BINARY	0x04
#define B_SET		0x80
#define MAX_SKEW	300

struct rtc_time {
	uint8_t sec, min, hour, wday, mday, mon, year, century;
};

/* The FADT names the century register; without one, assume 20xx. */
static uint8_t century_reg;

static void find_century_reg(void)
{
	const struct acpi_header *fadt = acpi_find_table("FACP", 0);

	if (fadt && fadt->length > 108)
		century_reg = ((const uint8_t *)fadt)[108];
	if (century_reg && (century_reg < 0x0e || century_reg > 0x7f)) {
		printf("  FADT names CMOS register 0x%x as the century; ignoring it\n",
		       century_reg);
		century_reg = 0;
	}
	printf("  century register: %s0x%x\n", century_reg ? "" : "none, assuming 20xx; ",
	       century_reg);
}

static uint8_t cmos(uint8_t reg)
{
	outb(CMOS_INDEX, reg);	/* bit 7 clear: NMI stays enabled */
	return inb(CMOS_DATA);
}

static void read_raw(struct rtc_time *t)
{
	t->sec = cmos(0x00);
	t->min = cmos(0x02);
	t->hour = cmos(0x04);
	t->wday = cmos(0x06);
	t->mday = cmos(0x07);
	t->mon = cmos(0x08);
	t->year = cmos(0x09);
	t->century = century_reg ? cmos(century_reg) : 0;
}

static bool wait_no_update(void)
{
	/* An update takes under 2 ms; allow much longer for a slow guest. */
	for (int i = 0; i < 100000; i++) {
		if (!(cmos(REG_A) & A_UIP))
			return true;
	}
	return false;
}

static unsigned int field(const char *name, uint8_t raw, bool binary, unsigned int lo,
			  unsigned int hi)
{
	unsigned int v = raw;

	if (!binary) {
		if ((raw & 0xf) > 9 || (raw >> 4) > 9)
			fail("%s 0x%02x is not BCD (register B selects BCD)", name, raw);
		v = (raw >> 4) * 10 + (raw & 0xf);
	}
	if (v < lo || v > hi)
		fail("%s %u is outside %u..%u", name, v, lo, hi);
	return v;
}

static int64_t days_from_civil(int64_t y, unsigned int m, unsigned int d)
{
	/* Days since 1970-01-01 in the proleptic Gregorian calendar. */
	int64_t era;
	unsigned int yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned int)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void test_main(void)
{
	struct rtc_time a, b;
	uint8_t reg_b = cmos(REG_B), reg_d = cmos(REG_D);
	bool binary = reg_b & B_BINARY, h24 = reg_b & B_24H, pm;
	unsigned int sec, min, hour, mday, mon, year, century;
	uint64_t now;
	int64_t t, skew;
	int tries = 0;

	if (!cmdline_u64("now", &now))
		fail("no now=<unix seconds> on the command line (\"%s\")", cmdline());
	find_century_reg();
	printf("  register A 0x%02x B 0x%02x D 0x%02x: %s, %s\n", cmos(REG_A), reg_b, reg_d,
	       binary ? "binary" : "BCD", h24 ? "24-hour" : "12-hour");
	if (reg_b & B_SET)
		fail("register B has SET (updates halted)");
	if (!(reg_d & 0x80))
		fail("register D reports the RTC power as lost (VRT clear)");
	do {
		if (++tries > 10)
			fail("the time never read the same twice in a row");
		if (!wait_no_update())
			fail("update-in-progress never clears");
		read_raw(&a);
		if (!wait_no_update())
			fail("update-in-progress never clears");
		read_raw(&b);
	} while (memcmp(&a, &b, sizeof(a)));

	sec = field("seconds", a.sec, binary, 0, 59);
	min = field("minutes", a.min, binary, 0, 59);
	pm = !h24 && (a.hour & 0x80);
	hour = field("hours", h24 ? a.hour : a.hour & 0x7f, binary, h24 ? 0 : 1, h24 ? 23 : 12);
	if (!h24)
		hour = hour % 12 + (pm ? 12 : 0);
	field("weekday", a.wday, binary, 1, 7);
	mday = field("day of month", a.mday, binary, 1, 31);
	mon = field("month", a.mon, binary, 1, 12);
	year = field("year", a.year, binary, 0, 99);
	century = century_reg ? field("century", a.century, binary, 19, 21) : 20;
	printf("  RTC reads %02u%02u-%02u-%02u %02u:%02u:%02u\n", century, year, mon, mday,
	       hour, min, sec);

	t = days_from_civil(century * 100 + year, mon, mday) * 86400 + hour * 3600 +
	    min * 60 + sec;
	skew = t - (int64_t)now;
	printf("  RTC %ld, host %lu: %ld s apart\n", t, now, skew);
	if (skew > MAX_SKEW || skew < -MAX_SKEW)
		fail("the RTC is %ld s away from the host's time", skew);
}
