// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gic_regs.c: the register table walker (lookup, width check, dispatch)
 * and the per-interrupt register handlers shared by the GICv2
 * distributor, the GICv3 distributor and the GICv3 SGI_base frame.
 */
#include <errno.h>

#include "gic/gic_internal.h"

/* gic_reg_find - binary search of @f (sorted by offset) for @offset. */
const struct gic_reg *gic_reg_find(const struct gic_frame_desc *f,
				   uint32_t offset)
{
	size_t lo = 0, hi = f->nr, mid;
	const struct gic_reg *r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = &f->regs[mid];
		if (offset < r->offset)
			hi = mid;
		else if (offset - r->offset >= r->len)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

/* check_access - @len is an allowed width of @r and @offset is aligned. */
static bool check_access(const struct gic_reg *r, uint32_t offset,
			 unsigned int len)
{
	if (len == 0 || len > 8 || (len & (len - 1)))
		return false;
	return (r->widths & (1u << len)) && !(offset & (len - 1));
}

static uint64_t len_mask(unsigned int len)
{
	return len >= 8 ? UINT64_MAX : (1ULL << (8 * len)) - 1;
}

/*
 * gic_reg_access - serve one access at frame offset @offset to register
 * @r (NULL: none there).  No register, bad widths and guest-only
 * registers from userspace are RAZ/WI and return 0; a handler's error
 * (user writes only) is returned.
 */
int gic_reg_access(const struct gic_reg *r, struct gic_access *a,
		   uint32_t offset, uint64_t *val, bool is_write)
{
	bool user = a->who == GIC_USER;
	gic_write_fn wr;
	gic_read_fn rd;
	uint32_t rel;

	if (!r || !check_access(r, offset, a->len))
		return 0;
	if (user && (r->flags & GIC_REG_GUEST_ONLY))
		return 0;
	rel = offset - r->offset;
	a->offset = rel;
	a->intid = 0;
	if (r->bits_per_irq) {
		/* Powers of two (gic_frames.c checks): no division. */
		a->intid = (uint32_t)(((uint64_t)rel * 8) >>
				      __builtin_ctz(r->bits_per_irq));
		a->offset = rel & ((r->bits_per_irq + 7) / 8 - 1);
	}
	if (is_write) {
		wr = user && r->uwrite ? r->uwrite : r->write;
		return wr ? wr(a, *val & len_mask(a->len)) : 0;
	}
	rd = user && r->uread ? r->uread : r->read;
	*val = rd ? rd(a) & len_mask(a->len) : 0;
	return 0;
}

/*
 * gic_frame_has - HAS_ATTR (spec 3.8.1, 3.8.2): 4-byte aligned, a register
 * userspace may access, and for per-IRQ registers an INTID below nr_irqs.
 */
int gic_frame_has(const struct gic *gic, const struct gic_frame_desc *f,
		  uint32_t offset)
{
	const struct gic_reg *r = gic_reg_find(f, offset);
	uint64_t intid;

	if (offset % 4 || !r || (r->flags & GIC_REG_GUEST_ONLY))
		return -ENXIO;
	if (r->bits_per_irq) {
		intid = (uint64_t)(offset - r->offset) * 8 / r->bits_per_irq;
		if (intid >= gic_get_nr_irqs(gic))
			return -ENXIO;
	}
	return 0;
}

/* --- plain helpers ---------------------------------------------------------- */

uint64_t gic_read_raz(const struct gic_access *a)
{
	return 0;
}

uint64_t gic_read_rao(const struct gic_access *a)
{
	return UINT64_MAX;
}

int gic_write_wi(const struct gic_access *a, uint64_t val)
{
	return 0;
}

/* ID registers at 0xFFD0: only PIDR2 (0xFFE8) is non-zero, ArchRev 3. */
uint64_t gic_read_pidr2(const struct gic_access *a)
{
	return a->offset == 0xFFE8 - 0xFFD0 ? 0x3B : 0;
}

uint64_t gic_read_iidr(const struct gic_access *a)
{
	return GIC_IIDR_PRODUCT |
	       (uint32_t)a->gic->revision << GIC_IIDR_REV_SHIFT | GIC_IIDR_IMPL;
}

/*
 * gicd_uwrite_iidr - user GICD_IIDR write (spec 7.1, 7.3): only Revision
 * may differ, and must be 2 or 3 (-EINVAL).  On GICv2 it also unlocks user
 * IGROUPR writes.
 */
int gicd_uwrite_iidr(const struct gic_access *a, uint64_t val)
{
	uint32_t rev = (uint32_t)(val & GIC_IIDR_REV_MASK) >>
		       GIC_IIDR_REV_SHIFT;

	if ((val ^ gic_read_iidr(a)) & ~(uint64_t)GIC_IIDR_REV_MASK)
		return -EINVAL;
	if (rev != 2 && rev != 3)
		return -EINVAL;
	a->gic->revision = (uint8_t)rev;
	a->gic->iidr_written = true;
	return 0;
}

/* --- per-IRQ registers ------------------------------------------------------ */

/* Setters return whether the state changed (then delivery is updated). */
typedef bool (*irq_set_fn)(const struct gic_access *a, struct gic_irq *irq,
			   uint32_t field);
typedef uint32_t (*irq_get_fn)(const struct gic_irq *irq);

/*
 * irq_span - the state of the @n INTIDs from a->intid, contiguous in
 * memory (an aligned access never mixes private IRQs and SPIs); *@count
 * of them exist, the rest are RAZ/WI.
 */
static struct gic_irq *irq_span(const struct gic_access *a, uint32_t n,
				uint32_t *count)
{
	const struct gic *gic = a->gic;
	uint32_t intid = a->intid, left;

	*count = 0;
	if (intid < GIC_NR_PRIVATE_IRQS) {
		if (a->no_private || !a->cpu)
			return NULL;
		left = GIC_NR_PRIVATE_IRQS - intid;
		*count = n < left ? n : left;
		return &a->cpu->priv[intid];
	}
	intid -= GIC_NR_PRIVATE_IRQS;
	if (!gic->spis || intid >= gic->nr_spis)
		return NULL;
	left = gic->nr_spis - intid;
	*count = n < left ? n : left;
	return &gic->spis[intid];
}

static bool is_v2_sgi(const struct gic_access *a, const struct gic_irq *irq)
{
	return a->gic->model == GIC_MODEL_V2 && irq->intid < GIC_NR_SGIS;
}

static uint64_t read_fields(const struct gic_access *a, unsigned int bits,
			    irq_get_fn get)
{
	uint32_t i, n;
	struct gic_irq *irq = irq_span(a, a->len * 8 / bits, &n);
	uint64_t v = 0;

	for (i = 0; i < n; i++)
		v |= (uint64_t)get(&irq[i]) << (i * bits);
	return v;
}

/* for_each_field - call @set for every IRQ of the access with its field
 * of @bits bits; @ones_only skips zero fields (W1S/W1C registers). */
static void for_each_field(const struct gic_access *a, uint64_t val,
			   unsigned int bits, bool ones_only, irq_set_fn set)
{
	uint32_t i, n, field;
	struct gic_irq *irq = irq_span(a, a->len * 8 / bits, &n);

	for (i = 0; i < n; i++) {
		field = (uint32_t)(val >> (i * bits)) & ((1u << bits) - 1);
		if (ones_only && !field)
			continue;
		if (set(a, &irq[i], field))
			gic_irq_update(a->gic, &irq[i]);
	}
}

/*
 * Plain one-bit-per-IRQ state (group, enable, active, pending latch):
 * @field is the offset of the bool in struct gic_irq.
 */
enum flag_op { FLAG_SET, FLAG_CLEAR, FLAG_EXACT };

static bool *irq_flag(struct gic_irq *irq, size_t field)
{
	return (bool *)((char *)irq + field);
}

static uint64_t read_flags(const struct gic_access *a, size_t field)
{
	uint32_t i, n;
	struct gic_irq *irq = irq_span(a, a->len * 8, &n);
	uint64_t v = 0;

	for (i = 0; i < n; i++)
		v |= (uint64_t)*irq_flag(&irq[i], field) << i;
	return v;
}

static int write_flags(const struct gic_access *a, uint64_t val, size_t field,
		       enum flag_op op)
{
	uint32_t i, n;
	struct gic_irq *irq = irq_span(a, a->len * 8, &n);
	bool bit, *flag;

	for (i = 0; i < n; i++) {
		bit = (val >> i) & 1;
		if (op != FLAG_EXACT && !bit)
			continue;
		flag = irq_flag(&irq[i], field);
		bit = op == FLAG_EXACT ? bit : op == FLAG_SET;
		if (*flag == bit)
			continue;
		*flag = bit;
		gic_irq_update(a->gic, &irq[i]);
	}
	return 0;
}

#define GROUP offsetof(struct gic_irq, group)
#define ENABLED offsetof(struct gic_irq, enabled)
#define ACTIVE offsetof(struct gic_irq, active)
#define LATCH offsetof(struct gic_irq, latch)

uint64_t gicd_read_igroupr(const struct gic_access *a)
{
	return read_flags(a, GROUP);
}

int gicd_write_igroupr(const struct gic_access *a, uint64_t val)
{
	return write_flags(a, val, GROUP, FLAG_EXACT);
}

uint64_t gicd_read_isenabler(const struct gic_access *a)
{
	return read_flags(a, ENABLED);
}

int gicd_write_isenabler(const struct gic_access *a, uint64_t val)
{
	return write_flags(a, val, ENABLED, FLAG_SET);
}

int gicd_write_icenabler(const struct gic_access *a, uint64_t val)
{
	return write_flags(a, val, ENABLED, FLAG_CLEAR);
}

/* A guest cannot change a GICv2 SGI's pending state through I[SC]PENDR
 * (IHI 0048B 4.3.7: use GICD_[SC]PENDSGIR); userspace can. */
static bool set_pending(const struct gic_access *a, struct gic_irq *irq,
			uint32_t field)
{
	if (a->who == GIC_GUEST && is_v2_sgi(a, irq))
		return false;
	gic_irq_set_pending(a->gic, irq, a->cpu, true);
	return false; /* gic_irq_set_pending updated delivery */
}

static bool clear_pending(const struct gic_access *a, struct gic_irq *irq,
			  uint32_t field)
{
	if (a->who == GIC_GUEST && is_v2_sgi(a, irq))
		return false;
	gic_irq_set_pending(a->gic, irq, a->cpu, false);
	return false;
}

static uint32_t get_pending(const struct gic_irq *irq)
{
	return gic_irq_pending(irq);
}

uint64_t gicd_read_ispendr(const struct gic_access *a)
{
	return read_fields(a, 1, get_pending);
}

int gicd_write_ispendr(const struct gic_access *a, uint64_t val)
{
	for_each_field(a, val, 1, true, set_pending);
	return 0;
}

int gicd_write_icpendr(const struct gic_access *a, uint64_t val)
{
	for_each_field(a, val, 1, true, clear_pending);
	return 0;
}

/* GICv3 user ISPENDR (spec 7.3): reads and writes the latch exactly. */
uint64_t gicd_uread_ispendr_latch(const struct gic_access *a)
{
	return read_flags(a, LATCH);
}

int gicd_uwrite_ispendr_exact(const struct gic_access *a, uint64_t val)
{
	return write_flags(a, val, LATCH, FLAG_EXACT);
}

uint64_t gicd_read_isactiver(const struct gic_access *a)
{
	return read_flags(a, ACTIVE);
}

int gicd_write_isactiver(const struct gic_access *a, uint64_t val)
{
	return write_flags(a, val, ACTIVE, FLAG_SET);
}

int gicd_write_icactiver(const struct gic_access *a, uint64_t val)
{
	return write_flags(a, val, ACTIVE, FLAG_CLEAR);
}

static uint32_t get_priority(const struct gic_irq *irq)
{
	return irq->priority;
}

static bool set_priority(const struct gic_access *a, struct gic_irq *irq,
			 uint32_t field)
{
	uint8_t p = (uint8_t)(field & GIC_PRIO_MASK);
	bool changed = irq->priority != p;

	irq->priority = p;
	return changed;
}

uint64_t gicd_read_ipriorityr(const struct gic_access *a)
{
	return read_fields(a, 8, get_priority);
}

int gicd_write_ipriorityr(const struct gic_access *a, uint64_t val)
{
	for_each_field(a, val, 8, false, set_priority);
	return 0;
}

/* ICFGR: bit 1 of each field is "edge"; private IRQs are read-only. */
static uint32_t get_config(const struct gic_irq *irq)
{
	return irq->edge ? 2 : 0;
}

static bool set_config(const struct gic_access *a, struct gic_irq *irq,
		       uint32_t field)
{
	bool edge = field & 2;

	if (irq->intid < GIC_NR_PRIVATE_IRQS || irq->edge == edge)
		return false;
	irq->edge = edge;
	return true;
}

uint64_t gicd_read_icfgr(const struct gic_access *a)
{
	return read_fields(a, 2, get_config);
}

int gicd_write_icfgr(const struct gic_access *a, uint64_t val)
{
	for_each_field(a, val, 2, false, set_config);
	return 0;
}
