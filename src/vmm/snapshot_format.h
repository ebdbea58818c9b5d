/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snapshot_format.h: the vkvm snapshot file format (docs/snapshot-format.md):
 * a writer that emits sections with CRC32C checksums, and a parser that
 * trusts nothing in its input and names what is wrong.
 *
 * Layout: a 24-byte file header, then sections, each a 24-byte section
 * header and a payload.  MACHINE comes first, END last.  All integers are
 * little-endian.
 */
#ifndef VKVM_VMM_SNAPSHOT_FORMAT_H
#define VKVM_VMM_SNAPSHOT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define SNAP_MAGIC "VKVMSNAP"
#define SNAP_VERSION 1U
#define SNAP_FILE_HDR_LEN 24U
#define SNAP_SECT_HDR_LEN 24U

/* Limits the parser enforces (a file beyond them is refused). */
#define SNAP_MAX_VCPUS 512U
#define SNAP_MAX_RAM 16U
#define SNAP_MAX_CMDLINE 65536U
#define SNAP_MAX_REG_SIZE 256U /* KVM_REG_SIZE_U2048 */
#define SNAP_RAM_CHUNK (4ULL << 20) /* what the writer uses */

enum snap_section_type {
	SNAP_SEC_MACHINE = 1,
	SNAP_SEC_VCPU_REGS = 2, /* instance: vCPU index */
	SNAP_SEC_VCPU_MP_STATE = 3, /* instance: vCPU index */
	SNAP_SEC_GIC = 4,
	SNAP_SEC_PL011 = 5,
	SNAP_SEC_PL031 = 6,
	SNAP_SEC_RAM = 7, /* instance: chunk number */
	SNAP_SEC_RAM_ZERO = 8, /* instance: chunk number */
	SNAP_SEC_END = 15,
};

struct snap_vcpu_desc {
	uint32_t id; /* KVM_CREATE_VCPU argument */
	uint64_t mpidr;
};

struct snap_ram_desc {
	uint64_t gpa, size;
	uint32_t slot, flags; /* KVM memslot number and KVM_MEM_* flags */
};

/* The machine description: what a restore must build before any state. */
struct snap_machine {
	uint32_t nr_vcpus, gic_version, nr_irqs, nr_ram;
	uint64_t gic_dist, gic_cpu; /* v3: gic_cpu is the redistributor base */
	struct snap_vcpu_desc *vcpus; /* nr_vcpus entries */
	struct snap_ram_desc ram[SNAP_MAX_RAM];
	const char *cmdline; /* arguments separated by NUL bytes */
	uint32_t cmdline_len;
};

/* PL011 and PL031 state as stored (docs/snapshot-format.md). */
#define SNAP_PL011_FIFO 16U
struct snap_pl011 {
	uint8_t rx[SNAP_PL011_FIFO];
	uint32_t rx_head, rx_count, ris, imsc, ibrd, fbrd, lcr_h, cr, ifls,
		dmacr, irq_level;
};
#define SNAP_PL011_LEN (SNAP_PL011_FIFO + 11 * 4)

struct snap_pl031 {
	int64_t offset;
	uint32_t mr, imsc, ris, last_dr, irq_level;
};
#define SNAP_PL031_LEN (8 + 5 * 4)

/* A run of validated records inside the parsed buffer. */
struct snap_span {
	const uint8_t *data; /* NULL: section absent */
	size_t len;
	uint32_t count;
};

struct snap_ram_chunk {
	uint64_t gpa, len;
	const uint8_t *data; /* NULL: all zeroes */
};

/* A parsed snapshot; every pointer refers into the parsed buffer. */
struct snap_file {
	uint32_t version;
	struct snap_machine m;
	struct snap_span *regs; /* per vCPU index */
	uint32_t *mp_state; /* per vCPU index */
	struct snap_span gic;
	bool has_pl011, has_pl031;
	struct snap_pl011 pl011;
	struct snap_pl031 pl031;
	struct snap_ram_chunk *ram;
	size_t nr_ram_chunks;
	uint32_t nr_sections;
};

