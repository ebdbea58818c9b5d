// SPDX-License-Identifier: GPL-2.0-or-later
/* gic_regs_v3_test.c: GICv3 distributor, redistributor and ICC system
 * registers, guest and user semantics (spec 7.3-7.6, IHI 0069 ch. 12). */
#include "gic/gic.h"
#include "gic_fake.h"
#include "lib/test.h"

#define G GIC_GUEST
#define U GIC_USER
#define SGI 0x10000

static uint64_t rd64(struct gic *g, uint32_t off, unsigned int len)
{
	uint64_t v = 0;

	gic_dist_access(g, 0, off, len, &v, false, G);
	return v;
}

TEST(v3_dist_reset_values)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 4);

	REQUIRE(g);
	EXPECT_EQ(gd_rd(g, 0, 0x0000, U), 0x50);
	EXPECT_EQ(gd_rd(g, 0, 0x0004, U), 0x00480007);
	EXPECT_EQ(gd_rd(g, 0, 0x0008, U), 0x4B00343B);
	EXPECT_EQ(gd_rd(g, 0, 0x000C, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x0010, U), 0xFFFFFFFF);
	EXPECT_EQ(gd_rd(g, 0, 0x0080, U), 0); /* private: RAZ */
	EXPECT_EQ(gd_rd(g, 0, 0x0084, U), 0xFFFFFFFF);
	EXPECT_EQ(gd_rd(g, 0, 0x0100, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x0C00, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x0C08, U), 0xAAAAAAAA);
	EXPECT_EQ(gd_rd(g, 0, 0x0D04, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x6100, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0xFFE8, U), 0x3B);
	EXPECT_EQ(gd_rd(g, 0, 0xFFE4, U), 0);
	gic_destroy(g);
}

TEST(v3_typer_follows_nr_irqs)
{
	struct fake f = { 0 };
	struct gic *g = fake_gic(GIC_MODEL_V3, &f, 1);

	REQUIRE(g);
	EXPECT_EQ(gd_rd(g, 0, 0x0004, U), 0x00480000); /* 32 before init */
	REQUIRE(!gic_set_nr_irqs(g, 992));
	REQUIRE(!gic_init(g));
	EXPECT_EQ(gd_rd(g, 0, 0x0004, U), 0x0048001E);
	EXPECT_EQ(gd_rd(g, 0, 0x0084 + 4 * 29, U), 0xFFFFFFFF);
	EXPECT_EQ(gd_rd(g, 0, 0x0084 + 4 * 30, U), 0); /* beyond 992 */
	gic_destroy(g);
}

TEST(v3_redist_reset_values)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 4);

	REQUIRE(g);
	EXPECT_EQ(gr_rd(g, 2, 0x0000, U), 0x6);
	EXPECT_EQ(gr_rd(g, 2, 0x0004, U), 0x4B00043B);
	EXPECT_EQ(gr_rd(g, 2, 0x0008, U), 0x200);
	EXPECT_EQ(gr_rd(g, 3, 0x0008, U), 0x310);
	EXPECT_EQ(gr_rd(g, 3, 0x000C, U), 3);
	EXPECT_EQ(gr_rd(g, 2, 0x0014, U), 0);
	EXPECT_EQ(gr_rd(g, 2, 0xFFE8, U), 0x3B);
	EXPECT_EQ(gr_rd(g, 2, SGI + 0x080, U), 0xFFFFFFFF);
	EXPECT_EQ(gr_rd(g, 2, SGI + 0x100, U), 0x0000FFFF);
	EXPECT_EQ(gr_rd(g, 2, SGI + 0x200, U), 0);
	EXPECT_EQ(gr_rd(g, 2, SGI + 0x300, U), 0);
	EXPECT_EQ(gr_rd(g, 2, SGI + 0x41C, U), 0);
	EXPECT_EQ(gr_rd(g, 2, SGI + 0xC00, U), 0xAAAAAAAA);
	EXPECT_EQ(gr_rd(g, 2, SGI + 0xC04, U), 0);
	EXPECT_EQ(gr_rd(g, 2, SGI + 0xD00, U), 0);
	EXPECT_EQ(gr_rd(g, 2, SGI + 0xE00, U), 0);
	gic_destroy(g);
}

