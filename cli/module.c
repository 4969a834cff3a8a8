// SPDX-License-Identifier: GPL-2.0
/*
 * xctl module: insmod/lsmod/modinfo/rmmod for struct_ops objects
 * (lib/xctl_module.h): load, list, info, unload, reload.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "args.h"
#include "verb_args.h"

static const char *const module_help =
	"Usage: xctl module { list | help }\n"
	"       xctl module load OBJ [name NAME] [OBJ_OPTS]... [PARAM=VALUE ...]\n"
	"       xctl module info { NAME | OBJ [map MAP]... }\n"
	"       xctl module set NAME VAR=VALUE ...\n"
	"       xctl module unload NAME [--force]\n"
	"       xctl module reload NAME OBJ [OBJ_OPTS]... [--defaults] [PARAM=VALUE ...]\n"
	"\n"
	"OBJ := a BPF object file with struct_ops maps (e.g. cc.bpf.o)\n"
	"OBJ_OPTS := { ops_name [MAP=]OPS | map MAP | non_restricted |\n"
	"             max_entries MAP=N | pin_root DIR }\n"
	"NAME := [A-Za-z0-9_.-]{1,48}, not starting with '.'; default: OBJ's\n"
	"        basename without .bpf.o / .o\n"
	"PARAM := a const volatile global of the object (see 'xctl module info OBJ')\n"
	"VAR := a runtime global (.data/.bss) of the loaded module\n"
	"OPS := a new .name for the struct_ops (e.g. a tcp CA name); reload keeps\n"
	"       the current names by default\n"
	"map MAP: register only the struct_ops maps named (the others are not\n"
	"       created); default: all but the optional ones (SEC(\"?.struct_ops\"),\n"
	"       SEC(\"?.struct_ops.link\")), or none (reload: the module's)\n"
	"non_restricted: the TCP congestion controls may be any network\n"
	"       namespace's default (reload keeps it when the module has it)\n"
	"reload keeps the current value of every parameter not given; --defaults\n"
	"       starts from the new object's defaults instead\n"
	"max_entries MAP=N: the size of a map (required for maps the object\n"
	"       leaves unsized)\n"
	"pin_root DIR: pin the object's LIBBPF_PIN_BY_NAME maps in DIR (a directory\n"
	"       of the bpffs) to share them with other objects; default: the\n"
	"       module's maps/ directory\n"
	"\n"
	"Modules live in <bpffs>/xctl/modules/NAME/ (a pinned link per struct_ops\n"
	"map, maps/ and 'meta'). See xctl-module(8).\n";

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return emit_help(module_help);
}

/* Usage error for a bad module NAME (exit 2). */
static int check_name(const char *name)
{
	struct xctl_err err = {};
	int r;

	if (!xctl_module_name_check(name, &err))
		return 0;
	r = usage_error("%s: %s", err.what, xctl_err_reason(&err));
	xctl_err_reset(&err);
	return r;
}

/*
 * [name NAME] [ops_name [MAP=]NAME]... [max_entries MAP=N]... [pin_root DIR]
 * [map MAP]... [non_restricted] [PARAM=VALUE]... in any order (name only
 * when allow_name). Returns 0 or the usage exit status. a->params
 * points into a malloc'd array the caller frees.
 */
static int parse_load_args(int argc, char **argv, bool allow_name,
			   struct module_load_args *a)
{
	char *map;

