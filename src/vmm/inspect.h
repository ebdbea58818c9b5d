/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * inspect.h: `vkvm inspect`: a person's view (or JSON) of a parsed
 * snapshot: machine, vCPUs (PC, PSTATE, EL, MMU), timers, each interrupt
 * that is enabled, pending or active, the CPU interfaces, devices, RAM.
 */
#ifndef VKVM_VMM_INSPECT_H
#define VKVM_VMM_INSPECT_H

#include <stdbool.h>
#include <stdio.h>

#include "snapshot_format.h"

/*
 * vmm_inspect_print - print @f to @out, as text or (@json) one JSON
 * object.  Returns 0, or -ENOMEM.
 */
int vmm_inspect_print(const struct snap_file *f, FILE *out, bool json);

#endif /* VKVM_VMM_INSPECT_H */
