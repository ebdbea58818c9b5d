// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gic_icc.c: the GICv3 CPU interface system registers (ICC_*_EL1), one
 * table keyed by the op0/op1/CRn/CRm/op2 encoding, serving the guest's
 * MRS/MSR and the CPU_SYSREGS attributes (spec 7.5, IHI 0069 12.2).
 */
#include <errno.h>

#include "gic/gic_internal.h"

#define ICC_CTLR_CBPR (1u << 0)
#define ICC_CTLR_EOIMODE (1u << 1)
#define ICC_CTLR_PRIBITS_SHIFT 8
#define ICC_CTLR_IDBITS_SHIFT 11
#define ICC_CTLR_SEIS (1u << 14)
#define ICC_CTLR_A3V (1u << 15)
#define ICC_PRIBITS 4 /* 5 priority bits, minus one */
#define ICC_SRE_VALUE 0x7u

struct icc_ctx {
	struct gic *gic;
	struct gic_cpu *cpu;
	uint16_t enc;
	enum gic_who who;
};

typedef int (*icc_read_fn)(const struct icc_ctx *c, uint64_t *val);
typedef int (*icc_write_fn)(const struct icc_ctx *c, uint64_t val);

struct gic_sysreg {
	uint16_t enc;
	uint8_t flags; /* GIC_REG_GUEST_ONLY */
	icc_read_fn read;
	icc_write_fn write;
};

static void dirty(const struct icc_ctx *c)
{
	gic_mark_dirty(c->gic, c->cpu->index);
}

static int icc_read_raz(const struct icc_ctx *c, uint64_t *val)
{
	*val = 0;
	return 0;
}

static int icc_write_wi(const struct icc_ctx *c, uint64_t val)
{
	return 0;
}

static int icc_read_pmr(const struct icc_ctx *c, uint64_t *val)
{
	*val = c->cpu->pmr;
	return 0;
}

static int icc_write_pmr(const struct icc_ctx *c, uint64_t val)
{
	c->cpu->pmr = (uint8_t)(val & GIC_PRIO_MASK);
	dirty(c);
	return 0;
}

static uint8_t clamp_bpr(uint64_t val, uint8_t min)
{
	return (uint8_t)((val & 7) < min ? min : (val & 7));
}

static int icc_read_bpr0(const struct icc_ctx *c, uint64_t *val)
{
	*val = c->cpu->bpr0;
	return 0;
}

static int icc_write_bpr0(const struct icc_ctx *c, uint64_t val)
{
	c->cpu->bpr0 = clamp_bpr(val, GIC_MIN_BPR0);
	dirty(c);
	return 0;
}

/* With CBPR set, BPR1 reads BPR0 + 1 (saturated) and ignores writes. */
static int icc_read_bpr1(const struct icc_ctx *c, uint64_t *val)
{
	if (c->cpu->cbpr)
		*val = c->cpu->bpr0 < 7 ? c->cpu->bpr0 + 1u : 7u;
	else
		*val = c->cpu->bpr1;
	return 0;
}

static int icc_write_bpr1(const struct icc_ctx *c, uint64_t val)
{
	if (!c->cpu->cbpr) {
		c->cpu->bpr1 = clamp_bpr(val, GIC_MIN_BPR1);
		dirty(c);
	}
	return 0;
}

/*
 * AP0R<n>/AP1R<n>: with 5 priority bits only index 0 exists; userspace
 * gets -EINVAL for the others (spec 7.5), the guest RAZ/WI.
 */
static uint32_t *apr_reg(const struct icc_ctx *c, int *err)
{
	*err = 0;
	if (c->enc & 3) {
		*err = c->who == GIC_USER ? -EINVAL : 0;
		return NULL;
	}
	return c->enc >= 0xC648 ? &c->cpu->apr1 : &c->cpu->apr0;
}

static int icc_read_apr(const struct icc_ctx *c, uint64_t *val)
{
	int err;
	uint32_t *r = apr_reg(c, &err);

	*val = r ? *r : 0;
	return err;
}

static int icc_write_apr(const struct icc_ctx *c, uint64_t val)
{
	int err;
	uint32_t *r = apr_reg(c, &err);

	if (r) {
		*r = (uint32_t)val;
		dirty(c);
	}
	return err;
}

