// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BTF building blocks of the control types: structs synthesised from name
 * lists (ethtool string sets), deep copies of kernel types into a BTF that
 * can be loaded into the kernel (for `control pin`), and kernel info structs
 * fetched with the size the running kernel's BTF gives them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "xctl_priv.h"
#include "control_type.h"

void xctl_ctl_ident(const char *s, char *out, size_t outsz)
{
	size_t i = 0;

	if (!outsz)
		return;
	if (isdigit((unsigned char)*s) && i + 1 < outsz)
		out[i++] = '_';
	for (; *s && i + 1 < outsz; s++)
		out[i++] = isalnum((unsigned char)*s) || *s == '_' ? *s : '_';
	if (!i && outsz > 1)
		out[i++] = '_';
	out[i] = '\0';
}

static bool name_used(char **used, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(used[i], name))
			return true;
	return false;
}

int xctl_ctl_btf_u64_struct(struct btf *btf, const char *name,
			    const char *const *names, size_t n)
{
	char ident[256], uniq[272];
	char **used;
	size_t i, k;
	int u64, id, r = 0;

	if (n > 0xffff || n * 8 > UINT32_MAX)
		return -E2BIG;
	used = calloc(n ? n : 1, sizeof(*used));
	if (!used)
		return -ENOMEM;
	u64 = btf__find_by_name_kind(btf, "__u64", BTF_KIND_TYPEDEF);
	if (u64 < 0) {
		u64 = btf__add_int(btf, "unsigned long long", 8, 0);
		if (u64 > 0)
			u64 = btf__add_typedef(btf, "__u64", u64);
	}
	if (u64 < 0) {
		r = u64;
		goto out;
	}
	/* Member names first: btf__add_field must follow btf__add_struct. */
	for (i = 0; i < n; i++) {
		xctl_ctl_ident(names[i], ident, sizeof(ident));
		snprintf(uniq, sizeof(uniq), "%s", ident);
		for (k = 2; name_used(used, i, uniq); k++)
			snprintf(uniq, sizeof(uniq), "%s_%zu", ident, k);
		used[i] = strdup(uniq);
		if (!used[i]) {
			r = -ENOMEM;
			goto out;
		}
	}
	id = btf__add_struct(btf, name, n * 8);
	if (id < 0) {
		r = id;
		goto out;
	}
	for (i = 0; i < n; i++) {
		r = btf__add_field(btf, used[i], u64, i * 64, 0);
		if (r < 0)
			goto out;
	}
	r = id;
out:
	for (i = 0; i < n; i++)
		free(used[i]);
	free(used);
	return r;
}

struct copy_ctx {
	struct btf *dst;
	const struct btf *src;
	int *map;		/* src id -> dst id, 0 = not copied yet */
	int void_ptr;
};

static int copy_type(struct copy_ctx *x, uint32_t id, int depth);

static int copy_members(struct copy_ctx *x, const struct btf_type *t, int depth)
{
	const struct btf_member *m = btf_members(t);
	int i, r;

	for (i = 0; i < btf_vlen(t); i++, m++) {
		r = copy_type(x, m->type, depth + 1);
		if (r < 0)
			return r;
	}
	return 0;
}

static int add_members(struct copy_ctx *x, const struct btf_type *t)
{
	const struct btf_member *m = btf_members(t);
	int i, r;

	for (i = 0; i < btf_vlen(t); i++, m++) {
		r = btf__add_field(x->dst, btf__name_by_offset(x->src, m->name_off),
				   x->map[m->type], btf_member_bit_offset(t, i),
				   btf_member_bitfield_size(t, i));
		if (r < 0)
			return r;
	}
	return 0;
}

static int add_enum(struct copy_ctx *x, const struct btf_type *t, const char *name)
{
	int i, id, r;

	if (btf_is_enum(t)) {
		const struct btf_enum *e = btf_enum(t);

		id = btf__add_enum(x->dst, name, t->size);
		for (i = 0; id > 0 && i < btf_vlen(t); i++, e++) {
			r = btf__add_enum_value(x->dst, btf__name_by_offset(x->src, e->name_off),
						e->val);
			if (r < 0)
				return r;
		}
		return id;
	}
	id = btf__add_enum64(x->dst, name, t->size, btf_kflag(t));
	for (i = 0; id > 0 && i < btf_vlen(t); i++) {
		const struct btf_enum64 *e = btf_enum64(t) + i;

		r = btf__add_enum64_value(x->dst, btf__name_by_offset(x->src, e->name_off),
					  btf_enum64_value(e));
		if (r < 0)
			return r;
	}
	return id;
}

