/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vm.h: the VM and vCPU objects behind VM and vCPU fds.
 *
 * Locking (also in docs/design.md), outermost first:
 *   vm->lock      VM-wide configuration: the vCPU array, memory slots,
 *                 irqchip creation, feature set (Linux: kvm->lock).
 *   vcpu->mutex   held by every ioctl on that vCPU for its whole duration
 *                 (Linux: vcpu->mutex); "busy" = a trylock fails.
 *   vm->gic_lock  the vGIC's state (taken by the attribute API and by
 *                 every guest GIC access, so a spinlock: common/spin.h);
 *                 innermost but for the engine's wake_lock (Linux:
 *                 config_lock/irq locks).
 * vm->slots_lock protects the memory slot list on its own; it is never
 * held while another of these locks is taken.
 *
 * Reference counting: a VM holds one reference per fd that refers to it
 * (its own VM fd, each vCPU fd, each device fd), so it lives until the
 * last one is closed, as in Linux.
 */
#ifndef VKVM_API_VM_H
#define VKVM_API_VM_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <vkvm/kvm.h>

#include "api/regs.h"
#include "common/spin.h"

#define VKVM_MAX_VCPUS 512 /* KVM_CAP_MAX_VCPUS / MAX_VCPU_ID on arm64 */
#define VKVM_NR_VCPUS_HINT 8 /* KVM_CAP_NR_VCPUS: recommended */
#define VKVM_DEFAULT_IPA_BITS 40
#define VKVM_MAX_IPA_BITS 48
#define VKVM_MIN_IPA_BITS 32
#define VKVM_MAX_MEMSLOTS 512 /* KVM_CAP_NR_MEMSLOTS */
#define VKVM_PAGE_SIZE 4096ULL

struct gic;
struct cpu_engine;
struct dirty_log;
struct vkvm_file;

struct memslot {
	uint32_t id;
	uint32_t flags;
	uint64_t gpa;
	uint64_t size;
	uint64_t hva;
	struct dirty_log *dirty; /* KVM_MEM_LOG_DIRTY_PAGES (dirty_log.h) */
};

#define VCPU_GIC_OWN_NONE 0
#define VCPU_GIC_OWN_ACCESS 1
#define VCPU_GIC_OWN_CHANGED 2

struct vcpu {
	struct vm *vm;
	struct vkvm_file *file; /* the vCPU fd's file (not a reference) */
	uint32_t id; /* KVM_CREATE_VCPU argument */
	uint32_t index; /* creation order */
	pthread_mutex_t mutex;
	struct kvm_run *run; /* shared mapping of the vCPU fd's memfd */
	size_t run_size;

	bool initialized; /* a KVM_ARM_VCPU_INIT succeeded */
	uint32_t features[7];
	uint32_t mp_state; /* KVM_MP_STATE_* */
	atomic_bool kick; /* vkvm_kick_vcpu() since the last KVM_RUN exit */
	/* IRQ/FIQ inputs: from the vGIC's set_line callback, or from
	 * KVM_IRQ_LINE type CPU when there is no in-kernel irqchip. */
	atomic_bool irq_line;
	atomic_bool fiq_line;
	/* vm->gic_lock: the vCPU's own guest access is in the vGIC, and its
	 * engine applies a line change itself afterwards (cpu_dev.c): the
	 * vGIC's set_line notes the change instead of kicking. */
	uint8_t gic_own_access; /* VCPU_GIC_OWN_* */
	/* KVM_SET_SIGNAL_MASK: the thread's signal mask while in KVM_RUN
	 * (vcpu->mutex); unset = the calling thread's own mask. */
	bool sigmask_active;
	sigset_t sigmask;

	struct vcpu_regs regs; /* architectural state while not running */
};

struct vm {
	atomic_int refs;
	pthread_mutex_t lock;
	unsigned int ipa_bits;

	/* vCPUs, by index (creation order); nr_vcpus only grows. */
	struct vcpu *vcpus[VKVM_MAX_VCPUS];
	atomic_uint nr_vcpus;
	unsigned int max_vcpus; /* 512, or the vGIC model's limit */
	bool features_set; /* first VCPU_INIT fixed the feature set */
	uint32_t features[7]; /* the VM-wide feature set (no POWER_OFF) */

	/* Firmware pseudo-register state (VM-wide, spec 4.6; vm->lock). */
	uint32_t psci_version;
	uint64_t fw_bmap[3];

	/* Set once the first KVM_RUN of any vCPU passed its checks. */
	atomic_bool has_run;

