// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgic_save_restore_test.c: migration through the attribute API (issue 4,
 * spec 7 and 8): a GICv2 and a GICv3 VM with 4 vCPUs are configured, saved
 * with QEMU's register lists, restored into a fresh VM in QEMU's order
 * (GICv3 incl. the IROUTER offset quirk), and compared: the saved state,
 * the full routing, and what guest accesses then read.
 */
#include <stdlib.h>

#include "api/vgic_api.h"
#include "api/vm.h"
#include "gic/gic.h"
#include "lib/test.h"
#include "lib/vgic_util.h"

#define NR_CPUS 4
#define NR_IRQS 128
#define NR_WORDS (NR_IRQS / 32)

#define GRP_DIST KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define GRP_CPU KVM_DEV_ARM_VGIC_GRP_CPU_REGS
#define GRP_REDIST KVM_DEV_ARM_VGIC_GRP_REDIST_REGS
#define GRP_SYSREGS KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS
#define GRP_LEVEL KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO
#define GRP_ADDR KVM_DEV_ARM_VGIC_GRP_ADDR

/* Distributor offsets (both models). */
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IIDR 0x008
#define GICD_STATUSR 0x010
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280
#define GICD_ISACTIVER 0x300
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xC00
#define GICD_CPENDSGIR 0xF10
#define GICD_SPENDSGIR 0xF20
#define GICD_IROUTER 0x6000
/* GICv2 CPU interface. */
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_ABPR 0x1C
#define GICC_APR 0xD0
/* GICv3 redistributor (RD_base, then SGI_base + 0x10000). */
#define GICR_CTLR 0x0000
#define GICR_STATUSR 0x0010
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000
/* ICC system registers (attr bits 15:0). */
#define ICC_PMR 0xC230
#define ICC_BPR0 0xC643
#define ICC_AP0R0 0xC644
#define ICC_AP1R0 0xC648
#define ICC_BPR1 0xC663
#define ICC_CTLR 0xC664
#define ICC_SRE 0xC665
#define ICC_IGRPEN0 0xC666
#define ICC_IGRPEN1 0xC667

#define V2_DIST_BASE 0x8000000ULL
#define V2_CPU_BASE 0x8010000ULL
#define V3_DIST_BASE 0x8000000ULL
#define V3_RDIST_BASE 0x80A0000ULL

struct svm {
	struct tvm t;
	int dev;
	uint32_t type;
};

static struct svm svm_new(uint32_t type)
{
	struct svm s = { .t = tvm_new(NR_CPUS), .type = type };

	s.dev = create_dev(s.t.vm, type, 0);
	REQUIRE(s.dev > 0);
	REQUIRE(!attr_set32(s.dev, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, NR_IRQS));
	REQUIRE(!ctrl_init(s.dev));
	if (type == KVM_DEV_TYPE_ARM_VGIC_V2) {
		REQUIRE(!attr_set64(s.dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST,
				    V2_DIST_BASE));
		REQUIRE(!attr_set64(s.dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_CPU,
				    V2_CPU_BASE));
	} else {
		REQUIRE(!attr_set64(s.dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST,
				    V3_DIST_BASE));
		REQUIRE(!attr_set64(s.dev, GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_REDIST,
				    V3_RDIST_BASE));
	}
	return s;
}

static void svm_free(struct svm *s)
{
	vkvm_close(s->dev);
	tvm_free(&s->t);
}

/* A 32-bit register through the API; any failure fails the test. */
static uint32_t rd(int dev, uint32_t group, uint64_t attr)
{
	return attr_get32(dev, group, attr);
}

static void wr(int dev, uint32_t group, uint64_t attr, uint32_t val)
{
	int ret = attr_set32(dev, group, attr, val);

	EXPECT_EQ(ret, 0);
}

static uint64_t rd_icc(int dev, uint32_t cpu, uint32_t enc)
{
	return attr_get64(dev, GRP_SYSREGS, v3_mpidr_attr(cpu) | enc);
}

static void wr_icc(int dev, uint32_t cpu, uint32_t enc, uint64_t val)
{
	int ret = attr_set64(dev, GRP_SYSREGS, v3_mpidr_attr(cpu) | enc, val);

	EXPECT_EQ(ret, 0);
}

