// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgic_create_test.c: creating the vGIC: KVM_CREATE_DEVICE and its device
 * fd (spec 3.1), the vGIC create checks (3.2), KVM_CREATE_IRQCHIP (3.10),
 * KVM_ARM_SET_DEVICE_ADDR (2.2), capabilities (1.4) and VI-1.
 */
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include "api/vm.h"
#include "lib/test.h"
#include "lib/vgic_util.h"

static const uint32_t models[] = { KVM_DEV_TYPE_ARM_VGIC_V2,
				   KVM_DEV_TYPE_ARM_VGIC_V3 };

TEST(caps_irqchip_device_ctrl_layout2_are_advertised)
{
	struct tvm t = tvm_new(0);

	EXPECT_EQ(vkvm_ioctl(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP), 1);
	EXPECT_EQ(vkvm_ioctl(t.vm, KVM_CHECK_EXTENSION,
			     KVM_CAP_ARM_SET_DEVICE_ADDR),
		  1);
	EXPECT_EQ(vkvm_ioctl(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_DEVICE_CTRL),
		  1);
	EXPECT_EQ(vkvm_ioctl(t.vm, KVM_CHECK_EXTENSION,
			     KVM_CAP_ARM_IRQ_LINE_LAYOUT_2),
		  1);
	EXPECT_EQ(vkvm_ioctl(t.kvm, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP), 1);
	/* No userspace-irqchip timer exits are implemented. */
	EXPECT_EQ(vkvm_ioctl(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_USER_IRQ),
		  0);
	tvm_free(&t);
}

/* VI-1 step 1 and spec 3.1/1.3: type 0, ITS, unknown types: ENODEV. */
TEST(create_device_unknown_type_is_enodev)
{
	struct tvm t = tvm_new(1);

	EXPECT_ERRNO(create_dev(t.vm, 0, KVM_CREATE_DEVICE_TEST), ENODEV);
	EXPECT_ERRNO(create_dev(t.vm, 0, 0), ENODEV);
	EXPECT_ERRNO(create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_ITS, 0), ENODEV);
	EXPECT_ERRNO(create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_ITS,
				KVM_CREATE_DEVICE_TEST),
		     ENODEV);
	EXPECT_ERRNO(create_dev(t.vm, KVM_DEV_TYPE_VFIO, 0), ENODEV);
	EXPECT_ERRNO(create_dev(t.vm, 6, 0), ENODEV);
	EXPECT_ERRNO(create_dev(t.vm, 0xffffffffu, 0), ENODEV);
	tvm_free(&t);
}

TEST(create_device_bad_pointer_is_efault)
{
	struct tvm t = tvm_new(1);

	EXPECT_ERRNO(vkvm_ioctl(t.vm, KVM_CREATE_DEVICE, NULL), EFAULT);
	tvm_free(&t);
}

/* VI-1 step 2: TEST returns 0 and creates nothing, even when one exists. */
TEST(create_device_test_flag_creates_nothing)
{
	for (int m = 0; m < 2; m++) {
		struct tvm t = tvm_new(4);
		int dev;

		EXPECT_OK(create_dev(t.vm, models[m], KVM_CREATE_DEVICE_TEST));
		EXPECT_OK(create_dev(t.vm, models[m], KVM_CREATE_DEVICE_TEST));
		dev = create_dev(t.vm, models[m], 0);
		EXPECT(dev > 0);
		/* "already exists" is not checked with TEST */
		EXPECT_OK(create_dev(t.vm, models[m], KVM_CREATE_DEVICE_TEST));
		EXPECT_OK(create_dev(t.vm, models[m ^ 1],
				     KVM_CREATE_DEVICE_TEST));
		vkvm_close(dev);
		tvm_free(&t);
	}
}

/* Spec 3.1: flags other than TEST are not checked. */
TEST(create_device_unknown_flags_are_ignored)
{
	struct tvm t = tvm_new(1);
	int dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0xfffffffe);

	EXPECT(dev > 0);
	EXPECT_OK(attr_has(dev, KVM_DEV_ARM_VGIC_GRP_CTRL,
			   KVM_DEV_ARM_VGIC_CTRL_INIT));
	tvm_free_dev(&t, dev);
}

