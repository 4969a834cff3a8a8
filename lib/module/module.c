// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Module load and reload: register a struct_ops object's maps through links
 * pinned under <bpffs>/xctl/modules/NAME/, all or nothing.
 *
 * Load order, and what a crash at each point leaves behind:
 *   1. mkdir NAME (atomic reservation)      -> empty dir: incomplete
 *   2. load the object (maps READY);        -> nothing registered; maps/
 *      pin its maps in NAME/maps/              holds pins unload removes
 *   3. per map: create link, pin it         -> an unpinned link dies with the
 *                                              process; pinned ones are listed
 *                                              as an incomplete module
 *   4. create meta, pin it                  -> complete
 * Failures roll back in reverse: unpin, close (the kernel unregisters), rmdir.
 * What the object declares about its maps (sizes, LIBBPF_PIN_BY_NAME, maps
 * kept alive) is applied by objmaps.c between open and load.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "core_priv.h"
#include "module_priv.h"

bool xctl_module_exists(const struct xctl_bpffs *fs, const char *name)
{
	struct xctl_err ign = {};
	char dir[PATH_MAX];
	struct stat st;

	return !mod_dir(fs, name, dir, sizeof(dir), &ign) && !lstat(dir, &st) &&
	       S_ISDIR(st.st_mode);
}

/* One struct_ops link of a loaded module, as found in its directory. */
struct old_link {
	char map[NAME_MAX + 1];
	char ops_name[64];	/* its current ops name, "" if the kind has none */
	bool non_restricted;	/* its value has TCP_CONG_NON_RESTRICTED */
	int link_fd;
	int old_map_fd;
	uint32_t map_id;
	int new_map_fd;
	bool swapped;
};

struct param_ctx {
	char *const *kv;
	size_t n;
	/*
	 * reload: the NAME=VALUE parameters the module runs with (from its
	 * meta), kept unless kv gives a new value or the new object has no
	 * such parameter. applied: what set_params() wrote, kept ones first,
	 * for the new meta (malloc'd array of pointers into kept and kv).
	 */
	char **kept;
	size_t kept_n;
	char **applied;
	size_t applied_n;
	const struct xctl_sops_rename *renames;
	size_t rename_cnt;
	/* reload: the module's current ops name per map (kept by default) */
	const struct old_link *keep;
	size_t keep_cnt;
	/* struct_ops maps to register (NULL: all; reload: the module's) */
	const char *const *sel_maps;
	size_t sel_cnt;
	bool non_restricted;
	/* what the object declares about its maps (objmaps.h) */
	const char *path;
	char own_dir[PATH_MAX];
	struct objm_opts mo;
	struct objm maps;
};

/* Is the parameter of "NAME=VALUE" also given in kv? */
static bool param_given(const char *nv, char *const *kv, size_t n)
{
	size_t len = strcspn(nv, "="), i;

	for (i = 0; i < n; i++)
		if (!strncmp(kv[i], nv, len) && kv[i][len] == '=')
			return true;
	return false;
}

/*
 * The parameters to write: the kept ones the object still has and kv does
 * not override, then kv (so kv's value wins). Fills pc->applied.
 */
static int collect_params(struct param_ctx *pc, const struct btf *btf, uint32_t sec_id,
			  struct xctl_err *err)
{
	size_t i;

	pc->applied = calloc(pc->kept_n + pc->n + 1, sizeof(*pc->applied));
	if (!pc->applied)
		return xctl_errf(err, ENOMEM, "cannot set parameters");
	for (i = 0; i < pc->kept_n; i++)
		if (btf && !param_given(pc->kept[i], pc->kv, pc->n) &&
		    mod_param_exists(btf, sec_id, pc->kept[i]))
			pc->applied[pc->applied_n++] = pc->kept[i];
	for (i = 0; i < pc->n; i++)
		pc->applied[pc->applied_n++] = pc->kv[i];
	return 0;
}

/* Write NAME=VALUE parameters (kept ones, then those given) into .rodata. */
static int set_params(struct bpf_object *obj, struct param_ctx *pc,
		      struct xctl_err *err)
{
	struct bpf_map *ro;
	const void *init;
	size_t size = 0;
	void *copy;
	int r;

