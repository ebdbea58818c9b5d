// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * core_reg.c: the CORE ONE_REG group, struct kvm_regs by 32-bit word index
 * (spec 4.3; rules of Linux's arch/arm64/kvm/guest.c get/set_core_reg).
 */
#include <errno.h>
#include <stddef.h>

#include "api/reg_groups.h"
#include "api/uaccess.h"

#define CORE_NR_WORDS (sizeof(struct kvm_regs) / sizeof(uint32_t))
#define CORE_WORD(field) (offsetof(struct kvm_regs, field) / sizeof(uint32_t))

#define PSR_MODE_MASK 0x1fULL
#define PSR_MODE_EL0t 0x0
#define PSR_MODE_EL1t 0x4
#define PSR_MODE_EL1h 0x5

/* The index of a CORE id (all bits but arch, size and group). */
static uint64_t core_index(uint64_t id)
{
	return id & ~(KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK | KVM_REG_ARM_CORE);
}

/* Size in bytes of the field starting at word @off, or -EINVAL. */
static int core_field_size(uint64_t off)
{
	int size;

	if (off <= CORE_WORD(spsr[KVM_NR_SPSR - 1]) + 1)
		size = 8;
	else if (off >= CORE_WORD(fp_regs.vregs[0]) &&
		 off < CORE_WORD(fp_regs.fpsr))
		size = 16;
	else if (off == CORE_WORD(fp_regs.fpsr) ||
		 off == CORE_WORD(fp_regs.fpcr))
		size = 4;
	else
		return -EINVAL; /* padding and reserved words */
	if (off % (uint64_t)(size / 4))
		return -EINVAL;
	return size;
}

/* The bounds (ENOENT) and field (EINVAL) checks shared by get and set. */
static int core_check(uint64_t id)
{
	uint64_t off = core_index(id);
	uint64_t words = KVM_REG_SIZE(id) / sizeof(uint32_t);

	if (off >= CORE_NR_WORDS || off + words >= CORE_NR_WORDS)
		return -ENOENT;
	if (core_field_size(off) != (int)KVM_REG_SIZE(id))
		return -EINVAL;
	return 0;
}

static char *core_addr(struct vcpu *vcpu, uint64_t id)
{
	return (char *)&vcpu->regs.core + core_index(id) * sizeof(uint32_t);
}

int core_reg_get(struct vcpu *vcpu, uint64_t id, uint64_t uaddr)
{
	int ret = core_check(id);

	if (ret)
		return ret;
	return copy_to_user(uaddr, core_addr(vcpu, id), KVM_REG_SIZE(id));
}

/*
 * PSTATE modes an AArch64 vCPU without EL2 can be in: EL0t, EL1t, EL1h.
 * vkvm offers no AArch32 (EL1_32BIT, 32-bit EL0) and no nested virt, so
 * the AArch32 and EL2 modes are EINVAL too.
 */
static bool core_pstate_ok(uint64_t pstate)
{
	switch (pstate & PSR_MODE_MASK) {
	case PSR_MODE_EL0t:
	case PSR_MODE_EL1t:
	case PSR_MODE_EL1h:
		return true;
	default:
		return false;
	}
}

int core_reg_set(struct vcpu *vcpu, uint64_t id, uint64_t uaddr)
{
	unsigned char val[16];
	int ret = core_check(id);

	if (ret)
		return ret;
	if (copy_from_user(val, uaddr, KVM_REG_SIZE(id)))
		return -EFAULT;
	if (core_index(id) == CORE_WORD(regs.pstate)) {
		uint64_t pstate;

		memcpy(&pstate, val, sizeof(pstate));
		if (!core_pstate_ok(pstate))
			return -EINVAL;
	}
	memcpy(core_addr(vcpu, id), val, KVM_REG_SIZE(id));
	return 0;
}

static uint64_t core_id(uint64_t size, uint64_t word)
{
	return KVM_REG_ARM64 | size | KVM_REG_ARM_CORE | word;
}

unsigned int core_reg_list(uint64_t *out)
{
	unsigned int n = 0;

	for (uint64_t w = 0; w < CORE_NR_WORDS; w++) {
		int size = core_field_size(w);
		uint64_t sz = size == 4 ? KVM_REG_SIZE_U32 :
			      size == 8 ? KVM_REG_SIZE_U64 :
					  KVM_REG_SIZE_U128;

		if (size < 0)
			continue;
		if (out)
			out[n] = core_id(sz, w);
		n++;
	}
	return n;
}
