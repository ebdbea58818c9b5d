// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memslot.c: KVM_SET_USER_MEMORY_REGION and the slot lookups the engine uses.
 *
 * Check order follows Linux's __kvm_set_memory_region (virt/kvm/kvm_main.c,
 * 6.x) and the arm64 kvm_arch_prepare_memory_region (arch/arm64/kvm/mmu.c):
 *   1. flags other than LOG_DIRTY_PAGES | READONLY           EINVAL
 *   2. size, gpa or hva not page aligned                     EINVAL
 *      hva range outside the user address space              EINVAL
 *   3. address space (slot bits 31:16) != 0, id >= limit     EINVAL
 *   4. gpa + size wraps                                      EINVAL
 *   5. size 0: delete; no such slot                          EINVAL
 *   6. existing slot: other hva, size or READONLY            EINVAL
 *      same gpa and flags: nothing to do                     0
 *   7. create/move overlapping another slot                  EEXIST
 *   8. create/move/flags change beyond the VM's IPA size     EFAULT
 * The arm64 EFAULT (step 8) was confirmed in mmu.c (search, 6.x copies).
 * Linux's access_ok() bound is the task size; vkvm uses the x86-64 user
 * half (2^47) as that bound (doubt: a 5-level-paging host allows more).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/dirty_log.h"
#include "api/vm.h"
#include "cpu/cpu.h"

#define MEMSLOT_VALID_FLAGS (KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY)
#define MEMSLOT_USER_LIMIT (1ULL << 47)
/* Linux's KVM_MEM_MAX_NR_PAGES: 2^31 - 1 pages per slot. */
#define MEMSLOT_MAX_PAGES ((1ULL << 31) - 1)

static int memslot_check_args(const struct kvm_userspace_memory_region *mr)
{
	uint64_t mask = VKVM_PAGE_SIZE - 1;

	if (mr->flags & ~MEMSLOT_VALID_FLAGS)
		return -EINVAL;
	if ((mr->memory_size & mask) || (mr->guest_phys_addr & mask))
		return -EINVAL;
	if ((mr->userspace_addr & mask) ||
	    mr->userspace_addr + mr->memory_size < mr->userspace_addr ||
	    mr->userspace_addr + mr->memory_size > MEMSLOT_USER_LIMIT)
		return -EINVAL;
	if ((mr->slot >> 16) != 0 || (mr->slot & 0xffff) >= VKVM_MAX_MEMSLOTS)
		return -EINVAL;
	if (mr->guest_phys_addr + mr->memory_size < mr->guest_phys_addr)
		return -EINVAL;
	if (mr->memory_size / VKVM_PAGE_SIZE > MEMSLOT_MAX_PAGES)
		return -EINVAL;
	return 0;
}

static struct memslot *memslot_by_id_locked(struct vm *vm, uint32_t id)
{
	for (unsigned int i = 0; i < vm->nr_slots; i++)
		if (vm->slots[i].id == id)
			return &vm->slots[i];
	return NULL;
}

/* Does [gpa, gpa + size) overlap a slot other than @id? */
static bool memslot_overlaps_locked(struct vm *vm, uint32_t id, uint64_t gpa,
				    uint64_t size)
{
	for (unsigned int i = 0; i < vm->nr_slots; i++) {
		const struct memslot *s = &vm->slots[i];

		if (s->id != id && gpa < s->gpa + s->size &&
		    s->gpa < gpa + size)
			return true;
	}
	return false;
}

static int memslot_cmp(const void *a, const void *b)
{
	const struct memslot *x = a, *y = b;

	return x->gpa < y->gpa ? -1 : x->gpa > y->gpa;
}

/*
 * Give @s a dirty bitmap iff @flags asks for dirty logging: a fresh one
 * (all set with KVM_DIRTY_LOG_INITIALLY_SET) when logging starts, none
 * when it stops (engines may still hold a reference: dirty_log.h).
 */
static int memslot_update_bitmap(struct vm *vm, struct memslot *s,
				 uint32_t flags)
{
	bool set = atomic_load(&vm->manual_dirty_log) &
		   KVM_DIRTY_LOG_INITIALLY_SET;

	if (!(flags & KVM_MEM_LOG_DIRTY_PAGES)) {
		dirty_log_put(s->dirty);
		s->dirty = NULL;
	} else if (!s->dirty) {
		s->dirty = dirty_log_new(s->size / VKVM_PAGE_SIZE, set);
		if (!s->dirty)
			return -ENOMEM;
	}
	return 0;
}

