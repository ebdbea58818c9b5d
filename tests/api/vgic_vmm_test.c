// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgic_vmm_test.c: the vGIC creation sequences real VMMs use (spec 8):
 * kvmtool (device and legacy paths), QEMU GICv2 and GICv3, Firecracker and
 * cloud-hypervisor.  Every call must succeed, in this order, and the VM
 * must then pass the first-run checks.
 */
#include "lib/test.h"
#include "lib/vgic_util.h"

#define NR_CPUS 4
#define GRP_ADDR KVM_DEV_ARM_VGIC_GRP_ADDR
#define GRP_NR_IRQS KVM_DEV_ARM_VGIC_GRP_NR_IRQS
#define GRP_CTRL KVM_DEV_ARM_VGIC_GRP_CTRL
#define GRP_DIST KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define GICD_CTLR 0x0
#define GICD_TYPER 0x4
#define GICD_IIDR 0x8
#define GICR_TYPER 0x8
#define ICC_CTLR_EL1 0xc664

/* The first run passes the vGIC checks (the engine may be a stub). */
static void expect_runs(struct tvm *t)
{
	int ret;

	errno = 0;
	ret = tvm_run(t, 0);
	EXPECT(ret == 0 ||
	       (errno != ENXIO && errno != EINVAL && errno != EBUSY));
}

/* kvmtool: align32(lines) + 32 interrupts, INIT if advertised. */
static void kvmtool_late_init(int dev, uint32_t lines)
{
	if (attr_has(dev, GRP_NR_IRQS, 0) == 0)
		EXPECT_OK(attr_set32(dev, GRP_NR_IRQS, 0,
				     ((lines + 31) & ~31U) + 32));
	if (attr_has(dev, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT) == 0)
		EXPECT_OK(ctrl_init(dev));
}

/* kvmtool: edge interrupts as a high-low pair of SPI lines. */
static void kvmtool_pulse(int vm, uint32_t intid)
{
	EXPECT_OK(irq_line(vm, 1U << 24 | intid, 1));
	EXPECT_OK(irq_line(vm, 1U << 24 | intid, 0));
}

TEST(kvmtool_gicv2_device)
{
	struct tvm t = tvm_new(NR_CPUS);
	int dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V2, 0);

	REQUIRE(dev > 0);
	EXPECT_OK(attr_set64(dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_CPU,
			     0x3ffd0000));
	EXPECT_OK(attr_set64(dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST,
			     0x3fff0000));
	kvmtool_late_init(dev, 64);
	kvmtool_pulse(t.vm, 40);
	expect_runs(&t);
	vkvm_close(dev);
	tvm_free(&t);
}

TEST(kvmtool_gicv3_device)
{
	struct tvm t = tvm_new(NR_CPUS);
	int dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0);
	uint64_t dist = 0x3fff0000;

	REQUIRE(dev > 0);
	EXPECT_OK(attr_set64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST,
			     dist - NR_CPUS * 0x20000));
	EXPECT_OK(attr_set64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, dist));
	kvmtool_late_init(dev, 64);
	kvmtool_pulse(t.vm, 40);
	expect_runs(&t);
	vkvm_close(dev);
	tvm_free(&t);
}

TEST(kvmtool_gicv2_legacy_irqchip)
{
	struct tvm t = tvm_new(NR_CPUS);
	struct kvm_arm_device_addr dist = { .id = 0, .addr = 0x3fff0000 };
	struct kvm_arm_device_addr cpu = { .id = 1, .addr = 0x3ffd0000 };

	EXPECT_OK(vkvm_ioctl(t.vm, KVM_CREATE_IRQCHIP, 0));
	EXPECT_OK(vkvm_ioctl(t.vm, KVM_ARM_SET_DEVICE_ADDR, &dist));
	EXPECT_OK(vkvm_ioctl(t.vm, KVM_ARM_SET_DEVICE_ADDR, &cpu));
	kvmtool_pulse(t.vm, 40);
	expect_runs(&t);
	tvm_free(&t);
}

/* QEMU's sanity reads at realize/reset time (spec 8.2, 8.4). */
static void qemu_v3_probe(int dev)
{
	uint32_t typer = attr_get32(dev, GRP_DIST, GICD_TYPER);
	uint64_t ctlr = 0;

	EXPECT_EQ(((typer & 0x1f) + 1) * 32, 288);
	attr_get32(dev, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
		   v3_mpidr_attr(0) | GICR_TYPER);
	attr_get32(dev, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
		   v3_mpidr_attr(0) | (GICR_TYPER + 4));
	EXPECT_OK(attr_get(dev, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
			   v3_mpidr_attr(0) | ICC_CTLR_EL1, &ctlr));
}