	free(pc->applied);
	pc->applied = NULL;
	pc->applied_n = 0;
	if (!pc->n && !pc->kept_n)
		return 0;
	ro = mod_rodata_map(obj);
	if (!ro)
		return pc->n ? mod_params_set(NULL, 0, NULL, 0, pc->kv, pc->n, err) : 0;
	r = collect_params(pc, bpf_object__btf(obj), bpf_map__btf_value_type_id(ro), err);
	if (r)
		return r;
	init = bpf_map__initial_value(ro, &size);
	copy = init ? malloc(size) : NULL;
	if (!copy)
		return xctl_errf(err, ENOMEM, "cannot set parameters");
	memcpy(copy, init, size);
	r = mod_params_set(bpf_object__btf(obj), bpf_map__btf_value_type_id(ro),
			   copy, size, pc->applied, pc->applied_n, err);
	if (!r && bpf_map__set_initial_value(ro, copy, size))
		r = xctl_errf(err, errno, "cannot set parameters in %s", bpf_map__name(ro));
	free(copy);
	return r;
}

/* prepare callback: parameters, then map sizes and pins. */
static int prepare_obj(struct bpf_object *obj, void *ctx, struct xctl_err *err)
{
	struct param_ctx *pc = ctx;

	return set_params(obj, pc, err) ?:
	       objm_prepare(&pc->maps, obj, pc->path, &pc->mo, err);
}

const char *mod_rename_of(const struct xctl_sops_rename *renames, size_t cnt,
			  const char *map)
{
	const char *name = NULL;
	size_t i;

	for (i = 0; i < cnt; i++)
		if (!renames[i].map || !strcmp(renames[i].map, map))
			name = renames[i].ops_name;
	return name;
}

/* rename callback: an explicit ops_name wins, then (reload) the current one. */
static const char *rename_ops(const char *map, const char *ops_name, void *ctx)
{
	const struct param_ctx *pc = ctx;
	const char *name = NULL;
	size_t i;

	(void)ops_name;
	for (i = 0; i < pc->keep_cnt; i++)
		if (!strcmp(pc->keep[i].map, map) && pc->keep[i].ops_name[0])
			name = pc->keep[i].ops_name;
	return mod_rename_of(pc->renames, pc->rename_cnt, map) ?: name;
}

/*
 * Every "ops_name MAP=NAME" must name a struct_ops map of the object (checked
 * on the object as opened: it is read once).
 */
static int check_renames(const char *path, const struct xctl_sops_obj *o,
			 const struct param_ctx *pc, struct xctl_err *err)
{
	size_t i, j, cnt = xctl_sops_obj_all_map_cnt(o);
	int r;

	for (i = 0; i < pc->rename_cnt; i++) {
		if (!pc->renames[i].map)
			continue;
		for (j = 0; j < cnt; j++)
			if (!strcmp(xctl_sops_obj_map_name(o, j), pc->renames[i].map))
				break;
		if (j == cnt) {
			r = xctl_errf(err, ENOENT, "cannot rename the ops of map %s",
				      pc->renames[i].map);
			xctl_err_why(err, "%s has no struct_ops map of that name", path);
			return r;
		}
	}
	return 0;
}

/*
 * Open OBJ with parameters, sizes, pin paths, struct_ops map selection and
 * flags applied; refuse map names that clash with meta or maps/. dir is the
 * module's directory; pin_root (NULL: none) the resolved shared directory.
 * pc->sel_maps and pc->non_restricted are reload's defaults unless opts
 * gives them.
 */
static int open_obj(const char *path, const struct xctl_module_load_opts *opts,
		    const struct xctl_bpffs *fs, const char *dir, const char *pin_root,
		    struct param_ctx *pc, struct xctl_sops_obj **o,
		    struct xctl_err *err)
{
	XCTL_OPTS(xctl_sops_open_opts, oo, .prepare = prepare_obj, .prepare_ctx = pc,
		  .rename = rename_ops, .rename_ctx = pc, .need_selected = true);
	const char *map;
	size_t i;
	int r;

