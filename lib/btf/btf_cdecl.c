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
		       bool whole, struct xctl_err *err)
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
		/* An object's typeless externs (__ksym) are void variables. */
		if (whole && btf_var(t)->linkage == BTF_VAR_GLOBAL_EXTERN)
			return 0;
		return xbtf_size(btf, t->type, &size, err);
	case BTF_KIND_DATASEC:
		for (i = 0; i < btf_vlen(t); i++) {
			mt = btf__type_by_id(btf, btf_var_secinfos(t)[i].type);
			/* An object's .ksyms section lists kfuncs (FUNC). */
			if (btf_is_var(mt) || (whole && btf_is_func(mt)))
				continue;
			return xbtf_malformed(err, "%s lists a non-variable",
					      xbtf_desc(btf, id, d, sizeof(d)));
		}
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
static int check_for_dump(const struct btf *btf, uint32_t root, bool whole,
			  struct xctl_err *err)
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
	/* Everything reachable from root (whole: every type), following all references. */
	for (i = whole ? 1 : root; i < (whole ? n : root + 1); i++) {
		color[i] = 1;
		stack[sp++] = i;
	}
	while (sp) {
		id = stack[--sp];
		t = btf__type_by_id(btf, id);
		r = check_shape(btf, id, t, whole, err);
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

int xbtf_check_all(const struct btf *btf, struct xctl_err *err)
{
	return xbtf_check_refs(btf, err) ?: check_for_dump(btf, 0, true, err);
}

/*
 * btf_dump prints anonymous structs, unions and enums inline wherever they
 * are used (members, pointers to them, arrays of them), so BTF where an
 * anonymous type holds several members of another anonymous type, which
 * holds several of a third... declares in exponential size: a few KiB of
 * BTF give hundreds of MiB of C. Count the lines the declaration would
 * have, anonymous types expanded where used and named ones once, and refuse
 * past XBTF_MAX_DECL_LINES or XBTF_MAX_DEPTH levels of inline nesting.
 */
#define XBTF_MAX_DECL_LINES	(1U << 16)

struct expand {
	const struct btf *btf;
	uint64_t *memo;		/* inline lines of an anonymous type, +1; 0 unknown */
	uint8_t *named_done;
	uint64_t total;
	struct xctl_err *err;
};

static bool inline_kind(const struct btf_type *t)
{
	return !t->name_off && (btf_is_composite(t) || btf_is_any_enum(t));
}

static int expand_type(struct expand *x, uint32_t id, int depth, uint64_t *lines);

/* Lines that a use of type id adds where it is used. */
static int expand_use(struct expand *x, uint32_t id, int depth, uint64_t *lines)
{
	const struct btf_type *t;
	uint64_t sub;
	int hops, r;

	*lines = 0;
	for (hops = 0; id && hops <= XBTF_MAX_CHAIN * 4; hops++) {
		t = btf__type_by_id(x->btf, id);
		if (inline_kind(t) || btf_is_func_proto(t)) {
			r = expand_type(x, id, depth + 1, &sub);
			*lines += sub;
			return r;
		}
		if (!btf_is_ptr(t) && !btf_is_array(t) && !btf_is_mod(t)) {
			/* Named: declared once on its own (counted by the caller). */
			return 0;
		}
		id = btf_is_array(t) ? btf_array(t)->type : t->type;
	}
	return 0;
}

static int expand_type(struct expand *x, uint32_t id, int depth, uint64_t *lines)
{
	const struct btf_type *t = btf__type_by_id(x->btf, id);
	uint64_t sum = 2, sub;	/* opening and closing line */
	char d[160];
	uint32_t i;
	int r;

	if (depth > XBTF_MAX_DEPTH)
		return xbtf_malformed(x->err, "%s nests anonymous types deeper than %d levels",
				      xbtf_desc(x->btf, id, d, sizeof(d)), XBTF_MAX_DEPTH);
	if (x->memo[id]) {
		*lines = x->memo[id] - 1;
		return 0;
	}
	if (btf_is_composite(t) || btf_is_func_proto(t)) {
		for (i = 0; i < btf_vlen(t) && sum <= XBTF_MAX_DECL_LINES; i++) {
			r = expand_use(x, btf_is_composite(t) ? btf_members(t)[i].type
							      : btf_params(t)[i].type,
				       depth, &sub);
			if (r)
				return r;
			sum += 1 + sub;
		}
		if (btf_is_func_proto(t)) {
			r = expand_use(x, t->type, depth, &sub);
			if (r)
				return r;
			sum += sub;
		}
	} else {
		sum += btf_vlen(t);
	}
	if (sum > XBTF_MAX_DECL_LINES)
		return xbtf_malformed(x->err, "the C declaration of %s would have more than %u lines",
				      xbtf_desc(x->btf, id, d, sizeof(d)), XBTF_MAX_DECL_LINES);
	x->memo[id] = sum + 1;
	*lines = sum;
	return 0;
}

/* Every named type root needs is declared once; sum their expansions. */
static int check_expansion(const struct btf *btf, uint32_t root, struct xctl_err *err)
{
	uint32_t n = btf__type_cnt(btf), sp = 0, id, e;
	struct expand x = { .btf = btf, .err = err };
	uint32_t *stack = calloc(n, sizeof(*stack));
	const struct btf_type *t;
	uint64_t lines;
	char d[160];
	int r = 0;

	x.memo = calloc(n, sizeof(*x.memo));
	x.named_done = calloc(n, 1);
	if (!stack || !x.memo || !x.named_done) {
		r = xctl_errf(err, ENOMEM, "cannot check BTF for its declaration size");
		goto out;
	}
	x.named_done[root] = 1;
	stack[sp++] = root;
	while (sp) {
		id = stack[--sp];
		t = btf__type_by_id(btf, id);
		r = btf_is_composite(t) || btf_is_any_enum(t) ? expand_type(&x, id, 0, &lines)
							       : expand_use(&x, id, 0, &lines);
		if (r)
			goto out;
		x.total += lines;
		if (x.total > XBTF_MAX_DECL_LINES) {
			r = xbtf_malformed(err, "the C declaration of %s would have more than %u lines",
					   xbtf_desc(btf, root, d, sizeof(d)), XBTF_MAX_DECL_LINES);
			goto out;
		}
		for (e = 0; e < n_edges(t); e++) {
			id = edge(t, e);
			if (id && !x.named_done[id]) {
				x.named_done[id] = 1;
				stack[sp++] = id;
			}
		}
	}
out:
	free(stack);
	free(x.memo);
	free(x.named_done);
	return r;
}

/* Output past this is refused, whatever the BTF (belt and braces). */
#define XBTF_MAX_DECL_BYTES	(16U << 20)

struct cdecl_out {
	FILE *f;
	size_t bytes;
	bool overflow;
};

static void cdecl_printf(void *ctx, const char *fmt, va_list args)
{
	struct cdecl_out *o = ctx;
	int n;

	if (o->overflow)
		return;
	n = vfprintf(o->f, fmt, args);
	if (n > 0)
		o->bytes += n;
	if (o->bytes > XBTF_MAX_DECL_BYTES)
		o->overflow = true;
}

/* xctl's own text between btf_dump's, counted against the same bound. */
static void cdecl_text(struct cdecl_out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cdecl_printf(o, fmt, ap);
	va_end(ap);
}

/* Kinds btf_dump__dump_type() prints a definition for. */
static bool has_definition(const struct btf_type *t)
{
	return btf_is_composite(t) || btf_is_any_enum(t) || btf_is_typedef(t) ||
	       btf_is_fwd(t);
}

/* "<type> <name>;" after the definitions the type needs. */
static int emit_named(struct btf_dump *d, struct cdecl_out *o, uint32_t type_id,
		      const char *name)
{
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, dopts, .field_name = name);
	int r;

	r = type_id ? btf_dump__dump_type(d, type_id) : 0;
	if (r)
		return r;
	r = btf_dump__emit_type_decl(d, type_id, &dopts);
	cdecl_text(o, "%s", *name ? ";\n" : "\n");
	return r;
}