TEST(v3_gicd_ctlr_only_group1_enable_writable)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 1);

	REQUIRE(g);
	EXPECT_EQ(gd_wr(g, 0, 0x0, 0xFFFFFFFF, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x0, G), 0x52);
	EXPECT_EQ(gd_wr(g, 0, 0x0, 0, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x0, U), 0x50);
	gic_destroy(g);
}

TEST(v3_iidr_and_typer2_user_writes)
{
	struct fake f = { 0 };
	struct gic *g = fake_gic(GIC_MODEL_V3, &f, 1);

	REQUIRE(g);
	/* Before init (VI-13). */
	EXPECT_EQ(gd_rd(g, 0, 0x000C, U), 0);
	EXPECT_EQ(gd_wr(g, 0, 0x000C, 0x100, U), -EINVAL);
	EXPECT_EQ(gd_wr(g, 0, 0x000C, 0x1, U), -EINVAL);
	EXPECT_EQ(gd_wr(g, 0, 0x000C, 0, U), 0);
	EXPECT_EQ(gd_wr(g, 0, 0x0008, 0x4B00243B, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x0008, U), 0x4B00243B);
	EXPECT_EQ(gd_wr(g, 0, 0x0008, 0x4B00043B, U), -EINVAL);
	EXPECT_EQ(gd_wr(g, 0, 0x0008, 0x4A00343B, U), -EINVAL);
	REQUIRE(!gic_init(g));
	EXPECT_EQ(gd_wr(g, 0, 0x000C, 0x100, U), -EBUSY);
	EXPECT_EQ(gd_wr(g, 0, 0x000C, 0, U), 0);
	/* Revision 2 hides GICR_CTLR.CES/IR. */
	EXPECT_EQ(gr_rd(g, 0, 0x0000, U), 0);
	EXPECT_EQ(gd_wr(g, 0, 0x000C, 0x100, G), 0);
	gic_destroy(g);
}

TEST(v3_irouter_keeps_aff210_only)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 2);
	uint64_t v = UINT64_MAX;

	REQUIRE(g);
	EXPECT_EQ(gic_dist_access(g, 0, 0x6000 + 8 * 40, 8, &v, true, G), 0);
	EXPECT_EQ(rd64(g, 0x6000 + 8 * 40, 8), 0x00FFFFFF);
	EXPECT_EQ(gd_rd(g, 0, 0x6000 + 8 * 40 + 4, U), 0);
	EXPECT_EQ(gd_wr(g, 0, 0x6000 + 8 * 41, 0x80000001, U), 0);
	EXPECT_EQ(gd_wr(g, 0, 0x6000 + 8 * 41 + 4, 0xFF, U), 0);
	EXPECT_EQ(rd64(g, 0x6000 + 8 * 41, 8), 0x1);
	/* Private slots are RAZ/WI. */
	EXPECT_EQ(gd_wr(g, 0, 0x6000 + 8 * 20, 0x1, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x6000 + 8 * 20, U), 0);
	/* 16-bit access: RAZ/WI. */
	v = 0xFFFF;
	EXPECT_EQ(gic_dist_access(g, 0, 0x6000 + 8 * 42, 2, &v, true, G), 0);
	EXPECT_EQ(rd64(g, 0x6000 + 8 * 42, 8), 0);
	gic_destroy(g);
}

/* QEMU walks IROUTER at 0x6000 + 4 * i (spec 8.2): harmless, round trip. */
TEST(v3_irouter_qemu_word_walk_round_trips)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 2);
	uint32_t saved[224], i;

	REQUIRE(g);
	for (i = 32; i < 256; i++)
		gd_wr(g, 0, 0x6000 + 8 * i, i & 1, G);
	for (i = 0; i < 224; i++)
		saved[i] = gd_rd(g, 0, 0x6000 + 4 * i, U);
	for (i = 0; i < 224; i++)
		EXPECT_EQ(gd_wr(g, 0, 0x6000 + 4 * i, saved[i], U), 0);
	for (i = 32; i < 256; i++)
		EXPECT_EQ(gd_rd(g, 0, 0x6000 + 8 * i, U), i & 1);
	gic_destroy(g);
}

