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

/*
 * One access of each width to the MMIO page at X1 (X2 = the value
 * stored): strb; strh [+2]; str w [+4]; str x [+8]; ldrb w3 [+16];
 * ldrh w4 [+18]; ldr w5 [+20]; ldr x6 [+24]; ldrsb x7 [+16];
 * then PSCI SYSTEM_OFF.
 */
static const uint32_t prog_widths[] = {
	0x39000022, 0x79000422, 0xb9000422, 0xf9000422, 0x39404023,
	0x79402424, 0xb9401425, 0xf9400c26, 0x39804027, 0xd2800100,
	0xf2b08000, 0xd4000002, 0x14000000,
};

/* str x3, [x2] (a read-only slot); ldr x7, [x2]; str x7, [x1]; b . */
static const uint32_t prog_ro_store[] = { 0xf9000043, 0xf9400047, 0xf9000027,
					  0x14000000 };

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

static uint64_t mmio_u64(const struct kvm_run *run)
{
	uint64_t v;

	memcpy(&v, run->mmio.data, sizeof(v));
	return v;
}

/* Linux's kvm_run.mmio for one access (spec 5.4) and the PC the VMM
 * reads during the exit: that of the access instruction. */
static void expect_width_exit(struct guest *g, unsigned int i, uint64_t off,
			      bool write, unsigned int len)
{
	EXPECT_MMIO(*g, UART + off, write, len);
	EXPECT_EQ(th_get64(g->vcpu, CORE_ID(regs.pc)), RAM_GPA + 4 * i);
}

TEST(mmio_exits_of_each_width_have_linux_fields_and_the_access_pc)
{
	static const uint8_t in[8] = { 0xf1, 0xf2, 0xf3, 0xf4,
				       0xf5, 0xf6, 0xf7, 0xf8 };
	static const uint64_t off[] = { 0, 2, 4, 8, 16, 18, 20, 24, 16 };
	static const unsigned int len[] = { 1, 2, 4, 8, 1, 2, 4, 8, 1 };
	const uint64_t x2 = 0x8877665544332211ULL;
	struct guest g;

	GUEST(g, prog_widths);
	REQUIRE(th_set64(g.vcpu, CORE_ID(regs.regs[1]), UART) == 0);
	REQUIRE(th_set64(g.vcpu, CORE_ID(regs.regs[2]), x2) == 0);
	for (unsigned int i = 0; i < 4; i++) {
		expect_width_exit(&g, i, off[i], true, len[i]);
		/* the stored bytes, little-endian, the rest zero */
		EXPECT_EQ(mmio_u64(g.run), x2 & (~0ULL >> (64 - 8 * len[i])));
	}
	for (unsigned int i = 4; i < 9; i++) {
		expect_width_exit(&g, i, off[i], false, len[i]);
		memcpy(g.run->mmio.data, in, sizeof(in));
	}
	RUN_EXPECT(g, KVM_EXIT_SYSTEM_EVENT);
	/* each load took its len bytes of data, zero- or sign-extended */
	EXPECT_EQ(th_get64(g.vcpu, CORE_ID(regs.regs[3])), 0xf1);
	EXPECT_EQ(th_get64(g.vcpu, CORE_ID(regs.regs[4])), 0xf2f1);
	EXPECT_EQ(th_get64(g.vcpu, CORE_ID(regs.regs[5])), 0xf4f3f2f1);
	EXPECT_EQ(th_get64(g.vcpu, CORE_ID(regs.regs[6])),
		  0xf8f7f6f5f4f3f2f1ULL);
	EXPECT_EQ(th_get64(g.vcpu, CORE_ID(regs.regs[7])),
		  0xfffffffffffffff1ULL);
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
	/* the 8-byte store is one exit of len 8 */
	EXPECT_MMIO(g, UART, 1, 8);
	EXPECT_EQ(mmio_u64(g.run), 0x10001);
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

/* An abort handler: reports ESR, FAR, ELR and SPSR (low 32 bits each)
 * with str w, [x1]; then b . */
static const uint32_t abort_report[] = {
	0xd5385205, 0xb9000025, 0xd5386006, 0xb9000026, 0xd5384027,
	0xb9000027, 0xd5384008, 0xb9000028, 0x14000000,
};
#define VBAR_OFF 0x800
#define VBAR_ID                                                    \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | \
	 (3 << 14 | 0 << 11 | 12 << 7 | 0 << 3 | 0))
