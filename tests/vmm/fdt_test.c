// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fdt_test.c: the built device tree, read back through libfdt, against
 * ../shared/spec/virt-machine.md; the --dtb fix-up.
 */
#include <libfdt.h>
#include <stdlib.h>

#include "lib/test.h"
#include "vmm/fdt.h"
#include "vmm/layout.h"

static uint64_t mpidr4[4] = { 0x80000000, 0x80000001, 0x80000002, 0x80000003 };

static struct vmm_fdt_params params(unsigned int cpus, int gic)
{
	return (struct vmm_fdt_params){
		.nr_cpus = cpus,
		.mpidr = mpidr4,
		.gic_version = gic,
		.ram_base = VIRT_RAM_BASE,
		.ram_size = 128 << 20,
	};
}

static uint32_t cell(const void *fdt, const char *path, const char *prop, int i)
{
	int len, off = fdt_path_offset(fdt, path);
	const fdt32_t *v = off < 0 ? NULL : fdt_getprop(fdt, off, prop, &len);

	if (!v || len < (i + 1) * 4)
		return 0xdeadbeef;
	return fdt32_to_cpu(v[i]);
}

static const char *str(const void *fdt, const char *path, const char *prop)
{
	int off = fdt_path_offset(fdt, path);

	return off < 0 ? "" : fdt_getprop(fdt, off, prop, NULL);
}

static void *build(const struct vmm_fdt_params *p)
{
	void *fdt = malloc(65536);

	if (!fdt || vmm_fdt_build(p, fdt, 65536, NULL) ||
	    fdt_check_full(fdt, 65536))
		abort();
	return fdt;
}

TEST(fdt_gicv2_four_cpus_has_the_contract_nodes)
{
	struct vmm_fdt_params p = params(4, 2);
	void *fdt = build(&p);

	EXPECT(!strcmp(str(fdt, "/", "compatible"), "linux,dummy-virt"));
	EXPECT_EQ(cell(fdt, "/", "#address-cells", 0), 2);
	EXPECT_EQ(cell(fdt, "/memory@40000000", "reg", 1), 0x40000000);
	EXPECT_EQ(cell(fdt, "/memory@40000000", "reg", 3), 128 << 20);
	EXPECT(!strcmp(str(fdt, "/intc@8000000", "compatible"),
		       "arm,cortex-a15-gic"));
	EXPECT_EQ(cell(fdt, "/intc@8000000", "reg", 5), VIRT_GIC_CPU_BASE);
	EXPECT_EQ(cell(fdt, "/", "interrupt-parent", 0),
		  cell(fdt, "/intc@8000000", "phandle", 0));
	EXPECT_EQ(cell(fdt, "/cpus/cpu@3", "reg", 0), 3);
	EXPECT(!strcmp(str(fdt, "/cpus/cpu@2", "device_type"), "cpu"));
	EXPECT(!strcmp(str(fdt, "/cpus/cpu@2", "enable-method"), "psci"));
	EXPECT_EQ(cell(fdt, "/timer", "interrupts", 2), 0xf04);
	EXPECT_EQ(cell(fdt, "/timer", "interrupts", 7), 11);
	EXPECT(!strcmp(str(fdt, "/psci", "method"), "hvc"));
	EXPECT_EQ(cell(fdt, "/pl011@9000000", "interrupts", 1), 1);
	EXPECT_EQ(cell(fdt, "/apb-pclk", "clock-frequency", 0), 24000000);
	EXPECT(!strcmp(str(fdt, "/chosen", "stdout-path"), "/pl011@9000000"));
	EXPECT(fdt_path_offset(fdt, "/chosen") >= 0);
	EXPECT_EQ(fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "bootargs",
			      NULL),
		  NULL);
	free(fdt);
}

