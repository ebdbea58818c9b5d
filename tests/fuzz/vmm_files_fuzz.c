// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmm_files_fuzz.c: libFuzzer harness for what the VMM reads from files:
 * each input is offered as a kernel (Image, gzip, ELF or raw), as a user
 * device tree to fix up, and its size as an initrd to place.  Every input
 * must end in success or a clear error, never a crash, leak or overrun.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/fdt.h"
#include "vmm/layout.h"
#include "vmm/loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RAM_SIZE (4U << 20)
#define DTB_ROOM 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *ram, *dtb;
	static const uint64_t mpidr[2] = { 0x80000000, 0x80000001 };
	struct vmm_fdt_params p = { .nr_cpus = 2,
				    .mpidr = mpidr,
				    .gic_version = 3,
				    .ram_base = VIRT_RAM_BASE,
				    .ram_size = RAM_SIZE,
				    .bootargs = "console=ttyAMA0",
				    .initrd_start = VIRT_RAM_BASE + 0x200000,
				    .initrd_size = 16 };
	struct vmm_ram r;
	struct vmm_kernel k;
	struct vmm_boot_plan plan;
	struct vmm_err err;

	if (!ram)
		ram = malloc(RAM_SIZE);
	if (!dtb)
		dtb = malloc(DTB_ROOM);
	if (!ram || !dtb)
		abort();
	r = (struct vmm_ram){ ram, VIRT_RAM_BASE, RAM_SIZE };
	if (vmm_load_kernel(&r, data, size, &k, &err) == 0)
		vmm_plan_boot(&r, &k, size, size & 1, &plan, &err);
	if (size <= DTB_ROOM) {
		memcpy(dtb, data, size);
		vmm_fdt_fixup(&p, dtb, size, DTB_ROOM, &err);
	}
	return 0;
}
