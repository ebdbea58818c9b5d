// SPDX-License-Identifier: GPL-2.0-or-later
/* gic_config_test.c: vGIC model life cycle, addresses, redistributor
 * regions, NR_IRQS and first-run checks (spec 3.2-3.6, selftest VI-2..11). */
#include <stdlib.h>

#include "gic/gic.h"
#include "gic_fake.h"
#include "lib/test.h"

#define REG(g, idx, base, count) \
	gic_v3_add_redist_region(g, idx, base, count, 0, IPA_BITS)

static uint32_t typer_lo(struct gic *g, uint32_t cpu)
{
	return gr_rd(g, cpu, 0x8, GIC_USER);
}

TEST(create_starts_undefined_and_uninitialized)
{
	struct gic *g = gic_create(GIC_MODEL_V3, &fake_ops, NULL);
	uint64_t a = 0;

	REQUIRE(g);
	EXPECT_EQ(gic_get_model(g), GIC_MODEL_V3);
	EXPECT_EQ(gic_get_base(g, GIC_FRAME_V3_DIST, &a), 0);
	EXPECT_EQ(a, GIC_ADDR_UNDEF);
	EXPECT_EQ(gic_v3_legacy_redist_base(g), GIC_ADDR_UNDEF);
	EXPECT_EQ(gic_get_nr_irqs(g), 32);
	EXPECT(!gic_initialized(g));
	EXPECT(!gic_ready(g));
	EXPECT_EQ(gic_nr_vcpus(g), 0);
	gic_destroy(g);
	gic_destroy(NULL);
}

TEST(set_base_wrong_model_is_enxio)
{
	struct gic *v2 = gic_create(GIC_MODEL_V2, NULL, NULL);
	struct gic *v3 = gic_create(GIC_MODEL_V3, NULL, NULL);
	uint64_t a;

	EXPECT_EQ(gic_set_base(v2, GIC_FRAME_V3_DIST, 0, IPA_BITS), -ENXIO);
	EXPECT_EQ(gic_set_base(v3, GIC_FRAME_V2_DIST, 0, IPA_BITS), -ENXIO);
	EXPECT_EQ(gic_set_base(v3, GIC_FRAME_V2_CPU, 0, IPA_BITS), -ENXIO);
	EXPECT_EQ(gic_get_base(v3, GIC_FRAME_V2_CPU, &a), -ENXIO);
	EXPECT_EQ(gic_v3_add_redist_region(v2, 0, 0, 1, 0, IPA_BITS), -ENXIO);
	EXPECT_EQ(gic_v3_get_redist_region(v2, 0, &a, &(uint32_t){ 0 }),
		  -ENXIO);
	gic_destroy(v2);
	gic_destroy(v3);
}

/* VI-2 on a GICv2: CPU interface (4K align, 8K) and distributor. */
TEST(v2_base_checks_follow_check_iorange_order)
{
	struct fake f = { 0 };
	struct gic *g = fake_gic(GIC_MODEL_V2, &f, 4);
	uint64_t a;

	REQUIRE(g);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V2_DIST, 0x100, IPA_BITS), -EINVAL);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V2_CPU, 0x100, IPA_BITS), -EINVAL);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V2_DIST, IPA_MAX, IPA_BITS),
		  -E2BIG);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V2_CPU, IPA_MAX, IPA_BITS), -E2BIG);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V2_CPU, IPA_MAX - 0x1000, IPA_BITS),
		  -E2BIG);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V2_DIST, UINT64_MAX & ~0xFFFULL,
			       IPA_BITS),
		  -EINVAL); /* wraps */
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V2_CPU, 0, IPA_BITS), 0);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V2_CPU, 0xE0000, IPA_BITS),
		  -EEXIST);
	/* EEXIST comes before the alignment check. */
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V2_CPU, 0x100, IPA_BITS), -EEXIST);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V2_DIST, 0x1000, IPA_BITS), 0);
	EXPECT_EQ(gic_get_base(g, GIC_FRAME_V2_DIST, &a), 0);
	EXPECT_EQ(a, 0x1000);
	/* VI-3: the overlap is found at first run. */
	EXPECT_EQ(gic_map_resources(g, IPA_BITS), -EINVAL);
	EXPECT(!gic_ready(g));
	gic_destroy(g);
}