/* A deterministic, irregular bit pattern. */
static uint32_t pat(uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 0x9e3779b9u;

	x ^= x >> 15;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	return x;
}

/* The SPI part of the distributor, the same registers on both models. */
struct spi_state {
	uint32_t igroupr[NR_WORDS], isenabler[NR_WORDS], ispendr[NR_WORDS];
	uint32_t isactiver[NR_WORDS], icfgr[2 * NR_WORDS];
	uint32_t ipriorityr[NR_IRQS / 4];
};

static void configure_spis(int dev)
{
	for (uint32_t w = 1; w < NR_WORDS; w++) {
		wr(dev, GRP_DIST, GICD_IGROUPR + 4 * w, pat(w));
		wr(dev, GRP_DIST, GICD_ISENABLER + 4 * w, pat(w + 10));
		wr(dev, GRP_DIST, GICD_ICFGR + 8 * w, pat(w + 20) & 0xAAAAAAAA);
		wr(dev, GRP_DIST, GICD_ICFGR + 8 * w + 4,
		   pat(w + 30) & 0xAAAAAAAA);
		wr(dev, GRP_DIST, GICD_ISPENDR + 4 * w, pat(w + 40));
		wr(dev, GRP_DIST, GICD_ISACTIVER + 4 * w, pat(w + 50));
	}
	for (uint32_t i = 32; i < NR_IRQS; i += 4)
		wr(dev, GRP_DIST, GICD_IPRIORITYR + i, pat(i + 70));
}

/* Distributor bitmaps skip word 0 (INTIDs 0-31), as QEMU does. */
static void save_spis(int dev, struct spi_state *st)
{
	for (uint32_t w = 1; w < NR_WORDS; w++) {
		st->igroupr[w] = rd(dev, GRP_DIST, GICD_IGROUPR + 4 * w);
		st->isenabler[w] = rd(dev, GRP_DIST, GICD_ISENABLER + 4 * w);
		st->ispendr[w] = rd(dev, GRP_DIST, GICD_ISPENDR + 4 * w);
		st->isactiver[w] = rd(dev, GRP_DIST, GICD_ISACTIVER + 4 * w);
		st->icfgr[2 * w] = rd(dev, GRP_DIST, GICD_ICFGR + 8 * w);
		st->icfgr[2 * w + 1] =
			rd(dev, GRP_DIST, GICD_ICFGR + 8 * w + 4);
	}
	for (uint32_t i = 32; i < NR_IRQS; i += 4)
		st->ipriorityr[i / 4] = rd(dev, GRP_DIST, GICD_IPRIORITYR + i);
}

/* --- GICv3 ---------------------------------------------------------------- */

struct v3_cpu_state {
	uint32_t ctlr, statusr, waker, igroupr0, isenabler0, icfgr1, level0;
	uint32_t ispendr0, isactiver0, ipriorityr[8];
	uint64_t sre, icc_ctlr, igrpen0, igrpen1, pmr, bpr0, bpr1;
	uint64_t ap0r[4], ap1r[4];
};

struct v3_state {
	uint32_t ctlr, statusr, level[NR_WORDS];
	struct spi_state spi;
	uint32_t irouter_q[NR_IRQS][2]; /* QEMU's IROUTER words, per SPI */
	uint32_t irouter[NR_IRQS]; /* architectural low words */
	struct v3_cpu_state cpu[NR_CPUS];
};

static uint64_t rd3(uint32_t cpu, uint32_t off)
{
	return v3_mpidr_attr(cpu) | off;
}

static unsigned int v3_nr_apr(uint64_t icc_ctlr)
{
	unsigned int pribits = ((icc_ctlr >> 8) & 7) + 1;

	return pribits <= 5 ? 1 : pribits == 6 ? 2 : 4;
}

