// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * loader_test.c: kernel formats (arm64 Image, gzip, ELF64, raw) and boot
 * placement on synthesized files (../shared/spec/virt-machine.md).
 */
#include <elf.h>
#include <stdlib.h>
#include <zlib.h>

#include "lib/test.h"
#include "vmm/layout.h"
#include "vmm/loader.h"
#include "vmm_test.h"

TEST(image_loads_at_text_offset_with_bss_zeroed)
{
	struct test_ram t = test_ram_new(16);
	uint8_t img[4096];
	struct vmm_kernel k;
	struct vmm_err err;

	test_make_image(img, sizeof(img), 0x200000, 0x300000, 0);
	memset(t.ram.host, 0xaa, (size_t)t.ram.size);
	EXPECT_EQ(vmm_load_kernel(&t.ram, img, sizeof(img), &k, &err), 0);
	EXPECT_EQ(k.format, VMM_KERNEL_IMAGE);
	EXPECT_EQ(k.entry, VIRT_RAM_BASE + 0x200000);
	EXPECT_EQ(k.start, VIRT_RAM_BASE + 0x200000);
	EXPECT_EQ(k.end, VIRT_RAM_BASE + 0x500000);
	EXPECT(!memcmp(t.ram.host + 0x200000, img, sizeof(img)));
	EXPECT_EQ(t.ram.host[0x200000 + sizeof(img)], 0);
	EXPECT_EQ(t.ram.host[0x4fffff], 0);
	EXPECT_EQ(t.ram.host[0x500000], 0xaa);
	test_ram_free(&t);
}

TEST(image_with_zero_image_size_uses_old_text_offset)
{
	struct test_ram t = test_ram_new(16);
	uint8_t img[256];
	struct vmm_kernel k;
	struct vmm_err err;

	/* booting.rst: image_size 0 means text_offset 0x80000 */
	test_make_image(img, sizeof(img), 0x1234000, 0, 0);
	EXPECT_EQ(vmm_load_kernel(&t.ram, img, sizeof(img), &k, &err), 0);
	EXPECT_EQ(k.entry, VIRT_RAM_BASE + 0x80000);
	EXPECT_EQ(k.end, VIRT_RAM_BASE + 0x80000 + sizeof(img));
	test_ram_free(&t);
}

TEST(image_big_endian_is_refused)
{
	struct test_ram t = test_ram_new(16);
	uint8_t img[256];
	struct vmm_kernel k;
	struct vmm_err err;

	test_make_image(img, sizeof(img), 0x80000, 0x1000, 1);
	EXPECT_EQ(vmm_load_kernel(&t.ram, img, sizeof(img), &k, &err), -EINVAL);
	EXPECT(strstr(err.msg, "big-endian") != NULL);
	test_ram_free(&t);
}

TEST(image_larger_than_ram_is_efbig)
{
	struct test_ram t = test_ram_new(4);
	uint8_t img[256];
	struct vmm_kernel k;
	struct vmm_err err;

	test_make_image(img, sizeof(img), 0x80000, 8 << 20, 0);
	EXPECT_EQ(vmm_load_kernel(&t.ram, img, sizeof(img), &k, &err), -EFBIG);
	test_make_image(img, sizeof(img), 5 << 20, 0x1000, 0);
	EXPECT_EQ(vmm_load_kernel(&t.ram, img, sizeof(img), &k, &err), -EFBIG);
	EXPECT(strstr(err.msg, "text_offset") != NULL);
	test_ram_free(&t);
}

TEST(gzip_image_is_inflated)
{
	struct test_ram t = test_ram_new(16);
	uint8_t img[8192];
	struct vmm_blob gz;
	struct vmm_kernel k;
	struct vmm_err err;

	test_make_image(img, sizeof(img), 0x80000, 0x10000, 0);
	for (size_t i = 64; i < sizeof(img); i++)
		img[i] = (uint8_t)(i * 7);
	REQUIRE(test_gzip(img, sizeof(img), &gz) == 0);
	EXPECT_EQ(vmm_load_kernel(&t.ram, gz.data, gz.size, &k, &err), 0);
	EXPECT(k.gzipped);
	EXPECT_EQ(k.format, VMM_KERNEL_IMAGE);
	EXPECT(!memcmp(t.ram.host + 0x80000, img, sizeof(img)));
	vmm_blob_free(&gz);
	test_ram_free(&t);
}

