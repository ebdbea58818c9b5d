/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vm_state.h: save a paused VM's state and restore it onto a fresh VM,
 * through the public KVM API only (ONE_REG, MP_STATE, the vGIC device
 * attributes, memslot memory), in the orders Linux VMMs use
 * (kvm-arm-api.md sections 7 and 8).
 */
#ifndef VKVM_VMM_VM_STATE_H
#define VKVM_VMM_VM_STATE_H

#include <stdint.h>

#include "snapshot_format.h"
#include "util.h"

/* The fds and memory of one VM, described by its snap_machine. */
struct vmm_state_vm {
	int kvm_fd, vm_fd, gic_fd;
	int *vcpu_fds; /* by vCPU index, m->nr_vcpus of them */
	uint8_t **ram; /* host memory of each m->ram[i] */
	const struct snap_machine *m;
	bool owned; /* created by vmm_state_vm_create() */
	bool skip_ram; /* save: no RAM sections (pre-copy sent it) */
};

/* Device state handed to the save (either may be NULL). */
struct vmm_state_devices {
	const struct snap_pl011 *pl011;
	const struct snap_pl031 *pl031;
};

/*
 * vmm_state_save - write the whole state of @vm to @w: header, MACHINE,
 * per vCPU the registers (KVM_GET_REG_LIST order) and MP_STATE, the vGIC
 * (records in the restore order of kvm-arm-api.md 8.2 / 8.4), @dev, RAM,
 * END.  Precondition: no vCPU of @vm is in KVM_RUN.
 * Returns 0, or -errno with @err naming the ioctl and register that
 * failed (the ioctl's errno, -ENOMEM, or the sink's -errno).
 */
int vmm_state_save(const struct vmm_state_vm *vm,
		   const struct vmm_state_devices *dev, struct snap_writer *w,
		   struct vmm_err *err);

/*
 * vmm_state_vm_create - a fresh VM for @m, built in the order Linux VMMs
 * use: vCPUs (ids from @m) and KVM_ARM_VCPU_INIT (PSCI 0.2), guest memory
 * and memslots, then the vGIC: KVM_CREATE_DEVICE, addresses, NR_IRQS,
 * CTRL_INIT.  @m must stay valid while @vm is used.
 * Returns 0 or -errno with @err naming the step; on error nothing is left
 * to free.
 */
int vmm_state_vm_create(struct vmm_state_vm *vm, const struct snap_machine *m,
			struct vmm_err *err);

/* vmm_state_vm_destroy - close and free what vmm_state_vm_create() made. */
void vmm_state_vm_destroy(struct vmm_state_vm *vm);

/*
 * vmm_state_restore - load @f into @vm, a VM never run whose vCPUs,
 * memslots and vGIC (CTRL_INIT done) match @f's machine description:
 * guest memory, every vCPU's ONE_REG values (ID registers included:
 * legal before the first KVM_RUN), the vGIC records in file order (each
 * set-register preceded by its clear-register write, as QEMU does), then
 * MP_STATE.
 * Returns 0, -EINVAL (@f does not match @vm), or the failing ioctl's
 * -errno, with @err naming the register.
 */
int vmm_state_restore(const struct vmm_state_vm *vm, const struct snap_file *f,
		      struct vmm_err *err);

/*
 * vmm_gic_v3_mpidr_attr - the GICv3 attr bits 63:32 (Aff3.Aff2.Aff1.Aff0)
 * for a vCPU with MPIDR_EL1 value @mpidr.
 */
uint64_t vmm_gic_v3_mpidr_attr(uint64_t mpidr);

/*
 * vmm_gic_state_save - append the vGIC records of @vm to @b (a u32 count,
 * then the records).  Returns 0 or -errno with @err naming the attribute.
 */
int vmm_gic_state_save(const struct vmm_state_vm *vm, struct snap_buf *b,
		       struct vmm_err *err);

/*
 * vmm_gic_state_restore - write the records of @s to @vm's vGIC, in file
 * order.  Returns 0 or the failing KVM_SET_DEVICE_ATTR's -errno, @err
 * naming the record.
 */
int vmm_gic_state_restore(const struct vmm_state_vm *vm,
			  const struct snap_span *s, struct vmm_err *err);

#endif /* VKVM_VMM_VM_STATE_H */
