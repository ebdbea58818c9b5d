// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gic_snapshot_test.c: model-level save/restore round trips.  A GICv3 and
 * a GICv2 with 4 vCPUs are given rich state through guest accesses, saved
 * through the user register path in the VMM orders of spec 8.2 (QEMU
 * GICv3, with its IROUTER walk) and 8.4 (QEMU GICv2), restored into a
 * fresh model, saved again and compared, together with what the guest
 * then sees.
 */
#include <stdlib.h>
#include <string.h>

#include "gic/gic.h"
#include "gic_fake.h"
#include "lib/test.h"

#define G GIC_GUEST
#define U GIC_USER
#define NCPU 4
#define NIRQ 256
#define NW (NIRQ / 32)
#define SGI 0x10000

/* --- helpers shared by both models ------------------------------------------ */

/* d_words - save (@restore false) or restore @n distributor words from
 * @off, vCPU @cpu, skipping the first @skip (private RAZ/WI) words. */
static void d_words(struct gic *g, uint32_t cpu, uint32_t off, uint32_t n,
		    uint32_t skip, uint32_t *vals, bool restore)
{
	uint32_t i;

	for (i = skip; i < n; i++) {
		if (restore)
			EXPECT_EQ(gd_wr(g, cpu, off + 4 * i, vals[i], U), 0);
		else
			vals[i] = gd_rd(g, cpu, off + 4 * i, U);
	}
}

/* d_fill - write @val to @n words from @off (the clear-before-set step). */
static void d_fill(struct gic *g, uint32_t cpu, uint32_t off, uint32_t n,
		   uint32_t skip, uint32_t val)
{
	uint32_t i;

	for (i = skip; i < n; i++)
		EXPECT_EQ(gd_wr(g, cpu, off + 4 * i, val, U), 0);
}

static void r_words(struct gic *g, uint32_t cpu, uint32_t off, uint32_t n,
		    uint32_t *vals, bool restore)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (restore)
			EXPECT_EQ(gr_wr(g, cpu, off + 4 * i, vals[i], U), 0);
		else
			vals[i] = gr_rd(g, cpu, off + 4 * i, U);
	}
}

/* --- GICv3 (spec 8.2) --------------------------------------------------------- */

static const uint16_t icc_order[] = { ICC_SRE,	   ICC_CTLR,  ICC_IGRPEN0,
				      ICC_IGRPEN1, ICC_PMR,   ICC_BPR0,
				      ICC_BPR1,	   ICC_AP0R0, ICC_AP1R0 };
#define NICC (sizeof(icc_order) / sizeof(icc_order[0]))

struct v3_rd {
	uint32_t ctlr, statusr, waker, igroupr0, isenabler0, icfgr1, level0,
		ispendr0, isactiver0, prio[8];
};

struct v3_snap {
	uint32_t ctlr, statusr;
	struct v3_rd rd[NCPU];
	uint32_t igroupr[NW], isenabler[NW], level[NW], ispendr[NW],
		isactiver[NW], icfgr[2 * NW], prio[NIRQ / 4];
	uint32_t irouter_qemu[2 * NIRQ];
	uint64_t irouter[NIRQ];
	uint64_t icc[NCPU][NICC];
};

