// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The maps and runtime globals of a module: what an object file declares
 * (module info OBJ), what a loaded module has in the kernel (module info
 * NAME: the maps its programs use and those it keeps pinned), and `module
 * set`, which writes runtime globals (.data/.bss) of a loaded module, the
 * equivalent of /sys/module/NAME/parameters/.
 *
 * Runtime globals live in the module's .data/.bss array maps (one element,
 * the section's image, described by a BTF DATASEC). A value is parsed and
 * range-checked against its variable's BTF type exactly as parameters are
 * (xctl_btf_set_member()); each map is written with one update of its
 * whole image, after every assignment of the command has been checked.
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
#include "compat.h"
#include "core_priv.h"
#include "module_priv.h"

static const char *datasec_name(const struct btf *btf, uint32_t type_id)
{
	const struct btf_type *t = btf ? btf__type_by_id(btf, type_id) : NULL;

	return t && btf_is_datasec(t) ? btf__name_by_offset(btf, t->name_off) : NULL;
}

static bool runtime_sec(const char *sec)
{
	return sec && (!strcmp(sec, ".data") || !strcmp(sec, ".bss") ||
		       !strncmp(sec, ".data.", 6));
}

/* C text of a map's key or value type: the section name for a DATASEC. */
static json_t *type_json(const struct btf *btf, uint32_t id)
{
	const char *sec = datasec_name(btf, id);
	char *text;
	json_t *j;

	if (!btf || !id)
		return json_null();
	if (sec)
		return json_string(sec);
	text = mod_type_text(btf, id);
	j = text ? json_string(text) : json_null();
	free(text);
	return j ?: json_null();
}

static json_t *map_json(const char *name, uint32_t type, const struct btf *btf,
			uint32_t key_id, uint32_t value_id, uint32_t key_size,
			uint32_t value_size, uint32_t max_entries, uint32_t flags)
{
	const char *tn = libbpf_bpf_map_type_str(type);

	return json_pack("{s:s, s:o, s:o, s:o, s:I, s:I, s:o, s:I}", "name", name,
			 "type", tn ? json_string(tn) : json_integer(type),
			 "key_type", type_json(btf, key_id),
			 "value_type", type_json(btf, value_id),
			 "key_size", (json_int_t)key_size,
			 "value_size", (json_int_t)value_size,
			 /* 0: the object leaves the size to the loader */
			 "max_entries", max_entries ? json_integer(max_entries) : json_null(),
			 "flags", (json_int_t)flags);
}

json_t *mod_obj_maps_json(struct bpf_object *obj)
{
	const struct btf *btf = bpf_object__btf(obj);
	json_t *arr = json_array(), *e;
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj) {
		if (bpf_map__type(m) == BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		e = map_json(bpf_map__name(m), bpf_map__type(m), btf,
			     bpf_map__btf_key_type_id(m), bpf_map__btf_value_type_id(m),
			     bpf_map__key_size(m), bpf_map__value_size(m),
			     bpf_map__max_entries(m), bpf_map__map_flags(m));
		if (!e)
			continue;
		json_object_set_new(e, "pinning", json_string(bpf_map__pin_path(m) ?
							      "by_name" : "none"));
		json_object_set_new(e, "pinned", json_null());
		json_object_set_new(e, "id", json_null());
		json_array_append_new(arr, e);
	}
	return arr;
}

int mod_obj_globals(struct bpf_object *obj, json_t *arr, struct xctl_err *err)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *m;
	const void *init;
	size_t size;
	int r;

	bpf_object__for_each_map(m, obj) {
		if (!bpf_map__is_internal(m) ||
		    !runtime_sec(datasec_name(btf, bpf_map__btf_value_type_id(m))))
			continue;
		size = 0;
		init = bpf_map__initial_value(m, &size);
		r = mod_vars_merge(arr, btf, bpf_map__btf_value_type_id(m), init, size,
				   "default", true, err);
		if (r)
			return r;
	}
	return 0;
}

/* ---- the kernel's view of a loaded module ------------------------------ */

