// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `xctl struct_ops register/unregister`: whole-object registration through
 * pinned links (all or nothing), unregistration of link-based and legacy
 * maps. `dump` is lib/struct_ops/sops_dump.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xctl_priv.h"
#include "core_priv.h"
#include "compat.h"
#include "sops_priv.h"

#define SOPS_PIN_SUBDIR	"struct_ops"

struct reg_state {
	char dir[PATH_MAX];
	bool made_dir;		/* dir created by this command */
	int *links;
	bool *pinned;
	size_t cnt;
};

static const char *rename_cb(const char *map, const char *cur, void *ctx)
{
	const struct xctl_sops_register_opts *opts = ctx;
	const struct xctl_sops_rename *r = XCTL_OPT(opts, renames, NULL);
	size_t i, n = r ? XCTL_OPT(opts, rename_cnt, 0) : 0;

	(void)cur;
	for (i = 0; i < n; i++)
		if (r[i].map && !strcmp(r[i].map, map))
			return r[i].ops_name;
	for (i = 0; i < n; i++)
		if (!r[i].map)
			return r[i].ops_name;
	return NULL;
}

static int check_renames(const struct xctl_sops_obj *o, const char *path,
			 const struct xctl_sops_register_opts *opts, struct xctl_err *err)
{
	const struct xctl_sops_rename *r = XCTL_OPT(opts, renames, NULL);
	size_t i, j, n = r ? XCTL_OPT(opts, rename_cnt, 0) : 0;

	for (i = 0; i < n; i++) {
		if (!r[i].map)
			continue;
		for (j = 0; j < xctl_sops_obj_all_map_cnt(o); j++)
			if (!strcmp(xctl_sops_obj_map_name(o, j), r[i].map))
				break;
		if (j == xctl_sops_obj_all_map_cnt(o) || !xctl_sops_obj_ops_name(o, j)) {
			int e = xctl_errf(err, EINVAL, "cannot rename the ops of map %s",
					  r[i].map);

			xctl_err_why(err, "%s has no struct_ops map %s with a name",
				     path, r[i].map);
			return e;
		}
	}
	return 0;
}

/*
 * want as an absolute path without "." or ".." components (a relative one
 * is taken from the working directory): the tree below fs->base is then
 * walked component by component, never through a link.
 */
static int abs_pin_dir(const char *want, char *out, size_t len, struct xctl_err *err)
{
	char cwd[PATH_MAX];
	const char *p;
	int n;

	if (want[0] == '/') {
		n = snprintf(out, len, "%s", want);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return xctl_errf(err, errno, "cannot use pin directory %s", want);
		n = snprintf(out, len, "%s/%s", cwd, want);
	}
	if (n < 0 || (size_t)n >= len)
		return xctl_errf(err, ENAMETOOLONG, "pin directory %s", want);
	while (n > 1 && out[n - 1] == '/')
		out[--n] = '\0';
	for (p = out; *p; p += strcspn(p, "/")) {
		p += strspn(p, "/");
		if ((p[0] == '.' && (p[1] == '/' || !p[1])) ||
		    (p[0] == '.' && p[1] == '.' && (p[2] == '/' || !p[2]))) {
			int r = xctl_errf(err, EINVAL, "cannot use pin directory %s", want);

			xctl_err_why(err, "it has a '.' or '..' component");
			xctl_err_hint(err, "give the directory as a plain path below the bpffs");
			return r;
		}
	}
	return 0;
}

/* Resolve (and create when missing) the directory the links are pinned in. */
static int pin_dir(const struct xctl_bpffs *fs, const char *want, struct reg_state *s,
		   struct xctl_err *err)
{
	int r, dfd;

	if (!want) {
		return xctl_bpffs_mkdir(fs, SOPS_PIN_SUBDIR, err) ?:
		       xctl_bpffs_path(fs, SOPS_PIN_SUBDIR, s->dir, sizeof(s->dir), err);
	}
	r = abs_pin_dir(want, s->dir, sizeof(s->dir), err);
	if (r)
		return r;
	if (!sops_below_base(fs, s->dir)) {
		r = xctl_errf(err, EINVAL, "cannot pin at %s", want);
		if (xctl_is_bpffs(s->dir))
			xctl_err_why(err, "it is outside %s", fs->base);
		else
			xctl_err_why(err, "it is not on a bpffs below %s", fs->base);
		xctl_err_hint(err, "xctl pins only below %s", fs->base);
		return r;
	}
	dfd = xctl_pin_opendir(fs, s->dir, err);
	if (dfd >= 0) {
		close(dfd);
		return 0;
	}
	if (dfd != -ENOENT)
		return dfd;
	/* a new directory: its parent must be a directory below base */
	r = xctl_pin_path_mkdir(fs, s->dir, err);
	if (r)
		return r;
	s->made_dir = true;
	return 0;
}