	pc->kv = XCTL_OPT(opts, params, NULL);
	pc->n = pc->kv ? XCTL_OPT(opts, param_cnt, 0) : 0;
	pc->renames = XCTL_OPT(opts, renames, NULL);
	pc->rename_cnt = pc->renames ? XCTL_OPT(opts, rename_cnt, 0) : 0;
	pc->path = path;
	pc->mo.fs = fs;
	pc->mo.pin_root = pin_root;
	pc->mo.max_entries = XCTL_OPT(opts, max_entries, NULL);
	pc->mo.max_entries_cnt = pc->mo.max_entries ? XCTL_OPT(opts, max_entries_cnt, 0) : 0;
	pc->mo.pin_data = true;
	if (!mod_path(pc->own_dir, sizeof(pc->own_dir), dir, XCTL_MODULE_MAPS))
		return xctl_errf(err, ENAMETOOLONG, "module directory %s", dir);
	pc->mo.own_dir = pc->own_dir;
	if (XCTL_OPT(opts, maps, NULL) && XCTL_OPT(opts, map_cnt, 0)) {
		pc->sel_maps = XCTL_OPT(opts, maps, NULL);
		pc->sel_cnt = XCTL_OPT(opts, map_cnt, 0);
	}
	pc->non_restricted |= XCTL_OPT(opts, non_restricted, false);
	oo.maps = pc->sel_maps;
	oo.map_cnt = pc->sel_maps ? pc->sel_cnt : 0;
	oo.non_restricted = pc->non_restricted;
	r = xctl_sops_obj_open(path, &oo, o, err);
	if (r)
		return r;
	r = check_renames(path, *o, pc, err);
	if (r) {
		xctl_sops_obj_close(*o);
		*o = NULL;
		return r;
	}
	for (i = 0; i < xctl_sops_obj_map_cnt(*o); i++) {
		map = bpf_map__name(xctl_sops_obj_map(*o, i));
		if (strcmp(map, XCTL_MODULE_META) && strcmp(map, XCTL_MODULE_MAPS))
			continue;
		xctl_sops_obj_close(*o);
		*o = NULL;
		r = xctl_errf(err, EINVAL, "cannot load %s as a module", path);
		xctl_err_why(err, "its struct_ops map is named '%s', which xctl uses for "
			     "the module's %s", map,
			     strcmp(map, XCTL_MODULE_META) ? "pinned maps" : "metadata");
		xctl_err_hint(err, "rename the map");
		return r;
	}
	return 0;
}

/* Remove what a failed load created, newest first. */
static void rollback(const struct xctl_bpffs *fs, const char *dir,
		     struct xctl_sops_obj *o, const int *links, const bool *pinned,
		     size_t cnt)
{
	char path[PATH_MAX];
	size_t i;

	for (i = cnt; i-- > 0;) {
		if (pinned[i]) {
			mod_path(path, sizeof(path), dir, bpf_map__name(xctl_sops_obj_map(o, i)));
			xctl_pin_path_unlink(fs, path, NULL);
		}
		if (links[i] >= 0)
			close(links[i]);	/* last reference: unregistered */
	}
	xctl_pin_path_rmdir(fs, dir, NULL);
}

static int pin_meta(const struct xctl_bpffs *fs, const char *dir, const struct mod_meta *m,
		    struct xctl_err *err)
{
	char path[PATH_MAX];
	int fd, r;

	fd = mod_meta_create(m, err);
	if (fd < 0)
		return fd;
	xctl_test_pause("meta", NULL);
	mod_path(path, sizeof(path), dir, XCTL_MODULE_META);
	r = xctl_pin_path_pin(fs, fd, path, err);
	close(fd);
	return r;
}

/* Pin the record m at path (replacing a stale one of an interrupted reload). */
static int stage_meta(const struct xctl_bpffs *fs, const struct mod_meta *m,
		      const char *path, struct xctl_err *err)
{
	int fd, r;

	fd = mod_meta_create(m, err);
	if (fd < 0)
		return fd;
	r = xctl_pin_path_unlink(fs, path, err);
	if (r == -ENOENT)
		xctl_err_reset(err);
	r = (r && r != -ENOENT) ? r : xctl_pin_path_pin(fs, fd, path, err);
	close(fd);
	return r;
}