TEST(gzip_truncated_or_corrupt_is_einval)
{
	struct test_ram t = test_ram_new(16);
	uint8_t img[4096];
	struct vmm_blob gz;
	struct vmm_kernel k;
	struct vmm_err err;

	test_make_image(img, sizeof(img), 0x80000, 0, 0);
	REQUIRE(test_gzip(img, sizeof(img), &gz) == 0);
	EXPECT_EQ(vmm_load_kernel(&t.ram, gz.data, gz.size / 2, &k, &err),
		  -EINVAL);
	EXPECT(strstr(err.msg, "gzip") != NULL);
	memset(gz.data + 10, 0xff, 8);
	EXPECT_EQ(vmm_load_kernel(&t.ram, gz.data, gz.size, &k, &err), -EINVAL);
	vmm_blob_free(&gz);
	test_ram_free(&t);
}

TEST(gzip_inflating_past_ram_is_efbig)
{
	struct test_ram t = test_ram_new(1);
	size_t len = 3 << 20;
	uint8_t *big = calloc(1, len);
	struct vmm_blob gz;
	struct vmm_kernel k;
	struct vmm_err err;

	REQUIRE(big != NULL);
	REQUIRE(test_gzip(big, len, &gz) == 0);
	EXPECT_EQ(vmm_load_kernel(&t.ram, gz.data, gz.size, &k, &err), -EFBIG);
	vmm_blob_free(&gz);
	free(big);
	test_ram_free(&t);
}

TEST(elf_segments_load_at_paddr_with_bss)
{
	struct test_ram t = test_ram_new(16);
	struct test_elf e;
	struct vmm_kernel k;
	struct vmm_err err;

	test_make_elf(&e, VIRT_RAM_BASE + 0x100000, VIRT_RAM_BASE + 0x100010);
	memset(t.ram.host, 0xaa, (size_t)t.ram.size);
	EXPECT_EQ(vmm_load_kernel(&t.ram, e.buf, e.len, &k, &err), 0);
	EXPECT_EQ(k.format, VMM_KERNEL_ELF);
	EXPECT_EQ(k.entry, VIRT_RAM_BASE + 0x100010);
	EXPECT_EQ(k.start, VIRT_RAM_BASE + 0x100000);
	EXPECT_EQ(k.end, VIRT_RAM_BASE + 0x300000 + TEST_ELF_MEMSZ);
	EXPECT(!memcmp(t.ram.host + 0x100000, e.buf + TEST_ELF_DATA,
		       TEST_ELF_FILESZ));
	EXPECT_EQ(t.ram.host[0x100000 + TEST_ELF_FILESZ], 0);
	EXPECT_EQ(t.ram.host[0x300000], 0x5a); /* second segment */
	EXPECT_EQ(t.ram.host[0x300000 + TEST_ELF_MEMSZ - 1], 0);
	test_ram_free(&t);
}

TEST(elf_wrong_machine_class_or_type_is_einval)
{
	struct test_ram t = test_ram_new(16);
	struct test_elf e;
	struct vmm_kernel k;
	struct vmm_err err;

	test_make_elf(&e, VIRT_RAM_BASE, VIRT_RAM_BASE);
	e.eh->e_machine = EM_X86_64;
	EXPECT_EQ(vmm_load_kernel(&t.ram, e.buf, e.len, &k, &err), -EINVAL);
	EXPECT(strstr(err.msg, "AArch64") != NULL);
	test_make_elf(&e, VIRT_RAM_BASE, VIRT_RAM_BASE);
	e.eh->e_ident[EI_CLASS] = ELFCLASS32;
	EXPECT_EQ(vmm_load_kernel(&t.ram, e.buf, e.len, &k, &err), -EINVAL);
	test_make_elf(&e, VIRT_RAM_BASE, VIRT_RAM_BASE);
	e.eh->e_type = ET_REL;
	EXPECT_EQ(vmm_load_kernel(&t.ram, e.buf, e.len, &k, &err), -EINVAL);
	test_ram_free(&t);
}

