// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgic_attr_test.c: the attribute groups of spec 3.6-3.8 on both models:
 * unknown groups, NR_IRQS, CTRL, register groups (vCPU lookup, EFAULT,
 * busy vCPUs, implicit GICv2 init, GICv3 before init), CPU_SYSREGS,
 * LEVEL_INFO, MAINT_IRQ, and VI-13.
 */
#include <pthread.h>

#include "api/vm.h"
#include "lib/test.h"
#include "lib/vgic_util.h"

#define GRP_DIST KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define GRP_CPU KVM_DEV_ARM_VGIC_GRP_CPU_REGS
#define GRP_REDIST KVM_DEV_ARM_VGIC_GRP_REDIST_REGS
#define GRP_SYSREGS KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS
#define GRP_LEVEL KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO
#define GRP_NR_IRQS KVM_DEV_ARM_VGIC_GRP_NR_IRQS
#define GRP_CTRL KVM_DEV_ARM_VGIC_GRP_CTRL
#define GRP_MAINT KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ

#define GICD_CTLR 0x0
#define GICD_IIDR 0x8
#define GICD_TYPER2 0xc
#define GICD_ISENABLER 0x100
#define GICR_TYPER 0x8
#define GICR_ISENABLER0 0x10100
#define ICC_PMR_EL1 0xc230
#define ICC_CTLR_EL1 0xc664
#define ICC_SRE_EL1 0xc665
#define LEVEL_INFO(type, intid) \
	((uint64_t)(type) << KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT | (intid))

static void expect_group_enxio(int dev, uint32_t group, uint64_t attr)
{
	uint64_t v = 0;

	EXPECT_ERRNO(attr_has(dev, group, attr), ENXIO);
	EXPECT_ERRNO(attr_set(dev, group, attr, &v), ENXIO);
	EXPECT_ERRNO(attr_get(dev, group, attr, &v), ENXIO);
}

/* Spec 3.1/3.8: groups the model does not have: ENXIO. */
TEST(unknown_groups_are_enxio_v2)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V2);

	expect_group_enxio(dev, GRP_REDIST, 0);
	expect_group_enxio(dev, GRP_SYSREGS, ICC_PMR_EL1);
	expect_group_enxio(dev, GRP_LEVEL, 32);
	expect_group_enxio(dev, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0);
	expect_group_enxio(dev, GRP_MAINT, 0);
	expect_group_enxio(dev, 10, 0);
	expect_group_enxio(dev, 0xffffffffu, 0);
	tvm_free_dev(&t, dev);
}

TEST(unknown_groups_are_enxio_v3)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V3);

	expect_group_enxio(dev, GRP_CPU, 0);
	expect_group_enxio(dev, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0);
	expect_group_enxio(dev, 10, 0);
	expect_group_enxio(dev, 0xffffffffu, 0);
	tvm_free_dev(&t, dev);
}

/* Spec 3.6: NR_IRQS value rules, on both models. */
TEST(nr_irqs_range_and_alignment)
{
	for (uint32_t type = 5; type <= 7; type += 2) {
		struct tvm t;
		int dev = tvm_new_dev(&t, 1, type);

		EXPECT_OK(attr_has(dev, GRP_NR_IRQS, 0));
		EXPECT_OK(attr_has(dev, GRP_NR_IRQS, 12345));
		EXPECT_EQ(attr_get32(dev, GRP_NR_IRQS, 0), 32);
		EXPECT_ERRNO(attr_set32(dev, GRP_NR_IRQS, 0, 32), EINVAL);
		EXPECT_ERRNO(attr_set32(dev, GRP_NR_IRQS, 0, 0), EINVAL);
		EXPECT_ERRNO(attr_set32(dev, GRP_NR_IRQS, 0, 1024), EINVAL);
		EXPECT_ERRNO(attr_set32(dev, GRP_NR_IRQS, 0, 100), EINVAL);
		EXPECT_ERRNO(attr_set32(dev, GRP_NR_IRQS, 0, 0xffffffe0u),
			     EINVAL);
		EXPECT_OK(attr_set32(dev, GRP_NR_IRQS, 0, 992));
		EXPECT_EQ(attr_get32(dev, GRP_NR_IRQS, 0), 992);
		tvm_free_dev(&t, dev);
	}
}

