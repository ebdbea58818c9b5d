/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snapshot_util.h: helpers for the snapshot tests: an in-memory sink, a
 * 4-vCPU machine description, a VM configured through the public API
 * (registers, MP state, interrupts enabled/pending/active with priorities
 * and routes, CPU-interface state, RAM, device state) and its snapshot.
 */
#ifndef VKVM_TESTS_SNAPSHOT_UTIL_H
#define VKVM_TESTS_SNAPSHOT_UTIL_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <vkvm/vkvm.h>

#include "lib/test.h"
#include "vmm/layout.h"
#include "vmm/vm_state.h"

#define ST_NR_CPUS 4
#define ST_RAM_SIZE (1ULL << 20)
#define ST_CORE(name)                                          \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
	 KVM_REG_ARM_CORE_REG(name))
#define ST_SCTLR_EL1 ARM64_SYS_REG(3, 0, 1, 0, 0)
#define ST_PRIO(irq) ((0x80a0c0e0U + (irq)*8) & 0xf8f8f8f8U)

static inline int st_sink(void *opaque, const void *buf, size_t len)
{
	struct snap_buf *b = opaque;

	snap_buf_put(b, buf, len);
	return b->oom ? -ENOMEM : 0;
}

struct st_machine {
	struct snap_vcpu_desc vcpus[ST_NR_CPUS];
	struct snap_machine m;
};

static inline void st_machine_init(struct st_machine *s, uint32_t gic)
{
	static const char cmd[] = "vkvm\0run\0--kernel\0test";

	memset(s, 0, sizeof(*s));
	for (uint32_t i = 0; i < ST_NR_CPUS; i++)
		s->vcpus[i] = (struct snap_vcpu_desc){ i, (1ULL << 31) | i };
	s->m.nr_vcpus = ST_NR_CPUS;
	s->m.gic_version = gic;
	s->m.nr_irqs = VIRT_NR_IRQS;
	s->m.nr_ram = 1;
	s->m.gic_dist = VIRT_GIC_DIST_BASE;
	s->m.gic_cpu = gic == 3 ? VIRT_GIC_REDIST_BASE : VIRT_GIC_CPU_BASE;
	s->m.vcpus = s->vcpus;
	s->m.ram[0] =
		(struct snap_ram_desc){ VIRT_RAM_BASE, ST_RAM_SIZE, 0, 0 };
	s->m.cmdline = cmd;
	s->m.cmdline_len = sizeof(cmd);
}

static inline int st_attr(int fd, unsigned long req, uint32_t group,
			  uint64_t attr, uint64_t *v)
{
	struct kvm_device_attr a = { .group = group,
				     .attr = attr,
				     .addr = (uint64_t)(uintptr_t)v };

	return vkvm_ioctl(fd, req, &a);
}

static inline void st_set(int fd, uint32_t group, uint64_t attr, uint64_t v)
{
	int r = st_attr(fd, KVM_SET_DEVICE_ATTR, group, attr, &v);

	if (r)
		test_fail(__FILE__, __LINE__, "SET group %u attr 0x%llx: %s",
			  group, (unsigned long long)attr, strerror(errno));
}

static inline uint64_t st_get(int fd, uint32_t group, uint64_t attr)
{
	uint64_t v = 0;

	if (st_attr(fd, KVM_GET_DEVICE_ATTR, group, attr, &v))
		test_fail(__FILE__, __LINE__, "GET group %u attr 0x%llx: %s",
			  group, (unsigned long long)attr, strerror(errno));
	return v;
}

static inline void st_set_reg(int fd, uint64_t id, uint64_t v)
{
	struct kvm_one_reg r = { id, (uint64_t)(uintptr_t)&v };

	if (vkvm_ioctl(fd, KVM_SET_ONE_REG, &r))
		test_fail(__FILE__, __LINE__, "SET_ONE_REG 0x%llx: %s",
			  (unsigned long long)id, strerror(errno));
}

#define GD KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define GC KVM_DEV_ARM_VGIC_GRP_CPU_REGS
#define GR KVM_DEV_ARM_VGIC_GRP_REDIST_REGS
#define GS KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS

/* SPIs 40.. : enabled, pending, active, priorities, targets. */
static inline void st_config_spis(const struct vmm_state_vm *vm)
{
	int fd = vm->gic_fd;
	bool v3 = vm->m->gic_version == 3;

	st_set(fd, GD, 0x000, v3 ? 0x2 : 0x1); /* GICD_CTLR enable */
	st_set(fd, GD, 0x080 + 4, 0xffff00ff); /* IGROUPR1 */
	st_set(fd, GD, 0x100 + 4, 0x0000ff0f); /* ISENABLER1: 32-35, 40-47 */
	st_set(fd, GD, 0x100 + 8, 0x80000001); /* ISENABLER2 */
	st_set(fd, GD, 0xC00 + 12, 0x0000aaaa); /* ICFGR3: 48-55 edge */
	st_set(fd, GD, 0x200 + 4, 0x00000500); /* ISPENDR1: 40, 42 */
	st_set(fd, GD, 0x300 + 4, 0x00002000); /* ISACTIVER1: 45 */
	for (uint32_t irq = 32; irq < 64; irq += 4)
		st_set(fd, GD, 0x400 + irq, ST_PRIO(irq));
	for (uint32_t irq = 32; irq < 48; irq++) {
		if (v3)
			st_set(fd, GD, 0x6000 + 8 * irq, irq % ST_NR_CPUS);
		else if (irq % 4 == 0)
			st_set(fd, GD, 0x800 + irq, 0x08040201);
	}
}

