// SPDX-License-Identifier: GPL-2.0-or-later
/* uc_kit_test.c: the Unicorn internals self-test (engine spec K1-K3) and
 * the kit's refusals when a region does not look as in 2.1.1. */
#include <errno.h>
#include <sys/mman.h>

#include "lib/test.h"

#include "cpu/cpu.h"
#include "cpu/uc_kit.h"

TEST(self_test_finds_the_2_1_1_layout)
{
	EXPECT_EQ(cpu_self_test(), 0);
}

TEST(self_test_is_repeatable)
{
	EXPECT_EQ(cpu_self_test(), 0);
	EXPECT_EQ(cpu_self_test(), 0);
}

static uint64_t mmio_rd(uc_engine *uc, uint64_t off, unsigned size, void *op)
{
	return 0;
}

static void mmio_wr(uc_engine *uc, uint64_t off, unsigned size, uint64_t v,
		    void *op)
{
}

/* A kit-attached engine, or NULL. */
static uc_engine *engine(struct uc_kit *kit)
{
	uc_engine *uc;

	if (uc_kit_open(&uc))
		return NULL;
	if (uc_kit_attach(uc, kit)) {
		uc_close(uc);
		return NULL;
	}
	return uc;
}

TEST(mmio_widen_refuses_a_region_it_does_not_find_or_already_changed)
{
	struct uc_kit kit;
	uc_engine *uc = engine(&kit);
	int tag;

	REQUIRE(uc);
	REQUIRE(uc_mmio_map(uc, 0x09000000, 0x1000, mmio_rd, &tag, mmio_wr,
			    &tag) == UC_ERR_OK);
	EXPECT_EQ(uc_kit_mmio_widen(&kit, (void *)mmio_rd, (void *)mmio_wr,
				    &kit),
		  -ENOTSUP);
	EXPECT_EQ(uc_kit_mmio_widen(&kit, (void *)mmio_rd, (void *)mmio_wr,
				    &tag),
		  0);
	/* its ops are no longer Unicorn's pristine ones */
	EXPECT_EQ(uc_kit_mmio_widen(&kit, (void *)mmio_rd, (void *)mmio_wr,
				    &tag),
		  -ENOTSUP);
	uc_close(uc);
}

TEST(ram_readonly_refuses_memory_it_does_not_find)
{
	struct uc_kit kit;
	uc_engine *uc = engine(&kit);
	void *page = mmap(NULL, 0x2000, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t hva = (uint64_t)(uintptr_t)page;

	REQUIRE(uc && page != MAP_FAILED);
	REQUIRE(uc_mem_map_ptr(uc, 0x50000000, 0x1000, UC_PROT_READ, page) ==
		UC_ERR_OK);
	EXPECT_EQ(uc_kit_ram_readonly(&kit, hva + 0x1000, 0x1000), -ENOTSUP);
	EXPECT_EQ(uc_kit_ram_readonly(&kit, hva, 0x2000), -ENOTSUP);
	EXPECT_EQ(uc_kit_ram_readonly(&kit, hva, 0x1000), 0);
	uc_close(uc);
	munmap(page, 0x2000);
}

TEST(sync_pc_outside_an_mmio_access_restores_nothing)
{
	struct uc_kit kit;
	uc_engine *uc = engine(&kit);

	REQUIRE(uc);
	EXPECT(!uc_kit_sync_pc(&kit));
	uc_close(uc);
}
