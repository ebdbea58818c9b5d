// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpu_dev.c: the vGIC seen from a running guest (engine spec K5, K8):
 * MMIO frames and ICC_* registers go to the model under vm->gic_lock, the
 * timers drive their PPIs, and the IRQ/FIQ inputs the model set through
 * set_line (vcpu->irq_line/fiq_line) are applied to the engine at once.
 */
#include "cpu/cpu_dev.h"

#include <errno.h>

#include "cpu/engine.h"
#include "gic/gic.h"

#define PPI_VTIMER 27
#define PPI_PTIMER 30

/* Called with the result of a model access: lower/raise the inputs now
 * (a lowered line must not deliver a stale IRQ at the next TB). */
static void dev_apply_line(struct cpu_vcpu *cv)
{
	uc_kit_set_line(&cv->kit, atomic_load(&cv->vcpu->irq_line),
			atomic_load(&cv->vcpu->fiq_line));
}

bool cpu_dev_access(struct cpu_vcpu *cv, uint64_t gpa, unsigned int len,
		    uint64_t *val, bool is_write)
{
	struct vm *vm = cv->vcpu->vm;
	int hit = 0;

	pthread_mutex_lock(&vm->gic_lock);
	if (vm->gic && gic_ready(vm->gic))
		hit = gic_mmio(vm->gic, cv->index, gpa, len, val, is_write);
	pthread_mutex_unlock(&vm->gic_lock);
	if (hit == 1)
		dev_apply_line(cv);
	return hit == 1;
}

bool cpu_dev_icc(struct cpu_vcpu *cv, uint16_t enc, uint64_t *val,
		 bool is_write)
{
	struct vm *vm = cv->vcpu->vm;
	int ret = -ENOENT;

	pthread_mutex_lock(&vm->gic_lock);
	if (vm->gic && gic_get_model(vm->gic) == GIC_MODEL_V3)
		ret = gic_icc_access(vm->gic, cv->index, enc, val, is_write,
				     GIC_GUEST);
	pthread_mutex_unlock(&vm->gic_lock);
	if (ret)
		return false;
	dev_apply_line(cv);
	return true;
}

void cpu_dev_timer_level(struct cpu_vcpu *cv, int t, bool level)
{
	struct vm *vm = cv->vcpu->vm;

	pthread_mutex_lock(&vm->gic_lock);
	if (vm->gic && gic_ready(vm->gic))
		gic_inject(vm->gic, cv->index, t == 0 ? PPI_VTIMER : PPI_PTIMER,
			   level, GIC_GUEST);
	pthread_mutex_unlock(&vm->gic_lock);
	dev_apply_line(cv);
}

void cpu_dev_vm_init(struct vm *vm)
{
	pthread_mutex_lock(&vm->gic_lock);
	if (vm->gic) {
		gic_set_owned(vm->gic, PPI_VTIMER);
		gic_set_owned(vm->gic, PPI_PTIMER);
	}
	pthread_mutex_unlock(&vm->gic_lock);
}