TEST(v2_map_resources_enxio_then_implicit_init)
{
	struct fake f = { 0 };
	struct gic *g = fake_gic(GIC_MODEL_V2, &f, 2);

	REQUIRE(g);
	EXPECT_EQ(gic_map_resources(g, IPA_BITS), -ENXIO);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V2_DIST, V2_DIST, IPA_BITS), 0);
	EXPECT_EQ(gic_map_resources(g, IPA_BITS), -ENXIO);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V2_CPU, V2_CPU, IPA_BITS), 0);
	EXPECT(!gic_initialized(g));
	EXPECT_EQ(gic_map_resources(g, IPA_BITS), 0);
	EXPECT(gic_initialized(g));
	EXPECT(gic_ready(g));
	EXPECT_EQ(gic_get_nr_irqs(g), 256);
	EXPECT_EQ(gic_map_resources(g, IPA_BITS), 0);
	gic_destroy(g);
}

/* VI-2 on a GICv3 with the legacy region, then VI-3. */
TEST(v3_legacy_region_checks_and_overlap_at_run)
{
	struct fake f = { 0 };
	struct gic *g = fake_gic(GIC_MODEL_V3, &f, 4);

	REQUIRE(g);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V3_DIST, 0x1000, IPA_BITS),
		  -EINVAL);
	EXPECT_EQ(REG(g, 0, 0x1000, 0), -EINVAL);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V3_DIST, IPA_MAX, IPA_BITS),
		  -E2BIG);
	EXPECT_EQ(REG(g, 0, IPA_MAX, 0), -E2BIG);
	EXPECT_EQ(REG(g, 0, IPA_MAX - 0x10000, 0), -E2BIG);
	EXPECT_EQ(REG(g, 0, 0, 0), 0);
	EXPECT_EQ(REG(g, 0, 0xE0000, 0), -EEXIST);
	EXPECT_EQ(gic_v3_legacy_redist_base(g), 0);
	/* Mixing the legacy and region APIs. */
	EXPECT_EQ(REG(g, 0, 0x100000, 4), -EINVAL);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V3_DIST, 0x70000, IPA_BITS), 0);
	EXPECT_EQ(gic_init(g), 0);
	EXPECT_EQ(gic_map_resources(g, IPA_BITS), -EINVAL);
	gic_destroy(g);
}

/* VI-4: vCPUs added after the legacy region; the size grows with them. */
TEST(v3_legacy_region_grows_with_vcpus)
{
	struct fake f = { 0 };
	struct gic *g = fake_gic(GIC_MODEL_V3, &f, 1);
	uint32_t i;

	REQUIRE(g);
	EXPECT_EQ(REG(g, 0, 0, 0), 0);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V3_DIST, 0x70000, IPA_BITS), 0);
	for (i = 1; i < 4; i++)
		EXPECT_EQ(gic_add_vcpu(g, i, i, fake_mpidr(i), IPA_BITS), 0);
	EXPECT_EQ(gic_nr_vcpus(g), 4);
	EXPECT_EQ(gic_init(g), 0);
	EXPECT_EQ(gic_map_resources(g, IPA_BITS), -EINVAL);
	gic_destroy(g);
}

