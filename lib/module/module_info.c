// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * modinfo: what an object file would load, or what a loaded module runs
 * with. Parameter defaults, program sections and the license come from the
 * object file (for a loaded module: the file recorded in meta, if its sha256
 * still matches); parameter values and program ids from the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "core_priv.h"
#include "module_priv.h"

/*
 * The object's "license" section as a string, or JSON null: from the image
 * that was opened (checked already), not from the file again.
 */
static json_t *elf_license(const struct xctl_sops_obj *o)
{
	json_t *lic = NULL;
	Elf_Scn *scn = NULL;
	const void *image;
	Elf_Data *d;
	size_t shstrndx, size;
	GElf_Shdr sh;
	const char *n;
	Elf *e;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return json_null();
	image = xctl_sops_obj_image(o, &size);
	e = elf_memory((char *)image, size);
	if (e && !elf_getshdrstrndx(e, &shstrndx)) {
		while (!lic && (scn = elf_nextscn(e, scn))) {
			if (!gelf_getshdr(scn, &sh))
				break;
			n = elf_strptr(e, shstrndx, sh.sh_name);
			if (!n || strcmp(n, "license"))
				continue;
			d = elf_getdata(scn, NULL);
			if (d && d->d_buf && d->d_size)
				lic = xctl_json_text(d->d_buf, strnlen(d->d_buf, d->d_size));
		}
	}
	elf_end(e);
	return lic ?: json_null();
}

/*
 * [{map, kind, ops_name, section, optional, register, flags, unset_required}] of an
 * opened object, the maps a load registers first.
 */
static json_t *obj_sops_json(struct xctl_sops_obj *o)
{
	json_t *arr = json_array(), *e;
	char missing[256];
	uint32_t flags;
	size_t i;

	for (i = 0; i < xctl_sops_obj_all_map_cnt(o); i++) {
		e = json_pack("{s:s, s:s, s:o, s:s, s:b, s:b}",
			"map", xctl_sops_obj_map_name(o, i),
			"kind", xctl_sops_obj_kind(o, i),
			/* the object's bytes: not necessarily UTF-8 */
			"ops_name", xctl_sops_obj_ops_name(o, i) ?
				xctl_json_text(xctl_sops_obj_ops_name(o, i),
					       strlen(xctl_sops_obj_ops_name(o, i))) : json_null(),
			"section", xctl_sops_obj_section(o, i),
			"optional", xctl_sops_obj_optional(o, i),
			"register", xctl_sops_obj_selected(o, i));
		if (xctl_sops_obj_flags(o, i, &flags))
			json_object_set_new(e, "flags",
					    xctl_sops_flags_json(xctl_sops_obj_kind(o, i), flags));
		json_object_set_new(e, "unset_required",
				    xctl_sops_obj_unset_required(o, i, missing, sizeof(missing)) ?
				    json_string(missing) : json_null());
		json_array_append_new(arr, e);
	}
	return arr;
}

/* Merge the object's parameter defaults (its .rodata image) into arr. */
static int obj_defaults(struct xctl_sops_obj *o, json_t *arr, struct xctl_err *err)
{
	struct bpf_object *obj = xctl_sops_obj_bpf(o);
	struct bpf_map *ro = mod_rodata_map(obj);
	const void *init;
	size_t size = 0;

	if (!ro)
		return 0;
	init = bpf_map__initial_value(ro, &size);
	return mod_params_merge(arr, bpf_object__btf(obj), bpf_map__btf_value_type_id(ro),
				init, size, "default", err);
}

/* The object's program of (possibly truncated) kernel name `name`. */
static struct bpf_program *find_prog(struct xctl_sops_obj *o, const char *name)
{
	struct bpf_program *p;

	if (!o || !name)
		return NULL;
	bpf_object__for_each_program(p, xctl_sops_obj_bpf(o))
		if (!strncmp(bpf_program__name(p), name, BPF_OBJ_NAME_LEN - 1))
			return p;
	return NULL;
}

