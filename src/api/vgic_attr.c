// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgic_attr.c: KVM_SET/GET/HAS_DEVICE_ATTR on the vGIC device fds: the
 * group table, attr decoding and the access rules of spec 3.6-3.8 (vCPU
 * lookup, busy vCPUs, implicit GICv2 init, GICv3 "not before init").
 */
#include <errno.h>

#include "api/uaccess.h"
#include "api/vgic_dev.h"

#define MODEL_V2 (1U << GIC_MODEL_V2)
#define MODEL_V3 (1U << GIC_MODEL_V3)

#define GICD_IIDR_OFFSET 0x8
#define GICD_TYPER2_OFFSET 0xc

/* A decoded register-access attr (DIST/CPU/REDIST/SYSREGS/LEVEL_INFO). */
struct reg_attr {
	uint32_t group;
	uint32_t cpu; /* vCPU index */
	uint32_t offset; /* byte offset, sysreg encoding or base INTID */
	uint32_t info; /* LEVEL_INFO info type */
};

static enum gic_model vm_model(struct vm *vm)
{
	return gic_get_model(vm->gic);
}

/* The vCPU named by a register attr (spec 3.8.1 step 1, 3.8.2 step 1). */
static struct vcpu *reg_attr_vcpu(struct vm *vm, uint32_t group, uint64_t attr)
{
	if (vm_model(vm) == GIC_MODEL_V2)
		return vm_vcpu_by_id(
			vm, (uint32_t)((attr & KVM_DEV_ARM_VGIC_CPUID_MASK) >>
				       KVM_DEV_ARM_VGIC_CPUID_SHIFT));
	if (group == KVM_DEV_ARM_VGIC_GRP_DIST_REGS)
		return vm_vcpu_by_index(vm, 0);
	return vgic_vcpu_by_attr_mpidr(
		vm, (uint32_t)(attr >> KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT));
}

/* Decode @attr (vm->lock held, so vCPUs do not come and go): -EINVAL when
 * it names no vCPU the model knows. */
static int reg_attr_parse(struct vm *vm, const struct kvm_device_attr *attr,
			  struct reg_attr *ra)
{
	struct vcpu *vcpu = reg_attr_vcpu(vm, attr->group, attr->attr);

	if (!vcpu || vcpu->index >= gic_nr_vcpus(vm->gic))
		return -EINVAL;
	ra->group = attr->group;
	ra->cpu = vcpu->index;
	ra->info = 0;
	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
		ra->offset = (uint32_t)(attr->attr &
					KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK);
		break;
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		ra->offset = (uint32_t)(attr->attr &
					KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK);
		ra->info = (uint32_t)((attr->attr &
				       KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_MASK) >>
				      KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT);
		break;
	default:
		ra->offset =
			(uint32_t)(attr->attr & KVM_DEV_ARM_VGIC_OFFSET_MASK);
		break;
	}
	return 0;
}

static int level_info_access(struct gic *gic, const struct reg_attr *ra,
			     uint64_t *val, bool write)
{
	uint32_t bitmap = (uint32_t)*val;
	int ret;

	if (ra->info != VGIC_LEVEL_INFO_LINE_LEVEL)
		return -EINVAL;
	if (write)
		return gic_line_level_set(gic, ra->cpu, ra->offset, bitmap);
	ret = gic_line_level_get(gic, ra->cpu, ra->offset, &bitmap);
	*val = bitmap;
	return ret;
}

static int reg_access_locked(struct gic *gic, const struct reg_attr *ra,
			     uint64_t *val, bool write)
{
	switch (ra->group) {
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
		return gic_dist_access(gic, ra->cpu, ra->offset, 4, val, write,
				       GIC_USER);
	case KVM_DEV_ARM_VGIC_GRP_CPU_REGS:
		return gic_cpuif_access(gic, ra->cpu, ra->offset, 4, val, write,
					GIC_USER);
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
		return gic_redist_access(gic, ra->cpu, ra->offset, 4, val,
					 write, GIC_USER);
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
		return gic_icc_access(gic, ra->cpu, (uint16_t)ra->offset, val,
				      write, GIC_USER);
	default:
		return level_info_access(gic, ra, val, write);
	}
}

/*
 * The life-cycle gate, gic_lock held: GICv2 user accesses initialize the
 * vGIC (spec 3.8.1 step 4); GICv3 ones need CTRL_INIT, except GICD_IIDR
 * and GICD_TYPER2 (spec 3.8.2 step 4, newest).
 */