void mod_kern_maps_free(struct mod_kmap *maps, size_t cnt)
{
	size_t i;

	for (i = 0; i < cnt; i++)
		if (maps[i].fd >= 0)
			close(maps[i].fd);
	free(maps);
}

/* Add map id (or the map of fd, which is taken) once; pinned may be NULL. */
static int add_kmap(struct mod_kmap **maps, size_t *n, uint32_t id, int fd,
		    const char *pinned)
{
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info);
	struct mod_kmap *tmp;
	size_t i;

	if (fd < 0)
		fd = bpf_map_get_fd_by_id(id);
	if (fd < 0)
		return 0;	/* gone meanwhile */
	if (bpf_obj_get_info_by_fd(fd, &info, &len) ||
	    info.type == BPF_MAP_TYPE_STRUCT_OPS) {
		close(fd);
		return 0;	/* not a map (a pinned program), or the module's ops */
	}
	for (i = 0; i < *n; i++) {
		if ((*maps)[i].info.id != info.id)
			continue;
		if (pinned && !(*maps)[i].pinned[0])
			snprintf((*maps)[i].pinned, sizeof((*maps)[i].pinned), "%s", pinned);
		close(fd);
		return 0;
	}
	tmp = realloc(*maps, (*n + 1) * sizeof(*tmp));
	if (!tmp) {
		close(fd);
		return -ENOMEM;
	}
	*maps = tmp;
	tmp[*n].fd = fd;
	tmp[*n].info = info;
	snprintf(tmp[*n].pinned, sizeof(tmp[*n].pinned), "%s", pinned ?: "");
	(*n)++;
	return 0;
}

/* The maps pinned in dir (maps/ of the module's directory sfd). */
static int add_pinned_dir(struct mod_kmap **maps, size_t *n, int sfd, const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	int dfd, fd, r = 0;
	DIR *d;

	dfd = openat(sfd, XCTL_MODULE_MAPS, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return 0;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return 0;
	}
	while (!r && (de = readdir(d))) {
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode) ||
		    snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path))
			continue;
		fd = xctl_pin_get(dfd, de->d_name, NULL);	/* never a link */
		if (fd >= 0)
			r = add_kmap(maps, n, 0, fd, path);
	}
	closedir(d);
	return r;
}

/* The maps the module shares in its pin_root (recorded in meta). */
static int add_shared(struct mod_kmap **maps, size_t *n, const struct mod_state *s)
{
	json_t *root = mod_meta_field(s, "pin_root"), *names = mod_meta_field(s, "shared");
	const char *dir = json_string_value(root), *list = json_string_value(names);
	char path[PATH_MAX];
	size_t len;
	int fd, r = 0;

	while (!r && dir && *dir && list && *list) {
		len = strcspn(list, ",");
		if (snprintf(path, sizeof(path), "%s/%.*s", dir, (int)len, list) <
		    (int)sizeof(path) && (fd = bpf_obj_get(path)) >= 0)
			r = add_kmap(maps, n, 0, fd, path);
		list += len + (list[len] == ',');
	}
	json_decref(root);
	json_decref(names);
	return r;
}

int mod_kern_maps(const struct mod_state *s, struct mod_kmap **maps, size_t *cnt,
		  struct xctl_err *err)
{
	struct xctl_err ign = {};
	struct mod_prog *progs;
	char dir[PATH_MAX];
	uint32_t *ids, nid, k;
	size_t i, j, np, n = 0;
	int r = 0;

	*maps = NULL;
	for (i = 0; !r && i < s->cnt; i++) {
		if (!s->links[i].map_id ||
		    mod_kern_sops_progs(s->links[i].map_id, &progs, &np, &ign))
			continue;
		for (j = 0; !r && j < np; j++) {
			if (mod_prog_map_ids(progs[j].id, &ids, &nid))
				continue;
			for (k = 0; !r && k < nid; k++)
				r = add_kmap(maps, &n, ids[k], -1, NULL);
			free(ids);
		}
		free(progs);
	}
	xctl_err_reset(&ign);
	if (!r && mod_path(dir, sizeof(dir), s->dir, XCTL_MODULE_MAPS))
		r = add_pinned_dir(maps, &n, s->dfd, dir);
	if (!r)
		r = add_shared(maps, &n, s);
	if (r) {
		mod_kern_maps_free(*maps, n);
		*maps = NULL;
		return xctl_errf(err, -r, "cannot list the maps of module %s", s->name);
	}
	*cnt = n;
	return 0;
}

