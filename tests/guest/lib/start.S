/* SPDX-License-Identifier: GPL-2.0-or-later */
/* start.S: entry, per-CPU stacks, exception vectors and EL0 entry/exit
 * for the freestanding guest test programs (tests/guest). */

#define STACK_SIZE 0x4000
#define FRAME_SIZE (34 * 8)

	.section .text.start, "ax"
	.global _start
/* Boot CPU and PSCI CPU_ON entry: x0 = DTB or CPU_ON context. */
_start:
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	adrp	x2, stacks
	add	x2, x2, :lo12:stacks
	add	x3, x1, #1
	mov	x4, #STACK_SIZE
	madd	x2, x3, x4, x2
	mov	sp, x2
	adrp	x2, vectors
	add	x2, x2, :lo12:vectors
	msr	vbar_el1, x2
	isb
	/* c_entry(cpu, arg) */
	mov	x19, x0
	mov	x0, x1
	mov	x1, x19
	bl	c_entry
1:	wfi
	b	1b

/* Save x0-x30, ELR, SPSR; call exc_entry(frame, kind); restore; eret. */
.macro vec kind
	.balign 0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	vec_common
.endm

/* x2..x29 to (stp) or from (ldp) the frame, two at a time. */
.macro pairs op
	\op	x2, x3, [sp, #16]
	\op	x4, x5, [sp, #32]
	\op	x6, x7, [sp, #48]
	\op	x8, x9, [sp, #64]
	\op	x10, x11, [sp, #80]
	\op	x12, x13, [sp, #96]
	\op	x14, x15, [sp, #112]
	\op	x16, x17, [sp, #128]
	\op	x18, x19, [sp, #144]
	\op	x20, x21, [sp, #160]
	\op	x22, x23, [sp, #176]
	\op	x24, x25, [sp, #192]
	\op	x26, x27, [sp, #208]
	\op	x28, x29, [sp, #224]
.endm

	.text
vec_common:
	pairs	stp
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x30, x2, [sp, #240]
	str	x3, [sp, #256]
	mov	x1, x0
	mov	x0, sp
	bl	exc_entry
	ldp	x30, x2, [sp, #240]
	ldr	x3, [sp, #256]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x0, x1, [sp, #0]
	pairs	ldp
	add	sp, sp, #FRAME_SIZE
	eret

	.balign 0x800
	.global vectors
vectors:
	vec 0
	vec 1
	vec 2
	vec 3
	vec 4
	vec 5
	vec 6
	vec 7
	vec 8
	vec 9
	vec 10
	vec 11
	vec 12
	vec 13
	vec 14
	vec 15

/* run_at_el0(fn, sp_el0): run fn at EL0t until it does "svc #0xfff". */
	.global run_at_el0
run_at_el0:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	msr	sp_el0, x1
	msr	elr_el1, x0
	msr	spsr_el1, xzr
	isb
	eret

/* Reached at EL1h (exc_entry redirected the EL0 "svc #0xfff" here). */
	.global el0_exit
el0_exit:
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

	.bss
	.balign 16
stacks:
	.space STACK_SIZE * 9
