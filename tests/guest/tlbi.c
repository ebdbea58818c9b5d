// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tlbi.c (guest): TLB and instruction cache maintenance broadcast.  Both
 * CPUs run with the MMU on over the same tables; CPU 1 reads a 2 MiB
 * window (its TLB now holds the old translation), CPU 0 points the
 * window at other memory and does TLBI VAE1IS; CPU 1 must see the new
 * memory at once, without a TLBI of its own.  Then CPU 1 runs a function
 * CPU 0 rewrites and makes visible with DC CVAU / IC IVAU (inner
 * shareable): after an ISB, CPU 1 must run the new instructions.
 * Last, 4 KiB pages: CPU 1 caches five of them (one through its TTBR1
 * alias), CPU 0 remaps each and invalidates it with another form
 * (VAE1IS of the TTBR1 address, VALE1IS, VAAE1IS, VAE1IS with an ASID,
 * then ASIDE1IS); CPU 1 must see every new page.
 */
#include "lib/guest.h"
#include "lib/mmu.h"

#define WIN_VA 0x60000000UL /* l2 index 256 of the identity map */
#define WIN_IDX ((WIN_VA - RAM_BASE) / BLOCK_2M)
#define PA_OLD (RAM_BASE + 0x4000000UL) /* 64 MiB: past the program */
#define PA_NEW (PA_OLD + BLOCK_2M)
#define OLD_WORD 0x01d01d01dULL
#define NEW_WORD 0x0e0e0e0e0ULL
#define SPINS 200000000
#define PAGES_VA (WIN_VA + BLOCK_2M) /* l2 index 257: a level-3 table */
#define PAGES_IDX (WIN_IDX + 1)
#define PAGES_OLD (PA_NEW + BLOCK_2M) /* the old pages, then the new */
#define PAGES_NEW (PAGES_OLD + NPAGES * PAGE_4K)
#define PAGE_4K 0x1000UL
#define PTE_PAGE (0x3ULL | PTE_AF | PTE_ISH | PTE_ATTR(1))
#define NPAGES 5
#define HI_PAGE 4 /* CPU 1 reads it through the TTBR1 alias */

extern char _start[];

