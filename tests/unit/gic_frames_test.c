// SPDX-License-Identifier: GPL-2.0-or-later
/* gic_frames_test.c: the guest's frame map (gic_mmio_frames), access by
 * frame id (gic_mmio_frame) against gic_mmio, and the O(1) register index
 * against the tables' binary search at every word of every frame. */
#include "gic/gic_internal.h"
#include "gic_fake.h"
#include "lib/test.h"

/* Every word of @g's indexed frames finds the row the binary search finds. */
static int index_mismatches(const struct gic *g)
{
	int bad = 0;

	for (int i = 0; i < GIC_NR_IX; i++) {
		const struct gic_frame_ix *ix = &g->ix[i];

		if (!ix->f)
			continue;
		for (uint32_t off = 0; off < ix->words * 4; off += 4)
			bad += gic_frame_reg(ix, off) !=
			       gic_reg_find(ix->f, off);
	}
	return bad;
}

static bool empty(const struct gic *g, uint32_t id, uint64_t off)
{
	const struct gic_reg *r;

	return gic_mmio_frame_reg(g, id, off, &r);
}

/* gic_mmio_frame with the register gic_mmio_frame_reg finds. */
static int frame_rw(struct gic *g, uint32_t id, uint32_t cpu, uint64_t off,
		    uint64_t *v, bool is_write)
{
	const struct gic_reg *r;

	gic_mmio_frame_reg(g, id, off, &r);
	return gic_mmio_frame(g, id, r, cpu, off, 4, v, is_write);
}

TEST(index_matches_table_search_on_both_models)
{
	struct gic *v2 = gic_create(GIC_MODEL_V2, NULL, NULL);
	struct gic *v3 = gic_create(GIC_MODEL_V3, NULL, NULL);

	REQUIRE(v2 && v3);
	EXPECT_EQ(v2->ix[GIC_IX_DIST].words, 0x1000 / 4);
	EXPECT_EQ(v2->ix[GIC_IX_CPU].words, 0x2000 / 4);
	EXPECT_EQ(v3->ix[GIC_IX_SGI].words, 0x10000 / 4);
	EXPECT_EQ(index_mismatches(v2), 0);
	EXPECT_EQ(index_mismatches(v3), 0);
	EXPECT(gic_frame_reg(&v3->ix[GIC_IX_DIST], 0x6100 + 6) != NULL);
	EXPECT(gic_frame_reg(&v3->ix[GIC_IX_DIST], 0x10000) == NULL);
	gic_destroy(v2);
	gic_destroy(v3);
}

TEST(frames_listed_only_once_ready)
{
	struct fake f = { 0 };
	struct gic *g = fake_gic(GIC_MODEL_V3, &f, 2);
	struct gic_frame_map map[4];

	REQUIRE(g);
	EXPECT_EQ(gic_mmio_frames(g, map, 4), 0);
	gic_destroy(g);
}

TEST(v3_frames_are_dist_and_each_redist_region)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 2);
	struct gic_frame_map map[4];

	REQUIRE(g);
	REQUIRE(gic_mmio_frames(g, map, 4) == 2);
	EXPECT_EQ(map[0].base, V3_DIST);
	EXPECT_EQ(map[0].size, 0x10000);
	EXPECT_EQ(map[1].base, V3_REDIST);
	EXPECT_EQ(map[1].size, 2 * 0x20000);
	EXPECT_EQ(gic_mmio_frames(g, map, 1), 1);
	gic_destroy(g);
}