#define HOLE 0x10000000ULL

/*
 * A fetch from @HOLE (no memslot, no device) at @pstate: KVM injects a
 * prefetch abort (kvm_handle_guest_abort, is_iabt): a synchronous
 * external abort to EL1's vector for the level it came from.
 */
static void fetch_abort_case(uint64_t pstate, uint32_t esr)
{
	struct guest g;

	GUEST(g, prog_spin);
	memcpy((char *)g.ram + VBAR_OFF + 0x200, abort_report,
	       sizeof(abort_report));
	memcpy((char *)g.ram + VBAR_OFF + 0x400, abort_report,
	       sizeof(abort_report));
	REQUIRE(th_set64(g.vcpu, VBAR_ID, RAM_GPA + VBAR_OFF) == 0);
	REQUIRE(th_set64(g.vcpu, CORE_ID(regs.regs[1]), UART) == 0);
	REQUIRE(th_set64(g.vcpu, CORE_ID(regs.pstate), pstate) == 0);
	REQUIRE(th_set64(g.vcpu, CORE_ID(regs.pc), HOLE) == 0);
	EXPECT_MMIO(g, UART, 1, 4);
	EXPECT_EQ(mmio_u32(g.run), esr);
	EXPECT_MMIO(g, UART, 1, 4);
	EXPECT_EQ(mmio_u32(g.run), HOLE); /* FAR */
	EXPECT_MMIO(g, UART, 1, 4);
	EXPECT_EQ(mmio_u32(g.run), HOLE); /* ELR */
	EXPECT_MMIO(g, UART, 1, 4);
	EXPECT_EQ(mmio_u32(g.run), pstate); /* SPSR */
	guest_free(&g);
}

TEST(fetch_from_unbacked_memory_at_el1_is_an_external_instruction_abort)
{
	fetch_abort_case(0x3c5, 0x86000010); /* EC 0x21, IL, FSC 0x10 */
}

/* VBAR_EL1 0: the abort's own vector is unbacked too.  KVM would spin in
 * KVM_RUN; vkvm reports the loop instead. */
TEST(fetch_abort_whose_vector_is_unbacked_is_an_internal_error)
{
	struct guest g;

	GUEST(g, prog_spin);
	REQUIRE(th_set64(g.vcpu, CORE_ID(regs.pc), HOLE) == 0);
	RUN_EXPECT(g, KVM_EXIT_INTERNAL_ERROR);
	EXPECT_EQ(g.run->internal.suberror, KVM_INTERNAL_ERROR_EMULATION);
	EXPECT_EQ(th_get64(g.vcpu, CORE_ID(regs.pc)), 0x200); /* VBAR+0x200 */
	guest_free(&g);
}

TEST(fetch_from_unbacked_memory_at_el0_is_an_external_instruction_abort)
{
	fetch_abort_case(0x0, 0x82000010); /* EC 0x20 */
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

/* A read-only slot of one page at RO_GPA holding 0xfeedf00d; NULL if it
 * could not be made. */
#define RO_GPA 0x50000000ULL

static uint64_t *ro_slot_add(struct guest *g)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 1,
		.flags = KVM_MEM_READONLY,
		.guest_phys_addr = RO_GPA,
		.memory_size = 0x1000,
	};
	uint64_t *ro = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (ro == MAP_FAILED)
		return NULL;
	ro[0] = 0xfeedf00d;
	mr.userspace_addr = (uint64_t)(uintptr_t)ro;
	if (vkvm_ioctl(g->vm, KVM_SET_USER_MEMORY_REGION, &mr)) {
		munmap(ro, 0x1000);
		return NULL;
	}
	return ro;
}

