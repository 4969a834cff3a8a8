// SPDX-License-Identifier: GPL-2.0
/*
 * xctl __complete WHAT ...: the live values bash completion
 * (completions/xctl) asks xctl for, one per line on stdout. Hidden: not in
 * any help or man page and not part of the JSON contract; errors print
 * nothing and exit 1, so a completion just offers nothing.
 *
 *   devices            device names of the namespace (-N NAME applies)
 *   ids TYPE           keys of control type TYPE: program or map ids
 *   progs OBJ          the XDP programs of object file OBJ
 *   params OBJ         NAME= per parameter of module object OBJ, and
 *                      NAME=CHOICE for enum and bool parameters
 *   fields TYPE        PATH= per field of control type TYPE's update
 *                      struct, and PATH=CHOICE for enum and bool fields
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

/* Every key of control type `type`: its ifname (devices) or its id. */
static int keys(const char *type, bool names)
{
	struct xctl_err err = {};
	struct xctl_ctl *c;
	uint32_t key, next;
	bool first = true;
	char name[128];
	int r;

	if (xctl_ctl_open(type, &c, &err)) {
		xctl_err_reset(&err);
		return EXIT_FAIL;
	}
	while (!(r = xctl_ctl_get_next_key(c, first ? NULL : &key, &next, &err))) {
		first = false;
		key = next;
		if (!names) {
			printf("%u\n", key);
			continue;
		}
		if (!xctl_ctl_key_name(c, &key, name, sizeof(name)) && *name)
			printf("%s\n", name);
	}
	xctl_err_reset(&err);
	xctl_ctl_close(c);
	return r == -ENOENT ? EXIT_OK : EXIT_FAIL;
}

/* NAME= and NAME=CHOICE lines of [{key: NAME, "choices": [...]}]. */
static void assignments(const json_t *arr, const char *key)
{
	const json_t *e, *ch;
	const char *name;
	size_t i, j;

	json_array_foreach(arr, i, e) {
		name = json_string_value(json_object_get(e, key));
		if (!name)
			continue;
		printf("%s=\n", name);
		json_array_foreach(json_object_get(e, "choices"), j, ch)
			printf("%s=%s\n", name, json_string_value(ch) ?: "");
	}
}

static int progs(const char *obj)
{
	struct xctl_err err = {};
	json_t *names, *n;
	size_t i;

	if (xctl_xdp_obj_progs(obj, &names, &err)) {
		xctl_err_reset(&err);
		return EXIT_FAIL;
	}
	json_array_foreach(names, i, n)
		printf("%s\n", json_string_value(n));
	json_decref(names);
	return EXIT_OK;
}

static int params(const char *obj)
{
	struct xctl_err err = {};
	json_t *doc;

	if (xctl_module_obj_info(obj, NULL, 0, &doc, &err)) {
		xctl_err_reset(&err);
		return EXIT_FAIL;
	}
	assignments(json_object_get(doc, "parameters"), "name");
	json_decref(doc);
	return EXIT_OK;
}

static int fields(const char *type)
{
	struct xctl_err err = {};
	struct xctl_ctl_btf b;
	struct xctl_ctl *c;
	json_t *paths = NULL;
	int r = EXIT_FAIL;

	if (xctl_ctl_open(type, &c, &err)) {
		xctl_err_reset(&err);
		return EXIT_FAIL;
	}
	if (!xctl_ctl_btf(c, NULL, &b, &err) && b.update_btf &&
	    !xctl_btf_member_paths(b.update_btf, b.update_type_id, &paths, &err)) {
		assignments(paths, "path");
		json_decref(paths);
		r = EXIT_OK;
	}
	xctl_err_reset(&err);
	xctl_ctl_close(c);
	return r;
}

int do_complete(int argc, char **argv)
{
	if (argc == 1 && !strcmp(argv[0], "devices"))
		return keys("netdev", true);
	if (argc == 2 && !strcmp(argv[0], "ids"))
		return keys(argv[1], false);
	if (argc == 2 && !strcmp(argv[0], "progs"))
		return progs(argv[1]);
	if (argc == 2 && !strcmp(argv[0], "params"))
		return params(argv[1]);
	if (argc == 2 && !strcmp(argv[0], "fields"))
		return fields(argv[1]);
	return EXIT_USAGE;
}
