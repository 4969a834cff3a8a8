// SPDX-License-Identifier: GPL-2.0
/* xctl xdp metadata { show | enable | disable }: XDP RX metadata and timestamps. */
#include <string.h>
#include "cli.h"
#include "xdp_cmds.h"

static const char *const metadata_help_text =
	"Usage: xctl xdp metadata show DEV\n"
	"       xctl xdp metadata { enable | disable } DEV timestamp\n"
	"       xctl xdp metadata help\n"
	"\n"
	"DEV := { NAME | ifindex IFINDEX }\n"
	"\n"
	"show lists the XDP RX metadata a program can read on DEV, the AF_XDP TX\n"
	"metadata it supports, the kfunc prototypes from the kernel's BTF and the\n"
	"hardware timestamping configuration. enable/disable switch RX hardware\n"
	"timestamping of all packets on or off.\n";

static int metadata_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return emit_help(metadata_help_text);
}

static int do_show(int argc, char **argv)
{
	struct xctl_err err = {};
	int ifindex, r;
	json_t *doc;

	r = xdp_dev_arg(&argc, &argv, &ifindex, "metadata show");
	if (r)
		return r;
	if (argc)
		return usage_error("unknown argument '%s' for 'metadata show'", argv[0]);
	if (xctl_xdp_metadata_show(ifindex, &doc, &err))
		return fail(&err);
	return emit(doc, NULL);
}

static int toggle(int argc, char **argv, bool enable)
{
	const char *verb = enable ? "metadata enable" : "metadata disable";
	struct xctl_err err = {};
	int ifindex, r;
	json_t *doc;

	r = xdp_dev_arg(&argc, &argv, &ifindex, verb);
	if (r)
		return r;
	if (argc < 1)
		return usage_error("'%s' needs a field: timestamp", verb);
	if (!is_prefix(argv[0], "timestamp"))
		return usage_error("unknown metadata field '%s' (expected: timestamp)", argv[0]);
	if (argc > 1)
		return usage_error("unknown argument '%s' for '%s'", argv[1], verb);
	if (xctl_xdp_hwtstamp_rx(ifindex, enable, &doc, &err))
		return fail(&err);
	return emit(doc, NULL);
}

static int do_enable(int argc, char **argv)
{
	return toggle(argc, argv, true);
}

static int do_disable(int argc, char **argv)
{
	return toggle(argc, argv, false);
}

static const struct cmd metadata_cmds[] = {
	{ "show", do_show },
	{ "enable", do_enable },
	{ "disable", do_disable },
	{ 0 }
};

int do_xdp_metadata(int argc, char **argv)
{
	return cmd_select(metadata_cmds, argc, argv, metadata_help, "xdp metadata");
}
