// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timer.c: the generic timer of a vCPU (K7, D6).  Unicorn counts
 * CNTPCT = timer_counter_now() (host CLOCK_MONOTONIC ns / 16, 62.5 MHz)
 * and CNTVCT = CNTPCT - CNTVOFF_EL2 (= vm->cntvoff), read natively.
 * CTL/CVAL/TVAL of the virtual and physical EL1 timers are emulated here
 * on the sysreg table's timer rows, the same storage the timer ONE_REGs
 * use, and each timer's output drives its PPI (27 virtual, 30 physical
 * by default; KVM_ARM_VCPU_TIMER_CTRL)
 * level-sensitively through cpu_dev.
 */
#include <errno.h>
#include <stdint.h>

#include "api/sysreg.h"
#include "cpu/cpu_dev.h"
#include "cpu/engine.h"

#define CNT_NS_PER_TICK 16
#define CTL_ENABLE 1ULL
#define CTL_IMASK 2ULL
#define CTL_ISTATUS 4ULL

int timer_init(struct cpu_vcpu *cv)
{
	static const uint16_t enc[2][2] = {
		{ SYSREG_CNTV_CTL_EL0, SYSREG_CNTV_CVAL_EL0 },
		{ SYSREG_CNTP_CTL_EL0, SYSREG_CNTP_CVAL_EL0 },
	};

	for (int t = 0; t < 2; t++)
		for (int r = 0; r < 2; r++) {
			int idx = sysreg_find(enc[t][r]);

			if (idx < 0)
				return -ENOENT;
			cv->timer_row[t][r] = (unsigned int)idx;
		}
	return 0;
}

/* Timer 0 is the virtual timer (CRm 3), timer 1 the physical (CRm 2).
 * The table indices are found once (timer_init): a timer access is on
 * the MRS/MSR hook's path. */
static uint64_t *timer_row(struct cpu_vcpu *cv, int t, bool cval)
{
	return &cv->vcpu->regs.sys[cv->timer_row[t][cval]];
}

static uint64_t timer_offset(struct cpu_vcpu *cv, int t)
{
	return t == 0 ? atomic_load(&cv->vcpu->vm->cntvoff) : 0;
}

/* The counter timer @t compares against, in ticks. */
static uint64_t timer_count(struct cpu_vcpu *cv, int t)
{
	return timer_counter_now() - timer_offset(cv, t);
}

static bool timer_cond(struct cpu_vcpu *cv, int t)
{
	return (*timer_row(cv, t, false) & CTL_ENABLE) &&
	       timer_count(cv, t) >= *timer_row(cv, t, true);
}

bool timer_sysreg(struct cpu_vcpu *cv, const uc_arm64_cp_reg *cp, bool is_read,
		  uint64_t *val)
{
	uint64_t *ctl, *cval;
	int t;

	if (cp->op0 != 3 || cp->op1 != 3 || cp->crn != 14 ||
	    (cp->crm != 2 && cp->crm != 3) || cp->op2 > 2)
		return false;
	t = cp->crm == 3 ? 0 : 1;
	ctl = timer_row(cv, t, false);
	cval = timer_row(cv, t, true);
	switch (cp->op2) {
	case 0: /* TVAL: signed 32-bit distance to CVAL */
		if (is_read)
			*val = (uint32_t)(*cval - timer_count(cv, t));
		else
			*cval = timer_count(cv, t) +
				(uint64_t)(int64_t)(int32_t)cp->val;
		break;
	case 1: /* CTL */
		if (is_read)
			*val = (*ctl & (CTL_ENABLE | CTL_IMASK)) |
			       (timer_cond(cv, t) ? CTL_ISTATUS : 0);
		else
			*ctl = cp->val & (CTL_ENABLE | CTL_IMASK);
		break;
	default: /* CVAL */
		if (is_read)
			*val = *cval;
		else
			*cval = cp->val;
		break;
	}
	if (!is_read)
		timer_update(cv);
	return true;
}

/* Host ns at which timer @t's output rises, INT64_MAX if never. */
static int64_t timer_deadline(struct cpu_vcpu *cv, int t)
{
	uint64_t ctl = *timer_row(cv, t, false);
	uint64_t ticks = *timer_row(cv, t, true) + timer_offset(cv, t);

	if (!(ctl & CTL_ENABLE) || (ctl & CTL_IMASK))
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
			     !(*timer_row(cv, t, false) & CTL_IMASK);
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
