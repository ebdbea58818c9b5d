/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vgic_api.h: the VM-fd and vCPU-fd entry points of the in-kernel irqchip
 * (legacy KVM_CREATE_IRQCHIP/KVM_ARM_SET_DEVICE_ADDR, KVM_CREATE_DEVICE,
 * KVM_IRQ_LINE) and the hooks the VM/vCPU code calls into the vGIC.
 * All return 0/-errno (or an fd).
 */
#ifndef VKVM_API_VGIC_API_H
#define VKVM_API_VGIC_API_H

#include "api/vm.h"

/* KVM_CREATE_IRQCHIP (spec 3.10). */
int vgic_api_create_irqchip(struct vm *vm);

/* KVM_ARM_SET_DEVICE_ADDR (spec 2.2); @uaddr is the user pointer. */
int vgic_api_set_device_addr(struct vm *vm, unsigned long uaddr);

/* KVM_CREATE_DEVICE (spec 3.1, 3.2); @uaddr points at kvm_create_device. */
int vgic_api_create_device(struct vm *vm, unsigned long uaddr);

/* KVM_IRQ_LINE (spec 5.3); @uaddr points at kvm_irq_level. */
int vgic_api_irq_line(struct vm *vm, unsigned long uaddr);

/*
 * vgic_api_vcpu_precreate - called under vm->lock before a vCPU with @id
 * is created: -EBUSY once the vGIC is initialized, -EINVAL if @id is not
 * below the VM's vCPU limit, else 0.
 */
int vgic_api_vcpu_precreate(struct vm *vm, uint32_t id);

/*
 * vgic_api_vcpu_created - called under vm->lock after @vcpu was added, so
 * the vGIC can give it a redistributor (spec 3.4.4).  Returns 0 or
 * -EINVAL (the new redistributor fails its base check); on error the
 * caller removes the vCPU again.
 */
int vgic_api_vcpu_created(struct vm *vm, struct vcpu *vcpu);

/*
 * vgic_api_first_run - the vGIC part of the first KVM_RUN (spec 3.5):
 * address checks, implicit init, mark ready.  0 or -ENXIO/-EINVAL/-EBUSY.
 */
int vgic_api_first_run(struct vm *vm);

/* vgic_api_destroy - free the vGIC at VM teardown. */
void vgic_api_destroy(struct vm *vm);

/* vgic_api_present - whether KVM_CAP_IRQCHIP is advertised. */
int vgic_api_present(void);

#endif /* VKVM_API_VGIC_API_H */
