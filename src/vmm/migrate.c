// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * migrate.c: live migration between two `vkvm run` processes over TCP on
 * loopback.  The source pre-copies RAM while the guest runs
 * (migrate_precopy.c), pauses its vCPUs (as for a snapshot), sends the
 * last dirty pages and the RAM-less snapshot as a framed stream
 * (migrate_stream.c) and waits for
 * the destination's one-line answer, "OK" or "ERR <why>"; only after "OK"
 * does it stop (exit status 8), on anything else its guest goes on.  The
 * destination checks every frame and the snapshot before it builds the
 * machine, answers, then runs the guest.
 */
#include "migrate.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "device_state.h"
#include "snapshot_run.h"

#define CONNECT_TIMEOUT_MS 5000
#define REPLY_TIMEOUT_MS 60000

static int wait_fd(int fd, short events, int ms)
{
	struct pollfd p = { fd, events, 0 };
	int n;

	do
		n = poll(&p, 1, ms);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n == 0 ? -ETIMEDOUT : 0;
}

static int connect_to(const char *spec, struct vmm_err *err)
{
	struct sockaddr_storage sa;
	unsigned int len;
	int fd, ret, soerr = 0;
	socklen_t sl = sizeof(soerr);

	ret = mig_parse_addr(spec, &sa, &len, err);
	if (ret)
		return ret;
	fd = socket(sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    0);
	if (fd < 0)
		return vmm_errf(err, errno, "socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sa, len) < 0 &&
	    errno != EINPROGRESS) {
		ret = -errno;
	} else {
		ret = wait_fd(fd, POLLOUT, CONNECT_TIMEOUT_MS);
		if (!ret && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl))
			ret = -errno;
		if (!ret && soerr)
			ret = -soerr;
	}
	if (!ret && fcntl(fd, F_SETFL, 0) < 0) /* blocking from here */
		ret = -errno;
	if (ret) {
		close(fd);
		return vmm_errf(err, -ret, "connect to %s: %s", spec,
				strerror(-ret));
	}
	return fd;
}

