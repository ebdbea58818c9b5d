// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vcpu_attr.c: device attributes on a vCPU fd (KVM_SET/GET/HAS_DEVICE_ATTR;
 * spec 5.4, Documentation/virt/kvm/devices/vcpu.rst).  Only the timer
 * group is served: KVM_ARM_VCPU_TIMER_CTRL names the PPI of each timer.
 * The numbers are VM-wide (vm->timer_ppi, under vm->lock), settable until
 * the VM first runs, and the engine drives the configured PPIs.  No PMU
 * (the PMU_V3 feature cannot be chosen) and no stolen-time page.
 *
 * Check order of Linux 6.x kvm_arm_timer_set_attr (from memory of
 * arch_timer.c, not re-read): no in-kernel irqchip EINVAL, the value
 * unreadable EFAULT, not a PPI (16..31) EINVAL, the VM has run EBUSY, an
 * unknown timer ENXIO.
 */
#include <errno.h>

#include "api/uaccess.h"
#include "api/vcpu_attr.h"

#define PPI_FIRST 16
#define PPI_LAST 31
#define NR_TIMER_ATTRS 4 /* VTIMER, PTIMER, HVTIMER, HPTIMER */

/* The architected defaults (SBSA/BSA): 27, 30, 28, 26. */
static const uint32_t timer_ppi_default[NR_TIMER_ATTRS] = { 27, 30, 28, 26 };

void vcpu_attr_vm_init(struct vm *vm)
{
	for (int i = 0; i < NR_TIMER_ATTRS; i++)
		vm->timer_ppi[i] = timer_ppi_default[i];
}

static int timer_set(struct vcpu *vcpu, const struct kvm_device_attr *attr)
{
	struct vm *vm = vcpu->vm;
	int32_t irq;
	int ret = 0;

	pthread_mutex_lock(&vm->lock);
	if (!vm->gic)
		ret = -EINVAL;
	else if (copy_from_user(&irq, attr->addr, sizeof(irq)))
		ret = -EFAULT;
	else if (irq < PPI_FIRST || irq > PPI_LAST)
		ret = -EINVAL;
	else if (atomic_load(&vm->has_run))
		ret = -EBUSY;
	else if (attr->attr >= NR_TIMER_ATTRS)
		ret = -ENXIO;
	else
		vm->timer_ppi[attr->attr] = (uint32_t)irq;
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

static int timer_get(struct vcpu *vcpu, const struct kvm_device_attr *attr)
{
	int32_t irq;

	if (attr->attr >= NR_TIMER_ATTRS)
		return -ENXIO;
	pthread_mutex_lock(&vcpu->vm->lock);
	irq = (int32_t)vcpu->vm->timer_ppi[attr->attr];
	pthread_mutex_unlock(&vcpu->vm->lock);
	return copy_to_user(attr->addr, &irq, sizeof(irq));
}

static int timer_attr(struct vcpu *vcpu, unsigned long req,
		      const struct kvm_device_attr *attr)
{
	switch (req) {
	case KVM_SET_DEVICE_ATTR:
		return timer_set(vcpu, attr);
	case KVM_GET_DEVICE_ATTR:
		return timer_get(vcpu, attr);
	default:
		return attr->attr < NR_TIMER_ATTRS ? 0 : -ENXIO;
	}
}

int vcpu_attr_ioctl(struct vcpu *vcpu, unsigned long req, unsigned long uaddr)
{
	struct kvm_device_attr attr;

	if (copy_from_user(&attr, uaddr, sizeof(attr)))
		return -EFAULT;
	switch (attr.group) {
	case KVM_ARM_VCPU_TIMER_CTRL:
		return timer_attr(vcpu, req, &attr);
	case KVM_ARM_VCPU_PMU_V3_CTRL:
		/* Linux: HAS says ENXIO, SET/GET ENODEV without a PMU. */
		return req == KVM_HAS_DEVICE_ATTR ? -ENXIO : -ENODEV;
	default: /* PVTIME_CTRL: no stolen-time support, as unknown groups */
		return -ENXIO;
	}
}

int vcpu_attr_first_run(struct vm *vm)
{
	/* Linux's timer_irqs_are_valid: the two EL1 timers' PPIs differ. */
	return vm->timer_ppi[KVM_ARM_VCPU_TIMER_IRQ_VTIMER] ==
			       vm->timer_ppi[KVM_ARM_VCPU_TIMER_IRQ_PTIMER] ?
		       -EINVAL :
		       0;
}
