/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gic_internal.h: state and helpers shared by the vGIC model files
 * (gic.c life cycle and interrupt state, gic_addr.c addresses and
 * redistributor regions, gic_regs.c table walker and per-IRQ registers,
 * gic_v2.c, gic_v3.c, gic_icc.c register tables, gic_cpuif.c delivery and
 * CPU interface).  Nothing outside src/gic includes it except unit tests.
 *
 * Delivery design: every vCPU keeps a bitmap of "candidate" INTIDs (pending,
 * enabled, not active, targeting it).  Each change of an interrupt's state
 * goes through gic_irq_update(), which keeps the bitmap right and marks the
 * target vCPU dirty; CPU interface changes mark their vCPU dirty directly.
 * The public entry points end with gic_flush(), which re-evaluates only the
 * dirty vCPUs: highest priority candidate whose group is enabled, against
 * PMR and the running priority, and calls set_line only when the outcome
 * changed.  So no access scans all interrupts, and a forgotten dirty mark
 * is caught by tests/unit/gic_robust_test.c.
 */
#ifndef VKVM_GIC_GIC_INTERNAL_H
#define VKVM_GIC_GIC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gic/gic.h"

#define GIC_NO_CPU 0xFFFFu
#define GIC_NR_SGIS 16
#define GIC_IRQ_WORDS (1024 / 64) /* candidate bitmap words per vCPU */
#define GIC_CPU_WORDS (GIC_V3_MAX_CPUS / 64)
#define GIC_V3_RDIST_INDEX_MAX 0xFFF /* the attr's 12-bit index field */

/* 5 priority bits (PRIbits = 4), as on most GICv3 hosts (spec 7.5). */
#define GIC_PRIO_MASK 0xF8u
#define GIC_PRIO_IDLE 0xFFu
#define GIC_MIN_BPR0 2
#define GIC_MIN_BPR1 3

#define GIC_IIDR_PRODUCT (0x4Bu << 24)
#define GIC_IIDR_IMPL 0x43Bu
#define GIC_IIDR_REV_SHIFT 12
#define GIC_IIDR_REV_MASK (0xFu << GIC_IIDR_REV_SHIFT)
#define GIC_DEFAULT_REVISION 3

/*
 * One interrupt.  Pending is "latch || (level-triggered && line)"; for a
 * GICv2 SGI it is "any source bit set" (IHI 0048B 4.3.7: SGIs are banked
 * by source CPU).
 */
struct gic_irq {
	uint16_t intid;
	uint16_t owner; /* vCPU of a private IRQ, GIC_NO_CPU for SPIs */
	uint16_t target; /* vCPU that may take it now, GIC_NO_CPU if none */
	uint8_t priority;
	uint8_t targets; /* GICv2 ITARGETSR byte */
	uint8_t sgi_src; /* GICv2 SGI: pending source CPUs */
	uint8_t active_src; /* GICv2 SGI: source of the active instance */
	uint32_t route; /* GICv3 IROUTER low word (Aff2.Aff1.Aff0) */
	bool group; /* false: group 0, true: group 1 */
	bool enabled;
	bool latch; /* pending latch (edge, or software set) */
	bool line; /* input level */
	bool active;
	bool edge;
	bool owned; /* driven by an in-library device */
	bool queued; /* in target's candidate bitmap */
};

/* Per-vCPU state: private IRQs, redistributor, CPU interface. */
struct gic_cpu {
	uint32_t index;
	uint32_t id;
	uint64_t mpidr;
	struct gic_irq priv[GIC_NR_PRIVATE_IRQS];
	/* Candidates: pending, enabled, not active, targeting this vCPU. */
	uint64_t cand[GIC_IRQ_WORDS];
	/* GICv3 redistributor: region index and slot, or none. */
	int rd_region;
	uint32_t rd_slot;
	uint64_t pendbaser;
	/* CPU interface (GICv2 GICC or GICv3 ICC). */
	uint8_t pmr;
	uint8_t bpr0;
	uint8_t bpr1;
	bool cbpr;
	bool eoimode;
	bool grpen0;
	bool grpen1;
	bool ackctl; /* GICv2 GICC_CTLR.AckCtl */
	bool fiqen; /* GICv2 GICC_CTLR.FIQEn */
	uint32_t apr0; /* active priorities (GICv2: both groups) */
	uint32_t apr1;
	bool irq_out;
	bool fiq_out;
};

/*
 * A frame's registers by offset in O(1): row[offset / 4] is 1 + the index
 * of the table row covering that word, 0 for none.  Built once per vGIC
 * from the frame's one table (gic_frames.c), read-only afterwards.
 */
struct gic_frame_ix {
	const struct gic_frame_desc *f;
	uint32_t words;
	uint8_t *row;
};

/* The indexed frames of one vGIC: GICD, then GICC (v2) or RD_base (v3),
 * then SGI_base (v3). */
enum { GIC_IX_DIST, GIC_IX_CPU, GIC_IX_SGI, GIC_NR_IX };

