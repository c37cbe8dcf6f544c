// SPDX-License-Identifier: MIT
/*
 * The kernel loaders on crafted images written to temporary files: bzImage
 * headers of several boot-protocol versions, PVH ELFs, multiboot kernels, and
 * every error path the brief names.  Each error must come back as a negative
 * errno with exactly one line on stderr naming the file.  Real inputs (the
 * guest kit's Debian kernel, the test guests) are loaded when they exist and
 * skipped with a message when they do not.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "memory.h"
#include "unit.h"
#include "vm.h"
#include "x86/boot.h"
#include "x86/cpu.h"
#include "x86/layout.h"

#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define RSDP 0xE0000ULL

/* ---- little helpers ---------------------------------------------------- */

static uint16_t le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void w16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void w32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

static void w64(uint8_t *p, uint64_t v)
{
	w32(p, v);
	w32(p + 4, v >> 32);
}

static uint8_t pattern(uint64_t i, unsigned int seed)
{
	return (uint8_t)(i * 7 + seed + (i >> 8));
}

static void fill_pattern(uint8_t *p, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = pattern(i, seed);
}

static char tmpdir[256];

static const char *tmp_path(const char *name)
{
	static char paths[8][PATH_MAX];
	static unsigned int next;
	char *p = paths[next++ % 8];

	snprintf(p, PATH_MAX, "%s/%s", tmpdir, name);
	return p;
}

static const char *tmp_write(const char *name, const void *buf, size_t len)
{
	const char *p = tmp_path(name);
	FILE *f = fopen(p, "wb");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(p);
		exit(1);
	}
	return p;
}

/* A file of size bytes of the pattern, written sparsely when large. */
static const char *tmp_initrd(const char *name, uint64_t size, unsigned int seed)
{
	const char *p = tmp_path(name);
	uint8_t buf[4096];
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	uint64_t head = size < (1 << 20) ? size : 4096;

	if (fd < 0 || ftruncate(fd, size)) {
		perror(p);
		exit(1);
	}
	for (uint64_t off = 0; off < head; off += sizeof(buf)) {
		size_t n = head - off < sizeof(buf) ? head - off : sizeof(buf);

		for (size_t i = 0; i < n; i++)
			buf[i] = pattern(off + i, seed);
		if (pwrite(fd, buf, n, off) != (ssize_t)n) {
			perror(p);
			exit(1);
		}
	}
	close(fd);
	return p;
}

static void tmp_cleanup(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char p[PATH_MAX + 256];

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmpdir, de->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(tmpdir);
}

struct tvm {
	struct vm vm;
	struct vm_config cfg;
	struct guest_mem mem;
};

static void tvm_init(struct tvm *t, uint64_t ram)
{
	memset(t, 0, sizeof(*t));
	t->cfg.ram_size = ram;
	t->cfg.ncpus = 1;
	if (guest_mem_init(&t->mem, ram)) {
		fprintf(stderr, "guest_mem_init(%llu) failed\n",
			(unsigned long long)ram);
		exit(1);
	}
	t->vm.cfg = &t->cfg;
	t->vm.mem = &t->mem;
	t->vm.rsdp_gpa = RSDP;
}

static void tvm_free(struct tvm *t)
{
	guest_mem_free(&t->mem);
}

static uint8_t *gptr(struct tvm *t, uint64_t gpa, uint64_t len)
{
	uint8_t *p = gpa_to_hva(&t->mem, gpa, len);

	if (!p) {
		fprintf(stderr, "gpa %#llx+%llu is not RAM\n",
			(unsigned long long)gpa, (unsigned long long)len);
		exit(1);
	}
	return p;
}

static bool gmem_equals_pattern(struct tvm *t, uint64_t gpa, uint64_t len,
				unsigned int seed)
{
	const uint8_t *p = gptr(t, gpa, len);

	for (uint64_t i = 0; i < len; i++)
		if (p[i] != pattern(i, seed))
			return false;
	return true;
}

