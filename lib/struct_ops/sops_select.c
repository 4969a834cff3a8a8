// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What a load of a struct_ops object registers: the maps picked with
 * `map NAME`, or without it every map that is not optional (`?.struct_ops`,
 * `?.struct_ops.link`: libbpf 1.4+ does not create those unless asked to);
 * the others are not created, and struct_ops programs only they use are not
 * loaded. And the value flags xctl sets (`non_restricted`).
 *
 * Selection uses bpf_map__set_autocreate() and bpf_program__set_autoload(),
 * which every supported libbpf has (1.0+) and honours for struct_ops maps;
 * libbpf 1.4+ also sets autoload by itself at load time for the programs
 * maps point at (on iff a created map uses them; SEC("?struct_ops/...")
 * included), and xctl does the same on every version. libbpf < 1.2 never
 * sees optional or `.struct_ops.link` maps not picked (sops_image.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "xctl_priv.h"
#include "sops_priv.h"

/* include/net/tcp.h */
#define TCP_CONG_NON_RESTRICTED	0x1
#define TCP_CONG_NEEDS_ECN	0x2

static const struct flag_name {
	const char *kind;
	uint32_t bit;
	const char *name;
} flag_names[] = {
	{ "tcp_congestion_ops", TCP_CONG_NON_RESTRICTED, "non_restricted" },
	{ "tcp_congestion_ops", TCP_CONG_NEEDS_ECN, "needs_ecn" },
};

json_t *xctl_sops_flags_json(const char *kind, uint32_t flags)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
		if (strcmp(flag_names[i].kind, kind) || !(flags & flag_names[i].bit))
			continue;
		json_array_append_new(a, json_string(flag_names[i].name));
		flags &= ~flag_names[i].bit;
	}
	for (i = 0; i < 32; i++)
		if (flags & (1U << i))
			json_array_append_new(a, json_sprintf("0x%x", 1U << i));
	return a;
}

/* Offset of the u32 member `flags` of map m's struct in o's BTF. */
static bool flags_member(const struct xctl_sops_obj *o, const struct sops_obj_map *m,
			 uint32_t *off)
{
	const struct btf_type *t = btf__type_by_id(o->btf, m->type_id);
	int i;

	for (i = 0; t && i < btf_vlen(t); i++) {
		const struct btf_member *mb = btf_members(t) + i;
		const struct btf_type *mt;

		if (strcmp(btf__name_by_offset(o->btf, mb->name_off), "flags"))
			continue;
		mt = btf__type_by_id(o->btf, btf__resolve_type(o->btf, mb->type));
		if (!mt || !btf_is_int(mt) || mt->size != 4 || btf_member_bitfield_size(t, i))
			return false;
		*off = btf_member_bit_offset(t, i) / 8;
		return *off <= m->size && m->size - *off >= sizeof(uint32_t);
	}
	return false;
}

bool sops_obj_flags(const struct xctl_sops_obj *o, const struct sops_obj_map *m,
		    uint32_t *flags)
{
	uint32_t off;

	if (!flags_member(o, m, &off))
		return false;
	memcpy(flags, m->data + off, sizeof(*flags));
	return true;
}

bool xctl_sops_obj_flags(const struct xctl_sops_obj *o, size_t i, uint32_t *flags)
{
	return i < o->cnt && sops_obj_flags(o, &o->maps[i], flags);
}

bool xctl_sops_obj_unset_required(const struct xctl_sops_obj *o, size_t i, char *buf,
				  size_t len)
{
	struct sops_value_src src;

	if (i >= o->cnt)
		return false;
	sops_value_src_of(o, &o->maps[i], &src);
	return sops_unset_required(&src, buf, len);
}

int sops_set_non_restricted(struct xctl_sops_obj *o, struct xctl_err *err)
{
	uint32_t off, flags;
	size_t i;

	for (i = 0; i < o->cnt; i++) {
		struct sops_obj_map *m = &o->maps[i];

		if (strcmp(m->kind, "tcp_congestion_ops"))
			continue;
		if (!flags_member(o, m, &off))
			return xctl_errf(err, EINVAL, "cannot set non_restricted on %s of %s: "
					 "its tcp_congestion_ops has no flags member",
					 m->name, o->path);
		memcpy(&flags, m->data + off, sizeof(flags));
		flags |= TCP_CONG_NON_RESTRICTED;
		memcpy(m->data + off, &flags, sizeof(flags));
	}
	return 0;
}

