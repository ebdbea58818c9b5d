// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * one_reg.c: KVM_GET_ONE_REG / KVM_SET_ONE_REG dispatch by id (spec 4.2)
 * and the register reset of KVM_ARM_VCPU_INIT.
 */
#include "api/one_reg.h"

#include <errno.h>
#include <string.h>

#include "api/reg_groups.h"
#include "api/sysreg.h"

typedef int (*one_reg_fn)(struct vcpu *vcpu, uint64_t id, uint64_t uaddr);

struct one_reg_group {
	one_reg_fn get;
	one_reg_fn set;
};

static const struct one_reg_group group_core = { core_reg_get, core_reg_set };
static const struct one_reg_group group_fw = { fw_reg_get, fw_reg_set };
static const struct one_reg_group group_timer = { timer_reg_get,
						  timer_reg_set };
static const struct one_reg_group group_demux = { demux_reg_get,
						  demux_reg_set };
static const struct one_reg_group group_sysreg = { sysreg_get, sysreg_set };

/*
 * The group serving @id, or NULL with *@err: -EINVAL when bits 63:32
 * other than the size are not KVM_REG_ARM64, -ENOENT for an unknown group
 * (SVE included: vkvm offers no SVE vCPU, as Linux's ENOENT for one).
 */
static const struct one_reg_group *one_reg_group_of(uint64_t id, int *err)
{
	*err = -ENOENT;
	if (((id & ~KVM_REG_SIZE_MASK) >> 32) != (KVM_REG_ARM64 >> 32)) {
		*err = -EINVAL;
		return NULL;
	}
	switch (id & KVM_REG_ARM_COPROC_MASK) {
	case KVM_REG_ARM_CORE:
		return &group_core;
	case KVM_REG_ARM_FW:
	case KVM_REG_ARM_FW_FEAT_BMAP:
		return &group_fw;
	case KVM_REG_ARM_DEMUX:
		return &group_demux;
	case KVM_REG_ARM64_SYSREG:
		return timer_reg_is(id) ? &group_timer : &group_sysreg;
	default:
		return NULL;
	}
}

int one_reg_get(struct vcpu *vcpu, const struct kvm_one_reg *reg)
{
	int err;
	const struct one_reg_group *g = one_reg_group_of(reg->id, &err);

	return g ? g->get(vcpu, reg->id, reg->addr) : err;
}

int one_reg_set(struct vcpu *vcpu, const struct kvm_one_reg *reg)
{
	int err;
	const struct one_reg_group *g = one_reg_group_of(reg->id, &err);

	return g ? g->set(vcpu, reg->id, reg->addr) : err;
}

void one_reg_reset(struct vcpu *vcpu)
{
	/* spec 4.3: everything zero, PSTATE EL1h with D, A, I, F masked */
	memset(&vcpu->regs.core, 0, sizeof(vcpu->regs.core));
	vcpu->regs.core.regs.pstate = 0x3c5;
	sysreg_vcpu_reset(vcpu);
}

void one_reg_vm_init(struct vm *vm)
{
	sysreg_vm_init(vm);
	fw_reg_vm_init(vm);
}