static void v3_rd_rw(struct gic *g, uint32_t c, struct v3_rd *r, bool restore)
{
	uint32_t ones = 0xFFFFFFFF;

	r_words(g, c, 0x0, 1, &r->ctlr, restore);
	r_words(g, c, 0x10, 1, &r->statusr, restore);
	r_words(g, c, 0x14, 1, &r->waker, restore);
	r_words(g, c, SGI + 0x80, 1, &r->igroupr0, restore);
	if (restore)
		r_words(g, c, SGI + 0x180, 1, &ones, true);
	r_words(g, c, SGI + 0x100, 1, &r->isenabler0, restore);
	r_words(g, c, SGI + 0xC04, 1, &r->icfgr1, restore);
	if (restore)
		EXPECT_EQ(gic_line_level_set(g, c, 0, r->level0), 0);
	else
		EXPECT_EQ(gic_line_level_get(g, c, 0, &r->level0), 0);
	if (restore)
		r_words(g, c, SGI + 0x280, 1, &ones, true);
	r_words(g, c, SGI + 0x200, 1, &r->ispendr0, restore);
	if (restore)
		r_words(g, c, SGI + 0x380, 1, &ones, true);
	r_words(g, c, SGI + 0x300, 1, &r->isactiver0, restore);
	r_words(g, c, SGI + 0x400, 8, r->prio, restore);
}

static void v3_level_rw(struct gic *g, struct v3_snap *s, bool restore)
{
	uint32_t w;

	for (w = 1; w < NW; w++) {
		if (restore)
			EXPECT_EQ(gic_line_level_set(g, 0, 32 * w, s->level[w]),
				  0);
		else
			EXPECT_EQ(gic_line_level_get(g, 0, 32 * w,
						     &s->level[w]),
				  0);
	}
}

/* QEMU's walk: words 0x6000 + 4 * irq and + 4 (spec 8.2), then the
 * architectural 64-bit walk a Firecracker-style VMM does. */
static void v3_irouter_rw(struct gic *g, struct v3_snap *s, bool restore)
{
	uint32_t i;

	for (i = 32; i < NIRQ; i++)
		d_words(g, 0, 0x6000 + 4 * i, 2, 0, &s->irouter_qemu[2 * i],
			restore);
	for (i = 32; i < NIRQ; i++) {
		uint64_t *v = &s->irouter[i];

		if (!restore)
			*v = 0;
		EXPECT_EQ(gic_dist_access(g, 0, 0x6000 + 8 * i, 8, v, restore,
					  U),
			  0);
	}
}

static void v3_icc_rw(struct gic *g, struct v3_snap *s, bool restore)
{
	uint32_t c, i;

	for (c = 0; c < NCPU; c++)
		for (i = 0; i < NICC; i++)
			EXPECT_EQ(gic_icc_access(g, c, icc_order[i],
						 &s->icc[c][i], restore, U),
				  0);
}

static void v3_save(struct gic *g, struct v3_snap *s)
{
	uint32_t c;

	memset(s, 0, sizeof(*s));
	s->ctlr = gd_rd(g, 0, 0x0, U);
	for (c = 0; c < NCPU; c++)
		v3_rd_rw(g, c, &s->rd[c], false);
	s->statusr = gd_rd(g, 0, 0x10, U);
	d_words(g, 0, 0x80, NW, 1, s->igroupr, false);
	d_words(g, 0, 0x100, NW, 1, s->isenabler, false);
	v3_level_rw(g, s, false);
	d_words(g, 0, 0x200, NW, 1, s->ispendr, false);
	d_words(g, 0, 0x300, NW, 1, s->isactiver, false);
	d_words(g, 0, 0xC00, 2 * NW, 2, s->icfgr, false);
	d_words(g, 0, 0x400, NIRQ / 4, 8, s->prio, false);
	v3_irouter_rw(g, s, false);
	v3_icc_rw(g, s, false);
}

static void v3_restore(struct gic *g, struct v3_snap *s)
{
	uint32_t c;

	EXPECT_EQ(gd_wr(g, 0, 0x0, s->ctlr, U), 0);
	for (c = 0; c < NCPU; c++)
		v3_rd_rw(g, c, &s->rd[c], true);
	EXPECT_EQ(gd_wr(g, 0, 0x10, s->statusr, U), 0);
	d_fill(g, 0, 0x180, NW, 1, 0);
	d_words(g, 0, 0x100, NW, 1, s->isenabler, true);
	d_words(g, 0, 0x80, NW, 1, s->igroupr, true);
	v3_irouter_rw(g, s, true);
	d_words(g, 0, 0xC00, 2 * NW, 2, s->icfgr, true);
	v3_level_rw(g, s, true);
	d_fill(g, 0, 0x280, NW, 1, 0);
	d_words(g, 0, 0x200, NW, 1, s->ispendr, true);
	d_fill(g, 0, 0x380, NW, 1, 0);
	d_words(g, 0, 0x300, NW, 1, s->isactiver, true);
	d_words(g, 0, 0x400, NIRQ / 4, 8, s->prio, true);
	v3_icc_rw(g, s, true);
}

