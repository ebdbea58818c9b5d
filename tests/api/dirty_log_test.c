// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dirty_log_test.c: KVM_MEM_LOG_DIRTY_PAGES, KVM_GET_DIRTY_LOG,
 * KVM_CLEAR_DIRTY_LOG and KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2: every errno
 * of dirty_log.c's table, the bitmap's life with the slot flag, and a
 * guest whose stores must come back as exactly the pages it wrote.
 */
#include "api/dirty_log.h"
#include "dirty_guest.h"

#define MB (1ULL << 20)
#define PAGES_65 (65 * 4096ULL) /* a slot whose bitmap needs 2 words */

static void *mem(void)
{
	static void *m;

	if (!m)
		m = mmap(NULL, 4 * MB, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return m;
}

static int set_slot(int vm, uint32_t slot, uint32_t flags, uint64_t size)
{
	struct kvm_userspace_memory_region mr = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = 0x40000000ULL + slot * 4 * MB,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)mem(),
	};

	return vkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr);
}

/* A VM with slot 0 (1 MiB, logging) and slot 1 (1 MiB, no logging). */
static int vm_logged(void)
{
	int vm = th_vm(0);

	if (vm < 0 || set_slot(vm, 0, KVM_MEM_LOG_DIRTY_PAGES, MB) ||
	    set_slot(vm, 1, 0, MB))
		return -1;
	return vm;
}

static int get_log(int vm, uint32_t slot, void *bm)
{
	struct kvm_dirty_log log = { .slot = slot, .dirty_bitmap = bm };

	return vkvm_ioctl(vm, KVM_GET_DIRTY_LOG, &log);
}

static int clear_log(int vm, uint32_t slot, uint64_t first, uint32_t n,
		     void *bm)
{
	struct kvm_clear_dirty_log log = { .slot = slot,
					   .num_pages = n,
					   .first_page = first,
					   .dirty_bitmap = bm };

	return vkvm_ioctl(vm, KVM_CLEAR_DIRTY_LOG, &log);
}

static int enable_manual(int vm, uint64_t args0, uint32_t flags)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2,
				      .flags = flags };

	cap.args[0] = args0;
	return vkvm_ioctl(vm, KVM_ENABLE_CAP, &cap);
}

static struct dirty_log *slot_log(int vm, uint32_t id)
{
	struct vm *v = th_priv(vm);
	struct dirty_log *d = NULL;

	pthread_mutex_lock(&v->slots_lock);
	for (unsigned int i = 0; i < v->nr_slots; i++)
		if (v->slots[i].id == id)
			d = v->slots[i].dirty;
	pthread_mutex_unlock(&v->slots_lock);
	return d;
}

/* --- capability and ENABLE_CAP ------------------------------------------ */

TEST(manual_protect2_extension_is_the_flags_mask_3)
{
	int kvm = vkvm_open(), vm = th_vm(0);

	REQUIRE(kvm >= 0 && vm >= 0);
	EXPECT_EQ(vkvm_ioctl(vm, KVM_CHECK_EXTENSION,
			     KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2),
		  3);
	EXPECT_EQ(vkvm_ioctl(kvm, KVM_CHECK_EXTENSION,
			     KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2),
		  3);
	vkvm_close(vm);
	vkvm_close(kvm);
}

TEST(enable_cap_accepts_manual_protect_with_and_without_initially_set)
{
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	EXPECT_OK(enable_manual(vm, KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE, 0));
	EXPECT_OK(enable_manual(vm, KVM_DIRTY_LOG_MANUAL_CAPS, 0));
	EXPECT_OK(enable_manual(vm, 0, 0)); /* back to GET-and-clear */
	vkvm_close(vm);
}

TEST(enable_cap_with_flags_is_einval)
{
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(enable_manual(vm, 1, 1), EINVAL);
	vkvm_close(vm);
}

TEST(enable_cap_unknown_bits_are_einval)
{
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(enable_manual(vm, 1 | 4, 0), EINVAL);
	/* INITIALLY_SET needs MANUAL_PROTECT_ENABLE */
	EXPECT_ERRNO(enable_manual(vm, KVM_DIRTY_LOG_INITIALLY_SET, 0), EINVAL);
	vkvm_close(vm);
}

TEST(enable_cap_other_capability_is_einval)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_NISV_TO_USER };
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vm, KVM_ENABLE_CAP, &cap), EINVAL);
	vkvm_close(vm);
}

TEST(enable_cap_bad_pointer_is_efault)
{
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vm, KVM_ENABLE_CAP, NULL), EFAULT);
	vkvm_close(vm);
}

