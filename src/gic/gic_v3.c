// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gic_v3.c: the GICv3 distributor and redistributor register tables and
 * their GICv3-only handlers (IHI 0069 chapter 12, spec 7.3 and 7.4).
 * Affinity routing is always on, security is disabled (DS = 1).
 */
#include <errno.h>

#include "gic/gic_internal.h"

#define GICD_CTLR_ENABLE_G1 (1u << 1)
#define GICD_CTLR_ARE_NS (1u << 4)
#define GICD_CTLR_DS (1u << 6)
#define GICD_TYPER_IDBITS (9u << 19) /* 10 INTID bits, no LPIs */
#define GICD_TYPER2_NASSGICAP (1u << 8)
#define GICR_IIDR_VALUE 0x4B00043Bu
#define GICR_CTLR_CES_IR 0x6u
#define GICD_IROUTER_AFF 0x00FFFFFFu
#define GICR_PROPBASER_MASK 0x0700FFFFFFFFFF9FULL
#define GICR_PENDBASER_MASK 0x0700FFFFFFFF0F80ULL

/* 64-bit registers: the half (or whole) at a->offset of @full. */
static uint64_t read64(const struct gic_access *a, uint64_t full)
{
	return full >> (8 * a->offset);
}

static uint64_t write64(const struct gic_access *a, uint64_t old, uint64_t val)
{
	uint64_t mask = 0xFFFFFFFFULL << (8 * a->offset);

	if (a->len == 8)
		return val;
	return (old & ~mask) | ((val << (8 * a->offset)) & mask);
}

/* --- distributor ------------------------------------------------------------ */

static uint64_t gicd_read_ctlr(const struct gic_access *a)
{
	return GICD_CTLR_ARE_NS | GICD_CTLR_DS |
	       (a->gic->enabled ? GICD_CTLR_ENABLE_G1 : 0);
}

static int gicd_write_ctlr(const struct gic_access *a, uint64_t val)
{
	a->gic->enabled = val & GICD_CTLR_ENABLE_G1;
	gic_mark_all_dirty(a->gic);
	return 0;
}

static uint64_t gicd_read_typer(const struct gic_access *a)
{
	return GICD_TYPER_IDBITS | (gic_get_nr_irqs(a->gic) / 32 - 1);
}

/*
 * gicd_uwrite_typer2 - user GICD_TYPER2 (spec 7.3, VI-13): bits other
 * than nASSGIcap must match (-EINVAL); changing nASSGIcap after init is
 * -EBUSY, setting it is -EINVAL (no GICv4.1 here).
 */
static int gicd_uwrite_typer2(const struct gic_access *a, uint64_t val)
{
	if (val & ~(uint64_t)GICD_TYPER2_NASSGICAP)
		return -EINVAL;
	if (!(val & GICD_TYPER2_NASSGICAP))
		return 0;
	return a->gic->initialized ? -EBUSY : -EINVAL;
}

/* IROUTER: Aff2.Aff1.Aff0 only; IRM and Aff3 RAZ/WI (spec 7.3). */
static uint64_t gicd_read_irouter(const struct gic_access *a)
{
	struct gic_irq *irq;

	if (a->intid < GIC_NR_PRIVATE_IRQS)
		return 0;
	irq = gic_irq_get(a->gic, NULL, a->intid);
	return irq ? read64(a, irq->route) : 0;
}

static int gicd_write_irouter(const struct gic_access *a, uint64_t val)
{
	struct gic_irq *irq;

	if (a->intid < GIC_NR_PRIVATE_IRQS || a->offset)
		return 0;
	irq = gic_irq_get(a->gic, NULL, a->intid);
	if (!irq)
		return 0;
	irq->route = (uint32_t)val & GICD_IROUTER_AFF;
	gic_irq_retarget(a->gic, irq);
	return 0;
}

#define W32 GIC_W32
#define W8_32 (GIC_W8 | GIC_W32)
#define W32_64 (GIC_W32 | GIC_W64)

static const struct gic_reg v3_dist_regs[] = {
	{ 0x0000, 4, W32, 0, 0, gicd_read_ctlr, gicd_write_ctlr },
	{ 0x0004, 4, W32, 0, 0, gicd_read_typer, gic_write_wi },
	{ 0x0008, 4, W32, 0, 0, gic_read_iidr, gic_write_wi, NULL,
	  gicd_uwrite_iidr },
	{ 0x000C, 4, W32, 0, 0, gic_read_raz, gic_write_wi, NULL,
	  gicd_uwrite_typer2 },
	{ 0x0010, 4, W32, 0, 0, gic_read_rao, gic_write_wi },
	{ 0x0080, 0x80, W32, 1, 0, gicd_read_igroupr, gicd_write_igroupr },
	{ 0x0100, 0x80, W32, 1, 0, gicd_read_isenabler, gicd_write_isenabler },
	{ 0x0180, 0x80, W32, 1, 0, gicd_read_isenabler, gicd_write_icenabler },
	{ 0x0200, 0x80, W32, 1, 0, gicd_read_ispendr, gicd_write_ispendr,
	  gicd_uread_ispendr_latch, gicd_uwrite_ispendr_exact },
	{ 0x0280, 0x80, W32, 1, 0, gicd_read_ispendr, gicd_write_icpendr,
	  gic_read_raz, gic_write_wi },
	{ 0x0300, 0x80, W32, 1, 0, gicd_read_isactiver, gicd_write_isactiver },
	{ 0x0380, 0x80, W32, 1, 0, gicd_read_isactiver, gicd_write_icactiver },
	{ 0x0400, 0x400, W8_32, 8, 0, gicd_read_ipriorityr,
	  gicd_write_ipriorityr },
	{ 0x0800, 0x400, W8_32, 8, 0, gic_read_raz, gic_write_wi },
	{ 0x0C00, 0x100, W32, 2, 0, gicd_read_icfgr, gicd_write_icfgr },
	{ 0x0D00, 0x80, W32, 1, 0, gic_read_raz, gic_write_wi },
	{ 0x6000, 0x2000, W32_64, 64, 0, gicd_read_irouter,
	  gicd_write_irouter },
	{ 0xFFD0, 0x30, W32, 0, 0, gic_read_pidr2, gic_write_wi },
};

