// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * run_test.c: KVM_RUN exits (spec 5.4) with tiny hand-assembled guests:
 * MMIO read/write exits completed by the VMM, PSCI system events, kicks,
 * immediate_exit, engine errors, and the first-run rules.
 */
#include <sys/mman.h>

#include "api_helpers.h"

#define RAM_GPA 0x40000000ULL
#define RAM_SIZE (2ULL << 20)
#define UART 0x09000000ULL

#define CORE_ID(field)                                         \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
	 KVM_REG_ARM_CORE_REG(field))

/* mov x1,#0x09000000; mov x2,#0x41; str w2,[x1]; ldr w3,[x1,#4];
 * mov x0,#8; movk x0,#0x8400,lsl#16; hvc #0; b . */
static const uint32_t prog_mmio[] = {
	0xd2a12001, 0xd2800822, 0xb9000022, 0xb9400423,
	0xd2800100, 0xf2b08000, 0xd4000002, 0x14000000,
};
/* mov x0,#9 (SYSTEM_RESET); movk; hvc #0; b . */
static const uint32_t prog_reset[] = { 0xd2800120, 0xf2b08000, 0xd4000002,
				       0x14000000 };
/* PSCI_VERSION: mov x0,#0; movk x0,#0x8400,lsl#16; hvc #0;
 * then a read of 0x09000000 reports x0 to the VMM: str x0,[x1]. */
static const uint32_t prog_version[] = { 0xd2800000, 0xf2b08000, 0xd4000002,
					 0xd2a12001, 0xf9000020, 0x14000000 };
/*
 * At 0: mrs x5, id_aa64isar0_el1; str w5, [x1]; b .
 * At 0x0c: ldr x6, [x2]; str w6, [x1]; str x6, [x2]; b .
 * At 0x1c: for x11 pairs (fn, arg) at x10: x0 = fn, x1 = arg, x2 = 0,
 * hvc #0,
 * str w0, [x1 = the report address]; then b .
 */
static const uint32_t prog_misc[] = {
	0xd5380605, 0xb9000025, 0x14000000, 0xf9400046, 0xb9000026, 0xf9000046,
	0x14000000, 0xa8c10940, 0xaa0103ec, 0xaa0203e1, 0xaa1f03e2, 0xd4000002,
	0xaa0c03e1, 0xb9000020, 0xf100056b, 0x54ffff01, 0x14000000,
};
#define MISC_ID 0x00
#define MISC_RO 0x0c
#define MISC_HVC 0x1c
#define ISAR0_ID                                                   \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | \
	 (3 << 14 | 0 << 11 | 0 << 7 | 6 << 3 | 0))

/* b . (spins until kicked) */
static const uint32_t prog_spin[] = { 0x14000000 };

struct guest {
	int vm, vcpu;
	struct kvm_run *run;
	uint32_t *ram;
};

static int guest_make_feat(struct guest *g, const uint32_t *prog, size_t words,
			   uint32_t feat)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 0,
		.guest_phys_addr = RAM_GPA,
		.memory_size = RAM_SIZE,
	};
	long sz;

	g->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->ram == MAP_FAILED)
		return -1;
	memcpy(g->ram, prog, words * 4);
	mr.userspace_addr = (uint64_t)(uintptr_t)g->ram;
	g->vm = th_vm(0);
	if (g->vm < 0 || vkvm_ioctl(g->vm, KVM_SET_USER_MEMORY_REGION, &mr))
		return -1;
	g->vcpu = th_vcpu(g->vm, 0, feat);
	if (g->vcpu < 0 || th_set64(g->vcpu, CORE_ID(regs.pc), RAM_GPA))
		return -1;
	sz = vcpu_mmap_size();
	g->run = mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED,
		      g->vcpu, 0);
	return g->run == MAP_FAILED ? -1 : 0;
}

static int guest_make(struct guest *g, const uint32_t *prog, size_t words)
{
	return guest_make_feat(g, prog, words, TH_PSCI);
}

