// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Module parameters: the object's `const volatile` globals in .rodata.
 *
 * They are found through the .rodata DATASEC of the object's BTF (or, for a
 * loaded module, of the loaded .rodata map's BTF), set by writing the
 * section's initial image before load (type-checked by
 * xctl_btf_set_member()), and shown through the BTF walker.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "btf_priv.h"
#include "module_priv.h"

struct bpf_map *mod_rodata_map(struct bpf_object *obj)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *t;
	struct bpf_map *map;

	if (!btf)
		return NULL;
	bpf_object__for_each_map(map, obj) {
		if (!bpf_map__is_internal(map))
			continue;
		t = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
		if (t && btf_is_datasec(t) &&
		    !strcmp(btf__name_by_offset(btf, t->name_off) ?: "", ".rodata"))
			return map;
	}
	return NULL;
}

bool mod_global_is(const struct btf *btf, uint32_t var_id)
{
	const struct btf_type *t = btf__type_by_id(btf, var_id);

	return t && btf_is_var(t) && btf_var(t)->linkage == BTF_VAR_GLOBAL_ALLOCATED;
}

bool mod_param_is(const struct btf *btf, uint32_t var_id)
{
	const struct btf_type *t = btf__type_by_id(btf, var_id);
	bool is_const = false, is_volatile = false;
	int hops;

	if (!mod_global_is(btf, var_id))
		return false;
	t = btf__type_by_id(btf, t->type);
	/*
	 * const of an array is on its elements: "const volatile char x[8]".
	 * A plain const is folded into the code by the compiler: setting it
	 * would change nothing, so it is no parameter.
	 */
	for (hops = 0; t && hops < 32 && (btf_is_mod(t) || btf_is_array(t)); hops++) {
		if (btf_is_const(t))
			is_const = true;
		if (btf_is_volatile(t))
			is_volatile = true;
		t = btf__type_by_id(btf, btf_is_array(t) ? btf_array(t)->type : t->type);
	}
	return is_const && is_volatile;
}

static const struct btf_type *datasec(const struct btf *btf, uint32_t sec_id)
{
	const struct btf_type *t = btf__type_by_id(btf, sec_id);

	return t && btf_is_datasec(t) ? t : NULL;
}

void mod_param_names(const struct btf *btf, uint32_t sec_id, char *buf,
		     size_t len)
{
	const struct btf_type *sec = datasec(btf, sec_id);
	const struct btf_var_secinfo *vi;
	size_t used = 0;
	uint16_t i;

	if (len)
		buf[0] = '\0';
	if (!sec)
		return;
	vi = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec) && used < len; i++) {
		const struct btf_type *v = btf__type_by_id(btf, vi[i].type);

		if (!mod_param_is(btf, vi[i].type))
			continue;
		used += snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
				 btf__name_by_offset(btf, v->name_off) ?: "?");
	}
}

/* The parameter variable `name` of the section, or NULL. */
static const struct btf_var_secinfo *find_param(const struct btf *btf,
						 const struct btf_type *sec,
						 const char *name)
{
	const struct btf_var_secinfo *vi = btf_var_secinfos(sec);
	uint16_t i;

	for (i = 0; i < btf_vlen(sec); i++) {
		const struct btf_type *v = btf__type_by_id(btf, vi[i].type);

		if (mod_param_is(btf, vi[i].type) &&
		    !strcmp(btf__name_by_offset(btf, v->name_off) ?: "", name))
			return &vi[i];
	}
	return NULL;
}

bool mod_param_exists(const struct btf *btf, uint32_t sec_id, const char *nv)
{
	const struct btf_type *sec = datasec(btf, sec_id);
	char name[128];
	size_t len = strcspn(nv, "=");

	if (!sec || len >= sizeof(name))
		return false;
	memcpy(name, nv, len);
	name[len] = '\0';
	return find_param(btf, sec, name) != NULL;
}

/* Prefix err->what with "parameter NAME: " so the user sees which one failed. */
static void name_error(struct xctl_err *err, const char *name)
{
	char what[sizeof(err->what)];

	snprintf(what, sizeof(what), "parameter %.64s: %.400s", name, err->what);
	memcpy(err->what, what, sizeof(what));
}

