/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reg_groups.h: the ONE_REG register groups one_reg.c dispatches to (spec
 * 4.2 to 4.6).  Each group has get/set (0 or -errno; @uaddr is the user
 * pointer of struct kvm_one_reg) and a list function that writes its ids
 * to @out (NULL allowed) and returns their number.  Callers hold
 * vcpu->mutex and have checked that the vCPU is initialized.
 */
#ifndef VKVM_API_REG_GROUPS_H
#define VKVM_API_REG_GROUPS_H

#include <stdbool.h>
#include <stdint.h>

#include "api/vm.h"

/*
 * core_reg_get/set - CORE group (spec 4.3): -ENOENT (index beyond struct
 * kvm_regs), -EINVAL (size not the field's, misaligned, padding, a PSTATE
 * mode the vCPU cannot be in), -EFAULT.
 */
int core_reg_get(struct vcpu *vcpu, uint64_t id, uint64_t uaddr);
int core_reg_set(struct vcpu *vcpu, uint64_t id, uint64_t uaddr);
unsigned int core_reg_list(uint64_t *out);

/*
 * fw_reg_get/set - FW and FW_FEAT_BMAP groups (spec 4.6): -ENOENT (unknown
 * id, including a wrong size), -EINVAL (a value the rules refuse), -EBUSY
 * (a bitmap changed after the VM first ran), -EFAULT.
 */
int fw_reg_get(struct vcpu *vcpu, uint64_t id, uint64_t uaddr);
int fw_reg_set(struct vcpu *vcpu, uint64_t id, uint64_t uaddr);
unsigned int fw_reg_list(uint64_t *out);

/*
 * fw_wa_level - the level KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1/2/3 (@id)
 * reads; SMCCC ARCH_FEATURES answers the guest from it.  Any other @id
 * reads as WORKAROUND_1's.
 */
uint64_t fw_wa_level(uint64_t id);

/* fw_reg_vm_init - firmware defaults of a new VM (PSCI 1.1, bitmaps). */
void fw_reg_vm_init(struct vm *vm);

/* timer_reg_is - whether @id is one of the six timer ids (spec 4.4). */
bool timer_reg_is(uint64_t id);

/* timer_reg_get/set - the timer ids: 0 or -EFAULT. */
int timer_reg_get(struct vcpu *vcpu, uint64_t id, uint64_t uaddr);
int timer_reg_set(struct vcpu *vcpu, uint64_t id, uint64_t uaddr);
unsigned int timer_reg_list(uint64_t *out);

/*
 * demux_reg_get/set - DEMUX group, CCSIDR by CSSELR (spec 4.4): -ENOENT
 * (wrong size, stray bits, not CCSIDR, a selector with no cache), -EINVAL
 * (a value other than the current one), -EFAULT.
 */
int demux_reg_get(struct vcpu *vcpu, uint64_t id, uint64_t uaddr);
int demux_reg_set(struct vcpu *vcpu, uint64_t id, uint64_t uaddr);
unsigned int demux_reg_list(uint64_t *out);

#endif /* VKVM_API_REG_GROUPS_H */