TEST(v3_ispendr_user_latch_exact_icpendr_raz_wi)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 1);

	REQUIRE(g);
	EXPECT_EQ(gd_wr(g, 0, 0x0C08, 0, G), 0); /* SPIs 32-47 level */
	EXPECT_EQ(gic_inject(g, 0, 32, true, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x204, G), 0x1); /* guest: line */
	EXPECT_EQ(gd_rd(g, 0, 0x204, U), 0); /* user: latch only */
	EXPECT_EQ(gd_wr(g, 0, 0x204, 0x6, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x204, U), 0x6);
	EXPECT_EQ(gd_wr(g, 0, 0x204, 0x4, U), 0); /* exact: clears bit 1 */
	EXPECT_EQ(gd_rd(g, 0, 0x204, U), 0x4);
	EXPECT_EQ(gd_wr(g, 0, 0x284, 0xFFFFFFFF, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x204, U), 0x4);
	EXPECT_EQ(gd_rd(g, 0, 0x284, U), 0);
	EXPECT_EQ(gd_wr(g, 0, 0x284, 0x5, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x204, G), 0x1); /* line still high */
	EXPECT_EQ(gr_wr(g, 0, SGI + 0x200, 0x00010002, U), 0);
	EXPECT_EQ(gr_rd(g, 0, SGI + 0x200, U), 0x00010002);
	EXPECT_EQ(gr_wr(g, 0, SGI + 0x280, 0xFFFFFFFF, U), 0);
	EXPECT_EQ(gr_rd(g, 0, SGI + 0x200, U), 0x00010002);
	EXPECT_EQ(gr_wr(g, 0, SGI + 0x280, 0x2, G), 0);
	EXPECT_EQ(gr_rd(g, 0, SGI + 0x200, G), 0x00010000);
	gic_destroy(g);
}

TEST(v3_redist_icfgr_read_only_and_private_banking)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 2);

	REQUIRE(g);
	EXPECT_EQ(gr_wr(g, 0, SGI + 0xC04, 0xFFFFFFFF, U), 0);
	EXPECT_EQ(gr_wr(g, 0, SGI + 0xC00, 0, G), 0);
	EXPECT_EQ(gr_rd(g, 0, SGI + 0xC04, U), 0);
	EXPECT_EQ(gr_rd(g, 0, SGI + 0xC00, U), 0xAAAAAAAA);
	EXPECT_EQ(gr_wr(g, 1, SGI + 0x180, 0xFFFFFFFF, G), 0);
	EXPECT_EQ(gr_rd(g, 1, SGI + 0x100, G), 0);
	EXPECT_EQ(gr_rd(g, 0, SGI + 0x100, G), 0xFFFF);
	EXPECT_EQ(gr_wr(g, 1, SGI + 0x080, 0x0000FF00, U), 0);
	EXPECT_EQ(gr_rd(g, 1, SGI + 0x080, U), 0x0000FF00);
	EXPECT_EQ(gr_wr(g, 1, SGI + 0x41C, 0xFFFFFFFF, U), 0);
	EXPECT_EQ(gr_rd(g, 1, SGI + 0x41C, U), 0xF8F8F8F8);
	EXPECT_EQ(gr_rd(g, 0, SGI + 0x41C, U), 0);
	/* The distributor's private words stay RAZ/WI. */
	EXPECT_EQ(gd_wr(g, 0, 0x100, 0xFFFFFFFF, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x100, G), 0);
	EXPECT_EQ(gd_wr(g, 0, 0x400, 0xFFFFFFFF, G), 0);
	EXPECT_EQ(gr_rd(g, 0, SGI + 0x400, G), 0);
	gic_destroy(g);
}

