/*
 * Boot information: the multiboot v1 info block or the PVH hvm_start_info.
 * Everything the loader handed over is copied (with bounds checks: the
 * loader is what is under test) before the test runs.
 */
#include "guest.h"

#define MB_BOOT_MAGIC	0x2badb002
#define MB_INFO_MEM	(1u << 0)
#define MB_INFO_CMDLINE	(1u << 2)
#define MB_INFO_MMAP	(1u << 6)
#define PVH_MAGIC	0x336ec578

/* Only the identity-mapped first 8 GiB can be read. */
#define MAPPED_LIMIT	(8ULL << 30)

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower;
	uint32_t mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count;
	uint32_t mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length;
	uint32_t mmap_addr;
} __attribute__((packed));

struct mb_mmap_entry {
	uint32_t size;
	uint64_t base;
	uint64_t len;
	uint32_t type;
} __attribute__((packed));

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
} __attribute__((packed));

struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
} __attribute__((packed));

static enum boot_proto proto;
static char cmdline_buf[2048];
static struct mem_range ranges[MAX_MEM_RANGES];
static int nr_ranges;
static uint64_t rsdp_paddr;

void guest_start(uint32_t magic, uint32_t info);

static bool readable(uint64_t addr, uint64_t len)
{
	return addr && addr < MAPPED_LIMIT && len <= MAPPED_LIMIT - addr;
}

static void copy_cmdline(uint64_t addr)
{
	const char *s = (const char *)addr;
	size_t i;

	if (!readable(addr, sizeof(cmdline_buf)))
		return;
	for (i = 0; i + 1 < sizeof(cmdline_buf) && s[i]; i++)
		cmdline_buf[i] = s[i];
	cmdline_buf[i] = '\0';
}

static void add_range(uint64_t base, uint64_t len, uint32_t type)
{
	if (nr_ranges == MAX_MEM_RANGES) {
		printf("%s: more than %d memory ranges; ignoring the rest\n", test_name,
		       MAX_MEM_RANGES);
		return;
	}
	ranges[nr_ranges++] = (struct mem_range){ base, len, type };
}

static void multiboot_info(uint32_t addr)
{
	const struct mb_info *mbi = (const void *)(uintptr_t)addr;

	if (!readable(addr, sizeof(*mbi)))
		fail("multiboot info pointer 0x%x is not readable", addr);
	if (mbi->flags & MB_INFO_CMDLINE)
		copy_cmdline(mbi->cmdline);
	if (mbi->flags & MB_INFO_MMAP) {
		uint64_t p = mbi->mmap_addr, end = p + mbi->mmap_length;

		if (!readable(p, mbi->mmap_length))
			fail("multiboot mmap at 0x%lx+0x%x is not readable", p, mbi->mmap_length);
		while (p + sizeof(struct mb_mmap_entry) <= end) {
			const struct mb_mmap_entry *e = (const void *)p;

			add_range(e->base, e->len, e->type);
			if (e->size < 20)
				fail("multiboot mmap entry size %u is too small", e->size);
			p += e->size + 4;
		}
	} else if (mbi->flags & MB_INFO_MEM) {
		add_range(0, (uint64_t)mbi->mem_lower << 10, MEM_USABLE);
		add_range(1 << 20, (uint64_t)mbi->mem_upper << 10, MEM_USABLE);
	}
}

static void pvh_info(uint32_t addr)
{
	const struct hvm_start_info *si = (const void *)(uintptr_t)addr;

	if (!readable(addr, sizeof(*si)))
		fail("PVH start_info at 0x%x is not readable", addr);
	copy_cmdline(si->cmdline_paddr);
	rsdp_paddr = si->rsdp_paddr;
	if (si->version >= 1 && si->memmap_entries) {
		const struct hvm_memmap_entry *e = (const void *)si->memmap_paddr;
		uint64_t len = (uint64_t)si->memmap_entries * sizeof(*e);

		if (!readable(si->memmap_paddr, len))
			fail("PVH memmap at 0x%lx (%u entries) is not readable", si->memmap_paddr,
			     si->memmap_entries);
		for (uint32_t i = 0; i < si->memmap_entries; i++)
			add_range(e[i].addr, e[i].size, e[i].type);
	}
}

void guest_start(uint32_t magic, uint32_t info)
{
	serial_init();
	/* Firmware may have left the PIT ticking into an unmasked 8259. */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	trap_init();
	/*
	 * PVH first: its start_info carries a magic of its own, while EAX is
	 * undefined at a PVH entry (qboot, for one, leaves 0x2badb002 there).
	 */
	if (readable(info, 4) && *(const uint32_t *)(uintptr_t)info == PVH_MAGIC) {
		proto = BOOT_PVH;
		pvh_info(info);
	} else if (magic == MB_BOOT_MAGIC) {
		proto = BOOT_MULTIBOOT;
		multiboot_info(info);
	} else {
		fail("no boot information: EAX=0x%x is not the multiboot magic and "
		     "EBX=0x%x is not a PVH start_info",
		     magic, info);
	}
	printf("%s: booted via %s (eax=0x%x ebx=0x%x), cmdline \"%s\"\n", test_name,
	       boot_proto_name(), magic, info, cmdline_buf);
	test_main();
	pass();
}

enum boot_proto boot_proto(void)
{
	return proto;
}

const char *boot_proto_name(void)
{
	return proto == BOOT_MULTIBOOT ? "multiboot" : proto == BOOT_PVH ? "PVH" : "?";
}

const char *cmdline(void)
{
	return cmdline_buf;
}

int memmap(struct mem_range *out, int max)
{
	int n = nr_ranges < max ? nr_ranges : max;

	memcpy(out, ranges, n * sizeof(*out));
	return n;
}

uint64_t boot_rsdp(void)
{
	return rsdp_paddr;
}

bool cmdline_get(const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);
	const char *p = cmdline_buf;

	while (*p) {
		const char *tok = p;
		size_t n = 0;

		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - tok) > klen && !strncmp(tok, key, klen) && tok[klen] == '=') {
			for (tok += klen + 1; tok < p && n + 1 < len; tok++)
				buf[n++] = *tok;
			if (len)
				buf[n] = '\0';
			return true;
		}
		while (*p == ' ')
			p++;
	}
	return false;
}

bool parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	int shift = 0;

	if (!*s)
		return false;
	if (s[0] == '0' && s[1] == 'x' && s[2]) {
		for (s += 2; *s; s++) {
			int d = *s >= '0' && *s <= '9' ? *s - '0' :
				*s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;

			if (d < 0)
				return false;
			v = v << 4 | (uint64_t)d;
		}
		*out = v;
		return true;
	}
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (uint64_t)(*s - '0');
	switch (*s) {
	case 'K': case 'k': shift = 10; s++; break;
	case 'M': case 'm': shift = 20; s++; break;
	case 'G': case 'g': shift = 30; s++; break;
	case 'T': case 't': shift = 40; s++; break;
	}
	if (*s)
		return false;
	*out = v << shift;
	return true;
}

bool cmdline_u64(const char *key, uint64_t *out)
{
	char buf[32];

	return cmdline_get(key, buf, sizeof(buf)) && parse_u64(buf, out);
}
