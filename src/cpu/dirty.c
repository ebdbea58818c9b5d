// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dirty.c: dirty page logging in the engine (KVM_MEM_LOG_DIRTY_PAGES).
 *
 * Each mapped RAM region of a logged slot gets a UC_HOOK_MEM_WRITE hook
 * bounded to the region; Unicorn calls it with the physical address of
 * every guest store that reaches RAM through its store helper: plain
 * stores, pairs, exclusives and atomics (Unicorn has no CF_PARALLEL, so
 * they are all load/store sequences), and the stores an exception entry
 * would make.  The hook sets the page's bit with an atomic fetch-or.  A
 * store that crosses a page boundary is reported once, for its first
 * byte; the next physical page is marked too (exact unless the two
 * virtual pages map to non-adjacent physical pages).  DC ZVA zeroes
 * memory behind the helpers' back, so the SYS hook translates its
 * address (uc_kit_va_to_pa) and marks that page.
 *
 * Unicorn chooses its inline fast path for stores at translation time,
 * only while no write hook exists; so adding or removing the hooks goes
 * with a translation flush (dirty_resync; a remap flushes anyway).
 *
 * Starting to log an existing slot must cover every store that follows
 * the ioctl (Linux write-protects before it returns): memslot_set waits
 * on cpu_engine_barrier until no vCPU runs with the old layout.  A vCPU
 * parked inside an MMIO exit resumes in the middle of its translation
 * block with the old hooks; it stops after that block and, before it
 * runs again, marks every page of its logged regions (dirty_after_park).
 *
 * The hook runs just before the store lands: GET/CLEAR_DIRTY_LOG, after
 * taking bits, wait for one scheduling pass (cpu_engine_barrier), so a store
 * whose bit they took has landed before the VMM copies the page.
 */
#include <errno.h>

#include "api/dirty_log.h"
#include "cpu/engine.h"

static void dirty_hook_write(uc_engine *uc, uc_mem_type type, uint64_t addr,
			     int size, int64_t value, void *opaque)
{
	const struct cv_region *r = opaque;
	uint64_t off = addr - r->gpa, last;

	if (off >= r->size)
		return;
	dirty_log_mark(r->dirty, off / VKVM_PAGE_SIZE);
	last = off + (uint64_t)(size > 1 ? size - 1 : 0);
	if (last / VKVM_PAGE_SIZE != off / VKVM_PAGE_SIZE && last < r->size)
		dirty_log_mark(r->dirty, last / VKVM_PAGE_SIZE);
}

int dirty_region_start(struct cpu_vcpu *cv, struct cv_region *r)
{
	if (!r->dirty)
		return 0;
	if (uc_hook_add(cv->uc, &r->dirty_hook, UC_HOOK_MEM_WRITE,
			(void *)dirty_hook_write, r, r->gpa,
			r->gpa + r->size - 1))
		return -ENOMEM;
	cv->nr_dirty++;
	return 0;
}

void dirty_region_stop(struct cpu_vcpu *cv, struct cv_region *r)
{
	if (r->dirty && r->dirty_hook) {
		uc_hook_del(cv->uc, r->dirty_hook);
		cv->nr_dirty--;
	}
	r->dirty_hook = 0;
	dirty_log_put(r->dirty);
	r->dirty = NULL;
}

void dirty_regions_put(struct cv_region *r, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		dirty_log_put(r[i].dirty);
}

int dirty_resync(struct cpu_vcpu *cv, struct cv_region *want, unsigned int n)
{
	bool changed = false;
	int ret = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct cv_region *r = &cv->regions[i];

		r->flags = want[i].flags;
		if (r->dirty == want[i].dirty) {
			dirty_log_put(want[i].dirty);
			continue;
		}
		dirty_region_stop(cv, r);
		r->dirty = want[i].dirty; /* takes the reference over */
		if (!ret)
			ret = dirty_region_start(cv, r);
		changed = true;
	}
	/* Stores translated before keep their inline fast path. */
	if (changed)
		uc_ctl_flush_tb(cv->uc);
	return ret;
}

void dirty_after_park(struct cpu_vcpu *cv)
{
	unsigned int gen = atomic_load(&cv->vcpu->vm->dirty_gen);

	if (gen == cv->dirty_gen_seen)
		return;
	cv->dirty_gen_seen = gen;
	cv->dirty_mark_all = true;
	atomic_store(&cv->stop_req, true);
	uc_emu_stop(cv->uc);
}

void dirty_mark_pending(struct cpu_vcpu *cv)
{
	if (!cv->dirty_mark_all)
		return;
	cv->dirty_mark_all = false;
	for (unsigned int i = 0; i < cv->nr_regions; i++)
		if (cv->regions[i].dirty)
			dirty_log_mark_all(cv->regions[i].dirty);
}

/* DC ZVA (op0 1, op1 3, CRn 7, CRm 4, op2 1): the zeroed block (at most
 * 2 KiB, aligned) lies in one page. */
void dirty_sys(struct cpu_vcpu *cv, uc_arm64_reg rt, const uc_arm64_cp_reg *cp)
{
	uint64_t va = 0, pa;

	if (!cv->nr_dirty || cp->op1 != 3 || cp->crn != 7 || cp->crm != 4 ||
	    cp->op2 != 1)
		return;
	if (rt != UC_ARM64_REG_XZR)
		uc_reg_read(cv->uc, rt, &va);
	pa = uc_kit_va_to_pa(&cv->kit, va);
	if (pa == UINT64_MAX)
		return; /* it faults in the guest: nothing is written */
	for (unsigned int i = 0; i < cv->nr_regions; i++) {
		const struct cv_region *r = &cv->regions[i];

		if (r->dirty && pa >= r->gpa && pa - r->gpa < r->size)
			dirty_log_mark(r->dirty,
				       (pa - r->gpa) / VKVM_PAGE_SIZE);
	}
}