TEST(nr_irqs_second_set_is_ebusy)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V3);

	EXPECT_OK(attr_set32(dev, GRP_NR_IRQS, 0, 64));
	EXPECT_ERRNO(attr_set32(dev, GRP_NR_IRQS, 0, 64), EBUSY);
	EXPECT_ERRNO(attr_set32(dev, GRP_NR_IRQS, 0, 128), EBUSY);
	/* value check first: EINVAL even when set */
	EXPECT_ERRNO(attr_set32(dev, GRP_NR_IRQS, 0, 33), EINVAL);
	EXPECT_EQ(attr_get32(dev, GRP_NR_IRQS, 0), 64);
	tvm_free_dev(&t, dev);
}

TEST(nr_irqs_after_default_init_is_256_and_ebusy)
{
	for (uint32_t type = 5; type <= 7; type += 2) {
		struct tvm t;
		int dev = tvm_new_dev(&t, 1, type);

		EXPECT_OK(ctrl_init(dev));
		EXPECT_EQ(attr_get32(dev, GRP_NR_IRQS, 0), 256);
		EXPECT_ERRNO(attr_set32(dev, GRP_NR_IRQS, 0, 128), EBUSY);
		tvm_free_dev(&t, dev);
	}
}

TEST(nr_irqs_bad_pointer_is_efault)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V2);

	EXPECT_ERRNO(attr_set(dev, GRP_NR_IRQS, 0, NULL), EFAULT);
	EXPECT_ERRNO(attr_get(dev, GRP_NR_IRQS, 0, NULL), EFAULT);
	tvm_free_dev(&t, dev);
}

/* Spec 3.7: INIT is idempotent and ignores addr; HAS INIT is 0. */
TEST(ctrl_init_twice_is_ok)
{
	for (uint32_t type = 5; type <= 7; type += 2) {
		struct tvm t;
		int dev = tvm_new_dev(&t, 1, type);

		EXPECT_OK(attr_has(dev, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT));
		EXPECT_OK(ctrl_init(dev));
		EXPECT_OK(ctrl_init(dev));
		tvm_free_dev(&t, dev);
	}
}

/* Spec 3.7: the ITS attrs and unknown ones: ENXIO; GET has no CTRL. */
TEST(ctrl_unknown_attrs_are_enxio)
{
	for (uint32_t type = 5; type <= 7; type += 2) {
		struct tvm t;
		int dev = tvm_new_dev(&t, 1, type);
		static const uint64_t bad[] = { KVM_DEV_ARM_ITS_SAVE_TABLES,
						KVM_DEV_ARM_ITS_RESTORE_TABLES,
						KVM_DEV_ARM_ITS_CTRL_RESET, 5,
						~0ULL };
		uint32_t v = 0;

		for (int i = 0; i < 5; i++) {
			EXPECT_ERRNO(attr_has(dev, GRP_CTRL, bad[i]), ENXIO);
			EXPECT_ERRNO(attr_set(dev, GRP_CTRL, bad[i], NULL),
				     ENXIO);
		}
		EXPECT_ERRNO(attr_get(dev, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT,
				      &v),
			     ENXIO);
		tvm_free_dev(&t, dev);
	}
}

TEST(save_pending_tables_on_v2_is_enxio)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V2);

	EXPECT_ERRNO(attr_has(dev, GRP_CTRL,
			      KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES),
		     ENXIO);
	EXPECT_OK(ctrl_init(dev));
	EXPECT_ERRNO(attr_set(dev, GRP_CTRL,
			      KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES, NULL),
		     ENXIO);
	tvm_free_dev(&t, dev);
}

