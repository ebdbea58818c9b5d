// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgic_fuzz.c: libFuzzer harness for the vGIC API and models.  The input
 * picks a model and a VM shape, then is decoded into a sequence of device
 * attribute calls (SET/GET/HAS on every group), KVM_IRQ_LINE calls, vCPU
 * creation, CTRL_INIT, the first-run mapping and guest register accesses
 * (gic_mmio, gic_icc_access) as the engine makes them.  Nothing an input
 * does may crash, leak, hang or trip a sanitizer.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <vkvm/vkvm.h>

#include "api/file.h"
#include "api/vgic_api.h"
#include "api/vm.h"
#include "gic/gic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct input *in, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes; i++) {
		v |= (uint64_t)(in->n ? *in->p : 0) << (8 * i);
		if (in->n) {
			in->p++;
			in->n--;
		}
	}
	return v;
}

struct fz {
	int kvm, vm, dev;
	int vcpus[16];
	int nr_vcpus;
	uint32_t type;
	struct vm *obj;
	uint64_t dist_base, cpu_base, rdist_base;
};

static const uint64_t small_vals[] = { 0,	  1,	     0x10000,
				       0x8000000, 0x80a0000, 1ULL << 40,
				       ~0ULL,	  0xf0,	     0x2000 };

/* A value: raw bytes or one of the interesting constants. */
static uint64_t take_val(struct input *in)
{
	uint8_t sel = (uint8_t)take(in, 1);

	if (sel < 0x40)
		return small_vals[sel %
				  (sizeof(small_vals) / sizeof(small_vals[0]))];
	return take(in, sel < 0x80 ? 4 : 8);
}

/* An attr shaped for @group: a plausible vCPU field and offset. */
static uint64_t take_attr(struct input *in, uint32_t group)
{
	uint8_t shape = (uint8_t)take(in, 1);
	/* ids below 16: the v2 CPUID field and the v3 Aff0 field agree */
	uint64_t cpu = (uint64_t)(shape & 7) << 32;

	if (shape >= 0xf0)
		return take(in, 8);
	switch (group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		return take(in, 1) % 8;
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
		return cpu | (0xc000 | (take(in, 2) & 0x3fff));
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		return cpu | (take(in, 2) & 0xffff);
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
		return cpu | (take(in, 3) & 0x1fffc);
	default:
		return cpu | (take(in, 2) & 0xfffc);
	}
}

static void op_attr(struct fz *f, struct input *in, unsigned long req)
{
	uint32_t group = (uint32_t)take(in, 1) % 11;
	uint64_t buf[2] = { take_val(in), 0 };
	struct kvm_device_attr a = {
		.group = group,
		.attr = take_attr(in, group),
		.addr = (uint64_t)(uintptr_t)buf,
	};

	if ((buf[0] & 0xff) == 0x5a)
		a.addr = 0; /* EFAULT paths */
	vkvm_ioctl(f->dev, req, &a);
}

static void op_irq_line(struct fz *f, struct input *in)
{
	struct kvm_irq_level il = {
		.irq = (uint32_t)take(in, 4),
		.level = (uint32_t)take(in, 1) & 3,
	};

	if (il.irq & 0x80)
		il.irq &= 0x0f0f00ff; /* small vCPU numbers and INTIDs */
	vkvm_ioctl(f->vm, KVM_IRQ_LINE, &il);
}

static void op_guest_mmio(struct fz *f, struct input *in)
{
	static const unsigned int lens[] = { 1, 2, 4, 8 };
	uint8_t ctl = (uint8_t)take(in, 1);
	uint64_t base = ctl & 0x40 ? (f->type == KVM_DEV_TYPE_ARM_VGIC_V2 ?
					      f->cpu_base :
					      f->rdist_base) :
				     f->dist_base;
	uint64_t gpa = base + (take(in, 3) & 0x7ffff);
	uint64_t val = take_val(in);

	if (!f->nr_vcpus)
		return;
	pthread_mutex_lock(&f->obj->gic_lock);
	gic_mmio(f->obj->gic, ctl % (uint32_t)f->nr_vcpus, gpa,
		 lens[(ctl >> 3) & 3], &val, ctl & 0x80);
	pthread_mutex_unlock(&f->obj->gic_lock);
}

static void op_guest_icc(struct fz *f, struct input *in)
{
	uint8_t ctl = (uint8_t)take(in, 1);
	uint16_t enc = (uint16_t)(0xc000 | (take(in, 2) & 0x3fff));
	uint64_t val = take_val(in);

	if (!f->nr_vcpus || f->type != KVM_DEV_TYPE_ARM_VGIC_V3)
		return;
	pthread_mutex_lock(&f->obj->gic_lock);
	if (gic_ready(f->obj->gic))
		gic_icc_access(f->obj->gic, ctl % (uint32_t)f->nr_vcpus, enc,
			       &val, ctl & 0x80, GIC_GUEST);
	pthread_mutex_unlock(&f->obj->gic_lock);
}

