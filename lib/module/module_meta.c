// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Module meta: a pinned one-entry array map whose value (struct mod_meta)
 * is described by BTF built at run time, so `bpftool map dump pinned
 * <bpffs>/xctl/modules/NAME/meta` prints it with field names, and xctl reads
 * it back through the BTF walker.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "core_priv.h"
#include "module_priv.h"

int mod_sha256_file(const char *path, char hex[65], struct xctl_err *err)
{
	struct xctl_file f;
	int r;

	r = xctl_file_read(path, XCTL_OBJ_MAX, &f, err);
	if (r)
		return r;
	memcpy(hex, f.sha256, 65);
	xctl_file_free(&f);
	return 0;
}

/* Copy src into a fixed char array; -ENAMETOOLONG if it does not fit. */
static int put_str(char *dst, size_t len, const char *src, const char *what,
		   struct xctl_err *err)
{
	int r;

	if (strlen(src) >= len) {
		r = xctl_errf(err, ENAMETOOLONG, "cannot record the module's %s", what);
		xctl_err_why(err, "it is longer than %zu bytes", len - 1);
		return r;
	}
	memset(dst, 0, len);
	memcpy(dst, src, strlen(src));
	return 0;
}

int mod_meta_fill(struct mod_meta *m, const char *name, const char *obj_path,
		  const char *sha256, const json_t *params, struct xctl_err *err)
{
	char real[PATH_MAX], *ptext;
	struct tm tm;
	time_t now;
	int r;

	memset(m, 0, sizeof(*m));
	if (!realpath(obj_path, real))
		return xctl_errf(err, errno, "cannot resolve object path %s", obj_path);
	ptext = json_dumps(params, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!ptext)
		return xctl_errf(err, ENOMEM, "cannot record the module's parameters");
	r = put_str(m->name, sizeof(m->name), name, "name", err) ?:
	    put_str(m->object, sizeof(m->object), real, "object path", err) ?:
	    put_str(m->sha256, sizeof(m->sha256), sha256, "sha256", err) ?:
	    put_str(m->params, sizeof(m->params), ptext, "parameters", err) ?:
	    put_str(m->xctl_version, sizeof(m->xctl_version), XCTL_VERSION, "version", err);
	free(ptext);
	if (r)
		return r;
	now = time(NULL);
	m->loaded_at = now;
	gmtime_r(&now, &tm);
	strftime(m->loaded_at_rfc3339, sizeof(m->loaded_at_rfc3339),
		 "%Y-%m-%dT%H:%M:%SZ", &tm);
	m->uid = getuid();
	return 0;
}

/*
 * The maps a load without 'map NAME' registers: every map that is not
 * optional. (Recorded as "", so that a reload picks the same.)
 */
static bool default_selection(const struct xctl_sops_obj *o)
{
	size_t i, n = 0;

	for (i = 0; i < xctl_sops_obj_all_map_cnt(o); i++) {
		if (!xctl_sops_obj_optional(o, i))
			n++;
		else if (xctl_sops_obj_selected(o, i))
			return false;
	}
	return n == xctl_sops_obj_map_cnt(o);
}

int mod_meta_set_sops(struct mod_meta *m, const struct xctl_sops_obj *o,
		      bool non_restricted, struct xctl_err *err)
{
	char names[sizeof(m->struct_ops)];
	size_t i, n = 0, cnt = xctl_sops_obj_map_cnt(o);

	names[0] = '\0';
	m->non_restricted = non_restricted;
	if (default_selection(o))
		return put_str(m->struct_ops, sizeof(m->struct_ops), "", "struct_ops maps", err);
	for (i = 0; i < cnt; i++) {
		const char *map = bpf_map__name(xctl_sops_obj_map(o, i));

		if (n + strlen(map) + 2 > sizeof(names)) {
			int r = xctl_errf(err, ENAMETOOLONG,
					  "cannot record the module's struct_ops maps");

			xctl_err_why(err, "their names are longer than %zu bytes together",
				     sizeof(names) - 1);
			return r;
		}
		n += snprintf(names + n, sizeof(names) - n, "%s%s", i ? "," : "", map);
	}
	return put_str(m->struct_ops, sizeof(m->struct_ops), names, "struct_ops maps", err);
}

