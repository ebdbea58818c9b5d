// SPDX-License-Identifier: GPL-2.0-or-later
/* system_test.c: the system fd, VM and vCPU fd basics (spec 1.1, 1.4). */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <vkvm/vkvm.h>

#include "lib/test.h"

TEST(api_version_is_12)
{
	int kvm = vkvm_open();

	REQUIRE(kvm >= 0);
	EXPECT_EQ(vkvm_ioctl(kvm, KVM_GET_API_VERSION, 0), 12);
	EXPECT_ERRNO(vkvm_ioctl(kvm, KVM_GET_API_VERSION, 1), EINVAL);
	EXPECT_OK(vkvm_close(kvm));
}

TEST(fds_are_real_and_distinct)
{
	int kvm = vkvm_open(), vm, vcpu;

	REQUIRE(kvm >= 0);
	vm = vkvm_ioctl(kvm, KVM_CREATE_VM, 0);
	REQUIRE(vm >= 0);
	vcpu = vkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
	REQUIRE(vcpu >= 0);
	EXPECT(kvm != vm && vm != vcpu && kvm != vcpu);
	EXPECT(fcntl(kvm, F_GETFD) >= 0);
	EXPECT(fcntl(vm, F_GETFD) >= 0);
	EXPECT(fcntl(vcpu, F_GETFD) >= 0);
	EXPECT_OK(vkvm_close(vcpu));
	EXPECT_OK(vkvm_close(vm));
	EXPECT_OK(vkvm_close(kvm));
	EXPECT_ERRNO(vkvm_close(kvm), EBADF);
}

TEST(foreign_fds_are_refused)
{
	int p[2];

	REQUIRE(pipe(p) == 0);
	EXPECT_ERRNO(vkvm_ioctl(p[0], KVM_GET_API_VERSION, 0), ENOTTY);
	close(p[0]);
	close(p[1]);
	EXPECT_ERRNO(vkvm_ioctl(p[0], KVM_GET_API_VERSION, 0), EBADF);
	EXPECT_ERRNO(vkvm_ioctl(-1, KVM_GET_API_VERSION, 0), EBADF);
}

TEST(dup_of_a_vkvm_fd_works)
{
	int kvm = vkvm_open(), d;

	REQUIRE(kvm >= 0);
	d = dup(kvm);
	REQUIRE(d >= 0);
	EXPECT_EQ(vkvm_ioctl(d, KVM_GET_API_VERSION, 0), 12);
	EXPECT_OK(vkvm_close(d));
	EXPECT_EQ(vkvm_ioctl(kvm, KVM_GET_API_VERSION, 0), 12);
	EXPECT_OK(vkvm_close(kvm));
}

TEST(vm_outlives_its_fd_while_vcpus_are_open)
{
	int kvm = vkvm_open(), vm, vcpu;
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };

	REQUIRE(kvm >= 0);
	vm = vkvm_ioctl(kvm, KVM_CREATE_VM, 0);
	REQUIRE(vm >= 0);
	vcpu = vkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
	REQUIRE(vcpu >= 0);
	EXPECT_OK(vkvm_close(vm));
	EXPECT_OK(vkvm_close(kvm));
	EXPECT_OK(vkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &init));
	EXPECT_OK(vkvm_close(vcpu));
}

TEST(vcpu_fd_maps_kvm_run)
{
	int kvm = vkvm_open(), vm, vcpu;
	long size;
	struct kvm_run *run;

	REQUIRE(kvm >= 0);
	size = vkvm_ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	EXPECT(size >= (long)sizeof(struct kvm_run));
	vm = vkvm_ioctl(kvm, KVM_CREATE_VM, 0);
	REQUIRE(vm >= 0);
	vcpu = vkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
	REQUIRE(vcpu >= 0);
	run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu,
		   0);
	REQUIRE(run != MAP_FAILED);
	run->immediate_exit = 1;
	EXPECT_EQ(run->exit_reason, 0);
	munmap(run, (size_t)size);
	vkvm_close(vcpu);
	vkvm_close(vm);
	vkvm_close(kvm);
}
