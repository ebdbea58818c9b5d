/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * one_reg.h: KVM_GET_ONE_REG, KVM_SET_ONE_REG and KVM_GET_REG_LIST
 * (spec 4).  Callers hold vcpu->mutex and have checked that the vCPU is
 * initialized (ENOEXEC otherwise).
 */
#ifndef VKVM_API_ONE_REG_H
#define VKVM_API_ONE_REG_H

#include <stdint.h>

#include "api/vm.h"

/*
 * one_reg_get - copy register @reg->id to @reg->addr.  Returns 0, -EINVAL
 * (id bits 63:32 other than the size not KVM_REG_ARM64, or a group's
 * EINVAL), -ENOENT (unknown group or register), -EFAULT.  The group
 * rules are in reg_groups.h and sysreg.h.
 */
int one_reg_get(struct vcpu *vcpu, const struct kvm_one_reg *reg);

/*
 * one_reg_set - set register @reg->id from @reg->addr.  Returns 0 or the
 * errnos of one_reg_get, plus -EINVAL (a value a register refuses) and
 * -EBUSY (a setup-only register changed after the VM first ran).
 */
int one_reg_set(struct vcpu *vcpu, const struct kvm_one_reg *reg);

/*
 * reg_list_get - KVM_GET_REG_LIST with the header at user address @uaddr:
 * writes the count back, then the ids.  Returns 0, -E2BIG (the caller's n
 * was too small; n now holds the count), -EFAULT or -ENOMEM.
 */
int reg_list_get(struct vcpu *vcpu, unsigned long uaddr);

/* one_reg_reset - reset every register of @vcpu (part of VCPU_INIT). */
void one_reg_reset(struct vcpu *vcpu);

/*
 * one_reg_vm_init - register state of a new VM: the VM-wide ID registers
 * and the firmware pseudo-registers.  Called by KVM_CREATE_VM.
 */
void one_reg_vm_init(struct vm *vm);

#endif /* VKVM_API_ONE_REG_H */