/* Configure every kind of state through the API. */
static void v3_configure(int dev)
{
	wr(dev, GRP_DIST, GICD_CTLR, 0x2);
	configure_spis(dev);
	for (uint32_t w = 1; w < NR_WORDS; w++)
		wr(dev, GRP_LEVEL, 32 * w, pat(w + 60));
	for (uint32_t i = 32; i < NR_IRQS; i++)
		wr(dev, GRP_DIST, GICD_IROUTER + 8 * i, (i * 7) % NR_CPUS);
	for (uint32_t c = 0; c < NR_CPUS; c++) {
		uint32_t s = 100 * (c + 1);

		wr(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x080), pat(s));
		wr(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x100), pat(s + 1));
		wr(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x180), pat(s + 2));
		wr(dev, GRP_LEVEL, rd3(c, 0), pat(s + 3) & 0xFFFF0000);
		wr(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x200), pat(s + 4));
		wr(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x300), pat(s + 5));
		for (uint32_t k = 0; k < 8; k++)
			wr(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x400 + 4 * k),
			   pat(s + 6 + k));
		wr_icc(dev, c, ICC_CTLR, c & 1 ? 2 : 0); /* EOImode */
		wr_icc(dev, c, ICC_PMR, 0xF0 - 8 * c);
		wr_icc(dev, c, ICC_BPR0, 2 + c % 3);
		wr_icc(dev, c, ICC_BPR1, 3 + c % 3);
		wr_icc(dev, c, ICC_IGRPEN0, c & 1);
		wr_icc(dev, c, ICC_IGRPEN1, 1);
		wr_icc(dev, c, ICC_AP0R0, pat(s + 20) & 0xFFFF);
		wr_icc(dev, c, ICC_AP1R0, pat(s + 21) & 0xFFFF0000);
	}
}

/* QEMU's "get" (spec 8.2), in its order, plus the architectural routes. */
static void v3_save(int dev, struct v3_state *st)
{
	memset(st, 0, sizeof(*st));
	st->ctlr = rd(dev, GRP_DIST, GICD_CTLR);
	for (uint32_t c = 0; c < NR_CPUS; c++) {
		struct v3_cpu_state *cs = &st->cpu[c];

		cs->ctlr = rd(dev, GRP_REDIST, rd3(c, GICR_CTLR));
		cs->statusr = rd(dev, GRP_REDIST, rd3(c, GICR_STATUSR));
		cs->waker = rd(dev, GRP_REDIST, rd3(c, GICR_WAKER));
		cs->igroupr0 = rd(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x080));
		cs->isenabler0 = rd(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x100));
		cs->icfgr1 = rd(dev, GRP_REDIST, rd3(c, GICR_SGI + 0xC04));
		cs->level0 = rd(dev, GRP_LEVEL, rd3(c, 0));
		cs->ispendr0 = rd(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x200));
		cs->isactiver0 = rd(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x300));
		for (uint32_t k = 0; k < 8; k++)
			cs->ipriorityr[k] =
				rd(dev, GRP_REDIST,
				   rd3(c, GICR_SGI + 0x400 + 4 * k));
	}
	st->statusr = rd(dev, GRP_DIST, GICD_STATUSR);
	save_spis(dev, &st->spi);
	for (uint32_t w = 1; w < NR_WORDS; w++)
		st->level[w] = rd(dev, GRP_LEVEL, 32 * w);
	for (uint32_t i = 32; i < NR_IRQS; i++) {
		/* QEMU's quirk: 4-byte stride (spec 8.2) */
		st->irouter_q[i][0] = rd(dev, GRP_DIST, GICD_IROUTER + 4 * i);
		st->irouter_q[i][1] =
			rd(dev, GRP_DIST, GICD_IROUTER + 4 * i + 4);
		st->irouter[i] = rd(dev, GRP_DIST, GICD_IROUTER + 8 * i);
	}
	for (uint32_t c = 0; c < NR_CPUS; c++) {
		struct v3_cpu_state *cs = &st->cpu[c];

		cs->sre = rd_icc(dev, c, ICC_SRE);
		cs->icc_ctlr = rd_icc(dev, c, ICC_CTLR);
		cs->igrpen0 = rd_icc(dev, c, ICC_IGRPEN0);
		cs->igrpen1 = rd_icc(dev, c, ICC_IGRPEN1);
		cs->pmr = rd_icc(dev, c, ICC_PMR);
		cs->bpr0 = rd_icc(dev, c, ICC_BPR0);
		cs->bpr1 = rd_icc(dev, c, ICC_BPR1);
		for (unsigned int n = 0; n < v3_nr_apr(cs->icc_ctlr); n++) {
			cs->ap0r[n] = rd_icc(dev, c, ICC_AP0R0 + n);
			cs->ap1r[n] = rd_icc(dev, c, ICC_AP1R0 + n);
		}
	}
}

