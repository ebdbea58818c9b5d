// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exc.c (guest): synchronous exceptions at EL1 and EL0 with their ESR,
 * FAR and ELR; HVC at EL0 is UNDEFINED; PSCI VERSION/FEATURES; MMIO read
 * and write exits completed by the VMM (the PL011 registers); MMU on with
 * a TTBR1 alias, translation and permission faults, instruction aborts
 * at EL1 and EL0.
 */
#include "lib/guest.h"
#include "lib/mmu.h"

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

/* ---- MMU: identity for RAM and devices, RAM aliases in TTBR1 ---- */
static uint64_t l1_lo[512] __attribute__((aligned(4096)));
static uint64_t l1_hi[512] __attribute__((aligned(4096)));
static uint64_t l2_ram[512] __attribute__((aligned(4096)));
static uint64_t l2_el0[512] __attribute__((aligned(4096)));
static volatile uint64_t probe_word = 0x5a5a;

#define HI_RAM 1 /* l1_hi[1]: RAM read-write at EL1 */
#define HI_EL0 2 /* l1_hi[2]: RAM read-only, executable at EL0 */

static void mmu_on(void)
{
	/* 2 MiB blocks for the first GiB of RAM; block 40 read-only. */
	mmu_ram_blocks(l2_ram, PTE_RAM);
	l2_ram[40] |= PTE_RO;
	mmu_ram_blocks(l2_el0, PTE_RAM | PTE_RO | PTE_EL0);
	l1_lo[0] = 0x0 | PTE_DEVICE;
	l1_lo[1] = (uint64_t)(uintptr_t)l2_ram | PTE_TABLE;
	l1_hi[HI_RAM] = (uint64_t)(uintptr_t)l2_ram | PTE_TABLE;
	l1_hi[HI_EL0] = (uint64_t)(uintptr_t)l2_el0 | PTE_TABLE;
	mmu_enable(l1_lo, l1_hi);
}

static void test_mmu(void)
{
	volatile uint64_t *alias;
	volatile uint64_t *ro = (volatile uint64_t *)(RAM_BASE + (40UL << 21));
	volatile uint64_t *hole = (volatile uint64_t *)0x80000000UL;
	uint64_t v;

	mmu_on();
	check("mmu on", sysreg_read(sctlr_el1) & 1);
	alias = (volatile uint64_t *)mmu_hi_alias(HI_RAM,
						  (uintptr_t)&probe_word);
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

/* A VA no table maps (l1_lo[2] is empty): level-1 translation fault. */
#define UNMAPPED_VA 0x80000000UL

/* Branch to @va; the instruction abort returns to X30 (exc_entry). */
static void call_va(uint64_t va)
{
	__asm__ volatile("blr %0" ::"r"(va) : "x30", "memory");
}

/* At EL0: branch to UNMAPPED_VA, then leave EL0 (no stack needed). */
void el0_iabt(void);
__asm__(".pushsection .text\n"
	".balign 4\n"
	".global el0_iabt\n"
	"el0_iabt:\n"
	"	movz x9, #0x8000, lsl #16\n"
	"	blr x9\n"
	"	svc #0xfff\n"
	".popsection\n");

/* Instruction aborts (MMU on): EC 0x21 from EL1, 0x20 from EL0, a
 * level-1 translation fault, FAR and ELR the fetched address. */
static void test_iabt(void)
{
	uint64_t n = rec()->count;

	call_va(UNMAPPED_VA);
	check_eq("el1 instruction abort esr", rec()->esr, 0x86000005);
	check_eq("el1 instruction abort far", rec()->far, UNMAPPED_VA);
	check_eq("el1 instruction abort elr", rec()->elr, UNMAPPED_VA);
	check_eq("el1 instruction abort vector", rec()->kind, 4);
	/* EL0 runs its code through the read-only, EL0-executable alias */
	run_at_el0((void (*)(void))mmu_hi_alias(HI_EL0, (uintptr_t)el0_iabt),
		   (uint64_t)(uintptr_t)&el0_stack[512]);
	check_eq("el0 instruction abort esr", rec()->esr, 0x82000005);
	check_eq("el0 instruction abort far", rec()->far, UNMAPPED_VA);
	check_eq("el0 instruction abort elr", rec()->elr, UNMAPPED_VA);
	check_eq("el0 instruction abort vector", rec()->kind, 8);
	check_eq("instruction aborts counted", rec()->count - n, 2);
}

/*
 * ID registers read what KVM_SET_ONE_REG set before the first run: the
 * value is printed for run.sh, which compares it with what the runner
 * set (-L, vkvm only; QEMU shows its own value).
 */
static void test_id_regs(void)
{
	uint64_t isar0 = sysreg_read(id_aa64isar0_el1);

	puts_("ID_AA64ISAR0_EL1 ");
	put_hex(isar0);
	puts_("\n");
	check_eq("id_aa64isar0_el1 is stable", sysreg_read(id_aa64isar0_el1),
		 isar0);
}

void main_cpu0(void)
{
	puts_("exc: start\n");
	test_id_regs();
	test_el1();
	test_el0();
	test_el0_sysregs();
	test_psci();
	test_mmio();
	test_mmu();
	test_iabt();
}

void main_secondary(unsigned int cpu, uint64_t arg)
{
	(void)cpu;
	(void)arg;
}