const struct gic_frame_desc gic_v3_dist_frame = {
	v3_dist_regs, sizeof(v3_dist_regs) / sizeof(v3_dist_regs[0])
};

/* --- redistributor, RD_base ------------------------------------------------- */

/* No ITS: EnableLPIs stays 0; revision 3 adds CES and IR (spec 7.4). */
static uint64_t gicr_read_ctlr(const struct gic_access *a)
{
	return a->gic->revision >= 3 ? GICR_CTLR_CES_IR : 0;
}

static uint64_t gicr_read_iidr(const struct gic_access *a)
{
	return GICR_IIDR_VALUE;
}

static uint64_t gicr_read_typer(const struct gic_access *a)
{
	return read64(a, gic_redist_typer(a->gic, a->cpu));
}

static uint64_t gicr_read_propbaser(const struct gic_access *a)
{
	return read64(a, a->gic->propbaser);
}

static int gicr_write_propbaser(const struct gic_access *a, uint64_t val)
{
	a->gic->propbaser = write64(a, a->gic->propbaser, val) &
			    GICR_PROPBASER_MASK;
	return 0;
}

static uint64_t gicr_read_pendbaser(const struct gic_access *a)
{
	return read64(a, a->cpu->pendbaser);
}

static int gicr_write_pendbaser(const struct gic_access *a, uint64_t val)
{
	a->cpu->pendbaser = write64(a, a->cpu->pendbaser, val) &
			    GICR_PENDBASER_MASK;
	return 0;
}

static const struct gic_reg v3_rd_regs[] = {
	{ 0x0000, 4, W32, 0, 0, gicr_read_ctlr, gic_write_wi },
	{ 0x0004, 4, W32, 0, 0, gicr_read_iidr, gic_write_wi },
	{ 0x0008, 8, W32_64, 0, 0, gicr_read_typer, gic_write_wi },
	{ 0x0010, 4, W32, 0, 0, gic_read_raz, gic_write_wi },
	{ 0x0014, 4, W32, 0, 0, gic_read_raz, gic_write_wi },
	{ 0x0070, 8, W32_64, 0, 0, gicr_read_propbaser, gicr_write_propbaser },
	{ 0x0078, 8, W32_64, 0, 0, gicr_read_pendbaser, gicr_write_pendbaser },
	{ 0x00A0, 8, W32_64, 0, 0, gic_read_raz, gic_write_wi },
	{ 0x00B0, 8, W32_64, 0, 0, gic_read_raz, gic_write_wi },
	{ 0x00C0, 4, W32, 0, 0, gic_read_raz, gic_write_wi },
	{ 0xFFD0, 0x30, W32, 0, 0, gic_read_pidr2, gic_write_wi },
};

const struct gic_frame_desc gic_v3_rd_frame = {
	v3_rd_regs, sizeof(v3_rd_regs) / sizeof(v3_rd_regs[0])
};

/* --- redistributor, SGI_base (offsets relative to 0x10000) ------------------ */

static const struct gic_reg v3_sgi_regs[] = {
	{ 0x0080, 4, W32, 1, 0, gicd_read_igroupr, gicd_write_igroupr },
	{ 0x0100, 4, W32, 1, 0, gicd_read_isenabler, gicd_write_isenabler },
	{ 0x0180, 4, W32, 1, 0, gicd_read_isenabler, gicd_write_icenabler },
	{ 0x0200, 4, W32, 1, 0, gicd_read_ispendr, gicd_write_ispendr,
	  gicd_uread_ispendr_latch, gicd_uwrite_ispendr_exact },
	{ 0x0280, 4, W32, 1, 0, gicd_read_ispendr, gicd_write_icpendr,
	  gic_read_raz, gic_write_wi },
	{ 0x0300, 4, W32, 1, 0, gicd_read_isactiver, gicd_write_isactiver },
	{ 0x0380, 4, W32, 1, 0, gicd_read_isactiver, gicd_write_icactiver },
	{ 0x0400, 0x20, W8_32, 8, 0, gicd_read_ipriorityr,
	  gicd_write_ipriorityr },
	{ 0x0C00, 8, W32, 2, 0, gicd_read_icfgr, gicd_write_icfgr },
	{ 0x0D00, 4, W32, 0, 0, gic_read_raz, gic_write_wi },
	{ 0x0E00, 4, W32, 0, 0, gic_read_raz, gic_write_wi },
};

const struct gic_frame_desc gic_v3_sgi_frame = {
	v3_sgi_regs, sizeof(v3_sgi_regs) / sizeof(v3_sgi_regs[0])
};
