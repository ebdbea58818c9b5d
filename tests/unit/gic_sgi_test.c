// SPDX-License-Identifier: GPL-2.0-or-later
/* gic_sgi_test.c: SGIs among vCPUs: GICv2 GICD_SGIR with source banking
 * and [CS]PENDSGIR, GICv3 ICC_SGI0R/SGI1R/ASGI1R with affinity routing. */
#include <stdlib.h>

#include "gic/gic.h"
#include "gic_fake.h"
#include "lib/test.h"

#define G GIC_GUEST
#define U GIC_USER
#define SGIR(filter, list, id) ((filter) << 24 | (list) << 16 | (id))

/* SGI @sgi's pending-source byte on vCPU @cpu (GICD_SPENDSGIR). */
static uint32_t sources(struct gic *g, uint32_t cpu, uint32_t sgi)
{
	return gd_rd(g, cpu, 0xF20 + sgi / 4 * 4, U) >> (8 * (sgi % 4)) & 0xFF;
}

TEST(v2_sgir_target_list)
{
	struct fake f = { 0 };
	struct gic *g = v2_on(&f, 4);

	REQUIRE(g);
	EXPECT_EQ(gd_wr(g, 0, 0xF00, SGIR(0, 0x6, 3), G), 0);
	EXPECT_EQ(sources(g, 1, 3), 0x1);
	EXPECT_EQ(sources(g, 2, 3), 0x1);
	EXPECT_EQ(sources(g, 0, 3), 0);
	EXPECT_EQ(sources(g, 3, 3), 0);
	EXPECT(f.irq[1] && f.irq[2] && !f.irq[0] && !f.irq[3]);
	EXPECT_EQ(gc_rd(g, 1, 0x18, G), 3);
	EXPECT_EQ(gc_rd(g, 1, 0x0C, G), 3);
	EXPECT_EQ(sources(g, 1, 3), 0);
	gc_wr(g, 1, 0x10, 3, G);
	EXPECT_EQ(gc_rd(g, 1, 0x14, G), 0xFF);
	/* Targets beyond the vCPUs are dropped; user SGIR writes are WI. */
	EXPECT_EQ(gd_wr(g, 0, 0xF00, SGIR(0, 0xF0, 4), G), 0);
	EXPECT_EQ(gd_wr(g, 0, 0xF00, SGIR(0, 0x2, 4), U), 0);
	EXPECT_EQ(sources(g, 1, 4), 0);
	EXPECT_EQ(gd_rd(g, 0, 0xF00, G), 0);
	gic_destroy(g);
}

TEST(v2_sgir_filters_all_but_self_self_reserved)
{
	struct fake f = { 0 };
	struct gic *g = v2_on(&f, 4);

	REQUIRE(g);
	gd_wr(g, 2, 0xF00, SGIR(1, 0, 5), G);
	EXPECT_EQ(sources(g, 0, 5), 0x4);
	EXPECT_EQ(sources(g, 1, 5), 0x4);
	EXPECT_EQ(sources(g, 2, 5), 0);
	EXPECT_EQ(sources(g, 3, 5), 0x4);
	gd_wr(g, 2, 0xF00, SGIR(2, 0xFF, 6), G);
	EXPECT_EQ(sources(g, 2, 6), 0x4);
	EXPECT_EQ(sources(g, 1, 6), 0);
	gd_wr(g, 2, 0xF00, SGIR(3, 0xFF, 7), G);
	EXPECT_EQ(sources(g, 0, 7) | sources(g, 1, 7) | sources(g, 2, 7) |
			  sources(g, 3, 7),
		  0);
	gic_destroy(g);
}

TEST(v2_sgi_sources_are_banked_and_acked_one_by_one)
{
	struct fake f = { 0 };
	struct gic *g = v2_on(&f, 4);

	REQUIRE(g);
	gd_wr(g, 2, 0xF00, SGIR(0, 0x2, 5), G);
	gd_wr(g, 0, 0xF00, SGIR(0, 0x2, 5), G);
	EXPECT_EQ(sources(g, 1, 5), 0x5);
	EXPECT_EQ(gc_rd(g, 1, 0x18, G), 5);
	EXPECT_EQ(gc_rd(g, 1, 0x0C, G), 5);
	EXPECT_EQ(sources(g, 1, 5), 0x4);
	EXPECT_EQ(gd_rd(g, 1, 0x200, G), 1u << 5); /* active and pending */
	gc_wr(g, 1, 0x10, 5, G);
	EXPECT(f.irq[1]);
	EXPECT_EQ(gc_rd(g, 1, 0x0C, G), 5 | 2 << 10);
	gc_wr(g, 1, 0x10, 5 | 2 << 10, G);
	EXPECT_EQ(gc_rd(g, 1, 0x0C, G), 1023);
	EXPECT(!f.irq[1]);
	gic_destroy(g);
}

TEST(v2_spendsgir_cpendsgir_bytes)
{
	struct fake f = { 0 };
	struct gic *g = v2_on(&f, 2);
	uint64_t v = 0xFF;

	REQUIRE(g);
	EXPECT_EQ(gic_dist_access(g, 1, 0xF20 + 9, 1, &v, true, G), 0);
	EXPECT_EQ(sources(g, 1, 9), 0x3);
	EXPECT(f.irq[1]);
	EXPECT_EQ(gd_rd(g, 1, 0xF18, G), 0x3 << 8);
	v = 0x1;
	EXPECT_EQ(gic_dist_access(g, 1, 0xF10 + 9, 1, &v, true, G), 0);
	EXPECT_EQ(sources(g, 1, 9), 0x2);
	EXPECT_EQ(gd_wr(g, 1, 0xF18, 0xFFFFFFFF, U), 0);
	EXPECT_EQ(sources(g, 1, 9), 0);
	EXPECT(!f.irq[1]);
	EXPECT_EQ(gd_rd(g, 0, 0xF18, G), 0);
	gic_destroy(g);
}

