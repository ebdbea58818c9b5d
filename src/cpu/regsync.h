/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * regsync.h: moving a vCPU's register state between vcpu->regs (the
 * ONE_REG view, source of truth outside KVM_RUN) and its uc_engine.
 */
#ifndef VKVM_CPU_REGSYNC_H
#define VKVM_CPU_REGSYNC_H

#include <stdint.h>

struct cpu_vcpu;

/* regsync_init - after the kit attached; returns 0 or -errno. */
int regsync_init(struct cpu_vcpu *cv);

/* regsync_load - vcpu->regs -> engine (at KVM_RUN entry). */
void regsync_load(struct cpu_vcpu *cv);

/* regsync_store - engine -> vcpu->regs (at every KVM_RUN exit). */
void regsync_store(struct cpu_vcpu *cv);

/*
 * regsync_reset - PSCI CPU_ON: the vCPU's reset state (as VCPU_INIT
 * gives it), PC = @entry, X0 = @ctx (spec virt-machine "Boot state").
 */
void regsync_reset(struct cpu_vcpu *cv, uint64_t entry, uint64_t ctx);

#endif /* VKVM_CPU_REGSYNC_H */