int mod_meta_set_pins(struct mod_meta *m, const char *pin_root,
		      const char *shared, struct xctl_err *err)
{
	return put_str(m->pin_root, sizeof(m->pin_root), pin_root, "pin_root", err) ?:
	       put_str(m->shared, sizeof(m->shared), shared, "shared map names", err);
}

int mod_meta_set_maps(struct mod_meta *m, const struct xctl_sops_obj *o,
		      struct xctl_err *err)
{
	size_t i, used = 0, len = sizeof(m->sops_maps);

	memset(m->sops_maps, 0, len);
	for (i = 0; i < xctl_sops_obj_map_cnt(o); i++) {
		struct bpf_map *map = xctl_sops_obj_map(o, i);
		struct bpf_map_info info = {};
		uint32_t ilen = sizeof(info);
		int n;

		if (bpf_obj_get_info_by_fd(bpf_map__fd(map), &info, &ilen))
			return xctl_errf(err, errno, "cannot read the id of map %s",
					 bpf_map__name(map));
		n = snprintf(m->sops_maps + used, len - used, "%s%s=%u", used ? "," : "",
			     bpf_map__name(map), info.id);
		if (n < 0 || (size_t)n >= len - used) {
			int r = xctl_errf(err, ENAMETOOLONG, "cannot record the module's maps");

			xctl_err_why(err, "their names are longer than %zu bytes together", len - 1);
			return r;
		}
		used += n;
	}
	return 0;
}

int mod_meta_btf(struct btf *btf)
{
	struct field { const char *name; size_t off; int type; size_t alen; };
	const struct field f[] = {
		{ "name", offsetof(struct mod_meta, name), 0, sizeof(((struct mod_meta *)0)->name) },
		{ "object", offsetof(struct mod_meta, object), 0, sizeof(((struct mod_meta *)0)->object) },
		{ "sha256", offsetof(struct mod_meta, sha256), 0, sizeof(((struct mod_meta *)0)->sha256) },
		{ "params", offsetof(struct mod_meta, params), 0, sizeof(((struct mod_meta *)0)->params) },
		{ "loaded_at", offsetof(struct mod_meta, loaded_at), 3, 0 },
		{ "loaded_at_rfc3339", offsetof(struct mod_meta, loaded_at_rfc3339), 0,
		  sizeof(((struct mod_meta *)0)->loaded_at_rfc3339) },
		{ "uid", offsetof(struct mod_meta, uid), 1, 0 },
		{ "xctl_version", offsetof(struct mod_meta, xctl_version), 0,
		  sizeof(((struct mod_meta *)0)->xctl_version) },
		{ "pin_root", offsetof(struct mod_meta, pin_root), 0,
		  sizeof(((struct mod_meta *)0)->pin_root) },
		{ "shared", offsetof(struct mod_meta, shared), 0,
		  sizeof(((struct mod_meta *)0)->shared) },
		{ "struct_ops", offsetof(struct mod_meta, struct_ops), 0,
		  sizeof(((struct mod_meta *)0)->struct_ops) },
		{ "non_restricted", offsetof(struct mod_meta, non_restricted), 1, 0 },
		{ "sops_maps", offsetof(struct mod_meta, sops_maps), 0,
		  sizeof(((struct mod_meta *)0)->sops_maps) },
	};
	int ids[sizeof(f) / sizeof(f[0])];
	int u32, ch, u64, st, r;
	size_t i;

	u32 = btf__add_int(btf, "unsigned int", 4, 0);
	ch = btf__add_int(btf, "char", 1, BTF_INT_SIGNED);
	u64 = btf__add_int(btf, "long long unsigned int", 8, 0);
	if (u32 < 0 || ch < 0 || u64 < 0)
		return -ENOMEM;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (f[i].alen)
			ids[i] = btf__add_array(btf, u32, ch, f[i].alen);
		else
			ids[i] = f[i].type == 3 ? u64 : u32;
		if (ids[i] < 0)
			return ids[i];
	}
	st = btf__add_struct(btf, "xctl_module_meta", sizeof(struct mod_meta));
	if (st < 0)
		return st;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		r = btf__add_field(btf, f[i].name, ids[i], f[i].off * 8, 0);
		if (r)
			return r;
	}
	return st;
}

