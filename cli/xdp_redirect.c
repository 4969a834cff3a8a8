// SPDX-License-Identifier: GPL-2.0
/* xctl xdp redirect { setup | show | teardown }: XDP redirect targets. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include "cli.h"
#include "args.h"
#include "xdp_cmds.h"
#include "verb_args.h"

static const char *const redirect_help_text =
	"Usage: xctl xdp redirect setup DEV [--rings N] [--size N] [--dry-run]\n"
	"       xctl xdp redirect show [DEV | --all]\n"
	"       xctl xdp redirect teardown DEV\n"
	"       xctl xdp redirect help\n"
	"\n"
	"DEV := { NAME | ifindex IFINDEX }\n"
	"\n"
	"setup makes DEV a working XDP redirect target: it sets the TX channel\n"
	"count (--rings) and TX ring size (--size) through ethtool netlink and,\n"
	"when DEV does not advertise ndo-xmit, attaches xctl's pass-through XDP\n"
	"program (to the veth peer, or to DEV). Everything is validated first;\n"
	"what changed is recorded under BPFFS/xctl/redirect/DEV/ for teardown.\n";

static int redirect_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return emit_help(redirect_help_text);
}

int xdp_dev_arg(int *argc, char ***argv, int *ifindex, const char *verb)
{
	struct xctl_err err = {};
	char name[IF_NAMESIZE];
	struct dev_arg d;
	uint32_t idx;
	int n;

	n = parse_dev(*argc, *argv, verb, &d);
	if (n < 0)
		return -n;
	if (dev_resolve(&d, &idx, name, &err))
		return fail(&err);
	*ifindex = (int)idx;
	*argc -= n;
	*argv += n;
	return 0;
}

/* --rings/--size value: a positive 32-bit number. */
static int opt_u32(const char *opt, int *argc, char ***argv, uint32_t *out)
{
	int r;

	if (*argc < 2)
		return usage_error("missing argument after '%s'", opt);
	r = parse_u32((*argv)[1], out);
	if (r == -ERANGE)
		return usage_error("%s %s: out of range", opt, (*argv)[1]);
	if (r)
		return usage_error("%s: '%s' is not a number", opt, (*argv)[1]);
	if (!*out)
		return usage_error("%s must be at least 1", opt);
	*argc -= 2;
	*argv += 2;
	return 0;
}

int redirect_setup_parse(int argc, char **argv, int *ifindex,
			 struct xctl_redirect_opts *o)
{
	int r;

	r = xdp_dev_arg(&argc, &argv, ifindex, "redirect setup");
	if (r)
		return r;
	while (argc) {
		if (!strcmp(argv[0], "--rings") || !strcmp(argv[0], "rings")) {
			r = opt_u32("--rings", &argc, &argv, &o->rings);
		} else if (!strcmp(argv[0], "--size") || !strcmp(argv[0], "size")) {
			r = opt_u32("--size", &argc, &argv, &o->ring_size);
		} else if (!strcmp(argv[0], "--dry-run")) {
			o->dry_run = true;
			NEXT_ARG();
		} else {
			return usage_error("unknown argument '%s' for 'redirect setup'", argv[0]);
		}
		if (r)
			return r;
	}
	return 0;
}

static int do_setup(int argc, char **argv)
{
	XCTL_OPTS(xctl_redirect_opts, o, .bpffs_dir = bpffs_dir, .no_mount = no_mount);
	struct xctl_err err = {};
	json_t *doc;
	int ifindex, r;

	r = redirect_setup_parse(argc, argv, &ifindex, &o);
	if (r)
		return r;
	if (xctl_redirect_setup(ifindex, &o, &doc, &err))
		return fail(&err);
	return emit(doc, NULL);
}

static int do_teardown(int argc, char **argv)
{
	XCTL_OPTS(xctl_redirect_opts, o, .bpffs_dir = bpffs_dir, .no_mount = no_mount);
	struct xctl_err err = {};
	json_t *doc;
	int ifindex, r;

	r = xdp_dev_arg(&argc, &argv, &ifindex, "redirect teardown");
	if (r)
		return r;
	if (argc)
		return usage_error("unknown argument '%s' for 'redirect teardown'", argv[0]);
	if (xctl_redirect_teardown(ifindex, &o, &doc, &err))
		return fail(&err);
	return emit(doc, NULL);
}

static char *fmt_channels(const json_t *row, const json_t *v)
{
	const json_t *cur = json_path(row, "channels.current.tx");
	const json_t *max = json_path(row, "channels.max.tx");
	char *s;

	(void)v;
	if (!cur || json_is_null(cur)) {
		cur = json_path(row, "channels.current.combined");
		max = json_path(row, "channels.max.combined");
	}
	if (!cur || !json_is_integer(cur))
		return strdup("-");
	if (asprintf(&s, "%lld/%lld", (long long)json_integer_value(cur),
		     max && json_is_integer(max) ? (long long)json_integer_value(max) : 0LL) < 0)
		return NULL;
	return s;
}

static char *fmt_rings(const json_t *row, const json_t *v)
{
	const json_t *cur = json_path(row, "rings.current.tx");
	const json_t *max = json_path(row, "rings.max.tx");
	char *s;

	(void)v;
	if (!cur || !json_is_integer(cur))
		return strdup("unsupported");
	if (asprintf(&s, "%lld/%lld", (long long)json_integer_value(cur),
		     max && json_is_integer(max) ? (long long)json_integer_value(max) : 0LL) < 0)
		return NULL;
	return s;
}

static char *fmt_helper(const json_t *row, const json_t *v)
{
	const json_t *name = json_path(row, "helper.ifname");

	(void)v;
	if (!name || !json_is_string(name))
		return strdup(json_is_object(json_path(row, "record")) ? "set up" : "-");
	return strdup(json_string_value(name));
}

static const struct out_col show_cols[] = {
	{ "DEV", "ifname", NULL },
	{ "KIND", "kind", NULL },
	{ "READY", "ready", NULL },
	{ "TX CHANNELS", "channels", fmt_channels },
	{ "TX RING", "rings", fmt_rings },
	{ "HELPER", "helper", fmt_helper },
	{ "REASON", "reason", NULL },
	{ NULL },
};

static int do_show(int argc, char **argv)
{
	XCTL_OPTS(xctl_redirect_opts, o, .bpffs_dir = bpffs_dir, .no_mount = no_mount);
	struct out_view view = { .cols = show_cols, .empty = "no devices" };
	struct xctl_err err = {};
	int ifindex = 0, r;
	json_t *doc;

	if (argc && (!strcmp(argv[0], "--all") || !strcmp(argv[0], "all"))) {
		NEXT_ARG();
	} else if (argc) {
		r = xdp_dev_arg(&argc, &argv, &ifindex, "redirect show");
		if (r)
			return r;
	}
	if (argc)
		return usage_error("unknown argument '%s' for 'redirect show'", argv[0]);
	if (xctl_redirect_show(ifindex, &o, &doc, &err))
		return fail(&err);
	return emit(doc, ifindex ? NULL : &view);
}

static const struct cmd redirect_cmds[] = {
	{ "show", do_show },
	{ "setup", do_setup },
	{ "teardown", do_teardown },
	{ 0 }
};

int do_xdp_redirect(int argc, char **argv)
{
	return cmd_select(redirect_cmds, argc, argv, redirect_help, "xdp redirect");
}