TEST(fdt_gicv3_has_redistributors_and_plain_timer_flags)
{
	struct vmm_fdt_params p = params(1, 3);
	void *fdt = build(&p);

	EXPECT(!strcmp(str(fdt, "/intc@8000000", "compatible"), "arm,gic-v3"));
	EXPECT_EQ(cell(fdt, "/intc@8000000", "reg", 5), VIRT_GIC_REDIST_BASE);
	EXPECT_EQ(cell(fdt, "/intc@8000000", "reg", 7), VIRT_GIC_REDIST_SIZE);
	EXPECT_EQ(cell(fdt, "/timer", "interrupts", 2), 4);
	EXPECT(fdt_path_offset(fdt, "/cpus/cpu@1") < 0);
	free(fdt);
}

TEST(fdt_chosen_carries_bootargs_initrd_and_seeds)
{
	uint8_t seed[VMM_FDT_SEED_SIZE] = { 7 };
	struct vmm_fdt_params p = params(1, 2);
	void *fdt;

	p.bootargs = "console=ttyAMA0";
	p.initrd_start = 0x44000000;
	p.initrd_size = 0x1000;
	p.seed = seed;
	fdt = build(&p);
	EXPECT(!strcmp(str(fdt, "/chosen", "bootargs"), "console=ttyAMA0"));
	EXPECT_EQ(cell(fdt, "/chosen", "linux,initrd-start", 1), 0x44000000);
	EXPECT_EQ(cell(fdt, "/chosen", "linux,initrd-end", 1), 0x44001000);
	EXPECT_EQ(cell(fdt, "/chosen", "rng-seed", 0), 0x07000000);
	free(fdt);
}

TEST(fdt_cpu_reg_is_the_mpidr_affinity)
{
	uint64_t mpidr[2] = { 0x80000000, 0x80000112 };
	struct vmm_fdt_params p = params(2, 3);
	void *fdt;

	p.mpidr = mpidr;
	fdt = build(&p);
	EXPECT_EQ(cell(fdt, "/cpus/cpu@112", "reg", 0), 0x112);
	free(fdt);
}

TEST(fdt_build_errors)
{
	struct vmm_fdt_params p = params(4, 2);
	char small[256];
	struct vmm_err err;

	EXPECT_EQ(vmm_fdt_build(&p, small, sizeof(small), &err), -ENOSPC);
	EXPECT(strstr(err.msg, "device tree") != NULL);
	p.nr_cpus = 9;
	EXPECT_EQ(vmm_fdt_build(&p, small, sizeof(small), &err), -EINVAL);
	p.nr_cpus = 0;
	EXPECT_EQ(vmm_fdt_build(&p, small, sizeof(small), &err), -EINVAL);
}

TEST(fdt_fixup_sets_chosen_in_a_user_tree)
{
	struct vmm_fdt_params p = params(1, 2);
	char *buf = calloc(1, 8192);
	int len;

	REQUIRE(buf != NULL);
	fdt_create_empty_tree(buf, 512);
	len = (int)fdt_totalsize(buf);
	p.bootargs = "quiet";
	p.initrd_start = 0x48000000;
	p.initrd_size = 16;
	EXPECT_EQ(vmm_fdt_fixup(&p, buf, (size_t)len, 8192, NULL), 0);
	EXPECT(!strcmp(str(buf, "/chosen", "bootargs"), "quiet"));
	EXPECT_EQ(cell(buf, "/chosen", "linux,initrd-end", 1), 0x48000010);
	EXPECT(fdt_totalsize(buf) < 8192); /* packed */
	free(buf);
}

TEST(fdt_fixup_rejects_garbage_and_no_room)
{
	struct vmm_fdt_params p = params(1, 2);
	char buf[4096];
	struct vmm_err err;

	memset(buf, 0x5a, sizeof(buf));
	EXPECT_EQ(vmm_fdt_fixup(&p, buf, sizeof(buf), sizeof(buf), &err),
		  -EINVAL);
	EXPECT(strstr(err.msg, "device tree") != NULL);
	EXPECT_EQ(vmm_fdt_fixup(&p, buf, 8, sizeof(buf), &err), -EINVAL);
	fdt_create_empty_tree(buf, 128);
	p.bootargs = "a very long command line that will not fit in 128 b "
		     "............................................";
	EXPECT_EQ(vmm_fdt_fixup(&p, buf, fdt_totalsize(buf), 128, &err),
		  -ENOSPC);
}