TEST(elf_headers_or_segments_past_eof_are_einval)
{
	struct test_ram t = test_ram_new(16);
	struct test_elf e;
	struct vmm_kernel k;
	struct vmm_err err;

	test_make_elf(&e, VIRT_RAM_BASE, VIRT_RAM_BASE);
	e.eh->e_phnum = 1000;
	EXPECT_EQ(vmm_load_kernel(&t.ram, e.buf, e.len, &k, &err), -EINVAL);
	test_make_elf(&e, VIRT_RAM_BASE, VIRT_RAM_BASE);
	e.ph[0].p_offset = e.len;
	EXPECT_EQ(vmm_load_kernel(&t.ram, e.buf, e.len, &k, &err), -EINVAL);
	test_make_elf(&e, VIRT_RAM_BASE, VIRT_RAM_BASE);
	e.ph[0].p_filesz = e.ph[0].p_memsz + 1;
	EXPECT_EQ(vmm_load_kernel(&t.ram, e.buf, e.len, &k, &err), -EINVAL);
	EXPECT_EQ(vmm_load_kernel(&t.ram, e.buf, 40, &k, &err), -EINVAL);
	test_ram_free(&t);
}

TEST(elf_outside_ram_is_refused)
{
	struct test_ram t = test_ram_new(16);
	struct test_elf e;
	struct vmm_kernel k;
	struct vmm_err err;

	test_make_elf(&e, 0x1000, VIRT_RAM_BASE);
	EXPECT_EQ(vmm_load_kernel(&t.ram, e.buf, e.len, &k, &err), -EFBIG);
	test_make_elf(&e, VIRT_RAM_BASE, 0x1000);
	EXPECT_EQ(vmm_load_kernel(&t.ram, e.buf, e.len, &k, &err), -EINVAL);
	EXPECT(strstr(err.msg, "entry") != NULL);
	test_make_elf(&e, VIRT_RAM_BASE, VIRT_RAM_BASE);
	e.ph[0].p_type = PT_NOTE;
	e.ph[1].p_type = PT_NOTE;
	EXPECT_EQ(vmm_load_kernel(&t.ram, e.buf, e.len, &k, &err), -EINVAL);
	EXPECT(strstr(err.msg, "loadable") != NULL);
	test_ram_free(&t);
}

TEST(raw_binary_loads_at_ram_plus_0x80000)
{
	struct test_ram t = test_ram_new(16);
	uint8_t bin[100];
	struct vmm_kernel k;
	struct vmm_err err;

	for (size_t i = 0; i < sizeof(bin); i++)
		bin[i] = (uint8_t)i;
	EXPECT_EQ(vmm_load_kernel(&t.ram, bin, sizeof(bin), &k, &err), 0);
	EXPECT_EQ(k.format, VMM_KERNEL_RAW);
	EXPECT_EQ(k.entry, VIRT_RAM_BASE + 0x80000);
	EXPECT(!memcmp(t.ram.host + 0x80000, bin, sizeof(bin)));
	EXPECT_EQ(vmm_load_kernel(&t.ram, bin, 0, &k, &err), -EINVAL);
	EXPECT(strstr(err.msg, "empty") != NULL);
	test_ram_free(&t);
}

TEST(raw_binary_larger_than_ram_is_efbig)
{
	struct test_ram t = test_ram_new(1);
	size_t len = 1 << 20;
	uint8_t *bin = calloc(1, len);
	struct vmm_kernel k;
	struct vmm_err err;

	REQUIRE(bin != NULL);
	bin[0] = 1;
	EXPECT_EQ(vmm_load_kernel(&t.ram, bin, len, &k, &err), -EFBIG);
	EXPECT(strstr(err.msg, "do not fit") != NULL);
	free(bin);
	test_ram_free(&t);
}

static struct vmm_ram plan_ram(uint64_t mib)
{
	return (struct vmm_ram){ NULL, VIRT_RAM_BASE, mib << 20 };
}

