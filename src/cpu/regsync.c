// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * regsync.c: struct kvm_regs <-> Unicorn registers.  Unicorn keeps the
 * current SP in SP and the other banked copy in SP_EL0/SP_EL1, and a PSTATE
 * write neither banks SP nor rebuilds hflags (engine spec D1), so both
 * are done here.  System registers go by the one sysreg table (sysreg.h):
 * ordinary rows are loaded into Unicorn by encoding and stored back; ID
 * rows are served to the guest's MRS from the table (exc.c); timer rows
 * are emulated in place (timer.c).
 */
#include "cpu/regsync.h"

#include <errno.h>
#include <string.h>

#include "api/one_reg.h"
#include "api/sysreg.h"
#include "cpu/engine.h"

#define PSTATE_MODE_MASK 0xfULL
#define PSTATE_EL1H 0x5ULL
#define PSTATE_RESET 0x3c5ULL /* EL1h, DAIF masked */

/* SPSR_EL1 and ELR_EL1 through CP_REG (op0, op1, CRn, CRm, op2). */
#define SR_SPSR_EL1 3, 0, 4, 0, 0
#define SR_ELR_EL1 3, 0, 4, 0, 1
#define SR_VMPIDR_EL2 3, 4, 0, 0, 5
#define SR_CNTVOFF_EL2 3, 4, 14, 0, 3

#define ENC_OP0(e) (((e) >> 14) & 3)
#define ENC_OP1(e) (((e) >> 11) & 7)
#define ENC_CRN(e) (((e) >> 7) & 15)
#define ENC_CRM(e) (((e) >> 3) & 15)
#define ENC_OP2(e) ((e)&7)
#define ENC_ARGS(e) ENC_OP0(e), ENC_OP1(e), ENC_CRN(e), ENC_CRM(e), ENC_OP2(e)

/*
 * MPIDR_EL1 at EL1 reads VMPIDR_EL2 when EL2 exists; the virtual counter
 * offset is the VM's (ONE_REG may have moved it).
 */
static void v_mpidr_load(struct cpu_vcpu *cv)
{
	int idx = sysreg_find(SYSREG_MPIDR_EL1);

	if (idx >= 0)
		uc_kit_sysreg_write(cv->uc, SR_VMPIDR_EL2,
				    cv->vcpu->regs.sys[idx]);
	uc_kit_sysreg_write(cv->uc, SR_CNTVOFF_EL2,
			    atomic_load(&cv->vcpu->vm->cntvoff));
}

/* Rows that live in Unicorn while the vCPU runs. */
static bool sysreg_synced(const struct sysreg_desc *d)
{
	return !(d->flags & (SR_ID | SR_TIMER | SR_MPIDR));
}

/* Load the table's ordinary rows; flush the TLB if one changed. */
static void sysregs_load(struct cpu_vcpu *cv)
{
	bool changed = false;
	uint64_t cur;

	for (int i = 0; i < NR_SYSREGS; i++) {
		const struct sysreg_desc *d = &sysreg_table[i];
		uint64_t v = cv->vcpu->regs.sys[i];

		if (!sysreg_synced(d))
			continue;
		if (!uc_kit_sysreg_read(cv->uc, ENC_ARGS(d->enc), &cur) &&
		    cur == v)
			continue;
		uc_kit_sysreg_write(cv->uc, ENC_ARGS(d->enc), v);
		changed = true;
	}
	v_mpidr_load(cv);
	if (changed)
		uc_ctl_flush_tlb(cv->uc);
}

static void sysregs_store(struct cpu_vcpu *cv)
{
	for (int i = 0; i < NR_SYSREGS; i++) {
		const struct sysreg_desc *d = &sysreg_table[i];

		if (sysreg_synced(d))
			uc_kit_sysreg_read(cv->uc, ENC_ARGS(d->enc),
					   &cv->vcpu->regs.sys[i]);
	}
}

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
	sysregs_load(cv);
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
	sysregs_store(cv);
}

int regsync_init(struct cpu_vcpu *cv)
{
	return 0;
}

void regsync_reset(struct cpu_vcpu *cv, uint64_t entry, uint64_t ctx)
{
	struct kvm_regs *r = &cv->vcpu->regs.core;

	one_reg_reset(cv->vcpu);
	r->regs.pc = entry;
	r->regs.regs[0] = ctx;
	regsync_load(cv);
}
