// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * C declaration of a BTF type (xctl_btf_c_decl), through libbpf's btf_dump:
 * the type and every type it needs, as `bpftool btf dump ... format c` prints
 * them. libbpf 1.1 trusts the BTF it dumps (ids in range, no reference
 * loops), so both are checked here first.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "xctl_priv.h"
#include "btf_priv.h"

/* Types a type refers to: edge i of t (count: n_edges). */
static uint32_t n_edges(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 1;
	case BTF_KIND_ARRAY:
		return 2;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_DATASEC:
		return btf_vlen(t);
	case BTF_KIND_FUNC_PROTO:
		return 1 + btf_vlen(t);
	default:
		return 0;
	}
}

static uint32_t edge(const struct btf_type *t, uint32_t i)
{
	switch (btf_kind(t)) {
	case BTF_KIND_ARRAY:
		return i ? btf_array(t)->index_type : btf_array(t)->type;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return btf_members(t)[i].type;
	case BTF_KIND_DATASEC:
		return btf_var_secinfos(t)[i].type;
	case BTF_KIND_FUNC_PROTO:
		return i ? btf_params(t)[i - 1].type : t->type;
	default:
		return t->type;
	}
}

/*
 * What btf_dump takes for granted about one type: sane int/enum/float sizes
 * (it divides by alignments derived from them), members that have a size
 * and lie inside their struct, array sizes that do not overflow, sections
 * made of variables, functions with a prototype.
 */
static int check_shape(const struct btf *btf, uint32_t id, const struct btf_type *t,
		       struct xctl_err *err)
{
	const struct btf_type *mt;
	uint32_t nbits, mid;
	uint64_t off, size;
	char d[160];
	int i, r;

	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
		return xbtf_check_scalar(btf, id, t, err);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		for (i = 0; i < btf_vlen(t); i++) {
			r = xbtf_member_loc(btf, id, t, i, &off, &nbits, &mid, &mt, err);
			if (r)
				return r;
		}
		return 0;
	case BTF_KIND_ARRAY:
		return xbtf_size(btf, id, &size, err);
	case BTF_KIND_VAR:
		return xbtf_size(btf, t->type, &size, err);
	case BTF_KIND_DATASEC:
		for (i = 0; i < btf_vlen(t); i++)
			if (!btf_is_var(btf__type_by_id(btf, btf_var_secinfos(t)[i].type)))
				return xbtf_malformed(err, "%s lists a non-variable",
						      xbtf_desc(btf, id, d, sizeof(d)));
		return 0;
	case BTF_KIND_FUNC:
		if (!btf_is_func_proto(btf__type_by_id(btf, t->type)))
			return xbtf_malformed(err, "function %s has no prototype",
					      xbtf_desc(btf, id, d, sizeof(d)));
		return 0;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		r = xbtf_skip(btf, id, &mt, err);
		return r < 0 ? r : 0;
	default:
		return 0;
	}
}

/*
 * libbpf's btf_dump recurses along typedef, modifier, pointer, array and
 * function prototype references without loop detection (only structs and
 * unions are marked while being ordered), so a loop made only of those
 * kinds would recurse forever. Find any such loop among the types reachable
 * from root: a cycle in the reference graph where structs and unions have
 * no outgoing edges. The reachable types are checked with check_shape()
 * on the way. Ids must already be known to be in range.
 */
static int check_for_dump(const struct btf *btf, uint32_t root, struct xctl_err *err)
{
	uint32_t n = btf__type_cnt(btf), sp = 0, i, id, e;
	uint32_t *stack = calloc(n, sizeof(*stack));
	uint32_t *next = calloc(n, sizeof(*next));
	uint8_t *color = calloc(n, 1);	/* 0 unseen, 1 reached, 2 on path, 3 done */
	const struct btf_type *t;
	char d[160];
	int r = 0;

	if (!stack || !next || !color) {
		r = xctl_errf(err, ENOMEM, "cannot check BTF for loops");
		goto out;
	}
	/* Everything reachable from root, following all references. */
	color[root] = 1;
	stack[sp++] = root;
	while (sp) {
		id = stack[--sp];
		t = btf__type_by_id(btf, id);
		r = check_shape(btf, id, t, err);
		if (r)
			goto out;
		for (e = 0; e < n_edges(t); e++) {
			id = edge(t, e);
			if (id && !color[id]) {
				color[id] = 1;
				stack[sp++] = id;
			}
		}
	}
	/* Depth-first search for a cycle, structs and unions being sinks. */
	for (i = 1; i < n; i++) {
		if (color[i] != 1)
			continue;
		color[i] = 2;
		next[i] = 0;
		stack[sp++] = i;
		while (sp) {
			id = stack[sp - 1];
			t = btf__type_by_id(btf, id);
			if (btf_is_composite(t) || next[id] >= n_edges(t)) {
				color[id] = 3;
				sp--;
				continue;
			}
			e = edge(t, next[id]++);
			if (!e || color[e] == 3)
				continue;
			if (color[e] == 2) {
				r = xbtf_malformed(err,
						   "type %s is part of a reference loop",
						   xbtf_desc(btf, e, d, sizeof(d)));
				goto out;
			}
			color[e] = 2;
			next[e] = 0;
			stack[sp++] = e;
		}
	}
out:
	free(stack);
	free(next);
	free(color);
	return r;
}

