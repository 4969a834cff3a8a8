/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libxctl public API: include <xctl/xctl.h> for all of it. Conventions
 * (errors, errno, option structs) are described in xctl_common.h; libxctl(3)
 * is the manual.
 *
 *   xctl.h            bpffs, kernel features
 *   xctl_btf.h        the BTF value walker
 *   xctl_control.h    control maps (open, get_next_key, lookup, update, btf)
 *   xctl_struct_ops.h struct_ops objects, links and inventory
 *   xctl_module.h     modules: load, reload, unload
 */
#ifndef XCTL_H
#define XCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "xctl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- bpffs ------------------------------------------------------------ */

#define XCTL_BPFFS_DEFAULT "/sys/fs/bpf"
#define XCTL_PIN_SUBDIR "xctl"

struct xctl_bpffs {
	char root[XCTL_PATH_MAX];	/* the bpffs mount, e.g. /sys/fs/bpf */
	char base[XCTL_PATH_MAX];	/* root/xctl: everything xctl pins lives below */
};

struct xctl_bpffs_opts {
	size_t sz;
	const char *dir;	/* NULL: XCTL_BPFFS_DEFAULT */
	bool no_mount;		/* do not mount bpffs when dir is not one */
};
#define xctl_bpffs_opts__last_field no_mount

/* Resolve and, unless no_mount, mount the bpffs; create base/. */
XCTL_API int xctl_bpffs_open(struct xctl_bpffs *fs,
			     const struct xctl_bpffs_opts *opts,
			     struct xctl_err *err);
/*
 * Like open but never mounts or creates anything; -ENOENT if dir (NULL:
 * XCTL_BPFFS_DEFAULT) is not a bpffs.
 */
XCTL_API int xctl_bpffs_probe(struct xctl_bpffs *fs, const char *dir);

/* ---- kernel features -------------------------------------------------- */

struct xctl_features {
	bool kernel_btf;	/* /sys/kernel/btf/vmlinux readable */
	bool sops_link;		/* link-based struct_ops (BPF_F_LINK, 6.4+) */
	bool sops_link_detach;	/* BPF_LINK_DETACH on struct_ops links (6.11+) */
	bool sops_link_update;	/* BPF_LINK_UPDATE of struct_ops links (6.4+) */
	bool netdev_genl;	/* generic netlink "netdev" family (6.3+) */
	char kernel_release[128];
};

/* Probe once per process (cached). Never fails: unknown means false. */
XCTL_API const struct xctl_features *xctl_features(void);

/*
 * Version of the libbpf the library runs with (the shared library, which
 * may be newer than the headers it was built with): "MAJOR.MINOR.PATCH",
 * or "MAJOR.MINOR" when the patch level cannot be known (static link).
 */
XCTL_API const char *xctl_libbpf_version(void);

/*
 * A program type (BPF_PROG_TYPE_*) by the name bpftool prints ("xdp",
 * "struct_ops"); NULL for a type this libbpf does not know.
 */
XCTL_API const char *xctl_prog_type_name(uint32_t type);

#ifdef __cplusplus
}
#endif

#include "xctl_btf.h"
#include "xctl_struct_ops.h"
#include "xctl_control.h"
#include "xctl_module.h"

#endif /* XCTL_H */