/* Firecracker's order (spec 8.5): distributor first (each clear register
 * before its set register), then redistributors, then the CPU
 * interfaces. */
static void v3_restore_fc(struct gic *g, struct v3_snap *s)
{
	uint32_t c;

	EXPECT_EQ(gd_wr(g, 0, 0x0, s->ctlr, U), 0);
	EXPECT_EQ(gd_wr(g, 0, 0x10, s->statusr, U), 0);
	d_fill(g, 0, 0x180, NW, 1, 0xFFFFFFFF);
	d_words(g, 0, 0x100, NW, 1, s->isenabler, true);
	d_words(g, 0, 0x80, NW, 1, s->igroupr, true);
	v3_irouter_rw(g, s, true);
	d_words(g, 0, 0xC00, 2 * NW, 2, s->icfgr, true);
	v3_level_rw(g, s, true);
	d_fill(g, 0, 0x280, NW, 1, 0xFFFFFFFF);
	d_words(g, 0, 0x200, NW, 1, s->ispendr, true);
	d_fill(g, 0, 0x380, NW, 1, 0xFFFFFFFF);
	d_words(g, 0, 0x300, NW, 1, s->isactiver, true);
	d_words(g, 0, 0x400, NIRQ / 4, 8, s->prio, true);
	for (c = 0; c < NCPU; c++)
		v3_rd_rw(g, c, &s->rd[c], true);
	v3_icc_rw(g, s, true);
}

/* Rich GICv3 state, set the way a guest would. */
static void v3_populate(struct gic *g)
{
	uint32_t c, i;

	gd_wr(g, 0, 0x0, 0x2, G);
	for (i = 8; i < NIRQ / 4; i++)
		gd_wr(g, 0, 0x400 + 4 * i, 0x38281808 + i * 0x08080808, G);
	gd_wr(g, 0, 0x104, 0xF0F0F0F0, G);
	gd_wr(g, 0, 0x108, 0xFFFF0000, G);
	gd_wr(g, 0, 0x114, 0x1, G);
	gd_wr(g, 0, 0x84, 0xFFFF00FF, G);
	gd_wr(g, 0, 0xC08, 0, G);
	gd_wr(g, 0, 0xC0C, 0x0000AAAA, G);
	for (i = 32; i < 120; i++)
		gd_wr(g, 0, 0x6000 + 8 * i, i % NCPU, G);
	gd_wr(g, 0, 0x6000 + 8 * 200, 2, G);
	gic_inject(g, 0, 36, true, U);
	gic_inject(g, 0, 37, true, U);
	gic_inject(g, 0, 44, true, U);
	gic_inject(g, 0, 52, true, U); /* edge: latches */
	gd_wr(g, 0, 0x204, 0x00030000, G);
	gd_wr(g, 0, 0x218, 0x1, G);
	gd_wr(g, 0, 0x308, 0x10, G);
	for (c = 0; c < NCPU; c++) {
		gr_wr(g, c, SGI + 0x80, 0xFFFF0FFF, G);
		gr_wr(g, c, SGI + 0x180, 1u << 3, G);
		gr_wr(g, c, SGI + 0x100, 1u << (20 + c), G);
		for (i = 0; i < 8; i++)
			gr_wr(g, c, SGI + 0x400 + 4 * i,
			      0x40302010 + (c + i) * 0x08080808, G);
		gic_inject(g, c, 20 + c, true, U);
		icc_wr(g, c, ICC_PMR, 0xF0 - 8 * c, G);
		icc_wr(g, c, ICC_BPR0, 2 + c, G);
		icc_wr(g, c, ICC_BPR1, 3 + c, G);
		icc_wr(g, c, ICC_CTLR, c == 2 ? 2 : 0, G);
		icc_wr(g, c, ICC_IGRPEN1, 1, G);
		icc_wr(g, c, ICC_IGRPEN0, c & 1, G);
		icc_wr(g, c, ICC_SGI1R, (uint64_t)(c + 4) << 24 | 0xF, G);
		icc_wr(g, c, ICC_SGI1R, 13ULL << 24 | 0xF, G);
	}
	for (c = 0; c < NCPU; c++) {
		icc_rd(g, c, ICC_IAR1, G);
		icc_rd(g, c, ICC_IAR0, G);
	}
}

