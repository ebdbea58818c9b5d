// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fdt.c: the `virt` device tree through libfdt's sequential-write API.
 * Node names, properties and values follow what QEMU 7.2's virt machine
 * shows (compare with `qemu-system-aarch64 -M virt,dumpdtb=F`); nodes for
 * hardware vkvm does not emulate (PCIe, fw-cfg, GPIO, flash, PMU, ITS,
 * GICv2m) are left out.
 */
#include "fdt.h"

#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "layout.h"

/* phandles */
#define PH_GIC 1
#define PH_CLK 2

/* interrupt cell values (GIC binding) */
#define IRQ_TYPE_SPI 0
#define IRQ_TYPE_PPI 1
#define IRQ_EDGE_RISING 1
#define IRQ_LEVEL_HIGH 4

/* MPIDR_EL1 affinity fields: Aff3 (39:32), Aff2..Aff0 (23:0). */
#define MPIDR_AFF_MASK 0xff00ffffffULL

#define TRY(x)                     \
	do {                       \
		int r_ = (x);      \
		if (r_ < 0)        \
			return r_; \
	} while (0)

static int prop_cells(void *fdt, const char *name, const uint32_t *v,
		      unsigned int n)
{
	fdt32_t be[16];

	for (unsigned int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(v[i]);
	return fdt_property(fdt, name, be, (int)(n * sizeof(be[0])));
}

/* "reg" of @n (address, size) pairs with 2 cells each. */
static int prop_reg(void *fdt, const uint64_t *pairs, unsigned int n)
{
	uint32_t c[16];

	for (unsigned int i = 0; i < 2 * n; i++) {
		c[2 * i] = (uint32_t)(pairs[i] >> 32);
		c[2 * i + 1] = (uint32_t)pairs[i];
	}
	return prop_cells(fdt, "reg", c, 4 * n);
}

static int prop_reg1(void *fdt, uint64_t base, uint64_t size)
{
	uint64_t pair[2] = { base, size };

	return prop_reg(fdt, pair, 1);
}

static int prop_irq(void *fdt, uint32_t type, uint32_t nr, uint32_t flags)
{
	uint32_t c[3] = { type, nr, flags };

	return prop_cells(fdt, "interrupts", c, 3);
}

/* A string list: @list holds the strings separated by '\0'. */
static int prop_strings(void *fdt, const char *name, const char *list,
			size_t len_with_nuls)
{
	return fdt_property(fdt, name, list, (int)len_with_nuls);
}

#define PROP_STRINGS(fdt, name, lit) prop_strings(fdt, name, lit, sizeof(lit))

static int node_psci(void *fdt)
{
	TRY(fdt_begin_node(fdt, "psci"));
	TRY(PROP_STRINGS(fdt, "compatible",
			 "arm,psci-1.0\0arm,psci-0.2\0arm,psci"));
	TRY(fdt_property_string(fdt, "method", "hvc"));
	/* function ids for guests that only know "arm,psci" */
	TRY(fdt_property_u32(fdt, "cpu_suspend", 0xc4000001));
	TRY(fdt_property_u32(fdt, "cpu_off", 0x84000002));
	TRY(fdt_property_u32(fdt, "cpu_on", 0xc4000003));
	TRY(fdt_property_u32(fdt, "migrate", 0xc4000005));
	return fdt_end_node(fdt);
}

static int node_memory(void *fdt, const struct vmm_fdt_params *p)
{
	char name[32];

	snprintf(name, sizeof(name), "memory@%llx",
		 (unsigned long long)p->ram_base);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "device_type", "memory"));
	TRY(prop_reg1(fdt, p->ram_base, p->ram_size));
	return fdt_end_node(fdt);
}

static int node_clock(void *fdt)
{
	TRY(fdt_begin_node(fdt, "apb-pclk"));
	TRY(fdt_property_string(fdt, "compatible", "fixed-clock"));
	TRY(fdt_property_u32(fdt, "#clock-cells", 0));
	TRY(fdt_property_u32(fdt, "clock-frequency", VIRT_APB_CLOCK_HZ));
	TRY(fdt_property_string(fdt, "clock-output-names", "clk24mhz"));
	TRY(fdt_property_u32(fdt, "phandle", PH_CLK));
	return fdt_end_node(fdt);
}

static int node_pl011(void *fdt)
{
	uint32_t clocks[2] = { PH_CLK, PH_CLK };

	TRY(fdt_begin_node(fdt, "pl011@9000000"));
	TRY(PROP_STRINGS(fdt, "compatible", "arm,pl011\0arm,primecell"));
	TRY(prop_reg1(fdt, VIRT_UART_BASE, VIRT_UART_SIZE));
	TRY(prop_irq(fdt, IRQ_TYPE_SPI, VIRT_UART_SPI, IRQ_LEVEL_HIGH));
	TRY(prop_cells(fdt, "clocks", clocks, 2));
	TRY(PROP_STRINGS(fdt, "clock-names", "uartclk\0apb_pclk"));
	return fdt_end_node(fdt);
}

