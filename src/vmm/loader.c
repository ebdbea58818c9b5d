// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * loader.c: kernel formats and boot placement.  Rules: Linux
 * Documentation/arch/arm64/booting.rst (Image header), the ELF64 gABI and
 * AArch64 psABI (program headers), QEMU's virt placement
 * (../shared/spec/virt-machine.md).
 */
#include "loader.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "layout.h"

/* arm64 Image header (booting.rst): all fields little-endian. */
#define IMAGE_HDR_SIZE 64
#define IMAGE_TEXT_OFFSET 8
#define IMAGE_SIZE 16
#define IMAGE_FLAGS 24
#define IMAGE_MAGIC_OFFSET 56
#define IMAGE_MAGIC 0x644d5241U /* "ARM\x64" */
#define IMAGE_FLAG_BE (1ULL << 0)
#define IMAGE_OLD_TEXT_OFFSET 0x80000ULL /* image_size == 0: pre-3.17 */

#define GZIP_MAX_OUT (512ULL << 20)

#define PAGE_ALIGN(x) (((x) + 0xfffULL) & ~0xfffULL)
#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((a)-1))

const char *vmm_kernel_format_name(enum vmm_kernel_format f)
{
	switch (f) {
	case VMM_KERNEL_IMAGE:
		return "Image";
	case VMM_KERNEL_ELF:
		return "ELF";
	default:
		return "raw binary";
	}
}

/* Is [gpa, gpa + len) inside RAM?  Overflow-safe. */
static bool ram_contains(const struct vmm_ram *ram, uint64_t gpa, uint64_t len)
{
	if (gpa < ram->base)
		return false;
	gpa -= ram->base;
	return gpa <= ram->size && len <= ram->size - gpa;
}

int vmm_ram_copy(const struct vmm_ram *ram, uint64_t gpa, const void *src,
		 size_t len, struct vmm_err *err)
{
	if (!ram_contains(ram, gpa, len))
		return vmm_errf(err, EFBIG,
				"%zu bytes at 0x%llx do not fit in RAM "
				"(0x%llx-0x%llx)",
				len, (unsigned long long)gpa,
				(unsigned long long)ram->base,
				(unsigned long long)(ram->base + ram->size));
	memcpy(ram->host + (gpa - ram->base), src, len);
	return 0;
}

/* Copy @len bytes of image and zero up to @memsz (the BSS). */
static int load_segment(const struct vmm_ram *ram, uint64_t gpa,
			const uint8_t *src, size_t len, uint64_t memsz,
			struct vmm_err *err)
{
	if (!ram_contains(ram, gpa, memsz))
		return vmm_errf(err, EFBIG,
				"0x%llx bytes at 0x%llx do not fit in %llu "
				"MiB of RAM at 0x%llx",
				(unsigned long long)memsz,
				(unsigned long long)gpa,
				(unsigned long long)(ram->size >> 20),
				(unsigned long long)ram->base);
	memcpy(ram->host + (gpa - ram->base), src, len);
	memset(ram->host + (gpa - ram->base) + len, 0, memsz - len);
	return 0;
}

static int load_image(const struct vmm_ram *ram, const uint8_t *buf, size_t len,
		      struct vmm_kernel *k, struct vmm_err *err)
{
	uint64_t text_offset = vmm_le64(buf + IMAGE_TEXT_OFFSET);
	uint64_t image_size = vmm_le64(buf + IMAGE_SIZE);
	uint64_t flags = vmm_le64(buf + IMAGE_FLAGS);
	uint64_t memsz;

	if (flags & IMAGE_FLAG_BE)
		return vmm_errf(err, EINVAL,
				"big-endian arm64 Image: not supported");
	if (image_size == 0)
		text_offset = IMAGE_OLD_TEXT_OFFSET;
	if (text_offset >= ram->size)
		return vmm_errf(err, EFBIG,
				"Image text_offset 0x%llx is beyond RAM",
				(unsigned long long)text_offset);
	memsz = image_size > len ? image_size : len;
	k->format = VMM_KERNEL_IMAGE;
	k->start = ram->base + text_offset; /* RAM base is 2 MiB aligned */
	k->entry = k->start;
	k->end = k->start + memsz;
	return load_segment(ram, k->start, buf, len, memsz, err);
}

