/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * file.h: vkvm's file objects and the process-wide fd table.
 *
 * Each fd vkvm hands out is a real OS fd (a memfd) registered in a table
 * that maps the fd number to a struct vkvm_file.  The table is the one
 * piece of process-wide state in libvkvm, as the fd table is the kernel's:
 * everything else hangs off a struct vm.
 *
 * Lifetime: a file holds one reference for its fd and one for every ioctl
 * in flight on it (file_get/file_put), like Linux's fget/fput, so closing
 * an fd while another thread is inside an ioctl on it is safe.  The
 * release hook runs when the last reference goes.
 *
 * Lookups take no lock (file.c): struct vkvm_file memory is never given
 * back to malloc but reused for later files, so a lookup may take a
 * reference on a file it read from the table a moment ago, and then checks
 * that the table still holds it (Linux's SLAB_TYPESAFE_BY_RCU files).
 */
#ifndef VKVM_API_FILE_H
#define VKVM_API_FILE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct vkvm_file;

enum vkvm_file_kind {
	VKVM_FILE_SYSTEM,
	VKVM_FILE_VM,
	VKVM_FILE_VCPU,
	VKVM_FILE_DEVICE,
};

struct vkvm_file_ops {
	enum vkvm_file_kind kind;
	/*
	 * ioctl - handle @req with argument @arg (a user pointer, or the
	 * integer value for _IO ioctls).  Returns >= 0 or -errno.
	 */
	long (*ioctl)(struct vkvm_file *file, unsigned long req,
		      unsigned long arg);
	/* release - the last reference is gone; free @file->priv's share. */
	void (*release)(struct vkvm_file *file);
};

struct vkvm_file {
	atomic_int refs;
	int fd;
	dev_t dev; /* identity of the OS file, to find dup()ed fds */
	ino_t ino;
	const struct vkvm_file_ops *ops;
	void *priv;
	size_t mem_size; /* size of the backing memfd (vCPU: kvm_run) */
	bool installed; /* was in the table: the release hook runs */
	struct vkvm_file *next_free; /* on the free list (file.c) */
};

/*
 * file_alloc - create a memfd of @mem_size bytes for a file with @ops and
 * @priv, not yet visible in the fd table.  Returns the file or NULL with
 * *@err = -errno (EMFILE, ENFILE, ENOMEM).  Finish with file_install() or
 * undo with file_discard().
 */
struct vkvm_file *file_alloc(const struct vkvm_file_ops *ops, void *priv,
			     size_t mem_size, int *err);

/* file_install - publish @file in the fd table: its fd, or -ENOMEM, or
 * -EMFILE for an fd number beyond the table's reach (4M). */
int file_install(struct vkvm_file *file);

/* file_discard - close and free a file that was never installed; the
 * release hook is not called. */
void file_discard(struct vkvm_file *file);

/*
 * file_create - create a memfd of @mem_size bytes (0 allowed), register it
 * with @ops/@priv and return the new fd (>= 0), or -errno (EMFILE, ENFILE,
 * ENOMEM).  On success *@filep (if not NULL) receives the file, which the
 * fd owns: the caller must not put it.  On failure nothing is registered
 * and the release hook is not called.
 */
int file_create(const struct vkvm_file_ops *ops, void *priv, size_t mem_size,
		struct vkvm_file **filep);

/*
 * file_get - look up @fd and take a reference.  Returns the file or NULL
 * with *@err set: -EBADF if @fd is not open, -ENOTTY if it is open but not
 * a vkvm file.
 */
struct vkvm_file *file_get(int fd, int *err);

/* file_put - drop a reference taken by file_get (may release the file). */
void file_put(struct vkvm_file *file);

/*
 * file_close - unregister @fd, close the OS fd and drop the fd's
 * reference.  Returns 0 or -EBADF.
 */
int file_close(int fd);

#endif /* VKVM_API_FILE_H */
