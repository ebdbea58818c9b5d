// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * migrate_stream.c: the migration stream: frames of the snapshot format
 * (a 28-byte header: magic, stream version, sequence number, payload
 * length, flags, CRC-32C of header and payload), written by a snap_writer
 * sink and read back by a reader that trusts nothing it receives.
 */
#include "migrate.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

int mig_out_init(struct mig_out *m, int fd)
{
	memset(m, 0, sizeof(*m));
	m->fd = fd;
	m->frame = malloc(MIG_FRAME_HDR + MIG_FRAME_MAX);
	return m->frame ? 0 : -ENOMEM;
}

void mig_out_free(struct mig_out *m)
{
	free(m->frame);
	m->frame = NULL;
}

static int flush_frame(struct mig_out *m, uint32_t flags)
{
	uint8_t *h = m->frame;
	uint32_t crc;

	put32(h, MIG_MAGIC);
	put32(h + 4, MIG_VERSION);
	put32(h + 8, (uint32_t)m->seq);
	put32(h + 12, (uint32_t)(m->seq >> 32));
	put32(h + 16, (uint32_t)m->fill);
	put32(h + 20, flags);
	crc = snap_crc32c(0, h, 24);
	put32(h + 24, snap_crc32c(crc, h + MIG_FRAME_HDR, m->fill));
	m->seq++;
	crc = (uint32_t)m->fill;
	m->fill = 0;
	return vmm_write_all(m->fd, h, MIG_FRAME_HDR + crc);
}

int mig_sink(void *opaque, const void *buf, size_t len)
{
	struct mig_out *m = opaque;
	const uint8_t *p = buf;
	int ret = 0;

	while (!ret && len) {
		size_t n = MIG_FRAME_MAX - m->fill;

		if (n > len)
			n = len;
		memcpy(m->frame + MIG_FRAME_HDR + m->fill, p, n);
		m->fill += n;
		p += n;
		len -= n;
		if (m->fill == MIG_FRAME_MAX)
			ret = flush_frame(m, 0);
	}
	return ret;
}

int mig_out_finish(struct mig_out *m)
{
	return flush_frame(m, MIG_FLAG_LAST);
}

int mig_send_frame(struct mig_out *m, uint32_t flags, const void *p, size_t len)
{
	if (m->fill || len > MIG_FRAME_MAX)
		return -EINVAL;
	memcpy(m->frame + MIG_FRAME_HDR, p, len);
	m->fill = len;
	return flush_frame(m, flags);
}

/* Exactly @len bytes; 1 when the stream ended first (0 bytes read). */
static int read_exact(mig_read_fn rd, void *opaque, void *buf, size_t len,
		      size_t *got)
{
	*got = 0;
	while (*got < len) {
		long n = rd(opaque, (uint8_t *)buf + *got, len - *got);

		if (n < 0)
			return (int)n;
		if (n == 0)
			return 1;
		*got += (size_t)n;
	}
	return 0;
}

static int check_header(const uint8_t *h, uint64_t seq, struct vmm_err *err,
			uint32_t *len)
{
	uint32_t v = vmm_le32(h + 4);

	if (vmm_le32(h) != MIG_MAGIC)
		return vmm_errf(err, EPROTO,
				"frame %llu: not a vkvm migration stream "
				"(bad magic)",
				(unsigned long long)seq);
	if (v != MIG_VERSION)
		return vmm_errf(err, EPROTONOSUPPORT,
				"frame %llu: stream version %u, this vkvm "
				"speaks version %u",
				(unsigned long long)seq, v, MIG_VERSION);
	*len = vmm_le32(h + 16);
	if (*len > MIG_FRAME_MAX || vmm_le32(h + 20) & ~MIG_FLAGS_KNOWN ||
	    __builtin_popcount(vmm_le32(h + 20)) > 1)
		return vmm_errf(err, EPROTO,
				"frame %llu: bad length %u or flags 0x%x",
				(unsigned long long)seq, *len,
				vmm_le32(h + 20));
	return 0;
}

/* Where a frame's payload goes. */
struct mig_in {
	mig_read_fn rd;
	void *opaque;
	mig_pages_fn pages;
	void *pages_opaque;
};

/* A PLAN or PAGES frame: to the pre-copy handler, if there is one. */
static int pages_frame(const struct mig_in *in, uint64_t seq, uint32_t flags,
		       const uint8_t *payload, uint32_t len,
		       struct vmm_err *err)
{
	if (!in->pages)
		return vmm_errf(err, EPROTO,
				"frame %llu: a pre-copy frame where none "
				"was expected",
				(unsigned long long)seq);
	return in->pages(in->pages_opaque, flags, payload, len, err);
}

/* One frame into @out; 1 when it was the last. */
static int read_frame(const struct mig_in *in, uint64_t seq, uint8_t *payload,
		      struct snap_buf *out, struct vmm_err *err)
{
	mig_read_fn rd = in->rd;
	void *opaque = in->opaque;
	uint32_t flags;
	uint8_t h[MIG_FRAME_HDR];
	uint32_t len = 0;
	size_t got;
	int ret;

