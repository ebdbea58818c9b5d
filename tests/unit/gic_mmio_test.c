// SPDX-License-Identifier: GPL-2.0-or-later
/* gic_mmio_test.c: guest MMIO routing through gic_mmio(): frames by
 * address, redistributor frames of other vCPUs, 8-byte registers whole or
 * as two 4-byte halves (a guest's 32-bit accesses), totality. */
#include "gic/gic.h"
#include "gic_fake.h"
#include "lib/test.h"

static uint64_t mrd(struct gic *g, uint32_t cpu, uint64_t gpa, unsigned int len)
{
	uint64_t v = 0xBAD;

	if (gic_mmio(g, cpu, gpa, len, &v, false) != 1)
		return 0xBAD;
	return v;
}

static int mwr(struct gic *g, uint32_t cpu, uint64_t gpa, unsigned int len,
	       uint64_t val)
{
	return gic_mmio(g, cpu, gpa, len, &val, true);
}

TEST(v2_mmio_frames_and_banking)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V2, &f, 2);

	REQUIRE(g);
	EXPECT_EQ(mrd(g, 0, V2_DIST + 0x4, 4), 0x27);
	EXPECT_EQ(mrd(g, 1, V2_DIST + 0x800, 4), 0x02020202);
	EXPECT_EQ(mrd(g, 0, V2_CPU + 0xFC, 4), 0x04B2043B);
	EXPECT_EQ(mwr(g, 1, V2_CPU + 0x4, 4, 0xF0), 1);
	EXPECT_EQ(mrd(g, 1, V2_CPU + 0x4, 4), 0xF0);
	EXPECT_EQ(mrd(g, 0, V2_CPU + 0x4, 4), 0);
	EXPECT_EQ(mrd(g, 0, V2_CPU + 0x1FFC, 4), 0); /* inside, no register */
	EXPECT_EQ(mrd(g, 0, V2_CPU + 0x2000, 4), 0xBAD);
	EXPECT_EQ(mrd(g, 0, V2_DIST + 0x1000, 4), 0xBAD);
	/* Byte access to the priorities. */
	EXPECT_EQ(mwr(g, 0, V2_DIST + 0x423, 1, 0xFF), 1);
	EXPECT_EQ(mrd(g, 0, V2_DIST + 0x420, 4), 0xF8000000);
	gic_destroy(g);
}

TEST(v2_distributor_disable_gates_delivery)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V2, &f, 1);

	REQUIRE(g);
	mwr(g, 0, V2_CPU + 0x4, 4, 0xF0);
	mwr(g, 0, V2_CPU + 0x0, 4, 0x1);
	mwr(g, 0, V2_DIST + 0x100, 4, 0xFFFF);
	mwr(g, 0, V2_DIST + 0xF00, 4, 2u << 24 | 4);
	EXPECT(!f.irq[0]);
	mwr(g, 0, V2_DIST + 0x0, 4, 1);
	EXPECT(f.irq[0]);
	mwr(g, 0, V2_DIST + 0x0, 4, 0);
	EXPECT(!f.irq[0]);
	EXPECT_EQ(mrd(g, 0, V2_CPU + 0xC, 4), 1023);
	gic_destroy(g);
}

TEST(v3_mmio_redistributor_of_another_vcpu)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 3);

	REQUIRE(g);
	EXPECT_EQ(mrd(g, 0, V3_REDIST + 2 * 0x20000 + 0x8, 8),
		  (2ULL << 32) | 0x210);
	EXPECT_EQ(mrd(g, 0, V3_REDIST + 2 * 0x20000 + 0x8, 4), 0x210);
	EXPECT_EQ(mrd(g, 0, V3_REDIST + 2 * 0x20000 + 0xC, 4), 2);
	EXPECT_EQ(mwr(g, 0, V3_REDIST + 0x20000 + 0x10180, 4, 0xFFFF), 1);
	EXPECT_EQ(mrd(g, 1, V3_REDIST + 0x20000 + 0x10100, 4), 0);
	EXPECT_EQ(mrd(g, 1, V3_REDIST + 0x10100, 4), 0xFFFF);
	EXPECT_EQ(mrd(g, 0, V3_REDIST + 3 * 0x20000, 4), 0xBAD);
	EXPECT_EQ(mrd(g, 0, V3_REDIST - 4, 4), 0xBAD);
	gic_destroy(g);
}

TEST(v3_mmio_irouter_whole_and_in_halves)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 2);
	uint64_t r = V3_DIST + 0x6000 + 8 * 64;

	REQUIRE(g);
	EXPECT_EQ(mwr(g, 0, r, 8, 0xFFFFFFFF00000001ULL), 1);
	EXPECT_EQ(mrd(g, 0, r, 8), 1);
	EXPECT_EQ(mwr(g, 0, r, 4, 0x0), 1);
	EXPECT_EQ(mwr(g, 0, r + 4, 4, 0x12345678), 1);
	EXPECT_EQ(mrd(g, 0, r, 4), 0);
	EXPECT_EQ(mrd(g, 0, r + 4, 4), 0);
	/* Misaligned 8-byte access: RAZ/WI. */
	EXPECT_EQ(mwr(g, 0, r + 4, 8, 1), 1);
	EXPECT_EQ(mrd(g, 0, r + 4, 8), 0);
	EXPECT_EQ(mrd(g, 0, r, 8), 0);
	gic_destroy(g);
}

TEST(v3_mmio_propbaser_written_in_halves)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 1);

	REQUIRE(g);
	EXPECT_EQ(mwr(g, 0, V3_REDIST + 0x70, 4, 0x12345F9F), 1);
	EXPECT_EQ(mwr(g, 0, V3_REDIST + 0x74, 4, 0x0700ABCD), 1);
	EXPECT_EQ(mrd(g, 0, V3_REDIST + 0x70, 8), 0x0700ABCD12345F9FULL);
	gic_destroy(g);
}

TEST(v3_mmio_level_ppi_repends_after_eoi)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 1);

	REQUIRE(g);
	mwr(g, 0, V3_DIST, 4, 0x2);
	icc_wr(g, 0, ICC_PMR, 0xF0, GIC_GUEST);
	icc_wr(g, 0, ICC_IGRPEN1, 1, GIC_GUEST);
	mwr(g, 0, V3_REDIST + 0x10100, 4, 1u << 27);
	gic_set_owned(g, 27);
	EXPECT_EQ(gic_inject(g, 0, 27, true, GIC_GUEST), 0);
	EXPECT(f.irq[0]);
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR1, GIC_GUEST), 27);
	EXPECT(!f.irq[0]);
	icc_wr(g, 0, ICC_EOIR1, 27, GIC_GUEST);
	EXPECT(f.irq[0]);
	/* The owner lowers the line; userspace cannot raise it. */
	EXPECT_EQ(gic_inject(g, 0, 27, false, GIC_GUEST), 0);
	EXPECT(!f.irq[0]);
	EXPECT_EQ(gic_inject(g, 0, 27, true, GIC_USER), 0);
	EXPECT(!f.irq[0]);
	gic_destroy(g);
}
