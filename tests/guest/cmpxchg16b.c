/*
 * lock cmpxchg16b in ring 0, both outcomes: when memory equals RDX:RAX it
 * takes RCX:RBX and ZF is set; otherwise RDX:RAX takes the memory value,
 * memory is unchanged and ZF is clear.
 */
#include "guest.h"

TEST_NAME("cmpxchg16b");

static struct {
	uint64_t lo, hi;
} slot __attribute__((aligned(16)));

static bool cas(uint64_t *lo, uint64_t *hi, uint64_t new_lo, uint64_t new_hi)
{
	bool zf;

	asm volatile("lock cmpxchg16b %[m]"
		     : [m] "+m"(slot), "+a"(*lo), "+d"(*hi), "=@ccz"(zf)
		     : "b"(new_lo), "c"(new_hi)
		     : "memory");
	return zf;
}

void test_main(void)
{
	const uint64_t a_lo = 0x0123456789abcdefULL, a_hi = 0xfedcba9876543210ULL;
	const uint64_t b_lo = 0x1111222233334444ULL, b_hi = 0x5555666677778888ULL;
	uint64_t lo, hi;

	/* Equal: memory takes RCX:RBX. */
	slot.lo = a_lo;
	slot.hi = a_hi;
	lo = a_lo;
	hi = a_hi;
	if (!cas(&lo, &hi, b_lo, b_hi))
		fail("equal case: ZF clear");
	if (slot.lo != b_lo || slot.hi != b_hi)
		fail("equal case: memory is %016lx:%016lx, expected %016lx:%016lx", slot.hi,
		     slot.lo, b_hi, b_lo);
	if (lo != a_lo || hi != a_hi)
		fail("equal case: RDX:RAX changed to %016lx:%016lx", hi, lo);
	printf("  equal: swapped, ZF set\n");

	/* Not equal (high half differs): RDX:RAX takes memory. */
	lo = b_lo;
	hi = a_hi;
	if (cas(&lo, &hi, a_lo, a_hi))
		fail("not-equal case: ZF set");
	if (slot.lo != b_lo || slot.hi != b_hi)
		fail("not-equal case: memory changed to %016lx:%016lx", slot.hi, slot.lo);
	if (lo != b_lo || hi != b_hi)
		fail("not-equal case: RDX:RAX is %016lx:%016lx, expected %016lx:%016lx", hi, lo,
		     b_hi, b_lo);
	printf("  not equal: loaded, ZF clear\n");
}