static bool gmem_is_zero(struct tvm *t, uint64_t gpa, uint64_t len)
{
	const uint8_t *p = gptr(t, gpa, len);

	for (uint64_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* Run the loader with stderr captured into errbuf. */
static char errbuf[8192];

static int load_capture(struct tvm *t)
{
	FILE *tmp = tmpfile();
	int saved, ret;
	size_t n;

	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	ret = x86_load_kernel(&t->vm);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(errbuf, 1, sizeof(errbuf) - 1, tmp);
	errbuf[n] = 0;
	fclose(tmp);
	return ret;
}

static unsigned int count_lines(const char *s)
{
	unsigned int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* A load must fail with err, printing one line that holds name and what. */
#define CHECK_FAILS(t, err, name, what)                                       \
	do {                                                                  \
		int _r = load_capture(t);                                     \
		CHECK_EQ(_r, err);                                            \
		CHECK_EQ(count_lines(errbuf), 1);                             \
		CHECK(strstr(errbuf, name) != NULL);                          \
		CHECK(strstr(errbuf, what) != NULL);                          \
		if (_r != (err) || !strstr(errbuf, what))                     \
			fprintf(stderr, "  (got %d: %s)\n", _r, errbuf);      \
		else                                                          \
			printf("  expected error: %s", errbuf);               \
	} while (0)

#define CHECK_LOADS(t)                                                        \
	do {                                                                  \
		int _r = load_capture(t);                                     \
		CHECK_EQ(_r, 0);                                              \
		if (_r)                                                       \
			fprintf(stderr, "  (load failed: %s)\n", errbuf);     \
	} while (0)

/* ---- entry states ------------------------------------------------------ */

static void check_flat_seg(const struct x86_seg *s, uint16_t sel, uint8_t type)
{
	CHECK_EQ(s->selector, sel);
	CHECK_EQ(s->base, 0);
	CHECK_EQ(s->limit, 0xffffffff);
	CHECK_EQ(s->type, type);
	CHECK_EQ(s->s, 1);
	CHECK_EQ(s->dpl, 0);
	CHECK_EQ(s->present, 1);
	CHECK_EQ(s->g, 1);
	CHECK_EQ(s->unusable, 0);
}

static void check_common_cpu(struct tvm *t)
{
	const struct x86_cpu_state *c = &t->vm.boot_cpu;

	check_flat_seg(&c->seg[S_DS], 0x18, 0x3);
	check_flat_seg(&c->seg[S_ES], 0x18, 0x3);
	check_flat_seg(&c->seg[S_SS], 0x18, 0x3);
	check_flat_seg(&c->seg[S_FS], 0x18, 0x3);
	check_flat_seg(&c->seg[S_GS], 0x18, 0x3);
	CHECK_EQ(c->seg[S_DS].db, 1);
	CHECK_EQ(c->seg[S_TR].type, 0xb);
	CHECK_EQ(c->seg[S_TR].s, 0);
	CHECK_EQ(c->seg[S_TR].present, 1);
	CHECK_EQ(c->seg[S_TR].limit, 0x67);
	CHECK_EQ(c->seg[S_TR].selector, 0x20);
	CHECK(c->seg[S_LDTR].unusable || c->seg[S_LDTR].type == 2);
	CHECK_EQ(c->gdt.base, LAYOUT_GDT);
	CHECK(c->gdt.limit >= 0x27);
	CHECK_EQ(c->rflags, 0x2);
	CHECK_EQ(c->apic_base & ~0xfffULL, 0xfee00000);
	CHECK(c->apic_base & (1 << 11));	/* APIC enabled */
	CHECK(c->apic_base & (1 << 8));		/* BSP */
	/* The GDT in guest RAM matches the hidden state. */
	CHECK_EQ(le64(gptr(t, LAYOUT_GDT + 0x18, 8)), 0x00cf93000000ffffULL);
	CHECK_EQ(le64(gptr(t, LAYOUT_GDT + 0x20, 8)), 0x00008b0000000067ULL);
}

static void check_flat32(struct tvm *t, uint64_t entry)
{
	const struct x86_cpu_state *c = &t->vm.boot_cpu;

	check_common_cpu(t);
	check_flat_seg(&c->seg[S_CS], 0x10, 0xb);
	CHECK_EQ(c->seg[S_CS].db, 1);
	CHECK_EQ(c->seg[S_CS].l, 0);
	CHECK_EQ(c->cr0, X86_CR0_PE | X86_CR0_ET);
	CHECK_EQ(c->cr4, 0);
	CHECK_EQ(c->efer, 0);
	CHECK_EQ(c->rip, entry);
	CHECK_EQ(le64(gptr(t, LAYOUT_GDT + 0x10, 8)), 0x00cf9b000000ffffULL);
}

static void check_long64(struct tvm *t, uint64_t entry)
{
	const struct x86_cpu_state *c = &t->vm.boot_cpu;
	const uint8_t *pd;

	check_common_cpu(t);
	check_flat_seg(&c->seg[S_CS], 0x10, 0xb);
	CHECK_EQ(c->seg[S_CS].l, 1);
	CHECK_EQ(c->seg[S_CS].db, 0);
	CHECK(c->cr0 & X86_CR0_PE);
	CHECK(c->cr0 & X86_CR0_PG);
	CHECK(c->cr4 & X86_CR4_PAE);
	CHECK_EQ(c->efer & (X86_EFER_LME | X86_EFER_LMA),
		 X86_EFER_LME | X86_EFER_LMA);
	CHECK_EQ(c->cr3, LAYOUT_PML4);
	CHECK_EQ(c->rip, entry);
	CHECK(x86_in_long_mode64(c));
	CHECK_EQ(le64(gptr(t, LAYOUT_GDT + 0x10, 8)), 0x00af9b000000ffffULL);
	/* Identity map: PML4[0] -> PDPT, PDPT[i] -> PD i, 2 MiB pages. */
	CHECK_EQ(le64(gptr(t, LAYOUT_PML4, 8)), LAYOUT_PDPT | 3);
	CHECK_EQ(le64(gptr(t, LAYOUT_PML4 + 8, 8)), 0);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(le64(gptr(t, LAYOUT_PDPT + 8 * i, 8)),
			 (LAYOUT_PD + 0x1000 * i) | 3);
	CHECK_EQ(le64(gptr(t, LAYOUT_PDPT + 32, 8)), 0);
	pd = gptr(t, LAYOUT_PD, 4 * 4096);
	CHECK_EQ(le64(pd), 0x83);
	CHECK_EQ(le64(pd + 8), (2 * MIB) | 0x83);
	CHECK_EQ(le64(pd + 8 * 2047), (4 * GIB - 2 * MIB) | 0x83);
}

/* ---- bzImage ----------------------------------------------------------- */

struct bz_opts {
	uint16_t version;
	uint8_t setup_sects;
	uint8_t loadflags;
	uint8_t relocatable;
	uint32_t align;
	uint64_t pref;
	uint32_t init_size;
	uint16_t xloadflags;
	uint32_t cmdline_size;
	uint32_t initrd_max;
	uint32_t payload;
	const char *magic;
};

static struct bz_opts bz_default(uint16_t version)
{
	return (struct bz_opts){
		.version = version,
		.setup_sects = 1,
		.loadflags = 0x01,
		.relocatable = 1,
		.align = 0x200000,
		.pref = 0x1000000,
		.init_size = 0x800000,
		.xloadflags = 0x3,
		.cmdline_size = 0x7ff,
		.initrd_max = 0x7fffffff,
		.payload = 0x10000,
		.magic = "HdrS",
	};
}

static uint64_t bz_setup_size(const struct bz_opts *o)
{
	return ((o->setup_sects ? o->setup_sects : 4) + 1) * 512ULL;
}

/* Returns a malloc'd image of *len bytes; the payload follows the pattern 1. */
static uint8_t *bz_make(const struct bz_opts *o, size_t *len)
{
	size_t setup = bz_setup_size(o);
	uint8_t *b = calloc(1, setup + o->payload);

	b[0x1f1] = o->setup_sects;
	w32(b + 0x1f4, o->payload / 16);
	w16(b + 0x1fe, 0xaa55);
	b[0x200] = 0xeb;
	b[0x201] = o->version >= 0x20f ? 0x6a : o->version >= 0x20a ? 0x66 : 0x3a;
	memcpy(b + 0x202, o->magic, 4);
	w16(b + 0x206, o->version);
	b[0x211] = o->loadflags;
	w32(b + 0x214, 0x100000);
	w32(b + 0x22c, o->initrd_max);
	w32(b + 0x230, o->align);
	b[0x234] = o->relocatable;
	b[0x235] = 21;
	w16(b + 0x236, o->xloadflags);
	w32(b + 0x238, o->cmdline_size);
	/* For protocols before 2.10 these bytes are not header: garbage. */
	w64(b + 0x258, o->pref);
	w32(b + 0x260, o->init_size);
	fill_pattern(b + setup, o->payload, 1);
	*len = setup + o->payload;
	return b;
}

static const char *bz_write(const char *name, const struct bz_opts *o)
{
	size_t len;
	uint8_t *b = bz_make(o, &len);
	const char *p = tmp_write(name, b, len);

	free(b);
	return p;
}

static void check_zero_page_e820(struct tvm *t, const uint8_t *bp)
{
	struct e820_entry want[E820_MAX_ENTRIES];
	unsigned int n = e820_build(&t->mem, want, E820_MAX_ENTRIES);

	CHECK_EQ(bp[0x1e8], n);
	CHECK(memcmp(bp + 0x2d0, want, n * sizeof(want[0])) == 0);
	CHECK_EQ(le32(bp + 0x2d0 + 16), E820_RAM);
	CHECK_EQ(le64(bp + 0x2d0 + 20), LAYOUT_EBDA);
}

static void test_bz_64bit(void)
{
	struct bz_opts o = bz_default(0x20f);
	const char *append = "console=ttyS0 quiet";
	struct tvm t;
	const uint8_t *bp;
	uint64_t rd, rd_size = 100000;

	tvm_init(&t, 256 * MIB);
	t.cfg.kernel = bz_write("bz64", &o);
	t.cfg.initrd = tmp_initrd("initrd", rd_size, 2);
	t.cfg.append = append;
	CHECK_LOADS(&t);
	check_long64(&t, 0x1000200);
	CHECK_EQ(t.vm.boot_cpu.gpr[R_RSI], LAYOUT_ZERO_PAGE);

	bp = gptr(&t, LAYOUT_ZERO_PAGE, 4096);
	CHECK(memcmp(bp + 0x202, "HdrS", 4) == 0);
	CHECK_EQ(le16(bp + 0x206), 0x20f);
	CHECK_EQ(le16(bp + 0x1fe), 0xaa55);
	CHECK_EQ(bp[0x210], 0xff);		/* type_of_loader */
	CHECK_EQ(bp[0x211] & 1, 1);		/* LOADED_HIGH kept */
	CHECK_EQ(le32(bp + 0x230), 0x200000);	/* kernel_alignment kept */
	CHECK_EQ(le32(bp + 0x260), 0x800000);	/* init_size kept */
	CHECK_EQ(le32(bp + 0x228), LAYOUT_CMDLINE);
	CHECK_EQ(le32(bp + 0xc8), 0);
	CHECK_STR((const char *)gptr(&t, LAYOUT_CMDLINE, strlen(append) + 1),
		  append);
	CHECK_EQ(le64(bp + 0x070), RSDP);	/* acpi_rsdp_addr */
	CHECK_EQ(bp[0x1ef], 0);			/* sentinel */
	/* The initrd: as high as possible, page-aligned, intact. */
	rd = le32(bp + 0x218);
	CHECK_EQ(rd, (256 * MIB - rd_size) & ~0xfffULL);
	CHECK_EQ(le32(bp + 0x21c), rd_size);
	CHECK_EQ(le32(bp + 0xc0), 0);
	CHECK_EQ(le32(bp + 0xc4), 0);
	CHECK(gmem_equals_pattern(&t, rd, rd_size, 2));
	/* The protected-mode kernel at pref_address. */
	CHECK(gmem_equals_pattern(&t, 0x1000000, o.payload, 1));
	check_zero_page_e820(&t, bp);
	tvm_free(&t);
}

/* Each protocol version gets the entry and the fields it defines. */
static void test_bz_versions(void)
{
	static const uint16_t versions[] = { 0x206, 0x209, 0x20a, 0x20c,
					     0x20d, 0x20e, 0x20f };

	for (unsigned int i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		struct bz_opts o = bz_default(versions[i]);
		bool has_pref = versions[i] >= 0x20a;
		bool has_64 = versions[i] >= 0x20c;
		uint64_t load = has_pref ? 0x1000000 : 0x100000;
		const uint8_t *bp;
		struct tvm t;

		tvm_init(&t, 128 * MIB);
		t.cfg.kernel = bz_write("bzv", &o);
		CHECK_LOADS(&t);
		if (has_64)
			check_long64(&t, load + 0x200);
		else
			check_flat32(&t, load);
		CHECK_EQ(t.vm.boot_cpu.gpr[R_RSI], LAYOUT_ZERO_PAGE);
		CHECK_EQ(t.vm.boot_cpu.gpr[R_RBX], 0);
		CHECK_EQ(t.vm.boot_cpu.gpr[R_RBP], 0);
		CHECK_EQ(t.vm.boot_cpu.gpr[R_RDI], 0);
		CHECK(gmem_equals_pattern(&t, load, o.payload, 1));
		bp = gptr(&t, LAYOUT_ZERO_PAGE, 4096);
		CHECK_EQ(le16(bp + 0x206), versions[i]);
		CHECK_EQ(le64(bp + 0x070), versions[i] >= 0x20e ? RSDP : 0);
		CHECK_EQ(le32(bp + 0x214), load);	/* code32_start */
		/* Only the header the kernel declares is copied. */
		CHECK_EQ(le64(bp + 0x258), has_pref ? o.pref : 0);
		/* No initrd, empty command line. */
		CHECK_EQ(le32(bp + 0x218), 0);
		CHECK_EQ(le32(bp + 0x21c), 0);
		CHECK_EQ(*gptr(&t, LAYOUT_CMDLINE, 1), 0);
		check_zero_page_e820(&t, bp);
		tvm_free(&t);
	}
}

static void test_bz_placement(void)
{
	struct bz_opts o = bz_default(0x20f);
	struct tvm t;

	/* Not relocatable: 1 MiB. */
	o.relocatable = 0;
	tvm_init(&t, 64 * MIB);
	t.cfg.kernel = bz_write("bznr", &o);
	CHECK_LOADS(&t);
	check_long64(&t, 0x100200);
	CHECK(gmem_equals_pattern(&t, 0x100000, o.payload, 1));
	tvm_free(&t);

	/* Relocatable with a small init_size: pref_address fits in 20 MiB. */
	o = bz_default(0x20f);
	o.init_size = 0x100000;
	tvm_init(&t, 20 * MIB);
	t.cfg.kernel = bz_write("bzsmall", &o);
	CHECK_LOADS(&t);
	CHECK_EQ(t.vm.boot_cpu.rip, 0x1000200);
	tvm_free(&t);

	/* init_size does not fit: the kernel could not decompress. */
	o = bz_default(0x20f);
	tvm_init(&t, 20 * MIB);
	t.cfg.kernel = bz_write("bzbig", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "needs 8 MiB of RAM from 0x1000000");
	tvm_free(&t);

	/* Not even the kernel file fits. */
	o = bz_default(0x206);
	o.payload = 0x200000;
	tvm_init(&t, 2 * MIB);
	t.cfg.kernel = bz_write("bztiny", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "outside guest RAM");
	tvm_free(&t);
}

static void test_bz_initrd_limits(void)
{
	struct bz_opts o = bz_default(0x20f);
	const uint8_t *bp;
	struct tvm t;
	uint64_t size = 3 * MIB + 5;

	/* initrd_addr_max bounds the initrd's last byte. */
	o.initrd_max = 0x1ffffff;
	tvm_init(&t, 256 * MIB);
	t.cfg.kernel = bz_write("bzmax", &o);
	t.cfg.initrd = tmp_initrd("rd3m", size, 3);
	CHECK_LOADS(&t);
	bp = gptr(&t, LAYOUT_ZERO_PAGE, 4096);
	CHECK_EQ(le32(bp + 0x218), (0x2000000 - size) & ~0xfffULL);
	CHECK_EQ(le32(bp + 0x21c), size);
	CHECK(le32(bp + 0x218) >= 0x1000000 + 0x800000);
	CHECK(gmem_equals_pattern(&t, le32(bp + 0x218), 4096, 3));
	tvm_free(&t);

	/* Too big for what is left above the kernel. */
	o = bz_default(0x20f);
	tvm_init(&t, 32 * MIB);
	t.cfg.kernel = bz_write("bzrd", &o);
	t.cfg.initrd = tmp_initrd("rd9m", 9 * MIB, 4);
	CHECK_FAILS(&t, -EINVAL, t.cfg.initrd, "initrd: 9 MiB does not fit below 0x2000000");
	tvm_free(&t);

	/* Exactly what is left fits. */
	tvm_init(&t, 32 * MIB);
	t.cfg.kernel = bz_write("bzrd", &o);
	t.cfg.initrd = tmp_initrd("rd8m", 8 * MIB, 4);
	CHECK_LOADS(&t);
	bp = gptr(&t, LAYOUT_ZERO_PAGE, 4096);
	CHECK_EQ(le32(bp + 0x218), 0x1800000);
	tvm_free(&t);

	/* Missing. */
	tvm_init(&t, 64 * MIB);
	t.cfg.kernel = bz_write("bzrd", &o);
	t.cfg.initrd = tmp_path("no-such-initrd");
	CHECK_FAILS(&t, -ENOENT, t.cfg.initrd, "No such file");
	tvm_free(&t);

	/* With RAM above 4 GiB the initrd still goes below initrd_addr_max. */
	tvm_init(&t, 5 * GIB);
	t.cfg.kernel = bz_write("bzrd", &o);
	t.cfg.initrd = tmp_initrd("rd3m", size, 3);
	CHECK_LOADS(&t);
	bp = gptr(&t, LAYOUT_ZERO_PAGE, 4096);
	CHECK_EQ(le32(bp + 0x218), (0x80000000 - size) & ~0xfffULL);
	CHECK_EQ(bp[0x1e8], 5);
	CHECK_EQ(le64(bp + 0x2d0 + 4 * 20), 4 * GIB);
	CHECK_EQ(le64(bp + 0x2d0 + 4 * 20 + 8), 2 * GIB);
	tvm_free(&t);
}

static void test_bz_cmdline(void)
{
	struct bz_opts o = bz_default(0x20f);
	char longest[256], too_long[257];
	struct tvm t;

	o.cmdline_size = 255;
	memset(longest, 'a', sizeof(longest) - 1);
	longest[255] = 0;
	memset(too_long, 'b', sizeof(too_long) - 1);
	too_long[256] = 0;

	tvm_init(&t, 64 * MIB);
	t.cfg.kernel = bz_write("bzcl", &o);
	t.cfg.append = longest;
	CHECK_LOADS(&t);
	CHECK_STR((const char *)gptr(&t, LAYOUT_CMDLINE, 256), longest);
	tvm_free(&t);

	tvm_init(&t, 64 * MIB);
	t.cfg.kernel = bz_write("bzcl", &o);
	t.cfg.append = too_long;
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "command line of 256 bytes is too long");
	tvm_free(&t);
}

static void test_bz_errors(void)
{
	struct bz_opts o;
	struct tvm t;
	uint8_t *b;
	size_t len;

	tvm_init(&t, 64 * MIB);

	o = bz_default(0x205);
	t.cfg.kernel = bz_write("bz205", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "boot protocol 2.05 is too old");

	o = bz_default(0x202);
	t.cfg.kernel = bz_write("bz202", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "boot protocol 2.02 is too old");

	o = bz_default(0x20f);
	o.magic = "HdrX";
	t.cfg.kernel = bz_write("bzmagic", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "not a bzImage, ELF or multiboot kernel");

	o = bz_default(0x20f);
	o.loadflags = 0;
	t.cfg.kernel = bz_write("zimage", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "zImage");

	/* Truncated in the payload, in the setup code, in the header. */
	o = bz_default(0x20f);
	b = bz_make(&o, &len);
	t.cfg.kernel = tmp_write("bztrunc", b, len - 1);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "truncated");
	o.setup_sects = 0;	/* means 4 */
	free(b);
	b = bz_make(&o, &len);
	t.cfg.kernel = tmp_write("bztrunc", b, 0x300);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "truncated");
	t.cfg.kernel = tmp_write("bztrunc", b, 0x240);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "truncated");
	t.cfg.kernel = tmp_write("bztrunc", b, 0x204);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "not a bzImage");
	free(b);

	/* setup_sects 0 means 4: the payload starts at 5 * 512. */
	o = bz_default(0x20f);
	o.setup_sects = 0;
	t.cfg.kernel = bz_write("bz4", &o);
	CHECK_LOADS(&t);
	CHECK(gmem_equals_pattern(&t, 0x1000000, o.payload, 1));

	/* Empty file, a directory, a missing file. */
	t.cfg.kernel = tmp_write("empty", "", 0);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "not a bzImage");
	t.cfg.kernel = tmpdir;
	CHECK_FAILS(&t, -EINVAL, tmpdir, "not a regular file");
	t.cfg.kernel = tmp_path("no-such-kernel");
	CHECK_FAILS(&t, -ENOENT, t.cfg.kernel, "No such file");
	t.cfg.kernel = NULL;
	CHECK_FAILS(&t, -EINVAL, "-kernel", "no kernel");
	tvm_free(&t);
}

