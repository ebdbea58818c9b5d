// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgic_fuzz.c: libFuzzer harness for the vGIC API and models.  The input
 * picks a VM shape (vCPUs; a GICv2 or GICv3 device, the legacy irqchip or
 * none), then is decoded into a sequence of operations: device attribute
 * calls (SET/GET/HAS on every group), KVM_IRQ_LINE, KVM_ARM_SET_DEVICE_ADDR,
 * device creation, other ioctls on the device fd, vCPU creation, CTRL_INIT,
 * the first-run mapping, and guest register accesses (gic_mmio,
 * gic_icc_access) as the engine makes them, including acknowledge and EOI
 * once interrupts are primed.  Nothing an input does may crash, leak, hang
 * or trip a sanitizer.
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

#define DIST_BASE 0x8000000ULL
#define CPU_BASE 0x8010000ULL
#define RDIST_BASE 0x80a0000ULL
#define MAX_VCPUS 16

struct input {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct input *in, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes && in->n; i++, in->p++, in->n--)
		v |= (uint64_t)*in->p << (8 * i);
	return v;
}

struct fz {
	int kvm, vm, dev;
	int vcpus[MAX_VCPUS];
	int nr_vcpus;
	struct vm *obj;
};

static const uint64_t small_vals[] = {
	0,	1,	   2,	       3,	   0xff,  0xf0,	      0x10000,
	0x2000, DIST_BASE, RDIST_BASE, 1ULL << 40, ~0ULL, 0xffffffff, 0x1f,
};

/* A value: raw bytes or one of the interesting constants. */
static uint64_t take_val(struct input *in)
{
	uint8_t sel = (uint8_t)take(in, 1);

	if (sel < 0x60)
		return small_vals[sel %
				  (sizeof(small_vals) / sizeof(small_vals[0]))];
	return take(in, sel < 0xb0 ? 4 : 8);
}

/* The VM object behind @fd (the VM fd holds it for the whole input). */
static struct vm *vm_of_fd(int fd)
{
	struct vkvm_file *file;
	struct vm *vm;
	int err;

	file = file_get(fd, &err);
	if (!file)
		__builtin_trap();
	vm = file->priv;
	file_put(file);
	return vm;
}

/* The vGIC model of the VM (0 if none yet); only meaningful under locks. */
static enum gic_model fz_model(struct fz *f)
{
	enum gic_model m = 0;

