/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vmm_test.h: helpers for the VMM tests: a guest RAM buffer and
 * synthesized kernel files (arm64 Image, gzip, ELF64).
 */
#ifndef VKVM_TESTS_VMM_TEST_H
#define VKVM_TESTS_VMM_TEST_H

#include <elf.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "vmm/layout.h"
#include "vmm/loader.h"

struct test_ram {
	struct vmm_ram ram;
};

static inline struct test_ram test_ram_new(uint64_t mib)
{
	struct test_ram t = { { calloc(1, (size_t)(mib << 20)), VIRT_RAM_BASE,
				mib << 20 } };

	if (!t.ram.host)
		abort();
	return t;
}

static inline void test_ram_free(struct test_ram *t)
{
	free(t->ram.host);
	t->ram.host = NULL;
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* An arm64 Image header (booting.rst) followed by zeroes. */
static inline void test_make_image(uint8_t *buf, size_t len,
				   uint64_t text_offset, uint64_t image_size,
				   int big_endian)
{
	memset(buf, 0, len);
	buf[0] = 0x4d; /* "MZ"-less branch placeholder */
	put_le64(buf + 8, text_offset);
	put_le64(buf + 16, image_size);
	put_le64(buf + 24, big_endian ? 1 : 0);
	memcpy(buf + 56, "ARM\x64", 4);
}

/* gzip (RFC 1952) of @buf into a new blob. */
static inline int test_gzip(const uint8_t *buf, size_t len,
			    struct vmm_blob *out)
{
	z_stream zs;
	size_t cap = compressBound((uLong)len) + 64;

	memset(&zs, 0, sizeof(zs));
	out->data = malloc(cap);
	if (!out->data || deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
				       Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	zs.next_in = (Bytef *)buf;
	zs.avail_in = (uInt)len;
	zs.next_out = out->data;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&zs);
		return -1;
	}
	out->size = zs.total_out;
	deflateEnd(&zs);
	return 0;
}

#define TEST_ELF_DATA 0x200
#define TEST_ELF_FILESZ 0x100
#define TEST_ELF_MEMSZ 0x2000

/* An ELF64 AArch64 executable with two PT_LOAD segments, both with BSS. */
struct test_elf {
	alignas(8) uint8_t buf[1024];
	size_t len;
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
};

static inline void test_make_elf(struct test_elf *e, uint64_t paddr,
				 uint64_t entry)
{
	memset(e, 0, sizeof(*e));
	e->len = TEST_ELF_DATA + 2 * TEST_ELF_FILESZ;
	e->eh = (Elf64_Ehdr *)e->buf;
	e->ph = (Elf64_Phdr *)(e->buf + sizeof(Elf64_Ehdr));
	memcpy(e->eh->e_ident, ELFMAG, SELFMAG);
	e->eh->e_ident[EI_CLASS] = ELFCLASS64;
	e->eh->e_ident[EI_DATA] = ELFDATA2LSB;
	e->eh->e_ident[EI_VERSION] = EV_CURRENT;
	e->eh->e_type = ET_EXEC;
	e->eh->e_machine = EM_AARCH64;
	e->eh->e_version = EV_CURRENT;
	e->eh->e_entry = entry;
	e->eh->e_phoff = sizeof(Elf64_Ehdr);
	e->eh->e_ehsize = sizeof(Elf64_Ehdr);
	e->eh->e_phentsize = sizeof(Elf64_Phdr);
	e->eh->e_phnum = 2;
	for (int i = 0; i < 2; i++) {
		e->ph[i].p_type = PT_LOAD;
		e->ph[i].p_offset = TEST_ELF_DATA + i * TEST_ELF_FILESZ;
		e->ph[i].p_paddr = paddr + (uint64_t)i * 0x200000;
		e->ph[i].p_vaddr = e->ph[i].p_paddr;
		e->ph[i].p_filesz = TEST_ELF_FILESZ;
		e->ph[i].p_memsz = i ? TEST_ELF_MEMSZ : 0x1000;
	}
	for (int i = 0; i < TEST_ELF_FILESZ; i++) {
		e->buf[TEST_ELF_DATA + i] = (uint8_t)(i + 1);
		e->buf[TEST_ELF_DATA + TEST_ELF_FILESZ + i] = 0x5a;
	}
}

#endif /* VKVM_TESTS_VMM_TEST_H */
