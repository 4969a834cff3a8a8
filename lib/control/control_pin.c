// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `control pin`: a control type's snapshot materialised as a real BPF hash
 * map with BTF, pinned on a bpffs, so that any BPF tool (`bpftool map dump
 * pinned PATH`) shows it with field names.
 *
 * The key and value types are deep-copied into one fresh BTF (pointers become
 * `void *`: a snapshot's addresses mean nothing) and loaded into the kernel.
 * A refresh builds a complete new map and pins it under a temporary name in
 * the same directory, then rename()s it over the old pin: readers see the
 * old snapshot or the new one, never a half-filled map.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "xctl_priv.h"
#include "control_type.h"

struct snap {
	uint32_t *keys;
	void **vals;
	size_t cnt;
	size_t value_size;
	const struct btf *btf;
	uint32_t type_id;
};

static void snap_free(struct snap *s)
{
	size_t i;

	for (i = 0; i < s->cnt; i++)
		free(s->vals[i]);
	free(s->vals);
	free(s->keys);
}

static int snap_add(struct xctl_ctl *c, struct snap *s, uint32_t key,
		    struct xctl_err *err)
{
	char a[128], b[128];
	struct xctl_ctl_val v = {};
	void *p;
	int r;

	r = c->ops->lookup(c, key, &v, err);
	if (r == -ENOENT)
		return 0;	/* gone since get_next: not part of the snapshot */
	if (r)
		return r;
	if (s->cnt && (v.btf != s->btf || v.type_id != s->type_id)) {
		xctl_ctl_type_name(s->btf, s->type_id, a, sizeof(a));
		xctl_ctl_type_name(v.btf, v.type_id, b, sizeof(b));
		free(v.data);
		r = xctl_errf(err, EINVAL, "cannot pin control type '%s' as one map",
			      c->ops->info.name);
		xctl_err_why(err, "its keys have different value types (%s, %s)", a, b);
		xctl_err_hint_code(err, XCTL_HINT_CONTROL_DUMP, c->ops->info.name, NULL,
				   "a BPF map has one value type; a dump of '%s' "
				   "shows them all", c->ops->info.name);
		return r;
	}
	p = realloc(s->keys, (s->cnt + 1) * sizeof(*s->keys));
	if (p)
		s->keys = p;
	p = p ? realloc(s->vals, (s->cnt + 1) * sizeof(*s->vals)) : NULL;
	if (!p) {
		free(v.data);
		return xctl_errf(err, ENOMEM, "cannot snapshot control type '%s'",
				 c->ops->info.name);
	}
	s->vals = p;
	s->keys[s->cnt] = key;
	s->vals[s->cnt++] = v.data;
	s->btf = v.btf;
	s->type_id = v.type_id;
	s->value_size = v.size;
	return 0;
}

static int snap_take(struct xctl_ctl *c, struct snap *s, struct xctl_err *err)
{
	uint32_t key = 0, next;
	bool first = true;
	int r;

	for (;;) {
		r = c->ops->get_next(c, first ? NULL : &key, &next, err);
		if (r == -ENOENT)
			break;
		if (r)
			return r;
		first = false;
		key = next;
		r = snap_add(c, s, key, err);
		if (r)
			return r;
	}
	if (s->cnt)
		return 0;
	/* Nothing to copy the value type from: ask the type for it. */
	if (c->ops->info.per_key_type) {
		r = xctl_errf(err, ENOENT, "cannot pin control type '%s'", c->ops->info.name);
		xctl_err_why(err, "it has no keys, so its value type is unknown");
		return r;
	}
	r = c->ops->value_type(c, NULL, &s->btf, &s->type_id, err);
	if (r)
		return r;
	r = btf__resolve_size(s->btf, s->type_id);
	if (r < 0)
		return xctl_errf(err, r, "cannot size the value type of '%s'",
				 c->ops->info.name);
	s->value_size = r;
	return 0;
}

/* Key and value types in one BTF, loaded into the kernel. */
static int load_btf(struct xctl_ctl *c, const struct snap *s, struct btf **out,
		    int *key_id, int *val_id, struct xctl_err *err)
{
	struct btf *btf = btf__new_empty();
	int r;

	if (!btf)
		return xctl_errf(err, errno, "cannot build BTF for the pinned map");
	*key_id = xctl_ctl_btf_copy(btf, c->btf, c->key_type_id);
	*val_id = *key_id < 0 ? *key_id : xctl_ctl_btf_copy(btf, s->btf, s->type_id);
	if (*val_id < 0) {
		btf__free(btf);
		return xctl_errf(err, *val_id, "cannot copy the types of control type '%s'",
				 c->ops->info.name);
	}
	if (btf__load_into_kernel(btf)) {
		r = xctl_errf(err, errno, "cannot load the BTF of control type '%s' "
			      "into the kernel", c->ops->info.name);
		btf__free(btf);
		return r;
	}
	*out = btf;
	return 0;
}

static int create_map(struct xctl_ctl *c, const struct snap *s, const char *name,
		      struct xctl_err *err)
{
	LIBBPF_OPTS(bpf_map_create_opts, mo);
	struct btf *btf = NULL;
	int key_id = 0, val_id = 0, fd, r;
	size_t i;

	if (!s->value_size)
		return xctl_errf(err, EINVAL, "cannot pin control type '%s': empty value",
				 c->ops->info.name);
	r = load_btf(c, s, &btf, &key_id, &val_id, err);
	if (r)
		return r;
	mo.btf_fd = btf__fd(btf);
	mo.btf_key_type_id = key_id;
	mo.btf_value_type_id = val_id;
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, name, XCTL_CTL_KEY_SIZE, s->value_size,
			    s->cnt ? s->cnt : 1, &mo);
	r = -errno;
	btf__free(btf);		/* the map holds its own reference */
	if (fd < 0) {
		xctl_errf(err, r, "cannot create the BPF map for control type '%s'",
			  c->ops->info.name);
		if (r == -EPERM)
			xctl_err_hint(err, "creating maps needs CAP_BPF (root)");
		return r;
	}
	for (i = 0; i < s->cnt; i++) {
		if (bpf_map_update_elem(fd, &s->keys[i], s->vals[i], BPF_NOEXIST)) {
			r = xctl_errf(err, errno, "cannot fill the BPF map for control type '%s'",
				      c->ops->info.name);
			close(fd);
			return r;
		}
	}
	return fd;
}