static void v3_restore_redist(int dev, const struct v3_state *st)
{
	for (uint32_t c = 0; c < NR_CPUS; c++) {
		const struct v3_cpu_state *cs = &st->cpu[c];

		wr(dev, GRP_REDIST, rd3(c, GICR_CTLR), cs->ctlr);
		wr(dev, GRP_REDIST, rd3(c, GICR_STATUSR), cs->statusr);
		wr(dev, GRP_REDIST, rd3(c, GICR_WAKER), cs->waker);
		wr(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x080), cs->igroupr0);
		wr(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x180), ~0U);
		wr(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x100), cs->isenabler0);
		wr(dev, GRP_REDIST, rd3(c, GICR_SGI + 0xC04), cs->icfgr1);
		wr(dev, GRP_LEVEL, rd3(c, 0), cs->level0);
		wr(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x280), ~0U);
		wr(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x200), cs->ispendr0);
		wr(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x380), ~0U);
		wr(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x300), cs->isactiver0);
		for (uint32_t k = 0; k < 8; k++)
			wr(dev, GRP_REDIST, rd3(c, GICR_SGI + 0x400 + 4 * k),
			   cs->ipriorityr[k]);
	}
}

static void v3_restore_dist(int dev, const struct v3_state *st)
{
	wr(dev, GRP_DIST, GICD_STATUSR, st->statusr);
	for (uint32_t w = 1; w < NR_WORDS; w++) {
		wr(dev, GRP_DIST, GICD_ICENABLER + 4 * w, 0);
		wr(dev, GRP_DIST, GICD_ISENABLER + 4 * w, st->spi.isenabler[w]);
	}
	for (uint32_t w = 1; w < NR_WORDS; w++)
		wr(dev, GRP_DIST, GICD_IGROUPR + 4 * w, st->spi.igroupr[w]);
	for (uint32_t i = 32; i < NR_IRQS; i++) {
		wr(dev, GRP_DIST, GICD_IROUTER + 4 * i, st->irouter_q[i][0]);
		wr(dev, GRP_DIST, GICD_IROUTER + 4 * i + 4,
		   st->irouter_q[i][1]);
	}
	for (uint32_t w = 2; w < 2 * NR_WORDS; w++)
		wr(dev, GRP_DIST, GICD_ICFGR + 4 * w, st->spi.icfgr[w]);
	for (uint32_t w = 1; w < NR_WORDS; w++)
		wr(dev, GRP_LEVEL, 32 * w, st->level[w]);
	for (uint32_t w = 1; w < NR_WORDS; w++) {
		wr(dev, GRP_DIST, GICD_ICPENDR + 4 * w, 0);
		wr(dev, GRP_DIST, GICD_ISPENDR + 4 * w, st->spi.ispendr[w]);
	}
	for (uint32_t w = 1; w < NR_WORDS; w++) {
		wr(dev, GRP_DIST, GICD_ICACTIVER + 4 * w, 0);
		wr(dev, GRP_DIST, GICD_ISACTIVER + 4 * w, st->spi.isactiver[w]);
	}
	for (uint32_t i = 32; i < NR_IRQS; i += 4)
		wr(dev, GRP_DIST, GICD_IPRIORITYR + i,
		   st->spi.ipriorityr[i / 4]);
}

static void v3_restore_icc(int dev, const struct v3_state *st)
{
	for (uint32_t c = 0; c < NR_CPUS; c++) {
		const struct v3_cpu_state *cs = &st->cpu[c];

		wr_icc(dev, c, ICC_SRE, cs->sre);
		wr_icc(dev, c, ICC_CTLR, cs->icc_ctlr);
		wr_icc(dev, c, ICC_IGRPEN0, cs->igrpen0);
		wr_icc(dev, c, ICC_IGRPEN1, cs->igrpen1);
		wr_icc(dev, c, ICC_PMR, cs->pmr);
		wr_icc(dev, c, ICC_BPR0, cs->bpr0);
		wr_icc(dev, c, ICC_BPR1, cs->bpr1);
		for (unsigned int n = 0; n < v3_nr_apr(cs->icc_ctlr); n++) {
			wr_icc(dev, c, ICC_AP0R0 + n, cs->ap0r[n]);
			wr_icc(dev, c, ICC_AP1R0 + n, cs->ap1r[n]);
		}
	}
}

