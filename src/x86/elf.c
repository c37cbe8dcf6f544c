// SPDX-License-Identifier: MIT
/*
 * ELF parsing for the PVH and multiboot loaders: little-endian x86 executables
 * of either class, loaded by physical address.  Every offset and size read
 * from the file is checked against the file before use.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memory.h"
#include "util/log.h"
#include "x86/loader.h"

#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_386 3
#define EM_X86_64 62

#define EHDR32_SIZE 52
#define EHDR64_SIZE 64
#define PHDR32_SIZE 32
#define PHDR64_SIZE 56
#define PN_XNUM 0xffff

/* A PT_NOTE larger than this is not a set of boot notes. */
#define NOTE_SEG_MAX (1U << 20)

bool elf_has_magic(const uint8_t *head, uint64_t len)
{
	return len >= 4 && memcmp(head, "\x7f" "ELF", 4) == 0;
}

static void phdr_decode(const uint8_t *p, bool is64, struct elf_seg *s)
{
	if (is64) {
		s->type = get_le32(p);
		s->flags = get_le32(p + 4);
		s->offset = get_le64(p + 8);
		s->vaddr = get_le64(p + 16);
		s->paddr = get_le64(p + 24);
		s->filesz = get_le64(p + 32);
		s->memsz = get_le64(p + 40);
	} else {
		s->type = get_le32(p);
		s->offset = get_le32(p + 4);
		s->vaddr = get_le32(p + 8);
		s->paddr = get_le32(p + 12);
		s->filesz = get_le32(p + 16);
		s->memsz = get_le32(p + 20);
		s->flags = get_le32(p + 24);
	}
}

static int ehdr_check(const struct kfile *f, const uint8_t *eh)
{
	uint16_t type = get_le16(eh + 16);
	uint16_t machine = get_le16(eh + 18);

	if (eh[EI_CLASS] != ELFCLASS32 && eh[EI_CLASS] != ELFCLASS64) {
		log_error("%s: ELF of unknown class %u", f->path, eh[EI_CLASS]);
		return -EINVAL;
	}
	if (eh[EI_DATA] != ELFDATA2LSB || eh[EI_VERSION] != 1) {
		log_error("%s: not a little-endian ELF version 1 file", f->path);
		return -EINVAL;
	}
	if (machine != EM_386 && machine != EM_X86_64) {
		log_error("%s: ELF for machine %u, not x86", f->path, machine);
		return -EINVAL;
	}
	if (type != ET_EXEC) {
		log_error("%s: ELF of type %u, not an executable (ET_EXEC)",
			  f->path, type);
		return -EINVAL;
	}
	return 0;
}

static int seg_check(const struct kfile *f, const struct elf_seg *s,
		     unsigned int i)
{
	if (s->type != ELF_PT_LOAD && s->type != ELF_PT_NOTE)
		return 0;
	if (s->offset > f->size || s->filesz > f->size - s->offset) {
		log_error("%s: truncated: program header %u's data at bytes %#llx..%#llx, but the file has only %llu bytes",
			  f->path, i, (unsigned long long)s->offset,
			  (unsigned long long)(s->offset + s->filesz),
			  (unsigned long long)f->size);
		return -EINVAL;
	}
	if (s->type == ELF_PT_LOAD && s->filesz > s->memsz) {
		log_error("%s: program header %u has more file bytes (%#llx) than memory (%#llx)",
			  f->path, i, (unsigned long long)s->filesz,
			  (unsigned long long)s->memsz);
		return -EINVAL;
	}
	if (s->paddr + s->memsz < s->paddr || s->vaddr + s->memsz < s->vaddr) {
		log_error("%s: program header %u wraps around the address space",
			  f->path, i);
		return -EINVAL;
	}
	return 0;
}

