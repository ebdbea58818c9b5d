// SPDX-License-Identifier: GPL-2.0-or-later
/* vm_create_kit_test.c: the first KVM_CREATE_VM of a system fd runs the
 * engine kit's self-test and refuses VMs with ENOTSUP when Unicorn's
 * layout is not 2.1.1's. */
#include <dirent.h>

#include "api_helpers.h"

#include "cpu/cpu.h"

static size_t skew;

/* Overrides the library's weak seam: the kit expects uc->cpu @skew
 * bytes away from where 2.1.1 has it. */
size_t cpu_self_test_skew(void)
{
	return skew;
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

TEST(create_vm_with_a_unicorn_the_kit_does_not_know_is_enotsup)
{
	int kvm = vkvm_open(), before;

	REQUIRE(kvm >= 0);
	before = open_fds();
	skew = 8;
	EXPECT_ERRNO(vkvm_ioctl(kvm, KVM_CREATE_VM, 0), ENOTSUP);
	skew = 0;
	/* nothing left behind: no fd (LeakSanitizer checks memory) */
	EXPECT_EQ(open_fds(), before);
	vkvm_close(kvm);
}

TEST(create_vm_keeps_the_kit_verdict_per_system_fd)
{
	int kvm = vkvm_open(), vm;

	REQUIRE(kvm >= 0);
	skew = 8;
	EXPECT_ERRNO(vkvm_ioctl(kvm, KVM_CREATE_VM, 0), ENOTSUP);
	skew = 0;
	EXPECT_ERRNO(vkvm_ioctl(kvm, KVM_CREATE_VM, 0), ENOTSUP);
	vkvm_close(kvm);
	/* a new system fd checks again */
	kvm = vkvm_open();
	REQUIRE(kvm >= 0);
	vm = vkvm_ioctl(kvm, KVM_CREATE_VM, 0);
	EXPECT(vm >= 0);
	vkvm_close(vm);
	vkvm_close(kvm);
}
