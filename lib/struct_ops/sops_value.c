// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * struct_ops map values, built and written by xctl on every libbpf version.
 *
 * The kernel's value of a struct_ops map of kind T is struct
 * bpf_struct_ops_T { common; T data; } of the kernel BTF. libbpf builds it
 * privately and writes it from bpf_map__attach_struct_ops(), whose meaning
 * changed in libbpf 1.2 (a real link for BPF_F_LINK maps, where 1.1 only
 * wrote the value); the value is not reachable through libbpf's API. So xctl
 * builds it the way libbpf does: each member of the object's struct is
 * matched by name in the kernel's T; data members are copied (sizes must
 * agree), function pointers get the fd of the program the object's
 * relocation names; members the kernel lacks must be zero. libbpf has
 * checked the same when it loaded the object; these checks keep the copy in
 * bounds whatever it accepted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "xctl_priv.h"
#include "sops_priv.h"

/* The kernel's T and the offset of `data` in struct bpf_struct_ops_T. */
struct kern_type {
	const struct btf *btf;
	const struct btf_type *t;	/* T */
	uint32_t vsize;			/* sizeof(struct bpf_struct_ops_T) */
	uint32_t data_off;
};

static int find_kern_type(const struct sops_value_src *src, struct kern_type *k,
			  struct xctl_err *err)
{
	const struct btf_type *vt;
	char vname[128];
	int id, vid, i;

	k->btf = xctl_kernel_btf(err);
	if (!k->btf)
		return -ENOENT;
	snprintf(vname, sizeof(vname), "bpf_struct_ops_%s", src->kind);
	id = btf__find_by_name_kind(k->btf, src->kind, BTF_KIND_STRUCT);
	vid = btf__find_by_name_kind(k->btf, vname, BTF_KIND_STRUCT);
	if (id <= 0 || vid <= 0) {
		int r = xctl_errf(err, EOPNOTSUPP, "cannot build struct_ops %s of %s",
				  src->map, src->obj_path);

		xctl_err_why(err, "this kernel has no struct_ops type %s", src->kind);
		return r;
	}
	k->t = btf__type_by_id(k->btf, id);
	vt = btf__type_by_id(k->btf, vid);
	k->vsize = vt->size;
	for (i = 0; i < btf_vlen(vt); i++) {
		const struct btf_member *m = btf_members(vt) + i;

		if (btf__resolve_type(k->btf, m->type) != id)
			continue;
		k->data_off = btf_member_bit_offset(vt, i) / 8;
		if (k->data_off <= k->vsize && k->t->size <= k->vsize - k->data_off)
			return 0;
	}
	return xctl_errf(err, EINVAL, "cannot build struct_ops %s of %s: kernel type %s "
			 "has no data member", src->map, src->obj_path, vname);
}

static const struct btf_member *kern_member(const struct kern_type *k, const char *name,
					    int *idx)
{
	int i;

	for (i = 0; i < btf_vlen(k->t); i++) {
		const struct btf_member *m = btf_members(k->t) + i;

		if (!strcmp(btf__name_by_offset(k->btf, m->name_off), name)) {
			*idx = i;
			return m;
		}
	}
	return NULL;
}

