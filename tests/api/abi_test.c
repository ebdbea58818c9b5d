// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * abi_test.c: <vkvm/kvm.h> against the literal values of the spec (1.1,
 * 1.2, 1.4, 4.3) and, for struct kvm_run and the generic ioctls the spec
 * does not list, the values of Linux's <linux/kvm.h> on an x86-64 host
 * (read with a probe program compiled against it; the generic layout is
 * the same on arm64).
 */
#include <stddef.h>

#include <vkvm/kvm.h>

#include "lib/test.h"

TEST(abi_ioctl_numbers_match_spec_1_1)
{
	EXPECT_EQ(KVM_CHECK_EXTENSION, 0xAE03UL);
	EXPECT_EQ(KVM_CREATE_VCPU, 0xAE41UL);
	EXPECT_EQ(KVM_CREATE_IRQCHIP, 0xAE60UL);
	EXPECT_EQ(KVM_IRQ_LINE, 0x4008AE61UL);
	EXPECT_EQ(KVM_RUN, 0xAE80UL);
	EXPECT_EQ(KVM_GET_MP_STATE, 0x8004AE98UL);
	EXPECT_EQ(KVM_SET_MP_STATE, 0x4004AE99UL);
	EXPECT_EQ(KVM_SIGNAL_MSI, 0x4020AEA5UL);
	EXPECT_EQ(KVM_ARM_SET_DEVICE_ADDR, 0x4010AEABUL);
	EXPECT_EQ(KVM_GET_ONE_REG, 0x4010AEABUL);
	EXPECT_EQ(KVM_SET_ONE_REG, 0x4010AEACUL);
	EXPECT_EQ(KVM_ARM_VCPU_INIT, 0x4020AEAEUL);
	EXPECT_EQ(KVM_ARM_PREFERRED_TARGET, 0x8020AEAFUL);
	EXPECT_EQ(KVM_GET_REG_LIST, 0xC008AEB0UL);
	EXPECT_EQ(KVM_ARM_VCPU_FINALIZE, 0x4004AEC2UL);
	EXPECT_EQ(KVM_CREATE_DEVICE, 0xC00CAEE0UL);
	EXPECT_EQ(KVM_SET_DEVICE_ATTR, 0x4018AEE1UL);
	EXPECT_EQ(KVM_GET_DEVICE_ATTR, 0x4018AEE2UL);
	EXPECT_EQ(KVM_HAS_DEVICE_ATTR, 0x4018AEE3UL);
}

TEST(abi_generic_ioctl_numbers_match_linux)
{
	EXPECT_EQ(KVM_GET_API_VERSION, 0xAE00UL);
	EXPECT_EQ(KVM_CREATE_VM, 0xAE01UL);
	EXPECT_EQ(KVM_GET_VCPU_MMAP_SIZE, 0xAE04UL);
	EXPECT_EQ(KVM_SET_USER_MEMORY_REGION, 0x4020AE46UL);
	EXPECT_EQ(KVM_GET_DIRTY_LOG, 0x4010AE42UL);
	EXPECT_EQ(KVM_CLEAR_DIRTY_LOG, 0xC018AEC0UL);
	EXPECT_EQ(KVM_SET_SIGNAL_MASK, 0x4004AE8BUL);
	EXPECT_EQ(KVM_API_VERSION, 12);
}