static uint64_t l1_lo[512] __attribute__((aligned(4096)));
static uint64_t l1_hi[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static volatile uint32_t ready, changed, done;
static volatile uint64_t seen_old, seen_new;
static volatile uint32_t pages_cached, pages_changed, pages_done;
static volatile uint64_t pages_seen[NPAGES];

/* A function rewritten while CPU 1 has it translated: mov w0, #N; ret. */
static uint32_t patch[1024] __attribute__((aligned(4096)));
static volatile uint32_t ran_old, ran_new, patched, ran;

#define MOV_W0(n) (0x52800000U | ((uint32_t)(n) << 5))
#define RET 0xd65f03c0U

/* Write "return @n" and make it visible to every CPU's instruction
 * fetches (the Linux sequence for code it changes). */
static void patch_write(uint32_t n)
{
	patch[0] = MOV_W0(n);
	patch[1] = RET;
	__asm__ volatile("dc cvau, %0\n"
			 "dsb ish\n"
			 "ic ivau, %0\n"
			 "dsb ish\n"
			 "isb" ::"r"(patch)
			 : "memory");
}

static uint32_t patch_call(void)
{
	return ((uint32_t(*)(void))(uintptr_t)patch)();
}

static uint64_t read_window(void)
{
	return *(volatile uint64_t *)WIN_VA;
}

static void wait_flag(volatile uint32_t *flag)
{
	for (int i = 0; i < SPINS && !__atomic_load_n(flag, __ATOMIC_ACQUIRE);
	     i++)
		__asm__ volatile("yield");
}

static uint64_t page_va(unsigned int i)
{
	uint64_t va = PAGES_VA + i * PAGE_4K;

	return i == HI_PAGE ? mmu_hi_alias(0, va) : va;
}

static uint64_t read_page(unsigned int i)
{
	return *(volatile uint64_t *)page_va(i);
}

/* Wait until *@flag is @v (or give up). */
static void wait_value(volatile uint32_t *flag, uint32_t v)
{
	for (int i = 0;
	     i < SPINS && __atomic_load_n(flag, __ATOMIC_ACQUIRE) != v; i++)
		__asm__ volatile("yield");
}

static void read_pages(void)
{
	for (unsigned int i = 0; i < NPAGES; i++)
		pages_seen[i] = read_page(i);
}

/* CPU 1's part of the 4 KiB test: cache, then read again after each of
 * CPU 0's two rounds. */
static void pages_secondary(void)
{
	read_pages();
	__atomic_store_n(&pages_done, 1, __ATOMIC_RELEASE);
	for (uint32_t round = 1; round <= 3; round++) {
		wait_value(&pages_changed, round);
		read_pages();
		__atomic_store_n(&pages_done, round + 1, __ATOMIC_RELEASE);
	}
}

void main_secondary(unsigned int cpu, uint64_t arg)
{
	(void)cpu;
	(void)arg;
	mmu_enable(l1_lo, l1_hi);
	seen_old = read_window();
	__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
	wait_flag(&changed);
	seen_new = read_window();
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	ran_old = patch_call();
	__atomic_store_n(&ran, 1, __ATOMIC_RELEASE);
	wait_flag(&patched);
	__asm__ volatile("isb");
	ran_new = patch_call();
	__atomic_store_n(&done, 2, __ATOMIC_RELEASE);
	pages_secondary();
}

/* Remap page @i to its new memory, then invalidate it on every CPU. */
#define REMAP_TLBI(i, op, arg)                                \
	do {                                                  \
		l3[i] = (PAGES_NEW + (i)*PAGE_4K) | PTE_PAGE; \
		__asm__ volatile("dsb ishst\n"                \
				 "tlbi " op ", %0\n"          \
				 "dsb ish\n"                  \
				 "isb" ::"r"(arg)             \
				 : "memory");                 \
	} while (0)

/* CPU 0's part: old pages mapped before CPU 1 turns its MMU on. */
static void pages_map(void)
{
	for (unsigned int i = 0; i < NPAGES; i++) {
		*(volatile uint64_t *)(PAGES_OLD + i * PAGE_4K) = OLD_WORD + i;
		*(volatile uint64_t *)(PAGES_NEW + i * PAGE_4K) = NEW_WORD + i;
		l3[i] = (PAGES_OLD + i * PAGE_4K) | PTE_PAGE;
	}
	l2[PAGES_IDX] = (uint64_t)(uintptr_t)l3 | PTE_TABLE;
	l1_hi[0] = (uint64_t)(uintptr_t)l2 | PTE_TABLE;
}

/* Rounds 1 and 2: the by-address forms only (a whole flush would hide a
 * wrong page); round 3: ASIDE1IS. */
static void pages_cpu0(void)
{
	const uint64_t asid = 1ULL << 48; /* the ASID field: ignored by VAE */

	wait_value(&pages_done, 1);
	for (unsigned int i = 0; i < NPAGES; i++)
		check_eq("cpu 1 read an old page", pages_seen[i], OLD_WORD + i);
	/* Alone: a flush inside the 2 MiB blocks CPU 1 uses drops its whole
	 * TLB (QEMU's large-page rule), one up there does not. */
	REMAP_TLBI(HI_PAGE, "vae1is",
		   (page_va(HI_PAGE) >> 12) & ((1ULL << 44) - 1));
	__atomic_store_n(&pages_changed, 1, __ATOMIC_RELEASE);
	wait_value(&pages_done, 2);
	check_eq("cpu 1 sees its ttbr1 page after vae1is", pages_seen[HI_PAGE],
		 NEW_WORD + HI_PAGE);
	REMAP_TLBI(0, "vale1is", page_va(0) >> 12);
	REMAP_TLBI(1, "vaae1is", page_va(1) >> 12);
	REMAP_TLBI(2, "vae1is", (page_va(2) >> 12) | asid);
	__atomic_store_n(&pages_changed, 2, __ATOMIC_RELEASE);
	wait_value(&pages_done, 3);
	check_eq("cpu 1 sees page 0 after vale1is", pages_seen[0], NEW_WORD);
	check_eq("cpu 1 sees page 1 after vaae1is", pages_seen[1],
		 NEW_WORD + 1);
	check_eq("cpu 1 sees page 2 after vae1is with an asid", pages_seen[2],
		 NEW_WORD + 2);
	REMAP_TLBI(3, "aside1is", 0);
	__atomic_store_n(&pages_changed, 3, __ATOMIC_RELEASE);
	wait_value(&pages_done, 4);
	check_eq("cpu 1 sees page 3 after aside1is", pages_seen[3],
		 NEW_WORD + 3);
}

void main_cpu0(void)
{
	*(volatile uint64_t *)PA_OLD = OLD_WORD;
	*(volatile uint64_t *)PA_NEW = NEW_WORD;
	mmu_ram_blocks(l2, PTE_RAM);
	l2[WIN_IDX] = PA_OLD | PTE_RAM;
	pages_map();
	l1_lo[0] = 0x0 | PTE_DEVICE;
	l1_lo[1] = (uint64_t)(uintptr_t)l2 | PTE_TABLE;
	mmu_enable(l1_lo, l1_hi);
	patch_write(1);
	check_eq("window maps the old memory", read_window(), OLD_WORD);
	check_eq("cpu 1 on",
		 (uint64_t)psci(PSCI_CPU_ON, 1, (uintptr_t)_start, 0), 0);
	wait_flag(&ready);
	check_eq("cpu 1 read the old memory through the window", seen_old,
		 OLD_WORD);
	/* Break-before-make is not needed for a TLBI test: the entry is
	 * replaced, then invalidated on every CPU of the shareable domain. */
	l2[WIN_IDX] = PA_NEW | PTE_RAM;
	__asm__ volatile("dsb ishst\n"
			 "tlbi vae1is, %0\n"
			 "dsb ish\n"
			 "isb" ::"r"(WIN_VA >> 12)
			 : "memory");
	check_eq("cpu 0 sees the new memory", read_window(), NEW_WORD);
	__atomic_store_n(&changed, 1, __ATOMIC_RELEASE);
	wait_flag(&done);
	check_eq("cpu 1 sees the new memory after cpu 0's tlbi vae1is",
		 seen_new, NEW_WORD);
	wait_flag(&ran);
	check_eq("cpu 1 ran the function", ran_old, 1);
	patch_write(2);
	__atomic_store_n(&patched, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < SPINS && done != 2; i++)
		__asm__ volatile("yield");
	check_eq("cpu 1 runs the new code after cpu 0's ic ivau", ran_new, 2);
	pages_cpu0();
}
