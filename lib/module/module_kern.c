// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What a loaded module runs with, read back from the kernel: the programs a
 * struct_ops map's value points at, and the .rodata map those programs use
 * (the parameter values the module was loaded with).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "module_priv.h"
#include "sops_kind.h"
#include "prog.h"


static int map_info_by_id(uint32_t id, struct bpf_map_info *info, int *fdp,
			  struct xctl_err *err)
{
	uint32_t len = sizeof(*info);
	int fd, r;

	fd = bpf_map_get_fd_by_id(id);
	if (fd < 0)
		return xctl_errf(err, errno, "cannot open map %u", id);
	memset(info, 0, sizeof(*info));
	if (bpf_obj_get_info_by_fd(fd, info, &len)) {
		r = xctl_errf(err, errno, "cannot read the info of map %u", id);
		close(fd);
		return r;
	}
	*fdp = fd;
	return 0;
}

int mod_kern_sops_kind(uint32_t map_id, char *kind, size_t len,
		       struct xctl_err *err)
{
	struct bpf_map_info info;
	int fd, r;

	r = map_info_by_id(map_id, &info, &fd, err);
	if (r)
		return r;
	close(fd);
	if (!xctl_kernel_btf(err))
		return -errno ?: -ENOENT;
	if (info.type != BPF_MAP_TYPE_STRUCT_OPS ||
	    sops_kind_of(info.btf_vmlinux_value_type_id, kind, len, NULL))
		return xctl_errf(err, EINVAL, "map %u is not a struct_ops map", map_id);
	return 0;
}

/* Skip typedefs and qualifiers. */
static const struct btf_type *resolve(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int hops;

	for (hops = 0; t && hops < 32 && (btf_is_mod(t) || btf_is_typedef(t)); hops++)
		t = btf__type_by_id(btf, t->type);
	return t;
}

int mod_kern_sops_progs(uint32_t map_id, struct mod_prog **progs, size_t *cnt,
			struct xctl_err *err)
{
	const struct btf_type *dt, *mt;
	const struct btf_member *m;
	struct sops_layout lay;
	struct bpf_map_info info;
	struct mod_prog *p = NULL;
	struct btf *vmlinux;
	uint32_t key = 0;
	size_t n = 0, off;
	char *val = NULL;
	uint64_t id;
	int fd, r;
	uint16_t i;

	*progs = NULL;
	*cnt = 0;
	r = map_info_by_id(map_id, &info, &fd, err);
	if (r)
		return r;
	vmlinux = xctl_kernel_btf(err);
	if (!vmlinux) {
		r = -ENOENT;
		goto out;
	}
	if (info.type != BPF_MAP_TYPE_STRUCT_OPS ||
	    sops_layout_of(vmlinux, info.btf_vmlinux_value_type_id, &lay, NULL)) {
		r = xctl_errf(err, EINVAL, "map %u is not a struct_ops map", map_id);
		goto out;
	}
	dt = resolve(vmlinux, lay.data_type);
	val = calloc(1, info.value_size);
	p = calloc(dt && btf_is_struct(dt) ? btf_vlen(dt) + 1 : 1, sizeof(*p));
	if (!dt || !btf_is_struct(dt) || !val || !p) {
		r = xctl_errf(err, dt ? ENOMEM : EINVAL,
			      "cannot read the programs of struct_ops map %u", map_id);
		goto out;
	}
	if (bpf_map_lookup_elem(fd, &key, val)) {
		r = xctl_errf(err, errno, "cannot read struct_ops map %u", map_id);
		goto out;
	}
	for (i = 0, m = btf_members(dt); i < btf_vlen(dt); i++, m++) {
		mt = resolve(vmlinux, m->type);
		if (!mt || !btf_is_ptr(mt))
			continue;
		mt = resolve(vmlinux, mt->type);
		if (!mt || !btf_is_func_proto(mt))
			continue;
		off = lay.data_off + btf_member_bit_offset(dt, i) / 8;
		if (off + sizeof(id) > info.value_size)
			continue;
		memcpy(&id, val + off, sizeof(id));
		if (!id)
			continue;
		p[n].id = (uint32_t)id;
		snprintf(p[n].member, sizeof(p[n].member), "%s",
			 btf__name_by_offset(vmlinux, m->name_off));
		n++;
	}
	*progs = p;
	*cnt = n;
	p = NULL;
	r = 0;
out:
	free(p);
	free(val);
	close(fd);
	return r;
}

