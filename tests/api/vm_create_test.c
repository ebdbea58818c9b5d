// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vm_create_test.c: KVM_CREATE_VM types (IPA size), KVM_CREATE_VCPU
 * limits and KVM_CHECK_EXTENSION on the system and VM fds (spec 1.4, 1.5).
 */
#include "api_helpers.h"

TEST(create_vm_default_ipa_is_40_bits)
{
	int vm = th_vm(0);
	struct vm *v;

	REQUIRE(vm >= 0);
	v = th_priv(vm);
	REQUIRE(v);
	EXPECT_EQ(v->ipa_bits, 40);
	vkvm_close(vm);
}

TEST(create_vm_ipa_sizes_32_to_48)
{
	for (unsigned long ipa = 32; ipa <= 48; ipa++) {
		int vm = th_vm(ipa);
		struct vm *v = th_priv(vm);

		EXPECT(vm >= 0 && v && v->ipa_bits == ipa);
		vkvm_close(vm);
	}
}

TEST(create_vm_bad_ipa_size_is_einval)
{
	int kvm = vkvm_open();

	REQUIRE(kvm >= 0);
	EXPECT_ERRNO(vkvm_ioctl(kvm, KVM_CREATE_VM, 31), EINVAL);
	EXPECT_ERRNO(vkvm_ioctl(kvm, KVM_CREATE_VM, 1), EINVAL);
	EXPECT_ERRNO(vkvm_ioctl(kvm, KVM_CREATE_VM, 49), EINVAL);
	EXPECT_ERRNO(vkvm_ioctl(kvm, KVM_CREATE_VM, 0xff), EINVAL);
	vkvm_close(kvm);
}

TEST(create_vm_unknown_type_bits_are_einval)
{
	int kvm = vkvm_open();

	REQUIRE(kvm >= 0);
	EXPECT_ERRNO(vkvm_ioctl(kvm, KVM_CREATE_VM, 0x100), EINVAL);
	EXPECT_ERRNO(vkvm_ioctl(kvm, KVM_CREATE_VM, 1UL << 31), EINVAL);
	EXPECT_ERRNO(vkvm_ioctl(kvm, KVM_CREATE_VM, 0x100 | 40), EINVAL);
	vkvm_close(kvm);
}

TEST(create_vcpu_id_beyond_max_is_einval)
{
	int vm = th_vm(0), v;

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vm, KVM_CREATE_VCPU, VKVM_MAX_VCPUS), EINVAL);
	EXPECT_ERRNO(vkvm_ioctl(vm, KVM_CREATE_VCPU, -1UL), EINVAL);
	EXPECT_ERRNO(vkvm_ioctl(vm, KVM_CREATE_VCPU, 1UL << 32), EINVAL);
	v = vkvm_ioctl(vm, KVM_CREATE_VCPU, VKVM_MAX_VCPUS - 1);
	EXPECT(v >= 0);
	vkvm_close(v);
	vkvm_close(vm);
}

TEST(create_vcpu_duplicate_id_is_eexist)
{
	int vm = th_vm(0), v;

	REQUIRE(vm >= 0);
	v = vkvm_ioctl(vm, KVM_CREATE_VCPU, 3);
	REQUIRE(v >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vm, KVM_CREATE_VCPU, 3), EEXIST);
	/* still refused after the first vCPU fd is closed */
	vkvm_close(v);
	EXPECT_ERRNO(vkvm_ioctl(vm, KVM_CREATE_VCPU, 3), EEXIST);
	vkvm_close(vm);
}

TEST(create_vcpu_beyond_vm_limit_is_einval)
{
	int vm = th_vm(0), a, b;
	struct vm *v = th_priv(vm);

	REQUIRE(vm >= 0 && v);
	/* as a GICv2 sets it (spec 3.2): 8 vCPUs, ids below 8 */
	pthread_mutex_lock(&v->lock);
	v->max_vcpus = 2;
	pthread_mutex_unlock(&v->lock);
	EXPECT_EQ(vkvm_ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS), 2);
	EXPECT_ERRNO(vkvm_ioctl(vm, KVM_CREATE_VCPU, 2), EINVAL);
	a = vkvm_ioctl(vm, KVM_CREATE_VCPU, 1);
	b = vkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
	EXPECT(a >= 0 && b >= 0);
	/* the count limit: EINVAL before the duplicate check */
	EXPECT_ERRNO(vkvm_ioctl(vm, KVM_CREATE_VCPU, 0), EINVAL);
	vkvm_close(a);
	vkvm_close(b);
	vkvm_close(vm);
}

TEST(create_vcpu_index_follows_creation_order)
{
	int vm = th_vm(0), a, b;
	struct vcpu *ca, *cb;

	REQUIRE(vm >= 0);
	a = vkvm_ioctl(vm, KVM_CREATE_VCPU, 5);
	b = vkvm_ioctl(vm, KVM_CREATE_VCPU, 2);
	REQUIRE(a >= 0 && b >= 0);
	ca = th_priv(a);
	cb = th_priv(b);
	REQUIRE(ca && cb);
	EXPECT_EQ(ca->id, 5);
	EXPECT_EQ(ca->index, 0);
	EXPECT_EQ(cb->id, 2);
	EXPECT_EQ(cb->index, 1);
	EXPECT(vm_vcpu_by_id(ca->vm, 2) == cb);
	vkvm_close(a);
	vkvm_close(b);
	vkvm_close(vm);
}

static void check_caps(int fd, long max_vcpus)
{
	EXPECT_EQ(vkvm_ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY), 1);
	EXPECT_EQ(vkvm_ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_ONE_REG), 1);
	EXPECT_EQ(vkvm_ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_MP_STATE), 1);
	EXPECT_EQ(vkvm_ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_READONLY_MEM), 1);
	EXPECT_EQ(vkvm_ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS),
		  VKVM_MAX_MEMSLOTS);
	EXPECT_EQ(vkvm_ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS),
		  max_vcpus);
	EXPECT_EQ(vkvm_ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPU_ID),
		  max_vcpus);
	EXPECT_EQ(vkvm_ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS), 8);
	EXPECT_EQ(vkvm_ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_VM_IPA_SIZE),
		  48);
	/* what vkvm does not offer answers 0 */
	EXPECT_EQ(vkvm_ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_EL1_32BIT),
		  0);
	EXPECT_EQ(vkvm_ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_SVE), 0);
	EXPECT_EQ(vkvm_ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PMU_V3), 0);
	EXPECT_EQ(vkvm_ioctl(fd, KVM_CHECK_EXTENSION, 99999), 0);
}

TEST(check_extension_on_system_and_vm_fds)
{
	int kvm = vkvm_open(), vm;

	REQUIRE(kvm >= 0);
	vm = vkvm_ioctl(kvm, KVM_CREATE_VM, 0);
	REQUIRE(vm >= 0);
	check_caps(kvm, VKVM_MAX_VCPUS);
	check_caps(vm, VKVM_MAX_VCPUS);
	vkvm_close(vm);
	vkvm_close(kvm);
}

TEST(vm_unknown_ioctl_is_einval)
{
	int vm = th_vm(0);

	REQUIRE(vm >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vm, KVM_RUN, 0), EINVAL);
	vkvm_close(vm);
}