static void vi6_regions(struct gic *g)
{
	uint64_t base;
	uint32_t count;

	EXPECT_EQ(gic_v3_add_redist_region(g, 0, 0x100000, 4, 2, IPA_BITS),
		  -EINVAL);
	EXPECT_EQ(REG(g, 1, 0x200000, 2), -EINVAL);
	EXPECT_EQ(REG(g, 1, 0x201000, 2), -EINVAL);
	EXPECT_EQ(REG(g, 0, 0x200000, 2), 0);
	EXPECT_EQ(REG(g, 1, 0x200000, 2), -EINVAL);
	EXPECT_EQ(REG(g, 2, 0x210000, 1), -EINVAL);
	EXPECT_EQ(REG(g, 2, 0x240000, 1), -EINVAL);
	EXPECT_EQ(REG(g, 1, 0x240000, 1), 0);
	EXPECT_EQ(REG(g, 2, IPA_MAX, 1), -E2BIG);
	EXPECT_EQ(REG(g, 2, IPA_MAX - 0x30000, 2), -E2BIG);
	EXPECT_EQ(REG(g, 0, 0x260000, 0), -EINVAL);
	EXPECT_EQ(gic_v3_get_redist_region(g, 0, &base, &count), 0);
	EXPECT_EQ(base, 0x200000);
	EXPECT_EQ(count, 2);
	EXPECT_EQ(gic_v3_get_redist_region(g, 1, &base, &count), 0);
	EXPECT_EQ(base, 0x240000);
	EXPECT_EQ(count, 1);
	EXPECT_EQ(gic_v3_get_redist_region(g, 2, &base, &count), -ENOENT);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V3_DIST, 0x260000, IPA_BITS), 0);
	EXPECT_EQ(REG(g, 2, 0x260000, 1), -EINVAL);
}

TEST(v3_redist_regions_vi6_then_missing_redist_is_enxio)
{
	struct fake f = { 0 };
	struct gic *g = fake_gic(GIC_MODEL_V3, &f, 4);

	REQUIRE(g);
	vi6_regions(g);
	EXPECT_EQ(gic_init(g), 0);
	EXPECT_EQ(gic_map_resources(g, IPA_BITS), -ENXIO);
	gic_destroy(g);
}

TEST(v3_map_resources_without_init_is_ebusy_then_ok)
{
	struct fake f = { 0 };
	struct gic *g = fake_gic(GIC_MODEL_V3, &f, 4);

	REQUIRE(g);
	vi6_regions(g);
	EXPECT_EQ(REG(g, 2, 0x280000, 2), 0);
	EXPECT_EQ(gic_map_resources(g, IPA_BITS), -EBUSY);
	EXPECT_EQ(gic_init(g), 0);
	EXPECT_EQ(gic_init(g), 0);
	EXPECT_EQ(gic_map_resources(g, IPA_BITS), 0);
	EXPECT(gic_ready(g));
	gic_destroy(g);
}

TEST(v3_map_resources_dist_undefined_is_enxio)
{
	struct fake f = { 0 };
	struct gic *g = fake_gic(GIC_MODEL_V3, &f, 2);

	REQUIRE(g);
	EXPECT_EQ(REG(g, 0, 0x200000, 2), 0);
	EXPECT_EQ(gic_init(g), 0);
	EXPECT_EQ(gic_map_resources(g, IPA_BITS), -ENXIO);
	gic_destroy(g);
}

/* VI-8: GICR_TYPER and Last as regions are added after init. */
TEST(v3_typer_last_bit_as_regions_come)
{
	struct gic *g = gic_create(GIC_MODEL_V3, NULL, NULL);
	const uint32_t ids[] = { 0, 3, 1, 2 };
	uint32_t i;

	REQUIRE(g);
	for (i = 0; i < 4; i++)
		REQUIRE(!gic_add_vcpu(g, i, ids[i], fake_mpidr(ids[i]),
				      IPA_BITS));
	EXPECT_EQ(gic_init(g), 0);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(typer_lo(g, i), ids[i] * 0x100);
	EXPECT_EQ(REG(g, 0, 0x200000, 2), 0);
	EXPECT_EQ(typer_lo(g, 0), 0x000);
	EXPECT_EQ(typer_lo(g, 1), 0x310);
	EXPECT_EQ(REG(g, 1, 0x100000, 10), -EINVAL);
	EXPECT_EQ(typer_lo(g, 2), 0x100);
	EXPECT_EQ(typer_lo(g, 3), 0x200);
	EXPECT_EQ(REG(g, 1, 0x20000, 10), 0);
	EXPECT_EQ(typer_lo(g, 2), 0x100);
	EXPECT_EQ(typer_lo(g, 3), 0x210);
	/* Upper word: the affinity. */
	EXPECT_EQ(gr_rd(g, 1, 0xC, GIC_USER), 3);
	gic_destroy(g);
}