/* Private interrupts and the CPU interface of vCPU @i. */
static inline void st_config_cpu(const struct vmm_state_vm *vm, uint32_t i)
{
	int fd = vm->gic_fd;

	if (vm->m->gic_version == 3) {
		uint64_t a = vmm_gic_v3_mpidr_attr(vm->m->vcpus[i].mpidr);

		st_set(fd, GR, a | 0x10100, 0x08000000u << (i & 1)); /* PPI */
		st_set(fd, GR, a | 0x10200, 1u << i); /* SGI i pending */
		st_set(fd, GR, a | 0x10300, 1u << (i + 4)); /* SGI active */
		st_set(fd, GR, a | 0x10404, 0x10203040u + i);
		st_set(fd, GS, a | 0xC230, 0xf0 - 8 * i); /* PMR */
		st_set(fd, GS, a | 0xC667, 1); /* IGRPEN1 */
		st_set(fd, GS, a | 0xC663, 3); /* BPR1 */
		st_set(fd, GS, a | 0xC648, 1ULL << (i + 1)); /* AP1R0 */
	} else {
		uint64_t a = (uint64_t)i << 32;

		st_set(fd, GD, a | 0x100, 0x08000000u << (i & 1));
		st_set(fd, GD, a | 0x200, 1u << (i + 1)); /* SGI pending */
		st_set(fd, GD, a | 0x300, 1u << (i + 4)); /* SGI active */
		st_set(fd, GD, a | 0x404, 0x10203040u + 8 * i);
		st_set(fd, GD, a | 0xF24, 1u << i); /* SGI 4 from CPU i */
		st_set(fd, GC, a | 0x00, 1); /* GICC_CTLR */
		st_set(fd, GC, a | 0x04, 0x1e - i); /* PMR, 5-bit form */
		st_set(fd, GC, a | 0x08, 2); /* BPR */
		st_set(fd, GC, a | 0xD0, 1u << i); /* APR0 */
	}
}

static inline void st_config_regs(const struct vmm_state_vm *vm, uint32_t i)
{
	int fd = vm->vcpu_fds[i];

	for (int r = 0; r < 31; r++)
		st_set_reg(fd, ST_CORE(regs.regs[r]),
			   0x1111111111111111ULL * (uint64_t)(r % 15) + i);
	st_set_reg(fd, ST_CORE(regs.pc), VIRT_RAM_BASE + 0x80000 + 4 * i);
	st_set_reg(fd, ST_CORE(regs.pstate), 0x3c5);
	st_set_reg(fd, ST_CORE(sp_el1), VIRT_RAM_BASE + 0x10000 * (i + 1));
	if (i == 1)
		st_set_reg(fd, ST_SCTLR_EL1, 0x30d00801 | 1);
	if (i == 3) {
		struct kvm_mp_state mp = { KVM_MP_STATE_STOPPED };

		EXPECT_OK(vkvm_ioctl(fd, KVM_SET_MP_STATE, &mp));
	}
}

/* A VM for @m, configured through the API (or left at reset). */
static inline void st_vm_new(struct vmm_state_vm *vm,
			     const struct snap_machine *m, bool configure)
{
	struct vmm_err err;

	if (vmm_state_vm_create(vm, m, &err)) {
		test_fail(__FILE__, __LINE__, "vm_create: %s", err.msg);
		test_abort_current();
	}
	if (!configure)
		return;
	st_config_spis(vm);
	for (uint32_t i = 0; i < m->nr_vcpus; i++) {
		st_config_cpu(vm, i);
		st_config_regs(vm, i);
	}
	memcpy(vm->ram[0] + 0x1000, "guest RAM page", 14);
}

static inline const struct snap_pl011 *st_pl011(void)
{
	static const struct snap_pl011 u = { .rx = "abc",
					     .rx_count = 3,
					     .imsc = 0x10,
					     .ibrd = 13,
					     .cr = 0x301,
					     .lcr_h = 0x70 };
	return &u;
}

static inline const struct snap_pl031 *st_pl031(void)
{
	static const struct snap_pl031 r = { .offset = -5, .mr = 1234 };
	return &r;
}

/* Save @vm into @out (freed by the caller with snap_buf_free()). */
static inline int st_save(const struct vmm_state_vm *vm, struct snap_buf *out)
{
	struct vmm_state_devices dev = { st_pl011(), st_pl031() };
	struct snap_writer w = { st_sink, out, 0, 0 };
	struct vmm_err err;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = vmm_state_save(vm, &dev, &w, &err);
	if (ret)
		test_fail(__FILE__, __LINE__, "save: %s", err.msg);
	return ret;
}

#endif /* VKVM_TESTS_SNAPSHOT_UTIL_H */