int xctl_module_obj_info(const char *obj_path, const char *const *maps, size_t map_cnt,
			 json_t **out, struct xctl_err *err)
{
	XCTL_OPTS(xctl_sops_open_opts, oo, .maps = maps, .map_cnt = map_cnt);
	struct xctl_sops_obj *o = NULL;
	json_t *params, *progs, *globals, *doc;
	struct bpf_program *p;
	char real[PATH_MAX];
	int r;

	*out = NULL;
	r = xctl_sops_obj_open(obj_path, &oo, &o, err);
	if (r)
		return r;
	if (!realpath(obj_path, real))
		snprintf(real, sizeof(real), "%s", obj_path);
	params = json_array();
	r = obj_defaults(o, params, err);
	if (r) {
		json_decref(params);
		xctl_sops_obj_close(o);
		return r;
	}
	progs = json_array();
	bpf_object__for_each_program(p, xctl_sops_obj_bpf(o))
		json_array_append_new(progs, json_pack("{s:s, s:s, s:b}",
			"name", bpf_program__name(p),
			"section", bpf_program__section_name(p),
			"load", bpf_program__autoload(p)));
	globals = json_array();
	r = mod_obj_globals(xctl_sops_obj_bpf(o), globals, err);
	if (r) {
		json_decref(params);
		json_decref(progs);
		json_decref(globals);
		xctl_sops_obj_close(o);
		return r;
	}
	doc = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "object", real,
			"sha256", xctl_sops_obj_sha256(o), "license", elf_license(o),
			"struct_ops", obj_sops_json(o), "parameters", params,
			"globals", globals,
			"maps", mod_obj_maps_json(xctl_sops_obj_bpf(o)),
			"programs", progs);
	xctl_sops_obj_close(o);
	*out = doc;
	return doc ? 0 : xctl_errf(err, ENOMEM, "cannot describe %s", obj_path);
}

/* The module's object file, if it still is what was loaded; NULL otherwise. */
static struct xctl_sops_obj *module_obj(const struct mod_state *s, const char **path)
{
	const char *want = s->meta ? json_string_value(json_object_get(s->meta, "sha256")) : NULL;
	struct xctl_sops_obj *o = NULL;
	struct xctl_err ign = {};

	/* Opened without blocking (a FIFO there is refused), read once, compared. */
	*path = s->meta ? json_string_value(json_object_get(s->meta, "object")) : NULL;
	if (!*path || !want || xctl_sops_obj_open(*path, NULL, &o, &ign))
		o = NULL;
	if (o && strcmp(xctl_sops_obj_sha256(o), want)) {
		xctl_sops_obj_close(o);
		o = NULL;
	}
	xctl_err_reset(&ign);
	return o;
}

static json_t *module_progs(const struct mod_state *s, struct xctl_sops_obj *o)
{
	struct xctl_err ign = {};
	struct bpf_program *bp;
	json_t *arr = json_array(), *e;
	bool stats = xctl_bpf_stats_enabled();
	struct mod_prog *progs;
	size_t i, j, n;

	for (i = 0; i < s->cnt; i++) {
		if (!s->links[i].map_id ||
		    mod_kern_sops_progs(s->links[i].map_id, &progs, &n, &ign))
			continue;
		for (j = 0; j < n; j++) {
			e = mod_kern_prog_json(&progs[j], stats);
			bp = find_prog(o, json_string_value(json_object_get(e, "name")));
			json_object_set_new(e, "section",
					    bp ? json_string(bpf_program__section_name(bp))
					       : json_null());
			if (bp)
				json_object_set_new(e, "name", json_string(bpf_program__name(bp)));
			json_object_set_new(e, "map", json_string(s->links[i].map));
			json_array_append_new(arr, e);
		}
		free(progs);
	}
	xctl_err_reset(&ign);
	return arr;
}

/*
 * Runtime globals: defaults from the object (when it is the loaded one),
 * live values from the kernel; *maps gets the module's maps.
 */