/* meta's value, filled before anything is reserved so it cannot fail late. */
static int fill_meta(struct mod_meta *m, const char *name, const char *obj_path,
		     const struct xctl_sops_obj *o, const struct param_ctx *pc,
		     struct xctl_err *err)
{
	json_t *given = pc->applied ? mod_params_given(pc->applied, pc->applied_n)
				    : mod_params_given(pc->kv, pc->n);
	char shared[sizeof(m->shared)];
	int r;

	r = mod_meta_fill(m, name, obj_path, xctl_sops_obj_sha256(o), given, err);
	json_decref(given);
	if (r)
		return r;
	objm_shared_names(&pc->maps, shared, sizeof(shared));
	return mod_meta_set_pins(m, pc->maps.pin_root, shared, err) ?:
	       mod_meta_set_sops(m, o, pc->non_restricted, err);
}

int xctl_module_load(const struct xctl_bpffs *fs, const char *obj_path,
		     const struct xctl_module_load_opts *opts,
		     struct xctl_err *err)
{
	const char *name = XCTL_OPT(opts, name, NULL);
	char dir[PATH_MAX], path[PATH_MAX], defname[64];
	struct xctl_sops_obj *o = NULL;
	struct param_ctx pc;
	struct mod_meta meta;
	bool *pinned = NULL;
	int *links = NULL;
	size_t i, cnt = 0;
	int r, fd;

	memset(&pc, 0, sizeof(pc));
	r = XCTL_OPTS_CHECK(opts, xctl_module_load_opts, err);
	if (r)
		return xctl_ret(r);
	if (!xctl_features()->sops_link) {
		r = xctl_errf(err, EOPNOTSUPP, "cannot load module from %s", obj_path);
		xctl_err_why(err, "modules register through struct_ops links, which this "
			     "kernel lacks (Linux 6.4 or later)");
		xctl_err_hint_code(err, XCTL_HINT_LEGACY, NULL, NULL,
				   "register the object's struct_ops the legacy way");
		return xctl_ret(r);
	}
	if (!name) {
		r = xctl_module_default_name(obj_path, defname, sizeof(defname), err);
		if (r) {
			xctl_err_hint(err, "give one with 'name NAME'");
			return xctl_ret(r);
		}
		name = defname;
	}
	r = mod_dir(fs, name, dir, sizeof(dir), err) ?:
	    open_obj(obj_path, opts, fs, dir, XCTL_OPT(opts, pin_root, NULL), &pc, &o, err);
	if (r)
		goto out;
	r = fill_meta(&meta, name, obj_path, o, &pc, err);
	if (r)
		goto out;
	cnt = xctl_sops_obj_map_cnt(o);
	links = malloc(cnt * sizeof(*links));
	pinned = calloc(cnt, sizeof(*pinned));
	if (!links || !pinned) {
		r = xctl_errf(err, ENOMEM, "cannot load module %s", name);
		goto out;
	}
	for (i = 0; i < cnt; i++)
		links[i] = -1;

	r = xctl_bpffs_mkdir(fs, XCTL_MODULE_SUBDIR, err);
	if (r)
		goto out;
	if (xctl_pin_path_mkdir(fs, dir, NULL)) {
		int e = errno;

		r = xctl_errf(err, e, "cannot reserve module name %s", name);
		if (e == EEXIST) {
			xctl_err_why(err, "module %s is loaded or being loaded", name);
			xctl_err_hint(err, "unload it first, or choose another name with 'name NAME'");
		}
		goto out;
	}
	xctl_test_pause("reserved", NULL);

