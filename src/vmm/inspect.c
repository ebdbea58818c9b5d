// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * inspect.c: decode a parsed snapshot for `vkvm inspect`: the vCPUs'
 * registers by ONE_REG id, and the vGIC records by (group, offset) into
 * one view per interrupt (kvm-arm-api.md 7.1-7.6).
 */
#include "inspect.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <vkvm/kvm.h>

#include "inspect_out.h"
#include "vm_state.h"

#define CORE(name)                                             \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
	 KVM_REG_ARM_CORE_REG(name))
#define SCTLR_EL1 ARM64_SYS_REG(3, 0, 1, 0, 0)

/* --- interrupts --------------------------------------------------------- */

struct irq_view {
	uint8_t group, enabled, pending, active, priority, edge, level;
	uint8_t targets; /* GICv2 ITARGETSR byte */
	uint64_t router; /* GICv3 IROUTER */
};

struct gic_view {
	const struct snap_file *f;
	struct irq_view *spi; /* by INTID (0-31 unused) */
	struct irq_view *priv; /* [vCPU][32] */
	uint64_t (*cpuif)[12]; /* per vCPU: see cpuif_names */
};

/* One per-interrupt distributor/redistributor register range. */
struct field_map {
	uint32_t base, end;
	uint8_t bits;
	size_t field; /* offsetof(struct irq_view, ...) */
};

static const struct field_map irq_fields[] = {
	{ 0x080, 0x100, 1, offsetof(struct irq_view, group) },
	{ 0x100, 0x180, 1, offsetof(struct irq_view, enabled) },
	{ 0x200, 0x280, 1, offsetof(struct irq_view, pending) },
	{ 0x300, 0x380, 1, offsetof(struct irq_view, active) },
	{ 0x400, 0x800, 8, offsetof(struct irq_view, priority) },
	{ 0x800, 0xC00, 8, offsetof(struct irq_view, targets) },
	{ 0xC00, 0xD00, 2, offsetof(struct irq_view, edge) },
};

/* CPU interface registers shown, by group: v2 offsets, v3 encodings. */
static const struct {
	const char *name;
	uint32_t v2_off, v3_enc;
} cpuif_regs[] = {
	{ "ctlr", 0x00, 0xC664 },   { "pmr", 0x04, 0xC230 },
	{ "bpr", 0x08, 0xC663 },    { "abpr_bpr0", 0x1C, 0xC643 },
	{ "apr0", 0xD0, 0xC648 },   { "igrpen0", ~0U, 0xC666 },
	{ "igrpen1", ~0U, 0xC667 }, { "sre", ~0U, 0xC665 },
};

#define NR_CPUIF (sizeof(cpuif_regs) / sizeof(cpuif_regs[0]))

static int vcpu_of_attr(const struct snap_file *f, uint32_t group,
			uint64_t attr)
{
	for (uint32_t i = 0; i < f->m.nr_vcpus; i++) {
		uint64_t mine =
			f->m.gic_version == 2 ?
				(uint64_t)f->m.vcpus[i].id << 32 :
				vmm_gic_v3_mpidr_attr(f->m.vcpus[i].mpidr);
		uint64_t mask = f->m.gic_version == 2 ?
					KVM_DEV_ARM_VGIC_CPUID_MASK :
					KVM_DEV_ARM_VGIC_V3_MPIDR_MASK;

		if ((attr & mask) == mine)
			return (int)i;
	}
	(void)group;
	return -1;
}

static struct irq_view *irq_at(struct gic_view *v, int cpu, uint32_t intid)
{
	if (intid >= v->f->m.nr_irqs)
		return NULL;
	if (intid >= 32)
		return &v->spi[intid];
	if (cpu < 0)
		return NULL;
	return &v->priv[(size_t)cpu * 32 + intid];
}