TEST(save_pending_tables_v3_enxio_before_init_ebusy_busy)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 2, KVM_DEV_TYPE_ARM_VGIC_V3);
	struct vcpu *v = tvm_vcpu_obj(t.vcpu_fd[1]);

	EXPECT_OK(
		attr_has(dev, GRP_CTRL, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES));
	EXPECT_ERRNO(attr_set(dev, GRP_CTRL,
			      KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES, NULL),
		     ENXIO);
	EXPECT_OK(ctrl_init(dev));
	EXPECT_OK(attr_set(dev, GRP_CTRL, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
			   NULL));
	pthread_mutex_lock(&v->mutex);
	EXPECT_ERRNO(attr_set(dev, GRP_CTRL,
			      KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES, NULL),
		     EBUSY);
	pthread_mutex_unlock(&v->mutex);
	tvm_free_dev(&t, dev);
}

/* Spec 3.8.1 step 1 / V7: GICv2 attrs name vCPUs by id, not index. */
TEST(v2_regs_look_up_vcpu_by_id)
{
	struct tvm t = tvm_new(0);
	int dev;
	uint32_t v = 0;

	REQUIRE(tvm_add_vcpu(&t, 0) >= 0);
	REQUIRE(tvm_add_vcpu(&t, 5) >= 0);
	dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V2, 0);
	REQUIRE(dev > 0);
	EXPECT_OK(attr_has(dev, GRP_CPU, v2_cpu_attr(5)));
	EXPECT_OK(attr_get(dev, GRP_CPU, v2_cpu_attr(5), &v));
	EXPECT_ERRNO(attr_has(dev, GRP_CPU, v2_cpu_attr(1)), EINVAL);
	EXPECT_ERRNO(attr_get(dev, GRP_CPU, v2_cpu_attr(1), &v), EINVAL);
	EXPECT_ERRNO(attr_set(dev, GRP_DIST, v2_cpu_attr(1), &v), EINVAL);
	EXPECT_ERRNO(attr_has(dev, GRP_DIST, v2_cpu_attr(2) | GICD_CTLR),
		     EINVAL);
	/* only bits 39:32 name the vCPU */
	EXPECT_OK(attr_has(dev, GRP_CPU, v2_cpu_attr(5) | 0xff00000000000000));
	tvm_free_dev(&t, dev);
}

/* Spec 3.8.1 step 2 / 6. */
TEST(v2_regs_bad_pointer_is_efault)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V2);

	EXPECT_ERRNO(attr_set(dev, GRP_DIST, GICD_CTLR, NULL), EFAULT);
	EXPECT_ERRNO(attr_get(dev, GRP_DIST, GICD_CTLR, NULL), EFAULT);
	EXPECT_ERRNO(attr_set(dev, GRP_CPU, 0, NULL), EFAULT);
	EXPECT_ERRNO(attr_get(dev, GRP_CPU, 0, NULL), EFAULT);
	tvm_free_dev(&t, dev);
}

/* Spec 3.8.1 step 1 before 2: an unknown vCPU wins over a bad pointer. */
TEST(v2_regs_unknown_vcpu_before_efault)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V2);

	EXPECT_ERRNO(attr_set(dev, GRP_CPU, v2_cpu_attr(3), NULL), EINVAL);
	tvm_free_dev(&t, dev);
}

