// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgic_bench.c: the time of a full GICv3 save + restore through the device
 * attribute API (issue 4): 8 vCPUs, 256 interrupts, QEMU's register lists
 * and order (spec 8.2), no guest RAM.  Goal: <= 1 ms for both together.
 *
 *   vgic_bench [ITERATIONS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <vkvm/vkvm.h>

#define NR_CPUS 8
#define NR_IRQS 256
#define GOAL_US 1000.0
#define MAX_REGS 4096

#define DIST KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define REDIST KVM_DEV_ARM_VGIC_GRP_REDIST_REGS
#define SYSREGS KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS
#define LEVEL KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO
#define SGI 0x10000

/* One register access: SET a saved value (@slot >= 0) or a constant. */
struct reg {
	uint32_t group;
	uint64_t attr;
	int slot; /* index into the saved values, -1: write @konst */
	uint64_t konst;
};

struct list {
	struct reg r[MAX_REGS];
	int n;
};

static int add(struct list *l, uint32_t group, uint64_t attr, int slot,
	       uint64_t konst)
{
	if (l->n == MAX_REGS) {
		fprintf(stderr, "vgic_bench: list too long\n");
		exit(1);
	}
	l->r[l->n] = (struct reg){ group, attr, slot, konst };
	return l->n++;
}

static uint64_t mpidr(uint32_t cpu)
{
	return (uint64_t)cpu << 32; /* ids < 16: Aff0 = id */
}

/* QEMU's "get" list (spec 8.2); each entry's index is its value slot. */
static void build_save(struct list *s)
{
	static const uint32_t rd[] = { 0x0,	   0x10,	0x14,
				       SGI + 0x80, SGI + 0x100, SGI + 0xC04 };
	static const uint16_t icc[] = { 0xC665, 0xC664, 0xC666, 0xC667, 0xC230,
					0xC643, 0xC663, 0xC644, 0xC648 };

	add(s, DIST, 0x0, -1, 0);
	for (uint32_t c = 0; c < NR_CPUS; c++) {
		for (size_t i = 0; i < sizeof(rd) / sizeof(rd[0]); i++)
			add(s, REDIST, mpidr(c) | rd[i], -1, 0);
		add(s, LEVEL, mpidr(c) | 0, -1, 0);
		add(s, REDIST, mpidr(c) | (SGI + 0x200), -1, 0);
		add(s, REDIST, mpidr(c) | (SGI + 0x300), -1, 0);
		for (uint32_t k = 0; k < 8; k++)
			add(s, REDIST, mpidr(c) | (SGI + 0x400 + 4 * k), -1, 0);
	}
	add(s, DIST, 0x10, -1, 0);
	for (uint32_t w = 1; w < NR_IRQS / 32; w++) {
		add(s, DIST, 0x80 + 4 * w, -1, 0);
		add(s, DIST, 0x100 + 4 * w, -1, 0);
		add(s, LEVEL, 32 * w, -1, 0);
		add(s, DIST, 0x200 + 4 * w, -1, 0);
		add(s, DIST, 0x300 + 4 * w, -1, 0);
		add(s, DIST, 0xC00 + 8 * w, -1, 0);
		add(s, DIST, 0xC00 + 8 * w + 4, -1, 0);
	}
	for (uint32_t i = 32; i < NR_IRQS; i += 4)
		add(s, DIST, 0x400 + i, -1, 0);
	for (uint32_t i = 32; i < NR_IRQS; i++) {
		add(s, DIST, 0x6000 + 8 * i, -1, 0);
		add(s, DIST, 0x6000 + 8 * i + 4, -1, 0);
	}
	for (uint32_t c = 0; c < NR_CPUS; c++)
		for (size_t i = 0; i < sizeof(icc) / sizeof(icc[0]); i++)
			add(s, SYSREGS, mpidr(c) | icc[i], -1, 0);
}

/* The slot of the saved register (@group, @attr). */
static int slot_of(const struct list *s, uint32_t group, uint64_t attr)
{
	for (int i = 0; i < s->n; i++)
		if (s->r[i].group == group && s->r[i].attr == attr)
			return i;
	fprintf(stderr, "vgic_bench: 0x%llx not saved\n",
		(unsigned long long)attr);
	exit(1);
}

static void put(struct list *r, const struct list *s, uint32_t group,
		uint64_t attr)
{
	add(r, group, attr, slot_of(s, group, attr), 0);
}

/* A clear register write, then the saved set register. */
static void put_pair(struct list *r, const struct list *s, uint32_t group,
		     uint64_t clr, uint64_t set, uint64_t konst)
{
	add(r, group, clr, -1, konst);
	put(r, s, group, set);
}

/* QEMU's "put" order (spec 8.2): GICD_CTLR, redistributors, distributor,
 * CPU interfaces. */
static void build_restore(struct list *r, const struct list *s)
{
	put(r, s, DIST, 0x0);
	for (uint32_t c = 0; c < NR_CPUS; c++) {
		uint64_t m = mpidr(c);

		put(r, s, REDIST, m | 0x0);
		put(r, s, REDIST, m | 0x10);
		put(r, s, REDIST, m | 0x14);
		put(r, s, REDIST, m | (SGI + 0x80));
		put_pair(r, s, REDIST, m | (SGI + 0x180), m | (SGI + 0x100),
			 ~0U);
		put(r, s, REDIST, m | (SGI + 0xC04));
		put(r, s, LEVEL, m | 0);
		put_pair(r, s, REDIST, m | (SGI + 0x280), m | (SGI + 0x200),
			 ~0U);
		put_pair(r, s, REDIST, m | (SGI + 0x380), m | (SGI + 0x300),
			 ~0U);
		for (uint32_t k = 0; k < 8; k++)
			put(r, s, REDIST, m | (SGI + 0x400 + 4 * k));
	}
	put(r, s, DIST, 0x10);
	for (uint32_t w = 1; w < NR_IRQS / 32; w++)
		put_pair(r, s, DIST, 0x180 + 4 * w, 0x100 + 4 * w, 0);
	for (uint32_t w = 1; w < NR_IRQS / 32; w++)
		put(r, s, DIST, 0x80 + 4 * w);
	for (uint32_t i = 32; i < NR_IRQS; i++) {
		put(r, s, DIST, 0x6000 + 8 * i);
		put(r, s, DIST, 0x6000 + 8 * i + 4);
	}
	for (uint32_t w = 2; w < NR_IRQS / 16; w++)
		put(r, s, DIST, 0xC00 + 4 * w);
	for (uint32_t w = 1; w < NR_IRQS / 32; w++)
		put(r, s, LEVEL, 32 * w);
	for (uint32_t w = 1; w < NR_IRQS / 32; w++)
		put_pair(r, s, DIST, 0x280 + 4 * w, 0x200 + 4 * w, 0);
	for (uint32_t w = 1; w < NR_IRQS / 32; w++)
		put_pair(r, s, DIST, 0x380 + 4 * w, 0x300 + 4 * w, 0);
	for (uint32_t i = 32; i < NR_IRQS; i += 4)
		put(r, s, DIST, 0x400 + i);
	for (int i = 0; i < s->n; i++)
		if (s->r[i].group == SYSREGS)
			add(r, SYSREGS, s->r[i].attr, i, 0);
}

static int access(int dev, unsigned long req, const struct reg *r,
		  uint64_t *val)
{
	struct kvm_device_attr a = { .group = r->group,
				     .attr = r->attr,
				     .addr = (uint64_t)(uintptr_t)val };

	return vkvm_ioctl(dev, req, &a);
}

/* A GICv3 VM with NR_CPUS vCPUs, NR_IRQS interrupts, initialized. */
static int make_vm(int kvm)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint32_t nr = NR_IRQS;
	uint64_t dist = 0x8000000, redist = 0x80a0000;
	struct kvm_device_attr a[] = {
		{ .group = KVM_DEV_ARM_VGIC_GRP_NR_IRQS,
		  .addr = (uint64_t)(uintptr_t)&nr },
		{ .group = KVM_DEV_ARM_VGIC_GRP_ADDR,
		  .attr = KVM_VGIC_V3_ADDR_TYPE_DIST,
		  .addr = (uint64_t)(uintptr_t)&dist },
		{ .group = KVM_DEV_ARM_VGIC_GRP_ADDR,
		  .attr = KVM_VGIC_V3_ADDR_TYPE_REDIST,
		  .addr = (uint64_t)(uintptr_t)&redist },
		{ .group = KVM_DEV_ARM_VGIC_GRP_CTRL,
		  .attr = KVM_DEV_ARM_VGIC_CTRL_INIT },
	};
	int vm = vkvm_ioctl(kvm, KVM_CREATE_VM, 0);

	if (vm < 0)
		return -1;
	for (unsigned long i = 0; i < NR_CPUS; i++)
		if (vkvm_ioctl(vm, KVM_CREATE_VCPU, i) < 0)
			return -1;
	if (vkvm_ioctl(vm, KVM_CREATE_DEVICE, &cd) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++)
		if (vkvm_ioctl((int)cd.fd, KVM_SET_DEVICE_ATTR, &a[i]) < 0)
			return -1;
	return (int)cd.fd;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static struct list save_list, restore_list;
static uint64_t vals[MAX_REGS];

/* One save of @src and restore into @dst; 0, or -1 at the first failure. */
static int save_restore(int src, int dst, double *save_us, double *rest_us)
{
	double t0 = now_us(), t1;

	for (int i = 0; i < save_list.n; i++)
		if (access(src, KVM_GET_DEVICE_ATTR, &save_list.r[i],
			   &vals[i]) < 0)
			return -1;
	t1 = now_us();
	for (int i = 0; i < restore_list.n; i++) {
		const struct reg *r = &restore_list.r[i];
		uint64_t v = r->slot >= 0 ? vals[r->slot] : r->konst;

		if (access(dst, KVM_SET_DEVICE_ATTR, r, &v) < 0)
			return -1;
	}
	*save_us = t1 - t0;
	*rest_us = now_us() - t1;
	return 0;
}

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 200;
	double best_s = 1e30, best_r = 1e30, s_us, r_us;
	int kvm = vkvm_open(), src, dst;

	build_save(&save_list);
	build_restore(&restore_list, &save_list);
	src = make_vm(kvm);
	dst = make_vm(kvm);
	if (kvm < 0 || src < 0 || dst < 0 || iters <= 0) {
		perror("vgic_bench: setup");
		return 1;
	}
	for (int i = 0; i < iters; i++) {
		if (save_restore(src, dst, &s_us, &r_us)) {
			perror("vgic_bench: save/restore");
			return 1;
		}
		if (s_us + r_us < best_s + best_r) {
			best_s = s_us;
			best_r = r_us;
		}
	}
	printf("vgic_bench: GICv3, %d vCPUs, %d IRQs, QEMU order, best of %d\n",
	       NR_CPUS, NR_IRQS, iters);
	printf("%-16s %6d accesses %9.1f us\n", "save", save_list.n, best_s);
	printf("%-16s %6d accesses %9.1f us\n", "restore", restore_list.n,
	       best_r);
	printf("%-16s %6s          %9.1f us  %s (goal <= %.0f us)\n",
	       "save+restore", "", best_s + best_r,
	       best_s + best_r <= GOAL_US ? "ok" : "MISS", GOAL_US);
	return 0;
}
