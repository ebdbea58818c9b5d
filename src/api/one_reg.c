// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * one_reg.c: ONE_REG dispatch (spec 4).
 * TODO(issue 3): core, sysreg, FW registers and the reg list.
 */
#include "api/one_reg.h"

#include <errno.h>
#include <string.h>

#include "api/uaccess.h"

int one_reg_get(struct vcpu *vcpu, const struct kvm_one_reg *reg)
{
	(void)vcpu;
	(void)reg;
	return -ENOENT;
}

int one_reg_set(struct vcpu *vcpu, const struct kvm_one_reg *reg)
{
	(void)vcpu;
	(void)reg;
	return -ENOENT;
}

int reg_list_get(struct vcpu *vcpu, unsigned long uaddr)
{
	uint64_t n = 0;

	(void)vcpu;
	return copy_to_user(uaddr, &n, sizeof(n));
}

void one_reg_reset(struct vcpu *vcpu)
{
	memset(&vcpu->regs, 0, sizeof(vcpu->regs));
	vcpu->regs.core.regs.pstate = 0x3c5;
}
