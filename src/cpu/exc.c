// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exc.c: exceptions and system instructions of a running guest.
 *
 * Synchronous exceptions belong to the guest and are taken by QEMU's own
 * entry code (K4).  HVC and SMC are SMCCC calls (psci.c).  MRS/MSR of
 * the generic timer registers are emulated (K7, D6); ID registers and
 * CCSIDR_EL1 read the ONE_REG tables (sysreg.c, demux_reg.c).  GICv3 ICC_*
 * registers do not exist in Unicorn: their MRS/MSR UNDEFs, and the UNDEF
 * is served here (K8; the MRS/MSR hook only records the access, since
 * skipping an unknown register from it is broken, D5).  TLBI *IS and
 * IC IALLUIS/IVAU are broadcast to the other vCPUs' engines (spec 2.6).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "api/sysreg.h"
#include "common/log.h"
#include "cpu/cpu_dev.h"
#include "cpu/engine.h"
#include "cpu/regsync.h"

/* QEMU's exception numbers as UC_HOOK_INTR reports them. */
#define EXCP_UDEF 1
#define EXCP_HVC 11
#define EXCP_SMC 13

static uint16_t sysreg_enc(const uc_arm64_cp_reg *cp)
{
	return (uint16_t)(cp->op0 << 14 | cp->op1 << 11 | cp->crn << 7 |
			  cp->crm << 3 | cp->op2);
}

/* The EL1 ICC_* (GICv3 CPU interface) registers: ICC_PMR_EL1 (3,0,4,6,0)
 * and op0 3, op1 0, CRn 12, CRm 8/9/11/12 (IHI 0069 12.1). */
static bool is_icc(const uc_arm64_cp_reg *cp)
{
	if (cp->op0 != 3 || cp->op1 != 0)
		return false;
	if (cp->crn == 4)
		return cp->crm == 6 && cp->op2 == 0;
	return cp->crn == 12 &&
	       (cp->crm == 8 || cp->crm == 9 || cp->crm == 11 || cp->crm == 12);
}

/*
 * ID registers (op0 3, op1 0/1/3, CRn 0) read what the sysreg table holds,
 * so values set through ONE_REG before the first run are what the guest
 * sees.  Only after the first run, when they no longer change.
 */
static bool id_sysreg(struct cpu_vcpu *cv, const uc_arm64_cp_reg *cp,
		      uint64_t *val)
{
	int idx;

	if (cp->op0 != 3 || cp->crn != 0)
		return false;
	idx = sysreg_find(sysreg_enc(cp));
	if (idx < 0 || !(sysreg_table[idx].flags & SR_ID))
		return false;
	*val = *vcpu_sysreg(cv->vcpu, idx);
	return true;
}

/*
 * CCSIDR_EL1 (3,1,0,0,0) reads the DEMUX ONE_REG table's value for the
 * cache CSSELR_EL1 selects (Level and InD, bits 3:0), as KVM's
 * access_ccsidr does; 0 for a selector with no cache (UNKNOWN).
 */
static bool ccsidr_read(struct cpu_vcpu *cv, const uc_arm64_cp_reg *cp,
			uint64_t *val)
{
	uint64_t csselr = 0;
	uint32_t v;

	if (cp->op0 != 3 || cp->op1 != 1 || cp->crn != 0 || cp->crm != 0 ||
	    cp->op2 != 0)
		return false;
	uc_kit_sysreg_read(cv->uc, 3, 2, 0, 0, 0, &csselr);
	*val = demux_ccsidr((uint32_t)(csselr & 0xf), &v) ? 0 : v;
	return true;
}

/* CNTKCTL_EL1 bits that open the EL0 view of the timers (D11.2.1). */
#define CNTKCTL_EL0VTEN (1ULL << 8)
#define CNTKCTL_EL0PTEN (1ULL << 9)
#define SCTLR_UCT (1ULL << 15)

/*
 * May the hook serve this access at EL0?  The hook runs before QEMU's
 * access check, and returning 1 from it for an access that check would
 * refuse makes the TB fall off its end (D5): the guest then re-runs the
 * instruction forever.  So at EL0 the hook serves only what EL0 may
 * read: CTR_EL0 when SCTLR_EL1.UCT is set and the timer registers
 * CNTKCTL_EL1 opens.  The rest goes to QEMU, which UNDEFs into the
 * guest kernel (Linux emulates EL0 ID register reads itself).
 */
static bool el0_may(struct cpu_vcpu *cv, const uc_arm64_cp_reg *cp)
{
	uint64_t reg = 0;

	if (cp->op0 != 3 || cp->op1 != 3)
		return false;
	if (cp->crn == 0 && cp->crm == 0 && cp->op2 == 1) {
		uc_kit_sysreg_read(cv->uc, 3, 0, 1, 0, 0, &reg); /* SCTLR */
		return reg & SCTLR_UCT;
	}
	if (cp->crn != 14 || (cp->crm != 2 && cp->crm != 3))
		return false;
	uc_kit_sysreg_read(cv->uc, 3, 0, 14, 1, 0, &reg); /* CNTKCTL */
	return reg & (cp->crm == 3 ? CNTKCTL_EL0VTEN : CNTKCTL_EL0PTEN);
}