/* Spec 3.8.1 step 3 / 3.8.2 step 3: a busy vCPU: EBUSY (any vCPU). */
TEST(regs_with_busy_vcpu_are_ebusy)
{
	for (uint32_t type = 5; type <= 7; type += 2) {
		struct tvm t;
		int dev = tvm_new_dev(&t, 2, type);
		struct vcpu *v = tvm_vcpu_obj(t.vcpu_fd[1]);
		uint32_t val = 0;
		uint64_t v64 = 0;

		if (type == KVM_DEV_TYPE_ARM_VGIC_V3)
			EXPECT_OK(ctrl_init(dev));
		pthread_mutex_lock(&v->mutex);
		EXPECT_ERRNO(attr_get(dev, GRP_DIST, GICD_CTLR, &val), EBUSY);
		EXPECT_ERRNO(attr_set(dev, GRP_DIST, GICD_CTLR, &val), EBUSY);
		if (type == KVM_DEV_TYPE_ARM_VGIC_V2) {
			EXPECT_ERRNO(attr_get(dev, GRP_CPU, 0, &val), EBUSY);
		} else {
			EXPECT_ERRNO(attr_get(dev, GRP_REDIST,
					      v3_mpidr_attr(0) | GICR_TYPER,
					      &val),
				     EBUSY);
			EXPECT_ERRNO(attr_get(dev, GRP_SYSREGS,
					      v3_mpidr_attr(0) | ICC_PMR_EL1,
					      &v64),
				     EBUSY);
			EXPECT_ERRNO(attr_get(dev, GRP_LEVEL,
					      v3_mpidr_attr(0) |
						      LEVEL_INFO(0, 32),
					      &val),
				     EBUSY);
		}
		/* HAS does not lock the vCPUs */
		EXPECT_OK(attr_has(dev, GRP_DIST, GICD_CTLR));
		pthread_mutex_unlock(&v->mutex);
		EXPECT_OK(attr_get(dev, GRP_DIST, GICD_CTLR, &val));
		tvm_free_dev(&t, dev);
	}
}

/* Spec 3.8.1 step 4: a GICv2 register access initializes the vGIC. */
TEST(v2_user_access_initializes)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V2);

	/* HAS does not initialize */
	EXPECT_OK(attr_has(dev, GRP_DIST, GICD_CTLR));
	EXPECT_EQ(attr_get32(dev, GRP_NR_IRQS, 0), 32);
	EXPECT(tvm_add_vcpu(&t, 1) >= 0);
	EXPECT_EQ(attr_get32(dev, GRP_DIST, GICD_CTLR), 0);
	EXPECT_EQ(attr_get32(dev, GRP_NR_IRQS, 0), 256);
	EXPECT_ERRNO(tvm_add_vcpu(&t, 2), EBUSY);
	tvm_free_dev(&t, dev);
}

/* Spec 3.8.1 step 5: offsets with no register read 0, writes ignored. */
TEST(v2_regs_unknown_offset_reads_zero_has_enxio)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V2);

	EXPECT_OK(attr_set32(dev, GRP_DIST, 0xfc0, 0xffffffff));
	EXPECT_EQ(attr_get32(dev, GRP_DIST, 0xfc0), 0);
	EXPECT_ERRNO(attr_has(dev, GRP_DIST, 0xfc0), ENXIO);
	EXPECT_EQ(attr_get32(dev, GRP_CPU, 0x1000), 0);
	EXPECT_ERRNO(attr_has(dev, GRP_CPU, 0x1000), ENXIO);
	EXPECT_ERRNO(attr_has(dev, GRP_CPU, 0xfffffff0), ENXIO);
	EXPECT_OK(attr_has(dev, GRP_CPU, 0));
	tvm_free_dev(&t, dev);
}