static uint64_t ctlr_value(const struct gic_cpu *cpu)
{
	return (cpu->cbpr ? ICC_CTLR_CBPR : 0) |
	       (cpu->eoimode ? ICC_CTLR_EOIMODE : 0) |
	       ICC_PRIBITS << ICC_CTLR_PRIBITS_SHIFT;
}

static int icc_read_ctlr(const struct icc_ctx *c, uint64_t *val)
{
	*val = ctlr_value(c->cpu);
	return 0;
}

/*
 * icc_write_ctlr - only CBPR and EOImode are stored; a user value with
 * more PRIbits or IDbits than ours, or another SEIS/A3V, is -EINVAL.
 */
static int icc_write_ctlr(const struct icc_ctx *c, uint64_t val)
{
	if (c->who == GIC_USER) {
		if (((val >> ICC_CTLR_PRIBITS_SHIFT) & 7) > ICC_PRIBITS ||
		    ((val >> ICC_CTLR_IDBITS_SHIFT) & 7) > 0 ||
		    (val & (ICC_CTLR_SEIS | ICC_CTLR_A3V)))
			return -EINVAL;
	}
	c->cpu->cbpr = val & ICC_CTLR_CBPR;
	c->cpu->eoimode = val & ICC_CTLR_EOIMODE;
	dirty(c);
	return 0;
}

static int icc_read_sre(const struct icc_ctx *c, uint64_t *val)
{
	*val = ICC_SRE_VALUE;
	return 0;
}

static int icc_write_sre(const struct icc_ctx *c, uint64_t val)
{
	return c->who == GIC_USER && !(val & 1) ? -EINVAL : 0;
}

static int icc_read_igrpen(const struct icc_ctx *c, uint64_t *val)
{
	*val = (c->enc & 1) ? c->cpu->grpen1 : c->cpu->grpen0;
	return 0;
}

static int icc_write_igrpen(const struct icc_ctx *c, uint64_t val)
{
	if (c->enc & 1)
		c->cpu->grpen1 = val & 1;
	else
		c->cpu->grpen0 = val & 1;
	dirty(c);
	return 0;
}

/* Guest-only registers: IAR/EOIR/HPPIR of both groups, DIR, RPR, SGIs. */
static int icc_grp(const struct icc_ctx *c)
{
	return c->enc >= 0xC660; /* IAR1/EOIR1/HPPIR1 vs IAR0/EOIR0/HPPIR0 */
}

static int icc_read_iar(const struct icc_ctx *c, uint64_t *val)
{
	*val = gic_cpu_ack(c->gic, c->cpu, icc_grp(c));
	return 0;
}

static int icc_write_eoir(const struct icc_ctx *c, uint64_t val)
{
	gic_cpu_eoi(c->gic, c->cpu, (uint32_t)val, icc_grp(c));
	return 0;
}

static int icc_read_hppir(const struct icc_ctx *c, uint64_t *val)
{
	*val = gic_cpu_hppir(c->gic, c->cpu, icc_grp(c));
	return 0;
}

static int icc_write_dir(const struct icc_ctx *c, uint64_t val)
{
	gic_cpu_dir(c->gic, c->cpu, (uint32_t)val);
	return 0;
}

static int icc_read_rpr(const struct icc_ctx *c, uint64_t *val)
{
	*val = gic_cpu_rpr(c->cpu);
	return 0;
}

static int icc_write_sgi1r(const struct icc_ctx *c, uint64_t val)
{
	gic_v3_send_sgi(c->gic, c->cpu, val, true);
	return 0;
}

/* With DS = 1 there is no other Security state: ASGI1R acts as SGI0R. */
static int icc_write_sgi0r(const struct icc_ctx *c, uint64_t val)
{
	gic_v3_send_sgi(c->gic, c->cpu, val, false);
	return 0;
}

#define G GIC_REG_GUEST_ONLY

