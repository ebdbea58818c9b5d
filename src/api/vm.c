// SPDX-License-Identifier: GPL-2.0-or-later
/* vm.c: the VM object, its fd and the VM-fd ioctls (spec 1.1, 1.4, 3, 5.1). */
#include "api/vm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/dirty_log.h"
#include "api/file.h"
#include "api/one_reg.h"
#include "api/uaccess.h"
#include "api/vcpu.h"
#include "api/vcpu_attr.h"
#include "api/vgic_api.h"
#include "common/log.h"
#include "cpu/cpu.h"

void vm_get(struct vm *vm)
{
	atomic_fetch_add_explicit(&vm->refs, 1, memory_order_relaxed);
}

static void vm_free(struct vm *vm)
{
	unsigned int n = atomic_load(&vm->nr_vcpus);

	cpu_engine_destroy(vm);
	vgic_api_destroy(vm);
	for (unsigned int i = 0; i < n; i++) {
		struct vcpu *vcpu = vm->vcpus[i];

		vcpu_free(vcpu);
	}
	for (unsigned int i = 0; i < vm->nr_slots; i++)
		dirty_log_put(vm->slots[i].dirty);
	free(vm->slots);
	pthread_mutex_destroy(&vm->slots_lock);
	pthread_mutex_destroy(&vm->lock);
	free(vm);
}

void vm_put(struct vm *vm)
{
	if (atomic_fetch_sub_explicit(&vm->refs, 1, memory_order_acq_rel) == 1)
		vm_free(vm);
}

struct vcpu *vm_vcpu_by_index(struct vm *vm, uint32_t index)
{
	if (index >= atomic_load_explicit(&vm->nr_vcpus, memory_order_acquire))
		return NULL;
	return vm->vcpus[index];
}

struct vcpu *vm_vcpu_by_id(struct vm *vm, uint32_t id)
{
	unsigned int n =
		atomic_load_explicit(&vm->nr_vcpus, memory_order_acquire);

	for (unsigned int i = 0; i < n; i++)
		if (vm->vcpus[i]->id == id)
			return vm->vcpus[i];
	return NULL;
}

int vm_lock_all_vcpus(struct vm *vm)
{
	unsigned int n = atomic_load(&vm->nr_vcpus);

	for (unsigned int i = 0; i < n; i++) {
		if (pthread_mutex_trylock(&vm->vcpus[i]->mutex)) {
			while (i--)
				pthread_mutex_unlock(&vm->vcpus[i]->mutex);
			return -EBUSY;
		}
	}
	return 0;
}

void vm_unlock_all_vcpus(struct vm *vm)
{
	unsigned int n = atomic_load(&vm->nr_vcpus);

	for (unsigned int i = 0; i < n; i++)
		pthread_mutex_unlock(&vm->vcpus[i]->mutex);
}

/* The VM's vCPU limit; the vGIC changes it under vm->lock. */
static long vm_max_vcpus(struct vm *vm)
{
	long n;

	pthread_mutex_lock(&vm->lock);
	n = vm->max_vcpus;
	pthread_mutex_unlock(&vm->lock);
	return n;
}

long vm_check_extension(struct vm *vm, unsigned long cap)
{
	switch (cap) {
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_ONE_REG:
	case KVM_CAP_READONLY_MEM:
	case KVM_CAP_MP_STATE:
	case KVM_CAP_SYNC_MMU:
		return 1;
	case KVM_CAP_IRQCHIP:
	case KVM_CAP_ARM_SET_DEVICE_ADDR:
	case KVM_CAP_DEVICE_CTRL:
	case KVM_CAP_ARM_IRQ_LINE_LAYOUT_2:
		return vgic_api_present();
	case KVM_CAP_NR_VCPUS:
		return VKVM_NR_VCPUS_HINT;
	case KVM_CAP_MAX_VCPUS:
	case KVM_CAP_MAX_VCPU_ID: /* both the VM's limit on arm64 (arm.c) */
		return vm ? vm_max_vcpus(vm) : VKVM_MAX_VCPUS;
	case KVM_CAP_NR_MEMSLOTS:
		return VKVM_MAX_MEMSLOTS;
	case KVM_CAP_ARM_VM_IPA_SIZE:
		return VKVM_MAX_IPA_BITS;
	case KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2:
		return KVM_DIRTY_LOG_MANUAL_CAPS;
	default:
		return 0;
	}
}

static int vm_preferred_target(unsigned long uaddr)
{
	struct kvm_vcpu_init init;

	memset(&init, 0, sizeof(init));
	init.target = KVM_ARM_TARGET_GENERIC_V8;
	return copy_to_user(uaddr, &init, sizeof(init));
}

static long vm_ioctl(struct vkvm_file *file, unsigned long req,
		     unsigned long arg)
{
	struct vm *vm = file->priv;

	switch (req) {
	case KVM_CREATE_VCPU:
		return vcpu_create_fd(vm, arg);
	case KVM_CHECK_EXTENSION:
		return vm_check_extension(vm, arg);
	case KVM_SET_USER_MEMORY_REGION: {
		struct kvm_userspace_memory_region mr;

		if (copy_from_user(&mr, arg, sizeof(mr)))
			return -EFAULT;
		return memslot_set(vm, &mr);
	}
	case KVM_ARM_PREFERRED_TARGET:
		return vm_preferred_target(arg);
	case KVM_GET_DIRTY_LOG:
		return vm_get_dirty_log(vm, arg);
	case KVM_CLEAR_DIRTY_LOG:
		return vm_clear_dirty_log(vm, arg);
	case KVM_ENABLE_CAP:
		return vm_enable_cap(vm, arg);
	case KVM_CREATE_IRQCHIP:
		return vgic_api_create_irqchip(vm);
	case KVM_ARM_SET_DEVICE_ADDR:
		return vgic_api_set_device_addr(vm, arg);
	case KVM_CREATE_DEVICE:
		return vgic_api_create_device(vm, arg);
	case KVM_IRQ_LINE:
		return vgic_api_irq_line(vm, arg);
	default:
		return -EINVAL;
	}
}

static void vm_release(struct vkvm_file *file)
{
	vm_put(file->priv);
}

static const struct vkvm_file_ops vm_fops = {
	.kind = VKVM_FILE_VM,
	.ioctl = vm_ioctl,
	.release = vm_release,
};

int vm_create_fd(unsigned long type)
{
	unsigned int ipa = KVM_VM_TYPE_ARM_IPA_SIZE(type);
	struct vm *vm;
	int fd;

	/*
	 * Linux kvm_init_ipa_range (was kvm_arm_setup_stage2), confirmed with
	 * search: bits beyond the IPA size field, then a size above the
	 * limit or below 32 bits: EINVAL; 0 means 40 bits.
	 */
	if (type & ~KVM_VM_TYPE_ARM_IPA_SIZE_MASK)
		return -EINVAL;
	if (ipa == 0)
		ipa = VKVM_DEFAULT_IPA_BITS;
	else if (ipa > VKVM_MAX_IPA_BITS || ipa < VKVM_MIN_IPA_BITS)
		return -EINVAL;

	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	atomic_init(&vm->refs, 1);
	pthread_mutex_init(&vm->lock, NULL);
	pthread_mutex_init(&vm->slots_lock, NULL);
	spin_init(&vm->gic_lock);
	vm->ipa_bits = ipa;
	vm->max_vcpus = VKVM_MAX_VCPUS;
	one_reg_vm_init(vm);
	vcpu_attr_vm_init(vm);

	fd = file_create(&vm_fops, vm, 0, NULL);
	if (fd < 0)
		vm_free(vm);
	return fd;
}
