// SPDX-License-Identifier: GPL-2.0-or-later
/* inspect_out.c: the text/JSON emitter of `vkvm inspect`. */
#include "inspect_out.h"

#include <inttypes.h>
#include <string.h>

void inspect_out_init(struct inspect_out *o, FILE *f, bool json)
{
	memset(o, 0, sizeof(*o));
	o->f = f;
	o->json = json;
	o->first[0] = true;
	o->line_depth = -1;
	if (json)
		fputc('{', f);
}

static void indent(struct inspect_out *o, int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", o->f);
}

/* Separator and key before a member. */
static void member(struct inspect_out *o, const char *key)
{
	bool first = o->first[o->depth];

	o->first[o->depth] = false;
	if (o->json) {
		fputs(first ? "" : ",", o->f);
		if (key)
			fprintf(o->f, "\"%s\":", key);
		return;
	}
	if (o->line_depth >= 0) { /* inside a one-line element */
		fprintf(o->f, first ? "%s=" : " %s=", key ? key : "");
		return;
	}
	indent(o, o->depth);
	if (key)
		fprintf(o->f, "%s: ", key);
}

static void open_nested(struct inspect_out *o, const char *key, bool array)
{
	bool element = o->in_array[o->depth];

	if (o->depth + 1 >= INSPECT_MAX_DEPTH)
		return;
	if (o->json || o->line_depth >= 0) { /* JSON, or nested in a line */
		member(o, key);
		fputc(array ? '[' : '{', o->f);
	} else if (element) { /* text: an array element is one line */
		o->first[o->depth] = false;
		indent(o, o->depth);
		o->line_depth = o->depth + 1;
	} else { /* text: a headed section */
		o->first[o->depth] = false;
		indent(o, o->depth);
		fprintf(o->f, "%s:\n", key ? key : "");
	}
	o->depth++;
	o->first[o->depth] = true;
	o->in_array[o->depth] = array;
}

void inspect_obj(struct inspect_out *o, const char *key)
{
	open_nested(o, key, false);
}

void inspect_arr(struct inspect_out *o, const char *key)
{
	open_nested(o, key, true);
}

void inspect_end(struct inspect_out *o)
{
	if (o->depth == 0)
		return;
	if (o->json || o->line_depth >= 0) {
		if (o->line_depth == o->depth)
			fputc('\n', o->f);
		else
			fputc(o->in_array[o->depth] ? ']' : '}', o->f);
	}
	if (o->line_depth == o->depth)
		o->line_depth = -1;
	o->depth--;
}

static void value_end(struct inspect_out *o)
{
	if (!o->json && o->line_depth < 0)
		fputc('\n', o->f);
}

void inspect_u64(struct inspect_out *o, const char *key, uint64_t v)
{
	member(o, key);
	fprintf(o->f, "%" PRIu64, v);
	value_end(o);
}

void inspect_hex(struct inspect_out *o, const char *key, uint64_t v)
{
	member(o, key);
	fprintf(o->f, o->json ? "\"0x%" PRIx64 "\"" : "0x%" PRIx64, v);
	value_end(o);
}

void inspect_i64(struct inspect_out *o, const char *key, int64_t v)
{
	member(o, key);
	fprintf(o->f, "%" PRId64, v);
	value_end(o);
}

void inspect_bool(struct inspect_out *o, const char *key, bool v)
{
	member(o, key);
	fputs(o->json ? (v ? "true" : "false") : (v ? "yes" : "no"), o->f);
	value_end(o);
}

void inspect_str(struct inspect_out *o, const char *key, const char *s,
		 size_t len)
{
	member(o, key);
	if (o->json)
		fputc('"', o->f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0)
			c = ' ';
		if (o->json && (c == '"' || c == '\\'))
			fprintf(o->f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(o->f, o->json ? "\\u%04x" : "\\x%02x", c);
		else
			fputc(c, o->f);
	}
	if (o->json)
		fputc('"', o->f);
	value_end(o);
}

void inspect_done(struct inspect_out *o)
{
	while (o->depth > 0)
		inspect_end(o);
	if (o->json)
		fputs("}\n", o->f);
}
