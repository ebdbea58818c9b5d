// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fetch_abort.c (guest): an instruction fetch from a physical address
 * that is neither RAM nor a device is a synchronous external abort taken
 * to EL1 (ESR EC 0x21, IL, FSC 0x10; FAR and ELR the fetch address), as
 * KVM injects for a fetch from an IPA with no memslot and QEMU's virt
 * machine raises for an unassigned address.  The program takes the abort
 * on vectors of its own, which return to the caller (X30).
 */
#include "lib/guest.h"

/* No RAM or device on virt (QEMU: between PVTIME+0x10000 and the
 * virtio-mmio transports) nor on the vkvm test runner's machine. */
#define HOLE 0x09100000UL

/* esr, far, elr, count: written by fa_vectors' EL1h sync entry. */
volatile uint64_t fa_rec[4];

__asm__(".pushsection .text\n"
	".balign 2048\n"
	"fa_vectors:\n"
	".rept 4\n"
	"b .\n"
	".balign 128\n"
	".endr\n"
	/* +0x200: current EL with SP_ELx, synchronous */
	"adrp x10, fa_rec\n"
	"add x10, x10, :lo12:fa_rec\n"
	"mrs x9, esr_el1\n"
	"str x9, [x10]\n"
	"mrs x9, far_el1\n"
	"str x9, [x10, #8]\n"
	"mrs x9, elr_el1\n"
	"str x9, [x10, #16]\n"
	"ldr x9, [x10, #24]\n"
	"add x9, x9, #1\n"
	"str x9, [x10, #24]\n"
	"msr elr_el1, x30\n"
	"eret\n"
	".balign 128\n"
	".rept 11\n"
	"b .\n"
	".balign 128\n"
	".endr\n"
	".popsection\n");

extern char fa_vectors[];

static void call_hole(void)
{
	register uint64_t target __asm__("x11") = HOLE;

	__asm__ volatile("blr %0" ::"r"(target) : "x9", "x10", "x30", "memory");
}

void main_cpu0(void)
{
	uint64_t vbar = sysreg_read(vbar_el1);

	sysreg_write(vbar_el1, (uint64_t)(uintptr_t)fa_vectors);
	__asm__ volatile("isb");
	call_hole();
	sysreg_write(vbar_el1, vbar);
	__asm__ volatile("isb");
	check_eq("fetch from a hole: one abort", fa_rec[3], 1);
	check_eq("fetch from a hole: instruction abort, same EL, external",
		 fa_rec[0], 0x86000010);
	check_eq("fetch from a hole: far is the fetch address", fa_rec[1],
		 HOLE);
	check_eq("fetch from a hole: elr is the fetch address", fa_rec[2],
		 HOLE);
	finish();
}

void main_secondary(unsigned int cpu, uint64_t arg)
{
	(void)cpu;
	(void)arg;
}