static void guest_free(struct guest *g)
{
	munmap(g->run, (size_t)vcpu_mmap_size());
	vkvm_close(g->vcpu);
	vkvm_close(g->vm);
	munmap(g->ram, RAM_SIZE);
}

/* KVM_RUN once; it must succeed with exit @reason. */
#define RUN_EXPECT(g, reason)                                \
	do {                                                 \
		EXPECT_OK(vkvm_ioctl((g).vcpu, KVM_RUN, 0)); \
		EXPECT_EQ((g).run->exit_reason, (reason));   \
	} while (0)

/* KVM_RUN once; it must be an MMIO exit for @addr of @n bytes. */
#define EXPECT_MMIO(g, addr, write, n)                      \
	do {                                                \
		RUN_EXPECT(g, KVM_EXIT_MMIO);               \
		EXPECT_EQ((g).run->mmio.phys_addr, (addr)); \
		EXPECT_EQ((g).run->mmio.is_write, (write)); \
		EXPECT_EQ((g).run->mmio.len, (n));          \
	} while (0)

#define GUEST(g, prog) \
	REQUIRE(guest_make(&(g), (prog), sizeof(prog) / sizeof((prog)[0])) == 0)

TEST(mmio_write_then_read_exits_and_completes_with_vmm_data)
{
	struct guest g;

	GUEST(g, prog_mmio);
	EXPECT_MMIO(g, UART, 1, 4);
	EXPECT_EQ(g.run->mmio.data[0], 0x41);
	EXPECT_MMIO(g, UART + 4, 0, 4);
	memcpy(g.run->mmio.data, "\x34\x12\x00\x00", 4);
	RUN_EXPECT(g, KVM_EXIT_SYSTEM_EVENT);
	EXPECT_EQ(g.run->system_event.type, KVM_SYSTEM_EVENT_SHUTDOWN);
	EXPECT_EQ(th_get64(g.vcpu, CORE_ID(regs.regs[3])), 0x1234);
	/* the caller's X0 is preloaded with INTERNAL_FAILURE (spec 5.4) */
	EXPECT_EQ(th_get64(g.vcpu, CORE_ID(regs.regs[0])), (uint64_t)-6);
	EXPECT_EQ(th_get64(g.vcpu, CORE_ID(regs.pc)), RAM_GPA + 0x1c);
	guest_free(&g);
}

TEST(psci_system_reset_is_a_reset_system_event)
{
	struct guest g;

	GUEST(g, prog_reset);
	RUN_EXPECT(g, KVM_EXIT_SYSTEM_EVENT);
	EXPECT_EQ(g.run->system_event.type, KVM_SYSTEM_EVENT_RESET);
	EXPECT_EQ(g.run->system_event.ndata, 1);
	EXPECT_EQ(g.run->system_event.data[0], 0);
	guest_free(&g);
}

TEST(psci_version_is_1_1)
{
	struct guest g;

	GUEST(g, prog_version);
	RUN_EXPECT(g, KVM_EXIT_MMIO);
	/* Unicorn hands an 8-byte MMIO store over as two 4-byte halves */
	EXPECT_EQ(g.run->mmio.len, 4);
	EXPECT_EQ(g.run->mmio.data[0] | g.run->mmio.data[2] << 16, 0x10001);
	/* registers are current at an MMIO exit */
	EXPECT_EQ(th_get64(g.vcpu, CORE_ID(regs.regs[0])), 0x10001);
	guest_free(&g);
}

TEST(immediate_exit_returns_eintr_without_running)
{
	struct guest g;

	GUEST(g, prog_mmio);
	g.run->immediate_exit = 1;
	EXPECT_ERRNO(vkvm_ioctl(g.vcpu, KVM_RUN, 0), EINTR);
	EXPECT_EQ(g.run->exit_reason, KVM_EXIT_INTR);
	EXPECT_EQ(th_get64(g.vcpu, CORE_ID(regs.pc)), RAM_GPA);
	g.run->immediate_exit = 0;
	RUN_EXPECT(g, KVM_EXIT_MMIO);
	guest_free(&g);
}

