// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * migrate_test.c: the migration stream: a real snapshot framed by the
 * writer over a socket and read back; cut, reordered, lost, other-version
 * and corrupted streams are refused naming the frame and the fault; only
 * loopback addresses are accepted.
 */
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../lib/mem_source.h"
#include "snapshot_util.h"
#include "vmm/migrate.h"

struct drain {
	int fd;
	struct snap_buf out;
};

static void *drain_thread(void *arg)
{
	struct drain *d = arg;
	uint8_t buf[65536];
	ssize_t n;

	while ((n = read(d->fd, buf, sizeof(buf))) > 0)
		snap_buf_put(&d->out, buf, (size_t)n);
	return NULL;
}

/* A real GICv3 snapshot (@snap) and its framed stream (@stream). */
static void make_stream(struct snap_buf *snap, struct snap_buf *stream)
{
	struct st_machine sm;
	struct vmm_state_vm vm;
	struct mig_out m;
	struct drain d = { 0 };
	pthread_t t;
	int sv[2];

	st_machine_init(&sm, 3);
	st_vm_new(&vm, &sm.m, true);
	REQUIRE(!st_save(&vm, snap));
	vmm_state_vm_destroy(&vm);
	REQUIRE(!socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	d.fd = sv[1];
	REQUIRE(!pthread_create(&t, NULL, drain_thread, &d));
	REQUIRE(!mig_out_init(&m, sv[0]));
	EXPECT_EQ(mig_sink(&m, snap->data, snap->len), 0);
	EXPECT_EQ(mig_out_finish(&m), 0);
	mig_out_free(&m);
	close(sv[0]);
	pthread_join(t, NULL);
	close(sv[1]);
	*stream = d.out;
}

/* Read @len bytes of stream; returns the errno, @err the message. */
static int read_stream(const uint8_t *p, size_t len, struct snap_buf *out,
		       struct vmm_err *err)
{
	/* short reads, as a socket gives */
	struct mem_source src = { p, len, 4000 };

	err->msg[0] = '\0';
	return -mig_read_stream(mem_source_read, &src, out, err);
}

static void expect_refused(const uint8_t *p, size_t len, int e,
			   const char *needle)
{
	struct snap_buf out;
	struct vmm_err err;

	EXPECT_EQ(read_stream(p, len, &out, &err), e);
	if (!strstr(err.msg, needle))
		test_fail(__FILE__, __LINE__, "'%s' lacks '%s'", err.msg,
			  needle);
	snap_buf_free(&out);
}

/* Offset of frame @n in @s. */
static size_t frame_at(const struct snap_buf *s, unsigned int n)
{
	size_t off = 0;

	while (n--)
		off += MIG_FRAME_HDR + vmm_le32(s->data + off + 16);
	return off;
}

TEST(stream_round_trip_gives_the_snapshot)
{
	struct snap_buf snap, stream, out;
	struct vmm_err err;
	struct snap_file f;

	make_stream(&snap, &stream);
	EXPECT(stream.len > snap.len);
	EXPECT_EQ(read_stream(stream.data, stream.len, &out, &err), 0);
	REQUIRE(out.len == snap.len);
	EXPECT(!memcmp(out.data, snap.data, snap.len));
	EXPECT_EQ(snap_parse(out.data, out.len, &f, &err), 0);
	snap_file_free(&f);
	snap_buf_free(&out);
	snap_buf_free(&snap);
	snap_buf_free(&stream);
}

TEST(cut_streams_are_eproto)
{
	struct snap_buf snap, stream;

	make_stream(&snap, &stream);
	expect_refused(stream.data, 0, EPROTO, "stream cut after 0 frames");
	expect_refused(stream.data, frame_at(&stream, 1), EPROTO,
		       "stream cut after 1 frames");
	for (size_t cut = 1; cut < stream.len; cut += 65521)
		expect_refused(stream.data, cut, EPROTO, "cut");
	expect_refused(stream.data, stream.len - 1, EPROTO,
		       "cut inside its payload");
	snap_buf_free(&snap);
	snap_buf_free(&stream);
}

TEST(reordered_and_lost_frames_are_eproto)
{
	struct snap_buf snap, stream, swapped = { 0 };
	size_t f1, f2;

	make_stream(&snap, &stream);
	f1 = frame_at(&stream, 1);
	f2 = frame_at(&stream, 2);
	REQUIRE(f2 == stream.len); /* two frames: 1 MiB and the rest */
	snap_buf_put(&swapped, stream.data + f1, f2 - f1);
	snap_buf_put(&swapped, stream.data, f1);
	expect_refused(swapped.data, swapped.len, EPROTO,
		       "frame 1 arrived where frame 0 was expected");
	expect_refused(stream.data + f1, f2 - f1, EPROTO, "reordered or lost");
	snap_buf_free(&swapped);
	snap_buf_free(&snap);
	snap_buf_free(&stream);
}

TEST(other_stream_version_is_eprotonosupport)
{
	struct snap_buf snap, stream;

	make_stream(&snap, &stream);
	stream.data[4] = 3;
	expect_refused(stream.data, stream.len, EPROTONOSUPPORT,
		       "stream version 3, this vkvm speaks version 2");
	snap_buf_free(&snap);
	snap_buf_free(&stream);
}

TEST(corrupted_frames_are_eproto)
{
	struct snap_buf snap, stream;

	make_stream(&snap, &stream);
	stream.data[MIG_FRAME_HDR + 1000] ^= 0x10;
	expect_refused(stream.data, stream.len, EPROTO,
		       "frame 0: checksum mismatch");
	stream.data[MIG_FRAME_HDR + 1000] ^= 0x10;
	stream.data[frame_at(&stream, 1) + 9] ^= 1; /* sequence number */
	expect_refused(stream.data, stream.len, EPROTO, "checksum mismatch");
	stream.data[frame_at(&stream, 1) + 9] ^= 1;
	stream.data[0] ^= 0xff;
	expect_refused(stream.data, stream.len, EPROTO,
		       "not a vkvm migration stream");
	snap_buf_free(&snap);
	snap_buf_free(&stream);
}

static int addr(const char *spec)
{
	struct sockaddr_storage sa;
	struct vmm_err err;
	unsigned int len;

	return -mig_parse_addr(spec, &sa, &len, &err);
}

TEST(only_loopback_addresses_are_accepted)
{
	EXPECT_EQ(addr("tcp:127.0.0.1:4444"), 0);
	EXPECT_EQ(addr("tcp:127.9.8.7:1"), 0);
	EXPECT_EQ(addr("tcp:localhost:4444"), 0);
	EXPECT_EQ(addr("tcp:[::1]:4444"), 0);
	EXPECT_EQ(addr("tcp:10.0.0.1:4444"), EINVAL);
	EXPECT_EQ(addr("tcp:0.0.0.0:4444"), EINVAL);
	EXPECT_EQ(addr("tcp:127.0.0.1"), EINVAL);
	EXPECT_EQ(addr("tcp::4444"), EINVAL);
	EXPECT_EQ(addr("udp:127.0.0.1:4444"), EINVAL);
	EXPECT_EQ(addr("tcp:127.0.0.1:port"), EINVAL);
}

/* --- pre-copy frames ----------------------------------------------------- */

static size_t plan_one(uint8_t *p, uint64_t gpa, uint64_t size)
{
	memset(p, 0, 20);
	p[0] = 1;
	for (int i = 0; i < 8; i++) {
		p[4 + i] = (uint8_t)(gpa >> (8 * i));
		p[12 + i] = (uint8_t)(size >> (8 * i));
	}
	return 20;
}

/* One page record for @gpa holding bytes of @fill. */
static size_t page_rec(uint8_t *p, uint64_t gpa, uint8_t fill)
{
	memset(p, 0, 16);
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(gpa >> (8 * i));
	p[9] = 0x10; /* length 4096 */
	memset(p + 16, fill, 4096);
	return 16 + 4096;
}

static void expect_img(int ret, struct vmm_err *err, const char *needle)
{
	EXPECT_EQ(ret, -EPROTO);
	if (!strstr(err->msg, needle))
		test_fail(__FILE__, __LINE__, "'%s' lacks '%s'", err->msg,
			  needle);
}

TEST(precopy_pages_land_in_the_plan_and_are_installed)
{
	static uint8_t rec[16 + 4096], ram[2 * 4096];
	uint8_t plan[20];
	struct mig_image img = { 0 };
	struct snap_machine m = { .nr_ram = 1 };
	uint8_t *rams[1] = { ram };
	struct vmm_err err;

	m.ram[0] = (struct snap_ram_desc){ 0x40000000, 2 * 4096, 0, 0 };
	EXPECT_EQ(mig_image_frame(&img, MIG_FLAG_PLAN, plan,
				  plan_one(plan, 0x40000000, 2 * 4096), &err),
		  0);
	EXPECT_EQ(mig_image_frame(&img, MIG_FLAG_PAGES, rec,
				  page_rec(rec, 0x40001000, 0xab), &err),
		  0);
	EXPECT_EQ(mig_image_install(&img, &m, rams, &err), 0);
	EXPECT_EQ(ram[4096], 0xab);
	EXPECT_EQ(ram[0], 0);
	m.ram[0].size = 4096;
	expect_img(mig_image_install(&img, &m, rams, &err), &err,
		   "differs from the machine");
	mig_image_free(&img);
}

TEST(precopy_bad_frames_are_refused_saying_why)
{
	static uint8_t rec[16 + 4096];
	uint8_t plan[20];
	struct mig_image img = { 0 };
	struct vmm_err err;
	size_t n = page_rec(rec, 0x40000000, 1);

	expect_img(mig_image_frame(&img, MIG_FLAG_PAGES, rec, n, &err), &err,
		   "PAGES before the PLAN");
	expect_img(mig_image_frame(&img, MIG_FLAG_PLAN, plan, 7, &err), &err,
		   "bad PLAN frame");
	plan_one(plan, 0x40000000, 4096);
	EXPECT_EQ(mig_image_frame(&img, MIG_FLAG_PLAN, plan, 20, &err), 0);
	expect_img(mig_image_frame(&img, MIG_FLAG_PLAN, plan, 20, &err), &err,
		   "a second PLAN");
	expect_img(mig_image_frame(&img, MIG_FLAG_PAGES, rec, n - 1, &err),
		   &err, "cut or bad page record");
	n = page_rec(rec, 0x40001000, 1);
	expect_img(mig_image_frame(&img, MIG_FLAG_PAGES, rec, n, &err), &err,
		   "outside the PLAN");
	mig_image_free(&img);
}

TEST(precopy_frames_in_a_plain_stream_are_refused)
{
	uint8_t plan[20];
	struct drain d = { 0 };
	struct mig_out m;
	pthread_t t;
	int sv[2];

	REQUIRE(!socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	d.fd = sv[1];
	REQUIRE(!pthread_create(&t, NULL, drain_thread, &d));
	REQUIRE(!mig_out_init(&m, sv[0]));
	EXPECT_EQ(mig_send_frame(&m, MIG_FLAG_PLAN, plan,
				 plan_one(plan, 0x40000000, 4096)),
		  0);
	EXPECT_EQ(mig_out_finish(&m), 0);
	mig_out_free(&m);
	close(sv[0]);
	pthread_join(t, NULL);
	close(sv[1]);
	expect_refused(d.out.data, d.out.len, EPROTO,
		       "a pre-copy frame where none was expected");
	snap_buf_free(&d.out);
}
