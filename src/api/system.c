// SPDX-License-Identifier: GPL-2.0-or-later
/* system.c: ioctls on the system fd (spec 1.1, 1.4). */
#include <errno.h>

#include <vkvm/kvm.h>

#include "api/file.h"
#include "api/system.h"
#include "api/vm.h"

static long system_ioctl(struct vkvm_file *file, unsigned long req,
			 unsigned long arg)
{
	(void)file;
	switch (req) {
	case KVM_GET_API_VERSION:
		if (arg)
			return -EINVAL;
		return KVM_API_VERSION;
	case KVM_CREATE_VM:
		return vm_create_fd(arg);
	case KVM_CHECK_EXTENSION:
		return vm_check_extension(NULL, arg);
	case KVM_GET_VCPU_MMAP_SIZE:
		if (arg)
			return -EINVAL;
		return vcpu_mmap_size();
	default:
		return -EINVAL;
	}
}

static const struct vkvm_file_ops system_fops = {
	.kind = VKVM_FILE_SYSTEM,
	.ioctl = system_ioctl,
};

int system_open_fd(void)
{
	return file_create(&system_fops, NULL, 0, NULL);
}
