/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * api_helpers.h: small helpers shared by the API tests (VM and vCPU set-up,
 * ONE_REG access, reaching the internal objects behind an fd).
 */
#ifndef VKVM_TESTS_API_HELPERS_H
#define VKVM_TESTS_API_HELPERS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <vkvm/vkvm.h>

#include "api/file.h"
#include "api/vm.h"
#include "lib/test.h"

/* A VM of @type on a fresh system fd (closed again; the VM keeps going). */
static inline int th_vm(unsigned long type)
{
	int kvm = vkvm_open(), vm;

	if (kvm < 0)
		return -1;
	vm = vkvm_ioctl(kvm, KVM_CREATE_VM, type);
	vkvm_close(kvm);
	return vm;
}

/* KVM_ARM_VCPU_INIT with target GENERIC_V8 and features[0] = @feat. */
static inline int th_init(int vcpu, uint32_t feat)
{
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };

	init.features[0] = feat;
	return vkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &init);
}

/* A vCPU with @id, initialized with @feat (PSCI_0_2 is the usual). */
static inline int th_vcpu(int vm, unsigned long id, uint32_t feat)
{
	int vcpu = vkvm_ioctl(vm, KVM_CREATE_VCPU, id);

	if (vcpu < 0 || th_init(vcpu, feat) < 0)
		return -1;
	return vcpu;
}

#define TH_PSCI (1U << KVM_ARM_VCPU_PSCI_0_2)

/* The ONE_REG id of a core register (a field of struct kvm_regs). */
#define CORE_ID(field)                                         \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
	 KVM_REG_ARM_CORE_REG(field))

static inline int th_get(int vcpu, uint64_t id, void *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	return vkvm_ioctl(vcpu, KVM_GET_ONE_REG, &r);
}

static inline int th_set(int vcpu, uint64_t id, const void *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	return vkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r);
}

/* 64-bit register value, or a poison value when the GET fails. */
static inline uint64_t th_get64(int vcpu, uint64_t id)
{
	uint64_t v = 0xdeadbeefdeadbeefULL;

	if (th_get(vcpu, id, &v) < 0)
		return 0xdeadbeefdeadbeefULL;
	return v;
}

static inline int th_set64(int vcpu, uint64_t id, uint64_t v)
{
	return th_set(vcpu, id, &v);
}

/* A guest to run: RAM at some address and one vCPU (th_guest). */
struct th_guest {
	int vm, vcpu;
	void *ram;
	size_t ram_size;
	struct kvm_run *run;
};

/*
 * th_guest_make - a VM with @size bytes of anonymous RAM at @gpa holding
 * @prog (@len bytes) at its start, and vCPU 0 (PSCI 0.2) with PC = @gpa
 * and its kvm_run mapped.  Returns 0 or -1 (free with th_guest_free).
 */
static inline int th_guest_make(struct th_guest *g, uint64_t gpa, size_t size,
				const void *prog, size_t len)
{
	struct kvm_userspace_memory_region mr = { .guest_phys_addr = gpa,
						  .memory_size = size };

	g->ram_size = size;
	g->ram = mmap(NULL, size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->ram == MAP_FAILED)
		return -1;
	memcpy(g->ram, prog, len);
	mr.userspace_addr = (uint64_t)(uintptr_t)g->ram;
	g->vm = th_vm(0);
	if (g->vm < 0 || vkvm_ioctl(g->vm, KVM_SET_USER_MEMORY_REGION, &mr))
		return -1;
	g->vcpu = th_vcpu(g->vm, 0, TH_PSCI);
	if (g->vcpu < 0 || th_set64(g->vcpu, CORE_ID(regs.pc), gpa))
		return -1;
	g->run = mmap(NULL, (size_t)vcpu_mmap_size(), PROT_READ | PROT_WRITE,
		      MAP_SHARED, g->vcpu, 0);
	return g->run == MAP_FAILED ? -1 : 0;
}

static inline void th_guest_free(struct th_guest *g)
{
	munmap(g->run, (size_t)vcpu_mmap_size());
	vkvm_close(g->vcpu);
	vkvm_close(g->vm);
	munmap(g->ram, g->ram_size);
}

/* The object behind a VM or vCPU fd (tests may look at internals). */
static inline void *th_priv(int fd)
{
	int err;
	struct vkvm_file *f = file_get(fd, &err);
	void *p;

	if (!f)
		return NULL;
	p = f->priv;
	file_put(f);
	return p;
}

/* KVM_GET_REG_LIST into a malloc()ed list (caller frees), or NULL. */
static inline struct kvm_reg_list *th_reg_list(int vcpu)
{
	struct kvm_reg_list head = { .n = 0 }, *l;

	if (vkvm_ioctl(vcpu, KVM_GET_REG_LIST, &head) != -1 || errno != E2BIG)
		return NULL;
	l = calloc(1, sizeof(*l) + head.n * sizeof(uint64_t));
	if (!l)
		return NULL;
	l->n = head.n;
	if (vkvm_ioctl(vcpu, KVM_GET_REG_LIST, l) < 0) {
		free(l);
		return NULL;
	}
	return l;
}

#endif /* VKVM_TESTS_API_HELPERS_H */
