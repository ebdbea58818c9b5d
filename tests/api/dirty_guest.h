/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dirty_guest.h: a tiny guest for the dirty-log tests: one 2 MiB slot at
 * 1 GiB with the program at its start; the program stores into a known
 * set of pages (plain, exclusive, LSE atomic, DC ZVA, a store across a
 * page boundary, a pair) and then writes the MMIO word at 0x09000000, in
 * a loop, so each KVM_RUN is one round of stores.
 */
#ifndef VKVM_TESTS_DIRTY_GUEST_H
#define VKVM_TESTS_DIRTY_GUEST_H

#include <string.h>
#include <sys/mman.h>

#include "api_helpers.h"

#define DG_GPA 0x40000000ULL
#define DG_SIZE (2ULL << 20)
#define DG_PAGES (DG_SIZE / 4096)
#define DG_WORDS (DG_PAGES / 64)
#define DG_PC_ID                                               \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
	 KVM_REG_ARM_CORE_REG(regs.pc))

/*
 *	movz x1, #0x0900, lsl #16;  movz x2, #0x4010, lsl #16;  mov x3, #0x55
 * loop: str x3, [x2]                          page 256
 *	str x3, [x2, #0x3000]                  page 259
 *	add x4, x2, #0x10, lsl #12
 * 1:	ldxr x5, [x4]; add x5, x5, #1; stxr w6, x5, [x4]; cbnz w6, 1b  272
 *	add x7, x2, #0x20, lsl #12; ldadd x3, x5, [x7]                 288
 *	add x8, x2, #0x30, lsl #12; dc zva, x8                         304
 *	add x9, x2, #0x41, lsl #12; stur x3, [x9, #-4]           320 + 321
 *	add x10, x2, #0x50, lsl #12; stp x3, x3, [x10, #16]            336
 *	str w3, [x1]; b loop                   MMIO exit
 */
static const uint32_t dg_prog[] = {
	0xd2a12001, 0xd2a80202, 0xd2800aa3, 0xf9000043, 0xf9180043,
	0x91404044, 0xc85f7c85, 0x910004a5, 0xc8067c85, 0x35ffffa6,
	0x91408047, 0xf82300e5, 0x9140c048, 0xd50b7428, 0x91410449,
	0xf81fc123, 0x9141404a, 0xa9010d43, 0xb9000023, 0x17fffff0,
};
static const unsigned int dg_pages[] = {
	256, 259, 272, 288, 304, 320, 321, 336
};

struct dguest {
	int vm, vcpu;
	struct kvm_run *run;
	void *ram;
};

static inline int dg_slot(struct dguest *g, uint32_t flags)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 0,
		.flags = flags,
		.guest_phys_addr = DG_GPA,
		.memory_size = DG_SIZE,
		.userspace_addr = (uint64_t)(uintptr_t)g->ram,
	};

	return vkvm_ioctl(g->vm, KVM_SET_USER_MEMORY_REGION, &mr);
}

/* A VM running @prog (@words long) with slot 0 created with @flags. */
static inline int dg_make(struct dguest *g, const uint32_t *prog, size_t words,
			  uint32_t flags)
{
	g->ram = mmap(NULL, DG_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->ram == MAP_FAILED)
		return -1;
	memcpy(g->ram, prog, words * 4);
	g->vm = th_vm(0);
	if (g->vm < 0 || dg_slot(g, flags))
		return -1;
	g->vcpu = th_vcpu(g->vm, 0, TH_PSCI);
	if (g->vcpu < 0 || th_set64(g->vcpu, DG_PC_ID, DG_GPA))
		return -1;
	g->run = mmap(NULL, (size_t)vcpu_mmap_size(), PROT_READ | PROT_WRITE,
		      MAP_SHARED, g->vcpu, 0);
	return g->run == MAP_FAILED ? -1 : 0;
}

static inline void dg_free(struct dguest *g)
{
	munmap(g->run, (size_t)vcpu_mmap_size());
	vkvm_close(g->vcpu);
	vkvm_close(g->vm);
	munmap(g->ram, DG_SIZE);
}

/* KVM_GET_DIRTY_LOG of slot 0 into @bm (DG_WORDS words). */
static inline int dg_get(struct dguest *g, uint64_t *bm)
{
	struct kvm_dirty_log log = { .slot = 0, .dirty_bitmap = bm };

	return vkvm_ioctl(g->vm, KVM_GET_DIRTY_LOG, &log);
}

/* Is @bm exactly the pages of dg_pages? */
static inline bool dg_exact(const uint64_t *bm)
{
	uint64_t want[DG_WORDS] = { 0 };

	for (size_t i = 0; i < sizeof(dg_pages) / sizeof(dg_pages[0]); i++)
		want[dg_pages[i] / 64] |= 1ULL << (dg_pages[i] % 64);
	return !memcmp(want, bm, sizeof(want));
}

static inline bool dg_empty(const uint64_t *bm)
{
	for (unsigned int i = 0; i < DG_WORDS; i++)
		if (bm[i])
			return false;
	return true;
}

#endif /* VKVM_TESTS_DIRTY_GUEST_H */
