// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * snapshot_parse.c: the snapshot parser.  Nothing in the input is
 * trusted: each read is bounds-checked, each section's header and payload
 * checksums are verified before the payload is looked at, and the error
 * message names the section (number, type, file offset) and the fault.
 */
#include "snapshot_format.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vkvm/kvm.h>

struct parser {
	const uint8_t *buf;
	size_t len;
	struct snap_file *f;
	struct vmm_err *err;
	/* the section being parsed */
	uint32_t idx, type, instance;
	size_t at; /* file offset of its header */
	bool seen_gic, seen_end;
	uint8_t *seen_regs, *seen_mp;
	size_t ram_cap;
};

/* A reader over one payload. */
struct rd {
	const uint8_t *p;
	size_t left;
	bool short_read;
};

static uint32_t rd32(struct rd *r)
{
	uint32_t v;

	if (r->left < 4) {
		r->short_read = true;
		r->left = 0;
		return 0;
	}
	v = vmm_le32(r->p);
	r->p += 4;
	r->left -= 4;
	return v;
}

static uint64_t rd64(struct rd *r)
{
	uint64_t lo = rd32(r);

	return lo | (uint64_t)rd32(r) << 32;
}

static const uint8_t *rdbytes(struct rd *r, size_t n)
{
	const uint8_t *p = r->p;

	if (r->left < n) {
		r->short_read = true;
		r->left = 0;
		return NULL;
	}
	r->p += n;
	r->left -= n;
	return p;
}

static const char *const section_names[] = {
	[SNAP_SEC_MACHINE] = "MACHINE",
	[SNAP_SEC_VCPU_REGS] = "VCPU_REGS",
	[SNAP_SEC_VCPU_MP_STATE] = "MP_STATE",
	[SNAP_SEC_GIC] = "GIC",
	[SNAP_SEC_PL011] = "PL011",
	[SNAP_SEC_PL031] = "PL031",
	[SNAP_SEC_RAM] = "RAM",
	[SNAP_SEC_RAM_ZERO] = "RAM_ZERO",
	[SNAP_SEC_END] = "END",
};

const char *snap_section_name(uint32_t type)
{
	if (type < sizeof(section_names) / sizeof(section_names[0]) &&
	    section_names[type])
		return section_names[type];
	return "unknown";
}

/* An error about the current section. */
__attribute__((format(printf, 2, 3))) static int bad(struct parser *ps,
						     const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return vmm_errf(ps->err, EINVAL, "section %u (%s %u) at offset %zu: %s",
			ps->idx, snap_section_name(ps->type), ps->instance,
			ps->at, what);
}

static int check_file_header(struct parser *ps)
{
	const uint8_t *h = ps->buf;
	uint32_t version;

	if (ps->len < 8 || memcmp(h, SNAP_MAGIC, 8))
		return vmm_errf(ps->err, EINVAL,
				"not a vkvm snapshot (no '%s' magic)",
				SNAP_MAGIC);
	if (ps->len < SNAP_FILE_HDR_LEN)
		return vmm_errf(ps->err, EINVAL,
				"truncated file header (%zu of %u bytes)",
				ps->len, SNAP_FILE_HDR_LEN);
	if (snap_crc32c(0, h, 20) != vmm_le32(h + 20))
		return vmm_errf(ps->err, EINVAL,
				"file header checksum mismatch");
	version = vmm_le32(h + 8);
	if (version != SNAP_VERSION)
		return vmm_errf(ps->err, EPROTONOSUPPORT,
				"format version %u is not supported (this "
				"vkvm reads version %u)",
				version, SNAP_VERSION);
	if (vmm_le32(h + 12) != SNAP_FILE_HDR_LEN || vmm_le32(h + 16))
		return vmm_errf(ps->err, EINVAL,
				"file header: bad length or reserved field");
	ps->f->version = version;
	return 0;
}

/* --- MACHINE --------------------------------------------------------------- */

