// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * rmmod: unload a module. Refuses while the module's struct_ops are in use
 * (unless forced), detaches its links (6.11+ unregisters at once), removes
 * the pins of its maps, its meta, and its directory.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include "core_priv.h"
#include "module_priv.h"

/* Append "; "-separated text to buf (len bytes), truncating if full. */
static void __attribute__((format(printf, 3, 4)))
append(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 2 >= len)
		return;
	if (n) {
		strcpy(buf + n, "; ");
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/* -EBUSY with what uses the module, or 0. */
static int check_busy(const struct mod_state *s, const struct xctl_sops_list *inv,
		      struct xctl_err *err)
{
	const struct xctl_sops_map *m;
	char uses[400] = "", ca[64];
	size_t i;
	int r;

	mod_default_ca(ca, sizeof(ca));
	for (i = 0; i < s->cnt; i++) {
		m = mod_inv_find(inv, s->links[i].map_id);
		if (!m)
			continue;
		if (m->users)
			append(uses, sizeof(uses), "%s %s has %u user%s%s", m->kind,
			       m->has_ops_name ? m->ops_name : m->name, m->users,
			       m->users == 1 ? "" : "s",
			       !strcmp(m->kind, "tcp_congestion_ops") ? " (sockets)" : "");
		if (mod_is_default_ca(m, ca))
			append(uses, sizeof(uses), "%s is net.ipv4.tcp_congestion_control "
			       "of this network namespace", ca);
	}
	if (!uses[0])
		return 0;
	r = xctl_errf(err, EBUSY, "module %s is in use", s->name);
	xctl_err_why(err, "%s", uses);
	xctl_err_hint_code(err, XCTL_HINT_FORCE_UNLOAD, NULL, NULL,
			   "stop the users, or force the unload");
	return r;
}

/* [{map, pinned}] of the maps the module shares through its pin_root. */
static json_t *shared_json(const struct mod_state *s)
{
	json_t *root = mod_meta_field(s, "pin_root"), *names = mod_meta_field(s, "shared");
	const char *dir = json_string_value(root), *list = json_string_value(names);
	json_t *arr = json_array();
	char buf[PATH_MAX];
	size_t n;

	while (arr && dir && *dir && list && *list) {
		n = strcspn(list, ",");
		snprintf(buf, sizeof(buf), "%s/%.*s", dir, (int)n, list);
		json_array_append_new(arr, json_pack("{s:s%, s:s}", "map", list, n,
						     "pinned", buf));
		list += n + (list[n] == ',');
	}
	json_decref(root);
	json_decref(names);
	return arr;
}

int xctl_module_unload(const struct xctl_bpffs *fs, const char *name,
		       const struct xctl_module_unload_opts *opts,
		       struct xctl_err *err)
{
	json_t **report = XCTL_OPT(opts, report, NULL);
	struct xctl_sops_list inv = {};
	struct xctl_err ign = {};
	json_t *removed = NULL;
	char path[PATH_MAX];
	struct mod_state s;
	size_t i;
	int r;

	r = XCTL_OPTS_CHECK(opts, xctl_module_unload_opts, err);
	if (r)
		return xctl_ret(r);
	if (report)
		*report = NULL;
	r = mod_state_read(fs, name, &s, err);
	if (r)
		return xctl_ret(r);
	if (s.foreign) {
		r = xctl_errf(err, EPERM, "refusing to unload module %s", name);
		xctl_err_why(err, "%s/%s is not a pin xctl made (a symbolic link, "
			     "directory or other file)", s.dir, s.foreign_name);
		xctl_err_hint(err, "look at it and remove it by hand, then unload again");
		goto out;
	}
	r = mod_sops_list(&inv, fs, err);
	if (r)
		goto out;
	if (!XCTL_OPT(opts, force, false)) {
		r = check_busy(&s, &inv, err);
		if (r)
			goto out;
	}
	for (i = 0; i < s.cnt; i++) {
		struct mod_link *k = &s.links[i];

		if (k->fd >= 0 && !k->bad && k->map_id) {
			/* Unregister now, even if someone else holds the link. */
			xctl_sops_link_detach(k->fd, &ign);
			xctl_err_reset(&ign);
		}
		if (k->fd < 0 || k->bad)
			continue;	/* not ours: rmdir below reports it */
		mod_path(path, sizeof(path), s.dir, k->map);
		if (unlinkat(s.dfd, k->map, 0)) {
			r = xctl_errf(err, errno, "cannot remove %s", path);
			goto out;
		}
	}
	mod_path(path, sizeof(path), s.dir, XCTL_MODULE_MAPS);
	removed = json_array();
	r = objm_remove_dir(path, removed, err);
	if (r)
		goto out;
	mod_path(path, sizeof(path), s.dir, XCTL_MODULE_META);
	if (s.has_meta && unlinkat(s.dfd, XCTL_MODULE_META, 0) && errno != ENOENT) {
		r = xctl_errf(err, errno, "cannot remove %s", path);
		goto out;
	}
	/* an interrupted reload's record */
	if (unlinkat(s.dfd, MOD_META_NEW, 0) && errno != ENOENT) {
		r = xctl_errf(err, errno, "cannot remove %s/%s", s.dir, MOD_META_NEW);
		goto out;
	}
	r = xctl_pin_path_rmdir(fs, s.dir, err);	/* never through a link */
	if (r) {
		if (r == -ENOTEMPTY)
			xctl_err_why(err, "it holds files that are not struct_ops links of the module");
		goto out;
	}
	if (report) {
		*report = json_pack("{s:s, s:b, s:O, s:o}", "name", name, "unloaded", 1,
				    "maps_removed", removed, "maps_shared", shared_json(&s));
		if (!*report)
			r = xctl_errf(err, ENOMEM, "module %s was unloaded; cannot report it", name);
	}
out:
	json_decref(removed);
	xctl_sops_list_free(&inv);
	mod_state_free(&s);
	return xctl_ret(r);
}