/* VI-1 step 3: a second device of the same model: EEXIST. */
TEST(vi1_second_vgic_same_model_is_eexist)
{
	for (int m = 0; m < 2; m++) {
		struct tvm t = tvm_new(4);
		int dev = create_dev(t.vm, models[m], 0);

		EXPECT(dev > 0);
		EXPECT_ERRNO(create_dev(t.vm, models[m], 0), EEXIST);
		vkvm_close(dev);
		tvm_free(&t);
	}
}

/* VI-1 step 4: the other model after one exists: EEXIST. */
TEST(vi1_other_model_after_vgic_is_eexist)
{
	for (int m = 0; m < 2; m++) {
		struct tvm t = tvm_new(4);
		int dev = create_dev(t.vm, models[m], 0);

		EXPECT(dev > 0);
		EXPECT_ERRNO(create_dev(t.vm, models[m ^ 1], 0), EEXIST);
		EXPECT_ERRNO(vkvm_ioctl(t.vm, KVM_CREATE_IRQCHIP, 0), EEXIST);
		vkvm_close(dev);
		tvm_free(&t);
	}
}

TEST(device_fd_is_a_real_fd_and_unknown_ioctl_is_enotty)
{
	struct tvm t = tvm_new(1);
	int dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0);

	REQUIRE(dev > 0);
	EXPECT(dev != t.vm && dev != t.vcpu_fd[0]);
	EXPECT(fcntl(dev, F_GETFD) >= 0);
	EXPECT_ERRNO(vkvm_ioctl(dev, KVM_RUN, 0), ENOTTY);
	EXPECT_ERRNO(vkvm_ioctl(dev, KVM_CREATE_VCPU, 0), ENOTTY);
	EXPECT_ERRNO(vkvm_ioctl(dev, KVM_CHECK_EXTENSION, 0), ENOTTY);
	EXPECT_ERRNO(vkvm_ioctl(dev, KVM_GET_ONE_REG, NULL), ENOTTY);
	vkvm_close(dev);
	tvm_free(&t);
}

TEST(device_attr_bad_struct_pointer_is_efault)
{
	struct tvm t = tvm_new(1);
	int dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V2, 0);

	REQUIRE(dev > 0);
	EXPECT_ERRNO(vkvm_ioctl(dev, KVM_SET_DEVICE_ATTR, NULL), EFAULT);
	EXPECT_ERRNO(vkvm_ioctl(dev, KVM_GET_DEVICE_ATTR, NULL), EFAULT);
	EXPECT_ERRNO(vkvm_ioctl(dev, KVM_HAS_DEVICE_ATTR, NULL), EFAULT);
	vkvm_close(dev);
	tvm_free(&t);
}

/* attr.flags is not checked (spec 3.1). */
TEST(device_attr_flags_are_ignored)
{
	struct tvm t = tvm_new(1);
	int dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V2, 0);
	struct kvm_device_attr a = { .flags = 0xffffffffu,
				     .group = KVM_DEV_ARM_VGIC_GRP_CTRL,
				     .attr = KVM_DEV_ARM_VGIC_CTRL_INIT };

	REQUIRE(dev > 0);
	EXPECT_OK(vkvm_ioctl(dev, KVM_HAS_DEVICE_ATTR, &a));
	EXPECT_OK(vkvm_ioctl(dev, KVM_SET_DEVICE_ATTR, &a));
	vkvm_close(dev);
	tvm_free(&t);
}

/* Closing the device fd keeps the vGIC; the device fd keeps the VM. */
TEST(closing_device_fd_keeps_vgic_and_device_keeps_vm)
{
	struct tvm t = tvm_new(1);
	int dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0), dev2;

	REQUIRE(dev > 0);
	EXPECT_OK(vkvm_close(dev));
	EXPECT_ERRNO(create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0), EEXIST);
	EXPECT_ERRNO(irq_line(t.vm, irq_cpu(0, 0), 1), ENXIO);
	tvm_free(&t);

	t = tvm_new(1);
	dev2 = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V2, 0);
	REQUIRE(dev2 > 0);
	tvm_free(&t); /* the VM fd and vCPU fds are gone */
	EXPECT_OK(attr_has(dev2, KVM_DEV_ARM_VGIC_GRP_CTRL,
			   KVM_DEV_ARM_VGIC_CTRL_INIT));
	EXPECT_OK(ctrl_init(dev2));
	EXPECT_OK(vkvm_close(dev2));
}