int elf_parse(const struct kfile *f, struct elf_image *elf)
{
	uint8_t eh[EHDR64_SIZE], *ph;
	uint64_t phoff, phlen;
	uint16_t phentsize, phnum;
	int ret;

	memset(elf, 0, sizeof(*elf));
	ret = kfile_read(f, 0, eh, EI_CLASS + 1, "the ELF header");
	if (ret)
		return ret;
	elf->is64 = eh[EI_CLASS] == ELFCLASS64;
	ret = kfile_read(f, 0, eh, elf->is64 ? EHDR64_SIZE : EHDR32_SIZE,
			 "the ELF header");
	if (ret)
		return ret;
	ret = ehdr_check(f, eh);
	if (ret)
		return ret;
	elf->machine = get_le16(eh + 18);
	if (elf->is64) {
		elf->entry = get_le64(eh + 24);
		phoff = get_le64(eh + 32);
		phentsize = get_le16(eh + 54);
		phnum = get_le16(eh + 56);
	} else {
		elf->entry = get_le32(eh + 24);
		phoff = get_le32(eh + 28);
		phentsize = get_le16(eh + 42);
		phnum = get_le16(eh + 44);
	}
	if (phentsize != (elf->is64 ? PHDR64_SIZE : PHDR32_SIZE)) {
		log_error("%s: ELF program header size %u is wrong for its class",
			  f->path, phentsize);
		return -EINVAL;
	}
	if (phnum == 0 || phnum == PN_XNUM || phnum > ELF_MAX_PHDRS) {
		log_error("%s: ELF with %u program headers (kvmrun takes 1 to %u)",
			  f->path, phnum, ELF_MAX_PHDRS);
		return -EINVAL;
	}
	phlen = (uint64_t)phnum * phentsize;
	ph = malloc(phlen);
	if (!ph) {
		log_error("%s: out of memory", f->path);
		return -ENOMEM;
	}
	ret = kfile_read(f, phoff, ph, phlen, "the program headers");
	if (ret)
		goto out;
	elf->nr_phdrs = phnum;
	for (unsigned int i = 0; i < phnum; i++) {
		phdr_decode(ph + i * phentsize, elf->is64, &elf->phdrs[i]);
		ret = seg_check(f, &elf->phdrs[i], i);
		if (ret)
			goto out;
	}
out:
	free(ph);
	return ret;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Walk one PT_NOTE segment's notes; 1 when the note was found. */
static int note_scan(const uint8_t *buf, uint64_t len, const char *name,
		     uint32_t type, void *desc, uint32_t *desc_len)
{
	uint64_t namesz_want = strlen(name) + 1;
	uint64_t pos = 0;

	while (len - pos >= 12) {
		uint64_t namesz = get_le32(buf + pos);
		uint64_t descsz = get_le32(buf + pos + 4);
		uint32_t ntype = get_le32(buf + pos + 8);
		uint64_t name_off = pos + 12;
		uint64_t desc_off = name_off + align_up(namesz, 4);
		uint64_t next = desc_off + align_up(descsz, 4);

		/* Sizes are 32-bit, so these sums cannot wrap in 64 bits. */
		if (desc_off > len || descsz > len - desc_off)
			return 0;
		if (ntype == type && namesz == namesz_want &&
		    memcmp(buf + name_off, name, namesz) == 0) {
			uint32_t n = descsz < *desc_len ? descsz : *desc_len;

			memcpy(desc, buf + desc_off, n);
			*desc_len = descsz;
			return 1;
		}
		if (next > len)
			return 0;
		pos = next;
	}
	return 0;
}

int elf_find_note(const struct kfile *f, const struct elf_image *elf,
		  const char *name, uint32_t type, void *desc,
		  uint32_t *desc_len)
{
	for (unsigned int i = 0; i < elf->nr_phdrs; i++) {
		const struct elf_seg *s = &elf->phdrs[i];
		uint8_t *buf;
		int ret;

		if (s->type != ELF_PT_NOTE || s->filesz == 0)
			continue;
		if (s->filesz > NOTE_SEG_MAX) {
			log_warn("%s: skipping a %llu-byte note segment",
				 f->path, (unsigned long long)s->filesz);
			continue;
		}
		buf = malloc(s->filesz);
		if (!buf) {
			log_error("%s: out of memory", f->path);
			return -ENOMEM;
		}
		ret = kfile_read(f, s->offset, buf, s->filesz, "a note segment");
		if (ret == 0)
			ret = note_scan(buf, s->filesz, name, type, desc,
					desc_len);
		free(buf);
		if (ret)
			return ret;
	}
	return 0;
}

int elf_load_segments(const struct kfile *f, const struct elf_image *elf,
		      const struct guest_mem *mem, uint64_t *end)
{
	unsigned int loaded = 0;
	uint64_t top = 0;
	char what[32];
	int ret;

	for (unsigned int i = 0; i < elf->nr_phdrs; i++) {
		const struct elf_seg *s = &elf->phdrs[i];

		if (s->type != ELF_PT_LOAD || s->memsz == 0)
			continue;
		snprintf(what, sizeof(what), "segment %u", i);
		ret = check_kernel_range(f, mem, s->paddr, s->memsz, what);
		if (ret)
			return ret;
		ret = kfile_read_guest(f, s->offset, s->filesz, mem, s->paddr,
				       what);
		if (ret)
			return ret;
		ret = guest_zero(mem, s->paddr + s->filesz,
				 s->memsz - s->filesz);
		if (ret)
			return ret;
		if (s->paddr + s->memsz > top)
			top = s->paddr + s->memsz;
		loaded++;
	}
	if (!loaded) {
		log_error("%s: ELF has no loadable segments", f->path);
		return -EINVAL;
	}
	*end = top;
	return 0;
}

bool elf_paddr_loaded(const struct elf_image *elf, uint64_t gpa)
{
	for (unsigned int i = 0; i < elf->nr_phdrs; i++) {
		const struct elf_seg *s = &elf->phdrs[i];

		if (s->type == ELF_PT_LOAD && gpa >= s->paddr &&
		    gpa - s->paddr < s->memsz)
			return true;
	}
	return false;
}

int elf_entry_paddr(const struct elf_image *elf, uint64_t *paddr)
{
	for (unsigned int i = 0; i < elf->nr_phdrs; i++) {
		const struct elf_seg *s = &elf->phdrs[i];

		if (s->type == ELF_PT_LOAD && elf->entry >= s->vaddr &&
		    elf->entry - s->vaddr < s->memsz) {
			*paddr = s->paddr + (elf->entry - s->vaddr);
			return 0;
		}
	}
	return -ENOENT;
}
