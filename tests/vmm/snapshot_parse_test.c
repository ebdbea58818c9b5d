// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * snapshot_parse_test.c: the snapshot parser against hostile input: every
 * truncation and 10,000 random bit flips of a real snapshot are refused
 * with a message (no crash, no leak: run under ASan+UBSan), a newer format
 * version is refused as such, and files with valid checksums but broken
 * rules (order, duplicates, bounds) are refused naming the fault.
 * VKVM_FUZZ_SEED sets the seed of the bit flips.
 */
#include "snapshot_util.h"

/* One real snapshot (GICv3, 4 vCPUs, RAM all zero but one page). */
static struct snap_buf real_snapshot(bool ram_page)
{
	struct st_machine sm;
	struct vmm_state_vm vm;
	struct snap_buf b;

	st_machine_init(&sm, 3);
	st_vm_new(&vm, &sm.m, true);
	if (!ram_page)
		memset(vm.ram[0], 0, (size_t)ST_RAM_SIZE);
	if (st_save(&vm, &b))
		test_abort_current();
	vmm_state_vm_destroy(&vm);
	return b;
}

/* @buf must be refused with a message; returns the errno. */
static int refused(const uint8_t *buf, size_t len, const char *needle)
{
	struct snap_file f;
	struct vmm_err err = { "" };
	int ret = snap_parse(buf, len, &f, &err);

	if (!ret) {
		snap_file_free(&f);
		test_fail(__FILE__, __LINE__, "accepted (%zu bytes)", len);
		return 0;
	}
	if (!err.msg[0] || (needle && !strstr(err.msg, needle)))
		test_fail(__FILE__, __LINE__, "message '%s' lacks '%s'",
			  err.msg, needle ? needle : "(any)");
	return -ret;
}

TEST(real_snapshot_parses)
{
	struct snap_buf b = real_snapshot(true);
	struct snap_file f;
	struct vmm_err err;

	EXPECT_EQ(snap_parse(b.data, b.len, &f, &err), 0);
	EXPECT_EQ(f.m.nr_vcpus, ST_NR_CPUS);
	EXPECT(f.nr_ram_chunks == 1 && f.ram[0].data != NULL);
	snap_file_free(&f);
	snap_buf_free(&b);
}

TEST(every_truncation_is_refused)
{
	struct snap_buf b = real_snapshot(false);

	/* a fresh copy of exactly len bytes, so ASan sees any overread */
	for (size_t len = 0; len < b.len; len++) {
		uint8_t *p = malloc(len ? len : 1);

		REQUIRE(p);
		memcpy(p, b.data, len);
		EXPECT_EQ(refused(p, len, NULL), EINVAL);
		free(p);
	}
	snap_buf_free(&b);
}

/* Truncations inside a RAM data section (sampled: it is 1 MiB). */
TEST(truncated_ram_section_is_refused)
{
	struct snap_buf b = real_snapshot(true);

	for (size_t cut = 1; cut < b.len; cut += 4093)
		EXPECT_EQ(refused(b.data, b.len - cut, "truncated"), EINVAL);
	snap_buf_free(&b);
}

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

