// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgic_create.c: creating the in-kernel irqchip (KVM_CREATE_IRQCHIP,
 * KVM_CREATE_DEVICE and the device fd), its life-cycle hooks called by
 * vm.c/vcpu.c, and the model's set_line callback (spec 3.1-3.3, 3.5, 3.10).
 */
#include <errno.h>
#include <stdlib.h>

#include "api/file.h"
#include "api/sysreg.h"
#include "api/uaccess.h"
#include "api/vgic_api.h"
#include "api/vgic_dev.h"
#include "cpu/cpu.h"

uint64_t vgic_vcpu_mpidr(const struct vcpu *vcpu)
{
	uint64_t id = vcpu->id;

	/* reset_mpidr: 16 CPUs per Aff0 cluster (spec 1.5). */
	return (1ULL << 31) | (id & 0xf) | ((id >> 4) & 0xff) << 8 |
	       ((id >> 12) & 0xff) << 16;
}

struct vcpu *vgic_vcpu_by_attr_mpidr(struct vm *vm, uint32_t aff)
{
	uint64_t want = (uint64_t)(aff & 0xffffff) | (uint64_t)(aff >> 24)
							     << 32;
	unsigned int n =
		atomic_load_explicit(&vm->nr_vcpus, memory_order_acquire);

	for (unsigned int i = 0; i < n; i++) {
		struct vcpu *vcpu = vm->vcpus[i];

		if ((vgic_vcpu_mpidr(vcpu) & 0xff00ffffffULL) == want)
			return vcpu;
	}
	return NULL;
}

int vgic_lock_busy(struct vm *vm)
{
	if (vm_lock_all_vcpus(vm))
		return -EBUSY;
	spin_lock(&vm->gic_lock);
	return 0;
}

void vgic_unlock_busy(struct vm *vm)
{
	spin_unlock(&vm->gic_lock);
	vm_unlock_all_vcpus(vm);
}

/*
 * The model's only way out: drive a vCPU's IRQ/FIQ inputs.  Runs under
 * vm->gic_lock; the engine samples the atomics and is kicked so a
 * sleeping or running vCPU notices, unless the change comes from that
 * vCPU's own guest access, which notes it in vcpu->gic_own_access: its
 * engine applies the lines right after.
 */
static void vgic_set_line(void *opaque, uint32_t cpu, bool irq, bool fiq)
{
	struct vcpu *vcpu = vm_vcpu_by_index(opaque, cpu);

	if (!vcpu)
		return;
	atomic_store(&vcpu->irq_line, irq);
	atomic_store(&vcpu->fiq_line, fiq);
	if (vcpu->gic_own_access != VCPU_GIC_OWN_NONE)
		vcpu->gic_own_access = VCPU_GIC_OWN_CHANGED;
	else
		cpu_vcpu_kick(vcpu);
}

static const struct gic_ops vgic_gic_ops = {
	.set_line = vgic_set_line,
};

static bool vgic_any_vcpu_ran(struct vm *vm)
{
	return atomic_load(&vm->has_run);
}

/* Register vCPUs 0..n-1 with a fresh model, in index order. */
static int vgic_add_existing_vcpus(struct vm *vm, struct gic *gic)
{
	unsigned int n = atomic_load(&vm->nr_vcpus);

	for (unsigned int i = 0; i < n; i++) {
		struct vcpu *vcpu = vm->vcpus[i];
		int ret = gic_add_vcpu(gic, i, vcpu->id, vgic_vcpu_mpidr(vcpu),
				       vm->ipa_bits);

		if (ret)
			return ret;
	}
	return 0;
}

/*
 * kvm_vgic_create (spec 3.2), called with vm->lock held: EBUSY (a vCPU
 * busy), EEXIST, EBUSY (a vCPU ran), E2BIG (too many vCPUs for the
 * model), ENOMEM.
 */
static int vgic_create_locked(struct vm *vm, enum gic_model model)
{
	unsigned int max = model == GIC_MODEL_V2 ? GIC_V2_MAX_CPUS :
						   GIC_V3_MAX_CPUS;
	struct gic *gic;
	int ret;

	if (vm_lock_all_vcpus(vm))
		return -EBUSY;
	if (vm->gic) {
		ret = -EEXIST;
		goto out_unlock_vcpus;
	}
	if (vgic_any_vcpu_ran(vm)) {
		ret = -EBUSY;
		goto out_unlock_vcpus;
	}
	if (atomic_load(&vm->nr_vcpus) > max) {
		ret = -E2BIG;
		goto out_unlock_vcpus;
	}
	gic = gic_create(model, &vgic_gic_ops, vm);
	if (!gic) {
		ret = -ENOMEM;
		goto out_unlock_vcpus;
	}
	spin_lock(&vm->gic_lock);
	ret = vgic_add_existing_vcpus(vm, gic);
	if (ret) {
		spin_unlock(&vm->gic_lock);
		gic_destroy(gic);
		goto out_unlock_vcpus;
	}
	vm->gic = gic;
	vm->max_vcpus = max;
	spin_unlock(&vm->gic_lock);
	if (model == GIC_MODEL_V3)
		sysreg_set_gic_v3(vm); /* ID_AA64PFR0_EL1.GIC = 1 */
out_unlock_vcpus:
	vm_unlock_all_vcpus(vm);
	return ret;
}

