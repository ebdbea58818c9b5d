// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * smp.c (guest): PSCI CPU_ON/OFF/AFFINITY_INFO and a 4-vCPU counter test:
 * LDAXR/STLXR, LSE LDADDAL and a spinlock-protected plain counter must
 * come out exact.
 */
#include "lib/guest.h"

#define NCPUS 4
#define ITERS 100000

static volatile uint64_t cnt_excl, cnt_lse, cnt_lock, done, go, alive;
static volatile uint32_t spin;

static void add_excl(volatile uint64_t *p)
{
	uint64_t v;
	uint32_t fail;

	__asm__ volatile("1: ldaxr %0, [%2]\n"
			 "   add %0, %0, #1\n"
			 "   stlxr %w1, %0, [%2]\n"
			 "   cbnz %w1, 1b\n"
			 : "=&r"(v), "=&r"(fail)
			 : "r"(p)
			 : "memory");
}

static void add_lse(volatile uint64_t *p)
{
	uint64_t one = 1, old;

	__asm__ volatile("ldaddal %1, %0, [%2]"
			 : "=r"(old)
			 : "r"(one), "r"(p)
			 : "memory");
}

static void spin_lock(void)
{
	uint32_t one = 1, old;

	do
		__asm__ volatile("swpa %w1, %w0, [%2]"
				 : "=r"(old)
				 : "r"(one), "r"(&spin)
				 : "memory");
	while (old);
}

static void spin_unlock(void)
{
	__asm__ volatile("stlr wzr, [%0]" ::"r"(&spin) : "memory");
}

static void work(void)
{
	for (int i = 0; i < ITERS; i++) {
		add_excl(&cnt_excl);
		add_lse(&cnt_lse);
		spin_lock();
		cnt_lock = cnt_lock + 1;
		spin_unlock();
	}
	add_lse(&done);
}

void main_secondary(unsigned int cpu, uint64_t arg)
{
	(void)arg;
	(void)cpu;
	add_lse(&alive);
	while (!go)
		__asm__ volatile("yield");
	work();
}

static uint64_t mpidr_of(unsigned int cpu)
{
	return cpu; /* Aff0 = vCPU id on both vkvm and QEMU virt */
}

void main_cpu0(void)
{
	int64_t r;
	int on = 0;

	puts_("smp: start\n");
	check_eq("affinity_info cpu1 off",
		 (uint64_t)psci(PSCI_AFFINITY_INFO, mpidr_of(1), 0, 0), 1);
	for (unsigned int c = 1; c < NCPUS; c++) {
		r = psci(PSCI_CPU_ON, mpidr_of(c), 0x40080000, c);
		on += r == 0;
	}
	check_eq("cpu_on of 3 cpus", (uint64_t)on, NCPUS - 1);
	/* QEMU powers a CPU on asynchronously: wait until all run */
	while (alive < NCPUS - 1)
		__asm__ volatile("yield");
	check_eq("cpu_on again is already_on",
		 (uint64_t)psci(PSCI_CPU_ON, mpidr_of(1), 0x40080000, 1),
		 (uint64_t)-4);
	check_eq("cpu_on unknown mpidr",
		 (uint64_t)psci(PSCI_CPU_ON, 0x7f, 0x40080000, 1),
		 (uint64_t)-2);
	check_eq("affinity_info cpu1 on",
		 (uint64_t)psci(PSCI_AFFINITY_INFO, mpidr_of(1), 0, 0), 0);
	go = 1;
	work();
	while (done < NCPUS)
		__asm__ volatile("yield");
	check_eq("ldaxr/stlxr counter exact", cnt_excl, NCPUS * ITERS);
	check_eq("ldaddal counter exact", cnt_lse, NCPUS * ITERS);
	check_eq("spinlock counter exact", cnt_lock, NCPUS * ITERS);
	for (unsigned int c = 1; c < NCPUS; c++)
		while (psci(PSCI_AFFINITY_INFO, mpidr_of(c), 0, 0) != 1)
			__asm__ volatile("yield");
	check("secondaries off after cpu_off", true);
}
