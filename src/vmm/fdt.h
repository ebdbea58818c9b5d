/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fdt.h: the `virt` machine's device tree, built with libfdt
 * (../shared/spec/virt-machine.md, "Device tree nodes guests rely on"),
 * and the /chosen fix-ups applied to a user-supplied --dtb.
 */
#ifndef VKVM_VMM_FDT_H
#define VKVM_VMM_FDT_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define VMM_FDT_SEED_SIZE 40 /* 32 bytes rng-seed, 8 bytes kaslr-seed */

struct vmm_fdt_params {
	unsigned int nr_cpus;
	const uint64_t *mpidr; /* MPIDR_EL1 of each vCPU, by index */
	int gic_version; /* 2 or 3 */
	uint64_t ram_base, ram_size;
	const char *bootargs; /* NULL: no bootargs property */
	uint64_t initrd_start, initrd_size; /* size 0: no initrd */
	const uint8_t *seed; /* VMM_FDT_SEED_SIZE bytes, or NULL */
};

/*
 * vmm_fdt_build - write the machine's device tree into @buf (@size bytes).
 * Returns 0 (the blob's size is fdt_totalsize(@buf)), or -errno with @err
 * set: ENOSPC (@size too small), EINVAL (bad parameters).
 */
int vmm_fdt_build(const struct vmm_fdt_params *p, void *buf, size_t size,
		  struct vmm_err *err);

/*
 * vmm_fdt_fixup - check a user device tree of @len bytes at @buf and set
 * /chosen bootargs, initrd and seeds in it; @size is the room at @buf
 * (>= @len).  The result is packed.
 * Returns 0, or -errno with @err set: EINVAL (not a valid device tree),
 * ENOSPC (no room for the new properties).
 */
int vmm_fdt_fixup(const struct vmm_fdt_params *p, void *buf, size_t len,
		  size_t size, struct vmm_err *err);

#endif /* VKVM_VMM_FDT_H */