static int check_ram_desc(struct parser *ps, const struct snap_machine *m,
			  uint32_t i)
{
	const struct snap_ram_desc *r = &m->ram[i];

	if (!r->size || (r->gpa | r->size) & 0xfff || r->gpa + r->size < r->gpa)
		return bad(ps, "RAM region %u: bad range 0x%llx+0x%llx", i,
			   (unsigned long long)r->gpa,
			   (unsigned long long)r->size);
	if (r->flags & ~(uint32_t)KVM_MEM_READONLY)
		return bad(ps, "RAM region %u: unknown flags 0x%x", i,
			   r->flags);
	for (uint32_t j = 0; j < i; j++)
		if (r->gpa < m->ram[j].gpa + m->ram[j].size &&
		    m->ram[j].gpa < r->gpa + r->size)
			return bad(ps, "RAM regions %u and %u overlap", j, i);
	return 0;
}

static int check_machine_fields(struct parser *ps, const struct snap_machine *m)
{
	if (!m->nr_vcpus || m->nr_vcpus > SNAP_MAX_VCPUS)
		return bad(ps, "%u vCPUs (1 to %u)", m->nr_vcpus,
			   SNAP_MAX_VCPUS);
	if (m->gic_version != 2 && m->gic_version != 3)
		return bad(ps, "GIC version %u (2 or 3)", m->gic_version);
	if (m->nr_irqs < 64 || m->nr_irqs > 1024 || m->nr_irqs % 32)
		return bad(ps, "nr_irqs %u (64 to 1024, a multiple of 32)",
			   m->nr_irqs);
	if (!m->nr_ram || m->nr_ram > SNAP_MAX_RAM)
		return bad(ps, "%u RAM regions (1 to %u)", m->nr_ram,
			   SNAP_MAX_RAM);
	return 0;
}

static int parse_vcpu_descs(struct parser *ps, struct rd *r)
{
	struct snap_machine *m = &ps->f->m;

	m->vcpus = calloc(m->nr_vcpus, sizeof(*m->vcpus));
	ps->seen_regs = calloc(m->nr_vcpus, 1);
	ps->seen_mp = calloc(m->nr_vcpus, 1);
	ps->f->regs = calloc(m->nr_vcpus, sizeof(*ps->f->regs));
	ps->f->mp_state = calloc(m->nr_vcpus, sizeof(*ps->f->mp_state));
	if (!m->vcpus || !ps->seen_regs || !ps->seen_mp || !ps->f->regs ||
	    !ps->f->mp_state)
		return vmm_errf(ps->err, ENOMEM, "out of memory");
	for (uint32_t i = 0; i < m->nr_vcpus; i++) {
		m->vcpus[i].id = rd32(r);
		if (rd32(r))
			return bad(ps, "vCPU %u: reserved field not 0", i);
		m->vcpus[i].mpidr = rd64(r);
		for (uint32_t j = 0; j < i && !r->short_read; j++)
			if (m->vcpus[j].id == m->vcpus[i].id)
				return bad(ps, "vCPU id %u appears twice",
					   m->vcpus[i].id);
	}
	return 0;
}

static int parse_machine(struct parser *ps, struct rd *r)
{
	struct snap_machine *m = &ps->f->m;
	int ret;

	m->nr_vcpus = rd32(r);
	m->gic_version = rd32(r);
	m->nr_irqs = rd32(r);
	m->nr_ram = rd32(r);
	m->gic_dist = rd64(r);
	m->gic_cpu = rd64(r);
	if (r->short_read)
		return bad(ps, "payload too short");
	ret = check_machine_fields(ps, m);
	if (!ret)
		ret = parse_vcpu_descs(ps, r);
	for (uint32_t i = 0; !ret && i < m->nr_ram; i++) {
		m->ram[i].gpa = rd64(r);
		m->ram[i].size = rd64(r);
		m->ram[i].slot = rd32(r);
		m->ram[i].flags = rd32(r);
		if (!r->short_read)
			ret = check_ram_desc(ps, m, i);
	}
	if (ret)
		return ret;
	m->cmdline_len = rd32(r);
	if (m->cmdline_len > SNAP_MAX_CMDLINE)
		return bad(ps, "command line of %u bytes (at most %u)",
			   m->cmdline_len, SNAP_MAX_CMDLINE);
	m->cmdline = (const char *)rdbytes(r, m->cmdline_len);
	if (r->short_read)
		return bad(ps, "payload too short");
	return 0;
}

/* --- records --------------------------------------------------------------- */

