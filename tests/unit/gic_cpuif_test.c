// SPDX-License-Identifier: GPL-2.0-or-later
/* gic_cpuif_test.c: delivery and CPU interface flows: enables, priority
 * mask, acknowledge, EOI, EOImode split, preemption, binary point, level
 * re-pending, groups and FIQ (IHI 0069 ch. 4, IHI 0048B ch. 3). */
#include "gic/gic.h"
#include "gic_fake.h"
#include "lib/test.h"

#define G GIC_GUEST
#define U GIC_USER
#define SGI 0x10000

static void prio(struct gic *g, uint32_t intid, uint8_t p)
{
	uint64_t v = p;

	gic_dist_access(g, 0, 0x400 + intid, 1, &v, true, G);
}

static void spi_enable(struct gic *g, uint32_t intid)
{
	gd_wr(g, 0, 0x100 + intid / 32 * 4, 1u << (intid % 32), G);
}

static void spi_level(struct gic *g, uint32_t intid)
{
	uint32_t off = 0xC00 + intid / 16 * 4;

	gd_wr(g, 0, off, gd_rd(g, 0, off, G) & ~(3u << (intid % 16 * 2)), G);
}

TEST(v3_line_needs_every_enable)
{
	struct fake f = { 0 };
	struct gic *g = fake_ready(GIC_MODEL_V3, &f, 1);

	REQUIRE(g);
	prio(g, 40, 0x80);
	EXPECT_EQ(gic_inject(g, 0, 40, true, U), 0);
	EXPECT(!f.irq[0]);
	spi_enable(g, 40);
	EXPECT(!f.irq[0]);
	gd_wr(g, 0, 0x0, 0x2, G);
	EXPECT(!f.irq[0]);
	icc_wr(g, 0, ICC_IGRPEN1, 1, G);
	EXPECT(!f.irq[0]);
	EXPECT(!gic_cpu_pending(g, 0));
	icc_wr(g, 0, ICC_PMR, 0x80, G); /* equal priority is masked */
	EXPECT(!f.irq[0]);
	icc_wr(g, 0, ICC_PMR, 0x88, G);
	EXPECT(f.irq[0]);
	EXPECT(!f.fiq[0]);
	EXPECT(gic_cpu_pending(g, 0));
	EXPECT(!gic_cpu_pending(g, 7));
	/* Disabling drops the line again. */
	gd_wr(g, 0, 0x184, 1u << 8, G);
	EXPECT(!f.irq[0]);
	gic_destroy(g);
}

TEST(v3_set_line_called_only_on_change)
{
	struct fake f = { 0 };
	struct gic *g = v3_on(&f, 2);
	int calls;

	REQUIRE(g);
	spi_enable(g, 40);
	spi_enable(g, 41);
	calls = f.calls;
	gic_inject(g, 0, 40, true, U);
	EXPECT_EQ(f.calls, calls + 1);
	gic_inject(g, 0, 41, true, U);
	gd_wr(g, 0, 0x0, 0x2, G);
	prio(g, 50, 0x10);
	EXPECT_EQ(f.calls, calls + 1);
	gic_destroy(g);
}

TEST(v3_ack_eoi_running_priority)
{
	struct fake f = { 0 };
	struct gic *g = v3_on(&f, 1);

	REQUIRE(g);
	prio(g, 40, 0x80);
	spi_enable(g, 40);
	gic_inject(g, 0, 40, true, U);
	EXPECT_EQ(icc_rd(g, 0, ICC_HPPIR1, G), 40);
	EXPECT(f.irq[0]);
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR1, G), 40);
	EXPECT(!f.irq[0]);
	EXPECT_EQ(icc_rd(g, 0, ICC_RPR, G), 0x80);
	EXPECT_EQ(icc_rd(g, 0, ICC_AP1R0, U), 1u << 16);
	EXPECT_EQ(gd_rd(g, 0, 0x304, G), 1u << 8);
	EXPECT_EQ(gd_rd(g, 0, 0x204, G), 0);
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR1, G), 1023);
	EXPECT_EQ(icc_rd(g, 0, ICC_HPPIR1, G), 1023);
	icc_wr(g, 0, ICC_EOIR1, 40, G);
	EXPECT_EQ(icc_rd(g, 0, ICC_RPR, G), 0xFF);
	EXPECT_EQ(gd_rd(g, 0, 0x304, G), 0);
	EXPECT_EQ(icc_rd(g, 0, ICC_AP1R0, U), 0);
	/* Spurious and special INTIDs are ignored by EOI. */
	icc_wr(g, 0, ICC_EOIR1, 1023, G);
	EXPECT_EQ(icc_rd(g, 0, ICC_RPR, G), 0xFF);
	gic_destroy(g);
}