/* An existing pin may be replaced only if it is our own snapshot. */
static int check_existing(const char *path, const char *map_name, bool *exists,
			  struct xctl_err *err)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int fd, r;

	*exists = false;
	if (access(path, F_OK))
		return 0;
	*exists = true;
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		r = bpf_obj_get_info_by_fd(fd, &info, &len);
		close(fd);
		if (!r && info.type == BPF_MAP_TYPE_HASH && !strcmp(info.name, map_name))
			return 0;
	}
	r = xctl_errf(err, EEXIST, "cannot pin at %s", path);
	xctl_err_why(err, "something else is pinned there (not an xctl '%s' snapshot)",
		     map_name);
	xctl_err_hint(err, "choose another path or remove it first");
	return r;
}

static int check_path(const char *path, char *dir, size_t dirsz, struct xctl_err *err)
{
	char tmp[PATH_MAX], real[PATH_MAX];
	const char *base;
	int r;

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return xctl_errf(err, ENAMETOOLONG, "cannot pin at %s", path);
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
		r = xctl_errf(err, EINVAL, "cannot pin at %s", path);
		xctl_err_why(err, "it names no file");
		return r;
	}
	if (strchr(base, '.')) {
		r = xctl_errf(err, EINVAL, "cannot pin at %s", path);
		xctl_err_why(err, "bpffs does not allow '.' in names");
		return r;
	}
	if (!realpath(dirname(tmp), real))
		return xctl_errf(err, errno, "cannot pin at %s: no directory %s", path, tmp);
	if (!xctl_is_bpffs(real)) {
		r = xctl_errf(err, EINVAL, "cannot pin at %s", path);
		xctl_err_why(err, "%s is not on a bpffs", real);
		xctl_err_hint(err, "pin below a bpffs mount such as %s (mount -t bpf bpf DIR)",
			      XCTL_BPFFS_DEFAULT);
		return r;
	}
	snprintf(dir, dirsz, "%s", real);
	return 0;
}

int xctl_ctl_pin(struct xctl_ctl *c, const char *path,
		 struct xctl_ctl_pin_result *res, struct xctl_err *err)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	char dir[PATH_MAX], tmp[PATH_MAX + 64], name[BPF_OBJ_NAME_LEN];
	struct snap s = {};
	bool exists;
	int fd, r;

	memset(res, 0, sizeof(*res));
	snprintf(name, sizeof(name), "xctl_%s", c->ops->info.name);
	r = check_path(path, dir, sizeof(dir), err);
	if (!r)
		r = check_existing(path, name, &exists, err);
	if (!r)
		r = snap_take(c, &s, err);
	if (r)
		goto out;
	fd = create_map(c, &s, name, err);
	if (fd < 0) {
		r = fd;
		goto out;
	}
	snprintf(tmp, sizeof(tmp), "%s/xctl_pin_tmp_%d", dir, (int)getpid());
	unlink(tmp);
	if (bpf_obj_pin(fd, tmp)) {
		r = xctl_errf(err, errno, "cannot pin the map at %s", tmp);
	} else if (rename(tmp, path)) {
		r = xctl_errf(err, errno, "cannot move the pin to %s", path);
		unlink(tmp);
	} else {
		if (!bpf_obj_get_info_by_fd(fd, &info, &len))
			res->map_id = info.id;
		res->entries = s.cnt;
		res->replaced = exists;
	}
	close(fd);
out:
	snap_free(&s);
	return xctl_ret(r);
}