/* QEMU's "put" (spec 8.2): GICD_CTLR, redistributors, distributor, ICC. */
static void v3_restore(int dev, const struct v3_state *st)
{
	wr(dev, GRP_DIST, GICD_CTLR, st->ctlr);
	v3_restore_redist(dev, st);
	v3_restore_dist(dev, st);
	v3_restore_icc(dev, st);
}

/* --- GICv2 ---------------------------------------------------------------- */

struct v2_cpu_state {
	uint32_t ctlr, pmr, bpr, abpr, apr[4];
	/* banked distributor words (INTIDs 0-31 of this vCPU) */
	uint32_t igroupr0, isenabler0, ispendr0, isactiver0, icfgr[2];
	uint32_t ipriorityr[8], itargetsr[8], sgipend[4];
};

struct v2_state {
	uint32_t ctlr, typer, iidr;
	struct spi_state spi;
	uint32_t itargetsr[NR_IRQS / 4];
	struct v2_cpu_state cpu[NR_CPUS];
};

static uint64_t rd2(uint32_t cpu, uint32_t off)
{
	return v2_cpu_attr(cpu) | off;
}

static void v2_configure(struct svm *s)
{
	int dev = s->dev;

	/* user IGROUPR writes need a GICD_IIDR write first (spec 7.1) */
	wr(dev, GRP_DIST, GICD_IIDR, rd(dev, GRP_DIST, GICD_IIDR));
	wr(dev, GRP_DIST, GICD_CTLR, 1);
	configure_spis(dev);
	for (uint32_t i = 32; i < NR_IRQS; i += 4)
		wr(dev, GRP_DIST, GICD_ITARGETSR + i, pat(i + 80) & 0x0F0F0F0F);
	/* level lines on some SPIs (pending reads include them on v2) */
	for (uint32_t i = 40; i < NR_IRQS; i += 9)
		EXPECT_OK(irq_line(s->t.vm, irq_spi(i), 1));
	for (uint32_t c = 0; c < NR_CPUS; c++) {
		uint32_t sd = 100 * (c + 1);

		wr(dev, GRP_DIST, rd2(c, GICD_IGROUPR), pat(sd));
		wr(dev, GRP_DIST, rd2(c, GICD_ISENABLER), pat(sd + 1));
		wr(dev, GRP_DIST, rd2(c, GICD_ISPENDR),
		   pat(sd + 2) & 0xFFFF0000);
		wr(dev, GRP_DIST, rd2(c, GICD_ISACTIVER), pat(sd + 3));
		for (uint32_t k = 0; k < 8; k++)
			wr(dev, GRP_DIST, rd2(c, GICD_IPRIORITYR + 4 * k),
			   pat(sd + 4 + k));
		for (uint32_t k = 0; k < 4; k++)
			wr(dev, GRP_DIST, rd2(c, GICD_SPENDSGIR + 4 * k),
			   pat(sd + 12 + k) & 0x0F0F0F0F);
		EXPECT_OK(irq_line(s->t.vm, irq_ppi(c, 20 + c), 1));
		wr(dev, GRP_CPU, rd2(c, GICC_CTLR), c & 1 ? 0x203 : 0x13);
		wr(dev, GRP_CPU, rd2(c, GICC_PMR), 0x1F - c);
		wr(dev, GRP_CPU, rd2(c, GICC_BPR), 2 + c % 3);
		wr(dev, GRP_CPU, rd2(c, GICC_ABPR), 3 + c % 3);
		wr(dev, GRP_CPU, rd2(c, GICC_APR), pat(sd + 20) & 0xFFFF);
	}
}

