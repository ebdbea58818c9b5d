// SPDX-License-Identifier: GPL-2.0-or-later
/* core_reg_test.c: CORE ONE_REG ids and rules (spec 4.1 to 4.3). */
#include "api_helpers.h"

#define CORE(size, field)                            \
	(KVM_REG_ARM64 | (size) | KVM_REG_ARM_CORE | \
	 KVM_REG_ARM_CORE_REG(field))
#define CORE64(field) CORE(KVM_REG_SIZE_U64, field)
#define CORE_RAW(size, word) \
	(KVM_REG_ARM64 | (size) | KVM_REG_ARM_CORE | (word))

static int vcpu_fd(void)
{
	int vm = th_vm(0);

	return vm < 0 ? -1 : th_vcpu(vm, 0, TH_PSCI);
}

TEST(core_ids_match_the_spec)
{
	EXPECT_EQ(CORE64(regs.regs[0]), 0x6030000000100000ULL);
	EXPECT_EQ(CORE64(regs.regs[30]), 0x603000000010003CULL);
	EXPECT_EQ(CORE64(regs.sp), 0x603000000010003EULL);
	EXPECT_EQ(CORE64(regs.pc), 0x6030000000100040ULL);
	EXPECT_EQ(CORE64(regs.pstate), 0x6030000000100042ULL);
	EXPECT_EQ(CORE64(sp_el1), 0x6030000000100044ULL);
	EXPECT_EQ(CORE64(elr_el1), 0x6030000000100046ULL);
	EXPECT_EQ(CORE64(spsr[4]), 0x6030000000100050ULL);
	EXPECT_EQ(CORE(KVM_REG_SIZE_U128, fp_regs.vregs[0]),
		  0x6040000000100054ULL);
	EXPECT_EQ(CORE(KVM_REG_SIZE_U128, fp_regs.vregs[31]),
		  0x60400000001000D0ULL);
	EXPECT_EQ(CORE(KVM_REG_SIZE_U32, fp_regs.fpsr), 0x60200000001000D4ULL);
	EXPECT_EQ(CORE(KVM_REG_SIZE_U32, fp_regs.fpcr), 0x60200000001000D5ULL);
}

TEST(core_one_reg_before_init_is_enoexec)
{
	int vm = th_vm(0), vcpu;
	uint64_t v = 0;

	REQUIRE(vm >= 0);
	vcpu = vkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(th_get(vcpu, CORE64(regs.pc), &v), ENOEXEC);
	EXPECT_ERRNO(th_set(vcpu, CORE64(regs.pc), &v), ENOEXEC);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_GET_REG_LIST, &v), ENOEXEC);
	vkvm_close(vcpu);
	vkvm_close(vm);
}

TEST(core_reset_state_after_init)
{
	int vcpu = vcpu_fd();
	__uint128_t q = 1;

	REQUIRE(vcpu >= 0);
	EXPECT_EQ(th_get64(vcpu, CORE64(regs.pstate)), 0x3c5);
	EXPECT_EQ(th_get64(vcpu, CORE64(regs.pc)), 0);
	EXPECT_EQ(th_get64(vcpu, CORE64(regs.regs[7])), 0);
	EXPECT_EQ(th_get64(vcpu, CORE64(regs.sp)), 0);
	EXPECT_OK(th_get(vcpu, CORE(KVM_REG_SIZE_U128, fp_regs.vregs[3]), &q));
	EXPECT(q == 0);
	/* a re-init resets what was set */
	EXPECT_OK(th_set64(vcpu, CORE64(regs.pc), 0x80000000));
	EXPECT_OK(th_init(vcpu, TH_PSCI));
	EXPECT_EQ(th_get64(vcpu, CORE64(regs.pc)), 0);
}