static int load_raw(const struct vmm_ram *ram, const uint8_t *buf, size_t len,
		    struct vmm_kernel *k, struct vmm_err *err)
{
	k->format = VMM_KERNEL_RAW;
	k->start = ram->base + VIRT_RAW_LOAD_OFFSET;
	k->entry = k->start;
	k->end = k->start + len;
	return load_segment(ram, k->start, buf, len, len, err);
}

static int elf_check_header(const Elf64_Ehdr *eh, size_t len,
			    struct vmm_err *err)
{
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return vmm_errf(err, EINVAL, "ELF: not a 64-bit ELF file");
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return vmm_errf(err, EINVAL, "ELF: not little-endian");
	if (eh->e_machine != EM_AARCH64)
		return vmm_errf(err, EINVAL,
				"ELF: machine %u is not AArch64 (%u)",
				eh->e_machine, EM_AARCH64);
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return vmm_errf(err, EINVAL, "ELF: not an executable");
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0)
		return vmm_errf(err, EINVAL, "ELF: no usable program headers");
	if (eh->e_phoff > len ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff)
		return vmm_errf(
			err, EINVAL,
			"ELF: program headers past the end of the file");
	return 0;
}

static int elf_load_phdr(const struct vmm_ram *ram, const uint8_t *buf,
			 size_t len, const Elf64_Phdr *ph, struct vmm_kernel *k,
			 struct vmm_err *err)
{
	int ret;

	if (ph->p_filesz > ph->p_memsz)
		return vmm_errf(err, EINVAL,
				"ELF: segment file size exceeds memory size");
	if (ph->p_offset > len || ph->p_filesz > len - ph->p_offset)
		return vmm_errf(err, EINVAL,
				"ELF: segment past the end of the file");
	ret = load_segment(ram, ph->p_paddr, buf + ph->p_offset,
			   (size_t)ph->p_filesz, ph->p_memsz, err);
	if (ret)
		return ret;
	if (ph->p_paddr < k->start)
		k->start = ph->p_paddr;
	if (ph->p_paddr + ph->p_memsz > k->end)
		k->end = ph->p_paddr + ph->p_memsz;
	return 0;
}

static int load_elf(const struct vmm_ram *ram, const uint8_t *buf, size_t len,
		    struct vmm_kernel *k, struct vmm_err *err)
{
	Elf64_Ehdr eh;
	unsigned int loaded = 0;
	int ret;

	if (len < sizeof(eh))
		return vmm_errf(err, EINVAL, "ELF: truncated header");
	memcpy(&eh, buf, sizeof(eh));
	ret = elf_check_header(&eh, len, err);
	if (ret)
		return ret;
	k->format = VMM_KERNEL_ELF;
	k->start = UINT64_MAX;
	k->end = 0;
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, buf + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		ret = elf_load_phdr(ram, buf, len, &ph, k, err);
		if (ret)
			return ret;
		loaded++;
	}
	if (!loaded)
		return vmm_errf(err, EINVAL, "ELF: no loadable segment");
	if (!ram_contains(ram, eh.e_entry, 4))
		return vmm_errf(err, EINVAL,
				"ELF: entry point 0x%llx is not in RAM",
				(unsigned long long)eh.e_entry);
	k->entry = eh.e_entry;
	return 0;
}

static bool is_gzip(const uint8_t *buf, size_t len)
{
	return len >= 3 && buf[0] == 0x1f && buf[1] == 0x8b && buf[2] == 8;
}

/* Inflate a gzip member into a new buffer of at most @max bytes. */
static int gunzip(const uint8_t *buf, size_t len, uint64_t max,
		  struct vmm_blob *out, struct vmm_err *err)
{
	z_stream zs;
	int zret;

	memset(&zs, 0, sizeof(zs));
	out->size = 0;
	out->data = malloc((size_t)max);
	if (!out->data)
		return vmm_errf(err, ENOMEM, "gzip: out of memory");
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		vmm_blob_free(out);
		return vmm_errf(err, ENOMEM, "gzip: cannot start inflating");
	}
	zs.next_in = (Bytef *)buf;
	zs.avail_in = len > UINT32_MAX ? UINT32_MAX : (uInt)len;
	zs.next_out = out->data;
	zs.avail_out = max > UINT32_MAX ? UINT32_MAX : (uInt)max;
	zret = inflate(&zs, Z_FINISH);
	out->size = zs.total_out;
	inflateEnd(&zs);
	if (zret == Z_STREAM_END)
		return 0;
	vmm_blob_free(out);
	if (zret == Z_BUF_ERROR && zs.avail_out == 0)
		return vmm_errf(err, EFBIG,
				"gzip: inflates to more than %llu MiB",
				(unsigned long long)(max >> 20));
	return vmm_errf(err, EINVAL, "gzip: corrupt or truncated data (%s)",
			zs.msg ? zs.msg : "unexpected end");
}

