// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * snapshot_format.c: write and parse vkvm snapshot files
 * (docs/snapshot-format.md).  The parser treats its input as hostile:
 * every length is checked against what is left before it is used, every
 * section's header and payload carry a CRC32C, and each error message
 * names the section, its file offset and what is wrong.
 */
#include "snapshot_format.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <vkvm/kvm.h>

/* --- CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) --------------- */

static const uint32_t crc32c_nibble[16] = {
	0x00000000, 0x105ec76f, 0x20bd8ede, 0x30e349b1, 0x417b1dbc, 0x5125dad3,
	0x61c69362, 0x7198540d, 0x82f63b78, 0x92a8fc17, 0xa24bb5a6, 0xb21572c9,
	0xc38d26c4, 0xd3d3e1ab, 0xe330a81a, 0xf36e6f75,
};

static uint32_t crc32c_soft(uint32_t c, const uint8_t *p, size_t len)
{
	while (len--) {
		c ^= *p++;
		c = (c >> 4) ^ crc32c_nibble[c & 15];
		c = (c >> 4) ^ crc32c_nibble[c & 15];
	}
	return c;
}

#if defined(__x86_64__)
/*
 * GF(2) arithmetic on CRC-32C remainders (reflected: bit 31 is x^0), to
 * join the CRCs of pieces: crc(A || B) = x^(8|B|) * crc(A) + crc0(B).
 */
#define CRC32C_POLY 0x82f63b78U

static uint32_t gf_mul(uint32_t a, uint32_t b)
{
	uint32_t p = 0;

	for (uint32_t m = 1U << 31; m; m >>= 1) {
		if (a & m)
			p ^= b;
		b = b & 1 ? (b >> 1) ^ CRC32C_POLY : b >> 1;
	}
	return p;
}

/* x^(8 * @bytes) modulo the polynomial. */
static uint32_t x_pow_bytes(uint64_t bytes)
{
	uint32_t r = 1U << 31, sq = 1U << 23; /* x^0, x^8 */

	for (; bytes; bytes >>= 1, sq = gf_mul(sq, sq))
		if (bytes & 1)
			r = gf_mul(r, sq);
	return r;
}

#define CRC_LANE 8192U /* bytes per lane of the 3-way loop */

__attribute__((target("sse4.2"))) static uint32_t
crc32c_sse42_serial(uint32_t c, const uint8_t *p, size_t len)
{
	uint64_t c64 = c;

	for (; len >= 8; p += 8, len -= 8) {
		uint64_t v;

		memcpy(&v, p, 8);
		c64 = __builtin_ia32_crc32di(c64, v);
	}
	c = (uint32_t)c64;
	for (; len; p++, len--)
		c = __builtin_ia32_crc32qi(c, *p);
	return c;
}

/*
 * SSE4.2's crc32 instruction computes CRC-32C; three independent lanes
 * hide its latency, their remainders are joined with x_pow_bytes().
 */
__attribute__((target("sse4.2"))) static uint32_t
crc32c_sse42(uint32_t c, const uint8_t *p, size_t len)
{
	uint32_t shift1 = 0, shift2 = 0;

	if (len >= 3 * CRC_LANE) {
		shift1 = x_pow_bytes(CRC_LANE);
		shift2 = x_pow_bytes(2 * CRC_LANE);
	}
	for (; len >= 3 * CRC_LANE; p += 3 * CRC_LANE, len -= 3 * CRC_LANE) {
		uint64_t c0 = c, c1 = 0, c2 = 0, v;

		for (size_t i = 0; i < CRC_LANE; i += 8) {
			memcpy(&v, p + i, 8);
			c0 = __builtin_ia32_crc32di(c0, v);
			memcpy(&v, p + CRC_LANE + i, 8);
			c1 = __builtin_ia32_crc32di(c1, v);
			memcpy(&v, p + 2 * CRC_LANE + i, 8);
			c2 = __builtin_ia32_crc32di(c2, v);
		}
		c = gf_mul(shift2, (uint32_t)c0) ^
		    gf_mul(shift1, (uint32_t)c1) ^ (uint32_t)c2;
	}
	return crc32c_sse42_serial(c, p, len);
}
#endif

uint32_t snap_crc32c(uint32_t crc, const void *buf, size_t len)
{
	uint32_t c = ~crc;

#if defined(__x86_64__)
	if (__builtin_cpu_supports("sse4.2"))
		return ~crc32c_sse42(c, buf, len);
#endif
	return ~crc32c_soft(c, buf, len);
}

/* --- little-endian buffer ------------------------------------------------ */

void snap_buf_put(struct snap_buf *b, const void *p, size_t len)
{
	if (b->oom || !len)
		return;
	if (b->cap - b->len < len) {
		size_t cap = b->cap ? b->cap : 256;
		uint8_t *n;

		while (cap - b->len < len)
			cap *= 2;
		n = realloc(b->data, cap);
		if (!n) {
			b->oom = true;
			return;
		}
		b->data = n;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, len);
	b->len += len;
}

