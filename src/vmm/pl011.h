/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pl011.h: the Arm PL011 UART (DDI 0183) at 0x09000000: transmit goes to
 * an output fd at once (the TX FIFO never fills), receive comes from the
 * console through a 16-byte FIFO (1 byte with FIFOs off), with the RX
 * interrupt on SPI 1 (INTID 33), level-high.
 */
#ifndef VKVM_VMM_PL011_H
#define VKVM_VMM_PL011_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "bus.h"

#define PL011_FIFO_DEPTH 16

struct vmm_pl011 {
	pthread_mutex_t lock;
	int out_fd;
	struct vmm_irq_line irq;
	/* called (without the lock) when a full RX FIFO gains room */
	void (*rx_space)(void *opaque);
	void *rx_space_opaque;
	uint8_t rx[PL011_FIFO_DEPTH];
	unsigned int rx_head, rx_count;
	int rx_was_full;
	uint32_t ris, imsc, ibrd, fbrd, lcr_h, cr, ifls, dmacr;
};

extern const struct vmm_mmio_ops vmm_pl011_ops;

/*
 * vmm_pl011_init - reset state; transmit to @out_fd, interrupt through
 * @irq (its vm_fd may be -1 for none).
 */
void vmm_pl011_init(struct vmm_pl011 *u, int out_fd, struct vmm_irq_line irq);
/* vmm_pl011_destroy - free the lock; no access or push may run. */
void vmm_pl011_destroy(struct vmm_pl011 *u);

/*
 * vmm_pl011_push_rx - offer received bytes; thread-safe.
 * Returns how many of @len were taken (0 when the FIFO is full; the
 * rx_space callback says when to try again).
 */
size_t vmm_pl011_push_rx(struct vmm_pl011 *u, const uint8_t *buf, size_t len);

#endif /* VKVM_VMM_PL011_H */
