// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vcpu.c: the vCPU object, its fd and the vCPU-fd ioctls (spec 1.5, 4.1,
 * 5.2, 5.4).  Every ioctl runs under vcpu->mutex, like Linux's vcpu->mutex.
 */
#include "api/vcpu.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "api/one_reg.h"
#include "api/uaccess.h"
#include "api/vcpu_attr.h"
#include "api/vgic_api.h"
#include "common/log.h"
#include "cpu/cpu.h"

/* Feature bits of features[0] that vkvm knows (spec 5.2). */
#define VCPU_KNOWN_FEATURES                                                    \
	((1U << KVM_ARM_VCPU_POWER_OFF) | (1U << KVM_ARM_VCPU_EL1_32BIT) |     \
	 (1U << KVM_ARM_VCPU_PSCI_0_2) | (1U << KVM_ARM_VCPU_PMU_V3) |         \
	 (1U << KVM_ARM_VCPU_SVE) | (1U << KVM_ARM_VCPU_PTRAUTH_ADDRESS) |     \
	 (1U << KVM_ARM_VCPU_PTRAUTH_GENERIC) | (1U << KVM_ARM_VCPU_HAS_EL2) | \
	 (1U << KVM_ARM_VCPU_HAS_EL2_E2H0))
/* ...and the ones it can provide: PSCI 0.2+ and starting powered off. */
#define VCPU_SUPPORTED_FEATURES \
	((1U << KVM_ARM_VCPU_POWER_OFF) | (1U << KVM_ARM_VCPU_PSCI_0_2))

long vcpu_mmap_size(void)
{
	long page = (long)VKVM_PAGE_SIZE;

	return (long)((sizeof(struct kvm_run) + (size_t)page - 1) /
		      (size_t)page * (size_t)page);
}

void vcpu_reset(struct vcpu *vcpu)
{
	one_reg_reset(vcpu);
	vcpu->mp_state = (vcpu->features[0] & (1U << KVM_ARM_VCPU_POWER_OFF)) ?
				 KVM_MP_STATE_STOPPED :
				 KVM_MP_STATE_RUNNABLE;
}

/*
 * KVM_ARM_VCPU_INIT (spec 5.2), in the order of Linux 6.x
 * kvm_vcpu_init_check_features and kvm_vcpu_set_target: target (EINVAL),
 * unknown feature bits or features[1..6] (ENOENT), known features vkvm
 * cannot provide, pointer-auth pairs included (EINVAL), a feature set that
 * differs from the VM's or from this vCPU's previous init (EINVAL);
 * POWER_OFF takes part in none of these.
 */