	r = objm_begin(&pc.maps, err) ?: xctl_sops_obj_load(o, err) ?:
	    objm_stage(&pc.maps, err);
	if (r)
		goto fail;
	xctl_test_pause("loaded", NULL);
	for (i = 0; i < cnt; i++) {
		const char *map = bpf_map__name(xctl_sops_obj_map(o, i));

		fd = xctl_sops_obj_link_create(o, i, err);
		if (fd < 0) {
			r = fd;
			goto fail;
		}
		links[i] = fd;
		xctl_test_pause("registered", map);
		mod_path(path, sizeof(path), dir, map);
		r = xctl_pin_path_pin(fs, fd, path, err);
		if (r)
			goto fail;
		pinned[i] = true;
		xctl_test_pause("pinned", map);
	}
	r = mod_meta_set_maps(&meta, o, err) ?: objm_commit(&pc.maps, err) ?:
	    pin_meta(fs, dir, &meta, err);
	if (r)
		goto fail;
	for (i = 0; i < cnt; i++)
		close(links[i]);	/* the pins keep them */
	goto out;
fail:
	objm_rollback(&pc.maps);
	rollback(fs, dir, o, links, pinned, cnt);
out:
	free(links);
	free(pinned);
	free(pc.applied);
	xctl_sops_obj_close(o);
	objm_free(&pc.maps);
	return xctl_ret(r);
}

/*
 * The parameters module dir runs with, as "NAME=VALUE" strings (meta's
 * params: what load and the reloads since were given). A module whose meta
 * has none keeps nothing.
 */
static int current_params(const struct xctl_bpffs *fs, const char *meta_pin,
			  char ***out, size_t *cnt, struct xctl_err *err)
{
	json_t *meta = NULL, *given = NULL, *v;
	const char *key;
	char **kv;
	size_t n = 0;
	int r;

	*out = NULL;
	*cnt = 0;
	r = mod_meta_read(fs, meta_pin, &meta, err);
	if (r)
		return r;
	key = json_string_value(json_object_get(meta, "params"));
	given = key ? json_loads(key, 0, NULL) : NULL;
	json_decref(meta);
	if (!json_is_object(given) || !json_object_size(given)) {
		json_decref(given);
		return 0;
	}
	kv = calloc(json_object_size(given) + 1, sizeof(*kv));
	if (!kv) {
		json_decref(given);
		return xctl_errf(err, ENOMEM, "cannot read the module's parameters");
	}
	json_object_foreach(given, key, v) {
		if (!json_is_string(v))
			continue;
		if (asprintf(&kv[n], "%s=%s", key, json_string_value(v)) < 0) {
			kv[n] = NULL;
			r = xctl_errf(err, ENOMEM, "cannot read the module's parameters");
			break;
		}
		n++;
	}
	json_decref(given);
	*out = kv;
	*cnt = n;
	return r;
}

static void free_params(char **kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(kv[i]);
	free(kv);
}

/* Open the module's link pins; fills *links (malloc'd) and *cnt. */
static int open_links(const struct xctl_bpffs *fs, const char *dir, const char *name,
		      struct old_link **links, size_t *cnt, struct xctl_err *err)
{
	struct old_link *l = NULL, *tmp;
	char path[PATH_MAX];
	uint32_t link_id;
	struct dirent **ents;
	size_t n = 0;
	int i, ne, r = 0;

	ne = scandir(dir, &ents, NULL, alphasort);
	if (ne < 0)
		return xctl_errf(err, errno, "cannot read module %s (%s)", name, dir);
	for (i = 0; i < ne; i++) {
		const char *e = ents[i]->d_name;

		if (r || !strcmp(e, ".") || !strcmp(e, "..") || !strcmp(e, XCTL_MODULE_META) ||
		    !strcmp(e, XCTL_MODULE_MAPS) || !strcmp(e, MOD_META_NEW))
			continue;
		tmp = realloc(l, (n + 1) * sizeof(*l));
		if (!tmp) {
			r = xctl_errf(err, ENOMEM, "cannot read module %s", name);
			continue;
		}
		l = tmp;
		memset(&l[n], 0, sizeof(l[n]));
		snprintf(l[n].map, sizeof(l[n].map), "%s", e);
		l[n].old_map_fd = l[n].new_map_fd = -1;
		mod_path(path, sizeof(path), dir, e);
		l[n].link_fd = xctl_pin_path_get(fs, path, err);	/* never a link */
		n++;
		if (l[n - 1].link_fd < 0) {
			r = l[n - 1].link_fd;
			continue;
		}
		if (xctl_sops_link_map_id(l[n - 1].link_fd, &l[n - 1].map_id, &link_id) ||
		    !l[n - 1].map_id) {
			r = xctl_errf(err, ENOLINK, "module %s is not fully registered", name);
			xctl_err_why(err, "the link of %s is detached or not a struct_ops link", e);
			xctl_err_hint(err, "unload it and load it again");
			continue;
		}
		l[n - 1].old_map_fd = bpf_map_get_fd_by_id(l[n - 1].map_id);
		if (l[n - 1].old_map_fd < 0)
			r = xctl_errf(err, errno, "cannot open struct_ops map %u of %s",
				      l[n - 1].map_id, e);
	}
	for (i = 0; i < ne; i++)
		free(ents[i]);
	free(ents);
	*links = l;
	*cnt = n;
	return r;
}

