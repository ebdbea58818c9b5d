// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memwrite.c: a guest that keeps writing memory, for the snapshot and
 * migration benchmarks (scripts/bench-snapshot.py): the boot vCPU fills
 * DIRTY_MIB MiB of RAM above the image once, says so on the console, then
 * rewrites one word in every 4 KiB page of it, round after round, forever
 * (every page dirty again within a round).  MMU and caches stay off.
 */
#include "virt.h"

#define DIRTY_BASE 0x41000000UL /* RAM + 16 MiB, well above the image */
#define DIRTY_MIB 128
#define PAGE 4096UL

static void fill(volatile uint64_t *p, uint64_t words, uint64_t seed)
{
	for (uint64_t i = 0; i < words; i++)
		p[i] = seed ^ (i * 0x9e3779b97f4a7c15ULL);
}

void handle_irq(unsigned int cpu, uint32_t intid, uint32_t src)
{
	fail("unexpected interrupt", intid);
}

void secondary_main(uint64_t index)
{
	fail("secondary vCPU started", index);
}

void boot_main(uint64_t dtb)
{
	volatile uint64_t *mem = (volatile uint64_t *)DIRTY_BASE;
	uint64_t pages = (DIRTY_MIB << 20) / PAGE;

	fill(mem, (DIRTY_MIB << 20) / 8, 1);
	print("memwrite: %u MiB written, rewriting every page\n",
	      (unsigned long)DIRTY_MIB);
	for (uint64_t round = 2;; round++)
		for (uint64_t i = 0; i < pages; i++)
			mem[i * (PAGE / 8)] = round;
}