static int node_pl031(void *fdt)
{
	TRY(fdt_begin_node(fdt, "pl031@9010000"));
	TRY(PROP_STRINGS(fdt, "compatible", "arm,pl031\0arm,primecell"));
	TRY(prop_reg1(fdt, VIRT_RTC_BASE, VIRT_RTC_SIZE));
	TRY(prop_irq(fdt, IRQ_TYPE_SPI, VIRT_RTC_SPI, IRQ_LEVEL_HIGH));
	TRY(fdt_property_u32(fdt, "clocks", PH_CLK));
	TRY(fdt_property_string(fdt, "clock-names", "apb_pclk"));
	return fdt_end_node(fdt);
}

/* The virtio-mmio transports QEMU shows, all empty (device ID 0). */
static int nodes_virtio(void *fdt)
{
	for (unsigned int i = 0; i < VIRT_MMIO_SLOTS; i++) {
		uint64_t base = VIRT_MMIO_BASE + i * VIRT_MMIO_SLOT_SIZE;
		char name[32];

		snprintf(name, sizeof(name), "virtio_mmio@%llx",
			 (unsigned long long)base);
		TRY(fdt_begin_node(fdt, name));
		TRY(fdt_property_string(fdt, "compatible", "virtio,mmio"));
		TRY(prop_reg1(fdt, base, VIRT_MMIO_SLOT_SIZE));
		TRY(prop_irq(fdt, IRQ_TYPE_SPI, VIRT_MMIO_SPI + i,
			     IRQ_EDGE_RISING));
		TRY(fdt_property(fdt, "dma-coherent", NULL, 0));
		TRY(fdt_end_node(fdt));
	}
	return 0;
}

static int node_gic(void *fdt, const struct vmm_fdt_params *p)
{
	uint64_t v2[4] = { VIRT_GIC_DIST_BASE, VIRT_GIC_DIST_SIZE,
			   VIRT_GIC_CPU_BASE, VIRT_GIC_CPU_SIZE };
	uint64_t v3[4] = { VIRT_GIC_DIST_BASE, VIRT_GIC_DIST_SIZE,
			   VIRT_GIC_REDIST_BASE, VIRT_GIC_REDIST_SIZE };

	TRY(fdt_begin_node(fdt, "intc@8000000"));
	if (p->gic_version == 3) {
		TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
		TRY(fdt_property_u32(fdt, "#redistributor-regions", 1));
		TRY(prop_reg(fdt, v3, 2));
	} else {
		TRY(fdt_property_string(fdt, "compatible",
					"arm,cortex-a15-gic"));
		TRY(prop_reg(fdt, v2, 2));
	}
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 3));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	TRY(fdt_property(fdt, "ranges", NULL, 0));
	TRY(fdt_property_u32(fdt, "phandle", PH_GIC));
	return fdt_end_node(fdt);
}

static bool cpus_need_aff3(const struct vmm_fdt_params *p)
{
	for (unsigned int i = 0; i < p->nr_cpus; i++)
		if (p->mpidr[i] >> 32 & 0xff)
			return true;
	return false;
}

static int node_cpu(void *fdt, uint64_t mpidr, int cells)
{
	uint64_t aff = mpidr & MPIDR_AFF_MASK;
	uint32_t reg[2] = { (uint32_t)(aff >> 32), (uint32_t)aff };
	char name[32];

	snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)aff);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "device_type", "cpu"));
	TRY(fdt_property_string(fdt, "compatible", "arm,armv8"));
	TRY(fdt_property_string(fdt, "enable-method", "psci"));
	TRY(prop_cells(fdt, "reg", reg + 2 - cells, (unsigned int)cells));
	return fdt_end_node(fdt);
}

static int node_cpus(void *fdt, const struct vmm_fdt_params *p)
{
	int cells = cpus_need_aff3(p) ? 2 : 1;

	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_u32(fdt, "#address-cells", (uint32_t)cells));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned int i = 0; i < p->nr_cpus; i++)
		TRY(node_cpu(fdt, p->mpidr[i], cells));
	return fdt_end_node(fdt);
}

static int node_timer(void *fdt, const struct vmm_fdt_params *p)
{
	uint32_t flags = IRQ_LEVEL_HIGH;
	uint32_t c[12] = { IRQ_TYPE_PPI, VIRT_TIMER_S_PPI,    0,
			   IRQ_TYPE_PPI, VIRT_TIMER_NS_PPI,   0,
			   IRQ_TYPE_PPI, VIRT_TIMER_VIRT_PPI, 0,
			   IRQ_TYPE_PPI, VIRT_TIMER_HYP_PPI,  0 };

	/* GICv2 PPI cells carry the CPU mask in bits 15:8 */
	if (p->gic_version == 2)
		flags |= ((1U << p->nr_cpus) - 1) << 8;
	for (unsigned int i = 2; i < 12; i += 3)
		c[i] = flags;
	TRY(fdt_begin_node(fdt, "timer"));
	TRY(PROP_STRINGS(fdt, "compatible",
			 "arm,armv8-timer\0arm,armv7-timer"));
	TRY(prop_cells(fdt, "interrupts", c, 12));
	TRY(fdt_property(fdt, "always-on", NULL, 0));
	return fdt_end_node(fdt);
}