static bool all_zero(const char *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static const struct sops_slot *slot_of(const struct sops_value_src *src, uint32_t member)
{
	size_t i;

	for (i = 0; i < src->slot_cnt; i++)
		if (src->slots[i].member == member)
			return &src->slots[i];
	return NULL;
}

static bool is_fptr(const struct btf *btf, uint32_t type)
{
	const struct btf_type *t = btf__type_by_id(btf, btf__resolve_type(btf, type));

	return t && btf_is_ptr(t);
}

/* Copy member i of the object's struct into the kernel value v. */
static int put_member(const struct sops_value_src *src, const struct kern_type *k,
		      int i, char *v, struct xctl_err *err)
{
	const struct btf_type *t = btf__type_by_id(src->btf, src->type_id);
	const struct btf_member *m = btf_members(t) + i;
	const char *name = btf__name_by_offset(src->btf, m->name_off);
	uint32_t off = btf_member_bit_offset(t, i) / 8, koff;
	const struct btf_member *km;
	const struct sops_slot *slot;
	long long size, ksize;
	int ki;

	size = btf__resolve_size(src->btf, m->type);
	if (size < 0 || off > src->size || (uint64_t)size > src->size - off)
		return xctl_errf(err, EINVAL, "cannot build struct_ops %s of %s: member %s "
				 "is out of bounds", src->map, src->obj_path, name);
	slot = slot_of(src, i);
	km = kern_member(k, name, &ki);
	if (!km) {
		if (!slot && all_zero((const char *)src->data + off, size))
			return 0;
		xctl_errf(err, EOPNOTSUPP, "cannot build struct_ops %s of %s", src->map,
			  src->obj_path);
		xctl_err_why(err, "the kernel's %s has no member %s", src->kind, name);
		return -EOPNOTSUPP;
	}
	koff = k->data_off + btf_member_bit_offset(k->t, ki) / 8;
	ksize = btf__resolve_size(k->btf, km->type);
	if (btf_member_bitfield_size(t, i) || btf_member_bitfield_size(k->t, ki) ||
	    ksize != size || koff > k->vsize || (uint64_t)ksize > k->vsize - koff) {
		xctl_errf(err, EOPNOTSUPP, "cannot build struct_ops %s of %s", src->map,
			  src->obj_path);
		xctl_err_why(err, "member %s differs from the kernel's %s", name, src->kind);
		return -EOPNOTSUPP;
	}
	if (slot) {
		uint64_t fd = slot->prog_fd;

		if (slot->prog_fd < 0 || ksize != sizeof(fd) || !is_fptr(k->btf, km->type))
			return xctl_errf(err, EINVAL, "cannot build struct_ops %s of %s: "
					 "member %s is not a loaded function pointer",
					 src->map, src->obj_path, name);
		memcpy(v + koff, &fd, sizeof(fd));
	} else if (!is_fptr(src->btf, m->type)) {
		memcpy(v + koff, (const char *)src->data + off, size);
	}
	return 0;
}

int sops_value_build(const struct sops_value_src *src, void **value, uint32_t *size,
		     struct xctl_err *err)
{
	const struct btf_type *t = btf__type_by_id(src->btf, src->type_id);
	struct kern_type k = {};
	char *v;
	int i, r;

	*value = NULL;
	r = find_kern_type(src, &k, err);
	if (r)
		return r;
	if (!t || !btf_is_struct(t))
		return xctl_errf(err, EINVAL, "cannot build struct_ops %s of %s", src->map,
				 src->obj_path);
	v = calloc(1, k.vsize);
	if (!v)
		return xctl_errf(err, ENOMEM, "cannot build struct_ops %s", src->map);
	for (i = 0; i < btf_vlen(t); i++) {
		r = put_member(src, &k, i, v, err);
		if (r) {
			free(v);
			return r;
		}
	}
	*value = v;
	*size = k.vsize;
	return 0;
}

/*
 * Members the kernel requires of a kind, as alternatives: every group needs
 * one member set. Only kinds whose rules are known (the kernel checks them
 * in its own code, not in BTF).
 */
struct required {
	const char *kind;
	const char *const groups[4][3];
};

static const struct required required[] = {
	/* net/ipv4/tcp_cong.c: tcp_validate_congestion_control() */
	{ "tcp_congestion_ops", { { "ssthresh" }, { "undo_cwnd" },
				  { "cong_avoid", "cong_control" } } },
};

static bool member_set(const struct sops_value_src *src, const char *name)
{
	const struct btf_type *t = btf__type_by_id(src->btf, src->type_id);
	size_t i;

	for (i = 0; i < src->slot_cnt; i++) {
		const struct btf_member *m = btf_members(t) + src->slots[i].member;

		if (!strcmp(btf__name_by_offset(src->btf, m->name_off), name))
			return true;
	}
	return false;
}

/* "cong_avoid or cong_control, undo_cwnd": the unset required members. */
bool sops_unset_required(const struct sops_value_src *src, char *buf, size_t len)
{
	size_t i, g, a, n = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (strcmp(required[i].kind, src->kind))
			continue;
		for (g = 0; g < 4 && required[i].groups[g][0]; g++) {
			const char *const *grp = required[i].groups[g];
			bool set = false;

			for (a = 0; a < 3 && grp[a]; a++)
				set |= member_set(src, grp[a]);
			if (set)
				continue;
			for (a = 0; a < 3 && grp[a] && n < len; a++)
				n += snprintf(buf + n, len - n, "%s%s", a ? " or " :
					      n ? ", " : "", grp[a]);
		}
	}
	return buf[0];
}

int sops_value_write(const struct sops_value_src *src, int map_fd, bool legacy,
		     struct xctl_err *err)
{
	uint32_t size, zero = 0;
	char missing[256];
	void *v;
	int r, e;

	r = sops_value_build(src, &v, &size, err);
	if (r)
		return r;
	r = bpf_map_update_elem(map_fd, &zero, v, 0);
	e = errno;
	free(v);
	if (!r)
		return 0;
	r = xctl_errf(err, e, "cannot %s struct_ops %s of %s", legacy ? "register" :
		      "initialise", src->map, src->obj_path);
	if (e == EINVAL && sops_unset_required(src, missing, sizeof(missing))) {
		xctl_err_why(err, "the kernel requires members of %s that %s leaves unset: %s",
			     src->kind, src->map, missing);
		xctl_err_hint(err, "set them in the object, or leave this map out with "
			      "'map NAME' for the maps to register");
	}
	return r;
}

void sops_value_src_of(const struct xctl_sops_obj *o, const struct sops_obj_map *m,
		       struct sops_value_src *src)
{
	memset(src, 0, sizeof(*src));
	src->obj_path = o->path;
	src->map = m->name;
	src->kind = m->kind;
	src->btf = o->btf;
	src->type_id = m->type_id;
	src->data = m->data;
	src->size = m->size;
	src->slots = m->slots;
	src->slot_cnt = m->slot_cnt;
}