/* The object's map of kernel name `kname` (truncated to 15 characters). */
static struct bpf_map *obj_map(struct bpf_object *obj, const char *kname)
{
	struct bpf_map *m;

	if (!obj)
		return NULL;
	bpf_object__for_each_map(m, obj)
		if (!strncmp(bpf_map__name(m), kname, BPF_OBJ_NAME_LEN - 1))
			return m;
	return NULL;
}

json_t *mod_kern_maps_json(const struct mod_kmap *maps, size_t cnt,
			   struct bpf_object *obj)
{
	json_t *arr = json_array(), *e;
	struct bpf_map *om;
	struct btf *btf;
	size_t i;

	for (i = 0; arr && i < cnt; i++) {
		const struct bpf_map_info *in = &maps[i].info;

		btf = in->btf_id ? btf__load_from_kernel_by_id(in->btf_id) : NULL;
		e = map_json(in->name, in->type, btf, in->btf_key_type_id,
			     in->btf_value_type_id, in->key_size, in->value_size,
			     in->max_entries, in->map_flags);
		btf__free(btf);
		if (!e)
			continue;
		om = obj_map(obj, in->name);
		json_object_set_new(e, "pinning", !om ? json_null() :
				    json_string(bpf_map__pin_path(om) ? "by_name" : "none"));
		json_object_set_new(e, "pinned", maps[i].pinned[0] ?
				    json_string(maps[i].pinned) : json_null());
		json_object_set_new(e, "id", json_integer(in->id));
		json_array_append_new(arr, e);
	}
	return arr;
}

/* A runtime-globals map's BTF and current image (caller frees both). */
static int read_image(const struct mod_kmap *m, struct btf **btf, void **image,
		      struct xctl_err *err)
{
	uint32_t key = 0;

	*image = NULL;
	*btf = m->info.btf_id ? btf__load_from_kernel_by_id(m->info.btf_id) : NULL;
	if (!*btf)
		return 0;
	if (m->info.type != BPF_MAP_TYPE_ARRAY || m->info.max_entries != 1 ||
	    !runtime_sec(datasec_name(*btf, m->info.btf_value_type_id))) {
		btf__free(*btf);
		*btf = NULL;
		return 0;
	}
	*image = calloc(1, m->info.value_size);
	if (!*image || bpf_map_lookup_elem(m->fd, &key, *image)) {
		int e = *image ? errno : ENOMEM;

		free(*image);
		*image = NULL;
		btf__free(*btf);
		*btf = NULL;
		return xctl_errf(err, e, "cannot read map %u (%s)", m->info.id, m->info.name);
	}
	return 0;
}

int mod_kern_globals(const struct mod_kmap *maps, size_t cnt, json_t *arr,
		     struct xctl_err *err)
{
	struct btf *btf;
	void *image;
	size_t i;
	int r;

	for (i = 0; i < cnt; i++) {
		r = read_image(&maps[i], &btf, &image, err);
		if (!r && image)
			r = mod_vars_merge(arr, btf, maps[i].info.btf_value_type_id, image,
					   maps[i].info.value_size, "value", true, err);
		btf__free(btf);
		free(image);
		if (r)
			return r;
	}
	return 0;
}

/* ---- module set ------------------------------------------------------------ */

struct set_map {
	const struct mod_kmap *m;
	struct btf *btf;
	void *image, *orig;
	bool dirty, written;
};

