// SPDX-License-Identifier: GPL-2.0
/*
 * The `xdp` object: its command table and help; `xctl xdp` alone runs show. Verbs live in one file per
 * concern (cli/xdp_*.c) and are listed here.
 */
#include <stdio.h>
#include "cli.h"
#include "xdp_cmds.h"

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return emit_help(
		"Usage: xctl xdp stats [DEV ... | --all] [--queues] [--raw]\n"
		"                      [--watch [SECS] [--count N]]\n"
		"       xctl xdp show [DEV ... | --all]\n"
		"       xctl xdp features [DEV ...]\n"
		"       xctl xdp redirect { setup | show | teardown } ...\n"
		"       xctl xdp metadata { show | enable | disable } ...\n"
		"       xctl xdp attach DEV OBJ [prog NAME] [mode MODE] [--replace]\n"
		"       xctl xdp detach DEV [--force]\n"
		"       xctl xdp help\n"
		"\n"
		"       DEV := { NAME | ifindex N }\n"
		"       MODE := { native | generic | offload }, also skb, drv, hw\n"
		"               and xdpgeneric, xdpdrv, xdpoffload\n"
		"\n"
		"'xctl xdp redirect help' and 'xctl xdp metadata help' describe their\n"
		"commands. See xctl-xdp(8).\n");
}

static const struct cmd cmds[] = {
	{ "show",	do_xdp_show },
	{ "stats",	do_xdp_stats },
	{ "features",	do_xdp_features },
	{ "redirect",	do_xdp_redirect },
	{ "metadata",	do_xdp_metadata },
	{ "attach",	do_xdp_attach },
	{ "detach",	do_xdp_detach },
	{ "help",	do_help },
	{ 0 }
};

int do_xdp(int argc, char **argv)
{
	return cmd_select(cmds, argc, argv, do_help, "xdp");
}
