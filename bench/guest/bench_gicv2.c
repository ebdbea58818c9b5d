// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench_gicv2.c (guest, GICv2, 1 vCPU): the GIC rows of bench_guest.c on
 * a GICv2 (MMIO CPU interface: GICC_IAR/GICC_EOIR), prefixed "v2_".
 */
#define GIC_VERSION 2
#include "bench.h"

void main_secondary(unsigned int cpu, uint64_t arg)
{
	(void)cpu;
	(void)arg;
}

void main_cpu0(void)
{
	uint64_t ns;

	gic_dist_setup();
	gic_cpu_setup();
	gic_enable_private(BENCH_SGI_SELF, 0x80);
	/* 0xD00: IMPLEMENTATION DEFINED, none on either GIC (RAZ/WI). */
	bench_gic_rows("v2_", GICD + 0xD00);
	ns = LOOP(BENCH_READS, (void)mmio_read32(GICC + 0x14));
	report("v2_", "gicc_rpr_read", ns);
	check("bench ran", true);
}
