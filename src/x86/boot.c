// SPDX-License-Identifier: MIT
/*
 * Kernel loading: format detection and what the three loaders share (file
 * reading with truncation checks, placement checks, the initrd, the command
 * line, the boot GDT and the entry register states).
 */
#include "x86/boot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "memory.h"
#include "util/log.h"
#include "vm.h"
#include "x86/cpu.h"
#include "x86/layout.h"
#include "x86/loader.h"

#define PAGE_SIZE 4096ULL
#define MIB (1ULL << 20)

static uint64_t mib_up(uint64_t bytes)
{
	return bytes / MIB + (bytes % MIB != 0);
}

int kfile_open(struct kfile *f, const char *path, const char *role)
{
	struct stat st;
	int err;

	f->path = path;
	/*
	 * O_NONBLOCK: a FIFO nobody writes would block open() forever, with
	 * the terminating signals already routed to the not-yet-running event
	 * loop.  It changes nothing for the regular files accepted below.
	 */
	f->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (f->fd < 0) {
		err = -errno;
		/* QEMU's wording, which test runners look for. */
		log_error("could not open %s %s: %s", role, path, strerror(-err));
		return err;
	}
	if (fstat(f->fd, &st) < 0) {
		err = -errno;
		log_error("%s: %s", path, strerror(-err));
		goto err_close;
	}
	if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
		log_error("%s: not a regular file", path);
		goto err_close;
	}
	f->size = st.st_size;
	return 0;

err_close:
	close(f->fd);
	f->fd = -1;
	return err;
}

