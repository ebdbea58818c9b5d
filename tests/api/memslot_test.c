// SPDX-License-Identifier: GPL-2.0-or-later
/* memslot_test.c: KVM_SET_USER_MEMORY_REGION rules and errnos. */
#include <sys/mman.h>

#include "api/dirty_log.h"
#include "api_helpers.h"

#define MB (1ULL << 20)

static void *mem;

static uint64_t hva(uint64_t off)
{
	if (!mem)
		mem = mmap(NULL, 16 * MB, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return (uint64_t)(uintptr_t)mem + off;
}

static int set_region(int vm, uint32_t slot, uint32_t flags, uint64_t gpa,
		      uint64_t size, uint64_t uaddr)
{
	struct kvm_userspace_memory_region mr = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = uaddr,
	};

	return vkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr);
}

static int vm_with_slot0(void)
{
	int vm = th_vm(0);

	if (vm >= 0 && set_region(vm, 0, 0, 0x40000000, MB, hva(0)) < 0)
		return -1;
	return vm;
}

TEST(memslot_create_and_find)
{
	int vm = vm_with_slot0();
	struct vm *v;
	const struct memslot *s;

	REQUIRE(vm >= 0);
	v = th_priv(vm);
	REQUIRE(v);
	EXPECT_OK(set_region(vm, 1, 0, 0x100000, 2 * MB, hva(4 * MB)));
	pthread_mutex_lock(&v->slots_lock);
	s = memslot_find(v, 0x40000000 + MB - 1);
	EXPECT(s && s->id == 0 && s->hva == hva(0));
	EXPECT(memslot_find(v, 0x40000000 + MB) == NULL);
	s = memslot_find(v, 0x100000);
	EXPECT(s && s->id == 1 && s->size == 2 * MB);
	EXPECT(memslot_find(v, 0xfffff) == NULL);
	/* memslot_at iterates in gpa order */
	EXPECT(memslot_at(v, 0) && memslot_at(v, 0)->id == 1);
	EXPECT(memslot_at(v, 1) && memslot_at(v, 1)->id == 0);
	EXPECT(memslot_at(v, 2) == NULL);
	pthread_mutex_unlock(&v->slots_lock);
	vkvm_close(vm);
}

TEST(memslot_unknown_flag_is_einval)
{
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(set_region(vm, 0, 1U << 2, 0, MB, hva(0)), EINVAL);
	EXPECT_ERRNO(set_region(vm, 0, 1U << 31, 0, MB, hva(0)), EINVAL);
	/* checked even for a delete */
	EXPECT_ERRNO(set_region(vm, 0, 1U << 2, 0, 0, hva(0)), EINVAL);
	EXPECT_OK(set_region(vm, 0, KVM_MEM_READONLY | KVM_MEM_LOG_DIRTY_PAGES,
			     0, MB, hva(0)));
	vkvm_close(vm);
}

TEST(memslot_unaligned_size_is_einval)
{
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(set_region(vm, 0, 0, 0, MB + 1, hva(0)), EINVAL);
	EXPECT_ERRNO(set_region(vm, 0, 0, 0, 0x800, hva(0)), EINVAL);
	vkvm_close(vm);
}

TEST(memslot_unaligned_gpa_is_einval)
{
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(set_region(vm, 0, 0, 0x800, MB, hva(0)), EINVAL);
	vkvm_close(vm);
}

TEST(memslot_unaligned_hva_is_einval)
{
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(set_region(vm, 0, 0, 0, MB, hva(8)), EINVAL);
	vkvm_close(vm);
}

TEST(memslot_hva_outside_user_space_is_einval)
{
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(set_region(vm, 0, 0, 0, MB, 0xfffffffffff00000ULL),
		     EINVAL);
	vkvm_close(vm);
}

TEST(memslot_address_space_bits_are_einval)
{
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(set_region(vm, 1U << 16, 0, 0, MB, hva(0)), EINVAL);
	vkvm_close(vm);
}

TEST(memslot_id_limit_is_nr_memslots)
{
	int vm = th_vm(0);
	long n;

	REQUIRE(vm >= 0);
	n = vkvm_ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS);
	EXPECT_EQ(n, VKVM_MAX_MEMSLOTS);
	EXPECT_ERRNO(set_region(vm, (uint32_t)n, 0, 0, MB, hva(0)), EINVAL);
	EXPECT_OK(set_region(vm, (uint32_t)n - 1, 0, 0, MB, hva(0)));
	vkvm_close(vm);
}

TEST(memslot_gpa_wrap_is_einval)
{
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(set_region(vm, 0, 0, 0xfffffffffff00000ULL, 2 * MB,
				hva(0)),
		     EINVAL);
	vkvm_close(vm);
}

TEST(memslot_delete_missing_is_einval)
{
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(set_region(vm, 3, 0, 0, 0, 0), EINVAL);
	vkvm_close(vm);
}

TEST(memslot_delete_then_reuse)
{
	int vm = vm_with_slot0();
	struct vm *v = th_priv(vm);

	REQUIRE(vm >= 0 && v);
	EXPECT_OK(set_region(vm, 0, 0, 0, 0, 0));
	EXPECT_EQ(v->nr_slots, 0);
	EXPECT_ERRNO(set_region(vm, 0, 0, 0, 0, 0), EINVAL);
	EXPECT_OK(set_region(vm, 0, 0, 0x40000000, MB, hva(0)));
	vkvm_close(vm);
}