/* The DATASEC variable `name` of btf's section sec_id, or NULL. */
static const struct btf_var_secinfo *find_var(const struct btf *btf, uint32_t sec_id,
					       const char *name, bool params)
{
	const struct btf_type *sec = btf__type_by_id(btf, sec_id);
	const struct btf_var_secinfo *vi;
	const struct btf_type *v;
	uint16_t i;

	if (!sec || !btf_is_datasec(sec))
		return NULL;
	vi = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++) {
		v = btf__type_by_id(btf, vi[i].type);
		if ((params ? mod_param_is : mod_global_is)(btf, vi[i].type) &&
		    !strcmp(btf__name_by_offset(btf, v->name_off), name))
			return &vi[i];
	}
	return NULL;
}

/* Is `name` a const volatile parameter of the module (its .rodata)? */
static bool is_param(const struct mod_kmap *maps, size_t cnt, const char *name)
{
	struct btf *btf;
	bool found = false;
	size_t i;

	for (i = 0; i < cnt && !found; i++) {
		if (!maps[i].info.btf_id)
			continue;
		btf = btf__load_from_kernel_by_id(maps[i].info.btf_id);
		found = btf && !strcmp(datasec_name(btf, maps[i].info.btf_value_type_id) ?: "",
				       ".rodata") &&
			find_var(btf, maps[i].info.btf_value_type_id, name, true);
		btf__free(btf);
	}
	return found;
}

static void valid_names(const struct set_map *sm, size_t n, char *buf, size_t len)
{
	const struct btf_type *sec, *v;
	const struct btf_var_secinfo *vi;
	size_t i, used = 0;
	uint16_t k;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		sec = btf__type_by_id(sm[i].btf, sm[i].m->info.btf_value_type_id);
		vi = btf_var_secinfos(sec);
		for (k = 0; k < btf_vlen(sec) && used < len; k++) {
			if (!mod_global_is(sm[i].btf, vi[k].type))
				continue;
			v = btf__type_by_id(sm[i].btf, vi[k].type);
			used += snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
					 btf__name_by_offset(sm[i].btf, v->name_off));
		}
	}
}

/* Check and apply one VAR=VALUE (VAR may name a member: VAR.field) to its image. */
static int set_one(struct set_map *sm, size_t n, const struct mod_kmap *maps,
		   size_t cnt, const char *mod, const char *kv, struct xctl_err *err)
{
	char var[128], valid[512];
	const char *eq = strchr(kv, '=');
	size_t i, vlen;
	int r;

	if (!eq || eq == kv) {
		r = xctl_errf(err, EINVAL, "invalid assignment '%s'", kv);
		xctl_err_why(err, "expected VAR=VALUE");
		return r;
	}
	vlen = strcspn(kv, "=.[");
	if (vlen >= sizeof(var))
		return xctl_errf(err, ENAMETOOLONG, "invalid assignment '%s'", kv);
	snprintf(var, sizeof(var), "%.*s", (int)vlen, kv);
	for (i = 0; i < n; i++) {
		char path[256];

		if (!find_var(sm[i].btf, sm[i].m->info.btf_value_type_id, var, false))
			continue;
		snprintf(path, sizeof(path), "%.*s", (int)(eq - kv), kv);
		r = xctl_btf_set_member(sm[i].btf, sm[i].m->info.btf_value_type_id,
					sm[i].image, sm[i].m->info.value_size, path, eq + 1, err);
		if (r) {
			char what[sizeof(err->what)];

			snprintf(what, sizeof(what), "global %.64s: %.400s", var, err->what);
			memcpy(err->what, what, sizeof(what));
			return r;
		}
		sm[i].dirty = true;
		return 0;
	}
	if (is_param(maps, cnt, var)) {
		r = xctl_errf(err, EPERM, "cannot set %s of module %s", var, mod);
		xctl_err_why(err, "%s is a parameter (const volatile), fixed when the "
			     "module is loaded", var);
		xctl_err_hint_code(err, XCTL_HINT_RELOAD_PARAM, mod, var,
				   "reload module %s with a new value of %s", mod, var);
		return r;
	}
	r = xctl_errf(err, ENOENT, "module %s has no runtime global '%s'", mod, var);
	valid_names(sm, n, valid, sizeof(valid));
	if (valid[0])
		xctl_err_hint(err, "its runtime globals: %s", valid);
	else
		xctl_err_why(err, "the module has no runtime globals (.data/.bss)");
	return r;
}

