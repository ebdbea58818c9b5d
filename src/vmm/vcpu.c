// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vcpu.c: the vCPU threads: one host thread per vCPU calling KVM_RUN, as
 * in every KVM VMM; MMIO exits go to the bus, system events and errors
 * stop the machine (kvm-arm-api.md 5.4).
 */
#include "machine.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CORE_PC                                                \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
	 KVM_REG_ARM_CORE_REG(regs.pc))

void vmm_request_stop(struct vmm *vmm, int code, const char *why)
{
	char c = 1;

	pthread_mutex_lock(&vmm->stop_lock);
	if (!atomic_load(&vmm->stopping)) {
		vmm->exit_code = code;
		atomic_store(&vmm->stopping, true);
		if (why)
			fprintf(stderr, "\r\nvkvm: %s\r\n", why);
		if (write(vmm->event[1], &c, 1) < 0) {
			/* the pipe is non-blocking and already signalled */
		}
	}
	pthread_mutex_unlock(&vmm->stop_lock);
}

/* Stop for a guest problem, naming the vCPU and where it was. */
static void guest_error(struct vmm_vcpu *vcpu, const char *what,
			unsigned long long detail)
{
	uint64_t pc = 0;
	struct kvm_one_reg reg = { .id = CORE_PC,
				   .addr = (uint64_t)(uintptr_t)&pc };
	char msg[160];

	if (vkvm_ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg) < 0)
		pc = ~0ULL;
	snprintf(msg, sizeof(msg), "vCPU %u: %s (0x%llx) at pc 0x%llx",
		 vcpu->index, what, detail, (unsigned long long)pc);
	vmm_request_stop(vcpu->vmm, VMM_EXIT_GUEST_ERROR, msg);
}

/* PSCI SYSTEM_OFF/RESET and friends; false when the machine stops. */
static bool system_event(struct vmm_vcpu *vcpu)
{
	struct vmm *vmm = vcpu->vmm;

	switch (vcpu->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		vmm_request_stop(vmm, VMM_EXIT_POWEROFF, NULL);
		return false;
	case KVM_SYSTEM_EVENT_RESET:
		vmm_request_stop(vmm, VMM_EXIT_RESET,
				 "guest reset (PSCI SYSTEM_RESET)");
		return false;
	case KVM_SYSTEM_EVENT_CRASH:
		guest_error(vcpu, "guest crash event", 0);
		return false;
	default: /* WAKEUP, SUSPEND: run again */
		return true;
	}
}

/* Handle one exit; false when this vCPU must stop. */
static bool handle_exit(struct vmm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		vmm_bus_access(&vcpu->vmm->bus, run->mmio.phys_addr,
			       run->mmio.data, run->mmio.len,
			       run->mmio.is_write);
		return true;
	case KVM_EXIT_INTR:
		return true;
	case KVM_EXIT_SYSTEM_EVENT:
		return system_event(vcpu);
	case KVM_EXIT_INTERNAL_ERROR:
		guest_error(vcpu, "internal error, suberror",
			    run->internal.suberror);
		return false;
	case KVM_EXIT_FAIL_ENTRY:
		guest_error(vcpu, "entry failed, reason",
			    run->fail_entry.hardware_entry_failure_reason);
		return false;
	default:
		guest_error(vcpu, "unexpected exit reason", run->exit_reason);
		return false;
	}
}

void *vmm_vcpu_thread(void *arg)
{
	struct vmm_vcpu *vcpu = arg;
	struct vmm *vmm = vcpu->vmm;
	char msg[128];

	while (!atomic_load(&vmm->stopping)) {
		if (atomic_load(&vmm->pause_req)) {
			vmm_vcpu_park(vcpu);
			continue; /* the machine may have stopped meanwhile */
		}
		if (vkvm_ioctl(vcpu->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			snprintf(msg, sizeof(msg), "vCPU %u: KVM_RUN: %s",
				 vcpu->index, strerror(errno));
			vmm_request_stop(vmm, VMM_EXIT_HOST_ERROR, msg);
			break;
		}
		if (!handle_exit(vcpu))
			break;
	}
	return NULL;
}
