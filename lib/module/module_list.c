// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loaded modules as found in bpffs: their state and lsmod (list); rmmod is
 * lib/module/module_unload.c.
 * A module's state comes from its directory: no meta -> incomplete; a link
 * whose map the kernel detached -> detached; otherwise loaded.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "core_priv.h"
#include "module_priv.h"

void mod_state_free(struct mod_state *s)
{
	size_t i;

	for (i = 0; i < s->cnt; i++)
		if (s->links[i].fd >= 0)
			close(s->links[i].fd);
	free(s->links);
	json_decref(s->meta);
	json_decref(s->meta_new);
	if (s->dfd > 0)
		close(s->dfd);
	memset(s, 0, sizeof(*s));
}

/*
 * Does the record describe the maps the links run? Its sops_maps lists
 * "MAP=ID,..."; a record without it (older xctl) is taken as true.
 */
static bool record_matches(const struct mod_state *s, const json_t *rec)
{
	const char *list = json_string_value(json_object_get(rec, "sops_maps"));
	char want[NAME_MAX + 16], all[sizeof(((struct mod_meta *)0)->sops_maps) + 2];
	size_t i;

	if (!list || !*list)
		return true;
	snprintf(all, sizeof(all), ",%s,", list);	/* whole entries only */
	for (i = 0; i < s->cnt; i++) {
		if (s->links[i].bad || !s->links[i].map_id)
			continue;
		snprintf(want, sizeof(want), ",%s=%u,", s->links[i].map, s->links[i].map_id);
		if (!strstr(all, want))
			return false;
	}
	return true;
}

/*
 * Which record is true after an interrupted reload: meta-new when the
 * links run all of its maps (the swaps completed, the rename did not),
 * meta when they run its maps; otherwise the kernel runs a mix and the
 * module is reported inconsistent.
 */
static void reconcile(struct mod_state *s)
{
	if (s->meta_new && record_matches(s, s->meta_new)) {
		json_decref(s->meta);
		s->meta = s->meta_new;
		s->meta_new = NULL;
		s->record_new = true;
		s->has_meta = true;
		return;
	}
	if (s->meta && !record_matches(s, s->meta))
		s->inconsistent = true;
}

int mod_state_read(const struct xctl_bpffs *fs, const char *name,
		   struct mod_state *s, struct xctl_err *err)
{
	struct mod_link *tmp, *k;
	struct dirent **ents;
	char path[PATH_MAX];
	int i, ne, r = 0;

	memset(s, 0, sizeof(*s));
	r = mod_dir(fs, name, s->dir, sizeof(s->dir), err);
	if (r)
		return r;
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->dfd = xctl_pin_opendir(fs, s->dir, err);
	if (s->dfd < 0) {
		r = s->dfd;
		s->dfd = 0;
		if (r == -ENOENT) {
			xctl_err_reset(err);
			r = xctl_errf(err, ENOENT, "module %s is not loaded", name);
		}
		return r;
	}
	ne = scandirat(s->dfd, ".", &ents, NULL, alphasort);
	if (ne < 0) {
		r = xctl_errf(err, errno, "cannot read module %s", name);
		xctl_err_why(err, "cannot read %s: %s", s->dir, xctl_strerror(errno));
		mod_state_free(s);
		return r;
	}
	for (i = 0; i < ne; i++) {
		const char *e = ents[i]->d_name;
		int kind;

		if (r || !strcmp(e, ".") || !strcmp(e, ".."))
			continue;
		if (!mod_path(path, sizeof(path), s->dir, e))
			continue;
		kind = xctl_pin_kind(s->dfd, e);
		if (!strcmp(e, XCTL_MODULE_MAPS) && kind == XCTL_PIN_DIR) {
			s->has_maps = true;	/* pinned maps: not a link */
			continue;
		}
		if (kind != XCTL_PIN_OBJ) {
			/* a symlink, a directory or a socket: never xctl's */
			s->foreign = true;
			snprintf(s->foreign_name, sizeof(s->foreign_name), "%s", e);
			continue;
		}
		if (!strcmp(e, XCTL_MODULE_META)) {
			s->has_meta = true;
			/* Unreadable meta: reported as null fields, not a failure. */
			if (mod_meta_read(fs, path, &s->meta, err))
				xctl_err_reset(err);
			continue;
		}
		if (!strcmp(e, MOD_META_NEW)) {
			if (mod_meta_read(fs, path, &s->meta_new, err))
				xctl_err_reset(err);
			continue;
		}
		tmp = realloc(s->links, (s->cnt + 1) * sizeof(*tmp));
		if (!tmp) {
			r = xctl_errf(err, ENOMEM, "cannot read module %s", name);
			continue;
		}
		s->links = tmp;
		k = &s->links[s->cnt++];
		memset(k, 0, sizeof(*k));
		snprintf(k->map, sizeof(k->map), "%s", e);
		k->fd = xctl_pin_get(s->dfd, e, NULL);
		if (k->fd < 0 || xctl_sops_link_map_id(k->fd, &k->map_id, &k->link_id))
			k->bad = true;
	}
	for (i = 0; i < ne; i++)
		free(ents[i]);
	free(ents);
	if (!r)
		reconcile(s);
	if (r)
		mod_state_free(s);
	return r;
}