TEST(frame_access_serves_what_gic_mmio_serves)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 2);
	struct gic_frame_map map[4];
	uint64_t a = 0, b = 0;

	REQUIRE(g);
	REQUIRE(gic_mmio_frames(g, map, 4) == 2);
	EXPECT_EQ(frame_rw(g, map[0].id, 0, 0x8, &a, false), 1);
	EXPECT_EQ(gic_mmio(g, 0, V3_DIST + 0x8, 4, &b, false), 1);
	EXPECT_EQ(a, b);
	EXPECT_EQ(a, 0x4B00343B);
	EXPECT_EQ(frame_rw(g, map[1].id, 0, 0x20008, &a, false), 1);
	EXPECT_EQ(a, 0x110); /* vCPU 1's frame, Last */
	/* Past the used slots: nobody there, the VMM's. */
	EXPECT_EQ(frame_rw(g, map[1].id, 0, 0x40000, &a, false), 0);
	EXPECT_EQ(frame_rw(g, 9, 0, 0, &a, false), 0);
	EXPECT_EQ(frame_rw(g, map[0].id, 7, 0x8, &a, false), 0);
	gic_destroy(g);
}

TEST(frame_write_changes_state_like_gic_mmio)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 2);
	struct gic_frame_map map[4];
	uint64_t v = 1u << 20; /* PPI 20 */

	REQUIRE(g);
	REQUIRE(gic_mmio_frames(g, map, 4) == 2);
	/* GICR_ISENABLER0 of vCPU 1 through its slot of the region. */
	EXPECT_EQ(frame_rw(g, map[1].id, 0, 0x20000 + 0x10100, &v, true), 1);
	v = 0;
	EXPECT_EQ(gic_mmio(g, 1, V3_REDIST + 0x20000 + 0x10100, 4, &v, false),
		  1);
	EXPECT_EQ(v & (1u << 20), 1u << 20);
	EXPECT_EQ(gic_mmio(g, 0, V3_REDIST + 0x10100, 4, &v, false), 1);
	EXPECT_EQ(v & (1u << 20), 0); /* vCPU 0's is its own */
	gic_destroy(g);
}

TEST(empty_is_true_only_where_no_register_is)
{
	struct fake f = { 0 };
	struct gic *v3 = fake_ready(GIC_MODEL_V3, &f, 1);
	struct gic *v2 = fake_ready(GIC_MODEL_V2, &f, 1);

	REQUIRE(v3 && v2);
	EXPECT(empty(v3, 0, 0x8000));
	EXPECT(!empty(v3, 0, 0x4));
	EXPECT(!empty(v3, 0, 0xFFE8)); /* PIDR2 */
	EXPECT(!empty(v3, 2, 0x8000)); /* redist: never */
	EXPECT(empty(v2, 0, 0xD00));
	EXPECT(!empty(v2, 1, 0x0C)); /* GICC_IAR */
	EXPECT(empty(v2, 1, 0x800));
	gic_destroy(v3);
	gic_destroy(v2);
}

/* The ICC_* index finds the 26 rows of the table and nothing else. */
TEST(icc_index_finds_every_row_and_only_them)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 1);
	int found = 0;
	uint64_t v;

	REQUIRE(g);
	for (uint32_t enc = 0; enc <= 0xFFFF; enc++) {
		v = 0;
		found += gic_icc_access(g, 0, (uint16_t)enc, &v, false,
					GIC_GUEST) != -ENOENT;
	}
	EXPECT_EQ(found, 26);
	EXPECT_EQ(gic_icc_access(g, 0, ICC_PMR, &v, false, GIC_GUEST), 0);
	EXPECT_EQ(gic_icc_access(g, 0, ICC_IGRPEN1, &v, false, GIC_GUEST), 0);
	EXPECT_EQ(gic_icc_access(g, 0, 0xC668, &v, false, GIC_GUEST), -ENOENT);
	gic_destroy(g);
}

TEST(frame_reg_finds_redistributor_registers_but_never_finishes_there)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 2);
	const struct gic_reg *r;

	REQUIRE(g);
	EXPECT(!gic_mmio_frame_reg(g, 2, 0x20000 + 0x10100, &r));
	EXPECT(r != NULL); /* SGI_base ISENABLER0 of slot 1 */
	EXPECT(!gic_mmio_frame_reg(g, 2, 0x8000, &r));
	EXPECT(r == NULL);
	EXPECT(!gic_mmio_frame_reg(g, 1, 0x0, &r)); /* no GICC on a v3 */
	gic_destroy(g);
}
