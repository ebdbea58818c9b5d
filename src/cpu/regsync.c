// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * regsync.c: struct kvm_regs <-> Unicorn registers.  Unicorn keeps the
 * current SP in SP and the other banked copy in SP_EL0/SP_EL1, and a PSTATE
 * write neither banks SP nor rebuilds hflags (engine spec D1), so both
 * are done here.
 */
#include "cpu/regsync.h"

#include <errno.h>
#include <string.h>

#include "cpu/engine.h"

#define PSTATE_MODE_MASK 0xfULL
#define PSTATE_EL1H 0x5ULL
#define PSTATE_RESET 0x3c5ULL /* EL1h, DAIF masked */

/* SPSR_EL1 and ELR_EL1 through CP_REG (op0, op1, CRn, CRm, op2). */
#define SR_SPSR_EL1 3, 0, 4, 0, 0
#define SR_ELR_EL1 3, 0, 4, 0, 1
#define SR_VMPIDR_EL2 3, 4, 0, 0, 5
#define SR_CNTVOFF_EL2 3, 4, 14, 0, 3

static int xreg_id(int i)
{
	return i < 29 ? UC_ARM64_REG_X0 + i : UC_ARM64_REG_X29 + (i - 29);
}

static void sp_load(uc_engine *uc, const struct kvm_regs *r)
{
	uint64_t sp0 = r->regs.sp, sp1 = r->sp_el1;

	uc_reg_write(uc, UC_ARM64_REG_SP_EL0, &sp0);
	uc_reg_write(uc, UC_ARM64_REG_SP_EL1, &sp1);
	if ((r->regs.pstate & PSTATE_MODE_MASK) == PSTATE_EL1H)
		uc_reg_write(uc, UC_ARM64_REG_SP, &sp1);
	else
		uc_reg_write(uc, UC_ARM64_REG_SP, &sp0);
}

static void sp_store(uc_engine *uc, struct kvm_regs *r)
{
	if ((r->regs.pstate & PSTATE_MODE_MASK) == PSTATE_EL1H) {
		uc_reg_read(uc, UC_ARM64_REG_SP, &r->sp_el1);
		uc_reg_read(uc, UC_ARM64_REG_SP_EL0, &r->regs.sp);
	} else {
		uc_reg_read(uc, UC_ARM64_REG_SP, &r->regs.sp);
		uc_reg_read(uc, UC_ARM64_REG_SP_EL1, &r->sp_el1);
	}
}

void regsync_load(struct cpu_vcpu *cv)
{
	const struct kvm_regs *r = &cv->vcpu->regs.core;
	uc_engine *uc = cv->uc;
	uint64_t v;
	uint32_t fp;

	for (int i = 0; i < 31; i++)
		uc_reg_write(uc, xreg_id(i), &r->regs.regs[i]);
	v = r->regs.pstate;
	uc_reg_write(uc, UC_ARM64_REG_PSTATE, &v);
	sp_load(uc, r);
	uc_reg_write(uc, UC_ARM64_REG_PC, &r->regs.pc);
	uc_kit_sysreg_write(uc, SR_ELR_EL1, r->elr_el1);
	uc_kit_sysreg_write(uc, SR_SPSR_EL1, r->spsr[KVM_SPSR_EL1]);
	for (int i = 0; i < 32; i++)
		uc_reg_write(uc, UC_ARM64_REG_Q0 + i, &r->fp_regs.vregs[i]);
	fp = r->fp_regs.fpsr;
	uc_reg_write(uc, UC_ARM64_REG_FPSR, &fp);
	fp = r->fp_regs.fpcr;
	uc_reg_write(uc, UC_ARM64_REG_FPCR, &fp);
	uc_kit_rebuild_hflags(&cv->kit);
}

void regsync_store(struct cpu_vcpu *cv)
{
	struct kvm_regs *r = &cv->vcpu->regs.core;
	uc_engine *uc = cv->uc;
	uint32_t fp = 0;

	for (int i = 0; i < 31; i++)
		uc_reg_read(uc, xreg_id(i), &r->regs.regs[i]);
	uc_reg_read(uc, UC_ARM64_REG_PSTATE, &r->regs.pstate);
	sp_store(uc, r);
	uc_reg_read(uc, UC_ARM64_REG_PC, &r->regs.pc);
	uc_kit_sysreg_read(uc, SR_ELR_EL1, &r->elr_el1);
	uc_kit_sysreg_read(uc, SR_SPSR_EL1, &r->spsr[KVM_SPSR_EL1]);
	for (int i = 0; i < 32; i++)
		uc_reg_read(uc, UC_ARM64_REG_Q0 + i, &r->fp_regs.vregs[i]);
	uc_reg_read(uc, UC_ARM64_REG_FPSR, &fp);
	r->fp_regs.fpsr = fp;
	uc_reg_read(uc, UC_ARM64_REG_FPCR, &fp);
	r->fp_regs.fpcr = fp;
}

int regsync_init(struct cpu_vcpu *cv)
{
	/* At EL1, MPIDR_EL1 reads VMPIDR_EL2 when EL2 exists. */
	if (uc_kit_sysreg_write(cv->uc, SR_VMPIDR_EL2, cv->mpidr) ||
	    uc_kit_sysreg_write(cv->uc, SR_CNTVOFF_EL2,
				(uint64_t)cv->eng->counter_offset))
		return -ENOTSUP;
	if (uc_context_alloc(cv->uc, &cv->reset_ctx))
		return -ENOMEM;
	if (uc_context_save(cv->uc, cv->reset_ctx))
		return -ENOMEM;
	return 0;
}

void regsync_reset(struct cpu_vcpu *cv, uint64_t entry, uint64_t ctx)
{
	struct kvm_regs *r = &cv->vcpu->regs.core;

	uc_context_restore(cv->uc, cv->reset_ctx);
	uc_ctl_flush_tlb(cv->uc);
	memset(r, 0, sizeof(*r));
	r->regs.pstate = PSTATE_RESET;
	r->regs.pc = entry;
	r->regs.regs[0] = ctx;
	regsync_load(cv);
}

void regsync_free(struct cpu_vcpu *cv)
{
	if (cv->reset_ctx)
		uc_context_free(cv->reset_ctx);
	cv->reset_ctx = NULL;
}
