// SPDX-License-Identifier: GPL-2.0
/* xctl: global options, the object table and dispatch. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

bool json_output;
bool pretty_output;
bool debug_output;
bool quiet_output;
bool no_mount;
const char *bpffs_dir;
const char *netns_name;
const char *usage_object;

/* The command names of cmds, NULL-terminated, in words (64 entries). */
static const char **words_of(const struct cmd *cmds, const char **words)
{
	int i;

	for (i = 0; cmds[i].name && i < 63; i++)
		words[i] = cmds[i].name;
	words[i] = NULL;
	return words;
}

int cmd_select(const struct cmd *cmds, int argc, char **argv,
	       int (*help)(int argc, char **argv), const char *object)
{
	const char *words[64];
	char cand[512] = "";
	int i, n = 0, idx;

	if (object)
		usage_object = object;
	if (argc < 1)
		return cmds[0].func(argc, argv);
	/* help, also a prefix of it, takes no arguments: "help extra" is a usage error. */
	if ((!strcmp(argv[0], "help") || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h") ||
	     (keyword_index(argv[0], words_of(cmds, words)) < 0 && is_prefix(argv[0], "help"))) &&
	    argc > 1)
		return usage_error("'%s' takes no arguments (got '%s')", argv[0], argv[1]);
	if (!strcmp(argv[0], "help") || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))
		return help(argc - 1, argv + 1);
	words_of(cmds, words);
	for (n = 0; words[n]; n++)
		;
	idx = keyword_index(argv[0], words);
	if (idx >= 0)
		return cmds[idx].func(argc - 1, argv + 1);
	if (is_prefix(argv[0], "help"))
		return help(argc - 1, argv + 1);
	for (i = 0; i < n; i++) {
		if (idx == -2 && !is_prefix(argv[0], words[i]))
			continue;
		if (!strncmp(words[i], "__", 2))
			continue;	/* hidden commands are not offered */
		if (*cand)
			strncat(cand, ", ", sizeof(cand) - strlen(cand) - 1);
		strncat(cand, words[i], sizeof(cand) - strlen(cand) - 1);
	}
	if (idx == -2)
		return usage_error("ambiguous command '%s'%s%s: matches %s", argv[0],
				   object ? " for " : "", object ? object : "", cand);
	return usage_error("unknown command '%s'%s%s (expected: %s)", argv[0],
			   object ? " for " : "", object ? object : "", cand);
}

int open_bpffs(struct xctl_bpffs *fs, struct xctl_err *err)
{
	XCTL_OPTS(xctl_bpffs_opts, o, .dir = bpffs_dir, .no_mount = no_mount);

	return xctl_bpffs_open(fs, &o, err);
}

static const char *const objects_help =
	"Usage: xctl [OPTIONS] OBJECT { COMMAND | help }\n"
	"       xctl version\n"
	"\n"
	
	"       xctl apply [--config DIR] [--dry-run] [--prune]\n"
	"       xctl batch file FILE [--keep-going]\n"
	"\n"
	"OBJECT := { xdp | control | struct_ops | module | apply | batch | exporter |\n"
	"            version | help }\n"
	"OPTIONS := { -j|--json | -p|--pretty | -d|--debug | -q|--quiet |\n"
	"             -N|--netns NAME | --bpffs DIR | --no-mount |\n"
	"             -V|--version | -h|--help }\n"
	"\n"
	"Keywords may be abbreviated to any unique prefix. 'xctl OBJECT help'\n"
	"describes an object's commands. See xctl(8).\n";

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return emit_help(objects_help);
}

static int do_version(int argc, char **argv)
{
	const struct xctl_features *f = xctl_features();
	struct xctl_bpffs fs;
	const struct xctl_libbpf *lb = xctl_libbpf();
	json_t *doc, *k;

	(void)argv;
	if (argc)
		return usage_error("'version' takes no arguments");
	k = json_pack("{s:s, s:b, s:b, s:b, s:b, s:b, s:b}",
		      "release", f->kernel_release,
		      "btf", f->kernel_btf,
		      "struct_ops_link", f->sops_link,
		      "struct_ops_link_update", f->sops_link_update,
		      "struct_ops_link_detach", f->sops_link_detach,
		      "netdev_genl", f->netdev_genl,
		      "bpffs_mounted", !xctl_bpffs_probe(&fs, bpffs_dir));
	/* libbpf: the shared library it runs with; built_with: its headers */
	doc = json_pack("{s:s, s:s, s:o, s:o}", "xctl", XCTL_VERSION,
			"libbpf", xctl_libbpf_version(),
			"libbpf_built_with", json_sprintf("%u.%u", lb->built_major,
							  lb->built_minor),
			"kernel", k);
	return emit(doc, NULL);
}

