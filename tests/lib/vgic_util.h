/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vgic_util.h: helpers shared by the vGIC API tests (VMs, attrs, runs). */
#ifndef VKVM_TESTS_VGIC_UTIL_H
#define VKVM_TESTS_VGIC_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include <vkvm/vkvm.h>

#define TVM_MAX_VCPUS 16
#define TVM_IPA_MAX (1ULL << 40) /* "MAX" of the selftests: default IPA */

struct tvm {
	int kvm;
	int vm;
	int nr_vcpus;
	int vcpu_fd[TVM_MAX_VCPUS]; /* by creation order */
	uint32_t vcpu_id[TVM_MAX_VCPUS];
};

/* tvm_new - a VM with @n vCPUs of ids 0..n-1 (not initialized). */
struct tvm tvm_new(int n);

/* tvm_add_vcpu - KVM_CREATE_VCPU(@id): the ioctl's result (fd or -1). */
int tvm_add_vcpu(struct tvm *t, uint32_t id);

/* tvm_free - close every fd of @t. */
void tvm_free(struct tvm *t);

/* tvm_new_dev - tvm_new(@nr_vcpus) plus a vGIC device of @type: its fd. */
int tvm_new_dev(struct tvm *t, int nr_vcpus, uint32_t type);

/* tvm_free_dev - close @dev, then tvm_free(@t). */
void tvm_free_dev(struct tvm *t, int dev);

/* tvm_run - VCPU_INIT (once) and KVM_RUN on vCPU @idx: KVM_RUN's result. */
int tvm_run(struct tvm *t, int idx);

struct vcpu;
/* tvm_file_priv - the internal object behind vkvm fd @fd (struct vm for
 * a VM fd, struct vcpu for a vCPU fd). */
void *tvm_file_priv(int fd);

/* tvm_vcpu_obj - the internal vCPU behind fd @fd (to hold its mutex, as
 * an ioctl in flight would: "busy"). */
struct vcpu *tvm_vcpu_obj(int fd);

/* tvm_vcpu_fd_by_id - the fd of the vCPU with KVM id @id, or -1. */
int tvm_vcpu_fd_by_id(const struct tvm *t, uint32_t id);

/* create_dev - KVM_CREATE_DEVICE(@type, @flags): the fd, 0 for TEST, -1. */
int create_dev(int vm, uint32_t type, uint32_t flags);

/* Attribute calls: the ioctl's result (-1 with errno on failure). */
int attr_set(int fd, uint32_t group, uint64_t attr, const void *val);
int attr_get(int fd, uint32_t group, uint64_t attr, void *val);
int attr_has(int fd, uint32_t group, uint64_t attr);
int attr_set64(int fd, uint32_t group, uint64_t attr, uint64_t val);
int attr_set32(int fd, uint32_t group, uint64_t attr, uint32_t val);
/* get32/get64 return the value, or ~0 after a failed call (test fails). */
uint32_t attr_get32(int fd, uint32_t group, uint64_t attr);
uint64_t attr_get64(int fd, uint32_t group, uint64_t attr);

int ctrl_init(int dev);

/* REDIST_REGION descriptor (spec 3.4.3). */
uint64_t rdist_region(uint64_t count, uint64_t base, uint64_t flags,
		      uint64_t index);

/* v3 attr MPIDR field (bits 63:32, GICR_TYPER packing) for vCPU @id. */
uint64_t v3_mpidr_attr(uint32_t id);
/* v2 attr vCPU field for vCPU @id. */
uint64_t v2_cpu_attr(uint32_t id);

/* irq_line - KVM_IRQ_LINE with @irq and @level: the ioctl's result. */
int irq_line(int vm, uint32_t irq, uint32_t level);
uint32_t irq_spi(uint32_t intid);
uint32_t irq_ppi(uint32_t vcpu, uint32_t intid);
uint32_t irq_cpu(uint32_t vcpu, uint32_t line);

#endif /* VKVM_TESTS_VGIC_UTIL_H */
