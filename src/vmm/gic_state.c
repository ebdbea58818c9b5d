// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gic_state.c: the vGIC part of a snapshot, through the device attribute
 * groups only.  One ordered plan per GIC model lists the registers that
 * hold state, in the restore order real VMMs use (kvm-arm-api.md 8.2 for
 * GICv3, 8.4 for GICv2); the save walks the plan and stores (group, attr,
 * value) records in that order, the restore writes the records back in
 * file order, each set-register (ISENABLER, ISPENDR, ISACTIVER, SPENDSGIR)
 * right after its clear-register was written with all ones.
 */
#include "vm_state.h"

#include <errno.h>
#include <string.h>

#include <vkvm/vkvm.h>

#define GRP_DIST KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define GRP_CPU KVM_DEV_ARM_VGIC_GRP_CPU_REGS
#define GRP_REDIST KVM_DEV_ARM_VGIC_GRP_REDIST_REGS
#define GRP_SYSREGS KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS
#define GRP_LEVEL KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO

#define GICR_SGI 0x10000U
#define ICC_CTLR 0xC664U
#define ICC_AP0R0 0xC644U
#define ICC_AP1R0 0xC648U

enum plan_kind {
	P_ONE, /* one distributor register */
	P_CPU, /* @count words (or one sysreg) of each vCPU, in a block */
	P_SPI, /* a per-interrupt register over the SPIs */
	P_BANKED, /* GICv2: private words of each vCPU, then the SPIs */
	P_LEVEL_SPI, /* LEVEL_INFO, one word per 32 SPIs */
	P_APR, /* ICC_AP0Rn then ICC_AP1Rn, n from ICC_CTLR.PRIbits */
};

struct plan_entry {
	uint8_t kind;
	uint8_t bits; /* per interrupt (P_SPI, P_BANKED) */
	uint8_t count; /* P_CPU: consecutive 32-bit words */
	uint8_t block; /* P_CPU/P_APR: entries of a block go vCPU by vCPU */
	uint32_t group, off;
};

#define ONE(o)                              \
	{                                   \
		P_ONE, 0, 0, 0, GRP_DIST, o \
	}
#define SPI(o, b)                           \
	{                                   \
		P_SPI, b, 0, 0, GRP_DIST, o \
	}
#define BANKED(o, b)                           \
	{                                      \
		P_BANKED, b, 0, 0, GRP_DIST, o \
	}
#define CPU(blk, g, o, n)              \
	{                              \
		P_CPU, 0, n, blk, g, o \
	}

/* GICv3, QEMU's "put" order (kvm-arm-api.md 8.2), no ITS. */
static const struct plan_entry plan_v3[] = {
	ONE(0x0000), /* GICD_CTLR */
	CPU(1, GRP_REDIST, 0x0000, 1), /* GICR_CTLR */
	CPU(1, GRP_REDIST, 0x0010, 1), /* GICR_STATUSR */
	CPU(1, GRP_REDIST, 0x0014, 1), /* GICR_WAKER */
	CPU(1, GRP_REDIST, GICR_SGI + 0x080, 1), /* IGROUPR0 */
	CPU(1, GRP_REDIST, GICR_SGI + 0x100, 1), /* ISENABLER0 */
	CPU(1, GRP_REDIST, GICR_SGI + 0xC04, 1), /* ICFGR1 */
	CPU(1, GRP_LEVEL, 0, 1), /* line levels of INTIDs 0-31 */
	CPU(1, GRP_REDIST, GICR_SGI + 0x200, 1), /* ISPENDR0 */
	CPU(1, GRP_REDIST, GICR_SGI + 0x300, 1), /* ISACTIVER0 */
	CPU(1, GRP_REDIST, GICR_SGI + 0x400, 8), /* IPRIORITYR0-7 */
	ONE(0x0010), /* GICD_STATUSR */
	SPI(0x0100, 1), /* ISENABLER */
	SPI(0x0080, 1), /* IGROUPR */
	SPI(0x6000, 64), /* IROUTER: targets before pending */
	SPI(0x0C00, 2), /* ICFGR: configuration before pending */
	{ P_LEVEL_SPI, 0, 0, 0, GRP_LEVEL, 0 },
	SPI(0x0200, 1), /* ISPENDR */
	SPI(0x0300, 1), /* ISACTIVER */
	SPI(0x0400, 8), /* IPRIORITYR */
	CPU(2, GRP_SYSREGS, 0xC665, 1), /* ICC_SRE_EL1 */
	CPU(2, GRP_SYSREGS, ICC_CTLR, 1), /* ICC_CTLR_EL1 */
	CPU(2, GRP_SYSREGS, 0xC666, 1), /* ICC_IGRPEN0_EL1 */
	CPU(2, GRP_SYSREGS, 0xC667, 1), /* ICC_IGRPEN1_EL1 */
	CPU(2, GRP_SYSREGS, 0xC230, 1), /* ICC_PMR_EL1 */
	CPU(2, GRP_SYSREGS, 0xC643, 1), /* ICC_BPR0_EL1 */
	CPU(2, GRP_SYSREGS, 0xC663, 1), /* ICC_BPR1_EL1 */
	{ P_APR, 0, 0, 2, GRP_SYSREGS, 0 },
};