static void close_links(struct old_link *l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (l[i].link_fd >= 0)
			close(l[i].link_fd);
		if (l[i].old_map_fd >= 0)
			close(l[i].old_map_fd);
	}
	free(l);
}

/*
 * The current ops name of each of the module's maps, and whether it is
 * TCP_CONG_NON_RESTRICTED (0x1), from the kernel inventory.
 */
static int keep_ops_names(struct old_link *l, size_t n, struct xctl_err *err)
{
	struct xctl_sops_list inv = {};
	size_t i, j;
	int r;

	r = mod_sops_list(&inv, NULL, err);
	if (r)
		return r;
	for (i = 0; i < n; i++)
		for (j = 0; j < inv.cnt; j++)
			if (inv.maps[j].id == l[i].map_id) {
				if (inv.maps[j].has_ops_name)
					snprintf(l[i].ops_name, sizeof(l[i].ops_name), "%s",
						 inv.maps[j].ops_name);
				l[i].non_restricted = inv.maps[j].has_flags &&
						      (inv.maps[j].flags & 0x1);
			}
	xctl_sops_list_free(&inv);
	return 0;
}

/* Same map names and kinds; for tcp CAs also the same .name (kernel rule). */
static int match_maps(const char *name, struct old_link *l, size_t n,
		      struct xctl_sops_obj *o, struct xctl_err *err)
{
	char kind[64];
	size_t i, j;
	int r;

	if (n != xctl_sops_obj_map_cnt(o)) {
		r = xctl_errf(err, EINVAL, "cannot reload module %s", name);
		xctl_err_why(err, "it has %zu struct_ops maps, the new object %zu",
			     n, xctl_sops_obj_map_cnt(o));
		return r;
	}
	for (j = 0; j < n; j++) {
		struct bpf_map *m = xctl_sops_obj_map(o, j);

		for (i = 0; i < n && strcmp(l[i].map, bpf_map__name(m)); i++)
			;
		if (i == n) {
			r = xctl_errf(err, EINVAL, "cannot reload module %s", name);
			xctl_err_why(err, "the new object's struct_ops map %s is not one of "
				     "the module's", bpf_map__name(m));
			xctl_err_hint(err, "reload needs the same struct_ops map names");
			return r;
		}
		r = mod_kern_sops_kind(l[i].map_id, kind, sizeof(kind), err);
		if (r)
			return r;
		if (strcmp(kind, xctl_sops_obj_kind(o, j))) {
			r = xctl_errf(err, EINVAL, "cannot reload module %s", name);
			xctl_err_why(err, "map %s is a %s in the module but a %s in the new object",
				     l[i].map, kind, xctl_sops_obj_kind(o, j));
			return r;
		}
	}
	return 0;
}

/* Undo the swaps done so far (best effort: each restores the old map). */
static void revert_swaps(struct old_link *l, size_t n)
{
	struct xctl_err ign = {};
	size_t i;

	for (i = 0; i < n; i++) {
		if (!l[i].swapped)
			continue;
		if (!xctl_sops_link_update(l[i].link_fd, l[i].old_map_fd, l[i].new_map_fd, &ign))
			l[i].swapped = false;
		xctl_err_reset(&ign);
	}
}

