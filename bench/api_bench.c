// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * api_bench.c: the cost of a vkvm ioctl next to a bare ioctl(2) system
 * call, in one run: ns per KVM_GET_ONE_REG, KVM_HAS_DEVICE_ATTR and
 * KVM_GET_DEVICE_ATTR against ns per FIONREAD on a pipe, and their ratio
 * (goal <= 0.25).
 *
 *   api_bench [ITERATIONS]
 *
 * The calls are timed in interleaved rounds, so that a busy moment of the
 * host hits all of them alike, and each figure is its best round.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <vkvm/vkvm.h>

#define ROUNDS 7
#define RATIO_GOAL 0.25

struct bench_env {
	int kvm, vm, vcpu;
	int pipe_fd[2];
};

/* One measured operation: @fd, @req, @arg for vkvm_ioctl or ioctl(2). */
struct bench_op {
	const char *name;
	const char *note; /* what the figure really measures, if not @name */
	int fd;
	unsigned long req;
	void *arg;
	int sys; /* 1: ioctl(2), 0: vkvm_ioctl */
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* ns per call of one round of @iters calls of @op. */
static double bench_round(const struct bench_op *op, long iters)
{
	double t0 = now_ns();

	if (op->sys) {
		for (long i = 0; i < iters; i++)
			ioctl(op->fd, op->req, op->arg);
	} else {
		for (long i = 0; i < iters; i++)
			vkvm_ioctl(op->fd, op->req, op->arg);
	}
	return (now_ns() - t0) / (double)iters;
}

/* @best[i]: the best ns per call of @ops[i] over ROUNDS interleaved rounds. */
static void bench_run(const struct bench_op *ops, size_t n, long iters,
		      double *best)
{
	for (int r = 0; r < ROUNDS; r++) {
		for (size_t i = 0; i < n; i++) {
			double ns = bench_round(&ops[i], iters);

			if (r == 0 || ns < best[i])
				best[i] = ns;
		}
	}
}

static int bench_setup(struct bench_env *env)
{
	struct kvm_vcpu_init init;

	env->kvm = vkvm_open();
	if (env->kvm < 0)
		return -1;
	env->vm = vkvm_ioctl(env->kvm, KVM_CREATE_VM, 0);
	if (env->vm < 0 ||
	    vkvm_ioctl(env->vm, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return -1;
	env->vcpu = vkvm_ioctl(env->vm, KVM_CREATE_VCPU, 0);
	if (env->vcpu < 0 || vkvm_ioctl(env->vcpu, KVM_ARM_VCPU_INIT, &init))
		return -1;
	return pipe(env->pipe_fd);
}

/* A vGIC register read through the device API, if this build has one. */
struct attr_candidate {
	const char *name;
	uint32_t type; /* KVM_DEV_TYPE_* */
	int init; /* KVM_DEV_ARM_VGIC_CTRL_INIT first */
	uint32_t group;
	uint64_t attr;
};

static const struct attr_candidate attr_candidates[] = {
	{ "GICv3 GICD_CTLR", KVM_DEV_TYPE_ARM_VGIC_V3, 1,
	  KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0 },
	{ "GICv2 GICD_CTLR", KVM_DEV_TYPE_ARM_VGIC_V2, 1,
	  KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0 },
	{ "GICv3 NR_IRQS", KVM_DEV_TYPE_ARM_VGIC_V3, 0,
	  KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0 },
};

/* Create the candidate's device on a fresh VM; its fd or -1. */
static int attr_try(const struct bench_env *env, const struct attr_candidate *c,
		    struct kvm_device_attr *a)
{
	struct kvm_device_attr init = {
		.group = KVM_DEV_ARM_VGIC_GRP_CTRL,
		.attr = KVM_DEV_ARM_VGIC_CTRL_INIT,
	};
	struct kvm_create_device cd = { .type = c->type };
	int vm, vcpu, dev = -1;

	vm = vkvm_ioctl(env->kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return -1;
	vcpu = vkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu >= 0 && vkvm_ioctl(vm, KVM_CREATE_DEVICE, &cd) == 0)
		dev = (int)cd.fd;
	if (dev >= 0 &&
	    ((c->init && vkvm_ioctl(dev, KVM_SET_DEVICE_ATTR, &init)) ||
	     vkvm_ioctl(dev, KVM_GET_DEVICE_ATTR, a) < 0)) {
		vkvm_close(dev);
		dev = -1;
	}
	/* The device fd keeps the VM alive. */
	if (vcpu >= 0)
		vkvm_close(vcpu);
	vkvm_close(vm);
	return dev;
}

/* Point @get and @has at a vGIC register if there is a vGIC device. */
static void attr_ops(const struct bench_env *env, struct kvm_device_attr *a,
		     uint64_t *val, struct bench_op *get, struct bench_op *has)
{
	for (size_t i = 0;
	     i < sizeof(attr_candidates) / sizeof(attr_candidates[0]); i++) {
		const struct attr_candidate *c = &attr_candidates[i];
		int fd;

		*a = (struct kvm_device_attr){
			.group = c->group,
			.attr = c->attr,
			.addr = (uint64_t)(uintptr_t)val,
		};
		fd = attr_try(env, c, a);
		if (fd >= 0) {
			get->fd = has->fd = fd;
			get->note = has->note = c->name;
			return;
		}
	}
	/* No vGIC here: the same-shaped calls on the VM fd (they fail). */
	*a = (struct kvm_device_attr){ .addr = (uint64_t)(uintptr_t)val };
	get->fd = has->fd = env->vm;
	get->note = has->note =
		"no vGIC device: dispatch of the same call on the VM fd";
}

static void print_row(const struct bench_op *op, double ns, double sys_ns)
{
	double ratio = ns / sys_ns;

	printf("%-22s %9.1f %11.1f %7.3f  %-4s %s\n", op->name, ns, sys_ns,
	       ratio, ratio <= RATIO_GOAL ? "ok" : "MISS",
	       op->note ? op->note : "");
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 200000;
	uint64_t reg_val = 0, attr_val = 0;
	struct kvm_one_reg reg = {
		.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
		      KVM_REG_ARM_CORE_REG(regs.pc),
		.addr = (uint64_t)(uintptr_t)&reg_val,
	};
	struct kvm_device_attr attr;
	struct bench_env env;
	int nread;
	/* ops[0] is the reference: the bare system call. */
	struct bench_op ops[] = {
		{ "ioctl(2) FIONREAD", "bare syscall on a pipe", 0, FIONREAD,
		  &nread, 1 },
		{ "KVM_GET_ONE_REG", "core register PC", 0, KVM_GET_ONE_REG,
		  &reg, 0 },
		{ "KVM_HAS_DEVICE_ATTR", NULL, 0, KVM_HAS_DEVICE_ATTR, &attr,
		  0 },
		{ "KVM_GET_DEVICE_ATTR", NULL, 0, KVM_GET_DEVICE_ATTR, &attr,
		  0 },
	};
	size_t n = sizeof(ops) / sizeof(ops[0]);
	double best[sizeof(ops) / sizeof(ops[0])];

	if (iters <= 0 || bench_setup(&env)) {
		perror("api_bench: setup");
		return 1;
	}
	ops[0].fd = env.pipe_fd[0];
	ops[1].fd = env.vcpu;
	if (vkvm_ioctl(ops[1].fd, ops[1].req, ops[1].arg) < 0)
		ops[1].note = "fails here (no ONE_REG yet): dispatch only";
	attr_ops(&env, &attr, &attr_val, &ops[3], &ops[2]);
	bench_run(ops, n, iters, best);

	printf("api_bench: %ld calls per round, best of %d interleaved "
	       "rounds, vkvm %s\n",
	       iters, ROUNDS, vkvm_version());
	printf("%-22s %9s %11s %7s  %-4s %s\n", "call", "vkvm ns", "syscall ns",
	       "ratio", "goal", "what");
	for (size_t i = 1; i < n; i++)
		print_row(&ops[i], best[i], best[0]);
	printf("%-22s %9s %11.1f %7s  %-4s %s\n", ops[0].name, "-", best[0],
	       "-", "", ops[0].note);
	printf("goal: vkvm ns / syscall ns <= %.2f\n", RATIO_GOAL);
	return 0;
}