TEST(memslot_changing_size_is_einval)
{
	int vm = vm_with_slot0();

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(set_region(vm, 0, 0, 0x40000000, 2 * MB, hva(0)), EINVAL);
	vkvm_close(vm);
}

TEST(memslot_changing_hva_is_einval)
{
	int vm = vm_with_slot0();

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(set_region(vm, 0, 0, 0x40000000, MB, hva(MB)), EINVAL);
	vkvm_close(vm);
}

TEST(memslot_changing_readonly_is_einval)
{
	int vm = vm_with_slot0();

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(set_region(vm, 0, KVM_MEM_READONLY, 0x40000000, MB,
				hva(0)),
		     EINVAL);
	vkvm_close(vm);
}

TEST(memslot_same_region_again_is_ok)
{
	int vm = vm_with_slot0();

	REQUIRE(vm >= 0);
	EXPECT_OK(set_region(vm, 0, 0, 0x40000000, MB, hva(0)));
	vkvm_close(vm);
}

TEST(memslot_move_keeps_the_slot)
{
	int vm = vm_with_slot0();
	struct vm *v = th_priv(vm);
	const struct memslot *s;

	REQUIRE(vm >= 0 && v);
	EXPECT_OK(set_region(vm, 0, 0, 0x80000000, MB, hva(0)));
	pthread_mutex_lock(&v->slots_lock);
	EXPECT(memslot_find(v, 0x40000000) == NULL);
	s = memslot_find(v, 0x80000000);
	EXPECT(s && s->id == 0);
	pthread_mutex_unlock(&v->slots_lock);
	vkvm_close(vm);
}

TEST(memslot_flags_only_change_toggles_dirty_bitmap)
{
	int vm = vm_with_slot0();
	struct vm *v = th_priv(vm);
	const struct memslot *s;

	REQUIRE(vm >= 0 && v);
	EXPECT_OK(set_region(vm, 0, KVM_MEM_LOG_DIRTY_PAGES, 0x40000000, MB,
			     hva(0)));
	pthread_mutex_lock(&v->slots_lock);
	s = memslot_find(v, 0x40000000);
	REQUIRE(s);
	EXPECT(s->dirty != NULL);
	memslot_mark_dirty(v, 0x40000000 + 3 * VKVM_PAGE_SIZE);
	EXPECT_EQ(atomic_load(&s->dirty->words[0]), 1ULL << 3);
	pthread_mutex_unlock(&v->slots_lock);
	EXPECT_OK(set_region(vm, 0, 0, 0x40000000, MB, hva(0)));
	pthread_mutex_lock(&v->slots_lock);
	s = memslot_find(v, 0x40000000);
	EXPECT(s && s->dirty == NULL && s->flags == 0);
	pthread_mutex_unlock(&v->slots_lock);
	vkvm_close(vm);
}

TEST(memslot_overlap_is_eexist)
{
	int vm = vm_with_slot0();

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(set_region(vm, 1, 0, 0x40000000 + MB - VKVM_PAGE_SIZE, MB,
				hva(MB)),
		     EEXIST);
	EXPECT_ERRNO(set_region(vm, 1, 0, 0x40000000 - VKVM_PAGE_SIZE,
				2 * VKVM_PAGE_SIZE, hva(MB)),
		     EEXIST);
	/* adjacent is fine */
	EXPECT_OK(set_region(vm, 1, 0, 0x40000000 + MB, MB, hva(MB)));
	vkvm_close(vm);
}

TEST(memslot_move_onto_another_is_eexist)
{
	int vm = vm_with_slot0();

	REQUIRE(vm >= 0);
	EXPECT_OK(set_region(vm, 1, 0, 0x0, MB, hva(MB)));
	EXPECT_ERRNO(set_region(vm, 1, 0, 0x40000000, MB, hva(MB)), EEXIST);
	vkvm_close(vm);
}

TEST(memslot_beyond_ipa_is_efault)
{
	int vm = th_vm(0), vm32 = th_vm(32);

	REQUIRE(vm >= 0 && vm32 >= 0);
	/* default 40-bit IPA: the last page fits, one more does not */
	EXPECT_OK(set_region(vm, 0, 0, (1ULL << 40) - VKVM_PAGE_SIZE,
			     VKVM_PAGE_SIZE, hva(0)));
	EXPECT_ERRNO(set_region(vm, 1, 0, 1ULL << 40, VKVM_PAGE_SIZE, hva(MB)),
		     EFAULT);
	EXPECT_ERRNO(set_region(vm32, 0, 0, 1ULL << 32, MB, hva(0)), EFAULT);
	/* a move beyond the IPA size too */
	EXPECT_OK(set_region(vm32, 0, 0, 0, MB, hva(0)));
	EXPECT_ERRNO(set_region(vm32, 0, 0, 1ULL << 32, MB, hva(0)), EFAULT);
	vkvm_close(vm);
	vkvm_close(vm32);
}

TEST(memslot_overlap_checked_before_ipa)
{
	int vm = th_vm(32);

	REQUIRE(vm >= 0);
	EXPECT_OK(set_region(vm, 0, 0, 0xfff00000, MB, hva(0)));
	EXPECT_ERRNO(set_region(vm, 1, 0, 0xfff00000, 2 * MB, hva(MB)), EEXIST);
	vkvm_close(vm);
}
