// SPDX-License-Identifier: GPL-2.0-or-later
/* file.c: the fd table: fd number -> struct vkvm_file, with dup() support. */
#include "api/file.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The table is indexed by fd number and grows on demand.  Lookups take
 * the mutex for a few instructions only (uncontended it costs ~20 ns, far
 * less than the syscall an ioctl on /dev/kvm would cost).
 */
static pthread_mutex_t fd_table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vkvm_file **fd_table;
static size_t fd_table_size;

static int fd_table_grow_locked(int fd)
{
	size_t want = fd_table_size ? fd_table_size : 64;
	struct vkvm_file **t;

	while (want <= (size_t)fd)
		want *= 2;
	if (want == fd_table_size)
		return 0;
	t = realloc(fd_table, want * sizeof(*t));
	if (!t)
		return -ENOMEM;
	memset(t + fd_table_size, 0, (want - fd_table_size) * sizeof(*t));
	fd_table = t;
	fd_table_size = want;
	return 0;
}

struct vkvm_file *file_alloc(const struct vkvm_file_ops *ops, void *priv,
			     size_t mem_size, int *err)
{
	struct vkvm_file *file;
	struct stat st;
	int fd;

	file = calloc(1, sizeof(*file));
	if (!file) {
		*err = -ENOMEM;
		return NULL;
	}
	fd = memfd_create("vkvm", MFD_CLOEXEC);
	if (fd < 0) {
		*err = -errno;
		goto err_free;
	}
	if ((mem_size && ftruncate(fd, (off_t)mem_size) < 0) ||
	    fstat(fd, &st) < 0) {
		*err = -errno;
		goto err_close;
	}
	atomic_init(&file->refs, 1);
	file->fd = fd;
	file->dev = st.st_dev;
	file->ino = st.st_ino;
	file->ops = ops;
	file->priv = priv;
	file->mem_size = mem_size;
	return file;

err_close:
	close(fd);
err_free:
	free(file);
	return NULL;
}

int file_install(struct vkvm_file *file)
{
	int ret;

	pthread_mutex_lock(&fd_table_lock);
	ret = fd_table_grow_locked(file->fd);
	if (!ret)
		fd_table[file->fd] = file;
	pthread_mutex_unlock(&fd_table_lock);
	return ret ? ret : file->fd;
}

void file_discard(struct vkvm_file *file)
{
	close(file->fd);
	free(file);
}

int file_create(const struct vkvm_file_ops *ops, void *priv, size_t mem_size,
		struct vkvm_file **filep)
{
	struct vkvm_file *file;
	int err, fd;

	file = file_alloc(ops, priv, mem_size, &err);
	if (!file)
		return err;
	fd = file_install(file);
	if (fd < 0) {
		file_discard(file);
		return fd;
	}
	if (filep)
		*filep = file;
	return fd;
}

/* A dup()ed fd is not in the table: find its file by inode identity. */
static struct vkvm_file *file_find_dup_locked(const struct stat *st)
{
	for (size_t i = 0; i < fd_table_size; i++) {
		struct vkvm_file *f = fd_table[i];

		if (f && f->dev == st->st_dev && f->ino == st->st_ino)
			return f;
	}
	return NULL;
}

struct vkvm_file *file_get(int fd, int *err)
{
	struct vkvm_file *file = NULL;
	struct stat st;

	if (fd < 0) {
		*err = -EBADF;
		return NULL;
	}
	pthread_mutex_lock(&fd_table_lock);
	if ((size_t)fd < fd_table_size)
		file = fd_table[fd];
	if (file)
		atomic_fetch_add_explicit(&file->refs, 1, memory_order_relaxed);
	pthread_mutex_unlock(&fd_table_lock);
	if (file)
		return file;

	/* Slow path: not one of ours by number; maybe a dup. */
	if (fstat(fd, &st) < 0) {
		*err = -EBADF;
		return NULL;
	}
	pthread_mutex_lock(&fd_table_lock);
	file = file_find_dup_locked(&st);
	if (file)
		atomic_fetch_add_explicit(&file->refs, 1, memory_order_relaxed);
	pthread_mutex_unlock(&fd_table_lock);
	if (!file)
		*err = -ENOTTY;
	return file;
}

void file_put(struct vkvm_file *file)
{
	if (atomic_fetch_sub_explicit(&file->refs, 1, memory_order_acq_rel) !=
	    1)
		return;
	if (file->ops->release)
		file->ops->release(file);
	free(file);
}

int file_close(int fd)
{
	struct vkvm_file *file = NULL;

	if (fd < 0)
		return -EBADF;
	pthread_mutex_lock(&fd_table_lock);
	if ((size_t)fd < fd_table_size) {
		file = fd_table[fd];
		fd_table[fd] = NULL;
	}
	pthread_mutex_unlock(&fd_table_lock);
	if (!file) {
		/* A dup() of one of ours holds no reference: just close it. */
		int err;

		file = file_get(fd, &err);
		if (!file)
			return -EBADF;
		file_put(file);
		return close(fd) ? -errno : 0;
	}
	/*
	 * The OS fd goes now; the memfd's memory stays while the release
	 * hook or a user mapping still refers to it.
	 */
	close(fd);
	file_put(file);
	return 0;
}