TEST(abi_struct_layouts_match_spec_1_2)
{
	EXPECT_EQ(sizeof(struct kvm_arm_device_addr), 16);
	EXPECT_EQ(offsetof(struct kvm_arm_device_addr, addr), 8);
	EXPECT_EQ(sizeof(struct kvm_create_device), 12);
	EXPECT_EQ(offsetof(struct kvm_create_device, fd), 4);
	EXPECT_EQ(offsetof(struct kvm_create_device, flags), 8);
	EXPECT_EQ(sizeof(struct kvm_device_attr), 24);
	EXPECT_EQ(offsetof(struct kvm_device_attr, group), 4);
	EXPECT_EQ(offsetof(struct kvm_device_attr, attr), 8);
	EXPECT_EQ(offsetof(struct kvm_device_attr, addr), 16);
	EXPECT_EQ(sizeof(struct kvm_one_reg), 16);
	EXPECT_EQ(offsetof(struct kvm_one_reg, addr), 8);
	EXPECT_EQ(sizeof(struct kvm_reg_list), 8);
	EXPECT_EQ(offsetof(struct kvm_reg_list, reg), 8);
	EXPECT_EQ(sizeof(struct kvm_irq_level), 8);
	EXPECT_EQ(offsetof(struct kvm_irq_level, level), 4);
	EXPECT_EQ(sizeof(struct kvm_vcpu_init), 32);
	EXPECT_EQ(offsetof(struct kvm_vcpu_init, features), 4);
	EXPECT_EQ(sizeof(struct kvm_msi), 32);
	EXPECT_EQ(offsetof(struct kvm_msi, devid), 16);
	EXPECT_EQ(sizeof(struct kvm_mp_state), 4);
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, 0);
	EXPECT_EQ(KVM_MP_STATE_STOPPED, 5);
	EXPECT_EQ(KVM_MP_STATE_SUSPENDED, 10);
	EXPECT_EQ(KVM_CREATE_DEVICE_TEST, 1);
	EXPECT_EQ(KVM_MSI_VALID_DEVID, 1);
	EXPECT_EQ(sizeof(struct kvm_userspace_memory_region), 32);
	EXPECT_EQ(offsetof(struct kvm_userspace_memory_region, userspace_addr),
		  24);
}

TEST(abi_kvm_regs_layout_matches_spec_4_3)
{
	EXPECT_EQ(sizeof(struct kvm_regs), 864);
	EXPECT_EQ(offsetof(struct kvm_regs, regs.regs[30]), 0xF0);
	EXPECT_EQ(offsetof(struct kvm_regs, regs.sp), 0xF8);
	EXPECT_EQ(offsetof(struct kvm_regs, regs.pc), 0x100);
	EXPECT_EQ(offsetof(struct kvm_regs, regs.pstate), 0x108);
	EXPECT_EQ(offsetof(struct kvm_regs, sp_el1), 0x110);
	EXPECT_EQ(offsetof(struct kvm_regs, elr_el1), 0x118);
	EXPECT_EQ(offsetof(struct kvm_regs, spsr), 0x120);
	EXPECT_EQ(offsetof(struct kvm_regs, fp_regs.vregs), 0x150);
	EXPECT_EQ(offsetof(struct kvm_regs, fp_regs.fpsr), 0x350);
	EXPECT_EQ(offsetof(struct kvm_regs, fp_regs.fpcr), 0x354);
}

TEST(abi_kvm_run_layout_matches_linux)
{
	EXPECT_EQ(sizeof(struct kvm_run), 2352);
	EXPECT_EQ(offsetof(struct kvm_run, immediate_exit), 1);
	EXPECT_EQ(offsetof(struct kvm_run, exit_reason), 8);
	EXPECT_EQ(offsetof(struct kvm_run, flags), 14);
	EXPECT_EQ(offsetof(struct kvm_run, cr8), 16);
	EXPECT_EQ(offsetof(struct kvm_run, mmio.phys_addr), 32);
	EXPECT_EQ(offsetof(struct kvm_run, mmio.data), 40);
	EXPECT_EQ(offsetof(struct kvm_run, mmio.len), 48);
	EXPECT_EQ(offsetof(struct kvm_run, mmio.is_write), 52);
	EXPECT_EQ(offsetof(struct kvm_run, fail_entry.cpu), 40);
	EXPECT_EQ(offsetof(struct kvm_run, internal.data), 40);
	EXPECT_EQ(offsetof(struct kvm_run, system_event.type), 32);
	EXPECT_EQ(offsetof(struct kvm_run, system_event.ndata), 36);
	EXPECT_EQ(offsetof(struct kvm_run, system_event.data), 40);
	EXPECT_EQ(offsetof(struct kvm_run, kvm_valid_regs), 288);
	EXPECT_EQ(offsetof(struct kvm_run, kvm_dirty_regs), 296);
	EXPECT_EQ(offsetof(struct kvm_run, s), 304);
}

