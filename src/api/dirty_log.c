// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dirty_log.c: KVM_GET_DIRTY_LOG, KVM_CLEAR_DIRTY_LOG and
 * KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 over the slots' dirty bitmaps.
 *
 * Check orders follow Linux's virt/kvm/kvm_main.c (6.x, confirmed with
 * search): kvm_get_dirty_log_protect, kvm_clear_dirty_log_protect and
 * kvm_vm_ioctl_enable_cap_generic; the ioctl argument is copied first
 * (EFAULT).
 *   GET:   as_id (slot bits 31:16) != 0 or id >= slots      EINVAL
 *          no such slot / slot without logging              ENOENT
 *          bitmap (64-bit rounded) not writable             EFAULT
 *   CLEAR: as_id or id out of range                         EINVAL
 *          first_page % 64                                  EINVAL
 *          no such slot / slot without logging              ENOENT
 *          first_page > npages, range beyond the slot,
 *          num_pages % 64 unless the range ends the slot    EINVAL
 *          bitmap not readable                              EFAULT
 * Without manual protection GET returns and clears (atomic exchange of
 * each word); with it GET only reads and CLEAR clears (atomic fetch-and),
 * as in Linux, where these re-protect the pages (and flush TLBs: here an
 * engine barrier, see log_cleared).  vkvm checks the user
 * bitmap before it clears anything, so an EFAULT loses no bits (Linux
 * may have cleared them already).
 */
#include "api/dirty_log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/uaccess.h"
#include "api/vm.h"
#include "cpu/cpu.h"

struct dirty_log *dirty_log_new(uint64_t npages, bool set)
{
	uint64_t n = dirty_log_words(npages);
	struct dirty_log *d = calloc(1, sizeof(*d) + n * sizeof(uint64_t));

	if (!d)
		return NULL;
	atomic_init(&d->refs, 1);
	d->npages = npages;
	if (set)
		dirty_log_mark_all(d);
	return d;
}

struct dirty_log *dirty_log_get(struct dirty_log *d)
{
	if (d)
		atomic_fetch_add_explicit(&d->refs, 1, memory_order_relaxed);
	return d;
}

void dirty_log_put(struct dirty_log *d)
{
	if (d &&
	    atomic_fetch_sub_explicit(&d->refs, 1, memory_order_acq_rel) == 1)
		free(d);
}

void dirty_log_mark_all(struct dirty_log *d)
{
	uint64_t n = d->npages / 64;

	for (uint64_t i = 0; i < n; i++)
		atomic_fetch_or_explicit(&d->words[i], ~0ULL,
					 memory_order_relaxed);
	if (d->npages % 64)
		atomic_fetch_or_explicit(&d->words[n],
					 (1ULL << (d->npages % 64)) - 1,
					 memory_order_relaxed);
}

/* The slot @slot names (bits 31:16 address space, 15:0 id), with its
 * errno: -EINVAL out of range, -ENOENT missing or not logging.  Caller
 * holds vm->slots_lock. */
static int dirty_slot_locked(struct vm *vm, uint32_t slot,
			     const struct memslot **out)
{
	if ((slot >> 16) != 0 || (slot & 0xffff) >= VKVM_MAX_MEMSLOTS)
		return -EINVAL;
	for (unsigned int i = 0; i < vm->nr_slots; i++) {
		if (vm->slots[i].id != slot)
			continue;
		*out = &vm->slots[i];
		return vm->slots[i].dirty ? 0 : -ENOENT;
	}
	return -ENOENT;
}