static const struct gic_sysreg icc_regs[] = {
	{ 0xC230, 0, icc_read_pmr, icc_write_pmr }, /* PMR */
	{ 0xC640, G, icc_read_iar, icc_write_wi }, /* IAR0 */
	{ 0xC641, G, icc_read_raz, icc_write_eoir }, /* EOIR0 */
	{ 0xC642, G, icc_read_hppir, icc_write_wi }, /* HPPIR0 */
	{ 0xC643, 0, icc_read_bpr0, icc_write_bpr0 }, /* BPR0 */
	{ 0xC644, 0, icc_read_apr, icc_write_apr }, /* AP0R0 */
	{ 0xC645, 0, icc_read_apr, icc_write_apr }, /* AP0R1 */
	{ 0xC646, 0, icc_read_apr, icc_write_apr }, /* AP0R2 */
	{ 0xC647, 0, icc_read_apr, icc_write_apr }, /* AP0R3 */
	{ 0xC648, 0, icc_read_apr, icc_write_apr }, /* AP1R0 */
	{ 0xC649, 0, icc_read_apr, icc_write_apr }, /* AP1R1 */
	{ 0xC64A, 0, icc_read_apr, icc_write_apr }, /* AP1R2 */
	{ 0xC64B, 0, icc_read_apr, icc_write_apr }, /* AP1R3 */
	{ 0xC659, G, icc_read_raz, icc_write_dir }, /* DIR */
	{ 0xC65B, G, icc_read_rpr, icc_write_wi }, /* RPR */
	{ 0xC65D, G, icc_read_raz, icc_write_sgi1r }, /* SGI1R */
	{ 0xC65E, G, icc_read_raz, icc_write_sgi0r }, /* ASGI1R */
	{ 0xC65F, G, icc_read_raz, icc_write_sgi0r }, /* SGI0R */
	{ 0xC660, G, icc_read_iar, icc_write_wi }, /* IAR1 */
	{ 0xC661, G, icc_read_raz, icc_write_eoir }, /* EOIR1 */
	{ 0xC662, G, icc_read_hppir, icc_write_wi }, /* HPPIR1 */
	{ 0xC663, 0, icc_read_bpr1, icc_write_bpr1 }, /* BPR1 */
	{ 0xC664, 0, icc_read_ctlr, icc_write_ctlr }, /* CTLR */
	{ 0xC665, 0, icc_read_sre, icc_write_sre }, /* SRE */
	{ 0xC666, 0, icc_read_igrpen, icc_write_igrpen }, /* IGRPEN0 */
	{ 0xC667, 0, icc_read_igrpen, icc_write_igrpen }, /* IGRPEN1 */
};

#define ICC_NR (sizeof(icc_regs) / sizeof(icc_regs[0]))

/* The index slot of @enc: ICC_PMR_EL1, then op0 3, op1 0, CRn 12,
 * CRm 8-12 (IHI 0069 12.1); GIC_ICC_SLOTS for anything else. */
static unsigned int icc_slot(uint16_t enc)
{
	if (enc == 0xC230)
		return 0;
	if (enc >= 0xC640 && enc - 0xC640u < GIC_ICC_SLOTS - 1)
		return 1 + (enc - 0xC640u);
	return GIC_ICC_SLOTS;
}

/* gic_icc_index_build - @gic->icc_row from the one table: 0, or -EINVAL
 * if a row has no slot (a bug). */
int gic_icc_index_build(struct gic *gic)
{
	for (size_t i = 0; i < ICC_NR; i++) {
		unsigned int slot = icc_slot(icc_regs[i].enc);

		if (slot == GIC_ICC_SLOTS)
			return -EINVAL;
		gic->icc_row[slot] = (uint8_t)(i + 1);
	}
	return 0;
}

static const struct gic_sysreg *icc_find(const struct gic *gic, uint16_t enc)
{
	unsigned int slot = icc_slot(enc);

	if (slot == GIC_ICC_SLOTS || !gic->icc_row[slot])
		return NULL;
	return &icc_regs[gic->icc_row[slot] - 1];
}

int gic_icc_access(struct gic *gic, uint32_t cpu, uint16_t enc, uint64_t *val,
		   bool is_write, enum gic_who who)
{
	const struct gic_sysreg *r = icc_find(gic, enc);
	struct icc_ctx c = { gic, gic_cpu_get(gic, cpu), enc, who };
	int ret;

	if (gic->model != GIC_MODEL_V3)
		return -ENXIO;
	if (!c.cpu)
		return -EINVAL;
	if (!r || (who == GIC_USER && (r->flags & GIC_REG_GUEST_ONLY)))
		return -ENOENT;
	if (!is_write)
		return r->read(&c, val);
	ret = r->write(&c, *val);
	gic_flush(gic);
	return ret;
}

int gic_icc_has(const struct gic *gic, uint16_t enc)
{
	const struct gic_sysreg *r = icc_find(gic, enc);

	if (gic->model != GIC_MODEL_V3 || !r || (r->flags & GIC_REG_GUEST_ONLY))
		return -ENXIO;
	return 0;
}
