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
/*
 * The sections libbpf makes struct_ops maps of: [1] since libbpf 1.2, the
 * optional [2] and [3] (maps not created unless asked for) since 1.4.
 */
#define SOPS_NSECS	4
#define SOPS_SEC_NAMES	{ SOPS_SEC, SOPS_LINK_SEC, "?" SOPS_SEC, "?" SOPS_LINK_SEC }
#define SOPS_OPTIONAL(sec)	((sec) >= 2)

/* One struct_ops map of an opened object (sops_obj.c). */
struct sops_obj_map {
	struct bpf_map *map;
	char name[64];		/* map (variable) name */
	char kind[64];
	char ops_name[64];
	bool has_ops_name;
	unsigned int sec;	/* its section in the file: SOPS_SEC_NAMES[sec] */
	bool optional;		/* in a `?` section: not registered unless selected */
	bool selected;		/* registered by a load */
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
	char *image;		/* the file (ops names and flags as set by xctl):
				 * what xctl describes and builds values from */
	size_t size;
	char *lib_image;	/* for libbpf < 1.2 (sops_image.c), or NULL: the
				 * image libbpf parses in place until closed */
	size_t lib_size;
	char sha256[65];	/* of exactly the file's bytes */
	struct btf *btf;	/* the object's BTF (for building values) */
	struct sops_obj_map *maps;	/* the selected ones first */
	size_t cnt;		/* every struct_ops map */
	size_t sel_cnt;		/* those registered (maps[0..sel_cnt)) */
	bool legacy;
	bool loaded;
	struct xctl_klog klog;	/* the verifier's log of a failed load */
};

/*
 * Pick the maps a load registers, before libbpf opens the object: those
 * named in names[] (n > 0), else every map that is not optional (libbpf's
 * autocreate default). The picked ones move first. -ENOENT (err names the
 * maps there are) for a name the object lacks.
 */
int sops_select(struct xctl_sops_obj *o, const char *const *names, size_t n,
		struct xctl_err *err);
/*
 * Tell libbpf, once it has opened the object: maps not picked are not
 * created (bpf_map__set_autocreate), picked ones are (optional ones too);
 * struct_ops programs used by a picked map are loaded (also a `?struct_ops/`
 * one), those only maps not picked use are not (bpf_program__set_autoload).
 */
int sops_select_apply(struct xctl_sops_obj *o, struct xctl_err *err);

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
 * For libbpf < 1.2 (< 1.4 for optional sections): rewrite an object image in
 * memory so that the struct_ops variables keep() accepts are the maps of
 * one `.struct_ops` section and the others no maps at all, before libbpf
 * reads it (sops_image.c). No-op with no `.struct_ops.link`, `?.struct_ops`
 * or `?.struct_ops.link` section.
 * *image may be reallocated; 0 or -errno with err filled.
 */
int sops_image_for_legacy(char **image, size_t *size, const char *path,
			  bool (*keep)(const char *var, void *ctx), void *ctx,
			  struct xctl_err *err);

#endif