/* ICC_* index slots: ICC_PMR_EL1, then the 40 encodings of CRn 12,
 * CRm 8-12 (gic_icc.c). */
#define GIC_ICC_SLOTS 41

struct gic_aff {
	uint32_t aff; /* gic_mpidr_affinity() packing */
	uint32_t cpu;
};

struct gic_rdreg {
	uint64_t base;
	uint32_t index;
	uint32_t count; /* 0: legacy, as many as there are vCPUs */
	uint32_t used; /* slots handed out */
	uint16_t *slot_cpu;
};

struct gic {
	enum gic_model model;
	const struct gic_ops *ops;
	void *opaque;
	bool initialized;
	bool ready;
	bool iidr_written; /* GICv2: user IGROUPR writes allowed */
	uint8_t revision;
	uint64_t dist_base;
	uint64_t cpu_base; /* GICv2 CPU interface */
	bool enabled; /* GICD_CTLR enable (one bit, as Linux) */
	uint32_t owned_ppis; /* PPIs driven by in-library devices */
	uint32_t nr_spis; /* requested / allocated SPIs */
	struct gic_irq *spis;
	uint32_t nr_vcpus;
	uint32_t max_vcpus;
	struct gic_cpu **cpus;
	struct gic_aff *by_aff; /* GICv3 after init: vCPUs sorted by affinity */
	struct gic_rdreg *rdregs;
	uint32_t nr_rdregs;
	uint64_t propbaser;
	uint64_t dirty[GIC_CPU_WORDS];
	bool any_dirty;
	uint32_t cand_words; /* candidate bitmap words in use (nr_irqs) */
	struct gic_frame_ix ix[GIC_NR_IX];
	uint8_t icc_row[GIC_ICC_SLOTS]; /* 1 + ICC table row, 0 none */
};

/* --- one register access ----------------------------------------------- */

struct gic_access {
	struct gic *gic;
	struct gic_cpu *cpu; /* accessing vCPU, or the redistributor's */
	uint32_t offset; /* byte offset inside the register */
	uint32_t intid; /* first INTID of a per-IRQ register access */
	unsigned int len;
	enum gic_who who;
	bool no_private; /* GICv3 distributor: INTIDs 0-31 are RAZ/WI */
};

typedef uint64_t (*gic_read_fn)(const struct gic_access *a);
typedef int (*gic_write_fn)(const struct gic_access *a, uint64_t val);

/* Access widths, as a mask of sizes in bytes. */
#define GIC_W8 (1u << 1)
#define GIC_W16 (1u << 2)
#define GIC_W32 (1u << 4)
#define GIC_W64 (1u << 8)

/* Flags. */
#define GIC_REG_GUEST_ONLY 1u /* no user access, no HAS_ATTR */

struct gic_reg {
	uint32_t offset;
	uint32_t len; /* bytes covered */
	uint16_t widths; /* GIC_W* allowed for the guest */
	uint8_t bits_per_irq; /* 0: plain register */
	uint8_t flags;
	gic_read_fn read;
	gic_write_fn write;
	gic_read_fn uread; /* NULL: same as read */
	gic_write_fn uwrite; /* NULL: same as write */
};

struct gic_frame_desc {
	const struct gic_reg *regs;
	size_t nr;
};

/* Frames (defined in gic_v2.c, gic_v3.c). */
extern const struct gic_frame_desc gic_v2_dist_frame;
extern const struct gic_frame_desc gic_v2_cpu_frame;
extern const struct gic_frame_desc gic_v3_dist_frame;
extern const struct gic_frame_desc gic_v3_rd_frame;
extern const struct gic_frame_desc gic_v3_sgi_frame;

/* gic_regs.c: table walker. */
const struct gic_reg *gic_reg_find(const struct gic_frame_desc *f,
				   uint32_t offset);
int gic_reg_access(const struct gic_reg *r, struct gic_access *a,
		   uint32_t offset, uint64_t *val, bool is_write);
int gic_frame_has(const struct gic *gic, const struct gic_frame_desc *f,
		  uint32_t offset);

/*
 * gic_regs.c: handlers shared by several frames, named after the register
 * (gicd_* serve the GICv3 SGI_base frame too).  Reads return the value of
 * the a->len bytes at a->offset/a->intid; writes return 0, or -errno for
 * the user writes spec 7 refuses.
 */