struct view {
	uint64_t hppir0[NCPU], hppir1[NCPU], rpr[NCPU];
	uint32_t pend[NW], rpend[NCPU];
	bool irq[NCPU], fiq[NCPU], wfi[NCPU];
};

static void v3_view(struct gic *g, const struct fake *f, struct view *v)
{
	uint32_t c, w;

	memset(v, 0, sizeof(*v));
	for (c = 0; c < NCPU; c++) {
		v->hppir0[c] = icc_rd(g, c, ICC_HPPIR0, G);
		v->hppir1[c] = icc_rd(g, c, ICC_HPPIR1, G);
		v->rpr[c] = icc_rd(g, c, ICC_RPR, G);
		v->rpend[c] = gr_rd(g, c, SGI + 0x200, G);
		v->irq[c] = f->irq[c];
		v->fiq[c] = f->fiq[c];
		v->wfi[c] = gic_cpu_pending(g, c);
	}
	for (w = 1; w < NW; w++)
		v->pend[w] = gd_rd(g, 0, 0x200 + 4 * w, G);
}

static struct gic *v3_fresh(struct fake *f)
{
	return fake_ready(GIC_MODEL_V3, f, NCPU);
}

static void expect_same_view(const struct view *a, const struct view *b)
{
	uint32_t c, w;

	for (c = 0; c < NCPU; c++) {
		EXPECT_EQ(a->hppir0[c], b->hppir0[c]);
		EXPECT_EQ(a->hppir1[c], b->hppir1[c]);
		EXPECT_EQ(a->rpr[c], b->rpr[c]);
		EXPECT_EQ(a->rpend[c], b->rpend[c]);
		EXPECT_EQ(a->irq[c], b->irq[c]);
		EXPECT_EQ(a->fiq[c], b->fiq[c]);
		EXPECT_EQ(a->wfi[c], b->wfi[c]);
	}
	for (w = 0; w < NW; w++)
		EXPECT_EQ(a->pend[w], b->pend[w]);
}

TEST(v3_save_restore_round_trip_qemu_order)
{
	struct fake fa = { 0 }, fb = { 0 };
	struct gic *a = v3_fresh(&fa), *b = v3_fresh(&fb);
	struct v3_snap *s1 = calloc(1, sizeof(*s1)),
		       *s2 = calloc(1, sizeof(*s2));
	struct view va, vb;
	uint32_t c;

	REQUIRE(a && b && s1 && s2);
	v3_populate(a);
	v3_save(a, s1);
	/* The state is rich enough to mean something. */
	EXPECT(s1->rd[1].isactiver0 || s1->rd[1].ispendr0);
	EXPECT(s1->icc[0][7] | s1->icc[0][8]);
	EXPECT_EQ(s1->irouter[200], 2);
	EXPECT(s1->level[1] != 0);
	v3_restore(b, s1);
	v3_save(b, s2);
	EXPECT(memcmp(s1, s2, sizeof(*s1)) == 0);
	v3_view(a, &fa, &va);
	v3_view(b, &fb, &vb);
	expect_same_view(&va, &vb);
	/* Both then behave the same: finish and take the next interrupt. */
	for (c = 0; c < NCPU; c++) {
		icc_wr(a, c, ICC_EOIR1, icc_rd(a, c, ICC_HPPIR1, G), G);
		icc_wr(b, c, ICC_EOIR1, icc_rd(b, c, ICC_HPPIR1, G), G);
		EXPECT_EQ(icc_rd(a, c, ICC_IAR1, G), icc_rd(b, c, ICC_IAR1, G));
	}
	v3_view(a, &fa, &va);
	v3_view(b, &fb, &vb);
	expect_same_view(&va, &vb);
	free(s1);
	free(s2);
	gic_destroy(a);
	gic_destroy(b);
}