/* Spec 3.2 step 2: a vCPU inside an ioctl: EBUSY, checked first. */
TEST(create_vgic_with_busy_vcpu_is_ebusy)
{
	for (int m = 0; m < 3; m++) {
		struct tvm t = tvm_new(2);
		struct vcpu *v = tvm_vcpu_obj(t.vcpu_fd[1]);
		int dev;

		pthread_mutex_lock(&v->mutex);
		if (m < 2)
			EXPECT_ERRNO(create_dev(t.vm, models[m], 0), EBUSY);
		else
			EXPECT_ERRNO(vkvm_ioctl(t.vm, KVM_CREATE_IRQCHIP, 0),
				     EBUSY);
		pthread_mutex_unlock(&v->mutex);
		dev = create_dev(t.vm, models[m & 1], 0);
		EXPECT(dev > 0);
		/* busy is checked before "exists" (spec 3.11) */
		pthread_mutex_lock(&v->mutex);
		EXPECT_ERRNO(create_dev(t.vm, models[m & 1], 0), EBUSY);
		pthread_mutex_unlock(&v->mutex);
		vkvm_close(dev);
		tvm_free(&t);
	}
}

/* Spec 3.2 step 4: after a vCPU ran: EBUSY. */
TEST(create_vgic_after_run_is_ebusy)
{
	struct tvm t = tvm_new(1);

	/* No vGIC: the run passes the first-run checks (engine may stub). */
	(void)tvm_run(&t, 0);
	EXPECT_ERRNO(create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0), EBUSY);
	EXPECT_ERRNO(create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V2, 0), EBUSY);
	EXPECT_ERRNO(vkvm_ioctl(t.vm, KVM_CREATE_IRQCHIP, 0), EBUSY);
	EXPECT_OK(create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V2,
			     KVM_CREATE_DEVICE_TEST));
	tvm_free(&t);
}

/* Spec 3.2 step 5: more than 8 vCPUs for a GICv2: E2BIG; v3 allows it. */
TEST(create_v2_with_nine_vcpus_is_e2big)
{
	struct tvm t = tvm_new(9);
	int dev;

	EXPECT_ERRNO(create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V2, 0), E2BIG);
	EXPECT_ERRNO(vkvm_ioctl(t.vm, KVM_CREATE_IRQCHIP, 0), E2BIG);
	dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0);
	EXPECT(dev > 0);
	vkvm_close(dev);
	tvm_free(&t);

	t = tvm_new(8);
	dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V2, 0);
	EXPECT(dev > 0);
	vkvm_close(dev);
	tvm_free(&t);
}

/* Spec 3.2 step 5 and precreate: the VM's limit becomes 8 / 512. */
TEST(vgic_sets_max_vcpus_and_limits_ids)
{
	struct tvm t = tvm_new(1);
	int dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V2, 0);

	REQUIRE(dev > 0);
	EXPECT_EQ(vkvm_ioctl(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS), 8);
	EXPECT_ERRNO(tvm_add_vcpu(&t, 8), EINVAL);
	EXPECT_ERRNO(tvm_add_vcpu(&t, 100), EINVAL);
	EXPECT(tvm_add_vcpu(&t, 7) >= 0);
	vkvm_close(dev);
	tvm_free(&t);

	t = tvm_new(1);
	dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0);
	REQUIRE(dev > 0);
	EXPECT_EQ(vkvm_ioctl(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS),
		  512);
	EXPECT(tvm_add_vcpu(&t, 300) >= 0);
	EXPECT_ERRNO(tvm_add_vcpu(&t, 512), EINVAL);
	vkvm_close(dev);
	tvm_free(&t);
}