/* ---- ELF: PVH and multiboot --------------------------------------------- */

struct elf_opts {
	bool is64;
	uint16_t machine;
	bool pvh_note;
	bool note_desc8;
	bool multiboot;
	uint32_t mb_flags;	/* extra header flags; 0x10000 adds addresses */
	bool mb_bad_checksum;
	uint64_t paddr, vaddr;
	uint64_t filesz, memsz;
	uint64_t entry;		/* e_entry (virtual) */
	uint32_t pvh_entry;
	uint64_t phoff;		/* 0: right after the ELF header */
	uint16_t phnum;		/* 0: the real count */
	uint64_t seg_offset;	/* 0: 0x1000 */
};

static struct elf_opts elf_default(bool is64)
{
	return (struct elf_opts){
		.is64 = is64,
		.machine = is64 ? 62 : 3,
		.pvh_note = true,
		.paddr = 0x200000,
		.vaddr = 0x200000,
		.filesz = 0x2000,
		.memsz = 0x3000,
		.entry = 0x200040,
		.pvh_entry = 0x200010,
	};
}

#define NOTE_OFF 0x200
#define MB_HDR_SEG_OFF 0x0	/* the multiboot header starts the segment */

static size_t note_add(uint8_t *p, const char *name, uint32_t type,
		       const void *desc, uint32_t descsz)
{
	uint32_t namesz = strlen(name) + 1;
	size_t off = 12;

	w32(p, namesz);
	w32(p + 4, descsz);
	w32(p + 8, type);
	memcpy(p + off, name, namesz);
	off += (namesz + 3) & ~3U;
	memcpy(p + off, desc, descsz);
	off += (descsz + 3) & ~3U;
	return off;
}

