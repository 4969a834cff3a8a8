/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The argument grammars that `xctl apply` reads from configuration lines:
 * `module load`, `xdp attach` and `xdp redirect setup`. Each verb parses
 * its arguments with the function here, and so does apply, so a
 * configuration line accepts exactly what the command accepts. Parsers
 * report usage errors themselves (usage_error()/fail(), which an
 * out_capture collects) and return 0 or the exit status.
 */
#ifndef XCTL_CLI_VERB_ARGS_H
#define XCTL_CLI_VERB_ARGS_H

#include "cli.h"

#define MODULE_MAX_RENAMES	16

/*
 * OBJ [name NAME] [ops_name [MAP=]OPS]... [max_entries MAP=N]... [pin_root DIR]
 * [map MAP]... [non_restricted] [PARAM=VALUE]...
 */
struct module_load_args {
	const char *obj;
	const char *name;		/* 'name NAME', or defname */
	char defname[XCTL_MODULE_NAME_MAX + 16];
	struct xctl_sops_rename renames[MODULE_MAX_RENAMES];
	size_t rename_cnt;
	char **params;			/* PARAM=VALUE arguments, in order */
	size_t param_cnt;
	char **max_entries;		/* 'max_entries MAP=N' arguments */
	size_t max_entries_cnt;
	const char *pin_root;		/* 'pin_root DIR' */
	const char *maps[MODULE_MAX_RENAMES];	/* 'map MAP' */
	size_t map_cnt;
	bool non_restricted;		/* 'non_restricted' */
	bool defaults;			/* reload: --defaults */
};

/* Parse `module load` arguments; NAME checked or defaulted from OBJ. */
int module_load_parse(int argc, char **argv, struct module_load_args *a);
/* Point o's name and object options at a (which must outlive o). */
void module_load_opts_set(const struct module_load_args *a,
			  struct xctl_module_load_opts *o);
void module_load_args_free(struct module_load_args *a);

/*
 * DEV OBJ [prog NAME] [mode MODE] [max_entries MAP=N]... [pin_root DIR]
 * [dev_bound] [--replace]; o keeps its bpffs fields. o->max_entries points
 * into argv (rearranged), which must outlive o.
 */
int xdp_attach_parse(int argc, char **argv, int *ifindex, const char **obj,
		     struct xctl_xdp_attach_opts *o);

/* DEV [--rings N] [--size N] [--dry-run]; o keeps its bpffs fields. */
int redirect_setup_parse(int argc, char **argv, int *ifindex,
			 struct xctl_redirect_opts *o);

#endif /* XCTL_CLI_VERB_ARGS_H */