/*
 * GICv2, QEMU's order (kvm-arm-api.md 8.4).  GICD_IIDR is written before
 * IGROUPR: the kernel ignores user IGROUPR writes until it has been.
 */
static const struct plan_entry plan_v2[] = {
	ONE(0x000), /* GICD_CTLR */
	ONE(0x008), /* GICD_IIDR */
	BANKED(0x100, 1), /* ISENABLER */
	BANKED(0x080, 1), /* IGROUPR */
	SPI(0x800, 8), /* ITARGETSR (private bytes are read-only) */
	SPI(0xC00, 2), /* ICFGR (private words are read-only) */
	BANKED(0x200, 1), /* ISPENDR */
	BANKED(0x300, 1), /* ISACTIVER */
	BANKED(0x400, 8), /* IPRIORITYR */
	CPU(1, GRP_DIST, 0xF20, 4), /* SPENDSGIR0-3 */
	CPU(2, GRP_CPU, 0x00, 1), /* GICC_CTLR */
	CPU(2, GRP_CPU, 0x04, 1), /* GICC_PMR */
	CPU(2, GRP_CPU, 0x08, 1), /* GICC_BPR */
	CPU(2, GRP_CPU, 0x1C, 1), /* GICC_ABPR */
	CPU(2, GRP_CPU, 0xD0, 4), /* GICC_APR0-3 */
};

#define PLAN_LEN(p) (sizeof(p) / sizeof((p)[0]))

uint64_t vmm_gic_v3_mpidr_attr(uint64_t mpidr)
{
	uint64_t aff = (mpidr & 0xffffffULL) | ((mpidr >> 32) & 0xff) << 24;

	return aff << KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT;
}

/* The attr bits that name vCPU @i (GICv2: its id; GICv3: its affinity). */
static uint64_t vcpu_attr(const struct vmm_state_vm *vm, uint32_t i)
{
	if (vm->m->gic_version == 2)
		return (uint64_t)vm->m->vcpus[i].id
		       << KVM_DEV_ARM_VGIC_CPUID_SHIFT;
	return vmm_gic_v3_mpidr_attr(vm->m->vcpus[i].mpidr);
}

static int gic_attr(const struct vmm_state_vm *vm, unsigned long req,
		    uint32_t group, uint64_t attr, void *val)
{
	struct kvm_device_attr a = { .group = group,
				     .attr = attr,
				     .addr = (uint64_t)(uintptr_t)val };

	return vkvm_ioctl(vm->gic_fd, req, &a) < 0 ? -errno : 0;
}

/* The walk of a plan: @emit is called for every register, in order. */
struct plan_walk {
	const struct vmm_state_vm *vm;
	int (*emit)(struct plan_walk *pw, uint32_t group, uint64_t attr);
	struct snap_buf *out;
	uint32_t count;
	struct vmm_err *err;
};