TEST(core_x_pc_sp_round_trip)
{
	int vcpu = vcpu_fd();

	REQUIRE(vcpu >= 0);
	for (int i = 0; i < 31; i++) {
		uint64_t id = CORE64(regs.regs[0]) + 2 * (uint64_t)i;

		EXPECT_OK(th_set64(vcpu, id, 0x1000ULL + (uint64_t)i));
	}
	for (int i = 0; i < 31; i++)
		EXPECT_EQ(th_get64(vcpu,
				   CORE64(regs.regs[0]) + 2 * (uint64_t)i),
			  0x1000ULL + (uint64_t)i);
	EXPECT_OK(th_set64(vcpu, CORE64(regs.pc), 0x40080000));
	EXPECT_EQ(th_get64(vcpu, CORE64(regs.pc)), 0x40080000);
	EXPECT_OK(th_set64(vcpu, CORE64(spsr[3]), 0x1d3));
	EXPECT_EQ(th_get64(vcpu, CORE64(spsr[3])), 0x1d3);
}

TEST(core_vreg_is_u128)
{
	int vcpu = vcpu_fd();
	__uint128_t in = ((__uint128_t)0x0123456789abcdefULL << 64) | 0xfeed,
		    out = 0;

	REQUIRE(vcpu >= 0);
	EXPECT_OK(th_set(vcpu, CORE(KVM_REG_SIZE_U128, fp_regs.vregs[5]), &in));
	EXPECT_OK(
		th_get(vcpu, CORE(KVM_REG_SIZE_U128, fp_regs.vregs[5]), &out));
	EXPECT(in == out);
	EXPECT_ERRNO(th_get(vcpu, CORE64(fp_regs.vregs[5]), &out), EINVAL);
}

TEST(core_fpsr_fpcr_are_u32)
{
	int vcpu = vcpu_fd();
	uint32_t v = 0x08000010, r = 0;

	REQUIRE(vcpu >= 0);
	EXPECT_OK(th_set(vcpu, CORE(KVM_REG_SIZE_U32, fp_regs.fpsr), &v));
	EXPECT_OK(th_get(vcpu, CORE(KVM_REG_SIZE_U32, fp_regs.fpsr), &r));
	EXPECT_EQ(r, v);
	v = 0x03c00000;
	EXPECT_OK(th_set(vcpu, CORE(KVM_REG_SIZE_U32, fp_regs.fpcr), &v));
	EXPECT_OK(th_get(vcpu, CORE(KVM_REG_SIZE_U32, fp_regs.fpcr), &r));
	EXPECT_EQ(r, v);
	EXPECT_ERRNO(th_get(vcpu, CORE64(fp_regs.fpsr), &r), EINVAL);
}

TEST(core_wrong_size_is_einval)
{
	int vcpu = vcpu_fd();
	uint64_t v[2] = { 0, 0 };

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(th_get(vcpu, CORE(KVM_REG_SIZE_U32, regs.pc), v), EINVAL);
	EXPECT_ERRNO(th_set(vcpu, CORE(KVM_REG_SIZE_U32, regs.pc), v), EINVAL);
	EXPECT_ERRNO(th_get(vcpu, CORE(KVM_REG_SIZE_U128, regs.regs[0]), v),
		     EINVAL);
	EXPECT_ERRNO(th_get(vcpu, CORE(KVM_REG_SIZE_U8, regs.pc), v), EINVAL);
}

TEST(core_misaligned_index_is_einval)
{
	int vcpu = vcpu_fd();
	uint64_t v[2] = { 0, 0 };

	REQUIRE(vcpu >= 0);
	/* the upper word of X0 */
	EXPECT_ERRNO(th_get(vcpu, CORE64(regs.regs[0]) + 1, v), EINVAL);
	EXPECT_ERRNO(th_set(vcpu, CORE64(regs.regs[0]) + 1, v), EINVAL);
	/* the second half of V0 */
	EXPECT_ERRNO(th_get(vcpu, CORE(KVM_REG_SIZE_U128, fp_regs.vregs[0]) + 2,
			    v),
		     EINVAL);
}

