// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tlbi.c (guest): TLB and instruction cache maintenance broadcast.  Both
 * CPUs run with the MMU on over the same tables; CPU 1 reads a 2 MiB
 * window (its TLB now holds the old translation), CPU 0 points the
 * window at other memory and does TLBI VAE1IS; CPU 1 must see the new
 * memory at once, without a TLBI of its own.  Then CPU 1 runs a function
 * CPU 0 rewrites and makes visible with DC CVAU / IC IVAU (inner
 * shareable): after an ISB, CPU 1 must run the new instructions.
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

extern char _start[];

static uint64_t l1_lo[512] __attribute__((aligned(4096)));
static uint64_t l1_hi[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static volatile uint32_t ready, changed, done;
static volatile uint64_t seen_old, seen_new;

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
}

void main_cpu0(void)
{
	*(volatile uint64_t *)PA_OLD = OLD_WORD;
	*(volatile uint64_t *)PA_NEW = NEW_WORD;
	mmu_ram_blocks(l2, PTE_RAM);
	l2[WIN_IDX] = PA_OLD | PTE_RAM;
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
}
