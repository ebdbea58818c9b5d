/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * util.h: small helpers every VMM file uses: error messages that name what
 * is at fault, whole-file reads with a size limit, exit codes.
 */
#ifndef VKVM_VMM_UTIL_H
#define VKVM_VMM_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Exit status of `vkvm run` (documented in docs/vkvm.1). */
enum vmm_exit {
	VMM_EXIT_POWEROFF = 0, /* PSCI SYSTEM_OFF */
	VMM_EXIT_HOST_ERROR = 1, /* a host call or the library failed */
	VMM_EXIT_USAGE = 2, /* bad argument or input file; no guest ran */
	VMM_EXIT_RESET = 3, /* PSCI SYSTEM_RESET */
	VMM_EXIT_TIMEOUT = 4, /* --timeout expired */
	VMM_EXIT_GUEST_ERROR = 5, /* the guest could not go on (crash, ...) */
	VMM_EXIT_QUIT = 6, /* Ctrl-a x, or SIGINT/SIGTERM/SIGHUP */
	VMM_EXIT_BAD_SNAPSHOT = 7, /* restore/inspect: the file is invalid */
	VMM_EXIT_MIGRATED = 8, /* --migrate-to: the guest moved away */
};

/* A message for the user; functions that fail fill it and return -errno. */
struct vmm_err {
	char msg[512];
};

/*
 * vmm_errf - format @fmt into @err (if not NULL) and return -@errnum.
 * Precondition: @errnum > 0.
 */
int vmm_errf(struct vmm_err *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * vmm_host_error - print "vkvm: @what: strerror(errno)" and return
 * VMM_EXIT_HOST_ERROR.  Precondition: errno is the failure's.
 */
int vmm_host_error(const char *what);

/* A file read into memory. */
struct vmm_blob {
	uint8_t *data;
	size_t size;
};

/*
 * vmm_read_file - read all of @path into a new buffer (free with
 * vmm_blob_free()).  Files larger than @max are refused.
 * Returns 0, or -errno with @err naming @path: the open/read errno, EISDIR,
 * EFBIG (larger than @max), ENOMEM.
 */
int vmm_read_file(const char *path, size_t max, struct vmm_blob *blob,
		  struct vmm_err *err);

/*
 * vmm_write_all - write all @len bytes of @buf to @fd (a file, pipe or
 * socket), retrying after EINTR and short writes.  A socket is written
 * with MSG_NOSIGNAL, so a peer that went away is EPIPE, not SIGPIPE.
 * Returns 0 or -errno of the failing write.
 */
int vmm_write_all(int fd, const void *buf, size_t len);

/* vmm_blob_free - free a blob's data (NULL-safe) and clear it. */
void vmm_blob_free(struct vmm_blob *blob);

/* vmm_le16 - the little-endian u16 at @p (any alignment). */
uint16_t vmm_le16(const uint8_t *p);
/* vmm_le32 - the little-endian u32 at @p (any alignment). */
uint32_t vmm_le32(const uint8_t *p);
/* vmm_le64 - the little-endian u64 at @p (any alignment). */
uint64_t vmm_le64(const uint8_t *p);

#endif /* VKVM_VMM_UTIL_H */
