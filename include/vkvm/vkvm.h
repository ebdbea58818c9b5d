/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * <vkvm/vkvm.h>: libvkvm's public entry points.
 *
 * libvkvm serves the Linux KVM arm64 API from a library.  vkvm_open(),
 * vkvm_ioctl() and vkvm_close() behave like open("/dev/kvm"), ioctl(2) and
 * close(2): they return -1 and set errno on failure, use Linux's ioctl
 * numbers and structures (<vkvm/kvm.h>) and Linux's errno rules.
 *
 * Every fd handed out (system, VM, vCPU, device) is a real, distinct OS
 * file descriptor: it can be polled, dup()ed and passed to mmap() (a vCPU
 * fd maps its struct kvm_run at offset 0).  Close it with vkvm_close(); a
 * plain close(2) leaks the object behind it.  A VM lives until the last fd
 * that refers to it (VM, vCPU or device fd) is closed.
 */
#ifndef VKVM_VKVM_H
#define VKVM_VKVM_H

#include <vkvm/kvm.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VKVM_VERSION_MAJOR 0
#define VKVM_VERSION_MINOR 1
#define VKVM_VERSION_PATCH 0
#define VKVM_VERSION_STRING "0.1.0"

/*
 * vkvm_open - open a system handle, the equivalent of open("/dev/kvm").
 *
 * Returns a new fd, or -1 with errno: EMFILE/ENFILE (no fd left), ENOMEM.
 */
int vkvm_open(void);

/*
 * vkvm_ioctl - issue a KVM ioctl on a vkvm fd.
 * @fd: an fd returned by vkvm_open() or by an ioctl that creates an object
 *      (or a dup() of one)
 * @request: a KVM_* ioctl number from <vkvm/kvm.h>
 * @...: the ioctl's argument: a pointer, or an integer for _IO ioctls
 *
 * Returns what Linux returns (0, a count, or a new fd), or -1 with errno as
 * Linux sets it for that ioctl.  An fd that vkvm does not own: EBADF if it
 * is not open at all, ENOTTY if it is some other open file.
 */
int vkvm_ioctl(int fd, unsigned long request, ...);

/*
 * vkvm_close - close a vkvm fd, the equivalent of close(2).
 *
 * Drops the fd's reference on its object; the object (VM, vCPU, device)
 * is freed when the last reference goes.  Returns 0, or -1 with errno
 * EBADF if @fd is not a vkvm fd.
 */
int vkvm_close(int fd);

/*
 * vkvm_kick_vcpu - make a vCPU leave KVM_RUN, from any thread.
 * @vcpu_fd: a vCPU fd
 *
 * The equivalent of signalling the thread that runs the vCPU under KVM:
 * KVM_RUN returns -1/EINTR with exit_reason KVM_EXIT_INTR as soon as it
 * can.  A kick that arrives while the vCPU is not in KVM_RUN makes the next
 * KVM_RUN return at once, the way a pending signal does.  Returns 0, or -1
 * with errno EBADF (not a vkvm fd) or EINVAL (not a vCPU fd).
 */
int vkvm_kick_vcpu(int vcpu_fd);

/*
 * vkvm_version - the library's version string (VKVM_VERSION_STRING of the
 * build that is running).
 */
const char *vkvm_version(void);

#ifdef __cplusplus
}
#endif

#endif /* VKVM_VKVM_H */