/* Explain the kernel's refusals of a struct_ops link update. */
static void swap_hint(struct xctl_err *err, struct xctl_sops_obj *o,
		      const char *map, int r)
{
	const char *kind = "";
	size_t i;

	for (i = 0; i < xctl_sops_obj_map_cnt(o); i++)
		if (!strcmp(bpf_map__name(xctl_sops_obj_map(o, i)), map))
			kind = xctl_sops_obj_kind(o, i);
	if (err->hint[0])
		return;
	if (r == -EOPNOTSUPP)
		xctl_err_hint(err, "the kernel cannot replace a %s in place; nothing was "
			      "changed (unload and load the module instead)", kind);
	else if (r == -EINVAL && !strcmp(kind, "tcp_congestion_ops"))
		xctl_err_hint(err, "a tcp_congestion_ops keeps its .name across a reload; "
			      "nothing was changed");
}

/* The pin_root recorded in the module's meta: true if there is one. */
static bool meta_pin_root(const struct xctl_bpffs *fs, const char *meta, char *buf,
			  size_t len)
{
	struct xctl_err ign = {};
	json_t *doc = NULL;
	const char *v;
	bool found;

	if (mod_meta_read(fs, meta, &doc, &ign))
		xctl_err_reset(&ign);
	v = doc ? json_string_value(json_object_get(doc, "pin_root")) : NULL;
	found = v && *v && snprintf(buf, len, "%s", v) < (int)len;
	json_decref(doc);
	return found;
}

/* A reload's object must have the module's maps, unless 'map' picks others. */
static int check_has_maps(const char *name, const char *path, const struct old_link *l,
			  size_t n, struct xctl_err *err)
{
	struct xctl_sops_obj *o;
	size_t i, j, cnt;
	int r;

	r = xctl_sops_obj_open(path, NULL, &o, err);
	if (r)
		return r;
	cnt = xctl_sops_obj_all_map_cnt(o);
	for (i = 0; i < n && !r; i++) {
		for (j = 0; j < cnt; j++)
			if (!strcmp(xctl_sops_obj_map_name(o, j), l[i].map))
				break;
		if (j < cnt)
			continue;
		r = xctl_errf(err, EINVAL, "cannot reload module %s", name);
		xctl_err_why(err, "%s has no struct_ops map %s, which the module registers",
			     path, l[i].map);
		xctl_err_hint(err, "reload needs the same struct_ops map names");
	}
	xctl_sops_obj_close(o);
	return r;
}

/*
 * What a reload registers unless told otherwise: the module's own maps (its
 * pinned links), non_restricted when its CAs have it. *maps (malloc'd) holds
 * the names.
 */
static int reload_defaults(struct param_ctx *pc, const struct old_link *l, size_t n,
			   const char ***maps, struct xctl_err *err)
{
	size_t i;

	*maps = calloc(n ? n : 1, sizeof(**maps));
	if (!*maps)
		return xctl_errf(err, ENOMEM, "cannot reload module");
	for (i = 0; i < n; i++) {
		(*maps)[i] = l[i].map;
		pc->non_restricted |= l[i].non_restricted;
	}
	pc->sel_maps = *maps;
	pc->sel_cnt = n;
	return 0;
}

int xctl_module_reload(const struct xctl_bpffs *fs, const char *name,
		       const char *obj_path,
		       const struct xctl_module_load_opts *opts,
		       struct xctl_err *err)
{
	char dir[PATH_MAX], meta[PATH_MAX], meta_new[PATH_MAX], kept_root[PATH_MAX];
	struct xctl_sops_obj *o = NULL;
	const char **own_maps = NULL;
	const char *pin_root;
	struct old_link *l = NULL;
	struct param_ctx pc;
	struct mod_meta m;
	size_t i, n = 0;
	int r, dfd, kind;

