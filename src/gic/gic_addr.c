// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gic_addr.c: vGIC base addresses, GICv3 redistributor regions, their
 * assignment to vCPUs and GICR_TYPER (spec 2.2, 3.4, 3.5).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gic/gic_internal.h"

/* gic_ranges_overlap - [a, a + asz) and [b, b + bsz) intersect (neither
 * range wraps: every base was range-checked). */
bool gic_ranges_overlap(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz)
{
	return a < b + bsz && b < a + asz;
}

/* gic_rdreg_size - a region's size now; a legacy one grows with vCPUs. */
uint64_t gic_rdreg_size(const struct gic *gic, const struct gic_rdreg *r)
{
	uint32_t n = r->count ? r->count : gic->nr_vcpus;

	return (uint64_t)n * GIC_V3_REDIST_SIZE;
}

static bool rdreg_has_slot(const struct gic_rdreg *r)
{
	return r->used < GIC_V3_MAX_CPUS && (!r->count || r->used < r->count);
}

/*
 * gic_rdist_assign - give @cpu a redistributor from the first region with
 * a free slot (spec 3.4.4); none free is not an error.  -EINVAL if the
 * regions then fail vgic_v3_check_base.
 */
int gic_rdist_assign(struct gic *gic, struct gic_cpu *cpu,
		     unsigned int ipa_bits)
{
	struct gic_rdreg *r;
	uint32_t i;

	for (i = 0; i < gic->nr_rdregs; i++)
		if (rdreg_has_slot(&gic->rdregs[i]))
			break;
	if (i == gic->nr_rdregs)
		return 0;
	if (gic_v3_check_base(gic, ipa_bits))
		return -EINVAL;
	r = &gic->rdregs[i];
	cpu->rd_region = (int)i;
	cpu->rd_slot = r->used;
	r->slot_cpu[r->used++] = (uint16_t)cpu->index;
	return 0;
}

/* --- addresses ------------------------------------------------------------ */

/*
 * check_iorange - vgic_check_iorange (spec 3.4.1, newest order): -EEXIST,
 * -EINVAL misaligned, -EINVAL wrapping, -E2BIG beyond 2^@ipa_bits.
 */
static int check_iorange(uint64_t old, uint64_t addr, uint64_t align,
			 uint64_t size, unsigned int ipa_bits)
{
	uint64_t limit = ipa_bits >= 64 ? UINT64_MAX : 1ULL << ipa_bits;

	if (old != GIC_ADDR_UNDEF)
		return -EEXIST;
	if ((addr | size) & (align - 1))
		return -EINVAL;
	if (addr + size < addr)
		return -EINVAL;
	if (addr >= limit || addr + size > limit)
		return -E2BIG;
	return 0;
}

static uint64_t *frame_base(struct gic *gic, enum gic_frame frame,
			    uint64_t *size, uint64_t *align)
{
	switch (frame) {
	case GIC_FRAME_V2_DIST:
	case GIC_FRAME_V2_CPU:
		if (gic->model != GIC_MODEL_V2)
			return NULL;
		*align = 0x1000;
		*size = frame == GIC_FRAME_V2_DIST ? GIC_V2_DIST_SIZE :
						     GIC_V2_CPU_SIZE;
		return frame == GIC_FRAME_V2_DIST ? &gic->dist_base :
						    &gic->cpu_base;
	case GIC_FRAME_V3_DIST:
		if (gic->model != GIC_MODEL_V3)
			return NULL;
		*align = 0x10000;
		*size = GIC_V3_DIST_SIZE;
		return &gic->dist_base;
	}
	return NULL;
}

int gic_set_base(struct gic *gic, enum gic_frame frame, uint64_t addr,
		 unsigned int ipa_bits)
{
	uint64_t size, align, *base = frame_base(gic, frame, &size, &align);
	int ret;

	if (!base)
		return -ENXIO;
	ret = check_iorange(*base, addr, align, size, ipa_bits);
	if (!ret)
		*base = addr;
	return ret;
}

int gic_get_base(const struct gic *gic, enum gic_frame frame, uint64_t *addr)
{
	uint64_t size, align, *base;

	base = frame_base((struct gic *)gic, frame, &size, &align);
	if (!base)
		return -ENXIO;
	*addr = *base;
	return 0;
}

/* --- GICv3 redistributor regions (spec 3.4.2-3.4.4) ----------------------- */

/*
 * gic_v3_check_base - vgic_v3_check_base: every region (legacy at its
 * current size) inside the IPA range, none overlapping the distributor.
 */
int gic_v3_check_base(const struct gic *gic, unsigned int ipa_bits)
{
	const struct gic_rdreg *r;
	uint32_t i;

	for (i = 0; i < gic->nr_rdregs; i++) {
		r = &gic->rdregs[i];
		if (check_iorange(GIC_ADDR_UNDEF, r->base, 0x10000,
				  gic_rdreg_size(gic, r), ipa_bits))
			return -EINVAL;
		if (gic->dist_base != GIC_ADDR_UNDEF &&
		    gic_ranges_overlap(r->base, gic_rdreg_size(gic, r),
				       gic->dist_base, GIC_V3_DIST_SIZE))
			return -EINVAL;
	}
	return 0;
}

static int rdreg_order_check(const struct gic *gic, uint32_t index,
			     uint32_t count)
{
	const struct gic_rdreg *last;

	if (!gic->nr_rdregs)
		return index ? -EINVAL : 0;
	last = &gic->rdregs[gic->nr_rdregs - 1];
	if (!count)
		return last->count ? -EINVAL : -EEXIST;
	return index != last->index + 1 ? -EINVAL : 0;
}

