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

#include <stddef.h>
#include <stdint.h>

#include "snapshot_format.h"
#include "util.h"

#define MIG_MAGIC 0x474d4b56U /* "VKMG" */
#define MIG_VERSION 1U
#define MIG_FRAME_HDR 28U
#define MIG_FRAME_MAX (1U << 20)
#define MIG_FLAG_LAST 1U
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

#endif /* VKVM_VMM_MIGRATE_H */
