// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * reg_list_test.c: KVM_GET_REG_LIST (spec 4.1, 4.7) and the round trip of
 * every listed register: get, set a different valid value, get, compare.
 */
#include "api/sysreg.h"
#include "api_helpers.h"

#define NR_CORE 75

static unsigned int expected_count(void)
{
	unsigned int n = NR_CORE + 4 + 3 + 6 + 3;

	for (int i = 0; i < NR_SYSREGS; i++)
		if (!(sysreg_table[i].flags & SR_TIMER))
			n++;
	return n;
}

static int vcpu_fd(void)
{
	int vm = th_vm(0);

	return vm < 0 ? -1 : th_vcpu(vm, 0, TH_PSCI);
}

static bool list_has(const struct kvm_reg_list *l, uint64_t id)
{
	for (uint64_t i = 0; i < l->n; i++)
		if (l->reg[i] == id)
			return true;
	return false;
}

TEST(reg_list_short_buffer_is_e2big_with_count)
{
	int vcpu = vcpu_fd();
	struct {
		uint64_t n;
		uint64_t reg[4];
	} l = { .n = 0 };

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_GET_REG_LIST, &l), E2BIG);
	EXPECT_EQ(l.n, expected_count());
	l.n = 4;
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_GET_REG_LIST, &l), E2BIG);
	EXPECT_EQ(l.n, expected_count());
	EXPECT_EQ(l.reg[0], 0); /* nothing written but the count */
}

TEST(reg_list_bad_pointer_is_efault)
{
	int vcpu = vcpu_fd();

	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_GET_REG_LIST, NULL), EFAULT);
}

TEST(reg_list_larger_buffer_gets_the_count)
{
	int vcpu = vcpu_fd();
	unsigned int n = expected_count();
	struct kvm_reg_list *l = calloc(1, sizeof(*l) + (n + 8) * 8);

	REQUIRE(vcpu >= 0 && l);
	l->n = n + 8;
	EXPECT_OK(vkvm_ioctl(vcpu, KVM_GET_REG_LIST, l));
	EXPECT_EQ(l->n, n);
	EXPECT_EQ(l->reg[n], 0);
	free(l);
}

TEST(reg_list_order_and_contents)
{
	int vcpu = vcpu_fd();
	struct kvm_reg_list *l;

	REQUIRE(vcpu >= 0);
	l = th_reg_list(vcpu);
	REQUIRE(l);
	EXPECT_EQ(l->n, expected_count());
	for (unsigned int i = 0; i < NR_CORE; i++)
		EXPECT_EQ(l->reg[i] & KVM_REG_ARM_COPROC_MASK,
			  KVM_REG_ARM_CORE);
	EXPECT_EQ(l->reg[0], 0x6030000000100000ULL);
	EXPECT_EQ(l->reg[NR_CORE - 1], 0x60200000001000D5ULL);
	EXPECT_EQ(l->reg[NR_CORE], KVM_REG_ARM_PSCI_VERSION);
	EXPECT_EQ(l->reg[NR_CORE + 4], KVM_REG_ARM_STD_BMAP);
	EXPECT_EQ(l->reg[NR_CORE + 7], KVM_REG_ARM_TIMER_CTL);
	EXPECT_EQ(l->reg[NR_CORE + 13] & KVM_REG_ARM_COPROC_MASK,
		  KVM_REG_ARM_DEMUX);
	/* the blessed base set of get-reg-list (spec 4.6, 6.3) */
	static const uint64_t must[] = {
		KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3,
		KVM_REG_ARM_VENDOR_HYP_BMAP,
		KVM_REG_ARM_TIMER_CNT,
		KVM_REG_ARM_TIMER_CVAL,
		ARM64_SYS_REG(3, 0, 0, 0, 0), /* MIDR */
		ARM64_SYS_REG(3, 0, 0, 0, 5), /* MPIDR */
		ARM64_SYS_REG(3, 0, 0, 0, 6), /* REVIDR */
		ARM64_SYS_REG(3, 1, 0, 0, 1), /* CLIDR */
		ARM64_SYS_REG(3, 1, 0, 0, 7), /* AIDR */
		ARM64_SYS_REG(3, 3, 0, 0, 1), /* CTR */
		ARM64_SYS_REG(3, 0, 1, 0, 0), /* SCTLR */
		ARM64_SYS_REG(3, 0, 0, 4, 0), /* ID_AA64PFR0 */
		ARM64_SYS_REG(3, 0, 0, 7, 2), /* ID_AA64MMFR2 */
	};
	for (unsigned int i = 0; i < sizeof(must) / sizeof(must[0]); i++)
		EXPECT(list_has(l, must[i]));
	/* no duplicates */
	for (uint64_t i = 0; i < l->n; i++)
		for (uint64_t j = i + 1; j < l->n; j++)
			EXPECT(l->reg[i] != l->reg[j]);
	free(l);
}

/* Every listed id can be read and written back unchanged (selftest). */
TEST(reg_list_every_id_gets_and_sets_its_own_value)
{
	int vcpu = vcpu_fd();
	struct kvm_reg_list *l;
	uint64_t v[2];

	REQUIRE(vcpu >= 0);
	l = th_reg_list(vcpu);
	REQUIRE(l);
	for (uint64_t i = 0; i < l->n; i++) {
		EXPECT_OK(th_get(vcpu, l->reg[i], v));
		EXPECT_OK(th_set(vcpu, l->reg[i], v));
	}
	free(l);
}