static int parse_regs(struct parser *ps, struct rd *r, struct snap_span *s)
{
	uint32_t count = rd32(r);

	s->data = r->p;
	s->len = r->left;
	s->count = count;
	for (uint32_t i = 0; i < count; i++) {
		uint64_t id = rd64(r);
		uint32_t size = rd32(r);

		if (r->short_read)
			return bad(ps, "register %u of %u: truncated", i,
				   count);
		if ((id & KVM_REG_ARCH_MASK) != KVM_REG_ARM64 ||
		    size != KVM_REG_SIZE(id) || size > SNAP_MAX_REG_SIZE)
			return bad(ps,
				   "register %u: id 0x%016llx with size %u is "
				   "not an arm64 ONE_REG id of that size",
				   i, (unsigned long long)id, size);
		if (!rdbytes(r, size))
			return bad(ps,
				   "register %u (0x%016llx): value "
				   "truncated",
				   i, (unsigned long long)id);
	}
	if (r->left)
		return bad(ps, "%zu stray bytes after %u registers", r->left,
			   count);
	return 0;
}

static bool gic_group_ok(uint32_t model, uint32_t group)
{
	switch (group) {
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
		return true;
	case KVM_DEV_ARM_VGIC_GRP_CPU_REGS:
		return model == 2;
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		return model == 3;
	default:
		return false;
	}
}

static int parse_gic(struct parser *ps, struct rd *r)
{
	struct snap_span *s = &ps->f->gic;
	uint32_t count = rd32(r);

	s->data = r->p;
	s->len = r->left;
	s->count = count;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t group = rd32(r), size = rd32(r);
		uint64_t attr = rd64(r);

		if (r->short_read)
			return bad(ps, "record %u of %u: truncated", i, count);
		if (!gic_group_ok(ps->f->m.gic_version, group))
			return bad(ps,
				   "record %u: group %u is not a GICv%u "
				   "register group",
				   i, group, ps->f->m.gic_version);
		if (size != (group == KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS ? 8 : 4))
			return bad(ps,
				   "record %u (group %u attr 0x%llx): "
				   "size %u",
				   i, group, (unsigned long long)attr, size);
		if (!rdbytes(r, size))
			return bad(ps, "record %u: value truncated", i);
	}
	if (r->left)
		return bad(ps, "%zu stray bytes after %u records", r->left,
			   count);
	return 0;
}

/* --- devices, RAM, END ------------------------------------------------------ */

static int parse_pl011(struct parser *ps, struct rd *r)
{
	struct snap_pl011 *s = &ps->f->pl011;
	uint32_t *v[] = { &s->rx_head, &s->rx_count, &s->ris,	   &s->imsc,
			  &s->ibrd,    &s->fbrd,     &s->lcr_h,	   &s->cr,
			  &s->ifls,    &s->dmacr,    &s->irq_level };

	if (r->left != SNAP_PL011_LEN)
		return bad(ps, "payload is %zu bytes, not %u", r->left,
			   SNAP_PL011_LEN);
	memcpy(s->rx, rdbytes(r, SNAP_PL011_FIFO), SNAP_PL011_FIFO);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		*v[i] = rd32(r);
	if (s->rx_head >= SNAP_PL011_FIFO || s->rx_count > SNAP_PL011_FIFO ||
	    s->irq_level > 1)
		return bad(ps,
			   "RX FIFO head %u / count %u / irq level %u out "
			   "of range",
			   s->rx_head, s->rx_count, s->irq_level);
	ps->f->has_pl011 = true;
	return 0;
}

static int parse_pl031(struct parser *ps, struct rd *r)
{
	struct snap_pl031 *s = &ps->f->pl031;

	if (r->left != SNAP_PL031_LEN)
		return bad(ps, "payload is %zu bytes, not %u", r->left,
			   SNAP_PL031_LEN);
	s->offset = (int64_t)rd64(r);
	s->mr = rd32(r);
	s->imsc = rd32(r);
	s->ris = rd32(r);
	s->last_dr = rd32(r);
	s->irq_level = rd32(r);
	if (s->irq_level > 1)
		return bad(ps, "irq level %u", s->irq_level);
	ps->f->has_pl031 = true;
	return 0;
}

static bool ram_inside(const struct snap_machine *m, uint64_t gpa, uint64_t len)
{
	for (uint32_t i = 0; i < m->nr_ram; i++)
		if (gpa >= m->ram[i].gpa && len <= m->ram[i].size &&
		    gpa - m->ram[i].gpa <= m->ram[i].size - len)
			return true;
	return false;
}