static int reg_state_check(struct gic *gic, const struct reg_attr *ra)
{
	if (gic_get_model(gic) == GIC_MODEL_V2)
		return gic_init(gic);
	if (gic_initialized(gic))
		return 0;
	if (ra->group == KVM_DEV_ARM_VGIC_GRP_DIST_REGS &&
	    (ra->offset == GICD_IIDR_OFFSET ||
	     ra->offset == GICD_TYPER2_OFFSET))
		return 0;
	return -EBUSY;
}

/*
 * DIST/CPU/REDIST_REGS, CPU_SYSREGS, LEVEL_INFO SET/GET: parse (EINVAL),
 * copy in (EFAULT), vCPUs busy (EBUSY), state (init / EBUSY), access,
 * copy out (EFAULT).  The value is a u32, a u64 for CPU_SYSREGS.
 */
static int reg_attr_access(struct vm *vm, const struct kvm_device_attr *attr,
			   bool write)
{
	size_t size = attr->group == KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS ? 8 : 4;
	uint64_t val = 0;
	struct reg_attr ra;
	int ret;

	pthread_mutex_lock(&vm->lock);
	ret = reg_attr_parse(vm, attr, &ra);
	if (!ret && write)
		ret = copy_from_user(&val, attr->addr, size);
	if (!ret)
		ret = vgic_lock_busy(vm);
	if (ret)
		goto out_unlock;
	ret = reg_state_check(vm->gic, &ra);
	if (!ret)
		ret = reg_access_locked(vm->gic, &ra, &val, write);
	vgic_unlock_busy(vm);
out_unlock:
	pthread_mutex_unlock(&vm->lock);
	if (!ret && !write)
		ret = copy_to_user(attr->addr, &val, size);
	return ret;
}

