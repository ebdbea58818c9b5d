// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exc.c (guest): synchronous exceptions at EL1 and EL0 with their ESR,
 * FAR and ELR; HVC at EL0 is UNDEFINED; PSCI VERSION/FEATURES; MMIO read
 * and write exits completed by the VMM (the PL011 registers); MMU on with
 * a TTBR1 alias, translation and permission faults.
 */
#include "lib/guest.h"

static struct exc_record *rec(void)
{
	return &exc_rec[cpu_id()];
}

static uint64_t el0_stack[512] __attribute__((aligned(16)));

static void el0_svc(void)
{
	__asm__ volatile("svc #0x21");
	__asm__ volatile("svc #0xfff");
}

static void el0_hvc(void)
{
	__asm__ volatile("hvc #0");
	__asm__ volatile("svc #0xfff");
}

/* EL1-only and EL0-gated system registers read from EL0. */
static uint64_t el0_vctl, el0_ctr;

static void el0_sysregs(void)
{
	__asm__ volatile("mrs x0, midr_el1" ::: "x0");
	__asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(el0_vctl));
	__asm__ volatile("mrs %0, ctr_el0" : "=r"(el0_ctr));
	__asm__ volatile("svc #0xfff");
}

static void test_el0_sysregs(void)
{
	uint64_t sp = (uint64_t)(uintptr_t)&el0_stack[512];
	uint64_t sctlr = sysreg_read(sctlr_el1), n;

	/* EL0 timer access closed, CTR_EL0 trapped: three exceptions. */
	sysreg_write(cntkctl_el1, 0);
	sysreg_write(sctlr_el1, sctlr & ~(1ULL << 15));
	__asm__ volatile("isb");
	n = rec()->count;
	run_at_el0(el0_sysregs, sp);
	check_eq("el0 mrs midr/cntv_ctl/ctr closed: traps", rec()->count - n,
		 3);
	check_eq("el0 mrs ctr_el0 trap is a sysreg trap", rec()->esr >> 26,
		 0x18);
	/* Opened by CNTKCTL_EL1.EL0VTEN and SCTLR_EL1.UCT: only MIDR traps,
	 * as UNDEFINED, and EL0 reads what EL1 reads. */
	sysreg_write(cntkctl_el1, 1ULL << 8);
	sysreg_write(sctlr_el1, sctlr | (1ULL << 15));
	sysreg_write(cntv_ctl_el0, 2); /* disabled, masked */
	__asm__ volatile("isb");
	el0_vctl = el0_ctr = 0;
	n = rec()->count;
	run_at_el0(el0_sysregs, sp);
	/* UNDEFINED (EC 0) without FEAT_IDST, a sysreg trap (EC 0x18)
	 * with it (QEMU 7.2's max has it, Unicorn's does not). */
	check("el0 mrs midr traps",
	      rec()->esr == 0x02000000 || (rec()->esr >> 26) == 0x18);
	check_eq("el0 mrs with the timer and CTR open: one trap",
		 rec()->count - n, 1);
	check_eq("el0 reads cntv_ctl_el0", el0_vctl, 2);
	check_eq("el0 reads el1's ctr_el0", el0_ctr, sysreg_read(ctr_el0));
	sysreg_write(cntkctl_el1, 0);
	sysreg_write(sctlr_el1, sctlr);
	__asm__ volatile("isb");
}

static void test_el1(void)
{
	uint64_t n = rec()->count, pc;

	__asm__ volatile("svc #0x12");
	check_eq("el1 svc esr", rec()->esr, 0x56000012);
	check_eq("el1 svc vector", rec()->kind, 4);
	__asm__ volatile("adr %0, 1f\n1: udf #7" : "=r"(pc));
	check_eq("el1 udf esr", rec()->esr, 0x02000000);
	check_eq("el1 udf elr", rec()->elr, pc);
	__asm__ volatile("adr %0, 1f\n1: brk #0x33" : "=r"(pc));
	check_eq("el1 brk esr", rec()->esr, 0xf2000033);
	check_eq("el1 exceptions counted", rec()->count - n, 3);
}

static void test_el0(void)
{
	uint64_t sp = (uint64_t)(uintptr_t)&el0_stack[512];
	uint64_t before = rec()->count;

	run_at_el0(el0_svc, sp);
	check_eq("el0 svc esr", rec()->esr, 0x56000021);
	check_eq("el0 svc vector", rec()->kind, 8);
	check("el0 back at el1", (sysreg_read(CurrentEL) >> 2) == 1);
	/* HVC at EL0 is UNDEFINED (EC 0), taken from EL0 */
	run_at_el0(el0_hvc, sp);
	check_eq("el0 hvc is undefined", rec()->esr, 0x02000000);
	check_eq("el0 exceptions counted", rec()->count - before, 2);
}

