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

/* A chain of @n distinct blocks, each 14 ADDs, a NOP and a B to the
 * next, then WFI: X0 ends as 14 * @n and every block is a new
 * translation chained to the previous one. */
#define CHAIN_WORDS 16
static void write_chain(uint32_t *code, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		uint32_t *b = code + i * CHAIN_WORDS;

		for (unsigned int k = 0; k < CHAIN_WORDS - 2; k++)
			b[k] = 0x91000400; /* add x0, x0, #1 */
		b[CHAIN_WORDS - 2] = 0xd503201f; /* nop */
		b[CHAIN_WORDS - 1] = 0x14000001; /* b .+4 */
	}
	code[n * CHAIN_WORDS] = 0xd503207f; /* wfi */
}

static uint64_t run_chain(uc_engine *uc, uint64_t gpa)
{
	uint64_t x0 = 0;

	uc_reg_write(uc, UC_ARM64_REG_X0, &x0);
	if (uc_emu_start(uc, gpa, 0, 0, 0) != UC_ERR_OK)
		return UINT64_MAX;
	uc_reg_read(uc, UC_ARM64_REG_X0, &x0);
	return x0;
}

/* Unicorn 2.1.1 reused a full buffer under live, chained blocks and
 * crashed (issues #1923, #2048): about three buffers' worth of code in
 * a 1 MiB buffer, three times, must run right (K10). */
TEST(full_translation_buffer_is_flushed_not_reused)
{
	const unsigned int n = 8000; /* ~380 bytes of host code each */
	const size_t ram = 1U << 20;
	const uint64_t gpa = 0x40000000;
	uint32_t *code = mmap(NULL, ram, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct uc_kit kit;
	uc_engine *uc;

	REQUIRE(code != MAP_FAILED);
	write_chain(code, n);
	REQUIRE(uc_kit_open_buffer(&uc, UC_KIT_TCG_BUFFER_MIN) == 0);
	REQUIRE(uc_kit_attach(uc, &kit) == 0);
	REQUIRE(uc_mem_map_ptr(uc, gpa, ram, UC_PROT_ALL, code) == UC_ERR_OK);
	EXPECT_EQ(run_chain(uc, gpa), 14ULL * n);
	EXPECT_EQ(run_chain(uc, gpa), 14ULL * n);
	EXPECT(uc_kit_tcg_used(&kit) < UC_KIT_TCG_BUFFER_MIN);
	/* the engine's own flushes (VCPU_INIT, IC IALLUIS) keep it so */
	REQUIRE(uc_ctl_flush_tb(uc) == UC_ERR_OK);
	EXPECT_EQ(run_chain(uc, gpa), 14ULL * n);
	uc_close(uc);
	munmap(code, ram);
}

TEST(attach_refuses_an_engine_it_already_attached)
{
	struct uc_kit kit, again;
	uc_engine *uc = engine(&kit);

	REQUIRE(uc);
	/* the TCG region no longer looks as tcg_exec_init left it */
	EXPECT_EQ(uc_kit_attach(uc, &again), -ENOTSUP);
	uc_close(uc);
}