TEST(ten_thousand_bit_flips_are_refused)
{
	struct snap_buf b = real_snapshot(false);
	const char *seed = getenv("VKVM_FUZZ_SEED");
	uint64_t s = (seed ? strtoull(seed, NULL, 0) : 0x5eed) | 1;

	for (int i = 0; i < 10000; i++) {
		unsigned int flips = 1 + (unsigned int)(rng_next(&s) % 3);
		size_t at[3];
		uint8_t bit[3];

		for (unsigned int k = 0; k < flips; k++) {
			at[k] = (size_t)(rng_next(&s) % b.len);
			bit[k] = (uint8_t)(1u << (rng_next(&s) % 8));
			b.data[at[k]] ^= bit[k];
		}
		/* flips that cancel out leave a valid file */
		if (!(flips == 2 && at[0] == at[1] && bit[0] == bit[1]))
			EXPECT(refused(b.data, b.len, NULL) != 0);
		for (unsigned int k = flips; k-- > 0;)
			b.data[at[k]] ^= bit[k];
	}
	snap_buf_free(&b);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

TEST(newer_version_is_eprotonosupport)
{
	struct snap_buf b = real_snapshot(false);

	put32(b.data + 8, SNAP_VERSION + 1);
	put32(b.data + 20, snap_crc32c(0, b.data, 20));
	EXPECT_EQ(refused(b.data, b.len, "format version 2"), EPROTONOSUPPORT);
	snap_buf_free(&b);
}

TEST(bad_magic_and_header_checksum_are_named)
{
	struct snap_buf b = real_snapshot(false);

	b.data[0] ^= 1;
	EXPECT_EQ(refused(b.data, b.len, "magic"), EINVAL);
	b.data[0] ^= 1;
	b.data[13] ^= 1;
	EXPECT_EQ(refused(b.data, b.len, "file header checksum"), EINVAL);
	b.data[13] ^= 1;
	b.data[b.len / 2] ^= 0x40;
	EXPECT_EQ(refused(b.data, b.len, "checksum mismatch"), EINVAL);
	snap_buf_free(&b);
}

/* --- files with valid checksums that break the rules --------------------- */

struct crafted {
	struct snap_buf out;
	struct snap_writer w;
	struct st_machine sm;
};

static void craft_start(struct crafted *c, bool machine)
{
	struct snap_buf mb = { 0 };

	memset(c, 0, sizeof(*c));
	c->w = (struct snap_writer){ st_sink, &c->out, 0, 0 };
	st_machine_init(&c->sm, 3);
	c->sm.m.nr_vcpus = 1;
	REQUIRE(!snap_write_header(&c->w));
	if (machine) {
		snap_put_machine(&mb, &c->sm.m);
		REQUIRE(!snap_write_section(&c->w, SNAP_SEC_MACHINE, 0, &mb,
					    NULL, 0));
	}
	snap_buf_free(&mb);
}

static void craft_u32s(struct crafted *c, uint32_t type, uint32_t inst,
		       const uint32_t *v, size_t n)
{
	struct snap_buf b = { 0 };

	for (size_t i = 0; i < n; i++)
		snap_buf_put32(&b, v[i]);
	REQUIRE(!snap_write_section(&c->w, type, inst, &b, NULL, 0));
	snap_buf_free(&b);
}

/* Minimal valid body for one vCPU: no registers, MP state, empty GIC. */
static void craft_body(struct crafted *c)
{
	const uint32_t zero = 0;

	craft_u32s(c, SNAP_SEC_VCPU_REGS, 0, &zero, 1);
	craft_u32s(c, SNAP_SEC_VCPU_MP_STATE, 0, &zero, 1);
	craft_u32s(c, SNAP_SEC_GIC, 0, &zero, 1);
}

static int craft_finish(struct crafted *c, const char *needle)
{
	int ret;

	REQUIRE(!snap_write_end(&c->w));
	ret = refused(c->out.data, c->out.len, needle);
	snap_buf_free(&c->out);
	return ret;
}

TEST(crafted_minimal_file_is_accepted)
{
	struct crafted c;
	struct snap_file f;
	struct vmm_err err;

	craft_start(&c, true);
	craft_body(&c);
	REQUIRE(!snap_write_end(&c.w));
	EXPECT_EQ(snap_parse(c.out.data, c.out.len, &f, &err), 0);
	snap_file_free(&f);
	snap_buf_free(&c.out);
}

TEST(machine_must_come_first)
{
	struct crafted c;

	craft_start(&c, false);
	craft_body(&c);
	EXPECT_EQ(craft_finish(&c, "must be MACHINE"), EINVAL);
}

TEST(vcpu_index_beyond_machine_is_refused)
{
	struct crafted c;
	const uint32_t zero = 0;

	craft_start(&c, true);
	craft_u32s(&c, SNAP_SEC_VCPU_REGS, 7, &zero, 1);
	EXPECT_EQ(craft_finish(&c, "vCPU index 7"), EINVAL);
}

TEST(duplicate_sections_are_refused)
{
	struct crafted c;
	const uint32_t zero = 0;

	craft_start(&c, true);
	craft_body(&c);
	craft_u32s(&c, SNAP_SEC_GIC, 0, &zero, 1);
	EXPECT_EQ(craft_finish(&c, "second GIC"), EINVAL);
}

TEST(missing_vcpu_state_is_refused)
{
	struct crafted c;
	const uint32_t zero = 0;

	craft_start(&c, true);
	craft_u32s(&c, SNAP_SEC_GIC, 0, &zero, 1);
	EXPECT_EQ(craft_finish(&c, "vCPU 0: no VCPU_REGS"), EINVAL);
}

TEST(unknown_section_type_is_refused)
{
	struct crafted c;
	const uint32_t zero = 0;

	craft_start(&c, true);
	craft_u32s(&c, 99, 0, &zero, 1);
	EXPECT_EQ(craft_finish(&c, "unknown section type 99"), EINVAL);
}

TEST(register_size_must_match_its_id)
{
	struct crafted c;
	const uint32_t rec[] = { 1, 0x00100044, 0x60300000, 4, 0 };

	craft_start(&c, true);
	craft_u32s(&c, SNAP_SEC_VCPU_REGS, 0, rec, 5);
	EXPECT_EQ(craft_finish(&c, "not an arm64 ONE_REG id"), EINVAL);
}

TEST(gic_group_of_other_model_is_refused)
{
	struct crafted c;
	const uint32_t rec[] = { 1, KVM_DEV_ARM_VGIC_GRP_CPU_REGS, 4, 0, 0, 0 };

	craft_start(&c, true);
	craft_u32s(&c, SNAP_SEC_GIC, 0, rec, 6);
	EXPECT_EQ(craft_finish(&c, "not a GICv3 register group"), EINVAL);
}

TEST(ram_outside_guest_memory_is_refused)
{
	struct crafted c;
	const uint32_t chunk[] = { 0, 0x50000000, 0x1000, 0 };

	craft_start(&c, true);
	craft_body(&c);
	craft_u32s(&c, SNAP_SEC_RAM_ZERO, 0, chunk, 4);
	EXPECT_EQ(craft_finish(&c, "outside guest RAM"), EINVAL);
}

TEST(reordered_sections_break_the_end_count)
{
	struct crafted c;
	const uint32_t end[] = { 3, 0 };

	craft_start(&c, true);
	craft_body(&c);
	craft_u32s(&c, SNAP_SEC_END, 0, end, 2);
	EXPECT_EQ(refused(c.out.data, c.out.len, "END counts 3"), EINVAL);
	snap_buf_free(&c.out);
}

TEST(bytes_after_end_are_refused)
{
	struct crafted c;

	craft_start(&c, true);
	craft_body(&c);
	REQUIRE(!snap_write_end(&c.w));
	snap_buf_put32(&c.out, 0);
	EXPECT_EQ(refused(c.out.data, c.out.len, "stray bytes after END"),
		  EINVAL);
	snap_buf_free(&c.out);
}

/* Long enough for the 3-lane path of the SSE4.2 version (and a tail). */
TEST(crc32c_known_answer_long_input)
{
	size_t n = 100003;
	uint8_t *d = malloc(n);

	REQUIRE(d);
	for (size_t i = 0; i < n; i++)
		d[i] = (uint8_t)((i * 31 + 7) >> 3);
	EXPECT_EQ(snap_crc32c(0, d, n), 0xa606359c);
	EXPECT_EQ(snap_crc32c(snap_crc32c(0, d, 777), d + 777, n - 777),
		  0xa606359c);
	free(d);
}

TEST(crc32c_known_answer)
{
	EXPECT_EQ(snap_crc32c(0, "123456789", 9), 0xe3069283);
	EXPECT_EQ(snap_crc32c(snap_crc32c(0, "1234", 4), "56789", 5),
		  0xe3069283);
}
