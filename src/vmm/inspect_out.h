/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * inspect_out.h: one small emitter behind `vkvm inspect`'s two formats:
 * the same calls print JSON, or text where top-level objects are headed
 * sections of "key: value" lines and array elements are one line each.
 */
#ifndef VKVM_VMM_INSPECT_OUT_H
#define VKVM_VMM_INSPECT_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define INSPECT_MAX_DEPTH 8

struct inspect_out {
	FILE *f;
	bool json;
	int depth;
	bool first[INSPECT_MAX_DEPTH]; /* no member printed yet at a level */
	bool in_array[INSPECT_MAX_DEPTH];
	int line_depth; /* text: depth of the one-line element, or -1 */
};

void inspect_out_init(struct inspect_out *o, FILE *f, bool json);
/* Open an object or array under @key (NULL inside arrays). */
void inspect_obj(struct inspect_out *o, const char *key);
void inspect_arr(struct inspect_out *o, const char *key);
void inspect_end(struct inspect_out *o);
void inspect_u64(struct inspect_out *o, const char *key, uint64_t v);
void inspect_hex(struct inspect_out *o, const char *key, uint64_t v);
void inspect_i64(struct inspect_out *o, const char *key, int64_t v);
void inspect_bool(struct inspect_out *o, const char *key, bool v);
/* A string of @len bytes (NUL bytes shown as spaces). */
void inspect_str(struct inspect_out *o, const char *key, const char *s,
		 size_t len);
/* inspect_done - close the top level and end the output. */
void inspect_done(struct inspect_out *o);

#endif /* VKVM_VMM_INSPECT_OUT_H */
