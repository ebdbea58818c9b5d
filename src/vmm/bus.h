/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bus.h: the VMM's MMIO bus.  KVM_EXIT_MMIO accesses are routed to the
 * device whose region holds the address; anything else reads as zero and
 * ignores writes, with one warning per page (the first few pages only).
 * Interrupt lines of the devices go to the vGIC through KVM_IRQ_LINE.
 */
#ifndef VKVM_VMM_BUS_H
#define VKVM_VMM_BUS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define VMM_BUS_MAX_REGIONS 48
#define VMM_BUS_WARN_PAGES 8

/* A device's register handlers: @off is relative to its base, @len 1..8. */
struct vmm_mmio_ops {
	uint64_t (*read)(void *opaque, uint64_t off, unsigned int len);
	void (*write)(void *opaque, uint64_t off, uint64_t val,
		      unsigned int len);
};

struct vmm_mmio_region {
	uint64_t base, size;
	const struct vmm_mmio_ops *ops;
	void *opaque;
};

struct vmm_bus {
	struct vmm_mmio_region regions[VMM_BUS_MAX_REGIONS]; /* by base */
	unsigned int nr;
	pthread_mutex_t warn_lock;
	uint64_t warned[VMM_BUS_WARN_PAGES];
	unsigned int nr_warned;
};

/* A level-sensitive SPI of the vGIC (vm_fd < 0: not connected). */
struct vmm_irq_line {
	int vm_fd;
	uint32_t intid;
	int level; /* last level sent */
};

/* vmm_bus_init - an empty bus.  vmm_bus_destroy() frees it. */
void vmm_bus_init(struct vmm_bus *bus);
/* vmm_bus_destroy - free what vmm_bus_init() set up; no access may run. */
void vmm_bus_destroy(struct vmm_bus *bus);

/*
 * vmm_bus_add - map @ops over [@base, @base + @size).  Setup time only
 * (the bus is read without locks while vCPUs run).
 * Returns 0, -ENOSPC (table full), -EINVAL (@size 0 or wraps) or -EEXIST
 * (overlaps a region).
 */
int vmm_bus_add(struct vmm_bus *bus, uint64_t base, uint64_t size,
		const struct vmm_mmio_ops *ops, void *opaque);

/*
 * vmm_bus_access - perform one KVM_EXIT_MMIO access: a write takes its
 * value from @data (little-endian, @len bytes), a read stores it there.
 * Total: bad lengths and unmapped addresses are RAZ/WI.
 */
void vmm_bus_access(struct vmm_bus *bus, uint64_t addr, uint8_t data[8],
		    unsigned int len, bool is_write);

/*
 * vmm_irq_set - drive @line to @level (0 or 1) with KVM_IRQ_LINE if it
 * changed.  Callers serialise calls for one line (the device's lock).
 * Returns 0 or -errno from KVM_IRQ_LINE.
 */
int vmm_irq_set(struct vmm_irq_line *line, int level);

#endif /* VKVM_VMM_BUS_H */
