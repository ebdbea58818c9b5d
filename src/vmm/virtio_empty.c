// SPDX-License-Identifier: GPL-2.0-or-later
/* virtio_empty.c: an empty virtio-mmio slot: identity registers only. */
#include "virtio_empty.h"

#define VIRTIO_MMIO_MAGIC 0x74726976U /* "virt" */
#define VIRTIO_MMIO_VERSION 2U
#define VIRTIO_MMIO_VENDOR 0x554d4551U /* "QEMU", as QEMU's slots */

static uint64_t virtio_empty_read(void *opaque, uint64_t off, unsigned int len)
{
	switch (off) {
	case 0x000:
		return VIRTIO_MMIO_MAGIC;
	case 0x004:
		return VIRTIO_MMIO_VERSION;
	case 0x00c:
		return VIRTIO_MMIO_VENDOR;
	default:
		return 0; /* DeviceID 0: no device; the rest RAZ */
	}
}

const struct vmm_mmio_ops vmm_virtio_empty_ops = {
	.read = virtio_empty_read,
	.write = NULL,
};