/* --- KVM_GET_DIRTY_LOG errnos ---------------------------------------------- */

TEST(get_dirty_log_bad_argument_pointer_is_efault)
{
	int vm = vm_logged();

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vm, KVM_GET_DIRTY_LOG, NULL), EFAULT);
	vkvm_close(vm);
}

TEST(get_dirty_log_address_space_1_is_einval)
{
	uint64_t bm[4];
	int vm = vm_logged();

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(get_log(vm, 1U << 16, bm), EINVAL);
	vkvm_close(vm);
}

TEST(get_dirty_log_slot_id_beyond_the_limit_is_einval)
{
	uint64_t bm[4];
	int vm = vm_logged();

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(get_log(vm, VKVM_MAX_MEMSLOTS, bm), EINVAL);
	vkvm_close(vm);
}

TEST(get_dirty_log_missing_slot_is_enoent)
{
	uint64_t bm[4];
	int vm = vm_logged();

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(get_log(vm, 7, bm), ENOENT);
	vkvm_close(vm);
}

TEST(get_dirty_log_slot_without_logging_is_enoent)
{
	uint64_t bm[4];
	int vm = vm_logged();

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(get_log(vm, 1, bm), ENOENT);
	vkvm_close(vm);
}

TEST(get_dirty_log_bad_bitmap_pointer_is_efault)
{
	int vm = vm_logged();

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(get_log(vm, 0, NULL), EFAULT);
	vkvm_close(vm);
}

/* --- KVM_CLEAR_DIRTY_LOG errnos -------------------------------------------- */

TEST(clear_dirty_log_bad_argument_pointer_is_efault)
{
	int vm = vm_logged();

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vm, KVM_CLEAR_DIRTY_LOG, NULL), EFAULT);
	vkvm_close(vm);
}

TEST(clear_dirty_log_address_space_1_or_big_id_is_einval)
{
	uint64_t bm[4] = { 0 };
	int vm = vm_logged();

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(clear_log(vm, 1U << 16, 0, 64, bm), EINVAL);
	EXPECT_ERRNO(clear_log(vm, VKVM_MAX_MEMSLOTS, 0, 64, bm), EINVAL);
	vkvm_close(vm);
}

TEST(clear_dirty_log_unaligned_first_page_is_einval_before_enoent)
{
	uint64_t bm[4] = { 0 };
	int vm = vm_logged();

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(clear_log(vm, 0, 1, 64, bm), EINVAL);
	/* Linux checks first_page before it looks the slot up */
	EXPECT_ERRNO(clear_log(vm, 7, 32, 64, bm), EINVAL);
	vkvm_close(vm);
}

TEST(clear_dirty_log_missing_or_unlogged_slot_is_enoent)
{
	uint64_t bm[4] = { 0 };
	int vm = vm_logged();

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(clear_log(vm, 7, 0, 64, bm), ENOENT);
	EXPECT_ERRNO(clear_log(vm, 1, 0, 64, bm), ENOENT);
	vkvm_close(vm);
}

TEST(clear_dirty_log_range_beyond_the_slot_is_einval)
{
	uint64_t bm[8] = { 0 };
	int vm = vm_logged(); /* slot 0: 256 pages */

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(clear_log(vm, 0, 320, 0, bm), EINVAL); /* first > n */
	EXPECT_ERRNO(clear_log(vm, 0, 192, 128, bm), EINVAL); /* too long */
	EXPECT_OK(clear_log(vm, 0, 256, 0, bm)); /* empty, at the end */
	vkvm_close(vm);
}

TEST(clear_dirty_log_partial_count_is_einval_unless_it_ends_the_slot)
{
	uint64_t bm[8] = { 0 };
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	REQUIRE(set_slot(vm, 0, KVM_MEM_LOG_DIRTY_PAGES, PAGES_65) == 0);
	EXPECT_ERRNO(clear_log(vm, 0, 0, 10, bm), EINVAL);
	EXPECT_OK(clear_log(vm, 0, 0, 65, bm)); /* to the end: any count */
	EXPECT_OK(clear_log(vm, 0, 64, 1, bm));
	EXPECT_OK(clear_log(vm, 0, 0, 64, bm));
	vkvm_close(vm);
}

TEST(clear_dirty_log_bad_bitmap_pointer_is_efault)
{
	int vm = vm_logged();

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(clear_log(vm, 0, 0, 64, NULL), EFAULT);
	vkvm_close(vm);
}

/* --- the bitmap's life and semantics -------------------------------------- */

