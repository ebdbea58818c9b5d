/* SPDX-License-Identifier: GPL-2.0-or-later */
/* device_state.h: PL011/PL031 state to and from snapshot records. */
#ifndef VKVM_VMM_DEVICE_STATE_H
#define VKVM_VMM_DEVICE_STATE_H

#include "pl011.h"
#include "pl031.h"
#include "snapshot_format.h"

/* vmm_pl011_get_state - copy @u's registers and RX FIFO into @s. */
void vmm_pl011_get_state(struct vmm_pl011 *u, struct snap_pl011 *s);

/*
 * vmm_pl011_set_state - load @s (checked by snap_parse()) into @u and
 * drive its interrupt line to the saved level.
 */
void vmm_pl011_set_state(struct vmm_pl011 *u, const struct snap_pl011 *s);

/* vmm_pl031_get_state / set_state - the same for the RTC. */
void vmm_pl031_get_state(struct vmm_pl031 *r, struct snap_pl031 *s);
void vmm_pl031_set_state(struct vmm_pl031 *r, const struct snap_pl031 *s);

#endif /* VKVM_VMM_DEVICE_STATE_H */