void kfile_close(struct kfile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

static int check_in_file(const struct kfile *f, uint64_t off, uint64_t len,
			 const char *what)
{
	if (off <= f->size && len <= f->size - off)
		return 0;
	log_error("%s: truncated: %s at bytes %#llx..%#llx, but the file has only %llu bytes",
		  f->path, what, (unsigned long long)off,
		  (unsigned long long)(off + len), (unsigned long long)f->size);
	return -EINVAL;
}

static int pread_all(const struct kfile *f, uint64_t off, uint8_t *buf,
		     uint64_t len)
{
	while (len) {
		size_t chunk = len > (1ULL << 30) ? (1ULL << 30) : len;
		ssize_t n = pread(f->fd, buf, chunk, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;

			log_error("%s: %s", f->path, strerror(-err));
			return err;
		}
		if (n == 0) {
			/* The file shrank under us. */
			log_error("%s: unexpected end of file at %#llx",
				  f->path, (unsigned long long)off);
			return -EIO;
		}
		buf += n;
		off += n;
		len -= n;
	}
	return 0;
}

int kfile_read(const struct kfile *f, uint64_t off, void *buf, uint64_t len,
	       const char *what)
{
	int ret = check_in_file(f, off, len, what);

	return ret ? ret : pread_all(f, off, buf, len);
}

int kfile_read_guest(const struct kfile *f, uint64_t off, uint64_t len,
		     const struct guest_mem *mem, uint64_t gpa, const char *what)
{
	void *hva;
	int ret;

	if (len == 0)
		return 0;
	ret = check_in_file(f, off, len, what);
	if (ret)
		return ret;
	hva = gpa_to_hva(mem, gpa, len);
	if (!hva) {
		log_error("%s: %s at %#llx (%llu bytes) is outside guest RAM",
			  f->path, what, (unsigned long long)gpa,
			  (unsigned long long)len);
		return -EINVAL;
	}
	return pread_all(f, off, hva, len);
}

int guest_zero(const struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	void *hva;

	if (len == 0)
		return 0;
	hva = gpa_to_hva(mem, gpa, len);
	if (!hva)
		return -EFAULT;
	memset(hva, 0, len);
	return 0;
}

uint64_t low_ram_end(const struct guest_mem *mem)
{
	return guest_ram_span(mem, 0);
}

/*
 * What kvmrun itself writes below 1 MiB for a 32-bit entry (PVH, multiboot)
 * and what firmware would own there.  A kernel may load anywhere else in
 * RAM, as QEMU allows (kvm-unit-tests' realmode.flat loads at 0x8000).
 */
struct boot_area {
	uint64_t base, size;
	const char *what;
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct boot_area boot_areas[] = {
	{ LAYOUT_GDT, 0x100, "boot GDT" },
	{ LAYOUT_BOOT_INFO, 0x1000, "boot information" },
	{ LAYOUT_CMDLINE, LAYOUT_CMDLINE_MAX, "command line" },
	{ LAYOUT_EBDA, LAYOUT_HIGHMEM - LAYOUT_EBDA, "EBDA, BIOS area and ACPI tables" },
};

int check_kernel_range(const struct kfile *f, const struct guest_mem *mem,
		       uint64_t gpa, uint64_t len, const char *what)
{
	uint64_t end = gpa + len;

	if (end < gpa) {
		log_error("%s: %s at %#llx with size %#llx wraps around the address space",
			  f->path, what, (unsigned long long)gpa,
			  (unsigned long long)len);
		return -EINVAL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(boot_areas); i++) {
		const struct boot_area *a = &boot_areas[i];

		if (gpa < a->base + a->size && end > a->base) {
			log_error("%s: %s at %#llx..%#llx overlaps kvmrun's %s at "
				  "%#llx..%#llx below 1 MiB",
				  f->path, what, (unsigned long long)gpa,
				  (unsigned long long)end, a->what,
				  (unsigned long long)a->base,
				  (unsigned long long)(a->base + a->size));
			return -EINVAL;
		}
	}
	/* No -m can put RAM in the 32-bit MMIO hole: say so, not "larger -m". */
	if (len && gpa < MEM_HIGH_BASE && end > MEM_MMIO_HOLE_BASE) {
		log_error("%s: %s at %#llx..%#llx lies in the 32-bit MMIO hole "
			  "(%#llx..%#llx), where there is never RAM — the image "
			  "must be linked elsewhere",
			  f->path, what, (unsigned long long)gpa,
			  (unsigned long long)end, MEM_MMIO_HOLE_BASE, MEM_HIGH_BASE);
		return -EINVAL;
	}
	if (len && !gpa_to_hva(mem, gpa, len)) {
		log_error("%s: %s at %#llx..%#llx is outside guest RAM "
			  "(%llu MiB: low RAM ends at %#llx); use a larger -m",
			  f->path, what, (unsigned long long)gpa,
			  (unsigned long long)end,
			  (unsigned long long)(mem->ram_size >> 20),
			  (unsigned long long)low_ram_end(mem));
		return -EINVAL;
	}
	return 0;
}

int initrd_load(const struct vm *vm, const char *path, uint64_t lo,
		uint64_t hi, bool high, uint64_t *addr, uint64_t *size)
{
	struct kfile f;
	uint64_t at;
	int ret;

	ret = kfile_open(&f, path, "initrd");
	if (ret)
		return ret;
	lo = (lo + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (hi < lo || f.size > hi - lo ||
	    ((hi - f.size) & ~(PAGE_SIZE - 1)) < lo) {
		log_error("%s: initrd: %llu MiB does not fit below %#llx "
			  "(%llu MiB free above the kernel from %#llx); use a larger -m",
			  path, (unsigned long long)mib_up(f.size),
			  (unsigned long long)hi,
			  (unsigned long long)(hi > lo ? (hi - lo) >> 20 : 0),
			  (unsigned long long)lo);
		ret = -EINVAL;
		goto out;
	}
	at = high ? (hi - f.size) & ~(PAGE_SIZE - 1) : lo;
	ret = kfile_read_guest(&f, 0, f.size, vm->mem, at, "initrd");
	if (ret)
		goto out;
	*addr = at;
	*size = f.size;
	log_debug("%s: initrd at %#llx, %llu bytes", path,
		  (unsigned long long)at, (unsigned long long)f.size);
out:
	kfile_close(&f);
	return ret;
}

int cmdline_write(const struct vm *vm, const char *cmdline, uint64_t max)
{
	size_t len = strlen(cmdline);

	if (max > LAYOUT_CMDLINE_MAX - 1)
		max = LAYOUT_CMDLINE_MAX - 1;
	if (len > max) {
		log_error("%s: command line of %zu bytes is too long: this kernel accepts at most %llu",
			  vm->cfg->kernel, len, (unsigned long long)max);
		return -EINVAL;
	}
	return guest_write(vm->mem, LAYOUT_CMDLINE, cmdline, len + 1);
}

/*
 * The boot GDT: 0x10 code, 0x18 data (the selectors Linux's boot protocol
 * names __BOOT_CS/__BOOT_DS), 0x20 a busy TSS.  In long mode a system
 * descriptor takes two slots, so the GDT has six.
 */
#define BOOT_GDT_ENTRIES 6

static int gdt_write(const struct guest_mem *mem, bool long_mode)
{
	uint8_t buf[BOOT_GDT_ENTRIES * 8] = { 0 };

	/* Flat 4 GiB, accessed (so the CPU never writes the GDT), present. */
	put_le64(buf + BOOT_GDT_CS, long_mode ? 0x00af9b000000ffffULL :
						0x00cf9b000000ffffULL);
	put_le64(buf + BOOT_GDT_DS, 0x00cf93000000ffffULL);
	/* Base 0, limit 0x67, type 0xb (busy 32/64-bit TSS). */
	put_le64(buf + BOOT_GDT_TSS, 0x00008b0000000067ULL);
	return guest_write(mem, LAYOUT_GDT, buf, sizeof(buf));
}

static void seg_flat(struct x86_seg *s, uint16_t sel, uint8_t type)
{
	*s = (struct x86_seg){
		.base = 0,
		.limit = 0xffffffff,
		.selector = sel,
		.type = type,
		.s = 1,
		.present = 1,
		.db = 1,
		.g = 1,
	};
}

static void cpu_flat(struct x86_cpu_state *cpu, bool long_mode)
{
	memset(cpu, 0, sizeof(*cpu));
	seg_flat(&cpu->seg[S_CS], BOOT_GDT_CS, 0xb);
	if (long_mode) {
		cpu->seg[S_CS].l = 1;
		cpu->seg[S_CS].db = 0;
	}
	seg_flat(&cpu->seg[S_DS], BOOT_GDT_DS, 0x3);
	cpu->seg[S_ES] = cpu->seg[S_DS];
	cpu->seg[S_FS] = cpu->seg[S_DS];
	cpu->seg[S_GS] = cpu->seg[S_DS];
	cpu->seg[S_SS] = cpu->seg[S_DS];
	/* KVM refuses to enter without a busy TSS in TR. */
	cpu->seg[S_TR] = (struct x86_seg){
		.limit = 0x67, .selector = BOOT_GDT_TSS, .type = 0xb,
		.present = 1,
	};
	/* An empty LDT, as after reset. */
	cpu->seg[S_LDTR] = (struct x86_seg){
		.limit = 0xffff, .type = 0x2, .present = 1,
	};
	cpu->gdt.base = LAYOUT_GDT;
	cpu->gdt.limit = BOOT_GDT_ENTRIES * 8 - 1;
	/* No IDT: an exception before the kernel loads its own shuts down. */
	cpu->idt.base = 0;
	cpu->idt.limit = 0;
	cpu->rflags = X86_RFLAGS_FIXED;
	cpu->gpr[R_RSP] = LAYOUT_BOOT_STACK;
	/* The BSP's local APIC, enabled at its default address. */
	cpu->apic_base = MEM_LAPIC_BASE | (1ULL << 11) | (1ULL << 8);
}

/*
 * Real mode at a resume vector, as firmware leaves the CPU for the OS's
 * waking code (ACPI: CS:IP = vector >> 4 : vector & 0xf).  Nothing is
 * written to guest RAM: it is the guest's.
 */
void boot_cpu_real16(struct x86_cpu_state *cpu, uint32_t vector)
{
	static const struct x86_seg data = {
		.limit = 0xffff, .type = 0x3, .s = 1, .present = 1,
	};

	memset(cpu, 0, sizeof(*cpu));
	for (unsigned int i = 0; i < X86_NR_SEGS; i++)
		cpu->seg[i] = data;
	cpu->seg[S_CS].type = 0xb;
	cpu->seg[S_CS].selector = (uint16_t)(vector >> 4);
	cpu->seg[S_CS].base = vector & ~0xfU;
	cpu->seg[S_TR] = (struct x86_seg){
		.limit = 0xffff, .type = 0xb, .present = 1,
	};
	cpu->seg[S_LDTR] = (struct x86_seg){
		.limit = 0xffff, .type = 0x2, .present = 1,
	};
	cpu->gdt.limit = 0xffff;
	cpu->idt.limit = 0x3ff;		/* the real-mode vector table */
	cpu->rip = vector & 0xf;
	cpu->rflags = X86_RFLAGS_FIXED;
	cpu->cr0 = X86_CR0_ET;
	cpu->apic_base = MEM_LAPIC_BASE | (1ULL << 11) | (1ULL << 8);
}

int boot_cpu_flat32(const struct guest_mem *mem, struct x86_cpu_state *cpu,
		    uint32_t entry)
{
	int ret = gdt_write(mem, false);

	if (ret)
		return ret;
	cpu_flat(cpu, false);
	cpu->cr0 = X86_CR0_PE | X86_CR0_ET;
	cpu->rip = entry;
	return 0;
}

#define PTE_P 0x1ULL
#define PTE_RW 0x2ULL
#define PTE_PS 0x80ULL

/* PML4 -> one PDPT -> four PDs of 2 MiB pages: an identity map of 4 GiB. */
static int identity_map_write(const struct guest_mem *mem)
{
	uint8_t page[PAGE_SIZE];
	int ret;

	memset(page, 0, sizeof(page));
	put_le64(page, LAYOUT_PDPT | PTE_P | PTE_RW);
	ret = guest_write(mem, LAYOUT_PML4, page, sizeof(page));
	if (ret)
		return ret;
	memset(page, 0, sizeof(page));
	for (unsigned int i = 0; i < 4; i++)
		put_le64(page + 8 * i,
			 (LAYOUT_PD + i * PAGE_SIZE) | PTE_P | PTE_RW);
	ret = guest_write(mem, LAYOUT_PDPT, page, sizeof(page));
	if (ret)
		return ret;
	for (uint64_t i = 0; i < 4; i++) {
		for (uint64_t j = 0; j < 512; j++) {
			uint64_t addr = ((i << 9) + j) << 21;

			put_le64(page + 8 * j, addr | PTE_P | PTE_RW | PTE_PS);
		}
		ret = guest_write(mem, LAYOUT_PD + i * PAGE_SIZE, page,
				  sizeof(page));
		if (ret)
			return ret;
	}
	return 0;
}

int boot_cpu_long64(const struct guest_mem *mem, struct x86_cpu_state *cpu,
		    uint64_t entry)
{
	int ret = gdt_write(mem, true);

	if (ret)
		return ret;
	ret = identity_map_write(mem);
	if (ret)
		return ret;
	cpu_flat(cpu, true);
	cpu->cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE | X86_CR0_PG;
	cpu->cr3 = LAYOUT_PML4;
	cpu->cr4 = X86_CR4_PAE;
	cpu->efer = X86_EFER_LME | X86_EFER_LMA;
	cpu->rip = entry;
	return 0;
}

static const char accepted[] =
	"kvmrun boots a Linux bzImage (boot protocol 2.06 or later), "
	"an ELF kernel with a PVH entry note, or a multiboot v1 kernel";

static int load_elf(struct vm *vm, const struct kfile *f, const uint8_t *head,
		    uint64_t head_len)
{
	struct elf_image *elf;
	uint64_t mb_off;
	uint32_t entry;
	int ret, mb;

	elf = calloc(1, sizeof(*elf));
	if (!elf) {
		log_error("%s: out of memory", f->path);
		return -ENOMEM;
	}
	ret = elf_parse(f, elf);
	if (ret)
		goto out;
	mb = multiboot_find(head, head_len, &mb_off);
	ret = pvh_probe(f, elf, &entry);
	if (ret < 0)
		goto out;
	if (ret == 1) {
		if (mb == 1)
			log_debug("%s: has both a PVH note and a multiboot header: booting through PVH",
				  f->path);
		ret = pvh_load(vm, f, elf, entry);
		goto out;
	}
	if (mb == 1) {
		ret = multiboot_load(vm, f, head, head_len, mb_off, elf);
		goto out;
	}
	if (mb == -EBADMSG)
		log_error("%s: ELF without a PVH note, and its multiboot header at offset %#llx has a bad checksum",
			  f->path, (unsigned long long)mb_off);
	else
		log_error("%s: ELF without a PVH note (XEN_ELFNOTE_PHYS32_ENTRY) or a multiboot header; %s",
			  f->path, accepted);
	ret = -EINVAL;
out:
	free(elf);
	return ret;
}

static int load_kernel_file(struct vm *vm, const struct kfile *f)
{
	uint8_t head[MULTIBOOT_SEARCH];
	uint64_t head_len = f->size < sizeof(head) ? f->size : sizeof(head);
	uint64_t mb_off;
	int ret, mb;

	ret = kfile_read(f, 0, head, head_len, "the header");
	if (ret)
		return ret;
	if (bzimage_probe(head, head_len))
		return bzimage_load(vm, f);
	if (elf_has_magic(head, head_len))
		return load_elf(vm, f, head, head_len);
	mb = multiboot_find(head, head_len, &mb_off);
	if (mb == 1)
		return multiboot_load(vm, f, head, head_len, mb_off, NULL);
	if (mb == -EBADMSG)
		log_error("%s: the multiboot header at offset %#llx has a bad checksum",
			  f->path, (unsigned long long)mb_off);
	else
		log_error("%s: not a bzImage, ELF or multiboot kernel; %s",
			  f->path, accepted);
	return -EINVAL;
}

int x86_load_kernel(struct vm *vm)
{
	struct kfile f;
	int ret;

	if (!vm->cfg->kernel) {
		log_error("no kernel to boot: give one with -kernel FILE");
		return -EINVAL;
	}
	ret = kfile_open(&f, vm->cfg->kernel, "kernel");
	if (ret)
		return ret;
	ret = load_kernel_file(vm, &f);
	kfile_close(&f);
	return ret;
}
