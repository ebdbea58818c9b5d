// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * device_state.c: the PL011 and PL031 state that goes into a snapshot
 * (docs/snapshot-format.md), read and written under each device's lock.
 * A restored device drives its interrupt line again, high or low, so a
 * level the vGIC model cannot carry (GICv2 has no LEVEL_INFO) is not
 * lost, and the device is the one source of truth for its line: the vGIC
 * state is saved after the devices', and console input arriving between
 * the two may have raised the line in the vGIC's copy only.
 */
#include "device_state.h"

#include <string.h>

void vmm_pl011_get_state(struct vmm_pl011 *u, struct snap_pl011 *s)
{
	pthread_mutex_lock(&u->lock);
	memset(s, 0, sizeof(*s));
	memcpy(s->rx, u->rx, sizeof(s->rx));
	s->rx_head = u->rx_head;
	s->rx_count = u->rx_count;
	s->ris = u->ris;
	s->imsc = u->imsc;
	s->ibrd = u->ibrd;
	s->fbrd = u->fbrd;
	s->lcr_h = u->lcr_h;
	s->cr = u->cr;
	s->ifls = u->ifls;
	s->dmacr = u->dmacr;
	s->irq_level = (uint32_t)u->irq.level;
	pthread_mutex_unlock(&u->lock);
}

void vmm_pl011_set_state(struct vmm_pl011 *u, const struct snap_pl011 *s)
{
	pthread_mutex_lock(&u->lock);
	memcpy(u->rx, s->rx, sizeof(u->rx));
	u->rx_head = s->rx_head % PL011_FIFO_DEPTH;
	u->rx_count = s->rx_count > PL011_FIFO_DEPTH ? PL011_FIFO_DEPTH :
						       s->rx_count;
	u->ris = s->ris;
	u->imsc = s->imsc;
	u->ibrd = s->ibrd;
	u->fbrd = s->fbrd;
	u->lcr_h = s->lcr_h;
	u->cr = s->cr;
	u->ifls = s->ifls;
	u->dmacr = s->dmacr;
	u->irq.level = !s->irq_level; /* drive it even when low */
	vmm_irq_set(&u->irq, s->irq_level ? 1 : 0);
	pthread_mutex_unlock(&u->lock);
}

void vmm_pl031_get_state(struct vmm_pl031 *r, struct snap_pl031 *s)
{
	pthread_mutex_lock(&r->lock);
	memset(s, 0, sizeof(*s));
	s->offset = r->offset;
	s->mr = r->mr;
	s->imsc = r->imsc;
	s->ris = r->ris;
	s->last_dr = r->last_dr;
	s->irq_level = (uint32_t)r->irq.level;
	pthread_mutex_unlock(&r->lock);
}

void vmm_pl031_set_state(struct vmm_pl031 *r, const struct snap_pl031 *s)
{
	pthread_mutex_lock(&r->lock);
	r->offset = s->offset;
	r->mr = s->mr;
	r->imsc = s->imsc;
	r->ris = s->ris;
	r->last_dr = s->last_dr;
	r->irq.level = !s->irq_level; /* drive it even when low */
	vmm_irq_set(&r->irq, s->irq_level ? 1 : 0);
	pthread_mutex_unlock(&r->lock);
}
