// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgic_addr.c: vGIC base addresses: the legacy KVM_ARM_SET_DEVICE_ADDR
 * (spec 2) and the device attribute group ADDR (spec 3.4), including the
 * REDIST_REGION descriptor encoding.
 */
#include <errno.h>

#include "api/uaccess.h"
#include "api/vgic_api.h"
#include "api/vgic_dev.h"

/*
 * Field masks of kvm_arm_device_addr.id.  The uapi masks are int
 * constants, so Linux's device-id mask sign-extends to bits 63:16 when
 * applied to the 64-bit id: any bit set there names an unknown device.
 */
#define ADDR_ID_TYPE_MASK 0xffffULL
#define ADDR_ID_DEVICE_MASK 0xffffffffffff0000ULL

/* The REDIST_REGION descriptor (spec 3.4.3). */
struct rdist_desc {
	uint32_t index;
	uint32_t flags;
	uint32_t count;
	uint64_t base;
};

static struct rdist_desc rdist_decode(uint64_t v)
{
	struct rdist_desc d = {
		.index = (uint32_t)(v & KVM_VGIC_V3_RDIST_INDEX_MASK),
		.flags = (uint32_t)((v & KVM_VGIC_V3_RDIST_FLAGS_MASK) >>
				    KVM_VGIC_V3_RDIST_FLAGS_SHIFT),
		.count = (uint32_t)(v >> KVM_VGIC_V3_RDIST_COUNT_SHIFT),
		.base = v & KVM_VGIC_V3_RDIST_BASE_MASK,
	};
	return d;
}

static uint64_t rdist_encode(uint32_t index, uint64_t base, uint32_t count)
{
	return (index & KVM_VGIC_V3_RDIST_INDEX_MASK) |
	       (base & KVM_VGIC_V3_RDIST_BASE_MASK) |
	       (uint64_t)count << KVM_VGIC_V3_RDIST_COUNT_SHIFT;
}

/*
 * The frame named by an ADDR attr, or -ENXIO (unknown attr; Linux's
 * internal ENODEV).  Attrs 3 and 5 (redistributors) are not frames.
 */
static int addr_frame(uint64_t attr, enum gic_frame *frame)
{
	switch (attr) {
	case KVM_VGIC_V2_ADDR_TYPE_DIST:
		*frame = GIC_FRAME_V2_DIST;
		return 0;
	case KVM_VGIC_V2_ADDR_TYPE_CPU:
		*frame = GIC_FRAME_V2_CPU;
		return 0;
	case KVM_VGIC_V3_ADDR_TYPE_DIST:
		*frame = GIC_FRAME_V3_DIST;
		return 0;
	default:
		return -ENXIO;
	}
}

int vgic_api_set_device_addr(struct vm *vm, unsigned long uaddr)
{
	struct kvm_arm_device_addr da;
	enum gic_frame frame;
	int ret;

	if (copy_from_user(&da, uaddr, sizeof(da)))
		return -EFAULT;
	if (da.id & ADDR_ID_DEVICE_MASK)
		return -ENODEV;
	/* vgic_present is always true here (spec 2.2 step 3). */
	switch (da.id & ADDR_ID_TYPE_MASK) {
	case KVM_VGIC_V2_ADDR_TYPE_DIST:
		frame = GIC_FRAME_V2_DIST;
		break;
	case KVM_VGIC_V2_ADDR_TYPE_CPU:
		frame = GIC_FRAME_V2_CPU;
		break;
	default:
		return -ENODEV;
	}
	pthread_mutex_lock(&vm->lock);
	spin_lock(&vm->gic_lock);
	if (!vm->gic || gic_get_model(vm->gic) != GIC_MODEL_V2)
		ret = -ENODEV;
	else
		ret = gic_set_base(vm->gic, frame, da.addr, vm->ipa_bits);
	spin_unlock(&vm->gic_lock);
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

/* ADDR for attrs 3 and 5, gic_lock held; @val in/out. */
static int addr_redist_locked(struct vm *vm, uint64_t attr, uint64_t *val,
			      bool write)
{
	struct gic *gic = vm->gic;
	struct rdist_desc d;
	uint64_t base;
	uint32_t count;
	int ret;

	if (gic_get_model(gic) != GIC_MODEL_V3)
		return -ENXIO;
	if (attr == KVM_VGIC_V3_ADDR_TYPE_REDIST) {
		if (write)
			return gic_v3_add_redist_region(gic, 0, *val, 0, 0,
							vm->ipa_bits);
		*val = gic_v3_legacy_redist_base(gic);
		return 0;
	}
	d = rdist_decode(*val);
	/* Spec 3.4.3 step 1; count 0 is the model's legacy region. */
	if (write && (!d.count || d.flags))
		return -EINVAL;
	if (write)
		return gic_v3_add_redist_region(gic, d.index, d.base, d.count,
						d.flags, vm->ipa_bits);
	ret = gic_v3_get_redist_region(gic, d.index, &base, &count);
	if (!ret)
		*val = rdist_encode(d.index, base, count);
	return ret;
}

static int addr_access_locked(struct vm *vm, uint64_t attr, uint64_t *val,
			      bool write)
{
	enum gic_frame frame;
	int ret;

	if (attr == KVM_VGIC_V3_ADDR_TYPE_REDIST ||
	    attr == KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION)
		return addr_redist_locked(vm, attr, val, write);
	ret = addr_frame(attr, &frame);
	if (ret)
		return ret;
	if (write)
		return gic_set_base(vm->gic, frame, *val, vm->ipa_bits);
	return gic_get_base(vm->gic, frame, val);
}

int vgic_addr_access(struct vm *vm, const struct kvm_device_attr *attr,
		     bool write)
{
	uint64_t val;
	int ret;

	/* GET reads too: REDIST_REGION takes the index from the buffer. */
	if (copy_from_user(&val, attr->addr, sizeof(val)))
		return -EFAULT;
	pthread_mutex_lock(&vm->lock);
	spin_lock(&vm->gic_lock);
	ret = addr_access_locked(vm, attr->attr, &val, write);
	spin_unlock(&vm->gic_lock);
	pthread_mutex_unlock(&vm->lock);
	if (!ret && !write)
		ret = copy_to_user(attr->addr, &val, sizeof(val));
	return ret;
}

int vgic_addr_has(struct vm *vm, const struct kvm_device_attr *attr)
{
	bool v3 = gic_get_model(vm->gic) == GIC_MODEL_V3;

	switch (attr->attr) {
	case KVM_VGIC_V2_ADDR_TYPE_DIST:
	case KVM_VGIC_V2_ADDR_TYPE_CPU:
		return v3 ? -ENXIO : 0;
	case KVM_VGIC_V3_ADDR_TYPE_DIST:
	case KVM_VGIC_V3_ADDR_TYPE_REDIST:
	case KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION:
		return v3 ? 0 : -ENXIO;
	default:
		return -ENXIO;
	}
}
