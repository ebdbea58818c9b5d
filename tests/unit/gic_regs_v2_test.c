// SPDX-License-Identifier: GPL-2.0-or-later
/* gic_regs_v2_test.c: GICv2 distributor and CPU interface registers, guest
 * and user semantics (spec 7.1, 7.2, IHI 0048B chapter 4). */
#include "gic/gic.h"
#include "gic_fake.h"
#include "lib/test.h"

#define G GIC_GUEST
#define U GIC_USER

static uint8_t rd8(struct gic *g, uint32_t cpu, uint32_t off)
{
	uint64_t v = 0;

	gic_dist_access(g, cpu, off, 1, &v, false, G);
	return (uint8_t)v;
}

static void wr8(struct gic *g, uint32_t cpu, uint32_t off, uint8_t val)
{
	uint64_t v = val;

	gic_dist_access(g, cpu, off, 1, &v, true, G);
}

TEST(v2_dist_reset_values)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V2, &f, 4);

	REQUIRE(g);
	EXPECT_EQ(gd_rd(g, 0, 0x000, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x004, U), 0x67);
	EXPECT_EQ(gd_rd(g, 0, 0x008, U), 0x4B00343B);
	EXPECT_EQ(gd_rd(g, 0, 0x080, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x084, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x100, U), 0x0000FFFF);
	EXPECT_EQ(gd_rd(g, 0, 0x104, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x200, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x300, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x420, U), 0);
	EXPECT_EQ(gd_rd(g, 2, 0x800, U), 0x04040404);
	EXPECT_EQ(gd_rd(g, 3, 0x81C, U), 0x08080808);
	EXPECT_EQ(gd_rd(g, 0, 0x820, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0xC00, U), 0xAAAAAAAA);
	EXPECT_EQ(gd_rd(g, 0, 0xC04, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0xC08, U), 0xAAAAAAAA);
	EXPECT_EQ(gd_rd(g, 0, 0xF10, U), 0);
	gic_destroy(g);
}

TEST(v2_cpuif_reset_values)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V2, &f, 2);

	REQUIRE(g);
	EXPECT_EQ(gc_rd(g, 1, 0x00, U), 0);
	EXPECT_EQ(gc_rd(g, 1, 0x04, U), 0);
	EXPECT_EQ(gc_rd(g, 1, 0x08, U), 2);
	EXPECT_EQ(gc_rd(g, 1, 0x1C, U), 3);
	EXPECT_EQ(gc_rd(g, 1, 0xD0, U), 0);
	EXPECT_EQ(gc_rd(g, 1, 0xFC, U), 0x04B2043B);
	EXPECT_EQ(gc_rd(g, 1, 0x14, G), 0xFF); /* RPR idle */
	EXPECT_EQ(gc_rd(g, 1, 0x0C, G), 1023); /* IAR spurious */
	gic_destroy(g);
}

TEST(v2_typer_counts_irqs_and_cpus)
{
	struct fake f = { 0 };
	struct gic *g = fake_gic(GIC_MODEL_V2, &f, 8);

	REQUIRE(g);
	REQUIRE(!gic_set_nr_irqs(g, 992));
	REQUIRE(!gic_init(g));
	EXPECT_EQ(gd_rd(g, 0, 0x004, U), 0xFE);
	gic_destroy(g);
}

TEST(v2_enable_w1s_w1c_pair)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V2, &f, 2);

	REQUIRE(g);
	EXPECT_EQ(gd_wr(g, 0, 0x104, 0x00000005, G), 0);
	EXPECT_EQ(gd_wr(g, 0, 0x104, 0x00000002, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x104, G), 0x7);
	EXPECT_EQ(gd_rd(g, 0, 0x184, G), 0x7);
	EXPECT_EQ(gd_wr(g, 0, 0x184, 0x00000001, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x104, G), 0x6);
	/* Private bits are banked per vCPU. */
	EXPECT_EQ(gd_wr(g, 1, 0x180, 0x00010001, G), 0);
	EXPECT_EQ(gd_rd(g, 1, 0x100, G), 0xFFFE);
	EXPECT_EQ(gd_rd(g, 0, 0x100, G), 0xFFFF);
	gic_destroy(g);
}

