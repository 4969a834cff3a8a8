// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Maps as an object declares them: sizes, pinning by name below the bpffs
 * xctl was given, and maps kept alive after the loader exits. See
 * objmaps.h for the contract and the call sequence.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "xctl_priv.h"
#include "core_priv.h"
#include "compat.h"
#include "objmaps.h"

bool objm_size_optional(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:	/* libbpf uses the CPU count */
	case BPF_MAP_TYPE_CGROUP_STORAGE:	/* local storage: must be 0 */
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
	case BPF_MAP_TYPE_SK_STORAGE:
	case BPF_MAP_TYPE_INODE_STORAGE:
	case BPF_MAP_TYPE_TASK_STORAGE:
	case XCTL_MAP_TYPE_CGRP_STORAGE:
	case BPF_MAP_TYPE_STRUCT_OPS:		/* libbpf sets 1 */
		return true;
	default:
		return false;
	}
}

/* Apply "MAP=N" sizes; unknown maps and bad numbers are errors. */
static int set_sizes(struct bpf_object *obj, const char *path,
		     const struct objm_opts *o, struct xctl_err *err)
{
	char name[128], valid[512];
	struct bpf_map *map;
	const char *eq;
	uint32_t n;
	size_t i, used;
	int r;

	for (i = 0; i < o->max_entries_cnt; i++) {
		const char *kv = o->max_entries[i];

		eq = strchr(kv, '=');
		if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(name) ||
		    xctl_parse_u32(eq + 1, &n) || !n) {
			r = xctl_errf(err, EINVAL, "invalid 'max_entries %s'", kv);
			xctl_err_why(err, "expected MAP=N with N from 1 to %u", UINT32_MAX);
			return r;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(eq - kv), kv);
		map = bpf_object__find_map_by_name(obj, name);
		if (!map || bpf_map__is_internal(map)) {
			r = xctl_errf(err, ENOENT, "cannot size map %s", name);
			xctl_err_why(err, "%s declares no map of that name", path);
			used = 0;
			valid[0] = '\0';
			bpf_object__for_each_map(map, obj)
				if (!bpf_map__is_internal(map) &&
				    bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS && used < sizeof(valid))
					used += snprintf(valid + used, sizeof(valid) - used, "%s%s",
							 used ? ", " : "", bpf_map__name(map));
			if (valid[0])
				xctl_err_hint(err, "its maps: %s", valid);
			return r;
		}
		if (bpf_map__set_max_entries(map, n))
			return xctl_errf(err, errno, "cannot set max_entries of map %s", name);
	}
	bpf_object__for_each_map(map, obj) {
		if (bpf_map__max_entries(map) || objm_size_optional(bpf_map__type(map)))
			continue;
		r = xctl_errf(err, EINVAL, "cannot load %s", path);
		xctl_err_why(err, "map %s has no max_entries: the object leaves its size "
			     "to the loader", bpf_map__name(map));
		xctl_err_hint(err, "give one with 'max_entries %s=N'", bpf_map__name(map));
		return r;
	}
	return 0;
}

/* Does BTF type id (a map value) contain a struct named bpf_timer/bpf_wq? */
static bool has_uref_field(const struct btf *btf, uint32_t id, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *mb;
	const char *n;
	int i;

	while (t && depth < 16 && (btf_is_mod(t) || btf_is_typedef(t) || btf_is_array(t))) {
		id = btf_is_array(t) ? btf_array(t)->type : t->type;
		t = btf__type_by_id(btf, id);
		depth++;
	}
	if (!t || depth >= 16 || !btf_is_composite(t))
		return false;
	n = btf__name_by_offset(btf, t->name_off);
	if (n && (!strcmp(n, "bpf_timer") || !strcmp(n, "bpf_wq")))
		return true;
	for (i = 0, mb = btf_members(t); i < btf_vlen(t); i++, mb++)
		if (has_uref_field(btf, mb->type, depth + 1))
			return true;
	return false;
}

/* The DATASEC name of an internal map (".data", ".bss", ...), or NULL. */
static const char *datasec_name(const struct btf *btf, const struct bpf_map *map)
{
	const struct btf_type *t;

	if (!btf || !bpf_map__is_internal(map))
		return NULL;
	t = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
	if (!t || !btf_is_datasec(t))
		return NULL;
	return btf__name_by_offset(btf, t->name_off);
}

static bool is_runtime_sec(const char *sec)
{
	return sec && (!strcmp(sec, ".bss") || !strcmp(sec, ".data") ||
		       !strncmp(sec, ".data.", 6));
}

