/*
 * fw_cfg over I/O ports: the "QEMU" signature, the RAM size and the CPU
 * count against "mem=SIZE cpus=N" on the command line, and a well-formed
 * file directory.
 */
#include "guest.h"

TEST_NAME("fwcfg");

struct fw_cfg_file {
	uint32_t size;		/* big-endian, like the rest of the directory */
	uint16_t select;
	uint16_t reserved;
	char name[56];
} __attribute__((packed));

static uint32_t be32(uint32_t v)
{
	return __builtin_bswap32(v);
}

static size_t strnlen_(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

void test_main(void)
{
	char sig[4];
	uint64_t ram = 0, want_ram, want_cpus;
	uint16_t cpus = 0;
	uint32_t count;

	if (!cmdline_u64("mem", &want_ram) || !cmdline_u64("cpus", &want_cpus))
		fail("need mem=SIZE cpus=N on the command line (\"%s\")", cmdline());
	fw_cfg_select(FW_CFG_SIGNATURE);
	fw_cfg_read(sig, sizeof(sig));
	if (memcmp(sig, "QEMU", 4))
		fail("signature reads %02x %02x %02x %02x, not \"QEMU\"", (uint8_t)sig[0],
		     (uint8_t)sig[1], (uint8_t)sig[2], (uint8_t)sig[3]);
	fw_cfg_select(FW_CFG_RAM_SIZE);
	fw_cfg_read(&ram, sizeof(ram));
	fw_cfg_select(FW_CFG_NB_CPUS);
	fw_cfg_read(&cpus, sizeof(cpus));
	printf("  signature QEMU, RAM %lu MiB, %u CPUs\n", ram >> 20, cpus);
	if (ram != want_ram)
		fail("RAM size key 0x%x reads %lu bytes, expected %lu", FW_CFG_RAM_SIZE, ram,
		     want_ram);
	if (cpus != want_cpus)
		fail("CPU count key 0x%x reads %u, expected %lu", FW_CFG_NB_CPUS, cpus, want_cpus);

	fw_cfg_select(FW_CFG_FILE_DIR);
	fw_cfg_read(&count, sizeof(count));
	count = be32(count);
	printf("  file directory: %u files\n", count);
	if (count > 4096)
		fail("file directory claims %u files", count);
	for (uint32_t i = 0; i < count; i++) {
		struct fw_cfg_file f;

		fw_cfg_read(&f, sizeof(f));
		if (strnlen_(f.name, sizeof(f.name)) == sizeof(f.name))
			fail("file %u's name is not NUL-terminated", i);
		printf("    0x%04x %8u %s\n", __builtin_bswap16(f.select), be32(f.size), f.name);
		if (__builtin_bswap16(f.select) < 0x20)
			fail("file \"%s\" has selector 0x%x, below the file range",
			     f.name, __builtin_bswap16(f.select));
	}
}