const char *mod_state_name(const struct mod_state *s)
{
	size_t i;

	if (s->foreign)
		return "foreign";
	if (!s->has_meta)
		return "incomplete";
	if (s->inconsistent)
		return "inconsistent";
	for (i = 0; i < s->cnt; i++)
		if (s->links[i].bad || !s->links[i].map_id)
			return "detached";
	return s->cnt ? "loaded" : "detached";
}

/* The netns's default tcp CA (net.ipv4.tcp_congestion_control). */
void mod_default_ca(char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_congestion_control", "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

int mod_sops_list(struct xctl_sops_list *inv, const struct xctl_bpffs *fs,
		  struct xctl_err *err)
{
	int i, r;

	for (i = 0; i < 5; i++) {
		r = xctl_sops_list_get(inv, fs, err);
		if (r != -EAGAIN)
			return r;
		xctl_err_reset(err);
		usleep(10000);
	}
	return xctl_sops_list_get(inv, fs, err);
}

/* A tcp CA that is this netns's default: sockets created here will use it. */
bool mod_is_default_ca(const struct xctl_sops_map *m, const char *ca)
{
	return !strcmp(m->kind, "tcp_congestion_ops") && m->has_ops_name &&
	       !strcmp(m->ops_name, ca);
}

const struct xctl_sops_map *mod_inv_find(const struct xctl_sops_list *inv,
					     uint32_t id)
{
	size_t i;

	for (i = 0; inv && id && i < inv->cnt; i++)
		if (inv->maps[i].id == id)
			return &inv->maps[i];
	return NULL;
}

json_t *mod_meta_field(const struct mod_state *s, const char *key)
{
	json_t *v = s->meta ? json_object_get(s->meta, key) : NULL;

	return v ? json_incref(v) : json_null();
}

/* [{map, kind, ops_name, map_id, link_id, users}] and their users' sum. */
json_t *mod_state_sops_json(const struct mod_state *s,
			    const struct xctl_sops_list *inv, json_int_t *users)
{
	const struct xctl_sops_map *m;
	json_t *arr = json_array(), *e;
	char ca[64];
	size_t i;

	*users = 0;
	mod_default_ca(ca, sizeof(ca));
	for (i = 0; i < s->cnt; i++) {
		const struct mod_link *k = &s->links[i];

		m = mod_inv_find(inv, k->map_id);
		/* An id the pin no longer gives (a link gone) is null, not 0. */
		e = json_pack("{s:o, s:s?, s:o, s:o, s:o, s:I}",
			      "map", xctl_json_text(k->map, strlen(k->map)),
			      "kind", m ? m->kind : NULL,
			      "ops_name", m && m->has_ops_name ?
					  xctl_json_text(m->ops_name, strlen(m->ops_name)) : json_null(),
			      "map_id", k->map_id ? json_integer(k->map_id) : json_null(),
			      "link_id", k->link_id ? json_integer(k->link_id) : json_null(),
			      "users", (json_int_t)(m ? m->users : 0));
		if (m)
			*users += m->users;
		if (m && m->has_flags)
			json_object_set_new(e, "flags", xctl_sops_flags_json(m->kind, m->flags));
		if (m && mod_is_default_ca(m, ca))
			json_object_set_new(e, "netns_default", json_true());
		json_array_append_new(arr, e);
	}
	return arr;
}

/*
 * Parameters the module was loaded with: the names given at load (meta),
 * values read back from the kernel's .rodata (the text given when that
 * cannot be read).
 */
static json_t *given_params(const struct mod_state *s)
{
	json_t *given = NULL, *out = json_object(), *loaded = NULL, *v, *e;
	const char *text, *key;
	size_t i;

	text = s->meta ? json_string_value(json_object_get(s->meta, "params")) : NULL;
	if (text)
		given = json_loads(text, 0, NULL);
	if (!json_is_object(given)) {
		json_decref(given);
		return out;
	}
	loaded = json_array();
	if (json_object_size(given))
		mod_state_params(s, loaded);
	json_object_foreach(given, key, v) {
		json_t *val = NULL;

		json_array_foreach(loaded, i, e)
			if (!strcmp(json_string_value(json_object_get(e, "name")) ?: "", key))
				val = json_object_get(e, "value");
		json_object_set(out, key, val && !json_is_null(val) ? val : v);
	}
	json_decref(loaded);
	json_decref(given);
	return out;
}

int mod_state_params(const struct mod_state *s, json_t *arr)
{
	struct mod_prog *progs = NULL;
	struct xctl_err ign = {};
	struct btf *btf = NULL;
	size_t i, n = 0, size;
	void *image = NULL;
	uint32_t sec;
	int r = -ENOENT;

	for (i = 0; i < s->cnt && r; i++) {
		if (!s->links[i].map_id || mod_kern_sops_progs(s->links[i].map_id, &progs, &n, &ign))
			continue;
		r = mod_kern_rodata(progs, n, &btf, &sec, &image, &size, &ign);
		free(progs);
	}
	if (!r) {
		r = mod_params_merge(arr, btf, sec, image, size, "value", &ign);
		btf__free(btf);
		free(image);
	}
	xctl_err_reset(&ign);
	return r;
}

static json_t *module_json(const struct mod_state *s, const struct xctl_sops_list *inv)
{
	json_int_t users;
	json_t *sops = mod_state_sops_json(s, inv, &users), *doc;
	char problem[PATH_MAX + 600];

	doc = json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:I}",
			"name", xctl_json_text(s->name, strlen(s->name)),
			"state", mod_state_name(s),
			"object", mod_meta_field(s, "object"),
			"sha256", mod_meta_field(s, "sha256"),
			"loaded_at", mod_meta_field(s, "loaded_at_rfc3339"),
			"parameters", given_params(s),
			"struct_ops", sops, "users", users);
	if (doc && s->foreign) {
		snprintf(problem, sizeof(problem), "%s/%s is not xctl's (a symbolic link, "
			 "directory or other file); remove it by hand", s->dir, s->foreign_name);
		json_object_set_new(doc, "problem", xctl_json_text(problem, strlen(problem)));
	}
	return doc;
}