static void mb_header(uint8_t *h, const struct elf_opts *o)
{
	uint32_t flags = 0x3 | o->mb_flags;

	w32(h, 0x1BADB002);
	w32(h + 4, flags);
	w32(h + 8, -(0x1BADB002 + flags) + (o->mb_bad_checksum ? 1 : 0));
	if (flags & 0x10000) {
		w32(h + 12, o->paddr + MB_HDR_SEG_OFF);	/* header_addr */
		w32(h + 16, o->paddr);			/* load_addr */
		w32(h + 20, o->paddr + o->filesz);	/* load_end_addr */
		w32(h + 24, o->paddr + o->memsz);	/* bss_end_addr */
		w32(h + 28, o->entry);			/* entry_addr */
	}
}

static uint8_t *elf_make(const struct elf_opts *o, size_t *len)
{
	uint64_t seg_off = o->seg_offset ? o->seg_offset : 0x1000;
	size_t ehsize = o->is64 ? 64 : 52, phsize = o->is64 ? 56 : 32;
	uint64_t phoff = o->phoff ? o->phoff : ehsize;
	uint16_t phnum = o->phnum ? o->phnum : 2;
	size_t size = seg_off + o->filesz;
	uint8_t *b = calloc(1, size + 0x1000);
	uint8_t *ph, *n = b + NOTE_OFF;
	size_t notes = 0;
	uint8_t desc[8];

	memcpy(b, "\x7f" "ELF", 4);
	b[4] = o->is64 ? 2 : 1;
	b[5] = 1;
	b[6] = 1;
	w16(b + 16, 2);
	w16(b + 18, o->machine);
	w32(b + 20, 1);
	if (o->is64) {
		w64(b + 24, o->entry);
		w64(b + 32, phoff);
		w16(b + 52, 64);
		w16(b + 54, 56);
		w16(b + 56, phnum);
	} else {
		w32(b + 24, o->entry);
		w32(b + 28, phoff);
		w16(b + 40, 52);
		w16(b + 42, 32);
		w16(b + 44, phnum);
	}
	/* Notes other than the PVH entry come first, to be skipped. */
	w32(desc, 0x12345678);
	notes += note_add(n + notes, "GNU", 3, desc, 4);
	notes += note_add(n + notes, "Xen", 17, desc, 4);
	if (o->pvh_note) {
		w64(desc, o->pvh_entry);
		notes += note_add(n + notes, "Xen", 18, desc,
				  o->note_desc8 ? 8 : 4);
	}
	/* Program headers, if they fit in the buffer (else truncated). */
	ph = b + phoff;
	if (phoff + 2 * phsize <= size) {
		if (o->is64) {
			w32(ph, 1);
			w32(ph + 4, 5);
			w64(ph + 8, seg_off);
			w64(ph + 16, o->vaddr);
			w64(ph + 24, o->paddr);
			w64(ph + 32, o->filesz);
			w64(ph + 40, o->memsz);
			w64(ph + 48, 0x1000);
			ph += 56;
			w32(ph, 4);
			w64(ph + 8, NOTE_OFF);
			w64(ph + 32, notes);
			w64(ph + 40, notes);
			w64(ph + 48, 4);
		} else {
			w32(ph, 1);
			w32(ph + 4, seg_off);
			w32(ph + 8, o->vaddr);
			w32(ph + 12, o->paddr);
			w32(ph + 16, o->filesz);
			w32(ph + 20, o->memsz);
			w32(ph + 24, 5);
			ph += 32;
			w32(ph, 4);
			w32(ph + 4, NOTE_OFF);
			w32(ph + 16, notes);
			w32(ph + 20, notes);
			w32(ph + 28, 4);
		}
	}
	fill_pattern(b + seg_off, o->filesz, 5);
	if (o->multiboot)
		mb_header(b + seg_off + MB_HDR_SEG_OFF, o);
	*len = size;
	return b;
}