static int emit(const struct btf *btf, struct btf_dump *d, struct cdecl_out *o, uint32_t id,
		const struct btf_type *t)
{
	const struct btf_var_secinfo *vi;
	const struct btf_type *vt;
	uint16_t i;
	int r;

	switch (btf_kind(t)) {
	case BTF_KIND_VAR:
		return emit_named(d, o, t->type, btf__str_by_offset(btf, t->name_off));
	case BTF_KIND_FUNC:
		return emit_named(d, o, t->type, btf__str_by_offset(btf, t->name_off));
	case BTF_KIND_DATASEC:
		/* The section's variables, as a skeleton lays them out. */
		cdecl_text(o, "/* section %s */\n", btf__str_by_offset(btf, t->name_off));
		vi = btf_var_secinfos(t);
		for (i = 0; i < btf_vlen(t); i++) {
			vt = btf__type_by_id(btf, vi[i].type);
			if (!btf_is_var(vt))
				return -EINVAL;
			r = emit_named(d, o, vt->type, btf__str_by_offset(btf, vt->name_off));
			if (r)
				return r;
		}
		return 0;
	default:
		if (has_definition(t))
			return btf_dump__dump_type(d, id);
		/* int, pointers, arrays...: the type after what it needs. */
		return emit_named(d, o, id, "");
	}
}

