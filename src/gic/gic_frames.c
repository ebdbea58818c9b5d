// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gic_frames.c: the per-vGIC O(1) register indexes built from each frame's
 * one table, and the guest's view of the frames as regions of their own
 * (the engine maps each frame once and hands its id back per access, so
 * no access searches for its frame or its register).
 */
#include <errno.h>
#include <stdlib.h>

#include "gic/gic_internal.h"

static int ix_build(struct gic_frame_ix *ix, const struct gic_frame_desc *f,
		    uint64_t size)
{
	ix->f = f;
	ix->words = (uint32_t)(size / 4);
	ix->row = calloc(ix->words, sizeof(*ix->row));
	if (!ix->row || f->nr >= UINT8_MAX)
		return -ENOMEM;
	for (size_t i = 0; i < f->nr; i++) {
		const struct gic_reg *r = &f->regs[i];

		/* Rows cover whole words, inside the frame, with a power of
		 * two bits per IRQ (the tables' rules). */
		if (r->offset % 4 || r->len % 4 || r->offset + r->len > size ||
		    (r->bits_per_irq & (r->bits_per_irq - 1)))
			return -EINVAL;
		for (uint32_t w = r->offset / 4; w < (r->offset + r->len) / 4;
		     w++)
			ix->row[w] = (uint8_t)(i + 1);
	}
	return 0;
}

/* gic_frames_build - the indexes of @gic's model (frames, and ICC_* on a
 * GICv3): 0, -ENOMEM, or -EINVAL for a table that breaks a rule (a bug). */
int gic_frames_build(struct gic *gic)
{
	int ret;

	if (gic->model == GIC_MODEL_V2) {
		ret = ix_build(&gic->ix[GIC_IX_DIST], &gic_v2_dist_frame,
			       GIC_V2_DIST_SIZE);
		return ret ? ret :
			     ix_build(&gic->ix[GIC_IX_CPU], &gic_v2_cpu_frame,
				      GIC_V2_CPU_SIZE);
	}
	ret = ix_build(&gic->ix[GIC_IX_DIST], &gic_v3_dist_frame,
		       GIC_V3_DIST_SIZE);
	if (!ret)
		ret = gic_icc_index_build(gic);
	if (!ret)
		ret = ix_build(&gic->ix[GIC_IX_CPU], &gic_v3_rd_frame,
			       GIC_V3_REDIST_SIZE / 2);
	return ret ? ret :
		     ix_build(&gic->ix[GIC_IX_SGI], &gic_v3_sgi_frame,
			      GIC_V3_REDIST_SIZE / 2);
}

/* gic_frames_free - free what gic_frames_build allocated (any stage). */
void gic_frames_free(struct gic *gic)
{
	for (int i = 0; i < GIC_NR_IX; i++)
		free(gic->ix[i].row);
}

/* Frame ids: the distributor, the GICv2 CPU interface, then one per
 * GICv3 redistributor region. */
#define FRAME_DIST 0u
#define FRAME_CPU 1u
#define FRAME_RDREG 2u

static unsigned int frame_put(struct gic_frame_map *out, unsigned int n,
			      unsigned int max, uint64_t base, uint64_t size,
			      uint32_t id)
{
	if (n >= max || base == GIC_ADDR_UNDEF)
		return n;
	out[n] = (struct gic_frame_map){ base, size, id };
	return n + 1;
}

unsigned int gic_mmio_frames(const struct gic *gic, struct gic_frame_map *out,
			     unsigned int max)
{
	unsigned int n = 0;

	if (!gic->ready)
		return 0;
	if (gic->model == GIC_MODEL_V2) {
		n = frame_put(out, n, max, gic->dist_base, GIC_V2_DIST_SIZE,
			      FRAME_DIST);
		return frame_put(out, n, max, gic->cpu_base, GIC_V2_CPU_SIZE,
				 FRAME_CPU);
	}
	n = frame_put(out, n, max, gic->dist_base, GIC_V3_DIST_SIZE,
		      FRAME_DIST);
	for (uint32_t i = 0; i < gic->nr_rdregs; i++)
		n = frame_put(out, n, max, gic->rdregs[i].base,
			      gic_rdreg_size(gic, &gic->rdregs[i]),
			      FRAME_RDREG + i);
	return n;
}

bool gic_mmio_frame_reg(const struct gic *gic, uint32_t id, uint64_t off,
			const struct gic_reg **reg)
{
	*reg = NULL;
	if (off >= UINT32_MAX)
		return false;
	if (id == FRAME_DIST ||
	    (id == FRAME_CPU && gic->model == GIC_MODEL_V2)) {
		*reg = gic_frame_reg(
			&gic->ix[id == FRAME_DIST ? GIC_IX_DIST : GIC_IX_CPU],
			(uint32_t)off);
		return !*reg;
	}
	if (gic->model != GIC_MODEL_V3)
		return false;
	/* A redistributor: RAZ/WI only if one is there (gic_mmio_frame). */
	off %= GIC_V3_REDIST_SIZE;
	if (off >= GIC_V3_REDIST_SIZE / 2)
		*reg = gic_frame_reg(&gic->ix[GIC_IX_SGI],
				     (uint32_t)(off - GIC_V3_REDIST_SIZE / 2));
	else
		*reg = gic_frame_reg(&gic->ix[GIC_IX_CPU], (uint32_t)off);
	return false;
}

int gic_mmio_frame(struct gic *gic, uint32_t id, const struct gic_reg *reg,
		   uint32_t cpu, uint64_t off, unsigned int len, uint64_t *val,
		   bool is_write)
{
	struct gic_cpu *c = gic_cpu_get(gic, cpu);
	const struct gic_rdreg *r;
	uint64_t slot;

	if (!gic->ready || !c || off >= UINT32_MAX)
		return 0;
	if (id == FRAME_DIST ||
	    (id == FRAME_CPU && gic->model == GIC_MODEL_V2)) {
		gic_frame_reg_access(
			gic, id == FRAME_DIST ? GIC_IX_DIST : GIC_IX_CPU, reg,
			c, (uint32_t)off, len, val, is_write, GIC_GUEST);
		return 1;
	}
	if (id < FRAME_RDREG || id - FRAME_RDREG >= gic->nr_rdregs)
		return 0;
	r = &gic->rdregs[id - FRAME_RDREG];
	slot = off / GIC_V3_REDIST_SIZE;
	if (slot >= r->used)
		return 0; /* no redistributor there: the VMM's */
	off %= GIC_V3_REDIST_SIZE;
	c = gic_cpu_get(gic, r->slot_cpu[slot]);
	if (off >= GIC_V3_REDIST_SIZE / 2)
		gic_frame_reg_access(gic, GIC_IX_SGI, reg, c,
				     (uint32_t)(off - GIC_V3_REDIST_SIZE / 2),
				     len, val, is_write, GIC_GUEST);
	else
		gic_frame_reg_access(gic, GIC_IX_CPU, reg, c, (uint32_t)off,
				     len, val, is_write, GIC_GUEST);
	return 1;
}