TEST(kick_before_run_makes_the_next_run_return_eintr)
{
	struct guest g;

	GUEST(g, prog_spin);
	EXPECT_OK(vkvm_kick_vcpu(g.vcpu));
	EXPECT_ERRNO(vkvm_ioctl(g.vcpu, KVM_RUN, 0), EINTR);
	EXPECT_EQ(g.run->exit_reason, KVM_EXIT_INTR);
	guest_free(&g);
}

TEST(fetch_from_unbacked_memory_is_an_internal_error)
{
	struct guest g;

	GUEST(g, prog_spin);
	REQUIRE(th_set64(g.vcpu, CORE_ID(regs.pc), 0x10000000) == 0);
	RUN_EXPECT(g, KVM_EXIT_INTERNAL_ERROR);
	EXPECT_EQ(g.run->internal.suberror, KVM_INTERNAL_ERROR_EMULATION);
	guest_free(&g);
}

/* Start the misc program at @off with X1 = the report address. */
static int misc_start(struct guest *g, uint64_t off)
{
	return th_set64(g->vcpu, CORE_ID(regs.pc), RAM_GPA + off) ||
	       th_set64(g->vcpu, CORE_ID(regs.regs[1]), UART);
}

static uint32_t mmio_u32(const struct kvm_run *run)
{
	uint32_t v;

	memcpy(&v, run->mmio.data, sizeof(v));
	return v;
}

TEST(id_register_set_through_one_reg_is_what_the_guest_reads)
{
	uint64_t isar0 = 0, lower;
	struct guest g;

	GUEST(g, prog_misc);
	REQUIRE(misc_start(&g, MISC_ID) == 0);
	REQUIRE(th_get(g.vcpu, ISAR0_ID, &isar0) == 0);
	/* AES field (7:4) lowered by one: allowed before the first run */
	REQUIRE((isar0 >> 4 & 0xf) != 0);
	lower = isar0 - (1ULL << 4);
	EXPECT_OK(th_set64(g.vcpu, ISAR0_ID, lower));
	RUN_EXPECT(g, KVM_EXIT_MMIO);
	EXPECT_EQ(mmio_u32(g.run), (uint32_t)lower);
	/* after the first run: the same value is fine, another is EBUSY */
	EXPECT_OK(th_set64(g.vcpu, ISAR0_ID, lower));
	EXPECT_ERRNO(th_set64(g.vcpu, ISAR0_ID, isar0), EBUSY);
	guest_free(&g);
}

TEST(readonly_slot_reads_memory_and_writes_exit_as_mmio)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 1,
		.flags = KVM_MEM_READONLY,
		.guest_phys_addr = 0x50000000,
		.memory_size = 0x1000,
	};
	uint64_t *ro;
	struct guest g;

	GUEST(g, prog_misc);
	ro = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(ro != MAP_FAILED);
	ro[0] = 0xfeedf00d;
	mr.userspace_addr = (uint64_t)(uintptr_t)ro;
	REQUIRE(vkvm_ioctl(g.vm, KVM_SET_USER_MEMORY_REGION, &mr) == 0);
	REQUIRE(misc_start(&g, MISC_RO) == 0);
	REQUIRE(th_set64(g.vcpu, CORE_ID(regs.regs[2]), 0x50000000) == 0);
	RUN_EXPECT(g, KVM_EXIT_MMIO);
	EXPECT_EQ(mmio_u32(g.run), 0xfeedf00d);
	EXPECT_MMIO(g, 0x50000000, 1, 8);
	EXPECT_EQ(mmio_u32(g.run), 0xfeedf00d);
	EXPECT_EQ(ro[0], 0xfeedf00d);
	guest_free(&g);
	munmap(ro, 0x1000);
}

/*
 * Run the HVC table at RAM + 0x1000 with PSCI version @psci (set through
 * ONE_REG; 0 = the default, KVM_ARM_PSCI_0_1 = a vCPU without PSCI_0_2);
 * each call's X0 comes out as MMIO.
 */
