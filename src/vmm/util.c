// SPDX-License-Identifier: GPL-2.0-or-later
/* util.c: error messages, whole-file reads and byte-order helpers. */
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

int vmm_errf(struct vmm_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -errnum;
}

int vmm_host_error(const char *what)
{
	fprintf(stderr, "vkvm: %s: %s\n", what, strerror(errno));
	return VMM_EXIT_HOST_ERROR;
}

static int read_all(int fd, uint8_t *buf, size_t size)
{
	size_t done = 0;

	while (done < size) {
		ssize_t n = read(fd, buf + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO; /* the file shrank under us */
		done += (size_t)n;
	}
	return 0;
}

int vmm_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	bool sock = true;

	while (len) {
		ssize_t n = sock ? send(fd, p, len, MSG_NOSIGNAL) :
				   write(fd, p, len);

		if (n < 0 && sock && errno == ENOTSOCK) {
			sock = false;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int vmm_read_file(const char *path, size_t max, struct vmm_blob *blob,
		  struct vmm_err *err)
{
	struct stat st;
	int fd, ret;

	blob->data = NULL;
	blob->size = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vmm_errf(err, errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		ret = vmm_errf(err, errno, "%s: %s", path, strerror(errno));
		goto out_close;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = vmm_errf(err, EISDIR, "%s: is a directory", path);
		goto out_close;
	}
	if ((uint64_t)st.st_size > max) {
		ret = vmm_errf(err, EFBIG,
			       "%s: too big (%lld bytes, at most %zu fit)",
			       path, (long long)st.st_size, max);
		goto out_close;
	}
	blob->size = (size_t)st.st_size;
	blob->data = malloc(blob->size ? blob->size : 1);
	if (!blob->data) {
		ret = vmm_errf(err, ENOMEM, "%s: out of memory", path);
		goto out_close;
	}
	ret = read_all(fd, blob->data, blob->size);
	if (ret) {
		vmm_errf(err, -ret, "%s: read: %s", path, strerror(-ret));
		vmm_blob_free(blob);
	}
out_close:
	close(fd);
	return ret;
}

void vmm_blob_free(struct vmm_blob *blob)
{
	free(blob->data);
	blob->data = NULL;
	blob->size = 0;
}

uint16_t vmm_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t vmm_le32(const uint8_t *p)
{
	return (uint32_t)vmm_le16(p) | (uint32_t)vmm_le16(p + 2) << 16;
}

uint64_t vmm_le64(const uint8_t *p)
{
	return (uint64_t)vmm_le32(p) | (uint64_t)vmm_le32(p + 4) << 32;
}