int vgic_api_create_irqchip(struct vm *vm)
{
	int ret;

	pthread_mutex_lock(&vm->lock);
	ret = vgic_create_locked(vm, GIC_MODEL_V2);
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

/* --- the device fd (spec 3.1) ------------------------------------------- */

static long vgic_dev_ioctl(struct vkvm_file *file, unsigned long req,
			   unsigned long arg)
{
	struct vm *vm = file->priv;
	struct kvm_device_attr attr;

	switch (req) {
	case KVM_SET_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_HAS_DEVICE_ATTR:
		break;
	default:
		return -ENOTTY;
	}
	if (copy_from_user(&attr, arg, sizeof(attr)))
		return -EFAULT;
	if (req == KVM_SET_DEVICE_ATTR)
		return vgic_attr_set(vm, &attr);
	if (req == KVM_GET_DEVICE_ATTR)
		return vgic_attr_get(vm, &attr);
	return vgic_attr_has(vm, &attr);
}

/* Closing the device fd drops its VM reference; the vGIC stays. */
static void vgic_dev_release(struct vkvm_file *file)
{
	vm_put(file->priv);
}

static const struct vkvm_file_ops vgic_dev_fops = {
	.kind = VKVM_FILE_DEVICE,
	.ioctl = vgic_dev_ioctl,
	.release = vgic_dev_release,
};

/* The device types vkvm serves; ITS (8) stays ENODEV until its issue. */
static int vgic_model_of_type(uint32_t type, enum gic_model *model)
{
	switch (type) {
	case KVM_DEV_TYPE_ARM_VGIC_V2:
		*model = GIC_MODEL_V2;
		return 0;
	case KVM_DEV_TYPE_ARM_VGIC_V3:
		*model = GIC_MODEL_V3;
		return 0;
	default:
		return -ENODEV;
	}
}

int vgic_api_create_device(struct vm *vm, unsigned long uaddr)
{
	struct kvm_create_device cd;
	enum gic_model model;
	int fd, ret;

	if (copy_from_user(&cd, uaddr, sizeof(cd)))
		return -EFAULT;
	ret = vgic_model_of_type(cd.type, &model);
	if (ret || (cd.flags & KVM_CREATE_DEVICE_TEST))
		return ret;

	pthread_mutex_lock(&vm->lock);
	ret = vgic_create_locked(vm, model);
	pthread_mutex_unlock(&vm->lock);
	if (ret)
		return ret;
	/* The fd holds a VM reference; taken first so release can drop it. */
	vm_get(vm);
	fd = file_create(&vgic_dev_fops, vm, 0, NULL);
	if (fd < 0) {
		/* The vGIC stays, as in Linux when anon_inode_getfd fails. */
		vm_put(vm);
		return fd;
	}
	cd.fd = (uint32_t)fd;
	if (copy_to_user(uaddr, &cd, sizeof(cd)))
		return -EFAULT;
	return 0;
}

/* --- hooks called by vm.c / vcpu.c -------------------------------------- */

int vgic_api_vcpu_precreate(struct vm *vm, uint32_t id)
{
	bool initialized = false;

	if (vm->gic) {
		spin_lock(&vm->gic_lock);
		initialized = gic_initialized(vm->gic);
		spin_unlock(&vm->gic_lock);
	}
	if (initialized)
		return -EBUSY;
	return id >= vm->max_vcpus ? -EINVAL : 0;
}

int vgic_api_vcpu_created(struct vm *vm, struct vcpu *vcpu)
{
	int ret;

	if (!vm->gic)
		return 0;
	spin_lock(&vm->gic_lock);
	ret = gic_add_vcpu(vm->gic, vcpu->index, vcpu->id,
			   vgic_vcpu_mpidr(vcpu), vm->ipa_bits);
	spin_unlock(&vm->gic_lock);
	return ret;
}

int vgic_api_first_run(struct vm *vm)
{
	int ret;

	if (!vm->gic)
		return 0;
	spin_lock(&vm->gic_lock);
	ret = gic_map_resources(vm->gic, vm->ipa_bits);
	spin_unlock(&vm->gic_lock);
	return ret;
}

void vgic_api_destroy(struct vm *vm)
{
	gic_destroy(vm->gic);
	vm->gic = NULL;
}

int vgic_api_present(void)
{
	return 1;
}