TEST(v3_higher_priority_preempts_active)
{
	struct fake f = { 0 };
	struct gic *g = v3_on(&f, 1);

	REQUIRE(g);
	prio(g, 40, 0x80);
	prio(g, 41, 0x40);
	prio(g, 42, 0x80);
	spi_enable(g, 40);
	spi_enable(g, 41);
	spi_enable(g, 42);
	gic_inject(g, 0, 40, true, U);
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR1, G), 40);
	gic_inject(g, 0, 42, true, U);
	EXPECT(!f.irq[0]); /* same priority cannot preempt */
	gic_inject(g, 0, 41, true, U);
	EXPECT(f.irq[0]);
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR1, G), 41);
	EXPECT_EQ(icc_rd(g, 0, ICC_RPR, G), 0x40);
	EXPECT(!f.irq[0]);
	icc_wr(g, 0, ICC_EOIR1, 41, G);
	EXPECT_EQ(icc_rd(g, 0, ICC_RPR, G), 0x80);
	EXPECT(!f.irq[0]);
	icc_wr(g, 0, ICC_EOIR1, 40, G);
	EXPECT(f.irq[0]);
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR1, G), 42);
	gic_destroy(g);
}

TEST(v3_binary_point_limits_preemption)
{
	struct fake f = { 0 };
	struct gic *g = v3_on(&f, 1);

	REQUIRE(g);
	prio(g, 40, 0x10);
	prio(g, 41, 0x08);
	spi_enable(g, 40);
	spi_enable(g, 41);
	icc_wr(g, 0, ICC_BPR1, 7, G); /* group priority: bit 7 only */
	gic_inject(g, 0, 40, true, U);
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR1, G), 40);
	EXPECT_EQ(icc_rd(g, 0, ICC_RPR, G), 0x00);
	gic_inject(g, 0, 41, true, U);
	EXPECT(!f.irq[0]);
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR1, G), 1023);
	icc_wr(g, 0, ICC_EOIR1, 40, G);
	EXPECT(f.irq[0]);
	/* With the minimum binary point it preempts. */
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR1, G), 41);
	icc_wr(g, 0, ICC_EOIR1, 41, G);
	icc_wr(g, 0, ICC_BPR1, 0, G);
	gic_inject(g, 0, 40, true, U);
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR1, G), 40);
	gic_inject(g, 0, 41, true, U);
	EXPECT(f.irq[0]);
	gic_destroy(g);
}

TEST(v3_cbpr_uses_bpr0_for_group1)
{
	struct fake f = { 0 };
	struct gic *g = v3_on(&f, 1);

	REQUIRE(g);
	prio(g, 40, 0x10);
	prio(g, 41, 0x08);
	spi_enable(g, 40);
	spi_enable(g, 41);
	icc_wr(g, 0, ICC_BPR0, 6, G); /* group priority bit 7 */
	icc_wr(g, 0, ICC_CTLR, 1, G);
	gic_inject(g, 0, 40, true, U);
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR1, G), 40);
	gic_inject(g, 0, 41, true, U);
	EXPECT(!f.irq[0]);
	gic_destroy(g);
}

TEST(v3_level_interrupt_repends_while_line_high)
{
	struct fake f = { 0 };
	struct gic *g = v3_on(&f, 1);

	REQUIRE(g);
	spi_level(g, 40);
	prio(g, 40, 0x80);
	spi_enable(g, 40);
	gic_inject(g, 0, 40, true, U);
	EXPECT(f.irq[0]);
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR1, G), 40);
	EXPECT(!f.irq[0]);
	EXPECT_EQ(gd_rd(g, 0, 0x204, G), 1u << 8); /* active and pending */
	EXPECT_EQ(gd_rd(g, 0, 0x304, G), 1u << 8);
	icc_wr(g, 0, ICC_EOIR1, 40, G);
	EXPECT(f.irq[0]);
	gic_inject(g, 0, 40, false, U);
	EXPECT(!f.irq[0]);
	EXPECT_EQ(gd_rd(g, 0, 0x204, G), 0);
	gic_destroy(g);
}

