// SPDX-License-Identifier: GPL-2.0-or-later
// start.S: entry points and exception vectors of the demo guest.
// The boot vCPU enters at _start with x0 = DTB; secondaries enter at
// secondary_entry through PSCI CPU_ON with x0 = their index.

#define STACK_SHIFT 14 /* 16 KiB per vCPU */

	.section .text.boot, "ax"
	.global _start
_start:
	mov	x19, x0
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	mov	x0, #0
	bl	setup_cpu
	mov	x0, x19
	bl	boot_main
	b	.

	.global secondary_entry
secondary_entry:
	mov	x19, x0
	bl	setup_cpu
	mov	x0, x19
	bl	secondary_main
	b	.

// setup_cpu(x0 = index): stack, vectors, TPIDR_EL1 = index.
setup_cpu:
	ldr	x1, =__stack_top
	sub	x1, x1, x0, lsl #STACK_SHIFT
	mov	sp, x1
	msr	tpidr_el1, x0
	ldr	x1, =vectors
	msr	vbar_el1, x1
	isb
	ret

.macro	save_regs
	sub	sp, sp, #176
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	str	x30, [sp, #160]
.endm

.macro	restore_regs
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	ldr	x30, [sp, #160]
	add	sp, sp, #176
.endm

.macro	bad_vector n
	.balign	0x80
	mov	x0, #\n
	b	bad_exception_entry
.endm

	.text
	.balign	0x800
vectors:
	bad_vector 0
	bad_vector 1
	bad_vector 2
	bad_vector 3
	bad_vector 4		// synchronous, current EL, SPx
	.balign	0x80		// IRQ, current EL, SPx
	b	irq_entry
	bad_vector 6
	bad_vector 7
	bad_vector 8
	bad_vector 9
	bad_vector 10
	bad_vector 11
	bad_vector 12
	bad_vector 13
	bad_vector 14
	bad_vector 15

irq_entry:
	save_regs
	bl	irq_handler
	restore_regs
	eret

bad_exception_entry:
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	bl	bad_exception
	b	.
