/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uaccess.h: copying ioctl arguments from and to the caller.
 *
 * The caller shares our address space, so a "user pointer" is an ordinary
 * pointer.  Linux answers EFAULT for an unmapped one; vkvm answers EFAULT
 * for the pointers a caller plausibly passes by mistake (NULL and the
 * first page) and otherwise trusts the pointer: probing every access with
 * a syscall would cost more than the ioctl itself.
 */
#ifndef VKVM_API_UACCESS_H
#define VKVM_API_UACCESS_H

#include <errno.h>
#include <stdint.h>
#include <string.h>

static inline int uaccess_ok(unsigned long uaddr, size_t len)
{
	return uaddr >= 4096 && uaddr + len >= uaddr;
}

/* copy_from_user - 0 or -EFAULT. */
static inline int copy_from_user(void *dst, unsigned long uaddr, size_t len)
{
	if (!uaccess_ok(uaddr, len))
		return -EFAULT;
	memcpy(dst, (const void *)(uintptr_t)uaddr, len);
	return 0;
}

/* copy_to_user - 0 or -EFAULT. */
static inline int copy_to_user(unsigned long uaddr, const void *src, size_t len)
{
	if (!uaccess_ok(uaddr, len))
		return -EFAULT;
	memcpy((void *)(uintptr_t)uaddr, src, len);
	return 0;
}

#endif /* VKVM_API_UACCESS_H */
