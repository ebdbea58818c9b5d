// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gic_cpuif.c: interrupt delivery and the software CPU interface shared by
 * GICv2 GICC and GICv3 ICC: highest priority pending interrupt, running
 * priority, acknowledge, priority drop, deactivation, SGI generation
 * (IHI 0048B chapter 3, IHI 0069 chapter 4).
 *
 * Group numbers: 0 and 1 name a group (v3 IAR0/IAR1, v2 AIAR for 1);
 * GIC_GRP_ANY is the GICv2 GICC_IAR/EOIR/HPPIR view of both groups.
 */
#include "gic/gic_internal.h"

#define GIC_GRP_ANY (-1)
#define INTID_NO_ACKCTL 1022u

static bool is_v2(const struct gic *gic)
{
	return gic->model == GIC_MODEL_V2;
}

static bool group_enabled(const struct gic *gic, const struct gic_cpu *cpu,
			  bool group)
{
	return gic->enabled && (group ? cpu->grpen1 : cpu->grpen0);
}

/*
 * gprio_mask - the group priority bits of @group's binary point: BPR0 n
 * keeps bits 7:n+1; group 1 uses BPR0 when CBPR is set, else BPR1 n keeps
 * bits 7:n (IHI 0069 4.8.3, IHI 0048B 3.3.3).
 */
static uint8_t gprio_mask(const struct gic_cpu *cpu, bool group)
{
	unsigned int shift;

	if (!group || cpu->cbpr)
		shift = (cpu->bpr0 & 7u) + 1;
	else
		shift = cpu->bpr1 & 7u;
	return (uint8_t)((0xFFu << shift) & GIC_PRIO_MASK);
}

/* gic_cpu_rpr - running priority: the highest active priority, or idle. */
uint8_t gic_cpu_rpr(const struct gic_cpu *cpu)
{
	uint32_t apr = cpu->apr0 | cpu->apr1;

	return apr ? (uint8_t)(__builtin_ctz(apr) << 3) : GIC_PRIO_IDLE;
}

/*
 * gic_cpu_hppi - the highest priority pending interrupt of @cpu whose
 * group is enabled (lowest INTID on a tie), or NULL.
 */
struct gic_irq *gic_cpu_hppi(struct gic *gic, struct gic_cpu *cpu)
{
	struct gic_irq *best = NULL, *irq;
	uint64_t w;
	uint32_t i;

	for (i = 0; i < gic->cand_words; i++) {
		for (w = cpu->cand[i]; w; w &= w - 1) {
			irq = gic_irq_get(gic, cpu,
					  i * 64 + __builtin_ctzll(w));
			if (!irq || !group_enabled(gic, cpu, irq->group))
				continue;
			if (!best || irq->priority < best->priority)
				best = irq;
		}
	}
	return best;
}

/* can_signal - above the priority mask and able to preempt. */
static bool can_signal(const struct gic_cpu *cpu, const struct gic_irq *irq)
{
	return irq->priority < cpu->pmr &&
	       (irq->priority & gprio_mask(cpu, irq->group)) < gic_cpu_rpr(cpu);
}

static void cpu_eval(struct gic *gic, struct gic_cpu *cpu)
{
	struct gic_irq *hppi = gic_cpu_hppi(gic, cpu);
	bool irq = false, fiq = false;

	if (hppi && can_signal(cpu, hppi)) {
		/* Group 0 is FIQ on GICv3; on GICv2 only with FIQEn. */
		if (!hppi->group && (!is_v2(gic) || cpu->fiqen))
			fiq = true;
		else
			irq = true;
	}
	if (irq == cpu->irq_out && fiq == cpu->fiq_out)
		return;
	cpu->irq_out = irq;
	cpu->fiq_out = fiq;
	if (gic->ops && gic->ops->set_line)
		gic->ops->set_line(gic->opaque, cpu->index, irq, fiq);
}

/* gic_flush - re-evaluate the lines of every vCPU marked dirty. */
void gic_flush(struct gic *gic)
{
	uint64_t w;
	uint32_t i, cpu;

	if (!gic->any_dirty)
		return;
	gic->any_dirty = false;
	for (i = 0; i < (gic->nr_vcpus + 63) / 64; i++) {
		w = gic->dirty[i];
		gic->dirty[i] = 0;
		for (; w; w &= w - 1) {
			cpu = i * 64 + (uint32_t)__builtin_ctzll(w);
			if (cpu < gic->nr_vcpus)
				cpu_eval(gic, gic->cpus[cpu]);
		}
	}
}

