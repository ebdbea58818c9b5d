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
 * The table is two-level: FD_CHUNKS pointers to chunks of FD_CHUNK_SIZE
 * slots, allocated on demand and never freed, so a lookup can index it
 * without a lock.  Writers (install, close, chunk allocation, the free
 * list) serialise on fd_table_lock.
 *
 * A lookup (file_get) is lock-free: it reads the slot, takes a reference
 * unless the count is already zero, and checks that the slot still holds
 * the file; otherwise it drops the reference and tries again.  This is
 * safe because a struct vkvm_file is never freed, only put on the free
 * list and reused for a later file: a stale pointer still points at a
 * struct vkvm_file.  A slot holds a reference (the fd's), so a file in a
 * slot never has a count of zero.  This keeps two atomic operations and a
 * mutex round trip off every ioctl (bench/api_bench.c measures it).
 */
#define FD_CHUNK_SHIFT 10
#define FD_CHUNK_SIZE (1U << FD_CHUNK_SHIFT)
#define FD_CHUNKS 4096U /* fds below 4M; Linux's default nr_open is 1M */

struct fd_chunk {
	_Atomic(struct vkvm_file *) slot[FD_CHUNK_SIZE];
};

static pthread_mutex_t fd_table_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(struct fd_chunk *) fd_chunks[FD_CHUNKS];
static struct vkvm_file *file_free_list; /* under fd_table_lock */

/* The slot of @fd, or NULL if its chunk does not exist (yet). */
static _Atomic(struct vkvm_file *) *fd_slot(int fd)
{
	struct fd_chunk *chunk;

	if (fd < 0 || (unsigned int)fd >= FD_CHUNKS * FD_CHUNK_SIZE)
		return NULL;
	chunk = atomic_load_explicit(&fd_chunks[fd >> FD_CHUNK_SHIFT],
				     memory_order_acquire);
	return chunk ? &chunk->slot[fd & (FD_CHUNK_SIZE - 1)] : NULL;
}

/* The slot of @fd, allocating its chunk: NULL with *@err set if not. */
static _Atomic(struct vkvm_file *) *fd_slot_alloc_locked(int fd, int *err)
{
	_Atomic(struct vkvm_file *) *slot = fd_slot(fd);
	struct fd_chunk *chunk;

	if (slot)
		return slot;
	if (fd < 0 || (unsigned int)fd >= FD_CHUNKS * FD_CHUNK_SIZE) {
		*err = -EMFILE;
		return NULL;
	}
	chunk = calloc(1, sizeof(*chunk));
	if (!chunk) {
		*err = -ENOMEM;
		return NULL;
	}
	atomic_store_explicit(&fd_chunks[fd >> FD_CHUNK_SHIFT], chunk,
			      memory_order_release);
	return fd_slot(fd);
}

/* A zeroed struct vkvm_file with one reference, from the free list or
 * malloc; NULL on allocation failure. */
static struct vkvm_file *file_struct_get(void)
{
	struct vkvm_file *file;

	pthread_mutex_lock(&fd_table_lock);
	file = file_free_list;
	if (file)
		file_free_list = file->next_free;
	pthread_mutex_unlock(&fd_table_lock);
	if (!file)
		file = calloc(1, sizeof(*file));
	if (!file)
		return NULL;
	/* A stale lookup may still look at refs: keep it atomic. */
	file->fd = -1;
	file->dev = 0;
	file->ino = 0;
	file->ops = NULL;
	file->priv = NULL;
	file->mem_size = 0;
	file->installed = false;
	file->next_free = NULL;
	atomic_store(&file->refs, 1);
	return file;
}

/* Put a struct vkvm_file whose count reached zero on the free list. */
static void file_struct_put(struct vkvm_file *file)
{
	pthread_mutex_lock(&fd_table_lock);
	file->next_free = file_free_list;
	file_free_list = file;
	pthread_mutex_unlock(&fd_table_lock);
}

struct vkvm_file *file_alloc(const struct vkvm_file_ops *ops, void *priv,
			     size_t mem_size, int *err)
{
	struct vkvm_file *file;
	struct stat st;
	int fd;

	file = file_struct_get();
	if (!file) {
		*err = -ENOMEM;
		return NULL;
	}
	fd = memfd_create("vkvm", MFD_CLOEXEC);
	if (fd < 0) {
		*err = -errno;
		goto err_put;
	}
	if ((mem_size && ftruncate(fd, (off_t)mem_size) < 0) ||
	    fstat(fd, &st) < 0) {
		*err = -errno;
		goto err_close;
	}
	file->fd = fd;
	file->dev = st.st_dev;
	file->ino = st.st_ino;
	file->ops = ops;
	file->priv = priv;
	file->mem_size = mem_size;
	return file;

err_close:
	close(fd);
err_put:
	file_put(file);
	return NULL;
}

int file_install(struct vkvm_file *file)
{
	_Atomic(struct vkvm_file *) *slot;
	int ret = 0;

	pthread_mutex_lock(&fd_table_lock);
	slot = fd_slot_alloc_locked(file->fd, &ret);
	if (slot) {
		file->installed = true;
		atomic_store_explicit(slot, file, memory_order_release);
	}
	pthread_mutex_unlock(&fd_table_lock);
	return ret ? ret : file->fd;
}

void file_discard(struct vkvm_file *file)
{
	/* Never installed: the last put only recycles the struct. */
	close(file->fd);
	file_put(file);
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

/* Take a reference unless the count already reached zero. */
static bool file_tryget(struct vkvm_file *file)
{
	int refs = atomic_load_explicit(&file->refs, memory_order_relaxed);

	do {
		if (refs == 0)
			return false;
	} while (!atomic_compare_exchange_weak_explicit(
		&file->refs, &refs, refs + 1, memory_order_acquire,
		memory_order_relaxed));
	return true;
}

/* The file in @fd's slot with a reference taken, or NULL (lock-free). */
static struct vkvm_file *file_lookup(int fd)
{
	_Atomic(struct vkvm_file *) *slot = fd_slot(fd);
	struct vkvm_file *file;

	if (!slot)
		return NULL;
	for (;;) {
		file = atomic_load_explicit(slot, memory_order_acquire);
		if (!file)
			return NULL;
		if (file_tryget(file)) {
			if (atomic_load_explicit(slot, memory_order_acquire) ==
			    file)
				return file;
			file_put(file);
		}
	}
}

/* A dup()ed fd is not in the table: find its file by inode identity. */
static struct vkvm_file *file_find_dup_locked(const struct stat *st)
{
	for (unsigned int c = 0; c < FD_CHUNKS; c++) {
		struct fd_chunk *chunk = atomic_load_explicit(
			&fd_chunks[c], memory_order_relaxed);

		for (unsigned int i = 0; chunk && i < FD_CHUNK_SIZE; i++) {
			struct vkvm_file *f = atomic_load_explicit(
				&chunk->slot[i], memory_order_relaxed);

			if (f && f->dev == st->st_dev && f->ino == st->st_ino)
				return f;
		}
	}
	return NULL;
}

struct vkvm_file *file_get(int fd, int *err)
{
	struct vkvm_file *file;
	struct stat st;

	if (fd < 0) {
		*err = -EBADF;
		return NULL;
	}
	file = file_lookup(fd);
	if (file)
		return file;

	/*
	 * Slow path: not one of ours by number; maybe a dup.  Under the
	 * lock, so that no file_close() closes the fd under our fstat().
	 */
	*err = -EBADF;
	pthread_mutex_lock(&fd_table_lock);
	if (fstat(fd, &st) == 0) {
		*err = -ENOTTY;
		file = file_find_dup_locked(&st);
	}
	if (file) /* in a slot, so its count is not zero */
		atomic_fetch_add_explicit(&file->refs, 1, memory_order_relaxed);
	pthread_mutex_unlock(&fd_table_lock);
	return file;
}

void file_put(struct vkvm_file *file)
{
	if (atomic_fetch_sub_explicit(&file->refs, 1, memory_order_acq_rel) !=
	    1)
		return;
	if (file->installed && file->ops->release)
		file->ops->release(file);
	file_struct_put(file);
}

/* Close a dup() of one of ours: it holds no reference.  0 or -EBADF. */
static int file_close_dup_locked(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || !file_find_dup_locked(&st))
		return -EBADF;
	return close(fd) ? -errno : 0;
}

int file_close(int fd)
{
	_Atomic(struct vkvm_file *) *slot;
	struct vkvm_file *file = NULL;
	int ret = 0;

	if (fd < 0)
		return -EBADF;
	/*
	 * The OS fd is closed under the lock too, so that the slow path of
	 * file_get() sees it either open or closed.  The memfd's memory stays
	 * while the release hook or a user mapping still refers to it.
	 */
	pthread_mutex_lock(&fd_table_lock);
	slot = fd_slot(fd);
	if (slot)
		file = atomic_exchange_explicit(slot, NULL,
						memory_order_acq_rel);
	if (file)
		close(fd);
	else
		ret = file_close_dup_locked(fd);
	pthread_mutex_unlock(&fd_table_lock);
	if (file)
		file_put(file);
	return ret;
}