TEST(abi_capability_numbers_match_spec_1_4)
{
	EXPECT_EQ(KVM_CAP_IRQCHIP, 0);
	EXPECT_EQ(KVM_CAP_NR_VCPUS, 9);
	EXPECT_EQ(KVM_CAP_MAX_VCPUS, 66);
	EXPECT_EQ(KVM_CAP_ONE_REG, 70);
	EXPECT_EQ(KVM_CAP_ARM_PSCI, 87);
	EXPECT_EQ(KVM_CAP_ARM_SET_DEVICE_ADDR, 88);
	EXPECT_EQ(KVM_CAP_DEVICE_CTRL, 89);
	EXPECT_EQ(KVM_CAP_ARM_EL1_32BIT, 93);
	EXPECT_EQ(KVM_CAP_VM_ATTRIBUTES, 101);
	EXPECT_EQ(KVM_CAP_ARM_PSCI_0_2, 102);
	EXPECT_EQ(KVM_CAP_ARM_PMU_V3, 126);
	EXPECT_EQ(KVM_CAP_VCPU_ATTRIBUTES, 127);
	EXPECT_EQ(KVM_CAP_MAX_VCPU_ID, 128);
	EXPECT_EQ(KVM_CAP_MSI_DEVID, 131);
	EXPECT_EQ(KVM_CAP_ARM_USER_IRQ, 144);
	EXPECT_EQ(KVM_CAP_ARM_VM_IPA_SIZE, 165);
	EXPECT_EQ(KVM_CAP_ARM_SVE, 170);
	EXPECT_EQ(KVM_CAP_ARM_IRQ_LINE_LAYOUT_2, 174);
	EXPECT_EQ(KVM_CAP_ARM_NISV_TO_USER, 177);
	EXPECT_EQ(KVM_CAP_ARM_INJECT_EXT_DABT, 178);
	EXPECT_EQ(KVM_CAP_ARM_SYSTEM_SUSPEND, 216);
	/* generic ones, from Linux's header */
	EXPECT_EQ(KVM_CAP_USER_MEMORY, 3);
	EXPECT_EQ(KVM_CAP_NR_MEMSLOTS, 10);
	EXPECT_EQ(KVM_CAP_MP_STATE, 14);
	EXPECT_EQ(KVM_CAP_SYNC_MMU, 16);
	EXPECT_EQ(KVM_CAP_READONLY_MEM, 81);
	EXPECT_EQ(KVM_CAP_IMMEDIATE_EXIT, 136);
}

TEST(abi_one_reg_constants_match_spec_4_2)
{
	EXPECT_EQ(KVM_REG_ARM64, 0x6000000000000000ULL);
	EXPECT_EQ(KVM_REG_SIZE_U32, 0x0020000000000000ULL);
	EXPECT_EQ(KVM_REG_SIZE_U64, 0x0030000000000000ULL);
	EXPECT_EQ(KVM_REG_SIZE_U512, 0x0060000000000000ULL);
	EXPECT_EQ(KVM_REG_SIZE_U2048, 0x0080000000000000ULL);
	EXPECT_EQ(KVM_REG_ARM_CORE, 0x00100000ULL);
	EXPECT_EQ(KVM_REG_ARM_DEMUX, 0x00110000ULL);
	EXPECT_EQ(KVM_REG_ARM64_SYSREG, 0x00130000ULL);
	EXPECT_EQ(KVM_REG_ARM_FW, 0x00140000ULL);
	EXPECT_EQ(KVM_REG_ARM64_SVE, 0x00150000ULL);
	EXPECT_EQ(KVM_REG_ARM_FW_FEAT_BMAP, 0x00160000ULL);
	EXPECT_EQ(KVM_REG_ARM64_SVE_VLS, 0x606000000015FFFFULL);
	EXPECT_EQ(KVM_REG_SIZE(KVM_REG_SIZE_U128), 16);
	EXPECT_EQ(KVM_ARM_TARGET_GENERIC_V8, 5);
	EXPECT_EQ(KVM_ARM_PSCI_1_1, 0x10001);
	EXPECT_EQ(KVM_ARM_VCPU_HAS_EL2_E2H0, 8);
}
