// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gic_v2.c: the GICv2 register tables (distributor, CPU interface) and
 * their GICv2-only handlers (IHI 0048B chapter 4, spec 7.1 and 7.2).
 */
#include <errno.h>

#include "gic/gic_internal.h"

#define GICC_CTLR_GRP0 (1u << 0)
#define GICC_CTLR_GRP1 (1u << 1)
#define GICC_CTLR_ACKCTL (1u << 2)
#define GICC_CTLR_FIQEN (1u << 3)
#define GICC_CTLR_CBPR (1u << 4)
#define GICC_CTLR_EOIMODE (1u << 9)
#define GICC_IIDR_VALUE 0x04B2043Bu

/* --- distributor ------------------------------------------------------------ */

static uint64_t gicd_read_ctlr(const struct gic_access *a)
{
	return a->gic->enabled;
}

static int gicd_write_ctlr(const struct gic_access *a, uint64_t val)
{
	a->gic->enabled = val & 1;
	gic_mark_all_dirty(a->gic);
	return 0;
}

/* ITLinesNumber 4:0, CPUNumber 7:5 (spec 7.1: 256 IRQs, 4 vCPUs: 0x67). */
static uint64_t gicd_read_typer(const struct gic_access *a)
{
	uint32_t ncpus = a->gic->nr_vcpus ? a->gic->nr_vcpus - 1 : 0;

	return (gic_get_nr_irqs(a->gic) / 32 - 1) | ncpus << 5;
}

/* User IGROUPR writes only count once GICD_IIDR was written (spec 7.1). */
static int gicd_uwrite_igroupr(const struct gic_access *a, uint64_t val)
{
	if (!a->gic->iidr_written)
		return 0;
	return gicd_write_igroupr(a, val);
}

static uint8_t cpu_mask(const struct gic *gic)
{
	return (uint8_t)((1u << gic->nr_vcpus) - 1);
}

/* Private bytes read the accessing vCPU's own bit (IHI 0048B 4.3.12). */
static uint64_t gicd_read_itargetsr(const struct gic_access *a)
{
	struct gic_irq *irq;
	uint64_t v = 0;
	uint32_t i;

	for (i = 0; i < a->len; i++) {
		irq = gic_irq_get(a->gic, a->cpu, a->intid + i);
		if (irq)
			v |= (uint64_t)irq->targets << (8 * i);
	}
	return v;
}

static int gicd_write_itargetsr(const struct gic_access *a, uint64_t val)
{
	struct gic_irq *irq;
	uint32_t i;

	for (i = 0; i < a->len; i++) {
		if (a->intid + i < GIC_NR_PRIVATE_IRQS)
			continue;
		irq = gic_irq_get(a->gic, NULL, a->intid + i);
		if (!irq)
			continue;
		irq->targets = (uint8_t)(val >> (8 * i)) & cpu_mask(a->gic);
		gic_irq_retarget(a->gic, irq);
	}
	return 0;
}

static int gicd_write_sgir(const struct gic_access *a, uint64_t val)
{
	if (a->cpu)
		gic_v2_send_sgi(a->gic, a->cpu, (uint32_t)val);
	return 0;
}

/* [CS]PENDSGIR: one byte per SGI of the accessing vCPU, bit per source. */
static uint64_t gicd_read_spendsgir(const struct gic_access *a)
{
	uint64_t v = 0;
	uint32_t i;

	if (!a->cpu)
		return 0;
	for (i = 0; i < a->len; i++)
		v |= (uint64_t)a->cpu->priv[a->intid + i].sgi_src << (8 * i);
	return v;
}

static void sgi_src_write(const struct gic_access *a, uint64_t val, bool set)
{
	struct gic_irq *irq;
	uint8_t bits;
	uint32_t i;

	if (!a->cpu)
		return;
	for (i = 0; i < a->len; i++) {
		irq = &a->cpu->priv[a->intid + i];
		bits = (uint8_t)(val >> (8 * i)) & cpu_mask(a->gic);
		if (set)
			irq->sgi_src |= bits;
		else
			irq->sgi_src &= (uint8_t)~bits;
		gic_irq_update(a->gic, irq);
	}
}

static int gicd_write_spendsgir(const struct gic_access *a, uint64_t val)
{
	sgi_src_write(a, val, true);
	return 0;
}

static int gicd_write_cpendsgir(const struct gic_access *a, uint64_t val)
{
	sgi_src_write(a, val, false);
	return 0;
}