TEST(v3_propbaser_pendbaser_halves_and_masks)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 2);
	uint64_t v = UINT64_MAX;

	REQUIRE(g);
	EXPECT_EQ(gic_redist_access(g, 0, 0x70, 8, &v, true, G), 0);
	EXPECT_EQ(gic_redist_access(g, 1, 0x70, 8, &v, false, G), 0);
	EXPECT_EQ(v, 0x0700FFFFFFFFFF9FULL); /* shared by the VM */
	EXPECT_EQ(gr_wr(g, 0, 0x78, 0x12345000, U), 0);
	EXPECT_EQ(gr_wr(g, 0, 0x7C, 0x4000FFFF, U), 0);
	EXPECT_EQ(gr_rd(g, 0, 0x78, U), 0x12340000);
	EXPECT_EQ(gr_rd(g, 0, 0x7C, U), 0x0000FFFF); /* PTZ reads 0 */
	EXPECT_EQ(gr_rd(g, 1, 0x78, U), 0);
	v = 0;
	EXPECT_EQ(gic_redist_access(g, 0, 0x8, 8, &v, false, G), 0);
	EXPECT_EQ(v, 0x0000000000000000ULL | 0x000);
	EXPECT_EQ(gic_redist_access(g, 1, 0x8, 8, &v, false, G), 0);
	EXPECT_EQ(v, (1ULL << 32) | 0x110);
	gic_destroy(g);
}

TEST(v3_has_attr_regions_and_nr_irqs)
{
	struct fake f = { 0 };
	struct gic *g = fake_gic(GIC_MODEL_V3, &f, 1);

	REQUIRE(g);
	EXPECT_EQ(gic_dist_has(g, 0x0000), 0);
	EXPECT_EQ(gic_dist_has(g, 0x000C), 0);
	EXPECT_EQ(gic_dist_has(g, 0x0104), -ENXIO); /* nr_irqs still 32 */
	EXPECT_EQ(gic_dist_has(g, 0x6000 + 8 * 32), -ENXIO);
	REQUIRE(!gic_init(g));
	EXPECT_EQ(gic_dist_has(g, 0x0104), 0);
	EXPECT_EQ(gic_dist_has(g, 0x0100), 0);
	EXPECT_EQ(gic_dist_has(g, 0x0002), -ENXIO);
	EXPECT_EQ(gic_dist_has(g, 0x0014), -ENXIO);
	EXPECT_EQ(gic_dist_has(g, 0x0F00), -ENXIO); /* no SGIR on v3 */
	EXPECT_EQ(gic_dist_has(g, 0x6000 + 8 * 255 + 4), 0);
	EXPECT_EQ(gic_dist_has(g, 0x6000 + 8 * 256), -ENXIO);
	EXPECT_EQ(gic_dist_has(g, 0xFFE8), 0);
	EXPECT_EQ(gic_redist_has(g, 0x0008), 0);
	EXPECT_EQ(gic_redist_has(g, 0x000C), 0);
	EXPECT_EQ(gic_redist_has(g, 0x0018), -ENXIO);
	EXPECT_EQ(gic_redist_has(g, SGI + 0x080), 0);
	EXPECT_EQ(gic_redist_has(g, SGI + 0x084), -ENXIO);
	EXPECT_EQ(gic_redist_has(g, SGI + 0xC04), 0);
	EXPECT_EQ(gic_redist_has(g, SGI + 0x000), -ENXIO);
	EXPECT_EQ(gic_redist_has(g, 0xFFFFFFFC), -ENXIO);
	EXPECT_EQ(gic_cpuif_has(g, 0x0), -ENXIO);
	gic_destroy(g);
}

