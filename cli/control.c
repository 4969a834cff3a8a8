// SPDX-License-Identifier: GPL-2.0
/*
 * xctl control: control maps (lib/xctl_control.h), the map-shaped view of
 * subsystem attributes: types, dump, lookup, getnext, update, btf, pin.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "args.h"

static const char *const control_help =
	"Usage: xctl control { types | help }\n"
	"       xctl control dump TYPE\n"
	"       xctl control lookup TYPE KEY\n"
	"       xctl control getnext TYPE [KEY]\n"
	"       xctl control update TYPE KEY FIELD=VALUE ...\n"
	"       xctl control btf TYPE [KEY]\n"
	"       xctl control pin TYPE PATH\n"
	"\n"
	"TYPE := { xdp | netdev | prog | struct_ops | ethtool }\n"
	"KEY := { DEV | ifindex IFINDEX }            (xdp, netdev, ethtool)\n"
	"       { id ID | name NAME | pinned PATH }  (prog, struct_ops)\n"
	"FIELD := a member path of the type's update struct, e.g. rings.num\n"
	"\n"
	"'xctl control types' lists each type's key, value type and operations.\n"
	"See xctl-control(8).\n";

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return emit_help(control_help);
}

/*
 * The JSON of control-map entries, built only from the installed calls
 * (xctl_ctl_*, xctl_btf_to_json) as any program on libxctl would.
 */

/* {"ifindex": N, "ifname": NAME} or {"id": N, "name": NAME}; null when unnamed. */
static json_t *key_json(struct xctl_ctl *c, const uint32_t *key)
{
	bool dev = xctl_ctl_info(c)->device_key;
	char name[128];

	if (xctl_ctl_key_name(c, key, name, sizeof(name)))
		name[0] = '\0';
	return json_pack("{s:I, s:o}", dev ? "ifindex" : "id", (json_int_t)*key,
			 dev ? "ifname" : "name", *name ? json_string(name) : json_null());
}

/*
 * bpf_prog_info as bpftool shows it: the type by name, the tag in hex (the
 * pointer members the kernel does not fill are already null, as absent).
 */
static void prog_value(json_t *value)
{
	json_t *type = json_object_get(value, "type");
	json_t *tag = json_object_get(value, "tag"), *b;
	char hex[2 * 8 + 1] = "";
	const char *name;
	size_t i;

	if (json_is_integer(type)) {
		name = xctl_prog_type_name((uint32_t)json_integer_value(type));
		if (name)
			json_object_set_new(value, "type", json_string(name));
	}
	if (json_is_array(tag) && json_array_size(tag) == 8) {
		json_array_foreach(tag, i, b)
			snprintf(hex + 2 * i, 3, "%02x", (unsigned int)json_integer_value(b) & 0xff);
		json_object_set_new(value, "tag", json_string(hex));
	}
}

/*
 * One entry as dump and lookup show it: {"key", "value"}, with "value_type"
 * between them for types whose value type depends on the key. Members the
 * kernel or driver does not provide are null.
 */
static int entry_json(struct xctl_ctl *c, const uint32_t *key, json_t **out,
		      struct xctl_err *err)
{
	XCTL_OPTS(xctl_ctl_lookup_opts, lo);
	XCTL_OPTS(xctl_btf_dump_opts, dopts);
	uint64_t small[512];
	char tname[160];
	void *buf = small;
	json_t *value;
	int r;