/* QEMU's v2 save (spec 8.4): banked words per vCPU, SPI words once. */
static void v2_save(int dev, struct v2_state *st)
{
	memset(st, 0, sizeof(*st));
	st->ctlr = rd(dev, GRP_DIST, GICD_CTLR);
	st->typer = rd(dev, GRP_DIST, GICD_TYPER);
	st->iidr = rd(dev, GRP_DIST, GICD_IIDR);
	save_spis(dev, &st->spi);
	for (uint32_t i = 32; i < NR_IRQS; i += 4)
		st->itargetsr[i / 4] = rd(dev, GRP_DIST, GICD_ITARGETSR + i);
	for (uint32_t c = 0; c < NR_CPUS; c++) {
		struct v2_cpu_state *cs = &st->cpu[c];

		cs->igroupr0 = rd(dev, GRP_DIST, rd2(c, GICD_IGROUPR));
		cs->isenabler0 = rd(dev, GRP_DIST, rd2(c, GICD_ISENABLER));
		cs->ispendr0 = rd(dev, GRP_DIST, rd2(c, GICD_ISPENDR));
		cs->isactiver0 = rd(dev, GRP_DIST, rd2(c, GICD_ISACTIVER));
		cs->icfgr[0] = rd(dev, GRP_DIST, rd2(c, GICD_ICFGR));
		cs->icfgr[1] = rd(dev, GRP_DIST, rd2(c, GICD_ICFGR + 4));
		for (uint32_t k = 0; k < 8; k++) {
			cs->ipriorityr[k] = rd(dev, GRP_DIST,
					       rd2(c, GICD_IPRIORITYR + 4 * k));
			cs->itargetsr[k] = rd(dev, GRP_DIST,
					      rd2(c, GICD_ITARGETSR + 4 * k));
		}
		for (uint32_t k = 0; k < 4; k++)
			cs->sgipend[k] = rd(dev, GRP_DIST,
					    rd2(c, GICD_SPENDSGIR + 4 * k));
		cs->ctlr = rd(dev, GRP_CPU, rd2(c, GICC_CTLR));
		cs->pmr = rd(dev, GRP_CPU, rd2(c, GICC_PMR));
		cs->bpr = rd(dev, GRP_CPU, rd2(c, GICC_BPR));
		cs->abpr = rd(dev, GRP_CPU, rd2(c, GICC_ABPR));
		for (uint32_t k = 0; k < 4; k++)
			cs->apr[k] = rd(dev, GRP_CPU, rd2(c, GICC_APR + 4 * k));
	}
}

/* A bitmap pair (clear all, then set saved) for every word of vCPU @c. */
static void v2_put_pair(int dev, uint32_t c, uint32_t clr, uint32_t set,
			uint32_t banked, const uint32_t *spi)
{
	wr(dev, GRP_DIST, rd2(c, clr), ~0U);
	wr(dev, GRP_DIST, rd2(c, set), banked);
	if (c)
		return;
	for (uint32_t w = 1; w < NR_WORDS; w++) {
		wr(dev, GRP_DIST, clr + 4 * w, ~0U);
		wr(dev, GRP_DIST, set + 4 * w, spi[w]);
	}
}