uint64_t gic_read_raz(const struct gic_access *a);
uint64_t gic_read_rao(const struct gic_access *a);
int gic_write_wi(const struct gic_access *a, uint64_t val);
uint64_t gic_read_pidr2(const struct gic_access *a);
uint64_t gicd_read_igroupr(const struct gic_access *a);
int gicd_write_igroupr(const struct gic_access *a, uint64_t val);
uint64_t gicd_read_isenabler(const struct gic_access *a);
int gicd_write_isenabler(const struct gic_access *a, uint64_t val);
int gicd_write_icenabler(const struct gic_access *a, uint64_t val);
uint64_t gicd_read_ispendr(const struct gic_access *a);
int gicd_write_ispendr(const struct gic_access *a, uint64_t val);
int gicd_write_icpendr(const struct gic_access *a, uint64_t val);
uint64_t gicd_read_isactiver(const struct gic_access *a);
int gicd_write_isactiver(const struct gic_access *a, uint64_t val);
int gicd_write_icactiver(const struct gic_access *a, uint64_t val);
uint64_t gicd_read_ipriorityr(const struct gic_access *a);
int gicd_write_ipriorityr(const struct gic_access *a, uint64_t val);
uint64_t gicd_read_icfgr(const struct gic_access *a);
int gicd_write_icfgr(const struct gic_access *a, uint64_t val);
uint64_t gicd_uread_ispendr_latch(const struct gic_access *a);
int gicd_uwrite_ispendr_exact(const struct gic_access *a, uint64_t val);
uint64_t gic_read_iidr(const struct gic_access *a);
int gicd_uwrite_iidr(const struct gic_access *a, uint64_t val);

/* gic.c: interrupts, vCPUs, state changes. */
struct gic_cpu *gic_cpu_get(const struct gic *gic, uint32_t cpu);
struct gic_cpu *gic_cpu_by_affinity(const struct gic *gic, uint32_t aff);
uint32_t gic_mpidr_affinity(uint64_t mpidr);
void gic_irq_update(struct gic *gic, struct gic_irq *irq);
void gic_irq_retarget(struct gic *gic, struct gic_irq *irq);
void gic_irq_set_pending(struct gic *gic, struct gic_irq *irq,
			 struct gic_cpu *src, bool pending);
void gic_mark_dirty(struct gic *gic, uint32_t cpu);
void gic_mark_all_dirty(struct gic *gic);
int gic_frame_reg_access(struct gic *gic, int ix, const struct gic_reg *r,
			 struct gic_cpu *cpu, uint32_t offset, unsigned int len,
			 uint64_t *val, bool is_write, enum gic_who who);
uint64_t gic_redist_typer(const struct gic *gic, const struct gic_cpu *cpu);

/* gic_cpuif.c: delivery and the CPU interface. */
void gic_flush(struct gic *gic);
struct gic_irq *gic_cpu_hppi(struct gic *gic, struct gic_cpu *cpu);
uint8_t gic_cpu_rpr(const struct gic_cpu *cpu);
uint32_t gic_cpu_ack(struct gic *gic, struct gic_cpu *cpu, int group);
void gic_cpu_eoi(struct gic *gic, struct gic_cpu *cpu, uint32_t val, int group);
void gic_cpu_dir(struct gic *gic, struct gic_cpu *cpu, uint32_t val);
uint32_t gic_cpu_hppir(struct gic *gic, struct gic_cpu *cpu, int group);
void gic_cpu_reset(struct gic *gic, struct gic_cpu *cpu);
void gic_v2_send_sgi(struct gic *gic, struct gic_cpu *src, uint32_t val);
void gic_v3_send_sgi(struct gic *gic, struct gic_cpu *src, uint64_t val,
		     bool group1);

/* gic_icc.c */
int gic_icc_index_build(struct gic *gic);

/* gic_frames.c: the frame indexes and the guest's frames. */
int gic_frames_build(struct gic *gic);
void gic_frames_free(struct gic *gic);

/* gic_frame_reg - @ix's register covering byte @offset, or NULL. */
static inline const struct gic_reg *gic_frame_reg(const struct gic_frame_ix *ix,
						  uint32_t offset)
{
	uint32_t w = offset / 4;

	return w < ix->words && ix->row[w] ? &ix->f->regs[ix->row[w] - 1] :
					     NULL;
}

/* gic_addr.c */
bool gic_ranges_overlap(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz);
uint64_t gic_rdreg_size(const struct gic *gic, const struct gic_rdreg *r);
int gic_rdist_assign(struct gic *gic, struct gic_cpu *cpu,
		     unsigned int ipa_bits);
int gic_v3_check_base(const struct gic *gic, unsigned int ipa_bits);

/*
 * gic_irq_get - the state of @intid as seen from @cpu: a private IRQ of
 * @cpu (NULL @cpu: none) or an SPI; NULL when out of range.
 */
static inline struct gic_irq *gic_irq_get(struct gic *gic, struct gic_cpu *cpu,
					  uint32_t intid)
{
	if (intid < GIC_NR_PRIVATE_IRQS)
		return cpu ? &cpu->priv[intid] : NULL;
	if (intid - GIC_NR_PRIVATE_IRQS < gic->nr_spis && gic->spis)
		return &gic->spis[intid - GIC_NR_PRIVATE_IRQS];
	return NULL;
}

static inline bool gic_irq_pending(const struct gic_irq *irq)
{
	if (irq->sgi_src)
		return true;
	return irq->latch || (!irq->edge && irq->line);
}

#endif /* VKVM_GIC_GIC_INTERNAL_H */
