// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The one resolver of struct_ops values (lib/struct_ops/sops_kind.h): kind
 * from the kernel value type's name, member offsets by path through the
 * BTF helpers (xctl_btf_member_path), never by walking members by hand;
 * and the decoding of a map's value (kind, ops name, state, refcnt) that
 * the inventory and link errors share.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "xctl_priv.h"
#include "sops_priv.h"

int sops_kind_of(uint32_t type_id, char *kind, size_t len, struct xctl_err *err)
{
	struct btf *btf = xctl_kernel_btf(err);
	const struct btf_type *t;
	const char *name;

	if (!btf)
		return -ENOENT;
	t = btf__type_by_id(btf, type_id);
	name = t ? btf__name_by_offset(btf, t->name_off) : NULL;
	if (!name || strncmp(name, SOPS_VALUE_PREFIX, strlen(SOPS_VALUE_PREFIX)))
		return xctl_errf(err, ENOENT, "cannot tell the kind of struct_ops value "
				 "type %u", type_id);
	snprintf(kind, len, "%s", name + strlen(SOPS_VALUE_PREFIX));
	return 0;
}

/* Byte offset and type of the whole-byte member at path; -errno if none. */
static int at(const struct btf *btf, uint32_t id, const char *path, size_t *off,
	      uint32_t *type, struct xctl_err *err)
{
	uint32_t mid, nbits;
	size_t bit;
	int r;

	r = xctl_btf_member_path(btf, id, path, &mid, &bit, &nbits, err);
	if (r)
		return r;
	if (nbits || bit % 8)
		return xctl_errf(err, EINVAL, "struct_ops member %s is a bitfield", path);
	*off = bit / 8;
	if (type)
		*type = mid;
	return 0;
}

int sops_layout_of(const struct btf *btf, uint32_t value_type_id, struct sops_layout *l,
		   struct xctl_err *err)
{
	const struct btf_type *t;
	uint32_t name_t, flags_t;
	int r;

	memset(l, 0, sizeof(*l));
	t = btf__type_by_id(btf, value_type_id);
	if (!t || !btf_is_struct(t))
		return xctl_errf(err, EINVAL, "type %u is not a struct_ops value type",
				 value_type_id);
	l->value_size = t->size;
	r = at(btf, value_type_id, "data", &l->data_off, &l->data_type, err);
	if (r)
		return r;
	l->has_common = !at(btf, value_type_id, "common.refcnt", &l->refcnt_off, NULL, NULL) &&
			!at(btf, value_type_id, "common.state", &l->state_off, NULL, NULL);
	if (!at(btf, value_type_id, "data.name", &l->name_off, &name_t, NULL)) {
		t = btf__type_by_id(btf, btf__resolve_type(btf, name_t));
		if (t && btf_is_array(t)) {
			l->has_name = true;
			l->name_len = btf_array(t)->nelems;
		}
	}
	if (!at(btf, value_type_id, "data.flags", &l->flags_off, &flags_t, NULL)) {
		t = btf__type_by_id(btf, btf__resolve_type(btf, flags_t));
		l->has_flags = t && btf_is_int(t) && t->size == 4;
	}
	return 0;
}

/* Fill kind, ops name, state and refcnt from the map's value. */
void sops_decode_value(struct xctl_sops_map *m, int fd, uint32_t value_size)
{
	struct btf *btf = xctl_kernel_btf(NULL);
	struct sops_layout l;
	uint32_t zero = 0;
	char *v;

	if (!btf || sops_kind_of(m->btf_vmlinux_value_type_id, m->kind, sizeof(m->kind), NULL) ||
	    sops_layout_of(btf, m->btf_vmlinux_value_type_id, &l, NULL))
		return;
	v = calloc(1, value_size);
	if (!v)
		return;
	if (bpf_map_lookup_elem(fd, &zero, v))
		goto out;
	if (l.has_common && l.state_off + 4 <= value_size)
		memcpy(&m->state, v + l.state_off, 4);
	if (l.has_common && l.refcnt_off + 4 <= value_size)
		memcpy(&m->refcnt, v + l.refcnt_off, 4);
	if (l.has_name && l.name_off + l.name_len <= value_size) {
		snprintf(m->ops_name, sizeof(m->ops_name), "%.*s", (int)l.name_len,
			 v + l.name_off);
		m->has_ops_name = true;
	}
	if (l.has_flags && l.flags_off + 4 <= value_size) {
		memcpy(&m->flags, v + l.flags_off, 4);
		m->has_flags = true;
	}
out:
	free(v);
}