static int get_dirty_log_locked(struct vm *vm, const struct kvm_dirty_log *log)
{
	const struct memslot *s;
	struct dirty_log *d;
	uint64_t *out = log->dirty_bitmap, n;
	bool manual;
	int ret;

	ret = dirty_slot_locked(vm, log->slot, &s);
	if (ret)
		return ret;
	d = s->dirty;
	n = dirty_log_words(d->npages);
	if (!uaccess_ok((unsigned long)(uintptr_t)out, n * sizeof(*out)))
		return -EFAULT;
	manual = atomic_load(&vm->manual_dirty_log) &
		 KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE;
	for (uint64_t i = 0; i < n; i++)
		out[i] = manual ? atomic_load(&d->words[i]) :
				  atomic_exchange(&d->words[i], 0);
	return manual ? 0 : 1;
}

/*
 * After bits were cleared (@ret 1): the engine marks a page just before
 * the store lands (dirty.c), so a store whose bit was just taken may
 * still be in flight; the caller copies pages after we return, so wait
 * until no vCPU is inside guest code that began before the clear.  A
 * store that begins later sets its bit again.  Returns 0 or @ret < 0.
 */
static int log_cleared(struct vm *vm, int ret)
{
	if (ret > 0)
		cpu_engine_barrier(vm);
	return ret > 0 ? 0 : ret;
}

int vm_get_dirty_log(struct vm *vm, unsigned long arg)
{
	struct kvm_dirty_log log;
	int ret;

	if (copy_from_user(&log, arg, sizeof(log)))
		return -EFAULT;
	pthread_mutex_lock(&vm->slots_lock);
	ret = get_dirty_log_locked(vm, &log);
	pthread_mutex_unlock(&vm->slots_lock);
	return log_cleared(vm, ret);
}

/* Linux's range rule for CLEAR (see the table at the top). */
static bool clear_range_ok(const struct kvm_clear_dirty_log *log,
			   uint64_t npages)
{
	if (log->first_page > npages ||
	    log->num_pages > npages - log->first_page)
		return false;
	return log->num_pages == npages - log->first_page ||
	       !(log->num_pages & 63);
}

static int clear_dirty_log_locked(struct vm *vm,
				  const struct kvm_clear_dirty_log *log)
{
	const uint64_t *mask = log->dirty_bitmap;
	const struct memslot *s;
	uint64_t n, first;
	int ret;

	if ((log->slot >> 16) != 0 || (log->slot & 0xffff) >= VKVM_MAX_MEMSLOTS)
		return -EINVAL;
	if (log->first_page & 63)
		return -EINVAL;
	ret = dirty_slot_locked(vm, log->slot, &s);
	if (ret)
		return ret;
	if (!clear_range_ok(log, s->dirty->npages))
		return -EINVAL;
	n = dirty_log_words(log->num_pages);
	if (!uaccess_ok((unsigned long)(uintptr_t)mask, n * sizeof(*mask)))
		return -EFAULT;
	first = log->first_page / 64;
	for (uint64_t i = 0; i < n; i++)
		if (mask[i])
			atomic_fetch_and(&s->dirty->words[first + i], ~mask[i]);
	return 1;
}

int vm_clear_dirty_log(struct vm *vm, unsigned long arg)
{
	struct kvm_clear_dirty_log log;
	int ret;

	if (copy_from_user(&log, arg, sizeof(log)))
		return -EFAULT;
	pthread_mutex_lock(&vm->slots_lock);
	ret = clear_dirty_log_locked(vm, &log);
	pthread_mutex_unlock(&vm->slots_lock);
	return log_cleared(vm, ret);
}

int vm_enable_cap(struct vm *vm, unsigned long arg)
{
	struct kvm_enable_cap cap;
	uint64_t allowed = KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE;

	if (copy_from_user(&cap, arg, sizeof(cap)))
		return -EFAULT;
	if (cap.cap != KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2)
		return -EINVAL;
	/* INITIALLY_SET only together with MANUAL_PROTECT_ENABLE. */
	if (cap.args[0] & KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE)
		allowed = KVM_DIRTY_LOG_MANUAL_CAPS;
	if (cap.flags || (cap.args[0] & ~allowed))
		return -EINVAL;
	atomic_store(&vm->manual_dirty_log, (uint32_t)cap.args[0]);
	return 0;
}