TEST(v2_pending_and_active_w1s_w1c)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V2, &f, 2);

	REQUIRE(g);
	EXPECT_EQ(gd_wr(g, 0, 0x204, 0x30, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x204, G), 0x30);
	EXPECT_EQ(gd_wr(g, 0, 0x284, 0x10, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x284, G), 0x20);
	EXPECT_EQ(gd_wr(g, 0, 0x304, 0x9, G), 0);
	EXPECT_EQ(gd_wr(g, 0, 0x384, 0x1, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x304, G), 0x8);
	/* Guest I[SC]PENDR do not touch SGIs; userspace does. */
	EXPECT_EQ(gd_wr(g, 0, 0x200, 0x1, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x200, G), 0);
	EXPECT_EQ(gd_wr(g, 1, 0x200, 0x1, U), 0);
	EXPECT_EQ(gd_rd(g, 1, 0x200, U), 1);
	EXPECT_EQ(gd_rd(g, 1, 0xF10, U), 0x2); /* source = accessing vCPU */
	EXPECT_EQ(gd_wr(g, 1, 0x280, 0x1, G), 0);
	EXPECT_EQ(gd_rd(g, 1, 0x200, U), 1);
	EXPECT_EQ(gd_wr(g, 1, 0x280, 0x1, U), 0);
	EXPECT_EQ(gd_rd(g, 1, 0x200, U), 0);
	gic_destroy(g);
}

TEST(v2_user_ispendr_reads_line_or_latch)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V2, &f, 1);

	REQUIRE(g);
	EXPECT_EQ(gd_wr(g, 0, 0xC08, 0, G), 0); /* SPIs 32-47 level */
	EXPECT_EQ(gic_inject(g, 0, 33, true, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x204, U), 0x2);
	EXPECT_EQ(gd_wr(g, 0, 0x284, 0x2, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x204, U), 0x2); /* line still high */
	EXPECT_EQ(gic_inject(g, 0, 33, false, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x204, U), 0);
	gic_destroy(g);
}

TEST(v2_iidr_user_write_rules)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V2, &f, 1);

	REQUIRE(g);
	EXPECT_EQ(gd_wr(g, 0, 0x008, 0x4B00343C, U), -EINVAL);
	EXPECT_EQ(gd_wr(g, 0, 0x008, 0x4B00143B, U), -EINVAL);
	EXPECT_EQ(gd_wr(g, 0, 0x008, 0x4B00443B, U), -EINVAL);
	EXPECT_EQ(gd_wr(g, 0, 0x008, 0, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x008, G), 0x4B00343B);
	EXPECT_EQ(gd_wr(g, 0, 0x008, 0x4B00243B, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x008, U), 0x4B00243B);
	gic_destroy(g);
}

TEST(v2_user_igroupr_ignored_until_iidr_written)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V2, &f, 1);

	REQUIRE(g);
	EXPECT_EQ(gd_wr(g, 0, 0x084, 0xF0, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x084, U), 0);
	EXPECT_EQ(gd_wr(g, 0, 0x084, 0x0F, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x084, U), 0x0F);
	EXPECT_EQ(gd_wr(g, 0, 0x008, 0x4B00343B, U), 0);
	EXPECT_EQ(gd_wr(g, 0, 0x084, 0xF0, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x084, U), 0xF0);
	gic_destroy(g);
}

