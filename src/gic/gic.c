// SPDX-License-Identifier: GPL-2.0-or-later
/* gic.c: vGIC life cycle, configuration and per-interrupt state changes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gic/gic_internal.h"

struct gic *gic_create(enum gic_model model, const struct gic_ops *ops,
		       void *opaque)
{
	struct gic *gic;

	if (model != GIC_MODEL_V2 && model != GIC_MODEL_V3)
		return NULL;
	gic = calloc(1, sizeof(*gic));
	if (!gic)
		return NULL;
	gic->model = model;
	gic->ops = ops;
	gic->opaque = opaque;
	gic->revision = GIC_DEFAULT_REVISION;
	gic->dist_base = GIC_ADDR_UNDEF;
	gic->cpu_base = GIC_ADDR_UNDEF;
	gic->cand_words = 1; /* private IRQs only until init */
	gic->max_vcpus = model == GIC_MODEL_V2 ? GIC_V2_MAX_CPUS :
						 GIC_V3_MAX_CPUS;
	gic->cpus = calloc(gic->max_vcpus, sizeof(*gic->cpus));
	if (!gic->cpus || gic_frames_build(gic)) {
		gic_destroy(gic);
		return NULL;
	}
	return gic;
}

void gic_destroy(struct gic *gic)
{
	uint32_t i;

	if (!gic)
		return;
	for (i = 0; i < gic->nr_vcpus; i++)
		free(gic->cpus[i]);
	for (i = 0; i < gic->nr_rdregs; i++)
		free(gic->rdregs[i].slot_cpu);
	free(gic->rdregs);
	free(gic->by_aff);
	free(gic->cpus);
	free(gic->spis);
	gic_frames_free(gic);
	free(gic);
}

enum gic_model gic_get_model(const struct gic *gic)
{
	return gic->model;
}

uint32_t gic_nr_vcpus(const struct gic *gic)
{
	return gic->nr_vcpus;
}

bool gic_initialized(const struct gic *gic)
{
	return gic->initialized;
}

bool gic_ready(const struct gic *gic)
{
	return gic->ready;
}

/* --- interrupts ----------------------------------------------------------- */

/* gic_cpu_get - vCPU number @cpu, or NULL if there is none. */
struct gic_cpu *gic_cpu_get(const struct gic *gic, uint32_t cpu)
{
	return cpu < gic->nr_vcpus ? gic->cpus[cpu] : NULL;
}

/* The GICR_TYPER/IROUTER packing: Aff3 31:24, Aff2 23:16, Aff1 15:8, Aff0. */
uint32_t gic_mpidr_affinity(uint64_t mpidr)
{
	return (uint32_t)(mpidr & 0xFFFFFF) |
	       (uint32_t)((mpidr >> 8) & 0xFF000000);
}

/*
 * gic_cpu_by_affinity - the vCPU whose MPIDR has affinity @aff, or NULL.
 * Binary search once initialized (the vCPU set is then fixed).
 */
struct gic_cpu *gic_cpu_by_affinity(const struct gic *gic, uint32_t aff)
{
	uint32_t i, lo = 0, hi = gic->nr_vcpus, mid;