/* A per-interrupt register word at @off (frame-relative). */
static void apply_irq_word(struct gic_view *v, int cpu, uint32_t off,
			   uint32_t val)
{
	for (size_t k = 0; k < sizeof(irq_fields) / sizeof(irq_fields[0]);
	     k++) {
		const struct field_map *fm = &irq_fields[k];
		uint32_t mask = (1U << fm->bits) - 1, first;

		if (off < fm->base || off >= fm->end)
			continue;
		first = (off - fm->base) * 8 / fm->bits;
		for (uint32_t n = 0; n < 32 / fm->bits; n++) {
			struct irq_view *iv = irq_at(v, cpu, first + n);
			uint32_t x = (val >> (n * fm->bits)) & mask;

			if (iv)
				((uint8_t *)iv)[fm->field] =
					(uint8_t)(fm->bits == 2 ? x >> 1 : x);
		}
	}
}

static void apply_dist(struct gic_view *v, const struct snap_gic_rec *r)
{
	uint32_t off = (uint32_t)r->attr;
	int cpu = v->f->m.gic_version == 2 ?
			  vcpu_of_attr(v->f, r->group, r->attr) :
			  -1;

	if (v->f->m.gic_version == 3 && off >= 0x6000 && off < 0x8000) {
		struct irq_view *iv = irq_at(v, -1, (off - 0x6000) / 8);

		if (iv && off % 8 == 0)
			iv->router |= (uint32_t)r->value;
		else if (iv)
			iv->router |= r->value << 32;
		return;
	}
	if (v->f->m.gic_version == 2 && off >= 0xF20 && off < 0xF30) {
		for (uint32_t b = 0; b < 4; b++) {
			struct irq_view *iv = irq_at(v, cpu, (off - 0xF20) + b);

			if (iv && (r->value >> (8 * b)) & 0xff)
				iv->pending = 1;
		}
		return;
	}
	apply_irq_word(v, cpu, off, (uint32_t)r->value);
}

static void apply_cpuif(struct gic_view *v, int cpu, uint32_t key, uint64_t val)
{
	for (size_t k = 0; cpu >= 0 && k < NR_CPUIF; k++)
		if (key == (v->f->m.gic_version == 2 ? cpuif_regs[k].v2_off :
						       cpuif_regs[k].v3_enc))
			v->cpuif[cpu][k] = val;
}

static void apply_rec(struct gic_view *v, const struct snap_gic_rec *r)
{
	int cpu = vcpu_of_attr(v->f, r->group, r->attr);
	uint32_t off = (uint32_t)r->attr;

	switch (r->group) {
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
		apply_dist(v, r);
		break;
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
		if (off >= 0x10000)
			apply_irq_word(v, cpu, off - 0x10000,
				       (uint32_t)r->value);
		break;
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		for (uint32_t n = 0; n < 32; n++) {
			struct irq_view *iv = irq_at(v, cpu, (off & 0x3ff) + n);

			if (iv)
				iv->level = (r->value >> n) & 1;
		}
		break;
	case KVM_DEV_ARM_VGIC_GRP_CPU_REGS:
		apply_cpuif(v, cpu, off, r->value);
		break;
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
		apply_cpuif(v, cpu, off & 0xffff, r->value);
		break;
	}
}

static void print_irq(struct inspect_out *o, const struct snap_file *f,
		      const struct irq_view *iv, uint32_t intid, int cpu)
{
	if (!iv->enabled && !iv->pending && !iv->active && !iv->level)
		return;
	inspect_obj(o, NULL);
	inspect_u64(o, "intid", intid);
	if (cpu >= 0)
		inspect_u64(o, "vcpu", (uint64_t)cpu);
	inspect_bool(o, "enabled", iv->enabled);
	inspect_bool(o, "pending", iv->pending);
	inspect_bool(o, "active", iv->active);
	inspect_hex(o, "priority", iv->priority);
	inspect_u64(o, "group", iv->group);
	inspect_bool(o, "edge", intid < 16 || iv->edge);
	if (f->m.gic_version == 3)
		inspect_bool(o, "line", iv->level);
	if (intid >= 32)
		inspect_hex(o, "target",
			    f->m.gic_version == 2 ? iv->targets : iv->router);
	inspect_end(o);
}