static int parse_ram(struct parser *ps, struct rd *r)
{
	struct snap_ram_chunk c = { .gpa = rd64(r) };

	if (ps->type == SNAP_SEC_RAM_ZERO) {
		c.len = rd64(r);
		if (r->left)
			r->short_read = true;
	} else {
		c.len = r->left;
		c.data = r->p;
	}
	if (r->short_read || !c.len)
		return bad(ps, "payload is not a RAM chunk");
	if (!ram_inside(&ps->f->m, c.gpa, c.len))
		return bad(ps, "chunk 0x%llx+0x%llx is outside guest RAM",
			   (unsigned long long)c.gpa,
			   (unsigned long long)c.len);
	if (ps->f->nr_ram_chunks == ps->ram_cap) {
		size_t cap = ps->ram_cap ? ps->ram_cap * 2 : 64;
		void *n = realloc(ps->f->ram, cap * sizeof(c));

		if (!n)
			return vmm_errf(ps->err, ENOMEM, "out of memory");
		ps->f->ram = n;
		ps->ram_cap = cap;
	}
	ps->f->ram[ps->f->nr_ram_chunks++] = c;
	return 0;
}

static int parse_end(struct parser *ps, struct rd *r)
{
	uint32_t n = rd32(r);

	if (rd32(r) || r->left || r->short_read)
		return bad(ps, "malformed END payload");
	if (n != ps->idx)
		return bad(ps,
			   "END counts %u sections before it, the file "
			   "has %u (sections lost or reordered)",
			   n, ps->idx);
	ps->seen_end = true;
	return 0;
}

/* --- sections --------------------------------------------------------------- */

/* Once-only and per-vCPU sections: duplicates and bad indices. */
static int check_instance(struct parser *ps)
{
	uint8_t *seen = NULL;

	switch (ps->type) {
	case SNAP_SEC_VCPU_REGS:
		seen = ps->seen_regs;
		break;
	case SNAP_SEC_VCPU_MP_STATE:
		seen = ps->seen_mp;
		break;
	case SNAP_SEC_GIC:
		if (ps->seen_gic)
			return bad(ps, "second GIC section");
		ps->seen_gic = true;
		return 0;
	case SNAP_SEC_PL011:
	case SNAP_SEC_PL031:
		if (ps->type == SNAP_SEC_PL011 ? ps->f->has_pl011 :
						 ps->f->has_pl031)
			return bad(ps, "second %s section",
				   snap_section_name(ps->type));
		return 0;
	default:
		return 0;
	}
	if (ps->instance >= ps->f->m.nr_vcpus)
		return bad(ps, "vCPU index %u, the machine has %u",
			   ps->instance, ps->f->m.nr_vcpus);
	if (seen[ps->instance])
		return bad(ps, "second section for vCPU %u", ps->instance);
	seen[ps->instance] = 1;
	return 0;
}

static int parse_payload(struct parser *ps, struct rd *r)
{
	int ret;

	if ((ps->idx == 0) != (ps->type == SNAP_SEC_MACHINE))
		return bad(ps, ps->idx ? "second MACHINE section" :
					 "the first section must be MACHINE");
	ret = check_instance(ps);
	if (ret)
		return ret;
	switch (ps->type) {
	case SNAP_SEC_MACHINE:
		return parse_machine(ps, r);
	case SNAP_SEC_VCPU_REGS:
		return parse_regs(ps, r, &ps->f->regs[ps->instance]);
	case SNAP_SEC_VCPU_MP_STATE:
		ps->f->mp_state[ps->instance] = rd32(r);
		if (r->left || r->short_read)
			return bad(ps, "payload is not one u32");
		return 0;
	case SNAP_SEC_GIC:
		return parse_gic(ps, r);
	case SNAP_SEC_PL011:
		return parse_pl011(ps, r);
	case SNAP_SEC_PL031:
		return parse_pl031(ps, r);
	case SNAP_SEC_RAM:
	case SNAP_SEC_RAM_ZERO:
		return parse_ram(ps, r);
	case SNAP_SEC_END:
		return parse_end(ps, r);
	default:
		return bad(ps, "unknown section type %u", ps->type);
	}
}