	memset(a, 0, sizeof(*a));
	a->params = calloc(argc + 1, sizeof(*a->params));
	a->max_entries = calloc(argc + 1, sizeof(*a->max_entries));
	if (!a->params || !a->max_entries)
		return usage_error("out of memory");
	for (; argc > 0; NEXT_ARG()) {
		if (allow_name && !strcmp(argv[0], "name")) {
			NEXT_ARG();
			REQ_ARGS(1);
			a->name = argv[0];
		} else if (!strcmp(argv[0], "ops_name")) {
			NEXT_ARG();
			REQ_ARGS(1);
			if (a->rename_cnt == MODULE_MAX_RENAMES)
				return usage_error("too many 'ops_name' arguments");
			if (parse_ops_name(argv[0], &map, &a->renames[a->rename_cnt].ops_name))
				return EXIT_USAGE;
			a->renames[a->rename_cnt].map = map;
			a->rename_cnt++;
		} else if (!strcmp(argv[0], "max_entries")) {
			NEXT_ARG();
			REQ_ARGS(1);
			if (!is_assignment(argv[0], true))
				return usage_error("invalid 'max_entries %s' (expected MAP=N)",
						   argv[0]);
			a->max_entries[a->max_entries_cnt++] = argv[0];
		} else if (!strcmp(argv[0], "pin_root")) {
			NEXT_ARG();
			REQ_ARGS(1);
			if (a->pin_root)
				return usage_error("'pin_root' given twice");
			a->pin_root = argv[0];
		} else if (!strcmp(argv[0], "map")) {
			NEXT_ARG();
			REQ_ARGS(1);
			if (!argv[0][0])
				return usage_error("empty argument after 'map'");
			if (a->map_cnt == MODULE_MAX_RENAMES)
				return usage_error("too many 'map' arguments");
			a->maps[a->map_cnt++] = argv[0];
		} else if (!strcmp(argv[0], "non_restricted")) {
			a->non_restricted = true;
		} else if (!allow_name && !strcmp(argv[0], "--defaults")) {
			a->defaults = true;	/* reload only */
		} else if (is_assignment(argv[0], false)) {
			a->params[a->param_cnt++] = argv[0];
		} else {
			return usage_error("expected %sops_name, map, non_restricted, "
					   "max_entries, pin_root or PARAM=VALUE, got '%s'",
					   allow_name ? "name, " : "--defaults, ", argv[0]);
		}
	}
	return 0;
}

void module_load_args_free(struct module_load_args *a)
{
	size_t i;

	for (i = 0; i < a->rename_cnt; i++)
		free((char *)a->renames[i].map);
	free(a->params);
	free(a->max_entries);
}

void module_load_opts_set(const struct module_load_args *a, struct xctl_module_load_opts *o)
{
	o->name = a->name;
	o->params = a->params;
	o->param_cnt = a->param_cnt;
	o->renames = a->renames;
	o->rename_cnt = a->rename_cnt;
	o->max_entries = a->max_entries;
	o->max_entries_cnt = a->max_entries_cnt;
	o->pin_root = a->pin_root;
	o->maps = a->maps;
	o->map_cnt = a->map_cnt;
	o->non_restricted = a->non_restricted;
}

/*
 * The list entry of module NAME as the command's result. The load/reload has
 * succeeded when this runs, so a failure to list it is only a warning.
 */
static int emit_module(struct xctl_bpffs *fs, const char *name)
{
	struct xctl_err err = {};
	json_t *doc;

	if (xctl_module_show(fs, name, &doc, &err)) {
		/* The change was made; only the report of it failed. */
		warn("module %s: %s: %s", name, err.what, xctl_err_reason(&err));
		xctl_err_reset(&err);
		return emit(json_pack("{s:s}", "name", name), NULL);
	}
	return emit(doc, NULL);
}

int module_load_parse(int argc, char **argv, struct module_load_args *a)
{
	struct xctl_err err = {};
	int r;

	if (argc < 1) {
		memset(a, 0, sizeof(*a));
		return usage_error("missing OBJ (a BPF object file)");
	}
	r = parse_load_args(argc - 1, argv + 1, true, a);
	a->obj = argv[0];
	if (r)
		return r;
	if (a->name)
		return check_name(a->name);
	if (xctl_module_default_name(a->obj, a->defname, sizeof(a->defname), &err)) {
		r = usage_error("%s: %s (give one with 'name NAME')", err.what,
				xctl_err_reason(&err));
		xctl_err_reset(&err);
		return r;
	}
	a->name = a->defname;
	return 0;
}

static int do_load(int argc, char **argv)
{
	XCTL_OPTS(xctl_module_load_opts, o);
	struct xctl_err err = {};
	struct xctl_bpffs fs;
	struct module_load_args a;
	int r;

	r = module_load_parse(argc, argv, &a);
	if (r)
		goto out;
	module_load_opts_set(&a, &o);
	if (open_bpffs(&fs, &err) || xctl_module_load(&fs, a.obj, &o, &err))
		r = fail(&err);
	else
		r = emit_module(&fs, o.name);
out:
	module_load_args_free(&a);
	return r;
}

static char *fmt_sops(const json_t *row, const json_t *v)
{
	char buf[512] = "";
	size_t i, n = 0;
	json_t *e;

	(void)row;
	json_array_foreach(v, i, e) {
		const char *k = json_string_value(json_object_get(e, "kind"));
		const char *ops = json_string_value(json_object_get(e, "ops_name"));

		if (n < sizeof(buf))
			n += snprintf(buf + n, sizeof(buf) - n, "%s%s%s%s", i ? "," : "",
				      k ?: "?", ops ? ":" : "", ops ?: "");
	}
	return strdup(*buf ? buf : "-");
}