/* Spec 3.8.2 step 1: v3 DIST_REGS needs vCPU 0; others an MPIDR. */
TEST(v3_regs_unknown_vcpu_is_einval)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 0, KVM_DEV_TYPE_ARM_VGIC_V3);
	uint32_t v = 0;
	uint64_t v64 = 0;

	EXPECT_ERRNO(attr_get(dev, GRP_DIST, GICD_CTLR, &v), EINVAL);
	EXPECT_ERRNO(attr_has(dev, GRP_DIST, GICD_CTLR), EINVAL);
	EXPECT(tvm_add_vcpu(&t, 0) >= 0);
	EXPECT_OK(ctrl_init(dev));
	/* DIST_REGS ignores the MPIDR field */
	EXPECT_OK(attr_get(dev, GRP_DIST, v3_mpidr_attr(7) | GICD_CTLR, &v));
	EXPECT_ERRNO(attr_get(dev, GRP_REDIST, v3_mpidr_attr(1) | GICR_TYPER,
			      &v),
		     EINVAL);
	EXPECT_ERRNO(attr_has(dev, GRP_REDIST, v3_mpidr_attr(1) | GICR_TYPER),
		     EINVAL);
	EXPECT_ERRNO(attr_get(dev, GRP_SYSREGS, v3_mpidr_attr(1) | ICC_PMR_EL1,
			      &v64),
		     EINVAL);
	EXPECT_ERRNO(attr_has(dev, GRP_SYSREGS, v3_mpidr_attr(1) | ICC_PMR_EL1),
		     EINVAL);
	EXPECT_ERRNO(attr_get(dev, GRP_LEVEL,
			      v3_mpidr_attr(1) | LEVEL_INFO(0, 32), &v),
		     EINVAL);
	EXPECT_ERRNO(attr_has(dev, GRP_LEVEL,
			      v3_mpidr_attr(1) | LEVEL_INFO(0, 32)),
		     EINVAL);
	tvm_free_dev(&t, dev);
}

/* Spec 1.5: the v3 attr MPIDR uses Aff1 for ids >= 16. */
TEST(v3_regs_find_vcpu_by_affinity)
{
	struct tvm t = tvm_new(0);
	int dev;
	uint32_t v = 0;

	REQUIRE(tvm_add_vcpu(&t, 0) >= 0);
	REQUIRE(tvm_add_vcpu(&t, 17) >= 0);
	dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0);
	REQUIRE(dev > 0);
	EXPECT_OK(ctrl_init(dev));
	EXPECT_EQ(v3_mpidr_attr(17), 0x0000010100000000ULL);
	EXPECT_OK(
		attr_get(dev, GRP_REDIST, v3_mpidr_attr(17) | GICR_TYPER, &v));
	EXPECT_EQ(v, 17 * 0x100);
	EXPECT_ERRNO(attr_get(dev, GRP_REDIST, (17ULL << 32) | GICR_TYPER, &v),
		     EINVAL);
	tvm_free_dev(&t, dev);
}

/* Spec 3.8.2 step 4 (newest, V2): before init only IIDR/TYPER2. */
TEST(v3_regs_before_init_are_ebusy_except_iidr_typer2)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V3);
	uint32_t v = 0;
	uint64_t v64 = 0;

	EXPECT_ERRNO(attr_get(dev, GRP_DIST, GICD_CTLR, &v), EBUSY);
	EXPECT_ERRNO(attr_set(dev, GRP_DIST, GICD_CTLR, &v), EBUSY);
	EXPECT_ERRNO(attr_get(dev, GRP_DIST, 0x4, &v), EBUSY);
	EXPECT_ERRNO(attr_get(dev, GRP_REDIST, v3_mpidr_attr(0) | GICR_TYPER,
			      &v),
		     EBUSY);
	EXPECT_ERRNO(attr_get(dev, GRP_SYSREGS, v3_mpidr_attr(0) | ICC_PMR_EL1,
			      &v64),
		     EBUSY);
	EXPECT_ERRNO(attr_get(dev, GRP_LEVEL,
			      v3_mpidr_attr(0) | LEVEL_INFO(0, 32), &v),
		     EBUSY);
	EXPECT_EQ(attr_get32(dev, GRP_DIST, GICD_IIDR), 0x4B00343B);
	EXPECT_OK(attr_get(dev, GRP_DIST, GICD_TYPER2, &v));
	/* HAS is not gated by init */
	EXPECT_OK(attr_has(dev, GRP_DIST, GICD_CTLR));
	EXPECT_OK(attr_has(dev, GRP_REDIST, v3_mpidr_attr(0) | GICR_TYPER));
	EXPECT_OK(attr_has(dev, GRP_SYSREGS, v3_mpidr_attr(0) | ICC_PMR_EL1));
	/* and GICv3 never initializes implicitly */
	EXPECT(tvm_add_vcpu(&t, 1) >= 0);
	tvm_free_dev(&t, dev);
}