static struct gic *vi9_gic(void)
{
	struct gic *g = gic_create(GIC_MODEL_V3, NULL, NULL);
	const uint32_t ids[] = { 0, 3, 5, 4, 1, 2 };
	uint32_t i;

	for (i = 0; g && i < 6; i++)
		if (gic_add_vcpu(g, i, ids[i], fake_mpidr(ids[i]), IPA_BITS))
			return NULL;
	if (g && gic_init(g))
		return NULL;
	return g;
}

TEST(v3_last_bit_with_adjacent_regions_vi9)
{
	struct gic *g = vi9_gic();
	const uint32_t want[] = { 0x000, 0x310, 0x500, 0x410, 0x100, 0x200 };
	uint32_t i;

	REQUIRE(g);
	EXPECT_EQ(REG(g, 0, 0x100000, 2), 0);
	EXPECT_EQ(REG(g, 1, 0x240000, 2), 0);
	EXPECT_EQ(REG(g, 2, 0x200000, 2), 0);
	for (i = 0; i < 6; i++)
		EXPECT_EQ(typer_lo(g, i), want[i]);
	gic_destroy(g);
}

TEST(v3_last_bit_single_legacy_region_vi10)
{
	struct gic *g = vi9_gic();
	const uint32_t want[] = { 0x000, 0x300, 0x500, 0x400, 0x100, 0x210 };
	uint32_t i;

	REQUIRE(g);
	EXPECT_EQ(REG(g, 0, 0x10000, 0), 0);
	for (i = 0; i < 6; i++)
		EXPECT_EQ(typer_lo(g, i), want[i]);
	gic_destroy(g);
}

TEST(v3_legacy_region_past_ipa_found_at_run_vi11)
{
	struct fake f = { 0 };
	struct gic *g = fake_gic(GIC_MODEL_V3, &f, 1);
	uint32_t i;

	REQUIRE(g);
	EXPECT_EQ(REG(g, 0, IPA_MAX - 3 * 0x20000, 0), 0);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V3_DIST, 0, IPA_BITS), 0);
	for (i = 1; i < 4; i++)
		EXPECT_EQ(gic_add_vcpu(g, i, i, fake_mpidr(i), IPA_BITS), 0);
	EXPECT_EQ(gic_init(g), 0);
	EXPECT_EQ(gic_map_resources(g, IPA_BITS), -EINVAL);
	gic_destroy(g);
}

/* A counted region colliding with the distributor while vCPUs wait for a
 * redistributor is refused and leaves no trace (spec 3.4.3 step 7). */
TEST(v3_region_failing_assignment_is_removed)
{
	struct fake f = { 0 };
	struct gic *g = fake_gic(GIC_MODEL_V3, &f, 2);
	uint64_t base;
	uint32_t count;

	REQUIRE(g);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V3_DIST, 0x260000, IPA_BITS), 0);
	EXPECT_EQ(REG(g, 0, 0x240000, 2), -EINVAL);
	EXPECT_EQ(gic_v3_get_redist_region(g, 0, &base, &count), -ENOENT);
	EXPECT_EQ(REG(g, 0, 0x200000, 2), 0);
	gic_destroy(g);
}

TEST(v3_region_index_beyond_12_bits_is_einval)
{
	struct gic *g = gic_create(GIC_MODEL_V3, NULL, NULL);

	REQUIRE(g);
	EXPECT_EQ(REG(g, 0x1000, 0x200000, 1), -EINVAL);
	EXPECT_EQ(REG(g, 0, 0x200000, 1), 0);
	gic_destroy(g);
}

TEST(v3_vcpu_added_later_gets_free_slot_or_einval)
{
	struct gic *g = gic_create(GIC_MODEL_V3, NULL, NULL);

	REQUIRE(g);
	EXPECT_EQ(REG(g, 0, 0x200000, 1), 0);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V3_DIST, 0x220000, IPA_BITS), 0);
	EXPECT_EQ(gic_add_vcpu(g, 0, 0, fake_mpidr(0), IPA_BITS), 0);
	/* No free slot: added without a redistributor. */
	EXPECT_EQ(gic_add_vcpu(g, 1, 1, fake_mpidr(1), IPA_BITS), 0);
	EXPECT_EQ(gic_init(g), 0);
	EXPECT_EQ(gic_map_resources(g, IPA_BITS), -ENXIO);
	gic_destroy(g);
}