	r = XCTL_OPTS_CHECK(opts, xctl_module_load_opts, err) ?:
	    mod_dir(fs, name, dir, sizeof(dir), err);
	if (r)
		return xctl_ret(r);
	if (!xctl_features()->sops_link_update) {
		r = xctl_errf(err, EOPNOTSUPP, "cannot reload module %s", name);
		xctl_err_why(err, "this kernel cannot update struct_ops links (Linux 6.4 or later)");
		xctl_err_hint(err, "unload the module and load the new object");
		return xctl_ret(r);
	}
	mod_path(meta, sizeof(meta), dir, XCTL_MODULE_META);
	mod_path(meta_new, sizeof(meta_new), dir, MOD_META_NEW);
	dfd = xctl_pin_opendir(fs, dir, err);	/* a link there is refused */
	if (dfd == -ENOENT) {
		xctl_err_reset(err);
		r = xctl_errf(err, ENOENT, "module %s is not loaded", name);
		xctl_err_hint_code(err, XCTL_HINT_LOAD_MODULE, name, NULL,
				   "load an object as module %s first", name);
		return xctl_ret(r);
	}
	if (dfd < 0)
		return xctl_ret(dfd);
	kind = xctl_pin_kind(dfd, XCTL_MODULE_META);
	if (kind >= 0 && kind != XCTL_PIN_OBJ) {
		/* a link or anything else where the record belongs: refused */
		r = xctl_pin_get(dfd, XCTL_MODULE_META, err);
		close(dfd);
		if (r >= 0) {
			close(r);
			r = xctl_errf(err, EINVAL, "cannot reload module %s", name);
		}
		return xctl_ret(r);
	}
	close(dfd);
	if (kind != XCTL_PIN_OBJ) {
		r = xctl_errf(err, ENOENT, "cannot reload module %s", name);
		xctl_err_why(err, "its load did not complete (no meta)");
		xctl_err_hint(err, "unload it and load it again");
		return xctl_ret(r);
	}
	memset(&pc, 0, sizeof(pc));
	r = (XCTL_OPT(opts, defaults, false) ? 0 :
	     current_params(fs, meta, &pc.kept, &pc.kept_n, err)) ?:
	    open_links(fs, dir, name, &l, &n, err) ?:
	    keep_ops_names(l, n, err);
	if (r)
		goto out;
	pc.keep = l;
	pc.keep_cnt = n;
	r = reload_defaults(&pc, l, n, &own_maps, err) ?:
	    (XCTL_OPT(opts, map_cnt, 0) ? 0 : check_has_maps(name, obj_path, l, n, err));
	if (r)
		goto out;
	pin_root = XCTL_OPT(opts, pin_root, NULL);
	if (!pin_root && meta_pin_root(fs, meta, kept_root, sizeof(kept_root)))
		pin_root = kept_root;
	r = open_obj(obj_path, opts, fs, dir, pin_root, &pc, &o, err) ?:
	    fill_meta(&m, name, obj_path, o, &pc, err) ?:
	    match_maps(name, l, n, o, err);
	if (r)
		goto out;
	r = objm_begin(&pc.maps, err) ?: xctl_sops_obj_load(o, err) ?:
	    objm_stage(&pc.maps, err);
	if (r)
		goto fail;
	/* Refresh the new fds: loading may have recreated the maps. */
	for (i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < n; j++)
			if (!strcmp(l[i].map, bpf_map__name(xctl_sops_obj_map(o, j))))
				l[i].new_map_fd = bpf_map__fd(xctl_sops_obj_map(o, j));
	}
	/*
	 * The new record first, as meta-new: killed during the swaps or before
	 * the rename, the module has both records and the maps its links run
	 * say which one is true (mod_state_read).
	 */
	r = mod_meta_set_maps(&m, o, err) ?: stage_meta(fs, &m, meta_new, err);
	if (r)
		goto fail;
	xctl_test_pause("staged", NULL);
	for (i = 0; i < n; i++) {
		r = xctl_sops_link_update(l[i].link_fd, l[i].new_map_fd, l[i].old_map_fd, err);
		if (r) {
			revert_swaps(l, n);
			xctl_pin_path_unlink(fs, meta_new, NULL);
			swap_hint(err, o, l[i].map, r);
			goto fail;
		}
		l[i].swapped = true;
		xctl_test_pause("swapped", l[i].map);
	}
	/* meta before the pins: a failed rename leaves the old pins intact */
	r = xctl_pin_path_rename(fs, meta_new, meta, err);
	if (r) {
		revert_swaps(l, n);
		xctl_pin_path_unlink(fs, meta_new, NULL);
		goto fail;
	}
	r = objm_commit(&pc.maps, err);
	goto out;
fail:
	objm_rollback(&pc.maps);
out:
	free(own_maps);
	close_links(l, n);
	xctl_sops_obj_close(o);
	objm_free(&pc.maps);
	free(pc.applied);
	free_params(pc.kept, pc.kept_n);
	return xctl_ret(r);
}