	if (!gic->by_aff) {
		for (i = 0; i < gic->nr_vcpus; i++)
			if (gic_mpidr_affinity(gic->cpus[i]->mpidr) == aff)
				return gic->cpus[i];
		return NULL;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (gic->by_aff[mid].aff == aff)
			return gic->cpus[gic->by_aff[mid].cpu];
		if (gic->by_aff[mid].aff < aff)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int aff_cmp(const void *a, const void *b)
{
	const struct gic_aff *x = a, *y = b;

	return x->aff < y->aff ? -1 : x->aff > y->aff;
}

static int build_affinity_index(struct gic *gic)
{
	uint32_t i;

	if (gic->model != GIC_MODEL_V3 || !gic->nr_vcpus)
		return 0;
	gic->by_aff = calloc(gic->nr_vcpus, sizeof(*gic->by_aff));
	if (!gic->by_aff)
		return -ENOMEM;
	for (i = 0; i < gic->nr_vcpus; i++) {
		gic->by_aff[i].aff = gic_mpidr_affinity(gic->cpus[i]->mpidr);
		gic->by_aff[i].cpu = i;
	}
	qsort(gic->by_aff, gic->nr_vcpus, sizeof(*gic->by_aff), aff_cmp);
	return 0;
}

/* gic_mark_dirty - @cpu's lines need re-evaluating at the next flush. */
void gic_mark_dirty(struct gic *gic, uint32_t cpu)
{
	if (cpu < GIC_V3_MAX_CPUS) {
		gic->dirty[cpu / 64] |= 1ULL << (cpu % 64);
		gic->any_dirty = true;
	}
}

void gic_mark_all_dirty(struct gic *gic)
{
	uint32_t i;

	for (i = 0; i < gic->nr_vcpus; i++)
		gic_mark_dirty(gic, i);
}

static void cand_set(struct gic *gic, struct gic_irq *irq, bool on)
{
	struct gic_cpu *cpu = gic_cpu_get(gic, irq->target);
	uint64_t bit = 1ULL << (irq->intid % 64);

	if (!cpu)
		return;
	if (on)
		cpu->cand[irq->intid / 64] |= bit;
	else
		cpu->cand[irq->intid / 64] &= ~bit;
	irq->queued = on;
	gic_mark_dirty(gic, irq->target);
}

/*
 * gic_irq_update - after any change of @irq's state: keep its target's
 * candidate set right and mark that vCPU for re-evaluation.
 */
void gic_irq_update(struct gic *gic, struct gic_irq *irq)
{
	bool cand = irq->enabled && !irq->active && gic_irq_pending(irq) &&
		    irq->target != GIC_NO_CPU;

	if (cand || irq->queued)
		cand_set(gic, irq, cand);
}

static uint16_t spi_target(const struct gic *gic, const struct gic_irq *irq)
{
	const struct gic_cpu *cpu;
	uint32_t mask;

	if (gic->model == GIC_MODEL_V2) {
		mask = irq->targets & ((1u << gic->nr_vcpus) - 1);
		return mask ? (uint16_t)__builtin_ctz(mask) : GIC_NO_CPU;
	}
	cpu = gic_cpu_by_affinity(gic, irq->route);
	return cpu ? (uint16_t)cpu->index : GIC_NO_CPU;
}

/* gic_irq_retarget - recompute an SPI's target after ITARGETSR/IROUTER. */
void gic_irq_retarget(struct gic *gic, struct gic_irq *irq)
{
	uint16_t target;

	if (irq->owner != GIC_NO_CPU)
		return;
	target = spi_target(gic, irq);
	if (target == irq->target)
		return;
	if (irq->queued)
		cand_set(gic, irq, false);
	irq->target = target;
	gic_irq_update(gic, irq);
}

/*
 * gic_irq_set_pending - set or clear @irq's pending latch; a GICv2 SGI
 * instead gets (or loses all) source bits, @src being the source.
 */
void gic_irq_set_pending(struct gic *gic, struct gic_irq *irq,
			 struct gic_cpu *src, bool pending)
{
	if (gic->model == GIC_MODEL_V2 && irq->intid < GIC_NR_SGIS) {
		if (!pending)
			irq->sgi_src = 0;
		else if (src)
			irq->sgi_src |= (uint8_t)(1u << src->index);
	} else {
		irq->latch = pending;
	}
	gic_irq_update(gic, irq);
}

static void irq_reset(const struct gic *gic, struct gic_irq *irq,
		      uint32_t intid, uint16_t owner)
{
	memset(irq, 0, sizeof(*irq));
	irq->intid = (uint16_t)intid;
	irq->owner = owner;
	irq->target = owner;
	irq->owned = owner != GIC_NO_CPU && (gic->owned_ppis >> intid) & 1;
	irq->group = gic->model == GIC_MODEL_V3;
	irq->edge = intid >= GIC_NR_PRIVATE_IRQS || intid < GIC_NR_SGIS;
	irq->enabled = intid < GIC_NR_SGIS;
	if (gic->model == GIC_MODEL_V2 && owner != GIC_NO_CPU)
		irq->targets = (uint8_t)(1u << owner);
}

static void cpu_reset_irqs(struct gic *gic, struct gic_cpu *cpu)
{
	uint32_t i;

	memset(cpu->cand, 0, sizeof(cpu->cand));
	for (i = 0; i < GIC_NR_PRIVATE_IRQS; i++)
		irq_reset(gic, &cpu->priv[i], i, (uint16_t)cpu->index);
	for (i = 0; i < GIC_NR_PRIVATE_IRQS; i++)
		gic_irq_update(gic, &cpu->priv[i]);
}

/* --- vCPUs and redistributors --------------------------------------------- */

int gic_add_vcpu(struct gic *gic, uint32_t cpu, uint32_t id, uint64_t mpidr,
		 unsigned int ipa_bits)
{
	struct gic_cpu *c;
	int ret;

	if (gic->initialized)
		return -EBUSY;
	if (gic->nr_vcpus >= gic->max_vcpus)
		return -E2BIG;
	if (cpu != gic->nr_vcpus)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->index = cpu;
	c->id = id;
	c->mpidr = mpidr;
	c->rd_region = -1;
	if (gic->model == GIC_MODEL_V3) {
		/* The legacy region's size counts the vCPUs before this one. */
		ret = gic_rdist_assign(gic, c, ipa_bits);
		if (ret) {
			free(c);
			return ret;
		}
	}
	gic->cpus[cpu] = c;
	gic->nr_vcpus++;
	cpu_reset_irqs(gic, c);
	gic_cpu_reset(gic, c);
	return 0;
}

/* --- NR_IRQS, init, first run --------------------------------------------- */

int gic_set_nr_irqs(struct gic *gic, uint32_t nr)
{
	if (nr < 64 || nr > GIC_MAX_NR_IRQS || nr % 32)
		return -EINVAL;
	if (gic->nr_spis)
		return -EBUSY;
	gic->nr_spis = nr - GIC_NR_PRIVATE_IRQS;
	return 0;
}

uint32_t gic_get_nr_irqs(const struct gic *gic)
{
	return gic->nr_spis + GIC_NR_PRIVATE_IRQS;
}

int gic_init(struct gic *gic)
{
	uint32_t i;

	if (gic->initialized)
		return 0;
	if (!gic->nr_spis)
		gic->nr_spis = GIC_DEFAULT_NR_IRQS - GIC_NR_PRIVATE_IRQS;
	if (build_affinity_index(gic))
		return -ENOMEM;
	gic->spis = calloc(gic->nr_spis, sizeof(*gic->spis));
	if (!gic->spis) {
		free(gic->by_aff);
		gic->by_aff = NULL;
		return -ENOMEM;
	}
	gic->cand_words = (gic->nr_spis + GIC_NR_PRIVATE_IRQS + 63) / 64;
	for (i = 0; i < gic->nr_spis; i++) {
		irq_reset(gic, &gic->spis[i], i + GIC_NR_PRIVATE_IRQS,
			  GIC_NO_CPU);
		gic->spis[i].target = spi_target(gic, &gic->spis[i]);
	}
	for (i = 0; i < gic->nr_vcpus; i++) {
		cpu_reset_irqs(gic, gic->cpus[i]);
		gic_cpu_reset(gic, gic->cpus[i]);
	}
	gic->enabled = false;
	gic->initialized = true;
	gic_flush(gic);
	return 0;
}

static int map_resources_v2(struct gic *gic)
{
	if (gic->dist_base == GIC_ADDR_UNDEF || gic->cpu_base == GIC_ADDR_UNDEF)
		return -ENXIO;
	if (gic_ranges_overlap(gic->dist_base, GIC_V2_DIST_SIZE, gic->cpu_base,
			       GIC_V2_CPU_SIZE))
		return -EINVAL;
	return gic_init(gic);
}

static int map_resources_v3(struct gic *gic, unsigned int ipa_bits)
{
	uint32_t i;

	for (i = 0; i < gic->nr_vcpus; i++)
		if (gic->cpus[i]->rd_region < 0)
			return -ENXIO;
	if (gic->dist_base == GIC_ADDR_UNDEF)
		return -ENXIO;
	if (gic_v3_check_base(gic, ipa_bits))
		return -EINVAL;
	if (!gic->initialized)
		return -EBUSY;
	return 0;
}

int gic_map_resources(struct gic *gic, unsigned int ipa_bits)
{
	int ret;

	if (gic->ready)
		return 0;
	if (gic->model == GIC_MODEL_V2)
		ret = map_resources_v2(gic);
	else
		ret = map_resources_v3(gic, ipa_bits);
	if (!ret)
		gic->ready = true;
	return ret;
}

/* --- inputs ----------------------------------------------------------------- */

static void irq_set_line(struct gic *gic, struct gic_irq *irq, bool level)
{
	irq->line = level;
	gic_irq_update(gic, irq);
}

int gic_inject(struct gic *gic, uint32_t cpu, uint32_t intid, bool level,
	       enum gic_who who)
{
	struct gic_irq *irq;

	if (intid < GIC_NR_SGIS)
		return -EINVAL;
	irq = gic_irq_get(
		gic, intid < GIC_NR_PRIVATE_IRQS ? gic_cpu_get(gic, cpu) : NULL,
		intid);
	if (!irq)
		return -EINVAL;
	if (irq->owned && who == GIC_USER)
		return 0;
	if (!irq->edge) {
		if (irq->line == level)
			return 0;
		irq_set_line(gic, irq, level);
	} else if (level) {
		irq->latch = true;
		gic_irq_update(gic, irq);
	}
	gic_flush(gic);
	return 0;
}

void gic_set_owned(struct gic *gic, uint32_t intid)
{
	uint32_t i;

	if (intid < GIC_NR_SGIS || intid >= GIC_NR_PRIVATE_IRQS)
		return;
	gic->owned_ppis |= 1u << intid;
	for (i = 0; i < gic->nr_vcpus; i++)
		gic->cpus[i]->priv[intid].owned = true;
}

/* The IRQs LEVEL_INFO covers: existing ones, SGIs excluded (spec 7.6). */
static struct gic_irq *line_irq(struct gic *gic, struct gic_cpu *c,
				uint32_t intid)
{
	return intid < GIC_NR_SGIS ? NULL : gic_irq_get(gic, c, intid);
}

int gic_line_level_get(struct gic *gic, uint32_t cpu, uint32_t base,
		       uint32_t *bitmap)
{
	struct gic_cpu *c = gic_cpu_get(gic, cpu);
	struct gic_irq *irq;
	uint32_t i;

	if (base % 32)
		return -EINVAL;
	*bitmap = 0;
	for (i = 0; i < 32; i++) {
		irq = line_irq(gic, c, base + i);
		if (irq && !irq->edge && irq->line)
			*bitmap |= 1u << i;
	}
	return 0;
}

int gic_line_level_set(struct gic *gic, uint32_t cpu, uint32_t base,
		       uint32_t bitmap)
{
	struct gic_cpu *c = gic_cpu_get(gic, cpu);
	struct gic_irq *irq;
	uint32_t i;

	if (base % 32)
		return -EINVAL;
	for (i = 0; i < 32; i++) {
		irq = line_irq(gic, c, base + i);
		if (irq)
			irq_set_line(gic, irq, (bitmap >> i) & 1);
	}
	gic_flush(gic);
	return 0;
}

/* --- register access entry points ----------------------------------------- */

/*
 * gic_frame_reg_access - one access to register @r (NULL: none) at
 * @offset of @gic's indexed frame @ix, as vCPU @cpu (or for its banked
 * frame); writes then re-evaluate the lines.  Returns what
 * gic_reg_access returns.
 */
int gic_frame_reg_access(struct gic *gic, int ix, const struct gic_reg *r,
			 struct gic_cpu *cpu, uint32_t offset, unsigned int len,
			 uint64_t *val, bool is_write, enum gic_who who)
{
	struct gic_access a = {
		.gic = gic,
		.cpu = cpu,
		.len = len,
		.who = who,
		.no_private = gic->model == GIC_MODEL_V3 && ix == GIC_IX_DIST,
	};
	int ret;

	if (!is_write)
		*val = 0;
	ret = gic_reg_access(r, &a, offset, val, is_write);
	if (is_write)
		gic_flush(gic);
	return ret;
}

static int frame_access(struct gic *gic, int ix, struct gic_cpu *cpu,
			uint32_t offset, unsigned int len, uint64_t *val,
			bool is_write, enum gic_who who)
{
	return gic_frame_reg_access(gic, ix,
				    gic_frame_reg(&gic->ix[ix], offset), cpu,
				    offset, len, val, is_write, who);
}

int gic_dist_access(struct gic *gic, uint32_t cpu, uint32_t offset,
		    unsigned int len, uint64_t *val, bool is_write,
		    enum gic_who who)
{
	return frame_access(gic, GIC_IX_DIST, gic_cpu_get(gic, cpu), offset,
			    len, val, is_write, who);
}

/* The banked frames: -ENXIO on the other model, -EINVAL unknown vCPU. */
static int cpu_frame_access(struct gic *gic, enum gic_model model, int ix,
			    uint32_t cpu, uint32_t offset, unsigned int len,
			    uint64_t *val, bool is_write, enum gic_who who)
{
	struct gic_cpu *c = gic_cpu_get(gic, cpu);

	if (gic->model != model)
		return -ENXIO;
	if (!c)
		return -EINVAL;
	return frame_access(gic, ix, c, offset, len, val, is_write, who);
}

int gic_cpuif_access(struct gic *gic, uint32_t cpu, uint32_t offset,
		     unsigned int len, uint64_t *val, bool is_write,
		     enum gic_who who)
{
	return cpu_frame_access(gic, GIC_MODEL_V2, GIC_IX_CPU, cpu, offset, len,
				val, is_write, who);
}

int gic_redist_access(struct gic *gic, uint32_t cpu, uint32_t offset,
		      unsigned int len, uint64_t *val, bool is_write,
		      enum gic_who who)
{
	bool sgi = offset >= GIC_V3_REDIST_SIZE / 2;

	return cpu_frame_access(gic, GIC_MODEL_V3,
				sgi ? GIC_IX_SGI : GIC_IX_CPU, cpu,
				sgi ? offset - GIC_V3_REDIST_SIZE / 2 : offset,
				len, val, is_write, who);
}

int gic_dist_has(const struct gic *gic, uint32_t offset)
{
	return gic_frame_has(gic,
			     gic->model == GIC_MODEL_V2 ? &gic_v2_dist_frame :
							  &gic_v3_dist_frame,
			     offset);
}

int gic_cpuif_has(const struct gic *gic, uint32_t offset)
{
	if (gic->model != GIC_MODEL_V2)
		return -ENXIO;
	return gic_frame_has(gic, &gic_v2_cpu_frame, offset);
}

int gic_redist_has(const struct gic *gic, uint32_t offset)
{
	if (gic->model != GIC_MODEL_V3)
		return -ENXIO;
	if (offset >= GIC_V3_REDIST_SIZE / 2)
		return gic_frame_has(gic, &gic_v3_sgi_frame,
				     offset - GIC_V3_REDIST_SIZE / 2);
	return gic_frame_has(gic, &gic_v3_rd_frame, offset);
}

/* --- guest MMIO ------------------------------------------------------------ */

static bool in_frame(uint64_t gpa, uint64_t base, uint64_t size)
{
	return base != GIC_ADDR_UNDEF && gpa >= base && gpa - base < size;
}

static int mmio_redist(struct gic *gic, uint64_t gpa, unsigned int len,
		       uint64_t *val, bool is_write)
{
	const struct gic_rdreg *r;
	uint64_t off;
	uint32_t i, slot;

	for (i = 0; i < gic->nr_rdregs; i++) {
		r = &gic->rdregs[i];
		if (!in_frame(gpa, r->base, gic_rdreg_size(gic, r)))
			continue;
		off = gpa - r->base;
		slot = (uint32_t)(off / GIC_V3_REDIST_SIZE);
		if (slot >= r->used)
			return 0;
		gic_redist_access(gic, r->slot_cpu[slot],
				  (uint32_t)(off % GIC_V3_REDIST_SIZE), len,
				  val, is_write, GIC_GUEST);
		return 1;
	}
	return 0;
}

int gic_mmio(struct gic *gic, uint32_t cpu, uint64_t gpa, unsigned int len,
	     uint64_t *val, bool is_write)
{
	if (!gic->ready || !gic_cpu_get(gic, cpu))
		return 0;
	if (gic->model == GIC_MODEL_V2) {
		if (in_frame(gpa, gic->dist_base, GIC_V2_DIST_SIZE)) {
			gic_dist_access(gic, cpu,
					(uint32_t)(gpa - gic->dist_base), len,
					val, is_write, GIC_GUEST);
			return 1;
		}
		if (in_frame(gpa, gic->cpu_base, GIC_V2_CPU_SIZE)) {
			gic_cpuif_access(gic, cpu,
					 (uint32_t)(gpa - gic->cpu_base), len,
					 val, is_write, GIC_GUEST);
			return 1;
		}
		return 0;
	}
	if (in_frame(gpa, gic->dist_base, GIC_V3_DIST_SIZE)) {
		gic_dist_access(gic, cpu, (uint32_t)(gpa - gic->dist_base), len,
				val, is_write, GIC_GUEST);
		return 1;
	}
	return mmio_redist(gic, gpa, len, val, is_write);
}