static json_t *module_globals(const struct mod_state *s, struct xctl_sops_obj *o,
			      json_t **maps)
{
	struct mod_kmap *km = NULL;
	struct xctl_err ign = {};
	json_t *arr = json_array();
	size_t n = 0;

	if (o && mod_obj_globals(xctl_sops_obj_bpf(o), arr, &ign))
		xctl_err_reset(&ign);
	if (mod_kern_maps(s, &km, &n, &ign)) {
		xctl_err_reset(&ign);
		*maps = json_array();
		return arr;
	}
	if (mod_kern_globals(km, n, arr, &ign))
		xctl_err_reset(&ign);
	*maps = mod_kern_maps_json(km, n, o ? xctl_sops_obj_bpf(o) : NULL);
	mod_kern_maps_free(km, n);
	return arr;
}

/*
 * The struct_ops maps the module was loaded with 'map' for (meta), or null
 * when it registers all of its object's maps (or meta does not say).
 */
static json_t *meta_selected(const struct mod_state *s)
{
	const char *text = s->meta ?
		json_string_value(json_object_get(s->meta, "struct_ops")) : NULL;
	json_t *a;
	char *copy, *tok, *save = NULL;

	if (!text || !*text)
		return json_null();
	copy = strdup(text);
	a = json_array();
	for (tok = copy ? strtok_r(copy, ",", &save) : NULL; tok;
	     tok = strtok_r(NULL, ",", &save))
		json_array_append_new(a, json_string(tok));
	free(copy);
	return a;
}

/* "differs": whether a parameter's loaded value is not the object's default. */
static void mark_differs(json_t *params)
{
	json_t *e, *d, *v;
	size_t i;

	json_array_foreach(params, i, e) {
		d = json_object_get(e, "default");
		v = json_object_get(e, "value");
		if (d && v && !json_is_null(d) && !json_is_null(v))
			json_object_set_new(e, "differs", json_boolean(!json_equal(d, v)));
	}
}

int xctl_module_info(const struct xctl_bpffs *fs, const char *name,
		     json_t **out, struct xctl_err *err)
{
	struct xctl_sops_list inv = {};
	struct xctl_sops_obj *o;
	json_t *params, *doc, *maps = NULL;
	const char *path;
	struct mod_state s;
	json_int_t users;
	int r;

	*out = NULL;
	r = mod_state_read(fs, name, &s, err);
	if (r)
		return r;
	r = mod_sops_list(&inv, fs, err);
	if (r) {
		mod_state_free(&s);
		return r;
	}
	o = module_obj(&s, &path);
	params = json_array();
	if (o && obj_defaults(o, params, err))
		xctl_err_reset(err);
	mod_state_params(&s, params);
	mark_differs(params);
	doc = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
			"name", s.name, "state", mod_state_name(&s),
			"pinned", s.dir,
			"object", mod_meta_field(&s, "object"),
			"sha256", mod_meta_field(&s, "sha256"),
			"loaded_at", mod_meta_field(&s, "loaded_at_rfc3339"),
			"loaded_by_uid", mod_meta_field(&s, "uid"),
			"xctl_version", mod_meta_field(&s, "xctl_version"),
			"license", o ? elf_license(o) : json_null());
	if (doc) {
		json_object_set_new(doc, "struct_ops", mod_state_sops_json(&s, &inv, &users));
		json_object_set_new(doc, "users", json_integer(users));
		json_object_set_new(doc, "selected_maps", meta_selected(&s));
		json_object_set_new(doc, "non_restricted",
				    json_boolean(json_integer_value(
					json_object_get(s.meta, "non_restricted"))));
		json_object_set_new(doc, "parameters", params);
		json_object_set_new(doc, "globals", module_globals(&s, o, &maps));
		json_object_set_new(doc, "maps", maps);
		json_object_set_new(doc, "programs", module_progs(&s, o));
	} else {
		json_decref(params);
	}
	xctl_sops_obj_close(o);
	xctl_sops_list_free(&inv);
	mod_state_free(&s);
	*out = doc;
	return doc ? 0 : xctl_errf(err, ENOMEM, "cannot describe module %s", name);
}