/* Spec 3.2: vCPUs may be added before init, not after (EBUSY). */
TEST(vcpu_create_after_init_is_ebusy)
{
	for (int m = 0; m < 2; m++) {
		struct tvm t = tvm_new(1);
		int dev = create_dev(t.vm, models[m], 0);

		REQUIRE(dev > 0);
		EXPECT(tvm_add_vcpu(&t, 1) >= 0);
		EXPECT_OK(ctrl_init(dev));
		EXPECT_ERRNO(tvm_add_vcpu(&t, 2), EBUSY);
		/* EBUSY comes before the id limit check */
		EXPECT_ERRNO(tvm_add_vcpu(&t, 600), EINVAL);
		EXPECT_ERRNO(tvm_add_vcpu(&t, 9), EBUSY);
		vkvm_close(dev);
		tvm_free(&t);
	}
}

/* Spec 3.10: the legacy irqchip is a GICv2 without a device fd. */
TEST(create_irqchip_makes_a_v2)
{
	struct tvm t = tvm_new(2);
	struct kvm_arm_device_addr a = { .id = 0, .addr = 0x8000000 };

	EXPECT_OK(vkvm_ioctl(t.vm, KVM_CREATE_IRQCHIP, 0));
	EXPECT_ERRNO(vkvm_ioctl(t.vm, KVM_CREATE_IRQCHIP, 0), EEXIST);
	EXPECT_ERRNO(create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V2, 0), EEXIST);
	EXPECT_OK(vkvm_ioctl(t.vm, KVM_ARM_SET_DEVICE_ADDR, &a));
	EXPECT_EQ(vkvm_ioctl(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS), 8);
	/* lazy init by injection, then vCPU creation is refused */
	EXPECT_OK(irq_line(t.vm, irq_spi(40), 1));
	EXPECT_ERRNO(tvm_add_vcpu(&t, 3), EBUSY);
	tvm_free(&t);
}

static int set_dev_addr(int vm, uint64_t id, uint64_t addr)
{
	struct kvm_arm_device_addr a = { .id = id, .addr = addr };

	return vkvm_ioctl(vm, KVM_ARM_SET_DEVICE_ADDR, &a);
}

/* Spec 2.2 step 1. */
TEST(set_device_addr_bad_pointer_is_efault)
{
	struct tvm t = tvm_new(1);

	EXPECT_OK(vkvm_ioctl(t.vm, KVM_CREATE_IRQCHIP, 0));
	EXPECT_ERRNO(vkvm_ioctl(t.vm, KVM_ARM_SET_DEVICE_ADDR, NULL), EFAULT);
	tvm_free(&t);
}

/* Spec 2.2 step 2: device id field not 0: ENODEV (before anything). */
TEST(set_device_addr_unknown_device_id_is_enodev)
{
	struct tvm t = tvm_new(1);

	EXPECT_ERRNO(set_dev_addr(t.vm, 1 << 16, 0x1000), ENODEV);
	EXPECT_OK(vkvm_ioctl(t.vm, KVM_CREATE_IRQCHIP, 0));
	EXPECT_ERRNO(set_dev_addr(t.vm, 1 << 16, 0x1000), ENODEV);
	EXPECT_ERRNO(set_dev_addr(t.vm, 0xffff0000, 0x1000), ENODEV);
	tvm_free(&t);
}

/* Spec 2.2 step 4: address type not 0/1: ENODEV. */
TEST(set_device_addr_unknown_type_is_enodev)
{
	struct tvm t = tvm_new(1);

	EXPECT_OK(vkvm_ioctl(t.vm, KVM_CREATE_IRQCHIP, 0));
	EXPECT_ERRNO(set_dev_addr(t.vm, 2, 0x10000), ENODEV);
	EXPECT_ERRNO(set_dev_addr(t.vm, 0xffff, 0x10000), ENODEV);
	tvm_free(&t);
}

/* Spec 2.2 step 5: no vGIC, or a GICv3: ENODEV. */
TEST(set_device_addr_without_v2_is_enodev)
{
	struct tvm t = tvm_new(1);
	int dev;

	EXPECT_ERRNO(set_dev_addr(t.vm, 0, 0x10000), ENODEV);
	EXPECT_ERRNO(set_dev_addr(t.vm, 1, 0x20000), ENODEV);
	dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0);
	REQUIRE(dev > 0);
	EXPECT_ERRNO(set_dev_addr(t.vm, 0, 0x10000), ENODEV);
	vkvm_close(dev);
	tvm_free(&t);
}