int mod_meta_create(const struct mod_meta *m, struct xctl_err *err)
{
	LIBBPF_OPTS(bpf_map_create_opts, mo);
	struct btf *btf;
	uint32_t key = 0;
	int st, fd, r;

	btf = btf__new_empty();
	if (!btf)
		return xctl_errf(err, errno, "cannot build the BTF of module meta");
	st = mod_meta_btf(btf);
	if (st < 0) {
		r = xctl_errf(err, -st, "cannot build the BTF of module meta");
		goto out;
	}
	r = btf__load_into_kernel(btf);
	if (r) {
		r = xctl_errf(err, errno, "cannot load the BTF of module meta");
		goto out;
	}
	mo.btf_fd = btf__fd(btf);
	mo.btf_key_type_id = 1;
	mo.btf_value_type_id = st;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "xctl_meta", sizeof(key),
			    sizeof(*m), 1, &mo);
	if (fd < 0) {
		r = xctl_errf(err, errno, "cannot create the module meta map");
		goto out;
	}
	if (bpf_map_update_elem(fd, &key, m, BPF_ANY)) {
		r = xctl_errf(err, errno, "cannot write the module meta map");
		close(fd);
		goto out;
	}
	r = fd;
out:
	btf__free(btf);	/* the map holds its own reference to the kernel BTF */
	return r;
}

static int open_meta(const struct xctl_bpffs *fs, const char *pin,
		     struct bpf_map_info *info, struct xctl_err *err)
{
	uint32_t len = sizeof(*info);
	int fd, r;

	fd = xctl_pin_path_get(fs, pin, err);	/* never through a link */
	if (fd < 0)
		return fd == -ELOOP ? fd : xctl_errf(err, fd, "cannot open module meta %s", pin);
	memset(info, 0, sizeof(*info));
	if (bpf_obj_get_info_by_fd(fd, info, &len)) {
		r = xctl_errf(err, errno, "cannot read module meta %s", pin);
		close(fd);
		return r;
	}
	if (info->type != BPF_MAP_TYPE_ARRAY || info->key_size != 4 ||
	    info->max_entries != 1 || !info->btf_id) {
		close(fd);
		r = xctl_errf(err, EINVAL, "%s is not a module meta map", pin);
		xctl_err_why(err, "not a BTF-described one-entry array map");
		return r;
	}
	return fd;
}

int mod_meta_decode(const struct btf *btf, uint32_t type_id, const void *val,
		    size_t size, const char *pin, json_t **out, struct xctl_err *err)
{
	int r;

	*out = NULL;
	r = xctl_btf_to_json(btf, type_id, val, size, NULL, out, err);
	if (!r && !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		r = xctl_errf(err, EINVAL, "module meta %s is not a struct", pin);
	}
	return r;
}

int mod_meta_read(const struct xctl_bpffs *fs, const char *pin, json_t **out,
		  struct xctl_err *err)
{
	struct bpf_map_info info;
	struct btf *btf = NULL;
	uint32_t key = 0;
	void *val = NULL;
	int fd, r;

	*out = NULL;
	fd = open_meta(fs, pin, &info, err);
	if (fd < 0)
		return fd;
	val = calloc(1, info.value_size);
	if (!val) {
		r = xctl_errf(err, ENOMEM, "cannot read module meta %s", pin);
		goto out;
	}
	if (bpf_map_lookup_elem(fd, &key, val)) {
		r = xctl_errf(err, errno, "cannot read module meta %s", pin);
		goto out;
	}
	btf = btf__load_from_kernel_by_id(info.btf_id);
	if (!btf) {
		r = xctl_errf(err, errno, "cannot load the BTF of module meta %s", pin);
		goto out;
	}
	r = mod_meta_decode(btf, info.btf_value_type_id, val, info.value_size, pin, out, err);
out:
	btf__free(btf);
	free(val);
	close(fd);
	return r;
}