/* Comma-separated values of key in each struct_ops entry. */
static char *fmt_ids(const json_t *v, const char *key)
{
	char buf[256] = "";
	size_t i, n = 0;
	json_t *e, *id;

	json_array_foreach(v, i, e) {
		id = json_object_get(e, key);
		if (n < sizeof(buf))
			n += snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? "," : "", "-");
		if (json_is_integer(id) && json_integer_value(id)) {
			n -= 1;
			n += snprintf(buf + n, sizeof(buf) - n, "%lld",
				      (long long)json_integer_value(id));
		}
	}
	return strdup(*buf ? buf : "-");
}

static char *fmt_map_ids(const json_t *row, const json_t *v)
{
	(void)row;
	return fmt_ids(v, "map_id");
}

static char *fmt_link_ids(const json_t *row, const json_t *v)
{
	(void)row;
	return fmt_ids(v, "link_id");
}

/* "used by": users beyond the links, and whether a CA is the netns default. */
static char *fmt_used(const json_t *row, const json_t *v)
{
	json_t *sops = json_object_get(row, "struct_ops"), *e;
	bool dflt = false;
	char buf[64];
	size_t i;

	json_array_foreach(sops, i, e)
		if (json_is_true(json_object_get(e, "netns_default")))
			dflt = true;
	snprintf(buf, sizeof(buf), "%lld%s", (long long)json_integer_value(v),
		 dflt ? " (netns default)" : "");
	return strdup(buf);
}

static int do_list(int argc, char **argv)
{
	static const struct out_col cols[] = {
		{ "NAME", "name" }, { "STATE", "state" },
		{ "STRUCT_OPS", "struct_ops", fmt_sops },
		{ "MAPS", "struct_ops", fmt_map_ids },
		{ "LINKS", "struct_ops", fmt_link_ids },
		{ "USED BY", "users", fmt_used }, { "LOADED", "loaded_at" },
		{ "OBJECT", "object" }, { 0 }
	};
	static const struct out_view view = { cols, "no modules" };
	struct xctl_err err = {};
	struct xctl_bpffs fs;
	json_t *doc;
	int r;

	(void)argv;
	if (argc)
		return usage_error("'module list' takes no arguments");
	r = probe_bpffs(&fs, &err);
	if (r && r != -ENOENT)
		return fail(&err);
	if (r) {
		/* No bpffs: no modules; unmanaged struct_ops are still listed. */
		if (xctl_module_list(NULL, &doc, &err))
			return fail(&err);
		return emit(doc, &view);
	}
	if (xctl_module_list(&fs, &doc, &err))
		return fail(&err);
	return emit(doc, &view);
}

static int do_info(int argc, char **argv)
{
	struct xctl_err err = {};
	struct xctl_bpffs fs;
	bool have_fs;
	const char *maps[MODULE_MAX_RENAMES];
	size_t nmaps = 0;
	struct stat st;
	json_t *doc;
	int i, r;

	if (argc < 1)
		return usage_error("missing module NAME or object file");
	for (i = 1; i < argc; i += 2) {
		if (strcmp(argv[i], "map"))
			return usage_error("unexpected argument '%s' (expected 'map MAP')",
					   argv[i]);
		if (i + 1 >= argc || !argv[i + 1][0])
			return usage_error("missing MAP after 'map'");
		if (nmaps == MODULE_MAX_RENAMES)
			return usage_error("too many 'map' arguments");
		maps[nmaps++] = argv[i + 1];
	}
	r = probe_bpffs(&fs, &err);
	if (r && r != -ENOENT)
		return fail(&err);
	have_fs = !r;
	if (have_fs && !xctl_module_name_check(argv[0], &err) &&
	    xctl_module_exists(&fs, argv[0])) {
		if (nmaps)
			return usage_error("'map' applies to an object file, not to "
					   "module %s", argv[0]);
		r = xctl_module_info(&fs, argv[0], &doc, &err);
	} else if (!stat(argv[0], &st))
		r = xctl_module_obj_info(argv[0], maps, nmaps, &doc, &err);
	else {
		xctl_err_reset(&err);
		r = xctl_errf(&err, ENOENT, "no module or object file '%s'", argv[0]);
		xctl_err_why(&err, "no module of that name is loaded and no such file exists");
		xctl_err_hint(&err, "'xctl module list' shows the loaded modules");
	}
	if (r)
		return fail(&err);
	return emit(doc, NULL);
}

