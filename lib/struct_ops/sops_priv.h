/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* struct_ops internals shared by lib/sops_*.c. */
#ifndef XCTL_SOPS_PRIV_H
#define XCTL_SOPS_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xctl_err;

/*
 * Explain a failed registration (legacy map update or link create): a name
 * the kernel already has, a missing capability, an old kernel.
 */
void sops_register_why(struct xctl_err *err, int errnum, const char *kind,
		       const char *ops_name);

struct xctl_sops_map;
struct xctl_bpffs;

/* path is below fs->base (xctl's own part of the bpffs). */
bool sops_below_base(const struct xctl_bpffs *fs, const char *path);

/*
 * Kind, ops name, state and refcnt of m (btf_vmlinux_value_type_id set)
 * from the value of map fd; fields stay empty where they cannot be read.
 */
void sops_decode_value(struct xctl_sops_map *m, int fd, uint32_t value_size);

/* The map's kind ("tcp_congestion_ops") from its kernel value type id. */
int sops_kind_of(uint32_t btf_vmlinux_value_type_id, char *kind, size_t len,
		 struct xctl_err *err);

#endif
