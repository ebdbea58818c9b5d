/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gic_test.h: the body of gic_v2.c / gic_v3.c (GIC_VERSION 2 or 3):
 * SGI to self with acknowledge/EOI and priorities, EOImode 1 with a
 * separate deactivate (DIR), preemption by a higher priority with the
 * running priority checked at each level, both generic timers
 * firing through their PPIs and re-arming, WFI woken by the timer (also
 * while the other vCPU spins), and the PL011's SPI 33 (raised by the VMM
 * through KVM_IRQ_LINE from another host thread on vkvm, by the PL011
 * model on QEMU).
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

#define SGI_EOI 7
#define SGI_LOW 9 /* priority 0xa0 */
#define SGI_HIGH 10 /* 0x20: preempts SGI_LOW */
#define SGI_LOWER 11 /* 0xc0: must wait for SGI_LOW's EOI */
#define PRIO_IDLE 0xff

/*
 * EOImode = 1: EOI drops the running priority but leaves the interrupt
 * active (not signalled again while active), DIR deactivates it.
 */
static void test_eoimode(void)
{
	uint32_t iar;

	gic_enable_private(SGI_EOI, 0x80);
	irq_disable();
	gic_set_eoimode(true);
	gic_send_sgi_self(SGI_EOI);
	iar = gic_ack();
	check_eq("eoimode: ack", iar & 0x3ff, SGI_EOI);
	check_eq("eoimode: running priority while active", gic_rpr(), 0x80);
	gic_eoi(iar);
	check_eq("eoimode: eoi drops the running priority", gic_rpr(),
		 PRIO_IDLE);
	check("eoimode: still active after eoi",
	      gic_active_private() & (1U << SGI_EOI));
	gic_send_sgi_self(SGI_EOI);
	check_eq("eoimode: active and pending is not acknowledged",
		 gic_ack() & 0x3ff, SPURIOUS);
	gic_dir(SGI_EOI);
	check("eoimode: dir deactivates",
	      !(gic_active_private() & (1U << SGI_EOI)));
	iar = gic_ack();
	check_eq("eoimode: pending again after dir", iar & 0x3ff, SGI_EOI);
	gic_eoi(iar);
	gic_dir(iar);
	check_eq("eoimode: nothing active at the end", gic_active_private(), 0);
	gic_set_eoimode(false);
	irq_enable();
}

static volatile uint32_t rpr_low, rpr_high, rpr_back, lower_early;

static void spin_for(uint32_t id, uint32_t before)
{
	for (int i = 0; i < 2000000 && got[id] == before; i++)
		__asm__ volatile("yield");
}

/* SGI_LOW's handler unmasks IRQs: SGI_HIGH preempts it, SGI_LOWER not. */
static void on_irq_nested(struct frame *f)
{
	uint32_t iar = gic_ack(), id = iar & 0x3ff;

	(void)f;
	if (id == SPURIOUS)
		return;
	got[id]++;
	if (id == SGI_HIGH)
		rpr_high = gic_rpr();
	if (id == SGI_LOW) {
		rpr_low = gic_rpr();
		gic_send_sgi_self(SGI_LOWER);
		gic_send_sgi_self(SGI_HIGH);
		irq_enable();
		spin_for(SGI_HIGH, 0);
		spin_for(SGI_LOWER, 0); /* must time out */
		irq_disable();
		lower_early = got[SGI_LOWER];
		rpr_back = gic_rpr();
	}
	gic_eoi(iar);
}

static void test_preemption(void)
{
	gic_enable_private(SGI_LOW, 0xa0);
	gic_enable_private(SGI_HIGH, 0x20);
	gic_enable_private(SGI_LOWER, 0xc0);
	irq_handler = on_irq_nested;
	gic_send_sgi_self(SGI_LOW);
	wait_irq(SGI_LOWER, 0);
	irq_handler = on_irq;
	check_eq("preemption: running priority in the low handler", rpr_low,
		 0xa0);
	check_eq("preemption: higher priority taken inside it", got[SGI_HIGH],
		 1);
	check_eq("preemption: running priority in the nested handler", rpr_high,
		 0x20);
	check_eq("preemption: back to the low priority after its eoi", rpr_back,
		 0xa0);
	check_eq("preemption: lower priority not taken while low active",
		 lower_early, 0);
	check_eq("preemption: lower priority taken after the low eoi",
		 got[SGI_LOWER], 1);
	check_eq("preemption: idle at the end", gic_rpr(), PRIO_IDLE);
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

/*
 * WFI on the timer while vCPU 1 spins (never sleeps) until it is over:
 * the sleeper's timer must end the spinner's turn on an engine that runs
 * one vCPU at a time (a hang otherwise).
 */
static volatile uint64_t spinner_up, wfi_over;

static void test_wfi_beside_a_spinner(void)
{
	uint64_t freq = sysreg_read(cntfrq_el0);

	check_eq("cpu_on of the spinner", psci(PSCI_CPU_ON, 1, 0x40080000, 1),
		 0);
	while (!spinner_up)
		__asm__ volatile("yield");
	irq_disable();
	sysreg_write(cntv_tval_el0, freq / 1000); /* 1 ms */
	sysreg_write(cntv_ctl_el0, 1);
	while (!(sysreg_read(cntv_ctl_el0) & 4))
		__asm__ volatile("wfi");
	wfi_over = 1;
	check("wfi woke by the timer beside a spinning vcpu", true);
	sysreg_write(cntv_ctl_el0, 0);
	irq_enable();
	while (psci(PSCI_AFFINITY_INFO, 1, 0, 0) != 1)
		__asm__ volatile("yield");
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
	test_eoimode();
	test_preemption();
	test_timer("vtimer fires", 1);
	test_timer("ptimer fires", 0);
	test_wfi();
	test_wfi_beside_a_spinner();
	test_spi();
	irq_disable();
}

void main_secondary(unsigned int cpu, uint64_t arg)
{
	(void)cpu;
	(void)arg;
	spinner_up = 1;
	while (!wfi_over)
		; /* no WFI, no YIELD: a pure spin */
}

#endif /* VKVM_GUEST_GIC_TEST_H */
