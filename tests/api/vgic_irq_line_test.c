// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgic_irq_line_test.c: KVM_IRQ_LINE (spec 5.3): every type and errno,
 * the layout-2 vCPU bits, GICv2 lazy init, GICv3 EBUSY before init, and
 * the effect of an injection on the vGIC state (6.2 failure cases).
 */
#include "api/vm.h"
#include "lib/test.h"
#include "lib/vgic_util.h"

#define GICD_ISPENDR 0x200
#define GICR_ISPENDR0 0x10200
#define LEVEL_INFO(intid) (intid)

TEST(irq_line_bad_pointer_is_efault)
{
	struct tvm t = tvm_new(1);

	EXPECT_ERRNO(vkvm_ioctl(t.vm, KVM_IRQ_LINE, NULL), EFAULT);
	tvm_free(&t);
}

/* Without an irqchip: SPI and PPI ENXIO; CPU drives the vCPU's lines. */
TEST(irq_line_without_irqchip)
{
	struct tvm t = tvm_new(2);
	struct vcpu *v1 = tvm_vcpu_obj(t.vcpu_fd[1]);

	EXPECT_ERRNO(irq_line(t.vm, irq_spi(32), 1), ENXIO);
	EXPECT_ERRNO(irq_line(t.vm, irq_ppi(0, 20), 1), ENXIO);
	/* ENXIO comes before the range checks */
	EXPECT_ERRNO(irq_line(t.vm, irq_spi(5), 1), ENXIO);
	EXPECT_ERRNO(irq_line(t.vm, irq_ppi(9, 20), 1), ENXIO);
	EXPECT_OK(irq_line(t.vm, irq_cpu(1, KVM_ARM_IRQ_CPU_IRQ), 1));
	EXPECT(atomic_load(&v1->irq_line));
	EXPECT(!atomic_load(&v1->fiq_line));
	EXPECT_OK(irq_line(t.vm, irq_cpu(1, KVM_ARM_IRQ_CPU_FIQ), 7));
	EXPECT(atomic_load(&v1->fiq_line));
	EXPECT_OK(irq_line(t.vm, irq_cpu(1, KVM_ARM_IRQ_CPU_IRQ), 0));
	EXPECT(!atomic_load(&v1->irq_line));
	EXPECT(atomic_load(&v1->fiq_line));
	tvm_free(&t);
}

TEST(irq_line_cpu_unknown_vcpu_or_line_is_einval)
{
	struct tvm t = tvm_new(1);

	EXPECT_ERRNO(irq_line(t.vm, irq_cpu(1, 0), 1), EINVAL);
	EXPECT_ERRNO(irq_line(t.vm, irq_cpu(0, 2), 1), EINVAL);
	EXPECT_ERRNO(irq_line(t.vm, irq_cpu(0, 0xffff), 1), EINVAL);
	tvm_free(&t);
}

/* Layout 2: vCPU = vcpu_index + 256 * vcpu2_index, looked up by id. */
TEST(irq_line_layout2_vcpu_bits)
{
	struct tvm t = tvm_new(0);
	struct vcpu *v;

	REQUIRE(tvm_add_vcpu(&t, 300) >= 0);
	v = tvm_vcpu_obj(t.vcpu_fd[0]);
	EXPECT_EQ(irq_cpu(300, 0), (1U << 28) | (44U << 16));
	EXPECT_OK(irq_line(t.vm, irq_cpu(300, KVM_ARM_IRQ_CPU_IRQ), 1));
	EXPECT(atomic_load(&v->irq_line));
	EXPECT_ERRNO(irq_line(t.vm, irq_cpu(44, 0), 1), EINVAL);
	tvm_free(&t);

	{
		int dev = tvm_new_dev(&t, 0, KVM_DEV_TYPE_ARM_VGIC_V3);

		REQUIRE(tvm_add_vcpu(&t, 0) >= 0);
		REQUIRE(tvm_add_vcpu(&t, 257) >= 0);
		EXPECT_OK(ctrl_init(dev));
		EXPECT_OK(irq_line(t.vm, irq_ppi(257, 20), 1));
		EXPECT_ERRNO(irq_line(t.vm, irq_ppi(1, 20), 1), EINVAL);
		tvm_free_dev(&t, dev);
	}
}