#define W32 GIC_W32
#define W8_32 (GIC_W8 | GIC_W32)

static const struct gic_reg v2_dist_regs[] = {
	{ 0x000, 4, W32, 0, 0, gicd_read_ctlr, gicd_write_ctlr },
	{ 0x004, 4, W32, 0, 0, gicd_read_typer, gic_write_wi },
	{ 0x008, 4, W32, 0, 0, gic_read_iidr, gic_write_wi, NULL,
	  gicd_uwrite_iidr },
	{ 0x080, 0x80, W32, 1, 0, gicd_read_igroupr, gicd_write_igroupr, NULL,
	  gicd_uwrite_igroupr },
	{ 0x100, 0x80, W32, 1, 0, gicd_read_isenabler, gicd_write_isenabler },
	{ 0x180, 0x80, W32, 1, 0, gicd_read_isenabler, gicd_write_icenabler },
	{ 0x200, 0x80, W32, 1, 0, gicd_read_ispendr, gicd_write_ispendr },
	{ 0x280, 0x80, W32, 1, 0, gicd_read_ispendr, gicd_write_icpendr },
	{ 0x300, 0x80, W32, 1, 0, gicd_read_isactiver, gicd_write_isactiver },
	{ 0x380, 0x80, W32, 1, 0, gicd_read_isactiver, gicd_write_icactiver },
	{ 0x400, 0x400, W8_32, 8, 0, gicd_read_ipriorityr,
	  gicd_write_ipriorityr },
	{ 0x800, 0x400, W8_32, 8, 0, gicd_read_itargetsr,
	  gicd_write_itargetsr },
	{ 0xC00, 0x100, W32, 2, 0, gicd_read_icfgr, gicd_write_icfgr },
	{ 0xF00, 4, W32, 0, 0, gic_read_raz, gicd_write_sgir, NULL,
	  gic_write_wi },
	{ 0xF10, 0x10, W8_32, 8, 0, gicd_read_spendsgir, gicd_write_cpendsgir },
	{ 0xF20, 0x10, W8_32, 8, 0, gicd_read_spendsgir, gicd_write_spendsgir },
};

const struct gic_frame_desc gic_v2_dist_frame = {
	v2_dist_regs, sizeof(v2_dist_regs) / sizeof(v2_dist_regs[0])
};

/* --- CPU interface ---------------------------------------------------------- */

static uint64_t gicc_read_ctlr(const struct gic_access *a)
{
	const struct gic_cpu *c = a->cpu;

	return (c->grpen0 ? GICC_CTLR_GRP0 : 0) |
	       (c->grpen1 ? GICC_CTLR_GRP1 : 0) |
	       (c->ackctl ? GICC_CTLR_ACKCTL : 0) |
	       (c->fiqen ? GICC_CTLR_FIQEN : 0) |
	       (c->cbpr ? GICC_CTLR_CBPR : 0) |
	       (c->eoimode ? GICC_CTLR_EOIMODE : 0);
}

static int gicc_write_ctlr(const struct gic_access *a, uint64_t val)
{
	struct gic_cpu *c = a->cpu;

	c->grpen0 = val & GICC_CTLR_GRP0;
	c->grpen1 = val & GICC_CTLR_GRP1;
	c->ackctl = val & GICC_CTLR_ACKCTL;
	c->fiqen = val & GICC_CTLR_FIQEN;
	c->cbpr = val & GICC_CTLR_CBPR;
	c->eoimode = val & GICC_CTLR_EOIMODE;
	gic_mark_dirty(a->gic, c->index);
	return 0;
}

static uint64_t gicc_read_pmr(const struct gic_access *a)
{
	return a->cpu->pmr;
}

static int gicc_write_pmr(const struct gic_access *a, uint64_t val)
{
	a->cpu->pmr = (uint8_t)(val & GIC_PRIO_MASK);
	gic_mark_dirty(a->gic, a->cpu->index);
	return 0;
}

/* The user PMR is the 5-bit VMCR field (spec 7.2, ABI quirk). */
static uint64_t gicc_uread_pmr(const struct gic_access *a)
{
	return a->cpu->pmr >> 3;
}

static int gicc_uwrite_pmr(const struct gic_access *a, uint64_t val)
{
	return gicc_write_pmr(a, (val & 0x1F) << 3);
}

static uint8_t clamp_bpr(uint64_t val, uint8_t min)
{
	return (uint8_t)((val & 7) < min ? min : (val & 7));
}

