// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vkvm.c: the public edge.  Internal code returns 0/-errno; here it
 * becomes -1 with errno, as ioctl(2) does.
 */
#include <vkvm/vkvm.h>

#include <errno.h>
#include <stdarg.h>

#include "api/file.h"
#include "api/system.h"
#include "api/vcpu.h"

static int ret_to_errno(long ret)
{
	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return (int)ret;
}

int vkvm_open(void)
{
	return ret_to_errno(system_open_fd());
}

int vkvm_ioctl(int fd, unsigned long request, ...)
{
	struct vkvm_file *file;
	unsigned long arg;
	va_list ap;
	long ret;
	int err;

	va_start(ap, request);
	arg = va_arg(ap, unsigned long);
	va_end(ap);

	file = file_get(fd, &err);
	if (!file)
		return ret_to_errno(err);
	ret = file->ops->ioctl(file, request, arg);
	file_put(file);
	return ret_to_errno(ret);
}

int vkvm_close(int fd)
{
	return ret_to_errno(file_close(fd));
}

int vkvm_kick_vcpu(int vcpu_fd)
{
	struct vkvm_file *file;
	long ret;
	int err;

	file = file_get(vcpu_fd, &err);
	if (!file)
		return ret_to_errno(-EBADF);
	ret = vcpu_kick_file(file);
	file_put(file);
	return ret_to_errno(ret);
}

const char *vkvm_version(void)
{
	return VKVM_VERSION_STRING;
}
