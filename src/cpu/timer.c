// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timer.c: the generic timer of a vCPU (K7, D6).  Unicorn counts
 * CNTPCT = host CLOCK_MONOTONIC ns / 16 (62.5 MHz) and CNTVCT = CNTPCT -
 * CNTVOFF_EL2, read natively; CTL/CVAL/TVAL of the virtual and physical
 * EL1 timers are emulated here, and each timer's output drives its PPI
 * (27 virtual, 30 physical) level-sensitively through cpu_dev.
 */
#include <stdint.h>

#include "cpu/cpu_dev.h"
#include "cpu/engine.h"

#define CNT_NS_PER_TICK 16
#define CTL_ENABLE 1ULL
#define CTL_IMASK 2ULL
#define CTL_ISTATUS 4ULL

/* The counter timer @t compares against, in ticks. */
static uint64_t timer_count(const struct cpu_vcpu *cv, int t)
{
	uint64_t now = (uint64_t)(cv_now_ns() / CNT_NS_PER_TICK);

	return t == 0 ? now - (uint64_t)cv->eng->counter_offset : now;
}

static bool timer_cond(const struct cpu_vcpu *cv, int t)
{
	const struct cv_timer *tm = &cv->timer[t];

	return (tm->ctl & CTL_ENABLE) && timer_count(cv, t) >= tm->cval;
}

bool timer_sysreg(struct cpu_vcpu *cv, const uc_arm64_cp_reg *cp, bool is_read,
		  uint64_t *val)
{
	struct cv_timer *tm;
	int t;

	if (cp->op0 != 3 || cp->op1 != 3 || cp->crn != 14 ||
	    (cp->crm != 2 && cp->crm != 3) || cp->op2 > 2)
		return false;
	t = cp->crm == 3 ? 0 : 1;
	tm = &cv->timer[t];
	switch (cp->op2) {
	case 0: /* TVAL: signed 32-bit distance to CVAL */
		if (is_read)
			*val = (uint32_t)(tm->cval - timer_count(cv, t));
		else
			tm->cval = timer_count(cv, t) +
				   (uint64_t)(int64_t)(int32_t)cp->val;
		break;
	case 1: /* CTL */
		if (is_read)
			*val = tm->ctl | (timer_cond(cv, t) ? CTL_ISTATUS : 0);
		else
			tm->ctl = cp->val & (CTL_ENABLE | CTL_IMASK);
		break;
	default: /* CVAL */
		if (is_read)
			*val = tm->cval;
		else
			tm->cval = cp->val;
		break;
	}
	if (!is_read)
		timer_update(cv);
	return true;
}

/* Host ns at which timer @t's condition becomes true. */
static int64_t timer_deadline(const struct cpu_vcpu *cv, int t)
{
	const struct cv_timer *tm = &cv->timer[t];
	uint64_t base = t == 0 ? (uint64_t)cv->eng->counter_offset : 0;
	uint64_t ticks = tm->cval + base;

	if (!(tm->ctl & CTL_ENABLE) || (tm->ctl & CTL_IMASK))
		return INT64_MAX;
	if (ticks >= (uint64_t)INT64_MAX / CNT_NS_PER_TICK)
		return INT64_MAX;
	return (int64_t)(ticks * CNT_NS_PER_TICK);
}

void timer_update(struct cpu_vcpu *cv)
{
	int64_t next = INT64_MAX;

	for (int t = 0; t < 2; t++) {
		bool level = timer_cond(cv, t) &&
			     !(cv->timer[t].ctl & CTL_IMASK);
		int64_t d = timer_deadline(cv, t);

		if (level != cv->timer_level[t]) {
			cv->timer_level[t] = level;
			cpu_dev_timer_level(cv, t, level);
		}
		if (!level && d < next)
			next = d;
	}
	atomic_store(&cv->deadline_ns, next);
}

int64_t timer_next_deadline(const struct cpu_vcpu *cv)
{
	return atomic_load(&cv->deadline_ns);
}
