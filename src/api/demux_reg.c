// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * demux_reg.c: the DEMUX ONE_REG group: CCSIDR_EL1 per CSSELR selector
 * (spec 4.4).  The cache hierarchy is the one CLIDR_EL1 describes in
 * sysreg.c: L1 data and instruction caches (selectors 0 and 1), a unified
 * L2 (selector 2).  Values (CCSIDR without FEAT_CCIDX: NumSets-1 27:13,
 * Associativity-1 12:3, log2(line bytes)-4 2:0): L1 32 KiB 4-way 64-byte
 * lines, L2 1 MiB 16-way 64-byte lines.  A write must repeat the value
 * (EINVAL otherwise: the pre-6.3 Linux rule; newer kernels accept some
 * other line sizes).
 */
#include <errno.h>

#include "api/reg_groups.h"
#include "api/sysreg.h"
#include "api/uaccess.h"

#define DEMUX_FIXED (KVM_REG_ARM64 | KVM_REG_SIZE_U32 | KVM_REG_ARM_DEMUX)

static const uint32_t ccsidr_values[] = {
	(127U << 13) | (3U << 3) | 2U, /* 0: L1 data */
	(127U << 13) | (3U << 3) | 2U, /* 1: L1 instruction */
	(1023U << 13) | (15U << 3) | 2U, /* 2: L2 unified */
};

#define NR_CCSIDR (sizeof(ccsidr_values) / sizeof(ccsidr_values[0]))

/* The selector of a DEMUX id, or -ENOENT (Linux's demux_c15_get order). */
static int demux_selector(uint64_t id)
{
	if ((id & ~(KVM_REG_ARM_DEMUX_ID_MASK | KVM_REG_ARM_DEMUX_VAL_MASK)) !=
	    DEMUX_FIXED)
		return -ENOENT;
	if ((id & KVM_REG_ARM_DEMUX_ID_MASK) != KVM_REG_ARM_DEMUX_ID_CCSIDR)
		return -ENOENT;
	if ((id & KVM_REG_ARM_DEMUX_VAL_MASK) >= NR_CCSIDR)
		return -ENOENT;
	return (int)(id & KVM_REG_ARM_DEMUX_VAL_MASK);
}

int demux_ccsidr(uint32_t csselr, uint32_t *val)
{
	if (csselr >= NR_CCSIDR)
		return -ENOENT;
	*val = ccsidr_values[csselr];
	return 0;
}

int demux_reg_get(struct vcpu *vcpu, uint64_t id, uint64_t uaddr)
{
	int sel = demux_selector(id);

	(void)vcpu;
	if (sel < 0)
		return sel;
	return copy_to_user(uaddr, &ccsidr_values[sel], sizeof(uint32_t));
}

int demux_reg_set(struct vcpu *vcpu, uint64_t id, uint64_t uaddr)
{
	int sel = demux_selector(id);
	uint32_t v;

	(void)vcpu;
	if (sel < 0)
		return sel;
	if (copy_from_user(&v, uaddr, sizeof(v)))
		return -EFAULT;
	return v == ccsidr_values[sel] ? 0 : -EINVAL;
}

unsigned int demux_reg_list(uint64_t *out)
{
	for (unsigned int i = 0; out && i < NR_CCSIDR; i++)
		out[i] = DEMUX_FIXED | KVM_REG_ARM_DEMUX_ID_CCSIDR | i;
	return NR_CCSIDR;
}