/* The destination's answer: 0 for "OK", else -EPROTO with its reason. */
static int read_reply(int fd, struct vmm_err *err)
{
	char line[sizeof(err->msg) - 64];
	size_t n = 0;

	while (n < sizeof(line) - 1) {
		ssize_t r;
		int ret = wait_fd(fd, POLLIN, REPLY_TIMEOUT_MS);

		if (ret)
			return vmm_errf(err, -ret, "no answer: %s",
					strerror(-ret));
		r = read(fd, line + n, 1);
		if (r <= 0 || line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	if (!strcmp(line, "OK"))
		return 0;
	return vmm_errf(err, EPROTO, "the destination refused: %s",
			n ? line : "(connection closed)");
}

/* The paused machine's state after the last pre-copied pages. */
static int send_state(struct vmm *vmm, struct vmm_snap_view *v,
		      struct mig_out *m, struct vmm_err *err)
{
	struct snap_pl011 uart;
	struct snap_pl031 rtc;
	struct vmm_state_devices dev = { &uart, &rtc };
	struct snap_writer w = { mig_sink, m, 0, 0 };
	int ret;

	vmm_pl011_get_state(&vmm->uart, &uart);
	vmm_pl031_get_state(&vmm->rtc, &rtc);
	v->vm.skip_ram = true; /* the pre-copy frames carried it */
	ret = vmm_state_save(&v->vm, &dev, &w, err);
	if (!ret && (ret = mig_out_finish(m)))
		vmm_errf(err, -ret, "send: %s", strerror(-ret));
	return ret;
}

/*
 * Pre-copy while the guest runs, pause (the caller resumes on failure),
 * the last dirty pages, the state.  @st: the timings.
 */
static int send_machine(struct vmm *vmm, int fd, struct mig_precopy_stats *st,
			struct vmm_err *err)
{
	struct mig_precopy pc = { 0 };
	struct vmm_snap_view v;
	struct mig_out m;
	int ret;

	if (mig_out_init(&m, fd) || vmm_snap_view_init(&v, vmm)) {
		mig_out_free(&m);
		return vmm_errf(err, ENOMEM, "out of memory");
	}
	ret = mig_precopy_start(&pc, &v.vm, &m, err);
	if (!ret && !vmm_pause_vcpus(vmm))
		ret = vmm_errf(err, ETIMEDOUT, "the vCPUs did not pause");
	if (!ret)
		ret = mig_precopy_finish(&pc, err);
	if (!ret)
		ret = send_state(vmm, &v, &m, err);
	*st = pc.st;
	mig_precopy_end(&pc);
	vmm_snap_view_free(&v);
	mig_out_free(&m);
	return ret;
}

static double ms(int64_t ns)
{
	return (double)ns / 1e6;
}

int vmm_migrate_out(struct vmm *vmm)
{
	const char *to = vmm->opt->migrate_to;
	struct mig_precopy_stats st = { 0 };
	struct vmm_err err;
	int fd, ret;

	fd = connect_to(to, &err);
	ret = fd < 0 ? fd : send_machine(vmm, fd, &st, &err);
	if (!ret)
		ret = read_reply(fd, &err);
	st.done_ns = mig_now_ns();
	if (fd >= 0)
		close(fd);
	if (ret) {
		vmm_resume_vcpus(vmm);
		fprintf(stderr,
			"\r\nvkvm: migration to %s failed: %s; the "
			"guest goes on here\r\n",
			to, err.msg);
		return ret;
	}
	fprintf(stderr,
		"\r\nvkvm: migrated: %u pre-copy rounds, %llu pages sent, "
		"%llu after the pause; downtime %.1f ms, total %.1f ms\r\n",
		st.rounds, (unsigned long long)st.pages_sent,
		(unsigned long long)st.last_pages, ms(st.done_ns - st.pause_ns),
		ms(st.done_ns - st.start_ns));
	vmm_request_stop(vmm, VMM_EXIT_MIGRATED, "migrated");
	vmm_resume_vcpus(vmm); /* the threads see the stop and end */
	return 0;
}

/* --- destination ---------------------------------------------------------- */

static int listen_on(const char *spec, struct vmm_err *err)
{
	struct sockaddr_storage sa;
	unsigned int len;
	int fd, one = 1, ret;

	ret = mig_parse_addr(spec, &sa, &len, err);
	if (ret)
		return ret;
	fd = socket(sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return vmm_errf(err, errno, "socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, len) < 0 || listen(fd, 1) < 0) {
		ret = vmm_errf(err, errno, "%s: %s", spec, strerror(errno));
		close(fd);
		return ret;
	}
	return fd;
}

static long fd_read(void *opaque, void *buf, size_t len)
{
	ssize_t n;

	do
		n = read(*(int *)opaque, buf, len);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

static void answer(int fd, const char *msg)
{
	char line[600];
	int n = snprintf(line, sizeof(line), "%s\n", msg);

	if (send(fd, line, (size_t)n, MSG_NOSIGNAL) < 0) {
		/* the source sees the closed connection instead */
	}
}

/* Receive and check the stream; the exit status on failure. */
static int receive(int cfd, struct snap_buf *b, struct snap_file *f,
		   struct mig_image *img)
{
	struct vmm_err err;
	char msg[600];
	int ret;

	ret = mig_read_stream_pages(fd_read, &cfd, b, mig_image_frame, img,
				    &err);
	if (!ret)
		ret = snap_parse(b->data, b->len, f, &err);
	if (!ret)
		return vmm_restore_check(f, "incoming stream");
	snprintf(msg, sizeof(msg), "ERR %s", err.msg);
	answer(cfd, msg);
	fprintf(stderr, "vkvm: --incoming: refused: %s\n", err.msg);
	return ret == -ENOMEM ? VMM_EXIT_HOST_ERROR : VMM_EXIT_BAD_SNAPSHOT;
}

/* The pre-copied RAM into the restored machine (vCPUs not started). */
static int install_precopy(struct vmm *vmm, struct mig_image *img)
{
	struct vmm_snap_view v;
	struct vmm_err err;
	int ret;

	if (vmm_snap_view_init(&v, vmm))
		return VMM_EXIT_HOST_ERROR;
	ret = mig_image_install(img, &v.m, v.ram, &err);
	vmm_snap_view_free(&v);
	if (ret)
		fprintf(stderr, "vkvm: --incoming: refused: %s\n", err.msg);
	return ret ? VMM_EXIT_BAD_SNAPSHOT : 0;
}

int vmm_cmd_incoming(struct vmm_options *opt)
{
	struct mig_image img = { 0 };
	struct snap_buf b = { 0 };
	struct snap_file f;
	struct vmm_err err;
	struct vmm vmm;
	int lfd, cfd, ret;

	lfd = listen_on(opt->incoming, &err);
	if (lfd < 0) {
		fprintf(stderr, "vkvm: --incoming: %s\n", err.msg);
		return lfd == -EINVAL ? VMM_EXIT_USAGE : VMM_EXIT_HOST_ERROR;
	}
	fprintf(stderr, "vkvm: waiting for a migration on %s\n", opt->incoming);
	do
		cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	while (cfd < 0 && errno == EINTR);
	close(lfd);
	if (cfd < 0) {
		fprintf(stderr, "vkvm: --incoming: accept: %s\n",
			strerror(errno));
		return VMM_EXIT_HOST_ERROR;
	}
	ret = receive(cfd, &b, &f, &img);
	if (ret) {
		mig_image_free(&img);
		snap_buf_free(&b);
		close(cfd);
		return ret;
	}
	ret = vmm_restore_machine(&vmm, opt, &f);
	if (!ret)
		ret = install_precopy(&vmm, &img);
	mig_image_free(&img);
	snap_file_free(&f);
	snap_buf_free(&b);
	answer(cfd,
	       ret ? "ERR the destination could not build the machine" : "OK");
	close(cfd);
	if (!ret)
		ret = vmm_machine_run(&vmm);
	vmm_machine_destroy(&vmm);
	return ret;
}
