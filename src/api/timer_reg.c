// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timer_reg.c: the generic-timer ONE_REG ids (spec 4.4).
 *
 * The uapi ids of the virtual timer's CNT and CVAL carry each other's
 * architectural encodings (a frozen ABI mistake), so these ids are
 * decoded here and never through the sysreg table, whose CNTV_ and CNTP_
 * rows are keyed by the true encodings the engine uses.
 *
 * TIMER_CNT reads the virtual count and writes move the VM-wide virtual
 * offset (all vCPUs, as current Linux).  PTIMER_CNT reads the physical
 * count; writes are accepted and ignored, as Linux does without ECV/NV
 * (the physical counter has no offset).  CTL.ISTATUS (bit 2) is computed
 * on read and ignored on write.
 */
#include <errno.h>

#include "api/reg_groups.h"
#include "api/sysreg.h"
#include "api/uaccess.h"

#define TIMER_CTL_ENABLE (1ULL << 0)
#define TIMER_CTL_IMASK (1ULL << 1)
#define TIMER_CTL_ISTATUS (1ULL << 2)

static const uint64_t timer_ids[] = {
	KVM_REG_ARM_TIMER_CTL,	KVM_REG_ARM_TIMER_CNT,	KVM_REG_ARM_TIMER_CVAL,
	KVM_REG_ARM_PTIMER_CTL, KVM_REG_ARM_PTIMER_CNT, KVM_REG_ARM_PTIMER_CVAL,
};

bool timer_reg_is(uint64_t id)
{
	for (unsigned int i = 0; i < sizeof(timer_ids) / sizeof(timer_ids[0]);
	     i++)
		if (timer_ids[i] == id)
			return true;
	return false;
}

static bool timer_is_virtual(uint64_t id)
{
	return id == KVM_REG_ARM_TIMER_CTL || id == KVM_REG_ARM_TIMER_CNT ||
	       id == KVM_REG_ARM_TIMER_CVAL;
}

static uint64_t timer_count(struct vcpu *vcpu, bool virt)
{
	return timer_counter_now() -
	       (virt ? atomic_load(&vcpu->vm->cntvoff) : 0);
}

static uint64_t *timer_ctl(struct vcpu *vcpu, bool virt)
{
	return vcpu_sysreg(vcpu, sysreg_find(virt ? SYSREG_CNTV_CTL_EL0 :
						    SYSREG_CNTP_CTL_EL0));
}

static uint64_t *timer_cval(struct vcpu *vcpu, bool virt)
{
	return vcpu_sysreg(vcpu, sysreg_find(virt ? SYSREG_CNTV_CVAL_EL0 :
						    SYSREG_CNTP_CVAL_EL0));
}

/* CTL with ISTATUS: enabled and the count has reached CVAL. */
static uint64_t timer_read_ctl(struct vcpu *vcpu, bool virt)
{
	uint64_t ctl = *timer_ctl(vcpu, virt) & ~TIMER_CTL_ISTATUS;

	if ((ctl & TIMER_CTL_ENABLE) &&
	    timer_count(vcpu, virt) >= *timer_cval(vcpu, virt))
		ctl |= TIMER_CTL_ISTATUS;
	return ctl;
}

int timer_reg_get(struct vcpu *vcpu, uint64_t id, uint64_t uaddr)
{
	bool virt = timer_is_virtual(id);
	uint64_t v;

	if (id == KVM_REG_ARM_TIMER_CTL || id == KVM_REG_ARM_PTIMER_CTL)
		v = timer_read_ctl(vcpu, virt);
	else if (id == KVM_REG_ARM_TIMER_CNT || id == KVM_REG_ARM_PTIMER_CNT)
		v = timer_count(vcpu, virt);
	else
		v = *timer_cval(vcpu, virt);
	return copy_to_user(uaddr, &v, sizeof(v));
}

int timer_reg_set(struct vcpu *vcpu, uint64_t id, uint64_t uaddr)
{
	bool virt = timer_is_virtual(id);
	uint64_t v;

	if (copy_from_user(&v, uaddr, sizeof(v)))
		return -EFAULT;
	if (id == KVM_REG_ARM_TIMER_CTL || id == KVM_REG_ARM_PTIMER_CTL)
		*timer_ctl(vcpu, virt) = v & ~TIMER_CTL_ISTATUS;
	else if (id == KVM_REG_ARM_TIMER_CNT)
		atomic_store(&vcpu->vm->cntvoff, timer_counter_now() - v);
	else if (id == KVM_REG_ARM_TIMER_CVAL || id == KVM_REG_ARM_PTIMER_CVAL)
		*timer_cval(vcpu, virt) = v;
	return 0;
}

unsigned int timer_reg_list(uint64_t *out)
{
	unsigned int n = sizeof(timer_ids) / sizeof(timer_ids[0]);

	for (unsigned int i = 0; out && i < n; i++)
		out[i] = timer_ids[i];
	return n;
}