	ret = read_exact(rd, opaque, h, sizeof(h), &got);
	if (ret == 1)
		return vmm_errf(err, EPROTO,
				"stream cut after %llu frames (%zu bytes): "
				"no last frame",
				(unsigned long long)seq, out->len);
	if (ret < 0)
		return vmm_errf(err, -ret, "frame %llu: read: %s",
				(unsigned long long)seq, strerror(-ret));
	ret = check_header(h, seq, err, &len);
	if (ret)
		return ret;
	ret = read_exact(rd, opaque, payload, len, &got);
	if (ret)
		return vmm_errf(err, ret < 0 ? -ret : EPROTO,
				"frame %llu: cut inside its payload (%zu of "
				"%u bytes)",
				(unsigned long long)seq, got, len);
	if (snap_crc32c(snap_crc32c(0, h, 24), payload, len) !=
	    vmm_le32(h + 24))
		return vmm_errf(err, EPROTO,
				"frame %llu: checksum mismatch (corrupted)",
				(unsigned long long)seq);
	if (vmm_le64(h + 8) != seq)
		return vmm_errf(err, EPROTO,
				"frame %llu arrived where frame %llu was "
				"expected (reordered or lost)",
				(unsigned long long)vmm_le64(h + 8),
				(unsigned long long)seq);
	flags = vmm_le32(h + 20);
	if (flags & (MIG_FLAG_PLAN | MIG_FLAG_PAGES))
		return pages_frame(in, seq, flags, payload, len, err);
	if (out->len + len > MIG_STREAM_MAX)
		return vmm_errf(err, EPROTO, "stream longer than %zu bytes",
				MIG_STREAM_MAX);
	snap_buf_put(out, payload, len);
	if (out->oom)
		return vmm_errf(err, ENOMEM, "out of memory");
	return flags & MIG_FLAG_LAST ? 1 : 0;
}

int mig_read_stream_pages(mig_read_fn rd, void *opaque, struct snap_buf *out,
			  mig_pages_fn pages, void *pages_opaque,
			  struct vmm_err *err)
{
	const struct mig_in in = { rd, opaque, pages, pages_opaque };
	uint8_t *payload = malloc(MIG_FRAME_MAX);
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (!payload)
		return vmm_errf(err, ENOMEM, "out of memory");
	for (uint64_t seq = 0; !ret; seq++)
		ret = read_frame(&in, seq, payload, out, err);
	free(payload);
	return ret < 0 ? ret : 0;
}

int mig_read_stream(mig_read_fn rd, void *opaque, struct snap_buf *out,
		    struct vmm_err *err)
{
	return mig_read_stream_pages(rd, opaque, out, NULL, NULL, err);
}

static bool is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)
				      ->sin_addr.s_addr) >>
			24) == 127;
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(
			&((const struct sockaddr_in6 *)sa)->sin6_addr);
	return false;
}

int mig_parse_addr(const char *spec, struct sockaddr_storage *sa,
		   unsigned int *sa_len, struct vmm_err *err)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV },
			*res;
	char host[256];
	const char *colon, *port, *h = spec + 4;
	size_t hlen;
	bool ok;

	if (strncmp(spec, "tcp:", 4))
		return vmm_errf(err, EINVAL, "'%s': not tcp:ADDR:PORT", spec);
	colon = strrchr(spec + 4, ':');
	if (!colon)
		return vmm_errf(err, EINVAL, "'%s': no :PORT", spec);
	port = colon + 1;
	hlen = (size_t)(colon - (spec + 4));
	if (hlen >= 2 && *h == '[' && colon[-1] == ']') { /* [::1] */
		h++;
		hlen -= 2;
	}
	if (!hlen || hlen >= sizeof(host) || !*port)
		return vmm_errf(err, EINVAL, "'%s': not tcp:ADDR:PORT", spec);
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	/*
	 * "localhost" is loopback by definition (RFC 6761): do not depend on
	 * /etc/hosts, which a minimal root may lack.
	 */
	if (!strcmp(host, "localhost"))
		strcpy(host, "127.0.0.1");
	if (getaddrinfo(host, port, &hints, &res))
		return vmm_errf(err, EINVAL, "'%s': cannot resolve %s port %s",
				spec, host, port);
	ok = is_loopback(res->ai_addr) && res->ai_addrlen <= sizeof(*sa);
	if (ok) {
		memcpy(sa, res->ai_addr, res->ai_addrlen);
		*sa_len = (unsigned int)res->ai_addrlen;
	}
	freeaddrinfo(res);
	return ok ? 0 :
		    vmm_errf(err, EINVAL,
			     "%s: only loopback addresses (127.0.0.0/8, "
			     "[::1], localhost) are allowed",
			     host);
}