static void memslot_delete_locked(struct vm *vm, struct memslot *s)
{
	unsigned int i = (unsigned int)(s - vm->slots);

	dirty_log_put(s->dirty);
	memmove(s, s + 1, (vm->nr_slots - i - 1) * sizeof(*s));
	vm->nr_slots--;
}

static int memslot_create_locked(struct vm *vm,
				 const struct kvm_userspace_memory_region *mr)
{
	struct memslot *slots, *s;

	slots = realloc(vm->slots, (vm->nr_slots + 1) * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	vm->slots = slots;
	s = &slots[vm->nr_slots];
	memset(s, 0, sizeof(*s));
	s->id = mr->slot;
	s->gpa = mr->guest_phys_addr;
	s->size = mr->memory_size;
	s->hva = mr->userspace_addr;
	if (memslot_update_bitmap(vm, s, mr->flags))
		return -ENOMEM;
	s->flags = mr->flags;
	vm->nr_slots++;
	return 0;
}

static int memslot_set_locked(struct vm *vm,
			      const struct kvm_userspace_memory_region *mr,
			      bool *log_started)
{
	struct memslot *old = memslot_by_id_locked(vm, mr->slot);
	uint64_t ipa_size = 1ULL << vm->ipa_bits;
	int ret;

	if (!mr->memory_size) {
		if (!old)
			return -EINVAL;
		memslot_delete_locked(vm, old);
		return 0;
	}
	if (old) {
		if (mr->userspace_addr != old->hva ||
		    mr->memory_size != old->size ||
		    ((mr->flags ^ old->flags) & KVM_MEM_READONLY))
			return -EINVAL;
		if (mr->guest_phys_addr == old->gpa && mr->flags == old->flags)
			return 0;
	}
	if ((!old || mr->guest_phys_addr != old->gpa) &&
	    memslot_overlaps_locked(vm, mr->slot, mr->guest_phys_addr,
				    mr->memory_size))
		return -EEXIST;
	if (mr->guest_phys_addr + mr->memory_size > ipa_size)
		return -EFAULT;
	if (!old)
		return memslot_create_locked(vm, mr);
	*log_started = !old->dirty && (mr->flags & KVM_MEM_LOG_DIRTY_PAGES);
	ret = memslot_update_bitmap(vm, old, mr->flags);
	if (ret)
		return ret;
	old->flags = mr->flags;
	old->gpa = mr->guest_phys_addr; /* a move keeps the bitmap (Linux) */
	return 0;
}

int memslot_set(struct vm *vm, const struct kvm_userspace_memory_region *mr)
{
	bool log_started = false;
	int ret = memslot_check_args(mr);

	if (ret)
		return ret;
	pthread_mutex_lock(&vm->slots_lock);
	ret = memslot_set_locked(vm, mr, &log_started);
	if (!ret) {
		qsort(vm->slots, vm->nr_slots, sizeof(*vm->slots), memslot_cmp);
		vm->slots_gen++;
	}
	if (log_started)
		atomic_fetch_add(&vm->dirty_gen, 1);
	pthread_mutex_unlock(&vm->slots_lock);
	/* As in Linux, every guest store after this call is logged: wait
	 * until no vCPU runs with the slot list of before (engine.c). */
	if (log_started)
		cpu_engine_barrier(vm);
	return ret;
}

const struct memslot *memslot_find(struct vm *vm, uint64_t gpa)
{
	unsigned int lo = 0, hi = vm->nr_slots;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct memslot *s = &vm->slots[mid];

		if (gpa < s->gpa)
			hi = mid;
		else if (gpa - s->gpa >= s->size)
			lo = mid + 1;
		else
			return s;
	}
	return NULL;
}

const struct memslot *memslot_at(struct vm *vm, unsigned int i)
{
	return i < vm->nr_slots ? &vm->slots[i] : NULL;
}

void memslot_mark_dirty(struct vm *vm, uint64_t gpa)
{
	const struct memslot *s = memslot_find(vm, gpa);

	if (s && s->dirty)
		dirty_log_mark(s->dirty, (gpa - s->gpa) / VKVM_PAGE_SIZE);
}
