/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dirty_log.h: the dirty page bitmap of a memory slot with
 * KVM_MEM_LOG_DIRTY_PAGES, and the VM-fd ioctls that read and clear it.
 *
 * The bitmap is a reference-counted object: the slot holds one reference
 * and every vCPU engine that maps the slot holds one, so an engine still
 * running with an old copy of the slot list never writes into freed
 * memory.  Bits are set by the running vCPU (atomic fetch-or)
 * while another thread may read and clear them (atomic exchange and
 * fetch-and), so no bit is ever lost.
 */
#ifndef VKVM_API_DIRTY_LOG_H
#define VKVM_API_DIRTY_LOG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct vm;

struct dirty_log {
	atomic_int refs;
	uint64_t npages;
	_Atomic uint64_t words[]; /* one bit a page, rounded up to 64 bits */
};

/* dirty_log_words - 64-bit words of a bitmap of @npages pages. */
static inline uint64_t dirty_log_words(uint64_t npages)
{
	return (npages + 63) / 64;
}

/*
 * dirty_log_new - a bitmap of @npages pages, all clear or (@set) all
 * set (KVM_DIRTY_LOG_INITIALLY_SET), with one reference.  NULL when out
 * of memory.
 */
struct dirty_log *dirty_log_new(uint64_t npages, bool set);

/* dirty_log_get/put - take/drop a reference (put frees at zero; NULL ok). */
struct dirty_log *dirty_log_get(struct dirty_log *d);
void dirty_log_put(struct dirty_log *d);

/*
 * dirty_log_mark - set page @page's bit (@page < npages); any thread.
 * A plain load first: a page is stored to many times between two reads
 * of the log, and the locked fetch-or is only needed the first time.
 */
static inline void dirty_log_mark(struct dirty_log *d, uint64_t page)
{
	_Atomic uint64_t *w = &d->words[page / 64];
	uint64_t bit = 1ULL << (page % 64);

	if (!(atomic_load_explicit(w, memory_order_relaxed) & bit))
		atomic_fetch_or_explicit(w, bit, memory_order_relaxed);
}

/* dirty_log_mark_all - set every page's bit (a conservative over-mark). */
void dirty_log_mark_all(struct dirty_log *d);

/*
 * vm_get_dirty_log - KVM_GET_DIRTY_LOG (@arg: struct kvm_dirty_log *).
 * Without manual protection the returned bits are cleared.  Returns 0,
 * or -EFAULT (bad argument or bitmap pointer), -EINVAL (address space
 * or slot id out of range), -ENOENT (no such slot, or no logging on it).
 */
int vm_get_dirty_log(struct vm *vm, unsigned long arg);

/*
 * vm_clear_dirty_log - KVM_CLEAR_DIRTY_LOG (@arg: struct
 * kvm_clear_dirty_log *): clear the bits set in the caller's bitmap for
 * pages [first_page, first_page + num_pages).  Returns 0, or -EFAULT,
 * -EINVAL (address space or slot id out of range, first_page not a
 * multiple of 64, range beyond the slot, num_pages not a multiple of 64
 * unless the range ends at the slot's end), -ENOENT.
 */
int vm_clear_dirty_log(struct vm *vm, unsigned long arg);

/*
 * vm_enable_cap - KVM_ENABLE_CAP on a VM fd (@arg: struct
 * kvm_enable_cap *).  Only KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 (args[0]:
 * KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE, optionally | INITIALLY_SET).
 * Returns 0, or -EFAULT, -EINVAL (flags, unknown bits, other caps).
 */
int vm_enable_cap(struct vm *vm, unsigned long arg);

#endif /* VKVM_API_DIRTY_LOG_H */
