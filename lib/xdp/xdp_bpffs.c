// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The bpffs of the XDP verbs (attach, redirect): the one their options name
 * (bpffs_dir, no_mount), XCTL_BPFFS_DEFAULT when they name none. There is
 * no process-wide default: a caller that wants another bpffs says so.
 */
#include "xctl_priv.h"
#include "xdp_priv.h"

int xdp_bpffs_open(const char *dir, bool no_mount, struct xctl_bpffs *fs,
		   struct xctl_err *err)
{
	XCTL_OPTS(xctl_bpffs_opts, o, .dir = dir, .no_mount = no_mount);

	return xctl_bpffs_open(fs, &o, err);
}

int xdp_bpffs_probe(const char *dir, struct xctl_bpffs *fs)
{
	return xctl_bpffs_probe(fs, dir);
}