TEST(v2_priority_bytes_keep_top_five_bits)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V2, &f, 1);
	uint64_t v = 0xFFFF;

	REQUIRE(g);
	wr8(g, 0, 0x421, 0xFF);
	EXPECT_EQ(rd8(g, 0, 0x421), 0xF8);
	EXPECT_EQ(gd_rd(g, 0, 0x420, G), 0xF800);
	EXPECT_EQ(gd_wr(g, 0, 0x424, 0x11223344, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x424, U), 0x10203040);
	/* Halfword access is not allowed: RAZ/WI. */
	EXPECT_EQ(gic_dist_access(g, 0, 0x428, 2, &v, true, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x428, G), 0);
	v = 0x1234;
	EXPECT_EQ(gic_dist_access(g, 0, 0x424, 2, &v, false, G), 0);
	EXPECT_EQ(v, 0);
	/* Misaligned word: RAZ/WI. */
	EXPECT_EQ(gic_dist_access(g, 0, 0x425, 4, &v, false, G), 0);
	EXPECT_EQ(v, 0);
	gic_destroy(g);
}

TEST(v2_targets_masked_and_private_read_only)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V2, &f, 4);

	REQUIRE(g);
	wr8(g, 0, 0x822, 0xFF);
	EXPECT_EQ(rd8(g, 0, 0x822), 0x0F);
	EXPECT_EQ(gd_wr(g, 0, 0x824, 0x01020408, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x824, U), 0x01020408);
	EXPECT_EQ(gd_wr(g, 1, 0x800, 0, G), 0);
	EXPECT_EQ(gd_rd(g, 1, 0x800, G), 0x02020202);
	gic_destroy(g);
}

TEST(v2_icfgr_private_read_only_spi_edge_bit)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V2, &f, 1);

	REQUIRE(g);
	EXPECT_EQ(gd_wr(g, 0, 0xC04, 0xFFFFFFFF, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0xC04, G), 0);
	EXPECT_EQ(gd_wr(g, 0, 0xC00, 0, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0xC00, U), 0xAAAAAAAA);
	EXPECT_EQ(gd_wr(g, 0, 0xC08, 0x55555555, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0xC08, G), 0);
	EXPECT_EQ(gd_wr(g, 0, 0xC08, 0xFFFFFFFF, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0xC08, G), 0xAAAAAAAA);
	gic_destroy(g);
}

TEST(v2_unknown_and_out_of_range_are_raz_wi)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V2, &f, 1);
	uint64_t v = 1;

	REQUIRE(g);
	EXPECT_EQ(gd_rd(g, 0, 0x00C, G), 0);
	EXPECT_EQ(gd_wr(g, 0, 0x00C, 0xFFFFFFFF, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0xE00, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0xFFFFFFFC, G), 0);
	/* INTIDs 256+ do not exist with 256 IRQs. */
	EXPECT_EQ(gd_wr(g, 0, 0x120, 0xFFFFFFFF, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x120, G), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x7FC, G), 0);
	/* A vCPU that does not exist sees no private IRQs. */
	EXPECT_EQ(gd_rd(g, 7, 0x100, G), 0);
	EXPECT_EQ(gd_wr(g, 7, 0xF00, 0x00010001, G), 0);
	EXPECT_EQ(gd_rd(g, 7, 0x004, G), 0x20 * 0 + 7);
	EXPECT_EQ(gic_cpuif_access(g, 7, 0, 4, &v, false, G), -EINVAL);
	EXPECT_EQ(gic_dist_access(g, 0, 0x100, 3, &v, false, G), 0);
	EXPECT_EQ(gic_dist_access(g, 0, 0x100, 64, &v, false, G), 0);
	EXPECT_EQ(gic_dist_access(g, 0, 0x100, 0, &v, true, G), 0);
	EXPECT_EQ(gic_redist_access(g, 0, 0, 4, &v, false, G), -ENXIO);
	EXPECT_EQ(gic_icc_access(g, 0, ICC_PMR, &v, false, G), -ENXIO);
	gic_destroy(g);
}

