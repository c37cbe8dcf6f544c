/* The smallest check: the guest boots, prints on COM1 and exits through isa-debug-exit. */
#include "guest.h"

TEST_NAME("hello");

void test_main(void)
{
	printf("Hello from the %s test guest (booted via %s)\n", test_name, boot_proto_name());
	pass();
}
