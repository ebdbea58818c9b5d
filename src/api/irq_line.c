// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * irq_line.c: KVM_IRQ_LINE on arm64 (spec 5.3): the irq field decoding
 * (incl. the layout-2 vCPU bits), the CPU line without an in-kernel
 * irqchip, SPI/PPI injection with GICv2 lazy init and the GICv3 EBUSY.
 */
#include <errno.h>

#include "api/uaccess.h"
#include "api/vgic_api.h"
#include "api/vgic_dev.h"
#include "cpu/cpu.h"

struct irq_line {
	uint32_t type;
	uint32_t vcpu_id;
	uint32_t num;
	bool level;
};

static struct irq_line irq_line_decode(const struct kvm_irq_level *il)
{
	uint32_t irq = il->irq;
	struct irq_line l = {
		.type = (irq >> KVM_ARM_IRQ_TYPE_SHIFT) & KVM_ARM_IRQ_TYPE_MASK,
		.vcpu_id = ((irq >> KVM_ARM_IRQ_VCPU_SHIFT) &
			    KVM_ARM_IRQ_VCPU_MASK) +
			   ((irq >> KVM_ARM_IRQ_VCPU2_SHIFT) &
			    KVM_ARM_IRQ_VCPU2_MASK) *
				   (KVM_ARM_IRQ_VCPU_MASK + 1),
		.num = (irq >> KVM_ARM_IRQ_NUM_SHIFT) & KVM_ARM_IRQ_NUM_MASK,
		.level = il->level != 0,
	};
	return l;
}

/* Type CPU, no irqchip (checked by the caller): drive the vCPU's IRQ or
 * FIQ input for the engine to sample. */
static int irq_line_cpu(struct vm *vm, const struct irq_line *l)
{
	struct vcpu *vcpu = vm_vcpu_by_id(vm, l->vcpu_id);
	if (!vcpu || l->num > KVM_ARM_IRQ_CPU_FIQ)
		return -EINVAL;
	if (l->num == KVM_ARM_IRQ_CPU_IRQ)
		atomic_store(&vcpu->irq_line, l->level);
	else
		atomic_store(&vcpu->fiq_line, l->level);
	cpu_vcpu_kick(vcpu);
	return 0;
}

/*
 * vgic_lazy_init: a GICv2 initializes on the first injection, a GICv3
 * must have had CTRL_INIT (EBUSY).  vm->lock keeps vCPU creation out.
 */
static int irq_line_lazy_init(struct vm *vm)
{
	int ret = 0;

	pthread_mutex_lock(&vm->lock);
	spin_lock(&vm->gic_lock);
	if (!gic_initialized(vm->gic))
		ret = gic_get_model(vm->gic) == GIC_MODEL_V2 ?
			      gic_init(vm->gic) :
			      -EBUSY;
	spin_unlock(&vm->gic_lock);
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

static int irq_line_inject(struct vm *vm, uint32_t cpu,
			   const struct irq_line *l)
{
	bool ready;
	int ret;

	spin_lock(&vm->gic_lock);
	ready = gic_initialized(vm->gic);
	if (ready)
		ret = gic_inject(vm->gic, cpu, l->num, l->level, GIC_USER);
	spin_unlock(&vm->gic_lock);
	if (ready)
		return ret;
	ret = irq_line_lazy_init(vm);
	return ret ? ret : irq_line_inject(vm, cpu, l);
}

int vgic_api_irq_line(struct vm *vm, unsigned long uaddr)
{
	struct kvm_irq_level il;
	struct irq_line l;
	struct vcpu *vcpu;
	bool has_gic;

	if (copy_from_user(&il, uaddr, sizeof(il)))
		return -EFAULT;
	l = irq_line_decode(&il);
	spin_lock(&vm->gic_lock);
	has_gic = vm->gic != NULL;
	spin_unlock(&vm->gic_lock);

	switch (l.type) {
	case KVM_ARM_IRQ_TYPE_CPU:
		return has_gic ? -ENXIO : irq_line_cpu(vm, &l);
	case KVM_ARM_IRQ_TYPE_PPI:
		if (!has_gic)
			return -ENXIO;
		vcpu = vm_vcpu_by_id(vm, l.vcpu_id);
		if (!vcpu || l.num < 16 || l.num >= GIC_NR_PRIVATE_IRQS)
			return -EINVAL;
		return irq_line_inject(vm, vcpu->index, &l);
	case KVM_ARM_IRQ_TYPE_SPI:
		if (!has_gic)
			return -ENXIO;
		if (l.num < GIC_NR_PRIVATE_IRQS)
			return -EINVAL;
		return irq_line_inject(vm, 0, &l);
	default:
		return -EINVAL;
	}
}