static int pin_path(char *buf, size_t len, const struct reg_state *s, const char *map,
		    struct xctl_err *err)
{
	if (snprintf(buf, len, "%s/%s", s->dir, map) >= (int)len)
		return xctl_errf(err, ENAMETOOLONG, "pin path for %s is too long", map);
	return 0;
}

static void rollback(const struct xctl_bpffs *fs, struct reg_state *s,
		     struct xctl_sops_obj *o)
{
	char path[PATH_MAX];
	size_t i;

	for (i = s->cnt; i-- > 0;) {
		if (s->pinned && s->pinned[i] &&
		    !pin_path(path, sizeof(path), s, bpf_map__name(xctl_sops_obj_map(o, i)), NULL))
			xctl_pin_path_unlink(fs, path, NULL);
		if (s->links && s->links[i] >= 0)
			close(s->links[i]);	/* the last reference: unregistered */
	}
	if (s->made_dir)
		xctl_pin_path_rmdir(fs, s->dir, NULL);
}

static uint32_t map_id_of(int fd)
{
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

static json_t *result(struct xctl_sops_obj *o, const struct reg_state *s, bool legacy)
{
	json_t *a = json_array();
	char path[PATH_MAX];
	uint32_t link_id;
	size_t i;

	for (i = 0; i < s->cnt; i++) {
		struct bpf_map *m = xctl_sops_obj_map(o, i);
		const char *ops = xctl_sops_obj_ops_name(o, i);
		json_t *lid = json_null(), *pin = json_null();

		if (!legacy && !xctl_sops_link_map_id(s->links[i], NULL, &link_id))
			lid = json_integer(link_id);
		if (!legacy && !pin_path(path, sizeof(path), s, bpf_map__name(m), NULL)) {
			json_decref(pin);
			pin = json_string(path);
		}
		json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:I, s:o, s:o, s:b}",
			"map", bpf_map__name(m), "kind", xctl_sops_obj_kind(o, i),
			"ops_name", ops ? json_string(ops) : json_null(),
			"map_id", (json_int_t)map_id_of(bpf_map__fd(m)),
			"link_id", lid, "pinned", pin, "legacy", legacy));
	}
	return a;
}

/*
 * Refuse before loading anything when a pin path is not on bpffs below
 * fs->base or is taken already.
 */
static int check_free(const struct xctl_bpffs *fs, const struct reg_state *s,
		      struct xctl_sops_obj *o, struct xctl_err *err)
{
	char path[PATH_MAX];
	size_t i;
	int r = 0, dfd, kind;

	dfd = xctl_pin_opendir(fs, s->dir, err);
	if (dfd < 0)
		return dfd;
	for (i = 0; i < s->cnt; i++) {
		const char *map = bpf_map__name(xctl_sops_obj_map(o, i));

		r = pin_path(path, sizeof(path), s, map, err);
		if (r)
			break;
		kind = xctl_pin_kind(dfd, map);
		if (kind == -ENOENT)
			continue;
		r = xctl_errf(err, EEXIST, "cannot pin the link of %s at %s", map, path);
		xctl_err_why(err, "%s there already", kind == XCTL_PIN_OBJ ?
			     "something is pinned" : kind == XCTL_PIN_SYMLINK ?
			     "a symbolic link is" : "a file or directory is");
		xctl_err_hint_code(err, XCTL_HINT_UNREGISTER_PIN, path, NULL,
				   "unregister what is pinned at %s first, or pin "
				   "below another directory", path);
		break;
	}
	close(dfd);
	return r;
}

/*
 * prepare callback: register pins links only; a map the object declares
 * LIBBPF_PIN_BY_NAME would go to libbpf's default pin root, outside the
 * bpffs xctl was given, and outlive the registration. Modules pin them.
 * ctx: the object's path (libbpf's object name is cut to 15 characters).
 */