TEST(v3_sgi1r_target_list_and_affinity)
{
	struct fake f = { 0 };
	struct gic *g = v3_on(&f, 4);
	uint32_t i;

	REQUIRE(g);
	EXPECT_EQ(icc_wr(g, 0, ICC_SGI1R, 2ULL << 24 | 0xA, G), 0);
	EXPECT(!f.irq[0] && f.irq[1] && !f.irq[2] && f.irq[3]);
	EXPECT_EQ(icc_rd(g, 3, ICC_IAR1, G), 2);
	EXPECT_EQ(icc_rd(g, 1, ICC_IAR1, G), 2);
	/* Aff1 = 1 matches nobody here; RS = 1 neither. */
	icc_wr(g, 0, ICC_SGI1R, 3ULL << 24 | 1ULL << 16 | 0xF, G);
	icc_wr(g, 0, ICC_SGI1R, 3ULL << 24 | 1ULL << 44 | 0xF, G);
	icc_wr(g, 0, ICC_SGI1R, 3ULL << 24 | 1ULL << 32 | 0xF, G);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(gr_rd(g, i, 0x10200, U) & (1u << 3), 0);
	gic_destroy(g);
}

TEST(v3_sgi1r_irm_broadcasts_to_all_but_self)
{
	struct fake f = { 0 };
	struct gic *g = v3_on(&f, 4);

	REQUIRE(g);
	icc_wr(g, 2, ICC_SGI1R, 1ULL << 40 | 7ULL << 24, G);
	EXPECT(f.irq[0] && f.irq[1] && !f.irq[2] && f.irq[3]);
	EXPECT_EQ(gr_rd(g, 2, 0x10200, U), 0);
	EXPECT_EQ(gr_rd(g, 3, 0x10200, U), 1u << 7);
	gic_destroy(g);
}

/* vCPU 17's MPIDR is Aff1 = 1, Aff0 = 1 (spec 1.5). */
TEST(v3_sgi1r_reaches_second_cluster)
{
	struct fake f = { 0 };
	struct gic *g = gic_create(GIC_MODEL_V3, &fake_ops, &f);
	uint32_t i;

	REQUIRE(g);
	for (i = 0; i < 20; i++)
		REQUIRE(!gic_add_vcpu(g, i, i, fake_mpidr(i), IPA_BITS));
	REQUIRE(!gic_v3_add_redist_region(g, 0, 0x100000, 0, 0, IPA_BITS));
	REQUIRE(!gic_set_base(g, GIC_FRAME_V3_DIST, 0x0, IPA_BITS));
	REQUIRE(!gic_init(g));
	REQUIRE(!gic_map_resources(g, IPA_BITS));
	icc_wr(g, 0, ICC_SGI1R, 1ULL << 24 | 1ULL << 16 | 0x2, G);
	EXPECT_EQ(gr_rd(g, 17, 0x10200, U), 1u << 1);
	EXPECT_EQ(gr_rd(g, 1, 0x10200, U), 0);
	EXPECT_EQ(gr_rd(g, 16, 0x10200, U), 0);
	gic_destroy(g);
}

TEST(v3_sgi0r_only_reaches_group0_sgis)
{
	struct fake f = { 0 };
	struct gic *g = v3_on(&f, 2);

	REQUIRE(g);
	gr_wr(g, 1, 0x10080, 0xFFFFFFFE, G); /* SGI 0 group 0 */
	icc_wr(g, 0, ICC_SGI0R, 1ULL << 24 | 0x2, G);
	EXPECT_EQ(gr_rd(g, 1, 0x10200, U), 0);
	icc_wr(g, 0, ICC_SGI0R, 0ULL << 24 | 0x2, G);
	EXPECT_EQ(gr_rd(g, 1, 0x10200, U), 1);
	EXPECT(f.fiq[1]);
	/* ASGI1R behaves as SGI0R when DS = 1 (as Linux). */
	icc_wr(g, 0, ICC_ASGI1R, 1ULL << 24 | 0x2, G);
	EXPECT_EQ(gr_rd(g, 1, 0x10200, U), 1);
	icc_wr(g, 0, ICC_SGI1R, 1ULL << 24 | 0x2, G);
	EXPECT_EQ(gr_rd(g, 1, 0x10200, U), 3);
	/* SGI1R may also make a group 0 SGI pending (as Linux). */
	gr_wr(g, 1, 0x10200, 0, U);
	icc_wr(g, 0, ICC_SGI1R, 0ULL << 24 | 0x2, G);
	EXPECT_EQ(gr_rd(g, 1, 0x10200, U), 1);
	gic_destroy(g);
}

TEST(v3_self_sgi_and_disabled_sgi)
{
	struct fake f = { 0 };
	struct gic *g = v3_on(&f, 1);

	REQUIRE(g);
	gr_wr(g, 0, 0x10180, 1u << 9, G);
	icc_wr(g, 0, ICC_SGI1R, 9ULL << 24 | 0x1, G);
	EXPECT_EQ(gr_rd(g, 0, 0x10200, G), 1u << 9);
	EXPECT(!f.irq[0]);
	gr_wr(g, 0, 0x10100, 1u << 9, G);
	EXPECT(f.irq[0]);
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR1, G), 9);
	gic_destroy(g);
}