static const struct cmd objects[] = {
	{ "help", do_help },
	{ "version", do_version },
	{ "xdp", do_xdp },
	{ "control", do_control },
	{ "struct_ops", do_struct_ops },
	{ "module", do_module },
	{ "apply", do_apply },
	{ "batch", do_batch },
	{ "exporter", do_exporter },
	{ "__complete", do_complete },	/* hidden: for completions/xctl */
	{ 0 }
};

int run_command(int argc, char **argv)
{
	libbpf_log_clear();
	usage_object = NULL;	/* each command line points at its own help */
	return cmd_select(objects, argc, argv, do_help, NULL);
}

bool is_global_option(const char *arg)
{
	static const char *const opts[] = {
		"-j", "--json", "-p", "--pretty", "-d", "--debug", "-q", "--quiet",
		"-N", "--netns", "--bpffs", "--no-mount", "-V", "--version", NULL
	};
	size_t i;

	/* Bundled short options: -jp, -Nfoo. */
	if (arg[0] == '-' && arg[1] && arg[1] != '-' &&
	    (arg[1] == 'N' || strspn(arg + 1, "jpdqV") == strlen(arg + 1)))
		return true;
	for (i = 0; opts[i]; i++)
		if (!strcmp(arg, opts[i]) ||
		    (opts[i][1] == '-' && !strncmp(arg, opts[i], strlen(opts[i])) &&
		     arg[strlen(opts[i])] == '='))
			return true;
	return false;
}

/* Global flags are also accepted after the object ("xctl struct_ops list -j"). */
static int strip_trailing_globals(int argc, char **argv)
{
	int i, n = 0;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			json_output = true;
		} else if (!strcmp(a, "-p") || !strcmp(a, "--pretty")) {
			json_output = pretty_output = true;
		} else if (!strcmp(a, "-d") || !strcmp(a, "--debug")) {
			debug_output = true;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			quiet_output = true;
		} else {
			argv[n++] = argv[i];
		}
	}
	return n;
}

static int enter_netns(const char *name)
{
	struct xctl_err err = {};

	if (xctl_netns_enter(name, &err))
		return fail(&err);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json",	no_argument,		NULL, 'j' },
		{ "pretty",	no_argument,		NULL, 'p' },
		{ "debug",	no_argument,		NULL, 'd' },
		{ "quiet",	no_argument,		NULL, 'q' },
		{ "netns",	required_argument,	NULL, 'N' },
		{ "bpffs",	required_argument,	NULL, 'B' },
		{ "no-mount",	no_argument,		NULL, 'M' },
		{ "version",	no_argument,		NULL, 'V' },
		{ "help",	no_argument,		NULL, 'h' },
		{ 0 }
	};
	bool want_version = false, want_help = false;
	int c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+jpdqN:VhB:M", opts, NULL)) >= 0) {
		switch (c) {
		case 'j':
			json_output = true;
			break;
		case 'p':
			json_output = pretty_output = true;
			break;
		case 'd':
			debug_output = true;
			break;
		case 'q':
			quiet_output = true;
			break;
		case 'N':
			netns_name = optarg;
			break;
		case 'B':
			bpffs_dir = optarg;
			break;
		case 'M':
			no_mount = true;
			break;
		case 'V':
			want_version = true;
			break;
		case 'h':
			want_help = true;
			break;
		default:
			if (optopt && optopt != '?' && strchr("NB", optopt))
				return usage_error("option '-%c' needs an argument", optopt);
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	argc = strip_trailing_globals(argc, argv);
	libbpf_log_setup();

	if (want_help)
		return do_help(0, NULL);
	if (want_version)
		return do_version(0, NULL);
	if (argc < 1) {
		if (json_output)
			return usage_error("no object given (see 'xctl help')");
		fputs(objects_help, stderr);
		return EXIT_USAGE;
	}
	if (netns_name) {
		r = enter_netns(netns_name);
		if (r)
			return r;
	}
	bpffs_snapshot();
	r = run_command(argc, argv);
	if (r)
		bpffs_undo();
	else
		bpffs_guard_end();
	return r;
}