TEST(v2_has_attr_regions)
{
	struct fake f = { 0 };
	struct gic *g = fake_gic(GIC_MODEL_V2, &f, 1);

	REQUIRE(g);
	EXPECT_EQ(gic_dist_has(g, 0x000), 0);
	EXPECT_EQ(gic_dist_has(g, 0x100), 0);
	EXPECT_EQ(gic_dist_has(g, 0x104), -ENXIO); /* nr_irqs still 32 */
	EXPECT_EQ(gic_dist_has(g, 0x002), -ENXIO);
	EXPECT_EQ(gic_dist_has(g, 0x00C), -ENXIO);
	EXPECT_EQ(gic_dist_has(g, 0xF10), 0);
	EXPECT_EQ(gic_dist_has(g, 0xF2C), 0);
	EXPECT_EQ(gic_dist_has(g, 0xF30), -ENXIO);
	EXPECT_EQ(gic_cpuif_has(g, 0x00), 0);
	EXPECT_EQ(gic_cpuif_has(g, 0x04), 0);
	EXPECT_EQ(gic_cpuif_has(g, 0x0C), -ENXIO);
	EXPECT_EQ(gic_cpuif_has(g, 0x10), -ENXIO);
	EXPECT_EQ(gic_cpuif_has(g, 0xD0), 0);
	EXPECT_EQ(gic_cpuif_has(g, 0xDC), 0);
	EXPECT_EQ(gic_cpuif_has(g, 0xFC), 0);
	EXPECT_EQ(gic_cpuif_has(g, 0x1000), -ENXIO);
	EXPECT_EQ(gic_redist_has(g, 0x8), -ENXIO);
	EXPECT_EQ(gic_icc_has(g, ICC_PMR), -ENXIO);
	REQUIRE(!gic_init(g));
	EXPECT_EQ(gic_dist_has(g, 0x104), 0);
	EXPECT_EQ(gic_dist_has(g, 0x11C), 0);
	EXPECT_EQ(gic_dist_has(g, 0x120), -ENXIO);
	EXPECT_EQ(gic_dist_has(g, 0x4FC), 0);
	EXPECT_EQ(gic_dist_has(g, 0x500), -ENXIO);
	gic_destroy(g);
}

TEST(v2_pmr_user_format_is_five_bits)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V2, &f, 1);

	REQUIRE(g);
	EXPECT_EQ(gc_wr(g, 0, 0x04, 0xF7, G), 0);
	EXPECT_EQ(gc_rd(g, 0, 0x04, G), 0xF0);
	EXPECT_EQ(gc_rd(g, 0, 0x04, U), 0x1E);
	EXPECT_EQ(gc_wr(g, 0, 0x04, 0xFF, U), 0);
	EXPECT_EQ(gc_rd(g, 0, 0x04, G), 0xF8);
	EXPECT_EQ(gc_rd(g, 0, 0x04, U), 0x1F);
	gic_destroy(g);
}

TEST(v2_cpuif_ctlr_bpr_apr_fields)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V2, &f, 1);

	REQUIRE(g);
	EXPECT_EQ(gc_wr(g, 0, 0x00, 0xFFFFFFFF, U), 0);
	EXPECT_EQ(gc_rd(g, 0, 0x00, U), 0x21F);
	EXPECT_EQ(gc_wr(g, 0, 0x08, 0, G), 0);
	EXPECT_EQ(gc_rd(g, 0, 0x08, G), 2); /* clamped to the minimum */
	EXPECT_EQ(gc_wr(g, 0, 0x08, 5, U), 0);
	EXPECT_EQ(gc_rd(g, 0, 0x08, U), 5);
	EXPECT_EQ(gc_wr(g, 0, 0x1C, 0xF, U), 0);
	EXPECT_EQ(gc_rd(g, 0, 0x1C, U), 7);
	EXPECT_EQ(gc_wr(g, 0, 0xD0, 0x80000001, U), 0);
	EXPECT_EQ(gc_rd(g, 0, 0xD0, U), 0x80000001);
	EXPECT_EQ(gc_wr(g, 0, 0xD4, 0x1, U), 0);
	EXPECT_EQ(gc_rd(g, 0, 0xD4, U), 0);
	EXPECT_EQ(gc_wr(g, 0, 0xFC, 0, U), 0);
	EXPECT_EQ(gc_rd(g, 0, 0xFC, U), 0x04B2043B);
	/* Guest-only registers read 0 from userspace. */
	EXPECT_EQ(gc_rd(g, 0, 0x14, U), 0);
	gic_destroy(g);
}
