/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gic_ops.h: the few GIC operations the guest tests need, for GICv2
 * (GIC_VERSION 2: GICD/GICC MMIO) and GICv3 (3: GICD/GICR MMIO and the
 * ICC_* system registers, by encoding).  Per-CPU parts act on the
 * calling CPU.
 */
#ifndef VKVM_GUEST_GIC_OPS_H
#define VKVM_GUEST_GIC_OPS_H

#include "guest.h"

#define GICD 0x08000000UL
#define GICC 0x08010000UL
#define GICR 0x080a0000UL
#define SPURIOUS 1023

/* --- acknowledge / EOI, per GIC version --- */
#if GIC_VERSION == 3
static inline uint32_t gic_ack(void)
{
	return (uint32_t)sysreg_read(S3_0_C12_C12_0); /* ICC_IAR1_EL1 */
}

static inline void gic_eoi(uint32_t intid)
{
	sysreg_write(S3_0_C12_C12_1, intid); /* ICC_EOIR1_EL1 */
}

static inline uint32_t gic_hppi(void)
{
	return (uint32_t)sysreg_read(S3_0_C12_C12_2); /* ICC_HPPIR1_EL1 */
}

static inline void gic_send_sgi_self(uint32_t intid)
{
	/* ICC_SGI1R_EL1: Aff1..3 = 0, target list bit 0 (vCPU 0) */
	sysreg_write(S3_0_C12_C11_5, ((uint64_t)intid << 24) | 1);
	__asm__ volatile("isb");
}

/* This CPU's redistributor (one 128 KiB frame per vCPU, in order). */
static inline uintptr_t gicr(void)
{
	return GICR + 0x20000UL * cpu_id();
}

static inline uint32_t gic_rpr(void)
{
	return (uint32_t)sysreg_read(S3_0_C12_C11_3); /* ICC_RPR_EL1 */
}

static inline void gic_dir(uint32_t intid)
{
	sysreg_write(S3_0_C12_C11_1, intid); /* ICC_DIR_EL1 */
	__asm__ volatile("isb");
}

/* ICC_CTLR_EL1.EOImode (bit 1): EOI only drops the priority. */
static inline void gic_set_eoimode(bool split)
{
	uint64_t ctlr = sysreg_read(S3_0_C12_C12_4);

	sysreg_write(S3_0_C12_C12_4, split ? ctlr | 2 : ctlr & ~2ULL);
	__asm__ volatile("isb");
}

/* GICR_ISACTIVER0 of this CPU: its active SGIs and PPIs. */
static inline uint32_t gic_active_private(void)
{
	return mmio_read32(gicr() + 0x10000 + 0x300);
}

static inline void gic_enable_private(uint32_t intid, uint8_t prio)
{
	uintptr_t sgi = gicr() + 0x10000;

	*(volatile uint8_t *)(sgi + 0x400 + intid) = prio;
	mmio_write32(sgi + 0x80, 0xffffffff); /* IGROUPR0: group 1 */
	mmio_write32(sgi + 0x100, 1U << intid); /* ISENABLER0 */
}

static inline void gic_send_sgi(uint32_t intid, unsigned int cpu)
{
	sysreg_write(S3_0_C12_C11_5, ((uint64_t)intid << 24) | (1U << cpu));
	__asm__ volatile("isb");
}

static inline void gic_dist_setup(void)
{
	mmio_write32(GICD, 0x13); /* CTLR: ARE, EnableGrp1, EnableGrp0 */
}

