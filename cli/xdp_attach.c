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
			   "[mode {native | generic | offload}] [--replace]");
}

int xdp_attach_parse(int argc, char **argv, int *ifindex, const char **obj,
		     struct xctl_xdp_attach_opts *o)
{
	static const char *const modes[] = { "native", "generic", "offload", NULL };
	int r, m;

	r = xdp_dev_arg(&argc, &argv, ifindex, "attach");
	if (r)
		return r;
	if (argc < 1)
		return do_attach_usage();
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
			m = keyword_index(argv[1], modes);
			if (m < 0)
				return usage_error("invalid mode '%s' (expected native, generic or offload)",
						   argv[1]);
			o->mode = XCTL_XDP_MODE_NATIVE + m;
			argc -= 2;
			argv += 2;
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
				 "[mode {native | generic | offload}] [--replace]\n"
				 "       xctl xdp detach DEV [--force]\n"
				 "\n"
				 "DEV := { NAME | ifindex IFINDEX }\n");
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
