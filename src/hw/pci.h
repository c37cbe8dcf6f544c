/* SPDX-License-Identifier: MIT */
/*
 * PCI: the host bridge (an i440FX at 00:00.0, configuration mechanism #1 at
 * 0xCF8/0xCFC) and the API a PCI function uses (virtio, pci-testdev).
 *
 * A device embeds a struct pci_function, fills it with pci_function_init(),
 * adds BARs, an interrupt pin and capabilities, and registers it from its
 * realize (DEVICE_ORDER_PCI, after the host).  Registering does what
 * firmware would, since there is none: it assigns every BAR an address
 * (memory from MEM_PCI_MMIO_BASE, 4 KiB-aligned at least; I/O from 0xC000),
 * fills in the interrupt line and turns decoding on.  From then on the
 * guest may move or disable BARs; the bus ranges follow.  Everything runs
 * under the bus lock.
 *
 * Bus 0 only, 32 slots, function 0 of each slot.
 *
 * INTx routing (fixed, as SeaBIOS programs QEMU's PIIX3 PIRQ links):
 *	GSI = { 10, 10, 11, 11 }[(slot + pin - 1) & 3]	(pin 1 = INTA#)
 * The lines are level-triggered, active high, shared (wired-OR): the ACPI
 * tables must say so (MADT overrides for 10 and 11, level/high, and a
 * matching _PRT).
 */
#ifndef KVMRUN_HW_PCI_H
#define KVMRUN_HW_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "memory.h"

struct vm;

#define PCI_CONFIG_ADDR_PORT 0xCF8
#define PCI_CONFIG_DATA_PORT 0xCFC
#define PCI_SLOTS 32
#define PCI_CONFIG_SIZE 256
#define PCI_NUM_BARS 6

#define PCI_HOST_VENDOR 0x8086	/* Intel 82441FX (i440FX), as QEMU's pc */
#define PCI_HOST_DEVICE 0x1237

#define PCI_IO_ALLOC_BASE 0xC000
#define PCI_IO_ALLOC_END 0x10000
#define PCI_MEM_BAR_MIN_ALIGN 0x1000

/* The two GSIs INTx lines are routed to, and the routing itself. */
#define PCI_INTX_GSI_LOW 10
#define PCI_INTX_GSI_HIGH 11
unsigned int pci_intx_gsi(unsigned int slot, unsigned int pin);

/* Configuration space registers. */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_REVISION_ID 0x08
#define PCI_CLASS_PROG 0x09
#define PCI_CACHE_LINE_SIZE 0x0C
#define PCI_LATENCY_TIMER 0x0D
#define PCI_HEADER_TYPE 0x0E
#define PCI_BASE_ADDRESS_0 0x10
#define PCI_SUBSYSTEM_VENDOR_ID 0x2C
#define PCI_SUBSYSTEM_ID 0x2E
#define PCI_ROM_ADDRESS 0x30
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE 0x3C
#define PCI_INTERRUPT_PIN 0x3D
#define PCI_CAP_START 0x40	/* capabilities are placed from here */

#define PCI_COMMAND_IO 0x0001
#define PCI_COMMAND_MEMORY 0x0002
#define PCI_COMMAND_MASTER 0x0004
#define PCI_COMMAND_PARITY 0x0040
#define PCI_COMMAND_SERR 0x0100
#define PCI_COMMAND_INTX_DISABLE 0x0400

#define PCI_STATUS_INTERRUPT 0x0008
#define PCI_STATUS_CAP_LIST 0x0010
#define PCI_STATUS_W1C 0xF900	/* error bits: write 1 to clear */

/* BAR flags: the low bits of the BAR register. */
#define PCI_BAR_MEM32 0x00
#define PCI_BAR_IO 0x01
#define PCI_BAR_MEM64 0x04
#define PCI_BAR_PREFETCH 0x08

#define PCI_CAP_ID_MSIX 0x11
#define PCI_MSIX_FLAGS 2		/* message control, in the capability */
#define PCI_MSIX_FLAGS_QSIZE 0x07FF
#define PCI_MSIX_FLAGS_MASKALL 0x4000
#define PCI_MSIX_FLAGS_ENABLE 0x8000
#define PCI_MSIX_TABLE 4
#define PCI_MSIX_PBA 8
#define PCI_MSIX_CAP_SIZE 12
#define PCI_MSIX_ENTRY_SIZE 16
#define PCI_MSIX_ENTRY_CTRL_MASK 0x1
#define PCI_MSIX_MAX_VECTORS 2048

struct pci_function;

struct pci_bar {
	uint64_t size;		/* a power of two; 0: no BAR here */
	uint8_t flags;		/* PCI_BAR_IO, or MEM32/MEM64 [| PREFETCH] */
	io_handler_fn fn;	/* the device's registers in the BAR */
	void *opaque;
	/* Where the BAR decodes now (kept by pci.c). */
	bool mapped;
	uint64_t addr;
	struct pci_function *owner;
	unsigned int index;
};

struct pci_msix {
	unsigned int nvec;
	uint8_t cap;		/* offset of the capability */
	uint8_t bar;		/* the BAR holding the table and the PBA */
	uint32_t table_off, pba_off;
	uint8_t *table;		/* nvec entries of 16 bytes */
	uint64_t *pba;		/* pending bits */
};

