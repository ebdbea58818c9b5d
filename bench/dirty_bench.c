// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dirty_bench.c: the cost of dirty logging on vkvm: a guest store loop
 * over a 256 MiB slot with and without KVM_MEM_LOG_DIRTY_PAGES (ns per
 * store and the slowdown), and the time of one KVM_GET_DIRTY_LOG of the
 * 256 MiB slot (all pages dirty, and clean), printed side by side.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <vkvm/kvm.h>
#include <vkvm/vkvm.h>

#define CODE_GPA 0x40000000ULL
#define RAM_GPA 0x50000000ULL
#define RAM_SIZE (256ULL << 20)
#define REPEATS 3

/*
 * start: x9 = 0x40000000; x2, x4, x5 = the words at 0x100/0x108/0x110
 * (base, count, stride: written by the bench, since registers set during
 * a pending MMIO exit are not taken over by the engine);
 * loop: str x3,[x2]; add x2,x2,x5; subs x4,x4,#1; b.ne loop;
 * str w3,[0x09000000] (the exit); b start
 */
static const uint32_t prog[] = { 0xd2a80009, 0xf9408122, 0xf9408524, 0xf9408925,
				 0xf9000043, 0x8b050042, 0xf1000484, 0x54ffffa1,
				 0xd2a12001, 0xb9000023, 0x17fffff6 };

#define CORE(n)                                                \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
	 KVM_REG_ARM_CORE_REG(n))

struct env {
	int vm, vcpu;
	struct kvm_run *run;
	void *code, *ram;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int slot(struct env *e, uint32_t id, uint32_t flags, uint64_t gpa,
		uint64_t size, void *host)
{
	struct kvm_userspace_memory_region mr = { id, flags, gpa, size,
						  (uint64_t)(uintptr_t)host };

	return vkvm_ioctl(e->vm, KVM_SET_USER_MEMORY_REGION, &mr);
}

static int set_reg(struct env *e, uint64_t id, uint64_t v)
{
	struct kvm_one_reg r = { id, (uint64_t)(uintptr_t)&v };

	return vkvm_ioctl(e->vcpu, KVM_SET_ONE_REG, &r);
}

static int setup(struct env *e)
{
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	int kvm = vkvm_open();
	long sz;

	if (kvm < 0)
		return -1;
	e->vm = vkvm_ioctl(kvm, KVM_CREATE_VM, 0);
	sz = vkvm_ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	vkvm_close(kvm);
	e->code = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	e->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (e->vm < 0 || sz <= 0 || e->code == MAP_FAILED ||
	    e->ram == MAP_FAILED)
		return -1;
	memcpy(e->code, prog, sizeof(prog));
	memset(e->ram, 1, RAM_SIZE); /* populated, as a running guest's */
	e->vcpu = vkvm_ioctl(e->vm, KVM_CREATE_VCPU, 0);
	if (slot(e, 0, 0, CODE_GPA, 1 << 20, e->code) ||
	    slot(e, 1, 0, RAM_GPA, RAM_SIZE, e->ram) || e->vcpu < 0 ||
	    vkvm_ioctl(e->vcpu, KVM_ARM_VCPU_INIT, &init) ||
	    set_reg(e, CORE(regs.pc), CODE_GPA))
		return -1;
	e->run = mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED,
		      e->vcpu, 0);
	return e->run == MAP_FAILED ? -1 : 0;
}

/* ns per store of @n stores @stride bytes apart from the slot start. */
static double store_loop(struct env *e, uint64_t n, uint64_t stride)
{
	double best = 1e30;

	for (int r = 0; r < REPEATS; r++) {
		double t0;

		uint64_t *param = (uint64_t *)((char *)e->code + 0x100);

		param[0] = RAM_GPA;
		param[1] = n;
		param[2] = stride;
		t0 = now_ns();
		if (vkvm_ioctl(e->vcpu, KVM_RUN, 0) ||
		    e->run->exit_reason != KVM_EXIT_MMIO)
			return -1;
		t0 = (now_ns() - t0) / (double)n;
		if (getenv("DIRTY_BENCH_DEBUG"))
			fprintf(stderr, "run %d n %llu stride %llu: %.2f ns\n",
				r, (unsigned long long)n,
				(unsigned long long)stride, t0);
		if (t0 < best)
			best = t0;
	}
	return best;
}

static double get_log_us(struct env *e, uint64_t *bm, int calls)
{
	struct kvm_dirty_log log = { .slot = 1, .dirty_bitmap = bm };
	double t0 = now_ns();

	for (int i = 0; i < calls; i++)
		if (vkvm_ioctl(e->vm, KVM_GET_DIRTY_LOG, &log))
			return -1;
	return (now_ns() - t0) / calls / 1e3;
}

int main(void)
{
	static uint64_t bm[RAM_SIZE / 4096 / 64];
	struct {
		const char *name;
		uint64_t n, stride;
		double off, on;
	} pat[] = {
		{ "8 B apart (1 page hot)", 4 << 20, 0, 0, 0 },
		{ "4 KiB apart (256 MiB)", RAM_SIZE / 4096, 4096, 0, 0 },
	};
	struct env e;
	double dirty_us, clean_us;

	if (setup(&e)) {
		fprintf(stderr, "dirty_bench: set-up failed: %s\n",
			strerror(errno));
		return 1;
	}
	pat[0].n = 4 << 20;
	pat[0].stride = 0; /* the same word: the hot-store cost */
	for (size_t i = 0; i < 2; i++)
		pat[i].off = store_loop(&e, pat[i].n, pat[i].stride);
	if (slot(&e, 1, KVM_MEM_LOG_DIRTY_PAGES, RAM_GPA, RAM_SIZE, e.ram))
		return 1;
	for (size_t i = 0; i < 2; i++)
		pat[i].on = store_loop(&e, pat[i].n, pat[i].stride);
	clean_us = get_log_us(&e, bm, 100); /* first call takes the sweep */
	store_loop(&e, RAM_SIZE / 4096, 4096);
	dirty_us = get_log_us(&e, bm, 1);
	printf("dirty logging, 256 MiB slot, 1 vCPU (best of %d; the host "
	       "is shared, numbers are noisy)\n",
	       REPEATS);
	printf("%-28s %12s %12s %9s\n", "guest store loop", "no log ns",
	       "logging ns", "slowdown");
	for (size_t i = 0; i < 2; i++)
		printf("%-28s %12.2f %12.2f %8.1fx\n", pat[i].name, pat[i].off,
		       pat[i].on, pat[i].on / pat[i].off);
	printf("%-28s %12.1f us (all 65536 pages dirty)\n",
	       "KVM_GET_DIRTY_LOG 256 MiB", dirty_us);
	printf("%-28s %12.1f us (clean)\n", "KVM_GET_DIRTY_LOG 256 MiB",
	       clean_us);
	vkvm_close(e.vcpu);
	vkvm_close(e.vm);
	return 0;
}