/* With an irqchip, type CPU: ENXIO (before the vCPU check). */
TEST(irq_line_cpu_with_irqchip_is_enxio)
{
	for (uint32_t type = 5; type <= 7; type += 2) {
		struct tvm t;
		int dev = tvm_new_dev(&t, 1, type);

		EXPECT_ERRNO(irq_line(t.vm, irq_cpu(0, 0), 1), ENXIO);
		EXPECT_ERRNO(irq_line(t.vm, irq_cpu(5, 3), 1), ENXIO);
		tvm_free_dev(&t, dev);
	}
	{
		struct tvm t = tvm_new(1);

		EXPECT_OK(vkvm_ioctl(t.vm, KVM_CREATE_IRQCHIP, 0));
		EXPECT_ERRNO(irq_line(t.vm, irq_cpu(0, 0), 1), ENXIO);
		tvm_free(&t);
	}
}

TEST(irq_line_unknown_type_is_einval)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V2);

	for (uint32_t type = 3; type < 16; type++)
		EXPECT_ERRNO(irq_line(t.vm, type << 24 | 40, 1), EINVAL);
	tvm_free_dev(&t, dev);
	t = tvm_new(1);
	EXPECT_ERRNO(irq_line(t.vm, 3U << 24 | 40, 1), EINVAL);
	tvm_free(&t);
}

/* SPI range: 32 <= INTID < nr_irqs (spec 5.3, 6.2). */
TEST(irq_line_spi_range)
{
	static const uint32_t bad[] = { 0,    16,   31,	  64,	 1020,
					1024, 1120, 5120, 0xffff };

	for (uint32_t type = 5; type <= 7; type += 2) {
		struct tvm t;
		int dev = tvm_new_dev(&t, 1, type);

		EXPECT_OK(attr_set32(dev, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, 64));
		EXPECT_OK(ctrl_init(dev));
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			EXPECT_ERRNO(irq_line(t.vm, irq_spi(bad[i]), 1),
				     EINVAL);
		EXPECT_OK(irq_line(t.vm, irq_spi(32), 1));
		EXPECT_OK(irq_line(t.vm, irq_spi(63), 1));
		/* the vCPU fields are ignored for SPIs */
		EXPECT_OK(irq_line(t.vm, irq_spi(40) | 0xf0ff0000, 0));
		tvm_free_dev(&t, dev);
	}
}

/* PPI: 16 <= INTID <= 31 on an existing vCPU. */
TEST(irq_line_ppi_range_and_vcpu)
{
	for (uint32_t type = 5; type <= 7; type += 2) {
		struct tvm t;
		int dev = tvm_new_dev(&t, 2, type);

		EXPECT_OK(ctrl_init(dev));
		EXPECT_ERRNO(irq_line(t.vm, irq_ppi(0, 15), 1), EINVAL);
		EXPECT_ERRNO(irq_line(t.vm, irq_ppi(0, 0), 1), EINVAL);
		EXPECT_ERRNO(irq_line(t.vm, irq_ppi(0, 32), 1), EINVAL);
		EXPECT_ERRNO(irq_line(t.vm, irq_ppi(2, 20), 1), EINVAL);
		EXPECT_OK(irq_line(t.vm, irq_ppi(1, 16), 1));
		EXPECT_OK(irq_line(t.vm, irq_ppi(1, 31), 1));
		tvm_free_dev(&t, dev);
	}
}

/* GICv2 initializes lazily on injection; GICv3 is EBUSY before init. */
TEST(irq_line_v2_lazy_init)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V2);

	EXPECT_EQ(attr_get32(dev, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0), 32);
	EXPECT_OK(irq_line(t.vm, irq_spi(40), 1));
	EXPECT_EQ(attr_get32(dev, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0), 256);
	EXPECT_ERRNO(tvm_add_vcpu(&t, 1), EBUSY);
	tvm_free_dev(&t, dev);

	/* the range check happens after the lazy init */
	dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V2);
	EXPECT_ERRNO(irq_line(t.vm, irq_spi(300), 1), EINVAL);
	EXPECT_EQ(attr_get32(dev, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0), 256);
	tvm_free_dev(&t, dev);
}

TEST(irq_line_v3_before_init_is_ebusy)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V3);

	EXPECT_ERRNO(irq_line(t.vm, irq_spi(40), 1), EBUSY);
	EXPECT_ERRNO(irq_line(t.vm, irq_ppi(0, 20), 1), EBUSY);
	/* SPI INTIDs below 32 are refused before the init check */
	EXPECT_ERRNO(irq_line(t.vm, irq_spi(20), 1), EINVAL);
	EXPECT_OK(ctrl_init(dev));
	EXPECT_OK(irq_line(t.vm, irq_spi(40), 1));
	tvm_free_dev(&t, dev);
}

