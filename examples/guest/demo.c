// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * demo.c: the demo guest of `make demo`, a freestanding AArch64 program
 * for QEMU's `virt` machine (and so for vkvm).  The boot vCPU starts every
 * other vCPU with PSCI CPU_ON; each vCPU prints over the PL011, takes a
 * virtual timer interrupt (PPI 27) and an SGI from its neighbour through
 * the GIC (v2 or v3, found from ID_AA64PFR0_EL1.GIC); then the secondaries
 * turn themselves off and the boot vCPU powers the machine off with PSCI
 * SYSTEM_OFF.  On any failure it prints "FAIL" and asks for
 * SYSTEM_RESET instead.  MMU and caches stay off.
 */
#include "virt.h"

#define MAX_CPUS 8 /* one GICv2 target list / QEMU cluster */
#define SGI_ID 1
#define VTIMER_INTID 27

static volatile unsigned int nr_cpus; /* final once > 0 */
static unsigned int ready, done; /* atomics */
static volatile unsigned int timer_irqs[MAX_CPUS], sgi_irqs[MAX_CPUS];
static volatile unsigned int sgi_from[MAX_CPUS];

void handle_irq(unsigned int cpu, uint32_t intid, uint32_t src)
{
	if (intid == VTIMER_INTID) {
		WRITE_SYSREG(cntv_ctl_el0, 0); /* stop: the line drops */
		ISB();
		timer_irqs[cpu]++;
	} else if (intid == SGI_ID) {
		sgi_from[cpu] = src;
		sgi_irqs[cpu]++;
	} else {
		fail("unexpected interrupt", intid);
	}
}

/* ---- the demo --------------------------------------------------------- */

static void cpu_main(unsigned int cpu)
{
	uint64_t freq = READ_SYSREG(cntfrq_el0), t0;
	unsigned int total;

	gic_cpu_init((1U << VTIMER_INTID) | (1U << SGI_ID));
	print("vCPU %u: up, MPIDR 0x%x\n", (unsigned long)cpu,
	      (unsigned long)READ_SYSREG(mpidr_el1));
	t0 = READ_SYSREG(cntvct_el0);
	WRITE_SYSREG(cntv_tval_el0, freq / 100); /* 10 ms */
	WRITE_SYSREG(cntv_ctl_el0, 1);
	ISB();
	wait_for(&timer_irqs[cpu]);
	print("vCPU %u: timer interrupt (INTID 27) after %u us\n",
	      (unsigned long)cpu,
	      (unsigned long)((READ_SYSREG(cntvct_el0) - t0) * 1000000 / freq));
	__atomic_add_fetch(&ready, 1, __ATOMIC_ACQ_REL);
	while (!(total = nr_cpus) ||
	       __atomic_load_n(&ready, __ATOMIC_ACQUIRE) < total)
		;
	gic_send_sgi((cpu + 1) % total, SGI_ID);
	wait_for(&sgi_irqs[cpu]);
	if (gic_version == 2)
		print("vCPU %u: SGI %u from vCPU %u\n", (unsigned long)cpu,
		      (unsigned long)SGI_ID, (unsigned long)sgi_from[cpu]);
	else
		print("vCPU %u: SGI %u\n", (unsigned long)cpu,
		      (unsigned long)SGI_ID);
	__atomic_add_fetch(&done, 1, __ATOMIC_ACQ_REL);
}

void secondary_main(uint64_t index)
{
	cpu_main((unsigned int)index);
	psci(PSCI_CPU_OFF, 0, 0, 0);
	fail("CPU_OFF returned", index);
}

void boot_main(uint64_t dtb)
{
	unsigned int n;

	gic_init();
	print("demo: vkvm demo guest, GICv%u, device tree at 0x%x\n",
	      (unsigned long)gic_version, (unsigned long)dtb);
	n = start_secondaries(MAX_CPUS);
	nr_cpus = n;
	cpu_main(0);
	while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) < n)
		;
	print("demo: PASS: %u vCPUs up, timer and SGI interrupts taken\n",
	      (unsigned long)n);
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	fail("SYSTEM_OFF returned", 0);
}