TEST(logging_flag_toggle_allocates_and_frees_the_bitmap)
{
	uint64_t bm[4];
	int vm = vm_logged();

	REQUIRE(vm >= 0);
	EXPECT_OK(get_log(vm, 0, bm));
	dirty_log_mark(slot_log(vm, 0), 5);
	EXPECT_OK(set_slot(vm, 0, 0, MB)); /* logging off: bitmap freed */
	EXPECT(slot_log(vm, 0) == NULL);
	EXPECT_ERRNO(get_log(vm, 0, bm), ENOENT);
	EXPECT_OK(set_slot(vm, 0, KVM_MEM_LOG_DIRTY_PAGES, MB));
	EXPECT_OK(get_log(vm, 0, bm)); /* a fresh, clear bitmap */
	EXPECT_EQ(bm[0], 0);
	EXPECT_OK(set_slot(vm, 1, KVM_MEM_LOG_DIRTY_PAGES, MB));
	EXPECT_OK(get_log(vm, 1, bm));
	vkvm_close(vm);
}

TEST(get_dirty_log_copies_the_bitmap_rounded_to_64_bits)
{
	uint64_t bm[3] = { 0, 0, 0x5a5a5a5a5a5a5a5aULL };
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	REQUIRE(set_slot(vm, 0, KVM_MEM_LOG_DIRTY_PAGES, PAGES_65) == 0);
	dirty_log_mark(slot_log(vm, 0), 0);
	dirty_log_mark(slot_log(vm, 0), 64);
	bm[0] = bm[1] = ~0ULL;
	EXPECT_OK(get_log(vm, 0, bm));
	EXPECT_EQ(bm[0], 1);
	EXPECT_EQ(bm[1], 1);
	EXPECT_EQ(bm[2], 0x5a5a5a5a5a5a5a5aULL); /* 2 words, no more */
	vkvm_close(vm);
}

TEST(get_dirty_log_without_manual_protect_clears_what_it_returns)
{
	uint64_t bm[4];
	int vm = vm_logged();

	REQUIRE(vm >= 0);
	dirty_log_mark(slot_log(vm, 0), 3);
	dirty_log_mark(slot_log(vm, 0), 200);
	EXPECT_OK(get_log(vm, 0, bm));
	EXPECT_EQ(bm[0], 1ULL << 3);
	EXPECT_EQ(bm[3], 1ULL << (200 - 192));
	EXPECT_OK(get_log(vm, 0, bm));
	EXPECT_EQ(bm[0] | bm[3], 0);
	vkvm_close(vm);
}

TEST(manual_protect_get_keeps_bits_and_clear_removes_only_the_mask)
{
	uint64_t bm[4], mask[4] = { 1ULL << 3, 0, 0, 0 };
	int vm = vm_logged();

	REQUIRE(vm >= 0);
	EXPECT_OK(enable_manual(vm, KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE, 0));
	dirty_log_mark(slot_log(vm, 0), 3);
	dirty_log_mark(slot_log(vm, 0), 4);
	EXPECT_OK(get_log(vm, 0, bm));
	EXPECT_OK(get_log(vm, 0, bm));
	EXPECT_EQ(bm[0], 3ULL << 3);
	EXPECT_OK(clear_log(vm, 0, 0, 256, mask));
	EXPECT_OK(get_log(vm, 0, bm));
	EXPECT_EQ(bm[0], 1ULL << 4);
	/* CLEAR at an offset: the mask's bit 0 is page first_page */
	dirty_log_mark(slot_log(vm, 0), 130);
	mask[0] = 1ULL << 2;
	EXPECT_OK(clear_log(vm, 0, 128, 64, mask));
	EXPECT_OK(get_log(vm, 0, bm));
	EXPECT_EQ(bm[2], 0);
	vkvm_close(vm);
}

TEST(initially_set_starts_a_new_log_with_every_page_dirty)
{
	uint64_t bm[3] = { 0, 0, 0 };
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	EXPECT_OK(enable_manual(vm, KVM_DIRTY_LOG_MANUAL_CAPS, 0));
	REQUIRE(set_slot(vm, 0, KVM_MEM_LOG_DIRTY_PAGES, PAGES_65) == 0);
	EXPECT_OK(get_log(vm, 0, bm));
	EXPECT_EQ(bm[0], ~0ULL);
	EXPECT_EQ(bm[1], 1); /* page 64 only: no bits past the slot */
	vkvm_close(vm);
}

/* --- a guest: its stores, exactly ------------------------------------------- */

