// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysreg_test.c: the system-register table, SYSREG/DEMUX/timer ONE_REG ids
 * and the setup-only ID register rule (spec 4.4).
 */
#include "api/sysreg.h"
#include "api_helpers.h"

#define SR(op0, op1, crn, crm, op2) ARM64_SYS_REG(op0, op1, crn, crm, op2)
#define MIDR SR(3, 0, 0, 0, 0)
#define MPIDR SR(3, 0, 0, 0, 5)
#define PFR0 SR(3, 0, 0, 4, 0)
#define ISAR0 SR(3, 0, 0, 6, 0)
#define ID_PFR0 SR(3, 0, 0, 1, 0)
#define ID_UNALLOC SR(3, 0, 0, 3, 3)
#define CTR SR(3, 3, 0, 0, 1)
#define CCSIDR(sel)                                             \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U32 | KVM_REG_ARM_DEMUX | \
	 KVM_REG_ARM_DEMUX_ID_CCSIDR | (sel))

static int vm_fd;

static int vcpu_fd(void)
{
	vm_fd = th_vm(0);
	return vm_fd < 0 ? -1 : th_vcpu(vm_fd, 0, TH_PSCI);
}

static struct vm *vm_of(int fd)
{
	return th_priv(fd);
}

TEST(sysreg_table_is_sorted_and_fits)
{
	EXPECT(NR_SYSREGS <= VCPU_MAX_SYSREGS);
	for (int i = 1; i < NR_SYSREGS; i++)
		EXPECT(sysreg_table[i - 1].enc < sysreg_table[i].enc);
	for (int i = 0; i < NR_SYSREGS; i++)
		EXPECT_EQ(sysreg_find(sysreg_table[i].enc), i);
	EXPECT_EQ(sysreg_find(SYSREG_ENC(3, 0, 15, 0, 0)), -1);
	EXPECT_EQ(sysreg_find(0), -1);
	EXPECT_EQ(sysreg_find(0xffff), -1);
}