	pthread_mutex_t slots_lock;
	struct memslot *slots; /* sorted by gpa */
	unsigned int nr_slots;
	uint64_t slots_gen; /* bumped by every slot change (engine resync) */
	/* KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 args[0] (dirty_log.c). */
	_Atomic uint32_t manual_dirty_log;
	/* Bumped when logging starts on an existing slot (engine, mem.c). */
	atomic_uint dirty_gen;

	/*
	 * VM-wide system registers (the ID registers, spec 4.4), indexed by
	 * sysreg table index like vcpu->regs.sys; see sysreg.h.  Written
	 * under vm->lock.
	 */
	uint64_t sysregs[VCPU_MAX_SYSREGS];
	bool sysreg_gic_v3; /* ID_AA64PFR0_EL1.GIC may read 1 (GICv3 VM) */
	/* Virtual counter offset: CNTVCT = timer_counter_now() - cntvoff. */
	_Atomic uint64_t cntvoff;

	struct spinlock gic_lock;
	struct gic *gic; /* NULL until KVM_CREATE_IRQCHIP/CREATE_DEVICE */
	uint32_t vgic_maint_irq; /* GICv3 MAINT_IRQ attr (spec 3.8.3) */
	/* KVM_ARM_VCPU_TIMER_CTRL: PPI of each timer (vcpu_attr.c). */
	uint32_t timer_ppi[4];

	struct cpu_engine *engine; /* KVM_RUN back end, NULL until first run */
};

/* vm_get/vm_put - take and drop a reference on @vm (put may free it). */
void vm_get(struct vm *vm);
void vm_put(struct vm *vm);

/*
 * vm_create_fd - KVM_CREATE_VM: make a VM of @type (bits 7:0 the IPA
 * size, 0 = 40 bits) and return its fd, or -EINVAL (bad type), -ENOMEM,
 * -EMFILE.
 */
int vm_create_fd(unsigned long type);

/*
 * vm_vcpu_by_id - the vCPU with KVM id @id, or NULL.  Lock-free: vCPUs are
 * never removed while the VM lives.
 */
struct vcpu *vm_vcpu_by_id(struct vm *vm, uint32_t id);

/* vm_vcpu_by_index - the vCPU created @index-th, or NULL. */
struct vcpu *vm_vcpu_by_index(struct vm *vm, uint32_t index);

/*
 * vm_lock_all_vcpus - trylock every vCPU's mutex (Linux lock_all_vcpus):
 * 0 with all held, or -EBUSY with none held.  Caller holds vm->lock.
 */
int vm_lock_all_vcpus(struct vm *vm);

/* vm_unlock_all_vcpus - undo vm_lock_all_vcpus. */
void vm_unlock_all_vcpus(struct vm *vm);

/* vm_check_extension - KVM_CHECK_EXTENSION on a VM fd (@vm) or system fd
 * (@vm NULL): the capability's value, 0 when unsupported. */
long vm_check_extension(struct vm *vm, unsigned long cap);

/* vcpu_create_fd - KVM_CREATE_VCPU: see vcpu.c for the rules. */
int vcpu_create_fd(struct vm *vm, unsigned long id);

/* vcpu_mmap_size - KVM_GET_VCPU_MMAP_SIZE: bytes to map from a vCPU fd. */
long vcpu_mmap_size(void);

/*
 * memslot_set - KVM_SET_USER_MEMORY_REGION with Linux's rules (check order
 * in memslot.c).  Takes vm->slots_lock.  Returns 0, or -EINVAL (bad flags,
 * alignment, slot id, wrap, deleting a missing slot, changing an existing
 * slot's size, hva or READONLY flag), -EEXIST (overlap with another slot),
 * -EFAULT (beyond the VM's IPA size), -ENOMEM.
 */
int memslot_set(struct vm *vm, const struct kvm_userspace_memory_region *mr);

/*
 * memslot_find - the slot containing guest physical address @gpa, or NULL.
 * Caller holds vm->slots_lock; the pointer is valid until it drops it.
 */
const struct memslot *memslot_find(struct vm *vm, uint64_t gpa);

/*
 * memslot_at - iterate the slots: the @i-th slot in ascending gpa order,
 * or NULL when @i >= the number of slots.  Caller holds vm->slots_lock.
 */
const struct memslot *memslot_at(struct vm *vm, unsigned int i);

/*
 * memslot_mark_dirty - record a guest write to @gpa in its slot's dirty
 * bitmap (no-op without KVM_MEM_LOG_DIRTY_PAGES or outside any slot).
 * Caller holds vm->slots_lock.
 */
void memslot_mark_dirty(struct vm *vm, uint64_t gpa);

#endif /* VKVM_API_VM_H */