TEST(v3_save_restore_round_trip_firecracker_order)
{
	struct fake fa = { 0 }, fb = { 0 };
	struct gic *a = v3_fresh(&fa), *b = v3_fresh(&fb);
	struct v3_snap *s1 = calloc(1, sizeof(*s1)),
		       *s2 = calloc(1, sizeof(*s2));
	struct view va, vb;

	REQUIRE(a && b && s1 && s2);
	v3_populate(a);
	v3_save(a, s1);
	v3_restore_fc(b, s1);
	v3_save(b, s2);
	EXPECT(memcmp(s1, s2, sizeof(*s1)) == 0);
	v3_view(a, &fa, &va);
	v3_view(b, &fb, &vb);
	expect_same_view(&va, &vb);
	free(s1);
	free(s2);
	gic_destroy(a);
	gic_destroy(b);
}

/* --- GICv2 (spec 8.4) ----------------------------------------------------------- */

struct v2_cpu {
	uint32_t enable0, group0, pend0, active0, prio[8], sgi_src[4];
	uint32_t ctlr, pmr, bpr, abpr, apr[4];
};

struct v2_snap {
	uint32_t ctlr, typer, iidr;
	uint32_t igroupr[NW], isenabler[NW], ispendr[NW], isactiver[NW],
		icfgr[2 * NW], prio[NIRQ / 4], targets[NIRQ / 4];
	struct v2_cpu cpu[NCPU];
};

static void v2_cpuif_rw(struct gic *g, uint32_t c, struct v2_cpu *p,
			bool restore)
{
	static const uint32_t offs[] = { 0x00, 0x04, 0x08, 0x1C,
					 0xD0, 0xD4, 0xD8, 0xDC };
	uint32_t *vals[] = { &p->ctlr,	 &p->pmr,    &p->bpr,	 &p->abpr,
			     &p->apr[0], &p->apr[1], &p->apr[2], &p->apr[3] };
	uint32_t i;

	for (i = 0; i < 8; i++) {
		if (restore)
			EXPECT_EQ(gc_wr(g, c, offs[i], *vals[i], U), 0);
		else
			*vals[i] = gc_rd(g, c, offs[i], U);
	}
}

/* The banked (private) words of vCPU @c. */
static void v2_banked_save(struct gic *g, uint32_t c, struct v2_cpu *p)
{
	d_words(g, c, 0x080, 1, 0, &p->group0, false);
	d_words(g, c, 0x100, 1, 0, &p->enable0, false);
	d_words(g, c, 0x200, 1, 0, &p->pend0, false);
	d_words(g, c, 0x300, 1, 0, &p->active0, false);
	d_words(g, c, 0x400, 8, 0, p->prio, false);
	d_words(g, c, 0xF20, 4, 0, p->sgi_src, false);
	v2_cpuif_rw(g, c, p, false);
}