TEST(v3_eoimode_splits_drop_and_deactivate)
{
	struct fake f = { 0 };
	struct gic *g = v3_on(&f, 1);

	REQUIRE(g);
	icc_wr(g, 0, ICC_CTLR, 2, G);
	prio(g, 40, 0x80);
	spi_enable(g, 40);
	gic_inject(g, 0, 40, true, U);
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR1, G), 40);
	gic_inject(g, 0, 40, true, U);
	icc_wr(g, 0, ICC_EOIR1, 40, G);
	EXPECT_EQ(icc_rd(g, 0, ICC_RPR, G), 0xFF);
	EXPECT_EQ(gd_rd(g, 0, 0x304, G), 1u << 8);
	EXPECT(!f.irq[0]); /* pending again, but still active */
	icc_wr(g, 0, ICC_DIR, 40, G);
	EXPECT_EQ(gd_rd(g, 0, 0x304, G), 0);
	EXPECT(f.irq[0]);
	/* Without EOImode, DIR is ignored. */
	icc_wr(g, 0, ICC_CTLR, 0, G);
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR1, G), 40);
	icc_wr(g, 0, ICC_DIR, 40, G);
	EXPECT_EQ(gd_rd(g, 0, 0x304, G), 1u << 8);
	gic_destroy(g);
}

TEST(v3_group0_is_fiq_and_acked_by_iar0)
{
	struct fake f = { 0 };
	struct gic *g = v3_on(&f, 1);

	REQUIRE(g);
	gd_wr(g, 0, 0x84, 0xFFFFFEFF, G); /* INTID 40 group 0 */
	prio(g, 40, 0x80);
	spi_enable(g, 40);
	gic_inject(g, 0, 40, true, U);
	EXPECT(f.fiq[0]);
	EXPECT(!f.irq[0]);
	EXPECT_EQ(icc_rd(g, 0, ICC_HPPIR1, G), 1023);
	EXPECT_EQ(icc_rd(g, 0, ICC_HPPIR0, G), 40);
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR1, G), 1023);
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR0, G), 40);
	EXPECT_EQ(icc_rd(g, 0, ICC_AP0R0, U), 1u << 16);
	EXPECT(!f.fiq[0]);
	/* EOIR1 does not drop a group 0 priority. */
	icc_wr(g, 0, ICC_EOIR1, 40, G);
	EXPECT_EQ(icc_rd(g, 0, ICC_RPR, G), 0x80);
	icc_wr(g, 0, ICC_EOIR0, 40, G);
	EXPECT_EQ(icc_rd(g, 0, ICC_RPR, G), 0xFF);
	/* Group 0 disabled: nothing. */
	icc_wr(g, 0, ICC_IGRPEN0, 0, G);
	gic_inject(g, 0, 40, true, U);
	EXPECT(!f.fiq[0]);
	EXPECT_EQ(icc_rd(g, 0, ICC_IAR0, G), 1023);
	gic_destroy(g);
}

TEST(v3_ties_go_to_lowest_intid_and_ppis_are_banked)
{
	struct fake f = { 0 };
	struct gic *g = v3_on(&f, 2);
	uint64_t v = 0x80;

	REQUIRE(g);
	gic_redist_access(g, 1, SGI + 0x400 + 20, 1, &v, true, G);
	gr_wr(g, 1, SGI + 0x100, 1u << 20, G);
	prio(g, 33, 0x80);
	spi_enable(g, 33);
	gd_wr(g, 0, 0x6000 + 8 * 33, 1, G); /* route to vCPU 1 */
	gic_inject(g, 1, 20, true, U);
	gic_inject(g, 0, 33, true, U);
	EXPECT(!f.irq[0]);
	EXPECT(f.irq[1]);
	EXPECT_EQ(icc_rd(g, 1, ICC_IAR1, G), 20);
	icc_wr(g, 1, ICC_EOIR1, 20, G);
	gic_inject(g, 1, 20, false, U);
	EXPECT_EQ(icc_rd(g, 1, ICC_IAR1, G), 33);
	gic_destroy(g);
}