	lo.value = small;
	lo.value_sz = sizeof(small);
	r = xctl_ctl_lookup(c, key, &lo, err);
	if (!r && lo.size > sizeof(small)) {
		/* read again into a buffer of the real size */
		buf = malloc(lo.size);
		if (!buf)
			return xctl_errf(err, ENOMEM, "cannot look up %s key %u",
					 xctl_ctl_info(c)->name, *key);
		lo.value = buf;
		lo.value_sz = lo.size;
		r = xctl_ctl_lookup(c, key, &lo, err);
	}
	if (r)
		goto out;
	dopts.flags = lo.dump_flags;
	dopts.null_members = lo.absent;
	r = xctl_btf_to_json(lo.btf, lo.type_id, buf, lo.size < lo.value_sz ? lo.size :
			     lo.value_sz, &dopts, &value, err);
	if (r)
		goto out;
	if (!strcmp(xctl_ctl_info(c)->name, "prog"))
		prog_value(value);
	*out = json_pack("{s:o}", "key", key_json(c, key));
	if (xctl_ctl_info(c)->per_key_type) {
		xctl_ctl_type_name(lo.btf, lo.type_id, tname, sizeof(tname));
		json_object_set_new(*out, "value_type", json_string(tname));
	}
	json_object_set_new(*out, "value", value);
out:
	if (buf != small)
		free(buf);
	return r;
}

/* Open the type named by argv[0]: 0, or the exit status to return. */
static int open_type(int argc, char **argv, struct xctl_ctl **c)
{
	/* Types that record state in bpffs (xdp redirect) use --bpffs. */
	XCTL_OPTS(xctl_ctl_opts, o, .bpffs_dir = bpffs_dir, .no_mount = no_mount);
	struct xctl_err err = {};
	bool known;
	int r;

	if (argc < 1)
		return usage_error("missing control TYPE (see 'xctl control types')");
	known = xctl_ctl_type_find(argv[0], NULL) != NULL;
	if (!xctl_ctl_open_ext(argv[0], &o, c, &err))
		return 0;
	if (known)
		return fail(&err);
	/* An unknown or ambiguous type name is a usage error. */
	r = usage_error("%s: %s", err.what, xctl_err_reason(&err));
	xctl_err_reset(&err);
	return r;
}

/*
 * Parse KEY at argv: returns the number of arguments used, or minus the exit
 * status (malformed keys are usage errors, keys naming nothing failures).
 */
static int parse_key(struct xctl_ctl *c, int argc, char **argv, uint32_t *key)
{
	const struct xctl_ctl_type_info *t = xctl_ctl_info(c);
	char name[IF_NAMESIZE];
	struct xctl_err err = {};
	struct dev_arg dev;
	struct sel_arg sel;
	int n, r;

	if (t->device_key) {
		n = parse_dev(argc, argv, t->name, &dev);
		if (n > 0 && dev_resolve(&dev, key, name, &err))
			return -fail(&err);
		return n;
	}
	n = parse_sel(argc, argv, t->name, &sel);
	if (n < 0)
		return n;
	*key = sel.id;
	if (sel.kind == SEL_ID)
		return n;
	r = xctl_ctl_resolve(c, sel.kw, sel.arg, key, &err);
	if (r == -EINVAL) {
		/* not a name or a pin of this type at all: a usage error */
		if (err.why[0])
			usage_error("%s: %s", err.what, err.why);
		else
			usage_error("%s", err.what);
		xctl_err_reset(&err);
		return -EXIT_USAGE;
	}
	if (r)
		return -fail(&err);
	return n;
}

/* Parse KEY that must be the last argument: 0, or minus the exit status. */
static int parse_last_key(struct xctl_ctl *c, int argc, char **argv, uint32_t *key)
{
	int r = parse_key(c, argc, argv, key);

	if (r < 0)
		return r;
	if (argc > r)
		return -usage_error("unexpected argument '%s'", argv[r]);
	return 0;
}

static json_t *ops_json(unsigned int ops)
{
	static const char *const names[] = { "get_next", "lookup", "update", "pin" };
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (ops & (1U << i))
			json_array_append_new(a, json_string(names[i]));
	return a;
}