static void print_gic(struct inspect_out *o, struct gic_view *v)
{
	const struct snap_file *f = v->f;

	inspect_arr(o, "interrupts");
	for (uint32_t c = 0; c < f->m.nr_vcpus; c++)
		for (uint32_t i = 0; i < 32; i++)
			print_irq(o, f, &v->priv[c * 32 + i], i, (int)c);
	for (uint32_t i = 32; i < f->m.nr_irqs; i++)
		print_irq(o, f, &v->spi[i], i, -1);
	inspect_end(o);
	inspect_arr(o, "cpu_interfaces");
	for (uint32_t c = 0; c < f->m.nr_vcpus; c++) {
		inspect_obj(o, NULL);
		inspect_u64(o, "vcpu", c);
		for (size_t k = 0; k < NR_CPUIF; k++)
			if (f->m.gic_version == 3 ||
			    cpuif_regs[k].v2_off != ~0U)
				inspect_hex(o, cpuif_regs[k].name,
					    v->cpuif[c][k]);
		inspect_end(o);
	}
	inspect_end(o);
}

static int inspect_gic(struct inspect_out *o, const struct snap_file *f)
{
	struct gic_view v = { f, NULL, NULL, NULL };
	struct snap_cursor c = snap_cursor_of(&f->gic);
	struct snap_gic_rec r;

	v.spi = calloc(f->m.nr_irqs, sizeof(*v.spi));
	v.priv = calloc((size_t)f->m.nr_vcpus * 32, sizeof(*v.priv));
	v.cpuif = calloc(f->m.nr_vcpus, sizeof(*v.cpuif));
	if (v.spi && v.priv && v.cpuif) {
		while (snap_next_gic(&c, &r))
			apply_rec(&v, &r);
		inspect_obj(o, "gic");
		inspect_u64(o, "version", f->m.gic_version);
		inspect_u64(o, "nr_irqs", f->m.nr_irqs);
		inspect_u64(o, "records", f->gic.count);
		print_gic(o, &v);
		inspect_end(o);
	}
	free(v.spi);
	free(v.priv);
	free(v.cpuif);
	return v.spi && v.priv && v.cpuif ? 0 : -ENOMEM;
}

/* --- vCPUs, devices, RAM -------------------------------------------------- */

static bool find_reg(const struct snap_span *s, uint64_t id, uint64_t *val)
{
	struct snap_cursor c = snap_cursor_of(s);
	struct snap_reg r;

	while (snap_next_reg(&c, &r))
		if (r.id == id && r.size == 8) {
			*val = vmm_le64(r.value);
			return true;
		}
	return false;
}

static void print_reg(struct inspect_out *o, const struct snap_span *s,
		      const char *name, uint64_t id)
{
	uint64_t v;

	if (find_reg(s, id, &v))
		inspect_hex(o, name, v);
}

static const char *mp_state_name(uint32_t s)
{
	return s == KVM_MP_STATE_RUNNABLE  ? "runnable" :
	       s == KVM_MP_STATE_STOPPED   ? "stopped" :
	       s == KVM_MP_STATE_SUSPENDED ? "suspended" :
					     "unknown";
}

static void print_timer(struct inspect_out *o, const struct snap_span *s,
			const char *name, uint64_t ctl_id, uint64_t cval_id,
			uint64_t cnt_id)
{
	uint64_t ctl = 0;

	if (!find_reg(s, ctl_id, &ctl))
		return;
	inspect_obj(o, name);
	inspect_bool(o, "enabled", ctl & 1);
	inspect_bool(o, "masked", ctl & 2);
	inspect_bool(o, "fired", ctl & 4);
	print_reg(o, s, "cval", cval_id);
	print_reg(o, s, "count", cnt_id);
	inspect_end(o);
}