static void hvc_table_psci(const uint64_t (*calls)[3], unsigned int n,
			   uint64_t psci)
{
	struct guest g;
	uint64_t *tab;

	REQUIRE(guest_make_feat(&g, prog_misc,
				sizeof(prog_misc) / sizeof(prog_misc[0]),
				psci == KVM_ARM_PSCI_0_1 ? 0 : TH_PSCI) == 0);
	if (psci)
		EXPECT_OK(th_set64(g.vcpu, KVM_REG_ARM_PSCI_VERSION, psci));
	tab = (uint64_t *)((char *)g.ram + 0x1000);
	for (unsigned int i = 0; i < n; i++) {
		tab[2 * i] = calls[i][0];
		tab[2 * i + 1] = calls[i][1];
	}
	REQUIRE(misc_start(&g, MISC_HVC) == 0);
	REQUIRE(th_set64(g.vcpu, CORE_ID(regs.regs[10]), RAM_GPA + 0x1000) ==
		0);
	REQUIRE(th_set64(g.vcpu, CORE_ID(regs.regs[11]), n) == 0);
	for (unsigned int i = 0; i < n; i++) {
		RUN_EXPECT(g, KVM_EXIT_MMIO);
		EXPECT_EQ(mmio_u32(g.run), (uint32_t)calls[i][2]);
	}
	guest_free(&g);
}

static void hvc_table(const uint64_t (*calls)[3], unsigned int n)
{
	hvc_table_psci(calls, n, 0);
}

TEST(smccc_and_psci_answers)
{
	static const uint64_t calls[][3] = {
		{ 0x84000006, 0, 2 }, /* MIGRATE_INFO_TYPE: no trusted OS */
		{ 0x80000000, 0, 0x10001 }, /* SMCCC_VERSION 1.1 */
		{ 0x80000001, 0x80008000, 1 }, /* WORKAROUND_1: unaffected */
		{ 0x80000001, 0x12345678, (uint64_t)-1 },
		{ 0x8400000a, 0x84000012, 0 }, /* FEATURES(SYSTEM_RESET2) */
		{ 0x8400000a, 0x84000005, (uint64_t)-1 }, /* MIGRATE */
		{ 0xc4000004, 0x80000000, 0 }, /* AFFINITY_INFO(self): ON */
		{ 0xc4000004, 0x1, (uint64_t)-2 }, /* no such vCPU */
		{ 0xc4000003, 0x1, (uint64_t)-2 }, /* CPU_ON: no such vCPU */
		{ 0xc4000003, 0x0, (uint64_t)-4 }, /* CPU_ON(self) */
		{ 0x84000012, 1, (uint64_t)-2 }, /* RESET2 type 1 */
		{ 0xc5000000, 0, (uint64_t)-1 }, /* not a PSCI call */
	};

	hvc_table(calls, sizeof(calls) / sizeof(calls[0]));
}

/* ARCH_FEATURES answers follow the level each FW register reads (spec
 * 4.6; Linux's kvm_smccc_call_handler mapping). */
TEST(smccc_arch_features_follow_the_workaround_fw_registers)
{
	static const uint64_t calls[][3] = {
		{ 0x80000001, 0x80008000,
		  1 }, /* WA_1 NOT_REQUIRED: unaffected */
		{ 0x80000001, 0x80007fff, (uint64_t)-2 }, /* WA_2: not req. */
		{ 0x80000001, 0x80003fff,
		  1 }, /* WA_3 NOT_REQUIRED: unaffected */
		{ 0x80000001, 0x80000000, (uint64_t)-1 }, /* of SMCCC_VERSION */
		{ 0x80008000, 0, 0 }, /* HVC WORKAROUND_1 itself: X0 = 0 */
		{ 0x80007fff, 0, 0 },
		{ 0x80003fff, 0, 0 },
	};
	struct guest g;

	GUEST(g, prog_spin);
	EXPECT_EQ(th_get64(g.vcpu, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1),
		  KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_REQUIRED);
	EXPECT_EQ(th_get64(g.vcpu, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2),
		  KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED);
	EXPECT_EQ(th_get64(g.vcpu, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3),
		  KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_NOT_REQUIRED);
	guest_free(&g);
	hvc_table(calls, sizeof(calls) / sizeof(calls[0]));
}