/* What the loader must do with map: pin kind, or -1 for nothing. */
static int pin_kind(const struct btf *btf, const struct bpf_map *map, bool pin_data)
{
	if (bpf_map__pin_path(map))
		return OBJM_DECLARED;	/* libbpf set it: LIBBPF_PIN_BY_NAME */
	if (bpf_map__type(map) == BPF_MAP_TYPE_PROG_ARRAY)
		return OBJM_KEEP;
	if (btf && !bpf_map__is_internal(map) && bpf_map__btf_value_type_id(map) &&
	    has_uref_field(btf, bpf_map__btf_value_type_id(map), 0))
		return OBJM_KEEP;
	if (pin_data && is_runtime_sec(datasec_name(btf, map)))
		return OBJM_DATA;
	return -1;
}

/* lstat that refuses symlinks: 1 a pin exists, 0 none, -errno. */
static int pin_exists(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	return 1;
}

/*
 * A map pinned at pin->path is reused by libbpf only if it matches what the
 * object declares; say which attribute differs instead of libbpf's EINVAL.
 */
static int check_reuse(const struct xctl_bpffs *fs, const struct objm_pin *pin,
		       struct xctl_err *err)
{
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info);
	const struct bpf_map *map = pin->map;
	char diff[256] = "";
	int fd, r;

	r = pin_exists(pin->path);
	if (r < 0) {
		r = xctl_errf(err, -r, "cannot use the pin %s", pin->path);
		if (r == -ELOOP)
			xctl_err_why(err, "it is a symbolic link");
		return r;
	}
	if (!r)
		return 0;
	fd = xctl_pin_path_get(fs, pin->path, err);	/* never through a link */
	if (fd < 0)
		return fd;
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		r = xctl_errf(err, errno, "cannot read the map pinned at %s", pin->path);
		close(fd);
		return r;
	}
	close(fd);
	if (info.type != bpf_map__type(map))
		snprintf(diff, sizeof(diff), "type %s, the object declares %s",
			 libbpf_bpf_map_type_str(info.type) ?: "?",
			 libbpf_bpf_map_type_str(bpf_map__type(map)) ?: "?");
	else if (info.key_size != bpf_map__key_size(map))
		snprintf(diff, sizeof(diff), "key_size %u, the object declares %u",
			 info.key_size, bpf_map__key_size(map));
	else if (info.value_size != bpf_map__value_size(map))
		snprintf(diff, sizeof(diff), "value_size %u, the object declares %u",
			 info.value_size, bpf_map__value_size(map));
	else if (bpf_map__max_entries(map) && info.max_entries != bpf_map__max_entries(map))
		snprintf(diff, sizeof(diff), "max_entries %u, the object declares %u",
			 info.max_entries, bpf_map__max_entries(map));
	else if (info.map_flags != bpf_map__map_flags(map))
		snprintf(diff, sizeof(diff), "map_flags 0x%x, the object declares 0x%x",
			 info.map_flags, bpf_map__map_flags(map));
	else if (info.map_extra != bpf_map__map_extra(map))
		snprintf(diff, sizeof(diff), "map_extra 0x%llx, the object declares 0x%llx",
			 (unsigned long long)info.map_extra,
			 (unsigned long long)bpf_map__map_extra(map));
	if (!diff[0])
		return 0;
	r = xctl_errf(err, EEXIST, "cannot reuse the map pinned at %s", pin->path);
	xctl_err_why(err, "map %s does not match: the pinned map has %s",
		     bpf_map__name(map), diff);
	xctl_err_hint(err, "remove the pin, or share only with objects that declare "
		      "the map identically");
	return r;
}

int objm_check_pin_root(const struct xctl_bpffs *fs, const char *dir,
			char *real, size_t len, struct xctl_err *err)
{
	char buf[PATH_MAX];
	size_t rlen = strlen(fs->root);
	struct stat st;
	int r;

	if (!realpath(dir, buf) || stat(buf, &st)) {
		r = xctl_errf(err, errno, "cannot use pin_root %s", dir);
		xctl_err_hint(err, "create it first: mkdir %s", dir);
		return r;
	}
	if (!S_ISDIR(st.st_mode) || !xctl_is_bpffs(buf)) {
		r = xctl_errf(err, EINVAL, "cannot use pin_root %s", dir);
		xctl_err_why(err, "%s", S_ISDIR(st.st_mode) ? "it is not on a bpffs"
							    : "it is not a directory");
		return r;
	}
	if (strcmp(fs->root, "/") &&
	    (strncmp(buf, fs->root, rlen) || (buf[rlen] && buf[rlen] != '/'))) {
		r = xctl_errf(err, EINVAL, "cannot use pin_root %s", dir);
		xctl_err_why(err, "it is outside the bpffs %s xctl was given", fs->root);
		xctl_err_hint_code(err, XCTL_HINT_PIN_ROOT, fs->root, NULL,
				   "use a directory below %s (or another bpffs)", fs->root);
		return r;
	}
	if (snprintf(real, len, "%s", buf) >= (int)len)
		return xctl_errf(err, ENAMETOOLONG, "cannot use pin_root %s", dir);
	return 0;
}