TEST(add_vcpu_limits_and_state)
{
	struct gic *g = gic_create(GIC_MODEL_V2, NULL, NULL);
	uint32_t i;

	REQUIRE(g);
	EXPECT_EQ(gic_add_vcpu(g, 1, 1, 1, IPA_BITS), -EINVAL);
	for (i = 0; i < GIC_V2_MAX_CPUS; i++)
		EXPECT_EQ(gic_add_vcpu(g, i, i, fake_mpidr(i), IPA_BITS), 0);
	EXPECT_EQ(gic_add_vcpu(g, 8, 8, fake_mpidr(8), IPA_BITS), -E2BIG);
	gic_destroy(g);
	g = fake_gic(GIC_MODEL_V3, &(struct fake){ 0 }, 1);
	REQUIRE(g);
	EXPECT_EQ(gic_init(g), 0);
	EXPECT_EQ(gic_add_vcpu(g, 1, 1, fake_mpidr(1), IPA_BITS), -EBUSY);
	gic_destroy(g);
}

TEST(nr_irqs_range_multiple_and_once)
{
	struct gic *g = gic_create(GIC_MODEL_V3, NULL, NULL);

	REQUIRE(g);
	EXPECT_EQ(gic_set_nr_irqs(g, 32), -EINVAL);
	EXPECT_EQ(gic_set_nr_irqs(g, 63), -EINVAL);
	EXPECT_EQ(gic_set_nr_irqs(g, 100), -EINVAL);
	EXPECT_EQ(gic_set_nr_irqs(g, 1023), -EINVAL);
	EXPECT_EQ(gic_set_nr_irqs(g, 1024), -EINVAL);
	EXPECT_EQ(gic_get_nr_irqs(g), 32);
	EXPECT_EQ(gic_set_nr_irqs(g, 992), 0);
	EXPECT_EQ(gic_get_nr_irqs(g), 992);
	EXPECT_EQ(gic_set_nr_irqs(g, 64), -EBUSY);
	EXPECT_EQ(gic_init(g), 0);
	EXPECT_EQ(gic_get_nr_irqs(g), 992);
	gic_destroy(g);
	g = gic_create(GIC_MODEL_V2, NULL, NULL);
	REQUIRE(g);
	EXPECT_EQ(gic_init(g), 0);
	EXPECT_EQ(gic_get_nr_irqs(g), 256);
	EXPECT_EQ(gic_set_nr_irqs(g, 64), -EBUSY);
	gic_destroy(g);
}

TEST(mmio_hits_only_frames_once_ready)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 2);
	uint64_t v = 0;

	REQUIRE(g);
	EXPECT_EQ(gic_mmio(g, 0, V3_DIST + 0x8, 4, &v, false), 1);
	EXPECT_EQ(v, 0x4B00343B);
	EXPECT_EQ(gic_mmio(g, 0, V3_REDIST + 0x20000 + 0x8, 4, &v, false), 1);
	EXPECT_EQ(v, 0x110); /* vCPU 1's frame, Last */
	EXPECT_EQ(gic_mmio(g, 0, V3_REDIST + 0x40000, 4, &v, false), 0);
	EXPECT_EQ(gic_mmio(g, 0, V3_DIST - 4, 4, &v, false), 0);
	EXPECT_EQ(gic_mmio(g, 9, V3_DIST, 4, &v, false), 0);
	gic_destroy(g);
	g = fake_gic(GIC_MODEL_V2, &f, 1);
	REQUIRE(g);
	EXPECT_EQ(gic_set_base(g, GIC_FRAME_V2_DIST, V2_DIST, IPA_BITS), 0);
	EXPECT_EQ(gic_mmio(g, 0, V2_DIST, 4, &v, false), 0); /* not ready */
	gic_destroy(g);
}
