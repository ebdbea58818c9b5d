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
/* b . (spins until kicked) */
static const uint32_t prog_spin[] = { 0x14000000 };

struct guest {
	int vm, vcpu;
	struct kvm_run *run;
	uint32_t *ram;
};

static int guest_make(struct guest *g, const uint32_t *prog, size_t words)
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
	g->vcpu = th_vcpu(g->vm, 0, TH_PSCI);
	if (g->vcpu < 0 || th_set64(g->vcpu, CORE_ID(regs.pc), RAM_GPA))
		return -1;
	sz = vcpu_mmap_size();
	g->run = mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED,
		      g->vcpu, 0);
	return g->run == MAP_FAILED ? -1 : 0;
}

static void guest_free(struct guest *g)
{
	munmap(g->run, (size_t)vcpu_mmap_size());
	vkvm_close(g->vcpu);
	vkvm_close(g->vm);
	munmap(g->ram, RAM_SIZE);
}

#define GUEST(g, prog) \
	REQUIRE(guest_make(&(g), (prog), sizeof(prog) / sizeof((prog)[0])) == 0)

TEST(mmio_write_then_read_exits_and_completes_with_vmm_data)
{
	struct guest g;

	GUEST(g, prog_mmio);
	EXPECT_OK(vkvm_ioctl(g.vcpu, KVM_RUN, 0));
	EXPECT_EQ(g.run->exit_reason, KVM_EXIT_MMIO);
	EXPECT_EQ(g.run->mmio.phys_addr, UART);
	EXPECT_EQ(g.run->mmio.is_write, 1);
	EXPECT_EQ(g.run->mmio.len, 4);
	EXPECT_EQ(g.run->mmio.data[0], 0x41);
	EXPECT_OK(vkvm_ioctl(g.vcpu, KVM_RUN, 0));
	EXPECT_EQ(g.run->exit_reason, KVM_EXIT_MMIO);
	EXPECT_EQ(g.run->mmio.phys_addr, UART + 4);
	EXPECT_EQ(g.run->mmio.is_write, 0);
	EXPECT_EQ(g.run->mmio.len, 4);
	memcpy(g.run->mmio.data, "\x34\x12\x00\x00", 4);
	EXPECT_OK(vkvm_ioctl(g.vcpu, KVM_RUN, 0));
	EXPECT_EQ(g.run->exit_reason, KVM_EXIT_SYSTEM_EVENT);
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
	EXPECT_OK(vkvm_ioctl(g.vcpu, KVM_RUN, 0));
	EXPECT_EQ(g.run->exit_reason, KVM_EXIT_SYSTEM_EVENT);
	EXPECT_EQ(g.run->system_event.type, KVM_SYSTEM_EVENT_RESET);
	EXPECT_EQ(g.run->system_event.ndata, 1);
	EXPECT_EQ(g.run->system_event.data[0], 0);
	guest_free(&g);
}

TEST(psci_version_is_1_1)
{
	struct guest g;

	GUEST(g, prog_version);
	EXPECT_OK(vkvm_ioctl(g.vcpu, KVM_RUN, 0));
	EXPECT_EQ(g.run->exit_reason, KVM_EXIT_MMIO);
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
	EXPECT_OK(vkvm_ioctl(g.vcpu, KVM_RUN, 0));
	EXPECT_EQ(g.run->exit_reason, KVM_EXIT_MMIO);
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

TEST(run_before_vcpu_init_is_enoexec)
{
	int vm = th_vm(0), vcpu;

	REQUIRE(vm >= 0);
	vcpu = vkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
	REQUIRE(vcpu >= 0);
	EXPECT_ERRNO(vkvm_ioctl(vcpu, KVM_RUN, 0), ENOEXEC);
	vkvm_close(vcpu);
	vkvm_close(vm);
}

TEST(fetch_from_unbacked_memory_is_an_internal_error)
{
	struct guest g;

	GUEST(g, prog_spin);
	REQUIRE(th_set64(g.vcpu, CORE_ID(regs.pc), 0x10000000) == 0);
	EXPECT_OK(vkvm_ioctl(g.vcpu, KVM_RUN, 0));
	EXPECT_EQ(g.run->exit_reason, KVM_EXIT_INTERNAL_ERROR);
	EXPECT_EQ(g.run->internal.suberror, KVM_INTERNAL_ERROR_EMULATION);
	guest_free(&g);
}