static int refuse_pins(struct bpf_object *obj, void *ctx, struct xctl_err *err)
{
	const char *path = ctx;
	struct bpf_map *m;
	int r;

	bpf_object__for_each_map(m, obj) {
		if (!bpf_map__pin_path(m))
			continue;
		r = xctl_errf(err, EOPNOTSUPP, "cannot register %s", path);
		xctl_err_why(err, "map %s is declared LIBBPF_PIN_BY_NAME, and struct_ops "
			     "register pins no maps", bpf_map__name(m));
		xctl_err_hint_code(err, XCTL_HINT_LOAD_AS_MODULE, NULL, NULL,
				   "load it as a module, which pins such maps");
		return r;
	}
	return 0;
}

int xctl_sops_register(const struct xctl_bpffs *fs, const char *obj_path,
		       const struct xctl_sops_register_opts *opts, json_t **out,
		       struct xctl_err *err)
{
	bool legacy = XCTL_OPT(opts, legacy, false) || !xctl_features()->sops_link;
	XCTL_OPTS(xctl_sops_open_opts, oo, .legacy = legacy, .prepare = refuse_pins,
		  .prepare_ctx = (void *)obj_path, .rename = rename_cb,
		  .rename_ctx = (void *)opts, .maps = XCTL_OPT(opts, maps, NULL),
		  .map_cnt = XCTL_OPT(opts, map_cnt, 0),
		  .non_restricted = XCTL_OPT(opts, non_restricted, false),
		  .need_selected = true);
	struct reg_state s = {};
	struct xctl_sops_obj *o = NULL;
	char path[PATH_MAX];
	size_t i;
	int r, fd;

	*out = NULL;
	r = xctl_sops_obj_open(obj_path, &oo, &o, err) ?:
	    check_renames(o, obj_path, opts, err);
	if (r)
		goto out;
	s.cnt = xctl_sops_obj_map_cnt(o);
	if (!legacy) {
		s.links = malloc(s.cnt * sizeof(*s.links));
		s.pinned = calloc(s.cnt, sizeof(*s.pinned));
		if (!s.links || !s.pinned) {
			r = xctl_errf(err, ENOMEM, "cannot register %s", obj_path);
			goto out;
		}
		for (i = 0; i < s.cnt; i++)
			s.links[i] = -1;
		r = pin_dir(fs, XCTL_OPT(opts, pin_dir, NULL), &s, err) ?:
		    check_free(fs, &s, o, err);
		if (r)
			goto fail;
	}
	r = xctl_sops_obj_load(o, err);	/* legacy maps are registered here */
	if (r)
		goto fail;
	for (i = 0; !legacy && i < s.cnt; i++) {
		const char *map = bpf_map__name(xctl_sops_obj_map(o, i));

		fd = xctl_sops_obj_link_create(o, i, err);
		if (fd < 0) {
			r = fd;
			goto fail;
		}
		s.links[i] = fd;
		r = pin_path(path, sizeof(path), &s, map, err);
		if (r)
			goto fail;
		r = xctl_pin_path_pin(fs, fd, path, err);
		if (r)
			goto fail;
		s.pinned[i] = true;
	}
	*out = result(o, &s, legacy);
	for (i = 0; !legacy && i < s.cnt; i++)
		close(s.links[i]);	/* the pins keep the registrations */
	goto out;
fail:
	rollback(fs, &s, o);
out:
	free(s.links);
	free(s.pinned);
	xctl_sops_obj_close(o);
	return r;
}

static const struct xctl_sops_map *find(const struct xctl_sops_list *l, uint32_t id)
{
	size_t i;

	for (i = 0; i < l->cnt; i++)
		if (l->maps[i].id == id)
			return &l->maps[i];
	return NULL;
}

static int unregister_legacy(const struct xctl_sops_map *m, struct xctl_err *err)
{
	uint32_t zero = 0;
	int fd, r = 0;

	fd = bpf_map_get_fd_by_id(m->id);
	if (fd < 0)
		return xctl_errf(err, errno, "cannot open struct_ops map %u", m->id);
	if (bpf_map_delete_elem(fd, &zero))
		r = xctl_errf(err, errno, "cannot unregister struct_ops map %u (%s)",
			      m->id, m->name);
	close(fd);
	return r;
}

/* The first pin of k outside xctl's base, or NULL. */
static const char *foreign_pin(const struct xctl_bpffs *fs, const struct xctl_sops_link *k)
{
	size_t p;

	if (k->pinned && !sops_below_base(fs, k->pinned))
		return k->pinned;
	for (p = 0; p < k->more_pin_cnt; p++)
		if (!sops_below_base(fs, k->more_pins[p]))
			return k->more_pins[p];
	return NULL;
}