static bool rdreg_overlaps_any(const struct gic *gic, uint64_t base,
			       uint64_t size)
{
	uint32_t i;

	for (i = 0; i < gic->nr_rdregs; i++)
		if (gic_ranges_overlap(base, size, gic->rdregs[i].base,
				       gic_rdreg_size(gic, &gic->rdregs[i])))
			return true;
	return false;
}

static int rdreg_check(const struct gic *gic, uint32_t index, uint64_t base,
		       uint32_t count, uint64_t size, unsigned int ipa_bits)
{
	int ret;

	if (base + size < base)
		return -EINVAL;
	ret = rdreg_order_check(gic, index, count);
	if (ret)
		return ret;
	if (!count && gic->dist_base != GIC_ADDR_UNDEF &&
	    gic_ranges_overlap(base, size, gic->dist_base, GIC_V3_DIST_SIZE))
		return -EINVAL;
	if (rdreg_overlaps_any(gic, base, size))
		return -EINVAL;
	return check_iorange(GIC_ADDR_UNDEF, base, 0x10000, size, ipa_bits);
}

/* Undo the assignments made into the last region, then drop it. */
static void rdreg_remove_last(struct gic *gic)
{
	struct gic_rdreg *r = &gic->rdregs[gic->nr_rdregs - 1];
	uint32_t i;

	for (i = 0; i < r->used; i++)
		gic->cpus[r->slot_cpu[i]]->rd_region = -1;
	free(r->slot_cpu);
	gic->nr_rdregs--;
}

static int rdreg_append(struct gic *gic, uint32_t index, uint64_t base,
			uint32_t count)
{
	struct gic_rdreg *regs, *r;

	regs = realloc(gic->rdregs, (gic->nr_rdregs + 1) * sizeof(*regs));
	if (!regs)
		return -ENOMEM;
	gic->rdregs = regs;
	r = &regs[gic->nr_rdregs];
	memset(r, 0, sizeof(*r));
	/* A region never holds more redistributors than there are vCPUs. */
	r->slot_cpu = calloc(count && count < GIC_V3_MAX_CPUS ? count :
								GIC_V3_MAX_CPUS,
			     sizeof(*r->slot_cpu));
	if (!r->slot_cpu)
		return -ENOMEM;
	r->base = base;
	r->index = index;
	r->count = count;
	gic->nr_rdregs++;
	return 0;
}

int gic_v3_add_redist_region(struct gic *gic, uint32_t index, uint64_t base,
			     uint32_t count, uint32_t flags,
			     unsigned int ipa_bits)
{
	uint64_t size;
	uint32_t i;
	int ret;

	if (gic->model != GIC_MODEL_V3)
		return -ENXIO;
	if (count && flags)
		return -EINVAL;
	if (index > GIC_V3_RDIST_INDEX_MAX)
		return -EINVAL;
	size = (uint64_t)(count ? count : gic->nr_vcpus) * GIC_V3_REDIST_SIZE;
	ret = rdreg_check(gic, count ? index : 0, base, count, size, ipa_bits);
	if (ret)
		return ret;
	ret = rdreg_append(gic, count ? index : 0, base, count);
	if (ret)
		return ret;
	for (i = 0; i < gic->nr_vcpus; i++) {
		if (gic->cpus[i]->rd_region >= 0)
			continue;
		ret = gic_rdist_assign(gic, gic->cpus[i], ipa_bits);
		if (ret) {
			rdreg_remove_last(gic);
			return ret;
		}
	}
	return 0;
}

int gic_v3_get_redist_region(const struct gic *gic, uint32_t index,
			     uint64_t *base, uint32_t *count)
{
	uint32_t i;

	if (gic->model != GIC_MODEL_V3)
		return -ENXIO;
	for (i = 0; i < gic->nr_rdregs; i++) {
		if (gic->rdregs[i].index == index) {
			*base = gic->rdregs[i].base;
			*count = gic->rdregs[i].count;
			return 0;
		}
	}
	return -ENOENT;
}

/* Like Linux, attr 3 reads the first region's base, whatever its kind. */
uint64_t gic_v3_legacy_redist_base(const struct gic *gic)
{
	if (gic->model != GIC_MODEL_V3 || !gic->nr_rdregs)
		return GIC_ADDR_UNDEF;
	return gic->rdregs[0].base;
}

/*
 * rdist_is_last - GICR_TYPER.Last (spec 3.4.4): highest used slot of its
 * region, unless the region is full and counted and a region starting at
 * its end holds a redistributor.
 */
static bool rdist_is_last(const struct gic *gic, const struct gic_cpu *cpu)
{
	const struct gic_rdreg *r, *o;
	uint64_t end;
	uint32_t i;

	if (cpu->rd_region < 0)
		return false;
	r = &gic->rdregs[cpu->rd_region];
	if (cpu->rd_slot + 1 != r->used)
		return false;
	if (!r->count || r->used != r->count)
		return true;
	end = r->base + gic_rdreg_size(gic, r);
	for (i = 0; i < gic->nr_rdregs; i++) {
		o = &gic->rdregs[i];
		if (o != r && o->base == end && o->used)
			return false;
	}
	return true;
}

/* gic_redist_typer - GICR_TYPER of @cpu's redistributor (spec 7.4). */
uint64_t gic_redist_typer(const struct gic *gic, const struct gic_cpu *cpu)
{
	uint64_t v = (uint64_t)gic_mpidr_affinity(cpu->mpidr) << 32;

	v |= (uint64_t)(cpu->id & 0xFFFF) << 8;
	if (rdist_is_last(gic, cpu))
		v |= 1u << 4;
	return v;
}