static const char *elf_write(const char *name, const struct elf_opts *o)
{
	size_t len;
	uint8_t *b = elf_make(o, &len);
	const char *p = tmp_write(name, b, len);

	free(b);
	return p;
}

static void check_start_info(struct tvm *t, const char *append,
			     uint64_t rd_size, uint64_t kernel_end)
{
	struct e820_entry want[E820_MAX_ENTRIES];
	unsigned int n = e820_build(&t->mem, want, E820_MAX_ENTRIES);
	const uint8_t *si = gptr(t, LAYOUT_BOOT_INFO, 0x38);
	const uint8_t *map;

	CHECK_EQ(le32(si), 0x336ec578);
	CHECK_EQ(le32(si + 4), 1);
	CHECK_EQ(le32(si + 8), 0);
	CHECK_EQ(le64(si + 0x18), LAYOUT_CMDLINE);
	CHECK_STR((const char *)gptr(t, le64(si + 0x18), strlen(append) + 1),
		  append);
	CHECK_EQ(le64(si + 0x20), RSDP);
	CHECK_EQ(le32(si + 0x30), n);
	CHECK_EQ(le32(si + 0x34), 0);
	map = gptr(t, le64(si + 0x28), n * 24);
	for (unsigned int i = 0; i < n; i++) {
		CHECK_EQ(le64(map + 24 * i), want[i].addr);
		CHECK_EQ(le64(map + 24 * i + 8), want[i].size);
		CHECK_EQ(le32(map + 24 * i + 16), want[i].type);
		CHECK_EQ(le32(map + 24 * i + 20), 0);
	}
	if (!rd_size) {
		CHECK_EQ(le32(si + 0x0c), 0);
		return;
	}
	CHECK_EQ(le32(si + 0x0c), 1);
	{
		const uint8_t *mod = gptr(t, le64(si + 0x10), 32);
		uint64_t rd = le64(mod);

		CHECK_EQ(le64(mod + 8), rd_size);
		CHECK_EQ(rd & 0xfff, 0);
		CHECK(rd >= kernel_end);
		CHECK(rd + rd_size <= t->mem.regions[0].size);
		CHECK(gmem_equals_pattern(t, rd, rd_size, 6));
	}
}

static void test_pvh_good(bool is64)
{
	struct elf_opts o = elf_default(is64);
	const char *append = "console=hvc0";
	struct tvm t;

	if (is64) {
		/* Linux's vmlinux: high virtual addresses, low physical. */
		o.vaddr = 0xffffffff80200000ULL;
		o.entry = 0xffffffff80200040ULL;
		o.note_desc8 = true;
	}
	tvm_init(&t, 256 * MIB);
	t.cfg.kernel = elf_write(is64 ? "pvh64" : "pvh32", &o);
	t.cfg.initrd = tmp_initrd("pvhrd", 12345, 6);
	t.cfg.append = append;
	/* Stale bytes where the bss goes must be cleared. */
	memset(gptr(&t, o.paddr, o.memsz), 0xa5, o.memsz);
	CHECK_LOADS(&t);
	check_flat32(&t, o.pvh_entry);
	CHECK_EQ(t.vm.boot_cpu.gpr[R_RBX], LAYOUT_BOOT_INFO);
	CHECK(gmem_equals_pattern(&t, o.paddr, o.filesz, 5));
	CHECK(gmem_is_zero(&t, o.paddr + o.filesz, o.memsz - o.filesz));
	check_start_info(&t, append, 12345, o.paddr + o.memsz);
	tvm_free(&t);

	/* No initrd, no -append. */
	tvm_init(&t, 64 * MIB);
	t.cfg.kernel = elf_write("pvhplain", &o);
	CHECK_LOADS(&t);
	check_flat32(&t, o.pvh_entry);
	check_start_info(&t, "", 0, 0);
	tvm_free(&t);
}

