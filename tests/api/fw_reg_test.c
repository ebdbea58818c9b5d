// SPDX-License-Identifier: GPL-2.0-or-later
/* fw_reg_test.c: firmware pseudo-registers and bitmaps (spec 4.6). */
#include "api_helpers.h"

#define WA1 KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1
#define WA2 KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2
#define WA3 KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3
#define PSCI KVM_REG_ARM_PSCI_VERSION

static int vm_fd;

static int vcpu_fd(uint32_t feat)
{
	vm_fd = th_vm(0);
	return vm_fd < 0 ? -1 : th_vcpu(vm_fd, 0, feat);
}

static void set_has_run(void)
{
	struct vm *v = th_priv(vm_fd);

	if (v)
		atomic_store(&v->has_run, true);
}

TEST(fw_ids_match_the_spec)
{
	EXPECT_EQ(PSCI, 0x6030000000140000ULL);
	EXPECT_EQ(WA3, 0x6030000000140003ULL);
	EXPECT_EQ(KVM_REG_ARM_STD_BMAP, 0x6030000000160000ULL);
	EXPECT_EQ(KVM_REG_ARM_VENDOR_HYP_BMAP, 0x6030000000160002ULL);
}

TEST(fw_psci_version_default_is_1_1_with_psci_0_2)
{
	int vcpu = vcpu_fd(TH_PSCI);

	REQUIRE(vcpu >= 0);
	EXPECT_EQ(th_get64(vcpu, PSCI), KVM_ARM_PSCI_1_1);
}

TEST(fw_psci_version_is_0_1_without_psci_0_2)
{
	int vcpu = vcpu_fd(0);

	REQUIRE(vcpu >= 0);
	EXPECT_EQ(th_get64(vcpu, PSCI), KVM_ARM_PSCI_0_1);
	EXPECT_OK(th_set64(vcpu, PSCI, KVM_ARM_PSCI_0_1));
}

TEST(fw_psci_version_settable_within_the_feature)
{
	int vcpu = vcpu_fd(TH_PSCI);

	REQUIRE(vcpu >= 0);
	EXPECT_OK(th_set64(vcpu, PSCI, KVM_ARM_PSCI_0_2));
	EXPECT_EQ(th_get64(vcpu, PSCI), KVM_ARM_PSCI_0_2);
	EXPECT_OK(th_set64(vcpu, PSCI, KVM_ARM_PSCI_1_0));
	EXPECT_EQ(th_get64(vcpu, PSCI), KVM_ARM_PSCI_1_0);
	EXPECT_OK(th_set64(vcpu, PSCI, KVM_ARM_PSCI_1_1));
}

TEST(fw_psci_0_1_with_psci_0_2_is_einval)
{
	int vcpu = vcpu_fd(TH_PSCI);

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(th_set64(vcpu, PSCI, KVM_ARM_PSCI_0_1), EINVAL);
}

TEST(fw_psci_0_2_without_psci_0_2_is_einval)
{
	int vcpu = vcpu_fd(0);

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(th_set64(vcpu, PSCI, KVM_ARM_PSCI_0_2), EINVAL);
	EXPECT_ERRNO(th_set64(vcpu, PSCI, KVM_ARM_PSCI_1_1), EINVAL);
}

TEST(fw_psci_unknown_version_is_einval)
{
	int vcpu = vcpu_fd(TH_PSCI);

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(th_set64(vcpu, PSCI, 0x3), EINVAL);
	EXPECT_ERRNO(th_set64(vcpu, PSCI, 0x10002), EINVAL);
	EXPECT_ERRNO(th_set64(vcpu, PSCI, 0x20000), EINVAL);
}

TEST(fw_psci_version_is_vm_wide)
{
	int vm = th_vm(0), a, b;

	REQUIRE(vm >= 0);
	a = th_vcpu(vm, 0, TH_PSCI);
	b = th_vcpu(vm, 1, TH_PSCI);
	REQUIRE(a >= 0 && b >= 0);
	EXPECT_OK(th_set64(a, PSCI, KVM_ARM_PSCI_1_0));
	EXPECT_EQ(th_get64(b, PSCI), KVM_ARM_PSCI_1_0);
}

TEST(fw_workarounds_read_not_required)
{
	int vcpu = vcpu_fd(TH_PSCI);

	REQUIRE(vcpu >= 0);
	EXPECT_EQ(th_get64(vcpu, WA1),
		  KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_REQUIRED);
	EXPECT_EQ(th_get64(vcpu, WA2),
		  KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED);
	EXPECT_EQ(th_get64(vcpu, WA3),
		  KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_NOT_REQUIRED);
}

