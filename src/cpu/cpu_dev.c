// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpu_dev.c: the vGIC seen from a running guest (engine spec K5, K8):
 * MMIO frames and ICC_* registers go to the model under vm->gic_lock, the
 * timers drive their PPIs (27 and 30 unless KVM_ARM_VCPU_TIMER_CTRL moved
 * them), and the IRQ/FIQ inputs the model set through
 * set_line (vcpu->irq_line/fiq_line) are applied to the engine at once.
 */
#include "cpu/cpu_dev.h"

#include <errno.h>
#include <stdlib.h>

#include "cpu/engine.h"
#include "gic/gic.h"

/* Timer @t's PPI (0 virtual, 1 physical): KVM_ARM_VCPU_TIMER_CTRL's
 * VTIMER/PTIMER numbers, fixed once the VM has run (vcpu_attr.c). */
static uint32_t timer_ppi(const struct vm *vm, int t)
{
	return vm->timer_ppi[t == 0 ? KVM_ARM_VCPU_TIMER_IRQ_VTIMER :
				      KVM_ARM_VCPU_TIMER_IRQ_PTIMER];
}

/*
 * Around a model access by the vCPU's own guest code (vm->gic_lock
 * held): the vGIC does not kick the vCPU for a line change it causes, but
 * notes it (vgic_create.c), and own_end() says whether it happened.
 */
static void own_begin(struct cpu_vcpu *cv)
{
	cv->vcpu->gic_own_access = VCPU_GIC_OWN_ACCESS;
}

static bool own_end(struct cpu_vcpu *cv)
{
	bool changed = cv->vcpu->gic_own_access == VCPU_GIC_OWN_CHANGED;

	cv->vcpu->gic_own_access = VCPU_GIC_OWN_NONE;
	return changed;
}

/*
 * After an own access that changed the vCPU's inputs: apply them now (a
 * lowered line must not deliver a stale IRQ at the next TB; a raised one
 * is taken at the next TB without leaving the run).
 */
static void dev_apply_line(struct cpu_vcpu *cv)
{
	uc_kit_update_line(&cv->kit, atomic_load(&cv->vcpu->irq_line),
			   atomic_load(&cv->vcpu->fiq_line));
}

bool cpu_dev_access(struct cpu_vcpu *cv, uint64_t gpa, unsigned int len,
		    uint64_t *val, bool is_write)
{
	struct vm *vm = cv->vcpu->vm;
	bool changed = false;
	int hit = 0;

	spin_lock(&vm->gic_lock);
	if (vm->gic && gic_ready(vm->gic)) {
		own_begin(cv);
		hit = gic_mmio(vm->gic, cv->index, gpa, len, val, is_write);
		changed = own_end(cv);
	}
	spin_unlock(&vm->gic_lock);
	if (changed)
		dev_apply_line(cv);
	return hit == 1;
}

static int frame_cmp(const void *a, const void *b)
{
	const struct cpu_dev_frame *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

unsigned int cpu_dev_frames(struct vm *vm, struct cpu_dev_frame *out,
			    unsigned int max)
{
	struct gic_frame_map map[CPU_DEV_MAX_FRAMES];
	unsigned int n = 0, kept = 0;

	if (max > CPU_DEV_MAX_FRAMES)
		max = CPU_DEV_MAX_FRAMES;
	spin_lock(&vm->gic_lock);
	if (vm->gic)
		n = gic_mmio_frames(vm->gic, map, max);
	spin_unlock(&vm->gic_lock);
	for (unsigned int i = 0; i < n; i++)
		out[i] = (struct cpu_dev_frame){ map[i].base, map[i].size,
						 map[i].id };
	qsort(out, n, sizeof(*out), frame_cmp);
	/* Overlaps cannot pass the vGIC's checks; drop any all the same. */
	for (unsigned int i = 0; i < n; i++)
		if (!kept ||
		    out[i].base >= out[kept - 1].base + out[kept - 1].size)
			out[kept++] = out[i];
	return kept;
}

bool cpu_dev_frame_access(struct cpu_vcpu *cv, uint32_t id, uint64_t off,
			  unsigned int len, uint64_t *val, bool is_write)
{
	struct vm *vm = cv->vcpu->vm;
	const struct gic_reg *reg;
	bool changed;
	int hit;

	/* vm->gic is set before the frames exist and never changes. */
	if (gic_mmio_frame_reg(vm->gic, id, off, &reg)) {
		if (!is_write)
			*val = 0;
		return true;
	}
	spin_lock(&vm->gic_lock);
	own_begin(cv);
	hit = gic_mmio_frame(vm->gic, id, reg, cv->index, off, len, val,
			     is_write);
	changed = own_end(cv);
	spin_unlock(&vm->gic_lock);
	if (changed)
		dev_apply_line(cv);
	return hit;
}

bool cpu_dev_icc(struct cpu_vcpu *cv, uint16_t enc, uint64_t *val,
		 bool is_write)
{
	struct vm *vm = cv->vcpu->vm;
	bool changed = false;
	int ret = -ENOENT;

	spin_lock(&vm->gic_lock);
	if (vm->gic && gic_get_model(vm->gic) == GIC_MODEL_V3) {
		own_begin(cv);
		ret = gic_icc_access(vm->gic, cv->index, enc, val, is_write,
				     GIC_GUEST);
		changed = own_end(cv);
	}
	spin_unlock(&vm->gic_lock);
	if (changed)
		dev_apply_line(cv);
	return ret == 0;
}

void cpu_dev_timer_level(struct cpu_vcpu *cv, int t, bool level)
{
	struct vm *vm = cv->vcpu->vm;

	spin_lock(&vm->gic_lock);
	if (vm->gic && gic_ready(vm->gic))
		gic_inject(vm->gic, cv->index, timer_ppi(vm, t), level,
			   GIC_GUEST);
	spin_unlock(&vm->gic_lock);
	uc_kit_set_line(&cv->kit, atomic_load(&cv->vcpu->irq_line),
			atomic_load(&cv->vcpu->fiq_line));
}

void cpu_dev_vm_init(struct vm *vm)
{
	spin_lock(&vm->gic_lock);
	if (vm->gic) {
		gic_set_owned(vm->gic, timer_ppi(vm, 0));
		gic_set_owned(vm->gic, timer_ppi(vm, 1));
	}
	spin_unlock(&vm->gic_lock);
}
