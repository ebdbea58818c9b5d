// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vcpu_timer_attr_test.c: device attributes on a vCPU fd, group
 * KVM_ARM_VCPU_TIMER_CTRL (spec 5.4): every errno of SET/GET/HAS, the
 * first-run rules, and a tiny GICv2 guest whose virtual timer interrupt
 * arrives on the PPI the VMM chose (QEMU cannot move it, so no guest
 * program in tests/guest).
 */
#include "api_helpers.h"
#include "lib/vgic_util.h"

#define RAM_GPA 0x40000000ULL
#define RAM_SIZE (1ULL << 20)
#define GICD_GPA 0x08000000ULL
#define GICC_GPA 0x08010000ULL
#define REPORT_GPA 0x09000000ULL
#define TIMER KVM_ARM_VCPU_TIMER_CTRL
#define VTIMER KVM_ARM_VCPU_TIMER_IRQ_VTIMER
#define PTIMER KVM_ARM_VCPU_TIMER_IRQ_PTIMER

/*
 * GICD_CTLR = 1; GICD_ISENABLER0 = PPIs 20 and 27; GICC_CTLR = 1;
 * GICC_PMR = 0xff; CNTV_CVAL_EL0 = 0; CNTV_CTL_EL0 = 1 (fires at once);
 * then read GICC_IAR until it is not 1023 (x8 tries) and store the INTID
 * to [x7] (an MMIO exit); b .
 */
static const uint32_t prog_vtimer[] = {
	0xd2a10001, 0x52800022, 0xb9000022, 0x52a10203, 0xb9010023,
	0x91404024, 0xb9000082, 0x52801fe5, 0xb9000485, 0xd51be35f,
	0xd51be322, 0xd5033fdf, 0xb9400c86, 0x710ffcdf, 0x54000061,
	0xf1000508, 0x54ffff81, 0xb90000e6, 0x14000000,
};

struct guest {
	struct th_guest t;
	int vm, vcpu, gic; /* t.vm, t.vcpu, the vGIC's fd */
	struct kvm_run *run; /* t.run */
};

/* A VM with one vCPU, and a GICv2 at the virt addresses if @gic. */
static int guest_make(struct guest *g, bool gic)
{
	memset(g, 0, sizeof(*g));
	g->gic = -1;
	if (th_guest_make(&g->t, RAM_GPA, RAM_SIZE, prog_vtimer,
			  sizeof(prog_vtimer)))
		return -1;
	g->vm = g->t.vm;
	g->vcpu = g->t.vcpu;
	g->run = g->t.run;
	if (th_set64(g->vcpu, CORE_ID(regs.regs[7]), REPORT_GPA) ||
	    th_set64(g->vcpu, CORE_ID(regs.regs[8]), 1000000))
		return -1;
	if (!gic)
		return 0;
	g->gic = create_dev(g->vm, KVM_DEV_TYPE_ARM_VGIC_V2, 0);
	if (g->gic < 0 ||
	    attr_set64(g->gic, KVM_DEV_ARM_VGIC_GRP_ADDR,
		       KVM_VGIC_V2_ADDR_TYPE_DIST, GICD_GPA) ||
	    attr_set64(g->gic, KVM_DEV_ARM_VGIC_GRP_ADDR,
		       KVM_VGIC_V2_ADDR_TYPE_CPU, GICC_GPA))
		return -1;
	return 0;
}

static void guest_free(struct guest *g)
{
	if (g->gic >= 0)
		vkvm_close(g->gic);
	th_guest_free(&g->t);
}

static int set_ppi(int vcpu, uint64_t timer, int32_t ppi)
{
	return attr_set(vcpu, TIMER, timer, &ppi);
}

static int32_t get_ppi(int vcpu, uint64_t timer)
{
	int32_t ppi = -1;

	return attr_get(vcpu, TIMER, timer, &ppi) ? -1 : ppi;
}

/* Run the guest: the INTID it acknowledged first (1023: none). */
static uint32_t run_vtimer_guest(struct guest *g)
{
	uint32_t intid = 0;

	if (vkvm_ioctl(g->vcpu, KVM_RUN, 0) ||
	    g->run->exit_reason != KVM_EXIT_MMIO ||
	    g->run->mmio.phys_addr != REPORT_GPA)
		return 0;
	memcpy(&intid, g->run->mmio.data, sizeof(intid));
	return intid;
}

#define GUEST(g, gic) REQUIRE(guest_make(&(g), (gic)) == 0)

TEST(timer_ppis_default_to_27_30_28_26)
{
	struct guest g;

	GUEST(g, false);
	EXPECT_EQ(get_ppi(g.vcpu, VTIMER), 27);
	EXPECT_EQ(get_ppi(g.vcpu, PTIMER), 30);
	EXPECT_EQ(get_ppi(g.vcpu, KVM_ARM_VCPU_TIMER_IRQ_HVTIMER), 28);
	EXPECT_EQ(get_ppi(g.vcpu, KVM_ARM_VCPU_TIMER_IRQ_HPTIMER), 26);
	guest_free(&g);
}

