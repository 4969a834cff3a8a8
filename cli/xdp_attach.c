// SPDX-License-Identifier: GPL-2.0
/* xctl xdp attach / detach: XDP programs kept attached by a pinned bpf_link. */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "xdp_cmds.h"
#include "verb_args.h"

static int do_attach_usage(void)
{
	return usage_error("usage: xctl xdp attach DEV OBJ [prog NAME] "
			   "[mode {native | generic | offload}] [max_entries MAP=N]... "
			   "[pin_root DIR] [dev_bound] [--replace]");
}

/*
 * MODE: xctl's words and the ones operators bring from ip(8) (xdpdrv,
 * xdpgeneric, xdpoffload) and xdp-loader (native, skb, hw; drv as bpftool
 * says it). Exact words only for the aliases; prefixes of xctl's own.
 */
static int parse_mode(const char *arg, enum xctl_xdp_mode *mode)
{
	static const struct { const char *word; enum xctl_xdp_mode mode; } aliases[] = {
		{ "drv", XCTL_XDP_MODE_NATIVE }, { "xdpdrv", XCTL_XDP_MODE_NATIVE },
		{ "skb", XCTL_XDP_MODE_GENERIC }, { "xdpgeneric", XCTL_XDP_MODE_GENERIC },
		{ "hw", XCTL_XDP_MODE_OFFLOAD }, { "xdpoffload", XCTL_XDP_MODE_OFFLOAD },
	};
	size_t i;
	int m;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(arg, aliases[i].word)) {
			*mode = aliases[i].mode;
			return 0;
		}
	m = keyword_index(arg, xctl_xdp_mode_names + XCTL_XDP_MODE_NATIVE);
	if (m < 0)
		return usage_error("invalid mode '%s' (expected native, generic or offload; "
				   "or skb, drv, hw, xdpgeneric, xdpdrv, xdpoffload)", arg);
	*mode = XCTL_XDP_MODE_NATIVE + m;
	return 0;
}

int xdp_attach_parse(int argc, char **argv, int *ifindex, const char **obj,
		     struct xctl_xdp_attach_opts *o)
{
	char **sizes, *eq;
	int r;

	r = xdp_dev_arg(&argc, &argv, ifindex, "attach");
	if (r)
		return r;
	if (argc < 1)
		return do_attach_usage();
	/*
	 * The MAP=N arguments are gathered at the front of argv, in slots
	 * already parsed: the k-th lands at index k-1, behind OBJ and the k
	 * keywords before it. They live as long as argv.
	 */
	sizes = argv;
	o->max_entries = sizes;
	o->max_entries_cnt = 0;
	*obj = argv[0];
	NEXT_ARG();
	while (argc) {
		if (!strcmp(argv[0], "prog") || !strcmp(argv[0], "name")) {
			REQ_ARGS(2);
			o->prog_name = argv[1];
			argc -= 2;
			argv += 2;
		} else if (!strcmp(argv[0], "mode")) {
			REQ_ARGS(2);
			r = parse_mode(argv[1], &o->mode);
			if (r)
				return r;
			argc -= 2;
			argv += 2;
		} else if (!strcmp(argv[0], "max_entries")) {
			REQ_ARGS(2);
			eq = strchr(argv[1], '=');
			if (!eq || eq == argv[1] || !eq[1])
				return usage_error("invalid 'max_entries %s' (expected MAP=N)",
						   argv[1]);
			sizes[o->max_entries_cnt++] = argv[1];
			argc -= 2;
			argv += 2;
		} else if (!strcmp(argv[0], "pin_root")) {
			REQ_ARGS(2);
			if (o->pin_root)
				return usage_error("'pin_root' given twice");
			o->pin_root = argv[1];
			argc -= 2;
			argv += 2;
		} else if (!strcmp(argv[0], "dev_bound")) {
			o->dev_bound = true;
			NEXT_ARG();
		} else if (!strcmp(argv[0], "--replace") || !strcmp(argv[0], "replace")) {
			o->replace = true;
			NEXT_ARG();
		} else {
			return usage_error("unknown argument '%s' for 'attach'", argv[0]);
		}
	}
	return 0;
}

int do_xdp_attach(int argc, char **argv)
{
	XCTL_OPTS(xctl_xdp_attach_opts, o, .bpffs_dir = bpffs_dir, .no_mount = no_mount);
	struct xctl_err err = {};
	const char *obj;
	int ifindex, r;
	json_t *doc;

	if (argc && !strcmp(argv[0], "help"))
		return emit_help("Usage: xctl xdp attach DEV OBJ [prog NAME] "
				 "[mode MODE]\n"
				 "               [max_entries MAP=N]... [pin_root DIR] [dev_bound] "
				 "[--replace]\n"
				 "       xctl xdp detach DEV [--force]\n"
				 "\n"
				 "DEV := { NAME | ifindex IFINDEX }\n"
				 "MODE := { native | generic | offload }, also skb, drv, hw\n"
				 "        (xdp-loader) and xdpgeneric, xdpdrv, xdpoffload (ip)\n"
				 "The whole object is loaded as declared: programs its prog_arrays\n"
				 "name, maps sized (max_entries MAP=N) and pinned (LIBBPF_PIN_BY_NAME\n"
				 "maps in pin_root DIR or the attachment's directory), programs\n"
				 "calling XDP metadata kfuncs bound to DEV (dev_bound forces it).\n");
	r = xdp_attach_parse(argc, argv, &ifindex, &obj, &o);
	if (r)
		return r;
	if (xctl_xdp_attach(ifindex, obj, &o, &doc, &err))
		return fail(&err);
	return emit(doc, NULL);
}

int do_xdp_detach(int argc, char **argv)
{
	XCTL_OPTS(xctl_xdp_detach_opts, o, .bpffs_dir = bpffs_dir, .no_mount = no_mount);
	struct xctl_err err = {};
	int ifindex, r;
	json_t *doc;

	r = xdp_dev_arg(&argc, &argv, &ifindex, "detach");
	if (r)
		return r;
	while (argc) {
		if (!strcmp(argv[0], "--force") || !strcmp(argv[0], "force"))
			o.force = true;
		else
			return usage_error("unknown argument '%s' for 'detach'", argv[0]);
		NEXT_ARG();
	}
	if (xctl_xdp_detach(ifindex, &o, &doc, &err))
		return fail(&err);
	return emit(doc, NULL);
}
