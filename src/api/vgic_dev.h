/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vgic_dev.h: internals shared by the vGIC API files (vgic_create.c,
 * vgic_addr.c, vgic_attr.c, irq_line.c).  Only src/api knows the attr bit
 * layouts; these helpers decode them and call the model (gic/gic.h).
 *
 * Locks, outermost first (vm.h): vm->lock, the vCPU mutexes (trylock),
 * vm->gic_lock.  vm->gic is set under vm->lock and vm->gic_lock and never
 * changes again until the VM is freed, so a device fd (which exists only
 * once vm->gic is set) may read the pointer without a lock.
 */
#ifndef VKVM_API_VGIC_DEV_H
#define VKVM_API_VGIC_DEV_H

#include <stdbool.h>
#include <stdint.h>

#include <vkvm/kvm.h>

#include "api/vm.h"
#include "gic/gic.h"

/*
 * vgic_vcpu_mpidr - the MPIDR_EL1 value the vGIC uses for @vcpu: Linux's
 * reset value built from the vCPU id (spec 1.5).
 */
uint64_t vgic_vcpu_mpidr(const struct vcpu *vcpu);

/*
 * vgic_vcpu_by_attr_mpidr - the vCPU whose affinity matches the GICv3
 * attr MPIDR field @aff (bits 63:32 of attr, GICR_TYPER packing:
 * Aff3.Aff2.Aff1.Aff0), or NULL.
 */
struct vcpu *vgic_vcpu_by_attr_mpidr(struct vm *vm, uint32_t aff);

/*
 * vgic_lock_busy - with vm->lock held, take every vCPU mutex with a
 * trylock, then vm->gic_lock.  0 with all held, or -EBUSY (a vCPU is
 * inside an ioctl) with none of them held.
 */
int vgic_lock_busy(struct vm *vm);

/* vgic_unlock_busy - undo a successful vgic_lock_busy (keeps vm->lock). */
void vgic_unlock_busy(struct vm *vm);

/*
 * vgic_addr_access - group ADDR (spec 3.4) SET (@write) or GET.  Returns 0,
 * -EFAULT bad pointer, -ENXIO attr unknown or of the other model, -ENOENT
 * (GET of a missing REDIST_REGION index), or the model's range errors
 * (-EEXIST, -EINVAL, -E2BIG).
 */
int vgic_addr_access(struct vm *vm, const struct kvm_device_attr *attr,
		     bool write);

/* vgic_addr_has - HAS_ATTR for group ADDR: 0 or -ENXIO. */
int vgic_addr_has(struct vm *vm, const struct kvm_device_attr *attr);

/*
 * vgic_attr_set/get/has - KVM_SET/GET/HAS_DEVICE_ATTR on a vGIC device fd
 * (spec 3.4-3.8) for @attr already copied in.  Errors as listed per group
 * in the spec: -ENXIO unknown group or attr, -EFAULT, -EINVAL, -EBUSY,
 * -ENOENT, -EEXIST, -E2BIG.
 */
int vgic_attr_set(struct vm *vm, const struct kvm_device_attr *attr);
int vgic_attr_get(struct vm *vm, const struct kvm_device_attr *attr);
int vgic_attr_has(struct vm *vm, const struct kvm_device_attr *attr);

#endif /* VKVM_API_VGIC_DEV_H */