/*
 * modules/NAME that xctl refuses to use (a symbolic link, a file, a
 * directory off the bpffs): listed, never followed, so that it is seen.
 */
static json_t *foreign_json(const char *name, const struct xctl_err *why)
{
	char problem[1100];

	snprintf(problem, sizeof(problem), "%s: %s", why->what,
		 why->why[0] ? why->why : xctl_strerror(why->errnum));
	return json_pack("{s:o, s:s, s:n, s:n, s:n, s:{}, s:[], s:I, s:o}",
			 "name", xctl_json_text(name, strlen(name)), "state", "foreign",
			 "object", "sha256", "loaded_at", "parameters", "struct_ops",
			 "users", (json_int_t)0,
			 "problem", xctl_json_text(problem, strlen(problem)));
}

static bool refused(int r)
{
	return r == -ELOOP || r == -ENOTDIR || r == -EXDEV;
}

static json_t *unmanaged_json(const struct xctl_sops_map *m, const char *ca)
{
	json_t *sops;

	sops = json_pack("[{s:s, s:o, s:I, s:o, s:I}]", "kind", m->kind,
			 "ops_name", m->has_ops_name ? xctl_json_text(m->ops_name, strlen(m->ops_name))
						     : json_null(),
			 "map_id", (json_int_t)m->id,
			 "link_id", m->link_cnt ? json_integer(m->links[0].id) : json_null(),
			 "users", (json_int_t)m->users);
	if (sops && mod_is_default_ca(m, ca))
		json_object_set_new(json_array_get(sops, 0), "netns_default", json_true());
	return json_pack("{s:s, s:s, s:n, s:n, s:n, s:{}, s:o, s:I}", "name", m->name,
			 "state", "unmanaged", "object", "sha256", "loaded_at", "parameters",
			 "struct_ops", sops, "users", (json_int_t)m->users);
}