/* VI-13 test_v3_nassgicap. */
TEST(vi13_v3_nassgicap)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 4, KVM_DEV_TYPE_ARM_VGIC_V3);
	uint32_t typer2 = 0, cap = 1U << 8;
	int ret;

	EXPECT_OK(attr_get(dev, GRP_DIST, GICD_TYPER2, &typer2));
	errno = 0;
	ret = attr_set32(dev, GRP_DIST, GICD_TYPER2, typer2 | cap);
	EXPECT(ret == 0 || errno == EINVAL);
	EXPECT_OK(attr_set32(dev, GRP_DIST, GICD_TYPER2, typer2 & ~cap));
	EXPECT_OK(ctrl_init(dev));
	typer2 = attr_get32(dev, GRP_DIST, GICD_TYPER2);
	EXPECT_ERRNO(attr_set32(dev, GRP_DIST, GICD_TYPER2, typer2 ^ cap),
		     EBUSY);
	tvm_free_dev(&t, dev);
}

TEST(v3_regs_bad_pointer_is_efault)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V3);

	EXPECT_OK(ctrl_init(dev));
	EXPECT_ERRNO(attr_set(dev, GRP_DIST, GICD_CTLR, NULL), EFAULT);
	EXPECT_ERRNO(attr_get(dev, GRP_DIST, GICD_CTLR, NULL), EFAULT);
	EXPECT_ERRNO(attr_get(dev, GRP_REDIST, GICR_TYPER, NULL), EFAULT);
	EXPECT_ERRNO(attr_set(dev, GRP_SYSREGS, ICC_PMR_EL1, NULL), EFAULT);
	EXPECT_ERRNO(attr_get(dev, GRP_SYSREGS, ICC_PMR_EL1, NULL), EFAULT);
	EXPECT_ERRNO(attr_get(dev, GRP_LEVEL, LEVEL_INFO(0, 32), NULL), EFAULT);
	tvm_free_dev(&t, dev);
}

/* Spec 3.8.2 HAS: per-IRQ registers only below nr_irqs. */
TEST(v3_has_dist_spi_regs_follow_nr_irqs)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V3);

	EXPECT_ERRNO(attr_has(dev, GRP_DIST, GICD_ISENABLER + 4), ENXIO);
	EXPECT_OK(attr_set32(dev, GRP_NR_IRQS, 0, 64));
	EXPECT_OK(attr_has(dev, GRP_DIST, GICD_ISENABLER + 4));
	EXPECT_ERRNO(attr_has(dev, GRP_DIST, GICD_ISENABLER + 8), ENXIO);
	EXPECT_ERRNO(attr_has(dev, GRP_DIST, GICD_CTLR + 2), ENXIO);
	EXPECT_OK(attr_has(dev, GRP_REDIST, GICR_ISENABLER0));
	EXPECT_ERRNO(attr_has(dev, GRP_REDIST, 0x30000), ENXIO);
	tvm_free_dev(&t, dev);
}

/* Spec 3.8 / 7.5: CPU_SYSREGS values are u64 buffers, all 8 bytes. */
TEST(v3_sysregs_use_u64_buffers)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V3);
	uint64_t v = ~0ULL;

	EXPECT_OK(ctrl_init(dev));
	EXPECT_OK(attr_get(dev, GRP_SYSREGS, ICC_SRE_EL1, &v));
	EXPECT_EQ(v, 7);
	EXPECT_OK(attr_set64(dev, GRP_SYSREGS, ICC_PMR_EL1, 0xf0));
	v = ~0ULL;
	EXPECT_OK(attr_get(dev, GRP_SYSREGS, ICC_PMR_EL1, &v));
	EXPECT_EQ(v, 0xf0);
	tvm_free_dev(&t, dev);
}