/* The /chosen properties, shared by the built tree and the fix-up. */
struct chosen_prop {
	const char *name;
	const void *val;
	int len;
};

static unsigned int chosen_props(const struct vmm_fdt_params *p,
				 fdt64_t initrd[2], struct chosen_prop *out)
{
	unsigned int n = 0;

	if (p->bootargs)
		out[n++] = (struct chosen_prop){ "bootargs", p->bootargs,
						 (int)strlen(p->bootargs) + 1 };
	if (p->initrd_size) {
		initrd[0] = cpu_to_fdt64(p->initrd_start);
		initrd[1] = cpu_to_fdt64(p->initrd_start + p->initrd_size);
		out[n++] = (struct chosen_prop){ "linux,initrd-start",
						 &initrd[0], 8 };
		out[n++] = (struct chosen_prop){ "linux,initrd-end", &initrd[1],
						 8 };
	}
	if (p->seed) {
		out[n++] = (struct chosen_prop){ "rng-seed", p->seed, 32 };
		out[n++] =
			(struct chosen_prop){ "kaslr-seed", p->seed + 32, 8 };
	}
	return n;
}

static int node_chosen(void *fdt, const struct vmm_fdt_params *p)
{
	struct chosen_prop props[5];
	fdt64_t initrd[2];
	unsigned int n = chosen_props(p, initrd, props);

	TRY(fdt_begin_node(fdt, "chosen"));
	TRY(fdt_property_string(fdt, "stdout-path", "/pl011@9000000"));
	for (unsigned int i = 0; i < n; i++)
		TRY(fdt_property(fdt, props[i].name, props[i].val,
				 props[i].len));
	return fdt_end_node(fdt);
}

static int build_root(void *fdt, const struct vmm_fdt_params *p)
{
	TRY(fdt_begin_node(fdt, ""));
	TRY(fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
	TRY(fdt_property_string(fdt, "model", "linux,dummy-virt"));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	TRY(fdt_property_u32(fdt, "interrupt-parent", PH_GIC));
	TRY(node_psci(fdt));
	TRY(node_memory(fdt, p));
	TRY(node_clock(fdt));
	TRY(node_pl011(fdt));
	TRY(node_pl031(fdt));
	TRY(nodes_virtio(fdt));
	TRY(node_gic(fdt, p));
	TRY(node_cpus(fdt, p));
	TRY(node_timer(fdt, p));
	TRY(node_chosen(fdt, p));
	return fdt_end_node(fdt);
}

static int fdt_fail(struct vmm_err *err, int fdterr, const char *what)
{
	return vmm_errf(err, fdterr == -FDT_ERR_NOSPACE ? ENOSPC : EINVAL,
			"device tree: %s: %s", what, fdt_strerror(fdterr));
}

int vmm_fdt_build(const struct vmm_fdt_params *p, void *buf, size_t size,
		  struct vmm_err *err)
{
	int ret;

	if (p->nr_cpus == 0 || p->nr_cpus > 512 ||
	    (p->gic_version == 2 && p->nr_cpus > VIRT_MAX_CPUS_GICV2))
		return vmm_errf(err, EINVAL, "device tree: %u vCPUs",
				p->nr_cpus);
	if (size > INT32_MAX)
		size = INT32_MAX;
	ret = fdt_create(buf, (int)size);
	if (ret == 0)
		ret = fdt_finish_reservemap(buf);
	if (ret == 0)
		ret = build_root(buf, p);
	if (ret == 0)
		ret = fdt_finish(buf);
	return ret < 0 ? fdt_fail(err, ret, "build") : 0;
}

int vmm_fdt_fixup(const struct vmm_fdt_params *p, void *buf, size_t len,
		  size_t size, struct vmm_err *err)
{
	struct chosen_prop props[5];
	fdt64_t initrd[2];
	unsigned int n = chosen_props(p, initrd, props);
	int ret, off;

	if (len < FDT_V17_SIZE || size > INT32_MAX)
		return vmm_errf(err, EINVAL, "not a device tree blob");
	ret = fdt_check_full(buf, len);
	if (ret < 0)
		return fdt_fail(err, ret, "invalid blob");
	ret = fdt_open_into(buf, buf, (int)size);
	if (ret < 0)
		return fdt_fail(err, ret, "open");
	off = fdt_path_offset(buf, "/chosen");
	if (off == -FDT_ERR_NOTFOUND)
		off = fdt_add_subnode(buf, 0, "chosen");
	if (off < 0)
		return fdt_fail(err, off, "/chosen");
	for (unsigned int i = 0; i < n; i++) {
		ret = fdt_setprop(buf, off, props[i].name, props[i].val,
				  props[i].len);
		if (ret < 0)
			return fdt_fail(err, ret, props[i].name);
	}
	ret = fdt_pack(buf);
	return ret < 0 ? fdt_fail(err, ret, "pack") : 0;
}