int xctl_module_list_from(const struct xctl_bpffs *fs, const struct xctl_sops_list *inv,
			  json_t **out, struct xctl_err *err)
{
	char dir[PATH_MAX], rel[64], ca[64];
	struct dirent **ents = NULL;
	uint32_t *owned = NULL, *tmp;
	size_t nowned = 0, i, j;
	struct mod_state s;
	json_t *doc;
	int ne = 0, k, r;

	doc = json_array();
	mod_default_ca(ca, sizeof(ca));
	snprintf(rel, sizeof(rel), "%s", XCTL_MODULE_SUBDIR);
	if (fs && !xctl_bpffs_path(fs, rel, dir, sizeof(dir), err)) {
		ne = scandir(dir, &ents, NULL, alphasort);
		if (ne < 0)
			ne = 0;	/* no module loaded yet */
	}
	xctl_err_reset(err);
	for (k = 0; k < ne; k++) {
		const char *name = ents[k]->d_name;

		if (name[0] == '.')
			continue;
		r = mod_state_read(fs, name, &s, err);
		if (r) {
			if (refused(r))
				json_array_append_new(doc, foreign_json(name, err));
			xctl_err_reset(err);
			continue;
		}
		json_array_append_new(doc, module_json(&s, inv));
		tmp = realloc(owned, (nowned + s.cnt + 1) * sizeof(*owned));
		if (tmp) {
			owned = tmp;
			for (i = 0; i < s.cnt; i++)
				owned[nowned++] = s.links[i].map_id;
		}
		mod_state_free(&s);
	}
	for (i = 0; i < inv->cnt; i++) {
		const struct xctl_sops_map *m = &inv->maps[i];

		for (j = 0; j < nowned && owned[j] != m->id; j++)
			;
		if (j == nowned && m->registered)
			json_array_append_new(doc, unmanaged_json(m, ca));
	}
	for (k = 0; k < ne; k++)
		free(ents[k]);
	free(ents);
	free(owned);
	*out = doc;
	return 0;
}

int xctl_module_list(const struct xctl_bpffs *fs, json_t **out,
		     struct xctl_err *err)
{
	struct xctl_sops_list inv = {};
	int r;

	*out = NULL;
	r = mod_sops_list(&inv, fs, err);
	if (r)
		return r;
	r = xctl_module_list_from(fs, &inv, out, err);
	xctl_sops_list_free(&inv);
	return r;
}

int xctl_module_show(const struct xctl_bpffs *fs, const char *name, json_t **out,
		     struct xctl_err *err)
{
	struct xctl_sops_list inv = {};
	struct mod_state s;
	uint32_t *ids;
	size_t i;
	int r;

	*out = NULL;
	r = mod_state_read(fs, name, &s, err);
	if (r)
		return xctl_ret(r);
	ids = calloc(s.cnt + 1, sizeof(*ids));
	if (!ids) {
		r = xctl_errf(err, ENOMEM, "cannot read module %s", name);
		goto out;
	}
	for (i = 0; i < s.cnt; i++)
		ids[i] = s.links[i].map_id;
	r = xctl_sops_list_get_ids(&inv, ids, s.cnt, err);
	free(ids);
	if (r)
		goto out;
	*out = module_json(&s, &inv);
	xctl_sops_list_free(&inv);
	if (!*out)
		r = xctl_errf(err, ENOMEM, "cannot describe module %s", name);
out:
	mod_state_free(&s);
	return xctl_ret(r);
}
