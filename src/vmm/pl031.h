/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pl031.h: the Arm PL031 real-time clock (DDI 0224) at 0x09010000: a
 * seconds counter that starts at the host's time, a match register and
 * its interrupt on SPI 2 (INTID 34).
 */
#ifndef VKVM_VMM_PL031_H
#define VKVM_VMM_PL031_H

#include <pthread.h>
#include <stdint.h>

#include "bus.h"

struct vmm_pl031 {
	pthread_mutex_t lock;
	struct vmm_irq_line irq;
	int64_t offset; /* guest seconds - host seconds */
	uint32_t mr, imsc, ris;
	uint32_t last_dr; /* counter value at the last match check */
	/*
	 * Called under the lock when the guest writes MR, LR or IMSC: the
	 * caller of vmm_pl031_poll() must look again, its wait may now be
	 * too long (an alarm armed while it sleeps).  May be NULL.
	 */
	void (*alarm_changed)(void *opaque);
	void *alarm_changed_opaque;
};

extern const struct vmm_mmio_ops vmm_pl031_ops;

/* vmm_pl031_init - a running clock at the host's time. */
void vmm_pl031_init(struct vmm_pl031 *rtc, struct vmm_irq_line irq);
/* vmm_pl031_destroy - free the lock; no access or poll may run. */
void vmm_pl031_destroy(struct vmm_pl031 *rtc);

/*
 * vmm_pl031_poll - raise the match interrupt if the counter reached MR
 * since the last check.  Returns the milliseconds until the next check is
 * useful, or -1 when no alarm is armed.  Thread-safe.
 */
int vmm_pl031_poll(struct vmm_pl031 *rtc);

#endif /* VKVM_VMM_PL031_H */
