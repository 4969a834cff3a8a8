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

struct bpf_map;
struct bpf_object;

#define SOPS_SEC	".struct_ops"
#define SOPS_LINK_SEC	".struct_ops.link"

/* One struct_ops map of an opened object (sops_obj.c). */
struct sops_obj_map {
	struct bpf_map *map;
	char name[64];		/* map (variable) name */
	char kind[64];
	char ops_name[64];
	bool has_ops_name;
	unsigned int sec;	/* 0: .struct_ops, 1: .struct_ops.link (as
				 * libbpf reads the image) */
	unsigned int file_sec;	/* ... and in the file */
	uint32_t type_id;	/* the value's struct in the object's BTF */
	uint32_t voff;		/* offset of the value in its section */
	uint32_t size;		/* size of the value (the struct) */
	char *data;		/* the value in the image */
	struct sops_slot *slots;	/* function pointers set to programs */
	size_t slot_cnt;
};

struct xctl_sops_obj {
	struct bpf_object *obj;
	char *path;		/* the file, as given: named in every message */
	char *image;		/* the file (as libbpf < 1.2 can read it); libbpf
				 * parses it in place until the object is closed */
	size_t size;
	char sha256[65];	/* of exactly the file's bytes */
	struct btf *btf;	/* the object's BTF (for building values) */
	struct sops_obj_map *maps;	/* the selected ones first */
	size_t cnt;		/* every struct_ops map */
	size_t sel_cnt;		/* those registered (maps[0..sel_cnt)) */
	char **link_names;	/* maps of `.struct_ops.link` before a merge */
	size_t link_name_cnt;
	bool legacy;
	bool loaded;
	struct xctl_klog klog;	/* the verifier's log of a failed load */
};

/*
 * Keep only the maps named in names[] (n > 0): the others move behind them,
 * are not created (bpf_map__set_autocreate) and struct_ops programs only
 * they use are not loaded (bpf_program__set_autoload). -ENOENT (err names
 * the maps there are) for a name the object lacks. Before the load.
 */
int sops_select(struct xctl_sops_obj *o, const char *const *names, size_t n,
		struct xctl_err *err);

/* Set TCP_CONG_NON_RESTRICTED in every tcp_congestion_ops value (image). */
int sops_set_non_restricted(struct xctl_sops_obj *o, struct xctl_err *err);

/* .flags of map m's value in the object (0 when the kind has none). */
bool sops_obj_flags(const struct xctl_sops_obj *o, const struct sops_obj_map *m,
		    uint32_t *flags);

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
 * The members the kernel requires of src's kind that src leaves unset, as
 * "ssthresh, cong_avoid or cong_control" in buf; false when none are (or
 * the kind's rules are not known).
 */
bool sops_unset_required(const struct sops_value_src *src, char *buf, size_t len);
/* src of map m of o */
void sops_value_src_of(const struct xctl_sops_obj *o, const struct sops_obj_map *m,
		       struct sops_value_src *src);

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

/* The kind and layout of a value type: lib/struct_ops/sops_kind.h. */
#include "sops_kind.h"

/*
 * For libbpf < 1.2: rewrite an object image in memory so that the maps of a
 * `.struct_ops.link` section are in `.struct_ops` (merged when the object
 * has both), before libbpf reads it. No-op without a `.struct_ops.link`
 * section. *image may be reallocated; 0 or -errno with err filled.
 */
int sops_image_merge_link(char **image, size_t *size, const char *path,
			  struct xctl_err *err);

#endif