static bool named(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

static int no_such_map(const struct xctl_sops_obj *o, const char *name, struct xctl_err *err)
{
	char list[256];
	size_t i, len = 0;
	int r;

	list[0] = '\0';
	for (i = 0; i < o->cnt && len < sizeof(list); i++)
		len += snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
				o->maps[i].name);
	r = xctl_errf(err, ENOENT, "cannot select map %s of %s", name, o->path);
	xctl_err_why(err, "its struct_ops maps are %s", list);
	return r;
}

/* Does a map of maps[from..to) point at program name? */
static bool used_by(const struct xctl_sops_obj *o, size_t from, size_t to, const char *name)
{
	size_t i, j;

	for (i = from; i < to; i++)
		for (j = 0; j < o->maps[i].slot_cnt; j++)
			if (!strcmp(o->maps[i].slots[j].prog, name))
				return true;
	return false;
}

int sops_select(struct xctl_sops_obj *o, const char *const *names, size_t n,
		struct xctl_err *err)
{
	struct sops_obj_map *sorted;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < o->cnt && strcmp(o->maps[j].name, names[i]); j++)
			;
		if (j == o->cnt)
			return no_such_map(o, names[i], err);
	}
	for (i = 0; i < o->cnt; i++)
		o->maps[i].selected = n ? named(names, n, o->maps[i].name) :
				      !o->maps[i].optional;
	sorted = calloc(o->cnt, sizeof(*sorted));
	if (!sorted)
		return xctl_errf(err, ENOMEM, "cannot select maps of %s", o->path);
	for (i = 0; i < o->cnt; i++)
		if (o->maps[i].selected)
			sorted[k++] = o->maps[i];
	o->sel_cnt = k;
	for (i = 0; i < o->cnt; i++)
		if (!o->maps[i].selected)
			sorted[k++] = o->maps[i];
	free(o->maps);
	o->maps = sorted;
	return 0;
}

int sops_select_apply(struct xctl_sops_obj *o, struct xctl_err *err)
{
	struct bpf_program *p;
	size_t i;

	for (i = 0; i < o->cnt; i++)
		if (o->maps[i].map &&
		    bpf_map__set_autocreate(o->maps[i].map, o->maps[i].selected))
			return xctl_errf(err, errno, "cannot %s map %s of %s",
					 o->maps[i].selected ? "select" : "leave out",
					 o->maps[i].name, o->path);
	/* as libbpf 1.4+ does itself at load time, for every version */
	bpf_object__for_each_program(p, o->obj) {
		const char *name = bpf_program__name(p);
		bool sel;

		if (bpf_program__type(p) != BPF_PROG_TYPE_STRUCT_OPS ||
		    !used_by(o, 0, o->cnt, name))
			continue;
		sel = used_by(o, 0, o->sel_cnt, name);
		if (bpf_program__set_autoload(p, sel))
			return xctl_errf(err, errno, "cannot %s program %s of %s",
					 sel ? "select" : "leave out", name, o->path);
	}
	return 0;
}

int xctl_sops_obj_check_selected(const struct xctl_sops_obj *o, struct xctl_err *err)
{
	char list[256];
	size_t i, len = 0;
	int r;

	if (o->sel_cnt)
		return 0;
	list[0] = '\0';
	for (i = 0; i < o->cnt && len < sizeof(list); i++)
		if (o->maps[i].optional)
			len += snprintf(list + len, sizeof(list) - len, "%s%s",
					len ? ", " : "", o->maps[i].name);
	r = xctl_errf(err, ENOENT, "nothing of %s to register", o->path);
	xctl_err_why(err, "its struct_ops maps are all optional (in SEC(\"?" SOPS_SEC
		     "\") or SEC(\"?" SOPS_LINK_SEC "\")), and none is selected: %s", list);
	xctl_err_hint(err, "select the ones to register with 'map NAME', e.g. 'map %s'",
		      o->cnt ? o->maps[0].name : "NAME");
	return r;
}