static void cdecl_printf(void *ctx, const char *fmt, va_list args)
{
	vfprintf(ctx, fmt, args);
}

/* Kinds btf_dump__dump_type() prints a definition for. */
static bool has_definition(const struct btf_type *t)
{
	return btf_is_composite(t) || btf_is_any_enum(t) || btf_is_typedef(t) ||
	       btf_is_fwd(t);
}

/* "<type> <name>;" after the definitions the type needs. */
static int emit_named(struct btf_dump *d, FILE *f, uint32_t type_id, const char *name)
{
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, dopts, .field_name = name);
	int r;

	r = type_id ? btf_dump__dump_type(d, type_id) : 0;
	if (r)
		return r;
	r = btf_dump__emit_type_decl(d, type_id, &dopts);
	fputs(*name ? ";\n" : "\n", f);
	return r;
}

static int emit(const struct btf *btf, struct btf_dump *d, FILE *f, uint32_t id,
		const struct btf_type *t)
{
	const struct btf_var_secinfo *vi;
	const struct btf_type *vt;
	uint16_t i;
	int r;

	switch (btf_kind(t)) {
	case BTF_KIND_VAR:
		return emit_named(d, f, t->type, btf__str_by_offset(btf, t->name_off));
	case BTF_KIND_FUNC:
		return emit_named(d, f, t->type, btf__str_by_offset(btf, t->name_off));
	case BTF_KIND_DATASEC:
		/* The section's variables, as a skeleton lays them out. */
		fprintf(f, "/* section %s */\n", btf__str_by_offset(btf, t->name_off));
		vi = btf_var_secinfos(t);
		for (i = 0; i < btf_vlen(t); i++) {
			vt = btf__type_by_id(btf, vi[i].type);
			if (!btf_is_var(vt))
				return -EINVAL;
			r = emit_named(d, f, vt->type, btf__str_by_offset(btf, vt->name_off));
			if (r)
				return r;
		}
		return 0;
	default:
		if (has_definition(t))
			return btf_dump__dump_type(d, id);
		/* int, pointers, arrays...: the type after what it needs. */
		return emit_named(d, f, id, "");
	}
}

int xctl_btf_c_decl(const struct btf *btf, uint32_t type_id, char **out,
		    struct xctl_err *err)
{
	const struct btf_type *t;
	struct btf_dump *d;
	char *buf = NULL;
	size_t len = 0;
	char desc[160];
	FILE *f;
	int r;

	*out = NULL;
	if (!btf)
		return xctl_errf(err, EINVAL, "no BTF to declare type %u from", type_id);
	r = xbtf_check_refs(btf, err);
	if (r)
		return r;
	t = xbtf_type(btf, type_id, err);
	if (!t)
		return -EINVAL;
	r = check_for_dump(btf, type_id, err);
	if (r)
		return r;
	f = open_memstream(&buf, &len);
	if (!f)
		return xctl_errf(err, errno, "cannot declare type %u", type_id);
	d = btf_dump__new(btf, cdecl_printf, f, NULL);
	if (!d) {
		r = xctl_errf(err, errno, "cannot declare %s",
			      xbtf_desc(btf, type_id, desc, sizeof(desc)));
		fclose(f);
		free(buf);
		return r;
	}
	r = emit(btf, d, f, type_id, t);
	btf_dump__free(d);
	fclose(f);
	if (r) {
		free(buf);
		return xctl_errf(err, r, "cannot declare %s in C",
				 xbtf_desc(btf, type_id, desc, sizeof(desc)));
	}
	/* btf_dump ends each definition with a blank line; keep one newline. */
	while (len > 1 && buf[len - 1] == '\n' && buf[len - 2] == '\n')
		buf[--len] = '\0';
	*out = buf;
	return 0;
}
