/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sysreg.h: the one AArch64 system-register table of a vCPU (spec 4.4).
 *
 * This table is the single source of truth for system-register state:
 * KVM_GET/SET_ONE_REG and KVM_GET_REG_LIST serve it, the cpu engine loads
 * the values into Unicorn by encoding before KVM_RUN and stores them back
 * after, and the engine answers guest MRS of the ID registers from it (so
 * what userspace sets before the first run is what the guest reads).
 *
 * Rows are sorted by encoding (op0:op1:CRn:CRm:op2 packed as in the ONE_REG
 * id bits 15:0, the same packing the GICv3 CPU_SYSREGS attribute uses) and
 * found by binary search.  A row's value lives in vcpu->regs.sys[index],
 * or, for the VM-wide ID registers (SR_ID), in vm->sysregs[index]; use
 * vcpu_sysreg() and never pick the array yourself.
 *
 * How the engine uses the rows (flags below):
 *   - plain rows (no flag): EL1/EL0 CPU state; load into Unicorn by
 *     encoding (SYSREG_OP0.. below) before running, store back after;
 *   - SR_MPIDR: the vCPU's MPIDR_EL1 (Unicorn: VMPIDR_EL2 at EL1);
 *   - SR_TIMER: the timer state the engine emulates (K7): CTL and CVAL
 *     of the virtual and physical timers; the counter is
 *     timer_counter_now() with vm->cntvoff for the virtual one;
 *   - SR_ID: VM-wide, not loaded: answer guest MRS of ID registers from
 *     vcpu_sysreg()/sysreg_value() so the guest sees what userspace set.
 *
 * ID register values describe what the emulated CPU (Unicorn's "max"
 * model, spec unicorn-engine.md 2.5) offers, minus what the VM does not:
 * no SVE, no EL2/EL3, no AArch32, no PMU, no pointer auth.  Unknown
 * values are 0 (feature absent), documented per row in sysreg.c.
 */
#ifndef VKVM_API_SYSREG_H
#define VKVM_API_SYSREG_H

#include <stdbool.h>
#include <stdint.h>

#include "api/vm.h"

#define SYSREG_ENC(op0, op1, crn, crm, op2)                        \
	((uint16_t)(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | \
		    ((crm) << 3) | (op2)))

enum sysreg_flags {
	/* VM-wide, setup-only ID register: writable before the first run
	 * (field rule in sysreg.c), EBUSY for a different value after. */
	SR_ID = 1U << 0,
	/* Userspace writes are accepted and ignored (RAZ AArch32 ID regs). */
	SR_USER_WI = 1U << 1,
	/* Any value may be written before the first run (MIDR, REVIDR,
	 * AIDR: the identity shown to the guest). */
	SR_ANY = 1U << 2,
	/* Timer state: reached through the timer ids (timer_reg.c), not
	 * through its own encoding, and listed in the timer part. */
	SR_TIMER = 1U << 3,
	/* Reset value from the vCPU id (MPIDR_EL1, spec 1.5). */
	SR_MPIDR = 1U << 4,
};

struct sysreg_desc {
	uint16_t enc;
	uint16_t flags;
	const char *name;
	uint64_t reset;
	/* SR_ID: the 4-bit fields that may be lowered below the reset. */
	uint64_t wmask;
};

/* The five fields of an encoding (Unicorn's uc_arm64_cp_reg order). */
#define SYSREG_OP0(enc) (((enc) >> 14) & 0x3)
#define SYSREG_OP1(enc) (((enc) >> 11) & 0x7)
#define SYSREG_CRN(enc) (((enc) >> 7) & 0xf)
#define SYSREG_CRM(enc) (((enc) >> 3) & 0xf)
#define SYSREG_OP2(enc) ((enc)&0x7)