TEST(core_padding_is_einval)
{
	int vcpu = vcpu_fd();
	uint64_t v[2] = { 0, 0 };

	REQUIRE(vcpu >= 0);
	/* words 0x52/0x53: padding between spsr[] and fp_regs */
	EXPECT_ERRNO(th_get(vcpu, CORE_RAW(KVM_REG_SIZE_U64, 0x52), v), EINVAL);
	/* words 0xD6/0xD7: fp_regs.__reserved */
	EXPECT_ERRNO(th_get(vcpu, CORE_RAW(KVM_REG_SIZE_U32, 0xD6), v), EINVAL);
	EXPECT_ERRNO(th_set(vcpu, CORE_RAW(KVM_REG_SIZE_U32, 0xD6), v), EINVAL);
}

TEST(core_index_beyond_struct_is_enoent)
{
	int vcpu = vcpu_fd();
	uint64_t v[2] = { 0, 0 };

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(th_get(vcpu, CORE_RAW(KVM_REG_SIZE_U32, 216), v), ENOENT);
	EXPECT_ERRNO(th_set(vcpu, CORE_RAW(KVM_REG_SIZE_U64, 0xffff), v),
		     ENOENT);
	/* index + size reaching the end: ENOENT before the size check */
	EXPECT_ERRNO(th_get(vcpu, CORE_RAW(KVM_REG_SIZE_U64, 214), v), ENOENT);
	EXPECT_ERRNO(th_get(vcpu, CORE_RAW(KVM_REG_SIZE_U2048, 0xA0), v),
		     ENOENT);
}

TEST(core_pstate_mode_check_is_einval)
{
	int vcpu = vcpu_fd();
	static const uint64_t bad[] = { 0x1, 0x8, 0x9, 0x10, 0x13, 0x1f, 0xc };

	REQUIRE(vcpu >= 0);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_ERRNO(th_set64(vcpu, CORE64(regs.pstate),
				      0x3c0 | bad[i]),
			     EINVAL);
	EXPECT_EQ(th_get64(vcpu, CORE64(regs.pstate)), 0x3c5);
	EXPECT_OK(th_set64(vcpu, CORE64(regs.pstate), 0x3c4));
	EXPECT_OK(th_set64(vcpu, CORE64(regs.pstate), 0x0));
	EXPECT_OK(th_set64(vcpu, CORE64(regs.pstate), 0x205));
	EXPECT_EQ(th_get64(vcpu, CORE64(regs.pstate)), 0x205);
}

TEST(one_reg_bad_arch_bits_are_einval)
{
	int vcpu = vcpu_fd();
	uint64_t v = 0;

	REQUIRE(vcpu >= 0);
	/* x86 arch, bits 51:32 non-zero, generic arch */
	EXPECT_ERRNO(th_get(vcpu, 0x2030000000100000ULL, &v), EINVAL);
	EXPECT_ERRNO(th_get(vcpu, CORE64(regs.pc) | (1ULL << 40), &v), EINVAL);
	EXPECT_ERRNO(th_set(vcpu, 0x0030000000100040ULL, &v), EINVAL);
}

TEST(one_reg_unknown_group_is_enoent)
{
	int vcpu = vcpu_fd();
	uint64_t v = 0;

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(th_get(vcpu,
			    KVM_REG_ARM64 | KVM_REG_SIZE_U64 |
				    (0x0012ULL << 16),
			    &v),
		     ENOENT);
	EXPECT_ERRNO(th_set(vcpu,
			    KVM_REG_ARM64 | KVM_REG_SIZE_U64 |
				    (0x0fffULL << 16),
			    &v),
		     ENOENT);
	/* SVE on a vCPU without SVE */
	EXPECT_ERRNO(th_get(vcpu, KVM_REG_ARM64_SVE_VLS, &v), ENOENT);
}

TEST(one_reg_bad_pointer_is_efault)
{
	int vcpu = vcpu_fd();
	struct kvm_one_reg r = { .id = CORE64(regs.pc), .addr = 0 };

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_GET_ONE_REG, &r), EFAULT);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r), EFAULT);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_GET_ONE_REG, NULL), EFAULT);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_SET_ONE_REG, NULL), EFAULT);
}
