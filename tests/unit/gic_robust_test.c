// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gic_robust_test.c: seeded random sequences of every src/gic entry point
 * with out-of-range vCPUs, offsets, lengths, INTIDs and values, on both
 * models, before and after init.  Nothing may crash (run under ASan and
 * UBSan by check.sh), and after every call the lines the model drove must
 * match what gic_cpu_pending() says, so no state change forgets delivery.
 */
#include <stdlib.h>

#include "gic/gic.h"
#include "gic_fake.h"
#include "lib/test.h"

#define STEPS 20000

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint32_t pick(const uint32_t *v, size_t n)
{
	return v[rnd() % n];
}

static const uint32_t lens[] = { 0, 1, 2, 3, 4, 4, 4, 4, 8, 8, 16 };

static uint32_t rnd_offset(uint32_t span)
{
	switch (rnd() % 4) {
	case 0:
		return (uint32_t)rnd();
	case 1:
		return (uint32_t)(rnd() % span) & ~3u;
	default:
		return (uint32_t)(rnd() % span);
	}
}

static uint32_t rnd_intid(void)
{
	return rnd() % 8 ? (uint32_t)(rnd() % 300) : (uint32_t)rnd();
}

static uint64_t rnd_val(void)
{
	return rnd() % 3 ? rnd() : (rnd() % 2 ? 0 : UINT64_MAX);
}

static void one_access(struct gic *g, uint32_t ncpu)
{
	uint32_t cpu = (uint32_t)(rnd() % (ncpu + 2));
	unsigned int len = pick(lens, sizeof(lens) / sizeof(lens[0]));
	enum gic_who who = rnd() % 2 ? GIC_GUEST : GIC_USER;
	bool wr = rnd() % 2;
	uint64_t v = rnd_val();
	uint32_t map;

	switch (rnd() % 10) {
	case 0:
	case 1:
		gic_dist_access(g, cpu, rnd_offset(0x10000), len, &v, wr, who);
		break;
	case 2:
		gic_cpuif_access(g, cpu, rnd_offset(0x2000), len, &v, wr, who);
		break;
	case 3:
		gic_redist_access(g, cpu, rnd_offset(0x20000), len, &v, wr,
				  who);
		break;
	case 4:
		gic_icc_access(g, cpu, (uint16_t)(0xC640 + rnd() % 0x30), &v,
			       wr, who);
		break;
	case 5:
		gic_icc_access(g, cpu, rnd() % 2 ? 0xC230 : (uint16_t)rnd(), &v,
			       wr, who);
		break;
	case 6:
		gic_inject(g, cpu, rnd_intid(), rnd() % 2, who);
		break;
	case 7:
		if (wr)
			gic_line_level_set(g, cpu, rnd_intid() & ~31u,
					   (uint32_t)v);
		else
			gic_line_level_get(g, cpu, rnd_intid(), &map);
		break;
	case 8:
		gic_mmio(g, cpu, rnd() % 2 ? V2_DIST + rnd() % 0x20000 : rnd(),
			 len, &v, wr);
		break;
	default:
		gic_dist_has(g, rnd_offset(0x10000));
		gic_cpuif_has(g, rnd_offset(0x2000));
		gic_redist_has(g, rnd_offset(0x20000));
		gic_icc_has(g, (uint16_t)rnd());
		break;
	}
}

/* Make delivery likely: enable everything now and then. */
static void enable_all(struct gic *g, uint32_t ncpu)
{
	uint32_t c, w;

	gd_wr(g, 0, 0x0, 0x3, GIC_GUEST);
	for (w = 0; w < 8; w++)
		gd_wr(g, 0, 0x100 + 4 * w, 0xFFFFFFFF, GIC_GUEST);
	for (c = 0; c < ncpu; c++) {
		gc_wr(g, c, 0x04, 0xF8, GIC_GUEST);
		gc_wr(g, c, 0x00, 0x3, GIC_GUEST);
		icc_wr(g, c, ICC_PMR, 0xF8, GIC_GUEST);
		icc_wr(g, c, ICC_IGRPEN1, 1, GIC_GUEST);
		icc_wr(g, c, ICC_IGRPEN0, 1, GIC_GUEST);
		gr_wr(g, c, 0x10100, 0xFFFFFFFF, GIC_GUEST);
	}
}

