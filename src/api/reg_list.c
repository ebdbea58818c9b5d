// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * reg_list.c: KVM_GET_REG_LIST (spec 4.1, 4.7).  Order: core, firmware
 * (FW then FW_FEAT_BMAP), timer, DEMUX (CCSIDR), system registers in
 * table order.  The list is the same for every vCPU of a VM (vkvm offers
 * no feature that adds registers).
 */
#include <errno.h>
#include <stdlib.h>

#include "api/one_reg.h"
#include "api/reg_groups.h"
#include "api/sysreg.h"
#include "api/uaccess.h"

typedef unsigned int (*reg_list_fn)(uint64_t *out);

static const reg_list_fn reg_list_parts[] = {
	core_reg_list, fw_reg_list, timer_reg_list, demux_reg_list, sysreg_list,
};

#define NR_PARTS (sizeof(reg_list_parts) / sizeof(reg_list_parts[0]))

/* Write every id to @out (NULL: just count); the number of ids. */
static uint64_t reg_list_fill(uint64_t *out)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < NR_PARTS; i++)
		n += reg_list_parts[i](out ? out + n : NULL);
	return n;
}

int reg_list_get(struct vcpu *vcpu, unsigned long uaddr)
{
	struct kvm_reg_list head;
	uint64_t n = reg_list_fill(NULL), *ids;
	int ret;

	(void)vcpu;
	if (copy_from_user(&head, uaddr, sizeof(head)))
		return -EFAULT;
	/* Linux writes the count back first, then refuses a short buffer. */
	if (copy_to_user(uaddr, &n, sizeof(n)))
		return -EFAULT;
	if (head.n < n)
		return -E2BIG;
	ids = calloc(n, sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	reg_list_fill(ids);
	ret = copy_to_user(uaddr + sizeof(head), ids, n * sizeof(*ids));
	free(ids);
	return ret;
}