/* PSCI 0.2 (set through ONE_REG): version 2, no PSCI_FEATURES, no
 * SYSTEM_RESET2; the SMCCC calls are there whatever the version. */
TEST(psci_0_2_has_no_psci_features_and_no_system_reset2)
{
	static const uint64_t calls[][3] = {
		{ 0x84000000, 0, 2 },
		{ 0x8400000a, 0xc4000003, (uint64_t)-1 },
		{ 0x84000012, 1, (uint64_t)-1 },
		{ 0x80000000, 0, 0x10001 },
		{ 0x80000001, 0x80008000, 1 },
	};

	hvc_table_psci(calls, sizeof(calls) / sizeof(calls[0]),
		       KVM_ARM_PSCI_0_2);
}

TEST(psci_1_0_has_psci_features_but_no_system_reset2)
{
	static const uint64_t calls[][3] = {
		{ 0x84000000, 0, 0x10000 },
		{ 0x8400000a, 0xc4000003, 0 }, /* FEATURES(CPU_ON) */
		{ 0x8400000a, 0x80000000, 0 }, /* FEATURES(SMCCC_VERSION) */
		{ 0x8400000a, 0x84000012, (uint64_t)-1 },
		{ 0x84000012, 1, (uint64_t)-1 },
	};

	hvc_table_psci(calls, sizeof(calls) / sizeof(calls[0]),
		       KVM_ARM_PSCI_1_0);
}

/* A vCPU without PSCI_0_2 has PSCI 0.1's private ids only, but SMCCC's
 * architecture calls are served before PSCI (Linux). */
TEST(psci_0_1_vcpu_still_answers_the_smccc_arch_calls)
{
	static const uint64_t calls[][3] = {
		{ 0x84000000, 0, (uint64_t)-1 }, /* no PSCI_VERSION in 0.1 */
		{ 0x80000000, 0, 0x10001 },
		{ 0x80000001, 0x80008000, 1 },
		{ 0x95c1ba60, 0x1, (uint64_t)-2 }, /* 0.1 CPU_ON: no vCPU */
	};

	hvc_table_psci(calls, sizeof(calls) / sizeof(calls[0]),
		       KVM_ARM_PSCI_0_1);
}

TEST(psci_system_reset2_warm_is_a_reset_event_with_the_reset2_flag)
{
	struct guest g;
	uint64_t *tab;

	GUEST(g, prog_misc);
	tab = (uint64_t *)((char *)g.ram + 0x1000);
	tab[0] = 0x84000012;
	tab[1] = 0;
	REQUIRE(misc_start(&g, MISC_HVC) == 0);
	REQUIRE(th_set64(g.vcpu, CORE_ID(regs.regs[10]), RAM_GPA + 0x1000) ==
		0);
	REQUIRE(th_set64(g.vcpu, CORE_ID(regs.regs[11]), 1) == 0);
	RUN_EXPECT(g, KVM_EXIT_SYSTEM_EVENT);
	EXPECT_EQ(g.run->system_event.type, KVM_SYSTEM_EVENT_RESET);
	EXPECT_EQ(g.run->system_event.data[0],
		  KVM_SYSTEM_EVENT_RESET_FLAG_PSCI_RESET2);
	guest_free(&g);
}

TEST(vcpu_init_after_system_reset_runs_the_guest_again)
{
	struct guest g;

	GUEST(g, prog_reset);
	RUN_EXPECT(g, KVM_EXIT_SYSTEM_EVENT);
	EXPECT_EQ(g.run->system_event.type, KVM_SYSTEM_EVENT_RESET);
	/* the VMM's reset: VCPU_INIT, new code, PC back at the start */
	REQUIRE(th_init(g.vcpu, TH_PSCI) == 0);
	memcpy(g.ram, prog_mmio, sizeof(prog_mmio));
	REQUIRE(th_set64(g.vcpu, CORE_ID(regs.pc), RAM_GPA) == 0);
	EXPECT_MMIO(g, UART, 1, 4);
	EXPECT_EQ(g.run->mmio.data[0], 0x41);
	guest_free(&g);
}