int mod_params_set(const struct btf *btf, uint32_t sec_id, void *image,
		   size_t size, char *const *kv, size_t n, struct xctl_err *err)
{
	const struct btf_type *sec = btf ? datasec(btf, sec_id) : NULL;
	char name[128], valid[512];
	const char *eq;
	size_t i;
	int r;

	/* Object BTF is checked when the object is opened; a caller's need not be. */
	r = btf ? xbtf_check_all(btf, err) : 0;
	if (r)
		return r;
	for (i = 0; i < n; i++) {
		eq = strchr(kv[i], '=');
		if (!eq || eq == kv[i] || (size_t)(eq - kv[i]) >= sizeof(name)) {
			r = xctl_errf(err, EINVAL, "invalid parameter '%s'", kv[i]);
			xctl_err_why(err, "parameters are NAME=VALUE");
			return r;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(eq - kv[i]), kv[i]);
		if (!sec || !find_param(btf, sec, name)) {
			r = xctl_errf(err, ENOENT, "unknown parameter '%s'", name);
			if (sec)
				mod_param_names(btf, sec_id, valid, sizeof(valid));
			if (!sec || !valid[0]) {
				xctl_err_why(err, "the object has no parameters "
					     "(const volatile globals)");
			} else {
				xctl_err_why(err, "the object has no such const volatile global");
				xctl_err_hint(err, "valid parameters: %s", valid);
			}
			return r;
		}
		r = xctl_btf_set_member(btf, sec_id, image, size, name, eq + 1, err);
		if (r) {
			name_error(err, name);
			return r;
		}
	}
	return 0;
}

char *mod_type_text(const struct btf *btf, uint32_t type_id)
{
	return xbtf_decl_text(btf, type_id, "", true);
}

static json_t *find_entry(json_t *arr, const char *name)
{
	json_t *e;
	size_t i;

	json_array_foreach(arr, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "name")) ?: "", name))
			return e;
	return NULL;
}

int mod_params_merge(json_t *arr, const struct btf *btf, uint32_t sec_id,
		     const void *image, size_t size, const char *field,
		     struct xctl_err *err)
{
	return mod_vars_merge(arr, btf, sec_id, image, size, field, false, err);
}

int mod_vars_merge(json_t *arr, const struct btf *btf, uint32_t sec_id,
		   const void *image, size_t size, const char *field, bool globals,
		   struct xctl_err *err)
{
	const char *what = globals ? "global" : "parameter";
	const struct btf_type *sec = datasec(btf, sec_id), *v;
	const struct btf_var_secinfo *vi;
	json_t *e, *val, *choices;
	const char *name;
	uint16_t i;
	char *ty;
	int r;

	if (!sec)
		return xctl_errf(err, EINVAL, "BTF type %u is not a data section", sec_id);
	/* libbpf's btf_dump (type_text) trusts ids, names and chains: check first. */
	r = xbtf_check_all(btf, err);
	if (r)
		return r;
	vi = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++) {
		if (!(globals ? mod_global_is : mod_param_is)(btf, vi[i].type))
			continue;
		v = btf__type_by_id(btf, vi[i].type);
		name = btf__name_by_offset(btf, v->name_off);
		val = json_null();
		if (image) {
			if ((size_t)vi[i].offset + vi[i].size > size)
				return xctl_errf(err, EINVAL, "%s %s lies outside "
						 "its section (%zu bytes)", what, name, size);
			r = xctl_btf_to_json(btf, vi[i].type,
					     (const char *)image + vi[i].offset,
					     vi[i].size, NULL, &val, err);
			if (r)
				return r;
		}
		e = find_entry(arr, name);
		if (!e) {
			ty = mod_type_text(btf, v->type);
			/* globals: "section" second (completion tells them apart) */
			e = globals ?
			    json_pack("{s:s, s:s, s:s?, s:n, s:n}", "name", name, "section",
				      btf__name_by_offset(btf, sec->name_off), "type", ty,
				      "default", "value") :
			    json_pack("{s:s, s:s?, s:n, s:n}", "name", name, "type", ty,
				      "default", "value");
			free(ty);
			/* enumerators, or true/false: what completion offers */
			choices = e ? xctl_btf_choices(btf, v->type) : NULL;
			if (choices)
				json_object_set_new(e, "choices", choices);
			if (!e || json_array_append_new(arr, e)) {
				json_decref(val);
				return xctl_errf(err, ENOMEM, "cannot list %ss", what);
			}
		}
		json_object_set_new(e, field, val);
	}
	return 0;
}

json_t *mod_params_given(char *const *kv, size_t n)
{
	json_t *o = json_object();
	const char *eq;
	char name[128];
	size_t i;

	for (i = 0; o && i < n; i++) {
		eq = strchr(kv[i], '=');
		if (!eq || (size_t)(eq - kv[i]) >= sizeof(name))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(eq - kv[i]), kv[i]);
		json_object_set_new(o, name, json_string(eq + 1));
	}
	return o;
}
