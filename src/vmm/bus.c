// SPDX-License-Identifier: GPL-2.0-or-later
/* bus.c: MMIO routing by address and device interrupt lines. */
#include "bus.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <vkvm/vkvm.h>

void vmm_bus_init(struct vmm_bus *bus)
{
	memset(bus, 0, sizeof(*bus));
	pthread_mutex_init(&bus->warn_lock, NULL);
}

void vmm_bus_destroy(struct vmm_bus *bus)
{
	pthread_mutex_destroy(&bus->warn_lock);
}

int vmm_bus_add(struct vmm_bus *bus, uint64_t base, uint64_t size,
		const struct vmm_mmio_ops *ops, void *opaque)
{
	unsigned int i;

	if (size == 0 || base + size < base)
		return -EINVAL;
	if (bus->nr == VMM_BUS_MAX_REGIONS)
		return -ENOSPC;
	for (i = 0; i < bus->nr; i++) {
		const struct vmm_mmio_region *r = &bus->regions[i];

		if (base < r->base + r->size && r->base < base + size)
			return -EEXIST;
		if (r->base > base)
			break;
	}
	memmove(&bus->regions[i + 1], &bus->regions[i],
		(bus->nr - i) * sizeof(bus->regions[0]));
	bus->regions[i] = (struct vmm_mmio_region){ base, size, ops, opaque };
	bus->nr++;
	return 0;
}

static const struct vmm_mmio_region *bus_find(const struct vmm_bus *bus,
					      uint64_t addr)
{
	unsigned int lo = 0, hi = bus->nr;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		const struct vmm_mmio_region *r = &bus->regions[mid];

		if (addr < r->base)
			hi = mid;
		else if (addr - r->base >= r->size)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

/* One warning per page for the first VMM_BUS_WARN_PAGES pages. */
static void bus_warn_unmapped(struct vmm_bus *bus, uint64_t addr, bool is_write)
{
	uint64_t page = addr & ~0xfffULL;
	bool warn = true;

	pthread_mutex_lock(&bus->warn_lock);
	for (unsigned int i = 0; i < bus->nr_warned; i++)
		if (bus->warned[i] == page)
			warn = false;
	if (warn && bus->nr_warned < VMM_BUS_WARN_PAGES)
		bus->warned[bus->nr_warned++] = page;
	else
		warn = false;
	pthread_mutex_unlock(&bus->warn_lock);
	if (warn)
		fprintf(stderr,
			"vkvm: warning: guest %s at 0x%llx: no device there "
			"(reads as zero, writes ignored)\n",
			is_write ? "write" : "read", (unsigned long long)addr);
}

static uint64_t data_to_u64(const uint8_t data[8], unsigned int len)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < len; i++)
		v |= (uint64_t)data[i] << (8 * i);
	return v;
}

static void u64_to_data(uint64_t v, uint8_t data[8], unsigned int len)
{
	for (unsigned int i = 0; i < len; i++)
		data[i] = (uint8_t)(v >> (8 * i));
}

void vmm_bus_access(struct vmm_bus *bus, uint64_t addr, uint8_t data[8],
		    unsigned int len, bool is_write)
{
	const struct vmm_mmio_region *r;

	if (len == 0 || len > 8)
		return;
	r = bus_find(bus, addr);
	if (!r) {
		bus_warn_unmapped(bus, addr, is_write);
		if (!is_write)
			memset(data, 0, len);
		return;
	}
	if (is_write) {
		if (r->ops->write)
			r->ops->write(r->opaque, addr - r->base,
				      data_to_u64(data, len), len);
		return;
	}
	u64_to_data(
		r->ops->read ? r->ops->read(r->opaque, addr - r->base, len) : 0,
		data, len);
}

int vmm_irq_set(struct vmm_irq_line *line, int level)
{
	struct kvm_irq_level irq;

	level = !!level;
	if (line->level == level)
		return 0;
	line->level = level;
	if (line->vm_fd < 0)
		return 0;
	memset(&irq, 0, sizeof(irq));
	irq.irq = (uint32_t)KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT |
		  line->intid;
	irq.level = (uint32_t)level;
	return vkvm_ioctl(line->vm_fd, KVM_IRQ_LINE, &irq) < 0 ? -errno : 0;
}
