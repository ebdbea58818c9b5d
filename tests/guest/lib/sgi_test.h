/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sgi_test.h: the body of sgi4_v2.c / sgi4_v3.c: SGIs among 4 vCPUs.
 * vCPU 0 pings each other vCPU with SGI 1 and each answers with SGI 2,
 * 50 rounds; the secondaries wait in WFI between pings.
 */
#ifndef VKVM_GUEST_SGI_TEST_H
#define VKVM_GUEST_SGI_TEST_H

#include "gic_ops.h"

#define NCPUS 4
#define ROUNDS 50
#define SGI_PING 1
#define SGI_PONG 2

static volatile uint32_t ping[NCPUS], pong[NCPUS], ready, stop;
static volatile uint32_t bad;

static void on_sgi(struct frame *f)
{
	uint32_t iar = gic_ack(), id = iar & 0x3ff;
	unsigned int me = cpu_id();

	(void)f;
	if (id == SPURIOUS)
		return;
	if (id == SGI_PING && me != 0) {
		ping[me]++;
		gic_send_sgi(SGI_PONG, 0);
	} else if (id == SGI_PONG && me == 0) {
		/* GICv2 reports the source CPU in GICC_IAR[12:10] */
		unsigned int src = GIC_VERSION == 2 ? (iar >> 10) & 7 : 0;

		pong[src]++;
	} else {
		bad++;
	}
	gic_eoi(iar);
}

void main_secondary(unsigned int cpu, uint64_t arg)
{
	(void)cpu;
	(void)arg;
	gic_serve_until(SGI_PING, SGI_PONG, &ready, &stop);
}

static uint32_t pongs(void)
{
	uint32_t n = 0;

	for (int i = 0; i < NCPUS; i++)
		n += pong[i];
	return n;
}

void main_cpu0(void)
{
	uint32_t want = 0;

	irq_handler = on_sgi;
	gic_dist_setup();
	gic_cpu_up(SGI_PING, SGI_PONG);
	for (unsigned int c = 1; c < NCPUS; c++)
		psci(PSCI_CPU_ON, c, 0x40080000, c);
	while (ready < NCPUS - 1)
		__asm__ volatile("yield");
	irq_enable();
	for (int r = 0; r < ROUNDS; r++) {
		for (unsigned int c = 1; c < NCPUS; c++) {
			gic_send_sgi(SGI_PING, c);
			want++;
			for (long i = 0; i < 100000000 && pongs() < want; i++)
				__asm__ volatile("yield");
		}
	}
	check_eq("every ping answered", pongs(), want);
	for (unsigned int c = 1; c < NCPUS; c++)
		check_eq("pings received by one vCPU", ping[c], ROUNDS);
#if GIC_VERSION == 2
	for (unsigned int c = 1; c < NCPUS; c++)
		check_eq("pongs from one source (iar cpuid)", pong[c], ROUNDS);
#endif
	check_eq("no unexpected interrupts", bad, 0);
	stop = 1;
	for (unsigned int c = 1; c < NCPUS; c++)
		gic_send_sgi(SGI_PING, c); /* wake them to see stop */
	irq_disable();
}

#endif /* VKVM_GUEST_SGI_TEST_H */