struct pci_function {
	uint8_t config[PCI_CONFIG_SIZE];
	uint8_t wmask[PCI_CONFIG_SIZE];		/* guest-writable bits */
	uint8_t w1cmask[PCI_CONFIG_SIZE];	/* write-1-to-clear bits */
	struct pci_bar bars[PCI_NUM_BARS];
	const char *name;

	/* Optional hooks, called under the bus lock. */
	/* After a guest config write has been applied. */
	void (*config_write)(struct pci_function *f, uint32_t off,
			     uint32_t len, uint32_t val);
	/* A BAR started or stopped decoding at addr (e.g. for ioeventfds). */
	void (*bar_moved)(struct pci_function *f, unsigned int bar,
			  uint64_t addr, bool mapped);
	/* An MSI-X vector's entry, or (vec -1) the enable/mask-all bits changed. */
	void (*msix_changed)(struct pci_function *f, int vec);
	void *opaque;

	/* Kept by pci.c. */
	struct vm *vm;
	int slot;		/* -1 until registered */
	int intx_level;
	unsigned int cap_next;	/* where the next capability goes */
	struct pci_msix *msix;
};

/*
 * Clear f (hooks included: set them after) and fill in a type-0 header:
 * IDs, class (24-bit: base, sub, prog-if), the masks of the standard
 * registers, QEMU's subsystem IDs (1af4:1100).
 */
void pci_function_init(struct pci_function *f, const char *name,
		       uint16_t vendor, uint16_t device, uint32_t class_code,
		       uint8_t revision);
/*
 * Declare BAR `bar` (a 64-bit BAR also takes bar + 1).  size: a power of
 * two, I/O 4..256 bytes, memory at least 16.  fn may be NULL when the BAR
 * only holds the MSI-X table.  Before registering only.
 */
int pci_function_set_bar(struct pci_function *f, unsigned int bar,
			 uint8_t flags, uint64_t size, io_handler_fn fn,
			 void *opaque);
/* INTA#..INTD# = 1..4; 0 for none (the default). */
void pci_function_set_pin(struct pci_function *f, unsigned int pin);
/*
 * Append a capability of `size` bytes (ID and next pointer included) to
 * the list; returns its offset, or -ENOSPC.  The caller fills the body
 * and, for guest-writable fields, f->wmask.
 */
int pci_add_capability(struct pci_function *f, uint8_t id, uint8_t size);
/* The offset of the first capability with this ID, or 0. */
uint8_t pci_find_capability(const struct pci_function *f, uint8_t id);

/*
 * MSI-X with nvec vectors, its table at table_off and pending bits at
 * pba_off in BAR `bar` (which must be declared first and be big enough).
 */
int pci_msix_init(struct pci_function *f, unsigned int nvec, unsigned int bar,
		  uint32_t table_off, uint32_t pba_off);
bool pci_msix_enabled(const struct pci_function *f);
/* The guest-programmed message of a vector, and whether it is masked. */
bool pci_msix_vector(const struct pci_function *f, unsigned int vec,
		     uint64_t *addr, uint32_t *data);
/*
 * Signal vector vec: sent now, or left pending while masked.  -ENODEV
 * when MSI-X is off (use INTx), -EINVAL for a bad vector.
 */
int pci_msix_notify(struct pci_function *f, unsigned int vec);

/*
 * Plug f into slot (or the first free one from 1 when slot < 0), assign
 * its BARs and interrupt line, enable decoding.  The host bridge must
 * exist.  0 or -errno after one line.
 */
int pci_register_function(struct vm *vm, struct pci_function *f, int slot);
/* Unmap, drop its interrupt, free MSI-X state; safe if never registered. */
void pci_unregister_function(struct pci_function *f);

/* Drive the function's INTx# pin (level-triggered). */
void pci_set_irq(struct pci_function *f, int level);

/*
 * Configuration space as the guest sees it: len 1, 2 or 4 within the 256
 * bytes (all ones otherwise), masks applied on write.
 */
uint32_t pci_config_read(struct pci_function *f, uint32_t off, uint32_t len);
void pci_config_write(struct pci_function *f, uint32_t off, uint32_t len,
		      uint32_t val);
/* Where a BAR decodes now, or 0. */
uint64_t pci_bar_address(const struct pci_function *f, unsigned int bar);

/* The host bridge (realized by the device registry; public for tests). */
int pci_host_init(struct vm *vm);
void pci_host_fini(void);
/* The function in a slot, or NULL. */
struct pci_function *pci_host_slot(unsigned int slot);

/* The firmware-style allocator registration uses; pure, for tests. */
struct pci_allocator {
	uint64_t mem_next, mem_end;
	uint32_t io_next, io_end;
};

void pci_allocator_init(struct pci_allocator *a);
/* Naturally aligned; memory at least PCI_MEM_BAR_MIN_ALIGN.  -ENOSPC. */
int pci_allocate(struct pci_allocator *a, uint8_t flags, uint64_t size,
		 uint64_t *addr);

#endif
