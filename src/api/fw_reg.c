// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fw_reg.c: firmware pseudo-registers (spec 4.6): the PSCI version, the
 * SMCCC workaround levels and the hypercall feature bitmaps.  All VM-wide,
 * under vm->lock.
 *
 * Workaround registers (rules of Linux's kvm_arm_set_fw_reg, 6.x
 * hypercalls.c; the stored-nothing part confirmed with search): reads give
 * the "host" level, which
 * for an emulated CPU is NOT_REQUIRED (no speculation); a write is a
 * compatibility check, not stored: bits beyond the 4-bit level (and, for
 * WORKAROUND_2, the ENABLED bit) are EINVAL, and a level above the host's
 * is EINVAL.  The guest's SMCCC_ARCH_FEATURES answers are derived from
 * the same level (fw_wa_level, used by src/cpu/psci.c), so the guest sees
 * what KVM_GET_ONE_REG returns.
 *
 * Bitmaps: the bits vkvm offers are the defaults; a write with another
 * bit is EINVAL, a changed value after the first run is EBUSY (checked
 * in that order, as Linux's kvm_arm_set_fw_reg_bmap).  The engine must
 * honour them (fw_bmap) when answering SMCCC discovery calls.
 */
#include <errno.h>

#include "api/reg_groups.h"
#include "api/uaccess.h"

#define FW_LEVEL_MASK 0xfULL
#define FW_NR_BMAPS 3

/* Hypercall services vkvm offers per bitmap (STD, STD_HYP, VENDOR_HYP). */
static const uint64_t fw_bmap_supported[FW_NR_BMAPS] = {
	1ULL << KVM_REG_ARM_STD_BIT_TRNG_V1_0,
	0,
	1ULL << KVM_REG_ARM_VENDOR_HYP_BIT_FUNC_FEAT,
};

static const uint64_t fw_ids[] = {
	KVM_REG_ARM_PSCI_VERSION,
	KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1,
	KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2,
	KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3,
	KVM_REG_ARM_STD_BMAP,
	KVM_REG_ARM_STD_HYP_BMAP,
	KVM_REG_ARM_VENDOR_HYP_BMAP,
};

void fw_reg_vm_init(struct vm *vm)
{
	vm->psci_version = KVM_ARM_PSCI_LATEST;
	for (int i = 0; i < FW_NR_BMAPS; i++)
		vm->fw_bmap[i] = fw_bmap_supported[i];
}

static bool fw_has_psci02(struct vcpu *vcpu)
{
	return vcpu->features[0] & (1U << KVM_ARM_VCPU_PSCI_0_2);
}

/* The workaround level the "host" has (see the file comment). */
uint64_t fw_wa_level(uint64_t id)
{
	if (id == KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2)
		return KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED;
	return KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_REQUIRED;
}

/* Bitmap number of @id, or -1. */
static int fw_bmap_index(uint64_t id)
{
	if ((id & ~0xffffULL) !=
	    (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_FW_FEAT_BMAP))
		return -1;
	return (id & 0xffff) < FW_NR_BMAPS ? (int)(id & 0xffff) : -1;
}

static int fw_read(struct vcpu *vcpu, uint64_t id, uint64_t *val)
{
	int b = fw_bmap_index(id);

	if (b >= 0) {
		*val = vcpu->vm->fw_bmap[b];
		return 0;
	}
	switch (id) {
	case KVM_REG_ARM_PSCI_VERSION:
		*val = fw_has_psci02(vcpu) ? vcpu->vm->psci_version :
					     KVM_ARM_PSCI_0_1;
		return 0;
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1:
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2:
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3:
		*val = fw_wa_level(id);
		return 0;
	default:
		return -ENOENT;
	}
}

int fw_reg_get(struct vcpu *vcpu, uint64_t id, uint64_t uaddr)
{
	uint64_t val;
	int ret;

	pthread_mutex_lock(&vcpu->vm->lock);
	ret = fw_read(vcpu, id, &val);
	pthread_mutex_unlock(&vcpu->vm->lock);
	if (ret)
		return ret;
	return copy_to_user(uaddr, &val, sizeof(val));
}

/* PSCI 0.1 only without the PSCI_0_2 feature, 0.2 to 1.1 only with it. */
static int fw_set_psci(struct vcpu *vcpu, uint64_t val)
{
	bool wants_02 = fw_has_psci02(vcpu);

	switch (val) {
	case KVM_ARM_PSCI_0_1:
		if (wants_02)
			return -EINVAL;
		break;
	case KVM_ARM_PSCI_0_2:
	case KVM_ARM_PSCI_1_0:
	case KVM_ARM_PSCI_1_1:
		if (!wants_02)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	vcpu->vm->psci_version = (uint32_t)val;
	return 0;
}

static int fw_set_wa(uint64_t id, uint64_t val)
{
	uint64_t level = val & FW_LEVEL_MASK;

	if (id != KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2)
		return (val & ~FW_LEVEL_MASK) || level > fw_wa_level(id) ?
			       -EINVAL :
			       0;
	if (val &
	    ~(FW_LEVEL_MASK | KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED))
		return -EINVAL;
	if ((val & KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED) &&
	    level != KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_AVAIL)
		return -EINVAL;
	/* UNKNOWN counts as NOT_AVAIL, AVAIL as NOT_REQUIRED (Linux) */
	return level > KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED ?
		       -EINVAL :
		       0;
}

static int fw_set_bmap(struct vm *vm, int b, uint64_t val)
{
	if (val & ~fw_bmap_supported[b])
		return -EINVAL;
	if (atomic_load(&vm->has_run) && val != vm->fw_bmap[b])
		return -EBUSY;
	vm->fw_bmap[b] = val;
	return 0;
}

static int fw_write(struct vcpu *vcpu, uint64_t id, uint64_t val)
{
	int b = fw_bmap_index(id);

	if (b >= 0)
		return fw_set_bmap(vcpu->vm, b, val);
	switch (id) {
	case KVM_REG_ARM_PSCI_VERSION:
		return fw_set_psci(vcpu, val);
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1:
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2:
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3:
		return fw_set_wa(id, val);
	default:
		return -ENOENT;
	}
}

int fw_reg_set(struct vcpu *vcpu, uint64_t id, uint64_t uaddr)
{
	uint64_t val;
	int ret;

	if ((id & KVM_REG_SIZE_MASK) != KVM_REG_SIZE_U64)
		return -ENOENT;
	if (copy_from_user(&val, uaddr, sizeof(val)))
		return -EFAULT;
	pthread_mutex_lock(&vcpu->vm->lock);
	ret = fw_write(vcpu, id, val);
	pthread_mutex_unlock(&vcpu->vm->lock);
	return ret;
}

unsigned int fw_reg_list(uint64_t *out)
{
	unsigned int n = sizeof(fw_ids) / sizeof(fw_ids[0]);

	for (unsigned int i = 0; out && i < n; i++)
		out[i] = fw_ids[i];
	return n;
}
