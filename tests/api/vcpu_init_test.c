// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vcpu_init_test.c: KVM_ARM_VCPU_INIT, KVM_ARM_PREFERRED_TARGET,
 * KVM_GET/SET_MP_STATE and KVM_ARM_VCPU_FINALIZE (spec 5.1, 5.2).
 */
#include "api_helpers.h"

#define F(bit) (1U << KVM_ARM_VCPU_##bit)

static int new_vcpu(int *vmp, unsigned long id)
{
	int vm = *vmp >= 0 ? *vmp : th_vm(0);

	*vmp = vm;
	return vm < 0 ? -1 : vkvm_ioctl(vm, KVM_CREATE_VCPU, id);
}

static int init_with(int vcpu, uint32_t target, uint32_t f0, int extra_word)
{
	struct kvm_vcpu_init init = { .target = target };

	init.features[0] = f0;
	if (extra_word)
		init.features[extra_word] = 1;
	return vkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &init);
}

TEST(vcpu_init_wrong_target_is_einval)
{
	int vm = -1, vcpu = new_vcpu(&vm, 0);
	static const uint32_t bad[] = { 0, 1, 2, 3, 4, 6, 0xff };

	REQUIRE(vcpu >= 0);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_ERRNO(init_with(vcpu, bad[i], 0, 0), EINVAL);
	/* the target is checked before the feature bits */
	EXPECT_ERRNO(init_with(vcpu, 0, 1U << 20, 0), EINVAL);
	EXPECT_OK(init_with(vcpu, KVM_ARM_TARGET_GENERIC_V8, 0, 0));
}

TEST(vcpu_init_unknown_feature_is_enoent)
{
	int vm = -1, vcpu = new_vcpu(&vm, 0);

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(init_with(vcpu, KVM_ARM_TARGET_GENERIC_V8, 1U << 9, 0),
		     ENOENT);
	EXPECT_ERRNO(init_with(vcpu, KVM_ARM_TARGET_GENERIC_V8, 1U << 31, 0),
		     ENOENT);
	/* ENOENT wins over an unsupported known feature */
	EXPECT_ERRNO(init_with(vcpu, KVM_ARM_TARGET_GENERIC_V8,
			       F(SVE) | (1U << 12), 0),
		     ENOENT);
}

TEST(vcpu_init_features_1_to_6_are_enoent)
{
	int vm = -1, vcpu = new_vcpu(&vm, 0);

	REQUIRE(vcpu >= 0);
	for (int w = 1; w < 7; w++)
		EXPECT_ERRNO(init_with(vcpu, KVM_ARM_TARGET_GENERIC_V8, 0, w),
			     ENOENT);
}

TEST(vcpu_init_unsupported_feature_is_einval)
{
	int vm = -1, vcpu = new_vcpu(&vm, 0);
	static const uint32_t bad[] = { F(EL1_32BIT), F(PMU_V3), F(SVE),
					F(HAS_EL2), F(HAS_EL2_E2H0) };

	REQUIRE(vcpu >= 0);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_ERRNO(init_with(vcpu, KVM_ARM_TARGET_GENERIC_V8, bad[i],
				       0),
			     EINVAL);
}

TEST(vcpu_init_pointer_auth_is_einval_alone_or_paired)
{
	int vm = -1, vcpu = new_vcpu(&vm, 0);

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(init_with(vcpu, KVM_ARM_TARGET_GENERIC_V8,
			       F(PTRAUTH_ADDRESS), 0),
		     EINVAL);
	EXPECT_ERRNO(init_with(vcpu, KVM_ARM_TARGET_GENERIC_V8,
			       F(PTRAUTH_GENERIC), 0),
		     EINVAL);
	EXPECT_ERRNO(init_with(vcpu, KVM_ARM_TARGET_GENERIC_V8,
			       F(PTRAUTH_ADDRESS) | F(PTRAUTH_GENERIC), 0),
		     EINVAL);
}

TEST(vcpu_init_features_differing_between_vcpus_are_einval)
{
	int vm = -1, a = new_vcpu(&vm, 0), b = new_vcpu(&vm, 1);

	REQUIRE(a >= 0 && b >= 0);
	EXPECT_OK(th_init(a, F(PSCI_0_2)));
	EXPECT_ERRNO(th_init(b, 0), EINVAL);
	/* POWER_OFF is not part of the comparison */
	EXPECT_OK(th_init(b, F(PSCI_0_2) | F(POWER_OFF)));
}

TEST(vcpu_reinit_with_other_features_is_einval)
{
	int vm = -1, vcpu = new_vcpu(&vm, 0);

	REQUIRE(vcpu >= 0);
	EXPECT_OK(th_init(vcpu, 0));
	EXPECT_ERRNO(th_init(vcpu, F(PSCI_0_2)), EINVAL);
	EXPECT_OK(th_init(vcpu, F(POWER_OFF)));
	EXPECT_OK(th_init(vcpu, 0));
}