static int walk_words(struct plan_walk *pw, uint32_t group, uint64_t attr,
		      uint32_t off, uint32_t n)
{
	int ret = 0;

	for (uint32_t k = 0; !ret && k < n; k++)
		ret = pw->emit(pw, group, attr | (off + 4 * k));
	return ret;
}

/* ICC_AP0Rn/AP1Rn: 1, 2 or 4 of each from ICC_CTLR_EL1.PRIbits. */
static int walk_apr(struct plan_walk *pw, uint64_t attr)
{
	uint64_t ctlr = 0;
	uint32_t pri, n;
	int ret;

	ret = gic_attr(pw->vm, KVM_GET_DEVICE_ATTR, GRP_SYSREGS,
		       attr | ICC_CTLR, &ctlr);
	if (ret)
		return vmm_errf(pw->err, -ret,
				"vGIC: KVM_GET_DEVICE_ATTR(ICC_CTLR_EL1): %s",
				strerror(-ret));
	pri = (uint32_t)((ctlr >> 8) & 7) + 1;
	n = pri >= 7 ? 4 : pri == 6 ? 2 : 1;
	for (uint32_t k = 0; !ret && k < n; k++)
		ret = pw->emit(pw, GRP_SYSREGS, attr | (ICC_AP0R0 + k));
	for (uint32_t k = 0; !ret && k < n; k++)
		ret = pw->emit(pw, GRP_SYSREGS, attr | (ICC_AP1R0 + k));
	return ret;
}

static int walk_cpu_entry(struct plan_walk *pw, const struct plan_entry *e,
			  uint32_t i)
{
	uint64_t attr = vcpu_attr(pw->vm, i);

	if (e->kind == P_APR)
		return walk_apr(pw, attr);
	if (e->group == GRP_SYSREGS)
		return pw->emit(pw, e->group, attr | e->off);
	return walk_words(pw, e->group, attr, e->off, e->count);
}

/* Entries [@first, @last) form one block: vCPU by vCPU. */
static int walk_block(struct plan_walk *pw, const struct plan_entry *first,
		      const struct plan_entry *last)
{
	int ret = 0;

	for (uint32_t i = 0; !ret && i < pw->vm->m->nr_vcpus; i++)
		for (const struct plan_entry *e = first; !ret && e < last; e++)
			ret = walk_cpu_entry(pw, e, i);
	return ret;
}

static int walk_irq_entry(struct plan_walk *pw, const struct plan_entry *e)
{
	uint32_t priv_words = e->bits,
		 words = pw->vm->m->nr_irqs * e->bits / 32;
	uint64_t cpu0 = vcpu_attr(pw->vm, 0);
	int ret = 0;

	switch (e->kind) {
	case P_ONE:
		return pw->emit(pw, e->group, e->off);
	case P_LEVEL_SPI:
		for (uint32_t irq = 32; !ret && irq < pw->vm->m->nr_irqs;
		     irq += 32)
			ret = pw->emit(pw, GRP_LEVEL, cpu0 | irq);
		return ret;
	case P_BANKED:
		for (uint32_t i = 0; !ret && i < pw->vm->m->nr_vcpus; i++)
			ret = walk_words(pw, e->group, vcpu_attr(pw->vm, i),
					 e->off, priv_words);
		__attribute__((fallthrough)); /* then the SPI words */
	default:
		if (pw->vm->m->gic_version == 3)
			cpu0 = 0; /* DIST_REGS on GICv3 ignore the MPIDR */
		if (!ret)
			ret = walk_words(pw, e->group, cpu0,
					 e->off + 4 * priv_words,
					 words - priv_words);
		return ret;
	}
}

static int walk_plan(struct plan_walk *pw)
{
	const struct plan_entry *p = pw->vm->m->gic_version == 3 ? plan_v3 :
								   plan_v2;
	size_t n = pw->vm->m->gic_version == 3 ? PLAN_LEN(plan_v3) :
						 PLAN_LEN(plan_v2);
	int ret = 0;

	for (size_t i = 0; !ret && i < n;) {
		size_t j = i + 1;

		if (p[i].kind != P_CPU && p[i].kind != P_APR) {
			ret = walk_irq_entry(pw, &p[i]);
			i = j;
			continue;
		}
		while (j < n && p[j].block == p[i].block)
			j++;
		ret = walk_block(pw, &p[i], &p[j]);
		i = j;
	}
	return ret;
}

