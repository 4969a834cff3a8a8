// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Does loaded module NAME run what loading OBJ with these options would
 * give? apply's question. The answer comes from what the kernel and the
 * module's directory say: its state, its struct_ops maps (link pins) and
 * their ops names (the kernel's inventory), the object's sha256, the
 * parameters and the pin_root recorded in meta.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "module_priv.h"

/* Append "; "-separated text to why. */
static void __attribute__((format(printf, 3, 4)))
why_add(char *why, size_t len, const char *fmt, ...)
{
	size_t n = strlen(why);
	va_list ap;

	if (n + 3 >= len)
		return;
	if (n) {
		memcpy(why + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(why + n, len - n, fmt, ap);
	va_end(ap);
}

static const struct mod_link *find_link(const struct mod_state *s, const char *map)
{
	size_t i;

	for (i = 0; i < s->cnt; i++)
		if (!strcmp(s->links[i].map, map))
			return &s->links[i];
	return NULL;
}

static const struct xctl_sops_map *inv_map(const struct xctl_sops_list *inv,
					   uint32_t map_id)
{
	size_t i;

	for (i = 0; i < inv->cnt; i++)
		if (inv->maps[i].id == map_id)
			return &inv->maps[i];
	return NULL;
}

static const char *loaded_ops_name(const struct xctl_sops_list *inv, uint32_t map_id)
{
	const struct xctl_sops_map *m = inv_map(inv, map_id);

	return m ? (m->has_ops_name ? m->ops_name : "") : NULL;
}

/*
 * Same struct_ops maps (those 'map' selects), each with the declared ops
 * name and TCP_CONG_NON_RESTRICTED as declared? Differences that a reload
 * cannot make (the kernel keeps a tcp CA's name across an update, reload
 * keeps the map set and the flag) are appended to why.
 */
static int compare_maps(const struct mod_state *s, const char *obj_path,
			const struct xctl_module_load_opts *opts, char *why, size_t len,
			struct xctl_err *err)
{
	const struct xctl_sops_rename *renames = XCTL_OPT(opts, renames, NULL);
	size_t rcnt = renames ? XCTL_OPT(opts, rename_cnt, 0) : 0;
	XCTL_OPTS(xctl_sops_open_opts, oo, .maps = XCTL_OPT(opts, maps, NULL),
		  .map_cnt = XCTL_OPT(opts, map_cnt, 0),
		  .non_restricted = XCTL_OPT(opts, non_restricted, false));
	uint32_t flags;
	const struct xctl_sops_map *m;
	struct xctl_sops_list inv = {};
	struct xctl_sops_obj *o;
	const struct mod_link *k;
	const char *map, *want, *have;
	size_t i, cnt;
	int r;

	r = xctl_sops_obj_open(obj_path, &oo, &o, err);
	if (r)
		return r;
	r = mod_sops_list(&inv, NULL, err);
	if (r)
		goto out;
	cnt = xctl_sops_obj_map_cnt(o);
	if (cnt != s->cnt)
		why_add(why, len, "it has %zu struct_ops maps, the object %zu", s->cnt, cnt);
	for (i = 0; i < cnt; i++) {
		map = bpf_map__name(xctl_sops_obj_map(o, i));
		k = find_link(s, map);
		if (!k) {
			why_add(why, len, "struct_ops map %s is not one of the module's", map);
			continue;
		}
		want = mod_rename_of(renames, rcnt, map) ?: xctl_sops_obj_ops_name(o, i);
		have = loaded_ops_name(&inv, k->map_id);
		if (have && strcmp(have, want ?: ""))
			why_add(why, len, "ops name of %s is %s, declared %s", map, have, want ?: "");
		/* TCP_CONG_NON_RESTRICTED: the object's own, or 'non_restricted' */
		m = inv_map(&inv, k->map_id);
		if (m && m->has_flags && xctl_sops_obj_flags(o, i, &flags) &&
		    (m->flags & 0x1) != (flags & 0x1))
			why_add(why, len, "%s is %snon_restricted, declared %s", map,
				(m->flags & 0x1) ? "" : "not ",
				(flags & 0x1) ? "non_restricted" : "without");
	}
out:
	xctl_sops_list_free(&inv);
	xctl_sops_obj_close(o);
	return r;
}

/* Same object bytes and parameters: what a reload changes in place. */
static int compare_meta(const struct mod_state *s, const char *obj_path,
			const struct xctl_module_load_opts *opts, char *why, size_t len,
			struct xctl_err *err)
{
	char *const *kv = XCTL_OPT(opts, params, NULL);
	size_t n = kv ? XCTL_OPT(opts, param_cnt, 0) : 0;
	const char *pin_root = XCTL_OPT(opts, pin_root, NULL);
	const char *have_sha, *text;
	json_t *want, *have;
	char sha[65];
	int r;

	r = mod_sha256_file(obj_path, sha, err);
	if (r)
		return r;
	have_sha = json_string_value(json_object_get(s->meta, "sha256"));
	if (!have_sha || strcmp(have_sha, sha))
		why_add(why, len, "object sha256 differs (%.12s, declared %.12s)",
			have_sha ?: "-", sha);
	want = mod_params_given(kv, n);
	text = json_string_value(json_object_get(s->meta, "params"));
	have = text ? json_loads(text, 0, NULL) : NULL;
	if (!want || !json_equal(want, have)) {
		char *a = have ? json_dumps(have, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		char *b = want ? json_dumps(want, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

		why_add(why, len, "parameters differ (%.200s, declared %.200s)", a ?: "-", b ?: "-");
		free(a);
		free(b);
	}
	json_decref(want);
	json_decref(have);
	/* without pin_root, reload keeps the module's: only a given one differs */
	text = json_string_value(json_object_get(s->meta, "pin_root"));
	if (pin_root && strcmp(pin_root, text ?: ""))
		why_add(why, len, "pin_root differs (%s, declared %s)", text && *text ? text : "none",
			pin_root);
	return 0;
}

int xctl_module_compare(const struct xctl_bpffs *fs, const char *obj_path,
			const struct xctl_module_load_opts *opts,
			enum xctl_match *match, char *why, size_t len,
			struct xctl_err *err)
{
	const char *name = XCTL_OPT(opts, name, NULL);
	const char *state;
	char defname[64];
	struct mod_state s;
	int r;

	*match = XCTL_MATCH_ABSENT;
	why[0] = '\0';
	r = XCTL_OPTS_CHECK(opts, xctl_module_load_opts, err);
	if (r)
		return xctl_ret(r);
	if (!name) {
		r = xctl_module_default_name(obj_path, defname, sizeof(defname), err);
		if (r)
			return xctl_ret(r);
		name = defname;
	}
	r = mod_state_read(fs, name, &s, err);
	if (r == -ENOENT) {
		xctl_err_reset(err);
		return 0;
	}
	if (r)
		return xctl_ret(r);
	state = mod_state_name(&s);
	if (strcmp(state, "loaded") || !s.meta) {
		*match = XCTL_MATCH_REPLACE;
		snprintf(why, len, "module %s is %s", name, s.meta ? state : "without readable meta");
		goto out;
	}
	r = compare_maps(&s, obj_path, opts, why, len, err);
	if (r)
		goto out;
	if (why[0]) {
		*match = XCTL_MATCH_REPLACE;
		goto out;
	}
	r = compare_meta(&s, obj_path, opts, why, len, err);
	if (!r)
		*match = why[0] ? XCTL_MATCH_CHANGED : XCTL_MATCH_SAME;
out:
	mod_state_free(&s);
	return xctl_ret(r);
}