/* One ONE_REG record: (id, size, value). */
struct snap_reg {
	uint64_t id;
	uint32_t size;
	const uint8_t *value;
};

/* One vGIC attribute record: (group, attr, value); size 4 or 8. */
struct snap_gic_rec {
	uint32_t group, size;
	uint64_t attr, value;
};

/* A cursor over a validated span. */
struct snap_cursor {
	const uint8_t *p, *end;
};

/* crc32c - CRC-32C (Castagnoli) of @len bytes, continuing from @crc (0 to
 * start). */
uint32_t snap_crc32c(uint32_t crc, const void *buf, size_t len);

/* A growable little-endian byte buffer; @oom records a failed growth. */
struct snap_buf {
	uint8_t *data;
	size_t len, cap;
	bool oom;
};

void snap_buf_put(struct snap_buf *b, const void *p, size_t len);
void snap_buf_put32(struct snap_buf *b, uint32_t v);
void snap_buf_put64(struct snap_buf *b, uint64_t v);
void snap_buf_free(struct snap_buf *b);

/* Where a writer's bytes go: 0 or -errno. */
typedef int (*snap_sink_fn)(void *opaque, const void *buf, size_t len);

struct snap_writer {
	snap_sink_fn sink;
	void *opaque;
	uint32_t nr_sections;
	uint32_t ram_chunks;
};

/*
 * snap_write_header - start a snapshot: the file header.
 * Returns 0 or the sink's -errno.
 */
int snap_write_header(struct snap_writer *w);

/*
 * snap_write_section - one section of @type/@instance whose payload is
 * @head (may be NULL/0) followed by @data (may be NULL/0), written without
 * copying @data.  Returns 0, -ENOMEM (@head's buffer ran out of memory)
 * or the sink's -errno.
 */
int snap_write_section(struct snap_writer *w, uint32_t type, uint32_t instance,
		       const struct snap_buf *head, const void *data,
		       size_t len);

/* snap_put_machine - encode @m as a MACHINE payload into @b. */
void snap_put_machine(struct snap_buf *b, const struct snap_machine *m);

/* snap_put_pl011 / snap_put_pl031 - encode device state into @b. */
void snap_put_pl011(struct snap_buf *b, const struct snap_pl011 *s);
void snap_put_pl031(struct snap_buf *b, const struct snap_pl031 *s);

/*
 * snap_write_ram - RAM sections for @len bytes of guest memory at @gpa
 * (host copy @host), in SNAP_RAM_CHUNK pieces; all-zero pieces become
 * RAM_ZERO sections.  Returns 0 or -errno as snap_write_section().
 */
int snap_write_ram(struct snap_writer *w, uint64_t gpa, const uint8_t *host,
		   uint64_t len);

/* snap_write_end - the END section.  Returns 0 or the sink's -errno. */
int snap_write_end(struct snap_writer *w);

/*
 * snap_parse - check and index the snapshot in @buf (@len bytes): header,
 * version, every section's header and payload checksum, bounds, records
 * and the section order rules.  @buf must outlive @f.
 * Returns 0, or -EINVAL (malformed: @err says what and where),
 * -EPROTONOSUPPORT (a format version this code does not know) or -ENOMEM.
 * On error @f needs no snap_file_free().
 */
int snap_parse(const uint8_t *buf, size_t len, struct snap_file *f,
	       struct vmm_err *err);

/* snap_file_free - free what snap_parse() allocated (NULL-safe). */
void snap_file_free(struct snap_file *f);

/* snap_section_name - "MACHINE", "VCPU_REGS", ... or "unknown". */
const char *snap_section_name(uint32_t type);

/*
 * snap_next_reg / snap_next_gic - the next record of a span that
 * snap_parse() validated; false at its end.
 */
bool snap_next_reg(struct snap_cursor *c, struct snap_reg *r);
bool snap_next_gic(struct snap_cursor *c, struct snap_gic_rec *r);

/* snap_cursor_of - a cursor at the first record of @s. */
struct snap_cursor snap_cursor_of(const struct snap_span *s);

#endif /* VKVM_VMM_SNAPSHOT_FORMAT_H */
