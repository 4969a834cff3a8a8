/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Inside the control-map core: what a control type implements. Not part of
 * the public API (lib/xctl_control.h); one lib/control_<type>.c per type.
 */
#ifndef XCTL_CONTROL_TYPE_H
#define XCTL_CONTROL_TYPE_H

#include "xctl_priv.h"
#include "nl_dev.h"

/* A looked-up value, filled by a type's lookup(). */
struct xctl_ctl_val {
	void *data;		/* malloc'd by the type; the core frees it */
	size_t size;		/* real size */
	const struct btf *btf;	/* owned by the struct xctl_ctl or the library */
	uint32_t type_id;
	uint64_t absent;	/* top-level members not provided */
	unsigned int dump_flags;
};

struct xctl_ctl_ops {
	struct xctl_ctl_type_info info;
	/* Build per-handle state (snapshots, BTF); may be NULL. */
	int (*open)(struct xctl_ctl *c, struct xctl_err *err);
	void (*close)(struct xctl_ctl *c);
	/* key NULL: first key; -ENOENT after the last. Keys ascend. */
	int (*get_next)(struct xctl_ctl *c, const uint32_t *key, uint32_t *next,
			struct xctl_err *err);
	/* -ENOENT (with err filled) when key names nothing. */
	int (*lookup)(struct xctl_ctl *c, uint32_t key, struct xctl_ctl_val *v,
		      struct xctl_err *err);
	/*
	 * The value type; key is NULL for "the type" (per-key types then fail
	 * with -EINVAL, the core says why).
	 */
	int (*value_type)(struct xctl_ctl *c, const uint32_t *key,
			  const struct btf **btf, uint32_t *id, struct xctl_err *err);
	/* Name of the object a key names, for key JSON ("" when unknown). */
	void (*key_name)(struct xctl_ctl *c, uint32_t key, char *buf, size_t len);
	/* BPF object types: resolve `name NAME` / `pinned PATH`. */
	int (*resolve)(struct xctl_ctl *c, const char *kw, const char *arg,
		       uint32_t *key, struct xctl_err *err);
	/*
	 * Update: the type's command struct (update_type) is zero-initialised,
	 * the FIELD=VALUE assignments are applied to it by BTF member path, and
	 * update() gets the result. NULL for read-only types.
	 */
	int (*update_type)(struct xctl_ctl *c, const struct btf **btf,
			   uint32_t *id, struct xctl_err *err);
	int (*update)(struct xctl_ctl *c, uint32_t key, const void *cmd,
		      size_t size, json_t **report, struct xctl_err *err);
};

struct xctl_ctl {
	const struct xctl_ctl_ops *ops;
	struct btf *btf;	/* xctl-built types: key typedefs, values */
	uint32_t key_type_id;
	void *priv;		/* the type's state */
	char *bpffs_dir;	/* struct xctl_ctl_opts, copied; NULL: default */
	bool no_mount;
};

extern const struct xctl_ctl_ops xctl_ctl_xdp_ops;
extern const struct xctl_ctl_ops xctl_ctl_netdev_ops;
extern const struct xctl_ctl_ops xctl_ctl_prog_ops;
extern const struct xctl_ctl_ops xctl_ctl_struct_ops_ops;
extern const struct xctl_ctl_ops xctl_ctl_ethtool_ops;

/* BPF object keys (lib/control_obj.c). */
enum xctl_ctl_obj {
	XCTL_CTL_OBJ_PROG,
	XCTL_CTL_OBJ_MAP,
};
/* Next id after *key (NULL: first); maps only of map_type. -ENOENT at the end. */
int xctl_ctl_obj_next(enum xctl_ctl_obj kind, uint32_t map_type, const uint32_t *key,
		      uint32_t *next, struct xctl_err *err);
/* fd of the object with id (ENOENT: "no BPF program with id N"). */
int xctl_ctl_obj_fd(enum xctl_ctl_obj kind, uint32_t id, struct xctl_err *err);
/* The object's name ("" when it is gone). */
void xctl_ctl_obj_name(enum xctl_ctl_obj kind, uint32_t id, char *buf, size_t len);
/* `name NAME` (must be unique) or `pinned PATH` to an id. */
int xctl_ctl_obj_resolve(enum xctl_ctl_obj kind, uint32_t map_type, const char *kw,
			 const char *arg, uint32_t *key, struct xctl_err *err);

/*
 * The device types (xdp, netdev, ethtool) key on the device snapshot of
 * lib/nl/nl_dev.h. Fill err for an ifindex that is not in it; -ENODEV.
 */
int xctl_ctl_dev_missing(uint32_t ifindex, struct xctl_err *err);

/* Fetch a kernel info struct sized by the kernel's BTF (bpf_prog_info, ...). */
/* Returns the struct's kernel BTF type id; *info is malloc'd. */
int xctl_ctl_obj_info(int fd, const char *struct_name, void **info, size_t *size,
		      struct xctl_err *err);
/* The kernel BTF and type id of struct struct_name (-ENOENT with err filled). */
int xctl_ctl_kstruct(const char *struct_name, const struct btf **btf, uint32_t *id,
		     struct xctl_err *err);

/* Offset of a top-level member of a kernel struct, or -ENOENT. */
int xctl_ctl_kmember_off(const char *struct_name, const char *member, size_t *size);

#endif /* XCTL_CONTROL_TYPE_H */