TEST(timer_attr_has_the_four_timers_only)
{
	struct guest g;

	GUEST(g, false);
	for (uint64_t t = 0; t < 4; t++)
		EXPECT_OK(attr_has(g.vcpu, TIMER, t));
	EXPECT_ERRNO(attr_has(g.vcpu, TIMER, 4), ENXIO);
	guest_free(&g);
}

TEST(timer_attr_set_without_irqchip_is_einval)
{
	struct guest g;

	GUEST(g, false);
	EXPECT_ERRNO(set_ppi(g.vcpu, VTIMER, 20), EINVAL);
	guest_free(&g);
}

TEST(timer_attr_set_of_a_non_ppi_is_einval)
{
	struct guest g;

	GUEST(g, true);
	EXPECT_ERRNO(set_ppi(g.vcpu, VTIMER, 15), EINVAL);
	EXPECT_ERRNO(set_ppi(g.vcpu, VTIMER, 32), EINVAL);
	EXPECT_ERRNO(set_ppi(g.vcpu, PTIMER, -1), EINVAL);
	/* checked before the attribute: an unknown timer too */
	EXPECT_ERRNO(set_ppi(g.vcpu, 7, 40), EINVAL);
	EXPECT_EQ(get_ppi(g.vcpu, VTIMER), 27);
	guest_free(&g);
}

TEST(timer_attr_unknown_timer_is_enxio)
{
	struct guest g;
	int32_t v = 0;

	GUEST(g, true);
	EXPECT_ERRNO(set_ppi(g.vcpu, 4, 20), ENXIO);
	EXPECT_ERRNO(attr_get(g.vcpu, TIMER, 4, &v), ENXIO);
	guest_free(&g);
}

TEST(vcpu_attr_unknown_group_is_enxio_and_pmu_is_enodev)
{
	struct guest g;
	int32_t v = 23;

	GUEST(g, true);
	EXPECT_ERRNO(attr_has(g.vcpu, 9, 0), ENXIO);
	EXPECT_ERRNO(attr_get(g.vcpu, 9, 0, &v), ENXIO);
	EXPECT_ERRNO(attr_has(g.vcpu, KVM_ARM_VCPU_PVTIME_CTRL, 0), ENXIO);
	EXPECT_ERRNO(attr_has(g.vcpu, KVM_ARM_VCPU_PMU_V3_CTRL, 0), ENXIO);
	EXPECT_ERRNO(attr_set(g.vcpu, KVM_ARM_VCPU_PMU_V3_CTRL, 0, &v), ENODEV);
	guest_free(&g);
}

TEST(timer_attr_bad_pointers_are_efault)
{
	struct guest g;

	GUEST(g, true);
	EXPECT_ERRNO(vkvm_ioctl(g.vcpu, KVM_SET_DEVICE_ATTR, (void *)16),
		     EFAULT);
	EXPECT_ERRNO(attr_set(g.vcpu, TIMER, VTIMER, (void *)16), EFAULT);
	EXPECT_ERRNO(attr_get(g.vcpu, TIMER, VTIMER, (void *)16), EFAULT);
	guest_free(&g);
}

/* The number is VM-wide: set on one vCPU, read on another. */
TEST(timer_ppi_is_vm_wide)
{
	struct guest g;
	int v1;

	GUEST(g, true);
	v1 = th_vcpu(g.vm, 1, TH_PSCI);
	REQUIRE(v1 >= 0);
	EXPECT_OK(set_ppi(g.vcpu, PTIMER, 18));
	EXPECT_EQ(get_ppi(v1, PTIMER), 18);
	vkvm_close(v1);
	guest_free(&g);
}

TEST(timer_ppi_moved_or_not_is_where_the_guest_takes_the_virtual_timer)
{
	static const int32_t ppis[] = { 0 /* the default: 27 */, 20 };
	struct guest g;

	for (unsigned int i = 0; i < sizeof(ppis) / sizeof(ppis[0]); i++) {
		GUEST(g, true);
		if (ppis[i])
			EXPECT_OK(set_ppi(g.vcpu, VTIMER, ppis[i]));
		EXPECT_EQ(run_vtimer_guest(&g), ppis[i] ? ppis[i] : 27);
		guest_free(&g);
	}
}

TEST(timer_attr_set_after_the_vm_ran_is_ebusy)
{
	struct guest g;

	GUEST(g, true);
	EXPECT_OK(set_ppi(g.vcpu, VTIMER, 20));
	EXPECT_EQ(run_vtimer_guest(&g), 20);
	EXPECT_ERRNO(set_ppi(g.vcpu, VTIMER, 21), EBUSY);
	EXPECT_ERRNO(set_ppi(g.vcpu, VTIMER, 20), EBUSY);
	EXPECT_EQ(get_ppi(g.vcpu, VTIMER), 20);
	guest_free(&g);
}

TEST(first_run_with_both_timers_on_one_ppi_is_einval)
{
	struct guest g;

	GUEST(g, true);
	EXPECT_OK(set_ppi(g.vcpu, PTIMER, 27));
	EXPECT_ERRNO(vkvm_ioctl(g.vcpu, KVM_RUN, 0), EINVAL);
	/* the VM has not run: the number can still be fixed */
	EXPECT_OK(set_ppi(g.vcpu, PTIMER, 30));
	EXPECT_EQ(run_vtimer_guest(&g), 27);
	guest_free(&g);
}
