/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vcpu_attr.h: device attributes on vCPU fds (the timer PPIs). */
#ifndef VKVM_API_VCPU_ATTR_H
#define VKVM_API_VCPU_ATTR_H

#include "api/vm.h"

/* vcpu_attr_vm_init - the default timer PPIs of a new VM. */
void vcpu_attr_vm_init(struct vm *vm);

/*
 * vcpu_attr_ioctl - KVM_SET/GET/HAS_DEVICE_ATTR (@req) on @vcpu's fd with
 * the struct kvm_device_attr at @uaddr.  Caller holds vcpu->mutex.
 * Returns 0, or -EFAULT (attr or value unreadable/unwritable), -ENXIO
 * (unknown group or attribute; HAS of the PMU group), -ENODEV (SET/GET of
 * the PMU group: no PMU), -EINVAL (timer SET without an in-kernel irqchip
 * or of a number that is not a PPI), -EBUSY (timer SET after the VM ran).
 */
int vcpu_attr_ioctl(struct vcpu *vcpu, unsigned long req, unsigned long uaddr);

/*
 * vcpu_attr_first_run - the timer PPI check of the first KVM_RUN: 0, or
 * -EINVAL when the virtual and physical timers share a PPI.  Caller
 * holds vm->lock.
 */
int vcpu_attr_first_run(struct vm *vm);

#endif /* VKVM_API_VCPU_ATTR_H */
