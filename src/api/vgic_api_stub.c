// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgic_api_stub.c: the in-kernel irqchip is not built yet; every entry
 * point answers as Linux does on a host without a vGIC.
 * TODO(issue 4): replaced by the device API and vGIC models.
 */
#include <errno.h>

#include "api/vgic_api.h"

int vgic_api_create_irqchip(struct vm *vm)
{
	(void)vm;
	return -ENXIO;
}

int vgic_api_set_device_addr(struct vm *vm, unsigned long uaddr)
{
	(void)vm;
	(void)uaddr;
	return -ENXIO;
}

int vgic_api_create_device(struct vm *vm, unsigned long uaddr)
{
	(void)vm;
	(void)uaddr;
	return -ENODEV;
}

int vgic_api_irq_line(struct vm *vm, unsigned long uaddr)
{
	(void)vm;
	(void)uaddr;
	return -ENXIO;
}

int vgic_api_vcpu_precreate(struct vm *vm, uint32_t id)
{
	return id >= vm->max_vcpus ? -EINVAL : 0;
}

int vgic_api_vcpu_created(struct vm *vm, struct vcpu *vcpu)
{
	(void)vm;
	(void)vcpu;
	return 0;
}

int vgic_api_first_run(struct vm *vm)
{
	(void)vm;
	return 0;
}

void vgic_api_destroy(struct vm *vm)
{
	(void)vm;
}

int vgic_api_present(void)
{
	return 0;
}
