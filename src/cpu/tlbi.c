// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tlbi.c: TLBI *IS / *OS broadcast to the other vCPUs' engines.  Each
 * engine has its own QEMU TLB, and Unicorn executes a TLBI for its own
 * CPU only, so the issuer tells the others.  The by-address forms (VAE1,
 * VAAE1, VALE1, VAALE1: most of Linux's, about 53,000 per 4-vCPU boot)
 * queue the page; the others (VMALLE1, ASIDE1, ranges, EL2 forms) and a
 * full queue flush the whole TLB.  Applied by each target before it runs
 * again; it cannot be running now: only the issuer's fiber runs on the
 * VM's runner thread.
 */
#include <string.h>

#include "cpu/engine.h"

#define TLBI_OP1_EL1 0
#define TLBI_CRM_OS 1
#define TLBI_CRM_IS 3

/*
 * The page a by-address TLBI names, QEMU's way (tlbi_aa64_vae1is_write):
 * Xt[43:0] is VA[55:12], sign-extended from bit 55 so that a TTBR1
 * address (and one whose top byte TBI ignores: QEMU keys its TLB by the
 * address cleaned to that sign extension) names the page QEMU cached.
 * The ASID in Xt[63:48] is ignored: flushing the page for every ASID is
 * a superset of what the guest asked, as QEMU's own helper does.
 */
static uint64_t tlbi_page(uint64_t xt)
{
	return (uint64_t)((int64_t)(xt << 20) >> 8);
}

/* Is @cp an EL1 by-address form (op2 1, 3, 5, 7) of the IS or OS group? */
static bool tlbi_by_va(const uc_arm64_cp_reg *cp)
{
	return cp->op1 == TLBI_OP1_EL1 &&
	       (cp->crm == TLBI_CRM_IS || cp->crm == TLBI_CRM_OS) &&
	       (cp->op2 & 1);
}

void tlbi_broadcast(struct cpu_vcpu *cv, uc_arm64_reg rt,
		    const uc_arm64_cp_reg *cp)
{
	bool all = !tlbi_by_va(cp);
	uint64_t xt = 0;

	if (!all && rt != UC_ARM64_REG_XZR)
		uc_reg_read(cv->uc, rt, &xt);
	cv_queue_others(cv, CV_QUEUE_TLB, tlbi_page(xt), all);
}

void tlbi_apply(struct cpu_vcpu *cv)
{
	uint64_t pages[ENGINE_QUEUE_PAGES];
	bool all;
	unsigned int n = cv_queue_take(cv, CV_QUEUE_TLB, pages, &all);

	if (all)
		uc_ctl_flush_tlb(cv->uc);
	for (unsigned int i = 0; i < n; i++)
		uc_kit_tlb_flush_page(&cv->kit, pages[i]);
}
