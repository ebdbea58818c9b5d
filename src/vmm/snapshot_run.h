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

#endif /* VKVM_VMM_SNAPSHOT_RUN_H */
