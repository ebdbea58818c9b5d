// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pl031.c: PL031 registers (DDI 0224 section 3.2).  The counter is the
 * host's CLOCK_REALTIME plus an offset that a write to LR moves.
 */
#include "pl031.h"

#include <string.h>
#include <time.h>

#define RTCDR 0x00
#define RTCMR 0x04
#define RTCLR 0x08
#define RTCCR 0x0c
#define RTCIMSC 0x10
#define RTCRIS 0x14
#define RTCMIS 0x18
#define RTCICR 0x1c
#define RTC_ID_BASE 0xfe0

/* PeriphID0..3, PCellID0..3 (Linux matches 0x00041031 under 0xfffff) */
static const uint8_t pl031_id[8] = { 0x31, 0x10, 0x14, 0x00,
				     0x0d, 0xf0, 0x05, 0xb1 };

static uint32_t counter(const struct vmm_pl031 *rtc)
{
	return (uint32_t)((int64_t)time(NULL) + rtc->offset);
}

/* A match happened if MR lies in (last check, now]. */
static void check_match_locked(struct vmm_pl031 *rtc)
{
	uint32_t now = counter(rtc);

	if (now != rtc->last_dr &&
	    rtc->mr - rtc->last_dr - 1 < now - rtc->last_dr)
		rtc->ris |= 1;
	rtc->last_dr = now;
	vmm_irq_set(&rtc->irq, (rtc->ris & rtc->imsc) != 0);
}

static uint64_t pl031_read(void *opaque, uint64_t off, unsigned int len)
{
	struct vmm_pl031 *rtc = opaque;
	uint32_t v;

	if (off >= RTC_ID_BASE && off < RTC_ID_BASE + 32 && !(off & 3))
		return pl031_id[(off - RTC_ID_BASE) / 4];
	pthread_mutex_lock(&rtc->lock);
	check_match_locked(rtc);
	switch (off) {
	case RTCDR:
		v = rtc->last_dr;
		break;
	case RTCMR:
		v = rtc->mr;
		break;
	case RTCLR:
		v = rtc->last_dr;
		break;
	case RTCCR:
		v = 1; /* always started */
		break;
	case RTCIMSC:
		v = rtc->imsc;
		break;
	case RTCRIS:
		v = rtc->ris;
		break;
	case RTCMIS:
		v = rtc->ris & rtc->imsc;
		break;
	default:
		v = 0;
	}
	pthread_mutex_unlock(&rtc->lock);
	return v;
}

static void pl031_write(void *opaque, uint64_t off, uint64_t val,
			unsigned int len)
{
	struct vmm_pl031 *rtc = opaque;
	uint32_t v = (uint32_t)val;

	pthread_mutex_lock(&rtc->lock);
	switch (off) {
	case RTCMR:
		rtc->mr = v;
		break;
	case RTCLR:
		rtc->offset = (int64_t)v - (int64_t)time(NULL);
		rtc->last_dr = v;
		break;
	case RTCIMSC:
		rtc->imsc = v & 1;
		break;
	case RTCICR:
		rtc->ris &= ~(v & 1);
		break;
	}
	check_match_locked(rtc);
	if (off != RTCICR && rtc->alarm_changed)
		rtc->alarm_changed(rtc->alarm_changed_opaque);
	pthread_mutex_unlock(&rtc->lock);
}

const struct vmm_mmio_ops vmm_pl031_ops = {
	.read = pl031_read,
	.write = pl031_write,
};

void vmm_pl031_init(struct vmm_pl031 *rtc, struct vmm_irq_line irq)
{
	memset(rtc, 0, sizeof(*rtc));
	pthread_mutex_init(&rtc->lock, NULL);
	rtc->irq = irq;
	rtc->last_dr = counter(rtc);
}

void vmm_pl031_destroy(struct vmm_pl031 *rtc)
{
	pthread_mutex_destroy(&rtc->lock);
}

int vmm_pl031_poll(struct vmm_pl031 *rtc)
{
	struct timespec ts;
	int ms = -1;

	pthread_mutex_lock(&rtc->lock);
	check_match_locked(rtc);
	if (rtc->mr - rtc->last_dr - 1 < 0x7fffffffU) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ms = 1000 - (int)(ts.tv_nsec / 1000000);
	}
	pthread_mutex_unlock(&rtc->lock);
	return ms;
}
