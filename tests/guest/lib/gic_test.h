/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gic_test.h: the body of gic_v2.c / gic_v3.c (GIC_VERSION 2 or 3):
 * SGI to self with acknowledge/EOI and priorities, both generic timers
 * firing through their PPIs and re-arming, WFI woken by the timer, and
 * the PL011's SPI 33 (raised by the VMM through KVM_IRQ_LINE from
 * another host thread on vkvm, by the PL011 model on QEMU).
 */
#ifndef VKVM_GUEST_GIC_TEST_H
#define VKVM_GUEST_GIC_TEST_H

#include "guest.h"

#define GICD 0x08000000UL
#define GICC 0x08010000UL
#define GICR 0x080a0000UL
#define GICR_SGI (GICR + 0x10000UL)
#define SPURIOUS 1023

#define PPI_VTIMER 27
#define PPI_PTIMER 30
#define SPI_UART 33
#define SGI_TEST 3

static volatile uint32_t got[1024];
static volatile uint32_t last_irq = SPURIOUS;
static volatile uint32_t order[8], norder;

/* --- acknowledge / EOI, per GIC version --- */
#if GIC_VERSION == 3
static uint32_t gic_ack(void)
{
	return (uint32_t)sysreg_read(S3_0_C12_C12_0); /* ICC_IAR1_EL1 */
}

static void gic_eoi(uint32_t intid)
{
	sysreg_write(S3_0_C12_C12_1, intid); /* ICC_EOIR1_EL1 */
}

static uint32_t gic_hppi(void)
{
	return (uint32_t)sysreg_read(S3_0_C12_C12_2); /* ICC_HPPIR1_EL1 */
}

static void gic_send_sgi_self(uint32_t intid)
{
	/* ICC_SGI1R_EL1: Aff1..3 = 0, target list bit 0 (vCPU 0) */
	sysreg_write(S3_0_C12_C11_5, ((uint64_t)intid << 24) | 1);
	__asm__ volatile("isb");
}

static void gic_enable_private(uint32_t intid, uint8_t prio)
{
	*(volatile uint8_t *)(GICR_SGI + 0x400 + intid) = prio;
	mmio_write32(GICR_SGI + 0x80, 0xffffffff); /* IGROUPR0: group 1 */
	mmio_write32(GICR_SGI + 0x100, 1U << intid); /* ISENABLER0 */
}

static void gic_setup(void)
{
	mmio_write32(GICR + 0x14, 0); /* WAKER: wake up (QEMU needs it) */
	while (mmio_read32(GICR + 0x14) & 4)
		;
	mmio_write32(GICD, 0x13); /* CTLR: ARE, EnableGrp1, EnableGrp0 */
	sysreg_write(S3_0_C12_C12_5, sysreg_read(S3_0_C12_C12_5) | 7); /* SRE */
	__asm__ volatile("isb");
	sysreg_write(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1 */
	sysreg_write(S3_0_C12_C12_3, 0); /* ICC_BPR1_EL1 */
	sysreg_write(S3_0_C12_C12_7, 1); /* ICC_IGRPEN1_EL1 */
	__asm__ volatile("isb");
}

static void gic_enable_spi(uint32_t intid, uint8_t prio)
{
	*(volatile uint8_t *)(GICD + 0x400 + intid) = prio;
	mmio_write32(GICD + 0x80 + 4 * (intid / 32), 0xffffffff);
	/* IROUTER: Aff 0.0.0.0 */
	mmio_write32(GICD + 0x6000 + 8 * intid, 0);
	mmio_write32(GICD + 0x6004 + 8 * intid, 0);
	mmio_write32(GICD + 0x100 + 4 * (intid / 32), 1U << (intid % 32));
}
#else
static uint32_t gic_ack(void)
{
	return mmio_read32(GICC + 0x0c) & 0x3ff; /* GICC_IAR */
}

static void gic_eoi(uint32_t intid)
{
	mmio_write32(GICC + 0x10, intid); /* GICC_EOIR */
}

static uint32_t gic_hppi(void)
{
	return mmio_read32(GICC + 0x18) & 0x3ff; /* GICC_HPPIR */
}

static void gic_send_sgi_self(uint32_t intid)
{
	mmio_write32(GICD + 0xf00, (2U << 24) | intid); /* SGIR: self */
}

static void gic_enable_private(uint32_t intid, uint8_t prio)
{
	*(volatile uint8_t *)(GICD + 0x400 + intid) = prio;
	mmio_write32(GICD + 0x100, 1U << intid);
}

static void gic_setup(void)
{
	mmio_write32(GICD, 1); /* GICD_CTLR */
	mmio_write32(GICC + 0x04, 0xff); /* GICC_PMR */
	mmio_write32(GICC + 0x08, 0); /* GICC_BPR */
	mmio_write32(GICC, 1); /* GICC_CTLR */
}

static void gic_enable_spi(uint32_t intid, uint8_t prio)
{
	*(volatile uint8_t *)(GICD + 0x400 + intid) = prio;
	*(volatile uint8_t *)(GICD + 0x800 + intid) = 1; /* to CPU 0 */
	mmio_write32(GICD + 0x100 + 4 * (intid / 32), 1U << (intid % 32));
}
#endif

static void irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2; isb" ::: "memory");
}