bool gic_cpu_pending(struct gic *gic, uint32_t cpu)
{
	struct gic_cpu *c = gic_cpu_get(gic, cpu);
	struct gic_irq *hppi;

	if (!c)
		return false;
	hppi = gic_cpu_hppi(gic, c);
	return hppi && can_signal(c, hppi);
}

/* gic_cpu_reset - CPU interface reset values: everything masked and off,
 * binary points at their minimum. */
void gic_cpu_reset(struct gic *gic, struct gic_cpu *cpu)
{
	cpu->pmr = 0;
	cpu->bpr0 = GIC_MIN_BPR0;
	cpu->bpr1 = GIC_MIN_BPR1;
	cpu->cbpr = false;
	cpu->eoimode = false;
	cpu->grpen0 = false;
	cpu->grpen1 = false;
	cpu->ackctl = false;
	cpu->fiqen = false;
	cpu->apr0 = 0;
	cpu->apr1 = 0;
	cpu->pendbaser = 0;
	gic_mark_dirty(gic, cpu->index);
}

/* --- acknowledge, EOI, deactivate ------------------------------------------ */

/* Which special INTID, if any, hides @hppi from an access to @group. */
static uint32_t group_filter(const struct gic *gic, const struct gic_cpu *cpu,
			     const struct gic_irq *hppi, int group)
{
	if (group == GIC_GRP_ANY)
		return hppi->group && !cpu->ackctl ? INTID_NO_ACKCTL : 0;
	return hppi->group != (group == 1) ? GIC_SPURIOUS : 0;
}

static uint32_t v2_sgi_source(const struct gic *gic, const struct gic_irq *irq)
{
	if (!is_v2(gic) || irq->intid >= GIC_NR_SGIS || !irq->sgi_src)
		return 0;
	return (uint32_t)__builtin_ctz(irq->sgi_src);
}

static uint32_t activate(struct gic *gic, struct gic_cpu *cpu,
			 struct gic_irq *irq)
{
	uint32_t src = v2_sgi_source(gic, irq);
	uint32_t bit = (irq->priority & gprio_mask(cpu, irq->group)) >> 3;

	if (irq->sgi_src) {
		irq->sgi_src &= (uint8_t) ~(1u << src);
		irq->active_src = (uint8_t)src;
	} else {
		irq->latch = false;
	}
	irq->active = true;
	if (irq->group && !is_v2(gic))
		cpu->apr1 |= 1u << bit;
	else
		cpu->apr0 |= 1u << bit;
	gic_irq_update(gic, irq);
	return irq->intid | src << 10;
}

/*
 * gic_cpu_ack - read of IAR (v3 IAR0/IAR1, v2 IAR/AIAR): the INTID (with
 * the GICv2 SGI source in bits 12:10), 1022 or 1023.
 */
uint32_t gic_cpu_ack(struct gic *gic, struct gic_cpu *cpu, int group)
{
	struct gic_irq *hppi = gic_cpu_hppi(gic, cpu);
	uint32_t special, ret;

	if (!hppi || !can_signal(cpu, hppi))
		return GIC_SPURIOUS;
	special = group_filter(gic, cpu, hppi, group);
	if (special)
		return special;
	ret = activate(gic, cpu, hppi);
	gic_mark_dirty(gic, cpu->index);
	gic_flush(gic);
	return ret;
}

static uint32_t intid_of(const struct gic *gic, uint32_t val)
{
	return is_v2(gic) ? val & 0x3FF : val & 0xFFFFFF;
}

static void deactivate(struct gic *gic, struct gic_cpu *cpu, uint32_t intid)
{
	struct gic_irq *irq = gic_irq_get(gic, cpu, intid);

	if (!irq)
		return;
	irq->active = false;
	gic_irq_update(gic, irq);
}

/*
 * gic_cpu_eoi - write of EOIR: drop the running priority (if the highest
 * active priority belongs to @group on GICv3), and deactivate unless
 * EOImode splits the two (then DIR deactivates).
 */