int mod_prog_map_ids(uint32_t prog_id, uint32_t **ids, uint32_t *cnt)
{
	struct bpf_prog_info info = {};
	uint32_t len = sizeof(info), n;
	int fd, r = 0;

	*ids = NULL;
	*cnt = 0;
	fd = bpf_prog_get_fd_by_id(prog_id);
	if (fd < 0)
		return -errno;
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		r = -errno;
		goto out;
	}
	n = info.nr_map_ids;
	if (!n)
		goto out;
	*ids = calloc(n, sizeof(**ids));
	if (!*ids) {
		r = -ENOMEM;
		goto out;
	}
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = n;
	info.map_ids = (uintptr_t)*ids;
	len = sizeof(info);
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		r = -errno;
		free(*ids);
		*ids = NULL;
		goto out;
	}
	*cnt = info.nr_map_ids < n ? info.nr_map_ids : n;
out:
	close(fd);
	return r;
}

/* If map id is a .rodata array with BTF, read it: 1 found, 0 not, -errno. */
static int try_rodata(uint32_t id, struct btf **btfp, uint32_t *sec_id,
		      void **image, size_t *size)
{
	struct bpf_map_info info;
	struct xctl_err ign = {};
	const struct btf_type *t;
	struct btf *btf;
	uint32_t key = 0;
	void *val;
	int fd;

	if (map_info_by_id(id, &info, &fd, &ign))
		return 0;
	if (info.type != BPF_MAP_TYPE_ARRAY || !info.btf_id || info.max_entries != 1) {
		close(fd);
		return 0;
	}
	btf = btf__load_from_kernel_by_id(info.btf_id);
	t = btf ? btf__type_by_id(btf, info.btf_value_type_id) : NULL;
	if (!t || !btf_is_datasec(t) ||
	    strcmp(btf__name_by_offset(btf, t->name_off), ".rodata")) {
		btf__free(btf);
		close(fd);
		return 0;
	}
	val = calloc(1, info.value_size);
	if (!val || bpf_map_lookup_elem(fd, &key, val)) {
		free(val);
		btf__free(btf);
		close(fd);
		return 0;
	}
	close(fd);
	*btfp = btf;
	*sec_id = info.btf_value_type_id;
	*image = val;
	*size = info.value_size;
	return 1;
}

int mod_kern_rodata(const struct mod_prog *progs, size_t cnt, struct btf **btf,
		    uint32_t *sec_id, void **image, size_t *size,
		    struct xctl_err *err)
{
	uint32_t *ids, n, j;
	size_t i;
	int found = 0;

	*btf = NULL;
	*image = NULL;
	for (i = 0; i < cnt && !found; i++) {
		if (mod_prog_map_ids(progs[i].id, &ids, &n))
			continue;
		for (j = 0; j < n && !found; j++)
			found = try_rodata(ids[j], btf, sec_id, image, size);
		free(ids);
	}
	if (!found)
		return xctl_errf(err, ENOENT, "no program of the module uses a .rodata map");
	return 0;
}

json_t *mod_kern_prog_json(const struct mod_prog *p, bool stats)
{
	json_t *o = xctl_prog_json(p->id, stats);

	json_object_set_new(o, "member", json_string(p->member));
	return o;
}

int xctl_sops_map_progs(uint32_t map_id, json_t **out, struct xctl_err *err)
{
	bool stats = xctl_bpf_stats_enabled();
	struct mod_prog *progs = NULL;
	size_t n = 0, i;
	json_t *arr, *p;
	int r;

	*out = NULL;
	r = mod_kern_sops_progs(map_id, &progs, &n, err);
	if (r)
		return r;
	arr = json_array();
	for (i = 0; i < n; i++) {
		p = xctl_prog_json(progs[i].id, stats);
		json_object_set_new(p, "member", json_string(progs[i].member));
		json_array_append_new(arr, p);
	}
	free(progs);
	*out = arr;
	return 0;
}