static int save_one(struct plan_walk *pw, uint32_t group, uint64_t attr)
{
	uint32_t size = group == GRP_SYSREGS ? 8 : 4;
	uint64_t v = 0;
	int ret;

	/* a u64 buffer for every group: CPU_SYSREGS copies 8 bytes */
	ret = gic_attr(pw->vm, KVM_GET_DEVICE_ATTR, group, attr, &v);
	if (ret)
		return vmm_errf(pw->err, -ret,
				"vGIC: KVM_GET_DEVICE_ATTR(group %u, attr "
				"0x%llx): %s",
				group, (unsigned long long)attr,
				strerror(-ret));
	snap_buf_put32(pw->out, group);
	snap_buf_put32(pw->out, size);
	snap_buf_put64(pw->out, attr);
	if (size == 8)
		snap_buf_put64(pw->out, v);
	else
		snap_buf_put32(pw->out, (uint32_t)v);
	pw->count++;
	return 0;
}

int vmm_gic_state_save(const struct vmm_state_vm *vm, struct snap_buf *b,
		       struct vmm_err *err)
{
	struct plan_walk pw = { vm, save_one, b, 0, err };
	size_t at = b->len;
	int ret;

	snap_buf_put32(b, 0); /* the count, patched below */
	ret = walk_plan(&pw);
	if (!ret && b->oom)
		ret = vmm_errf(err, ENOMEM, "vGIC: out of memory");
	if (!ret)
		for (int i = 0; i < 4; i++)
			b->data[at + i] = (uint8_t)(pw.count >> (8 * i));
	return ret;
}

/* The clear-register that goes before a set-register, or 0. */
static uint32_t clear_reg_of(uint32_t model, uint32_t group, uint32_t off)
{
	uint32_t o = off;

	if (group == GRP_REDIST) {
		if (off < GICR_SGI)
			return 0;
		o = off - GICR_SGI;
	} else if (group != GRP_DIST) {
		return 0;
	}
	if ((o >= 0x100 && o < 0x180) || (o >= 0x200 && o < 0x280) ||
	    (o >= 0x300 && o < 0x380))
		return off + 0x80;
	if (model == 2 && group == GRP_DIST && o >= 0xF20 && o < 0xF30)
		return off - 0x10;
	return 0;
}

static int restore_rec(const struct vmm_state_vm *vm,
		       const struct snap_gic_rec *r, uint32_t idx,
		       struct vmm_err *err)
{
	uint32_t off = (uint32_t)r->attr, clr;
	uint64_t v = r->value, ones = 0xffffffffULL;
	int ret = 0;

	clr = clear_reg_of(vm->m->gic_version, r->group, off);
	if (clr)
		ret = gic_attr(vm, KVM_SET_DEVICE_ATTR, r->group,
			       (r->attr & ~0xffffffffULL) | clr, &ones);
	if (!ret)
		ret = gic_attr(vm, KVM_SET_DEVICE_ATTR, r->group, r->attr, &v);
	if (ret)
		return vmm_errf(err, -ret,
				"vGIC record %u (group %u, attr 0x%llx): "
				"KVM_SET_DEVICE_ATTR: %s",
				idx, r->group, (unsigned long long)r->attr,
				strerror(-ret));
	return 0;
}

int vmm_gic_state_restore(const struct vmm_state_vm *vm,
			  const struct snap_span *s, struct vmm_err *err)
{
	struct snap_cursor c = snap_cursor_of(s);
	struct snap_gic_rec r;
	uint32_t i = 0;
	int ret = 0;

	while (!ret && snap_next_gic(&c, &r))
		ret = restore_rec(vm, &r, i++, err);
	return ret;
}