static void test_psci(void)
{
	int64_t v = psci(PSCI_VERSION, 0, 0, 0);

	check("psci version >= 1.0", v >= 0x10000 && v <= 0x10001);
	check_eq("psci features(cpu_on)",
		 (uint64_t)psci(PSCI_FEATURES, PSCI_CPU_ON, 0, 0), 0);
	check_eq("psci features(0x8400ffff)",
		 (uint64_t)psci(PSCI_FEATURES, 0x8400ffff, 0, 0), (uint64_t)-1);
	check_eq("unknown smccc call", (uint64_t)psci(0x8400ff00, 0, 0, 0),
		 (uint64_t)-1);
}

static void test_mmio(void)
{
	check_eq("pl011 periphid0", mmio_read32(UART_BASE + 0xfe0), 0x11);
	check_eq("pl011 periphid1", mmio_read32(UART_BASE + 0xfe4), 0x10);
	check_eq("pl011 pcellid3", mmio_read32(UART_BASE + 0xffc), 0xb1);
}

/* ---- MMU: identity for RAM and devices, RAM alias in TTBR1 ---- */
static uint64_t l1_lo[512] __attribute__((aligned(4096)));
static uint64_t l1_hi[512] __attribute__((aligned(4096)));
static uint64_t l2_ram[512] __attribute__((aligned(4096)));
static volatile uint64_t probe_word = 0x5a5a;

#define PTE_BLOCK 0x1ULL
#define PTE_TABLE 0x3ULL
#define PTE_AF (1ULL << 10)
#define PTE_ISH (3ULL << 8)
#define PTE_RO (1ULL << 7) /* AP[2] */
#define PTE_ATTR(i) ((uint64_t)(i) << 2)
#define HI_BASE 0xffffff8000000000ULL /* 39-bit TTBR1 region */

static void mmu_on(void)
{
	/* 2 MiB blocks for the first GiB of RAM; block 1 read-only. */
	for (int i = 0; i < 512; i++)
		l2_ram[i] = (RAM_BASE + ((uint64_t)i << 21)) | PTE_BLOCK |
			    PTE_AF | PTE_ISH | PTE_ATTR(1) |
			    (i == 40 ? PTE_RO : 0);
	l1_lo[0] = 0x0 | PTE_BLOCK | PTE_AF | PTE_ATTR(0); /* devices */
	l1_lo[1] = (uint64_t)(uintptr_t)l2_ram | PTE_TABLE;
	l1_hi[1] = (uint64_t)(uintptr_t)l2_ram | PTE_TABLE;
	sysreg_write(mair_el1, 0xff00); /* 0: device nGnRnE, 1: normal WB */
	/* T0SZ = T1SZ = 25 (39-bit: the walk starts at level 1), 4K
	 * granules, IPS 40 bits, write-back inner-shareable walks */
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

static void test_mmu(void)
{
	volatile uint64_t *alias;
	volatile uint64_t *ro = (volatile uint64_t *)(RAM_BASE + (40UL << 21));
	volatile uint64_t *hole = (volatile uint64_t *)0x80000000UL;
	uint64_t v;

	mmu_on();
	check("mmu on", sysreg_read(sctlr_el1) & 1);
	alias = (volatile uint64_t *)(HI_BASE + 0x40000000ULL +
				      ((uintptr_t)&probe_word - RAM_BASE));
	check_eq("ttbr1 alias read", *alias, 0x5a5a);
	*alias = 0xa5a5;
	check_eq("ttbr1 alias write seen at identity", probe_word, 0xa5a5);

	v = *hole; /* l1_lo[2] is empty: level-1 translation fault */
	(void)v;
	check_eq("translation fault esr", rec()->esr, 0x96000005);
	check_eq("translation fault far", rec()->far, (uint64_t)hole);
	*ro = 1; /* read-only block: permission fault, WnR */
	check_eq("permission fault esr", rec()->esr, 0x9600004e);
	check_eq("permission fault far", rec()->far, (uint64_t)ro);
}

void main_cpu0(void)
{
	puts_("exc: start\n");
	test_el1();
	test_el0();
	test_el0_sysregs();
	test_psci();
	test_mmio();
	test_mmu();
}

void main_secondary(unsigned int cpu, uint64_t arg)
{
	(void)cpu;
	(void)arg;
}
