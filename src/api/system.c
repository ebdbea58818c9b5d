// SPDX-License-Identifier: GPL-2.0-or-later
/* system.c: ioctls on the system fd (spec 1.1, 1.4). */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>

#include <vkvm/kvm.h>

#include "api/file.h"
#include "api/system.h"
#include "api/vm.h"
#include "cpu/cpu.h"

#define KIT_UNCHECKED 1

/* One system fd (shared by its dups). */
struct system {
	atomic_int kit; /* cpu_self_test's result, KIT_UNCHECKED before */
};

/*
 * Issue #5: never run a guest on a Unicorn the engine kit does not know.
 * The self-test runs at the first KVM_CREATE_VM of each system fd and its
 * result is kept there.  Per VM would be simplest, but at about 1.5 ms
 * (a throw-away engine with the smallest translation buffer) it made
 * fd_table_thread_test's 8,000 VMs take 12.8 s instead of 0.3 s; the
 * linked library cannot change while the process lives.  Two first
 * creates racing both run it; the result is the same.
 */
static int system_kit_check(struct system *sys)
{
	int ret = atomic_load(&sys->kit);

	if (ret == KIT_UNCHECKED) {
		ret = cpu_self_test();
		if (ret != -ENOMEM) /* worth another try later */
			atomic_store(&sys->kit, ret);
	}
	return ret;
}

static long system_create_vm(struct system *sys, unsigned long type)
{
	int ret = system_kit_check(sys);

	return ret ? ret : vm_create_fd(type);
}

static long system_ioctl(struct vkvm_file *file, unsigned long req,
			 unsigned long arg)
{
	switch (req) {
	case KVM_GET_API_VERSION:
		if (arg)
			return -EINVAL;
		return KVM_API_VERSION;
	case KVM_CREATE_VM:
		return system_create_vm(file->priv, arg);
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

static void system_release(struct vkvm_file *file)
{
	free(file->priv);
}

static const struct vkvm_file_ops system_fops = {
	.kind = VKVM_FILE_SYSTEM,
	.ioctl = system_ioctl,
	.release = system_release,
};

int system_open_fd(void)
{
	struct system *sys = malloc(sizeof(*sys));
	int fd;

	if (!sys)
		return -ENOMEM;
	atomic_init(&sys->kit, KIT_UNCHECKED);
	fd = file_create(&system_fops, sys, 0, NULL);
	if (fd < 0)
		free(sys);
	return fd;
}