	spin_lock(&f->obj->gic_lock);
	if (f->obj->gic)
		m = gic_get_model(f->obj->gic);
	spin_unlock(&f->obj->gic_lock);
	return m;
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

/* A guest physical address that usually hits a register. */
static uint64_t take_gpa(struct fz *f, struct input *in, uint8_t ctl)
{
	uint32_t off = (uint32_t)take(in, 2) & 0xfffc;

	switch (ctl & 3) {
	case 0:
		return DIST_BASE + off;
	case 1: /* GICv2 CPU interface, incl. GICC_DIR at 0x1000 */
		return CPU_BASE + (off & 0x1fff);
	case 2: /* a GICv3 redistributor: RD_base or SGI_base */
		return RDIST_BASE + 0x20000 * (ctl >> 5) +
		       (ctl & 4 ? 0x10000 : 0) + (off & 0xfff);
	default:
		return DIST_BASE - 0x10000 + (take(in, 3) & 0x1fffff);
	}
}

static void op_guest_mmio(struct fz *f, struct input *in)
{
	static const unsigned int lens[] = { 4, 4, 1, 2, 8, 4, 4, 4 };
	uint8_t ctl = (uint8_t)take(in, 1);
	uint8_t how = (uint8_t)take(in, 1);
	uint64_t gpa = take_gpa(f, in, ctl);
	uint64_t val = take_val(in);

	if (!f->nr_vcpus)
		return;
	spin_lock(&f->obj->gic_lock);
	if (f->obj->gic)
		gic_mmio(f->obj->gic, how % (uint32_t)f->nr_vcpus, gpa,
			 lens[(how >> 4) & 7], &val, how & 0x80);
	spin_unlock(&f->obj->gic_lock);
}

/* The ICC registers the engine traps, and a few unknown encodings. */
static const uint16_t icc_encs[] = {
	0xC230, 0xC640, 0xC641, 0xC642, 0xC643, 0xC644, 0xC645,
	0xC646, 0xC647, 0xC648, 0xC649, 0xC64A, 0xC64B, 0xC659,
	0xC65B, 0xC65D, 0xC65E, 0xC65F, 0xC660, 0xC661, 0xC662,
	0xC663, 0xC664, 0xC665, 0xC666, 0xC667, 0xC000, 0xFFFF,
};

static void op_guest_icc(struct fz *f, struct input *in)
{
	uint8_t ctl = (uint8_t)take(in, 1);
	uint16_t enc =
		icc_encs[take(in, 1) % (sizeof(icc_encs) / sizeof(icc_encs[0]))];
	uint64_t val = take_val(in);

	if (!f->nr_vcpus)
		return;
	spin_lock(&f->obj->gic_lock);
	if (f->obj->gic && gic_get_model(f->obj->gic) == GIC_MODEL_V3 &&
	    gic_ready(f->obj->gic))
		gic_icc_access(f->obj->gic, ctl % (uint32_t)f->nr_vcpus, enc,
			       &val, ctl & 0x80, GIC_GUEST);
	spin_unlock(&f->obj->gic_lock);
}

static void guest_write(struct fz *f, uint32_t cpu, uint64_t gpa, uint64_t v)
{
	gic_mmio(f->obj->gic, cpu, gpa, 4, &v, true);
}

static void guest_icc_write(struct fz *f, uint32_t cpu, uint16_t enc,
			    uint64_t v)
{
	gic_icc_access(f->obj->gic, cpu, enc, &v, true, GIC_GUEST);
}

/*
 * Make delivery reachable: distributor and CPU interfaces on, every
 * interrupt enabled, the priority mask open (as a guest's GIC driver
 * would, through the guest path).
 */
static void op_prime(struct fz *f)
{
	spin_lock(&f->obj->gic_lock);
	if (!f->obj->gic || !gic_ready(f->obj->gic))
		goto out;
	for (uint32_t c = 0; c < (uint32_t)f->nr_vcpus; c++) {
		if (gic_get_model(f->obj->gic) == GIC_MODEL_V2) {
			guest_write(f, c, CPU_BASE, 0x3);
			guest_write(f, c, CPU_BASE + 4, 0xff);
			guest_write(f, c, DIST_BASE + 0x100, ~0U);
			continue;
		}
		guest_icc_write(f, c, 0xC230, 0xff);
		guest_icc_write(f, c, 0xC666, 1);
		guest_icc_write(f, c, 0xC667, 1);
		guest_write(f, c, RDIST_BASE + 0x20000 * c + 0x10100, ~0U);
	}
	guest_write(f, 0, DIST_BASE, 0x3);
	for (uint32_t w = 1; w < 32; w++)
		guest_write(f, 0, DIST_BASE + 0x100 + 4 * w, ~0U);
	for (uint32_t w = 8; w < 256; w++)
		guest_write(f, 0, DIST_BASE + 0x800 + 4 * w, 0x01020408);
out:
	spin_unlock(&f->obj->gic_lock);
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

	if (f->nr_vcpus == MAX_VCPUS)
		return;
	fd = vkvm_ioctl(f->vm, KVM_CREATE_VCPU, id);
	if (fd >= 0)
		f->vcpus[f->nr_vcpus++] = fd;
}

/* KVM_CREATE_DEVICE with any type and flags, or KVM_CREATE_IRQCHIP. */
static void op_create(struct fz *f, struct input *in)
{
	static const uint32_t types[] = { KVM_DEV_TYPE_ARM_VGIC_V2,
					  KVM_DEV_TYPE_ARM_VGIC_V3, 0,
					  KVM_DEV_TYPE_ARM_VGIC_ITS };
	uint8_t sel = (uint8_t)take(in, 1);
	struct kvm_create_device cd = {
		.type = sel & 0x80 ? (uint32_t)take(in, 4) : types[sel & 3],
		.flags = sel & 0x40 ? KVM_CREATE_DEVICE_TEST : 0,
	};

	if ((sel & 0x30) == 0x30) {
		vkvm_ioctl(f->vm, KVM_CREATE_IRQCHIP, 0);
	} else if (vkvm_ioctl(f->vm, KVM_CREATE_DEVICE, &cd) == 0 &&
		   !cd.flags) {
		if (f->dev < 0)
			f->dev = (int)cd.fd;
		else
			vkvm_close((int)cd.fd);
	}
}

/* Legacy addresses, and any other ioctl on the device fd (ENOTTY). */
static void op_misc(struct fz *f, struct input *in)
{
	struct kvm_arm_device_addr da = { .id = take(in, 1) & 0x3,
					  .addr = take_val(in) };
	uint8_t sel = (uint8_t)take(in, 1);

	if (sel & 1)
		vkvm_ioctl(f->vm, KVM_ARM_SET_DEVICE_ADDR,
			   sel & 2 ? NULL : &da);
	else
		vkvm_ioctl(f->dev, KVM_CHECK_EXTENSION + sel, 0);
}

static void set_addr(struct fz *f, uint64_t attr, uint64_t val)
{
	struct kvm_device_attr a = { .group = KVM_DEV_ARM_VGIC_GRP_ADDR,
				     .attr = attr,
				     .addr = (uint64_t)(uintptr_t)&val };

	vkvm_ioctl(f->dev, KVM_SET_DEVICE_ATTR, &a);
}

/* A ready-to-run layout, so the guest paths are reached quickly. */
static void quick_setup(struct fz *f)
{
	struct kvm_device_attr init = { .group = KVM_DEV_ARM_VGIC_GRP_CTRL };
	struct kvm_arm_device_addr d = { .id = 0, .addr = DIST_BASE };
	struct kvm_arm_device_addr c = { .id = 1, .addr = CPU_BASE };

	if (fz_model(f) == GIC_MODEL_V3) {
		set_addr(f, KVM_VGIC_V3_ADDR_TYPE_DIST, DIST_BASE);
		set_addr(f, KVM_VGIC_V3_ADDR_TYPE_REDIST, RDIST_BASE);
	} else {
		vkvm_ioctl(f->vm, KVM_ARM_SET_DEVICE_ADDR, &d);
		vkvm_ioctl(f->vm, KVM_ARM_SET_DEVICE_ADDR, &c);
	}
	vkvm_ioctl(f->dev, KVM_SET_DEVICE_ATTR, &init);
	op_first_run(f);
}

static void run_op(struct fz *f, struct input *in, uint8_t op)
{
	switch (op % 14) {
	case 0:
		return op_attr(f, in, KVM_SET_DEVICE_ATTR);
	case 1:
		return op_attr(f, in, KVM_GET_DEVICE_ATTR);
	case 2:
		return op_attr(f, in, KVM_HAS_DEVICE_ATTR);
	case 3:
	case 4:
		return op_irq_line(f, in);
	case 5:
	case 6:
		return op_guest_mmio(f, in);
	case 7:
		return op_guest_icc(f, in);
	case 8:
		return add_vcpu(f, take(in, 2) % 600);
	case 9:
		return op_first_run(f);
	case 10:
		return op_create(f, in);
	case 11:
		return op_misc(f, in);
	case 12:
		return op_prime(f);
	default:
		return quick_setup(f);
	}
}

/* One system fd for the whole run: its first KVM_CREATE_VM runs the
 * engine kit's self-test (a throw-away Unicorn engine, ~18 ms under
 * ASan), which per input made 20,000 runs take 6 minutes. */
static int fz_system_fd(void)
{
	static int kvm = -1;

	if (kvm < 0)
		kvm = vkvm_open();
	return kvm;
}

static int fz_open(struct fz *f, uint8_t shape)
{
	struct kvm_create_device cd = {
		.type = shape & 1 ? KVM_DEV_TYPE_ARM_VGIC_V3 :
				    KVM_DEV_TYPE_ARM_VGIC_V2
	};

	f->kvm = fz_system_fd();
	f->vm = f->kvm < 0 ? -1 : vkvm_ioctl(f->kvm, KVM_CREATE_VM, 0);
	if (f->vm < 0)
		return -1;
	f->obj = vm_of_fd(f->vm);
	for (int i = 0; i < ((shape >> 1) & 7); i++)
		add_vcpu(f, (unsigned long)i);
	switch (shape >> 6) {
	case 0:
	case 1:
		if (vkvm_ioctl(f->vm, KVM_CREATE_DEVICE, &cd) == 0)
			f->dev = (int)cd.fd;
		break;
	case 2:
		vkvm_ioctl(f->vm, KVM_CREATE_IRQCHIP, 0);
		break;
	default:
		break; /* no irqchip: IRQ_LINE type CPU, creation later */
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct fz f = { .kvm = -1, .vm = -1, .dev = -1 };
	uint8_t shape = (uint8_t)take(&in, 1);

	if (!fz_open(&f, shape)) {
		if (shape & 0x10)
			quick_setup(&f);
		for (int steps = 0; in.n && steps < 256; steps++)
			run_op(&f, &in, (uint8_t)take(&in, 1));
	}
	if (f.dev >= 0)
		vkvm_close(f.dev);
	for (int i = 0; i < f.nr_vcpus; i++)
		vkvm_close(f.vcpus[i]);
	if (f.vm >= 0)
		vkvm_close(f.vm);
	return 0; /* the system fd stays for the next input */
}
