/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mem_source.h: a byte stream served from memory in short reads, as a
 * socket delivers it, for tests and fuzz harnesses of stream readers
 * (mig_read_stream's read callback).
 */
#ifndef VKVM_TESTS_MEM_SOURCE_H
#define VKVM_TESTS_MEM_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct mem_source {
	const uint8_t *p; /* next byte */
	size_t left; /* bytes not read yet */
	size_t step; /* most bytes one read returns (> 0) */
};

/* mem_source_read - a read callback: up to @len bytes (at most ->step)
 * from the struct mem_source @opaque; 0 at its end. */
static inline long mem_source_read(void *opaque, void *buf, size_t len)
{
	struct mem_source *s = opaque;

	if (len > s->left)
		len = s->left;
	if (len > s->step)
		len = s->step;
	if (!len)
		return 0;
	memcpy(buf, s->p, len);
	s->p += len;
	s->left -= len;
	return (long)len;
}

#endif /* VKVM_TESTS_MEM_SOURCE_H */