static bool is_image(const uint8_t *buf, size_t len)
{
	return len >= IMAGE_HDR_SIZE &&
	       vmm_le32(buf + IMAGE_MAGIC_OFFSET) == IMAGE_MAGIC;
}

static bool is_elf(const uint8_t *buf, size_t len)
{
	return len >= SELFMAG && memcmp(buf, ELFMAG, SELFMAG) == 0;
}

int vmm_load_kernel(const struct vmm_ram *ram, const uint8_t *buf, size_t len,
		    struct vmm_kernel *k, struct vmm_err *err)
{
	struct vmm_blob raw = { NULL, 0 };
	int ret;

	memset(k, 0, sizeof(*k));
	if (len == 0)
		return vmm_errf(err, EINVAL, "empty file");
	if (is_elf(buf, len))
		return load_elf(ram, buf, len, k, err);
	if (is_gzip(buf, len)) {
		uint64_t max = ram->size < GZIP_MAX_OUT ? ram->size :
							  GZIP_MAX_OUT;

		ret = gunzip(buf, len, max, &raw, err);
		if (ret)
			return ret;
		buf = raw.data;
		len = raw.size;
		if (len == 0) {
			vmm_blob_free(&raw);
			return vmm_errf(err, EINVAL, "gzip: empty data");
		}
	}
	if (is_image(buf, len))
		ret = load_image(ram, buf, len, k, err);
	else
		ret = load_raw(ram, buf, len, k, err);
	k->gzipped = raw.data != NULL;
	vmm_blob_free(&raw);
	return ret;
}

/* The DTB's address after the initrd: 2 MiB aligned if that fits. */
static void plan_dtb_after(const struct vmm_ram *ram, uint64_t after,
			   struct vmm_boot_plan *plan)
{
	uint64_t end = ram->base + ram->size;
	uint64_t at = ALIGN_UP(after, VIRT_DTB_ALIGN);

	if (at >= end)
		at = ALIGN_UP(after, 0x1000ULL);
	plan->dtb_addr = at;
	plan->dtb_room = at < end ? end - at : 0;
}

int vmm_plan_boot(const struct vmm_ram *ram, const struct vmm_kernel *k,
		  uint64_t initrd_size, bool bios, struct vmm_boot_plan *plan,
		  struct vmm_err *err)
{
	uint64_t half = ram->size / 2, start;

	memset(plan, 0, sizeof(*plan));
	start = ram->base +
		(half < VIRT_INITRD_MAX_OFFSET ? half : VIRT_INITRD_MAX_OFFSET);
	if (k && k->end > start)
		start = k->end;
	start = PAGE_ALIGN(start);
	if (initrd_size && !ram_contains(ram, start, initrd_size))
		return vmm_errf(err, EFBIG,
				"initrd (%llu bytes) does not fit in RAM above "
				"0x%llx",
				(unsigned long long)initrd_size,
				(unsigned long long)start);
	plan->initrd_start = start;
	plan->initrd_size = initrd_size;
	if (!bios) {
		plan_dtb_after(ram, start + initrd_size, plan);
	} else {
		/* QEMU: with firmware the DTB sits at the start of RAM */
		plan->dtb_addr = ram->base;
		plan->dtb_room = ram->size;
		if (k && k->start - ram->base < plan->dtb_room)
			plan->dtb_room = k->start - ram->base;
	}
	if (plan->dtb_room > VIRT_DTB_MAX_SIZE)
		plan->dtb_room = VIRT_DTB_MAX_SIZE;
	if (plan->dtb_room < 0x1000)
		return vmm_errf(err, EFBIG,
				"no room left in %llu MiB of RAM for the "
				"device tree",
				(unsigned long long)(ram->size >> 20));
	return 0;
}