static void test_pvh_errors(void)
{
	struct elf_opts o;
	struct tvm t;
	uint8_t *b;
	size_t len;

	tvm_init(&t, 256 * MIB);

	o = elf_default(true);
	o.pvh_note = false;
	t.cfg.kernel = elf_write("nonote", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "ELF without a PVH note");

	o = elf_default(true);
	o.paddr = 0x20000000;	/* 512 MiB, in 256 MiB of RAM */
	o.pvh_entry = 0x20000010;
	t.cfg.kernel = elf_write("beyond", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "outside guest RAM");

	o = elf_default(true);
	o.paddr = 256 * MIB - 0x2000;	/* the bss runs past the end */
	o.pvh_entry = o.paddr + 0x10;
	t.cfg.kernel = elf_write("straddle", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "outside guest RAM");

	/* Below 1 MiB only what kvmrun writes there is refused, as in QEMU. */
	o = elf_default(true);
	o.paddr = 0x6000;
	o.pvh_entry = 0x6010;
	t.cfg.kernel = elf_write("lowseg", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "overlaps kvmrun's boot information");

	o = elf_default(true);
	o.paddr = 0x8000;
	o.pvh_entry = 0x8010;
	t.cfg.kernel = elf_write("lowseg-free", &o);
	CHECK_EQ(x86_load_kernel(&t.vm), 0);

	o = elf_default(true);
	o.paddr = 0xfffffffffffff000ULL;
	t.cfg.kernel = elf_write("wrap", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "wraps around");

	o = elf_default(true);
	o.pvh_entry = 0x300000;
	t.cfg.kernel = elf_write("badentry", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "PVH entry 0x300000 is outside");

	/* Program headers past the end of the file. */
	o = elf_default(true);
	o.phoff = 0x2ff0;
	t.cfg.kernel = elf_write("truncph", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "truncated: the program headers");

	/* A segment whose bytes are not all in the file. */
	o = elf_default(false);
	b = elf_make(&o, &len);
	t.cfg.kernel = tmp_write("truncseg", b, len - 0x10);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "truncated: program header 0");
	/* Only the ELF header's first bytes. */
	t.cfg.kernel = tmp_write("truncehdr", b, 40);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "truncated: the ELF header");
	free(b);

	o = elf_default(true);
	o.filesz = 0x3000;
	o.memsz = 0x2000;
	t.cfg.kernel = elf_write("fileszbig", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "more file bytes");

	o = elf_default(true);
	o.machine = 40;		/* ARM */
	t.cfg.kernel = elf_write("arm", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "not x86");

	o = elf_default(true);
	o.phnum = 0xffff;
	t.cfg.kernel = elf_write("phnum", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "program headers");

	/* A note whose sizes run past its segment is ignored, not read. */
	o = elf_default(true);
	b = elf_make(&o, &len);
	w32(b + NOTE_OFF + 4, 0xfffffff0);
	t.cfg.kernel = tmp_write("badnote", b, len);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "ELF without a PVH note");
	free(b);

	tvm_free(&t);
}

static void check_mb_info(struct tvm *t, const char *cmdline,
			  const char *rd_path, uint64_t rd_size,
			  uint64_t kernel_end)
{
	struct e820_entry want[E820_MAX_ENTRIES];
	unsigned int n = e820_build(&t->mem, want, E820_MAX_ENTRIES);
	const uint8_t *mbi = gptr(t, LAYOUT_BOOT_INFO, 0x58);
	uint32_t flags = le32(mbi);
	const uint8_t *map, *mod;

	CHECK_EQ(t->vm.boot_cpu.gpr[R_RAX], 0x2BADB002);
	CHECK_EQ(t->vm.boot_cpu.gpr[R_RBX], LAYOUT_BOOT_INFO);
	CHECK(flags & (1 << 0));	/* mem_lower/upper */
	CHECK(flags & (1 << 2));	/* cmdline */
	CHECK(flags & (1 << 3));	/* mods */
	CHECK(flags & (1 << 6));	/* mmap */
	CHECK(flags & (1 << 9));	/* boot_loader_name */
	CHECK_EQ(le32(mbi + 4), 639);
	CHECK_EQ(le32(mbi + 8), (t->mem.regions[0].size - MIB) / 1024);
	CHECK_STR((const char *)gptr(t, le32(mbi + 16), strlen(cmdline) + 1),
		  cmdline);
	CHECK_STR((const char *)gptr(t, le32(mbi + 64), 7), "kvmrun");
	CHECK_EQ(le32(mbi + 44), n * 24);
	map = gptr(t, le32(mbi + 48), n * 24);
	for (unsigned int i = 0; i < n; i++) {
		CHECK_EQ(le32(map + 24 * i), 20);
		CHECK_EQ(le64(map + 24 * i + 4), want[i].addr);
		CHECK_EQ(le64(map + 24 * i + 12), want[i].size);
		CHECK_EQ(le32(map + 24 * i + 20), want[i].type);
	}
	if (!rd_path) {
		CHECK_EQ(le32(mbi + 20), 0);
		return;
	}
	CHECK_EQ(le32(mbi + 20), 1);
	mod = gptr(t, le32(mbi + 24), 16);
	/* Page-aligned right after the kernel, as QEMU and GRUB do. */
	CHECK_EQ(le32(mod), (kernel_end + 0xfff) & ~0xfffULL);
	CHECK_EQ(le32(mod + 4) - le32(mod), rd_size);
	CHECK_STR((const char *)gptr(t, le32(mod + 8), strlen(rd_path) + 1),
		  rd_path);
	CHECK(gmem_equals_pattern(t, le32(mod), rd_size, 7));
}

static void test_multiboot_elf(void)
{
	struct elf_opts o = elf_default(false);
	char cmdline[PATH_MAX + 64];
	const char *rd;
	struct tvm t;

	o.pvh_note = false;
	o.multiboot = true;
	tvm_init(&t, 256 * MIB);
	t.cfg.kernel = elf_write("mb32", &o);
	t.cfg.initrd = rd = tmp_initrd("mbmod", 5000, 7);
	t.cfg.append = "verbose=1";
	memset(gptr(&t, o.paddr, o.memsz), 0x5a, o.memsz);
	CHECK_LOADS(&t);
	check_flat32(&t, o.entry);
	snprintf(cmdline, sizeof(cmdline), "%s verbose=1", t.cfg.kernel);
	check_mb_info(&t, cmdline, rd, 5000, o.paddr + o.memsz);
	CHECK(gmem_is_zero(&t, o.paddr + o.filesz, o.memsz - o.filesz));
	tvm_free(&t);

	/* No -append: QEMU still puts the space after the file name. */
	tvm_init(&t, 64 * MIB);
	t.cfg.kernel = elf_write("mb32", &o);
	CHECK_LOADS(&t);
	snprintf(cmdline, sizeof(cmdline), "%s ", t.cfg.kernel);
	check_mb_info(&t, cmdline, NULL, 0, 0);
	tvm_free(&t);

	/* The ELF entry is virtual: translated through its segment. */
	o.vaddr = 0xc0200000;
	o.entry = 0xc0200040;
	tvm_init(&t, 64 * MIB);
	t.cfg.kernel = elf_write("mbvirt", &o);
	CHECK_LOADS(&t);
	check_flat32(&t, 0x200040);
	tvm_free(&t);
}