static bool lines_consistent(struct gic *g, const struct fake *f, uint32_t ncpu)
{
	uint32_t c;

	for (c = 0; c < ncpu; c++)
		if ((f->irq[c] || f->fiq[c]) != gic_cpu_pending(g, c))
			return false;
	return true;
}

static void hammer(enum gic_model m, uint32_t ncpu, uint64_t seed, bool init)
{
	struct fake f = { 0 };
	struct gic *g = init ? fake_ready(m, &f, ncpu) : fake_gic(m, &f, ncpu);
	uint32_t i, bad = 0;

	REQUIRE(g);
	rng_state = seed;
	for (i = 0; i < STEPS; i++) {
		if (i % 2000 == 0 && init)
			enable_all(g, ncpu);
		one_access(g, ncpu);
		if (init && !lines_consistent(g, &f, ncpu))
			bad++;
	}
	EXPECT_EQ(bad, 0);
	if (init)
		EXPECT(f.calls > 0); /* lines did move */
	gic_destroy(g);
}

TEST(v2_random_sequences_are_safe_and_delivery_consistent)
{
	hammer(GIC_MODEL_V2, 4, 0x9E3779B97F4A7C15ULL, true);
	hammer(GIC_MODEL_V2, 8, 0x1234567ULL, true);
}

TEST(v3_random_sequences_are_safe_and_delivery_consistent)
{
	hammer(GIC_MODEL_V3, 4, 0xDEADBEEFCAFEULL, true);
	hammer(GIC_MODEL_V3, 1, 0x42ULL, true);
}

TEST(random_sequences_before_init_are_safe)
{
	hammer(GIC_MODEL_V2, 2, 7, false);
	hammer(GIC_MODEL_V3, 3, 11, false);
}

TEST(random_configuration_calls_are_safe)
{
	struct gic *g;
	uint64_t base;
	uint32_t i, count, bad = 0;

	rng_state = 99;
	for (i = 0; i < 2000; i++) {
		g = gic_create(rnd() % 2 ? GIC_MODEL_V3 : GIC_MODEL_V2, NULL,
			       NULL);
		REQUIRE(g);
		while (rnd() % 8) {
			switch (rnd() % 7) {
			case 0:
				gic_add_vcpu(g, gic_nr_vcpus(g) + rnd() % 2,
					     (uint32_t)rnd() % 512, rnd(),
					     (unsigned int)(rnd() % 70));
				break;
			case 1:
				gic_set_base(g, (enum gic_frame)(rnd() % 3),
					     rnd() % 2 ? rnd() :
							 rnd() % 0x400000,
					     (unsigned int)(rnd() % 70));
				break;
			case 2:
				gic_v3_add_redist_region(g,
							 (uint32_t)(rnd() % 4),
							 (rnd() % 64) << 16,
							 (uint32_t)(rnd() % 5),
							 (uint32_t)(rnd() % 2),
							 40);
				break;
			case 3:
				gic_set_nr_irqs(g, (uint32_t)(rnd() % 1100));
				break;
			case 4:
				gic_init(g);
				break;
			case 5:
				gic_map_resources(g,
						  (unsigned int)(rnd() % 70));
				break;
			default:
				gic_v3_get_redist_region(g, (uint32_t)rnd() % 4,
							 &base, &count);
				gic_set_owned(g, (uint32_t)rnd() % 40);
				break;
			}
		}
		bad += gic_get_nr_irqs(g) < 32 || gic_get_nr_irqs(g) > 992;
		gic_destroy(g);
	}
	EXPECT_EQ(bad, 0);
}
