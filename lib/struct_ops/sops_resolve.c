// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * STRUCT_OPS_MAP selectors: `id N`, `name NAME` (the map's name, which must
 * match exactly one struct_ops map) and `pinned PATH` (a pinned struct_ops
 * map, or a pinned struct_ops link, which selects the map it points at).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "xctl_priv.h"
#include "compat.h"

static int check_id(uint32_t id, struct xctl_err *err)
{
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info);
	int fd, r = 0;

	fd = bpf_map_get_fd_by_id(id);
	if (fd < 0) {
		r = xctl_errf(err, errno, "cannot find struct_ops map id %u", id);
		if (errno == ENOENT)
			xctl_err_why(err, "no BPF map has this id");
		return r;
	}
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		r = xctl_errf(err, errno, "cannot read map id %u", id);
	else if (info.type != BPF_MAP_TYPE_STRUCT_OPS) {
		r = xctl_errf(err, EINVAL, "map id %u is not a struct_ops map", id);
	}
	close(fd);
	return r;
}

static int by_name(const char *name, uint32_t *map_id, struct xctl_err *err)
{
	struct xctl_sops_list l;
	char ids[256] = "";
	size_t i, n = 0, len = 0;
	int r;

	if (strlen(name) >= sizeof(l.maps->name))
		return xctl_errf(err, EINVAL, "map name '%s' is too long (at most %zu characters)",
				 name, sizeof(l.maps->name) - 1);
	r = xctl_sops_list_get(&l, NULL, err);
	if (r)
		return r;
	for (i = 0; i < l.cnt; i++) {
		if (strcmp(l.maps[i].name, name))
			continue;
		if (!n++)
			*map_id = l.maps[i].id;
		if (len < sizeof(ids))
			len += snprintf(ids + len, sizeof(ids) - len, "%s%u",
					len ? ", " : "", l.maps[i].id);
	}
	xctl_sops_list_free(&l);
	if (!n) {
		r = xctl_errf(err, ENOENT, "cannot find struct_ops map '%s'", name);
		xctl_err_why(err, "no struct_ops map has this name");
		xctl_err_hint_code(err, XCTL_HINT_LIST_STRUCT_OPS, NULL, NULL,
				   "the struct_ops inventory lists them");
		return r;
	}
	if (n > 1) {
		r = xctl_errf(err, EINVAL, "struct_ops map name '%s' is ambiguous", name);
		xctl_err_why(err, "%zu maps have this name: ids %s", n, ids);
		xctl_err_hint(err, "select one with 'id N'");
		return r;
	}
	return 0;
}

static int by_pin(const char *path, uint32_t *map_id, struct xctl_err *err)
{
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info), link_id;
	struct stat st;
	int fd, r = 0;

	/* A pin is never a link: one planted where a pin of xctl's is
	 * expected must not make unregister detach a registration elsewhere. */
	if (!lstat(path, &st) && S_ISLNK(st.st_mode)) {
		r = xctl_errf(err, ELOOP, "refusing to use %s", path);
		xctl_err_why(err, "it is a symbolic link, not a pin");
		xctl_err_hint(err, "name the pin itself, not a link to it");
		return r;
	}
	fd = bpf_obj_get(path);
	if (fd < 0)
		return xctl_errf(err, errno, "cannot open pinned object %s", path);
	if (!xctl_sops_link_map_id(fd, map_id, &link_id)) {
		if (!*map_id) {
			r = xctl_errf(err, ENOENT, "struct_ops link %u pinned at %s is detached",
				      link_id, path);
			xctl_err_hint(err, "remove the pin with rm %s", path);
		}
		goto out;
	}
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		r = xctl_errf(err, errno, "cannot read pinned object %s", path);
	} else if (info.type != BPF_MAP_TYPE_STRUCT_OPS) {
		r = xctl_errf(err, EINVAL, "%s is not a struct_ops map or link", path);
	} else {
		*map_id = info.id;
	}
out:
	close(fd);
	return r;
}

int xctl_sops_resolve(const char *kw, const char *arg, uint32_t *map_id,
		      struct xctl_err *err)
{
	int r;

	if (!strcmp(kw, "id")) {
		r = xctl_parse_u32(arg, map_id);
		if (r)
			return xctl_errf(err, -r, "invalid map id '%s'", arg);
		return check_id(*map_id, err);
	}
	if (!strcmp(kw, "name"))
		return by_name(arg, map_id, err);
	if (!strcmp(kw, "pinned"))
		return by_pin(arg, map_id, err);
	return xctl_errf(err, EINVAL, "unknown selector '%s' (id, name or pinned)", kw);
}