/* Spec 3.8.2 / V5: an unknown ICC register: ENOENT on GET/SET, ENXIO HAS. */
TEST(v3_sysregs_unknown_is_enoent_has_enxio)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V3);
	uint64_t v = 0;

	EXPECT_OK(ctrl_init(dev));
	EXPECT_ERRNO(attr_get(dev, GRP_SYSREGS, 0xc000, &v), ENOENT);
	EXPECT_ERRNO(attr_set(dev, GRP_SYSREGS, 0xc000, &v), ENOENT);
	EXPECT_ERRNO(attr_has(dev, GRP_SYSREGS, 0xc000), ENXIO);
	EXPECT_OK(attr_has(dev, GRP_SYSREGS, ICC_CTLR_EL1));
	tvm_free_dev(&t, dev);
}

/* Spec 7.5: ICC_SRE_EL1 write without SRE: EINVAL. */
TEST(v3_sysregs_bad_value_is_einval)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V3);

	EXPECT_OK(ctrl_init(dev));
	EXPECT_ERRNO(attr_set64(dev, GRP_SYSREGS, ICC_SRE_EL1, 0), EINVAL);
	EXPECT_OK(attr_set64(dev, GRP_SYSREGS, ICC_SRE_EL1, 7));
	tvm_free_dev(&t, dev);
}

/* Spec 3.8.2 LEVEL_INFO: info type != 0 or unaligned INTID: EINVAL. */
TEST(v3_level_info_bad_type_or_intid_is_einval)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V3);
	uint32_t v = 0;

	EXPECT_OK(ctrl_init(dev));
	EXPECT_ERRNO(attr_get(dev, GRP_LEVEL, LEVEL_INFO(1, 32), &v), EINVAL);
	EXPECT_ERRNO(attr_set(dev, GRP_LEVEL, LEVEL_INFO(1, 32), &v), EINVAL);
	EXPECT_ERRNO(attr_get(dev, GRP_LEVEL, LEVEL_INFO(0, 33), &v), EINVAL);
	EXPECT_ERRNO(attr_set(dev, GRP_LEVEL, LEVEL_INFO(0, 40), &v), EINVAL);
	EXPECT_ERRNO(attr_has(dev, GRP_LEVEL, LEVEL_INFO(1, 0)), ENXIO);
	EXPECT_OK(attr_has(dev, GRP_LEVEL, LEVEL_INFO(0, 0)));
	/* an INTID beyond nr_irqs below 1024 is accepted silently (6.2) */
	EXPECT_OK(attr_set32(dev, GRP_LEVEL, LEVEL_INFO(0, 992), 0xffffffff));
	EXPECT_OK(attr_get(dev, GRP_LEVEL, LEVEL_INFO(0, 992), &v));
	EXPECT_EQ(v, 0);
	tvm_free_dev(&t, dev);
}

/* Spec 3.8.3 (newest, V11): MAINT_IRQ. */
TEST(v3_maint_irq_ppi_before_init)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V3);

	EXPECT_OK(attr_has(dev, GRP_MAINT, 0));
	EXPECT_EQ(attr_get32(dev, GRP_MAINT, 0), 0);
	EXPECT_ERRNO(attr_set32(dev, GRP_MAINT, 0, 15), EINVAL);
	EXPECT_ERRNO(attr_set32(dev, GRP_MAINT, 0, 32), EINVAL);
	EXPECT_ERRNO(attr_set(dev, GRP_MAINT, 0, NULL), EFAULT);
	EXPECT_OK(attr_set32(dev, GRP_MAINT, 0, 25));
	EXPECT_EQ(attr_get32(dev, GRP_MAINT, 0), 25);
	EXPECT_OK(ctrl_init(dev));
	EXPECT_ERRNO(attr_set32(dev, GRP_MAINT, 0, 20), EBUSY);
	EXPECT_EQ(attr_get32(dev, GRP_MAINT, 0), 25);
	tvm_free_dev(&t, dev);
}
