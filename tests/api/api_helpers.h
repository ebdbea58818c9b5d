/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * api_helpers.h: small helpers shared by the API tests (VM and vCPU set-up,
 * ONE_REG access, reaching the internal objects behind an fd).
 */
#ifndef VKVM_TESTS_API_HELPERS_H
#define VKVM_TESTS_API_HELPERS_H

#include <stdint.h>
#include <stdlib.h>

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