static int parse_section(struct parser *ps, size_t *off)
{
	const uint8_t *h = ps->buf + *off;
	size_t left = ps->len - *off;
	uint64_t plen;
	struct rd r;

	ps->at = *off;
	ps->type = ps->instance = 0;
	if (left < SNAP_SECT_HDR_LEN)
		return vmm_errf(ps->err, EINVAL,
				"truncated: section %u header at offset %zu "
				"has %zu of %u bytes",
				ps->idx, *off, left, SNAP_SECT_HDR_LEN);
	if (snap_crc32c(0, h, 20) != vmm_le32(h + 20))
		return vmm_errf(ps->err, EINVAL,
				"section %u at offset %zu: header checksum "
				"mismatch",
				ps->idx, *off);
	ps->type = vmm_le32(h);
	ps->instance = vmm_le32(h + 4);
	plen = vmm_le64(h + 8);
	left -= SNAP_SECT_HDR_LEN;
	if (plen > left)
		return bad(ps, "truncated: payload of %llu bytes, %zu left",
			   (unsigned long long)plen, left);
	if (snap_crc32c(0, h + SNAP_SECT_HDR_LEN, (size_t)plen) !=
	    vmm_le32(h + 16))
		return bad(ps, "payload checksum mismatch");
	r = (struct rd){ h + SNAP_SECT_HDR_LEN, (size_t)plen, false };
	*off += SNAP_SECT_HDR_LEN + (size_t)plen;
	return parse_payload(ps, &r);
}

/* Every vCPU has its registers and MP state; the GIC is there. */
static int check_complete(struct parser *ps)
{
	for (uint32_t i = 0; i < ps->f->m.nr_vcpus; i++)
		if (!ps->seen_regs[i] || !ps->seen_mp[i])
			return vmm_errf(
				ps->err, EINVAL, "vCPU %u: no %s section", i,
				ps->seen_regs[i] ? "MP_STATE" : "VCPU_REGS");
	if (!ps->seen_gic)
		return vmm_errf(ps->err, EINVAL, "no GIC section");
	return 0;
}

int snap_parse(const uint8_t *buf, size_t len, struct snap_file *f,
	       struct vmm_err *err)
{
	struct parser ps = { .buf = buf, .len = len, .f = f, .err = err };
	size_t off = SNAP_FILE_HDR_LEN;
	int ret;

	memset(f, 0, sizeof(*f));
	ret = check_file_header(&ps);
	for (; !ret && !ps.seen_end; ps.idx++) {
		if (off == len) {
			ret = vmm_errf(err, EINVAL,
				       "truncated: no END section after %u "
				       "sections (%zu bytes)",
				       ps.idx, len);
			break;
		}
		ret = parse_section(&ps, &off);
	}
	if (!ret && off != len)
		ret = vmm_errf(err, EINVAL, "%zu stray bytes after END",
			       len - off);
	if (!ret)
		ret = check_complete(&ps);
	f->nr_sections = ps.idx;
	free(ps.seen_regs);
	free(ps.seen_mp);
	if (ret)
		snap_file_free(f);
	return ret;
}

void snap_file_free(struct snap_file *f)
{
	if (!f)
		return;
	free(f->m.vcpus);
	free(f->regs);
	free(f->mp_state);
	free(f->ram);
	memset(f, 0, sizeof(*f));
}

struct snap_cursor snap_cursor_of(const struct snap_span *s)
{
	return (struct snap_cursor){ s->data,
				     s->data ? s->data + s->len : NULL };
}

bool snap_next_reg(struct snap_cursor *c, struct snap_reg *r)
{
	if (!c->p || c->end - c->p < 12)
		return false;
	r->id = vmm_le64(c->p);
	r->size = vmm_le32(c->p + 8);
	r->value = c->p + 12;
	c->p += 12 + r->size;
	return true;
}

bool snap_next_gic(struct snap_cursor *c, struct snap_gic_rec *r)
{
	if (!c->p || c->end - c->p < 16)
		return false;
	r->group = vmm_le32(c->p);
	r->size = vmm_le32(c->p + 4);
	r->attr = vmm_le64(c->p + 8);
	r->value = r->size == 8 ? vmm_le64(c->p + 16) : vmm_le32(c->p + 16);
	c->p += 16 + r->size;
	return true;
}
