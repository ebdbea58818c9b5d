/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loader.h: put a kernel (arm64 Image, gzip-compressed Image, ELF64 or raw
 * binary), an initrd and a device tree into guest RAM where QEMU's `virt`
 * puts them (../shared/spec/virt-machine.md, "Boot state").
 *
 * Everything works on a host buffer that backs guest RAM, so it can be
 * tested without a VM.  Error messages do not name the file: the caller
 * prefixes them with the path.
 */
#ifndef VKVM_VMM_LOADER_H
#define VKVM_VMM_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Guest RAM as the VMM sees it: @size bytes at host @host, guest PA @base. */
struct vmm_ram {
	uint8_t *host;
	uint64_t base;
	uint64_t size;
};

enum vmm_kernel_format {
	VMM_KERNEL_IMAGE, /* arm64 Linux Image (header magic "ARM\x64") */
	VMM_KERNEL_ELF, /* ELF64 AArch64, loaded by program headers */
	VMM_KERNEL_RAW, /* anything else, at RAM base + 0x80000 */
};

struct vmm_kernel {
	enum vmm_kernel_format format;
	bool gzipped;
	uint64_t entry; /* guest PA of the first instruction */
	uint64_t start; /* lowest guest PA written */
	uint64_t end; /* first guest PA past the image, its BSS included */
};

/* Where the pieces go: the result of vmm_plan_boot(). */
struct vmm_boot_plan {
	uint64_t initrd_start;
	uint64_t initrd_size;
	uint64_t dtb_addr;
	uint64_t dtb_room; /* bytes available for the DTB at dtb_addr */
};

/*
 * vmm_load_kernel - recognise @buf (@len bytes) and copy it into @ram.
 * gzip data is inflated first (an Image or raw binary inside).
 * Returns 0 with @k filled, or -errno with @err set: EINVAL (malformed or
 * unsupported file: bad ELF, big-endian Image, empty file, bad gzip),
 * EFBIG (does not fit in RAM), ENOMEM.
 */
int vmm_load_kernel(const struct vmm_ram *ram, const uint8_t *buf, size_t len,
		    struct vmm_kernel *k, struct vmm_err *err);

/*
 * vmm_plan_boot - place the initrd and the DTB as QEMU does.
 * @k: the loaded kernel, or NULL (firmware only)
 * @initrd_size: 0 for none
 * @bios: firmware boot: the DTB goes to the start of RAM
 * Initrd at RAM base + min(RAM/2, 128 MiB), raised above the kernel, page
 * aligned; DTB after it on a 2 MiB boundary (4 KiB if RAM is too small).
 * Returns 0, or -EFBIG with @err set when something does not fit.
 */
int vmm_plan_boot(const struct vmm_ram *ram, const struct vmm_kernel *k,
		  uint64_t initrd_size, bool bios, struct vmm_boot_plan *plan,
		  struct vmm_err *err);

/*
 * vmm_ram_copy - copy @len bytes to guest PA @gpa.
 * Returns 0, or -EFBIG with @err set if the range is not inside @ram.
 */
int vmm_ram_copy(const struct vmm_ram *ram, uint64_t gpa, const void *src,
		 size_t len, struct vmm_err *err);

/* vmm_kernel_format_name - "Image", "ELF" or "raw binary". */
const char *vmm_kernel_format_name(enum vmm_kernel_format f);

#endif /* VKVM_VMM_LOADER_H */