static int vcpu_init(struct vcpu *vcpu, unsigned long uaddr)
{
	struct vm *vm = vcpu->vm;
	struct kvm_vcpu_init init;
	uint32_t req;
	int ret = 0;

	if (copy_from_user(&init, uaddr, sizeof(init)))
		return -EFAULT;
	if (init.target != KVM_ARM_TARGET_GENERIC_V8)
		return -EINVAL;
	req = init.features[0] & ~(1U << KVM_ARM_VCPU_POWER_OFF);
	if (req & ~VCPU_KNOWN_FEATURES)
		return -ENOENT;
	for (int i = 1; i < 7; i++)
		if (init.features[i])
			return -ENOENT;
	if (req & ~VCPU_SUPPORTED_FEATURES)
		return -EINVAL;

	pthread_mutex_lock(&vm->lock);
	if (vm->features_set && vm->features[0] != req) {
		ret = -EINVAL;
		goto out_unlock;
	}
	if (vcpu->initialized &&
	    (vcpu->features[0] & ~(1U << KVM_ARM_VCPU_POWER_OFF)) != req) {
		ret = -EINVAL;
		goto out_unlock;
	}
	vm->features_set = true;
	vm->features[0] = req;
	memcpy(vcpu->features, init.features, sizeof(vcpu->features));
	vcpu_reset(vcpu);
	vcpu->initialized = true;
out_unlock:
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

static int vcpu_get_mp_state(struct vcpu *vcpu, unsigned long uaddr)
{
	struct kvm_mp_state mp = { .mp_state = vcpu->mp_state };

	return copy_to_user(uaddr, &mp, sizeof(mp));
}

static int vcpu_set_mp_state(struct vcpu *vcpu, unsigned long uaddr)
{
	struct kvm_mp_state mp;

	if (copy_from_user(&mp, uaddr, sizeof(mp)))
		return -EFAULT;
	/*
	 * Linux (arm.c kvm_arch_vcpu_ioctl_set_mpstate) accepts SUSPENDED
	 * whatever KVM_CAP_ARM_SYSTEM_SUSPEND says, and neither MP_STATE
	 * ioctl needs VCPU_INIT (confirmed with search).  A SUSPENDED vCPU
	 * waits in KVM_RUN as in WFI and exits with SYSTEM_EVENT WAKEUP.
	 */
	switch (mp.mp_state) {
	case KVM_MP_STATE_RUNNABLE:
	case KVM_MP_STATE_STOPPED:
	case KVM_MP_STATE_SUSPENDED:
		vcpu->mp_state = mp.mp_state;
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * KVM_SET_SIGNAL_MASK (Linux kvm_vcpu_ioctl): NULL clears the mask; else
 * the header is read (EFAULT), its len must be 8, the kernel's sigset
 * size (EINVAL), then the 8-byte set is read (EFAULT).  SIGKILL and
 * SIGSTOP are dropped as Linux does; so are the two signals glibc keeps
 * for itself (32, 33), which a thread cannot block through glibc either.
 * Needs no VCPU_INIT.
 */
static int vcpu_set_sigmask(struct vcpu *vcpu, unsigned long uaddr)
{
	struct kvm_signal_mask hdr;
	uint64_t bits;

	if (!uaddr) {
		vcpu->sigmask_active = false;
		return 0;
	}
	if (copy_from_user(&hdr, uaddr, sizeof(hdr)))
		return -EFAULT;
	if (hdr.len != sizeof(bits))
		return -EINVAL;
	if (copy_from_user(&bits, uaddr + sizeof(hdr), sizeof(bits)))
		return -EFAULT;
	sigemptyset(&vcpu->sigmask);
	for (int sig = 1; sig <= 64; sig++)
		if ((bits >> (sig - 1)) & 1 && sig != SIGKILL && sig != SIGSTOP)
			sigaddset(&vcpu->sigmask, sig); /* EINVAL for 32, 33 */
	vcpu->sigmask_active = true;
	return 0;
}

static int vcpu_run(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	int ret;

	if (!vcpu->initialized)
		return -ENOEXEC;
	if (!atomic_load(&vm->has_run)) {
		pthread_mutex_lock(&vm->lock);
		ret = atomic_load(&vm->has_run) ? 0 : vgic_api_first_run(vm);
		if (!ret && !atomic_load(&vm->has_run))
			ret = vcpu_attr_first_run(vm);
		if (!ret)
			atomic_store(&vm->has_run, true);
		pthread_mutex_unlock(&vm->lock);
		if (ret)
			return ret;
	}
	return cpu_vcpu_run(vcpu);
}

static long vcpu_ioctl_locked(struct vcpu *vcpu, unsigned long req,
			      unsigned long arg)
{
	struct kvm_one_reg reg;

	switch (req) {
	case KVM_ARM_VCPU_INIT:
		return vcpu_init(vcpu, arg);
	case KVM_GET_MP_STATE:
		return vcpu_get_mp_state(vcpu, arg);
	case KVM_SET_MP_STATE:
		return vcpu_set_mp_state(vcpu, arg);
	case KVM_RUN:
		return vcpu_run(vcpu);
	case KVM_SET_SIGNAL_MASK:
		return vcpu_set_sigmask(vcpu, arg);
	case KVM_SET_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_HAS_DEVICE_ATTR:
		return vcpu_attr_ioctl(vcpu, req, arg);
	case KVM_GET_ONE_REG:
	case KVM_SET_ONE_REG:
		if (!vcpu->initialized)
			return -ENOEXEC;
		if (copy_from_user(&reg, arg, sizeof(reg)))
			return -EFAULT;
		return req == KVM_GET_ONE_REG ? one_reg_get(vcpu, &reg) :
						one_reg_set(vcpu, &reg);
	case KVM_GET_REG_LIST:
		if (!vcpu->initialized)
			return -ENOEXEC;
		return reg_list_get(vcpu, arg);
	case KVM_ARM_VCPU_FINALIZE:
		/* only SVE needs finalizing, and vkvm offers no SVE */
		return vcpu->initialized ? -EINVAL : -ENOEXEC;
	default:
		return -EINVAL;
	}
}

static long vcpu_ioctl(struct vkvm_file *file, unsigned long req,
		       unsigned long arg)
{
	struct vcpu *vcpu = file->priv;
	long ret;

	pthread_mutex_lock(&vcpu->mutex);
	ret = vcpu_ioctl_locked(vcpu, req, arg);
	pthread_mutex_unlock(&vcpu->mutex);
	return ret;
}

static void vcpu_release(struct vkvm_file *file)
{
	struct vcpu *vcpu = file->priv;

	vm_put(vcpu->vm);
}

static const struct vkvm_file_ops vcpu_fops = {
	.kind = VKVM_FILE_VCPU,
	.ioctl = vcpu_ioctl,
	.release = vcpu_release,
};

long vcpu_kick_file(struct vkvm_file *file)
{
	struct vcpu *vcpu = file->priv;

	if (file->ops != &vcpu_fops)
		return -EINVAL;
	atomic_store(&vcpu->kick, true);
	cpu_vcpu_kick(vcpu);
	return 0;
}

void vcpu_free(struct vcpu *vcpu)
{
	if (!vcpu)
		return;
	if (vcpu->run)
		munmap(vcpu->run, vcpu->run_size);
	pthread_mutex_destroy(&vcpu->mutex);
	free(vcpu);
}

/*
 * KVM_CREATE_VCPU (spec 1.5, 3.2): id below KVM_MAX_VCPU_IDS and the VM's
 * limit (EINVAL), not after vGIC init (EBUSY), not twice (EEXIST).  Order
 * of Linux's kvm_vm_ioctl_create_vcpu (confirmed with search): id limit,
 * created count vs max_vcpus, arch precreate (EBUSY, then id vs the VM's
 * limit), duplicate id last.
 */
int vcpu_create_fd(struct vm *vm, unsigned long id)
{
	struct vkvm_file *file;
	struct vcpu *vcpu;
	unsigned int n;
	int fd, ret;

	if (id >= VKVM_MAX_VCPUS)
		return -EINVAL;

	pthread_mutex_lock(&vm->lock);
	n = atomic_load(&vm->nr_vcpus);
	if (n >= vm->max_vcpus) {
		ret = -EINVAL;
		goto out_unlock;
	}
	ret = vgic_api_vcpu_precreate(vm, (uint32_t)id);
	if (ret)
		goto out_unlock;
	if (vm_vcpu_by_id(vm, (uint32_t)id)) {
		ret = -EEXIST;
		goto out_unlock;
	}

	vcpu = calloc(1, sizeof(*vcpu));
	if (!vcpu) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	vcpu->vm = vm;
	vcpu->id = (uint32_t)id;
	vcpu->index = n;
	pthread_mutex_init(&vcpu->mutex, NULL);
	vcpu->run_size = (size_t)vcpu_mmap_size();

	file = file_alloc(&vcpu_fops, vcpu, vcpu->run_size, &ret);
	if (!file)
		goto err_free;
	vcpu->file = file;
	vcpu->run = mmap(NULL, vcpu->run_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, file->fd, 0);
	if (vcpu->run == MAP_FAILED) {
		vcpu->run = NULL;
		ret = -ENOMEM;
		goto err_discard;
	}
	vm->vcpus[n] = vcpu;
	atomic_store_explicit(&vm->nr_vcpus, n + 1, memory_order_release);
	ret = vgic_api_vcpu_created(vm, vcpu);
	if (ret)
		goto err_unpublish;
	fd = file_install(file);
	if (fd < 0) {
		ret = fd;
		goto err_unpublish;
	}
	/* The fd holds a reference on the VM from now on. */
	vm_get(vm);
	pthread_mutex_unlock(&vm->lock);
	return fd;

err_unpublish:
	atomic_store_explicit(&vm->nr_vcpus, n, memory_order_release);
	vm->vcpus[n] = NULL;
err_discard:
	file_discard(file);
err_free:
	vcpu_free(vcpu);
out_unlock:
	pthread_mutex_unlock(&vm->lock);
	return ret;
}