static void print_vcpu(struct inspect_out *o, const struct snap_file *f,
		       uint32_t i)
{
	const struct snap_span *s = &f->regs[i];
	uint64_t pstate = 0, sctlr = 0;
	const char *mp = mp_state_name(f->mp_state[i]);

	inspect_obj(o, NULL);
	inspect_u64(o, "index", i);
	inspect_u64(o, "id", f->m.vcpus[i].id);
	inspect_hex(o, "mpidr", f->m.vcpus[i].mpidr);
	inspect_str(o, "state", mp, strlen(mp));
	print_reg(o, s, "pc", CORE(regs.pc));
	if (find_reg(s, CORE(regs.pstate), &pstate)) {
		inspect_hex(o, "pstate", pstate);
		inspect_u64(o, "el", (pstate >> 2) & 3);
	}
	if (find_reg(s, SCTLR_EL1, &sctlr))
		inspect_bool(o, "mmu", sctlr & 1);
	print_reg(o, s, "sp_el1", CORE(sp_el1));
	inspect_u64(o, "registers", s->count);
	print_timer(o, s, "vtimer", KVM_REG_ARM_TIMER_CTL,
		    KVM_REG_ARM_TIMER_CVAL, KVM_REG_ARM_TIMER_CNT);
	print_timer(o, s, "ptimer", KVM_REG_ARM_PTIMER_CTL,
		    KVM_REG_ARM_PTIMER_CVAL, KVM_REG_ARM_PTIMER_CNT);
	inspect_end(o);
}

static void print_devices(struct inspect_out *o, const struct snap_file *f)
{
	inspect_obj(o, "devices");
	if (f->has_pl011) {
		inspect_obj(o, "pl011");
		inspect_hex(o, "cr", f->pl011.cr);
		inspect_hex(o, "imsc", f->pl011.imsc);
		inspect_hex(o, "ris", f->pl011.ris);
		inspect_u64(o, "rx_fifo", f->pl011.rx_count);
		inspect_u64(o, "irq_level", f->pl011.irq_level);
		inspect_end(o);
	}
	if (f->has_pl031) {
		inspect_obj(o, "pl031");
		inspect_i64(o, "offset_sec", f->pl031.offset);
		inspect_hex(o, "mr", f->pl031.mr);
		inspect_hex(o, "imsc", f->pl031.imsc);
		inspect_hex(o, "ris", f->pl031.ris);
		inspect_end(o);
	}
	inspect_end(o);
}

static void print_ram(struct inspect_out *o, const struct snap_file *f)
{
	uint64_t zero = 0, data = 0;

	for (size_t k = 0; k < f->nr_ram_chunks; k++)
		*(f->ram[k].data ? &data : &zero) += f->ram[k].len;
	inspect_obj(o, "ram");
	inspect_arr(o, "regions");
	for (uint32_t i = 0; i < f->m.nr_ram; i++) {
		inspect_obj(o, NULL);
		inspect_hex(o, "gpa", f->m.ram[i].gpa);
		inspect_hex(o, "size", f->m.ram[i].size);
		inspect_bool(o, "readonly", f->m.ram[i].flags & 2);
		inspect_end(o);
	}
	inspect_end(o);
	inspect_u64(o, "chunks", f->nr_ram_chunks);
	inspect_u64(o, "data_bytes", data);
	inspect_u64(o, "zero_bytes", zero);
	inspect_end(o);
}

int vmm_inspect_print(const struct snap_file *f, FILE *out, bool json)
{
	struct inspect_out o;
	int ret;

	inspect_out_init(&o, out, json);
	inspect_obj(&o, "machine");
	inspect_u64(&o, "format_version", f->version);
	inspect_u64(&o, "sections", f->nr_sections);
	inspect_u64(&o, "vcpus", f->m.nr_vcpus);
	inspect_u64(&o, "gic_version", f->m.gic_version);
	inspect_hex(&o, "gic_dist", f->m.gic_dist);
	inspect_hex(&o, f->m.gic_version == 3 ? "gic_redist" : "gic_cpu",
		    f->m.gic_cpu);
	inspect_str(&o, "cmdline", f->m.cmdline,
		    f->m.cmdline_len - (f->m.cmdline_len &&
					!f->m.cmdline[f->m.cmdline_len - 1]));
	inspect_end(&o);
	inspect_arr(&o, "cpus");
	for (uint32_t i = 0; i < f->m.nr_vcpus; i++)
		print_vcpu(&o, f, i);
	inspect_end(&o);
	ret = inspect_gic(&o, f);
	print_devices(&o, f);
	print_ram(&o, f);
	inspect_done(&o);
	return ret;
}