/* Spec 2.2 step 6: the range check, newest order (V1). */
TEST(set_device_addr_range_checks)
{
	struct tvm t = tvm_new(1);
	int dev;

	EXPECT_OK(vkvm_ioctl(t.vm, KVM_CREATE_IRQCHIP, 0));
	EXPECT_ERRNO(set_dev_addr(t.vm, 0, 0x100), EINVAL);
	EXPECT_ERRNO(set_dev_addr(t.vm, 1, 0x800), EINVAL);
	EXPECT_ERRNO(set_dev_addr(t.vm, 0, ~0ULL & ~0xfffULL), EINVAL);
	EXPECT_ERRNO(set_dev_addr(t.vm, 0, TVM_IPA_MAX), E2BIG);
	EXPECT_ERRNO(set_dev_addr(t.vm, 1, TVM_IPA_MAX - 0x1000), E2BIG);
	EXPECT_OK(set_dev_addr(t.vm, 0, 0x8000000));
	EXPECT_OK(set_dev_addr(t.vm, 1, 0x8010000));
	/* already set: EEXIST before the alignment check */
	EXPECT_ERRNO(set_dev_addr(t.vm, 0, 0x9000000), EEXIST);
	EXPECT_ERRNO(set_dev_addr(t.vm, 0, 0x100), EEXIST);
	EXPECT_ERRNO(set_dev_addr(t.vm, 1, 0x100), EEXIST);
	tvm_free(&t);

	/* works on a device-created GICv2 too, and shows in the ADDR group */
	t = tvm_new(1);
	dev = create_dev(t.vm, KVM_DEV_TYPE_ARM_VGIC_V2, 0);
	REQUIRE(dev > 0);
	EXPECT_OK(set_dev_addr(t.vm, 1, 0x8010000));
	EXPECT_EQ(attr_get64(dev, KVM_DEV_ARM_VGIC_GRP_ADDR,
			     KVM_VGIC_V2_ADDR_TYPE_CPU),
		  0x8010000);
	vkvm_close(dev);
	tvm_free(&t);
}

/* Spec 2.2: no overlap check at set time (found at first run). */
TEST(set_device_addr_does_not_check_overlap)
{
	struct tvm t = tvm_new(1);

	EXPECT_OK(vkvm_ioctl(t.vm, KVM_CREATE_IRQCHIP, 0));
	EXPECT_OK(set_dev_addr(t.vm, 0, 0x8000000));
	EXPECT_OK(set_dev_addr(t.vm, 1, 0x8000000));
	EXPECT_ERRNO(tvm_run(&t, 0), EINVAL);
	tvm_free(&t);
}

static uint64_t pfr0_gic(int vcpu_fd)
{
	uint64_t v = 0;
	struct kvm_one_reg reg = {
		.id = 0x6030000000130000ULL | (3 << 14) | (0 << 11) | (0 << 7) |
		      (4 << 3) | 0, /* ID_AA64PFR0_EL1 */
		.addr = (uint64_t)(uintptr_t)&v,
	};
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };

	REQUIRE(vkvm_ioctl(vcpu_fd, KVM_ARM_VCPU_INIT, &init) == 0);
	REQUIRE(vkvm_ioctl(vcpu_fd, KVM_GET_ONE_REG, &reg) == 0);
	return (v >> 24) & 0xf;
}

/* Issue 5: a GICv3 VM shows ID_AA64PFR0_EL1.GIC = 1, a GICv2 VM 0. */
TEST(gicv3_sets_id_aa64pfr0_gic)
{
	struct tvm t;
	int dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V3);

	EXPECT_EQ(pfr0_gic(t.vcpu_fd[0]), 1);
	tvm_free_dev(&t, dev);
	dev = tvm_new_dev(&t, 1, KVM_DEV_TYPE_ARM_VGIC_V2);
	EXPECT_EQ(pfr0_gic(t.vcpu_fd[0]), 0);
	tvm_free_dev(&t, dev);
}