static int add_pin(struct objm *m, struct bpf_map *map, const struct btf *btf,
		   int kind, struct xctl_err *err)
{
	struct objm_pin *tmp, *p;
	const char *file = bpf_map__name(map);
	const char *dir = m->own_dir;
	char data_file[NAME_MAX + 1];
	char *c;

	if (kind == OBJM_DATA) {
		/* ".data.foo" -> "globals-data-foo" */
		snprintf(data_file, sizeof(data_file), OBJM_DATA_PREFIX "%s",
			 datasec_name(btf, map) + 1);
		for (c = data_file; *c; c++)
			if (*c == '.')
				*c = '-';
		file = data_file;
	}
	if (kind == OBJM_DECLARED && m->pin_root[0])
		dir = m->pin_root;
	tmp = realloc(m->pins, (m->cnt + 1) * sizeof(*tmp));
	if (!tmp)
		return xctl_errf(err, ENOMEM, "cannot plan the pins of %s", bpf_map__name(map));
	m->pins = tmp;
	p = &m->pins[m->cnt];
	memset(p, 0, sizeof(*p));
	p->map = map;
	p->kind = kind;
	p->shared = kind == OBJM_DECLARED && m->pin_root[0];
	if (snprintf(p->file, sizeof(p->file), "%s", file) >= (int)sizeof(p->file) ||
	    snprintf(p->path, sizeof(p->path), "%s/%s", dir, file) >= (int)sizeof(p->path) - 16)
		return xctl_errf(err, ENAMETOOLONG, "cannot pin map %s below %s",
				 bpf_map__name(map), dir);
	m->cnt++;
	if (kind == OBJM_DECLARED && bpf_map__set_pin_path(map, p->path))
		return xctl_errf(err, errno, "cannot set the pin path of map %s",
				 bpf_map__name(map));
	return 0;
}

int objm_prepare(struct objm *m, struct bpf_object *obj, const char *obj_path,
		 const struct objm_opts *o, struct xctl_err *err)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;
	size_t i;
	int r, kind;

	memset(m, 0, sizeof(*m));
	m->fs = o->fs;
	if (snprintf(m->own_dir, sizeof(m->own_dir), "%s", o->own_dir) >= (int)sizeof(m->own_dir))
		return xctl_errf(err, ENAMETOOLONG, "pin directory %s", o->own_dir);
	if (o->pin_root) {
		r = objm_check_pin_root(o->fs, o->pin_root, m->pin_root, sizeof(m->pin_root), err);
		if (r)
			return r;
	}
	r = set_sizes(obj, obj_path, o, err);
	if (r)
		return r;
	bpf_object__for_each_map(map, obj) {
		kind = pin_kind(btf, map, o->pin_data);
		if (kind < 0)
			continue;
		r = add_pin(m, map, btf, kind, err);
		if (r)
			return r;
	}
	for (i = 0; i < m->cnt; i++) {
		if (m->pins[i].kind != OBJM_DECLARED)
			continue;
		r = check_reuse(m->fs, &m->pins[i], err);
		if (r)
			return r;
	}
	return 0;
}

int objm_begin(struct objm *m, struct xctl_err *err)
{
	size_t i;
	int r;

	if (!m->cnt)
		return 0;
	r = xctl_pin_path_mkdir(m->fs, m->own_dir, err);
	if (r == -EEXIST) {
		/* what is there must be a directory of ours, not a link */
		r = xctl_pin_opendir(m->fs, m->own_dir, err);
		if (r < 0)
			return r;
		close(r);
		m->dir_existed = true;
	} else if (r) {
		return r;
	}
	for (i = 0; i < m->cnt; i++) {
		if (m->pins[i].kind != OBJM_DECLARED)
			continue;
		/* Checked again now: another loader may have pinned meanwhile. */
		r = check_reuse(m->fs, &m->pins[i], err);
		if (r)
			return r;
		m->pins[i].existed = pin_exists(m->pins[i].path) == 1;
	}
	return 0;
}

