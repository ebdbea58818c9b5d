// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_test.c: property tests: malformed kernels (Image, gzip, ELF, raw)
 * and device trees, made by truncating and corrupting valid files with a
 * seeded generator, give a clear error or load within RAM, never a crash
 * (run under ASan+UBSan by `make check`).  VKVM_FUZZ_ITERS sets the
 * number of cases per test (default 20000), VKVM_FUZZ_SEED the seed.
 */
#include <libfdt.h>
#include <stdlib.h>

#include "lib/test.h"
#include "vmm/fdt.h"
#include "vmm_test.h"

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	/* xorshift64* */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

static unsigned long env_ulong(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

static struct rng rng_new(void)
{
	return (struct rng){ env_ulong("VKVM_FUZZ_SEED", 0x5eed) | 1 };
}

/* Corrupt @buf: truncate, flip bytes, or write interesting values. */
static size_t mutate(struct rng *r, uint8_t *buf, size_t len)
{
	static const uint64_t magic[] = { 0,	      1,	  0x7fffffff,
					  0xffffffff, 0x80000000, UINT64_MAX,
					  64,	      56 };
	unsigned int n = 1 + (unsigned int)(rng_next(r) % 8);

	for (unsigned int i = 0; i < n && len; i++) {
		size_t at = (size_t)(rng_next(r) % len);
		uint64_t v = magic[rng_next(r) % 8];

		switch (rng_next(r) % 4) {
		case 0:
			buf[at] ^= (uint8_t)(1 << (rng_next(r) % 8));
			break;
		case 1:
			buf[at] = (uint8_t)rng_next(r);
			break;
		case 2:
			for (size_t b = 0; b < 8 && at + b < len; b++)
				buf[at + b] = (uint8_t)(v >> (8 * b));
			break;
		default:
			len = at;
			break;
		}
	}
	return len;
}

/* Load one mutant; check the result is consistent. */
static void try_kernel(struct test_ram *t, const uint8_t *buf, size_t len)
{
	struct vmm_kernel k;
	struct vmm_err err = { "" };
	int ret = vmm_load_kernel(&t->ram, buf, len, &k, &err);

	test_checked();
	if (ret == 0) {
		if (k.entry < t->ram.base ||
		    k.entry >= t->ram.base + t->ram.size || k.end < k.start ||
		    k.end > t->ram.base + t->ram.size)
			test_fail(__FILE__, __LINE__,
				  "loaded outside RAM: entry 0x%llx",
				  (unsigned long long)k.entry);
	} else if (ret != -EINVAL && ret != -EFBIG) {
		test_fail(__FILE__, __LINE__, "unexpected error %d", ret);
	} else if (!err.msg[0]) {
		test_fail(__FILE__, __LINE__, "error %d without message", ret);
	}
}

static void fuzz_kernel_template(const uint8_t *tmpl, size_t len)
{
	struct test_ram t = test_ram_new(4);
	unsigned long iters = env_ulong("VKVM_FUZZ_ITERS", 20000);
	struct rng r = rng_new();
	uint8_t *buf = malloc(len);

	REQUIRE(buf != NULL);
	for (unsigned long i = 0; i < iters; i++) {
		size_t n;

		memcpy(buf, tmpl, len);
		n = mutate(&r, buf, len);
		try_kernel(&t, buf, n);
	}
	free(buf);
	test_ram_free(&t);
}

TEST(fuzz_image_headers)
{
	uint8_t img[512];

	test_make_image(img, sizeof(img), 0x80000, 0x10000, 0);
	fuzz_kernel_template(img, sizeof(img));
}

TEST(fuzz_elf_headers)
{
	struct test_elf e;

	test_make_elf(&e, VIRT_RAM_BASE + 0x10000, VIRT_RAM_BASE + 0x10000);
	fuzz_kernel_template(e.buf, e.len);
}

TEST(fuzz_gzip_streams)
{
	uint8_t img[2048];
	struct vmm_blob gz;

	test_make_image(img, sizeof(img), 0x80000, 0, 0);
	for (size_t i = 64; i < sizeof(img); i++)
		img[i] = (uint8_t)(i * 13);
	REQUIRE(test_gzip(img, sizeof(img), &gz) == 0);
	fuzz_kernel_template(gz.data, gz.size);
	vmm_blob_free(&gz);
}

TEST(fuzz_random_bytes)
{
	struct test_ram t = test_ram_new(4);
	struct rng r = rng_new();
	uint8_t buf[300];

	for (int i = 0; i < 2000; i++) {
		size_t n = (size_t)(rng_next(&r) % sizeof(buf));

		for (size_t b = 0; b < n; b++)
			buf[b] = (uint8_t)rng_next(&r);
		if (n > 4 && i % 3 == 0)
			memcpy(buf,
			       "\x7f"
			       "ELF",
			       4);
		if (n > 3 && i % 3 == 1)
			memcpy(buf, "\x1f\x8b\x08", 3);
		try_kernel(&t, buf, n);
	}
	test_ram_free(&t);
}

TEST(fuzz_device_trees)
{
	static const uint64_t mpidr[2] = { 0x80000000, 0x80000001 };
	struct vmm_fdt_params p = { .nr_cpus = 2,
				    .mpidr = mpidr,
				    .gic_version = 3,
				    .ram_base = VIRT_RAM_BASE,
				    .ram_size = 1 << 30,
				    .bootargs = "console=ttyAMA0",
				    .initrd_start = 0x48000000,
				    .initrd_size = 0x100 };
	unsigned long iters = env_ulong("VKVM_FUZZ_ITERS", 20000);
	struct rng r = rng_new();
	static uint8_t tmpl[16384], buf[32768];
	size_t len;

	REQUIRE(vmm_fdt_build(&p, tmpl, sizeof(tmpl), NULL) == 0);
	len = fdt_totalsize(tmpl);
	for (unsigned long i = 0; i < iters; i++) {
		struct vmm_err err = { "" };
		size_t n;
		int ret;

		memcpy(buf, tmpl, len);
		n = mutate(&r, buf, len);
		ret = vmm_fdt_fixup(&p, buf, n, sizeof(buf), &err);
		test_checked();
		if (ret == 0 && fdt_check_full(buf, sizeof(buf)))
			test_fail(__FILE__, __LINE__, "fixed-up tree invalid");
		if (ret && (ret != -EINVAL && ret != -ENOSPC))
			test_fail(__FILE__, __LINE__, "error %d", ret);
		if (ret && !err.msg[0])
			test_fail(__FILE__, __LINE__, "no message");
	}
}