TEST(v3_irouter_moves_pending_spi)
{
	struct fake f = { 0 };
	struct gic *g = v3_on(&f, 4);

	REQUIRE(g);
	prio(g, 50, 0x80);
	spi_enable(g, 50);
	gic_inject(g, 0, 50, true, U);
	EXPECT(f.irq[0]);
	gd_wr(g, 0, 0x6000 + 8 * 50, 3, G);
	EXPECT(!f.irq[0]);
	EXPECT(f.irq[3]);
	gd_wr(g, 0, 0x6000 + 8 * 50, 0x10203, G); /* no such vCPU */
	EXPECT(!f.irq[3]);
	EXPECT(!gic_cpu_pending(g, 0));
	EXPECT_EQ(gd_rd(g, 0, 0x204, G), 1u << 18);
	gd_wr(g, 0, 0x6000 + 8 * 50, 2, G);
	EXPECT(f.irq[2]);
	gic_destroy(g);
}

TEST(v2_fiqen_and_ackctl)
{
	struct fake f = { 0 };
	struct gic *g = v2_on(&f, 1);

	REQUIRE(g);
	prio(g, 40, 0x80);
	spi_enable(g, 40);
	gd_wr(g, 0, 0x828, 0x1, G); /* target vCPU 0 */
	gic_inject(g, 0, 40, true, U);
	EXPECT(f.irq[0]); /* group 0 without FIQEn: IRQ */
	gc_wr(g, 0, 0x00, 0xB, G);
	EXPECT(f.fiq[0]);
	EXPECT(!f.irq[0]);
	gc_wr(g, 0, 0x00, 0x3, G);
	gd_wr(g, 0, 0x84, 1u << 8, G); /* group 1 */
	EXPECT(f.irq[0]);
	EXPECT_EQ(gc_rd(g, 0, 0x18, G), 1022);
	EXPECT_EQ(gc_rd(g, 0, 0x0C, G), 1022);
	EXPECT_EQ(gc_rd(g, 0, 0x28, G), 40);
	EXPECT_EQ(gc_rd(g, 0, 0x20, G), 40);
	EXPECT_EQ(gc_rd(g, 0, 0x14, G), 0x80);
	EXPECT_EQ(gc_rd(g, 0, 0xD0, U), 1u << 16);
	gc_wr(g, 0, 0x24, 40, G);
	EXPECT_EQ(gc_rd(g, 0, 0x14, G), 0xFF);
	gc_wr(g, 0, 0x00, 0x7, G); /* AckCtl */
	gic_inject(g, 0, 40, true, U);
	EXPECT_EQ(gc_rd(g, 0, 0x0C, G), 40);
	gic_destroy(g);
}

TEST(v2_targets_route_spis)
{
	struct fake f = { 0 };
	struct gic *g = v2_on(&f, 4);

	REQUIRE(g);
	prio(g, 40, 0x80);
	spi_enable(g, 40);
	gic_inject(g, 0, 40, true, U);
	EXPECT(!f.irq[0] && !f.irq[1] && !f.irq[2] && !f.irq[3]);
	gd_wr(g, 0, 0x828, 0x4, G);
	EXPECT(f.irq[2]);
	gd_wr(g, 0, 0x828, 0xA, G); /* the lowest target takes it */
	EXPECT(!f.irq[2]);
	EXPECT(f.irq[1]);
	EXPECT_EQ(gc_rd(g, 1, 0x0C, G), 40);
	EXPECT_EQ(gc_rd(g, 3, 0x0C, G), 1023);
	gc_wr(g, 1, 0x10, 40, G);
	EXPECT_EQ(gd_rd(g, 0, 0x304, G), 0);
	gic_destroy(g);
}

TEST(v2_eoimode_and_dir)
{
	struct fake f = { 0 };
	struct gic *g = v2_on(&f, 1);
	uint64_t v = 40;

	REQUIRE(g);
	gc_wr(g, 0, 0x00, 0x203, G);
	prio(g, 40, 0x80);
	spi_enable(g, 40);
	gd_wr(g, 0, 0x828, 0x1, G);
	gic_inject(g, 0, 40, true, U);
	EXPECT_EQ(gc_rd(g, 0, 0x0C, G), 40);
	gc_wr(g, 0, 0x10, 40, G);
	EXPECT_EQ(gc_rd(g, 0, 0x14, G), 0xFF);
	EXPECT_EQ(gd_rd(g, 0, 0x304, G), 1u << 8);
	EXPECT_EQ(gic_mmio(g, 0, V2_CPU + 0x1000, 4, &v, true), 1);
	EXPECT_EQ(gd_rd(g, 0, 0x304, G), 0);
	gic_destroy(g);
}
