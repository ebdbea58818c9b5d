// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * snapshot_fuzz.c: libFuzzer harness for the snapshot parser and the
 * `vkvm inspect` decoder.  The input is taken as a snapshot file; inputs
 * that start with a '!' byte are instead decoded into a small valid
 * snapshot skeleton (header and MACHINE with fixed checksums) followed by
 * the rest of the input as section bodies, so the fuzzer reaches past the
 * checksums.  Nothing may crash, leak, overread or trip a sanitizer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vmm/inspect.h"
#include "vmm/snapshot_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int buf_sink(void *opaque, const void *p, size_t len)
{
	struct snap_buf *b = opaque;

	snap_buf_put(b, p, len);
	return b->oom ? -1 : 0;
}

static void parse_and_print(const uint8_t *data, size_t size)
{
	struct snap_file f;
	struct vmm_err err;
	FILE *null;

	if (snap_parse(data, size, &f, &err))
		return;
	null = fopen("/dev/null", "w");
	if (null) {
		vmm_inspect_print(&f, null, size & 1);
		fclose(null);
	}
	snap_file_free(&f);
}

/*
 * '!' inputs: byte 1 picks the GIC model and vCPU count; then records of
 * (type, instance, len) bytes and a body, each wrapped in a section with
 * a correct checksum.
 */
static void structured(const uint8_t *data, size_t size)
{
	struct snap_vcpu_desc vcpus[4] = { { 0, 0x80000000 },
					   { 1, 0x80000001 },
					   { 2, 0x80000002 },
					   { 3, 0x80000003 } };
	struct snap_machine m = { .nr_irqs = 128, .nr_ram = 1, .vcpus = vcpus };
	struct snap_buf out = { 0 }, body = { 0 };
	struct snap_writer w = { buf_sink, &out, 0, 0 };
	size_t at = 2;

	if (size < 2)
		return;
	m.gic_version = data[1] & 1 ? 3 : 2;
	m.nr_vcpus = 1 + ((data[1] >> 1) & 3);
	m.ram[0] = (struct snap_ram_desc){ 0x40000000, 0x10000, 0, 0 };
	snap_write_header(&w);
	snap_put_machine(&body, &m);
	snap_write_section(&w, SNAP_SEC_MACHINE, 0, &body, NULL, 0);
	while (size - at >= 3) {
		uint32_t type = data[at] % 16, inst = data[at + 1] % 8;
		size_t len = data[at + 2];

		at += 3;
		if (len > size - at)
			len = size - at;
		snap_write_section(&w, type, inst, NULL, data + at, len);
		at += len;
	}
	snap_write_end(&w);
	if (!out.oom)
		parse_and_print(out.data, out.len);
	snap_buf_free(&out);
	snap_buf_free(&body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size && data[0] == '!')
		structured(data, size);
	else
		parse_and_print(data, size);
	return 0;
}