/* Without BPF_LINK_DETACH only pins xctl may remove can end a registration. */
static int check_removable(const struct xctl_bpffs *fs, const struct xctl_sops_map *m,
			   struct xctl_err *err)
{
	size_t i;
	int r;

	for (i = 0; i < m->link_cnt; i++) {
		const char *pin = foreign_pin(fs, &m->links[i]);

		if (!pin && m->links[i].pinned)
			continue;
		r = xctl_errf(err, EBUSY, "cannot unregister struct_ops map %u (%s)",
			      m->id, m->name);
		if (pin) {
			xctl_err_why(err, "link %u is pinned at %s, outside xctl's directory, "
				     "and this kernel cannot detach links", m->links[i].id, pin);
			xctl_err_hint(err, "remove that pin (rm %s)", pin);
		} else {
			xctl_err_why(err, "link %u is held open by a process, and this kernel "
				     "cannot detach links", m->links[i].id);
			xctl_err_hint(err, "stop the process that registered it");
		}
		return r;
	}
	return 0;
}

/* Remove pin path when it is xctl's; else add it to the `left` paths. */
static void drop_pin(const struct xctl_bpffs *fs, const char *path, json_t *unpinned,
		     json_t *left)
{
	if (sops_below_base(fs, path) && !xctl_pin_path_unlink(fs, path, NULL))
		json_array_append_new(unpinned, json_string(path));
	else
		json_array_append_new(left, json_string(path));
}

static json_t *unregister_links(const struct xctl_bpffs *fs, const struct xctl_sops_map *m,
				bool detach, struct xctl_err *err)
{
	json_t *a = json_array();
	size_t i, p;

	for (i = 0; i < m->link_cnt; i++) {
		const struct xctl_sops_link *k = &m->links[i];
		json_t *unpinned = json_array(), *left = json_array();
		bool detached = false;
		int fd = bpf_link_get_fd_by_id(k->id);

		if (fd >= 0 && detach)
			detached = !xctl_sops_link_detach(fd, err);
		if (fd >= 0)
			close(fd);
		xctl_err_reset(err);
		if (k->pinned)
			drop_pin(fs, k->pinned, unpinned, left);
		for (p = 0; p < k->more_pin_cnt; p++)
			drop_pin(fs, k->more_pins[p], unpinned, left);
		json_array_append_new(a, json_pack("{s:I, s:b, s:o, s:o}",
			"id", (json_int_t)k->id, "detached", detached,
			"unpinned", unpinned, "pinned", left));
	}
	return a;
}

int xctl_sops_unregister(const struct xctl_bpffs *fs, uint32_t map_id, json_t **out,
			 struct xctl_err *err)
{
	bool detach = xctl_features()->sops_link_detach;
	const struct xctl_sops_map *m;
	struct xctl_sops_list l;
	json_t *links;
	int r;

	*out = NULL;
	r = xctl_sops_list_get(&l, fs, err);
	if (r)
		return r;
	m = find(&l, map_id);
	if (!m) {
		r = xctl_errf(err, ENOENT, "cannot find struct_ops map id %u", map_id);
		goto out;
	}
	if (m->module) {
		r = xctl_errf(err, EBUSY, "cannot unregister struct_ops map %u (%s)",
			      m->id, m->name);
		xctl_err_why(err, "it belongs to module %s", m->module);
		xctl_err_hint_code(err, XCTL_HINT_UNLOAD_MODULE, m->module, NULL,
				   "unload module %s instead", m->module);
		goto out;
	}
	if (!m->registered) {
		r = xctl_errf(err, ENOENT, "cannot unregister struct_ops map %u (%s)",
			      m->id, m->name);
		xctl_err_why(err, "it is not registered");
		goto out;
	}
	if (!m->link_based) {
		r = unregister_legacy(m, err);
		links = json_array();
	} else {
		r = detach ? 0 : check_removable(fs, m, err);
		links = r ? NULL : unregister_links(fs, m, detach, err);
	}
	if (r)
		goto out;
	*out = json_pack("{s:I, s:s, s:s, s:o, s:b, s:o}",
		"id", (json_int_t)m->id, "name", m->name, "kind", m->kind,
		"ops_name", m->has_ops_name ? json_string(m->ops_name) : json_null(),
		"legacy", !m->link_based, "links", links);
out:
	xctl_sops_list_free(&l);
	return r;
}
