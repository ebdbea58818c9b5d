/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * migrate.h: stop-and-copy live migration over TCP (loopback addresses
 * only): the snapshot format cut into frames that carry a stream version,
 * a sequence number and a CRC-32C each, so the destination refuses a cut,
 * reordered, other-version or corrupted stream and says why; the source
 * keeps running if anything fails (docs/snapshot-format.md, "Migration").
 */
#ifndef VKVM_VMM_MIGRATE_H
#define VKVM_VMM_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot_format.h"
#include "util.h"

#define MIG_MAGIC 0x474d4b56U /* "VKMG" */
#define MIG_VERSION 2U /* 2: pre-copy PLAN and PAGES frames */
#define MIG_FRAME_HDR 28U
#define MIG_FRAME_MAX (1U << 20)
#define MIG_FLAG_LAST 1U
#define MIG_FLAG_PLAN 2U /* pre-copy: the RAM regions (migrate_precopy.c) */
#define MIG_FLAG_PAGES 4U /* pre-copy: RAM page records */
#define MIG_FLAGS_KNOWN (MIG_FLAG_LAST | MIG_FLAG_PLAN | MIG_FLAG_PAGES)
#define MIG_STREAM_MAX ((size_t)1 << 38) /* 256 GiB of snapshot */

/* Reads up to @len bytes: > 0 bytes read, 0 at end of stream, -errno. */
typedef long (*mig_read_fn)(void *opaque, void *buf, size_t len);

/* The frame writer: a snap_writer sink that cuts frames. */
struct mig_out {
	int fd;
	uint64_t seq;
	uint8_t *frame; /* MIG_FRAME_HDR + MIG_FRAME_MAX bytes */
	size_t fill;
};

/*
 * mig_out_init - frames to @fd.  Returns 0 or -ENOMEM; mig_out_free()
 * frees it.  mig_sink() is the snap_writer sink (opaque: the mig_out);
 * mig_out_finish() sends what is left as the last frame.  Both return 0
 * or the write's -errno.
 */
int mig_out_init(struct mig_out *m, int fd);
void mig_out_free(struct mig_out *m);
int mig_sink(void *opaque, const void *buf, size_t len);
int mig_out_finish(struct mig_out *m);

/* mig_send_frame - one frame of @flags with payload @p (@len <=
 * MIG_FRAME_MAX) now; nothing may be pending in @m.  0 or -errno. */
int mig_send_frame(struct mig_out *m, uint32_t flags, const void *p,
		   size_t len);

/* Handles a PLAN or PAGES frame's payload: 0, or -errno with @err set. */
typedef int (*mig_pages_fn)(void *opaque, uint32_t flags, const uint8_t *p,
			    size_t len, struct vmm_err *err);

/*
 * mig_read_stream_pages - mig_read_stream, with the PLAN and PAGES frames
 * of a pre-copy migration handed to @pages (@pages_opaque); with @pages
 * NULL such frames are refused (-EPROTO).  Returns what mig_read_stream
 * returns, or @pages' error.
 */
int mig_read_stream_pages(mig_read_fn rd, void *opaque, struct snap_buf *out,
			  mig_pages_fn pages, void *pages_opaque,
			  struct vmm_err *err);

/*
 * mig_read_stream - read frames through @rd until the last one, checking
 * each frame's magic, version, length, checksum and sequence number, and
 * collect their payloads (the snapshot) in @out (freed by the caller with
 * snap_buf_free(), also on error).
 * Returns 0, or -EPROTO (a bad stream; @err says which frame and why),
 * -EPROTONOSUPPORT (another stream version), -ENOMEM, or @rd's -errno.
 */
int mig_read_stream(mig_read_fn rd, void *opaque, struct snap_buf *out,
		    struct vmm_err *err);

/*
 * mig_parse_addr - "tcp:ADDR:PORT" with a loopback ADDR (127.0.0.0/8,
 * ::1 as [::1], or localhost) into a socket address.  Returns 0 or
 * -EINVAL with @err saying what is wrong.
 */
struct sockaddr_storage;
int mig_parse_addr(const char *spec, struct sockaddr_storage *sa,
		   unsigned int *sa_len, struct vmm_err *err);

/* --- pre-copy (migrate_precopy.c) ---------------------------------------- */

/* The pre-copied RAM on the destination: one image per PLAN region. */
struct mig_image {
	uint32_t nr; /* 0 until the PLAN frame */
	uint64_t gpa[SNAP_MAX_RAM], size[SNAP_MAX_RAM];
	uint8_t *host[SNAP_MAX_RAM];
	uint64_t pages; /* page records received (statistics) */
};

/*
 * mig_image_frame - a mig_pages_fn for a struct mig_image: PLAN maps the
 * images (once, first), PAGES copies the records into them.  Refuses
 * (-EPROTO with @err saying why) a second or malformed PLAN, PAGES
 * before the PLAN, a record that is cut or outside every region.
 */
int mig_image_frame(void *opaque, uint32_t flags, const uint8_t *p, size_t len,
		    struct vmm_err *err);

/* mig_image_free - unmap the images. */
void mig_image_free(struct mig_image *img);

/*
 * mig_image_install - move (mremap) or copy the images into the
 * restored machine's RAM (@m / @ram: its regions and their host memory,
 * page-aligned mappings of exactly those sizes; no vCPU has run).  Returns 0, or
 * -EPROTO (@err: the PLAN does not match the machine's RAM regions).
 * No PLAN (a stop-and-copy stream): nothing to do.
 */
int mig_image_install(struct mig_image *img, const struct snap_machine *m,
		      uint8_t *const *ram, struct vmm_err *err);

struct vmm_state_vm;

/* Pre-copy statistics of the source (printed by vmm_migrate_out). */
struct mig_precopy_stats {
	unsigned int rounds;
	uint64_t pages_sent, last_pages;
	int64_t start_ns, pause_ns, done_ns;
};

/* The source's pre-copy state: dirty pages not yet sent, per region. */
struct mig_precopy {
	const struct vmm_state_vm *vm;
	struct mig_out *out;
	uint64_t *dirty[SNAP_MAX_RAM];
	bool logging;
	struct mig_precopy_stats st;
	uint8_t *frame; /* MIG_FRAME_MAX bytes being filled */
	size_t fill;
};

/*
 * mig_precopy_start - start dirty logging on @vm's RAM slots, send the
 * PLAN and every page while the guest runs, then rounds of the dirty
 * pages until at most MIG_PRECOPY_STOP_PAGES remain, the dirty set
 * stopped shrinking for MIG_PRECOPY_FLAT_ROUNDS rounds, or
 * MIG_PRECOPY_MAX_ROUNDS passed.  Returns 0, or -errno with @err.
 * mig_precopy_finish (vCPUs paused) sends the rest; mig_precopy_end
 * stops logging and frees (always call it).
 */
int mig_precopy_start(struct mig_precopy *pc, const struct vmm_state_vm *vm,
		      struct mig_out *out, struct vmm_err *err);
int mig_precopy_finish(struct mig_precopy *pc, struct vmm_err *err);
void mig_precopy_end(struct mig_precopy *pc);

/* mig_now_ns - CLOCK_MONOTONIC in ns (migration timings). */
int64_t mig_now_ns(void);

#define MIG_PRECOPY_STOP_PAGES 256 /* 1 MiB left: stop and copy */
#define MIG_PRECOPY_MAX_ROUNDS 30
#define MIG_PRECOPY_FLAT_ROUNDS 3 /* rounds without progress: stop */

#endif /* VKVM_VMM_MIGRATE_H */