enum alt_kind {
	ALT_STORED, /* the new value reads back */
	ALT_REFUSED, /* the rule refuses any other value: EINVAL */
	ALT_IGNORED, /* accepted, not stored (value documented) */
	ALT_COUNTER, /* a counter: reads back at least the value */
};

/* The lowest non-zero 4-bit field of @v lowered to 0 (0 if none). */
static uint64_t lower_a_field(uint64_t v)
{
	for (int s = 0; s < 64; s += 4)
		if (v & (0xfULL << s))
			return v & ~(0xfULL << s);
	return v;
}

static enum alt_kind alt_sysreg(uint64_t id, uint64_t *v)
{
	int idx = sysreg_find((uint16_t)id);
	const struct sysreg_desc *d;

	if (id == KVM_REG_ARM_TIMER_CVAL || id == KVM_REG_ARM_PTIMER_CVAL) {
		*v ^= 0x5a5a0;
		return ALT_STORED;
	}
	if (id == KVM_REG_ARM_TIMER_CNT) {
		*v -= 1000000;
		return ALT_COUNTER;
	}
	if (id == KVM_REG_ARM_PTIMER_CNT)
		return ALT_IGNORED;
	if (id == KVM_REG_ARM_TIMER_CTL || id == KVM_REG_ARM_PTIMER_CTL) {
		*v = 2; /* IMASK, disabled: no ISTATUS */
		return ALT_STORED;
	}
	REQUIRE(idx >= 0);
	d = &sysreg_table[idx];
	if (!(d->flags & SR_ID) || (d->flags & SR_ANY)) {
		*v ^= 0x5a5a0;
		return ALT_STORED;
	}
	if (d->flags & SR_USER_WI) {
		*v = 0x11;
		return ALT_IGNORED;
	}
	if (*v == 0 || !d->wmask) {
		*v ^= d->wmask ? 1 : 0x10;
		return ALT_REFUSED;
	}
	*v = lower_a_field(*v);
	return ALT_STORED;
}

static enum alt_kind alt_value(uint64_t id, uint64_t v[2])
{
	switch (id & KVM_REG_ARM_COPROC_MASK) {
	case KVM_REG_ARM_CORE:
		if (id == (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
			   KVM_REG_ARM_CORE_REG(regs.pstate)))
			v[0] ^= 1; /* EL1h <-> EL1t */
		else
			v[0] ^= 0x1234;
		v[1] ^= 0x77;
		return ALT_STORED;
	case KVM_REG_ARM_FW:
		if (id == KVM_REG_ARM_PSCI_VERSION) {
			v[0] = KVM_ARM_PSCI_1_0;
			return ALT_STORED;
		}
		v[0] = 0; /* NOT_AVAIL: accepted, the host level stays */
		return ALT_IGNORED;
	case KVM_REG_ARM_FW_FEAT_BMAP:
		v[0] = 0;
		return ALT_STORED;
	case KVM_REG_ARM_DEMUX:
		v[0] ^= 1U << 13;
		return ALT_REFUSED;
	default:
		return alt_sysreg(id, v);
	}
}

static void round_trip(int vcpu, uint64_t id)
{
	uint64_t old[2] = { 0, 0 }, v[2], back[2] = { 0, 0 };
	unsigned int size = KVM_REG_SIZE(id);
	enum alt_kind kind;

	REQUIRE(th_get(vcpu, id, old) == 0);
	memcpy(v, old, sizeof(v));
	kind = alt_value(id, v);
	if (size < 16)
		memset((char *)v + size, 0, sizeof(v) - size);
	if (kind == ALT_REFUSED) {
		EXPECT_ERRNO(th_set(vcpu, id, v), EINVAL);
		EXPECT_OK(th_get(vcpu, id, back));
		EXPECT(memcmp(back, old, size) == 0);
		return;
	}
	EXPECT_OK(th_set(vcpu, id, v));
	EXPECT_OK(th_get(vcpu, id, back));
	if (kind == ALT_STORED)
		EXPECT(memcmp(back, v, size) == 0);
	else if (kind == ALT_COUNTER)
		EXPECT(back[0] >= v[0]);
	else if ((id & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM64_SYSREG &&
		 id != KVM_REG_ARM_PTIMER_CNT)
		EXPECT_EQ(back[0], 0); /* RAZ/WI AArch32 ID register */
	else
		EXPECT(back[0] >= old[0]); /* host level or counter */
	if (memcmp(back, v, size) && kind == ALT_STORED)
		test_fail(__FILE__, __LINE__, "id 0x%llx did not round-trip",
			  (unsigned long long)id);
}

TEST(reg_list_round_trip_of_every_register)
{
	int vcpu = vcpu_fd();
	struct kvm_reg_list *l;

	REQUIRE(vcpu >= 0);
	l = th_reg_list(vcpu);
	REQUIRE(l);
	for (uint64_t i = 0; i < l->n; i++)
		round_trip(vcpu, l->reg[i]);
	free(l);
}
