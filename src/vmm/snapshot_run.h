/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snapshot_run.h: snapshots of a `vkvm run` machine, and the commands
 * `vkvm restore` and `vkvm inspect` (docs/vkvm.1).
 */
#ifndef VKVM_VMM_SNAPSHOT_RUN_H
#define VKVM_VMM_SNAPSHOT_RUN_H

#include "machine.h"
#include "vm_state.h"

/* A `struct vmm` described for vm_state.c. */
struct vmm_snap_view {
	struct snap_machine m;
	struct snap_vcpu_desc *vcpus;
	int *fds;
	uint8_t *ram[SNAP_MAX_RAM];
	char *cmdline;
	struct vmm_state_vm vm;
};

/*
 * vmm_snap_view_init - describe @vmm (vCPUs, GIC, RAM slot 0 and the
 * --bios flash as slot 1, its command line).  Returns 0 or -ENOMEM.
 * vmm_snap_view_free() frees it.
 */
int vmm_snap_view_init(struct vmm_snap_view *v, struct vmm *vmm);
void vmm_snap_view_free(struct vmm_snap_view *v);

/*
 * vmm_snapshot_save_file - save @vmm (vCPUs out of KVM_RUN) to @path via
 * @path.tmp and rename().  Returns 0 or -errno with @err saying why.
 */
int vmm_snapshot_save_file(struct vmm *vmm, const char *path,
			   struct vmm_err *err);

/*
 * vmm_cmd_inspect - `vkvm inspect FILE [--json]`; vmm_cmd_restore -
 * `vkvm restore FILE [--timeout SEC]`.  @argv[0] is the command name.
 * Return the exit status (enum vmm_exit): 2 for bad arguments or an
 * unreadable file, 7 for an invalid snapshot.
 */
int vmm_cmd_inspect(int argc, char **argv);
int vmm_cmd_restore(int argc, char **argv);

/*
 * vmm_restore_check - whether `vkvm restore` can build @f's machine (the
 * virt layout of `vkvm run`).  Returns 0, or VMM_EXIT_BAD_SNAPSHOT after
 * a message naming @from and what differs.
 */
int vmm_restore_check(const struct snap_file *f, const char *from);

/*
 * vmm_restore_machine - build @f's machine into @vmm (@opt filled from @f
 * but for its timeout_sec; it must outlive @vmm) and load @f's state.
 * Precondition: vmm_restore_check(@f) passed.  Returns 0 or an exit
 * status after printing why; @vmm needs vmm_machine_destroy() either way.
 */
int vmm_restore_machine(struct vmm *vmm, struct vmm_options *opt,
			const struct snap_file *f);

/* vmm_pause_vcpus - park every vCPU thread (false: they did not all
 * come within 10 s); vmm_resume_vcpus - let them go on. */
bool vmm_pause_vcpus(struct vmm *vmm);
void vmm_resume_vcpus(struct vmm *vmm);

/*
 * vmm_migrate_out - --migrate-to: pause, send the machine, wait for the
 * destination's answer.  On success the machine is stopped with
 * VMM_EXIT_MIGRATED; on any failure the guest goes on and the reason is
 * printed.  Main thread only.  Returns 0 or -errno.
 */
int vmm_migrate_out(struct vmm *vmm);

/*
 * vmm_cmd_incoming - `vkvm run --incoming tcp:ADDR:PORT`: wait for one
 * migration stream, refuse a bad one (saying why), restore and run.
 * Returns the exit status.
 */
int vmm_cmd_incoming(struct vmm_options *opt);

#endif /* VKVM_VMM_SNAPSHOT_RUN_H */