TEST(readonly_slot_reads_memory_and_writes_exit_as_mmio)
{
	uint64_t *ro;
	struct guest g;

	GUEST(g, prog_misc);
	ro = ro_slot_add(&g);
	REQUIRE(ro);
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

/* A store to a read-only slot never reaches the slot's memory: not
 * during the exit, not for a load that follows it in the same block. */
TEST(readonly_slot_store_never_reaches_the_memory)
{
	uint64_t *ro;
	struct guest g;

	GUEST(g, prog_ro_store);
	ro = ro_slot_add(&g);
	REQUIRE(ro);
	REQUIRE(th_set64(g.vcpu, CORE_ID(regs.regs[1]), UART) == 0);
	REQUIRE(th_set64(g.vcpu, CORE_ID(regs.regs[2]), 0x50000000) == 0);
	REQUIRE(th_set64(g.vcpu, CORE_ID(regs.regs[3]), 0x5555) == 0);
	EXPECT_MMIO(g, 0x50000000, 1, 8);
	EXPECT_EQ(mmio_u64(g.run), 0x5555);
	EXPECT_EQ(ro[0], 0xfeedf00d);
	/* the load after the store reads the slot's own bytes */
	EXPECT_MMIO(g, UART, 1, 8);
	EXPECT_EQ(mmio_u64(g.run), 0xfeedf00d);
	EXPECT_EQ(ro[0], 0xfeedf00d);
	guest_free(&g);
	munmap(ro, 0x1000);
}

/*
 * Run the HVC table at RAM + 0x1000 after setting FW register @fw to @val
 * through ONE_REG (@fw 0: nothing; PSCI version 0.1: a vCPU without
 * PSCI_0_2); each call's X0 comes out as MMIO.
 */
static void hvc_table_fw(const uint64_t (*calls)[3], unsigned int n,
			 uint64_t fw, uint64_t val)
{
	bool v0_1 = fw == KVM_REG_ARM_PSCI_VERSION && val == KVM_ARM_PSCI_0_1;
	struct guest g;
	uint64_t *tab;

	REQUIRE(guest_make_feat(&g, prog_misc,
				sizeof(prog_misc) / sizeof(prog_misc[0]),
				v0_1 ? 0 : TH_PSCI) == 0);
	if (fw)
		EXPECT_OK(th_set64(g.vcpu, fw, val));
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
	hvc_table_fw(calls, n, 0, 0);
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

	hvc_table_fw(calls, sizeof(calls) / sizeof(calls[0]),
		     KVM_REG_ARM_PSCI_VERSION, KVM_ARM_PSCI_0_2);
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

	hvc_table_fw(calls, sizeof(calls) / sizeof(calls[0]),
		     KVM_REG_ARM_PSCI_VERSION, KVM_ARM_PSCI_1_0);
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

	hvc_table_fw(calls, sizeof(calls) / sizeof(calls[0]),
		     KVM_REG_ARM_PSCI_VERSION, KVM_ARM_PSCI_0_1);
}

/* TRNG 1.0 while KVM_REG_ARM_STD_BMAP offers it (the default). */
TEST(smccc_trng_answers_while_the_std_bitmap_offers_it)
{
	static const uint64_t calls[][3] = {
		{ 0x84000050, 0, 0x10000 }, /* VERSION 1.0 */
		{ 0x84000051, 0xc4000053, 0 }, /* FEATURES(RND64) */
		{ 0x84000051, 0x84000054, (uint64_t)-1 },
		{ 0x84000052, 0, 0x00e0210d }, /* GET_UUID: first word */
		{ 0x84000053, 96, 0 }, /* RND32, 96 bits */
		{ 0x84000053, 97, (uint64_t)-2 }, /* too many */
		{ 0xc4000053, 192, 0 },
		{ 0xc4000053, 193, (uint64_t)-2 },
	};

	hvc_table(calls, sizeof(calls) / sizeof(calls[0]));
}

TEST(smccc_trng_is_not_supported_once_the_std_bitmap_drops_it)
{
	static const uint64_t calls[][3] = {
		{ 0x84000050, 0, (uint64_t)-1 },
		{ 0xc4000053, 64, (uint64_t)-1 },
	};

	hvc_table_fw(calls, sizeof(calls) / sizeof(calls[0]),
		     KVM_REG_ARM_STD_BMAP, 0);
}

/* KVM's vendor hypervisor service while VENDOR_HYP_BMAP has FUNC_FEAT. */
TEST(smccc_vendor_hyp_uid_and_features_follow_the_vendor_bitmap)
{
	static const uint64_t on[][3] = {
		{ 0x8600ff01, 0, 0xb66fb428 }, /* CALL_UID: KVM's, word 0 */
		{ 0x86000000, 0, 1 }, /* KVM_FEATURES: FUNC_FEAT only */
	};
	static const uint64_t off[][3] = {
		{ 0x8600ff01, 0, (uint64_t)-1 },
		{ 0x86000000, 0, (uint64_t)-1 },
	};

	hvc_table(on, 2);
	hvc_table_fw(off, 2, KVM_REG_ARM_VENDOR_HYP_BMAP, 0);
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