static inline void gic_cpu_setup(void)
{
	mmio_write32(gicr() + 0x14, 0); /* WAKER: wake up (QEMU needs it) */
	while (mmio_read32(gicr() + 0x14) & 4)
		;
	sysreg_write(S3_0_C12_C12_5, sysreg_read(S3_0_C12_C12_5) | 7); /* SRE */
	__asm__ volatile("isb");
	sysreg_write(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1 */
	sysreg_write(S3_0_C12_C12_3, 0); /* ICC_BPR1_EL1 */
	sysreg_write(S3_0_C12_C12_7, 1); /* ICC_IGRPEN1_EL1 */
	__asm__ volatile("isb");
}

static inline void gic_enable_spi(uint32_t intid, uint8_t prio)
{
	*(volatile uint8_t *)(GICD + 0x400 + intid) = prio;
	mmio_write32(GICD + 0x80 + 4 * (intid / 32), 0xffffffff);
	/* IROUTER: Aff 0.0.0.0 */
	mmio_write32(GICD + 0x6000 + 8 * intid, 0);
	mmio_write32(GICD + 0x6004 + 8 * intid, 0);
	mmio_write32(GICD + 0x100 + 4 * (intid / 32), 1U << (intid % 32));
}
#else
static inline uint32_t gic_ack(void)
{
	/* GICC_IAR: INTID, and the source CPU of an SGI in bits 12:10 */
	return mmio_read32(GICC + 0x0c) & 0x1fff;
}

static inline void gic_eoi(uint32_t intid)
{
	mmio_write32(GICC + 0x10, intid); /* GICC_EOIR */
}

static inline uint32_t gic_hppi(void)
{
	return mmio_read32(GICC + 0x18) & 0x3ff; /* GICC_HPPIR */
}

static inline void gic_send_sgi_self(uint32_t intid)
{
	mmio_write32(GICD + 0xf00, (2U << 24) | intid); /* SGIR: self */
}

static inline void gic_enable_private(uint32_t intid, uint8_t prio)
{
	*(volatile uint8_t *)(GICD + 0x400 + intid) = prio;
	mmio_write32(GICD + 0x100, 1U << intid);
}

static inline void gic_send_sgi(uint32_t intid, unsigned int cpu)
{
	mmio_write32(GICD + 0xf00, (1U << (16 + cpu)) | intid);
}

static inline uint32_t gic_rpr(void)
{
	return mmio_read32(GICC + 0x14) & 0xff; /* GICC_RPR */
}

static inline void gic_dir(uint32_t intid)
{
	mmio_write32(GICC + 0x1000, intid); /* GICC_DIR */
}

/* GICC_CTLR.EOImode (bit 9: EOImodeNS in KVM's view, EOImodeS on QEMU's
 * GIC without security extensions): EOI only drops the priority. */
static inline void gic_set_eoimode(bool split)
{
	mmio_write32(GICC, split ? 1 | (1U << 9) : 1);
}

/* GICD_ISACTIVER0 (banked): this CPU's active SGIs and PPIs. */
static inline uint32_t gic_active_private(void)
{
	return mmio_read32(GICD + 0x300);
}

static inline void gic_dist_setup(void)
{
	mmio_write32(GICD, 1); /* GICD_CTLR */
}

static inline void gic_cpu_setup(void)
{
	mmio_write32(GICC + 0x04, 0xff); /* GICC_PMR */
	mmio_write32(GICC + 0x08, 0); /* GICC_BPR */
	mmio_write32(GICC, 1); /* GICC_CTLR */
}

static inline void gic_enable_spi(uint32_t intid, uint8_t prio)
{
	*(volatile uint8_t *)(GICD + 0x400 + intid) = prio;
	*(volatile uint8_t *)(GICD + 0x800 + intid) = 1; /* to CPU 0 */
	mmio_write32(GICD + 0x100 + 4 * (intid / 32), 1U << (intid % 32));
}
#endif

static inline void irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2; isb" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("msr daifset, #2; isb" ::: "memory");
}

/* This CPU's interface on, with SGIs @a and @b enabled. */
static inline void gic_cpu_up(uint32_t a, uint32_t b)
{
	gic_cpu_setup();
	gic_enable_private(a, 0x80);
	gic_enable_private(b, 0x80);
}

/* A secondary that serves interrupts in WFI: up, count itself in @ready,
 * wait until @stop. */
static inline void gic_serve_until(uint32_t a, uint32_t b,
				   volatile uint32_t *ready,
				   volatile uint32_t *stop)
{
	gic_cpu_up(a, b);
	__atomic_fetch_add(ready, 1, __ATOMIC_SEQ_CST);
	irq_enable();
	while (!*stop)
		__asm__ volatile("wfi");
	irq_disable();
}

#endif /* VKVM_GUEST_GIC_OPS_H */