static int reg_attr_has(struct vm *vm, const struct kvm_device_attr *attr)
{
	struct gic *gic = vm->gic;
	struct reg_attr ra;
	int ret;

	pthread_mutex_lock(&vm->lock);
	ret = reg_attr_parse(vm, attr, &ra);
	if (ret)
		goto out_unlock;
	spin_lock(&vm->gic_lock);
	switch (ra.group) {
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
		ret = gic_dist_has(gic, ra.offset);
		break;
	case KVM_DEV_ARM_VGIC_GRP_CPU_REGS:
		ret = gic_cpuif_has(gic, ra.offset);
		break;
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
		ret = gic_redist_has(gic, ra.offset);
		break;
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
		ret = gic_icc_has(gic, (uint16_t)ra.offset);
		break;
	default:
		ret = ra.info == VGIC_LEVEL_INFO_LINE_LEVEL ? 0 : -ENXIO;
		break;
	}
	spin_unlock(&vm->gic_lock);
out_unlock:
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

/*
 * A u32-valued group: copy in (SET), call @fn with vm->lock and gic_lock
 * held, copy out (GET).  EFAULT, or @fn's error.
 */
static int u32_attr_access(struct vm *vm, const struct kvm_device_attr *attr,
			   bool write,
			   int (*fn)(struct vm *vm, uint32_t *val, bool write))
{
	uint32_t val = 0;
	int ret;

	if (write && copy_from_user(&val, attr->addr, sizeof(val)))
		return -EFAULT;
	pthread_mutex_lock(&vm->lock);
	spin_lock(&vm->gic_lock);
	ret = fn(vm, &val, write);
	spin_unlock(&vm->gic_lock);
	pthread_mutex_unlock(&vm->lock);
	if (!ret && !write)
		ret = copy_to_user(attr->addr, &val, sizeof(val));
	return ret;
}

static int nr_irqs_locked(struct vm *vm, uint32_t *nr, bool write)
{
	if (write)
		return gic_set_nr_irqs(vm->gic, *nr);
	*nr = gic_get_nr_irqs(vm->gic);
	return 0;
}

/* Group NR_IRQS (spec 3.6): a u32, attr ignored. */
static int nr_irqs_access(struct vm *vm, const struct kvm_device_attr *attr,
			  bool write)
{
	return u32_attr_access(vm, attr, write, nr_irqs_locked);
}

/*
 * SAVE_PENDING_TABLES (spec 3.7): vCPUs busy EBUSY, not initialized
 * ENXIO.  Without an ITS there are no LPIs, so nothing is written.
 */
static int save_pending_tables(struct vm *vm)
{
	int ret;

	pthread_mutex_lock(&vm->lock);
	ret = vgic_lock_busy(vm);
	if (!ret) {
		ret = gic_initialized(vm->gic) ? 0 : -ENXIO;
		vgic_unlock_busy(vm);
	}
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

/* Group CTRL (spec 3.7): SET only; GET has no CTRL attr (ENXIO). */
static int ctrl_access(struct vm *vm, const struct kvm_device_attr *attr,
		       bool write)
{
	int ret;

	if (!write)
		return -ENXIO;
	switch (attr->attr) {
	case KVM_DEV_ARM_VGIC_CTRL_INIT:
		pthread_mutex_lock(&vm->lock);
		spin_lock(&vm->gic_lock);
		ret = gic_init(vm->gic);
		spin_unlock(&vm->gic_lock);
		pthread_mutex_unlock(&vm->lock);
		return ret;
	case KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES:
		if (vm_model(vm) != GIC_MODEL_V3)
			return -ENXIO;
		return save_pending_tables(vm);
	default:
		return -ENXIO;
	}
}

static int ctrl_has(struct vm *vm, const struct kvm_device_attr *attr)
{
	if (attr->attr == KVM_DEV_ARM_VGIC_CTRL_INIT)
		return 0;
	if (attr->attr == KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES &&
	    vm_model(vm) == GIC_MODEL_V3)
		return 0;
	return -ENXIO;
}

static int maint_irq_locked(struct vm *vm, uint32_t *intid, bool write)
{
	if (!write)
		*intid = vm->vgic_maint_irq;
	else if (gic_initialized(vm->gic))
		return -EBUSY;
	else if (*intid < 16 || *intid >= GIC_NR_PRIVATE_IRQS)
		return -EINVAL;
	else
		vm->vgic_maint_irq = *intid;
	return 0;
}

/*
 * Group MAINT_IRQ (spec 3.8.3, newest): SET a PPI before init (EBUSY
 * after, EINVAL not a PPI); GET the stored INTID.
 */
static int maint_irq_access(struct vm *vm, const struct kvm_device_attr *attr,
			    bool write)
{
	return u32_attr_access(vm, attr, write, maint_irq_locked);
}

static int always_has(struct vm *vm, const struct kvm_device_attr *attr)
{
	return 0;
}

/* One row per attribute group: which models have it and its handlers. */
static const struct vgic_group {
	uint32_t group;
	unsigned int models;
	int (*access)(struct vm *vm, const struct kvm_device_attr *attr,
		      bool write);
	int (*has)(struct vm *vm, const struct kvm_device_attr *attr);
} vgic_groups[] = {
	{ KVM_DEV_ARM_VGIC_GRP_ADDR, MODEL_V2 | MODEL_V3, vgic_addr_access,
	  vgic_addr_has },
	{ KVM_DEV_ARM_VGIC_GRP_DIST_REGS, MODEL_V2 | MODEL_V3, reg_attr_access,
	  reg_attr_has },
	{ KVM_DEV_ARM_VGIC_GRP_CPU_REGS, MODEL_V2, reg_attr_access,
	  reg_attr_has },
	{ KVM_DEV_ARM_VGIC_GRP_NR_IRQS, MODEL_V2 | MODEL_V3, nr_irqs_access,
	  always_has },
	{ KVM_DEV_ARM_VGIC_GRP_CTRL, MODEL_V2 | MODEL_V3, ctrl_access,
	  ctrl_has },
	{ KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, MODEL_V3, reg_attr_access,
	  reg_attr_has },
	{ KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, MODEL_V3, reg_attr_access,
	  reg_attr_has },
	{ KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO, MODEL_V3, reg_attr_access,
	  reg_attr_has },
	{ KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ, MODEL_V3, maint_irq_access,
	  always_has },
};

static const struct vgic_group *vgic_group_find(struct vm *vm, uint32_t group)
{
	unsigned int model = 1U << vm_model(vm);

	for (size_t i = 0; i < sizeof(vgic_groups) / sizeof(vgic_groups[0]);
	     i++)
		if (vgic_groups[i].group == group &&
		    (vgic_groups[i].models & model))
			return &vgic_groups[i];
	return NULL;
}

int vgic_attr_set(struct vm *vm, const struct kvm_device_attr *attr)
{
	const struct vgic_group *g = vgic_group_find(vm, attr->group);

	return g ? g->access(vm, attr, true) : -ENXIO;
}

int vgic_attr_get(struct vm *vm, const struct kvm_device_attr *attr)
{
	const struct vgic_group *g = vgic_group_find(vm, attr->group);

	return g ? g->access(vm, attr, false) : -ENXIO;
}

int vgic_attr_has(struct vm *vm, const struct kvm_device_attr *attr)
{
	const struct vgic_group *g = vgic_group_find(vm, attr->group);

	return g ? g->has(vm, attr) : -ENXIO;
}