TEST(fw_workaround_levels_up_to_the_host_are_accepted)
{
	int vcpu = vcpu_fd(TH_PSCI);

	REQUIRE(vcpu >= 0);
	for (uint64_t l = 0; l <= 2; l++) {
		EXPECT_OK(th_set64(vcpu, WA1, l));
		EXPECT_OK(th_set64(vcpu, WA3, l));
	}
	for (uint64_t l = 0; l <= 3; l++)
		EXPECT_OK(th_set64(vcpu, WA2, l));
	EXPECT_OK(
		th_set64(vcpu, WA2,
			 KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_AVAIL |
				 KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED));
	/* a write checks compatibility only; the host level stays */
	EXPECT_EQ(th_get64(vcpu, WA1), 2);
}

TEST(fw_workaround_invalid_level_is_einval)
{
	int vcpu = vcpu_fd(TH_PSCI);

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(th_set64(vcpu, WA1, 3), EINVAL);
	EXPECT_ERRNO(th_set64(vcpu, WA1, 0x10), EINVAL);
	EXPECT_ERRNO(th_set64(vcpu, WA3, 0xf), EINVAL);
	EXPECT_ERRNO(th_set64(vcpu, WA2, 4), EINVAL);
	EXPECT_ERRNO(th_set64(vcpu, WA2, 0x20), EINVAL);
	/* ENABLED only together with AVAIL */
	EXPECT_ERRNO(
		th_set64(vcpu, WA2,
			 KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED |
				 KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED),
		EINVAL);
}

TEST(fw_bitmaps_default_to_what_vkvm_offers)
{
	int vcpu = vcpu_fd(TH_PSCI);

	REQUIRE(vcpu >= 0);
	EXPECT_EQ(th_get64(vcpu, KVM_REG_ARM_STD_BMAP), 1);
	EXPECT_EQ(th_get64(vcpu, KVM_REG_ARM_STD_HYP_BMAP), 0);
	EXPECT_EQ(th_get64(vcpu, KVM_REG_ARM_VENDOR_HYP_BMAP), 1);
	EXPECT_OK(th_set64(vcpu, KVM_REG_ARM_STD_BMAP, 0));
	EXPECT_EQ(th_get64(vcpu, KVM_REG_ARM_STD_BMAP), 0);
}

TEST(fw_bitmap_unsupported_bit_is_einval)
{
	int vcpu = vcpu_fd(TH_PSCI);

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(th_set64(vcpu, KVM_REG_ARM_STD_BMAP, 2), EINVAL);
	EXPECT_ERRNO(th_set64(vcpu, KVM_REG_ARM_STD_HYP_BMAP, 1), EINVAL);
	EXPECT_ERRNO(th_set64(vcpu, KVM_REG_ARM_VENDOR_HYP_BMAP,
			      1U << KVM_REG_ARM_VENDOR_HYP_BIT_PTP),
		     EINVAL);
}

TEST(fw_bitmap_change_after_run_is_ebusy)
{
	int vcpu = vcpu_fd(TH_PSCI);

	REQUIRE(vcpu >= 0);
	set_has_run();
	EXPECT_ERRNO(th_set64(vcpu, KVM_REG_ARM_STD_BMAP, 0), EBUSY);
	EXPECT_OK(th_set64(vcpu, KVM_REG_ARM_STD_BMAP, 1));
	/* EINVAL is checked before EBUSY */
	EXPECT_ERRNO(th_set64(vcpu, KVM_REG_ARM_STD_BMAP, 2), EINVAL);
}

TEST(fw_unknown_register_is_enoent)
{
	int vcpu = vcpu_fd(TH_PSCI);
	uint64_t v = 0;

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(th_get(vcpu, KVM_REG_ARM_FW_REG(4), &v), ENOENT);
	EXPECT_ERRNO(th_set(vcpu, KVM_REG_ARM_FW_REG(4), &v), ENOENT);
	EXPECT_ERRNO(th_get(vcpu, KVM_REG_ARM_FW_FEAT_BMAP_REG(3), &v), ENOENT);
	EXPECT_ERRNO(th_set(vcpu, KVM_REG_ARM_FW_FEAT_BMAP_REG(3), &v), ENOENT);
	/* the size is part of the id */
	EXPECT_ERRNO(th_get(vcpu,
			    (PSCI & ~KVM_REG_SIZE_MASK) | KVM_REG_SIZE_U32, &v),
		     ENOENT);
	EXPECT_ERRNO(th_set(vcpu,
			    (PSCI & ~KVM_REG_SIZE_MASK) | KVM_REG_SIZE_U32, &v),
		     ENOENT);
}

TEST(fw_bad_pointer_is_efault)
{
	int vcpu = vcpu_fd(TH_PSCI);
	struct kvm_one_reg r = { .id = PSCI, .addr = 16 };

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_GET_ONE_REG, &r), EFAULT);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r), EFAULT);
	r.id = KVM_REG_ARM_STD_BMAP;
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_GET_ONE_REG, &r), EFAULT);
}