TEST(vcpu_init_bad_pointer_is_efault)
{
	int vm = -1, vcpu = new_vcpu(&vm, 0);

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, NULL), EFAULT);
}

TEST(vcpu_init_power_off_sets_mp_state)
{
	int vm = -1, vcpu = new_vcpu(&vm, 0);
	struct kvm_mp_state mp = { 0xff };

	REQUIRE(vcpu >= 0);
	EXPECT_OK(th_init(vcpu, F(PSCI_0_2) | F(POWER_OFF)));
	EXPECT_OK(vkvm_ioctl(vcpu, KVM_GET_MP_STATE, &mp));
	EXPECT_EQ(mp.mp_state, KVM_MP_STATE_STOPPED);
	EXPECT_OK(th_init(vcpu, F(PSCI_0_2)));
	EXPECT_OK(vkvm_ioctl(vcpu, KVM_GET_MP_STATE, &mp));
	EXPECT_EQ(mp.mp_state, KVM_MP_STATE_RUNNABLE);
}

TEST(vcpu_run_before_init_is_enoexec)
{
	int vm = -1, vcpu = new_vcpu(&vm, 0);

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_RUN, 0), ENOEXEC);
}

TEST(vcpu_finalize_is_enoexec_then_einval)
{
	int vm = -1, vcpu = new_vcpu(&vm, 0);
	int what = KVM_ARM_VCPU_SVE;

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, &what), ENOEXEC);
	EXPECT_OK(th_init(vcpu, 0));
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, &what), EINVAL);
}

TEST(vcpu_unknown_ioctl_is_einval)
{
	int vm = -1, vcpu = new_vcpu(&vm, 0);

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_CREATE_VCPU, 0), EINVAL);
}

TEST(preferred_target_is_generic_v8)
{
	int vm = th_vm(0);
	struct kvm_vcpu_init init;

	REQUIRE(vm >= 0);
	memset(&init, 0xff, sizeof(init));
	EXPECT_OK(vkvm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init));
	EXPECT_EQ(init.target, KVM_ARM_TARGET_GENERIC_V8);
	for (int i = 0; i < 7; i++)
		EXPECT_EQ(init.features[i], 0);
	EXPECT_ERRNO(vkvm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, NULL), EFAULT);
}

TEST(mp_state_works_before_init)
{
	int vm = -1, vcpu = new_vcpu(&vm, 0);
	struct kvm_mp_state mp = { 0xff };

	REQUIRE(vcpu >= 0);
	EXPECT_OK(vkvm_ioctl(vcpu, KVM_GET_MP_STATE, &mp));
	EXPECT_EQ(mp.mp_state, KVM_MP_STATE_RUNNABLE);
	mp.mp_state = KVM_MP_STATE_STOPPED;
	EXPECT_OK(vkvm_ioctl(vcpu, KVM_SET_MP_STATE, &mp));
	mp.mp_state = 0xff;
	EXPECT_OK(vkvm_ioctl(vcpu, KVM_GET_MP_STATE, &mp));
	EXPECT_EQ(mp.mp_state, KVM_MP_STATE_STOPPED);
}

TEST(mp_state_runnable_stopped_suspended_round_trip)
{
	int vm = -1, vcpu = new_vcpu(&vm, 0);
	static const uint32_t ok[] = { KVM_MP_STATE_STOPPED,
				       KVM_MP_STATE_SUSPENDED,
				       KVM_MP_STATE_RUNNABLE };

	REQUIRE(vcpu >= 0);
	REQUIRE(th_init(vcpu, F(PSCI_0_2)) == 0);
	for (unsigned int i = 0; i < 3; i++) {
		struct kvm_mp_state mp = { ok[i] };

		EXPECT_OK(vkvm_ioctl(vcpu, KVM_SET_MP_STATE, &mp));
		mp.mp_state = 0xff;
		EXPECT_OK(vkvm_ioctl(vcpu, KVM_GET_MP_STATE, &mp));
		EXPECT_EQ(mp.mp_state, ok[i]);
	}
}

TEST(mp_state_other_value_is_einval)
{
	int vm = -1, vcpu = new_vcpu(&vm, 0);
	static const uint32_t bad[] = { 1, 2, 3, 4, 6, 9, 11, 0xffffffff };

	REQUIRE(vcpu >= 0);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kvm_mp_state mp = { bad[i] };

		EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_SET_MP_STATE, &mp), EINVAL);
	}
}

TEST(mp_state_bad_pointer_is_efault)
{
	int vm = -1, vcpu = new_vcpu(&vm, 0);

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_GET_MP_STATE, NULL), EFAULT);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_SET_MP_STATE, NULL), EFAULT);
}
