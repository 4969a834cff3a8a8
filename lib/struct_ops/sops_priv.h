/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* struct_ops internals shared by lib/sops_*.c. */
#ifndef XCTL_SOPS_PRIV_H
#define XCTL_SOPS_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xctl_err;
struct btf;

/* A function pointer of a struct_ops value set to a program of the object. */
struct sops_slot {
	uint32_t member;	/* index of the member in the object's struct */
	char *prog;		/* the program's name */
	int prog_fd;		/* once loaded */
};

/* One struct_ops map of an object file, as sops_value.c needs it. */
struct sops_value_src {
	const char *obj_path;	/* the object file, for messages */
	const char *map;	/* the map (variable) name */
	const char *kind;	/* "tcp_congestion_ops" */
	const struct btf *btf;	/* the object's BTF */
	uint32_t type_id;	/* the value's struct in it */
	const void *data;	/* the object's initial value (its struct) */
	uint32_t size;
	const struct sops_slot *slots;
	size_t slot_cnt;
};

/*
 * Build the kernel's value of a struct_ops map, struct bpf_struct_ops_<kind>
 * of the kernel BTF, the way libbpf does: data members copied by name from
 * the object's value, function pointers set to program fds. xctl writes the
 * value itself on every libbpf version (bpf_map__attach_struct_ops() changed
 * meaning in libbpf 1.2). *value is malloc'd, *size its kernel size.
 */
int sops_value_build(const struct sops_value_src *src, void **value, uint32_t *size,
		     struct xctl_err *err);
/*
 * Write it into map_fd: registers a legacy map, leaves a BPF_F_LINK map
 * READY for a link. A refused value is explained (members the kernel
 * requires that are unset).
 */
int sops_value_write(const struct sops_value_src *src, int map_fd, bool legacy,
		     struct xctl_err *err);

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