static void v2_save(struct gic *g, struct v2_snap *s)
{
	uint32_t c;

	memset(s, 0, sizeof(*s));
	s->ctlr = gd_rd(g, 0, 0x0, U);
	s->typer = gd_rd(g, 0, 0x4, U);
	s->iidr = gd_rd(g, 0, 0x8, U);
	d_words(g, 0, 0x080, NW, 1, s->igroupr, false);
	d_words(g, 0, 0x100, NW, 1, s->isenabler, false);
	d_words(g, 0, 0x200, NW, 1, s->ispendr, false);
	d_words(g, 0, 0x300, NW, 1, s->isactiver, false);
	d_words(g, 0, 0xC00, 2 * NW, 2, s->icfgr, false);
	d_words(g, 0, 0x400, NIRQ / 4, 8, s->prio, false);
	d_words(g, 0, 0x800, NIRQ / 4, 8, s->targets, false);
	for (c = 0; c < NCPU; c++)
		v2_banked_save(g, c, &s->cpu[c]);
}

static void v2_restore(struct gic *g, struct v2_snap *s)
{
	uint32_t c;

	EXPECT_EQ(gd_wr(g, 0, 0x0, s->ctlr, U), 0);
	EXPECT_EQ(gd_rd(g, 0, 0x4, U), s->typer);
	/* Unlocks the user IGROUPR writes (spec 7.1). */
	EXPECT_EQ(gd_wr(g, 0, 0x8, s->iidr, U), 0);
	for (c = 0; c < NCPU; c++) {
		d_fill(g, c, 0x180, 1, 0, 0xFFFFFFFF);
		d_words(g, c, 0x100, 1, 0, &s->cpu[c].enable0, true);
		d_words(g, c, 0x080, 1, 0, &s->cpu[c].group0, true);
	}
	d_fill(g, 0, 0x180, NW, 1, 0xFFFFFFFF);
	d_words(g, 0, 0x100, NW, 1, s->isenabler, true);
	d_words(g, 0, 0x080, NW, 1, s->igroupr, true);
	d_words(g, 0, 0x800, NIRQ / 4, 8, s->targets, true);
	d_words(g, 0, 0xC00, 2 * NW, 2, s->icfgr, true);
	for (c = 0; c < NCPU; c++) {
		d_fill(g, c, 0x280, 1, 0, 0xFFFFFFFF);
		d_words(g, c, 0x200, 1, 0, &s->cpu[c].pend0, true);
		d_fill(g, c, 0x380, 1, 0, 0xFFFFFFFF);
		d_words(g, c, 0x300, 1, 0, &s->cpu[c].active0, true);
		d_words(g, c, 0x400, 8, 0, s->cpu[c].prio, true);
	}
	d_fill(g, 0, 0x280, NW, 1, 0xFFFFFFFF);
	d_words(g, 0, 0x200, NW, 1, s->ispendr, true);
	d_fill(g, 0, 0x380, NW, 1, 0xFFFFFFFF);
	d_words(g, 0, 0x300, NW, 1, s->isactiver, true);
	d_words(g, 0, 0x400, NIRQ / 4, 8, s->prio, true);
	for (c = 0; c < NCPU; c++) {
		d_fill(g, c, 0xF10, 4, 0, 0xFFFFFFFF);
		d_words(g, c, 0xF20, 4, 0, s->cpu[c].sgi_src, true);
	}
	for (c = 0; c < NCPU; c++)
		v2_cpuif_rw(g, c, &s->cpu[c], true);
}