int xctl_btf_c_decl(const struct btf *btf, uint32_t type_id, char **out,
		    struct xctl_err *err)
{
	struct cdecl_out out_ctx = {};
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
		return xctl_ret(r);
	t = xbtf_type(btf, type_id, err);
	if (!t)
		return xctl_ret(-EINVAL);
	r = check_for_dump(btf, type_id, false, err) ?: check_expansion(btf, type_id, err);
	if (r)
		return xctl_ret(r);
	f = open_memstream(&buf, &len);
	if (!f)
		return xctl_errf(err, errno, "cannot declare type %u", type_id);
	out_ctx.f = f;
	d = btf_dump__new(btf, cdecl_printf, &out_ctx, NULL);
	if (!d) {
		r = xctl_errf(err, errno, "cannot declare %s",
			      xbtf_desc(btf, type_id, desc, sizeof(desc)));
		fclose(f);
		free(buf);
		return xctl_ret(r);
	}
	r = emit(btf, d, &out_ctx, type_id, t);
	btf_dump__free(d);
	fclose(f);
	if (!r && out_ctx.overflow) {
		free(buf);
		return xbtf_malformed(err, "the C declaration of %s is larger than %u MiB",
				      xbtf_desc(btf, type_id, desc, sizeof(desc)),
				      XBTF_MAX_DECL_BYTES >> 20);
	}
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

char *xbtf_decl_text(const struct btf *btf, uint32_t type_id, const char *field_name,
		     bool strip_mods)
{
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, o, .field_name = field_name,
		    .strip_mods = strip_mods);
	struct cdecl_out out_ctx = {};
	struct btf_dump *d;
	char *buf = NULL;
	size_t len = 0;
	int r;

	out_ctx.f = open_memstream(&buf, &len);
	if (!out_ctx.f)
		return NULL;
	d = btf_dump__new(btf, cdecl_printf, &out_ctx, NULL);
	if (!d) {
		fclose(out_ctx.f);
		free(buf);
		return NULL;
	}
	r = btf_dump__emit_type_decl(d, type_id, &o);
	btf_dump__free(d);
	fclose(out_ctx.f);
	if (r || out_ctx.overflow || !len) {
		free(buf);
		return NULL;
	}
	return buf;
}
