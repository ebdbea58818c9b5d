// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * smc.c (guest, 2 vCPUs): cross-modifying code.  vCPU 0 rewrites a
 * function that vCPU 1 has already run, with the architectural sequence
 * (DC CVAU, DSB, IC IVAU, DSB, ISB; ARM ARM B2.4.4), and vCPU 1 must run
 * the new instructions after it sees the flag and executes an ISB.  On
 * vkvm every vCPU has its own translations, so this checks that IC IVAU
 * makes the other vCPUs drop theirs (engine spec K9).
 */
#include "lib/guest.h"

#define ROUNDS 200
#define MOVZ_W0(n) (0x52800000U | ((uint32_t)(n) << 5))
#define RET 0xd65f03c0U

static uint32_t fn[1024] __attribute__((aligned(4096)));
static volatile uint64_t round_no, ack, alive, stop;
static volatile uint64_t seen[ROUNDS + 1];

static uint64_t call_fn(void)
{
	return ((uint64_t(*)(void))(uintptr_t)fn)();
}

/* Make the new instructions at @p visible to every CPU's fetches. */
static void sync_code(uint32_t *p)
{
	__asm__ volatile("dc cvau, %0\n"
			 "dsb ish\n"
			 "ic ivau, %0\n"
			 "dsb ish\n"
			 "isb" ::"r"(p)
			 : "memory");
}

void main_secondary(unsigned int cpu, uint64_t arg)
{
	uint64_t r = 0;

	(void)cpu;
	(void)arg;
	alive = 1;
	while (!stop) {
		if (round_no == r) {
			(void)call_fn(); /* keep the old version translated */
			continue;
		}
		r = round_no;
		__asm__ volatile("isb" ::: "memory");
		seen[r] = call_fn();
		ack = r;
	}
}

void main_cpu0(void)
{
	unsigned int stale = 0;

	puts_("smc: start\n");
	fn[0] = MOVZ_W0(0);
	fn[1] = RET;
	sync_code(fn);
	check_eq("cpu_on", (uint64_t)psci(PSCI_CPU_ON, 1, 0x40080000, 1), 0);
	while (!alive)
		__asm__ volatile("yield");
	for (uint64_t r = 1; r <= ROUNDS; r++) {
		fn[0] = MOVZ_W0(r);
		sync_code(fn);
		round_no = r;
		while (ack != r)
			__asm__ volatile("yield");
		stale += seen[r] != r;
	}
	stop = 1;
	check_eq("vCPU 1 runs the code vCPU 0 rewrote (stale rounds)", stale,
		 0);
	check_eq("vCPU 0 runs its own rewritten code", call_fn(), ROUNDS);
}