#define DGUEST(g, flags)                                                     \
	REQUIRE(dg_make(&(g), dg_prog, sizeof(dg_prog) / sizeof(dg_prog[0]), \
			(flags)) == 0)

static void run_round(struct dguest *g)
{
	EXPECT_OK(vkvm_ioctl(g->vcpu, KVM_RUN, 0));
	EXPECT_EQ(g->run->exit_reason, KVM_EXIT_MMIO);
	EXPECT_EQ(g->run->mmio.phys_addr, 0x09000000ULL);
}

TEST(guest_stores_come_back_as_exactly_their_pages_then_clear_then_again)
{
	uint64_t bm[DG_WORDS];
	struct dguest g;

	DGUEST(g, KVM_MEM_LOG_DIRTY_PAGES);
	run_round(&g);
	EXPECT_OK(dg_get(&g, bm));
	EXPECT(dg_exact(bm));
	EXPECT_OK(dg_get(&g, bm));
	EXPECT(dg_empty(bm));
	run_round(&g);
	EXPECT_OK(dg_get(&g, bm));
	EXPECT(dg_exact(bm));
	dg_free(&g);
}

TEST(guest_stores_with_manual_protect_stay_until_cleared)
{
	uint64_t bm[DG_WORDS], all[DG_WORDS];
	struct dguest g;

	memset(all, 0xff, sizeof(all));
	DGUEST(g, 0);
	EXPECT_OK(enable_manual(g.vm, KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE, 0));
	REQUIRE(dg_slot(&g, KVM_MEM_LOG_DIRTY_PAGES) == 0);
	run_round(&g);
	EXPECT_OK(dg_get(&g, bm));
	EXPECT(dg_exact(bm));
	EXPECT_OK(dg_get(&g, bm));
	EXPECT(dg_exact(bm));
	EXPECT_OK(vkvm_ioctl(
		g.vm, KVM_CLEAR_DIRTY_LOG,
		&(struct kvm_clear_dirty_log){ .slot = 0,
					       .num_pages = DG_PAGES,
					       .dirty_bitmap = all }));
	EXPECT_OK(dg_get(&g, bm));
	EXPECT(dg_empty(bm));
	run_round(&g);
	EXPECT_OK(dg_get(&g, bm));
	EXPECT(dg_exact(bm));
	dg_free(&g);
}

TEST(vmm_writes_to_guest_memory_are_not_logged)
{
	uint64_t bm[DG_WORDS];
	struct dguest g;

	DGUEST(g, KVM_MEM_LOG_DIRTY_PAGES);
	run_round(&g);
	EXPECT_OK(dg_get(&g, bm));
	memset((char *)g.ram + 100 * 4096, 1, 4096);
	EXPECT_OK(dg_get(&g, bm));
	EXPECT(dg_empty(bm));
	dg_free(&g);
}

TEST(logging_started_while_parked_in_mmio_over_marks_then_is_exact)
{
	uint64_t bm[DG_WORDS], all[DG_WORDS];
	struct dguest g;

	memset(all, 0xff, sizeof(all));
	DGUEST(g, 0);
	run_round(&g); /* parked in the MMIO store, logging off */
	REQUIRE(dg_slot(&g, KVM_MEM_LOG_DIRTY_PAGES) == 0);
	run_round(&g);
	/* resumed in a block translated without the hooks: all marked */
	EXPECT_OK(dg_get(&g, bm));
	EXPECT(!memcmp(bm, all, sizeof(bm)));
	run_round(&g);
	EXPECT_OK(dg_get(&g, bm));
	EXPECT(dg_exact(bm));
	dg_free(&g);
}

TEST(logging_stopped_and_restarted_on_a_running_guest)
{
	uint64_t bm[DG_WORDS];
	struct dguest g;

	DGUEST(g, KVM_MEM_LOG_DIRTY_PAGES);
	run_round(&g);
	REQUIRE(dg_slot(&g, 0) == 0);
	run_round(&g); /* stores with logging off: nothing to see */
	REQUIRE(dg_slot(&g, KVM_MEM_LOG_DIRTY_PAGES) == 0);
	EXPECT_OK(dg_get(&g, bm));
	EXPECT(dg_empty(bm));
	run_round(&g); /* over-marked: see the parked test */
	run_round(&g);
	EXPECT_OK(dg_get(&g, bm));
	EXPECT_OK(dg_get(&g, bm));
	EXPECT(dg_empty(bm));
	run_round(&g);
	EXPECT_OK(dg_get(&g, bm));
	EXPECT(dg_exact(bm));
	dg_free(&g);
}