static int do_set(int argc, char **argv)
{
	struct xctl_err err = {};
	struct xctl_bpffs fs;
	const char *name;
	json_t *doc;
	int i, r;

	if (argc < 1)
		return usage_error("missing module NAME");
	if (argc < 2)
		return usage_error("'module set' needs VAR=VALUE after the module name");
	name = argv[0];
	r = check_name(name);
	if (r)
		return r;
	for (i = 1; i < argc; i++)
		if (!is_assignment(argv[i], false))
			return usage_error("expected VAR=VALUE, got '%s'", argv[i]);
	if (xctl_bpffs_probe(&fs, bpffs_dir)) {
		xctl_errf(&err, ENOENT, "module %s is not loaded", name);
		xctl_err_why(&err, "no bpffs at %s", bpffs_dir ?: XCTL_BPFFS_DEFAULT);
		return fail(&err);
	}
	if (xctl_module_set(&fs, name, argv + 1, (size_t)argc - 1, &doc, &err))
		return fail(&err);
	return emit(doc, NULL);
}

static int do_unload(int argc, char **argv)
{
	XCTL_OPTS(xctl_module_unload_opts, o);
	struct xctl_err err = {};
	struct xctl_bpffs fs;
	const char *name = NULL;
	json_t *doc = NULL;
	int r;

	o.report = &doc;
	for (; argc > 0; NEXT_ARG()) {
		if (!strcmp(argv[0], "--force") || !strcmp(argv[0], "-f"))
			o.force = true;
		else if (!name)
			name = argv[0];
		else
			return usage_error("unexpected argument '%s'", argv[0]);
	}
	if (!name)
		return usage_error("missing module NAME");
	r = check_name(name);
	if (r)
		return r;
	r = probe_bpffs(&fs, &err);
	if (r && r != -ENOENT)
		return fail(&err);
	if (r) {
		r = xctl_errf(&err, ENOENT, "module %s is not loaded", name);
		xctl_err_why(&err, "no bpffs at %s", bpffs_dir ?: XCTL_BPFFS_DEFAULT);
		return fail(&err);
	}
	if (xctl_module_unload(&fs, name, &o, &err))
		return fail(&err);
	/* pins in a shared pin_root stay for the objects sharing them */
	if (!json_output && !quiet_output && json_array_size(json_object_get(doc, "maps_shared")))
		warn("module %s: left the maps it shares in its pin_root in place",
		     name);
	return emit(doc, NULL);
}

static int do_reload(int argc, char **argv)
{
	XCTL_OPTS(xctl_module_load_opts, o);
	struct xctl_err err = {};
	struct xctl_bpffs fs;
	struct module_load_args a;
	const char *name;
	int r;

	if (argc < 2)
		return usage_error("'module reload' needs NAME and OBJ");
	name = argv[0];
	r = check_name(name);
	if (r)
		return r;
	r = parse_load_args(argc - 2, argv + 2, false, &a);
	if (r)
		goto out;
	module_load_opts_set(&a, &o);
	o.name = NULL;	/* reload: the module's own */
	o.defaults = a.defaults;
	r = probe_bpffs(&fs, &err);
	if (r && r != -ENOENT) {
		r = fail(&err);
	} else if (r) {
		r = xctl_errf(&err, ENOENT, "module %s is not loaded", name);
		xctl_err_why(&err, "no bpffs at %s", bpffs_dir ?: XCTL_BPFFS_DEFAULT);
		r = fail(&err);
	} else if (xctl_module_reload(&fs, name, argv[1], &o, &err)) {
		r = fail(&err);
	} else {
		r = emit_module(&fs, name);
	}
out:
	module_load_args_free(&a);
	return r;
}

static const struct cmd cmds[] = {
	{ "list", do_list },
	{ "load", do_load },
	{ "info", do_info },
	{ "unload", do_unload },
	{ "reload", do_reload },
	{ "set", do_set },
	{ 0 }
};

int do_module(int argc, char **argv)
{
	/* "l" is a prefix of list and load; like bpftool, it means list. */
	if (argc && !strcmp(argv[0], "l"))
		return do_list(argc - 1, argv + 1);
	return cmd_select(cmds, argc, argv, do_help, "module");
}