static void test_multiboot_address_fields(void)
{
	struct elf_opts o = elf_default(true);
	char cmdline[PATH_MAX + 64];
	struct tvm t;
	uint8_t raw[0x3000];
	uint8_t *h = raw + 0x40;
	uint8_t *img;
	size_t len;

	/* An ELF64 is fine when the header says where everything goes. */
	o.pvh_note = false;
	o.multiboot = true;
	o.mb_flags = 0x10000;
	tvm_init(&t, 64 * MIB);
	img = elf_make(&o, &len);
	t.cfg.kernel = tmp_write("mb64addr", img, len);
	memset(gptr(&t, o.paddr, o.memsz), 0x5a, o.memsz);
	CHECK_LOADS(&t);
	check_flat32(&t, o.entry);
	snprintf(cmdline, sizeof(cmdline), "%s ", t.cfg.kernel);
	check_mb_info(&t, cmdline, NULL, 0, 0);
	/* From the header's file offset on, as the address fields say. */
	CHECK(memcmp(gptr(&t, o.paddr, o.filesz), img + 0x1000, o.filesz) == 0);
	CHECK(gmem_is_zero(&t, o.paddr + o.filesz, o.memsz - o.filesz));
	free(img);
	tvm_free(&t);

	/* A raw binary (the a.out kludge): header at 0x40, loaded at 1 MiB. */
	fill_pattern(raw, sizeof(raw), 8);
	w32(h, 0x1BADB002);
	w32(h + 4, 0x10003);
	w32(h + 8, -(0x1BADB002 + 0x10003));
	w32(h + 12, 0x100040);		/* header_addr */
	w32(h + 16, 0x100000);		/* load_addr */
	w32(h + 20, 0);			/* load_end_addr: the whole file */
	w32(h + 24, 0x110000);		/* bss_end_addr */
	w32(h + 28, 0x100080);		/* entry */
	tvm_init(&t, 64 * MIB);
	t.cfg.kernel = tmp_write("aout", raw, sizeof(raw));
	t.cfg.initrd = tmp_initrd("mbmod", 4096 * 3, 7);
	memset(gptr(&t, 0x100000, 0x10000), 0x5a, 0x10000);
	CHECK_LOADS(&t);
	check_flat32(&t, 0x100080);
	CHECK(memcmp(gptr(&t, 0x100000, sizeof(raw)), raw, sizeof(raw)) == 0);
	CHECK(gmem_is_zero(&t, 0x100000 + sizeof(raw), 0x10000 - sizeof(raw)));
	snprintf(cmdline, sizeof(cmdline), "%s ", t.cfg.kernel);
	check_mb_info(&t, cmdline, t.cfg.initrd, 4096 * 3, 0x110000);

	/* Inconsistent addresses. */
	w32(h + 12, 0x100000);
	w32(h + 16, 0x100040);		/* load_addr above header_addr */
	t.cfg.kernel = tmp_write("aout-bad", raw, sizeof(raw));
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "does not fit header_addr");
	w32(h + 12, 0x100040);
	w32(h + 16, 0x100000);
	w32(h + 28, 0x200000);		/* entry outside the image */
	t.cfg.kernel = tmp_write("aout-bad", raw, sizeof(raw));
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "entry 0x200000 is outside");
	w32(h + 28, 0x100080);
	w32(h + 20, 0x100000 + sizeof(raw) + 0x100);	/* past the file */
	w32(h + 24, 0);
	t.cfg.kernel = tmp_write("aout-bad", raw, sizeof(raw));
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "truncated");
	w32(h + 20, 0);
	w32(h + 24, 0x100100);		/* bss_end below the image's end */
	t.cfg.kernel = tmp_write("aout-bad", raw, sizeof(raw));
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "bss_end_addr");
	w32(h + 24, 0);
	w32(h + 12, 0x20040);		/* on kvmrun's command line */
	w32(h + 16, 0x20000);
	w32(h + 28, 0x20080);
	t.cfg.kernel = tmp_write("aout-bad", raw, sizeof(raw));
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "overlaps kvmrun's command line");
	/* The same file without flag 16 is no loadable multiboot kernel. */
	w32(h + 4, 0x3);
	w32(h + 8, -(0x1BADB002 + 0x3));
	t.cfg.kernel = tmp_write("aout-bad", raw, sizeof(raw));
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "not ELF");
	/* Requirements kvmrun does not know. */
	w32(h + 4, 0x10);
	w32(h + 8, -(0x1BADB002 + 0x10));
	t.cfg.kernel = tmp_write("aout-bad", raw, sizeof(raw));
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "requires features 0x10");
	tvm_free(&t);
}

static void test_multiboot_errors(void)
{
	struct elf_opts o;
	struct tvm t;
	uint8_t raw[0x3000];

	tvm_init(&t, 64 * MIB);

	o = elf_default(false);
	o.pvh_note = false;
	o.multiboot = true;
	o.mb_bad_checksum = true;
	t.cfg.kernel = elf_write("mbsum", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "bad checksum");

	memset(raw, 0, sizeof(raw));
	w32(raw + 0x100, 0x1BADB002);
	w32(raw + 0x104, 0x10000);
	w32(raw + 0x108, 0);
	t.cfg.kernel = tmp_write("rawsum", raw, sizeof(raw));
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "bad checksum");

	/* Past the first 8 KiB: not searched. */
	{
		uint8_t big[0x4000];

		memset(big, 0, sizeof(big));
		w32(big + 0x2000, 0x1BADB002);
		w32(big + 0x2004, 0x10000);
		w32(big + 0x2008, -(0x1BADB002 + 0x10000));
		t.cfg.kernel = tmp_write("mbfar", big, sizeof(big));
		CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "not a bzImage, ELF or multiboot");
	}

	o = elf_default(true);
	o.pvh_note = false;
	o.multiboot = true;
	t.cfg.kernel = elf_write("mb64", &o);
	CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "ELF64 without address fields");

	/* A too long command line. */
	{
		char *append = malloc(LAYOUT_CMDLINE_MAX + 1);

		memset(append, 'x', LAYOUT_CMDLINE_MAX);
		append[LAYOUT_CMDLINE_MAX] = 0;
		o = elf_default(false);
		o.pvh_note = false;
		o.multiboot = true;
		t.cfg.kernel = elf_write("mb32", &o);
		t.cfg.append = append;
		CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "too long");
		o.multiboot = false;
		o.pvh_note = true;
		t.cfg.kernel = elf_write("pvhlong", &o);
		CHECK_FAILS(&t, -EINVAL, t.cfg.kernel, "too long");
		t.cfg.append = NULL;
		free(append);
	}

	/* A module that does not fit in RAM after the kernel. */
	o = elf_default(false);
	o.pvh_note = false;
	o.multiboot = true;
	t.cfg.kernel = elf_write("mb32", &o);
	t.cfg.initrd = tmp_initrd("mbbig", 63 * MIB, 7);
	CHECK_FAILS(&t, -EINVAL, t.cfg.initrd, "initrd: 63 MiB does not fit below 0x4000000");
	t.cfg.initrd = NULL;

	tvm_free(&t);
}

/* An image with both a PVH note and a multiboot header boots through PVH. */
static void test_pvh_preferred(void)
{
	struct elf_opts o = elf_default(false);
	struct tvm t;

	o.multiboot = true;
	tvm_init(&t, 64 * MIB);
	t.cfg.kernel = elf_write("both", &o);
	CHECK_LOADS(&t);
	check_flat32(&t, o.pvh_entry);
	CHECK_EQ(t.vm.boot_cpu.gpr[R_RAX], 0);
	CHECK_EQ(t.vm.boot_cpu.gpr[R_RBX], LAYOUT_BOOT_INFO);
	CHECK_EQ(le32(gptr(&t, LAYOUT_BOOT_INFO, 4)), 0x336ec578);
	tvm_free(&t);
}

