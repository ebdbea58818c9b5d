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

#include "gic_ops.h"

#define PPI_VTIMER 27
#define PPI_PTIMER 30
#define SPI_UART 33
#define SGI_TEST 3

static volatile uint32_t got[1024];
static volatile uint32_t last_irq = SPURIOUS;
static volatile uint32_t order[8], norder;

/* The handler: acknowledge, quiet the source, record, EOI. */
static void on_irq(struct frame *f)
{
	uint32_t iar = gic_ack(), id = iar & 0x3ff;

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
	gic_eoi(iar);
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
	gic_dist_setup();
	gic_cpu_setup();
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