static int do_types(int argc, char **argv)
{
	static const struct out_col cols[] = {
		{ "TYPE", "name" }, { "KEY", "key" }, { "VALUE", "value_type" },
		{ "OPS", "ops" }, { "DESCRIPTION", "description" }, { 0 }
	};
	static const struct out_view view = { cols, "no control types" };
	const struct xctl_ctl_type_info *t;
	json_t *doc = json_array();
	char key[96];
	size_t i;

	(void)argv;
	if (argc)
		return usage_error("'control types' takes no arguments");
	for (i = 0; (t = xctl_ctl_type_at(i)); i++) {
		snprintf(key, sizeof(key), "%s %s", t->key_type, t->key_name);
		json_array_append_new(doc, json_pack("{s:s, s:s, s:s, s:s, s:o, s:b, s:s}",
			"name", t->name, "key", key, "key_type", t->key_type,
			"value_type", t->value_type, "ops", ops_json(t->ops),
			"per_key_value_type", t->per_key_type, "description", t->desc));
	}
	return emit(doc, &view);
}

static int do_dump(int argc, char **argv)
{
	struct xctl_err err = {};
	struct xctl_ctl *c;
	uint32_t key, next;
	json_t *doc, *e;
	bool first = true;
	int r;

	r = open_type(argc, argv, &c);
	if (r)
		return r;
	if (argc > 1) {
		xctl_ctl_close(c);
		return usage_error("'control dump' takes only a TYPE");
	}
	doc = json_array();
	for (;;) {
		r = xctl_ctl_get_next_key(c, first ? NULL : &key, &next, &err);
		if (r == -ENOENT)
			break;
		if (r)
			goto fail;
		first = false;
		key = next;
		r = entry_json(c, &key, &e, &err);
		if (r == -ENOENT) {	/* gone between get_next and lookup */
			xctl_err_reset(&err);
			continue;
		}
		if (r)
			goto fail;
		json_array_append_new(doc, e);
	}
	xctl_err_reset(&err);
	xctl_ctl_close(c);
	return emit(doc, NULL);
fail:
	json_decref(doc);
	xctl_ctl_close(c);
	return fail(&err);
}

static int do_lookup(int argc, char **argv)
{
	struct xctl_err err = {};
	struct xctl_ctl *c;
	uint32_t key;
	json_t *doc;
	int r;

	r = open_type(argc, argv, &c);
	if (r)
		return r;
	r = parse_last_key(c, argc - 1, argv + 1, &key);
	if (r < 0)
		goto out;
	r = entry_json(c, &key, &doc, &err);
	xctl_ctl_close(c);
	return r ? fail(&err) : emit(doc, NULL);
out:
	xctl_ctl_close(c);
	return -r;
}

static int do_getnext(int argc, char **argv)
{
	struct xctl_err err = {};
	struct xctl_ctl *c;
	uint32_t key, next;
	bool has_key = argc > 1;
	json_t *doc;
	int r;

	r = open_type(argc, argv, &c);
	if (r)
		return r;
	if (has_key) {
		r = parse_last_key(c, argc - 1, argv + 1, &key);
		if (r < 0)
			goto out;
	}
	r = xctl_ctl_get_next_key(c, has_key ? &key : NULL, &next, &err);
	if (r) {
		xctl_ctl_close(c);
		return fail(&err);
	}
	doc = json_pack("{s:o, s:o}", "key", has_key ? key_json(c, &key) : json_null(),
			"next_key", key_json(c, &next));
	xctl_ctl_close(c);
	return emit(doc, NULL);
out:
	xctl_ctl_close(c);
	return -r;
}

static int do_update(int argc, char **argv)
{
	struct xctl_err err = {};
	struct xctl_ctl *c;
	json_t *doc, *report = NULL;
	uint32_t key;
	int r, i;

	r = open_type(argc, argv, &c);
	if (r)
		return r;
	r = parse_key(c, argc - 1, argv + 1, &key);
	if (r < 0)
		goto out;
	argc -= 1 + r;
	argv += 1 + r;
	for (i = 0; i < argc; i++)
		if (!is_assignment(argv[i], false)) {
			r = -usage_error("expected FIELD=VALUE, got '%s'", argv[i]);
			goto out;
		}
	if (!argc) {
		r = -usage_error("'control update' needs FIELD=VALUE assignments");
		goto out;
	}
	r = xctl_ctl_update(c, &key, (const char *const *)argv, argc, &report, &err);
	if (r) {
		xctl_ctl_close(c);
		return fail(&err);
	}
	doc = json_pack("{s:o, s:o, s:o}", "key", key_json(c, &key),
			"update", json_array(), "result", report ? report : json_null());
	for (i = 0; i < argc; i++)
		json_array_append_new(json_object_get(doc, "update"), json_string(argv[i]));
	xctl_ctl_close(c);
	return emit(doc, NULL);
out:
	xctl_ctl_close(c);
	return -r;
}