TEST(v3_icc_user_registers_and_errnos)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 2);
	uint64_t v;

	REQUIRE(g);
	EXPECT_EQ(icc_rd(g, 1, ICC_CTLR, U), 0x400);
	EXPECT_EQ(icc_wr(g, 1, ICC_CTLR, 0x500, U), -EINVAL);
	EXPECT_EQ(icc_wr(g, 1, ICC_CTLR, 0x800, U), -EINVAL);
	EXPECT_EQ(icc_wr(g, 1, ICC_CTLR, 0x4000, U), -EINVAL);
	EXPECT_EQ(icc_wr(g, 1, ICC_CTLR, 0x8000, U), -EINVAL);
	EXPECT_EQ(icc_wr(g, 1, ICC_CTLR, 0x303, U), 0);
	EXPECT_EQ(icc_rd(g, 1, ICC_CTLR, U), 0x403);
	EXPECT_EQ(icc_rd(g, 1, ICC_SRE, U), 0x7);
	EXPECT_EQ(icc_wr(g, 1, ICC_SRE, 0x6, U), -EINVAL);
	EXPECT_EQ(icc_wr(g, 1, ICC_SRE, 0x1, U), 0);
	EXPECT_EQ(icc_wr(g, 1, ICC_SRE, 0x0, G), 0);
	EXPECT_EQ(icc_rd(g, 1, ICC_SRE, G), 0x7);
	EXPECT_EQ(icc_wr(g, 1, ICC_AP0R0 + 1, 1, U), -EINVAL);
	EXPECT_EQ(gic_icc_access(g, 1, ICC_AP1R0 + 3, &v, false, U), -EINVAL);
	EXPECT_EQ(icc_wr(g, 1, ICC_AP1R0 + 3, 1, G), 0);
	EXPECT_EQ(icc_rd(g, 1, ICC_AP1R0 + 3, G), 0);
	EXPECT_EQ(icc_wr(g, 1, ICC_AP1R0, 0x10, U), 0);
	EXPECT_EQ(icc_rd(g, 1, ICC_AP1R0, U), 0x10);
	EXPECT_EQ(icc_rd(g, 1, ICC_RPR, G), 0x20);
	EXPECT_EQ(gic_icc_access(g, 1, 0xC000, &v, false, U), -ENOENT);
	EXPECT_EQ(gic_icc_access(g, 1, ICC_IAR1, &v, false, U), -ENOENT);
	EXPECT_EQ(gic_icc_access(g, 1, 0xC000, &v, false, G), -ENOENT);
	EXPECT_EQ(gic_icc_access(g, 5, ICC_PMR, &v, false, U), -EINVAL);
	EXPECT_EQ(gic_icc_has(g, ICC_PMR), 0);
	EXPECT_EQ(gic_icc_has(g, ICC_AP0R0 + 3), 0);
	EXPECT_EQ(gic_icc_has(g, ICC_IGRPEN1), 0);
	EXPECT_EQ(gic_icc_has(g, ICC_IAR1), -ENXIO);
	EXPECT_EQ(gic_icc_has(g, ICC_SGI1R), -ENXIO);
	EXPECT_EQ(gic_icc_has(g, 0xFFFF), -ENXIO);
	gic_destroy(g);
}

TEST(v3_icc_pmr_bpr_cbpr_igrpen)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 1);

	REQUIRE(g);
	EXPECT_EQ(icc_rd(g, 0, ICC_PMR, U), 0);
	EXPECT_EQ(icc_wr(g, 0, ICC_PMR, 0xFF, U), 0);
	EXPECT_EQ(icc_rd(g, 0, ICC_PMR, G), 0xF8);
	EXPECT_EQ(icc_rd(g, 0, ICC_BPR0, U), 2);
	EXPECT_EQ(icc_rd(g, 0, ICC_BPR1, U), 3);
	EXPECT_EQ(icc_wr(g, 0, ICC_BPR0, 0, U), 0);
	EXPECT_EQ(icc_rd(g, 0, ICC_BPR0, U), 2);
	EXPECT_EQ(icc_wr(g, 0, ICC_BPR0, 4, U), 0);
	EXPECT_EQ(icc_wr(g, 0, ICC_BPR1, 6, U), 0);
	EXPECT_EQ(icc_rd(g, 0, ICC_BPR1, U), 6);
	EXPECT_EQ(icc_wr(g, 0, ICC_CTLR, 1, G), 0); /* CBPR */
	EXPECT_EQ(icc_rd(g, 0, ICC_BPR1, U), 5);
	EXPECT_EQ(icc_wr(g, 0, ICC_BPR1, 3, U), 0);
	EXPECT_EQ(icc_wr(g, 0, ICC_CTLR, 0, G), 0);
	EXPECT_EQ(icc_rd(g, 0, ICC_BPR1, U), 6);
	EXPECT_EQ(icc_wr(g, 0, ICC_IGRPEN1, 3, U), 0);
	EXPECT_EQ(icc_rd(g, 0, ICC_IGRPEN1, U), 1);
	EXPECT_EQ(icc_rd(g, 0, ICC_IGRPEN0, U), 0);
	gic_destroy(g);
}