/* Write every changed image, one update per map; undo the written on failure. */
static int write_images(struct set_map *sm, size_t n, struct xctl_err *err)
{
	uint32_t key = 0;
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		if (!sm[i].dirty)
			continue;
		if (bpf_map_update_elem(sm[i].m->fd, &key, sm[i].image, BPF_ANY)) {
			r = xctl_errf(err, errno, "cannot write map %u (%s)",
				      sm[i].m->info.id, sm[i].m->info.name);
			while (i-- > 0)
				if (sm[i].written)
					bpf_map_update_elem(sm[i].m->fd, &key, sm[i].orig, BPF_ANY);
			return r;
		}
		sm[i].written = true;
	}
	return 0;
}

/* {VAR: new value} of the assignments, read back from the images. */
static json_t *set_report(const struct set_map *sm, size_t n, char *const *kv, size_t nkv)
{
	const struct btf_var_secinfo *vi;
	struct xctl_err ign = {};
	json_t *out = json_object(), *v;
	char var[128];
	size_t i, j;

	for (j = 0; out && j < nkv; j++) {
		snprintf(var, sizeof(var), "%.*s", (int)strcspn(kv[j], "=.["), kv[j]);
		for (i = 0; i < n; i++) {
			vi = find_var(sm[i].btf, sm[i].m->info.btf_value_type_id, var, false);
			if (!vi || (size_t)vi->offset + vi->size > sm[i].m->info.value_size ||
			    xctl_btf_to_json(sm[i].btf, vi->type, (char *)sm[i].image + vi->offset,
					     vi->size, NULL, &v, &ign))
				continue;
			json_object_set_new(out, var, v);
			break;
		}
	}
	xctl_err_reset(&ign);
	return out;
}

int xctl_module_set(const struct xctl_bpffs *fs, const char *name,
		    char *const *kv, size_t nkv, json_t **report,
		    struct xctl_err *err)
{
	struct mod_kmap *maps = NULL;
	struct set_map *sm = NULL;
	size_t i, cnt = 0, n = 0;
	struct mod_state s;
	int r;

	*report = NULL;
	r = mod_state_read(fs, name, &s, err);
	if (r)
		return xctl_ret(r);
	if (strcmp(mod_state_name(&s), "loaded")) {
		r = xctl_errf(err, ENOLINK, "cannot set globals of module %s", name);
		xctl_err_why(err, "it is %s", mod_state_name(&s));
		goto out;
	}
	r = mod_kern_maps(&s, &maps, &cnt, err);
	if (r)
		goto out;
	sm = calloc(cnt + 1, sizeof(*sm));
	if (!sm) {
		r = xctl_errf(err, ENOMEM, "cannot set globals of module %s", name);
		goto out;
	}
	for (i = 0; i < cnt; i++) {
		r = read_image(&maps[i], &sm[n].btf, &sm[n].image, err);
		if (r)
			goto out;
		if (!sm[n].image)
			continue;
		sm[n].m = &maps[i];
		sm[n].orig = malloc(maps[i].info.value_size);
		if (!sm[n].orig) {
			n++;
			r = xctl_errf(err, ENOMEM, "cannot set globals of module %s", name);
			goto out;
		}
		memcpy(sm[n].orig, sm[n].image, maps[i].info.value_size);
		n++;
	}
	/* every assignment checked before anything is written */
	for (i = 0; i < nkv && !r; i++)
		r = set_one(sm, n, maps, cnt, name, kv[i], err);
	if (r)
		goto out;
	r = write_images(sm, n, err);
	if (r)
		goto out;
	*report = json_pack("{s:s, s:o}", "name", name, "set", set_report(sm, n, kv, nkv));
	if (!*report)
		r = xctl_errf(err, ENOMEM, "module %s: globals set; cannot report them", name);
out:
	for (i = 0; sm && i < n; i++) {
		btf__free(sm[i].btf);
		free(sm[i].image);
		free(sm[i].orig);
	}
	free(sm);
	mod_kern_maps_free(maps, cnt);
	mod_state_free(&s);
	return xctl_ret(r);
}
