// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * migrate_fuzz.c: libFuzzer harness for the migration stream reader
 * (mig_read_stream) and the snapshot parser behind it.  The input is the
 * byte stream a destination receives, delivered in short reads; inputs
 * that start with '!' are first cut into frames with correct headers and
 * checksums (sequence numbers taken from the input), so the fuzzer also
 * reaches the ordering rules and the snapshot parser.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../lib/mem_source.h"
#include "vmm/migrate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put32(struct snap_buf *b, uint32_t v)
{
	snap_buf_put32(b, v);
}

/* '!' inputs: (seq byte, flags byte, len byte, body) records as frames. */
static void frame_input(const uint8_t *d, size_t n, struct snap_buf *out)
{
	for (size_t at = 1; n - at >= 3;) {
		size_t len = d[at + 2];
		struct snap_buf h = { 0 };
		uint32_t crc;

		if (len > n - at - 3)
			len = n - at - 3;
		put32(&h, MIG_MAGIC);
		put32(&h, MIG_VERSION);
		snap_buf_put64(&h, d[at]);
		put32(&h, (uint32_t)len);
		put32(&h, d[at + 1] & MIG_FLAG_LAST);
		crc = h.oom ? 0 : snap_crc32c(0, h.data, 24);
		put32(&h, snap_crc32c(crc, d + at + 3, len));
		snap_buf_put(out, h.data, h.len);
		snap_buf_put(out, d + at + 3, len);
		snap_buf_free(&h);
		at += 3 + len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snap_buf framed = { 0 }, out;
	struct mem_source s = { data, size,
				1 + (size ? data[size - 1] : 0) * 64 };
	struct snap_file f;
	struct vmm_err err;

	if (size && data[0] == '!') {
		frame_input(data, size, &framed);
		s = (struct mem_source){ framed.data, framed.len, 4096 };
	}
	if (!mig_read_stream(mem_source_read, &s, &out, &err) &&
	    !snap_parse(out.data, out.len, &f, &err))
		snap_file_free(&f);
	snap_buf_free(&out);
	snap_buf_free(&framed);
	return 0;
}