/* QEMU's v2 restore order (spec 8.4), with the GICD_IIDR write first. */
static void v2_restore(int dev, const struct v2_state *st)
{
	wr(dev, GRP_DIST, GICD_IIDR, st->iidr);
	wr(dev, GRP_DIST, GICD_CTLR, st->ctlr);
	EXPECT_EQ(rd(dev, GRP_DIST, GICD_TYPER), st->typer);
	for (uint32_t c = 0; c < NR_CPUS; c++)
		v2_put_pair(dev, c, GICD_ICENABLER, GICD_ISENABLER,
			    st->cpu[c].isenabler0, st->spi.isenabler);
	for (uint32_t c = 0; c < NR_CPUS; c++)
		wr(dev, GRP_DIST, rd2(c, GICD_IGROUPR), st->cpu[c].igroupr0);
	for (uint32_t w = 1; w < NR_WORDS; w++)
		wr(dev, GRP_DIST, GICD_IGROUPR + 4 * w, st->spi.igroupr[w]);
	for (uint32_t i = 32; i < NR_IRQS; i += 4)
		wr(dev, GRP_DIST, GICD_ITARGETSR + i, st->itargetsr[i / 4]);
	for (uint32_t w = 2; w < 2 * NR_WORDS; w++)
		wr(dev, GRP_DIST, GICD_ICFGR + 4 * w, st->spi.icfgr[w]);
	for (uint32_t c = 0; c < NR_CPUS; c++)
		v2_put_pair(dev, c, GICD_ICPENDR, GICD_ISPENDR,
			    st->cpu[c].ispendr0, st->spi.ispendr);
	for (uint32_t c = 0; c < NR_CPUS; c++)
		v2_put_pair(dev, c, GICD_ICACTIVER, GICD_ISACTIVER,
			    st->cpu[c].isactiver0, st->spi.isactiver);
	for (uint32_t c = 0; c < NR_CPUS; c++)
		for (uint32_t k = 0; k < 8; k++)
			wr(dev, GRP_DIST, rd2(c, GICD_IPRIORITYR + 4 * k),
			   st->cpu[c].ipriorityr[k]);
	for (uint32_t i = 32; i < NR_IRQS; i += 4)
		wr(dev, GRP_DIST, GICD_IPRIORITYR + i,
		   st->spi.ipriorityr[i / 4]);
	for (uint32_t c = 0; c < NR_CPUS; c++) {
		for (uint32_t k = 0; k < 4; k++) {
			wr(dev, GRP_DIST, rd2(c, GICD_CPENDSGIR + 4 * k), ~0U);
			wr(dev, GRP_DIST, rd2(c, GICD_SPENDSGIR + 4 * k),
			   st->cpu[c].sgipend[k]);
		}
	}
	for (uint32_t c = 0; c < NR_CPUS; c++) {
		const struct v2_cpu_state *cs = &st->cpu[c];

		wr(dev, GRP_CPU, rd2(c, GICC_CTLR), cs->ctlr);
		wr(dev, GRP_CPU, rd2(c, GICC_PMR), cs->pmr);
		wr(dev, GRP_CPU, rd2(c, GICC_BPR), cs->bpr);
		wr(dev, GRP_CPU, rd2(c, GICC_ABPR), cs->abpr);
		for (uint32_t k = 0; k < 4; k++)
			wr(dev, GRP_CPU, rd2(c, GICC_APR + 4 * k), cs->apr[k]);
	}
}

/* --- the guest's view ----------------------------------------------------- */

static struct vm *vm_obj(int vm_fd)
{
	return tvm_file_priv(vm_fd);
}

/* Make the vGIC ready (the first-run mapping), as KVM_RUN would. */
static void make_ready(struct vm *vm)
{
	int ret;

	pthread_mutex_lock(&vm->lock);
	ret = vgic_api_first_run(vm);
	pthread_mutex_unlock(&vm->lock);
	EXPECT_EQ(ret, 0);
}

/* Guest reads of a frame range; registers with read side effects skipped. */
static void guest_read_range(struct vm *vm, uint32_t cpu, uint64_t base,
			     uint32_t lo, uint32_t hi, const uint32_t *skip,
			     uint32_t *out)
{
	spin_lock(&vm->gic_lock);
	for (uint32_t off = lo; off < hi; off += 4) {
		uint64_t v = 0;
		bool skipped = false;

		for (const uint32_t *s = skip; s && *s; s++)
			skipped |= *s == off;
		if (!skipped)
			EXPECT_EQ(gic_mmio(vm->gic, cpu, base + off, 4, &v,
					   false),
				  1);
		*out++ = (uint32_t)v;
	}
	spin_unlock(&vm->gic_lock);
}

static void expect_same_guest_view(struct svm *a, struct svm *b, uint64_t base,
				   uint32_t lo, uint32_t hi,
				   const uint32_t *skip)
{
	struct vm *va = vm_obj(a->t.vm), *vb = vm_obj(b->t.vm);
	size_t n = (hi - lo) / 4;
	uint32_t *ra = calloc(n, 4), *rb = calloc(n, 4);

	REQUIRE(ra && rb);
	for (uint32_t c = 0; c < NR_CPUS; c++) {
		guest_read_range(va, c, base, lo, hi, skip, ra);
		guest_read_range(vb, c, base, lo, hi, skip, rb);
		for (size_t i = 0; i < n; i++)
			if (ra[i] != rb[i])
				test_fail(
					__FILE__, __LINE__,
					"cpu %u guest read at 0x%llx: 0x%x "
					"!= 0x%x",
					c,
					(unsigned long long)(base + lo + 4 * i),
					ra[i], rb[i]);
	}
	free(ra);
	free(rb);
}