static void op_first_run(struct fz *f)
{
	pthread_mutex_lock(&f->obj->lock);
	vgic_api_first_run(f->obj);
	pthread_mutex_unlock(&f->obj->lock);
}

static void add_vcpu(struct fz *f, unsigned long id)
{
	int fd;

	if (f->nr_vcpus == 16)
		return;
	fd = vkvm_ioctl(f->vm, KVM_CREATE_VCPU, id);
	if (fd >= 0)
		f->vcpus[f->nr_vcpus++] = fd;
}

static void set_addr(struct fz *f, uint64_t attr, uint64_t val)
{
	struct kvm_device_attr a = { .group = KVM_DEV_ARM_VGIC_GRP_ADDR,
				     .attr = attr,
				     .addr = (uint64_t)(uintptr_t)&val };

	vkvm_ioctl(f->dev, KVM_SET_DEVICE_ATTR, &a);
}

static void set_legacy_addrs(struct fz *f)
{
	struct kvm_arm_device_addr d = { .id = KVM_VGIC_V2_ADDR_TYPE_DIST,
					 .addr = f->dist_base };
	struct kvm_arm_device_addr c = { .id = KVM_VGIC_V2_ADDR_TYPE_CPU,
					 .addr = f->cpu_base };

	vkvm_ioctl(f->vm, KVM_ARM_SET_DEVICE_ADDR, &d);
	vkvm_ioctl(f->vm, KVM_ARM_SET_DEVICE_ADDR, &c);
}

/* A ready-to-run layout, so the guest paths are reached quickly. */
static void quick_setup(struct fz *f)
{
	struct kvm_device_attr init = { .group = KVM_DEV_ARM_VGIC_GRP_CTRL };

	if (f->dev < 0)
		set_legacy_addrs(f);
	else if (f->type == KVM_DEV_TYPE_ARM_VGIC_V2) {
		set_addr(f, KVM_VGIC_V2_ADDR_TYPE_DIST, f->dist_base);
		set_addr(f, KVM_VGIC_V2_ADDR_TYPE_CPU, f->cpu_base);
	} else {
		set_addr(f, KVM_VGIC_V3_ADDR_TYPE_DIST, f->dist_base);
		set_addr(f, KVM_VGIC_V3_ADDR_TYPE_REDIST, f->rdist_base);
	}
	vkvm_ioctl(f->dev, KVM_SET_DEVICE_ATTR, &init);
	op_first_run(f);
}

static void run_ops(struct fz *f, struct input *in)
{
	for (int steps = 0; in->n && steps < 256; steps++) {
		switch (take(in, 1) % 10) {
		case 0:
			op_attr(f, in, KVM_SET_DEVICE_ATTR);
			break;
		case 1:
			op_attr(f, in, KVM_GET_DEVICE_ATTR);
			break;
		case 2:
			op_attr(f, in, KVM_HAS_DEVICE_ATTR);
			break;
		case 3:
			op_irq_line(f, in);
			break;
		case 4:
		case 5:
			op_guest_mmio(f, in);
			break;
		case 6:
			op_guest_icc(f, in);
			break;
		case 7:
			add_vcpu(f, take(in, 2) % 600);
			break;
		case 8:
			op_first_run(f);
			break;
		default:
			quick_setup(f);
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct fz f = { .dist_base = 0x8000000,
			.cpu_base = 0x8010000,
			.rdist_base = 0x80a0000 };
	struct kvm_create_device cd = { 0 };
	struct vkvm_file *file;
	uint8_t shape = (uint8_t)take(&in, 1);
	int err;

	f.type = shape & 1 ? KVM_DEV_TYPE_ARM_VGIC_V3 :
			     KVM_DEV_TYPE_ARM_VGIC_V2;
	f.kvm = vkvm_open();
	if (f.kvm < 0)
		return 0;
	f.vm = vkvm_ioctl(f.kvm, KVM_CREATE_VM, 0);
	if (f.vm < 0)
		goto out_kvm;
	for (int i = 0; i < ((shape >> 1) & 7); i++)
		add_vcpu(&f, (unsigned long)i);
	cd.type = f.type;
	if (shape & 0x80) {
		if (vkvm_ioctl(f.vm, KVM_CREATE_IRQCHIP, 0) < 0)
			goto out_vm;
		f.type = KVM_DEV_TYPE_ARM_VGIC_V2;
		f.dev = -1;
	} else {
		if (vkvm_ioctl(f.vm, KVM_CREATE_DEVICE, &cd) < 0)
			goto out_vm;
		f.dev = (int)cd.fd;
	}
	file = file_get(f.vm, &err);
	if (!file)
		goto out_dev;
	f.obj = file->priv;
	file_put(file);
	if (shape & 0x40)
		quick_setup(&f);
	run_ops(&f, &in);
out_dev:
	if (f.dev >= 0)
		vkvm_close(f.dev);
out_vm:
	for (int i = 0; i < f.nr_vcpus; i++)
		vkvm_close(f.vcpus[i]);
	vkvm_close(f.vm);
out_kvm:
	vkvm_close(f.kvm);
	return 0;
}
