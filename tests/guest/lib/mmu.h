/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mmu.h: stage-1 tables for the guest tests: 4K granule, 39-bit VAs
 * (the walk starts at level 1), 1 GiB device block at 0 and 2 MiB RAM
 * blocks through a level-2 table, TTBR1 aliases of RAM.
 */
#ifndef VKVM_GUEST_MMU_H
#define VKVM_GUEST_MMU_H

#include "guest.h"

#define PTE_BLOCK 0x1ULL
#define PTE_TABLE 0x3ULL
#define PTE_AF (1ULL << 10)
#define PTE_ISH (3ULL << 8)
#define PTE_RO (1ULL << 7) /* AP[2] */
#define PTE_EL0 (1ULL << 6) /* AP[1]: EL0 may access */
#define PTE_ATTR(i) ((uint64_t)(i) << 2)
#define PTE_RAM (PTE_BLOCK | PTE_AF | PTE_ISH | PTE_ATTR(1))
#define PTE_DEVICE (PTE_BLOCK | PTE_AF | PTE_ATTR(0))
#define HI_BASE 0xffffff8000000000ULL /* 39-bit TTBR1 region */
#define BLOCK_2M (1ULL << 21)

/* @l2: the first GiB of RAM in 2 MiB blocks, each with @attrs. */
static inline void mmu_ram_blocks(uint64_t *l2, uint64_t attrs)
{
	for (int i = 0; i < 512; i++)
		l2[i] = (RAM_BASE + (uint64_t)i * BLOCK_2M) | attrs;
}

/* The TTBR1 address of RAM address @pa through l1_hi[@slot]. */
static inline uint64_t mmu_hi_alias(unsigned int slot, uint64_t pa)
{
	return HI_BASE + ((uint64_t)slot << 30) + (pa - RAM_BASE);
}

/* MMU on (this CPU) with the given level-1 tables. */
static inline void mmu_enable(const uint64_t *l1_lo, const uint64_t *l1_hi)
{
	sysreg_write(mair_el1, 0xff00); /* 0: device nGnRnE, 1: normal WB */
	/* T0SZ = T1SZ = 25, 4K granules, IPS 40 bits, write-back
	 * inner-shareable walks */
	sysreg_write(tcr_el1,
		     25ULL | (25ULL << 16) | (2ULL << 30) | (2ULL << 32) |
			     (1ULL << 8) | (1ULL << 10) | (3ULL << 12) |
			     (1ULL << 24) | (1ULL << 26) | (3ULL << 28));
	sysreg_write(ttbr0_el1, (uint64_t)(uintptr_t)l1_lo);
	sysreg_write(ttbr1_el1, (uint64_t)(uintptr_t)l1_hi);
	__asm__ volatile("dsb sy; isb; tlbi vmalle1; dsb sy; isb");
	sysreg_write(sctlr_el1,
		     sysreg_read(sctlr_el1) | 1 | (1 << 2) | (1 << 12));
	__asm__ volatile("isb");
}

#endif /* VKVM_GUEST_MMU_H */