/* An edge SPI latches pending on level 1 (seen through ISPENDR). */
TEST(irq_line_edge_spi_latches_pending)
{
	for (uint32_t type = 5; type <= 7; type += 2) {
		struct tvm t;
		int dev = tvm_new_dev(&t, 1, type);

		EXPECT_OK(ctrl_init(dev));
		EXPECT_OK(irq_line(t.vm, irq_spi(33), 0));
		EXPECT_EQ(attr_get32(dev, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				     GICD_ISPENDR + 4),
			  0);
		EXPECT_OK(irq_line(t.vm, irq_spi(33), 1));
		EXPECT_OK(irq_line(t.vm, irq_spi(33), 0));
		EXPECT_EQ(attr_get32(dev, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				     GICD_ISPENDR + 4),
			  2);
		tvm_free_dev(&t, dev);
	}
}

/* A level PPI on GICv3 sets the line (LEVEL_INFO), not the latch. */
TEST(irq_line_level_ppi_sets_line_level_v3)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V3);

	EXPECT_OK(ctrl_init(dev));
	EXPECT_OK(irq_line(t.vm, irq_ppi(0, 20), 1));
	EXPECT_EQ(attr_get32(dev, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
			     LEVEL_INFO(0)),
		  1U << 20);
	EXPECT_EQ(attr_get32(dev, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			     GICR_ISPENDR0),
		  0);
	EXPECT_OK(irq_line(t.vm, irq_ppi(0, 20), 0));
	EXPECT_EQ(attr_get32(dev, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
			     LEVEL_INFO(0)),
		  0);
	tvm_free_dev(&t, dev);
}

/* The model's set_line callback reaches the vCPU's IRQ input (GICv2). */
TEST(injected_spi_raises_the_vcpu_irq_line_v2)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 2, KVM_DEV_TYPE_ARM_VGIC_V2);
	struct vcpu *v1 = tvm_vcpu_obj(t.vcpu_fd[1]);

	EXPECT_OK(ctrl_init(dev));
	EXPECT_OK(attr_set32(dev, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0x0, 1));
	EXPECT_OK(attr_set32(dev, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0x104,
			     1U << 8)); /* enable SPI 40 */
	EXPECT_OK(attr_set32(dev, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0x828,
			     0x2)); /* SPI 40 -> vCPU 1 */
	EXPECT_OK(attr_set32(dev, KVM_DEV_ARM_VGIC_GRP_CPU_REGS,
			     v2_cpu_attr(1) | 0x0, 1));
	EXPECT_OK(attr_set32(dev, KVM_DEV_ARM_VGIC_GRP_CPU_REGS,
			     v2_cpu_attr(1) | 0x4, 0x1f));
	EXPECT(!atomic_load(&v1->irq_line));
	EXPECT_OK(irq_line(t.vm, irq_spi(40), 1));
	EXPECT(atomic_load(&v1->irq_line));
	EXPECT(!atomic_load(&tvm_vcpu_obj(t.vcpu_fd[0])->irq_line));
	tvm_free_dev(&t, dev);
}

/* ... and on GICv3 through a routed, group-1 SPI. */
TEST(injected_spi_raises_the_vcpu_irq_line_v3)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 2, KVM_DEV_TYPE_ARM_VGIC_V3);
	struct vcpu *v1 = tvm_vcpu_obj(t.vcpu_fd[1]);

	EXPECT_OK(ctrl_init(dev));
	EXPECT_OK(attr_set32(dev, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0x0, 2));
	EXPECT_OK(attr_set32(dev, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0x104,
			     1U << 8));
	EXPECT_OK(attr_set32(dev, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
			     0x6000 + 8 * 40, 1)); /* Aff0 1 = vCPU 1 */
	EXPECT_OK(attr_set64(dev, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
			     v3_mpidr_attr(1) | 0xc667, 1)); /* IGRPEN1 */
	EXPECT_OK(attr_set64(dev, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
			     v3_mpidr_attr(1) | 0xc230, 0xf0)); /* PMR */
	EXPECT(!atomic_load(&v1->irq_line));
	EXPECT_OK(irq_line(t.vm, irq_spi(40), 1));
	EXPECT(atomic_load(&v1->irq_line));
	tvm_free_dev(&t, dev);
}
