// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The bpffs of the XDP verbs (attach, redirect): the one given in their
 * options, else the process default the CLI sets with --bpffs/--no-mount
 * (xctl_xdp_set_bpffs). Moved out of xdp_attach.c unchanged.
 */
#include "xctl_priv.h"
#include "xdp_priv.h"

static const char *default_bpffs;
static bool default_no_mount;

void xctl_xdp_set_bpffs(const char *dir, bool no_mount)
{
	default_bpffs = dir;
	default_no_mount = no_mount;
}

int xdp_bpffs_open(const char *dir, bool no_mount, struct xctl_bpffs *fs,
		   struct xctl_err *err)
{
	XCTL_OPTS(xctl_bpffs_opts, o, .dir = dir ? dir : default_bpffs,
		  .no_mount = dir ? no_mount : default_no_mount);

	return xctl_bpffs_open(fs, &o, err);
}

int xdp_bpffs_probe(const char *dir, struct xctl_bpffs *fs)
{
	return xctl_bpffs_probe(fs, dir ? dir : default_bpffs);
}
