// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysreg.c: the system-register table (see sysreg.h) and its ONE_REG
 * access for the SYSREG group (spec 4.4).
 *
 * ID register write rule (simplified from Linux 6.x set_id_reg and
 * arm64_check_features, documented here as vkvm's rule):
 *   - after the VM first ran: the current value is accepted (no change),
 *     anything else is EBUSY;
 *   - before: SR_USER_WI rows ignore the write; SR_ANY rows take any
 *     value; otherwise bits outside wmask must equal the reset value and
 *     each 4-bit field inside wmask may only be lowered (unsigned compare,
 *     so signed fields such as FP = 0xF cannot be set), else EINVAL.
 * Linux checks the "has run" rule first, as here.
 */
#include "api/sysreg.h"

#include <errno.h>
#include <time.h>

#include "api/uaccess.h"

/* AArch32 ID register: RAZ, user writes ignored (no 32-bit EL0/EL1). */
#define ID_AA32(crm, op2, nm)                                               \
	{                                                                   \
		SYSREG_ENC(3, 0, 0, crm, op2), SR_ID | SR_USER_WI, nm, 0, 0 \
	}
/* Unallocated ID space: RAZ, only 0 may be written. */
#define ID_UNALLOC(crm, op2)                                                 \
	{                                                                    \
		SYSREG_ENC(3, 0, 0, crm, op2), SR_ID, "ID_UNALLOCATED", 0, 0 \
	}
/* AArch64 feature ID register: every field may be lowered. */
#define ID_AA64(crm, op2, nm, val)                                   \
	{                                                            \
		SYSREG_ENC(3, 0, 0, crm, op2), SR_ID, nm, val, ~0ULL \
	}
/* Ordinary per-vCPU register. */
#define REG(op0, op1, crn, crm, op2, nm, rst)                      \
	{                                                          \
		SYSREG_ENC(op0, op1, crn, crm, op2), 0, nm, rst, 0 \
	}
#define TIMER(crm, op2, nm)                                        \
	{                                                          \
		SYSREG_ENC(3, 3, 14, crm, op2), SR_TIMER, nm, 0, 0 \
	}

/*
 * Values: MIDR and ID_AA64ISAR0 are Unicorn max's; ID_AA64PFR0 is max's
 * 0x100112222 with SVE cleared, EL0/EL1 AArch64-only, EL2/EL3 absent and
 * CSV2/CSV3 = 1 (no speculation to mitigate); ID_AA64MMFR0 is max's 0x1124
 * (44-bit PA, 16-bit ASID, 4K and 64K granules).  DFR0: debug v8.0, two
 * breakpoints and watchpoints, no PMU.  CTR_EL0: 64-byte lines, PIPT
 * I-cache.  CLIDR: separate L1 I/D, unified L2 (the CCSIDR values are in
 * ccsidr_value()).  ISAR1/2, PFR1, MMFR1/2 and the rest: 0 (features not
 * offered; Unicorn's values were not measured).  SCTLR_EL1 resets to
 * Linux's 0x00C50078; the other registers reset to 0 (Linux leaves them
 * UNKNOWN).
 */
const struct sysreg_desc sysreg_table[] = {
	/* 2: debug */
	REG(2, 0, 0, 2, 2, "MDSCR_EL1", 0),
	/* 3,0,0: identification */
	{ SYSREG_MIDR_EL1, SR_ID | SR_ANY, "MIDR_EL1", 0x000f0510, 0 },
	{ SYSREG_MPIDR_EL1, SR_MPIDR, "MPIDR_EL1", 0, 0 },
	{ SYSREG_ENC(3, 0, 0, 0, 6), SR_ID | SR_ANY, "REVIDR_EL1", 0, 0 },
	ID_AA32(1, 0, "ID_PFR0_EL1"),
	ID_AA32(1, 1, "ID_PFR1_EL1"),
	ID_AA32(1, 2, "ID_DFR0_EL1"),
	ID_AA32(1, 3, "ID_AFR0_EL1"),
	ID_AA32(1, 4, "ID_MMFR0_EL1"),
	ID_AA32(1, 5, "ID_MMFR1_EL1"),
	ID_AA32(1, 6, "ID_MMFR2_EL1"),
	ID_AA32(1, 7, "ID_MMFR3_EL1"),
	ID_AA32(2, 0, "ID_ISAR0_EL1"),
	ID_AA32(2, 1, "ID_ISAR1_EL1"),
	ID_AA32(2, 2, "ID_ISAR2_EL1"),
	ID_AA32(2, 3, "ID_ISAR3_EL1"),
	ID_AA32(2, 4, "ID_ISAR4_EL1"),
	ID_AA32(2, 5, "ID_ISAR5_EL1"),
	ID_AA32(2, 6, "ID_MMFR4_EL1"),
	ID_AA32(2, 7, "ID_ISAR6_EL1"),
	ID_AA32(3, 0, "MVFR0_EL1"),
	ID_AA32(3, 1, "MVFR1_EL1"),
	ID_AA32(3, 2, "MVFR2_EL1"),
	ID_UNALLOC(3, 3),
	ID_AA32(3, 4, "ID_PFR2_EL1"),
	ID_AA32(3, 5, "ID_DFR1_EL1"),
	ID_AA32(3, 6, "ID_MMFR5_EL1"),
	ID_UNALLOC(3, 7),
	ID_AA64(4, 0, "ID_AA64PFR0_EL1", 0x1100000000110011ULL),
	ID_AA64(4, 1, "ID_AA64PFR1_EL1", 0),
	ID_AA64(4, 2, "ID_AA64PFR2_EL1", 0),
	ID_UNALLOC(4, 3),
	ID_AA64(4, 4, "ID_AA64ZFR0_EL1", 0),
	ID_AA64(4, 5, "ID_AA64SMFR0_EL1", 0),
	ID_UNALLOC(4, 6),
	ID_AA64(4, 7, "ID_AA64FPFR0_EL1", 0),
	ID_AA64(5, 0, "ID_AA64DFR0_EL1", 0x101006),
	ID_AA64(5, 1, "ID_AA64DFR1_EL1", 0),
	ID_UNALLOC(5, 2),
	ID_UNALLOC(5, 3),
	ID_AA64(5, 4, "ID_AA64AFR0_EL1", 0),
	ID_AA64(5, 5, "ID_AA64AFR1_EL1", 0),
	ID_UNALLOC(5, 6),
	ID_UNALLOC(5, 7),
	ID_AA64(6, 0, "ID_AA64ISAR0_EL1", 0x1021111110212120ULL),
	ID_AA64(6, 1, "ID_AA64ISAR1_EL1", 0),
	ID_AA64(6, 2, "ID_AA64ISAR2_EL1", 0),
	ID_AA64(6, 3, "ID_AA64ISAR3_EL1", 0),
	ID_UNALLOC(6, 4),
	ID_UNALLOC(6, 5),
	ID_UNALLOC(6, 6),
	ID_UNALLOC(6, 7),
	ID_AA64(7, 0, "ID_AA64MMFR0_EL1", 0x1124),
	ID_AA64(7, 1, "ID_AA64MMFR1_EL1", 0),
	ID_AA64(7, 2, "ID_AA64MMFR2_EL1", 0),
	ID_AA64(7, 3, "ID_AA64MMFR3_EL1", 0),
	ID_AA64(7, 4, "ID_AA64MMFR4_EL1", 0),
	ID_UNALLOC(7, 5),
	ID_UNALLOC(7, 6),
	ID_UNALLOC(7, 7),
	/* 3,0,1..14: EL1 state */
	REG(3, 0, 1, 0, 0, "SCTLR_EL1", 0x00C50078),
	REG(3, 0, 1, 0, 1, "ACTLR_EL1", 0),
	REG(3, 0, 1, 0, 2, "CPACR_EL1", 0),
	REG(3, 0, 2, 0, 0, "TTBR0_EL1", 0),
	REG(3, 0, 2, 0, 1, "TTBR1_EL1", 0),
	REG(3, 0, 2, 0, 2, "TCR_EL1", 0),
	REG(3, 0, 5, 1, 0, "AFSR0_EL1", 0),
	REG(3, 0, 5, 1, 1, "AFSR1_EL1", 0),
	REG(3, 0, 5, 2, 0, "ESR_EL1", 0),
	REG(3, 0, 6, 0, 0, "FAR_EL1", 0),
	REG(3, 0, 7, 4, 0, "PAR_EL1", 0),
	REG(3, 0, 10, 2, 0, "MAIR_EL1", 0),
	REG(3, 0, 10, 3, 0, "AMAIR_EL1", 0),
	REG(3, 0, 12, 0, 0, "VBAR_EL1", 0),
	REG(3, 0, 13, 0, 1, "CONTEXTIDR_EL1", 0),
	REG(3, 0, 13, 0, 4, "TPIDR_EL1", 0),
	REG(3, 0, 14, 1, 0, "CNTKCTL_EL1", 0),
	/* 3,1 / 3,2: cache identification and selection */
	{ SYSREG_CLIDR_EL1, SR_ID, "CLIDR_EL1", 0x0A200023, 0 },
	{ SYSREG_ENC(3, 1, 0, 0, 7), SR_ID | SR_ANY, "AIDR_EL1", 0, 0 },
	REG(3, 2, 0, 0, 0, "CSSELR_EL1", 0),
	/* 3,3: EL0 */
	{ SYSREG_CTR_EL0, SR_ID, "CTR_EL0", 0x8444C004, 0x0FFFFFFF },
	REG(3, 3, 13, 0, 2, "TPIDR_EL0", 0),
	REG(3, 3, 13, 0, 3, "TPIDRRO_EL0", 0),
	TIMER(2, 1, "CNTP_CTL_EL0"),
	TIMER(2, 2, "CNTP_CVAL_EL0"),
	TIMER(3, 1, "CNTV_CTL_EL0"),
	TIMER(3, 2, "CNTV_CVAL_EL0"),
};

const int NR_SYSREGS = (int)(sizeof(sysreg_table) / sizeof(sysreg_table[0]));

_Static_assert(sizeof(sysreg_table) / sizeof(sysreg_table[0]) <=
		       VCPU_MAX_SYSREGS,
	       "VCPU_MAX_SYSREGS too small for the sysreg table");

int sysreg_find(uint16_t enc)
{
	int lo = 0, hi = NR_SYSREGS;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (sysreg_table[mid].enc == enc)
			return mid;
		if (sysreg_table[mid].enc < enc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

uint64_t *vcpu_sysreg(struct vcpu *vcpu, int idx)
{
	if (sysreg_table[idx].flags & SR_ID)
		return &vcpu->vm->sysregs[idx];
	return &vcpu->regs.sys[idx];
}

uint64_t sysreg_value(struct vcpu *vcpu, uint16_t enc)
{
	int idx = sysreg_find(enc);
	uint64_t v;

	if (idx < 0)
		return 0;
	if (!(sysreg_table[idx].flags & SR_ID))
		return *vcpu_sysreg(vcpu, idx);
	pthread_mutex_lock(&vcpu->vm->lock);
	v = *vcpu_sysreg(vcpu, idx);
	pthread_mutex_unlock(&vcpu->vm->lock);
	return v;
}

void sysreg_vm_init(struct vm *vm)
{
	for (int i = 0; i < NR_SYSREGS; i++)
		if (sysreg_table[i].flags & SR_ID)
			vm->sysregs[i] = sysreg_table[i].reset;
}

/* MPIDR_EL1 from the vCPU id (spec 1.5): Aff0 4 bits, Aff1, Aff2; RES1. */
static uint64_t sysreg_mpidr(uint32_t id)
{
	return (1ULL << 31) | (id & 0xf) | (((id >> 4) & 0xffULL) << 8) |
	       (((id >> 12) & 0xffULL) << 16);
}

void sysreg_vcpu_reset(struct vcpu *vcpu)
{
	for (int i = 0; i < NR_SYSREGS; i++) {
		const struct sysreg_desc *d = &sysreg_table[i];

		if (d->flags & SR_ID)
			continue;
		vcpu->regs.sys[i] = (d->flags & SR_MPIDR) ?
					    sysreg_mpidr(vcpu->id) :
					    d->reset;
	}
}

/* The upper limit of an ID register: its reset value for this VM. */
static uint64_t sysreg_id_limit(struct vm *vm, int idx)
{
	uint64_t v = sysreg_table[idx].reset;

	if (sysreg_table[idx].enc == SYSREG_ID_AA64PFR0_EL1 &&
	    vm->sysreg_gic_v3)
		v |= 1ULL << SYSREG_PFR0_GIC_SHIFT;
	return v;
}

void sysreg_set_gic_v3(struct vm *vm)
{
	int idx = sysreg_find(SYSREG_ID_AA64PFR0_EL1);

	vm->sysreg_gic_v3 = true;
	vm->sysregs[idx] &= ~(0xfULL << SYSREG_PFR0_GIC_SHIFT);
	vm->sysregs[idx] |= 1ULL << SYSREG_PFR0_GIC_SHIFT;
}

/* The field rule for a value of an ID register before the first run. */
static int sysreg_id_check(struct vm *vm, int idx, uint64_t val)
{
	const struct sysreg_desc *d = &sysreg_table[idx];
	uint64_t limit = sysreg_id_limit(vm, idx);

	if (d->flags & SR_ANY)
		return 0;
	if ((val & ~d->wmask) != (limit & ~d->wmask))
		return -EINVAL;
	for (int shift = 0; shift < 64; shift += 4) {
		uint64_t m = 0xfULL << shift;

		if ((d->wmask & m) && (val & m) > (limit & m))
			return -EINVAL;
	}
	return 0;
}

static int sysreg_id_set(struct vcpu *vcpu, int idx, uint64_t val)
{
	struct vm *vm = vcpu->vm;
	int ret = 0;

	if (sysreg_table[idx].flags & SR_USER_WI)
		return 0;
	pthread_mutex_lock(&vm->lock);
	if (atomic_load(&vm->has_run))
		ret = val == vm->sysregs[idx] ? 0 : -EBUSY;
	else
		ret = sysreg_id_check(vm, idx, val);
	if (!ret)
		vm->sysregs[idx] = val;
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

/*
 * The table row of a SYSREG-group ONE_REG id, or -1.  Linux's
 * index_to_params: size must be U64 and no bits outside the encoding.
 */
static int sysreg_row_of_id(uint64_t id)
{
	uint64_t fixed = KVM_REG_ARM64 | KVM_REG_SIZE_U64 |
			 KVM_REG_ARM64_SYSREG;
	int idx;

	if ((id & ~0xffffULL) != fixed)
		return -1;
	idx = sysreg_find((uint16_t)id);
	if (idx < 0 || (sysreg_table[idx].flags & SR_TIMER))
		return -1;
	return idx;
}

int sysreg_get(struct vcpu *vcpu, uint64_t id, uint64_t uaddr)
{
	int idx = sysreg_row_of_id(id);
	uint64_t v;

	if (idx < 0)
		return -ENOENT;
	v = sysreg_value(vcpu, sysreg_table[idx].enc);
	return copy_to_user(uaddr, &v, sizeof(v));
}

int sysreg_set(struct vcpu *vcpu, uint64_t id, uint64_t uaddr)
{
	int idx = sysreg_row_of_id(id);
	uint64_t v;

	if (idx < 0)
		return -ENOENT;
	if (copy_from_user(&v, uaddr, sizeof(v)))
		return -EFAULT;
	if (sysreg_table[idx].flags & SR_ID)
		return sysreg_id_set(vcpu, idx, v);
	*vcpu_sysreg(vcpu, idx) = v;
	return 0;
}

unsigned int sysreg_list(uint64_t *out)
{
	unsigned int n = 0;

	for (int i = 0; i < NR_SYSREGS; i++) {
		if (sysreg_table[i].flags & SR_TIMER)
			continue;
		if (out)
			out[n] = KVM_REG_ARM64 | KVM_REG_SIZE_U64 |
				 KVM_REG_ARM64_SYSREG | sysreg_table[i].enc;
		n++;
	}
	return n;
}

uint64_t timer_counter_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec) /
	       16;
}