static int copy_type(struct copy_ctx *x, uint32_t id, int depth)
{
	const struct btf_type *t;
	const char *name;
	int r, ref;

	if (!id)
		return 0;
	if (depth > 64)
		return -ELOOP;
	if (x->map[id])
		return x->map[id];
	t = btf__type_by_id(x->src, id);
	if (!t)
		return -EINVAL;
	name = btf__name_by_offset(x->src, t->name_off);
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		r = btf__add_int(x->dst, name, t->size, btf_int_encoding(t));
		break;
	case BTF_KIND_FLOAT:
		r = btf__add_float(x->dst, name, t->size);
		break;
	case BTF_KIND_PTR:
		/* Pointers are addresses in a snapshot: keep them opaque. */
		if (!x->void_ptr)
			x->void_ptr = btf__add_ptr(x->dst, 0);
		r = x->void_ptr;
		break;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);
		int elem = copy_type(x, a->type, depth + 1);
		int idx = elem < 0 ? elem : copy_type(x, a->index_type, depth + 1);

		r = idx < 0 ? idx : btf__add_array(x->dst, idx, elem, a->nelems);
		break;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		r = copy_members(x, t, depth);
		if (r < 0)
			return r;
		r = btf_is_struct(t) ? btf__add_struct(x->dst, name, t->size)
				     : btf__add_union(x->dst, name, t->size);
		if (r > 0) {
			int err = add_members(x, t);

			if (err < 0)
				return err;
		}
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		r = add_enum(x, t, name);
		break;
	case BTF_KIND_FWD:
		r = btf__add_fwd(x->dst, name, btf_kflag(t) ? BTF_FWD_UNION : BTF_FWD_STRUCT);
		break;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		ref = copy_type(x, t->type, depth + 1);
		if (ref < 0)
			return ref;
		if (btf_is_typedef(t))
			r = btf__add_typedef(x->dst, name, ref);
		else if (btf_is_volatile(t))
			r = btf__add_volatile(x->dst, ref);
		else if (btf_is_const(t))
			r = btf__add_const(x->dst, ref);
		else if (btf_is_restrict(t))
			r = btf__add_restrict(x->dst, ref);
		else
			r = btf__add_type_tag(x->dst, name, ref);
		break;
	default:
		/* Functions, variables and sections never occur in a value. */
		return -EOPNOTSUPP;
	}
	if (r > 0)
		x->map[id] = r;
	return r;
}

int xctl_ctl_btf_copy(struct btf *dst, const struct btf *src, uint32_t id)
{
	struct copy_ctx x = { .dst = dst, .src = src };
	int r;

	if (id >= btf__type_cnt(src))
		return -EINVAL;
	x.map = calloc(btf__type_cnt(src), sizeof(*x.map));
	if (!x.map)
		return -ENOMEM;
	r = copy_type(&x, id, 0);
	free(x.map);
	return r;
}

void xctl_ctl_type_name(const struct btf *btf, uint32_t id, char *buf, size_t len)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *name = t ? btf__name_by_offset(btf, t->name_off) : NULL;
	const char *kw = "";

	if (!t) {
		snprintf(buf, len, "?");
		return;
	}
	if (btf_is_struct(t))
		kw = "struct ";
	else if (btf_is_union(t))
		kw = "union ";
	else if (btf_is_any_enum(t))
		kw = "enum ";
	snprintf(buf, len, "%s%s", kw, name && *name ? name : "(anon)");
}

int xctl_ctl_kmember_off(const char *struct_name, const char *member, size_t *size)
{
	uint32_t mid, nbits;
	struct btf *btf;
	size_t bit;
	int id;

	btf = xctl_kernel_btf(NULL);
	if (!btf)
		return -ENOENT;
	id = btf__find_by_name_kind(btf, struct_name, BTF_KIND_STRUCT);
	if (id < 0 || xctl_btf_member_path(btf, (uint32_t)id, member, &mid, &bit, &nbits, NULL) ||
	    nbits || bit % 8)
		return -ENOENT;
	if (size)
		*size = btf__resolve_size(btf, mid);
	return (int)(bit / 8);
}

int xctl_ctl_kstruct(const char *struct_name, const struct btf **btf, uint32_t *id,
		     struct xctl_err *err)
{
	int r;

	*btf = xctl_kernel_btf(err);
	if (!*btf)
		return -ENOENT;
	r = btf__find_by_name_kind(*btf, struct_name, BTF_KIND_STRUCT);
	if (r < 0)
		return xctl_errf(err, ENOENT, "kernel BTF has no struct %s", struct_name);
	*id = r;
	return 0;
}

int xctl_ctl_obj_info(int fd, const char *struct_name, void **info, size_t *size,
		      struct xctl_err *err)
{
	const struct btf *btf;
	uint32_t id = 0;
	__u32 len;
	void *buf;
	int r;

	r = xctl_ctl_kstruct(struct_name, &btf, &id, err);
	if (r)
		return r;
	len = btf__type_by_id(btf, id)->size;
	/*
	 * The kernel's size, zeroed: the kernel accepts any size whose tail
	 * beyond what it knows is zero, and fills what it knows.
	 */
	buf = calloc(1, len);
	if (!buf)
		return xctl_errf(err, ENOMEM, "cannot read %s", struct_name);
	if (bpf_obj_get_info_by_fd(fd, buf, &len)) {
		r = xctl_errf(err, errno, "cannot read %s", struct_name);
		free(buf);
		return r;
	}
	*info = buf;
	*size = btf__type_by_id(btf, id)->size;
	return id;
}
