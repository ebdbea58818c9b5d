/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * regs.h: a vCPU's architectural register state as ONE_REG sees it.
 *
 * While a vCPU is outside KVM_RUN this struct is the source of truth; the
 * cpu engine loads it into the emulator before running and stores it back
 * after.  System registers are kept by their index in the sysreg table
 * (sysreg.c), so one table serves ONE_REG, the reg list and the engine.
 */
#ifndef VKVM_API_REGS_H
#define VKVM_API_REGS_H

#include <stdint.h>

#include <vkvm/kvm.h>

#define VCPU_MAX_SYSREGS 128

struct vcpu_regs {
	struct kvm_regs core;
	uint64_t sys[VCPU_MAX_SYSREGS]; /* by sysreg table index */
};

#endif /* VKVM_API_REGS_H */
