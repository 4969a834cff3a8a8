// SPDX-License-Identifier: GPL-2.0
/*
 * xctl struct_ops: the host's struct_ops maps (lib/xctl_struct_ops.h):
 * list/show, dump, register (through pinned links), unregister.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "args.h"

static const char *const sops_help =
	"Usage: xctl struct_ops { list | show } [STRUCT_OPS_MAP]\n"
	"       xctl struct_ops dump [STRUCT_OPS_MAP]\n"
	"       xctl struct_ops register OBJ [pin DIR] [ops_name [MAP=]NAME]... [map MAP]...\n"
	"                                    [non_restricted] [legacy]\n"
	"       xctl struct_ops unregister STRUCT_OPS_MAP\n"
	"       xctl struct_ops help\n"
	"\n"
	"STRUCT_OPS_MAP := { id MAP_ID | name MAP_NAME | pinned PATH }\n"
	"OBJ := a BPF object file with struct_ops maps in SEC(\".struct_ops\"),\n"
	"       SEC(\".struct_ops.link\") or the optional SEC(\"?.struct_ops\") and\n"
	"       SEC(\"?.struct_ops.link\")\n"
	"DIR := a directory below <bpffs>/xctl/ (default <bpffs>/xctl/struct_ops)\n"
	"MAP := a struct_ops map of OBJ: 'map' registers only the maps named;\n"
	"       default: every map that is not optional\n"
	"non_restricted := TCP CAs any network namespace may make its default\n"
	"\n"
	"register pins one link per map at DIR/<map name>; removing the pin or\n"
	"'unregister' ends the registration. See xctl-struct_ops(8).\n";

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return emit_help(sops_help);
}

/*
 * Parse STRUCT_OPS_MAP, the last arguments, into *id: the number used (2),
 * or minus the exit status (malformed selectors are usage errors, selectors
 * naming nothing failures).
 */
static int parse_map_sel(int argc, char **argv, uint32_t *id)
{
	struct xctl_err err = {};
	struct sel_arg sel;
	int n;

	n = parse_sel(argc, argv, "struct_ops map", &sel);
	if (n < 0)
		return n;
	if (argc > n)
		return -usage_error("unexpected argument '%s'", argv[n]);
	*id = sel.id;
	if (xctl_sops_resolve(sel.kw, sel.arg, id, &err))
		return -fail(&err);
	return n;
}

/*
 * The bpffs for pin information, never mounted by a read-only command:
 * NULL when there is none; *bad set (err filled) when --bpffs is not one.
 */
static const struct xctl_bpffs *probe_fs(struct xctl_bpffs *fs, bool *bad,
					 struct xctl_err *err)
{
	int r = probe_bpffs(fs, err);

	*bad = r && r != -ENOENT;
	return r ? NULL : fs;
}

static char *fmt_links(const json_t *row, const json_t *v)
{
	char buf[256] = "";
	size_t i, len = 0;
	json_t *l;

	(void)row;
	json_array_foreach(v, i, l)
		if (len < sizeof(buf))
			len += snprintf(buf + len, sizeof(buf) - len, "%s%lld", i ? "," : "",
					(long long)json_integer_value(json_object_get(l, "id")));
	return strdup(len ? buf : "-");
}

static char *fmt_pins(const json_t *row, const json_t *v)
{
	char buf[1024] = "";
	size_t i, len = 0;
	json_t *l, *p;

	(void)row;
	json_array_foreach(v, i, l) {
		p = json_object_get(l, "pinned");
		if (json_is_string(p) && len < sizeof(buf))
			len += snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? "," : "",
					json_string_value(p));
	}
	return strdup(len ? buf : "-");
}

static char *fmt_bool(const json_t *row, const json_t *v)
{
	(void)row;
	return strdup(json_is_true(v) ? "yes" : "no");
}

static const struct out_col list_cols[] = {
	{ "ID", "id" }, { "NAME", "name" }, { "KIND", "kind" },
	{ "OPS_NAME", "ops_name" }, { "REGISTERED", "registered", fmt_bool },
	{ "LINKS", "links", fmt_links }, { "USERS", "users" },
	{ "MODULE", "module" }, { "PINNED", "links", fmt_pins }, { 0 }
};

