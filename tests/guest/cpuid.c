/*
 * What -cpu gives the guest: CPUID read in ring 0 and in ring 3, printed,
 * then ring 0's compared with what the command line expects: vendor=NAME,
 * sig=SIGNATURE (leaf 1 EAX), level=, xlevel=, phys=BITS, brand=WORD (the
 * brand string's first word).  Ring 0 is what KVM answers from the CPUID
 * kvmrun set; on kvm_pvm hosts ring 3 reads the host CPU directly, and
 * leaves 1 and 7 carry host feature bits even in ring 0 (../HOST.md).
 */
#include "guest.h"

TEST_NAME("cpuid");

struct regs {
	uint32_t a, b, c, d;
};

static struct regs cpuid(uint32_t leaf, uint32_t sub)
{
	struct regs r;

	asm volatile("cpuid" : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d)
		     : "a"(leaf), "c"(sub));
	return r;
}

static struct regs user_regs;
static uint32_t user_leaf;

static long user_cpuid(long sub)
{
	user_regs = cpuid(user_leaf, (uint32_t)sub);
	return 0;
}

static void vendor_of(struct regs r, char *vendor)
{
	memcpy(vendor, &r.b, 4);
	memcpy(vendor + 4, &r.d, 4);
	memcpy(vendor + 8, &r.c, 4);
	vendor[12] = 0;
}

static void show(const char *ring, uint32_t leaf, struct regs r)
{
	char vendor[13];

	printf("%s %08x: %08x %08x %08x %08x", ring, leaf, r.a, r.b, r.c, r.d);
	if (leaf == 0 || leaf == 0x80000000) {
		vendor_of(r, vendor);
		printf(" '%s'", vendor);
	}
	printf("\n");
}

static void expect_u64(const char *key, uint64_t got)
{
	uint64_t want;

	if (cmdline_u64(key, &want) && want != got)
		fail("%s is 0x%lx, expected 0x%lx", key, (unsigned long)got,
		     (unsigned long)want);
}

static void check_brand(void)
{
	char want[49], brand[49];
	struct regs r;
	size_t n;

	if (!cmdline_get("brand", want, sizeof(want)))
		return;
	for (uint32_t i = 0; i < 3; i++) {
		r = cpuid(0x80000002 + i, 0);
		memcpy(brand + i * 16, &r, 16);
	}
	brand[48] = 0;
	n = strlen(want);
	if (memcmp(brand, want, n) != 0 || (brand[n] && brand[n] != ' '))
		fail("brand string '%s', expected it to begin with '%s'",
		     brand, want);
}

static void check(void)
{
	char want[16], vendor[13];

	vendor_of(cpuid(0, 0), vendor);
	if (cmdline_get("vendor", want, sizeof(want)) &&
	    memcmp(want, vendor, sizeof(vendor)) != 0)
		fail("vendor '%s', expected '%s'", vendor, want);
	expect_u64("level", cpuid(0, 0).a);
	expect_u64("xlevel", cpuid(0x80000000, 0).a);
	expect_u64("sig", cpuid(1, 0).a & 0x0fff3fff);
	expect_u64("phys", cpuid(0x80000008, 0).a & 0xff);
	check_brand();
}

void test_main(void)
{
	static const uint32_t leaves[] = { 0, 1, 7, 0xd, 0x80000000,
					   0x80000001, 0x80000008 };

	for (unsigned int i = 0; i < ARRAY_SIZE(leaves); i++) {
		show("ring0", leaves[i], cpuid(leaves[i], 0));
		user_leaf = leaves[i];
		user_call(user_cpuid, 0, user_stack_top());
		show("ring3", leaves[i], user_regs);
	}
	check();
	pass();
}
