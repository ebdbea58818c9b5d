/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gic_fake.h: helpers for the src/gic unit tests: a fake vCPU set_line
 * callback and ready-made GICv2/GICv3 models with register accessors.
 */
#ifndef VKVM_TESTS_UNIT_GIC_FAKE_H
#define VKVM_TESTS_UNIT_GIC_FAKE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gic/gic.h"

#define FAKE_MAX_CPUS 8
#define IPA_BITS 40
#define IPA_MAX (1ULL << IPA_BITS)
#define V2_DIST 0x08000000ULL
#define V2_CPU 0x08010000ULL
#define V3_DIST 0x08000000ULL
#define V3_REDIST 0x080A0000ULL

/* ICC encodings (spec 7.5). */
#define ICC_PMR 0xC230
#define ICC_IAR0 0xC640
#define ICC_EOIR0 0xC641
#define ICC_HPPIR0 0xC642
#define ICC_BPR0 0xC643
#define ICC_AP0R0 0xC644
#define ICC_AP1R0 0xC648
#define ICC_DIR 0xC659
#define ICC_RPR 0xC65B
#define ICC_SGI1R 0xC65D
#define ICC_ASGI1R 0xC65E
#define ICC_SGI0R 0xC65F
#define ICC_IAR1 0xC660
#define ICC_EOIR1 0xC661
#define ICC_HPPIR1 0xC662
#define ICC_BPR1 0xC663
#define ICC_CTLR 0xC664
#define ICC_SRE 0xC665
#define ICC_IGRPEN0 0xC666
#define ICC_IGRPEN1 0xC667

struct fake {
	bool irq[FAKE_MAX_CPUS];
	bool fiq[FAKE_MAX_CPUS];
	int calls;
};

static inline void fake_set_line(void *opaque, uint32_t cpu, bool irq, bool fiq)
{
	struct fake *f = opaque;

	f->calls++;
	if (cpu < FAKE_MAX_CPUS) {
		f->irq[cpu] = irq;
		f->fiq[cpu] = fiq;
	}
}

static const struct gic_ops fake_ops = { fake_set_line };

/* The default MPIDR of vCPU @id (spec 1.5). */
static inline uint64_t fake_mpidr(uint32_t id)
{
	return (1ULL << 31) | (id & 0xF) | ((uint64_t)(id >> 4) & 0xFF) << 8;
}

/* A model with @n vCPUs (ids 0..n-1), not initialized, no addresses. */
static inline struct gic *fake_gic(enum gic_model m, struct fake *f, uint32_t n)
{
	struct gic *gic = gic_create(m, &fake_ops, f);
	uint32_t i;

	for (i = 0; gic && i < n; i++)
		if (gic_add_vcpu(gic, i, i, fake_mpidr(i), IPA_BITS))
			goto err;
	return gic;
err:
	gic_destroy(gic);
	return NULL;
}

/* A ready model (addresses set, initialized, mapped) with @n vCPUs. */
static inline struct gic *fake_ready(enum gic_model m, struct fake *f,
				     uint32_t n)
{
	struct gic *gic = fake_gic(m, f, n);

	if (!gic)
		return NULL;
	if (m == GIC_MODEL_V2) {
		if (gic_set_base(gic, GIC_FRAME_V2_DIST, V2_DIST, IPA_BITS) ||
		    gic_set_base(gic, GIC_FRAME_V2_CPU, V2_CPU, IPA_BITS))
			goto err;
	} else {
		if (gic_set_base(gic, GIC_FRAME_V3_DIST, V3_DIST, IPA_BITS) ||
		    gic_v3_add_redist_region(gic, 0, V3_REDIST, 0, 0,
					     IPA_BITS) ||
		    gic_init(gic))
			goto err;
	}
	if (gic_map_resources(gic, IPA_BITS))
		goto err;
	return gic;
err:
	gic_destroy(gic);
	return NULL;
}

/* Register accessors: 32-bit unless said, @cpu the accessing vCPU. */
static inline uint32_t gd_rd(struct gic *g, uint32_t cpu, uint32_t off,
			     enum gic_who who)
{
	uint64_t v = 0xDEAD;

	if (gic_dist_access(g, cpu, off, 4, &v, false, who))
		return 0xDEADBEEF;
	return (uint32_t)v;
}

static inline int gd_wr(struct gic *g, uint32_t cpu, uint32_t off, uint32_t val,
			enum gic_who who)
{
	uint64_t v = val;

	return gic_dist_access(g, cpu, off, 4, &v, true, who);
}

static inline uint32_t gr_rd(struct gic *g, uint32_t cpu, uint32_t off,
			     enum gic_who who)
{
	uint64_t v = 0xDEAD;

	if (gic_redist_access(g, cpu, off, 4, &v, false, who))
		return 0xDEADBEEF;
	return (uint32_t)v;
}

static inline int gr_wr(struct gic *g, uint32_t cpu, uint32_t off, uint32_t val,
			enum gic_who who)
{
	uint64_t v = val;

	return gic_redist_access(g, cpu, off, 4, &v, true, who);
}

static inline uint32_t gc_rd(struct gic *g, uint32_t cpu, uint32_t off,
			     enum gic_who who)
{
	uint64_t v = 0xDEAD;

	if (gic_cpuif_access(g, cpu, off, 4, &v, false, who))
		return 0xDEADBEEF;
	return (uint32_t)v;
}

static inline int gc_wr(struct gic *g, uint32_t cpu, uint32_t off, uint32_t val,
			enum gic_who who)
{
	uint64_t v = val;

	return gic_cpuif_access(g, cpu, off, 4, &v, true, who);
}

static inline uint64_t icc_rd(struct gic *g, uint32_t cpu, uint16_t enc,
			      enum gic_who who)
{
	uint64_t v = 0xDEAD;

	if (gic_icc_access(g, cpu, enc, &v, false, who))
		return 0xDEADBEEF;
	return v;
}

static inline int icc_wr(struct gic *g, uint32_t cpu, uint16_t enc,
			 uint64_t val, enum gic_who who)
{
	return gic_icc_access(g, cpu, enc, &val, true, who);
}

/* A ready GICv3 with everything enabled for group 1 on every vCPU. */
static inline struct gic *v3_on(struct fake *f, uint32_t n)
{
	struct gic *g = fake_ready(GIC_MODEL_V3, f, n);
	uint32_t i;

	if (!g)
		return NULL;
	gd_wr(g, 0, 0x0, 0x2, GIC_GUEST);
	for (i = 0; i < n; i++) {
		icc_wr(g, i, ICC_PMR, 0xF0, GIC_GUEST);
		icc_wr(g, i, ICC_IGRPEN1, 1, GIC_GUEST);
		icc_wr(g, i, ICC_IGRPEN0, 1, GIC_GUEST);
	}
	return g;
}

/* A ready GICv2 with the distributor and every CPU interface enabled. */
static inline struct gic *v2_on(struct fake *f, uint32_t n)
{
	struct gic *g = fake_ready(GIC_MODEL_V2, f, n);
	uint32_t i;

	if (!g)
		return NULL;
	gd_wr(g, 0, 0x0, 0x1, GIC_GUEST);
	for (i = 0; i < n; i++) {
		gc_wr(g, i, 0x04, 0xF0, GIC_GUEST);
		gc_wr(g, i, 0x00, 0x3, GIC_GUEST);
	}
	return g;
}

#endif /* VKVM_TESTS_UNIT_GIC_FAKE_H */