int objm_stage(struct objm *m, struct xctl_err *err)
{
	char path[PATH_MAX + sizeof(OBJM_STAGE_SUFFIX)];
	size_t i;
	int r;

	for (i = 0; i < m->cnt; i++) {
		struct objm_pin *p = &m->pins[i];

		if (p->kind == OBJM_DECLARED)
			continue;
		snprintf(path, sizeof(path), "%s%s", p->path, OBJM_STAGE_SUFFIX);
		/* left by a loader that was killed */
		xctl_pin_path_unlink(m->fs, path, NULL);
		r = xctl_pin_path_pin(m->fs, bpf_map__fd(p->map), path, err);
		if (r)
			return r;
		p->staged = true;
	}
	return 0;
}

static bool planned(const struct objm *m, const char *file)
{
	size_t i;

	for (i = 0; i < m->cnt; i++)
		if (!m->pins[i].shared && !strcmp(m->pins[i].file, file))
			return true;
	return false;
}

int objm_commit(struct objm *m, struct xctl_err *err)
{
	char path[PATH_MAX + sizeof(OBJM_STAGE_SUFFIX)];
	struct dirent *de;
	size_t i;
	DIR *d;
	int r = 0, dfd;

	for (i = 0; i < m->cnt; i++) {
		struct objm_pin *p = &m->pins[i];

		if (!p->staged)
			continue;
		snprintf(path, sizeof(path), "%s%s", p->path, OBJM_STAGE_SUFFIX);
		if (xctl_pin_path_rename(m->fs, path, p->path, r ? NULL : err) && !r)
			r = -errno;
		else
			p->staged = false;
	}
	/* Pins of a previous generation that this object does not declare. */
	if (!m->fs)
		return r;	/* nothing was prepared */
	dfd = xctl_pin_opendir(m->fs, m->own_dir, NULL);
	d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d && dfd >= 0)
		close(dfd);
	while (d && (de = readdir(d))) {
		/* pins only: d_type is the entry's own type, never a link's target */
		if (de->d_type == DT_REG && !planned(m, de->d_name))
			unlinkat(dirfd(d), de->d_name, 0);
	}
	if (d)
		closedir(d);
	/* if nothing of ours is left: no directory */
	xctl_pin_path_rmdir(m->fs, m->own_dir, NULL);
	return r;
}

void objm_rollback(struct objm *m)
{
	char path[PATH_MAX + sizeof(OBJM_STAGE_SUFFIX)];
	size_t i;

	for (i = 0; i < m->cnt; i++) {
		struct objm_pin *p = &m->pins[i];

		if (p->staged) {
			snprintf(path, sizeof(path), "%s%s", p->path, OBJM_STAGE_SUFFIX);
			xctl_pin_path_unlink(m->fs, path, NULL);
			p->staged = false;
		}
		/* a pin libbpf created for this load (not one it reused) */
		if (p->kind == OBJM_DECLARED && !p->existed && bpf_map__is_pinned(p->map))
			xctl_pin_path_unlink(m->fs, p->path, NULL);
	}
	if (m->cnt && !m->dir_existed)
		xctl_pin_path_rmdir(m->fs, m->own_dir, NULL);
}

void objm_free(struct objm *m)
{
	free(m->pins);
	m->pins = NULL;
	m->cnt = 0;
}

json_t *objm_json(const struct objm *m)
{
	static const char *const kinds[] = { "pinned_by_name", "kept_alive", "runtime_globals" };
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr && i < m->cnt; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b, s:b}",
			"map", bpf_map__name(m->pins[i].map), "why", kinds[m->pins[i].kind],
			"pinned", m->pins[i].path, "shared", m->pins[i].shared,
			"reused", m->pins[i].existed));
	return arr;
}

void objm_shared_names(const struct objm *m, char *buf, size_t len)
{
	size_t i, used = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < m->cnt && used < len; i++)
		if (m->pins[i].shared)
			used += snprintf(buf + used, len - used, "%s%s", used ? "," : "",
					 m->pins[i].file);
}

int objm_remove_dir(const char *dir, json_t *removed, struct xctl_err *err)
{
	struct dirent *de;
	struct stat st;
	int dfd, r = 0;
	DIR *d;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? 0 : xctl_errf(err, errno, "cannot open %s", dir);
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return xctl_errf(err, errno, "cannot read %s", dir);
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		/* pins only: a symlink or directory here is not ours */
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		if (unlinkat(dfd, de->d_name, 0)) {
			if (!r)
				r = xctl_errf(err, errno, "cannot remove %s/%s", dir, de->d_name);
			continue;
		}
		if (removed)
			json_array_append_new(removed, json_string(de->d_name));
	}
	closedir(d);
	if (!r && rmdir(dir) && errno != ENOENT) {
		r = xctl_errf(err, errno, "cannot remove %s", dir);
		if (errno == ENOTEMPTY)
			xctl_err_why(err, "it holds entries that are not pins of xctl");
	}
	return r;
}