static void expect_same_icc_view(struct svm *a, struct svm *b)
{
	static const uint16_t regs[] = { ICC_PMR,
					 0xC65B /* RPR */,
					 0xC662 /* HPPIR1 */,
					 0xC642 /* HPPIR0 */,
					 ICC_BPR0,
					 ICC_BPR1,
					 ICC_CTLR,
					 ICC_SRE,
					 ICC_IGRPEN0,
					 ICC_IGRPEN1,
					 ICC_AP0R0,
					 ICC_AP1R0 };
	struct vm *va = vm_obj(a->t.vm), *vb = vm_obj(b->t.vm);

	for (uint32_t c = 0; c < NR_CPUS; c++) {
		for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
			uint64_t x = 0, y = 0;

			spin_lock(&va->gic_lock);
			EXPECT_OK(gic_icc_access(va->gic, c, regs[i], &x, false,
						 GIC_GUEST));
			spin_unlock(&va->gic_lock);
			spin_lock(&vb->gic_lock);
			EXPECT_OK(gic_icc_access(vb->gic, c, regs[i], &y, false,
						 GIC_GUEST));
			spin_unlock(&vb->gic_lock);
			EXPECT_EQ(x, y);
		}
	}
}

/* --- the tests ------------------------------------------------------------ */

TEST(v3_save_restore_qemu_order_round_trips)
{
	struct svm a = svm_new(KVM_DEV_TYPE_ARM_VGIC_V3);
	struct svm b = svm_new(KVM_DEV_TYPE_ARM_VGIC_V3);
	static struct v3_state sa, sb;

	v3_configure(a.dev);
	v3_save(a.dev, &sa);
	/* the configuration took: a few spot checks */
	EXPECT_EQ(sa.ctlr & 2, 2);
	EXPECT(sa.spi.isenabler[1] != 0);
	EXPECT_EQ(sa.irouter[33], (33 * 7) % NR_CPUS);
	EXPECT_EQ(sa.cpu[1].pmr, 0xF0 - 8);

	v3_restore(b.dev, &sa);
	/* the IROUTER quirk restored the lower half of the SPIs only */
	v3_save(b.dev, &sb);
	for (uint32_t i = 32; i < NR_IRQS; i++)
		EXPECT_EQ(sb.irouter[i], i < NR_IRQS / 2 ? sa.irouter[i] : 0);
	/* a correct VMM writes the architectural offsets too */
	for (uint32_t i = 32; i < NR_IRQS; i++)
		wr(b.dev, GRP_DIST, GICD_IROUTER + 8 * i, sa.irouter[i]);
	v3_save(b.dev, &sb);
	EXPECT(memcmp(&sa, &sb, sizeof(sa)) == 0);

	make_ready(vm_obj(a.t.vm));
	make_ready(vm_obj(b.t.vm));
	expect_same_guest_view(&a, &b, V3_DIST_BASE, 0, 0x10000, NULL);
	for (uint32_t c = 0; c < NR_CPUS; c++)
		expect_same_guest_view(&a, &b, V3_RDIST_BASE + c * 0x20000, 0,
				       0x20000, NULL);
	expect_same_icc_view(&a, &b);
	svm_free(&a);
	svm_free(&b);
}

TEST(v2_save_restore_qemu_order_round_trips)
{
	static const uint32_t cpu_skip[] = { 0x0C /* IAR */, 0x20 /* AIAR */,
					     0 };
	struct svm a = svm_new(KVM_DEV_TYPE_ARM_VGIC_V2);
	struct svm b = svm_new(KVM_DEV_TYPE_ARM_VGIC_V2);
	static struct v2_state sa, sb;

	v2_configure(&a);
	v2_save(a.dev, &sa);
	EXPECT_EQ(sa.ctlr, 1);
	EXPECT(sa.spi.igroupr[1] != 0);
	EXPECT_EQ(sa.cpu[2].pmr, 0x1F - 2);
	EXPECT(sa.cpu[1].ispendr0 & (1U << 21));

	v2_restore(b.dev, &sa);
	v2_save(b.dev, &sb);
	EXPECT(memcmp(&sa, &sb, sizeof(sa)) == 0);

	make_ready(vm_obj(a.t.vm));
	make_ready(vm_obj(b.t.vm));
	expect_same_guest_view(&a, &b, V2_DIST_BASE, 0, 0x1000, NULL);
	expect_same_guest_view(&a, &b, V2_CPU_BASE, 0, 0x100, cpu_skip);
	svm_free(&a);
	svm_free(&b);
}