TEST(qemu_gicv3_two_redist_regions)
{
	struct tvm t = tvm_new(NR_CPUS);
	int dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0);

	REQUIRE(dev > 0);
	EXPECT_OK(attr_has(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION));
	EXPECT_OK(attr_set32(dev, GRP_NR_IRQS, 0, 288));
	EXPECT_OK(ctrl_init(dev));
	/* addresses at machine-init-done, after CTRL_INIT */
	EXPECT_OK(attr_set64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST,
			     0x08000000));
	EXPECT_OK(attr_set64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
			     rdist_region(2, 0x080a0000, 0, 0)));
	EXPECT_OK(attr_set64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
			     rdist_region(2, 0x100000000ULL, 0, 1)));
	qemu_v3_probe(dev);
	if (attr_has(dev, GRP_CTRL, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES) == 0)
		EXPECT_OK(attr_set(dev, GRP_CTRL,
				   KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES, NULL));
	expect_runs(&t);
	vkvm_close(dev);
	tvm_free(&t);
}

TEST(qemu_gicv3_single_legacy_region)
{
	struct tvm t = tvm_new(NR_CPUS);
	int dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0);

	REQUIRE(dev > 0);
	EXPECT_OK(attr_set32(dev, GRP_NR_IRQS, 0, 288));
	EXPECT_OK(ctrl_init(dev));
	EXPECT_OK(attr_set64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST,
			     0x08000000));
	EXPECT_OK(attr_set64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST,
			     0x080a0000));
	qemu_v3_probe(dev);
	expect_runs(&t);
	vkvm_close(dev);
	tvm_free(&t);
}

TEST(qemu_gicv2)
{
	struct tvm t = tvm_new(NR_CPUS);
	int dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V2, 0);
	uint32_t typer;

	REQUIRE(dev > 0);
	if (attr_has(dev, GRP_NR_IRQS, 0) == 0)
		EXPECT_OK(attr_set32(dev, GRP_NR_IRQS, 0, 288));
	if (attr_has(dev, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT) == 0)
		EXPECT_OK(ctrl_init(dev));
	EXPECT_OK(attr_set64(dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST,
			     0x08000000));
	EXPECT_OK(attr_set64(dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_CPU,
			     0x08010000));
	/* the reset "put" starts with GICD_CTLR and checks GICD_TYPER */
	EXPECT_OK(attr_set32(dev, GRP_DIST, GICD_CTLR, 0));
	typer = attr_get32(dev, GRP_DIST, GICD_TYPER);
	EXPECT_EQ(((typer & 0x1f) + 1) * 32, 288);
	EXPECT_EQ(((typer >> 5) & 7) + 1, NR_CPUS);
	attr_get32(dev, GRP_DIST, GICD_IIDR);
	expect_runs(&t);
	vkvm_close(dev);
	tvm_free(&t);
}

/*
 * Firecracker (8.5) and cloud-hypervisor (8.6): DIST, legacy REDIST below
 * it, NR_IRQS, CTRL_INIT; a save starts with SAVE_PENDING_TABLES.
 */
static void dist_then_legacy_redist_v3(uint64_t dist, uint32_t nr_irqs)
{
	struct tvm t = tvm_new(NR_CPUS);
	int dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0);

	REQUIRE(dev > 0);
	EXPECT_OK(attr_set64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, dist));
	EXPECT_OK(attr_set64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST,
			     dist - NR_CPUS * 0x20000));
	EXPECT_OK(attr_set32(dev, GRP_NR_IRQS, 0, nr_irqs));
	EXPECT_OK(ctrl_init(dev));
	EXPECT_OK(attr_set(dev, GRP_CTRL, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
			   NULL));
	expect_runs(&t);
	vkvm_close(dev);
	tvm_free(&t);
}

TEST(firecracker_gicv3)
{
	dist_then_legacy_redist_v3(0x40000000 - 0x10000, 128);
}

TEST(cloud_hypervisor_gicv3)
{
	dist_then_legacy_redist_v3(0x9000000 - 0x10000, 256);
}