/* Registers the hook emulates: ID registers, the timers, ICC_*. */
static bool hooked(const uc_arm64_cp_reg *cp)
{
	return cp->op0 == 3 && (cp->crn == 0 || is_icc(cp) ||
				(cp->op1 == 3 && cp->crn == 14 &&
				 (cp->crm == 2 || cp->crm == 3)));
}

static uint32_t sysreg_access(struct cpu_vcpu *cv, uc_arm64_reg rt,
			      const uc_arm64_cp_reg *cp, bool is_read)
{
	uint64_t val = cp->val;

	if (!hooked(cp))
		return 0;
	if (is_icc(cp)) {
		/* Let it UNDEF; hook_intr serves it (K8), at EL1 only. */
		cv->icc.pending = true;
		cv->icc.pc = uc_kit_pc(&cv->kit);
		cv->icc.enc = sysreg_enc(cp);
		cv->icc.rt = rt;
		cv->icc.val = cp->val;
		cv->icc.is_read = is_read;
		return 0;
	}
	if (uc_kit_el(&cv->kit) == 0 && !el0_may(cv, cp))
		return 0;
	if (!(is_read &&
	      (id_sysreg(cv, cp, &val) || ccsidr_read(cv, cp, &val))) &&
	    !timer_sysreg(cv, cp, is_read, &val))
		return 0;
	if (is_read && rt != UC_ARM64_REG_XZR)
		uc_reg_write(cv->uc, rt, &val);
	return 1;
}

static uint32_t hook_mrs(uc_engine *uc, uc_arm64_reg rt,
			 const uc_arm64_cp_reg *cp, void *opaque)
{
	return sysreg_access(opaque, rt, cp, true);
}

static uint32_t hook_msr(uc_engine *uc, uc_arm64_reg rt,
			 const uc_arm64_cp_reg *cp, void *opaque)
{
	return sysreg_access(opaque, rt, cp, false);
}

/* The host address of guest RAM page @gpa (page aligned), or NULL. */
static uint8_t *ram_page(const struct cpu_vcpu *cv, uint64_t gpa)
{
	for (unsigned int i = 0; i < cv->nr_regions; i++) {
		const struct cv_region *r = &cv->regions[i];

		if (r->ram && gpa >= r->gpa && gpa - r->gpa < r->size)
			return (uint8_t *)(uintptr_t)(r->hva + (gpa - r->gpa));
	}
	return NULL;
}

/*
 * IC IVAU: code at the line's address changed.  The other engines keep
 * their own translations, so they must drop those of that page (K9)
 * before they run again.  QEMU's debug walk gives the physical page in
 * this vCPU's regime; an address that does not translate to RAM flushes
 * them whole (Linux issues IC IVAU per 64-byte line: a full flush each
 * time made 4-vCPU boots retranslate constantly).
 */
static void ic_ivau(struct cpu_vcpu *cv, uc_arm64_reg rt)
{
	uint64_t va = 0, pa;
	uint8_t *page = NULL;

	if (rt != UC_ARM64_REG_XZR)
		uc_reg_read(cv->uc, rt, &va);
	pa = uc_kit_va_to_pa(&cv->kit, va);
	if (pa != UINT64_MAX)
		page = ram_page(cv, pa & ~(uint64_t)(ENGINE_PAGE_SIZE - 1));
	if (page)
		cv_queue_others(cv, CV_QUEUE_TB, (uintptr_t)page, false);
	else
		cv_queue_others(cv, CV_QUEUE_TB, 0, true);
}

void exc_apply_ic(struct cpu_vcpu *cv)
{
	uint64_t pages[ENGINE_QUEUE_PAGES];
	bool all;
	unsigned int n = cv_queue_take(cv, CV_QUEUE_TB, pages, &all);

	if (all)
		uc_ctl_flush_tb(cv->uc);
	for (unsigned int i = 0; i < n; i++)
		if (!uc_kit_tb_invalidate(cv->uc, (void *)(uintptr_t)pages[i],
					  ENGINE_PAGE_SIZE))
			uc_ctl_flush_tb(cv->uc); /* remapped meanwhile */
}

/* SYS: TLBI (CRn 8) inner-shareable/outer-shareable forms, IC IALLUIS
 * and IC IVAU; DC ZVA for the dirty log.  Always executed natively as
 * well (return 0). */
static uint32_t hook_sys(uc_engine *uc, uc_arm64_reg rt,
			 const uc_arm64_cp_reg *cp, void *opaque)
{
	struct cpu_vcpu *cv = opaque;

	dirty_sys(cv, rt, cp);
	if (cp->crn == 8 &&
	    (cp->crm == 1 || cp->crm == 2 || cp->crm == 3 || cp->crm == 5))
		tlbi_broadcast(cv, rt, cp);
	else if (cp->crn == 7 && cp->op1 == 0 && cp->crm == 1 && cp->op2 == 0)
		cv_queue_others(cv, CV_QUEUE_TB, 0, true);
	else if (cp->crn == 7 && cp->op1 == 3 && cp->crm == 5 && cp->op2 == 1)
		ic_ivau(cv, rt);
	return 0;
}