TEST(plan_initrd_at_half_ram_dtb_after_it)
{
	struct vmm_ram ram = plan_ram(128);
	struct vmm_kernel k = { .end = VIRT_RAM_BASE + 0x100000 };
	struct vmm_boot_plan p;

	EXPECT_EQ(vmm_plan_boot(&ram, &k, 0x12345, false, &p, NULL), 0);
	EXPECT_EQ(p.initrd_start, VIRT_RAM_BASE + (64 << 20));
	EXPECT_EQ(p.initrd_size, 0x12345);
	EXPECT_EQ(p.dtb_addr, VIRT_RAM_BASE + (66 << 20));
	EXPECT_EQ(p.dtb_room, VIRT_DTB_MAX_SIZE);
}

TEST(plan_initrd_offset_caps_at_128mib)
{
	struct vmm_ram ram = plan_ram(1024);
	struct vmm_boot_plan p;

	EXPECT_EQ(vmm_plan_boot(&ram, NULL, 0, false, &p, NULL), 0);
	EXPECT_EQ(p.initrd_start, VIRT_RAM_BASE + (128 << 20));
	EXPECT_EQ(p.dtb_addr, VIRT_RAM_BASE + (128 << 20));
}

TEST(plan_initrd_moves_above_a_large_kernel)
{
	struct vmm_ram ram = plan_ram(256);
	struct vmm_kernel k = { .end = VIRT_RAM_BASE + (130 << 20) + 5 };
	struct vmm_boot_plan p;

	EXPECT_EQ(vmm_plan_boot(&ram, &k, 4096, false, &p, NULL), 0);
	EXPECT_EQ(p.initrd_start, VIRT_RAM_BASE + (130 << 20) + 0x1000);
	EXPECT_EQ(p.dtb_addr, VIRT_RAM_BASE + (132 << 20));
}

TEST(plan_initrd_too_big_is_efbig)
{
	struct vmm_ram ram = plan_ram(128);
	struct vmm_boot_plan p;
	struct vmm_err err;

	EXPECT_EQ(vmm_plan_boot(&ram, NULL, 65 << 20, false, &p, &err), -EFBIG);
	EXPECT(strstr(err.msg, "initrd") != NULL);
}

TEST(plan_bios_puts_dtb_at_ram_start)
{
	struct vmm_ram ram = plan_ram(128);
	struct vmm_kernel k = { .start = VIRT_RAM_BASE + 0x80000,
				.end = VIRT_RAM_BASE + 0x90000 };
	struct vmm_boot_plan p;

	EXPECT_EQ(vmm_plan_boot(&ram, NULL, 0, true, &p, NULL), 0);
	EXPECT_EQ(p.dtb_addr, VIRT_RAM_BASE);
	EXPECT_EQ(p.dtb_room, VIRT_DTB_MAX_SIZE);
	EXPECT_EQ(vmm_plan_boot(&ram, &k, 0, true, &p, NULL), 0);
	EXPECT_EQ(p.dtb_room, 0x80000);
}

TEST(plan_small_ram_falls_back_to_page_alignment)
{
	struct vmm_ram ram = plan_ram(2);
	struct vmm_boot_plan p;
	struct vmm_err err;

	EXPECT_EQ(vmm_plan_boot(&ram, NULL, 0x1000, false, &p, NULL), 0);
	EXPECT_EQ(p.dtb_addr, VIRT_RAM_BASE + (1 << 20) + 0x1000);
	ram = plan_ram(1);
	EXPECT_EQ(vmm_plan_boot(&ram, NULL, 0x7f800, false, &p, &err), -EFBIG);
	EXPECT(strstr(err.msg, "device tree") != NULL);
}

TEST(ram_copy_checks_bounds)
{
	struct test_ram t = test_ram_new(1);
	uint8_t b[16] = { 1 };

	EXPECT_EQ(vmm_ram_copy(&t.ram, VIRT_RAM_BASE, b, 16, NULL), 0);
	EXPECT_EQ(vmm_ram_copy(&t.ram, VIRT_RAM_BASE - 1, b, 16, NULL), -EFBIG);
	EXPECT_EQ(vmm_ram_copy(&t.ram, VIRT_RAM_BASE + (1 << 20) - 8, b, 16,
			       NULL),
		  -EFBIG);
	EXPECT_EQ(vmm_ram_copy(&t.ram, UINT64_MAX - 4, b, 16, NULL), -EFBIG);
	test_ram_free(&t);
}