static uint64_t gicc_read_bpr(const struct gic_access *a)
{
	return a->cpu->bpr0;
}

static int gicc_write_bpr(const struct gic_access *a, uint64_t val)
{
	a->cpu->bpr0 = clamp_bpr(val, GIC_MIN_BPR0);
	gic_mark_dirty(a->gic, a->cpu->index);
	return 0;
}

static uint64_t gicc_read_abpr(const struct gic_access *a)
{
	return a->cpu->bpr1;
}

static int gicc_write_abpr(const struct gic_access *a, uint64_t val)
{
	a->cpu->bpr1 = clamp_bpr(val, GIC_MIN_BPR1);
	gic_mark_dirty(a->gic, a->cpu->index);
	return 0;
}

static uint64_t gicc_read_iar(const struct gic_access *a)
{
	return gic_cpu_ack(a->gic, a->cpu, -1);
}

static uint64_t gicc_read_aiar(const struct gic_access *a)
{
	return gic_cpu_ack(a->gic, a->cpu, 1);
}

static int gicc_write_eoir(const struct gic_access *a, uint64_t val)
{
	gic_cpu_eoi(a->gic, a->cpu, (uint32_t)val, -1);
	return 0;
}

static int gicc_write_aeoir(const struct gic_access *a, uint64_t val)
{
	gic_cpu_eoi(a->gic, a->cpu, (uint32_t)val, 1);
	return 0;
}

static uint64_t gicc_read_rpr(const struct gic_access *a)
{
	return gic_cpu_rpr(a->cpu);
}

static uint64_t gicc_read_hppir(const struct gic_access *a)
{
	return gic_cpu_hppir(a->gic, a->cpu, -1);
}

static uint64_t gicc_read_ahppir(const struct gic_access *a)
{
	return gic_cpu_hppir(a->gic, a->cpu, 1);
}

/* Only APR0 is backed with 5 priority bits; it holds both groups. */
static uint64_t gicc_read_apr(const struct gic_access *a)
{
	return a->offset ? 0 : a->cpu->apr0;
}

static int gicc_write_apr(const struct gic_access *a, uint64_t val)
{
	if (!a->offset) {
		a->cpu->apr0 = (uint32_t)val;
		gic_mark_dirty(a->gic, a->cpu->index);
	}
	return 0;
}

static uint64_t gicc_read_iidr(const struct gic_access *a)
{
	return GICC_IIDR_VALUE;
}

static int gicc_write_dir(const struct gic_access *a, uint64_t val)
{
	gic_cpu_dir(a->gic, a->cpu, (uint32_t)val);
	return 0;
}

#define GUEST GIC_REG_GUEST_ONLY

static const struct gic_reg v2_cpu_regs[] = {
	{ 0x00, 4, W32, 0, 0, gicc_read_ctlr, gicc_write_ctlr },
	{ 0x04, 4, W32, 0, 0, gicc_read_pmr, gicc_write_pmr, gicc_uread_pmr,
	  gicc_uwrite_pmr },
	{ 0x08, 4, W32, 0, 0, gicc_read_bpr, gicc_write_bpr },
	{ 0x0C, 4, W32, 0, GUEST, gicc_read_iar, gic_write_wi },
	{ 0x10, 4, W32, 0, GUEST, gic_read_raz, gicc_write_eoir },
	{ 0x14, 4, W32, 0, GUEST, gicc_read_rpr, gic_write_wi },
	{ 0x18, 4, W32, 0, GUEST, gicc_read_hppir, gic_write_wi },
	{ 0x1C, 4, W32, 0, 0, gicc_read_abpr, gicc_write_abpr },
	{ 0x20, 4, W32, 0, GUEST, gicc_read_aiar, gic_write_wi },
	{ 0x24, 4, W32, 0, GUEST, gic_read_raz, gicc_write_aeoir },
	{ 0x28, 4, W32, 0, GUEST, gicc_read_ahppir, gic_write_wi },
	{ 0xD0, 0x10, W32, 0, 0, gicc_read_apr, gicc_write_apr },
	{ 0xFC, 4, W32, 0, 0, gicc_read_iidr, gic_write_wi },
	{ 0x1000, 4, W32, 0, GUEST, gic_read_raz, gicc_write_dir },
};

const struct gic_frame_desc gic_v2_cpu_frame = {
	v2_cpu_regs, sizeof(v2_cpu_regs) / sizeof(v2_cpu_regs[0])
};