static int do_list(int argc, char **argv)
{
	static const struct out_view view = { list_cols, "no struct_ops maps" };
	struct xctl_err err = {};
	struct xctl_sops_list l;
	struct xctl_bpffs fs;
	const struct xctl_bpffs *fsp;
	bool bad;
	uint32_t id = 0;
	json_t *doc;
	size_t i;
	int r;

	if (argc) {
		r = parse_map_sel(argc, argv, &id);
		if (r < 0)
			return -r;
	}
	fsp = probe_fs(&fs, &bad, &err);
	if (bad || xctl_sops_list_get(&l, fsp, &err))
		return fail(&err);
	doc = json_array();
	for (i = 0; i < l.cnt; i++)
		if (!id || l.maps[i].id == id)
			json_array_append_new(doc, xctl_sops_map_json(&l.maps[i]));
	xctl_sops_list_free(&l);
	return emit(doc, &view);
}

static const char *state_name(uint32_t state)
{
	static const char *const names[] = {
		[XCTL_SOPS_STATE_INIT] = "init",
		[XCTL_SOPS_STATE_INUSE] = "inuse",
		[XCTL_SOPS_STATE_TOBEFREE] = "tobefree",
		[XCTL_SOPS_STATE_READY] = "ready",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : NULL;
}

/* One map with its value, as dump prints it. */
static int dump_json(const struct xctl_sops_map *m, json_t **out, struct xctl_err *err)
{
	json_t *doc, *value;

	if (xctl_sops_value_json(m->id, &value, err))
		return -1;
	doc = xctl_sops_map_json(m);
	json_object_set_new(doc, "link_based", json_boolean(m->link_based));
	json_object_set_new(doc, "map_flags", json_integer(m->map_flags));
	json_object_set_new(doc, "value_size", json_integer(m->value_size));
	json_object_set_new(doc, "btf_vmlinux_value_type_id",
			    json_integer(m->btf_vmlinux_value_type_id));
	json_object_set_new(doc, "state", state_name(m->state) ?
			    json_string(state_name(m->state)) : json_integer(m->state));
	json_object_set_new(doc, "refcnt", json_integer(m->refcnt));
	if (m->has_flags)
		json_object_set_new(doc, "flags", xctl_sops_flags_json(m->kind, m->flags));
	json_object_set_new(doc, "value", value);
	*out = doc;
	return 0;
}

/*
 * dump STRUCT_OPS_MAP: that map; dump alone: every struct_ops map, one JSON
 * array, as bpftool's "struct_ops dump" does. A map that goes away while
 * being dumped is left out.
 */
static int do_dump(int argc, char **argv)
{
	struct xctl_err err = {};
	struct xctl_sops_list l;
	struct xctl_bpffs fs;
	const struct xctl_bpffs *fsp;
	json_t *doc = NULL, *e;
	uint32_t id = 0;
	bool bad;
	size_t i;
	int r;

	if (argc) {
		r = parse_map_sel(argc, argv, &id);
		if (r < 0)
			return -r;
	}
	fsp = probe_fs(&fs, &bad, &err);
	if (bad || xctl_sops_list_get(&l, fsp, &err))
		return fail(&err);
	if (!id)
		doc = json_array();
	for (i = 0; i < l.cnt; i++) {
		if (id && l.maps[i].id != id)
			continue;
		if (dump_json(&l.maps[i], &e, &err)) {
			if (!id && err.errnum == ENOENT) {
				xctl_err_reset(&err);
				continue;
			}
			json_decref(doc);
			xctl_sops_list_free(&l);
			return fail(&err);
		}
		if (!id)
			json_array_append_new(doc, e);
		else
			doc = e;
	}
	xctl_sops_list_free(&l);
	if (!doc) {
		xctl_errf(&err, ENOENT, "cannot find struct_ops map id %u", id);
		return fail(&err);
	}
	return emit(doc, NULL);
}

static int do_register(int argc, char **argv)
{
	static const struct out_col cols[] = {
		{ "MAP", "map" }, { "KIND", "kind" }, { "OPS_NAME", "ops_name" },
		{ "MAP_ID", "map_id" }, { "LINK_ID", "link_id" }, { "PINNED", "pinned" },
		{ 0 }
	};
	static const struct out_view view = { cols, "nothing registered" };
	static const char *const kws[] = { "pin", "ops_name", "legacy", "map",
					    "non_restricted", NULL };
	XCTL_OPTS(xctl_sops_register_opts, opts);
	struct xctl_sops_rename renames[16];
	char *rmaps[16];
	const char *maps[16];
	size_t nmaps = 0;
	struct xctl_err err = {};
	struct xctl_bpffs fs;
	const char *obj;
	size_t n = 0, i;
	json_t *doc;
	int k, r;

	if (argc < 1)
		return usage_error("missing OBJ (a BPF object file with struct_ops maps)");
	obj = argv[0];
	NEXT_ARG();
	r = 0;
	while (argc) {
		k = keyword_index(argv[0], kws);
		if (k < 0) {
			r = usage_error("expected 'pin', 'ops_name', 'map', 'non_restricted' "
					"or 'legacy', got '%s'", argv[0]);
			goto out;
		}
		if (k == 2 || k == 4) {
			if (k == 2)
				opts.legacy = true;
			else
				opts.non_restricted = true;
			NEXT_ARG();
			continue;
		}
		NEXT_ARG();
		if (argc < 1) {
			r = usage_error("missing argument after '%s'", argv[-1]);
			goto out;
		}
		if (!*argv[0]) {
			r = usage_error("empty argument after '%s'", kws[k]);
			goto out;
		}
		if (k == 3) {
			if (nmaps == sizeof(maps) / sizeof(maps[0])) {
				r = usage_error("too many 'map' arguments");
				goto out;
			}
			maps[nmaps++] = argv[0];
		} else if (k == 0) {
			if (opts.pin_dir) {
				r = usage_error("'pin' given twice");
				goto out;
			}
			opts.pin_dir = argv[0];
		} else {
			if (n == sizeof(renames) / sizeof(renames[0])) {
				r = usage_error("too many 'ops_name' arguments");
				goto out;
			}
			r = parse_ops_name(argv[0], &rmaps[n], &renames[n].ops_name);
			if (r)
				goto out;
			renames[n].map = rmaps[n];
			n++;
		}
		NEXT_ARG();
	}
	opts.renames = renames;
	opts.rename_cnt = n;
	opts.maps = maps;
	opts.map_cnt = nmaps;
	if (open_bpffs(&fs, &err)) {
		r = fail(&err);
		goto out;
	}
	if (!opts.legacy && !xctl_features()->sops_link)
		warn("this kernel has no link-based struct_ops (Linux 6.4+); registering "
		     "the legacy way, which stays until 'xctl struct_ops unregister'");
	r = xctl_sops_register(&fs, obj, &opts, &doc, &err);
	r = r ? fail(&err) : emit(doc, &view);
out:
	for (i = 0; i < n; i++)
		free(rmaps[i]);
	return r;
}

static int do_unregister(int argc, char **argv)
{
	struct xctl_err err = {};
	struct xctl_bpffs fs;
	bool bad;
	json_t *doc, *l, *p;
	size_t i, j;
	uint32_t id;
	int r;

	r = parse_map_sel(argc, argv, &id);
	if (r < 0)
		return -r;
	probe_fs(&fs, &bad, &err);
	if (bad || xctl_sops_unregister(&fs, id, &doc, &err))
		return fail(&err);
	/* with -j the document's links[].pinned says the same */
	json_array_foreach(json_object_get(doc, "links"), i, l) {
		if (json_output)
			break;
		json_array_foreach(json_object_get(l, "pinned"), j, p)
			warn("link %lld stays pinned at %s, outside xctl's directory%s; "
			     "remove it with: rm %s",
			     (long long)json_integer_value(json_object_get(l, "id")),
			     json_string_value(p),
			     json_is_true(json_object_get(l, "detached")) ? " (detached)" : "",
			     json_string_value(p));
	}
	return emit(doc, NULL);
}

int do_struct_ops(int argc, char **argv)
{
	static const struct cmd cmds[] = {
		{ "list", do_list },
		{ "show", do_list },
		{ "dump", do_dump },
		{ "register", do_register },
		{ "unregister", do_unregister },
		{ 0 }
	};

	return cmd_select(cmds, argc, argv, do_help, "struct_ops");
}