static void v2_populate(struct gic *g)
{
	uint32_t c, i;

	gd_wr(g, 0, 0x0, 0x1, G);
	for (i = 8; i < NIRQ / 4; i++) {
		gd_wr(g, 0, 0x400 + 4 * i, 0x38281808 + i * 0x08080808, G);
		gd_wr(g, 0, 0x800 + 4 * i, 0x01020408 << (i % 2), G);
	}
	gd_wr(g, 0, 0x104, 0xF0F0F0F0, G);
	gd_wr(g, 0, 0x108, 0xFFFF0000, G);
	gd_wr(g, 0, 0x84, 0x0000FF00, G);
	gd_wr(g, 0, 0xC0C, 0x0000AAAA, G);
	gic_inject(g, 0, 52, true, U);
	gd_wr(g, 0, 0x204, 0x00030000, G);
	gd_wr(g, 0, 0x218, 0x1, G);
	gd_wr(g, 0, 0x308, 0x10, G);
	for (c = 0; c < NCPU; c++) {
		gd_wr(g, c, 0x80, 0x0000F000, G);
		gd_wr(g, c, 0x180, 1u << 3, G);
		gd_wr(g, c, 0x100, 1u << (20 + c), G);
		for (i = 0; i < 8; i++)
			gd_wr(g, c, 0x400 + 4 * i,
			      0x40302010 + (c + i) * 0x08080808, G);
		gc_wr(g, c, 0x04, 0xF0 - 8 * c, G);
		gc_wr(g, c, 0x08, 2 + c, G);
		gc_wr(g, c, 0x1C, 3 + c, G);
		gc_wr(g, c, 0x00, c == 2 ? 0x207 : 0x3, G);
		gd_wr(g, c, 0xF00, 1u << 24 | (c + 4), G);
		gd_wr(g, c, 0xF00, 0xF0000 | 13, G);
	}
	for (c = 0; c < NCPU; c++)
		gc_rd(g, c, 0x0C, G);
}

static void v2_view(struct gic *g, const struct fake *f, struct view *v)
{
	uint32_t c, w;

	memset(v, 0, sizeof(*v));
	for (c = 0; c < NCPU; c++) {
		v->hppir0[c] = gc_rd(g, c, 0x18, G);
		v->hppir1[c] = gc_rd(g, c, 0x28, G);
		v->rpr[c] = gc_rd(g, c, 0x14, G);
		v->rpend[c] = gd_rd(g, c, 0x200, G);
		v->irq[c] = f->irq[c];
		v->fiq[c] = f->fiq[c];
		v->wfi[c] = gic_cpu_pending(g, c);
	}
	for (w = 1; w < NW; w++)
		v->pend[w] = gd_rd(g, 0, 0x200 + 4 * w, G);
}

TEST(v2_save_restore_round_trip_qemu_order)
{
	struct fake fa = { 0 }, fb = { 0 };
	struct gic *a = fake_ready(GIC_MODEL_V2, &fa, NCPU);
	struct gic *b = fake_ready(GIC_MODEL_V2, &fb, NCPU);
	struct v2_snap *s1 = calloc(1, sizeof(*s1)),
		       *s2 = calloc(1, sizeof(*s2));
	struct view va, vb;
	uint32_t c, x;

	REQUIRE(a && b && s1 && s2);
	v2_populate(a);
	v2_save(a, s1);
	EXPECT(s1->cpu[1].sgi_src[3] != 0);
	EXPECT(s1->cpu[0].apr[0] != 0);
	EXPECT_EQ(s1->igroupr[0], 0);
	EXPECT_EQ(s1->igroupr[1], 0x0000FF00);
	v2_restore(b, s1);
	v2_save(b, s2);
	EXPECT(memcmp(s1, s2, sizeof(*s1)) == 0);
	v2_view(a, &fa, &va);
	v2_view(b, &fb, &vb);
	expect_same_view(&va, &vb);
	for (c = 0; c < NCPU; c++) {
		x = gc_rd(a, c, 0x18, G);
		gc_wr(a, c, 0x10, x, G);
		gc_wr(b, c, 0x10, x, G);
		EXPECT_EQ(gc_rd(a, c, 0x0C, G), gc_rd(b, c, 0x0C, G));
	}
	v2_view(a, &fa, &vb);
	v2_view(b, &fb, &va);
	expect_same_view(&va, &vb);
	free(s1);
	free(s2);
	gic_destroy(a);
	gic_destroy(b);
}