TEST(v3_line_level_info)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 2);
	uint32_t map = 1;

	REQUIRE(g);
	EXPECT_EQ(gic_line_level_get(g, 0, 16, &map), -EINVAL);
	EXPECT_EQ(gic_line_level_set(g, 0, 33, 0), -EINVAL);
	EXPECT_EQ(gic_line_level_set(g, 1, 0, 0xFFFFFFFF), 0);
	EXPECT_EQ(gic_line_level_get(g, 1, 0, &map), 0);
	EXPECT_EQ(map, 0xFFFF0000); /* SGIs 0, PPIs level */
	EXPECT_EQ(gic_line_level_get(g, 0, 0, &map), 0);
	EXPECT_EQ(map, 0);
	/* SPIs are edge by default: the line is stored but reads 0. */
	EXPECT_EQ(gic_line_level_set(g, 0, 32, 0x3), 0);
	EXPECT_EQ(gic_line_level_get(g, 0, 32, &map), 0);
	EXPECT_EQ(map, 0);
	EXPECT_EQ(gd_wr(g, 0, 0x0C08, 0, G), 0);
	EXPECT_EQ(gic_line_level_get(g, 0, 32, &map), 0);
	EXPECT_EQ(map, 0x3);
	EXPECT_EQ(gd_rd(g, 0, 0x204, G), 0x3);
	/* Beyond nr_irqs: zeros, no error. */
	EXPECT_EQ(gic_line_level_set(g, 0, 992, 0xFFFFFFFF), 0);
	EXPECT_EQ(gic_line_level_get(g, 0, 992, &map), 0);
	EXPECT_EQ(map, 0);
	gic_destroy(g);
}

TEST(inject_ranges_and_owned_ppis)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 2);
	uint32_t map;

	REQUIRE(g);
	EXPECT_EQ(gic_inject(g, 0, 5, true, U), -EINVAL);
	EXPECT_EQ(gic_inject(g, 0, 256, true, U), -EINVAL);
	EXPECT_EQ(gic_inject(g, 0, 1020, true, U), -EINVAL);
	EXPECT_EQ(gic_inject(g, 0, UINT32_MAX, true, U), -EINVAL);
	EXPECT_EQ(gic_inject(g, 2, 20, true, U), -EINVAL);
	EXPECT_EQ(gic_inject(g, 1, 20, true, U), 0);
	EXPECT_EQ(gic_line_level_get(g, 1, 0, &map), 0);
	EXPECT_EQ(map, 1u << 20);
	gic_set_owned(g, 27);
	gic_set_owned(g, 3); /* not a PPI: ignored */
	gic_set_owned(g, 500); /* ditto */
	EXPECT_EQ(gic_inject(g, 1, 27, true, U), 0);
	EXPECT_EQ(gic_line_level_get(g, 1, 0, &map), 0);
	EXPECT_EQ(map, 1u << 20);
	EXPECT_EQ(gic_inject(g, 1, 27, true, G), 0);
	EXPECT_EQ(gic_line_level_get(g, 1, 0, &map), 0);
	EXPECT_EQ(map, (1u << 20) | (1u << 27));
	/* Edge SPI: a rising level latches pending, a low level does not
	 * clear it. */
	EXPECT_EQ(gic_inject(g, 0, 40, true, U), 0);
	EXPECT_EQ(gic_inject(g, 0, 40, false, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x204, U), 1u << 8);
	gic_destroy(g);
}