TEST(sysreg_named_encodings_are_in_the_table)
{
	static const uint16_t named[] = {
		SYSREG_MIDR_EL1,	SYSREG_MPIDR_EL1,
		SYSREG_ID_AA64PFR0_EL1, SYSREG_SCTLR_EL1,
		SYSREG_CLIDR_EL1,	SYSREG_CSSELR_EL1,
		SYSREG_CTR_EL0,		SYSREG_CNTP_CTL_EL0,
		SYSREG_CNTP_CVAL_EL0,	SYSREG_CNTV_CTL_EL0,
		SYSREG_CNTV_CVAL_EL0,
	};

	for (unsigned int i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		EXPECT(sysreg_find(named[i]) >= 0);
	EXPECT_EQ(SYSREG_ID_AA64PFR0_EL1, 0xC020);
	EXPECT_EQ(SYSREG_MPIDR_EL1, 0xC005);
}

TEST(sysreg_sysreg_ids_match_the_spec)
{
	EXPECT_EQ(MPIDR, 0x603000000013C005ULL);
	EXPECT_EQ(KVM_REG_ARM_TIMER_CTL, 0x603000000013DF19ULL);
	EXPECT_EQ(KVM_REG_ARM_TIMER_CNT, 0x603000000013DF1AULL);
	EXPECT_EQ(KVM_REG_ARM_TIMER_CVAL, 0x603000000013DF02ULL);
	EXPECT_EQ(KVM_REG_ARM_PTIMER_CTL, 0x603000000013DF11ULL);
	EXPECT_EQ(KVM_REG_ARM_PTIMER_CVAL, 0x603000000013DF12ULL);
	EXPECT_EQ(KVM_REG_ARM_PTIMER_CNT, 0x603000000013DF01ULL);
	EXPECT_EQ(CCSIDR(2), 0x6020000000110002ULL);
}

TEST(sysreg_id_values_hide_what_the_vm_lacks)
{
	int vcpu = vcpu_fd();
	uint64_t pfr0;

	REQUIRE(vcpu >= 0);
	EXPECT_EQ(th_get64(vcpu, MIDR), 0x000f0510);
	EXPECT_EQ(th_get64(vcpu, ISAR0), 0x1021111110212120ULL);
	EXPECT_EQ(th_get64(vcpu, SR(3, 0, 0, 7, 0)), 0x1124);
	pfr0 = th_get64(vcpu, PFR0);
	EXPECT_EQ((pfr0 >> 32) & 0xf, 0); /* SVE */
	EXPECT_EQ((pfr0 >> 24) & 0xf, 0); /* GIC */
	EXPECT_EQ((pfr0 >> 8) & 0xf, 0); /* EL2 */
	EXPECT_EQ(pfr0 & 0xf, 1); /* EL0 AArch64 only */
	EXPECT_EQ(th_get64(vcpu, SR(3, 0, 0, 4, 4)), 0); /* ZFR0 */
	EXPECT_EQ(th_get64(vcpu, ID_PFR0), 0);
	EXPECT_EQ(th_get64(vcpu, SR(3, 0, 1, 0, 0)), 0x00C50078); /* SCTLR */
}

TEST(sysreg_gic_v3_hook_shows_gic_field)
{
	int vcpu = vcpu_fd();
	struct vm *v;
	uint64_t pfr0;

	REQUIRE(vcpu >= 0);
	v = vm_of(vm_fd);
	REQUIRE(v);
	pfr0 = th_get64(vcpu, PFR0);
	EXPECT_ERRNO(th_set64(vcpu, PFR0, pfr0 | (1ULL << 24)), EINVAL);
	pthread_mutex_lock(&v->lock);
	sysreg_set_gic_v3(v);
	pthread_mutex_unlock(&v->lock);
	EXPECT_EQ(th_get64(vcpu, PFR0), pfr0 | (1ULL << 24));
	EXPECT_OK(th_set64(vcpu, PFR0, pfr0));
	EXPECT_OK(th_set64(vcpu, PFR0, pfr0 | (1ULL << 24)));
}

TEST(sysreg_mpidr_comes_from_the_vcpu_id)
{
	int vm = th_vm(0), a, b, c;

	REQUIRE(vm >= 0);
	a = th_vcpu(vm, 0, TH_PSCI);
	b = th_vcpu(vm, 17, TH_PSCI);
	c = th_vcpu(vm, 511, TH_PSCI);
	REQUIRE(a >= 0 && b >= 0 && c >= 0);
	EXPECT_EQ(th_get64(a, MPIDR), 0x80000000ULL);
	EXPECT_EQ(th_get64(b, MPIDR), 0x80000101ULL);
	EXPECT_EQ(th_get64(c, MPIDR), 0x80001f0fULL);
}

TEST(sysreg_mpidr_is_freely_writable_even_after_run)
{
	int vcpu = vcpu_fd();

	REQUIRE(vcpu >= 0);
	EXPECT_OK(th_set64(vcpu, MPIDR, 0x80000203));
	EXPECT_EQ(th_get64(vcpu, MPIDR), 0x80000203);
	atomic_store(&vm_of(vm_fd)->has_run, true);
	EXPECT_OK(th_set64(vcpu, MPIDR, 0x80000001));
	EXPECT_EQ(th_get64(vcpu, MPIDR), 0x80000001);
}

TEST(sysreg_unknown_register_is_enoent)
{
	int vcpu = vcpu_fd();
	uint64_t v = 0;

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(th_get(vcpu, SR(3, 0, 15, 0, 0), &v), ENOENT);
	EXPECT_ERRNO(th_set(vcpu, SR(3, 0, 15, 0, 0), &v), ENOENT);
	/* CCSIDR_EL1 is reached through DEMUX only */
	EXPECT_ERRNO(th_get(vcpu, SR(3, 1, 0, 0, 0), &v), ENOENT);
}

TEST(sysreg_wrong_size_or_stray_bits_are_enoent)
{
	int vcpu = vcpu_fd();
	uint64_t v[2] = { 0, 0 };
	uint64_t u32 = (MIDR & ~KVM_REG_SIZE_MASK) | KVM_REG_SIZE_U32;

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(th_get(vcpu, u32, v), ENOENT);
	EXPECT_ERRNO(th_set(vcpu, u32, v), ENOENT);
	EXPECT_ERRNO(th_get(vcpu,
			    (MIDR & ~KVM_REG_SIZE_MASK) | KVM_REG_SIZE_U128, v),
		     ENOENT);
}

TEST(sysreg_el1_registers_round_trip_and_reset)
{
	int vcpu = vcpu_fd();
	uint64_t ttbr0 = SR(3, 0, 2, 0, 0), vbar = SR(3, 0, 12, 0, 0);

	REQUIRE(vcpu >= 0);
	EXPECT_OK(th_set64(vcpu, ttbr0, 0x4100000));
	EXPECT_OK(th_set64(vcpu, vbar, 0xffff000010000800ULL));
	EXPECT_EQ(th_get64(vcpu, ttbr0), 0x4100000);
	EXPECT_EQ(th_get64(vcpu, vbar), 0xffff000010000800ULL);
	EXPECT_EQ(sysreg_value(th_priv(vcpu), SYSREG_ENC(3, 0, 12, 0, 0)),
		  0xffff000010000800ULL);
	EXPECT_OK(th_init(vcpu, TH_PSCI));
	EXPECT_EQ(th_get64(vcpu, ttbr0), 0);
}

TEST(sysreg_id_field_may_be_lowered)
{
	int vcpu = vcpu_fd();
	uint64_t isar0 = 0x1021111110212120ULL;
	uint64_t lowered = isar0 & ~(0xfULL << 20); /* no LSE */

	REQUIRE(vcpu >= 0);
	EXPECT_OK(th_set64(vcpu, ISAR0, lowered));
	EXPECT_EQ(th_get64(vcpu, ISAR0), lowered);
	EXPECT_OK(th_set64(vcpu, ISAR0, isar0));
	EXPECT_OK(th_set64(vcpu, MIDR, 0x410fd083));
	EXPECT_EQ(th_get64(vcpu, MIDR), 0x410fd083);
}

TEST(sysreg_id_field_raised_is_einval)
{
	int vcpu = vcpu_fd();

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(th_set64(vcpu, ISAR0, 0x1021111110212121ULL), EINVAL);
	EXPECT_ERRNO(th_set64(vcpu, PFR0, 0x1100000100110011ULL), EINVAL);
	/* CTR_EL0 bits 31:28 are not writable */
	EXPECT_ERRNO(th_set64(vcpu, CTR, 0x8444C004 | (1ULL << 29)), EINVAL);
	/* unallocated ID space: only 0 */
	EXPECT_OK(th_set64(vcpu, ID_UNALLOC, 0));
	EXPECT_ERRNO(th_set64(vcpu, ID_UNALLOC, 1), EINVAL);
	/* CLIDR: only the one hierarchy vkvm has */
	EXPECT_ERRNO(th_set64(vcpu, SR(3, 1, 0, 0, 1), 0x0A200003), EINVAL);
	EXPECT_EQ(th_get64(vcpu, ISAR0), 0x1021111110212120ULL);
}

TEST(sysreg_aarch32_id_writes_are_ignored)
{
	int vcpu = vcpu_fd();

	REQUIRE(vcpu >= 0);
	EXPECT_OK(th_set64(vcpu, ID_PFR0, 0x1234));
	EXPECT_EQ(th_get64(vcpu, ID_PFR0), 0);
	atomic_store(&vm_of(vm_fd)->has_run, true);
	EXPECT_OK(th_set64(vcpu, ID_PFR0, 0x1234));
}

TEST(sysreg_id_register_after_run_is_ebusy)
{
	int vcpu = vcpu_fd();
	uint64_t isar0;

	REQUIRE(vcpu >= 0);
	isar0 = th_get64(vcpu, ISAR0);
	atomic_store(&vm_of(vm_fd)->has_run, true);
	EXPECT_ERRNO(th_set64(vcpu, ISAR0, isar0 & ~(0xfULL << 20)), EBUSY);
	EXPECT_ERRNO(th_set64(vcpu, MIDR, 0x410fd083), EBUSY);
	/* even a value the rule refuses: EBUSY is checked first */
	EXPECT_ERRNO(th_set64(vcpu, ISAR0, ~0ULL), EBUSY);
	/* the same value is accepted */
	EXPECT_OK(th_set64(vcpu, ISAR0, isar0));
	EXPECT_OK(th_set64(vcpu, MIDR, 0x000f0510));
	EXPECT_EQ(th_get64(vcpu, ISAR0), isar0);
}

TEST(sysreg_id_registers_are_vm_wide)
{
	int vm = th_vm(0), a, b;

	REQUIRE(vm >= 0);
	a = th_vcpu(vm, 0, TH_PSCI);
	b = th_vcpu(vm, 1, TH_PSCI);
	REQUIRE(a >= 0 && b >= 0);
	EXPECT_OK(th_set64(a, MIDR, 0x12345678));
	EXPECT_EQ(th_get64(b, MIDR), 0x12345678);
	/* not reset by VCPU_INIT */
	EXPECT_OK(th_init(b, TH_PSCI));
	EXPECT_EQ(th_get64(b, MIDR), 0x12345678);
}

TEST(demux_ccsidr_valid_selectors)
{
	int vcpu = vcpu_fd();
	uint32_t v = 0;

	REQUIRE(vcpu >= 0);
	for (uint64_t sel = 0; sel < 3; sel++) {
		EXPECT_OK(th_get(vcpu, CCSIDR(sel), &v));
		EXPECT_EQ(v & 7, 2); /* 64-byte lines */
		EXPECT_OK(th_set(vcpu, CCSIDR(sel), &v));
	}
}

TEST(demux_invalid_selector_is_enoent)
{
	int vcpu = vcpu_fd();
	uint32_t v = 0;

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(th_get(vcpu, CCSIDR(3), &v), ENOENT);
	EXPECT_ERRNO(th_get(vcpu, CCSIDR(0x10), &v), ENOENT);
	EXPECT_ERRNO(th_set(vcpu, CCSIDR(4), &v), ENOENT);
	/* not CCSIDR, wrong size, stray bits */
	EXPECT_ERRNO(th_get(vcpu, CCSIDR(0) | (1ULL << 8), &v), ENOENT);
	EXPECT_ERRNO(th_get(vcpu,
			    (CCSIDR(0) & ~KVM_REG_SIZE_MASK) | KVM_REG_SIZE_U64,
			    &v),
		     ENOENT);
}

TEST(demux_changed_ccsidr_is_einval)
{
	int vcpu = vcpu_fd();
	uint32_t v = 0;

	REQUIRE(vcpu >= 0);
	REQUIRE(th_get(vcpu, CCSIDR(2), &v) == 0);
	v ^= 1U << 13;
	EXPECT_ERRNO(th_set(vcpu, CCSIDR(2), &v), EINVAL);
}

TEST(timer_ctl_istatus_is_computed)
{
	int vcpu = vcpu_fd();

	REQUIRE(vcpu >= 0);
	EXPECT_EQ(th_get64(vcpu, KVM_REG_ARM_TIMER_CTL), 0);
	EXPECT_OK(th_set64(vcpu, KVM_REG_ARM_TIMER_CVAL, ~0ULL));
	EXPECT_OK(th_set64(vcpu, KVM_REG_ARM_TIMER_CTL, 1 | 4));
	EXPECT_EQ(th_get64(vcpu, KVM_REG_ARM_TIMER_CTL), 1);
	EXPECT_OK(th_set64(vcpu, KVM_REG_ARM_TIMER_CVAL, 0));
	EXPECT_EQ(th_get64(vcpu, KVM_REG_ARM_TIMER_CTL), 1 | 4);
	EXPECT_OK(th_set64(vcpu, KVM_REG_ARM_TIMER_CTL, 2));
	EXPECT_EQ(th_get64(vcpu, KVM_REG_ARM_TIMER_CTL), 2);
	EXPECT_OK(th_set64(vcpu, KVM_REG_ARM_PTIMER_CTL, 3));
	EXPECT_EQ(th_get64(vcpu, KVM_REG_ARM_PTIMER_CTL), 3 | 4);
}

TEST(timer_cval_ids_reach_the_architectural_rows)
{
	int vcpu = vcpu_fd();
	struct vcpu *c;

	REQUIRE(vcpu >= 0);
	c = th_priv(vcpu);
	EXPECT_OK(th_set64(vcpu, KVM_REG_ARM_TIMER_CVAL, 0x1234));
	EXPECT_OK(th_set64(vcpu, KVM_REG_ARM_PTIMER_CVAL, 0x5678));
	EXPECT_EQ(th_get64(vcpu, KVM_REG_ARM_TIMER_CVAL), 0x1234);
	EXPECT_EQ(th_get64(vcpu, KVM_REG_ARM_PTIMER_CVAL), 0x5678);
	EXPECT_EQ(sysreg_value(c, SYSREG_CNTV_CVAL_EL0), 0x1234);
	EXPECT_EQ(sysreg_value(c, SYSREG_CNTP_CVAL_EL0), 0x5678);
}

TEST(timer_cnt_write_moves_the_vm_virtual_offset)
{
	int vm = th_vm(0), a, b;
	uint64_t va, vb;

	REQUIRE(vm >= 0);
	a = th_vcpu(vm, 0, TH_PSCI);
	b = th_vcpu(vm, 1, TH_PSCI);
	REQUIRE(a >= 0 && b >= 0);
	EXPECT_OK(th_set64(a, KVM_REG_ARM_TIMER_CNT, 1000));
	va = th_get64(a, KVM_REG_ARM_TIMER_CNT);
	vb = th_get64(b, KVM_REG_ARM_TIMER_CNT);
	EXPECT(va >= 1000 && va < 1000 + 62500000); /* within a second */
	EXPECT(vb >= va && vb < 1000 + 62500000);
	/* the physical count is the host's; writes do not move it */
	va = th_get64(a, KVM_REG_ARM_PTIMER_CNT);
	EXPECT_OK(th_set64(a, KVM_REG_ARM_PTIMER_CNT, 5));
	EXPECT(th_get64(a, KVM_REG_ARM_PTIMER_CNT) >= va);
}

TEST(timer_bad_pointer_is_efault)
{
	int vcpu = vcpu_fd();
	struct kvm_one_reg r = { .id = KVM_REG_ARM_TIMER_CNT, .addr = 8 };

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_GET_ONE_REG, &r), EFAULT);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r), EFAULT);
	r.id = MIDR;
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r), EFAULT);
	r.id = CCSIDR(0);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_GET_ONE_REG, &r), EFAULT);
}

TEST(sysreg_field_macros_split_an_encoding)
{
	uint16_t e = SYSREG_CNTV_CVAL_EL0;

	EXPECT_EQ(SYSREG_OP0(e), 3);
	EXPECT_EQ(SYSREG_OP1(e), 3);
	EXPECT_EQ(SYSREG_CRN(e), 14);
	EXPECT_EQ(SYSREG_CRM(e), 3);
	EXPECT_EQ(SYSREG_OP2(e), 2);
	EXPECT_EQ(SYSREG_ENC(SYSREG_OP0(e), SYSREG_OP1(e), SYSREG_CRN(e),
			     SYSREG_CRM(e), SYSREG_OP2(e)),
		  e);
}

TEST(demux_ccsidr_matches_the_one_reg_values)
{
	int vcpu = vcpu_fd();
	uint32_t v = 0, w = 0;

	REQUIRE(vcpu >= 0);
	for (uint32_t sel = 0; sel < 3; sel++) {
		EXPECT_OK(th_get(vcpu, CCSIDR(sel), &v));
		EXPECT_EQ(demux_ccsidr(sel, &w), 0);
		EXPECT_EQ(v, w);
	}
	EXPECT_EQ(demux_ccsidr(3, &w), -ENOENT);
}