/* One C declaration block: "/\* key: T *\/" then the declaration. */
static int append_decl(char **text, const char *what, const struct btf *btf, uint32_t id,
		       struct xctl_err *err)
{
	char tname[160], *decl, *s;
	int r;

	r = xctl_btf_c_decl(btf, id, &decl, err);
	if (r)
		return r;
	xctl_ctl_type_name(btf, id, tname, sizeof(tname));
	r = asprintf(&s, "%s/* %s: %s */\n%s%s", *text ? *text : "", what, tname, decl,
		     decl[0] && decl[strlen(decl) - 1] != '\n' ? "\n" : "");
	free(decl);
	if (r < 0)
		return xctl_errf(err, ENOMEM, "cannot format C declarations");
	free(*text);
	*text = s;
	return 0;
}

static int do_btf(int argc, char **argv)
{
	struct xctl_err err = {};
	struct xctl_ctl_btf b;
	struct xctl_ctl *c;
	char *text = NULL;
	uint32_t key;
	bool has_key = argc > 1;
	json_t *doc;
	int r;

	r = open_type(argc, argv, &c);
	if (r)
		return r;
	if (has_key) {
		r = parse_last_key(c, argc - 1, argv + 1, &key);
		if (r < 0)
			goto out;
	} else if (xctl_ctl_info(c)->per_key_type) {
		r = -usage_error("control type '%s' has a value type per key: give a KEY",
				 xctl_ctl_info(c)->name);
		goto out;
	}
	r = xctl_ctl_btf(c, has_key ? &key : NULL, &b, &err);
	if (!r)
		r = append_decl(&text, "key", b.key_btf, b.key_type_id, &err);
	if (!r)
		r = append_decl(&text, "value", b.value_btf, b.value_type_id, &err);
	if (!r && b.update_btf)
		r = append_decl(&text, "update", b.update_btf, b.update_type_id, &err);
	xctl_ctl_close(c);
	if (r) {
		free(text);
		return fail(&err);
	}
	/* The document is the C text itself, as bpftool's "format c" prints it. */
	doc = json_string(text);
	free(text);
	return emit(doc, NULL);
out:
	xctl_ctl_close(c);
	return -r;
}

static int do_pin(int argc, char **argv)
{
	struct xctl_ctl_pin_result res;
	struct xctl_err err = {};
	struct xctl_ctl *c;
	json_t *doc;
	int r;

	r = open_type(argc, argv, &c);
	if (r)
		return r;
	if (argc != 2) {
		xctl_ctl_close(c);
		return usage_error(argc < 2 ? "missing PATH after the control TYPE"
					    : "'control pin' takes TYPE PATH");
	}
	r = xctl_ctl_pin(c, argv[1], &res, &err);
	if (r) {
		xctl_ctl_close(c);
		return fail(&err);
	}
	doc = json_pack("{s:s, s:s, s:I, s:I, s:b}", "type", xctl_ctl_info(c)->name,
			"pinned", argv[1], "map_id", (json_int_t)res.map_id,
			"entries", (json_int_t)res.entries, "replaced", res.replaced);
	xctl_ctl_close(c);
	return emit(doc, NULL);
}

static const struct cmd control_cmds[] = {
	{ "types", do_types },
	{ "dump", do_dump },
	{ "lookup", do_lookup },
	{ "getnext", do_getnext },
	{ "update", do_update },
	{ "btf", do_btf },
	{ "pin", do_pin },
	{ 0 }
};

int do_control(int argc, char **argv)
{
	return cmd_select(control_cmds, argc, argv, do_help, "control");
}