/*
 * An UNDEF at the ICC_* access recorded by the MRS/MSR hook (K8), from
 * EL1 (at EL0 the EL1 registers stay UNDEFINED).  Registers and PC go
 * straight to env: this runs between two translated blocks, and the CPU
 * loop resumes from env->pc.
 */
static bool icc_trap(struct cpu_vcpu *cv)
{
	uint64_t pc = uc_kit_pc(&cv->kit), val;

	if (!cv->icc.pending || cv->icc.pc != pc)
		return false;
	cv->icc.pending = false;
	if (uc_kit_el(&cv->kit) == 0)
		return false;
	val = cv->icc.val;
	if (!cpu_dev_icc(cv, cv->icc.enc, &val, !cv->icc.is_read))
		return false;
	if (cv->icc.is_read)
		uc_kit_set_xreg(&cv->kit, cv->icc.rt, val);
	uc_kit_set_pc(&cv->kit, pc + 4);
	return true;
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *opaque)
{
	struct cpu_vcpu *cv = opaque;

	if (intno == EXCP_UDEF && icc_trap(cv))
		return;
	pr_debug_ratelimited("vcpu %u: exception %u at pc %#llx\n", cv->index,
			     intno, (unsigned long long)uc_kit_pc(&cv->kit));
	switch (intno) {
	case EXCP_HVC:
	case EXCP_SMC:
		/* PC is already past the instruction (engine spec 2.1). */
		psci_call(cv, intno == EXCP_HVC);
		return;
	default:
		break;
	}
	uc_kit_deliver(&cv->kit);
}

/* Instruction abort syndrome (ARM ARM D17.2.37 ESR_ELx): EC from a lower
 * or the current EL, IL, FSC synchronous external abort. */
#define ESR_EC_SHIFT 26
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_IL (1ULL << 25)
#define ESR_FSC_EXTABT 0x10
#define PSTATE_EL_MASK 0xcULL
#define PSTATE_SP 1ULL
#define PSTATE_RW32 0x10ULL
#define PSTATE_KEEP 0xf1000000ULL /* NZCV and DIT survive the entry */
#define PSTATE_PAN (1ULL << 22)
#define PSTATE_EL1H_MASKED 0x3c5ULL /* EL1h, DAIF set */
#define SCTLR_SPAN (1ULL << 23)

static uint64_t *sysreg_of(struct vcpu *vcpu, uint16_t enc)
{
	return vcpu_sysreg(vcpu, sysreg_find(enc));
}

bool exc_fetch_abort(struct cpu_vcpu *cv)
{
	struct vcpu *vcpu = cv->vcpu;
	struct kvm_regs *r = &vcpu->regs.core;
	uint64_t old, vbar, off, ec;

	regsync_store(cv);
	old = r->regs.pstate;
	if (old & PSTATE_RW32)
		return false;
	ec = (old & PSTATE_EL_MASK) ? ESR_EC_IABT_CUR : ESR_EC_IABT_LOW;
	vbar = *sysreg_of(vcpu, SYSREG_ENC(3, 0, 12, 0, 0));
	off = ec == ESR_EC_IABT_LOW ? 0x400 : (old & PSTATE_SP) ? 0x200 : 0;
	/* The vector itself cannot be fetched: KVM would loop inside
	 * KVM_RUN for ever; report it (KVM_EXIT_INTERNAL_ERROR) instead. */
	if (vbar + off == r->regs.pc)
		return false;
	*sysreg_of(vcpu, SYSREG_ENC(3, 0, 5, 2, 0)) = /* ESR_EL1 */
		ec << ESR_EC_SHIFT | ESR_IL | ESR_FSC_EXTABT;
	*sysreg_of(vcpu, SYSREG_ENC(3, 0, 6, 0, 0)) = r->regs.pc; /* FAR */
	r->elr_el1 = r->regs.pc;
	r->spsr[KVM_SPSR_EL1] = old;
	r->regs.pstate = (old & PSTATE_KEEP) | PSTATE_EL1H_MASKED;
	if (!(*sysreg_of(vcpu, SYSREG_SCTLR_EL1) & SCTLR_SPAN))
		r->regs.pstate |= PSTATE_PAN;
	r->regs.pc = vbar + off;
	regsync_load(cv);
	return true;
}

int exc_hooks_add(struct cpu_vcpu *cv)
{
	uc_hook h;

	if (uc_hook_add(cv->uc, &h, UC_HOOK_INTR, (void *)hook_intr, cv, 1,
			0) ||
	    uc_hook_add(cv->uc, &h, UC_HOOK_INSN, (void *)hook_mrs, cv, 1, 0,
			UC_ARM64_INS_MRS) ||
	    uc_hook_add(cv->uc, &h, UC_HOOK_INSN, (void *)hook_msr, cv, 1, 0,
			UC_ARM64_INS_MSR) ||
	    uc_hook_add(cv->uc, &h, UC_HOOK_INSN, (void *)hook_sys, cv, 1, 0,
			UC_ARM64_INS_SYS))
		return -ENOTSUP;
	return 0;
}