void gic_cpu_eoi(struct gic *gic, struct gic_cpu *cpu, uint32_t val, int group)
{
	uint32_t intid = intid_of(gic, val), apr = cpu->apr0 | cpu->apr1, bit;

	if ((intid >= 1020 && intid <= 1023) || !apr)
		return;
	bit = 1u << __builtin_ctz(apr);
	if (!is_v2(gic) && !((group ? cpu->apr1 : cpu->apr0) & bit))
		return;
	cpu->apr0 &= ~bit;
	cpu->apr1 &= ~bit;
	if (!cpu->eoimode)
		deactivate(gic, cpu, intid);
	gic_mark_dirty(gic, cpu->index);
	gic_flush(gic);
}

/* gic_cpu_dir - write of DIR: deactivate, only when EOImode is set (else
 * the write is UNPREDICTABLE and ignored). */
void gic_cpu_dir(struct gic *gic, struct gic_cpu *cpu, uint32_t val)
{
	if (!cpu->eoimode)
		return;
	deactivate(gic, cpu, intid_of(gic, val));
	gic_flush(gic);
}

/* gic_cpu_hppir - HPPIR of @group (no priority mask check). */
uint32_t gic_cpu_hppir(struct gic *gic, struct gic_cpu *cpu, int group)
{
	struct gic_irq *hppi = gic_cpu_hppi(gic, cpu);
	uint32_t special;

	if (!hppi)
		return GIC_SPURIOUS;
	special = group_filter(gic, cpu, hppi, group);
	if (special)
		return special;
	return hppi->intid | v2_sgi_source(gic, hppi) << 10;
}

/* --- SGIs ------------------------------------------------------------------- */

/*
 * gic_v2_send_sgi - GICD_SGIR: SGI 3:0, CPUTargetList 23:16, filter
 * 25:24 (0 list, 1 all but self, 2 self, 3 reserved: ignored).
 */
void gic_v2_send_sgi(struct gic *gic, struct gic_cpu *src, uint32_t val)
{
	uint32_t sgi = val & 0xF, all = (1u << gic->nr_vcpus) - 1, targets, t;
	struct gic_irq *irq;

	switch ((val >> 24) & 3) {
	case 0:
		targets = (val >> 16) & 0xFF;
		break;
	case 1:
		targets = all & ~(1u << src->index);
		break;
	case 2:
		targets = 1u << src->index;
		break;
	default:
		return;
	}
	for (targets &= all; targets; targets &= targets - 1) {
		t = (uint32_t)__builtin_ctz(targets);
		irq = &gic->cpus[t]->priv[sgi];
		irq->sgi_src |= (uint8_t)(1u << src->index);
		gic_irq_update(gic, irq);
	}
}

/* An SGI1R access may make SGIs of either group pending, SGI0R only
 * group 0 ones (as Linux's vgic_v3_dispatch_sgi). */
static void v3_pend_sgi(struct gic *gic, struct gic_cpu *cpu, uint32_t sgi,
			bool group1)
{
	struct gic_irq *irq = &cpu->priv[sgi];

	if (irq->group && !group1)
		return;
	irq->latch = true;
	gic_irq_update(gic, irq);
}

/*
 * gic_v3_send_sgi - ICC_SGI0R/SGI1R/ASGI1R: INTID 27:24, TargetList 15:0
 * with Aff1 23:16, Aff2 39:32, RS 47:44, Aff3 55:48; IRM (bit 40) sends
 * to every vCPU but @src.
 */
void gic_v3_send_sgi(struct gic *gic, struct gic_cpu *src, uint64_t val,
		     bool group1)
{
	uint32_t sgi = (uint32_t)(val >> 24) & 0xF, i, list, aff;
	struct gic_cpu *c;

	if ((val >> 40) & 1) {
		for (i = 0; i < gic->nr_vcpus; i++)
			if (gic->cpus[i] != src)
				v3_pend_sgi(gic, gic->cpus[i], sgi, group1);
		gic_flush(gic);
		return;
	}
	/* Aff3.Aff2.Aff1, then Aff0 = RS * 16 + the target list bit. */
	aff = (uint32_t)((val >> 48) & 0xFF) << 24 |
	      (uint32_t)((val >> 32) & 0xFF) << 16 |
	      (uint32_t)((val >> 16) & 0xFF) << 8 |
	      (uint32_t)((val >> 44) & 0xF) << 4;
	for (list = val & 0xFFFF; list; list &= list - 1) {
		c = gic_cpu_by_affinity(gic,
					aff | (uint32_t)__builtin_ctz(list));
		if (c)
			v3_pend_sgi(gic, c, sgi, group1);
	}
	gic_flush(gic);
}