static void irq_disable(void)
{
	__asm__ volatile("msr daifset, #2; isb" ::: "memory");
}

/* The handler: acknowledge, quiet the source, record, EOI. */
static void on_irq(struct frame *f)
{
	uint32_t id = gic_ack();

	(void)f;
	if (id == SPURIOUS)
		return;
	if (id == PPI_VTIMER)
		sysreg_write(cntv_ctl_el0, 3); /* IMASK, still enabled */
	if (id == PPI_PTIMER)
		sysreg_write(cntp_ctl_el0, 0);
	if (id == SPI_UART)
		mmio_write32(UART_BASE + 0x44, 0x20); /* ICR: TX */
	got[id]++;
	last_irq = id;
	if (norder < 8)
		order[norder++] = id;
	gic_eoi(id);
}

static void wait_irq(uint32_t id, uint32_t before)
{
	for (int i = 0; i < 100000000 && got[id] == before; i++)
		__asm__ volatile("yield");
}

static void test_sgi(void)
{
	irq_disable();
	gic_send_sgi_self(SGI_TEST);
	check_eq("sgi pending while masked (hppir)", gic_hppi(), SGI_TEST);
	irq_enable();
	wait_irq(SGI_TEST, 0);
	check_eq("sgi delivered once", got[SGI_TEST], 1);
	check_eq("nothing pending after eoi", gic_hppi(), SPURIOUS);
}

/* Two SGIs raised while masked are taken highest priority first. */
static void test_priority(void)
{
	gic_enable_private(5, 0xa0);
	gic_enable_private(6, 0x20);
	irq_disable();
	norder = 0;
	gic_send_sgi_self(5);
	gic_send_sgi_self(6);
	irq_enable();
	wait_irq(5, 0);
	check_eq("higher priority sgi first", order[0], 6);
	check_eq("then the lower one", order[1], 5);
}

static void test_timer(const char *name, int virt)
{
	uint32_t id = virt ? PPI_VTIMER : PPI_PTIMER;
	uint64_t freq = sysreg_read(cntfrq_el0);

	for (uint32_t round = 0; round < 2; round++) {
		uint32_t before = got[id];

		if (virt) {
			sysreg_write(cntv_tval_el0, freq / 1000);
			sysreg_write(cntv_ctl_el0, 1);
		} else {
			sysreg_write(cntp_tval_el0, freq / 1000);
			sysreg_write(cntp_ctl_el0, 1);
		}
		__asm__ volatile("isb");
		wait_irq(id, before);
		check(name, got[id] == before + 1);
	}
	if (virt)
		check_eq("vtimer ctl istatus after firing",
			 sysreg_read(cntv_ctl_el0) & 4, 4);
}

static void test_wfi(void)
{
	uint64_t freq = sysreg_read(cntfrq_el0), t0, t1;
	uint32_t before = got[PPI_VTIMER];

	irq_disable();
	t0 = sysreg_read(cntvct_el0);
	sysreg_write(cntv_tval_el0, freq / 100); /* 10 ms */
	sysreg_write(cntv_ctl_el0, 1);
	while (!(sysreg_read(cntv_ctl_el0) & 4))
		__asm__ volatile("wfi"); /* wakes with the IRQ masked */
	t1 = sysreg_read(cntvct_el0);
	check("wfi woke by the timer after 10 ms", t1 - t0 >= freq / 100);
	irq_enable();
	wait_irq(PPI_VTIMER, before);
	check_eq("masked timer irq taken after unmasking", got[PPI_VTIMER],
		 before + 1);
}

static void test_spi(void)
{
	uint32_t before = got[SPI_UART];

	gic_enable_spi(SPI_UART, 0x80);
	mmio_write32(UART_BASE + 0x38, 0x20); /* IMSC: TX interrupt */
	puts_("spi: tx interrupt armed\n");
	wait_irq(SPI_UART, before);
	check("uart spi 33 delivered", got[SPI_UART] > before);
	mmio_write32(UART_BASE + 0x38, 0);
}

void main_cpu0(void)
{
	irq_handler = on_irq;
	gic_setup();
	gic_enable_private(SGI_TEST, 0x80);
	gic_enable_private(PPI_VTIMER, 0x80);
	gic_enable_private(PPI_PTIMER, 0x80);
#if GIC_VERSION == 3
	check_eq("id_aa64pfr0.gic = 1",
		 (sysreg_read(id_aa64pfr0_el1) >> 24) & 0xf, 1);
#endif
	test_sgi();
	test_priority();
	test_timer("vtimer fires", 1);
	test_timer("ptimer fires", 0);
	test_wfi();
	test_spi();
	irq_disable();
}

void main_secondary(unsigned int cpu, uint64_t arg)
{
	(void)cpu;
	(void)arg;
}

#endif /* VKVM_GUEST_GIC_TEST_H */
