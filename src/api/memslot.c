// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memslot.c: KVM_SET_USER_MEMORY_REGION.
 * TODO(issue 3): Linux's full rules (move, flags-only, overlap, IPA).
 */
#include <errno.h>

#include "api/vm.h"

int memslot_set(struct vm *vm, const struct kvm_userspace_memory_region *mr)
{
	(void)vm;
	(void)mr;
	return -EINVAL;
}
