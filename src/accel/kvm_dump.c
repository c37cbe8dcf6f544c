// SPDX-License-Identifier: MIT
/* Guest-virtual reads and the register dump printed on a fatal exit. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "accel/kvm_internal.h"
#include "accel/kvm_regs.h"
#include "util/log.h"
#include "vm.h"
#include "x86/insn/insn.h"

int kvm_translate(struct kvm_vcpu *v, uint64_t la, uint64_t *gpa,
		  bool *writeable)
{
	struct kvm_translation tr = { .linear_address = la };

	if (ioctl(v->fd, KVM_TRANSLATE, &tr) < 0 || !tr.valid)
		return -EFAULT;
	*gpa = tr.physical_address;
	if (writeable)
		*writeable = tr.writeable;
	return 0;
}

int kvm_read_virt(struct kvm_vcpu *v, uint64_t la, void *buf, unsigned int len)
{
	uint8_t *out = buf;

	while (len > 0) {
		unsigned int chunk = 4096 - (la & 4095);
		uint64_t gpa;

		if (chunk > len)
			chunk = len;
		if (kvm_translate(v, la, &gpa, NULL) ||
		    guest_read(v->vm->mem, gpa, out, chunk))
			return -EFAULT;
		out += chunk;
		la += chunk;
		len -= chunk;
	}
	return 0;
}

static void dump_seg(const char *name, const struct kvm_segment *s)
{
	log_info("  %-4s sel=%04x base=%016llx limit=%08x type=%x s=%u dpl=%u p=%u l=%u db=%u g=%u",
		 name, s->selector, (unsigned long long)s->base, s->limit,
		 s->type, s->s, s->dpl, s->present, s->l, s->db, s->g);
}

static void dump_code(struct kvm_vcpu *v, const struct kvm_regs *r,
		      const struct kvm_sregs *s)
{
	uint64_t la = s->cs.base + r->rip;
	uint8_t code[16];
	char hex[16 * 3 + 1] = "";
	unsigned int n = sizeof(code);

	/* Fewer bytes when the page after RIP is not mapped. */
	if (kvm_read_virt(v, la, code, n)) {
		n = 4096 - (la & 4095);
		if (n >= sizeof(code) || kvm_read_virt(v, la, code, n))
			n = 0;
	}
	for (unsigned int i = 0; i < n; i++)
		snprintf(hex + 3 * i, 4, "%02x ", code[i]);
	if (n == 0)
		log_info("  code at %016llx: (not mapped)", (unsigned long long)la);
	else
		log_info("  code at %016llx: %s", (unsigned long long)la, hex);
	if (n > 0) {
		struct x86_cpu_state cpu;
		char text[160];

		kvm_regs_to_cpu(r, s, &cpu);
		x86_insn_format_bytes(code, n, x86_cpu_code_size(&cpu), text,
				      sizeof(text));
		log_info("  instruction: %s", text);
	}
}

void kvm_dump_vcpu(struct kvm_vcpu *v, const char *why)
{
	struct kvm_regs r;
	struct kvm_sregs s;

	log_error("vcpu %u: fatal: %s", v->index, why);
	if (ioctl(v->fd, KVM_GET_REGS, &r) < 0 ||
	    ioctl(v->fd, KVM_GET_SREGS, &s) < 0) {
		log_error("vcpu %u: cannot read registers: %s", v->index,
			  strerror(errno));
		return;
	}
	log_info("  RIP=%016llx RSP=%016llx RFLAGS=%08llx",
		 r.rip, r.rsp, r.rflags);
	log_info("  RAX=%016llx RBX=%016llx RCX=%016llx RDX=%016llx",
		 r.rax, r.rbx, r.rcx, r.rdx);
	log_info("  RSI=%016llx RDI=%016llx RBP=%016llx R8 =%016llx",
		 r.rsi, r.rdi, r.rbp, r.r8);
	log_info("  R9 =%016llx R10=%016llx R11=%016llx R12=%016llx",
		 r.r9, r.r10, r.r11, r.r12);
	log_info("  R13=%016llx R14=%016llx R15=%016llx",
		 r.r13, r.r14, r.r15);
	log_info("  CR0=%016llx CR2=%016llx CR3=%016llx CR4=%016llx EFER=%llx",
		 s.cr0, s.cr2, s.cr3, s.cr4, s.efer);
	dump_seg("CS", &s.cs);
	dump_seg("SS", &s.ss);
	dump_seg("DS", &s.ds);
	dump_seg("TR", &s.tr);
	log_info("  GDT=%016llx/%04x IDT=%016llx/%04x",
		 s.gdt.base, s.gdt.limit, s.idt.base, s.idt.limit);
	dump_code(v, &r, &s);
}
