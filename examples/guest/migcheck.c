// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * migcheck.c: a memory-writing guest for live migration tests and
 * benches.  For about RUN_SEC seconds of guest time it makes passes over
 * a buffer of BUF_MIB MiB, one word per page; before it rewrites a word
 * it checks that the word holds what the previous pass wrote, so a page
 * that a migration lost or sent stale shows as "FAIL lost write".  It
 * ends with "migcheck: PASS" and PSCI SYSTEM_OFF.  One vCPU.
 */
#include "virt.h"

#define BUF_BASE 0x44000000UL /* RAM + 64 MiB: needs --memory >= 128 */
#define BUF_MIB 32UL
#define PAGES (BUF_MIB * 256UL)
#define RUN_SEC 6UL

static inline uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static inline uint64_t counter_hz(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

static volatile uint64_t *word(uint64_t page)
{
	return (volatile uint64_t *)(BUF_BASE + page * 4096 + (page % 512) * 8);
}

void secondary_main(uint64_t index)
{
	fail("secondary vCPU started", index);
}

void handle_irq(unsigned int cpu, uint32_t intid, uint32_t src)
{
	fail("unexpected interrupt", intid);
}

void boot_main(uint64_t dtb)
{
	uint64_t end = counter() + RUN_SEC * counter_hz(), pass;

	print("migcheck: %u MiB, one word a page\n", BUF_MIB);
	for (pass = 1; counter() < end; pass++) {
		for (uint64_t j = 0; j < PAGES; j++) {
			volatile uint64_t *w = word(j);

			if (pass > 1 && *w != (pass - 1) * PAGES + j)
				fail("lost write at page", j);
			*w = pass * PAGES + j;
		}
	}
	print("migcheck: PASS after %u passes\n", pass - 1);
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