/* Architectural encodings the API code names. */
#define SYSREG_MIDR_EL1 SYSREG_ENC(3, 0, 0, 0, 0)
#define SYSREG_MPIDR_EL1 SYSREG_ENC(3, 0, 0, 0, 5)
#define SYSREG_ID_AA64PFR0_EL1 SYSREG_ENC(3, 0, 0, 4, 0)
#define SYSREG_SCTLR_EL1 SYSREG_ENC(3, 0, 1, 0, 0)
#define SYSREG_CLIDR_EL1 SYSREG_ENC(3, 1, 0, 0, 1)
#define SYSREG_CSSELR_EL1 SYSREG_ENC(3, 2, 0, 0, 0)
#define SYSREG_CTR_EL0 SYSREG_ENC(3, 3, 0, 0, 1)
#define SYSREG_CNTVCT_EL0 SYSREG_ENC(3, 3, 14, 0, 2)
#define SYSREG_CNTPCT_EL0 SYSREG_ENC(3, 3, 14, 0, 1)
#define SYSREG_CNTP_CTL_EL0 SYSREG_ENC(3, 3, 14, 2, 1)
#define SYSREG_CNTP_CVAL_EL0 SYSREG_ENC(3, 3, 14, 2, 2)
#define SYSREG_CNTV_CTL_EL0 SYSREG_ENC(3, 3, 14, 3, 1)
#define SYSREG_CNTV_CVAL_EL0 SYSREG_ENC(3, 3, 14, 3, 2)

/* ID_AA64PFR0_EL1.GIC, bits 27:24: 1 = GICv3 system registers. */
#define SYSREG_PFR0_GIC_SHIFT 24

/* The table (sysreg.c) and its length. */
extern const struct sysreg_desc sysreg_table[];
extern const int NR_SYSREGS;

/* sysreg_find - table index of encoding @enc, or -1 if not in the table. */
int sysreg_find(uint16_t enc);

/*
 * vcpu_sysreg - the storage of table row @idx for @vcpu (VM-wide for SR_ID
 * rows).  @idx must be a valid index.  Callers that may race with a
 * KVM_SET_ONE_REG on another vCPU of the VM read SR_ID rows under
 * vm->lock; the engine reads them while the VM's vCPUs are set up.
 */
uint64_t *vcpu_sysreg(struct vcpu *vcpu, int idx);

/*
 * sysreg_value - the value of encoding @enc for @vcpu, as the guest reads
 * it (0 when @enc is not in the table).  Takes vm->lock for SR_ID rows.
 */
uint64_t sysreg_value(struct vcpu *vcpu, uint16_t enc);

/* sysreg_vm_init - reset values of the VM-wide rows (at KVM_CREATE_VM). */
void sysreg_vm_init(struct vm *vm);

/* sysreg_vcpu_reset - reset values of @vcpu's own rows (VCPU_INIT). */
void sysreg_vcpu_reset(struct vcpu *vcpu);

/*
 * sysreg_set_gic_v3 - the VM got a GICv3: show ID_AA64PFR0_EL1.GIC = 1
 * (and accept it as the field's upper limit).  Caller holds vm->lock.
 */
void sysreg_set_gic_v3(struct vm *vm);

/*
 * sysreg_get - KVM_GET_ONE_REG of SYSREG-group @id to @uaddr: 0, -ENOENT
 * (not in the table, a timer row, size not U64, stray bits) or -EFAULT.
 */
int sysreg_get(struct vcpu *vcpu, uint64_t id, uint64_t uaddr);

/*
 * sysreg_set - KVM_SET_ONE_REG of SYSREG-group @id from @uaddr: 0, -ENOENT
 * (as for sysreg_get), -EFAULT, -EINVAL (an ID register value the rule
 * refuses) or -EBUSY (an ID register changed after the VM first ran).
 */
int sysreg_set(struct vcpu *vcpu, uint64_t id, uint64_t uaddr);

/*
 * sysreg_list - write the SYSREG-group ids (table order, timer rows left
 * out) to @out (may be NULL); returns their number.
 */
unsigned int sysreg_list(uint64_t *out);

/*
 * demux_ccsidr - the CCSIDR_EL1 value the guest reads after writing
 * @csselr to CSSELR_EL1 (the same values as the DEMUX ONE_REG group):
 * 0, or -ENOENT for a selector with no cache (the guest then reads an
 * UNKNOWN value; 0 is fine).
 */
int demux_ccsidr(uint32_t csselr, uint32_t *val);

/*
 * timer_counter_now - the host counter the engine's virtual CPU sees
 * (CNTPCT: CLOCK_MONOTONIC ns / 16, 62.5 MHz, unicorn-engine.md 2.5).
 * The guest's CNTVCT is timer_counter_now() - vm->cntvoff.
 */
uint64_t timer_counter_now(void);

#endif /* VKVM_API_SYSREG_H */
