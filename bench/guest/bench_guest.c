// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench_guest.c (guest, GICv3, 2 vCPUs): the costs issue 5 asks for, in
 * ns measured with the virtual counter: a GIC distributor register read,
 * an ICC_* system register read, an exception round trip (SVC to the EL1
 * handler and back), an MMIO exit round trip to the VMM (a PL011 read),
 * and an SGI round trip between two vCPUs.  Prints "BENCH name ns".
 */
#define GIC_VERSION 3
#include "bench.h"

#define SGI_PING 1
#define SGI_PONG 2

static volatile uint32_t pings, pongs, ready, stop;

static void on_irq(struct frame *f)
{
	uint32_t id = gic_ack() & 0x3ff;

	(void)f;
	if (id == SGI_PING) {
		pings++;
		gic_send_sgi(SGI_PONG, 0);
	} else if (id == SGI_PONG) {
		pongs++;
	}
	if (id != SPURIOUS)
		gic_eoi(id);
}

void main_secondary(unsigned int cpu, uint64_t arg)
{
	(void)cpu;
	(void)arg;
	gic_serve_until(SGI_PING, SGI_PONG, &ready, &stop);
}

void main_cpu0(void)
{
	uintptr_t rd;
	uint64_t ns;

	irq_handler = on_irq;
	gic_dist_setup();
	gic_cpu_up(SGI_PING, SGI_PONG);
	gic_enable_private(BENCH_SGI_SELF, 0x80);
	/* 0x8000: reserved in the GICv3 distributor (RAZ/WI). */
	bench_gic_rows("", GICD + 0x8000);
	/* GICR_ISENABLER0, outside the loop: cpu_id() is an MRS. */
	rd = gicr() + 0x10000 + 0x100;
	ns = LOOP(BENCH_READS, (void)mmio_read32(rd));
	report("", "gicr_mmio_read", ns);
	ns = LOOP(BENCH_READS, (void)sysreg_read(S3_0_C4_C6_0));
	report("", "icc_sysreg_read", ns); /* ICC_PMR_EL1 */
	ns = LOOP(BENCH_READS, __asm__ volatile("svc #0" ::: "memory"));
	report("", "exception_round_trip", ns);
	ns = LOOP(2000, (void)mmio_read32(UART_BASE + 0x18));
	report("", "mmio_exit_round_trip", ns);
	psci(PSCI_CPU_ON, 1, 0x40080000, 1);
	while (!ready)
		__asm__ volatile("yield");
	irq_enable();
	ns = LOOP(500, {
		uint32_t want = pongs + 1;

		gic_send_sgi(SGI_PING, 1);
		while (pongs < want)
			__asm__ volatile("yield");
	});
	report("", "sgi_round_trip", ns);
	stop = 1;
	gic_send_sgi(SGI_PING, 1);
	irq_disable();
	check("bench ran", pings >= 500);
}