void snap_buf_put32(struct snap_buf *b, uint32_t v)
{
	uint8_t x[4];

	for (int i = 0; i < 4; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	snap_buf_put(b, x, 4);
}

void snap_buf_put64(struct snap_buf *b, uint64_t v)
{
	snap_buf_put32(b, (uint32_t)v);
	snap_buf_put32(b, (uint32_t)(v >> 32));
}

void snap_buf_free(struct snap_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

/* --- writer -------------------------------------------------------------- */

static void put32_at(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

int snap_write_header(struct snap_writer *w)
{
	uint8_t h[SNAP_FILE_HDR_LEN] = { 0 };

	memcpy(h, SNAP_MAGIC, 8);
	put32_at(h + 8, SNAP_VERSION);
	put32_at(h + 12, SNAP_FILE_HDR_LEN);
	put32_at(h + 20, snap_crc32c(0, h, 20));
	w->nr_sections = 0;
	w->ram_chunks = 0;
	return w->sink(w->opaque, h, sizeof(h));
}

int snap_write_section(struct snap_writer *w, uint32_t type, uint32_t instance,
		       const struct snap_buf *head, const void *data,
		       size_t len)
{
	size_t hlen = head ? head->len : 0;
	uint8_t h[SNAP_SECT_HDR_LEN];
	uint32_t crc = 0;
	int ret;

	if (head && head->oom)
		return -ENOMEM;
	if (hlen)
		crc = snap_crc32c(crc, head->data, hlen);
	if (len)
		crc = snap_crc32c(crc, data, len);
	put32_at(h, type);
	put32_at(h + 4, instance);
	put32_at(h + 8, (uint32_t)(hlen + len));
	put32_at(h + 12, (uint32_t)((uint64_t)(hlen + len) >> 32));
	put32_at(h + 16, crc);
	put32_at(h + 20, snap_crc32c(0, h, 20));
	ret = w->sink(w->opaque, h, sizeof(h));
	if (!ret && hlen)
		ret = w->sink(w->opaque, head->data, hlen);
	if (!ret && len)
		ret = w->sink(w->opaque, data, len);
	if (!ret)
		w->nr_sections++;
	return ret;
}

void snap_put_machine(struct snap_buf *b, const struct snap_machine *m)
{
	snap_buf_put32(b, m->nr_vcpus);
	snap_buf_put32(b, m->gic_version);
	snap_buf_put32(b, m->nr_irqs);
	snap_buf_put32(b, m->nr_ram);
	snap_buf_put64(b, m->gic_dist);
	snap_buf_put64(b, m->gic_cpu);
	for (uint32_t i = 0; i < m->nr_vcpus; i++) {
		snap_buf_put32(b, m->vcpus[i].id);
		snap_buf_put32(b, 0);
		snap_buf_put64(b, m->vcpus[i].mpidr);
	}
	for (uint32_t i = 0; i < m->nr_ram; i++) {
		snap_buf_put64(b, m->ram[i].gpa);
		snap_buf_put64(b, m->ram[i].size);
		snap_buf_put32(b, m->ram[i].slot);
		snap_buf_put32(b, m->ram[i].flags);
	}
	snap_buf_put32(b, m->cmdline_len);
	snap_buf_put(b, m->cmdline, m->cmdline_len);
}

void snap_put_pl011(struct snap_buf *b, const struct snap_pl011 *s)
{
	const uint32_t v[] = { s->rx_head, s->rx_count, s->ris,	     s->imsc,
			       s->ibrd,	   s->fbrd,	s->lcr_h,    s->cr,
			       s->ifls,	   s->dmacr,	s->irq_level };

	snap_buf_put(b, s->rx, sizeof(s->rx));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		snap_buf_put32(b, v[i]);
}

void snap_put_pl031(struct snap_buf *b, const struct snap_pl031 *s)
{
	snap_buf_put64(b, (uint64_t)s->offset);
	snap_buf_put32(b, s->mr);
	snap_buf_put32(b, s->imsc);
	snap_buf_put32(b, s->ris);
	snap_buf_put32(b, s->last_dr);
	snap_buf_put32(b, s->irq_level);
}

static bool all_zero(const uint8_t *p, size_t len)
{
	static const uint8_t zero[256];

	for (; len >= sizeof(zero); p += sizeof(zero), len -= sizeof(zero))
		if (memcmp(p, zero, sizeof(zero)))
			return false;
	return !len || !memcmp(p, zero, len);
}

int snap_write_ram(struct snap_writer *w, uint64_t gpa, const uint8_t *host,
		   uint64_t len)
{
	int ret = 0;

	for (uint64_t off = 0; !ret && off < len; off += SNAP_RAM_CHUNK) {
		uint64_t n = len - off < SNAP_RAM_CHUNK ? len - off :
							  SNAP_RAM_CHUNK;
		struct snap_buf head = { 0 };

		snap_buf_put64(&head, gpa + off);
		if (all_zero(host + off, (size_t)n)) {
			snap_buf_put64(&head, n);
			ret = snap_write_section(w, SNAP_SEC_RAM_ZERO,
						 w->ram_chunks, &head, NULL, 0);
		} else {
			ret = snap_write_section(w, SNAP_SEC_RAM, w->ram_chunks,
						 &head, host + off, (size_t)n);
		}
		w->ram_chunks++;
		snap_buf_free(&head);
	}
	return ret;
}

int snap_write_end(struct snap_writer *w)
{
	struct snap_buf b = { 0 };
	int ret;

	snap_buf_put32(&b, w->nr_sections);
	snap_buf_put32(&b, 0);
	ret = snap_write_section(w, SNAP_SEC_END, 0, &b, NULL, 0);
	snap_buf_free(&b);
	return ret;
}
