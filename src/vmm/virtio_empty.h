/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio_empty.h: the 32 virtio-mmio transports of QEMU's virt with no
 * device behind them (Device ID 0), which guests probe and skip (virtio
 * 1.2 section 4.2.2: "DeviceID 0x0 ... placeholder").
 */
#ifndef VKVM_VMM_VIRTIO_EMPTY_H
#define VKVM_VMM_VIRTIO_EMPTY_H

#include "bus.h"

extern const struct vmm_mmio_ops vmm_virtio_empty_ops;

#endif /* VKVM_VMM_VIRTIO_EMPTY_H */
