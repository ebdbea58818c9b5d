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

/* one_reg_get - copy register @reg->id to @reg->addr: 0 or -errno. */
int one_reg_get(struct vcpu *vcpu, const struct kvm_one_reg *reg);

/* one_reg_set - set register @reg->id from @reg->addr: 0 or -errno. */
int one_reg_set(struct vcpu *vcpu, const struct kvm_one_reg *reg);

/*
 * reg_list_get - KVM_GET_REG_LIST with the header at user address @uaddr:
 * writes the count back; -E2BIG if the caller's n was too small.
 */
int reg_list_get(struct vcpu *vcpu, unsigned long uaddr);

/* one_reg_reset - reset every register of @vcpu (part of VCPU_INIT). */
void one_reg_reset(struct vcpu *vcpu);

#endif /* VKVM_API_ONE_REG_H */