/* ---- real inputs -------------------------------------------------------- */

static char build_dir[PATH_MAX];

static void find_build_dir(void)
{
	const char *env = getenv("BUILD");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(build_dir, sizeof(build_dir), "%s", env);
		return;
	}
	/* build/unit/test_loader -> build */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		snprintf(build_dir, sizeof(build_dir), "build");
		return;
	}
	exe[n] = 0;
	snprintf(build_dir, sizeof(build_dir), "%s", dirname(dirname(exe)));
}

static bool file_exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static void test_kit_bzimage(void)
{
	char path[PATH_MAX + 32], rd[PATH_MAX + 32];
	uint8_t hdr[0x270], *bp;
	uint64_t pref, setup;
	struct tvm t;
	FILE *f;

	snprintf(path, sizeof(path), "%s/guest-kit/bzImage", build_dir);
	snprintf(rd, sizeof(rd), "%s/guest-kit/initramfs.cpio.gz", build_dir);
	if (!file_exists(path)) {
		printf("SKIP: %s absent (the guest kit is not built)\n", path);
		return;
	}
	f = fopen(path, "rb");
	CHECK(f && fread(hdr, 1, sizeof(hdr), f) == sizeof(hdr));
	if (f)
		fclose(f);
	pref = le64(hdr + 0x258);
	setup = ((hdr[0x1f1] ? hdr[0x1f1] : 4) + 1) * 512ULL;
	tvm_init(&t, 256 * MIB);
	t.cfg.kernel = path;
	t.cfg.initrd = file_exists(rd) ? rd : NULL;
	t.cfg.append = "console=ttyS0 nopv";
	CHECK_LOADS(&t);
	bp = gptr(&t, LAYOUT_ZERO_PAGE, 4096);
	CHECK(le16(bp + 0x206) >= 0x20c);
	CHECK(bp[0x234]);			/* relocatable */
	CHECK(le16(bp + 0x236) & 1);		/* XLF_KERNEL_64 */
	check_long64(&t, pref + 0x200);
	CHECK_EQ(le32(bp + 0x21c) != 0, t.cfg.initrd != NULL);
	/* The first 4 KiB of the protected-mode kernel, straight from the file. */
	{
		uint8_t want[4096];

		f = fopen(path, "rb");
		CHECK(f && fseek(f, setup, SEEK_SET) == 0 &&
		      fread(want, 1, sizeof(want), f) == sizeof(want));
		if (f)
			fclose(f);
		CHECK(memcmp(gptr(&t, pref, sizeof(want)), want,
			     sizeof(want)) == 0);
	}
	printf("guest kit bzImage: protocol %u.%02u, loaded at %#llx, init_size %u MiB, initrd %u bytes at %#x\n",
	       le16(bp + 0x206) >> 8, le16(bp + 0x206) & 0xff,
	       (unsigned long long)pref, le32(bp + 0x260) >> 20,
	       le32(bp + 0x21c), le32(bp + 0x218));
	tvm_free(&t);
}

/* PVH_ENTRY=0x... from the kit's kit.env, or 0 when absent. */
static uint64_t kit_pvh_entry(void)
{
	char path[PATH_MAX + 32], line[256];
	uint64_t v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/guest-kit/kit.env", build_dir);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "PVH_ENTRY=", 10) == 0)
			v = strtoull(line + 10, NULL, 0);
	fclose(f);
	return v;
}

static void test_kit_vmlinux(void)
{
	char path[PATH_MAX + 32], rd[PATH_MAX + 32];
	uint64_t want = kit_pvh_entry();
	struct tvm t;

	snprintf(path, sizeof(path), "%s/guest-kit/vmlinux", build_dir);
	snprintf(rd, sizeof(rd), "%s/guest-kit/initramfs.cpio.gz", build_dir);
	if (!file_exists(path)) {
		printf("SKIP: %s absent (the guest kit is not built)\n", path);
		return;
	}
	tvm_init(&t, 256 * MIB);
	t.cfg.kernel = path;
	t.cfg.initrd = file_exists(rd) ? rd : NULL;
	t.cfg.append = "console=ttyS0";
	CHECK_LOADS(&t);
	if (want)
		check_flat32(&t, want);
	CHECK(t.vm.boot_cpu.rip >= 0x1000000);
	CHECK_EQ(t.vm.boot_cpu.gpr[R_RBX], LAYOUT_BOOT_INFO);
	CHECK_EQ(le32(gptr(&t, LAYOUT_BOOT_INFO, 4)), 0x336ec578);
	CHECK_EQ(le32(gptr(&t, LAYOUT_BOOT_INFO + 0x0c, 4)),
		 t.cfg.initrd != NULL);
	printf("guest kit vmlinux: PVH entry %#llx (kit.env says %#llx)\n",
	       (unsigned long long)t.vm.boot_cpu.rip, (unsigned long long)want);
	tvm_free(&t);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void test_guest_images(void)
{
	char dir[PATH_MAX + 16];
	unsigned int n = 0;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/guest", build_dir);
	d = opendir(dir);
	if (!d) {
		printf("SKIP: %s absent (the test guests are not built)\n", dir);
		return;
	}
	while ((de = readdir(d))) {
		char path[PATH_MAX * 2];
		bool mb_only = has_suffix(de->d_name, "-mb.elf");
		struct tvm t;

		if (!has_suffix(de->d_name, ".elf"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		tvm_init(&t, 64 * MIB);
		t.cfg.kernel = path;
		t.cfg.append = "test";
		CHECK_LOADS(&t);
		CHECK_EQ(t.vm.boot_cpu.gpr[R_RBX], LAYOUT_BOOT_INFO);
		CHECK_EQ(t.vm.boot_cpu.gpr[R_RAX], mb_only ? 0x2BADB002 : 0);
		CHECK_EQ(t.vm.boot_cpu.cr0, X86_CR0_PE | X86_CR0_ET);
		CHECK(t.vm.boot_cpu.rip >= 0x100000);
		if (!mb_only)
			CHECK_EQ(le32(gptr(&t, LAYOUT_BOOT_INFO, 4)), 0x336ec578);
		n++;
		tvm_free(&t);
	}
	closedir(d);
	if (n)
		printf("test guests: %u images loaded from %s\n", n, dir);
	else
		printf("SKIP: no test guest images in %s\n", dir);
}

int main(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/kvmrun-loader-XXXXXX",
		 base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	find_build_dir();

	test_bz_64bit();
	test_bz_versions();
	test_bz_placement();
	test_bz_initrd_limits();
	test_bz_cmdline();
	test_bz_errors();
	test_pvh_good(true);
	test_pvh_good(false);
	test_pvh_errors();
	test_multiboot_elf();
	test_multiboot_address_fields();
	test_multiboot_errors();
	test_pvh_preferred();
	test_kit_bzimage();
	test_kit_vmlinux();
	test_guest_images();

	tmp_cleanup();
	return unit_report();
}
