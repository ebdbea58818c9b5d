/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * smccc_test.h (guest): the PSCI version and the SMCCC discovery answers
 * (SMCCC_VERSION, ARCH_FEATURES of the three Spectre workarounds) as the
 * firmware pseudo-registers (kvm-arm-api.md 4.6) make them.
 *
 * On vkvm the test runner writes what KVM_GET_ONE_REG returns for
 * KVM_REG_ARM_PSCI_VERSION and WORKAROUND_1..3 into a mailbox below the
 * load address (struct mailbox), and the guest must see exactly that.
 * On QEMU the mailbox is empty RAM: the guest then checks only what every
 * conforming firmware must do for the version it reports.  QEMU 7.2 is
 * SMCCC 1.0 (PSCI_FEATURES(SMCCC_VERSION) is NOT_SUPPORTED), so the guest
 * follows the discovery protocol and asks no further there.
 */
#ifndef VKVM_GUEST_SMCCC_TEST_H
#define VKVM_GUEST_SMCCC_TEST_H

#include "lib/guest.h"

#define SMCCC_VERSION 0x80000000U
#define SMCCC_ARCH_FEATURES 0x80000001U
#define PSCI_SYSTEM_RESET2 0x84000012U
#define PSCI_1_0 0x10000
#define PSCI_1_1 0x10001
#define NOT_SUPPORTED ((uint64_t)-1)

static const uint32_t wa_fn[3] = { 0x80008000U, 0x80007fffU, 0x80003fffU };

/* ARCH_FEATURES answer a hypervisor gives for workaround @n (0..2) at FW
 * register level @level (Linux's mapping, kvm-arm-api.md 4.6 values). */
static uint64_t wa_answer(unsigned int n, uint64_t level)
{
	uint64_t avail = n == 1 ? 2 : 1, not_required = n == 1 ? 3 : 2;

	if (level == avail)
		return 0;
	if (level == not_required)
		return n == 1 ? (uint64_t)-2 : 1;
	return NOT_SUPPORTED;
}

static void check_psci(int64_t ver, const volatile struct mailbox *mb)
{
	uint64_t reset2;

	if (mb)
		check_eq("psci version is the fw register's", (uint64_t)ver,
			 mb->psci);
	check("psci version is 0.2, 1.0 or 1.1",
	      ver == 2 || ver == PSCI_1_0 || ver == PSCI_1_1);
	if (ver < PSCI_1_0) {
		check_eq("psci 0.2 has no psci_features",
			 (uint64_t)psci(PSCI_FEATURES, PSCI_CPU_ON, 0, 0),
			 NOT_SUPPORTED);
		return;
	}
	check_eq("psci_features(cpu_on)",
		 (uint64_t)psci(PSCI_FEATURES, PSCI_CPU_ON, 0, 0), 0);
	/* SYSTEM_RESET2 is PSCI 1.1's and optional there; KVM has it. */
	reset2 = (uint64_t)psci(PSCI_FEATURES, PSCI_SYSTEM_RESET2, 0, 0);
	if (ver < PSCI_1_1)
		check_eq("psci 1.0 has no system_reset2", reset2,
			 NOT_SUPPORTED);
	else
		check("psci 1.1 system_reset2 feature answer",
		      mb ? reset2 == 0 :
			   reset2 == 0 || reset2 == NOT_SUPPORTED);
}

static void check_smccc(int64_t ver, const volatile struct mailbox *mb)
{
	uint64_t has = NOT_SUPPORTED, a;

	if (ver >= PSCI_1_0)
		has = (uint64_t)psci(PSCI_FEATURES, SMCCC_VERSION, 0, 0);
	if (mb)
		check_eq("smccc_version discoverable from psci 1.0", has == 0,
			 ver >= PSCI_1_0);
	/* SMCCC 1.0 firmware: nothing more to ask.  vkvm (as KVM) answers
	 * the architecture calls whatever the PSCI version. */
	if (has != 0 && !mb)
		return;
	check_eq("smccc version 1.1", (uint64_t)psci(SMCCC_VERSION, 0, 0, 0),
		 0x10001);
	for (unsigned int n = 0; n < 3; n++) {
		a = (uint64_t)psci(SMCCC_ARCH_FEATURES, wa_fn[n], 0, 0);
		check("arch_features(workaround) is a defined answer",
		      a == 0 || a == NOT_SUPPORTED ||
			      a == (n == 1 ? (uint64_t)-2 : 1));
		if (mb)
			check_eq("arch_features(workaround) follows its fw "
				 "register",
				 a, wa_answer(n, mb->wa[n]));
	}
}

void main_cpu0(void)
{
	const volatile struct mailbox *mb = mailbox();
	int64_t ver = psci(PSCI_VERSION, 0, 0, 0);
	puts_(mb ? "fw mailbox: checking against ONE_REG\n" :
		   "fw mailbox: none\n");
	check_psci(ver, mb);
	check_smccc(ver, mb);
	finish();
}

void main_secondary(unsigned int cpu, uint64_t arg)
{
	(void)cpu;
	(void)arg;
}

#endif /* VKVM_GUEST_SMCCC_TEST_H */
